//! The MLIR text printer: generic form for every op, custom forms for ops that declare them.
//!
//! Values print as `%name` from their hint when the name is free in the current scope, else as
//! numbers (`%0`), like MLIR; every function body (isolated from above) starts a fresh scope.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write};

use crate::attrs::{Attribute, DenseElements};
use crate::ir::{BlockId, Module, OpId, RegionId, ValueId};
use crate::opdef::Trait;
use crate::types::Type;

/// Printing choices, named after `mlir-opt`'s flags.
#[derive(Clone, Debug)]
pub struct PrintOptions {
    /// `--mlir-print-op-generic`: no custom forms.
    pub generic: bool,
    /// `--mlir-print-debuginfo`: print locations.
    pub debug_info: bool,
    /// `--mlir-elide-elementsattrs-if-larger=N`: print bigger dense constants as `dense_resource<__elided__>`.
    pub elide_elements_larger: Option<usize>,
    /// Dense constants with more elements than this print as a hex blob.
    pub hex_threshold: usize,
}

impl Default for PrintOptions {
    fn default() -> Self {
        PrintOptions { generic: false, debug_info: false, elide_elements_larger: None, hex_threshold: 16 }
    }
}

/// Writes an attribute.
pub fn write_attribute(out: &mut impl Write, a: &Attribute, opts: &PrintOptions) -> fmt::Result {
    match a {
        Attribute::Unit => out.write_str("unit"),
        Attribute::Bool(b) => write!(out, "{b}"),
        Attribute::Int(v, ty) => match ty {
            Type::Integer { width: 64, signedness: crate::types::Signedness::Signless } => write!(out, "{v}"),
            _ => write!(out, "{v} : {ty}"),
        },
        Attribute::Float(v, ty) => {
            let single = *ty == Type::F32;
            write!(out, "{}", crate::attrs::format_float(*v, single))?;
            if *ty != Type::F64 {
                write!(out, " : {ty}")?;
            }
            Ok(())
        }
        Attribute::String(s) => write_string(out, s),
        Attribute::Type(t) => write!(out, "{t}"),
        Attribute::Array(items) => {
            out.write_char('[')?;
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.write_str(", ")?;
                }
                write_attribute(out, x, opts)?;
            }
            out.write_char(']')
        }
        Attribute::Dict(entries) => write_dict(out, entries, opts),
        Attribute::Symbol(s) => write_symbol(out, s),
        Attribute::Dense(d) => write_dense(out, d, opts),
    }
}

fn write_dense(out: &mut impl Write, d: &DenseElements, opts: &PrintOptions) -> fmt::Result {
    if opts.elide_elements_larger.is_some_and(|n| d.len() > n) {
        return write!(out, "dense_resource<__elided__> : {}", d.ty);
    }
    out.write_str("dense<")?;
    if d.len() > opts.hex_threshold && !d.is_splat() {
        d.write_hex(out)?;
    } else {
        d.write_literal(out)?;
    }
    write!(out, "> : {}", d.ty)
}

/// Writes a string literal with MLIR's escapes.
pub fn write_string(out: &mut impl Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\t' => out.write_str("\\t")?,
            c if (c as u32) < 0x20 => write!(out, "\\{:02X}", c as u32)?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

/// Writes `@name`, quoting it when it is not a bare identifier.
pub fn write_symbol(out: &mut impl Write, s: &str) -> fmt::Result {
    if is_bare_identifier(s) {
        write!(out, "@{s}")
    } else {
        out.write_char('@')?;
        write_string(out, s)
    }
}

fn is_bare_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.'))
}

/// Writes `{a = 1, b = "x"}`.
pub fn write_dict(out: &mut impl Write, entries: &[(String, Attribute)], opts: &PrintOptions) -> fmt::Result {
    out.write_char('{')?;
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.write_str(", ")?;
        }
        if is_bare_identifier(k) {
            out.write_str(k)?;
        } else {
            write_string(out, k)?;
        }
        if !matches!(v, Attribute::Unit) {
            out.write_str(" = ")?;
            write_attribute(out, v, opts)?;
        }
    }
    out.write_char('}')
}

/// Prints a module; custom assembly hooks use its methods.
pub struct Printer<'a> {
    pub m: &'a Module,
    pub opts: &'a PrintOptions,
    pub out: String,
    indent: usize,
    scopes: Vec<Scope>,
}

#[derive(Default)]
struct Scope {
    names: HashMap<ValueId, String>,
    used: HashSet<String>,
    next_value: usize,
    next_arg: usize,
    blocks: HashMap<BlockId, String>,
}

