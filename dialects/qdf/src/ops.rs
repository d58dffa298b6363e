//! Op definitions of the `qdf` dialect. Each description states the op's exact integer semantics;
//! `semantics.rs` implements them and is the reference the HLS lowering must match bit for bit.

use fpgaopt_ir::builtin::{FLOAT_TENSOR, I64_ATTR, STRING_ATTR};
use fpgaopt_ir::opdef::{AttrConstraint, Irdl, TypeConstraint};
use fpgaopt_ir::{op, DenseElements, ElementKind, OpDef, Type};

use crate::fixed::FixedType;
use crate::verify::*;

/// A ranked tensor of `!qdf.fixed`.
pub static FIXED_TENSOR: TypeConstraint = TypeConstraint {
    summary: "tensor of !qdf.fixed",
    check: |t| FixedType::of_tensor(t).is_some(),
    irdl: Irdl::Base("!builtin.tensor"),
};

/// A ranked tensor of `!qdf.fixed` or `f32` (ops that move data without computing on it).
pub static VALUE_TENSOR: TypeConstraint = TypeConstraint {
    summary: "tensor of !qdf.fixed or f32",
    check: |t| FixedType::of_tensor(t).is_some() || (t.as_tensor().is_some() && t.element() == Some(&Type::F32)),
    irdl: Irdl::Base("!builtin.tensor"),
};

/// A type attribute holding a `!qdf.fixed` type.
pub static FIXED_TYPE_ATTR: AttrConstraint = AttrConstraint {
    summary: "!qdf.fixed type",
    check: |a| a.as_type().and_then(FixedType::from_type).is_some(),
    irdl: Irdl::Base("#builtin.type"),
};

/// A dense attribute of integers (i8/i16/i32/i64): mantissas.
pub static INT_DENSE_ATTR: AttrConstraint = AttrConstraint {
    summary: "dense integer elements",
    check: |a| matches!(a.as_dense(), Some(d) if matches!(d.kind, ElementKind::Int(_))),
    irdl: Irdl::Base("#builtin.dense_int_or_fp_elements"),
};

/// Every op of the dialect.
pub fn all() -> Vec<&'static OpDef> {
    vec![
        Constant::def(),
        Quantize::def(),
        Dequantize::def(),
        Cast::def(),
        Dense::def(),
        MatMul::def(),
        Add::def(),
        Sub::def(),
        Mul::def(),
        Relu::def(),
        LeakyRelu::def(),
        Clip::def(),
        Table::def(),
        Softmax::def(),
        Reshape::def(),
        Slice::def(),
        Concat::def(),
        crate::Transpose::def(),
        crate::Pad::def(),
        crate::Conv::def(),
        crate::MaxPool::def(),
        crate::AvgPool::def(),
        crate::Resize::def(),
        crate::DepthToSpace::def(),
        crate::SpaceToDepth::def(),
        crate::FConv::def(),
        crate::FConstant::def(),
        crate::FAdd::def(),
        crate::FSub::def(),
        crate::FMul::def(),
        crate::FDiv::def(),
        crate::FRelu::def(),
        crate::FDense::def(),
        crate::FSoftmax::def(),
        crate::FQuant::def(),
        crate::Threshold::def(),
        crate::Requant::def(),
    ]
}

