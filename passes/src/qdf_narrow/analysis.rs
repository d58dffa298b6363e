//! The forward range analysis: for every fixed-point value of a function, an interval of mantissas
//! per element that holds every value it can take, whatever the function's float inputs are.
//!
//! Sources are what the types and quantizers admit: a `qdf.quantize` of a float can give any mantissa
//! of its type, a `qdf.fquant` any code between its clamp bounds, a constant exactly its mantissas.
//! Each op maps its operands' intervals through its exact semantics (`fpgaopt_qdf::semantics`) and
//! then through the conversion into its result type ([`convert`]), which also says whether that
//! conversion can overflow. An op whose semantics the analysis does not model gets its result type's
//! whole range: always sound.

use std::collections::HashMap;

use fpgaopt_ir::{Attribute, DenseElements, Module, OpId, ValueId};
use fpgaopt_qdf::semantics::broadcast_index;
use fpgaopt_qdf::semantics::requant::{channels, Requant};
use fpgaopt_qdf::FixedType;

use super::interval::{common_trailing_zeros, convert, Interval};

/// Tensors above this many elements keep one interval for all of them.
const MAX_ELEMENTS: usize = 1 << 20;

/// Intervals of a value's mantissas: one per element (row-major), or one for all.
pub type Ranges = Vec<Interval>;

/// The interval of element `i`.
fn at(r: &Ranges, i: usize) -> Interval {
    if r.len() == 1 {
        r[0]
    } else {
        r[i]
    }
}

/// The hull of every element.
pub fn hull(r: &Ranges) -> Interval {
    r.iter().copied().reduce(Interval::hull).unwrap_or(Interval::point(0))
}

/// What the analysis proves about one op.
#[derive(Clone, Debug)]
pub struct Facts {
    /// The result's mantissas per element.
    pub out: Ranges,
    /// True when the conversion into the result type never overflows.
    pub exact: bool,
    /// `qdf.dense`/`qdf.matmul`: the hull of every partial sum, in accumulator mantissas, when no
    /// step of the accumulation rounds or overflows.
    pub acc: Option<Interval>,
    /// `qdf.dense`: fractional bits of the accumulator that are zero in every partial sum.
    pub acc_zero_bits: u32,
    /// Mantissas the result type must hold for the op to verify (threshold levels, fquant codes,
    /// requant bounds), beyond the reachable ones.
    pub must_hold: Option<Interval>,
}

impl Facts {
    fn of(out: Ranges, exact: bool) -> Facts {
        Facts { out, exact, acc: None, acc_zero_bits: 0, must_hold: None }
    }

    /// The result type's whole range, nothing proven.
    fn unknown(t: &FixedType) -> Facts {
        Facts::of(vec![Interval::of_type(t)], false)
    }
}

/// The analysis of one function body.
pub struct Analysis<'m> {
    m: &'m Module,
    pub values: HashMap<ValueId, Ranges>,
    pub facts: HashMap<OpId, Facts>,
}

