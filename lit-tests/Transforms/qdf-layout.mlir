// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf,qdf-layout)' | FileCheck %s

// qdf-layout absorbs the layout transposes around channels-last layers.

// Between two convolutions the transposes meet through the ReLU and cancel; a single input
// channel makes the first transpose a reshape; the last one is absorbed into the dense weights
// (rows permuted), so no transpose is left.
// CHECK-LABEL: func.func @conv_conv_dense
// CHECK-NOT: qdf.transpose
// CHECK: "qdf.reshape"(%{{.+}}) : (tensor<1x1x4x4x{{.+}}) -> tensor<1x4x4x1x
// CHECK: %[[C0:.+]] = "qdf.conv"
// CHECK: %[[R:.+]] = "qdf.relu"(%[[C0]]) {{.*}} -> tensor<1x4x4x2x
// CHECK: %[[C1:.+]] = "qdf.conv"(%[[R]]
// CHECK: %[[F:.+]] = "qdf.reshape"(%[[C1]]) : (tensor<1x4x4x2x{{.+}}) -> tensor<1x32x
// CHECK: "qdf.dense"(%[[F]]
// CHECK-NOT: qdf.transpose
func.func @conv_conv_dense(%x: tensor<1x1x4x4xf32>) -> tensor<1x3xf32> {
  %w0 = "nn.constant"() {value = dense<0.25> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b0 = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c0 = "nn.conv"(%x, %w0, %b0) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %r = "nn.relu"(%c0) : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %w1 = "nn.constant"() {value = dense<0.5> : tensor<2x2x1x1xf32>} : () -> tensor<2x2x1x1xf32>
  %c1 = "nn.conv"(%r, %w1, %b0) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %f = "nn.reshape"(%c1) : (tensor<1x2x4x4xf32>) -> tensor<1x32xf32>
  %w2 = "nn.constant"() {value = dense<0.125> : tensor<32x3xf32>} : () -> tensor<32x3xf32>
  %b2 = "nn.constant"() {value = dense<0.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %y = "nn.dense"(%f, %w2, %b2) : (tensor<1x32xf32>, tensor<32x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  return %y : tensor<1x3xf32>
}

// -----

// A skip connection: both operands of the add carry the same transpose, which moves past it
// and cancels with the next layer's; the one left sinks past the output dequantize.
// CHECK-LABEL: func.func @residual_add
// CHECK: %[[C0:.+]] = "qdf.conv"
// CHECK: %[[C1:.+]] = "qdf.conv"(%[[C0]]
// CHECK: %[[A:.+]] = "qdf.add"(%[[C1]], %[[C0]]) : {{.*}} -> tensor<1x4x4x2x
// CHECK: %[[D:.+]] = "qdf.dequantize"(%[[A]])
// CHECK: %[[T:.+]] = "qdf.transpose"(%[[D]]) {perm = [0, 3, 1, 2]} : (tensor<1x4x4x2xf32>) -> tensor<1x2x4x4xf32>
// CHECK: func.return %[[T]]
func.func @residual_add(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = "nn.constant"() {value = dense<0.25> : tensor<2x2x1x1xf32>} : () -> tensor<2x2x1x1xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c0 = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c1 = "nn.conv"(%c0, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %s = "nn.add"(%c1, %c0) : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  return %s : tensor<1x2x4x4xf32>
}

// -----

// A per-channel constant ([C, 1, 1] in NCHW) is transposed with the value: [1, 1, 1, C].
// CHECK-LABEL: func.func @per_channel_constant
// CHECK: %[[K:.+]] = "qdf.constant"() {value = dense<{{.+}}> : tensor<1x1x1x2xi16>}
// CHECK: "qdf.mul"(%{{.+}}, %[[K]]) {{.*}} -> tensor<1x4x4x2x
func.func @per_channel_constant(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = "nn.constant"() {value = dense<0.25> : tensor<2x2x1x1xf32>} : () -> tensor<2x2x1x1xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c0 = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %k = "nn.constant"() {value = dense<[[[0.5]], [[2.0]]]> : tensor<2x1x1xf32>} : () -> tensor<2x1x1xf32>
  %m = "nn.mul"(%c0, %k) : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  return %m : tensor<1x2x4x4xf32>
}
