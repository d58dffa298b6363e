//! Reference semantics of the float32 ops (`qdf.fadd` ... `qdf.fsoftmax`) and of `qdf.fquant`.
//!
//! Rust's `f32` arithmetic is IEEE binary32 with round-to-nearest-even and is never contracted, so
//! each function below states the reference order simply by writing it; `mul_add` is the one fused
//! operation (the `mlas_packed` order of `qdf.fdense`).

use super::{broadcast_index, Tensor};
use crate::fixed::FixedType;
use crate::verify::broadcast_shapes;

/// `f(a, b)` elementwise with numpy broadcasting; the result shape.
pub fn binary(sa: &[i64], a: &[f32], sb: &[i64], b: &[f32], f: impl Fn(f32, f32) -> f32) -> (Vec<i64>, Vec<f32>) {
    let shape = broadcast_shapes(sa, sb).unwrap_or_default();
    let (ia, ib) = (broadcast_index(&shape, sa), broadcast_index(&shape, sb));
    let data = ia.iter().zip(&ib).map(|(&i, &j)| f(a[i], b[j])).collect();
    (shape, data)
}

/// `qdf.frelu`: `x > 0 ? x : +0`.
pub fn relu(x: &[f32]) -> Vec<f32> {
    x.iter().map(|&v| if v > 0.0 { v } else { 0.0 }).collect()
}

/// The summation order of `qdf.fdense` (the onnxruntime kernel it reproduces).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DenseOrder {
    /// Prepacked weights: a fused multiply-add chain per block of 256 products.
    Packed,
    /// One row: products in groups of 4, no fused operations.
    M1,
    /// One row, transposed weights: 8 lane sums and a reduction tree.
    M1Transposed,
}

/// MLAS's K block for prepacked weights.
pub const K_BLOCK: usize = 256;

impl DenseOrder {
    pub const ALL: [DenseOrder; 3] = [DenseOrder::Packed, DenseOrder::M1, DenseOrder::M1Transposed];

    /// The order named `s` in the IR.
    pub fn parse(s: &str) -> Option<DenseOrder> {
        DenseOrder::ALL.into_iter().find(|o| o.name() == s)
    }

    /// The IR name.
    pub fn name(self) -> &'static str {
        match self {
            DenseOrder::Packed => "mlas_packed",
            DenseOrder::M1 => "mlas_m1",
            DenseOrder::M1Transposed => "mlas_m1_transposed",
        }
    }
}

fn dot_packed(k: usize, bias: Option<f32>, p: impl Fn(usize) -> (f32, f32)) -> f32 {
    let mut total = bias;
    for start in (0..k).step_by(K_BLOCK) {
        let mut acc = 0.0f32;
        for i in start..(start + K_BLOCK).min(k) {
            let (x, w) = p(i);
            acc = x.mul_add(w, acc);
        }
        total = Some(match total {
            None => acc,
            Some(t) => acc + t,
        });
    }
    total.unwrap_or(bias.unwrap_or(0.0))
}

// The reference's order is spelled out (`group + total`), not `+=`.
#[allow(clippy::assign_op_pattern)]
fn dot_m1(p: &[f32], c: f32) -> f32 {
    let mut total = c;
    let mut chunks = p.chunks_exact(4);
    for g in &mut chunks {
        total = (((g[0] + g[1]) + g[2]) + g[3]) + total;
    }
    let rest = chunks.remainder();
    let (pair, single) = rest.split_at(rest.len() & 2);
    if let [a, b] = pair {
        total = (a + b) + total;
    }
    if let [a] = single {
        total = a + total;
    }
    total
}

/// The reduction tree `mlas_m1_transposed` uses for column `col` of `n` (0, 1 or 2, as documented).
pub fn m1_transposed_tree(col: usize, n: usize) -> usize {
    let full4 = n - n % 4;
    if col < full4 {
        0
    } else if n % 4 >= 2 && col < full4 + 2 {
        1
    } else {
        2
    }
}

