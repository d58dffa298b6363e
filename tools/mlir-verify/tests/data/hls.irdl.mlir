// A small IRDL dialect for the smoke test: a parametric type, an op with a typed result, and an op with a
// variadic operand, used inside upstream scf.for.
irdl.dialect @hls {
  irdl.type @fixed {
    %width = irdl.base "#builtin.integer"
    %int_bits = irdl.base "#builtin.integer"
    irdl.parameters(width: %width, int_bits: %int_bits)
  }
  irdl.type @array {
    %shape = irdl.base "#builtin.array"
    %elem = irdl.any
    irdl.parameters(shape: %shape, elem: %elem)
  }
  irdl.operation @alloc {
    %array = irdl.base @hls::@array
    irdl.results(result: %array)
  }
  irdl.operation @store {
    %value = irdl.any
    %array = irdl.base @hls::@array
    %index = irdl.base "!builtin.index"
    irdl.operands(value: %value, array: %array, indices: variadic %index)
  }
}
