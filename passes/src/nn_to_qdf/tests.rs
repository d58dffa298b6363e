//! Accuracy and behaviour of `nn-to-qdf`: the float model (nn reference evaluator) against the
//! quantized one (qdf reference interpreter) on random networks.

use fpgaopt_ir::builtin::{FuncOp, ReturnOp};
use fpgaopt_ir::pass::{Options, PassContext};
use fpgaopt_ir::{Attribute, DenseElements, InsertPoint, Location, Module, OpId, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf::interp::{self, Value};

use super::NN_TO_QDF;

/// A 64-bit LCG giving floats in [-1, 1).
pub(crate) struct Lcg(pub u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> f32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f64 / (1u64 << 23) as f64 - 1.0) as f32
    }

    pub(crate) fn vec(&mut self, n: usize, scale: f32) -> Vec<f32> {
        (0..n).map(|_| self.next() * scale).collect()
    }
}

/// Builds `@main` layer by layer.
pub(crate) struct Net {
    m: Module,
    block: fpgaopt_ir::BlockId,
    x: ValueId,
    rng: Lcg,
}

impl Net {
    pub(crate) fn new(shape: &[i64], seed: u64) -> Net {
        let mut m = Module::new(Location::Unknown);
        let ty = Type::tensor(shape.to_vec(), Type::F32);
        let body = m.body();
        let func = m.build(
            InsertPoint::End(body),
            FuncOp::spec(Location::named("main", None))
                .attr("sym_name", Attribute::str("main"))
                .attr("function_type", Attribute::Type(Type::function(vec![ty.clone()], vec![]))),
        );
        let region = m.op(func).regions[0];
        let block = m.add_block(region, &[ty]);
        let x = m.block(block).args[0];
        Net { m, block, x, rng: Lcg(seed) }
    }

    fn shape(&self) -> Vec<i64> {
        self.m.ty(self.x).shape().unwrap_or(&[]).to_vec()
    }

    fn constant(&mut self, shape: &[i64], scale: f32) -> ValueId {
        let n = shape.iter().product::<i64>() as usize;
        let vals = self.rng.vec(n, scale);
        let d = DenseElements::from_f32(shape, &vals);
        let at = InsertPoint::End(self.block);
        nn::Constant::build(&mut self.m, at, Location::Unknown, Type::tensor(shape.to_vec(), Type::F32), d).output(&self.m)
    }

    pub(crate) fn dense(&mut self, name: &str, n: i64) -> &mut Net {
        let mut shape = self.shape();
        let k = *shape.last().unwrap_or(&1);
        let w = self.constant(&[k, n], 2.0 / (k as f32).sqrt());
        let b = self.constant(&[n], 0.5);
        *shape.last_mut().expect("rank >= 1") = n;
        let at = InsertPoint::End(self.block);
        let ty = Type::tensor(shape, Type::F32);
        self.x = nn::Dense::build(&mut self.m, at, Location::named(name, None), self.x, w, b, ty).output(&self.m);
        self
    }

