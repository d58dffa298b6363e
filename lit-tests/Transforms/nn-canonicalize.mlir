// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-canonicalize)' | FileCheck %s

// One case per pattern of nn-canonicalize, and the cases each pattern must leave alone.

// relu(relu(x)) -> relu(x)
// CHECK-LABEL: func.func @relu_relu
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.relu"(%[[X]])
// CHECK-NEXT: func.return %[[R]], %[[R]]
func.func @relu_relu(%x: tensor<1x4xf32>) -> (tensor<1x4xf32>, tensor<1x4xf32>) {
  %a = "nn.relu"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %b = "nn.relu"(%a) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %c = "nn.relu"(%b) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %a, %c : tensor<1x4xf32>, tensor<1x4xf32>
}

// -----

// identity(x) -> x, dropout(x) -> x, cast(x) -> x when the type does not change
// CHECK-LABEL: func.func @no_op
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.relu"(%[[X]])
// CHECK-NEXT: func.return %[[R]]
func.func @no_op(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %i = "nn.identity"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %r = "nn.relu"(%i) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %d = "nn.dropout"(%r) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %c = "nn.cast"(%d) {to = f32} : (tensor<1x4xf32>) -> tensor<1x4xf32>
  func.return %c : tensor<1x4xf32>
}

// -----

// A cast that changes the type stays.
// CHECK-LABEL: func.func @no_op_keeps_real_cast
// CHECK-NEXT: "nn.cast"(%{{.+}}) {to = f64} : (tensor<1x4xf32>) -> tensor<1x4xf64>
func.func @no_op_keeps_real_cast(%x: tensor<1x4xf32>) -> tensor<1x4xf64> {
  %c = "nn.cast"(%x) {to = f64} : (tensor<1x4xf32>) -> tensor<1x4xf64>
  func.return %c : tensor<1x4xf64>
}

// -----

// A convolution, pad and transpose of constants fold to one constant (the evaluator's values).
// CHECK-LABEL: func.func @fold_conv_of_constants
// CHECK-NEXT: %[[C:.+]] = "nn.constant"() {value = dense<{{\[\[\[}}[3.5], [7.5]]]]> : tensor<1x1x2x1xf32>}
// CHECK-NEXT: func.return %[[C]]
func.func @fold_conv_of_constants() -> tensor<1x1x2x1xf32> {
  %x = "nn.constant"() {value = dense<[[[[1.0, 2.0], [3.0, 4.0]]]]> : tensor<1x1x2x2xf32>} : () -> tensor<1x1x2x2xf32>
  %w = "nn.constant"() {value = dense<1.0> : tensor<1x1x1x2xf32>} : () -> tensor<1x1x1x2xf32>
  %b = "nn.constant"() {value = dense<0.5> : tensor<1xf32>} : () -> tensor<1xf32>
  %p = "nn.pad"(%x) {pads = [0, 0, 0, 0, 0, 0, 0, 1], value = -0.5} : (tensor<1x1x2x2xf32>) -> tensor<1x1x2x3xf32>
  %t = "nn.transpose"(%p) {perm = [0, 1, 2, 3]} : (tensor<1x1x2x3xf32>) -> tensor<1x1x2x3xf32>
  %y = "nn.conv"(%t, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 2]} : (tensor<1x1x2x3xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>) -> tensor<1x1x2x1xf32>
  func.return %y : tensor<1x1x2x1xf32>
}

// -----

// reshape(x) -> x and flatten(x) -> x when nothing changes
// CHECK-LABEL: func.func @identity_reshape
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
// CHECK-NEXT: func.return %[[X]]
func.func @identity_reshape(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = "nn.reshape"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %f = "nn.flatten"(%r) {axis = 1} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %f : tensor<2x3xf32>
}

// -----

// reshape(reshape(x)) -> reshape(x)
// CHECK-LABEL: func.func @reshape_reshape
// CHECK-SAME: (%[[X:.+]]: tensor<1x6xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.reshape"(%[[X]]) : (tensor<1x6xf32>) -> tensor<3x2xf32>
// CHECK-NEXT: func.return %[[R]]
func.func @reshape_reshape(%x: tensor<1x6xf32>) -> tensor<3x2xf32> {
  %a = "nn.reshape"(%x) : (tensor<1x6xf32>) -> tensor<2x3xf32>
  %b = "nn.reshape"(%a) : (tensor<2x3xf32>) -> tensor<6xf32>
  %c = "nn.reshape"(%b) : (tensor<6xf32>) -> tensor<3x2xf32>
  func.return %c : tensor<3x2xf32>
}

// -----