fn dot_m1_transposed(p: &[f32], col: usize, n: usize, c: f32) -> f32 {
    let mut l = [0.0f32; 8];
    for g in p.chunks(8) {
        for (lane, acc) in l.iter_mut().enumerate() {
            *acc += g.get(lane).copied().unwrap_or(0.0);
        }
    }
    let sum = match m1_transposed_tree(col, n) {
        0 => (((l[0] + l[1]) + l[2]) + l[3]) + (((l[4] + l[5]) + l[6]) + l[7]),
        1 => ((l[2] + l[0]) + (l[6] + l[4])) + ((l[3] + l[1]) + (l[7] + l[5])),
        _ => ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7])),
    };
    sum + c
}

/// `qdf.fdense`: `x [.., K] . w [K, N] + b [N]` in `order`; the result data.
pub fn dense(x: &[f32], w: &[f32], b: &[f32], k: usize, n: usize, order: DenseOrder, bias_first: bool) -> Vec<f32> {
    let rows = x.len().checked_div(k).unwrap_or(0);
    let order = if rows == 1 || k == 0 { order } else { DenseOrder::Packed };
    let mut out = Vec::with_capacity(rows * n);
    let mut p = vec![0.0f32; k];
    for r in 0..rows {
        for c in 0..n {
            let pair = |i: usize| (x[r * k + i], w[i * n + c]);
            let init = if bias_first { b[c] } else { 0.0 };
            let v = match order {
                DenseOrder::Packed => dot_packed(k, bias_first.then_some(b[c]), pair),
                DenseOrder::M1 | DenseOrder::M1Transposed => {
                    for (i, slot) in p.iter_mut().enumerate() {
                        let (a, bw) = pair(i);
                        *slot = a * bw;
                    }
                    if order == DenseOrder::M1 {
                        dot_m1(&p, init)
                    } else {
                        dot_m1_transposed(&p, c, n, init)
                    }
                }
            };
            out.push(if bias_first { v } else { v + b[c] });
        }
    }
    out
}

/// The constants of onnxruntime's float32 exponential (MLAS, the kernel behind its CPU Softmax),
/// as f32 bit patterns: the clamp, the rounding bias 1.5 * 2^23, log2(e), ln(2) split in a high
/// and a low part, and the polynomial's coefficients from the highest degree down.
pub mod mlas_exp {
    /// Inputs below this clamp to it (exp of it is about 2^-127.5).
    pub const LOWER: f32 = f32::from_bits(0xc2b0_c0a5);
    /// 1.5 * 2^23: adding it rounds to an integer held in the low mantissa bits.
    pub const ROUNDING_BIAS: f32 = f32::from_bits(0x4b40_0000);
    /// log2(e).
    pub const LOG2_RECIPROCAL: f32 = f32::from_bits(0x3fb8_aa3b);
    /// -ln(2), high part.
    pub const LOG2_HIGH: f32 = f32::from_bits(0xbf31_7200);
    /// -ln(2), low part.
    pub const LOG2_LOW: f32 = f32::from_bits(0xb5bf_be8e);
    /// The polynomial in the reduced argument, highest degree first (the last two are 1).
    pub const POLY: [f32; 7] = [
        f32::from_bits(0x3ab4_a000),
        f32::from_bits(0x3c09_2f6e),
        f32::from_bits(0x3d2a_adad),
        f32::from_bits(0x3e2a_aa28),
        f32::from_bits(0x3eff_fffb),
        f32::from_bits(0x3f80_0000),
        f32::from_bits(0x3f80_0000),
    ];
}

