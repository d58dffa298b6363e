"""The quantization-aware digits MLP (python/qat_digits.py): its QONNX export, and fpgaopt on it.

The model is trained once per module (about 3 s). The reference is qonnx's `execute_onnx`; the
compiled design must reproduce its outputs bit for bit, and hence its accuracy exactly.
"""

import contextlib
import io
import warnings

import numpy as np
import onnx
import pytest

import qat_digits
import quant_reference

QONNX_DOMAIN = "qonnx.custom_op.general"


@pytest.fixture(scope="module")
def qat(tmp_path_factory):
    out = tmp_path_factory.mktemp("qat_digits")
    log = io.StringIO()
    with contextlib.redirect_stdout(log):
        rc = qat_digits.main([str(out)])
    assert rc == 0, f"qat_digits.py failed:\n{log.getvalue()}"
    return {"dir": out, "model": out / "digits_qat.onnx", "x": out / "X_test.npy", "y": out / "y_test.npy",
            "ref": np.load(out / "qonnx.npy"), "log": log.getvalue()}


def test_export_is_valid_qonnx(qat):
    model = onnx.load(qat["model"])
    onnx.checker.check_model(model, full_check=True)
    opsets = {o.domain: o.version for o in model.opset_import}
    assert opsets.get("") == 13 and QONNX_DOMAIN in opsets, opsets
    quants = {n.output[0]: n for n in model.graph.node if n.op_type == "Quant"}
    assert all(n.domain == QONNX_DOMAIN for n in quants.values())
    inits = {i.name: onnx.numpy_helper.to_array(i) for i in model.graph.initializer}
    gemms = [n for n in model.graph.node if n.op_type == "Gemm"]
    assert len(gemms) == 3
    bits = {}
    for g in gemms:
        # Weights and biases are float initializers behind Quant nodes, as Brevitas exports them.
        for operand in g.input[1:]:
            q = quants.get(operand)
            assert q is not None and q.input[0] in inits, f"{g.name}: {operand} is not a quantized initializer"
            scale = float(inits[q.input[1]])
            assert scale == 2.0 ** np.round(np.log2(scale)), f"{q.name}: scale {scale} is not a power of two"
            assert float(inits[q.input[2]]) == 0.0
            bits[q.name] = int(inits[q.input[3]])
    assert [bits[f"wquant{i}"] for i in range(3)] == [4, 4, 4]
    assert [int(inits[f"aquant{i}.bits"]) for i in range(2)] == [6, 6]
    # qonnx itself accepts the model: shape inference over the custom ops, and a clean-up pass.
    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.transformation.infer_shapes import InferShapes
    from qonnx.util.cleanup import cleanup_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrapper = cleanup_model(ModelWrapper(model).transform(InferShapes()))
    assert wrapper.get_tensor_shape(wrapper.graph.output[0].name) == [1, 10]


def test_reference_accuracy_and_agreement_with_numpy(qat):
    y = np.load(qat["y"])
    acc = float((qat["ref"].argmax(axis=1) == y).mean())
    assert acc >= 0.95, f"qonnx accuracy {acc:.4f}"
    assert "3600/3600 logits identical to numpy's" in qat["log"], qat["log"]


def test_batched_reference_equals_per_sample_execution(qat):
    """qat_digits.py runs execute_onnx once on a batched copy; sample by sample gives the same."""
    x = np.load(qat["x"])[:24]
    per_sample = quant_reference.Reference(str(qat["model"]), engine="qonnx").run(x)
    assert np.array_equal(per_sample, qat["ref"][:24])


def test_nn_interpreter_is_bit_exact(fpgaopt, qat, tmp_path):
    fpgaopt.check("run", qat["model"], "--input", qat["x"], "--output", tmp_path / "nn.npy")
    out = np.load(tmp_path / "nn.npy")
    assert np.array_equal(out.view(np.uint32), qat["ref"].view(np.uint32)), \
        f"{int((out != qat['ref']).sum())} of {out.size} outputs differ from qonnx"


def test_csim_reproduces_accuracy_bit_for_bit(fpgaopt, qat, tmp_path):
    prj = fpgaopt.compile(qat["model"], tmp_path / "prj")
    out = fpgaopt.csim(prj, qat["x"], tmp_path / "csim.npy")
    y = np.load(qat["y"])
    ref = qat["ref"]
    same = int(np.sum(out.view(np.uint32) == ref.view(np.uint32)))
    assert (out.argmax(axis=1) == y).sum() == (ref.argmax(axis=1) == y).sum()
    assert same == ref.size, f"{ref.size - same} of {ref.size} outputs differ from qonnx"
