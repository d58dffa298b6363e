//! The convolution, pooling, padding and transpose evaluators against onnxruntime 1.32 (CPU,
//! ORT_DISABLE_ALL, x86-64 AVX2/FMA), bit for bit where the summation order is reproduced. Every
//! expected value below was printed by `python/gen_nn_spatial_refs.py` on the same LCG inputs.

use fpgaopt_nn::eval::*;
use fpgaopt_nn::Window;

fn t(shape: &[i64], data: &[f32]) -> Tensor {
    Tensor::new(shape.to_vec(), data.to_vec()).expect("well-formed test tensor")
}

fn bits(t: &Tensor) -> Vec<u32> {
    t.data.iter().map(|v| v.to_bits()).collect()
}

/// The tests' generator: a 64-bit LCG, top 24 bits to [-1, 1) (as in python/gen_nn_quant_refs.py).
fn lcg(seed: u64, shape: &[i64]) -> Tensor {
    let n = shape.iter().product::<i64>() as usize;
    let mut s = seed;
    let data: Vec<f32> = (0..n)
        .map(|_| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((s >> 40) as f64 / (1u64 << 23) as f64 - 1.0) as f32
        })
        .collect();
    t(shape, &data)
}

/// A window of `kernel` with the given strides, pads and dilations (`[]` = ONNX default).
fn window(kernel: &[i64], strides: &[i64], pads: &[i64], dilations: &[i64], ceil: bool) -> Window {
    let mut w = Window::unit(kernel.to_vec());
    if !strides.is_empty() {
        w.strides = strides.to_vec();
    }
    if !pads.is_empty() {
        w.pads = pads.to_vec();
    }
    if !dilations.is_empty() {
        w.dilations = dilations.to_vec();
    }
    w.ceil = ceil;
    w
}

