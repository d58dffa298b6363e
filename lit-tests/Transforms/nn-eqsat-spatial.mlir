// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-eqsat{rules=spatial,scale,cleanup})' | FileCheck %s

// Convolutions and pools (dialects/nn/rules/spatial.rules).

// conv(pad(x, zeros on H and W)) -> conv with larger pads
// CHECK-LABEL: func.func @fold_pad_into_conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x3x3xf32>)
// CHECK: %[[Y:.+]] = "nn.conv"(%[[X]], %{{.+}}, %{{.+}}) {dilations = [1, 1], group = 1, pads = [1, 2, 1, 2], strides = [1, 1]}
// CHECK-NEXT: func.return %[[Y]]
func.func @fold_pad_into_conv(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x5xf32> {
  %w = "nn.constant"() {value = dense<1.0> : tensor<1x1x3x3xf32>} : () -> tensor<1x1x3x3xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %p = "nn.pad"(%x) {pads = [0, 0, 1, 1, 0, 0, 1, 1], value = 0.0} : (tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  %y = "nn.conv"(%p, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 1, 0, 1], strides = [1, 1]} : (tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x5xf32>
  func.return %y : tensor<1x1x3x5xf32>
}

// -----

// A non-zero pad value does not fold.
// CHECK-LABEL: func.func @nonzero_pad_stays
// CHECK: "nn.pad"
func.func @nonzero_pad_stays(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %w = "nn.constant"() {value = dense<1.0> : tensor<1x1x3x3xf32>} : () -> tensor<1x1x3x3xf32>
  %b = "nn.constant"() {value = dense<0.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %p = "nn.pad"(%x) {pads = [0, 0, 1, 1, 0, 0, 1, 1], value = 1.0} : (tensor<1x1x3x3xf32>) -> tensor<1x1x5x5xf32>
  %y = "nn.conv"(%p, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x5x5xf32>, tensor<1x1x3x3xf32>, tensor<1xf32>) -> tensor<1x1x3x3xf32>
  func.return %y : tensor<1x1x3x3xf32>
}

// -----

// A positive per-channel scale after a max pool moves before it and into the conv's filters.
// CHECK-LABEL: func.func @scale_before_max_pool_into_conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x4x4xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[\[\[\[}}2.0]]], {{\[\[\[}}0.5]]]]> : tensor<2x1x1x1xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[2.0, 0.5]> : tensor<2xf32>}
// CHECK-NEXT: %[[C:.+]] = "nn.conv"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: %[[P:.+]] = "nn.max_pool"(%[[C]])
// CHECK-NEXT: func.return %[[P]]
func.func @scale_before_max_pool_into_conv(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %w = "nn.constant"() {value = dense<1.0> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[[[2.0]], [[0.5]]]> : tensor<2x1x1xf32>} : () -> tensor<2x1x1xf32>
  %c = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %p = "nn.max_pool"(%c) {ceil_mode = false, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %y = "nn.mul"(%p, %s) : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
  func.return %y : tensor<1x2x2x2xf32>
}

// -----

// batch_norm(conv(x)) -> conv with scaled filters and bias
// CHECK-LABEL: func.func @fold_bn_into_conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x1x2x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[\[\[\[}}1.0]]], {{\[\[\[}}0.5]]]]> : tensor<2x1x1x1xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[1.0, 0.5]> : tensor<2xf32>}
// CHECK-NEXT: %[[C:.+]] = "nn.conv"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[C]]
func.func @fold_bn_into_conv(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = "nn.constant"() {value = dense<1.0> : tensor<2x1x1x1xf32>} : () -> tensor<2x1x1x1xf32>
  %b = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %one = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zero = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "nn.constant"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c = "nn.conv"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %y = "nn.batch_norm"(%c, %one, %zero, %zero, %v) {epsilon = 0.0} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  func.return %y : tensor<1x2x2x2xf32>
}

// -----

// A positive per-channel scale before a max pool moves past it and into the next conv's input channels.
// CHECK-LABEL: func.func @scale_past_max_pool_into_next_conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x4x4xf32>)
// CHECK-NEXT: %[[P:.+]] = "nn.max_pool"(%[[X]])
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[\[\[\[}}2.0]], {{\[\[}}0.5]]]]> : tensor<1x2x1x1xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"()
// CHECK-NEXT: %[[C:.+]] = "nn.conv"(%[[P]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[C]]
func.func @scale_past_max_pool_into_next_conv(%x: tensor<1x2x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %w = "nn.constant"() {value = dense<1.0> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %b = "nn.constant"() {value = dense<1.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %s = "nn.constant"() {value = dense<[[[2.0]], [[0.5]]]> : tensor<2x1x1xf32>} : () -> tensor<2x1x1xf32>
  %m = "nn.mul"(%x, %s) : (tensor<1x2x4x4xf32>, tensor<2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %p = "nn.max_pool"(%m) {ceil_mode = false, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  %c = "nn.conv"(%p, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  func.return %c : tensor<1x1x2x2xf32>
}

// -----

// conv(batch_norm(x)) without padding -> conv with scaled input channels and a shifted bias;
// an add of a per-channel constant after it lands in the bias too
// CHECK-LABEL: func.func @fold_bn_into_next_conv
// CHECK-SAME: (%[[X:.+]]: tensor<1x2x2x2xf32>)
// CHECK-NEXT: %[[W:.+]] = "nn.constant"() {value = dense<{{\[\[\[\[}}1.0]], {{\[\[}}0.5]]]]> : tensor<1x2x1x1xf32>}
// CHECK-NEXT: %[[B:.+]] = "nn.constant"() {value = dense<[4.0]> : tensor<1xf32>}
// CHECK-NEXT: %[[C:.+]] = "nn.conv"(%[[X]], %[[W]], %[[B]])
// CHECK-NEXT: func.return %[[C]]
func.func @fold_bn_into_next_conv(%x: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = "nn.constant"() {value = dense<1.0> : tensor<1x2x1x1xf32>} : () -> tensor<1x2x1x1xf32>
  %b = "nn.constant"() {value = dense<1.0> : tensor<1xf32>} : () -> tensor<1xf32>
  %one = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %zero = "nn.constant"() {value = dense<0.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %v = "nn.constant"() {value = dense<[1.0, 4.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %c1 = "nn.constant"() {value = dense<1.0> : tensor<1x1x1xf32>} : () -> tensor<1x1x1xf32>
  %n = "nn.batch_norm"(%x, %one, %one, %zero, %v) {epsilon = 0.0} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  %c = "nn.conv"(%n, %w, %b) {dilations = [1, 1], group = 1, pads = [0, 0, 0, 0], strides = [1, 1]} : (tensor<1x2x2x2xf32>, tensor<1x2x1x1xf32>, tensor<1xf32>) -> tensor<1x1x2x2xf32>
  %y = "nn.add"(%c, %c1) : (tensor<1x1x2x2xf32>, tensor<1x1x1xf32>) -> tensor<1x1x2x2xf32>
  func.return %y : tensor<1x1x2x2xf32>
}
