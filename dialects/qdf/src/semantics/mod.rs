//! The exact reference semantics of every `qdf` op, on integer mantissas.
//!
//! This is THE specification: the HLS lowering and the C++ emitter must produce the same mantissas
//! bit for bit, and a reference interpreter evaluates IR with these functions. All arithmetic is on
//! `i128`; the op verifiers keep every intermediate within 126 bits.
//!
//! Notation: `convert<T>(v)` turns the exact value `v` into type T by rounding to T's grid with T's
//! rounding mode, then applying T's overflow mode ([`FixedType::convert`]); this is `ap_fixed`
//! assignment. A mantissa `m` of type T stands for `m * 2^-T.frac_bits()`.
//!
//! The functions expect what the op verifiers guarantee (matching shapes, widths in range); they
//! may panic on anything else.

pub mod float;
pub mod requant;
pub mod resample;
pub mod spatial;

use crate::fixed::FixedType;
use crate::verify::{broadcast_shapes, matmul_shape};

/// A tensor of fixed-point values: row-major mantissas of one type.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Tensor {
    pub ty: FixedType,
    pub shape: Vec<i64>,
    pub data: Vec<i128>,
}

impl Tensor {
    /// A tensor from mantissas (`data.len()` must equal the shape's element count).
    pub fn new(ty: FixedType, shape: &[i64], data: Vec<i128>) -> Tensor {
        Tensor { ty, shape: shape.to_vec(), data }
    }

    /// The exact values rounded to f64 (for tests and error reports).
    pub fn to_f64(&self) -> Vec<f64> {
        self.data.iter().map(|&m| self.ty.to_f64(m)).collect()
    }
}

/// A piecewise-linear table: `samples[s]` (mantissas of `ty`) is the function at input mantissa
/// `lo + s * 2^step_shift`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Table {
    pub samples: Vec<i128>,
    pub ty: FixedType,
    pub lo: i128,
    pub step_shift: u32,
}

/// The exact sum of `a * 2^-fa` and `b * 2^-fb` as (mantissa, fractional bits).
pub fn add_exact(a: i128, fa: i64, b: i128, fb: i64) -> (i128, i64) {
    let f = fa.max(fb);
    ((a << (f - fa)) + (b << (f - fb)), f)
}

/// `qdf.quantize`: each float, exactly, converted into `out`.
pub fn quantize(x: &[f32], shape: &[i64], out: FixedType) -> Tensor {
    Tensor::new(out, shape, x.iter().map(|&v| out.quantize_f64(v as f64)).collect())
}

/// `qdf.dequantize`: the nearest f32 to each exact value, ties to even.
pub fn dequantize(x: &Tensor) -> Vec<f32> {
    x.data.iter().map(|&m| x.ty.to_f32(m)).collect()
}

/// `qdf.cast`: `convert<out>(x)`.
pub fn cast(x: &Tensor, out: FixedType) -> Tensor {
    let data = x.data.iter().map(|&m| out.cast(m, &x.ty)).collect();
    Tensor::new(out, &x.shape, data)
}

/// `qdf.reshape`: the same mantissas under a new shape.
pub fn reshape(x: &Tensor, shape: &[i64]) -> Tensor {
    Tensor::new(x.ty, shape, x.data.clone())
}

pub use fpgaopt_ir::shape::slice_shape;

/// `qdf.slice` on row-major data of `shape`: elements `start .. start + size` along axis `axis`
/// (already in range; the result shape is `out`).
pub fn slice_data<T: Copy>(data: &[T], shape: &[i64], out: &[i64], start: i64) -> Vec<T> {
    let a = shape.iter().zip(out).position(|(s, o)| s != o).unwrap_or(0);
    let inner: i64 = shape[a + 1..].iter().product();
    let (run, from, len) = ((shape[a] * inner) as usize, (start * inner) as usize, (out[a] * inner) as usize);
    let outer = data.len().checked_div(run).unwrap_or(0);
    (0..outer).flat_map(|o| data[o * run + from..o * run + from + len].iter().copied()).collect()
}

