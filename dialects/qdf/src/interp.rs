//! The reference interpreter: runs a function of `qdf` ops with [`semantics`](crate::semantics).
//!
//! Its outputs are what the generated C++ must compute bit for bit (C simulation vs this).

use std::collections::HashMap;

use fpgaopt_ir::builtin::{FuncOp, ReturnOp};
use fpgaopt_ir::{DenseElements, Module, OpId, ValueId};

use crate::fixed::FixedType;
use crate::semantics::float::{self as fsem, DenseOrder, FQuant, QuantRounding};
use crate::semantics::requant::{self as rsem, Requant, Thresholds};
use crate::semantics::resample as rs;
use crate::semantics::spatial as sp;
use crate::semantics::{self as sem, Table, Tensor};

/// A value during interpretation: a float tensor (function inputs/outputs) or a fixed one.
#[derive(Clone, PartialEq, Debug)]
pub enum Value {
    Float { shape: Vec<i64>, data: Vec<f32> },
    Fixed(Tensor),
}

impl Value {
    fn fixed(&self) -> Result<&Tensor, String> {
        match self {
            Value::Fixed(t) => Ok(t),
            Value::Float { .. } => Err("expected a fixed-point tensor, got a float one".into()),
        }
    }
}

impl Value {
    fn float(&self) -> Result<(&[i64], &[f32]), String> {
        match self {
            Value::Float { shape, data } => Ok((shape, data)),
            Value::Fixed(_) => Err("expected a float tensor, got a fixed-point one".into()),
        }
    }
}

/// The (shape, f32 values) of an optional f32 dense attribute.
fn f32_param(m: &Module, op: OpId, name: &str) -> Option<(Vec<i64>, Vec<f32>)> {
    let d = m.attr(op, name)?.as_dense()?;
    Some((d.ty.shape().unwrap_or(&[]).to_vec(), d.to_f32_vec()))
}

fn dense_ints(m: &Module, op: OpId, name: &str) -> Result<Vec<i128>, String> {
    let d = m.attr(op, name).and_then(|a| a.as_dense()).ok_or(format!("missing dense attribute '{name}'"))?;
    Ok(mantissas(d))
}

/// The parameters of a `qdf.fquant` op.
pub fn fquant_of(m: &Module, op: OpId) -> Result<FQuant, String> {
    let rounding = m.attr(op, "rounding").and_then(|a| a.as_str()).and_then(QuantRounding::parse).ok_or("bad rounding")?;
    let bound = |n: &str| m.attr(op, n).and_then(|a| a.as_float()).map(|v| v as f32);
    Ok(FQuant { scale: f32_param(m, op, "scale"), zero_point: f32_param(m, op, "zero_point"), rounding, min: bound("min"), max: bound("max") })
}

