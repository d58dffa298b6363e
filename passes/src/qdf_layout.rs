//! `qdf-layout`: absorbs the layout transposes `nn-to-qdf` puts around channels-last layers, so
//! feature maps stay channels-last from one window layer to the next. Local rewrites run to a
//! fixpoint by the greedy driver ([`fpgaopt_ir::rewrite`]); `T(x, p)` is `qdf.transpose` by `p`:
//! - `compose`: `T(T(x, p), q) -> T(x, p∘q)`, and `-> x` when that is the identity;
//! - `unit-transpose`: `T(x, p) -> reshape(x)` when `p` moves only size-1 axes (no data moves);
//! - `merge-twins`: two `T(x, p)` of one value -> the first;
//! - `sink-unary`: `u(T(x, p)) -> T(u'(x), p)` for elementwise ops of one operand (relu, cast,
//!   clip, leaky_relu, table, quantize, dequantize, frelu, fquant, threshold, requant): a
//!   per-channel threshold/requant gets the channel axis `p[axis]`, a per-channel fquant its
//!   scale and zero point transposed like constants;
//! - `sink-binary`: `b(T(x, p), T(y, p)) -> T(b(x, y), p)` and `b(T(x, p), c) -> T(b(x, c'), p)`
//!   for add/sub/mul and their f32 forms, `c` a constant broadcast to the rank and transposed by
//!   `p^-1`; also `b(T(x, p), u(z)) -> T(b(x, u'(T(z, p^-1))), p)` when `T(z, p^-1)` exists already
//!   and `u` is a chain of single-use elementwise ops (a residual skip from a value some
//!   channels-last layer reads too, such as the model's input);
//! - `sink-axis`: concat, slice and softmax of transposed inputs move their axis: `axis' = p[axis]`;
//! - `absorb-into-dense`: `dense(reshape(T(x, p)), w)` with a constant `w`, `p[0] = 0` and the
//!   reshape flattening everything after the batch axis -> `dense(reshape(x), w')`, the rows of
//!   `w` permuted into x's order (also `qdf.fdense`).
//!
//! `sink-unary` also sinks a transpose other ops read, which copies it; a second greedy run
//! (`compose`, `merge-twins`, `hoist-to-twin`: `T(u(x), q) -> u'(T(x, q))` when `T(x, q)` exists)
//! takes back the copies that met no partner. Running it with the first would loop.
//!
//! Every rewrite moves data only: values are unchanged bit for bit. The transposes that remain sit
//! next to the model's boundary or a layer the patterns do not cross; `qdf-to-hls` folds those
//! next to an elementwise layer into its indices.

use fpgaopt_ir::pass::{Options, PassContext, PassInfo};
use fpgaopt_ir::rewrite::{apply_patterns_greedily, GreedyConfig, Pattern};
use fpgaopt_ir::shape::{inverse_perm, transpose_data};
use fpgaopt_ir::{Attribute, DenseElements, DiagResult, Diagnostic, InsertPoint, Location, Module, OpId, OpSpec, Severity, Type, ValueId};
use fpgaopt_qdf as qdf;

