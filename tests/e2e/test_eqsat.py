"""End to end: `nn-eqsat` keeps the meaning of real models.

- Float models (python/fpgaopt_models.py): the nn reference interpreter (`fpgaopt run`) gives the
  same outputs with and without nn-eqsat after nn-canonicalize, within 1e-4 relative (folds into
  weights change float32 rounding by a few ulp).
- Quantized models (python/quant_models.py): with nn-eqsat the nn interpreter is bit-identical to
  the run without it, and so is the qdf interpreter after nn-to-qdf (the spec every C simulation
  matches bit for bit; test_quantized_models.py checks that spec against the references).
"""

import numpy as np
import onnx
import pytest

import fpgaopt_models
import quant_models

SAMPLES = 32
NN = "builtin.module(import-onnx,nn-canonicalize{eqsat})"
QDF = "builtin.module(import-onnx,nn-canonicalize{eqsat},nn-to-qdf)"
# the two lines above with {eqsat} replaced by ",nn-eqsat" or nothing


def _run(fpgaopt, d, pipeline, eqsat, tag):
    out = d / f"{tag}.npy"
    text = pipeline.replace("{eqsat}", ",nn-eqsat" if eqsat else "")
    proc = fpgaopt.check("run", d / "model.onnx", "--pass-pipeline", text, "--input", d / "input.npy", "--output", out)
    return np.load(out), proc.stderr


@pytest.mark.parametrize("name", sorted(fpgaopt_models.MODELS))
def test_float_models_keep_their_outputs(name, fpgaopt, tmp_path):
    model = fpgaopt_models.MODELS[name]()
    onnx.save(model, tmp_path / "model.onnx")
    shape = fpgaopt_models.input_shape(model)
    x = np.random.default_rng(7).uniform(-1, 1, size=(SAMPLES, *shape[1:])).astype(np.float32)
    np.save(tmp_path / "input.npy", x)
    before, _ = _run(fpgaopt, tmp_path, NN, False, "before")
    after, _ = _run(fpgaopt, tmp_path, NN, True, "after")
    opt = fpgaopt.check(tmp_path / "model.onnx", "--pass-pipeline", NN.replace("{eqsat}", ",nn-eqsat"), "-o", tmp_path / "o.mlir")
    assert "nn-eqsat: @main saturated" in opt.stderr, opt.stderr
    err = np.max(np.abs(before.astype(np.float64) - after) / np.maximum(1.0, np.abs(before)))
    assert err <= 1e-4, f"{name}: relative error {err:.3g}"


@pytest.fixture(scope="module")
def qmodels(tmp_path_factory):
    root = tmp_path_factory.mktemp("eqsat_quant")
    out = {}
    for name in quant_models.MODELS:
        qm = quant_models.build(name)
        d = root / name
        d.mkdir()
        onnx.save(qm.model, d / "model.onnx")
        np.save(d / "input.npy", qm.sample(SAMPLES))
        out[name] = d
    return out


@pytest.mark.parametrize("name", sorted(quant_models.MODELS))
def test_quantized_models_stay_bit_exact(name, qmodels, fpgaopt):
    d = qmodels[name]
    for pipeline, tag in ((NN, "nn"), (QDF, "qdf")):
        before, _ = _run(fpgaopt, d, pipeline, False, f"{tag}_before")
        after, _ = _run(fpgaopt, d, pipeline, True, f"{tag}_after")
        same = before.view(np.uint32) == after.view(np.uint32)
        assert same.all(), f"{name} ({tag}): {same.mean():.4%} bit-identical"
