#!/usr/bin/env python3
"""Reference outputs from onnxruntime, in the same .npy layout as `fpgaopt csim`.

    python3 ort_reference.py MODEL.onnx IN.npy OUT.npy

IN.npy holds a batch: a leading batch axis, then the model input's shape without its leading 1
(input [1,64] -> (N,64)). The models have a fixed batch of 1, so samples run one at a time.
Graph optimisations are off (ORT_DISABLE_ALL) so the reference is the plain op semantics.
"""

import argparse
import sys

import numpy as np
import onnx
import onnxruntime as ort


def session(model):
    """An onnxruntime session for a ModelProto or a path, on CPU, with graph optimisations off."""
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    opts.log_severity_level = 3
    data = model.SerializeToString() if isinstance(model, onnx.ModelProto) else model
    return ort.InferenceSession(data, opts, providers=["CPUExecutionProvider"])


def run(model, batch):
    """Runs every sample of `batch` (N, *input_shape[1:]) and stacks the first output: (N, ...)."""
    sess = session(model)
    inp = sess.get_inputs()[0].name
    out = sess.get_outputs()[0].name
    batch = np.asarray(batch, dtype=np.float32)
    rows = [sess.run([out], {inp: sample[None, ...]})[0][0] for sample in batch]
    return np.stack(rows).astype(np.float32)


def main(argv=None):
    ap = argparse.ArgumentParser(description="run an ONNX model on a .npy batch with onnxruntime")
    ap.add_argument("model")
    ap.add_argument("input")
    ap.add_argument("output")
    args = ap.parse_args(argv)
    np.save(args.output, run(args.model, np.load(args.input)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
