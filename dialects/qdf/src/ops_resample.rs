//! Resampling ops of `qdf` (nearest resize, depth-to-space, space-to-depth: data movement on fixed
//! or f32 tensors) and `qdf.fconv`, the float32 convolution in the reference kernel's order.
//! Feature maps are channels-last like the window ops (`ops_spatial.rs`); `qdf.resize` works on
//! any axes. See `docs/design/cnn.md`.

use fpgaopt_ir::builtin::{I64_ARRAY_ATTR, I64_ATTR, STRING_ATTR};
use fpgaopt_ir::op;

use crate::ops::{INT_DENSE_ATTR, VALUE_TENSOR};
use crate::ops_float::F32_TENSOR;
use crate::verify_resample::*;

op! {
    /// Nearest-neighbour resize by per-axis source indices.
    pub struct Resize = "qdf.resize" {
        summary: "copy each output element from the input element its per-axis source indices name",
        description: r#"`indices` holds, for each axis `a` in order, one source index per output index:
`output[o_0, ..., o_r] = input[src_0[o_0], ..., src_r[o_r]]` with `src_a` the `a`-th run of
`indices` (its length is the output's size on that axis, every index inside the input). Any
separable nearest-neighbour resize is one: ONNX Resize in nearest mode with every coordinate
transformation and rounding mode (`nn-to-qdf` computes the maps with onnxruntime's arithmetic).
No value changes; the element type (fixed or f32) is kept.

```mlir
%y = "qdf.resize"(%x) {indices = dense<[0, 0, 0, 1, 1, 0, 0, 1, 1, 0]> : tensor<10xi64>} : (tensor<1x2x2x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>) -> tensor<1x4x4x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>
```"#,
        operands: [input: VALUE_TENSOR],
        results: [output: VALUE_TENSOR],
        attributes: [indices: INT_DENSE_ATTR => &'a fpgaopt_ir::DenseElements],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_resize),
    }
}

op! {
    /// Channels-last depth-to-space (pixel shuffle).
    pub struct DepthToSpace = "qdf.depth_to_space" {
        summary: "move blocks of channels into blocksize x blocksize pixel blocks",
        description: r#"`input` `[N, H, W, C * b * b]` to `output` `[N, H * b, W * b, C]` with `b = blocksize`:
`output[n, h * b + i, w * b + j, c] = input[n, h, w, s]` with `s = (i * b + j) * C + c` for
`mode = "DCR"` and `s = c * b * b + i * b + j` for `"CRD"` (ONNX DepthToSpace's two channel orders,
PyTorch's PixelShuffle is CRD). No value changes; fixed or f32 elements.

```mlir
%y = "qdf.depth_to_space"(%x) {blocksize = 2 : i64, mode = "CRD"} : (tensor<1x4x4x12xf32>) -> tensor<1x8x8x3xf32>
```"#,
        operands: [input: VALUE_TENSOR],
        results: [output: VALUE_TENSOR],
        attributes: [blocksize: I64_ATTR => i64, mode: STRING_ATTR => &'a str],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_depth_to_space),
    }
}

op! {
    /// Channels-last space-to-depth.
    pub struct SpaceToDepth = "qdf.space_to_depth" {
        summary: "move blocksize x blocksize pixel blocks into channels",
        description: r#"`input` `[N, H, W, C]` to `output` `[N, H / b, W / b, C * b * b]` with `b = blocksize` (dividing
H and W): `output[n, h, w, (i * b + j) * C + c] = input[n, h * b + i, w * b + j, c]`, ONNX
SpaceToDepth. No value changes; fixed or f32 elements.

```mlir
%y = "qdf.space_to_depth"(%x) {blocksize = 2 : i64} : (tensor<1x8x8x3xf32>) -> tensor<1x4x4x12xf32>
```"#,
        operands: [input: VALUE_TENSOR],
        results: [output: VALUE_TENSOR],
        attributes: [blocksize: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_space_to_depth),
    }
}

op! {
    /// A float32 channels-last convolution in MLAS's summation order.
    pub struct FConv = "qdf.fconv" {
        summary: "float32 channels-last convolution summed as onnxruntime's MLAS convolution GEMM",
        description: r#"`input` `[N, *S, C]`, `weight` `[*K, C / group, M]`, `bias` `[M]`, `output` `[N, *O, M]`, all f32,
windows as `qdf.conv` (no padding: a `qdf.pad` with 0 comes first). Each output `(n, o, m)` is
the dot product of its window with the filter over the `T = C / group * prod(K)` terms in ONNX's
im2col order `t = (c, k_0, ..., k_r)` row-major (channel outermost), summed as MLAS's GEMM does:
the terms are cut into blocks of `k_block`; each block is a fused multiply-add chain
`acc = fma(x_t, w_t, acc)` from `acc = +0`; the block sums are added in order
(`total = block + total`, the first block being the total); then `output = total + bias[m]`.
Every step is one IEEE binary32 rounding (round to nearest even). `nn-to-qdf` takes `k_block`
from the split of the reference's GEMM (`fpgaopt_nn::eval::mlas_conv`), so the result is
bit-identical to onnxruntime's Conv.

```mlir
%y = "qdf.fconv"(%x, %w, %b) {dilations = [1, 1], group = 1 : i64, k_block = 128 : i64, strides = [1, 1]} : (tensor<1x10x10x64xf32>, tensor<3x3x64x32xf32>, tensor<32xf32>) -> tensor<1x8x8x32xf32>
```"#,
        operands: [input: F32_TENSOR, weight: F32_TENSOR, bias: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [strides: I64_ARRAY_ATTR => Vec<i64>, dilations: I64_ARRAY_ATTR => Vec<i64>, group: I64_ATTR => i64, k_block: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fconv),
    }
}