/// Conv {'strides': [2, 1], 'pads': [1, 0, 0, 1], 'dilations': [1, 2]} -> [1, 3, 2, 3]
const CONV2D: [u32; 18] = [0xbfdb56a7, 0xbf6aa84a, 0xbf27adf5, 0xbfb06192, 0xc03f0731, 0xbd9d7040, 0xbfc19c11, 0xbe535646, 0xbf075eb0, 0xbeaca1fe, 0xc0285178, 0x3d9c1578, 0x40000682, 0x3fbc58c6, 0x3e9fb8d0, 0x3f82b3f0, 0x40051408, 0xbf7100a8];
/// Conv {'group': 2, 'dilations': [2], 'pads': [1, 1]} -> [1, 2, 7]
const CONV1D_GROUPS: [u32; 14] = [0xbfacf0c1, 0xbfc16ce8, 0x3f2b9602, 0x3f180e6c, 0xbfc7a0f8, 0xc039dd7c, 0xbe977c2a, 0x3ea83f15, 0x3f906f90, 0xbed841ac, 0x3e6b8c24, 0x3f27cebe, 0x3f36ed59, 0x3c7f50c0];
/// Conv {} -> [1, 2, 2, 2]
const CONV_LONG: [u32; 8] = [0xc1255a49, 0x40858f1e, 0x403acd8a, 0xc11333d9, 0x40f0f7da, 0x4081bee9, 0xbfe67abd, 0x402d9e6e];
/// Conv {'group': 3, 'pads': [1, 1, 1, 1]} -> [1, 3, 4, 4]
const CONV_DEPTHWISE: [u32; 48] = [0xbf9913a1, 0xc026fee2, 0xc00bb962, 0xbf29ee71, 0x3f941bd5, 0x3f86a347, 0xbfb06766, 0xbfb9a472, 0xbf8fde11, 0x3f9cd9bc, 0xbd05b060, 0xbf982afe, 0xbfff6a0b, 0xc00af5b4, 0x3f896af1, 0x3ec0377a, 0x3f803bf4, 0x3f3fdbb8, 0x3f38e4a8, 0x3f8dbc7a, 0x3f2e9623, 0x3ffa8c69, 0x3fd316c0, 0x3f0963fd, 0x3fcab9fc, 0xbeb6af20, 0x3ef2fb42, 0x3fe273dc, 0x3f354ba0, 0x3f66f61f, 0x3f72a726, 0x3fbd6b6c, 0x3d040080, 0xbfd96808, 0xbde7e7f0, 0xbfc31c14, 0x3f5904fc, 0xc00c2232, 0xbee59de4, 0xc0019edc, 0x3f42a08e, 0xbf366a9d, 0xbfea8a98, 0xbf96d360, 0x3ebdc6ec, 0xbf1783d4, 0xc00f6513, 0xbe72247c];
/// MaxPool {'kernel_shape': [2, 2], 'strides': [2, 2], 'ceil_mode': 1} -> [1, 2, 3, 3]
const MAX_POOL_CEIL: [u32; 18] = [0x3f0d7b44, 0x3e212c70, 0x3ef301b0, 0x3e2905e0, 0x3f686e56, 0x3eddde78, 0x3efb55cc, 0x3f1e1ecc, 0xbf10e458, 0x3f1e14a4, 0x3f6e898c, 0x3f5a0de6, 0x3f6b5aae, 0x3f3030d4, 0xbdb90b90, 0x3f5c0726, 0xbcc7f880, 0xbf449382];
/// AveragePool {'kernel_shape': [3, 3], 'pads': [1, 1, 1, 1]} -> [1, 1, 5, 5]
const AVG_POOL_PADS: [u32; 25] = [0x3f148a96, 0x3e601115, 0xbdea952b, 0xbe8162e8, 0xbe021800, 0x3ebf60fb, 0x3dcfcb04, 0xbe036e00, 0xbe890beb, 0xbe383a0d, 0x3e4e1f9f, 0x3c7f588e, 0xbd2387c0, 0x3ca70707, 0x3e5580a3, 0x3dff35e0, 0xbc685655, 0xbc84fe07, 0xbe4dba0b, 0xbe1f3408, 0x3e536fcc, 0x3d39c2e0, 0x3d5bab25, 0xbe1c3920, 0xbdb91df0];
/// AveragePool {'kernel_shape': [3, 3], 'pads': [1, 1, 1, 1], 'count_include_pad': 1} -> [1, 1, 5, 5]
const AVG_POOL_INCLUDE: [u32; 25] = [0x3e840969, 0x3e1560b9, 0xbd9c6372, 0xbe2c83e0, 0xbd67471c, 0x3e7f2bf9, 0x3dcfcb04, 0xbe036e00, 0xbe890beb, 0xbdf5a2bc, 0x3e096a6a, 0x3c7f588e, 0xbd2387c0, 0x3ca70707, 0x3e0e55c2, 0x3daa23eb, 0xbc685655, 0xbc84fe07, 0xbe4dba0b, 0xbdd44560, 0x3dbbf199, 0x3cf7ae80, 0x3d127219, 0xbdd04c2b, 0xbd248c64];
/// AveragePool {'kernel_shape': [3, 3], 'strides': [2, 2], 'pads': [1, 1, 1, 1], 'ceil_mode': 1, 'count_include_pad': 1} -> [1, 1, 4, 3]
const AVG_POOL_CEIL_INCLUDE: [u32; 12] = [0xbe18fe58, 0xbda8687e, 0x3d61e4eb, 0xbd55fb79, 0x3db87da7, 0x3dddaf15, 0xbe42e74a, 0xbdfbdce5, 0xbd9a3e7e, 0xbd47247b, 0x3c07e855, 0x3dcfeed5];
/// GlobalAveragePool {} -> [1, 2, 1, 1]
const GLOBAL_AVG: [u32; 2] = [0x3d759b5c, 0xbe89d045];

#[test]
fn conv2d_strides_pads_dilations_match_onnxruntime_bits() {
    let (x, w, b) = (lcg(1, &[1, 2, 5, 4]), lcg(2, &[3, 2, 3, 2]), lcg(3, &[3]));
    let y = conv(&x, &w, &b, &window(&[3, 2], &[2, 1], &[1, 0, 0, 1], &[1, 2], false), 1).unwrap();
    assert_eq!(y.shape, [1, 3, 2, 3]);
    assert_eq!(bits(&y), CONV2D);
}

#[test]
fn conv1d_groups_match_onnxruntime_bits() {
    let (x, w, b) = (lcg(4, &[1, 4, 7]), lcg(5, &[2, 2, 2]), lcg(6, &[2]));
    let y = conv(&x, &w, &b, &window(&[2], &[], &[1, 1], &[2], false), 2).unwrap();
    assert_eq!(y.shape, [1, 2, 7]);
    assert_eq!(bits(&y), CONV1D_GROUPS);
}

