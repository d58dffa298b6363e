//! Rule tests in egg's style (`input => expected` must end up in one e-class), rule-file errors,
//! determinism, and semantics: random float and quantized models compute the same before and after.

use egg::{EGraph, Id};
use fpgaopt_ir::parser::{parse_module, parse_type};
use fpgaopt_ir::pass::{Options, PassContext};
use fpgaopt_ir::printer::{print_module, PrintOptions};
use fpgaopt_ir::{Attribute, Module};
use fpgaopt_nn::eval::{run_function, Tensor};

use super::lang::{Node, NnAnalysis, NnGraph, ARG};
use super::rules::{parse_rules, SlotKind};
use super::saturate::{add_term, saturate, Limits};
use super::models::{random_model, Rng};
use super::*;

fn registry() -> fpgaopt_ir::Registry {
    crate::dialects()
}

fn limits() -> Limits {
    Limits { iterations: 30, nodes: 50_000, time: Duration::from_secs(10) }
}

/// Saturates `input` (a term whose variables are function arguments of the given types, in order
/// of first appearance) with every rule; true when `expected` lands in the input's class.
fn equivalent(types: &[&str], case: &str, quantized: bool) -> bool {
    let r = registry();
    let case_rule = &parse_rules(&format!("case: {case}"), "case", &r).expect("test case parses")[0];
    let rules = load_rules("all", &r).expect("rules load");
    let mut g: NnGraph = EGraph::new(NnAnalysis { quantized, ..NnAnalysis::default() });
    let mut args: Vec<Option<Id>> = vec![];
    let mut next = 0;
    for (_, kind) in &case_rule.slots {
        if *kind != SlotKind::Class {
            args.push(None);
            continue;
        }
        let ty = parse_type(types[next], &r).expect("type parses");
        let attrs = vec![("index".into(), Attribute::i64(next as i64)), ("type".into(), Attribute::Type(ty))];
        let attrs = g.analysis.attrs.intern(attrs);
        args.push(Some(g.add(Node { op: ARG, attrs, children: vec![] })));
        next += 1;
    }
    let a = add_term(&mut g, case_rule, &case_rule.lhs, &args).expect("input type-checks");
    let a2 = case_rule.pair.as_ref().map(|(l, _)| add_term(&mut g, case_rule, l, &args).expect("second input type-checks"));
    // The input terms stand for the input function: every class holds an original op.
    let ids: Vec<Id> = g.classes().map(|c| c.id).collect();
    for (order, id) in ids.into_iter().enumerate() {
        let op = g[id].nodes[0].op;
        g[id].data.origins.add(op, order as u32, fpgaopt_ir::Location::Unknown);
    }
    saturate(&mut g, &rules, &limits());
    let b = add_term(&mut g, case_rule, &case_rule.rhs, &args).expect("expected type-checks");
    let b2 = case_rule.pair.as_ref().map(|(_, r)| add_term(&mut g, case_rule, r, &args).expect("second expected type-checks"));
    g.rebuild();
    g.find(a) == g.find(b) && a2.zip(b2).is_none_or(|(a2, b2)| g.find(a2) == g.find(b2))
}

const X14: &str = "tensor<1x4xf32>";
const C4: &str = "(nn.constant {value=dense<[0.5, 2.0, 4.0, 0.25]> : tensor<4xf32>})";
const N4: &str = "(nn.constant {value=dense<[0.3, 1.7, 2.9, 0.1]> : tensor<4xf32>})";
const W43: &str = "(nn.constant {value=dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [1.5, 2.5, 3.5]]> : tensor<4x3xf32>})";
const B3: &str = "(nn.constant {value=dense<[0.1, 0.2, 0.3]> : tensor<3xf32>})";

fn dense(x: &str) -> String {
    format!("(nn.dense {x} {W43} {B3})")
}

