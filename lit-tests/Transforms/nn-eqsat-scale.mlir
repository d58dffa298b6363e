// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat{rules=scale,fold,cleanup})' | FileCheck %s

// Per-channel scales moved across ReLU and dense layers, both directions (dialects/nn/rules/scale.rules).

// relu(dense(x) * s) * t, s, t > 0: both scales move through the ReLU into the weights
// CHECK-LABEL: func.func @scales_through_relu_into_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[2.0, 0.5], [6.0, 1.0]]> : tensor<2x2xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[2.0, 0.5]> : tensor<2xf32>}
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: %[[R:.+]] = "nn.relu"(%[[D]])
// CHECK-NEXT: func.return %[[R]]
func.func @scales_through_relu_into_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[4.0, 0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %t = "nn.constant"() {value = dense<[0.5, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m = "nn.mul"(%d, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%m) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = "nn.mul"(%r, %t) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// A positive scale before a ReLU moves forward into the next dense layer's weights.
// CHECK-LABEL: func.func @scale_forward_into_next_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.relu"(%[[X]])
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[3.0, 3.0], [1.5, 1.0]]> : tensor<2x2xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"()
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[R]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[D]]
func.func @scale_forward_into_next_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[3.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "nn.mul"(%x, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%m) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %d = "nn.dense"(%r, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %d : tensor<1x2xf32>
}

// -----

// A scale with a negative element does not cross the ReLU.
// CHECK-LABEL: func.func @negative_scale_stays
// CHECK: "nn.mul"
// CHECK: "nn.relu"
func.func @negative_scale_stays(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %s = "nn.constant"() {value = dense<[3.0, -0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "nn.mul"(%x, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%m) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %r : tensor<1x2xf32>
}
