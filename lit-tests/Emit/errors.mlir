// RUN: not fpgaopt %s --split-input-file --emit=hls-cpp 2>&1 | FileCheck %s

// The emitter reads only the hls level; everything else is a diagnostic at the offending op.

// CHECK: error: no function is marked 'hls.top'
func.func @no_top(%x: !hls.array<[2], f32>) {
  func.return
}

// -----

// CHECK: errors.mlir:[[# @LINE + 1]]:1: error: 'func.func' op argument #0 of the top function needs 'hls.direction'
func.func @no_direction(%x: !hls.array<[2], f32>) attributes {hls.top} {
  func.return
}

// -----

// CHECK: errors.mlir:[[# @LINE + 1]]:1: error: 'func.func' op argument #0: unknown interface mode "axi4"
func.func @bad_interface(%x: !hls.array<[2], f32> {hls.direction = "in", hls.interface = "axi4"}) attributes {hls.top} {
  func.return
}

// -----

func.func @unknown_directive(%x: !hls.array<[2], f32> {hls.direction = "in"}) attributes {hls.top} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // CHECK: errors.mlir:[[# @LINE + 1]]:3: error: 'scf.for' op unknown directive 'hls.pipeline' on scf.for
  scf.for %i = %c0 to %c2 step %c1 {
  } {hls.pipeline = 1}
  func.return
}

// -----

func.func @pipelined_and_unrolled(%x: !hls.array<[2], f32> {hls.direction = "in"}) attributes {hls.top} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // CHECK: errors.mlir:[[# @LINE + 1]]:3: error: 'scf.for' op a loop cannot be both pipelined and fully unrolled
  scf.for %i = %c0 to %c2 step %c1 {
  } {hls.pipeline_ii = 1, hls.unroll = 0}
  func.return
}

// -----

func.func @dynamic_bound(%x: !hls.array<[2], f32> {hls.direction = "in"}, %n: !hls.array<[], si8> {hls.direction = "in"}) attributes {hls.top} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %v = "hls.load"(%n) : (!hls.array<[], si8>) -> si8
  %ub = "hls.index_cast"(%v) : (si8) -> index
  // CHECK: errors.mlir:[[# @LINE + 1]]:3: error: cannot emit 'scf.for': loop bounds and step must be arith.constant values
  scf.for %i = %c0 to %ub step %c1 {
  }
  func.return
}

// -----

func.func @not_hls(%x: !hls.array<[2], f32> {hls.direction = "in"}) attributes {hls.top} {
  // CHECK: errors.mlir:[[# @LINE + 1]]:8: error: cannot emit 'nn.constant': not an hls-level op (lower it with qdf-to-hls first)
  %r = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  func.return
}

// -----

func.func @wide_constant(%y: !hls.array<[], !hls.fixed<60, 10, true, "TRN", "WRAP">> {hls.direction = "out"}) attributes {hls.top} {
  // CHECK: errors.mlir:[[# @LINE + 1]]:8: error: cannot emit 'hls.constant': constant of ap_fixed<60, 10> needs more than 53 bits
  %c = "hls.constant"() {value = 576460752303423487} : () -> !hls.fixed<60, 10, true, "TRN", "WRAP">
  "hls.store"(%c, %y) : (!hls.fixed<60, 10, true, "TRN", "WRAP">, !hls.array<[], !hls.fixed<60, 10, true, "TRN", "WRAP">>) -> ()
  func.return
}

// -----

// CHECK: errors.mlir:[[# @LINE + 1]]:1: error: function @recursive is recursive; HLS does not allow recursion
func.func @recursive(%x: !hls.array<[2], f32>) {
  func.call @recursive(%x) : (!hls.array<[2], f32>) -> ()
  func.return
}
func.func @top(%x: !hls.array<[2], f32> {hls.direction = "in"}) attributes {hls.top} {
  func.call @recursive(%x) : (!hls.array<[2], f32>) -> ()
  func.return
}

// -----

// Every problem is reported: the first as the error, the others as notes.
// CHECK: errors.mlir:[[# @LINE + 2]]:1: error: 'func.func' op argument #0 of the top function needs 'hls.direction'
// CHECK: errors.mlir:[[# @LINE + 1]]:1: note: 'func.func' op argument #1 of the top function needs 'hls.direction'
func.func @two_problems(%x: !hls.array<[2], f32>, %y: !hls.array<[2], f32>) attributes {hls.top} {
  func.return
}
