// Quantized models nn-to-qdf rejects, with the diagnostic it gives (the importer and the nn
// verifiers reject malformed quantizers before: bit widths outside 1..32, scales <= 0, parameters
// that do not broadcast).

// RUN: fpgaopt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(nn-to-qdf)'

// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf{float-tail=float64})' 2>&1 | FileCheck %s --check-prefix=TAIL
// TAIL: error: nn-to-qdf option 'float-tail' must be exact-f32 or fixed, got 'float64'

// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf{inexact-sums=double})' 2>&1 | FileCheck %s --check-prefix=SUMS
// SUMS: error: nn-to-qdf option 'inexact-sums' must be auto, integer or float32, got 'double'

func.func @fractional_zero_point(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant': a zero point that is not an integer has no fixed-point form}}
  %q = "nn.quant"(%x, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %q : tensor<1x4xf32>
}

// -----

func.func @per_axis_zero_point(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<[3.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{'nn.qdq': per-axis zero points are not supported}}
  %q = "nn.qdq"(%x, %s, %z) {bit_width = 8, signed = false} : (tensor<1x2xf32>, tensor<f32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %q : tensor<1x2xf32>
}

// -----

func.func @trunc_of_a_float(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.trunc': is supported after a quantizer, with power-of-two scales and zero zero points}}
  %t = "nn.trunc"(%x, %s, %z, %s, %z) {narrow = false, rounding_mode = "FLOOR", shift = 2, signed = true} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x2xf32>
  func.return %t : tensor<1x2xf32>
}

// -----

func.func @computed_weight(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>) -> tensor<1x2xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q = "nn.quant"(%x, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{'nn.dense': weights and bias of a quantized model must be constants}}
  %y = "nn.dense"(%q, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

func.func @sigmoid_between_quantizers(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q = "nn.quant"(%x, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2xf32>
  // expected-error @+1 {{'nn.sigmoid': is not supported in a quantized model outside a fixed-point tail}}
  %g = "nn.sigmoid"(%q) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %o = "nn.quant"(%g, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2xf32>
  func.return %o : tensor<1x2xf32>
}
