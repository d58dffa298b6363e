//! Backward: fractional bits that a following truncating conversion discards.
//!
//! A value `v` of type T read only by a conversion that floors it onto a coarser grid (a `qdf.cast`
//! into a TRN type U with `F_U < F_T`, or a `qdf.relu` into such a type: `max(floor(x), 0) =
//! floor(max(x, 0))`) needs no bits below `F_U`, provided its own producer rounds by flooring too
//! (T is TRN) or does not round at all (its exact value has at most `F_T` fractional bits): then
//! `floor(floor(e * 2^F_T) / 2^(F_T - F_U)) = floor(e * 2^F_U)`, so producing `v` directly on U's
//! grid with TRN gives the consumer the same mantissa, which it then converts without rounding. The
//! producer's conversion must not overflow (the forward analysis proved it), and `v` gets the
//! narrowest type on the coarser grid holding the floored interval. Ops visited in reverse order, so
//! a chain (dense -> relu -> truncating cast) narrows from its end. Every other rounding mode reads
//! the bits below the kept grid (half and sticky bits), so they stay.

use std::collections::{HashMap, HashSet};

use fpgaopt_ir::{Module, OpId, ValueId};
use fpgaopt_qdf::fixed::{exact_add_type, exact_mul_type};
use fpgaopt_qdf::{FixedType, Overflow, Rounding};

use super::analysis::{hull, Facts};
use super::interval::{fitting_type, Interval};
use super::{range_attr, with_elem, RANGE};

/// The type `op` converts its exact result from (fractional bits and width), for the ops whose
/// result conversion is their only rounding.
fn source(m: &Module, op: OpId) -> Option<FixedType> {
    let ty = |i: usize| FixedType::of_tensor(m.ty(*m.op(op).operands.get(i)?));
    match m.op(op).name() {
        "qdf.dense" | "qdf.matmul" => m.attr(op, "acc_type").and_then(|a| a.as_type()).and_then(FixedType::from_type),
        "qdf.relu" | "qdf.cast" | "qdf.clip" => ty(0),
        "qdf.add" | "qdf.sub" => Some(exact_add_type(&ty(0)?, &ty(1)?)),
        "qdf.mul" => Some(exact_mul_type(&ty(0)?, &ty(1)?)),
        _ => None,
    }
}

/// Applies the rule over `ops` (one function body), using the forward facts.
pub fn drop_truncated_bits(m: &mut Module, ops: &[OpId], facts: &HashMap<OpId, Facts>, keep: &HashSet<ValueId>) {
    for &c in ops.iter().rev() {
        if !matches!(m.op(c).name(), "qdf.cast" | "qdf.relu") {
            continue;
        }
        let (v, y) = (m.operand(c, 0), m.result(c, 0));
        let (Some(t), Some(u)) = (FixedType::of_tensor(m.ty(v)), FixedType::of_tensor(m.ty(y))) else { continue };
        let d = t.frac_bits() - u.frac_bits();
        if u.rounding != Rounding::Trn || d <= 0 || m.value(v).uses.len() != 1 || keep.contains(&v) {
            continue;
        }
        let Some(p) = m.def_op(v) else { continue };
        let (Some(f), Some(src)) = (facts.get(&p), source(m, p)) else { continue };
        // The producer floors or is exact, never overflows, and its new conversion drops fewer
        // fractional bits than its source has bits (an assertion in ap_private.h otherwise).
        let floors = t.rounding == Rounding::Trn || src.frac_bits() <= t.frac_bits();
        if !f.exact || !floors || src.frac_bits() - u.frac_bits() >= src.width as i64 {
            continue;
        }
        let r = hull(&f.out);
        let floored = Interval::new(r.lo >> d, r.hi >> d);
        let Some(n) = fitting_type(floored, u.frac_bits(), false) else { continue };
        let n = FixedType { rounding: Rounding::Trn, overflow: Overflow::Wrap, ..n };
        if n.width > t.width {
            continue;
        }
        let ty = with_elem(m.ty(v), &n);
        m.set_type(v, ty);
        if let Some(a) = range_attr(floored) {
            m.set_attr(p, RANGE, a);
        }
    }
}
