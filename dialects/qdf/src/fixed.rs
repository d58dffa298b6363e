//! `!qdf.fixed<W, I, signed, "Q", "O">`: Vitis `ap_fixed<W,I,Q,O>` / `ap_ufixed<W,I,Q,O>` values.
//!
//! A value is `mantissa * 2^-(W-I)` where the mantissa is a W-bit two's complement (signed) or unsigned
//! integer. `I` may be negative or larger than `W`, as in `ap_fixed`. Converting a value into a
//! fixed type first rounds the exact binary value to the type's grid with the type's rounding mode,
//! then applies the type's overflow mode to the rounded integer; [`FixedType::convert`] does this
//! exactly (checked bit for bit against the Xilinx headers, see the tests).
//!
//! The short text form used by flags, pass options and configs is `fixed<16,6>` or
//! `ufixed<8,0,RND,SAT>`; the modes default to `TRN` and `WRAP` like `ap_fixed`.

use std::fmt;
use std::str::FromStr;

use fpgaopt_ir::{Attribute, Type};

/// Widest type the IR accepts (Vitis' default `AP_INT_MAX_W`).
pub const MAX_WIDTH: u32 = 1024;

/// Widest mantissa the exact reference arithmetic (i128) handles; op verifiers enforce it.
pub const MAX_EXACT_BITS: u32 = 126;

/// Quantization (rounding) modes, the Xilinx names without `AP_`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Rounding {
    /// Truncate toward minus infinity (floor); the `ap_fixed` default.
    Trn,
    /// Truncate toward zero.
    TrnZero,
    /// Round to nearest, ties toward plus infinity.
    Rnd,
    /// Round to nearest, ties toward zero.
    RndZero,
    /// Round to nearest, ties toward minus infinity.
    RndMinInf,
    /// Round to nearest, ties away from zero.
    RndInf,
    /// Round to nearest, ties to even (convergent).
    RndConv,
}

/// Overflow modes, the Xilinx names without `AP_`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Overflow {
    /// Keep the low W bits (two's complement wrap-around); the `ap_fixed` default.
    Wrap,
    /// Clamp to [min, max].
    Sat,
    /// Out-of-range values become zero.
    SatZero,
    /// Clamp to [-max, max] for signed types (like `Sat` for unsigned ones).
    SatSym,
}

impl Rounding {
    pub const ALL: [Rounding; 7] = [
        Rounding::Trn,
        Rounding::TrnZero,
        Rounding::Rnd,
        Rounding::RndZero,
        Rounding::RndMinInf,
        Rounding::RndInf,
        Rounding::RndConv,
    ];

    /// The Xilinx name without `AP_`.
    pub fn name(self) -> &'static str {
        match self {
            Rounding::Trn => "TRN",
            Rounding::TrnZero => "TRN_ZERO",
            Rounding::Rnd => "RND",
            Rounding::RndZero => "RND_ZERO",
            Rounding::RndMinInf => "RND_MIN_INF",
            Rounding::RndInf => "RND_INF",
            Rounding::RndConv => "RND_CONV",
        }
    }

    /// Parses `RND` or `AP_RND`.
    pub fn parse(s: &str) -> Option<Rounding> {
        let s = s.trim().trim_start_matches("AP_");
        Rounding::ALL.into_iter().find(|r| r.name() == s)
    }

    /// The rounding increment after a floor shift: `half` is the first dropped bit, `sticky` the OR
    /// of the others, `neg` the source's sign, `lsb` the kept least significant bit
    /// (`ap_fixed_base::quantization_adjust`).
    fn increment(self, half: bool, sticky: bool, neg: bool, lsb: bool) -> bool {
        match self {
            Rounding::Trn => false,
            Rounding::TrnZero => neg && (half || sticky),
            Rounding::Rnd => half,
            Rounding::RndZero => half && (neg || sticky),
            Rounding::RndMinInf => half && sticky,
            Rounding::RndInf => half && (!neg || sticky),
            Rounding::RndConv => half && (lsb || sticky),
        }
    }
}

impl Overflow {
    pub const ALL: [Overflow; 4] = [Overflow::Wrap, Overflow::Sat, Overflow::SatZero, Overflow::SatSym];

