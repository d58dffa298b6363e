//! `io=stream`: every layer a process of a `DATAFLOW` top, connected by `hls::stream` FIFOs.
//!
//! A value of shape `[..., L]` travels as beats of its last axis (a pixel's channels), in
//! row-major order. Processes (one function each, called once from the top):
//! - `<input>_in` / `<output>_out`: the top's arrays to a stream and back (the model interface
//!   stays arrays);
//! - beat-wise layers (elementwise ops whose operands have the result's shape and whose constants
//!   vary along the last axis only): per beat, read every input, compute with the layer lowered on
//!   one beat (`[L]`), write;
//! - `qdf.pad` of the spatial axes: pad beats around the copied rows;
//! - `qdf.conv`, `qdf.max_pool`, `qdf.avg_pool` (batch 1): a row buffer of the `R = d(K-1)+1`
//!   input rows a window spans; for each output row it reads the `stride` rows that enter (all `R`
//!   first), shifting the buffer up, computes the row (one output pixel per pipelined iteration),
//!   and finally drains the rows no window reads;
//! - every other layer: read its whole inputs into arrays, run the array lowering, write the result;
//! - `<value>_split`: a value read by several processes is copied to one FIFO per reader.
//!
//! FIFO depths come from [`super::fifo::depths`] over the processes' token programs, so branches
//! (residual, concat) get the depth their skew needs; each FIFO records its depth, producer,
//! consumer and beats, each process its II and active cycles (`hls.estimate`), the top the
//! design's cycles (docs/design/cnn.md). Values are bit-identical to the other io modes: every
//! process computes with the array lowering's arithmetic.

use std::collections::{HashMap, HashSet};

use fpgaopt_hls::directives as dir;
use fpgaopt_hls::{ArrayType, StreamType};
use fpgaopt_ir::builtin::{CallOp, FuncOp, ReturnOp};
use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, InsertPoint, Location, Module, OpId, OpSpec, Type, ValueId};

use super::builder::{FnBuilder, LoopKind::*};
use super::fifo::{self, Phase, Process};
use super::layers::{self, array_type, hls_elem, lower_layer};
use super::{layer_names, unique_symbol, Config};

/// The most elements an array may be partitioned into (Vitis HLS's limit for complete partitioning).
pub(crate) const PARTITION_LIMIT: i64 = 4096;

/// How a value travels: its stream type (element, lanes = last axis) and beats per inference.
pub(super) fn stream_of(m: &Module, v: ValueId) -> Option<(StreamType, i64)> {
    let t = m.ty(v);
    let s = t.shape()?;
    let lanes = s.last().copied().unwrap_or(1).max(1);
    let n: i64 = s.iter().product();
    Some((StreamType::new(hls_elem(t.element()?)?, lanes), n / lanes))
}

pub(super) fn shape(m: &Module, v: ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

/// The kind of process a layer becomes.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Kind {
    Beat,
    Pad,
    Window,
    Buffered,
}

const ELEMENTWISE: [&str; 15] = [
    "qdf.quantize", "qdf.dequantize", "qdf.cast", "qdf.relu", "qdf.leaky_relu", "qdf.clip", "qdf.table", "qdf.frelu",
    "qdf.add", "qdf.sub", "qdf.mul", "qdf.fadd", "qdf.fsub", "qdf.fmul", "qdf.fdiv",
];

