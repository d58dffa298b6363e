// Real Brevitas exports from the QONNX model zoo import with their quantizers: the flatten subgraph
// (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) folds to one reshape, the Mul/Sub input
// preprocessing stays, weight quantizers and transposes fold, and the closing batch-norm tail
// (Sub, Pow folded, Div by a non-power-of-two, Mul, Add) stays exact with nn.div.

// RUN: fpgaopt %models/zoo/TFC_2W2A.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=TFC
// TFC-LABEL: func.func @main
// TFC-SAME: (%[[X:.+]]: tensor<1x1x28x28xf32>) -> tensor<1x10xf32>
// TFC: %[[R:.+]] = "nn.reshape"(%[[X]]) : (tensor<1x1x28x28xf32>) -> tensor<1x784xf32>
// TFC: %[[M:.+]] = "nn.mul"(%[[R]], %{{.+}})
// TFC: %[[S:.+]] = "nn.sub"(%[[M]], %{{.+}})
// TFC: %[[Q:.+]] = "nn.quant"(%[[S]], %{{.+}}, %{{.+}}) {bit_width = 2, narrow = true, rounding_mode = "ROUND", signed = true}
// TFC: %[[D:.+]] = "nn.dense"(%[[Q]], %{{.+}}, %{{.+}}) {order = "mlas_m1"} : (tensor<1x784xf32>, tensor<784x64xf32>, tensor<64xf32>) -> tensor<1x64xf32>
// TFC: "nn.batch_norm"(%[[D]]
// TFC-COUNT-3: "nn.quant"
// TFC: "nn.sub"
// TFC: "nn.div"
// TFC: "nn.mul"
// TFC: "nn.add"
// TFC-NEXT: func.return

// RUN: fpgaopt %models/zoo/TFC_1W1A.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=W1A1
// W1A1-COUNT-4: "nn.bipolar_quant"
// W1A1-NOT: "nn.quant"

// Opset 9 and the old FINN domain (QKeras export): int64 zero points and bit widths that are zero
// or integral are read as qonnx computes them.
// RUN: fpgaopt %models/zoo/qkeras_jettagging.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=JET
// JET-COUNT-3: "nn.quant"(%{{.+}}, %{{.+}}, %{{.+}}) {bit_width = 6, narrow = false, rounding_mode = "ROUND", signed = false}
// JET: "nn.softmax"

// Gemm with a run-time weight and a bias: onnxruntime's M = 1 transposed-B kernel, bias first.
// RUN: fpgaopt %models/zoo/unsw_nb15-mlp-w2a2.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=UNSW
// UNSW: "nn.dense"(%{{.+}}, %{{.+}}, %{{.+}}) {bias_first = true, order = "mlas_m1_transposed"} : (tensor<1x600xf32>
// UNSW: "nn.bipolar_quant"
// UNSW-NEXT: func.return

// Per-channel weight scales of kwsmlp fold; all four layers import.
// RUN: fpgaopt %models/zoo/kwsmlp_w3a3.onnx --pass-pipeline='builtin.module(import-onnx,nn-canonicalize)' | FileCheck %s --check-prefix=KWS
// KWS-COUNT-4: "nn.quant"
// KWS: "nn.dense"(%{{.+}}, %{{.+}}, %{{.+}}) {order = "mlas_m1"} : (tensor<1x256xf32>, tensor<256x12xf32>, tensor<12xf32>) -> tensor<1x12xf32>
