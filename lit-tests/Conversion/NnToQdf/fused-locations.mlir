// A dense layer with a fused ReLU (nn-eqsat) splits back into two layers named after the parts of
// its fused location: the layer takes all but the last, the ReLU the last. A config entry for the
// ReLU applies to it; one for a layer folded away (the scale) is a warning, not an error.
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-to-qdf)' --mlir-print-debuginfo | FileCheck %s
// RUN: echo '{"layers": {"relu1": {"result": "ufixed<8,3>"}, "scale1": {"result": "fixed<8,3>"}}}' > %t.json
// RUN: fpgaopt %s --pass-pipeline="builtin.module(nn-to-qdf{config=%t.json})" 2>&1 | FileCheck %s --check-prefix=CFG

// CHECK-LABEL: func.func @main
// CHECK: "qdf.dense"({{.*}} loc(fused["fc1", "scale1"])
// CHECK: "qdf.relu"({{.*}} loc("relu1")
// CFG: warning: config names layer 'scale1', which nn-eqsat folded into another layer: its entry has no effect
// CFG: "qdf.relu"({{.*}}) : {{.*}} -> tensor<1x2x!qdf.fixed<8, 3, false
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) {activation = "relu"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc(fused["fc1", "scale1", "relu1"])
  func.return %d : tensor<1x2xf32>
}
