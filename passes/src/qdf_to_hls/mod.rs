//! `qdf-to-hls`: lowers the qdf function `@main` to the hls level.
//!
//! Criteria and invariants:
//! - Input: one function (`@main`, or the module's only function) whose body holds qdf ops and
//!   `func.return`; its arguments and results are tensors of `f32` or `!qdf.fixed`.
//! - Each qdf op other than `qdf.constant` becomes its own `func.func` (named after the op's location
//!   name, e.g. the ONNX node, else after the op) taking one array per non-constant operand and the
//!   output array; constant operands become `hls.rom`s inside it. The function carries `hls.layer`.
//! - `@main` becomes the top function (`hls.top`): every argument and result is an array argument
//!   (`hls.direction = "in"` / `"out"`), each layer output a local `hls.alloca` (or the output
//!   argument itself when the value is only returned), and one `func.call` per layer in order.
//!   The interface is float when the model's is: the `qdf.quantize` and `qdf.dequantize` layers
//!   convert inside the top function, so hardware and C simulation see the same floats.
//! - A `qdf.transpose` next to an elementwise layer (quantize, dequantize, cast, relu, ...) is no
//!   layer of its own: that layer reads or writes through the permutation (`transpose_fold.rs`).
//! - Values are bit-identical to `fpgaopt_qdf::semantics`: arithmetic is exact (`hls.add`/`sub`/`mul`
//!   in ap_fixed's full-precision types) and every `convert<T>` of the semantics is one `hls.cast`.
//! - `io=parallel` (default): every loop fully unrolled, arrays and weights completely partitioned,
//!   layers inlined, the top function pipelined with `II = reuse-factor` (hls4ml's io_parallel).
//!   `io=serial`: per layer the loop producing one output element is pipelined with
//!   `II = reuse-factor`, reductions inside it unrolled, dense weights partitioned along K, and the
//!   top function is a `DATAFLOW` region of layer calls.

mod builder;
mod fifo;
mod float;
mod layers;
mod lookup;
mod requant;
mod resample;
mod softmax;
mod spatial;
mod stream;
mod stream_window;
mod transpose_fold;

use std::collections::HashSet;

use fpgaopt_hls::directives as dir;
use fpgaopt_ir::builtin::{FuncOp, ReturnOp};
use fpgaopt_ir::pass::{Options, PassContext, PassInfo, PassOption};
use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, Location, Module, OpId, Type, ValueId};

use builder::{FnBuilder, LoopKind};
use layers::{array_type, lower_layer};

static OPTIONS: [PassOption; 3] = [
    PassOption { name: "fifo-depth", help: "io=stream: the depth of every FIFO (0: computed so that the design cannot deadlock)", default: "0" },
    PassOption { name: "io", help: "parallel (unrolled, pipelined top), serial (pipelined loops, dataflow top) or stream (layers as processes connected by FIFOs)", default: "parallel" },
    PassOption { name: "reuse-factor", help: "initiation interval of the pipelined top (parallel) or layer loops (serial, stream)", default: "1" },
];

/// The pass.
pub static QDF_TO_HLS: PassInfo = PassInfo {
    name: "qdf-to-hls",
    summary: "lower qdf layers to hls functions, loops and ap_fixed arithmetic",
    description: "Each qdf layer op becomes an hls function with loops over its output and exact ap_fixed \
arithmetic (bit-identical to the qdf reference semantics); @main becomes the top function with array \
arguments, local buffers and one call per layer. `io=parallel` unrolls everything and pipelines the top \
function; `io=serial` pipelines each layer's output loop and makes the top a dataflow region; `io=stream` \
makes every layer a process reading and writing `hls::stream` FIFOs (beats of a pixel's channels, row \
buffers for windows) in a dataflow top, with FIFO depths computed by simulating the processes' token \
programs so that the design cannot deadlock (or `fifo-depth` for all, checked the same way).",
    options: &OPTIONS,
    run,
};

/// Scheduling choices from the pass options.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub parallel: bool,
    pub reuse: i64,
    /// io=stream: layers as dataflow processes connected by FIFOs.
    pub stream: bool,
    /// Every FIFO's depth when set (`fifo-depth`), else computed.
    pub fifo_depth: Option<u64>,
}

