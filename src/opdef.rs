//! Operation, type and dialect definitions: the single declaration every other view derives from.
//!
//! An [`OpDef`] names its operands, results, attributes and regions with constraints. From it come the
//! typed accessors (the [`op!`](crate::op) macro), the generic verifier, the printed form, the
//! reference docs and the IRDL export. An e-graph language can be derived the same way: an op's
//! children are its named operands, and its attributes are named payload, never positional children.

use std::collections::HashMap;

use crate::attrs::Attribute;
use crate::ir::{Module, OpId};
use crate::types::Type;

/// A constraint in IRDL terms, for the export to real MLIR.
#[derive(Clone, Copy, Debug)]
pub enum Irdl {
    /// `irdl.any`
    Any,
    /// `irdl.base "<name>"` with a builtin or dialect base name such as `!builtin.tensor`.
    Base(&'static str),
    /// `irdl.any_of` over base names.
    AnyOf(&'static [&'static str]),
}

/// A constraint on a value's type.
#[derive(Debug)]
pub struct TypeConstraint {
    /// Shown in docs and diagnostics, e.g. "tensor of floats".
    pub summary: &'static str,
    pub check: fn(&Type) -> bool,
    pub irdl: Irdl,
}

/// A constraint on an attribute.
#[derive(Debug)]
pub struct AttrConstraint {
    pub summary: &'static str,
    pub check: fn(&Attribute) -> bool,
    pub irdl: Irdl,
}

/// A named operand or result.
#[derive(Debug)]
pub struct ArgDef {
    pub name: &'static str,
    pub constraint: &'static TypeConstraint,
    /// A variadic group takes zero or more values; at most one per op, and last.
    pub variadic: bool,
}

/// A named attribute.
#[derive(Debug)]
pub struct AttrDef {
    pub name: &'static str,
    pub constraint: &'static AttrConstraint,
    pub optional: bool,
}

/// Structural properties the verifier and printer rely on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Trait {
    /// No side effects: unused results make the op dead.
    Pure,
    /// Ends a block.
    Terminator,
    /// Regions hold one block that needs no terminator.
    NoTerminator,
    /// Regions see no values defined outside the op.
    IsolatedFromAbove,
    /// Defines a symbol through its `sym_name` attribute.
    Symbol,
}

/// Custom assembly: how an op prints and parses besides the generic form.
#[derive(Debug)]
pub struct CustomAsm {
    pub print: fn(&mut crate::printer::Printer<'_>, OpId) -> std::fmt::Result,
    pub parse: fn(&mut crate::parser::Parser<'_>, Vec<String>) -> crate::diag::DiagResult<OpId>,
}

/// The definition of an operation.
#[derive(Debug)]
pub struct OpDef {
    /// Full name, `dialect.op`.
    pub name: &'static str,
    /// One line, lowercase, no final period.
    pub summary: &'static str,
    /// Markdown with an `mlir` example.
    pub description: &'static str,
    pub operands: &'static [ArgDef],
    pub results: &'static [ArgDef],
    pub attrs: &'static [AttrDef],
    /// Region names.
    pub regions: &'static [&'static str],
    pub traits: &'static [Trait],
    /// Semantic checks beyond the declared constraints.
    pub verify: Option<fn(&Module, OpId) -> Result<(), String>>,
    pub asm: Option<&'static CustomAsm>,
}

impl OpDef {
    /// The dialect prefix of the name.
    pub fn dialect(&self) -> &'static str {
        self.name.split_once('.').map_or(self.name, |(d, _)| d)
    }

    /// The name without its dialect prefix.
    pub fn mnemonic(&self) -> &'static str {
        self.name.split_once('.').map_or(self.name, |(_, m)| m)
    }

    pub fn has_trait(&self, t: Trait) -> bool {
        self.traits.contains(&t)
    }

    /// Position of a named operand.
    pub fn operand_index(&self, name: &str) -> usize {
        self.operands.iter().position(|a| a.name == name).unwrap_or(usize::MAX)
    }

    /// Position of a named result.
    pub fn result_index(&self, name: &str) -> usize {
        self.results.iter().position(|a| a.name == name).unwrap_or(usize::MAX)
    }

    /// The declaration of an attribute.
    pub fn attr_def(&self, name: &str) -> Option<&'static AttrDef> {
        self.attrs.iter().find(|a| a.name == name)
    }
}

/// A parameter of a dialect type.
#[derive(Debug)]
pub struct ParamDef {
    pub name: &'static str,
    pub constraint: &'static AttrConstraint,
}

/// The definition of a parametric dialect type.
#[derive(Debug)]
pub struct TypeDef {
    pub dialect: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub params: &'static [ParamDef],
    /// Semantic checks on the parameters beyond their constraints.
    pub verify: Option<fn(&[Attribute]) -> Result<(), String>>,
}

