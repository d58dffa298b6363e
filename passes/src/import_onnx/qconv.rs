//! Integer convolutions (`QLinearConv`, `ConvInteger`) as exact `nn` ops, the way [`super::qdq`]
//! imports `QLinearMatMul` and `MatMulInteger`:
//! - `nn.sub(x, x_zero_point)` on the integer codes (padding then adds `0`, which is onnxruntime's
//!   padding with the zero point);
//! - `nn.conv` with the integer weights `w - w_zero_point` (per tensor or per output channel)
//!   and, for QLinearConv, the int32 bias: every partial sum is an integer below 2^24, checked with
//!   the actual weights, so float32 computes it exactly in any order;
//! - QLinearConv then multiplies by `x_scale * w_scale[m] / y_scale` (float32, left to right, as
//!   onnxruntime) and quantizes with scale 1 and `y_zero_point`; ConvInteger's int32 result is
//!   the accumulator itself.

use fpgaopt_ir::{Attribute, DiagResult};
use fpgaopt_nn::eval::{self, Tensor};
use fpgaopt_nn::quant::check_scale;
use onnx_protobuf::tensor_proto::DataType;

use super::consts::{Const, Data};
use super::graph::{Importer, Node, Val};
use super::qdq::{column_values, EXACT_F32};

/// The inputs of an integer convolution, by position.
struct Inputs {
    x_zp: Option<usize>,
    w: usize,
    w_zp: Option<usize>,
    bias: Option<usize>,
}

