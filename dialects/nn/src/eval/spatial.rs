//! Convolution, padding, pooling and transposition with ONNX semantics in float32.
//!
//! Sliding-window ops work on 2-D planes: a 1-D `[N, C, W]` input is the plane `[N, C, 1, W]` with
//! a window of height 1, so one loop nest serves both ranks. Orders of summation:
//! - conv: each output is the dot product of the weight row `(c, ky, kx)` with the im2col column,
//!   in that order, as MLAS's convolution GEMM does it (an FMA chain restarted every K block, the
//!   block from MLAS's split of the GEMM in `eval/mlas_conv.rs`, block sums added in order), then
//!   `+ bias`; padded positions contribute
//!   `0 * w`; with one filter per group (depthwise, a single output channel) the GEMM has one row
//!   and MLAS's M = 1 kernel sums the products in groups of 4 without FMA; with one output
//!   position MLAS multiplies the transposed problem with its transposed-B M = 1 kernel (8 lanes
//!   and a reduction tree; about 1 output in 25 still differs by an ulp there). Bit-identical to
//!   onnxruntime 1.32 in the tests otherwise;
//! - average pools: each window column summed top to bottom, the column sums added left to right,
//!   then divided by the count (MLAS's vector pooling kernel); with both `ceil_mode` and
//!   `count_include_pad`, or a width stride above 2, onnxruntime runs a scalar loop instead, which
//!   sums in row-major order; both are bit-identical to onnxruntime 1.32 in the tests;
//! - global average pool: each channel summed in four vector lanes, reduced as
//!   `(l0 + l2) + (l1 + l3)`, the remainder added in order, then divided by the count;
//! - conv_transpose: onnxruntime's GEMM (each column value an FMA chain over the group's input
//!   channels) then col2im (each output adds the column values reaching it in `(m, ky, kx)` order,
//!   starting from 0), then `+ bias`;
//! - max pool: the running maximum, column by column (NaN never wins, as with `>`).

use super::gemm::{dot_blocked, dot_m1, dot_m1_transposed};
use super::mlas_conv::{conv_segments, k_block_at, sgemm_k_block, REFERENCE_THREADS};
use super::{strides, Tensor};
use crate::spatial::Window;

/// A window over a 2-D plane: `[height, width]` pairs.
struct Plane {
    kernel: [usize; 2],
    strides: [usize; 2],
    begin: [i64; 2],
    end: [i64; 2],
    dilations: [usize; 2],
}

impl Plane {
    /// The plane form of `w` (one or two spatial axes).
    fn of(w: &Window) -> Plane {
        let n = w.kernel.len();
        let two = |v: &[i64], fill: i64| if n == 1 { [fill, v[0]] } else { [v[0], v[1]] };
        let (k, s, d) = (two(&w.kernel, 1), two(&w.strides, 1), two(&w.dilations, 1));
        Plane {
            kernel: k.map(|v| v as usize),
            strides: s.map(|v| v as usize),
            begin: two(&w.pads[..n], 0),
            end: two(&w.pads[n..], 0),
            dilations: d.map(|v| v as usize),
        }
    }

    /// The input coordinate of window offset `k` on axis `a` for output `o`, possibly outside.
    fn at(&self, a: usize, o: usize, k: usize) -> i64 {
        (o * self.strides[a] + k * self.dilations[a]) as i64 - self.begin[a]
    }
}

/// `[N, C, H, W]` of a rank-3 or rank-4 shape.
fn nchw(shape: &[i64]) -> Result<[usize; 4], String> {
    match *shape {
        [n, c, w] => Ok([n as usize, c as usize, 1, w as usize]),
        [n, c, h, w] => Ok([n as usize, c as usize, h as usize, w as usize]),
        _ => Err(format!("expected [N, C, W] or [N, C, H, W], got {shape:?}")),
    }
}

/// The output shape and its plane size `[oh, ow]`.
fn output(x: &Tensor, channels: i64, w: &Window) -> Result<(Vec<i64>, [usize; 2]), String> {
    let shape = w.result_shape(&x.shape, channels)?;
    let [_, _, oh, ow] = nchw(&shape)?;
    Ok((shape, [oh, ow]))
}

