//! Folds the `qdf.transpose`s `qdf-layout` leaves at a model's boundary into the indexing of an
//! adjacent elementwise layer, so no layer copies data only to permute it.
//!
//! Before the layers are lowered, for each `T = qdf.transpose(x) {perm = p}` in `@main`:
//! - (a) `x = u(w)` with `u` a [`MAPPED`] layer, or a [`BINARY`] one with a constant operand,
//!   and `T` the only reader of `x`: `u` *writes permuted*: its result takes `T`'s type, it gets
//!   `write_perm = p`, and `T` goes;
//! - (b) otherwise, when `T`'s result has a single reader `u` of that kind, reading it as its
//!   array operand: `u` *reads permuted*: that operand becomes `x`, it gets `read_perm = p`, and
//!   `T` goes.
//!
//! A constant operand keeps broadcasting against the op's own (unpermuted) indices.
//!
//! A layer takes at most one of the two. The IR this leaves (an elementwise op whose operand and
//! result shapes differ by a permutation) exists only inside `qdf-to-hls`: `map` in `layers.rs`
//! reads `read_perm`/`write_perm` and loads or stores at the permuted indices, which is exactly
//! what the transpose's copy did, so values are unchanged bit for bit.

use fpgaopt_ir::{Attribute, Module, OpId};
use fpgaopt_qdf as qdf;

/// The layers lowered by `layers::map` (one element in, one out, same position).
pub(crate) const MAPPED: &[&str] =
    &["qdf.quantize", "qdf.dequantize", "qdf.cast", "qdf.relu", "qdf.leaky_relu", "qdf.clip", "qdf.table", "qdf.frelu"];

/// Elementwise ops of two operands; with one of them a constant (broadcast against the op's own
/// indices) they are layers of one array, like [`MAPPED`] ones.
pub(crate) const BINARY: &[&str] = &["qdf.add", "qdf.sub", "qdf.mul", "qdf.fadd", "qdf.fsub", "qdf.fmul", "qdf.fdiv"];

/// The attribute of a layer that reads its operand through a transpose by the given permutation.
pub(crate) const READ_PERM: &str = "read_perm";
/// The attribute of a layer that writes its result through a transpose by the given permutation.
pub(crate) const WRITE_PERM: &str = "write_perm";

/// The index of the one array operand of a layer that can absorb a transpose: a [`MAPPED`]
/// layer, or a [`BINARY`] one whose other operand is a constant; `None` for others and for layers
/// that absorbed one already.
fn array_operand(m: &Module, op: OpId) -> Option<usize> {
    if m.attr(op, READ_PERM).is_some() || m.attr(op, WRITE_PERM).is_some() {
        return None;
    }
    let name = m.op(op).name();
    if MAPPED.contains(&name) {
        return Some(0);
    }
    if !BINARY.contains(&name) {
        return None;
    }
    let is_const = |v| qdf::Constant::defining(m, v).is_some() || qdf::FConstant::defining(m, v).is_some();
    match (is_const(m.operand(op, 0)), is_const(m.operand(op, 1))) {
        (false, true) => Some(0),
        (true, false) => Some(1),
        _ => None,
    }
}

/// Folds every transpose of `func`'s body that has a [`MAPPED`] neighbour; returns how many.
pub(crate) fn fold_transposes(m: &mut Module, func: OpId) -> usize {
    let Some(body) = m.entry_block(func, 0) else { return 0 };
    let transposes: Vec<OpId> = m.block_ops(body).iter().copied().filter(|&o| qdf::Transpose::of(m, o).is_some()).collect();
    let mut folded = 0;
    for t in transposes {
        let (x, y, perm) = {
            let tr = qdf::Transpose(t);
            (tr.input(m), tr.output(m), tr.perm(m))
        };
        let producer = m.def_op(x).filter(|&u| array_operand(m, u).is_some() && m.value(x).uses.len() == 1);
        let reader = match m.value(y).uses.as_slice() {
            [(u, i)] if array_operand(m, *u) == Some(*i as usize) => Some((*u, *i as usize)),
            _ => None,
        };
        if let Some(u) = producer {
            // (a) u writes permuted.
            let ty = m.ty(y).clone();
            m.set_type(x, ty);
            m.set_attr(u, WRITE_PERM, Attribute::i64_array(&perm));
            m.replace_all_uses(y, x);
        } else if let Some((u, i)) = reader {
            // (b) u reads permuted.
            m.set_operand(u, i, x);
            m.set_attr(u, READ_PERM, Attribute::i64_array(&perm));
        } else {
            continue;
        }
        m.erase(t);
        folded += 1;
    }
    folded
}
