//! The quantized-model ops of qdf (float32 ops in every `qdf.fdense` order, `qdf.fsoftmax`,
//! `qdf.fquant` in every rounding mode, `qdf.threshold`, `qdf.requant`, `qdf.fconv` and the
//! resampling ops) through qdf-to-hls, the emitter and the C simulation, against the qdf reference
//! interpreter, bit for bit (raw f32 bits). Inputs include rounding ties of the quantizers, qonnx's
//! float32 `HALF_UP` quirk (`0.5 - 2^-25`), signed zeros, huge values, infinities and NaN (not for
//! `qdf.fconv`, see `check`).

use fpgaopt_ir::pass::{run_pipeline, PassContext, RunOptions};
use fpgaopt_ir::Module;
use fpgaopt_passes::emit::{emit_project, EmitOptions};
use fpgaopt_qdf::interp::{run_function, Value};

fn fx(w: u32, i: i32, signed: bool, q: &str, o: &str) -> String {
    format!("!qdf.fixed<{w}, {i}, {signed}, \"{q}\", \"{o}\">")
}

fn floats(shape: &[i64], v: &[f32]) -> String {
    let s: Vec<String> = v.iter().map(|x| format!("{:?}", *x as f64)).collect();
    format!("dense<[{}]> : tensor<{}xf32>", s.join(", "), shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("x"))
}

fn ints(shape: &[i64], v: &[i64]) -> String {
    let s: Vec<String> = v.iter().map(|x| x.to_string()).collect();
    format!("dense<[{}]> : tensor<{}xi64>", s.join(", "), shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("x"))
}

/// xorshift floats in [-1, 1).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        ((self.0 >> 11) as f64 / (1u64 << 52) as f64 - 1.0) as f32
    }

    fn vec(&mut self, n: usize, scale: f32) -> Vec<f32> {
        (0..n).map(|_| self.next() * scale).collect()
    }
}

/// Every fdense order (odd K and N to reach every remainder and reduction tree), then the float
/// elementwise ops and the float softmax.
fn float_module() -> String {
    let mut r = Rng(0x1234_5678_9abc_def1);
    let (w1, b1) = (r.vec(15 * 7, 1.5), r.vec(7, 0.5));
    let (w2, b2) = (r.vec(7 * 7, 1.5), r.vec(7, 0.5));
    let (w3, b3) = (r.vec(7 * 5, 1.5), r.vec(5, 0.5));
    let (c, d) = (r.vec(5, 2.0), 0.3f32);
    format!(
        r#"func.func @main(%x: tensor<1x15xf32>) -> tensor<1x5xf32> {{
  %w1 = "qdf.fconstant"() {{value = {w1}}} : () -> tensor<15x7xf32>
  %b1 = "qdf.fconstant"() {{value = {b1}}} : () -> tensor<7xf32>
  %h1 = "qdf.fdense"(%x, %w1, %b1) {{order = "mlas_m1"}} : (tensor<1x15xf32>, tensor<15x7xf32>, tensor<7xf32>) -> tensor<1x7xf32>
  %w2 = "qdf.fconstant"() {{value = {w2}}} : () -> tensor<7x7xf32>
  %b2 = "qdf.fconstant"() {{value = {b2}}} : () -> tensor<7xf32>
  %h2 = "qdf.fdense"(%h1, %w2, %b2) {{bias_first = true, order = "mlas_m1_transposed"}} : (tensor<1x7xf32>, tensor<7x7xf32>, tensor<7xf32>) -> tensor<1x7xf32>
  %r2 = "qdf.frelu"(%h2) : (tensor<1x7xf32>) -> tensor<1x7xf32>
  %w3 = "qdf.fconstant"() {{value = {w3}}} : () -> tensor<7x5xf32>
  %b3 = "qdf.fconstant"() {{value = {b3}}} : () -> tensor<5xf32>
  %h3 = "qdf.fdense"(%r2, %w3, %b3) {{bias_first = true, order = "mlas_packed"}} : (tensor<1x7xf32>, tensor<7x5xf32>, tensor<5xf32>) -> tensor<1x5xf32>
  %c = "qdf.fconstant"() {{value = {c}}} : () -> tensor<5xf32>
  %d = "qdf.fconstant"() {{value = {d}}} : () -> tensor<1xf32>
  %m = "qdf.fmul"(%h3, %c) : (tensor<1x5xf32>, tensor<5xf32>) -> tensor<1x5xf32>
  %q = "qdf.fdiv"(%m, %d) : (tensor<1x5xf32>, tensor<1xf32>) -> tensor<1x5xf32>
  %s = "qdf.fsub"(%d, %q) : (tensor<1xf32>, tensor<1x5xf32>) -> tensor<1x5xf32>
  %a = "qdf.fadd"(%s, %m) : (tensor<1x5xf32>, tensor<1x5xf32>) -> tensor<1x5xf32>
  %y = "qdf.fsoftmax"(%a) {{axis = 1}} : (tensor<1x5xf32>) -> tensor<1x5xf32>
  func.return %y : tensor<1x5xf32>
}}"#,
        w1 = floats(&[15, 7], &w1),
        b1 = floats(&[7], &b1),
        w2 = floats(&[7, 7], &w2),
        b2 = floats(&[7], &b2),
        w3 = floats(&[7, 5], &w3),
        b3 = floats(&[5], &b3),
        c = floats(&[5], &c),
        d = floats(&[1], &[d]),
    )
}

