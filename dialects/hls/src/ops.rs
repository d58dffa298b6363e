//! Op definitions of the `hls` dialect.
//!
//! Arrays are memory (like `memref`): `alloca` and `rom` create them, `load` and `store` access them.
//! Scalar ops compute on `!hls.fixed` and `ap_int` values with C++ semantics: `add`, `sub` and `mul` are
//! exact (their result type must hold every result), and only `cast` rounds or overflows.

use fpgaopt_ir::builtin::{DENSE_ATTR, F64_ATTR, I64_ARRAY_ATTR, I64_ATTR, INDEX, STRING_ATTR};
use fpgaopt_ir::opdef::{Irdl, TypeConstraint};
use fpgaopt_ir::{op, Attribute, DenseElements, OpDef, Type};

use crate::types::{is_element_type, ArrayType, Scalar};
use crate::verify::*;

/// Every op of the dialect.
pub fn all() -> Vec<&'static OpDef> {
    vec![
        Alloca::def(),
        Rom::def(),
        Load::def(),
        Store::def(),
        Constant::def(),
        Add::def(),
        Sub::def(),
        Mul::def(),
        Cast::def(),
        Max::def(),
        Min::def(),
        Cmp::def(),
        Select::def(),
        Bitcast::def(),
        Div::def(),
        IndexCast::def(),
        DelinearizeIndex::def(),
        AffineIndex::def(),
        StreamAlloca::def(),
        StreamRead::def(),
        StreamWrite::def(),
        FConstant::def(),
        Fma::def(),
        Exp::def(),
    ]
}

// ----- type constraints -----

/// `!hls.array<...>`.
pub static ARRAY: TypeConstraint =
    TypeConstraint { summary: "hls array", check: |t| ArrayType::from_type(t).is_some(), irdl: Irdl::Base("!hls.array") };
/// A FIFO between dataflow processes.
pub static STREAM: TypeConstraint =
    TypeConstraint { summary: "hls stream", check: |t| crate::StreamType::from_type(t).is_some(), irdl: Irdl::Base("!hls.stream") };
/// A value an array can hold.
pub static ELEMENT: TypeConstraint = TypeConstraint {
    summary: "hls scalar (fixed, si/ui integer, i1 or f32)",
    check: is_element_type,
    irdl: Irdl::AnyOf(&["!hls.fixed", "!builtin.integer", "!builtin.f32"]),
};
/// A fixed-point or `ap_int` value.
pub static NUMERIC: TypeConstraint = TypeConstraint {
    summary: "fixed-point or si/ui integer",
    check: |t| Scalar::of(t).is_some_and(|s| s.is_numeric()),
    irdl: Irdl::AnyOf(&["!hls.fixed", "!builtin.integer"]),
};
/// A numeric value or `f32`: what arithmetic computes on (f32 arithmetic is IEEE binary32).
pub static ARITH: TypeConstraint = TypeConstraint {
    summary: "fixed-point, si/ui integer or f32",
    check: |t| Scalar::of(t).is_some_and(|s| s.is_numeric() || s == Scalar::F32),
    irdl: Irdl::AnyOf(&["!hls.fixed", "!builtin.integer", "!builtin.f32"]),
};
/// `f32`.
pub static F32: TypeConstraint = TypeConstraint { summary: "f32", check: |t| *t == Type::F32, irdl: Irdl::Base("!builtin.f32") };
/// An integer or `f32`: what `hls.div` divides.
pub static INT_OR_F32: TypeConstraint = TypeConstraint {
    summary: "si/ui integer or f32",
    check: |t| matches!(Scalar::of(t), Some(Scalar::Int { .. } | Scalar::F32)),
    irdl: Irdl::AnyOf(&["!builtin.integer", "!builtin.f32"]),
};
/// A numeric value or `f32`: what `hls.cast` converts between.
pub static CONVERTIBLE: TypeConstraint = TypeConstraint {
    summary: "fixed-point, si/ui integer or f32",
    check: |t| Scalar::of(t).is_some_and(|s| s.is_numeric() || s == Scalar::F32),
    irdl: Irdl::AnyOf(&["!hls.fixed", "!builtin.integer", "!builtin.f32"]),
};
/// Anything `hls.cmp` compares: a numeric value, an `f32` or an index.
pub static COMPARABLE: TypeConstraint = TypeConstraint {
    summary: "fixed-point, si/ui integer, f32 or index",
    check: |t| Scalar::of(t).is_some_and(|s| s.is_numeric() || s == Scalar::Index || s == Scalar::F32),
    irdl: Irdl::AnyOf(&["!hls.fixed", "!builtin.integer", "!builtin.f32", "!builtin.index"]),
};
/// Any scalar of the dialect.
pub static SCALAR: TypeConstraint = TypeConstraint {
    summary: "hls scalar",
    check: |t| Scalar::of(t).is_some(),
    irdl: Irdl::AnyOf(&["!hls.fixed", "!builtin.integer", "!builtin.f32", "!builtin.index"]),
};
/// An `ap_int` / `ap_uint` value (`si`/`ui` integers).
pub static INTEGER: TypeConstraint = TypeConstraint {
    summary: "si/ui integer",
    check: |t| matches!(Scalar::of(t), Some(Scalar::Int { .. })),
    irdl: Irdl::Base("!builtin.integer"),
};
/// `i1`.
pub static BOOL: TypeConstraint =
    TypeConstraint { summary: "i1", check: |t| *t == Type::I1, irdl: Irdl::Base("!builtin.integer") };

