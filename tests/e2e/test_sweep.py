"""`fpgaopt sweep`: one float model at several precisions, against the float model.

The sweep compares each precision's exact qdf interpretation with the nn interpreter. These tests
check what a user relies on: errors shrink as precision grows; the reported errors, agreement and
accuracy equal what one gets against onnxruntime from the outputs of `fpgaopt run` at that precision;
per-layer configs and precisions with rounding/overflow modes pass through; the sweep is fast; and
(the sweep's guarantee) the qdf interpreter equals the C simulation bit for bit.
"""

import json
import time

import numpy as np
import onnx
import pytest

import fpgaopt_models
import ort_reference
import train_digits_mlp

DIGITS_PRECISIONS = ["fixed<16,6>", "fixed<12,4>", "fixed<10,4>", "fixed<8,3>"]
# Same integer bits, more fractional bits: nothing overflows, so errors must shrink step by step.
LADDER = ["fixed<8,6>", "fixed<10,6>", "fixed<12,6>", "fixed<16,6>", "fixed<24,6>"]
JET_SAMPLES = 256


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    """The float digits MLP, its test set and onnxruntime's outputs on it."""
    out = tmp_path_factory.mktemp("sweep_digits")
    assert train_digits_mlp.main([str(out)]) == 0
    model = out / "digits_mlp.onnx"
    ort = ort_reference.run(str(model), np.load(out / "X_test.npy"))
    return {"dir": out, "model": model, "x": out / "X_test.npy", "y": out / "y_test.npy", "ort": ort}


@pytest.fixture(scope="module")
def jet(tmp_path_factory):
    """The jet tagger (16-64-32-32-5 + softmax), random inputs in [-1, 1], onnxruntime's outputs."""
    out = tmp_path_factory.mktemp("sweep_jet")
    model = out / "jet_tagger.onnx"
    onnx.save(fpgaopt_models.jet_tagger(), model)
    x = np.random.default_rng(7).uniform(-1, 1, (JET_SAMPLES, 16)).astype(np.float32)
    np.save(out / "x.npy", x)
    ort = ort_reference.run(str(model), x)
    # Labels: onnxruntime's own classes, with every 10th sample shifted, so accuracy is not agreement.
    y = ort.argmax(axis=1)
    y[::10] = (y[::10] + 1) % 5
    np.save(out / "y.npy", y.astype(np.int32))
    return {"dir": out, "model": model, "x": out / "x.npy", "y": out / "y.npy", "ort": ort}


def sweep_json(fpgaopt, model, precisions, x, labels=None, config=None):
    args = ["sweep", model, "--precisions", ",".join(precisions), "--input", x, "--json"]
    if labels:
        args += ["--labels", labels]
    if config:
        args += ["--config", config]
    return json.loads(fpgaopt.check(*args).stdout)


def run_at(fpgaopt, model, precision, x, out, config=None):
    """`fpgaopt run` after nn-to-qdf at one precision: the outputs the sweep scores."""
    opts = f"precision={precision}" + (f" config={config}" if config else "")
    pipeline = f"builtin.module(import-onnx,nn-canonicalize,nn-to-qdf{{{opts}}})"
    fpgaopt.check("run", model, f"--pass-pipeline={pipeline}", "--input", x, "--output", out)
    return np.load(out)


def check_against_onnxruntime(fpgaopt, case, report, tmp_path):
    """Every row's numbers, recomputed against onnxruntime from `fpgaopt run`'s outputs."""
    ort = case["ort"].astype(np.float64)
    labels = np.load(case["y"])
    ref_correct = int((ort.argmax(axis=1) == labels).sum())
    assert report["reference"]["correct"] == ref_correct
    # The nn interpreter is the float reference; it reproduces onnxruntime (to an ulp for softmax).
    nn_out = tmp_path / "nn.npy"
    fpgaopt.check("run", case["model"], "--input", case["x"], "--output", nn_out)
    ulp_gap = float(np.abs(np.load(nn_out) - ort).max())
    assert ulp_gap <= 1e-6, f"nn interpreter departs from onnxruntime by {ulp_gap}"
    for row in report["rows"]:
        out = run_at(fpgaopt, case["model"], row["precision"], case["x"], tmp_path / "q.npy").astype(np.float64)
        diff = np.abs(out - ort)
        p = row["precision"]
        assert row["max_abs_err"] == pytest.approx(diff.max(), abs=ulp_gap + 1e-12), p
        assert row["mean_abs_err"] == pytest.approx(diff.mean(), abs=ulp_gap + 1e-12), p
        assert row["agree"] == int((out.argmax(axis=1) == ort.argmax(axis=1)).sum()), p
        assert row["correct"] == int((out.argmax(axis=1) == labels).sum()), p


def assert_errors_shrink(report):
    rows = report["rows"]
    for lo, hi in zip(rows, rows[1:]):
        assert hi["mean_abs_err"] < lo["mean_abs_err"], f"mean error grows from {lo['precision']} to {hi['precision']}"
        assert hi["max_abs_err"] <= lo["max_abs_err"], f"max error grows from {lo['precision']} to {hi['precision']}"
    assert rows[-1]["max_abs_err"] < 1e-3, "fixed<24,6> should be close to float"
    assert rows[-1]["agreement"] == 1.0


