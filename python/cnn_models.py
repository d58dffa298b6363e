"""Convolutional test networks for fpgaopt's end-to-end tests, float and QONNX.

Each case is one small network of the layers CNNs are made of (issue 5): the 8x8 digits CNN
(Conv+Relu+MaxPool+Flatten+Gemm), a 3x16x16 network (stride-2 conv, BatchNorm, depthwise conv,
GlobalAveragePool, Softmax), a residual block (Conv-BN-Relu-Conv-BN + skip Add + Relu), two conv
branches concatenated, average pools (with and without padding) and a 1-D convolution.
Weights are random with a fixed seed per case. `quantized=True` gives the QONNX version: an
8-bit input quantizer, 4-bit per-channel weights and 6-bit activations, all with power-of-two
scales (Brevitas's `Int8ActPerTensorFixedPoint`-style), referenced by qonnx's `execute_onnx`.

    python python/cnn_models.py OUT_DIR [--samples N] [--only NAME...]
writes NAME.onnx, NAME.in.npy (float inputs without the batch axis) and NAME_q.onnx.
"""

import argparse
import os
import sys
import zlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QONNX = "qonnx.custom_op.general"


def _pow2(v):
    return np.float32(2.0 ** np.round(np.log2(max(float(v), 1e-12))))


class Net:
    """A graph under construction; `q` inserts QONNX quantizers."""

    def __init__(self, name, quantized):
        self.name, self.q = name, quantized
        self.rng = np.random.default_rng(zlib.crc32(name.encode()))
        self.nodes, self.inits, self.count = [], [], 0

    def const(self, name, a):
        self.inits.append(numpy_helper.from_array(np.asarray(a, dtype=np.float32), name))
        return name

    def node(self, op, inputs, name, domain="", **attrs):
        out = f"{name}_out"
        self.nodes.append(helper.make_node(op, inputs, [out], name=name, domain=domain, **attrs))
        return out

    def quant(self, x, scale, bits, signed, narrow, label):
        ins = [x, self.const(f"{label}.scale", scale), self.const(f"{label}.zeropt", np.float32(0)),
               self.const(f"{label}.bits", np.float32(bits))]
        return self.node("Quant", ins, label, domain=QONNX, signed=int(signed), narrow=int(narrow),
                         rounding_mode="ROUND")

    def act(self, x, label, signed=False, top=4.0):
        """A 6-bit activation quantizer (QONNX only)."""
        if not self.q:
            return x
        hi = 2 ** (6 - int(signed)) - 1
        return self.quant(x, _pow2(top / hi), 6, signed, False, label)

    def weight(self, w, label):
        """The weight initializer, behind a 4-bit per-output-channel quantizer in QONNX."""
        name = self.const(label, w)
        if not self.q:
            return name
        axes = tuple(range(1, w.ndim))
        amax = np.abs(w).max(axis=axes, keepdims=True)
        scale = np.vectorize(_pow2)(amax / 7).astype(np.float32)
        return self.quant(name, scale, 4, True, True, f"{label}_quant")

    def conv(self, x, cin, cout, k, label, stride=1, pad=0, group=1, dil=1, rank=2):
        shape = (cout, cin // group) + (k,) * rank
        w = (self.rng.standard_normal(shape) / np.sqrt(cin // group * k ** rank)).astype(np.float32)
        b = (self.rng.standard_normal(cout) * 0.1).astype(np.float32)
        return self.node("Conv", [x, self.weight(w, f"{label}.weight"), self.const(f"{label}.bias", b)], label,
                         kernel_shape=[k] * rank, strides=[stride] * rank, pads=[pad] * (2 * rank),
                         group=group, dilations=[dil] * rank)

    def bn(self, x, c, label):
        r = self.rng
        p = [r.uniform(0.5, 1.5, c), r.standard_normal(c) * 0.1, r.standard_normal(c) * 0.1, r.uniform(0.5, 2.0, c)]
        names = [self.const(f"{label}.{k}", v.astype(np.float32)) for k, v in zip(["weight", "bias", "mean", "var"], p)]
        return self.node("BatchNormalization", [x, *names], label, epsilon=1e-5)

    def gemm(self, x, k, n, label):
        w = (self.rng.standard_normal((n, k)) / np.sqrt(k)).astype(np.float32)
        b = (self.rng.standard_normal(n) * 0.1).astype(np.float32)
        return self.node("Gemm", [x, self.weight(w, f"{label}.weight"), self.const(f"{label}.bias", b)], label, transB=1)

    def model(self, in_shape, out, out_shape):
        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, list(in_shape))],
            [helper.make_tensor_value_info(out, TensorProto.FLOAT, list(out_shape))],
            initializer=self.inits)
        opsets = [helper.make_opsetid("", 13)] + ([helper.make_opsetid(QONNX, 1)] if self.q else [])
        m = helper.make_model(graph, opset_imports=opsets, ir_version=8, producer_name="fpgaopt-cnn")
        onnx.checker.check_model(m)
        return m