impl Importer<'_> {
    /// Imports QLinearConv or ConvInteger; false when the op type is neither.
    pub(crate) fn integer_conv_node(&mut self, node: &Node) -> DiagResult<bool> {
        match node.op_type() {
            "QLinearConv" => self.qlinear_conv(node)?,
            "ConvInteger" => {
                let inputs = Inputs { x_zp: Some(2), w: 1, w_zp: Some(3), bias: None };
                let acc = self.integer_conv(node, inputs)?;
                self.set_output_dtype(node, 0, DataType::INT32 as i32);
                self.define(node, 0, acc);
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn qlinear_conv(&mut self, node: &Node) -> DiagResult<()> {
        let scalar = |imp: &Self, i: usize, what: &str| -> DiagResult<f32> {
            imp.req_const(node, i, what)?.scalar_f32().ok_or_else(|| node.err(format!("{what} must be a scalar")))
        };
        let (x_scale, y_scale, y_zp) = (scalar(self, 1, "x_scale")?, scalar(self, 6, "y_scale")?, scalar(self, 7, "y_zero_point")?);
        check_scale("x_scale", &[x_scale]).map_err(|e| node.err(e))?;
        check_scale("y_scale", &[y_scale]).map_err(|e| node.err(e))?;
        let m = self.shape(&self.req(node, 3)?).first().copied().unwrap_or(0);
        let w_scale = column_values(node, &self.req_const(node, 4, "w_scale")?, m, "w_scale")?;
        check_scale("w_scale", &w_scale).map_err(|e| node.err(e))?;
        let y = self.linear_type(node, 7, None)?;
        let inputs = Inputs { x_zp: Some(2), w: 3, w_zp: Some(5), bias: Some(8) };
        let acc = self.integer_conv(node, inputs)?;
        // onnxruntime: x_scale * w_scale[m] / y_scale, left to right in float32, per channel.
        let mult: Vec<f32> = w_scale.iter().map(|&w| x_scale * w / y_scale).collect();
        let rank = self.shape(&acc).len();
        let mult = if mult.iter().all(|&v| v == mult[0]) {
            Const::f32(vec![], vec![mult[0]])
        } else {
            let mut shape = vec![m];
            shape.resize(rank - 1, 1);
            Const::f32(shape, mult)
        };
        self.requantize(node, acc, &mult, y_zp, y)
    }

    /// `nn.conv(x - x_zp, w - w_zp, bias)` on integer codes, after checking every partial sum is
    /// exact in float32; the accumulator's integer range is recorded.
    fn integer_conv(&mut self, node: &Node, inputs: Inputs) -> DiagResult<Val> {
        let x = self.req(node, 0)?;
        let xs = self.spatial_shape(node, &x)?;
        let x_zp = match inputs.x_zp.map(|i| self.input(node, i)).transpose()?.flatten() {
            None => 0.0,
            Some(Val::Const(c)) => c.scalar_f32().ok_or_else(|| node.err("x_zero_point must be a scalar"))?,
            Some(Val::Ir(_)) => return Err(node.err("x_zero_point must be a constant")),
        };
        let wc = self.req_const(node, inputs.w, "the weight")?;
        let Data::I64(codes) = &wc.data else { return Err(node.err("the weight must be an integer constant")) };
        let ws = wc.shape.clone();
        if ws.len() != xs.len() {
            return Err(node.err(format!("weight {ws:?} must have the input's rank {}", xs.len())));
        }
        let m = ws[0];
        let w_zp = match inputs.w_zp.map(|i| self.input(node, i)).transpose()?.flatten() {
            None => vec![0.0; m as usize],
            Some(Val::Const(c)) => column_values(node, &c, m, "w_zero_point")?,
            Some(Val::Ir(_)) => return Err(node.err("w_zero_point must be a constant")),
        };
        let per = (codes.len() / m.max(1) as usize).max(1);
        let w: Vec<f32> = codes.iter().enumerate().map(|(i, &q)| q as f32 - w_zp[i / per]).collect();
        let bias = match inputs.bias.map(|i| self.input(node, i)).transpose()?.flatten() {
            None => vec![0.0; m as usize],
            Some(Val::Const(c)) if c.shape == [m] && matches!(c.data, Data::I64(_)) => c.to_f32(),
            Some(Val::Const(c)) => return Err(node.err(format!("the bias must be an int32 [{m}], got shape {:?}", c.shape))),
            Some(Val::Ir(_)) => return Err(node.err("the bias must be a constant")),
        };
        let kernel = ws[2..].to_vec();
        if let Some(k) = node.ints("kernel_shape")?.filter(|k| *k != kernel) {
            return Err(node.err(format!("kernel_shape {k:?} does not match the weight {ws:?}")));
        }
        let window = self.window(node, kernel, &xs, false)?;
        let group = node.int("group", 1)?;
        if group <= 0 || xs[1] % group != 0 || m % group != 0 || ws[1] * group != xs[1] {
            return Err(node.err(format!("group {group} does not fit input channels {} and weight {ws:?}", xs[1])));
        }
        let out = window.result_shape(&xs, m).map_err(|e| node.err(e))?;
        let (lo, hi) = match &x {
            Val::Ir(v) => *self.int_ranges.get(v).ok_or_else(|| {
                node.err("the input must hold integer codes: the output of QuantizeLinear or another QOperator")
            })?,
            Val::Const(c) => match c.data {
                Data::I64(ref v) => (v.iter().copied().min().unwrap_or(0), v.iter().copied().max().unwrap_or(0)),
                Data::F32(_) => return Err(node.err("the input must be an integer tensor")),
            },
        };
        let amax = (lo as f32 - x_zp).abs().max((hi as f32 - x_zp).abs()) as i64;
        let bound = (0..m as usize)
            .map(|c| w[c * per..(c + 1) * per].iter().map(|v| v.abs() as i64).sum::<i64>() * amax + bias[c].abs() as i64)
            .max()
            .unwrap_or(0);
        if bound >= EXACT_F32 {
            return Err(node.err(format!(
                "the integer convolution may reach {bound}, beyond 2^24, where float32 (the nn dialect's number type) is no longer exact"
            )));
        }
        let attrs = vec![
            ("dilations", Attribute::i64_array(&window.dilations)),
            ("group", Attribute::i64(group)),
            ("pads", Attribute::i64_array(&window.pads)),
            ("strides", Attribute::i64_array(&window.strides)),
        ];
        let (wt, bt) = (Tensor { shape: ws.clone(), data: w }, Tensor { shape: vec![m], data: bias });
        let zp = Tensor::scalar(x_zp);
        let acc = match &x {
            Val::Const(c) => {
                let shifted = eval::sub(&Tensor { shape: c.shape.clone(), data: c.to_f32() }, &zp).map_err(|e| node.err(e))?;
                let y = eval::conv(&shifted, &wt, &bt, &window, group as usize).map_err(|e| node.err(e))?;
                return Ok(Val::Const(Const::i64(y.shape, y.data.iter().map(|&v| v as i64).collect())));
            }
            Val::Ir(v) => *v,
        };
        let shifted = if x_zp != 0.0 {
            let zv = self.new_constant(node, &Const::f32(vec![], vec![x_zp]))?;
            self.emit(node, fpgaopt_nn::Sub::def(), vec![acc, zv], xs.clone(), vec![])
        } else {
            acc
        };
        let wv = self.new_constant(node, &Const::f32(ws, wt.data))?;
        let bv = self.new_constant(node, &Const::f32(vec![m], bt.data))?;
        let y = self.emit(node, fpgaopt_nn::Conv::def(), vec![shifted, wv, bv], out, attrs);
        self.int_ranges.insert(y, (-bound, bound));
        Ok(Val::Ir(y))
    }
}
