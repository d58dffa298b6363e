// The mlir-opt-like command line: pipelines, IR dumps, timing, generic printing, pass listing.
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-canonicalize)' | FileCheck %s
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-canonicalize,nn-to-qdf)' --print-ir-after=nn-canonicalize 2>&1 >/dev/null | FileCheck %s --check-prefix=AFTER
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-canonicalize,nn-to-qdf)' --print-ir-after-all 2>&1 >/dev/null | FileCheck %s --check-prefix=ALL
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-canonicalize)' --timing 2>&1 >/dev/null | FileCheck %s --check-prefix=TIMING
// RUN: fpgaopt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: fpgaopt %s --mlir-print-debuginfo | FileCheck %s --check-prefix=DEBUGINFO
// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-to-qdf{precision=fixed<8,3>})' | FileCheck %s --check-prefix=OPTION
// RUN: fpgaopt --list-passes | FileCheck %s --check-prefix=LIST
// RUN: not fpgaopt %s --pass-pipeline='builtin.module(nn-to-qdf{no-such-option=1})' 2>&1 | FileCheck %s --check-prefix=BADOPT
// RUN: fpgaopt %s -o %t.mlir && fpgaopt %t.mlir | FileCheck %s --check-prefix=ROUNDTRIP

// CHECK-LABEL: func.func @relu_twice
// CHECK: %[[R:.+]] = "nn.relu"(%{{.+}})
// CHECK-NOT: nn.relu
// CHECK: func.return %[[R]]
// AFTER: // -----// IR Dump After nn-canonicalize //----- //
// AFTER-NOT: IR Dump After nn-to-qdf
// ALL: // -----// IR Dump After nn-canonicalize //----- //
// ALL: // -----// IR Dump After nn-to-qdf //----- //
// ALL: qdf.relu
// TIMING: Execution time report
// TIMING: nn-canonicalize
// GENERIC: "builtin.module"() ({
// GENERIC: "func.func"() ({
// GENERIC: "func.return"(%{{.+}}) : (tensor<1x4xf32>) -> ()
// DEBUGINFO: "nn.relu"(%{{.+}}) : (tensor<1x4xf32>) -> tensor<1x4xf32> loc("{{.*}}cli-flags.mlir":{{[0-9]+}}:8)
// OPTION: !qdf.fixed<8, 3, true, "TRN", "WRAP">
// LIST: Passes:
// LIST: import-onnx
// LIST: nn-canonicalize
// LIST: nn-to-qdf
// LIST: precision=...
// LIST: qdf-to-hls
// LIST: Pipelines:
// LIST: onnx-to-hls
// BADOPT: pass 'nn-to-qdf' has no option 'no-such-option'
// ROUNDTRIP: %[[A:.+]] = "nn.relu"(%x)
// ROUNDTRIP: "nn.relu"(%[[A]])

func.func @relu_twice(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {
  %0 = "nn.relu"(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  %1 = "nn.relu"(%0) : (tensor<1x4xf32>) -> tensor<1x4xf32>
  return %1 : tensor<1x4xf32>
}
