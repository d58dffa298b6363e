// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' 2>/dev/null | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// A convolution the integer qdf.conv cannot make bit-identical is the reference's own float32
// convolution: qdf.fconv on the input's float32 value, channels-last after a zero qdf.pad, with the
// K block of onnxruntime's GEMM (K = 2 * 3 * 3 = 18 <= 128: one block).

// Codes of a non-power-of-two input quantizer (scale 0.1): their float32 values f32(code * 0.1)
// are what the reference convolves.
// CHECK-LABEL: func.func @scaled_input
// CHECK: %[[Q:.+]] = "qdf.fquant"(%x) {{.*}}scale = dense<0.1>
// CHECK: %[[D:.+]] = "qdf.dequantize"(%[[Q]])
// CHECK: %[[S:.+]] = "qdf.fmul"(%[[D]], %{{.+}})
// CHECK: %[[T:.+]] = "qdf.transpose"(%[[S]]) {perm = [0, 2, 3, 1]} : (tensor<1x2x4x4xf32>) -> tensor<1x4x4x2xf32>
// CHECK: %[[P:.+]] = "qdf.pad"(%[[T]]) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0} : (tensor<1x4x4x2xf32>) -> tensor<1x6x6x2xf32>
// CHECK: %[[W:.+]] = "qdf.fconstant"() {{.*}} -> tensor<3x3x2x3xf32>
// CHECK: %[[C:.+]] = "qdf.fconv"(%[[P]], %[[W]], %{{.+}}) {dilations = [1, 1], group = 1, k_block = 18, strides = [1, 1]}
// CHECK-SAME: -> tensor<1x4x4x3xf32>
// CHECK: "qdf.transpose"(%[[C]]) {perm = [0, 3, 1, 2]}
func.func @scaled_input(%x: tensor<1x2x4x4xf32>) -> tensor<1x3x4x4xf32> {
  %s = "nn.constant"() {value = dense<0.1> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q = "nn.quant"(%x, %s, %z) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = false} : (tensor<1x2x4x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x4x4xf32> loc("quant_in")
  %w = "nn.constant"() {value = dense<0.3> : tensor<3x2x3x3xf32>} : () -> tensor<3x2x3x3xf32>
  %b = "nn.constant"() {value = dense<[0.5, -0.25, 0.1]> : tensor<3xf32>} : () -> tensor<3xf32>
  %c = "nn.conv"(%q, %w, %b) {dilations = [1, 1], group = 1, pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x2x4x4xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32> loc("conv1")
  %a = "nn.quant"(%c, %s, %z) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x3x4x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x3x4x4xf32> loc("act1")
  func.return %a : tensor<1x3x4x4xf32>
}

// -----

// A raw float input (no input quantizer, ESPCN's subpixel model): the float32 convolution is the
// only exact form; the exact power-of-two input of the second case takes it because its weights
// (0.3) are on no power-of-two grid, and the remark names it.
// CHECK-LABEL: func.func @float_and_fixed_inputs
// CHECK: %[[T:.+]] = "qdf.transpose"(%x) {perm = [0, 2, 1]}
// CHECK: "qdf.fconv"(%[[T]], %{{.+}}, %{{.+}}) {dilations = [1], group = 1, k_block = 6, strides = [1]} : (tensor<1x5x2xf32>, tensor<3x2x2xf32>, tensor<2xf32>) -> tensor<1x3x2xf32>
// CHECK: "qdf.quantize"({{.+}}) : (tensor<1x2x3xf32>) -> tensor<1x2x3x!qdf.fixed<8, 4, true, "RND_CONV", "SAT">>
// CHECK: "qdf.fconv"{{.*}}k_block = 6
// REMARK: remark: nn-to-qdf: float32 dense layers {{.*}} at: conv2
// One output position: MLAS's M = 1 kernel sums in another order.
// REMARK: remark: nn-to-qdf: not provably bit-identical to the reference at: conv2 (onnxruntime runs this convolution through an M = 1 kernel
func.func @float_and_fixed_inputs(%x: tensor<1x2x5xf32>) -> tensor<1x2x1xf32> {
  %w = "nn.constant"() {value = dense<0.3> : tensor<2x2x3xf32>} : () -> tensor<2x2x3xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nn.conv"(%x, %w, %b) {dilations = [1], group = 1, pads = [0, 0], strides = [1]} : (tensor<1x2x5xf32>, tensor<2x2x3xf32>, tensor<2xf32>) -> tensor<1x2x3xf32> loc("conv1")
  %s = "nn.constant"() {value = dense<0.0625> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %q = "nn.quant"(%c, %s, %z) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2x3xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x3xf32> loc("act1")
  %c2 = "nn.conv"(%q, %w, %b) {dilations = [1], group = 1, pads = [0, 0], strides = [1]} : (tensor<1x2x3xf32>, tensor<2x2x3xf32>, tensor<2xf32>) -> tensor<1x2x1xf32> loc("conv2")
  %a = "nn.quant"(%c2, %s, %z) {bit_width = 8, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x2x1xf32>, tensor<f32>, tensor<f32>) -> tensor<1x2x1xf32> loc("act2")
  func.return %a : tensor<1x2x1xf32>
}
