//! The e-graph language of the `nn` dialect and its e-class analysis.
//!
//! One generic e-node, [`Node`]: the op name of the registry's `OpDef`, its named attributes as one
//! interned [`AttrId`] (so attributes are part of node equality, never positional children), and
//! the operand e-classes in the `OpDef`'s order. Leaves are `arg {index, type}` (a function
//! argument) and `nn.constant {value}`. The analysis ([`NnAnalysis`]) gives every e-class its
//! type, constant value (folded by the reference evaluator), value range and origins.

use std::collections::HashMap;
use std::sync::Arc;

use egg::{Analysis, DidMerge, EGraph, Id, Language};
use fpgaopt_ir::{Attribute, Location, Type};
use fpgaopt_nn::eval::{eval_parts, OpView, Tensor};

/// The op name of a function argument leaf.
pub const ARG: &str = "arg";
/// The pseudo-attribute that carries a result type the op's operands do not determine.
pub const RESULT: &str = "result";

/// An interned attribute dictionary.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct AttrId(pub u32);

/// A sorted attribute dictionary.
pub type Attrs = Vec<(String, Attribute)>;

/// An e-node: an op with interned attributes and operand e-classes.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Node {
    pub op: &'static str,
    pub attrs: AttrId,
    pub children: Vec<Id>,
}

impl Language for Node {
    type Discriminant = (&'static str, AttrId, usize);

    fn discriminant(&self) -> Self::Discriminant {
        (self.op, self.attrs, self.children.len())
    }

    fn matches(&self, other: &Self) -> bool {
        self.discriminant() == other.discriminant()
    }

    fn children(&self) -> &[Id] {
        &self.children
    }

    fn children_mut(&mut self) -> &mut [Id] {
        &mut self.children
    }
}

/// Interns attribute dictionaries; ids are given in first-seen order (deterministic).
#[derive(Default, Debug)]
pub struct AttrTable {
    entries: Vec<Arc<Attrs>>,
    index: HashMap<Arc<Attrs>, AttrId>,
}

impl AttrTable {
    /// The id of `attrs` (sorted by name first).
    pub fn intern(&mut self, mut attrs: Attrs) -> AttrId {
        attrs.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(&id) = self.index.get(&attrs) {
            return id;
        }
        let id = AttrId(self.entries.len() as u32);
        let a = Arc::new(attrs);
        self.entries.push(a.clone());
        self.index.insert(a, id);
        id
    }

    /// The dictionary of an id.
    pub fn get(&self, id: AttrId) -> &Arc<Attrs> {
        &self.entries[id.0 as usize]
    }
}

/// An attribute of a sorted dictionary.
pub fn attr<'a>(attrs: &'a Attrs, name: &str) -> Option<&'a Attribute> {
    attrs.binary_search_by(|(k, _)| k.as_str().cmp(name)).ok().map(|i| &attrs[i].1)
}

