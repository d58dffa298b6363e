//! Folds the `qdf.transpose`s `qdf-layout` leaves at a model's boundary into the indexing of an
//! adjacent elementwise layer, so no layer copies data only to permute it.
//!
//! Before the layers are lowered, for each `T = qdf.transpose(x) {perm = p}` in `@main`:
//! - (a) `x = u(w)` with `u` a [`MAPPED`] layer and `T` the only reader of `x`: `u` *writes
//!   permuted*: its result takes `T`'s type, it gets `write_perm = p`, and `T` goes;
//! - (b) otherwise, when `T`'s result has a single reader `u`, a [`MAPPED`] layer: `u` *reads
//!   permuted*: its operand becomes `x`, it gets `read_perm = p`, and `T` goes.
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

/// The attribute of a layer that reads its operand through a transpose by the given permutation.
pub(crate) const READ_PERM: &str = "read_perm";
/// The attribute of a layer that writes its result through a transpose by the given permutation.
pub(crate) const WRITE_PERM: &str = "write_perm";

/// True for a [`MAPPED`] layer that absorbed no transpose yet.
fn free_mapped(m: &Module, op: OpId) -> bool {
    MAPPED.contains(&m.op(op).name()) && m.attr(op, READ_PERM).is_none() && m.attr(op, WRITE_PERM).is_none()
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
        let producer = m.def_op(x).filter(|&u| free_mapped(m, u) && m.value(x).uses.len() == 1);
        let reader = match m.value(y).uses.as_slice() {
            [(u, 0)] if free_mapped(m, *u) => Some(*u),
            _ => None,
        };
        if let Some(u) = producer {
            // (a) u writes permuted.
            let ty = m.ty(y).clone();
            m.set_type(x, ty);
            m.set_attr(u, WRITE_PERM, Attribute::i64_array(&perm));
            m.replace_all_uses(y, x);
        } else if let Some(u) = reader {
            // (b) u reads permuted.
            m.set_operand(u, 0, x);
            m.set_attr(u, READ_PERM, Attribute::i64_array(&perm));
        } else {
            continue;
        }
        m.erase(t);
        folded += 1;
    }
    folded
}
