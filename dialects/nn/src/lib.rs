//! The `nn` dialect: framework-neutral neural-network layers on float tensors, with ONNX semantics.
//!
//! Every op here is pure and shape-typed: result shapes are stated in the IR and checked by the
//! verifiers. Quantizers are fake quantization (float32 in and out) with the exact semantics of
//! their source operator ([`quant`]); the dialect knows nothing of fixed-point types or hardware.

pub mod eval;
pub mod infer;
pub mod layout;
mod ops;
pub mod quant;
pub mod resample;
pub mod spatial;
pub mod verify;

pub use resample::{DepthToSpace, Resize, SpaceToDepth};
pub use spatial::{AveragePool, Conv, ConvTranspose, GlobalAveragePool, GlobalMaxPool, MaxPool, Pad, Window};
pub use verify::{broadcast_shapes, broadcast_type, matmul_shape};

pub use ops::*;
pub use layout::{Cast, Concat, Dropout, Identity, Slice, Transpose};
pub use quant::{BipolarQuant, Qdq, Quant, QuantizeLinear, RoundingMode, Trunc};

use fpgaopt_ir::Dialect;

/// The e-graph rule files of the dialect (`rules/*.rules`), by group name, for `nn-eqsat`.
pub const RULES: &[(&str, &str)] = &[
    ("activation", include_str!("../rules/activation.rules")),
    ("cleanup", include_str!("../rules/cleanup.rules")),
    ("fold", include_str!("../rules/fold.rules")),
    ("layout", include_str!("../rules/layout.rules")),
    ("scale", include_str!("../rules/scale.rules")),
    ("spatial", include_str!("../rules/spatial.rules")),
];

/// The dialect definition, registered by tools.
pub static DIALECT: Dialect = Dialect {
    name: "nn",
    summary: "neural-network layers on float tensors with ONNX semantics",
    description: r#"
Values are ranked `f32` tensors. Layer ops follow the ONNX operator of the same meaning; where ONNX has
several spellings (Gemm, MatMul + Add) the importer canonicalises them to one op (`nn.dense`).
Broadcasting follows numpy/ONNX rules. Constants are `nn.constant` with a dense attribute.
Sliding-window ops (`nn.conv`, `nn.conv_transpose`, `nn.pad`, `nn.max_pool`, `nn.average_pool`,
`nn.global_average_pool`, `nn.global_max_pool`) take `[N, C, W]` or `[N, C, H, W]` tensors and
carry every ONNX attribute explicitly (pads in ONNX order: all begin pads, then all end pads).
`nn.resize` (nearest), `nn.depth_to_space` and `nn.space_to_depth` only move elements.
`nn.identity`, `nn.dropout` and same-type `nn.cast` compute nothing; the importer keeps them so
rewrites see the model, and `nn-canonicalize` removes them.
Quantizers (`nn.quant`, `nn.bipolar_quant`, `nn.trunc`, `nn.qdq`, `nn.quantize_linear`) are fake
quantization: float32 in and out, computed step by step exactly as the reference of their source
operator does (qonnx for QONNX, onnxruntime for ONNX), so the reference interpreter is bit-exact.
"#,
    ops: ops::all,
    types: &[],
};
