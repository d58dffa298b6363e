// RUN: fpgaopt %s --split-input-file | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s --split-input-file --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s

// Every qdf op and the !qdf.fixed type parse, verify and print back to text that parses again.

// MLIR prints type parameters as `16 : i64`; both spellings read as the same type.
// CHECK-LABEL: func.func @fixed_type_params
// CHECK-SAME: (%[[X:.+]]: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, -2, false, "RND_CONV", "SAT_SYM">>
// CHECK: %[[Y:.+]] = "qdf.cast"(%[[X]]) : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, -2, false, "RND_CONV", "SAT_SYM">>
// CHECK: func.return %[[Y]]
func.func @fixed_type_params(%x: tensor<4x!qdf.fixed<16 : i64, 6 : i64, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, -2, false, "RND_CONV", "SAT_SYM">> {
  %y = "qdf.cast"(%x) : (tensor<4x!qdf.fixed<16 : i64, 6 : i64, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, -2, false, "RND_CONV", "SAT_SYM">>
  func.return %y : tensor<4x!qdf.fixed<8, -2, false, "RND_CONV", "SAT_SYM">>
}

// -----

// CHECK-LABEL: func.func @quantize_dequantize
// CHECK: %[[Q:.+]] = "qdf.quantize"(%{{.+}}) : (tensor<1x4xf32>) -> tensor<1x4x!qdf.fixed<16, 6, true, "RND", "SAT">>
// CHECK: %[[D:.+]] = "qdf.dequantize"(%[[Q]]) : (tensor<1x4x!qdf.fixed<16, 6, true, "RND", "SAT">>) -> tensor<1x4xf32>
// CHECK: func.return %[[D]]
func.func @quantize_dequantize(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!qdf.fixed<16, 6, true, "RND", "SAT">>
  %y = "qdf.dequantize"(%q) : (tensor<1x4x!qdf.fixed<16, 6, true, "RND", "SAT">>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

// CHECK-LABEL: func.func @dense_layer
// CHECK-DAG: %[[W:.+]] = "qdf.constant"() {value = dense<{{\[}}[3, -2], [1, 0]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>
// CHECK-DAG: %[[B:.+]] = "qdf.constant"() {value = dense<[100, -7]> : tensor<2xi16>} : () -> tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// CHECK: "qdf.dense"(%{{.+}}, %[[W]], %[[B]]) {acc_type = !qdf.fixed<26, 11, true, "TRN", "WRAP">}
func.func @dense_layer(%x: tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %w = "qdf.constant"() {value = dense<[[3, -2], [1, 0]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<[100, -7]> : tensor<2xi16>} : () -> tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.dense"(%x, %w, %b) {acc_type = !qdf.fixed<26, 11, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// CHECK-LABEL: func.func @matmul_batched
// CHECK: "qdf.matmul"(%{{.+}}, %{{.+}}) {acc_type = !qdf.fixed<40, 16, true, "TRN", "WRAP">} : (tensor<2x4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @matmul_batched(%a: tensor<2x4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %b: tensor<8x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %y = "qdf.matmul"(%a, %b) {acc_type = !qdf.fixed<40, 16, true, "TRN", "WRAP">} : (tensor<2x4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<2x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// CHECK-LABEL: func.func @elementwise_broadcast
// CHECK: %[[A:.+]] = "qdf.add"(%[[X:.+]], %[[S:.+]]) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<8, 2, false, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "RND", "SAT">>
// CHECK: %[[B:.+]] = "qdf.sub"(%[[A]], %[[X]])
// CHECK: "qdf.mul"(%[[B]], %[[S]])
func.func @elementwise_broadcast(%x: tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %s: tensor<8x!qdf.fixed<8, 2, false, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %a = "qdf.add"(%x, %s) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<8, 2, false, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "RND", "SAT">>
  %b = "qdf.sub"(%a, %x) : (tensor<1x8x!qdf.fixed<16, 6, true, "RND", "SAT">>, tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %c = "qdf.mul"(%b, %s) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<8x!qdf.fixed<8, 2, false, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %c : tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// CHECK-LABEL: func.func @activations
// CHECK: %[[R:.+]] = "qdf.relu"(%{{.+}})
// CHECK: %[[L:.+]] = "qdf.leaky_relu"(%[[R]]) {alpha = 205, alpha_type = !qdf.fixed<12, 1, true, "TRN", "WRAP">}
// CHECK: %[[C:.+]] = "qdf.clip"(%[[L]]) {max = 6144, min = -1024}
// CHECK: %[[U:.+]] = "qdf.clip"(%[[C]]) {max = 512}
// CHECK: "qdf.reshape"(%[[U]]) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @activations(%x: tensor<1x8x!qdf.fixed<24, 9, true, "TRN", "WRAP">>) -> tensor<2x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %r = "qdf.relu"(%x) : (tensor<1x8x!qdf.fixed<24, 9, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %l = "qdf.leaky_relu"(%r) {alpha = 205 : i64, alpha_type = !qdf.fixed<12, 1, true, "TRN", "WRAP">} : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %c = "qdf.clip"(%l) {min = -1024 : i64, max = 6144 : i64} : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %u = "qdf.clip"(%c) {max = 512} : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.reshape"(%u) : (tensor<1x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<2x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<2x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// CHECK-LABEL: func.func @table_and_softmax
// CHECK: %[[T:.+]] = "qdf.table"(%{{.+}}) {function = "sigmoid", lo = -16, step_shift = 3, table = dense<[0, 1, 8, 15, 16]> : tensor<5xi8>, table_type = !qdf.fixed<6, 2, true, "TRN", "WRAP">}
// CHECK: "qdf.softmax"(%[[T]]) {axis = 1, exp_table = dense<[0, 2, 16]> : tensor<3xi8>, exp_type = !qdf.fixed<5, 1, false, "TRN", "WRAP">, lo = -16, step_shift = 3, sum_type = !qdf.fixed<7, 3, false, "TRN", "WRAP">}
func.func @table_and_softmax(%x: tensor<1x4x!qdf.fixed<8, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<8, 2, true, "TRN", "WRAP">> {
  %t = "qdf.table"(%x) {function = "sigmoid", lo = -16 : i64, step_shift = 3 : i64, table = dense<[0, 1, 8, 15, 16]> : tensor<5xi8>, table_type = !qdf.fixed<6, 2, true, "TRN", "WRAP">} : (tensor<1x4x!qdf.fixed<8, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<8, 6, true, "TRN", "WRAP">>
  %s = "qdf.softmax"(%t) {axis = 1 : i64, exp_table = dense<[0, 2, 16]> : tensor<3xi8>, exp_type = !qdf.fixed<5, 1, false, "TRN", "WRAP">, lo = -16 : i64, step_shift = 3 : i64, sum_type = !qdf.fixed<7, 3, false, "TRN", "WRAP">} : (tensor<1x4x!qdf.fixed<8, 6, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<8, 2, true, "TRN", "WRAP">>
  func.return %s : tensor<1x4x!qdf.fixed<8, 2, true, "TRN", "WRAP">>
}

// -----

// The float32 ops, qdf.fquant, qdf.threshold and qdf.requant of quantized models.
// CHECK-LABEL: func.func @quantized_model_ops
// CHECK: %[[C:.+]] = "qdf.fconstant"() {value = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
// CHECK: %[[W:.+]] = "qdf.fconstant"() {value = dense<{{\[}}[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
// CHECK: %[[D:.+]] = "qdf.fdense"(%{{.+}}, %[[W]], %[[C]]) {bias_first = true, order = "mlas_m1_transposed"}
// CHECK: %[[A:.+]] = "qdf.fadd"(%[[D]], %[[C]])
// CHECK: %[[S:.+]] = "qdf.fsub"(%[[A]], %[[C]])
// CHECK: %[[M:.+]] = "qdf.fmul"(%[[S]], %[[C]])
// CHECK: %[[V:.+]] = "qdf.fdiv"(%[[M]], %[[C]])
// CHECK: %[[R:.+]] = "qdf.frelu"(%[[V]])
// CHECK: %[[X:.+]] = "qdf.fsoftmax"(%[[R]]) {axis = 1}
// CHECK: %[[Q:.+]] = "qdf.fquant"(%[[X]]) {max = 7.0, min = -8.0, rounding = "HALF_UP", scale = dense<[0.25, 0.5]> : tensor<2xf32>, zero_point = dense<1.0> : tensor<f32>} : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<5, 5, true, "TRN", "WRAP">>
// CHECK: %[[T:.+]] = "qdf.threshold"(%[[Q]]) {base = dense<[-1]> : tensor<1xi8>, step = dense<[2]> : tensor<1xi8>, thresholds = dense<{{\[}}[0], [3]]> : tensor<2x1xi8>}
// CHECK: "qdf.requant"(%[[T]]) {max = 100, min = 0, multiplier = dense<[3, 7]> : tensor<2xi64>, shift = 4}
// CHECK: "qdf.reshape"(%[[X]]) : (tensor<1x2xf32>) -> tensor<2xf32>
func.func @quantized_model_ops(%x: tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">> {
  %c = "qdf.fconstant"() {value = dense<[0.5, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w = "qdf.fconstant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %d = "qdf.fdense"(%x, %w, %c) {bias_first = true, order = "mlas_m1_transposed"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %a = "qdf.fadd"(%d, %c) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %s = "qdf.fsub"(%a, %c) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m = "qdf.fmul"(%s, %c) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %v = "qdf.fdiv"(%m, %c) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "qdf.frelu"(%v) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %y = "qdf.fsoftmax"(%r) {axis = 1} : (tensor<1x2xf32>) -> tensor<1x2xf32>
  %q = "qdf.fquant"(%y) {max = 7.0, min = -8.0, rounding = "HALF_UP", scale = dense<[0.25, 0.5]> : tensor<2xf32>, zero_point = dense<1.0> : tensor<f32>} : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<5, 5, true, "TRN", "WRAP">>
  %t = "qdf.threshold"(%q) {base = dense<-1> : tensor<1xi8>, step = dense<2> : tensor<1xi8>, thresholds = dense<[[0], [3]]> : tensor<2x1xi8>} : (tensor<1x2x!qdf.fixed<5, 5, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">>
  %u = "qdf.requant"(%t) {max = 100, min = 0, multiplier = dense<[3, 7]> : tensor<2xi64>, shift = 4} : (tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
  %f = "qdf.reshape"(%y) : (tensor<1x2xf32>) -> tensor<2xf32>
  func.return %u : tensor<1x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
}

// -----

// Per-channel requantization of a channels-last map: the channel is the index along `axis`.
// CHECK-LABEL: func.func @channels_last_requantization
// CHECK: %[[T:.+]] = "qdf.threshold"(%{{.+}}) {axis = 2, base = dense<[-1, 0, 1]> : tensor<3xi8>, step = dense<[1]> : tensor<1xi8>, thresholds = dense<{{\[}}[0], [1], [2]]> : tensor<3x1xi8>}
// CHECK: "qdf.requant"(%[[T]]) {axis = 2, multiplier = dense<[3, 5, 7]> : tensor<3xi64>, shift = 4}
func.func @channels_last_requantization(%x: tensor<1x4x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x3x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">> {
  %t = "qdf.threshold"(%x) {axis = 2, base = dense<[-1, 0, 1]> : tensor<3xi8>, step = dense<1> : tensor<1xi8>, thresholds = dense<[[0], [1], [2]]> : tensor<3x1xi8>} : (tensor<1x4x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x3x!qdf.fixed<3, 3, true, "TRN", "WRAP">>
  %u = "qdf.requant"(%t) {axis = 2, multiplier = dense<[3, 5, 7]> : tensor<3xi64>, shift = 4} : (tensor<1x4x3x!qdf.fixed<3, 3, true, "TRN", "WRAP">>) -> tensor<1x4x3x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
  func.return %u : tensor<1x4x3x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
}
