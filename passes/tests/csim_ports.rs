//! `run_csim_ports`: C simulation of a design with several input and output ports, a port whose
//! leading dimension is not 1, a design without inputs, the errors for mismatched files and NaN.

use std::path::{Path, PathBuf};

use fpgaopt_passes::emit::EmitOptions;

/// y[i][j] = a[i][j] + b[j] for a: [2, 3], b: [3] (f32); z = b * 2.
const TWO_PORTS: &str = r#"module {
  func.func @main(%a: !hls.array<[2, 3], f32> {hls.direction = "in", hls.interface = "ap_vld"}, %b: !hls.array<[3], f32> {hls.direction = "in", hls.interface = "ap_vld"}, %y: !hls.array<[2, 3], f32> {hls.direction = "out", hls.interface = "ap_vld"}, %z: !hls.array<[3], f32> {hls.direction = "out", hls.interface = "ap_vld"}) attributes {hls.top} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    scf.for %i = %c0 to %c2 step %c1 {
      scf.for %j = %c0 to %c3 step %c1 {
        %av = "hls.load"(%a, %i, %j) : (!hls.array<[2, 3], f32>, index, index) -> f32
        %bv = "hls.load"(%b, %j) : (!hls.array<[3], f32>, index) -> f32
        %s = "hls.add"(%av, %bv) : (f32, f32) -> f32
        "hls.store"(%s, %y, %i, %j) : (f32, !hls.array<[2, 3], f32>, index, index) -> ()
      }
    }
    scf.for %j = %c0 to %c3 step %c1 {
      %bv = "hls.load"(%b, %j) : (!hls.array<[3], f32>, index) -> f32
      %d = "hls.add"(%bv, %bv) : (f32, f32) -> f32
      "hls.store"(%d, %z, %j) : (f32, !hls.array<[3], f32>, index) -> ()
    }
    func.return
  }
}
"#;

/// z = [1.5, -2] with no input port.
const NO_INPUT: &str = r#"module {
  func.func @main(%z: !hls.array<[2], f32> {hls.direction = "out", hls.interface = "ap_vld"}) attributes {hls.top} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %v = "hls.constant"() {value = 3} : () -> !hls.fixed<8, 7, true, "TRN", "WRAP">
    %w = "hls.constant"() {value = -4} : () -> !hls.fixed<8, 7, true, "TRN", "WRAP">
    %vf = "hls.cast"(%v) : (!hls.fixed<8, 7, true, "TRN", "WRAP">) -> f32
    %wf = "hls.cast"(%w) : (!hls.fixed<8, 7, true, "TRN", "WRAP">) -> f32
    "hls.store"(%vf, %z, %c0) : (f32, !hls.array<[2], f32>, index) -> ()
    "hls.store"(%wf, %z, %c1) : (f32, !hls.array<[2], f32>, index) -> ()
    func.return
  }
}
"#;

fn emit(text: &str, name: &str) -> PathBuf {
    let registry = fpgaopt_passes::dialects();
    let m = fpgaopt_ir::parser::parse_module(text, "test.mlir", &registry).expect("parses");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    fpgaopt_passes::emit::emit_project(&m, &dir, &EmitOptions::default()).expect("emits");
    dir
}

fn write_npy(path: &Path, shape: &[u64], data: &[f32]) {
    use npyz::WriterBuilder;
    let f = std::io::BufWriter::new(std::fs::File::create(path).expect("create npy"));
    let mut w = npyz::WriteOptions::new().default_dtype().shape(shape).writer(f).begin_nd().expect("npy header");
    w.extend(data.iter().copied()).expect("npy data");
    w.finish().expect("npy finish");
}

fn read_npy(path: &Path) -> (Vec<u64>, Vec<f32>) {
    let f = npyz::NpyFile::new(std::fs::File::open(path).expect("open npy")).expect("npy header");
    let shape = f.shape().to_vec();
    (shape, f.into_vec::<f32>().expect("f32 data"))
}

#[test]
fn csim_feeds_every_port_and_splits_every_output() {
    let dir = emit(TWO_PORTS, "csim_two_ports");
    // Two samples; a's leading dimension is 2, so its samples keep it: (N, 2, 3).
    let a: Vec<f32> = (0..12).map(|i| i as f32).collect();
    let b = [0.5f32, -1.0, 2.0, 10.0, 20.0, 30.0];
    let (pa, pb) = (dir.join("a.npy"), dir.join("b.npy"));
    write_npy(&pa, &[2, 2, 3], &a);
    write_npy(&pb, &[2, 3], &b);
    let (py, pz) = (dir.join("y.npy"), dir.join("z.npy"));
    fpgaopt_passes::csim::run_csim_ports(&dir, &[pa, pb], &[py.clone(), pz.clone()]).expect("csim runs");
    let (shape, y) = read_npy(&py);
    assert_eq!(shape, vec![2, 2, 3]);
    let want: Vec<f32> = (0..12).map(|k| a[k] + b[(k / 6) * 3 + k % 3]).collect();
    assert_eq!(y, want);
    let (shape, z) = read_npy(&pz);
    assert_eq!(shape, vec![2, 3]);
    assert_eq!(z, b.iter().map(|v| v * 2.0).collect::<Vec<_>>());
}

