"""MatMul forms: + Add of a bias (one dense), alone (zero bias), with a shared result, two computed sides."""

from onnx_builder import const, node, save, tensor, variant

v = variant("add")
w = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]  # [K=3, N=2]
if v == "add":
    save([node("MatMul", ["x", "w"], ["t"], name="mm"), node("Add", ["bias", "t"], ["y"], name="add")],
         [tensor("x", [1, 3])], [tensor("y", [1, 2])], [const("w", w), const("bias", [[0.25, -0.25]])])
elif v == "alone":
    save([node("MatMul", ["x", "w"], ["y"], name="mm")], [tensor("x", [1, 3])], [tensor("y", [1, 2])],
         [const("w", w)])
elif v == "shared":
    save([node("MatMul", ["x", "w"], ["t"], name="mm"), node("Add", ["t", "bias"], ["y"], name="add"),
          node("Relu", ["t"], ["z"], name="relu")],
         [tensor("x", [1, 3])], [tensor("y", [1, 2]), tensor("z", [1, 2])], [const("w", w), const("bias", [0.25, -0.25])])
elif v == "computed":
    save([node("MatMul", ["a", "b"], ["y"], name="mm")], [tensor("a", [4, 3]), tensor("b", [3, 2])],
         [tensor("y", [4, 2])])
