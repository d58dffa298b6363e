"""End to end: ONNX float MLPs -> `fpgaopt compile` -> `fpgaopt csim` (g++) vs onnxruntime.

Models come from python/fpgaopt_models.py; the reference is onnxruntime with graph optimisations
off. At fixed<32,16> (16 fractional bits) the C simulation must match to 1e-3 relative to the
output's scale; at the default precision the trained digits MLP must agree on the argmax.
"""

import numpy as np
import onnx
import pytest

import fpgaopt_models
import ort_reference
import train_digits_mlp

BATCH = 128
INPUT_SEED = 20240601
WIDE_PRECISION = "fixed<32,16>"


def _random_batch(model):
    shape = fpgaopt_models.input_shape(model)
    rng = np.random.default_rng(INPUT_SEED)
    return rng.uniform(-1.0, 1.0, size=(BATCH, *shape[1:])).astype(np.float32)


@pytest.mark.parametrize("name", sorted(fpgaopt_models.MODELS))
def test_float_mlp_matches_onnxruntime(name, fpgaopt, tmp_path):
    model = fpgaopt_models.MODELS[name]()
    model_path = tmp_path / f"{name}.onnx"
    onnx.save(model, model_path)
    x = _random_batch(model)
    ref = ort_reference.run(model, x)
    np.save(tmp_path / "input.npy", x)

    prj = fpgaopt.compile(model_path, tmp_path / "prj", precision=WIDE_PRECISION)
    out = fpgaopt.csim(prj, tmp_path / "input.npy", tmp_path / "output.npy")

    assert out.dtype == np.float32, f"csim wrote {out.dtype}, expected float32"
    assert out.shape == ref.shape, f"csim output shape {out.shape}, onnxruntime {ref.shape}"
    assert np.all(np.isfinite(out)), "csim output has NaN or infinity"
    err = float(np.max(np.abs(out.astype(np.float64) - ref)))
    tol = 1e-3 * max(1.0, float(np.max(np.abs(ref))))
    worst = np.unravel_index(np.argmax(np.abs(out - ref)), ref.shape)
    assert err <= tol, (f"{name}: max abs error {err:.3g} > {tol:.3g} at {worst}: "
                        f"csim {out[worst]!r} vs onnxruntime {ref[worst]!r}")


@pytest.fixture(scope="session")
def digits(tmp_path_factory):
    """The trained digits MLP (64-32-32-10) and its test set, trained once per session."""
    out = tmp_path_factory.mktemp("digits")
    assert train_digits_mlp.main([str(out)]) == 0
    return out


def test_digits_default_precision_agrees_with_onnxruntime(digits, fpgaopt, tmp_path):
    model = digits / "digits_mlp.onnx"
    x = np.load(digits / "X_test.npy")
    y = np.load(digits / "y_test.npy")
    ref = ort_reference.run(str(model), x)
    ref_acc = float((ref.argmax(axis=1) == y).mean())
    assert ref_acc >= 0.95, f"trained digits MLP only reaches {ref_acc:.3f} in onnxruntime"

    prj = fpgaopt.compile(model, tmp_path / "prj")
    out = fpgaopt.csim(prj, digits / "X_test.npy", tmp_path / "output.npy")

    assert out.shape == ref.shape, f"csim output shape {out.shape}, onnxruntime {ref.shape}"
    agreement = float((out.argmax(axis=1) == ref.argmax(axis=1)).mean())
    assert agreement >= 0.99, (f"argmax agreement with onnxruntime {agreement:.4f} < 0.99 "
                               f"(csim accuracy {(out.argmax(axis=1) == y).mean():.4f}, "
                               f"onnxruntime {ref_acc:.4f})")


def _assert_clean_failure(proc):
    """Non-zero exit through a diagnostic: no panic (Rust exits 101 on panic), no signal."""
    assert proc.returncode != 0, "fpgaopt accepted a bad model"
    assert proc.returncode > 0, f"fpgaopt died from signal {-proc.returncode}"
    assert "panicked" not in proc.stderr, f"fpgaopt panicked:\n{proc.stderr}"
    assert proc.returncode != 101, f"fpgaopt exited 101 (panic exit code):\n{proc.stderr}"
    assert proc.stderr.strip(), "fpgaopt failed without a message on stderr"


def test_truncated_onnx_is_rejected(fpgaopt, tmp_path):
    data = fpgaopt_models.jet_tagger().SerializeToString()
    bad = tmp_path / "truncated.onnx"
    bad.write_bytes(data[: len(data) // 2])
    proc = fpgaopt.run("compile", bad, "-o", tmp_path / "prj")
    _assert_clean_failure(proc)


@pytest.mark.parametrize("op", ["Hardmax", "TopK"])
def test_unsupported_op_names_node_and_op(op, fpgaopt, tmp_path):
    path = tmp_path / f"unsupported_{op}.onnx"
    onnx.save(fpgaopt_models.unsupported_op_model(op), path)
    proc = fpgaopt.run("compile", path, "-o", tmp_path / "prj")
    _assert_clean_failure(proc)
    assert "bad0" in proc.stderr, f"error does not name the node 'bad0':\n{proc.stderr}"
    assert op in proc.stderr, f"error does not name the op type '{op}':\n{proc.stderr}"