op! {
    /// A constant tensor of fixed-point values, stored as integer mantissas.
    pub struct Constant = "qdf.constant" {
        summary: "a constant fixed-point tensor given by its integer mantissas",
        description: r#"`value` holds the mantissas as a dense integer tensor (`i8`/`i16`/`i32`/`i64`) of the result's
shape: element `i` of the result is `value[i] * 2^-(W-I)` of the result element type. Real MLIR's dense
attributes cannot hold dialect element types, hence the integer storage. Every mantissa must fit the
result type's range.

```mlir
%w = "qdf.constant"() {value = dense<[[3, -2], [1, 0]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>
```"#,
        operands: [],
        results: [output: FIXED_TENSOR],
        attributes: [value: INT_DENSE_ATTR => &'a DenseElements],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_constant),
    }
}

op! {
    /// Float to fixed: the model input.
    pub struct Quantize = "qdf.quantize" {
        summary: "quantize a float tensor into fixed point",
        description: r#"Each element is converted directly from the exact binary value of the float into the result
type, rounding with the result type's rounding mode and then applying its overflow mode, exactly like
assigning the float (via `double`) to an `ap_fixed`. There is no intermediate truncation. NaN gives 0.

```mlir
%q = "qdf.quantize"(%x) : (tensor<1x64xf32>) -> tensor<1x64x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FLOAT_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_quantize),
    }
}

op! {
    /// Fixed to float: the model output.
    pub struct Dequantize = "qdf.dequantize" {
        summary: "convert fixed point to f32",
        description: r#"Each element becomes the f32 nearest to its exact value, ties to even (`ap_fixed::to_float`);
exact whenever the mantissa has at most 24 significant bits.

```mlir
%y = "qdf.dequantize"(%q) : (tensor<1x10x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x10xf32>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_dequantize),
    }
}

op! {
    /// Fixed to fixed conversion.
    pub struct Cast = "qdf.cast" {
        summary: "convert between fixed-point types",
        description: r#"`output = convert(input)`: round the exact value to the result grid with the result type's
rounding mode, then apply its overflow mode (`ap_fixed` assignment).

```mlir
%y = "qdf.cast"(%x) : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 3, true, "RND", "SAT">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_shape),
    }
}

op! {
    /// A fully connected layer with an explicit accumulator.
    pub struct Dense = "qdf.dense" {
        summary: "fully connected layer, output = convert(bias + input . weight)",
        description: r#"`input` is `[..., K]`, `weight` `[K, N]`, `bias` `[N]`, `output` `[..., N]`. For each row and column j:
`acc = convert<acc_type>(bias[j])`; then for k = 0, 1, ..., K-1 in order:
`acc = convert<acc_type>(acc + input[k] * weight[k][j])`, where the product and the sum are exact;
finally `output[j] = convert<output>(acc)`. `convert<T>` rounds with T's rounding mode then applies T's
overflow mode. This is what `acc_t acc = b; acc += x * w; y = acc;` does with `ap_fixed`. `nn-to-qdf`
picks `acc_type` wide enough that every step is exact.

```mlir
%y = "qdf.dense"(%x, %w, %b) {acc_type = !qdf.fixed<24, 9, true, "TRN", "WRAP">} : (tensor<1x16x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<16x8x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR, weight: FIXED_TENSOR, bias: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [acc_type: FIXED_TYPE_ATTR => &'a Type],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_dense),
    }
}

op! {
    /// A matrix product of two computed tensors.
    pub struct MatMul = "qdf.matmul" {
        summary: "matrix product with numpy semantics and an explicit accumulator",
        description: r#"Shapes as numpy `matmul` (1-D operands promoted then squeezed, batch dimensions broadcast).
Each output element: `acc = 0`; for k = 0..K-1 in order `acc = convert<acc_type>(acc + lhs[..., i, k] * rhs[..., k, j])`
(exact product and sum); `output = convert<output>(acc)`.

```mlir
%y = "qdf.matmul"(%a, %b) {acc_type = !qdf.fixed<40, 16, true, "TRN", "WRAP">} : (tensor<4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [lhs: FIXED_TENSOR, rhs: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [acc_type: FIXED_TYPE_ATTR => &'a Type],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_matmul),
    }
}

op! {
    /// Elementwise sum.
    pub struct Add = "qdf.add" {
        summary: "elementwise sum with numpy broadcasting, output = convert(lhs + rhs)",
        description: r#"The sum is exact, then converted once into the result type (its rounding, then its overflow).

```mlir
%z = "qdf.add"(%x, %y) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [lhs: FIXED_TENSOR, rhs: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_add_sub),
    }
}

op! {
    /// Elementwise difference.
    pub struct Sub = "qdf.sub" {
        summary: "elementwise difference with numpy broadcasting, output = convert(lhs - rhs)",
        description: r#"The difference is exact, then converted once into the result type.

```mlir
%z = "qdf.sub"(%x, %y) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [lhs: FIXED_TENSOR, rhs: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_add_sub),
    }
}

op! {
    /// Elementwise product.
    pub struct Mul = "qdf.mul" {
        summary: "elementwise product with numpy broadcasting, output = convert(lhs * rhs)",
        description: r#"The product is exact, then converted once into the result type.

```mlir
%z = "qdf.mul"(%x, %s) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [lhs: FIXED_TENSOR, rhs: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_mul),
    }
}

op! {
    /// Rectified linear unit.
    pub struct Relu = "qdf.relu" {
        summary: "rectified linear unit, output = convert(max(input, 0))",
        description: r#"```mlir
%y = "qdf.relu"(%x) : (tensor<1x8x!qdf.fixed<24, 9, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_shape),
    }
}

op! {
    /// Leaky rectified linear unit with a fixed-point slope.
    pub struct LeakyRelu = "qdf.leaky_relu" {
        summary: "leaky ReLU, output = convert(x >= 0 ? x : alpha * x)",
        description: r#"The slope is the exact fixed-point constant `alpha * 2^-(W-I)` of `alpha_type` (`alpha` is its
mantissa). For negative x the product `alpha * x` is exact, then converted once into the result type;
non-negative x are converted directly.

```mlir
%y = "qdf.leaky_relu"(%x) {alpha = 205 : i64, alpha_type = !qdf.fixed<12, 1, true, "TRN", "WRAP">} : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [alpha: I64_ATTR => i64, alpha_type: FIXED_TYPE_ATTR => &'a Type],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_leaky_relu),
    }
}

op! {
    /// Clamp to a range given on the input grid.
    pub struct Clip = "qdf.clip" {
        summary: "clamp to [min, max] on the input grid, then convert",
        description: r#"`min` and `max` are mantissas on the input type's grid (value `min * 2^-(W-I)` of the input
type); either may be absent (unbounded). `output = convert(clamp(x, min, max))` with exact comparisons.

```mlir
%y = "qdf.clip"(%x) {max = 6144 : i64, min = 0 : i64} : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [],
        optional_attributes: [min: I64_ATTR => i64, max: I64_ATTR => i64],
        regions: [],
        traits: [Pure],
        verify: Some(verify_clip),
    }
}

op! {
    /// A function given by a piecewise-linear table (sigmoid, tanh).
    pub struct Table = "qdf.table" {
        summary: "piecewise-linear lookup table with exact integer interpolation",
        description: r#"`table` holds N+1 samples (N >= 1) as mantissas of `table_type`; sample s is the function at input
mantissa `lo + s * 2^step_shift` (on the input grid). With x the input mantissa, k = `step_shift`:
`t = x - lo`; if `t < 0`: `v = table[0]`; else `i = t >> k`; if `i >= N`: `v = table[N]`;
else `f = t - (i << k)` and `v = table[i] + ((table[i+1] - table[i]) * f) >> k`, with `>>` an
arithmetic shift (floor). `v` is a mantissa of `table_type` (always between two samples, so it fits);
`output = convert(v)` into the result type. `function` names the tabulated function for readers only.

```mlir
%y = "qdf.table"(%x) {function = "sigmoid", lo = -16384 : i64, step_shift = 5 : i64, table = dense<...> : tensor<1025xi32>, table_type = !qdf.fixed<16, 2, true, "TRN", "WRAP">} : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [
            function: STRING_ATTR => &'a str,
            lo: I64_ATTR => i64,
            step_shift: I64_ATTR => i64,
            table: INT_DENSE_ATTR => &'a DenseElements,
            table_type: FIXED_TYPE_ATTR => &'a Type,
        ],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_table),
    }
}

op! {
    /// Softmax with an exp table and exact integer normalisation.
    pub struct Softmax = "qdf.softmax" {
        summary: "softmax along one axis with an exp table and exact division",
        description: r#"Along `axis`, for each slice of input mantissas x_k (input grid, F_x fractional bits):
1. `m = max_k x_k`; `d_k = x_k - m` (exact, <= 0);
2. `e_k` = the table lookup of `qdf.table` on `d_k` with `exp_table` (mantissas of `exp_type`, samples
   of exp over [lo, lo + N * 2^step_shift] in input LSBs, non-negative), a mantissa of `exp_type`;
3. `s = 0`; for k in order `s = convert<sum_type>(s + e_k)` (exact sum, then sum_type's modes);
4. `y_k = floor(e_k * 2^(F_out + F_sum - F_exp) / s)` (F_* the fractional bits of the output, sum and
   exp types; a negative exponent multiplies s instead), i.e. e/s truncated onto the output grid, then
   the output type's overflow mode; `y_k = 0` if `s <= 0`.

```mlir
%y = "qdf.softmax"(%x) {axis = 1 : i64, exp_table = dense<...> : tensor<1025xi32>, exp_type = !qdf.fixed<21, 1, false, "TRN", "WRAP">, lo = -16384 : i64, step_shift = 4 : i64, sum_type = !qdf.fixed<25, 5, false, "TRN", "WRAP">} : (tensor<1x10x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x10x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: FIXED_TENSOR],
        results: [output: FIXED_TENSOR],
        attributes: [
            axis: I64_ATTR => i64,
            exp_table: INT_DENSE_ATTR => &'a DenseElements,
            exp_type: FIXED_TYPE_ATTR => &'a Type,
            lo: I64_ATTR => i64,
            step_shift: I64_ATTR => i64,
            sum_type: FIXED_TYPE_ATTR => &'a Type,
        ],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_softmax),
    }
}

op! {
    /// Reinterpret the shape.
    pub struct Reshape = "qdf.reshape" {
        summary: "same elements in row-major order, new shape given by the result type",
        description: r#"Element types must be equal (fixed-point or f32); no value changes.

```mlir
%y = "qdf.reshape"(%x) : (tensor<1x4x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x16x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: VALUE_TENSOR],
        results: [output: VALUE_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_reshape),
    }
}

op! {
    /// A contiguous slice along one axis.
    pub struct Slice = "qdf.slice" {
        summary: "elements start .. start + size along one axis, the element type unchanged",
        description: r#"Every other axis whole; `axis` may be negative (counted from the end). No value changes: it is
wiring (the lowering copies the elements). `nn.slice` lowers to it.

```mlir
%y = "qdf.slice"(%x) {axis = -1, start = 4, size = 6} : (tensor<1x10x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x6x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [input: VALUE_TENSOR],
        results: [output: VALUE_TENSOR],
        attributes: [axis: I64_ATTR => i64, start: I64_ATTR => i64, size: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_slice),
    }
}

op! {
    /// Concatenation along one axis.
    pub struct Concat = "qdf.concat" {
        summary: "tensors of one element type one after the other along one axis",
        description: r#"The inputs agree on every axis but `axis` (negative counts from the end) and on the element type,
which the result keeps. No value changes: it is wiring (the lowering copies the elements).
`nn.concat` lowers to it, casting inputs of other types to the layer's output type first.

```mlir
%y = "qdf.concat"(%a, %b) {axis = 1} : (tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x6x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
```"#,
        operands: [],
        variadic_operands: inputs: VALUE_TENSOR,
        results: [output: VALUE_TENSOR],
        attributes: [axis: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_concat),
    }
}
