//! Verifiers of the channels-last sliding-window and layout ops (`ops_spatial.rs`).

use fpgaopt_ir::shape::{fmt_shape as fmt, transpose_shape};
use fpgaopt_ir::{Attribute, Module, OpId, Type};

use crate::fixed::{exact_add_type, exact_mul_type, FixedType};
use crate::verify::{elem, exact, shape};

/// The output spatial sizes of windows `kernel` (stride, dilation) over `input` without padding.
pub fn window_dims(input: &[i64], kernel: &[i64], strides: &[i64], dilations: &[i64]) -> Result<Vec<i64>, String> {
    let n = input.len();
    for (name, v) in [("kernel", kernel), ("strides", strides), ("dilations", dilations)] {
        if v.len() != n {
            return Err(format!("{name} has {} values, expected {n} for {n} spatial axes", v.len()));
        }
        if let Some(bad) = v.iter().find(|&&x| !(1..=1 << 20).contains(&x)) {
            return Err(format!("{name} must be in 1..=2^20, got {bad} in {}", fmt(v)));
        }
    }
    (0..n)
        .map(|i| {
            let reach = dilations[i] * (kernel[i] - 1) + 1;
            if input[i] < reach {
                return Err(format!("window of {} (dilation {}) does not fit spatial axis {i} of size {}", kernel[i], dilations[i], input[i]));
            }
            Ok((input[i] - reach) / strides[i] + 1)
        })
        .collect()
}

/// `[N, *S, C]` with one to three spatial axes: the spatial sizes.
fn feature_map(s: &[i64]) -> Result<&[i64], String> {
    if !(3..=5).contains(&s.len()) {
        return Err(format!("input must be channels-last [N, *spatial, C] with 1 to 3 spatial axes, got {}", fmt(s)));
    }
    Ok(&s[1..s.len() - 1])
}

fn ints(m: &Module, op: OpId, name: &str) -> Vec<i64> {
    m.attr(op, name).and_then(Attribute::as_i64_array).unwrap_or_default()
}

fn type_attr(m: &Module, op: OpId, name: &str) -> Result<FixedType, String> {
    m.attr(op, name).and_then(Attribute::as_type).and_then(FixedType::from_type).ok_or(format!("'{name}' must be a !qdf.fixed type"))
}

fn result_is(y: &[i64], expect: &[i64]) -> Result<(), String> {
    if y != expect {
        return Err(format!("result shape {} should be {}", fmt(y), fmt(expect)));
    }
    Ok(())
}

fn same_element(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.ty(m.operand(op, 0)), m.ty(m.result(op, 0)));
    if x.element() != y.element() {
        return Err(format!("result element type {} should be the input's {}", y.element().map_or("?".into(), Type::to_string), x.element().map_or("?".into(), Type::to_string)));
    }
    Ok(())
}

pub(crate) fn verify_transpose(m: &Module, op: OpId) -> Result<(), String> {
    same_element(m, op)?;
    let expect = transpose_shape(&shape(m, m.operand(op, 0)), &ints(m, op, "perm"))?;
    result_is(&shape(m, m.result(op, 0)), &expect)
}

pub(crate) fn verify_pad(m: &Module, op: OpId) -> Result<(), String> {
    same_element(m, op)?;
    let (x, pads) = (shape(m, m.operand(op, 0)), ints(m, op, "pads"));
    let n = x.len();
    if pads.len() != 2 * n || pads.iter().any(|&p| !(0..=1 << 20).contains(&p)) {
        return Err(format!("pads {} must be {} values in 0..=2^20 (begin pads, then end pads)", fmt(&pads), 2 * n));
    }
    let value = m.attr(op, "value").and_then(Attribute::as_int).unwrap_or(0);
    match FixedType::of_tensor(m.ty(m.operand(op, 0))) {
        Some(t) if !(t.min_mantissa()..=t.max_mantissa()).contains(&(value as i128)) => {
            return Err(format!("value {value} is not a mantissa of {}", t.to_type()))
        }
        None if value != 0 => return Err(format!("an f32 tensor pads with 0, got {value}")),
        _ => {}
    }
    let expect: Vec<i64> = (0..n).map(|i| x[i] + pads[i] + pads[n + i]).collect();
    result_is(&shape(m, m.result(op, 0)), &expect)
}

