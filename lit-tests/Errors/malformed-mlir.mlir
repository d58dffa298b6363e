// Malformed MLIR text gives a located error and a non-zero exit, never a crash.
// RUN: split-file %s %t
// RUN: not fpgaopt %t/unclosed.mlir 2>&1 | FileCheck %s --check-prefix=UNCLOSED
// RUN: not fpgaopt %t/unknown-op.mlir 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: not fpgaopt %t/bad-type.mlir 2>&1 | FileCheck %s --check-prefix=BADTYPE
// RUN: not fpgaopt %t/undefined.mlir 2>&1 | FileCheck %s --check-prefix=UNDEF
// RUN: not fpgaopt %t/garbage.mlir 2>&1 | FileCheck %s --check-prefix=GARBAGE
// RUN: not fpgaopt %t/bad-pipeline.mlir --pass-pipeline='builtin.module(no-such-pass)' 2>&1 | FileCheck %s --check-prefix=PIPELINE

// UNCLOSED: unclosed.mlir:2:1: error: expected '}' to close the region
// UNKNOWN: unknown-op.mlir:2:8: error: unknown operation 'nn.frobnicate'
// UNKNOWN-NEXT: {{^}}  %0 = "nn.frobnicate"(%x)
// UNKNOWN-NEXT: {{^}}       ^
// BADTYPE: bad-type.mlir:1:25: error: expected type, found 'f31x'
// UNDEF: undefined.mlir:2:10: error: use of undefined value '%y'
// GARBAGE: garbage.mlir:1:1: error: expected operation name
// PIPELINE: error: invalid pass pipeline 'builtin.module(no-such-pass)': unknown pass or pipeline 'no-such-pass'
// CHECK-NOT: panicked

//--- unclosed.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
//--- unknown-op.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "nn.frobnicate"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
//--- bad-type.mlir
func.func @f(%x: tensor<f31x>) {
  return
}
//--- undefined.mlir
func.func @f(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %y : tensor<4xf32>
}
//--- garbage.mlir
}}}} not mlir at all {{{{
//--- bad-pipeline.mlir
module {}
