//! The float32 qdf ops in hls: `qdf.fdense` in its kernel's summation order, `qdf.fsoftmax`, and
//! `qdf.fquant` as float32 steps plus one exact `ap_fixed` conversion from float (floor, half to
//! even or toward zero of the exact float value). Every f32 `hls` op is one IEEE operation; C++
//! prints them as `float` expressions, which g++ evaluates in float without contraction (csim builds
//! for x86-64 without FMA instructions; `std::fma` is the only fused operation).

use fpgaopt_hls::Fixed;
use fpgaopt_ir::{Attribute, Type, ValueId};

use super::builder::{FnBuilder, LoopKind::*};
use super::layers::broadcast;
use super::Config;

/// The ap_fixed integer type of `width` bits with a rounding mode.
fn int_fixed(width: u32, rounding: &str) -> Type {
    Fixed::new(width, width as i64, true).with_modes(rounding, "WRAP").to_type()
}

/// `qdf.fdense`: `x [.., K] . w [K, N] + b [N]` in `order`.
pub(crate) fn fdense(b: &mut FnBuilder<'_>, arrays: &[ValueId], y: ValueId, sx: &[i64], sw: &[i64], order: &str, bias_first: bool) {
    let (x, w, bias) = (arrays[0], arrays[1], arrays[2]);
    let (k_n, n) = (sw[0], sw[1]);
    let rows: i64 = sx[..sx.len() - 1].iter().product();
    let order = if rows == 1 { order } else { "mlas_packed" };
    let saved = b.at;
    let mut rows_iv = b.loop_nest(&sx[..sx.len() - 1], Outer, &["r", "s", "t"]);
    let j = if n == 1 { b.index(0) } else { b.for_loop(n, Pipelined, "j") };
    let bj = b.load(bias, &[j]);
    let zero = b.fconst(0.0);
    let product = |b: &mut FnBuilder<'_>, rows_iv: &mut Vec<ValueId>, k: ValueId| {
        rows_iv.push(k);
        let xv = b.load(x, rows_iv);
        rows_iv.pop();
        let wv = b.load(w, &[k, j]);
        (xv, wv)
    };
    let v = match order {
        "mlas_m1" => {
            let total = b.alloca(&[], Type::F32, "total", false);
            let init = if bias_first { bj } else { zero };
            b.store(init, total, &[]);
            let k4 = k_n - k_n % 4;
            if k4 > 0 {
                let group = b.alloca(&[], Type::F32, "group", false);
                let inner = b.at;
                let k = b.for_loop(k4, Inner, "k");
                let parts = b.delinearize(k, &[k4 / 4, 4]);
                let r = parts[1];
                let (xv, wv) = product(b, &mut rows_iv, k);
                let p = b.farith('*', xv, wv);
                let c0 = b.index(0);
                let first = b.cmp("eq", r, c0);
                let g = b.load(group, &[]);
                let acc = b.farith('+', g, p);
                let g2 = b.select(first, p, acc);
                b.store(g2, group, &[]);
                let c3 = b.index(3);
                let last = b.cmp("eq", r, c3);
                let t = b.load(total, &[]);
                let sum = b.farith('+', g2, t);
                let t2 = b.select(last, sum, t);
                b.store(t2, total, &[]);
                b.at = inner;
            }
            let mut t = b.load(total, &[]);
            let rest = k_n % 4;
            let mut at = k4;
            if rest & 2 != 0 {
                let (i0, i1) = (b.index(at), b.index(at + 1));
                let (x0, w0) = product(b, &mut rows_iv, i0);
                let (x1, w1) = product(b, &mut rows_iv, i1);
                let (p0, p1) = (b.farith('*', x0, w0), b.farith('*', x1, w1));
                let s = b.farith('+', p0, p1);
                t = b.farith('+', s, t);
                at += 2;
            }
            if rest & 1 != 0 {
                let i0 = b.index(at);
                let (x0, w0) = product(b, &mut rows_iv, i0);
                let p0 = b.farith('*', x0, w0);
                t = b.farith('+', p0, t);
            }
            if bias_first {
                t
            } else {
                b.farith('+', t, bj)
            }
        }
        "mlas_m1_transposed" => {
            let lanes = b.alloca(&[8], Type::F32, "lanes", true);
            for l in 0..8 {
                let li = b.index(l);
                b.store(zero, lanes, &[li]);
            }
            if k_n > 0 {
                let inner = b.at;
                let k = b.for_loop(k_n, Inner, "k");
                let parts = b.delinearize(k, &[(k_n + 7) / 8, 8]);
                let lane = parts[1];
                let (xv, wv) = product(b, &mut rows_iv, k);
                let p = b.farith('*', xv, wv);
                let cur = b.load(lanes, &[lane]);
                let s = b.farith('+', cur, p);
                b.store(s, lanes, &[lane]);
                b.at = inner;
                // A partial last group adds +0 to the idle lanes.
                for l in (k_n % 8)..8 {
                    if k_n % 8 == 0 {
                        break;
                    }
                    let li = b.index(l);
                    let cur = b.load(lanes, &[li]);
                    let s = b.farith('+', cur, zero);
                    b.store(s, lanes, &[li]);
                }
            }
            let l: Vec<ValueId> = (0..8)
                .map(|i| {
                    let li = b.index(i);
                    b.load(lanes, &[li])
                })
                .collect();
            let add = |b: &mut FnBuilder<'_>, a: ValueId, c: ValueId| b.farith('+', a, c);
            let chain4 = |b: &mut FnBuilder<'_>, a: [ValueId; 4]| {
                let s = add(b, a[0], a[1]);
                let s = add(b, s, a[2]);
                add(b, s, a[3])
            };
            let full4 = n - n % 4;
            let variants: Vec<usize> = (0..n as usize).map(|c| fpgaopt_qdf::semantics::float::m1_transposed_tree(c, n as usize)).collect();
            let mut trees = [None; 3];
            for &v in &variants {
                if trees[v].is_some() {
                    continue;
                }
                let t = match v {
                    0 => {
                        let a = chain4(b, [l[0], l[1], l[2], l[3]]);
                        let c = chain4(b, [l[4], l[5], l[6], l[7]]);
                        add(b, a, c)
                    }
                    1 => {
                        let (a, c) = (add(b, l[2], l[0]), add(b, l[6], l[4]));
                        let (d, e) = (add(b, l[3], l[1]), add(b, l[7], l[5]));
                        let (f, g) = (add(b, a, c), add(b, d, e));
                        add(b, f, g)
                    }
                    _ => {
                        let (a, c) = (add(b, l[0], l[1]), add(b, l[2], l[3]));
                        let (d, e) = (add(b, l[4], l[5]), add(b, l[6], l[7]));
                        let (f, g) = (add(b, a, c), add(b, d, e));
                        add(b, f, g)
                    }
                };
                trees[v] = Some(t);
            }
            // Pick the tree of column j (select on j: once unrolled, constants).
            let mut sum = trees[variants[variants.len() - 1]].expect("the last column's tree");
            if let Some(t1) = trees[1].filter(|_| variants.contains(&2)) {
                let lim = b.index(full4 + 2);
                let c = b.cmp("lt", j, lim);
                sum = b.select(c, t1, sum);
            }
            if let Some(t0) = trees[0].filter(|_| variants.iter().any(|&v| v != 0)) {
                let lim = b.index(full4);
                let c = b.cmp("lt", j, lim);
                sum = b.select(c, t0, sum);
            }
            let init = if bias_first { bj } else { zero };
            let t = b.farith('+', sum, init);
            if bias_first {
                t
            } else {
                b.farith('+', t, bj)
            }
        }
        _ => {
            // mlas_packed (K <= 256, one block): an fma chain from 0, then + bias.
            let acc = b.alloca(&[], Type::F32, "acc", false);
            b.store(zero, acc, &[]);
            if k_n > 0 {
                let inner = b.at;
                let k = b.for_loop(k_n, Inner, "k");
                let (xv, wv) = product(b, &mut rows_iv, k);
                let a = b.load(acc, &[]);
                let s = b.fma(xv, wv, a);
                b.store(s, acc, &[]);
                b.at = inner;
            }
            let a = b.load(acc, &[]);
            b.farith('+', a, bj)
        }
    };
    rows_iv.push(j);
    b.store(v, y, &rows_iv);
    b.at = saved;
}

