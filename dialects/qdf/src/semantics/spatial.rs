//! Semantics of the channels-last window and layout ops: `qdf.conv`, `qdf.max_pool`,
//! `qdf.avg_pool`, `qdf.pad`, `qdf.transpose`. Feature maps are `[N, *S, C]`; windows never pad.

use fpgaopt_ir::shape::{strides, transpose_data};

use super::{add_exact, Tensor};
use crate::fixed::{FixedType, Rounding};

/// A window: sizes, strides and dilations per spatial axis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Window {
    pub kernel: Vec<i64>,
    pub strides: Vec<i64>,
    pub dilations: Vec<i64>,
}

/// Every multi-index of `dims` in row-major order.
pub fn indices(dims: &[i64]) -> Vec<Vec<i64>> {
    let total: i64 = dims.iter().product();
    let mut out = Vec::with_capacity(total.max(0) as usize);
    let mut idx = vec![0i64; dims.len()];
    for _ in 0..total {
        out.push(idx.clone());
        for a in (0..dims.len()).rev() {
            idx[a] += 1;
            if idx[a] < dims[a] {
                break;
            }
            idx[a] = 0;
        }
    }
    out
}

/// For a channels-last `[N, *S, C]` input and output spatial sizes `out`: for each (batch, output
/// position), the linear indices (channel 0) of the window's input pixels in row-major order.
fn windows(xs: &[i64], out: &[i64], w: &Window) -> Vec<Vec<usize>> {
    let st = strides(xs);
    let n = out.len();
    let taps = indices(&w.kernel);
    let mut res = vec![];
    for b in 0..xs[0] {
        for o in indices(out) {
            let pix = taps
                .iter()
                .map(|k| b as usize * st[0] + (0..n).map(|a| (o[a] * w.strides[a] + k[a] * w.dilations[a]) as usize * st[a + 1]).sum::<usize>())
                .collect();
            res.push(pix);
        }
    }
    res
}

/// The output shape `[N, *out, c]`.
fn out_shape(xs: &[i64], out: &[i64], c: i64) -> Vec<i64> {
    let mut s = vec![xs[0]];
    s.extend(out);
    s.push(c);
    s
}

/// `qdf.conv`: per output `acc = convert<acc>(b[m])`, then over window taps (row-major) and the
/// group's input channels `acc = convert<acc>(acc + x * w)`, then `convert<out>(acc)`.
pub fn conv(x: &Tensor, w: &Tensor, b: &Tensor, win: &Window, group: usize, out_dims: &[i64], acc: FixedType, out: FixedType) -> Tensor {
    let r = x.shape.len();
    let c = x.shape[r - 1] as usize;
    let (cg, m) = (w.shape[r - 2] as usize, w.shape[r - 1] as usize);
    let mg = m / group;
    let fp = x.ty.frac_bits() + w.ty.frac_bits();
    let fa = acc.frac_bits();
    let mut data = vec![];
    for pix in windows(&x.shape, out_dims, win) {
        for j in 0..m {
            let g = j / mg;
            let mut a = acc.cast(b.data[j], &b.ty);
            for (t, &p) in pix.iter().enumerate() {
                for ci in 0..cg {
                    let prod = x.data[p + g * cg + ci] * w.data[(t * cg + ci) * m + j];
                    let (s, f) = add_exact(a, fa, prod, fp);
                    a = acc.convert(s, f);
                }
            }
            data.push(out.cast(a, &acc));
        }
    }
    let _ = c;
    Tensor::new(out, &out_shape(&x.shape, out_dims, m as i64), data)
}

/// `qdf.max_pool`: `convert<out>(max(window))` per channel.
pub fn max_pool(x: &Tensor, win: &Window, out_dims: &[i64], out: FixedType) -> Tensor {
    let c = *x.shape.last().unwrap_or(&1) as usize;
    let mut data = vec![];
    for pix in windows(&x.shape, out_dims, win) {
        for ch in 0..c {
            let mx = pix.iter().map(|&p| x.data[p + ch]).max().unwrap_or(0);
            data.push(out.cast(mx, &x.ty));
        }
    }
    Tensor::new(out, &out_shape(&x.shape, out_dims, c as i64), data)
}

/// The mantissa of `1 / d` on `recip`'s grid, rounded to nearest with ties to even.
pub fn reciprocal(d: i64, recip: &FixedType) -> i128 {
    let f = recip.frac_bits();
    // 2^f / d with f + 2 bits more, converted with RND_CONV: exact rounding of the rational.
    let num = 1i128 << (f + 2).clamp(0, 120);
    let (q, r) = (num / d as i128, num % d as i128);
    // q holds two guard bits; a non-zero remainder is the sticky bit.
    let t = FixedType { width: 126, int_bits: 126 - f as i32, signed: true, rounding: Rounding::RndConv, overflow: recip.overflow };
    let v = t.convert((q << 1) | i128::from(r != 0), f + 3);
    recip.cast(v, &t)
}