// ----- memory -----

op! {
    /// A local array or scalar variable.
    pub struct Alloca = "hls.alloca" {
        summary: "a local array (rank 0: a scalar variable)",
        description: r#"Declares `T name[d0][d1];` in the enclosing function; its contents are undefined until stored.
A rank-0 array is a scalar variable (an accumulator). `partition` (`"none"`, `"complete"`, `"cyclic"`,
`"block"`) becomes `#pragma HLS ARRAY_PARTITION`, with `factor` for cyclic and block and `dim` (0, the
default, means every dimension).

```mlir
%buf = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[64], !hls.fixed<16, 6, true, "TRN", "WRAP">>
%acc = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<24, 10, true, "TRN", "WRAP">>
```"#,
        operands: [],
        results: [memory: ARRAY],
        attributes: [],
        optional_attributes: [partition: STRING_ATTR => &'a str, factor: I64_ATTR => i64, dim: I64_ATTR => i64],
        regions: [],
        traits: [],
        verify: Some(verify_alloca),
    }
}

op! {
    /// A constant array (weights).
    pub struct Rom = "hls.rom" {
        summary: "a constant array of fixed-point, integer or f32 values",
        description: r#"Weights and tables: `static const short name[d0][d1] = {...};` in `firmware/weights/<name>.h`, the mantissas
in the smallest native integer type (`float` for f32), read as `from_bits<T>(name[i][j])`. `value` holds
the raw mantissas (integers) in the array's shape; element `k` stands for `value[k] * 2^-F`. An `f32`
array holds f32 values. `name` is the
C identifier (made unique on emission). Partitioning as for `hls.alloca`; a rom is never stored to.
`storage` (`"bram"`, `"lutram"`) binds it to that memory (`#pragma HLS BIND_STORAGE type=rom_2p impl=...`):
weights too large to partition completely.

```mlir
%w = "hls.rom"() {name = "fc1_w", value = dense<[[3, -1], [0, 2]]> : tensor<2x2xi8>} : () -> !hls.array<[2, 2], !hls.fixed<4, 1, true, "TRN", "WRAP">>
```"#,
        operands: [],
        results: [memory: ARRAY],
        attributes: [value: DENSE_ATTR => &'a DenseElements],
        optional_attributes: [name: STRING_ATTR => &'a str, partition: STRING_ATTR => &'a str, factor: I64_ATTR => i64, dim: I64_ATTR => i64, storage: STRING_ATTR => &'a str],
        regions: [],
        traits: [Pure],
        verify: Some(verify_rom),
    }
}

op! {
    /// Reads an array element.
    pub struct Load = "hls.load" {
        summary: "read one element of an array",
        description: r#"`memory[i][j]`; one `index` per dimension (none for a scalar variable).

```mlir
%x = "hls.load"(%in, %i) : (!hls.array<[16], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
```"#,
        operands: [memory: ARRAY],
        variadic_operands: indices: INDEX,
        results: [result: ELEMENT],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [],
        verify: Some(verify_load),
    }
}

op! {
    /// Writes an array element.
    pub struct Store = "hls.store" {
        summary: "write one element of an array",
        description: r#"`memory[i][j] = value;` The value has the element type exactly; convert with `hls.cast` first.

```mlir
"hls.store"(%y, %out, %i) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.array<[16], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> ()
```"#,
        operands: [value: ELEMENT, memory: ARRAY],
        variadic_operands: indices: INDEX,
        results: [],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [],
        verify: Some(verify_store),
    }
}

// ----- scalars -----

op! {
    /// A scalar constant.
    pub struct Constant = "hls.constant" {
        summary: "a fixed-point, integer or boolean constant given by its mantissa",
        description: r#"`value` is the raw mantissa: for `!hls.fixed<W, I, ...>` the constant is `value * 2^-(W-I)`. Mantissas
of up to 64 bits.

```mlir
%alpha = "hls.constant"() {value = 13} : () -> !hls.fixed<8, 1, true, "TRN", "WRAP">
```"#,
        operands: [],
        results: [result: SCALAR],
        attributes: [value: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_constant),
    }
}

op! {
    /// Exact sum.
    pub struct Add = "hls.add" {
        summary: "exact sum of two fixed-point or integer values, or an f32 sum",
        description: r#"C++ `lhs + rhs`. The result type must hold every possible sum exactly (it contains the type of
`ap_fixed`'s `operator+`), so the op never rounds or overflows. On `f32` operands (all three types
`f32`) it is the IEEE binary32 sum, one rounding, never contracted with a product.

```mlir
%s = "hls.add"(%a, %b) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
```"#,
        operands: [lhs: ARITH, rhs: ARITH],
        results: [result: ARITH],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_add),
    }
}

op! {
    /// Exact difference.
    pub struct Sub = "hls.sub" {
        summary: "exact difference of two fixed-point or integer values, or an f32 difference",
        description: r#"C++ `lhs - rhs`; the result type must hold every difference exactly (`operator-` is always signed).
On `f32` operands it is the IEEE binary32 difference.

```mlir
%d = "hls.sub"(%a, %b) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
```"#,
        operands: [lhs: ARITH, rhs: ARITH],
        results: [result: ARITH],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_sub),
    }
}

