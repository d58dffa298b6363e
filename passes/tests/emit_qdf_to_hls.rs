//! qdf-to-hls + emitter + C simulation against the qdf reference interpreter, bit for bit.
//!
//! Each test writes a qdf module that exercises ops with varied types and rounding/overflow modes,
//! runs the reference interpreter (`fpgaopt_qdf::interp`) on a batch of inputs, lowers the module to
//! hls (both `io` modes), emits the project, runs the C simulation with g++ and compares the raw bits
//! of every output.

use fpgaopt_ir::pass::{run_pipeline, PassContext, RunOptions};
use fpgaopt_ir::Module;
use fpgaopt_passes::emit::{emit_project, EmitOptions};
use fpgaopt_qdf::interp::{run_function, Value};

fn fx(w: u32, i: i32, signed: bool, q: &str, o: &str) -> String {
    format!("!qdf.fixed<{w}, {i}, {signed}, \"{q}\", \"{o}\">")
}

fn tensor(shape: &[i64], elem: &str) -> String {
    format!("tensor<{}{elem}>", shape.iter().map(|d| format!("{d}x")).collect::<String>())
}

fn dense_attr(shape: &[i64], values: &[i64]) -> String {
    let v: Vec<String> = values.iter().map(|v| v.to_string()).collect();
    format!("dense<[{}]> : tensor<{}xi64>", v.join(", "), shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("x"))
}

/// Deterministic pseudo-random integers in `[lo, hi]`.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn float(&mut self, lo: f64, hi: f64) -> f32 {
        (lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)) as f32
    }
}

/// Samples of `f` at input mantissas `lo + s * 2^shift` (input grid `fx` fractional bits), as
/// mantissas with `ft` fractional bits, rounded to nearest.
fn samples(f: impl Fn(f64) -> f64, lo: i64, shift: u32, n: i64, fx: i64, ft: i64) -> Vec<i64> {
    (0..=n).map(|s| (f((lo + (s << shift)) as f64 / (1i64 << fx) as f64) * (1i64 << ft) as f64).round() as i64).collect()
}

