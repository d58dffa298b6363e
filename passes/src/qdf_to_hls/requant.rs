//! `qdf.threshold` and `qdf.requant` in exact hls arithmetic.
//!
//! - threshold: per element, `count = sum_l (x >= T[c][l])` over a rom of thresholds (an exact
//!   comparison of fixed-point values), then `base[c] + step[c] * count` in integers, reinterpreted on
//!   the result grid (`hls.bitcast`).
//! - requant: `p = x * M[c]` exactly, reinterpreted with `shift` more fractional bits, converted with
//!   the result type's rounding mode onto its grid (one `hls.cast`), clamped, converted into the result.

use fpgaopt_hls::Fixed;
use fpgaopt_ir::{Attribute, Type, ValueId};

use super::builder::{int_type, signed_bits, FnBuilder, LoopKind::*};

fn ints(attrs: &[(String, Attribute)], key: &str) -> (Vec<i64>, Vec<i64>) {
    attrs
        .iter()
        .find(|(n, _)| n == key)
        .and_then(|(_, a)| a.as_dense())
        .map(|d| (d.to_i64_vec(), d.ty.shape().unwrap_or(&[]).to_vec()))
        .unwrap_or_default()
}

/// Bits of a signed integer holding every value.
fn width_of(v: &[i64]) -> u32 {
    v.iter().map(|&x| signed_bits(x as i128)).max().unwrap_or(1).max(2)
}

/// A per-channel integer: a constant when uniform, else a rom read at channel `c`.
fn per_channel(b: &mut FnBuilder<'_>, v: &[i64], c: ValueId, name: &str) -> ValueId {
    let ty = int_type(width_of(v), true);
    if v.iter().all(|&x| x == v[0]) {
        return b.constant(&ty, v[0]);
    }
    let rom = b.rom(v, &[v.len() as i64], ty, name, None);
    b.load(rom, &[c])
}

/// The channel index of the element at `ivs` (its index along the op's `axis`, default 1), or 0.
fn channel(b: &mut FnBuilder<'_>, ivs: &[ValueId], channels: usize, attrs: &[(String, Attribute)]) -> ValueId {
    let axis = attrs.iter().find(|(n, _)| n == "axis").and_then(|(_, a)| a.as_int()).map_or(1, |a| a.max(0) as usize);
    match ivs.get(axis) {
        Some(&iv) if channels > 1 => iv,
        _ => b.index(0),
    }
}

/// The integer `v` (any width) as the result type's mantissa.
fn to_result(b: &mut FnBuilder<'_>, v: ValueId, out: &Type) -> ValueId {
    let to = Fixed::from_type(out).unwrap_or_else(|| Fixed::new(8, 8, true));
    let i = b.cast(v, &int_type(to.width, to.signed));
    b.bitcast(i, out)
}

/// `qdf.threshold`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn threshold(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, dims: &[i64], attrs: &[(String, Attribute)], x_elem: &Type, out: &Type, name: &str) {
    let (t, ts) = ints(attrs, "thresholds");
    let (base, _) = ints(attrs, "base");
    let (step, _) = ints(attrs, "step");
    let (c_n, l_n) = (ts[0] as usize, ts[1] as usize);
    let tx = Fixed::from_type(x_elem).unwrap_or_else(|| Fixed::new(8, 8, true));
    // Thresholds on x's grid, wide enough for values just outside x's range.
    let wt = width_of(&t);
    let t_ty = Fixed::new(wt, wt as i64 - tx.frac_bits(), true).to_type();
    let rom = b.rom(&t, &[c_n as i64, l_n as i64], t_ty, &format!("{name}_thresholds"), None);
    let wc = 65 - (l_n as u64).leading_zeros();
    let count_ty = int_type(wc, false);
    let (one, zero) = (b.constant(&count_ty, 1), b.constant(&count_ty, 0));
    let saved = b.at;
    let ivs = b.loop_nest(dims, Pipelined, &["i", "j", "k", "l", "n"]);
    let c = channel(b, &ivs, c_n, attrs);
    let v = b.load(x, &ivs);
    let count = b.alloca(&[], count_ty.clone(), "count", false);
    b.store(zero, count, &[]);
    let inner = b.at;
    let l = if l_n == 1 { b.index(0) } else { b.for_loop(l_n as i64, Inner, "l") };
    let th = b.load(rom, &[c, l]);
    let ge = b.cmp("ge", v, th);
    let inc = b.select(ge, one, zero);
    let cur = b.load(count, &[]);
    let s = b.add(cur, inc);
    let s = b.cast(s, &count_ty);
    b.store(s, count, &[]);
    b.at = inner;
    let n = b.load(count, &[]);
    let st = per_channel(b, &step, c, &format!("{name}_step"));
    let bs = per_channel(b, &base, c, &format!("{name}_base"));
    let p = b.mul(st, n);
    let r = b.add(bs, p);
    let r = to_result(b, r, out);
    b.store(r, y, &ivs);
    b.at = saved;
}

/// `qdf.requant`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn requant(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, dims: &[i64], attrs: &[(String, Attribute)], x_elem: &Type, out: &Type, name: &str) {
    let (mult, _) = ints(attrs, "multiplier");
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).and_then(|(_, a)| a.as_int());
    let shift = get("shift").unwrap_or(0);
    let (lo, hi) = (get("min"), get("max"));
    let _ = x_elem;
    let to = Fixed::from_type(out).unwrap_or_else(|| Fixed::new(8, 8, true));
    let saved = b.at;
    let ivs = b.loop_nest(dims, Pipelined, &["i", "j", "k", "l", "n"]);
    let c = channel(b, &ivs, mult.len(), attrs);
    let v = b.load(x, &ivs);
    let mv = per_channel(b, &mult, c, &format!("{name}_multiplier"));
    let p = b.mul(v, mv);
    // The same bits with `shift` more fractional bits: p * 2^-shift.
    let tp = super::builder::fixed_of(b.m, p);
    let shifted = Fixed::new(tp.width, tp.width as i64 - (tp.frac_bits() + shift), tp.signed).to_type();
    let ps = b.bitcast(p, &shifted);
    // Round onto the result grid with its rounding mode, in a type that cannot overflow.
    let int_bits = (tp.width as i64 - tp.frac_bits() - shift + 2).max(2);
    let wr = (int_bits + to.frac_bits()).max(2) as u32;
    let r_ty = Fixed::new(wr, wr as i64 - to.frac_bits(), true).with_modes(to_quant(out), "WRAP");
    let mut r = b.cast(ps, &r_ty.to_type());
    let range = r_ty.mantissa_range().unwrap_or((i128::MIN, i128::MAX));
    if let Some(lo) = lo.filter(|&l| (l as i128) > range.0) {
        let k = b.constant(&r_ty.to_type(), lo);
        r = b.max(r, k);
    }
    if let Some(hi) = hi.filter(|&h| (h as i128) < range.1) {
        let k = b.constant(&r_ty.to_type(), hi);
        r = b.min(r, k);
    }
    let r = b.cast(r, out);
    b.store(r, y, &ivs);
    b.at = saved;
}

/// The rounding mode of a fixed type (its quantization mode name).
fn to_quant(t: &Type) -> &'static str {
    let q = Fixed::from_type(t).map(|f| f.quant.clone()).unwrap_or_default();
    ["TRN", "TRN_ZERO", "RND", "RND_ZERO", "RND_MIN_INF", "RND_INF", "RND_CONV"].into_iter().find(|m| *m == q).unwrap_or("TRN")
}
