//! The float32 ops of `qdf`: the parts of a quantized model that its reference computes in float32
//! and that must stay float32 to stay bit-exact (a float input layer, a float tail after the last
//! quantizer, a float batch norm between an accumulator and a quantizer), and `qdf.fquant`, the
//! quantizer that turns such floats into fixed-point codes exactly as QONNX/ONNX do.
//!
//! Every op here computes in IEEE binary32 with round-to-nearest-even, one rounding per
//! arithmetic operation, in the order stated, never contracted into fused multiply-adds unless the
//! op says so (`qdf.fdense` with the `mlas_packed` order). `semantics::float` implements them.

use fpgaopt_ir::builtin::{BOOL_ATTR, F64_ATTR, I64_ATTR, STRING_ATTR};
use fpgaopt_ir::opdef::{AttrConstraint, Irdl, TypeConstraint};
use fpgaopt_ir::{op, DenseElements, ElementKind, Type};

use crate::ops::FIXED_TENSOR;
use crate::verify_float::*;

/// A ranked tensor of `f32`.
pub static F32_TENSOR: TypeConstraint = TypeConstraint {
    summary: "tensor of f32",
    check: |t| t.as_tensor().is_some() && t.element() == Some(&Type::F32),
    irdl: Irdl::Base("!builtin.tensor"),
};

/// A dense attribute of `f32` elements.
pub static F32_DENSE_ATTR: AttrConstraint = AttrConstraint {
    summary: "dense f32 elements",
    check: |a| matches!(a.as_dense(), Some(d) if d.kind == ElementKind::F32),
    irdl: Irdl::Base("#builtin.dense_int_or_fp_elements"),
};

