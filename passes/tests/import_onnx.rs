//! `import-onnx` on models built here with the protobuf types: operator mapping, folding,
//! locations, diagnostics, and numerics against onnxruntime.

use fpgaopt_ir::builtin::FuncOp;
use fpgaopt_ir::pass::{Options, PassContext};
use fpgaopt_ir::printer::{print_module, PrintOptions};
use fpgaopt_ir::{Diagnostic, Location, Module};
use fpgaopt_nn::eval::{run_function, Tensor};
use onnx_protobuf::attribute_proto::AttributeType;
use onnx_protobuf::tensor_shape_proto::dimension::Value as DimValue;
use onnx_protobuf::tensor_shape_proto::Dimension;
use onnx_protobuf::type_proto::{Tensor as TensorTypeProto, Value as TypeValue};
use onnx_protobuf::{
    AttributeProto, GraphProto, Message, ModelProto, NodeProto, OperatorSetIdProto, TensorProto, TensorShapeProto,
    TypeProto, ValueInfoProto,
};

// ----- a tiny ONNX builder -----

fn f32_init(name: &str, dims: &[i64], data: &[f32]) -> TensorProto {
    let mut t = TensorProto::new();
    t.name = name.into();
    t.dims = dims.to_vec();
    t.data_type = 1;
    t.raw_data = data.iter().flat_map(|v| v.to_le_bytes()).collect();
    t
}

fn i64_init(name: &str, dims: &[i64], data: &[i64]) -> TensorProto {
    let mut t = TensorProto::new();
    t.name = name.into();
    t.dims = dims.to_vec();
    t.data_type = 7;
    t.int64_data = data.to_vec();
    t
}

/// A float tensor value_info; a dimension of -1 is symbolic (`N`).
fn vi(name: &str, dims: &[i64]) -> ValueInfoProto {
    let mut shape = TensorShapeProto::new();
    for &d in dims {
        let mut dim = Dimension::new();
        dim.value = Some(if d < 0 { DimValue::DimParam("N".into()) } else { DimValue::DimValue(d) });
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
    F(f32),
    I(i64),
    Is(Vec<i64>),
    T(Box<TensorProto>),
}

fn node(op: &str, name: &str, inputs: &[&str], outputs: &[&str], attrs: Vec<(&str, A)>) -> NodeProto {
    let mut n = NodeProto::new();
    n.op_type = op.into();
    n.name = name.into();
    n.input = inputs.iter().map(|s| s.to_string()).collect();
    n.output = outputs.iter().map(|s| s.to_string()).collect();
    for (k, v) in attrs {
        let mut a = AttributeProto::new();
        a.name = k.into();
        let ty = match v {
            A::F(f) => {
                a.f = f;
                AttributeType::FLOAT
            }
            A::I(i) => {
                a.i = i;
                AttributeType::INT
            }
            A::Is(is) => {
                a.ints = is;
                AttributeType::INTS
            }
            A::T(t) => {
                a.t = Some(*t).into();
                AttributeType::TENSOR
            }
        };
        a.type_ = ty.into();
        n.attribute.push(a);
    }
    n
}

fn model(
    nodes: Vec<NodeProto>,
    inputs: Vec<ValueInfoProto>,
    outputs: Vec<ValueInfoProto>,
    inits: Vec<TensorProto>,
    opset: i64,
) -> ModelProto {
    let mut g = GraphProto::new();
    g.name = "test".into();
    g.node = nodes;
    g.input = inputs;
    g.output = outputs;
    g.initializer = inits;
    let mut o = OperatorSetIdProto::new();
    o.version = opset;
    let mut m = ModelProto::new();
    m.ir_version = 8;
    m.opset_import = vec![o];
    m.graph = Some(g).into();
    m
}

/// Writes `bytes` to a temporary file named after the test and imports it.
fn import_bytes(test: &str, bytes: &[u8]) -> Result<Module, Diagnostic> {
    let path = std::env::temp_dir().join(format!("fpgaopt-{}-{test}.onnx", std::process::id()));
    std::fs::write(&path, bytes).expect("temp file");
    let registry = fpgaopt_passes::dialects();
    let path_str = path.to_string_lossy().to_string();
    let mut ctx = PassContext { registry: &registry, input_path: &path_str, remarks: vec![] };
    let mut m = Module::new(Location::Unknown);
    let r = (fpgaopt_passes::import_onnx::IMPORT_ONNX.run)(&mut m, &Options::default(), &mut ctx);
    let _ = std::fs::remove_file(&path);
    r.map(|()| m)
}

fn import(test: &str, model: &ModelProto) -> Result<Module, Diagnostic> {
    import_bytes(test, &model.write_to_bytes().expect("serialises"))
}

fn text(m: &Module) -> String {
    print_module(m, &PrintOptions::default())
}

fn ops(m: &Module) -> Vec<&'static str> {
    let f = m.lookup_symbol("main").expect("@main");
    let b = m.entry_block(f, 0).expect("body");
    m.block_ops(b).iter().map(|&o| m.op(o).name()).collect()
}