impl<'a> Printer<'a> {
    pub fn new(m: &'a Module, opts: &'a PrintOptions) -> Printer<'a> {
        Printer { m, opts, out: String::new(), indent: 0, scopes: vec![Scope::default()] }
    }

    /// Prints the whole module.
    pub fn print_module(mut self) -> String {
        let top = self.m.top();
        let _ = self.print_op(top);
        self.out.push('\n');
        self.out
    }

    /// The printed name of a value (`%x`, `%0`, `%3#1`).
    pub fn value_name(&mut self, v: ValueId) -> String {
        for s in self.scopes.iter().rev() {
            if let Some(n) = s.names.get(&v) {
                return n.clone();
            }
        }
        // A value read before its definition printed (invalid IR): give it a name anyway.
        self.name_value(v, false)
    }

    fn name_value(&mut self, v: ValueId, is_arg: bool) -> String {
        let hint = self.m.value(v).name_hint.as_deref().map(sanitize);
        let scope = self.scopes.last_mut().expect("a scope");
        let name = match hint {
            Some(h) if !h.is_empty() && !scope.used.contains(&h) && !h.chars().next().is_some_and(|c| c.is_ascii_digit()) => h,
            _ if is_arg => loop {
                let n = format!("arg{}", scope.next_arg);
                scope.next_arg += 1;
                if !scope.used.contains(&n) {
                    break n;
                }
            },
            _ => {
                let n = scope.next_value.to_string();
                scope.next_value += 1;
                n
            }
        };
        scope.used.insert(name.clone());
        let full = format!("%{name}");
        scope.names.insert(v, full.clone());
        full
    }

    fn name_results(&mut self, op: OpId) -> Option<String> {
        let results = self.m.op(op).results.clone();
        match results.len() {
            0 => None,
            1 => Some(self.name_value(results[0], false)),
            n => {
                let base = self.name_value(results[0], false);
                let scope = self.scopes.last_mut().expect("a scope");
                for (i, r) in results.iter().enumerate() {
                    scope.names.insert(*r, format!("{base}#{i}"));
                }
                Some(format!("{base}:{n}"))
            }
        }
    }

    /// Writes a comma-separated list of value names.
    pub fn write_values(&mut self, values: &[ValueId]) {
        for (i, &v) in values.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            let n = self.value_name(v);
            self.out.push_str(&n);
        }
    }

    /// Writes a comma-separated list of types.
    pub fn write_types(&mut self, types: impl IntoIterator<Item = Type>) {
        for (i, t) in types.into_iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            let _ = write!(self.out, "{t}");
        }
    }

    /// Writes an attribute with this printer's options.
    pub fn write_attr(&mut self, a: &Attribute) {
        let _ = write_attribute(&mut self.out, a, self.opts);
    }

    /// Writes ` {a = 1}` for the attributes not in `skip`, if any.
    pub fn write_attr_dict(&mut self, op: OpId, skip: &[&str], keyword: bool) {
        let attrs: Vec<_> =
            self.m.op(op).attrs.iter().filter(|(k, _)| !skip.contains(&k.as_str())).cloned().collect();
        if !attrs.is_empty() {
            self.out.push_str(if keyword { " attributes " } else { " " });
            let _ = write_dict(&mut self.out, &attrs, self.opts);
        }
    }

    /// Writes the trailing location if debug info is on.
    pub fn write_loc(&mut self, op: OpId) {
        if self.opts.debug_info {
            let _ = write!(self.out, " {}", self.m.op(op).loc);
        }
    }

    fn newline(&mut self) {
        self.out.push('\n');
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    /// Prints one op (without leading indentation or trailing newline).
    pub fn print_op(&mut self, op: OpId) -> fmt::Result {
        let data = self.m.op(op);
        if let (Some(asm), false) = (data.def.asm, self.opts.generic) {
            return (asm.print)(self, op);
        }
        self.print_generic(op)
    }

    fn print_generic(&mut self, op: OpId) -> fmt::Result {
        let data = self.m.op(op);
        if let Some(r) = self.name_results(op) {
            write!(self.out, "{r} = ")?;
        }
        write!(self.out, "\"{}\"(", data.name())?;
        let operands = data.operands.clone();
        self.write_values(&operands);
        self.out.push(')');
        let regions = data.regions.clone();
        if !regions.is_empty() {
            self.out.push_str(" (");
            for (i, r) in regions.iter().enumerate() {
                if i > 0 {
                    self.out.push_str(", ");
                }
                self.print_region(*r, true, data.def.has_trait(Trait::IsolatedFromAbove))?;
            }
            self.out.push(')');
        }
        self.write_attr_dict(op, &[], false);
        let data = self.m.op(op);
        let ins: Vec<Type> = data.operands.iter().map(|&v| self.m.ty(v).clone()).collect();
        let outs: Vec<Type> = data.results.iter().map(|&v| self.m.ty(v).clone()).collect();
        write!(self.out, " : {}", Type::function(ins, outs))?;
        self.write_loc(op);
        Ok(())
    }

    /// Prints `{ ... }` for a region; `print_entry_header` shows the entry block's label and arguments.
    pub fn print_region(&mut self, r: RegionId, print_entry_header: bool, isolated: bool) -> fmt::Result {
        if isolated {
            self.scopes.push(Scope::default());
        } else {
            // Nested regions share numbering with their parent, like MLIR.
            let parent = self.scopes.last().expect("a scope");
            let s = Scope { next_value: parent.next_value, next_arg: parent.next_arg, used: parent.used.clone(), ..Default::default() };
            self.scopes.push(s);
        }
        let blocks = self.m.region(r).blocks.clone();
        for (i, &b) in blocks.iter().enumerate() {
            let name = format!("^bb{i}");
            self.scopes.last_mut().expect("a scope").blocks.insert(b, name);
        }
        self.out.push('{');
        for (i, &b) in blocks.iter().enumerate() {
            let args = self.m.block(b).args.clone();
            if i > 0 || (print_entry_header && !args.is_empty()) {
                self.out.push('\n');
                for _ in 0..self.indent {
                    self.out.push_str("  ");
                }
                write!(self.out, "^bb{i}")?;
                if !args.is_empty() {
                    self.out.push('(');
                    for (j, &a) in args.iter().enumerate() {
                        if j > 0 {
                            self.out.push_str(", ");
                        }
                        let n = self.name_value(a, true);
                        write!(self.out, "{n}: {}", self.m.ty(a))?;
                    }
                    self.out.push(')');
                }
                self.out.push(':');
            } else {
                for &a in &args {
                    self.name_value(a, true);
                }
            }
            self.print_block_ops(b)?;
        }
        self.newline();
        self.out.push('}');
        let done = self.scopes.pop().expect("a scope");
        if !isolated {
            let parent = self.scopes.last_mut().expect("a scope");
            parent.next_value = done.next_value;
            parent.next_arg = done.next_arg;
        }
        Ok(())
    }

    /// Names the given block arguments in the current scope (custom forms that print them inline).
    pub fn declare_args(&mut self, args: &[ValueId]) -> Vec<String> {
        args.iter().map(|&a| self.name_value(a, true)).collect()
    }

    /// Opens a scope for a custom form that prints its entry arguments itself.
    pub fn push_scope(&mut self, isolated: bool) {
        let s = if isolated {
            Scope::default()
        } else {
            let parent = self.scopes.last().expect("a scope");
            Scope { next_value: parent.next_value, next_arg: parent.next_arg, used: parent.used.clone(), ..Default::default() }
        };
        self.scopes.push(s);
    }

    /// Closes a scope opened by [`Printer::push_scope`].
    pub fn pop_scope(&mut self, isolated: bool) {
        let done = self.scopes.pop().expect("a scope");
        if !isolated {
            let parent = self.scopes.last_mut().expect("a scope");
            parent.next_value = done.next_value;
            parent.next_arg = done.next_arg;
        }
    }

    /// Prints the ops of a block, each on its own indented line; `skip_last_if` drops an implicit terminator.
    pub fn print_block_ops(&mut self, b: BlockId) -> fmt::Result {
        self.print_block_ops_except(b, None)
    }

    /// Like [`Printer::print_block_ops`] but leaves out one op (an implicit terminator).
    pub fn print_block_ops_except(&mut self, b: BlockId, except: Option<OpId>) -> fmt::Result {
        self.indent += 1;
        for &o in self.m.block_ops(b).to_vec().iter() {
            if Some(o) == except {
                continue;
            }
            self.newline();
            self.print_op(o)?;
        }
        self.indent -= 1;
        Ok(())
    }

    /// Prints `{`, the ops of a single-block region, and `}` (for custom forms).
    pub fn print_body(&mut self, b: BlockId, except: Option<OpId>) -> fmt::Result {
        self.out.push('{');
        self.print_block_ops_except(b, except)?;
        self.newline();
        self.out.push('}');
        Ok(())
    }
}

/// Turns a name hint into a valid MLIR value name.
fn sanitize(s: &str) -> String {
    let mut out: String =
        s.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '.' | '-') { c } else { '_' }).collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'v');
    }
    out
}

/// Prints a module with the given options.
pub fn print_module(m: &Module, opts: &PrintOptions) -> String {
    Printer::new(m, opts).print_module()
}
