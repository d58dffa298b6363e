//! `fpgaopt run`: the reference interpreter over `@main` at the nn or qdf level.
//!
//! nn ops run with `fpgaopt_nn::eval` (float32, onnxruntime's order of operations), qdf ops with
//! `fpgaopt_qdf::interp` (exact integer semantics, what the C++ must compute bit for bit). A trace
//! records every op's result (fixed-point values as their exact real value), like hls4ml's trace, so
//! a user can find the layer where a design departs from the framework.

use std::collections::HashMap;

use fpgaopt_ir::builtin::{FuncOp, ReturnOp};
use fpgaopt_ir::{Diagnostic, DiagResult, Location, Module, OpId, ValueId};
use fpgaopt_nn::eval::Tensor;
use fpgaopt_qdf::interp::Value as QValue;

use crate::npy::Batch;

/// A value of either level.
#[derive(Clone, Debug)]
enum Value {
    Nn(Tensor),
    Qdf(QValue),
}

impl Value {
    fn to_nn(&self) -> Result<Tensor, String> {
        match self {
            Value::Nn(t) => Ok(t.clone()),
            Value::Qdf(QValue::Float { shape, data }) => Tensor::new(shape.clone(), data.clone()),
            Value::Qdf(QValue::Fixed(_)) => Err("an nn op reads a fixed-point value".into()),
        }
    }

    fn to_qdf(&self) -> QValue {
        match self {
            Value::Nn(t) => QValue::Float { shape: t.shape.clone(), data: t.data.clone() },
            Value::Qdf(v) => v.clone(),
        }
    }

    /// The real values (fixed-point converted exactly to f64, then to f32 for the trace).
    fn to_f32(&self) -> (Vec<i64>, Vec<f32>) {
        match self {
            Value::Nn(t) => (t.shape.clone(), t.data.clone()),
            Value::Qdf(QValue::Float { shape, data }) => (shape.clone(), data.clone()),
            Value::Qdf(QValue::Fixed(t)) => (t.shape.clone(), fpgaopt_qdf::semantics::dequantize(t)),
        }
    }
}

/// One traced op: a readable name (the layer name when the op has one) and its result per sample.
#[derive(Clone, Debug)]
pub struct TraceEntry {
    pub name: String,
    pub op: &'static str,
    pub shape: Vec<i64>,
    pub data: Vec<f32>,
}

fn op_name(m: &Module, op: OpId, index: usize) -> String {
    let base = m.op(op).loc.name().map_or_else(|| m.op(op).def.mnemonic().to_string(), str::to_string);
    format!("{index:03}_{}_{}", crate::emit::c_identifier(&base), m.op(op).def.mnemonic())
}

/// Runs `@main` on one sample; returns the outputs and, if `trace`, every op's result.
fn run_sample(m: &Module, func: OpId, input: Tensor, trace: bool) -> Result<(Vec<Value>, Vec<TraceEntry>), String> {
    let body = m.entry_block(func, 0).ok_or("@main has no body")?;
    let args = &m.block(body).args;
    if args.len() != 1 {
        return Err(format!("@main takes {} inputs; run supports exactly one", args.len()));
    }
    let mut env: HashMap<ValueId, Value> = HashMap::new();
    env.insert(args[0], Value::Nn(input));
    let mut entries = vec![];
    for (i, &op) in m.block_ops(body).iter().enumerate() {
        let operands: Vec<&Value> =
            m.op(op).operands.iter().map(|v| env.get(v).ok_or("value used before its definition")).collect::<Result<_, _>>()?;
        if ReturnOp::of(m, op).is_some() {
            return Ok((operands.into_iter().cloned().collect(), entries));
        }
        let name = m.op(op).name();
        let value = if name.starts_with("nn.") {
            let ins: Vec<Tensor> = operands.iter().map(|v| v.to_nn()).collect::<Result<_, _>>()?;
            Value::Nn(fpgaopt_nn::eval::eval_op(m, op, &ins).map_err(|e| format!("'{name}': {e}"))?)
        } else if name.starts_with("qdf.") {
            let ins: Vec<QValue> = operands.iter().map(|v| v.to_qdf()).collect();
            Value::Qdf(fpgaopt_qdf::interp::eval_op(m, op, &ins).map_err(|e| format!("'{name}': {e}"))?)
        } else {
            return Err(format!("'{name}' cannot be interpreted: run works on the nn and qdf levels"));
        };
        if trace && !name.ends_with(".constant") && name != "qdf.fconstant" {
            let (shape, data) = value.to_f32();
            entries.push(TraceEntry { name: op_name(m, op, i), op: m.op(op).def.name, shape, data });
        }
        env.insert(m.result(op, 0), value);
    }
    Err("@main has no func.return".into())
}

/// The result of interpreting a batch.
pub struct RunResult {
    pub output: Batch,
    /// Per traced op: its name and the batch of its results (leading axis = samples).
    pub trace: Vec<(String, Batch)>,
}

/// Interprets `@main` on every sample of `input` (shape `(N, ...input shape without its leading 1)`).
pub fn run(m: &Module, input: &Batch, trace: bool) -> DiagResult<RunResult> {
    let err = |msg: String| Diagnostic::error(Location::Unknown, msg);
    let func = m.lookup_symbol("main").filter(|&f| FuncOp::of(m, f).is_some()).ok_or_else(|| err("no @main function".into()))?;
    let arg_ty = FuncOp(func).function_type(m).as_function().and_then(|f| f.inputs.first().cloned()).ok_or_else(|| err("@main takes no input".into()))?;
    let in_shape = arg_ty.shape().ok_or_else(|| err("@main's input is not a tensor".into()))?.to_vec();
    let sample: Vec<u64> = in_shape.iter().skip(usize::from(in_shape.first() == Some(&1))).map(|&d| d as u64).collect();
    if input.sample_shape() != sample.as_slice() {
        return Err(err(format!("input samples have shape {:?}, the model takes {:?}", input.sample_shape(), sample)));
    }
    let mut out = Batch { shape: vec![input.len() as u64], data: vec![] };
    let mut traces: Vec<(String, Batch)> = vec![];
    for i in 0..input.len() {
        let x = Tensor::new(in_shape.clone(), input.sample(i).to_vec()).map_err(err)?;
        let (outputs, entries) = run_sample(m, func, x, trace).map_err(|e| err(format!("sample {i}: {e}")))?;
        let [y] = outputs.as_slice() else { return Err(err(format!("@main returns {} values; run supports one", outputs.len()))) };
        let (shape, data) = y.to_f32();
        if i == 0 {
            out.shape.extend(shape.iter().skip(usize::from(shape.first() == Some(&1))).map(|&d| d as u64));
            traces = entries
                .iter()
                .map(|e| {
                    let mut s = vec![input.len() as u64];
                    s.extend(e.shape.iter().map(|&d| d as u64));
                    (e.name.clone(), Batch { shape: s, data: vec![] })
                })
                .collect();
        }
        out.data.extend(data);
        for (t, e) in traces.iter_mut().zip(entries) {
            t.1.data.extend(e.data);
        }
    }
    Ok(RunResult { output: out, trace: traces })
}