fn kind(m: &Module, op: OpId) -> Kind {
    let name = m.op(op).name();
    let y = shape(m, m.result(op, 0));
    let spatial = (3..=4).contains(&y.len()) && y[0] == 1;
    match name {
        "qdf.conv" | "qdf.max_pool" | "qdf.avg_pool" if spatial => return Kind::Window,
        "qdf.pad" if spatial => {
            let pads = m.attr(op, "pads").and_then(Attribute::as_i64_array).unwrap_or_default();
            let r = y.len();
            if [0, r - 1, r, 2 * r - 1].iter().all(|&i| pads.get(i) == Some(&0)) {
                return Kind::Pad;
            }
        }
        _ => {}
    }
    let per_tensor = ["thresholds", "multiplier", "scale", "zero_point"]
        .iter()
        .all(|k| m.attr(op, k).and_then(Attribute::as_dense).is_none_or(|d| d.ty.shape().unwrap_or(&[]).first().copied().unwrap_or(1) <= 1 || d.len() == 1));
    // Per-channel thresholds/requantization along the last axis read their channel from the lane.
    let channel_last = matches!(name, "qdf.threshold" | "qdf.requant") && m.attr(op, "axis").and_then(Attribute::as_int).unwrap_or(1) == y.len() as i64 - 1;
    let elementwise = ELEMENTWISE.contains(&name) || ((per_tensor || channel_last) && matches!(name, "qdf.threshold" | "qdf.requant" | "qdf.fquant"));
    let operands_fit = m.op(op).operands.iter().all(|&v| {
        let s = shape(m, v);
        if layers::is_constant(m, v) {
            s.len() <= y.len() && s.iter().rev().skip(1).all(|&d| d == 1)
        } else {
            s == y
        }
    });
    // A layer that reads or writes through a folded transpose moves data across beats.
    let permuted = [super::transpose_fold::READ_PERM, super::transpose_fold::WRITE_PERM].iter().any(|k| m.attr(op, k).is_some());
    if elementwise && !y.is_empty() && operands_fit && !permuted {
        Kind::Beat
    } else {
        Kind::Buffered
    }
}

/// A process being assembled: its token program and FIFO slots, and the top array it touches.
pub(super) struct Proc {
    pub(super) sched: Process,
    /// The top argument (model input or output) it copies, if any.
    pub(super) array: Option<usize>,
}

/// Creates `void name(streams..., arrays...)` before `before`; returns the builder and arguments.
pub(super) fn process_fn<'a>(m: &'a mut Module, before: OpId, name: &str, ins: &[StreamType], outs: &[StreamType], arrays: &[(Type, String)], loc: &Location) -> (FnBuilder<'a>, Vec<ValueId>) {
    let mut params: Vec<(Type, String)> = vec![];
    for (i, s) in ins.iter().enumerate() {
        params.push((s.to_type(), if ins.len() == 1 { "in".into() } else { format!("in{i}") }));
    }
    for (i, s) in outs.iter().enumerate() {
        params.push((s.to_type(), if outs.len() == 1 { "out".into() } else { format!("out{i}") }));
    }
    params.extend(arrays.iter().cloned());
    FnBuilder::new_function(m, name, &params, before, loc.clone())
}

/// Reads all `beats` beats of stream `s` into array `a` (row-major, last axis = lanes), or writes
/// them from it.
fn transfer_all(b: &mut FnBuilder<'_>, s: ValueId, a: ValueId, st: &StreamType, beats: i64, read: bool) {
    transfer_permuted(b, s, a, st, beats, read, None);
}

/// [`transfer_all`] where the stream carries the array transposed by `perm` (stream axis `i` is
/// array axis `perm[i]`): a model-boundary transpose folded into the copy.
fn transfer_permuted(b: &mut FnBuilder<'_>, s: ValueId, a: ValueId, st: &StreamType, beats: i64, read: bool, perm: Option<&[i64]>) {
    let adims = ArrayType::from_type(b.m.ty(a)).map(|t| t.dims).unwrap_or_default();
    let dims: Vec<i64> = match perm {
        Some(p) => p.iter().map(|&i| adims[i as usize]).collect(),
        None => adims.clone(),
    };
    let beat = b.alloca(&[st.lanes], st.elem.clone(), "beat", true);
    let saved = b.at;
    let f = if beats == 1 { b.index(0) } else { b.for_loop(beats, Pipelined, "f") };
    let outer: Vec<i64> = if dims.is_empty() { vec![] } else { dims[..dims.len() - 1].to_vec() };
    let mut idx = b.delinearize(f, &outer);
    if read {
        b.build(fpgaopt_hls::StreamRead::spec(b.loc.clone()).operands([s, beat]));
    }
    let inner = b.at;
    let l = if st.lanes == 1 { b.index(0) } else { b.for_loop(st.lanes, Inner, "l") };
    if !dims.is_empty() {
        idx.push(l);
    }
    if let Some(p) = perm {
        let mut at = idx.clone();
        for (i, &ax) in p.iter().enumerate() {
            at[ax as usize] = idx[i];
        }
        idx = at;
    }
    if read {
        let v = b.load(beat, &[l]);
        b.store(v, a, &idx);
    } else {
        let v = b.load(a, &idx);
        b.store(v, beat, &[l]);
    }
    b.at = inner;
    if !read {
        b.build(fpgaopt_hls::StreamWrite::spec(b.loc.clone()).operands([s, beat]));
    }
    b.at = saved;
}