def _input(n):
    """The input quantizer: 8-bit signed on a 2^-5 grid (QONNX only)."""
    return n.quant("input", np.float32(1 / 32), 8, True, False, "quant_in") if n.q else "input"


def digits_cnn(n):
    x = _input(n)
    x = n.conv(x, 1, 8, 3, "conv0", pad=1)
    x = n.act(n.node("Relu", [x], "relu0"), "act0")
    x = n.node("MaxPool", [x], "pool0", kernel_shape=[2, 2], strides=[2, 2])
    x = n.node("Flatten", [x], "flatten")
    x = n.gemm(x, 8 * 4 * 4, 10, "fc")
    return n.model([1, 1, 8, 8], x, [1, 10])


def net16(n):
    x = _input(n)
    x = n.conv(x, 3, 8, 3, "conv0", stride=2, pad=1)
    x = n.bn(x, 8, "bn0")
    x = n.act(n.node("Relu", [x], "relu0"), "act0")
    x = n.conv(x, 8, 8, 3, "dwconv", pad=1, group=8)
    x = n.act(n.node("Relu", [x], "relu1"), "act1")
    x = n.node("GlobalAveragePool", [x], "gap")
    x = n.act(x, "act2")
    x = n.node("Flatten", [x], "flatten")
    x = n.gemm(x, 8, 5, "fc")
    x = n.node("Softmax", [x], "softmax", axis=-1)
    return n.model([1, 3, 16, 16], x, [1, 5])


def residual(n):
    x0 = _input(n)
    x = n.conv(x0, 4, 4, 3, "conv0", pad=1)
    x = n.bn(x, 4, "bn0")
    x = n.act(n.node("Relu", [x], "relu0"), "act0")
    x = n.conv(x, 4, 4, 3, "conv1", pad=1)
    x = n.bn(x, 4, "bn1")
    x = n.act(x, "act1", signed=True)
    x = n.node("Add", [x, x0], "skip")
    x = n.act(n.node("Relu", [x], "relu1"), "act2")
    return n.model([1, 4, 8, 8], x, [1, 4, 8, 8])


def concat(n):
    x0 = _input(n)
    a = n.act(n.conv(x0, 3, 4, 1, "conv_a"), "act_a", signed=True)
    b = n.act(n.conv(x0, 3, 2, 3, "conv_b", pad=1), "act_b", signed=True)
    x = n.node("Concat", [a, b], "concat", axis=1)
    x = n.act(n.node("Relu", [x], "relu"), "act_out")
    return n.model([1, 3, 8, 8], x, [1, 6, 8, 8])


def avgpool(n):
    x = _input(n)
    x = n.conv(x, 2, 4, 3, "conv0")
    x = n.act(n.node("Relu", [x], "relu0"), "act0")
    x = n.node("AveragePool", [x], "pool0", kernel_shape=[2, 2], strides=[2, 2])
    x = n.act(x, "act1")
    x = n.node("AveragePool", [x], "pool1", kernel_shape=[3, 3], strides=[1, 1], pads=[1, 1, 1, 1], count_include_pad=0)
    x = n.act(x, "act2")
    return n.model([1, 2, 10, 10], x, [1, 4, 4, 4])


