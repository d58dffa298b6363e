// RUN: fpgaopt %s | fpgaopt | FileCheck %s
// RUN: fpgaopt %s --mlir-print-op-generic | fpgaopt | FileCheck %s
// RUN: fpgaopt %s --mlir-print-op-generic | fpgaopt-mlir-verify %irdl -

// Every hls op and type parses, verifies, prints back to text that parses again, and verifies in
// real MLIR 22 with the exported IRDL (hls ops only have the generic form there).

// MLIR prints integer type parameters as `8 : i64`; both spellings are the same type.
// CHECK-LABEL: func.func @types
// CHECK-SAME: %{{.+}}: !hls.array<[2, 3], !hls.fixed<8, 3, true, "TRN", "WRAP">>
// CHECK-SAME: %{{.+}}: !hls.array<[4], !hls.fixed<8, 3, false, "RND", "SAT">>
// CHECK-SAME: %{{.+}}: !hls.array<[], si17>
// CHECK-SAME: %{{.+}}: !hls.array<[5], f32>
func.func @types(%a: !hls.array<[2, 3], !hls.fixed<8 : i64, 3 : i64, true, "TRN", "WRAP">>, %b: !hls.array<[4], !hls.fixed<8, 3, false, "RND", "SAT">>, %c: !hls.array<[], si17>, %d: !hls.array<[5], f32>) {
  func.return
}

// A rom of mantissas, a partitioned buffer, a scalar variable; one index per dimension.
// CHECK-LABEL: func.func @memory
// CHECK: %[[W:.+]] = "hls.rom"() {dim = 1, factor = 2, name = "w", partition = "cyclic", value = dense<{{\[}}[1, -2], [3, 7]]> : tensor<2x2xi8>} : () -> !hls.array<[2, 2], !hls.fixed<4, 1, true, "TRN", "WRAP">>
// CHECK: %[[BUF:.+]] = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[2], !hls.fixed<4, 1, true, "TRN", "WRAP">>
// CHECK: %[[ACC:.+]] = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<4, 1, true, "TRN", "WRAP">>
// CHECK: %[[V:.+]] = "hls.load"(%[[W]], %{{.+}}, %{{.+}}) : (!hls.array<[2, 2], !hls.fixed<4, 1, true, "TRN", "WRAP">>, index, index) -> !hls.fixed<4, 1, true, "TRN", "WRAP">
// CHECK: "hls.store"(%[[V]], %[[BUF]], %{{.+}}) : (!hls.fixed<4, 1, true, "TRN", "WRAP">, !hls.array<[2], !hls.fixed<4, 1, true, "TRN", "WRAP">>, index) -> ()
// CHECK: "hls.store"(%[[V]], %[[ACC]]) : (!hls.fixed<4, 1, true, "TRN", "WRAP">, !hls.array<[], !hls.fixed<4, 1, true, "TRN", "WRAP">>) -> ()
func.func @memory() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %w = "hls.rom"() {name = "w", partition = "cyclic", factor = 2, dim = 1, value = dense<[[1, -2], [3, 7]]> : tensor<2x2xi8>} : () -> !hls.array<[2, 2], !hls.fixed<4, 1, true, "TRN", "WRAP">>
  %buf = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[2], !hls.fixed<4, 1, true, "TRN", "WRAP">>
  %acc = "hls.alloca"() : () -> !hls.array<[], !hls.fixed<4, 1, true, "TRN", "WRAP">>
  %v = "hls.load"(%w, %c1, %c0) : (!hls.array<[2, 2], !hls.fixed<4, 1, true, "TRN", "WRAP">>, index, index) -> !hls.fixed<4, 1, true, "TRN", "WRAP">
  "hls.store"(%v, %buf, %c1) : (!hls.fixed<4, 1, true, "TRN", "WRAP">, !hls.array<[2], !hls.fixed<4, 1, true, "TRN", "WRAP">>, index) -> ()
  "hls.store"(%v, %acc) : (!hls.fixed<4, 1, true, "TRN", "WRAP">, !hls.array<[], !hls.fixed<4, 1, true, "TRN", "WRAP">>) -> ()
  func.return
}

