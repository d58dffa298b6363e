//! The quantizer ops of the `nn` dialect: fake quantization, float32 in and out, with the exact
//! semantics of the operator each one comes from (QONNX `Quant`, `BipolarQuant`, `Trunc`; ONNX
//! `QuantizeLinear`/`DequantizeLinear`). Their numerics live in [`crate::eval`]; the rules every
//! quantizer shares (bit widths, rounding modes, scales) live here so the importer reports the
//! same problems the verifiers do, naming the ONNX node.

use fpgaopt_ir::builtin::{BOOL_ATTR, FLOAT_TENSOR, I64_ATTR, STRING_ATTR};
use fpgaopt_ir::{op, Module, OpId, ValueId};

use crate::verify::broadcast_shapes;

/// The largest bit width a quantizer may have.
pub const MAX_BIT_WIDTH: i64 = 32;

/// A rounding mode of QONNX `Quant` and `Trunc` (the QONNX names; `HALF_EVEN` reads as `ROUND`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RoundingMode {
    /// Half to even (`np.round`).
    Round,
    /// Toward +infinity.
    Ceil,
    /// Toward -infinity.
    Floor,
    /// Away from zero: `sign(x) * ceil(|x|)`.
    Up,
    /// Toward zero (`np.fix`).
    Down,
    /// Half away from zero: `sign(x) * floor(|x| + 0.5)`.
    HalfUp,
    /// Half toward zero: `sign(x) * ceil(|x| - 0.5)`.
    HalfDown,
}

impl RoundingMode {
    /// Every mode, in the order QONNX documents them.
    pub const ALL: [RoundingMode; 7] = [
        RoundingMode::Round,
        RoundingMode::Ceil,
        RoundingMode::Floor,
        RoundingMode::Up,
        RoundingMode::Down,
        RoundingMode::HalfUp,
        RoundingMode::HalfDown,
    ];

    /// The mode named `s`, case-insensitive like qonnx (`HALF_EVEN` is `ROUND`).
    pub fn parse(s: &str) -> Option<RoundingMode> {
        let up = s.to_ascii_uppercase();
        if up == "HALF_EVEN" {
            return Some(RoundingMode::Round);
        }
        RoundingMode::ALL.into_iter().find(|m| m.name() == up)
    }

    /// The canonical (QONNX) name.
    pub fn name(self) -> &'static str {
        match self {
            RoundingMode::Round => "ROUND",
            RoundingMode::Ceil => "CEIL",
            RoundingMode::Floor => "FLOOR",
            RoundingMode::Up => "UP",
            RoundingMode::Down => "DOWN",
            RoundingMode::HalfUp => "HALF_UP",
            RoundingMode::HalfDown => "HALF_DOWN",
        }
    }

    /// Rounds `x` to an integer exactly as qonnx's numpy functions do on float32 arrays, including
    /// their float32 intermediate steps (`|x| + 0.5` is rounded before `floor`).
    pub fn apply(self, x: f32) -> f32 {
        match self {
            RoundingMode::Round => x.round_ties_even(),
            RoundingMode::Ceil => x.ceil(),
            RoundingMode::Floor => x.floor(),
            RoundingMode::Up => np_sign(x) * x.abs().ceil(),
            RoundingMode::Down => x.trunc(),
            RoundingMode::HalfUp => np_sign(x) * (x.abs() + 0.5).floor(),
            RoundingMode::HalfDown => np_sign(x) * (x.abs() - 0.5).ceil(),
        }
    }
}

/// `np.sign`: 1, -1, +0 for both zeros, NaN for NaN.
fn np_sign(x: f32) -> f32 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else if x == 0.0 {
        0.0
    } else {
        x
    }
}

/// The integer range `[min, max]` of `bits` bits: signed two's complement (one less at the bottom
/// when `narrow`), or unsigned (one less at the top when `narrow`, as qonnx computes it).
pub fn int_range(bits: i64, signed: bool, narrow: bool) -> (i64, i64) {
    let bits = bits.clamp(1, 63) as u32;
    match (signed, narrow) {
        (true, false) => (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1),
        (true, true) => (-(1i64 << (bits - 1)) + 1, (1i64 << (bits - 1)) - 1),
        (false, false) => (0, (1i64 << bits) - 1),
        (false, true) => (0, (1i64 << bits) - 2),
    }
}

/// Checks a quantizer's bit width.
pub fn check_bit_width(bits: i64) -> Result<(), String> {
    if !(1..=MAX_BIT_WIDTH).contains(&bits) {
        return Err(format!("bit width {bits} is out of range (1 to {MAX_BIT_WIDTH})"));
    }
    Ok(())
}