op! {
    /// A constant f32 tensor.
    pub struct FConstant = "qdf.fconstant" {
        summary: "a constant float32 tensor",
        description: r#"`value` holds the f32 elements in the result's shape. Float constants are the operands of the
float32 ops (batch-norm factors, the constants of a float tail).

```mlir
%c = "qdf.fconstant"() {value = dense<[1.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
```"#,
        operands: [],
        results: [output: F32_TENSOR],
        attributes: [value: F32_DENSE_ATTR => &'a DenseElements],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fconstant),
    }
}

op! {
    /// Float32 sum.
    pub struct FAdd = "qdf.fadd" {
        summary: "float32 sum with numpy broadcasting, one IEEE rounding",
        description: r#"`output = lhs + rhs` in IEEE binary32 (round to nearest, ties to even), elementwise with numpy
broadcasting.

```mlir
%y = "qdf.fadd"(%x, %t) : (tensor<1x64xf32>, tensor<64xf32>) -> tensor<1x64xf32>
```"#,
        operands: [lhs: F32_TENSOR, rhs: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fbinary),
    }
}

op! {
    /// Float32 difference.
    pub struct FSub = "qdf.fsub" {
        summary: "float32 difference with numpy broadcasting, one IEEE rounding",
        description: r#"`output = lhs - rhs` in IEEE binary32, elementwise with numpy broadcasting.

```mlir
%y = "qdf.fsub"(%x, %m) : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
```"#,
        operands: [lhs: F32_TENSOR, rhs: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fbinary),
    }
}

op! {
    /// Float32 product.
    pub struct FMul = "qdf.fmul" {
        summary: "float32 product with numpy broadcasting, one IEEE rounding",
        description: r#"`output = lhs * rhs` in IEEE binary32, elementwise with numpy broadcasting.

```mlir
%y = "qdf.fmul"(%x, %s) : (tensor<1x64xf32>, tensor<64xf32>) -> tensor<1x64xf32>
```"#,
        operands: [lhs: F32_TENSOR, rhs: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fbinary),
    }
}

op! {
    /// Float32 quotient.
    pub struct FDiv = "qdf.fdiv" {
        summary: "float32 quotient with numpy broadcasting, one IEEE rounding",
        description: r#"`output = lhs / rhs` in IEEE binary32 (correctly rounded division), elementwise with numpy
broadcasting.

```mlir
%y = "qdf.fdiv"(%x, %d) : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
```"#,
        operands: [lhs: F32_TENSOR, rhs: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fbinary),
    }
}

op! {
    /// Float32 rectifier.
    pub struct FRelu = "qdf.frelu" {
        summary: "float32 ReLU, output = input > 0 ? input : 0",
        description: r#"Exact: the input itself or `+0.0` (also for `-0.0` and NaN).

```mlir
%y = "qdf.frelu"(%x) : (tensor<1x64xf32>) -> tensor<1x64xf32>
```"#,
        operands: [input: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_funary),
    }
}

op! {
    /// A float32 fully connected layer in a named summation order.
    pub struct FDense = "qdf.fdense" {
        summary: "float32 fully connected layer summed in the order of the reference kernel",
        description: r#"`input` `[..., K]`, `weight` `[K, N]`, `bias` `[N]`, `output` `[..., N]`, all f32. Each output is
the dot product summed in the order `order` names, exactly as the onnxruntime (MLAS, x86-64) kernel
the model's reference runs on, so the result is bit-identical to it:
- `"mlas_packed"`: `acc = fma(x[k], w[k][j], acc)` from `acc = 0` over each block of 256 values of
  k (one rounding per fused multiply-add), the block sums added in order;
- `"mlas_m1"`: products `p_k = x[k] * w[k][j]` (rounded), then per group of 4
  `total = (((p0 + p1) + p2) + p3) + total`, then a group of 2 `(p0 + p1) + total`, then a single
  `p0 + total`, starting from `total = 0` (or the bias with `bias_first`);
- `"mlas_m1_transposed"`: 8 lane sums `l[i] += p_k` for `k = i, i + 8, ...` (a partial last group
  adds `+0`), reduced by `(((l0 + l1) + l2) + l3) + (((l4 + l5) + l6) + l7)` for columns in blocks
  of 4 (`j < N - N % 4`), by `((l2 + l0) + (l6 + l4)) + ((l3 + l1) + (l7 + l5))` for the next 2
  columns when `N % 4 >= 2`, and by `((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))` for the
  last column when N is odd; then `+ bias` when `bias_first`.
Without `bias_first` the bias is added to the finished sum (`(sum) + b[j]`); with it the bias starts
the running total (`mlas_packed`: `(block + b)` for the first block, `mlas_m1`: the initial total).
Inputs of more than one row use `mlas_packed`.

```mlir
%y = "qdf.fdense"(%x, %w, %b) {order = "mlas_m1"} : (tensor<1x16xf32>, tensor<16x64xf32>, tensor<64xf32>) -> tensor<1x64xf32>
```"#,
        operands: [input: F32_TENSOR, weight: F32_TENSOR, bias: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [order: STRING_ATTR => &'a str],
        optional_attributes: [bias_first: BOOL_ATTR => bool],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fdense),
    }
}

op! {
    /// Float32 softmax.
    pub struct FSoftmax = "qdf.fsoftmax" {
        summary: "float32 softmax along one axis in the reference's order",
        description: r#"onnxruntime's CPU Softmax (MLAS) bit for bit. Per slice along `axis`: `m = max_k x_k`;
`e_k = exp(x_k - m)` with MLAS's float32 exponential (range reduction `x = m' ln2 + r`, a degree-6
polynomial in `r` by fused multiply-adds, scaling by `2^m'` in the exponent bits); the sum in
MLAS's AVX2 kernel order: `e_k` joins lane `k % 8` of accumulator `(k / 8) % 2`, the two
accumulators are added lane by lane, then neighbouring lanes pairwise until one remains;
`r = 1 / s`; `y_k = e_k * r`.

```mlir
%y = "qdf.fsoftmax"(%x) {axis = 1 : i64} : (tensor<1x5xf32>) -> tensor<1x5xf32>
```"#,
        operands: [input: F32_TENSOR],
        results: [output: F32_TENSOR],
        attributes: [axis: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fsoftmax),
    }
}

op! {
    /// A quantizer from float32 with QONNX/ONNX semantics.
    pub struct FQuant = "qdf.fquant" {
        summary: "quantize float32 to integer codes exactly as QONNX Quant / ONNX QuantizeLinear do",
        description: r#"Per element, in float32 step by step:
1. `t = input / scale` (IEEE division; skipped without `scale`);
2. `t = t + zero_point` (IEEE addition; QONNX adds the zero point before rounding; skipped without it);
3. with `rounding = "SIGN"`: `r = t >= 0 ? 1 : -1`; otherwise clamp `t = max(t, min)`,
   `t = min(t, max)` (with `max(a, b) = a > b ? a : b` and `min(a, b) = a < b ? a : b`, so NaN gives
   `min`) and round to the integer `r` with `rounding`, a QONNX mode computed as qonnx does in float32:
   `ROUND` half to even, `FLOOR`, `CEIL`, `DOWN` toward zero, `UP` away from zero,
   `HALF_UP` = `sign(t) * floor(f32(|t| + 0.5))`, `HALF_DOWN` = `sign(t) * ceil(f32(|t| - 0.5))`;
4. the result mantissa is `r - zero_point` (the zero point must be integral).
The mantissa is placed on the result type's grid unchanged: a result `fixed<8, 4>` means the codes
stand for `code * 2^-4` (a quantizer with scale `2^-4`). `scale` and `zero_point` are f32 dense
attributes that broadcast to the input (scalar or per channel); `min`/`max` (required unless
`SIGN`) are integral f32 values. The result type must hold every `r - zero_point`.

```mlir
%q = "qdf.fquant"(%x) {max = 127.0, min = -127.0, rounding = "HALF_UP", scale = dense<0.8298504> : tensor<f32>} : (tensor<1x490xf32>) -> tensor<1x490x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
```"#,
        operands: [input: F32_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [rounding: STRING_ATTR => &'a str],
        optional_attributes: [
            scale: F32_DENSE_ATTR => &'a DenseElements,
            zero_point: F32_DENSE_ATTR => &'a DenseElements,
            min: F64_ATTR => f64,
            max: F64_ATTR => f64,
        ],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fquant),
    }
}
