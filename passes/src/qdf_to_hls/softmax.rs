//! `qdf.softmax` in exact hls arithmetic.
//!
//! Per slice along the axis: the maximum `m` (a running `hls.max`), `e_k = lookup(x_k - m)` stored in a
//! local array while `s = convert<sum>(s + e_k)` accumulates, then `y_k = floor(e_k * 2^shift / s)` on
//! integer mantissas (`hls.bitcast` to `ap_uint`, a multiplication by the constant `2^shift`, and
//! `hls.div`, which truncates: every operand is non-negative), reinterpreted on the output grid and
//! converted with the output type's overflow mode. When `s <= 0` the divisor is replaced by 1 before
//! dividing and the result by 0, as in `qdf.semantics::softmax`.

use fpgaopt_hls::Fixed;
use fpgaopt_ir::{DiagResult, Diagnostic, Type, ValueId};

use super::builder::{int_type, FnBuilder, LoopKind::*};
use super::layers::mantissa_type;
use super::lookup::Table;
use super::Config;

/// The maximum of one softmax slice (elements `x[at(k)]`, k < n) in a scalar `x_max`: the first
/// element, then `hls.max` with each element in a loop. `new_first` orders it `x_k > m ? x_k : m`
/// (the float softmax: a NaN element is kept, as onnxruntime's), else `m > x_k ? m : x_k`. The
/// insertion point is back outside the loop.
pub(crate) fn slice_max(b: &mut FnBuilder<'_>, x: ValueId, at: &dyn Fn(ValueId) -> Vec<ValueId>, n: i64, elem: Type, new_first: bool) -> ValueId {
    let mx = b.alloca(&[], elem, "x_max", false);
    let c0 = b.index(0);
    let first = b.load(x, &at(c0));
    b.store(first, mx, &[]);
    let outside = b.at;
    let k = if n == 1 { b.index(0) } else { b.for_loop(n, Pipelined, "k") };
    let v = b.load(x, &at(k));
    let cur = b.load(mx, &[]);
    let r = if new_first { b.max(v, cur) } else { b.max(cur, v) };
    b.store(r, mx, &[]);
    b.at = outside;
    b.load(mx, &[])
}

/// Builds the softmax of `x` (shape `dims`) along `axis` into `y`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn softmax(
    b: &mut FnBuilder<'_>,
    table: &Table,
    x: ValueId,
    y: ValueId,
    dims: &[i64],
    axis: usize,
    sum_ty: Option<&Type>,
    out: &Type,
    cfg: &Config,
    name: &str,
) -> DiagResult<()> {
    let err = |m: String| Diagnostic::error(b_loc(b), m);
    let sum_ty = sum_ty.cloned().ok_or_else(|| err("softmax without a sum type".into()))?;
    let (te, ts) = (table.ty.clone(), Fixed::from_type(&sum_ty).ok_or_else(|| err("sum type is not fixed-point".into()))?);
    let to = Fixed::from_type(out).ok_or_else(|| err("softmax output is not fixed-point".into()))?;
    let shift = to.frac_bits() + ts.frac_bits() - te.frac_bits();
    if shift.abs() > 62 {
        return Err(err(format!("'qdf.softmax' op cannot be lowered to hls: the normalising shift {shift} exceeds 62 bits")));
    }
    let n = dims[axis];
    let exp_ty = te.to_type();
    let roms = table.roms(b, &format!("{name}_exp"));
    let saved = b.at;
    let mut slice = dims.to_vec();
    slice[axis] = 1;
    let idx = b.loop_nest(&slice, Outer, &["i", "j", "l", "n"]);
    let at = |k: ValueId| {
        let mut v = idx.clone();
        v[axis] = k;
        v
    };
    let for_each = |b: &mut FnBuilder<'_>| if n == 1 { b.index(0) } else { b.for_loop(n, Pipelined, "k") };

    // m = max_k x_k
    let x_ty = b.m.ty(x).clone();
    let x_elem = fpgaopt_hls::ArrayType::from_type(&x_ty).map_or(Type::F32, |a| a.elem);
    let m = slice_max(b, x, &at, n, x_elem, false);
    let m = b.name(m, "m");
    let outside = b.at;

    // e_k = lookup(x_k - m); s = convert<sum>(s + e_k)
    let e = b.alloca(&[n], exp_ty.clone(), "e", cfg.parallel);
    let s = b.alloca(&[], sum_ty.clone(), "sum", false);
    let zero = b.constant(&sum_ty, 0);
    b.store(zero, s, &[]);
    let k = for_each(b);
    let v = b.load(x, &at(k));
    let d = b.sub(v, m);
    let ev = table.lookup(b, &roms, d);
    let ev = b.cast(ev, &exp_ty);
    let ev = b.name(ev, "e_k");
    b.store(ev, e, &[k]);
    let cur = b.load(s, &[]);
    let next = b.add(cur, ev);
    let next = b.cast(next, &sum_ty);
    b.store(next, s, &[]);
    b.at = outside;

    // y_k = floor(e_k * 2^shift / s), or 0 when s <= 0
    let sv = b.load(s, &[]);
    let sv = b.name(sv, "s");
    let zero_bit = b.constant(&int_type(1, false), 0);
    let positive = b.cmp("gt", sv, zero_bit);
    let positive = b.name(positive, "s_positive");
    let s_int = b.bitcast(sv, &mantissa_type(&ts));
    let s_int = b.name(s_int, "s_bits");
    let one = b.constant(&mantissa_type(&ts), 1);
    let mut den = b.select(positive, s_int, one);
    den = b.name(den, "den");
    if shift < 0 {
        let scale = b.constant(&int_type((1 - shift) as u32, false), 1i64 << -shift);
        den = b.mul(den, scale);
        den = b.name(den, "den");
    }
    let out_zero = b.constant(out, 0);
    let k = for_each(b);
    let ek = b.load(e, &[k]);
    let mut num = b.bitcast(ek, &mantissa_type(&te));
    num = b.name(num, "e_bits");
    if shift > 0 {
        let scale = b.constant(&int_type((shift + 1) as u32, false), 1i64 << shift);
        num = b.mul(num, scale);
    }
    let q = b.div(num, den);
    let q = b.name(q, "q");
    let tq = super::builder::fixed_of(b.m, q);
    let qf = b.bitcast(q, &Fixed::new(tq.width, tq.width as i64 - to.frac_bits(), tq.signed).to_type());
    let qf = b.name(qf, "q_out");
    let yv = b.cast(qf, out);
    let yv = b.select(positive, yv, out_zero);
    b.store(yv, y, &at(k));
    b.at = saved;
    Ok(())
}

fn b_loc(b: &FnBuilder<'_>) -> fpgaopt_ir::Location {
    b.loc.clone()
}