pub(crate) fn verify_conv(m: &Module, op: OpId) -> Result<(), String> {
    conv_shapes(m, op)?;
    let (tx, tw, tb) = (elem(m, m.operand(op, 0))?, elem(m, m.operand(op, 1))?, elem(m, m.operand(op, 2))?);
    elem(m, m.result(op, 0))?;
    let acc = type_attr(m, op, "acc_type")?;
    let prod = exact_mul_type(&tx, &tw);
    exact(&prod, "the product")?;
    exact(&acc, "the accumulator")?;
    exact(&exact_add_type(&acc, &prod), "accumulating a product")?;
    exact(&exact_add_type(&acc, &tb), "aligning the bias with the accumulator")
}

/// The shapes of a channels-last convolution (`qdf.conv`, `qdf.fconv`): input `[N, *S, C]`,
/// weight `[*K, C / group, M]`, bias `[M]`, the windows' result.
pub(crate) fn conv_shapes(m: &Module, op: OpId) -> Result<(), String> {
    let (x, w, b, y) = (shape(m, m.operand(op, 0)), shape(m, m.operand(op, 1)), shape(m, m.operand(op, 2)), shape(m, m.result(op, 0)));
    let sp = feature_map(&x)?;
    let n = sp.len();
    if w.len() != n + 2 {
        return Err(format!("weight must be [*kernel, C / group, M] with {n} kernel axes, got {}", fmt(&w)));
    }
    let (c, cg, mm) = (x[n + 1], w[n], w[n + 1]);
    let group = m.attr(op, "group").and_then(Attribute::as_int).unwrap_or(0);
    if group < 1 || c % group != 0 || mm % group != 0 || cg != c / group {
        return Err(format!("group {group} must divide the {c} input and {mm} output channels, with C / group = {cg} weight channels"));
    }
    if b != [mm] {
        return Err(format!("bias must be [{mm}], got {}", fmt(&b)));
    }
    let dims = window_dims(sp, &w[..n], &ints(m, op, "strides"), &ints(m, op, "dilations"))?;
    let mut expect = vec![x[0]];
    expect.extend(dims);
    expect.push(mm);
    result_is(&y, &expect)
}

/// The window attributes of a pool and its result shape.
fn pool_shape(m: &Module, op: OpId) -> Result<Vec<i64>, String> {
    let x = shape(m, m.operand(op, 0));
    let sp = feature_map(&x)?;
    let dims = window_dims(sp, &ints(m, op, "kernel"), &ints(m, op, "strides"), &ints(m, op, "dilations"))?;
    let mut expect = vec![x[0]];
    expect.extend(&dims);
    expect.push(x[x.len() - 1]);
    result_is(&shape(m, m.result(op, 0)), &expect)?;
    Ok(dims)
}

pub(crate) fn verify_max_pool(m: &Module, op: OpId) -> Result<(), String> {
    pool_shape(m, op).map(|_| ())
}

/// The largest divisor `qdf.avg_pool` accepts: window sizes of real models are far below it.
pub const MAX_DIVISOR: i64 = 1 << 20;

pub(crate) fn verify_avg_pool(m: &Module, op: OpId) -> Result<(), String> {
    let dims = pool_shape(m, op)?;
    let d = m.attr(op, "divisors").and_then(Attribute::as_dense).ok_or("missing 'divisors'")?;
    if d.ty.shape() != Some(&dims[..]) {
        return Err(format!("divisors must have the output's spatial shape {}", fmt(&dims)));
    }
    if (0..d.len()).any(|i| !(1..=MAX_DIVISOR).contains(&d.get_i64(i))) {
        return Err(format!("divisors must be in 1..={MAX_DIVISOR}"));
    }
    let (tx, acc, r) = (elem(m, m.operand(op, 0))?, type_attr(m, op, "acc_type")?, type_attr(m, op, "recip_type")?);
    elem(m, m.result(op, 0))?;
    if r.signed || r.int_bits < 1 {
        return Err(format!("recip_type {} must be unsigned with an integer bit", r.to_type()));
    }
    exact(&acc, "the accumulator")?;
    exact(&exact_add_type(&acc, &tx), "accumulating an element")?;
    exact(&exact_mul_type(&acc, &r), "the scaled sum")
}
