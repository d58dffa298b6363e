//! The types of the `hls` dialect and the scalar kinds HLS C++ is made of.
//!
//! - `!hls.fixed<W, I, signed, "Q", "O">` mirrors `ap_fixed<W, I, AP_Q, AP_O>` / `ap_ufixed` exactly:
//!   a value is `mantissa * 2^-(W-I)` with a W-bit two's complement (signed) or unsigned mantissa.
//! - `!hls.array<[d0, d1], elem>` is a C array `elem name[d0][d1]`; `[]` is a scalar variable.
//! - builtin `si17` / `ui17` are `ap_int<17>` / `ap_uint<17>`, `i1` is `bool`, `f32` is `float`, and
//!   `index` is a loop counter (`int`).
//!
//! The hls dialect does not share qdf's fixed type: a dialect knows only the core, and the
//! conversion pass maps one onto the other.

use fpgaopt_ir::builtin::{BOOL_ATTR, I64_ARRAY_ATTR, I64_ATTR, STRING_ATTR, TYPE_ATTR};
use fpgaopt_ir::opdef::{ParamDef, TypeDef};
use fpgaopt_ir::{Attribute, Signedness, Type};

/// Widest `ap_fixed` / `ap_int` the Xilinx headers accept by default (`AP_INT_MAX_W`).
pub const MAX_WIDTH: u32 = 1024;

/// Quantization modes of `ap_fixed`, named as in C++ without `AP_`.
pub const QUANT_MODES: [&str; 7] = ["TRN", "TRN_ZERO", "RND", "RND_ZERO", "RND_MIN_INF", "RND_INF", "RND_CONV"];

/// Overflow modes of `ap_fixed`, named as in C++ without `AP_`.
pub const OVERFLOW_MODES: [&str; 4] = ["WRAP", "SAT", "SAT_ZERO", "SAT_SYM"];

/// The parameters of `!hls.fixed`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct Fixed {
    pub width: u32,
    /// Integer bits, sign included; may be negative or exceed the width, as in `ap_fixed`.
    pub int_bits: i64,
    pub signed: bool,
    /// One of [`QUANT_MODES`].
    pub quant: String,
    /// One of [`OVERFLOW_MODES`].
    pub overflow: String,
}

impl Fixed {
    /// A type with the `ap_fixed` default modes (TRN, WRAP).
    pub fn new(width: u32, int_bits: i64, signed: bool) -> Fixed {
        Fixed { width, int_bits, signed, quant: "TRN".into(), overflow: "WRAP".into() }
    }

    /// The same type with other modes.
    pub fn with_modes(mut self, quant: &str, overflow: &str) -> Fixed {
        self.quant = quant.into();
        self.overflow = overflow.into();
        self
    }

    /// Fractional bits `W - I` (negative when `I > W`).
    pub fn frac_bits(&self) -> i64 {
        self.width as i64 - self.int_bits
    }

    /// True when the modes are the `ap_fixed` defaults.
    pub fn default_modes(&self) -> bool {
        self.quant == "TRN" && self.overflow == "WRAP"
    }

    /// The IR type `!hls.fixed<...>`.
    pub fn to_type(&self) -> Type {
        Type::dialect(
            "hls",
            "fixed",
            vec![
                Attribute::i64(self.width as i64),
                Attribute::i64(self.int_bits),
                Attribute::Bool(self.signed),
                Attribute::str(self.quant.clone()),
                Attribute::str(self.overflow.clone()),
            ],
        )
    }

    /// Reads `!hls.fixed<...>`.
    pub fn from_type(t: &Type) -> Option<Fixed> {
        let d = t.as_dialect("hls", "fixed")?;
        Fixed::from_params(&d.params).ok()
    }

    /// Reads and checks the five parameters.
    pub fn from_params(p: &[Attribute]) -> Result<Fixed, String> {
        let [w, i, s, q, o] = p else { return Err(format!("expected 5 parameters, found {}", p.len())) };
        let w = w.as_int().ok_or("width must be an integer")?;
        let i = i.as_int().ok_or("int_bits must be an integer")?;
        let signed = s.as_bool().ok_or("signed must be true or false")?;
        let q = q.as_str().ok_or("quantization mode must be a string")?;
        let o = o.as_str().ok_or("overflow mode must be a string")?;
        if !(1..=MAX_WIDTH as i64).contains(&w) {
            return Err(format!("width {w} is outside 1..={MAX_WIDTH}"));
        }
        if i.unsigned_abs() > 4 * MAX_WIDTH as u64 {
            return Err(format!("int_bits {i} is out of range"));
        }
        if !QUANT_MODES.contains(&q) {
            return Err(format!("unknown quantization mode \"{q}\" (expected one of {})", QUANT_MODES.join(", ")));
        }
        if !OVERFLOW_MODES.contains(&o) {
            return Err(format!("unknown overflow mode \"{o}\" (expected one of {})", OVERFLOW_MODES.join(", ")));
        }
        Ok(Fixed { width: w as u32, int_bits: i, signed, quant: q.into(), overflow: o.into() })
    }

