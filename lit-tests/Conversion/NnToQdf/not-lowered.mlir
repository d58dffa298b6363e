// Convolution, padding, pooling and transposes are nn ops with reference semantics but no qdf form
// yet: nn-to-qdf names the node and stops.

// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' 2>&1 | FileCheck %s --check-prefix=ERR

func.func @conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x2x2xf32> {
  %w = "nn.constant"() {value = dense<1.0> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
// ERR: error: node 'conv1' (nn.conv): not lowered to qdf yet (convolutions come with streaming support)
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x3x3xf32>, tensor<1x1x2x2xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32> loc("conv1")
  func.return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @max_pool(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
// ERR: error: node 'pool1' (nn.max_pool): not lowered to qdf yet (pooling comes with streaming support)
  %y = "nn.max_pool"(%x) {ceil_mode = false, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> loc("pool1")
  func.return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @pad(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
// ERR: error: node 'pad1' (nn.pad): not lowered to qdf yet (padding comes with streaming support (or folds into a convolution))
  %y = "nn.pad"(%x) {pads = [0, 1, 0, 1], value = 0.0} : (tensor<1x2xf32>) -> tensor<1x4xf32> loc("pad1")
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @transpose(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
// ERR: error: 'nn.transpose': not lowered to qdf yet (transposes come with streaming support)
  %y = "nn.transpose"(%x) {perm = [1, 0]} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %y : tensor<3x2xf32>
}

// -----

func.func @cast_to_f64(%x: tensor<1x2xf32>) -> tensor<1x2xf64> {
// ERR: error: node 'cast1' (nn.cast): not lowered to qdf yet (only casts to the same type are removed)
  %y = "nn.cast"(%x) {to = f64} : (tensor<1x2xf32>) -> tensor<1x2xf64> loc("cast1")
  func.return %y : tensor<1x2xf64>
}