fn run(m: &mut Module, opts: &Options, ctx: &mut PassContext<'_>) -> DiagResult<()> {
    let bad = |msg: String| Diagnostic::error(Location::Unknown, format!("qdf-to-hls: {msg}"));
    let (parallel, stream) = match opts.get(&OPTIONS[1]) {
        "parallel" => (true, false),
        "serial" => (false, false),
        "stream" => (false, true),
        other => return Err(bad(format!("option 'io' must be parallel, serial or stream, got '{other}'"))),
    };
    let reuse = opts.get_int(&OPTIONS[2])?;
    let depth = opts.get_int(&OPTIONS[0])?;
    if !(0..=1 << 24).contains(&depth) {
        return Err(bad(format!("option 'fifo-depth' must be in 0..=2^24, got {depth}")));
    }
    if reuse < 1 {
        return Err(bad(format!("option 'reuse-factor' must be at least 1, got {reuse}")));
    }
    let cfg = Config { parallel, reuse, stream, fifo_depth: (depth > 0).then_some(depth as u64) };
    let funcs = m.functions();
    let main = match funcs.iter().copied().find(|&f| FuncOp(f).sym_name(m) == "main") {
        Some(f) => f,
        None if funcs.len() == 1 => funcs[0],
        None => return Err(bad("expected a function @main (or a single function)".into())),
    };
    // io=stream folds boundary transposes into its array copies instead.
    if cfg.stream {
        return stream::lower_main(m, main, &cfg);
    }
    transpose_fold::fold_transposes(m, main);
    lower_main(m, main, &cfg)?;
    if cfg.parallel {
        ctx.remarks.extend(partition_warnings(m));
    }
    Ok(())
}

impl Config {
    /// The io=serial scheduling at this reuse factor: how io=stream processes lower layers on arrays.
    pub(crate) fn serial(&self) -> Config {
        Config { parallel: false, reuse: self.reuse, stream: false, fifo_depth: None }
    }
}

/// The scheduling of one layer: the pass options with the layer's own reuse factor (`qdf.reuse`,
/// from the nn-to-qdf config) when it has one.
pub(crate) fn layer_config(m: &Module, op: OpId, cfg: &Config) -> Config {
    let mut c = cfg.clone();
    if let Some(r) = m.attr(op, fpgaopt_qdf::REUSE_ATTR).and_then(Attribute::as_int).filter(|&r| r >= 1) {
        c.reuse = r;
    }
    c
}

/// Turns loop kinds into directives, and marks layer functions.
pub(crate) fn apply_directives(m: &mut Module, func: OpId, loops: &[(OpId, LoopKind)], cfg: &Config, top: bool) {
    for &(l, kind) in loops {
        match (cfg.parallel, kind) {
            (true, _) | (false, LoopKind::Inner) => m.set_attr(l, dir::UNROLL, Attribute::i64(0)),
            (false, LoopKind::Pipelined) => m.set_attr(l, dir::PIPELINE_II, Attribute::i64(cfg.reuse)),
            (false, LoopKind::Outer) => {}
        }
    }
    match (cfg.parallel, top) {
        (true, true) => m.set_attr(func, dir::PIPELINE_II, Attribute::i64(cfg.reuse)),
        (true, false) => m.set_attr(func, dir::INLINE, Attribute::Unit),
        (false, true) => m.set_attr(func, dir::DATAFLOW, Attribute::Unit),
        (false, false) => {}
    }
}

/// io=parallel partitions every weight completely; Vitis HLS partitions an array into at most
/// [`stream::PARTITION_LIMIT`] parts, so each larger rom gets a warning naming the way out (io=stream
/// keeps such weights in cyclic banks with a matching reuse factor by construction).
fn partition_warnings(m: &Module) -> Vec<Diagnostic> {
    let mut out = vec![];
    for op in m.collect(m.top()) {
        let Some(r) = fpgaopt_hls::Rom::of(m, op) else { continue };
        let n = fpgaopt_hls::ArrayType::from_type(m.ty(r.memory(m))).map_or(0, |a| a.len());
        if n > stream::PARTITION_LIMIT && m.attr(op, "partition").and_then(Attribute::as_str) == Some("complete") {
            let mut d = Diagnostic::error(
                m.op(op).loc.clone(),
                format!(
                    "io=parallel partitions '{}' ({n} elements) completely, beyond the {} parts Vitis HLS partitions: synthesis will refuse it; --io stream keeps it in cyclic banks with a matching reuse factor",
                    r.name(m).unwrap_or("weights"),
                    stream::PARTITION_LIMIT
                ),
            );
            d.severity = fpgaopt_ir::Severity::Warning;
            out.push(d);
        }
    }
    out
}

