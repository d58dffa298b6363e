//! HLS directives: the discardable `hls.*` attributes on upstream `func.func` and `scf.for`.
//!
//! IRDL ops cannot hold regions that end in a terminator, so functions and loops are upstream ops and
//! the directives ride on them as attributes (as in ScaleHLS). [`verify_directives`] checks them; the
//! emitter calls it before printing anything.
//!
//! | where | attribute | meaning |
//! |---|---|---|
//! | `func.func` | `hls.top` (unit) | the top function; exactly one |
//! | `func.func` | `hls.inline` (unit) | `#pragma HLS INLINE` |
//! | `func.func`, `scf.for` | `hls.pipeline_ii = N` | `#pragma HLS PIPELINE II=N` |
//! | `func.func` | `hls.dataflow` (unit) | `#pragma HLS DATAFLOW` |
//! | `func.func` | `hls.layer = {name, op, ...}` | the layer this function implements (report.json) |
//! | `scf.for` | `hls.unroll = N` | `#pragma HLS UNROLL` (N = 0: fully) or `UNROLL factor=N` |
//! | `scf.for` | `hls.label = "s"` | the loop label in C++ |
//! | top argument | `hls.interface = "ap_vld"` | `#pragma HLS INTERFACE ap_vld port=x` |
//! | top argument | `hls.direction = "in"` or `"out"` | which arguments the testbench fills and reads |
//! | array argument | `hls.partition = "complete"`, `hls.partition_factor`, `hls.partition_dim` | `ARRAY_PARTITION` |

use fpgaopt_ir::builtin::{FuncOp, ForOp};
use fpgaopt_ir::{Attribute, Diagnostic, Module, OpId};

use crate::types::ArrayType;

pub const TOP: &str = "hls.top";
pub const INLINE: &str = "hls.inline";
pub const PIPELINE_II: &str = "hls.pipeline_ii";
pub const DATAFLOW: &str = "hls.dataflow";
pub const LAYER: &str = "hls.layer";
/// On a function: the cost estimate of a layer process or of the whole design (`{ii, latency_cycles, ...}`), for the report.
pub const ESTIMATE: &str = "hls.estimate";
pub const UNROLL: &str = "hls.unroll";
pub const LABEL: &str = "hls.label";
pub const INTERFACE: &str = "hls.interface";
pub const DIRECTION: &str = "hls.direction";
pub const PARTITION: &str = "hls.partition";
pub const PARTITION_FACTOR: &str = "hls.partition_factor";
pub const PARTITION_DIM: &str = "hls.partition_dim";

/// Port protocols accepted by `#pragma HLS INTERFACE` for the top function's arguments.
pub const INTERFACE_MODES: [&str; 11] =
    ["ap_none", "ap_vld", "ap_ack", "ap_hs", "ap_ovld", "ap_memory", "bram", "ap_fifo", "axis", "m_axi", "s_axilite"];

/// How an array is split into registers or memory banks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PartitionMode {
    Complete,
    Cyclic(i64),
    Block(i64),
}

/// An `ARRAY_PARTITION` directive: a mode and a dimension (0: all dimensions).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Partition {
    pub mode: PartitionMode,
    pub dim: i64,
}

impl Partition {
    /// Reads a mode name with its factor and dimension; `"none"` gives `None`.
    pub fn new(mode: &str, factor: Option<i64>, dim: Option<i64>) -> Result<Option<Partition>, String> {
        let dim = dim.unwrap_or(0);
        let need_factor = || match factor {
            Some(f) if f >= 2 => Ok(f),
            Some(f) => Err(format!("partition factor {f} must be at least 2")),
            None => Err(format!("a \"{mode}\" partition needs a factor")),
        };
        let mode = match mode {
            "none" | "complete" if factor.is_some() => return Err(format!("a \"{mode}\" partition takes no factor")),
            "none" => return Ok(None),
            "complete" => PartitionMode::Complete,
            "cyclic" => PartitionMode::Cyclic(need_factor()?),
            "block" => PartitionMode::Block(need_factor()?),
            other => return Err(format!("unknown partition mode \"{other}\" (expected none, complete, cyclic or block)")),
        };
        if dim < 0 {
            return Err(format!("partition dimension {dim} is negative"));
        }
        Ok(Some(Partition { mode, dim }))
    }

