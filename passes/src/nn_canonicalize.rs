//! `nn-canonicalize`: local rewrites of the `nn` dialect, run to a fixpoint by the greedy driver
//! ([`fpgaopt_ir::rewrite`]). Each pattern, in the order they are tried, with its exact criteria
//! ("constant" means defined by `nn.constant`):
//! - `constant-fold`: any `nn` op other than `nn.constant` whose operands are all constants becomes an
//!   `nn.constant` holding its value ([`fpgaopt_nn::eval`], f32 in onnxruntime's order);
//! - `no-op`: `identity(x) -> x`, `dropout(x) -> x` always, `cast(x) -> x` when the result type
//!   equals x's (the importer keeps these ops so rewrites see the model; they compute nothing);
//! - `relu-relu`: `relu(relu(x)) -> relu(x)`, always;
//! - `identity-reshape`: `reshape(x) -> x` and `flatten(x) -> x` when the result type equals x's;
//! - `reshape-reshape`: `reshape(reshape(x)) -> reshape(x)`, always (the inner reshape stays while
//!   something else reads it);
//! - `flatten-to-reshape`: `flatten(x) -> reshape(x)` with the same result type (one op to lower);
//! - `fold-bn-into-dense`: `batch_norm(dense(x, w, b), scale, bias, mean, var)` ->
//!   `dense(x, w * s, (b - mean) * s + bias)` with `s = scale / sqrt(var + eps)` per column, when
//!   `w`, `b` and the four batch-norm operands are constants, the dense result has rank 2 (so the
//!   channel axis 1 is the dense's output axis) and the batch norm is its only reader;
//! - `add-into-dense-bias`: `add(dense(x, w, b), c)` (either operand order) -> `dense(x, w, b + c)`
//!   when `b` and `c` are constants, `c` varies along the last axis only (shape `[]`, `[1]`, `[N]`,
//!   `[1, N]`, ..., of rank at most the dense result's) and the add is the dense's only reader;
//! - `mul-into-dense`: `mul(dense(x, w, b), c)` (either order) -> `dense(x, w * c, b * c)` under the
//!   same criteria, with `w` constant too;
//! - `batch-norm-to-affine`: a `batch_norm(x, scale, bias, mean, var)` with constant operands that
//!   the patterns above left -> `add(mul(x, s), t)` with `s = scale * (1 / sqrt(var + eps))`,
//!   `t = bias - mean * s` as constants of shape `[C, 1, ..., 1]` that broadcast along axis 1; this is
//!   onnxruntime's own formula, so the result is bit-identical to its BatchNormalization.
//!
//! The driver also erases dead pure ops. Folds into a dense layer change rounding (the products use
//! folded weights); everything else computes exactly what the original ops computed. In a quantized
//! function (one holding a quantizer: `nn.quant`, `nn.bipolar_quant`, `nn.trunc`, `nn.qdq`,
//! `nn.quantize_linear`) the three folds into a dense layer are off: its weights are quantized
//! values and its float32 arithmetic is what the hardware reproduces bit for bit. Nothing folds into
//! a dense layer with a fused activation (`activation`, made by `nn-eqsat`): it is not affine.

use fpgaopt_ir::pass::{Options, PassContext, PassInfo, PassOption};
use fpgaopt_ir::rewrite::{apply_patterns_greedily, GreedyConfig, Pattern};
use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, InsertPoint, Location, Module, OpId, Severity, Type, ValueId};
use fpgaopt_nn::eval::{self, constant_value, Tensor};
use fpgaopt_nn::{Add, BatchNorm, Cast, Constant, Dense, Dropout, Flatten, Identity, Mul, Relu, Reshape};

const MAX_ITERATIONS: PassOption =
    PassOption { name: "max-iterations", help: "sweeps over the IR before giving up on a fixpoint", default: "10" };

