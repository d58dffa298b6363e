//! Matching rules in the e-graph, applying them, and the saturation loop.
//!
//! Each iteration searches every rule over the e-classes in ascending id order (read only), then
//! applies the matches in rule order, then rebuilds. It stops when an iteration changes nothing
//! (saturated) or at a limit. A match applies when its guards hold, its right-hand side builds
//! (every constant function computes, every op type-checks) and the right-hand side's type equals
//! the matched class's type. Rules never match at a class whose value is a known constant.
//!
//! A multi-pattern rule matches its first pattern at a class, then its second at every other
//! class (ascending ids) with the first's bindings; a pair of roots is kept once (when the
//! second pattern also matches with the roots swapped, the later-found order is dropped). Its
//! application builds both right-hand sides (shared subterms once, by hash-consing) and unions
//! each root with its own.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use egg::Id;
use fpgaopt_ir::Attribute;

use super::guards::{ArgVal, GuardArg};
use super::lang::{attr, constant_node, infer_type, Attrs, Node, NnGraph};
use super::rules::{AttrPat, Rule, Slot, Term};

/// A slot's binding.
#[derive(Clone, Debug, PartialEq)]
enum Bound {
    Unset,
    Class(Id),
    Attr(Option<Attribute>),
    Rest(Attrs),
}