    /// The Xilinx name without `AP_`.
    pub fn name(self) -> &'static str {
        match self {
            Overflow::Wrap => "WRAP",
            Overflow::Sat => "SAT",
            Overflow::SatZero => "SAT_ZERO",
            Overflow::SatSym => "SAT_SYM",
        }
    }

    /// Parses `SAT` or `AP_SAT`.
    pub fn parse(s: &str) -> Option<Overflow> {
        let s = s.trim().trim_start_matches("AP_");
        Overflow::ALL.into_iter().find(|o| o.name() == s)
    }
}

/// A fixed-point type: the parameters of `!qdf.fixed`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct FixedType {
    /// Total bits W, 1..=1024.
    pub width: u32,
    /// Integer bits I (including the sign bit when signed); may be negative or exceed W.
    pub int_bits: i32,
    pub signed: bool,
    pub rounding: Rounding,
    pub overflow: Overflow,
}

impl FixedType {
    /// A signed type with the `ap_fixed` default modes (TRN, WRAP).
    pub fn new(width: u32, int_bits: i32) -> FixedType {
        FixedType { width, int_bits, signed: true, rounding: Rounding::Trn, overflow: Overflow::Wrap }
    }

    /// An unsigned type with the default modes.
    pub fn unsigned(width: u32, int_bits: i32) -> FixedType {
        FixedType { signed: false, ..FixedType::new(width, int_bits) }
    }

    /// The same type with other modes.
    pub fn with_modes(self, rounding: Rounding, overflow: Overflow) -> FixedType {
        FixedType { rounding, overflow, ..self }
    }

    /// Fractional bits F = W - I: value = mantissa * 2^-F. May be negative.
    pub fn frac_bits(&self) -> i64 {
        self.width as i64 - self.int_bits as i64
    }

    /// The smallest mantissa. Only meaningful when the width fits the exact range (<= 126 bits).
    pub fn min_mantissa(&self) -> i128 {
        if self.signed {
            -(1i128 << (self.width.min(127) - 1))
        } else {
            0
        }
    }

    /// The largest mantissa. Only meaningful when the width fits the exact range (<= 126 bits).
    pub fn max_mantissa(&self) -> i128 {
        let bits = if self.signed { self.width - 1 } else { self.width };
        if bits >= 127 {
            i128::MAX
        } else {
            (1i128 << bits) - 1
        }
    }

    /// Mantissa bits as a signed integer: W when signed, W + 1 when unsigned.
    pub fn signed_bits(&self) -> u32 {
        self.width + u32::from(!self.signed)
    }

    /// True when mantissas fit the exact reference arithmetic.
    pub fn is_exact_representable(&self) -> bool {
        self.signed_bits() <= MAX_EXACT_BITS
    }

    /// The exact real value of a mantissa (rounded to f64).
    pub fn to_f64(&self, mantissa: i128) -> f64 {
        mantissa as f64 * (2f64).powi(-self.frac_bits() as i32)
    }

    /// The value of a mantissa as the nearest f32, ties to even (`ap_fixed::to_float`).
    pub fn to_f32(&self, mantissa: i128) -> f32 {
        // `i128 as f32` rounds once to nearest-even; scaling by a power of two is then exact
        // unless the result leaves f32's normal range.
        let m = mantissa as f32;
        let mut e = -self.frac_bits();
        let mut v = m;
        while e > 0 {
            let s = e.min(100);
            v *= (2f32).powi(s as i32);
            e -= s;
        }
        while e < 0 {
            let s = (-e).min(100);
            v *= (2f32).powi(-(s as i32));
            e += s;
        }
        v
    }

    /// Converts the exact value `m * 2^-from_frac` into this type: round to the grid with
    /// [`Rounding`], then apply [`Overflow`] (what `ap_fixed` assignment does).
    pub fn convert(&self, m: i128, from_frac: i64) -> i128 {
        let shift = self.frac_bits() - from_frac;
        if shift >= 0 {
            return self.overflow(shl_exact(m, shift as u64));
        }
        let s = (-shift) as u64;
        let (q, half, sticky) = shr_parts(m, s);
        let inc = self.rounding.increment(half, sticky, m < 0, q & 1 != 0);
        self.overflow(Wide::Exact(q + i128::from(inc)))
    }

