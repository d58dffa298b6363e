// Conv, Pad, pooling and Transpose import with every attribute explicit (ONNX defaults and auto_pad
// resolved); Identity, Dropout and Cast to float stay ops until nn-canonicalize.

// RUN: %python %S/Inputs/spatial.py %t.conv.onnx conv
// RUN: fpgaopt %t.conv.onnx --pass-pipeline='builtin.module(import-onnx)' --mlir-print-debuginfo | FileCheck %s --check-prefix=CONV
// RUN: fpgaopt %t.conv.onnx --pass-pipeline='builtin.module(import-onnx)' --mlir-print-debuginfo | fpgaopt-mlir-verify %irdl -
// CONV-LABEL: func.func @main
// CONV-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>{{.*}}) -> tensor<1x4x4x6xf32>
// CONV-DAG: %[[W:.+]] = "nn.constant"() {value = dense<"0x{{.+}}"> : tensor<4x3x3x3xf32>}
// CONV-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[0.5, -0.5, 1.0, 0.0]> : tensor<4xf32>}
// CONV: "nn.conv"(%[[X]], %[[W]], %[[B]]) {dilations = [1, 2], group = 1, pads = [0, 1, 2, 1], strides = [2, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x6xf32> loc("conv"(

// A Conv without bias gets a zero bias located at the node.
// RUN: %python %S/Inputs/spatial.py %t.nobias.onnx conv_no_bias
// RUN: fpgaopt %t.nobias.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=NOBIAS
// NOBIAS: %[[B:.+]] = "nn.constant"() {value = dense<[0.0, 0.0, 0.0, 0.0]> : tensor<4xf32>}
// NOBIAS: "nn.conv"(%{{.+}}, %{{.+}}, %[[B]]) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : {{.*}} -> tensor<1x4x6x6xf32>

// RUN: %python %S/Inputs/spatial.py %t.group.onnx conv_group
// RUN: fpgaopt %t.group.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=GROUP
// GROUP: "nn.conv"({{.*}}) {dilations = [1, 1], group = 3, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<6x1x3x3xf32>, tensor<6xf32>) -> tensor<1x6x6x6xf32>

// RUN: %python %S/Inputs/spatial.py %t.conv1d.onnx conv1d
// RUN: fpgaopt %t.conv1d.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CONV1D
// CONV1D: "nn.conv"({{.*}}) {dilations = [1], group = 1, pads = [0, 0], strides = [3]} : (tensor<1x3x10xf32>, tensor<2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x3xf32>

// auto_pad: SAME gives ceil(in / stride) outputs, the odd pad at the end (UPPER) or the start (LOWER).
// RUN: %python %S/Inputs/spatial.py %t.upper.onnx SAME_UPPER
// RUN: fpgaopt %t.upper.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=UPPER
// UPPER: "nn.conv"({{.*}}) {dilations = [1, 1], group = 1, pads = [1, 0, 1, 1], strides = [2, 2]} : {{.*}} -> tensor<1x4x4x4xf32>
// RUN: %python %S/Inputs/spatial.py %t.lower.onnx SAME_LOWER
// RUN: fpgaopt %t.lower.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=LOWER
// LOWER: "nn.conv"({{.*}}) {dilations = [1, 1], group = 1, pads = [1, 1, 1, 0], strides = [2, 2]} : {{.*}} -> tensor<1x4x4x4xf32>
// RUN: %python %S/Inputs/spatial.py %t.valid.onnx VALID
// RUN: fpgaopt %t.valid.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=VALID
// VALID: "nn.conv"({{.*}}) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [2, 2]} : {{.*}} -> tensor<1x4x3x3xf32>

// RUN: %python %S/Inputs/spatial.py %t.autopad.onnx bad_auto_pad
// RUN: not fpgaopt %t.autopad.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=AUTOPAD
// AUTOPAD: error: node 'conv' (Conv): auto_pad 'SAME' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID
// RUN: %python %S/Inputs/spatial.py %t.pads.onnx bad_pads
// RUN: not fpgaopt %t.pads.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=PADS
// PADS: error: node 'conv' (Conv): pads has 3 values, expected 4 for 2 spatial axes
// RUN: %python %S/Inputs/spatial.py %t.kernel.onnx bad_kernel
// RUN: not fpgaopt %t.kernel.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=KERNEL
// KERNEL: error: node 'conv' (Conv): kernel_shape [2, 2] does not match the weight [4, 3, 3, 3]

