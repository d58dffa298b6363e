// RUN: not fpgaopt %s --pass-pipeline='builtin.module(nn-eqsat{rules=%S/Inputs/nn-eqsat-bad.rules})' 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not fpgaopt %s --pass-pipeline='builtin.module(nn-eqsat{rules=nope})' 2>&1 | FileCheck %s --check-prefix=GROUP
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-eqsat)' -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-eqsat{iter-limit=1})' -o /dev/null 2>&1 | FileCheck %s --check-prefix=LIMIT

// A malformed rule file is an error naming file:line:col.
// BAD: nn-eqsat-bad.rules:3:26: error: unknown nn op 'nn.frob'
// GROUP: error: unknown rule group 'nope' (groups: activation, cleanup, fold, layout, scale, spatial, or a path ending in .rules)

// The remark names the stop reason, the e-graph's size, the cost and the rules that fired.
// REMARK: remark: nn-eqsat: @main saturated after {{[0-9]+}} iterations, {{[0-9]+}} e-classes, {{[0-9]+}} e-nodes; cost 1854 -> 1239; rules: fuse-relu-into-dense x{{[0-9]+}}, {{.*}}mul-into-dense x1, mul-past-relu x1
// LIMIT: remark: nn-eqsat: @main iteration limit after 1 iterations
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[1.0, 1.0], [3.0, 2.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[1.0, 1.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %s = "nn.constant"() {value = dense<[2.0, 0.5]> : tensor<2xf32>} : () -> tensor<2xf32>
  %d = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %m = "nn.mul"(%d, %s) : (tensor<1x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %r = "nn.relu"(%m) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  func.return %r : tensor<1x2xf32>
}