    /// Fixed -> fixed conversion of a mantissa of type `from` into this type (`ap_fixed` assignment).
    pub fn cast(&self, mantissa: i128, from: &FixedType) -> i128 {
        self.convert(mantissa, from.frac_bits())
    }

    /// Quantizes a double exactly as `ap_fixed`'s constructor from `double`: rounding on the exact
    /// binary value, then overflow. NaN gives 0; infinities behave like +-2^1024.
    pub fn quantize_f64(&self, x: f64) -> i128 {
        if x.is_nan() || x == 0.0 {
            return 0;
        }
        if x.is_infinite() {
            return self.overflow(Wide::Huge(x < 0.0));
        }
        let bits = x.to_bits();
        let exp = ((bits >> 52) & 0x7ff) as i64;
        let frac = (bits & ((1u64 << 52) - 1)) as i128;
        let (man, e) = if exp == 0 { (frac, -1074) } else { (frac | (1i128 << 52), exp - 1075) };
        let man = if x < 0.0 { -man } else { man };
        // x = man * 2^e = man * 2^-(-e).
        self.convert(man, -e)
    }

    /// Applies the overflow mode to a rounded mantissa.
    fn overflow(&self, v: Wide) -> i128 {
        let (min, max) = (self.min_mantissa(), self.max_mantissa());
        if let Wide::Exact(x) = v {
            // SAT_SYM also moves the most negative value.
            if x >= min && x <= max && !(self.overflow == Overflow::SatSym && self.signed && x == min) {
                return x;
            }
        }
        match self.overflow {
            Overflow::Wrap => match v {
                Wide::Exact(x) => wrap(x, self.width, self.signed),
                // Huge values are multiples of 2^W: their low W bits are zero.
                Wide::Huge(_) | Wide::Shifted(..) => match v {
                    Wide::Shifted(x, s) if s < self.width as u64 => wrap(x.wrapping_shl(s as u32), self.width, self.signed),
                    _ => 0,
                },
            },
            Overflow::Sat => {
                if v.is_negative() {
                    min
                } else {
                    max
                }
            }
            Overflow::SatZero => 0,
            Overflow::SatSym => {
                if v.is_negative() {
                    // ap_fixed sets the pattern 10...01, which is min itself for W = 1.
                    match (self.signed, self.width) {
                        (false, _) => 0,
                        (true, 1) => min,
                        (true, _) => -max,
                    }
                } else {
                    max
                }
            }
        }
    }

    /// The type as `!qdf.fixed<W, I, signed, "Q", "O">`.
    pub fn to_type(&self) -> Type {
        Type::dialect(
            "qdf",
            "fixed",
            vec![
                Attribute::i64(self.width as i64),
                Attribute::i64(self.int_bits as i64),
                Attribute::Bool(self.signed),
                Attribute::str(self.rounding.name()),
                Attribute::str(self.overflow.name()),
            ],
        )
    }

    /// Reads a `!qdf.fixed` type (integers of any integer type are accepted, e.g. `16 : i64`).
    pub fn from_type(t: &Type) -> Option<FixedType> {
        let d = t.as_dialect("qdf", "fixed")?;
        FixedType::from_params(&d.params).ok()
    }

    /// Reads the element type of a tensor of `!qdf.fixed`.
    pub fn of_tensor(t: &Type) -> Option<FixedType> {
        FixedType::from_type(t.element()?)
    }

