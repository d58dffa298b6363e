//! Op definitions of the `nn` dialect.

use fpgaopt_ir::builtin::{BOOL_ATTR, DENSE_ATTR, F64_ATTR, FLOAT_TENSOR, I64_ATTR, STRING_ATTR};
use fpgaopt_ir::{op, DenseElements, OpDef};

use crate::verify::*;

/// Every op of the dialect.
pub fn all() -> Vec<&'static OpDef> {
    vec![
        Constant::def(),
        Dense::def(),
        MatMul::def(),
        Add::def(),
        Sub::def(),
        Mul::def(),
        Div::def(),
        Relu::def(),
        LeakyRelu::def(),
        Sigmoid::def(),
        Tanh::def(),
        Clip::def(),
        Softmax::def(),
        BatchNorm::def(),
        Flatten::def(),
        Reshape::def(),
        crate::Quant::def(),
        crate::BipolarQuant::def(),
        crate::Trunc::def(),
        crate::Qdq::def(),
        crate::QuantizeLinear::def(),
        crate::Transpose::def(),
        crate::Conv::def(),
        crate::Pad::def(),
        crate::MaxPool::def(),
        crate::AveragePool::def(),
        crate::GlobalAveragePool::def(),
        crate::GlobalMaxPool::def(),
        crate::ConvTranspose::def(),
        crate::Resize::def(),
        crate::DepthToSpace::def(),
        crate::SpaceToDepth::def(),
        crate::Identity::def(),
        crate::Dropout::def(),
        crate::Cast::def(),
        crate::Concat::def(),
        crate::Slice::def(),
    ]
}