/// Moves each transpose reading an elementwise layer of one operand (used by it alone) that reads a
/// model input above that layer: `T(u(x)) -> u(T(x))`, so a transpose `qdf-layout` left after the
/// input quantizer reaches the input, where the `<input>_in` copy absorbs it. Values are unchanged.
fn hoist_boundary_transposes(m: &mut Module, main: OpId) {
    let Some(body) = m.entry_block(main, 0) else { return };
    loop {
        let mut changed = false;
        for t in m.block_ops(body).to_vec() {
            let Some(tr) = fpgaopt_qdf::Transpose::of(m, t) else { continue };
            let x = tr.input(m);
            let Some(u) = m.def_op(x) else { continue };
            if !super::transpose_fold::MAPPED.contains(&m.op(u).name()) || m.value(x).uses.len() != 1 || m.op(u).operands.len() != 1 {
                continue;
            }
            let perm = tr.perm(m);
            let w = m.operand(u, 0);
            // Only toward a model input (a block argument), where the copy absorbs it.
            if m.def_op(w).is_some() {
                continue;
            }
            let ws = shape(m, w);
            let loc = m.op(t).loc.clone();
            let elem = m.ty(w).element().cloned().unwrap_or(Type::F32);
            let tty = Type::tensor(perm.iter().map(|&p| ws[p as usize]).collect::<Vec<i64>>(), elem);
            let spec = fpgaopt_qdf::Transpose::spec(loc).operands([w]).results([tty]).attr("perm", Attribute::i64_array(&perm));
            let t2 = m.build(InsertPoint::Before(u), spec);
            let tw = m.result(t2, 0);
            let out_ty = m.ty(tr.output(m)).clone();
            let mut spec = OpSpec::new(m.op(u).def, m.op(u).loc.clone()).operands([tw]).results([out_ty]);
            for (k, a) in m.op(u).attrs.clone() {
                spec = spec.attr(&k, a);
            }
            let u2 = m.build(InsertPoint::Before(t), spec);
            let y = m.result(u2, 0);
            m.replace_op(t, &[y]);
            m.erase(u);
            changed = true;
            break;
        }
        if !changed {
            return;
        }
    }
}

/// Finishes a process function: directives, the layer description and the estimate keys set later.
pub(super) fn finish(b: FnBuilder<'_>, cfg: &Config, layer: Option<Attribute>) -> OpId {
    let (func, loops) = (b.func, b.loops.clone());
    let serial = cfg.serial();
    super::apply_directives(b.m, func, &loops, &serial, false);
    if let Some(l) = layer {
        b.m.set_attr(func, dir::LAYER, l);
    }
    func
}

/// The `hls.layer` of a process: the layer's own description plus the stream mode's keys.
pub(super) fn stream_layer(m: &Module, op: OpId, node: &str, kind: &str, reuse: i64) -> Attribute {
    let mut d = match layers::layer_attr(m, op, node) {
        Attribute::Dict(d) => d,
        _ => vec![],
    };
    d.push(("io".into(), Attribute::str("stream")));
    d.push(("process".into(), Attribute::str(kind)));
    if kind != "window" {
        d.push(("reuse".into(), Attribute::i64(reuse)));
    }
    if let Some((st, beats)) = stream_of(m, m.result(op, 0)) {
        d.push(("lanes".into(), Attribute::i64(st.lanes)));
        d.push(("beats".into(), Attribute::i64(beats)));
    }
    d.sort_by(|a, b| a.0.cmp(&b.0));
    Attribute::Dict(d)
}

/// The non-constant operands of a layer and their streams.
fn inputs_of(m: &Module, op: OpId) -> Vec<(ValueId, StreamType, i64)> {
    m.op(op).operands.iter().copied().filter(|&v| !layers::is_constant(m, v)).filter_map(|v| stream_of(m, v).map(|(s, n)| (v, s, n))).collect()
}

