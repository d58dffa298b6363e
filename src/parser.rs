//! The MLIR text parser: generic op form, custom forms declared by ops, builtin types and attributes.
//!
//! It reads characters directly (MLIR's shapes like `1x16xf32` do not tokenise cleanly) and reports
//! the first error as a diagnostic at `file:line:col`. Operations must be registered in the
//! [`Registry`]; dialect types are checked against their [`TypeDef`](crate::opdef::TypeDef).

use std::collections::HashMap;

use crate::attrs::{Attribute, DenseElements, ElementKind};
use crate::diag::{DiagResult, Diagnostic, Location};
use crate::ir::{InsertPoint, Module, OpId, OpSpec, RegionId, ValueId};
use crate::opdef::{Registry, Trait};
use crate::types::{FloatKind, Signedness, Type};

/// Parses MLIR text into a module.
pub fn parse_module(text: &str, file: &str, registry: &Registry) -> DiagResult<Module> {
    parse_module_at(text, file, 0, registry)
}

/// Parses MLIR text whose first line is line `line_offset + 1` of `file` (for split input).
pub fn parse_module_at(text: &str, file: &str, line_offset: u32, registry: &Registry) -> DiagResult<Module> {
    let mut p = Parser::new(text, file, line_offset, registry);
    p.parse_top()?;
    Ok(p.module)
}

/// Parses a standalone type (`tensor<4xf32>`, `!qdf.fixed<...>`).
pub fn parse_type(text: &str, registry: &Registry) -> DiagResult<Type> {
    let mut p = Parser::new(text, "<type>", 0, registry);
    let t = p.parse_type()?;
    p.skip_ws();
    if !p.at_end() {
        return Err(p.error("unexpected text after type"));
    }
    Ok(t)
}

/// Parses a standalone attribute (`1.0e-1`, `"relu"`, `dense<[1.0]> : tensor<1xf32>`, `[0, 1]`).
pub fn parse_attribute(text: &str, registry: &Registry) -> DiagResult<Attribute> {
    let mut p = Parser::new(text, "<attribute>", 0, registry);
    let a = p.parse_attribute()?;
    p.skip_ws();
    if !p.at_end() {
        return Err(p.error("unexpected text after attribute"));
    }
    Ok(a)
}

