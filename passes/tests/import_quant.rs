//! `import-onnx` on quantizers, with models built here from protobuf types: which `nn` ops they
//! become, what folds, which summation order a dense gets, and the diagnostics of malformed or
//! inexact quantizers.

use fpgaopt_ir::pass::{Options, PassContext};
use fpgaopt_ir::printer::{print_module, PrintOptions};
use fpgaopt_ir::{Diagnostic, Location, Module};
use fpgaopt_nn::eval::{run_main, Tensor};
use onnx_protobuf::attribute_proto::AttributeType;
use onnx_protobuf::tensor_shape_proto::dimension::Value as DimValue;
use onnx_protobuf::tensor_shape_proto::Dimension;
use onnx_protobuf::type_proto::{Tensor as TensorTypeProto, Value as TypeValue};
use onnx_protobuf::{
    AttributeProto, GraphProto, Message, ModelProto, NodeProto, OperatorSetIdProto, TensorProto, TensorShapeProto,
    TypeProto, ValueInfoProto,
};

const QONNX: &str = "qonnx.custom_op.general";

// ----- a tiny ONNX builder -----

fn f32_init(name: &str, dims: &[i64], data: &[f32]) -> TensorProto {
    let mut t = TensorProto::new();
    t.name = name.into();
    t.dims = dims.to_vec();
    t.data_type = 1;
    t.raw_data = data.iter().flat_map(|v| v.to_le_bytes()).collect();
    t
}

fn f64_init(name: &str, dims: &[i64], data: &[f64]) -> TensorProto {
    let mut t = TensorProto::new();
    t.name = name.into();
    t.dims = dims.to_vec();
    t.data_type = 11;
    t.raw_data = data.iter().flat_map(|v| v.to_le_bytes()).collect();
    t
}

/// An integer initializer of ONNX type `dtype` (2 = uint8, 3 = int8, 6 = int32, 7 = int64).
fn int_init(name: &str, dims: &[i64], dtype: i32, data: &[i64]) -> TensorProto {
    let mut t = TensorProto::new();
    t.name = name.into();
    t.dims = dims.to_vec();
    t.data_type = dtype;
    if dtype == 7 {
        t.int64_data = data.to_vec();
    } else {
        t.int32_data = data.iter().map(|&v| v as i32).collect();
    }
    t
}

fn vi(name: &str, dims: &[i64]) -> ValueInfoProto {
    let mut shape = TensorShapeProto::new();
    for &d in dims {
        let mut dim = Dimension::new();
        dim.value = Some(DimValue::DimValue(d));
        shape.dim.push(dim);
    }
    let mut tt = TensorTypeProto::new();
    tt.elem_type = 1;
    tt.shape = Some(shape).into();
    let mut ty = TypeProto::new();
    ty.value = Some(TypeValue::TensorType(tt));
    let mut v = ValueInfoProto::new();
    v.name = name.into();
    v.type_ = Some(ty).into();
    v
}

enum A {
    I(i64),
    S(&'static str),
}

fn node(op: &str, domain: &str, name: &str, inputs: &[&str], outputs: &[&str], attrs: Vec<(&str, A)>) -> NodeProto {
    let mut n = NodeProto::new();
    n.op_type = op.into();
    n.domain = domain.into();
    n.name = name.into();
    n.input = inputs.iter().map(|s| s.to_string()).collect();
    n.output = outputs.iter().map(|s| s.to_string()).collect();
    for (k, v) in attrs {
        let mut a = AttributeProto::new();
        a.name = k.into();
        let ty = match v {
            A::I(i) => {
                a.i = i;
                AttributeType::INT
            }
            A::S(s) => {
                a.s = s.as_bytes().to_vec();
                AttributeType::STRING
            }
        };
        a.type_ = ty.into();
        n.attribute.push(a);
    }
    n
}

/// A QONNX Quant node reading `x` with parameters `s`, `z`, `b`.
fn quant(name: &str, x: &str, y: &str, attrs: Vec<(&str, A)>) -> NodeProto {
    node("Quant", QONNX, name, &[x, "s", "z", "b"], &[y], attrs)
}

fn model(nodes: Vec<NodeProto>, x: &[i64], y: &[i64], inits: Vec<TensorProto>, opsets: &[(&str, i64)]) -> ModelProto {
    let mut g = GraphProto::new();
    g.name = "test".into();
    g.node = nodes;
    g.input = vec![vi("x", x)];
    g.output = vec![vi("y", y)];
    g.initializer = inits;
    let mut m = ModelProto::new();
    m.ir_version = 8;
    m.opset_import = opsets
        .iter()
        .map(|(d, v)| {
            let mut o = OperatorSetIdProto::new();
            o.domain = d.to_string();
            o.version = *v;
            o
        })
        .collect();
    m.graph = Some(g).into();
    m
}

fn import(test: &str, model: &ModelProto) -> Result<Module, Diagnostic> {
    let path = std::env::temp_dir().join(format!("fpgaopt-quant-{}-{test}.onnx", std::process::id()));
    std::fs::write(&path, model.write_to_bytes().expect("serialises")).expect("temp file");
    let registry = fpgaopt_passes::dialects();
    let file = path.to_string_lossy().to_string();
    let mut ctx = PassContext { registry: &registry, input_path: &file, remarks: vec![] };
    let mut m = Module::new(Location::Unknown);
    let r = (fpgaopt_passes::import_onnx::IMPORT_ONNX.run)(&mut m, &Options::default(), &mut ctx);
    let _ = std::fs::remove_file(&path);
    r.map(|()| m)
}

fn text(m: &Module) -> String {
    print_module(m, &PrintOptions::default())
}

fn ops(m: &Module) -> Vec<&'static str> {
    let f = m.lookup_symbol("main").expect("@main");
    let b = m.entry_block(f, 0).expect("body");
    m.block_ops(b).iter().map(|&o| m.op(o).name()).filter(|&n| n != "nn.constant").collect()
}

