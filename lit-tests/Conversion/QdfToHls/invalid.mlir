// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls)' 2>&1 | FileCheck %s
// RUN: not fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls{io=dataflow})' 2>&1 | FileCheck %s --check-prefix=OPTION
// RUN: not fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls{reuse-factor=0})' 2>&1 | FileCheck %s --check-prefix=REUSE

// OPTION: qdf-to-hls: option 'io' must be parallel, serial or stream, got 'dataflow'
// REUSE: qdf-to-hls: option 'reuse-factor' must be at least 1, got 0
// RUN: not fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls{fifo-depth=-1})' 2>&1 | FileCheck %s --check-prefix=DEPTH
// DEPTH: qdf-to-hls: option 'fifo-depth' must be in 0..=2^24, got -1

// The input is the output of nn-to-qdf: qdf layers only.
// CHECK: invalid.mlir:[[# @LINE + 2]]:8: error: 'nn.relu' op is not a qdf layer; qdf-to-hls expects the output of nn-to-qdf
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = "nn.relu"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  func.return %r : tensor<4xf32>
}

// -----

// Results must be computed by the model.
// CHECK: error: result #0 cannot be returned (constant results are not supported)
func.func @main(%x: tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<2x!qdf.fixed<4, 1, true, "TRN", "WRAP">> {
  %c = "qdf.constant"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> tensor<2x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
  func.return %c : tensor<2x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
}

// -----

// Several functions and none named @main.
// CHECK: qdf-to-hls: expected a function @main (or a single function)
func.func @a(%x: tensor<4xf32>) -> tensor<4xf32> {
  func.return %x : tensor<4xf32>
}
func.func @b(%x: tensor<4xf32>) -> tensor<4xf32> {
  func.return %x : tensor<4xf32>
}