    /// Reads and checks the five type parameters.
    pub fn from_params(p: &[Attribute]) -> Result<FixedType, String> {
        let [w, i, s, q, o] = p else { return Err(format!("expected 5 parameters, found {}", p.len())) };
        let w = w.as_int().ok_or("width must be an integer")?;
        let i = i.as_int().ok_or("int_bits must be an integer")?;
        let signed = s.as_bool().ok_or("signed must be true or false")?;
        let q = q.as_str().ok_or("rounding must be a string")?;
        let o = o.as_str().ok_or("overflow must be a string")?;
        if !(1..=MAX_WIDTH as i64).contains(&w) {
            return Err(format!("width {w} is outside 1..={MAX_WIDTH}"));
        }
        if i.unsigned_abs() > 1 << 20 {
            return Err(format!("int_bits {i} is out of range"));
        }
        let rounding = Rounding::parse(q).filter(|_| !q.starts_with("AP_")).ok_or_else(|| {
            format!("unknown rounding mode \"{q}\" (expected one of TRN, TRN_ZERO, RND, RND_ZERO, RND_MIN_INF, RND_INF, RND_CONV)")
        })?;
        let overflow = Overflow::parse(o)
            .filter(|_| !o.starts_with("AP_"))
            .ok_or_else(|| format!("unknown overflow mode \"{o}\" (expected one of WRAP, SAT, SAT_ZERO, SAT_SYM)"))?;
        Ok(FixedType { width: w as u32, int_bits: i as i32, signed, rounding, overflow })
    }

    /// The C++ spelling, `ap_fixed<16, 6, AP_RND, AP_SAT>` (modes only when not the defaults).
    pub fn cpp(&self) -> String {
        let base = if self.signed { "ap_fixed" } else { "ap_ufixed" };
        if self.rounding == Rounding::Trn && self.overflow == Overflow::Wrap {
            format!("{base}<{}, {}>", self.width, self.int_bits)
        } else {
            format!("{base}<{}, {}, AP_{}, AP_{}>", self.width, self.int_bits, self.rounding.name(), self.overflow.name())
        }
    }
}

/// `fixed<16,6>` / `ufixed<8,0,RND,SAT>`: modes printed only when not both default.
impl fmt::Display for FixedType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = if self.signed { "fixed" } else { "ufixed" };
        write!(f, "{base}<{},{}", self.width, self.int_bits)?;
        if self.rounding != Rounding::Trn || self.overflow != Overflow::Wrap {
            write!(f, ",{},{}", self.rounding.name(), self.overflow.name())?;
        }
        write!(f, ">")
    }
}

/// Parses `fixed<W,I>`, `fixed<W,I,Q>`, `fixed<W,I,Q,O>`, `ufixed<...>`; also `ap_fixed<...>`,
/// `AP_`-prefixed modes, and the full `!qdf.fixed<W, I, signed, "Q", "O">` spelling.
impl FromStr for FixedType {
    type Err = String;

    fn from_str(text: &str) -> Result<FixedType, String> {
        let err = |m: &str| format!("invalid fixed-point type '{text}': {m}");
        let s = text.trim();
        let (head, rest) = s.split_once('<').ok_or_else(|| err("expected 'fixed<W,I>'"))?;
        let body = rest.trim_end().strip_suffix('>').ok_or_else(|| err("missing '>'"))?;
        let parts: Vec<&str> = body.split(',').map(str::trim).collect();
        let int = |p: &str, what: &str| -> Result<i64, String> {
            let p = p.split(':').next().unwrap_or(p).trim();
            p.parse::<i64>().map_err(|_| err(&format!("{what} '{p}' is not an integer")))
        };
        let unquote = |p: &str| p.trim_matches('"').to_string();
        let params = match head.trim() {
            "!qdf.fixed" => {
                if parts.len() != 5 {
                    return Err(err("'!qdf.fixed' takes 5 parameters"));
                }
                let signed = match parts[2] {
                    "true" => true,
                    "false" => false,
                    p => return Err(err(&format!("signed '{p}' is not true or false"))),
                };
                vec![
                    Attribute::i64(int(parts[0], "width")?),
                    Attribute::i64(int(parts[1], "int_bits")?),
                    Attribute::Bool(signed),
                    Attribute::str(unquote(parts[3])),
                    Attribute::str(unquote(parts[4])),
                ]
            }
            h @ ("fixed" | "ufixed" | "ap_fixed" | "ap_ufixed") => {
                if !(2..=4).contains(&parts.len()) {
                    return Err(err("expected 2 to 4 parameters: W, I, rounding, overflow"));
                }
                let q = parts.get(2).map_or("TRN".to_string(), |p| unquote(p).trim_start_matches("AP_").to_string());
                let o = parts.get(3).map_or("WRAP".to_string(), |p| unquote(p).trim_start_matches("AP_").to_string());
                vec![
                    Attribute::i64(int(parts[0], "width")?),
                    Attribute::i64(int(parts[1], "int_bits")?),
                    Attribute::Bool(!h.ends_with("ufixed")),
                    Attribute::str(q),
                    Attribute::str(o),
                ]
            }
            h => return Err(err(&format!("unknown type name '{h}' (expected fixed or ufixed)"))),
        };
        FixedType::from_params(&params).map_err(|m| err(&m))
    }
}

