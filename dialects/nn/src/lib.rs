//! The `nn` dialect: framework-neutral neural-network layers on float tensors, with ONNX semantics.
//!
//! Every op here is pure and shape-typed: result shapes are stated in the IR and checked by the
//! verifiers. The dialect knows nothing of quantization or hardware.

pub mod eval;
mod ops;
pub mod verify;

pub use verify::{broadcast_shapes, broadcast_type, matmul_shape};

pub use ops::*;

use fpgaopt_ir::Dialect;

/// The dialect definition, registered by tools.
pub static DIALECT: Dialect = Dialect {
    name: "nn",
    summary: "neural-network layers on float tensors with ONNX semantics",
    description: r#"
Values are ranked `f32` tensors. Layer ops follow the ONNX operator of the same meaning; where ONNX has
several spellings (Gemm, MatMul + Add) the importer canonicalises them to one op (`nn.dense`).
Broadcasting follows numpy/ONNX rules. Constants are `nn.constant` with a dense attribute.
"#,
    ops: ops::all,
    types: &[],
};
