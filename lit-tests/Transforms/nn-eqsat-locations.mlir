// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-eqsat)' --mlir-print-debuginfo 2>/dev/null | FileCheck %s

// Ops that survive keep their locations; a fused op takes the location of the original op of the
// same name (the dense layer) fused with those of the ops folded into it (the scale, the ReLU), in
// program order; new constants take the location of the op that reads them.
// CHECK-LABEL: func.func @fused_ops_keep_the_layer_location
// CHECK: "nn.constant"() {{.*}} loc("{{.*}}nn-eqsat-locations.mlir":[[DENSE:[0-9]+]]:8)
// CHECK: "nn.dense"({{.*}}) {activation = "relu"} {{.*}} loc(fused["{{.*}}nn-eqsat-locations.mlir":[[DENSE]]:8, "{{.*}}nn-eqsat-locations.mlir":15:8, "{{.*}}nn-eqsat-locations.mlir":16:8])
// CHECK: "nn.sigmoid"({{.*}} loc("{{.*}}nn-eqsat-locations.mlir":17:8)
func.func @fused_ops_keep_the_layer_location(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[2.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m = "nn.mul"(%d, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%m) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = "nn.sigmoid"(%r) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}