/// A model with every elementwise op, dense, tables and softmax.
fn layers_module() -> String {
    let mut r = Rng(0x2545_f491_4f6c_dd1d);
    let q = fx(10, 4, true, "RND", "SAT");
    let w1 = fx(6, 1, true, "TRN", "WRAP");
    let b1 = fx(12, 3, true, "TRN", "WRAP");
    let acc1 = fx(20, 8, true, "TRN", "WRAP");
    let d1 = fx(12, 5, true, "RND_CONV", "SAT");
    let relu = fx(10, 4, false, "RND", "SAT");
    let leaky = fx(10, 4, true, "TRN_ZERO", "SAT_SYM");
    let alpha = fx(8, 0, true, "TRN", "WRAP");
    let sum = fx(11, 5, true, "RND_INF", "WRAP");
    let scale = fx(8, 2, true, "TRN", "WRAP");
    let prod = fx(12, 5, true, "RND_MIN_INF", "SAT_ZERO");
    let diff = fx(12, 5, true, "RND_ZERO", "SAT");
    let clip = fx(10, 4, true, "TRN", "WRAP");
    let sig_t = fx(16, 2, true, "TRN", "WRAP");
    let sig = fx(9, 1, false, "RND", "SAT");
    let w2 = fx(8, 2, true, "TRN", "WRAP");
    let b2 = fx(10, 4, true, "TRN", "WRAP");
    let acc2 = fx(24, 10, true, "TRN", "WRAP");
    let d2 = fx(14, 6, true, "RND", "SAT");
    let exp_t = fx(18, 1, false, "TRN", "WRAP");
    let sum_t = fx(22, 4, false, "TRN", "WRAP");
    let sm = fx(12, 1, false, "RND", "SAT");
    let w1v: Vec<i64> = (0..48).map(|_| r.int(-32, 31)).collect();
    let b1v: Vec<i64> = (0..6).map(|_| r.int(-2048, 2047)).collect();
    let sv: Vec<i64> = (0..6).map(|_| r.int(-128, 127)).collect();
    let w2v: Vec<i64> = (0..24).map(|_| r.int(-128, 127)).collect();
    let b2v: Vec<i64> = (0..4).map(|_| r.int(-512, 511)).collect();
    let sig_s = samples(|x| 1.0 / (1.0 + (-x).exp()), -512, 4, 64, 6, 14);
    let exp_s = samples(f64::exp, -4096, 6, 64, 8, 17);
    format!(
        r#"func.func @main(%x: {tx}) -> {ty} {{
  %q = "qdf.quantize"(%x) : ({tx}) -> {tq}
  %w1 = "qdf.constant"() {{value = {w1v}}} : () -> {tw1}
  %b1 = "qdf.constant"() {{value = {b1v}}} : () -> {tb1}
  %d1 = "qdf.dense"(%q, %w1, %b1) {{acc_type = {acc1}}} : ({tq}, {tw1}, {tb1}) -> {td1} loc("fc1")
  %r = "qdf.relu"(%d1) : ({td1}) -> {trelu} loc("relu")
  %l = "qdf.leaky_relu"(%d1) {{alpha = -77, alpha_type = {alpha}}} : ({td1}) -> {tleaky}
  %a = "qdf.add"(%r, %l) : ({trelu}, {tleaky}) -> {tsum}
  %s = "qdf.constant"() {{value = {sv}}} : () -> {ts}
  %m = "qdf.mul"(%a, %s) : ({tsum}, {ts}) -> {tprod}
  %d = "qdf.sub"(%m, %r) : ({tprod}, {trelu}) -> {tdiff}
  %c = "qdf.clip"(%d) {{max = 300, min = -200}} : ({tdiff}) -> {tclip}
  %t = "qdf.table"(%c) {{function = "sigmoid", lo = -512, step_shift = 4, table = {sig_s}, table_type = {sig_t}}} : ({tclip}) -> {tsig}
  %w2 = "qdf.constant"() {{value = {w2v}}} : () -> {tw2}
  %b2 = "qdf.constant"() {{value = {b2v}}} : () -> {tb2}
  %e = "qdf.dense"(%t, %w2, %b2) {{acc_type = {acc2}}} : ({tsig}, {tw2}, {tb2}) -> {td2} loc("fc2")
  %p = "qdf.softmax"(%e) {{axis = 1, exp_table = {exp_s}, exp_type = {exp_t}, lo = -4096, step_shift = 6, sum_type = {sum_t}}} : ({td2}) -> {tsm}
  %y = "qdf.dequantize"(%p) : ({tsm}) -> {ty}
  func.return %y : {ty}
}}"#,
        tx = tensor(&[1, 8], "f32"),
        ty = tensor(&[1, 4], "f32"),
        tq = tensor(&[1, 8], &q),
        w1v = dense_attr(&[8, 6], &w1v),
        tw1 = tensor(&[8, 6], &w1),
        b1v = dense_attr(&[6], &b1v),
        tb1 = tensor(&[6], &b1),
        td1 = tensor(&[1, 6], &d1),
        trelu = tensor(&[1, 6], &relu),
        tleaky = tensor(&[1, 6], &leaky),
        tsum = tensor(&[1, 6], &sum),
        sv = dense_attr(&[6], &sv),
        ts = tensor(&[6], &scale),
        tprod = tensor(&[1, 6], &prod),
        tdiff = tensor(&[1, 6], &diff),
        tclip = tensor(&[1, 6], &clip),
        sig_s = dense_attr(&[65], &sig_s),
        tsig = tensor(&[1, 6], &sig),
        w2v = dense_attr(&[6, 4], &w2v),
        tw2 = tensor(&[6, 4], &w2),
        b2v = dense_attr(&[4], &b2v),
        tb2 = tensor(&[4], &b2),
        td2 = tensor(&[1, 4], &d2),
        exp_s = dense_attr(&[65], &exp_s),
        tsm = tensor(&[1, 4], &sm),
    )
}

/// Computed operands: matmul with a reshaped copy of itself, a broadcast add, a cast.
fn matmul_module() -> String {
    let q = fx(8, 3, true, "RND", "SAT");
    let acc = fx(18, 7, true, "TRN", "WRAP");
    let mm = fx(10, 5, true, "RND", "SAT");
    let k = fx(6, 2, true, "TRN", "WRAP");
    let add = fx(9, 5, true, "RND_CONV", "WRAP");
    let out = fx(7, 4, true, "TRN", "SAT");
    format!(
        r#"func.func @main(%x: {tx}) -> {ty} {{
  %q = "qdf.quantize"(%x) : ({tx}) -> {tq}
  %t = "qdf.reshape"(%q) : ({tq}) -> {tt}
  %p = "qdf.matmul"(%q, %t) {{acc_type = {acc}}} : ({tq}, {tt}) -> {tp}
  %c = "qdf.constant"() {{value = {cv}}} : () -> {tc}
  %a = "qdf.add"(%p, %c) : ({tp}, {tc}) -> {ta}
  %o = "qdf.cast"(%a) : ({ta}) -> {to}
  %y = "qdf.dequantize"(%o) : ({to}) -> {ty}
  func.return %y : {ty}
}}"#,
        tx = tensor(&[2, 3], "f32"),
        tq = tensor(&[2, 3], &q),
        tt = tensor(&[3, 2], &q),
        tp = tensor(&[2, 2], &mm),
        cv = dense_attr(&[2, 1], &[-13, 21]),
        tc = tensor(&[2, 1], &k),
        ta = tensor(&[2, 2], &add),
        to = tensor(&[2, 2], &out),
        ty = tensor(&[2, 2], "f32"),
    )
}

