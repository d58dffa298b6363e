"""Resize, Upsample, DepthToSpace, SpaceToDepth, GlobalMaxPool, ConvTranspose, HardSigmoid,
QLinearConv and ConvInteger.

Outputs carry no shape (fpgaopt infers shapes), so the checker, which wants one, is off."""

import numpy as np

from onnx_builder import const, node, save, tensor, variant

v = variant("resize")
x4 = [tensor("x", [1, 4, 4, 4])]
y = [tensor("y", None)]


def one(op, inputs=("x",), inits=(), x=x4, opset=13, **attrs):
    save([node(op, list(inputs), ["y"], name=op.lower(), **attrs)], x, y, list(inits), opset=opset, check=False)


def quantized(op, inputs, inits, **attrs):
    """QuantizeLinear -> op -> (DequantizeLinear | Cast) on a [1, 2, 4, 4] input."""
    from onnx import TensorProto
    tail = (node("DequantizeLinear", ["yq", "ys", "yz"], ["y"], name="dq") if op == "QLinearConv"
            else node("Cast", ["yq"], ["y"], name="cast", to=TensorProto.FLOAT))
    save([node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="q"), node(op, inputs, ["yq"], name="qc", **attrs),
          tail], [tensor("x", [1, 2, 4, 4])], y, inits, check=False)


W8 = const("w", np.array([[[[1, -2], [3, 4]], [[-1, 0], [2, 1]]]] * 3), np.int8)
Q = [const("xs", 0.5), const("xz", 10, np.uint8), W8, const("wz", [0, 1, -1], np.int8)]

if v == "resize":
    one("Resize", ["x", "", "s"], [const("s", [1, 1, 2, 2])], coordinate_transformation_mode="asymmetric",
        nearest_mode="floor")
elif v == "resize_sizes":
    one("Resize", ["x", "r", "", "z"], [const("r", []), const("z", [1, 4, 7, 2], np.int64)])
elif v == "resize_axes":
    one("Resize", ["x", "", "", "z"], [const("z", [9, 6], np.int64)], opset=18, axes=[2, 3],
        keep_aspect_ratio_policy="not_larger", coordinate_transformation_mode="align_corners",
        nearest_mode="ceil")
elif v == "resize10":
    one("Resize", ["x", "s"], [const("s", [1, 1, 0.5, 3])], opset=10)
elif v == "upsample":
    one("Upsample", ["x", "s"], [const("s", [1, 1, 2, 1])], opset=9)
elif v == "resize_cubic":
    one("Resize", ["x", "", "s"], [const("s", [1, 1, 2, 2])], mode="cubic")
elif v == "resize_crop":
    one("Resize", ["x", "r", "s"], [const("r", [0, 0, 0, 0, 1, 1, 1, 1]), const("s", [1, 1, 2, 2])],
        coordinate_transformation_mode="tf_crop_and_resize")
elif v == "resize_computed_scales":
    save([node("Relu", ["x"], ["s"], name="relu"), node("Resize", ["x", "", "s"], ["y"], name="resize")],
         [tensor("x", [4])], y, check=False)
elif v == "depth_to_space":
    one("DepthToSpace", blocksize=2)
elif v == "depth_to_space_crd":
    one("DepthToSpace", blocksize=2, mode="CRD")
elif v == "depth_to_space_bad":
    one("DepthToSpace", blocksize=3)
elif v == "space_to_depth":
    one("SpaceToDepth", blocksize=2)
elif v == "global_max_pool":
    one("GlobalMaxPool")
elif v == "conv_transpose":
    one("ConvTranspose", ["x", "w"], [const("w", np.ones((4, 2, 3, 3)))], strides=[2, 2], output_padding=[1, 1],
        pads=[1, 1, 1, 1])
elif v == "conv_transpose_same":
    one("ConvTranspose", ["x", "w", "b"], [const("w", np.ones((4, 1, 3, 3))), const("b", [0.5, -0.5])],
        strides=[2, 2], group=2, auto_pad="SAME_UPPER")
elif v == "conv_transpose_output_shape":
    one("ConvTranspose", ["x", "w"], [const("w", np.ones((4, 1, 3, 3)))], strides=[2, 2], output_shape=[8, 10])
elif v == "conv_transpose_bad_output_shape":
    one("ConvTranspose", ["x", "w"], [const("w", np.ones((4, 1, 3, 3)))], strides=[2, 2], output_shape=[12, 9])
elif v == "hard_sigmoid":
    one("HardSigmoid", alpha=0.25, beta=0.375)
elif v == "qlinear_conv":
    quantized("QLinearConv", ["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz", "b"],
              Q + [const("ws", [0.25, 0.5, 0.125]), const("ys", 2.0), const("yz", 3, np.uint8),
                   const("b", [10, -20, 0], np.int32)], pads=[1, 1, 0, 0])
elif v == "conv_integer":
    quantized("ConvInteger", ["xq", "w", "xz", "wz"], Q)
elif v == "qlinear_conv_float_input":
    save([node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["y"], name="qc")],
         [tensor("x", [1, 2, 4, 4])], y, Q + [const("ws", 0.25), const("ys", 2.0), const("yz", 3, np.uint8)],
         check=False)
