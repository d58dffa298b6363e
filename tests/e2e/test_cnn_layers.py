"""End to end: the CNN layers beyond Conv and pooling windows (ConvTranspose, GlobalMaxPool,
HardSigmoid, QLinearConv, ConvInteger) -> `fpgaopt compile` -> `fpgaopt csim` (g++).

Float models at fixed<32,16> stay within 1e-3 of onnxruntime; QONNX models equal qonnx's
`execute_onnx` (as values: qonnx returns -0.0 where fixed point has one zero); QLinearConv and
ConvInteger models equal onnxruntime bit for bit.
"""

import numpy as np
import onnx
import pytest

import cnn_layer_models
import cnn_models
import ort_reference
from test_cnn import transpose_layers
from test_nn_resample_ops import CASES as ONE_OP_CASES

WIDE_PRECISION = "fixed<32,16>"
SAMPLES = 16


def _compile_and_run(fpgaopt, tmp_path, model, x, *flags):
    path = tmp_path / "model.onnx"
    onnx.save(model, path)
    np.save(tmp_path / "input.npy", x)
    fpgaopt.check("compile", path, "-o", tmp_path / "prj", *flags)
    assert not transpose_layers(tmp_path / "prj")
    return fpgaopt.csim(tmp_path / "prj", tmp_path / "input.npy", tmp_path / "output.npy")


def _assert_close(name, out, ref):
    assert out.shape == ref.shape, f"csim output shape {out.shape}, reference {ref.shape}"
    err = np.abs(out.astype(np.float64) - ref)
    worst = np.unravel_index(np.argmax(err), ref.shape)
    assert err.max() <= 1e-3, f"{name}: max abs error {err.max():.3g} at {worst}: csim {out[worst]!r} vs onnxruntime {ref[worst]!r}"


@pytest.mark.parametrize("io", ["parallel", "serial"])
@pytest.mark.parametrize("name", sorted(cnn_layer_models.CASES))
def test_float_network_matches_onnxruntime(name, io, fpgaopt, tmp_path):
    model = cnn_layer_models.build(name)
    x = cnn_layer_models.inputs(name, SAMPLES)
    out = _compile_and_run(fpgaopt, tmp_path, model, x, "--precision", WIDE_PRECISION, "--io", io)
    _assert_close(f"{name} ({io})", out, ort_reference.run(model, x))


@pytest.mark.parametrize("name", ["transposed_variants", "upsample"])
def test_qonnx_network_is_exact(name, fpgaopt, tmp_path):
    model = cnn_layer_models.build(name, quantized=True)
    x = cnn_layer_models.inputs(name, SAMPLES)
    ref = cnn_models.qonnx_reference(model, x)
    out = _compile_and_run(fpgaopt, tmp_path, model, x)
    assert out.shape == ref.shape
    differ = np.flatnonzero(out.reshape(-1) != ref.reshape(-1))
    assert differ.size == 0, f"{name}: {differ.size} of {ref.size} outputs differ, first at {differ[0]}: csim {out.reshape(-1)[differ[0]]!r} vs qonnx {ref.reshape(-1)[differ[0]]!r}"


@pytest.mark.parametrize("case", ["global_max_pool_1d", "conv_transpose_same_lower", "conv_transpose_output_shape"])
def test_float_layer_matches_onnxruntime(case, fpgaopt, tmp_path):
    model = ONE_OP_CASES[case]()
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(3).uniform(-3.0, 3.0, (SAMPLES, *shape[1:])).astype(np.float32)
    out = _compile_and_run(fpgaopt, tmp_path, model, x, "--precision", WIDE_PRECISION)
    _assert_close(case, out, ort_reference.run(model, x))


@pytest.mark.parametrize("case", ["qlinear_conv_u8s8", "qlinear_conv_u8s8_per_channel", "qlinear_conv_depthwise",
                                  "conv_integer_s8_padded"])
def test_integer_conv_is_bit_exact(case, fpgaopt, tmp_path):
    """QuantizeLinear -> QLinearConv -> DequantizeLinear (or ConvInteger -> Cast): integer conv and
    requantization in hardware, onnxruntime's values bit for bit."""
    model = ONE_OP_CASES[case]()
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(4).uniform(-3.0, 3.0, (64, *shape[1:])).astype(np.float32)
    out = _compile_and_run(fpgaopt, tmp_path, model, x)
    ref = ort_reference.run(model, x)
    assert out.shape == ref.shape
    differ = np.flatnonzero(out.reshape(-1).view(np.uint32) != ref.reshape(-1).view(np.uint32))
    assert differ.size == 0, f"{case}: {differ.size} of {ref.size} outputs differ"


def test_qonnx_hard_sigmoid_is_a_clear_error(fpgaopt, tmp_path):
    """HardSigmoid's clip between a quantized conv and its quantizer is not lowered in quantized
    models yet (no float32 clip op in qdf): a diagnostic naming the node, not a crash."""
    path = tmp_path / "model.onnx"
    onnx.save(cnn_layer_models.build("hardsigmoid_gmp", quantized=True), path)
    proc = fpgaopt.run("compile", path, "-o", tmp_path / "prj")
    assert proc.returncode != 0
    assert "node 'hsig' (nn.clip): is not supported in a quantized model" in proc.stderr