/// A layer read whole, computed by its array lowering, written whole.
fn buffered(m: &mut Module, op: OpId, name: &str, node: &str, main: OpId, cfg: &Config, used: &mut HashSet<String>) -> DiagResult<Proc> {
    let loc = m.op(op).loc.clone();
    let serial = cfg.serial();
    let inner = unique_symbol(&format!("{name}_body"), used);
    let body = lower_layer(m, op, &inner, node, main, &serial)?;
    let layer = m.remove_attr(body, dir::LAYER);
    let ins = inputs_of(m, op);
    let y = m.result(op, 0);
    let (ost, obeats) = stream_of(m, y).ok_or_else(|| Diagnostic::error(loc.clone(), "result is not a tensor"))?;
    let in_types: Vec<StreamType> = ins.iter().map(|i| i.1.clone()).collect();
    let (mut b, args) = process_fn(m, main, name, &in_types, std::slice::from_ref(&ost), &[], &loc);
    let mut call_args = vec![];
    for (i, (v, st, beats)) in ins.iter().enumerate() {
        let a = ArrayType::from_type(&array_type(b.m.ty(*v)).unwrap_or(Type::F32)).unwrap_or_else(|| ArrayType::new(vec![], Type::F32));
        let arr = b.alloca(&a.dims, a.elem, "x", false);
        transfer_all(&mut b, args[i], arr, st, *beats, true);
        call_args.push(arr);
    }
    let a = ArrayType::from_type(&array_type(b.m.ty(y)).unwrap_or(Type::F32)).unwrap_or_else(|| ArrayType::new(vec![], Type::F32));
    let out = b.alloca(&a.dims, a.elem, "y", false);
    call_args.push(out);
    b.build(CallOp::spec(b.loc.clone()).operands(call_args).attr("callee", Attribute::Symbol(inner)));
    transfer_all(&mut b, args[ins.len()], out, &ost, obeats, false);
    let mut desc = layer.unwrap_or(Attribute::Dict(vec![]));
    if let Attribute::Dict(d) = &mut desc {
        d.extend([
            ("io".into(), Attribute::str("stream")),
            ("process".into(), Attribute::str("buffered")),
            ("lanes".into(), Attribute::i64(ost.lanes)),
            ("beats".into(), Attribute::i64(obeats)),
            ("reuse".into(), Attribute::i64(cfg.reuse)),
        ]);
        d.sort_by(|a, b| a.0.cmp(&b.0));
    }
    finish(b, cfg, Some(desc));
    let mut phases: Vec<Phase> = ins.iter().enumerate().map(|(i, x)| Phase::new(x.2 as u64, vec![i], vec![])).collect();
    phases.push(Phase::new(obeats as u64, vec![], vec![0]));
    Ok(Proc { sched: Process { name: name.into(), inputs: vec![0; ins.len()], outputs: vec![0], phases, ii: cfg.reuse as u64 }, array: None })
}

