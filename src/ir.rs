//! The IR container: operations, values, blocks and regions in arenas, addressed by handles.
//!
//! A [`Module`] owns every entity of one compilation unit; its top operation is a `builtin.module`.
//! Invariants kept by the mutators here (and checked by the verifier):
//! - every live operation sits in exactly one block, except the top operation;
//! - `uses` of a value lists exactly the (operation, operand index) pairs that read it;
//! - erased operations are never referenced by live ones.

use crate::attrs::Attribute;
use crate::diag::Location;
use crate::opdef::OpDef;
use crate::types::Type;

macro_rules! handle {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub struct $name(pub u32);
        impl $name {
            /// Position in its arena.
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

handle!(
    /// An operation.
    OpId
);
handle!(
    /// An SSA value: an operation result or a block argument.
    ValueId
);
handle!(
    /// A basic block.
    BlockId
);
handle!(
    /// A region.
    RegionId
);

/// What defines a value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ValueDef {
    Result(OpId, u32),
    BlockArg(BlockId, u32),
}

/// Storage of a value.
#[derive(Clone, Debug)]
pub struct ValueData {
    pub ty: Type,
    pub def: ValueDef,
    /// Operations reading this value and the operand index they read it at.
    pub uses: Vec<(OpId, u32)>,
    /// The name the text input gave it (`%x`), kept as a printing hint.
    pub name_hint: Option<String>,
}

/// Storage of an operation.
#[derive(Clone, Debug)]
pub struct OpData {
    pub def: &'static OpDef,
    pub operands: Vec<ValueId>,
    pub results: Vec<ValueId>,
    /// Sorted by name, like MLIR's dictionary attributes.
    pub attrs: Vec<(String, Attribute)>,
    pub regions: Vec<RegionId>,
    pub loc: Location,
    pub parent: Option<BlockId>,
    pub erased: bool,
}

impl OpData {
    /// The operation name, `dialect.op`.
    pub fn name(&self) -> &'static str {
        self.def.name
    }

    /// An attribute by name.
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attrs.binary_search_by(|(k, _)| k.as_str().cmp(name)).ok().map(|i| &self.attrs[i].1)
    }
}

/// Storage of a block.
#[derive(Clone, Debug, Default)]
pub struct BlockData {
    pub args: Vec<ValueId>,
    pub ops: Vec<OpId>,
    pub parent: Option<RegionId>,
}

/// Storage of a region.
#[derive(Clone, Debug, Default)]
pub struct RegionData {
    pub blocks: Vec<BlockId>,
    pub parent: Option<OpId>,
}

/// Where a new operation goes.
#[derive(Clone, Copy, Debug)]
pub enum InsertPoint {
    End(BlockId),
    Before(OpId),
    After(OpId),
}

/// What an operation is built from.
#[derive(Clone, Debug)]
pub struct OpSpec {
    pub def: &'static OpDef,
    pub operands: Vec<ValueId>,
    pub result_types: Vec<Type>,
    pub attrs: Vec<(String, Attribute)>,
    pub regions: usize,
    pub loc: Location,
}

impl OpSpec {
    /// A spec with no operands, results, attributes or regions.
    pub fn new(def: &'static OpDef, loc: Location) -> OpSpec {
        OpSpec { def, operands: vec![], result_types: vec![], attrs: vec![], regions: 0, loc }
    }

    pub fn operands(mut self, v: impl IntoIterator<Item = ValueId>) -> OpSpec {
        self.operands.extend(v);
        self
    }

    pub fn results(mut self, t: impl IntoIterator<Item = Type>) -> OpSpec {
        self.result_types.extend(t);
        self
    }

    pub fn attr(mut self, name: &str, value: Attribute) -> OpSpec {
        self.attrs.push((name.to_string(), value));
        self
    }

    pub fn regions(mut self, n: usize) -> OpSpec {
        self.regions = n;
        self
    }
}

/// A compilation unit: arenas plus the top `builtin.module` operation.
#[derive(Clone, Debug)]
pub struct Module {
    ops: Vec<OpData>,
    values: Vec<ValueData>,
    blocks: Vec<BlockData>,
    regions: Vec<RegionData>,
    top: OpId,
}

