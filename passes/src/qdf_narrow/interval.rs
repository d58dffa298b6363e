//! Intervals of exact fixed-point values and how `convert<T>` maps them.
//!
//! An [`Interval`] holds mantissas on one grid (the grid is the caller's: a type's `2^-F`). Sums and
//! products saturate at the ends of `i128`; a saturated end is still a sound bound and lies outside
//! every type's range, so the narrowing rules treat it as "may overflow" and change nothing.

use std::ops::{Add, Mul, Sub};

use fpgaopt_qdf::{FixedType, Overflow};

/// A closed interval `[lo, hi]` of mantissas (`lo <= hi`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Interval {
    pub lo: i128,
    pub hi: i128,
}

impl Interval {
    /// `[lo, hi]`; the ends are swapped when given in the wrong order.
    pub fn new(lo: i128, hi: i128) -> Interval {
        Interval { lo: lo.min(hi), hi: lo.max(hi) }
    }

    /// The single value `v`.
    pub fn point(v: i128) -> Interval {
        Interval { lo: v, hi: v }
    }

    /// Every mantissa of `t`.
    pub fn of_type(t: &FixedType) -> Interval {
        Interval { lo: t.min_mantissa(), hi: t.max_mantissa() }
    }

    /// The smallest interval holding both.
    pub fn hull(self, o: Interval) -> Interval {
        Interval { lo: self.lo.min(o.lo), hi: self.hi.max(o.hi) }
    }

    /// The same values on a grid `s` bits finer: mantissas times `2^s` (callers pass `s >= 0`).
    pub fn finer(self, s: i64) -> Interval {
        debug_assert!(s >= 0, "shl by {s}");
        let f = |v: i128| if s >= 127 && v != 0 { if v < 0 { i128::MIN } else { i128::MAX } } else { v.saturating_mul(1i128 << s.clamp(0, 126)) };
        Interval { lo: f(self.lo), hi: f(self.hi) }
    }

    /// `{max(x, 0)}`.
    pub fn relu(self) -> Interval {
        Interval { lo: self.lo.max(0), hi: self.hi.max(0) }
    }

    /// `{clamp(x, min, max)}` (the clamp is monotone).
    pub fn clamp(self, min: Option<i128>, max: Option<i128>) -> Interval {
        let c = |v: i128| {
            let v = min.map_or(v, |m| v.max(m));
            max.map_or(v, |m| v.min(m))
        };
        Interval::new(c(self.lo), c(self.hi))
    }

    /// True when every value of `self` lies in `o`.
    pub fn within(self, o: Interval) -> bool {
        o.lo <= self.lo && self.hi <= o.hi
    }
}

/// `{a + b}`.
impl Add for Interval {
    type Output = Interval;
    fn add(self, o: Interval) -> Interval {
        Interval { lo: self.lo.saturating_add(o.lo), hi: self.hi.saturating_add(o.hi) }
    }
}

/// `{a - b}`.
impl Sub for Interval {
    type Output = Interval;
    fn sub(self, o: Interval) -> Interval {
        Interval { lo: self.lo.saturating_sub(o.hi), hi: self.hi.saturating_sub(o.lo) }
    }
}

/// `{a * b}`: the extremes lie at the corners.
impl Mul for Interval {
    type Output = Interval;
    fn mul(self, o: Interval) -> Interval {
        let c = [self.lo.saturating_mul(o.lo), self.lo.saturating_mul(o.hi), self.hi.saturating_mul(o.lo), self.hi.saturating_mul(o.hi)];
        Interval { lo: *c.iter().min().unwrap_or(&0), hi: *c.iter().max().unwrap_or(&0) }
    }
}

/// The image of the exact values `iv * 2^-from_frac` under `convert<t>`, and whether the
/// conversion may overflow for some of them.
///
/// Every `ap_fixed` rounding mode is monotone, so the rounded values fill `[round(lo), round(hi)]`
/// (the rounding of an end is computed in a type as fine as `t` that saturates far beyond it). When that
/// interval lies inside the mantissas `t` keeps unchanged, no value overflows and it is the image;
/// otherwise SAT clamps (monotone too) and the other modes give `t`'s whole range.
pub fn convert(t: &FixedType, iv: Interval, from_frac: i64) -> (Interval, bool) {
    let wide = FixedType { width: 127, int_bits: (127 - t.frac_bits()).clamp(-(1 << 20), 1 << 20) as i32, signed: true, overflow: Overflow::Sat, ..*t };
    let r = Interval::new(wide.convert(iv.lo, from_frac), wide.convert(iv.hi, from_frac));
    let keep = kept(t);
    if r.within(keep) {
        return (r, false);
    }
    let clamped = match t.overflow {
        Overflow::Sat => r.clamp(Some(t.min_mantissa()), Some(t.max_mantissa())),
        Overflow::SatSym => r.clamp(Some(keep.lo), Some(t.max_mantissa())),
        _ => Interval::of_type(t),
    };
    (clamped, true)
}

/// The mantissas `t`'s overflow mode leaves unchanged: its range, without the most negative value
/// under SAT_SYM (which moves it to `-max`).
pub fn kept(t: &FixedType) -> Interval {
    let lo = if t.overflow == Overflow::SatSym && t.signed { t.min_mantissa() + 1 } else { t.min_mantissa() };
    Interval { lo, hi: t.max_mantissa() }
}

