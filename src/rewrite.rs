//! The greedy pattern-rewrite driver, after MLIR's `applyPatternsGreedily`.
//!
//! A [`Pattern`] is a named Rust function `fn(&mut Module, OpId) -> bool`: it matches at one
//! operation and rewrites the IR in place, returning true exactly when it changed something. Each
//! pattern function carries MLIR's one-line algebraic comment (`// relu(relu(x)) -> relu(x)`).
//!
//! The driver keeps a worklist of the operations nested in a root (not the root itself). It pops an
//! operation and
//! - erases it if it is dead: `Pure`, not a terminator, with at least one result and no use of any;
//! - otherwise tries the patterns in order and stops at the first that applies.
//!
//! After a change it revisits the operation itself (if still live), the former users of its results
//! (and the operations now defining their operands, which is where replacements live) and the
//! operations that defined its operands (they may have become dead). One pass over the whole worklist
//! is an iteration; iterations start again from every operation under the root until one changes
//! nothing (a fixpoint) or `max_iterations` is reached. `max_rewrites` bounds the total number of
//! pattern applications so that patterns that undo each other cannot loop forever.
//!
//! Rules for patterns: keep the IR valid after every application (types of replaced values match);
//! insert new operations before the matched one; erase at most the matched operation and leave other
//! operations that became dead to the driver.

use std::collections::HashSet;

use crate::ir::{Module, OpId};
use crate::opdef::Trait;

/// A named rewrite: the name appears in statistics and debug output.
#[derive(Clone, Copy, Debug)]
pub struct Pattern {
    /// Kebab-case, e.g. `fold-bn-into-dense`.
    pub name: &'static str,
    /// Rewrites at the given operation; true when the IR changed.
    pub apply: fn(&mut Module, OpId) -> bool,
}

impl Pattern {
    /// A pattern from a name and a function.
    pub const fn new(name: &'static str, apply: fn(&mut Module, OpId) -> bool) -> Pattern {
        Pattern { name, apply }
    }
}

/// Limits of the driver.
#[derive(Clone, Copy, Debug)]
pub struct GreedyConfig {
    /// Sweeps over the IR before giving up on a fixpoint (MLIR's default is 10).
    pub max_iterations: usize,
    /// Total pattern applications before giving up; guards against patterns that undo each other.
    pub max_rewrites: usize,
    /// Whether dead pure operations are erased.
    pub erase_dead: bool,
}

impl Default for GreedyConfig {
    fn default() -> Self {
        GreedyConfig { max_iterations: 10, max_rewrites: 1_000_000, erase_dead: true }
    }
}

/// Why the driver stopped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StopReason {
    /// An iteration changed nothing.
    Converged,
    /// `max_iterations` sweeps all changed the IR.
    IterationLimit,
    /// `max_rewrites` pattern applications happened.
    RewriteLimit,
}

/// What the driver did.
#[derive(Clone, Debug)]
pub struct RewriteStats {
    pub stop: StopReason,
    /// Sweeps run, including the final one that changed nothing.
    pub iterations: usize,
    /// Applications of each pattern, in pattern order.
    pub applied: Vec<(&'static str, usize)>,
    /// Dead operations erased.
    pub erased_dead: usize,
}

impl RewriteStats {
    /// True when the driver reached a fixpoint.
    pub fn converged(&self) -> bool {
        self.stop == StopReason::Converged
    }

    /// Total pattern applications.
    pub fn total_applied(&self) -> usize {
        self.applied.iter().map(|(_, n)| n).sum()
    }

    /// A one-line human-readable account, e.g. for a pass remark.
    pub fn describe(&self) -> String {
        let why = match self.stop {
            StopReason::Converged => "converged",
            StopReason::IterationLimit => "stopped at the iteration limit without converging",
            StopReason::RewriteLimit => "stopped at the rewrite limit without converging",
        };
        let applied: Vec<String> =
            self.applied.iter().filter(|(_, n)| *n > 0).map(|(p, n)| format!("{p} x{n}")).collect();
        format!(
            "{why} after {} iteration(s); {} rewrite(s) [{}], {} dead op(s) erased",
            self.iterations,
            self.total_applied(),
            applied.join(", "),
            self.erased_dead
        )
    }
}

/// A stack of operations with O(1) membership, so an operation is queued at most once.
struct Worklist {
    stack: Vec<OpId>,
    queued: HashSet<OpId>,
}

impl Worklist {
    fn new() -> Worklist {
        Worklist { stack: vec![], queued: HashSet::new() }
    }

    fn push(&mut self, op: OpId) {
        if self.queued.insert(op) {
            self.stack.push(op);
        }
    }

