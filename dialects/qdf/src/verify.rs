//! Verifiers of the `qdf` ops and the shape rules they share with passes that build them.
//!
//! Besides shapes, verifiers keep every op inside the domain of the exact reference semantics:
//! tensor element mantissas fit `i64` (so constants and tables store them as builtin integers), and
//! every exact intermediate (products, aligned sums) fits 126 bits.

use fpgaopt_ir::{DenseElements, Module, OpId, Type, ValueId};

use crate::fixed::{exact_add_type, exact_mul_type, FixedType, MAX_EXACT_BITS};

pub use fpgaopt_ir::shape::{broadcast_shapes, matmul_shape};
use fpgaopt_ir::shape::fmt_shape as fmt;

pub(crate) fn shape(m: &Module, v: ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

/// The fixed element type of a tensor value, checked to have i64 mantissas.
pub(crate) fn elem(m: &Module, v: ValueId) -> Result<FixedType, String> {
    let t = FixedType::of_tensor(m.ty(v)).ok_or_else(|| format!("expected a tensor of !qdf.fixed, got {}", m.ty(v)))?;
    value_type(&t)?;
    Ok(t)
}

/// Tensor elements, table samples and constants: mantissas fit i64.
fn value_type(t: &FixedType) -> Result<(), String> {
    if t.signed_bits() > 64 {
        return Err(format!("element type {t} is wider than 64 bits (63 unsigned)"));
    }
    Ok(())
}

/// A fixed type held by a type attribute.
fn type_attr(m: &Module, op: OpId, name: &str) -> Result<FixedType, String> {
    m.attr(op, name)
        .and_then(|a| a.as_type())
        .and_then(FixedType::from_type)
        .ok_or_else(|| format!("attribute '{name}' must be a !qdf.fixed type"))
}

/// An exact intermediate of this type must fit the reference arithmetic.
pub(crate) fn exact(t: &FixedType, what: &str) -> Result<(), String> {
    if t.signed_bits() > MAX_EXACT_BITS {
        return Err(format!("{what} needs {} bits, more than the {MAX_EXACT_BITS} the exact semantics support", t.signed_bits()));
    }
    Ok(())
}

/// Mantissas of a dense attribute fit `t`.
fn check_mantissas(d: &DenseElements, t: &FixedType, what: &str) -> Result<(), String> {
    let (lo, hi) = (t.min_mantissa(), t.max_mantissa());
    for i in 0..d.len() {
        let v = d.get_i64(i) as i128;
        if v < lo || v > hi {
            return Err(format!("{what} mantissa {v} at index {i} does not fit {t} (range [{lo}, {hi}])"));
        }
    }
    Ok(())
}

pub(crate) fn verify_constant(m: &Module, op: OpId) -> Result<(), String> {
    let c = crate::Constant(op);
    let (d, out) = (c.value(m), c.output(m));
    let t = elem(m, out)?;
    if d.ty.shape() != m.ty(out).shape() {
        return Err(format!("value shape {} does not match result shape {}", fmt(d.ty.shape().unwrap_or(&[])), fmt(&shape(m, out))));
    }
    check_mantissas(d, &t, "value")
}

pub(crate) fn verify_quantize(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.operand(op, 0), m.result(op, 0));
    if m.ty(x).element() != Some(&Type::F32) {
        return Err(format!("input must be a tensor of f32, got {}", m.ty(x)));
    }
    elem(m, y)?;
    same_shape(m, x, y)
}

pub(crate) fn verify_dequantize(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.operand(op, 0), m.result(op, 0));
    if m.ty(y).element() != Some(&Type::F32) {
        return Err(format!("result must be a tensor of f32, got {}", m.ty(y)));
    }
    elem(m, x)?;
    same_shape(m, x, y)
}

pub(crate) fn same_shape(m: &Module, x: ValueId, y: ValueId) -> Result<(), String> {
    let (a, b) = (shape(m, x), shape(m, y));
    if a != b {
        return Err(format!("result shape {} must equal input shape {}", fmt(&b), fmt(&a)));
    }
    Ok(())
}

pub(crate) fn verify_same_shape(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.operand(op, 0), m.result(op, 0));
    elem(m, x)?;
    elem(m, y)?;
    same_shape(m, x, y)
}

