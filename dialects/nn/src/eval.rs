//! A reference evaluator of every `nn` op on f32 tensors, with ONNX semantics.
//!
//! Constant folding (at import and in `nn-canonicalize`) and the reference interpreter
//! ([`run_function`]) use it. Arithmetic is float32 throughout, in the order onnxruntime's CPU
//! kernels use where the order changes the bits (measured against onnxruntime 1.32 with graph
//! optimisations off, on an x86-64 machine with FMA):
//! - `dense`/`matmul`: the summation order of the MLAS kernel onnxruntime runs, chosen by the
//!   dense op's `order` (see [`DenseOrder`]): by default each output is a fused multiply-add chain
//!   over `k` in order, restarted every 256 values of `k` (MLAS's K blocking for prepacked
//!   weights), the blocks summed in order, then `+ bias` (MatMul + Add); with `bias_first` the bias
//!   starts the running total (Gemm). Weights onnxruntime computes at run time (qonnx's node-by-node
//!   execution, DequantizeLinear outputs) go through MLAS's M = 1 kernels instead;
//! - `batch_norm`: `s = scale * (1 / sqrt(var + eps))`, `t = bias - mean * s`, `y = x * s + t`,
//!   onnxruntime's fused form (bit-exact; the textbook `(x - mean) / sqrt(var + eps) * scale + bias`
//!   differs in about half the outputs);
//! - `softmax`: `e = exp(x - max)`, summed in order, then `e * (1 / sum)` like MLAS;
//! - `conv`, `conv_transpose`, pooling, `pad`, `transpose`: see `eval/spatial.rs` (conv: im2col
//!   order, an FMA chain per MLAS K block, then `+ bias`; conv_transpose: GEMM then col2im; average
//!   pools: window columns summed, then the column sums);
//! - `resize`, `depth_to_space`, `space_to_depth`: element moves (`eval/resample.rs`), exact.
//!
//! - quantizers: see [`quant`] (qonnx's numpy steps for QONNX ops, onnxruntime's kernels for ONNX
//!   QuantizeLinear/DequantizeLinear).
//!
//! `exp`, `sigmoid` and `tanh` use Rust's libm; onnxruntime's vectorised approximations differ from
//! them by one or two ulp.

use fpgaopt_ir::builtin::{FuncOp, ReturnOp};
use fpgaopt_ir::{Attribute, DenseElements, Module, OpId, Type, ValueId};

use crate::quant::RoundingMode;
use crate::verify::{broadcast_shapes, matmul_shape};

mod gemm;
pub mod mlas_conv;
mod quant;
mod resample;
mod spatial;
use gemm::dot;
pub use gemm::{dense, dense_with, DenseOrder};
pub use resample::{depth_to_space, resize, space_to_depth};
pub use spatial::{conv, conv_transpose, global_average_pool, global_max_pool, pad, pool, transpose, Pooling};
pub use quant::{bipolar_quant, dequantize_linear, qdq, quant, quantize_linear, trunc, QuantParams, TruncParams};

/// A dense f32 tensor in row-major order.
#[derive(Clone, PartialEq, Debug)]
pub struct Tensor {
    pub shape: Vec<i64>,
    pub data: Vec<f32>,
}

impl Tensor {
    /// A tensor; fails if the data does not fill the shape.
    pub fn new(shape: Vec<i64>, data: Vec<f32>) -> Result<Tensor, String> {
        if shape.iter().any(|&d| d < 0) {
            return Err(format!("negative dimension in shape {shape:?}"));
        }
        let n: i64 = shape.iter().product();
        if n as usize != data.len() {
            return Err(format!("shape {shape:?} holds {n} elements, got {}", data.len()));
        }
        Ok(Tensor { shape, data })
    }

    /// Every element equal to `v`.
    pub fn splat(shape: &[i64], v: f32) -> Tensor {
        let n: i64 = shape.iter().product();
        Tensor { shape: shape.to_vec(), data: vec![v; n.max(0) as usize] }
    }

