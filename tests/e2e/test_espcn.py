"""End to end: the Brevitas ESPCN super-resolution models shipped in the qonnx wheel
(`qonnx/data/onnx/bsd300x3-espcn/{nn_resize,subpixel}/{float,quant}_model.onnx`: nearest-resize
and sub-pixel (DepthToSpace) upsampling) -> `fpgaopt compile` -> `fpgaopt csim` (g++), io parallel
and serial.

- float models: every output within 1e-3 of onnxruntime at fixed<32,16>;
- quantized models (8-bit input and output, 4-bit activations, per-channel weight scales that are
  not powers of two, batch norms): bit-identical to qonnx `execute_onnx` on the shipped test image
  (1x3x128x128). Their convolutions are qdf.fconv, onnxruntime's MLAS convolution order;
- that order itself, at the nn level (`fpgaopt run`), against single-node onnxruntime Conv sessions
  with the weights as inputs, as qonnx runs them.
"""

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import helper, numpy_helper

import ort_reference

ESPCN = Path(__import__("qonnx").__file__).parent / "data" / "onnx" / "bsd300x3-espcn"
WIDE_PRECISION = "fixed<32,16>"
# Threads of the reference session in the order test: fpgaopt_nn::eval::mlas_conv::REFERENCE_THREADS.
REFERENCE_THREADS = 2


def test_image():
    t = onnx.TensorProto()
    t.ParseFromString((ESPCN / "test_data" / "input_0.pb").read_bytes())
    return numpy_helper.to_array(t).astype(np.float32)


def model_input(model):
    """The test image for a model declaring 1x3x128x128, else random pixels of its declared shape."""
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = test_image()
    if list(x.shape) == dims:
        return x
    return np.random.default_rng(5).random((4, *dims[1:]), dtype=np.float32)


def qonnx_reference(path, x):
    import warnings

    from qonnx.core.modelwrapper import ModelWrapper
    from qonnx.core.onnx_exec import execute_onnx
    from qonnx.transformation.infer_shapes import InferShapes

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mw = ModelWrapper(str(path)).transform(InferShapes())
        inp, out = mw.graph.input[0].name, mw.graph.output[0].name
        return np.stack([execute_onnx(mw, {inp: s[None, ...]})[out][0] for s in x]).astype(np.float32)


@pytest.mark.parametrize("io", ["parallel", "serial", "stream"])
@pytest.mark.parametrize("name", ["nn_resize", "subpixel"])
def test_float_espcn_matches_onnxruntime(name, io, fpgaopt, tmp_path):
    path = ESPCN / name / "float_model.onnx"
    model = onnx.load(path)
    x = model_input(model)
    np.save(tmp_path / "input.npy", x)
    ref = ort_reference.run(model, x)
    fpgaopt.check("compile", path, "-o", tmp_path / "prj", "--precision", WIDE_PRECISION, "--io", io)
    out = fpgaopt.csim(tmp_path / "prj", tmp_path / "input.npy", tmp_path / "output.npy")
    assert out.shape == ref.shape
    err = np.abs(out.astype(np.float64) - ref)
    assert err.max() <= 1e-3, f"{name} ({io}): max abs error {err.max():.3g}"


_QONNX_REF = {}


@pytest.mark.parametrize("io", ["parallel", "serial", "stream"])
@pytest.mark.parametrize("name", ["nn_resize", "subpixel"])
def test_quant_espcn_is_bit_exact(name, io, fpgaopt, tmp_path):
    path = ESPCN / name / "quant_model.onnx"
    x = test_image()
    np.save(tmp_path / "input.npy", x)
    if name not in _QONNX_REF:
        _QONNX_REF[name] = qonnx_reference(path, x)
    ref = _QONNX_REF[name]
    fpgaopt.check("compile", path, "-o", tmp_path / "prj", "--io", io)
    out = fpgaopt.csim(tmp_path / "prj", tmp_path / "input.npy", tmp_path / "output.npy")
    assert out.shape == ref.shape == (1, 3, 256, 256)
    # Values, not bits: qonnx returns -0.0 where fixed point has one zero.
    differ = np.flatnonzero(out.reshape(-1) != ref.reshape(-1))
    assert differ.size == 0, f"{name} ({io}): {differ.size} of {ref.size} outputs differ, first at {differ[0]}"


# (input channels, size, output channels, kernel): ESPCN's layers at smaller sizes, and a small map
# whose two thread segments sum in blocks of 512 where one whole-map GEMM would use 256.
CONVS = [(3, 64, 16, 5), (32, 64, 32, 3), (32, 32, 12, 3), (64, 8, 64, 3)]


@pytest.mark.parametrize("c,size,m,k", CONVS)
def test_nn_conv_follows_mlas_order(c, size, m, k, fpgaopt, tmp_path):
    rng = np.random.default_rng(c * size + m)
    # Quantized-looking values: codes times non-power-of-two scales, so sums round.
    x = (rng.integers(0, 16, (1, c, size, size)) * np.float32(0.1118828)).astype(np.float32)
    w = (rng.integers(-7, 8, (m, c, k, k)) * (rng.random((m, 1, 1, 1)) * 0.01 + 0.001)).astype(np.float32)
    b = rng.standard_normal(m).astype(np.float32)
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], kernel_shape=[k, k], pads=[k // 2] * 4)
    info = lambda n, a: helper.make_tensor_value_info(n, 1, a.shape)
    # The reference: weights as graph inputs (qonnx's execute_onnx), default session options.
    g = helper.make_graph([node], "g", [info("x", x), info("w", w), info("b", b)], [helper.make_tensor_value_info("y", 1, None)])
    ref_model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 11)])
    ref_model.ir_version = 7
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = REFERENCE_THREADS
    ref = ort.InferenceSession(ref_model.SerializeToString(), opts, providers=["CPUExecutionProvider"]).run(None, {"x": x, "w": w, "b": b})[0]
    # fpgaopt: the same node with the weights as initializers, interpreted at the nn level.
    g = helper.make_graph([node], "g", [info("x", x)], [helper.make_tensor_value_info("y", 1, None)],
                          [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(g, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 7
    onnx.save(model, tmp_path / "conv.onnx")
    np.save(tmp_path / "x.npy", x)
    fpgaopt.check("run", tmp_path / "conv.onnx", "--input", tmp_path / "x.npy", "--output", tmp_path / "y.npy")
    out = np.load(tmp_path / "y.npy")
    differ = np.flatnonzero(out.reshape(-1).view(np.uint32) != ref.reshape(-1).view(np.uint32))
    assert differ.size == 0, f"{differ.size} of {ref.size} outputs differ from onnxruntime"