fn shape(m: &Module, v: ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

fn numel(s: &[i64]) -> usize {
    s.iter().product::<i64>().max(0) as usize
}

fn fixed(m: &Module, v: ValueId) -> Option<FixedType> {
    FixedType::of_tensor(m.ty(v))
}

fn ints(d: &DenseElements) -> Vec<i128> {
    (0..d.len()).map(|i| d.get_i64(i) as i128).collect()
}

fn dense_attr(m: &Module, op: OpId, name: &str) -> Option<Vec<i128>> {
    m.attr(op, name).and_then(Attribute::as_dense).map(ints)
}

fn int_attr(m: &Module, op: OpId, name: &str) -> Option<i128> {
    m.attr(op, name).and_then(Attribute::as_int).map(i128::from)
}

fn type_attr(m: &Module, op: OpId, name: &str) -> Option<FixedType> {
    m.attr(op, name).and_then(Attribute::as_type).and_then(FixedType::from_type)
}

/// Converts every element into `t` (from `frac` fractional bits); exact when no element overflows.
fn convert_all(t: &FixedType, r: &[Interval], frac: i64) -> Facts {
    let mut exact = true;
    let out = r
        .iter()
        .map(|&iv| {
            let (c, o) = convert(t, iv, frac);
            exact &= !o;
            c
        })
        .collect();
    Facts::of(out, exact)
}

impl<'m> Analysis<'m> {
    /// Analyses the ops of `body` in order.
    pub fn run(m: &'m Module, ops: &[OpId]) -> Analysis<'m> {
        let mut a = Analysis { m, values: HashMap::new(), facts: HashMap::new() };
        for &op in ops {
            let Some(&r) = m.op(op).results.first() else { continue };
            let Some(t) = fixed(m, r) else { continue };
            let mut f = a.transfer(op, &t).unwrap_or_else(|| Facts::unknown(&t));
            if f.out.len() > 1 && (f.out.len() != numel(&shape(m, r)) || f.out.len() > MAX_ELEMENTS) {
                f.out = vec![hull(&f.out)];
            }
            a.values.insert(r, f.out.clone());
            a.facts.insert(op, f);
        }
        a
    }

    /// The ranges of an operand; a value the analysis has not seen has its type's whole range.
    fn ranges(&self, v: ValueId) -> Option<Ranges> {
        self.values.get(&v).cloned().or_else(|| fixed(self.m, v).map(|t| vec![Interval::of_type(&t)]))
    }

    fn operand(&self, op: OpId, i: usize) -> Option<(Ranges, FixedType, Vec<i64>)> {
        let v = *self.m.op(op).operands.get(i)?;
        Some((self.ranges(v)?, fixed(self.m, v)?, shape(self.m, v)))
    }

    /// The facts of one op with a fixed-point result of type `t`; `None` when not modelled.
    fn transfer(&self, op: OpId, t: &FixedType) -> Option<Facts> {
        let m = self.m;
        let out_shape = shape(m, m.result(op, 0));
        let unary = || self.operand(op, 0);
        Some(match m.op(op).name() {
            "qdf.constant" => Facts::of(dense_attr(m, op, "value")?.into_iter().map(Interval::point).collect(), true),
            "qdf.quantize" => Facts::unknown(t),
            "qdf.cast" => {
                let (x, tx, _) = unary()?;
                convert_all(t, &x, tx.frac_bits())
            }
            "qdf.reshape" => Facts::of(unary()?.0, true),
            "qdf.slice" => Facts::of(vec![hull(&unary()?.0)], true),
            "qdf.concat" => {
                let parts = (0..m.op(op).operands.len()).map(|i| self.operand(op, i).map(|o| hull(&o.0))).collect::<Option<Vec<_>>>()?;
                Facts::of(vec![hull(&parts)], true)
            }
            "qdf.relu" => {
                let (x, tx, _) = unary()?;
                convert_all(t, &x.iter().map(|iv| iv.relu()).collect::<Vec<_>>(), tx.frac_bits())
            }
            "qdf.clip" => {
                let (x, tx, _) = unary()?;
                let (lo, hi) = (int_attr(m, op, "min"), int_attr(m, op, "max"));
                convert_all(t, &x.iter().map(|iv| iv.clamp(lo, hi)).collect::<Vec<_>>(), tx.frac_bits())
            }
            "qdf.leaky_relu" => {
                let (x, tx, _) = unary()?;
                let (alpha, ta) = (int_attr(m, op, "alpha")?, type_attr(m, op, "alpha_type")?);
                let fa = ta.frac_bits();
                if fa < 0 {
                    return None;
                }
                let r: Vec<Interval> = x
                    .iter()
                    .map(|iv| {
                        let pos = (iv.hi >= 0).then(|| Interval::new(iv.lo.max(0), iv.hi).finer(fa));
                        let neg = (iv.lo < 0).then(|| Interval::new(iv.lo, iv.hi.min(-1)) * Interval::point(alpha));
                        match (pos, neg) {
                            (Some(p), Some(n)) => p.hull(n),
                            (p, n) => p.or(n).unwrap_or(Interval::point(0)),
                        }
                    })
                    .collect();
                convert_all(t, &r, tx.frac_bits() + fa)
            }
            "qdf.add" | "qdf.sub" | "qdf.mul" => self.elementwise(op, t, &out_shape)?,
            "qdf.table" => {
                let (samples, tt) = (dense_attr(m, op, "table")?, type_attr(m, op, "table_type")?);
                let h = samples.iter().copied().map(Interval::point).reduce(Interval::hull)?;
                convert_all(t, &[h], tt.frac_bits())
            }
            "qdf.softmax" => self.softmax(op, t)?,
            "qdf.dense" => self.dense(op, t, &out_shape)?,
            "qdf.conv" => self.conv(op, t)?,
            "qdf.transpose" | "qdf.resize" | "qdf.depth_to_space" | "qdf.space_to_depth" => Facts::of(vec![hull(&unary()?.0)], true),
            "qdf.pad" => Facts::of(vec![hull(&unary()?.0).hull(Interval::point(int_attr(m, op, "value")?))], true),
            "qdf.max_pool" => {
                let (x, tx, _) = unary()?;
                convert_all(t, &[hull(&x)], tx.frac_bits())
            }
            "qdf.matmul" => self.matmul(op, t)?,
            "qdf.threshold" => self.threshold(op, t)?,
            "qdf.requant" => self.requant(op, t)?,
            "qdf.fquant" => {
                let iv = fquant_codes(m, op)?;
                let mut f = convert_all(t, &[iv], t.frac_bits());
                f.must_hold = Some(iv);
                f
            }
            _ => return None,
        })
    }

    /// `qdf.add`/`sub`/`mul` with numpy broadcasting: the exact result per element, converted.
    fn elementwise(&self, op: OpId, t: &FixedType, out_shape: &[i64]) -> Option<Facts> {
        let ((a, ta, sa), (b, tb, sb)) = (self.operand(op, 0)?, self.operand(op, 1)?);
        let (fa, fb) = (ta.frac_bits(), tb.frac_bits());
        let f = fa.max(fb);
        let name = self.m.op(op).name();
        let combine = |x: Interval, y: Interval| match name {
            "qdf.add" => x.finer(f - fa) + y.finer(f - fb),
            "qdf.sub" => x.finer(f - fa) - y.finer(f - fb),
            _ => x * y,
        };
        let frac = if name == "qdf.mul" { fa + fb } else { f };
        let r: Vec<Interval> = if numel(out_shape) > MAX_ELEMENTS || a.len() == 1 && b.len() == 1 {
            vec![combine(hull(&a), hull(&b))]
        } else {
            let (ia, ib) = (broadcast_index(out_shape, &sa), broadcast_index(out_shape, &sb));
            ia.iter().zip(&ib).map(|(&i, &j)| combine(at(&a, i), at(&b, j))).collect()
        };
        Some(convert_all(t, &r, frac))
    }

    /// `qdf.dense`: per row and column, every partial sum `b_j + sum_{k < n} x_k * w_kj` (n = 0..=K)
    /// with the intervals of x and the actual weights, on the finest grid of the terms and the
    /// accumulator. Exact when every partial sum lies on the accumulator's grid (it is at least as
    /// fine as the terms, or the terms' common zero low bits make up the difference: no step
    /// rounds) and in its range (no step overflows).
    fn dense(&self, op: OpId, t: &FixedType, out_shape: &[i64]) -> Option<Facts> {
        let m = self.m;
        let acc_t = type_attr(m, op, "acc_type")?;
        let ((x, tx, sx), (w, tw, sw), (b, tb, _)) = (self.operand(op, 0)?, self.operand(op, 1)?, self.operand(op, 2)?);
        let (k, n) = (*sw.first()? as usize, *sw.get(1)? as usize);
        let rows = numel(&sx).checked_div(k)?;
        let fp = tx.frac_bits() + tw.frac_bits();
        let fa = acc_t.frac_bits();
        let fine = fa.max(fp).max(tb.frac_bits());
        let (sp, sb, coarse) = (fine - fp, fine - tb.frac_bits(), fine - fa);
        let unknown = || Some(convert_all(t, &[Interval::of_type(&acc_t)], fa));
        if rows * k * n > 64 * MAX_ELEMENTS || coarse > 126 {
            return unknown();
        }
        // Zero low bits of every term: the constant weights' and bias's common trailing zeros.
        let tz = |v: &Ranges, shift: i64| {
            if v.iter().all(|iv| iv.lo == iv.hi) {
                common_trailing_zeros(v.iter().map(|iv| iv.lo)).saturating_add(shift as u32)
            } else {
                shift as u32
            }
        };
        let zero_bits = tz(&w, sp).min(tz(&b, sb));
        if (zero_bits as i64) < coarse {
            return unknown();
        }
        let mut partial: Option<Interval> = None;
        let mut finals = Vec::with_capacity(rows * n);
        let on_acc = |iv: Interval| Interval::new(iv.lo >> coarse, iv.hi >> coarse);
        for r in 0..rows {
            for j in 0..n {
                let mut cur = at(&b, j).finer(sb);
                let mut h = cur;
                for kk in 0..k {
                    cur = cur + (at(&x, r * k + kk) * at(&w, kk * n + j)).finer(sp);
                    h = h.hull(cur);
                }
                partial = Some(partial.map_or(h, |p| p.hull(h)));
                finals.push(on_acc(cur));
            }
        }
        let partial = on_acc(partial.unwrap_or(Interval::point(0)));
        if !partial.within(super::interval::kept(&acc_t)) {
            return unknown();
        }
        let mut f = convert_all(t, &finals, fa);
        if numel(out_shape) != finals.len() {
            f.out = vec![hull(&f.out)];
        }
        f.acc = Some(partial);
        f.acc_zero_bits = if zero_bits == u32::MAX { 0 } else { zero_bits - coarse as u32 };
        Some(f)
    }

    /// `qdf.conv`: per output channel, every partial sum of the bias and the window's products
    /// in order, with the input's hull and the actual weights; exact when no partial sum leaves
    /// the accumulator (whose grid is at least as fine as the products') or rounds.
    fn conv(&self, op: OpId, t: &FixedType) -> Option<Facts> {
        let m = self.m;
        let acc_t = type_attr(m, op, "acc_type")?;
        let ((x, tx, _), (w, tw, sw), (b, tb, _)) = (self.operand(op, 0)?, self.operand(op, 1)?, self.operand(op, 2)?);
        let n = *sw.last()? as usize;
        let k = numel(&sw) / n.max(1);
        let fp = tx.frac_bits() + tw.frac_bits();
        let fa = acc_t.frac_bits();
        let unknown = || Some(convert_all(t, &[Interval::of_type(&acc_t)], fa));
        if fa < fp.max(tb.frac_bits()) || fa - fp > 126 || fa - tb.frac_bits() > 126 || k * n > 64 * MAX_ELEMENTS {
            return unknown();
        }
        let (sp, sb) = (fa - fp, fa - tb.frac_bits());
        let hx = hull(&x);
        let mut partial = Interval::point(0);
        let mut finals = Vec::with_capacity(n);
        for j in 0..n {
            let mut cur = at(&b, j).finer(sb);
            let mut h = cur;
            for kk in 0..k {
                cur = cur + (hx * at(&w, kk * n + j)).finer(sp);
                h = h.hull(cur);
            }
            partial = partial.hull(h);
            finals.push(cur);
        }
        if !partial.within(super::interval::kept(&acc_t)) {
            return unknown();
        }
        let mut f = convert_all(t, &[hull(&finals)], fa);
        f.acc = Some(partial);
        Some(f)
    }

    /// `qdf.softmax`: when the sum of the exp samples is exact (its type is as fine as the samples
    /// and holds `n` times the largest one), each `e_k <= s`, so `floor(e_k * 2^F_out / s)` lies in
    /// `[0, 2^F_out]` (and 0 when `s = 0`).
    fn softmax(&self, op: OpId, t: &FixedType) -> Option<Facts> {
        let m = self.m;
        let (exp_t, sum_t) = (type_attr(m, op, "exp_type")?, type_attr(m, op, "sum_type")?);
        let (_, _, sx) = self.operand(op, 0)?;
        let axis = usize::try_from(int_attr(m, op, "axis")?).ok()?;
        let n = *sx.get(axis)? as i128;
        let top = dense_attr(m, op, "exp_table")?.into_iter().max()?;
        let shift = sum_t.frac_bits() - exp_t.frac_bits();
        let fo = t.frac_bits();
        if !(0..=126).contains(&shift) || !(0..=125).contains(&fo) {
            return Some(Facts::unknown(t));
        }
        let sum = (Interval::new(0, top) * Interval::point(n)).finer(shift);
        if !sum.within(super::interval::kept(&sum_t)) {
            return Some(Facts::unknown(t));
        }
        Some(convert_all(t, &[Interval::new(0, 1 << fo)], fo))
    }

    /// `qdf.matmul`: K equal terms from the operands' hulls; partial sums start at 0.
    fn matmul(&self, op: OpId, t: &FixedType) -> Option<Facts> {
        let acc_t = type_attr(self.m, op, "acc_type")?;
        let ((a, ta, sa), (b, tb, _)) = (self.operand(op, 0)?, self.operand(op, 1)?);
        let k = *sa.last()? as i128;
        let fa = acc_t.frac_bits();
        let sp = fa - ta.frac_bits() - tb.frac_bits();
        if sp < 0 {
            return Some(convert_all(t, &[Interval::of_type(&acc_t)], fa));
        }
        let p = (hull(&a) * hull(&b)).finer(sp);
        let all = p * Interval::point(k);
        let partial = all.hull(Interval::point(0));
        if !partial.within(super::interval::kept(&acc_t)) {
            return Some(convert_all(t, &[Interval::of_type(&acc_t)], fa));
        }
        let mut f = convert_all(t, &[all], fa);
        f.acc = Some(partial);
        Some(f)
    }

    /// `qdf.threshold`: the count is monotone in x, so per element it lies between the counts at
    /// the ends of x's interval. The result type must hold every level (the verifier checks
    /// `base` and `base + step * L`).
    fn threshold(&self, op: OpId, t: &FixedType) -> Option<Facts> {
        let m = self.m;
        let (x, _, sx) = self.operand(op, 0)?;
        let d = m.attr(op, "thresholds").and_then(Attribute::as_dense)?;
        let l = *d.ty.shape()?.get(1)? as usize;
        let rows: Vec<Vec<i128>> = ints(d).chunks(l.max(1)).map(<[i128]>::to_vec).collect();
        let (base, step) = (dense_attr(m, op, "base")?, dense_attr(m, op, "step")?);
        let level = |c: usize, count: usize| base[c % base.len()] + step[c % step.len()] * count as i128;
        let count = |c: usize, v: i128| rows[c % rows.len()].iter().filter(|&&th| v >= th).count();
        let ch = channels(&sx, rows.len(), fpgaopt_qdf::channel_axis(m, op));
        let xs: Vec<Interval> = if x.len() == 1 { vec![x[0]; ch.len()] } else { x };
        let r: Vec<Interval> = xs.iter().zip(&ch).map(|(iv, &c)| Interval::new(level(c, count(c, iv.lo)), level(c, count(c, iv.hi)))).collect();
        let mut f = convert_all(t, &r, t.frac_bits());
        let channels_n = rows.len().max(base.len()).max(step.len());
        f.must_hold = (0..channels_n).map(|c| Interval::new(level(c, 0), level(c, l))).reduce(Interval::hull);
        Some(f)
    }

    /// `qdf.requant`: rounding and clamping are monotone in the product, the product linear in x.
    fn requant(&self, op: OpId, t: &FixedType) -> Option<Facts> {
        let m = self.m;
        let (x, tx, sx) = self.operand(op, 0)?;
        let q = Requant {
            multiplier: dense_attr(m, op, "multiplier")?,
            shift: int_attr(m, op, "shift")? as i64,
            min: int_attr(m, op, "min"),
            max: int_attr(m, op, "max"),
        };
        // The same grid and rounding, too wide to overflow: eval then gives the clamped rounding.
        let wide = FixedType { width: 127, int_bits: (127 - t.frac_bits()) as i32, signed: true, overflow: fpgaopt_qdf::Overflow::Sat, ..*t };
        let ch = channels(&sx, q.multiplier.len(), fpgaopt_qdf::channel_axis(m, op));
        let xs: Vec<Interval> = if x.len() == 1 { vec![x[0]; ch.len()] } else { x };
        let fx = tx.frac_bits();
        let r: Vec<Interval> = xs.iter().zip(&ch).map(|(iv, &c)| Interval::new(q.eval(c, iv.lo, fx, &wide), q.eval(c, iv.hi, fx, &wide))).collect();
        let mut f = convert_all(t, &r, t.frac_bits());
        f.must_hold = [q.min, q.max].into_iter().flatten().map(Interval::point).reduce(Interval::hull);
        Some(f)
    }
}

/// The codes a `qdf.fquant` can produce: `[min - max(z), max - min(z)]`, or the signs `-1, 1`
/// minus the zero point (the verifier's range).
fn fquant_codes(m: &Module, op: OpId) -> Option<Interval> {
    let zps = m.attr(op, "zero_point").and_then(Attribute::as_dense).map(|d| d.to_f64_vec()).unwrap_or_else(|| vec![0.0]);
    let (zlo, zhi) = zps.iter().fold((f64::MAX, f64::MIN), |(a, b), &z| (a.min(z), b.max(z)));
    let (lo, hi) = if m.attr(op, "rounding").and_then(Attribute::as_str) == Some("SIGN") {
        (-1.0, 1.0)
    } else {
        (m.attr(op, "min")?.as_float()?, m.attr(op, "max")?.as_float()?)
    };
    Some(Interval::new((lo - zhi) as i128, (hi - zlo) as i128))
}
