// RUN: fpgaopt %s --split-input-file | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s --split-input-file --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s | fpgaopt-mlir-verify %irdl -
// RUN: fpgaopt %s --mlir-print-op-generic | fpgaopt-mlir-verify %irdl -

// The sliding-window, transpose and no-op ops parse, verify, print back to text that parses again
// to the same IR, and verify in real MLIR with the exported IRDL.

// CHECK-LABEL: func.func @conv2d
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK: "nn.conv"(%[[X]], %[[W]], %[[B]]) {dilations = [1, 1], group = 1, pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  func.return %y : tensor<1x4x8x8xf32>
}

// -----

// 1-D, strided, dilated, asymmetric pads: out = floor((11 + 1 + 0 - 2 * 2 - 1) / 2) + 1 = 4.
// CHECK-LABEL: func.func @conv1d_strided_dilated
// CHECK: "nn.conv"({{.*}}) {dilations = [2], group = 1, pads = [1, 0], strides = [2]} : (tensor<1x3x11xf32>, tensor<4x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4xf32>
func.func @conv1d_strided_dilated(%x: tensor<1x3x11xf32>, %w: tensor<4x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x4xf32> {
  %y = "nn.conv"(%x, %w, %b) {dilations = [2], group = 1, pads = [1, 0], strides = [2]} : (tensor<1x3x11xf32>, tensor<4x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4xf32>
  func.return %y : tensor<1x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK: "nn.conv"({{.*}}) {dilations = [1, 1], group = 4, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
func.func @conv2d_depthwise(%x: tensor<1x4x5x5xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x3x3xf32> {
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 4, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x5x5xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<1x4x3x3xf32>
  func.return %y : tensor<1x4x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @pad
// CHECK: "nn.pad"(%{{.+}}) {pads = [0, 0, 1, 2, 0, 0, 3, 0], value = 1.5} : (tensor<1x2x3x4xf32>) -> tensor<1x2x7x6xf32>
func.func @pad(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x7x6xf32> {
  %y = "nn.pad"(%x) {pads = [0, 0, 1, 2, 0, 0, 3, 0], value = 1.5} : (tensor<1x2x3x4xf32>) -> tensor<1x2x7x6xf32>
  func.return %y : tensor<1x2x7x6xf32>
}

// -----

// ceil_mode: 8 -> ceil((8 - 3) / 2) + 1 = 4.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: "nn.max_pool"(%{{.+}}) {ceil_mode = true, dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
func.func @max_pool_ceil(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %y = "nn.max_pool"(%x) {ceil_mode = true, dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @average_pool_1d
// CHECK: "nn.average_pool"(%{{.+}}) {ceil_mode = false, count_include_pad = true, kernel_shape = [4], pads = [1, 1], strides = [2]} : (tensor<1x3x10xf32>) -> tensor<1x3x5xf32>
func.func @average_pool_1d(%x: tensor<1x3x10xf32>) -> tensor<1x3x5xf32> {
  %y = "nn.average_pool"(%x) {ceil_mode = false, count_include_pad = true, kernel_shape = [4], pads = [1, 1], strides = [2]} : (tensor<1x3x10xf32>) -> tensor<1x3x5xf32>
  func.return %y : tensor<1x3x5xf32>
}

// -----

// CHECK-LABEL: func.func @global_average_pool
// CHECK: "nn.global_average_pool"(%{{.+}}) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
func.func @global_average_pool(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32> {
  %y = "nn.global_average_pool"(%x) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>
  func.return %y : tensor<1x8x1x1xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: "nn.transpose"(%{{.+}}) {perm = [0, 2, 3, 1]} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
func.func @transpose(%x: tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32> {
  %y = "nn.transpose"(%x) {perm = [0, 2, 3, 1]} : (tensor<1x3x4x5xf32>) -> tensor<1x4x5x3xf32>
  func.return %y : tensor<1x4x5x3xf32>
}

// -----

// CHECK-LABEL: func.func @no_ops
// CHECK: %[[I:.+]] = "nn.identity"(%{{.+}}) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: %[[D:.+]] = "nn.dropout"(%[[I]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: %[[C:.+]] = "nn.cast"(%[[D]]) {to = f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: "nn.cast"(%[[C]]) {to = f64} : (tensor<1x8xf32>) -> tensor<1x8xf64>
func.func @no_ops(%x: tensor<1x8xf32>) -> tensor<1x8xf64> {
  %i = "nn.identity"(%x) : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %d = "nn.dropout"(%i) : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %c = "nn.cast"(%d) {to = f32} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %e = "nn.cast"(%c) {to = f64} : (tensor<1x8xf32>) -> tensor<1x8xf64>
  func.return %e : tensor<1x8xf64>
}
