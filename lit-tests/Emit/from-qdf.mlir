// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls)' --emit=hls-cpp | FileCheck %s
// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls{io=serial})' --emit=hls-cpp | FileCheck %s --check-prefix=SERIAL

// The C++ of a qdf model after qdf-to-hls: quantize, dense, softmax, dequantize.

// CHECK-LABEL: // ===== firmware/layers.h =====
// CHECK: // in_q: quantize, float -> ap_fixed<8, 3, AP_RND, AP_SAT>
// CHECK: y[0][i] = x[0][i];
// CHECK: // fc1: dense, ap_fixed<8, 3, AP_RND, AP_SAT> -> ap_fixed<8, 4, AP_RND, AP_SAT>
// CHECK-NEXT: void fc1(const fixed_8_3_rnd_sat_t x[1][2], fixed_8_4_rnd_sat_t y[1][3]) {
// CHECK-NEXT: #pragma HLS INLINE
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=fc1_w complete dim=0
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=fc1_b complete dim=0
// CHECK-NEXT:   for (int j = 0; j < 3; j++) {
// CHECK-NEXT: #pragma HLS UNROLL
// CHECK-NEXT:     fixed_18_7_t acc;
// CHECK-NEXT:     acc = from_bits<fixed_16_6_t>(fc1_b[j]);
// CHECK-NEXT:     for (int k = 0; k < 2; k++) {
// CHECK-NEXT: #pragma HLS UNROLL
// CHECK-NEXT:       acc = acc + (x[0][k] * from_bits<fixed_4_1_t>(fc1_w[k][j]));
// CHECK-NEXT:     }
// CHECK-NEXT:     y[0][j] = acc;
// CHECK-NEXT:   }
// CHECK-NEXT: }
// The division of softmax on integer mantissas, guarded against an empty sum.
// CHECK: void probs(const fixed_8_4_rnd_sat_t x[1][3], ufixed_8_0_rnd_sat_t y[1][3]) {
// CHECK:   bool s_positive = s > uint_1_t(0);
// CHECK:   uint_10_t den = s_positive ? s_bits : uint_10_t(1);
// CHECK:     uint_{{[0-9]+}}_t q = (e_bits * uint_{{[0-9]+}}_t({{[0-9]+}})) / den;
// CHECK:     y[0][k{{[0-9]*}}] = s_positive ? ufixed_8_0_rnd_sat_t(q_out) : ufixed_8_0_rnd_sat_t(0);
// CHECK-LABEL: // ===== firmware/model.cpp =====
// CHECK: void model(const float x[1][2], float out[1][3]) {
// CHECK-NEXT: #pragma HLS PIPELINE II=1
// CHECK:   in_q(x, in_q_out);
// CHECK:   fc1(in_q_out, fc1_out);
// CHECK:   probs(fc1_out, probs_out);
// CHECK-NEXT:   out_dq(probs_out, out);

// SERIAL: void fc1(const fixed_8_3_rnd_sat_t x[1][2], fixed_8_4_rnd_sat_t y[1][3]) {
// SERIAL-NEXT: #pragma HLS ARRAY_PARTITION variable=fc1_w complete dim=1
// SERIAL-NEXT:   for (int j = 0; j < 3; j++) {
// SERIAL-NEXT: #pragma HLS PIPELINE II=1
// SERIAL: void model(const float x[1][2], float out[1][3]) {
// SERIAL-NEXT: #pragma HLS DATAFLOW
// SERIAL-NEXT: #pragma HLS INTERFACE ap_memory port=x
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 3, true, "RND", "SAT">> loc("in_q")
  %w = "qdf.constant"() {value = dense<[[3, -2, 1], [1, 0, -4]]> : tensor<2x3xi8>} : () -> tensor<2x3x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<[100, -7, 0]> : tensor<3xi16>} : () -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.dense"(%q, %w, %b) {acc_type = !qdf.fixed<18, 7, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<8, 3, true, "RND", "SAT">>, tensor<2x3x!qdf.fixed<4, 1, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 4, true, "RND", "SAT">> loc("fc1")
  %p = "qdf.softmax"(%y) {axis = 1 : i64, exp_table = dense<[1, 2, 4, 8, 16]> : tensor<5xi64>, exp_type = !qdf.fixed<8, 1, false, "TRN", "WRAP">, lo = -64 : i64, step_shift = 4 : i64, sum_type = !qdf.fixed<10, 4, false, "TRN", "WRAP">} : (tensor<1x3x!qdf.fixed<8, 4, true, "RND", "SAT">>) -> tensor<1x3x!qdf.fixed<8, 0, false, "RND", "SAT">> loc("probs")
  %d = "qdf.dequantize"(%p) : (tensor<1x3x!qdf.fixed<8, 0, false, "RND", "SAT">>) -> tensor<1x3xf32> loc("out_dq")
  func.return %d : tensor<1x3xf32>
}
