// The precision option and per-layer overrides from a JSON config, keyed by location name.

// RUN: fpgaopt %s --pass-pipeline='builtin.module(nn-to-qdf{precision=fixed<12,4,RND_CONV,SAT>})' | FileCheck %s --check-prefix=PREC
// PREC-LABEL: func.func @two_layers
// PREC: "qdf.quantize"(%{{.+}}) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<12, 4, true, "RND_CONV", "SAT">>
// PREC: "qdf.dense"({{.+}}) {acc_type = !qdf.fixed<{{[0-9]+}}, {{[0-9]+}}, true, "TRN", "WRAP">}
// PREC-SAME: -> tensor<1x2x!qdf.fixed<12, 4, true, "RND_CONV", "SAT">>

// RUN: echo '{"input": "fixed<10,3>", "layers": {"fc1": {"result": "fixed<12,4>", "weight": "fixed<8,1>", "bias": "fixed<12,4>", "rounding": "RND", "overflow": "SAT"}, "act": {"result": "ufixed<8,3>"}, "fc2": {"acc": "fixed<40,12>"}}}' > %t.json
// RUN: fpgaopt %s --pass-pipeline="builtin.module(nn-to-qdf{config=%t.json})" | FileCheck %s --check-prefix=CFG
// CFG-LABEL: func.func @two_layers
// CFG: %[[Q:.+]] = "qdf.quantize"(%{{.+}}) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<10, 3, true, "TRN", "WRAP">>
// Weights 0.5, -0.25, 1.0, 0.75 with 7 fractional bits; biases with 8.
// CFG-DAG: %[[W1:.+]] = "qdf.constant"() {value = dense<{{\[}}[64, -32], [127, 96]]> : tensor<2x2xi8>} : () -> tensor<2x2x!qdf.fixed<8, 1, true, "TRN", "WRAP">>
// CFG-DAG: %[[B1:.+]] = "qdf.constant"() {value = dense<[26, -51]> : tensor<2xi16>} : () -> tensor<2x!qdf.fixed<12, 4, true, "TRN", "WRAP">>
// Fa = max(7 + 7, 8) = 14; bound max_j: (64 + 127) * 2^9 + 26 * 2^6 = 99456 < 2^17, so 17 bits + sign.
// CFG: %[[Y1:.+]] = "qdf.dense"(%[[Q]], %[[W1]], %[[B1]]) {acc_type = !qdf.fixed<18, 4, true, "TRN", "WRAP">}
// CFG-SAME: -> tensor<1x2x!qdf.fixed<12, 4, true, "RND", "SAT">>
// CFG: %[[A:.+]] = "qdf.relu"(%[[Y1]]) : (tensor<1x2x!qdf.fixed<12, 4, true, "RND", "SAT">>) -> tensor<1x2x!qdf.fixed<8, 3, false, "TRN", "WRAP">>
// Unnamed layers keep the default fixed<16,6>; the config's acc replaces the computed one.
// CFG: %[[Y2:.+]] = "qdf.dense"(%[[A]], %{{.+}}, %{{.+}}) {acc_type = !qdf.fixed<40, 12, true, "TRN", "WRAP">}
// CFG-SAME: (tensor<1x2x!qdf.fixed<8, 3, false, "TRN", "WRAP">>, tensor<2x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>, tensor<2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<16, 6, true, "TRN", "WRAP">>

// A layer's reuse factor rides on its qdf ops to qdf-to-hls, which pipelines its loop at that II.
// RUN: echo '{"layers": {"fc2": {"reuse": 4}}}' > %t.reuse.json
// RUN: fpgaopt %s --pass-pipeline="builtin.module(nn-to-qdf{config=%t.reuse.json})" | FileCheck %s --check-prefix=REUSE
// RUN: fpgaopt %s --pass-pipeline="builtin.module(nn-to-qdf{config=%t.reuse.json},qdf-to-hls{io=serial})" | FileCheck %s --check-prefix=REUSE-HLS
// REUSE: "qdf.dense"({{.+}}) {acc_type = {{.+}}} :
// REUSE: "qdf.dense"({{.+}}) {acc_type = {{.+}}, qdf.reuse = 4}
// REUSE-HLS-LABEL: func.func @fc1(
// REUSE-HLS: hls.pipeline_ii = 1
// REUSE-HLS-LABEL: func.func @fc2(
// REUSE-HLS: hls.pipeline_ii = 4
func.func @two_layers(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[0.5, -0.25], [1.0, 0.75]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[0.1, -0.2]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %a = "nn.relu"(%y) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("act")
  %z = "nn.dense"(%a, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc2")
  func.return %z : tensor<1x2xf32>
}