/// Evaluates the float32 ops, `qdf.fquant`, `qdf.threshold` and `qdf.requant`; `None` for others.
fn eval_quant_op(m: &Module, op: OpId, inputs: &[Value]) -> Option<Result<Value, String>> {
    let name = m.op(op).name();
    let res_ty = m.ty(m.result(op, 0));
    let shape = res_ty.shape().map(<[i64]>::to_vec).unwrap_or_default();
    let f = |i: usize| inputs.get(i).ok_or_else(|| format!("'{name}' needs operand #{i}")).and_then(Value::float);
    let out = || FixedType::of_tensor(res_ty).ok_or(format!("'{name}' result is not a fixed tensor"));
    let float = |(shape, data): (Vec<i64>, Vec<f32>)| Value::Float { shape, data };
    let binary = |g: fn(f32, f32) -> f32| -> Result<Value, String> {
        let ((sa, a), (sb, b)) = (f(0)?, f(1)?);
        Ok(float(fsem::binary(sa, a, sb, b, g)))
    };
    let r = match name {
        "qdf.fconstant" => m
            .attr(op, "value")
            .and_then(|a| a.as_dense())
            .map(|d| Value::Float { shape: shape.clone(), data: d.to_f32_vec() })
            .ok_or_else(|| "qdf.fconstant without value".to_string()),
        "qdf.fadd" => binary(|a, b| a + b),
        "qdf.fsub" => binary(|a, b| a - b),
        "qdf.fmul" => binary(|a, b| a * b),
        "qdf.fdiv" => binary(|a, b| a / b),
        "qdf.frelu" => f(0).map(|(s, x)| Value::Float { shape: s.to_vec(), data: fsem::relu(x) }),
        "qdf.fdense" => (|| {
            let ((_, x), (ws, w), (_, b)) = (f(0)?, f(1)?, f(2)?);
            let order = m.attr(op, "order").and_then(|a| a.as_str()).and_then(DenseOrder::parse).ok_or("bad order")?;
            let bias_first = m.attr(op, "bias_first").and_then(|a| a.as_bool()).unwrap_or(false);
            let data = fsem::dense(x, w, b, ws[0] as usize, ws[1] as usize, order, bias_first);
            Ok(Value::Float { shape: shape.clone(), data })
        })(),
        "qdf.fsoftmax" => (|| {
            let (s, x) = f(0)?;
            Ok(Value::Float { shape: s.to_vec(), data: fsem::softmax(s, x, int_attr(m, op, "axis")? as usize) })
        })(),
        "qdf.fquant" => (|| {
            let (s, x) = f(0)?;
            Ok(Value::Fixed(fsem::fquant(s, x, &fquant_of(m, op)?, out()?)))
        })(),
        "qdf.threshold" => (|| {
            let x = inputs.first().ok_or("qdf.threshold needs an operand")?.fixed()?;
            let d = m.attr(op, "thresholds").and_then(|a| a.as_dense()).ok_or("missing thresholds")?;
            let l = d.ty.shape().and_then(|s| s.get(1).copied()).unwrap_or(1) as usize;
            let rows = mantissas(d).chunks(l.max(1)).map(<[i128]>::to_vec).collect();
            let t = Thresholds { rows, base: dense_ints(m, op, "base")?, step: dense_ints(m, op, "step")? };
            Ok(Value::Fixed(rsem::threshold(x, &t, out()?, crate::ops_requant::channel_axis(m, op))))
        })(),
        "qdf.requant" => (|| {
            let x = inputs.first().ok_or("qdf.requant needs an operand")?.fixed()?;
            let b = |n: &str| m.attr(op, n).and_then(|a| a.as_int()).map(i128::from);
            let q = Requant { multiplier: dense_ints(m, op, "multiplier")?, shift: int_attr(m, op, "shift")?, min: b("min"), max: b("max") };
            Ok(Value::Fixed(rsem::requant(x, &q, out()?, crate::ops_requant::channel_axis(m, op))))
        })(),
        "qdf.reshape" => match inputs.first() {
            Some(Value::Float { data, .. }) => Ok(Value::Float { shape: shape.clone(), data: data.clone() }),
            _ => return None,
        },
        "qdf.concat" => (|| {
            let axis = fpgaopt_ir::shape::norm_axis(int_attr(m, op, "axis")?, shape.len())?;
            if inputs.iter().all(|v| matches!(v, Value::Float { .. })) {
                let parts: Vec<(&[f32], &[i64])> = inputs.iter().map(|v| v.float()).collect::<Result<Vec<_>, _>>()?.into_iter().map(|(s, d)| (&d[..], &s[..])).collect();
                return Ok(Value::Float { shape: shape.clone(), data: sem::concat_data(&parts, &shape, axis) });
            }
            let ts = inputs.iter().map(|v| v.fixed()).collect::<Result<Vec<_>, _>>()?;
            let parts: Vec<(&[i128], &[i64])> = ts.iter().map(|t| (&t.data[..], &t.shape[..])).collect();
            Ok(Value::Fixed(sem::Tensor::new(ts[0].ty, &shape, sem::concat_data(&parts, &shape, axis))))
        })(),
        "qdf.transpose" => match inputs.first() {
            Some(Value::Float { data, shape: xs }) => Ok(Value::Float { shape: shape.clone(), data: fpgaopt_ir::shape::transpose_data(data, xs, &ints(m, op, "perm")) }),
            _ => return None,
        },
        "qdf.pad" => match inputs.first() {
            Some(Value::Float { data, shape: xs }) => Ok(Value::Float { shape: shape.clone(), data: sp::pad_data(data, xs, &ints(m, op, "pads"), 0.0).1 }),
            _ => return None,
        },
        "qdf.slice" => match inputs.first() {
            Some(Value::Float { data, shape: xs }) => {
                let start = m.attr(op, "start").and_then(|a| a.as_int()).unwrap_or(0);
                Ok(Value::Float { shape: shape.clone(), data: sem::slice_data(data, xs, &shape, start) })
            }
            _ => return None,
        },
        _ => return None,
    };
    Some(r)
}

fn ints(m: &Module, op: OpId, name: &str) -> Vec<i64> {
    m.attr(op, name).and_then(|a| a.as_i64_array()).unwrap_or_default()
}

/// The window of a pool.
fn window(m: &Module, op: OpId) -> sp::Window {
    sp::Window { kernel: ints(m, op, "kernel"), strides: ints(m, op, "strides"), dilations: ints(m, op, "dilations") }
}

/// The kernel of a `qdf.conv`: its weight's leading axes.
fn x_kernel(m: &Module, op: OpId) -> Vec<i64> {
    let w = m.ty(m.operand(op, 1)).shape().unwrap_or(&[]);
    w[..w.len().saturating_sub(2)].to_vec()
}