/// ONNX Conv: `x` `[N, C, ...]`, `weight` `[M, C / group, k...]`, `bias` `[M]`.
pub fn conv(x: &Tensor, weight: &Tensor, bias: &Tensor, w: &Window, group: usize) -> Result<Tensor, String> {
    let [n, c, h, wd] = nchw(&x.shape)?;
    let [m, cg, kh, kw] = nchw(&weight.shape)?;
    if group == 0 || cg * group != c || m % group != 0 || bias.shape != [m as i64] {
        return Err(format!("conv shapes {:?} * {:?} + {:?} do not fit group {group}", x.shape, weight.shape, bias.shape));
    }
    let p = Plane::of(w);
    let (shape, [oh, ow]) = output(x, m as i64, w)?;
    let taps = kh * kw;
    let segments = conv_segments(m / group, oh * ow, cg * taps, n * group, REFERENCE_THREADS);
    let mut products = vec![0.0f32; cg * taps];
    let mut data = Vec::with_capacity(n * m * oh * ow);
    for b in 0..n {
        for oc in 0..m {
            let first = oc / (m / group) * cg;
            for oy in 0..oh {
                for ox in 0..ow {
                    let input = |i: usize| {
                        let (ci, ky, kx) = (i / taps, i % taps / kw, i % kw);
                        let (y, xx) = (p.at(0, oy, ky), p.at(1, ox, kx));
                        if y < 0 || xx < 0 || y >= h as i64 || xx >= wd as i64 {
                            return 0.0;
                        }
                        x.data[((b * c + first + ci) * h + y as usize) * wd + xx as usize]
                    };
                    let wt = |i: usize| weight.data[oc * cg * taps + i];
                    let v = if m == group || oh * ow == 1 {
                        products.iter_mut().enumerate().for_each(|(i, p)| *p = input(i) * wt(i));
                        if m == group {
                            dot_m1(&products, 0.0)
                        } else {
                            // One output position: MLAS computes the transposed product, one row.
                            dot_m1_transposed(&products, oc % (m / group), m / group, 0.0)
                        }
                    } else {
                        dot_blocked(cg * taps, k_block_at(&segments, oy * ow + ox), None, input, wt)
                    };
                    data.push(v + bias.data[oc]);
                }
            }
        }
    }
    Tensor::new(shape, data)
}

/// ONNX ConvTranspose: `x` `[N, C, ...]`, `weight` `[C, M / group, k...]`, `bias` `[M]`, output
/// sizes from [`Window::transposed_dims`].
pub fn conv_transpose(
    x: &Tensor,
    weight: &Tensor,
    bias: &Tensor,
    w: &Window,
    output_padding: &[i64],
    group: usize,
) -> Result<Tensor, String> {
    let [n, c, h, wd] = nchw(&x.shape)?;
    let [cw, mg, kh, kw] = nchw(&weight.shape)?;
    if group == 0 || cw != c || c % group != 0 || bias.shape != [(mg * group) as i64] {
        return Err(format!("conv_transpose shapes {:?} * {:?} + {:?} do not fit group {group}", x.shape, weight.shape, bias.shape));
    }
    let m = mg * group;
    let mut shape = vec![n as i64, m as i64];
    shape.extend(w.transposed_dims(&x.shape[2..], output_padding)?);
    let [_, _, oh, ow] = nchw(&shape)?;
    let p = Plane::of(w);
    let (cg, taps, positions) = (c / group, kh * kw, h * wd);
    // onnxruntime's GEMM: column rows (m, ky, kx) times the input positions, summed over the
    // group's channels; the weight is prepacked (A not transposed) unless a dimension is 1.
    let rows = mg * taps;
    let k_block = sgemm_k_block(cg, positions);
    let mut products = vec![0.0f32; cg];
    let mut data = vec![0.0f32; n * m * oh * ow];
    for b in 0..n {
        for g in 0..group {
            for r in 0..rows {
                let (oc, ky, kx) = (g * mg + r / taps, r % taps / kw, r % kw);
                let wt = |ci: usize| weight.data[((g * cg + ci) * mg + r / taps) * taps + ky * kw + kx];
                for iy in 0..h {
                    for ix in 0..wd {
                        let input = |ci: usize| x.data[((b * c + g * cg + ci) * h + iy) * wd + ix];
                        let col = if positions == 1 && cg > 1 {
                            // One input position: MLAS's N = 1 path, the transposed-B M = 1 kernel
                            // for a prepacked weight.
                            products.iter_mut().enumerate().for_each(|(i, p)| *p = input(i) * wt(i));
                            if rows > 1 {
                                dot_m1_transposed(&products, r, rows, 0.0)
                            } else {
                                dot_m1(&products, 0.0)
                            }
                        } else {
                            dot_blocked(cg, k_block, None, input, wt)
                        };
                        let (oy, ox) = (p.at(0, iy, ky), p.at(1, ix, kx));
                        if oy >= 0 && ox >= 0 && oy < oh as i64 && ox < ow as i64 {
                            data[((b * m + oc) * oh + oy as usize) * ow + ox as usize] += col;
                        }
                    }
                }
            }
        }
    }
    for (i, v) in data.iter_mut().enumerate() {
        *v += bias.data[i / (oh * ow) % m];
    }
    Tensor::new(shape, data)
}


/// What a pooling window computes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pooling {
    Max,
    /// Average; `true` counts padded positions (ONNX `count_include_pad`).
    Average(bool),
}

