// Errors about layers imported from ONNX name the node (the location name), not a line.

// RUN: not fpgaopt %s --pass-pipeline='builtin.module(nn-to-qdf)' 2>&1 | FileCheck %s
// CHECK: model.onnx: error: node 'bn1' (nn.batch_norm): parameters that are not constants cannot be quantized; run nn-canonicalize to fold them
func.func @named_batch_norm(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x2xf32> {
  %y = "nn.batch_norm"(%x, %s, %s, %s, %s) {epsilon = 1.0e-3} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("bn1"("model.onnx":0:0))
  func.return %y : tensor<1x2xf32>
}