    /// The C++ type, `ap_fixed<16, 6>` or `ap_ufixed<8, 2, AP_RND, AP_SAT>`.
    pub fn cpp(&self) -> String {
        let base = if self.signed { "ap_fixed" } else { "ap_ufixed" };
        if self.default_modes() {
            format!("{base}<{}, {}>", self.width, self.int_bits)
        } else {
            format!("{base}<{}, {}, AP_{}, AP_{}>", self.width, self.int_bits, self.quant, self.overflow)
        }
    }

    /// Bits of the mantissa read as a signed integer: W, plus one for unsigned types.
    fn signed_bits(&self) -> i64 {
        self.width as i64 + i64::from(!self.signed)
    }

    /// Integer bits of the mantissa read as a signed integer.
    fn signed_int_bits(&self) -> i64 {
        self.int_bits + i64::from(!self.signed)
    }

    /// True when every value of `inner` is a value of `self` (no rounding, no overflow).
    pub fn contains(&self, inner: &Fixed) -> bool {
        if inner.signed && !self.signed {
            return false;
        }
        let int_ok = if self.signed == inner.signed {
            self.int_bits >= inner.int_bits
        } else {
            self.int_bits >= inner.signed_int_bits()
        };
        int_ok && self.frac_bits() >= inner.frac_bits()
    }

    /// The C++ result type of `a + b` (`ap_fixed_base::RType::plus`): exact for every operand pair.
    pub fn add_type(a: &Fixed, b: &Fixed) -> Fixed {
        let i = (a.int_bits + i64::from(b.signed && !a.signed)).max(b.int_bits + i64::from(a.signed && !b.signed)) + 1;
        let f = a.frac_bits().max(b.frac_bits());
        Fixed::new((i + f).max(1) as u32, i, a.signed || b.signed)
    }

    /// The C++ result type of `a - b` (`RType::minus`): like `+` but always signed.
    pub fn sub_type(a: &Fixed, b: &Fixed) -> Fixed {
        Fixed { signed: true, ..Fixed::add_type(a, b) }
    }

    /// The C++ result type of `a * b` (`RType::mult`).
    pub fn mul_type(a: &Fixed, b: &Fixed) -> Fixed {
        Fixed::new(a.width + b.width, a.int_bits + b.int_bits, a.signed || b.signed)
    }

    /// The C++ result type of integer `a / b` (`RType::div` with no fraction bits): `W1 + S2` bits.
    pub fn div_type(a: &Fixed, b: &Fixed) -> Fixed {
        Fixed::new(a.width + u32::from(b.signed), (a.width + u32::from(b.signed)) as i64, a.signed || b.signed)
    }

    /// The smallest and largest mantissa, when the width fits in i128.
    pub fn mantissa_range(&self) -> Option<(i128, i128)> {
        if self.signed_bits() > 127 {
            return None;
        }
        Some(if self.signed {
            (-(1i128 << (self.width - 1)), (1i128 << (self.width - 1)) - 1)
        } else {
            (0, (1i128 << self.width) - 1)
        })
    }
}

/// The scalar kinds of the dialect.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Scalar {
    /// `ap_fixed` / `ap_ufixed`.
    Fixed(Fixed),
    /// `ap_int` / `ap_uint` (`si17`, `ui17`).
    Int { width: u32, signed: bool },
    /// `bool` (`i1`).
    Bool,
    /// `float` (`f32`), only at the interface.
    F32,
    /// `int` loop counters and array indices (`index`).
    Index,
}

impl Scalar {
    /// The kind of a scalar type, if it is one the dialect knows.
    pub fn of(t: &Type) -> Option<Scalar> {
        match t {
            Type::Dialect(_) => Fixed::from_type(t).map(Scalar::Fixed),
            Type::Integer { width: 1, signedness: Signedness::Signless } => Some(Scalar::Bool),
            Type::Integer { width, signedness: Signedness::Signed } if *width <= MAX_WIDTH => {
                Some(Scalar::Int { width: *width, signed: true })
            }
            Type::Integer { width, signedness: Signedness::Unsigned } if *width <= MAX_WIDTH => {
                Some(Scalar::Int { width: *width, signed: false })
            }
            Type::Float(fpgaopt_ir::FloatKind::F32) => Some(Scalar::F32),
            Type::Index => Some(Scalar::Index),
            _ => None,
        }
    }