/// An elementwise layer per beat: the layer lowered on `[lanes]` tensors, called once per beat.
fn beatwise(m: &mut Module, op: OpId, name: &str, node: &str, main: OpId, cfg: &Config, used: &mut HashSet<String>) -> DiagResult<Proc> {
    let loc = m.op(op).loc.clone();
    let y = m.result(op, 0);
    let (ost, beats) = stream_of(m, y).ok_or_else(|| Diagnostic::error(loc.clone(), "result is not a tensor"))?;
    let lanes = ost.lanes;
    // The op rebuilt on one beat, in a scratch function: non-constant operands `[lanes]`,
    // constants (which vary along the last axis only) as `[lanes]` or `[1]`.
    let beat_ty = |m: &Module, v: ValueId| Type::tensor(vec![lanes], m.ty(v).element().cloned().unwrap_or(Type::F32));
    let operands = m.op(op).operands.clone();
    let arg_types: Vec<Type> = operands.iter().filter(|&&v| !layers::is_constant(m, v)).map(|&v| beat_ty(m, v)).collect();
    let scratch_spec = FuncOp::spec(loc.clone()).attr("sym_name", Attribute::str("__beat")).attr("function_type", Attribute::Type(Type::function(arg_types.clone(), vec![])));
    let scratch = m.build(InsertPoint::Before(main), scratch_spec);
    let region = m.op(scratch).regions[0];
    let entry = m.add_block(region, &arg_types);
    let bargs = m.block(entry).args.clone();
    let ret = m.build(InsertPoint::End(entry), ReturnOp::spec(loc.clone()));
    let mut new_ops = vec![];
    let mut next = bargs.iter();
    for &v in &operands {
        if layers::is_constant(m, v) {
            let c = m.def_op(v).ok_or_else(|| Diagnostic::error(loc.clone(), "constant without a definition"))?;
            let d = m.attr(c, "value").and_then(Attribute::as_dense).cloned().ok_or_else(|| Diagnostic::error(loc.clone(), "constant without a value"))?;
            let n = d.len() as i64;
            let s = vec![if n == 1 { 1 } else { lanes }];
            let d2 = d.reshaped(&s).ok_or_else(|| Diagnostic::error(loc.clone(), "constant does not fit one beat"))?;
            let ty = Type::tensor(s, m.ty(v).element().cloned().unwrap_or(Type::F32));
            let k = m.build(InsertPoint::Before(ret), OpSpec::new(m.op(c).def, m.op(c).loc.clone()).results([ty]).attr("value", Attribute::Dense(d2)));
            new_ops.push(m.result(k, 0));
        } else {
            new_ops.push(*next.next().ok_or_else(|| Diagnostic::error(loc.clone(), "operand count"))?);
        }
    }
    let mut spec = OpSpec::new(m.op(op).def, loc.clone()).operands(new_ops).results([beat_ty(m, y)]);
    for (k, a) in m.op(op).attrs.clone() {
        // The channel axis of a per-channel op is the beat's only axis.
        let a = if k == "axis" && matches!(m.op(op).name(), "qdf.threshold" | "qdf.requant") { Attribute::i64(0) } else { a };
        spec = spec.attr(&k, a);
    }
    let clone = m.build(InsertPoint::Before(ret), spec);
    let serial = cfg.serial();
    let inner = unique_symbol(&format!("{name}_beat"), used);
    let body = lower_layer(m, clone, &inner, node, main, &serial);
    m.erase(scratch);
    let body = body?;
    m.remove_attr(body, dir::LAYER);
    m.set_attr(body, dir::INLINE, Attribute::Unit);
    let ins = inputs_of(m, op);
    let in_types: Vec<StreamType> = ins.iter().map(|i| i.1.clone()).collect();
    let layer = stream_layer(m, op, node, "beat", cfg.reuse);
    let (mut b, args) = process_fn(m, main, name, &in_types, std::slice::from_ref(&ost), &[], &loc);
    let bufs: Vec<ValueId> = in_types.iter().map(|s| b.alloca(&[lanes], s.elem.clone(), "x", true)).collect();
    let out = b.alloca(&[lanes], ost.elem.clone(), "y", true);
    let saved = b.at;
    let _f = if beats == 1 { b.index(0) } else { b.for_loop(beats, Pipelined, "f") };
    for (i, &buf) in bufs.iter().enumerate() {
        b.build(fpgaopt_hls::StreamRead::spec(b.loc.clone()).operands([args[i], buf]));
    }
    let mut call_args = bufs.clone();
    call_args.push(out);
    b.build(CallOp::spec(b.loc.clone()).operands(call_args).attr("callee", Attribute::Symbol(inner)));
    b.build(fpgaopt_hls::StreamWrite::spec(b.loc.clone()).operands([args[ins.len()], out]));
    b.at = saved;
    finish(b, cfg, Some(layer));
    let reads: Vec<usize> = (0..ins.len()).collect();
    Ok(Proc { sched: Process { name: name.into(), inputs: vec![0; ins.len()], outputs: vec![0], phases: vec![Phase::new(beats as u64, reads, vec![0])], ii: cfg.reuse as u64 }, array: None })
}

/// `<input>_in` (array to stream) or `<output>_out` (stream to array).
#[allow(clippy::too_many_arguments)]
fn array_copy(m: &mut Module, main: OpId, name: &str, array: (Type, String), st: &StreamType, beats: i64, to_stream: bool, perm: Option<&[i64]>, loc: &Location, cfg: &Config) -> Proc {
    let (ins, outs) = if to_stream { (vec![], vec![st.clone()]) } else { (vec![st.clone()], vec![]) };
    let (mut b, args) = process_fn(m, main, name, &ins, &outs, std::slice::from_ref(&array), loc);
    transfer_permuted(&mut b, args[0], args[1], st, beats, !to_stream, perm);
    finish(b, cfg, None);
    let phase = if to_stream { Phase::new(beats as u64, vec![], vec![0]) } else { Phase::new(beats as u64, vec![0], vec![]) };
    Proc { sched: Process { name: name.into(), inputs: vec![0; ins.len()], outputs: vec![0; outs.len()], phases: vec![phase], ii: 1 }, array: None }
}

