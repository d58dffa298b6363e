// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-layout)' | FileCheck %s

// qdf-layout moves transposes through per-channel ops by remapping their channel axis or
// transposing their parameters, and reuses a transpose that exists already instead of adding one.

// A per-channel threshold read through a transpose counts channels along axis p[1] = 3.
// CHECK-LABEL: func.func @threshold_per_channel
// CHECK: %[[Y:.+]] = "qdf.threshold"(%x) {axis = 3, {{.*}}thresholds = dense<{{\[}}[3], [-2], [0]]> : tensor<3x1xi16>} : (tensor<1x2x2x3x{{.+}}) -> tensor<1x2x2x3x
// CHECK: %[[T:.+]] = "qdf.transpose"(%[[Y]]) {perm = [0, 3, 1, 2]}
// CHECK: func.return %[[T]]
func.func @threshold_per_channel(%x: tensor<1x2x2x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x2x2x!qdf.fixed<3, 3, true, "TRN", "WRAP">> {
  %t = "qdf.transpose"(%x) {perm = [0, 3, 1, 2]} : (tensor<1x2x2x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x2x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %y = "qdf.threshold"(%t) {base = dense<[-1, 0, 1]> : tensor<3xi8>, step = dense<1> : tensor<1xi8>, thresholds = dense<[[3], [-2], [0]]> : tensor<3x1xi16>} : (tensor<1x3x2x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x2x2x!qdf.fixed<3, 3, true, "TRN", "WRAP">>
  return %y : tensor<1x3x2x2x!qdf.fixed<3, 3, true, "TRN", "WRAP">>
}

// -----

// The same for a per-channel requant, starting from an explicit axis.
// CHECK-LABEL: func.func @requant_per_channel
// CHECK: "qdf.requant"(%x) {axis = 1, {{.*}}multiplier = dense<[3, 5]> : tensor<2xi64>{{.*}}} : (tensor<1x2x4x{{.+}}) -> tensor<1x2x4x
// CHECK: "qdf.transpose"{{.*}}{perm = [0, 2, 1]}
func.func @requant_per_channel(%x: tensor<1x2x4x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">> {
  %t = "qdf.transpose"(%x) {perm = [0, 2, 1]} : (tensor<1x2x4x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %y = "qdf.requant"(%t) {axis = 2 : i64, multiplier = dense<[3, 5]> : tensor<2xi64>, shift = 2 : i64} : (tensor<1x4x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
  return %y : tensor<1x4x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
}

// -----

// A per-tensor requant keeps no axis: nothing depends on positions.
// CHECK-LABEL: func.func @requant_per_tensor
// CHECK: "qdf.requant"(%x) {multiplier = dense<[3]> : tensor<1xi64>, shift = 2}
// CHECK: "qdf.transpose"
func.func @requant_per_tensor(%x: tensor<1x2x4x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">> {
  %t = "qdf.transpose"(%x) {perm = [0, 2, 1]} : (tensor<1x2x4x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %y = "qdf.requant"(%t) {multiplier = dense<3> : tensor<1xi64>, shift = 2 : i64} : (tensor<1x4x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x4x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
  return %y : tensor<1x4x2x!qdf.fixed<8, 8, true, "RND_CONV", "SAT">>
}

// -----

// A per-channel fquant's scale ([C, 1, 1], broadcast over NCHW) is transposed like a constant.
// CHECK-LABEL: func.func @fquant_per_channel
// CHECK: "qdf.fquant"(%x) {{{.*}}scale = dense<{{\[\[\[\[}}0.5, 0.25]]]]> : tensor<1x1x1x2xf32>} : (tensor<1x3x3x2xf32>)
// CHECK: "qdf.transpose"{{.*}}{perm = [0, 3, 1, 2]}
func.func @fquant_per_channel(%x: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">> {
  %t = "qdf.transpose"(%x) {perm = [0, 3, 1, 2]} : (tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  %q = "qdf.fquant"(%t) {max = 127.0, min = -128.0, rounding = "ROUND", scale = dense<[[[0.5]], [[0.25]]]> : tensor<2x1x1xf32>} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  return %q : tensor<1x2x3x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
}

// -----

// Two transposes of one value by one permutation become one (the channels-last layers reading
// them are 1x1 max pools here).
// CHECK-LABEL: func.func @merge_twins
// CHECK: %[[T:.+]] = "qdf.transpose"(%x)
// CHECK-NOT: qdf.transpose
// CHECK: "qdf.max_pool"(%[[T]])
// CHECK: "qdf.max_pool"(%[[T]])
func.func @merge_twins(%x: tensor<1x2x3x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<9, 9, true, "TRN", "WRAP">> {
  %a = "qdf.transpose"(%x) {perm = [0, 2, 3, 1]} : (tensor<1x2x3x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %pa = "qdf.max_pool"(%a) {dilations = [1, 1], kernel = [1, 1], strides = [1, 1]} : (tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %b = "qdf.transpose"(%x) {perm = [0, 2, 3, 1]} : (tensor<1x2x3x3x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %pb = "qdf.max_pool"(%b) {dilations = [1, 1], kernel = [1, 1], strides = [1, 1]} : (tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>
  %s = "qdf.add"(%pa, %pb) : (tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>, tensor<1x3x3x2x!qdf.fixed<8, 8, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<9, 9, true, "TRN", "WRAP">>
  return %s : tensor<1x3x3x2x!qdf.fixed<9, 9, true, "TRN", "WRAP">>
}

// -----

// A residual skip from the model input: the channels-last branch (a 1x1 max pool here) meets the
// NCHW input at the add. The add moves channels-last and its skip operand (a cast) is rebuilt on
// the transpose the branch already reads; one transpose stays at each boundary.
// CHECK-LABEL: func.func @skip_from_input
// CHECK: %[[Q:.+]] = "qdf.quantize"(%x)
// CHECK: %[[T:.+]] = "qdf.transpose"(%[[Q]]) {perm = [0, 2, 3, 1]}
// CHECK: %[[P:.+]] = "qdf.max_pool"(%[[T]])
// CHECK-NOT: qdf.transpose
// CHECK: %[[S:.+]] = "qdf.cast"(%[[T]])
// CHECK: %[[A:.+]] = "qdf.add"(%[[P]], %[[S]]) : {{.*}} -> tensor<1x3x3x2x
// CHECK: %[[D:.+]] = "qdf.dequantize"(%[[A]])
// CHECK: %[[O:.+]] = "qdf.transpose"(%[[D]]) {perm = [0, 3, 1, 2]}
// CHECK: func.return %[[O]]
func.func @skip_from_input(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %t = "qdf.transpose"(%q) {perm = [0, 2, 3, 1]} : (tensor<1x2x3x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %r = "qdf.max_pool"(%t) {dilations = [1, 1], kernel = [1, 1], strides = [1, 1]} : (tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %u = "qdf.transpose"(%r) {perm = [0, 3, 1, 2]} : (tensor<1x3x3x2x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x2x3x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>
  %s = "qdf.cast"(%q) : (tensor<1x2x3x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x2x3x3x!qdf.fixed<6, 4, true, "TRN", "SAT">>
  %a = "qdf.add"(%u, %s) : (tensor<1x2x3x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>, tensor<1x2x3x3x!qdf.fixed<6, 4, true, "TRN", "SAT">>) -> tensor<1x2x3x3x!qdf.fixed<9, 5, true, "TRN", "WRAP">>
  %d = "qdf.dequantize"(%a) : (tensor<1x2x3x3x!qdf.fixed<9, 5, true, "TRN", "WRAP">>) -> tensor<1x2x3x3xf32>
  return %d : tensor<1x2x3x3xf32>
}
