//! Shape rules of the `nn` ops, shared by the verifiers and by passes that build ops.

use fpgaopt_ir::{Module, OpId, Type};

/// The shape of a tensor value (empty for anything else).
pub(crate) fn shape(m: &Module, v: fpgaopt_ir::ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

use fpgaopt_ir::shape::fmt_shape as fmt;

pub use fpgaopt_ir::shape::{broadcast_shapes, matmul_shape};

pub(crate) fn verify_constant(m: &Module, op: OpId) -> Result<(), String> {
    let c = crate::Constant(op);
    let (vt, rt) = (&c.value(m).ty, m.ty(c.output(m)));
    if vt != rt {
        return Err(format!("value type {vt} does not match result type {rt}"));
    }
    Ok(())
}

/// The activations `nn.dense` can apply to its output (`activation` attribute).
pub const DENSE_ACTIVATIONS: &[&str] = &["relu"];

pub(crate) fn verify_dense(m: &Module, op: OpId) -> Result<(), String> {
    let d = crate::Dense(op);
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
    *expect.last_mut().expect("non-empty") = w[1];
    if y != expect {
        return Err(format!("result shape {} should be {}", fmt(&y), fmt(&expect)));
    }
    if let Some(o) = d.order(m) {
        if crate::eval::DenseOrder::parse(o).is_none() {
            return Err(format!("order '{o}' is not one of mlas_packed, mlas_m1, mlas_m1_transposed"));
        }
    }
    if let Some(a) = d.activation(m) {
        if !DENSE_ACTIVATIONS.contains(&a) {
            return Err(format!("activation '{a}' is not one of {}", DENSE_ACTIVATIONS.join(", ")));
        }
    }
    Ok(())
}

pub(crate) fn verify_matmul(m: &Module, op: OpId) -> Result<(), String> {
    let (a, b, y) = (shape(m, m.operand(op, 0)), shape(m, m.operand(op, 1)), shape(m, m.result(op, 0)));
    match matmul_shape(&a, &b) {
        Some(s) if s == y => Ok(()),
        Some(s) => Err(format!("result shape {} should be {}", fmt(&y), fmt(&s))),
        None => Err(format!("operand shapes {} and {} do not multiply", fmt(&a), fmt(&b))),
    }
}

pub(crate) fn verify_broadcast(m: &Module, op: OpId) -> Result<(), String> {
    let (a, b, y) = (shape(m, m.operand(op, 0)), shape(m, m.operand(op, 1)), shape(m, m.result(op, 0)));
    match broadcast_shapes(&a, &b) {
        Some(s) if s == y => Ok(()),
        Some(s) => Err(format!("result shape {} should be {}", fmt(&y), fmt(&s))),
        None => Err(format!("operand shapes {} and {} do not broadcast", fmt(&a), fmt(&b))),
    }
}

pub(crate) fn verify_same_shape(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.ty(m.operand(op, 0)), m.ty(m.result(op, 0)));
    if x != y {
        return Err(format!("result type {y} must equal input type {x}"));
    }
    Ok(())
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

pub(crate) fn verify_softmax(m: &Module, op: OpId) -> Result<(), String> {
    verify_same_shape(m, op)?;
    let rank = shape(m, m.operand(op, 0)).len() as i64;
    let axis = crate::Softmax(op).axis(m);
    if !(0..rank).contains(&axis) {
        return Err(format!("axis {axis} is out of range for rank {rank}"));
    }
    Ok(())
}

pub(crate) fn verify_batch_norm(m: &Module, op: OpId) -> Result<(), String> {
    verify_same_shape(m, op)?;
    let x = shape(m, m.operand(op, 0));
    let Some(&c) = x.get(1) else { return Err(format!("input {} has no channel axis 1", fmt(&x))) };
    for i in 1..5 {
        let s = shape(m, m.operand(op, i));
        if s != [c] {
            return Err(format!("operand #{i} must have shape [{c}], got {}", fmt(&s)));
        }
    }
    Ok(())
}

pub(crate) fn verify_flatten(m: &Module, op: OpId) -> Result<(), String> {
    let x = shape(m, m.operand(op, 0));
    let axis = crate::Flatten(op).axis(m);
    if axis < 0 || axis as usize > x.len() {
        return Err(format!("axis {axis} is out of range for rank {}", x.len()));
    }
    let expect = vec![x[..axis as usize].iter().product::<i64>(), x[axis as usize..].iter().product::<i64>()];
    let y = shape(m, m.result(op, 0));
    if y != expect {
        return Err(format!("result shape {} should be {}", fmt(&y), fmt(&expect)));
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

/// The result type of an elementwise op on `a` and `b`, if they broadcast.
pub fn broadcast_type(a: &Type, b: &Type) -> Option<Type> {
    let s = broadcast_shapes(a.shape()?, b.shape()?)?;
    Some(Type::tensor(s, a.element()?.clone()))
}
