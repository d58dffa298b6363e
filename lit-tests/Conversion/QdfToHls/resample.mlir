// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{io=serial})' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{io=serial})' --emit=hls-cpp | FileCheck %s --check-prefix=CPP

// Resampling layers are loads and stores over the output (the channel loop pipelined); resize
// reads the source index of each resized axis from a rom, the pixel shuffles index with
// hls.affine_index. qdf.fconv is std::fma chains per K block, block sums added in order, then the
// bias.

// CHECK-LABEL: func.func @up
// CHECK-SAME: op = "resize"
// CHECK: "hls.rom"() {name = "up_src1", value = dense<[0, 0, 1, 1]> : tensor<4xi8>} : () -> !hls.array<[4], si2>
// CHECK: "hls.rom"() {name = "up_src2", value = dense<[0, 0, 1, 1]> : tensor<4xi8>}
// CHECK-NOT: "hls.rom"
// CHECK: func.func @main
// CPP-LABEL: void up(
// CPP: y[0][i][j][k] = x[0][int_2_t(up_src1[i]).to_int()][int_2_t(up_src2[j]).to_int()][k];
func.func @main(%x: tensor<1x2x2x3x!qdf.fixed<8, 0, false, "TRN", "WRAP">>) -> tensor<1x4x4x3x!qdf.fixed<8, 0, false, "TRN", "WRAP">> {
  %y = "qdf.resize"(%x) {indices = dense<[0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 2]> : tensor<12xi64>} : (tensor<1x2x2x3x!qdf.fixed<8, 0, false, "TRN", "WRAP">>) -> tensor<1x4x4x3x!qdf.fixed<8, 0, false, "TRN", "WRAP">> loc("up")
  func.return %y : tensor<1x4x4x3x!qdf.fixed<8, 0, false, "TRN", "WRAP">>
}

// -----

// CHECK-LABEL: func.func @d2s
// CHECK-SAME: blocksize = 2{{.*}}mode = "CRD"{{.*}}op = "depth_to_space"
// CHECK: "hls.affine_index"(%{{.+}}, %{{.+}}, %{{.+}}) {coeffs = [4, 2, 1], offset = 0}
// CPP-LABEL: void d2s(
// CPP: int idx = c * 4 + bi * 2 + bj;
// CPP: int idx2 = h * 2 + bi;
// CPP: int idx3 = w * 2 + bj;
// CPP: y[0][idx2][idx3][c] = x[0][h][w][idx];
// CPP-LABEL: void s2d(
// CPP: int idx = bi * 6 + bj * 3 + c;
// CPP: y[0][h][w][idx] = x[0][idx2][idx3][c];
func.func @main(%x: tensor<1x2x2x12xf32>) -> tensor<1x2x2x12xf32> {
  %d = "qdf.depth_to_space"(%x) {blocksize = 2, mode = "CRD"} : (tensor<1x2x2x12xf32>) -> tensor<1x4x4x3xf32> loc("d2s")
  %s = "qdf.space_to_depth"(%d) {blocksize = 2} : (tensor<1x4x4x3xf32>) -> tensor<1x2x2x12xf32> loc("s2d")
  func.return %s : tensor<1x2x2x12xf32>
}

// -----

// K = 2 * 3 * 3 = 18 in blocks of 8: the first block is the total, then one full block and a
// block of 2, each added to it; terms delinearize over [C, kH, kW].
// CHECK-LABEL: func.func @fconv
// CHECK-SAME: k_block = 8{{.*}}op = "fconv"
// CHECK-COUNT-3: "hls.fma"
// CPP-LABEL: void fconv(
// CPP: acc = 0.0f;
// CPP: for (int t = 0; t < 8; t++) {
// CPP: int idx = t / 9;
// CPP: acc = std::fma(x[0][idx4][idx5][idx], fconv_w[idx2][idx3][idx][m], acc);
// CPP: total = acc;
// CPP: int idx6 = t2 + 8;
// CPP: total = acc + total;
// CPP: for (int t3 = 0; t3 < 2; t3++) {
// CPP: int idx12 = t3 + 16;
// CPP: total = acc + total;
// CPP: y[0][oh][ow][m] = total + fconv_b[m];
func.func @main(%x: tensor<1x4x4x2xf32>) -> tensor<1x2x2x3xf32> {
  %w = "qdf.fconstant"() {value = dense<0.5> : tensor<3x3x2x3xf32>} : () -> tensor<3x3x2x3xf32>
  %b = "qdf.fconstant"() {value = dense<0.25> : tensor<3xf32>} : () -> tensor<3xf32>
  %y = "qdf.fconv"(%x, %w, %b) {dilations = [1, 1], group = 1, k_block = 8, strides = [1, 1]} : (tensor<1x4x4x2xf32>, tensor<3x3x2x3xf32>, tensor<3xf32>) -> tensor<1x2x2x3xf32> loc("fconv")
  func.return %y : tensor<1x2x2x3xf32>
}