#[test]
fn csim_runs_a_design_without_inputs_once() {
    let dir = emit(NO_INPUT, "csim_no_input");
    let out = dir.join("z.npy");
    fpgaopt_passes::csim::run_csim_ports(&dir, &[], &[out.clone()]).expect("csim runs");
    assert_eq!(read_npy(&out), (vec![1, 2], vec![1.5, -2.0]));
}

#[test]
fn csim_names_the_ports_when_files_are_missing_or_wrong() {
    let dir = emit(TWO_PORTS, "csim_port_errors");
    let (pa, pb) = (dir.join("a.npy"), dir.join("b.npy"));
    write_npy(&pa, &[1, 2, 3], &[0.0; 6]);
    write_npy(&pb, &[2, 3], &[0.0; 6]);
    let out = [dir.join("y.npy"), dir.join("z.npy")];
    let err = fpgaopt_passes::csim::run_csim_ports(&dir, std::slice::from_ref(&pa), &out).expect_err("one input is missing");
    assert_eq!(
        err.message,
        "csim: the design has 2 input ports (a, b) but 1 --input file was given; give one --input per port, in this order"
    );
    let err = fpgaopt_passes::csim::run_csim_ports(&dir, &[pa.clone(), pb], &out).expect_err("sample counts differ");
    assert!(err.message.contains("holds 2 samples but"), "{}", err.message);
    let err = fpgaopt_passes::csim::run_csim(&dir, &pa, &out[0]).expect_err("the single-port form on two ports");
    assert!(err.message.contains("2 input ports (a, b)"), "{}", err.message);
}

/// x (f32) -> ap_fixed<16, 6> -> f32, in a layer function as `compile` emits it.
const QUANTIZE: &str = r#"module {
  func.func @x_quantize(%x: !hls.array<[3], f32>, %y: !hls.array<[3], f32>) attributes {hls.inline, hls.layer = {name = "x_quantize", op = "quantize", input_type = f32, output_type = !hls.fixed<16, 6, true, "TRN", "WRAP">, input_shape = [3], output_shape = [3]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    scf.for %i = %c0 to %c3 step %c1 {
      %v = "hls.load"(%x, %i) : (!hls.array<[3], f32>, index) -> f32
      %q = "hls.cast"(%v) : (f32) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
      %f = "hls.cast"(%q) : (!hls.fixed<16, 6, true, "TRN", "WRAP">) -> f32
      "hls.store"(%f, %y, %i) : (f32, !hls.array<[3], f32>, index) -> ()
    }
    func.return
  }
  func.func @main(%x: !hls.array<[3], f32> {hls.direction = "in", hls.interface = "ap_vld"}, %y: !hls.array<[3], f32> {hls.direction = "out", hls.interface = "ap_vld"}) attributes {hls.top} {
    func.call @x_quantize(%x, %y) : (!hls.array<[3], f32>, !hls.array<[3], f32>) -> ()
    func.return
  }
}
"#;

#[test]
fn csim_refuses_nan_for_fixed_point_designs() {
    let dir = emit(QUANTIZE, "csim_non_finite");
    let (x, y) = (dir.join("x.npy"), dir.join("y.npy"));
    write_npy(&x, &[2, 3], &[0.0, 1.0, 2.0, 3.0, f32::NAN, 5.0]);
    let err = fpgaopt_passes::csim::run_csim(&dir, &x, &y).expect_err("a NaN input");
    assert!(err.message.contains("sample 1 of input 'x' holds NaN at element 1"), "{}", err.message);
    assert!(err.message.contains("cannot represent NaN"), "{}", err.message);
    write_npy(&x, &[1, 3], &[0.5, -1.25, 2.0]);
    fpgaopt_passes::csim::run_csim(&dir, &x, &y).expect("finite inputs run");
    assert_eq!(read_npy(&y), (vec![1, 3], vec![0.5, -1.25, 2.0]));
}

/// A design computing in f32 takes NaN like any other value.
#[test]
fn csim_passes_nan_to_float_designs() {
    let dir = emit(TWO_PORTS, "csim_float_nan");
    let (pa, pb) = (dir.join("a.npy"), dir.join("b.npy"));
    write_npy(&pa, &[1, 2, 3], &[0.0, 1.0, 2.0, f32::NAN, 4.0, 5.0]);
    write_npy(&pb, &[1, 3], &[0.0; 3]);
    let out = [dir.join("y.npy"), dir.join("z.npy")];
    fpgaopt_passes::csim::run_csim_ports(&dir, &[pa, pb], &out).expect("csim runs");
    assert!(read_npy(&out[0]).1[3].is_nan());
}
