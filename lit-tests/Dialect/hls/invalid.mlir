// RUN: fpgaopt %s --split-input-file --verify-diagnostics

// Each verifier rule of the hls dialect and its types, one case per split.

// expected-error @+1 {{invalid '!hls.fixed': width 0 is outside 1..=1024}}
func.func @fixed_zero_width(%x: !hls.fixed<0, 0, true, "TRN", "WRAP">) {
  func.return
}

// -----

// expected-error @+1 {{invalid '!hls.fixed': unknown quantization mode "AP_RND"}}
func.func @fixed_ap_prefixed_mode(%x: !hls.fixed<8, 1, true, "AP_RND", "WRAP">) {
  func.return
}

// -----

// expected-error @+1 {{invalid '!hls.fixed': unknown overflow mode "SATURATE"}}
func.func @fixed_unknown_overflow(%x: !hls.fixed<8, 1, true, "TRN", "SATURATE">) {
  func.return
}

// -----

// expected-error @+1 {{invalid '!hls.array': dimension 0 is not positive}}
func.func @array_empty_dimension(%x: !hls.array<[4, 0], f32>) {
  func.return
}

// -----

// expected-error @+1 {{invalid '!hls.array': element type index is not an hls scalar}}
func.func @array_of_index(%x: !hls.array<[4], index>) {
  func.return
}

// -----

func.func @alloca_unknown_partition() {
  // expected-error @+1 {{'hls.alloca' op unknown partition mode "full"}}
  %a = "hls.alloca"() {partition = "full"} : () -> !hls.array<[4], f32>
  func.return
}

// -----

func.func @alloca_cyclic_without_factor() {
  // expected-error @+1 {{'hls.alloca' op a "cyclic" partition needs a factor}}
  %a = "hls.alloca"() {partition = "cyclic"} : () -> !hls.array<[4], f32>
  func.return
}

// -----

func.func @alloca_partition_dim_beyond_rank() {
  // expected-error @+1 {{'hls.alloca' op partition dimension 3 exceeds the rank 2}}
  %a = "hls.alloca"() {partition = "complete", dim = 3} : () -> !hls.array<[4, 4], f32>
  func.return
}

// -----

func.func @alloca_partitioned_scalar() {
  // expected-error @+1 {{'hls.alloca' op a scalar variable cannot be partitioned}}
  %a = "hls.alloca"() {partition = "complete"} : () -> !hls.array<[], f32>
  func.return
}

// -----

func.func @rom_of_floats() {
  // expected-error @+1 {{'hls.rom' op 'value' must hold integer mantissas}}
  %r = "hls.rom"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> !hls.array<[2], !hls.fixed<8, 3, true, "TRN", "WRAP">>
  func.return
}

// -----

func.func @rom_shape_mismatch() {
  // expected-error @+1 {{'hls.rom' op 'value' has type tensor<2xi8> but the array has dimensions [3]}}
  %r = "hls.rom"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> !hls.array<[3], !hls.fixed<8, 3, true, "TRN", "WRAP">>
  func.return
}

// -----

func.func @rom_mantissa_out_of_range() {
  // expected-error @+1 {{'hls.rom' op mantissa 8 does not fit in !hls.fixed<4, 1, true, "TRN", "WRAP">}}
  %r = "hls.rom"() {value = dense<[1, 8]> : tensor<2xi8>} : () -> !hls.array<[2], !hls.fixed<4, 1, true, "TRN", "WRAP">>
  func.return
}

// -----

func.func @rom_name_not_identifier() {
  // expected-error @+1 {{'hls.rom' op name "fc1/w" is not a C identifier}}
  %r = "hls.rom"() {name = "fc1/w", value = dense<[1, 2]> : tensor<2xi8>} : () -> !hls.array<[2], si8>
  func.return
}

// -----

func.func @load_index_count(%a: !hls.array<[4, 4], f32>, %i: index) {
  // expected-error @+1 {{'hls.load' op expects 2 indices for an array of rank 2, found 1}}
  %v = "hls.load"(%a, %i) : (!hls.array<[4, 4], f32>, index) -> f32
  func.return
}

// -----

func.func @load_result_type(%a: !hls.array<[4], f32>, %i: index) {
  // expected-error @+1 {{'hls.load' op result type si8 is not the element type f32}}
  %v = "hls.load"(%a, %i) : (!hls.array<[4], f32>, index) -> si8
  func.return
}

// -----

func.func @store_value_type(%a: !hls.array<[4], !hls.fixed<8, 3, true, "TRN", "WRAP">>, %v: !hls.fixed<8, 3, true, "RND", "SAT">, %i: index) {
  // expected-error @+1 {{'hls.store' op value type !hls.fixed<8, 3, true, "RND", "SAT"> is not the element type !hls.fixed<8, 3, true, "TRN", "WRAP">}}
  "hls.store"(%v, %a, %i) : (!hls.fixed<8, 3, true, "RND", "SAT">, !hls.array<[4], !hls.fixed<8, 3, true, "TRN", "WRAP">>, index) -> ()
  func.return
}

// -----

func.func @store_to_rom(%v: si8, %i: index) {
  %r = "hls.rom"() {value = dense<[1, 2]> : tensor<2xi8>} : () -> !hls.array<[2], si8>
  // expected-error @+1 {{'hls.store' op cannot store to an 'hls.rom'}}
  "hls.store"(%v, %r, %i) : (si8, !hls.array<[2], si8>, index) -> ()
  func.return
}

// -----