    pub(crate) fn unary(&mut self, name: &str, op: &str) -> &mut Net {
        let ty = self.m.ty(self.x).clone();
        let loc = Location::named(name, None);
        let at = InsertPoint::End(self.block);
        let x = self.x;
        self.x = match op {
            "relu" => nn::Relu::build(&mut self.m, at, loc, x, ty).output(&self.m),
            "sigmoid" => nn::Sigmoid::build(&mut self.m, at, loc, x, ty).output(&self.m),
            "tanh" => nn::Tanh::build(&mut self.m, at, loc, x, ty).output(&self.m),
            "leaky_relu" => nn::LeakyRelu::build(&mut self.m, at, loc, x, ty, 0.1).output(&self.m),
            "softmax" => {
                let axis = self.shape().len() as i64 - 1;
                nn::Softmax::build(&mut self.m, at, loc, x, ty, axis).output(&self.m)
            }
            "clip" => {
                let spec = nn::Clip::spec(loc).operands([x]).results([ty]).attr("min", Attribute::f64(-0.7)).attr("max", Attribute::f64(0.9));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
            other => panic!("unknown test op {other}"),
        };
        self
    }

    pub(crate) fn finish(&mut self) -> Module {
        let at = InsertPoint::End(self.block);
        ReturnOp::build(&mut self.m, at, Location::Unknown, vec![self.x]);
        let ret_ty = self.m.ty(self.x).clone();
        let in_ty = self.m.ty(self.m.block(self.block).args[0]).clone();
        let func = self.main();
        self.m.set_attr(func, "function_type", Attribute::Type(Type::function(vec![in_ty], vec![ret_ty])));
        fpgaopt_ir::verifier::verify(&self.m).expect("valid nn test module");
        self.m.clone()
    }

    fn main(&self) -> OpId {
        self.m.lookup_symbol("main").expect("@main")
    }
}

pub(crate) fn run_pass(m: &mut Module, opts: &[(&str, &str)]) -> Result<(), String> {
    let mut o = Options::default();
    for (k, v) in opts {
        o.set(k, v);
    }
    let registry = crate::dialects();
    let mut ctx = PassContext { registry: &registry, input_path: "test.mlir", remarks: vec![] };
    (NN_TO_QDF.run)(m, &o, &mut ctx).map_err(|d| d.to_string())?;
    fpgaopt_ir::verifier::verify(m).map_err(|e| e.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
}

/// Runs the float model and the quantized one on `n` random inputs; returns (reference, quantized).
fn compare(net: &mut Net, opts: &[(&str, &str)], n: usize, seed: u64) -> Vec<(Vec<f32>, Vec<f32>)> {
    let float = net.finish();
    let mut q = float.clone();
    run_pass(&mut q, opts).expect("nn-to-qdf succeeds");
    let shape = net.shape_of_input();
    let mut rng = Lcg(seed);
    let count = shape.iter().product::<i64>() as usize;
    (0..n)
        .map(|_| {
            let x = rng.vec(count, 3.0);
            let main_f = float.lookup_symbol("main").expect("@main");
            let r = nn::eval::run_function(&float, main_f, &[nn::eval::Tensor::new(shape.clone(), x.clone()).expect("input")])
                .expect("float model runs");
            let main_q = q.lookup_symbol("main").expect("@main");
            let y = interp::run_function(&q, main_q, &[Value::Float { shape: shape.clone(), data: x }]).expect("qdf model runs");
            let Value::Float { data, .. } = &y[0] else { panic!("dequantized output expected") };
            (r[0].data.clone(), data.clone())
        })
        .collect()
}

impl Net {
    pub(crate) fn shape_of_input(&self) -> Vec<i64> {
        self.m.ty(self.m.block(self.block).args[0]).shape().unwrap_or(&[]).to_vec()
    }
}

fn max_error(pairs: &[(Vec<f32>, Vec<f32>)]) -> f32 {
    pairs
        .iter()
        .map(|(r, q)| {
            let scale = r.iter().fold(1f32, |a, v| a.max(v.abs()));
            r.iter().zip(q).map(|(a, b)| (a - b).abs() / scale).fold(0f32, f32::max)
        })
        .fold(0f32, f32::max)
}

fn argmax(v: &[f32]) -> usize {
    v.iter().enumerate().fold(0, |best, (i, &x)| if x > v[best] { i } else { best })
}

#[test]
fn mlp_is_within_1e3_at_32_16() {
    for (seed, act, head) in [(1, "relu", "softmax"), (2, "tanh", "sigmoid"), (3, "leaky_relu", "clip"), (4, "sigmoid", "tanh"), (5, "relu", "relu")] {
        let mut net = Net::new(&[1, 64], seed);
        net.dense("fc1", 32).unary("a1", act).dense("fc2", 32).unary("a2", act).dense("fc3", 10).unary("out", head);
        let pairs = compare(&mut net, &[("precision", "fixed<32,16>")], 200, seed * 7);
        let e = max_error(&pairs);
        eprintln!("{act}/{head}: max relative error {e:.2e}");
        assert!(e < 1e-3, "{act}/{head}: relative error {e}");
    }
}

#[test]
fn softmax_mlp_argmax_agrees_at_the_default_precision() {
    let mut net = Net::new(&[1, 64], 11);
    net.dense("fc1", 32).unary("r1", "relu").dense("fc2", 32).unary("r2", "relu").dense("fc3", 10).unary("sm", "softmax");
    let pairs = compare(&mut net, &[], 1000, 5);
    let agree = pairs.iter().filter(|(r, q)| argmax(r) == argmax(q)).count();
    eprintln!("default precision: argmax agrees on {agree}/1000, max error {:.2e}", max_error(&pairs));
    assert!(agree >= 990, "argmax agrees on {agree}/1000");
    assert!(max_error(&pairs) < 2e-2, "error {}", max_error(&pairs));
}

#[test]
fn config_overrides_layer_types_and_rejects_unknown_layers() {
    let dir = std::env::temp_dir().join(format!("nn_to_qdf_cfg_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good = dir.join("good.json");
    std::fs::write(&good, r#"{"layers": {"fc1": {"result": "fixed<12,4>", "weight": "fixed<8,1>", "rounding": "RND", "overflow": "SAT"}}}"#)
        .expect("write config");
    let mut net = Net::new(&[1, 8], 3);
    net.dense("fc1", 4).unary("r1", "relu");
    let base = net.finish();
    let mut m = base.clone();
    run_pass(&mut m, &[("config", good.to_str().expect("utf-8 path"))]).expect("pass runs");
    let text = fpgaopt_ir::printer::print_module(&m, &Default::default());
    assert!(text.contains("tensor<8x4x!qdf.fixed<8, 1, true, \"TRN\", \"WRAP\">>"), "{text}");
    assert!(text.contains("-> tensor<1x4x!qdf.fixed<12, 4, true, \"RND\", \"SAT\">>"), "{text}");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"layers": {"fc9": {"result": "fixed<12,4>"}}}"#).expect("write config");
    let mut m = base.clone();
    let e = run_pass(&mut m, &[("config", bad.to_str().expect("utf-8 path"))]).unwrap_err();
    assert!(e.contains("config names layer 'fc9', which is not in the model (layers: fc1, r1)"), "{e}");
    let mut m = base.clone();
    assert!(run_pass(&mut m, &[("table-size", "1000")]).unwrap_err().contains("power of two"));
    assert!(run_pass(&mut m, &[("precision", "fixed<16>")]).unwrap_err().contains("invalid fixed-point type"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn accumulators_are_exact_at_the_extremes() {
    use fpgaopt_qdf::semantics::{self as sem, Tensor};
    use fpgaopt_qdf::FixedType;
    let mut net = Net::new(&[1, 16], 9);
    net.dense("fc1", 8);
    let mut m = net.finish();
    run_pass(&mut m, &[("precision", "fixed<8,3>")]).expect("pass runs");
    let main = m.lookup_symbol("main").expect("@main");
    let ops = m.block_ops(m.entry_block(main, 0).expect("body")).to_vec();
    let d = ops.iter().copied().find(|&o| m.op(o).name() == "qdf.dense").expect("qdf.dense");
    let acc = FixedType::from_type(m.attr(d, "acc_type").and_then(Attribute::as_type).expect("acc_type")).expect("fixed");
    let konst = |v: ValueId| {
        let c = fpgaopt_qdf::Constant::defining(&m, v).expect("constant operand");
        let d = c.value(&m);
        let ty = FixedType::of_tensor(m.ty(v)).expect("fixed");
        Tensor::new(ty, d.ty.shape().expect("shape"), (0..d.len()).map(|i| d.get_i64(i) as i128).collect())
    };
    let (w, b) = (konst(m.operand(d, 1)), konst(m.operand(d, 2)));
    let tx = FixedType::new(8, 3);
    let wide = FixedType::new(100, 60);
    // Inputs driving column j to its bound: x_k = sign(w_kj) * max|x| (min mantissa is -128).
    for j in 0..8 {
        for sign in [1i128, -1] {
            let x: Vec<i128> = (0..16).map(|k| if (w.data[k * 8 + j] >= 0) == (sign > 0) { 127 } else { -128 }).collect();
            let x = Tensor::new(tx, &[1, 16], x);
            assert_eq!(sem::dense(&x, &w, &b, acc, wide), sem::dense(&x, &w, &b, wide, wide), "column {j}, acc {acc}");
        }
    }
    // Value-based: narrower than hls4ml's W + I + ceil(log2 K) rule would be for 8-bit products.
    assert!(acc.width <= 8 + 8 + 4 + 1, "acc {acc}");
}
