//! Function bodies: one C++ statement per hls op, with single-use expressions folded into their user.
//!
//! An op's value is printed inline (as an expression) instead of into a named variable when it has one
//! use, in the same block, and no store, call or loop lies between the two. Folding is exact: `add`,
//! `sub`, `mul` and `div` are exact in C++ too (in ap_fixed's own result types), and a folded
//! `hls.cast` becomes `T(x)`, or plain assignment when it feeds a store or a declaration of its own
//! type. Exceptions: nothing folds into `hls.bitcast` (it reads the bits of the declared type), and
//! only loads and casts fold into `hls.max`, `hls.min` and the arms of `hls.select`, whose `?:` needs
//! both arms of one C++ type.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use fpgaopt_hls as hls;
use fpgaopt_hls::directives::{self as dir, arg_attrs, arg_partition, dict_get};
use fpgaopt_hls::{ArrayType, Scalar};
use fpgaopt_ir::builtin::{CallOp, ConstantOp, ForOp, FuncOp, ReturnOp, YieldOp};
use fpgaopt_ir::{Attribute, BlockId, DiagResult, Diagnostic, Module, OpId, ValueDef, ValueId};

use super::names::{cpp_type, f32_literal, fixed_literal, int_literal, Namer};

/// What the whole project shares while printing functions.
pub(crate) struct Ctx<'a> {
    pub m: &'a Module,
    /// C names of functions.
    pub funcs: HashMap<OpId, String>,
    /// C names of roms.
    pub roms: HashMap<OpId, String>,
    /// Per function, which arguments it (or a callee) stores to.
    pub written: HashMap<OpId, Vec<bool>>,
    /// Every global name: functions, roms, typedefs.
    pub globals: Namer,
}

fn err(m: &Module, op: OpId, msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(m.op(op).loc.clone(), format!("cannot emit '{}': {}", m.op(op).name(), msg.into()))
}

/// The C++ type of a value's scalar type (a diagnostic at `op` otherwise).
pub(crate) fn scalar_type(m: &Module, op: OpId, v: ValueId) -> DiagResult<String> {
    cpp_type(m.ty(v)).ok_or_else(|| err(m, op, format!("type {} has no C++ scalar spelling", m.ty(v))))
}

/// `T name[d0][d1]` (or `const T name[d0][d1]`), or `T name` for a scalar.
pub(crate) fn declaration(m: &Module, op: OpId, ty: &fpgaopt_ir::Type, name: &str, constant: bool) -> DiagResult<String> {
    let c = if constant { "const " } else { "" };
    if let Some(s) = fpgaopt_hls::StreamType::from_type(ty) {
        return Ok(format!("{} &{name}", stream_type(m, op, &s)?));
    }
    if let Some(a) = ArrayType::from_type(ty) {
        let elem = cpp_type(&a.elem).ok_or_else(|| err(m, op, format!("element type {} has no C++ spelling", a.elem)))?;
        let dims: String = a.dims.iter().map(|d| format!("[{d}]")).collect();
        return Ok(format!("{c}{elem} {name}{dims}"));
    }
    let t = cpp_type(ty).ok_or_else(|| err(m, op, format!("type {ty} has no C++ spelling")))?;
    Ok(format!("{c}{t} {name}"))
}

/// `hls::stream<pack<T, L> >` of a stream type.
pub(crate) fn stream_type(m: &Module, op: OpId, s: &fpgaopt_hls::StreamType) -> DiagResult<String> {
    let elem = cpp_type(&s.elem).ok_or_else(|| err(m, op, format!("element type {} has no C++ spelling", s.elem)))?;
    Ok(format!("hls::stream<pack<{elem}, {}> >", s.lanes))
}