/// One line per rule: input => expected, in float functions (and whether it also holds quantized).
#[test]
fn rules_rewrite_as_stated() {
    let bn3 = |x: &str| {
        format!("(nn.batch_norm {{epsilon=0.0}} {x} {B3} {B3} (nn.constant {{value=dense<[0.0, 1.0, -1.0]> : tensor<3xf32>}}) (nn.constant {{value=dense<[1.0, 4.0, 0.25]> : tensor<3xf32>}}))")
    };
    let v4 = "(nn.constant {value=dense<[1.0, 4.0, 0.25, 16.0]> : tensor<4xf32>})";
    let bn4 = format!("(nn.batch_norm {{epsilon=0.0}} ?x {C4} {N4} {N4} {v4})");
    // 1 / sqrt(var) of the two batch norms, exact
    let (r3, r4) = ("(nn.constant {value=dense<[1.0, 0.5, 2.0]> : tensor<3xf32>})", "(nn.constant {value=dense<[1.0, 0.5, 2.0, 0.25]> : tensor<4xf32>})");
    let cases: Vec<(&str, String, bool)> = vec![
        ("relu-relu", "(nn.relu (nn.relu ?x)) => (nn.relu ?x)".into(), true),
        ("relu-of-nonneg", "(nn.relu (nn.sigmoid ?x)) => (nn.sigmoid ?x)".into(), true),
        ("reshape-identity", "(nn.reshape {result=tensor<1x4xf32>} ?x) => ?x".into(), true),
        (
            "reshape-reshape",
            "(nn.reshape {result=tensor<4xf32>} (nn.reshape {result=tensor<2x2xf32>} ?x)) => (nn.reshape {result=tensor<4xf32>} ?x)".into(),
            true,
        ),
        ("flatten-identity", "(nn.flatten {axis=1} ?x) => ?x".into(), true),
        ("mul-one", "(nn.mul ?x (nn.constant {value=dense<1.0> : tensor<4xf32>})) => ?x".into(), true),
        ("add-zero", "(nn.add ?x (nn.constant {value=dense<0.0> : tensor<4xf32>})) => ?x".into(), true),
        ("sub-to-add", format!("(nn.sub ?x {C4}) => (nn.add ?x (nn.constant {{value=dense<[-0.5, -2.0, -4.0, -0.25]> : tensor<4xf32>}}))"), true),
        ("add-commute", "(nn.add ?x (nn.relu ?x)) => (nn.add (nn.relu ?x) ?x)".into(), true),
        ("fuse-relu-into-dense", format!("(nn.relu {}) => (nn.dense {{activation=\"relu\"}} ?x {W43} {B3})", dense("?x")), true),
        (
            "fold-bn-into-dense",
            format!("{} => (nn.dense ?x (nn.mul {W43} (nn.mul {B3} {r3})) (nn.add (nn.mul (nn.sub {B3} (nn.constant {{value=dense<[0.0, 1.0, -1.0]> : tensor<3xf32>}})) (nn.mul {B3} {r3})) {B3}))", bn3(&dense("?x"))),
            false,
        ),
        (
            "fold-bn-into-next-dense",
            format!("{} => (nn.dense ?x (nn.mul {W43} (nn.reshape {{result=tensor<4x1xf32>}} (nn.mul {C4} {r4}))) (nn.add {B3} (nn.matmul (nn.sub {N4} (nn.mul {N4} (nn.mul {C4} {r4}))) {W43})))", dense(&bn4)),
            false,
        ),
        ("add-into-dense-bias", format!("(nn.add {} {B3}) => (nn.dense ?x {W43} (nn.add {B3} {B3}))", dense("?x")), false),
        ("mul-into-dense", format!("(nn.mul {} {B3}) => (nn.dense ?x (nn.mul {W43} {B3}) (nn.mul {B3} {B3}))", dense("?x")), false),
        (
            "mul-into-dense (power of two)",
            format!("(nn.mul {} (nn.constant {{value=dense<2.0> : tensor<3xf32>}})) => (nn.dense ?x (nn.add {W43} {W43}) (nn.add {B3} {B3}))", dense("?x")),
            true,
        ),
        ("mul-into-dense-input", format!("{} => (nn.dense ?x (nn.mul {W43} (nn.reshape {{result=tensor<4x1xf32>}} {C4})) {B3})", dense(&format!("(nn.mul ?x {C4})"))), true),
        ("add-into-dense-input", format!("{} => (nn.dense ?x {W43} (nn.add {B3} (nn.matmul {N4} {W43})))", dense(&format!("(nn.add ?x {N4})"))), false),
        ("mul-mul", format!("(nn.mul (nn.mul ?x {N4}) {N4}) => (nn.mul ?x (nn.mul {N4} {N4}))"), false),
        ("mul-mul (power of two)", format!("(nn.mul (nn.mul ?x {N4}) {C4}) => (nn.mul ?x (nn.mul {N4} {C4}))"), true),
        ("add-add", format!("(nn.add (nn.add ?x {N4}) {C4}) => (nn.add ?x (nn.add {N4} {C4}))"), false),
        ("div-to-mul", format!("(nn.div ?x {N4}) => (nn.mul ?x (nn.div (nn.constant {{value=dense<1.0> : tensor<4xf32>}}) {N4}))"), false),
        ("div-to-mul (power of two)", format!("(nn.div ?x {C4}) => (nn.mul ?x (nn.constant {{value=dense<[2.0, 0.5, 0.25, 4.0]> : tensor<4xf32>}}))"), true),
        ("merge-parallel-dense", format!("(nn.add {} {}) => (nn.dense ?x (nn.add {W43} {W43}) (nn.add {B3} {B3}))", dense("?x"), dense("(nn.relu ?x)").replace("(nn.relu ?x)", "?x")), false),
        ("mul-past-relu", format!("(nn.relu (nn.mul ?x {C4})) => (nn.mul (nn.relu ?x) {C4})"), true),
        ("mul-before-relu", format!("(nn.mul (nn.relu ?x) {C4}) => (nn.relu (nn.mul ?x {C4}))"), true),
    ];
    let x4 = "tensor<1x2x4x4xf32>";
    let s2 = "(nn.constant {value=dense<[[[2.0]], [[0.75]]]> : tensor<2x1x1xf32>})";
    let conv = "nn.conv {dilations=[1, 1], group=1, pads=[0, 0, 0, 0], strides=[1, 1]}";
    let (w, b) = ("(nn.constant {value=dense<[[[[1.5]], [[2.0]]]]> : tensor<1x2x1x1xf32>})", "(nn.constant {value=dense<1.0> : tensor<1xf32>})");
    let pool = "nn.max_pool {ceil_mode=false, dilations=[1, 1], kernel_shape=[2, 2], pads=[0, 0, 0, 0], strides=[2, 2]}";
    let spatial: Vec<(&str, String, bool)> = vec![
        ("identity-removal", "(nn.identity ?x) => ?x".into(), true),
        ("dropout-removal", "(nn.dropout ?x) => ?x".into(), true),
        ("cast-removal", "(nn.cast {to=f32} ?x) => ?x".into(), true),
        ("transpose-transpose", "(nn.transpose {perm=[0, 3, 1, 2]} (nn.transpose {perm=[0, 2, 3, 1]} ?x)) => ?x".into(), true),
        ("transpose-past-relu", "(nn.relu (nn.transpose {perm=[0, 1, 3, 2]} ?x)) => (nn.transpose {perm=[0, 1, 3, 2]} (nn.relu ?x))".into(), true),
        ("mul-past-max-pool", format!("({pool} (nn.mul ?x {s2})) => (nn.mul ({pool} ?x) {s2})"), true),
        ("mul-before-max-pool", format!("(nn.mul ({pool} ?x) {s2}) => ({pool} (nn.mul ?x {s2}))"), true),
        ("relu-past-max-pool", format!("({pool} (nn.relu ?x)) => (nn.relu ({pool} ?x))"), true),
        (
            "mul-into-conv-input",
            format!("({conv} (nn.mul ?x {s2}) {w} {b}) => ({conv} ?x (nn.mul {w} (nn.reshape {{result=tensor<1x2x1x1xf32>}} {s2})) {b})"),
            false,
        ),
    ];
    for (name, case, exact) in &spatial {
        assert!(equivalent(&[x4], case, false), "{name} (float): {case}");
        assert_eq!(equivalent(&[x4], case, true), *exact, "{name} (quantized): {case}");
    }
    let halves = "(nn.concat {axis=1} (nn.slice {axis=-1, start=0, size=1} ?x) (nn.slice {axis=-1, start=1, size=3} ?x)) => ?x";
    let cases = cases.into_iter().chain([("concat-slices", halves.to_string(), true)]).collect::<Vec<_>>();
    for (name, case, exact) in &cases {
        assert!(equivalent(&[X14], case, false), "{name} (float): {case}");
        assert_eq!(equivalent(&[X14], case, true), *exact, "{name} (quantized) should fire: {exact}: {case}");
    }
}

