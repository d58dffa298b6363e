// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf{table-size=8})' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf{precision=fixed<32,16>})' | FileCheck %s --check-prefix=P32

// Sigmoid, tanh and softmax tables: spans, steps and sample types.

// fixed<16,6> inputs (10 fractional bits): the table spans [-16, 16) = 2^15 LSBs from lo = -16384;
// 8 intervals make steps of 2^12 LSBs (4.0). Samples carry 10 + 4 fractional bits in fixed<16,2>:
// sigmoid(0) = 0.5 = 8192.
// CHECK-LABEL: func.func @sigmoid_table
// CHECK: "qdf.table"(%{{.+}}) {function = "sigmoid", lo = -16384, step_shift = 12, table = dense<[0, 0, 5, 295, 8192, 16089, 16379, 16384, 16384]> : tensor<9xi16>, table_type = !qdf.fixed<16, 2, true, "TRN", "WRAP">}
// CHECK-SAME: -> tensor<1x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
// At fixed<32,16>: 1024 intervals of 2^11 LSBs (1/32) over [-16, 16), 20 fractional bits.
// P32-LABEL: func.func @sigmoid_table
// P32: "qdf.table"(%{{.+}}) {function = "sigmoid", lo = -1048576, step_shift = 11, table = dense<"0x{{[0-9A-F]+}}"> : tensor<1025xi32>, table_type = !qdf.fixed<22, 2, true, "TRN", "WRAP">}
func.func @sigmoid_table(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = "nn.sigmoid"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

// CHECK-LABEL: func.func @tanh_table
// CHECK: "qdf.table"(%{{.+}}) {function = "tanh", lo = -16384, step_shift = 12, table = dense<[-16384, -16384, -16384, -16373, 0, 16373, 16384, 16384, 16384]> : tensor<9xi16>, table_type = !qdf.fixed<16, 2, true, "TRN", "WRAP">}
// P32-LABEL: func.func @tanh_table
// P32: "qdf.table"(%{{.+}}) {function = "tanh", lo = -1048576, step_shift = 11
func.func @tanh_table(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %y = "nn.tanh"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %y : tensor<1x4xf32>
}

// -----

// The exp table spans [-16, 0] (lo = -16 * 1024) with exp(0) = 1 as the last sample in
// ufixed<15,1>; the sum of 10 terms gets ceil(log2 10) = 4 more integer bits.
// CHECK-LABEL: func.func @softmax_exp_table
// CHECK: "qdf.softmax"(%{{.+}}) {axis = 1, exp_table = dense<[0, 0, 0, 1, 5, 41, 300, 2217, 16384]> : tensor<9xi16>, exp_type = !qdf.fixed<15, 1, false, "TRN", "WRAP">, lo = -16384, step_shift = 11, sum_type = !qdf.fixed<19, 5, false, "TRN", "WRAP">}
// P32-LABEL: func.func @softmax_exp_table
// P32: "qdf.softmax"(%{{.+}}) {axis = 1, exp_table = dense<"0x{{[0-9A-F]+}}"> : tensor<1025xi32>, exp_type = !qdf.fixed<21, 1, false, "TRN", "WRAP">, lo = -1048576, step_shift = 10, sum_type = !qdf.fixed<25, 5, false, "TRN", "WRAP">}
func.func @softmax_exp_table(%x: tensor<1x10xf32>) -> tensor<1x10xf32> {
  %y = "nn.softmax"(%x) {axis = 1} : (tensor<1x10xf32>) -> tensor<1x10xf32>
  func.return %y : tensor<1x10xf32>
}
