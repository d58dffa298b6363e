// RUN: fpgaopt %s --emit=hls-cpp | FileCheck %s

// A whole project from a small hand-written hls module: quantize, dense (pipelined output loop,
// unrolled reduction), relu, dequantize, and the top function. Files print in this order, each after
// a `// ===== <path> =====` line.

// One typedef per type the code names; folded intermediate types (the product, the sum) need none.
// CHECK-LABEL: // ===== firmware/defines.h =====
// CHECK: #include "ap_fixed.h"
// CHECK: typedef ap_fixed<8, 3, AP_RND, AP_SAT> fixed_8_3_rnd_sat_t;
// CHECK: typedef ap_fixed<10, 4, AP_RND, AP_SAT> fixed_10_4_rnd_sat_t;
// CHECK: typedef ap_fixed<4, 1> fixed_4_1_t;
// CHECK: typedef ap_fixed<16, 6> fixed_16_6_t;
// CHECK: typedef ap_ufixed<8, 3, AP_RND, AP_SAT> ufixed_8_3_rnd_sat_t;
// CHECK-NOT: typedef

// Roms hold their exact mantissas in the smallest native integer type, so they initialise
// statically (ap_fixed has no constexpr constructor); defines.h turns them back into values.
// CHECK: template <typename T, typename M>
// CHECK-NEXT: T from_bits(M m) {
// CHECK-NEXT: #pragma HLS INLINE
// CHECK-NEXT:   T t;
// CHECK-NEXT:   t.V = m;
// CHECK-NEXT:   return t;
// CHECK-NEXT: }
// CHECK-LABEL: // ===== firmware/weights/fc1_b.h =====
// CHECK: // Mantissas m in short (value = m * 2^-10), read as from_bits<fixed_16_6_t>(m).
// CHECK: static const short fc1_b[3] = {16, -32, 5};
// CHECK-LABEL: // ===== firmware/weights/fc1_w.h =====
// CHECK: static const signed char fc1_w[4][3] = {
// CHECK-NEXT:   {1, -2, 3},
// CHECK-NEXT:   {4, -5, 6},
// CHECK-NEXT:   {7, -8, 0},
// CHECK-NEXT:   {-1, 2, -3}
// CHECK-NEXT: };

