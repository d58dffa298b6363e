// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-narrow,qdf-to-hls)' | FileCheck %s --check-prefix=HLS
// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-narrow,qdf-to-hls)' --emit=hls-cpp | FileCheck %s

// The bounds qdf-narrow proves reach hls.layer and report.json: per layer the accumulator and
// output types with the mantissa intervals that justify them and their real values. x in [-8, 7]
// (fixed<4,4>); column 0: 1 + x0 + 3*x1 in [-31, 29]; column 1: -1 - 2*x0 in [-15, 15]; relu:
// [0, 29] at 1 fractional bit after the conversion into fixed<16,7>, unsigned.

// HLS-LABEL: func.func @fc1
// HLS-SAME: hls.layer = {acc_range = [-31, 29], acc_range_value = [-31.0, 29.0], acc_type = !hls.fixed<6, 6, true, "TRN", "WRAP">
// HLS-SAME: output_type = !hls.fixed<6, 6, true, "TRN", "WRAP">, range = [-31, 29], range_value = [-31.0, 29.0]
// HLS-LABEL: func.func @relu1
// HLS-SAME: output_type = !hls.fixed<6, 5, false, "TRN", "WRAP">, range = [0, 58], range_value = [0.0, 29.0]

// CHECK-LABEL: // ===== report.json =====
// CHECK: "layers": [
// CHECK: "acc_range": [
// CHECK-NEXT: -31,
// CHECK-NEXT: 29
// CHECK-NEXT: ],
// CHECK-NEXT: "acc_range_value": [
// CHECK-NEXT: -31.0,
// CHECK-NEXT: 29.0
// CHECK-NEXT: ],
// CHECK-NEXT: "acc_type": "ap_fixed<6, 6>",
// CHECK: "name": "fc1",
// CHECK: "output_type": "ap_fixed<6, 6>",
// CHECK-NEXT: "range": [
// CHECK: "name": "relu1",
// CHECK: "output_type": "ap_ufixed<6, 5>",
// CHECK-NEXT: "range": [
// CHECK-NEXT: 0,
// CHECK-NEXT: 58
// CHECK-NEXT: ],
// CHECK-NEXT: "range_value": [
// CHECK-NEXT: 0.0,
// CHECK-NEXT: 29.0
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">> loc("quant_in")
  %w = "qdf.constant"() {value = dense<[[1, -2], [3, 0]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<[1, -1]> : tensor<2xi8>} : () -> tensor<2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %d = "qdf.dense"(%q, %w, %b) {acc_type = !qdf.fixed<16, 16, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>, tensor<2x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 16, true, "TRN", "WRAP">> loc("fc1")
  %r = "qdf.relu"(%d) : (tensor<1x2x!qdf.fixed<16, 16, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 15, true, "TRN", "WRAP">> loc("relu1")
  %y = "qdf.dequantize"(%r) : (tensor<1x2x!qdf.fixed<16, 15, true, "TRN", "WRAP">>) -> tensor<1x2xf32> loc("out")
  func.return %y : tensor<1x2xf32>
}
