//! Requantization ops of `qdf`: the integer steps between an accumulator and the next layer's codes.
//!
//! - `qdf.threshold`: a monotone step function by per-channel thresholds (FINN's MultiThreshold). Any
//!   monotone chain of float ops ending in a quantizer becomes one, exactly: the thresholds are
//!   computed by evaluating the chain itself.
//! - `qdf.requant`: `round(x * M / 2^shift)` clamped, the integer requantization of ONNX
//!   QOperator/QDQ models with non-power-of-two scales.

use fpgaopt_ir::builtin::I64_ATTR;
use fpgaopt_ir::{op, Attribute, DenseElements, Module, OpId};

use crate::ops::{FIXED_TENSOR, INT_DENSE_ATTR};
use crate::verify_float::{verify_requant, verify_threshold};

op! {
    /// A per-channel step function given by thresholds.
    pub struct Threshold = "qdf.threshold" {
        summary: "monotone step function by per-channel thresholds: base + step * #{x >= T}",
        description: r#"`thresholds` is `[C, L]` (mantissas on the input's grid, ascending per row; values outside the
input's range are allowed), `base` and `step` are `[C]` (mantissas of the result type). The channel
of an element is its index along `axis` (default 1: NCHW; the last axis channels-last; C = 1: one
row for all). With `count` the number of
thresholds `T[c][l] <= x` (exact comparison), the result mantissa is `base[c] + step[c] * count`;
it must fit the result type for every count in `0..=L`. A negative step gives a decreasing function.

```mlir
%y = "qdf.threshold"(%acc) {base = dense<-1> : tensor<1xi8>, step = dense<2> : tensor<1xi8>, thresholds = dense<[[3], [-2]]> : tensor<2x1xi16>} : (tensor<1x2x!qdf.fixed<12, 12, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [
            thresholds: INT_DENSE_ATTR => &'a DenseElements,
            base: INT_DENSE_ATTR => &'a DenseElements,
            step: INT_DENSE_ATTR => &'a DenseElements,
        ],
        optional_attributes: [axis: I64_ATTR => i64],
        regions: [],
        traits: [Pure],
        verify: Some(verify_threshold),
    }
}

op! {
    /// Integer requantization by a multiplier and a shift.
    pub struct Requant = "qdf.requant" {
        summary: "requantize: y = clamp(round(x * multiplier[c] / 2^shift), min, max)",
        description: r#"With `x` the input mantissa and `c` its channel (its index along `axis`, default 1;
`multiplier` is `[C]` or `[1]`), the
exact product `p = x * multiplier[c]` stands for the value `p * 2^-(F_x + shift)`; it is rounded
onto the result grid with the result type's rounding mode, clamped to the mantissas `[min, max]`
(each optional), then the result type's overflow mode applies. An ONNX requantization
`clamp(round_half_even(v / s_y) + z_y, qmin, qmax)` is this op with a `RND_CONV` result of integer
codes centred on the zero point (`min = qmin - z_y`, `max = qmax - z_y`): the zero point lives in
the clamp bounds, and the next layer multiplies the centred codes directly.

```mlir
%q = "qdf.requant"(%acc) {max = 127 : i64, min = -128 : i64, multiplier = dense<[1518500250]> : tensor<1xi64>, shift = 40 : i64} : (tensor<1x24x!qdf.fixed<20, 20, true, "TRN", "WRAP">>) -> tensor<1x24x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [multiplier: INT_DENSE_ATTR => &'a DenseElements, shift: I64_ATTR => i64],
        optional_attributes: [min: I64_ATTR => i64, max: I64_ATTR => i64, axis: I64_ATTR => i64],
        regions: [],
        traits: [Pure],
        verify: Some(verify_requant),
    }
}

/// The channel axis of a `qdf.threshold` or `qdf.requant` (its `axis` attribute, default 1).
pub fn channel_axis(m: &Module, op: OpId) -> usize {
    m.attr(op, "axis").and_then(Attribute::as_int).map_or(1, |a| a.max(0) as usize)
}
