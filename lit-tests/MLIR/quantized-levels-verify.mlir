// The qdf and hls levels of quantized models (thresholds, requant, fquant, float32 ops, fixed-point
// tails) verify in real MLIR 22 with the exported IRDL dialects, custom and generic form.
// RUN: %python %S/Inputs/verify_quant_levels.py --fpgaopt fpgaopt --verify fpgaopt-mlir-verify --models %models %irdl > %t.log
// RUN: FileCheck %s --input-file=%t.log
// RUN: not grep FAIL %t.log
// CHECK: OK qonnx_w1a2_0 default qdf custom
// CHECK: OK qdq_uint8_any default hls generic
// CHECK: OK qkeras_jettagging integer hls generic
// CHECK: OK TFC_2W2A integer hls generic
