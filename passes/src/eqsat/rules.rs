//! Rule files: one named rule per line, parsed into [`Rule`]s.
//!
//! ```text
//! # comment
//! fold-bn-into-dense: (nn.batch_norm {epsilon=?e} (nn.dense {..?d, !activation} ?x ?w ?b) ?g ?t ?m ?v)
//!     => (nn.dense {..?d} ?x (nn.mul ?w (@bn-scale ?g ?v ?e)) ...) if real, rank2(?x)
//! ```
//! (one line in the file). Terms: `?var`, `(op {attrs} children...)`, `(@function args...)`; an op
//! with variadic operands (`nn.concat`) matches and builds exactly the children written.
//! Attributes on the left: `name=literal` (MLIR syntax), `name=?a` (binds the value or its
//! absence), `!name` (must be absent), `..?r` (binds every attribute not named). On the right an
//! op gets exactly the attributes written; `..?r` splices a bound set. Guards follow `if`, comma
//! separated: `name` or `name(?a, ?b)`. Every error names `file:line:col`.
//!
//! A multi-pattern rule (TENSAT's) has two left-hand patterns and two right-hand sides, comma
//! separated: `name: lhs1, lhs2 => rhs1, rhs2 if ...`. The patterns share variables; a match is a
//! pair of distinct e-classes, and each root is unioned with its own right-hand side.

use fpgaopt_ir::parser::parse_attribute;
use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, Location, Registry};

use super::guards::{attr_function, function, guard, AttrFunction, Function, Guard};
use super::lang::RESULT;

/// A variable slot of a rule.
pub type Slot = usize;

/// An attribute constraint (left) or construction (right).
#[derive(Clone, Debug)]
pub enum AttrPat {
    /// `name=literal`
    Lit(String, Attribute),
    /// `name=?a`
    Var(String, Slot),
    /// `!name`
    Absent(String),
    /// `..?r`
    Rest(Slot),
    /// `name=(@function args...)` (right-hand side only)
    Call(String, &'static AttrFunction, Vec<Term>),
}

/// A pattern term.
#[derive(Clone, Debug)]
pub enum Term {
    Var(Slot),
    Op { op: &'static str, attrs: Vec<AttrPat>, children: Vec<Term> },
    Call { func: &'static Function, args: Vec<Term> },
}

/// What a slot holds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SlotKind {
    Class,
    Attr,
    Rest,
}

/// A parsed rule.
#[derive(Debug)]
pub struct Rule {
    pub name: String,
    pub lhs: Term,
    pub rhs: Term,
    /// The second left-hand pattern and its right-hand side, for a multi-pattern rule.
    pub pair: Option<(Term, Term)>,
    pub guards: Vec<(&'static Guard, Vec<Slot>)>,
    /// Variable names by slot, with their kinds.
    pub slots: Vec<(String, SlotKind)>,
    /// `file:line`, for messages.
    pub origin: String,
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    file: &'a str,
    line: u32,
    registry: &'a Registry,
    slots: Vec<(String, SlotKind)>,
    lhs: bool,
}

impl<'a> Cursor<'a> {
    fn err(&self, msg: impl Into<String>) -> Diagnostic {
        let col = self.text[..self.pos].chars().count() as u32 + 1;
        Diagnostic::error(Location::file(self.file, self.line, col), msg.into())
    }

    fn ws(&mut self) {
        while let Some(c) = self.text[self.pos..].chars().next().filter(|c| c.is_whitespace()) {
            self.pos += c.len_utf8();
        }
    }

    fn eat(&mut self, s: &str) -> bool {
        self.ws();
        if self.text[self.pos..].starts_with(s) {
            self.pos += s.len();
            return true;
        }
        false
    }

    fn expect(&mut self, s: &str) -> DiagResult<()> {
        if self.eat(s) {
            return Ok(());
        }
        Err(self.err(format!("expected '{s}'")))
    }

    fn ident(&mut self) -> DiagResult<&'a str> {
        self.ws();
        let rest = &self.text[self.pos..];
        let n = rest.find(|c: char| !(c.is_alphanumeric() || "._-".contains(c))).unwrap_or(rest.len());
        if n == 0 {
            return Err(self.err("expected a name"));
        }
        self.pos += n;
        Ok(&rest[..n])
    }

