// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{io=serial})' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{io=serial})' --emit=hls-cpp | FileCheck %s --check-prefix=CPP

// Window layers loop over output pixels and channels (the channel loop pipelined), taps and
// reduced channels inside; input positions are hls.affine_index of o * stride + k * dilation.

// CHECK-LABEL: func.func @conv
// CHECK: hls.layer = {{{.*}}dilations = [1, 1]{{.*}}group = 1{{.*}}op = "conv"{{.*}}strides = [2, 2]
// CHECK: "hls.affine_index"(%{{.+}}, %{{.+}}) {coeffs = [2, 1], offset = 0} : (index, index) -> index
// CPP-LABEL: void conv(
// CPP: acc = from_bits<fixed_16_6_t>(conv_b[m]);
// CPP: int idx = oh * 2 + kh;
// CPP: acc = acc + (x[0][idx][idx2][c] * from_bits<fixed_8_1_t>(conv_w[kh][kw][c][m]));
func.func @main(%x: tensor<1x5x5x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %w = "qdf.constant"() {value = dense<64> : tensor<3x3x2x3xi8>} : () -> tensor<3x3x2x3x!qdf.fixed<8, 1, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<1> : tensor<3xi16>} : () -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.conv"(%x, %w, %b) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [1, 1], group = 1, strides = [2, 2]} : (tensor<1x5x5x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x3x2x3x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">> loc("conv")
  func.return %y : tensor<1x2x2x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// An average multiplies the window sum by a rom of per-position reciprocals (1/4 -> 2^15 on the
// 2^-17 grid of ufixed<18, 1>); padding first fills the output, then copies the input in.
// CHECK-LABEL: func.func @pool
// CHECK: "hls.rom"() {name = "pool_recip", {{.*}}value = dense<{{\[\[}}32768, 32768], [32768, 32768]]> : tensor<2x2xi32>}
// CPP-LABEL: void pad(
// CPP: y[0][i][j][k] = fixed_16_6_t(0);
// CPP: int idx = i2 + 1;
// CPP-LABEL: void pool(
// CPP: acc = acc + x[0][idx][idx2][c];
// CPP: y[0][oh][ow][c] = acc * from_bits<ufixed_18_1_t>(pool_recip[oh][ow]);
func.func @main(%x: tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %p = "qdf.pad"(%x) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0} : (tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> loc("pad")
  %y = "qdf.avg_pool"(%p) {acc_type = !qdf.fixed<18, 8, true, "TRN", "WRAP">, dilations = [1, 1], divisors = dense<4> : tensor<2x2xi64>, kernel = [2, 2], recip_type = !qdf.fixed<18, 1, false, "TRN", "WRAP">, strides = [2, 2]} : (tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> loc("pool")
  func.return %y : tensor<1x2x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}