/// `qdf.fquant` in every rounding mode (per-channel scales, a QONNX zero point, SIGN), summed.
fn fquant_module() -> String {
    let modes = ["ROUND", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP", "HALF_DOWN"];
    let code = fx(10, 10, true, "TRN", "WRAP");
    let mut body = String::new();
    let mut terms = vec![];
    for (i, mode) in modes.iter().enumerate() {
        let scale = if i % 2 == 0 { "dense<0.25> : tensor<f32>".to_string() } else { floats(&[8], &[0.3, 0.25, 0.7, 1.0, 0.125, 3.0, 0.5, 0.0625]) };
        let zp = if i == 5 { ", zero_point = dense<3.0> : tensor<f32>" } else { "" };
        body += &format!(
            "  %q{i} = \"qdf.fquant\"(%x) {{max = 200.0, min = -200.0, rounding = \"{mode}\", scale = {scale}{zp}}} : (tensor<1x8xf32>) -> tensor<1x8x{code}>\n"
        );
        terms.push(format!("%q{i}"));
    }
    body += &format!("  %q7 = \"qdf.fquant\"(%x) {{rounding = \"SIGN\", scale = dense<0.5> : tensor<f32>}} : (tensor<1x8xf32>) -> tensor<1x8x{}>\n", fx(2, 2, true, "TRN", "WRAP"));
    let mut acc = terms[0].clone();
    let mut width = 10;
    for (i, t) in terms.iter().enumerate().skip(1) {
        width += 1;
        let prev = if i == 1 { code.clone() } else { fx(width - 1, width as i32 - 1, true, "TRN", "WRAP") };
        let ty = fx(width, width as i32, true, "TRN", "WRAP");
        body += &format!("  %s{i} = \"qdf.add\"({acc}, {t}) : (tensor<1x8x{prev}>, tensor<1x8x{code}>) -> tensor<1x8x{ty}>\n");
        acc = format!("%s{i}");
    }
    let last = fx(width, width as i32, true, "TRN", "WRAP");
    let wide = fx(width + 1, width as i32 + 1, true, "TRN", "WRAP");
    body += &format!(
        "  %t = \"qdf.add\"({acc}, %q7) : (tensor<1x8x{last}>, tensor<1x8x{}>) -> tensor<1x8x{wide}>\n  %y = \"qdf.dequantize\"(%t) : (tensor<1x8x{wide}>) -> tensor<1x8xf32>\n",
        fx(2, 2, true, "TRN", "WRAP")
    );
    format!("func.func @main(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {{\n{body}  func.return %y : tensor<1x8xf32>\n}}")
}

/// Thresholds (both directions, steps of 1 and 2, thresholds beyond the input range) and requant
/// (per-channel multipliers, two rounding modes) on one quantized input.
fn integer_module() -> String {
    let q = fx(12, 6, true, "RND_CONV", "SAT");
    let t3 = fx(4, 4, true, "TRN", "WRAP");
    let r1 = fx(9, 9, true, "RND_CONV", "SAT");
    let r2 = fx(8, 5, true, "TRN", "SAT");
    let s1 = fx(10, 10, true, "TRN", "WRAP");
    let s2 = fx(11, 11 - 3, true, "TRN", "WRAP");
    let th = ints(&[6, 3], &[-100, 0, 5, -3000, -3000, 17, 0, 0, 0, -5, 2, 2100, 1, 2, 3, -2048, -2047, 2047]);
    format!(
        r#"func.func @main(%x: tensor<1x6xf32>) -> tensor<1x6xf32> {{
  %q = "qdf.quantize"(%x) : (tensor<1x6xf32>) -> tensor<1x6x{q}>
  %t = "qdf.threshold"(%q) {{base = {base}, step = {step}, thresholds = {th}}} : (tensor<1x6x{q}>) -> tensor<1x6x{t3}>
  %r = "qdf.requant"(%q) {{max = 200, min = -150, multiplier = {m1}, shift = 20}} : (tensor<1x6x{q}>) -> tensor<1x6x{r1}>
  %u = "qdf.requant"(%q) {{multiplier = dense<[-77777]> : tensor<1xi64>, shift = 17}} : (tensor<1x6x{q}>) -> tensor<1x6x{r2}>
  %a = "qdf.add"(%t, %r) : (tensor<1x6x{t3}>, tensor<1x6x{r1}>) -> tensor<1x6x{s1}>
  %b = "qdf.add"(%a, %u) : (tensor<1x6x{s1}>, tensor<1x6x{r2}>) -> tensor<1x6x{s2}>
  %y = "qdf.dequantize"(%b) : (tensor<1x6x{s2}>) -> tensor<1x6xf32>
  func.return %y : tensor<1x6xf32>
}}"#,
        base = ints(&[6], &[-1, 3, -2, 1, 0, 7]),
        step = ints(&[6], &[1, -1, 2, -2, 1, -2]),
        m1 = ints(&[6], &[1_048_576, 700_001, 1_398_101, 3, 99_999_999, 524_288]),
    )
}