/// The C++ signature `void f(const T x[16], T y[8])` of a function.
pub(crate) fn signature(cx: &Ctx<'_>, func: OpId, names: &mut Namer, arg_names: &mut HashMap<ValueId, String>) -> DiagResult<String> {
    let m = cx.m;
    let f = FuncOp(func);
    if f.function_type(m).as_function().is_some_and(|t| !t.results.is_empty()) {
        return Err(err(m, func, "HLS functions return results through array arguments, not return values"));
    }
    let entry = m.entry_block(func, 0).ok_or_else(|| err(m, func, "function has no body"))?;
    let written = cx.written.get(&func).cloned().unwrap_or_default();
    let mut params = vec![];
    for (i, &a) in m.block(entry).args.iter().enumerate() {
        let name = names.fresh(m.value(a).name_hint.as_deref().unwrap_or(&format!("arg{i}")));
        let array = ArrayType::from_type(m.ty(a));
        let decl = declaration(m, func, m.ty(a), &name, array.is_some() && !written.get(i).copied().unwrap_or(true))?;
        // A rank-0 array is a scalar variable: by reference, so the caller sees what is stored.
        let decl = if array.is_some_and(|a| a.dims.is_empty()) { decl.replacen(&format!(" {name}"), &format!(" &{name}"), 1) } else { decl };
        params.push(decl);
        arg_names.insert(a, name);
    }
    Ok(format!("void {}({})", cx.funcs[&func], params.join(", ")))
}

/// Prints a function definition: signature, pragmas, body.
pub(crate) fn function(cx: &Ctx<'_>, func: OpId) -> DiagResult<String> {
    let m = cx.m;
    let mut names = cx.globals.clone();
    let mut values = HashMap::new();
    let sig = signature(cx, func, &mut names, &mut values)?;
    let mut e = FnEmitter { cx, m, out: String::new(), indent: 1, names, values, inlined: HashSet::new(), depth: 0 };
    e.out.push_str(&sig);
    e.out.push_str(" {\n");
    e.function_pragmas(func)?;
    let entry = m.entry_block(func, 0).ok_or_else(|| err(m, func, "function has no body"))?;
    e.block(entry)?;
    e.out.push_str("}\n");
    Ok(e.out)
}

struct FnEmitter<'a, 'b> {
    cx: &'b Ctx<'a>,
    m: &'a Module,
    out: String,
    indent: usize,
    names: Namer,
    /// C names of values held in variables (arguments, loop counters, declared results).
    values: HashMap<ValueId, String>,
    /// Ops printed inside their user's expression.
    inlined: HashSet<OpId>,
    /// Loop nesting, for default counter names.
    depth: usize,
}

/// A printed expression and whether it needs parentheses as an operand.
struct Expr {
    text: String,
    atomic: bool,
}

impl Expr {
    fn atom(text: String) -> Expr {
        Expr { text, atomic: true }
    }

    fn compound(text: String) -> Expr {
        Expr { text, atomic: false }
    }

    /// As an operand of a binary or ternary operator.
    fn operand(&self) -> String {
        if self.atomic {
            self.text.clone()
        } else {
            format!("({})", self.text)
        }
    }
}

