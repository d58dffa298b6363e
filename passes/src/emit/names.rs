//! C++ spellings: identifiers made from model names, typedef names for scalar types, literals.

use std::collections::HashSet;

use fpgaopt_hls::{Fixed, Scalar};
use fpgaopt_ir::Type;

/// C and C++ keywords and names the generated code uses, which no model name may take.
const RESERVED: &[&str] = &[
    "alignas", "alignof", "and", "asm", "auto", "bool", "break", "case", "catch", "char", "class", "const", "constexpr",
    "continue", "decltype", "default", "delete", "do", "double", "else", "enum", "explicit", "export", "extern", "false",
    "float", "for", "friend", "goto", "if", "inline", "int", "long", "main", "mutable", "namespace", "new", "noexcept",
    "not", "nullptr", "operator", "or", "private", "protected", "public", "register", "return", "short", "signed",
    "sizeof", "static", "struct", "switch", "template", "this", "throw", "true", "try", "typedef", "typename", "union",
    "unsigned", "using", "virtual", "void", "volatile", "while", "xor", "std", "ap_fixed", "ap_ufixed", "ap_int", "ap_uint",
    "abs", "ceil", "cos", "div", "exp", "fabs", "floor", "log", "max", "min", "pow", "round", "sin", "sqrt", "tanh",
    "printf", "fopen", "fread", "fwrite", "fclose", "assert", "NULL", "from_bits",
];

/// Turns any name into a C identifier: invalid characters become `_`, a leading digit gets a prefix,
/// keywords get a trailing `_`.
pub fn c_identifier(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '_' };
        if !(c == '_' && (s.is_empty() || s.ends_with('_'))) {
            s.push(c);
        }
    }
    while s.ends_with('_') {
        s.pop();
    }
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'v');
    }
    if RESERVED.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Hands out unique identifiers within a scope.
#[derive(Clone, Default)]
pub struct Namer {
    used: HashSet<String>,
}

impl Namer {
    /// Claims a name as is (it must be free); false if it was taken.
    pub fn claim(&mut self, name: &str) -> bool {
        self.used.insert(name.to_string())
    }

    /// A fresh identifier made from `hint`: the hint itself, or the hint with a number appended.
    pub fn fresh(&mut self, hint: &str) -> String {
        let base = c_identifier(hint);
        if self.used.insert(base.clone()) {
            return base;
        }
        let sep = if base.ends_with(|c: char| c.is_ascii_digit()) { "_" } else { "" };
        (2..)
            .map(|i| format!("{base}{sep}{i}"))
            .find(|n| self.used.insert(n.clone()))
            .unwrap_or(base)
    }
}

/// The typedef name of a fixed or integer type: `fixed_16_6_t`, `ufixed_8_0_rnd_sat_t`, `int_17_t`.
pub fn typedef_name(s: &Scalar) -> Option<String> {
    match s {
        Scalar::Fixed(f) => {
            let base = if f.signed { "fixed" } else { "ufixed" };
            let i = if f.int_bits < 0 { format!("m{}", -f.int_bits) } else { f.int_bits.to_string() };
            let modes = if f.default_modes() {
                String::new()
            } else {
                format!("_{}_{}", f.quant.to_lowercase(), f.overflow.to_lowercase())
            };
            Some(format!("{base}_{}_{i}{modes}_t", f.width))
        }
        Scalar::Int { width, signed } => Some(format!("{}int_{width}_t", if *signed { "" } else { "u" })),
        _ => None,
    }
}

/// The C++ definition behind a typedef: `ap_fixed<16, 6>`, `ap_uint<17>`.
pub fn cpp_definition(s: &Scalar) -> Option<String> {
    match s {
        Scalar::Fixed(f) => Some(f.cpp()),
        Scalar::Int { width, signed } => Some(format!("ap_{}int<{width}>", if *signed { "" } else { "u" })),
        _ => None,
    }
}

/// The C++ spelling of a scalar type: a typedef name, `float`, `bool` or `int`.
pub fn cpp_type(t: &Type) -> Option<String> {
    let s = Scalar::of(t)?;
    Some(match s {
        Scalar::F32 => "float".into(),
        Scalar::Bool => "bool".into(),
        Scalar::Index => "int".into(),
        other => typedef_name(&other)?,
    })
}