#[test]
fn guards_block_what_is_not_exact() {
    let neg = "(nn.constant {value=dense<[0.5, -2.0, 4.0, 0.25]> : tensor<4xf32>})";
    assert!(!equivalent(&[X14], &format!("(nn.relu (nn.mul ?x {neg})) => (nn.mul (nn.relu ?x) {neg})"), false));
    assert!(!equivalent(&[X14], "(nn.relu ?x) => ?x", false));
    let act = format!("(nn.relu (nn.dense {{activation=\"relu\"}} ?x {W43} {B3})) => (nn.dense ?x {W43} {B3})");
    assert!(!equivalent(&[X14], &act, false));
    // overlapping slices of the right total size are not the whole tensor
    let overlap = "(nn.concat {axis=1} (nn.slice {axis=-1, start=0, size=2} ?x) (nn.slice {axis=-1, start=1, size=2} ?x)) => ?x";
    assert!(!equivalent(&[X14], overlap, false));
}

/// Multi-pattern rules: both roots end up with their slices of the merged layer; layers whose
/// attributes differ, or that read different inputs, stay apart.
#[test]
fn parallel_layers_merge() {
    let w2 = "(nn.constant {value=dense<[[0.5], [1.0], [2.0], [4.0]]> : tensor<4x1xf32>})";
    let b2 = "(nn.constant {value=dense<[0.25]> : tensor<1xf32>})";
    let w12 = "(nn.constant {value=dense<[[1.0, 2.0, 3.0, 0.5], [4.0, 5.0, 6.0, 1.0], [7.0, 8.0, 9.0, 2.0], [1.5, 2.5, 3.5, 4.0]]> : tensor<4x4xf32>})";
    let b12 = "(nn.constant {value=dense<[0.1, 0.2, 0.3, 0.25]> : tensor<4xf32>})";
    let merged = |a: &str| format!("(nn.dense {a} ?x {w12} {b12})");
    let case = |a1: &str, a2: &str, y: &str| {
        format!(
            "(nn.dense {a1} {y} {W43} {B3}), (nn.dense {a2} ?x {w2} {b2}) => (nn.slice {{axis=-1, start=0, size=3}} {m}), (nn.slice {{axis=-1, start=3, size=1}} {m})",
            m = merged(a1)
        )
    };
    for quantized in [false, true] {
        assert!(equivalent(&[X14], &case("", "", "?x"), quantized), "quantized {quantized}");
        assert!(equivalent(&[X14], &case("{activation=\"relu\"}", "{activation=\"relu\"}", "?x"), quantized));
    }
    assert!(!equivalent(&[X14], &case("{activation=\"relu\"}", "", "?x"), false));
    assert!(!equivalent(&[X14], &case("", "", "(nn.relu ?x)"), false));
}

fn load_err(text: &str) -> String {
    match parse_rules(text, "bad.rules", &registry()) {
        Ok(_) => panic!("accepted: {text}"),
        Err(d) => format!("{}: {}", d.loc.to_string(), d.message),
    }
}

#[test]
fn malformed_rule_files_name_file_and_line() {
    let cases = [
        ("ok: (nn.relu ?x) => ?x\n\nbad (nn.relu ?x) => ?x", "\"bad.rules\":3:5", "expected ':'"),
        ("a: (nn.frob ?x) => ?x", ":1:5", "unknown nn op 'nn.frob'"),
        ("a: (nn.relu ?x ?y) => ?x", ":1:", "'nn.relu' takes 1 operands, got 2"),
        ("a: (nn.relu ?x) => ?y", ":1:", "'?y' is not bound"),
        ("a: (nn.relu {alpha=1.0} ?x) => ?x", ":1:", "has no attribute 'alpha'"),
        ("a: (nn.relu ?x) => ?x if shiny(?x)", ":1:", "unknown guard 'shiny'"),
        ("a: (nn.relu ?x) => (@nope ?x)", ":1:", "unknown function '@nope'"),
        ("a: (nn.relu ?x) => ?x\na: (nn.tanh ?x) => ?x", ":2:", "defined twice"),
        ("a: ?x => ?x", ":1:", "must be an op"),
        ("a: (nn.leaky_relu {alpha=1.0e-1 ?x) => ?x", ":1:", "unterminated attribute dictionary"),
        ("a: (nn.leaky_relu {alpha=1.0e-1 x} ?x) => ?x", ":1:", "bad attribute value '1.0e-1 x'"),
        ("a: (nn.relu ?x) => ?x extra", ":1:", "unexpected 'extra'"),
        ("a: (nn.relu ?x), (nn.tanh ?x) => ?x", ":1:", "needs two right-hand sides"),
        ("a: (nn.relu ?x) => ?x, ?x", ":1:", "needs a second left-hand pattern"),
        ("a: (nn.relu ?x), ?y => ?x, ?x", ":1:", "second left-hand pattern must be an op"),
    ];
    for (text, at, msg) in cases {
        let e = load_err(text);
        assert!(e.contains(at) && e.contains(msg), "{text}: got {e}");
    }
    assert!(load_rules("nope", &registry()).is_err());
}

fn run_pass(m: &mut Module, opts: &Options) -> Vec<String> {
    let r = registry();
    let mut ctx = PassContext { registry: &r, input_path: "t.mlir", remarks: vec![] };
    (NN_EQSAT.run)(m, opts, &mut ctx).expect("pass runs");
    fpgaopt_ir::verifier::verify(m).expect("valid after nn-eqsat");
    ctx.remarks.into_iter().map(|d| d.message).collect()
}

fn inputs(width: usize, seed: u64) -> Vec<Tensor> {
    let mut r = Rng(seed);
    vec![Tensor { shape: vec![1, width as i64], data: (0..width).map(|_| r.next()).collect() }]
}

/// Float models: equal within 1e-4 relative (folds change float32 rounding by a few ulp);
/// quantized models: bit for bit. The rules fire (cost goes down, fewer ops).
#[test]
fn random_models_keep_their_meaning() {
    for (seed, quantized) in [(1u64, false), (2, false), (3, true), (4, true)] {
        let text = random_model(6, 8, seed, quantized);
        let mut m = parse_module(&text, "model.mlir", &registry()).expect("model parses");
        let f = m.functions()[0];
        let ops_before = m.count_ops(f);
        let mut worst = 0f32;
        let samples: Vec<Vec<Tensor>> = (0..20).map(|i| inputs(8, seed * 100 + i)).collect();
        let before: Vec<Vec<Tensor>> = samples.iter().map(|x| run_function(&m, f, x).expect("runs")).collect();
        let remarks = run_pass(&mut m, &Options::default());
        assert!(remarks[0].contains("saturated"), "{remarks:?}");
        assert!(m.count_ops(f) < ops_before, "seed {seed}: {}", print_module(&m, &PrintOptions::default()));
        for (x, b) in samples.iter().zip(&before) {
            let a = run_function(&m, f, x).expect("runs after");
            for (p, q) in b[0].data.iter().zip(&a[0].data) {
                if quantized {
                    assert_eq!(p.to_bits(), q.to_bits(), "seed {seed}: {p} vs {q}");
                } else {
                    worst = worst.max((p - q).abs() / p.abs().max(1.0));
                }
            }
        }
        assert!(worst <= 1e-4, "seed {seed}: relative error {worst}");
    }
}

#[test]
fn deterministic_output() {
    let text = random_model(9, 6, 7, false);
    let once = || {
        let mut m = parse_module(&text, "model.mlir", &registry()).expect("parses");
        let remarks = run_pass(&mut m, &Options::default());
        (print_module(&m, &PrintOptions::default()), remarks)
    };
    let a = once();
    assert_eq!(a, once());
}

#[test]
fn limits_are_reported() {
    let text = random_model(3, 4, 5, false);
    let mut m = parse_module(&text, "model.mlir", &registry()).expect("parses");
    let mut opts = Options::default();
    opts.set("iter-limit", "1");
    let remarks = run_pass(&mut m, &opts);
    assert!(remarks[0].contains("@main iteration limit after 1 iterations"), "{remarks:?}");
    let mut m = parse_module(&text, "model.mlir", &registry()).expect("parses");
    opts.set("iter-limit", "30");
    opts.set("node-limit", "10");
    assert!(run_pass(&mut m, &opts)[0].contains("node limit"));
}

#[test]
fn attribute_and_layout_functions() {
    use super::guards::{attr_function, function, ArgVal};
    let attr = |v: &[i64]| ArgVal { attr: Some(Attribute::i64_array(v)), ..ArgVal::default() };
    let compose = attr_function("compose-perms").expect("exists");
    assert_eq!((compose.eval)(&[attr(&[0, 2, 3, 1]), attr(&[0, 3, 1, 2])]), Some(Attribute::i64_array(&[0, 1, 2, 3])));
    let pads = attr_function("conv-pads").expect("exists");
    assert_eq!((pads.eval)(&[attr(&[1, 0, 1, 0]), attr(&[0, 0, 2, 1, 0, 0, 2, 1])]), Some(Attribute::i64_array(&[3, 1, 3, 1])));
    assert_eq!((pads.eval)(&[attr(&[0, 0, 0, 0]), attr(&[0, 1, 0, 0, 0, 0, 0, 0])]), None, "channel padding does not fold");
    // c of shape [3, 1] read against transpose(x, [1, 0]) (x: [1, 3]) is [1, 3] against x
    let c = Tensor { shape: vec![3, 1], data: vec![1.0, 2.0, 3.0] };
    let un = function("untranspose").expect("exists");
    let got = (un.eval)(&[ArgVal { value: Some(c.into()), ..ArgVal::default() }, attr(&[1, 0])]).expect("computes");
    assert_eq!((got.shape, got.data), (vec![1, 3], vec![1.0, 2.0, 3.0]));
    let t = Tensor { shape: vec![2, 3], data: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0] };
    let got = (un.eval)(&[ArgVal { value: Some(t.into()), ..ArgVal::default() }, attr(&[1, 0])]).expect("computes");
    assert_eq!((got.shape, got.data), (vec![3, 2], vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]));
}