/// One match: the bindings and, per left-hand op, the class it matched.
#[derive(Clone, Debug)]
struct Match {
    root: Id,
    /// The second root of a multi-pattern match.
    root2: Option<Id>,
    slots: Vec<Bound>,
    ops: Vec<(&'static str, Id)>,
}

fn match_attrs(attrs: &Attrs, pats: &[AttrPat], m: &mut Match) -> bool {
    let mut named: Vec<&str> = vec![];
    for p in pats {
        match p {
            AttrPat::Lit(n, v) => {
                named.push(n);
                if attr(attrs, n) != Some(v) {
                    return false;
                }
            }
            AttrPat::Absent(n) => {
                named.push(n);
                if attr(attrs, n).is_some() {
                    return false;
                }
            }
            AttrPat::Var(n, s) => {
                named.push(n);
                let v = Bound::Attr(attr(attrs, n).cloned());
                if !bind(m, *s, v) {
                    return false;
                }
            }
            AttrPat::Rest(_) | AttrPat::Call(..) => {}
        }
    }
    for p in pats {
        if let AttrPat::Rest(s) = p {
            let rest: Attrs = attrs.iter().filter(|(k, _)| !named.contains(&k.as_str())).cloned().collect();
            if !bind(m, *s, Bound::Rest(rest)) {
                return false;
            }
        }
    }
    true
}

fn bind(m: &mut Match, s: Slot, v: Bound) -> bool {
    match &m.slots[s] {
        Bound::Unset => {
            m.slots[s] = v;
            true
        }
        old => *old == v,
    }
}

/// Every way `term` matches e-class `class` extending `m`.
fn match_term(g: &NnGraph, term: &Term, class: Id, m: Match, out: &mut Vec<Match>) {
    let class = g.find(class);
    match term {
        Term::Var(s) => {
            let mut m = m;
            if bind(&mut m, *s, Bound::Class(class)) {
                out.push(m);
            }
        }
        Term::Op { op, attrs, children } => {
            for node in g[class].nodes.iter().filter(|n| n.op == *op && n.children.len() == children.len()) {
                let mut m2 = m.clone();
                if !match_attrs(g.analysis.attrs.get(node.attrs), attrs, &mut m2) {
                    continue;
                }
                m2.ops.push((op, class));
                match_children(g, children, &node.children, m2, out);
            }
        }
        Term::Call { .. } => {}
    }
}

fn match_children(g: &NnGraph, pats: &[Term], ids: &[Id], m: Match, out: &mut Vec<Match>) {
    let Some((p, rest)) = pats.split_first() else {
        out.push(m);
        return;
    };
    let mut firsts = vec![];
    match_term(g, p, ids[0], m, &mut firsts);
    for m in firsts {
        match_children(g, rest, &ids[1..], m, out);
    }
}

/// The value of a call argument.
fn arg_value(g: &mut NnGraph, rule: &Rule, t: &Term, m: &Match) -> Option<ArgVal> {
    if let Term::Var(s) = t {
        if let Bound::Attr(a) = &m.slots[*s] {
            return Some(ArgVal { attr: a.clone(), ..ArgVal::default() });
        }
    }
    if let Term::Call { func, args } = t {
        let vals = args.iter().map(|a| arg_value(g, rule, a, m)).collect::<Option<Vec<_>>>()?;
        let v = (func.eval)(&vals)?;
        return Some(ArgVal { ty: Some(v.ty()), value: Some(v.into()), attr: None });
    }
    let id = instantiate(g, rule, t, m)?;
    let d = &g[id].data;
    Some(ArgVal { ty: Some(d.ty.clone()), value: d.value.clone(), attr: None })
}

/// Adds the right-hand side term to the e-graph; `None` if a function fails or an op is ill-typed.
fn instantiate(g: &mut NnGraph, rule: &Rule, t: &Term, m: &Match) -> Option<Id> {
    match t {
        Term::Var(s) => match &m.slots[*s] {
            Bound::Class(c) => Some(*c),
            _ => None,
        },
        Term::Call { .. } => {
            let v = arg_value(g, rule, t, m)?;
            let node = constant_node(g, v.value.as_deref()?);
            Some(g.add(node))
        }
        Term::Op { op, attrs: pats, children } => {
            let kids = children.iter().map(|c| instantiate(g, rule, c, m)).collect::<Option<Vec<Id>>>()?;
            let mut attrs: Attrs = vec![];
            for p in pats {
                match (p, p_slot(p).map(|s| &m.slots[s])) {
                    (AttrPat::Lit(n, v), _) => attrs.push((n.clone(), v.clone())),
                    (AttrPat::Var(n, _), Some(Bound::Attr(Some(v)))) => attrs.push((n.clone(), v.clone())),
                    (AttrPat::Rest(_), Some(Bound::Rest(r))) => attrs.extend(r.iter().cloned()),
                    (AttrPat::Call(n, f, args), _) => {
                        let vals = args.iter().map(|a| arg_value(g, rule, a, m)).collect::<Option<Vec<_>>>()?;
                        attrs.push((n.clone(), (f.eval)(&vals)?));
                    }
                    _ => {}
                }
            }
            attrs.sort_by(|a, b| a.0.cmp(&b.0));
            attrs.dedup_by(|a, b| a.0 == b.0);
            let types: Vec<&fpgaopt_ir::Type> = kids.iter().map(|&c| &g[c].data.ty).collect();
            infer_type(op, &attrs, &types)?;
            let attrs = g.analysis.attrs.intern(attrs);
            Some(g.add(Node { op, attrs, children: kids }))
        }
    }
}

fn p_slot(p: &AttrPat) -> Option<Slot> {
    match p {
        AttrPat::Var(_, s) | AttrPat::Rest(s) => Some(*s),
        _ => None,
    }
}

/// Applies one match; true when the e-graph changed.
fn apply(g: &mut NnGraph, rule: &Rule, m: &Match) -> bool {
    for (guard, args) in &rule.guards {
        let bound: Vec<GuardArg> = args
            .iter()
            .filter_map(|&s| match &m.slots[s] {
                Bound::Class(c) => Some(GuardArg::Class(g.find(*c))),
                Bound::Attr(a) => Some(GuardArg::Attr(a.clone())),
                _ => None,
            })
            .collect();
        if !(guard.check)(g, &bound) {
            return false;
        }
    }
    let size = g.total_number_of_nodes();
    let Some(new) = instantiate(g, rule, &rule.rhs, m) else { return false };
    let root = g.find(m.root);
    if g[new].data.ty != g[root].data.ty {
        return false;
    }
    if let (Some((_, rhs2)), Some(root2)) = (&rule.pair, m.root2) {
        let Some(new2) = instantiate(g, rule, rhs2, m) else { return false };
        let root2 = g.find(root2);
        if g[new2].data.ty != g[root2].data.ty {
            return false;
        }
        let unioned = g.union(root2, new2);
        return g.union(root, new) | unioned || g.total_number_of_nodes() != size;
    }
    // The new root op keeps the location of the left-hand op of the same name.
    if let Term::Op { op, .. } = &rule.rhs {
        if let Some(&(_, from)) = m.ops.iter().find(|(o, _)| o == op) {
            let origin = g[from].data.origins.0.iter().find(|o| o.0 == *op).cloned();
            if let Some((o, order, loc)) = origin {
                let new = g.find(new);
                g[new].data.origins.add(o, order, loc);
            }
        }
    }
    let unioned = g.union(root, new);
    unioned || g.total_number_of_nodes() != size
}

/// Why saturation stopped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stop {
    Saturated,
    IterationLimit,
    NodeLimit,
    TimeLimit,
}

