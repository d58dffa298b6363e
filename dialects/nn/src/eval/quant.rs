//! Numerics of the quantizer ops, bit-exact with their references:
//! - QONNX (`quant`, `bipolar_quant`, `trunc`): qonnx's numpy code on float32 arrays, each step
//!   rounded to float32 in its order (`x / s + z`, clamp, rounding function, `(q - z) * s`);
//! - ONNX (`qdq`, `quantize_linear`, `dequantize_linear`): onnxruntime's CPU kernels, which divide
//!   by the scale in float32, round half to even, add the zero point and saturate as integers (a
//!   NaN saturates to the type's minimum), and dequantize as `float32(q - z) * s`.

use super::{broadcast_indices, Tensor};
use crate::quant::{int_range, RoundingMode};

/// The parameters of a QONNX `Quant`.
#[derive(Clone, Copy, Debug)]
pub struct QuantParams {
    pub bit_width: i64,
    pub signed: bool,
    pub narrow: bool,
    pub rounding: RoundingMode,
}

/// For each element of `x`, the index of the `p` element it reads (`p` broadcasts to `x`).
fn param_index(x: &Tensor, p: &Tensor, what: &str) -> Result<Vec<usize>, String> {
    match broadcast_indices(&x.shape, &p.shape) {
        Some((out, pairs)) if out == x.shape => Ok(pairs.into_iter().map(|(_, j)| j).collect()),
        _ => Err(format!("{what} of shape {:?} does not match the input shape {:?}", p.shape, x.shape)),
    }
}

/// `f(x, scale, zero_point)` per element, the parameters broadcast to `x`.
fn map3(x: &Tensor, s: &Tensor, z: &Tensor, f: impl Fn(f32, f32, f32) -> f32) -> Result<Tensor, String> {
    let (si, zi) = (param_index(x, s, "scale")?, param_index(x, z, "zero_point")?);
    let data = x.data.iter().enumerate().map(|(i, &v)| f(v, s.data[si[i]], z.data[zi[i]])).collect();
    Tensor::new(x.shape.clone(), data)
}

/// QONNX `Quant`: `(clamp(round(x / s + z)) - z) * s` in float32, as qonnx's `int_quant`.
pub fn quant(x: &Tensor, scale: &Tensor, zero_point: &Tensor, p: QuantParams) -> Result<Tensor, String> {
    let (lo, hi) = int_range(p.bit_width, p.signed, p.narrow);
    // qonnx compares against max_int/min_int converted to the array's dtype.
    let (lo, hi) = (lo as f32, hi as f32);
    let bipolar = p.bit_width == 1 && p.signed;
    map3(x, scale, zero_point, |v, s, z| {
        let t = v / s + z;
        let q = if bipolar {
            if t >= 0.0 {
                1.0
            } else {
                -1.0
            }
        } else {
            let t = if t > hi { hi } else { t };
            let t = if t < lo { lo } else { t };
            p.rounding.apply(t)
        };
        (q - z) * s
    })
}

/// QONNX `BipolarQuant`: `(x >= 0 ? 1 : -1) * s`.
pub fn bipolar_quant(x: &Tensor, scale: &Tensor) -> Result<Tensor, String> {
    let si = param_index(x, scale, "scale")?;
    let data = x.data.iter().enumerate().map(|(i, &v)| if v >= 0.0 { scale.data[si[i]] } else { -scale.data[si[i]] });
    Tensor::new(x.shape.clone(), data.collect())
}

/// The parameters of a QONNX `Trunc` (see `nn.trunc`).
#[derive(Clone, Copy, Debug)]
pub struct TruncParams {
    /// The value is divided by `2^shift`.
    pub shift: i64,
    /// Clamp to this many bits (Trunc version 2); `None` does not clamp (version 1).
    pub output_bit_width: Option<i64>,
    pub signed: bool,
    pub narrow: bool,
    pub rounding: RoundingMode,
}

/// QONNX `Trunc` in float32, as qonnx's `trunc_v1`/`trunc_v2`.
pub fn trunc(
    x: &Tensor,
    scale: &Tensor,
    zero_point: &Tensor,
    output_scale: &Tensor,
    output_zero_point: &Tensor,
    p: TruncParams,
) -> Result<Tensor, String> {
    let divisor = 2f32.powi(p.shift as i32);
    let range = p.output_bit_width.map(|b| {
        let (lo, hi) = int_range(b, p.signed, p.narrow);
        (lo as f32, hi as f32)
    });
    let (oi, ozi) =
        (param_index(x, output_scale, "output_scale")?, param_index(x, output_zero_point, "output_zero_point")?);
    let inner = map3(x, scale, zero_point, |v, s, z| {
        let t = (v / s + z).round_ties_even() / divisor;
        let t = match range {
            Some((lo, hi)) => {
                let t = if t > hi { hi } else { t };
                if t < lo {
                    lo
                } else {
                    t
                }
            }
            None => t,
        };
        p.rounding.apply(t)
    })?;
    let data =
        inner.data.iter().enumerate().map(|(i, &t)| (t - output_zero_point.data[ozi[i]]) * output_scale.data[oi[i]]);
    Tensor::new(x.shape.clone(), data.collect())
}

/// The integer onnxruntime's QuantizeLinear stores for `v / s` and zero point `z` in `[lo, hi]`:
/// round half to even, add, saturate; NaN saturates to `lo`.
fn quantize_one(v: f32, s: f32, z: f32, lo: f32, hi: f32) -> f32 {
    let t = v / s;
    if t.is_nan() {
        return lo;
    }
    // Exact: the integer types have at most 16 bits, far inside f32's 24.
    (t.round_ties_even().clamp(lo - z, hi - z)) + z
}

/// ONNX `QuantizeLinear` (onnxruntime): the integer code, as f32.
pub fn quantize_linear(
    x: &Tensor,
    scale: &Tensor,
    zero_point: &Tensor,
    bits: i64,
    signed: bool,
) -> Result<Tensor, String> {
    let (lo, hi) = int_range(bits, signed, false);
    let (lo, hi) = (lo as f32, hi as f32);
    map3(x, scale, zero_point, |v, s, z| quantize_one(v, s, z, lo, hi))
}

/// ONNX `DequantizeLinear` (onnxruntime) of integer codes `q`: `float32(q - z) * s`.
pub fn dequantize_linear(q: &[i64], zero_point: &[i64], scale: &[f32]) -> Vec<f32> {
    q.iter().zip(zero_point).zip(scale).map(|((&q, &z), &s)| (q - z) as f32 * s).collect()
}

/// ONNX `QuantizeLinear` -> `DequantizeLinear` with the same parameters (onnxruntime).
pub fn qdq(x: &Tensor, scale: &Tensor, zero_point: &Tensor, bits: i64, signed: bool) -> Result<Tensor, String> {
    let (lo, hi) = int_range(bits, signed, false);
    let (lo, hi) = (lo as f32, hi as f32);
    map3(x, scale, zero_point, |v, s, z| (quantize_one(v, s, z, lo, hi) - z) * s)
}
