//! Choosing one e-node per e-class by the cost model.
//!
//! First the classic tree-cost extraction (egg's algorithm: every class's cheapest node given its
//! children's costs, to a fixpoint, classes in ascending id order), then a local search on the
//! real cost of the chosen DAG, where a value read twice is paid once: for each reachable class
//! in id order, each other node is tried and kept when the DAG cost drops. Tree cost alone would
//! duplicate a shared layer to fuse an activation into one of its readers. A move that brings a
//! new class into the DAG is also tried paired with a second reader of that class.

use std::collections::{BTreeMap, HashMap};

use egg::Id;

use super::convert::{Built, NnCost};
use super::lang::Node;
use crate::cost::CostModel;

/// The chosen node of every class that has a finite cost.
pub type Selection = BTreeMap<Id, Node>;

/// Rounds of the local search at most.
const ROUNDS: usize = 4;

/// The selection for `built`: tree-cost optimal, then improved on DAG cost.
pub fn select(built: &Built, model: CostModel) -> Selection {
    let g = &built.graph;
    let cost = NnCost::new(built, model);
    let mut ids: Vec<Id> = g.classes().map(|c| c.id).collect();
    ids.sort();
    let own: HashMap<&Node, f64> = ids.iter().flat_map(|&c| g[c].nodes.iter()).map(|n| (n, cost.own(n))).collect();
    let mut tree: BTreeMap<Id, (f64, &Node)> = BTreeMap::new();
    let mut changed = true;
    while changed {
        changed = false;
        for &c in &ids {
            for n in &g[c].nodes {
                let Some(kids) = n.children.iter().map(|&k| tree.get(&g.find(k)).map(|t| t.0)).sum::<Option<f64>>() else {
                    continue;
                };
                let total = own[n] + kids;
                if tree.get(&c).is_none_or(|t| total < t.0) {
                    tree.insert(c, (total, n));
                    changed = true;
                }
            }
        }
    }
    let sel: Selection = tree.into_iter().map(|(c, (_, n))| (c, n.clone())).collect();
    improve(built, sel, &own)
}

/// The chosen DAG with reference counts: a class is in the DAG while a chosen node (or a root)
/// reads it. `depth` is a topological potential (every chosen edge goes to a smaller depth), so
/// a cycle check only walks classes deeper than the class being changed.
struct Dag<'a> {
    built: &'a Built,
    own: &'a HashMap<&'a Node, f64>,
    sel: Selection,
    refs: HashMap<Id, usize>,
    depth: HashMap<Id, usize>,
}

impl Dag<'_> {
    fn children(&self, c: Id) -> Vec<Id> {
        let g = &self.built.graph;
        self.sel.get(&c).map_or(vec![], |n| n.children.iter().map(|&k| g.find(k)).collect())
    }

    /// Adds one reference to each of `ids`; returns the cost of the classes that join the DAG.
    fn add_refs(&mut self, ids: Vec<Id>) -> f64 {
        let (mut stack, mut cost) = (ids, 0.0);
        while let Some(k) = stack.pop() {
            let r = self.refs.entry(k).or_insert(0);
            *r += 1;
            if *r == 1 {
                cost += self.sel.get(&k).map_or(0.0, |n| self.own[n]);
                stack.extend(self.children(k));
            }
        }
        cost
    }

    /// Removes one reference from each of `ids`; returns the cost of the classes that leave the DAG.
    fn remove_refs(&mut self, ids: Vec<Id>) -> f64 {
        let (mut stack, mut cost) = (ids, 0.0);
        while let Some(k) = stack.pop() {
            let r = self.refs.get_mut(&k).expect("a referenced class has a count");
            *r -= 1;
            if *r == 0 {
                cost += self.sel.get(&k).map_or(0.0, |n| self.own[n]);
                stack.extend(self.children(k));
            }
        }
        cost
    }

    /// Recomputes the depths of every selected class; false if the selection has a cycle.
    fn compute_depths(&mut self) -> bool {
        self.depth.clear();
        let ids: Vec<Id> = self.sel.keys().copied().collect();
        for root in ids {
            // (class, children done)
            let mut stack = vec![(root, false)];
            let mut on_stack: HashMap<Id, ()> = HashMap::new();
            while let Some((c, done)) = stack.pop() {
                if done {
                    let d = self.children(c).iter().map(|k| self.depth.get(k).map_or(0, |d| d + 1)).max().unwrap_or(0);
                    self.depth.insert(c, d);
                    on_stack.remove(&c);
                    continue;
                }
                if self.depth.contains_key(&c) {
                    continue;
                }
                if on_stack.insert(c, ()).is_some() {
                    return false;
                }
                stack.push((c, true));
                stack.extend(self.children(c).into_iter().filter(|k| !self.depth.contains_key(k)).map(|k| (k, false)));
            }
        }
        true
    }

    /// True when a chosen path leads from `from` to `target`.
    fn reaches(&self, from: Id, target: Id) -> bool {
        let bound = self.depth.get(&target).copied().unwrap_or(0);
        let mut seen: HashMap<Id, ()> = HashMap::new();
        let mut stack = vec![from];
        while let Some(c) = stack.pop() {
            if c == target {
                return true;
            }
            if self.depth.get(&c).copied().unwrap_or(0) <= bound || seen.insert(c, ()).is_some() {
                continue;
            }
            stack.extend(self.children(c));
        }
        false
    }
}

