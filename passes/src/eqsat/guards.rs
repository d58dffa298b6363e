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

/// True when slices `[s1, s1 + n1)` and `[s2, s2 + n2)` of `m` along one axis (the concat's and
/// the slices' axis attributes name the same axis of m) are its first and second part, together all of it.
fn halves(g: &NnGraph, a: &[GuardArg]) -> Option<bool> {
    let shape = data(g, &a[0])?.shape();
    let int = |i: usize| a[i].attr().and_then(Attribute::as_int);
    let axis = |i: usize| fpgaopt_nn::layout::norm_axis(int(i)?, shape.len()).ok();
    let (ca, sa) = (axis(1)?, axis(2)?);
    let (s1, n1, s2, n2) = (int(3)?, int(4)?, int(5)?, int(6)?);
    Some(ca == sa && s1 == 0 && s2 == n1 && n1 + n2 == shape[sa])
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
        name: "same-type",
        arity: 2..=2,
        check: |g, a| matches!((data(g, &a[0]), data(g, &a[1])), (Some(x), Some(y)) if x.ty == y.ty),
        summary: "the two arguments have one type",
    },
    Guard {
        name: "identity-perm",
        arity: 1..=1,
        check: |_, a| ints(a[0].attr()).is_some_and(|p| p.iter().enumerate().all(|(i, &v)| v == i as i64)),
        summary: "a permutation attribute that keeps every axis in place",
    },
    Guard {
        name: "per-channel",
        arity: 2..=2,
        check: |g, a| match (data(g, &a[0]), data(g, &a[1])) {
            (Some(c), Some(x)) => c.value.is_some() && per_channel(c.shape(), x.shape()),
            _ => false,
        },
        summary: "(per-channel ?c ?x): a constant that, broadcast against x (rank >= 3), varies along axis 1 only",
    },
    Guard {
        name: "zero-ints",
        arity: 1..=1,
        check: |_, a| ints(a[0].attr()).is_some_and(|p| p.iter().all(|&v| v == 0)),
        summary: "an integer-array attribute of zeros (e.g. no padding)",
    },
    Guard {
        name: "original",
        arity: 1..=8,
        check: |g, a| a.iter().all(|i| data(g, i).is_some_and(|d| !d.origins.0.is_empty())),
        summary: "every argument's e-class holds an op of the input function (not only values the rules made)",
    },
    Guard {
        name: "halves",
        arity: 7..=7,
        check: |g, a| halves(g, a).unwrap_or(false),
        summary: "(halves ?m ?concat-axis ?slice-axis ?start1 ?size1 ?start2 ?size2): the two slices of m, concatenated, are m",
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

/// The `n` per-channel values of `c`: a splat, a constant varying along the channel axis of an
/// `[N, C, ...]` tensor only (`[C, 1, 1]`, `[1, C, 1, 1]`), or with `vector` a plain `[C]`.
fn channels(c: &Tensor, n: i64, vector: bool) -> Option<Vec<f32>> {
    let varying: Vec<i64> = c.shape.iter().copied().filter(|&d| d != 1).collect();
    let channel_axis = c.shape.len() >= 3 && c.shape[c.shape.len() - 3] == n;
    match varying[..] {
        [] => Some(vec![c.data[0]; n as usize]),
        [d] if d == n && (channel_axis || vector && c.shape.len() == 1) => Some(c.data.clone()),
        _ => None,
    }
}

/// An integer-array attribute.
fn ints(a: Option<&Attribute>) -> Option<Vec<i64>> {
    a.and_then(Attribute::as_i64_array)
}

/// True when `c` broadcast against `x` (rank >= 3) varies along axis 1 only.
fn per_channel(c: &[i64], x: &[i64]) -> bool {
    let lead = x.len().wrapping_sub(c.len());
    x.len() >= 3 && c.len() <= x.len() && c.iter().enumerate().all(|(i, &d)| d == 1 || i + lead == 1)
}

/// `c` (varying along its last axis only, length 1 or n) as `n` values.
fn along_last(c: &Tensor, n: i64) -> Option<Vec<f32>> {
    let (last, rest) = c.shape.split_last().unwrap_or((&1, &[]));
    if rest.iter().any(|&d| d != 1) || (*last != 1 && *last != n) {
        return None;
    }
    Some(if *last == 1 { vec![c.data[0]; n as usize] } else { c.data.clone() })
}

/// `t` with axes permuted: result axis i is `t`'s axis `perm[i]`.
fn permute(t: &Tensor, perm: &[usize]) -> Tensor {
    let shape: Vec<i64> = perm.iter().map(|&p| t.shape[p]).collect();
    let rank = shape.len();
    let mut src_strides = vec![1usize; rank];
    for i in (0..rank.saturating_sub(1)).rev() {
        src_strides[i] = src_strides[i + 1] * t.shape[i + 1] as usize;
    }
    let mut idx = vec![0i64; rank];
    let n = t.data.len();
    let mut data = Vec::with_capacity(n);
    for _ in 0..n {
        data.push(t.data[(0..rank).map(|i| idx[i] as usize * src_strides[perm[i]]).sum::<usize>()]);
        for d in (0..rank).rev() {
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    Tensor { shape, data }
}

/// The two constant arguments, both of rank `rank`, concatenated along their last axis.
fn concat_last(a: &[ArgVal], rank: usize) -> Option<Tensor> {
    let (x, y) = (tensor(&a[0])?, tensor(&a[1])?);
    (x.shape.len() == rank).then_some(())?;
    fpgaopt_nn::eval::concat(&[x.clone(), y.clone()], rank as i64 - 1).ok()
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
        name: "concat-cols",
        arity: 2,
        eval: |a| concat_last(a, 2),
        summary: "(@concat-cols a b): the [K, N1] and [K, N2] matrices side by side, [K, N1 + N2]",
    },
    Function {
        name: "concat",
        arity: 2,
        eval: |a| concat_last(a, 1),
        summary: "(@concat a b): two vectors one after the other",
    },
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
        name: "per-filter",
        arity: 2,
        eval: |a| {
            let (s, rank) = (tensor(&a[0])?, a[1].ty.as_ref()?.shape()?.len());
            let mut shape = vec![s.len() as i64];
            shape.resize(rank, 1);
            Some(Tensor { shape, data: s.data.clone() })
        },
        summary: "(@per-filter s like): a vector [O] as [O, 1, ...] of like's rank (scales the filters of a conv weight)",
    },
    Function {
        name: "vector-channels",
        arity: 2,
        eval: |a| {
            let n = *a[1].ty.as_ref()?.shape()?.first()?;
            Some(Tensor { shape: vec![n], data: channels(tensor(&a[0])?, n, false)? })
        },
        summary: "(@vector-channels c like): a constant varying along the channel axis only ([C, 1, 1], [1, C, 1, 1] or a splat) as [C] (C = like's length)",
    },
    Function {
        name: "input-channels",
        arity: 2,
        eval: |a| {
            let w = a[1].ty.as_ref()?.shape()?;
            let n = *w.get(1)?;
            let data = channels(tensor(&a[0])?, n, true)?;
            let mut shape = vec![1, n];
            shape.resize(w.len(), 1);
            Some(Tensor { shape, data })
        },
        summary: "(@input-channels c w): a vector [C], or a constant varying along the channel axis only, as [1, C, 1, ...] (C = w's axis 1; scales a conv weight's input channels; rules reading a model's constant also check per-channel)",
    },
    Function {
        name: "conv-shift",
        arity: 2,
        eval: |a| {
            let (w, t) = (tensor(&a[0])?, tensor(&a[1])?);
            let (o, c) = (*w.shape.first()? as usize, *w.shape.get(1)? as usize);
            if t.len() != c || o == 0 {
                return None;
            }
            let k = w.len() / (o * c);
            let data = (0..o).map(|i| (0..c * k).map(|j| w.data[i * c * k + j] * t.data[j / k]).sum()).collect();
            Some(Tensor { shape: vec![o as i64], data })
        },
        summary: "(@conv-shift w t): per filter o, the sum of w[o, c, ...] * t[c] (what a per-channel shift of a conv's input adds to its output)",
    },
    Function {
        name: "untranspose",
        arity: 2,
        eval: |a| {
            let (c, p) = (tensor(&a[0])?, ints(a[1].attr.as_ref())?);
            if c.shape.len() > p.len() {
                return None;
            }
            let mut shape = vec![1i64; p.len() - c.shape.len()];
            shape.extend(&c.shape);
            // c is read against transpose(x, p), whose axis i is x's axis p[i]: move axis i to p[i]
            let mut inv = vec![0usize; p.len()];
            for (i, &pi) in p.iter().enumerate() {
                *inv.get_mut(usize::try_from(pi).ok()?)? = i;
            }
            Some(permute(&Tensor { shape, data: c.data.clone() }, &inv))
        },
        summary: "(@untranspose c p): the constant c, read against transpose(x, p), as read against x",
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
pub static ATTR_FUNCTIONS: &[AttrFunction] = &[
    AttrFunction {
        name: "cols",
        arity: 1,
        eval: |a| Some(Attribute::i64(*a[0].ty.as_ref()?.shape()?.last()?)),
        summary: "(@cols ?w): the size of the last axis of w (the columns of a [K, N] weight)",
    },
    AttrFunction {
        name: "compose-perms",
        arity: 2,
        eval: |a| {
            let (p, q) = (ints(a[0].attr.as_ref())?, ints(a[1].attr.as_ref())?);
            let r: Option<Vec<i64>> = q.iter().map(|&i| usize::try_from(i).ok().and_then(|i| p.get(i).copied())).collect();
            Some(Attribute::i64_array(&r.filter(|_| p.len() == q.len())?))
        },
        summary: "(@compose-perms p q): the permutation of transpose(transpose(x, p), q), r[i] = p[q[i]]",
    },
    AttrFunction {
        name: "conv-pads",
        arity: 2,
        eval: |a| {
            let (c, p) = (ints(a[0].attr.as_ref())?, ints(a[1].attr.as_ref())?);
            // conv pads: [begin of each spatial axis, end of each]; pad pads: [begin of every axis, end of every axis]
            let (n, s) = (p.len() / 2, c.len() / 2);
            if n != s + 2 || p[..2].iter().chain(&p[n..n + 2]).any(|&v| v != 0) || p.iter().any(|&v| v < 0) {
                return None;
            }
            let sum: Vec<i64> = (0..2 * s).map(|i| c[i] + p[if i < s { i + 2 } else { i + 4 }]).collect();
            Some(Attribute::i64_array(&sum))
        },
        summary: "(@conv-pads conv-pads pad-pads): the conv's pads plus the spatial pads of a zero pad (none on batch and channel axes)",
    },
];

/// The attribute function named `name`.
pub fn attr_function(name: &str) -> Option<&'static AttrFunction> {
    ATTR_FUNCTIONS.iter().find(|f| f.name == name)
}
