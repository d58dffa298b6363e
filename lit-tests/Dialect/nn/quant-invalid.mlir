// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Malformed quantizers: each verifier rule of the quantizer ops, one case per split.

func.func @quant_zero_bits(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op bit width 0 is out of range (1 to 32)}}
  %y = "nn.quant"(%x, %s, %s) {bit_width = 0, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @quant_too_many_bits(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op bit width 33 is out of range (1 to 32)}}
  %y = "nn.quant"(%x, %s, %s) {bit_width = 33, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @quant_unknown_rounding(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op rounding_mode 'NEAREST' is not one of ROUND, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN}}
  %y = "nn.quant"(%x, %s, %s) {bit_width = 4, narrow = false, rounding_mode = "NEAREST", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @quant_zero_scale(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op scale must be positive and finite, got 0}}
  %y = "nn.quant"(%x, %s, %s) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @quant_negative_channel_scale(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = "nn.constant"() {value = dense<[[0.5], [-0.25]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op scale must be positive and finite, got -0.25 at index 1}}
  %y = "nn.quant"(%x, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}

// -----

func.func @quant_channel_count(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<32xf32>} : () -> tensor<32xf32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op scale of shape [32] does not match the input shape [1, 64]}}
  %y = "nn.quant"(%x, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x64xf32>, tensor<32xf32>, tensor<f32>) -> tensor<1x64xf32>
  func.return %y : tensor<1x64xf32>
}

// -----

func.func @quant_scale_not_constant(%x: tensor<1x4xf32>, %s: tensor<f32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'nn.quant' op scale must be defined by nn.constant}}
  %y = "nn.quant"(%x, %s, %s) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @quant_needs_signed(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op requires attribute 'signed'}}
  %y = "nn.quant"(%x, %s, %s) {bit_width = 4, narrow = false, rounding_mode = "ROUND"} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @bipolar_negative_scale(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<-1.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.bipolar_quant' op scale must be positive and finite, got -1}}
  %y = "nn.bipolar_quant"(%x, %s) : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @trunc_shift_range(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.trunc' op shift 200 is out of range (-126 to 127)}}
  %y = "nn.trunc"(%x, %s, %s, %s, %s) {narrow = false, rounding_mode = "FLOOR", shift = 200, signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @trunc_output_bits(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.trunc' op bit width 40 is out of range (1 to 32)}}
  %y = "nn.trunc"(%x, %s, %s, %s, %s) {narrow = false, output_bit_width = 40, rounding_mode = "FLOOR", shift = 2, signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @qdq_fractional_zero_point(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<1.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.qdq' op zero_point 1.5 is not an integer in [0, 255]}}
  %y = "nn.qdq"(%x, %s, %z) {bit_width = 8, signed = false} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @quantize_linear_zero_point_range(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<200.0> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quantize_linear' op zero_point 200 is not an integer in [-128, 127]}}
  %y = "nn.quantize_linear"(%x, %s, %z) {bit_width = 8, signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @quant_result_type(%x: tensor<1x4xf32>) -> tensor<1x5xf32> {
  %s = "nn.constant"() {value = dense<0.5> : tensor<f32>} : () -> tensor<f32>
  // expected-error @+1 {{'nn.quant' op result type tensor<1x5xf32> must equal input type tensor<1x4xf32>}}
  %y = "nn.quant"(%x, %s, %s) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x5xf32>
  func.return %y : tensor<1x5xf32>
}