/// `acc + product` stays inside the exact range.
fn check_acc(acc: &FixedType, prod: &FixedType) -> Result<(), String> {
    exact(prod, "the product")?;
    exact(acc, "the accumulator")?;
    exact(&exact_add_type(acc, prod), "accumulating a product")
}

pub(crate) fn verify_dense(m: &Module, op: OpId) -> Result<(), String> {
    let d = crate::Dense(op);
    let (tx, tw, tb, _) = (elem(m, d.input(m))?, elem(m, d.weight(m))?, elem(m, d.bias(m))?, elem(m, d.output(m))?);
    let acc = type_attr(m, op, "acc_type")?;
    let (x, w, b, y) = (shape(m, d.input(m)), shape(m, d.weight(m)), shape(m, d.bias(m)), shape(m, d.output(m)));
    if w.len() != 2 {
        return Err(format!("weight must be 2-D [K, N], got {}", fmt(&w)));
    }
    if x.last() != Some(&w[0]) {
        return Err(format!("input {} does not end in the weight's K = {}", fmt(&x), w[0]));
    }
    if b != [w[1]] {
        return Err(format!("bias must be [{}], got {}", w[1], fmt(&b)));
    }
    let mut expect = x.clone();
    if let Some(l) = expect.last_mut() {
        *l = w[1];
    }
    if y != expect {
        return Err(format!("result shape {} should be {}", fmt(&y), fmt(&expect)));
    }
    check_acc(&acc, &exact_mul_type(&tx, &tw))?;
    exact(&exact_add_type(&acc, &tb), "aligning the bias with the accumulator")
}

pub(crate) fn verify_matmul(m: &Module, op: OpId) -> Result<(), String> {
    let (ta, tb) = (elem(m, m.operand(op, 0))?, elem(m, m.operand(op, 1))?);
    elem(m, m.result(op, 0))?;
    let acc = type_attr(m, op, "acc_type")?;
    let (a, b, y) = (shape(m, m.operand(op, 0)), shape(m, m.operand(op, 1)), shape(m, m.result(op, 0)));
    match matmul_shape(&a, &b) {
        Some(s) if s == y => {}
        Some(s) => return Err(format!("result shape {} should be {}", fmt(&y), fmt(&s))),
        None => return Err(format!("operand shapes {} and {} do not multiply", fmt(&a), fmt(&b))),
    }
    check_acc(&acc, &exact_mul_type(&ta, &tb))
}

fn verify_broadcast(m: &Module, op: OpId) -> Result<(FixedType, FixedType), String> {
    let (ta, tb) = (elem(m, m.operand(op, 0))?, elem(m, m.operand(op, 1))?);
    elem(m, m.result(op, 0))?;
    let (a, b, y) = (shape(m, m.operand(op, 0)), shape(m, m.operand(op, 1)), shape(m, m.result(op, 0)));
    match broadcast_shapes(&a, &b) {
        Some(s) if s == y => Ok((ta, tb)),
        Some(s) => Err(format!("result shape {} should be {}", fmt(&y), fmt(&s))),
        None => Err(format!("operand shapes {} and {} do not broadcast", fmt(&a), fmt(&b))),
    }
}

pub(crate) fn verify_add_sub(m: &Module, op: OpId) -> Result<(), String> {
    let (a, b) = verify_broadcast(m, op)?;
    exact(&exact_add_type(&a, &b), "the exact result")
}

pub(crate) fn verify_mul(m: &Module, op: OpId) -> Result<(), String> {
    let (a, b) = verify_broadcast(m, op)?;
    exact(&exact_mul_type(&a, &b), "the exact product")
}

pub(crate) fn verify_leaky_relu(m: &Module, op: OpId) -> Result<(), String> {
    verify_same_shape(m, op)?;
    let ta = type_attr(m, op, "alpha_type")?;
    value_type(&ta)?;
    let alpha = crate::LeakyRelu(op).alpha(m) as i128;
    if alpha < ta.min_mantissa() || alpha > ta.max_mantissa() {
        return Err(format!("alpha mantissa {alpha} does not fit {ta}"));
    }
    exact(&exact_mul_type(&elem(m, m.operand(op, 0))?, &ta), "the product alpha * x")
}

