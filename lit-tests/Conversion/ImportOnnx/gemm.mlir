// Gemm imports as one nn.dense with alpha, beta and transB folded into the constants.

// RUN: %python %S/Inputs/gemm.py %t.plain.onnx plain
// RUN: fpgaopt %t.plain.onnx --pass-pipeline='builtin.module(import-onnx)' --mlir-print-debuginfo | FileCheck %s --check-prefix=PLAIN
// PLAIN-LABEL: func.func @main
// PLAIN-SAME: (%[[X:.+]]: tensor<1x2xf32>) -> tensor<1x3xf32>
// PLAIN-DAG: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>} : () -> tensor<2x3xf32> loc("w"(
// PLAIN-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[0.5, -0.5, 1.0]> : tensor<3xf32>}
// PLAIN: %[[Y:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]]) : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32> loc("fc1"("{{.*}}.plain.onnx":0:0))
// PLAIN: func.return %[[Y]]

// alpha = 2 scales the weight, beta = 0.5 the bias, transB = 1 transposes [N, K] to [K, N].
// RUN: %python %S/Inputs/gemm.py %t.abt.onnx alpha_beta_transB
// RUN: fpgaopt %t.abt.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=ABT
// ABT-LABEL: func.func @main
// ABT-DAG: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[2.0, 4.0, 6.0], [8.0, 10.0, 12.0]]> : tensor<2x3xf32>}
// ABT-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[0.25, -0.25, 0.5]> : tensor<3xf32>}
// ABT: "nn.dense"(%{{.+}}, %[[W]], %[[B]])

// No C: a zero bias; a symbolic batch dimension N becomes 1.
// RUN: %python %S/Inputs/gemm.py %t.nobias.onnx no_bias
// RUN: fpgaopt %t.nobias.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=NOBIAS
// NOBIAS-LABEL: func.func @main
// NOBIAS-SAME: tensor<1x2xf32>) -> tensor<1x3xf32>
// NOBIAS: "nn.constant"() {value = dense<[0.0, 0.0, 0.0]> : tensor<3xf32>}
// NOBIAS: "nn.dense"

// A computed C is added after the dense layer, scaled by beta.
// RUN: %python %S/Inputs/gemm.py %t.c.onnx computed_c
// RUN: fpgaopt %t.c.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=COMPC
// COMPC-LABEL: func.func @main
// COMPC-SAME: (%{{.+}}: tensor<1x2xf32>, %[[C:.+]]: tensor<1x3xf32>)
// COMPC-DAG: %[[BETA:.+]] = "nn.constant"() {value = dense<2.0> : tensor<f32>}
// COMPC-DAG: %[[SC:.+]] = "nn.mul"(%[[C]], %[[BETA]])
// COMPC-DAG: %[[D:.+]] = "nn.dense"
// COMPC: %[[Y:.+]] = "nn.add"(%[[D]], %[[SC]])
// COMPC: func.return %[[Y]]

// RUN: %python %S/Inputs/gemm.py %t.ta.onnx transA
// transA on a computed input is an nn.transpose before the dense layer.
// RUN: fpgaopt %t.ta.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=TRANSA
// TRANSA: %[[T:.+]] = "nn.transpose"(%{{.+}}) {perm = [1, 0]} : (tensor<2x1xf32>) -> tensor<1x2xf32>
// TRANSA: "nn.dense"(%[[T]], %{{.+}}, %{{.+}}) : (tensor<1x2xf32>, tensor<2x3xf32>, tensor<3xf32>) -> tensor<1x3xf32>

// RUN: %python %S/Inputs/gemm.py %t.bad.onnx bad_shapes
// RUN: not fpgaopt %t.bad.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: node 'fc1' (Gemm): op(A) is [1, 4] but op(B) is [2, 3]
