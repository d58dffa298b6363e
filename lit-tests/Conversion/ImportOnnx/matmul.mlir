// MatMul with a constant 2-D right side is a dense layer; a following Add of a constant that
// broadcasts to [N] becomes its bias.

// RUN: %python %S/Inputs/matmul.py %t.add.onnx add
// RUN: fpgaopt %t.add.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=ADD
// ADD-LABEL: func.func @main
// ADD-SAME: (%[[X:.+]]: tensor<1x3xf32>)
// ADD-DAG: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>}
// ADD-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[0.25, -0.25]> : tensor<2xf32>}
// ADD: %[[Y:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// ADD-NOT: nn.add
// ADD: func.return %[[Y]]

// Without an Add the bias is zero (PyTorch's bias-free Linear).
// RUN: %python %S/Inputs/matmul.py %t.alone.onnx alone
// RUN: fpgaopt %t.alone.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=ALONE
// ALONE-LABEL: func.func @main
// ALONE: %[[B:.+]] = "nn.constant"() {value = dense<[0.0, 0.0]> : tensor<2xf32>}
// ALONE: "nn.dense"(%{{.+}}, %{{.+}}, %[[B]])

// The MatMul result has another reader: the Add stays an nn.add.
// RUN: %python %S/Inputs/matmul.py %t.shared.onnx shared
// RUN: fpgaopt %t.shared.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SHARED
// SHARED-LABEL: func.func @main
// SHARED: %[[D:.+]] = "nn.dense"
// SHARED: %[[A:.+]] = "nn.add"(%[[D]], %{{.+}})
// SHARED: %[[R:.+]] = "nn.relu"(%[[D]])
// SHARED: func.return %[[A]], %[[R]]

// Two computed sides: nn.matmul.
// RUN: %python %S/Inputs/matmul.py %t.computed.onnx computed
// RUN: fpgaopt %t.computed.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=COMPUTED
// COMPUTED-LABEL: func.func @main
// COMPUTED-SAME: (%[[A:.+]]: tensor<4x3xf32>, %[[B:.+]]: tensor<3x2xf32>) -> tensor<4x2xf32>
// COMPUTED: "nn.matmul"(%[[A]], %[[B]]) : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
