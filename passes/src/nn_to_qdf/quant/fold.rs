//! Folds `qdf.dequantize -> (float32 ops with constants) -> qdf.fquant | qdf.quantize` into
//! `qdf.threshold`.
//!
//! Such a chain is what a batch norm, a float bias or a non-power-of-two rescale between an exact
//! accumulator and a quantizer becomes: exact, but float32 hardware. Every op in it is monotone in
//! its chain operand per channel (`x + c`, `x - c`, `c - x`, `x * c`, `x / c`, relu; IEEE rounding
//! is monotone; so is the quantizer), so the composition is a monotone step function of the
//! accumulator's mantissa. Its steps are found by binary search over the accumulator's whole range,
//! evaluating the chain with the reference semantics (`fpgaopt_qdf::interp`), and become per-channel
//! thresholds: bit-identical to the chain for every input by construction (and checked on probes).
//! Chains with more than `max-thresholds` steps per channel stay float32.

use fpgaopt_ir::{Attribute, DenseElements, DiagResult, InsertPoint, Module, OpId, Type, ValueId};
use fpgaopt_qdf::semantics::float as fsem;
use fpgaopt_qdf::{self as qdf, FixedType};

/// A foldable chain: the fixed input, the ops from `qdf.dequantize` to `qdf.fquant` in order.
struct Chain {
    input: ValueId,
    ops: Vec<OpId>,
}

/// True when `c`'s shape, right-aligned to rank `rank`, varies only along axis 1.
fn per_channel(m: &Module, c: ValueId, rank: usize) -> bool {
    let s = m.ty(c).shape().unwrap_or(&[]);
    s.len() <= rank && s.iter().enumerate().all(|(i, &d)| d == 1 || i + rank - s.len() == 1)
}

/// The chain ending in the `qdf.fquant` `q`, if it is one.
fn chain_of(m: &Module, q: OpId) -> Option<Chain> {
    let mut ops = vec![q];
    let mut v = m.operand(q, 0);
    loop {
        if m.value(v).uses.len() != 1 {
            return None;
        }
        let op = m.def_op(v)?;
        let name = m.op(op).name();
        if name == "qdf.dequantize" {
            ops.push(op);
            ops.reverse();
            let input = m.operand(op, 0);
            let rank = m.ty(input).shape()?.len();
            let consts_ok = ops.iter().all(|&o| {
                m.op(o).operands.iter().all(|&c| qdf::FConstant::defining(m, c).is_none_or(|k| {
                    k.value(m).to_f32_vec().iter().all(|x| x.is_finite()) && per_channel(m, c, rank)
                }))
            });
            return consts_ok.then_some(Chain { input, ops });
        }
        let next = match name {
            "qdf.frelu" => m.operand(op, 0),
            "qdf.fadd" | "qdf.fsub" | "qdf.fmul" | "qdf.fdiv" => {
                let (a, b) = (m.operand(op, 0), m.operand(op, 1));
                let (ca, cb) = (qdf::FConstant::defining(m, a).is_some(), qdf::FConstant::defining(m, b).is_some());
                match (ca, cb) {
                    (false, true) => a,
                    // c - x and c + x, c * x are monotone; c / x is not.
                    (true, false) if name != "qdf.fdiv" => b,
                    _ => return None,
                }
            }
            _ => return None,
        };
        ops.push(op);
        v = next;
    }
}

/// Evaluates the chain on a probe: channel k's input mantissa is `probe[k]`. The chain is
/// elementwise with per-channel constants (`chain_of`), so one scalar per channel is the whole
/// computation: IEEE binary32 steps in the chain's order, as `qdf.semantics` defines them.
fn eval_chain(m: &Module, c: &Chain, ty: FixedType, probe: &[i128]) -> Option<Vec<i128>> {
    probe.iter().enumerate().map(|(k, &p)| eval_scalar(m, c, ty, k, p)).collect()
}