/// The exponential `qdf.fsoftmax` uses, for `x <= 0`: onnxruntime's (MLAS's softmax kernel).
/// `x = m ln2 + r` with `m` rounded by the bias trick and `r` reduced in two fused steps, then a
/// degree-6 polynomial in `r` by fused multiply-adds, scaled by `2^m` built in the exponent bits.
/// A NaN stays NaN.
pub fn exp(x: f32) -> f32 {
    use mlas_exp::*;
    let x = if x < LOWER { LOWER } else { x };
    let biased = x.mul_add(LOG2_RECIPROCAL, ROUNDING_BIAS);
    let m = biased - ROUNDING_BIAS;
    let r = m.mul_add(LOG2_HIGH, x);
    let r = m.mul_add(LOG2_LOW, r);
    let scale = f32::from_bits((biased.to_bits() << 23).wrapping_add(0x3f80_0000));
    let p = POLY[1..].iter().fold(POLY[0], |p, &c| p.mul_add(r, c));
    p * scale
}

/// Lanes and accumulators of [`sum_exp`].
pub const SUM_LANES: usize = 8;

/// The sum of softmax's exponentials in onnxruntime's order (MLAS's AVX2 kernel): element `k`
/// joins lane `k % 8` of accumulator `(k / 8) % 2`; the two accumulators are added lane by lane,
/// then neighbouring lanes pairwise (0+1, 2+3, ...) until one value remains.
pub fn sum_exp(e: impl Iterator<Item = f32>) -> f32 {
    let mut acc = [[0.0f32; SUM_LANES]; 2];
    for (k, v) in e.enumerate() {
        acc[(k / SUM_LANES) % 2][k % SUM_LANES] += v;
    }
    let mut lanes: Vec<f32> = (0..SUM_LANES).map(|l| acc[0][l] + acc[1][l]).collect();
    while lanes.len() > 1 {
        lanes = lanes.chunks(2).map(|p| p[0] + p[1]).collect();
    }
    lanes[0]
}

/// `qdf.fsoftmax` along `axis`: onnxruntime's CPU Softmax bit for bit (maximum, [`exp`] of
/// `x - max`, [`sum_exp`], each exponential times the f32 reciprocal of the sum).
pub fn softmax(shape: &[i64], x: &[f32], axis: usize) -> Vec<f32> {
    let n = shape[axis] as usize;
    let inner: usize = shape[axis + 1..].iter().product::<i64>() as usize;
    let outer: usize = shape[..axis].iter().product::<i64>() as usize;
    let mut out = x.to_vec();
    for o in 0..outer {
        for i in 0..inner {
            let at = |k: usize| (o * n + k) * inner + i;
            let m = (0..n).map(|k| x[at(k)]).fold(f32::NEG_INFINITY, |a, b| if b > a { b } else { a });
            for k in 0..n {
                out[at(k)] = exp(x[at(k)] - m);
            }
            let r = 1.0 / sum_exp((0..n).map(|k| out[at(k)]));
            for k in 0..n {
                out[at(k)] *= r;
            }
        }
    }
    out
}

/// The rounding modes of `qdf.fquant`: QONNX's seven, plus `SIGN` (bipolar).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum QuantRounding {
    Round,
    Ceil,
    Floor,
    Up,
    Down,
    HalfUp,
    HalfDown,
    Sign,
}

impl QuantRounding {
    pub const ALL: [QuantRounding; 8] = [
        QuantRounding::Round,
        QuantRounding::Ceil,
        QuantRounding::Floor,
        QuantRounding::Up,
        QuantRounding::Down,
        QuantRounding::HalfUp,
        QuantRounding::HalfDown,
        QuantRounding::Sign,
    ];

