// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls)' | FileCheck %s
// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls)' --mlir-print-op-generic | fpgaopt --split-input-file | FileCheck %s

// Each qdf layer becomes one function with loops over its output; @main becomes the top function
// with float arrays at the interface, a local buffer per layer output and one call per layer.

// Constant operands become roms inside the layer; the accumulator is a scalar variable updated with
// an exact product and sum and one cast per step, as qdf.dense's semantics say.
// CHECK-LABEL: func.func @fc1
// CHECK-SAME: (%[[X:.+]]: !hls.array<[1, 2], !hls.fixed<8, 3, true, "RND", "SAT">>, %[[Y:.+]]: !hls.array<[1, 3], !hls.fixed<8, 3, true, "RND", "SAT">>)
// CHECK-SAME: hls.inline
// CHECK-SAME: hls.layer = {acc_type = !hls.fixed<18, 7, true, "TRN", "WRAP">, bias_shape = [3], bias_type = !hls.fixed<16, 6, true, "TRN", "WRAP">, input_shape = [1, 2], input_type = !hls.fixed<8, 3, true, "RND", "SAT">, name = "fc1", op = "dense", output_shape = [1, 3], output_type = !hls.fixed<8, 3, true, "RND", "SAT">, weight_shape = [2, 3], weight_type = !hls.fixed<4, 1, true, "TRN", "WRAP">}
// CHECK-DAG: %[[W:.+]] = "hls.rom"() {name = "fc1_w", partition = "complete", value = dense<{{\[}}[3, -2, 1], [1, 0, -4]]> : tensor<2x3xi8>}
// CHECK-DAG: %[[B:.+]] = "hls.rom"() {name = "fc1_b", partition = "complete", value = dense<[100, -7, 0]>
// CHECK: scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step
// CHECK: %[[ACC:.+]] = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<18, 7, true, "TRN", "WRAP">>
// CHECK: %[[BJ:.+]] = "hls.load"(%[[B]], %[[J]])
// CHECK: %[[B18:.+]] = "hls.cast"(%[[BJ]]) : (!hls.fixed<16, 6, true, "TRN", "WRAP">) -> !hls.fixed<18, 7, true, "TRN", "WRAP">
// CHECK: "hls.store"(%[[B18]], %[[ACC]])
// CHECK: scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step
// CHECK: %[[XK:.+]] = "hls.load"(%[[X]], %{{.+}}, %[[K]])
// CHECK: %[[WK:.+]] = "hls.load"(%[[W]], %[[K]], %[[J]])
// CHECK: %[[P:.+]] = "hls.mul"(%[[XK]], %[[WK]]) : ({{.+}}) -> !hls.fixed<12, 4, true, "TRN", "WRAP">
// CHECK: %[[A:.+]] = "hls.load"(%[[ACC]])
// CHECK: %[[S:.+]] = "hls.add"(%[[A]], %[[P]]) : ({{.+}}) -> !hls.fixed<19, 8, true, "TRN", "WRAP">
// CHECK: %[[S18:.+]] = "hls.cast"(%[[S]]) : (!hls.fixed<19, 8, true, "TRN", "WRAP">) -> !hls.fixed<18, 7, true, "TRN", "WRAP">
// CHECK: "hls.store"(%[[S18]], %[[ACC]])
// CHECK: } {hls.unroll = 0}
// CHECK: %[[R:.+]] = "hls.load"(%[[ACC]])
// CHECK: %[[O:.+]] = "hls.cast"(%[[R]]) : (!hls.fixed<18, 7, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "RND", "SAT">
// CHECK: "hls.store"(%[[O]], %[[Y]], %{{.+}}, %[[J]])
// CHECK: } {hls.unroll = 0}

// relu: convert(max(x, 0)).
// CHECK-LABEL: func.func @relu1
// CHECK: %[[Z:.+]] = "hls.constant"() {value = 0} : () -> !hls.fixed<8, 3, true, "RND", "SAT">
// CHECK: %[[V:.+]] = "hls.load"
// CHECK: %[[M:.+]] = "hls.max"(%[[V]], %[[Z]])
// CHECK: "hls.cast"(%[[M]]) : (!hls.fixed<8, 3, true, "RND", "SAT">) -> !hls.fixed<8, 3, false, "RND", "SAT">

