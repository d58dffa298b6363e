// Layers nn-eqsat merged with a parallel one (merge-parallel-dense2): the merged dense keeps the
// first layer's name; the second layer's result is an nn.slice under its name, so a config entry
// for it has no effect and is a warning.

// RUN: echo '{"layers": {"fc1": {"weight": "fixed<8,1>"}, "fc2": {"weight": "fixed<8,1>"}}}' > %t.json
// RUN: fpgaopt %s --pass-pipeline="builtin.module(nn-to-qdf{config=%t.json})" 2>&1 | FileCheck %s
// CHECK-NOT: 'fc1'
// CHECK: warning: config names layer 'fc2', which nn-eqsat folded into another layer: its entry has no effect
// CHECK-LABEL: func.func @merged
// CHECK: "qdf.dense"
// CHECK-SAME: tensor<2x3x!qdf.fixed<8, 1, true, "TRN", "WRAP">>
// CHECK: "qdf.slice"
// CHECK: "qdf.slice"
func.func @merged(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x1xf32>) {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0, 5.0], [3.0, 4.0, 6.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32>
  %b = "nn.constant"() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("fc1")
  %s1 = "nn.slice"(%d) {axis = -1, size = 2, start = 0} : (tensor<1x3xf32>) -> tensor<1x2xf32> loc("fc1")
  %s2 = "nn.slice"(%d) {axis = -1, size = 1, start = 2} : (tensor<1x3xf32>) -> tensor<1x1xf32> loc("fc2")
  func.return %s1, %s2 : tensor<1x2xf32>, tensor<1x1xf32>
}
