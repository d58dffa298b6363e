"""Helpers for the import-onnx tests: small ONNX models built with onnx.helper.

Every script in this folder is `python <script>.py OUT.onnx [VARIANT]`; it writes one model and
exits. Weights are small and deterministic so FileCheck can match folded constants exactly.
"""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def tensor(name, shape, elem=TensorProto.FLOAT):
    """A value_info for a graph input or output; a string dimension is symbolic."""
    return helper.make_tensor_value_info(name, elem, shape)


def const(name, values, dtype=np.float32):
    """An initializer."""
    return numpy_helper.from_array(np.asarray(values, dtype=dtype), name)


def save(nodes, inputs, outputs, inits=(), opset=13, check=True, domains=()):
    """Builds the model and writes it to the path given as the first argument; `domains` lists
    extra (domain, version) opset imports."""
    graph = helper.make_graph(nodes, "test", inputs, outputs, list(inits))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in domains]
    model = helper.make_model(graph, opset_imports=opsets)
    model.ir_version = 9 if opset >= 21 else 8
    if check:
        onnx.checker.check_model(model)
    onnx.save(model, sys.argv[1])
    return model


def variant(default):
    """The second command-line argument, if any."""
    return sys.argv[2] if len(sys.argv) > 2 else default


node = helper.make_node