// Layer functions, callees first; the hls.layer attribute becomes the comment.
// CHECK-LABEL: // ===== firmware/layers.h =====
// CHECK: #include "defines.h"
// CHECK-NEXT: #include "weights/fc1_b.h"
// CHECK-NEXT: #include "weights/fc1_w.h"
// CHECK: // x_quant: quantize, float -> ap_fixed<8, 3, AP_RND, AP_SAT>
// CHECK-NEXT: void quantize_x(const float x[1][4], fixed_8_3_rnd_sat_t y[1][4]) {
// CHECK-NEXT: #pragma HLS INLINE
// CHECK-NEXT:   for (int i = 0; i < 4; i++) {
// CHECK-NEXT: #pragma HLS UNROLL
// CHECK-NEXT:     y[0][i] = x[0][i];
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK: void fc1(const fixed_8_3_rnd_sat_t x[1][4], fixed_10_4_rnd_sat_t y[1][3]) {
// CHECK-NEXT: #pragma HLS INLINE
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=fc1_w complete dim=0
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=fc1_b complete dim=0
// CHECK-NEXT:   fc1_out: for (int j = 0; j < 3; j++) {
// CHECK-NEXT: #pragma HLS PIPELINE II=1
// CHECK-NEXT:     fixed_16_6_t acc;
// CHECK-NEXT:     acc = from_bits<fixed_16_6_t>(fc1_b[j]);
// CHECK-NEXT:     for (int k = 0; k < 4; k++) {
// CHECK-NEXT: #pragma HLS UNROLL
// CHECK-NEXT:       acc = acc + (x[0][k] * from_bits<fixed_4_1_t>(fc1_w[k][j]));
// CHECK-NEXT:     }
// CHECK-NEXT:     y[0][j] = acc;
// CHECK-NEXT:   }
// CHECK-NEXT: }
// CHECK: void relu1(const fixed_10_4_rnd_sat_t x[1][3], ufixed_8_3_rnd_sat_t y[1][3]) {
// CHECK:     y[0][i] = x[0][i] > fixed_10_4_rnd_sat_t(0) ? x[0][i] : fixed_10_4_rnd_sat_t(0);
// CHECK: void dequantize_y(const ufixed_8_3_rnd_sat_t x[1][3], float y[1][3]) {
// CHECK:     y[0][i] = x[0][i];

// @main is named `model` (C++ reserves main for the testbench).
// CHECK-LABEL: // ===== firmware/model.h =====
// CHECK: void model(const float x[1][4], float y[1][3]);
// CHECK-LABEL: // ===== firmware/model.cpp =====
// CHECK: #include "model.h"
// CHECK-NEXT: #include "layers.h"
// CHECK: void model(const float x[1][4], float y[1][3]) {
// CHECK-NEXT: #pragma HLS PIPELINE II=1
// CHECK-NEXT: #pragma HLS INTERFACE ap_vld port=x
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=x complete dim=0
// CHECK-NEXT: #pragma HLS INTERFACE ap_vld port=y
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=y complete dim=0
// CHECK-NEXT:   fixed_8_3_rnd_sat_t xq[1][4];
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=xq complete dim=0
// CHECK-NEXT:   quantize_x(x, xq);
// CHECK:   fc1(xq, h);
// CHECK:   relu1(h, r);
// CHECK-NEXT:   dequantize_y(r, y);
// CHECK-NEXT: }

// The testbench streams raw float32 samples through the top function.
// CHECK-LABEL: // ===== model_test.cpp =====
// CHECK: #include "firmware/model.h"
// CHECK: while (std::fread(&x, sizeof(float), 4, in_file) == 4) {
// CHECK-NEXT:     model(x, y);
// CHECK-NEXT:     std::fwrite(&y, sizeof(float), 3, out_file);

// CHECK-LABEL: // ===== build_prj.tcl =====
// CHECK: array set step {csim 1 synth 1 cosim 0 export 0}
// CHECK: open_project -reset model_prj
// CHECK-NEXT: set_top model
// CHECK-NEXT: add_files $here/firmware/model.cpp -cflags "-std=c++14"
// CHECK-NEXT: add_files -tb $here/model_test.cpp -cflags "-std=c++14"
// CHECK: set_part {xcu250-figd2104-2L-e}
// CHECK-NEXT: create_clock -period 5 -name default
// CHECK: if {$step(csim)} { csim_design -argv $tb_args }
// CHECK-NEXT: if {$step(synth)} { csynth_design }
// CHECK-NEXT: if {$step(cosim)} { cosim_design -argv $tb_args }
// CHECK-NEXT: if {$step(export)} { export_design -format ip_catalog }

// report.json: the ports and every layer's hls.layer entries, types in C++ spelling.
// CHECK-LABEL: // ===== report.json =====
// CHECK: "acc_type": "ap_fixed<16, 6>",
// CHECK: "function": "fc1",
// CHECK: "op": "dense",
// CHECK: "weight_type": "ap_fixed<4, 1>"
// CHECK: "project": "model",
// CHECK-NEXT: "sources": [
// CHECK-NEXT:   "firmware/model.cpp"
// CHECK-NEXT: ],
// CHECK-NEXT: "testbench": "model_test.cpp",
module {
  func.func @quantize_x(%x: !hls.array<[1, 4], f32>, %y: !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>) attributes {hls.inline, hls.layer = {name = "x_quant", op = "quantize", input_type = f32, output_type = !hls.fixed<8, 3, true, "RND", "SAT">, input_shape = [1, 4], output_shape = [1, 4]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c4 = arith.constant 4 : index
    scf.for %i = %c0 to %c4 step %c1 {
      %v = "hls.load"(%x, %c0, %i) : (!hls.array<[1, 4], f32>, index, index) -> f32
      %q = "hls.cast"(%v) : (f32) -> !hls.fixed<8, 3, true, "RND", "SAT">
      "hls.store"(%q, %y, %c0, %i) : (!hls.fixed<8, 3, true, "RND", "SAT">, !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, index, index) -> ()
    } {hls.unroll = 0}
    func.return
  }
  func.func @fc1(%x: !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, %y: !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>) attributes {hls.inline, hls.layer = {name = "fc1", op = "dense", input_type = !hls.fixed<8, 3, true, "RND", "SAT">, output_type = !hls.fixed<10, 4, true, "RND", "SAT">, weight_type = !hls.fixed<4, 1, true, "TRN", "WRAP">, bias_type = !hls.fixed<16, 6, true, "TRN", "WRAP">, acc_type = !hls.fixed<16, 6, true, "TRN", "WRAP">, input_shape = [1, 4], output_shape = [1, 3], weight_shape = [4, 3]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %w = "hls.rom"() {name = "fc1_w", partition = "complete", value = dense<[[1, -2, 3], [4, -5, 6], [7, -8, 0], [-1, 2, -3]]> : tensor<4x3xi8>} : () -> !hls.array<[4, 3], !hls.fixed<4, 1, true, "TRN", "WRAP">>
    %b = "hls.rom"() {name = "fc1_b", partition = "complete", value = dense<[16, -32, 5]> : tensor<3xi16>} : () -> !hls.array<[3], !hls.fixed<16, 6, true, "TRN", "WRAP">>
    scf.for %j = %c0 to %c3 step %c1 {
      %acc = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>
      %bj = "hls.load"(%b, %j) : (!hls.array<[3], !hls.fixed<16, 6, true, "TRN", "WRAP">>, index) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
      "hls.store"(%bj, %acc) : (!hls.fixed<16, 6, true, "TRN", "WRAP">, !hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> ()
      scf.for %k = %c0 to %c4 step %c1 {
        %xk = "hls.load"(%x, %c0, %k) : (!hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, index, index) -> !hls.fixed<8, 3, true, "RND", "SAT">
        %wk = "hls.load"(%w, %k, %j) : (!hls.array<[4, 3], !hls.fixed<4, 1, true, "TRN", "WRAP">>, index, index) -> !hls.fixed<4, 1, true, "TRN", "WRAP">
        %p = "hls.mul"(%xk, %wk) : (!hls.fixed<8, 3, true, "RND", "SAT">, !hls.fixed<4, 1, true, "TRN", "WRAP">) -> !hls.fixed<12, 4, true, "TRN", "WRAP">
        %a = "hls.load"(%acc) : (!hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
        %s = "hls.add"(%a, %p) : (!hls.fixed<16, 6, true, "TRN", "WRAP">, !hls.fixed<12, 4, true, "TRN", "WRAP">) -> !hls.fixed<17, 7, true, "TRN", "WRAP">
        %s2 = "hls.cast"(%s) : (!hls.fixed<17, 7, true, "TRN", "WRAP">) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
        "hls.store"(%s2, %acc) : (!hls.fixed<16, 6, true, "TRN", "WRAP">, !hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> ()
      } {hls.unroll = 0}
      %r = "hls.load"(%acc) : (!hls.array<[], !hls.fixed<16, 6, true, "TRN", "WRAP">>) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
      %o = "hls.cast"(%r) : (!hls.fixed<16, 6, true, "TRN", "WRAP">) -> !hls.fixed<10, 4, true, "RND", "SAT">
      "hls.store"(%o, %y, %c0, %j) : (!hls.fixed<10, 4, true, "RND", "SAT">, !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, index, index) -> ()
    } {hls.label = "fc1_out", hls.pipeline_ii = 1}
    func.return
  }
  func.func @relu1(%x: !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, %y: !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>) attributes {hls.inline, hls.layer = {name = "relu1", op = "relu", input_type = !hls.fixed<10, 4, true, "RND", "SAT">, output_type = !hls.fixed<8, 3, false, "RND", "SAT">, input_shape = [1, 3], output_shape = [1, 3]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    %zero = "hls.constant"() {value = 0} : () -> !hls.fixed<10, 4, true, "RND", "SAT">
    scf.for %i = %c0 to %c3 step %c1 {
      %v = "hls.load"(%x, %c0, %i) : (!hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, index, index) -> !hls.fixed<10, 4, true, "RND", "SAT">
      %m = "hls.max"(%v, %zero) : (!hls.fixed<10, 4, true, "RND", "SAT">, !hls.fixed<10, 4, true, "RND", "SAT">) -> !hls.fixed<10, 4, true, "RND", "SAT">
      %o = "hls.cast"(%m) : (!hls.fixed<10, 4, true, "RND", "SAT">) -> !hls.fixed<8, 3, false, "RND", "SAT">
      "hls.store"(%o, %y, %c0, %i) : (!hls.fixed<8, 3, false, "RND", "SAT">, !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, index, index) -> ()
    } {hls.unroll = 0}
    func.return
  }
  func.func @dequantize_y(%x: !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, %y: !hls.array<[1, 3], f32>) attributes {hls.inline, hls.layer = {name = "y_dequant", op = "dequantize", input_type = !hls.fixed<8, 3, false, "RND", "SAT">, output_type = f32, input_shape = [1, 3], output_shape = [1, 3]}} {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c3 = arith.constant 3 : index
    scf.for %i = %c0 to %c3 step %c1 {
      %v = "hls.load"(%x, %c0, %i) : (!hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, index, index) -> !hls.fixed<8, 3, false, "RND", "SAT">
      %f = "hls.cast"(%v) : (!hls.fixed<8, 3, false, "RND", "SAT">) -> f32
      "hls.store"(%f, %y, %c0, %i) : (f32, !hls.array<[1, 3], f32>, index, index) -> ()
    } {hls.unroll = 0}
    func.return
  }
  func.func @main(%x: !hls.array<[1, 4], f32> {hls.direction = "in", hls.interface = "ap_vld", hls.partition = "complete"}, %y: !hls.array<[1, 3], f32> {hls.direction = "out", hls.interface = "ap_vld", hls.partition = "complete"}) attributes {hls.pipeline_ii = 1, hls.top} {
    %xq = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>
    func.call @quantize_x(%x, %xq) : (!hls.array<[1, 4], f32>, !hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>) -> ()
    %h = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>
    func.call @fc1(%xq, %h) : (!hls.array<[1, 4], !hls.fixed<8, 3, true, "RND", "SAT">>, !hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>) -> ()
    %r = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>
    func.call @relu1(%h, %r) : (!hls.array<[1, 3], !hls.fixed<10, 4, true, "RND", "SAT">>, !hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>) -> ()
    func.call @dequantize_y(%r, %y) : (!hls.array<[1, 3], !hls.fixed<8, 3, false, "RND", "SAT">>, !hls.array<[1, 3], f32>) -> ()
    func.return
  }
}