/// Wide values: a 40-bit exact product (its float conversion rounds), wide quantization, a constant.
fn wide_module() -> String {
    let q = fx(20, 6, true, "RND_CONV", "SAT");
    let p = fx(40, 12, true, "TRN", "WRAP");
    let c = fx(30, 10, true, "TRN", "WRAP");
    let s = fx(44, 14, true, "RND", "SAT_SYM");
    format!(
        r#"func.func @main(%x: {tx}) -> {tx} {{
  %q = "qdf.quantize"(%x) : ({tx}) -> {tq}
  %p = "qdf.mul"(%q, %q) : ({tq}, {tq}) -> {tp}
  %c = "qdf.constant"() {{value = {cv}}} : () -> {tc}
  %s = "qdf.add"(%p, %c) : ({tp}, {tc}) -> {ts}
  %y = "qdf.dequantize"(%s) : ({ts}) -> {tx}
  func.return %y : {tx}
}}"#,
        tx = tensor(&[1, 4], "f32"),
        tq = tensor(&[1, 4], &q),
        tp = tensor(&[1, 4], &p),
        cv = dense_attr(&[4], &[123456789, -387654321, 1, -536870912]),
        tc = tensor(&[4], &c),
        ts = tensor(&[1, 4], &s),
    )
}

fn parse(text: &str) -> Module {
    let m = fpgaopt_ir::parser::parse_module(text, "test.mlir", &fpgaopt_passes::dialects()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    if let Err(errs) = fpgaopt_ir::verifier::verify(&m) {
        panic!("{}\n{text}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
    }
    m
}

/// Runs a pipeline over `text` and prints the result.
fn run_text(text: &str, pipeline: &str) -> String {
    let mut m = parse(text);
    let reg = fpgaopt_passes::registry();
    let passes = reg.parse_pipeline(pipeline).expect("pipeline");
    let mut ctx = PassContext { registry: &fpgaopt_passes::dialects(), input_path: "test.mlir", remarks: vec![] };
    let run = RunOptions { verify_each: true, ..RunOptions::default() };
    if let Err(errs) = run_pipeline(&mut m, &passes, &run, &mut ctx, &mut |_| {}) {
        panic!("{}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
    }
    let opts = fpgaopt_ir::printer::PrintOptions { debug_info: true, ..Default::default() };
    fpgaopt_ir::printer::print_module(&m, &opts)
}

/// An nn model as nn-to-qdf quantizes it (default precision, 1024-interval tables).
const NN_MODEL: &str = r#"func.func @main(%x: tensor<1x6xf32>) -> tensor<1x3xf32> {
  %w = "nn.constant"() {value = dense<[[0.5, -0.25, 0.75, 0.1], [1.0, 2.0, -1.5, 0.3], [-0.6, 0.2, 0.9, -1.1], [0.05, -0.4, 1.2, 0.7], [0.33, 0.8, -0.2, -0.9], [-1.3, 0.6, 0.4, 0.25]]> : tensor<6x4xf32>} : () -> tensor<6x4xf32>
  %b = "nn.constant"() {value = dense<[0.1, -0.2, 0.3, 0.05]> : tensor<4xf32>} : () -> tensor<4xf32>
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x6xf32>, tensor<6x4xf32>, tensor<4xf32>) -> tensor<1x4xf32> loc("fc1")
  %r = "nn.leaky_relu"(%y) {alpha = 0.1} : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("act1")
  %s = "nn.sigmoid"(%r) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("sig")
  %t = "nn.tanh"(%y) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("tanh")
  %a = "nn.add"(%s, %t) : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32> loc("sum")
  %w2 = "nn.constant"() {value = dense<[[0.5, -1.0, 0.25], [1.5, 0.5, -0.75], [-0.5, 1.25, 1.0], [0.2, -0.3, 0.6]]> : tensor<4x3xf32>} : () -> tensor<4x3xf32>
  %b2 = "nn.constant"() {value = dense<[0.0, 0.5, -0.5]> : tensor<3xf32>} : () -> tensor<3xf32>
  %z = "nn.dense"(%a, %w2, %b2) : (tensor<1x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("fc2")
  %p = "nn.softmax"(%z) {axis = 1} : (tensor<1x3xf32>) -> tensor<1x3xf32> loc("probs")
  func.return %p : tensor<1x3xf32>
}"#;

fn lower(m: &mut Module, options: &str) {
    let reg = fpgaopt_passes::registry();
    let pipeline = reg.parse_pipeline(&format!("builtin.module(qdf-to-hls{{{options}}})")).expect("pipeline");
    let mut ctx = PassContext { registry: &fpgaopt_passes::dialects(), input_path: "test.mlir", remarks: vec![] };
    let run = RunOptions { verify_each: true, ..RunOptions::default() };
    if let Err(errs) = run_pipeline(m, &pipeline, &run, &mut ctx, &mut |_| {}) {
        panic!("{}\n{}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"), fpgaopt_ir::printer::print_module(m, &Default::default()));
    }
    fpgaopt_hls::verify_directives(m).expect("directives verify");
}

fn write_npy(path: &std::path::Path, shape: &[u64], data: &[f32]) {
    use npyz::WriterBuilder;
    let f = std::fs::File::create(path).expect("create npy");
    let mut w = npyz::WriteOptions::new().default_dtype().shape(shape).writer(f).begin_nd().expect("npy header");
    w.extend(data.iter().copied()).expect("npy data");
    w.finish().expect("npy finish");
}

fn read_npy(path: &std::path::Path) -> (Vec<u64>, Vec<f32>) {
    let f = npyz::NpyFile::new(std::fs::File::open(path).expect("open npy")).expect("npy header");
    let shape = f.shape().to_vec();
    (shape, f.into_vec::<f32>().expect("f32 data"))
}

/// Lowers, emits and simulates `text` on `samples` inputs of `shape`; compares with the interpreter.
fn check(tag: &str, text: &str, shape: &[i64], range: f64, samples: usize, options: &str) {
    let reference = parse(text);
    let main = reference.functions()[0];
    let n: usize = shape.iter().product::<i64>() as usize;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ samples as u64);
    let mut inputs: Vec<f32> = vec![];
    for s in 0..samples {
        for _ in 0..n {
            // Some samples on the input grid's ties and beyond the range, most uniform.
            inputs.push(match s % 8 {
                0 => (rng.int(-4096, 4096) as f32) / 128.0,
                1 if s % 16 == 1 => [1e30, -1e30, 1e6, -1e6, 3e-40, -3e-40, 0.0, -0.0][rng.int(0, 7) as usize],
                _ => rng.float(-range, range),
            });
        }
    }
    let mut want = vec![];
    let mut out_shape = vec![];
    for sample in inputs.chunks(n) {
        let v = run_function(&reference, main, &[Value::Float { shape: shape.to_vec(), data: sample.to_vec() }]).expect("reference runs");
        match &v[0] {
            Value::Float { shape, data } => {
                out_shape = shape.clone();
                want.extend_from_slice(data);
            }
            Value::Fixed(_) => panic!("reference result is not float"),
        }
    }
    let mut m = parse(text);
    lower(&mut m, options);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("qdf_to_hls_{tag}"));
    emit_project(&m, &dir, &EmitOptions::default()).expect("emits");
    let mut in_shape = vec![samples as u64];
    in_shape.extend(shape.iter().skip(usize::from(shape.len() > 1 && shape[0] == 1)).map(|&d| d as u64));
    write_npy(&dir.join("in.npy"), &in_shape, &inputs);
    fpgaopt_passes::csim::run_csim(&dir, &dir.join("in.npy"), &dir.join("out.npy")).expect("csim");
    let (got_shape, got) = read_npy(&dir.join("out.npy"));
    assert_eq!(got_shape[0], samples as u64);
    assert_eq!(got.len(), want.len(), "output sizes ({out_shape:?})");
    let per = want.len() / samples;
    let mut mismatches = vec![];
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        if g.to_bits() != w.to_bits() {
            mismatches.push(format!("sample {} output {}: csim {g} reference {w}; input {:?}", i / per, i % per, &inputs[i / per * n..i / per * n + n]));
        }
    }
    assert!(mismatches.is_empty(), "{} mismatches:\n{}", mismatches.len(), mismatches[..mismatches.len().min(10)].join("\n"));
}

#[test]
fn layers_parallel_bit_exact() {
    check("layers_parallel", &layers_module(), &[1, 8], 5.0, 400, "");
}

#[test]
fn layers_serial_bit_exact() {
    check("layers_serial", &layers_module(), &[1, 8], 5.0, 200, "io=serial reuse-factor=2");
}

#[test]
fn matmul_reshape_broadcast_bit_exact() {
    check("matmul", &matmul_module(), &[2, 3], 6.0, 400, "");
}

#[test]
fn matmul_serial_bit_exact() {
    check("matmul_serial", &matmul_module(), &[2, 3], 6.0, 100, "io=serial");
}

#[test]
fn wide_types_bit_exact() {
    check("wide", &wide_module(), &[1, 4], 40.0, 400, "");
}

#[test]
fn nn_to_qdf_output_bit_exact() {
    let qdf = run_text(NN_MODEL, "builtin.module(nn-to-qdf)");
    check("nn_model", &qdf, &[1, 6], 4.0, 300, "");
}
