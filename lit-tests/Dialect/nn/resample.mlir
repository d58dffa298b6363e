// RUN: fpgaopt %s --split-input-file | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s --split-input-file --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s | fpgaopt-mlir-verify %irdl -
// RUN: fpgaopt %s --mlir-print-op-generic | fpgaopt-mlir-verify %irdl -

// Resizing, pixel shuffles, transposed convolution and global max pooling parse, verify, print
// back to text that parses again to the same IR, and verify in real MLIR with the exported IRDL.

// CHECK-LABEL: func.func @resize_nearest_2x
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x4x4xf32>)
// CHECK: "nn.resize"(%[[X]]) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
func.func @resize_nearest_2x(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32> {
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>
  func.return %y : tensor<1x3x8x8xf32>
}

// -----

// A size asked by ONNX `sizes` (7 -> 16) keeps its float32 scale 16 / 7 = 2.2857144.
// CHECK-LABEL: func.func @resize_to_size
// CHECK: "nn.resize"({{.*}}) {coordinate_transformation_mode = "half_pixel", mode = "nearest", nearest_mode = "round_prefer_floor", scales = [1.0, 1.0, 2.2857143878936768, 0.5]} : (tensor<1x2x7x4xf32>) -> tensor<1x2x16x2xf32>
func.func @resize_to_size(%x: tensor<1x2x7x4xf32>) -> tensor<1x2x16x2xf32> {
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "half_pixel", mode = "nearest", nearest_mode = "round_prefer_floor", scales = [1.0, 1.0, 2.2857143878936768, 0.5]} : (tensor<1x2x7x4xf32>) -> tensor<1x2x16x2xf32>
  func.return %y : tensor<1x2x16x2xf32>
}

// -----

// CHECK-LABEL: func.func @depth_to_space_crd
// CHECK: "nn.depth_to_space"({{.*}}) {blocksize = 2, mode = "CRD"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
func.func @depth_to_space_crd(%x: tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32> {
  %y = "nn.depth_to_space"(%x) {blocksize = 2, mode = "CRD"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
  func.return %y : tensor<1x2x8x8xf32>
}

// -----

// CHECK-LABEL: func.func @space_to_depth
// CHECK: "nn.space_to_depth"({{.*}}) {blocksize = 2} : (tensor<1x2x8x6xf32>) -> tensor<1x8x4x3xf32>
func.func @space_to_depth(%x: tensor<1x2x8x6xf32>) -> tensor<1x8x4x3xf32> {
  %y = "nn.space_to_depth"(%x) {blocksize = 2} : (tensor<1x2x8x6xf32>) -> tensor<1x8x4x3xf32>
  func.return %y : tensor<1x8x4x3xf32>
}

// -----

// out = (4 - 1) * 2 + (3 - 1) * 1 + 1 + 1 - 1 - 1 = 8.
// CHECK-LABEL: func.func @conv_transpose
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x4x4xf32>, %[[W:.+]]: tensor<4x2x3x3xf32>, %[[B:.+]]: tensor<2xf32>)
// CHECK: "nn.conv_transpose"(%[[X]], %[[W]], %[[B]]) {dilations = [1, 1], group = 1, output_padding = [1, 1], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
func.func @conv_transpose(%x: tensor<1x4x4x4xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x8x8xf32> {
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [1, 1], group = 1, output_padding = [1, 1], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
  func.return %y : tensor<1x2x8x8xf32>
}

// -----

// Grouped 1-D: M = 3 * 2 output channels, out = (5 - 1) * 1 + (2 - 1) * 2 + 1 = 7.
// CHECK-LABEL: func.func @conv_transpose_1d_grouped
// CHECK: "nn.conv_transpose"({{.*}}) {dilations = [2], group = 2, output_padding = [0], pads = [0, 0], strides = [1]} : (tensor<1x4x5xf32>, tensor<4x3x2xf32>, tensor<6xf32>) -> tensor<1x6x7xf32>
func.func @conv_transpose_1d_grouped(%x: tensor<1x4x5xf32>, %w: tensor<4x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x6x7xf32> {
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [2], group = 2, output_padding = [0], pads = [0, 0], strides = [1]} : (tensor<1x4x5xf32>, tensor<4x3x2xf32>, tensor<6xf32>) -> tensor<1x6x7xf32>
  func.return %y : tensor<1x6x7xf32>
}

// -----

// CHECK-LABEL: func.func @global_max_pool
// CHECK: "nn.global_max_pool"({{.*}}) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
func.func @global_max_pool(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32> {
  %y = "nn.global_max_pool"(%x) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  func.return %y : tensor<1x8x1x1xf32>
}
