// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' | FileCheck %s

// NCHW window ops become channels-last qdf ops between two transposes; padding is an explicit
// qdf.pad (0 for conv and average, the type's minimum for max), weights [M, C, kH, kW] become
// [kH, kW, C, M] mantissas.

// CHECK-LABEL: func.func @conv_relu_max_pool
// CHECK: %[[Q:.+]] = "qdf.quantize"
// CHECK: %[[T:.+]] = "qdf.transpose"(%[[Q]]) {perm = [0, 2, 3, 1]}
// CHECK: %[[P:.+]] = "qdf.pad"(%[[T]]) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0}
// CHECK: %[[W:.+]] = "qdf.constant"() {{.*}} -> tensor<3x3x1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// CHECK: %[[C:.+]] = "qdf.conv"(%[[P]], %[[W]], %{{.+}}) {acc_type = !qdf.fixed<{{.+}}>, dilations = [1, 1], group = 1, strides = [1, 1]}
// CHECK-SAME: -> tensor<1x6x6x2x
// CHECK: %[[B:.+]] = "qdf.transpose"(%[[C]]) {perm = [0, 3, 1, 2]}
// CHECK: %[[R:.+]] = "qdf.relu"(%[[B]])
// CHECK: %[[T2:.+]] = "qdf.transpose"(%[[R]]) {perm = [0, 2, 3, 1]}
// CHECK: %[[M:.+]] = "qdf.max_pool"(%[[T2]]) {dilations = [1, 1], kernel = [3, 3], strides = [3, 3]}
// CHECK: "qdf.transpose"(%[[M]]) {perm = [0, 3, 1, 2]}
func.func @conv_relu_max_pool(%x: tensor<1x1x6x6xf32>) -> tensor<1x2x2x2xf32> {
  %w = "nn.constant"() {value = dense<[[[[0.5, -0.25, 0.125], [1.0, 0.5, 0.25], [0.0, 0.5, -1.0]]], [[[0.25, 0.25, 0.25], [0.5, 0.5, 0.5], [-0.5, 0.0, 0.5]]]]> : tensor<2x1x3x3xf32>} : () -> tensor<2x1x3x3xf32>
  %b = "nn.constant"() {value = dense<[0.5, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  %r = "nn.relu"(%c) : (tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
  %p = "nn.max_pool"(%r) {ceil_mode = false, dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [3, 3]} : (tensor<1x2x6x6xf32>) -> tensor<1x2x2x2xf32>
  return %p : tensor<1x2x2x2xf32>
}

// -----

// ceil_mode reads one more column of end padding; the max pads with the minimum mantissa.
// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: "qdf.pad"(%{{.+}}) {pads = [0, 0, 0, 0, 0, 1, 1, 0], value = -32768}
// CHECK: "qdf.max_pool"{{.*}} -> tensor<1x3x3x1x
func.func @max_pool_ceil(%x: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %p = "nn.max_pool"(%x) {ceil_mode = true, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  return %p : tensor<1x1x3x3xf32>
}

// -----

// Without count_include_pad the corners divide by 4, the edges by 6, the middle by 9.
// CHECK-LABEL: func.func @average_pool_excluding_pads
// CHECK: "qdf.avg_pool"(%{{.+}}) {acc_type = {{.+}}, dilations = [1, 1], divisors = dense<{{\[}}[4, 6, 4], [6, 9, 6], [4, 6, 4]]> : tensor<3x3xi64>, kernel = [3, 3], recip_type = !qdf.fixed<21, 1, false, "TRN", "WRAP">, strides = [1, 1]}
func.func @average_pool_excluding_pads(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %p = "nn.average_pool"(%x) {ceil_mode = false, count_include_pad = false, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %p : tensor<1x1x3x3xf32>
}

// -----

// A global average pool is an average over the whole plane.
// CHECK-LABEL: func.func @global_average_pool
// CHECK: "qdf.avg_pool"(%{{.+}}) {{{.+}}divisors = dense<{{\[\[}}16]]> : tensor<1x1xi64>, kernel = [4, 4]{{.+}} -> tensor<1x1x1x3x
func.func @global_average_pool(%x: tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32> {
  %p = "nn.global_average_pool"(%x) : (tensor<1x3x4x4xf32>) -> tensor<1x3x1x1xf32>
  return %p : tensor<1x3x1x1xf32>
}