impl Stop {
    /// The words of the remark.
    pub fn describe(self) -> &'static str {
        match self {
            Stop::Saturated => "saturated",
            Stop::IterationLimit => "iteration limit",
            Stop::NodeLimit => "node limit",
            Stop::TimeLimit => "time limit",
        }
    }
}

/// Runner limits.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub iterations: usize,
    pub nodes: usize,
    pub time: Duration,
}

/// What saturation did.
#[derive(Debug)]
pub struct Report {
    pub stop: Stop,
    pub iterations: usize,
    /// Per rule (in rule order): applications that changed the e-graph.
    pub applied: Vec<(String, usize)>,
}

/// Runs the rules until saturation or a limit.
pub fn saturate(g: &mut NnGraph, rules: &[Rule], limits: &Limits) -> Report {
    let start = Instant::now();
    let mut applied: Vec<(String, usize)> = rules.iter().map(|r| (r.name.clone(), 0)).collect();
    let mut iterations = 0;
    let stop = loop {
        if iterations >= limits.iterations {
            break Stop::IterationLimit;
        }
        iterations += 1;
        // Classes holding each op, in ascending id order. Constant classes are left out: their
        // value is known, and rewriting constant arithmetic only makes new roundings of it.
        let mut by_op: BTreeMap<&'static str, Vec<Id>> = BTreeMap::new();
        let mut ids: Vec<Id> = g.classes().map(|c| c.id).collect();
        ids.sort();
        for &id in ids.iter().filter(|&&id| g[id].data.value.is_none()) {
            let mut ops: Vec<&'static str> = g[id].nodes.iter().map(|n| n.op).collect();
            ops.dedup();
            for op in ops {
                by_op.entry(op).or_default().push(id);
            }
        }
        let mut found: Vec<Vec<Match>> = vec![];
        for r in rules {
            let Term::Op { op, .. } = &r.lhs else { unreachable!("parse_rules rejects variables on the left") };
            let mut ms = vec![];
            let classes = |op: &str| by_op.get(op).map_or(&[][..], Vec::as_slice);
            for &c in classes(op) {
                let m = Match { root: c, root2: None, slots: vec![Bound::Unset; r.slots.len()], ops: vec![] };
                match_term(g, &r.lhs, c, m, &mut ms);
            }
            if let Some((lhs2 @ Term::Op { op: op2, .. }, _)) = &r.pair {
                let mut pairs = vec![];
                for m in ms {
                    for &c2 in classes(op2).iter().filter(|&&c2| c2 != m.root) {
                        let m2 = Match { root2: Some(c2), ..m.clone() };
                        match_term(g, lhs2, c2, m2, &mut pairs);
                    }
                }
                let mut kept: BTreeSet<(Id, Id)> = BTreeSet::new();
                ms = vec![];
                for m in pairs {
                    let key = (m.root, m.root2.unwrap_or(m.root));
                    if !kept.contains(&(key.1, key.0)) {
                        kept.insert(key);
                        ms.push(m);
                    }
                }
            }
            found.push(ms);
        }
        let before = g.total_number_of_nodes();
        let mut changed = false;
        for (i, (r, ms)) in rules.iter().zip(&found).enumerate() {
            for m in ms {
                if apply(g, r, m) {
                    applied[i].1 += 1;
                    changed = true;
                }
            }
        }
        changed |= g.total_number_of_nodes() != before;
        g.rebuild();
        if !changed {
            break Stop::Saturated;
        }
        if g.total_number_of_nodes() > limits.nodes {
            break Stop::NodeLimit;
        }
        if start.elapsed() > limits.time {
            break Stop::TimeLimit;
        }
    };
    Report { stop, iterations, applied }
}

/// Adds `term` of `rule` to the e-graph with its class variables bound to `classes` (by slot;
/// attribute slots unbound): the rule tests build their input and expected terms with it.
pub fn add_term(g: &mut NnGraph, rule: &Rule, term: &Term, classes: &[Option<Id>]) -> Option<Id> {
    let slots = classes.iter().map(|c| c.map_or(Bound::Unset, Bound::Class)).collect();
    let m = Match { root: Id::from(0usize), root2: None, slots, ops: vec![] };
    instantiate(g, rule, term, &m)
}
