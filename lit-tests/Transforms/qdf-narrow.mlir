// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-narrow)' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-narrow,qdf-narrow)' | FileCheck %s

// One case per narrowing rule of qdf-narrow, and the cases it must leave alone. Inputs come from
// qdf.quantize of a float, so every mantissa of the quantized type is reachable.

// relu of fixed<8,4> ([-128, 127] at 4 fractional bits) into fixed<16,6>: [0, 127 * 2^6], never
// negative, so the narrowest type on the same grid is unsigned.
// CHECK-LABEL: func.func @relu_becomes_unsigned
// CHECK: %[[Q:.+]] = "qdf.quantize"
// CHECK-NEXT: %[[R:.+]] = "qdf.relu"(%[[Q]]) {qdf.range = [0, 8128]} : (tensor<1x4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<13, 3, false, "TRN", "WRAP">>
// CHECK-NEXT: "qdf.dequantize"(%[[R]]) : (tensor<1x4x!qdf.fixed<13, 3, false, "TRN", "WRAP">>)
func.func @relu_becomes_unsigned(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %r = "qdf.relu"(%q) : (tensor<1x4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.dequantize"(%r) : (tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

// x in [-8, 7]; column 0: 1 + 1*x0 + 3*x1 in [-31, 29], column 1: -1 - 2*x0 + 0*x1 in [-15, 15];
// every partial sum lies in [-31, 29]: 6 bits (nn-to-qdf's symmetric bound 33 would need 7).
// CHECK-LABEL: func.func @dense_accumulator_from_actual_weights
// CHECK: "qdf.dense"(%{{.+}}, %[[W:.+]], %[[B:.+]]) {acc_type = !qdf.fixed<6, 6, true, "TRN", "WRAP">, qdf.acc_range = [-31, 29], qdf.range = [-31, 29]}
// CHECK-SAME: -> tensor<1x2x!qdf.fixed<6, 6, true, "TRN", "WRAP">>
func.func @dense_accumulator_from_actual_weights(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %w = "qdf.constant"() {value = dense<[[1, -2], [3, 0]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<[1, -1]> : tensor<2xi8>} : () -> tensor<2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %d = "qdf.dense"(%q, %w, %b) {acc_type = !qdf.fixed<16, 16, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>, tensor<2x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 16, true, "TRN", "WRAP">>
  %y = "qdf.dequantize"(%d) : (tensor<1x2x!qdf.fixed<16, 16, true, "TRN", "WRAP">>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// Every weight mantissa is even and the bias is zero: every partial sum has a zero last bit, so the
// accumulator drops one fractional bit ([-92, 88] at 4 fractional bits is [-46, 44] at 3).
// CHECK-LABEL: func.func @zero_low_weight_bits_drop_fraction_bits
// CHECK: "qdf.dense"{{.+}} {acc_type = !qdf.fixed<7, 4, true, "TRN", "WRAP">, qdf.acc_range = [-46, 44], qdf.range = [-92, 88]}
// CHECK-SAME: -> tensor<1x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
func.func @zero_low_weight_bits_drop_fraction_bits(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %w = "qdf.constant"() {value = dense<[[2, -4], [6, 8]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<0> : tensor<2xi8>} : () -> tensor<2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %d = "qdf.dense"(%q, %w, %b) {acc_type = !qdf.fixed<16, 12, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>, tensor<2x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 12, true, "TRN", "WRAP">>
  %y = "qdf.dequantize"(%d) : (tensor<1x2x!qdf.fixed<16, 12, true, "TRN", "WRAP">>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// A cast that can saturate keeps its type: a value that saturates is not a value that fits.
// CHECK-LABEL: func.func @saturating_cast_keeps_its_type
// CHECK: "qdf.cast"(%{{.+}}) : (tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<4, 2, true, "TRN", "SAT">>
func.func @saturating_cast_keeps_its_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = "qdf.quantize"(%x) : (tensor<4xf32>) -> tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %c = "qdf.cast"(%q) : (tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<4, 2, true, "TRN", "SAT">>
  %y = "qdf.dequantize"(%c) : (tensor<4x!qdf.fixed<4, 2, true, "TRN", "SAT">>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

// A cast that provably never overflows: same grid and rounding, fewer bits, WRAP (the saturation
// logic is dead).
// CHECK-LABEL: func.func @cast_that_never_overflows
// CHECK: "qdf.cast"(%{{.+}}) {qdf.range = [-512, 448]} : (tensor<4x!qdf.fixed<4, 2, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<10, 2, true, "RND", "WRAP">>
func.func @cast_that_never_overflows(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = "qdf.quantize"(%x) : (tensor<4xf32>) -> tensor<4x!qdf.fixed<4, 2, true, "TRN", "WRAP">>
  %c = "qdf.cast"(%q) : (tensor<4x!qdf.fixed<4, 2, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 8, true, "RND", "SAT">>
  %y = "qdf.dequantize"(%c) : (tensor<4x!qdf.fixed<16, 8, true, "RND", "SAT">>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

// A returned value keeps the type the signature gives it; its bound is still recorded.
// CHECK-LABEL: func.func @returned_value_keeps_its_type
// CHECK: "qdf.relu"(%{{.+}}) {qdf.range = [0, 8128]} : (tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @returned_value_keeps_its_type(%x: tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %r = "qdf.relu"(%x) : (tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %r : tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// A table's lowering sizes its index from the input type: its input narrows but stays signed. Its
// result lies between its samples, [2, 4] at 2 fractional bits, [8, 16] on the result grid.
// CHECK-LABEL: func.func @table_input_keeps_its_sign
// CHECK: %[[R:.+]] = "qdf.relu"(%{{.+}}) {qdf.range = [0, 8128]} : (tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<14, 4, true, "TRN", "WRAP">>
// CHECK: "qdf.table"(%[[R]])
// CHECK-SAME: qdf.range = [8, 16]
// CHECK-SAME: -> tensor<4x!qdf.fixed<5, 1, false, "TRN", "WRAP">>
func.func @table_input_keeps_its_sign(%x: tensor<4xf32>) -> tensor<4xf32> {
  %q = "qdf.quantize"(%x) : (tensor<4xf32>) -> tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %r = "qdf.relu"(%q) : (tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %t = "qdf.table"(%r) {function = "sigmoid", lo = 0 : i64, step_shift = 13 : i64, table = dense<[2, 4]> : tensor<2xi8>, table_type = !qdf.fixed<4, 2, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %y = "qdf.dequantize"(%t) : (tensor<4x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

// x in [-8, 7] never reaches the threshold 100, so only -1 is reachable, but the type keeps every
// level base + step * count (the verifier's rule): [-1, 1] needs 2 bits.
// CHECK-LABEL: func.func @threshold_keeps_every_level
// CHECK: "qdf.threshold"(%{{.+}}) {base = dense<{{\[}}-1]> : tensor<1xi8>, qdf.range = [-1, -1], step = dense<{{\[}}2]> : tensor<1xi8>, thresholds = dense<{{\[}}[100]]> : tensor<1x1xi8>}
// CHECK-SAME: -> tensor<1x4x!qdf.fixed<2, 2, true, "TRN", "WRAP">>
func.func @threshold_keeps_every_level(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x4xf32>) -> tensor<1x4x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %t = "qdf.threshold"(%q) {base = dense<-1> : tensor<1xi8>, step = dense<2> : tensor<1xi8>, thresholds = dense<100> : tensor<1x1xi8>} : (tensor<1x4x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<1x4x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %y = "qdf.dequantize"(%t) : (tensor<1x4x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

// A reshape takes its input's narrowed element type.
// CHECK-LABEL: func.func @reshape_follows_its_input
// CHECK: %[[R:.+]] = "qdf.relu"{{.+}} -> tensor<2x2x!qdf.fixed<13, 3, false, "TRN", "WRAP">>
// CHECK-NEXT: "qdf.reshape"(%[[R]]) : (tensor<2x2x!qdf.fixed<13, 3, false, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<13, 3, false, "TRN", "WRAP">>
func.func @reshape_follows_its_input(%x: tensor<2x2xf32>) -> tensor<4xf32> {
  %q = "qdf.quantize"(%x) : (tensor<2x2xf32>) -> tensor<2x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %r = "qdf.relu"(%q) : (tensor<2x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %s = "qdf.reshape"(%r) : (tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.dequantize"(%s) : (tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<4xf32>
  func.return %y : tensor<4xf32>
}

// -----

// Backward: a truncating cast to whole numbers reads no fractional bit of the relu result, and
// max(floor(x), 0) = floor(max(x, 0)), so the relu and the dense output both move to the integer
// grid with TRN (the accumulator keeps its grid: its partial sums need it).
// CHECK-LABEL: func.func @truncated_bits_are_not_computed
// CHECK: %[[D:.+]] = "qdf.dense"{{.+}} {acc_type = !qdf.fixed<6, 4, true, "TRN", "WRAP">, qdf.acc_range = [-31, 29], qdf.range = [-8, 7]}
// CHECK-SAME: -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
// CHECK-NEXT: %[[R:.+]] = "qdf.relu"(%[[D]]) {qdf.range = [0, 7]} : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<3, 3, false, "TRN", "WRAP">>
// CHECK-NEXT: "qdf.cast"(%[[R]]) {qdf.range = [0, 7]} : (tensor<1x2x!qdf.fixed<3, 3, false, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<3, 3, false, "TRN", "WRAP">>
func.func @truncated_bits_are_not_computed(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>
  %w = "qdf.constant"() {value = dense<[[1, -2], [3, 0]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<4, 2, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<[1, -1]> : tensor<2xi8>} : () -> tensor<2x!qdf.fixed<4, 2, true, "TRN", "WRAP">>
  %d = "qdf.dense"(%q, %w, %b) {acc_type = !qdf.fixed<16, 14, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>, tensor<2x2x!qdf.fixed<4, 2, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<4, 2, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 14, true, "TRN", "WRAP">>
  %r = "qdf.relu"(%d) : (tensor<1x2x!qdf.fixed<16, 14, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 14, true, "TRN", "WRAP">>
  %c = "qdf.cast"(%r) : (tensor<1x2x!qdf.fixed<16, 14, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "SAT">>
  %y = "qdf.dequantize"(%c) : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "SAT">>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// A rounding cast reads the bits below its grid (half and sticky): they stay.
// CHECK-LABEL: func.func @rounded_bits_stay
// CHECK: "qdf.relu"(%{{.+}}) {qdf.range = [0, 127]} : (tensor<1x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<7, 5, false, "TRN", "WRAP">>
func.func @rounded_bits_stay(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">>
  %r = "qdf.relu"(%q) : (tensor<1x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">>
  %c = "qdf.cast"(%r) : (tensor<1x2x!qdf.fixed<8, 6, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 8, true, "RND", "SAT">>
  %y = "qdf.dequantize"(%c) : (tensor<1x2x!qdf.fixed<8, 8, true, "RND", "SAT">>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}