/// A dialect: a namespace of ops and types.
#[derive(Debug)]
pub struct Dialect {
    pub name: &'static str,
    pub summary: &'static str,
    /// Markdown: what the dialect is for and its rules.
    pub description: &'static str,
    /// The dialect's ops (a function because op definitions live in function-local statics).
    pub ops: fn() -> Vec<&'static OpDef>,
    pub types: &'static [&'static TypeDef],
}

/// The dialects known to a tool.
#[derive(Default, Debug, Clone)]
pub struct Registry {
    dialects: Vec<&'static Dialect>,
    ops: HashMap<&'static str, &'static OpDef>,
    types: HashMap<(&'static str, &'static str), &'static TypeDef>,
}

impl Registry {
    /// A registry with the builtin, func, scf and arith subsets the core knows.
    pub fn new() -> Registry {
        let mut r = Registry::default();
        r.register(&crate::builtin::UPSTREAM);
        r
    }

    /// Adds a dialect.
    pub fn register(&mut self, d: &'static Dialect) {
        if self.dialects.iter().any(|x| x.name == d.name) {
            return;
        }
        self.dialects.push(d);
        for op in (d.ops)() {
            self.ops.insert(op.name, op);
        }
        for t in d.types {
            self.types.insert((t.dialect, t.name), t);
        }
    }

    pub fn op(&self, name: &str) -> Option<&'static OpDef> {
        self.ops.get(name).copied()
    }

    pub fn type_def(&self, dialect: &str, name: &str) -> Option<&'static TypeDef> {
        self.types.iter().find(|((d, n), _)| *d == dialect && *n == name).map(|(_, t)| *t)
    }

    pub fn dialect(&self, name: &str) -> Option<&'static Dialect> {
        self.dialects.iter().copied().find(|d| d.name == name)
    }

    pub fn dialects(&self) -> &[&'static Dialect] {
        &self.dialects
    }
}

/// Reads a typed value out of an attribute (used by generated accessors).
pub trait FromAttr<'a>: Sized {
    fn from_attr(a: &'a Attribute) -> Option<Self>;
}

impl<'a> FromAttr<'a> for f64 {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_float()
    }
}
impl<'a> FromAttr<'a> for i64 {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_int()
    }
}
impl<'a> FromAttr<'a> for bool {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_bool()
    }
}
impl<'a> FromAttr<'a> for &'a str {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_str().or_else(|| a.as_symbol())
    }
}
impl<'a> FromAttr<'a> for &'a Type {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_type()
    }
}
impl<'a> FromAttr<'a> for &'a crate::attrs::DenseElements {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_dense()
    }
}
impl<'a> FromAttr<'a> for Vec<i64> {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_i64_array()
    }
}
impl<'a> FromAttr<'a> for Vec<f64> {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        a.as_f64_array()
    }
}
impl<'a> FromAttr<'a> for &'a Attribute {
    fn from_attr(a: &'a Attribute) -> Option<Self> {
        Some(a)
    }
}

impl From<f64> for Attribute {
    fn from(v: f64) -> Self {
        Attribute::f64(v)
    }
}
impl From<i64> for Attribute {
    fn from(v: i64) -> Self {
        Attribute::i64(v)
    }
}
impl From<bool> for Attribute {
    fn from(v: bool) -> Self {
        Attribute::Bool(v)
    }
}
impl From<&str> for Attribute {
    fn from(v: &str) -> Self {
        Attribute::String(v.into())
    }
}
impl From<String> for Attribute {
    fn from(v: String) -> Self {
        Attribute::String(v)
    }
}
impl From<Type> for Attribute {
    fn from(v: Type) -> Self {
        Attribute::Type(v)
    }
}
impl From<crate::attrs::DenseElements> for Attribute {
    fn from(v: crate::attrs::DenseElements) -> Self {
        Attribute::Dense(v)
    }
}
impl From<Vec<i64>> for Attribute {
    fn from(v: Vec<i64>) -> Self {
        Attribute::i64_array(&v)
    }
}