    /// A rank-0 tensor.
    pub fn scalar(v: f32) -> Tensor {
        Tensor { shape: vec![], data: vec![v] }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True when the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// The elements of a dense attribute, converted to f32.
    pub fn from_dense(d: &DenseElements) -> Tensor {
        Tensor { shape: d.ty.shape().unwrap_or(&[]).to_vec(), data: d.to_f32_vec() }
    }

    /// A dense `tensor<...xf32>` attribute.
    pub fn to_dense(&self) -> DenseElements {
        DenseElements::from_f32(&self.shape, &self.data)
    }

    /// The `tensor<...xf32>` type of this tensor.
    pub fn ty(&self) -> Type {
        Type::tensor(self.shape.clone(), Type::F32)
    }

    /// The same elements under another shape with as many elements.
    pub fn reshaped(&self, shape: &[i64]) -> Result<Tensor, String> {
        Tensor::new(shape.to_vec(), self.data.clone())
    }

    /// Applies `f` to every element.
    pub fn map(&self, f: impl Fn(f32) -> f32) -> Tensor {
        Tensor { shape: self.shape.clone(), data: self.data.iter().map(|&x| f(x)).collect() }
    }
}

/// Row-major strides of a shape.
fn strides(shape: &[i64]) -> Vec<usize> {
    let mut s = vec![1usize; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1] as usize;
    }
    s
}

/// Strides of `shape` read as `out`-shaped with numpy broadcasting (0 along broadcast axes).
fn broadcast_strides(shape: &[i64], out: &[i64]) -> Vec<usize> {
    let own = strides(shape);
    let lead = out.len() - shape.len();
    (0..out.len()).map(|i| if i < lead || shape[i - lead] == 1 { 0 } else { own[i - lead] }).collect()
}

/// A broadcast shape and, per output element, the flat indices of the two operand elements.
pub type BroadcastIndices = (Vec<i64>, Vec<(usize, usize)>);