fn err(r: Result<Module, Diagnostic>) -> String {
    match r {
        Ok(m) => panic!("expected an error, imported:\n{}", text(&m)),
        Err(d) => d.message,
    }
}

fn params(s: f32, z: f32, b: f32) -> Vec<TensorProto> {
    vec![f32_init("s", &[], &[s]), f32_init("z", &[], &[z]), f32_init("b", &[], &[b])]
}

// ----- QONNX -----

#[test]
fn quant_attributes_default_like_the_qonnx_specification() {
    // signed = 1, narrow = 0, rounding_mode = ROUND when absent.
    let m = import(
        "defaults",
        &model(vec![quant("q", "x", "y", vec![])], &[1, 4], &[1, 4], params(0.5, 0.0, 4.0), &[("", 13)]),
    )
    .unwrap();
    assert!(
        text(&m).contains("{bit_width = 4, narrow = false, rounding_mode = \"ROUND\", signed = true}"),
        "{}",
        text(&m)
    );
    let y = run_main(&m, &[Tensor::new(vec![1, 4], vec![0.25, 0.75, 100.0, -100.0]).unwrap()]).unwrap();
    assert_eq!(y[0].data, vec![0.0, 1.0, 3.5, -4.0]);
}

#[test]
fn quantized_weights_fold_at_import() {
    // Quant(W) -> Transpose -> MatMul: one dense with the quantized weight; the quantizer folds.
    let nodes = vec![
        node("Quant", "onnx.brevitas", "wq", &["w", "s", "z", "b"], &["wq_out"], vec![("narrow", A::I(1))]),
        node("Transpose", "", "t", &["wq_out"], &["wt"], vec![]),
        node("MatMul", "", "fc", &["x", "wt"], &["y"], vec![]),
    ];
    let mut inits = params(0.5, 0.0, 2.0);
    inits.push(f32_init("w", &[2, 3], &[0.2, -0.8, 0.3, 1.0, -0.26, 0.74]));
    let m = import("fold", &model(nodes, &[1, 3], &[1, 2], inits, &[("", 9), ("onnx.brevitas", 1)])).unwrap();
    assert_eq!(ops(&m), ["nn.dense", "func.return"]);
    // narrow 2-bit signed: codes in [-1, 1]; 0.74 / 0.5 rounds to 1, -0.8 / 0.5 to -2 then clamps to -1.
    assert!(text(&m).contains("dense<[[0.0, 0.5], [-0.5, -0.5], [0.5, 0.5]]> : tensor<3x2xf32>"), "{}", text(&m));
}