/// `<value>_split`: every beat to each of `k` FIFOs.
fn split(m: &mut Module, main: OpId, name: &str, st: &StreamType, beats: i64, k: usize, loc: &Location, cfg: &Config) -> Proc {
    let outs = vec![st.clone(); k];
    let (mut b, args) = process_fn(m, main, name, std::slice::from_ref(st), &outs, &[], loc);
    let beat = b.alloca(&[st.lanes], st.elem.clone(), "beat", true);
    let saved = b.at;
    if beats > 1 {
        b.for_loop(beats, Pipelined, "f");
    }
    b.build(fpgaopt_hls::StreamRead::spec(b.loc.clone()).operands([args[0], beat]));
    for i in 0..k {
        b.build(fpgaopt_hls::StreamWrite::spec(b.loc.clone()).operands([args[1 + i], beat]));
    }
    b.at = saved;
    finish(b, cfg, None);
    Proc { sched: Process { name: name.into(), inputs: vec![0], outputs: vec![0; k], phases: vec![Phase::new(beats as u64, vec![0], (0..k).collect())], ii: 1 }, array: None }
}

/// One process of the design: its function's name, token program and the stream type of each
/// output slot.
struct Node {
    name: String,
    proc_: Proc,
    outs: Vec<StreamType>,
}

