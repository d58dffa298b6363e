#!/usr/bin/env python3
"""Quantization-aware training of a 64-32-32-10 MLP on scikit-learn's digits (numpy only); QONNX export.

The network, as Brevitas would build it from QuantIdentity / QuantLinear / QuantReLU:

  input [1,64] in [0,1]
    -> Quant quant_in: unsigned 8 bits, scale 2^-8            (ufixed<8,0>; 1.0 saturates to 255/256)
    -> Gemm gemm0 (transB=1): Quant(weight) 4-bit signed narrow [-7,7], power-of-two scale per tensor;
                              Quant(bias) 16-bit signed, scale = input scale * weight scale (Int16Bias)
    -> Relu relu0 -> Quant aquant0: unsigned 6 bits, power-of-two scale
    -> Gemm gemm1 ... -> Relu relu1 -> Quant aquant1 (6 bits)
    -> Gemm gemm2 -> Quant quant_out: signed 16 bits, scale = the accumulator's LSB (exact: it only
                                      names the logits' type)

Every scale is a power of two and every bias sits on its accumulator's grid, so each Gemm is exact in
float32 in any summation order (all partial sums are integers times the accumulator LSB, below 2^24 of
them): the model's float32 semantics are exactly fixed-point arithmetic, and hardware can match it bit
for bit. Quant nodes are in the domain `qonnx.custom_op.general`, rounding_mode ROUND (half to even,
numpy's round), zero points 0; the standard ops use opset 13, IR version 8.

Training: Adam on softmax cross-entropy, a few float epochs to calibrate the activation scales (the
power of two that covers the 99.9th percentile with 63 steps), then QAT with straight-through
estimators (gradients pass through round(), and through clip() inside the range). Deterministic:
fixed seed, fixed 80/20 split (the same as python/train_digits_mlp.py).

Writes into OUT_DIR:
  digits_qat.onnx   the QONNX model (input "input" [1,64], output "output" [1,10] logits)
  X_test.npy        float32 (N,64) test pixels in [0,1];  y_test.npy int64 (N,) labels
  qonnx.npy         float32 (N,10) logits from qonnx's execute_onnx (the reference; --no-reference skips)
and prints the numpy (training-time) test accuracy and the qonnx accuracy, which must agree exactly.
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 0
LAYERS = (64, 32, 32, 10)
QONNX_DOMAIN = "qonnx.custom_op.general"
IN_BITS, IN_SCALE = 8, 2.0 ** -8   # unsigned input quantizer
W_BITS = 4                         # signed, narrow: [-7, 7]
A_BITS = 6                         # unsigned activations: [0, 63]
B_BITS = 16                        # signed biases on the accumulator grid
OUT_BITS = 16                      # signed logits on the accumulator grid


def load_data():
    """Digits scaled to [0,1], split 80/20 stratified with a fixed seed."""
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.2, random_state=SEED, stratify=y)


def int_range(bits, signed, narrow):
    """The integer range of a QONNX Quant."""
    if signed:
        return -(2 ** (bits - 1)) + int(narrow), 2 ** (bits - 1) - 1
    return 0, 2 ** bits - 1


def quant(x, scale, bits, signed, narrow=False):
    """QONNX Quant with zero point 0 and rounding_mode ROUND; also the in-range mask for the STE.

    Power-of-two scales make x / scale exact, so float64 here equals qonnx's float32 arithmetic."""
    lo, hi = int_range(bits, signed, narrow)
    q = x / scale
    return np.clip(np.round(q), lo, hi) * scale, (q >= lo) & (q <= hi)


def pow2_ceil(v):
    """The smallest power of two >= v (v > 0)."""
    return float(2.0 ** np.ceil(np.log2(v)))


def weight_scale(w):
    """Per-tensor power-of-two scale that keeps the largest weight inside [-7, 7] steps."""
    return pow2_ceil(max(float(np.abs(w).max()), 1e-8) / int_range(W_BITS, True, True)[1])


def init_params(rng):
    """He-uniform weights stored PyTorch-style as [out, in], zero biases (float32)."""
    params = []
    for fan_in, fan_out in zip(LAYERS[:-1], LAYERS[1:]):
        bound = np.sqrt(6.0 / fan_in)
        w = rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(np.float32)
        params.append([w, np.zeros(fan_out, dtype=np.float32)])
    return params


