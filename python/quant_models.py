#!/usr/bin/env python3
"""Quantized test models for fpgaopt, built with numpy and onnx.helper only.

Three families, each a function returning a `QuantModel` (the ONNX model, the engine that defines
its meaning, and a sampler of test inputs):

- `qonnx_mlp(...)`: Brevitas/QKeras-style QONNX MLPs: an input `Quant`, then per layer a weight
  `Quant` (or `BipolarQuant`) -> Transpose -> MatMul (or Gemm transB=1 with a bias), an optional
  BatchNormalization, an optional Relu and an activation `Quant`. Weight bits 1-8, activation
  bits 2-16, signed/unsigned, narrow, per-channel weight scales, power-of-two or arbitrary scales,
  every QONNX rounding mode, zero points. Reference: qonnx `execute_onnx`.
- `qdq_mlp(...)`: onnxruntime-style QDQ models: QuantizeLinear/DequantizeLinear around every
  activation, int8 weights (per tensor or per channel) and int32 biases behind DequantizeLinear;
  int8/uint8 (opset 13) and int4/uint4/int16/uint16 (opset 21). Reference: onnxruntime with
  graph optimisations disabled.
- `qlinear_mlp(...)` (QLinearMatMul chains) and `matmul_integer_mlp(...)` (MatMulInteger + Cast +
  Mul): QOperator models. Reference: onnxruntime.

`MODELS` names a fixed, deterministic set (the bit-exactness suite); `python3 quant_models.py
OUT_DIR` writes OUT_DIR/<name>.onnx and OUT_DIR/<name>.in.npy (inputs, float32, shape (N, ...)
without the model's batch dimension of 1). Inputs mix values on the input quantizer's grid, exact
rounding ties, values off the grid and values beyond the quantizer's range (saturating).
"""

import argparse
import os
import sys
import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

QONNX = "qonnx.custom_op.general"


@dataclass
class QuantModel:
    """A generated model: the proto, its reference engine and an input sampler."""

    model: onnx.ModelProto
    engine: str  # "qonnx" or "ort"
    sample: Callable[[int], np.ndarray]  # n -> float32 (n, ...) without the batch axis


class _Graph:
    """Collects nodes and initializers with a deterministic generator."""

    def __init__(self, name):
        self.name = name
        self.rng = np.random.default_rng(zlib.crc32(name.encode()))
        self.nodes, self.inits = [], []
        self.count = 0

    def const(self, name, array):
        self.inits.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def node(self, op, inputs, name, domain="", outputs=None, **attrs):
        outputs = outputs or [f"{name}_out"]
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, domain=domain, **attrs))
        return outputs[0]

    def model(self, in_shape, out_shape, opsets, ir_version=8):
        graph = helper.make_graph(
            self.nodes, self.name,
            [helper.make_tensor_value_info("input", TensorProto.FLOAT, list(in_shape))],
            [helper.make_tensor_value_info(self.nodes[-1].output[0], TensorProto.FLOAT, list(out_shape))],
            initializer=self.inits)
        ops = [helper.make_opsetid(d, v) for d, v in opsets]
        return helper.make_model(graph, opset_imports=ops, ir_version=ir_version, producer_name="fpgaopt-quant")


def _pow2(v):
    """The power of two nearest to v (in log scale)."""
    return np.float32(2.0 ** np.round(np.log2(v)))


def int_range(bits, signed, narrow):
    """QONNX's integer range (narrow also lowers the top of unsigned ranges, as qonnx does)."""
    if signed:
        return -(2 ** (bits - 1)) + (1 if narrow else 0), 2 ** (bits - 1) - 1
    return 0, 2 ** bits - 1 - (1 if narrow else 0)


def _grid_sampler(rng_seed, shape, scale, lo, hi, zp=0.0):
    """Inputs for a first quantizer with this scale and integer range: a quarter on the grid, a
    quarter exact ties (k + 0.5) * scale, a quarter uniform off the grid inside the range, a
    quarter beyond it (saturating), plus a few zeros."""
    def sample(n):
        rng = np.random.default_rng(rng_seed + n)
        k = rng.integers(lo, hi + 1, (n, *shape)) - zp
        span = (hi - lo + 1) * scale
        on = (k * scale).astype(np.float32)
        tie = ((k + 0.5) * scale).astype(np.float32)
        off = rng.uniform((lo - zp) * scale, (hi - zp) * scale, (n, *shape)).astype(np.float32)
        far = (rng.uniform(-1.5, 1.5, (n, *shape)) * span).astype(np.float32)
        pick = rng.integers(0, 4, (n, *shape))
        x = np.choose(pick, [on, tie, off, far]).astype(np.float32)
        x[rng.uniform(0, 1, x.shape) < 0.03] = 0.0
        return x
    return sample


