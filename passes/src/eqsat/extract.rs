//! Choosing one e-node per e-class by the cost model.
//!
//! First the classic tree-cost extraction (egg's algorithm: every class's cheapest node given its
//! children's costs, to a fixpoint, classes in ascending id order), then a local search on the
//! real cost of the chosen DAG, where a value read twice is paid once: for each reachable class
//! in id order, each other node is tried and kept when the DAG cost drops. Tree cost alone would
//! duplicate a shared layer to fuse an activation into one of its readers.

use std::collections::{BTreeMap, HashMap};

use egg::{Id, Language};

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
    let mut sel: Selection = tree.into_iter().map(|(c, (_, n))| (c, n.clone())).collect();
    let dag = |sel: &Selection| dag_cost(built, sel, &own);
    let Some(mut best) = dag(&sel) else { return sel };
    for _ in 0..ROUNDS {
        let mut improved = false;
        for c in reachable(built, &sel) {
            for n in &g[c].nodes {
                if sel.get(&c) == Some(n) || !n.children.iter().all(|k| sel.contains_key(&g.find(*k))) {
                    continue;
                }
                let old = sel.insert(c, n.clone()).expect("reachable classes are selected");
                match dag(&sel) {
                    Some(k) if k < best - 1e-9 => {
                        best = k;
                        improved = true;
                    }
                    _ => {
                        sel.insert(c, old);
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
    sel
}

/// The classes the selection reaches from the roots, in ascending id order.
fn reachable(built: &Built, sel: &Selection) -> Vec<Id> {
    let g = &built.graph;
    let mut seen: BTreeMap<Id, ()> = BTreeMap::new();
    let mut stack: Vec<Id> = built.roots.iter().map(|&r| g.find(r)).collect();
    while let Some(c) = stack.pop() {
        if seen.insert(c, ()).is_some() {
            continue;
        }
        if let Some(n) = sel.get(&c) {
            n.for_each(|k| stack.push(g.find(k)));
        }
    }
    seen.into_keys().collect()
}

/// The cost of the selected DAG (each reachable class once); `None` if it has a cycle.
fn dag_cost(built: &Built, sel: &Selection, own: &HashMap<&Node, f64>) -> Option<f64> {
    let g = &built.graph;
    // 1 = on the stack, 2 = done
    let mut state: HashMap<Id, u8> = HashMap::new();
    let mut total = 0.0;
    let mut stack: Vec<(Id, bool)> = built.roots.iter().map(|&r| (g.find(r), false)).collect();
    while let Some((c, exit)) = stack.pop() {
        if exit {
            state.insert(c, 2);
            continue;
        }
        match state.get(&c) {
            Some(2) => continue,
            Some(_) => return None,
            None => {}
        }
        state.insert(c, 1);
        let n = sel.get(&c)?;
        total += own.get(n).copied()?;
        stack.push((c, true));
        for &k in n.children.iter().rev() {
            let k = g.find(k);
            match state.get(&k) {
                Some(1) => return None,
                Some(_) => {}
                None => stack.push((k, false)),
            }
        }
    }
    Some(total)
}
