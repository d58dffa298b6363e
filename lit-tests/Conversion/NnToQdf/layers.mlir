// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' | FileCheck %s

// Each nn layer and its qdf form at the default precision fixed<16,6> (TRN, WRAP).

// Arguments are quantized once, results dequantized: the signature stays f32. Weights are
// mantissas rounded to nearest (0.1 * 1024 = 102.4 -> 102). The accumulator has the product's 20
// fractional bits and is as wide as the bound needs: max_j sum_k |w_kj| * 2^15 + |b_j| * 2^10 =
// 2304 * 2^15 + 205 * 2^10 < 2^27, so 27 bits + sign.
// CHECK-LABEL: func.func @dense_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>) -> tensor<1x2xf32>
// CHECK: %[[Q:.+]] = "qdf.quantize"(%[[X]]) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// CHECK-DAG: %[[W:.+]] = "qdf.constant"() {value = dense<{{\[}}[512, -256], [1024, 2048]]> : tensor<2x2xi16>} : () -> tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// CHECK-DAG: %[[B:.+]] = "qdf.constant"() {value = dense<[102, -205]> : tensor<2xi16>}
// CHECK: %[[Y:.+]] = "qdf.dense"(%[[Q]], %[[W]], %[[B]]) {acc_type = !qdf.fixed<28, 8, true, "TRN", "WRAP">}
// CHECK-SAME: -> tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// CHECK: %[[R:.+]] = "qdf.relu"(%[[Y]])
// CHECK: %[[D:.+]] = "qdf.dequantize"(%[[R]]) : (tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2xf32>
// CHECK: func.return %[[D]]
// CHECK-NOT: nn.
func.func @dense_relu(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[0.5, -0.25], [1.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %r = "nn.relu"(%y) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("relu1")
  func.return %r : tensor<1x2xf32>
}

// -----

// Two computed operands: the bound is K * max|a| * max|b| = 3 * 2^30, so 32 bits + sign with
// 20 fractional bits. A constant feeding elementwise ops is quantized once to the weight type.
// CHECK-LABEL: func.func @matmul_and_elementwise
// CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<3x2xf32>)
// CHECK: %[[QA:.+]] = "qdf.quantize"(%[[A]])
// CHECK: %[[QB:.+]] = "qdf.quantize"(%[[B]])
// CHECK: %[[P:.+]] = "qdf.matmul"(%[[QA]], %[[QB]]) {acc_type = !qdf.fixed<33, 13, true, "TRN", "WRAP">}
// CHECK: %[[S:.+]] = "qdf.constant"() {value = dense<[512, 3072]> : tensor<2xi16>}
// CHECK: %[[M:.+]] = "qdf.mul"(%[[P]], %[[S]]) : (tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// CHECK: %[[D:.+]] = "qdf.sub"(%[[M]], %[[P]])
// CHECK: %[[E:.+]] = "qdf.add"(%[[D]], %[[S]])
// CHECK: "qdf.dequantize"(%[[E]])
func.func @matmul_and_elementwise(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %s = "nn.constant"() {value = dense<[0.5, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %p = "nn.matmul"(%a, %b) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %m = "nn.mul"(%p, %s) : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %d = "nn.sub"(%m, %p) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %e = "nn.add"(%d, %s) : (tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  func.return %e : tensor<2x2xf32>
}

// -----

// The slope 0.1 is a fixed<25,1> constant (24 fractional bits: 0.1 * 2^24 = 1677721.6 -> 1677722).
// Clip bounds move inward onto the input grid: ceil(-0.1 * 1024) = -102, floor(6 * 1024) = 6144.
// Flatten keeps the element type.
// CHECK-LABEL: func.func @leaky_clip_flatten
// CHECK: %[[L:.+]] = "qdf.leaky_relu"(%{{.+}}) {alpha = 1677722, alpha_type = !qdf.fixed<25, 1, true, "TRN", "WRAP">}
// CHECK: %[[C:.+]] = "qdf.clip"(%[[L]]) {max = 6144, min = -102}
// CHECK: "qdf.reshape"(%[[C]]) : (tensor<1x2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @leaky_clip_flatten(%x: tensor<1x2x2xf32>) -> tensor<1x4xf32> {
  %l = "nn.leaky_relu"(%x) {alpha = 0.1} : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %c = "nn.clip"(%l) {min = -0.1, max = 6.0} : (tensor<1x2x2xf32>) -> tensor<1x2x2xf32>
  %f = "nn.flatten"(%c) {axis = 1} : (tensor<1x2x2xf32>) -> tensor<1x4xf32>
  func.return %f : tensor<1x4xf32>
}

// -----

// A one-sided clip keeps only its bound; a bound beyond the input range is clamped to it.
// CHECK-LABEL: func.func @clip_one_sided
// CHECK: "qdf.clip"(%{{.+}}) {max = 32767}
func.func @clip_one_sided(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = "nn.clip"(%x) {max = 1.0e9} : (tensor<4xf32>) -> tensor<4xf32>
  func.return %c : tensor<4xf32>
}

// -----

// A batch norm left over by canonicalization: x * (scale / sqrt(var + eps)) + (bias - mean * ...),
// per channel (axis 1), the constants shaped [C, 1] to broadcast over the trailing axis.
// CHECK-LABEL: func.func @batch_norm_becomes_mul_add
// CHECK-DAG: %[[S:.+]] = "qdf.constant"() {value = dense<{{\[}}[1024], [3072]]> : tensor<2x1xi16>}
// CHECK-DAG: %[[T:.+]] = "qdf.constant"() {value = dense<{{\[}}[-512], [-1024]]> : tensor<2x1xi16>}
// CHECK: %[[M:.+]] = "qdf.mul"(%{{.+}}, %[[S]])
// CHECK: "qdf.add"(%[[M]], %[[T]])
func.func @batch_norm_becomes_mul_add(%x: tensor<1x2x3xf32>) -> tensor<1x2x3xf32> {
  %s = "nn.constant"() {value = dense<[2.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "nn.constant"() {value = dense<[0.5, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %m = "nn.constant"() {value = dense<[1.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "nn.constant"() {value = dense<[4.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = "nn.batch_norm"(%x, %s, %b, %m, %v) {epsilon = 0.0} : (tensor<1x2x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3xf32>
  func.return %y : tensor<1x2x3xf32>
}

// -----

// A returned constant and an argument returned as is are still quantized and dequantized.
// CHECK-LABEL: func.func @passthrough
// CHECK-SAME: (%[[X:.+]]: tensor<2xf32>)
// CHECK: %[[Q:.+]] = "qdf.quantize"(%[[X]])
// CHECK: %[[D0:.+]] = "qdf.dequantize"(%[[Q]])
// CHECK: %[[C:.+]] = "qdf.constant"() {value = dense<1536> : tensor<2xi16>}
// CHECK: %[[D1:.+]] = "qdf.dequantize"(%[[C]])
// CHECK: func.return %[[D0]], %[[D1]]
func.func @passthrough(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c = "nn.constant"() {value = dense<1.5> : tensor<2xf32>} : () -> tensor<2xf32>
  func.return %x, %c : tensor<2xf32>, tensor<2xf32>
}

// -----

// Identity, dropout and same-type casts compute nothing: they convert to their input.
// CHECK-LABEL: func.func @no_ops
// CHECK-NEXT: %[[Q:.+]] = "qdf.quantize"(%{{.+}})
// CHECK-NEXT: %[[R:.+]] = "qdf.relu"(%[[Q]])
// CHECK-NEXT: %[[D:.+]] = "qdf.dequantize"(%[[R]])
// CHECK-NEXT: func.return %[[D]]
func.func @no_ops(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %i = "nn.identity"(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %d = "nn.dropout"(%i) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %c = "nn.cast"(%d) {to = f32} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%c) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %r : tensor<1x2xf32>
}

// -----

// nn.slice is wiring: a qdf.slice keeping its input's element type.
// CHECK-LABEL: func.func @slice
// CHECK: %[[Q:.+]] = "qdf.quantize"
// CHECK: "qdf.slice"(%[[Q]]) {axis = -1, size = 2, start = 1} : (tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @slice(%x: tensor<1x4xf32>) -> tensor<1x2xf32> {
  %s = "nn.slice"(%x) {axis = -1, start = 1, size = 2} : (tensor<1x4xf32>) -> tensor<1x2xf32>
  func.return %s : tensor<1x2xf32>
}

// -----

// nn.concat is wiring: a qdf.concat of inputs cast to the layer's output type where they differ.
// CHECK-LABEL: func.func @concat
// CHECK: %[[A:.+]] = "qdf.quantize"
// CHECK: %[[B:.+]] = "qdf.quantize"
// CHECK: "qdf.concat"(%[[A]], %[[B]]) {axis = 1} : (tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<1x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x5x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @concat(%a: tensor<1x2xf32>, %b: tensor<1x3xf32>) -> tensor<1x5xf32> {
  %y = "nn.concat"(%a, %b) {axis = 1} : (tensor<1x2xf32>, tensor<1x3xf32>) -> tensor<1x5xf32>
  func.return %y : tensor<1x5xf32>
}
