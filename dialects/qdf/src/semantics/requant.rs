//! Reference semantics of `qdf.threshold` and `qdf.requant`.

use super::Tensor;
use crate::fixed::FixedType;

/// The channel (index along `axis`) of every element of a tensor of `shape`, modulo `c` channels
/// (`c = 1`, or an axis beyond the rank: all zero).
pub fn channels(shape: &[i64], c: usize, axis: usize) -> Vec<usize> {
    let total: usize = shape.iter().product::<i64>() as usize;
    if c <= 1 || axis >= shape.len() {
        return vec![0; total];
    }
    let inner: usize = shape[axis + 1..].iter().product::<i64>() as usize;
    (0..total).map(|i| (i / inner.max(1)) % c).collect()
}

/// The thresholds of `qdf.threshold`: `rows[c]` ascending, `base[c] + step[c] * count`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Thresholds {
    pub rows: Vec<Vec<i128>>,
    pub base: Vec<i128>,
    pub step: Vec<i128>,
}

impl Thresholds {
    /// The output mantissa for input mantissa `x` in channel `c`.
    pub fn eval(&self, c: usize, x: i128) -> i128 {
        let row = &self.rows[c % self.rows.len()];
        let count = row.iter().filter(|&&t| x >= t).count() as i128;
        self.base[c % self.base.len()] + self.step[c % self.step.len()] * count
    }
}

/// `qdf.threshold` with channels along `axis`.
pub fn threshold(x: &Tensor, t: &Thresholds, out: FixedType, axis: usize) -> Tensor {
    let ch = channels(&x.shape, t.rows.len(), axis);
    let data = x.data.iter().zip(&ch).map(|(&m, &c)| out.convert(t.eval(c, m), out.frac_bits())).collect();
    Tensor::new(out, &x.shape, data)
}

/// The parameters of `qdf.requant`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requant {
    pub multiplier: Vec<i128>,
    pub shift: i64,
    pub min: Option<i128>,
    pub max: Option<i128>,
}

impl Requant {
    /// The output mantissa for input mantissa `x` (of a type with `fx` fractional bits) in
    /// channel `c`: round onto `out`'s grid with its rounding mode, clamp, then its overflow mode.
    pub fn eval(&self, c: usize, x: i128, fx: i64, out: &FixedType) -> i128 {
        let p = x * self.multiplier[c % self.multiplier.len()];
        // Rounding alone: a type as fine as `out` but wide enough never to overflow.
        let wide = FixedType { width: 127, int_bits: (127 - out.frac_bits()) as i32, signed: true, ..*out };
        let mut r = wide.convert(p, fx + self.shift);
        if let Some(lo) = self.min {
            r = r.max(lo);
        }
        if let Some(hi) = self.max {
            r = r.min(hi);
        }
        out.convert(r, out.frac_bits())
    }
}

/// `qdf.requant` with channels along `axis`.
pub fn requant(x: &Tensor, q: &Requant, out: FixedType, axis: usize) -> Tensor {
    let ch = channels(&x.shape, q.multiplier.len(), axis);
    let fx = x.ty.frac_bits();
    let data = x.data.iter().zip(&ch).map(|(&m, &c)| q.eval(c, m, fx, &out)).collect();
    Tensor::new(out, &x.shape, data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::{Overflow, Rounding};

    #[test]
    fn thresholds_count_and_scale() {
        let t = Thresholds { rows: vec![vec![0, 5], vec![-3, -3]], base: vec![-1, 1], step: vec![1, -1] };
        let x = Tensor::new(FixedType::new(8, 8), &[2, 2], vec![4, 4, 5, -4]);
        let y = threshold(&x, &t, FixedType::new(4, 4), 1);
        // channel 0: 4 >= 0 -> 0; channel 1: 4 >= -3 twice -> 1 - 2; channel 0: 5 -> 1; channel 1: -4 -> 1
        assert_eq!(y.data, vec![0, -1, 1, 1]);
        // Along axis 0 the rows are the channels: [4, 4] in channel 0, [5, -4] in channel 1.
        assert_eq!(threshold(&x, &t, FixedType::new(4, 4), 0).data, vec![0, 0, -1, 1]);
        assert_eq!(channels(&[1, 3, 2], 3, 1), vec![0, 0, 1, 1, 2, 2]);
        assert_eq!(channels(&[1, 2, 3], 3, 2), vec![0, 1, 2, 0, 1, 2]);
    }

    #[test]
    fn requant_rounds_half_even_then_clamps() {
        let out = FixedType::new(8, 8).with_modes(Rounding::RndConv, Overflow::Sat);
        let q = Requant { multiplier: vec![3], shift: 2, min: Some(-5), max: Some(100) };
        let x = Tensor::new(FixedType::new(16, 16), &[1, 5], vec![2, 6, 10, -10, 1000]);
        // 6/4 = 1.5 -> 2; 18/4 = 4.5 -> 4; 30/4 = 7.5 -> 8; -7.5 -> -8 -> -5; 750 -> 100
        assert_eq!(requant(&x, &q, out, 1).data, vec![2, 4, 8, -5, 100]);
    }
}
