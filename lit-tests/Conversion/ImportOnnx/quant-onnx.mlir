// ONNX linear quantization: QuantizeLinear -> DequantizeLinear pairs become nn.qdq; integer
// initializers behind DequantizeLinear fold; QLinearMatMul and MatMulInteger become exact integer
// nn.dense chains.

// RUN: %python %S/Inputs/quant.py %t.qdq.onnx qdq
// RUN: fpgaopt %t.qdq.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=QDQ
// QDQ-LABEL: func.func @main
// QDQ-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// QDQ-NOT: nn.quantize_linear
// QDQ: %[[S:.+]] = "nn.constant"() {value = dense<0.1> : tensor<f32>}
// QDQ: %[[Z:.+]] = "nn.constant"() {value = dense<128.0> : tensor<f32>}
// QDQ: %[[Y:.+]] = "nn.qdq"(%[[X]], %[[S]], %[[Z]]) {bit_width = 8, signed = false}
// QDQ: func.return %[[Y]]

// Per axis: the [C] parameters of axis 1 broadcast along the last axis of a [1, C] input.
// RUN: %python %S/Inputs/quant.py %t.axis.onnx qdq_per_axis
// RUN: fpgaopt %t.axis.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=AXIS
// AXIS: %[[S:.+]] = "nn.constant"() {value = dense<[0.5, 0.1, 0.03]> : tensor<3xf32>}
// AXIS: %[[Z:.+]] = "nn.constant"() {value = dense<[-1.0, 0.0, 3.0]> : tensor<3xf32>}
// AXIS: "nn.qdq"(%{{.+}}, %[[S]], %[[Z]]) {bit_width = 8, signed = true} : (tensor<1x3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<1x3xf32>

// int4 at opset 21; opset 10 without a zero point is uint8 with zero point 0.
// RUN: %python %S/Inputs/quant.py %t.int4.onnx qdq_int4
// RUN: fpgaopt %t.int4.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=INT4
// INT4: "nn.qdq"(%{{.+}}, %{{.+}}, %{{.+}}) {bit_width = 4, signed = true}
// RUN: %python %S/Inputs/quant.py %t.op10.onnx qdq_opset10
// RUN: fpgaopt %t.op10.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=OP10
// OP10: %[[Z:.+]] = "nn.constant"() {value = dense<0.0> : tensor<f32>}
// OP10: "nn.qdq"(%{{.+}}, %{{.+}}, %[[Z]]) {bit_width = 8, signed = false}

// int8 weights per output channel behind DequantizeLinear fold to float32 (q - z) * s.
// RUN: %python %S/Inputs/quant.py %t.dqw.onnx dq_weights
// RUN: fpgaopt %t.dqw.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=DQW
// DQW-NOT: nn.qdq
// DQW: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[0.5, -0.5, 0.375], [-2.0, 1.25, -0.75]]> : tensor<2x3xf32>}
// DQW: "nn.dense"(%{{.+}}, %[[W]], %{{.+}}) {order = "mlas_m1"}

// A QuantizeLinear nothing dequantizes yields its integer codes, carried in f32.
// RUN: %python %S/Inputs/quant.py %t.qout.onnx quantize_output
// RUN: fpgaopt %t.qout.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=QOUT
// QOUT: %[[Q:.+]] = "nn.quantize_linear"(%{{.+}}, %{{.+}}, %{{.+}}) {bit_width = 8, signed = true}
// QOUT: func.return %[[Q]]

// QLinearMatMul: codes minus the input zero point, integer dense, float32 rescale by
// a_scale * b_scale / y_scale, requantization (scale 1, y zero point); the DequantizeLinear after it
// multiplies by y_scale.
// RUN: %python %S/Inputs/quant.py %t.qmm.onnx qlinear_matmul
// RUN: fpgaopt %t.qmm.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=QMM
// QMM-LABEL: func.func @main
// QMM: %[[Q:.+]] = "nn.quantize_linear"(%{{.+}}, %{{.+}}, %{{.+}}) {bit_width = 8, signed = false}
// QMM: %[[C:.+]] = "nn.sub"(%[[Q]], %{{.+}})
// QMM: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]]> : tensor<2x3xf32>}
// QMM: %[[ACC:.+]] = "nn.dense"(%[[C]], %[[W]], %{{.+}})
// QMM: %[[M:.+]] = "nn.constant"() {value = dense<[0.0071428576, 0.014285715, 0.021428572]> : tensor<3xf32>}
// QMM: %[[V:.+]] = "nn.mul"(%[[ACC]], %[[M]])
// QMM: %[[ONE:.+]] = "nn.constant"() {value = dense<1.0> : tensor<f32>}
// QMM: %[[YZ:.+]] = "nn.constant"() {value = dense<100.0> : tensor<f32>}
// QMM: %[[R:.+]] = "nn.qdq"(%[[V]], %[[ONE]], %[[YZ]]) {bit_width = 8, signed = false}
// QMM: "nn.mul"(%[[R]], %{{.+}})

// MatMulInteger: the weight zero point is subtracted at import; Cast to float forwards.
// RUN: %python %S/Inputs/quant.py %t.mmi.onnx matmul_integer
// RUN: fpgaopt %t.mmi.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=MMI
// MMI: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[0.0, -3.0, 2.0], [-5.0, 4.0, -7.0]]> : tensor<2x3xf32>}
// MMI: %[[ACC:.+]] = "nn.dense"(%{{.+}}, %[[W]], %{{.+}})
// MMI: "nn.mul"(%[[ACC]], %{{.+}})

// ----- what cannot be exact is refused -----

// RUN: %python %S/Inputs/quant.py %t.big.onnx matmul_integer_overflow
// RUN: not fpgaopt %t.big.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: error: node 'mmi' (MatMulInteger): the integer product may reach 66324480, beyond 2^24, where float32 (the nn dialect's number type) is no longer exact

// RUN: %python %S/Inputs/quant.py %t.dyn.onnx dynamic
// RUN: not fpgaopt %t.dyn.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=DYN
// DYN: error: node 'dyn' (DynamicQuantizeLinear): scales computed from the data at run time are not supported

// RUN: %python %S/Inputs/quant.py %t.dqf.onnx dq_computed_float
// RUN: not fpgaopt %t.dqf.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=DQF
// DQF: error: node 'dq' (DequantizeLinear): the input must hold integer codes

// RUN: %python %S/Inputs/quant.py %t.block.onnx blocked
// RUN: not fpgaopt %t.block.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=BLOCK
// BLOCK: error: node 'q' (QuantizeLinear): blocked quantization of a tensor is not supported