#[test]
fn a_qonnx_model_sums_every_weight_in_the_run_time_order() {
    // Under qonnx's node-by-node execution even an initializer weight reaches onnxruntime as an
    // input, so the dense gets the M = 1 order; the same MatMul in a plain model is prepacked.
    let fc = node("MatMul", "", "fc", &["h", "w"], &["y"], vec![]);
    let sign = node("BipolarQuant", QONNX, "sign", &["x", "s"], &["h"], vec![]);
    let inits = vec![f32_init("s", &[], &[1.0]), f32_init("w", &[4, 2], &[0.5; 8])];
    let m =
        import("m1", &model(vec![sign, fc.clone()], &[1, 4], &[1, 2], inits.clone(), &[("", 13), (QONNX, 1)])).unwrap();
    assert!(text(&m).contains("order = \"mlas_m1\""), "{}", text(&m));
    let fc = node("MatMul", "", "fc", &["x", "w"], &["y"], vec![]);
    let m = import("packed", &model(vec![fc], &[1, 4], &[1, 2], inits, &[("", 13)])).unwrap();
    assert!(!text(&m).contains("order"), "{}", text(&m));
}

#[test]
fn trunc_reads_its_version_from_the_domain_opset() {
    let v2 =
        node("Trunc", QONNX, "tr", &["x", "s", "z", "ib", "os", "ob"], &["y"], vec![("rounding_mode", A::S("floor"))]);
    let mut inits = params(0.25, 0.0, 8.0);
    inits.extend([f32_init("ib", &[], &[8.0]), f32_init("os", &[], &[1.0]), f32_init("ob", &[], &[3.0])]);
    let m =
        import("trunc2", &model(vec![v2.clone()], &[1, 4], &[1, 4], inits.clone(), &[("", 13), (QONNX, 2)])).unwrap();
    assert!(text(&m).contains("output_bit_width = 3, rounding_mode = \"FLOOR\", shift = 2"), "{}", text(&m));
    // x / 0.25 -> round -> / 4 -> clamp [-4, 3] -> floor -> * 1: 1.9 -> 7.6 -> 8 -> 2.
    let y = run_main(&m, &[Tensor::new(vec![1, 4], vec![0.3, 1.9, -0.6, 50.0]).unwrap()]).unwrap();
    assert_eq!(y[0].data, vec![0.0, 2.0, -1.0, 3.0]);
    assert_eq!(
        err(import("trunc2as1", &model(vec![v2], &[1, 4], &[1, 4], inits, &[("", 13), (QONNX, 1)]))),
        "node 'tr' (Trunc): Trunc version 1 takes 5 inputs, got 6 (the version is the model's opset for domain 'qonnx.custom_op.general')"
    );
}

#[test]
fn malformed_quantizers_are_errors_naming_the_node() {
    let q = || vec![quant("act_q", "x", "y", vec![])];
    let cases: Vec<(Vec<TensorProto>, &str)> = vec![
        (params(0.5, 0.0, 0.0), "node 'act_q' (Quant): bit width 0 is out of range (1 to 32)"),
        (params(0.5, 0.0, 33.0), "node 'act_q' (Quant): bit width 33 is out of range (1 to 32)"),
        (params(0.5, 0.0, 2.5), "node 'act_q' (Quant): bit width must be an integer, got 2.5"),
        (params(0.0, 0.0, 4.0), "node 'act_q' (Quant): scale must be positive and finite, got 0"),
        (params(-1.0, 0.0, 4.0), "node 'act_q' (Quant): scale must be positive and finite, got -1"),
        (params(f32::NAN, 0.0, 4.0), "node 'act_q' (Quant): scale must be positive and finite, got NaN"),
        (
            vec![f32_init("s", &[3], &[0.5; 3]), f32_init("z", &[], &[0.0]), f32_init("b", &[], &[4.0])],
            "node 'act_q' (Quant): scale of shape [3] does not match the input shape [1, 4]",
        ),
        (
            vec![f32_init("s", &[], &[0.5]), f32_init("z", &[4], &[0.0; 4]), f32_init("b", &[2], &[4.0, 4.0])],
            "node 'act_q' (Quant): bit width must be a scalar, got shape [2]",
        ),
    ];
    for (i, (inits, want)) in cases.into_iter().enumerate() {
        let r = import(&format!("bad{i}"), &model(q(), &[1, 4], &[1, 4], inits, &[("", 13), (QONNX, 1)]));
        assert_eq!(err(r), want, "case {i}");
    }
}