/// `qdf.fsoftmax` along `axis`, onnxruntime's order: running max, `e = exp(x - m)` (`hls.exp`,
/// MLAS's exponential), the sum in 2 x 8 lanes (element k into lane `k % 8` of accumulator
/// `(k / 8) % 2`, accumulators added lane by lane, lanes pairwise), `y = e * (1 / s)`.
pub(crate) fn fsoftmax(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, dims: &[i64], axis: usize, cfg: &Config) {
    use fpgaopt_qdf::semantics::float::SUM_LANES;
    let lanes = SUM_LANES as i64;
    let n = dims[axis];
    let saved = b.at;
    let mut slice = dims.to_vec();
    slice[axis] = 1;
    let idx = b.loop_nest(&slice, Outer, &["i", "j", "l", "p"]);
    let at = |k: ValueId| {
        let mut v = idx.clone();
        v[axis] = k;
        v
    };
    let each = |b: &mut FnBuilder<'_>| if n == 1 { b.index(0) } else { b.for_loop(n, Pipelined, "k") };
    let m = super::softmax::slice_max(b, x, &at, n, Type::F32, true);
    let outside = b.at;
    let e = b.alloca(&[n], Type::F32, "e", cfg.parallel);
    let acc = b.alloca(&[2, lanes], Type::F32, "lanes", true);
    let zero = b.fconst(0.0);
    let ij = b.loop_nest(&[2, lanes], Outer, &["a", "q"]);
    b.store(zero, acc, &ij);
    b.at = outside;
    let k = each(b);
    let v = b.load(x, &at(k));
    let d = b.farith('-', v, m);
    let ev = b.exp(d);
    b.store(ev, e, &[k]);
    let vectors = (n + lanes - 1) / lanes;
    let vl = b.delinearize(k, &[vectors, lanes]);
    let which = b.delinearize(vl[0], &[(vectors + 1) / 2, 2])[1];
    let cur = b.load(acc, &[which, vl[1]]);
    let next = b.farith('+', cur, ev);
    b.store(next, acc, &[which, vl[1]]);
    b.at = outside;
    let (c0, c1) = (b.index(0), b.index(1));
    let mut partial: Vec<ValueId> = (0..lanes)
        .map(|l| {
            let li = b.index(l);
            let (a0, a1) = (b.load(acc, &[c0, li]), b.load(acc, &[c1, li]));
            b.farith('+', a0, a1)
        })
        .collect();
    while partial.len() > 1 {
        partial = partial.chunks(2).map(|p| b.farith('+', p[0], p[1])).collect();
    }
    let one = b.fconst(1.0);
    let r = b.farith('/', one, partial[0]);
    let k = each(b);
    let ek = b.load(e, &[k]);
    let yv = b.farith('*', ek, r);
    b.store(yv, y, &at(k));
    b.at = saved;
}

