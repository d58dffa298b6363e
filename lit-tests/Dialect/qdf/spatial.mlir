// RUN: fpgaopt %s --split-input-file | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s --split-input-file --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s

// The channels-last window and layout ops parse, verify and print back.

// CHECK-LABEL: func.func @conv_pad_transpose
// CHECK: %[[T:.+]] = "qdf.transpose"(%{{.+}}) {perm = [0, 2, 3, 1]}
// CHECK: %[[P:.+]] = "qdf.pad"(%[[T]]) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0}
// CHECK: "qdf.conv"(%[[P]], %{{.+}}, %{{.+}}) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [1, 1], group = 1, strides = [1, 1]}
// CHECK-SAME: -> tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @conv_pad_transpose(%x: tensor<1x3x4x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<3x3x3x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, %b: tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %t = "qdf.transpose"(%x) {perm = [0, 2, 3, 1]} : (tensor<1x3x4x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %p = "qdf.pad"(%t) {pads = [0, 1, 1, 0, 0, 1, 1, 0], value = 0} : (tensor<1x4x4x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x6x6x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.conv"(%p, %w, %b) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [1, 1], group = 1, strides = [1, 1]} : (tensor<1x6x6x3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x3x3x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x4x4x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// Depthwise (group = channels), 1-D, strided and dilated.
// CHECK-LABEL: func.func @depthwise_1d
// CHECK: "qdf.conv"{{.*}}dilations = [2], group = 4, strides = [2]{{.*}} -> tensor<1x3x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
func.func @depthwise_1d(%x: tensor<1x10x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, %w: tensor<3x1x4x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, %b: tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">> {
  %y = "qdf.conv"(%x, %w, %b) {acc_type = !qdf.fixed<32, 12, true, "TRN", "WRAP">, dilations = [2], group = 4, strides = [2]} : (tensor<1x10x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<3x1x4x!qdf.fixed<8, 1, true, "TRN", "WRAP">>, tensor<4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %y : tensor<1x3x4x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}

// -----

// CHECK-LABEL: func.func @pools
// CHECK: "qdf.max_pool"(%{{.+}}) {dilations = [1, 1], kernel = [2, 2], strides = [2, 2]}
// CHECK: "qdf.avg_pool"(%{{.+}}) {acc_type = {{.+}}, divisors = dense<4> : tensor<2x2xi64>, kernel = [2, 2], recip_type = !qdf.fixed<17, 1, false, "TRN", "WRAP">, strides = [2, 2]}
func.func @pools(%x: tensor<1x4x4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> (tensor<1x2x2x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<1x2x2x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) {
  %m = "qdf.max_pool"(%x) {dilations = [1, 1], kernel = [2, 2], strides = [2, 2]} : (tensor<1x4x4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %a = "qdf.avg_pool"(%x) {acc_type = !qdf.fixed<18, 8, true, "TRN", "WRAP">, dilations = [1, 1], divisors = dense<4> : tensor<2x2xi64>, kernel = [2, 2], recip_type = !qdf.fixed<17, 1, false, "TRN", "WRAP">, strides = [2, 2]} : (tensor<1x4x4x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x2x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  func.return %m, %a : tensor<1x2x2x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<1x2x2x8x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
}