op! {
    /// A constant tensor.
    pub struct Constant = "nn.constant" {
        summary: "a constant float tensor",
        description: "Weights, biases and other initializers.\n\n```mlir\n%w = \"nn.constant\"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>\n```",
        operands: [],
        results: [output: FLOAT_TENSOR],
        attributes: [value: DENSE_ATTR => &'a DenseElements],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_constant),
    }
}

op! {
    /// A fully connected layer.
    pub struct Dense = "nn.dense" {
        summary: "fully connected layer, output = input . weight + bias",
        description: "`input` is `[..., K]`, `weight` is `[K, N]` (ONNX MatMul layout), `bias` is `[N]`; `output` is `[..., N]`. ONNX Gemm (any alpha, beta, transA, transB) and MatMul followed by Add import as this op.\n\nIn float32 the products are summed in the order of the onnxruntime kernel the source runs on, named by `order`: `\"mlas_packed\"` (the default: a fused multiply-add chain per block of 256 products, blocks added in order; constant weights), `\"mlas_m1\"` (one row, weight computed at run time, e.g. by a quantizer: groups of 4 products without FMA) or `\"mlas_m1_transposed\"` (the same for Gemm with transB: 8 lane sums and a reduction tree). The bias is added to the finished sum (MatMul + Add), or with `bias_first = true` starts it (Gemm). The order only matters for bit-exactness with the reference; the exact sum is the meaning.\n\nWith `activation = \"relu\"` the layer applies ReLU to its output (an activation fused into the layer by `nn-eqsat`; the same as `nn.relu` after it).\n\n```mlir\n%y = \"nn.dense\"(%x, %w, %b) : (tensor<1x16xf32>, tensor<16x64xf32>, tensor<64xf32>) -> tensor<1x64xf32>\n```",
        operands: [input: FLOAT_TENSOR, weight: FLOAT_TENSOR, bias: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [order: STRING_ATTR => &'a str, bias_first: BOOL_ATTR => bool, activation: STRING_ATTR => &'a str],
        regions: [],
        traits: [Pure],
        verify: Some(verify_dense),
    }
}

op! {
    /// A matrix product of two computed tensors.
    pub struct MatMul = "nn.matmul" {
        summary: "matrix product with numpy semantics",
        description: "ONNX MatMul where neither side is a constant weight (a weight side imports as `nn.dense`).\n\n```mlir\n%y = \"nn.matmul\"(%a, %b) : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>\n```",
        operands: [lhs: FLOAT_TENSOR, rhs: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_matmul),
    }
}

op! {
    /// Elementwise sum with broadcasting.
    pub struct Add = "nn.add" {
        summary: "elementwise sum with numpy broadcasting",
        description: "```mlir\n%z = \"nn.add\"(%x, %y) : (tensor<1x16xf32>, tensor<16xf32>) -> tensor<1x16xf32>\n```",
        operands: [lhs: FLOAT_TENSOR, rhs: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_broadcast),
    }
}

op! {
    /// Elementwise difference with broadcasting.
    pub struct Sub = "nn.sub" {
        summary: "elementwise difference with numpy broadcasting",
        description: "```mlir\n%z = \"nn.sub\"(%x, %y) : (tensor<1x16xf32>, tensor<1x16xf32>) -> tensor<1x16xf32>\n```",
        operands: [lhs: FLOAT_TENSOR, rhs: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_broadcast),
    }
}

op! {
    /// Elementwise product with broadcasting.
    pub struct Mul = "nn.mul" {
        summary: "elementwise product with numpy broadcasting",
        description: "```mlir\n%z = \"nn.mul\"(%x, %s) : (tensor<1x16xf32>, tensor<1xf32>) -> tensor<1x16xf32>\n```",
        operands: [lhs: FLOAT_TENSOR, rhs: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_broadcast),
    }
}

op! {
    /// Elementwise quotient with broadcasting.
    pub struct Div = "nn.div" {
        summary: "elementwise quotient with numpy broadcasting",
        description: "IEEE float32 division, as onnxruntime's Div. ONNX Div by a constant power of two imports as `nn.mul` by its exact reciprocal; any other Div is this op (a reciprocal multiply would round differently).\n\n```mlir\n%z = \"nn.div\"(%x, %d) : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>\n```",
        operands: [lhs: FLOAT_TENSOR, rhs: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_broadcast),
    }
}

op! {
    /// Rectified linear unit.
    pub struct Relu = "nn.relu" {
        summary: "rectified linear unit, max(x, 0)",
        description: "```mlir\n%y = \"nn.relu\"(%x) : (tensor<1x64xf32>) -> tensor<1x64xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_shape),
    }
}

op! {
    /// Leaky rectified linear unit.
    pub struct LeakyRelu = "nn.leaky_relu" {
        summary: "leaky ReLU, x if x >= 0 else alpha * x",
        description: "```mlir\n%y = \"nn.leaky_relu\"(%x) {alpha = 1.0e-1} : (tensor<1x64xf32>) -> tensor<1x64xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [alpha: F64_ATTR => f64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_shape),
    }
}

op! {
    /// Logistic sigmoid.
    pub struct Sigmoid = "nn.sigmoid" {
        summary: "logistic sigmoid, 1 / (1 + exp(-x))",
        description: "```mlir\n%y = \"nn.sigmoid\"(%x) : (tensor<1x8xf32>) -> tensor<1x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_shape),
    }
}

op! {
    /// Hyperbolic tangent.
    pub struct Tanh = "nn.tanh" {
        summary: "hyperbolic tangent",
        description: "```mlir\n%y = \"nn.tanh\"(%x) : (tensor<1x8xf32>) -> tensor<1x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_shape),
    }
}

op! {
    /// Clamp to a range.
    pub struct Clip = "nn.clip" {
        summary: "clamp to [min, max]; a missing bound is unbounded",
        description: "ONNX Clip; the bounds must be constants at import.\n\n```mlir\n%y = \"nn.clip\"(%x) {max = 1.0, min = -1.0} : (tensor<1x8xf32>) -> tensor<1x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [min: F64_ATTR => f64, max: F64_ATTR => f64],
        regions: [],
        traits: [Pure],
        verify: Some(verify_clip),
    }
}

op! {
    /// Softmax along an axis.
    pub struct Softmax = "nn.softmax" {
        summary: "softmax along one axis (opset 13 semantics)",
        description: "`axis` is non-negative after import (ONNX negative axes are normalised).\n\n```mlir\n%y = \"nn.softmax\"(%x) {axis = 1} : (tensor<1x5xf32>) -> tensor<1x5xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [axis: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_softmax),
    }
}

op! {
    /// Inference-mode batch normalization over axis 1.
    pub struct BatchNorm = "nn.batch_norm" {
        summary: "inference batch normalization over the channel axis 1",
        description: "output = (input - mean) / sqrt(var + epsilon) * scale + bias, with the per-channel operands of shape `[C]` broadcast along axis 1.\n\n```mlir\n%y = \"nn.batch_norm\"(%x, %s, %b, %m, %v) {epsilon = 1.0e-3} : (tensor<1x64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64xf32>\n```",
        operands: [input: FLOAT_TENSOR, scale: FLOAT_TENSOR, bias: FLOAT_TENSOR, mean: FLOAT_TENSOR, var: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [epsilon: F64_ATTR => f64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_batch_norm),
    }
}

op! {
    /// Flatten to two dimensions.
    pub struct Flatten = "nn.flatten" {
        summary: "flatten to 2-D around an axis (ONNX Flatten)",
        description: "Dimensions before `axis` multiply into the first output dimension, the rest into the second.\n\n```mlir\n%y = \"nn.flatten\"(%x) {axis = 1} : (tensor<1x4x4xf32>) -> tensor<1x16xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [axis: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_flatten),
    }
}

op! {
    /// Reinterpret the shape.
    pub struct Reshape = "nn.reshape" {
        summary: "same elements in row-major order, new shape given by the result type",
        description: "```mlir\n%y = \"nn.reshape\"(%x) : (tensor<1x16xf32>) -> tensor<1x4x4xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_reshape),
    }
}
