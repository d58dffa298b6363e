"""The nn reference interpreter on convolution, padding, pooling, transpose and the no-op ops
(Identity, Dropout, Cast) against onnxruntime (CPU, graph optimisations off).

Each case is a small ONNX model built with onnx.helper; `fpgaopt run` interprets it at the nn level
(`import-onnx,nn-canonicalize`) on a batch of two samples and must agree with onnxruntime within
1e-5 relative. The test also reports how many outputs are bit-identical."""

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from ort_reference import run as ort_run

PIPELINE = "builtin.module(import-onnx,nn-canonicalize)"


def _model(nodes, x_shape, y_shape, inits=(), opset=13):
    graph = helper.make_graph(nodes, "spatial", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def _weights(name, shape, seed):
    rng = np.random.default_rng(seed)
    return numpy_helper.from_array(rng.uniform(-1, 1, shape).astype(np.float32), name)


def _conv(x_shape, w_shape, bias=True, seed=1, **attrs):
    inits = [_weights("w", w_shape, seed)]
    inputs = ["x", "w"]
    if bias:
        inits.append(_weights("b", [w_shape[0]], seed + 1))
        inputs.append("b")
    return _model([helper.make_node("Conv", inputs, ["y"], name="conv", **attrs)], x_shape, None, inits)


def _one(op, x_shape, opset=13, inits=(), inputs=("x",), **attrs):
    return _model([helper.make_node(op, list(inputs), ["y"], name=op.lower(), **attrs)], x_shape, None, inits, opset)


def _ints(name, values):
    return numpy_helper.from_array(np.asarray(values, dtype=np.int64), name)


CASES = {
    "conv1d_strides_dilations_pads": lambda: _conv([1, 3, 11], [4, 3, 3], strides=[2], dilations=[2], pads=[1, 0]),
    "conv2d_same_size": lambda: _conv([1, 3, 8, 8], [4, 3, 3, 3], pads=[1, 1, 1, 1]),
    "conv2d_asymmetric": lambda: _conv([1, 2, 9, 8], [3, 2, 3, 2], strides=[2, 1], dilations=[1, 2],
                                       pads=[0, 1, 2, 1]),
    "conv2d_groups": lambda: _conv([1, 4, 6, 6], [6, 2, 3, 3], group=2),
    "conv2d_depthwise": lambda: _conv([1, 4, 7, 7], [4, 1, 3, 3], group=4, pads=[1, 1, 1, 1]),
    "conv2d_one_filter_long_sum": lambda: _conv([1, 40, 4, 4], [1, 40, 3, 3]),
    "conv2d_no_bias": lambda: _conv([1, 2, 5, 5], [2, 2, 2, 2], bias=False),
    "conv2d_pointwise": lambda: _conv([1, 8, 4, 4], [5, 8, 1, 1]),
    "conv2d_long_sum": lambda: _conv([1, 32, 5, 5], [4, 32, 3, 3]),
    "conv2d_long_sum_many_outputs": lambda: _conv([1, 16, 12, 12], [2, 16, 3, 3]),
    "conv2d_long_sum_64_outputs": lambda: _conv([1, 32, 10, 10], [2, 32, 3, 3]),
    "conv2d_same_upper": lambda: _conv([1, 2, 6, 7], [3, 2, 3, 2], strides=[2, 2], auto_pad="SAME_UPPER"),
    "conv2d_same_lower": lambda: _conv([1, 2, 6, 7], [3, 2, 2, 3], strides=[2, 1], auto_pad="SAME_LOWER"),
    "conv2d_valid": lambda: _conv([1, 2, 6, 7], [3, 2, 3, 3], strides=[2, 2], auto_pad="VALID"),
    "pad_opset13": lambda: _one("Pad", [1, 2, 3, 4], inputs=("x", "p", "v"),
                                inits=[_ints("p", [0, 0, 1, 2, 0, 1, 0, 3]),
                                       numpy_helper.from_array(np.array(1.5, np.float32), "v")]),
    "pad_opset18_axes": lambda: _one("Pad", [1, 2, 3, 4], opset=18, inputs=("x", "p", "", "a"),
                                     inits=[_ints("p", [2, 1, 0, 3]), _ints("a", [-1, 2])]),
    "pad_opset9_attrs": lambda: _one("Pad", [1, 3, 4], opset=9, pads=[0, 1, 2, 0, 0, 1], value=-2.0),
    "max_pool2d": lambda: _one("MaxPool", [1, 3, 9, 9], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
    "max_pool2d_ceil": lambda: _one("MaxPool", [1, 2, 8, 8], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
    "max_pool2d_ceil_pads": lambda: _one("MaxPool", [1, 2, 7, 6], kernel_shape=[2, 3], strides=[2, 2],
                                         pads=[1, 0, 0, 1], ceil_mode=1),
    "max_pool2d_dilated": lambda: _one("MaxPool", [1, 2, 9, 9], kernel_shape=[2, 2], dilations=[2, 3]),
    "max_pool1d_same": lambda: _one("MaxPool", [1, 3, 10], kernel_shape=[3], strides=[3], auto_pad="SAME_UPPER"),
    "avg_pool2d_exclude_pad": lambda: _one("AveragePool", [1, 3, 7, 7], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
    "avg_pool2d_include_pad": lambda: _one("AveragePool", [1, 3, 7, 7], kernel_shape=[3, 3], pads=[1, 2, 1, 0],
                                           count_include_pad=1),
    "avg_pool2d_ceil": lambda: _one("AveragePool", [1, 2, 8, 8], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
    "avg_pool2d_ceil_include_pad": lambda: _one("AveragePool", [1, 2, 8, 7], kernel_shape=[3, 3], strides=[2, 2],
                                                pads=[1, 1, 1, 1], ceil_mode=1, count_include_pad=1),
    "avg_pool2d_wide_stride": lambda: _one("AveragePool", [1, 2, 7, 9], kernel_shape=[3, 2], strides=[2, 3]),
    "avg_pool1d": lambda: _one("AveragePool", [1, 3, 10], kernel_shape=[4], strides=[2], pads=[1, 1]),
    "global_average_pool": lambda: _one("GlobalAveragePool", [1, 5, 6, 7]),
    "transpose_nhwc": lambda: _one("Transpose", [1, 3, 4, 5], perm=[0, 2, 3, 1]),
    "transpose_3d": lambda: _one("Transpose", [1, 6, 5], perm=[0, 2, 1]),
    "identity_dropout_cast": lambda: _model([
        helper.make_node("Identity", ["x"], ["a"], name="id"),
        helper.make_node("Relu", ["a"], ["r"], name="relu"),
        helper.make_node("Dropout", ["r"], ["d"], name="drop"),
        helper.make_node("Cast", ["d"], ["y"], name="cast", to=TensorProto.FLOAT),
    ], [1, 4, 3], None),
    "pad_conv_pool_transpose": lambda: _model([
        helper.make_node("Pad", ["x", "p"], ["xp"], name="pad"),
        helper.make_node("Conv", ["xp", "w", "b"], ["c"], name="conv"),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("MaxPool", ["r"], ["m"], name="pool", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Transpose", ["m"], ["y"], name="tr", perm=[0, 2, 3, 1]),
    ], [1, 3, 8, 8], None, [_ints("p", [0, 0, 1, 1, 0, 0, 1, 1]), _weights("w", [4, 3, 3, 3], 5),
                            _weights("b", [4], 6)]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_nn_interpreter_matches_onnxruntime(fpgaopt, tmp_path, case):
    model = CASES[case]()
    path = tmp_path / f"{case}.onnx"
    onnx.save(model, path)
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(len(case)).uniform(-2, 2, [2, *shape[1:]]).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    fpgaopt.check("run", path, "--pass-pipeline", PIPELINE, "--input", tmp_path / "x.npy",
                  "--output", tmp_path / "y.npy")
    got, want = np.load(tmp_path / "y.npy"), ort_run(model, x)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    same = np.count_nonzero(got.view(np.uint32) == want.view(np.uint32))
    print(f"{case}: {same}/{got.size} bit-identical")


def test_no_op_ops_are_removed(fpgaopt, tmp_path):
    path = tmp_path / "noop.onnx"
    onnx.save(CASES["identity_dropout_cast"](), path)
    imported = fpgaopt.check(path, "--pass-pipeline=builtin.module(import-onnx)").stdout
    for op in ("nn.identity", "nn.dropout", "nn.cast"):
        assert op in imported
    canonical = fpgaopt.check(path, f"--pass-pipeline={PIPELINE}").stdout
    assert "nn.identity" not in canonical and "nn.dropout" not in canonical and "nn.cast" not in canonical


BAD = {
    "auto_pad": (lambda: _conv([1, 2, 5, 5], [2, 2, 3, 3], auto_pad="SAME"),
                 "node 'conv' (Conv): auto_pad 'SAME' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID"),
    "pads_length": (lambda: _conv([1, 2, 5, 5], [2, 2, 3, 3], pads=[1, 1, 1]),
                    "node 'conv' (Conv): pads has 3 values, expected 4 for 2 spatial axes"),
    "reflect": (lambda: _one("Pad", [1, 2, 3], inputs=("x", "p"), inits=[_ints("p", [0, 0, 1, 0, 0, 1])],
                             mode="reflect"),
                "node 'pad' (Pad): mode 'reflect' is not supported (only constant padding)"),
    "negative_pads": (lambda: _one("Pad", [1, 2, 3], inputs=("x", "p"), inits=[_ints("p", [0, 0, -1, 0, 0, 1])]),
                      "node 'pad' (Pad): pads must be non-negative, got -1 in [0, 0, -1, 0, 0, 1]"),
    "zero_stride": (lambda: _conv([1, 2, 5, 5], [2, 2, 3, 3], strides=[1, 0]),
                    "node 'conv' (Conv): strides must be positive, got 0 in [1, 0]"),
    "pool_pads": (lambda: _one("MaxPool", [1, 2, 5, 5], kernel_shape=[2, 2], pads=[2, 0, 0, 0]),
                  "node 'maxpool' (MaxPool): pads [2, 0, 0, 0] must be smaller than kernel_shape [2, 2]"),
    "same_dilated": (lambda: _one("MaxPool", [1, 2, 7], kernel_shape=[3], dilations=[2], auto_pad="SAME_LOWER"),
                     "node 'maxpool' (MaxPool): auto_pad 'SAME_LOWER' with dilations [2] is not supported"),
    "group": (lambda: _conv([1, 4, 5, 5], [2, 2, 3, 3], group=3),
              "node 'conv' (Conv): group 3 does not fit input channels 4"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_nodes_are_clear_errors(fpgaopt, tmp_path, case):
    make, message = BAD[case]
    path = tmp_path / f"{case}.onnx"
    onnx.save(make(), path)
    proc = fpgaopt.run(path, "--pass-pipeline=builtin.module(import-onnx)")
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr
