// QONNX quantizers: Quant/IntQuant -> nn.quant, BipolarQuant -> nn.bipolar_quant, Trunc -> nn.trunc,
// in every domain spelling qonnx and the model zoo use; quantized weights fold to constants.

// RUN: %python %S/Inputs/quant.py %t.quant.onnx quant
// RUN: fpgaopt %t.quant.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=QUANT
// QUANT-LABEL: func.func @main
// QUANT-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// QUANT: %[[S:.+]] = "nn.constant"() {value = dense<0.25> : tensor<f32>}
// QUANT: %[[Z:.+]] = "nn.constant"() {value = dense<0.0> : tensor<f32>}
// QUANT: %[[Y:.+]] = "nn.quant"(%[[X]], %[[S]], %[[Z]]) {bit_width = 4, narrow = true, rounding_mode = "HALF_UP", signed = true} : (tensor<1x4xf32>, tensor<f32>, tensor<f32>) -> tensor<1x4xf32>
// QUANT: func.return %[[Y]]

// The same op in the old FINN domain, Brevitas's onnx.brevitas, the default domain, and as IntQuant;
// rounding mode names are case-insensitive.
// RUN: %python %S/Inputs/quant.py %t.finn.onnx finn
// RUN: fpgaopt %t.finn.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SPELLING
// RUN: %python %S/Inputs/quant.py %t.brevitas.onnx brevitas
// RUN: fpgaopt %t.brevitas.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SPELLING
// RUN: %python %S/Inputs/quant.py %t.default.onnx default
// RUN: fpgaopt %t.default.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SPELLING
// RUN: %python %S/Inputs/quant.py %t.intquant.onnx intquant
// RUN: fpgaopt %t.intquant.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SPELLING
// SPELLING: "nn.quant"(%{{.+}}, %{{.+}}, %{{.+}}) {bit_width = 3, narrow = false, rounding_mode = "FLOOR", signed = false}

// A per-channel weight quantizer and the Transpose after it fold: the MatMul reads a ready [K, N]
// weight, summed in onnxruntime's order for weights it computes at run time.
// RUN: %python %S/Inputs/quant.py %t.weights.onnx weights
// RUN: fpgaopt %t.weights.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=WEIGHTS
// WEIGHTS-LABEL: func.func @main
// WEIGHTS-NOT: nn.quant
// WEIGHTS: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[0.5, 1.25], [-0.5, 0.0], [1.0, -0.25]]> : tensor<3x2xf32>}
// WEIGHTS: "nn.dense"(%{{.+}}, %[[W]], %{{.+}}) {order = "mlas_m1"}

// RUN: %python %S/Inputs/quant.py %t.bipolar.onnx bipolar
// RUN: fpgaopt %t.bipolar.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=BIPOLAR
// BIPOLAR: %[[S:.+]] = "nn.constant"() {value = dense<1.0> : tensor<f32>}
// BIPOLAR: "nn.bipolar_quant"(%{{.+}}, %[[S]]) : (tensor<1x4xf32>, tensor<f32>) -> tensor<1x4xf32>

// Trunc version 2 (the model imports the domain at version 2): shift = log2(out_scale / scale),
// clamp to the output bits, output zero point zero_point / 2^shift.
// RUN: %python %S/Inputs/quant.py %t.trunc2.onnx trunc_v2
// RUN: fpgaopt %t.trunc2.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=TRUNC2
// TRUNC2: %[[S:.+]] = "nn.constant"() {value = dense<0.125> : tensor<f32>}
// TRUNC2: %[[Z:.+]] = "nn.constant"() {value = dense<0.0> : tensor<f32>}
// TRUNC2: %[[OS:.+]] = "nn.constant"() {value = dense<2.0> : tensor<f32>}
// TRUNC2: %[[OZ:.+]] = "nn.constant"() {value = dense<0.0> : tensor<f32>}
// TRUNC2: "nn.trunc"(%{{.+}}, %[[S]], %[[Z]], %[[OS]], %[[OZ]]) {narrow = false, output_bit_width = 4, rounding_mode = "FLOOR", shift = 4, signed = true}

// Trunc version 1: shift = in_bits - out_bits, no clamp, the input's scale and zero point at the end.
// RUN: %python %S/Inputs/quant.py %t.trunc1.onnx trunc_v1
// RUN: fpgaopt %t.trunc1.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=TRUNC1
// TRUNC1: %[[S:.+]] = "nn.constant"() {value = dense<0.125> : tensor<f32>}
// TRUNC1: %[[Z:.+]] = "nn.constant"() {value = dense<0.0> : tensor<f32>}
// TRUNC1: "nn.trunc"(%{{.+}}, %[[S]], %[[Z]], %[[S]], %[[Z]]) {narrow = false, rounding_mode = "ROUND", shift = 4, signed = true}

// ----- malformed quantizers: the diagnostic names the node -----

// RUN: %python %S/Inputs/quant.py %t.zero.onnx zero_bits
// RUN: not fpgaopt %t.zero.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=ZERO
// ZERO: .zero.onnx: error: node 'bad_q' (Quant): bit width 0 is out of range (1 to 32)

// RUN: %python %S/Inputs/quant.py %t.wide.onnx too_many_bits
// RUN: not fpgaopt %t.wide.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=WIDE
// WIDE: error: node 'bad_q' (Quant): bit width 33 is out of range (1 to 32)

// RUN: %python %S/Inputs/quant.py %t.neg.onnx negative_scale
// RUN: not fpgaopt %t.neg.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=NEG
// NEG: error: node 'bad_q' (Quant): scale must be positive and finite, got -0.5

// RUN: %python %S/Inputs/quant.py %t.chan.onnx channel_mismatch
// RUN: not fpgaopt %t.chan.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=CHAN
// CHAN: error: node 'bad_q' (Quant): scale of shape [32] does not match the input shape [1, 64]

// RUN: %python %S/Inputs/quant.py %t.round.onnx bad_rounding
// RUN: not fpgaopt %t.round.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=ROUND
// ROUND: error: node 'bad_q' (Quant): rounding_mode 'STOCHASTIC' is not one of ROUND, CEIL, FLOOR, UP, DOWN, HALF_UP, HALF_DOWN (QONNX)

// RUN: %python %S/Inputs/quant.py %t.computed.onnx computed_scale
// RUN: not fpgaopt %t.computed.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=COMPUTED
// COMPUTED: error: node 'bad_q' (Quant): the scale (input #1) must be a constant

// qonnx computes in numpy: an int64 zero point that is not zero would make it compute in float64.
// RUN: %python %S/Inputs/quant.py %t.i64.onnx int64_zero_point
// RUN: not fpgaopt %t.i64.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=I64
// I64: error: node 'bad_q' (Quant): a float64 or int32/int64 scale or zero point makes qonnx compute this quantizer in float64

// RUN: %python %S/Inputs/quant.py %t.version.onnx trunc_version_mismatch
// RUN: not fpgaopt %t.version.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=VERSION
// VERSION: error: node 'trunc' (Trunc): Trunc version 2 takes 6 inputs, got 5 (the version is the model's opset for domain 'qonnx.custom_op.general')
