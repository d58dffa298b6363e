//! `nn-to-qdf`: quantizes the float layers of `@main` into exact fixed-point `qdf` ops.
//!
//! Criteria and invariants:
//! - every function without qdf ops is converted (the importer makes only `@main`; tests name
//!   functions after behaviours); every op but `func.return` must be an `nn` op and none is left;
//! - a function keeps its f32 signature: each argument gets one `qdf.quantize` (to the `input` type of
//!   the config, else `precision`), each returned value one `qdf.dequantize`; they are located at
//!   `<input>_quantize` (the argument's name hint: the ONNX input name) and `output_dequantize`
//!   (`output<i>_...` for several results) ([`boundary_loc`]), so the layers they become say what
//!   they convert;
//! - a layer's types are the `precision` option unless the config names the layer (its location
//!   name, the ONNX node name); result rounding/overflow overrides apply to the result type;
//! - constants are quantized per use to the consumer's weight/bias type, round-half-to-even with
//!   saturation ([`rules::quantize_const`]);
//! - accumulators are exact ([`rules::dense_acc`], [`rules::matmul_acc`]); tables follow
//!   [`rules::activation_table`] and [`rules::exp_table`].

mod config;
pub mod quant;
pub mod resample;
pub mod rules;
pub mod spatial;
pub mod spatial_extra;
#[cfg(test)]
pub(crate) mod tests;

use std::collections::{BTreeSet, HashMap};

