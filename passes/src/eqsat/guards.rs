//! The named Rust functions rule files call: guards (`if const(?w)`) and constant functions
//! (`(@bn-scale ?g ?v ?e)`). Each states exactly what it checks or computes.

use std::ops::RangeInclusive;
use std::sync::Arc;

use egg::Id;
use fpgaopt_ir::{Attribute, Type};
use fpgaopt_nn::eval::{batch_norm_affine, Tensor};

use super::lang::NnGraph;

/// A guard: a condition on the e-classes and attributes bound to its arguments.
#[derive(Debug)]
pub struct Guard {
    pub name: &'static str,
    pub arity: RangeInclusive<usize>,
    pub check: fn(&NnGraph, &[GuardArg]) -> bool,
    pub summary: &'static str,
}

/// A guard argument: a bound e-class, or a bound attribute (`None` when absent).
#[derive(Clone, Debug)]
pub enum GuardArg {
    Class(Id),
    Attr(Option<Attribute>),
}

impl GuardArg {
    /// The e-class, if the argument is one.
    pub fn class(&self) -> Option<Id> {
        match self {
            GuardArg::Class(c) => Some(*c),
            GuardArg::Attr(_) => None,
        }
    }

    /// The attribute, if the argument is a present one.
    pub fn attr(&self) -> Option<&Attribute> {
        match self {
            GuardArg::Attr(a) => a.as_ref(),
            GuardArg::Class(_) => None,
        }
    }
}

/// A function computing an attribute of a right-hand side op (`pads=(@add-pads ?a ?b)`).
#[derive(Debug)]
pub struct AttrFunction {
    pub name: &'static str,
    pub arity: usize,
    pub eval: fn(&[ArgVal]) -> Option<Attribute>,
    pub summary: &'static str,
}

/// An argument of a constant function: an e-class's type and value, or an attribute.
#[derive(Clone, Debug, Default)]
pub struct ArgVal {
    pub ty: Option<Type>,
    pub value: Option<Arc<Tensor>>,
    pub attr: Option<Attribute>,
}

/// A function of constants; `None` when it cannot compute, and then the rule does not apply.
#[derive(Debug)]
pub struct Function {
    pub name: &'static str,
    pub arity: usize,
    pub eval: fn(&[ArgVal]) -> Option<Tensor>,
    pub summary: &'static str,
}

fn value(g: &NnGraph, id: Id) -> Option<&Tensor> {
    g[id].data.value.as_deref()
}

fn all_const(g: &NnGraph, args: &[GuardArg], f: impl Fn(f32) -> bool) -> bool {
    args.iter().all(|a| a.class().and_then(|i| value(g, i)).is_some_and(|t| t.data.iter().all(|&v| f(v))))
}

/// The data of the class argument `a`.
fn data<'a>(g: &'a NnGraph, a: &GuardArg) -> Option<&'a super::lang::Data> {
    a.class().map(|i| &g[i].data)
}

/// True when `v` is a power of two in magnitude (scaling by it is exact barring over/underflow).
fn pow2(v: f32) -> bool {
    v != 0.0 && v.is_finite() && v.abs().to_bits() & 0x007f_ffff == 0 && v.abs() >= f32::MIN_POSITIVE
}

/// Every guard, by name.
pub static GUARDS: &[Guard] = &[
    Guard { name: "const", arity: 1..=8, check: |g, a| all_const(g, a, |_| true), summary: "every argument is a constant" },
    Guard {
        name: "positive",
        arity: 1..=1,
        check: |g, a| all_const(g, a, |v| v > 0.0 && v.is_finite()),
        summary: "a constant whose elements are all positive and finite",
    },
    Guard {
        name: "nonneg",
        arity: 1..=1,
        check: |g, a| data(g, &a[0]).and_then(|d| d.range).is_some_and(|(lo, _)| lo >= 0.0),
        summary: "the value range of the argument is >= 0",
    },
    Guard {
        name: "ones",
        arity: 1..=1,
        check: |g, a| all_const(g, a, |v| v == 1.0),
        summary: "a constant of ones",
    },
    Guard {
        name: "zeros",
        arity: 1..=1,
        check: |g, a| all_const(g, a, |v| v == 0.0),
        summary: "a constant of zeros",
    },
    Guard {
        name: "rank2",
        arity: 1..=1,
        check: |g, a| data(g, &a[0]).is_some_and(|d| d.shape().len() == 2),
        summary: "the argument is a 2-D tensor",
    },
    Guard {
        name: "real",
        arity: 0..=0,
        check: |g, _| !g.analysis.quantized,
        summary: "the function holds no quantizer: rules exact in real arithmetic (not in float32) may fire",
    },
    Guard {
        name: "exact-scale",
        arity: 1..=2,
        check: |g, a| !g.analysis.quantized || a.iter().any(|i| all_const(g, std::slice::from_ref(i), pow2)),
        summary: "real, or one argument is a constant of powers of two (scaling by it is exact in float32)",
    },
];

