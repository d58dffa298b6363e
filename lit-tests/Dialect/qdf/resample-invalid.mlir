// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Each verifier rule of the resampling ops and qdf.fconv.

func.func @resize_index_outside(%x: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{source index 2 of output index 3 on axis 1 is outside the input's 2}}
  %y = "qdf.resize"(%x) {indices = dense<[0, 0, 1, 1, 2, 0, 0, 1, 1, 0]> : tensor<10xi64>} : (tensor<1x2x2x1xf32>) -> tensor<1x4x4x1xf32>
  func.return
}

// -----

func.func @resize_map_length(%x: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{indices must be 1-D with 10 values}}
  %y = "qdf.resize"(%x) {indices = dense<[0, 0, 0, 1]> : tensor<4xi64>} : (tensor<1x2x2x1xf32>) -> tensor<1x4x4x1xf32>
  func.return
}

// -----

func.func @resize_element_type(%x: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{result element type !qdf.fixed<8, 0, false, "TRN", "WRAP"> should be the input's f32}}
  %y = "qdf.resize"(%x) {indices = dense<0> : tensor<6xi64>} : (tensor<1x2x2x1xf32>) -> tensor<1x2x2x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>
  func.return
}

// -----

func.func @depth_to_space_mode(%x: tensor<1x2x2x4xf32>) {
  // expected-error @+1 {{mode 'RCD' is not DCR or CRD}}
  %y = "qdf.depth_to_space"(%x) {blocksize = 2, mode = "RCD"} : (tensor<1x2x2x4xf32>) -> tensor<1x4x4x1xf32>
  func.return
}

// -----

func.func @depth_to_space_channels(%x: tensor<1x2x2x6xf32>) {
  // expected-error @+1 {{6 channels are not a multiple of blocksize^2 = 4}}
  %y = "qdf.depth_to_space"(%x) {blocksize = 2, mode = "DCR"} : (tensor<1x2x2x6xf32>) -> tensor<1x4x4x1xf32>
  func.return
}

// -----

func.func @depth_to_space_shape(%x: tensor<1x2x2x8xf32>) {
  // expected-error @+1 {{result shape [1, 4, 4, 1] should be [1, 4, 4, 2]}}
  %y = "qdf.depth_to_space"(%x) {blocksize = 2, mode = "DCR"} : (tensor<1x2x2x8xf32>) -> tensor<1x4x4x1xf32>
  func.return
}

// -----

func.func @space_to_depth_not_divisible(%x: tensor<1x3x4x1xf32>) {
  // expected-error @+1 {{spatial sizes 3x4 are not multiples of blocksize 2}}
  %y = "qdf.space_to_depth"(%x) {blocksize = 2} : (tensor<1x3x4x1xf32>) -> tensor<1x1x2x4xf32>
  func.return
}

// -----

func.func @space_to_depth_block(%x: tensor<1x4x4x1xf32>) {
  // expected-error @+1 {{blocksize must be in 1..=1024, got 0}}
  %y = "qdf.space_to_depth"(%x) {blocksize = 0} : (tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  func.return
}

// -----

func.func @fconv_k_block(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x1xf32>, %b: tensor<1xf32>) {
  // expected-error @+1 {{k_block must be positive, got 0}}
  %y = "qdf.fconv"(%x, %w, %b) {dilations = [1, 1], group = 1, k_block = 0, strides = [1, 1]} : (tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  func.return
}

// -----

func.func @fconv_fixed_input(%x: tensor<1x4x4x2x!qdf.fixed<8, 0, false, "TRN", "WRAP">>, %w: tensor<3x3x2x1xf32>, %b: tensor<1xf32>) {
  // expected-error @+1 {{operand #0 ('input') must be tensor of f32}}
  %y = "qdf.fconv"(%x, %w, %b) {dilations = [1, 1], group = 1, k_block = 18, strides = [1, 1]} : (tensor<1x4x4x2x!qdf.fixed<8, 0, false, "TRN", "WRAP">>, tensor<3x3x2x1xf32>, tensor<1xf32>) -> tensor<1x2x2x1xf32>
  func.return
}

// -----

func.func @fconv_bias(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x1xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{bias must be [1], got [2]}}
  %y = "qdf.fconv"(%x, %w, %b) {dilations = [1, 1], group = 1, k_block = 18, strides = [1, 1]} : (tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>, tensor<2xf32>) -> tensor<1x2x2x1xf32>
  func.return
}
