//! The precision rules of `nn-to-qdf`: constant quantization, exact accumulators, activation tables.
//!
//! Accumulators are value-based (like FINN): the bound on |acc| uses the actual quantized weights
//! and the input type's range, so an accumulator never overflows and is as narrow as that allows.
//! Tables are sized so that linear interpolation stays far below 1e-3 of error at `fixed<32,16>`.

use fpgaopt_ir::Type;
use fpgaopt_qdf::{FixedType, Overflow, Rounding};

/// Weights, biases and other constants are quantized with round-half-to-even and saturation,
/// whatever the modes of their type (the modes only govern conversions into the type).
pub fn quantize_const(values: &[f64], t: &FixedType) -> Vec<i128> {
    let q = t.with_modes(Rounding::RndConv, Overflow::Sat);
    values.iter().map(|&v| q.quantize_f64(v)).collect()
}

/// The builtin integer type storing mantissas of `t`: the narrowest of i8, i16, i32, i64.
pub fn storage_type(t: &FixedType) -> Type {
    let bits = t.signed_bits();
    Type::int([8, 16, 32, 64].into_iter().find(|&w| bits <= w).unwrap_or(64))
}

/// The largest |mantissa| of a type (2^(W-1) signed, 2^W - 1 unsigned).
pub fn max_abs(t: &FixedType) -> u128 {
    if t.signed {
        1u128 << (t.width - 1).min(127)
    } else {
        (1u128 << t.width.min(127)) - 1
    }
}

/// The narrowest signed type with `frac` fractional bits whose range holds [-bound, bound]
/// (bound in units of 2^-frac): width = bitlen(bound) + 1.
pub fn signed_type_for(bound: u128, frac: i64) -> FixedType {
    let width = (128 - bound.leading_zeros()) + 1;
    FixedType::new(width, (width as i64 - frac) as i32)
}

/// What is known about an operand: its type and, for constants, its mantissas.
pub struct Operand<'a> {
    pub ty: FixedType,
    pub values: Option<&'a [i128]>,
}

/// The accumulator of `qdf.dense` (input `[.., K]`, weight `[K, N]`, bias `[N]`):
/// fractional bits `Fa = max(Fx + Fw, Fb)`, bound `B = max_j (sum_k |w_kj| * max|x| * 2^(Fa-Fx-Fw) + |b_j| * 2^(Fa-Fb))`,
/// then [`signed_type_for`]. Non-constant operands count with their type's largest magnitude.
pub fn dense_acc(x: &FixedType, w: &Operand<'_>, b: &Operand<'_>, k: usize, n: usize) -> Result<FixedType, String> {
    let fp = x.frac_bits() + w.ty.frac_bits();
    let fa = fp.max(b.ty.frac_bits());
    let (sp, sb) = ((fa - fp) as u32, (fa - b.ty.frac_bits()) as u32);
    let overflow = || "the accumulator bound exceeds 128 bits; choose narrower precisions".to_string();
    let xmax = max_abs(x);
    let mut bound = 0u128;
    for j in 0..n {
        let mut col = 0u128;
        for kk in 0..k {
            let wabs = w.values.map_or(max_abs(&w.ty), |v| v[kk * n + j].unsigned_abs());
            col = col.checked_add(wabs.checked_mul(xmax).ok_or_else(overflow)?).ok_or_else(overflow)?;
        }
        col = col.checked_mul(1u128.checked_shl(sp).ok_or_else(overflow)?).ok_or_else(overflow)?;
        let babs = b.values.map_or(max_abs(&b.ty), |v| v[j].unsigned_abs());
        let babs = babs.checked_mul(1u128.checked_shl(sb).ok_or_else(overflow)?).ok_or_else(overflow)?;
        bound = bound.max(col.checked_add(babs).ok_or_else(overflow)?);
    }
    Ok(signed_type_for(bound, fa))
}

/// The accumulator of `qdf.matmul`: `Fa = Fa + Fb`, bound `K * max|a| * max|b|` (constants count
/// with their largest actual magnitude).
pub fn matmul_acc(a: &Operand<'_>, b: &Operand<'_>, k: usize) -> Result<FixedType, String> {
    let mag = |o: &Operand<'_>| o.values.map_or(max_abs(&o.ty), |v| v.iter().map(|m| m.unsigned_abs()).max().unwrap_or(0));
    let bound = (k as u128)
        .checked_mul(mag(a))
        .and_then(|p| p.checked_mul(mag(b)))
        .ok_or("the accumulator bound exceeds 128 bits; choose narrower precisions")?;
    Ok(signed_type_for(bound, a.ty.frac_bits() + b.ty.frac_bits()))
}

/// A table ready to become attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct TableSpec {
    pub samples: Vec<i64>,
    pub ty: FixedType,
    pub lo: i64,
    pub step_shift: i64,
}

/// Samples `f` at `lo + s * 2^k` input LSBs, s = 0..=2^n_log2, into `ty`.
fn sample(f: impl Fn(f64) -> f64, x: &FixedType, ty: FixedType, lo: i64, span_log2: u32, size_log2: u32) -> TableSpec {
    let n_log2 = size_log2.min(span_log2);
    let k = span_log2 - n_log2;
    let lsb = (2f64).powi(-x.frac_bits() as i32);
    let values: Vec<f64> = (0..=(1u64 << n_log2)).map(|s| f((lo as f64 + s as f64 * (2f64).powi(k as i32)) * lsb)).collect();
    let samples = quantize_const(&values, &ty).into_iter().map(|m| m as i64).collect();
    TableSpec { samples, ty, lo, step_shift: k as i64 }
}