/// ONNX MaxPool / AveragePool over the window `w`.
pub fn pool(x: &Tensor, w: &Window, kind: Pooling) -> Result<Tensor, String> {
    let [n, c, h, wd] = nchw(&x.shape)?;
    let p = Plane::of(w);
    let (shape, [oh, ow]) = output(x, c as i64, w)?;
    let size = [h as i64, wd as i64];
    // MLAS's vector kernel sums by columns; onnxruntime's scalar loops (ceil-mode averages over
    // padding, width strides above 2) sum in row-major order.
    let row_major = (kind == Pooling::Average(true) && w.ceil) || p.strides[1] > 2;
    let mut data = Vec::with_capacity(n * c * oh * ow);
    for plane in x.data.chunks(h * wd).take(n * c) {
        for oy in 0..oh {
            for ox in 0..ow {
                let (mut max, mut sum, mut inside, mut padded) = (f32::NEG_INFINITY, 0.0f32, 0usize, 0usize);
                let (outer, inner) = if row_major { (p.kernel[0], p.kernel[1]) } else { (p.kernel[1], p.kernel[0]) };
                for a in 0..outer {
                    let mut part = 0.0f32;
                    for b in 0..inner {
                        let (ky, kx) = if row_major { (a, b) } else { (b, a) };
                        let at = [p.at(0, oy, ky), p.at(1, ox, kx)];
                        if (0..2).all(|a| at[a] >= 0 && at[a] < size[a]) {
                            let v = plane[at[0] as usize * wd + at[1] as usize];
                            if v > max {
                                max = v;
                            }
                            if row_major {
                                sum += v;
                            } else {
                                part += v;
                            }
                            inside += 1;
                        } else if (0..2).all(|a| at[a] >= -p.begin[a] && at[a] < size[a] + p.end[a]) {
                            padded += 1;
                        }
                    }
                    if !row_major {
                        sum += part;
                    }
                }
                data.push(match kind {
                    Pooling::Max => max,
                    Pooling::Average(false) => sum / inside as f32,
                    Pooling::Average(true) => sum / (inside + padded) as f32,
                });
            }
        }
    }
    Tensor::new(shape, data)
}

/// ONNX GlobalAveragePool: each channel's spatial elements summed in order, divided by their count.
pub fn global_average_pool(x: &Tensor) -> Result<Tensor, String> {
    if x.shape.len() < 3 {
        return Err(format!("expected [N, C, ...], got {:?}", x.shape));
    }
    let inner = x.shape[2..].iter().product::<i64>().max(1) as usize;
    let data = x.data.chunks(inner).map(|ch| lane_sum(ch) / inner as f32).collect();
    let mut shape = x.shape[..2].to_vec();
    shape.resize(x.shape.len(), 1);
    Tensor::new(shape, data)
}

/// ONNX GlobalMaxPool: the maximum of each channel's spatial elements (NaN never wins).
pub fn global_max_pool(x: &Tensor) -> Result<Tensor, String> {
    if x.shape.len() < 3 {
        return Err(format!("expected [N, C, ...], got {:?}", x.shape));
    }
    let inner = x.shape[2..].iter().product::<i64>().max(1) as usize;
    let max = |ch: &[f32]| ch.iter().fold(f32::NEG_INFINITY, |m, &v| if v > m { v } else { m });
    let mut shape = x.shape[..2].to_vec();
    shape.resize(x.shape.len(), 1);
    Tensor::new(shape, x.data.chunks(inner).map(max).collect())
}

/// MLAS's vector reduction: four lane sums, reduced as `(l0 + l2) + (l1 + l3)`, then the elements
/// past the last full group of four added in order.
fn lane_sum(v: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 4];
    let mut groups = v.chunks_exact(4);
    for g in &mut groups {
        for (l, &x) in lanes.iter_mut().zip(g) {
            *l += x;
        }
    }
    groups.remainder().iter().fold((lanes[0] + lanes[2]) + (lanes[1] + lanes[3]), |s, &x| s + x)
}

/// ONNX Pad in constant mode: `pads` two per axis (begin pads, then end pads), new elements `value`.
pub fn pad(x: &Tensor, pads: &[i64], value: f32) -> Result<Tensor, String> {
    let shape = crate::spatial::pad_shape(&x.shape, pads)?;
    let r = x.shape.len();
    let mut out = Tensor::splat(&shape, value);
    let (src, dst) = (strides(&x.shape), strides(&shape));
    for (i, &v) in x.data.iter().enumerate() {
        let at: usize = (0..r).map(|a| (i / src[a] % x.shape[a] as usize + pads[a] as usize) * dst[a]).sum();
        out.data[at] = v;
    }
    Ok(out)
}

/// ONNX Transpose: output axis `i` is input axis `perm[i]`.
pub fn transpose(x: &Tensor, perm: &[i64]) -> Result<Tensor, String> {
    let shape = crate::layout::transpose_shape(&x.shape, perm)?;
    let (src, dst) = (strides(&x.shape), strides(&shape));
    let mut data = vec![0.0f32; x.len()];
    for (i, slot) in data.iter_mut().enumerate() {
        let at: usize = perm.iter().enumerate().map(|(a, &p)| i / dst[a] % shape[a] as usize * src[p as usize]).sum();
        *slot = x.data[at];
    }
    Tensor::new(shape, data)
}