/// Where an e-class's original ops came from: per op name, the earliest in program order.
#[derive(Clone, Debug, Default)]
pub struct Origins(pub Vec<(&'static str, u32, Location)>);

impl Origins {
    /// Records an op; keeps the earliest per op name.
    pub fn add(&mut self, op: &'static str, order: u32, loc: Location) {
        match self.0.iter_mut().find(|o| o.0 == op) {
            Some(o) if o.1 <= order => {}
            Some(o) => *o = (op, order, loc),
            None => {
                self.0.push((op, order, loc));
                self.0.sort_by_key(|o| o.0);
            }
        }
    }

    /// The location of the original `op` in the class, else of the class's earliest op.
    pub fn location(&self, op: &str) -> Option<Location> {
        let same = self.0.iter().find(|o| o.0 == op);
        same.or_else(|| self.0.iter().min_by_key(|o| o.1)).map(|o| o.2.clone())
    }
}

/// What the analysis knows of an e-class.
#[derive(Debug)]
pub struct Data {
    pub ty: Type,
    pub value: Option<Arc<Tensor>>,
    /// Every element lies in `[lo, hi]` (NaN-free when known).
    pub range: Option<(f32, f32)>,
    pub origins: Origins,
}

impl Data {
    /// The shape of the class's tensor.
    pub fn shape(&self) -> &[i64] {
        self.ty.shape().unwrap_or(&[])
    }
}

/// The e-class analysis: types, constants, ranges, origins.
#[derive(Default, Debug)]
pub struct NnAnalysis {
    pub attrs: AttrTable,
    /// The function holds a quantizer: only rules exact in float32 may fire.
    pub quantized: bool,
}

/// The e-graph of `nn-eqsat`.
pub type NnGraph = EGraph<Node, NnAnalysis>;

/// The result type of `op` with `attrs` on operands of `types`, if it is well-typed.
pub fn infer_type(op: &str, attrs: &Attrs, types: &[&Type]) -> Option<Type> {
    if let Some(t) = attr(attrs, RESULT).and_then(Attribute::as_type) {
        return Some(t.clone());
    }
    if op == ARG {
        return attr(attrs, "type").and_then(Attribute::as_type).cloned();
    }
    fpgaopt_nn::infer::result_type(OpView { name: op, attrs }, types).ok().flatten()
}

/// The value range of a constant (`None` if it holds a NaN).
fn tensor_range(t: &Tensor) -> Option<(f32, f32)> {
    if t.data.iter().any(|v| v.is_nan()) {
        return None;
    }
    let lo = t.data.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = t.data.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    Some((lo, hi))
}

/// The range of an op's result from its attributes and its first operand's range.
fn op_range(op: &str, attrs: &Attrs, input: Option<(f32, f32)>) -> Option<(f32, f32)> {
    let relu = |r: Option<(f32, f32)>| Some(r.map_or((0.0, f32::INFINITY), |(lo, hi)| (lo.max(0.0), hi.max(0.0))));
    let bound = |n: &str| attr(attrs, n).and_then(Attribute::as_float).map(|v| v as f32);
    match op {
        "nn.relu" => relu(input),
        "nn.dense" if attr(attrs, "activation").and_then(Attribute::as_str) == Some("relu") => relu(None),
        "nn.sigmoid" => Some((0.0, 1.0)),
        "nn.tanh" => Some((-1.0, 1.0)),
        "nn.clip" => {
            let (lo, hi) = input.unwrap_or((f32::NEG_INFINITY, f32::INFINITY));
            let (a, b) = (bound("min").map_or(lo, |m| lo.max(m)), bound("max").map_or(hi, |m| hi.min(m)));
            Some((a.min(b), b.max(a)))
        }
        _ => None,
    }
}

fn intersect(a: Option<(f32, f32)>, b: Option<(f32, f32)>) -> Option<(f32, f32)> {
    match (a, b) {
        (Some((l1, h1)), Some((l2, h2))) => Some((l1.max(l2), h1.min(h2))),
        (x, None) | (None, x) => x,
    }
}

impl Analysis<Node> for NnAnalysis {
    type Data = Data;

    fn make(egraph: &mut NnGraph, node: &Node) -> Data {
        let attrs = egraph.analysis.attrs.get(node.attrs).clone();
        let types: Vec<&Type> = node.children.iter().map(|&c| &egraph[c].data.ty).collect();
        let ty = infer_type(node.op, &attrs, &types).unwrap_or_else(|| Type::tensor(vec![], Type::F32));
        let value = if node.op == "nn.constant" {
            attr(&attrs, "value").and_then(Attribute::as_dense).map(|d| Arc::new(Tensor::from_dense(d)))
        } else if node.op == ARG {
            None
        } else {
            fold(egraph, node, &attrs, &ty)
        };
        let input = node.children.first().and_then(|&c| egraph[c].data.range);
        let range = match &value {
            Some(t) => tensor_range(t),
            None => op_range(node.op, &attrs, input),
        };
        Data { ty, value, range, origins: Origins::default() }
    }

    fn merge(&mut self, a: &mut Data, b: Data) -> DidMerge {
        let mut changed_a = false;
        if a.value.is_none() && b.value.is_some() {
            a.value = b.value.clone();
            changed_a = true;
        }
        let r = intersect(a.range, b.range);
        if r != a.range {
            a.range = r;
            changed_a = true;
        }
        let changed_b = b.value.is_none() && a.value.is_some() || r != b.range;
        for (op, order, loc) in b.origins.0 {
            a.origins.add(op, order, loc);
        }
        DidMerge(changed_a, changed_b)
    }

    fn modify(egraph: &mut NnGraph, id: Id) {
        let Some(value) = egraph[id].data.value.clone() else { return };
        if egraph[id].nodes.iter().any(|n| n.op == "nn.constant") {
            return;
        }
        let c = constant_node(egraph, &value);
        let cid = egraph.add(c);
        egraph.union(id, cid);
    }
}

/// The `nn.constant` e-node holding `t`.
pub fn constant_node(egraph: &mut NnGraph, t: &Tensor) -> Node {
    let attrs = egraph.analysis.attrs.intern(vec![("value".into(), Attribute::Dense(t.to_dense()))]);
    Node { op: "nn.constant", attrs, children: vec![] }
}

/// The value of `node` when all its operands are constants and the evaluator knows the op.
fn fold(egraph: &NnGraph, node: &Node, attrs: &Attrs, ty: &Type) -> Option<Arc<Tensor>> {
    let inputs: Vec<Tensor> =
        node.children.iter().map(|&c| egraph[c].data.value.as_deref().cloned()).collect::<Option<_>>()?;
    let t = eval_parts(OpView { name: node.op, attrs }, ty.shape(), &inputs).ok()?;
    (t.ty() == *ty).then(|| Arc::new(t))
}
