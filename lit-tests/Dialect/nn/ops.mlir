// RUN: fpgaopt %s --split-input-file | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s --split-input-file --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s

// Every nn op parses, verifies and prints back to text that parses again to the same IR.

// CHECK-LABEL: func.func @constant_literal
// CHECK: %[[C:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
// CHECK: func.return %[[C]]
func.func @constant_literal() -> tensor<2x2xf32> {
  %c = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  func.return %c : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @constant_splat
// CHECK: "nn.constant"() {value = dense<0.5> : tensor<4xf32>}
func.func @constant_splat() -> tensor<4xf32> {
  %c = "nn.constant"() {value = dense<0.5> : tensor<4xf32>} : () -> tensor<4xf32>
  func.return %c : tensor<4xf32>
}

// -----

// More than 16 elements print as one hex blob and read back exactly.
// CHECK-LABEL: func.func @constant_hex
// CHECK: "nn.constant"() {value = dense<"0x{{[0-9A-F]+}}"> : tensor<17xf32>}
func.func @constant_hex() -> tensor<17xf32> {
  %c = "nn.constant"() {value = dense<[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7]> : tensor<17xf32>} : () -> tensor<17xf32>
  func.return %c : tensor<17xf32>
}

// -----

// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>, %[[W:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<3xf32>)
// CHECK: "nn.dense"(%[[X]], %[[W]], %[[B]]) : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
func.func @dense(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<1x3xf32> {
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

// CHECK-LABEL: func.func @dense_keeps_leading_dims
// CHECK: "nn.dense"({{.*}}) : (tensor<2x5x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<2x5x3xf32>
func.func @dense_keeps_leading_dims(%x: tensor<2x5x4xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<2x5x3xf32> {
  %y = "nn.dense"(%x, %w, %b) : (tensor<2x5x4xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<2x5x3xf32>
  func.return %y : tensor<2x5x3xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_broadcasts_batch
// CHECK-SAME: (%[[A:.+]]: tensor<2x4x3xf32>, %[[B:.+]]: tensor<3x5xf32>)
// CHECK: "nn.matmul"(%[[A]], %[[B]]) : (tensor<2x4x3xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
func.func @matmul_broadcasts_batch(%a: tensor<2x4x3xf32>, %b: tensor<3x5xf32>) -> tensor<2x4x5xf32> {
  %y = "nn.matmul"(%a, %b) : (tensor<2x4x3xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
  func.return %y : tensor<2x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_vector
// CHECK: "nn.matmul"({{.*}}) : (tensor<3xf32>, tensor<3x5xf32>) -> tensor<5xf32>
func.func @matmul_vector(%a: tensor<3xf32>, %b: tensor<3x5xf32>) -> tensor<5xf32> {
  %y = "nn.matmul"(%a, %b) : (tensor<3xf32>, tensor<3x5xf32>) -> tensor<5xf32>
  func.return %y : tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @elementwise_broadcast
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>, %[[R:.+]]: tensor<3xf32>, %[[S:.+]]: tensor<f32>)
// CHECK: %[[A:.+]] = "nn.add"(%[[X]], %[[R]]) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK: %[[D:.+]] = "nn.sub"(%[[A]], %[[X]]) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: "nn.mul"(%[[D]], %[[S]]) : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
func.func @elementwise_broadcast(%x: tensor<2x3xf32>, %r: tensor<3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %a = "nn.add"(%x, %r) : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %d = "nn.sub"(%a, %x) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = "nn.mul"(%d, %s) : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %m : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @outer_broadcast
// CHECK: "nn.add"({{.*}}) : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
func.func @outer_broadcast(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %y = "nn.add"(%a, %b) : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: %[[R:.+]] = "nn.relu"(%{{.+}}) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: %[[L:.+]] = "nn.leaky_relu"(%[[R]]) {alpha = 0.1} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: %[[S:.+]] = "nn.sigmoid"(%[[L]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
// CHECK: "nn.tanh"(%[[S]]) : (tensor<1x8xf32>) -> tensor<1x8xf32>
func.func @activations(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %r = "nn.relu"(%x) : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %l = "nn.leaky_relu"(%r) {alpha = 0.1} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %s = "nn.sigmoid"(%l) : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %t = "nn.tanh"(%s) : (tensor<1x8xf32>) -> tensor<1x8xf32>
  func.return %t : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @clip_bounds
// CHECK: "nn.clip"(%{{.+}}) {max = 6.0, min = -1.0}
// CHECK: "nn.clip"(%{{.+}}) {min = 0.0}
// CHECK: "nn.clip"(%{{.+}}) : (tensor<1x8xf32>) -> tensor<1x8xf32>
func.func @clip_bounds(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %a = "nn.clip"(%x) {min = -1.0, max = 6.0} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %b = "nn.clip"(%a) {min = 0.0} : (tensor<1x8xf32>) -> tensor<1x8xf32>
  %c = "nn.clip"(%b) : (tensor<1x8xf32>) -> tensor<1x8xf32>
  func.return %c : tensor<1x8xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_middle_axis
// CHECK: "nn.softmax"(%{{.+}}) {axis = 1} : (tensor<1x5x3xf32>) -> tensor<1x5x3xf32>
func.func @softmax_middle_axis(%x: tensor<1x5x3xf32>) -> tensor<1x5x3xf32> {
  %y = "nn.softmax"(%x) {axis = 1} : (tensor<1x5x3xf32>) -> tensor<1x5x3xf32>
  func.return %y : tensor<1x5x3xf32>
}

// -----

// CHECK-LABEL: func.func @batch_norm_channels_on_axis_1
// CHECK-SAME: (%[[X:.+]]: tensor<1x4x2x2xf32>, %[[P:.+]]: tensor<4xf32>)
// CHECK: "nn.batch_norm"(%[[X]], %[[P]], %[[P]], %[[P]], %[[P]]) {epsilon = 0.001}
func.func @batch_norm_channels_on_axis_1(%x: tensor<1x4x2x2xf32>, %p: tensor<4xf32>) -> tensor<1x4x2x2xf32> {
  %y = "nn.batch_norm"(%x, %p, %p, %p, %p) {epsilon = 1.0e-3} : (tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x2x2xf32>
  func.return %y : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @flatten_and_reshape
// CHECK: %[[F:.+]] = "nn.flatten"(%{{.+}}) {axis = 2} : (tensor<1x2x3x4xf32>) -> tensor<2x12xf32>
// CHECK: "nn.reshape"(%[[F]]) : (tensor<2x12xf32>) -> tensor<24xf32>
func.func @flatten_and_reshape(%x: tensor<1x2x3x4xf32>) -> tensor<24xf32> {
  %f = "nn.flatten"(%x) {axis = 2} : (tensor<1x2x3x4xf32>) -> tensor<2x12xf32>
  %r = "nn.reshape"(%f) : (tensor<2x12xf32>) -> tensor<24xf32>
  func.return %r : tensor<24xf32>
}

// -----

// CHECK-LABEL: func.func @div_broadcasts
// CHECK: "nn.div"(%{{.+}}, %{{.+}}) : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
func.func @div_broadcasts(%x: tensor<1x10xf32>, %d: tensor<1xf32>) -> tensor<1x10xf32> {
  %y = "nn.div"(%x, %d) : (tensor<1x10xf32>, tensor<1xf32>) -> tensor<1x10xf32>
  func.return %y : tensor<1x10xf32>
}

// -----

// The summation order of a dense (onnxruntime's kernel) is an optional attribute.
// CHECK-LABEL: func.func @dense_summation_order
// CHECK: "nn.dense"(%{{.+}}, %{{.+}}, %{{.+}}) {bias_first = true, order = "mlas_m1_transposed"}
func.func @dense_summation_order(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<1x3xf32> {
  %y = "nn.dense"(%x, %w, %b) {bias_first = true, order = "mlas_m1_transposed"} : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

// Concatenation (variadic, ONNX Concat) and a contiguous slice along one axis.
// CHECK-LABEL: func.func @concat_and_slice
// CHECK: %[[C:.+]] = "nn.concat"(%{{.+}}, %{{.+}}) {axis = 1} : (tensor<1x4xf32>, tensor<1x6xf32>) -> tensor<1x10xf32>
// CHECK: "nn.slice"(%[[C]]) {axis = -1, size = 6, start = 4} : (tensor<1x10xf32>) -> tensor<1x6xf32>
func.func @concat_and_slice(%a: tensor<1x4xf32>, %b: tensor<1x6xf32>) -> tensor<1x6xf32> {
  %c = "nn.concat"(%a, %b) {axis = 1} : (tensor<1x4xf32>, tensor<1x6xf32>) -> tensor<1x10xf32>
  %s = "nn.slice"(%c) {axis = -1, start = 4, size = 6} : (tensor<1x10xf32>) -> tensor<1x6xf32>
  func.return %s : tensor<1x6xf32>
}