    pub fn name(self) -> &'static str {
        match self {
            QuantRounding::Round => "ROUND",
            QuantRounding::Ceil => "CEIL",
            QuantRounding::Floor => "FLOOR",
            QuantRounding::Up => "UP",
            QuantRounding::Down => "DOWN",
            QuantRounding::HalfUp => "HALF_UP",
            QuantRounding::HalfDown => "HALF_DOWN",
            QuantRounding::Sign => "SIGN",
        }
    }

    pub fn parse(s: &str) -> Option<QuantRounding> {
        QuantRounding::ALL.into_iter().find(|r| r.name() == s)
    }

    /// Rounds a clamped float to an integer exactly as qonnx's numpy code does in float32.
    pub fn apply(self, t: f32) -> i128 {
        let sign = |v: f32| if t < 0.0 { -v } else { v };
        let r = match self {
            QuantRounding::Round => t.round_ties_even(),
            QuantRounding::Ceil => t.ceil(),
            QuantRounding::Floor => t.floor(),
            QuantRounding::Up => sign(t.abs().ceil()),
            QuantRounding::Down => t.trunc(),
            QuantRounding::HalfUp => sign((t.abs() + 0.5).floor()),
            QuantRounding::HalfDown => sign((t.abs() - 0.5).ceil()),
            QuantRounding::Sign => return if t >= 0.0 { 1 } else { -1 },
        };
        if r.is_nan() {
            0
        } else {
            r as i128
        }
    }
}

/// The parameters of a `qdf.fquant`: per-element scale and zero point already broadcast.
#[derive(Clone, Debug)]
pub struct FQuant {
    pub scale: Option<(Vec<i64>, Vec<f32>)>,
    pub zero_point: Option<(Vec<i64>, Vec<f32>)>,
    pub rounding: QuantRounding,
    pub min: Option<f32>,
    pub max: Option<f32>,
}