/// The guard named `name`.
pub fn guard(name: &str) -> Option<&'static Guard> {
    GUARDS.iter().find(|g| g.name == name)
}

/// `c` (varying along its last axis only, length 1 or n) as `n` values.
fn along_last(c: &Tensor, n: i64) -> Option<Vec<f32>> {
    let (last, rest) = c.shape.split_last().unwrap_or((&1, &[]));
    if rest.iter().any(|&d| d != 1) || (*last != 1 && *last != n) {
        return None;
    }
    Some(if *last == 1 { vec![c.data[0]; n as usize] } else { c.data.clone() })
}

fn tensor(a: &ArgVal) -> Option<&Tensor> {
    a.value.as_deref()
}

fn float(a: &ArgVal) -> Option<f32> {
    a.attr.as_ref().and_then(Attribute::as_float).map(|v| v as f32)
}

fn bn(a: &[ArgVal]) -> Option<(Vec<f32>, Vec<f32>)> {
    let (g, b, m, v) = (tensor(&a[0])?, tensor(&a[1])?, tensor(&a[2])?, tensor(&a[3])?);
    Some(batch_norm_affine(g, b, m, v, float(&a[4])?))
}

/// Every constant function, by name.
pub static FUNCTIONS: &[Function] = &[
    Function {
        name: "bn-scale",
        arity: 5,
        eval: |a| bn(a).map(|(s, _)| Tensor { shape: vec![s.len() as i64], data: s }),
        summary: "(@bn-scale scale bias mean var epsilon): s = scale * (1 / sqrt(var + epsilon)), shape [C]",
    },
    Function {
        name: "bn-shift",
        arity: 5,
        eval: |a| bn(a).map(|(_, t)| Tensor { shape: vec![t.len() as i64], data: t }),
        summary: "(@bn-shift scale bias mean var epsilon): t = bias - mean * s, shape [C]",
    },
    Function {
        name: "vector",
        arity: 2,
        eval: |a| {
            let n = *a[1].ty.as_ref()?.shape()?.last()?;
            Some(Tensor { shape: vec![n], data: along_last(tensor(&a[0])?, n)? })
        },
        summary: "(@vector c like): c, varying along its last axis only, as a vector [N] (N = like's last dimension)",
    },
    Function {
        name: "column",
        arity: 2,
        eval: |a| {
            let n = *a[1].ty.as_ref()?.shape()?.first()?;
            Some(Tensor { shape: vec![n, 1], data: along_last(tensor(&a[0])?, n)? })
        },
        summary: "(@column c like): c, varying along its last axis only, as a column [K, 1] (K = like's first dimension)",
    },
    Function {
        name: "neg",
        arity: 1,
        eval: |a| Some(tensor(&a[0])?.map(|v| -v)),
        summary: "(@neg c): -c",
    },
    Function {
        name: "recip",
        arity: 1,
        eval: |a| Some(tensor(&a[0])?.map(|v| 1.0 / v)),
        summary: "(@recip c): 1 / c in float32",
    },
];

/// The function named `name`.
pub fn function(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

/// Every attribute function, by name.
pub static ATTR_FUNCTIONS: &[AttrFunction] = &[];

/// The attribute function named `name`.
pub fn attr_function(name: &str) -> Option<&'static AttrFunction> {
    ATTR_FUNCTIONS.iter().find(|f| f.name == name)
}
