#!/usr/bin/env python3
"""Writes the reference data of fpgaopt's quantization bit-exactness tests.

    python3 python/gen_quant_testdata.py [OUT_DIR] [--samples N] [--zoo-samples N] [--zoo DIR]

For every case of `quant_models.MODELS`: OUT_DIR/<case>.onnx, <case>.in.npy (inputs, float32,
shape (N, ...) without the batch axis) and <case>.out.npy (the reference's outputs: qonnx
`execute_onnx` for QONNX models, onnxruntime with ORT_DISABLE_ALL otherwise). For every model of
the QONNX model zoo in ZOO (default <repo>/../shared/models/zoo): OUT_DIR/zoo_<model>.in.npy and
.out.npy (qonnx), the model itself staying where it is, and for a model ending in Softmax (the jet
tagger) zoo_<model>.logits.npy, the Softmax's input.

Zoo inputs come from each model's documented input range: TFC takes 28x28 MNIST-like images in
[0, 1] (a third exact zeros, a tenth exact ones, a quarter k/255 values, the rest uniform);
kwsmlp takes MFCC-like features (normal, sigma 40, beyond its 8-bit input quantizer's +-105 now and
then); the jet tagger takes standardised features (normal, sigma 1.5); unsw_nb15 takes bipolar -1/+1.
The default OUT_DIR is <repo>/passes/tests/import_quant, read by passes/tests/import_quant_models.rs.
"""

import argparse
import os
import sys

import numpy as np
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import quant_models  # noqa: E402
from quant_reference import Reference  # noqa: E402


def mnist_like(rng, n):
    x = rng.uniform(0, 1, (n, 1, 28, 28)).astype(np.float32)
    pick = rng.uniform(0, 1, x.shape)
    x[pick < 0.33] = 0.0
    x[(pick >= 0.33) & (pick < 0.43)] = 1.0
    grid = (rng.integers(0, 256, x.shape).astype(np.float32) / np.float32(255)).astype(np.float32)
    sel = (pick >= 0.43) & (pick < 0.68)
    x[sel] = grid[sel]
    return x


ZOO = {
    "TFC_1W1A": mnist_like,
    "TFC_1W2A": mnist_like,
    "TFC_2W2A": mnist_like,
    "kwsmlp_w3a3": lambda rng, n: (rng.standard_normal((n, 1, 10, 49)) * 40).astype(np.float32),
    "qkeras_jettagging": lambda rng, n: (rng.standard_normal((n, 16)) * 1.5).astype(np.float32),
    "unsw_nb15-mlp-w2a2": lambda rng, n: np.where(rng.uniform(0, 1, (n, 600)) < 0.5, -1.0, 1.0).astype(np.float32),
}


def zoo_inputs(name, n, seed=0):
    """The inputs of a zoo model (deterministic)."""
    return ZOO[name](np.random.default_rng(seed + sum(map(ord, name))), n)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("out_dir", nargs="?", default=os.path.join(REPO, "passes", "tests", "import_quant"))
    p.add_argument("--samples", type=int, default=32)
    p.add_argument("--zoo-samples", type=int, default=16)
    p.add_argument("--zoo", default=os.path.normpath(os.path.join(REPO, "..", "shared", "models", "zoo")))
    p.add_argument("--only", nargs="*")
    a = p.parse_args(argv)
    os.makedirs(a.out_dir, exist_ok=True)
    for name, make in quant_models.MODELS.items():
        if a.only and name not in a.only:
            continue
        qm = make(name)
        x = qm.sample(a.samples)
        y = Reference(qm.model, qm.engine).run(x)
        onnx.save(qm.model, os.path.join(a.out_dir, f"{name}.onnx"))
        np.save(os.path.join(a.out_dir, f"{name}.in.npy"), x)
        np.save(os.path.join(a.out_dir, f"{name}.out.npy"), y)
        print(f"{name}: {qm.engine}, {len(x)} samples")
    for name in ZOO:
        if a.only and name not in a.only:
            continue
        path = os.path.join(a.zoo, f"{name}.onnx")
        if not os.path.exists(path):
            print(f"{name}: {path} not found, skipped")
            continue
        x = zoo_inputs(name, a.zoo_samples)
        ref = Reference(path, "qonnx")
        np.save(os.path.join(a.out_dir, f"zoo_{name}.in.npy"), x)
        np.save(os.path.join(a.out_dir, f"zoo_{name}.out.npy"), ref.run(x))
        last = onnx.load(path).graph.node[-1]
        if last.op_type == "Softmax":
            # The float tail after the last quantizer: its input is compared bit for bit.
            np.save(os.path.join(a.out_dir, f"zoo_{name}.logits.npy"), ref.run(x, last.input[0]))
        print(f"zoo {name}: {len(x)} samples")


if __name__ == "__main__":
    sys.exit(main())