/// `qdf.fquant`: codes `r - zero_point` on the grid of `out`.
pub fn fquant(shape: &[i64], x: &[f32], q: &FQuant, out: FixedType) -> Tensor {
    let index = |p: &Option<(Vec<i64>, Vec<f32>)>| p.as_ref().map(|(s, v)| (broadcast_index(shape, s), v.clone()));
    let (si, zi) = (index(&q.scale), index(&q.zero_point));
    let data = x
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let mut t = match &si {
                Some((idx, s)) => v / s[idx[i]],
                None => v,
            };
            let z = zi.as_ref().map_or(0.0, |(idx, z)| z[idx[i]]);
            if zi.is_some() {
                t += z;
            }
            if q.rounding != QuantRounding::Sign {
                if let Some(lo) = q.min {
                    t = if t > lo { t } else { lo };
                }
                if let Some(hi) = q.max {
                    t = if t < hi { t } else { hi };
                }
            }
            let r = q.rounding.apply(t) - z as i128;
            out.convert(r, out.frac_bits())
        })
        .collect();
    Tensor::new(out, shape, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_modes_follow_qonnx() {
        let xs = [5.5f32, 2.5, 1.6, 1.1, 1.0, -1.0, -1.1, -1.6, -2.5, -5.5];
        let table: [(QuantRounding, [i128; 10]); 7] = [
            (QuantRounding::Round, [6, 2, 2, 1, 1, -1, -1, -2, -2, -6]),
            (QuantRounding::Ceil, [6, 3, 2, 2, 1, -1, -1, -1, -2, -5]),
            (QuantRounding::Floor, [5, 2, 1, 1, 1, -1, -2, -2, -3, -6]),
            (QuantRounding::Up, [6, 3, 2, 2, 1, -1, -2, -2, -3, -6]),
            (QuantRounding::Down, [5, 2, 1, 1, 1, -1, -1, -1, -2, -5]),
            (QuantRounding::HalfUp, [6, 3, 2, 1, 1, -1, -1, -2, -3, -6]),
            (QuantRounding::HalfDown, [5, 2, 2, 1, 1, -1, -1, -2, -2, -5]),
        ];
        for (mode, want) in table {
            let got: Vec<i128> = xs.iter().map(|&x| mode.apply(x)).collect();
            assert_eq!(got, want, "{}", mode.name());
        }
        // float32 steps: |t| + 0.5 rounds up to 1 just below one half.
        assert_eq!(QuantRounding::HalfUp.apply(0.5 - 2f32.powi(-25)), 1);
        assert_eq!(QuantRounding::Sign.apply(-0.0), 1);
    }

    #[test]
    fn fquant_divides_adds_clamps_rounds() {
        let out = FixedType::new(8, 8);
        let q = FQuant {
            scale: Some((vec![2], vec![0.5, 0.25])),
            zero_point: Some((vec![], vec![3.0])),
            rounding: QuantRounding::Round,
            min: Some(0.0),
            max: Some(15.0),
        };
        // [1.26/0.5 + 3 = 5.52 -> 6 - 3, -0.3/0.25 + 3 = 1.8 -> 2 - 3], [100 -> 15 - 3, -100 -> 0 - 3]
        let t = fquant(&[2, 2], &[1.26, -0.3, 100.0, -100.0], &q, out);
        assert_eq!(t.data, vec![3, -1, 12, -3]);
    }

    #[test]
    fn dense_orders_match_their_definitions() {
        let x = [1.0f32, 1e8, -1e8, 1.0, 0.5];
        let w = [1.0f32; 5];
        // m1: ((1 + 1e8) + -1e8) + 1 = 1 (1e8 + 1 rounds), then 0.5 + 1.
        assert_eq!(dense(&x, &w, &[0.0], 5, 1, DenseOrder::M1, false), vec![1.5]);
        // packed: fma chain: 1, 1e8+1 -> 1e8, 0, 1, 1.5
        assert_eq!(dense(&x, &w, &[0.0], 5, 1, DenseOrder::Packed, false), vec![1.5]);
        assert_eq!(m1_transposed_tree(5, 7), 1);
        assert_eq!(m1_transposed_tree(6, 7), 2);
        let s = softmax(&[1, 2], &[0.0, 0.0], 1);
        assert_eq!(s, vec![0.5, 0.5]);
    }

    /// onnxruntime 1.32 `Softmax` (ORT_DISABLE_ALL, x86-64) outputs, as f32 bits: five classes (one
    /// accumulator, lanes 5..8 empty) and nineteen (both accumulators, a partial third vector).
    #[test]
    fn softmax_is_onnxruntimes_bit_for_bit() {
        let cases: [(&[u32], &[u32]); 2] = [
            (
                &[0x41029e6b, 0xc1239004, 0x3fd6110d, 0xc0115959, 0xbfe7c1a6],
                &[0x3f7f97ca, 0x323184c4, 0x3ac677e5, 0x37f62c98, 0x384312a4],
            ),
            (
                &[
                    0xbf5cc581, 0xc1014774, 0xbf6d7fae, 0xc05d7e9b, 0x4154ac06, 0x3f67349b, 0xbfb48c06, 0xbf9004e8, 0xc02b0516, 0xc0870f2c,
                    0xbfc81711, 0x3ff6c18c, 0xbf744766, 0x40752fad, 0xbf4c98ee, 0x3dc6bbff, 0x40c5dd75, 0x400b8c09, 0xc00156ac,
                ],
                &[
                    0x353f19dd, 0x300f8e12, 0x35330375, 0x3363730d, 0x3f7fc2ed, 0x368b9db4, 0x34dcec4f, 0x3512f145, 0x33fa3f1b, 0x32d4cb45,
                    0x34bda42a, 0x37427d9c, 0x352e55ac, 0x38a31292, 0x354b9079, 0x35f967ed, 0x3a563841, 0x377a641c, 0x346ffbc6,
                ],
            ),
        ];
        for (x, want) in cases {
            let x: Vec<f32> = x.iter().map(|&b| f32::from_bits(b)).collect();
            let got: Vec<u32> = softmax(&[1, x.len() as i64], &x, 1).iter().map(|v| v.to_bits()).collect();
            assert_eq!(got, want);
        }
        assert!(exp(f32::NAN).is_nan());
        assert_eq!(exp(0.0), 1.0);
    }
}