    /// A `?name` variable of the given kind: on the left it may be new, on the right it must exist.
    fn var(&mut self, kind: SlotKind) -> DiagResult<Slot> {
        self.expect("?")?;
        let name = self.ident()?;
        match self.slots.iter().position(|(n, _)| n == name) {
            Some(i) if self.slots[i].1 == kind => Ok(i),
            Some(i) => Err(self.err(format!("'?{name}' is used as {:?} and as {kind:?}", self.slots[i].1).to_lowercase())),
            None if self.lhs => {
                self.slots.push((name.to_string(), kind));
                Ok(self.slots.len() - 1)
            }
            None => Err(self.err(format!("'?{name}' is not bound on the left-hand side"))),
        }
    }

    /// A `?name` bound on the left-hand side, of any kind (guard arguments).
    fn bound_var(&mut self) -> DiagResult<Slot> {
        self.expect("?")?;
        let name = self.ident()?;
        self.slots.iter().position(|(n, _)| n == name).ok_or_else(|| self.err(format!("'?{name}' is not bound on the left-hand side")))
    }

    /// An attribute literal: the text up to the next `,` or `}` outside brackets and quotes.
    fn literal(&mut self) -> DiagResult<Attribute> {
        self.ws();
        let (mut depth, mut quoted, start) = (0i32, false, self.pos);
        for (i, c) in self.text[start..].char_indices() {
            match c {
                '"' => quoted = !quoted,
                '<' | '[' | '(' if !quoted => depth += 1,
                '>' | ']' | ')' if !quoted => depth -= 1,
                ',' | '}' if !quoted && depth == 0 => {
                    self.pos = start + i;
                    let text = self.text[start..self.pos].trim();
                    return parse_attribute(text, self.registry)
                        .map_err(|d| self.err(format!("bad attribute value '{text}': {}", d.message)));
                }
                _ => {}
            }
        }
        Err(self.err("unterminated attribute dictionary"))
    }

    fn attrs(&mut self, op: &'static fpgaopt_ir::OpDef) -> DiagResult<Vec<AttrPat>> {
        let mut out = vec![];
        if !self.eat("{") {
            return Ok(out);
        }
        if self.eat("}") {
            return Ok(out);
        }
        loop {
            if self.eat("..") {
                out.push(AttrPat::Rest(self.var(SlotKind::Rest)?));
            } else {
                let absent = self.eat("!");
                if absent && !self.lhs {
                    return Err(self.err("'!name' is only allowed on the left-hand side"));
                }
                let name = self.ident()?.to_string();
                if name != RESULT && op.attr_def(&name).is_none() {
                    return Err(self.err(format!("'{}' has no attribute '{name}'", op.name)));
                }
                if absent {
                    out.push(AttrPat::Absent(name));
                } else {
                    self.expect("=")?;
                    self.ws();
                    let p = if self.text[self.pos..].starts_with('?') {
                        AttrPat::Var(name, self.var(SlotKind::Attr)?)
                    } else if self.text[self.pos..].starts_with("(@") && !self.lhs {
                        self.pos += 2;
                        let f = self.ident()?;
                        let func = attr_function(f).ok_or_else(|| self.err(format!("unknown attribute function '@{f}'")))?;
                        AttrPat::Call(name, func, self.call_args(f, func.arity)?)
                    } else {
                        AttrPat::Lit(name, self.literal()?)
                    };
                    out.push(p);
                }
            }
            if self.eat("}") {
                return Ok(out);
            }
            self.expect(",")?;
        }
    }

