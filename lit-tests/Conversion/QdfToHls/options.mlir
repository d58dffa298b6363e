// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{io=serial reuse-factor=4})' | FileCheck %s --check-prefix=SERIAL
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls{reuse-factor=2})' | FileCheck %s --check-prefix=PARALLEL

// io=parallel (default): every loop unrolled, layers inlined, the top pipelined with II = reuse-factor.
// io=serial: the loop producing one output element per iteration is pipelined with II = reuse-factor,
// the reduction inside it unrolled, dense weights partitioned along K only, layers not inlined; the
// top function is a DATAFLOW region when every buffer has one producer and one consumer.

// SERIAL-LABEL: func.func @fc1
// SERIAL-NOT: hls.inline
// SERIAL: "hls.rom"() {dim = 1, name = "fc1_w", partition = "complete"
// SERIAL: "hls.rom"() {name = "fc1_b", value
// SERIAL: scf.for
// SERIAL: scf.for
// SERIAL: } {hls.unroll = 0}
// SERIAL: } {hls.pipeline_ii = 4}
// SERIAL-LABEL: func.func @relu1
// SERIAL: } {hls.pipeline_ii = 4}
// SERIAL-LABEL: func.func @main
// SERIAL-SAME: {hls.direction = "in", hls.interface = "ap_memory"}
// SERIAL-SAME: {hls.direction = "out", hls.interface = "ap_memory"}
// SERIAL-SAME: attributes {hls.dataflow, hls.top}

// PARALLEL-LABEL: func.func @fc1
// PARALLEL-SAME: hls.inline
// PARALLEL: "hls.rom"() {name = "fc1_w", partition = "complete"
// PARALLEL: } {hls.unroll = 0}
// PARALLEL: } {hls.unroll = 0}
// PARALLEL-LABEL: func.func @main
// PARALLEL-SAME: {hls.direction = "in", hls.interface = "ap_vld", hls.partition = "complete"}
// PARALLEL-SAME: attributes {hls.pipeline_ii = 2, hls.top}
func.func @main(%x: tensor<1x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">> {
  %w = "qdf.constant"() {value = dense<[[3, -2, 1], [1, 0, -4]]> : tensor<2x3xi8>} : () -> tensor<2x3x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<[100, -7, 0]> : tensor<3xi16>} : () -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.dense"(%x, %w, %b) {acc_type = !qdf.fixed<18, 7, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>, tensor<2x3x!qdf.fixed<4, 1, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">> loc("fc1")
  %r = "qdf.relu"(%y) : (tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">> loc("relu1")
  func.return %r : tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>
}

// -----

// A buffer read by two layers is not a dataflow channel: the serial top runs its calls in order.
// SERIAL-LABEL: func.func @main
// SERIAL-SAME: attributes {hls.top}
// SERIAL: func.call @relu
// SERIAL: func.call @add
// PARALLEL-LABEL: func.func @main
// PARALLEL-SAME: attributes {hls.pipeline_ii = 2, hls.top}
func.func @main(%x: tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<9, 4, true, "TRN", "WRAP">> {
  %r = "qdf.relu"(%x) : (tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>
  %s = "qdf.add"(%r, %x) : (tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>, tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<9, 4, true, "TRN", "WRAP">>
  func.return %s : tensor<4x!qdf.fixed<9, 4, true, "TRN", "WRAP">>
}
