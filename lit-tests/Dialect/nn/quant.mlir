// RUN: fpgaopt %s --split-input-file | fpgaopt --split-input-file | FileCheck %s
// RUN: fpgaopt %s --split-input-file --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s

// The quantizer ops parse, verify and print back to text that parses again to the same IR.

// CHECK-LABEL: func.func @quant_per_tensor
// CHECK-SAME: (%[[X:.+]]: tensor<1x16xf32>)
// CHECK: %[[S:.+]] = "nn.constant"() {value = dense<0.25> : tensor<f32>}
// CHECK: %[[Z:.+]] = "nn.constant"() {value = dense<0.0> : tensor<f32>}
// CHECK: "nn.quant"(%[[X]], %[[S]], %[[Z]]) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x16xf32>, tensor<f32>, tensor<f32>) -> tensor<1x16xf32>
func.func @quant_per_tensor(%x: tensor<1x16xf32>) -> tensor<1x16xf32> {
  %s = "nn.constant"() {value = dense<0.25> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %y = "nn.quant"(%x, %s, %z) {bit_width = 4, narrow = false, rounding_mode = "ROUND", signed = true} : (tensor<1x16xf32>, tensor<f32>, tensor<f32>) -> tensor<1x16xf32>
  func.return %y : tensor<1x16xf32>
}

// -----

// Per-channel scales broadcast along the rows of a [C, K] tensor; every QONNX rounding mode.
// CHECK-LABEL: func.func @quant_per_channel_modes
// CHECK: "nn.quant"(%{{.+}}, %{{.+}}, %{{.+}}) {bit_width = 3, narrow = true, rounding_mode = "HALF_DOWN", signed = false} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
// CHECK: rounding_mode = "CEIL"
// CHECK: rounding_mode = "FLOOR"
// CHECK: rounding_mode = "UP"
// CHECK: rounding_mode = "DOWN"
// CHECK: rounding_mode = "HALF_UP"
func.func @quant_per_channel_modes(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %s = "nn.constant"() {value = dense<[[0.5], [0.25]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %z = "nn.constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %a = "nn.quant"(%x, %s, %z) {bit_width = 3, narrow = true, rounding_mode = "HALF_DOWN", signed = false} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
  %b = "nn.quant"(%a, %s, %z) {bit_width = 3, narrow = false, rounding_mode = "CEIL", signed = true} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
  %c = "nn.quant"(%b, %s, %z) {bit_width = 3, narrow = false, rounding_mode = "FLOOR", signed = true} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
  %d = "nn.quant"(%c, %s, %z) {bit_width = 3, narrow = false, rounding_mode = "UP", signed = true} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
  %e = "nn.quant"(%d, %s, %z) {bit_width = 3, narrow = false, rounding_mode = "DOWN", signed = true} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
  %f = "nn.quant"(%e, %s, %z) {bit_width = 3, narrow = false, rounding_mode = "HALF_UP", signed = true} : (tensor<2x4xf32>, tensor<2x1xf32>, tensor<f32>) -> tensor<2x4xf32>
  func.return %f : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func.func @bipolar_quant
// CHECK: "nn.bipolar_quant"(%{{.+}}, %{{.+}}) : (tensor<1x64xf32>, tensor<f32>) -> tensor<1x64xf32>
func.func @bipolar_quant(%x: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %s = "nn.constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %y = "nn.bipolar_quant"(%x, %s) : (tensor<1x64xf32>, tensor<f32>) -> tensor<1x64xf32>
  func.return %y : tensor<1x64xf32>
}

// -----

// Trunc version 2 (with the output clamp) and version 1 (without).
// CHECK-LABEL: func.func @trunc_versions
// CHECK: "nn.trunc"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) {narrow = false, output_bit_width = 4, rounding_mode = "FLOOR", shift = 4, signed = true}
// CHECK: "nn.trunc"(%{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}, %{{.+}}) {narrow = false, rounding_mode = "ROUND", shift = 6, signed = true}
func.func @trunc_versions(%x: tensor<1x8xf32>) -> tensor<1x8xf32> {
  %s = "nn.constant"() {value = dense<0.125> : tensor<f32>} : () -> tensor<f32>
  %z = "nn.constant"() {value = dense<0.0> : tensor<f32>} : () -> tensor<f32>
  %os = "nn.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  %a = "nn.trunc"(%x, %s, %z, %os, %z) {narrow = false, output_bit_width = 4, rounding_mode = "FLOOR", shift = 4, signed = true} : (tensor<1x8xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x8xf32>
  %b = "nn.trunc"(%a, %s, %z, %s, %z) {narrow = false, rounding_mode = "ROUND", shift = 6, signed = true} : (tensor<1x8xf32>, tensor<f32>, tensor<f32>, tensor<f32>, tensor<f32>) -> tensor<1x8xf32>
  func.return %b : tensor<1x8xf32>
}

// -----

// ONNX QuantizeLinear -> DequantizeLinear as one op, per axis; QuantizeLinear alone.
// CHECK-LABEL: func.func @qdq_and_quantize_linear
// CHECK: %[[Q:.+]] = "nn.qdq"(%{{.+}}, %{{.+}}, %{{.+}}) {bit_width = 8, signed = false} : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
// CHECK: "nn.quantize_linear"(%[[Q]], %{{.+}}, %{{.+}}) {bit_width = 4, signed = true} : (tensor<1x3xf32>, tensor<f32>, tensor<f32>) -> tensor<1x3xf32>
func.func @qdq_and_quantize_linear(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %s = "nn.constant"() {value = dense<[0.5, 0.1, 0.03]> : tensor<3xf32>} : () -> tensor<3xf32>
  %z = "nn.constant"() {value = dense<[128.0, 0.0, 255.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  %one = "nn.constant"() {value = dense<1.0> : tensor<f32>} : () -> tensor<f32>
  %zero = "nn.constant"() {value = dense<-8.0> : tensor<f32>} : () -> tensor<f32>
  %q = "nn.qdq"(%x, %s, %z) {bit_width = 8, signed = false} : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %c = "nn.quantize_linear"(%q, %one, %zero) {bit_width = 4, signed = true} : (tensor<1x3xf32>, tensor<f32>, tensor<f32>) -> tensor<1x3xf32>
  func.return %c : tensor<1x3xf32>
}