/// `qdf.concat` on row-major data: the parts (data, shape) one after the other along the axis
/// where `out` differs from the first part's shape (or axis 0).
pub fn concat_data<T: Copy>(parts: &[(&[T], &[i64])], out: &[i64], axis: usize) -> Vec<T> {
    let inner: i64 = out[axis + 1..].iter().product();
    let outer: i64 = out[..axis].iter().product();
    let mut data = Vec::with_capacity(out.iter().product::<i64>() as usize);
    for o in 0..outer as usize {
        for (d, s) in parts {
            let run = (s[axis] * inner) as usize;
            data.extend_from_slice(&d[o * run..(o + 1) * run]);
        }
    }
    data
}

/// `qdf.slice` of a fixed-point tensor to shape `out`.
pub fn slice(x: &Tensor, out: &[i64], start: i64) -> Tensor {
    Tensor::new(x.ty, out, slice_data(&x.data, &x.shape, out, start))
}

/// `qdf.dense`: per output, `acc = convert<acc>(b[j])`, then for k ascending
/// `acc = convert<acc>(acc + x[k] * w[k][j])` (exact product and sum), then `convert<out>(acc)`.
pub fn dense(x: &Tensor, w: &Tensor, b: &Tensor, acc: FixedType, out: FixedType) -> Tensor {
    let (k, n) = (w.shape[0] as usize, w.shape[1] as usize);
    let rows = x.data.len().checked_div(k).unwrap_or(0);
    let fp = x.ty.frac_bits() + w.ty.frac_bits();
    let fa = acc.frac_bits();
    let mut data = Vec::with_capacity(rows * n);
    for r in 0..rows {
        for j in 0..n {
            let mut a = acc.cast(b.data[j], &b.ty);
            for kk in 0..k {
                let p = x.data[r * k + kk] * w.data[kk * n + j];
                let (s, f) = add_exact(a, fa, p, fp);
                a = acc.convert(s, f);
            }
            data.push(out.cast(a, &acc));
        }
    }
    let mut shape = x.shape.clone();
    if let Some(l) = shape.last_mut() {
        *l = n as i64;
    }
    Tensor::new(out, &shape, data)
}

