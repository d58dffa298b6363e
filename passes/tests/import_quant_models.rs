//! Bit-exactness of the nn level on quantized models: every model imports (and canonicalizes), and
//! the reference interpreter (`fpgaopt_nn::eval::run_main`) computes exactly the bits of the
//! model's own reference.
//!
//! The data in `tests/import_quant/` comes from `python/gen_quant_testdata.py`: for each generated
//! case (`python/quant_models.py`: random QONNX MLPs, QDQ and QOperator models) the model, its
//! inputs and the reference's outputs (qonnx `execute_onnx` for QONNX, onnxruntime 1.32 with
//! ORT_DISABLE_ALL for ONNX QDQ/QOperator, x86-64 with AVX2/FMA); for each model of the QONNX model
//! zoo (`../shared/models/zoo/`) inputs from its input range and qonnx's outputs.

use std::path::{Path, PathBuf};

use fpgaopt_ir::pass::{Options, PassContext};
use fpgaopt_ir::{Location, Module, ValueId};
use fpgaopt_nn::eval::{eval_op, run_main, Tensor};
use fpgaopt_passes::npy::{read_batch, Batch};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("import_quant")
}

fn zoo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/models/zoo")
}

fn import(path: &Path, canonicalize: bool) -> Module {
    let registry = fpgaopt_passes::dialects();
    let file = path.to_string_lossy().to_string();
    let mut ctx = PassContext { registry: &registry, input_path: &file, remarks: vec![] };
    let mut m = Module::new(Location::Unknown);
    let opts = Options::default();
    (fpgaopt_passes::import_onnx::IMPORT_ONNX.run)(&mut m, &opts, &mut ctx)
        .unwrap_or_else(|d| panic!("{}: {}", path.display(), d.message));
    if canonicalize {
        (fpgaopt_passes::nn_canonicalize::NN_CANONICALIZE.run)(&mut m, &opts, &mut ctx)
            .unwrap_or_else(|d| panic!("{}: {}", path.display(), d.message));
        fpgaopt_ir::verifier::verify(&m).unwrap_or_else(|e| panic!("{}: {:?}", path.display(), e));
    }
    m
}

fn batch(path: &Path) -> Batch {
    read_batch(path).unwrap_or_else(|d| panic!("{}: {}", path.display(), d.message))
}

/// The shape of @main's only argument.
fn arg_shape(m: &Module) -> Vec<i64> {
    let f = m.lookup_symbol("main").expect("@main");
    let body = m.entry_block(f, 0).expect("body");
    m.ty(m.block(body).args[0]).shape().expect("tensor argument").to_vec()
}

/// Runs @main on every sample; with `before_softmax`, returns the value feeding a final
/// `nn.softmax` instead of the function's result.
fn run_all(m: &Module, inputs: &Batch, before_softmax: bool) -> Vec<f32> {
    let shape = arg_shape(m);
    let mut out = vec![];
    for i in 0..inputs.len() {
        let x = Tensor::new(shape.clone(), inputs.sample(i).to_vec()).expect("sample fits the argument");
        let y = if before_softmax { logits(m, x) } else { run_main(m, &[x]).expect("runs").remove(0) };
        out.extend(y.data);
    }
    out
}

/// The operand of the `nn.softmax` that defines @main's result, evaluated on `x`.
fn logits(m: &Module, x: Tensor) -> Tensor {
    let f = m.lookup_symbol("main").expect("@main");
    let body = m.entry_block(f, 0).expect("body");
    let mut env: std::collections::HashMap<ValueId, Tensor> = [(m.block(body).args[0], x)].into();
    let mut wanted = None;
    for &op in m.block_ops(body) {
        if m.op(op).name() == "nn.softmax" {
            wanted = Some(m.operand(op, 0));
        }
        if m.op(op).results.is_empty() {
            break;
        }
        let ins: Vec<Tensor> = m.op(op).operands.iter().map(|v| env[v].clone()).collect();
        env.insert(m.result(op, 0), eval_op(m, op, &ins).expect("evaluates"));
    }
    env.remove(&wanted.expect("a softmax")).expect("evaluated")
}