op! {
    /// Exact product.
    pub struct Mul = "hls.mul" {
        summary: "exact product of two fixed-point or integer values, or an f32 product",
        description: r#"C++ `lhs * rhs`; the result type must hold every product exactly (`ap_fixed<W1+W2, I1+I2>`).
On `f32` operands it is the IEEE binary32 product.

```mlir
%p = "hls.mul"(%x, %w) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<4, 1, true, "TRN", "WRAP">) -> !hls.fixed<12, 4, true, "TRN", "WRAP">
```"#,
        operands: [lhs: ARITH, rhs: ARITH],
        results: [result: ARITH],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_mul),
    }
}

op! {
    /// Conversion with the result type's rounding and overflow.
    pub struct Cast = "hls.cast" {
        summary: "convert a value to another type (C++ assignment)",
        description: r#"Converts exactly like C++ assignment `result_t y = x;`: into a fixed type the exact value is
rounded with the result's quantization mode, then its overflow mode applies; into `ap_int` the low bits are
kept; from `f32` the exact float value is quantized once (`ap_fixed(double)`); into `f32` the value is
rounded to nearest, ties to even (`ap_fixed::to_float`). `f32` to `f32` and conversions into integers
from fixed or float values are not allowed.

```mlir
%y = "hls.cast"(%acc) : (!hls.fixed<24, 10, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "RND", "SAT">
```"#,
        operands: [input: CONVERTIBLE],
        results: [result: CONVERTIBLE],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_cast),
    }
}

op! {
    /// Larger of two values.
    pub struct Max = "hls.max" {
        summary: "the larger of two values of one type",
        description: r#"`lhs > rhs ? lhs : rhs`; operands and result have the same type.

```mlir
%r = "hls.max"(%x, %zero) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
```"#,
        operands: [lhs: ARITH, rhs: ARITH],
        results: [result: ARITH],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_types),
    }
}

op! {
    /// Smaller of two values.
    pub struct Min = "hls.min" {
        summary: "the smaller of two values of one type",
        description: r#"`lhs < rhs ? lhs : rhs`; operands and result have the same type.

```mlir
%r = "hls.min"(%x, %hi) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
```"#,
        operands: [lhs: ARITH, rhs: ARITH],
        results: [result: ARITH],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_same_types),
    }
}

