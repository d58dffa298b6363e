//! The sliding-window and layout ops of `qdf`. qdf is channels-last: a feature map is
//! `[N, W, C]` (1-D) or `[N, H, W, C]` (2-D), the layout streaming hardware reads (one pixel's
//! channels after another). `nn-to-qdf` brings ONNX's NCHW into it with `qdf.transpose`, which
//! `qdf-layout` then absorbs. Windows here never pad: padding is an explicit `qdf.pad` before them,
//! so every window position lies inside its input. See `docs/design/cnn.md`.

use fpgaopt_ir::builtin::{I64_ARRAY_ATTR, I64_ATTR};
use fpgaopt_ir::op;

use crate::ops::{FIXED_TENSOR, FIXED_TYPE_ATTR, INT_DENSE_ATTR, VALUE_TENSOR};
use crate::verify_spatial::*;

op! {
    /// Axis permutation.
    pub struct Transpose = "qdf.transpose" {
        summary: "permute the axes of a tensor, the element type unchanged",
        description: r#"Output axis `i` is input axis `perm[i]`. No value changes; `qdf-layout` absorbs the transposes
`nn-to-qdf` places around channels-last layers, and the HLS lowering folds those left next to an
elementwise layer into its indices.

```mlir
%y = "qdf.transpose"(%x) {perm = [0, 2, 3, 1]} : (tensor<1x3x8x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x8x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: VALUE_TENSOR],
        results: [output: VALUE_TENSOR],
        attributes: [perm: I64_ARRAY_ATTR => Vec<i64>],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_transpose),
    }
}

op! {
    /// Constant padding.
    pub struct Pad = "qdf.pad" {
        summary: "pad with a constant mantissa",
        description: r#"`pads` holds two non-negative values per axis (all begin pads, then all end pads, as ONNX); new
elements are the mantissa `value` of the element type (it must fit; an f32 tensor pads with 0 only).

```mlir
%y = "qdf.pad"(%x) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0 : i64} : (tensor<1x8x8x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x10x10x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: VALUE_TENSOR],
        results: [output: VALUE_TENSOR],
        attributes: [pads: I64_ARRAY_ATTR => Vec<i64>, value: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_pad),
    }
}

op! {
    /// A channels-last convolution with an explicit accumulator.
    pub struct Conv = "qdf.conv" {
        summary: "channels-last 1-D/2-D convolution with groups, output = convert(bias + window . weight)",
        description: r#"`input` `[N, *S, C]`, `weight` `[*K, C / group, M]`, `bias` `[M]`, `output` `[N, *O, M]` with
`O = floor((S - dilation * (K - 1) - 1) / stride) + 1` per spatial axis (no padding: a `qdf.pad`
comes first). Output channel `m` belongs to group `g = m / (M / group)` and reads input channels
`g * C / group + c`. For each output: `acc = convert<acc_type>(bias[m])`, then over the window
positions in row-major order and, inside each, `c = 0 .. C / group - 1`:
`acc = convert<acc_type>(acc + input[n, o * stride + k * dilation, ci] * weight[k, c, m])` (exact
product and sum), finally `output = convert<output>(acc)` — `qdf.dense`'s arithmetic per window.

```mlir
%y = "qdf.conv"(%x, %w, %b) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [1, 1], group = 1 : i64, strides = [1, 1]} : (tensor<1x10x10x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x3x3x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x8x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR, weight: FIXED_TENSOR, bias: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [strides: I64_ARRAY_ATTR => Vec<i64>, dilations: I64_ARRAY_ATTR => Vec<i64>, group: I64_ATTR => i64, acc_type: FIXED_TYPE_ATTR => &'a fpgaopt_ir::Type],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_conv),
    }
}

op! {
    /// Channels-last max pooling.
    pub struct MaxPool = "qdf.max_pool" {
        summary: "maximum of each window per channel, then convert",
        description: r#"`input` `[N, *S, C]` to `[N, *O, C]` with windows `kernel`, `strides`, `dilations` as `qdf.conv`
(no padding: a `qdf.pad` with the type's minimum comes first). `output = convert<output>(max(window))`.

```mlir
%y = "qdf.max_pool"(%x) {dilations = [1, 1], kernel = [2, 2], strides = [2, 2]} : (tensor<1x8x8x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [kernel: I64_ARRAY_ATTR => Vec<i64>, strides: I64_ARRAY_ATTR => Vec<i64>, dilations: I64_ARRAY_ATTR => Vec<i64>],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_max_pool),
    }
}

op! {
    /// Channels-last average pooling.
    pub struct AvgPool = "qdf.avg_pool" {
        summary: "window sum times the reciprocal of its divisor, then convert",
        description: r#"`input` `[N, *S, C]` to `[N, *O, C]`, windows as `qdf.max_pool`. Per output:
`acc = 0`; over the window in row-major order `acc = convert<acc_type>(acc + x)`; then
`output = convert<output>(acc * r)` (exact product) with `r` the reciprocal of the output position's
divisor `d = divisors[*o]` rounded to nearest (ties to even) on `recip_type`'s grid. `divisors`
(`[*O]`) is what ONNX divides by at each position: the window size, or with `count_include_pad =
0` only the positions inside the unpadded input. `recip_type` is unsigned with at least one
integer bit (`r = 1` for `d = 1`).

```mlir
%y = "qdf.avg_pool"(%x) {acc_type = !qdf.fixed<18, 8, true, "TRN", "WRAP">, dilations = [1, 1], divisors = dense<4> : tensor<4x4xi64>, kernel = [2, 2], recip_type = !qdf.fixed<17, 1, false, "TRN", "WRAP">, strides = [2, 2]} : (tensor<1x8x8x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [kernel: I64_ARRAY_ATTR => Vec<i64>, strides: I64_ARRAY_ATTR => Vec<i64>, dilations: I64_ARRAY_ATTR => Vec<i64>, divisors: INT_DENSE_ATTR => &'a fpgaopt_ir::DenseElements, acc_type: FIXED_TYPE_ATTR => &'a fpgaopt_ir::Type, recip_type: FIXED_TYPE_ATTR => &'a fpgaopt_ir::Type],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_avg_pool),
    }
}
