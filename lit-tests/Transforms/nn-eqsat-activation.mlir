// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat{rules=activation,cleanup})' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat{rules=activation},nn-to-qdf)' | FileCheck %s --check-prefix=QDF

// Activations fused into the layer op (dialects/nn/rules/activation.rules); nn-to-qdf splits them again.

// relu(dense(x, w, b)) -> dense{activation = "relu"}(x, w, b)
// CHECK-LABEL: func.func @fuse_relu_into_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK: %[[D:.+]] = "nn.dense"(%[[X]], %{{.+}}, %{{.+}}) {activation = "relu", order = "mlas_m1"}
// CHECK-NEXT: func.return %[[D]]
// QDF-LABEL: func.func @fuse_relu_into_dense
// QDF: %[[D:.+]] = "qdf.dense"
// QDF-NEXT: "qdf.relu"(%[[D]])
func.func @fuse_relu_into_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) {order = "mlas_m1"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%d) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %r : tensor<1x2xf32>
}

// -----

// A dense layer whose output is also read unactivated keeps both ops.
// CHECK-LABEL: func.func @shared_dense_not_fused
// CHECK: %[[D:.+]] = "nn.dense"
// CHECK-NOT: activation
// CHECK: "nn.relu"(%[[D]])
func.func @shared_dense_not_fused(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%d) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %d, %r : tensor<1x2xf32>, tensor<1x2xf32>
}
