//! The reference evaluator: semantics of every op and bit-exactness with onnxruntime.

use fpgaopt_ir::parser::parse_module;
use fpgaopt_ir::Registry;
use fpgaopt_nn::eval::*;

fn t(shape: &[i64], data: &[f32]) -> Tensor {
    Tensor::new(shape.to_vec(), data.to_vec()).expect("well-formed test tensor")
}

/// The generator the onnxruntime references were made with: a 64-bit LCG, top 24 bits to [-1, 1).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 40) as f64 / (1u64 << 23) as f64 - 1.0) as f32
    }

    fn vec(&mut self, n: usize) -> Vec<f32> {
        (0..n).map(|_| self.next()).collect()
    }
}

fn bits(t: &Tensor) -> Vec<u32> {
    t.data.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn tensor_checks_its_shape() {
    assert!(Tensor::new(vec![2, 2], vec![1.0; 3]).is_err());
    assert!(Tensor::new(vec![-1], vec![]).is_err());
    assert_eq!(Tensor::splat(&[2, 3], 1.5).len(), 6);
    assert_eq!(Tensor::scalar(2.0).shape, Vec::<i64>::new());
    let d = t(&[2], &[1.0, -2.0]).to_dense();
    assert_eq!(Tensor::from_dense(&d), t(&[2], &[1.0, -2.0]));
}

#[test]
fn elementwise_ops_broadcast() {
    let a = t(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(add(&a, &t(&[3], &[10.0, 20.0, 30.0])).unwrap(), t(&[2, 3], &[11.0, 22.0, 33.0, 14.0, 25.0, 36.0]));
    assert_eq!(sub(&a, &t(&[2, 1], &[1.0, 2.0])).unwrap(), t(&[2, 3], &[0.0, 1.0, 2.0, 2.0, 3.0, 4.0]));
    assert_eq!(mul(&t(&[2, 1], &[1.0, 2.0]), &t(&[1, 2], &[3.0, 4.0])).unwrap(), t(&[2, 2], &[3.0, 4.0, 6.0, 8.0]));
    assert_eq!(mul(&a, &Tensor::scalar(2.0)).unwrap().data, vec![2.0, 4.0, 6.0, 8.0, 10.0, 12.0]);
    assert_eq!(div(&t(&[2], &[1.0, 3.0]), &Tensor::scalar(2.0)).unwrap().data, vec![0.5, 1.5]);
    assert!(add(&a, &t(&[2], &[1.0, 2.0])).is_err());
}

#[test]
fn matmul_follows_numpy() {
    let a = t(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let b = t(&[3, 2], &[1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
    assert_eq!(matmul(&a, &b).unwrap(), t(&[2, 2], &[4.0, 5.0, 10.0, 11.0]));
    // 1-D operands are promoted and the added axis removed.
    assert_eq!(matmul(&t(&[3], &[1.0, 1.0, 1.0]), &b).unwrap(), t(&[2], &[2.0, 2.0]));
    assert_eq!(matmul(&a, &t(&[3], &[1.0, 0.0, 1.0])).unwrap(), t(&[2], &[4.0, 10.0]));
    // Batch dimensions broadcast.
    let batched = t(&[2, 1, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(matmul(&batched, &b).unwrap(), t(&[2, 1, 2], &[4.0, 5.0, 10.0, 11.0]));
    assert!(matmul(&a, &a).is_err());
}

#[test]
fn dense_is_matmul_plus_bias() {
    let x = t(&[2, 3], &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    let w = t(&[3, 2], &[1.0, 0.0, 0.0, 1.0, 1.0, 1.0]);
    let b = t(&[2], &[0.5, -0.5]);
    assert_eq!(dense(&x, &w, &b).unwrap(), t(&[2, 2], &[4.5, 4.5, 10.5, 10.5]));
    assert!(dense(&x, &w, &t(&[3], &[0.0; 3])).is_err());
    // Leading dimensions pass through.
    assert_eq!(dense(&t(&[1, 1, 3], &[1.0, 1.0, 1.0]), &w, &b).unwrap().shape, vec![1, 1, 2]);
}

#[test]
fn dense_accumulates_with_fused_multiply_add() {
    // (1 + 2^-12)^2 = 1 + 2^-11 + 2^-24: rounding the product first would lose the 2^-24.
    let e = 1.0 + f32::powi(2.0, -12);
    let y = dense(&t(&[1, 2], &[-1.0, e]), &t(&[2, 1], &[1.0, e]), &t(&[1], &[0.0])).unwrap();
    assert_eq!(y.data[0], f32::powi(2.0, -11) + f32::powi(2.0, -24));
}

#[test]
fn dense_matches_onnxruntime_bits() {
    // MatMul + Add in onnxruntime 1.32 (ORT_DISABLE_ALL, x86-64 with FMA), K = 300 > one K block.
    let mut r = Lcg(7);
    let (m, k, n) = (2, 300, 3);
    let x = t(&[m, k], &r.vec((m * k) as usize));
    let w = t(&[k, n], &r.vec((k * n) as usize));
    let b = t(&[n], &r.vec(n as usize));
    let y = dense(&x, &w, &b).unwrap();
    assert_eq!(bits(&y), vec![0x4056d3be, 0xc07a55d2, 0x412280d3, 0xc0e06f5e, 0x3ebcbf7c, 0xc0ac23bd]);
    let mm = add(&matmul(&x, &w).unwrap(), &b).unwrap();
    assert_eq!(bits(&mm), bits(&y));
}

#[test]
fn batch_norm_matches_onnxruntime_bits() {
    let mut r = Lcg(11);
    let c = 5;
    let x = t(&[4, c], &r.vec(4 * c as usize).iter().map(|v| v * 8.0).collect::<Vec<_>>());
    let scale = t(&[c], &r.vec(c as usize));
    let bias = t(&[c], &r.vec(c as usize));
    let mean = t(&[c], &r.vec(c as usize));
    let var = t(&[c], &r.vec(c as usize).iter().map(|v| v + 1.5).collect::<Vec<_>>());
    let y = batch_norm(&x, &scale, &bias, &mean, &var, 1e-3).unwrap();
    let expect = [
        0x3fae7f00, 0x3d54bda8, 0x3facd256, 0xc06d0f06, 0xbf83a811, 0x3fbdf779, 0x3fae6c16, 0x3f84b1dc, 0xbe705e28,
        0xbeba942b, 0x3facaa65, 0x3fd24a92, 0x3f916914, 0x3fc132c2, 0x3e50249d, 0xbfd80512, 0x3e8ddebf, 0xbeea9fd8,
        0x409d14ff, 0x3fcebaeb,
    ];
    assert_eq!(bits(&y), expect.to_vec());
}

#[test]
fn batch_norm_uses_axis_one() {
    // [N=1, C=2, 2]: channel 0 doubled, channel 1 shifted.
    let x = t(&[1, 2, 2], &[1.0, 2.0, 3.0, 4.0]);
    let one = t(&[2], &[1.0, 1.0]);
    let y = batch_norm(&x, &t(&[2], &[2.0, 1.0]), &t(&[2], &[0.0, 10.0]), &t(&[2], &[0.0, 0.0]), &one, 0.0).unwrap();
    assert_eq!(y.data, vec![2.0, 4.0, 13.0, 14.0]);
    assert!(batch_norm(&x, &one, &one, &one, &t(&[3], &[1.0; 3]), 0.0).is_err());
}

#[test]
fn activations() {
    let x = t(&[4], &[-2.0, -0.0, 0.5, 3.0]);
    assert_eq!(relu(&x).data, vec![0.0, 0.0, 0.5, 3.0]);
    assert_eq!(leaky_relu(&x, 0.25).data, vec![-0.5, -0.0, 0.5, 3.0]);
    assert_eq!(sigmoid(&Tensor::scalar(0.0)).data, vec![0.5]);
    assert_eq!(tanh(&Tensor::scalar(0.0)).data, vec![0.0]);
    assert!((sigmoid(&Tensor::scalar(2.0)).data[0] - 0.880797).abs() < 1e-6);
    assert_eq!(clip(&x, Some(-1.0), Some(1.0)).data, vec![-1.0, -0.0, 0.5, 1.0]);
    assert_eq!(clip(&x, None, Some(0.0)).data, vec![-2.0, -0.0, 0.0, 0.0]);
    assert_eq!(clip(&x, Some(0.0), None).data, vec![0.0, -0.0, 0.5, 3.0]);
}

#[test]
fn softmax_normalises_along_its_axis() {
    let x = t(&[2, 3], &[1.0, 2.0, 3.0, 1.0, 1.0, 1.0]);
    let rows = softmax(&x, 1).unwrap();
    assert!((rows.data[..3].iter().sum::<f32>() - 1.0).abs() < 1e-6);
    assert!(rows.data[3..].iter().all(|&v| (v - 1.0 / 3.0).abs() < 1e-7));
    let cols = softmax(&x, 0).unwrap();
    assert!((cols.data[0] - 0.5).abs() < 1e-7 && cols.data[2] > 0.88);
    // A middle axis of a 3-D tensor.
    let y = softmax(&t(&[1, 2, 2], &[0.0, 5.0, 0.0, 5.0]), 1).unwrap();
    assert_eq!(y.data, vec![0.5, 0.5, 0.5, 0.5]);
    // Large inputs do not overflow.
    assert_eq!(softmax(&t(&[2], &[1000.0, 1000.0]), 0).unwrap().data, vec![0.5, 0.5]);
    assert!(softmax(&x, 2).is_err());
}

#[test]
fn flatten_and_reshape() {
    let x = t(&[2, 3, 4], &[0.0; 24]);
    assert_eq!(flatten(&x, 1).unwrap().shape, vec![2, 12]);
    assert_eq!(flatten(&x, 0).unwrap().shape, vec![1, 24]);
    assert_eq!(flatten(&x, 3).unwrap().shape, vec![24, 1]);
    assert!(flatten(&x, 4).is_err());
    assert!(x.reshaped(&[5, 5]).is_err());
}

fn registry() -> Registry {
    let mut r = Registry::new();
    r.register(&fpgaopt_nn::DIALECT);
    r
}

#[test]
fn interpreter_runs_a_function() {
    let text = r#"
func.func @main(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = "nn.constant"() {value = dense<[[1.0, -1.0], [2.0, 0.5]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[0.5, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %one = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%y) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %l = "nn.leaky_relu"(%y) {alpha = 5.0e-1} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %c = "nn.clip"(%l) {min = -1.0} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %s = "nn.sub"(%r, %c) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %k = "nn.matmul"(%s, %w) : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %u = "nn.reshape"(%k) : (tensor<1x2xf32>) -> tensor<1x2x1xf32>
  %n = "nn.batch_norm"(%u, %b, %b, %b, %one) {epsilon = 0.0} : (tensor<1x2x1xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x1xf32>
  %f = "nn.flatten"(%n) {axis = 1} : (tensor<1x2x1xf32>) -> tensor<1x2xf32>
  %o = "nn.softmax"(%f) {axis = 1} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %y, %o : tensor<1x2xf32>, tensor<1x2xf32>
}
"#;
    let m = parse_module(text, "interp.mlir", &registry()).expect("parses");
    fpgaopt_ir::verifier::verify(&m).expect("verifies");
    let f = m.lookup_symbol("main").expect("@main");
    let out = run_function(&m, f, &[t(&[1, 2], &[1.0, -2.0])]).expect("runs");
    // y = [1 - 4 + 0.5, -1 - 1] = [-2.5, -2]; relu = 0; leaky = [-1.25, -1]; clip -> [-1, -1];
    // s = [1, 1]; k = [3, -0.5]; batch norm with mean 0.5 (ch 0) / 0 (ch 1), scale = bias = b:
    // ch0: (3 - 0.5) * 0.5 + 0.5 = 1.75, ch1: -0.5 * 0 + 0 = 0.
    assert_eq!(out[0].data, vec![-2.5, -2.0]);
    let e = (1.75f32).exp();
    assert!((out[1].data[0] - e / (e + 1.0)).abs() < 1e-6);
    assert!(run_function(&m, f, &[t(&[2], &[1.0, 2.0])]).is_err());
}
