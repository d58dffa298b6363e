//! The data-movement ops of the `nn` dialect that are not reshapes: transposition, concatenation
//! and slicing along one axis, and the ops that compute nothing in inference (`nn.identity`, `nn.dropout`, and `nn.cast` to the same type). The
//! importer keeps the latter as ops so rewrites see the model's structure; `nn-canonicalize`
//! removes them.

use fpgaopt_ir::builtin::{FLOAT_TENSOR, I64_ARRAY_ATTR, I64_ATTR, TYPE_ATTR};
use fpgaopt_ir::shape::fmt_shape as fmt;
use fpgaopt_ir::{op, Module, OpId, Type};
pub use fpgaopt_ir::shape::{concat_shape, norm_axis, slice_shape, transpose_shape};

pub(crate) fn verify_transpose(m: &Module, op: OpId) -> Result<(), String> {
    let t = Transpose(op);
    let (x, y) = (m.ty(t.input(m)), m.ty(t.output(m)));
    let expect = transpose_shape(x.shape().unwrap_or(&[]), &t.perm(m))?;
    let ys = y.shape().unwrap_or(&[]);
    if ys != expect || x.element() != y.element() {
        return Err(format!("result {y} should have shape {} and the input's element type", fmt(&expect)));
    }
    Ok(())
}

/// The float types `nn.cast` converts to.
pub const CAST_TYPES: [Type; 2] = [Type::F32, Type::F64];

pub(crate) fn verify_cast(m: &Module, op: OpId) -> Result<(), String> {
    let c = Cast(op);
    let (x, y, to) = (m.ty(c.input(m)), m.ty(c.output(m)), c.to(m));
    if !CAST_TYPES.contains(to) {
        return Err(format!("cast to {to} is not supported (f32 or f64)"));
    }
    if x.shape() != y.shape() || y.element() != Some(to) {
        return Err(format!("result type {y} must be the input's shape with element type {to}"));
    }
    Ok(())
}

op! {
    /// Axis permutation.
    pub struct Transpose = "nn.transpose" {
        summary: "permute the axes of a tensor (ONNX Transpose)",
        description: "Output axis `i` is input axis `perm[i]`. The importer folds transposes of constants and turns those that move only size-1 axes into `nn.reshape`.\n\n```mlir\n%y = \"nn.transpose\"(%x) {perm = [0, 2, 3, 1]} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [perm: I64_ARRAY_ATTR => Vec<i64>],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_transpose),
    }
}

op! {
    /// The input unchanged.
    pub struct Identity = "nn.identity" {
        summary: "the input unchanged (ONNX Identity)",
        description: "`nn-canonicalize` removes it.\n\n```mlir\n%y = \"nn.identity\"(%x) : (tensor<1x8xf32>) -> tensor<1x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(crate::verify::verify_same_shape),
    }
}

op! {
    /// Inference dropout.
    pub struct Dropout = "nn.dropout" {
        summary: "dropout at inference: the input unchanged (ONNX Dropout)",
        description: "Only the data output in inference mode; a model reading the mask is rejected at import. `nn-canonicalize` removes it.\n\n```mlir\n%y = \"nn.dropout\"(%x) : (tensor<1x8xf32>) -> tensor<1x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(crate::verify::verify_same_shape),
    }
}

op! {
    /// Float-to-float conversion.
    pub struct Cast = "nn.cast" {
        summary: "convert to another float type (ONNX Cast between float types)",
        description: "The result has the input's shape and element type `to` (`f32` or `f64`); values are rounded to `to` (both casts are exact from f32, so this op computes nothing). ONNX Cast to FLOAT of a computed tensor imports as this op with `to = f32`, which `nn-canonicalize` removes.\n\n```mlir\n%y = \"nn.cast\"(%x) {to = f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [to: TYPE_ATTR => &'a Type],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_cast),
    }
}

pub(crate) fn verify_concat(m: &Module, op: OpId) -> Result<(), String> {
    let c = Concat(op);
    let shapes: Vec<&[i64]> = c.inputs(m).iter().map(|&v| m.ty(v).shape().unwrap_or(&[])).collect();
    let expect = concat_shape(&shapes, c.axis(m))?;
    let y = m.ty(c.output(m));
    if y.shape() != Some(&expect[..]) {
        return Err(format!("result {y} should have shape {}", fmt(&expect)));
    }
    Ok(())
}

pub(crate) fn verify_slice(m: &Module, op: OpId) -> Result<(), String> {
    let s = Slice(op);
    let x = m.ty(s.input(m));
    let expect = slice_shape(x.shape().unwrap_or(&[]), s.axis(m), s.start(m), s.size(m))?;
    let y = m.ty(s.output(m));
    if y.shape() != Some(&expect[..]) || x.element() != y.element() {
        return Err(format!("result {y} should have shape {} and the input's element type", fmt(&expect)));
    }
    Ok(())
}

op! {
    /// Concatenation along one axis.
    pub struct Concat = "nn.concat" {
        summary: "concatenate tensors along one axis (ONNX Concat)",
        description: "The inputs agree on every axis but `axis` (negative counts from the end); the result holds them one after the other along it. ONNX Concat of computed tensors imports as this op (of constants it folds). `nn-eqsat`'s parallel-layer merge reads the merged layer's results back with `nn.slice`.\n\n```mlir\n%y = \"nn.concat\"(%a, %b) {axis = 1} : (tensor<1x4xf32>, tensor<1x6xf32>) -> tensor<1x10xf32>\n```",
        operands: [],
        variadic_operands: inputs: FLOAT_TENSOR,
        results: [output: FLOAT_TENSOR],
        attributes: [axis: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_concat),
    }
}

op! {
    /// A contiguous slice along one axis.
    pub struct Slice = "nn.slice" {
        summary: "a contiguous slice along one axis",
        description: "Elements `start .. start + size` of axis `axis` (negative counts from the end), every other axis whole. `nn-eqsat` makes it to read two layers' results back from one merged layer; ONNX Slice and Split with constant starts are meant to import to it later.\n\n```mlir\n%y = \"nn.slice\"(%x) {axis = -1, start = 4, size = 6} : (tensor<1x10xf32>) -> tensor<1x6xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [axis: I64_ATTR => i64, start: I64_ATTR => i64, size: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_slice),
    }
}