impl Module {
    /// An empty `builtin.module` with one region holding one block.
    pub fn new(loc: Location) -> Module {
        let mut m = Module { ops: vec![], values: vec![], blocks: vec![], regions: vec![], top: OpId(0) };
        let top = m.create(OpSpec::new(crate::builtin::ModuleOp::def(), loc).regions(1));
        m.top = top;
        let region = m.ops[top.index()].regions[0];
        m.add_block(region, &[]);
        m
    }

    /// The top `builtin.module`.
    pub fn top(&self) -> OpId {
        self.top
    }

    /// Makes a detached `builtin.module` the top operation (the parser's explicit `module { }`).
    pub(crate) fn set_top(&mut self, op: OpId) {
        self.top = op;
    }

    /// The block of the top module, where functions live.
    pub fn body(&self) -> BlockId {
        self.regions[self.ops[self.top.index()].regions[0].index()].blocks[0]
    }

    pub fn op(&self, id: OpId) -> &OpData {
        &self.ops[id.index()]
    }

    pub fn op_mut(&mut self, id: OpId) -> &mut OpData {
        &mut self.ops[id.index()]
    }

    pub fn value(&self, id: ValueId) -> &ValueData {
        &self.values[id.index()]
    }

    pub fn block(&self, id: BlockId) -> &BlockData {
        &self.blocks[id.index()]
    }

    pub fn region(&self, id: RegionId) -> &RegionData {
        &self.regions[id.index()]
    }

    /// The type of a value.
    pub fn ty(&self, v: ValueId) -> &Type {
        &self.values[v.index()].ty
    }

    /// Changes the type of a value (callers keep the IR consistent).
    pub fn set_type(&mut self, v: ValueId, ty: Type) {
        self.values[v.index()].ty = ty;
    }

    /// Sets the printing hint of a value.
    pub fn set_name_hint(&mut self, v: ValueId, name: Option<String>) {
        self.values[v.index()].name_hint = name;
    }

    /// The operation defining `v`, if it is a result.
    pub fn def_op(&self, v: ValueId) -> Option<OpId> {
        match self.values[v.index()].def {
            ValueDef::Result(op, _) => Some(op),
            ValueDef::BlockArg(..) => None,
        }
    }

    /// The operation defining `v` if it is of kind `def`.
    pub fn def_of(&self, v: ValueId, def: &'static OpDef) -> Option<OpId> {
        self.def_op(v).filter(|&o| std::ptr::eq(self.op(o).def, def))
    }

    /// True when `op` is an instance of `def`.
    pub fn is(&self, op: OpId, def: &'static OpDef) -> bool {
        std::ptr::eq(self.op(op).def, def) || self.op(op).def.name == def.name
    }

    /// Creates an operation without inserting it anywhere.
    pub fn create(&mut self, spec: OpSpec) -> OpId {
        let id = OpId(self.ops.len() as u32);
        let mut attrs = spec.attrs;
        attrs.sort_by(|a, b| a.0.cmp(&b.0));
        attrs.dedup_by(|a, b| a.0 == b.0);
        let results = spec
            .result_types
            .into_iter()
            .enumerate()
            .map(|(i, ty)| self.new_value(ty, ValueDef::Result(id, i as u32)))
            .collect();
        for (i, &v) in spec.operands.iter().enumerate() {
            self.values[v.index()].uses.push((id, i as u32));
        }
        let regions = (0..spec.regions)
            .map(|_| {
                let r = RegionId(self.regions.len() as u32);
                self.regions.push(RegionData { blocks: vec![], parent: Some(id) });
                r
            })
            .collect();
        self.ops.push(OpData {
            def: spec.def,
            operands: spec.operands,
            results,
            attrs,
            regions,
            loc: spec.loc,
            parent: None,
            erased: false,
        });
        id
    }

    /// Creates an operation and inserts it.
    pub fn build(&mut self, at: InsertPoint, spec: OpSpec) -> OpId {
        let op = self.create(spec);
        self.insert(op, at);
        op
    }