    fn pop(&mut self) -> Option<OpId> {
        let op = self.stack.pop()?;
        self.queued.remove(&op);
        Some(op)
    }
}

/// True when `op` can be erased: pure, not a terminator, with results that nothing reads.
pub fn is_trivially_dead(m: &Module, op: OpId) -> bool {
    let data = m.op(op);
    !data.erased
        && data.parent.is_some()
        && data.def.has_trait(Trait::Pure)
        && !data.def.has_trait(Trait::Terminator)
        && !data.results.is_empty()
        && m.results_unused(op)
}

/// Applies `patterns` to the operations nested in `root` until a fixpoint or a limit.
pub fn apply_patterns_greedily(
    m: &mut Module,
    root: OpId,
    patterns: &[Pattern],
    config: &GreedyConfig,
) -> RewriteStats {
    let mut stats = RewriteStats {
        stop: StopReason::IterationLimit,
        iterations: 0,
        applied: patterns.iter().map(|p| (p.name, 0)).collect(),
        erased_dead: 0,
    };
    let mut rewrites = 0usize;
    while stats.iterations < config.max_iterations {
        stats.iterations += 1;
        let mut changed = false;
        let mut list = Worklist::new();
        // Reversed so that popping visits operations in program order: definitions before uses.
        for op in m.collect(root).into_iter().skip(1).rev() {
            list.push(op);
        }
        while let Some(op) = list.pop() {
            if m.op(op).erased {
                continue;
            }
            if config.erase_dead && is_trivially_dead(m, op) {
                let defs: Vec<OpId> = m.op(op).operands.iter().filter_map(|&v| m.def_op(v)).collect();
                m.erase(op);
                stats.erased_dead += 1;
                changed = true;
                defs.into_iter().for_each(|d| list.push(d));
                continue;
            }
            if rewrites >= config.max_rewrites {
                stats.stop = StopReason::RewriteLimit;
                return stats;
            }
            let operand_defs: Vec<OpId> = m.op(op).operands.iter().filter_map(|&v| m.def_op(v)).collect();
            let users: Vec<OpId> =
                m.op(op).results.iter().flat_map(|&r| m.value(r).uses.iter().map(|&(u, _)| u)).collect();
            let Some(i) = patterns.iter().position(|p| (p.apply)(m, op)) else { continue };
            stats.applied[i].1 += 1;
            rewrites += 1;
            changed = true;
            revisit(m, &mut list, op, &users, &operand_defs);
        }
        if !changed {
            stats.stop = StopReason::Converged;
            return stats;
        }
    }
    stats
}

/// Queues what a rewrite at `op` may have made rewritable or dead.
fn revisit(m: &Module, list: &mut Worklist, op: OpId, users: &[OpId], operand_defs: &[OpId]) {
    let live = |o: &OpId| !m.op(*o).erased;
    for &d in operand_defs.iter().filter(|o| live(o)) {
        list.push(d);
    }
    for &u in users.iter().filter(|o| live(o)) {
        for d in m.op(u).operands.iter().filter_map(|&v| m.def_op(v)).filter(|o| live(o)) {
            list.push(d);
        }
        list.push(u);
    }
    if live(&op) {
        list.push(op);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::{ReturnOp, FLOAT_TENSOR};
    use crate::diag::Location;
    use crate::ir::{InsertPoint, ValueId};
    use crate::types::Type;
    use crate::{op, Attribute};

    op! {
        /// A test negation.
        pub struct Neg = "test.neg" {
            summary: "negation",
            description: "",
            operands: [input: FLOAT_TENSOR],
            results: [output: FLOAT_TENSOR],
            attributes: [],
            optional_attributes: [],
            regions: [],
            traits: [Pure],
            verify: None,
        }
    }

    fn t() -> Type {
        Type::tensor(vec![4], Type::F32)
    }

    /// A function `@f(%x)` whose body applies `test.neg` `n` times and returns the result.
    fn chain(n: usize) -> (Module, OpId, Vec<Neg>) {
        let mut m = Module::new(Location::Unknown);
        let f = m.build(
            InsertPoint::End(m.body()),
            crate::builtin::FuncOp::spec(Location::Unknown)
                .attr("sym_name", Attribute::str("f"))
                .attr("function_type", Attribute::Type(Type::function(vec![t()], vec![t()]))),
        );
        let region = m.op(f).regions[0];
        let b = m.add_block(region, &[t()]);
        let mut v: ValueId = m.block(b).args[0];
        let mut negs = vec![];
        for _ in 0..n {
            let neg = Neg::build(&mut m, InsertPoint::End(b), Location::Unknown, v, t());
            v = neg.output(&m);
            negs.push(neg);
        }
        ReturnOp::build(&mut m, InsertPoint::End(b), Location::Unknown, vec![v]);
        (m, f, negs)
    }

    // neg(neg(x)) -> x
    fn double_neg(m: &mut Module, op: OpId) -> bool {
        let Some(outer) = Neg::of(m, op) else { return false };
        let Some(inner) = Neg::defining(m, outer.input(m)) else { return false };
        let x = inner.input(m);
        m.replace_op(op, &[x]);
        true
    }

    fn returned(m: &Module, f: OpId) -> ValueId {
        let b = m.entry_block(f, 0).expect("body");
        let ret = *m.block_ops(b).last().expect("return");
        m.operand(ret, 0)
    }

    #[test]
    fn folds_chains_and_erases_dead_ops() {
        let (mut m, f, _) = chain(4);
        let top = m.top();
        let stats =
            apply_patterns_greedily(&mut m, top, &[Pattern::new("double-neg", double_neg)], &GreedyConfig::default());
        assert!(stats.converged(), "{}", stats.describe());
        let b = m.entry_block(f, 0).expect("body");
        assert_eq!(returned(&m, f), m.block(b).args[0]);
        assert_eq!(m.block_ops(b).len(), 1, "only func.return is left");
        assert_eq!(stats.applied, vec![("double-neg", 2)]);
        assert_eq!(stats.erased_dead, 2);
        assert!(crate::verifier::verify(&m).is_ok());
    }

    #[test]
    fn odd_chain_keeps_one_op() {
        let (mut m, f, _) = chain(5);
        let top = m.top();
        let stats =
            apply_patterns_greedily(&mut m, top, &[Pattern::new("double-neg", double_neg)], &GreedyConfig::default());
        assert!(stats.converged());
        let b = m.entry_block(f, 0).expect("body");
        assert_eq!(m.block_ops(b).len(), 2);
        let last = Neg::defining(&m, returned(&m, f)).expect("one neg left");
        assert_eq!(last.input(&m), m.block(b).args[0]);
    }

    #[test]
    fn dead_code_erasure_can_be_disabled() {
        let (mut m, f, negs) = chain(2);
        let arg = m.block(m.entry_block(f, 0).expect("body")).args[0];
        let ret = *m.block_ops(m.entry_block(f, 0).expect("body")).last().expect("return");
        m.set_operand(ret, 0, arg);
        let config = GreedyConfig { erase_dead: false, ..GreedyConfig::default() };
        let top = m.top();
        let stats = apply_patterns_greedily(&mut m, top, &[], &config);
        assert!(stats.converged());
        assert!(!m.op(negs[1].0).erased);
        let top = m.top();
        let stats = apply_patterns_greedily(&mut m, top, &[], &GreedyConfig::default());
        assert_eq!(stats.erased_dead, 2);
        assert_eq!(stats.iterations, 2, "one sweep erases, one confirms");
    }

    // An always-succeeding rewrite: sets an attribute again and again.
    fn touch(m: &mut Module, op: OpId) -> bool {
        if Neg::of(m, op).is_none() {
            return false;
        }
        m.set_attr(op, "test.touched", Attribute::Unit);
        true
    }

    #[test]
    fn rewrite_limit_stops_ping_pong() {
        let (mut m, _, _) = chain(1);
        let config = GreedyConfig { max_rewrites: 50, ..GreedyConfig::default() };
        let top = m.top();
        let stats = apply_patterns_greedily(&mut m, top, &[Pattern::new("touch", touch)], &config);
        assert_eq!(stats.stop, StopReason::RewriteLimit);
        assert_eq!(stats.total_applied(), 50);
        assert!(stats.describe().contains("rewrite limit"));
    }

    // Two rewrites that undo each other across sweeps: the function clears a flag its body sets.
    fn clear_flag(m: &mut Module, op: OpId) -> bool {
        m.is(op, crate::builtin::FuncOp::def()) && m.remove_attr(op, "test.flag").is_some()
    }

    fn set_flag(m: &mut Module, op: OpId) -> bool {
        let Some(f) = m.parent_op(op).filter(|_| Neg::of(m, op).is_some()) else { return false };
        if m.attr(f, "test.flag").is_some() {
            return false;
        }
        m.set_attr(f, "test.flag", Attribute::Unit);
        true
    }

    #[test]
    fn iteration_limit_is_reported() {
        let (mut m, _, _) = chain(1);
        let config = GreedyConfig { max_iterations: 3, ..GreedyConfig::default() };
        let patterns = [Pattern::new("clear-flag", clear_flag), Pattern::new("set-flag", set_flag)];
        let top = m.top();
        let stats = apply_patterns_greedily(&mut m, top, &patterns, &config);
        assert_eq!(stats.stop, StopReason::IterationLimit);
        assert_eq!(stats.iterations, 3);
        assert_eq!(stats.applied, vec![("clear-flag", 2), ("set-flag", 3)]);
        assert!(stats.describe().contains("iteration limit"));
    }
}