class Net:
    """The MLP's parameters (float32 shadow weights) and its activation scales."""

    def __init__(self, rng):
        self.params = init_params(rng)
        self.act_scales = None  # None: float forward pass (calibration warm-up)

    def forward(self, x):
        """Logits and what backprop needs. Quantized once act_scales are set; float64 arithmetic,
        exact on every grid, so it equals the exported model's float32 semantics."""
        quantized = self.act_scales is not None
        h = quant(x.astype(np.float64), IN_SCALE, IN_BITS, False)[0] if quantized else x.astype(np.float64)
        s_in = IN_SCALE
        cache = []
        for i, (w, b) in enumerate(self.params):
            last = i == len(self.params) - 1
            if quantized:
                s_w = weight_scale(w)
                wq, wmask = quant(w.astype(np.float64), s_w, W_BITS, True, narrow=True)
                bq, bmask = quant(b.astype(np.float64), s_in * s_w, B_BITS, True)
            else:
                wq, wmask, bq, bmask = w.astype(np.float64), None, b.astype(np.float64), None
            z = h @ wq.T + bq
            entry = {"h": h, "wq": wq, "wmask": wmask, "bmask": bmask, "z": z}
            if last:
                if quantized:
                    z = quant(z, s_in * s_w, OUT_BITS, True)[0]
                cache.append(entry)
                return z, cache
            a = np.maximum(z, 0.0)
            if quantized:
                s_a = self.act_scales[i]
                a, amask = quant(a, s_a, A_BITS, False)
                entry["amask"] = amask & (z > 0)
                s_in = s_a
            else:
                entry["amask"] = z > 0
            cache.append(entry)
            h = a
        raise AssertionError("unreachable")

    def gradients(self, cache, grad):
        """Backprop of d(loss)/d(logits) with straight-through estimators: round() passes the
        gradient, clip() passes it inside the quantizer's range."""
        grads = [None] * len(self.params)
        for i in reversed(range(len(self.params))):
            c = cache[i]
            gw = grad.T @ c["h"]
            gb = grad.sum(axis=0)
            if c["wmask"] is not None:
                gw, gb = gw * c["wmask"], gb * c["bmask"]
            grads[i] = [gw.astype(np.float32), gb.astype(np.float32)]
            if i > 0:
                grad = (grad @ c["wq"]) * cache[i - 1]["amask"]
        return grads

    def calibrate(self, x):
        """Activation scales from the float network: the power of two that puts the 99.9th
        percentile of each ReLU output at 63 steps or below."""
        _, cache = self.forward(x)
        self.act_scales = [pow2_ceil(max(np.percentile(np.maximum(c["z"], 0), 99.9), 1e-3) / int_range(A_BITS, False, False)[1])
                           for c in cache[:-1]]


def train(x, y, float_epochs=10, qat_epochs=50, batch=32, lr=3e-3):
    """Adam on softmax cross-entropy: float warm-up, calibration, then QAT."""
    rng = np.random.default_rng(SEED)
    net = Net(rng)
    m = [[np.zeros_like(p) for p in layer] for layer in net.params]
    v = [[np.zeros_like(p) for p in layer] for layer in net.params]
    b1, b2, eps, step = 0.9, 0.999, 1e-8, 0
    onehot = np.eye(LAYERS[-1])[y]
    for epoch in range(float_epochs + qat_epochs):
        if epoch == float_epochs:
            net.calibrate(x)
        rate = lr if epoch < float_epochs + qat_epochs * 0.6 else lr * 0.3
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            logits, cache = net.forward(x[idx])
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            grads = net.gradients(cache, (p - onehot[idx]) / len(idx))
            step += 1
            for i, layer in enumerate(net.params):
                for j, g in enumerate(grads[i]):
                    m[i][j] = b1 * m[i][j] + (1 - b1) * g
                    v[i][j] = b2 * v[i][j] + (1 - b2) * g * g
                    mhat = m[i][j] / (1 - b1 ** step)
                    vhat = v[i][j] / (1 - b2 ** step)
                    layer[j] = (layer[j] - rate * mhat / (np.sqrt(vhat) + eps)).astype(np.float32)
    return net