def qonnx_mlp(name, sizes=(16, 24, 12, 5), in_bits=8, in_signed=True, w_bits=4, a_bits=6, a_signed=False,
              narrow_w=True, narrow_a=False, per_channel=True, pow2=True, rounding="ROUND", a_rounding=None,
              batch_norm=True, relu=True, gemm=False, domain=QONNX, a_zero_point=0.0, bipolar_weights=False,
              out_quant=False, softmax=False):
    """A QONNX MLP; see the module doc. Scales are derived from the float ranges of random data so
    that activations use their bits; `pow2` rounds every scale to a power of two; `softmax` closes
    it with a float Softmax (onnxruntime's, inside qonnx)."""
    g = _Graph(name)
    rng = g.rng
    a_rounding = a_rounding or rounding
    scale_of = (lambda v: _pow2(v)) if pow2 else (lambda v: np.float32(v))

    def quant(x, scale, zp, bits, signed, narrow, mode, label):
        s = g.const(f"{label}.scale", np.asarray(scale, np.float32))
        z = g.const(f"{label}.zeropt", np.asarray(zp, np.float32))
        b = g.const(f"{label}.bits", np.float32(bits))
        return g.node("Quant", [x, s, z, b], label, domain=domain, signed=int(signed), narrow=int(narrow),
                      rounding_mode=mode)

    lo, hi = int_range(in_bits, in_signed, False)
    in_scale = scale_of(3.0 / max(hi, 1))
    x = quant("input", in_scale, 0.0, in_bits, in_signed, False, rounding, "quant_in")
    probe = np.clip(np.round(rng.standard_normal((256, sizes[0])) * 1.5 / in_scale), lo, hi) * in_scale
    n_layers = len(sizes) - 1
    for i, (k, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        last = i == n_layers - 1
        w = (rng.standard_normal((n, k)) / np.sqrt(k)).astype(np.float32)
        if bipolar_weights and w_bits == 1:
            ws = np.float32(np.abs(w).mean()) if not pow2 else _pow2(np.abs(w).mean())
            wq_name = g.node("BipolarQuant", [g.const(f"fc{i}.weight", w), g.const(f"fc{i}.wscale", ws)],
                             f"wquant{i}", domain=domain)
            wq = np.where(w >= 0, 1.0, -1.0) * ws
        else:
            _, whi = int_range(w_bits, True, narrow_w)
            amax = np.abs(w).max(axis=1, keepdims=True) if per_channel else np.abs(w).max()
            ws = (amax / max(whi, 1)).astype(np.float32)
            ws = np.vectorize(scale_of)(ws).astype(np.float32) if pow2 else ws
            wq_name = quant(g.const(f"fc{i}.weight", w), ws, 0.0, w_bits, True, narrow_w, rounding, f"wquant{i}")
            wlo, _ = int_range(w_bits, True, narrow_w)
            if w_bits == 1:
                wq = np.where(w / ws >= 0, 1.0, -1.0) * ws
            else:
                wq = np.clip(np.round(w / ws), wlo, whi) * ws
        b = (rng.standard_normal(n) * 0.1).astype(np.float32)
        if gemm:
            x = g.node("Gemm", [x, wq_name, g.const(f"fc{i}.bias", b)], f"gemm{i}", transB=1)
        else:
            wt = g.node("Transpose", [wq_name], f"transpose{i}", perm=[1, 0])
            x = g.node("MatMul", [x, wt], f"matmul{i}")
            x = g.node("Add", [x, g.const(f"fc{i}.bias", b)], f"add{i}")
        probe = probe @ wq.T.astype(np.float32) + b
        if last:
            break
        if batch_norm:
            gamma = rng.uniform(0.5, 1.5, n).astype(np.float32)
            beta = (rng.standard_normal(n) * 0.1).astype(np.float32)
            mean = (rng.standard_normal(n) * 0.1).astype(np.float32)
            var = rng.uniform(0.5, 2.0, n).astype(np.float32)
            x = g.node("BatchNormalization", [x, g.const(f"bn{i}.weight", gamma), g.const(f"bn{i}.bias", beta),
                                              g.const(f"bn{i}.mean", mean), g.const(f"bn{i}.var", var)],
                       f"bn{i}", epsilon=1e-5)
            probe = (probe - mean) / np.sqrt(var + 1e-5) * gamma + beta
        if relu:
            x = g.node("Relu", [x], f"relu{i}")
            probe = np.maximum(probe, 0)
        alo, ahi = int_range(a_bits, a_signed, narrow_a)
        top = np.percentile(np.abs(probe), 99) + 1e-3
        a_scale = scale_of(top / max(ahi - a_zero_point, 1))
        zp = a_zero_point if not a_signed else 0.0
        x = quant(x, a_scale, zp, a_bits, a_signed, narrow_a, a_rounding, f"aquant{i}")
        probe = (np.clip(np.round(probe / a_scale + zp), alo, ahi) - zp) * a_scale
    if out_quant:
        top = np.percentile(np.abs(probe), 99) + 1e-3
        x = quant(x, scale_of(top / 127), 0.0, 8, True, False, rounding, "quant_out")
    if softmax:
        x = g.node("Softmax", [x], "softmax", axis=-1)
    opsets = [("", 13), (domain, 1)] if domain else [("", 13)]
    model = g.model([1, sizes[0]], [1, sizes[-1]], opsets)
    return QuantModel(model, "qonnx", _grid_sampler(zlib.crc32(name.encode()), (sizes[0],), in_scale, lo, hi))


def qonnx_trunc(name, version=2, rounding="FLOOR", signed=True, narrow=False, pow2=True):
    """Quant (8 bit) -> MatMul with quantized weights -> Trunc to 4 bits (version 1 or 2)."""
    g = _Graph(name)
    rng = g.rng
    s_in = np.float32(1 / 16) if pow2 else np.float32(0.0713)
    x = g.node("Quant", ["input", g.const("qin.s", s_in), g.const("qin.z", np.float32(0)), g.const("qin.b", np.float32(8))],
               "quant_in", domain=QONNX, signed=1, narrow=0, rounding_mode="ROUND")
    w = rng.integers(-7, 8, (8, 12)).astype(np.float32) * np.float32(0.125)
    y = g.node("MatMul", [x, g.const("w", w)], "matmul0")
    acc_scale = np.float32(s_in * 0.125)
    x = g.node("Quant", [y, g.const("qacc.s", acc_scale), g.const("qacc.z", np.float32(0)), g.const("qacc.b", np.float32(16))],
               "quant_acc", domain=QONNX, signed=1, narrow=0, rounding_mode="ROUND")
    if version == 2:
        ins = [x, g.const("t.s", acc_scale), g.const("t.z", np.float32(0)), g.const("t.ib", np.float32(16)),
               g.const("t.os", np.float32(acc_scale * 2 ** 6)), g.const("t.ob", np.float32(4))]
        g.node("Trunc", ins, "trunc0", domain=QONNX, rounding_mode=rounding, signed=int(signed), narrow=int(narrow))
        opsets = [("", 13), (QONNX, 2)]
    else:
        ins = [x, g.const("t.s", acc_scale), g.const("t.z", np.float32(0)), g.const("t.ib", np.float32(16)),
               g.const("t.ob", np.float32(10))]
        g.node("Trunc", ins, "trunc0", domain=QONNX, rounding_mode=rounding)
        opsets = [("", 13), (QONNX, 1)]
    model = g.model([1, 8], [1, 12], opsets)
    return QuantModel(model, "qonnx", _grid_sampler(zlib.crc32(name.encode()), (8,), s_in, -128, 127))


_ONNX_TYPES = {
    "int8": (TensorProto.INT8, np.int8, -128, 127), "uint8": (TensorProto.UINT8, np.uint8, 0, 255),
    "int16": (TensorProto.INT16, np.int16, -32768, 32767), "uint16": (TensorProto.UINT16, np.uint16, 0, 65535),
    "int4": (TensorProto.INT4, None, -8, 7), "uint4": (TensorProto.UINT4, None, 0, 15),
}


def _int_tensor(name, values, type_name):
    """An integer initializer of an ONNX type (int4/uint4 packed by onnx.helper)."""
    tp, npt, _, _ = _ONNX_TYPES[type_name]
    values = np.asarray(values)
    if npt is None:
        return helper.make_tensor(name, tp, list(values.shape), values.flatten().tolist())
    return numpy_helper.from_array(values.astype(npt), name)


def qdq_mlp(name, sizes=(16, 24, 5), act="uint8", weight="int8", pow2=False, per_channel=True, gemm=False,
            opset=13, relu=True):
    """x -> Q/DQ -> [MatMul(x, DQ(W)) + DQ(bias) | Gemm(x, DQ(W^T), DQ(bias))] -> Relu -> Q/DQ -> ..."""
    g = _Graph(name)
    rng = g.rng
    _, _, alo, ahi = _ONNX_TYPES[act]
    _, _, wlo, whi = _ONNX_TYPES[weight]
    scale_of = (lambda v: _pow2(v)) if pow2 else (lambda v: np.float32(v))
    a_zp = (alo + ahi + 1) // 2 if alo == 0 else 0

    def qdq(x, scale, label):
        g.inits.append(numpy_helper.from_array(np.float32(scale), f"{label}.scale"))
        g.inits.append(_int_tensor(f"{label}.zp", a_zp, act))
        q = g.node("QuantizeLinear", [x, f"{label}.scale", f"{label}.zp"], f"{label}.q")
        return g.node("DequantizeLinear", [q, f"{label}.scale", f"{label}.zp"], f"{label}.dq")

    in_scale = scale_of(6.0 / (ahi - alo))
    x = qdq("input", in_scale, "qin")
    probe = (np.clip(np.round(rng.standard_normal((256, sizes[0])) * 1.5 / in_scale) + a_zp, alo, ahi) - a_zp) * in_scale
    act_scale = in_scale
    for i, (k, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
        amax = np.abs(w).max(axis=0) if per_channel else np.abs(w).max()
        ws = np.asarray(np.vectorize(scale_of)(amax / whi) if pow2 else (amax / whi), np.float32)
        wq = np.clip(np.round(w / ws), wlo, whi).astype(np.int64)
        wdq = (wq * ws).astype(np.float32)
        bias_scale = np.asarray(act_scale * ws, np.float32)
        bq = np.round(rng.standard_normal(n) * 0.1 / bias_scale).astype(np.int32)
        g.inits.append(numpy_helper.from_array(bq, f"fc{i}.bias_q"))
        g.inits.append(numpy_helper.from_array(np.asarray(bias_scale, np.float32), f"fc{i}.bias_scale"))
        b = g.node("DequantizeLinear", [f"fc{i}.bias_q", f"fc{i}.bias_scale"], f"fc{i}.bias_dq", axis=0)
        if gemm:
            g.inits.append(_int_tensor(f"fc{i}.weight_q", wq.T, weight))
            g.inits.append(numpy_helper.from_array(ws, f"fc{i}.weight_scale"))
            g.inits.append(_int_tensor(f"fc{i}.weight_zp", np.zeros(ws.shape, np.int64), weight))
            wd = g.node("DequantizeLinear", [f"fc{i}.weight_q", f"fc{i}.weight_scale", f"fc{i}.weight_zp"],
                        f"fc{i}.weight_dq", axis=0)
            x = g.node("Gemm", [x, wd, b], f"gemm{i}", transB=1)
        else:
            g.inits.append(_int_tensor(f"fc{i}.weight_q", wq, weight))
            g.inits.append(numpy_helper.from_array(ws, f"fc{i}.weight_scale"))
            g.inits.append(_int_tensor(f"fc{i}.weight_zp", np.zeros(ws.shape, np.int64), weight))
            wd = g.node("DequantizeLinear", [f"fc{i}.weight_q", f"fc{i}.weight_scale", f"fc{i}.weight_zp"],
                        f"fc{i}.weight_dq", axis=1)
            x = g.node("MatMul", [x, wd], f"matmul{i}")
            x = g.node("Add", [x, b], f"add{i}")
        probe = probe @ wdq + bq * bias_scale
        if i == len(sizes) - 2:
            break
        if relu:
            x = g.node("Relu", [x], f"relu{i}")
            probe = np.maximum(probe, 0)
        top = np.percentile(np.abs(probe), 99) + 1e-3
        act_scale = scale_of(top / (ahi - a_zp))
        x = qdq(x, act_scale, f"act{i}")
        probe = (np.clip(np.round(probe / act_scale) + a_zp, alo, ahi) - a_zp) * act_scale
    x = qdq(x, scale_of((np.percentile(np.abs(probe), 99) + 1e-3) / (ahi - a_zp)), "qout")
    model = g.model([1, sizes[0]], [1, sizes[-1]], [("", opset)], ir_version=9 if opset >= 21 else 8)
    return QuantModel(model, "ort", _grid_sampler(zlib.crc32(name.encode()), (sizes[0],), in_scale, alo, ahi, a_zp))


def qlinear_mlp(name, sizes=(16, 24, 5), act="uint8", pow2=False, per_channel=True):
    """x -> QuantizeLinear -> QLinearMatMul -> QLinearMatMul ... -> DequantizeLinear."""
    g = _Graph(name)
    rng = g.rng
    tp, npt, alo, ahi = _ONNX_TYPES[act]
    scale_of = (lambda v: _pow2(v)) if pow2 else (lambda v: np.float32(v))
    zp = (alo + ahi + 1) // 2 if alo == 0 else 0
    in_scale = scale_of(6.0 / (ahi - alo))
    g.const("in.scale", np.float32(in_scale))
    g.inits.append(_int_tensor("in.zp", zp, act))
    x = g.node("QuantizeLinear", ["input", "in.scale", "in.zp"], "quant_in")
    probe = np.clip(np.round(rng.standard_normal((256, sizes[0])) * 1.5 / in_scale) + zp, alo, ahi)
    a_scale, a_zp = in_scale, zp
    for i, (k, n) in enumerate(zip(sizes[:-1], sizes[1:])):
        w = (rng.standard_normal((k, n)) / np.sqrt(k)).astype(np.float32)
        amax = np.abs(w).max(axis=0) if per_channel else np.abs(w).max()
        ws = np.asarray(np.vectorize(scale_of)(amax / 127) if pow2 else amax / 127, np.float32)
        wq = np.clip(np.round(w / ws), -127, 127).astype(np.int8)
        acc = (probe - a_zp) @ wq.astype(np.int64)
        real = acc * a_scale * ws
        y_scale = scale_of((np.percentile(np.abs(real), 99) + 1e-3) / (ahi - zp))
        g.const(f"fc{i}.w", wq)
        g.const(f"fc{i}.ws", ws)
        g.const(f"fc{i}.wz", np.zeros(ws.shape, np.int8))
        g.const(f"fc{i}.ys", np.float32(y_scale))
        g.inits.append(_int_tensor(f"fc{i}.yz", zp, act))
        x = g.node("QLinearMatMul", [x, "in.scale" if i == 0 else f"fc{i-1}.ys", "in.zp" if i == 0 else f"fc{i-1}.yz",
                                     f"fc{i}.w", f"fc{i}.ws", f"fc{i}.wz", f"fc{i}.ys", f"fc{i}.yz"], f"qmatmul{i}")
        mult = (np.float32(a_scale) * ws / np.float32(y_scale)).astype(np.float32)
        probe = np.clip(np.rint(acc.astype(np.float32) * mult) + zp, alo, ahi)
        a_scale, a_zp = y_scale, zp
    g.node("DequantizeLinear", [x, f"fc{len(sizes)-2}.ys", f"fc{len(sizes)-2}.yz"], "dequant_out")
    model = g.model([1, sizes[0]], [1, sizes[-1]], [("", 13)])
    return QuantModel(model, "ort", _grid_sampler(zlib.crc32(name.encode()), (sizes[0],), in_scale, alo, ahi, zp))


def matmul_integer_mlp(name, sizes=(16, 8), pow2=False):
    """x -> QuantizeLinear (uint8) -> MatMulInteger (int8 weights, zero points) -> Cast -> Mul -> Add."""
    g = _Graph(name)
    rng = g.rng
    k, n = sizes
    s = _pow2(0.05) if pow2 else np.float32(0.0437)
    g.const("in.scale", np.float32(s))
    g.const("in.zp", np.uint8(120))
    x = g.node("QuantizeLinear", ["input", "in.scale", "in.zp"], "quant_in")
    wq = rng.integers(-100, 100, (k, n)).astype(np.int8)
    g.const("w", wq)
    g.const("wz", np.int8(2))
    y = g.node("MatMulInteger", [x, "w", "in.zp", "wz"], "mmi")
    y = g.node("Cast", [y], "cast", to=TensorProto.FLOAT)
    ws = np.float32(0.0121)
    y = g.node("Mul", [y, g.const("oscale", np.float32(s * ws))], "rescale")
    g.node("Add", [y, g.const("bias", (rng.standard_normal(n) * 0.1).astype(np.float32))], "bias_add")
    model = g.model([1, k], [1, n], [("", 13)])
    return QuantModel(model, "ort", _grid_sampler(zlib.crc32(name.encode()), (k,), s, 0, 255, 120))


def _qonnx_cases():
    cases = {}
    # Weight bits 1-8 x activation bits 2-16, alternating the other knobs deterministically.
    combos = [(1, 2), (2, 2), (2, 4), (3, 3), (4, 6), (5, 8), (6, 6), (7, 12), (8, 8), (8, 16), (4, 10), (3, 16)]
    modes = ["ROUND", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP", "HALF_DOWN"]
    for i, (wb, ab) in enumerate(combos):
        kw = dict(w_bits=wb, a_bits=ab, a_signed=(i % 3 == 0), relu=(i % 3 != 0), narrow_w=(i % 2 == 0),
                  narrow_a=(i % 4 == 1), per_channel=(i % 2 == 1), pow2=(i % 3 != 2), batch_norm=(i % 2 == 0),
                  gemm=(i % 4 == 3), rounding="ROUND" if i % 2 == 0 else modes[i % len(modes)],
                  a_rounding=modes[i % len(modes)], bipolar_weights=(wb == 1 and i % 2 == 0),
                  domain=[QONNX, "finn.custom_op.general", "onnx.brevitas"][i % 3], out_quant=(i % 5 == 0))
        cases[f"qonnx_w{wb}a{ab}_{i}"] = (lambda n, kw=kw: qonnx_mlp(n, **kw))
    cases["qonnx_asym_zero_point"] = lambda n: qonnx_mlp(n, a_bits=4, a_zero_point=3.0, pow2=False)
    cases["qonnx_in_unsigned"] = lambda n: qonnx_mlp(n, in_signed=False, in_bits=6, w_bits=3, a_bits=5)
    # A float Softmax tail over 37 classes: MLAS's two accumulators of 8 lanes and a partial vector.
    cases["qonnx_softmax_37"] = lambda n: qonnx_mlp(n, sizes=(16, 24, 37), w_bits=4, a_bits=6, softmax=True)
    cases["qonnx_wide_24"] = lambda n: qonnx_mlp(n, in_bits=16, w_bits=8, a_bits=24, pow2=True)
    cases["qonnx_trunc_v2"] = lambda n: qonnx_trunc(n, version=2)
    cases["qonnx_trunc_v1"] = lambda n: qonnx_trunc(n, version=1, rounding="ROUND")
    cases["qonnx_trunc_v2_unsigned_narrow"] = lambda n: qonnx_trunc(n, version=2, rounding="CEIL", signed=False, narrow=True)
    return cases


def _onnx_cases():
    cases = {
        "qdq_uint8_pow2": lambda n: qdq_mlp(n, act="uint8", pow2=True),
        "qdq_uint8_any": lambda n: qdq_mlp(n, act="uint8", pow2=False),
        "qdq_int8_pow2_gemm": lambda n: qdq_mlp(n, act="int8", pow2=True, gemm=True),
        "qdq_int8_any_tensor": lambda n: qdq_mlp(n, act="int8", pow2=False, per_channel=False),
        "qdq_int16_opset21": lambda n: qdq_mlp(n, act="int16", weight="int8", opset=21),
        "qdq_uint16_opset21": lambda n: qdq_mlp(n, act="uint16", weight="int8", opset=21, pow2=True),
        "qdq_int4_opset21": lambda n: qdq_mlp(n, act="int4", weight="int4", opset=21),
        "qdq_uint4_opset21": lambda n: qdq_mlp(n, act="uint4", weight="int4", opset=21, pow2=True, gemm=True),
        "qlinear_uint8_any": lambda n: qlinear_mlp(n, act="uint8"),
        "qlinear_int8_pow2": lambda n: qlinear_mlp(n, act="int8", pow2=True, per_channel=False),
        "matmul_integer": lambda n: matmul_integer_mlp(n),
    }
    return cases


MODELS = {**_qonnx_cases(), **_onnx_cases()}


def build(name):
    """The QuantModel of a named case."""
    return MODELS[name](name)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir")
    p.add_argument("--samples", type=int, default=64)
    p.add_argument("--only", nargs="*", help="case names (default: all)")
    a = p.parse_args(argv)
    os.makedirs(a.out_dir, exist_ok=True)
    for name in a.only or MODELS:
        qm = build(name)
        onnx.save(qm.model, os.path.join(a.out_dir, f"{name}.onnx"))
        np.save(os.path.join(a.out_dir, f"{name}.in.npy"), qm.sample(a.samples))


if __name__ == "__main__":
    sys.exit(main())
