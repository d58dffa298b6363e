//! The C++ emitter on a small hand-written hls module: snapshots of the emitted files, and a C simulation
//! with g++ checked against the values computed by hand from ap_fixed's rules.

use fpgaopt_passes::emit::{emit_cpp_text, project_files, EmitOptions};

/// x (1x4 float) -> quantize ap_fixed<8,3,RND,SAT> -> dense 4x3 (ap_fixed<4,1> weights, ap_fixed<16,6>
/// accumulator) -> ap_fixed<10,4,RND,SAT> -> relu -> ap_ufixed<8,3,RND,SAT> -> float.
pub const TINY: &str = r#"module {
  func.func @quantize_x(%x: !hls.array<[1, 4], f32>, %y: !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>) attributes {hls.inline, hls.layer = {name = "x_quant", op = "quantize", input_type = f32, output_type = !hls.fixed<8, 3, true, "RND", "SAT">, input_shape = [1, 4], output_shape = [1, 4]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    scf.for %i = %c0 to %c4 step %c1 {
      %v = "hls.load"(%x, %c0, %i) : (!hls.array<[1, 4], f32>, index, index) -> f32
      %q = "hls.cast"(%v) : (f32) -> !hls.fixed<8, 3, true, "RND", "SAT">
      "hls.store"(%q, %y, %c0, %i) : (!hls.fixed<8, 3, true, "RND", "SAT">, !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, index, index) -> ()
    } {hls.unroll = 0}
    func.return
  }
  func.func @fc1(%x: !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, %y: !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>) attributes {hls.inline, hls.layer = {name = "fc1", op = "dense", input_type = !hls.fixed<8, 3, true, "RND", "SAT">, output_type = !hls.fixed<10, 4, true, "RND", "SAT">, weight_type = !hls.fixed<4, 1, true, "TRN", "WRAP">, bias_type = !hls.fixed<16, 6, true, "TRN", "WRAP">, acc_type = !hls.fixed<16, 6, true, "TRN", "WRAP">, input_shape = [1, 4], output_shape = [1, 3], weight_shape = [4, 3]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %w = "hls.rom"() {name = "fc1_w", partition = "complete", value = dense<[[1, -2, 3], [4, -5, 6], [7, -8, 0], [-1, 2, -3]]> : tensor<4x3xi8>} : () -> !hls.array<[4, 3], !hls.fixed<4, 1, true, "TRN", "WRAP">>
    %b = "hls.rom"() {name = "fc1_b", partition = "complete", value = dense<[16, -32, 5]> : tensor<3xi16>} : () -> !hls.array<[3], !hls.fixed<16, 6, true, "TRN", "WRAP">>
    scf.for %j = %c0 to %c3 step %c1 {
      %acc = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>
      %bj = "hls.load"(%b, %j) : (!hls.array<[3], !hls.fixed<16, 6, true, "TRN", "WRAP">>, index) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
      "hls.store"(%bj, %acc) : (!hls.fixed<16, 6, true, "TRN", "WRAP">, !hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> ()
      scf.for %k = %c0 to %c4 step %c1 {
        %xk = "hls.load"(%x, %c0, %k) : (!hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, index, index) -> !hls.fixed<8, 3, true, "RND", "SAT">
        %wk = "hls.load"(%w, %k, %j) : (!hls.array<[4, 3], !hls.fixed<4, 1, true, "TRN", "WRAP">>, index, index) -> !hls.fixed<4, 1, true, "TRN", "WRAP">
        %p = "hls.mul"(%xk, %wk) : (!hls.fixed<8, 3, true, "RND", "SAT">, !hls.fixed<4, 1, true, "TRN", "WRAP">) -> !hls.fixed<12, 4, true, "TRN", "WRAP">
        %a = "hls.load"(%acc) : (!hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
        %s = "hls.add"(%a, %p) : (!hls.fixed<16, 6, true, "TRN", "WRAP">, !hls.fixed<12, 4, true, "TRN", "WRAP">) -> !hls.fixed<17, 7, true, "TRN", "WRAP">
        %s2 = "hls.cast"(%s) : (!hls.fixed<17, 7, true, "TRN", "WRAP">) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
        "hls.store"(%s2, %acc) : (!hls.fixed<16, 6, true, "TRN", "WRAP">, !hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> ()
      } {hls.unroll = 0}
      %r = "hls.load"(%acc) : (!hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
      %o = "hls.cast"(%r) : (!hls.fixed<16, 6, true, "TRN", "WRAP">) -> !hls.fixed<10, 4, true, "RND", "SAT">
      "hls.store"(%o, %y, %c0, %j) : (!hls.fixed<10, 4, true, "RND", "SAT">, !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, index, index) -> ()
    } {hls.label = "fc1_out", hls.pipeline_ii = 1}
    func.return
  }
  func.func @relu1(%x: !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, %y: !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>) attributes {hls.inline, hls.layer = {name = "relu1", op = "relu", input_type = !hls.fixed<10, 4, true, "RND", "SAT">, output_type = !hls.fixed<8, 3, false, "RND", "SAT">, input_shape = [1, 3], output_shape = [1, 3]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %zero = "hls.constant"() {value = 0} : () -> !hls.fixed<10, 4, true, "RND", "SAT">
    scf.for %i = %c0 to %c3 step %c1 {
      %v = "hls.load"(%x, %c0, %i) : (!hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, index, index) -> !hls.fixed<10, 4, true, "RND", "SAT">
      %m = "hls.max"(%v, %zero) : (!hls.fixed<10, 4, true, "RND", "SAT">, !hls.fixed<10, 4, true, "RND", "SAT">) -> !hls.fixed<10, 4, true, "RND", "SAT">
      %o = "hls.cast"(%m) : (!hls.fixed<10, 4, true, "RND", "SAT">) -> !hls.fixed<8, 3, false, "RND", "SAT">
      "hls.store"(%o, %y, %c0, %i) : (!hls.fixed<8, 3, false, "RND", "SAT">, !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, index, index) -> ()
    } {hls.unroll = 0}
    func.return
  }
  func.func @dequantize_y(%x: !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, %y: !hls.array<[1, 3], f32>) attributes {hls.inline, hls.layer = {name = "y_dequant", op = "dequantize", input_type = !hls.fixed<8, 3, false, "RND", "SAT">, output_type = f32, input_shape = [1, 3], output_shape = [1, 3]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    scf.for %i = %c0 to %c3 step %c1 {
      %v = "hls.load"(%x, %c0, %i) : (!hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, index, index) -> !hls.fixed<8, 3, false, "RND", "SAT">
      %f = "hls.cast"(%v) : (!hls.fixed<8, 3, false, "RND", "SAT">) -> f32
      "hls.store"(%f, %y, %c0, %i) : (f32, !hls.array<[1, 3], f32>, index, index) -> ()
    } {hls.unroll = 0}
    func.return
  }
  func.func @main(%x: !hls.array<[1, 4], f32> {hls.direction = "in", hls.interface = "ap_vld", hls.partition = "complete"}, %y: !hls.array<[1, 3], f32> {hls.direction = "out", hls.interface = "ap_vld", hls.partition = "complete"}) attributes {hls.pipeline_ii = 1, hls.top} {
    %xq = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>
    func.call @quantize_x(%x, %xq) : (!hls.array<[1, 4], f32>, !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>) -> ()
    %h = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>
    func.call @fc1(%xq, %h) : (!hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>) -> ()
    %r = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>
    func.call @relu1(%h, %r) : (!hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>) -> ()
    func.call @dequantize_y(%r, %y) : (!hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, !hls.array<[1, 3], f32>) -> ()
    func.return
  }
}
"#;

fn tiny() -> fpgaopt_ir::Module {
    fpgaopt_ir::parser::parse_module(TINY, "tiny.mlir", &fpgaopt_passes::dialects()).expect("the test module parses")
}

#[test]
fn tiny_module_verifies() {
    let m = tiny();
    fpgaopt_ir::verifier::verify(&m).expect("verifies");
    fpgaopt_hls::verify_directives(&m).expect("directives verify");
}

#[test]
fn snapshot_files() {
    let m = tiny();
    for (path, text) in project_files(&m, &EmitOptions::default()).expect("emits") {
        insta::assert_snapshot!(path.replace('/', "__"), text);
    }
}

#[test]
fn text_has_every_file() {
    let text = emit_cpp_text(&tiny(), &EmitOptions::default()).expect("emits");
    for f in ["firmware/defines.h", "firmware/layers.h", "firmware/model.cpp", "firmware/model.h", "firmware/weights/fc1_w.h", "model_test.cpp", "build_prj.tcl", "report.json"] {
        assert!(text.contains(&format!("// ===== {f} =====\n")), "missing {f}");
    }
}

/// The tiny model computed with qdf's exact fixed-point reference (`FixedType`).
fn tiny_reference(x: &[f32]) -> Vec<f32> {
    use fpgaopt_qdf::{FixedType, Overflow, Rounding};
    let rnd_sat = |t: FixedType| t.with_modes(Rounding::Rnd, Overflow::Sat);
    let (in_t, w_t, acc_t) = (rnd_sat(FixedType::new(8, 3)), FixedType::new(4, 1), FixedType::new(16, 6));
    let (mid_t, out_t) = (rnd_sat(FixedType::new(10, 4)), rnd_sat(FixedType::unsigned(8, 3)));
    let w = [[1, -2, 3], [4, -5, 6], [7, -8, 0], [-1, 2, -3]];
    let b = [16, -32, 5];
    let xq: Vec<i128> = x.iter().map(|&v| in_t.quantize_f64(v as f64)).collect();
    (0..3)
        .map(|j| {
            let mut acc = b[j] as i128;
            for k in 0..4 {
                let p = xq[k] * w[k][j] as i128;
                let f = in_t.frac_bits() + w_t.frac_bits();
                let (sum, fs) = fpgaopt_qdf::semantics::add_exact(acc, acc_t.frac_bits(), p, f);
                acc = acc_t.convert(sum, fs);
            }
            let mid = mid_t.cast(acc, &acc_t);
            out_t.to_f32(out_t.cast(mid.max(0), &mid_t))
        })
        .collect()
}

/// Inputs that hit rounding ties, saturation and zero, then pseudo-random ones.
fn tiny_inputs() -> Vec<f32> {
    let mut v: Vec<f32> = vec![0.0, -0.0, 1.0 / 64.0, -1.0 / 64.0, 3.0 / 64.0, -3.0 / 64.0, 100.0, -100.0, 3.96875, -4.0, 3.99, -4.01];
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    while v.len() < 4 * 64 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        v.push(((state >> 11) as f64 / (1u64 << 53) as f64 * 12.0 - 6.0) as f32);
    }
    v
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

#[test]
fn csim_matches_fixed_point_reference() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("emit_project_tiny");
    let _ = std::fs::remove_dir_all(&dir);
    fpgaopt_passes::emit::emit_project(&tiny(), &dir, &EmitOptions::default()).expect("emits");
    let x = tiny_inputs();
    let n = (x.len() / 4) as u64;
    write_npy(&dir.join("in.npy"), &[n, 4], &x);
    let out = dir.join("out.npy");
    fpgaopt_passes::csim::run_csim(&dir, &dir.join("in.npy"), &out).expect("csim runs");
    let (shape, y) = read_npy(&out);
    assert_eq!(shape, vec![n, 3]);
    for (i, sample) in x.chunks(4).enumerate() {
        let want = tiny_reference(sample);
        let got = &y[i * 3..i * 3 + 3];
        assert_eq!(got.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), want.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), "sample {i}: {sample:?}");
    }
    // A second run reuses the cached binary.
    let stamp = std::fs::metadata(dir.join("csim/model_csim")).and_then(|m| m.modified()).expect("binary");
    fpgaopt_passes::csim::run_csim(&dir, &dir.join("in.npy"), &out).expect("csim runs again");
    assert_eq!(std::fs::metadata(dir.join("csim/model_csim")).and_then(|m| m.modified()).expect("binary"), stamp);
}

/// Editing one weight header recompiles the design's unit only (not the testbench), then relinks.
#[test]
fn csim_rebuilds_only_what_changed() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("emit_project_incremental");
    let _ = std::fs::remove_dir_all(&dir);
    fpgaopt_passes::emit::emit_project(&tiny(), &dir, &EmitOptions::default()).expect("emits");
    let x = tiny_inputs();
    write_npy(&dir.join("in.npy"), &[(x.len() / 4) as u64, 4], &x);
    let (input, out) = (dir.join("in.npy"), dir.join("out.npy"));
    fpgaopt_passes::csim::run_csim(&dir, &input, &out).expect("csim runs");
    let before = read_npy(&out).1;
    let mtime = |rel: &str| std::fs::metadata(dir.join(rel)).and_then(|m| m.modified()).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let (design, testbench) = ("csim/obj/firmware__model.o", "csim/obj/model_test.o");
    let stamps = (mtime(design), mtime(testbench));
    let bias = dir.join("firmware/weights/fc1_b.h");
    let text = std::fs::read_to_string(&bias).expect("bias header");
    assert!(text.contains("{16, -32, 5}"), "mantissas of the bias:\n{text}");
    std::fs::write(&bias, text.replace("{16, -32, 5}", "{512, -32, 5}")).expect("edit bias");
    fpgaopt_passes::csim::run_csim(&dir, &input, &out).expect("csim runs after the edit");
    assert_ne!(mtime(design), stamps.0, "the design is recompiled");
    assert_eq!(mtime(testbench), stamps.1, "the testbench is reused");
    assert_ne!(read_npy(&out).1, before, "the new bias reaches the outputs");
}