// Exact arithmetic in ap_fixed's operator types, then conversions.
// CHECK-LABEL: func.func @arithmetic
// CHECK: %[[P:.+]] = "hls.mul"(%{{.+}}, %{{.+}}) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<4, 1, true, "TRN", "WRAP">) -> !hls.fixed<12, 4, true, "TRN", "WRAP">
// CHECK: %[[S:.+]] = "hls.add"(%{{.+}}, %{{.+}}) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
// CHECK: "hls.sub"(%[[S]], %{{.+}}) : (!hls.fixed<9, 4, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<10, 5, true, "TRN", "WRAP">
// CHECK: "hls.cast"(%[[P]]) : (!hls.fixed<12, 4, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, false, "RND", "SAT">
// CHECK: "hls.cast"(%{{.+}}) : (f32) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
// CHECK: "hls.cast"(%{{.+}}) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> f32
// CHECK: "hls.cast"(%{{.+}}) : (si8) -> ui4
func.func @arithmetic(%x: !hls.fixed<8, 3, true, "TRN", "WRAP">, %w: !hls.fixed<4, 1, true, "TRN", "WRAP">, %f: f32, %i: si8) {
  %p = "hls.mul"(%x, %w) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<4, 1, true, "TRN", "WRAP">) -> !hls.fixed<12, 4, true, "TRN", "WRAP">
  %s = "hls.add"(%x, %x) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
  %d = "hls.sub"(%s, %x) : (!hls.fixed<9, 4, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<10, 5, true, "TRN", "WRAP">
  %r = "hls.cast"(%p) : (!hls.fixed<12, 4, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, false, "RND", "SAT">
  %q = "hls.cast"(%f) : (f32) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %g = "hls.cast"(%x) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> f32
  %n = "hls.cast"(%i) : (si8) -> ui4
  func.return
}

// Comparisons, choices and constants (given by their mantissas).
// CHECK-LABEL: func.func @choices
// CHECK: %[[Z:.+]] = "hls.constant"() {value = 0} : () -> !hls.fixed<8, 3, true, "TRN", "WRAP">
// CHECK: %[[C:.+]] = "hls.cmp"(%{{.+}}, %[[Z]]) {predicate = "ge"} : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> i1
// CHECK: "hls.select"(%[[C]], %{{.+}}, %[[Z]]) : (i1, !hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
// CHECK: "hls.max"(%{{.+}}, %[[Z]])
// CHECK: "hls.min"(%{{.+}}, %[[Z]])
// CHECK: "hls.cmp"(%{{.+}}, %{{.+}}) {predicate = "lt"} : (index, index) -> i1
func.func @choices(%x: !hls.fixed<8, 3, true, "TRN", "WRAP">, %i: index, %j: index) {
  %z = "hls.constant"() {value = 0} : () -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %c = "hls.cmp"(%x, %z) {predicate = "ge"} : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> i1
  %s = "hls.select"(%c, %x, %z) : (i1, !hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %m = "hls.max"(%x, %z) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %n = "hls.min"(%x, %z) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %l = "hls.cmp"(%i, %j) {predicate = "lt"} : (index, index) -> i1
  func.return
}

// Bits: a mantissa as an integer and back on another grid, integer division, indices.
// CHECK-LABEL: func.func @bits
// CHECK: %[[B:.+]] = "hls.bitcast"(%{{.+}}) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> si8
// CHECK: "hls.bitcast"(%[[B]]) : (si8) -> !hls.fixed<8, 0, true, "TRN", "WRAP">
// CHECK: "hls.div"(%{{.+}}, %{{.+}}) : (ui20, ui6) -> ui20
// CHECK: "hls.index_cast"(%[[B]]) : (si8) -> index
// CHECK: "hls.delinearize_index"(%{{.+}}) {basis = [2, 3]} : (index) -> (index, index)
func.func @bits(%x: !hls.fixed<8, 3, true, "TRN", "WRAP">, %a: ui20, %b: ui6, %f: index) {
  %m = "hls.bitcast"(%x) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> si8
  %y = "hls.bitcast"(%m) : (si8) -> !hls.fixed<8, 0, true, "TRN", "WRAP">
  %q = "hls.div"(%a, %b) : (ui20, ui6) -> ui20
  %i = "hls.index_cast"(%m) : (si8) -> index
  %k:2 = "hls.delinearize_index"(%f) {basis = [2, 3]} : (index) -> (index, index)
  func.return
}

// Directives ride on upstream func.func and scf.for as discardable attributes.
// CHECK-LABEL: func.func @top
// CHECK-SAME: {hls.direction = "in", hls.interface = "ap_vld", hls.partition = "complete"}
// CHECK-SAME: attributes {hls.pipeline_ii = 1, hls.top}
// CHECK: scf.for
// CHECK: } {hls.label = "copy", hls.unroll = 0}
func.func @top(%x: !hls.array<[4], f32> {hls.direction = "in", hls.interface = "ap_vld", hls.partition = "complete"}, %y: !hls.array<[4], f32> {hls.direction = "out", hls.interface = "ap_vld"}) attributes {hls.top, hls.pipeline_ii = 1} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = "hls.load"(%x, %i) : (!hls.array<[4], f32>, index) -> f32
    "hls.store"(%v, %y, %i) : (f32, !hls.array<[4], f32>, index) -> ()
  } {hls.unroll = 0, hls.label = "copy"}
  func.return
}
