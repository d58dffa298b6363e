//! Lowering of the channels-last window and layout ops. Loops run over the output
//! (`n`, the output pixel, then channels; the channel loop produces one element per iteration and
//! is the pipelined one), window taps and reduced channels inside it; input positions are
//! `hls.affine_index` of `o * stride + k * dilation`, so an unrolled design reads constant indices.

use fpgaopt_ir::{Type, ValueId};
use fpgaopt_qdf::semantics::spatial::reciprocal;
use fpgaopt_qdf::FixedType;

use super::builder::{FnBuilder, LoopKind::*};

/// Window attributes of a spatial op.
pub(crate) struct Win {
    pub kernel: Vec<i64>,
    pub strides: Vec<i64>,
    pub dilations: Vec<i64>,
}

const OUT_HINTS: [&str; 3] = ["oh", "ow", "od"];
const TAP_HINTS: [&str; 3] = ["kh", "kw", "kd"];

/// Loops over `[N, *O]` (Outer): the batch index and output positions.
fn output_pixels(b: &mut FnBuilder<'_>, sy: &[i64]) -> (ValueId, Vec<ValueId>) {
    let n = if sy[0] == 1 { b.index(0) } else { b.for_loop(sy[0], Outer, "n") };
    let o = sy[1..sy.len() - 1].iter().enumerate().map(|(i, &d)| if d == 1 { b.index(0) } else { b.for_loop(d, Outer, OUT_HINTS[i % 3]) }).collect();
    (n, o)
}

/// Loops over the window taps (Inner); returns the tap counters and the input positions
/// `o * s + k * d`.
fn taps(b: &mut FnBuilder<'_>, w: &Win, o: &[ValueId]) -> (Vec<ValueId>, Vec<ValueId>) {
    let ks: Vec<ValueId> = w.kernel.iter().enumerate().map(|(i, &k)| if k == 1 { b.index(0) } else { b.for_loop(k, Inner, TAP_HINTS[i % 3]) }).collect();
    let pos = (0..o.len()).map(|a| b.affine(&[o[a], ks[a]], &[w.strides[a], w.dilations[a]], 0)).collect();
    (ks, pos)
}

/// `qdf.conv`: per output channel `acc = b[m]; acc = acc + x * w` over taps and the group's
/// channels; `y = acc`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn conv(b: &mut FnBuilder<'_>, arrays: &[ValueId], y: ValueId, sw: &[i64], sy: &[i64], w: &Win, group: i64, acc_ty: &Type, out: &Type) {
    let (x, wt, bias) = (arrays[0], arrays[1], arrays[2]);
    let r = sw.len();
    let (cg, mtot) = (sw[r - 2], sw[r - 1]);
    let mg = mtot / group;
    let saved = b.at;
    let (n, o) = output_pixels(b, sy);
    let g = if group == 1 { b.index(0) } else { b.for_loop(group, Outer, "g") };
    let mm = if mg == 1 { b.index(0) } else { b.for_loop(mg, Pipelined, "m") };
    let mch = b.affine(&[g, mm], &[mg, 1], 0);
    let a = b.alloca(&[], acc_ty.clone(), "acc", false);
    let bj = b.load(bias, &[mch]);
    let bj = b.cast(bj, acc_ty);
    b.store(bj, a, &[]);
    let inner = b.at;
    let (ks, ks_at) = taps(b, w, &o);
    let ci = if cg == 1 { b.index(0) } else { b.for_loop(cg, Inner, "c") };
    let xc = b.affine(&[g, ci], &[cg, 1], 0);
    let mut xi = vec![n];
    xi.extend(&ks_at);
    xi.push(xc);
    let xv = b.load(x, &xi);
    let mut wi = ks;
    wi.extend([ci, mch]);
    let wv = b.load(wt, &wi);
    let p = b.mul(xv, wv);
    let av = b.load(a, &[]);
    let s = b.add(av, p);
    let s = b.cast(s, acc_ty);
    b.store(s, a, &[]);
    b.at = inner;
    let rv = b.load(a, &[]);
    let rv = b.cast(rv, out);
    let mut yi = vec![n];
    yi.extend(&o);
    yi.push(mch);
    b.store(rv, y, &yi);
    b.at = saved;
}