impl<'a> FnEmitter<'a, '_> {
    fn line(&mut self, s: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn pragma(&mut self, s: &str) {
        let _ = writeln!(self.out, "#pragma HLS {s}");
    }

    fn function_pragmas(&mut self, func: OpId) -> DiagResult<()> {
        let m = self.m;
        if m.attr(func, dir::INLINE).is_some() {
            self.pragma("INLINE");
        }
        if let Some(ii) = m.attr(func, dir::PIPELINE_II).and_then(Attribute::as_int) {
            self.pragma(&format!("PIPELINE II={ii}"));
        }
        if m.attr(func, dir::DATAFLOW).is_some() {
            self.pragma("DATAFLOW");
        }
        let args = m.entry_block(func, 0).map(|b| m.block(b).args.clone()).unwrap_or_default();
        for (i, d) in arg_attrs(m, func).iter().enumerate() {
            let Some(&a) = args.get(i) else { continue };
            let name = self.values[&a].clone();
            if let Some(mode) = dict_get(d, dir::INTERFACE).and_then(Attribute::as_str) {
                self.pragma(&format!("INTERFACE {mode} port={name}"));
            }
            if let Some(p) = arg_partition(d).map_err(|e| err(m, func, e))? {
                self.pragma(&format!("ARRAY_PARTITION variable={name} {}", p.pragma_args()));
            }
        }
        for op in m.collect(func) {
            if let Some(r) = hls::Rom::of(m, op) {
                let name = self.cx.roms[&r.0].clone();
                if let Some(p) = hls::partition_of(m, op) {
                    self.pragma(&format!("ARRAY_PARTITION variable={name} {}", p.pragma_args()));
                }
                if let Some(st) = r.storage(m) {
                    self.pragma(&format!("BIND_STORAGE variable={name} type=rom_2p impl={st}"));
                }
            }
        }
        Ok(())
    }

    /// Decides which ops of a block print inside their user.
    fn plan_inlining(&mut self, b: BlockId) {
        let m = self.m;
        let ops = m.block_ops(b);
        let position: HashMap<OpId, usize> = ops.iter().enumerate().map(|(i, &o)| (o, i)).collect();
        let effects: Vec<usize> = ops
            .iter()
            .enumerate()
            .filter(|(_, &o)| hls::Store::of(m, o).is_some() || m.is(o, CallOp::def()) || m.is(o, ForOp::def()))
            .map(|(i, _)| i)
            .collect();
        for (i, &op) in ops.iter().enumerate() {
            if !is_expression(m, op) {
                continue;
            }
            let [r] = m.op(op).results[..] else { continue };
            let [(user, operand)] = m.value(r).uses[..] else { continue };
            let Some(&j) = position.get(&user) else { continue };
            if hls::Bitcast::of(m, user).is_some() {
                continue; // `.range()` reads the representation, which must be the declared type
            }
            let needs_declared_type = hls::Max::of(m, user).is_some()
                || hls::Min::of(m, user).is_some()
                || (hls::Select::of(m, user).is_some() && operand > 0);
            if needs_declared_type && !(hls::Load::of(m, op).is_some() || hls::Cast::of(m, op).is_some()) {
                continue; // both arms of `?:` need one C++ type; arithmetic has ap_fixed's own result types
            }
            if effects.iter().any(|&k| k > i && k < j) {
                continue;
            }
            self.inlined.insert(op);
        }
    }

    fn block(&mut self, b: BlockId) -> DiagResult<()> {
        self.plan_inlining(b);
        for &op in self.m.block_ops(b).to_vec().iter() {
            if !self.inlined.contains(&op) {
                self.statement(op)?;
            }
        }
        Ok(())
    }

    fn statement(&mut self, op: OpId) -> DiagResult<()> {
        let m = self.m;
        if m.is(op, ConstantOp::def()) || hls::Constant::of(m, op).is_some() || hls::FConstant::of(m, op).is_some() || hls::Rom::of(m, op).is_some() {
            return Ok(()); // literals print at their uses; roms are globals
        }
        if m.is(op, YieldOp::def()) {
            return Ok(());
        }
        if let Some(r) = ReturnOp::of(m, op) {
            if !r.values(m).is_empty() {
                return Err(err(m, op, "HLS functions return no values"));
            }
            return Ok(());
        }
        if m.is(op, ForOp::def()) {
            return self.for_loop(op);
        }
        if let Some(c) = CallOp::of(m, op) {
            if !m.op(op).results.is_empty() {
                return Err(err(m, op, "calls with results are not supported (return through array arguments)"));
            }
            let callee = m.lookup_symbol(c.callee(m)).and_then(|f| self.cx.funcs.get(&f).cloned());
            let callee = callee.ok_or_else(|| err(m, op, format!("unknown function @{}", c.callee(m))))?;
            let args: Vec<String> = c.args(m).to_vec().iter().map(|&a| self.expr(a).map(|e| e.text)).collect::<DiagResult<_>>()?;
            self.line(&format!("{callee}({});", args.join(", ")));
            return Ok(());
        }
        if let Some(a) = hls::Alloca::of(m, op) {
            let v = a.memory(m);
            let name = self.fresh(v, "buf");
            let decl = declaration(m, op, m.ty(v), &name, false)?;
            self.line(&format!("{decl};"));
            if let Some(p) = hls::partition_of(m, op) {
                self.pragma(&format!("ARRAY_PARTITION variable={name} {}", p.pragma_args()));
            }
            return Ok(());
        }
        if let Some(a) = hls::StreamAlloca::of(m, op) {
            let v = a.stream(m);
            let name = self.fresh(v, "fifo");
            let st = fpgaopt_hls::StreamType::from_type(m.ty(v)).ok_or_else(|| err(m, op, "not a stream type"))?;
            let t = stream_type(m, op, &st)?;
            self.line(&format!("{t} {name}(\"{name}\");"));
            self.pragma(&format!("STREAM variable={name} depth={}", a.depth(m)));
            return Ok(());
        }
        if hls::StreamRead::of(m, op).is_some() || hls::StreamWrite::of(m, op).is_some() {
            let f = if hls::StreamRead::of(m, op).is_some() { "stream_read" } else { "stream_write" };
            let (st, buf) = (self.expr(m.operand(op, 0))?.text, self.expr(m.operand(op, 1))?.text);
            self.line(&format!("{f}({st}, {buf});"));
            return Ok(());
        }
        if let Some(s) = hls::Store::of(m, op) {
            let target = self.access(op, s.memory(m), s.indices(m))?;
            let value = self.assigned(s.value(m))?;
            self.line(&format!("{target} = {value};"));
            return Ok(());
        }
        if let Some(d) = hls::DelinearizeIndex::of(m, op) {
            let flat = self.expr(d.flat(m))?.operand();
            let basis = d.basis(m);
            for (k, &r) in m.op(op).results.clone().iter().enumerate() {
                let stride: i64 = basis[k + 1..].iter().product();
                let mut e = if stride == 1 { flat.clone() } else { format!("{flat} / {stride}") };
                if k > 0 && basis[k] * stride < basis.iter().product::<i64>() {
                    e = if stride == 1 { format!("{flat} % {}", basis[k]) } else { format!("{e} % {}", basis[k]) };
                }
                let name = self.fresh(r, "idx");
                self.line(&format!("int {name} = {e};"));
            }
            return Ok(());
        }
        if let Some(a) = hls::AffineIndex::of(m, op) {
            let mut terms = vec![];
            for (&v, &c) in a.indices(m).to_vec().iter().zip(&a.coeffs(m)) {
                let e = self.expr(v)?.operand();
                match c {
                    0 => {}
                    1 => terms.push(e),
                    c => terms.push(format!("{e} * {c}")),
                }
            }
            let off = a.offset(m);
            if off != 0 || terms.is_empty() {
                terms.push(off.to_string());
            }
            let name = self.fresh(a.result(m), "idx");
            self.line(&format!("int {name} = {};", terms.join(" + ").replace("+ -", "- ")));
            return Ok(());
        }
        if let Some(b) = hls::Bitcast::of(m, op) {
            let r = b.result(m);
            let ty = scalar_type(m, op, r)?;
            let input = self.expr(b.input(m))?.operand();
            let name = self.fresh(r, "bits");
            self.line(&format!("{ty} {name};"));
            self.line(&format!("{name}.range() = {input}.range();"));
            return Ok(());
        }
        if is_expression(m, op) {
            let r = m.result(op, 0);
            let ty = scalar_type(m, op, r)?;
            let value = if hls::Cast::of(m, op).is_some() { self.expr(m.operand(op, 0))?.text } else { self.op_expr(op)?.text };
            let name = self.fresh(r, "v");
            self.line(&format!("{ty} {name} = {value};"));
            return Ok(());
        }
        Err(err(m, op, "not an hls-level op (lower it with qdf-to-hls first)"))
    }

    fn for_loop(&mut self, op: OpId) -> DiagResult<()> {
        let m = self.m;
        let f = ForOp(op);
        let bound = |v: ValueId| -> DiagResult<i64> {
            ConstantOp::defining(m, v)
                .and_then(|c| c.value(m).as_int())
                .ok_or_else(|| err(m, op, "loop bounds and step must be arith.constant values"))
        };
        let (lb, ub, step) = (bound(f.lower_bound(m))?, bound(f.upper_bound(m))?, bound(f.step(m))?);
        if step < 1 {
            return Err(err(m, op, format!("loop step {step} is not positive")));
        }
        let body = m.entry_block(op, 0).ok_or_else(|| err(m, op, "loop has no body"))?;
        let iv = m.block(body).args[0];
        let default = ["i", "j", "k", "l", "n", "p"].get(self.depth).map_or(format!("i{}", self.depth), |s| s.to_string());
        let name = self.fresh(iv, &default);
        let label = m.attr(op, dir::LABEL).and_then(Attribute::as_str).map(|l| format!("{l}: ")).unwrap_or_default();
        let inc = if step == 1 { format!("{name}++") } else { format!("{name} += {step}") };
        self.line(&format!("{label}for (int {name} = {lb}; {name} < {ub}; {inc}) {{"));
        if let Some(ii) = m.attr(op, dir::PIPELINE_II).and_then(Attribute::as_int) {
            self.pragma(&format!("PIPELINE II={ii}"));
        }
        match m.attr(op, dir::UNROLL).and_then(Attribute::as_int) {
            Some(0) => self.pragma("UNROLL"),
            Some(n) => self.pragma(&format!("UNROLL factor={n}")),
            None => {}
        }
        self.indent += 1;
        self.depth += 1;
        self.block(body)?;
        self.depth -= 1;
        self.indent -= 1;
        self.line("}");
        Ok(())
    }

    fn fresh(&mut self, v: ValueId, default: &str) -> String {
        let hint = self.m.value(v).name_hint.clone().filter(|h| !h.chars().all(|c| c.is_ascii_digit()));
        let name = self.names.fresh(hint.as_deref().unwrap_or(default));
        self.values.insert(v, name.clone());
        name
    }

    /// `a[i][j]` for a load or store.
    fn access(&mut self, op: OpId, memory: ValueId, indices: &[ValueId]) -> DiagResult<String> {
        let base = match hls::Rom::defining(self.m, memory) {
            Some(r) => self.cx.roms[&r.0].clone(),
            None => self.values.get(&memory).cloned().ok_or_else(|| err(self.m, op, "array is not in scope"))?,
        };
        let mut s = base;
        for &i in indices.to_vec().iter() {
            let e = self.expr(i)?;
            let _ = write!(s, "[{}]", e.text);
        }
        Ok(s)
    }

    /// The right-hand side of an assignment to a location of `v`'s type: a folded cast assigns its input.
    fn assigned(&mut self, v: ValueId) -> DiagResult<String> {
        if let Some(c) = self.m.def_op(v).and_then(|o| hls::Cast::of(self.m, o)).filter(|c| self.inlined.contains(&c.0)) {
            return Ok(self.expr(c.input(self.m))?.text);
        }
        Ok(self.expr(v)?.text)
    }

    /// The expression of a value: a name, a literal, or a folded op.
    fn expr(&mut self, v: ValueId) -> DiagResult<Expr> {
        let m = self.m;
        if let Some(n) = self.values.get(&v) {
            return Ok(Expr::atom(n.clone()));
        }
        let op = match m.value(v).def {
            ValueDef::Result(op, _) => op,
            ValueDef::BlockArg(..) => return Err(Diagnostic::error(fpgaopt_ir::Location::Unknown, "cannot emit: block argument without a name")),
        };
        if let Some(c) = ConstantOp::of(m, op) {
            return match c.value(m) {
                Attribute::Int(i, _) => Ok(Expr::atom(int_literal(*i))),
                other => Err(err(m, op, format!("only integer and index constants can be emitted, found {other}"))),
            };
        }
        if let Some(c) = hls::Constant::of(m, op) {
            return self.constant(op, c.value(m));
        }
        if let Some(c) = hls::FConstant::of(m, op) {
            return Ok(Expr::atom(f32_literal(c.value(m) as f32)));
        }
        if self.inlined.contains(&op) {
            return self.op_expr(op);
        }
        Err(err(m, op, "value used before it is defined"))
    }

    fn constant(&mut self, op: OpId, mantissa: i64) -> DiagResult<Expr> {
        let m = self.m;
        let r = m.result(op, 0);
        let ty = scalar_type(m, op, r)?;
        match Scalar::of(m.ty(r)) {
            Some(Scalar::Bool) => Ok(Expr::atom(if mantissa != 0 { "true".into() } else { "false".into() })),
            Some(Scalar::Fixed(f)) => {
                let lit = fixed_literal(&f, mantissa).ok_or_else(|| err(m, op, format!("constant of {} needs more than 53 bits", f.cpp())))?;
                Ok(Expr::atom(format!("{ty}({lit})")))
            }
            _ => Ok(Expr::atom(format!("{ty}({})", int_literal(mantissa)))),
        }
    }

    /// The expression computed by an expression op.
    fn op_expr(&mut self, op: OpId) -> DiagResult<Expr> {
        let m = self.m;
        let operand = |s: &mut Self, i: usize| s.expr(m.operand(op, i)).map(|e| e.operand());
        if let Some(l) = hls::Load::of(m, op) {
            let element = self.access(op, l.memory(m), l.indices(m))?;
            // Roms hold mantissas in native integers (see `project::weights`).
            if hls::Rom::defining(m, l.memory(m)).is_some() {
                let ty = scalar_type(m, op, l.result(m))?;
                return Ok(Expr::atom(match Scalar::of(m.ty(l.result(m))) {
                    Some(Scalar::Fixed(_)) => format!("from_bits<{ty}>({element})"),
                    Some(Scalar::Int { .. }) => format!("{ty}({element})"),
                    _ => element,
                }));
            }
            return Ok(Expr::atom(element));
        }
        if let Some(c) = hls::Cast::of(m, op) {
            let ty = scalar_type(m, op, c.result(m))?;
            return Ok(Expr::atom(format!("{ty}({})", self.expr(c.input(m))?.text)));
        }
        let binary = |s: &mut Self, sym: &str| -> DiagResult<Expr> {
            let (a, b) = (operand(s, 0)?, operand(s, 1)?);
            Ok(Expr::compound(format!("{a} {sym} {b}")))
        };
        if hls::Add::of(m, op).is_some() {
            return binary(self, "+");
        }
        if hls::Sub::of(m, op).is_some() {
            return binary(self, "-");
        }
        if hls::Mul::of(m, op).is_some() {
            return binary(self, "*");
        }
        if hls::Div::of(m, op).is_some() {
            return binary(self, "/");
        }
        if let Some(c) = hls::IndexCast::of(m, op) {
            return Ok(Expr::atom(format!("{}.to_int()", self.expr(c.input(m))?.operand())));
        }
        if let Some(c) = hls::Cmp::of(m, op) {
            let sym = match c.predicate(m) {
                "eq" => "==",
                "ne" => "!=",
                "lt" => "<",
                "le" => "<=",
                "gt" => ">",
                _ => ">=",
            };
            return binary(self, sym);
        }
        if hls::Max::of(m, op).is_some() || hls::Min::of(m, op).is_some() {
            let (a, b) = (operand(self, 0)?, operand(self, 1)?);
            let sym = if hls::Max::of(m, op).is_some() { ">" } else { "<" };
            return Ok(Expr::compound(format!("{a} {sym} {b} ? {a} : {b}")));
        }
        if hls::Select::of(m, op).is_some() {
            let (c, a, b) = (operand(self, 0)?, operand(self, 1)?, operand(self, 2)?);
            return Ok(Expr::compound(format!("{c} ? {a} : {b}")));
        }
        if hls::Fma::of(m, op).is_some() {
            let (a, b, c) = (operand(self, 0)?, operand(self, 1)?, operand(self, 2)?);
            return Ok(Expr::atom(format!("std::fma({a}, {b}, {c})")));
        }
        if let Some(e) = hls::Exp::of(m, op) {
            return Ok(Expr::atom(format!("mlas_exp({})", self.expr(e.input(m))?.text)));
        }
        Err(err(m, op, "not an expression"))
    }
}

/// Ops that compute one scalar and print as an expression.
fn is_expression(m: &Module, op: OpId) -> bool {
    hls::Load::of(m, op).is_some()
        || hls::Add::of(m, op).is_some()
        || hls::Sub::of(m, op).is_some()
        || hls::Mul::of(m, op).is_some()
        || hls::Div::of(m, op).is_some()
        || hls::IndexCast::of(m, op).is_some()
        || hls::Cast::of(m, op).is_some()
        || hls::Max::of(m, op).is_some()
        || hls::Min::of(m, op).is_some()
        || hls::Cmp::of(m, op).is_some()
        || hls::Select::of(m, op).is_some()
        || hls::Fma::of(m, op).is_some()
        || hls::Exp::of(m, op).is_some()
}

/// True when a function calls into `<cmath>` (`hls.fma`, `hls.exp`).
pub(crate) fn uses_cmath(m: &Module, f: OpId) -> bool {
    m.collect(f).into_iter().any(|o| hls::Fma::of(m, o).is_some() || hls::Exp::of(m, o).is_some())
}