pub(crate) fn verify_clip(m: &Module, op: OpId) -> Result<(), String> {
    verify_same_shape(m, op)?;
    let c = crate::Clip(op);
    if let (Some(lo), Some(hi)) = (c.min(m), c.max(m)) {
        if lo > hi {
            return Err(format!("min {lo} is greater than max {hi}"));
        }
    }
    Ok(())
}

/// Table attributes shared by `qdf.table` and `qdf.softmax`.
fn check_table(d: &DenseElements, t: &FixedType, step_shift: i64, what: &str) -> Result<(), String> {
    value_type(t)?;
    if d.ty.shape().is_none_or(|s| s.len() != 1) || d.len() < 2 {
        return Err(format!("{what} must be 1-D with at least 2 samples, got {}", d.ty));
    }
    if !(0..=62).contains(&step_shift) {
        return Err(format!("step_shift {step_shift} is outside 0..=62"));
    }
    check_mantissas(d, t, what)
}

pub(crate) fn verify_table(m: &Module, op: OpId) -> Result<(), String> {
    verify_same_shape(m, op)?;
    let t = crate::Table(op);
    let tt = type_attr(m, op, "table_type")?;
    // x - lo and (table[i+1] - table[i]) * f stay inside i128 for 64-bit mantissas and k <= 62.
    check_table(t.table(m), &tt, t.step_shift(m), "table")
}

pub(crate) fn verify_softmax(m: &Module, op: OpId) -> Result<(), String> {
    verify_same_shape(m, op)?;
    let s = crate::Softmax(op);
    let rank = shape(m, s.input(m)).len() as i64;
    if !(0..rank).contains(&s.axis(m)) {
        return Err(format!("axis {} is out of range for rank {rank}", s.axis(m)));
    }
    let te = type_attr(m, op, "exp_type")?;
    let ts = type_attr(m, op, "sum_type")?;
    let to = elem(m, s.output(m))?;
    check_table(s.exp_table(m), &te, s.step_shift(m), "exp_table")?;
    if (0..s.exp_table(m).len()).any(|i| s.exp_table(m).get_i64(i) < 0) {
        return Err("exp_table samples must be non-negative".into());
    }
    exact(&ts, "sum_type")?;
    exact(&exact_add_type(&ts, &te), "summing exp values")?;
    let shift = to.frac_bits() + ts.frac_bits() - te.frac_bits();
    let (num, den) = (te.signed_bits() as i64 + shift.max(0), ts.signed_bits() as i64 + (-shift).max(0));
    if num > MAX_EXACT_BITS as i64 || den > MAX_EXACT_BITS as i64 {
        return Err(format!("the normalising division needs {} bits, more than {MAX_EXACT_BITS}", num.max(den)));
    }
    Ok(())
}

pub(crate) fn verify_slice(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.ty(m.operand(op, 0)), m.ty(m.result(op, 0)));
    let a = |n: &str| m.attr(op, n).and_then(|a| a.as_int()).ok_or(format!("missing attribute '{n}'"));
    let expect = crate::semantics::slice_shape(x.shape().unwrap_or(&[]), a("axis")?, a("start")?, a("size")?)?;
    if y.shape() != Some(&expect[..]) || x.element() != y.element() {
        return Err(format!("result {y} should have shape {expect:?} and the input's element type"));
    }
    Ok(())
}

pub(crate) fn verify_concat(m: &Module, op: OpId) -> Result<(), String> {
    let y = m.ty(m.result(op, 0));
    let axis = m.attr(op, "axis").and_then(|a| a.as_int()).ok_or("missing attribute 'axis'")?;
    let ins: Vec<&Type> = m.op(op).operands.iter().map(|&v| m.ty(v)).collect();
    let shapes: Vec<&[i64]> = ins.iter().map(|t| t.shape().unwrap_or(&[])).collect();
    let expect = fpgaopt_ir::shape::concat_shape(&shapes, axis)?;
    if y.shape() != Some(&expect[..]) || ins.iter().any(|t| t.element() != y.element()) {
        return Err(format!("result {y} should have shape {expect:?} and the inputs' element type"));
    }
    Ok(())
}

pub(crate) fn verify_reshape(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.ty(m.operand(op, 0)), m.ty(m.result(op, 0)));
    if x.num_elements() != y.num_elements() || x.element() != y.element() {
        return Err(format!("cannot reshape {x} into {y}"));
    }
    Ok(())
}
