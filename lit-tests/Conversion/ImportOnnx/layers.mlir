// Activations, Softmax, BatchNormalization, Flatten and arithmetic map to the nn op of the same meaning.

// RUN: %python %S/Inputs/layers.py %t.relu.onnx Relu
// RUN: fpgaopt %t.relu.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=RELU
// RELU-LABEL: func.func @main
// RELU-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// RELU: "nn.relu"(%[[X]]) : (tensor<1x4xf32>) -> tensor<1x4xf32>

// RUN: %python %S/Inputs/layers.py %t.sigmoid.onnx Sigmoid
// RUN: fpgaopt %t.sigmoid.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SIGMOID
// SIGMOID-LABEL: func.func @main
// SIGMOID: "nn.sigmoid"(%{{.+}}) : (tensor<1x4xf32>) -> tensor<1x4xf32>

// RUN: %python %S/Inputs/layers.py %t.tanh.onnx Tanh
// RUN: fpgaopt %t.tanh.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=TANH
// TANH-LABEL: func.func @main
// TANH: "nn.tanh"(%{{.+}}) : (tensor<1x4xf32>) -> tensor<1x4xf32>

// LeakyRelu's alpha defaults to 0.01; attributes keep the exact f32 value ONNX stores.
// RUN: %python %S/Inputs/layers.py %t.leaky.onnx LeakyRelu
// RUN: fpgaopt %t.leaky.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=LEAKY
// LEAKY-LABEL: func.func @main
// LEAKY: "nn.leaky_relu"(%{{.+}}) {alpha = 0.009999999776482582}
// RUN: %python %S/Inputs/layers.py %t.leaky2.onnx LeakyReluAlpha
// RUN: fpgaopt %t.leaky2.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=LEAKY2
// LEAKY2: "nn.leaky_relu"(%{{.+}}) {alpha = 0.25}

// Clip (opset 11 and later): bounds are constant inputs; an empty name leaves a bound open.
// RUN: %python %S/Inputs/layers.py %t.clip.onnx Clip
// RUN: fpgaopt %t.clip.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CLIP
// CLIP: "nn.clip"(%{{.+}}) {max = 6.0, min = -1.0}
// RUN: %python %S/Inputs/layers.py %t.clipmax.onnx ClipMaxOnly
// RUN: fpgaopt %t.clipmax.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CLIPMAX
// CLIPMAX: "nn.clip"(%{{.+}}) {max = 6.0} :
// RUN: %python %S/Inputs/layers.py %t.clipc.onnx ClipComputed
// RUN: not fpgaopt %t.clipc.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=CLIPC
// CLIPC: error: node 'act' (Clip): min (input #1) must be a constant

// Softmax (opset 13): a negative axis counts from the end.
// RUN: %python %S/Inputs/layers.py %t.softmax.onnx Softmax
// RUN: fpgaopt %t.softmax.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SOFTMAX
// SOFTMAX: "nn.softmax"(%{{.+}}) {axis = 2} : (tensor<1x2x4xf32>) -> tensor<1x2x4xf32>

// Softmax before opset 13 normalises over all axes from `axis` on: reshape, softmax, reshape back.
// RUN: %python %S/Inputs/layers.py %t.softmax11.onnx SoftmaxOpset11
// RUN: fpgaopt %t.softmax11.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SOFTMAX11
// SOFTMAX11: %[[R:.+]] = "nn.reshape"(%{{.+}}) : (tensor<1x2x4xf32>) -> tensor<1x8xf32>
// SOFTMAX11: %[[S:.+]] = "nn.softmax"(%[[R]]) {axis = 1} : (tensor<1x8xf32>) -> tensor<1x8xf32>
// SOFTMAX11: "nn.reshape"(%[[S]]) : (tensor<1x8xf32>) -> tensor<1x2x4xf32>
// RUN: %python %S/Inputs/layers.py %t.softmaxbad.onnx SoftmaxBadAxis
// RUN: not fpgaopt %t.softmaxbad.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=SOFTMAXBAD
// SOFTMAXBAD: error: node 'sm' (Softmax): axis 3 is out of range for rank 3

// RUN: %python %S/Inputs/layers.py %t.bn.onnx BatchNormalization
// RUN: fpgaopt %t.bn.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=BN
// BN-LABEL: func.func @main
// BN-SAME: (%[[X:.+]]: tensor<1x2x3xf32>)
// BN-DAG: %[[S:.+]] = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>}
// BN-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[0.0, 1.0]> : tensor<2xf32>}
// BN-DAG: %[[M:.+]] = "nn.constant"() {value = dense<[0.5, -0.5]> : tensor<2xf32>}
// BN-DAG: %[[V:.+]] = "nn.constant"() {value = dense<[1.0, 4.0]> : tensor<2xf32>}
// BN: "nn.batch_norm"(%[[X]], %[[S]], %[[B]], %[[M]], %[[V]]) {epsilon = 0.0010000000474974513}

// Flatten with a negative axis.
// RUN: %python %S/Inputs/layers.py %t.flatten.onnx Flatten
// RUN: fpgaopt %t.flatten.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=FLATTEN
// FLATTEN: "nn.flatten"(%{{.+}}) {axis = 2} : (tensor<1x2x3x4xf32>) -> tensor<2x12xf32>

// Sub, Mul, Add map directly; Div by 4 becomes a multiplication by 0.25 (exact in f32).
// RUN: %python %S/Inputs/layers.py %t.arith.onnx Arith
// RUN: fpgaopt %t.arith.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=ARITH
// ARITH-LABEL: func.func @main
// ARITH-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// ARITH: %[[C:.+]] = "nn.constant"() {value = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>}
// ARITH: %[[S:.+]] = "nn.sub"(%[[X]], %[[C]])
// ARITH: %[[P:.+]] = "nn.mul"(%[[S]], %[[C]])
// ARITH: %[[Q:.+]] = "nn.constant"() {value = dense<0.25> : tensor<f32>}
// ARITH: %[[D:.+]] = "nn.mul"(%[[P]], %[[Q]])
// ARITH: "nn.add"(%[[D]], %[[X]])
// Division by anything else stays a division: a reciprocal multiply would round differently.
// RUN: %python %S/Inputs/layers.py %t.div3.onnx DivByThree
// RUN: fpgaopt %t.div3.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=DIV3
// DIV3-LABEL: func.func @main
// DIV3-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// DIV3: %[[C:.+]] = "nn.constant"() {value = dense<3.0> : tensor<f32>}
// DIV3: "nn.div"(%[[X]], %[[C]])

// Identity and Dropout stay ops (rewrites see them); nn-canonicalize removes them.
// RUN: %python %S/Inputs/layers.py %t.drop.onnx Dropout
// RUN: fpgaopt %t.drop.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=DROP
// DROP-LABEL: func.func @main
// DROP-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// DROP-NEXT: %[[I:.+]] = "nn.identity"(%[[X]])
// DROP-NEXT: %[[D:.+]] = "nn.dropout"(%[[I]])
// DROP-NEXT: func.return %[[D]]
// RUN: fpgaopt %t.drop.onnx --pass-pipeline='builtin.module(import-onnx,nn-canonicalize)' | FileCheck %s --check-prefix=DROPC
// DROPC-LABEL: func.func @main
// DROPC-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// DROPC-NEXT: func.return %[[X]]
