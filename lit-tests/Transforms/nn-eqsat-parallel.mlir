// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat)' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat)' 2>&1 >/dev/null | FileCheck %s --check-prefix=REMARK

// Parallel layers reading one input merged into one wider layer (merge-parallel-dense2, a
// multi-pattern rule of dialects/nn/rules/fold.rules), read back with nn.slice.

// dense(x, w1, b1), dense(x, w2, b2) -> slice(dense(x, [w1 w2], [b1 b2]), 0, 2), slice(..., 2, 1)
// REMARK: remark: nn-eqsat: @merge_parallel_dense saturated
// REMARK-SAME: rules: merge-parallel-dense2 x1{{$}}
// CHECK-LABEL: func.func @merge_parallel_dense
// CHECK-SAME: (%[[X:.+]]: tensor<1x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[}}[1.0, 2.0, 5.0], [3.0, 4.0, 6.0]]> : tensor<2x3xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>}
// CHECK-NEXT: %[[D:.+]] = "nn.dense"(%[[X]], %[[W]], %[[B]])
// CHECK-SAME: -> tensor<1x3xf32>
// CHECK-NEXT: %[[S1:.+]] = "nn.slice"(%[[D]]) {axis = -1, size = 2, start = 0} : (tensor<1x3xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: %[[S2:.+]] = "nn.slice"(%[[D]]) {axis = -1, size = 1, start = 2} : (tensor<1x3xf32>) -> tensor<1x1xf32>
// CHECK-NEXT: func.return %[[S1]], %[[S2]]
func.func @merge_parallel_dense(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x1xf32>) {
  %w1 = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b1 = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w2 = "nn.constant"() {value = dense<[[5.0], [6.0]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %b2 = "nn.constant"() {value = dense<[3.0]> : tensor<1xf32>} : () -> tensor<1xf32>
  %d1 = "nn.dense"(%x, %w1, %b1) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d2 = "nn.dense"(%x, %w2, %b2) : (tensor<1x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  func.return %d1, %d2 : tensor<1x2xf32>, tensor<1x1xf32>
}

// -----

// Three parallel layers: one pair merges (the merged layer's weights are new, so it never merges
// again), the third stays.
// REMARK: remark: nn-eqsat: @three_parallel_dense saturated
// REMARK-SAME: rules: merge-parallel-dense2 x3{{$}}
// CHECK-LABEL: func.func @three_parallel_dense
// CHECK-COUNT-2: "nn.slice"
// CHECK-NOT: "nn.slice"
// CHECK: func.return
func.func @three_parallel_dense(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x1xf32>, tensor<1x1xf32>) {
  %w1 = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b1 = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w2 = "nn.constant"() {value = dense<[[5.0], [6.0]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %b2 = "nn.constant"() {value = dense<[3.0]> : tensor<1xf32>} : () -> tensor<1xf32>
  %w3 = "nn.constant"() {value = dense<[[7.0], [8.0]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %d1 = "nn.dense"(%x, %w1, %b1) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d2 = "nn.dense"(%x, %w2, %b2) : (tensor<1x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  %d3 = "nn.dense"(%x, %w3, %b2) : (tensor<1x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  func.return %d1, %d2, %d3 : tensor<1x2xf32>, tensor<1x1xf32>, tensor<1x1xf32>
}

// -----

// Different activations: no merge.
// REMARK: remark: nn-eqsat: @different_activations saturated
// REMARK-NOT: merge-parallel-dense2
// CHECK-LABEL: func.func @different_activations
// CHECK-NOT: "nn.slice"
// CHECK: func.return
func.func @different_activations(%x: tensor<1x2xf32>) -> (tensor<1x2xf32>, tensor<1x1xf32>) {
  %w1 = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b1 = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w2 = "nn.constant"() {value = dense<[[5.0], [6.0]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %b2 = "nn.constant"() {value = dense<[3.0]> : tensor<1xf32>} : () -> tensor<1xf32>
  %d1 = "nn.dense"(%x, %w1, %b1) {activation = "relu"} : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d2 = "nn.dense"(%x, %w2, %b2) : (tensor<1x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  func.return %d1, %d2 : tensor<1x2xf32>, tensor<1x1xf32>
}

// -----

// The merged layer's slices concatenated back are the merged layer (concat-slices).
// REMARK: remark: nn-eqsat: @parallel_dense_concat saturated
// REMARK-SAME: merge-parallel-dense2 x1, concat-slices x1
// CHECK-LABEL: func.func @parallel_dense_concat
// CHECK: %[[D:.+]] = "nn.dense"
// CHECK-SAME: -> tensor<1x3xf32>
// CHECK-NEXT: func.return %[[D]]
func.func @parallel_dense_concat(%x: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %w1 = "nn.constant"() {value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b1 = "nn.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %w2 = "nn.constant"() {value = dense<[[5.0], [6.0]]> : tensor<2x1xf32>} : () -> tensor<2x1xf32>
  %b2 = "nn.constant"() {value = dense<[3.0]> : tensor<1xf32>} : () -> tensor<1xf32>
  %d1 = "nn.dense"(%x, %w1, %b1) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %d2 = "nn.dense"(%x, %w2, %b2) : (tensor<1x2xf32>, tensor<2x1xf32>, tensor<1xf32>) -> tensor<1x1xf32>
  %c = "nn.concat"(%d1, %d2) {axis = 1} : (tensor<1x2xf32>, tensor<1x1xf32>) -> tensor<1x3xf32>
  func.return %c : tensor<1x3xf32>
}
