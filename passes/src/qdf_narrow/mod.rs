//! `qdf-narrow`: gives every accumulator and intermediate of `@main` the fewest bits that provably
//! hold every value it can take, without changing any result bit.
//!
//! The analysis ([`analysis`]) bounds each fixed-point value per element, forward from what the
//! quantizers admit, through the exact semantics of each op with the actual constant mantissas
//! (FINN's value-based accumulator minimisation, per column and sign-aware). The rewrite then
//! changes types, each change exact for a reason stated with it:
//! - **integer bits and sign** (`retype`): a result whose conversion provably never overflows gets
//!   the narrowest type on the *same grid* holding its interval, unsigned when it is never negative,
//!   with the same rounding mode and `WRAP`. Same grid and same rounding give the same rounded
//!   mantissa; neither type overflows on it, so the stored value is the same, and every consumer
//!   computes from the exact value alone. Ops retyped: dense, matmul, add, sub, mul, relu, leaky
//!   ReLU, cast, clip, table (the hull of its samples), softmax (`[0, 1]` when its sum is exact),
//!   threshold, requant, fquant (whose verifiers also need `must_hold`); a reshape follows its input.
//! - **accumulators** (`acc_type` of dense and matmul): when no partial sum rounds or overflows, the
//!   narrowest type holding the hull of every partial sum (bias alone, then each prefix of products)
//!   of every row and column; for dense also fewer fractional bits when every term has zero low bits
//!   (the constant weights' and bias's common trailing zeros): each partial sum then lies on the
//!   coarser grid and every conversion into the accumulator stays exact.
//! - **truncated fractional bits** (backward, [`truncation`]): a value read only by a conversion
//!   that floors onto a coarser grid, produced by a floor or without rounding, is produced on the
//!   coarser grid directly (nested floors are one floor).
//! - **not narrowed**, because it would not be exact or the lowering needs the type: values
//!   returned by the function (its signature), constants, `qdf.quantize` of a float (any value of
//!   its type is reachable), and across a saturating conversion (a value that saturates is not a value that fits). Values read
//!   by `qdf.table`, `qdf.softmax` or `qdf.leaky_relu` keep their signedness (their lowering sizes
//!   intermediates from the input type and assumes a signed one).
//!   Fractional bits a following *rounding* conversion discards are kept: every rounding mode but
//!   TRN reads the bits below the kept grid.
//!
//! Proven bounds ride on the ops as discardable attributes: `qdf.range = [lo, hi]` (result
//! mantissas, the hull over elements) and `qdf.acc_range = [lo, hi]` (accumulator mantissas); the
//! lowering copies them into `hls.layer`, and `report.json` shows them with their real values.

pub mod analysis;
pub mod interval;
#[cfg(test)]
mod tests;
mod truncation;

use std::collections::{HashMap, HashSet};

use fpgaopt_ir::builtin::{FuncOp, ReturnOp};
use fpgaopt_ir::pass::{Options, PassContext, PassInfo};
use fpgaopt_ir::{Attribute, DiagResult, Module, OpId, Type, ValueId};
use fpgaopt_qdf::{FixedType, Overflow};

use analysis::{hull, Analysis, Facts};
use interval::{fitting_type, Interval};

pub use fpgaopt_qdf::{ACC_RANGE_ATTR as ACC_RANGE, RANGE_ATTR as RANGE};

/// The pass.
pub static QDF_NARROW: PassInfo = PassInfo {
    name: "qdf-narrow",
    summary: "narrow accumulators and intermediates to the bits their proven value ranges need",
    description: r#"A forward interval analysis over @main bounds every fixed-point value per element,
from the ranges the quantizers admit (a quantize of a float: its type's range; fquant: its codes;
constants: their mantissas), through each op's exact semantics with the actual weights (dense: per
column, every partial sum b_j + sum_{k<n} x_k w_kj at the ends of each x_k's interval). Then:
a result whose conversion never overflows gets the narrowest type on the same grid holding its
interval (unsigned when never negative; same rounding, WRAP); a dense or matmul accumulator in which
no partial sum rounds or overflows gets the narrowest type holding every partial sum, with fewer
fractional bits when every weight and bias mantissa has zero low bits. Backward, a value read only
by a truncating (TRN) conversion onto a coarser grid, and produced by a floor or without rounding,
moves to that grid. Results are bit-identical.
Returned values and constants keep their types; values read by a table, softmax or leaky ReLU keep
their signedness. Proven bounds are attached as `qdf.range` and
`qdf.acc_range` (mantissa intervals). See docs/design/precision-propagation.md."#,
    options: &[],
    run,
};

