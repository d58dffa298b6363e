// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat{rules=cleanup})' | FileCheck %s

// Exact simplifications (dialects/nn/rules/cleanup.rules).

// relu(relu(x)) -> relu(x)
// CHECK-LABEL: func.func @relu_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.relu"(%[[X]])
// CHECK-NEXT: func.return %[[R]]
func.func @relu_relu(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %a = "nn.relu"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %b = "nn.relu"(%a) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %b : tensor<1x4xf32>
}

// -----

// relu(x) -> x when the value range of x is non-negative
// CHECK-LABEL: func.func @relu_of_nonneg
// CHECK-NEXT: %[[S:.+]] = "nn.sigmoid"
// CHECK-NEXT: func.return %[[S]]
func.func @relu_of_nonneg(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %a = "nn.sigmoid"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %b = "nn.relu"(%a) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %b : tensor<1x4xf32>
}

// -----

// reshape(reshape(x)) -> reshape(x); a round trip disappears
// CHECK-LABEL: func.func @reshape_pairs
// CHECK-SAME: (%[[X:.+]]: tensor<1x6xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.reshape"(%[[X]]) : (tensor<1x6xf32>) -> tensor<3x2xf32>
// CHECK-NEXT: func.return %[[R]], %[[X]]
func.func @reshape_pairs(%x: tensor<1x6xf32>) -> (tensor<3x2xf32>, tensor<1x6xf32>) {
  %a = "nn.reshape"(%x) : (tensor<1x6xf32>) -> tensor<2x3xf32>
  %b = "nn.reshape"(%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %c = "nn.reshape"(%a) : (tensor<2x3xf32>) -> tensor<1x6xf32>
  func.return %b, %c : tensor<3x2xf32>, tensor<1x6xf32>
}

// -----

// x * 1 -> x, x + 0 -> x, flatten to the same type -> x
// CHECK-LABEL: func.func @identities
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// CHECK-NEXT: func.return %[[X]]
func.func @identities(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %one = "nn.constant"() {value = dense<1.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %zero = "nn.constant"() {value = dense<0.0> : tensor<1x4xf32>} : () -> tensor<1x4xf32>
  %a = "nn.mul"(%x, %one) : (tensor<1x4xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  %b = "nn.add"(%zero, %a) : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  %c = "nn.flatten"(%b) {axis = 1} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %c : tensor<1x4xf32>
}

// -----

// x * 1 stays when the constant broadcasts x to a larger shape
// CHECK-LABEL: func.func @mul_one_that_broadcasts
// CHECK: "nn.mul"
func.func @mul_one_that_broadcasts(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  %one = "nn.constant"() {value = dense<1.0> : tensor<2x4xf32>} : () -> tensor<2x4xf32>
  %a = "nn.mul"(%x, %one) : (tensor<4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %a : tensor<2x4xf32>
}

// -----

// constants fold inside the e-graph
// CHECK-LABEL: func.func @constants_fold
// CHECK-NEXT: %[[C:.+]] = "nn.constant"() {value = dense<[2.0, 4.0]> : tensor<2xf32>}
// CHECK-NEXT: func.return %[[C]]
func.func @constants_fold() -> tensor<2xf32> {
  %a = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "nn.add"(%a, %a) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %b : tensor<2xf32>
}
