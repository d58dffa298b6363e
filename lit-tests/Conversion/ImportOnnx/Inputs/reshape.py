"""Reshape by a constant shape and by the Brevitas Shape/Gather/Unsqueeze/Concat flatten subgraph."""

import numpy as np

from onnx_builder import const, node, save, tensor, variant

v = variant("subgraph")
if v == "subgraph":
    # flatten(x) as Brevitas exports it: reshape(x, concat(unsqueeze(shape(x)[0]), [-1]))
    save([
        node("Shape", ["x"], ["shape"], name="Shape_0"),
        node("Gather", ["shape", "zero"], ["batch"], name="Gather_2", axis=0),
        node("Unsqueeze", ["batch", "axes"], ["batch1"], name="Unsqueeze_3"),
        node("Concat", ["batch1", "minus_one"], ["target"], name="Concat_4", axis=0),
        node("Reshape", ["x", "target"], ["y"], name="Reshape_5"),
    ], [tensor("x", ["batch", 1, 4, 4])], [tensor("y", ["batch", 16])],
       [const("zero", 0, np.int64), const("axes", [0], np.int64), const("minus_one", [-1], np.int64)])
elif v == "zero_and_minus_one":
    save([node("Reshape", ["x", "shape"], ["y"], name="r")], [tensor("x", [1, 2, 6])], [tensor("y", [1, 3, 4])],
         [const("shape", [0, 3, -1], np.int64)])
elif v == "shape_arith":
    save([node("Shape", ["x"], ["s"], name="shape"), node("Cast", ["s"], ["f"], name="cast", to=1),
          node("Relu", ["f"], ["g"], name="relu"), node("Cast", ["g"], ["t"], name="cast2", to=7),
          node("Reshape", ["x", "t"], ["y"], name="r")], [tensor("x", [1, 4])], [tensor("y", [1, 4])])
elif v == "computed_shape":
    save([node("Reshape", ["x", "x"], ["y"], name="r")], [tensor("x", [1, 4])], [tensor("y", [1, 4])], check=False)
elif v == "bad":
    save([node("Reshape", ["x", "shape"], ["y"], name="r")], [tensor("x", [1, 6])], [tensor("y", [1, 4])],
         [const("shape", [1, 4], np.int64)], check=False)
elif v == "constant_fold":
    # A weight computed by constant nodes: W = transpose(c) * 2, then a Gemm.
    save([
        node("Constant", [], ["c"], name="const", value=const("cv", [[1.0, 2.0], [3.0, 4.0]])),
        node("Transpose", ["c"], ["ct"], name="tr"),
        node("Mul", ["ct", "two"], ["w"], name="scale"),
        node("MatMul", ["x", "w"], ["y"], name="mm"),
    ], [tensor("x", [1, 2])], [tensor("y", [1, 2])], [const("two", 2.0)])
