//! The fixed-point tail (`float-tail=fixed`): the ops after the last quantizer at the `precision`
//! option's fractional bits, with integer bits from an interval analysis so nothing overflows.
//!
//! Each value of the tail carries the interval of its real values: a fixed value from a quantized
//! layer its type's range, `x + c`, `x - c`, `x * c`, `x / c` (constants, per channel) and relu
//! their images. A result type is `fixed<I + F, I>` with F = precision's fractional bits and I the
//! integer bits of the interval plus a sign bit, with precision's rounding and overflow modes;
//! constants are quantized like weights (half to even) with `precision`'s width in significant
//! bits. Everything else (softmax, sigmoid, ...) goes through the float-model
//! conversion at `precision`. The error of each step is at most one LSB of its result type
//! (2^-F) plus the constant's rounding (2^-W relative to the constant) times the operand.

use fpgaopt_ir::{DiagResult, InsertPoint, OpId, ValueId};
use fpgaopt_qdf::{self as qdf, FixedType};

use super::{Form, QConverter, QVal};
use crate::nn_to_qdf::{rules, tensor_of};

/// Integer bits (sign included) of a signed type holding `[lo, hi]`.
fn int_bits(lo: f64, hi: f64) -> i32 {
    let m = lo.abs().max(hi.abs()).max(1.0);
    m.log2().floor() as i32 + 2
}

impl QConverter<'_> {
    /// The real interval of a converted tail operand.
    fn interval(&self, v: ValueId) -> Option<(f64, f64)> {
        if let Some(&i) = self.intervals.get(&v) {
            return Some(i);
        }
        let q = self.vals.get(&v)?;
        let Form::Fixed(f) = q.form else { return None };
        let t = self.fixed_type(f);
        Some((t.to_f64(t.min_mantissa()), t.to_f64(t.max_mantissa())))
    }

    /// Converts a tail op this module handles (`x op c` with a constant c, relu); `None` for others.
    pub(super) fn fixed_tail_op(&mut self, op: OpId) -> DiagResult<Option<QVal>> {
        let (name, loc, x, r) = {
            let m = &*self.base.m;
            (m.op(op).name(), m.op(op).loc.clone(), m.operand(op, 0), m.result(op, 0))
        };
        let at = InsertPoint::Before(op);
        let Some((lo, hi)) = self.interval(x) else { return Ok(None) };
        let Some(QVal { form: Form::Fixed(xv), .. }) = self.vals.get(&x).cloned() else { return Ok(None) };
        let p = self.base.s.precision;
        let f = p.frac_bits();
        let out_ty = self.base.m.ty(r).clone();
        let typed = |lo: f64, hi: f64| {
            let i = int_bits(lo, hi);
            FixedType { width: (i as i64 + f).max(2) as u32, int_bits: i, ..p }
        };
        let (y, interval) = match name {
            "nn.relu" => {
                let (lo, hi) = (lo.max(0.0), hi.max(0.0));
                let t = tensor_of(&out_ty, &typed(lo, hi));
                (qdf::Relu::build(self.m(), at, loc, xv, t).output(self.base.m), (lo, hi))
            }
            "nn.add" | "nn.sub" | "nn.mul" | "nn.div" => {
                let Some((cs, c)) = self.constant(self.base.m.operand(op, 1)) else { return Ok(None) };
                let c: Vec<f64> = c.iter().map(|&v| v as f64).collect();
                let (cv, kind) = if name == "nn.div" { (c.iter().map(|&v| 1.0 / v).collect::<Vec<_>>(), "nn.mul") } else { (c, name) };
                let (clo, chi) = cv.iter().fold((f64::MAX, f64::MIN), |(a, b), &v| (a.min(v), b.max(v)));
                let (rlo, rhi) = match kind {
                    "nn.add" => (lo + clo, hi + chi),
                    "nn.sub" => (lo - chi, hi - clo),
                    _ => {
                        let p4 = [lo * clo, lo * chi, hi * clo, hi * chi];
                        (p4.iter().copied().fold(f64::MAX, f64::min), p4.iter().copied().fold(f64::MIN, f64::max))
                    }
                };
                // Constants keep `precision`'s width in significant bits (a reciprocal like
                // 1/18.6 keeps 16 bits, not 10 fractional ones).
                let cmax = clo.abs().max(chi.abs());
                let ci = if cmax > 0.0 { cmax.log2().floor() as i32 + 2 } else { 1 };
                let cty = FixedType { width: p.width, int_bits: ci, ..p };
                let cm = rules::quantize_const(&cv, &cty);
                let k = self.qconst(at, &loc, &cs, cty, &cm)?;
                let t = tensor_of(&out_ty, &typed(rlo, rhi));
                let mm = self.m();
                let y = match kind {
                    "nn.add" => qdf::Add::build(mm, at, loc, xv, k, t).output(mm),
                    "nn.sub" => qdf::Sub::build(mm, at, loc, xv, k, t).output(mm),
                    _ => qdf::Mul::build(mm, at, loc, xv, k, t).output(mm),
                };
                (y, (rlo, rhi))
            }
            _ => return Ok(None),
        };
        self.intervals.insert(r, interval);
        Ok(Some(QVal::fixed(y, false)))
    }
}