/// Fractional bits of table samples: four more than the output has, within [4, 60].
fn table_frac(out: &FixedType) -> i64 {
    (out.frac_bits() + 4).clamp(4, 60)
}

/// The table of sigmoid or tanh for inputs of type `x`: it spans [-16, 16) (or the input's whole
/// range when smaller; [0, 16) for unsigned inputs) with `2^size_log2` intervals at most; samples
/// are `fixed<F+2, 2>` with F = [`table_frac`] of the output.
pub fn activation_table(f: fn(f64) -> f64, x: &FixedType, out: &FixedType, size_log2: u32) -> TableSpec {
    let ft = table_frac(out);
    let ty = FixedType::new((ft + 2) as u32, 2);
    let (span_log2, lo) = if x.signed {
        let s = (5 + x.frac_bits()).clamp(1, x.width as i64) as u32;
        (s, -(1i128 << (s - 1)) as i64)
    } else {
        ((4 + x.frac_bits()).clamp(1, x.width as i64) as u32, 0)
    };
    sample(f, x, ty, lo, span_log2, size_log2)
}

/// The exp table of softmax for differences `x - max(x)` on the grid of `x`: it spans [-16, 0]
/// (or the differences' whole range when smaller); samples are `ufixed<F+1, 1>`.
pub fn exp_table(x: &FixedType, out: &FixedType, size_log2: u32) -> TableSpec {
    let fe = table_frac(out);
    let ty = FixedType::unsigned((fe + 1) as u32, 1);
    let span_log2 = (4 + x.frac_bits()).clamp(1, (x.width as i64).min(62)) as u32;
    sample(f64::exp, x, ty, -(1i64 << span_log2), span_log2, size_log2)
}

/// The softmax sum type for `n` terms of `exp`: same fractional bits, `ceil(log2 n)` more
/// integer bits, so the sum is exact.
pub fn softmax_sum_type(exp: &FixedType, n: i64) -> FixedType {
    let extra = 64 - (n.max(1) as u64 - 1).leading_zeros();
    FixedType::unsigned(exp.width + extra, exp.int_bits + extra as i32)
}

/// The mantissa bounds on the grid of `x` equivalent to clamping at `min`/`max`: ceil(min) and
/// floor(max) onto the grid, then limited to the type's range.
pub fn clip_bound(x: &FixedType, v: f64, upper: bool) -> i64 {
    let f = x.frac_bits();
    let floor = FixedType { width: 120, int_bits: (120 - f) as i32, signed: true, rounding: Rounding::Trn, overflow: Overflow::Sat };
    let m = if upper { floor.quantize_f64(v) } else { -floor.quantize_f64(-v) };
    m.clamp(x.min_mantissa(), x.max_mantissa()) as i64
}

/// The slope of leaky ReLU as a fixed constant with 24 fractional bits: (mantissa, type).
pub fn leaky_alpha(alpha: f64) -> (i64, FixedType) {
    let int_bits = if alpha.abs() >= 1.0 { alpha.abs().log2().floor() as i32 + 2 } else { 1 };
    let ty = FixedType::new((int_bits + 24).clamp(2, 64) as u32, int_bits.min(40));
    (quantize_const(&[alpha], &ty)[0] as i64, ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accumulator_is_value_based() {
        // x: fixed<8,4> (max |x| = 128 LSBs), w: fixed<8,1> with column sums of |w| 5 and 300.
        let x = FixedType::new(8, 4);
        let wt = FixedType::new(8, 1);
        let w = [1i128, -100, 4, 200];
        let bt = FixedType::new(8, 4);
        let b = [3i128, -7];
        let acc = dense_acc(&x, &Operand { ty: wt, values: Some(&w) }, &Operand { ty: bt, values: Some(&b) }, 2, 2).unwrap();
        // Fa = 4 + 7 = 11; B = max(5*128 + 3*2^7, 300*128 + 7*2^7) = 39296 -> 16 bits + sign.
        assert_eq!(acc, FixedType::new(17, 6));
        // Without known values the type range counts.
        let acc = dense_acc(&x, &Operand { ty: wt, values: None }, &Operand { ty: bt, values: None }, 2, 2).unwrap();
        assert_eq!(acc.frac_bits(), 11);
        assert_eq!(acc.width, 17);
    }

    #[test]
    fn tables_cover_the_saturation_range() {
        let x = FixedType::new(32, 16);
        let t = activation_table(|v| 1.0 / (1.0 + (-v).exp()), &x, &x, 10);
        assert_eq!((t.samples.len(), t.lo, t.step_shift), (1025, -16 << 16, 11));
        let t = exp_table(&x, &x, 10);
        assert_eq!((t.samples.len(), t.lo, t.step_shift), (1025, -16 << 16, 10));
        assert_eq!(*t.samples.last().unwrap(), 1 << 20);
        // A narrow input spans only its own range.
        let t = activation_table(f64::tanh, &FixedType::new(6, 3), &FixedType::new(16, 6), 10);
        assert_eq!((t.samples.len(), t.lo, t.step_shift), (65, -32, 0));
        assert_eq!(softmax_sum_type(&FixedType::unsigned(21, 1), 10), FixedType::unsigned(25, 5));
    }

    #[test]
    fn clip_bounds_round_inward() {
        let x = FixedType::new(8, 4); // LSB 1/16
        assert_eq!(clip_bound(&x, 0.1, false), 2); // ceil(1.6)
        assert_eq!(clip_bound(&x, 0.1, true), 1); // floor(1.6)
        assert_eq!(clip_bound(&x, -0.1, false), -1);
        assert_eq!(clip_bound(&x, 1e9, true), 127);
        assert_eq!(leaky_alpha(0.25), (1 << 22, FixedType::new(25, 1)));
    }
}
