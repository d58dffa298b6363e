// An nn op with reference semantics but no qdf form stops nn-to-qdf with the node's name.

// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' 2>&1 | FileCheck %s --check-prefix=ERR

func.func @cast_to_f64(%x: tensor<1x2xf32>) -> tensor<1x2xf64> {
// ERR: error: node 'cast1' (nn.cast): not lowered to qdf yet (only casts to the same type are removed)
  %y = "nn.cast"(%x) {to = f64} : (tensor<1x2xf32>) -> tensor<1x2xf64> loc("cast1")
  func.return %y : tensor<1x2xf64>
}
