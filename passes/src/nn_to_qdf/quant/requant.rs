//! Linear float32 rescales with many output levels become `qdf.requant`.
//!
//! The chain `qdf.dequantize(A) -> qdf.fmul(c) -> [qdf.frelu] -> qdf.fquant | qdf.quantize` is what an
//! ONNX requantization with non-power-of-two scales leaves (QLinearMatMul's `A * (s_a s_b / s_y)`,
//! a QDQ layer's `A * s_x s_w` then `/ s_y`): a per-channel factor `k_c` from accumulator values to
//! output codes, then rounding and clamping. With more than [`THRESHOLD_LEVELS`] levels it becomes
//! `round(A * M_c / 2^n)` clamped, `M_c = round(k_c * 2^(n - F_out))` with `n` chosen so the largest
//! multiplier has 31 bits: the exact rounding of the ideal rescale. The reference rounds its
//! float32 product first, so the two differ where that product lands within an ulp of a rounding
//! boundary; the pass counts those accumulator values (on up to 2^16 per channel) and reports them.

use fpgaopt_ir::{Attribute, DenseElements, InsertPoint, Module, OpId, Type, ValueId};
use fpgaopt_qdf::semantics::float::QuantRounding;
use fpgaopt_qdf::semantics::requant::Requant;
use fpgaopt_qdf::{self as qdf, FixedType, Overflow, Rounding};

use super::quantizer::ap_rounding;

/// Chains with at most this many levels per channel become thresholds instead (cheaper and exact).
pub const THRESHOLD_LEVELS: u128 = 16;

/// A linear rescale chain, per channel.
pub(super) struct Linear {
    input: ValueId,
    in_ty: FixedType,
    factor: Vec<f32>,
    relu: bool,
    /// `qdf.fquant`'s divisor per channel (absent: `qdf.quantize`).
    div: Option<Vec<f32>>,
    rounding: QuantRounding,
    lo: i128,
    hi: i128,
    out: FixedType,
}

fn channel_values(m: &Module, v: ValueId, nc: usize) -> Option<Vec<f32>> {
    let c = qdf::FConstant::defining(m, v)?;
    let vals = c.value(m).to_f32_vec();
    match vals.len() {
        1 => Some(vec![vals[0]; nc]),
        n if n == nc => Some(vals),
        _ => None,
    }
}

/// The linear chain ending in `ops.last()`, if `ops` is one.
pub(super) fn linear(m: &Module, input: ValueId, ops: &[OpId]) -> Option<Linear> {
    let in_ty = FixedType::of_tensor(m.ty(input))?;
    let shape = m.ty(input).shape()?;
    let nc = if shape.len() >= 2 { shape[1] as usize } else { 1 };
    let (mut factor, mut relu) = (vec![1.0f32; nc], false);
    let (last, middle) = ops[1..].split_last()?;
    for &op in middle {
        match m.op(op).name() {
            "qdf.fmul" if factor.iter().all(|&f| f == 1.0) && !relu => factor = channel_values(m, m.operand(op, 1), nc)?,
            "qdf.frelu" => relu = true,
            _ => return None,
        }
    }
    if factor.iter().any(|&f| !(f > 0.0 && f.is_finite())) {
        return None;
    }
    let out = FixedType::of_tensor(m.ty(m.result(*last, 0)))?;
    let (div, rounding, mut lo, mut hi) = if let Some(q) = qdf::FQuant::of(m, *last) {
        if q.zero_point(m).is_some() {
            return None;
        }
        let rounding = QuantRounding::parse(q.rounding(m))?;
        let div = match q.scale(m) {
            Some(s) => {
                let v = s.to_f32_vec();
                let shape = s.ty.shape().unwrap_or(&[]);
                if v.len() == 1 {
                    vec![v[0]; nc]
                } else if shape.last() == Some(&(nc as i64)) || shape.first() == Some(&(nc as i64)) {
                    v
                } else {
                    return None;
                }
            }
            None => vec![1.0; nc],
        };
        (Some(div), rounding, q.min(m)? as i128, q.max(m)? as i128)
    } else {
        let rounding = match out.rounding {
            Rounding::RndConv => QuantRounding::Round,
            Rounding::Trn => QuantRounding::Floor,
            Rounding::TrnZero => QuantRounding::Down,
            Rounding::RndZero => QuantRounding::HalfDown,
            Rounding::RndInf => QuantRounding::HalfUp,
            _ => return None,
        };
        let lo = if out.overflow == Overflow::SatSym && out.signed { out.min_mantissa() + 1 } else { out.min_mantissa() };
        if !matches!(out.overflow, Overflow::Sat | Overflow::SatSym) {
            return None;
        }
        (None, rounding, lo, out.max_mantissa())
    };
    ap_rounding(rounding)?;
    if relu {
        lo = lo.max(0);
        hi = hi.max(0);
    }
    Some(Linear { input, in_ty, factor, relu, div, rounding, lo, hi, out })
}