def to_qonnx(net):
    """The QONNX graph Brevitas exports for this network (see the module doc)."""
    nodes, inits = [], []

    def const(name, value):
        inits.append(numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))
        return name

    def quant_node(x, name, scale, bits, signed, narrow=False, out=None):
        inputs = [x, const(f"{name}.scale", scale), const(f"{name}.zeropt", 0.0), const(f"{name}.bits", bits)]
        out = out or f"{name}_out"
        nodes.append(helper.make_node("Quant", inputs, [out], name=name, domain=QONNX_DOMAIN,
                                      signed=int(signed), narrow=int(narrow), rounding_mode="ROUND"))
        return out

    cur = quant_node("input", "quant_in", IN_SCALE, IN_BITS, False)
    s_in = IN_SCALE
    for i, (w, b) in enumerate(net.params):
        last = i == len(net.params) - 1
        s_w = weight_scale(w)
        wq = quant_node(const(f"fc{i}.weight", w), f"wquant{i}", s_w, W_BITS, True, narrow=True)
        bq = quant_node(const(f"fc{i}.bias", b), f"bquant{i}", s_in * s_w, B_BITS, True)
        out = f"gemm{i}_out"
        nodes.append(helper.make_node("Gemm", [cur, wq, bq], [out], name=f"gemm{i}", transB=1))
        cur = out
        if last:
            cur = quant_node(cur, "quant_out", s_in * s_w, OUT_BITS, True, out="output")
            break
        nodes.append(helper.make_node("Relu", [cur], [f"relu{i}_out"], name=f"relu{i}"))
        cur = quant_node(f"relu{i}_out", f"aquant{i}", net.act_scales[i], A_BITS, False)
        s_in = net.act_scales[i]
    graph = helper.make_graph(
        nodes, "digits_qat",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, LAYERS[0]])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, LAYERS[-1]])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid(QONNX_DOMAIN, 1)],
                              ir_version=8, producer_name="fpgaopt-qat-digits")
    onnx.checker.check_model(model)
    return model


def qonnx_outputs(model, x):
    """Outputs of qonnx's `execute_onnx` on every sample of x, in one batched execution: a copy of
    the model whose input and output carry the batch size (Quant and Gemm are batch-agnostic)."""
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.transformation.infer_shapes import InferShapes

    batched = onnx.ModelProto()
    batched.CopyFrom(model)
    for vi in (batched.graph.input[0], batched.graph.output[0]):
        vi.type.tensor_type.shape.dim[0].dim_value = len(x)
    del batched.graph.value_info[:]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper = ModelWrapper(batched).transform(InferShapes())
        out = execute_onnx(wrapper, {"input": np.asarray(x, dtype=np.float32)})["output"]
    return np.asarray(out, dtype=np.float32)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", help="directory for digits_qat.onnx, X_test.npy, y_test.npy, qonnx.npy")
    ap.add_argument("--no-reference", action="store_true", help="skip the qonnx execute_onnx reference")
    args = ap.parse_args(argv)

    start = time.perf_counter()
    x_train, x_test, y_train, y_test = load_data()
    net = train(x_train, y_train)
    train_time = time.perf_counter() - start
    logits = net.forward(x_test)[0]
    acc = float((logits.argmax(axis=1) == y_test).mean())

    model = to_qonnx(net)
    os.makedirs(args.out_dir, exist_ok=True)
    onnx.save(model, os.path.join(args.out_dir, "digits_qat.onnx"))
    np.save(os.path.join(args.out_dir, "X_test.npy"), x_test.astype(np.float32))
    np.save(os.path.join(args.out_dir, "y_test.npy"), y_test.astype(np.int64))
    n = len(y_test)
    print(f"digits QAT MLP 64-32-32-10 (w{W_BITS}a{A_BITS}, input u{IN_BITS}): trained in {train_time:.1f} s; "
          f"activation scales {', '.join(f'2^{int(np.log2(s))}' for s in net.act_scales)}")
    print(f"numpy (training-time) accuracy: {acc:.4f} ({round(acc * n)}/{n})")
    if args.no_reference:
        return 0
    t = time.perf_counter()
    ref = qonnx_outputs(model, x_test)
    np.save(os.path.join(args.out_dir, "qonnx.npy"), ref)
    ref_acc = float((ref.argmax(axis=1) == y_test).mean())
    same = int(np.sum(ref == logits.astype(np.float32)))
    print(f"qonnx execute_onnx accuracy: {ref_acc:.4f} ({round(ref_acc * n)}/{n}) in {time.perf_counter() - t:.1f} s; "
          f"{same}/{ref.size} logits identical to numpy's")
    if ref_acc != acc:
        print("qat_digits: error: qonnx and numpy accuracies differ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
