// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Each verifier rule of the sliding-window, transpose and cast ops, one case per split.

func.func @conv_rank(%x: tensor<1x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'nn.conv' op input must be [N, C, W] or [N, C, H, W], got [1, 3]}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [], group = 1, pads = [], strides = []} : (tensor<1x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @conv_strides_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op strides has 1 values, expected 2 for 2 spatial axes}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_pads_length(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op pads has 2 values, expected 4 for 2 spatial axes}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_negative_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op pads must be non-negative, got -1 in [0, -1, 0, 0]}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, -1, 0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_zero_stride(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op strides must be positive, got 0 in [1, 0]}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 0]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_group_divides(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op group 3 must divide the input channels 4 and the output channels 6}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 3, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  func.return %y : tensor<1x6x6x6xf32>
}

// -----

func.func @conv_group_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>, %b: tensor<6xf32>) -> tensor<1x6x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op weight [6, 4, 3, 3] takes 4 channels per group, the input has 4 in 2 groups}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 2, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>
  func.return %y : tensor<1x6x6x6xf32>
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op bias must be [4], got [3]}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<3xf32>) -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @conv_result_shape(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  // expected-error @+1 {{'nn.conv' op result shape [1, 4, 8, 8] should be [1, 4, 6, 6]}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  func.return %y : tensor<1x4x8x8xf32>
}

// -----

func.func @conv_window_too_large(%x: tensor<1x3x2x2xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x1x1xf32> {
  // expected-error @+1 {{'nn.conv' op window of 3 (dilation 1) does not fit spatial axis 0 of size 2 with pads [0, 0, 0, 0]}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x2x2xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x1x1xf32>
  func.return %y : tensor<1x4x1x1xf32>
}

// -----

func.func @conv_needs_group(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+1 {{'nn.conv' op requires attribute 'group'}}
  %y = "nn.conv"(%x, %w, %b) {dilations = [1, 1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x6x6xf32>
  func.return %y : tensor<1x4x6x6xf32>
}

// -----

func.func @pad_length(%x: tensor<1x2xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'nn.pad' op pads has 2 values, expected 4 for rank 2}}
  %y = "nn.pad"(%x) {pads = [1, 1], value = 0.0} : (tensor<1x2xf32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @pad_negative(%x: tensor<1x4xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'nn.pad' op pads must be non-negative, got -1 in [0, -1, 0, 0]}}
  %y = "nn.pad"(%x) {pads = [0, -1, 0, 0], value = 0.0} : (tensor<1x4xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

func.func @pad_result_shape(%x: tensor<1x4xf32>) -> tensor<1x5xf32> {
  // expected-error @+1 {{'nn.pad' op result shape [1, 5] should be [1, 6]}}
  %y = "nn.pad"(%x) {pads = [0, 1, 0, 1], value = 0.0} : (tensor<1x4xf32>) -> tensor<1x5xf32>
  func.return %y : tensor<1x5xf32>
}

// -----

func.func @max_pool_kernel_length(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'nn.max_pool' op kernel_shape has 1 values, expected 2 for 2 spatial axes}}
  %y = "nn.max_pool"(%x) {ceil_mode = false, dilations = [1, 1], kernel_shape = [2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

// Floor mode: 8 -> floor((8 - 3) / 2) + 1 = 3.
func.func @max_pool_result_shape(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'nn.max_pool' op result shape [1, 2, 4, 4] should be [1, 2, 3, 3]}}
  %y = "nn.max_pool"(%x) {ceil_mode = false, dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @average_pool_needs_count_include_pad(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'nn.average_pool' op requires attribute 'count_include_pad'}}
  %y = "nn.average_pool"(%x) {ceil_mode = false, kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}

// -----

func.func @global_average_pool_shape(%x: tensor<1x8x4x4xf32>) -> tensor<1x8xf32> {
  // expected-error @+1 {{'nn.global_average_pool' op result shape [1, 8] should be [1, 8, 1, 1]}}
  %y = "nn.global_average_pool"(%x) : (tensor<1x8x4x4xf32>) -> tensor<1x8xf32>
  func.return %y : tensor<1x8xf32>
}

// -----

func.func @transpose_not_permutation(%x: tensor<1x3x4xf32>) -> tensor<1x3x3xf32> {
  // expected-error @+1 {{'nn.transpose' op perm [0, 1, 1] is not a permutation of 0..3}}
  %y = "nn.transpose"(%x) {perm = [0, 1, 1]} : (tensor<1x3x4xf32>) -> tensor<1x3x3xf32>
  func.return %y : tensor<1x3x3xf32>
}

// -----

func.func @transpose_rank(%x: tensor<1x3x4xf32>) -> tensor<3x1x4xf32> {
  // expected-error @+1 {{'nn.transpose' op perm [1, 0] has 2 values, the input has rank 3}}
  %y = "nn.transpose"(%x) {perm = [1, 0]} : (tensor<1x3x4xf32>) -> tensor<3x1x4xf32>
  func.return %y : tensor<3x1x4xf32>
}

// -----

func.func @transpose_result_shape(%x: tensor<1x3x4xf32>) -> tensor<1x3x4xf32> {
  // expected-error @+1 {{'nn.transpose' op result tensor<1x3x4xf32> should have shape [1, 4, 3] and the input's element type}}
  %y = "nn.transpose"(%x) {perm = [0, 2, 1]} : (tensor<1x3x4xf32>) -> tensor<1x3x4xf32>
  func.return %y : tensor<1x3x4xf32>
}

// -----

func.func @identity_type(%x: tensor<1x3xf32>) -> tensor<1x4xf32> {
  // expected-error @+1 {{'nn.identity' op result type tensor<1x4xf32> must equal input type tensor<1x3xf32>}}
  %y = "nn.identity"(%x) : (tensor<1x3xf32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

func.func @cast_result_type(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'nn.cast' op result type tensor<1x3xf32> must be the input's shape with element type f64}}
  %y = "nn.cast"(%x) {to = f64} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

func.func @cast_to_integer(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  // expected-error @+1 {{'nn.cast' op cast to i8 is not supported (f32 or f64)}}
  %y = "nn.cast"(%x) {to = i8} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  func.return %y : tensor<1x3xf32>
}

// -----

func.func @pool_pads_reach_past_kernel(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x7x7xf32> {
  // expected-error @+1 {{'nn.average_pool' op pads [2, 2, 2, 2] must be smaller than kernel_shape [2, 2]}}
  %y = "nn.average_pool"(%x) {ceil_mode = false, count_include_pad = false, kernel_shape = [2, 2], pads = [2, 2, 2, 2], strides = [1, 1]} : (tensor<1x1x4x4xf32>) -> tensor<1x1x7x7xf32>
  func.return %y : tensor<1x1x7x7xf32>
}
