//! `qdf-narrow` on random networks through `nn-to-qdf`: the qdf interpreter's outputs are
//! bit-identical before and after the pass, on inputs inside and far beyond the input type's range.

use fpgaopt_ir::pass::{Options, PassContext};
use fpgaopt_ir::{Attribute, Module};
use fpgaopt_qdf::interp::{self, Value};
use fpgaopt_qdf::FixedType;

use super::QDF_NARROW;
use crate::nn_to_qdf::tests::{run_pass, Lcg, Net};

fn narrow(m: &mut Module) {
    let registry = crate::dialects();
    let mut ctx = PassContext { registry: &registry, input_path: "test.mlir", remarks: vec![] };
    (QDF_NARROW.run)(m, &Options::default(), &mut ctx).expect("qdf-narrow runs");
    fpgaopt_ir::verifier::verify(m).expect("narrowed IR verifies");
}

fn outputs(m: &Module, shape: &[i64], x: &[f32]) -> Vec<u32> {
    let main = m.lookup_symbol("main").expect("@main");
    let y = interp::run_function(m, main, &[Value::Float { shape: shape.to_vec(), data: x.to_vec() }]).expect("runs");
    let Value::Float { data, .. } = &y[0] else { panic!("float output expected") };
    data.iter().map(|v| v.to_bits()).collect()
}

/// Sum of the widths of every fixed-point result and accumulator type in `@main`.
fn total_bits(m: &Module) -> u32 {
    let main = m.lookup_symbol("main").expect("@main");
    let body = m.entry_block(main, 0).expect("body");
    let mut bits = 0;
    for &op in m.block_ops(body) {
        if let Some(&r) = m.op(op).results.first() {
            bits += FixedType::of_tensor(m.ty(r)).map_or(0, |t| t.width);
        }
        bits += m.attr(op, "acc_type").and_then(Attribute::as_type).and_then(FixedType::from_type).map_or(0, |t| t.width);
    }
    bits
}

#[test]
fn random_networks_are_bit_identical_and_narrower() {
    let precisions = ["fixed<16,6>", "fixed<8,3,RND,SAT>", "fixed<6,2,RND_CONV,SAT_SYM>", "fixed<10,4,TRN_ZERO,WRAP>"];
    let nets: [(&str, &str); 5] = [("relu", "softmax"), ("tanh", "sigmoid"), ("leaky_relu", "clip"), ("sigmoid", "relu"), ("relu", "tanh")];
    for (seed, (act, head)) in nets.iter().enumerate() {
        for p in precisions {
            let mut net = Net::new(&[1, 16], seed as u64 + 1);
            net.dense("fc1", 12).unary("a1", act).dense("fc2", 8).unary("a2", act).dense("fc3", 4).unary("out", head);
            let shape = net.shape_of_input();
            let mut before = net.finish();
            run_pass(&mut before, &[("precision", p)]).expect("nn-to-qdf");
            let mut after = before.clone();
            narrow(&mut after);
            assert!(total_bits(&after) <= total_bits(&before), "{act}/{head} at {p}");
            // A second run starts from narrowed types and proves at least as much.
            let mut twice = after.clone();
            narrow(&mut twice);
            assert_eq!(total_bits(&twice), total_bits(&after), "{act}/{head} at {p}: not idempotent");
            let mut rng = Lcg(seed as u64 * 31 + 7);
            for i in 0..200 {
                let scale = [1.0, 8.0, 1e4][i % 3];
                let x = rng.vec(16, scale);
                assert_eq!(outputs(&before, &shape, &x), outputs(&after, &shape, &x), "{act}/{head} at {p}, sample {i}");
            }
        }
    }
}

#[test]
fn relu_results_become_unsigned() {
    let mut net = Net::new(&[1, 8], 3);
    net.dense("fc1", 6).unary("r1", "relu").dense("fc2", 4);
    let mut m = net.finish();
    run_pass(&mut m, &[]).expect("nn-to-qdf");
    narrow(&mut m);
    let text = fpgaopt_ir::printer::print_module(&m, &Default::default());
    let relu = text.lines().find(|l| l.contains("\"qdf.relu\"")).expect("a relu");
    assert!(relu.contains("-> tensor<1x6x!qdf.fixed<15, 5, false, \"TRN\", \"WRAP\">>"), "{relu}");
    assert!(relu.contains("qdf.range = [0, 32767]"), "{relu}");
}
