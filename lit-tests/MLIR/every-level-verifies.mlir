// Every level fpgaopt prints (nn, canonical nn, qdf, hls in io=parallel and io=stream; custom and generic form) of every
// end-to-end float model verifies in real MLIR 22 with the exported IRDL dialects loaded.
// RUN: %python %S/Inputs/verify_levels.py --fpgaopt fpgaopt --verify fpgaopt-mlir-verify %irdl > %t.log
// RUN: FileCheck %s --input-file=%t.log
// RUN: not grep FAIL %t.log
// CHECK: OK jet_tagger nn custom
// CHECK: OK jet_tagger hls generic
// CHECK: OK mul_sub hls generic
// CHECK: OK cnn_digits_cnn qdf custom
// CHECK: OK cnn_digits_cnn qdf-layout generic
// CHECK: OK cnn_net16 hls-stream generic
// CHECK: OK cnn_residual hls custom
// CHECK: OK cnn_residual hls-stream custom
// CHECK: OK cnn_conv1d hls generic
