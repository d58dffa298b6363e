// RUN: fpgaopt %s --split-input-file --emit=hls-cpp | FileCheck %s

// How each hls construct prints. Each case is a top function; its body is in firmware/<name>.cpp.

// A value used once, in the same block, with no store, call or loop in between, folds into its
// user; the cast feeding a store is the assignment itself; a cast feeding arithmetic is `T(x)`.
// CHECK-LABEL: // ===== firmware/fold.cpp =====
// CHECK: void fold(const fixed_8_3_t x[4], fixed_8_3_rnd_sat_t y[4]) {
// CHECK:   for (int i = 0; i < 4; i++) {
// CHECK-NEXT:     y[i] = (x[i] * x[i]) + fixed_8_3_t(x[i] * fixed_8_3_t(0.25));
// CHECK-NEXT:   }
func.func @fold(%x: !hls.array<[4], !hls.fixed<8, 3, true, "TRN", "WRAP">> {hls.direction = "in"}, %y: !hls.array<[4], !hls.fixed<8, 3, true, "RND", "SAT">> {hls.direction = "out"}) attributes {hls.top} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %q = "hls.constant"() {value = 8} : () -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  scf.for %i = %c0 to %c4 step %c1 {
    %a = "hls.load"(%x, %i) : (!hls.array<[4], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
    %b = "hls.load"(%x, %i) : (!hls.array<[4], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
    %p = "hls.mul"(%a, %b) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
    %c = "hls.load"(%x, %i) : (!hls.array<[4], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
    %s = "hls.mul"(%c, %q) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<16, 6, true, "TRN", "WRAP">
    %t = "hls.cast"(%s) : (!hls.fixed<16, 6, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
    %u = "hls.add"(%p, %t) : (!hls.fixed<16, 6, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<17, 7, true, "TRN", "WRAP">
    %r = "hls.cast"(%u) : (!hls.fixed<17, 7, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "RND", "SAT">
    "hls.store"(%r, %y, %i) : (!hls.fixed<8, 3, true, "RND", "SAT">, !hls.array<[4], !hls.fixed<8, 3, true, "RND", "SAT">>, index) -> ()
  }
  func.return
}

// -----

// A load does not move past a store: it is read into a variable first. A value used twice is a
// named variable; so is an arithmetic operand of max/min and of the arms of select, whose `?:` needs
// one C++ type on both sides.
// CHECK-LABEL: // ===== firmware/order.cpp =====
// CHECK: void order(fixed_8_3_t x[2], fixed_8_3_t y[2]) {
// CHECK-NEXT:   fixed_8_3_t old = x[0];
// CHECK-NEXT:   x[0] = x[1];
// CHECK-NEXT:   y[0] = old;
// CHECK-NEXT:   fixed_9_4_t sum = x[0] + x[1];
// CHECK-NEXT:   fixed_9_4_t big = sum > fixed_9_4_t(1) ? sum : fixed_9_4_t(1);
// CHECK-NEXT:   fixed_9_4_t sum2 = x[0] + x[1];
// CHECK-NEXT:   y[1] = (big >= sum2) ? fixed_8_3_t(big) : fixed_8_3_t(sum2);
// CHECK-NEXT: }
func.func @order(%x: !hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">> {hls.direction = "in"}, %y: !hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">> {hls.direction = "out"}) attributes {hls.top} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %old = "hls.load"(%x, %c0) : (!hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %next = "hls.load"(%x, %c1) : (!hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  "hls.store"(%next, %x, %c0) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> ()
  "hls.store"(%old, %y, %c0) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> ()
  %a = "hls.load"(%x, %c0) : (!hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %b = "hls.load"(%x, %c1) : (!hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %sum = "hls.add"(%a, %b) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
  %one = "hls.constant"() {value = 32} : () -> !hls.fixed<9, 4, true, "TRN", "WRAP">
  %big = "hls.max"(%sum, %one) : (!hls.fixed<9, 4, true, "TRN", "WRAP">, !hls.fixed<9, 4, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
  %a2 = "hls.load"(%x, %c0) : (!hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %b2 = "hls.load"(%x, %c1) : (!hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %sum2 = "hls.add"(%a2, %b2) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<9, 4, true, "TRN", "WRAP">
  %ge = "hls.cmp"(%big, %sum2) {predicate = "ge"} : (!hls.fixed<9, 4, true, "TRN", "WRAP">, !hls.fixed<9, 4, true, "TRN", "WRAP">) -> i1
  %l = "hls.cast"(%big) : (!hls.fixed<9, 4, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %r = "hls.cast"(%sum2) : (!hls.fixed<9, 4, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  %s = "hls.select"(%ge, %l, %r) : (i1, !hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  "hls.store"(%s, %y, %c1) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> ()
  func.return
}

// -----

// Bits: a bitcast is a declaration plus a range copy; integer division; an index from an integer;
// a flat index split by its basis; wide integer literals.
// CHECK-LABEL: // ===== firmware/bits.cpp =====
// CHECK: void bits(const fixed_8_3_t x[6], int_8_t y[2][3]) {
// CHECK:   for (int f = 0; f < 6; f++) {
// CHECK-NEXT:     int idx = f / 3;
// CHECK-NEXT:     int idx2 = f % 3;
// CHECK-NEXT:     fixed_8_3_t v = x[f];
// CHECK-NEXT:     int_8_t m;
// CHECK-NEXT:     m.range() = v.range();
// CHECK-NEXT:     y[idx][idx2] = (m / uint_3_t(3)) + int_40_t(4000000000LL);
// CHECK-NEXT:     y[0][m.to_int()] = m;
func.func @bits(%x: !hls.array<[6], !hls.fixed<8, 3, true, "TRN", "WRAP">> {hls.direction = "in"}, %y: !hls.array<[2, 3], si8> {hls.direction = "out"}) attributes {hls.top} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c6 = arith.constant 6 : index
  %three = "hls.constant"() {value = 3} : () -> ui3
  %big = "hls.constant"() {value = 4000000000} : () -> si40
  scf.for %f = %c0 to %c6 step %c1 {
    %i:2 = "hls.delinearize_index"(%f) {basis = [2, 3]} : (index) -> (index, index)
    %v = "hls.load"(%x, %f) : (!hls.array<[6], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
    %m = "hls.bitcast"(%v) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> si8
    %q = "hls.div"(%m, %three) : (si8, ui3) -> si8
    %s = "hls.add"(%q, %big) : (si8, si40) -> si41
    %t = "hls.cast"(%s) : (si41) -> si8
    "hls.store"(%t, %y, %i#0, %i#1) : (si8, !hls.array<[2, 3], si8>, index, index) -> ()
    %k = "hls.index_cast"(%m) : (si8) -> index
    "hls.store"(%m, %y, %c0, %k) : (si8, !hls.array<[2, 3], si8>, index, index) -> ()
  }
  func.return
}

// -----

// Directives: interfaces and partitions of arguments, local arrays and roms; loop labels,
// pipelining, partial unrolling, steps.
// CHECK-LABEL: // ===== firmware/directives.cpp =====
// CHECK: void directives(const float x[8][4], float y[8][4]) {
// CHECK-NEXT: #pragma HLS DATAFLOW
// CHECK-NEXT: #pragma HLS INTERFACE m_axi port=x
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=x cyclic factor=2 dim=2
// CHECK-NEXT: #pragma HLS INTERFACE s_axilite port=y
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=table block factor=4 dim=1
// CHECK-NEXT:   float buf[8][4];
// CHECK-NEXT: #pragma HLS ARRAY_PARTITION variable=buf complete dim=2
// CHECK-NEXT:   rows: for (int r = 0; r < 8; r += 2) {
// CHECK-NEXT: #pragma HLS PIPELINE II=3
// CHECK-NEXT:     for (int c = 0; c < 4; c++) {
// CHECK-NEXT: #pragma HLS UNROLL factor=2
// CHECK-NEXT:       buf[r][c] = x[r][c];
// CHECK-NEXT:       y[r][c] = buf[r][c];
func.func @directives(%x: !hls.array<[8, 4], f32> {hls.direction = "in", hls.interface = "m_axi", hls.partition = "cyclic", hls.partition_factor = 2, hls.partition_dim = 2}, %y: !hls.array<[8, 4], f32> {hls.direction = "out", hls.interface = "s_axilite"}) attributes {hls.top, hls.dataflow} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %t = "hls.rom"() {name = "table", partition = "block", factor = 4, dim = 1, value = dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8>} : () -> !hls.array<[8], si8>
  %buf = "hls.alloca"() {partition = "complete", dim = 2} : () -> !hls.array<[8, 4], f32>
  scf.for %r = %c0 to %c8 step %c2 {
    scf.for %c = %c0 to %c4 step %c1 {
      %v = "hls.load"(%x, %r, %c) : (!hls.array<[8, 4], f32>, index, index) -> f32
      "hls.store"(%v, %buf, %r, %c) : (f32, !hls.array<[8, 4], f32>, index, index) -> ()
      %w = "hls.load"(%buf, %r, %c) : (!hls.array<[8, 4], f32>, index, index) -> f32
      "hls.store"(%w, %y, %r, %c) : (f32, !hls.array<[8, 4], f32>, index, index) -> ()
    } {hls.unroll = 2}
  } {hls.pipeline_ii = 3, hls.label = "rows"}
  func.return
}

// -----

// Model names become C identifiers that clash with nothing: keywords, C library names, typedefs.
// Array arguments a function never writes, directly or through a callee, are const.
// CHECK-LABEL: // ===== firmware/layers.h =====
// CHECK: void float_(const float x[2], const float y[2]) {
// CHECK: void exp_(const float x[2], const float y[2]) {
// CHECK: void dense_1(const float x[2], const float y[2]) {
// CHECK-LABEL: // ===== firmware/names.cpp =====
// CHECK: void names(const float in[2], const float out[2]) {
// CHECK: float_(in, tmp);
// CHECK: exp_(tmp, tmp2);
// CHECK: dense_1(tmp2, out);
func.func @"float"(%x: !hls.array<[2], f32>, %y: !hls.array<[2], f32>) {
  func.return
}
func.func @exp(%x: !hls.array<[2], f32>, %y: !hls.array<[2], f32>) {
  func.return
}
func.func @"dense/1"(%x: !hls.array<[2], f32>, %y: !hls.array<[2], f32>) {
  func.return
}
func.func @names(%in: !hls.array<[2], f32> {hls.direction = "in"}, %out: !hls.array<[2], f32> {hls.direction = "out"}) attributes {hls.top} {
  %tmp = "hls.alloca"() : () -> !hls.array<[2], f32>
  func.call @"float"(%in, %tmp) : (!hls.array<[2], f32>, !hls.array<[2], f32>) -> ()
  %tmp2 = "hls.alloca"() : () -> !hls.array<[2], f32>
  func.call @exp(%tmp, %tmp2) : (!hls.array<[2], f32>, !hls.array<[2], f32>) -> ()
  func.call @"dense/1"(%tmp2, %out) : (!hls.array<[2], f32>, !hls.array<[2], f32>) -> ()
  func.return
}
