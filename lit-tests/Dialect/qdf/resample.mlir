// RUN: fpgaopt %s --split-input-file | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s --split-input-file --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s

// The resampling ops and qdf.fconv parse, verify and print back.

// A 2x nearest upsampling of the spatial axes of a channels-last map: per-axis source indices.
// CHECK-LABEL: func.func @resize_nearest
// CHECK: "qdf.resize"(%{{.+}}) {indices = dense<[0, 0, 0, 1, 1, 0, 0, 1, 1, 0]> : tensor<10xi64>}
// CHECK-SAME: -> tensor<1x4x4x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>
func.func @resize_nearest(%x: tensor<1x2x2x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>) -> tensor<1x4x4x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">> {
  %y = "qdf.resize"(%x) {indices = dense<[0, 0, 0, 1, 1, 0, 0, 1, 1, 0]> : tensor<10xi64>} : (tensor<1x2x2x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>) -> tensor<1x4x4x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>
  func.return %y : tensor<1x4x4x1x!qdf.fixed<8, 0, false, "TRN", "WRAP">>
}

// -----

// Pixel shuffles move f32 values as well as fixed ones.
// CHECK-LABEL: func.func @shuffles
// CHECK: %[[D:.+]] = "qdf.depth_to_space"(%{{.+}}) {blocksize = 2, mode = "CRD"} : (tensor<1x4x4x12xf32>) -> tensor<1x8x8x3xf32>
// CHECK: "qdf.space_to_depth"(%[[D]]) {blocksize = 2} : (tensor<1x8x8x3xf32>) -> tensor<1x4x4x12xf32>
func.func @shuffles(%x: tensor<1x4x4x12xf32>) -> tensor<1x4x4x12xf32> {
  %d = "qdf.depth_to_space"(%x) {blocksize = 2, mode = "CRD"} : (tensor<1x4x4x12xf32>) -> tensor<1x8x8x3xf32>
  %s = "qdf.space_to_depth"(%d) {blocksize = 2} : (tensor<1x8x8x3xf32>) -> tensor<1x4x4x12xf32>
  func.return %s : tensor<1x4x4x12xf32>
}

// -----

// CHECK-LABEL: func.func @fconv
// CHECK: "qdf.fconv"(%{{.+}}, %{{.+}}, %{{.+}}) {dilations = [1, 1], group = 1, k_block = 128, strides = [1, 1]}
// CHECK-SAME: -> tensor<1x8x8x32xf32>
func.func @fconv(%x: tensor<1x10x10x64xf32>, %w: tensor<3x3x64x32xf32>, %b: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
  %y = "qdf.fconv"(%x, %w, %b) {dilations = [1, 1], group = 1, k_block = 128, strides = [1, 1]} : (tensor<1x10x10x64xf32>, tensor<3x3x64x32xf32>, tensor<32xf32>) -> tensor<1x8x8x32xf32>
  func.return %y : tensor<1x8x8x32xf32>
}
