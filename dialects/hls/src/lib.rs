//! The `hls` dialect: what Vitis HLS C++ is made of.
//!
//! Values are C scalars (`!hls.fixed` = `ap_fixed`, `si`/`ui` integers = `ap_int`/`ap_uint`, `i1`, `f32`,
//! `index`), C arrays (`!hls.array`) and FIFOs between dataflow processes (`!hls.stream`). Structure comes from upstream ops: `func.func` is an HLS
//! function, `scf.for` a loop, `func.call` a call, `arith.constant` an index literal; directives ride
//! on them as `hls.*` attributes (see [`directives`]). The dialect itself has no region ops.
//!
//! Invariants the emitter relies on (checked by the op verifiers and [`verify_directives`]):
//! - arithmetic (`add`, `sub`, `mul`) is exact; only `cast` rounds or overflows, with C++ assignment semantics;
//! - loads and stores use exactly one index per dimension and the element type;
//! - roms are never stored to; exactly one function is `hls.top`, and its arguments are arrays.

mod ops;
pub mod directives;
pub mod types;
mod verify;

pub use directives::{top_function, verify_directives, Partition, PartitionMode};
pub use ops::*;
pub use types::{ArrayType, Fixed, Scalar, StreamType};

use fpgaopt_ir::Dialect;

/// The dialect definition, registered by tools.
pub static DIALECT: Dialect = Dialect {
    name: "hls",
    summary: "functions, arrays, loops and ap_fixed arithmetic: the shape of Vitis HLS C++",
    description: r#"
One op per C++ construct; the emitter prints each as one statement or expression. Functions are `func.func`
(one per layer plus the top), loops are `scf.for` with `hls.pipeline_ii` / `hls.unroll` attributes, calls are
`func.call`. Arithmetic is exact and only `hls.cast` rounds or saturates, exactly like assignment in C++ with
`ap_fixed`. Design notes: `docs/design/hls.md`.
"#,
    ops: ops::all,
    types: &[&types::FIXED_TYPE, &types::ARRAY_TYPE, &types::STREAM_TYPE],
};