fn eval_scalar(m: &Module, c: &Chain, ty: FixedType, k: usize, p: i128) -> Option<i128> {
    let at = |d: Vec<f32>| if d.len() == 1 { d.first().copied() } else { d.get(k).copied() };
    let constant = |v: ValueId| qdf::FConstant::defining(m, v).and_then(|c| at(c.value(m).to_f32_vec()));
    let mut x = ty.to_f32(p);
    for &op in &c.ops[1..] {
        let name = m.op(op).name();
        match name {
            "qdf.frelu" => x = fsem::relu(&[x])[0],
            "qdf.fadd" | "qdf.fsub" | "qdf.fmul" | "qdf.fdiv" => {
                let (a, b) = match (constant(m.operand(op, 0)), constant(m.operand(op, 1))) {
                    (None, Some(b)) => (x, b),
                    (Some(a), None) => (a, x),
                    _ => return None,
                };
                x = match name {
                    "qdf.fadd" => a + b,
                    "qdf.fsub" => a - b,
                    "qdf.fmul" => a * b,
                    _ => a / b,
                };
            }
            "qdf.fquant" => {
                let mut q = fpgaopt_qdf::interp::fquant_of(m, op).ok()?;
                for p in [&mut q.scale, &mut q.zero_point] {
                    if let Some((_, vals)) = p.take() {
                        *p = Some((vec![], vec![at(vals)?]));
                    }
                }
                let out = FixedType::of_tensor(m.ty(m.result(op, 0)))?;
                return fsem::fquant(&[], &[x], &q, out).data.first().copied();
            }
            "qdf.quantize" => {
                let out = FixedType::of_tensor(m.ty(m.result(op, 0)))?;
                return Some(out.quantize_f64(x as f64));
            }
            _ => return None,
        }
    }
    None
}

/// Per-channel threshold rows, bases and steps.
type Steps = (Vec<Vec<i128>>, Vec<i128>, Vec<i128>);

/// Thresholds of a chain: `(rows, base, step)`, or `None` when it has too many steps.
fn thresholds(m: &Module, c: &Chain, max_levels: usize) -> Option<Steps> {
    let ty = FixedType::of_tensor(m.ty(c.input))?;
    if ty.signed_bits() > 62 {
        return None;
    }
    let shape = m.ty(c.input).shape()?.to_vec();
    let channels_n = if shape.len() >= 2 { shape[1] as usize } else { 1 };
    let (lo, hi) = (ty.min_mantissa(), ty.max_mantissa());
    let nc = channels_n.max(1);
    let f_lo = eval_chain(m, c, ty, &vec![lo; nc])?;
    let f_hi = eval_chain(m, c, ty, &vec![hi; nc])?;
    let sign = m.attr(*c.ops.last()?, "rounding").and_then(Attribute::as_str) == Some("SIGN");
    let d: i128 = if sign { 2 } else { 1 };
    let steps: Vec<i128> = (0..nc).map(|k| (f_hi[k] - f_lo[k]).abs() / d).collect();
    let levels = steps.iter().copied().max().unwrap_or(0).max(1) as usize;
    if levels > max_levels {
        return None;
    }
    let step: Vec<i128> = (0..nc).map(|k| if f_hi[k] < f_lo[k] { -d } else { d }).collect();
    let mut rows = vec![vec![hi + 1; levels]; nc];
    for l in 1..=levels as i128 {
        // T = the smallest mantissa whose output reached level l (hi + 1: never).
        let target: Vec<i128> = (0..nc).map(|k| f_lo[k] + step[k] * l).collect();
        let (mut a, mut b) = (vec![lo; nc], vec![hi + 1; nc]);
        while (0..nc).any(|k| a[k] < b[k]) {
            let mid: Vec<i128> = (0..nc).map(|k| if a[k] < b[k] { a[k] + (b[k] - a[k]) / 2 } else { a[k].min(hi) }).collect();
            let f = eval_chain(m, c, ty, &mid)?;
            for k in 0..nc {
                if a[k] >= b[k] {
                    continue;
                }
                let reached = if step[k] > 0 { f[k] >= target[k] } else { f[k] <= target[k] };
                if reached {
                    b[k] = mid[k];
                } else {
                    a[k] = mid[k] + 1;
                }
            }
        }
        for k in 0..nc {
            rows[k][l as usize - 1] = a[k];
        }
    }
    // Probes across the range (and the steps themselves) must agree with the chain.
    let t = qdf::semantics::requant::Thresholds { rows: rows.clone(), base: f_lo.clone(), step: step.clone() };
    let mut probes: Vec<i128> = (0..=64).map(|i| lo + (hi - lo) / 64 * i).collect();
    probes.extend(rows.iter().flatten().filter(|&&v| v <= hi).flat_map(|&v| [v - 1, v]).filter(|&v| v >= lo).take(512));
    for p in probes {
        let f = eval_chain(m, c, ty, &vec![p; nc])?;
        if (0..nc).any(|k| t.eval(k, p) != f[k]) {
            return None;
        }
    }
    Some((rows, f_lo, step))
}

