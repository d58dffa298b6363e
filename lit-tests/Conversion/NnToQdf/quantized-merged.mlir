// A quantized function whose parallel layers nn-eqsat merged: the quantized converter slices the
// merged layer's codes (the qdf interpreter gives the same bits as without the merge).

// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-eqsat,nn-to-qdf)' 2>/dev/null | FileCheck %s
// CHECK-LABEL: func.func @main
// CHECK: %[[D:.+]] = "qdf.dense"
// CHECK-SAME: -> tensor<1x4x
// CHECK: %[[R:.+]] = "qdf.relu"(%[[D]])
// CHECK: "qdf.slice"(%[[R]]) {axis = -1, size = 2, start = 0}
// CHECK: "qdf.slice"(%[[R]]) {axis = -1, size = 2, start = 2}
func.func @main(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %qs = "nn.constant"() {value = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %qz = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q0 = "nn.quant"(%x, %qs, %qz) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  %w1 = "nn.constant"() {value = dense<[[0.5, -0.25], [1.0, -0.5], [0.125, -1.0], [0.25, -0.75]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %b1 = "nn.constant"() {value = dense<[0.125, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w2 = "nn.constant"() {value = dense<[[0.5, 0.25], [-0.125, 0.5], [1.0, 0.25], [-0.5, 0.75]]> : tensor<4x2xf32>} : () -> tensor<4x2xf32>
  %b2 = "nn.constant"() {value = dense<[0.25, -0.125]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d1 = "nn.dense"(%q0, %w1, %b1) : (tensor<1x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d2 = "nn.dense"(%q0, %w2, %b2) : (tensor<1x4xf32>, tensor<4x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r1 = "nn.relu"(%d1) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %r2 = "nn.relu"(%d2) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %y1 = "nn.quant"(%r1, %qs, %qz) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2xf32>
  %y2 = "nn.quant"(%r2, %qs, %qz) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2xf32>
  %s = "nn.add"(%y1, %y2) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %s : tensor<1x2xf32>
}
