//! Building hls functions: index constants, loops, and typed scalar ops whose result types follow
//! `ap_fixed`'s exact operator rules.

use std::collections::HashMap;

use fpgaopt_hls as hls;
use fpgaopt_hls::{ArrayType, Fixed, Scalar};
use fpgaopt_ir::builtin::{ConstantOp, ForOp, FuncOp, ReturnOp, YieldOp};
use fpgaopt_ir::{Attribute, BlockId, DenseElements, InsertPoint, Location, Module, OpId, OpSpec, Signedness, Type, ValueId};

/// How a loop is scheduled; the pass options turn kinds into `hls.*` directives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum LoopKind {
    /// Around the pipelined loop (batch rows, softmax slices).
    Outer,
    /// The loop that produces one output element per iteration.
    Pipelined,
    /// Inside a pipelined loop (reductions).
    Inner,
}

/// The type of an integer of `width` bits.
pub(crate) fn int_type(width: u32, signed: bool) -> Type {
    Type::Integer { width, signedness: if signed { Signedness::Signed } else { Signedness::Unsigned } }
}

/// The fewest bits of a two's complement integer holding `v`.
pub(crate) fn signed_bits(v: i128) -> u32 {
    let magnitude = if v < 0 { !v } else { v };
    129 - magnitude.leading_zeros().min(128)
}

/// The numeric grid of a scalar type (integers are `fixed<W, W>`).
pub(crate) fn fixed_of(m: &Module, v: ValueId) -> Fixed {
    Scalar::of(m.ty(v)).and_then(|s| s.as_fixed()).unwrap_or_else(|| Fixed::new(1, 1, true))
}

fn is_int(m: &Module, v: ValueId) -> bool {
    matches!(Scalar::of(m.ty(v)), Some(Scalar::Int { .. }))
}

/// Writes ops into one function.
pub(crate) struct FnBuilder<'a> {
    pub m: &'a mut Module,
    pub func: OpId,
    pub loc: Location,
    /// Where the next op goes.
    pub at: InsertPoint,
    /// The last op of the function's header (constants, roms), which precedes everything else.
    header: Option<OpId>,
    entry: BlockId,
    indices: HashMap<i64, ValueId>,
    constants: HashMap<(Type, i64), ValueId>,
    /// Every loop built, with its kind.
    pub loops: Vec<(OpId, LoopKind)>,
}

impl<'a> FnBuilder<'a> {
    /// Creates `func.func @name(params)` before `before` with an empty body ending in `func.return`.
    pub fn new_function(m: &'a mut Module, name: &str, params: &[(Type, String)], before: OpId, loc: Location) -> (FnBuilder<'a>, Vec<ValueId>) {
        let types: Vec<Type> = params.iter().map(|(t, _)| t.clone()).collect();
        let spec = FuncOp::spec(loc.clone())
            .attr("sym_name", Attribute::str(name))
            .attr("function_type", Attribute::Type(Type::function(types.clone(), vec![])));
        let func = m.build(InsertPoint::Before(before), spec);
        let region = m.op(func).regions[0];
        let entry = m.add_block(region, &types);
        let args = m.block(entry).args.clone();
        for (a, (_, hint)) in args.iter().zip(params) {
            m.set_name_hint(*a, Some(hint.clone()));
        }
        let ret = m.build(InsertPoint::End(entry), ReturnOp::spec(loc.clone()));
        let b = FnBuilder {
            m,
            func,
            loc,
            at: InsertPoint::Before(ret),
            header: None,
            entry,
            indices: HashMap::new(),
            constants: HashMap::new(),
            loops: vec![],
        };
        (b, args)
    }

    /// Inserts an op at the current point.
    pub fn build(&mut self, spec: OpSpec) -> OpId {
        self.m.build(self.at, spec)
    }

    fn build_in_header(&mut self, spec: OpSpec) -> OpId {
        let at = match self.header {
            Some(h) => InsertPoint::After(h),
            None => InsertPoint::Before(self.m.block_ops(self.entry)[0]),
        };
        let op = self.m.build(at, spec);
        self.header = Some(op);
        op
    }

    fn value(&mut self, spec: OpSpec, hint: Option<&str>) -> ValueId {
        let op = self.build(spec);
        let v = self.m.result(op, 0);
        if let Some(h) = hint {
            self.m.set_name_hint(v, Some(h.to_string()));
        }
        v
    }

