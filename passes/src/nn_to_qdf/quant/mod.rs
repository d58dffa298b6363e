//! `nn-to-qdf` for quantized models (any function holding `nn.quant`, `nn.bipolar_quant`,
//! `nn.trunc`, `nn.qdq` or `nn.quantize_linear`): every value keeps exactly the meaning its
//! reference (qonnx / onnxruntime) gives it, in one of three forms ([`Form`]):
//!
//! - `Fixed`: a fixed-point tensor whose exact value *is* the reference's float32 value. Quantizers
//!   with power-of-two scales make these, and every op whose float32 result the reference computes
//!   exactly (a dense whose partial sums fit 24 bits, relu, adds on the grid) keeps them;
//! - `Scaled`: integer codes times a per-channel real scale (non-power-of-two quantizers). The
//!   reference holds `f32(code * scale)`, which `qdf.dequantize` + `qdf.fmul` reproduce;
//! - `Float`: an f32 tensor computed by the float32 qdf ops in the reference's order (a float input
//!   layer, a batch norm between an accumulator and a quantizer, the float tail).
//!
//! Each value also records whether it is *provably* bit-identical to the reference; the pass
//! reports the layers where it is not (a float32 sum the reference rounds, non-power-of-two scales)
//! as a remark. See `docs/design/quantization.md` for the rules and their proofs.

mod dense;
mod fconv;
mod fold;
pub mod grid;
mod quantizer;
mod requant;
mod resample;
mod spatial;
mod spatial_extra;
mod tail;

use std::collections::{HashMap, HashSet};

use fpgaopt_ir::builtin::ReturnOp;
use fpgaopt_ir::{Attribute, DenseElements, DiagResult, Diagnostic, InsertPoint, Location, Module, OpId, Severity, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf::{self as qdf, FixedType, Overflow, Rounding};

use super::{layer_name, op_err, tensor_of, Converter, Settings};
use grid::Grid;

/// How the ops after the last quantizer are computed (`float-tail`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FloatTail {
    /// In float32, in the reference's order: exact.
    ExactF32,
    /// In fixed point at `precision`, like a float model.
    Fixed,
}

/// The three forms a value of a quantized model takes in qdf.
#[derive(Clone, Debug, PartialEq)]
pub enum Form {
    Fixed(ValueId),
    /// Codes times `scale[c]` (one value, or one per channel of axis 1).
    Scaled(ValueId, Vec<f64>),
    Float(ValueId),
}

/// A converted value: its form and whether it provably equals the reference bit for bit.
#[derive(Clone, Debug, PartialEq)]
pub struct QVal {
    pub form: Form,
    pub exact: bool,
}

impl QVal {
    fn fixed(v: ValueId, exact: bool) -> QVal {
        QVal { form: Form::Fixed(v), exact }
    }
    fn float(v: ValueId, exact: bool) -> QVal {
        QVal { form: Form::Float(v), exact }
    }
}

/// True when the ops of a function include a quantizer.
pub fn is_quantized(m: &Module, ops: &[OpId]) -> bool {
    ops.iter().any(|&o| is_quantizer(m, o))
}

fn is_quantizer(m: &Module, op: OpId) -> bool {
    matches!(m.op(op).name(), "nn.quant" | "nn.bipolar_quant" | "nn.trunc" | "nn.qdq" | "nn.quantize_linear")
}

/// `inexact-sums` for a function. `auto` is float32 unless every quantizer is an ONNX one
/// (QDQ/QOperator) of at most 8 bits: there the integer codes and rescales are the model, and
/// the reference's float32 noise stays far below one output step (measured: 100% identical on
/// 4,000 samples of each 8-bit model, 99.66% with int16 activations).
fn float_sums(m: &Module, ops: &[OpId], setting: super::InexactSums) -> bool {
    match setting {
        super::InexactSums::Integer => false,
        super::InexactSums::Float32 => true,
        super::InexactSums::Auto => !ops.iter().filter(|&&o| is_quantizer(m, o)).all(|&o| {
            let op = m.op(o);
            matches!(op.name(), "nn.qdq" | "nn.quantize_linear") && op.attr("bit_width").and_then(|a| a.as_int()).is_some_and(|b| b <= 8)
        }),
    }
}

