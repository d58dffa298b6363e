"""End to end: `nn-eqsat` keeps the meaning of real models.

- Float models (python/fpgaopt_models.py): the nn reference interpreter (`fpgaopt run`) gives the
  same outputs with and without nn-eqsat after nn-canonicalize, within 1e-4 relative (folds into
  weights change float32 rounding by a few ulp).
- Quantized models (python/quant_models.py and the QONNX zoo): with nn-eqsat the nn interpreter is
  bit-identical to the run without it, and so is the qdf interpreter after nn-to-qdf (the spec
  every C simulation matches bit for bit; test_quantized_models.py checks that spec against the
  references).
- ONNX models built to need the rules (Gemm + BatchNorm, Mul chains, Transpose pairs, Pad before
  Conv, a scale next to a MaxPool, two Gemms reading one input): the rules fire, and the outputs
  agree within 1e-4. The parallel Gemms are merged into one layer read back with nn.slice, and the
  merged form compiles and C-simulates bit for bit like the qdf interpreter.
"""

import shutil
from pathlib import Path

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


# Models built to need the rules: (model builder, input shape, rules that must fire). They run
# through import-onnx and nn-eqsat alone (no nn-canonicalize), so the e-graph does all the work.
def _acceptance_models():
    from fpgaopt_models import _Builder

    def gemm_bn():
        b = _Builder("eqsat_gemm_bn")
        x = b.gemm("input", "gemm0", 8, 6)
        c = lambda n, lo, hi: b.rng.uniform(lo, hi, 6).astype(np.float32)
        p = [b.const(f"bn0.{n}", c(n, lo, hi)) for n, lo, hi in
             (("scale", 0.5, 1.5), ("bias", -0.3, 0.3), ("mean", -0.2, 0.2), ("var", 0.05, 0.5))]
        x = b.node("BatchNormalization", [x] + p, "bn0", epsilon=1e-3)
        b.node("Relu", [x], "relu0", out="output")
        return b.model([1, 8], [1, 6]), ["fold-bn-into-dense", "fuse-relu-into-dense"]

    def mul_chain():
        b = _Builder("eqsat_mul_chain")
        x = b.gemm("input", "gemm0", 8, 6)
        x = b.node("Mul", [x, b.const("s1", b.rng.uniform(0.5, 2, 6).astype(np.float32))], "mul1")
        x = b.node("Mul", [x, b.const("s2", np.float32(1.7))], "mul2")
        x = b.node("Div", [x, b.const("d", np.float32(3.0))], "div3")
        b.node("Sub", [x, b.const("c", b.uniform((6,), 0.5))], "sub4", out="output")
        return b.model([1, 8], [1, 6]), ["mul-into-dense", "div-to-mul", "sub-to-add", "add-into-dense-bias"]

    def transpose_pair():
        b = _Builder("eqsat_transpose_pair")
        x = b.node("Transpose", ["input"], "to_nhwc", perm=[0, 2, 3, 1])
        x = b.node("Relu", [x], "relu0")
        b.node("Transpose", [x], "to_nchw", perm=[0, 3, 1, 2], out="output")
        return b.model([1, 2, 3, 4], [1, 2, 3, 4]), ["transpose-past-relu", "transpose-transpose", "transpose-identity"]

    def pad_conv():
        b = _Builder("eqsat_pad_conv")
        x = b.node("Pad", ["input", b.const("pads", np.array([0, 0, 1, 1, 0, 0, 1, 1], np.int64))], "pad0")
        w, bias = b.const("conv0.weight", b.uniform((3, 2, 3, 3), 0.4)), b.const("conv0.bias", b.uniform((3,), 0.1))
        b.node("Conv", [x, w, bias], "conv0", out="output", kernel_shape=[3, 3])
        return b.model([1, 2, 5, 5], [1, 3, 5, 5]), ["fold-pad-into-conv"]

    def scale_max_pool():
        b = _Builder("eqsat_scale_max_pool")
        w, bias = b.const("conv0.weight", b.uniform((3, 2, 3, 3), 0.4)), b.const("conv0.bias", b.uniform((3,), 0.1))
        x = b.node("Conv", ["input", w, bias], "conv0", kernel_shape=[3, 3])
        x = b.node("MaxPool", [x], "pool0", kernel_shape=[2, 2], strides=[2, 2])
        b.node("Mul", [x, b.const("s", b.rng.uniform(0.5, 2, (3, 1, 1)).astype(np.float32))], "mul0", out="output")
        return b.model([1, 2, 6, 6], [1, 3, 2, 2]), ["mul-before-max-pool", "mul-into-conv"]

    def parallel_gemm(concat=False):
        b = _Builder("eqsat_parallel_gemm" + ("_concat" if concat else ""))
        y1 = b.node("Relu", [b.gemm("input", "gemm0", 8, 6)], "relu0")
        y2 = b.node("Relu", [b.gemm("input", "gemm1", 8, 4 if concat else 6)], "relu1")
        if concat:
            b.node("Concat", [y1, y2], "cat0", out="output", axis=1)
            return b.model([1, 8], [1, 10]), ["merge-parallel-dense2", "concat-slices"]
        b.node("Add", [y1, y2], "add0", out="output")
        return b.model([1, 8], [1, 6]), ["merge-parallel-dense2", "fuse-relu-into-dense"]

    def parallel_gemm_concat():
        return parallel_gemm(concat=True)

    return {f.__name__: f for f in (gemm_bn, mul_chain, transpose_pair, pad_conv, scale_max_pool, parallel_gemm,
                                    parallel_gemm_concat)}


ACCEPTANCE = _acceptance_models()