/// The parser state; custom assembly hooks drive it through its public methods.
pub struct Parser<'a> {
    src: &'a str,
    pos: usize,
    line: u32,
    col: u32,
    file: std::sync::Arc<str>,
    registry: &'a Registry,
    /// The module being built.
    pub module: Module,
    scopes: Vec<HashMap<String, ValueId>>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, file: &str, line_offset: u32, registry: &'a Registry) -> Parser<'a> {
        Parser {
            src,
            pos: 0,
            line: line_offset + 1,
            col: 1,
            file: file.into(),
            registry,
            module: Module::new(Location::file(file, line_offset + 1, 1)),
            scopes: vec![HashMap::new()],
        }
    }

    // ----- characters -----

    fn rest(&self) -> &'a str {
        &self.src[self.pos..]
    }

    fn at_end(&self) -> bool {
        self.pos >= self.src.len()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }

    /// Skips whitespace and `//` comments.
    pub fn skip_ws(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_whitespace() => {
                    self.bump();
                }
                Some('/') if self.rest().starts_with("//") => {
                    while !matches!(self.peek(), None | Some('\n')) {
                        self.bump();
                    }
                }
                _ => break,
            }
        }
    }

    /// The location of the next token.
    pub fn loc(&mut self) -> Location {
        self.skip_ws();
        Location::FileLineCol { file: self.file.clone(), line: self.line, col: self.col }
    }

    /// An error at the next token.
    pub fn error(&mut self, msg: impl Into<String>) -> Diagnostic {
        let loc = self.loc();
        Diagnostic::error(loc, msg)
    }

    /// True (and consumed) if the next token is `s`.
    pub fn eat(&mut self, s: &str) -> bool {
        self.skip_ws();
        if self.rest().starts_with(s) {
            // A keyword must not be the prefix of a longer identifier.
            let word = s.chars().last().is_some_and(|c| c.is_alphanumeric());
            let next = self.rest()[s.len()..].chars().next();
            if word && next.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                return false;
            }
            for _ in s.chars() {
                self.bump();
            }
            true
        } else {
            false
        }
    }

    /// Consumes `s` or fails with "expected `s`".
    pub fn expect(&mut self, s: &str) -> DiagResult<()> {
        if self.eat(s) {
            Ok(())
        } else {
            Err(self.error(format!("expected '{s}'")))
        }
    }

    /// Peeks whether the next token starts with `s`.
    pub fn at(&mut self, s: &str) -> bool {
        self.skip_ws();
        self.rest().starts_with(s)
    }

    fn ident_chars(&mut self, extra: &[char]) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.' || extra.contains(&c) {
                s.push(c);
                self.bump();
            } else {
                break;
            }
        }
        s
    }

    /// A bare identifier such as `func.func` or `tensor`.
    pub fn parse_bare_ident(&mut self) -> DiagResult<String> {
        self.skip_ws();
        match self.peek() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => Ok(self.ident_chars(&[])),
            _ => Err(self.error("expected identifier")),
        }
    }

    /// A string literal with MLIR escapes.
    pub fn parse_string(&mut self) -> DiagResult<String> {
        self.skip_ws();
        if self.peek() != Some('"') {
            return Err(self.error("expected string literal"));
        }
        self.bump();
        let mut s = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err(self.error("unterminated string literal")),
                Some('"') => return Ok(s),
                Some('\\') => match self.bump() {
                    Some('n') => s.push('\n'),
                    Some('t') => s.push('\t'),
                    Some('"') => s.push('"'),
                    Some('\\') => s.push('\\'),
                    Some(a) if a.is_ascii_hexdigit() => {
                        let b = self.bump().filter(char::is_ascii_hexdigit);
                        let Some(b) = b else { return Err(self.error("bad escape in string literal")) };
                        let v = u8::from_str_radix(&format!("{a}{b}"), 16).unwrap_or(b'?');
                        s.push(v as char);
                    }
                    _ => return Err(self.error("bad escape in string literal")),
                },
                Some(c) => s.push(c),
            }
        }
    }

    /// `@name` or `@"name"`.
    pub fn parse_symbol_name(&mut self) -> DiagResult<String> {
        self.expect("@")?;
        if self.peek() == Some('"') {
            self.parse_string()
        } else {
            let s = self.ident_chars(&['-']);
            if s.is_empty() {
                return Err(self.error("expected symbol name"));
            }
            Ok(s)
        }
    }

    fn parse_integer_literal(&mut self) -> DiagResult<i64> {
        self.skip_ws();
        let neg = self.eat("-");
        let digits = if self.rest().starts_with("0x") {
            self.bump();
            self.bump();
            let h = self.ident_chars(&[]);
            return i64::from_str_radix(&h, 16)
                .or_else(|_| u64::from_str_radix(&h, 16).map(|v| v as i64))
                .map(|v| if neg { -v } else { v })
                .map_err(|_| self.error("invalid hexadecimal integer"));
        } else {
            let mut d = String::new();
            while let Some(c) = self.peek().filter(char::is_ascii_digit) {
                d.push(c);
                self.bump();
            }
            d
        };
        if digits.is_empty() {
            return Err(self.error("expected integer"));
        }
        let v: i128 = digits.parse().map_err(|_| self.error("integer literal out of range"))?;
        let v = if neg { -v } else { v };
        i64::try_from(v).map_err(|_| self.error("integer literal out of range"))
    }

    /// A non-negative integer (e.g. a count).
    pub fn parse_int(&mut self) -> DiagResult<i64> {
        self.parse_integer_literal()
    }

    // ----- types -----

    /// Parses any type.
    pub fn parse_type(&mut self) -> DiagResult<Type> {
        self.skip_ws();
        let loc_err = |p: &mut Self, m: String| p.error(m);
        match self.peek() {
            Some('(') => return self.parse_function_type(),
            Some('!') => return self.parse_dialect_type(),
            _ => {}
        }
        let save = (self.pos, self.line, self.col);
        let word = self.ident_chars(&[]);
        let t = match word.as_str() {
            "index" => Type::Index,
            "none" => Type::None,
            "f16" => Type::Float(FloatKind::F16),
            "bf16" => Type::Float(FloatKind::BF16),
            "f32" => Type::F32,
            "f64" => Type::F64,
            "tensor" => return self.parse_tensor_rest(),
            w => {
                let (sign, digits) = if let Some(d) = w.strip_prefix("si") {
                    (Signedness::Signed, d)
                } else if let Some(d) = w.strip_prefix("ui") {
                    (Signedness::Unsigned, d)
                } else if let Some(d) = w.strip_prefix('i') {
                    (Signedness::Signless, d)
                } else {
                    ("", "").1;
                    (self.pos, self.line, self.col) = save;
                    return Err(loc_err(self, format!("expected type, found '{w}'")));
                };
                match digits.parse::<u32>() {
                    Ok(width) if (1..=65536).contains(&width) => Type::Integer { width, signedness: sign },
                    _ => {
                        (self.pos, self.line, self.col) = save;
                        return Err(loc_err(self, format!("expected type, found '{w}'")));
                    }
                }
            }
        };
        Ok(t)
    }

    fn parse_tensor_rest(&mut self) -> DiagResult<Type> {
        self.expect("<")?;
        let mut shape = vec![];
        loop {
            self.skip_ws();
            match self.peek() {
                Some(c) if c.is_ascii_digit() => {
                    let d = self.parse_integer_literal()?;
                    shape.push(d);
                    if self.peek() != Some('x') {
                        return Err(self.error("expected 'x' in tensor dimension list"));
                    }
                    self.bump();
                }
                Some('?') | Some('*') => return Err(self.error("dynamic and unranked tensors are not supported")),
                _ => break,
            }
        }
        let element = self.parse_type()?;
        self.expect(">")?;
        Ok(Type::tensor(shape, element))
    }

    fn parse_function_type(&mut self) -> DiagResult<Type> {
        let inputs = self.parse_type_list_parens()?;
        self.expect("->")?;
        let results = if self.at("(") { self.parse_type_list_parens()? } else { vec![self.parse_type()?] };
        Ok(Type::function(inputs, results))
    }

    /// `(t0, t1)`.
    pub fn parse_type_list_parens(&mut self) -> DiagResult<Vec<Type>> {
        self.expect("(")?;
        let mut v = vec![];
        if !self.eat(")") {
            loop {
                v.push(self.parse_type()?);
                if self.eat(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        Ok(v)
    }

    fn parse_dialect_type(&mut self) -> DiagResult<Type> {
        let loc = self.loc();
        self.expect("!")?;
        let full = self.ident_chars(&[]);
        let Some((dialect, name)) = full.split_once('.') else {
            return Err(Diagnostic::error(loc, format!("expected '!dialect.type', found '!{full}'")));
        };
        let mut params = vec![];
        if self.eat("<") {
            loop {
                params.push(self.parse_attribute()?);
                if self.eat(">") {
                    break;
                }
                self.expect(",")?;
            }
        }
        let Some(def) = self.registry.type_def(dialect, name) else {
            return Err(Diagnostic::error(loc, format!("unknown type '!{full}'")));
        };
        if params.len() != def.params.len() {
            return Err(Diagnostic::error(
                loc,
                format!("'!{full}' takes {} parameters, found {}", def.params.len(), params.len()),
            ));
        }
        for (p, d) in params.iter().zip(def.params) {
            if !(d.constraint.check)(p) {
                return Err(Diagnostic::error(
                    loc,
                    format!("parameter '{}' of '!{full}' must be {}, found {p}", d.name, d.constraint.summary),
                ));
            }
        }
        if let Some(v) = def.verify {
            v(&params).map_err(|m| Diagnostic::error(loc.clone(), format!("invalid '!{full}': {m}")))?;
        }
        Ok(Type::dialect(dialect, name, params))
    }

    // ----- attributes -----

    /// Parses any attribute.
    pub fn parse_attribute(&mut self) -> DiagResult<Attribute> {
        self.skip_ws();
        match self.peek() {
            Some('"') => return Ok(Attribute::String(self.parse_string()?)),
            Some('@') => return Ok(Attribute::Symbol(self.parse_symbol_name()?)),
            Some('[') => {
                self.bump();
                let mut v = vec![];
                if !self.eat("]") {
                    loop {
                        v.push(self.parse_attribute()?);
                        if self.eat("]") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                return Ok(Attribute::Array(v));
            }
            Some('{') => return Ok(Attribute::Dict(self.parse_attr_dict()?)),
            Some(c) if c.is_ascii_digit() || c == '-' => return self.parse_number_attr(),
            _ => {}
        }
        if self.eat("true") {
            return Ok(Attribute::Bool(true));
        }
        if self.eat("false") {
            return Ok(Attribute::Bool(false));
        }
        if self.eat("unit") {
            return Ok(Attribute::Unit);
        }
        if self.at("dense_resource") {
            return Err(self.error("elided constant (dense_resource) cannot be parsed back; print without eliding"));
        }
        if self.eat("dense") {
            return self.parse_dense_rest();
        }
        if self.at("loc(") {
            return Err(self.error("expected attribute, found location"));
        }
        Ok(Attribute::Type(self.parse_type()?))
    }

    fn parse_number_attr(&mut self) -> DiagResult<Attribute> {
        let (value, is_float) = self.parse_number()?;
        let ty = if self.eat(":") { Some(self.parse_type()?) } else { None };
        match (is_float, ty) {
            (true, Some(t @ Type::Float(_))) => Ok(Attribute::Float(value.as_f64(), t)),
            (true, None) => Ok(Attribute::Float(value.as_f64(), Type::F64)),
            (true, Some(t)) => Err(self.error(format!("float literal with non-float type {t}"))),
            (false, Some(t @ (Type::Integer { .. } | Type::Index))) => Ok(Attribute::Int(value.as_i64(), t)),
            (false, Some(t @ Type::Float(_))) => {
                if let Number::Hex(bits) = value {
                    let v = if t == Type::F32 { f32::from_bits(bits as u32) as f64 } else { f64::from_bits(bits as u64) };
                    Ok(Attribute::Float(v, t))
                } else {
                    Ok(Attribute::Float(value.as_f64(), t))
                }
            }
            (false, Some(t)) => Err(self.error(format!("integer literal with non-integer type {t}"))),
            (false, None) => Ok(Attribute::i64(value.as_i64())),
        }
    }

    fn parse_number(&mut self) -> DiagResult<(Number, bool)> {
        self.skip_ws();
        let start = self.pos;
        let neg = self.peek() == Some('-');
        if neg {
            self.bump();
        }
        if self.rest().starts_with("0x") {
            self.bump();
            self.bump();
            let h = self.ident_chars(&[]);
            let bits = u64::from_str_radix(&h, 16).map_err(|_| self.error("invalid hexadecimal literal"))?;
            return Ok((Number::Hex(if neg { (bits as i64).wrapping_neg() as u64 } else { bits }), false));
        }
        let mut is_float = false;
        while let Some(c) = self.peek() {
            if c.is_ascii_digit() {
                self.bump();
            } else if c == '.' && !is_float {
                is_float = true;
                self.bump();
            } else if (c == 'e' || c == 'E') && is_float {
                self.bump();
                if matches!(self.peek(), Some('+' | '-')) {
                    self.bump();
                }
            } else {
                break;
            }
        }
        let text = &self.src[start..self.pos];
        if is_float {
            let v: f64 = text.parse().map_err(|_| self.error(format!("invalid float literal '{text}'")))?;
            Ok((Number::Float(v), true))
        } else {
            let v: i128 = text.parse().map_err(|_| self.error(format!("invalid integer literal '{text}'")))?;
            let v = i64::try_from(v).map_err(|_| self.error("integer literal out of range"))?;
            Ok((Number::Int(v), false))
        }
    }

    fn parse_dense_rest(&mut self) -> DiagResult<Attribute> {
        let loc = self.loc();
        self.expect("<")?;
        enum Body {
            Hex(Vec<u8>),
            Values(Vec<Number>),
        }
        let body = if self.at("\"") {
            let s = self.parse_string()?;
            let h = s.strip_prefix("0x").ok_or_else(|| Diagnostic::error(loc.clone(), "expected hex blob \"0x...\""))?;
            if h.len() % 2 != 0 || !h.chars().all(|c| c.is_ascii_hexdigit()) {
                return Err(Diagnostic::error(loc, "malformed hex blob in dense attribute"));
            }
            let bytes = (0..h.len()).step_by(2).map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0)).collect();
            Body::Hex(bytes)
        } else {
            let mut vals = vec![];
            self.parse_dense_values(&mut vals)?;
            Body::Values(vals)
        };
        self.expect(">")?;
        self.expect(":")?;
        let ty = self.parse_type()?;
        let Some(elem) = ty.element().cloned() else {
            return Err(Diagnostic::error(loc, format!("dense attribute needs a tensor type, found {ty}")));
        };
        let Some(kind) = ElementKind::of(&elem) else {
            return Err(Diagnostic::error(loc, format!("unsupported dense element type {elem}")));
        };
        let d = match body {
            Body::Hex(bytes) => DenseElements::from_bytes(ty, bytes).map_err(|m| Diagnostic::error(loc.clone(), m))?,
            Body::Values(vals) => {
                let n = ty.num_elements() as usize;
                if vals.len() != n && vals.len() != 1 {
                    return Err(Diagnostic::error(
                        loc,
                        format!("dense attribute has {} elements, type {ty} needs {n}", vals.len()),
                    ));
                }
                let mut data = Vec::with_capacity(vals.len() * kind.bytes());
                for v in &vals {
                    match kind {
                        ElementKind::F32 => data.extend((v.as_f64() as f32).to_le_bytes()),
                        ElementKind::F64 => data.extend(v.as_f64().to_le_bytes()),
                        ElementKind::Int(w) => {
                            let x = v.as_i64();
                            let bits = w as i64;
                            let fits = bits == 64 || (x >= -(1i64 << (bits - 1)) && x < (1i64 << bits));
                            if !fits {
                                return Err(Diagnostic::error(loc, format!("integer {x} does not fit in {elem}")));
                            }
                            data.extend(&x.to_le_bytes()[..(w / 8) as usize]);
                        }
                    }
                }
                DenseElements::from_bytes(ty, data).map_err(|m| Diagnostic::error(loc.clone(), m))?
            }
        };
        Ok(Attribute::Dense(d))
    }

    fn parse_dense_values(&mut self, out: &mut Vec<Number>) -> DiagResult<()> {
        if self.eat("[") {
            if self.eat("]") {
                return Ok(());
            }
            loop {
                self.parse_dense_values(out)?;
                if self.eat("]") {
                    return Ok(());
                }
                self.expect(",")?;
            }
        }
        if self.eat("true") {
            out.push(Number::Int(1));
        } else if self.eat("false") {
            out.push(Number::Int(0));
        } else {
            out.push(self.parse_number()?.0);
        }
        Ok(())
    }

    /// `{name = attr, flag}` (the braces included).
    pub fn parse_attr_dict(&mut self) -> DiagResult<Vec<(String, Attribute)>> {
        self.expect("{")?;
        let mut v: Vec<(String, Attribute)> = vec![];
        if self.eat("}") {
            return Ok(v);
        }
        loop {
            self.skip_ws();
            let key_loc = self.loc();
            let key = if self.peek() == Some('"') { self.parse_string()? } else { self.parse_bare_ident()? };
            let value = if self.eat("=") { self.parse_attribute()? } else { Attribute::Unit };
            if v.iter().any(|(k, _)| *k == key) {
                return Err(Diagnostic::error(key_loc, format!("duplicate key '{key}' in dictionary attribute")));
            }
            v.push((key, value));
            if self.eat("}") {
                break;
            }
            self.expect(",")?;
        }
        v.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(v)
    }

    // ----- values -----

    /// Reads `%name` or `%name#i` and returns the raw text after `%`.
    fn parse_value_ref(&mut self) -> DiagResult<String> {
        self.skip_ws();
        if self.peek() != Some('%') {
            return Err(self.error("expected SSA value"));
        }
        self.bump();
        let name = self.ident_chars(&['-', '#']);
        if name.is_empty() {
            return Err(self.error("expected SSA value name"));
        }
        Ok(name)
    }

    /// A use of a defined value.
    pub fn parse_value_use(&mut self) -> DiagResult<ValueId> {
        let loc = self.loc();
        let name = self.parse_value_ref()?;
        self.lookup_value(&name).ok_or_else(|| Diagnostic::error(loc, format!("use of undefined value '%{name}'")))
    }

    fn lookup_value(&self, name: &str) -> Option<ValueId> {
        for s in self.scopes.iter().rev() {
            if let Some(v) = s.get(name) {
                return Some(*v);
            }
        }
        None
    }

    /// A comma-separated list of value uses (possibly empty) up to `close`.
    pub fn parse_value_uses_until(&mut self, close: &str) -> DiagResult<Vec<ValueId>> {
        let mut v = vec![];
        if self.eat(close) {
            return Ok(v);
        }
        loop {
            v.push(self.parse_value_use()?);
            if self.eat(close) {
                return Ok(v);
            }
            self.expect(",")?;
        }
    }

    /// Defines `%name` as `v` in the current scope.
    pub fn define_value(&mut self, name: &str, v: ValueId, loc: Location) -> DiagResult<()> {
        let scope = self.scopes.last_mut().expect("a scope");
        if scope.insert(name.to_string(), v).is_some() {
            return Err(Diagnostic::error(loc, format!("redefinition of SSA value '%{name}'")));
        }
        if !name.chars().next().is_some_and(|c| c.is_ascii_digit()) && !name.contains('#') {
            self.module.set_name_hint(v, Some(name.to_string()));
        }
        Ok(())
    }

    /// Reads a value definition name such as `%arg0` (without defining it).
    pub fn parse_value_def_name(&mut self) -> DiagResult<String> {
        self.parse_value_ref()
    }

    // ----- operations and regions -----

    fn parse_top(&mut self) -> DiagResult<()> {
        self.skip_ws();
        let body = self.module.body();
        while !self.at_end() {
            let op = self.parse_op()?;
            self.module.insert(op, InsertPoint::End(body));
            self.skip_ws();
        }
        // A single top-level `module { ... }` is the module itself, not a module inside one.
        if let [only] = self.module.block_ops(body) {
            let only = *only;
            if self.module.is(only, crate::builtin::ModuleOp::def()) {
                self.module.detach(only);
                self.module.set_top(only);
            }
        }
        Ok(())
    }

    /// Parses one operation (with its results' names defined) and returns it detached.
    pub fn parse_op(&mut self) -> DiagResult<OpId> {
        self.skip_ws();
        let mut result_names: Vec<(String, usize, Location)> = vec![];
        if self.at("%") {
            loop {
                let loc = self.loc();
                let name = self.parse_value_ref()?;
                let count = if self.eat(":") { self.parse_integer_literal()? as usize } else { 1 };
                result_names.push((name, count, loc));
                if self.eat("=") {
                    break;
                }
                self.expect(",")?;
            }
        }
        let op_loc = self.loc();
        let names: Vec<String> = result_names.iter().map(|(n, _, _)| n.clone()).collect();
        let op = if self.at("\"") {
            self.parse_generic_op(op_loc.clone())?
        } else {
            let name = self.parse_bare_ident().map_err(|_| Diagnostic::error(op_loc.clone(), "expected operation name"))?;
            let full = match name.as_str() {
                "module" => "builtin.module".to_string(),
                "return" => "func.return".to_string(),
                "call" => "func.call".to_string(),
                _ => name.clone(),
            };
            let Some(def) = self.registry.op(&full) else {
                return Err(Diagnostic::error(op_loc, format!("unknown operation '{name}'")));
            };
            let Some(asm) = def.asm else {
                return Err(Diagnostic::error(
                    op_loc,
                    format!("'{full}' has no custom form; use the generic form \"{full}\"(...)"),
                ));
            };
            let op = (asm.parse)(self, names)?;
            self.module.op_mut(op).loc = op_loc.clone();
            op
        };
        // Results.
        let results = self.module.op(op).results.clone();
        let declared: usize = result_names.iter().map(|(_, c, _)| c).sum();
        if declared != results.len() {
            return Err(Diagnostic::error(
                op_loc,
                format!("operation defines {} results but {declared} were named", results.len()),
            ));
        }
        let mut i = 0;
        for (name, count, loc) in result_names {
            if count == 1 {
                self.define_value(&name, results[i], loc)?;
            } else {
                for k in 0..count {
                    self.define_value(&format!("{name}#{k}"), results[i + k], loc.clone())?;
                }
            }
            i += count;
        }
        if self.at("loc(") {
            let loc = self.parse_location()?;
            self.module.op_mut(op).loc = loc;
        }
        Ok(op)
    }

    fn parse_generic_op(&mut self, loc: Location) -> DiagResult<OpId> {
        let name = self.parse_string()?;
        let Some(def) = self.registry.op(&name) else {
            return Err(Diagnostic::error(loc, format!("unknown operation '{name}'")));
        };
        self.expect("(")?;
        let operands = self.parse_value_uses_until(")")?;
        if self.at("[") {
            return Err(self.error("block successors are not supported"));
        }
        let mut attrs = vec![];
        if self.eat("<{") {
            // Properties: same content as an attribute dictionary.
            self.pos -= 1;
            self.col -= 1;
            attrs.extend(self.parse_attr_dict()?);
            self.expect(">")?;
        }
        let mut regions = vec![];
        if self.eat("(") {
            loop {
                let r = self.module.new_region();
                let isolated = def.has_trait(Trait::IsolatedFromAbove);
                self.parse_region(r, vec![], isolated)?;
                regions.push(r);
                if self.eat(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        if self.at("{") {
            attrs.extend(self.parse_attr_dict()?);
        }
        self.expect(":")?;
        let sig_loc = self.loc();
        let sig = self.parse_type()?;
        let Some(ft) = sig.as_function() else {
            return Err(Diagnostic::error(sig_loc, "expected function type for the operation signature"));
        };
        if ft.inputs.len() != operands.len() {
            return Err(Diagnostic::error(
                sig_loc,
                format!("signature has {} operand types but the operation has {} operands", ft.inputs.len(), operands.len()),
            ));
        }
        for (i, (&v, t)) in operands.iter().zip(&ft.inputs).enumerate() {
            if self.module.ty(v) != t {
                return Err(Diagnostic::error(
                    sig_loc,
                    format!("operand #{i} has type {} but the signature says {t}", self.module.ty(v)),
                ));
            }
        }
        let spec = OpSpec::new(def, loc).operands(operands).results(ft.results.clone());
        let mut spec = spec;
        spec.attrs = attrs;
        let op = self.module.create(spec);
        for r in regions {
            self.module.adopt_region(op, r);
        }
        Ok(op)
    }

    /// Parses `{ ... }` into `region`. `entry_args` are arguments already named by a custom form.
    pub fn parse_region(&mut self, region: RegionId, entry_args: Vec<(String, Type, Location)>, isolated: bool) -> DiagResult<()> {
        self.expect("{")?;
        let saved = if isolated { Some(std::mem::replace(&mut self.scopes, vec![HashMap::new()])) } else { None };
        if saved.is_none() {
            self.scopes.push(HashMap::new());
        }
        let result = self.parse_region_body(region, entry_args);
        match saved {
            Some(s) => self.scopes = s,
            None => {
                self.scopes.pop();
            }
        }
        result
    }

    fn parse_region_body(&mut self, region: RegionId, entry_args: Vec<(String, Type, Location)>) -> DiagResult<()> {
        let has_custom_args = !entry_args.is_empty();
        let types: Vec<Type> = entry_args.iter().map(|(_, t, _)| t.clone()).collect();
        let mut block = None;
        if has_custom_args || !self.at("^") {
            if self.at("}") && !has_custom_args {
                self.expect("}")?;
                return Ok(());
            }
            let b = self.module.add_block(region, &types);
            let args = self.module.block(b).args.clone();
            for ((name, _, loc), v) in entry_args.into_iter().zip(args) {
                self.define_value(&name, v, loc)?;
            }
            block = Some(b);
        }
        loop {
            if self.eat("}") {
                return Ok(());
            }
            if self.at_end() {
                return Err(self.error("expected '}' to close the region"));
            }
            if self.at("^") {
                self.expect("^")?;
                self.ident_chars(&[]);
                let mut arg_types = vec![];
                let mut names = vec![];
                if self.eat("(") && !self.eat(")") {
                    loop {
                        let loc = self.loc();
                        let n = self.parse_value_ref()?;
                        self.expect(":")?;
                        arg_types.push(self.parse_type()?);
                        names.push((n, loc));
                        if self.eat(")") {
                            break;
                        }
                        self.expect(",")?;
                    }
                }
                self.expect(":")?;
                let b = self.module.add_block(region, &arg_types);
                let args = self.module.block(b).args.clone();
                for ((n, loc), v) in names.into_iter().zip(args) {
                    self.define_value(&n, v, loc)?;
                }
                block = Some(b);
                continue;
            }
            let b = match block {
                Some(b) => b,
                None => return Err(self.error("expected block label")),
            };
            let op = self.parse_op()?;
            self.module.insert(op, InsertPoint::End(b));
        }
    }

    /// `loc(...)`: unknown, `"file":line:col`, `"name"`, `"name"(inner)`, or `fused[inner, ...]`.
    pub fn parse_location(&mut self) -> DiagResult<Location> {
        self.expect("loc")?;
        self.expect("(")?;
        let loc = self.parse_location_inner()?;
        self.expect(")")?;
        Ok(loc)
    }

    fn parse_location_inner(&mut self) -> DiagResult<Location> {
        if self.eat("unknown") {
            return Ok(Location::Unknown);
        }
        if self.eat("fused") {
            self.expect("[")?;
            let mut parts = vec![self.parse_location_inner()?];
            while self.eat(",") {
                parts.push(self.parse_location_inner()?);
            }
            self.expect("]")?;
            return Ok(Location::Fused(parts));
        }
        let s = self.parse_string()?;
        if self.eat(":") {
            let line = self.parse_integer_literal()? as u32;
            self.expect(":")?;
            let col = self.parse_integer_literal()? as u32;
            return Ok(Location::file(&s, line, col));
        }
        let child = if self.eat("(") {
            let c = self.parse_location_inner()?;
            self.expect(")")?;
            Some(Box::new(c))
        } else {
            None
        };
        Ok(Location::Name { name: s.into(), child })
    }

    /// The registry in use.
    pub fn registry(&self) -> &'a Registry {
        self.registry
    }
}

#[derive(Clone, Copy, Debug)]
enum Number {
    Int(i64),
    Float(f64),
    Hex(u64),
}

impl Number {
    fn as_f64(self) -> f64 {
        match self {
            Number::Int(v) => v as f64,
            Number::Float(v) => v,
            Number::Hex(b) => b as i64 as f64,
        }
    }

    fn as_i64(self) -> i64 {
        match self {
            Number::Int(v) => v,
            Number::Float(v) => v as i64,
            Number::Hex(b) => b as i64,
        }
    }
}