// A chain of reshapes back to the input type disappears.
// CHECK-LABEL: func.func @reshape_round_trip
// CHECK-SAME: (%[[X:.+]]: tensor<1x6xf32>)
// CHECK-NEXT: func.return %[[X]]
func.func @reshape_round_trip(%x: tensor<1x6xf32>) -> tensor<1x6xf32> {
  %a = "nn.reshape"(%x) : (tensor<1x6xf32>) -> tensor<2x3xf32>
  %b = "nn.reshape"(%a) : (tensor<2x3xf32>) -> tensor<1x6xf32>
  func.return %b : tensor<1x6xf32>
}

// -----

// flatten(x) -> reshape(x)
// CHECK-LABEL: func.func @flatten_to_reshape
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x3xf32>)
// CHECK-NEXT: %[[R:.+]] = "nn.reshape"(%[[X]]) : (tensor<1x2x3xf32>) -> tensor<1x6xf32>
// CHECK-NEXT: func.return %[[R]]
func.func @flatten_to_reshape(%x: tensor<1x2x3xf32>) -> tensor<1x6xf32> {
  %f = "nn.flatten"(%x) {axis = 1} : (tensor<1x2x3xf32>) -> tensor<1x6xf32>
  func.return %f : tensor<1x6xf32>
}

// -----

