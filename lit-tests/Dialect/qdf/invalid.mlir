// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Each verifier rule of the qdf dialect and of the !qdf.fixed type, one case per split.

// expected-error @+1 {{invalid '!qdf.fixed': width 0 is outside 1..=1024}}
func.func @fixed_zero_width(%x: tensor<4x!qdf.fixed<0, 0, true, "TRN", "WRAP">>) {
  func.return
}

// -----

// expected-error @+1 {{invalid '!qdf.fixed': unknown rounding mode "AP_RND"}}
func.func @fixed_ap_prefixed_mode(%x: tensor<4x!qdf.fixed<8, 1, true, "AP_RND", "WRAP">>) {
  func.return
}

// -----

// expected-error @+1 {{invalid '!qdf.fixed': unknown overflow mode "SATURATE"}}
func.func @fixed_unknown_overflow(%x: tensor<4x!qdf.fixed<8, 1, true, "TRN", "SATURATE">>) {
  func.return
}

// -----

// expected-error @+1 {{'!qdf.fixed' takes 5 parameters, found 2}}
func.func @fixed_short_form_is_not_ir(%x: tensor<4x!qdf.fixed<16, 6>>) {
  func.return
}

// -----

func.func @constant_mantissa_out_of_range() -> tensor<2x!qdf.fixed<4, 1, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.constant' op value mantissa 8 at index 1 does not fit fixed<4,1> (range [-8, 7])}}
  %c = "qdf.constant"() {value = dense<[1, 8]> : tensor<2xi8>} : () -> tensor<2x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
  func.return %c : tensor<2x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
}

// -----

func.func @constant_float_value() -> tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.constant' op attribute 'value' must be dense integer elements}}
  %c = "qdf.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %c : tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @constant_shape_mismatch() -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.constant' op value shape [2] does not match result shape [3]}}
  %c = "qdf.constant"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %c : tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @quantize_to_float(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'qdf.quantize' op result #0 ('output') must be tensor of !qdf.fixed, but got tensor<4xf32>}}
  %q = "qdf.quantize"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %q : tensor<4xf32>
}

// -----