fn run(m: &mut Module, _opts: &Options, _ctx: &mut PassContext<'_>) -> DiagResult<()> {
    for f in m.functions() {
        if FuncOp::of(m, f).is_some() {
            narrow_function(m, f);
        }
    }
    Ok(())
}

/// Ops whose result type may change.
fn retypable(name: &str) -> bool {
    matches!(
        name,
        "qdf.dense"
            | "qdf.conv"
            | "qdf.max_pool"
            | "qdf.matmul"
            | "qdf.add"
            | "qdf.sub"
            | "qdf.mul"
            | "qdf.relu"
            | "qdf.leaky_relu"
            | "qdf.cast"
            | "qdf.clip"
            | "qdf.table"
            | "qdf.softmax"
            | "qdf.threshold"
            | "qdf.requant"
            | "qdf.fquant"
    )
}

/// Values whose type must stay (returned), and values whose signedness must stay (read by ops whose
/// lowering sizes intermediates from the input type); both followed backward through reshapes.
fn pinned(m: &Module, ops: &[OpId]) -> (HashSet<ValueId>, HashSet<ValueId>) {
    let (mut keep, mut sign) = (HashSet::new(), HashSet::new());
    for &op in ops.iter().rev() {
        let d = m.op(op);
        // A concat's inputs share its element type.
        if ReturnOp::of(m, op).is_some() || d.name() == "qdf.concat" {
            keep.extend(d.operands.iter().copied());
        }
        if matches!(d.name(), "qdf.table" | "qdf.softmax" | "qdf.leaky_relu") {
            sign.extend(d.operands.iter().copied());
        }
        if matches!(d.name(), "qdf.reshape" | "qdf.slice" | "qdf.transpose" | "qdf.pad") || is_move(d.name()) {
            let (x, y) = (d.operands[0], d.results[0]);
            if keep.contains(&y) {
                keep.insert(x);
            }
            if sign.contains(&y) {
                sign.insert(x);
            }
        }
    }
    (keep, sign)
}

/// The resampling ops: element moves, whose result type follows their input's.
fn is_move(name: &str) -> bool {
    matches!(name, "qdf.resize" | "qdf.depth_to_space" | "qdf.space_to_depth")
}

/// The narrowed type of a value of type `t` whose mantissas lie in `iv`, or `None` to keep `t`.
fn narrowed(t: &FixedType, iv: Interval, keep_sign: bool) -> Option<FixedType> {
    let n = fitting_type(iv, t.frac_bits(), keep_sign && t.signed)?;
    let n = FixedType { rounding: t.rounding, overflow: Overflow::Wrap, ..n };
    (n != *t && n.width <= t.width && (n.signed_bits() <= t.signed_bits())).then_some(n)
}

/// `[lo, hi]` as an attribute, when both fit `i64`.
fn range_attr(iv: Interval) -> Option<Attribute> {
    let (lo, hi) = (i64::try_from(iv.lo).ok()?, i64::try_from(iv.hi).ok()?);
    Some(Attribute::i64_array(&[lo, hi]))
}

/// The tensor type `t` with element type `e`.
fn with_elem(t: &Type, e: &FixedType) -> Type {
    Type::tensor(t.shape().map(<[i64]>::to_vec).unwrap_or_default(), e.to_type())
}

