// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat{rules=fold,cleanup})' | FileCheck %s

// Batch norms and constant arithmetic folded into dense layers (dialects/nn/rules/fold.rules).

// batch_norm(dense(x, w, b)) -> dense(x, w * s, (b - mean) * s + bias), s = 1 / sqrt(var) here
// CHECK-LABEL: func.func @fold_bn_into_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>}
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[D]]
func.func @fold_bn_into_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %one = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zero = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "nn.constant"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = "nn.batch_norm"(%d, %one, %zero, %zero, %v) {epsilon = 0.0} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// dense(batch_norm(x), w, b) -> dense(x, diag(s) w, b + shift . w)
// CHECK-LABEL: func.func @fold_bn_into_next_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 2.0], [1.5, 2.0]]> : tensor<2x2xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[5.0, 8.0]> : tensor<2xf32>}
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[D]]
func.func @fold_bn_into_next_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %one = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zero = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "nn.constant"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = "nn.batch_norm"(%x, %one, %one, %zero, %v) {epsilon = 0.0} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d = "nn.dense"(%y, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %d : tensor<1x2xf32>
}

// -----

// A chain of scales and offsets after a dense layer (Mul-by-scale chain, Sub, Div) ends in its weights and bias.
// CHECK-LABEL: func.func @scale_chain_into_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[3.0, 6.0], [9.0, 12.0]]> : tensor<2x2xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[2.5, 4.0]> : tensor<2xf32>}
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[D]]
func.func @scale_chain_into_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[1.5, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %two = "nn.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %half = "nn.constant"() {value = dense<[0.5, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m1 = "nn.mul"(%d, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m2 = "nn.mul"(%two, %m1) : (tensor<f32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %q = "nn.div"(%m2, %two) : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %m3 = "nn.mul"(%q, %two) : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %r = "nn.sub"(%m3, %half) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %r : tensor<1x2xf32>
}

// -----

// dense(x * s + c, w, b) -> dense(x, diag(s) w, b + c . w)
// CHECK-LABEL: func.func @scale_and_offset_into_next_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[2.0, 2.0], [1.5, 1.0]]> : tensor<2x2xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[5.0, 4.0]> : tensor<2xf32>}
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[D]]
func.func @scale_and_offset_into_next_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[2.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "nn.mul"(%x, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %a = "nn.add"(%m, %c) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d = "nn.dense"(%a, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %d : tensor<1x2xf32>
}

// -----

// Two dense layers reading the same input, summed, become one (TENSAT-style parallel merge).
// CHECK-LABEL: func.func @merge_parallel_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[2.0, 1.0], [3.0, 5.0]]> : tensor<2x2xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[1.0, 3.0]> : tensor<2xf32>}
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[D]]
func.func @merge_parallel_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w1 = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %w2 = "nn.constant"() {value = dense<[[1.0, 0.0], [0.0, 3.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b1 = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %b2 = "nn.constant"() {value = dense<[0.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d1 = "nn.dense"(%x, %w1, %b1) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d2 = "nn.dense"(%x, %w2, %b2) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %s = "nn.add"(%d1, %d2) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %s : tensor<1x2xf32>
}

// -----

// In a quantized function only exact folds fire: the scale 3 is not folded into the weights
// (that would round differently); the power of two merges with it exactly ((d * 2) * 3 = d * 6).
// CHECK-LABEL: func.func @quantized_keeps_inexact_scales
// CHECK: %[[D:.+]] = "nn.dense"(%{{.+}}, %{{.+}}, %{{.+}})
// CHECK-NEXT: %[[S:.+]] = "nn.constant"() {value = dense<6.0> : tensor<f32>}
// CHECK-NEXT: "nn.mul"(%[[D]], %[[S]])
func.func @quantized_keeps_inexact_scales(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %two = "nn.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %three = "nn.constant"() {value = dense<3.0> : tensor<f32>} : () -> tensor<f32>
  %qs = "nn.constant"() {value = dense<0.125> : tensor<f32>} : () -> tensor<f32>
  %qz = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m1 = "nn.mul"(%d, %two) : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %m2 = "nn.mul"(%m1, %three) : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  %q = "nn.quant"(%m2, %qs, %qz) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2xf32>
  func.return %q : tensor<1x2xf32>
}
