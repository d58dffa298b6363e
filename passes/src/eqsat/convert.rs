//! A function's `nn` body into the e-graph and, after extraction, back into IR.

use std::collections::{HashMap, HashSet};

use egg::{EGraph, Id, Language};
use fpgaopt_ir::builtin::ReturnOp;
use fpgaopt_ir::{Attribute, InsertPoint, Location, Module, OpId, OpSpec, Registry, Type, ValueId};

use super::extract::{select, Selection};
use super::lang::{infer_type, Node, NnAnalysis, NnGraph, ARG, RESULT};
use crate::cost::CostModel;

/// The e-graph of a function body and the classes it returns.
pub struct Built {
    pub graph: NnGraph,
    pub roots: Vec<Id>,
    /// The e-nodes of the original ops (children as added; canonicalize before comparing).
    pub original: Vec<Node>,
}

/// Builds the e-graph of `func`'s body; `None` when it holds an op outside `nn` (left alone).
pub fn build(m: &Module, func: OpId, quantized: bool) -> Option<Built> {
    let body = m.entry_block(func, 0)?;
    let mut g: NnGraph = EGraph::new(NnAnalysis { quantized, ..NnAnalysis::default() });
    let mut class: HashMap<ValueId, Id> = HashMap::new();
    for (i, &a) in m.block(body).args.iter().enumerate() {
        let attrs = vec![("index".to_string(), Attribute::i64(i as i64)), ("type".to_string(), Attribute::Type(m.ty(a).clone()))];
        let attrs = g.analysis.attrs.intern(attrs);
        class.insert(a, g.add(Node { op: ARG, attrs, children: vec![] }));
    }
    let mut roots = None;
    let mut original = vec![];
    for (order, &op) in m.block_ops(body).iter().enumerate() {
        let data = m.op(op);
        let children: Vec<Id> = data.operands.iter().map(|v| class.get(v).copied()).collect::<Option<_>>()?;
        if ReturnOp::of(m, op).is_some() {
            roots = Some(children);
            continue;
        }
        if data.def.dialect() != "nn" || data.results.len() != 1 {
            return None;
        }
        let ty = m.ty(data.results[0]).clone();
        let mut attrs = data.attrs.clone();
        let types: Vec<&Type> = children.iter().map(|&c| &g[c].data.ty).collect();
        if infer_type(data.name(), &attrs, &types).as_ref() != Some(&ty) {
            attrs.push((RESULT.to_string(), Attribute::Type(ty)));
        }
        let attrs = g.analysis.attrs.intern(attrs);
        let node = Node { op: data.def.name, attrs, children };
        original.push(node.clone());
        let id = g.add(node);
        let id = g.find(id);
        g[id].data.origins.add(data.def.name, order as u32, data.loc.clone());
        class.insert(data.results[0], id);
    }
    g.rebuild();
    Some(Built { graph: g, roots: roots?, original })
}

/// Extraction cost: the cost model's op cost of a node. A node that is not
/// one of the original ops costs [`NEW_NODE`] more, so that of equally cheap forms the input's wins.
pub struct NnCost<'a> {
    pub graph: &'a NnGraph,
    pub model: CostModel,
    pub original: HashSet<Node>,
}

/// The tie-breaking surcharge of a node the rules made.
pub const NEW_NODE: f64 = 1e-3;

impl<'a> NnCost<'a> {
    /// The cost function of `built`'s e-graph.
    pub fn new(built: &'a Built, model: CostModel) -> NnCost<'a> {
        let g = &built.graph;
        let original = built.original.iter().map(|n| n.clone().map_children(|c| g.find(c))).collect();
        NnCost { graph: g, model, original }
    }
}

impl NnCost<'_> {
    /// The cost of `node` itself, without its operands.
    pub fn own(&self, node: &Node) -> f64 {
        let g = self.graph;
        let attrs = g.analysis.attrs.get(node.attrs);
        let types: Vec<&Type> = node.children.iter().map(|&c| &g[c].data.ty).collect();
        let ty = infer_type(node.op, attrs, &types).unwrap_or(Type::F32);
        let new = if self.original.contains(node) { 0.0 } else { NEW_NODE };
        self.model.op_cost(node.op, attrs, &ty, &types) + new
    }
}

