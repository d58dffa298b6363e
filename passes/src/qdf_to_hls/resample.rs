//! Lowering of the resampling ops (`qdf.resize`, `qdf.depth_to_space`, `qdf.space_to_depth`:
//! loads and stores, the output channel loop pipelined) and of `qdf.fconv` (float32 fused
//! multiply-adds in MLAS's blocked order).
//!
//! - resize: loops over the output; each axis whose map is not the identity reads its source
//!   index from a rom (`<name>_src<axis>`), the other axes use the output index;
//! - depth-to-space / space-to-depth: loops over `n, h, w, i, j, c` of the block structure, every
//!   index an `hls.affine_index` of the counters (constant once unrolled);
//! - fconv: per output channel, the first block's FMA chain is the total; each further block's
//!   chain (a loop over full blocks, then the remainder) is added as `block + total`; then
//!   `+ bias`. Term `t` of the im2col order is `hls.delinearize_index` of `t` over
//!   `[C / group, *kernel]`.

use fpgaopt_ir::{Type, ValueId};

use super::builder::{int_type, signed_bits, FnBuilder, LoopKind::*};
use super::spatial::Win;

/// A counter over `n` (constant 0 for a single iteration).
fn counter(b: &mut FnBuilder<'_>, n: i64, kind: super::builder::LoopKind, hint: &str) -> ValueId {
    if n == 1 {
        b.index(0)
    } else {
        b.for_loop(n, kind, hint)
    }
}

/// `qdf.resize`: `y[o] = x[src_0[o_0], ...]`, `maps` the concatenated per-axis source indices.
pub(crate) fn resize(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, sx: &[i64], sy: &[i64], maps: &[i64], name: &str) {
    let saved = b.at;
    // Roms first (the function header), one per axis that is not copied as is.
    let mut at = 0usize;
    let mut roms = vec![];
    for (a, &n) in sy.iter().enumerate() {
        let map = &maps[at..at + n as usize];
        at += n as usize;
        let identity = n == sx[a] && map.iter().enumerate().all(|(i, &v)| v == i as i64);
        roms.push((!identity).then(|| {
            let bits = map.iter().map(|&v| signed_bits(v as i128)).max().unwrap_or(1);
            b.rom(map, &[n], int_type(bits, true), &format!("{name}_src{a}"), None)
        }));
    }
    let ivs = b.loop_nest(sy, Pipelined, &["i", "j", "k", "l", "n"]);
    let src: Vec<ValueId> = ivs
        .iter()
        .zip(&roms)
        .map(|(&iv, rom)| match rom {
            Some(r) => {
                let v = b.load(*r, &[iv]);
                b.index_cast(v)
            }
            None => iv,
        })
        .collect();
    let v = b.load(x, &src);
    b.store(v, y, &ivs);
    b.at = saved;
}

/// `qdf.depth_to_space` (`to_space`) and `qdf.space_to_depth` of channels-last maps with block
/// `bs`: `space[n, h*b+i, w*b+j, c] <-> depth[n, h, w, s(i, j, c)]`, `s` by `crd`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn shuffle(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, sx: &[i64], sy: &[i64], bs: i64, crd: bool, to_space: bool) {
    let saved = b.at;
    // The depth-side shape [N, H, W, C * b * b] and the space side's channel count C.
    let (depth, c) = if to_space { (sx, sy[3]) } else { (sy, sx[3]) };
    let n = counter(b, depth[0], Outer, "n");
    let h = counter(b, depth[1], Outer, "h");
    let w = counter(b, depth[2], Outer, "w");
    let i = counter(b, bs, Outer, "bi");
    let j = counter(b, bs, Outer, "bj");
    let ch = counter(b, c, Pipelined, "c");
    let s = if crd { b.affine(&[ch, i, j], &[bs * bs, bs, 1], 0) } else { b.affine(&[i, j, ch], &[bs * c, c, 1], 0) };
    let (sh, sw) = (b.affine(&[h, i], &[bs, 1], 0), b.affine(&[w, j], &[bs, 1], 0));
    let (space, depth_at) = (vec![n, sh, sw, ch], vec![n, h, w, s]);
    let (from, to) = if to_space { (depth_at, space) } else { (space, depth_at) };
    let v = b.load(x, &from);
    b.store(v, y, &to);
    b.at = saved;
}