    /// Checks the dimension against the array's rank.
    pub fn check_rank(&self, rank: usize) -> Result<(), String> {
        if rank == 0 {
            return Err("a scalar variable cannot be partitioned".into());
        }
        if self.dim as usize > rank {
            return Err(format!("partition dimension {} exceeds the rank {rank}", self.dim));
        }
        Ok(())
    }

    /// The pragma arguments after `variable=x`: `complete dim=0` or `cyclic factor=4 dim=1`.
    pub fn pragma_args(&self) -> String {
        match self.mode {
            PartitionMode::Complete => format!("complete dim={}", self.dim),
            PartitionMode::Cyclic(f) => format!("cyclic factor={f} dim={}", self.dim),
            PartitionMode::Block(f) => format!("block factor={f} dim={}", self.dim),
        }
    }
}

/// True for a C identifier (`[A-Za-z_][A-Za-z0-9_]*`).
pub fn is_c_identifier(s: &str) -> bool {
    let mut c = s.chars();
    matches!(c.next(), Some(x) if x.is_ascii_alphabetic() || x == '_') && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// The argument attribute dictionaries of a function, one per argument (empty when absent).
pub fn arg_attrs(m: &Module, func: OpId) -> Vec<Vec<(String, Attribute)>> {
    let n = m.entry_block(func, 0).map_or(0, |b| m.block(b).args.len());
    let given = FuncOp(func).arg_attrs(m).and_then(Attribute::as_array).map(<[Attribute]>::to_vec).unwrap_or_default();
    (0..n)
        .map(|i| match given.get(i) {
            Some(Attribute::Dict(d)) => d.clone(),
            _ => vec![],
        })
        .collect()
}

/// Looks up a key in an attribute dictionary.
pub fn dict_get<'a>(d: &'a [(String, Attribute)], key: &str) -> Option<&'a Attribute> {
    d.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// The partition directive of a function argument.
pub fn arg_partition(d: &[(String, Attribute)]) -> Result<Option<Partition>, String> {
    let Some(mode) = dict_get(d, PARTITION) else {
        if dict_get(d, PARTITION_FACTOR).is_some() || dict_get(d, PARTITION_DIM).is_some() {
            return Err(format!("'{PARTITION_FACTOR}' and '{PARTITION_DIM}' need '{PARTITION}'"));
        }
        return Ok(None);
    };
    let mode = mode.as_str().ok_or_else(|| format!("'{PARTITION}' must be a string"))?;
    let int = |k: &str| match dict_get(d, k) {
        None => Ok(None),
        Some(a) => a.as_int().map(Some).ok_or_else(|| format!("'{k}' must be an integer")),
    };
    Partition::new(mode, int(PARTITION_FACTOR)?, int(PARTITION_DIM)?)
}

/// The top function (`hls.top`), or a diagnostic when there is none or more than one.
pub fn top_function(m: &Module) -> Result<OpId, Diagnostic> {
    let tops: Vec<OpId> = m.functions().into_iter().filter(|&f| m.attr(f, TOP).is_some()).collect();
    match tops[..] {
        [t] => Ok(t),
        [] => Err(Diagnostic::error(m.op(m.top()).loc.clone(), "no function is marked 'hls.top'")),
        [_, second, ..] => Err(Diagnostic::error(m.op(second).loc.clone(), "more than one function is marked 'hls.top'")),
    }
}