/// The cost model's cost of a function body as it stands (each op once).
pub fn ir_cost(m: &Module, func: OpId, model: CostModel) -> f64 {
    let Some(body) = m.entry_block(func, 0) else { return 0.0 };
    m.block_ops(body)
        .iter()
        .filter(|&&o| ReturnOp::of(m, o).is_none())
        .map(|&o| {
            let d = m.op(o);
            let types: Vec<&Type> = d.operands.iter().map(|&v| m.ty(v)).collect();
            model.op_cost(d.name(), &d.attrs, m.ty(d.results[0]), &types)
        })
        .sum::<f64>()
        + 0.0 // an empty sum is -0.0
}

struct Emitter<'a> {
    graph: &'a NnGraph,
    selection: Selection,
    registry: &'a Registry,
    before: OpId,
    args: Vec<ValueId>,
    done: HashMap<Id, ValueId>,
    /// Every emitted op with its e-class, in emission order.
    emitted: Vec<(OpId, Id)>,
}

impl Emitter<'_> {
    /// The value of e-class `id`: the cheapest node, its operands first. `user` locates new ops
    /// that have no original in their class.
    fn emit(&mut self, m: &mut Module, id: Id, user: &Location) -> ValueId {
        let id = self.graph.find(id);
        if let Some(&v) = self.done.get(&id) {
            return v;
        }
        let node = self.selection[&id].clone();
        let data = &self.graph[id].data;
        let attrs = self.graph.analysis.attrs.get(node.attrs);
        let v = if node.op == ARG {
            let i = attrs.iter().find(|(k, _)| k == "index").and_then(|(_, a)| a.as_int()).unwrap_or(0);
            self.args[i as usize]
        } else {
            let loc = data.origins.location(node.op).unwrap_or_else(|| user.clone());
            let operands: Vec<ValueId> = node.children.iter().map(|&c| self.emit(m, c, &loc)).collect();
            let def = self.registry.op(node.op).expect("e-nodes are registered ops");
            let mut spec = OpSpec::new(def, loc).operands(operands).results([data.ty.clone()]);
            for (k, a) in attrs.iter().filter(|(k, _)| k != RESULT) {
                spec = spec.attr(k, a.clone());
            }
            let op = m.build(InsertPoint::Before(self.before), spec);
            self.emitted.push((op, id));
            m.result(op, 0)
        };
        self.done.insert(id, v);
        v
    }
}

/// Replaces `func`'s body by the cheapest form of `built`.
pub fn extract(built: &Built, m: &mut Module, func: OpId, registry: &Registry, model: CostModel) {
    let Some(body) = m.entry_block(func, 0) else { return };
    let old: Vec<OpId> = m.block_ops(body).to_vec();
    let Some((&ret, old)) = old.split_last() else { return };
    let mut e = Emitter {
        graph: &built.graph,
        selection: select(built, model),
        registry,
        before: ret,
        args: m.block(body).args.clone(),
        done: HashMap::new(),
        emitted: vec![],
    };
    let user = m.op(ret).loc.clone();
    let values: Vec<ValueId> = built.roots.iter().map(|&r| e.emit(m, r, &user)).collect();
    for (i, v) in values.into_iter().enumerate() {
        m.set_operand(ret, i, v);
    }
    for &o in old.iter().rev() {
        m.erase(o);
    }
    fuse_locations(m, &built.graph, &e.emitted);
}

/// An emitted op whose e-class also holds original ops that no emitted op stands for (a ReLU fused
/// into its dense layer, a batch norm folded into it) gets a fused location, its own first, then
/// theirs in program order: `loc(fused["fc1", "bn1", "relu1"])`. Their names stay known to later
/// passes (per-layer configs, the layer split of a fused activation).
fn fuse_locations(m: &mut Module, graph: &NnGraph, emitted: &[(OpId, Id)]) {
    let own: Vec<Location> = emitted.iter().map(|&(op, _)| m.op(op).loc.clone()).collect();
    for (&(op, id), mine) in emitted.iter().zip(&own) {
        let mut others: Vec<&(&'static str, u32, Location)> =
            graph[id].data.origins.0.iter().filter(|o| !own.contains(&o.2)).collect();
        if others.is_empty() {
            continue;
        }
        others.sort_by_key(|o| o.1);
        let parts = std::iter::once(mine.clone()).chain(others.into_iter().map(|o| o.2.clone()));
        m.op_mut(op).loc = Location::fused(parts);
    }
}
