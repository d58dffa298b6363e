// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Each verifier rule of the nn dialect, one case per split.

func.func @constant_type_mismatch() -> tensor<3xf32> {
  // expected-error @+1 {{'nn.constant' op value type tensor<2xf32> does not match result type tensor<3xf32>}}
  %c = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<3xf32>
  func.return %c : tensor<3xf32>
}

// -----

func.func @constant_needs_value() -> tensor<2xf32> {
  // expected-error @+1 {{'nn.constant' op requires attribute 'value'}}
  %c = "nn.constant"() : () -> tensor<2xf32>
  func.return %c : tensor<2xf32>
}

// -----

func.func @dense_weight_not_2d(%x: tensor<1x2xf32>, %w: tensor<2xf32>, %b: tensor<2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{'nn.dense' op weight must be 2-D [K, N], got [2]}}
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

func.func @dense_k_mismatch(%x: tensor<1x4xf32>, %w: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'nn.dense' op input [1, 4] does not end in the weight's K = 2}}
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x4xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

func.func @dense_bias_shape(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>, %b: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'nn.dense' op bias must be [3], got [1, 3]}}
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

func.func @dense_result_shape(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{'nn.dense' op result shape [1, 2] should be [1, 3]}}
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

func.func @dense_operand_count(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'nn.dense' op expected 3 operands, found 2}}
  %y = "nn.dense"(%x, %w) : (tensor<1x2xf32>, tensor<2x3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

func.func @matmul_inner_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nn.matmul' op operand shapes [2, 3] and [4, 5] do not multiply}}
  %y = "nn.matmul"(%a, %b) : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  func.return %y : tensor<2x5xf32>
}

// -----

func.func @matmul_result_shape(%a: tensor<2x3xf32>, %b: tensor<3x5xf32>) -> tensor<5x2xf32> {
  // expected-error @+1 {{'nn.matmul' op result shape [5, 2] should be [2, 5]}}
  %y = "nn.matmul"(%a, %b) : (tensor<2x3xf32>, tensor<3x5xf32>) -> tensor<5x2xf32>
  func.return %y : tensor<5x2xf32>
}

// -----

func.func @add_no_broadcast(%a: tensor<2x3xf32>, %b: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'nn.add' op operand shapes [2, 3] and [2] do not broadcast}}
  %y = "nn.add"(%a, %b) : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// -----

func.func @sub_result_shape(%a: tensor<2x1xf32>, %b: tensor<3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'nn.sub' op result shape [2, 1] should be [2, 3]}}
  %y = "nn.sub"(%a, %b) : (tensor<2x1xf32>, tensor<3xf32>) -> tensor<2x1xf32>
  func.return %y : tensor<2x1xf32>
}

// -----

