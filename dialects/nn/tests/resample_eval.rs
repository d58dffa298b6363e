//! The evaluator of the resampling ops and of the transposed convolution on hand-checked cases.

use fpgaopt_nn::eval::{conv_transpose, depth_to_space, global_max_pool, resize, space_to_depth, Tensor};
use fpgaopt_nn::resample::nearest_index;
use fpgaopt_nn::Window;

fn iota(shape: &[i64]) -> Tensor {
    let n: i64 = shape.iter().product();
    Tensor::new(shape.to_vec(), (0..n).map(|v| v as f32).collect()).unwrap()
}

#[test]
fn espcn_resize_repeats_each_pixel_twice() {
    let y = resize(&iota(&[1, 1, 2, 2]), &[1, 1, 4, 4], &[1.0, 1.0, 2.0, 2.0], "asymmetric", "floor").unwrap();
    assert_eq!(y.data, [0., 0., 1., 1., 0., 0., 1., 1., 2., 2., 3., 3., 2., 2., 3., 3.]);
}

#[test]
fn nearest_index_follows_float32_coordinates() {
    // half_pixel 4 -> 2: (o + 0.5) * 2 - 0.5 = 0.5, 2.5; round_prefer_floor takes 0 and 2.
    let map = |c, n, s, i, o| (0..o).map(|x| nearest_index(c, n, x, s, i, o)).collect::<Vec<_>>();
    assert_eq!(map("half_pixel", "round_prefer_floor", 0.5, 4, 2), [0, 2]);
    assert_eq!(map("half_pixel", "round_prefer_ceil", 0.5, 4, 2), [1, 3]);
    assert_eq!(map("align_corners", "floor", 7.0 / 4.0, 4, 7), [0, 0, 1, 1, 2, 2, 3]);
    // 7 -> 16: 8 / f32(16 / 7) = 3.4999998 in float32, so index 3 (onnxruntime takes 4: a known gap).
    assert_eq!(nearest_index("asymmetric", "round_prefer_ceil", 8, 16.0 / 7.0, 7, 16), 3);
    // Resize 10's rule: truncate when upsampling, round up when downsampling.
    assert_eq!(map("asymmetric", "simple", 0.6, 10, 6), [0, 2, 4, 5, 7, 9]);
}

#[test]
fn pixel_shuffles_are_inverse() {
    let x = iota(&[1, 8, 2, 3]);
    let y = depth_to_space(&x, 2, false).unwrap();
    assert_eq!(y.shape, [1, 2, 4, 6]);
    assert_eq!(space_to_depth(&y, 2).unwrap(), x);
    // CRD: output (c, 2h + i, 2w + j) is channel 4c + 2i + j.
    let crd = depth_to_space(&x, 2, true).unwrap();
    assert_eq!(&crd.data[..6], &[0., 6., 1., 7., 2., 8.]);
}

#[test]
fn conv_transpose_scatters_and_crops() {
    // 1-D, stride 2, kernel [1, 10, 100], input [1, 2]: full 5 = [1, 10, 102, 20, 200]; pads [1, 0] and
    // output padding 1 give [10, 102, 20, 200, 0], then + bias 0.5.
    let x = Tensor::new(vec![1, 1, 2], vec![1.0, 2.0]).unwrap();
    let w = Tensor::new(vec![1, 1, 3], vec![1.0, 10.0, 100.0]).unwrap();
    let b = Tensor::new(vec![1], vec![0.5]).unwrap();
    let mut win = Window::unit(vec![3]);
    (win.strides, win.pads) = (vec![2], vec![1, 0]);
    let y = conv_transpose(&x, &w, &b, &win, &[1], 1).unwrap();
    assert_eq!(y.data, [10.5, 102.5, 20.5, 200.5, 0.5]);
}

#[test]
fn global_max_pool_ignores_nan() {
    let x = Tensor::new(vec![1, 2, 2], vec![f32::NAN, -1.0, 3.0, 2.0]).unwrap();
    assert_eq!(global_max_pool(&x).unwrap().data, [-1.0, 3.0]);
}