// Pad: opset 2 attributes, opset 11 inputs, opset 18 axes (negative axes normalised).
// RUN: %python %S/Inputs/spatial.py %t.pad9.onnx pad9
// RUN: fpgaopt %t.pad9.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=PAD9
// PAD9: "nn.pad"(%{{.+}}) {pads = [0, 1, 2, 0, 0, 1], value = -2.0} : (tensor<1x3x4xf32>) -> tensor<1x4x7xf32>
// RUN: %python %S/Inputs/spatial.py %t.pad13.onnx pad13
// RUN: fpgaopt %t.pad13.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=PAD13
// PAD13: "nn.pad"(%{{.+}}) {pads = [0, 0, 1, 2, 0, 0, 3, 0], value = 1.5} : (tensor<1x3x8x8xf32>) -> tensor<1x3x12x10xf32>
// RUN: %python %S/Inputs/spatial.py %t.pad18.onnx pad18
// RUN: fpgaopt %t.pad18.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=PAD18
// PAD18: "nn.pad"(%{{.+}}) {pads = [0, 0, 2, 1, 0, 0, 4, 3], value = 0.0} : (tensor<1x3x8x8xf32>) -> tensor<1x3x14x12xf32>
// RUN: %python %S/Inputs/spatial.py %t.reflect.onnx reflect
// RUN: not fpgaopt %t.reflect.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=REFLECT
// REFLECT: error: node 'pad' (Pad): mode 'reflect' is not supported (only constant padding)

// Pooling: strides 1, no pads, dilations 1 and floor mode by default.
// RUN: %python %S/Inputs/spatial.py %t.max.onnx max_pool
// RUN: fpgaopt %t.max.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=MAX
// MAX: "nn.max_pool"(%{{.+}}) {ceil_mode = false, dilations = [1, 1], kernel_shape = [3, 3], pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x3x8x8xf32>) -> tensor<1x3x6x6xf32>
// RUN: %python %S/Inputs/spatial.py %t.ceil.onnx max_pool_ceil
// RUN: fpgaopt %t.ceil.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CEIL
// CEIL: "nn.max_pool"(%{{.+}}) {ceil_mode = true, {{.*}} -> tensor<1x3x4x4xf32>
// RUN: %python %S/Inputs/spatial.py %t.indices.onnx max_pool_indices
// RUN: not fpgaopt %t.indices.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=INDICES
// INDICES: error: node 'pool' (MaxPool): the Indices output is not supported
// RUN: %python %S/Inputs/spatial.py %t.avg.onnx average_pool
// RUN: fpgaopt %t.avg.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=AVG
// AVG: "nn.average_pool"(%{{.+}}) {ceil_mode = false, count_include_pad = true, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x8xf32>
// RUN: %python %S/Inputs/spatial.py %t.avgdil.onnx average_pool_dilated
// RUN: not fpgaopt %t.avgdil.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=AVGDIL
// AVGDIL: error: node 'averagepool' (AveragePool): dilations [2, 2] are not supported
// RUN: %python %S/Inputs/spatial.py %t.gap.onnx global_average_pool
// RUN: fpgaopt %t.gap.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=GAP
// GAP: "nn.global_average_pool"(%{{.+}}) : (tensor<1x3x8x8xf32>) -> tensor<1x3x1x1xf32>

// A real transpose of a computed tensor is nn.transpose; moving size-1 axes only is a reshape.
// RUN: %python %S/Inputs/spatial.py %t.tr.onnx transpose
// RUN: fpgaopt %t.tr.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=TR
// TR: "nn.transpose"(%{{.+}}) {perm = [0, 2, 3, 1]} : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
// RUN: %python %S/Inputs/spatial.py %t.tr1.onnx transpose_size1
// RUN: fpgaopt %t.tr1.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=TR1
// TR1: "nn.reshape"(%{{.+}}) : (tensor<1x3x1x5xf32>) -> tensor<1x1x3x5xf32>

// Identity, Dropout and Cast to FLOAT of computed tensors stay ops; nn-canonicalize removes them.
// RUN: %python %S/Inputs/spatial.py %t.noop.onnx no_ops
// RUN: fpgaopt %t.noop.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=NOOP
// NOOP-LABEL: func.func @main
// NOOP-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// NOOP-NEXT: %[[I:.+]] = "nn.identity"(%[[X]]) : (tensor<1x4xf32>) -> tensor<1x4xf32>
// NOOP-NEXT: %[[D:.+]] = "nn.dropout"(%[[I]]) : (tensor<1x4xf32>) -> tensor<1x4xf32>
// NOOP-NEXT: %[[C:.+]] = "nn.cast"(%[[D]]) {to = f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
// NOOP-NEXT: func.return %[[C]]
// RUN: fpgaopt %t.noop.onnx --pass-pipeline='builtin.module(import-onnx,nn-canonicalize)' | FileCheck %s --check-prefix=NOOPC
// NOOPC-LABEL: func.func @main
// NOOPC-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// NOOPC-NEXT: func.return %[[X]]
// RUN: %python %S/Inputs/spatial.py %t.train.onnx dropout_training
// RUN: not fpgaopt %t.train.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=TRAIN
// TRAIN: error: node 'dropout' (Dropout): training_mode must be a constant false (inference only)
