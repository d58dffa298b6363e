"""End to end: convolutional networks (python/cnn_models.py) -> `fpgaopt compile` -> `fpgaopt csim`
(g++) in every io mode (parallel, serial, stream), against onnxruntime (float, at fixed<32,16>: every output within 1e-3).
"""

import json

import numpy as np
import onnx
import pytest

import cnn_models
import ort_reference

WIDE_PRECISION = "fixed<32,16>"
SAMPLES = 24


def transpose_layers(prj):
    """Names of the transpose layers of report.json. There should be none: qdf-layout cancels the
    layout transposes between layers, qdf-to-hls folds those at the boundary into the input
    quantizer's or the output dequantizer's indexing."""
    layers = json.loads((prj / "report.json").read_text())["layers"]
    return [layer["name"] for layer in layers if layer["op"] == "transpose"]


@pytest.mark.parametrize("io", ["parallel", "serial", "stream"])
@pytest.mark.parametrize("name", sorted(cnn_models.CASES))
def test_float_cnn_matches_onnxruntime(name, io, fpgaopt, tmp_path):
    model = cnn_models.build(name)
    path = tmp_path / f"{name}.onnx"
    onnx.save(model, path)
    x = cnn_models.inputs(name, SAMPLES)
    np.save(tmp_path / "input.npy", x)
    ref = ort_reference.run(model, x)
    fpgaopt.check("compile", path, "-o", tmp_path / "prj", "--precision", WIDE_PRECISION, "--io", io)
    assert not transpose_layers(tmp_path / "prj")
    out = fpgaopt.csim(tmp_path / "prj", tmp_path / "input.npy", tmp_path / "output.npy")
    assert out.shape == ref.shape, f"csim output shape {out.shape}, onnxruntime {ref.shape}"
    err = np.abs(out.astype(np.float64) - ref)
    worst = np.unravel_index(np.argmax(err), ref.shape)
    assert err.max() <= 1e-3, f"{name} ({io}): max abs error {err.max():.3g} at {worst}: csim {out[worst]!r} vs onnxruntime {ref[worst]!r}"


_QONNX_REF = {}


def _qonnx_ref(name, x):
    if name not in _QONNX_REF:
        _QONNX_REF[name] = cnn_models.qonnx_reference(cnn_models.build(name, quantized=True), x)
    return _QONNX_REF[name]


@pytest.mark.parametrize("io", ["parallel", "serial", "stream"])
@pytest.mark.parametrize("name", sorted(cnn_models.CASES))
def test_qonnx_cnn_is_bit_exact(name, io, fpgaopt, tmp_path):
    """The QONNX versions (8-bit input, 4-bit weights, 6-bit activations) match qonnx bit for bit."""
    path = tmp_path / f"{name}_q.onnx"
    onnx.save(cnn_models.build(name, quantized=True), path)
    x = cnn_models.inputs(name, SAMPLES)
    np.save(tmp_path / "input.npy", x)
    ref = _qonnx_ref(name, x)
    fpgaopt.check("compile", path, "-o", tmp_path / "prj", "--io", io)
    assert not transpose_layers(tmp_path / "prj")
    out = fpgaopt.csim(tmp_path / "prj", tmp_path / "input.npy", tmp_path / "output.npy")
    assert out.shape == ref.shape
    differ = np.flatnonzero(out.reshape(-1).view(np.uint32) != ref.reshape(-1).view(np.uint32))
    assert differ.size == 0, f"{name} ({io}): {differ.size} of {ref.size} outputs differ, first at {differ[0]}: csim {out.reshape(-1)[differ[0]]!r} vs qonnx {ref.reshape(-1)[differ[0]]!r}"