// The top function: float arrays in and out, quantize and dequantize are layers like the others,
// the last layer writes the output argument directly.
// CHECK-LABEL: func.func @main
// CHECK-SAME: (%[[IN:.+]]: !hls.array<[1, 2], f32> {hls.direction = "in", hls.interface = "ap_vld", hls.partition = "complete"}, %[[OUT:.+]]: !hls.array<[1, 3], f32> {hls.direction = "out", hls.interface = "ap_vld", hls.partition = "complete"})
// CHECK-SAME: attributes {hls.pipeline_ii = 1, hls.top}
// CHECK: %[[QB:.+]] = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[1, 2], !hls.fixed<8, 3, true, "RND", "SAT">>
// CHECK: func.call @in_q(%[[IN]], %[[QB]])
// CHECK: %[[FB:.+]] = "hls.alloca"()
// CHECK: func.call @fc1(%[[QB]], %[[FB]])
// CHECK: %[[RB:.+]] = "hls.alloca"()
// CHECK: func.call @relu1(%[[FB]], %[[RB]])
// CHECK: func.call @out_dq(%[[RB]], %[[OUT]])
// CHECK-NEXT: func.return
// CHECK-NOT: qdf.
func.func @main(%x: tensor<1x2xf32>) -> tensor<1x3xf32> {
  %q = "qdf.quantize"(%x) : (tensor<1x2xf32>) -> tensor<1x2x!qdf.fixed<8, 3, true, "RND", "SAT">> loc("in_q")
  %w = "qdf.constant"() {value = dense<[[3, -2, 1], [1, 0, -4]]> : tensor<2x3xi8>} : () -> tensor<2x3x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
  %b = "qdf.constant"() {value = dense<[100, -7, 0]> : tensor<3xi16>} : () -> tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>
  %y = "qdf.dense"(%q, %w, %b) {acc_type = !qdf.fixed<18, 7, true, "TRN", "WRAP">} : (tensor<1x2x!qdf.fixed<8, 3, true, "RND", "SAT">>, tensor<2x3x!qdf.fixed<4, 1, true, "TRN", "WRAP">>, tensor<3x!qdf.fixed<16, 6, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 3, true, "RND", "SAT">> loc("fc1")
  %r = "qdf.relu"(%y) : (tensor<1x3x!qdf.fixed<8, 3, true, "RND", "SAT">>) -> tensor<1x3x!qdf.fixed<8, 3, false, "RND", "SAT">> loc("relu1")
  %d = "qdf.dequantize"(%r) : (tensor<1x3x!qdf.fixed<8, 3, false, "RND", "SAT">>) -> tensor<1x3xf32> loc("out_dq")
  func.return %d : tensor<1x3xf32>
}

// -----

// Broadcasting reads a size-1 dimension at index 0; a constant operand is a rom.
// CHECK-LABEL: func.func @add
// CHECK-SAME: (%[[A:.+]]: !hls.array<[2, 3], !hls.fixed<8, 3, true, "TRN", "WRAP">>, %[[Y:.+]]: !hls.array<[2, 3], !hls.fixed<9, 4, true, "TRN", "SAT">>)
// CHECK: %[[C:.+]] = "hls.rom"() {name = "add_b", partition = "complete", value = dense<{{\[}}[1], [-1]]> : tensor<2x1xi8>}
// CHECK: %[[C0:.+]] = arith.constant 0 : index
// CHECK: scf.for %[[I:.+]] = %[[C0]]
// CHECK: scf.for %[[J:.+]] = %[[C0]]
// CHECK: %[[VA:.+]] = "hls.load"(%[[A]], %[[I]], %[[J]])
// CHECK: %[[VB:.+]] = "hls.load"(%[[C]], %[[I]], %[[C0]])
// CHECK: %[[S:.+]] = "hls.add"(%[[VA]], %[[VB]]) : ({{.+}}) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
// CHECK: %[[O:.+]] = "hls.cast"(%[[S]]) : (!hls.fixed<9, 4, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "SAT">
// CHECK: "hls.store"(%[[O]], %[[Y]], %[[I]], %[[J]])
func.func @main(%x: tensor<2x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<2x3x!qdf.fixed<9, 4, true, "TRN", "SAT">> {
  %c = "qdf.constant"() {value = dense<[[1], [-1]]> : tensor<2x1xi8>} : () -> tensor<2x1x!qdf.fixed<4, 1, true, "TRN", "WRAP">>
  %y = "qdf.add"(%x, %c) : (tensor<2x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>, tensor<2x1x!qdf.fixed<4, 1, true, "TRN", "WRAP">>) -> tensor<2x3x!qdf.fixed<9, 4, true, "TRN", "SAT">>
  func.return %y : tensor<2x3x!qdf.fixed<9, 4, true, "TRN", "SAT">>
}

// -----

// leaky_relu: x >= 0 ? convert(x) : convert(alpha * x), each branch converted once.
// CHECK-LABEL: func.func @leaky_relu
// CHECK-DAG: %[[ALPHA:.+]] = "hls.constant"() {value = 13} : () -> !hls.fixed<8, 0, true, "TRN", "WRAP">
// CHECK-DAG: %[[Z:.+]] = "hls.constant"() {value = 0} : () -> !hls.fixed<8, 3, true, "TRN", "WRAP">
// CHECK: %[[V:.+]] = "hls.load"
// CHECK: %[[GE:.+]] = "hls.cmp"(%[[V]], %[[Z]]) {predicate = "ge"}
// CHECK: %[[D:.+]] = "hls.cast"(%[[V]]) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "RND", "SAT">
// CHECK: %[[P:.+]] = "hls.mul"(%[[V]], %[[ALPHA]]) : ({{.+}}) -> !hls.fixed<16, 3, true, "TRN", "WRAP">
// CHECK: %[[S:.+]] = "hls.cast"(%[[P]]) : (!hls.fixed<16, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "RND", "SAT">
// CHECK: "hls.select"(%[[GE]], %[[D]], %[[S]])

// clip: bounds outside the input type widen it exactly first.
// CHECK-LABEL: func.func @clip
// CHECK-DAG: %[[LO:.+]] = "hls.constant"() {value = -300} : () -> !hls.fixed<10, 5, true, "TRN", "WRAP">
// CHECK-DAG: %[[HI:.+]] = "hls.constant"() {value = 40} : () -> !hls.fixed<10, 5, true, "TRN", "WRAP">
// CHECK: %[[W:.+]] = "hls.cast"(%{{.+}}) : (!hls.fixed<8, 3, true, "RND", "SAT">) -> !hls.fixed<10, 5, true, "TRN", "WRAP">
// CHECK: %[[M:.+]] = "hls.max"(%[[W]], %[[LO]])
// CHECK: %[[N:.+]] = "hls.min"(%[[M]], %[[HI]])
// CHECK: "hls.cast"(%[[N]]) : (!hls.fixed<10, 5, true, "TRN", "WRAP">) -> !hls.fixed<6, 2, true, "TRN", "SAT">
func.func @main(%x: tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<6, 2, true, "TRN", "SAT">> {
  %l = "qdf.leaky_relu"(%x) {alpha = 13 : i64, alpha_type = !qdf.fixed<8, 0, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 3, true, "RND", "SAT">>
  %c = "qdf.clip"(%l) {min = -300 : i64, max = 40 : i64} : (tensor<4x!qdf.fixed<8, 3, true, "RND", "SAT">>) -> tensor<4x!qdf.fixed<6, 2, true, "TRN", "SAT">>
  func.return %c : tensor<4x!qdf.fixed<6, 2, true, "TRN", "SAT">>
}

// -----

// reshape: one flat loop; each side's indices come from delinearizing the flat index over its
// dimensions other than 1.
// CHECK-LABEL: func.func @reshape
// CHECK: scf.for %[[F:.+]] = %{{.+}} to %{{.+}} step
// CHECK: %[[S:.+]]:2 = "hls.delinearize_index"(%[[F]]) {basis = [2, 3]}
// CHECK: %[[D:.+]]:2 = "hls.delinearize_index"(%[[F]]) {basis = [3, 2]}
// CHECK: %[[V:.+]] = "hls.load"(%{{.+}}, %{{.+}}, %[[S]]#0, %[[S]]#1)
// CHECK: "hls.store"(%[[V]], %{{.+}}, %[[D]]#0, %[[D]]#1)

// matmul of computed operands: both are arguments; the accumulator starts at 0.
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.+]]: !hls.array<[1, 2, 3], {{.+}}>, %[[B:.+]]: !hls.array<[3, 2], {{.+}}>, %[[Y:.+]]: !hls.array<[1, 2, 2], {{.+}}>)
// CHECK: %[[Z:.+]] = "hls.constant"() {value = 0} : () -> !hls.fixed<20, 8, true, "TRN", "WRAP">
// CHECK: scf.for %[[I:.+]] =
// CHECK: scf.for %[[J:.+]] =
// CHECK: "hls.store"(%[[Z]], %[[ACC:.+]])
// CHECK: scf.for %[[K:.+]] =
// CHECK: "hls.load"(%[[A]], %{{.+}}, %[[I]], %[[K]])
// CHECK: "hls.load"(%[[B]], %[[K]], %[[J]])
// CHECK-LABEL: func.func @main
// CHECK: func.call @reshape(%{{.+}}, %[[T:[^ ,)]+]])
// CHECK: func.call @matmul(%{{.+}}, %[[T]], %{{.+}})
func.func @main(%x: tensor<1x2x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x2x2x!qdf.fixed<10, 5, true, "TRN", "WRAP">> {
  %t = "qdf.reshape"(%x) : (tensor<1x2x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<3x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>
  %p = "qdf.matmul"(%x, %t) {acc_type = !qdf.fixed<20, 8, true, "TRN", "WRAP">} : (tensor<1x2x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>, tensor<3x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x2x2x!qdf.fixed<10, 5, true, "TRN", "WRAP">>
  func.return %p : tensor<1x2x2x!qdf.fixed<10, 5, true, "TRN", "WRAP">>
}

// -----

// slice: wiring; the loops run over the other axes (none here), the sliced axis is unrolled with
// constant indices.
// CHECK-LABEL: func.func @slice
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C3:.+]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.+]] = arith.constant 4 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK: %[[V0:.+]] = "hls.load"(%{{.+}}, %[[C0]], %[[C3]])
// CHECK: "hls.store"(%[[V0]], %{{.+}}, %[[C0]], %[[C0]])
// CHECK: %[[V1:.+]] = "hls.load"(%{{.+}}, %[[C0]], %[[C4]])
// CHECK: "hls.store"(%[[V1]], %{{.+}}, %[[C0]], %[[C1]])
func.func @main(%x: tensor<1x5x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">> {
  %s = "qdf.slice"(%x) {axis = -1, start = 3, size = 2} : (tensor<1x5x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>
  func.return %s : tensor<1x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>
}

// -----

// concat: per input, its part of the axis copied with constant indices at its offset.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.+]]: !hls.array<[1, 1], {{.+}}>, %[[B:.+]]: !hls.array<[1, 2], {{.+}}>, %[[Y:.+]]: !hls.array<[1, 3], {{.+}}>)
// CHECK-DAG: %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.+]] = arith.constant 2 : index
// CHECK: %[[V0:.+]] = "hls.load"(%[[A]], %[[C0]], %[[C0]])
// CHECK: "hls.store"(%[[V0]], %[[Y]], %[[C0]], %[[C0]])
// CHECK: %[[V1:.+]] = "hls.load"(%[[B]], %[[C0]], %[[C0]])
// CHECK: "hls.store"(%[[V1]], %[[Y]], %[[C0]], %[[C1]])
// CHECK: %[[V2:.+]] = "hls.load"(%[[B]], %[[C0]], %[[C1]])
// CHECK: "hls.store"(%[[V2]], %[[Y]], %[[C0]], %[[C2]])
func.func @main(%a: tensor<1x1x!qdf.fixed<8, 3, true, "TRN", "WRAP">>, %b: tensor<1x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">> {
  %c = "qdf.concat"(%a, %b) {axis = 1} : (tensor<1x1x!qdf.fixed<8, 3, true, "TRN", "WRAP">>, tensor<1x2x!qdf.fixed<8, 3, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>
  func.return %c : tensor<1x3x!qdf.fixed<8, 3, true, "TRN", "WRAP">>
}