fn run(m: &Module, inputs: &[Tensor]) -> Vec<Tensor> {
    run_function(m, m.lookup_symbol("main").expect("@main"), inputs).expect("interprets")
}

/// The generator the onnxruntime references were made with (see `dialects/nn/tests/eval.rs`).
struct Lcg(u64);

impl Lcg {
    fn vec(&mut self, n: usize) -> Vec<f32> {
        (0..n)
            .map(|_| {
                self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                ((self.0 >> 40) as f64 / (1u64 << 23) as f64 - 1.0) as f32
            })
            .collect()
    }
}

fn err_text(r: Result<Module, Diagnostic>) -> String {
    match r {
        Ok(m) => panic!("expected an error, imported:\n{}", text(&m)),
        Err(d) => {
            let mut s = d.message.clone();
            for (_, n) in &d.notes {
                s.push_str(&format!("\nnote: {n}"));
            }
            s
        }
    }
}

// ----- mapping -----

#[test]
fn gemm_folds_alpha_beta_and_transb() {
    let wt = f32_init("wt", &[3, 2], &[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    let c = f32_init("c", &[3], &[0.5, -0.5, 1.0]);
    let g = node(
        "Gemm",
        "fc1",
        &["x", "wt", "c"],
        &["y"],
        vec![("alpha", A::F(2.0)), ("beta", A::F(0.5)), ("transB", A::I(1))],
    );
    let m = import("gemm", &model(vec![g], vec![vi("x", &[-1, 2])], vec![vi("y", &[-1, 3])], vec![wt, c], 13)).unwrap();
    assert_eq!(ops(&m), ["nn.constant", "nn.constant", "nn.dense", "func.return"]);
    let t = text(&m);
    assert!(t.contains("dense<[[2.0, 4.0, 6.0], [8.0, 10.0, 12.0]]> : tensor<2x3xf32>"), "{t}");
    assert!(t.contains("dense<[0.25, -0.25, 0.5]> : tensor<3xf32>"), "{t}");
    assert!(t.contains("func.func @main(%x: tensor<1x2xf32>) -> tensor<1x3xf32>"), "{t}");
    let y = run(&m, &[Tensor::new(vec![1, 2], vec![1.0, 1.0]).unwrap()]);
    assert_eq!(y[0].data, vec![10.25, 13.75, 18.5]);
}

/// A computed B (the onnx node tests feed every operand as a graph input): nn.matmul, then alpha
/// by nn.mul and beta * C by nn.add; a transposed computed operand goes through nn.transpose.
#[test]
fn gemm_with_computed_b_is_a_matmul() {
    let c = f32_init("c", &[2], &[0.5, -1.0]);
    let g = node("Gemm", "fc1", &["a", "b", "c"], &["y"], vec![("alpha", A::F(2.0)), ("beta", A::F(0.5))]);
    let inputs = vec![vi("a", &[1, 3]), vi("b", &[3, 2])];
    let m = import("gemm-computed-b", &model(vec![g], inputs, vec![vi("y", &[1, 2])], vec![c.clone()], 13)).unwrap();
    assert_eq!(ops(&m), ["nn.matmul", "nn.constant", "nn.mul", "nn.constant", "nn.add", "func.return"]);
    let a = Tensor::new(vec![1, 3], vec![1.0, 2.0, 3.0]).unwrap();
    let b = Tensor::new(vec![3, 2], vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0]).unwrap();
    // alpha * [4, 5] + beta * [0.5, -1]
    assert_eq!(run(&m, &[a.clone(), b])[0].data, vec![8.25, 9.5]);
    let g = node("Gemm", "fc1", &["a", "bt"], &["y"], vec![("transB", A::I(1))]);
    let inputs = vec![vi("a", &[1, 3]), vi("bt", &[2, 3])];
    let m = import("gemm-computed-bt", &model(vec![g], inputs, vec![vi("y", &[1, 2])], vec![], 13)).unwrap();
    assert_eq!(ops(&m), ["nn.transpose", "nn.matmul", "func.return"]);
    let bt = Tensor::new(vec![2, 3], vec![1.0, 0.0, 1.0, 0.0, 1.0, 1.0]).unwrap();
    assert_eq!(run(&m, &[a, bt])[0].data, vec![4.0, 5.0]);
}

#[test]
fn matmul_add_becomes_one_dense_unless_shared() {
    let w = f32_init("w", &[3, 2], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let b = f32_init("b", &[1, 2], &[0.25, -0.25]);
    let nodes =
        vec![node("MatMul", "mm", &["x", "w"], &["t"], vec![]), node("Add", "add", &["b", "t"], &["y"], vec![])];
    let m =
        import("mm-add", &model(nodes, vec![vi("x", &[1, 3])], vec![vi("y", &[1, 2])], vec![w.clone(), b.clone()], 13))
            .unwrap();
    assert_eq!(ops(&m), ["nn.constant", "nn.constant", "nn.dense", "func.return"]);
    assert!(text(&m).contains("dense<[0.25, -0.25]> : tensor<2xf32>"));
    // The MatMul result is also a graph output: the Add stays separate.
    let nodes =
        vec![node("MatMul", "mm", &["x", "w"], &["t"], vec![]), node("Add", "add", &["t", "b"], &["y"], vec![])];
    let m = import(
        "mm-shared",
        &model(nodes, vec![vi("x", &[1, 3])], vec![vi("y", &[1, 2]), vi("t", &[1, 2])], vec![w, b], 13),
    )
    .unwrap();
    assert_eq!(ops(&m), ["nn.constant", "nn.constant", "nn.dense", "nn.constant", "nn.add", "func.return"]);
}

#[test]
fn brevitas_flatten_subgraph_folds_to_a_reshape() {
    let nodes = vec![
        node("Shape", "Shape_0", &["x"], &["s"], vec![]),
        node("Gather", "Gather_2", &["s", "zero"], &["n"], vec![("axis", A::I(0))]),
        node("Unsqueeze", "Unsqueeze_3", &["n"], &["n1"], vec![("axes", A::Is(vec![0]))]),
        node("Concat", "Concat_4", &["n1", "m1"], &["target"], vec![("axis", A::I(0))]),
        node("Reshape", "Reshape_5", &["x", "target"], &["y"], vec![]),
    ];
    let inits = vec![i64_init("zero", &[], &[0]), i64_init("m1", &[1], &[-1])];
    let m =
        import("brevitas", &model(nodes, vec![vi("x", &[-1, 1, 4, 4])], vec![vi("y", &[-1, 16])], inits, 11)).unwrap();
    assert_eq!(ops(&m), ["nn.reshape", "func.return"]);
    assert!(text(&m).contains("(tensor<1x1x4x4xf32>) -> tensor<1x16xf32>"));
}

#[test]
fn constant_subgraphs_fold_and_unused_constants_stay_out() {
    let c = f32_init("cv", &[2, 2], &[1.0, 2.0, 3.0, 4.0]);
    let nodes = vec![
        node("Constant", "const", &[], &["c"], vec![("value", A::T(Box::new(c)))]),
        node("Transpose", "tr", &["c"], &["ct"], vec![]),
        node("Mul", "scale", &["ct", "two"], &["w"], vec![]),
        node("BatchNormalization", "bn", &["w", "one", "zero", "zero", "one"], &["wn"], vec![("epsilon", A::F(0.0))]),
        node("MatMul", "mm", &["x", "wn"], &["y"], vec![]),
    ];
    let inits = vec![
        f32_init("two", &[], &[2.0]),
        f32_init("one", &[2], &[1.0, 1.0]),
        f32_init("zero", &[2], &[0.0, 0.0]),
        f32_init("unused", &[3], &[7.0, 7.0, 7.0]),
    ];
    let m = import("fold", &model(nodes, vec![vi("x", &[1, 2])], vec![vi("y", &[1, 2])], inits, 13)).unwrap();
    assert_eq!(ops(&m), ["nn.constant", "nn.constant", "nn.dense", "func.return"]);
    let t = text(&m);
    assert!(t.contains("dense<[[2.0, 6.0], [4.0, 8.0]]>"), "{t}");
    assert!(!t.contains("7.0"));
}

#[test]
fn dimension_ops_on_computed_tensors_become_reshapes() {
    let nodes = vec![
        node("Unsqueeze", "u", &["x", "axes"], &["a"], vec![]),
        node("Transpose", "t", &["a"], &["b"], vec![("perm", A::Is(vec![1, 0, 2]))]),
        node("Squeeze", "s", &["b"], &["c"], vec![]),
        node("Flatten", "f", &["c"], &["y"], vec![("axis", A::I(0))]),
    ];
    let inits = vec![i64_init("axes", &[1], &[0])];
    let m = import("dims", &model(nodes, vec![vi("x", &[1, 4])], vec![vi("y", &[1, 4])], inits, 13)).unwrap();
    assert_eq!(ops(&m), ["nn.reshape", "nn.reshape", "nn.reshape", "nn.flatten", "func.return"]);
    let t = text(&m);
    for ty in ["tensor<1x1x4xf32>", "tensor<4xf32>", "tensor<1x4xf32>"] {
        assert!(t.contains(ty), "{t}");
    }
}

#[test]
fn locations_name_the_nodes() {
    let nodes = vec![node("Relu", "", &["x"], &["r"], vec![]), node("Sigmoid", "act", &["r"], &["y"], vec![])];
    let m = import("locs", &model(nodes, vec![vi("x", &[1, 4])], vec![vi("y", &[1, 4])], vec![], 13)).unwrap();
    let t = print_module(&m, &PrintOptions { debug_info: true, ..PrintOptions::default() });
    assert!(t.contains("loc(\"Relu_0\"("), "{t}");
    assert!(t.contains("loc(\"act\"("), "{t}");
}

#[test]
fn initializers_listed_as_inputs_are_not_arguments() {
    let nodes = vec![node("Add", "add", &["x", "b"], &["y"], vec![])];
    let m = import(
        "init-input",
        &model(
            nodes,
            vec![vi("x", &[1, 2]), vi("b", &[2])],
            vec![vi("y", &[1, 2])],
            vec![f32_init("b", &[2], &[1.0, 2.0])],
            13,
        ),
    )
    .unwrap();
    let f = FuncOp(m.lookup_symbol("main").unwrap());
    assert_eq!(f.function_type(&m).as_function().unwrap().inputs.len(), 1);
}

// ----- diagnostics -----

#[test]
fn unsupported_operators_name_node_and_type() {
    let nodes = vec![node("TopK", "topk_1", &["x", "k"], &["y", "i"], vec![])];
    let r = import(
        "topk",
        &model(nodes, vec![vi("x", &[1, 4])], vec![vi("y", &[1, 2])], vec![i64_init("k", &[1], &[2])], 13),
    );
    assert_eq!(err_text(r), "node 'topk_1' (TopK): unsupported operator");
    let mut fc = node("FusedConv", "fc_1", &["x"], &["y"], vec![]);
    fc.domain = "com.microsoft".into();
    let r = import("fused", &model(vec![fc], vec![vi("x", &[1, 4])], vec![vi("y", &[1, 4])], vec![], 13));
    assert_eq!(err_text(r), "node 'fc_1' (FusedConv): unsupported operator (domain 'com.microsoft')");
    let mut q = node("Quant", "Quant_13", &["x"], &["y"], vec![]);
    q.domain = "qonnx.custom_op.general".into();
    let r = import("quant", &model(vec![q], vec![vi("x", &[1, 4])], vec![vi("y", &[1, 4])], vec![], 13));
    assert_eq!(err_text(r), "node 'Quant_13' (Quant): missing input #3");
}

#[test]
fn unreadable_files_are_diagnosed() {
    let relu = node("Relu", "relu", &["x"], &["y"], vec![]);
    let good = model(
        vec![relu.clone()],
        vec![vi("x", &[1, 4])],
        vec![vi("y", &[1, 4])],
        vec![f32_init("w", &[64], &[1.0; 64])],
        13,
    );
    let bytes = good.write_to_bytes().unwrap();
    assert!(err_text(import_bytes("trunc", &bytes[..bytes.len() / 2])).starts_with("cannot parse ONNX model: "));
    assert!(err_text(import_bytes("garbage", b"not a model at all")).starts_with("cannot parse ONNX model: "));
    assert!(err_text(import_bytes("empty", b"")).starts_with("cannot parse ONNX model: "));
    let old = model(vec![relu], vec![vi("x", &[1, 4])], vec![vi("y", &[1, 4])], vec![], 8);
    assert!(err_text(import("old", &old)).starts_with("ONNX opset 8 is not supported: fpgaopt reads opset 9 and later"));
}

#[test]
fn bad_attributes_and_shapes_are_diagnosed() {
    let w = f32_init("w", &[2, 3], &[0.0; 6]);
    let cases: Vec<(NodeProto, &str)> = vec![
        (
            node("Gemm", "fc1", &["x", "w"], &["y"], vec![("alpha", A::I(2))]),
            "node 'fc1' (Gemm): attribute 'alpha' must be of type FLOAT",
        ),
        (
            node("Gemm", "fc1", &["x", "w"], &["y"], vec![("transB", A::I(1))]),
            "node 'fc1' (Gemm): op(A) is [1, 2] but op(B) is [3, 2]",
        ),
        (
            node("Gemm", "fc1", &["x", "w"], &["y"], vec![("transA", A::I(1))]),
            "node 'fc1' (Gemm): op(A) is [2, 1] but op(B) is [2, 3]",
        ),
        (node("Gemm", "fc1", &["x", "x"], &["y"], vec![]), "node 'fc1' (Gemm): op(A)"),
        (node("MatMul", "mm", &["x", "nope"], &["y"], vec![]), "node 'mm' (MatMul): input 'nope' is not defined"),
        (node("Pow", "p", &["x", "x"], &["y"], vec![]), "node 'p' (Pow): Pow of a computed tensor is not supported"),
        (
            node("Softmax", "sm", &["x"], &["y"], vec![("axis", A::I(2))]),
            "node 'sm' (Softmax): axis 2 is out of range for rank 2",
        ),
        (
            node("Reshape", "r", &["x", "x"], &["y"], vec![]),
            "node 'r' (Reshape): the shape (input #1) must be a constant",
        ),
        (node("Gather", "g", &["x", "x"], &["y"], vec![]), "node 'g' (Gather): data (input #0) must be a constant"),
        (
            node("BatchNormalization", "bn", &["x", "w", "w", "w", "w"], &["y"], vec![]),
            "node 'bn' (BatchNormalization): input #1 must have shape [2]",
        ),
    ];
    for (i, (n, expect)) in cases.into_iter().enumerate() {
        let r = import(
            &format!("bad-{i}"),
            &model(vec![n], vec![vi("x", &[1, 2])], vec![vi("y", &[1, 3])], vec![w.clone()], 13),
        );
        let got = err_text(r);
        assert!(got.starts_with(expect), "case {i}: got '{got}', expected '{expect}...'");
    }
    let t = node("Transpose", "t", &["x"], &["y"], vec![("perm", A::Is(vec![1, 1]))]);
    let r = import("bad-transpose", &model(vec![t], vec![vi("x", &[2, 2])], vec![vi("y", &[2, 2])], vec![], 13));
    assert_eq!(err_text(r), "node 't' (Transpose): perm [1, 1] is not a permutation of rank 2");
}

#[test]
fn graph_level_problems_are_diagnosed() {
    let relu = node("Relu", "relu", &["x"], &["y"], vec![]);
    let r = import("sym", &model(vec![relu.clone()], vec![vi("x", &[1, -1])], vec![vi("y", &[1, 4])], vec![], 13));
    assert!(err_text(r).contains("symbolic dimension 'N' at axis 1"));
    let r = import("noout", &model(vec![relu], vec![vi("x", &[1, 4])], vec![vi("z", &[1, 4])], vec![], 13));
    assert_eq!(err_text(r), "graph output 'z' is not produced by any node");
}

// ----- numerics -----

/// A PyTorch-style MLP: Gemm(transB) -> BatchNormalization -> Relu -> MatMul + Add -> Relu -> Gemm.
fn mlp() -> ModelProto {
    let mut r = Lcg(3);
    let inits = vec![
        f32_init("w1", &[32, 16], &r.vec(512)),
        f32_init("b1", &[32], &r.vec(32)),
        f32_init("s", &[32], &r.vec(32)),
        f32_init("t", &[32], &r.vec(32)),
        f32_init("mu", &[32], &r.vec(32)),
        f32_init("var", &[32], &r.vec(32).iter().map(|v| v + 1.5).collect::<Vec<_>>()),
        f32_init("w2", &[32, 8], &r.vec(256)),
        f32_init("b2", &[8], &r.vec(8)),
        f32_init("w3", &[5, 8], &r.vec(40)),
        f32_init("b3", &[5], &r.vec(5)),
    ];
    let nodes = vec![
        node("Gemm", "fc1", &["x", "w1", "b1"], &["h1"], vec![("transB", A::I(1))]),
        node("BatchNormalization", "bn1", &["h1", "s", "t", "mu", "var"], &["h2"], vec![("epsilon", A::F(1e-5))]),
        node("Relu", "relu1", &["h2"], &["h3"], vec![]),
        node("MatMul", "fc2", &["h3", "w2"], &["h4"], vec![]),
        node("Add", "fc2_bias", &["h4", "b2"], &["h5"], vec![]),
        node("Relu", "relu2", &["h5"], &["h6"], vec![]),
        node("Gemm", "fc3", &["h6", "w3", "b3"], &["y"], vec![("transB", A::I(1))]),
    ];
    model(nodes, vec![vi("x", &[-1, 16])], vec![vi("y", &[-1, 5])], inits, 13)
}

#[test]
fn mlp_matches_onnxruntime_bit_for_bit() {
    let m = import("mlp", &mlp()).unwrap();
    assert_eq!(ops(&m).iter().filter(|o| **o == "nn.dense").count(), 3);
    let x = Tensor::new(vec![1, 16], Lcg(5).vec(16)).unwrap();
    let y = run(&m, &[x]);
    // onnxruntime 1.32, ORT_DISABLE_ALL, x86-64 with FMA, on the same model and input.
    let expect: [u32; 5] = [0x3df58874, 0xbfbcf242, 0xc07a9053, 0xc09ac3a0, 0xbfe5d21d];
    let got: Vec<u32> = y[0].data.iter().map(|v| v.to_bits()).collect();
    assert_eq!(got, expect, "{:?}", y[0].data);
}

#[test]
fn mlp_after_canonicalize_stays_close() {
    let mut m = import("mlp-canon", &mlp()).unwrap();
    let x = Tensor::new(vec![1, 16], Lcg(5).vec(16)).unwrap();
    let before = run(&m, std::slice::from_ref(&x));
    let registry = fpgaopt_passes::dialects();
    let mut ctx = PassContext { registry: &registry, input_path: "mlp.onnx", remarks: vec![] };
    (fpgaopt_passes::nn_canonicalize::NN_CANONICALIZE.run)(&mut m, &Options::default(), &mut ctx).unwrap();
    fpgaopt_ir::verifier::verify(&m).unwrap();
    assert!(!ops(&m).contains(&"nn.batch_norm"), "{}", text(&m));
    let after = run(&m, &[x]);
    for (a, b) in before[0].data.iter().zip(&after[0].data) {
        assert!((a - b).abs() <= 1e-5 * a.abs().max(1.0), "{a} vs {b}");
    }
}