impl Linear {
    /// The chain's output mantissa for accumulator mantissa `a` in channel `c` (its float32 steps).
    fn eval(&self, c: usize, a: i128) -> i128 {
        let mut t = self.in_ty.to_f32(a) * self.factor[c];
        if self.relu && t <= 0.0 {
            t = 0.0;
        }
        match &self.div {
            Some(d) => {
                let t = t / d[c];
                let t = if t > self.lo as f32 { t } else { self.lo as f32 };
                let t = if t < self.hi as f32 { t } else { self.hi as f32 };
                self.rounding.apply(t)
            }
            None => self.out.quantize_f64(t as f64).max(self.lo),
        }
    }

    /// Output levels of channel `c` over the whole accumulator range.
    pub(super) fn levels(&self) -> u128 {
        let (a, b) = (self.in_ty.min_mantissa(), self.in_ty.max_mantissa());
        (0..self.factor.len()).map(|c| (self.eval(c, b) - self.eval(c, a)).unsigned_abs()).max().unwrap_or(0)
    }

    /// The requantization and how many sampled accumulator values differ from the chain.
    pub(super) fn requant(&self) -> (Requant, FixedType, u64, u64) {
        let (fi, fo) = (self.in_ty.frac_bits(), self.out.frac_bits());
        // Output mantissas per input mantissa, then as a factor of 2^-(F_in + shift - F_out).
        let k: Vec<f64> = (0..self.factor.len())
            .map(|c| {
                let per_value = self.factor[c] as f64 / self.div.as_ref().map_or(2f64.powi(-fo as i32), |d| d[c] as f64);
                per_value * 2f64.powi((-fi) as i32) * 2f64.powi((fi - fo) as i32)
            })
            .collect();
        let kmax = k.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
        let shift = (31 - kmax.log2().ceil() as i64).clamp(0, 62);
        let mult: Vec<i128> = k.iter().map(|&v| (v * 2f64.powi(shift as i32)).round() as i128).collect();
        let out = self.out.with_modes(ap_rounding(self.rounding).unwrap_or(Rounding::RndConv), Overflow::Sat);
        let q = Requant { multiplier: mult, shift, min: Some(self.lo), max: Some(self.hi) };
        let (a, b) = (self.in_ty.min_mantissa(), self.in_ty.max_mantissa());
        let n = (b - a + 1).min(1 << 16);
        let (mut checked, mut differ) = (0u64, 0u64);
        for c in 0..self.factor.len() {
            for i in 0..n {
                let x = a + (b - a) * i / (n - 1).max(1);
                checked += 1;
                differ += u64::from(q.eval(c, x, fi, &out) != self.eval(c, x));
            }
        }
        (q, out, checked, differ)
    }

    /// Replaces the chain ending in `last` by the requant.
    pub(super) fn build(&self, m: &mut Module, last: OpId, q: &Requant, out: FixedType) -> Option<ValueId> {
        let vals: Vec<i64> = q.multiplier.iter().map(|&v| i64::try_from(v).ok()).collect::<Option<_>>()?;
        let uniform = vals.iter().all(|&v| v == vals[0]);
        let mv = if uniform { vec![vals[0]] } else { vals };
        let d = DenseElements::from_ints(&[mv.len() as i64], Type::int(64), &mv).ok()?;
        let shape = m.ty(m.result(last, 0)).shape()?.to_vec();
        let spec = qdf::Requant::spec(m.op(last).loc.clone())
            .operands([self.input])
            .results([Type::tensor(shape, out.to_type())])
            .attr("multiplier", Attribute::Dense(d))
            .attr("shift", Attribute::i64(q.shift))
            .attr("min", Attribute::i64(q.min? as i64))
            .attr("max", Attribute::i64(q.max? as i64));
        let op = m.build(InsertPoint::Before(last), spec);
        Some(m.result(op, 0))
    }
}