/// Dense i64 attribute of the narrowest integer storage.
fn ints(shape: &[i64], v: &[i128]) -> Option<Attribute> {
    let bits = v.iter().map(|&x| 129 - if x < 0 { !x } else { x }.leading_zeros()).max().unwrap_or(1);
    let w = [8u32, 16, 32, 64].into_iter().find(|&w| bits <= w)?;
    let vals: Vec<i64> = v.iter().map(|&x| x as i64).collect();
    DenseElements::from_ints(shape, Type::int(w), &vals).ok().map(Attribute::Dense)
}

/// Erases the chain's ops and the constants only they used.
fn erase_chain(m: &mut Module, c: &Chain) {
    for &op in c.ops.iter().rev() {
        let consts: Vec<OpId> = m.op(op).operands.iter().filter_map(|&v| m.def_op(v)).filter(|&d| qdf::FConstant::of(m, d).is_some()).collect();
        m.erase(op);
        for k in consts {
            if m.op(k).results.iter().all(|&r| m.value(r).uses.is_empty()) {
                m.erase(k);
            }
        }
    }
}

/// Replaces the result of `last` by `new`, keeping its name.
fn replace(m: &mut Module, last: OpId, new: ValueId) {
    let out = m.result(last, 0);
    let hint = m.value(out).name_hint.clone();
    m.set_name_hint(new, hint);
    m.replace_all_uses(out, new);
}

/// What folding did: per requantized layer, (name, differing, checked) accumulator samples.
#[derive(Default)]
pub(super) struct FoldReport {
    pub requants: Vec<(String, u64, u64)>,
}

/// Folds every foldable chain of `func`: linear rescales with many levels into `qdf.requant`
/// (unless `exact_only`: it rounds the ideal rescale, not the float32 one), the rest (up to
/// `max_levels` levels) into `qdf.threshold`.
pub(super) fn fold_function(m: &mut Module, func: OpId, max_levels: usize, exact_only: bool) -> DiagResult<FoldReport> {
    let mut report = FoldReport::default();
    let Some(body) = m.entry_block(func, 0) else { return Ok(report) };
    let quants: Vec<OpId> =
        m.block_ops(body).iter().copied().filter(|&o| qdf::FQuant::of(m, o).is_some() || qdf::Quantize::of(m, o).is_some()).collect();
    for q in quants {
        let Some(c) = chain_of(m, q) else { continue };
        let linear = if exact_only { None } else { super::requant::linear(m, c.input, &c.ops) };
        if let Some(lin) = linear.filter(|l| l.levels() > super::requant::THRESHOLD_LEVELS) {
            let (rq, out, checked, differ) = lin.requant();
            if let Some(new) = lin.build(m, q, &rq, out) {
                let name = match &m.op(q).loc {
                    fpgaopt_ir::Location::Name { name, .. } => name.to_string(),
                    _ => "requant".into(),
                };
                report.requants.push((name, differ, checked));
                replace(m, q, new);
                erase_chain(m, &c);
                continue;
            }
        }
        let Some((rows, base, step)) = thresholds(m, &c, max_levels) else { continue };
        // One row, base and step for all channels when they agree.
        let uniform = rows.iter().all(|r| *r == rows[0]) && base.iter().all(|&b| b == base[0]) && step.iter().all(|&s| s == step[0]);
        let (rows, base, step) = if uniform { (vec![rows[0].clone()], vec![base[0]], vec![step[0]]) } else { (rows, base, step) };
        let (nc, levels) = (rows.len(), rows[0].len());
        let flat: Vec<i128> = rows.into_iter().flatten().collect();
        let (Some(t), Some(b), Some(s)) = (ints(&[nc as i64, levels as i64], &flat), ints(&[nc as i64], &base), ints(&[nc as i64], &step)) else {
            continue;
        };
        let out = m.result(q, 0);
        let loc = m.op(q).loc.clone();
        let spec = qdf::Threshold::spec(loc)
            .operands([c.input])
            .results([m.ty(out).clone()])
            .attr("thresholds", t)
            .attr("base", b)
            .attr("step", s);
        let th = m.build(InsertPoint::Before(q), spec);
        let new = m.result(th, 0);
        replace(m, q, new);
        erase_chain(m, &c);
    }
    Ok(report)
}
