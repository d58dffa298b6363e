//! Lowering of the channels-last window and layout ops. Loops run over the output
//! (`n`, the output pixel, then channels; the channel loop produces one element per iteration and
//! is the pipelined one), window taps and reduced channels inside it; input positions are
//! `hls.affine_index` of `o * stride + k * dilation`, so an unrolled design reads constant indices.

use fpgaopt_ir::{Type, ValueId};
use fpgaopt_qdf::semantics::spatial::reciprocal;
use fpgaopt_qdf::FixedType;

use super::builder::{FnBuilder, LoopKind, LoopKind::*};

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

/// Loops over the window taps (Inner); returns the tap counters.
fn tap_loops(b: &mut FnBuilder<'_>, kernel: &[i64]) -> Vec<ValueId> {
    kernel.iter().enumerate().map(|(i, &k)| if k == 1 { b.index(0) } else { b.for_loop(k, Inner, TAP_HINTS[i % 3]) }).collect()
}

/// Reads the input element at window tap `ks` (one counter per kernel axis) and channel `c`.
pub(crate) type TapLoad<'f> = &'f dyn Fn(&mut FnBuilder<'_>, &[ValueId], ValueId) -> ValueId;

/// One output pixel of a `qdf.conv`, shared by the array and the stream lowerings: per output
/// channel `m = g * (M / group) + mm` (loops of `kinds`), `acc = b[m]`, then over the taps and the
/// group's channels `acc = acc + x * w`, then `store(m, convert<out>(acc))`. `w_index` gives the
/// weight's indices for (taps, channel, m).
#[allow(clippy::too_many_arguments)]
pub(crate) fn conv_pixel(
    b: &mut FnBuilder<'_>,
    kernel: &[i64],
    (group, cg, mg): (i64, i64, i64),
    kinds: (LoopKind, LoopKind),
    x: TapLoad<'_>,
    (wt, bias): (ValueId, ValueId),
    w_index: &dyn Fn(&mut FnBuilder<'_>, &[ValueId], ValueId, ValueId) -> Vec<ValueId>,
    (acc_ty, out): (&Type, &Type),
    store: &dyn Fn(&mut FnBuilder<'_>, ValueId, ValueId),
) {
    let saved = b.at;
    let g = if group == 1 { b.index(0) } else { b.for_loop(group, kinds.0, "g") };
    let mm = if mg == 1 { b.index(0) } else { b.for_loop(mg, kinds.1, "m") };
    let mch = b.affine(&[g, mm], &[mg, 1], 0);
    let a = b.alloca(&[], acc_ty.clone(), "acc", false);
    let bj = b.load(bias, &[mch]);
    let bj = b.cast(bj, acc_ty);
    b.store(bj, a, &[]);
    let inner = b.at;
    let ks = tap_loops(b, kernel);
    let ci = if cg == 1 { b.index(0) } else { b.for_loop(cg, Inner, "c") };
    let xc = b.affine(&[g, ci], &[cg, 1], 0);
    let xv = x(b, &ks, xc);
    let wi = w_index(b, &ks, ci, mch);
    let wv = b.load(wt, &wi);
    let p = b.mul(xv, wv);
    let av = b.load(a, &[]);
    let s = b.add(av, p);
    let s = b.cast(s, acc_ty);
    b.store(s, a, &[]);
    b.at = inner;
    let rv = b.load(a, &[]);
    let rv = b.cast(rv, out);
    store(b, mch, rv);
    b.at = saved;
}

/// One channel of one output pixel of `qdf.max_pool` (`avg` None: running maximum from the first
/// tap) or `qdf.avg_pool` (`Some((acc, rom, indices))`: the window sum times the position's
/// reciprocal, read from `rom` at `indices`), converted to `out`; returns the value. Shared by the
/// array and stream lowerings.
pub(crate) fn pool_pixel(b: &mut FnBuilder<'_>, kernel: &[i64], ch: ValueId, x: TapLoad<'_>, avg: Option<(&Type, ValueId, &[ValueId])>, x_ty: &Type, out: &Type) -> ValueId {
    let state_ty = avg.map_or(x_ty.clone(), |(a, _, _)| a.clone());
    let a = b.alloca(&[], state_ty.clone(), if avg.is_some() { "acc" } else { "best" }, false);
    let init = match avg {
        Some((acc, _, _)) => b.constant(acc, 0),
        None => {
            let zeros: Vec<ValueId> = kernel.iter().map(|_| b.index(0)).collect();
            x(b, &zeros, ch)
        }
    };
    b.store(init, a, &[]);
    let inner = b.at;
    let ks = tap_loops(b, kernel);
    let v = x(b, &ks, ch);
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
    let r = match avg {
        Some((_, rom, at)) => {
            let recip = b.load(rom, at);
            b.mul(r, recip)
        }
        None => r,
    };
    b.cast(r, out)
}

/// Input positions `o * stride + k * dilation` per spatial axis.
fn positions(b: &mut FnBuilder<'_>, w: &Win, o: &[ValueId], ks: &[ValueId]) -> Vec<ValueId> {
    (0..o.len()).map(|a| b.affine(&[o[a], ks[a]], &[w.strides[a], w.dilations[a]], 0)).collect()
}

/// `qdf.conv` on arrays: loops over batch and output pixels, then [`conv_pixel`].
#[allow(clippy::too_many_arguments)]
pub(crate) fn conv(b: &mut FnBuilder<'_>, arrays: &[ValueId], y: ValueId, sw: &[i64], sy: &[i64], w: &Win, group: i64, acc_ty: &Type, out: &Type) {
    let (x, wt, bias) = (arrays[0], arrays[1], arrays[2]);
    let r = sw.len();
    let (cg, mtot) = (sw[r - 2], sw[r - 1]);
    let saved = b.at;
    let (n, o) = output_pixels(b, sy);
    let load = |b: &mut FnBuilder<'_>, ks: &[ValueId], c: ValueId| {
        let mut xi = vec![n];
        xi.extend(positions(b, w, &o, ks));
        xi.push(c);
        b.load(x, &xi)
    };
    let w_index = |_: &mut FnBuilder<'_>, ks: &[ValueId], ci: ValueId, m: ValueId| {
        let mut wi = ks.to_vec();
        wi.extend([ci, m]);
        wi
    };
    let store = |b: &mut FnBuilder<'_>, m: ValueId, v: ValueId| {
        let mut yi = vec![n];
        yi.extend(&o);
        yi.push(m);
        b.store(v, y, &yi);
    };
    conv_pixel(b, &w.kernel, (group, cg, mtot / group), (Outer, Pipelined), &load, (wt, bias), &w_index, (acc_ty, out), &store);
    b.at = saved;
}

/// `qdf.max_pool` (`avg` None) and `qdf.avg_pool` (`Some((acc, recip, divisors))`) on arrays: loops
/// over batch, output pixels and channels (pipelined), then [`pool_pixel`].
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
    let load = |b: &mut FnBuilder<'_>, ks: &[ValueId], c: ValueId| {
        let mut xi = vec![n];
        xi.extend(positions(b, w, &o, ks));
        xi.push(c);
        b.load(x, &xi)
    };
    let avg = match (avg, recips) {
        (Some((acc, _, _)), Some(rom)) => Some((acc, rom, &o[..])),
        _ => None,
    };
    let r = pool_pixel(b, &w.kernel, ch, &load, avg, x_ty, out);
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