/// A rounded mantissa that may exceed i128.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Wide {
    Exact(i128),
    /// `x << s`, too wide for i128 (s >= 1, x != 0).
    Shifted(i128, u64),
    /// A huge magnitude whose low bits are all zero (infinities); the flag is the sign.
    Huge(bool),
}

impl Wide {
    fn is_negative(self) -> bool {
        match self {
            Wide::Exact(x) | Wide::Shifted(x, _) => x < 0,
            Wide::Huge(neg) => neg,
        }
    }
}

/// `m << s`, exact when it fits i128.
fn shl_exact(m: i128, s: u64) -> Wide {
    if m == 0 || s == 0 {
        return Wide::Exact(m);
    }
    if s < 127 {
        let r = m << s;
        if r >> s == m {
            return Wide::Exact(r);
        }
    }
    Wide::Shifted(m, s)
}

/// Splits `m * 2^-s` (s >= 1) into floor `q`, the first dropped bit and the OR of the others.
fn shr_parts(m: i128, s: u64) -> (i128, bool, bool) {
    if s <= 127 {
        let q = if s == 127 { if m < 0 { -1 } else { 0 } } else { m >> s };
        let rem = (m as u128) & ((1u128 << s) - 1);
        let half = (rem >> (s - 1)) & 1 == 1;
        let sticky = rem & ((1u128 << (s - 1)) - 1) != 0;
        (q, half, sticky)
    } else if m >= 0 {
        // Below 2^127 * 2^-128 = 1/2: no half bit.
        (0, false, m != 0)
    } else {
        // The dropped bits are m's sign extension followed by its bits: half is set; the rest
        // are zero only for m = -2^127 shifted by exactly 128.
        (-1, true, !(s == 128 && m == i128::MIN))
    }
}

/// The low `w` bits of `x` as a signed or unsigned integer.
fn wrap(x: i128, w: u32, signed: bool) -> i128 {
    if w >= 128 {
        return x;
    }
    let low = (x as u128) & ((1u128 << w) - 1);
    if signed && (low >> (w - 1)) & 1 == 1 {
        (low | !((1u128 << w) - 1)) as i128
    } else {
        low as i128
    }
}

/// The fixed type that holds every exact sum or difference of values of `a` and `b`.
pub fn exact_add_type(a: &FixedType, b: &FixedType) -> FixedType {
    let f = a.frac_bits().max(b.frac_bits());
    let ia = a.signed_bits() as i64 - a.frac_bits();
    let ib = b.signed_bits() as i64 - b.frac_bits();
    let i = ia.max(ib) + 1;
    FixedType::new((i + f).clamp(1, u32::MAX as i64) as u32, i as i32)
}

