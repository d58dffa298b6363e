//! `nn.global_max_pool` and `nn.conv_transpose` in a quantized model, channels-last like the
//! float path (`nn_to_qdf::spatial_extra`).
//!
//! - `nn.global_max_pool` on codes (fixed, or scaled by positive scales: max commutes with them).
//! - `nn.conv_transpose` on an exact fixed input with weights on a power-of-two grid: the
//!   equivalent integer `qdf.conv` of the zero-inserted, padded input. The reference (GEMM, then
//!   col2im, then `+ bias`) forms only partial sums of subsets of the products, so the conv's
//!   24-bit test proves it exact exactly as for `nn.conv`, with the bias in the exact sum or added
//!   in float32 after it.

use fpgaopt_ir::{DiagResult, InsertPoint, OpId, Type};
use fpgaopt_nn as nn;
use fpgaopt_qdf::FixedType;

use super::spatial::IntegerConv;
use super::{shape_of, Form, QConverter, QVal};
use crate::nn_to_qdf::op_err;
use crate::nn_to_qdf::spatial::{derived_loc, to_first, to_last, transpose};
use crate::nn_to_qdf::spatial_extra::{global_max, TransposedConv};

impl QConverter<'_> {
    /// `nn.global_max_pool` of codes.
    pub(super) fn global_max_pool(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let x = self.val(self.base.m.operand(op, 0), op)?;
        let (v, scale) = match &x.form {
            Form::Fixed(v) => (*v, None),
            Form::Scaled(v, s) if s.iter().all(|&s| s > 0.0) => (*v, Some(s.clone())),
            _ => return Err(op_err(&loc, "nn.global_max_pool", "is lowered only on fixed-point codes yet")),
        };
        let at = InsertPoint::Before(op);
        let r = shape_of(self.base.m, v).len();
        let tx = self.fixed_type(v);
        let xt = transpose(self.m(), at, derived_loc(&loc, "to_last"), v, &to_last(r));
        let y = global_max(self.m(), at, &loc, xt, &tx);
        let y = transpose(self.m(), at, derived_loc(&loc, "to_first"), y, &to_first(r));
        let form = match scale {
            Some(s) => Form::Scaled(y, s),
            None => Form::Fixed(y),
        };
        Ok(QVal { form, exact: x.exact })
    }

    /// `nn.conv_transpose` as the integer `qdf.conv` of the zero-inserted input.
    pub(super) fn conv_transpose(&mut self, op: OpId) -> DiagResult<QVal> {
        let m = &*self.base.m;
        let loc = m.op(op).loc.clone();
        let name = "nn.conv_transpose";
        let c = nn::ConvTranspose(op);
        let x = self.val(c.input(m), op)?;
        let Form::Fixed(v) = x.form else {
            return Err(op_err(&loc, name, "is lowered only on exact fixed-point inputs yet (float32 or non-power-of-two-scaled inputs need the reference's float32 order)"));
        };
        let (Some((ws, wv)), Some((_, b))) = (self.constant(c.weight(m)), self.constant(c.bias(m))) else {
            return Err(op_err(&loc, name, "weights and bias of a quantized model must be constants"));
        };
        let tc = TransposedConv::new(m, op, &ws, &wv.iter().map(|&w| w as f64).collect::<Vec<_>>());
        let ys = shape_of(m, c.output(m));
        let at = InsertPoint::Before(op);
        let r = ys.len();
        let tx = self.fixed_type(v);
        let xt = transpose(self.m(), at, derived_loc(&loc, "to_last"), v, &to_last(r));
        let xp = tc.prepare(self.m(), at, &loc, xt);
        let ones = vec![1; r - 2];
        let conv = IntegerConv { weight_shape: &tc.weight_shape, weight: &tc.weight, bias: &b, strides: &ones, dilations: &tc.dilations, group: tc.group };
        let last: Vec<i64> = to_last(r).iter().map(|&a| ys[a as usize]).collect();
        self.integer_conv(at, &loc, xp, &tx, &conv, x.exact, |t: &FixedType| Type::tensor(last.clone(), t.to_type()))
    }
}
