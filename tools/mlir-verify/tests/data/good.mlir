"func.func"() ({
^bb0(%v: !hls.fixed<16, 6>):
  %c0 = "arith.constant"() {value = 0 : index} : () -> index
  %c4 = "arith.constant"() {value = 4 : index} : () -> index
  %c1 = "arith.constant"() {value = 1 : index} : () -> index
  %buf = "hls.alloc"() : () -> !hls.array<[4], !hls.fixed<16, 6>>
  "scf.for"(%c0, %c4, %c1) ({
  ^bb0(%i: index):
    "hls.store"(%v, %buf, %i) : (!hls.fixed<16, 6>, !hls.array<[4], !hls.fixed<16, 6>>, index) -> () loc("store_0")
    "scf.yield"() : () -> ()
  }) : (index, index, index) -> () loc("model.onnx":3:5)
  "func.return"() : () -> ()
}) {function_type = (!hls.fixed<16, 6>) -> (), sym_name = "main"} : () -> ()