    /// An `index` constant (one per value and function, in the header).
    pub fn index(&mut self, v: i64) -> ValueId {
        if let Some(&c) = self.indices.get(&v) {
            return c;
        }
        let op = self.build_in_header(ConstantOp::spec(self.loc.clone()).results([Type::Index]).attr("value", Attribute::Int(v, Type::Index)));
        let c = self.m.result(op, 0);
        self.m.set_name_hint(c, Some(format!("c{v}")));
        self.indices.insert(v, c);
        c
    }

    /// A scalar constant given by its mantissa (in the header). Types wider than 64 bits get a narrow
    /// constant of the same grid converted exactly.
    pub fn constant(&mut self, ty: &Type, mantissa: i64) -> ValueId {
        if let Some(&c) = self.constants.get(&(ty.clone(), mantissa)) {
            return c;
        }
        let f = Scalar::of(ty).and_then(|s| s.as_fixed());
        let wide = f.as_ref().is_some_and(|f| f.width + u32::from(!f.signed) > 64);
        let c = if let (true, Some(f)) = (wide, f) {
            let w = signed_bits(mantissa as i128);
            let narrow = if is_int_type(ty) { int_type(w, true) } else { Fixed::new(w, w as i64 - f.frac_bits(), true).to_type() };
            let n = self.constant(&narrow, mantissa);
            let op = self.build_in_header(hls::Cast::spec(self.loc.clone()).operands([n]).results([ty.clone()]));
            self.m.result(op, 0)
        } else {
            let op = self.build_in_header(hls::Constant::spec(self.loc.clone()).results([ty.clone()]).attr("value", Attribute::i64(mantissa)));
            self.m.result(op, 0)
        };
        self.constants.insert((ty.clone(), mantissa), c);
        c
    }

    /// An f32 constant (in the header).
    pub fn fconst(&mut self, v: f32) -> ValueId {
        let key = (Type::F32, v.to_bits() as i64);
        if let Some(&c) = self.constants.get(&key) {
            return c;
        }
        let op = self.build_in_header(hls::FConstant::spec(self.loc.clone()).results([Type::F32]).attr("value", Attribute::f64(v as f64)));
        let c = self.m.result(op, 0);
        self.constants.insert(key, c);
        c
    }

    /// A rom of f32 values (in the header).
    pub fn from(&mut self, values: &[f32], dims: &[i64], name: &str, partition: Option<(&str, i64)>) -> ValueId {
        let dense = DenseElements::from_f32(dims, values);
        self.header_rom(dense, ArrayType::new(dims, Type::F32).to_type(), name, partition)
    }

    /// An `hls.rom` of `ty` holding `dense`, named `name`, in the header.
    fn header_rom(&mut self, dense: DenseElements, ty: Type, name: &str, partition: Option<(&str, i64)>) -> ValueId {
        let mut spec = hls::Rom::spec(self.loc.clone()).results([ty]).attr("value", Attribute::Dense(dense)).attr("name", Attribute::str(name));
        if let Some((mode, dim)) = partition {
            spec = spec.attr("partition", Attribute::str(mode));
            if dim != 0 {
                spec = spec.attr("dim", Attribute::i64(dim));
            }
        }
        let op = self.build_in_header(spec);
        let v = self.m.result(op, 0);
        self.m.set_name_hint(v, Some(name.to_string()));
        v
    }

    /// f32 `a + b`, `a - b`, `a * b`, `a / b` (`op` is `+`, `-`, `*` or `/`).
    pub fn farith(&mut self, op: char, a: ValueId, b: ValueId) -> ValueId {
        let spec = match op {
            '+' => hls::Add::spec(self.loc.clone()),
            '-' => hls::Sub::spec(self.loc.clone()),
            '*' => hls::Mul::spec(self.loc.clone()),
            _ => hls::Div::spec(self.loc.clone()),
        };
        self.value(spec.operands([a, b]).results([Type::F32]), None)
    }

    /// f32 `fma(a, b, c)`.
    pub fn fma(&mut self, a: ValueId, b: ValueId, c: ValueId) -> ValueId {
        self.value(hls::Fma::spec(self.loc.clone()).operands([a, b, c]).results([Type::F32]), None)
    }

    /// f32 `exp(x)`: onnxruntime's exponential (`hls.exp`).
    pub fn exp(&mut self, x: ValueId) -> ValueId {
        self.value(hls::Exp::spec(self.loc.clone()).operands([x]).results([Type::F32]), None)
    }