/// `qdf.fconv` (two groups, a dilated window, K = 36 in blocks of 16, 16 and 4) after a zero pad,
/// then the resampling ops on its f32 result: depth-to-space (CRD), a resize with arbitrary maps
/// (every other row, columns reversed, channels swapped), space-to-depth, depth-to-space (DCR).
fn resample_module() -> String {
    let mut r = Rng(0x0bad_cafe_f00d_1234);
    let (w, b) = (r.vec(3 * 3 * 4 * 8, 0.7), r.vec(8, 0.5));
    let cols: Vec<i64> = (0..12).rev().collect();
    let mut maps = vec![0, 0, 2, 4, 6];
    maps.extend(&cols);
    maps.extend([1, 0]);
    let maps = ints(&[maps.len() as i64], &maps);
    format!(
        r#"func.func @main(%x: tensor<1x6x6x8xf32>) -> tensor<1x4x12x2xf32> {{
  %p = "qdf.pad"(%x) {{pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0}} : (tensor<1x6x6x8xf32>) -> tensor<1x8x8x8xf32>
  %w = "qdf.fconstant"() {{value = {w}}} : () -> tensor<3x3x4x8xf32>
  %b = "qdf.fconstant"() {{value = {b}}} : () -> tensor<8xf32>
  %c = "qdf.fconv"(%p, %w, %b) {{dilations = [2, 1], group = 2, k_block = 16, strides = [1, 1]}} : (tensor<1x8x8x8xf32>, tensor<3x3x4x8xf32>, tensor<8xf32>) -> tensor<1x4x6x8xf32>
  %d = "qdf.depth_to_space"(%c) {{blocksize = 2, mode = "CRD"}} : (tensor<1x4x6x8xf32>) -> tensor<1x8x12x2xf32>
  %r = "qdf.resize"(%d) {{indices = {maps}}} : (tensor<1x8x12x2xf32>) -> tensor<1x4x12x2xf32>
  %s = "qdf.space_to_depth"(%r) {{blocksize = 2}} : (tensor<1x4x12x2xf32>) -> tensor<1x2x6x8xf32>
  %e = "qdf.depth_to_space"(%s) {{blocksize = 2, mode = "DCR"}} : (tensor<1x2x6x8xf32>) -> tensor<1x4x12x2xf32>
  func.return %e : tensor<1x4x12x2xf32>
}}"#,
        w = floats(&[3, 3, 4, 8], &w),
        b = floats(&[8], &b)
    )
}