/// `qdf.max_pool` (`acc_ty` None) and `qdf.avg_pool` (`Some((acc, recip, divisors))`) per
/// channel: running maximum from the first tap, or window sum times the position's reciprocal.
pub(crate) fn pool(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, sy: &[i64], w: &Win, avg: Option<(&Type, &FixedType, &[i64])>, x_ty: &Type, out: &Type, name: &str) {
    let saved = b.at;
    let recips = avg.map(|(_, r, d)| {
        let vals: Vec<i64> = d.iter().map(|&d| reciprocal(d, r) as i64).collect();
        let rt = super::layers::hls_fixed(r).to_type();
        let dims = &sy[1..sy.len() - 1];
        b.rom(&vals, dims, rt, &format!("{name}_recip"), None)
    });
    let (n, o) = output_pixels(b, sy);
    let c = sy[sy.len() - 1];
    let ch = if c == 1 { b.index(0) } else { b.for_loop(c, Pipelined, "c") };
    let state_ty = avg.map_or(x_ty.clone(), |(a, _, _)| a.clone());
    let a = b.alloca(&[], state_ty.clone(), if avg.is_some() { "acc" } else { "best" }, false);
    let init = match avg {
        Some((acc, _, _)) => b.constant(acc, 0),
        None => {
            let mut first = vec![n];
            first.extend(o.iter().enumerate().map(|(i, &v)| b.affine(&[v], &[w.strides[i]], 0)));
            first.push(ch);
            b.load(x, &first)
        }
    };
    b.store(init, a, &[]);
    let inner = b.at;
    let (_, pos) = taps(b, w, &o);
    let mut xi = vec![n];
    xi.extend(&pos);
    xi.push(ch);
    let v = b.load(x, &xi);
    let cur = b.load(a, &[]);
    let next = match avg {
        Some(_) => {
            let s = b.add(cur, v);
            b.cast(s, &state_ty)
        }
        None => b.max(cur, v),
    };
    b.store(next, a, &[]);
    b.at = inner;
    let r = b.load(a, &[]);
    let r = match recips {
        Some(rom) => {
            let rv = b.load(rom, &o);
            b.mul(r, rv)
        }
        None => r,
    };
    let r = b.cast(r, out);
    let mut yi = vec![n];
    yi.extend(&o);
    yi.push(ch);
    b.store(r, y, &yi);
    b.at = saved;
}

/// `qdf.pad`: every element of `y` set to `value`, then `x` copied in at the begin pads.
pub(crate) fn pad(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, sx: &[i64], sy: &[i64], pads: &[i64], value: ValueId) {
    let hints = ["i", "j", "k", "l", "n"];
    let saved = b.at;
    let ivs = b.loop_nest(sy, Pipelined, &hints);
    b.store(value, y, &ivs);
    b.at = saved;
    let ivs = b.loop_nest(sx, Pipelined, &hints);
    let v = b.load(x, &ivs);
    let at: Vec<ValueId> = ivs.iter().enumerate().map(|(a, &i)| if pads[a] == 0 { i } else { b.affine(&[i], &[1], pads[a]) }).collect();
    b.store(v, y, &at);
    b.at = saved;
}

/// `qdf.transpose`: `y[i] = x[j]` with `j[perm[a]] = i[a]`.
pub(crate) fn transpose(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, sy: &[i64], perm: &[i64]) {
    let saved = b.at;
    let ivs = b.loop_nest(sy, Pipelined, &["i", "j", "k", "l", "n"]);
    let mut src = ivs.clone();
    for (a, &p) in perm.iter().enumerate() {
        src[p as usize] = ivs[a];
    }
    let v = b.load(x, &src);
    b.store(v, y, &ivs);
    b.at = saved;
}
