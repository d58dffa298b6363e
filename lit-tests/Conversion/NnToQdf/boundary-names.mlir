// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf)' --mlir-print-debuginfo | FileCheck %s

// The conversions at the model's boundary are located after what they convert: the quantize after
// the input (the argument's name, the ONNX input name), the dequantize after the output, keeping the
// file. qdf-to-hls names their layer functions after these locations.

// CHECK-LABEL: func.func @main
// CHECK: "qdf.quantize"(%input) {{.*}} loc("input_quantize"("model.onnx":0:0))
// CHECK: "qdf.relu"
// CHECK: "qdf.dequantize"({{.*}} loc("output_dequantize"("model.onnx":0:0))
// CHECK-NEXT: func.return
func.func @main(%input: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %0 = "nn.relu"(%input) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("relu1"("model.onnx":0:0))
  func.return %0 : tensor<1x2xf32> loc("return"("model.onnx":0:0))
} loc("main"("model.onnx":0:0))

// -----

// Several inputs keep their own names; several outputs are numbered.
// CHECK-LABEL: func.func @two_inputs_two_outputs
// CHECK: "qdf.quantize"(%a) {{.*}} loc("a_quantize"(
// CHECK: "qdf.quantize"(%b) {{.*}} loc("b_quantize"(
// CHECK: "qdf.dequantize"({{.*}} loc("output0_dequantize"(
// CHECK: "qdf.dequantize"({{.*}} loc("output1_dequantize"(
func.func @two_inputs_two_outputs(%a: tensor<2xf32>, %b: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %s = "nn.add"(%a, %b) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %r = "nn.relu"(%s) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %s, %r : tensor<2xf32>, tensor<2xf32>
}