// batch_norm(dense(x, w, b)) -> dense(x, w * s, (b - mean) * s + bias), s = scale / sqrt(var + eps)
// Here s = [2, 1] / sqrt([3, 3] + 1) = [1, 0.5].
// CHECK-LABEL: func.func @fold_bn_into_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-DAG: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>}
// CHECK-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[0.5, 0.5]> : tensor<2xf32>}
// CHECK: %[[Y:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NOT: nn.batch_norm
// CHECK: func.return %[[Y]]
func.func @fold_bn_into_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %scale = "nn.constant"() {value = dense<[2.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bias = "nn.constant"() {value = dense<[0.5, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %mean = "nn.constant"() {value = dense<[1.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %var = "nn.constant"() {value = dense<[3.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = "nn.batch_norm"(%d, %scale, %bias, %mean, %var) {epsilon = 1.0} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// A dense read twice keeps its weights; the batch norm becomes x * s + t instead.
// CHECK-LABEL: func.func @fold_bn_needs_single_use
// CHECK: %[[D:.+]] = "nn.dense"
// CHECK-DAG: %[[S:.+]] = "nn.constant"() {value = dense<[1.0, 0.5]> : tensor<2xf32>}
// CHECK-DAG: %[[T:.+]] = "nn.constant"() {value = dense<[-0.5, 0.0]> : tensor<2xf32>}
// CHECK: %[[M:.+]] = "nn.mul"(%[[D]], %[[S]])
// CHECK: %[[A:.+]] = "nn.add"(%[[M]], %[[T]])
// CHECK: func.return %[[A]], %[[D]]
func.func @fold_bn_needs_single_use(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x2xf32>) {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %scale = "nn.constant"() {value = dense<[2.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bias = "nn.constant"() {value = dense<[0.5, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %mean = "nn.constant"() {value = dense<[1.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %var = "nn.constant"() {value = dense<[3.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %y = "nn.batch_norm"(%d, %scale, %bias, %mean, %var) {epsilon = 1.0} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y, %d : tensor<1x2xf32>, tensor<1x2xf32>
}

// -----

// On a 3-D dense result the batch norm's axis 1 is not the dense's output axis: no fold.
// CHECK-LABEL: func.func @fold_bn_needs_2d_dense
// CHECK: "nn.dense"
// CHECK: "nn.mul"
// CHECK: "nn.add"
func.func @fold_bn_needs_2d_dense(%x: tensor<1x2x2xf32>) -> tensor<1x2x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %p = "nn.constant"() {value = dense<[2.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  %y = "nn.batch_norm"(%d, %p, %p, %p, %p) {epsilon = 1.0} : (tensor<1x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2xf32>
  func.return %y : tensor<1x2x2xf32>
}

// -----

// add(dense(x, w, b), c) -> dense(x, w, b + c), with c on either side
// CHECK-LABEL: func.func @add_into_dense_bias
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-DAG: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 2.0], [3.0, 4.0]]>
// CHECK-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[1.25, 0.25]> : tensor<2xf32>}
// CHECK: %[[Y:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[Y]]
func.func @add_into_dense_bias(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nn.constant"() {value = dense<[[0.5, -0.5]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %k = "nn.constant"() {value = dense<-0.25> : tensor<f32>} : () -> tensor<f32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %a = "nn.add"(%c, %d) : (tensor<1x2xf32>, tensor<1x2xf32>) -> tensor<1x2xf32>
  %e = "nn.add"(%a, %k) : (tensor<1x2xf32>, tensor<f32>) -> tensor<1x2xf32>
  func.return %e : tensor<1x2xf32>
}

// -----

// A constant that varies along the batch axis is not a bias.
// CHECK-LABEL: func.func @add_into_dense_bias_needs_column_constant
// CHECK: %[[D:.+]] = "nn.dense"
// CHECK: "nn.add"(%[[D]], %{{.+}})
func.func @add_into_dense_bias_needs_column_constant(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nn.constant"() {value = dense<[[0.5], [-0.5]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<2x2xf32>
  %a = "nn.add"(%d, %c) : (tensor<2x2xf32>, tensor<2x1xf32>) -> tensor<2x2xf32>
  func.return %a : tensor<2x2xf32>
}

// -----

// mul(dense(x, w, b), c) -> dense(x, w * c, b * c)
// CHECK-LABEL: func.func @mul_into_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-DAG: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[2.0, -2.0], [6.0, -4.0]]>
// CHECK-DAG: %[[B:.+]] = "nn.constant"() {value = dense<[2.0, -1.0]> : tensor<2xf32>}
// CHECK: %[[Y:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[Y]]
func.func @mul_into_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nn.constant"() {value = dense<[2.0, -1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m = "nn.mul"(%d, %c) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %m : tensor<1x2xf32>
}

// -----

// batch_norm(x) -> add(mul(x, s), t) with s, t shaped [C, 1, 1] to broadcast along axis 1
// CHECK-LABEL: func.func @batch_norm_to_affine
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x2xf32>)
// CHECK-DAG: %[[S:.+]] = "nn.constant"() {value = dense<{{\[}}{{\[}}[1.0]], {{\[}}[0.5]]]> : tensor<2x1x1xf32>}
// CHECK-DAG: %[[T:.+]] = "nn.constant"() {value = dense<{{\[}}{{\[}}[-0.5]], {{\[}}[0.0]]]> : tensor<2x1x1xf32>}
// CHECK: %[[M:.+]] = "nn.mul"(%[[X]], %[[S]]) : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
// CHECK: %[[A:.+]] = "nn.add"(%[[M]], %[[T]]) : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
// CHECK: func.return %[[A]]
func.func @batch_norm_to_affine(%x: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %scale = "nn.constant"() {value = dense<[2.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %bias = "nn.constant"() {value = dense<[0.5, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %mean = "nn.constant"() {value = dense<[1.0, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %var = "nn.constant"() {value = dense<[3.0, 3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = "nn.batch_norm"(%x, %scale, %bias, %mean, %var) {epsilon = 1.0} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  func.return %y : tensor<1x2x2x2xf32>
}

// -----

// Batch norm parameters that are computed stay a batch norm.
// CHECK-LABEL: func.func @batch_norm_with_computed_parameters
// CHECK: "nn.batch_norm"
func.func @batch_norm_with_computed_parameters(%x: tensor<1x2xf32>, %p: tensor<2xf32>) -> tensor<1x2xf32> {
  %y = "nn.batch_norm"(%x, %p, %p, %p, %p) {epsilon = 1.0} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

// op(constants) -> constant
// CHECK-LABEL: func.func @constant_fold
// CHECK-NEXT: %[[C:.+]] = "nn.constant"() {value = dense<{{\[}}[4.0, 0.0]]> : tensor<1x2xf32>}
// CHECK-NEXT: func.return %[[C]]
func.func @constant_fold() -> tensor<1x2xf32> {
  %x = "nn.constant"() {value = dense<[[1.0, -1.0]]> : tensor<1x2xf32>} : () -> tensor<1x2xf32>
  %w = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[6.0, -3.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%d) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %r : tensor<1x2xf32>
}

// -----

// Ops whose results nothing reads are erased.
// CHECK-LABEL: func.func @dead_ops
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: func.return %[[X]]
func.func @dead_ops(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %c = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %a = "nn.add"(%x, %c) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %s = "nn.sigmoid"(%a) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %x : tensor<1x2xf32>
}

// -----

// A dense layer with a fused activation (nn-eqsat) is not affine: nothing folds into it.
// CHECK-LABEL: func.func @no_fold_into_activated_dense
// CHECK: "nn.dense"{{.*}}{activation = "relu"}
// CHECK: "nn.mul"
func.func @no_fold_into_activated_dense(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[-2.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) {activation = "relu"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m = "nn.mul"(%d, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %m : tensor<1x2xf32>
}