def test_digits_sweep_matches_onnxruntime(fpgaopt, digits, tmp_path):
    report = sweep_json(fpgaopt, digits["model"], DIGITS_PRECISIONS, digits["x"], digits["y"])
    assert [r["precision"] for r in report["rows"]] == DIGITS_PRECISIONS
    assert report["samples"] == 360
    check_against_onnxruntime(fpgaopt, digits, report, tmp_path)
    # The default precision keeps the trained model's accuracy.
    assert report["rows"][0]["correct"] == report["reference"]["correct"]


def test_digits_errors_shrink_as_precision_grows(fpgaopt, digits):
    assert_errors_shrink(sweep_json(fpgaopt, digits["model"], LADDER, digits["x"], digits["y"]))


def test_jet_tagger_sweep(fpgaopt, jet, tmp_path):
    report = sweep_json(fpgaopt, jet["model"], LADDER, jet["x"], jet["y"])
    assert report["samples"] == JET_SAMPLES
    assert_errors_shrink(report)
    check_against_onnxruntime(fpgaopt, jet, report, tmp_path)


def test_table_lists_every_precision_and_a_recommendation(fpgaopt, digits):
    precisions = DIGITS_PRECISIONS + ["fixed<10,4,RND,SAT>"]
    proc = fpgaopt.check("sweep", digits["model"], "--precisions", ",".join(precisions),
                         "--input", digits["x"], "--labels", digits["y"])
    lines = proc.stdout.splitlines()
    assert lines[0].split()[:2] == ["precision", "max"], proc.stdout
    assert lines[2].startswith("reference"), proc.stdout
    for p, line in zip(precisions, lines[3:]):
        assert line.startswith(p + " "), proc.stdout
    assert "narrowest precision that keeps the reference accuracy:" in proc.stdout


def test_modes_and_per_layer_config_pass_through(fpgaopt, digits, tmp_path):
    """A precision with modes, and a config with `input` and per-layer rounding/overflow, give
    exactly what `fpgaopt run` gives with the same nn-to-qdf options."""
    config = tmp_path / "layers.json"
    config.write_text(json.dumps({
        "input": "ufixed<8,0,RND,SAT>",
        "layers": {"gemm2": {"result": "fixed<12,5>", "rounding": "RND", "overflow": "SAT"},
                   "relu0": {"rounding": "RND_CONV", "overflow": "SAT"}},
    }))
    precisions = ["fixed<8,3,RND,SAT>", "fixed<8,3>"]
    with_cfg = sweep_json(fpgaopt, digits["model"], precisions, digits["x"], digits["y"], config=config)
    without = sweep_json(fpgaopt, digits["model"], precisions, digits["x"], digits["y"])
    assert [r["precision"] for r in with_cfg["rows"]] == precisions
    # The wider saturating logits fix the wrap-around of fixed<8,3> (range +-4 < logits of +-14).
    assert with_cfg["rows"][1]["correct"] > without["rows"][1]["correct"]
    ort = digits["ort"].astype(np.float64)
    for row in with_cfg["rows"]:
        out = run_at(fpgaopt, digits["model"], row["precision"], digits["x"], tmp_path / "q.npy", config=config)
        assert row["max_abs_err"] == np.abs(out - ort).max()


def test_sweep_is_fast(fpgaopt, digits):
    start = time.perf_counter()
    report = sweep_json(fpgaopt, digits["model"], DIGITS_PRECISIONS, digits["x"], digits["y"])
    wall = time.perf_counter() - start
    assert wall < 2.0, f"sweep of 4 precisions x 360 samples took {wall:.2f} s"
    assert report["seconds"] < wall


def test_sweep_equals_csim_bit_for_bit(fpgaopt, digits, tmp_path):
    """The sweep's guarantee: its qdf interpretation is what C simulation computes."""
    precision = "fixed<10,4,RND,SAT>"
    interp = run_at(fpgaopt, digits["model"], precision, digits["x"], tmp_path / "run.npy")
    prj = fpgaopt.compile(digits["model"], tmp_path / "prj", precision=precision)
    csim = fpgaopt.csim(prj, digits["x"], tmp_path / "csim.npy")
    assert np.array_equal(interp.view(np.uint32), csim.view(np.uint32)), \
        f"{int((interp != csim).sum())} of {interp.size} outputs differ"


def test_bad_arguments_are_clear_errors(fpgaopt, digits, tmp_path):
    float_labels = tmp_path / "float_labels.npy"
    np.save(float_labels, np.load(digits["y"]).astype(np.float32))
    cases = [
        (["--precisions", "fixed<16,6>,fixed<8>"], "fixed<8>"),
        (["--labels", float_labels], "int64 or int32"),
        (["--labels", digits["x"]], "shape (N,)"),
    ]
    bad = tmp_path / "bad.json"
    bad.write_text('{"layers": {"nope": {"rounding": "RND"}}}')
    cases.append((["--config", bad], "'nope'"))
    for extra, message in cases:
        proc = fpgaopt.run("sweep", digits["model"], "--input", digits["x"], *extra)
        assert proc.returncode == 1 and message in proc.stderr, (extra, proc.stderr)