op! {
    /// Comparison.
    pub struct Cmp = "hls.cmp" {
        summary: "compare two values exactly",
        description: r#"`predicate` is one of `eq`, `ne`, `lt`, `le`, `gt`, `ge`. Fixed-point and integer operands may differ in
type (the comparison is on exact values); index operands compare with each other.

```mlir
%pos = "hls.cmp"(%x, %zero) {predicate = "ge"} : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> i1
```"#,
        operands: [lhs: COMPARABLE, rhs: COMPARABLE],
        results: [result: BOOL],
        attributes: [predicate: STRING_ATTR => &'a str],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_cmp),
    }
}

op! {
    /// Choice between two values.
    pub struct Select = "hls.select" {
        summary: "choose between two values of one type",
        description: r#"`condition ? true_value : false_value`.

```mlir
%y = "hls.select"(%pos, %x, %scaled) : (i1, !hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
```"#,
        operands: [condition: BOOL, true_value: SCALAR, false_value: SCALAR],
        results: [result: SCALAR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_select),
    }
}

op! {
    /// Reinterprets the bits of a value with another binary point.
    pub struct Bitcast = "hls.bitcast" {
        summary: "reinterpret the mantissa bits as another fixed-point or integer type of the same width",
        description: r#"The mantissa is kept bit for bit and only the binary point moves: `fixed<W, I>` to `fixed<W, I2>`
multiplies the value by `2^(I2-I)` exactly, and to `si<W>` / `ui<W>` yields the mantissa as an integer
(and back). Width and signedness must match. C++: `r.range() = x.range();`. Table lookups and the
softmax division use it to move between values and their integer mantissas.

```mlir
%m = "hls.bitcast"(%x) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> si8
```"#,
        operands: [input: NUMERIC],
        results: [result: NUMERIC],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_bitcast),
    }
}

op! {
    /// Integer quotient.
    pub struct Div = "hls.div" {
        summary: "integer quotient truncated toward zero, or an f32 quotient",
        description: r#"C++ `lhs / rhs` on `ap_int` values: the exact quotient truncated toward zero. The result type must
hold every quotient (`ap_int<W1 + S2>`, signed when either operand is). The divisor must not be zero:
producers select a safe divisor first. On `f32` operands (all three `f32`) it is the IEEE binary32
quotient (correctly rounded).

```mlir
%q = "hls.div"(%a, %b) : (ui30, ui25) -> ui30
```"#,
        operands: [lhs: INT_OR_F32, rhs: INT_OR_F32],
        results: [result: INT_OR_F32],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_div),
    }
}

op! {
    /// Integer to array index.
    pub struct IndexCast = "hls.index_cast" {
        summary: "an integer value as an array index",
        description: r#"C++ `x.to_int()`; the operand has at most 32 bits (31 when unsigned) so every value fits.

```mlir
%i = "hls.index_cast"(%k) : (si11) -> index
```"#,
        operands: [input: INTEGER],
        results: [result: INDEX],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_index_cast),
    }
}

op! {
    /// Splits a flat index into per-dimension indices.
    pub struct DelinearizeIndex = "hls.delinearize_index" {
        summary: "split a row-major flat index into one index per dimension",
        description: r#"For `basis = [b0, b1, b2]` and a flat index `f < b0*b1*b2`, the results are `f / (b1*b2)`,
`f / b2 % b1` and `f % b2` (MLIR's `affine.delinearize_index`). Used to copy between arrays of different
shapes (reshape); once loops are unrolled the divisions are by constants and vanish.

```mlir
%i:2 = "hls.delinearize_index"(%f) {basis = [4, 8]} : (index) -> (index, index)
```"#,
        operands: [flat: INDEX],
        results: [],
        variadic_results: indices: INDEX,
        attributes: [basis: I64_ARRAY_ATTR => Vec<i64>],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_delinearize),
    }
}

op! {
    /// A local FIFO of a dataflow region.
    pub struct StreamAlloca = "hls.stream_alloca" {
        summary: "a local FIFO: hls::stream with a depth",
        description: r#"Declares `hls::stream<pack<T, L>> name;` with `#pragma HLS STREAM variable=name depth=D`: the
channel between two processes of a `DATAFLOW` function. `depth` is the FIFO's capacity in beats; the
lowering computes it so that the design cannot deadlock (`docs/design/cnn.md`). `producer`,
`consumer` (process names) and `beats` (per inference) describe the channel for the report.

```mlir
%s = "hls.stream_alloca"() {depth = 2 : i64} : () -> !hls.stream<!hls.fixed<16, 6, true, "TRN", "WRAP">, 8>
```"#,
        operands: [],
        results: [stream: STREAM],
        attributes: [depth: I64_ATTR => i64],
        optional_attributes: [producer: STRING_ATTR => &'a str, consumer: STRING_ATTR => &'a str, beats: I64_ATTR => i64],
        regions: [],
        traits: [],
        verify: Some(verify_stream_alloca),
    }
}