func.func @quantize_f64(%x: tensor<4xf64>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.quantize' op input must be a tensor of f32, got tensor<4xf64>}}
  %q = "qdf.quantize"(%x) : (tensor<4xf64>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %q : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @dequantize_shape(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2xf32> {
  // expected-error @+1 {{'qdf.dequantize' op result shape [2] must equal input shape [4]}}
  %y = "qdf.dequantize"(%x) : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}

// -----

func.func @value_wider_than_64_bits(%x: tensor<4x!qdf.fixed<65, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.cast' op element type fixed<65,6> is wider than 64 bits (63 unsigned)}}
  %y = "qdf.cast"(%x) : (tensor<4x!qdf.fixed<65, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @dense_needs_acc_type(%x: tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.dense' op requires attribute 'acc_type'}}
  %y = "qdf.dense"(%x, %w, %b) : (tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @dense_acc_not_fixed(%x: tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.dense' op attribute 'acc_type' must be !qdf.fixed type, but got i32}}
  %y = "qdf.dense"(%x, %w, %b) {acc_type = i32} : (tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @dense_k_mismatch(%x: tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.dense' op input [1, 4] does not end in the weight's K = 2}}
  %y = "qdf.dense"(%x, %w, %b) {acc_type = !qdf.fixed<40, 16, true, "TRN", "WRAP">} : (tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @dense_bias_shape(%x: tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.dense' op bias must be [3], got [2]}}
  %y = "qdf.dense"(%x, %w, %b) {acc_type = !qdf.fixed<40, 16, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @dense_acc_too_wide(%x: tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.dense' op the accumulator needs 200 bits, more than the 126 the exact semantics support}}
  %y = "qdf.dense"(%x, %w, %b) {acc_type = !qdf.fixed<200, 16, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @matmul_shapes(%a: tensor<4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.matmul' op operand shapes [4, 8] and [4, 2] do not multiply}}
  %y = "qdf.matmul"(%a, %b) {acc_type = !qdf.fixed<40, 16, true, "TRN", "WRAP">} : (tensor<4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @add_result_shape(%a: tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.add' op result shape [8] should be [1, 8]}}
  %y = "qdf.add"(%a, %b) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @mul_no_broadcast(%a: tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.mul' op operand shapes [3] and [2] do not broadcast}}
  %y = "qdf.mul"(%a, %b) : (tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @relu_shape(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.relu' op result shape [2, 2] must equal input shape [4]}}
  %y = "qdf.relu"(%x) : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @leaky_alpha_out_of_range(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.leaky_relu' op alpha mantissa 300 does not fit fixed<8,1>}}
  %y = "qdf.leaky_relu"(%x) {alpha = 300, alpha_type = !qdf.fixed<8, 1, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @clip_min_above_max(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.clip' op min 10 is greater than max 2}}
  %y = "qdf.clip"(%x) {min = 10, max = 2} : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @table_one_sample(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.table' op table must be 1-D with at least 2 samples, got tensor<1xi8>}}
  %y = "qdf.table"(%x) {function = "tanh", lo = 0, step_shift = 1, table = dense<[1]> : tensor<1xi8>, table_type = !qdf.fixed<16, 6, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @table_step_shift(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.table' op step_shift 63 is outside 0..=62}}
  %y = "qdf.table"(%x) {function = "tanh", lo = 0, step_shift = 63, table = dense<[1, 2]> : tensor<2xi8>, table_type = !qdf.fixed<16, 6, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @table_sample_out_of_range(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.table' op table mantissa 9 at index 1 does not fit fixed<4,2>}}
  %y = "qdf.table"(%x) {function = "tanh", lo = 0, step_shift = 1, table = dense<[1, 9]> : tensor<2xi8>, table_type = !qdf.fixed<4, 2, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @softmax_axis(%x: tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.softmax' op axis 2 is out of range for rank 2}}
  %y = "qdf.softmax"(%x) {axis = 2, exp_table = dense<[0, 16]> : tensor<2xi8>, exp_type = !qdf.fixed<5, 1, false, "TRN", "WRAP">, lo = -16, step_shift = 4, sum_type = !qdf.fixed<7, 3, false, "TRN", "WRAP">} : (tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @softmax_negative_exp(%x: tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.softmax' op exp_table samples must be non-negative}}
  %y = "qdf.softmax"(%x) {axis = 1, exp_table = dense<[-1, 16]> : tensor<2xi8>, exp_type = !qdf.fixed<6, 1, true, "TRN", "WRAP">, lo = -16, step_shift = 4, sum_type = !qdf.fixed<7, 3, false, "TRN", "WRAP">} : (tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @softmax_needs_sum_type(%x: tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.softmax' op requires attribute 'sum_type'}}
  %y = "qdf.softmax"(%x) {axis = 1, exp_table = dense<[0, 16]> : tensor<2xi8>, exp_type = !qdf.fixed<5, 1, false, "TRN", "WRAP">, lo = -16, step_shift = 4} : (tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

func.func @reshape_changes_type(%x: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.reshape' op cannot reshape}}
  %y = "qdf.reshape"(%x) : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<2x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">>
}

// -----

func.func @fdense_unknown_order(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{'qdf.fdense' op order 'mlas' is not one of mlas_packed, mlas_m1, mlas_m1_transposed}}
  %y = "qdf.fdense"(%x, %w, %b) {order = "mlas"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

func.func @fquant_needs_a_range(%x: tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.fquant' op rounding 'ROUND' needs 'min' and 'max'}}
  %y = "qdf.fquant"(%x) {rounding = "ROUND"} : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
}

// -----

func.func @fquant_codes_fit(%x: tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.fquant' op codes in [-128, 127] do not fit the result type fixed<4,4>}}
  %y = "qdf.fquant"(%x) {max = 127.0, min = -128.0, rounding = "ROUND", scale = dense<0.5> : tensor<f32>} : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
}

// -----

func.func @fquant_positive_scale(%x: tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.fquant' op scale 0 is not positive and finite}}
  %y = "qdf.fquant"(%x) {max = 7.0, min = -8.0, rounding = "FLOOR", scale = dense<0.0> : tensor<f32>} : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
}

// -----

func.func @fquant_per_channel_scale_length(%x: tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.fquant' op scale of shape [3] does not broadcast to the input shape [1, 2]}}
  %y = "qdf.fquant"(%x) {max = 7.0, min = -8.0, rounding = "FLOOR", scale = dense<[0.5, 0.25, 1.0]> : tensor<3xf32>} : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
}

// -----

func.func @threshold_ascending(%x: tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.threshold' op thresholds of channel 1 are not ascending}}
  %y = "qdf.threshold"(%x) {base = dense<0> : tensor<1xi8>, step = dense<1> : tensor<1xi8>, thresholds = dense<[[1, 2], [5, 3]]> : tensor<2x2xi8>} : (tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
}

// -----

func.func @threshold_levels_fit(%x: tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.threshold' op channel 0 reaches mantissa 2, outside the result type fixed<2,2>}}
  %y = "qdf.threshold"(%x) {base = dense<0> : tensor<1xi8>, step = dense<1> : tensor<1xi8>, thresholds = dense<[[1, 2]]> : tensor<1x2xi8>} : (tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">>
}

// -----

func.func @requant_multiplier_per_channel(%x: tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">> {
  // expected-error @+1 {{'qdf.requant' op multiplier must have shape [1] or [2], got [3]}}
  %y = "qdf.requant"(%x) {multiplier = dense<[1, 2, 3]> : tensor<3xi64>, shift = 2} : (tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
  func.return %y : tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
}

// -----

func.func @requant_axis_in_range(%x: tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">> {
  // expected-error @+1 {{'qdf.requant' op axis 2 is not an axis of the input shape [1, 2]}}
  %y = "qdf.requant"(%x) {axis = 2, multiplier = dense<[1, 2]> : tensor<2xi64>, shift = 2} : (tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
  func.return %y : tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
}

// -----

func.func @threshold_rows_per_axis_channel(%x: tensor<1x2x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x3x!qdf.fixed<4, 4, true, "TRN", "WRAP">> {
  // expected-error @+1 {{'qdf.threshold' op thresholds must be [C, L] with L >= 1 and C = 1 or the channel count, got [2, 1]}}
  %y = "qdf.threshold"(%x) {axis = 2, base = dense<0> : tensor<1xi8>, step = dense<1> : tensor<1xi8>, thresholds = dense<[[1], [2]]> : tensor<2x1xi8>} : (tensor<1x2x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x3x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x3x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
}

// -----

func.func @requant_shift_range(%x: tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">> {
  // expected-error @+1 {{'qdf.requant' op shift 63 is outside 0..=62}}
  %y = "qdf.requant"(%x) {multiplier = dense<[1]> : tensor<1xi64>, shift = 63} : (tensor<1x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
  func.return %y : tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
}