    /// The value grid of a fixed or integer kind as a fixed type (`ap_int<W>` is `ap_fixed<W, W>`).
    pub fn as_fixed(&self) -> Option<Fixed> {
        match self {
            Scalar::Fixed(f) => Some(f.clone()),
            Scalar::Int { width, signed } => Some(Fixed::new(*width, *width as i64, *signed)),
            _ => None,
        }
    }

    /// True for the kinds with `ap_fixed` arithmetic (fixed and integer).
    pub fn is_numeric(&self) -> bool {
        matches!(self, Scalar::Fixed(_) | Scalar::Int { .. })
    }
}

/// True for the element types an array may hold (every scalar but `index`).
pub fn is_element_type(t: &Type) -> bool {
    matches!(Scalar::of(t), Some(s) if s != Scalar::Index)
}

/// The parameters of `!hls.array`.
#[derive(Clone, PartialEq, Debug)]
pub struct ArrayType {
    pub dims: Vec<i64>,
    pub elem: Type,
}

impl ArrayType {
    pub fn new(dims: impl Into<Vec<i64>>, elem: Type) -> ArrayType {
        ArrayType { dims: dims.into(), elem }
    }

    /// The IR type `!hls.array<[d0, ...], elem>`.
    pub fn to_type(&self) -> Type {
        Type::dialect("hls", "array", vec![Attribute::i64_array(&self.dims), Attribute::Type(self.elem.clone())])
    }

    /// Reads `!hls.array<...>`.
    pub fn from_type(t: &Type) -> Option<ArrayType> {
        let d = t.as_dialect("hls", "array")?;
        let [dims, elem] = &d.params[..] else { return None };
        Some(ArrayType { dims: dims.as_i64_array()?, elem: elem.as_type()?.clone() })
    }

    /// Number of elements.
    pub fn len(&self) -> i64 {
        self.dims.iter().product()
    }

    /// True when the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The parameters of `!hls.stream`: a FIFO whose beats carry `lanes` elements.
#[derive(Clone, PartialEq, Debug)]
pub struct StreamType {
    pub elem: Type,
    pub lanes: i64,
}

impl StreamType {
    pub fn new(elem: Type, lanes: i64) -> StreamType {
        StreamType { elem, lanes }
    }

    /// The IR type `!hls.stream<elem, lanes>`.
    pub fn to_type(&self) -> Type {
        Type::dialect("hls", "stream", vec![Attribute::Type(self.elem.clone()), Attribute::i64(self.lanes)])
    }

    /// Reads `!hls.stream<...>`.
    pub fn from_type(t: &Type) -> Option<StreamType> {
        let d = t.as_dialect("hls", "stream")?;
        let [elem, lanes] = &d.params[..] else { return None };
        Some(StreamType { elem: elem.as_type()?.clone(), lanes: lanes.as_int()? })
    }

