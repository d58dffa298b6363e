//! The verifier: declared constraints of every op, SSA dominance, terminators, then op-specific checks.

use std::collections::HashSet;

use crate::diag::Diagnostic;
use crate::ir::{BlockId, Module, OpId, ValueId};
use crate::opdef::Trait;

/// Verifies the whole module; returns every problem found.
pub fn verify(m: &Module) -> Result<(), Vec<Diagnostic>> {
    let mut v = Verifier { m, errors: vec![] };
    let mut visible = vec![HashSet::new()];
    v.op(m.top(), &mut visible);
    if v.errors.is_empty() {
        Ok(())
    } else {
        Err(v.errors)
    }
}

struct Verifier<'a> {
    m: &'a Module,
    errors: Vec<Diagnostic>,
}

impl Verifier<'_> {
    fn err(&mut self, op: OpId, msg: String) {
        let name = self.m.op(op).name();
        self.errors.push(Diagnostic::error(self.m.op(op).loc.clone(), format!("'{name}' op {msg}")));
    }

    fn op(&mut self, op: OpId, visible: &mut Vec<HashSet<ValueId>>) {
        let m = self.m;
        let data = m.op(op);
        let def = data.def;
        let before = self.errors.len();
        // Operands: defined, visible, counted, typed.
        for (i, &v) in data.operands.iter().enumerate() {
            if !visible.iter().any(|s| s.contains(&v)) {
                self.err(op, format!("operand #{i} does not dominate this use"));
            }
        }
        let fixed_operands = def.operands.iter().filter(|a| !a.variadic).count();
        let variadic_operands = def.operands.iter().any(|a| a.variadic);
        if data.operands.len() < fixed_operands || (!variadic_operands && data.operands.len() != fixed_operands) {
            self.err(op, format!("expected {fixed_operands} operands, found {}", data.operands.len()));
        } else {
            for (i, &v) in data.operands.iter().enumerate() {
                let a = &def.operands[i.min(def.operands.len() - 1)];
                if !(a.constraint.check)(m.ty(v)) {
                    self.err(op, format!("operand #{i} ('{}') must be {}, but got {}", a.name, a.constraint.summary, m.ty(v)));
                }
            }
        }
        let fixed_results = def.results.iter().filter(|a| !a.variadic).count();
        let variadic_results = def.results.iter().any(|a| a.variadic);
        if data.results.len() < fixed_results || (!variadic_results && data.results.len() != fixed_results) {
            self.err(op, format!("expected {fixed_results} results, found {}", data.results.len()));
        } else {
            for (i, &v) in data.results.iter().enumerate() {
                let a = &def.results[i.min(def.results.len() - 1)];
                if !(a.constraint.check)(m.ty(v)) {
                    self.err(op, format!("result #{i} ('{}') must be {}, but got {}", a.name, a.constraint.summary, m.ty(v)));
                }
            }
        }
        // Attributes: required present, declared well-formed, undeclared only if dialect-prefixed.
        for a in def.attrs {
            match data.attr(a.name) {
                None if !a.optional => self.err(op, format!("requires attribute '{}'", a.name)),
                Some(v) if !(a.constraint.check)(v) => {
                    self.err(op, format!("attribute '{}' must be {}, but got {v}", a.name, a.constraint.summary))
                }
                _ => {}
            }
        }
        for (k, _) in &data.attrs {
            if def.attr_def(k).is_none() && !k.contains('.') {
                self.err(op, format!("has unknown attribute '{k}'"));
            }
        }
        // Regions.
        if data.regions.len() != def.regions.len() {
            self.err(op, format!("expected {} regions, found {}", def.regions.len(), data.regions.len()));
        }
        if def.has_trait(Trait::Terminator) {
            let last = data.parent.and_then(|b| m.block_ops(b).last().copied());
            if last != Some(op) {
                self.err(op, "must be the last operation in its block".into());
            }
        }
        if self.errors.len() == before {
            if let Some(f) = def.verify {
                if let Err(msg) = f(m, op) {
                    self.err(op, msg);
                }
            }
        }
        let isolated = def.has_trait(Trait::IsolatedFromAbove);
        for &r in &data.regions {
            for &b in &m.region(r).blocks {
                self.block(op, b, isolated, visible);
            }
        }
        if let Some(s) = visible.last_mut() {
            s.extend(data.results.iter().copied());
        }
    }

    fn block(&mut self, parent: OpId, b: BlockId, isolated: bool, visible: &mut Vec<HashSet<ValueId>>) {
        let m = self.m;
        let saved = if isolated { Some(std::mem::take(visible)) } else { None };
        visible.push(m.block(b).args.iter().copied().collect());
        for &o in m.block_ops(b) {
            if m.op(o).parent != Some(b) || m.op(o).erased {
                self.err(o, "is listed in a block it does not belong to".into());
                continue;
            }
            self.op(o, visible);
        }
        let needs_terminator = !m.op(parent).def.has_trait(Trait::NoTerminator);
        if needs_terminator {
            match m.block_ops(b).last() {
                Some(&last) if m.op(last).def.has_trait(Trait::Terminator) => {}
                Some(&last) => self.err(last, "is not a terminator, but ends a block that needs one".into()),
                None => self.err(parent, "has an empty block that needs a terminator".into()),
            }
        }
        visible.pop();
        if let Some(s) = saved {
            *visible = s;
        }
    }
}
