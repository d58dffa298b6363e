"""Conv, Pad, MaxPool, AveragePool, GlobalAveragePool, Transpose, Identity/Dropout/Cast.

Outputs carry no shape (fpgaopt infers shapes), so the checker, which wants one, is off."""

import numpy as np
from onnx import TensorProto

from onnx_builder import const, node, save, tensor, variant

W = const("w", np.arange(4 * 3 * 3 * 3).reshape(4, 3, 3, 3) / 100.0)
B = const("b", [0.5, -0.5, 1.0, 0.0])
v = variant("conv")
x4 = [tensor("x", [1, 3, 8, 8])]
y = [tensor("y", None)]


def one(op, inputs=("x",), inits=(), x=x4, opset=13, check=False, outputs=("y",), **attrs):
    save([node(op, list(inputs), list(outputs), name=op.lower(), **attrs)], x, y, list(inits), opset=opset,
         check=check)


if v == "conv":
    one("Conv", ["x", "w", "b"], [W, B], strides=[2, 1], dilations=[1, 2], pads=[0, 1, 2, 1])
elif v == "conv_no_bias":
    one("Conv", ["x", "w"], [W])
elif v == "conv_group":
    one("Conv", ["x", "w"], [const("w", np.ones((6, 1, 3, 3)))], group=3)
elif v == "conv1d":
    one("Conv", ["x", "w"], [const("w", np.ones((2, 3, 3)))], x=[tensor("x", [1, 3, 10])], strides=[3])
elif v in ("SAME_UPPER", "SAME_LOWER", "VALID"):
    one("Conv", ["x", "w", "b"], [W, B], strides=[2, 2], auto_pad=v, x=[tensor("x", [1, 3, 7, 8])])
elif v == "bad_auto_pad":
    one("Conv", ["x", "w", "b"], [W, B], auto_pad="SAME", check=False)
elif v == "bad_pads":
    one("Conv", ["x", "w", "b"], [W, B], pads=[1, 1, 1], check=False)
elif v == "bad_kernel":
    one("Conv", ["x", "w", "b"], [W, B], kernel_shape=[2, 2], check=False)
elif v == "pad9":
    one("Pad", x=[tensor("x", [1, 3, 4])], opset=9, pads=[0, 1, 2, 0, 0, 1], value=-2.0)
elif v == "pad13":
    one("Pad", ["x", "p", "c"], [const("p", [0, 0, 1, 2, 0, 0, 3, 0], np.int64), const("c", 1.5)])
elif v == "pad18":
    one("Pad", ["x", "p", "", "a"], [const("p", [1, 2, 3, 4], np.int64), const("a", [-1, 2], np.int64)], opset=18)
elif v == "reflect":
    one("Pad", ["x", "p"], [const("p", [0, 0, 1, 1, 0, 0, 1, 1], np.int64)], mode="reflect")
elif v == "max_pool":
    one("MaxPool", kernel_shape=[3, 3])
elif v == "max_pool_ceil":
    one("MaxPool", kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1, dilations=[1, 1])
elif v == "max_pool_indices":
    save([node("MaxPool", ["x"], ["y", "i"], name="pool", kernel_shape=[2, 2]),
          node("Cast", ["i"], ["f"], name="cast", to=TensorProto.FLOAT), node("Add", ["y", "f"], ["z"], name="add")],
         x4, [tensor("z", None)], check=False)
elif v == "average_pool":
    one("AveragePool", kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1)
elif v == "average_pool_dilated":
    one("AveragePool", kernel_shape=[2, 2], dilations=[2, 2], opset=19)
elif v == "global_average_pool":
    one("GlobalAveragePool")
elif v == "transpose":
    one("Transpose", perm=[0, 2, 3, 1])
elif v == "transpose_size1":
    one("Transpose", x=[tensor("x", [1, 3, 1, 5])], perm=[0, 2, 1, 3])
elif v == "no_ops":
    save([node("Identity", ["x"], ["i"], name="id"), node("Dropout", ["i"], ["d"], name="drop"),
          node("Cast", ["d"], ["y"], name="cast", to=TensorProto.FLOAT)], [tensor("x", [1, 4])], y, check=False)
elif v == "dropout_training":
    one("Dropout", ["x", "r", "t"], [const("r", 0.5), const("t", True, np.bool_)])
