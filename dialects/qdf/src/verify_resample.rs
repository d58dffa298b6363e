//! Verifiers of the resampling ops and `qdf.fconv` (`ops_resample.rs`).

use fpgaopt_ir::shape::fmt_shape as fmt;
use fpgaopt_ir::{Attribute, Module, OpId, Type};

use crate::verify::shape;
use crate::verify_spatial::conv_shapes;

/// The largest block size of depth-to-space / space-to-depth.
const MAX_BLOCK: i64 = 1 << 10;

fn same_element(m: &Module, op: OpId) -> Result<(), String> {
    let (x, y) = (m.ty(m.operand(op, 0)), m.ty(m.result(op, 0)));
    if x.element() != y.element() {
        let name = |t: &Type| t.element().map_or("?".into(), Type::to_string);
        return Err(format!("result element type {} should be the input's {}", name(y), name(x)));
    }
    Ok(())
}

fn result_is(m: &Module, op: OpId, expect: &[i64]) -> Result<(), String> {
    let y = shape(m, m.result(op, 0));
    if y != expect {
        return Err(format!("result shape {} should be {}", fmt(&y), fmt(expect)));
    }
    Ok(())
}

/// `[N, H, W, C]`.
fn nhwc(s: &[i64]) -> Result<[i64; 4], String> {
    match *s {
        [n, h, w, c] => Ok([n, h, w, c]),
        _ => Err(format!("input must be channels-last [N, H, W, C], got {}", fmt(s))),
    }
}

fn blocksize(m: &Module, op: OpId) -> Result<i64, String> {
    let b = m.attr(op, "blocksize").and_then(Attribute::as_int).unwrap_or(0);
    if !(1..=MAX_BLOCK).contains(&b) {
        return Err(format!("blocksize must be in 1..={MAX_BLOCK}, got {b}"));
    }
    Ok(b)
}

pub(crate) fn verify_resize(m: &Module, op: OpId) -> Result<(), String> {
    same_element(m, op)?;
    let (x, y) = (shape(m, m.operand(op, 0)), shape(m, m.result(op, 0)));
    if x.len() != y.len() {
        return Err(format!("result rank {} should be the input's {}", y.len(), x.len()));
    }
    let d = m.attr(op, "indices").and_then(Attribute::as_dense).ok_or("missing 'indices'")?;
    let total: i64 = y.iter().sum();
    if d.ty.shape() != Some(&[total][..]) {
        return Err(format!("indices must be 1-D with {total} values (one per output index of each axis), got {}", d.ty));
    }
    let mut at = 0;
    for (a, (&xa, &ya)) in x.iter().zip(&y).enumerate() {
        for o in 0..ya {
            let i = d.get_i64(at);
            if !(0..xa).contains(&i) {
                return Err(format!("source index {i} of output index {o} on axis {a} is outside the input's {xa}"));
            }
            at += 1;
        }
    }
    Ok(())
}

pub(crate) fn verify_depth_to_space(m: &Module, op: OpId) -> Result<(), String> {
    same_element(m, op)?;
    let b = blocksize(m, op)?;
    let mode = m.attr(op, "mode").and_then(Attribute::as_str).unwrap_or("");
    if mode != "DCR" && mode != "CRD" {
        return Err(format!("mode '{mode}' is not DCR or CRD"));
    }
    let [n, h, w, c] = nhwc(&shape(m, m.operand(op, 0)))?;
    if c % (b * b) != 0 {
        return Err(format!("{c} channels are not a multiple of blocksize^2 = {}", b * b));
    }
    result_is(m, op, &[n, h * b, w * b, c / (b * b)])
}

pub(crate) fn verify_space_to_depth(m: &Module, op: OpId) -> Result<(), String> {
    same_element(m, op)?;
    let b = blocksize(m, op)?;
    let [n, h, w, c] = nhwc(&shape(m, m.operand(op, 0)))?;
    if h % b != 0 || w % b != 0 {
        return Err(format!("spatial sizes {h}x{w} are not multiples of blocksize {b}"));
    }
    result_is(m, op, &[n, h / b, w / b, c * b * b])
}

pub(crate) fn verify_fconv(m: &Module, op: OpId) -> Result<(), String> {
    let k_block = m.attr(op, "k_block").and_then(Attribute::as_int).unwrap_or(0);
    if k_block < 1 {
        return Err(format!("k_block must be positive, got {k_block}"));
    }
    conv_shapes(m, op)
}
