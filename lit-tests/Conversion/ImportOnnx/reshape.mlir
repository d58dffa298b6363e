// Reshape needs a constant shape; shape subgraphs on static shapes fold to one at import.

// The Brevitas flatten: Shape -> Gather -> Unsqueeze -> Concat -> Reshape folds to one nn.reshape.
// RUN: %python %S/Inputs/reshape.py %t.sub.onnx subgraph
// RUN: fpgaopt %t.sub.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SUB
// SUB-LABEL: func.func @main
// SUB-SAME: (%[[X:.+]]: tensor<1x1x4x4xf32>) -> tensor<1x16xf32>
// SUB-NEXT: %[[Y:.+]] = "nn.reshape"(%[[X]]) : (tensor<1x1x4x4xf32>) -> tensor<1x16xf32>
// SUB-NEXT: func.return %[[Y]]

// 0 copies the input dimension, -1 takes what is left.
// RUN: %python %S/Inputs/reshape.py %t.rules.onnx zero_and_minus_one
// RUN: fpgaopt %t.rules.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=RULES
// RULES: "nn.reshape"(%{{.+}}) : (tensor<1x2x6xf32>) -> tensor<1x3x4xf32>

// Shape arithmetic through Cast and a float op folds too.
// RUN: %python %S/Inputs/reshape.py %t.arith.onnx shape_arith
// RUN: fpgaopt %t.arith.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=ARITH
// ARITH: "nn.reshape"(%{{.+}}) : (tensor<1x4xf32>) -> tensor<1x4xf32>

// A weight computed from Constant, Transpose and Mul is folded before the MatMul reads it.
// RUN: %python %S/Inputs/reshape.py %t.fold.onnx constant_fold
// RUN: fpgaopt %t.fold.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=FOLD
// FOLD-LABEL: func.func @main
// FOLD: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[2.0, 6.0], [4.0, 8.0]]> : tensor<2x2xf32>}
// FOLD: "nn.dense"(%{{.+}}, %[[W]], %{{.+}})
// FOLD-NOT: nn.mul

// RUN: %python %S/Inputs/reshape.py %t.bad.onnx bad
// RUN: not fpgaopt %t.bad.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: error: node 'r' (Reshape): cannot reshape [1, 6] into [1, 4]

// RUN: %python %S/Inputs/reshape.py %t.computed.onnx computed_shape
// RUN: not fpgaopt %t.computed.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=COMPUTED
// COMPUTED: error: node 'r' (Reshape): the shape (input #1) must be a constant
