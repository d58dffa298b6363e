// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls{io=stream})' | FileCheck %s
// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls{io=stream})' --emit=hls-cpp | FileCheck %s --check-prefix=CPP
// RUN: not fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls{io=stream fifo-depth=2})' 2>&1 | FileCheck %s --check-prefix=DEADLOCK

// io=stream: a residual block (pad -> conv, skip add) as processes connected by FIFOs. The
// quantized input has two readers, so a split process copies it to the conv branch and the skip;
// the skip FIFO gets the depth the conv branch's delay needs (30 beats: the conv emits its first
// pixel after reading three padded rows), the others the minimum 2 or what the pad's zero rows
// need. With every FIFO at depth 2 the design deadlocks, and the pass says where.

// CHECK-LABEL: func.func @main
// CHECK-SAME: hls.dataflow
// CHECK-SAME: hls.estimate = {interval_cycles = 100, latency_cycles = {{[0-9]+}}}
// CHECK: %[[A:.+]] = "hls.stream_alloca"() {beats = 36, consumer = "quant", depth = 2, producer = "x_in"}
// CHECK: "hls.stream_alloca"() {beats = 36, consumer = "q_split", depth = 2, producer = "quant"}
// CHECK: "hls.stream_alloca"() {beats = 36, consumer = "skip", depth = 30, producer = "q_split"} : () -> !hls.stream<!hls.fixed<16, 6, true, "TRN", "WRAP">, 2>
// CHECK: func.call @x_in(%[[A]], %x)
// CHECK: func.call @quant(
// CHECK: func.call @q_split(
// CHECK: func.call @pad(
// CHECK: func.call @conv(
// CHECK: func.call @skip(

// The conv keeps three rows of the padded 8-pixel-wide input and shifts one row per output row.
// CPP-LABEL: void conv(hls::stream<pack<fixed_16_6_t, 2> > &in, hls::stream<pack<fixed_16_6_t, 2> > &out) {
// CPP: fixed_16_6_t rows[3][8][2];
// CPP: #pragma HLS ARRAY_PARTITION variable=rows complete dim=3
// CPP: rows[k][w2][c3] = rows[{{idx[0-9]*}}][w2][c3];
// CPP: stream_write(out, pixel);
// CPP-LABEL: void model(
// CPP: #pragma HLS DATAFLOW
// CPP: hls::stream<pack<fixed_16_6_t, 2> > q_split_to_skip("q_split_to_skip");
// CPP-NEXT: #pragma HLS STREAM variable=q_split_to_skip depth=30

// DEADLOCK: error: the stream design deadlocks at cycle {{[0-9]+}}: {{.*}}q_split waits to write FIFO #3 (full){{.*}}; FIFOs: {{.*}}#3 q_split -> skip
func.func @main(%x: tensor<1x6x6x2xf32>) -> tensor<1x6x6x2xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x6x6x2xf32>) -> tensor<1x6x6x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> loc("quant")
  %p = "qdf.pad"(%q) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0} : (tensor<1x6x6x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x8x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> loc("pad")
  %w = "qdf.constant"() {value = dense<64> : tensor<3x3x2x2xi8>} : () -> tensor<3x3x2x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<1> : tensor<2xi16>} : () -> tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %c = "qdf.conv"(%p, %w, %b) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [1, 1], group = 1, strides = [1, 1]} : (tensor<1x8x8x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x3x2x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x6x6x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> loc("conv")
  %s = "qdf.add"(%c, %q) : (tensor<1x6x6x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<1x6x6x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x6x6x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> loc("skip")
  %d = "qdf.dequantize"(%s) : (tensor<1x6x6x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x6x6x2xf32> loc("dequant")
  func.return %d : tensor<1x6x6x2xf32>
}
