//! The `qdf` dialect ("quantized dataflow"): the layers of `nn` on exact fixed-point values.
//!
//! Values are tensors of `!qdf.fixed<W, I, signed, "Q", "O">`, the `ap_fixed` family. Every op has
//! exact integer semantics on mantissas ([`semantics`]), which is the specification the HLS lowering
//! and C++ emitter match bit for bit. The dialect knows nothing of `nn` or of hardware.

pub mod fixed;
pub mod interp;
mod ops;
mod ops_float;
mod ops_requant;
mod ops_resample;
mod ops_spatial;
pub mod semantics;
pub mod verify;
mod verify_float;
mod verify_resample;
pub mod verify_spatial;

pub use fixed::{FixedType, Overflow, Rounding};
pub use ops::*;
pub use ops_float::*;
pub use ops_requant::*;
pub use ops_resample::*;
pub use ops_spatial::*;
pub use verify::{broadcast_shapes, matmul_shape};

use fpgaopt_ir::builtin::{BOOL_ATTR, I64_ATTR, STRING_ATTR};
use fpgaopt_ir::{Dialect, ParamDef, TypeDef};

/// Discardable attribute: a proven interval `[lo, hi]` of an op's result mantissas (`qdf-narrow`).
pub const RANGE_ATTR: &str = "qdf.range";
/// Discardable attribute: the layer's reuse factor (cycles per output) for the HLS lowering.
pub const REUSE_ATTR: &str = "qdf.reuse";
/// Discardable attribute: a proven interval `[lo, hi]` of a dense/matmul accumulator's mantissas.
pub const ACC_RANGE_ATTR: &str = "qdf.acc_range";

/// `!qdf.fixed<W, I, signed, "Q", "O">`.
pub static FIXED: TypeDef = TypeDef {
    dialect: "qdf",
    name: "fixed",
    summary: "a fixed-point number, ap_fixed<W, I, Q, O> (signed) or ap_ufixed<W, I, Q, O>",
    description: r#"The value is `mantissa * 2^-(W-I)` with the mantissa a `width`-bit two's complement (`signed = true`)
or unsigned integer. `int_bits` may be negative or exceed `width`. `rounding` (TRN, TRN_ZERO, RND,
RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV) and `overflow` (WRAP, SAT, SAT_ZERO, SAT_SYM) are the Xilinx
modes without `AP_`; they apply whenever a value is converted into this type: first rounding of the
exact value to the grid, then overflow handling of the rounded integer. Width is 1..=1024.

```mlir
tensor<1x16x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
    params: &[
        ParamDef { name: "width", constraint: &I64_ATTR },
        ParamDef { name: "int_bits", constraint: &I64_ATTR },
        ParamDef { name: "signed", constraint: &BOOL_ATTR },
        ParamDef { name: "rounding", constraint: &STRING_ATTR },
        ParamDef { name: "overflow", constraint: &STRING_ATTR },
    ],
    verify: Some(|p| FixedType::from_params(p).map(|_| ())),
};

/// The dialect definition, registered by tools.
pub static DIALECT: Dialect = Dialect {
    name: "qdf",
    summary: "quantized dataflow: neural-network layers on exact fixed-point values",
    description: r#"
Values are ranked tensors of `!qdf.fixed`. Every op computes its result exactly from the exact values of
its operands and then converts it once into the result element type: rounding with the result type's
rounding mode, then its overflow mode (`convert<T>`, as `ap_fixed` assignment does). Ops that sum many
terms (`qdf.dense`, `qdf.matmul`, `qdf.softmax`) carry their accumulator type explicitly and convert into
it after every step, like `acc += x * w` in C++. Constants and tables store integer mantissas.
Sigmoid and tanh are `qdf.table` (piecewise linear, exact integer interpolation); softmax uses an exp
table and an exact truncating division. Quantized models add float32 ops (`qdf.fadd` ... `qdf.fdense`,
IEEE binary32 in the reference's order, for the parts their reference computes in float), `qdf.fquant`
(QONNX/ONNX quantizers from float32), `qdf.threshold` and `qdf.requant` (integer requantization).
`qdf-narrow` records the bounds it proves as discardable attributes: `qdf.range = [lo, hi]` (the
result's mantissas) and `qdf.acc_range = [lo, hi]` (a dense/matmul accumulator's mantissas). `nn-to-qdf` records a layer's configured
reuse factor as `qdf.reuse = N`.
See `docs/design/qdf.md`, `docs/design/quantization.md` and `docs/design/precision-propagation.md`.
"#,
    ops: ops::all,
    types: &[&FIXED],
};