/// `qdf.fconv`: see the module docs. `sw` is the weight shape `[*K, C/g, M]`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fconv(b: &mut FnBuilder<'_>, arrays: &[ValueId], y: ValueId, sw: &[i64], sy: &[i64], w: &Win, group: i64, k_block: i64) {
    let (x, wt, bias) = (arrays[0], arrays[1], arrays[2]);
    let r = sw.len();
    let ns = r - 2;
    let (cg, mtot) = (sw[ns], sw[ns + 1]);
    let mg = mtot / group;
    let k_total = cg * sw[..ns].iter().product::<i64>();
    let kb = k_block.clamp(1, k_total.max(1));
    let saved = b.at;
    let n = counter(b, sy[0], Outer, "n");
    let o: Vec<ValueId> = sy[1..sy.len() - 1].iter().enumerate().map(|(a, &d)| counter(b, d, Outer, ["oh", "ow", "od"][a % 3])).collect();
    let g = counter(b, group, Outer, "g");
    let mm = counter(b, mg, Pipelined, "m");
    let mch = b.affine(&[g, mm], &[mg, 1], 0);
    let zero = b.fconst(0.0);
    let total = b.alloca(&[], Type::F32, "total", false);
    let acc = b.alloca(&[], Type::F32, "acc", false);
    let mut term_dims = vec![cg];
    term_dims.extend(&sw[..ns]);
    // One FMA chain over terms `offset + blk * kb + t`, t < count, into `acc`.
    let chain = |b: &mut FnBuilder<'_>, blk: Option<ValueId>, offset: i64, count: i64| {
        b.store(zero, acc, &[]);
        let inner = b.at;
        let t = counter(b, count, Inner, "t");
        let k = match blk {
            Some(blk) => b.affine(&[blk, t], &[kb, 1], offset),
            None => b.affine(&[t], &[1], offset),
        };
        let parts = b.delinearize(k, &term_dims);
        let (ci, ks) = (parts[0], &parts[1..]);
        let xc = b.affine(&[g, ci], &[cg, 1], 0);
        let mut xi = vec![n];
        xi.extend((0..ns).map(|a| b.affine(&[o[a], ks[a]], &[w.strides[a], w.dilations[a]], 0)));
        xi.push(xc);
        let xv = b.load(x, &xi);
        let mut wi = ks.to_vec();
        wi.extend([ci, mch]);
        let wv = b.load(wt, &wi);
        let a = b.load(acc, &[]);
        let f = b.fma(xv, wv, a);
        b.store(f, acc, &[]);
        b.at = inner;
        b.load(acc, &[])
    };
    let first = kb.min(k_total);
    let a0 = chain(b, None, 0, first);
    b.store(a0, total, &[]);
    let (full, rest) = ((k_total - first) / kb, (k_total - first) % kb);
    if full > 0 {
        let inner = b.at;
        let blk = counter(b, full, Inner, "blk");
        let a = chain(b, Some(blk), first, kb);
        let t = b.load(total, &[]);
        let s = b.farith('+', a, t);
        b.store(s, total, &[]);
        b.at = inner;
    }
    if rest > 0 {
        let a = chain(b, None, first + full * kb, rest);
        let t = b.load(total, &[]);
        let s = b.farith('+', a, t);
        b.store(s, total, &[]);
    }
    let t = b.load(total, &[]);
    let bv = b.load(bias, &[mch]);
    let v = b.farith('+', t, bv);
    let mut yi = vec![n];
    yi.extend(&o);
    yi.push(mch);
    b.store(v, y, &yi);
    b.at = saved;
}
