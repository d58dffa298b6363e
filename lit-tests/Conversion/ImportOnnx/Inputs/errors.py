"""Models the importer must reject with a clear diagnostic."""

import sys

from onnx import helper

from onnx_builder import const, node, save, tensor, variant

v = variant("unsupported")
if v == "unsupported":
    save([node("Relu", ["x"], ["r"], name="relu"), node("TopK", ["r", "k"], ["y", "i"], name="topk_1")],
         [tensor("x", [1, 4])], [tensor("y", [1, 2])], [const("k", [2], "int64")], check=False)
elif v == "nameless":
    save([node("Relu", ["x"], ["r"]), node("Erf", ["r"], ["y"])], [tensor("x", [1, 4])], [tensor("y", [1, 4])])
elif v == "other_domain":
    save([node("FusedMatMul", ["x", "x"], ["y"], name="fused_1", domain="com.microsoft")],
         [tensor("x", [4, 4])], [tensor("y", [4, 4])], check=False)
elif v == "old_opset":
    save([node("Relu", ["x"], ["y"], name="relu")], [tensor("x", [1, 4])], [tensor("y", [1, 4])], opset=8)
elif v == "truncated":
    save([node("Relu", ["x"], ["y"], name="relu")], [tensor("x", [1, 4])], [tensor("y", [1, 4])],
         [const("w", [float(i) for i in range(64)])])
    data = open(sys.argv[1], "rb").read()
    open(sys.argv[1], "wb").write(data[: len(data) // 2])
elif v == "garbage":
    open(sys.argv[1], "wb").write(b"this is not an onnx model\n")
elif v == "symbolic":
    save([node("Relu", ["x"], ["y"], name="relu")], [tensor("x", [1, "C"])], [tensor("y", [1, "C"])])