/// 288 terms in one FMA chain: with 4 output positions MLAS's K block grows to 1024.
#[test]
fn conv_long_sum_matches_onnxruntime_bits() {
    let (x, w, b) = (lcg(7, &[1, 32, 4, 4]), lcg(8, &[2, 32, 3, 3]), lcg(9, &[2]));
    let y = conv(&x, &w, &b, &Window::unit(vec![3, 3]), 1).unwrap();
    assert_eq!(bits(&y), CONV_LONG);
}

/// One filter per group: MLAS's M = 1 kernel (products summed in groups of 4, no FMA).
#[test]
fn conv_depthwise_matches_onnxruntime_bits() {
    let (x, w, b) = (lcg(10, &[1, 3, 4, 4]), lcg(11, &[3, 1, 3, 3]), lcg(12, &[3]));
    let y = conv(&x, &w, &b, &window(&[3, 3], &[], &[1, 1, 1, 1], &[], false), 3).unwrap();
    assert_eq!(bits(&y), CONV_DEPTHWISE);
}

#[test]
fn max_pool_ceil_matches_onnxruntime_bits() {
    let y = pool(&lcg(13, &[1, 2, 5, 5]), &window(&[2, 2], &[2, 2], &[], &[], true), Pooling::Max).unwrap();
    assert_eq!(y.shape, [1, 2, 3, 3]);
    assert_eq!(bits(&y), MAX_POOL_CEIL);
}

#[test]
fn average_pools_match_onnxruntime_bits() {
    let x = lcg(14, &[1, 1, 5, 5]);
    let w = window(&[3, 3], &[], &[1, 1, 1, 1], &[], false);
    assert_eq!(bits(&pool(&x, &w, Pooling::Average(false)).unwrap()), AVG_POOL_PADS);
    assert_eq!(bits(&pool(&x, &w, Pooling::Average(true)).unwrap()), AVG_POOL_INCLUDE);
    // ceil_mode with count_include_pad: the last windows run past the end padding, which never counts.
    let w = window(&[3, 3], &[2, 2], &[1, 1, 1, 1], &[], true);
    let y = pool(&lcg(15, &[1, 1, 6, 5]), &w, Pooling::Average(true)).unwrap();
    assert_eq!(y.shape, [1, 1, 4, 3]);
    assert_eq!(bits(&y), AVG_POOL_CEIL_INCLUDE);
}

#[test]
fn global_average_pool_matches_onnxruntime_bits() {
    let y = global_average_pool(&lcg(16, &[1, 2, 3, 3])).unwrap();
    assert_eq!(y.shape, [1, 2, 1, 1]);
    assert_eq!(bits(&y), GLOBAL_AVG);
}

#[test]
fn pad_places_the_input_and_fills_the_rest() {
    let x = t(&[1, 2, 2], &[1.0, 2.0, 3.0, 4.0]);
    let y = pad(&x, &[0, 1, 0, 0, 0, 2], 9.0).unwrap();
    assert_eq!(y.shape, [1, 3, 4]);
    assert_eq!(y.data, [9.0, 9.0, 9.0, 9.0, 1.0, 2.0, 9.0, 9.0, 3.0, 4.0, 9.0, 9.0]);
    assert!(pad(&x, &[0, -1, 0, 0, 0, 0], 0.0).unwrap_err().contains("non-negative"));
}

#[test]
fn transpose_permutes_axes_and_inverts() {
    let x = lcg(17, &[2, 3, 4]);
    let y = transpose(&x, &[2, 0, 1]).unwrap();
    assert_eq!(y.shape, [4, 2, 3]);
    // y[k, i, j] = x[i, j, k]
    assert_eq!(y.data[(3 * 2 + 1) * 3 + 2], x.data[(3 + 2) * 4 + 3]);
    assert_eq!(transpose(&y, &[1, 2, 0]).unwrap(), x);
    assert!(transpose(&x, &[0, 0, 1]).is_err());
}

