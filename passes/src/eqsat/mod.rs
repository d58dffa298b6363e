//! `nn-eqsat`: equality saturation over the `nn` dialect with egg (see `docs/design/eqsat.md`).
//!
//! For each function whose body holds only `nn` ops: build the e-graph ([`convert::build`]), run
//! the rules of `dialects/nn/rules/*.rules` to saturation or a limit ([`saturate::saturate`]),
//! extract the cheapest form by [`crate::cost::CostModel`] and replace the body
//! ([`convert::extract`]). A remark per function reports the stop reason, the iterations, the
//! e-graph's size, the cost before and after, and how often each rule changed the e-graph.
//! Deterministic: the same input gives the same output.

pub mod convert;
pub mod extract;
pub mod guards;
pub mod lang;
pub mod models;
pub mod rules;
pub mod saturate;

use std::time::Duration;

use fpgaopt_ir::pass::{Options, PassContext, PassInfo, PassOption};
use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, Location, Module, OpId, Registry, Severity};

use crate::cost::CostModel;
use rules::{parse_rules, Rule};
use saturate::{saturate, Limits, Report};

const ITER_LIMIT: PassOption = PassOption { name: "iter-limit", help: "saturation iterations at most", default: "30" };
const NODE_LIMIT: PassOption = PassOption { name: "node-limit", help: "stop once the e-graph holds more e-nodes", default: "20000" };
const TIME_LIMIT: PassOption =
    PassOption { name: "time-limit", help: "stop after this many milliseconds (checked per iteration)", default: "1000" };
const RULES: PassOption = PassOption {
    name: "rules",
    help: "comma-separated rule groups of dialects/nn/rules (activation, cleanup, fold, layout, scale, spatial) or paths of .rules files; 'all' for every group",
    default: "all",
};

/// The `nn-eqsat` pass.
pub static NN_EQSAT: PassInfo = PassInfo {
    name: "nn-eqsat",
    summary: "equality saturation over nn: fold, fuse and move layers, extract the cheapest form",
    description: r#"Builds an e-graph (egg) of each function whose body holds only nn ops, applies
the rules of dialects/nn/rules/*.rules (one named rule per line; see docs/design/eqsat.md) until
nothing changes or a limit, and replaces the body by the cheapest equivalent form under the FPGA
cost model of passes/src/cost.rs (multipliers, adders, weight memory, dataflow stages).
The e-class analysis carries type, constant value (constants fold inside the e-graph with the
reference evaluator), value range and source locations. Rule groups: cleanup (exact
simplifications), fold (batch norms, constant Mul/Div/Add/Sub into dense weights and biases,
parallel dense layers), scale (per-channel scales across ReLU and dense, both directions),
activation (ReLU fused into nn.dense {activation = "relu"}). In functions holding quantizers only
rules exact in float32 fire (guards `real`, `exact-scale`). A remark per function:
`nn-eqsat: @f saturated|iteration limit|node limit|time limit after N iterations, C e-classes,
N e-nodes; cost A -> B; rules: name xK, ...`. Deterministic."#,
    options: &[ITER_LIMIT, NODE_LIMIT, TIME_LIMIT, RULES],
    run,
};

/// The rules named by the `rules` option: groups of `fpgaopt_nn::RULES` or `.rules` files.
pub fn load_rules(spec: &str, registry: &Registry) -> DiagResult<Vec<Rule>> {
    let mut out = vec![];
    for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item == "all" {
            for (name, text) in fpgaopt_nn::RULES {
                out.extend(parse_rules(text, &format!("dialects/nn/rules/{name}.rules"), registry)?);
            }
        } else if let Some((name, text)) = fpgaopt_nn::RULES.iter().find(|(n, _)| *n == item) {
            out.extend(parse_rules(text, &format!("dialects/nn/rules/{name}.rules"), registry)?);
        } else if item.ends_with(".rules") {
            let text = std::fs::read_to_string(item)
                .map_err(|e| Diagnostic::error(Location::Unknown, format!("cannot read rule file '{item}': {e}")))?;
            out.extend(parse_rules(&text, item, registry)?);
        } else {
            let groups: Vec<&str> = fpgaopt_nn::RULES.iter().map(|(n, _)| *n).collect();
            return Err(Diagnostic::error(
                Location::Unknown,
                format!("unknown rule group '{item}' (groups: {}, or a path ending in .rules)", groups.join(", ")),
            ));
        }
    }
    let mut names: Vec<&str> = out.iter().map(|r| r.name.as_str()).collect();
    names.sort();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(Diagnostic::error(Location::Unknown, format!("rule '{}' is loaded twice", w[0])));
    }
    Ok(out)
}

/// The limits given by the pass options.
fn limits(opts: &Options) -> DiagResult<Limits> {
    let n = |o: &PassOption| opts.get_int(o).map(|v| usize::try_from(v).unwrap_or(0));
    Ok(Limits { iterations: n(&ITER_LIMIT)?, nodes: n(&NODE_LIMIT)?, time: Duration::from_millis(n(&TIME_LIMIT)? as u64) })
}

/// True when a function holds a quantizer: its float32 arithmetic must stay bit-exact.
pub fn is_quantized(m: &Module, func: OpId) -> bool {
    m.collect(func).into_iter().any(|o| {
        matches!(m.op(o).name(), "nn.quant" | "nn.bipolar_quant" | "nn.trunc" | "nn.qdq" | "nn.quantize_linear")
    })
}

/// What one function's run did.
pub struct FunctionReport {
    pub report: Report,
    pub classes: usize,
    pub nodes: usize,
    pub cost_before: f64,
    pub cost_after: f64,
}

/// Runs equality saturation on one function; `None` if it holds ops outside `nn`.
pub fn run_function(m: &mut Module, func: OpId, rules: &[Rule], limits: &Limits, registry: &Registry) -> Option<FunctionReport> {
    let quantized = is_quantized(m, func);
    let model = CostModel { width: if quantized { 8 } else { 32 } };
    let mut built = convert::build(m, func, quantized)?;
    let report = saturate(&mut built.graph, rules, limits);
    let cost_before = convert::ir_cost(m, func, model);
    convert::extract(&built, m, func, registry, model);
    let cost_after = convert::ir_cost(m, func, model);
    Some(FunctionReport {
        report,
        classes: built.graph.number_of_classes(),
        nodes: built.graph.total_number_of_nodes(),
        cost_before,
        cost_after,
    })
}

fn run(m: &mut Module, opts: &Options, ctx: &mut PassContext<'_>) -> DiagResult<()> {
    let rules = load_rules(opts.get(&RULES), ctx.registry)?;
    let limits = limits(opts)?;
    for f in m.functions() {
        let name = m.attr(f, "sym_name").and_then(Attribute::as_str).unwrap_or("?").to_string();
        let loc = m.op(f).loc.clone();
        let Some(r) = run_function(m, f, &rules, &limits, ctx.registry) else { continue };
        let fired: Vec<String> =
            r.report.applied.iter().filter(|(_, n)| *n > 0).map(|(name, n)| format!("{name} x{n}")).collect();
        let mut d = Diagnostic::error(
            loc,
            format!(
                "nn-eqsat: @{name} {} after {} iterations, {} e-classes, {} e-nodes; cost {:.0} -> {:.0}; rules: {}",
                r.report.stop.describe(),
                r.report.iterations,
                r.classes,
                r.nodes,
                r.cost_before,
                r.cost_after,
                if fired.is_empty() { "none".to_string() } else { fired.join(", ") }
            ),
        );
        d.severity = Severity::Remark;
        ctx.remarks.push(d);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
