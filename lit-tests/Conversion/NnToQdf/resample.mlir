// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' | FileCheck %s

// The resampling ops become channels-last qdf data movement between two transposes, on the value
// as it is (no rounding): qdf-layout cancels the transposes against the neighbours'.

// Nearest 2x upsampling (asymmetric, floor), ESPCN's: each spatial axis maps o -> o / 2; the
// batch and channel axes are copied. The maps are in channels-last axis order (N, H, W, C).
// CHECK-LABEL: func.func @resize_nearest
// CHECK: %[[Q:.+]] = "qdf.quantize"
// CHECK: %[[T:.+]] = "qdf.transpose"(%[[Q]]) {perm = [0, 2, 3, 1]}
// CHECK: %[[R:.+]] = "qdf.resize"(%[[T]]) {indices = dense<[0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1]> : tensor<11xi64>}
// CHECK-SAME: (tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// CHECK: "qdf.transpose"(%[[R]]) {perm = [0, 3, 1, 2]}
func.func @resize_nearest(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32> {
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x2x2x2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// half_pixel with round_prefer_floor on a 3 -> 5 axis: (o + 0.5) * 0.6 - 0.5 = -0.2, 0.4, 1, 1.6,
// 2.2 rounded (the first clamped into the input): 0, 0, 1, 2, 2.
// CHECK-LABEL: func.func @resize_half_pixel
// CHECK: "qdf.resize"(%{{.+}}) {indices = dense<[0, 0, 0, 0, 1, 2, 2, 0]> : tensor<8xi64>}
func.func @resize_half_pixel(%x: tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32> {
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "half_pixel", mode = "nearest", nearest_mode = "round_prefer_floor", scales = [1.0, 1.0, 1.0, 1.6666666269302368]} : (tensor<1x1x1x3xf32>) -> tensor<1x1x1x5xf32>
  return %y : tensor<1x1x1x5xf32>
}

// -----

// CHECK-LABEL: func.func @pixel_shuffles
// CHECK: %[[T:.+]] = "qdf.transpose"(%{{.+}}) {perm = [0, 2, 3, 1]}
// CHECK: %[[D:.+]] = "qdf.depth_to_space"(%[[T]]) {blocksize = 3, mode = "CRD"} : (tensor<1x2x2x18x{{.+}}) -> tensor<1x6x6x2x
// CHECK: %[[B:.+]] = "qdf.transpose"(%[[D]]) {perm = [0, 3, 1, 2]}
// CHECK: %[[T2:.+]] = "qdf.transpose"(%[[B]]) {perm = [0, 2, 3, 1]}
// CHECK: %[[S:.+]] = "qdf.space_to_depth"(%[[T2]]) {blocksize = 2} : (tensor<1x6x6x2x{{.+}}) -> tensor<1x3x3x8x
// CHECK: "qdf.transpose"(%[[S]]) {perm = [0, 3, 1, 2]}
func.func @pixel_shuffles(%x: tensor<1x18x2x2xf32>) -> tensor<1x8x3x3xf32> {
  %d = "nn.depth_to_space"(%x) {blocksize = 3, mode = "CRD"} : (tensor<1x18x2x2xf32>) -> tensor<1x2x6x6xf32>
  %s = "nn.space_to_depth"(%d) {blocksize = 2} : (tensor<1x2x6x6xf32>) -> tensor<1x8x3x3xf32>
  return %s : tensor<1x8x3x3xf32>
}
