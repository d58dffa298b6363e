// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{io=serial})' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{io=serial})' --emit=hls-cpp | FileCheck %s --check-prefix=CPP

// A transpose next to an elementwise layer is no layer of its own: the layer reads or writes
// through the permutation.

// The input quantizer writes channels-last (write_perm) and the output dequantizer writes NCHW
// back: two layers, no copy.
// CHECK-LABEL: func.func @quant_in(
// CHECK-SAME: op = "quantize"{{.*}}write_perm = [0, 2, 3, 1]
// CHECK-NOT: op = "transpose"
// CHECK-LABEL: func.func @output_dequantize(
// CHECK-SAME: op = "dequantize"{{.*}}write_perm = [0, 3, 1, 2]
// CHECK-NOT: op = "transpose"
// CHECK: func.call @quant_in
// CHECK: func.call @pool
// CHECK-NEXT: func.call @output_dequantize(%pool_out, %out)
// CPP-LABEL: void quant_in(
// CPP: y[0][j][k][i] = x[0][i][j][k];
// CPP-LABEL: void output_dequantize(
// CPP: y[0][k][i][j] = x[0][i][j][k];
func.func @main(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("quant_in")
  %t = "qdf.transpose"(%q) {perm = [0, 2, 3, 1]} : (tensor<1x2x3x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("to_last")
  %p = "qdf.max_pool"(%t) {dilations = [1, 1], kernel = [1, 1], strides = [1, 1]} : (tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("pool")
  %d = "qdf.dequantize"(%p) : (tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x3x2xf32> loc("output_dequantize")
  %o = "qdf.transpose"(%d) {perm = [0, 3, 1, 2]} : (tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> loc("to_first")
  func.return %o : tensor<1x2x3x3xf32>
}

// -----

// A transpose of the function's input read only by a relu: the relu reads permuted (read_perm).
// CHECK-LABEL: func.func @relu(
// CHECK-SAME: input_shape = [1, 2, 3]{{.*}}op = "relu", output_shape = [1, 3, 2]{{.*}}read_perm = [0, 2, 1]
// CHECK-NOT: op = "transpose"
// CHECK: func.call @relu(%x, %out)
// CPP-LABEL: void relu(
// CPP: y[0][i][j] = x[0][j][i] > fixed_8_4_t(0) ? x[0][j][i] : fixed_8_4_t(0);
func.func @main(%x: tensor<1x2x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> {
  %t = "qdf.transpose"(%x) {perm = [0, 2, 1]} : (tensor<1x2x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("t")
  %r = "qdf.relu"(%t) : (tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("relu")
  func.return %r : tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
}

// -----

// Between two window layers (no elementwise neighbour) the transpose stays a copying layer.
// CHECK-LABEL: func.func @t(
// CHECK-SAME: op = "transpose", output_shape = [1, 3, 2]{{.*}}perm = [0, 2, 1]
func.func @main(%x: tensor<1x2x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> {
  %p = "qdf.max_pool"(%x) {dilations = [1], kernel = [1], strides = [1]} : (tensor<1x2x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x2x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("p0")
  %t = "qdf.transpose"(%p) {perm = [0, 2, 1]} : (tensor<1x2x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("t")
  %q = "qdf.max_pool"(%t) {dilations = [1], kernel = [1], strides = [1]} : (tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">> loc("p1")
  func.return %q : tensor<1x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
}

// -----

// An elementwise op with a constant operand absorbs a transpose too: the constant broadcasts
// against the op's own channels-last indices, the result is stored NCHW.
// CHECK-LABEL: func.func @bias(
// CHECK-SAME: op = "fadd"{{.*}}write_perm = [0, 2, 1]
// CHECK-NOT: op = "transpose"
// CPP-LABEL: void bias(
// CPP: y[0][j][i] = a[0][i][j] + bias_b[0][0][j];
func.func @main(%x: tensor<1x3x2xf32>) -> tensor<1x2x3xf32> {
  %c = "qdf.fconstant"() {value = dense<[[[0.5, -1.0]]]> : tensor<1x1x2xf32>} : () -> tensor<1x1x2xf32>
  %a = "qdf.fadd"(%x, %c) : (tensor<1x3x2xf32>, tensor<1x1x2xf32>) -> tensor<1x3x2xf32> loc("bias")
  %t = "qdf.transpose"(%a) {perm = [0, 2, 1]} : (tensor<1x3x2xf32>) -> tensor<1x2x3xf32> loc("t")
  func.return %t : tensor<1x2x3xf32>
}