/// `qdf.avg_pool`: the window sum in `acc` (row-major), times `reciprocal(divisor)`, converted.
pub fn avg_pool(x: &Tensor, win: &Window, out_dims: &[i64], divisors: &[i64], acc: FixedType, recip: FixedType, out: FixedType) -> Tensor {
    let c = *x.shape.last().unwrap_or(&1) as usize;
    let positions: i64 = out_dims.iter().product();
    let fa = acc.frac_bits();
    let mut data = vec![];
    for (i, pix) in windows(&x.shape, out_dims, win).into_iter().enumerate() {
        let r = reciprocal(divisors[i % positions.max(1) as usize], &recip);
        for ch in 0..c {
            let mut a = 0i128;
            for &p in &pix {
                let (s, f) = add_exact(a, fa, x.data[p + ch], x.ty.frac_bits());
                a = acc.convert(s, f);
            }
            data.push(out.convert(a * r, fa + recip.frac_bits()));
        }
    }
    Tensor::new(out, &out_shape(&x.shape, out_dims, c as i64), data)
}

/// Constant padding of row-major `data`: `pads` as ONNX (begin pads, then end pads).
pub fn pad_data<T: Copy>(data: &[T], shape: &[i64], pads: &[i64], value: T) -> (Vec<i64>, Vec<T>) {
    let n = shape.len();
    let out: Vec<i64> = (0..n).map(|i| shape[i] + pads[i] + pads[n + i]).collect();
    let st = strides(shape);
    let res = indices(&out)
        .into_iter()
        .map(|o| {
            let mut at = 0usize;
            for a in 0..n {
                let i = o[a] - pads[a];
                if i < 0 || i >= shape[a] {
                    return value;
                }
                at += i as usize * st[a];
            }
            data[at]
        })
        .collect();
    (out, res)
}

/// `qdf.pad` of a fixed-point tensor.
pub fn pad(x: &Tensor, pads: &[i64], value: i128) -> Tensor {
    let (shape, data) = pad_data(&x.data, &x.shape, pads, value);
    Tensor::new(x.ty, &shape, data)
}

/// `qdf.transpose` of a fixed-point tensor.
pub fn transpose(x: &Tensor, perm: &[i64]) -> Tensor {
    let shape: Vec<i64> = perm.iter().map(|&p| x.shape[p as usize]).collect();
    Tensor::new(x.ty, &shape, transpose_data(&x.data, &x.shape, perm))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(ty: FixedType, shape: &[i64], data: &[i128]) -> Tensor {
        Tensor::new(ty, shape, data.to_vec())
    }

    #[test]
    fn conv_sums_window_taps_then_channels() {
        let q = FixedType::new(16, 16);
        // 1x3x3x1 input 1..9, 2x2 kernel of ones on one channel, stride 1: window sums.
        let x = t(q, &[1, 3, 3, 1], &[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let w = t(q, &[2, 2, 1, 1], &[1, 1, 1, 1]);
        let b = t(q, &[1], &[100]);
        let win = Window { kernel: vec![2, 2], strides: vec![1, 1], dilations: vec![1, 1] };
        let y = conv(&x, &w, &b, &win, 1, &[2, 2], FixedType::new(32, 32), q);
        assert_eq!(y.data, vec![112, 116, 124, 128]);
        assert_eq!(y.shape, vec![1, 2, 2, 1]);
    }

    #[test]
    fn depthwise_conv_keeps_channels_apart() {
        let q = FixedType::new(16, 16);
        // 1x2 pixels x 2 channels; kernel 2 (1-D), group 2: per-channel weights 1 and 10.
        let x = t(q, &[1, 2, 2], &[1, 2, 3, 4]);
        let w = t(q, &[2, 1, 2], &[1, 10, 1, 10]);
        let b = t(q, &[2], &[0, 0]);
        let win = Window { kernel: vec![2], strides: vec![1], dilations: vec![1] };
        let y = conv(&x, &w, &b, &win, 2, &[1], FixedType::new(32, 32), q);
        assert_eq!(y.data, vec![4, 60]);
    }

    #[test]
    fn pools_and_reciprocals() {
        let q = FixedType::new(16, 12);
        let x = t(q, &[1, 2, 2, 1], &[1, 5, -3, 2]);
        let win = Window { kernel: vec![2, 2], strides: vec![2, 2], dilations: vec![1, 1] };
        assert_eq!(max_pool(&x, &win, &[1, 1], q).data, vec![5]);
        let r = FixedType::unsigned(9, 1);
        assert_eq!(reciprocal(4, &r), 64);
        assert_eq!(reciprocal(1, &r), 256);
        // 1/3 = 85.33 on 2^-8.
        assert_eq!(reciprocal(3, &r), 85);
        let y = avg_pool(&x, &win, &[1, 1], &[4], FixedType::new(20, 16), r, q);
        // The sum 5 (0.3125) times 0.25, truncated onto the 2^-4 grid: 1.
        assert_eq!(y.data, vec![1]);
    }

    #[test]
    fn pad_and_transpose_move_data() {
        let (s, d) = pad_data(&[1, 2], &[1, 2], &[0, 1, 0, 1], 0);
        assert_eq!((s, d), (vec![1, 4], vec![0, 1, 2, 0]));
        assert_eq!(transpose_data(&[1, 2, 3, 4, 5, 6], &[2, 3], &[1, 0]), vec![1, 4, 2, 5, 3, 6]);
    }
}
