#!/usr/bin/env python3
"""Train a float 64-32-32-10 ReLU MLP on scikit-learn's 8x8 digits with numpy only; export ONNX.

Writes into OUT_DIR:
  digits_mlp.onnx   input "input" [1,64] float, output "output" [1,10] logits; nodes
                    gemm0 (Gemm, transB=1) -> relu0 -> gemm1 -> relu1 -> gemm2; opset 13, IR 8
  X_test.npy        float32 (N,64), pixels scaled to [0,1]
  y_test.npy        int64 (N,)
and prints the test accuracy of the trained weights (numpy forward pass).

Deterministic: fixed seed, fixed split. Takes a few seconds on one core.
"""

import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 0
LAYERS = (64, 32, 32, 10)


def load_data():
    """Digits scaled to [0,1], split 80/20 stratified with a fixed seed."""
    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)
    y = digits.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.2, random_state=SEED, stratify=y)


def init_params(rng):
    """He-uniform weights stored PyTorch-style as [out, in], zero biases."""
    params = []
    for fan_in, fan_out in zip(LAYERS[:-1], LAYERS[1:]):
        bound = np.sqrt(6.0 / fan_in)
        w = rng.uniform(-bound, bound, size=(fan_out, fan_in)).astype(np.float32)
        params.append([w, np.zeros(fan_out, dtype=np.float32)])
    return params


def forward(params, x):
    """Returns logits and the per-layer inputs/pre-activations needed for backprop."""
    acts, pres = [x], []
    h = x
    for i, (w, b) in enumerate(params):
        z = h @ w.T + b
        pres.append(z)
        h = np.maximum(z, 0.0) if i < len(params) - 1 else z
        acts.append(h)
    return h, acts, pres


def train(x, y, epochs=60, batch=32, lr=3e-3, weight_decay=3e-3):
    """Adam on softmax cross-entropy.

    The weight decay is there for the hardware, not for accuracy: it keeps the logits within
    about +-14 so that they fit the default fixed<16,6> range (+-32) with room to spare.
    """
    rng = np.random.default_rng(SEED)
    params = init_params(rng)
    m = [[np.zeros_like(p) for p in layer] for layer in params]
    v = [[np.zeros_like(p) for p in layer] for layer in params]
    b1, b2, eps, step = 0.9, 0.999, 1e-8, 0
    onehot = np.eye(LAYERS[-1], dtype=np.float32)[y]
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for start in range(0, len(x), batch):
            idx = order[start:start + batch]
            logits, acts, pres = forward(params, x[idx])
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            grad = (p - onehot[idx]) / len(idx)
            step += 1
            for i in reversed(range(len(params))):
                w, b = params[i]
                gw = grad.T @ acts[i] + weight_decay * w
                gb = grad.sum(axis=0)
                if i > 0:
                    grad = (grad @ w) * (pres[i - 1] > 0)
                for j, g in enumerate((gw, gb)):
                    m[i][j] = b1 * m[i][j] + (1 - b1) * g
                    v[i][j] = b2 * v[i][j] + (1 - b2) * g * g
                    mhat = m[i][j] / (1 - b1 ** step)
                    vhat = v[i][j] / (1 - b2 ** step)
                    params[i][j] = (params[i][j] - lr * mhat / (np.sqrt(vhat) + eps)).astype(np.float32)
    return params


def to_onnx(params):
    """Gemm(transB=1)/Relu chain with named nodes, opset 13, IR version 8."""
    nodes, inits = [], []
    cur = "input"
    for i, (w, b) in enumerate(params):
        inits += [numpy_helper.from_array(w, f"fc{i}.weight"), numpy_helper.from_array(b, f"fc{i}.bias")]
        last = i == len(params) - 1
        out = "output" if last else f"gemm{i}_out"
        nodes.append(helper.make_node("Gemm", [cur, f"fc{i}.weight", f"fc{i}.bias"], [out],
                                      name=f"gemm{i}", transB=1))
        cur = out
        if not last:
            nodes.append(helper.make_node("Relu", [cur], [f"relu{i}_out"], name=f"relu{i}"))
            cur = f"relu{i}_out"
    graph = helper.make_graph(
        nodes, "digits_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, LAYERS[0]])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, LAYERS[-1]])],
        initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], ir_version=8,
                              producer_name="fpgaopt-train-digits")
    onnx.checker.check_model(model)
    return model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", help="directory for digits_mlp.onnx, X_test.npy, y_test.npy")
    ap.add_argument("--epochs", type=int, default=60)
    args = ap.parse_args(argv)

    x_train, x_test, y_train, y_test = load_data()
    params = train(x_train, y_train, epochs=args.epochs)
    acc = float((forward(params, x_test)[0].argmax(axis=1) == y_test).mean())

    os.makedirs(args.out_dir, exist_ok=True)
    onnx.save(to_onnx(params), os.path.join(args.out_dir, "digits_mlp.onnx"))
    np.save(os.path.join(args.out_dir, "X_test.npy"), x_test.astype(np.float32))
    np.save(os.path.join(args.out_dir, "y_test.npy"), y_test.astype(np.int64))
    print(f"digits MLP 64-32-32-10: test accuracy {acc:.4f} ({len(y_test)} samples), "
          f"written to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