/// For each element of `out_shape`, the linear index of the broadcast operand of shape `s`.
pub fn broadcast_index(out_shape: &[i64], s: &[i64]) -> Vec<usize> {
    let n = out_shape.len();
    let total: i64 = out_shape.iter().product();
    let mut strides = vec![0usize; n];
    let mut st = 1usize;
    for i in (0..s.len()).rev() {
        let oi = i + n - s.len();
        strides[oi] = if s[i] == 1 { 0 } else { st };
        st *= s[i] as usize;
    }
    let mut idx = vec![0i64; n];
    let mut out = Vec::with_capacity(total as usize);
    for _ in 0..total {
        out.push(idx.iter().zip(&strides).map(|(&i, &s)| i as usize * s).sum());
        for d in (0..n).rev() {
            idx[d] += 1;
            if idx[d] < out_shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    out
}

/// `qdf.matmul`: per output, `acc = 0`, then for k ascending `acc = convert<acc>(acc + a * b)`,
/// then `convert<out>(acc)`; numpy shapes.
pub fn matmul(a: &Tensor, b: &Tensor, acc: FixedType, out: FixedType) -> Tensor {
    let shape = matmul_shape(&a.shape, &b.shape).unwrap_or_default();
    let a2 = if a.shape.len() == 1 { vec![1, a.shape[0]] } else { a.shape.clone() };
    let b2 = if b.shape.len() == 1 { vec![b.shape[0], 1] } else { b.shape.clone() };
    let (m, k, n) = (a2[a2.len() - 2] as usize, a2[a2.len() - 1] as usize, b2[b2.len() - 1] as usize);
    let (ba, bb) = (&a2[..a2.len() - 2], &b2[..b2.len() - 2]);
    let batch = broadcast_shapes(ba, bb).unwrap_or_default();
    let (ia, ib) = (broadcast_index(&batch, ba), broadcast_index(&batch, bb));
    let fp = a.ty.frac_bits() + b.ty.frac_bits();
    let fa = acc.frac_bits();
    let mut data = vec![];
    for (&oa, &ob) in ia.iter().zip(&ib) {
        for i in 0..m {
            for j in 0..n {
                let mut s = 0i128;
                for kk in 0..k {
                    let p = a.data[oa * m * k + i * k + kk] * b.data[ob * k * n + kk * n + j];
                    let (v, f) = add_exact(s, fa, p, fp);
                    s = acc.convert(v, f);
                }
                data.push(out.cast(s, &acc));
            }
        }
    }
    Tensor::new(out, &shape, data)
}

fn elementwise(a: &Tensor, b: &Tensor, out: FixedType, f: impl Fn(i128, i128) -> (i128, i64)) -> Tensor {
    let shape = broadcast_shapes(&a.shape, &b.shape).unwrap_or_default();
    let (ia, ib) = (broadcast_index(&shape, &a.shape), broadcast_index(&shape, &b.shape));
    let data = ia
        .iter()
        .zip(&ib)
        .map(|(&i, &j)| {
            let (v, fv) = f(a.data[i], b.data[j]);
            out.convert(v, fv)
        })
        .collect();
    Tensor::new(out, &shape, data)
}

/// `qdf.add`: `convert<out>(a + b)` with numpy broadcasting.
pub fn add(a: &Tensor, b: &Tensor, out: FixedType) -> Tensor {
    let (fa, fb) = (a.ty.frac_bits(), b.ty.frac_bits());
    elementwise(a, b, out, |x, y| add_exact(x, fa, y, fb))
}

/// `qdf.sub`: `convert<out>(a - b)` with numpy broadcasting.
pub fn sub(a: &Tensor, b: &Tensor, out: FixedType) -> Tensor {
    let (fa, fb) = (a.ty.frac_bits(), b.ty.frac_bits());
    elementwise(a, b, out, |x, y| add_exact(x, fa, -y, fb))
}

/// `qdf.mul`: `convert<out>(a * b)` with numpy broadcasting.
pub fn mul(a: &Tensor, b: &Tensor, out: FixedType) -> Tensor {
    let f = a.ty.frac_bits() + b.ty.frac_bits();
    elementwise(a, b, out, |x, y| (x * y, f))
}

fn map(x: &Tensor, out: FixedType, f: impl Fn(i128) -> (i128, i64)) -> Tensor {
    let data = x
        .data
        .iter()
        .map(|&m| {
            let (v, fv) = f(m);
            out.convert(v, fv)
        })
        .collect();
    Tensor::new(out, &x.shape, data)
}

/// `qdf.relu`: `convert<out>(max(x, 0))`.
pub fn relu(x: &Tensor, out: FixedType) -> Tensor {
    let f = x.ty.frac_bits();
    map(x, out, |m| (m.max(0), f))
}

/// `qdf.leaky_relu`: `convert<out>(x >= 0 ? x : alpha * x)`, alpha a mantissa of `alpha_ty`.
pub fn leaky_relu(x: &Tensor, alpha: i128, alpha_ty: FixedType, out: FixedType) -> Tensor {
    let (fx, fp) = (x.ty.frac_bits(), x.ty.frac_bits() + alpha_ty.frac_bits());
    map(x, out, |m| if m >= 0 { (m, fx) } else { (m * alpha, fp) })
}

/// `qdf.clip`: `convert<out>(clamp(x, min, max))`, bounds are mantissas on x's grid.
pub fn clip(x: &Tensor, min: Option<i128>, max: Option<i128>, out: FixedType) -> Tensor {
    let f = x.ty.frac_bits();
    map(x, out, |m| {
        let m = min.map_or(m, |lo| m.max(lo));
        (max.map_or(m, |hi| m.min(hi)), f)
    })
}

/// The table lookup shared by `qdf.table` and `qdf.softmax`: a mantissa of `t.ty` for input
/// mantissa `x`. `t = x - lo`; below the table: `samples[0]`; past it: `samples[N]`; otherwise
/// `samples[i] + ((samples[i+1] - samples[i]) * f) >> k` with `i = t >> k`, `f = t - (i << k)`
/// and `>>` a floor shift.
pub fn lookup(t: &Table, x: i128) -> i128 {
    let n = t.samples.len() as i128 - 1;
    let d = x - t.lo;
    if d < 0 {
        return t.samples[0];
    }
    let i = d >> t.step_shift;
    if i >= n {
        return t.samples[n as usize];
    }
    let f = d - (i << t.step_shift);
    let (y0, y1) = (t.samples[i as usize], t.samples[i as usize + 1]);
    y0 + (((y1 - y0) * f) >> t.step_shift)
}

/// `qdf.table`: `convert<out>(lookup(x))`.
pub fn table(x: &Tensor, t: &Table, out: FixedType) -> Tensor {
    let f = t.ty.frac_bits();
    map(x, out, |m| (lookup(t, m), f))
}

/// `qdf.softmax` along `axis`: `d = x - max`, `e = lookup(exp, d)`, `s = sum e` converting into
/// `sum_ty` after each step, `y = floor(e * 2^(F_out + F_sum - F_exp) / s)` then `out`'s overflow
/// mode (`y = 0` when `s <= 0`).
pub fn softmax(x: &Tensor, axis: usize, exp: &Table, sum_ty: FixedType, out: FixedType) -> Tensor {
    let n = x.shape[axis] as usize;
    let inner: usize = x.shape[axis + 1..].iter().product::<i64>() as usize;
    let outer: usize = x.shape[..axis].iter().product::<i64>() as usize;
    let (fe, fs, fo) = (exp.ty.frac_bits(), sum_ty.frac_bits(), out.frac_bits());
    let shift = fo + fs - fe;
    let mut data = vec![0i128; x.data.len()];
    for o in 0..outer {
        for i in 0..inner {
            let at = |k: usize| (o * n + k) * inner + i;
            let m = (0..n).map(|k| x.data[at(k)]).max().unwrap_or(0);
            let e: Vec<i128> = (0..n).map(|k| lookup(exp, x.data[at(k)] - m)).collect();
            let mut s = 0i128;
            for &v in &e {
                let (t, f) = add_exact(s, fs, v, fe);
                s = sum_ty.convert(t, f);
            }
            for (k, &v) in e.iter().enumerate() {
                data[at(k)] = if s <= 0 {
                    0
                } else {
                    let q = if shift >= 0 { (v << shift) / s } else { v / (s << -shift) };
                    out.convert(q, fo)
                };
            }
        }
    }
    Tensor::new(out, &x.shape, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::{Overflow, Rounding};

    fn t(ty: FixedType, shape: &[i64], data: &[i128]) -> Tensor {
        Tensor::new(ty, shape, data.to_vec())
    }

    #[test]
    fn dense_accumulates_in_order_with_the_acc_type() {
        let q4 = FixedType::new(8, 4); // LSB 1/16
        let x = t(q4, &[1, 2], &[16, -8]); // [1.0, -0.5]
        let w = t(q4, &[2, 2], &[32, 4, 16, 1]); // [[2.0, 0.25], [1.0, 0.0625]]
        let b = t(q4, &[2], &[8, -1]); // [0.5, -0.0625]
        let acc = FixedType::new(20, 12); // 8 fractional bits: exact
        let y = dense(&x, &w, &b, acc, q4);
        // y0 = 0.5 + 2 - 0.5 = 2.0; y1 = -0.0625 + 0.25 - 0.03125 = 0.15625 -> TRN to 2/16
        assert_eq!(y.data, vec![32, 2]);
        assert_eq!(y.shape, vec![1, 2]);
        // A saturating 5-bit accumulator clamps at every step: 0.5 + 2.0 -> 0.9375, then -0.5.
        let small = FixedType::new(5, 1).with_modes(Rounding::Trn, Overflow::Sat); // [-1, 0.9375]
        let y = dense(&x, &w, &b, small, q4);
        assert_eq!(y.data[0], 7); // 0.4375 = 7/16
    }

    #[test]
    fn matmul_broadcasts_batches() {
        let q = FixedType::new(8, 8);
        let a = t(q, &[2, 1, 2], &[1, 2, 3, 4]);
        let b = t(q, &[2, 1], &[10, 1]);
        let y = matmul(&a, &b, FixedType::new(16, 16), q);
        assert_eq!((y.shape.clone(), y.data.clone()), (vec![2, 1, 1], vec![12, 34]));
        let v = matmul(&t(q, &[2], &[1, 2]), &t(q, &[2], &[3, 4]), FixedType::new(16, 16), q);
        assert_eq!((v.shape, v.data), (vec![], vec![11]));
    }

    #[test]
    fn elementwise_ops_are_exact_then_converted() {
        let a = t(FixedType::new(8, 4), &[2, 1], &[1, -1]); // 1/16, -1/16
        let b = t(FixedType::new(8, 6), &[3], &[1, 2, -1]); // 1/4, 1/2, -1/4
        let out = FixedType::new(8, 6).with_modes(Rounding::Rnd, Overflow::Sat);
        // 1/16 + 1/4 = 5/16 -> 1.25 LSB -> 1; 1/16 + 1/2 -> 2.25 -> 2; 1/16 - 1/4 = -0.75 LSB -> -1
        assert_eq!(add(&a, &b, out).data, vec![1, 2, -1, 1, 2, -1]);
        assert_eq!(sub(&a, &b, out).data, vec![-1, -2, 1, -1, -2, 1]);
        let p = mul(&t(FixedType::new(8, 4), &[1], &[40]), &t(FixedType::new(8, 4), &[1], &[40]), FixedType::new(8, 4).with_modes(Rounding::Trn, Overflow::Sat));
        assert_eq!(p.data, vec![100]); // 2.5 * 2.5 = 6.25
    }

    #[test]
    fn activations() {
        let q = FixedType::new(8, 4);
        let x = t(q, &[4], &[-32, -3, 0, 20]);
        assert_eq!(relu(&x, q).data, vec![0, 0, 0, 20]);
        // alpha = 0.25 as fixed<4,1> mantissa 2 (3 fractional bits)
        assert_eq!(leaky_relu(&x, 2, FixedType::new(4, 1), q).data, vec![-8, -1, 0, 20]); // -3/4 LSB -> floor -1
        assert_eq!(clip(&x, Some(-4), Some(16), q).data, vec![-4, -3, 0, 16]);
        assert_eq!(clip(&x, None, Some(0), q).data, vec![-32, -3, 0, 0]);
        assert_eq!(dequantize(&x), vec![-2.0, -0.1875, 0.0, 1.25]);
        assert_eq!(quantize(&[0.1, -0.1], &[2], q).data, vec![1, -2]);
    }

    #[test]
    fn table_interpolates_with_floor_shifts() {
        let tbl = Table { samples: vec![0, 10, 30, 31], ty: FixedType::new(8, 8), lo: -8, step_shift: 2 };
        // x: below, first sample, inside, next sample, last interval, last sample, beyond
        let got: Vec<i128> = [-20, -8, -7, -4, -2, 1, 4, 100].iter().map(|&x| lookup(&tbl, x)).collect();
        // -7: 0 + (10*1)>>2 = 2; -2: 10 + (20*2)>>2 = 20; 1: t = 9, i = 2, f = 1: 30 + (1*1)>>2 = 30
        assert_eq!(got, vec![0, 0, 2, 10, 20, 30, 31, 31]);
        let falling = Table { samples: vec![10, 0], ty: FixedType::new(8, 8), lo: 0, step_shift: 2 };
        assert_eq!(lookup(&falling, 1), 7); // 10 + floor(-10 / 4) = 10 - 3
        let y = table(&t(FixedType::new(8, 8), &[2], &[-7, 4]), &tbl, FixedType::new(8, 6));
        assert_eq!(y.data, vec![8, 124]); // converted to 2 fractional bits
    }

    #[test]
    fn softmax_divides_exactly_and_truncates() {
        let q = FixedType::new(16, 6); // 10 fractional bits
        // exp table over d in [-4, 0] on this grid with 4 intervals: exp(-4), exp(-3), ..., 1.
        let ety = FixedType::unsigned(13, 1); // 12 fractional bits
        let samples: Vec<i128> = (0..=4).map(|s| ety.with_modes(Rounding::RndConv, Overflow::Sat).quantize_f64(((s - 4) as f64).exp())).collect();
        let exp = Table { samples, ty: ety, lo: -4 << 10, step_shift: 10 };
        let sum = FixedType::unsigned(15, 3);
        let x = t(q, &[2, 2], &[0, 0, 1 << 10, 0]);
        let y = softmax(&x, 1, &exp, sum, q);
        // Equal inputs: floor(4096 * 2^10 / 8192) = 512 = 0.5.
        assert_eq!(&y.data[..2], &[512, 512]);
        // [1, 0]: e = [4096, 1507], s = 5603 -> floor(4096*1024/5603) = 748, floor(1507*1024/5603) = 275
        assert_eq!(&y.data[2..], &[748, 275]);
        // Along axis 0.
        let y0 = softmax(&x, 0, &exp, sum, q);
        assert_eq!(y0.data, vec![275, 512, 748, 512]);
    }
}