    /// Inserts a detached operation.
    pub fn insert(&mut self, op: OpId, at: InsertPoint) {
        let (block, pos) = match at {
            InsertPoint::End(b) => (b, self.blocks[b.index()].ops.len()),
            InsertPoint::Before(o) => {
                let b = self.ops[o.index()].parent.expect("insertion anchor is in a block");
                (b, self.position(o))
            }
            InsertPoint::After(o) => {
                let b = self.ops[o.index()].parent.expect("insertion anchor is in a block");
                (b, self.position(o) + 1)
            }
        };
        self.blocks[block.index()].ops.insert(pos, op);
        self.ops[op.index()].parent = Some(block);
    }

    fn position(&self, op: OpId) -> usize {
        let b = self.ops[op.index()].parent.expect("operation is in a block");
        self.blocks[b.index()].ops.iter().position(|&o| o == op).expect("block lists its operations")
    }

    /// Removes an operation from its block without erasing it.
    pub fn detach(&mut self, op: OpId) {
        if let Some(b) = self.ops[op.index()].parent.take() {
            self.blocks[b.index()].ops.retain(|&o| o != op);
        }
    }

    fn new_value(&mut self, ty: Type, def: ValueDef) -> ValueId {
        let id = ValueId(self.values.len() as u32);
        self.values.push(ValueData { ty, def, uses: vec![], name_hint: None });
        id
    }

    /// Creates a region not yet owned by any operation (the parser fills regions before their op).
    pub fn new_region(&mut self) -> RegionId {
        let r = RegionId(self.regions.len() as u32);
        self.regions.push(RegionData::default());
        r
    }

    /// Makes a detached region the next region of `op`.
    pub fn adopt_region(&mut self, op: OpId, region: RegionId) {
        self.regions[region.index()].parent = Some(op);
        self.ops[op.index()].regions.push(region);
    }

    /// Appends a block with arguments of the given types to a region.
    pub fn add_block(&mut self, region: RegionId, arg_types: &[Type]) -> BlockId {
        let id = BlockId(self.blocks.len() as u32);
        self.blocks.push(BlockData { args: vec![], ops: vec![], parent: Some(region) });
        for (i, t) in arg_types.iter().enumerate() {
            let v = self.new_value(t.clone(), ValueDef::BlockArg(id, i as u32));
            self.blocks[id.index()].args.push(v);
        }
        self.regions[region.index()].blocks.push(id);
        id
    }

    /// Appends an argument to a block.
    pub fn add_block_arg(&mut self, block: BlockId, ty: Type) -> ValueId {
        let i = self.blocks[block.index()].args.len() as u32;
        let v = self.new_value(ty, ValueDef::BlockArg(block, i));
        self.blocks[block.index()].args.push(v);
        v
    }

    /// Sets or replaces an attribute.
    pub fn set_attr(&mut self, op: OpId, name: &str, value: Attribute) {
        let attrs = &mut self.ops[op.index()].attrs;
        match attrs.binary_search_by(|(k, _)| k.as_str().cmp(name)) {
            Ok(i) => attrs[i].1 = value,
            Err(i) => attrs.insert(i, (name.to_string(), value)),
        }
    }

    /// Removes an attribute.
    pub fn remove_attr(&mut self, op: OpId, name: &str) -> Option<Attribute> {
        let attrs = &mut self.ops[op.index()].attrs;
        let i = attrs.binary_search_by(|(k, _)| k.as_str().cmp(name)).ok()?;
        Some(attrs.remove(i).1)
    }

    /// An attribute of an operation.
    pub fn attr(&self, op: OpId, name: &str) -> Option<&Attribute> {
        self.ops[op.index()].attr(name)
    }

    /// Operand `i` of an operation.
    pub fn operand(&self, op: OpId, i: usize) -> ValueId {
        self.ops[op.index()].operands[i]
    }

    /// Result `i` of an operation.
    pub fn result(&self, op: OpId, i: usize) -> ValueId {
        self.ops[op.index()].results[i]
    }