#[test]
fn window_shapes_follow_onnx() {
    // floor((8 + 2 - 2 * (3 - 1) - 1) / 2) + 1 = 3
    assert_eq!(window(&[3], &[2], &[1, 1], &[2], false).output_dims(&[8]).unwrap(), [3]);
    // ceil: 6 -> ceil((6 + 2 - 3) / 2) + 1 = 4, and the last window starts inside (6 > 6 - 1 + 1 is false)
    assert_eq!(window(&[3], &[2], &[1, 1], &[], true).output_dims(&[6]).unwrap(), [4]);
    // ceil, a last window that would start in the end padding is dropped: 5 -> 3, not 4
    assert_eq!(window(&[2], &[2], &[0, 1], &[], true).output_dims(&[5]).unwrap(), [3]);
    assert!(window(&[3], &[1], &[0, 0], &[], false).output_dims(&[2]).is_err());
    let same = |mode| fpgaopt_nn::spatial::resolve_auto_pad(mode, None, &window(&[3], &[2], &[0, 0], &[], false), &[8]);
    assert_eq!(same("SAME_UPPER").unwrap(), [0, 1]);
    assert_eq!(same("SAME_LOWER").unwrap(), [1, 0]);
    assert_eq!(same("VALID").unwrap(), [0, 0]);
    assert!(same("SAME").unwrap_err().contains("not one of"));
}

/// The interpreter runs the ops from their attributes, and the typed handles give the same windows.
#[test]
fn interpreter_and_window_accessors_agree_with_the_evaluators() {
    let text = r#"
func.func @main(%x: tensor<1x2x5x4xf32>, %w: tensor<3x2x3x2xf32>, %b: tensor<3xf32>) -> tensor<1x2x2x3xf32> {
  %c = "nn.conv"(%x, %w, %b) {dilations = [1, 2], group = 1, pads = [1, 0, 0, 1], strides = [2, 1]} : (tensor<1x2x5x4xf32>, tensor<3x2x3x2xf32>, tensor<3xf32>) -> tensor<1x3x2x3xf32>
  %p = "nn.pad"(%c) {pads = [0, 0, 1, 0, 0, 0, 0, 1], value = -1.0} : (tensor<1x3x2x3xf32>) -> tensor<1x3x3x4xf32>
  %m = "nn.max_pool"(%p) {ceil_mode = true, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x3x3x4xf32>) -> tensor<1x3x2x2xf32>
  %t = "nn.transpose"(%m) {perm = [0, 2, 3, 1]} : (tensor<1x3x2x2xf32>) -> tensor<1x2x2x3xf32>
  %i = "nn.identity"(%t) : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  %a = "nn.average_pool"(%i) {ceil_mode = false, count_include_pad = true, kernel_shape = [2, 2], pads = [1, 1, 0, 0], strides = [1, 1]} : (tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  func.return %a : tensor<1x2x2x3xf32>
}
"#;
    let mut r = fpgaopt_ir::Registry::new();
    r.register(&fpgaopt_nn::DIALECT);
    let m = fpgaopt_ir::parser::parse_module(text, "spatial.mlir", &r).expect("parses");
    fpgaopt_ir::verifier::verify(&m).expect("verifies");
    let (x, w, b) = (lcg(1, &[1, 2, 5, 4]), lcg(2, &[3, 2, 3, 2]), lcg(3, &[3]));
    let got = run_main(&m, &[x.clone(), w.clone(), b.clone()]).expect("runs");
    let ops = m.block_ops(m.entry_block(m.lookup_symbol("main").unwrap(), 0).unwrap()).to_vec();
    let conv_w = fpgaopt_nn::Conv(ops[0]).window(&m);
    assert_eq!(conv_w, window(&[3, 2], &[2, 1], &[1, 0, 0, 1], &[1, 2], false));
    let c = conv(&x, &w, &b, &conv_w, 1).unwrap();
    assert_eq!(bits(&c), CONV2D);
    let p = pad(&c, &[0, 0, 1, 0, 0, 0, 0, 1], -1.0).unwrap();
    let mp = pool(&p, &fpgaopt_nn::MaxPool(ops[2]).window(&m), Pooling::Max).unwrap();
    let t = transpose(&mp, &[0, 2, 3, 1]).unwrap();
    let ap = fpgaopt_nn::AveragePool(ops[5]).window(&m);
    assert_eq!(ap, window(&[2, 2], &[1, 1], &[1, 1, 0, 0], &[], false));
    assert_eq!(bits(&got[0]), bits(&pool(&t, &ap, Pooling::Average(true)).unwrap()));
}