    /// A rom of mantissas (in the header).
    pub fn rom(&mut self, values: &[i64], dims: &[i64], elem: Type, name: &str, partition: Option<(&str, i64)>) -> ValueId {
        let bits = values.iter().map(|&v| signed_bits(v as i128)).max().unwrap_or(1);
        let storage = match bits {
            0..=8 => 8,
            9..=16 => 16,
            17..=32 => 32,
            _ => 64,
        };
        let dense = DenseElements::from_ints(dims, Type::int(storage), values).unwrap_or_else(|_| DenseElements::from_f32(dims, &[]));
        self.header_rom(dense, ArrayType::new(dims, elem).to_type(), name, partition)
    }

    /// A local array (rank 0: a scalar variable) at the current point.
    pub fn alloca(&mut self, dims: &[i64], elem: Type, hint: &str, partition: bool) -> ValueId {
        let mut spec = hls::Alloca::spec(self.loc.clone()).results([ArrayType::new(dims, elem).to_type()]);
        if partition && !dims.is_empty() {
            spec = spec.attr("partition", Attribute::str("complete"));
        }
        self.value(spec, Some(hint))
    }

    pub fn load(&mut self, memory: ValueId, indices: &[ValueId]) -> ValueId {
        let elem = ArrayType::from_type(self.m.ty(memory)).map_or(Type::F32, |a| a.elem);
        self.value(hls::Load::spec(self.loc.clone()).operands([memory]).operands(indices.iter().copied()).results([elem]), None)
    }

    pub fn store(&mut self, value: ValueId, memory: ValueId, indices: &[ValueId]) {
        self.build(hls::Store::spec(self.loc.clone()).operands([value, memory]).operands(indices.iter().copied()));
    }

    /// `hls.cast` to `ty`, or `v` itself when it already has that type.
    pub fn cast(&mut self, v: ValueId, ty: &Type) -> ValueId {
        if self.m.ty(v) == ty {
            return v;
        }
        self.value(hls::Cast::spec(self.loc.clone()).operands([v]).results([ty.clone()]), None)
    }

    pub fn bitcast(&mut self, v: ValueId, ty: &Type) -> ValueId {
        if self.m.ty(v) == ty {
            return v;
        }
        self.value(hls::Bitcast::spec(self.loc.clone()).operands([v]).results([ty.clone()]), None)
    }

    fn exact(&mut self, spec: OpSpec, a: ValueId, b: ValueId, rule: fn(&Fixed, &Fixed) -> Fixed) -> ValueId {
        let r = rule(&fixed_of(self.m, a), &fixed_of(self.m, b));
        let ty = if is_int(self.m, a) && is_int(self.m, b) { int_type(r.width, r.signed) } else { r.to_type() };
        self.value(spec.operands([a, b]).results([ty]), None)
    }

    /// Exact `a + b`.
    pub fn add(&mut self, a: ValueId, b: ValueId) -> ValueId {
        self.exact(hls::Add::spec(self.loc.clone()), a, b, Fixed::add_type)
    }

    /// Exact `a - b`.
    pub fn sub(&mut self, a: ValueId, b: ValueId) -> ValueId {
        self.exact(hls::Sub::spec(self.loc.clone()), a, b, Fixed::sub_type)
    }

    /// Exact `a * b`.
    pub fn mul(&mut self, a: ValueId, b: ValueId) -> ValueId {
        self.exact(hls::Mul::spec(self.loc.clone()), a, b, Fixed::mul_type)
    }

    /// Integer `a / b`, truncated toward zero.
    pub fn div(&mut self, a: ValueId, b: ValueId) -> ValueId {
        self.exact(hls::Div::spec(self.loc.clone()), a, b, Fixed::div_type)
    }

    pub fn max(&mut self, a: ValueId, b: ValueId) -> ValueId {
        let t = self.m.ty(a).clone();
        self.value(hls::Max::spec(self.loc.clone()).operands([a, b]).results([t]), None)
    }

    pub fn min(&mut self, a: ValueId, b: ValueId) -> ValueId {
        let t = self.m.ty(a).clone();
        self.value(hls::Min::spec(self.loc.clone()).operands([a, b]).results([t]), None)
    }

    pub fn cmp(&mut self, predicate: &str, a: ValueId, b: ValueId) -> ValueId {
        self.value(hls::Cmp::spec(self.loc.clone()).operands([a, b]).results([Type::I1]).attr("predicate", Attribute::str(predicate)), None)
    }

