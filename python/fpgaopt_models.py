#!/usr/bin/env python3
"""Float MLP test models for fpgaopt's end-to-end tests, built with onnx.helper and numpy only.

Every model: opset 13, IR version 8 (so any onnxruntime loads it), one input "input" of shape
[1,N] float (except flatten_gemm: [1,4,4]), one output "output", named nodes, deterministic
weights (each model has its own fixed seed). Weights are uniform in +-gain/sqrt(fan_in), so
for inputs in [-1,1] every intermediate value stays well inside fixed<16,6> (+-32).

`MODELS` maps a model name to its generator; `python3 fpgaopt_models.py OUT_DIR` writes
OUT_DIR/<name>.onnx for all of them.
"""

import argparse
import os
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
IR_VERSION = 8


class _Builder:
    """Collects nodes and initializers; names initializers after the node that owns them."""

    def __init__(self, name):
        self.name = name
        self.rng = np.random.default_rng(zlib.crc32(name.encode()))
        self.nodes, self.inits = [], []

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def uniform(self, shape, bound):
        return self.rng.uniform(-bound, bound, size=shape).astype(np.float32)

    def node(self, op, inputs, name, out=None, **attrs):
        out = out or f"{name}_out"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    def gemm(self, x, name, fan_in, fan_out, gain=1.0, trans_b=True, out=None, **attrs):
        """Gemm with W [out,in] (transB=1, PyTorch export) or [in,out] (transB=0, Keras export)."""
        bound = gain / np.sqrt(fan_in)
        shape = (fan_out, fan_in) if trans_b else (fan_in, fan_out)
        w = self.const(f"{name}.weight", self.uniform(shape, bound))
        b = self.const(f"{name}.bias", self.uniform((fan_out,), bound))
        if trans_b:
            attrs["transB"] = 1
        return self.node("Gemm", [x, w, b], name, out=out, **attrs)

    def model(self, in_shape, out_shape):
        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, list(in_shape))],
            [helper.make_tensor_value_info("output", TensorProto.FLOAT, list(out_shape))],
            initializer=self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  ir_version=IR_VERSION, producer_name="fpgaopt-models")
        onnx.checker.check_model(model, full_check=True)
        return model


def gemm_alpha_beta():
    """(a) gemm0 (Gemm alpha=0.5 beta=2.0 transB=1, 16->12) -> relu0 -> gemm1 (Gemm transB=0, 12->5)."""
    b = _Builder("gemm_alpha_beta")
    x = b.gemm("input", "gemm0", 16, 12, alpha=0.5, beta=2.0)
    x = b.node("Relu", [x], "relu0")
    b.gemm(x, "gemm1", 12, 5, trans_b=False, out="output")
    return b.model([1, 16], [1, 5])


def matmul_add():
    """(b) PyTorch-style: matmul0 (W [16,12]) -> add0 (x + b) -> relu0 -> matmul1 (W [12,5]) -> add1.

    add1 has the bias as its FIRST operand (b + x), as some exporters write it.
    """
    b = _Builder("matmul_add")
    w0 = b.const("fc0.weight", b.uniform((16, 12), 1 / 4))
    b0 = b.const("fc0.bias", b.uniform((12,), 1 / 4))
    w1 = b.const("fc1.weight", b.uniform((12, 5), 1 / np.sqrt(12)))
    b1 = b.const("fc1.bias", b.uniform((5,), 1 / np.sqrt(12)))
    x = b.node("MatMul", ["input", w0], "matmul0")
    x = b.node("Add", [x, b0], "add0")
    x = b.node("Relu", [x], "relu0")
    x = b.node("MatMul", [x, w1], "matmul1")
    b.node("Add", [b1, x], "add1", out="output")
    return b.model([1, 16], [1, 5])


def flatten_gemm():
    """(c) input [1,4,4] -> flatten0 (Flatten axis=1, -> [1,16]) -> gemm0 (16->5)."""
    b = _Builder("flatten_gemm")
    x = b.node("Flatten", ["input"], "flatten0", axis=1)
    b.gemm(x, "gemm0", 16, 5, out="output")
    return b.model([1, 4, 4], [1, 5])


def _activation(name, op, extra_inputs=(), **attrs):
    """(d) gemm0 (16->8, gain 3 so the activation sees about [-3,3]) -> act0 (op)."""
    def make():
        b = _Builder(name)
        x = b.gemm("input", "gemm0", 16, 8, gain=3.0)
        inputs = [x] + [b.const(n, v) for n, v in extra_inputs]
        b.node(op, inputs, "act0", out="output", **attrs)
        return b.model([1, 16], [1, 8])
    make.__name__ = name
    make.__doc__ = f"(d) gemm0 (Gemm 16->8) -> act0 ({op}{attrs or ''})."
    return make