/// The narrowest type on `f` fractional bits holding every mantissa of `iv`: unsigned when
/// `iv.lo >= 0`, signed otherwise, at least one bit. `None` when no type of at most
/// [`fpgaopt_qdf::fixed::MAX_EXACT_BITS`] bits does.
pub fn fitting_type(iv: Interval, f: i64, signed: bool) -> Option<FixedType> {
    let bitlen = |v: i128| 128 - v.leading_zeros();
    let w = if iv.lo >= 0 && !signed {
        bitlen(iv.hi).max(1)
    } else {
        // -2^(w-1) <= lo and hi <= 2^(w-1) - 1.
        let neg = if iv.lo < 0 { bitlen(-(iv.lo + 1)) } else { 0 };
        neg.max(bitlen(iv.hi.max(0))) + 1
    };
    if w > fpgaopt_qdf::fixed::MAX_EXACT_BITS - 2 {
        return None;
    }
    let t = FixedType::new(w, (w as i64 - f) as i32);
    Some(if iv.lo >= 0 && !signed { FixedType { signed: false, ..t } } else { t })
}

/// Trailing zero bits common to every non-zero value (`u32::MAX` when all are zero).
pub fn common_trailing_zeros(values: impl IntoIterator<Item = i128>) -> u32 {
    values.into_iter().filter(|&v| v != 0).map(|v| v.trailing_zeros()).min().unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fpgaopt_qdf::Rounding;

    #[test]
    fn arithmetic_takes_the_corners() {
        let a = Interval::new(-3, 5);
        let b = Interval::new(2, 4);
        assert_eq!(a + b, Interval::new(-1, 9));
        assert_eq!(a - b, Interval::new(-7, 3));
        assert_eq!(a * b, Interval::new(-12, 20));
        assert_eq!(a * Interval::point(-2), Interval::new(-10, 6));
        assert_eq!(a.relu(), Interval::new(0, 5));
        assert_eq!(a.clamp(Some(-1), Some(2)), Interval::new(-1, 2));
        assert_eq!(a.finer(3), Interval::new(-24, 40));
        assert_eq!(Interval::new(5, -1), Interval::new(-1, 5));
    }

    #[test]
    fn saturated_ends_stay_sound() {
        let big = Interval::point(i128::MAX / 2 + 1);
        assert_eq!((big + big).hi, i128::MAX);
        assert_eq!((big * Interval::point(-4)).lo, i128::MIN);
        assert_eq!(Interval::point(1).finer(200).hi, i128::MAX);
    }

    #[test]
    fn conversion_rounds_the_ends_then_checks_overflow() {
        // fixed<8,4>: 4 fractional bits, mantissas [-128, 127]; the source has 6 fractional bits.
        let t = FixedType::new(8, 4).with_modes(Rounding::Rnd, Overflow::Wrap);
        assert_eq!(convert(&t, Interval::new(-6, 10), 6), (Interval::new(-1, 3), false));
        // 511 / 4 = 127.75 rounds to 128: overflow, WRAP gives the whole range.
        assert_eq!(convert(&t, Interval::new(0, 511), 6), (Interval::of_type(&t), true));
        let sat = t.with_modes(Rounding::Trn, Overflow::Sat);
        assert_eq!(convert(&sat, Interval::new(-1000, 511), 6), (Interval::new(-128, 127), true));
        // SAT_SYM moves the most negative mantissa: -128 overflows.
        let sym = FixedType::new(8, 8).with_modes(Rounding::Trn, Overflow::SatSym);
        assert_eq!(convert(&sym, Interval::new(-128, 0), 0), (Interval::new(-127, 0), true));
        assert_eq!(convert(&sym, Interval::new(-127, 0), 0), (Interval::new(-127, 0), false));
    }

    #[test]
    fn fitting_types_are_the_narrowest() {
        assert_eq!(fitting_type(Interval::new(0, 255), 0, false), Some(FixedType::unsigned(8, 8)));
        assert_eq!(fitting_type(Interval::new(0, 256), 2, false), Some(FixedType::unsigned(9, 7)));
        assert_eq!(fitting_type(Interval::new(-128, 127), 0, false), Some(FixedType::new(8, 8)));
        assert_eq!(fitting_type(Interval::new(-129, 0), 0, false), Some(FixedType::new(9, 9)));
        assert_eq!(fitting_type(Interval::new(-1, 0), 3, false), Some(FixedType::new(1, -2)));
        assert_eq!(fitting_type(Interval::new(0, 0), 0, false), Some(FixedType::unsigned(1, 1)));
        assert_eq!(fitting_type(Interval::new(0, 5), 0, true), Some(FixedType::new(4, 4)));
        assert_eq!(fitting_type(Interval::new(0, i128::MAX), 0, false), None);
    }

    #[test]
    fn trailing_zeros_ignore_zero_values() {
        assert_eq!(common_trailing_zeros([0, 4, -8, 12]), 2);
        assert_eq!(common_trailing_zeros([0, 0]), u32::MAX);
    }
}
