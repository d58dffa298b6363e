"""`qdf-narrow`: narrower accumulators and intermediates, bit-identical results.

- Every generated quantized model (python/quant_models.py; inputs on the first quantizer's grid,
  exact ties, off the grid and saturating) and the zoo models: the qdf interpreter's outputs after
  `qdf-narrow` equal those before it, bit for bit, in the default and the integer forms, also on
  inputs far beyond every quantizer's range.
- The pass narrows something on the zoo models and never widens an accumulator.
- Against hls4ml (python/compare_hls4ml_precision.py): for every model hls4ml converts, no
  fpgaopt accumulator is wider than hls4ml's for the same layer and the total is strictly smaller.
  Skipped when hls4ml is not installed.
"""

import importlib.util
import re
from pathlib import Path

import numpy as np
import onnx
import pytest

import quant_models

SAMPLES = 64
ZOO_DIR = Path(__file__).resolve().parents[3] / "shared" / "models" / "zoo"
ZOO = ["TFC_1W1A", "TFC_1W2A", "TFC_2W2A", "qkeras_jettagging", "kwsmlp_w3a3", "unsw_nb15-mlp-w2a2"]
BEFORE = "builtin.module(import-onnx,nn-canonicalize,nn-to-qdf{{{opts}}})"
AFTER = "builtin.module(import-onnx,nn-canonicalize,nn-to-qdf{{{opts}}},qdf-narrow)"
FORMS = {"default": "", "integer": "inexact-sums=integer float-tail=fixed"}


def _run(fpgaopt, model, x_path, pipeline, out):
    fpgaopt.check("run", model, "--pass-pipeline", pipeline, "--input", x_path, "--output", out)
    return np.load(out)


def _same_bits(a, b):
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    return a.shape == b.shape and np.array_equal(a.view(np.uint32), b.view(np.uint32))


def _check(fpgaopt, tmp_path, model, x, form):
    x_path = tmp_path / f"x_{form}.npy"
    np.save(x_path, x)
    opts = FORMS[form]
    before = _run(fpgaopt, model, x_path, BEFORE.format(opts=opts), tmp_path / f"before_{form}.npy")
    after = _run(fpgaopt, model, x_path, AFTER.format(opts=opts), tmp_path / f"after_{form}.npy")
    assert _same_bits(before, after), f"{model.name} ({form}): qdf-narrow changed outputs"


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("name", sorted(quant_models.MODELS))
def test_generated_models_are_bit_identical(name, form, fpgaopt, tmp_path):
    qm = quant_models.build(name)
    model = tmp_path / "model.onnx"
    onnx.save(qm.model, model)
    x = qm.sample(SAMPLES)
    # Far beyond every quantizer's range too: every saturating path.
    big = np.concatenate([x, x * 1e3, -x * 1e3]).astype(np.float32)
    _check(fpgaopt, tmp_path, model, big, form)


def _zoo_inputs(name, shape, rng):
    n = SAMPLES
    if name.startswith("TFC"):
        x = rng.integers(0, 256, size=(n, *shape)).astype(np.float32) / 255
    elif name.startswith("unsw"):
        x = rng.choice([-1.0, 1.0], size=(n, *shape)).astype(np.float32)
    else:
        x = rng.normal(0, 40 if name.startswith("kws") else 1.5, size=(n, *shape)).astype(np.float32)
    return np.concatenate([x, x * 1e3]).astype(np.float32)


@pytest.mark.parametrize("form", sorted(FORMS))
@pytest.mark.parametrize("name", ZOO)
def test_zoo_models_are_bit_identical(name, form, fpgaopt, tmp_path):
    path = ZOO_DIR / f"{name}.onnx"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    m = onnx.load(path)
    dims = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim][1:]
    x = _zoo_inputs(name, dims, np.random.default_rng(7))
    _check(fpgaopt, tmp_path, path, x, form)


def _acc_widths(text):
    return [int(w) for w in re.findall(r'acc_type = !qdf\.fixed<(\d+)', text)]


@pytest.mark.parametrize("name", ["TFC_1W1A", "TFC_2W2A", "qkeras_jettagging"])
def test_zoo_accumulators_never_widen(name, fpgaopt):
    path = ZOO_DIR / f"{name}.onnx"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    before = _acc_widths(fpgaopt.check(path, "--pass-pipeline", BEFORE.format(opts="")).stdout)
    after = _acc_widths(fpgaopt.check(path, "--pass-pipeline", AFTER.format(opts="")).stdout)
    assert len(before) == len(after) > 0
    assert all(a <= b for a, b in zip(after, before)), (before, after)


@pytest.fixture(scope="module")
def comparison():
    if importlib.util.find_spec("hls4ml") is None:
        pytest.skip("hls4ml is not installed")
    import compare_hls4ml_precision

    return compare_hls4ml_precision.compare(compare_hls4ml_precision.default_models(), workdir=None)


def test_accumulators_no_wider_than_hls4ml(comparison):
    converted = [r for r in comparison if r["hls4ml_error"] is None]
    assert converted, "hls4ml converted no model"
    for r in converted:
        for layer in r["layers"]:
            if layer["hls4ml"] is not None and layer["fpgaopt"] is not None:
                assert layer["fpgaopt"] <= layer["hls4ml"], (r["model"], layer)
        assert r["fpgaopt_total"] < r["hls4ml_total"], (r["model"], r["fpgaopt_total"], r["hls4ml_total"])