/// True when the top function is only buffers and calls and every array is read by one call at most:
/// the single-producer, single-consumer shape `#pragma HLS DATAFLOW` needs.
fn is_dataflow_chain(m: &Module, top: OpId) -> bool {
    let Some(body) = m.entry_block(top, 0) else { return false };
    let only_calls = m.block_ops(body).iter().all(|&o| {
        fpgaopt_hls::Alloca::of(m, o).is_some() || fpgaopt_ir::builtin::CallOp::of(m, o).is_some() || ReturnOp::of(m, o).is_some()
    });
    // A top argument has one reader or writer; a buffer one writer and one reader.
    let args_ok = m.block(body).args.iter().all(|&a| m.value(a).uses.len() <= 1);
    let buffers_ok = m.block_ops(body).iter().filter_map(|&o| fpgaopt_hls::Alloca::of(m, o)).all(|a| m.value(a.memory(m)).uses.len() <= 2);
    only_calls && args_ok && buffers_ok
}

/// The name a layer function gets: the op's location name (the ONNX node) or its mnemonic.
fn layer_names(m: &Module, op: OpId) -> String {
    match m.op(op).loc.name() {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => m.op(op).def.mnemonic().to_string(),
    }
}

/// A symbol made of identifier characters, unique in `used`.
fn unique_symbol(base: &str, used: &mut HashSet<String>) -> String {
    let mut s: String = base.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'l');
    }
    let mut name = s.clone();
    let mut i = 1;
    while !used.insert(name.clone()) {
        name = format!("{s}_{i}");
        i += 1;
    }
    name
}

/// What both lowerings of `@main` start from: its body, its ports as arrays (inputs, then one per
/// result, named `out`/`out<j>`) and the symbols already taken.
pub(crate) struct MainParts {
    pub loc: Location,
    pub top_name: String,
    pub inputs: Vec<ValueId>,
    pub ops: Vec<OpId>,
    pub ret: OpId,
    pub outputs: Vec<ValueId>,
    pub used: HashSet<String>,
    pub params: Vec<(Type, String)>,
}

pub(crate) fn main_parts(m: &Module, main: OpId) -> DiagResult<MainParts> {
    let loc = m.op(main).loc.clone();
    let top_name = FuncOp(main).sym_name(m).to_string();
    let body = m.entry_block(main, 0).ok_or_else(|| Diagnostic::error(loc.clone(), "function has no body"))?;
    let inputs = m.block(body).args.clone();
    let ops = m.block_ops(body).to_vec();
    let ret = *ops.last().filter(|&&o| ReturnOp::of(m, o).is_some()).ok_or_else(|| Diagnostic::error(loc.clone(), "function does not end in func.return"))?;
    let outputs = m.op(ret).operands.clone();
    let used: HashSet<String> = m.functions().iter().map(|&f| FuncOp(f).sym_name(m).to_string()).collect();
    let mut params = vec![];
    for (i, &a) in inputs.iter().enumerate() {
        let t = array_type(m.ty(a)).ok_or_else(|| Diagnostic::error(loc.clone(), format!("argument #{i} of type {} is not a tensor of f32 or !qdf.fixed", m.ty(a))))?;
        params.push((t, m.value(a).name_hint.clone().unwrap_or_else(|| format!("in{i}"))));
    }
    for (i, &v) in outputs.iter().enumerate() {
        let t = array_type(m.ty(v)).ok_or_else(|| Diagnostic::error(loc.clone(), format!("result #{i} of type {} is not a tensor of f32 or !qdf.fixed", m.ty(v))))?;
        params.push((t, if outputs.len() == 1 { "out".to_string() } else { format!("out{i}") }));
    }
    Ok(MainParts { loc, top_name, inputs, ops, ret, outputs, used, params })
}

/// The layer ops of `@main` in order: every op but the return and constants, each a qdf op with
/// one result (else the error says qdf-to-hls expects nn-to-qdf's output).
pub(crate) fn layer_ops(m: &Module, p: &MainParts) -> DiagResult<Vec<OpId>> {
    let mut out = vec![];
    for &op in &p.ops {
        if op == p.ret || m.op(op).results.first().is_some_and(|&r| layers::is_constant(m, r)) {
            continue;
        }
        if m.op(op).def.dialect() != "qdf" || m.op(op).results.len() != 1 {
            return Err(Diagnostic::error(m.op(op).loc.clone(), format!("'{}' op is not a qdf layer; qdf-to-hls expects the output of nn-to-qdf", m.op(op).name())));
        }
        out.push(op);
    }
    Ok(out)
}