    /// The array one beat is read into or written from: `[lanes]` of the element type.
    pub fn beat_array(&self) -> ArrayType {
        ArrayType::new(vec![self.lanes], self.elem.clone())
    }
}

fn verify_stream(p: &[Attribute]) -> Result<(), String> {
    let [elem, lanes] = p else { return Err(format!("expected 2 parameters, found {}", p.len())) };
    let elem = elem.as_type().ok_or("the element must be a type")?;
    if !is_element_type(elem) {
        return Err(format!("element type {elem} is not an hls scalar (fixed, si/ui integer, i1 or f32)"));
    }
    match lanes.as_int() {
        Some(l) if (1..=4096).contains(&l) => Ok(()),
        _ => Err(format!("lanes must be an integer in 1..=4096, got {lanes}")),
    }
}

fn verify_fixed(p: &[Attribute]) -> Result<(), String> {
    Fixed::from_params(p).map(|_| ())
}

fn verify_array(p: &[Attribute]) -> Result<(), String> {
    let [dims, elem] = p else { return Err(format!("expected 2 parameters, found {}", p.len())) };
    let dims = dims.as_i64_array().ok_or("dims must be an array of integers")?;
    if let Some(d) = dims.iter().find(|&&d| d < 1) {
        return Err(format!("dimension {d} is not positive"));
    }
    let elem = elem.as_type().ok_or("the element must be a type")?;
    if !is_element_type(elem) {
        return Err(format!("element type {elem} is not an hls scalar (fixed, si/ui integer, i1 or f32)"));
    }
    Ok(())
}

/// `!hls.fixed<W, I, signed, "Q", "O">`.
pub static FIXED_TYPE: TypeDef = TypeDef {
    dialect: "hls",
    name: "fixed",
    summary: "an ap_fixed / ap_ufixed number",
    description: r#"`!hls.fixed<W, I, signed, "Q", "O">` is `ap_fixed<W, I, AP_Q, AP_O>` (signed) or
`ap_ufixed<W, I, AP_Q, AP_O>`: a W-bit mantissa scaled by `2^-(W-I)`. `I` may be negative or exceed `W`.
The modes apply when a value is converted into the type (`hls.cast`, C++ assignment): quantization is one of
TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV; overflow one of WRAP, SAT, SAT_ZERO, SAT_SYM.

```mlir
!hls.fixed<16, 6, true, "RND", "SAT">
```"#,
    params: &[
        ParamDef { name: "width", constraint: &I64_ATTR },
        ParamDef { name: "int_bits", constraint: &I64_ATTR },
        ParamDef { name: "signed", constraint: &BOOL_ATTR },
        ParamDef { name: "quantization", constraint: &STRING_ATTR },
        ParamDef { name: "overflow", constraint: &STRING_ATTR },
    ],
    verify: Some(verify_fixed),
};

/// `!hls.array<[d0, d1], elem>`.
pub static ARRAY_TYPE: TypeDef = TypeDef {
    dialect: "hls",
    name: "array",
    summary: "a C array of scalars with static dimensions",
    description: r#"`!hls.array<[d0, d1], elem>` is `elem name[d0][d1]`; rank 0 (`[]`) is a scalar variable. Arrays are
memory: `hls.alloca` and `hls.rom` create them, `hls.load` and `hls.store` access them, and functions take them
by reference. Elements are `!hls.fixed`, `si`/`ui` integers (`ap_int`/`ap_uint`), `i1` (`bool`) or `f32`.

```mlir
!hls.array<[16, 64], !hls.fixed<8, 2, true, "TRN", "WRAP">>
```"#,
    params: &[
        ParamDef { name: "dims", constraint: &I64_ARRAY_ATTR },
        ParamDef { name: "element", constraint: &TYPE_ATTR },
    ],
    verify: Some(verify_array),
};

/// `!hls.stream<elem, lanes>`.
pub static STREAM_TYPE: TypeDef = TypeDef {
    dialect: "hls",
    name: "stream",
    summary: "a FIFO of beats of `lanes` scalars (hls::stream of a pack)",
    description: r#"`!hls.stream<elem, lanes>` is `hls::stream<pack<elem, lanes>>`: a first-in first-out channel
between dataflow processes whose every beat carries `lanes` elements (one pixel's channels, or a part of
them). `hls.stream_read` / `hls.stream_write` move one beat between the stream and a `[lanes]` array.
Functions take streams by reference; `hls.stream_alloca` declares one inside a dataflow region with
its FIFO depth.

```mlir
!hls.stream<!hls.fixed<16, 6, true, "TRN", "WRAP">, 8>
```"#,
    params: &[ParamDef { name: "element", constraint: &TYPE_ATTR }, ParamDef { name: "lanes", constraint: &I64_ATTR }],
    verify: Some(verify_stream),
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Widths checked against `decltype(a + b)` etc. with the Xilinx headers and g++.
    #[test]
    fn operator_types_match_ap_fixed() {
        let a = Fixed::new(8, 3, true);
        let b = Fixed::new(6, 6, false);
        let c = Fixed::new(8, 3, false);
        assert_eq!(Fixed::add_type(&a, &b), Fixed::new(13, 8, true));
        assert_eq!(Fixed::sub_type(&b, &b), Fixed::new(7, 7, true));
        assert_eq!(Fixed::mul_type(&a, &b), Fixed::new(14, 9, true));
        assert_eq!(Fixed::sub_type(&c, &c), Fixed::new(9, 4, true));
        assert_eq!(Fixed::add_type(&c, &c), Fixed::new(9, 4, false));
        assert_eq!(Fixed::add_type(&a, &c), Fixed::new(10, 5, true));
        let (i8_, u6) = (Fixed::new(8, 8, true), Fixed::new(6, 6, false));
        assert_eq!(Fixed::div_type(&i8_, &u6).width, 8);
        assert_eq!(Fixed::div_type(&u6, &u6).width, 6);
        assert_eq!(Fixed::div_type(&u6, &i8_).width, 7);
    }

    #[test]
    fn containment() {
        let s = Fixed::new(16, 6, true);
        assert!(s.contains(&Fixed::new(8, 3, true)));
        assert!(s.contains(&Fixed::new(8, 5, false)));
        assert!(!s.contains(&Fixed::new(8, 6, false)));
        assert!(!Fixed::new(16, 6, false).contains(&Fixed::new(4, 2, true)));
        assert!(!s.contains(&Fixed::new(12, 1, true)));
    }
}
