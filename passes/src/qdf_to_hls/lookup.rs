//! Piecewise-linear tables (`qdf.table`, and the exp table of `qdf.softmax`) in exact hls arithmetic.
//!
//! `qdf.semantics::lookup`: with `d = x - lo` (input mantissas) and `k = step_shift`, `i = d >> k`,
//! `f = d - (i << k)`: `v = s[0]` if `d < 0`, `s[N]` if `i >= N`, else `s[i] + ((s[i+1] - s[i]) * f) >> k`.
//!
//! In hls: `d` is an exact difference; `i` is `d` converted with TRN (floor) onto a grid `k` bits
//! coarser and reinterpreted as an integer (`hls.bitcast`); `f / 2^k` is the remainder `d - i`
//! reinterpreted as `ufixed<k, 0>`. The index is clamped to `[0, N]` and two roms are read: the
//! samples and the slopes `s[i+1] - s[i]` (with a zero slope after the last sample), so the ends
//! need no special case except `d < 0`, where the fraction is forced to 0. `floor(slope * f / 2^k)`
//! is the exact product converted with TRN onto the table grid.

use fpgaopt_hls::Fixed;
use fpgaopt_ir::ValueId;

use super::builder::{fixed_of, int_type, signed_bits, FnBuilder};

/// A table in qdf terms: samples (mantissas of `ty`) at input mantissas `lo + s * 2^step_shift`.
pub(crate) struct Table {
    pub samples: Vec<i64>,
    pub ty: Fixed,
    pub lo: i64,
    pub step_shift: u32,
}

/// The roms of a table, created once per function.
pub(crate) struct TableRoms {
    samples: ValueId,
    slopes: Option<ValueId>,
    slope_ty: Fixed,
    n: i64,
}

impl Table {
    /// Creates the sample and slope roms named `<name>` and `<name>_slope`.
    pub fn roms(&self, b: &mut FnBuilder<'_>, name: &str) -> TableRoms {
        let n = self.samples.len() as i64 - 1;
        let samples = b.rom(&self.samples, &[n + 1], self.ty.to_type(), name, None);
        let mut slopes: Vec<i64> = self.samples.windows(2).map(|w| w[1] - w[0]).collect();
        slopes.push(0);
        let w = slopes.iter().map(|&s| signed_bits(s as i128)).max().unwrap_or(1);
        let slope_ty = Fixed::new(w, w as i64 - self.ty.frac_bits(), true);
        let slopes = (self.step_shift > 0).then(|| b.rom(&slopes, &[n + 1], slope_ty.to_type(), &format!("{name}_slope"), None));
        TableRoms { samples, slopes, slope_ty, n }
    }

    /// The interpolated value at `x` (any fixed type on the table's input grid); its type has the
    /// table type's fractional bits and holds every sample exactly.
    pub fn lookup(&self, b: &mut FnBuilder<'_>, roms: &TableRoms, x: ValueId) -> ValueId {
        let fx = fixed_of(b.m, x).frac_bits();
        let k = self.step_shift as i64;
        // d = x - lo, exact, on the input grid.
        let d = if self.lo == 0 {
            x
        } else {
            let w = signed_bits(self.lo as i128);
            let lo = b.constant(&Fixed::new(w, w as i64 - fx, true).to_type(), self.lo);
            let d = b.sub(x, lo);
            b.name(d, "d")
        };
        let td = fixed_of(b.m, d);
        // i = floor(d / 2^k) as the mantissa of a grid k bits coarser.
        let wi = ((td.width as i64 - k).max(2)) as u32;
        let ti_ty = Fixed::new(wi, wi as i64 - (td.frac_bits() - k), true).to_type();
        let ti = b.cast(d, &ti_ty);
        let ti = b.name(ti, "d_floor");
        let i = b.bitcast(ti, &int_type(wi, true));
        let i = b.name(i, "segment");
        // Clamp to [0, N] in a type that holds N.
        let wn = signed_bits(roms.n as i128);
        let wc = wi.max(wn);
        let i = b.cast(i, &int_type(wc, true));
        let (zero, n) = (b.constant(&int_type(wc, true), 0), b.constant(&int_type(wc, true), roms.n));
        let lower = b.max(i, zero);
        let clamped = b.min(lower, n);
        let narrow = b.cast(clamped, &int_type(wn, true));
        let idx = b.index_cast(narrow);
        let idx = b.name(idx, "idx");
        let y0 = b.load(roms.samples, &[idx]);
        let Some(slopes) = roms.slopes else { return y0 };
        // f / 2^k: the remainder d - i, exact, then its k low bits read as ufixed<k, 0>.
        let rem = b.sub(d, ti);
        let rem = b.cast(rem, &Fixed::new(k as u32, k - td.frac_bits(), false).to_type());
        let frac_ty = Fixed::new(k as u32, 0, false).to_type();
        let frac = b.bitcast(rem, &frac_ty);
        let frac = b.name(frac, "frac");
        let below = b.cmp("lt", i, zero);
        let frac_zero = b.constant(&frac_ty, 0);
        let frac = b.select(below, frac_zero, frac);
        let slope = b.load(slopes, &[idx]);
        let p = b.mul(slope, frac);
        let step = b.cast(p, &roms.slope_ty.to_type());
        b.add(y0, step)
    }
}