/// Checks every `hls.*` attribute on functions and loops; returns every problem found.
pub fn verify_directives(m: &Module) -> Result<(), Vec<Diagnostic>> {
    let mut errors = vec![];
    for op in m.collect(m.top()) {
        let is_func = m.is(op, FuncOp::def());
        let is_for = m.is(op, ForOp::def());
        let mut err = |msg: String| errors.push(Diagnostic::error(m.op(op).loc.clone(), format!("'{}' op {msg}", m.op(op).name())));
        for (k, v) in &m.op(op).attrs {
            if !k.starts_with("hls.") {
                continue;
            }
            if !is_func && !is_for {
                err(format!("directive '{k}' is only allowed on func.func and scf.for"));
                continue;
            }
            let ok = match k.as_str() {
                TOP | INLINE | DATAFLOW if is_func => check(matches!(v, Attribute::Unit), "a unit attribute"),
                PIPELINE_II => check(v.as_int().is_some_and(|n| n >= 1), "a positive integer"),
                UNROLL if is_for => check(v.as_int().is_some_and(|n| n >= 0), "a non-negative integer"),
                LABEL if is_for => check(v.as_str().is_some_and(is_c_identifier), "a C identifier"),
                LAYER if is_func => check_layer(v),
                ESTIMATE if is_func => check(matches!(v, Attribute::Dict(d) if d.iter().all(|(_, x)| x.as_int().is_some_and(|n| n >= 0))), "a dictionary of non-negative integers"),
                _ => Err(format!("unknown directive '{k}' on {}", m.op(op).name())),
            };
            if let Err(e) = ok {
                err(if e.starts_with("unknown") { e } else { format!("'{k}' must be {e}") });
            }
        }
        if is_for && m.attr(op, PIPELINE_II).is_some() && m.attr(op, UNROLL).is_some_and(|u| u.as_int() == Some(0)) {
            err("a loop cannot be both pipelined and fully unrolled".into());
        }
        if is_func {
            let is_top = m.attr(op, TOP).is_some();
            let args = m.entry_block(op, 0).map(|b| m.block(b).args.clone()).unwrap_or_default();
            for (i, d) in arg_attrs(m, op).iter().enumerate() {
                let arr = args.get(i).and_then(|&a| ArrayType::from_type(m.ty(a)));
                if let Err(e) = check_arg(d, is_top, arr.as_ref()) {
                    err(format!("argument #{i}: {e}"));
                }
            }
            if is_top {
                for (i, &a) in args.iter().enumerate() {
                    if arg_attrs(m, op).get(i).is_none_or(|d| dict_get(d, DIRECTION).is_none()) {
                        err(format!("argument #{i} of the top function needs '{DIRECTION}'"));
                    }
                    if ArrayType::from_type(m.ty(a)).is_none() {
                        err(format!("argument #{i} of the top function must be an array"));
                    }
                }
            }
        }
    }
    if let Err(e) = top_function(m) {
        errors.push(e);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(what.to_string())
    }
}

fn check_layer(v: &Attribute) -> Result<(), String> {
    let Attribute::Dict(d) = v else { return Err("a dictionary".into()) };
    for key in ["name", "op"] {
        if dict_get(d, key).and_then(Attribute::as_str).is_none() {
            return Err(format!("a dictionary with a string '{key}'"));
        }
    }
    Ok(())
}

fn check_arg(d: &[(String, Attribute)], is_top: bool, arr: Option<&ArrayType>) -> Result<(), String> {
    for (k, v) in d {
        match k.as_str() {
            INTERFACE | DIRECTION if !is_top => return Err(format!("'{k}' is only allowed on the top function")),
            INTERFACE => {
                let mode = v.as_str().ok_or_else(|| format!("'{k}' must be a string"))?;
                if !INTERFACE_MODES.contains(&mode) {
                    return Err(format!("unknown interface mode \"{mode}\" (expected one of {})", INTERFACE_MODES.join(", ")));
                }
            }
            DIRECTION if !matches!(v.as_str(), Some("in" | "out")) => {
                return Err(format!("'{k}' must be \"in\" or \"out\""));
            }
            DIRECTION | PARTITION | PARTITION_FACTOR | PARTITION_DIM => {}
            k if k.starts_with("hls.") => return Err(format!("unknown argument directive '{k}'")),
            _ => {}
        }
    }
    if let Some(p) = arg_partition(d)? {
        let arr = arr.ok_or("only array arguments can be partitioned")?;
        p.check_rank(arr.dims.len())?;
    }
    Ok(())
}