/// The converter of a quantized function.
pub(super) struct QConverter<'a> {
    pub base: Converter<'a>,
    vals: HashMap<ValueId, QVal>,
    /// The nn ops after the last quantizer.
    tail: HashSet<OpId>,
    /// float-tail=fixed.
    fixed_tail: bool,
    /// Real intervals of fixed-point tail values.
    intervals: HashMap<ValueId, (f64, f64)>,
    /// Layers whose result is not provably bit-identical, with the reason (first occurrence).
    pub inexact: Vec<(String, String)>,
    /// `inexact-sums` resolved for this function: dense layers the reference rounds are float32.
    float_sums: bool,
    /// Dense layers before the tail made float32 by `float_sums`.
    float_layers: Vec<String>,
}

/// The shape of a value.
pub(super) fn shape_of(m: &Module, v: ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

/// A per-channel parameter `[C]` (axis 1) as a shape broadcasting to rank `rank`: `[C, 1, ...]`.
pub(super) fn channel_shape(c: usize, rank: usize) -> Vec<i64> {
    if c <= 1 {
        return vec![];
    }
    let mut s = vec![c as i64];
    s.extend(std::iter::repeat_n(1, rank.saturating_sub(2)));
    s
}

/// The signed type with `frac` fractional bits holding every mantissa in `[-bound, bound]`.
pub(super) fn signed_for(bound: u128, frac: i64) -> FixedType {
    super::rules::signed_type_for(bound, frac)
}

impl<'a> QConverter<'a> {
    pub fn new(base: Converter<'a>) -> QConverter<'a> {
        QConverter { base, vals: HashMap::new(), tail: HashSet::new(), fixed_tail: false, intervals: HashMap::new(), inexact: vec![], float_sums: false, float_layers: vec![] }
    }

    fn m(&mut self) -> &mut Module {
        self.base.m
    }

    /// Records that the layer at `loc` is not provably exact.
    fn approx(&mut self, loc: &Location, reason: impl Into<String>) {
        let name = layer_name(loc).unwrap_or("?").to_string();
        if !self.inexact.iter().any(|(n, _)| *n == name) {
            self.inexact.push((name, reason.into()));
        }
    }

    /// The converted form of nn value `v` (constants are not values here).
    fn val(&self, v: ValueId, user: OpId) -> DiagResult<QVal> {
        self.vals.get(&v).cloned().ok_or_else(|| {
            let loc = self.base.m.op(user).loc.clone();
            op_err(&loc, self.base.m.op(user).name(), "an operand is neither converted nor a constant")
        })
    }

    /// The f32 values of an `nn.constant`.
    fn constant(&self, v: ValueId) -> Option<(Vec<i64>, Vec<f32>)> {
        nn::Constant::defining(self.base.m, v).map(|c| {
            let d = c.value(self.base.m);
            (d.ty.shape().unwrap_or(&[]).to_vec(), d.to_f32_vec())
        })
    }

    fn fconst(&mut self, at: InsertPoint, loc: &Location, shape: &[i64], vals: &[f32]) -> ValueId {
        let d = DenseElements::from_f32(shape, vals);
        qdf::FConstant::build(self.m(), at, loc.clone(), Type::tensor(shape.to_vec(), Type::F32), d).output(self.base.m)
    }

    fn qconst(&mut self, at: InsertPoint, loc: &Location, shape: &[i64], ty: FixedType, vals: &[i128]) -> DiagResult<ValueId> {
        let d = super::mantissas_attr(shape, &ty, vals).map_err(|e| Diagnostic::error(loc.clone(), e))?;
        Ok(qdf::Constant::build(self.m(), at, loc.clone(), Type::tensor(shape.to_vec(), ty.to_type()), d).output(self.base.m))
    }

    /// An f32 tensor of the value: fixed values dequantize exactly (they hold at most 24
    /// significant bits when exact), scaled codes dequantize and multiply by their scale in f32
    /// (`f32(code * scale)`, what the reference holds).
    fn float_of(&mut self, q: &QVal, at: InsertPoint, loc: &Location) -> ValueId {
        match &q.form {
            Form::Float(v) => *v,
            Form::Fixed(v) => self.dequantize(*v, at, loc),
            Form::Scaled(v, scale) => {
                let d = self.dequantize(*v, at, loc);
                let rank = shape_of(self.base.m, d).len();
                let s: Vec<f32> = scale.iter().map(|&s| s as f32).collect();
                let c = self.fconst(at, loc, &channel_shape(s.len(), rank), &s);
                let ty = self.base.m.ty(d).clone();
                qdf::FMul::build(self.m(), at, loc.clone(), d, c, ty).output(self.base.m)
            }
        }
    }

    fn dequantize(&mut self, v: ValueId, at: InsertPoint, loc: &Location) -> ValueId {
        let ty = Type::tensor(shape_of(self.base.m, v), Type::F32);
        qdf::Dequantize::build(self.m(), at, loc.clone(), v, ty).output(self.base.m)
    }

    /// The fixed type of a qdf value.
    fn fixed_type(&self, v: ValueId) -> FixedType {
        FixedType::of_tensor(self.base.m.ty(v)).unwrap_or(self.base.s.precision)
    }

    /// A fixed value at `precision` for a fixed-point tail op.
    fn at_precision(&mut self, q: &QVal, at: InsertPoint, loc: &Location) -> DiagResult<ValueId> {
        let p = self.base.s.precision;
        Ok(match &q.form {
            Form::Fixed(v) => *v,
            Form::Float(v) => {
                let ty = tensor_of(self.base.m.ty(*v), &p);
                qdf::Quantize::build(self.m(), at, loc.clone(), *v, ty).output(self.base.m)
            }
            Form::Scaled(v, scale) => {
                // codes * scale, the scale with 24 significant bits.
                let rank = shape_of(self.base.m, *v).len();
                let g = grid(&scale.iter().map(|&s| s as f32 as f64).collect::<Vec<_>>());
                let cty = FixedType::new(g.width(), g.width() as i32 - g.frac as i32);
                let c = self.qconst(at, loc, &channel_shape(scale.len(), rank), cty, &g.mantissas)?;
                let ty = tensor_of(self.base.m.ty(*v), &p);
                qdf::Mul::build(self.m(), at, loc.clone(), *v, c, ty).output(self.base.m)
            }
        })
    }

    /// Converts one nn op (not a constant, not the return); returns the form of its result.
    fn convert(&mut self, op: OpId) -> DiagResult<QVal> {
        let name = self.base.m.op(op).name();
        match name {
            "nn.quant" | "nn.bipolar_quant" | "nn.trunc" | "nn.qdq" | "nn.quantize_linear" => self.quantizer(op),
            "nn.dense" => self.dense(op),
            "nn.relu" => self.relu(op),
            "nn.add" | "nn.sub" | "nn.mul" | "nn.div" => self.arith(op),
            "nn.batch_norm" => self.batch_norm(op),
            "nn.reshape" | "nn.flatten" => self.reshape(op),
            "nn.slice" => self.slice(op),
            "nn.conv" | "nn.max_pool" | "nn.average_pool" | "nn.global_average_pool" => self.window(op),
            "nn.global_max_pool" => self.global_max_pool(op),
            "nn.conv_transpose" => self.conv_transpose(op),
            "nn.pad" | "nn.transpose" => self.move_data(op),
            "nn.concat" => self.concat(op),
            "nn.resize" | "nn.depth_to_space" | "nn.space_to_depth" => self.resample(op),
            // Computes nothing (nn-canonicalize removes it first in the default pipeline).
            "nn.identity" | "nn.dropout" | "nn.cast" => self.val(self.base.m.operand(op, 0), op),
            "nn.softmax" => {
                let loc = self.base.m.op(op).loc.clone();
                let x = self.val(self.base.m.operand(op, 0), op)?;
                let at = InsertPoint::Before(op);
                let xf = self.float_of(&x, at, &loc);
                let ty = self.base.m.ty(self.base.m.result(op, 0)).clone();
                let axis = nn::Softmax(op).axis(self.base.m);
                let y = qdf::FSoftmax::build(self.m(), at, loc.clone(), xf, ty, axis).output(self.base.m);
                Ok(QVal::float(y, x.exact))
            }
            other => {
                let loc = self.base.m.op(op).loc.clone();
                Err(op_err(
                    &loc,
                    other,
                    "is not supported in a quantized model outside a fixed-point tail (float-tail=fixed converts the ops after the last quantizer)",
                ))
            }
        }
    }

    fn relu(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let x = self.val(self.base.m.operand(op, 0), op)?;
        let form = match &x.form {
            Form::Fixed(v) | Form::Scaled(v, _) => {
                // relu(code * s) = relu(code) * s for s > 0.
                let ty = self.base.m.ty(*v).clone();
                let y = qdf::Relu::build(self.m(), at, loc, *v, ty).output(self.base.m);
                match &x.form {
                    Form::Scaled(_, s) => Form::Scaled(y, s.clone()),
                    _ => Form::Fixed(y),
                }
            }
            Form::Float(v) => {
                let ty = self.base.m.ty(*v).clone();
                Form::Float(qdf::FRelu::build(self.m(), at, loc, *v, ty).output(self.base.m))
            }
        };
        Ok(QVal { form, exact: x.exact })
    }

    fn reshape(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let x = self.val(self.base.m.operand(op, 0), op)?;
        let out_shape = shape_of(self.base.m, self.base.m.result(op, 0));
        let (v, scale) = match &x.form {
            Form::Scaled(v, s) if s.len() == 1 => (*v, Some(s.clone())),
            Form::Scaled(..) => (self.float_of(&x, at, &loc), None),
            Form::Fixed(v) | Form::Float(v) => (*v, None),
        };
        let elem = self.base.m.ty(v).element().cloned().unwrap_or(Type::F32);
        let y = qdf::Reshape::build(self.m(), at, loc, v, Type::tensor(out_shape, elem)).output(self.base.m);
        let form = match (&x.form, scale) {
            (_, Some(s)) => Form::Scaled(y, s),
            (Form::Fixed(_), None) => Form::Fixed(y),
            _ => Form::Float(y),
        };
        Ok(QVal { form, exact: x.exact })
    }

    /// `nn.slice` (a merged layer read back): the codes sliced, a per-channel scale with them
    /// when the channel axis (1) is the sliced one.
    fn slice(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let x = self.val(self.base.m.operand(op, 0), op)?;
        let s = nn::Slice(op);
        let (axis, start, size) = (s.axis(self.base.m), s.start(self.base.m), s.size(self.base.m));
        let out_shape = shape_of(self.base.m, self.base.m.result(op, 0));
        let v = match &x.form {
            Form::Fixed(v) | Form::Scaled(v, _) | Form::Float(v) => *v,
        };
        let elem = self.base.m.ty(v).element().cloned().unwrap_or(Type::F32);
        let spec = qdf::Slice::spec(loc)
            .operands([v])
            .results([Type::tensor(out_shape.clone(), elem)])
            .attr("axis", Attribute::i64(axis))
            .attr("start", Attribute::i64(start))
            .attr("size", Attribute::i64(size));
        let o = self.m().build(at, spec);
        let y = self.base.m.result(o, 0);
        let channel_axis = fpgaopt_ir::shape::norm_axis(axis, out_shape.len()).is_ok_and(|a| a == 1);
        let form = match &x.form {
            Form::Scaled(_, sc) if sc.len() > 1 && channel_axis => {
                Form::Scaled(y, sc.get(start as usize..(start + size) as usize).map(<[f64]>::to_vec).unwrap_or_default())
            }
            Form::Scaled(_, sc) => Form::Scaled(y, sc.clone()),
            Form::Fixed(_) => Form::Fixed(y),
            Form::Float(_) => Form::Float(y),
        };
        Ok(QVal { form, exact: x.exact })
    }

    /// `nn.batch_norm` left in a quantized model: `x * s + t` in float32, onnxruntime's formula.
    fn batch_norm(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let ops = self.base.m.op(op).operands.clone();
        let mut p = vec![];
        for &v in &ops[1..] {
            let (_, vals) = self.constant(v).ok_or_else(|| op_err(&loc, "nn.batch_norm", "parameters must be constants"))?;
            p.push(vals);
        }
        let eps = nn::BatchNorm(op).epsilon(self.base.m) as f32;
        let s: Vec<f32> = p[0].iter().zip(&p[3]).map(|(&g, &v)| g * (1.0 / (v + eps).sqrt())).collect();
        let t: Vec<f32> = p[1].iter().zip(&p[2]).zip(&s).map(|((&b, &mu), &s)| b - mu * s).collect();
        let x = self.val(ops[0], op)?;
        let xf = self.float_of(&x, at, &loc);
        let ty = self.base.m.ty(xf).clone();
        let rank = shape_of(self.base.m, xf).len();
        let cs = channel_shape(s.len(), rank);
        let sc = self.fconst(at, &loc, &cs, &s);
        let tc = self.fconst(at, &loc, &cs, &t);
        let y = qdf::FMul::build(self.m(), at, loc.clone(), xf, sc, ty.clone()).output(self.base.m);
        let y = qdf::FAdd::build(self.m(), at, loc, y, tc, ty).output(self.base.m);
        Ok(QVal::float(y, x.exact))
    }

    /// `nn.add/sub/mul/div`: exact fixed-point arithmetic when the reference's float32 result is
    /// exact on a grid, float32 otherwise.
    fn arith(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let name = self.base.m.op(op).name();
        let (a, b) = (self.base.m.operand(op, 0), self.base.m.operand(op, 1));
        let out_ty = self.base.m.ty(self.base.m.result(op, 0)).clone();
        // x op c with a constant c on the right: the exact fixed-point forms.
        if let (Some(x), Some((cs, c))) = (self.vals.get(&a).cloned(), self.constant(b)) {
            if let Form::Fixed(xv) = x.form {
                if let Some(y) = self.exact_arith(name, xv, &cs, &c, &out_ty, at, &loc)? {
                    return Ok(QVal::fixed(y, x.exact));
                }
            }
        }
        // Float32, operands in order (constants as f32 constants).
        let mut fl = vec![];
        let mut exact = true;
        for v in [a, b] {
            match self.constant(v) {
                Some((s, c)) => fl.push(self.fconst(at, &loc, &s, &c)),
                None => {
                    let q = self.val(v, op)?;
                    exact &= q.exact;
                    fl.push(self.float_of(&q, at, &loc));
                }
            }
        }
        let m = self.m();
        let y = match name {
            "nn.add" => qdf::FAdd::build(m, at, loc, fl[0], fl[1], out_ty).output(m),
            "nn.sub" => qdf::FSub::build(m, at, loc, fl[0], fl[1], out_ty).output(m),
            "nn.mul" => qdf::FMul::build(m, at, loc, fl[0], fl[1], out_ty).output(m),
            _ => qdf::FDiv::build(m, at, loc, fl[0], fl[1], out_ty).output(m),
        };
        Ok(QVal::float(y, exact))
    }

    /// `x + c`, `x - c`, `x * c` on an exact fixed value when the reference computes it exactly
    /// (the result fits 24 significant bits on the common grid); `None` otherwise.
    #[allow(clippy::too_many_arguments)]
    fn exact_arith(&mut self, name: &str, x: ValueId, cs: &[i64], c: &[f32], out: &Type, at: InsertPoint, loc: &Location) -> DiagResult<Option<ValueId>> {
        let tx = self.fixed_type(x);
        let Some(gc) = grid::grid(&c.iter().map(|&v| v as f64).collect::<Vec<_>>(), 62) else { return Ok(None) };
        let xmax = super::rules::max_abs(&tx);
        let (frac, bound) = match name {
            "nn.add" | "nn.sub" => {
                let f = tx.frac_bits().max(gc.frac);
                let sx = (f - tx.frac_bits()) as u32;
                let sc = (f - gc.frac) as u32;
                let b = xmax.checked_shl(sx).and_then(|a| a.checked_add(gc.max_abs().checked_shl(sc)?));
                (f, b)
            }
            "nn.mul" => (tx.frac_bits() + gc.frac, xmax.checked_mul(gc.max_abs())),
            _ => return Ok(None),
        };
        // Each result is one rounding in the reference: exact while it fits 24 significant bits.
        let Some(bound) = bound.filter(|&b| b < 1 << 24) else { return Ok(None) };
        let cty = FixedType::new(gc.width(), gc.width() as i32 - gc.frac as i32);
        let cv = self.qconst(at, loc, cs, cty, &gc.mantissas)?;
        let ty = tensor_of(out, &signed_for(bound, frac));
        let m = self.m();
        Ok(Some(match name {
            "nn.add" => qdf::Add::build(m, at, loc.clone(), x, cv, ty).output(m),
            "nn.sub" => qdf::Sub::build(m, at, loc.clone(), x, cv, ty).output(m),
            _ => qdf::Mul::build(m, at, loc.clone(), x, cv, ty).output(m),
        }))
    }
}

/// The finest grid of a set of values (they are f32, so one always exists).
pub(super) fn grid(values: &[f64]) -> Grid {
    grid::grid(values, 126).unwrap_or(Grid { frac: 0, mantissas: vec![0; values.len()] })
}

/// The nn ops from which no quantizer can be reached: the float tail.
fn tail_ops(m: &Module, ops: &[OpId]) -> HashSet<OpId> {
    let mut feeds: HashSet<OpId> = HashSet::new();
    for &op in ops.iter().rev() {
        let reaches = is_quantizer(m, op) || m.op(op).results.iter().any(|&r| m.value(r).uses.iter().any(|u| feeds.contains(&u.0)));
        if reaches {
            feeds.insert(op);
        }
    }
    ops.iter().copied().filter(|&o| m.op(o).def.dialect() == "nn" && nn::Constant::of(m, o).is_none() && !feeds.contains(&o)).collect()
}

/// Converts the body of a quantized function; remarks go to `remarks`.
pub(super) fn convert_function(m: &mut Module, func: OpId, s: &Settings, remarks: &mut Vec<Diagnostic>) -> DiagResult<()> {
    let Some(body) = m.entry_block(func, 0) else { return Ok(()) };
    let ops: Vec<OpId> = m.block_ops(body).to_vec();
    let tail_set = tail_ops(m, &ops);
    let fixed_tail = s.float_tail == FloatTail::Fixed;
    let base = Converter { m, s, map: HashMap::new(), consts: HashMap::new() };
    let mut cx = QConverter::new(base);
    cx.tail = tail_set;
    cx.fixed_tail = fixed_tail;
    cx.float_sums = float_sums(cx.base.m, &ops, s.inexact_sums);
    let first = cx.base.m.block_ops(body).first().copied();
    let args = cx.base.m.block(body).args.clone();
    let single = args.len() == 1;
    for (i, a) in args.into_iter().enumerate() {
        let hint = cx.base.m.value(a).name_hint.clone();
        let loc = super::boundary_loc(&cx.base.m.op(func).loc, hint.as_deref(), "input", i, single, "quantize");
        if !cx.base.m.ty(a).is_float_tensor() {
            return Err(Diagnostic::error(loc, "nn-to-qdf: arguments must be float tensors"));
        }
        // A declared input type (config "input") quantizes the argument first: exact for inputs
        // it represents, e.g. fixed<2,2> for a model that takes -1/+1.
        let q = match s.config.input {
            Some(t) => {
                let at = first.map_or(InsertPoint::End(body), InsertPoint::Before);
                let ty = tensor_of(cx.base.m.ty(a), &t);
                let v = qdf::Quantize::build(cx.base.m, at, loc, a, ty).output(cx.base.m);
                cx.base.copy_name(a, v);
                QVal::fixed(v, true)
            }
            None => QVal::float(a, true),
        };
        cx.vals.insert(a, q);
    }
    let mut erase = vec![];
    for op in ops {
        let loc = cx.base.m.op(op).loc.clone();
        if let Some(r) = ReturnOp::of(cx.base.m, op) {
            let values = r.values(cx.base.m).to_vec();
            let single = values.len() == 1;
            for (i, v) in values.into_iter().enumerate() {
                // Named like the float path's boundary: `output_dequantize`.
                let loc = super::boundary_loc(&loc, None, "output", i, single, "dequantize");
                let q = match cx.vals.get(&v).cloned() {
                    Some(q) => q,
                    None => return Err(op_err(&loc, "func.return", "returns a constant, which a quantized model cannot")),
                };
                let at = InsertPoint::Before(op);
                let y = match (&q.form, fixed_tail) {
                    // A fixed-point tail ends in fixed point: scaled codes rescale at precision.
                    (Form::Scaled(..), true) => {
                        let f = cx.at_precision(&q, at, &loc)?;
                        cx.dequantize(f, at, &loc)
                    }
                    _ => cx.float_of(&q, at, &loc),
                };
                cx.base.m.set_operand(op, i, y);
            }
            continue;
        }
        if nn::Constant::of(cx.base.m, op).is_some() {
            erase.push(op);
            continue;
        }
        if cx.base.m.op(op).def.dialect() != "nn" {
            return Err(op_err(&loc, cx.base.m.op(op).name(), "nn-to-qdf converts only nn ops"));
        }
        let quantized_dense = cx.base.m.op(op).name() == "nn.dense"
            && cx.vals.get(&cx.base.m.operand(op, 0)).is_some_and(|q| !matches!(q.form, Form::Float(_)));
        let in_fixed_tail = fixed_tail && cx.tail.contains(&op) && !quantized_dense;
        let own = if in_fixed_tail { cx.fixed_tail_op(op)? } else { None };
        let q = if let Some(q) = own {
            cx.approx(&loc, "fixed-point tail (float-tail=fixed)");
            q
        } else if in_fixed_tail {
            for v in cx.base.m.op(op).operands.clone() {
                if let Some(q) = cx.vals.get(&v).cloned() {
                    let f = cx.at_precision(&q, InsertPoint::Before(op), &loc)?;
                    cx.base.map.insert(v, f);
                }
            }
            let y = cx.base.convert(op)?;
            cx.approx(&loc, "fixed-point tail (float-tail=fixed)");
            QVal::fixed(y, false)
        } else {
            cx.convert(op)?
        };
        let old = cx.base.m.result(op, 0);
        let new = match &q.form {
            Form::Fixed(v) | Form::Scaled(v, _) | Form::Float(v) => *v,
        };
        cx.base.copy_name(old, new);
        cx.vals.insert(old, q);
        erase.push(op);
    }
    for op in erase.into_iter().rev() {
        cx.base.m.erase(op);
    }
    let report = fold::fold_function(cx.base.m, func, s.max_thresholds, cx.float_sums)?;
    for (name, differ, checked) in report.requants {
        let reason = format!("integer requantization of a float32 rescale: differs on {differ} of {checked} sampled accumulator values");
        cx.inexact.push((name, reason));
    }
    if !cx.float_layers.is_empty() {
        let mut d = Diagnostic::error(
            Location::Unknown,
            format!(
                "nn-to-qdf: float32 dense layers (the reference's own rounded sums: bit-identical, float hardware; inexact-sums=integer makes them exact integer arithmetic) at: {}",
                cx.float_layers.join(", ")
            ),
        );
        d.severity = Severity::Remark;
        remarks.push(d);
    }
    if !cx.inexact.is_empty() {
        let list: Vec<String> = cx.inexact.iter().map(|(n, r)| format!("{n} ({r})")).collect();
        let mut d = Diagnostic::error(
            Location::Unknown,
            format!("nn-to-qdf: not provably bit-identical to the reference at: {}", list.join("; ")),
        );
        d.severity = Severity::Remark;
        remarks.push(d);
    }
    Ok(())
}

/// The fixed type of a quantizer's codes: `bits`-bit integers on the grid `2^-frac`, with the
/// rounding and overflow modes that make a conversion into it the quantizer.
pub(super) fn code_type(lo: i64, hi: i64, frac: i64, rounding: Rounding, overflow: Overflow) -> FixedType {
    let (signed, mag) = if lo < 0 { (true, (lo.unsigned_abs()).max(hi.unsigned_abs() + 1) - 1) } else { (false, hi as u64) };
    let bits = (64 - mag.leading_zeros()).max(1) + u32::from(signed);
    FixedType { width: bits, int_bits: bits as i32 - frac as i32, signed, rounding, overflow }
}

/// An attribute holding a float32 value.
pub(super) fn f32_attr(v: f32) -> Attribute {
    Attribute::f64(v as f64)
}