fn type_attr(m: &Module, op: OpId, name: &str) -> Result<FixedType, String> {
    m.attr(op, name).and_then(|a| a.as_type()).and_then(FixedType::from_type).ok_or(format!("missing type attribute '{name}'"))
}

fn int_attr(m: &Module, op: OpId, name: &str) -> Result<i64, String> {
    m.attr(op, name).and_then(|a| a.as_int()).ok_or(format!("missing integer attribute '{name}'"))
}

fn mantissas(d: &DenseElements) -> Vec<i128> {
    (0..d.len()).map(|i| d.get_i64(i) as i128).collect()
}

fn table(m: &Module, op: OpId, samples: &str, ty: &str) -> Result<Table, String> {
    let d = m.attr(op, samples).and_then(|a| a.as_dense()).ok_or(format!("missing table '{samples}'"))?;
    Ok(Table {
        samples: mantissas(d),
        ty: type_attr(m, op, ty)?,
        lo: int_attr(m, op, "lo")? as i128,
        step_shift: int_attr(m, op, "step_shift")? as u32,
    })
}

/// Evaluates one verified `qdf` op on its operand values.
pub fn eval_op(m: &Module, op: OpId, inputs: &[Value]) -> Result<Value, String> {
    if let Some(r) = eval_quant_op(m, op, inputs).or_else(|| eval_resample_op(m, op, inputs)) {
        return r;
    }
    let name = m.op(op).name();
    let arg = |i: usize| inputs.get(i).ok_or_else(|| format!("'{name}' needs operand #{i}")).and_then(Value::fixed);
    let res_ty = m.ty(m.result(op, 0));
    let shape = res_ty.shape().map(<[i64]>::to_vec).unwrap_or_default();
    let out = || FixedType::of_tensor(res_ty).ok_or(format!("'{name}' result is not a fixed tensor"));
    let t = match name {
        "qdf.constant" => {
            let d = m.attr(op, "value").and_then(|a| a.as_dense()).ok_or("qdf.constant without value")?;
            Tensor::new(out()?, &shape, mantissas(d))
        }
        "qdf.quantize" => match inputs.first() {
            Some(Value::Float { data, .. }) => sem::quantize(data, &shape, out()?),
            _ => return Err("qdf.quantize needs a float operand".into()),
        },
        "qdf.dequantize" => return Ok(Value::Float { shape, data: sem::dequantize(arg(0)?) }),
        "qdf.cast" => sem::cast(arg(0)?, out()?),
        "qdf.dense" => sem::dense(arg(0)?, arg(1)?, arg(2)?, type_attr(m, op, "acc_type")?, out()?),
        "qdf.matmul" => sem::matmul(arg(0)?, arg(1)?, type_attr(m, op, "acc_type")?, out()?),
        "qdf.add" => sem::add(arg(0)?, arg(1)?, out()?),
        "qdf.sub" => sem::sub(arg(0)?, arg(1)?, out()?),
        "qdf.mul" => sem::mul(arg(0)?, arg(1)?, out()?),
        "qdf.relu" => sem::relu(arg(0)?, out()?),
        "qdf.leaky_relu" => {
            sem::leaky_relu(arg(0)?, int_attr(m, op, "alpha")? as i128, type_attr(m, op, "alpha_type")?, out()?)
        }
        "qdf.clip" => {
            let b = |n: &str| m.attr(op, n).and_then(|a| a.as_int()).map(i128::from);
            sem::clip(arg(0)?, b("min"), b("max"), out()?)
        }
        "qdf.table" => sem::table(arg(0)?, &table(m, op, "table", "table_type")?, out()?),
        "qdf.softmax" => {
            let axis = int_attr(m, op, "axis")? as usize;
            sem::softmax(arg(0)?, axis, &table(m, op, "exp_table", "exp_type")?, type_attr(m, op, "sum_type")?, out()?)
        }
        "qdf.reshape" => sem::reshape(arg(0)?, &shape),
        "qdf.slice" => sem::slice(arg(0)?, &shape, int_attr(m, op, "start")?),
        "qdf.transpose" => sp::transpose(arg(0)?, &ints(m, op, "perm")),
        "qdf.pad" => sp::pad(arg(0)?, &ints(m, op, "pads"), int_attr(m, op, "value")? as i128),
        "qdf.conv" => {
            let x = arg(0)?;
            let win = sp::Window { kernel: x_kernel(m, op), strides: ints(m, op, "strides"), dilations: ints(m, op, "dilations") };
            let dims = &shape[1..shape.len() - 1];
            sp::conv(x, arg(1)?, arg(2)?, &win, int_attr(m, op, "group")? as usize, dims, type_attr(m, op, "acc_type")?, out()?)
        }
        "qdf.max_pool" => sp::max_pool(arg(0)?, &window(m, op), &shape[1..shape.len() - 1], out()?),
        "qdf.avg_pool" => {
            let d = m.attr(op, "divisors").and_then(|a| a.as_dense()).ok_or("missing divisors")?;
            let divisors: Vec<i64> = (0..d.len()).map(|i| d.get_i64(i)).collect();
            let (acc, recip) = (type_attr(m, op, "acc_type")?, type_attr(m, op, "recip_type")?);
            sp::avg_pool(arg(0)?, &window(m, op), &shape[1..shape.len() - 1], &divisors, acc, recip, out()?)
        }
        other => return Err(format!("no reference semantics for '{other}'")),
    };
    Ok(Value::Fixed(t))
}