/// Outputs whose bits differ (NaN equals NaN), and the largest difference in ulps.
fn differences(got: &[f32], want: &[f32]) -> (usize, u32) {
    assert_eq!(got.len(), want.len(), "output sizes differ");
    let mut n = 0;
    let mut ulps = 0;
    for (a, b) in got.iter().zip(want) {
        if a.to_bits() != b.to_bits() && !(a.is_nan() && b.is_nan()) {
            n += 1;
            ulps = ulps.max((a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs().min(u32::MAX as u64) as u32);
        }
    }
    (n, ulps)
}

/// The generated cases, sorted.
fn cases() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(data_dir())
        .expect("tests/import_quant exists (python/gen_quant_testdata.py)")
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".onnx").map(str::to_string))
        .collect();
    v.sort();
    v
}

/// Every generated case: imported (and canonicalized when asked), run, compared bit for bit.
fn check_generated(canonicalize: bool) {
    let dir = data_dir();
    let cases = cases();
    assert!(cases.len() >= 25, "expected the generated suite, found {cases:?}");
    let mut failures = vec![];
    for name in &cases {
        let m = import(&dir.join(format!("{name}.onnx")), canonicalize);
        let got = run_all(&m, &batch(&dir.join(format!("{name}.in.npy"))), false);
        let want = batch(&dir.join(format!("{name}.out.npy"))).data;
        let (n, ulps) = differences(&got, &want);
        if n > 0 {
            failures.push(format!("{name}: {n}/{} outputs differ (up to {ulps} ulp)", want.len()));
        }
    }
    assert!(failures.is_empty(), "canonicalize = {canonicalize}:\n{}", failures.join("\n"));
}

#[test]
fn generated_quantized_models_match_their_references_bit_for_bit() {
    check_generated(false);
}

/// nn-canonicalize keeps the bits of quantized functions (its rounding-changing folds stay off there).
#[test]
fn generated_quantized_models_stay_bit_exact_after_canonicalize() {
    check_generated(true);
}

/// The six zoo models: the output (or, for the jet tagger, the logits before its float softmax)
/// is bit-identical to qonnx, after import and after nn-canonicalize; the softmax (libm's exp against
/// onnxruntime's vectorised one) is within 4 ulp.
fn check_zoo(canonicalize: bool) {
    let (dir, zoo) = (data_dir(), zoo_dir());
    let models = ["TFC_1W1A", "TFC_1W2A", "TFC_2W2A", "kwsmlp_w3a3", "qkeras_jettagging", "unsw_nb15-mlp-w2a2"];
    if !zoo.join("TFC_1W1A.onnx").exists() {
        eprintln!("skipped: the QONNX model zoo is not at {}", zoo.display());
        return;
    }
    let mut failures = vec![];
    for name in models {
        let m = import(&zoo.join(format!("{name}.onnx")), canonicalize);
        let inputs = batch(&dir.join(format!("zoo_{name}.in.npy")));
        let want = batch(&dir.join(format!("zoo_{name}.out.npy"))).data;
        let got = run_all(&m, &inputs, false);
        let (n, ulps) = differences(&got, &want);
        if name == "qkeras_jettagging" {
            let logits = run_all(&m, &inputs, true);
            let want_logits = batch(&dir.join(format!("zoo_{name}.logits.npy"))).data;
            let (nl, ul) = differences(&logits, &want_logits);
            if nl > 0 {
                failures.push(format!("{name}: {nl} logits differ (up to {ul} ulp)"));
            }
            if ulps > 4 {
                failures.push(format!("{name}: softmax differs by {ulps} ulp"));
            }
        } else if n > 0 {
            failures.push(format!("{name}: {n}/{} outputs differ (up to {ulps} ulp)", want.len()));
        }
    }
    assert!(failures.is_empty(), "canonicalize = {canonicalize}:\n{}", failures.join("\n"));
}

#[test]
fn zoo_models_match_qonnx_bit_for_bit() {
    check_zoo(false);
}

#[test]
fn zoo_models_match_qonnx_after_canonicalize() {
    check_zoo(true);
}
