"func.func"() ({
^bb0(%v: !hls.fixed<16, 6>, %i: i32):
  %buf = "hls.alloc"() : () -> !hls.array<[4], !hls.fixed<16, 6>>
  "hls.store"(%v, %buf, %i) : (!hls.fixed<16, 6>, !hls.array<[4], !hls.fixed<16, 6>>, i32) -> ()
  "func.return"() : () -> ()
}) {function_type = (!hls.fixed<16, 6>, i32) -> (), sym_name = "main"} : () -> ()