func.func @mul_integer_operand(%a: tensor<4xi32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.mul' op operand #0 ('lhs') must be tensor of floats, but got tensor<4xi32>}}
  %y = "nn.mul"(%a, %b) : (tensor<4xi32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

func.func @relu_changes_type(%x: tensor<1x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.relu' op result type tensor<4xf32> must equal input type tensor<1x4xf32>}}
  %y = "nn.relu"(%x) : (tensor<1x4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

func.func @leaky_relu_needs_alpha(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.leaky_relu' op requires attribute 'alpha'}}
  %y = "nn.leaky_relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

func.func @sigmoid_unknown_attribute(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.sigmoid' op has unknown attribute 'beta'}}
  %y = "nn.sigmoid"(%x) {beta = 1.0} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

func.func @tanh_changes_type(%x: tensor<4xf32>) -> tensor<4xf64> {
  // expected-error @+1 {{'nn.tanh' op result type tensor<4xf64> must equal input type tensor<4xf32>}}
  %y = "nn.tanh"(%x) : (tensor<4xf32>) -> tensor<4xf64>
  func.return %y : tensor<4xf64>
}

// -----

func.func @clip_empty_range(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.clip' op min 1 is greater than max -1}}
  %y = "nn.clip"(%x) {min = 1.0, max = -1.0} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

func.func @clip_integer_bound(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.clip' op attribute 'min' must be float}}
  %y = "nn.clip"(%x) {min = 1} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

func.func @softmax_axis_out_of_range(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  // expected-error @+1 {{'nn.softmax' op axis 2 is out of range for rank 2}}
  %y = "nn.softmax"(%x) {axis = 2} : (tensor<1x5xf32>) -> tensor<1x5xf32>
  func.return %y : tensor<1x5xf32>
}

// -----

func.func @softmax_negative_axis(%x: tensor<1x5xf32>) -> tensor<1x5xf32> {
  // expected-error @+1 {{'nn.softmax' op axis -1 is out of range for rank 2}}
  %y = "nn.softmax"(%x) {axis = -1} : (tensor<1x5xf32>) -> tensor<1x5xf32>
  func.return %y : tensor<1x5xf32>
}

// -----

func.func @batch_norm_without_channels(%x: tensor<4xf32>, %p: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nn.batch_norm' op input [4] has no channel axis 1}}
  %y = "nn.batch_norm"(%x, %p, %p, %p, %p) {epsilon = 1.0e-5} : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

func.func @batch_norm_parameter_shape(%x: tensor<1x4xf32>, %p: tensor<4xf32>, %q: tensor<1x4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'nn.batch_norm' op operand #4 must have shape [4], got [1, 4]}}
  %y = "nn.batch_norm"(%x, %p, %p, %p, %q) {epsilon = 1.0e-5} : (tensor<1x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @flatten_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<6x1xf32> {
  // expected-error @+1 {{'nn.flatten' op axis 3 is out of range for rank 2}}
  %y = "nn.flatten"(%x) {axis = 3} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  func.return %y : tensor<6x1xf32>
}

// -----

func.func @flatten_result_shape(%x: tensor<2x3x4xf32>) -> tensor<6x4xf32> {
  // expected-error @+1 {{'nn.flatten' op result shape [6, 4] should be [2, 12]}}
  %y = "nn.flatten"(%x) {axis = 1} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  func.return %y : tensor<6x4xf32>
}

// -----

func.func @reshape_element_count(%x: tensor<2x3xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'nn.reshape' op cannot reshape tensor<2x3xf32> into tensor<5xf32>}}
  %y = "nn.reshape"(%x) : (tensor<2x3xf32>) -> tensor<5xf32>
  func.return %y : tensor<5xf32>
}

// -----

func.func @div_shapes(%x: tensor<2x3xf32>, %d: tensor<2xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'nn.div' op operand shapes [2, 3] and [2] do not broadcast}}
  %y = "nn.div"(%x, %d) : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// -----

func.func @dense_unknown_order(%x: tensor<1x2xf32>, %w: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'nn.dense' op order 'blas' is not one of mlas_packed, mlas_m1, mlas_m1_transposed}}
  %y = "nn.dense"(%x, %w, %b) {order = "blas"} : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

func.func @concat_shapes_differ(%a: tensor<1x4xf32>, %b: tensor<2x6xf32>) -> tensor<1x10xf32> {
  // expected-error @+1 {{'nn.concat' op input shapes [1, 4] and [2, 6] differ off axis 1}}
  %c = "nn.concat"(%a, %b) {axis = 1} : (tensor<1x4xf32>, tensor<2x6xf32>) -> tensor<1x10xf32>
  func.return %c : tensor<1x10xf32>
}

// -----

func.func @concat_wrong_result(%a: tensor<1x4xf32>, %b: tensor<1x6xf32>) -> tensor<1x9xf32> {
  // expected-error @+1 {{'nn.concat' op result tensor<1x9xf32> should have shape [1, 10]}}
  %c = "nn.concat"(%a, %b) {axis = -1} : (tensor<1x4xf32>, tensor<1x6xf32>) -> tensor<1x9xf32>
  func.return %c : tensor<1x9xf32>
}

// -----

func.func @slice_out_of_range(%x: tensor<1x10xf32>) -> tensor<1x6xf32> {
  // expected-error @+1 {{'nn.slice' op slice [6, 12) does not fit axis 1 of size 10}}
  %s = "nn.slice"(%x) {axis = 1, start = 6, size = 6} : (tensor<1x10xf32>) -> tensor<1x6xf32>
  func.return %s : tensor<1x6xf32>
}

// -----

func.func @slice_bad_axis(%x: tensor<1x10xf32>) -> tensor<1x6xf32> {
  // expected-error @+1 {{'nn.slice' op axis 2 is out of range for rank 2}}
  %s = "nn.slice"(%x) {axis = 2, start = 0, size = 6} : (tensor<1x10xf32>) -> tensor<1x6xf32>
  func.return %s : tensor<1x6xf32>
}
