// RUN: fpgaopt %s --split-input-file --pass-pipeline='builtin.module(qdf-to-hls)' | FileCheck %s

// Piecewise-linear tables in exact arithmetic (qdf.semantics::lookup): d = x - lo; the segment is
// d floored onto a grid step_shift bits coarser and read as an integer, clamped to [0, N]; the
// fraction is the remainder read as ufixed<k, 0> (0 below the table); two roms hold the samples and
// the slopes, the last slope 0, so v = sample + floor(slope * fraction).

// CHECK-LABEL: func.func @sigmoid
// CHECK-DAG: %[[T:.+]] = "hls.rom"() {name = "sigmoid_table", value = dense<[10, 20, 40, 60, 70]> : tensor<5xi8>} : () -> !hls.array<[5], !hls.fixed<8, 1, true, "TRN", "WRAP">>
// CHECK-DAG: %[[SL:.+]] = "hls.rom"() {name = "sigmoid_table_slope", value = dense<[10, 20, 20, 10, 0]> : tensor<5xi8>} : () -> !hls.array<[5], !hls.fixed<6, -1, true, "TRN", "WRAP">>
// CHECK-DAG: %[[LO:.+]] = "hls.constant"() {value = -64} : () -> !hls.fixed<7, 1, true, "TRN", "WRAP">
// CHECK: %[[X:.+]] = "hls.load"
// CHECK: %[[D:.+]] = "hls.sub"(%[[X]], %[[LO]]) : ({{.+}}) -> !hls.fixed<11, 5, true, "TRN", "WRAP">
// CHECK: %[[DF:.+]] = "hls.cast"(%[[D]]) : (!hls.fixed<11, 5, true, "TRN", "WRAP">) -> !hls.fixed<7, 5, true, "TRN", "WRAP">
// CHECK: %[[SEG:.+]] = "hls.bitcast"(%[[DF]]) : (!hls.fixed<7, 5, true, "TRN", "WRAP">) -> si7
// CHECK: %[[LOW:.+]] = "hls.max"(%[[SEG]], %{{.+}}) : (si7, si7) -> si7
// CHECK: %[[C:.+]] = "hls.min"(%[[LOW]], %{{.+}}) : (si7, si7) -> si7
// CHECK: %[[N:.+]] = "hls.cast"(%[[C]]) : (si7) -> si4
// CHECK: %[[IDX:.+]] = "hls.index_cast"(%[[N]]) : (si4) -> index
// CHECK: %[[Y0:.+]] = "hls.load"(%[[T]], %[[IDX]])
// CHECK: %[[REM:.+]] = "hls.sub"(%[[D]], %[[DF]])
// CHECK: %[[R4:.+]] = "hls.cast"(%[[REM]]) : (!hls.fixed<12, 6, true, "TRN", "WRAP">) -> !hls.fixed<4, -2, false, "TRN", "WRAP">
// CHECK: %[[FRAC:.+]] = "hls.bitcast"(%[[R4]]) : (!hls.fixed<4, -2, false, "TRN", "WRAP">) -> !hls.fixed<4, 0, false, "TRN", "WRAP">
// CHECK: %[[BELOW:.+]] = "hls.cmp"(%[[SEG]], %{{.+}}) {predicate = "lt"}
// CHECK: %[[F:.+]] = "hls.select"(%[[BELOW]], %{{.+}}, %[[FRAC]])
// CHECK: %[[SLOPE:.+]] = "hls.load"(%[[SL]], %[[IDX]])
// CHECK: %[[P:.+]] = "hls.mul"(%[[SLOPE]], %[[F]])
// CHECK: %[[STEP:.+]] = "hls.cast"(%[[P]]) : ({{.+}}) -> !hls.fixed<6, -1, true, "TRN", "WRAP">
// CHECK: %[[V:.+]] = "hls.add"(%[[Y0]], %[[STEP]])
// CHECK: "hls.cast"(%[[V]]) : ({{.+}}) -> !hls.fixed<8, 1, false, "RND", "SAT">
func.func @main(%x: tensor<4x!qdf.fixed<10, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 1, false, "RND", "SAT">> {
  %y = "qdf.table"(%x) {function = "sigmoid", lo = -64 : i64, step_shift = 4 : i64, table = dense<[10, 20, 40, 60, 70]> : tensor<5xi64>, table_type = !qdf.fixed<8, 1, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<10, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 1, false, "RND", "SAT">> loc("sigmoid")
  func.return %y : tensor<4x!qdf.fixed<8, 1, false, "RND", "SAT">>
}

// -----

// A table without interpolation (step_shift = 0) is a clamped lookup.
// CHECK-LABEL: func.func @table
// CHECK-NOT: _slope
// CHECK: %[[IDX:.+]] = "hls.index_cast"
// CHECK: %[[V:.+]] = "hls.load"(%{{.+}}, %[[IDX]])
// CHECK-NEXT: "hls.cast"(%[[V]])
func.func @main(%x: tensor<4x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 1, false, "RND", "SAT">> {
  %y = "qdf.table"(%x) {function = "tanh", lo = -2 : i64, step_shift = 0 : i64, table = dense<[1, 2, 3, 4, 5]> : tensor<5xi64>, table_type = !qdf.fixed<8, 1, true, "TRN", "WRAP">} : (tensor<4x!qdf.fixed<4, 4, true, "TRN", "WRAP">>) -> tensor<4x!qdf.fixed<8, 1, false, "RND", "SAT">>
  func.return %y : tensor<4x!qdf.fixed<8, 1, false, "RND", "SAT">>
}

// -----

// softmax: a running max, e_k = lookup(x_k - max) kept in a local array while the sum accumulates,
// then floor(e_k * 2^shift / s) on integer mantissas (shift = F_out + F_sum - F_exp = 6 + 6 - 7 = 5), read back on the
// output grid; a non-positive sum gives 0 and a divisor of 1.
// CHECK-LABEL: func.func @softmax
// CHECK-DAG: "hls.rom"() {name = "softmax_exp", value = dense<[1, 2, 4, 8, 16]> : tensor<5xi8>}
// CHECK-DAG: %[[SCALE:.+]] = "hls.constant"() {value = 32} : () -> ui6
// CHECK: %[[MAX:.+]] = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<8, 4, true, "TRN", "WRAP">>
// CHECK: scf.for
// CHECK: "hls.max"
// CHECK: %[[M:.+]] = "hls.load"(%[[MAX]])
// CHECK: %[[E:.+]] = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[3], !hls.fixed<8, 1, false, "TRN", "WRAP">>
// CHECK: %[[SUM:.+]] = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<10, 4, false, "TRN", "WRAP">>
// CHECK: scf.for %[[K:.+]] =
// CHECK: %[[XK:.+]] = "hls.load"
// CHECK: "hls.sub"(%[[XK]], %[[M]])
// CHECK: %[[EK:.+]] = "hls.cast"(%{{.+}}) : ({{.+}}) -> !hls.fixed<8, 1, false, "TRN", "WRAP">
// CHECK: "hls.store"(%[[EK]], %[[E]], %[[K]])
// CHECK: "hls.add"(%{{.+}}, %[[EK]])
// CHECK: %[[S:.+]] = "hls.load"(%[[SUM]])
// CHECK: %[[POS:.+]] = "hls.cmp"(%[[S]], %{{.+}}) {predicate = "gt"} : (!hls.fixed<10, 4, false, "TRN", "WRAP">, ui1) -> i1
// CHECK: %[[SB:.+]] = "hls.bitcast"(%[[S]]) : (!hls.fixed<10, 4, false, "TRN", "WRAP">) -> ui10
// CHECK: %[[DEN:.+]] = "hls.select"(%[[POS]], %[[SB]], %{{.+}}) : (i1, ui10, ui10) -> ui10
// CHECK: scf.for
// CHECK: %[[EB:.+]] = "hls.bitcast"(%{{.+}}) : (!hls.fixed<8, 1, false, "TRN", "WRAP">) -> ui8
// CHECK: %[[NUM:.+]] = "hls.mul"(%[[EB]], %[[SCALE]]) : (ui8, ui6) -> ui14
// CHECK: %[[Q:.+]] = "hls.div"(%[[NUM]], %[[DEN]]) : (ui14, ui10) -> ui14
// CHECK: %[[QF:.+]] = "hls.bitcast"(%[[Q]]) : (ui14) -> !hls.fixed<14, 8, false, "TRN", "WRAP">
// CHECK: %[[Y:.+]] = "hls.cast"(%[[QF]]) : (!hls.fixed<14, 8, false, "TRN", "WRAP">) -> !hls.fixed<8, 2, false, "RND", "SAT">
// CHECK: "hls.select"(%[[POS]], %[[Y]], %{{.+}})
func.func @main(%x: tensor<1x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 2, false, "RND", "SAT">> {
  %y = "qdf.softmax"(%x) {axis = 1 : i64, exp_table = dense<[1, 2, 4, 8, 16]> : tensor<5xi64>, exp_type = !qdf.fixed<8, 1, false, "TRN", "WRAP">, lo = -64 : i64, step_shift = 4 : i64, sum_type = !qdf.fixed<10, 4, false, "TRN", "WRAP">} : (tensor<1x3x!qdf.fixed<8, 4, true, "TRN", "WRAP">>) -> tensor<1x3x!qdf.fixed<8, 2, false, "RND", "SAT">>
  func.return %y : tensor<1x3x!qdf.fixed<8, 2, false, "RND", "SAT">>
}
