// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' | FileCheck %s

// nn.global_max_pool and nn.conv_transpose become channels-last qdf ops like the other window ops.

// A global max pool is a qdf.max_pool whose window is the whole plane.
// CHECK-LABEL: func.func @global_max_pool
// CHECK: %[[T:.+]] = "qdf.transpose"(%{{.+}}) {perm = [0, 2, 3, 1]}
// CHECK: %[[M:.+]] = "qdf.max_pool"(%[[T]]) {dilations = [1, 1], kernel = [3, 4], strides = [1, 1]} : (tensor<1x3x4x2x{{.+}}) -> tensor<1x1x1x2x
// CHECK: "qdf.transpose"(%[[M]]) {perm = [0, 3, 1, 2]}
func.func @global_max_pool(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x1x1xf32> {
  %y = "nn.global_max_pool"(%x) : (tensor<1x2x3x4xf32>) -> tensor<1x2x1x1xf32>
  return %y : tensor<1x2x1x1xf32>
}

// -----

// A transposed convolution of stride 2 is the stride-1 convolution of the input with a zero
// inserted after each position (reshape to a unit axis, pad it to 2, reshape back), padded by
// d * (k - 1) - pad = 1 in front and 2 - 1 + output_padding 1 - (stride - 1) = 1 behind, with the
// kernel flipped: the 1-D weight [1, 1, 3] = [a, b, c] becomes [3, 1, 1] = [c, b, a].
// CHECK-LABEL: func.func @conv_transpose_1d
// CHECK: %[[T:.+]] = "qdf.transpose"(%{{.+}}) {perm = [0, 2, 1]} {{.*}} -> tensor<1x3x1x
// CHECK: %[[U:.+]] = "qdf.reshape"(%[[T]]) {{.*}} -> tensor<1x3x1x1x
// CHECK: %[[Z:.+]] = "qdf.pad"(%[[U]]) {pads = [0, 0, 0, 0, 0, 0, 1, 0], value = 0} {{.*}} -> tensor<1x3x2x1x
// CHECK: %[[I:.+]] = "qdf.reshape"(%[[Z]]) {{.*}} -> tensor<1x6x1x
// CHECK: %[[P:.+]] = "qdf.pad"(%[[I]]) {pads = [0, 1, 0, 0, 1, 0], value = 0} {{.*}} -> tensor<1x8x1x
// CHECK: %[[W:.+]] = "qdf.constant"() {value = dense<{{\[\[\[}}1024]], {{\[\[}}2048]], {{\[\[}}3072]]]> : tensor<3x1x1xi16>}
// CHECK: %[[C:.+]] = "qdf.conv"(%[[P]], %[[W]], %{{.+}}) {{{.*}}dilations = [1], group = 1, strides = [1]} {{.*}} -> tensor<1x6x1x
// CHECK: "qdf.transpose"(%[[C]]) {perm = [0, 2, 1]}
func.func @conv_transpose_1d(%x: tensor<1x1x3xf32>) -> tensor<1x1x6xf32> {
  %w = "nn.constant"() {value = dense<[[[3.0, 2.0, 1.0]]]> : tensor<1x1x3xf32>} : () -> tensor<1x1x3xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [1], group = 1, output_padding = [1], pads = [1, 1], strides = [2]} : (tensor<1x1x3xf32>, tensor<1x1x3xf32>, tensor<1xf32>) -> tensor<1x1x6xf32>
  return %y : tensor<1x1x6xf32>
}

// -----

// Pads beyond d * (k - 1) crop the zero-inserted input (qdf.slice).
// CHECK-LABEL: func.func @conv_transpose_crop
// CHECK: %[[S:.+]] = "qdf.slice"(%{{.+}}) {axis = 1, size = 3, start = 1}
// CHECK: "qdf.conv"(%[[S]]
func.func @conv_transpose_crop(%x: tensor<1x1x3xf32>) -> tensor<1x1x2xf32> {
  %w = "nn.constant"() {value = dense<[[[1.0, 0.5]]]> : tensor<1x1x2xf32>} : () -> tensor<1x1x2xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [1], group = 1, output_padding = [0], pads = [2, 2], strides = [2]} : (tensor<1x1x3xf32>, tensor<1x1x2xf32>, tensor<1xf32>) -> tensor<1x1x2xf32>
  return %y : tensor<1x1x2xf32>
}