/// The readable C++ spelling for reports: `ap_fixed<16, 6>`, `float`, ...
pub fn cpp_spelling(t: &Type) -> String {
    match Scalar::of(t) {
        Some(s @ (Scalar::Fixed(_) | Scalar::Int { .. })) => cpp_definition(&s).unwrap_or_default(),
        Some(_) => cpp_type(t).unwrap_or_default(),
        None => match fpgaopt_hls::ArrayType::from_type(t) {
            Some(a) => format!("{}{}", cpp_spelling(&a.elem), a.dims.iter().map(|d| format!("[{d}]")).collect::<String>()),
            None => t.to_string(),
        },
    }
}

/// The exact value of a fixed-point mantissa as a C++ literal that converts back without rounding
/// (`0.1875`, `-3`, `1.52587890625e-5`); `None` when the value needs more than a double's 53 bits.
pub fn fixed_literal(f: &Fixed, mantissa: i64) -> Option<String> {
    if mantissa.unsigned_abs() >= 1 << 53 {
        return None;
    }
    let v = mantissa as f64 * (2f64).powi(-(f.frac_bits().clamp(-1100, 1100) as i32));
    if !v.is_finite() || (v != 0.0 && v.abs() < f64::MIN_POSITIVE) || (v / (2f64).powi(-(f.frac_bits() as i32))) != mantissa as f64 {
        return None;
    }
    Some(float_literal(v))
}

/// A double as a C++ literal that reads back to the same double.
pub fn float_literal(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 2147483648.0 {
        return format!("{}", v as i64);
    }
    let s = format!("{v:?}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// An f32 as a C++ `float` literal that reads back to the same float (`0.1f`, `-3.0f`, `1e-7f`).
pub fn f32_literal(v: f32) -> String {
    let s = format!("{v:?}");
    if s.contains(['.', 'e']) {
        format!("{s}f")
    } else {
        format!("{s}.0f")
    }
}

/// The native C++ integer type holding a `width`-bit mantissa: `short` for `ap_fixed<16, 6>`,
/// `unsigned char` for `ap_ufixed<8, 3>`; `None` beyond 64 bits.
pub fn native_int(width: u32, signed: bool) -> Option<String> {
    let base = match width {
        0..=8 => "char",
        9..=16 => "short",
        17..=32 => "int",
        33..=64 => "long long",
        _ => return None,
    };
    Some(match (signed, base) {
        (true, "char") => "signed char".into(),
        (true, b) => b.into(),
        (false, "int") => "unsigned".into(),
        (false, b) => format!("unsigned {b}"),
    })
}

/// An integer literal of any `i64` value (`LL` beyond `int`).
pub fn int_literal(v: i64) -> String {
    if i32::try_from(v).is_ok() {
        v.to_string()
    } else if v == i64::MIN {
        "(-9223372036854775807LL - 1)".into()
    } else {
        format!("{v}LL")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers() {
        assert_eq!(c_identifier("dense/1:0"), "dense_1_0");
        assert_eq!(c_identifier("1st"), "v1st");
        assert_eq!(c_identifier("float"), "float_");
        assert_eq!(c_identifier("__x"), "x");
        let mut n = Namer::default();
        assert_eq!(n.fresh("x"), "x");
        assert_eq!(n.fresh("x"), "x2");
        assert_eq!(n.fresh("fc1"), "fc1");
        assert_eq!(n.fresh("fc1"), "fc1_2");
    }

    #[test]
    fn literals_are_exact() {
        let f = Fixed::new(8, 3, true);
        assert_eq!(fixed_literal(&f, 6).as_deref(), Some("0.1875"));
        assert_eq!(fixed_literal(&f, -64).as_deref(), Some("-2"));
        assert_eq!(fixed_literal(&Fixed::new(16, -4, true), 1).as_deref(), Some("9.5367431640625e-7"));
        assert_eq!(fixed_literal(&Fixed::new(8, 12, true), 3).as_deref(), Some("48"));
        assert_eq!(typedef_name(&Scalar::Fixed(Fixed::new(8, -2, false).with_modes("RND", "SAT"))).as_deref(), Some("ufixed_8_m2_rnd_sat_t"));
    }
}