/// Checks that every scale is positive and finite.
pub fn check_scale(what: &str, values: &[f32]) -> Result<(), String> {
    match values.iter().position(|&s| !(s > 0.0 && s.is_finite())) {
        Some(i) if values.len() == 1 => Err(format!("{what} must be positive and finite, got {}", values[i])),
        Some(i) => Err(format!("{what} must be positive and finite, got {} at index {i}", values[i])),
        None => Ok(()),
    }
}

/// Checks that a scale or zero point of shape `param` applies elementwise to an input of shape
/// `input` (numpy broadcasting without growing the input): scalar, or per channel.
pub fn check_param_shape(what: &str, param: &[i64], input: &[i64]) -> Result<(), String> {
    if broadcast_shapes(input, param).as_deref() != Some(input) {
        return Err(format!("{what} of shape {} does not match the input shape {}", fmt(param), fmt(input)));
    }
    Ok(())
}

fn fmt(s: &[i64]) -> String {
    format!("[{}]", s.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "))
}

/// The f32 values of the `nn.constant` defining `v`.
fn constant_values(m: &Module, v: ValueId) -> Option<Vec<f32>> {
    crate::Constant::defining(m, v).map(|c| c.value(m).to_f32_vec())
}

/// The shape of `v`.
fn shape(m: &Module, v: ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

/// Operand `i` (named `what`) must be an `nn.constant` of the input's element shape; its values.
fn param(m: &Module, op: OpId, i: usize, what: &str) -> Result<Vec<f32>, String> {
    let v = m.operand(op, i);
    let values = constant_values(m, v).ok_or_else(|| format!("{what} must be defined by nn.constant"))?;
    check_param_shape(what, &shape(m, v), &shape(m, m.operand(op, 0)))?;
    Ok(values)
}

fn check_finite(what: &str, values: &[f32]) -> Result<(), String> {
    match values.iter().find(|v| !v.is_finite()) {
        Some(v) => Err(format!("{what} must be finite, got {v}")),
        None => Ok(()),
    }
}

/// Zero points of an integer storage type: integers inside its range.
fn check_int_zero_point(values: &[f32], bits: i64, signed: bool) -> Result<(), String> {
    let (lo, hi) = int_range(bits, signed, false);
    match values.iter().find(|&&z| z.fract() != 0.0 || (z as f64) < lo as f64 || (z as f64) > hi as f64) {
        Some(z) => Err(format!("zero_point {z} is not an integer in [{lo}, {hi}]")),
        None => Ok(()),
    }
}

fn same_type(m: &Module, op: OpId) -> Result<(), String> {
    crate::verify::verify_same_shape(m, op)
}

fn rounding(m: &Module, op: OpId) -> Result<RoundingMode, String> {
    let s = m.attr(op, "rounding_mode").and_then(|a| a.as_str()).unwrap_or("");
    RoundingMode::parse(s).filter(|r| r.name() == s).ok_or_else(|| {
        let all: Vec<&str> = RoundingMode::ALL.iter().map(|r| r.name()).collect();
        format!("rounding_mode '{s}' is not one of {}", all.join(", "))
    })
}

fn verify_quant(m: &Module, op: OpId) -> Result<(), String> {
    same_type(m, op)?;
    let q = Quant(op);
    check_bit_width(q.bit_width(m))?;
    rounding(m, op)?;
    check_scale("scale", &param(m, op, 1, "scale")?)?;
    check_finite("zero_point", &param(m, op, 2, "zero_point")?)
}

fn verify_bipolar_quant(m: &Module, op: OpId) -> Result<(), String> {
    same_type(m, op)?;
    check_scale("scale", &param(m, op, 1, "scale")?)
}

fn verify_trunc(m: &Module, op: OpId) -> Result<(), String> {
    same_type(m, op)?;
    let t = Trunc(op);
    if let Some(b) = t.output_bit_width(m) {
        check_bit_width(b)?;
    }
    if !(-126..=127).contains(&t.shift(m)) {
        return Err(format!("shift {} is out of range (-126 to 127)", t.shift(m)));
    }
    rounding(m, op)?;
    check_scale("scale", &param(m, op, 1, "scale")?)?;
    check_finite("zero_point", &param(m, op, 2, "zero_point")?)?;
    check_scale("output_scale", &param(m, op, 3, "output_scale")?)?;
    check_finite("output_zero_point", &param(m, op, 4, "output_zero_point")?)
}

/// `nn.qdq` and `nn.quantize_linear`: an ONNX integer type and its parameters.
fn verify_linear(m: &Module, op: OpId) -> Result<(), String> {
    same_type(m, op)?;
    let bits = m.attr(op, "bit_width").and_then(|a| a.as_int()).unwrap_or(0);
    let signed = m.attr(op, "signed").and_then(|a| a.as_bool()).unwrap_or(true);
    check_bit_width(bits)?;
    check_scale("scale", &param(m, op, 1, "scale")?)?;
    check_int_zero_point(&param(m, op, 2, "zero_point")?, bits, signed)
}

op! {
    /// QONNX `Quant` (`IntQuant`): uniform fake quantization.
    pub struct Quant = "nn.quant" {
        summary: "uniform fake quantization with QONNX Quant semantics",
        description: r#"`output = (clamp(round(input / scale + zero_point), qmin, qmax) - zero_point) * scale`,
computed in float32 step by step exactly as qonnx's `execute_onnx` does it in numpy: the division,
the addition, the clamp (to the float32 values of `qmin`, `qmax`), the rounding function, the
subtraction and the multiplication each round to float32. The integer range comes from
`bit_width`, `signed` and `narrow`: signed `[-2^(b-1), 2^(b-1) - 1]` (`narrow` raises the bottom by
one), unsigned `[0, 2^b - 1]` (`narrow` lowers the top by one). `rounding_mode` is one of `ROUND`
(half to even), `CEIL`, `FLOOR`, `UP` (away from zero), `DOWN` (toward zero), `HALF_UP` (half away
from zero), `HALF_DOWN` (half toward zero); the half modes compute `sign(t) * floor(|t| + 0.5)` and
`sign(t) * ceil(|t| - 0.5)` in float32 like qonnx. A signed 1-bit quantizer is bipolar, as in
qonnx: `t >= 0 ? 1 : -1` in place of clamp and rounding. NaN inputs stay NaN.

`scale` (positive) and `zero_point` are `nn.constant`s that broadcast to the input's shape without
growing it: a scalar, or one value per channel (`[C, 1]` for the rows of a `[C, K]` weight).

```mlir
%y = "nn.quant"(%x, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x16xf32>, tensor<f32>, tensor<f32>) -> tensor<1x16xf32>
```"#,
        operands: [input: FLOAT_TENSOR, scale: FLOAT_TENSOR, zero_point: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [bit_width: I64_ATTR => i64, signed: BOOL_ATTR => bool, narrow: BOOL_ATTR => bool, rounding_mode: STRING_ATTR => &'a str],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_quant),
    }
}

op! {
    /// QONNX `BipolarQuant`: the sign, times a scale.
    pub struct BipolarQuant = "nn.bipolar_quant" {
        summary: "bipolar fake quantization: (input >= 0 ? 1 : -1) * scale",
        description: r#"QONNX `BipolarQuant`: zero maps to +1, NaN to -1; the product with the positive
`nn.constant` `scale` (scalar or per channel) rounds to float32.

```mlir
%y = "nn.bipolar_quant"(%x, %s) : (tensor<1x64xf32>, tensor<f32>) -> tensor<1x64xf32>
```"#,
        operands: [input: FLOAT_TENSOR, scale: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_bipolar_quant),
    }
}

op! {
    /// QONNX `Trunc`: drops low bits of a quantized value.
    pub struct Trunc = "nn.trunc" {
        summary: "truncation of a quantized value to fewer bits (QONNX Trunc)",
        description: r#"In float32, step by step like qonnx:
`t = round_half_even(input / scale + zero_point)`, `t = t / 2^shift`, then (only when
`output_bit_width` is present) `t = clamp(t, qmin, qmax)` with the range of `output_bit_width`,
`signed`, `narrow`, then `t = rounding_mode(t)`, and
`output = (t - output_zero_point) * output_scale`.

QONNX Trunc version 2 imports with `shift = round(log2(out_scale / scale))`, `output_zero_point =
zero_point / 2^shift`, `output_scale = out_scale` and the clamp; version 1 with `shift =
in_bit_width - out_bit_width`, no clamp, and the input's own `zero_point` and `scale` at the end.
All four parameters are `nn.constant`s broadcasting to the input.

```mlir
%y = "nn.trunc"(%x, %s, %z, %os, %oz) {narrow = false, output_bit_width = 4, rounding_mode = "FLOOR", shift = 4, signed = true} : (tensor<1x8xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x8xf32>
```"#,
        operands: [input: FLOAT_TENSOR, scale: FLOAT_TENSOR, zero_point: FLOAT_TENSOR, output_scale: FLOAT_TENSOR, output_zero_point: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [shift: I64_ATTR => i64, signed: BOOL_ATTR => bool, narrow: BOOL_ATTR => bool, rounding_mode: STRING_ATTR => &'a str],
        optional_attributes: [output_bit_width: I64_ATTR => i64],
        regions: [],
        traits: [Pure],
        verify: Some(verify_trunc),
    }
}

op! {
    /// ONNX `QuantizeLinear` followed by `DequantizeLinear` with the same parameters.
    pub struct Qdq = "nn.qdq" {
        summary: "fake quantization with ONNX QuantizeLinear -> DequantizeLinear semantics",
        description: r#"What onnxruntime computes for the pair:
`q = clamp(round_half_even(input / scale) + zero_point, qmin, qmax)` (the division rounds to
float32; the rest is exact integer arithmetic; NaN gives `qmin`), then
`output = float32(q - zero_point) * scale`. The integer type is `bit_width` bits, `signed` or not
(int4/uint4/int8/uint8/int16/uint16). Unlike `nn.quant`, the zero point is added after rounding,
so it never rounds. `scale` (positive) and `zero_point` (an integer of the type) are `nn.constant`s,
scalar or per axis (shaped to broadcast, e.g. `[C, 1]` for axis 0 of a 2-D input).

```mlir
%y = "nn.qdq"(%x, %s, %z) {bit_width = 8, signed = false} : (tensor<1x16xf32>, tensor<f32>, tensor<f32>) -> tensor<1x16xf32>
```"#,
        operands: [input: FLOAT_TENSOR, scale: FLOAT_TENSOR, zero_point: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [bit_width: I64_ATTR => i64, signed: BOOL_ATTR => bool],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_linear),
    }
}

op! {
    /// ONNX `QuantizeLinear` alone: the stored integer, as f32.
    pub struct QuantizeLinear = "nn.quantize_linear" {
        summary: "ONNX QuantizeLinear: the integer code, held in f32",
        description: r#"`output = clamp(round_half_even(input / scale) + zero_point, qmin, qmax)` as
onnxruntime computes it (NaN gives `qmin`): an integer of the `bit_width`/`signed` type, carried in
float32 (exact, the types have at most 16 bits). It appears where integer codes feed integer
arithmetic (QLinearMatMul, MatMulInteger); a QuantizeLinear read only by a matching
DequantizeLinear is an `nn.qdq`. With `scale = 1` it is the requantization step
`clamp(round(v) + zero_point)` of QLinearMatMul.

```mlir
%q = "nn.quantize_linear"(%x, %s, %z) {bit_width = 8, signed = false} : (tensor<1x16xf32>, tensor<f32>, tensor<f32>) -> tensor<1x16xf32>
```"#,
        operands: [input: FLOAT_TENSOR, scale: FLOAT_TENSOR, zero_point: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [bit_width: I64_ATTR => i64, signed: BOOL_ATTR => bool],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_linear),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_qonnx() {
        assert_eq!(int_range(8, true, false), (-128, 127));
        assert_eq!(int_range(8, true, true), (-127, 127));
        assert_eq!(int_range(8, false, false), (0, 255));
        assert_eq!(int_range(8, false, true), (0, 254));
        assert_eq!(int_range(32, true, false), (i32::MIN as i64, i32::MAX as i64));
        assert!(check_bit_width(0).is_err() && check_bit_width(33).is_err() && check_bit_width(32).is_ok());
    }

    #[test]
    fn rounding_modes_match_the_qonnx_table() {
        // The table of the QONNX IntQuant specification.
        let xs = [5.5, 2.5, 1.6, 1.1, 1.0, -1.0, -1.1, -1.6, -2.5, -5.5];
        let table: [(RoundingMode, [f32; 10]); 7] = [
            (RoundingMode::Round, [6., 2., 2., 1., 1., -1., -1., -2., -2., -6.]),
            (RoundingMode::Ceil, [6., 3., 2., 2., 1., -1., -1., -1., -2., -5.]),
            (RoundingMode::Floor, [5., 2., 1., 1., 1., -1., -2., -2., -3., -6.]),
            (RoundingMode::Up, [6., 3., 2., 2., 1., -1., -2., -2., -3., -6.]),
            (RoundingMode::Down, [5., 2., 1., 1., 1., -1., -1., -1., -2., -5.]),
            (RoundingMode::HalfUp, [6., 3., 2., 1., 1., -1., -1., -2., -3., -6.]),
            (RoundingMode::HalfDown, [5., 2., 2., 1., 1., -1., -1., -2., -2., -5.]),
        ];
        for (mode, want) in table {
            let got: Vec<f32> = xs.iter().map(|&x| mode.apply(x)).collect();
            assert_eq!(got, want, "{}", mode.name());
            assert_eq!(RoundingMode::parse(&mode.name().to_lowercase()), Some(mode));
        }
        assert_eq!(RoundingMode::parse("half_even"), Some(RoundingMode::Round));
        assert_eq!(RoundingMode::parse("nearest"), None);
        // numpy's float32 steps: |x| + 0.5 rounds up to 1 for the float just below 0.5.
        assert_eq!(RoundingMode::HalfUp.apply(0.49999997), 1.0);
        // np.sign(-0.0) is +0.0.
        assert_eq!(RoundingMode::Up.apply(-0.0).to_bits(), 0);
        assert_eq!(RoundingMode::Round.apply(-0.4).to_bits(), (-0.0f32).to_bits());
    }
}
