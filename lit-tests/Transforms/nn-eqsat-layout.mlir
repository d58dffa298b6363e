// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat{rules=layout,cleanup})' | FileCheck %s

// Data movement and no-op ops (dialects/nn/rules/layout.rules).

// identity, dropout and a cast to the same type disappear
// CHECK-LABEL: func.func @no_op_ops
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// CHECK-NEXT: func.return %[[X]]
func.func @no_op_ops(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %a = "nn.identity"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %b = "nn.dropout"(%a) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %c = "nn.cast"(%b) {to = f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %c : tensor<1x4xf32>
}

// -----

// transpose(relu(transpose(x))) with inverse permutations: the ReLU alone is left
// CHECK-LABEL: func.func @transpose_pair_cancels
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x3x4xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.relu"(%[[X]])
// CHECK-NEXT: func.return %[[R]]
func.func @transpose_pair_cancels(%x: tensor<1x2x3x4xf32>) -> tensor<1x2x3x4xf32> {
  %a = "nn.transpose"(%x) {perm = [0, 2, 3, 1]} : (tensor<1x2x3x4xf32>) -> tensor<1x3x4x2xf32>
  %b = "nn.relu"(%a) : (tensor<1x3x4x2xf32>) -> tensor<1x3x4x2xf32>
  %c = "nn.transpose"(%b) {perm = [0, 3, 1, 2]} : (tensor<1x3x4x2xf32>) -> tensor<1x2x3x4xf32>
  func.return %c : tensor<1x2x3x4xf32>
}

// -----

// Two transposes compose into one.
// CHECK-LABEL: func.func @transposes_compose
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[T:.+]] = "nn.transpose"(%[[X]]) {perm = [2, 1, 0]} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NEXT: func.return %[[T]]
func.func @transposes_compose(%x: tensor<2x3x4xf32>) -> tensor<4x3x2xf32> {
  %a = "nn.transpose"(%x) {perm = [1, 2, 0]} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %b = "nn.transpose"(%a) {perm = [1, 0, 2]} : (tensor<3x4x2xf32>) -> tensor<4x3x2xf32>
  func.return %b : tensor<4x3x2xf32>
}

// -----

// A transpose sinks through an add of a constant (moved by the inverse permutation) and cancels.
// CHECK-LABEL: func.func @transpose_through_add
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[C:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>}
// CHECK-NEXT: %[[A:.+]] = "nn.add"(%[[X]], %[[C]])
// CHECK-NEXT: func.return %[[A]]
func.func @transpose_through_add(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %c = "nn.constant"() {value = dense<[[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %a = "nn.transpose"(%x) {perm = [1, 0]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %b = "nn.add"(%a, %c) : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  %d = "nn.transpose"(%b) {perm = [1, 0]} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  func.return %d : tensor<2x3xf32>
}