    fn term(&mut self) -> DiagResult<Term> {
        self.ws();
        if self.text[self.pos..].starts_with('?') {
            return Ok(Term::Var(self.var(SlotKind::Class)?));
        }
        self.expect("(")?;
        if self.eat("@") {
            if self.lhs {
                return Err(self.err("function calls are only allowed on the right-hand side"));
            }
            let name = self.ident()?;
            let func = function(name).ok_or_else(|| self.err(format!("unknown function '@{name}'")))?;
            return Ok(Term::Call { func, args: self.call_args(name, func.arity)? });
        }
        self.ws();
        let at = self.pos;
        let name = self.ident()?;
        let Some(def) = self.registry.op(name).filter(|d| d.dialect() == "nn") else {
            self.pos = at;
            return Err(self.err(format!("unknown nn op '{name}'")));
        };
        let attrs = self.attrs(def)?;
        let mut children = vec![];
        while !self.eat(")") {
            children.push(self.term()?);
        }
        let fixed = def.operands.iter().filter(|a| !a.variadic).count();
        let variadic = fixed != def.operands.len();
        if children.len() != def.operands.len() && !(variadic && children.len() >= fixed) {
            let n = if variadic { format!("at least {fixed}") } else { fixed.to_string() };
            return Err(self.err(format!("'{name}' takes {n} operands, got {}", children.len())));
        }
        Ok(Term::Op { op: def.name, attrs, children })
    }

    /// The arguments of a call `(@name ...` up to its `)`: exactly `arity` of them.
    fn call_args(&mut self, name: &str, arity: usize) -> DiagResult<Vec<Term>> {
        let mut args = vec![];
        while !self.eat(")") {
            args.push(self.arg()?);
        }
        if args.len() != arity {
            return Err(self.err(format!("'@{name}' takes {arity} arguments, got {}", args.len())));
        }
        Ok(args)
    }

    /// A call argument: a term, or an attribute variable.
    fn arg(&mut self) -> DiagResult<Term> {
        self.ws();
        if self.text[self.pos..].starts_with('?') {
            let save = self.pos;
            self.pos += 1;
            let name = self.ident()?;
            self.pos = save;
            if let Some(i) = self.slots.iter().position(|(n, k)| n == name && *k == SlotKind::Attr) {
                self.var(SlotKind::Attr)?;
                return Ok(Term::Var(i));
            }
        }
        self.term()
    }
}

/// Parses a rule file; `file` names it in errors.
pub fn parse_rules(text: &str, file: &str, registry: &Registry) -> DiagResult<Vec<Rule>> {
    let mut rules: Vec<Rule> = vec![];
    for (i, line) in text.lines().enumerate() {
        let body = line.split('#').next().unwrap_or("");
        if body.trim().is_empty() {
            continue;
        }
        let mut c = Cursor { text: body, pos: 0, file, line: i as u32 + 1, registry, slots: vec![], lhs: true };
        let name = c.ident()?.to_string();
        if rules.iter().any(|r| r.name == name) {
            return Err(c.err(format!("rule '{name}' is defined twice")));
        }
        c.expect(":")?;
        let lhs = c.term()?;
        if matches!(lhs, Term::Var(_)) {
            return Err(c.err("the left-hand side must be an op"));
        }
        let lhs2 = if c.eat(",") { Some(c.term()?) } else { None };
        if matches!(lhs2, Some(Term::Var(_))) {
            return Err(c.err("the second left-hand pattern must be an op"));
        }
        c.expect("=>")?;
        c.lhs = false;
        let rhs = c.term()?;
        let pair = match (lhs2, c.eat(",")) {
            (Some(l), true) => Some((l, c.term()?)),
            (None, false) => None,
            (Some(_), false) => return Err(c.err("a rule with two left-hand patterns needs two right-hand sides")),
            (None, true) => return Err(c.err("a second right-hand side needs a second left-hand pattern")),
        };
        let mut guards = vec![];
        if c.eat("if") {
            loop {
                let g = c.ident()?;
                let gd = guard(g).ok_or_else(|| c.err(format!("unknown guard '{g}'")))?;
                let mut args = vec![];
                if c.eat("(") {
                    while !c.eat(")") {
                        args.push(c.bound_var()?);
                        c.eat(",");
                    }
                }
                if !gd.arity.contains(&args.len()) {
                    return Err(c.err(format!("guard '{g}' takes {:?} arguments, got {}", gd.arity, args.len())));
                }
                guards.push((gd, args));
                if !c.eat(",") {
                    break;
                }
            }
        }
        c.ws();
        if c.pos < body.len() {
            return Err(c.err(format!("unexpected '{}'", body[c.pos..].trim())));
        }
        let origin = format!("{file}:{}", i + 1);
        rules.push(Rule { name, lhs, rhs, pair, guards, slots: c.slots, origin });
    }
    Ok(rules)
}