#[test]
fn float64_arithmetic_is_accepted_only_where_it_gives_the_float32_bits() {
    // An int64 zero point of 0 (QKeras exports) and a float64 power-of-two scale are exact.
    let inits = vec![f64_init("s", &[], &[0.125]), int_init("z", &[], 7, &[0]), int_init("b", &[], 7, &[6])];
    let m = import("f64ok", &model(vec![quant("q", "x", "y", vec![])], &[1, 4], &[1, 4], inits, &[("", 13)])).unwrap();
    assert_eq!(ops(&m), ["nn.quant", "func.return"]);
    let inits = vec![f64_init("s", &[], &[0.1]), f32_init("z", &[], &[0.0]), f32_init("b", &[], &[6.0])];
    let e = err(import("f64div", &model(vec![quant("q", "x", "y", vec![])], &[1, 4], &[1, 4], inits, &[("", 13)])));
    assert!(e.contains("makes qonnx divide in float64"), "{e}");
    let inits = vec![f32_init("s", &[], &[0.5]), int_init("z", &[], 7, &[0]), f32_init("b", &[], &[6.0])];
    let half = quant("q", "x", "y", vec![("rounding_mode", A::S("HALF_UP"))]);
    let e = err(import("f64half", &model(vec![half], &[1, 4], &[1, 4], inits, &[("", 13)])));
    assert!(e.contains("compute this quantizer in float64"), "{e}");
}

// ----- ONNX -----

#[test]
fn quantize_dequantize_pairs_become_one_fake_quantizer() {
    let nodes = vec![
        node("QuantizeLinear", "", "q", &["x", "s", "z"], &["q_out"], vec![]),
        node("DequantizeLinear", "", "dq", &["q_out", "s", "z"], &["y"], vec![]),
    ];
    let inits = vec![f32_init("s", &[], &[0.1]), int_init("z", &[], 2, &[128])];
    let m = import("qdq", &model(nodes, &[1, 4], &[1, 4], inits, &[("", 13)])).unwrap();
    assert_eq!(ops(&m), ["nn.qdq", "func.return"], "{}", text(&m));
    // q = clamp(round_half_even(x / 0.1) + 128, 0, 255); y = (q - 128) * 0.1; NaN -> q = 0.
    let y = run_main(&m, &[Tensor::new(vec![1, 4], vec![0.25, 0.35, 100.0, f32::NAN]).unwrap()]).unwrap();
    assert_eq!(y[0].data, vec![0.2, 0.4, 12.7, -12.8]);
}

#[test]
fn a_dequantizer_with_other_parameters_computes_q_minus_z_times_s() {
    let nodes = vec![
        node("QuantizeLinear", "", "q", &["x", "s", "z"], &["q_out"], vec![]),
        node("DequantizeLinear", "", "dq", &["q_out", "s2", "z"], &["y"], vec![]),
    ];
    let inits = vec![f32_init("s", &[], &[0.5]), f32_init("s2", &[], &[0.25]), int_init("z", &[], 3, &[-2])];
    let m = import("qdq2", &model(nodes, &[1, 3], &[1, 3], inits, &[("", 13)])).unwrap();
    assert_eq!(ops(&m), ["nn.quantize_linear", "nn.sub", "nn.mul", "func.return"], "{}", text(&m));
    let y = run_main(&m, &[Tensor::new(vec![1, 3], vec![1.0, -100.0, 0.74]).unwrap()]).unwrap();
    assert_eq!(y[0].data, vec![0.5, -31.5, 0.25]);
}

#[test]
fn qlinear_matmul_refuses_sums_beyond_float32() {
    let k = 1100;
    let nodes = vec![
        node("QuantizeLinear", "", "q", &["x", "xs", "xz"], &["xq"], vec![]),
        node("QLinearMatMul", "", "qmm", &["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz"], &["y"], vec![]),
    ];
    let inits = vec![
        f32_init("xs", &[], &[0.1]),
        int_init("xz", &[], 2, &[0]),
        int_init("w", &[k, 1], 3, &vec![-127; k as usize]),
        f32_init("ws", &[], &[0.01]),
        int_init("wz", &[], 3, &[0]),
        f32_init("ys", &[], &[0.5]),
        int_init("yz", &[], 2, &[10]),
    ];
    let e = err(import("qmm-big", &model(nodes, &[1, k], &[1, 1], inits, &[("", 13)])));
    assert_eq!(
        e,
        "node 'qmm' (QLinearMatMul): the integer product may reach 35623500, beyond 2^24, where float32 (the nn dialect's number type) is no longer exact"
    );
}

#[test]
fn opset_9_models_import() {
    let m = import(
        "op9",
        &model(vec![node("Relu", "", "r", &["x"], &["y"], vec![])], &[1, 4], &[1, 4], vec![], &[("", 9)]),
    );
    assert!(m.is_ok());
}