/// A tried move: the class, its old node, and the old and new children (to undo it).
struct Move {
    class: Id,
    old: Node,
    old_kids: Vec<Id>,
    kids: Vec<Id>,
}

impl Dag<'_> {
    /// Selects `n` for class `c` and returns the change of the DAG cost, or `None` (nothing done)
    /// when a child has no selection or the move would make a cycle.
    fn try_move(&mut self, c: Id, n: &Node) -> Option<(f64, Move)> {
        let g = &self.built.graph;
        let kids: Vec<Id> = n.children.iter().map(|&k| g.find(k)).collect();
        if !kids.iter().all(|k| self.sel.contains_key(k)) || kids.iter().any(|&k| self.reaches(k, c)) {
            return None;
        }
        let old = self.sel[&c].clone();
        let old_kids = self.children(c);
        let delta = self.own[n] - self.own[&old] + self.add_refs(kids.clone()) - self.remove_refs(old_kids.clone());
        self.sel.insert(c, n.clone());
        Some((delta, Move { class: c, old, old_kids, kids }))
    }

    fn undo(&mut self, m: Move) {
        self.sel.insert(m.class, m.old);
        self.add_refs(m.old_kids);
        self.remove_refs(m.kids);
    }
}

/// Local search on the DAG cost: each other node of each class in the DAG, kept when cheaper.
/// A node whose child is not yet in the DAG is also tried together with one other reader of that
/// child in another DAG class (a multi-pattern rule's results, such as two slices of one merged
/// layer, pay off only together).
fn improve<'a>(built: &'a Built, sel: Selection, own: &'a HashMap<&'a Node, f64>) -> Selection {
    let g = &built.graph;
    let mut dag = Dag { built, own, sel, refs: HashMap::new(), depth: HashMap::new() };
    if !dag.compute_depths() {
        return dag.sel;
    }
    let mut ids: Vec<Id> = g.classes().map(|c| c.id).collect();
    ids.sort();
    let mut readers: BTreeMap<Id, Vec<(Id, &Node)>> = BTreeMap::new();
    for &c in &ids {
        for n in &g[c].nodes {
            for &k in &n.children {
                readers.entry(g.find(k)).or_default().push((c, n));
            }
        }
    }
    let roots: Vec<Id> = built.roots.iter().map(|&r| g.find(r)).collect();
    dag.add_refs(roots);
    let in_dag = |dag: &Dag<'_>, c: Id| dag.refs.get(&c).copied().unwrap_or(0) > 0;
    for _ in 0..ROUNDS {
        let mut improved = false;
        let mut classes: Vec<Id> = dag.refs.iter().filter(|(_, &r)| r > 0).map(|(&c, _)| c).collect();
        classes.sort();
        for c in classes {
            for n in &g[c].nodes {
                if !in_dag(&dag, c) || dag.sel.get(&c) == Some(n) {
                    continue;
                }
                let fresh: Vec<Id> = n.children.iter().map(|&k| g.find(k)).filter(|&k| !in_dag(&dag, k)).collect();
                let Some((delta, m)) = dag.try_move(c, n) else { continue };
                if delta < -1e-9 {
                    improved = true;
                    dag.compute_depths();
                    continue;
                }
                // Paired with another reader of a child this move brings into the DAG.
                dag.compute_depths();
                let mut kept = false;
                'pair: for k in fresh {
                    for &(c2, n2) in readers.get(&k).map_or(&[][..], Vec::as_slice) {
                        if c2 == c || !in_dag(&dag, c2) || dag.sel.get(&c2) == Some(n2) {
                            continue;
                        }
                        if let Some((delta2, m2)) = dag.try_move(c2, n2) {
                            if delta + delta2 < -1e-9 {
                                kept = true;
                                break 'pair;
                            }
                            dag.undo(m2);
                        }
                    }
                }
                if kept {
                    improved = true;
                } else {
                    dag.undo(m);
                }
                dag.compute_depths();
            }
        }
        if !improved {
            break;
        }
    }
    dag.sel
}