fn lower_main(m: &mut Module, main: OpId, cfg: &Config) -> DiagResult<()> {
    let parts = main_parts(m, main)?;
    let layer_list = layer_ops(m, &parts)?;
    let MainParts { loc, top_name, inputs, ops, ret, outputs, mut used, params } = parts;

    // The top function's signature: inputs, then one array per result.
    let mut arg_attrs = vec![];
    let interface = if cfg.parallel { "ap_vld" } else { "ap_memory" };
    // A rank-0 port is a scalar variable: nothing to partition.
    let io_attrs = |direction: &str, rank: usize| {
        let mut d = vec![(dir::DIRECTION.to_string(), Attribute::str(direction)), (dir::INTERFACE.to_string(), Attribute::str(interface))];
        if cfg.parallel && rank > 0 {
            d.push((dir::PARTITION.to_string(), Attribute::str("complete")));
        }
        d.sort_by(|a, b| a.0.cmp(&b.0));
        Attribute::Dict(d)
    };
    for &a in &inputs {
        arg_attrs.push(io_attrs("in", m.ty(a).shape().map_or(0, <[i64]>::len)));
    }
    for &v in &outputs {
        arg_attrs.push(io_attrs("out", m.ty(v).shape().map_or(0, <[i64]>::len)));
    }
    // Layer results written straight into an output argument: only returned, once.
    let direct: Vec<Option<usize>> = ops
        .iter()
        .map(|&op| {
            let r = *m.op(op).results.first()?;
            let uses = &m.value(r).uses;
            let j = outputs.iter().position(|&o| o == r)?;
            (uses.len() == 1 && uses[0].0 == ret && !layers::is_constant(m, r)).then_some(j)
        })
        .collect();

    let (mut layer_funcs, mut calls) = (vec![], vec![]);
    for op in layer_list {
        let i = ops.iter().position(|&o| o == op).unwrap_or(0);
        let node = layer_names(m, op);
        let name = unique_symbol(&node, &mut used);
        let f = lower_layer(m, op, &name, &node, main, &layer_config(m, op, cfg))?;
        layer_funcs.push(f);
        calls.push((op, name, direct[i]));
    }

    let tmp = unique_symbol(&format!("{top_name}_top"), &mut used);
    let (mut b, args) = FnBuilder::new_function(m, &tmp, &params, main, loc.clone());
    let top = b.func;
    b.m.set_attr(top, dir::TOP, Attribute::Unit);
    b.m.set_attr(top, "arg_attrs", Attribute::Array(arg_attrs));
    let mut arrays: Vec<(ValueId, ValueId)> = inputs.iter().copied().zip(args.iter().copied()).collect();
    let lookup = |arrays: &[(ValueId, ValueId)], v: ValueId| arrays.iter().find(|(q, _)| *q == v).map(|(_, a)| *a);
    for (op, name, direct) in calls {
        let mut call_args = vec![];
        for &v in &b.m.op(op).operands.clone() {
            if layers::is_constant(b.m, v) {
                continue;
            }
            call_args.push(lookup(&arrays, v).ok_or_else(|| Diagnostic::error(b.m.op(op).loc.clone(), "operand defined after its use"))?);
        }
        let r = b.m.result(op, 0);
        let out = match direct {
            Some(j) => args[inputs.len() + j],
            None => {
                let t = array_type(b.m.ty(r)).unwrap_or(Type::F32);
                let a = fpgaopt_hls::ArrayType::from_type(&t).unwrap_or_else(|| fpgaopt_hls::ArrayType::new(vec![], Type::F32));
                b.alloca(&a.dims, a.elem, &format!("{name}_out"), true)
            }
        };
        call_args.push(out);
        arrays.push((r, out));
        b.build(fpgaopt_ir::builtin::CallOp::spec(b.loc.clone()).operands(call_args).attr("callee", Attribute::Symbol(name)));
    }
    // Results not written directly: copy (model inputs returned as they are, values also used inside).
    for (j, &v) in outputs.iter().enumerate() {
        let producer = b.m.def_op(v);
        if producer.is_some_and(|p| direct[ops.iter().position(|&o| o == p).unwrap_or(0)] == Some(j)) {
            continue;
        }
        let src = lookup(&arrays, v).ok_or_else(|| Diagnostic::error(loc.clone(), format!("result #{j} cannot be returned (constant results are not supported)")))?;
        let dst = args[inputs.len() + j];
        let dims = fpgaopt_hls::ArrayType::from_type(b.m.ty(dst)).map(|a| a.dims).unwrap_or_default();
        let saved = b.at;
        let ivs = b.loop_nest(&dims, LoopKind::Pipelined, &["i", "j", "k", "l"]);
        let x = b.load(src, &ivs);
        b.store(x, dst, &ivs);
        b.at = saved;
    }
    let loops = std::mem::take(&mut b.loops);
    drop(b);
    apply_directives(m, top, &loops, cfg, true);
    if !cfg.parallel && !is_dataflow_chain(m, top) {
        m.remove_attr(top, dir::DATAFLOW);
    }
    m.erase(main);
    m.set_attr(top, "sym_name", Attribute::str(top_name));
    Ok(())
}
