// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Each verifier rule of the channels-last window and layout ops.

func.func @transpose_not_a_permutation(%x: tensor<1x2x3xf32>) {
  // expected-error @+1 {{perm [0, 0, 1] is not a permutation of 0..3}}
  %y = "qdf.transpose"(%x) {perm = [0, 0, 1]} : (tensor<1x2x3xf32>) -> tensor<1x1x2xf32>
  func.return
}

// -----

func.func @pad_value_outside_type(%x: tensor<1x2x2x1x!qdf.fixed<4, 4, false, "TRN", "WRAP">>) {
  // expected-error @+1 {{value -8 is not a mantissa of}}
  %y = "qdf.pad"(%x) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = -8} : (tensor<1x2x2x1x!qdf.fixed<4, 4, false, "TRN", "WRAP">>) -> tensor<1x4x4x1x!qdf.fixed<4, 4, false, "TRN", "WRAP">>
  func.return
}

// -----

func.func @conv_group_mismatch(%x: tensor<1x4x4x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<1x1x3x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, %b: tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) {
  // expected-error @+1 {{group 2 must divide the 3 input and 2 output channels}}
  %y = "qdf.conv"(%x, %w, %b) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [1, 1], group = 2, strides = [1, 1]} : (tensor<1x4x4x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<1x1x3x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return
}

// -----

func.func @conv_window_too_large(%x: tensor<1x2x2x1x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<3x3x1x1x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, %b: tensor<1x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) {
  // expected-error @+1 {{window of 3 (dilation 1) does not fit spatial axis 0 of size 2}}
  %y = "qdf.conv"(%x, %w, %b) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [1, 1], group = 1, strides = [1, 1]} : (tensor<1x2x2x1x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x3x1x1x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<1x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x1x1x1x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return
}

// -----

func.func @pool_wrong_result(%x: tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) {
  // expected-error @+1 {{result shape [1, 3, 3, 2] should be [1, 2, 2, 2]}}
  %y = "qdf.max_pool"(%x) {dilations = [1, 1], kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return
}

// -----

func.func @avg_pool_zero_divisor(%x: tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) {
  // expected-error @+1 {{divisors must be in 1..=1048576}}
  %y = "qdf.avg_pool"(%x) {acc_type = !qdf.fixed<18, 8, true, "TRN", "WRAP">, dilations = [1, 1], divisors = dense<0> : tensor<2x2xi64>, kernel = [2, 2], recip_type = !qdf.fixed<17, 1, false, "TRN", "WRAP">, strides = [2, 2]} : (tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return
}

// -----

func.func @avg_pool_signed_reciprocal(%x: tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) {
  // expected-error @+1 {{must be unsigned with an integer bit}}
  %y = "qdf.avg_pool"(%x) {acc_type = !qdf.fixed<18, 8, true, "TRN", "WRAP">, dilations = [1, 1], divisors = dense<4> : tensor<2x2xi64>, kernel = [2, 2], recip_type = !qdf.fixed<17, 1, true, "TRN", "WRAP">, strides = [2, 2]} : (tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return
}
