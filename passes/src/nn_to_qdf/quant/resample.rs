//! The resampling ops in a quantized model: data movement of the value in its form
//! (`nn_to_qdf::resample` builds the ops). Codes with one scale stay codes; per-channel scaled
//! codes are moved as their float32 values (a pixel shuffle moves channels, and with them scales).

use fpgaopt_ir::{DiagResult, InsertPoint, OpId};

use super::{Form, QConverter, QVal};
use crate::nn_to_qdf::{op_err, resample};

impl QConverter<'_> {
    /// `nn.resize`, `nn.depth_to_space`, `nn.space_to_depth`.
    pub(super) fn resample(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let name = self.base.m.op(op).name();
        let x = self.val(self.base.m.operand(op, 0), op)?;
        let at = InsertPoint::Before(op);
        let (v, scale) = match &x.form {
            Form::Fixed(v) | Form::Float(v) => (*v, None),
            Form::Scaled(v, s) if s.len() == 1 => (*v, Some(s.clone())),
            Form::Scaled(..) => (self.float_of(&x, at, &loc), None),
        };
        let y = resample::build(self.m(), op, v).map_err(|e| op_err(&loc, name, e))?;
        let form = match (scale, &x.form) {
            (Some(s), _) => Form::Scaled(y, s),
            (None, Form::Fixed(_)) => Form::Fixed(y),
            (None, _) => Form::Float(y),
        };
        Ok(QVal { form, exact: x.exact })
    }
}