    pub fn select(&mut self, c: ValueId, a: ValueId, b: ValueId) -> ValueId {
        let t = self.m.ty(a).clone();
        self.value(hls::Select::spec(self.loc.clone()).operands([c, a, b]).results([t]), None)
    }

    pub fn index_cast(&mut self, v: ValueId) -> ValueId {
        self.value(hls::IndexCast::spec(self.loc.clone()).operands([v]).results([Type::Index]), None)
    }

    /// Opens `for (iv = 0; iv < n; iv++)` and moves the insertion point into its body; returns the
    /// induction variable. Callers restore `at` to leave the loop.
    pub fn for_loop(&mut self, n: i64, kind: LoopKind, hint: &str) -> ValueId {
        let (lb, ub, step) = (self.index(0), self.index(n), self.index(1));
        let op = self.build(ForOp::spec(self.loc.clone()).operands([lb, ub, step]));
        let region = self.m.op(op).regions[0];
        let body = self.m.add_block(region, &[Type::Index]);
        let iv = self.m.block(body).args[0];
        self.m.set_name_hint(iv, Some(hint.to_string()));
        let y = self.m.build(InsertPoint::End(body), YieldOp::spec(self.loc.clone()));
        self.at = InsertPoint::Before(y);
        self.loops.push((op, kind));
        iv
    }

    /// Loops over every dimension of `dims` (none for dimensions of size 1, whose index is the
    /// constant 0); the innermost loop gets `innermost`, the others are `Outer`. Loops take their
    /// counter names from `hints` in order. Returns one index per dimension and leaves the insertion
    /// point in the innermost body.
    pub fn loop_nest(&mut self, dims: &[i64], innermost: LoopKind, hints: &[&str]) -> Vec<ValueId> {
        let last = dims.iter().rposition(|&d| d != 1);
        let mut made = 0;
        dims.iter()
            .enumerate()
            .map(|(i, &d)| {
                if d == 1 {
                    return self.index(0);
                }
                let kind = if Some(i) == last { innermost } else { LoopKind::Outer };
                let hint = hints.get(made).map_or_else(|| format!("i{made}"), |h| h.to_string());
                made += 1;
                self.for_loop(d, kind, &hint)
            })
            .collect()
    }

    /// Names an SSA value for readers of the IR and the C++.
    pub fn name(&mut self, v: ValueId, hint: &str) -> ValueId {
        self.m.set_name_hint(v, Some(hint.to_string()));
        v
    }

    /// `offset + sum coeffs[i] * xs[i]` as an index: folded when every term is a constant or the
    /// sum is one counter, else one `hls.affine_index`.
    pub fn affine(&mut self, xs: &[ValueId], coeffs: &[i64], offset: i64) -> ValueId {
        let mut offset = offset;
        let (mut ops, mut cs) = (vec![], vec![]);
        for (&x, &c) in xs.iter().zip(coeffs) {
            if c == 0 {
                continue;
            }
            match self.indices.iter().find(|(_, &v)| v == x) {
                Some((&k, _)) => offset += k * c,
                None => {
                    ops.push(x);
                    cs.push(c);
                }
            }
        }
        match (ops.len(), cs.first()) {
            (0, _) => self.index(offset),
            (1, Some(1)) if offset == 0 => ops[0],
            _ => {
                let spec = hls::AffineIndex::spec(self.loc.clone())
                    .operands(ops)
                    .results([Type::Index])
                    .attr("coeffs", Attribute::i64_array(&cs))
                    .attr("offset", Attribute::i64(offset));
                self.value(spec, None)
            }
        }
    }

    /// The row-major indices of flat position `flat` in an array of shape `dims`.
    pub fn delinearize(&mut self, flat: ValueId, dims: &[i64]) -> Vec<ValueId> {
        let basis: Vec<i64> = dims.iter().copied().filter(|&d| d != 1).collect();
        let parts: Vec<ValueId> = match basis.len() {
            0 => vec![],
            1 => vec![flat],
            n => {
                let spec = hls::DelinearizeIndex::spec(self.loc.clone())
                    .operands([flat])
                    .results(vec![Type::Index; n])
                    .attr("basis", Attribute::i64_array(&basis));
                let op = self.build(spec);
                self.m.op(op).results.clone()
            }
        };
        let mut it = parts.into_iter();
        dims.iter().map(|&d| if d == 1 { self.index(0) } else { it.next().unwrap_or(flat) }).collect()
    }
}

fn is_int_type(t: &Type) -> bool {
    matches!(Scalar::of(t), Some(Scalar::Int { .. }))
}