/// The fixed type that holds every exact product of values of `a` and `b`.
pub fn exact_mul_type(a: &FixedType, b: &FixedType) -> FixedType {
    let w = a.signed_bits() + b.signed_bits();
    let i = (a.signed_bits() as i64 - a.frac_bits()) + (b.signed_bits() as i64 - b.frac_bits());
    FixedType::new(w, i as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(w: u32, i: i32, signed: bool, q: Rounding, o: Overflow) -> FixedType {
        FixedType { width: w, int_bits: i, signed, rounding: q, overflow: o }
    }

    #[test]
    fn rounding_modes_on_ties() {
        use Rounding::*;
        // fixed<8,7>: one fractional bit dropped from x.5 values -> LSB 1.
        let cases: [(Rounding, [i128; 6]); 7] = [
            // inputs:  2.5, 3.5, -2.5, -3.5, 2.25 (not a tie), -2.75 (not a tie)
            (Trn, [2, 3, -3, -4, 2, -3]),
            (TrnZero, [2, 3, -2, -3, 2, -2]),
            (Rnd, [3, 4, -2, -3, 2, -3]),
            (RndZero, [2, 3, -2, -3, 2, -3]),
            (RndMinInf, [2, 3, -3, -4, 2, -3]),
            (RndInf, [3, 4, -3, -4, 2, -3]),
            (RndConv, [2, 4, -2, -4, 2, -3]),
        ];
        for (q, want) in cases {
            let t = ty(8, 8, true, q, Overflow::Wrap);
            let got: Vec<i128> = [2.5, 3.5, -2.5, -3.5, 2.25, -2.75].iter().map(|&x| t.quantize_f64(x)).collect();
            assert_eq!(got, want, "{q:?}");
        }
    }

    #[test]
    fn overflow_modes() {
        use Overflow::*;
        let t = |o| ty(4, 4, true, Rounding::Trn, o); // integers in [-8, 7]
        assert_eq!(t(Wrap).quantize_f64(9.0), -7);
        assert_eq!(t(Wrap).quantize_f64(-9.0), 7);
        assert_eq!(t(Sat).quantize_f64(9.0), 7);
        assert_eq!(t(Sat).quantize_f64(-9.0), -8);
        assert_eq!(t(SatZero).quantize_f64(100.0), 0);
        assert_eq!(t(SatSym).quantize_f64(-9.0), -7);
        assert_eq!(t(SatSym).quantize_f64(-8.0), -7, "SAT_SYM excludes the most negative value");
        assert_eq!(t(Sat).quantize_f64(f64::INFINITY), 7);
        assert_eq!(t(Wrap).quantize_f64(f64::NAN), 0);
        let u = |o| ty(4, 4, false, Rounding::Trn, o); // [0, 15]
        assert_eq!(u(Wrap).quantize_f64(-1.0), 15);
        assert_eq!(u(Sat).quantize_f64(-1.0), 0);
        assert_eq!(u(SatSym).quantize_f64(16.0), 15);
        // Rounding happens before overflow: 7.5 rounds to 8, which saturates.
        assert_eq!(ty(4, 4, true, Rounding::Rnd, Sat).quantize_f64(7.5), 7);
        assert_eq!(ty(4, 4, true, Rounding::Rnd, Wrap).quantize_f64(7.5), -8);
    }

    #[test]
    fn casts_between_types() {
        let src = FixedType::new(16, 6); // 10 fractional bits
        let dst = ty(8, 3, true, Rounding::Rnd, Overflow::Sat); // 5 fractional bits
        assert_eq!(dst.cast(1 << 10, &src), 32); // 1.0
        assert_eq!(dst.cast(-(3 << 9), &src), -48); // -1.5
        assert_eq!(dst.cast(16 + 32, &src), 2); // 0.046875 = 1.5 LSB -> 2 (tie up)
        assert_eq!(dst.cast(i16::MAX as i128, &src), 127); // saturates
        // Negative integer bits and more integer than total bits.
        assert_eq!(FixedType::new(4, -2).frac_bits(), 6);
        assert_eq!(FixedType::new(4, 8).quantize_f64(40.0), 2); // LSB 16
        assert_eq!(FixedType::new(4, 8).cast(5, &FixedType::new(8, 8)), 0); // 5 -> floor(5/16)
        // Wide shifts.
        assert_eq!(FixedType::new(8, 8).convert(1, -200), 0); // wraps to 0
        assert_eq!(ty(8, 8, true, Rounding::Trn, Overflow::Sat).convert(-1, -200), -128);
        assert_eq!(FixedType::new(8, 8).convert(-1, 300), -1); // floor of a tiny negative
        assert_eq!(ty(8, 8, true, Rounding::RndZero, Overflow::Wrap).convert(-1, 300), 0);
        assert_eq!(FixedType::new(100, 50).convert(3, 0), 3 << 50);
    }

    #[test]
    fn matches_xilinx_headers() {
        let parse = |s: &str| -> FixedType {
            let p: Vec<&str> = s.split(',').collect();
            let mut t = FixedType::new(p[0].parse().unwrap(), p[1].parse().unwrap());
            t.signed = p[2] == "1";
            if p.len() == 5 {
                t.rounding = Rounding::parse(p[3]).unwrap();
                t.overflow = Overflow::parse(p[4]).unwrap();
            }
            t
        };
        let text = include_str!("testdata/ap_fixed_vectors.txt");
        let mut n = 0;
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split(' ').collect();
            let t = parse(f[1]);
            let want: u64 = f[f.len() - 1].parse().unwrap();
            let got = if f[0] == "D" {
                t.quantize_f64(f64::from_bits(u64::from_str_radix(f[2], 16).unwrap()))
            } else {
                t.cast(f[3].parse().unwrap(), &parse(f[2]))
            };
            let mask = if t.width >= 64 { u64::MAX } else { (1u64 << t.width) - 1 };
            assert_eq!(got as u64 & mask, want, "{line}: got mantissa {got}");
            assert!(got >= t.min_mantissa() && got <= t.max_mantissa(), "{line}");
            n += 1;
        }
        assert!(n > 2000);
    }

    #[test]
    fn to_f32_rounds_once_to_nearest_even() {
        let t = FixedType::new(40, 30);
        assert_eq!(t.to_f32(3 << 9), 1.5);
        // 2^25 + 1 and + 3 units of 2^0: ties to even in f32 (24-bit significand).
        let u = FixedType::new(40, 40);
        assert_eq!(u.to_f32((1 << 25) + 2), 33554432.0);
        assert_eq!(u.to_f32((1 << 25) + 6), 33554440.0);
        assert_eq!(FixedType::new(8, -100).to_f32(1), (2f32).powi(-108));
    }

    #[test]
    fn text_forms() {
        let t: FixedType = "fixed<16,6>".parse().unwrap();
        assert_eq!(t, FixedType::new(16, 6));
        assert_eq!(t.to_string(), "fixed<16,6>");
        let u: FixedType = "ufixed<8, 0, RND, SAT>".parse().unwrap();
        assert_eq!(u, FixedType::unsigned(8, 0).with_modes(Rounding::Rnd, Overflow::Sat));
        assert_eq!(u.to_string(), "ufixed<8,0,RND,SAT>");
        assert_eq!("ap_fixed<8,3,AP_RND_CONV>".parse::<FixedType>().unwrap().rounding, Rounding::RndConv);
        let q: FixedType = "!qdf.fixed<16 : i64, 6 : i64, true, \"RND\", \"SAT\">".parse().unwrap();
        assert_eq!(q, FixedType::new(16, 6).with_modes(Rounding::Rnd, Overflow::Sat));
        assert_eq!(q.cpp(), "ap_fixed<16, 6, AP_RND, AP_SAT>");
        for bad in ["fixed<0,0>", "fixed<2000,1>", "fixed<8>", "fixed<8,1,RNDX>", "int<8,1>", "fixed<8,1", "fixed<a,1>"] {
            assert!(bad.parse::<FixedType>().is_err(), "{bad}");
        }
        // Type round trip, integer parameters of any integer type.
        assert_eq!(FixedType::from_type(&q.to_type()), Some(q));
        let i32_params = Type::dialect(
            "qdf",
            "fixed",
            vec![Attribute::Int(8, Type::I32), Attribute::i64(1), Attribute::Bool(false), Attribute::str("TRN"), Attribute::str("WRAP")],
        );
        assert_eq!(FixedType::from_type(&i32_params), Some(FixedType::unsigned(8, 1)));
        assert!(FixedType::from_params(&[Attribute::i64(8), Attribute::i64(1), Attribute::Bool(true), Attribute::str("AP_RND"), Attribute::str("WRAP")]).is_err());
    }

    #[test]
    fn exact_intermediate_types() {
        let a = FixedType::new(16, 6);
        let b = FixedType::unsigned(8, 1);
        assert_eq!(exact_mul_type(&a, &b), FixedType::new(25, 8));
        assert_eq!(exact_add_type(&a, &b), FixedType::new(17, 7));
    }
}