fn parse(text: &str) -> Module {
    let m = fpgaopt_ir::parser::parse_module(text, "test.mlir", &fpgaopt_passes::dialects()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    if let Err(errs) = fpgaopt_ir::verifier::verify(&m) {
        panic!("{}\n{text}", errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"));
    }
    m
}

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

fn read_npy(path: &std::path::Path) -> Vec<f32> {
    let f = npyz::NpyFile::new(std::fs::File::open(path).expect("open npy")).expect("npy header");
    f.into_vec::<f32>().expect("f32 data")
}

/// Inputs: uniform in [-range, range], ties of the grids 2^-k and of 0.3 / 0.7 steps, the
/// HALF_UP quirk, signed zeros, huge values, infinities and (`nan`) NaN. qdf.quantize is excluded
/// from NaN: its C++ (ap_fixed from a NaN double) does not give the semantics' 0.
fn inputs(n: usize, samples: usize, range: f32, nan: bool) -> Vec<f32> {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let nan = if nan { f32::NAN } else { 0.0 };
    let special = [0.0, -0.0, 1e30, -1e30, f32::INFINITY, f32::NEG_INFINITY, nan, 0.125 - 2f32.powi(-27), -(0.125 - 2f32.powi(-27)), 3e-41];
    (0..samples * n)
        .map(|i| match (i / n) % 6 {
            0 => ((r.next() * 64.0).round() + 0.5) / [4.0, 8.0, 16.0, 2.0][i % 4],
            1 => ((r.next() * 40.0).round() + 0.5) * [0.3f32, 0.7, 0.25, 3.0][i % 4],
            2 if i % 3 == 0 => special[i % special.len()],
            _ => r.next() * range,
        })
        .collect()
}

/// Lowers, emits and simulates `text`; every output bit equal to the interpreter's.
fn check(tag: &str, text: &str, shape: &[i64], range: f32, samples: usize, options: &str) {
    let reference = parse(text);
    let main = reference.functions()[0];
    let n: usize = shape.iter().product::<i64>() as usize;
    // NaN inputs meet the NaNs that infinities make inside qdf.fconv's sums: which payload an
    // addition of two NaNs keeps depends on the compiler's operand order, not on the semantics.
    let xs = inputs(n, samples, range, !text.contains("qdf.quantize") && !text.contains("qdf.fconv"));
    let mut want = vec![];
    for sample in xs.chunks(n) {
        let v = run_function(&reference, main, &[Value::Float { shape: shape.to_vec(), data: sample.to_vec() }]).expect("reference runs");
        let Value::Float { data, .. } = &v[0] else { panic!("reference result is not float") };
        want.extend_from_slice(data);
    }
    let mut m = parse(text);
    lower(&mut m, options);
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("quant_ops_{tag}"));
    emit_project(&m, &dir, &EmitOptions::default()).expect("emits");
    write_npy(&dir.join("in.npy"), &[samples as u64, n as u64], &xs);
    fpgaopt_passes::csim::run_csim(&dir, &dir.join("in.npy"), &dir.join("out.npy")).expect("csim");
    let got = read_npy(&dir.join("out.npy"));
    assert_eq!(got.len(), want.len());
    let per = want.len() / samples;
    let bad: Vec<String> = got
        .iter()
        .zip(&want)
        .enumerate()
        .filter(|(_, (g, w))| g.to_bits() != w.to_bits())
        .map(|(i, (g, w))| format!("sample {} output {}: csim {g:e} reference {w:e}; input {:?}", i / per, i % per, &xs[i / per * n..i / per * n + n]))
        .collect();
    assert!(bad.is_empty(), "{} mismatches:\n{}", bad.len(), bad[..bad.len().min(10)].join("\n"));
}

#[test]
fn float_ops_bit_exact() {
    check("float", &float_module(), &[1, 15], 3.0, 300, "");
}

#[test]
fn float_ops_serial_bit_exact() {
    check("float_serial", &float_module(), &[1, 15], 3.0, 100, "io=serial");
}

#[test]
fn fquant_modes_bit_exact() {
    check("fquant", &fquant_module(), &[1, 8], 70.0, 600, "");
}

#[test]
fn threshold_and_requant_bit_exact() {
    check("integer", &integer_module(), &[1, 6], 40.0, 600, "");
    check("integer_serial", &integer_module(), &[1, 6], 40.0, 100, "io=serial");
}

#[test]
fn fconv_and_resampling_bit_exact() {
    check("resample", &resample_module(), &[1, 6, 6, 8], 3.0, 60, "");
    check("resample_serial", &resample_module(), &[1, 6, 6, 8], 3.0, 12, "io=serial");
}
