//! What constants of a quantized model are, exactly: every f32 is an integer times a power of two,
//! so a set of constants sits on the grid of its finest value ([`grid`]); weights that a quantizer
//! with a non-power-of-two scale produced are integer codes times that scale ([`recover_codes`]).

/// The exponent `e` of the lowest set bit of a finite, non-zero f64 (`v = odd * 2^e`).
fn lowest_bit(v: f64) -> i64 {
    let bits = v.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (man, e) = if exp == 0 { (frac, -1074) } else { (frac | (1u64 << 52), exp - 1075) };
    e + man.trailing_zeros() as i64
}

/// Values on a common power-of-two grid: `values[i] = mantissas[i] * 2^-frac`.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub frac: i64,
    pub mantissas: Vec<i128>,
}

impl Grid {
    /// The largest |mantissa|.
    pub fn max_abs(&self) -> u128 {
        self.mantissas.iter().map(|m| m.unsigned_abs()).max().unwrap_or(0)
    }

    /// Bits of a signed integer holding every mantissa (at least 2).
    pub fn width(&self) -> u32 {
        (129 - self.max_abs().leading_zeros()).max(2)
    }

    /// The same values on a finer grid (`frac >= self.frac`).
    pub fn refined(&self, frac: i64) -> Grid {
        let s = (frac - self.frac).clamp(0, 120) as u32;
        Grid { frac, mantissas: self.mantissas.iter().map(|&m| m << s).collect() }
    }
}

/// The finest grid holding every value exactly, or `None` when a value is not finite or the
/// mantissas would need more than `max_bits` bits (signed).
pub fn grid(values: &[f64], max_bits: u32) -> Option<Grid> {
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let frac = values.iter().filter(|&&v| v != 0.0).map(|&v| -lowest_bit(v)).max().unwrap_or(0);
    let mut mantissas = Vec::with_capacity(values.len());
    for &v in values {
        if v == 0.0 {
            mantissas.push(0);
            continue;
        }
        // v * 2^frac is an integer; build it from the exponent to stay exact.
        let shift = frac + lowest_bit(v);
        if !(0..=120).contains(&shift) {
            return None;
        }
        let odd = (v.abs() / 2f64.powi(lowest_bit(v) as i32)) as i128;
        let m = odd.checked_shl(shift as u32)?;
        mantissas.push(if v < 0.0 { -m } else { m });
    }
    let g = Grid { frac, mantissas };
    (g.width() <= max_bits).then_some(g)
}

/// True when `v` is a positive power of two (normal f32).
pub fn is_pow2(v: f64) -> bool {
    v > 0.0 && v.is_finite() && (v.log2().fract() == 0.0) && v >= f32::MIN_POSITIVE as f64
}

/// Integer codes of a weight matrix quantized with one scale per column (or per tensor):
/// `w[k][j] == f32(codes[k][j] * scale[j])` bit for bit.
#[derive(Clone, Debug, PartialEq)]
pub struct Codes {
    pub codes: Vec<i128>,
    pub scale: Vec<f32>,
}

/// Finds the largest f32 scale `s` with `f32(q * s) == v` for integers `|q| <= max_code` and every
/// value; `None` if there is none.
fn column_scale(values: &[f32], max_code: i64) -> Option<(f32, Vec<i128>)> {
    let smallest = values.iter().filter(|v| **v != 0.0).map(|v| v.abs()).fold(f32::INFINITY, f32::min);
    if !smallest.is_finite() {
        return Some((1.0, vec![0; values.len()]));
    }
    let fits = |s: f32| -> Option<Vec<i128>> {
        values
            .iter()
            .map(|&v| {
                let q = (v as f64 / s as f64).round();
                (q.abs() <= max_code as f64 && (q as f32) * s == v).then_some(q as i128)
            })
            .collect()
    };
    for n in 1..=max_code {
        let s0 = smallest / n as f32;
        let mut s = s0;
        // The scale's f32 neighbours: division may round away from the exact scale.
        for _ in 0..3 {
            s = f32::from_bits(s.to_bits().saturating_sub(1));
        }
        for _ in 0..7 {
            if s > 0.0 {
                if let Some(c) = fits(s) {
                    return Some((s, c));
                }
            }
            s = f32::from_bits(s.to_bits() + 1);
        }
    }
    None
}

/// Recovers per-column (or, when one scale fits all, per-tensor) codes of `w` (`[K, N]`, row-major).
pub fn recover_codes(w: &[f32], k: usize, n: usize, max_code: i64) -> Option<Codes> {
    if let Some((s, codes)) = column_scale(w, max_code) {
        return Some(Codes { codes, scale: vec![s] });
    }
    let mut codes = vec![0i128; k * n];
    let mut scale = Vec::with_capacity(n);
    for j in 0..n {
        let col: Vec<f32> = (0..k).map(|r| w[r * n + j]).collect();
        let (s, c) = column_scale(&col, max_code)?;
        for (r, q) in c.into_iter().enumerate() {
            codes[r * n + j] = q;
        }
        scale.push(s);
    }
    Some(Codes { codes, scale })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_are_exact() {
        let g = grid(&[0.5, -0.125, 3.0, 0.0], 62).expect("grid");
        assert_eq!((g.frac, g.mantissas.clone()), (3, vec![4, -1, 24, 0]));
        assert_eq!(g.width(), 6);
        let g = grid(&[1024.0, 2048.0], 62).expect("grid");
        assert_eq!((g.frac, g.mantissas), (-10, vec![1, 2]));
        assert!(grid(&[1e30, 1e-30], 62).is_none());
        assert!(is_pow2(0.25) && !is_pow2(0.3) && !is_pow2(0.0));
    }

    #[test]
    fn codes_are_recovered_per_column() {
        let (s0, s1) = (0.14285715f32, 27.768454f32);
        let w: Vec<f32> = [(3, 1), (-2, 0), (1, -1)].iter().flat_map(|&(a, b)| [a as f32 * s0, b as f32 * s1]).collect();
        let c = recover_codes(&w, 3, 2, 127).expect("codes");
        assert_eq!(c.codes, vec![3, 1, -2, 0, 1, -1]);
        assert_eq!(c.scale, vec![s0, s1]);
        for (i, &q) in c.codes.iter().enumerate() {
            assert_eq!(q as f32 * c.scale[i % 2], w[i]);
        }
    }
}
