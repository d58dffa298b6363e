#!/usr/bin/env python3
"""Prints the reference bits pinned in dialects/nn/tests/spatial_eval.rs (paste its output there).

    python3 python/gen_nn_spatial_refs.py

Each case is one ONNX node (Conv, Pad, MaxPool, AveragePool, GlobalAveragePool, Transpose) run by
onnxruntime (CPU, ORT_DISABLE_ALL) on inputs from the tests' LCG (`lcg(seed, n)`: 64-bit LCG, top 24
bits mapped to [-1, 1)); weights and biases are initializers, as in an exported model.
"""

import numpy as np
from onnx import helper, numpy_helper

from gen_nn_quant_refs import bits, lcg
from ort_reference import session

F32 = np.float32

# name: (op, x shape, seed, initializers as (name, shape, seed), attributes)
CASES = {
    "CONV2D": ("Conv", [1, 2, 5, 4], 1, [("w", [3, 2, 3, 2], 2), ("b", [3], 3)],
               dict(strides=[2, 1], pads=[1, 0, 0, 1], dilations=[1, 2])),
    "CONV1D_GROUPS": ("Conv", [1, 4, 7], 4, [("w", [2, 2, 2], 5), ("b", [2], 6)],
                      dict(group=2, dilations=[2], pads=[1, 1])),
    "CONV_LONG": ("Conv", [1, 32, 4, 4], 7, [("w", [2, 32, 3, 3], 8), ("b", [2], 9)], {}),
    "CONV_DEPTHWISE": ("Conv", [1, 3, 4, 4], 10, [("w", [3, 1, 3, 3], 11), ("b", [3], 12)],
                       dict(group=3, pads=[1, 1, 1, 1])),
    "MAX_POOL_CEIL": ("MaxPool", [1, 2, 5, 5], 13, [], dict(kernel_shape=[2, 2], strides=[2, 2], ceil_mode=1)),
    "AVG_POOL_PADS": ("AveragePool", [1, 1, 5, 5], 14, [], dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1])),
    "AVG_POOL_INCLUDE": ("AveragePool", [1, 1, 5, 5], 14, [],
                         dict(kernel_shape=[3, 3], pads=[1, 1, 1, 1], count_include_pad=1)),
    "AVG_POOL_CEIL_INCLUDE": ("AveragePool", [1, 1, 6, 5], 15, [],
                              dict(kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], ceil_mode=1,
                                   count_include_pad=1)),
    "GLOBAL_AVG": ("GlobalAveragePool", [1, 2, 3, 3], 16, [], {}),
}


def run(op, shape, seed, inits, attrs):
    x = lcg(seed, int(np.prod(shape))).reshape(shape)
    tensors = [numpy_helper.from_array(lcg(s, int(np.prod(sh))).reshape(sh), n) for n, sh, s in inits]
    node = helper.make_node(op, ["x"] + [n for n, _, _ in inits], ["y"], **attrs)
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", 1, shape)],
                              [helper.make_tensor_value_info("y", 1, None)], tensors)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return session(model).run(None, {"x": x})[0]


def main():
    for name, case in CASES.items():
        y = run(*case)
        print(f"/// {case[0]} {case[4]} -> {list(y.shape)}")
        print(f"const {name}: [u32; {y.size}] = {bits(y)};")


if __name__ == "__main__":
    main()