/// The `nn-canonicalize` pass.
pub static NN_CANONICALIZE: PassInfo = PassInfo {
    name: "nn-canonicalize",
    summary: "simplify nn ops: fold constants and batch norms into dense layers, drop reshapes, identities, dropouts and casts that do nothing",
    description: r#"Local rewrites run to a fixpoint by the greedy driver; dead pure ops are erased.
Patterns, in order ("constant" = defined by nn.constant):
- constant-fold: an nn op whose operands are all constants becomes an nn.constant;
- no-op: identity(x) -> x, dropout(x) -> x, cast(x) -> x when the types are equal;
- relu-relu: relu(relu(x)) -> relu(x);
- identity-reshape: reshape/flatten whose result type equals its input's -> the input;
- reshape-reshape: reshape(reshape(x)) -> reshape(x);
- flatten-to-reshape: flatten(x) -> reshape(x);
- fold-bn-into-dense: batch_norm(dense(x, w, b)) -> dense(x, w*s, (b - mean)*s + bias),
  s = scale/sqrt(var + eps), when all parameters are constants, the dense result is 2-D and the
  batch norm is its only reader;
- add-into-dense-bias: add(dense(x, w, b), c) -> dense(x, w, b + c) when c is a constant that varies
  along the last axis only and the add is the dense's only reader;
- mul-into-dense: mul(dense(x, w, b), c) -> dense(x, w*c, b*c) under the same criteria;
- batch-norm-to-affine: a remaining batch_norm with constant parameters -> add(mul(x, s), t) with
  per-channel constants shaped to broadcast along axis 1 (onnxruntime's formula, bit-identical).
In functions holding quantizers the three folds into dense layers are off (they change rounding).
Nothing folds into a dense layer with a fused activation (nn-eqsat's activation = "relu").
A remark reports when the iteration limit stops the driver before a fixpoint."#,
    options: &[MAX_ITERATIONS],
    run,
};

/// The patterns, in the order they are tried.
pub static PATTERNS: &[Pattern] = &[
    Pattern::new("constant-fold", constant_fold),
    Pattern::new("no-op", no_op),
    Pattern::new("relu-relu", relu_relu),
    Pattern::new("identity-reshape", identity_reshape),
    Pattern::new("reshape-reshape", reshape_reshape),
    Pattern::new("flatten-to-reshape", flatten_to_reshape),
    Pattern::new("fold-bn-into-dense", fold_bn_into_dense),
    Pattern::new("add-into-dense-bias", add_into_dense_bias),
    Pattern::new("mul-into-dense", mul_into_dense),
    Pattern::new("batch-norm-to-affine", batch_norm_to_affine),
];

fn run(m: &mut Module, opts: &Options, ctx: &mut PassContext<'_>) -> DiagResult<()> {
    let max = opts.get_int(&MAX_ITERATIONS)?;
    let config = GreedyConfig { max_iterations: usize::try_from(max).unwrap_or(0).max(1), ..GreedyConfig::default() };
    let top = m.top();
    let stats = apply_patterns_greedily(m, top, PATTERNS, &config);
    if !stats.converged() {
        let mut d = Diagnostic::error(Location::Unknown, format!("nn-canonicalize {}", stats.describe()));
        d.severity = Severity::Remark;
        ctx.remarks.push(d);
    }
    Ok(())
}

/// Builds an `nn.constant` holding `t` before `at`.
fn new_constant(m: &mut Module, at: OpId, t: &Tensor) -> ValueId {
    let loc = m.op(at).loc.clone();
    let spec = Constant::spec(loc).results([t.ty()]).attr("value", Attribute::Dense(t.to_dense()));
    let op = m.build(InsertPoint::Before(at), spec);
    m.result(op, 0)
}

/// True when `v` has exactly one reader.
fn single_use(m: &Module, v: ValueId) -> bool {
    m.value(v).uses.len() == 1
}

// op(constants...) -> constant
fn constant_fold(m: &mut Module, op: OpId) -> bool {
    let data = m.op(op);
    if data.def.dialect() != "nn" || Constant::of(m, op).is_some() || data.results.len() != 1 {
        return false;
    }
    let Some(inputs) = data.operands.iter().map(|&v| constant_value(m, v)).collect::<Option<Vec<Tensor>>>() else {
        return false;
    };
    let Ok(t) = eval::eval_op(m, op, &inputs) else { return false };
    if m.ty(m.result(op, 0)) != &t.ty() {
        return false;
    }
    let c = new_constant(m, op, &t);
    m.replace_op(op, &[c]);
    true
}

// identity(x) -> x, dropout(x) -> x, cast(x) -> x  (same type)
fn no_op(m: &mut Module, op: OpId) -> bool {
    let same_type = || m.ty(m.operand(op, 0)) == m.ty(m.result(op, 0));
    if Identity::of(m, op).is_none() && Dropout::of(m, op).is_none() && !(Cast::of(m, op).is_some() && same_type()) {
        return false;
    }
    let x = m.operand(op, 0);
    m.replace_op(op, &[x]);
    true
}

// relu(relu(x)) -> relu(x)
fn relu_relu(m: &mut Module, op: OpId) -> bool {
    let Some(outer) = Relu::of(m, op) else { return false };
    let Some(inner) = Relu::defining(m, outer.input(m)) else { return false };
    let v = inner.output(m);
    m.replace_op(op, &[v]);
    true
}

// reshape(x) -> x, flatten(x) -> x  (same type)
fn identity_reshape(m: &mut Module, op: OpId) -> bool {
    if Reshape::of(m, op).is_none() && Flatten::of(m, op).is_none() {
        return false;
    }
    let x = m.operand(op, 0);
    if m.ty(x) != m.ty(m.result(op, 0)) {
        return false;
    }
    m.replace_op(op, &[x]);
    true
}

// reshape(reshape(x)) -> reshape(x)
fn reshape_reshape(m: &mut Module, op: OpId) -> bool {
    let Some(outer) = Reshape::of(m, op) else { return false };
    let Some(inner) = Reshape::defining(m, outer.input(m)) else { return false };
    let x = inner.input(m);
    m.set_operand(op, 0, x);
    true
}

// flatten(x) -> reshape(x)
fn flatten_to_reshape(m: &mut Module, op: OpId) -> bool {
    let Some(f) = Flatten::of(m, op) else { return false };
    let (x, ty, loc) = (f.input(m), m.ty(f.output(m)).clone(), m.op(op).loc.clone());
    let r = Reshape::build(m, InsertPoint::Before(op), loc, x, ty);
    let v = r.output(m);
    m.replace_op(op, &[v]);
    true
}

/// True when the function around `op` holds a quantizer: its arithmetic must stay bit-exact.
fn in_quantized_function(m: &Module, op: OpId) -> bool {
    let Some(f) = m.parent_op(op) else { return false };
    let quantizer = |o: OpId| matches!(m.op(o).name(), "nn.quant" | "nn.bipolar_quant" | "nn.trunc" | "nn.qdq" | "nn.quantize_linear");
    m.collect(f).into_iter().any(quantizer)
}

/// The constant weight and bias of a single-use `nn.dense` defining `v` without a fused activation.
fn foldable_dense(m: &Module, v: ValueId) -> Option<(Dense, Tensor, Tensor)> {
    let d = Dense::defining(m, v)?;
    if !single_use(m, v) || d.activation(m).is_some() {
        return None;
    }
    Some((d, constant_value(m, d.weight(m))?, constant_value(m, d.bias(m))?))
}

/// Replaces the weight and bias of `d` by new constants.
fn set_dense_params(m: &mut Module, d: Dense, w: &Tensor, b: &Tensor) {
    let (wv, bv) = (new_constant(m, d.0, w), new_constant(m, d.0, b));
    m.set_operand(d.0, 1, wv);
    m.set_operand(d.0, 2, bv);
}

/// Multiplies column `j` of a `[K, N]` weight by `s[j]`.
fn scale_columns(w: &Tensor, s: &[f32]) -> Tensor {
    let n = s.len();
    Tensor { shape: w.shape.clone(), data: w.data.iter().enumerate().map(|(i, &v)| v * s[i % n]).collect() }
}

// batch_norm(dense(x, w, b), scale, bias, mean, var) -> dense(x, w * s, (b - mean) * s + bias)
fn fold_bn_into_dense(m: &mut Module, op: OpId) -> bool {
    let Some(bn) = BatchNorm::of(m, op) else { return false };
    if in_quantized_function(m, op) {
        return false;
    }
    let Some((d, w, b)) = foldable_dense(m, bn.input(m)) else { return false };
    if m.ty(d.output(m)).shape().map_or(0, <[i64]>::len) != 2 {
        return false;
    }
    let params = [bn.scale(m), bn.bias(m), bn.mean(m), bn.var(m)].map(|v| constant_value(m, v));
    let [Some(scale), Some(bias), Some(mean), Some(var)] = params else { return false };
    let (s, _) = eval::batch_norm_affine(&scale, &bias, &mean, &var, bn.epsilon(m) as f32);
    let new_b: Vec<f32> = (0..s.len()).map(|j| (b.data[j] - mean.data[j]) * s[j] + bias.data[j]).collect();
    set_dense_params(m, d, &scale_columns(&w, &s), &Tensor { shape: b.shape.clone(), data: new_b });
    let y = d.output(m);
    m.replace_op(op, &[y]);
    true
}

/// For `op(dense, c)` or `op(c, dense)`: the dense, its constant params, and `c` as an `[N]` vector.
fn dense_and_column_constant(m: &Module, op: OpId) -> Option<(Dense, Tensor, Tensor, Vec<f32>)> {
    let (a, b) = (m.operand(op, 0), m.operand(op, 1));
    let (dv, cv) = if Dense::defining(m, a).is_some() { (a, b) } else { (b, a) };
    let (d, w, bias) = foldable_dense(m, dv)?;
    let c = constant_value(m, cv)?;
    let out = m.ty(dv).shape()?;
    let n = *out.last()?;
    let (last, rest) = c.shape.split_last().unwrap_or((&1, &[]));
    if c.shape.len() > out.len() || rest.iter().any(|&x| x != 1) || (*last != 1 && *last != n) {
        return None;
    }
    let col = if *last == 1 { vec![c.data[0]; n as usize] } else { c.data };
    Some((d, w, bias, col))
}

// add(dense(x, w, b), c) -> dense(x, w, b + c)
fn add_into_dense_bias(m: &mut Module, op: OpId) -> bool {
    if Add::of(m, op).is_none() || in_quantized_function(m, op) {
        return false;
    }
    let Some((d, w, b, c)) = dense_and_column_constant(m, op) else { return false };
    let new_b = Tensor { shape: b.shape.clone(), data: b.data.iter().zip(&c).map(|(x, y)| x + y).collect() };
    set_dense_params(m, d, &w, &new_b);
    let y = d.output(m);
    m.replace_op(op, &[y]);
    true
}

// mul(dense(x, w, b), c) -> dense(x, w * c, b * c)
fn mul_into_dense(m: &mut Module, op: OpId) -> bool {
    if Mul::of(m, op).is_none() || in_quantized_function(m, op) {
        return false;
    }
    let Some((d, w, b, c)) = dense_and_column_constant(m, op) else { return false };
    let new_b = Tensor { shape: b.shape.clone(), data: b.data.iter().zip(&c).map(|(x, y)| x * y).collect() };
    set_dense_params(m, d, &scale_columns(&w, &c), &new_b);
    let y = d.output(m);
    m.replace_op(op, &[y]);
    true
}

// batch_norm(x, scale, bias, mean, var) -> add(mul(x, s), t)
fn batch_norm_to_affine(m: &mut Module, op: OpId) -> bool {
    let Some(bn) = BatchNorm::of(m, op) else { return false };
    let params = [bn.scale(m), bn.bias(m), bn.mean(m), bn.var(m)].map(|v| constant_value(m, v));
    let [Some(scale), Some(bias), Some(mean), Some(var)] = params else { return false };
    let (s, t) = eval::batch_norm_affine(&scale, &bias, &mean, &var, bn.epsilon(m) as f32);
    let ty: Type = m.ty(bn.output(m)).clone();
    let rank = ty.shape().map_or(0, <[i64]>::len);
    let mut shape = vec![s.len() as i64];
    shape.resize(rank.saturating_sub(1).max(1), 1);
    let (sv, tv) = (
        new_constant(m, op, &Tensor { shape: shape.clone(), data: s }),
        new_constant(m, op, &Tensor { shape, data: t }),
    );
    let loc = m.op(op).loc.clone();
    let x = bn.input(m);
    let mul = Mul::build(m, InsertPoint::Before(op), loc.clone(), x, sv, ty.clone());
    let add = Add::build(m, InsertPoint::Before(op), loc, mul.output(m), tv, ty);
    let y = add.output(m);
    m.replace_op(op, &[y]);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use fpgaopt_ir::parser::parse_module;

    fn canonicalize(m: &mut Module) {
        let registry = crate::dialects();
        let mut ctx = PassContext { registry: &registry, input_path: "test.mlir", remarks: vec![] };
        run(m, &Options::default(), &mut ctx).expect("runs");
        assert!(ctx.remarks.is_empty(), "did not converge");
        fpgaopt_ir::verifier::verify(m).expect("valid after the pass");
    }

    /// Inputs of the shapes `func` takes, filled from a fixed pseudo-random sequence.
    fn inputs(m: &Module, func: OpId) -> Vec<Tensor> {
        let body = m.entry_block(func, 0).expect("body");
        let mut seed = 0x2545F4914F6CDD1Du64;
        m.block(body)
            .args
            .iter()
            .map(|&a| {
                let shape = m.ty(a).shape().expect("tensor argument").to_vec();
                let n = shape.iter().product::<i64>() as usize;
                let data = (0..n)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (seed % 2001) as f32 / 500.0 - 2.0
                    })
                    .collect();
                Tensor { shape, data }
            })
            .collect()
    }

    /// Every case of the lit test computes the same values before and after the pass.
    #[test]
    fn lit_cases_keep_their_meaning() {
        let text = include_str!("../../lit-tests/Transforms/nn-canonicalize.mlir");
        let registry = crate::dialects();
        for (i, case) in text.split("// -----").enumerate() {
            let mut m = parse_module(case, "nn-canonicalize.mlir", &registry).expect("parses");
            let f = m.functions()[0];
            let name = m.attr(f, "sym_name").and_then(Attribute::as_str).unwrap_or("?").to_string();
            let x = inputs(&m, f);
            let before = eval::run_function(&m, f, &x).expect("runs before");
            canonicalize(&mut m);
            let after = eval::run_function(&m, f, &x).expect("runs after");
            for (b, a) in before.iter().zip(&after) {
                assert_eq!(b.shape, a.shape, "case {i} @{name}");
                for (p, q) in b.data.iter().zip(&a.data) {
                    let same = (p.is_nan() && q.is_nan()) || (p - q).abs() <= 1e-5 * p.abs().max(1.0);
                    assert!(same, "case {i} @{name}: {p} vs {q}");
                }
            }
        }
    }

    #[test]
    fn batch_norm_to_affine_is_bit_exact() {
        let text = r#"
func.func @bn(%x: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %s = "nn.constant"() {value = dense<[0.7, -1.3, 2.1, 0.05]> : tensor<4xf32>} : () -> tensor<4xf32>
  %b = "nn.constant"() {value = dense<[0.1, 0.2, -0.3, 0.4]> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "nn.constant"() {value = dense<[0.33, -0.25, 1.5, 0.0]> : tensor<4xf32>} : () -> tensor<4xf32>
  %v = "nn.constant"() {value = dense<[1.7, 0.3, 2.9, 0.01]> : tensor<4xf32>} : () -> tensor<4xf32>
  %y = "nn.batch_norm"(%x, %s, %b, %m, %v) {epsilon = 1.0e-5} : (tensor<3x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<3x4xf32>
  func.return %y : tensor<3x4xf32>
}
"#;
        let mut m = parse_module(text, "bn.mlir", &crate::dialects()).expect("parses");
        let f = m.functions()[0];
        let x = inputs(&m, f);
        let before = eval::run_function(&m, f, &x).expect("runs");
        canonicalize(&mut m);
        let names: Vec<&str> =
            m.block_ops(m.entry_block(f, 0).expect("body")).iter().map(|&o| m.op(o).name()).collect();
        assert_eq!(names, ["nn.constant", "nn.constant", "nn.mul", "nn.add", "func.return"]);
        let after = eval::run_function(&m, f, &x).expect("runs");
        assert_eq!(
            before[0].data.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            after[0].data.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn iteration_limit_is_a_remark() {
        let text = r#"
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = "nn.relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %b = "nn.relu"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %b : tensor<4xf32>
}
"#;
        let mut m = parse_module(text, "limit.mlir", &crate::dialects()).expect("parses");
        let registry = crate::dialects();
        let mut ctx = PassContext { registry: &registry, input_path: "limit.mlir", remarks: vec![] };
        let mut opts = Options::default();
        opts.set("max-iterations", "1");
        run(&mut m, &opts, &mut ctx).expect("runs");
        assert_eq!(ctx.remarks.len(), 1);
        assert!(ctx.remarks[0].message.contains("iteration limit"), "{}", ctx.remarks[0].message);
        assert_eq!(ctx.remarks[0].severity, Severity::Remark);
    }
}
