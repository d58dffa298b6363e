// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Each verifier rule of the resizing, pixel-shuffle, transposed-convolution and global max
// pooling ops, one case per split.

func.func @resize_linear(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'nn.resize' op mode 'linear' is not supported (only nearest)}}
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "asymmetric", mode = "linear", nearest_mode = "floor", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  func.return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_crop(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'nn.resize' op coordinate_transformation_mode 'tf_crop_and_resize' is not one of half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_half_pixel_for_nn}}
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "tf_crop_and_resize", mode = "nearest", nearest_mode = "floor", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  func.return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_nearest_mode(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'nn.resize' op nearest_mode 'round' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil, simple}}
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "round", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  func.return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_scale_count(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'nn.resize' op scales has 2 values, input [1, 1, 2, 2] and result [1, 1, 4, 4] must have as many axes}}
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = [2.0, 2.0]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  func.return %y : tensor<1x1x4x4xf32>
}

// -----

func.func @resize_size(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x5x4xf32> {
  // expected-error @+1 {{'nn.resize' op axis 2 of size 2 scaled by 2.0 cannot have 5 elements}}
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x5x4xf32>
  func.return %y : tensor<1x1x5x4xf32>
}

// -----

func.func @resize_negative_scale(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'nn.resize' op scale -1.0 of axis 2 must be a positive finite float32}}
  %y = "nn.resize"(%x) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = [1.0, 1.0, -1.0, 1.0]} : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32>
  func.return %y : tensor<1x1x2x2xf32>
}

// -----

func.func @depth_to_space_mode(%x: tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32> {
  // expected-error @+1 {{'nn.depth_to_space' op mode 'RCD' is not one of DCR, CRD}}
  %y = "nn.depth_to_space"(%x) {blocksize = 2, mode = "RCD"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>
  func.return %y : tensor<1x2x8x8xf32>
}

// -----

func.func @depth_to_space_channels(%x: tensor<1x6x4x4xf32>) -> tensor<1x1x8x8xf32> {
  // expected-error @+1 {{'nn.depth_to_space' op blocksize 2 must be positive and its square must divide the 6 channels}}
  %y = "nn.depth_to_space"(%x) {blocksize = 2, mode = "DCR"} : (tensor<1x6x4x4xf32>) -> tensor<1x1x8x8xf32>
  func.return %y : tensor<1x1x8x8xf32>
}

// -----

func.func @space_to_depth_result(%x: tensor<1x2x8x6xf32>) -> tensor<1x8x4x4xf32> {
  // expected-error @+1 {{'nn.space_to_depth' op result shape [1, 8, 4, 4] should be [1, 8, 4, 3]}}
  %y = "nn.space_to_depth"(%x) {blocksize = 2} : (tensor<1x2x8x6xf32>) -> tensor<1x8x4x4xf32>
  func.return %y : tensor<1x8x4x4xf32>
}

// -----

func.func @conv_transpose_weight(%x: tensor<1x4x4x4xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x6x6xf32> {
  // expected-error @+1 {{'nn.conv_transpose' op weight [3, 2, 3, 3] must be [C, M / group, k...] for 4 input channels in 1 groups}}
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [1, 1], group = 1, output_padding = [0, 0], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x4x4xf32>, tensor<3x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  func.return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @conv_transpose_pads(%x: tensor<1x4x1x1xf32>, %w: tensor<4x2x1x1xf32>, %b: tensor<2xf32>) -> tensor<1x2x1x1xf32> {
  // expected-error @+1 {{'nn.conv_transpose' op pads [1, 0, 0, 0] leave no output on spatial axis 0 (full size 1)}}
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [1, 1], group = 1, output_padding = [0, 0], pads = [1, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x1x1xf32>, tensor<4x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x1x1xf32>
  func.return %y : tensor<1x2x1x1xf32>
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x4x4x4xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x6x6xf32> {
  // expected-error @+1 {{'nn.conv_transpose' op output_padding [1] must hold 2 non-negative values}}
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [1, 1], group = 1, output_padding = [1], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x6x6xf32>
  func.return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x4x4x4xf32>, %w: tensor<4x2x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x2x6x6xf32> {
  // expected-error @+1 {{'nn.conv_transpose' op bias must be [2], got [4]}}
  %y = "nn.conv_transpose"(%x, %w, %b) {dilations = [1, 1], group = 1, output_padding = [0, 0], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x2x6x6xf32>
  func.return %y : tensor<1x2x6x6xf32>
}

// -----

func.func @global_max_pool_shape(%x: tensor<1x8x4x4xf32>) -> tensor<1x8x1xf32> {
  // expected-error @+1 {{'nn.global_max_pool' op result shape [1, 8, 1] should be [1, 8, 1, 1]}}
  %y = "nn.global_max_pool"(%x) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1xf32>
  func.return %y : tensor<1x8x1xf32>
}