/// A quantized function with every spatial and layout rule's pattern: all of them exact, so the
/// reference interpreter's outputs stay bit for bit.
#[test]
fn quantized_spatial_model_stays_bit_exact() {
    let text = r#"
func.func @main(%x: tensor<1x2x6x6xf32>) -> tensor<1x3x2x2xf32> {
  %qs = "nn.constant"() {value = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %qz = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q0 = "nn.quant"(%x, %qs, %qz) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2x6x6xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x6x6xf32>
  %t0 = "nn.transpose"(%q0) {perm = [0, 2, 3, 1]} : (tensor<1x2x6x6xf32>) -> tensor<1x6x6x2xf32>
  %r0 = "nn.relu"(%t0) : (tensor<1x6x6x2xf32>) -> tensor<1x6x6x2xf32>
  %t1 = "nn.transpose"(%r0) {perm = [0, 3, 1, 2]} : (tensor<1x6x6x2xf32>) -> tensor<1x2x6x6xf32>
  %s = "nn.constant"() {value = dense<[[[2.0]], [[0.5]]]> : tensor<2x1x1xf32>} : () -> tensor<2x1x1xf32>
  %m = "nn.mul"(%t1, %s) : (tensor<1x2x6x6xf32>, tensor<2x1x1xf32>) -> tensor<1x2x6x6xf32>
  %p = "nn.max_pool"(%m) {ceil_mode = false, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  %pad = "nn.pad"(%p) {pads = [0, 0, 1, 1, 0, 0, 0, 0], value = 0.0} : (tensor<1x2x3x3xf32>) -> tensor<1x2x4x4xf32>
  %w = "nn.constant"() {value = dense<[0.5, -0.25, 0.75, 1.0, -0.5, 0.25, 0.125, -1.0, 0.5, 0.25, -0.75, 0.5, 1.0, 0.25, -0.125, 0.5, -0.5, 0.75, 0.25, 1.0, -0.25, 0.5, 0.125, -0.5]> : tensor<24xf32>} : () -> tensor<24xf32>
  %w4 = "nn.reshape"(%w) : (tensor<24xf32>) -> tensor<3x2x2x2xf32>
  %b = "nn.constant"() {value = dense<[0.125, -0.25, 0.5]> : tensor<3xf32>} : () -> tensor<3xf32>
  %c = "nn.conv"(%pad, %w4, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x4x4xf32>, tensor<3x2x2x2xf32>, tensor<3xf32>) -> tensor<1x3x3x3xf32>
  %i = "nn.identity"(%c) : (tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %p2 = "nn.max_pool"(%i) {ceil_mode = false, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x3x3xf32>) -> tensor<1x3x2x2xf32>
  %q1 = "nn.quant"(%p2, %qs, %qz) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x3x2x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x3x2x2xf32>
  func.return %q1 : tensor<1x3x2x2xf32>
}
"#;
    let mut m = parse_module(text, "spatial.mlir", &registry()).expect("parses");
    let f = m.functions()[0];
    let samples: Vec<Vec<Tensor>> = (0..20)
        .map(|i| {
            let mut r = Rng(1000 + i);
            vec![Tensor { shape: vec![1, 2, 6, 6], data: (0..72).map(|_| r.next()).collect() }]
        })
        .collect();
    let before: Vec<Vec<Tensor>> = samples.iter().map(|x| run_function(&m, f, x).expect("runs")).collect();
    let remarks = run_pass(&mut m, &Options::default());
    for rule in ["transpose-transpose", "transpose-identity", "mul-past-max-pool", "fold-pad-into-conv", "identity-removal"] {
        assert!(remarks[0].contains(&format!("{rule} x")), "{rule}: {remarks:?}");
    }
    let names: Vec<&str> = m.block_ops(m.entry_block(f, 0).expect("body")).iter().map(|&o| m.op(o).name()).collect();
    assert!(!names.iter().any(|n| ["nn.transpose", "nn.pad", "nn.identity"].contains(n)), "{names:?}");
    for (x, b) in samples.iter().zip(&before) {
        let a = run_function(&m, f, x).expect("runs after");
        assert_eq!(b[0].data.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), a[0].data.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
    }
}