act_relu = _activation("act_relu", "Relu")
act_leakyrelu = _activation("act_leakyrelu", "LeakyRelu", alpha=0.1)
act_sigmoid = _activation("act_sigmoid", "Sigmoid")
act_tanh = _activation("act_tanh", "Tanh")
# Opset 13 Clip takes min/max as optional scalar inputs, here initializers "clip.min"/"clip.max".
act_clip = _activation("act_clip", "Clip", extra_inputs=(("clip.min", np.float32(-1.0)),
                                                          ("clip.max", np.float32(1.0))))
act_softmax_last = _activation("act_softmax_last", "Softmax", axis=-1)
act_softmax_axis1 = _activation("act_softmax_axis1", "Softmax", axis=1)


def gemm_bn():
    """(e) gemm0 (16->12) -> bn0 (BatchNormalization eps=1e-3) -> relu0 -> gemm1 (12->5)."""
    b = _Builder("gemm_bn")
    x = b.gemm("input", "gemm0", 16, 12)
    scale = b.const("bn0.scale", b.rng.uniform(0.5, 1.5, 12).astype(np.float32))
    bias = b.const("bn0.bias", b.uniform((12,), 0.3))
    mean = b.const("bn0.mean", b.uniform((12,), 0.2))
    var = b.const("bn0.var", b.rng.uniform(0.05, 0.5, 12).astype(np.float32))
    x = b.node("BatchNormalization", [x, scale, bias, mean, var], "bn0", epsilon=1e-3)
    x = b.node("Relu", [x], "relu0")
    b.gemm(x, "gemm1", 12, 5, out="output")
    return b.model([1, 16], [1, 5])


def residual_add():
    """(f) gemm0 (16->16) -> relu0 -> add0 (relu0 + input) -> gemm1 (16->5)."""
    b = _Builder("residual_add")
    x = b.gemm("input", "gemm0", 16, 16)
    x = b.node("Relu", [x], "relu0")
    x = b.node("Add", [x, "input"], "add0")
    b.gemm(x, "gemm1", 16, 5, out="output")
    return b.model([1, 16], [1, 5])


def jet_tagger():
    """(g) 16-64-32-32-5: gemm0..gemm3 (transB=1) with relu0..relu2 between, softmax0 (axis=-1).

    Gain 2 so that the untrained logits spread enough for the softmax not to be flat.
    """
    b = _Builder("jet_tagger")
    x = "input"
    sizes = (16, 64, 32, 32, 5)
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        x = b.gemm(x, f"gemm{i}", fan_in, fan_out, gain=2.0)
        if i < len(sizes) - 2:
            x = b.node("Relu", [x], f"relu{i}")
    b.node("Softmax", [x], "softmax0", out="output", axis=-1)
    return b.model([1, 16], [1, 5])


def mul_sub():
    """(h) gemm0 (16->8) -> mul0 (x * per-channel const [8]) -> sub0 (x - scalar const [])."""
    b = _Builder("mul_sub")
    x = b.gemm("input", "gemm0", 16, 8)
    x = b.node("Mul", [x, b.const("mul0.scale", b.rng.uniform(-2, 2, 8).astype(np.float32))], "mul0")
    b.node("Sub", [x, b.const("sub0.offset", np.float32(0.375))], "sub0", out="output")
    return b.model([1, 16], [1, 8])


MODELS = {f.__name__: f for f in (
    gemm_alpha_beta, matmul_add, flatten_gemm,
    act_relu, act_leakyrelu, act_sigmoid, act_tanh, act_clip, act_softmax_last, act_softmax_axis1,
    gemm_bn, residual_add, jet_tagger, mul_sub,
)}


def unsupported_op_model(op="Hardmax"):
    """gemm0 (16->8) -> bad0 (an op fpgaopt does not support: Hardmax or TopK) for error tests."""
    b = _Builder(f"unsupported_{op.lower()}")
    x = b.gemm("input", "gemm0", 16, 8)
    if op == "Hardmax":
        b.node("Hardmax", [x], "bad0", out="output", axis=-1)
        return b.model([1, 16], [1, 8])
    if op == "TopK":
        k = b.const("bad0.k", np.array([3], dtype=np.int64))
        b.nodes.append(helper.make_node("TopK", [x, k], ["output", "indices"], name="bad0", axis=-1))
        model = b.model([1, 16], [1, 3])
        model.graph.output.append(helper.make_tensor_value_info("indices", TensorProto.INT64, [1, 3]))
        onnx.checker.check_model(model, full_check=True)
        return model
    raise ValueError(f"no unsupported-op model for {op}")


def input_shape(model):
    """Static input shape of a model's single input, e.g. [1, 16]."""
    return [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]


def main(argv=None):
    ap = argparse.ArgumentParser(description="write fpgaopt's end-to-end float MLP models")
    ap.add_argument("out_dir")
    args = ap.parse_args(argv)
    os.makedirs(args.out_dir, exist_ok=True)
    for name, make in MODELS.items():
        path = os.path.join(args.out_dir, f"{name}.onnx")
        onnx.save(make(), path)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
