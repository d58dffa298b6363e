// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-to-qdf{precision=fixed<8,3>})' | FileCheck %s

// An input narrower than [-16, 16) spans only its own range: fixed<8,3> covers [-4, 4) = 2^8
// LSBs from its minimum -128; 2^8 < 1024 entries, so every input LSB has its own sample
// (step_shift 0, 257 samples) and interpolation never happens. Samples: 5 + 4 fractional bits.
// CHECK-LABEL: func.func @narrow_input_tanh
// CHECK: "qdf.table"(%{{.+}}) {function = "tanh", lo = -128, step_shift = 0, table = dense<"0x{{[0-9A-F]+}}"> : tensor<257xi16>, table_type = !qdf.fixed<11, 2, true, "TRN", "WRAP">}
// The exp table likewise covers the largest difference, 2^8 LSBs (8.0).
// CHECK: "qdf.softmax"(%{{.+}}) {axis = 1, exp_table = dense<"0x{{[0-9A-F]+}}"> : tensor<257xi16>, exp_type = !qdf.fixed<10, 1, false, "TRN", "WRAP">, lo = -256, step_shift = 0, sum_type = !qdf.fixed<12, 3, false, "TRN", "WRAP">}
func.func @narrow_input_tanh(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %t = "nn.tanh"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %s = "nn.softmax"(%t) {axis = 1} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %s : tensor<1x4xf32>
}