    /// Replaces operand `i` of `op`.
    pub fn set_operand(&mut self, op: OpId, i: usize, v: ValueId) {
        let old = self.ops[op.index()].operands[i];
        self.values[old.index()].uses.retain(|&u| u != (op, i as u32));
        self.ops[op.index()].operands[i] = v;
        self.values[v.index()].uses.push((op, i as u32));
    }

    /// Replaces every use of `from` by `to`.
    pub fn replace_all_uses(&mut self, from: ValueId, to: ValueId) {
        if from == to {
            return;
        }
        let uses = std::mem::take(&mut self.values[from.index()].uses);
        for &(op, i) in &uses {
            self.ops[op.index()].operands[i as usize] = to;
        }
        self.values[to.index()].uses.extend(uses);
    }

    /// Replaces the results of `op` by `with` and erases `op`.
    pub fn replace_op(&mut self, op: OpId, with: &[ValueId]) {
        let results = self.ops[op.index()].results.clone();
        for (r, &w) in results.iter().zip(with) {
            self.replace_all_uses(*r, w);
        }
        self.erase(op);
    }

    /// Erases an operation, its regions, and its operand uses. Its results must be unused.
    pub fn erase(&mut self, op: OpId) {
        self.detach(op);
        self.erase_rec(op);
    }

    fn erase_rec(&mut self, op: OpId) {
        let data = &mut self.ops[op.index()];
        data.erased = true;
        let operands = std::mem::take(&mut data.operands);
        let regions = data.regions.clone();
        for (i, v) in operands.into_iter().enumerate() {
            self.values[v.index()].uses.retain(|&u| u != (op, i as u32));
        }
        for r in regions {
            for b in self.regions[r.index()].blocks.clone() {
                for o in self.blocks[b.index()].ops.clone() {
                    self.erase_rec(o);
                }
            }
        }
    }

    /// True when no live operation reads any result of `op`.
    pub fn results_unused(&self, op: OpId) -> bool {
        self.ops[op.index()].results.iter().all(|r| self.values[r.index()].uses.is_empty())
    }

    /// Operations of a block in order.
    pub fn block_ops(&self, b: BlockId) -> &[OpId] {
        &self.blocks[b.index()].ops
    }

    /// The entry block of region `i` of `op`.
    pub fn entry_block(&self, op: OpId, i: usize) -> Option<BlockId> {
        let r = *self.ops[op.index()].regions.get(i)?;
        self.regions[r.index()].blocks.first().copied()
    }

    /// The operation owning the block holding `op`.
    pub fn parent_op(&self, op: OpId) -> Option<OpId> {
        let b = self.ops[op.index()].parent?;
        let r = self.blocks[b.index()].parent?;
        self.regions[r.index()].parent
    }

    /// Visits `op` and every operation nested in it, parents before children.
    pub fn walk(&self, op: OpId, f: &mut impl FnMut(OpId)) {
        f(op);
        for &r in &self.ops[op.index()].regions {
            for &b in &self.regions[r.index()].blocks {
                for &o in &self.blocks[b.index()].ops {
                    self.walk(o, f);
                }
            }
        }
    }

    /// All live operations nested in `op` (including it), parents first.
    pub fn collect(&self, op: OpId) -> Vec<OpId> {
        let mut v = vec![];
        self.walk(op, &mut |o| v.push(o));
        v
    }

    /// The functions (`func.func`) of the module, in order.
    pub fn functions(&self) -> Vec<OpId> {
        self.block_ops(self.body()).iter().copied().filter(|&o| self.is(o, crate::builtin::FuncOp::def())).collect()
    }

    /// A function by symbol name.
    pub fn lookup_symbol(&self, name: &str) -> Option<OpId> {
        self.block_ops(self.body())
            .iter()
            .copied()
            .find(|&o| self.attr(o, "sym_name").and_then(Attribute::as_str) == Some(name))
    }

    /// Number of live operations nested in `op`.
    pub fn count_ops(&self, op: OpId) -> usize {
        let mut n = 0;
        self.walk(op, &mut |_| n += 1);
        n
    }
}