/// Declares an operation once: its [`OpDef`], a typed handle with named accessors, and a builder.
///
/// ```ignore
/// op! {
///     /// Rectified linear unit.
///     pub struct Relu = "nn.relu" {
///         summary: "rectified linear unit, max(x, 0)",
///         description: "...",
///         operands: [input: FLOAT_TENSOR],
///         results: [output: FLOAT_TENSOR],
///         attributes: [],
///         optional_attributes: [],
///         regions: [],
///         traits: [Pure],
///         verify: None,
///     }
/// }
/// ```
#[macro_export]
macro_rules! op {
    (
        $(#[$meta:meta])*
        $vis:vis struct $Name:ident = $opname:literal {
            summary: $summary:expr,
            description: $desc:expr,
            operands: [$($oname:ident : $ocons:expr),* $(,)?],
            $(variadic_operands: $vname:ident : $vcons:expr,)?
            results: [$($rname:ident : $rcons:expr),* $(,)?],
            $(variadic_results: $vrname:ident : $vrcons:expr,)?
            attributes: [$($aname:ident : $acons:expr => $aty:ty),* $(,)?],
            optional_attributes: [$($oaname:ident : $oacons:expr => $oaty:ty),* $(,)?],
            regions: [$($regname:ident),* $(,)?],
            traits: [$($trait:ident),* $(,)?],
            verify: $verify:expr,
            $(asm: $asm:expr,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        $vis struct $Name(pub $crate::ir::OpId);

        #[allow(dead_code)]
        impl $Name {
            /// The operation's definition.
            pub fn def() -> &'static $crate::opdef::OpDef {
                static DEF: $crate::opdef::OpDef = $crate::opdef::OpDef {
                    name: $opname,
                    summary: $summary,
                    description: $desc,
                    operands: &[
                        $($crate::opdef::ArgDef { name: stringify!($oname), constraint: &$ocons, variadic: false },)*
                        $($crate::opdef::ArgDef { name: stringify!($vname), constraint: &$vcons, variadic: true },)?
                    ],
                    results: &[
                        $($crate::opdef::ArgDef { name: stringify!($rname), constraint: &$rcons, variadic: false },)*
                        $($crate::opdef::ArgDef { name: stringify!($vrname), constraint: &$vrcons, variadic: true },)?
                    ],
                    attrs: &[
                        $($crate::opdef::AttrDef { name: stringify!($aname), constraint: &$acons, optional: false },)*
                        $($crate::opdef::AttrDef { name: stringify!($oaname), constraint: &$oacons, optional: true },)*
                    ],
                    regions: &[$(stringify!($regname)),*],
                    traits: &[$($crate::opdef::Trait::$trait),*],
                    verify: $verify,
                    asm: $crate::op!(@asm $($asm)?),
                };
                &DEF
            }

            /// The handle of `op` if it is this kind of operation.
            pub fn of(m: &$crate::ir::Module, op: $crate::ir::OpId) -> Option<Self> {
                m.is(op, Self::def()).then_some(Self(op))
            }

            /// The handle of the operation defining `v` if it is this kind.
            pub fn defining(m: &$crate::ir::Module, v: $crate::ir::ValueId) -> Option<Self> {
                m.def_op(v).and_then(|o| Self::of(m, o))
            }

            /// A spec for building this operation.
            pub fn spec(loc: $crate::diag::Location) -> $crate::ir::OpSpec {
                $crate::ir::OpSpec::new(Self::def(), loc).regions(Self::def().regions.len())
            }

            /// Builds the operation at `at`.
            #[allow(clippy::too_many_arguments)]
            pub fn build(
                m: &mut $crate::ir::Module,
                at: $crate::ir::InsertPoint,
                loc: $crate::diag::Location,
                $($oname: $crate::ir::ValueId,)*
                $($vname: Vec<$crate::ir::ValueId>,)?
                $($rname: $crate::types::Type,)*
                $($vrname: Vec<$crate::types::Type>,)?
                $($aname: impl Into<$crate::attrs::Attribute>,)*
            ) -> Self {
                #[allow(unused_mut)]
                let mut spec = Self::spec(loc)
                    .operands([$($oname),*])
                    $(.operands($vname))?
                    .results([$($rname),*])
                    $(.results($vrname))?;
                $(spec = spec.attr(stringify!($aname), $aname.into());)*
                Self(m.build(at, spec))
            }

            $(
                #[doc = concat!("Operand `", stringify!($oname), "`.")]
                pub fn $oname(self, m: &$crate::ir::Module) -> $crate::ir::ValueId {
                    m.operand(self.0, Self::def().operand_index(stringify!($oname)))
                }
            )*
            $(
                #[doc = concat!("The variadic operands `", stringify!($vname), "`.")]
                pub fn $vname(self, m: &$crate::ir::Module) -> &[$crate::ir::ValueId] {
                    let fixed = Self::def().operands.len() - 1;
                    &m.op(self.0).operands[fixed..]
                }
            )?
            $(
                #[doc = concat!("Result `", stringify!($rname), "`.")]
                pub fn $rname(self, m: &$crate::ir::Module) -> $crate::ir::ValueId {
                    m.result(self.0, Self::def().result_index(stringify!($rname)))
                }
            )*
            $(
                #[doc = concat!("Attribute `", stringify!($aname), "` (verified to be present).")]
                pub fn $aname<'a>(self, m: &'a $crate::ir::Module) -> $aty {
                    m.attr(self.0, stringify!($aname))
                        .and_then(<$aty as $crate::opdef::FromAttr>::from_attr)
                        .unwrap_or_else(|| panic!("{} without verified attribute {}", $opname, stringify!($aname)))
                }
            )*
            $(
                #[doc = concat!("Optional attribute `", stringify!($oaname), "`.")]
                pub fn $oaname<'a>(self, m: &'a $crate::ir::Module) -> Option<$oaty> {
                    m.attr(self.0, stringify!($oaname)).and_then(<$oaty as $crate::opdef::FromAttr>::from_attr)
                }
            )*
        }
    };
    (@asm) => { None };
    (@asm $asm:expr) => { Some(&$asm) };
}
