// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls)' | FileCheck %s
// RUN: fpgaopt %s --pass-pipeline='builtin.module(qdf-to-hls)' --emit=hls-cpp | FileCheck %s --check-prefix=CPP

// The ops of quantized models in hls, each one exact C++ (checked bit for bit against the qdf
// interpreter by passes/tests/emit_quant_ops.rs):
// - qdf.fdense (mlas_m1, K = 3): the products of the pair, the pair plus the total, the single
//   product plus that, then the bias; f32 constants are float roms;
// CHECK-LABEL: func.func @fc1
// CHECK: %[[W:.+]] = "hls.rom"() {name = "fc1_w", partition = "complete", value = dense<{{\[}}[0.5, -0.25], [0.75, 1.0], [-1.0, 0.125]]> : tensor<3x2xf32>} : () -> !hls.array<[3, 2], f32>
// CHECK: %[[P0:.+]] = "hls.mul"(%{{.+}}, %{{.+}}) : (f32, f32) -> f32
// CHECK: %[[P1:.+]] = "hls.mul"(%{{.+}}, %{{.+}}) : (f32, f32) -> f32
// CHECK: %[[S:.+]] = "hls.add"(%[[P0]], %[[P1]]) : (f32, f32) -> f32
// CHECK: %[[T:.+]] = "hls.add"(%[[S]], %{{.+}}) : (f32, f32) -> f32
// CHECK: %[[P2:.+]] = "hls.mul"
// CHECK: %[[U:.+]] = "hls.add"(%[[P2]], %[[T]])
// CHECK: "hls.add"(%[[U]], %{{.+}}) : (f32, f32) -> f32
// CPP: y[0][j] = ((x[0][2] * fc1_w[2][j]) + (((x[0][0] * fc1_w[0][j]) + (x[0][1] * fc1_w[1][j])) + total)) + v;
// - qdf.frelu: x > 0 ? x : 0 (an f32 constant);
// CHECK-LABEL: func.func @relu1
// CHECK: %[[Z:.+]] = "hls.fconstant"() {value = 0.0} : () -> f32
// CHECK: "hls.max"(%{{.+}}, %[[Z]]) : (f32, f32) -> f32
// - qdf.fquant HALF_UP: the float32 division, clamp, |t| + 0.5, one exact floor (TRN cast), the sign;
// CHECK-LABEL: func.func @act1
// CHECK: %[[Q:.+]] = "hls.div"(%{{.+}}, %{{.+}}) : (f32, f32) -> f32
// CHECK: %[[LO:.+]] = "hls.max"(%[[Q]], %{{.+}}) : (f32, f32) -> f32
// CHECK: %[[HI:.+]] = "hls.min"(%[[LO]], %{{.+}}) : (f32, f32) -> f32
// CHECK: %[[NEG:.+]] = "hls.cmp"(%[[HI]], %{{.+}}) {predicate = "lt"} : (f32, f32) -> i1
// CHECK: %[[ABS:.+]] = "hls.select"(%[[NEG]], %{{.+}}, %[[HI]]) : (i1, f32, f32) -> f32
// CHECK: %[[H:.+]] = "hls.add"(%[[ABS]], %{{.+}}) : (f32, f32) -> f32
// CHECK: "hls.cast"(%[[H]]) : (f32) -> !hls.fixed<5, 5, true, "TRN", "WRAP">
// CPP: float v = x[0][i] / 0.3f;
// - qdf.threshold: a count of thresholds reached, then base + step * count as the result's bits;
// CHECK-LABEL: func.func @sign
// CHECK: %[[TH:.+]] = "hls.rom"() {name = "sign_thresholds", value = dense<{{\[}}[3]]> : tensor<1x1xi8>} : () -> !hls.array<[1, 1], !hls.fixed<3, 3, true, "TRN", "WRAP">>
// CHECK: %[[GE:.+]] = "hls.cmp"(%{{.+}}, %{{.+}}) {predicate = "ge"} : (!hls.fixed<4, 4, true, "TRN", "WRAP">, !hls.fixed<3, 3, true, "TRN", "WRAP">) -> i1
// CHECK: "hls.select"(%[[GE]]
// CHECK: %[[M:.+]] = "hls.mul"
// CHECK: %[[A:.+]] = "hls.add"(%{{.+}}, %[[M]])
// CHECK: %[[C:.+]] = "hls.cast"(%[[A]]) : (si6) -> si2
// CHECK: "hls.bitcast"(%[[C]]) : (si2) -> !hls.fixed<2, 2, true, "TRN", "WRAP">
// - qdf.requant: the exact product by the channel's multiplier, 2 more fractional bits, one cast
//   with RND_CONV, the clamp, the result's saturation.
// CHECK-LABEL: func.func @rq
// CHECK: %[[MUL:.+]] = "hls.mul"(%{{.+}}, %{{.+}}) : (!hls.fixed<4, 4, true, "TRN", "WRAP">, si4) -> !hls.fixed<8, 8, true, "TRN", "WRAP">
// CHECK: %[[SH:.+]] = "hls.bitcast"(%[[MUL]]) : (!hls.fixed<8, 8, true, "TRN", "WRAP">) -> !hls.fixed<8, 6, true, "TRN", "WRAP">
// CHECK: %[[R:.+]] = "hls.cast"(%[[SH]]) : (!hls.fixed<8, 6, true, "TRN", "WRAP">) -> !hls.fixed<8, 8, true, "RND_CONV", "WRAP">
// CHECK: %[[MX:.+]] = "hls.max"(%[[R]], %{{.+}})
// CHECK: %[[MN:.+]] = "hls.min"(%[[MX]], %{{.+}})
// CHECK: "hls.cast"(%[[MN]]) {{.*}} -> !hls.fixed<6, 6, true, "RND_CONV", "SAT">
// - qdf.fsoftmax: onnxruntime's exponential and its sum in 2 x 8 lanes.
// CHECK-LABEL: func.func @probs
// CHECK: "hls.exp"(%{{.+}}) : (f32) -> f32
// CPP-LABEL: void probs(
// CPP: float lanes[2][8];
// CPP: float [[E:.+]] = mlas_exp(x[0][[[K:.+]]] - v);
// CPP: lanes[0][[[K]]] = lanes[0][[[K]]] + [[E]];
// CPP: 1.0f / ((((lanes[0][0] + lanes[1][0]) + (lanes[0][1] + lanes[1][1])) + ((lanes[0][2] + lanes[1][2]) + (lanes[0][3] + lanes[1][3]))) + (((lanes[0][4] + lanes[1][4])
func.func @main(%x: tensor<1x3xf32>) -> tensor<1x2xf32> {
  %w = "qdf.fconstant"() {value = dense<[[0.5, -0.25], [0.75, 1.0], [-1.0, 0.125]]> : tensor<3x2xf32>} : () -> tensor<3x2xf32>
  %b = "qdf.fconstant"() {value = dense<[0.1, -0.25]> : tensor<2xf32>} : () -> tensor<2xf32>
  %y = "qdf.fdense"(%x, %w, %b) {order = "mlas_m1"} : (tensor<1x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc1")
  %r = "qdf.frelu"(%y) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("relu1")
  %q = "qdf.fquant"(%r) {max = 7.0, min = 0.0, rounding = "HALF_UP", scale = dense<0.3> : tensor<f32>} : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">> loc("act1")
  %t = "qdf.threshold"(%q) {base = dense<[-1]> : tensor<1xi8>, step = dense<[2]> : tensor<1xi8>, thresholds = dense<[[3]]> : tensor<1x1xi8>} : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">> loc("sign")
  %u = "qdf.requant"(%q) {max = 20, min = -3, multiplier = dense<[3, 5]> : tensor<2xi64>, shift = 2} : (tensor<1x2x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<6, 6, true, "RND_CONV", "SAT">> loc("rq")
  %a = "qdf.add"(%t, %u) : (tensor<1x2x!qdf.fixed<2, 2, true, "TRN", "WRAP">>, tensor<1x2x!qdf.fixed<6, 6, true, "RND_CONV", "SAT">>) -> tensor<1x2x!qdf.fixed<7, 7, true, "TRN", "WRAP">> loc("sum")
  %d = "qdf.dequantize"(%a) : (tensor<1x2x!qdf.fixed<7, 7, true, "TRN", "WRAP">>) -> tensor<1x2xf32> loc("out")
  %s = "qdf.fsoftmax"(%d) {axis = 1 : i64} : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("probs")
  func.return %s : tensor<1x2xf32>
}