def conv1d(n):
    x = _input(n)
    x = n.conv(x, 3, 6, 5, "conv0", stride=2, pad=2, rank=1)
    x = n.act(n.node("Relu", [x], "relu0"), "act0")
    x = n.node("MaxPool", [x], "pool0", kernel_shape=[2], strides=[2])
    x = n.node("Flatten", [x], "flatten")
    x = n.gemm(x, 6 * 8, 4, "fc")
    return n.model([1, 3, 32], x, [1, 4])


def resnet8(n):
    """MLPerf Tiny's ResNet-8 shape (32x32x3, stacks of 16/32/64 channels): the benchmark network."""
    x = _input(n)
    x = n.act(n.node("Relu", [n.bn(n.conv(x, 3, 16, 3, "conv0", pad=1), 16, "bn0")], "relu0"), "act0")
    cin = 16
    for i, (c, s) in enumerate([(16, 1), (32, 2), (64, 2)]):
        y = n.act(n.node("Relu", [n.bn(n.conv(x, cin, c, 3, f"s{i}_conv0", stride=s, pad=1), c, f"s{i}_bn0")], f"s{i}_relu0"), f"s{i}_act0")
        y = n.act(n.bn(n.conv(y, c, c, 3, f"s{i}_conv1", pad=1), c, f"s{i}_bn1"), f"s{i}_act1", signed=True)
        skip = x if (cin == c and s == 1) else n.act(n.conv(x, cin, c, 1, f"s{i}_skip", stride=s), f"s{i}_act_skip", signed=True)
        x = n.act(n.node("Relu", [n.node("Add", [y, skip], f"s{i}_add")], f"s{i}_relu1"), f"s{i}_act2")
        cin = c
    x = n.act(n.node("AveragePool", [x], "pool", kernel_shape=[8, 8], strides=[8, 8]), "act_pool")
    x = n.gemm(n.node("Flatten", [x], "flatten"), 64, 10, "fc")
    return n.model([1, 3, 32, 32], x, [1, 10])


# Benchmark networks: not in the end-to-end tests (docs/benchmarks.md).
BENCH = {"resnet8": resnet8}

CASES = {"digits_cnn": digits_cnn, "net16": net16, "residual": residual, "concat": concat, "avgpool": avgpool, "conv1d": conv1d}


def build(name, quantized=False):
    """The ONNX model of a case or benchmark network (QONNX with `quantized`)."""
    return {**CASES, **BENCH}[name](Net(name, quantized))


def inputs(name, count):
    """`count` float inputs (without the batch axis): the digits for digits_cnn, else uniform."""
    model = build(name)
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
    if name == "digits_cnn":
        from sklearn.datasets import load_digits
        x = (load_digits().data[:count] / 16.0 * 3.0).astype(np.float32)
        return x.reshape(count, *shape)
    rng = np.random.default_rng(zlib.crc32(name.encode()) + count)
    return rng.uniform(-3.0, 3.0, (count, *shape)).astype(np.float32)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out_dir")
    p.add_argument("--samples", type=int, default=32)
    p.add_argument("--only", nargs="*")
    a = p.parse_args(argv)
    os.makedirs(a.out_dir, exist_ok=True)
    for name in a.only or CASES:  # benchmark networks with --only
        onnx.save(build(name), os.path.join(a.out_dir, f"{name}.onnx"))
        onnx.save(build(name, True), os.path.join(a.out_dir, f"{name}_q.onnx"))
        np.save(os.path.join(a.out_dir, f"{name}.in.npy"), inputs(name, a.samples))


def qonnx_reference(model, x):
    """qonnx `execute_onnx` of the QONNX `model` on each sample of x (stacked first output)."""
    import warnings

    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.transformation.infer_shapes import InferShapes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mw = ModelWrapper(model).transform(InferShapes())
        out = mw.graph.output[0].name
        return np.stack([execute_onnx(mw, {"input": s[None, ...]})[out][0] for s in x]).astype(np.float32)


if __name__ == "__main__":
    sys.exit(main())