/// Evaluates `qdf.resize`, `qdf.depth_to_space`, `qdf.space_to_depth` (fixed or f32) and
/// `qdf.fconv`; `None` for other ops.
fn eval_resample_op(m: &Module, op: OpId, inputs: &[Value]) -> Option<Result<Value, String>> {
    let name = m.op(op).name();
    let ys = m.ty(m.result(op, 0)).shape().map(<[i64]>::to_vec).unwrap_or_default();
    let moved = |f: &dyn Fn(&[i64]) -> Vec<usize>| -> Result<Value, String> {
        // The source position of every output element, applied to either element type.
        match inputs.first().ok_or(format!("'{name}' needs an operand"))? {
            Value::Float { shape, data } => Ok(Value::Float { shape: ys.clone(), data: f(shape).into_iter().map(|i| data[i]).collect() }),
            Value::Fixed(t) => Ok(Value::Fixed(Tensor::new(t.ty, &ys, f(&t.shape).into_iter().map(|i| t.data[i]).collect()))),
        }
    };
    let positions = |xs: &[i64]| -> Vec<usize> { (0..xs.iter().product::<i64>().max(0) as usize).collect() };
    let block = || int_attr(m, op, "blocksize");
    Some(match name {
        "qdf.resize" => (|| {
            let d = m.attr(op, "indices").and_then(|a| a.as_dense()).ok_or("missing indices")?;
            let maps: Vec<i64> = (0..d.len()).map(|i| d.get_i64(i)).collect();
            moved(&|xs| rs::resize(&positions(xs), xs, &ys, &maps))
        })(),
        "qdf.depth_to_space" => (|| {
            let (b, crd) = (block()?, m.attr(op, "mode").and_then(|a| a.as_str()) == Some("CRD"));
            moved(&|xs| rs::depth_to_space(&positions(xs), xs, b, crd))
        })(),
        "qdf.space_to_depth" => (|| {
            let b = block()?;
            moved(&|xs| rs::space_to_depth(&positions(xs), xs, b))
        })(),
        "qdf.fconv" => (|| {
            let f = |i: usize| inputs.get(i).ok_or_else(|| format!("'{name}' needs operand #{i}")).and_then(Value::float);
            let ((xs, x), (ws, w), (_, b)) = (f(0)?, f(1)?, f(2)?);
            let win = sp::Window { kernel: ws[..ws.len().saturating_sub(2)].to_vec(), strides: ints(m, op, "strides"), dilations: ints(m, op, "dilations") };
            let (group, k_block) = (int_attr(m, op, "group")? as usize, int_attr(m, op, "k_block")? as usize);
            let data = rs::fconv(x, xs, w, ws, b, &win, group, k_block, &ys[1..ys.len() - 1]);
            Ok(Value::Float { shape: ys.clone(), data })
        })(),
        _ => return None,
    })
}

/// Runs the body of `func` (qdf ops, `func.return`) on `inputs`; returns its results.
pub fn run_function(m: &Module, func: OpId, inputs: &[Value]) -> Result<Vec<Value>, String> {
    let f = FuncOp::of(m, func).ok_or("not a func.func")?;
    let body = m.entry_block(f.0, 0).ok_or("function has no body")?;
    let args = &m.block(body).args;
    if args.len() != inputs.len() {
        return Err(format!("@{} takes {} inputs, got {}", f.sym_name(m), args.len(), inputs.len()));
    }
    let mut env: HashMap<ValueId, Value> = args.iter().copied().zip(inputs.iter().cloned()).collect();
    for &op in m.block_ops(body) {
        let operands: Vec<Value> = m
            .op(op)
            .operands
            .iter()
            .map(|v| env.get(v).cloned().ok_or_else(|| "value used before its definition".to_string()))
            .collect::<Result<_, _>>()?;
        if ReturnOp::of(m, op).is_some() {
            return Ok(operands);
        }
        let v = eval_op(m, op, &operands).map_err(|e| format!("'{}': {e}", m.op(op).name()))?;
        env.insert(m.result(op, 0), v);
    }
    Err("function body has no func.return".into())
}