use fpgaopt_ir::builtin::ReturnOp;
use fpgaopt_ir::pass::{Options, PassContext, PassInfo, PassOption};
use fpgaopt_ir::{Attribute, DenseElements, DiagResult, Diagnostic, InsertPoint, Location, Module, OpId, Severity, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf::{self as qdf, FixedType};

pub use config::{Config, LayerConfig};
use rules::{Operand, TableSpec};

const PRECISION: PassOption = PassOption {
    name: "precision",
    help: "type of activations, weights and biases, e.g. fixed<16,6> or fixed<16,6,RND,SAT>",
    default: "fixed<16,6>",
};
const CONFIG: PassOption =
    PassOption { name: "config", help: "JSON file of per-layer overrides keyed by layer (ONNX node) name", default: "" };
const TABLE_SIZE: PassOption =
    PassOption { name: "table-size", help: "intervals of sigmoid/tanh/exp tables (a power of two)", default: "1024" };
const FLOAT_TAIL: PassOption = PassOption {
    name: "float-tail",
    help: "quantized models: ops after the last quantizer in float32 like the reference (exact-f32) or at precision (fixed)",
    default: "exact-f32",
};
const INEXACT_SUMS: PassOption = PassOption {
    name: "inexact-sums",
    help: "quantized models: dense layers whose float32 sums the reference rounds (non-power-of-two scales, sums beyond 24 bits) in exact integer arithmetic (integer), as the reference's own float32 sums (float32, bit-identical), or auto: float32 in QONNX models, integer in QDQ/QOperator ones",
    default: "auto",
};
const MAX_THRESHOLDS: PassOption = PassOption {
    name: "max-thresholds",
    help: "quantized models: a float32 step between an accumulator and a quantizer becomes thresholds when it has at most this many levels per channel",
    default: "255",
};

/// The pass.
pub static NN_TO_QDF: PassInfo = PassInfo {
    name: "nn-to-qdf",
    summary: "quantize the nn layers of @main into exact fixed-point qdf ops",
    description: r#"Converts every `nn` op of `@main` (of every function not yet holding qdf ops) into `qdf`. The f32 arguments are quantized by `qdf.quantize`
(to the config's `input` type, else `precision`) and the results converted back by `qdf.dequantize`, so
`@main` keeps its signature. Activations, weights and biases take the `precision` type unless the
`config` JSON names the layer (`{"layers": {"fc1": {"result": "fixed<12,4>", "weight": "fixed<8,1>",
"bias": "fixed<12,4>", "acc": "fixed<32,12>", "rounding": "RND", "overflow": "SAT", "reuse": 4}}}`; `rounding` and
`overflow` set the modes of the result type, `reuse` the layer's reuse factor in qdf-to-hls (`qdf.reuse`);
unknown layer names are an error). Constants are
quantized round-half-to-even with saturation. Accumulators are value-based and exact: fractional bits
of the product, width from the bound max_j(sum_k |w_kj| * max|x| + |b_j|) plus a sign bit.
Sigmoid/tanh become `qdf.table` over [-16, 16), softmax gets an exp table over [-16, 0], each with at
most `table-size` intervals and samples carrying four more fractional bits than the output.
`nn.batch_norm` with constant parameters becomes `qdf.mul` + `qdf.add`. See docs/design/qdf.md.

Quantized models (holding nn.quant, nn.bipolar_quant, nn.trunc, nn.qdq or nn.quantize_linear)
convert exactly instead: quantizers with power-of-two scales become fixed types (qdf.quantize at the
input, qdf.cast after it), others qdf.fquant (the reference's float32 steps); weights stay their
exact values; accumulators are value-based and exact; float32 steps between an accumulator and a
quantizer (batch norm, float bias) become qdf.threshold (at most `max-thresholds` levels), linear
rescales with more levels qdf.requant, the rest stays float32 ops; dense layers whose float32 sums the
reference rounds follow `inexact-sums`; the ops after the last quantizer follow `float-tail`. A remark lists the layers that
are not provably bit-identical to the reference. See docs/design/quantization.md."#,
    options: &[CONFIG, FLOAT_TAIL, INEXACT_SUMS, MAX_THRESHOLDS, PRECISION, TABLE_SIZE],
    run,
};

fn err(loc: &Location, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(loc.clone(), msg.into())
}

/// An error about an op: `node 'fc1' (nn.dense): ...` for named (ONNX) layers, else `'nn.dense' ...`.
fn op_err(loc: &Location, op: &str, msg: impl std::fmt::Display) -> Diagnostic {
    match layer_name(loc) {
        Some(n) => err(loc, format!("node '{n}' ({op}): {msg}")),
        None => err(loc, format!("'{op}': {msg}")),
    }
}

/// The layer name of an op: its location's name (the ONNX node name), if any.
fn layer_name(loc: &Location) -> Option<&str> {
    loc.name()
}

/// How dense layers whose float32 sums the reference rounds are converted (`inexact-sums`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum InexactSums {
    /// `float32` in functions whose quantizers are QONNX ops (whose reference is float32
    /// arithmetic on quantized values), `integer` in QDQ/QOperator ones (whose integer codes and
    /// rescales are the model, as onnxruntime's fused QLinear kernels compute it).
    Auto,
    /// Exact integer arithmetic on the quantized values.
    Integer,
    /// The reference's own float32 sums (`qdf.fdense`), bit-identical.
    Float32,
}

/// The resolved settings of the pass.
struct Settings {
    precision: FixedType,
    input: FixedType,
    config: Config,
    table_log2: u32,
    float_tail: quant::FloatTail,
    /// Dense layers the reference rounds: as its own float32 sums or exact integers.
    inexact_sums: InexactSums,
    max_thresholds: usize,
}

impl Settings {
    fn from_options(opts: &Options) -> DiagResult<Settings> {
        let unknown = Location::Unknown;
        let precision: FixedType =
            opts.get(&PRECISION).parse().map_err(|e: String| err(&unknown, format!("nn-to-qdf option 'precision': {e}")))?;
        let path = opts.get(&CONFIG);
        let config = if path.is_empty() {
            Config::default()
        } else {
            let text = std::fs::read_to_string(path).map_err(|e| err(&unknown, format!("cannot read config '{path}': {e}")))?;
            Config::parse(&text).map_err(|e| err(&Location::file(path, 0, 0), format!("invalid nn-to-qdf config: {e}")))?
        };
        let size = opts.get_int(&TABLE_SIZE)?;
        if !(2..=1 << 20).contains(&size) || size & (size - 1) != 0 {
            return Err(err(&unknown, format!("nn-to-qdf option 'table-size' must be a power of two in 2..=2^20, got {size}")));
        }
        let input = config.input.unwrap_or(precision);
        for t in [&precision, &input] {
            if t.signed_bits() > 64 {
                return Err(err(&unknown, format!("precision {t} is wider than the 64 bits qdf values support")));
            }
        }
        let float_tail = match opts.get(&FLOAT_TAIL) {
            "exact-f32" => quant::FloatTail::ExactF32,
            "fixed" => quant::FloatTail::Fixed,
            other => return Err(err(&unknown, format!("nn-to-qdf option 'float-tail' must be exact-f32 or fixed, got '{other}'"))),
        };
        let inexact_sums = match opts.get(&INEXACT_SUMS) {
            "auto" => InexactSums::Auto,
            "integer" => InexactSums::Integer,
            "float32" => InexactSums::Float32,
            other => {
                return Err(err(&unknown, format!("nn-to-qdf option 'inexact-sums' must be auto, integer or float32, got '{other}'")));
            }
        };
        let max_thresholds = opts.get_int(&MAX_THRESHOLDS)?;
        if !(0..=1 << 16).contains(&max_thresholds) {
            return Err(err(&unknown, format!("nn-to-qdf option 'max-thresholds' must be in 0..=65536, got {max_thresholds}")));
        }
        Ok(Settings {
            precision,
            input,
            config,
            table_log2: size.trailing_zeros(),
            float_tail,
            inexact_sums,
            max_thresholds: max_thresholds as usize,
        })
    }

    /// The overrides of the layer at `loc`.
    fn layer(&self, loc: &Location) -> LayerConfig {
        layer_name(loc).and_then(|n| self.config.layers.get(n)).cloned().unwrap_or_default()
    }

    /// The result type of the layer at `loc`.
    fn result(&self, loc: &Location) -> FixedType {
        let l = self.layer(loc);
        let t = l.result.unwrap_or(self.precision);
        t.with_modes(l.rounding.unwrap_or(t.rounding), l.overflow.unwrap_or(t.overflow))
    }
}

fn run(m: &mut Module, opts: &Options, ctx: &mut PassContext<'_>) -> DiagResult<()> {
    let s = Settings::from_options(opts)?;
    // Functions already holding qdf ops were converted before; the rest are converted now.
    let funcs: Vec<OpId> = m
        .functions()
        .into_iter()
        .filter(|&f| m.entry_block(f, 0).is_some_and(|b| !m.block_ops(b).iter().any(|&o| m.op(o).def.dialect() == "qdf")))
        .collect();
    for &f in &funcs {
        not_lowered_yet(m, f)?;
        split_fused_activations(m, f);
    }
    // Config keys must name layers of the converted functions: a layer of its own, or one folded
    // into another (a part of a fused location, or a layer nn-eqsat merged with a parallel one,
    // whose result is now an nn.slice of the merged layer), which the config can no longer set apart.
    let ops: Vec<(&str, Location)> = funcs
        .iter()
        .filter_map(|&f| m.entry_block(f, 0))
        .flat_map(|b| m.block_ops(b).iter().map(|&o| (m.op(o).name(), m.op(o).loc.clone())).collect::<Vec<_>>())
        .collect();
    let locs: Vec<Location> = ops.iter().map(|(_, l)| l.clone()).collect();
    let leading: BTreeSet<&str> = ops.iter().filter(|(n, _)| *n != "nn.slice").filter_map(|(_, l)| l.name()).collect();
    let folded: BTreeSet<&str> = locs.iter().flat_map(Location::names).filter(|n| !leading.contains(n)).collect();
    let config_loc = Location::file(opts.get(&CONFIG), 0, 0);
    for key in s.config.layers.keys() {
        if folded.contains(key.as_str()) {
            let mut d = err(&config_loc, format!("config names layer '{key}', which nn-eqsat folded into another layer: its entry has no effect"));
            d.severity = Severity::Warning;
            ctx.remarks.push(d);
        } else if !leading.contains(key.as_str()) {
            let known: Vec<&str> = leading.iter().copied().collect();
            return Err(err(&config_loc, format!("config names layer '{key}', which is not in the model (layers: {})", known.join(", "))));
        }
    }
    for f in funcs {
        let quantized = m.entry_block(f, 0).is_some_and(|b| quant::is_quantized(m, m.block_ops(b)));
        if quantized {
            quant::convert_function(m, f, &s, &mut ctx.remarks)?;
        } else {
            convert_function(m, f, &s)?;
        }
        record_reuse(m, f, &s);
    }
    Ok(())
}

/// A layer's configured reuse factor on each qdf op of that layer (located at its name): `qdf.reuse`.
fn record_reuse(m: &mut Module, func: OpId, s: &Settings) {
    for op in m.collect(func) {
        let reuse = layer_name(&m.op(op).loc).and_then(|n| s.config.layers.get(n)).and_then(|l| l.reuse);
        if let (Some(r), "qdf") = (reuse, m.op(op).def.dialect()) {
            m.set_attr(op, qdf::REUSE_ATTR, Attribute::i64(r));
        }
    }
}

/// Rejects the ops nn-to-qdf cannot lower yet, naming the node, before anything is converted.
fn not_lowered_yet(m: &Module, func: OpId) -> DiagResult<()> {
    let Some(body) = m.entry_block(func, 0) else { return Ok(()) };
    for &op in m.block_ops(body) {
        let name = m.op(op).name();
        let why = match name {
            "nn.cast" if m.ty(m.operand(op, 0)) != m.ty(m.result(op, 0)) => "only casts to the same type are removed",
            _ => continue,
        };
        return Err(op_err(&m.op(op).loc, name, format!("not lowered to qdf yet ({why})")));
    }
    Ok(())
}

/// The location of the conversion of a model input or output: named after the input (its name
/// hint, the ONNX input name), else `input`/`output` numbered by position when there are several,
/// with `_quantize`/`_dequantize` appended: `loc("input_quantize"("model.onnx":0:0))`. The file comes
/// from `at` (the function or the return). qdf-to-hls names the layer function after it.
/// dense{activation = relu}(x, w, b) -> relu(dense(x, w, b)): the conversion lowers the two ops
/// it knows. A fused location (`nn-eqsat`: `fused["fc1", "relu1"]`) gives the ReLU its last part
/// and the layer the rest; otherwise both keep the layer's location, so its config covers both.
fn split_fused_activations(m: &mut Module, func: OpId) {
    for op in m.collect(func) {
        let Some(d) = nn::Dense::of(m, op) else { continue };
        if m.remove_attr(op, "activation").is_none() {
            continue;
        }
        let y = d.output(m);
        let mut parts = m.op(op).loc.parts();
        let loc = if parts.len() > 1 { parts.pop().unwrap_or_default() } else { m.op(op).loc.clone() };
        m.op_mut(op).loc = Location::fused(parts);
        let relu = nn::Relu::build(m, InsertPoint::After(op), loc, y, m.ty(y).clone());
        let r = relu.output(m);
        m.replace_all_uses(y, r);
        m.set_operand(relu.0, 0, y);
    }
}

fn boundary_loc(at: &Location, hint: Option<&str>, role: &str, index: usize, single: bool, what: &str) -> Location {
    let base = match hint {
        Some(h) if !h.is_empty() => h.to_string(),
        _ if single => role.to_string(),
        _ => format!("{role}{index}"),
    };
    let child = match at {
        Location::Name { child, .. } => child.clone(),
        Location::Unknown => None,
        other => Some(Box::new(other.clone())),
    };
    Location::Name { name: format!("{base}_{what}").into(), child }
}

/// Converts the body of one function.
fn convert_function(m: &mut Module, func: OpId, s: &Settings) -> DiagResult<()> {
    let Some(body) = m.entry_block(func, 0) else { return Ok(()) };
    let mut cx = Converter { m, s, map: HashMap::new(), consts: HashMap::new() };
    // Arguments: one quantize each, at the top of the body.
    let args = cx.m.block(body).args.clone();
    let first = cx.m.block_ops(body).first().copied();
    let single = args.len() == 1;
    for (i, a) in args.into_iter().enumerate() {
        let ty = cx.m.ty(a).clone();
        if !ty.is_float_tensor() {
            return Err(err(&cx.m.op(func).loc, format!("nn-to-qdf: argument of type {ty} is not a float tensor")));
        }
        let out = tensor_of(&ty, &s.input);
        let loc = boundary_loc(&cx.m.op(func).loc, cx.m.value(a).name_hint.as_deref(), "input", i, single, "quantize");
        let at = first.map_or(InsertPoint::End(body), InsertPoint::Before);
        let q = qdf::Quantize::build(cx.m, at, loc, a, out);
        let v = q.output(cx.m);
        cx.copy_name(a, v);
        cx.map.insert(a, v);
    }
    let ops: Vec<OpId> = cx.m.block_ops(body).iter().copied().filter(|&o| !cx.m.is(o, qdf::Quantize::def())).collect();
    let mut erase = vec![];
    for op in ops {
        if let Some(r) = ReturnOp::of(cx.m, op) {
            let values = r.values(cx.m).to_vec();
            let single = values.len() == 1;
            for (i, v) in values.into_iter().enumerate() {
                let q = cx.get(v, op, &s.precision)?;
                let ty = cx.m.ty(v).clone();
                // Results have no names in the IR (the importer keeps only input names): by position.
                let loc = boundary_loc(&cx.m.op(op).loc, None, "output", i, single, "dequantize");
                let d = qdf::Dequantize::build(cx.m, InsertPoint::Before(op), loc, q, ty);
                let dv = d.output(cx.m);
                cx.m.set_operand(op, i, dv);
            }
            continue;
        }
        if nn::Constant::of(cx.m, op).is_some() {
            erase.push(op);
            continue;
        }
        if cx.m.op(op).def.dialect() != "nn" {
            return Err(op_err(&cx.m.op(op).loc, cx.m.op(op).name(), "nn-to-qdf converts only nn ops"));
        }
        let y = cx.convert(op)?;
        let old = cx.m.result(op, 0);
        cx.copy_name(old, y);
        cx.map.insert(old, y);
        erase.push(op);
    }
    for op in erase.into_iter().rev() {
        cx.m.erase(op);
    }
    Ok(())
}

/// A tensor type with the shape of `t` and elements of `f`.
fn tensor_of(t: &Type, f: &FixedType) -> Type {
    Type::tensor(t.shape().unwrap_or(&[]).to_vec(), f.to_type())
}

pub(crate) struct Converter<'a> {
    pub(crate) m: &'a mut Module,
    s: &'a Settings,
    /// nn value -> its qdf value.
    pub(crate) map: HashMap<ValueId, ValueId>,
    /// (nn constant, type) -> its qdf.constant and mantissas.
    consts: HashMap<(ValueId, FixedType), (ValueId, Vec<i128>)>,
}

impl Converter<'_> {
    fn copy_name(&mut self, from: ValueId, to: ValueId) {
        let hint = self.m.value(from).name_hint.clone();
        self.m.set_name_hint(to, hint);
    }

    fn fixed(&self, v: ValueId) -> FixedType {
        FixedType::of_tensor(self.m.ty(v)).unwrap_or(self.s.precision)
    }

    /// The qdf value standing for nn value `v` read by `user`; an `nn.constant` is quantized to
    /// `const_ty` right before `user`.
    fn get(&mut self, v: ValueId, user: OpId, const_ty: &FixedType) -> DiagResult<ValueId> {
        Ok(self.operand(v, user, const_ty)?.0)
    }

    /// Like [`get`](Self::get), also returning the mantissas when `v` is a constant.
    fn operand(&mut self, v: ValueId, user: OpId, const_ty: &FixedType) -> DiagResult<(ValueId, Option<Vec<i128>>)> {
        if let Some(c) = nn::Constant::defining(self.m, v) {
            if let Some((q, vals)) = self.consts.get(&(v, *const_ty)) {
                return Ok((*q, Some(vals.clone())));
            }
            let d = c.value(self.m);
            let vals = rules::quantize_const(&d.to_f64_vec(), const_ty);
            let shape = d.ty.shape().unwrap_or(&[]).to_vec();
            let dense = mantissas_attr(&shape, const_ty, &vals).map_err(|e| err(&self.m.op(c.0).loc, e))?;
            let loc = self.m.op(c.0).loc.clone();
            let q = qdf::Constant::build(self.m, InsertPoint::Before(user), loc, tensor_of(&d.ty, const_ty), dense);
            let qv = q.output(self.m);
            self.copy_name(v, qv);
            self.consts.insert((v, *const_ty), (qv, vals.clone()));
            return Ok((qv, Some(vals)));
        }
        let q = *self.map.get(&v).ok_or_else(|| err(&self.m.op(user).loc, "nn-to-qdf: operand defined outside @main's body"))?;
        Ok((q, None))
    }

    /// Builds the qdf form of `op` before it; returns the value replacing its result.
    fn convert(&mut self, op: OpId) -> DiagResult<ValueId> {
        let loc = self.m.op(op).loc.clone();
        let name = self.m.op(op).name();
        let at = InsertPoint::Before(op);
        let layer = self.s.layer(&loc);
        let out_f = self.s.result(&loc);
        let weight_f = layer.weight.unwrap_or(self.s.precision);
        let bias_f = layer.bias.unwrap_or(self.s.precision);
        let res_ty = self.m.ty(self.m.result(op, 0)).clone();
        let out = tensor_of(&res_ty, &out_f);
        let m_ops = self.m.op(op).operands.clone();
        let fail = |msg: String| op_err(&loc, name, msg);
        let v = match name {
            "nn.dense" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                let (w, wv) = self.operand(m_ops[1], op, &weight_f)?;
                let (b, bv) = self.operand(m_ops[2], op, &bias_f)?;
                let wshape = self.m.ty(w).shape().unwrap_or(&[]).to_vec();
                let (k, n) = (wshape.first().copied().unwrap_or(0) as usize, wshape.get(1).copied().unwrap_or(0) as usize);
                let (tx, tw, tb) = (self.fixed(x), self.fixed(w), self.fixed(b));
                let acc = match layer.acc {
                    Some(a) => a,
                    None => rules::dense_acc(
                        &tx,
                        &Operand { ty: tw, values: wv.as_deref() },
                        &Operand { ty: tb, values: bv.as_deref() },
                        k,
                        n,
                    )
                    .map_err(fail)?,
                };
                qdf::Dense::build(self.m, at, loc.clone(), x, w, b, out, acc.to_type()).output(self.m)
            }
            "nn.matmul" => {
                let (a, av) = self.operand(m_ops[0], op, &weight_f)?;
                let (b, bv) = self.operand(m_ops[1], op, &weight_f)?;
                let k = self.m.ty(a).shape().and_then(|s| s.last().copied()).unwrap_or(0) as usize;
                let acc = match layer.acc {
                    Some(a) => a,
                    None => rules::matmul_acc(
                        &Operand { ty: self.fixed(a), values: av.as_deref() },
                        &Operand { ty: self.fixed(b), values: bv.as_deref() },
                        k,
                    )
                    .map_err(fail)?,
                };
                qdf::MatMul::build(self.m, at, loc.clone(), a, b, out, acc.to_type()).output(self.m)
            }
            "nn.add" | "nn.sub" | "nn.mul" => {
                let a = self.get(m_ops[0], op, &weight_f)?;
                let b = self.get(m_ops[1], op, &weight_f)?;
                match name {
                    "nn.add" => qdf::Add::build(self.m, at, loc.clone(), a, b, out).output(self.m),
                    "nn.sub" => qdf::Sub::build(self.m, at, loc.clone(), a, b, out).output(self.m),
                    _ => qdf::Mul::build(self.m, at, loc.clone(), a, b, out).output(self.m),
                }
            }
            "nn.div" => {
                // x / c -> x * (1 / c), the reciprocal quantized like any weight.
                let a = self.get(m_ops[0], op, &weight_f)?;
                let c = nn::Constant::defining(self.m, m_ops[1]).ok_or_else(|| fail("division by a computed value is not supported".into()))?;
                let d = c.value(self.m);
                let shape = d.ty.shape().unwrap_or(&[]).to_vec();
                let recip: Vec<f64> = d.to_f64_vec().iter().map(|&v| 1.0 / v).collect();
                let vals = rules::quantize_const(&recip, &weight_f);
                let dense = mantissas_attr(&shape, &weight_f, &vals).map_err(|e| err(&loc, e))?;
                let rc = qdf::Constant::build(self.m, at, loc.clone(), Type::tensor(shape, weight_f.to_type()), dense).output(self.m);
                qdf::Mul::build(self.m, at, loc.clone(), a, rc, out).output(self.m)
            }
            "nn.relu" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                qdf::Relu::build(self.m, at, loc.clone(), x, out).output(self.m)
            }
            "nn.leaky_relu" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                let alpha = nn::LeakyRelu(op).alpha(self.m);
                let (a, aty) = rules::leaky_alpha(alpha);
                qdf::LeakyRelu::build(self.m, at, loc.clone(), x, out, a, aty.to_type()).output(self.m)
            }
            "nn.clip" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                let tx = self.fixed(x);
                let c = nn::Clip(op);
                let (lo, hi) = (c.min(self.m), c.max(self.m));
                let mut spec = qdf::Clip::spec(loc.clone()).operands([x]).results([out]);
                if let Some(lo) = lo {
                    spec = spec.attr("min", Attribute::i64(rules::clip_bound(&tx, lo, false)));
                }
                if let Some(hi) = hi {
                    spec = spec.attr("max", Attribute::i64(rules::clip_bound(&tx, hi, true)));
                }
                let c = self.m.build(at, spec);
                self.m.result(c, 0)
            }
            "nn.sigmoid" | "nn.tanh" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                let tx = self.fixed(x);
                let (f, fname): (fn(f64) -> f64, &str) =
                    if name == "nn.tanh" { (f64::tanh, "tanh") } else { (|v| 1.0 / (1.0 + (-v).exp()), "sigmoid") };
                let t = rules::activation_table(f, &tx, &out_f, self.s.table_log2);
                let table = table_attr(&t).map_err(fail)?;
                let spec = qdf::Table::spec(loc.clone())
                    .operands([x])
                    .results([out])
                    .attr("function", Attribute::str(fname))
                    .attr("lo", Attribute::i64(t.lo))
                    .attr("step_shift", Attribute::i64(t.step_shift))
                    .attr("table", table)
                    .attr("table_type", Attribute::Type(t.ty.to_type()));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
            "nn.softmax" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                let tx = self.fixed(x);
                let axis = nn::Softmax(op).axis(self.m);
                let n = res_ty.shape().and_then(|s| s.get(axis as usize).copied()).unwrap_or(1);
                let t = rules::exp_table(&tx, &out_f, self.s.table_log2);
                let sum = rules::softmax_sum_type(&t.ty, n);
                let table = table_attr(&t).map_err(fail)?;
                let spec = qdf::Softmax::spec(loc.clone())
                    .operands([x])
                    .results([out])
                    .attr("axis", Attribute::i64(axis))
                    .attr("exp_table", table)
                    .attr("exp_type", Attribute::Type(t.ty.to_type()))
                    .attr("lo", Attribute::i64(t.lo))
                    .attr("step_shift", Attribute::i64(t.step_shift))
                    .attr("sum_type", Attribute::Type(sum.to_type()));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
            "nn.flatten" | "nn.reshape" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                let t = tensor_of(&res_ty, &self.fixed(x));
                qdf::Reshape::build(self.m, at, loc.clone(), x, t).output(self.m)
            }
            // Wiring: the input's element type, a part of its elements.
            "nn.slice" => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                let t = tensor_of(&res_ty, &self.fixed(x));
                let s = nn::Slice(op);
                let (axis, start, size) = (s.axis(self.m), s.start(self.m), s.size(self.m));
                let spec = qdf::Slice::spec(loc.clone())
                    .operands([x])
                    .results([t])
                    .attr("axis", Attribute::i64(axis))
                    .attr("start", Attribute::i64(start))
                    .attr("size", Attribute::i64(size));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
            // Wiring, after casting each input of another type to the layer's output type.
            "nn.concat" => {
                let mut ins = vec![];
                for &v in &m_ops {
                    let x = self.get(v, op, &out_f)?;
                    let x = if self.fixed(x) == out_f {
                        x
                    } else {
                        let t = tensor_of(self.m.ty(x), &out_f);
                        qdf::Cast::build(self.m, at, loc.clone(), x, t).output(self.m)
                    };
                    ins.push(x);
                }
                let axis = nn::Concat(op).axis(self.m);
                let spec = qdf::Concat::spec(loc.clone()).operands(ins).results([out]).attr("axis", Attribute::i64(axis));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
            "nn.batch_norm" => self.batch_norm(op, out_f, weight_f, bias_f)?,
            "nn.conv" | "nn.max_pool" | "nn.average_pool" | "nn.global_average_pool" => self.window_op(op, out_f, weight_f, bias_f)?,
            "nn.global_max_pool" => self.global_max_pool_op(op, out_f)?,
            "nn.conv_transpose" => self.conv_transpose_op(op, out_f, weight_f, bias_f)?,
            "nn.pad" => self.pad_op(op)?,
            "nn.transpose" => self.transpose_op(op)?,
            n if resample::is_resample(n) => {
                let x = self.get(m_ops[0], op, &self.s.precision)?;
                resample::build(self.m, op, x).map_err(fail)?
            }
            // Computes nothing (nn-canonicalize removes it first in the default pipeline).
            "nn.identity" | "nn.dropout" | "nn.cast" => self.get(m_ops[0], op, &self.s.precision)?,
            other => return Err(op_err(&loc, other, "nn-to-qdf has no conversion for this op")),
        };
        Ok(v)
    }

    /// `x * s + t` per channel (axis 1), with `s = scale / sqrt(var + eps)` and `t = bias - mean * s`
    /// computed in f32 like the reference evaluator, quantized to the weight and bias types.
    fn batch_norm(&mut self, op: OpId, out_f: FixedType, weight_f: FixedType, bias_f: FixedType) -> DiagResult<ValueId> {
        let loc = self.m.op(op).loc.clone();
        let ops = self.m.op(op).operands.clone();
        let mut params = vec![];
        for &v in &ops[1..] {
            let c = nn::Constant::defining(self.m, v).ok_or_else(|| {
                op_err(&loc, "nn.batch_norm", "parameters that are not constants cannot be quantized; run nn-canonicalize to fold them")
            })?;
            params.push(c.value(self.m).to_f32_vec());
        }
        let eps = nn::BatchNorm(op).epsilon(self.m) as f32;
        let s: Vec<f32> = params[0].iter().zip(&params[3]).map(|(&g, &v)| g * (1.0 / (v + eps).sqrt())).collect();
        let t: Vec<f32> = params[1].iter().zip(&params[2]).zip(&s).map(|((&b, &mu), &s)| b - mu * s).collect();
        let res_ty = self.m.ty(self.m.result(op, 0)).clone();
        let rank = res_ty.shape().map_or(0, <[i64]>::len);
        let mut shape = vec![s.len() as i64];
        shape.extend(std::iter::repeat_n(1, rank.saturating_sub(2)));
        let x = self.get(ops[0], op, &self.s.precision)?;
        let at = InsertPoint::Before(op);
        let constant = |m: &mut Module, vals: &[f32], f: &FixedType| -> DiagResult<ValueId> {
            let q = rules::quantize_const(&vals.iter().map(|&v| v as f64).collect::<Vec<_>>(), f);
            let d = mantissas_attr(&shape, f, &q).map_err(|e| err(&loc, e))?;
            Ok(qdf::Constant::build(m, at, loc.clone(), Type::tensor(shape.clone(), f.to_type()), d).output(m))
        };
        let sv = constant(self.m, &s, &weight_f)?;
        let tv = constant(self.m, &t, &bias_f)?;
        let out = tensor_of(&res_ty, &out_f);
        let y = qdf::Mul::build(self.m, at, loc.clone(), x, sv, out.clone()).output(self.m);
        Ok(qdf::Add::build(self.m, at, loc.clone(), y, tv, out).output(self.m))
    }
}

/// Mantissas as a dense integer attribute of the narrowest storage type; equal values as a splat.
fn mantissas_attr(shape: &[i64], t: &FixedType, vals: &[i128]) -> Result<DenseElements, String> {
    let ints: Vec<i64> = match vals.first() {
        Some(&v) if vals.len() > 1 && vals.iter().all(|&x| x == v) => vec![v as i64],
        _ => vals.iter().map(|&x| x as i64).collect(),
    };
    DenseElements::from_ints(shape, rules::storage_type(t), &ints)
}

/// The dense attribute of a table's samples.
fn table_attr(t: &TableSpec) -> Result<Attribute, String> {
    let d = DenseElements::from_ints(&[t.samples.len() as i64], rules::storage_type(&t.ty), &t.samples)?;
    Ok(Attribute::Dense(d))
}