/// Analyses one function and applies every rule to it.
fn narrow_function(m: &mut Module, func: OpId) {
    let Some(body) = m.entry_block(func, 0) else { return };
    let ops = m.block_ops(body).to_vec();
    let analysis = Analysis::run(m, &ops);
    let (keep, sign) = pinned(m, &ops);
    let facts: HashMap<OpId, Facts> = analysis.facts;
    for &op in &ops {
        let Some(f) = facts.get(&op) else { continue };
        let name = m.op(op).name();
        if matches!(name, "qdf.reshape" | "qdf.slice" | "qdf.transpose" | "qdf.pad") || is_move(name) {
            // Same element type as the (possibly narrowed) input.
            let (x, y) = (m.operand(op, 0), m.result(op, 0));
            if let Some(tx) = FixedType::of_tensor(m.ty(x)) {
                // A pad with the old type's minimum (a max pool's "never the maximum") keeps
                // that role in the new type; 0 is in every type.
                if let (Some(old), Some(v)) = (FixedType::of_tensor(m.ty(y)), m.attr(op, "value").and_then(Attribute::as_int)) {
                    if v != 0 && v as i128 == old.min_mantissa() {
                        m.set_attr(op, "value", Attribute::i64(tx.min_mantissa() as i64));
                    }
                }
                let ty = with_elem(m.ty(y), &tx);
                m.set_type(y, ty);
            }
            continue;
        }
        if !retypable(name) {
            continue;
        }
        if let (Some(acc), Some(t)) = (f.acc, m.attr(op, "acc_type").and_then(Attribute::as_type).and_then(FixedType::from_type)) {
            narrow_acc(m, op, &t, acc, f.acc_zero_bits);
        }
        let y = m.result(op, 0);
        let Some(t) = FixedType::of_tensor(m.ty(y)) else { continue };
        if !f.exact {
            continue;
        }
        let reach = hull(&f.out);
        if let Some(a) = range_attr(reach) {
            m.set_attr(op, RANGE, a);
        }
        if keep.contains(&y) {
            continue;
        }
        let need = f.must_hold.map_or(reach, |h| h.hull(reach));
        if let Some(n) = narrowed(&t, need, sign.contains(&y)) {
            let ty = with_elem(m.ty(y), &n);
            m.set_type(y, ty);
        }
    }
    truncation::drop_truncated_bits(m, &ops, &facts, &keep);
}

/// Narrows `acc_type` to hold `acc` (mantissas of `t`), dropping `zero_bits` low fractional bits
/// that every partial sum has zero, within the limits of `ap_fixed` casts.
fn narrow_acc(m: &mut Module, op: OpId, t: &FixedType, acc: Interval, zero_bits: u32) {
    // ap_fixed asserts when a cast drops more fractional bits than its source has bits: the sum
    // `acc + x * w` and the bias are the sources of the accumulator's casts.
    let widths: Vec<(i64, i64)> = m.op(op).operands.iter().filter_map(|&v| FixedType::of_tensor(m.ty(v))).map(|f| (f.frac_bits(), f.signed_bits() as i64)).collect();
    let mut drop = zero_bits.min(t.width.saturating_sub(1)) as i64;
    if let [x, w, b] = widths[..] {
        let fp = x.0 + w.0;
        drop = drop.min(t.frac_bits() - fp + x.1 + w.1 - 1).min(t.frac_bits() - b.0 + b.1 - 1);
    } else {
        drop = 0;
    }
    let drop = drop.max(0);
    let coarse = Interval::new(acc.lo >> drop, acc.hi >> drop);
    let base = FixedType { int_bits: t.int_bits + drop as i32, ..*t };
    let Some(n) = narrowed(&base, coarse, false).or((drop > 0).then_some(base)) else {
        if let Some(a) = range_attr(acc) {
            m.set_attr(op, ACC_RANGE, a);
        }
        return;
    };
    if let Some(a) = range_attr(coarse) {
        m.set_attr(op, ACC_RANGE, a);
    }
    m.set_attr(op, "acc_type", Attribute::Type(n.to_type()));
}