func.func @constant_out_of_range() {
  // expected-error @+1 {{'hls.constant' op mantissa 300 does not fit in !hls.fixed<8, 3, true, "TRN", "WRAP">}}
  %c = "hls.constant"() {value = 300} : () -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  func.return
}

// -----

func.func @constant_too_wide() {
  // expected-error @+1 {{'hls.constant' op constants of si70 are not supported (mantissas of more than 64 bits)}}
  %c = "hls.constant"() {value = 1} : () -> si70
  func.return
}

// -----

func.func @add_too_narrow(%a: !hls.fixed<8, 3, true, "TRN", "WRAP">) {
  // expected-error @+1 {{'hls.add' op result type !hls.fixed<8, 3, true, "TRN", "WRAP"> cannot hold every exact sum (needs ap_fixed<9, 4>)}}
  %s = "hls.add"(%a, %a) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<8, 3, true, "TRN", "WRAP">
  func.return
}

// -----

func.func @mul_drops_fraction(%a: !hls.fixed<8, 3, true, "TRN", "WRAP">) {
  // expected-error @+1 {{'hls.mul' op result type !hls.fixed<16, 8, true, "TRN", "WRAP"> cannot hold every exact product (needs ap_fixed<16, 6>)}}
  %p = "hls.mul"(%a, %a) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, !hls.fixed<8, 3, true, "TRN", "WRAP">) -> !hls.fixed<16, 8, true, "TRN", "WRAP">
  func.return
}

// -----

func.func @sub_unsigned_result(%a: !hls.fixed<8, 3, false, "TRN", "WRAP">) {
  // expected-error @+1 {{'hls.sub' op result type !hls.fixed<12, 6, false, "TRN", "WRAP"> cannot hold every exact difference (needs ap_fixed<9, 4>)}}
  %d = "hls.sub"(%a, %a) : (!hls.fixed<8, 3, false, "TRN", "WRAP">, !hls.fixed<8, 3, false, "TRN", "WRAP">) -> !hls.fixed<12, 6, false, "TRN", "WRAP">
  func.return
}

// -----

func.func @cast_float_to_float(%f: f32) {
  // expected-error @+1 {{'hls.cast' op cannot cast f32 to f32}}
  %g = "hls.cast"(%f) : (f32) -> f32
  func.return
}

// -----

func.func @cast_fixed_to_integer(%x: !hls.fixed<8, 3, true, "TRN", "WRAP">) {
  // expected-error @+1 {{'hls.cast' op cannot cast !hls.fixed<8, 3, true, "TRN", "WRAP"> to an integer type}}
  %i = "hls.cast"(%x) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> si8
  func.return
}

// -----

func.func @max_mixed_types(%a: si8, %b: si9) {
  // expected-error @+1 {{'hls.max' op operand type si9 differs from the result type si8}}
  %m = "hls.max"(%a, %b) : (si8, si9) -> si8
  func.return
}

// -----

func.func @cmp_unknown_predicate(%a: si8) {
  // expected-error @+1 {{'hls.cmp' op unknown predicate "less" (expected eq, ne, lt, le, gt or ge)}}
  %c = "hls.cmp"(%a, %a) {predicate = "less"} : (si8, si8) -> i1
  func.return
}

// -----

func.func @cmp_index_with_number(%a: si8, %i: index) {
  // expected-error @+1 {{'hls.cmp' op cannot compare an index with a number}}
  %c = "hls.cmp"(%a, %i) {predicate = "eq"} : (si8, index) -> i1
  func.return
}

// -----

func.func @select_arm_types(%c: i1, %a: si8, %b: ui8) {
  // expected-error @+1 {{'hls.select' op operand type ui8 differs from the result type si8}}
  %s = "hls.select"(%c, %a, %b) : (i1, si8, ui8) -> si8
  func.return
}

// -----

func.func @bitcast_width(%x: !hls.fixed<8, 3, true, "TRN", "WRAP">) {
  // expected-error @+1 {{'hls.bitcast' op cannot reinterpret !hls.fixed<8, 3, true, "TRN", "WRAP"> as si9: width and signedness must match}}
  %b = "hls.bitcast"(%x) : (!hls.fixed<8, 3, true, "TRN", "WRAP">) -> si9
  func.return
}

// -----

func.func @div_of_fixed(%x: !hls.fixed<8, 3, true, "TRN", "WRAP">, %b: si8) {
  // expected-error @+1 {{'hls.div' op operand #0 ('lhs') must be si/ui integer}}
  %q = "hls.div"(%x, %b) : (!hls.fixed<8, 3, true, "TRN", "WRAP">, si8) -> si9
  func.return
}

// -----

func.func @div_signed_overflow(%a: si8) {
  // expected-error @+1 {{'hls.div' op result type si8 cannot hold every exact quotient (needs ap_fixed<9, 9>)}}
  %q = "hls.div"(%a, %a) : (si8, si8) -> si8
  func.return
}

// -----

func.func @index_cast_too_wide(%a: ui32) {
  // expected-error @+1 {{'hls.index_cast' op ui32 may not fit in an index (at most 32 bits, 31 unsigned)}}
  %i = "hls.index_cast"(%a) : (ui32) -> index
  func.return
}

// -----

func.func @delinearize_result_count(%f: index) {
  // expected-error @+1 {{'hls.delinearize_index' op has 2 results for a basis of 3 elements}}
  %i:2 = "hls.delinearize_index"(%f) {basis = [2, 3, 4]} : (index) -> (index, index)
  func.return
}
