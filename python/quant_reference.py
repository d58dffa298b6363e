#!/usr/bin/env python3
"""Reference outputs of a quantized ONNX model for fpgaopt's bit-exactness checks.

    python3 quant_reference.py MODEL.onnx IN.npy OUT.npy [--engine qonnx|ort]

IN.npy is a float32 batch of shape (N, ...) where each sample is the model's single input without
its leading batch dimension of 1 (the `fpgaopt run` convention); OUT.npy gets the model's first
output for every sample, shape (N, ...). Each sample runs on its own with batch 1, as the compiled
model does.

Engines:
- `qonnx` (default for models with QONNX nodes): `qonnx.core.onnx_exec.execute_onnx`, node by
  node; standard nodes run in onnxruntime, Quant/BipolarQuant/Trunc in qonnx's numpy code.
- `ort` (default otherwise): onnxruntime, CPU, graph optimisations disabled (ORT_DISABLE_ALL),
  which is what bit-exactness with QDQ/QOperator models is defined against.
"""

import argparse
import sys
import warnings

import numpy as np
import onnx

QONNX_DOMAINS = {"qonnx.custom_op.general", "finn.custom_op.general", "finn", "onnx.brevitas"}


def has_qonnx_nodes(model):
    return any(n.domain in QONNX_DOMAINS for n in model.graph.node)


class Reference:
    """Runs one model sample by sample with the chosen engine."""

    def __init__(self, model, engine=None):
        if isinstance(model, str):
            model = onnx.load(model)
        self.engine = engine or ("qonnx" if has_qonnx_nodes(model) else "ort")
        inits = {i.name for i in model.graph.initializer}
        self.input = [i for i in model.graph.input if i.name not in inits][0].name
        self.output = model.graph.output[0].name
        if self.engine == "qonnx":
            from qonnx.core.modelwrapper import ModelWrapper
            from qonnx.transformation.infer_shapes import InferShapes

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.model = ModelWrapper(model).transform(InferShapes())
        else:
            import onnxruntime as ort

            opts = ort.SessionOptions()
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            self.session = ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"])

    def run_one(self, x, tensor=None):
        """The output (or, with the qonnx engine, any named tensor) for one sample, given without
        its batch dimension."""
        x = np.asarray(x, dtype=np.float32)[None]
        name = tensor or self.output
        if self.engine == "qonnx":
            from qonnx.core.onnx_exec import execute_onnx

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                y = execute_onnx(self.model, {self.input: x}, return_full_exec_context=tensor is not None)[name]
        else:
            y = self.session.run([name], {self.input: x})[0]
        return np.asarray(y, dtype=np.float32)[0]

    def run(self, batch, tensor=None):
        return np.stack([self.run_one(x, tensor) for x in batch])


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("model")
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--engine", choices=["qonnx", "ort"])
    a = p.parse_args(argv)
    ref = Reference(a.model, a.engine)
    np.save(a.output, ref.run(np.load(a.input)))


if __name__ == "__main__":
    sys.exit(main())