@pytest.mark.parametrize("name", sorted(ACCEPTANCE))
def test_rules_fire_on_models_that_need_them(name, fpgaopt, tmp_path):
    model, rules = ACCEPTANCE[name]()
    onnx.save(model, tmp_path / "model.onnx")
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(3).uniform(-1, 1, size=(SAMPLES, *shape[1:])).astype(np.float32)
    np.save(tmp_path / "input.npy", x)
    plain, eqsat = "builtin.module(import-onnx)", "builtin.module(import-onnx,nn-eqsat)"
    opt = fpgaopt.check(tmp_path / "model.onnx", "--pass-pipeline", eqsat, "-o", tmp_path / "o.mlir")
    for rule in rules:
        assert f"{rule} x" in opt.stderr, f"{name}: {rule} did not fire: {opt.stderr}"
    outs = []
    for tag, p in (("plain", plain), ("eqsat", eqsat)):
        fpgaopt.check("run", tmp_path / "model.onnx", "--pass-pipeline", p, "--input", tmp_path / "input.npy",
                      "--output", tmp_path / f"{tag}.npy")
        outs.append(np.load(tmp_path / f"{tag}.npy"))
    err = np.max(np.abs(outs[0].astype(np.float64) - outs[1]) / np.maximum(1.0, np.abs(outs[0])))
    assert err <= 1e-4, f"{name}: relative error {err:.3g}"


@pytest.mark.parametrize("name, slices", [("parallel_gemm", 2), ("parallel_gemm_concat", 0)])
def test_parallel_gemms_merge_and_compile(name, slices, fpgaopt, tmp_path):
    """Two Gemms reading one input become one wider dense and two slices (cheaper by one stage and
    one input buffer; slices of the merged layer concatenated back are the layer itself); the
    default pipeline compiles it and C simulation matches the qdf interpreter bit for bit."""
    model, _ = ACCEPTANCE[name]()
    onnx.save(model, tmp_path / "model.onnx")
    x = np.random.default_rng(3).uniform(-1, 1, size=(8, 8)).astype(np.float32)
    np.save(tmp_path / "input.npy", x)
    opt = fpgaopt.check(tmp_path / "model.onnx", "--pass-pipeline", "builtin.module(import-onnx,nn-canonicalize,nn-eqsat)")
    assert opt.stdout.count('"nn.dense"') == 1 and opt.stdout.count('"nn.slice"') == slices, opt.stdout
    assert '"nn.concat"' not in opt.stdout, opt.stdout
    fpgaopt.compile(tmp_path / "model.onnx", tmp_path / "prj")
    sim = fpgaopt.csim(tmp_path / "prj", tmp_path / "input.npy", tmp_path / "csim.npy")
    ref, _ = _run(fpgaopt, tmp_path, QDF, True, "qdf")
    assert np.array_equal(sim.reshape(ref.shape).view(np.uint32), ref.view(np.uint32))


def test_concat_of_branches_compiles(fpgaopt, tmp_path):
    """A Concat nothing folds away (a layer's input and output side by side) imports as nn.concat,
    lowers to qdf.concat, and C simulation matches the qdf interpreter bit for bit."""
    from fpgaopt_models import _Builder

    b = _Builder("concat_branches")
    y1 = b.node("Relu", [b.gemm("input", "gemm0", 8, 6)], "relu0")
    b.node("Concat", [y1, b.gemm(y1, "gemm1", 6, 3)], "cat0", out="output", axis=1)
    onnx.save(b.model([1, 8], [1, 9]), tmp_path / "model.onnx")
    np.save(tmp_path / "input.npy", np.random.default_rng(4).uniform(-1, 1, size=(8, 8)).astype(np.float32))
    fpgaopt.compile(tmp_path / "model.onnx", tmp_path / "prj")
    sim = fpgaopt.csim(tmp_path / "prj", tmp_path / "input.npy", tmp_path / "csim.npy")
    ref, _ = _run(fpgaopt, tmp_path, QDF, True, "qdf")
    assert np.array_equal(sim.reshape(ref.shape).view(np.uint32), ref.view(np.uint32))
    flt, _ = _run(fpgaopt, tmp_path, NN, True, "nn")
    assert np.max(np.abs(flt - ref)) < 0.01


ZOO = Path(__file__).resolve().parents[3] / "shared" / "models" / "zoo"


@pytest.mark.parametrize("name", sorted(p.stem for p in ZOO.glob("*.onnx")) if ZOO.is_dir() else [])
def test_zoo_models_stay_bit_exact(name, fpgaopt, tmp_path):
    """The QONNX zoo (FINN TFC, KWS MLP, UNSW-NB15, QKeras jet tagger): nn and qdf interpreters
    bit-identical with and without nn-eqsat."""
    model = onnx.load(ZOO / f"{name}.onnx")
    inits = {i.name for i in model.graph.initializer}
    inp = next(i for i in model.graph.input if i.name not in inits)
    shape = [d.dim_value or 1 for d in inp.type.tensor_type.shape.dim]
    shutil.copy(ZOO / f"{name}.onnx", tmp_path / "model.onnx")
    np.save(tmp_path / "input.npy", np.random.default_rng(5).uniform(-1, 1, size=[SAMPLES] + shape[1:]).astype(np.float32))
    for pipeline, tag in ((NN, "nn"), (QDF, "qdf")):
        before, _ = _run(fpgaopt, tmp_path, pipeline, False, f"{tag}_before")
        after, _ = _run(fpgaopt, tmp_path, pipeline, True, f"{tag}_after")
        assert np.array_equal(before.view(np.uint32), after.view(np.uint32)), f"{name} ({tag})"
