"""One-node models for each activation and layer: python layers.py OUT.onnx OP."""

import numpy as np

from onnx_builder import const, node, save, tensor, variant

v = variant("Relu")
x = [tensor("x", [1, 4])]
y = [tensor("y", [1, 4])]
if v in ("Relu", "Sigmoid", "Tanh"):
    save([node(v, ["x"], ["y"], name="act")], x, y)
elif v == "LeakyRelu":
    save([node("LeakyRelu", ["x"], ["y"], name="act")], x, y)
elif v == "LeakyReluAlpha":
    save([node("LeakyRelu", ["x"], ["y"], name="act", alpha=0.25)], x, y)
elif v == "Clip":
    save([node("Clip", ["x", "lo", "hi"], ["y"], name="act")], x, y, [const("lo", -1.0), const("hi", 6.0)])
elif v == "ClipMaxOnly":
    save([node("Clip", ["x", "", "hi"], ["y"], name="act")], x, y, [const("hi", 6.0)])
elif v == "ClipComputed":
    save([node("Clip", ["x", "x"], ["y"], name="act")], x, y, check=False)
elif v == "Softmax":
    save([node("Softmax", ["x"], ["y"], name="sm", axis=-1)], [tensor("x", [1, 2, 4])], [tensor("y", [1, 2, 4])])
elif v == "SoftmaxOpset11":
    save([node("Softmax", ["x"], ["y"], name="sm", axis=1)], [tensor("x", [1, 2, 4])], [tensor("y", [1, 2, 4])],
         opset=11)
elif v == "SoftmaxBadAxis":
    save([node("Softmax", ["x"], ["y"], name="sm", axis=3)], [tensor("x", [1, 2, 4])], [tensor("y", [1, 2, 4])],
         check=False)
elif v == "BatchNormalization":
    save([node("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"], name="bn", epsilon=1e-3)],
         [tensor("x", [1, 2, 3])], [tensor("y", [1, 2, 3])],
         [const("s", [1.0, 2.0]), const("b", [0.0, 1.0]), const("m", [0.5, -0.5]), const("v", [1.0, 4.0])])
elif v == "Flatten":
    save([node("Flatten", ["x"], ["y"], name="flat", axis=-2)], [tensor("x", [1, 2, 3, 4])], [tensor("y", [2, 12])])
elif v == "Arith":
    save([node("Sub", ["x", "c"], ["s"], name="sub"), node("Mul", ["s", "c"], ["p"], name="mul"),
          node("Div", ["p", "four"], ["d"], name="div"), node("Add", ["d", "x"], ["y"], name="add")],
         x, y, [const("c", [1.0, 2.0, 3.0, 4.0]), const("four", 4.0)])
elif v == "DivByThree":
    save([node("Div", ["x", "three"], ["y"], name="div")], x, y, [const("three", 3.0)])
elif v == "Dropout":
    save([node("Identity", ["x"], ["i"], name="id"), node("Dropout", ["i"], ["y"], name="drop")], x, y)
