//! `nn.conv` in a quantized model as the reference's own float32 convolution (`qdf.fconv`).
//!
//! Chosen when the integer `qdf.conv` cannot be the reference's result: the input is a float
//! (a raw model input) or scaled codes (a non-power-of-two quantizer's, whose float32 values
//! `f32(code * s)` the reference multiplies), or it is exact fixed point but the weights are not on
//! a power-of-two grid of at most 24 bits or a partial sum can exceed 24 significant bits, and
//! `inexact-sums` asks for float32 (`auto` does in QONNX models). The input's float32 value is
//! convolved channels-last after a `qdf.pad` with 0 (MLAS's im2col puts the same zeros into its
//! FMA chain), with the K block of onnxruntime's GEMM split
//! ([`fpgaopt_nn::eval::mlas_conv`]): bit-identical by construction. Not provably so (a remark)
//! when MLAS's thread segments would sum in different blocks, or when it runs the convolution
//! through an M = 1 kernel (one filter per group, or a single output position), whose orders
//! `qdf.fconv` does not model.

use fpgaopt_ir::{Attribute, DiagResult, InsertPoint, OpId, Type};
use fpgaopt_nn as nn;
use fpgaopt_nn::eval::mlas_conv::{conv_segments, REFERENCE_THREADS};
use fpgaopt_qdf as qdf;

use super::grid;
use super::{shape_of, Form, QConverter, QVal};
use crate::nn_to_qdf::rules::{dense_acc, Operand};
use crate::nn_to_qdf::spatial::{derived_loc, pad, to_first, to_last, transpose, weight_to_last, SpatialWindow};
use crate::nn_to_qdf::{layer_name, op_err};
use fpgaopt_qdf::FixedType;

impl QConverter<'_> {
    /// `qdf.fconv` for the `nn.conv` `op` when the integer convolution is not the reference's
    /// result (see the module docs); `None` to take the integer path.
    pub(super) fn float_conv(&mut self, op: OpId, x: &QVal, w: &SpatialWindow) -> DiagResult<Option<QVal>> {
        let m = &*self.base.m;
        let loc = m.op(op).loc.clone();
        let c = nn::Conv(op);
        let (Some((ws, wv)), Some((_, b))) = (self.constant(c.weight(m)), self.constant(c.bias(m))) else {
            return Err(op_err(&loc, "nn.conv", "weights and bias of a quantized model must be constants"));
        };
        let group = c.group(m).max(1) as usize;
        let integer = match &x.form {
            Form::Fixed(v) => Some(self.integer_conv_is_exact(*v, &ws, &wv, &b)),
            _ => None,
        };
        match integer {
            Some(true) => return Ok(None),
            Some(false) if !self.float_sums => return Ok(None),
            Some(false) => self.float_layers.push(layer_name(&loc).unwrap_or("?").to_string()),
            None => {}
        }
        let at = InsertPoint::Before(op);
        let xf = self.float_of(x, at, &loc);
        let r = ws.len();
        let xt = transpose(self.m(), at, derived_loc(&loc, "to_last"), xf, &to_last(r));
        let xp = pad(self.m(), at, derived_loc(&loc, "pad"), xt, &w.last_pads, 0);
        let (wshape, wl) = weight_to_last(&ws, &wv.iter().map(|&v| v as f64).collect::<Vec<_>>());
        let wl: Vec<f32> = wl.iter().map(|&v| v as f32).collect();
        let wc = self.fconst(at, &loc, &wshape, &wl);
        let bc = self.fconst(at, &loc, &[b.len() as i64], &b);
        // The split of onnxruntime's GEMM: one K block for every output position, or a remark.
        let ys = shape_of(self.base.m, self.base.m.result(op, 0));
        let (filters, outputs) = (ws[0] as usize / group, w.out.iter().product::<i64>() as usize);
        let k = wl.len() / ws[0].max(1) as usize;
        let segments = conv_segments(filters, outputs, k, ys[0] as usize * group, REFERENCE_THREADS);
        let k_block = segments.first().map_or(k, |s| s.k_block).min(k.max(1));
        let mut exact = x.exact;
        if segments.iter().any(|s| s.k_block.min(k.max(1)) != k_block) {
            self.approx(&loc, "onnxruntime's thread segments sum this convolution in different K blocks");
            exact = false;
        } else if filters == 1 || outputs == 1 {
            self.approx(&loc, "onnxruntime runs this convolution through an M = 1 kernel, whose order qdf.fconv does not model");
            exact = false;
        }
        let p = to_last(ys.len());
        let out = Type::tensor(p.iter().map(|&a| ys[a as usize]).collect::<Vec<i64>>(), Type::F32);
        let spec = qdf::FConv::spec(loc.clone())
            .operands([xp, wc, bc])
            .results([out])
            .attr("strides", Attribute::i64_array(&w.strides))
            .attr("dilations", Attribute::i64_array(&w.dilations))
            .attr("group", Attribute::i64(group as i64))
            .attr("k_block", Attribute::i64(k_block as i64));
        let o = self.m().build(at, spec);
        let y = self.base.m.result(o, 0);
        let y = transpose(self.m(), at, derived_loc(&loc, "to_first"), y, &to_first(ys.len()));
        Ok(Some(QVal::float(y, exact)))
    }

    /// True when the integer `qdf.conv` of the exact fixed input `x` is provably the reference's
    /// float32 result: weights on a power-of-two grid of at most 24 bits, and every partial sum
    /// within 24 significant bits (with the bias, or without it and the bias added after).
    fn integer_conv_is_exact(&self, x: fpgaopt_ir::ValueId, ws: &[i64], wv: &[f32], b: &[f32]) -> bool {
        let tx = self.fixed_type(x);
        let (wshape, wl) = weight_to_last(ws, &wv.iter().map(|&v| v as f64).collect::<Vec<_>>());
        let n = *wshape.last().unwrap_or(&1) as usize;
        let k = wl.len() / n.max(1);
        let Some(gw) = grid::grid(&wl, 24) else { return false };
        let gb = super::grid(&b.iter().map(|&v| v as f64).collect::<Vec<_>>());
        let zero = grid::Grid { frac: 0, mantissas: vec![0; n] };
        let ty = |g: &grid::Grid| FixedType::new(g.width(), g.width() as i32 - g.frac as i32);
        let fits = |bias: &grid::Grid| {
            dense_acc(&tx, &Operand { ty: ty(&gw), values: Some(&gw.mantissas) }, &Operand { ty: ty(bias), values: Some(&bias.mantissas) }, k, n).is_ok_and(|a| a.width <= 25)
        };
        fits(&gb) || fits(&zero)
    }
}