/// Lowers `main` in io=stream (see the module doc).
pub(crate) fn lower_main(m: &mut Module, main: OpId, cfg: &Config) -> DiagResult<()> {
    hoist_boundary_transposes(m, main);
    let parts = super::main_parts(m, main)?;
    let layer_list = super::layer_ops(m, &parts)?;
    let super::MainParts { loc, top_name, inputs, ops, ret: _, outputs, mut used, params } = parts;
    let mut nodes: Vec<Node> = vec![];
    let tensor = |m: &Module, v: ValueId, what: &str| stream_of(m, v).ok_or_else(|| Diagnostic::error(loc.clone(), format!("{what} is not a tensor of f32 or !qdf.fixed")));
    // (process, output slot) producing each value; (process, input slot) reading it.
    let mut producer: HashMap<ValueId, (usize, usize)> = HashMap::new();
    let mut readers: HashMap<ValueId, Vec<(usize, usize)>> = HashMap::new();
    // Boundary transposes become the order in which `<input>_in` / `<output>_out` walk their array.
    let mut absorbed: HashSet<OpId> = HashSet::new();
    for (i, &a) in inputs.iter().enumerate() {
        let only = match &m.value(a).uses[..] {
            [(u, _)] => fpgaopt_qdf::Transpose::of(m, *u),
            _ => None,
        };
        let (v, perm) = match only {
            Some(t) => {
                absorbed.insert(t.0);
                (t.output(m), Some(t.perm(m)))
            }
            None => (a, None),
        };
        let (st, beats) = tensor(m, v, "an argument")?;
        let name = unique_symbol(&format!("{}_in", params[i].1), &mut used);
        let mut p = array_copy(m, main, &name, params[i].clone(), &st, beats, true, perm.as_deref(), &loc, cfg);
        p.array = Some(i);
        producer.insert(v, (nodes.len(), 0));
        nodes.push(Node { name, proc_: p, outs: vec![st] });
    }
    let outputs_read: Vec<(ValueId, Option<Vec<i64>>)> = outputs
        .iter()
        .map(|&v| {
            let t = m.def_op(v).and_then(|o| fpgaopt_qdf::Transpose::of(m, o));
            match t {
                Some(t) if m.value(v).uses.len() == 1 && m.value(t.input(m)).uses.len() == 1 && !inputs.contains(&t.input(m)) => {
                    absorbed.insert(t.0);
                    (t.input(m), Some(fpgaopt_ir::shape::inverse_perm(&t.perm(m))))
                }
                _ => (v, None),
            }
        })
        .collect();
    for op in layer_list {
        if absorbed.contains(&op) {
            continue;
        }
        let node = layer_names(m, op);
        let name = unique_symbol(&node, &mut used);
        let ins = inputs_of(m, op);
        let y = m.result(op, 0);
        let (ost, _) = tensor(m, y, "a layer result")?;
        let lcfg = super::layer_config(m, op, cfg);
        let p = match kind(m, op) {
            Kind::Beat => beatwise(m, op, &name, &node, main, &lcfg, &mut used)?,
            Kind::Pad => super::stream_window::pad_stream(m, op, &name, &node, main, &lcfg)?,
            Kind::Window => super::stream_window::window_stream(m, op, &name, &node, main, &lcfg)?,
            Kind::Buffered => buffered(m, op, &name, &node, main, &lcfg, &mut used)?,
        };
        for (i, (v, _, _)) in ins.iter().enumerate() {
            readers.entry(*v).or_default().push((nodes.len(), i));
        }
        producer.insert(y, (nodes.len(), 0));
        nodes.push(Node { name, proc_: p, outs: vec![ost] });
    }
    for (j, (v, perm)) in outputs_read.into_iter().enumerate() {
        let (st, beats) = tensor(m, v, "a result")?;
        let k = inputs.len() + j;
        let name = unique_symbol(&format!("{}_out", params[k].1), &mut used);
        let mut p = array_copy(m, main, &name, params[k].clone(), &st, beats, false, perm.as_deref(), &loc, cfg);
        p.array = Some(k);
        readers.entry(v).or_default().push((nodes.len(), 0));
        nodes.push(Node { name, proc_: p, outs: vec![] });
    }
    // One FIFO per reader; a value with several readers goes through a split process.
    let mut edges: Vec<(usize, usize, usize, usize)> = vec![];
    let mut values: Vec<ValueId> = inputs.clone();
    values.extend(ops.iter().filter_map(|&o| m.op(o).results.first().copied()));
    for v in values {
        let Some(rs) = readers.get(&v).cloned() else { continue };
        let &(p, o) = producer.get(&v).ok_or_else(|| Diagnostic::error(loc.clone(), "io=stream cannot return or read a constant"))?;
        if rs.len() == 1 {
            edges.push((p, o, rs[0].0, rs[0].1));
            continue;
        }
        let (st, beats) = tensor(m, v, "a value")?;
        let hint = m.value(v).name_hint.clone().unwrap_or_else(|| nodes[p].name.clone());
        let name = unique_symbol(&format!("{hint}_split"), &mut used);
        let sp = split(m, main, &name, &st, beats, rs.len(), &loc, cfg);
        let s = nodes.len();
        nodes.push(Node { name, proc_: sp, outs: vec![st; rs.len()] });
        edges.push((p, o, s, 0));
        for (i, &(c, ci)) in rs.iter().enumerate() {
            edges.push((s, i, c, ci));
        }
    }
    for (f, &(p, o, c, ci)) in edges.iter().enumerate() {
        nodes[p].proc_.sched.outputs[o] = f;
        nodes[c].proc_.sched.inputs[ci] = f;
    }
    let procs: Vec<Process> = nodes.iter().map(|n| n.proc_.sched.clone()).collect();
    let deadlock = |e: fifo::Deadlock| {
        let list: Vec<String> = edges.iter().enumerate().map(|(i, e)| format!("#{i} {} -> {}", nodes[e.0].name, nodes[e.2].name)).collect();
        Diagnostic::error(loc.clone(), format!("the stream design deadlocks at cycle {}: {}; FIFOs: {}", e.cycle, e.waiting.join("; "), list.join(", ")))
    };
    let (depths, timing) = match cfg.fifo_depth {
        Some(depth) => {
            let caps = vec![Some(depth); edges.len()];
            let (t, _) = fifo::simulate(&procs, edges.len(), &caps).map_err(deadlock)?;
            (vec![depth; edges.len()], t)
        }
        None => fifo::depths(&procs, edges.len()).map_err(deadlock)?,
    };

    // The top: one FIFO per edge, one call per process in order.
    let tmp = unique_symbol(&format!("{top_name}_top"), &mut used);
    let (mut b, args) = FnBuilder::new_function(m, &tmp, &params, main, loc.clone());
    let top = b.func;
    b.m.set_attr(top, dir::TOP, Attribute::Unit);
    b.m.set_attr(top, dir::DATAFLOW, Attribute::Unit);
    let io = |direction: &str| Attribute::Dict(vec![(dir::DIRECTION.to_string(), Attribute::str(direction)), (dir::INTERFACE.to_string(), Attribute::str("ap_memory"))]);
    let arg_attrs: Vec<Attribute> = (0..params.len()).map(|i| io(if i < inputs.len() { "in" } else { "out" })).collect();
    b.m.set_attr(top, "arg_attrs", Attribute::Array(arg_attrs));
    let mut fifos = vec![];
    for (f, &(p, o, c, _)) in edges.iter().enumerate() {
        let st = nodes[p].outs[o].clone();
        let beats = procs[c].phases.iter().map(|ph| ph.repeat * ph.reads.iter().filter(|&&r| procs[c].inputs[r] == f).count() as u64).sum::<u64>();
        let spec = fpgaopt_hls::StreamAlloca::spec(b.loc.clone())
            .results([st.to_type()])
            .attr("depth", Attribute::i64(depths[f] as i64))
            .attr("producer", Attribute::str(nodes[p].name.clone()))
            .attr("consumer", Attribute::str(nodes[c].name.clone()))
            .attr("beats", Attribute::i64(beats as i64));
        let op = b.build(spec);
        let v = b.m.result(op, 0);
        b.m.set_name_hint(v, Some(format!("{}_to_{}", nodes[p].name, nodes[c].name)));
        fifos.push(v);
    }
    // Calls in a topological order (C simulation runs the processes one after another).
    for i in topological(nodes.len(), &edges) {
        let n = &nodes[i];
        let mut call_args: Vec<ValueId> = n.proc_.sched.inputs.iter().chain(&n.proc_.sched.outputs).map(|&f| fifos[f]).collect();
        if let Some(a) = n.proc_.array {
            call_args.push(args[a]);
        }
        b.build(CallOp::spec(b.loc.clone()).operands(call_args).attr("callee", Attribute::Symbol(n.name.clone())));
    }
    drop(b);
    for (i, n) in nodes.iter().enumerate() {
        let Some(f) = m.lookup_symbol(&n.name) else { continue };
        let (first, last) = timing.spans[i].unwrap_or((0, 0));
        let est = vec![
            ("ii".to_string(), Attribute::i64(n.proc_.sched.ii as i64)),
            ("first_cycle".to_string(), Attribute::i64(first as i64)),
            ("last_cycle".to_string(), Attribute::i64(last as i64)),
            ("busy_cycles".to_string(), Attribute::i64(busy_cycles(&n.proc_.sched) as i64)),
        ];
        m.set_attr(f, dir::ESTIMATE, Attribute::Dict(est));
    }
    let interval = procs.iter().map(busy_cycles).max().unwrap_or(0);
    m.set_attr(top, dir::ESTIMATE, Attribute::Dict(vec![("interval_cycles".into(), Attribute::i64(interval as i64)), ("latency_cycles".into(), Attribute::i64(timing.cycles as i64))]));
    m.erase(main);
    m.set_attr(top, "sym_name", Attribute::str(top_name));
    Ok(())
}

/// The processes ordered so that every producer comes before its consumers, else by index.
fn topological(n: usize, edges: &[(usize, usize, usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    for e in edges {
        indegree[e.2] += 1;
    }
    let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|&i| indegree[i] == 0).collect();
    let mut order = vec![];
    while let Some(&i) = ready.iter().next() {
        ready.remove(&i);
        order.push(i);
        for e in edges.iter().filter(|e| e.0 == i) {
            indegree[e.2] -= 1;
            if indegree[e.2] == 0 {
                ready.insert(e.2);
            }
        }
    }
    order
}

/// Cycles a process needs alone with its inputs always ready: one per reading iteration, `ii`
/// per writing one. The slowest process bounds the design's interval between inferences.
fn busy_cycles(p: &Process) -> u64 {
    p.phases.iter().map(|ph| ph.repeat * if ph.writes.is_empty() { 1 } else { p.ii.max(1) }).sum()
}