/// A scalar parameter as a constant, a vector one as a rom read with broadcasting.
struct Param {
    scalar: Option<f32>,
    rom: Option<(ValueId, Vec<i64>)>,
}

fn param(b: &mut FnBuilder<'_>, attrs: &[(String, Attribute)], key: &str, name: &str) -> Option<Param> {
    let d = attrs.iter().find(|(n, _)| n == key)?.1.as_dense()?.clone();
    let vals = d.to_f32_vec();
    let shape = d.ty.shape().unwrap_or(&[]).to_vec();
    if vals.iter().all(|&v| v == vals[0]) {
        return Some(Param { scalar: Some(vals[0]), rom: None });
    }
    let rom = b.from(&vals, &shape, &format!("{name}_{key}"), None);
    Some(Param { scalar: None, rom: Some((rom, shape)) })
}

fn read(b: &mut FnBuilder<'_>, p: &Param, ivs: &[ValueId]) -> ValueId {
    match (&p.scalar, &p.rom) {
        (Some(v), _) => b.fconst(*v),
        (None, Some((rom, shape))) => {
            let idx = broadcast(b, ivs, shape);
            b.load(*rom, &idx)
        }
        _ => unreachable!("a parameter is scalar or a rom"),
    }
}

/// `qdf.fquant`: `t = x / s (+ z)`, clamp, round with the QONNX mode, `r - z` on the output grid.
#[allow(clippy::too_many_arguments)]
pub(crate) fn fquant(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, dims: &[i64], attrs: &[(String, Attribute)], out: &Type, name: &str) {
    let get = |k: &str| attrs.iter().find(|(n, _)| n == k).map(|(_, a)| a.clone());
    let rounding = get("rounding").and_then(|a| a.as_str().map(str::to_string)).unwrap_or_default();
    let (lo, hi) = (get("min").and_then(|a| a.as_float()), get("max").and_then(|a| a.as_float()));
    let scale = param(b, attrs, "scale", name);
    let zp = param(b, attrs, "zero_point", name);
    let to = Fixed::from_type(out).unwrap_or_else(|| Fixed::new(8, 8, true));
    // Integer codes before the zero point comes off: wide enough for the clamp range and a sign.
    let bound = lo.unwrap_or(-1.0).abs().max(hi.unwrap_or(1.0).abs()).max(1.0);
    let wr = (bound.log2().floor() as u32 + 3).max(3);
    let saved = b.at;
    let ivs = b.loop_nest(dims, Pipelined, &["i", "j", "k", "l", "n"]);
    let mut t = b.load(x, &ivs);
    if let Some(p) = &scale {
        let s = read(b, p, &ivs);
        t = b.farith('/', t, s);
    }
    if let Some(p) = &zp {
        let z = read(b, p, &ivs);
        t = b.farith('+', t, z);
    }
    let zero = b.fconst(0.0);
    let code_ty = int_fixed(wr + 1, "TRN");
    let neg = |b: &mut FnBuilder<'_>, v: ValueId| {
        let ty = b.m.ty(v).clone();
        let z = b.constant(&ty, 0);
        let d = b.sub(z, v);
        b.cast(d, &code_ty)
    };
    let floor = |b: &mut FnBuilder<'_>, v: ValueId| {
        let f = b.cast(v, &int_fixed(wr, "TRN"));
        b.cast(f, &code_ty)
    };
    // ceil(v) = -floor(-v)
    let ceil = |b: &mut FnBuilder<'_>, v: ValueId| {
        let nv = b.farith('-', zero, v);
        let f = b.cast(nv, &int_fixed(wr, "TRN"));
        neg(b, f)
    };
    let r = if rounding == "SIGN" {
        let ge = b.cmp("ge", t, zero);
        let (one, minus) = (b.constant(&code_ty, 1), b.constant(&code_ty, -1));
        b.select(ge, one, minus)
    } else {
        if let Some(lo) = lo {
            let c = b.fconst(lo as f32);
            t = b.max(t, c);
        }
        if let Some(hi) = hi {
            let c = b.fconst(hi as f32);
            t = b.min(t, c);
        }
        let negative = b.cmp("lt", t, zero);
        match rounding.as_str() {
            "ROUND" | "FLOOR" | "DOWN" => {
                let mode = match rounding.as_str() {
                    "ROUND" => "RND_CONV",
                    "FLOOR" => "TRN",
                    _ => "TRN_ZERO",
                };
                let f = b.cast(t, &int_fixed(wr, mode));
                b.cast(f, &code_ty)
            }
            "CEIL" => ceil(b, t),
            "UP" => {
                let (fl, ce) = (floor(b, t), ceil(b, t));
                b.select(negative, fl, ce)
            }
            "HALF_UP" | "HALF_DOWN" => {
                let nt = b.farith('-', zero, t);
                let a = b.select(negative, nt, t);
                let half = b.fconst(0.5);
                let mag = if rounding == "HALF_UP" {
                    let u = b.farith('+', a, half);
                    floor(b, u)
                } else {
                    let u = b.farith('-', a, half);
                    ceil(b, u)
                };
                let negm = neg(b, mag);
                b.select(negative, negm, mag)
            }
            _ => unreachable!("fquant rounding verified"),
        }
    };
    // r - z, the code on the output grid.
    let mut code = r;
    if let Some(p) = &zp {
        let zf = read(b, p, &ivs);
        let zi = b.cast(zf, &int_fixed(wr, "TRN"));
        let d = b.sub(code, zi);
        code = b.cast(d, &code_ty);
    }
    let as_int = Fixed::new(to.width, to.width as i64, to.signed).to_type();
    let c = b.cast(code, &as_int);
    let v = b.bitcast(c, out);
    b.store(v, y, &ivs);
    b.at = saved;
}