/// The pass.
pub static QDF_LAYOUT: PassInfo = PassInfo {
    name: "qdf-layout",
    summary: "absorb layout transposes: cancel them between channels-last layers, fold them into dense weights",
    description: r#"Moves each qdf.transpose T(x, p) toward the results through ops that commute with it and
removes what cancels. Patterns: compose (T(T(x)) -> one T, identity -> x); unit-transpose (a T that
moves only size-1 axes -> qdf.reshape); merge-twins (two T(x, p) of one value -> one); sink-unary
(u(T(x)) -> T(u(x)) for relu, cast, clip, leaky_relu, table, quantize, dequantize, frelu, fquant,
threshold, requant; a per-channel threshold/requant takes axis' = p[axis], a per-channel fquant's
scale and zero point are transposed like constants); sink-binary (add/sub/mul and
fadd/fsub/fmul/fdiv of two T by the same p, of a T and a constant, which is broadcast and
transposed by p^-1, or of a T and single-use elementwise ops of a value z whose T(z, p^-1) exists,
rebuilt on it); sink-axis (concat, slice, softmax, fsoftmax with axis' = p[axis]);
absorb-into-dense (dense(reshape(T(x)), w) with constant w flattening all but the batch axis ->
dense(reshape(x), w') with w's rows permuted; also fdense). A second run (compose, merge-twins,
hoist-to-twin: T(u(x), q) -> u(T(x, q)) when T(x, q) exists) takes back copies of a transpose that
sinking made and nothing cancelled. Values are unchanged.
See docs/design/cnn.md."#,
    options: &[],
    run,
};

/// The patterns, in the order they are tried.
pub static PATTERNS: &[Pattern] = &[
    Pattern::new("compose", compose),
    Pattern::new("unit-transpose", unit_transpose),
    Pattern::new("merge-twins", merge_twins),
    Pattern::new("sink-unary", sink_unary),
    Pattern::new("sink-binary", sink_binary),
    Pattern::new("sink-axis", sink_axis),
    Pattern::new("absorb-into-dense", absorb_into_dense),
];

/// The clean-up after sinking, which undoes a speculative sink where an existing transpose serves.
pub static CLEANUP_PATTERNS: &[Pattern] = &[
    Pattern::new("compose", compose),
    Pattern::new("merge-twins", merge_twins),
    Pattern::new("hoist-to-twin", hoist_to_twin),
];

fn run(m: &mut Module, _opts: &Options, ctx: &mut PassContext<'_>) -> DiagResult<()> {
    let top = m.top();
    for patterns in [PATTERNS, CLEANUP_PATTERNS] {
        let stats = apply_patterns_greedily(m, top, patterns, &GreedyConfig::default());
        if !stats.converged() {
            let mut d = Diagnostic::error(Location::Unknown, format!("qdf-layout {}", stats.describe()));
            d.severity = Severity::Remark;
            ctx.remarks.push(d);
        }
    }
    Ok(())
}

fn shape(m: &Module, v: ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

/// `(x, p)` when `v` is defined by a `qdf.transpose`.
fn transposed(m: &Module, v: ValueId) -> Option<(ValueId, Vec<i64>)> {
    let t = qdf::Transpose::defining(m, v)?;
    Some((t.input(m), t.perm(m)))
}

/// A tensor type of `shape` with the element type of `like`.
fn like(m: &Module, like: ValueId, shape: Vec<i64>) -> Type {
    Type::tensor(shape, m.ty(like).element().cloned().unwrap_or(Type::F32))
}

/// Builds `T(v, perm)` before `at`.
fn build_transpose(m: &mut Module, at: InsertPoint, loc: Location, v: ValueId, perm: &[i64]) -> ValueId {
    let s = shape(m, v);
    let ty = like(m, v, perm.iter().map(|&p| s[p as usize]).collect());
    let o = m.build(at, qdf::Transpose::spec(loc).operands([v]).results([ty]).attr("perm", Attribute::i64_array(perm)));
    m.result(o, 0)
}

/// Rebuilds `op` before itself with `operands`, result shape `shape` and attributes changed by
/// `attrs`; returns the new result.
fn rebuild(m: &mut Module, op: OpId, operands: Vec<ValueId>, shape: Vec<i64>, attrs: &[(&str, Attribute)]) -> ValueId {
    rebuild_at(m, op, InsertPoint::Before(op), operands, shape, attrs)
}

/// [`rebuild`] at `at`.
fn rebuild_at(m: &mut Module, op: OpId, at: InsertPoint, operands: Vec<ValueId>, shape: Vec<i64>, attrs: &[(&str, Attribute)]) -> ValueId {
    let data = m.op(op);
    let (def, loc, res) = (data.def, data.loc.clone(), data.results[0]);
    let mut all: Vec<(String, Attribute)> = data.attrs.clone();
    for (k, v) in attrs {
        match all.iter_mut().find(|(n, _)| n == k) {
            Some(slot) => slot.1 = v.clone(),
            None => all.push((k.to_string(), v.clone())),
        }
    }
    let ty = like(m, res, shape);
    let mut spec = OpSpec::new(def, loc).operands(operands).results([ty]);
    for (k, v) in all {
        spec = spec.attr(&k, v);
    }
    let o = m.build(at, spec);
    let hint = m.value(res).name_hint.clone();
    let y = m.result(o, 0);
    m.set_name_hint(y, hint);
    y
}

/// Replaces `op`'s result by `T(y, perm)`.
fn finish(m: &mut Module, op: OpId, y: ValueId, perm: &[i64]) {
    let loc = m.op(op).loc.clone();
    let t = build_transpose(m, InsertPoint::Before(op), loc, y, perm);
    m.replace_op(op, &[t]);
}

// T(T(x, p), q) -> T(x, p∘q);  T(x, identity) -> x
fn compose(m: &mut Module, op: OpId) -> bool {
    let Some(t) = qdf::Transpose::of(m, op) else { return false };
    let q = t.perm(m);
    if q.iter().enumerate().all(|(i, &p)| p == i as i64) {
        let x = t.input(m);
        m.replace_op(op, &[x]);
        return true;
    }
    let Some((x, p)) = transposed(m, t.input(m)) else { return false };
    let composed: Vec<i64> = q.iter().map(|&i| p[i as usize]).collect();
    m.set_operand(op, 0, x);
    m.set_attr(op, "perm", Attribute::i64_array(&composed));
    true
}

// T(x, p) -> reshape(x)  when p moves only size-1 axes
fn unit_transpose(m: &mut Module, op: OpId) -> bool {
    let Some(t) = qdf::Transpose::of(m, op) else { return false };
    let (x, p) = (t.input(m), t.perm(m));
    let s = shape(m, x);
    let moved: Vec<i64> = p.iter().copied().filter(|&a| s[a as usize] != 1).collect();
    if !moved.windows(2).all(|w| w[0] < w[1]) {
        return false;
    }
    let (loc, ty) = (m.op(op).loc.clone(), m.ty(t.output(m)).clone());
    let r = qdf::Reshape::build(m, InsertPoint::Before(op), loc, x, ty).output(m);
    m.replace_op(op, &[r]);
    true
}

/// How an op of one operand that acts on each element alone depends on the element's position.
enum Unary {
    /// Not at all (relu, cast, a per-tensor quantizer, ...).
    Plain,
    /// Through the index along a channel axis (`qdf.threshold`, `qdf.requant` per channel).
    ChannelAxis(usize),
    /// Through parameters that broadcast to the operand (`qdf.fquant` per channel).
    Broadcast,
}

/// The [`Unary`] kind of `op`, `None` when it is not elementwise with one operand.
fn unary_kind(m: &Module, op: OpId) -> Option<Unary> {
    let data = m.op(op);
    if data.operands.len() != 1 || data.results.len() != 1 {
        return None;
    }
    let len = |name: &str| m.attr(op, name).and_then(Attribute::as_dense).map_or(1, DenseElements::len);
    match data.name() {
        "qdf.relu" | "qdf.cast" | "qdf.clip" | "qdf.leaky_relu" | "qdf.table" | "qdf.quantize" | "qdf.dequantize" | "qdf.frelu" => Some(Unary::Plain),
        "qdf.threshold" | "qdf.requant" => {
            let rows = m.attr(op, "thresholds").and_then(Attribute::as_dense).and_then(|d| d.ty.shape()?.first().copied()).unwrap_or(1);
            let many = rows > 1 || ["base", "step", "multiplier"].iter().any(|n| len(n) > 1);
            Some(if many { Unary::ChannelAxis(qdf::channel_axis(m, op)) } else { Unary::Plain })
        }
        "qdf.fquant" => Some(if len("scale") == 1 && len("zero_point") == 1 { Unary::Plain } else { Unary::Broadcast }),
        _ => None,
    }
}

/// The attributes of the unary `op` when its operand is transposed by `q`: the channel axis
/// `a -> q^-1[a]`, broadcast parameters transposed by `q` like constants; `None` if impossible.
fn permuted_attrs(m: &Module, op: OpId, q: &[i64]) -> Option<Vec<(&'static str, Attribute)>> {
    match unary_kind(m, op)? {
        Unary::Plain => Some(vec![]),
        Unary::ChannelAxis(a) => {
            let inv = inverse_perm(q);
            Some(vec![("axis", Attribute::i64(*inv.get(a)?))])
        }
        Unary::Broadcast => {
            let mut out = vec![];
            for name in ["scale", "zero_point"] {
                if let Some(d) = m.attr(op, name).and_then(Attribute::as_dense) {
                    out.push((name, Attribute::Dense(transposed_dense(d, q.len(), q, true)?)));
                }
            }
            Some(out)
        }
    }
}

// u(T(x, p)) -> T(u'(x), p)
fn sink_unary(m: &mut Module, op: OpId) -> bool {
    if unary_kind(m, op).is_none() {
        return false;
    }
    let Some((x, p)) = transposed(m, m.operand(op, 0)) else { return false };
    let Some(attrs) = permuted_attrs(m, op, &inverse_perm(&p)) else { return false };
    let y = rebuild(m, op, vec![x], shape(m, x), &attrs);
    finish(m, op, y, &p);
    true
}

/// `d` broadcast to rank `rank` (right-aligned) and transposed by `perm`: the same values seen
/// through a transposed operand. Floats with `float`, integers of `d`'s element type otherwise.
fn transposed_dense(d: &DenseElements, rank: usize, perm: &[i64], float: bool) -> Option<DenseElements> {
    let s = d.ty.shape()?.to_vec();
    if s.len() > rank {
        return None;
    }
    let mut full = vec![1; rank - s.len()];
    full.extend(&s);
    let out: Vec<i64> = perm.iter().map(|&a| full[a as usize]).collect();
    let n = full.iter().product::<i64>() as usize;
    if float {
        let vals: Vec<f32> = if d.len() == n { d.to_f32_vec() } else { vec![d.to_f32_vec().first().copied()?; n] };
        Some(DenseElements::from_f32(&out, &transpose_data(&vals, &full, perm)))
    } else {
        let vals: Vec<i64> = if d.len() == n { (0..n).map(|i| d.get_i64(i)).collect() } else { vec![d.get_i64(0); n] };
        DenseElements::from_ints(&out, d.ty.element()?.clone(), &transpose_data(&vals, &full, perm)).ok()
    }
}

/// A constant operand broadcast to rank `rank` and transposed by `inv`, rebuilt before `at`.
fn transposed_constant(m: &mut Module, v: ValueId, rank: usize, inv: &[i64], at: OpId) -> Option<ValueId> {
    let def = m.def_op(v)?;
    let name = m.op(def).name();
    if name != "qdf.constant" && name != "qdf.fconstant" {
        return None;
    }
    let d = m.attr(def, "value")?.as_dense()?;
    let dense = transposed_dense(d, rank, inv, name == "qdf.fconstant")?;
    let loc = m.op(def).loc.clone();
    let ty = like(m, v, dense.ty.shape()?.to_vec());
    let o = m.build(InsertPoint::Before(at), OpSpec::new(m.op(def).def, loc).results([ty]).attr("value", Attribute::Dense(dense)));
    Some(m.result(o, 0))
}

/// True when `a` comes before `b` in the same block.
fn precedes(m: &Module, a: OpId, b: OpId) -> bool {
    let (Some(pa), Some(pb)) = (m.op(a).parent, m.op(b).parent) else { return false };
    if pa != pb {
        return false;
    }
    let ops = m.block_ops(pa);
    let pos = |o: OpId| ops.iter().position(|&x| x == o);
    matches!((pos(a), pos(b)), (Some(i), Some(j)) if i < j)
}

/// An existing `T(v, q)` defined before `at`.
fn twin(m: &Module, v: ValueId, q: &[i64], at: OpId) -> Option<ValueId> {
    m.value(v).uses.iter().map(|&(u, _)| u).find(|&u| {
        u != at && !m.op(u).erased && qdf::Transpose::of(m, u).is_some_and(|t| t.perm(m) == q) && precedes(m, u, at)
    }).map(|u| m.result(u, 0))
}

/// How to get `T(v, q)` without a new transpose: a value that already is it (`x` of `v = T(x, q^-1)`,
/// or a twin `T(v, q)` before `at`), then the single-use elementwise ops between it and `v`,
/// innermost first, to rebuild on the transposed data.
fn retranspose_plan(m: &Module, v: ValueId, q: &[i64], at: OpId, depth: usize) -> Option<(ValueId, Vec<OpId>)> {
    if let Some((x, p)) = transposed(m, v) {
        if q.iter().enumerate().all(|(i, &a)| p.get(a as usize) == Some(&(i as i64))) {
            return Some((x, vec![]));
        }
    }
    if let Some(t) = twin(m, v, q, at) {
        return Some((t, vec![]));
    }
    let def = m.def_op(v)?;
    if depth == 0 || m.value(v).uses.len() != 1 {
        return None;
    }
    permuted_attrs(m, def, q)?;
    let (base, mut chain) = retranspose_plan(m, m.operand(def, 0), q, at, depth - 1)?;
    chain.push(def);
    Some((base, chain))
}

/// Builds a [`retranspose_plan`] before `at`; returns `T(v, q)`.
fn build_retranspose(m: &mut Module, (base, chain): (ValueId, Vec<OpId>), q: &[i64], at: OpId) -> Option<ValueId> {
    let mut v = base;
    for op in chain {
        let attrs = permuted_attrs(m, op, q)?;
        v = rebuild_at(m, op, InsertPoint::Before(at), vec![v], shape(m, v), &attrs);
    }
    Some(v)
}

// b(T(x, p), T(y, p)) -> T(b(x, y), p);  b(T(x, p), c) -> T(b(x, c'), p);
// b(T(x, p), u(z)) -> T(b(x, u(T(z, p^-1))), p)  when T(z, p^-1) exists already (a branch back to
// a channels-last value: a residual skip from the model's input)
fn sink_binary(m: &mut Module, op: OpId) -> bool {
    if !matches!(m.op(op).name(), "qdf.add" | "qdf.sub" | "qdf.mul" | "qdf.fadd" | "qdf.fsub" | "qdf.fmul" | "qdf.fdiv") {
        return false;
    }
    let (a, b) = (m.operand(op, 0), m.operand(op, 1));
    let out = shape(m, m.result(op, 0));
    let (ta, tb) = (transposed(m, a), transposed(m, b));
    let p = match (&ta, &tb) {
        (Some((_, p)), _) | (None, Some((_, p))) => p.clone(),
        _ => return false,
    };
    let inv = inverse_perm(&p);
    enum Source {
        Ready(ValueId),
        Constant(ValueId),
        Chain((ValueId, Vec<OpId>)),
    }
    let is_constant = |v: ValueId| m.def_op(v).is_some_and(|d| matches!(m.op(d).name(), "qdf.constant" | "qdf.fconstant"));
    let mut plan = vec![];
    for (v, t) in [(a, ta), (b, tb)] {
        plan.push(match t {
            // Both operands full-rank transposes by the same p (no broadcasting of either).
            Some((x, q)) if q == p && shape(m, v) == out => Source::Ready(x),
            _ if is_constant(v) => Source::Constant(v),
            _ if shape(m, v) == out => match retranspose_plan(m, v, &inv, op, 8) {
                Some(c) => Source::Chain(c),
                None => return false,
            },
            _ => return false,
        });
    }
    let mut operands = vec![];
    for s in plan {
        let v = match s {
            Source::Ready(x) => Some(x),
            Source::Constant(v) => transposed_constant(m, v, out.len(), &inv, op),
            Source::Chain(c) => build_retranspose(m, c, &inv, op),
        };
        let Some(v) = v else { return false };
        operands.push(v);
    }
    let xs: Vec<i64> = inv.iter().map(|&a| out[a as usize]).collect();
    let y = rebuild(m, op, operands, xs, &[]);
    finish(m, op, y, &p);
    true
}

// T(u(x), q) -> u'(T(x, q))  when T(x, q) exists already (u elementwise, used only here)
fn hoist_to_twin(m: &mut Module, op: OpId) -> bool {
    let Some(t) = qdf::Transpose::of(m, op) else { return false };
    let q = t.perm(m);
    let Some(plan) = retranspose_plan(m, t.input(m), &q, op, 8) else { return false };
    let Some(y) = build_retranspose(m, plan, &q, op) else { return false };
    m.replace_op(op, &[y]);
    true
}

// T(x, p), T(x, p) -> one T
fn merge_twins(m: &mut Module, op: OpId) -> bool {
    let Some(t) = qdf::Transpose::of(m, op) else { return false };
    let Some(first) = twin(m, t.input(m), &t.perm(m), op) else { return false };
    m.replace_op(op, &[first]);
    true
}

// concat/slice/softmax(T(x, p), axis) -> T(op(x, p[axis]), p)
fn sink_axis(m: &mut Module, op: OpId) -> bool {
    let name = m.op(op).name();
    if !matches!(name, "qdf.concat" | "qdf.slice" | "qdf.softmax" | "qdf.fsoftmax") {
        return false;
    }
    let operands = m.op(op).operands.clone();
    let ts: Vec<Option<(ValueId, Vec<i64>)>> = operands.iter().map(|&v| transposed(m, v)).collect();
    let Some(Some((_, p))) = ts.first().cloned() else { return false };
    if ts.iter().any(|t| t.as_ref().is_none_or(|(_, q)| *q != p)) {
        return false;
    }
    let out = shape(m, m.result(op, 0));
    let Some(axis) = m.attr(op, "axis").and_then(Attribute::as_int) else { return false };
    let Ok(a) = fpgaopt_ir::shape::norm_axis(axis, out.len()) else { return false };
    let inv = inverse_perm(&p);
    let xs: Vec<i64> = inv.iter().map(|&i| out[i as usize]).collect();
    let ins: Vec<ValueId> = ts.into_iter().flatten().map(|(x, _)| x).collect();
    let y = rebuild(m, op, ins, xs, &[("axis", Attribute::i64(p[a]))]);
    finish(m, op, y, &p);
    true
}

// dense(reshape(T(x, p)), w) -> dense(reshape(x), w with permuted rows)
fn absorb_into_dense(m: &mut Module, op: OpId) -> bool {
    if !matches!(m.op(op).name(), "qdf.dense" | "qdf.fdense") {
        return false;
    }
    let Some(r) = qdf::Reshape::defining(m, m.operand(op, 0)) else { return false };
    let Some((x, p)) = transposed(m, r.input(m)) else { return false };
    let (xs, rs) = (shape(m, x), shape(m, r.output(m)));
    let k: i64 = xs[1..].iter().product();
    if p.first() != Some(&0) || rs.len() != 2 || rs != [xs[0], k] {
        return false;
    }
    let w = m.operand(op, 1);
    let Some(wdef) = m.def_op(w) else { return false };
    if !matches!(m.op(wdef).name(), "qdf.constant" | "qdf.fconstant") {
        return false;
    }
    let Some(d) = m.attr(wdef, "value").and_then(Attribute::as_dense).cloned() else { return false };
    let ws = shape(m, w);
    let (kk, n) = (ws[0] as usize, ws[1] as usize);
    if kk as i64 != k {
        return false;
    }
    // Row i of the flattened T(x) is x's flattened element order[i].
    let sub: Vec<i64> = xs[1..].to_vec();
    let perm: Vec<i64> = p[1..].iter().map(|&a| a - 1).collect();
    let order = transpose_data(&(0..k as usize).collect::<Vec<_>>(), &sub, &perm);
    let at = InsertPoint::Before(op);
    let loc = m.op(wdef).loc.clone();
    let dense = if m.op(wdef).name() == "qdf.fconstant" {
        let v = d.to_f32_vec();
        let mut out = vec![0f32; kk * n];
        for (i, &j) in order.iter().enumerate() {
            out[j * n..(j + 1) * n].copy_from_slice(v.get(i * n..(i + 1) * n).unwrap_or(&vec![v[0]; n]));
        }
        DenseElements::from_f32(&ws, &out)
    } else {
        let v: Vec<i64> = if d.len() == kk * n { (0..kk * n).map(|i| d.get_i64(i)).collect() } else { vec![d.get_i64(0); kk * n] };
        let mut out = vec![0i64; kk * n];
        for (i, &j) in order.iter().enumerate() {
            out[j * n..(j + 1) * n].copy_from_slice(&v[i * n..(i + 1) * n]);
        }
        let Some(elem) = d.ty.element().cloned() else { return false };
        let Ok(dd) = DenseElements::from_ints(&ws, elem, &out) else { return false };
        dd
    };
    let wty = m.ty(w).clone();
    let def = m.op(wdef).def;
    let o = m.build(at, OpSpec::new(def, loc).results([wty]).attr("value", Attribute::Dense(dense)));
    let nw = m.result(o, 0);
    let rloc = m.op(r.0).loc.clone();
    let rty = m.ty(r.output(m)).clone();
    let nr = qdf::Reshape::build(m, at, rloc, x, rty).output(m);
    m.set_operand(op, 0, nr);
    m.set_operand(op, 1, nw);
    true
}