/// The broadcast shape of `a` and `b` and, for each output element in row-major order, the flat
/// indices of the `a` and `b` elements it combines (numpy rules); `None` if they do not broadcast.
pub fn broadcast_indices(a: &[i64], b: &[i64]) -> Option<BroadcastIndices> {
    let out = broadcast_shapes(a, b)?;
    let (sa, sb) = (broadcast_strides(a, &out), broadcast_strides(b, &out));
    let n: i64 = out.iter().product();
    let mut pairs = Vec::with_capacity(n as usize);
    let mut idx = vec![0i64; out.len()];
    for _ in 0..n {
        let (mut ia, mut ib) = (0, 0);
        for (d, &i) in idx.iter().enumerate() {
            ia += i as usize * sa[d];
            ib += i as usize * sb[d];
        }
        pairs.push((ia, ib));
        for d in (0..out.len()).rev() {
            idx[d] += 1;
            if idx[d] < out[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    Some((out, pairs))
}

/// Elementwise `f(a, b)` with numpy broadcasting.
pub fn broadcast_binary(a: &Tensor, b: &Tensor, f: impl Fn(f32, f32) -> f32) -> Result<Tensor, String> {
    let (out, pairs) = broadcast_indices(&a.shape, &b.shape)
        .ok_or_else(|| format!("shapes {:?} and {:?} do not broadcast", a.shape, b.shape))?;
    Tensor::new(out, pairs.into_iter().map(|(i, j)| f(a.data[i], b.data[j])).collect())
}

/// `a + b` with broadcasting.
pub fn add(a: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    broadcast_binary(a, b, |x, y| x + y)
}

/// `a - b` with broadcasting.
pub fn sub(a: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    broadcast_binary(a, b, |x, y| x - y)
}

/// `a * b` with broadcasting.
pub fn mul(a: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    broadcast_binary(a, b, |x, y| x * y)
}

/// `a / b` with broadcasting (ONNX Div, IEEE float32).
pub fn div(a: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    broadcast_binary(a, b, |x, y| x / y)
}

/// ONNX MatMul with numpy semantics (1-D operands promoted, batch dimensions broadcast).
pub fn matmul(a: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    let out = matmul_shape(&a.shape, &b.shape)
        .ok_or_else(|| format!("shapes {:?} and {:?} do not multiply", a.shape, b.shape))?;
    let a2 = if a.shape.len() == 1 { vec![1, a.shape[0]] } else { a.shape.clone() };
    let b2 = if b.shape.len() == 1 { vec![b.shape[0], 1] } else { b.shape.clone() };
    let (m, k, n) = (a2[a2.len() - 2] as usize, a2[a2.len() - 1] as usize, b2[b2.len() - 1] as usize);
    let batch = broadcast_shapes(&a2[..a2.len() - 2], &b2[..b2.len() - 2]).unwrap_or_default();
    let (sa, sb) = (broadcast_strides(&a2[..a2.len() - 2], &batch), broadcast_strides(&b2[..b2.len() - 2], &batch));
    let batches: i64 = batch.iter().product();
    let mut data = Vec::with_capacity(batches as usize * m * n);
    for bi in 0..batches as usize {
        let (mut oa, mut ob, mut rest) = (0, 0, bi);
        for d in (0..batch.len()).rev() {
            let i = rest % batch[d] as usize;
            rest /= batch[d] as usize;
            oa += i * sa[d] * m * k;
            ob += i * sb[d] * k * n;
        }
        for r in 0..m {
            for c in 0..n {
                data.push(dot(k, |i| a.data[oa + r * k + i], |i| b.data[ob + i * n + c]));
            }
        }
    }
    Tensor::new(out, data)
}

/// `max(x, 0)`.
pub fn relu(x: &Tensor) -> Tensor {
    x.map(|v| if v > 0.0 { v } else { 0.0 })
}

/// `x` if `x >= 0` else `alpha * x`.
pub fn leaky_relu(x: &Tensor, alpha: f32) -> Tensor {
    x.map(|v| if v >= 0.0 { v } else { alpha * v })
}

/// `1 / (1 + exp(-x))`.
pub fn sigmoid(x: &Tensor) -> Tensor {
    x.map(|v| 1.0 / (1.0 + (-v).exp()))
}

/// Hyperbolic tangent.
pub fn tanh(x: &Tensor) -> Tensor {
    x.map(f32::tanh)
}

/// Clamps to `[min, max]`; a missing bound is open (NaN stays NaN).
pub fn clip(x: &Tensor, min: Option<f32>, max: Option<f32>) -> Tensor {
    x.map(|v| {
        let v = match min {
            Some(lo) if v < lo => lo,
            _ => v,
        };
        match max {
            Some(hi) if v > hi => hi,
            _ => v,
        }
    })
}

/// Softmax along `axis` (opset 13 semantics).
pub fn softmax(x: &Tensor, axis: usize) -> Result<Tensor, String> {
    if axis >= x.shape.len() {
        return Err(format!("axis {axis} is out of range for rank {}", x.shape.len()));
    }
    let st = strides(&x.shape);
    let (len, step) = (x.shape[axis] as usize, st[axis]);
    let outer: usize = x.shape[..axis].iter().product::<i64>() as usize;
    let mut out = x.data.clone();
    for o in 0..outer {
        for inner in 0..step {
            let base = o * len * step + inner;
            let at = |j: usize| base + j * step;
            let max = (0..len).map(|j| x.data[at(j)]).fold(f32::NEG_INFINITY, f32::max);
            let mut sum = 0.0f32;
            for j in 0..len {
                let e = (x.data[at(j)] - max).exp();
                out[at(j)] = e;
                sum += e;
            }
            let r = 1.0 / sum;
            for j in 0..len {
                out[at(j)] *= r;
            }
        }
    }
    Tensor::new(x.shape.clone(), out)
}

/// The per-channel scale and shift of inference batch normalization, in onnxruntime's order.
pub fn batch_norm_affine(scale: &Tensor, bias: &Tensor, mean: &Tensor, var: &Tensor, eps: f32) -> (Vec<f32>, Vec<f32>) {
    let s: Vec<f32> = scale.data.iter().zip(&var.data).map(|(&g, &v)| g * (1.0 / (v + eps).sqrt())).collect();
    let t = bias.data.iter().zip(&mean.data).zip(&s).map(|((&b, &m), &s)| b - m * s).collect();
    (s, t)
}

/// Inference batch normalization over axis 1: `x * s + t` per channel.
pub fn batch_norm(
    x: &Tensor,
    scale: &Tensor,
    bias: &Tensor,
    mean: &Tensor,
    var: &Tensor,
    eps: f32,
) -> Result<Tensor, String> {
    let c = *x.shape.get(1).ok_or("batch_norm input has no channel axis 1")? as usize;
    if [scale, bias, mean, var].iter().any(|p| p.shape != [c as i64]) {
        return Err(format!("batch_norm parameters must all be [{c}]"));
    }
    let (s, t) = batch_norm_affine(scale, bias, mean, var, eps);
    let inner: usize = x.shape[2..].iter().product::<i64>() as usize;
    let data = x.data.iter().enumerate().map(|(i, &v)| {
        let ch = (i / inner.max(1)) % c;
        v * s[ch] + t[ch]
    });
    Tensor::new(x.shape.clone(), data.collect())
}

/// ONNX Flatten: `[prod(d < axis), prod(d >= axis)]`.
pub fn flatten(x: &Tensor, axis: usize) -> Result<Tensor, String> {
    if axis > x.shape.len() {
        return Err(format!("axis {axis} is out of range for rank {}", x.shape.len()));
    }
    x.reshaped(&[x.shape[..axis].iter().product(), x.shape[axis..].iter().product()])
}

/// Evaluates one `nn` op on its operand values; the result shape comes from its result type.
pub fn eval_op(m: &Module, op: OpId, inputs: &[Tensor]) -> Result<Tensor, String> {
    let data = m.op(op);
    let shape = m.ty(m.result(op, 0)).shape();
    eval_parts(OpView { name: data.name(), attrs: &data.attrs }, shape, inputs)
}

/// An op as the evaluator needs it: a name and sorted named attributes (an IR op or an e-node).
#[derive(Clone, Copy, Debug)]
pub struct OpView<'a> {
    pub name: &'a str,
    /// Sorted by name.
    pub attrs: &'a [(String, Attribute)],
}

impl<'a> OpView<'a> {
    /// The op name.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// An attribute by name.
    pub fn attr(&self, name: &str) -> Option<&'a Attribute> {
        self.attrs.binary_search_by(|(k, _)| k.as_str().cmp(name)).ok().map(|i| &self.attrs[i].1)
    }
}

/// Evaluates an op given by name and attributes; `result_shape` is needed by `nn.reshape` only.
pub fn eval_parts(data: OpView<'_>, result_shape: Option<&[i64]>, inputs: &[Tensor]) -> Result<Tensor, String> {
    let arg = |i: usize| inputs.get(i).ok_or_else(|| format!("'{}' needs operand #{i}", data.name()));
    let f64_attr = |name: &str| data.attr(name).and_then(|a| a.as_float());
    let int_attr = |name: &str| data.attr(name).and_then(|a| a.as_int()).ok_or(format!("missing attribute '{name}'"));
    let bool_attr = |name: &str| data.attr(name).and_then(|a| a.as_bool()).ok_or(format!("missing attribute '{name}'"));
    let rounding = || {
        let s = data.attr("rounding_mode").and_then(|a| a.as_str()).unwrap_or("");
        RoundingMode::parse(s).ok_or(format!("unknown rounding mode '{s}'"))
    };
    let out_shape = || result_shape.map(<[i64]>::to_vec).ok_or("result is not a tensor".to_string());
    match data.name() {
        "nn.constant" => {
            let d = data.attr("value").and_then(|a| a.as_dense()).ok_or("nn.constant without a dense value")?;
            Ok(Tensor::from_dense(d))
        }
        "nn.dense" => {
            let bias_first = data.attr("bias_first").and_then(|a| a.as_bool()).unwrap_or(false);
            let order = data.attr("order").and_then(|a| a.as_str()).unwrap_or(DenseOrder::Packed.name());
            let order = DenseOrder::parse(order).ok_or(format!("unknown summation order '{order}'"))?;
            let y = dense_with(arg(0)?, arg(1)?, arg(2)?, order, bias_first)?;
            match data.attr("activation").and_then(|a| a.as_str()) {
                None => Ok(y),
                Some("relu") => Ok(relu(&y)),
                Some(other) => Err(format!("unknown activation '{other}'")),
            }
        }
        "nn.matmul" => matmul(arg(0)?, arg(1)?),
        "nn.add" => add(arg(0)?, arg(1)?),
        "nn.sub" => sub(arg(0)?, arg(1)?),
        "nn.mul" => mul(arg(0)?, arg(1)?),
        "nn.div" => div(arg(0)?, arg(1)?),
        "nn.relu" => Ok(relu(arg(0)?)),
        "nn.leaky_relu" => Ok(leaky_relu(arg(0)?, f64_attr("alpha").ok_or("missing attribute 'alpha'")? as f32)),
        "nn.sigmoid" => Ok(sigmoid(arg(0)?)),
        "nn.tanh" => Ok(tanh(arg(0)?)),
        "nn.clip" => Ok(clip(arg(0)?, f64_attr("min").map(|v| v as f32), f64_attr("max").map(|v| v as f32))),
        "nn.softmax" => softmax(arg(0)?, usize::try_from(int_attr("axis")?).map_err(|e| e.to_string())?),
        "nn.batch_norm" => {
            let eps = f64_attr("epsilon").ok_or("missing attribute 'epsilon'")? as f32;
            batch_norm(arg(0)?, arg(1)?, arg(2)?, arg(3)?, arg(4)?, eps)
        }
        "nn.flatten" => flatten(arg(0)?, usize::try_from(int_attr("axis")?).map_err(|e| e.to_string())?),
        "nn.reshape" => arg(0)?.reshaped(&out_shape()?),
        "nn.quant" => {
            let p = QuantParams {
                bit_width: int_attr("bit_width")?,
                signed: bool_attr("signed")?,
                narrow: bool_attr("narrow")?,
                rounding: rounding()?,
            };
            quant(arg(0)?, arg(1)?, arg(2)?, p)
        }
        "nn.bipolar_quant" => bipolar_quant(arg(0)?, arg(1)?),
        "nn.trunc" => {
            let p = TruncParams {
                shift: int_attr("shift")?,
                output_bit_width: data.attr("output_bit_width").and_then(|a| a.as_int()),
                signed: bool_attr("signed")?,
                narrow: bool_attr("narrow")?,
                rounding: rounding()?,
            };
            trunc(arg(0)?, arg(1)?, arg(2)?, arg(3)?, arg(4)?, p)
        }
        "nn.qdq" => qdq(arg(0)?, arg(1)?, arg(2)?, int_attr("bit_width")?, bool_attr("signed")?),
        "nn.quantize_linear" => {
            quantize_linear(arg(0)?, arg(1)?, arg(2)?, int_attr("bit_width")?, bool_attr("signed")?)
        }
        "nn.transpose" | "nn.pad" | "nn.conv" | "nn.conv_transpose" | "nn.max_pool" | "nn.average_pool" => {
            eval_spatial(data, inputs)
        }
        "nn.global_average_pool" => global_average_pool(arg(0)?),
        "nn.global_max_pool" => global_max_pool(arg(0)?),
        "nn.resize" => {
            let text = |n: &str| data.attr(n).and_then(|a| a.as_str()).ok_or(format!("missing attribute '{n}'"));
            let scales = data.attr("scales").and_then(|a| a.as_f64_array()).ok_or("missing attribute 'scales'")?;
            resize(arg(0)?, &out_shape()?, &scales, text("coordinate_transformation_mode")?, text("nearest_mode")?)
        }
        "nn.depth_to_space" => {
            let crd = data.attr("mode").and_then(|a| a.as_str()) == Some("CRD");
            depth_to_space(arg(0)?, int_attr("blocksize")?, crd)
        }
        "nn.space_to_depth" => space_to_depth(arg(0)?, int_attr("blocksize")?),
        "nn.identity" | "nn.dropout" | "nn.cast" => Ok(arg(0)?.clone()),
        "nn.concat" => concat(inputs, int_attr("axis")?),
        "nn.slice" => slice(arg(0)?, int_attr("axis")?, int_attr("start")?, int_attr("size")?),
        other => Err(format!("no evaluator for '{other}'")),
    }
}

/// The product of the axes before `a`, and of those after it.
fn outer_inner(shape: &[i64], a: usize) -> (usize, usize) {
    (shape[..a].iter().product::<i64>() as usize, shape[a + 1..].iter().product::<i64>() as usize)
}

/// ONNX Concat along `axis` (negative counts from the end).
pub fn concat(inputs: &[Tensor], axis: i64) -> Result<Tensor, String> {
    let shapes: Vec<&[i64]> = inputs.iter().map(|t| &t.shape[..]).collect();
    let shape = crate::layout::concat_shape(&shapes, axis)?;
    let a = crate::layout::norm_axis(axis, shape.len())?;
    let (outer, inner) = outer_inner(&shape, a);
    let mut data = Vec::with_capacity(shape.iter().product::<i64>() as usize);
    for o in 0..outer {
        for t in inputs {
            let run = t.shape[a] as usize * inner;
            data.extend_from_slice(&t.data[o * run..(o + 1) * run]);
        }
    }
    Tensor::new(shape, data)
}

/// Elements `start .. start + size` along `axis` of `x`.
pub fn slice(x: &Tensor, axis: i64, start: i64, size: i64) -> Result<Tensor, String> {
    let shape = crate::layout::slice_shape(&x.shape, axis, start, size)?;
    let a = crate::layout::norm_axis(axis, shape.len())?;
    let (outer, inner) = outer_inner(&x.shape, a);
    let (run, from, len) = (x.shape[a] as usize * inner, start as usize * inner, size as usize * inner);
    let data = (0..outer).flat_map(|o| x.data[o * run + from..o * run + from + len].iter().copied()).collect();
    Tensor::new(shape, data)
}

/// Evaluates the ops with integer-array attributes: transpose, pad, conv and the window pools.
fn eval_spatial(data: OpView<'_>, inputs: &[Tensor]) -> Result<Tensor, String> {
    let window = |kernel| crate::spatial::window_of_attrs(|n| data.attr(n), kernel);
    let ints = |name: &str| data.attr(name).and_then(|a| a.as_i64_array()).ok_or(format!("missing attribute '{name}'"));
    let flag = |name: &str| data.attr(name).and_then(|a| a.as_bool()).ok_or(format!("missing attribute '{name}'"));
    let [x, rest @ ..] = inputs else { return Err(format!("'{}' needs an input", data.name())) };
    match (data.name(), rest) {
        ("nn.transpose", _) => transpose(x, &ints("perm")?),
        ("nn.pad", _) => pad(x, &ints("pads")?, data.attr("value").and_then(|a| a.as_float()).unwrap_or(0.0) as f32),
        ("nn.conv", [w, b]) => {
            let window = window(Some(w.shape.get(2..).unwrap_or(&[]).to_vec()))?;
            let group = data.attr("group").and_then(|a| a.as_int()).ok_or("missing attribute 'group'")?;
            conv(x, w, b, &window, usize::try_from(group).map_err(|e| e.to_string())?)
        }
        ("nn.conv_transpose", [w, b]) => {
            let window = window(Some(w.shape.get(2..).unwrap_or(&[]).to_vec()))?;
            let group = data.attr("group").and_then(|a| a.as_int()).ok_or("missing attribute 'group'")?;
            let group = usize::try_from(group).map_err(|e| e.to_string())?;
            conv_transpose(x, w, b, &window, &ints("output_padding")?, group)
        }
        ("nn.max_pool", _) => pool(x, &window(None)?, Pooling::Max),
        ("nn.average_pool", _) => {
            pool(x, &window(None)?, Pooling::Average(flag("count_include_pad")?))
        }
        (name, _) => Err(format!("'{name}' has the wrong number of operands")),
    }
}

/// The value of `v` if an `nn.constant` defines it.
pub fn constant_value(m: &Module, v: ValueId) -> Option<Tensor> {
    let c = crate::Constant::defining(m, v)?;
    Some(Tensor::from_dense(c.value(m)))
}

/// The reference interpreter: runs the `nn` body of `func` on `inputs` and returns its results.
pub fn run_function(m: &Module, func: OpId, inputs: &[Tensor]) -> Result<Vec<Tensor>, String> {
    let f = FuncOp::of(m, func).ok_or("not a func.func")?;
    let body = m.entry_block(f.0, 0).ok_or("function has no body")?;
    let args = &m.block(body).args;
    if args.len() != inputs.len() {
        return Err(format!("@{} takes {} inputs, got {}", f.sym_name(m), args.len(), inputs.len()));
    }
    let mut env: std::collections::HashMap<ValueId, Tensor> = std::collections::HashMap::new();
    for (&a, t) in args.iter().zip(inputs) {
        if m.ty(a).shape() != Some(&t.shape[..]) {
            return Err(format!("input of type {} given shape {:?}", m.ty(a), t.shape));
        }
        env.insert(a, t.clone());
    }
    let read = |env: &std::collections::HashMap<ValueId, Tensor>, v: ValueId| {
        env.get(&v).cloned().ok_or_else(|| "value used before its definition".to_string())
    };
    for &op in m.block_ops(body) {
        let operands: Vec<Tensor> = m.op(op).operands.iter().map(|&v| read(&env, v)).collect::<Result<_, _>>()?;
        if ReturnOp::of(m, op).is_some() {
            return Ok(operands);
        }
        let t = eval_op(m, op, &operands).map_err(|e| format!("'{}': {e}", m.op(op).name()))?;
        env.insert(m.result(op, 0), t);
    }
    Err("function body has no func.return".into())
}

/// Runs `@main` of `m` on f32 inputs (the shapes of its arguments): the reference interpreter
/// behind `fpgaopt run` at the nn level.
pub fn run_main(m: &Module, inputs: &[Tensor]) -> Result<Vec<Tensor>, String> {
    let main = m.lookup_symbol("main").ok_or("the module has no func.func @main")?;
    run_function(m, main, inputs)
}