op! {
    /// Reads one beat.
    pub struct StreamRead = "hls.stream_read" {
        summary: "read one beat of a stream into a [lanes] array (blocking)",
        description: r#"`stream_read(s, buf)`: `pack<T, L> p = s.read();` then `buf[l] = p.v[l]` for every lane.
`buf` is a one-dimensional array of the stream's lanes and element type.

```mlir
"hls.stream_read"(%s, %buf) : (!hls.stream<!hls.fixed<16, 6, true, "TRN", "WRAP">, 8>, !hls.array<[8], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> ()
```"#,
        operands: [stream: STREAM, buffer: ARRAY],
        results: [],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [],
        verify: Some(verify_stream_access),
    }
}

op! {
    /// Writes one beat.
    pub struct StreamWrite = "hls.stream_write" {
        summary: "write a [lanes] array to a stream as one beat (blocking when full)",
        description: r#"`stream_write(s, buf)`: `p.v[l] = buf[l]` for every lane, then `s.write(p);`.

```mlir
"hls.stream_write"(%s, %buf) : (!hls.stream<!hls.fixed<16, 6, true, "TRN", "WRAP">, 8>, !hls.array<[8], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> ()
```"#,
        operands: [stream: STREAM, buffer: ARRAY],
        results: [],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [],
        verify: Some(verify_stream_access),
    }
}

op! {
    /// A linear combination of indices.
    pub struct AffineIndex = "hls.affine_index" {
        summary: "offset + sum of coeffs[i] * indices[i], an index (a window position)",
        description: r#"The result is `offset + coeffs[0] * i0 + coeffs[1] * i1 + ...` (MLIR's `affine.apply` of a linear
map). Sliding windows read `o * stride + k * dilation`; once loops are unrolled it is a constant.

```mlir
%i = "hls.affine_index"(%o, %k) {coeffs = [2, 1], offset = 0 : i64} : (index, index) -> index
```"#,
        operands: [],
        variadic_operands: indices: INDEX,
        results: [result: INDEX],
        attributes: [coeffs: I64_ARRAY_ATTR => Vec<i64>, offset: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_affine_index),
    }
}

op! {
    /// A float constant.
    pub struct FConstant = "hls.fconstant" {
        summary: "an f32 constant",
        description: r#"`value` is the f32 value (held as the f64 it converts to exactly); C++ `1.5f`.

```mlir
%half = "hls.fconstant"() {value = 5.0e-1} : () -> f32
```"#,
        operands: [],
        results: [result: F32],
        attributes: [value: F64_ATTR => f64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_fconstant),
    }
}

op! {
    /// Fused multiply-add.
    pub struct Fma = "hls.fma" {
        summary: "f32 fused multiply-add: a * b + c with one rounding",
        description: r#"C++ `std::fma(a, b, c)` on floats: the exact `a * b + c`, rounded once (IEEE `fusedMultiplyAdd`).

```mlir
%acc2 = "hls.fma"(%x, %w, %acc) : (f32, f32, f32) -> f32
```"#,
        operands: [a: F32, b: F32, c: F32],
        results: [result: F32],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: None,
    }
}

op! {
    /// Exponential.
    pub struct Exp = "hls.exp" {
        summary: "f32 exponential as onnxruntime's softmax computes it",
        description: r#"onnxruntime's float32 exponential (MLAS, its CPU Softmax kernel) for inputs up to 0:
`x = m ln2 + r` (m rounded with the bias 1.5 * 2^23, r reduced in two fused steps), a degree-6
polynomial in r by fused multiply-adds, times 2^m built in the exponent bits; the exponential of
`qdf.fsoftmax`. C++: `mlas_exp(x)`, an inline helper in `defines.h`.

```mlir
%e = "hls.exp"(%d) : (f32) -> f32
```"#,
        operands: [input: F32],
        results: [result: F32],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: None,
    }
}

/// The partition attributes of an `hls.alloca` or `hls.rom`, if any.
pub fn partition_of(m: &fpgaopt_ir::Module, op: fpgaopt_ir::OpId) -> Option<crate::directives::Partition> {
    let mode = m.attr(op, "partition").and_then(Attribute::as_str)?;
    crate::directives::Partition::new(
        mode,
        m.attr(op, "factor").and_then(Attribute::as_int),
        m.attr(op, "dim").and_then(Attribute::as_int),
    )
    .ok()
    .flatten()
}
