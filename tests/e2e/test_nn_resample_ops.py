"""The nn reference interpreter on the layers of convolutional networks beyond Conv and pooling:
Resize/Upsample (nearest), DepthToSpace, SpaceToDepth, GlobalMaxPool, ConvTranspose,
HardSigmoid, QLinearConv and ConvInteger, against onnxruntime (CPU, graph optimisations off).

Each model runs through `fpgaopt run` at the nn level on a batch of two samples and must be
bit-identical to onnxruntime. Randomised ConvTranspose and Resize configurations check the
attribute resolution (auto_pad, output_shape, output_padding; coordinate modes, rounding, scales
and sizes); a configuration onnxruntime rejects must be rejected by the importer too. The ESPCN
super-resolution models of the QONNX zoo (nearest-resize and sub-pixel variants) import, and the
float ones run bit-identical."""

from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from ort_reference import run as ort_run

PIPELINE = "builtin.module(import-onnx,nn-canonicalize)"
T = numpy_helper.from_array
N = helper.make_node


def _model(nodes, x_shape, inits=(), opset=13):
    graph = helper.make_graph(nodes, "resample", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 8
    return model


def _f32(name, values):
    return T(np.asarray(values, np.float32), name)


def _i64(name, values):
    return T(np.asarray(values, np.int64), name)


def _resize(x_shape, scales=None, sizes=None, opset=13, mode="nearest", **attrs):
    inits, inputs = [], ["x", "", ""]
    if scales is not None:
        inits.append(_f32("s", scales))
        inputs[2] = "s"
    if sizes is not None:
        inits.append(_i64("z", sizes))
        inputs.append("z")
    return _model([N("Resize", inputs, ["y"], name="resize", mode=mode, **attrs)], x_shape, inits, opset)


def _weights(shape, seed, dtype=np.float32, low=-1, high=1):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(low, high, shape).astype(dtype)
    return rng.uniform(low, high, shape).astype(dtype)


def _conv_transpose(x_shape, w_shape, bias=True, seed=1, **attrs):
    inits = [T(_weights(w_shape, seed), "w")]
    inputs = ["x", "w"]
    if bias:
        inits.append(T(_weights([w_shape[1] * attrs.get("group", 1)], seed + 1), "b"))
        inputs.append("b")
    return _model([N("ConvTranspose", inputs, ["y"], name="convt", **attrs)], x_shape, inits)


def _qconv(op="QLinearConv", xt=np.uint8, wt=np.int8, per_channel=False, bias=True, cin=4, m=6, seed=0, **attrs):
    """QuantizeLinear -> QLinearConv -> DequantizeLinear, or QuantizeLinear -> ConvInteger -> Cast."""
    rng = np.random.default_rng(seed)
    x_zp = np.array(100 if xt == np.uint8 else -5, xt)
    group = attrs.get("group", 1)
    w = _weights([m, cin // group, 3, 3], seed, wt, -60 if wt == np.int8 else 0, 60 if wt == np.int8 else 200)
    w_zp = np.array(rng.integers(-3, 4, [m]) + (128 if wt == np.uint8 else 0), wt) if per_channel else \
        np.array(0 if wt == np.int8 else 128, wt)
    inits = [_f32("xs", 0.02), T(x_zp, "xz"), T(w, "w"), T(w_zp, "wz")]
    nodes = [N("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="q")]
    if op == "ConvInteger":
        nodes += [N("ConvInteger", ["xq", "w", "xz", "wz"], ["acc"], name="conv", **attrs),
                  N("Cast", ["acc"], ["y"], name="cast", to=TensorProto.FLOAT)]
    else:
        w_scale = rng.uniform(0.001, 0.01, [m]) if per_channel else 0.005
        inits += [_f32("ws", w_scale), _f32("ys", 0.05), T(np.array(7, xt), "yz")]
        inputs = ["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz"]
        if bias:
            inits.append(T(rng.integers(-500, 500, [m]).astype(np.int32), "b"))
            inputs.append("b")
        nodes += [N("QLinearConv", inputs, ["yq"], name="conv", **attrs),
                  N("DequantizeLinear", ["yq", "ys", "yz"], ["y"], name="dq")]
    return _model(nodes, [1, cin, 6, 7], inits)


CASES = {
    # Resize: ESPCN's form, then each coordinate mode and rounding, scales and sizes.
    "resize_espcn": lambda: _resize([1, 3, 5, 6], [1, 1, 2, 2], coordinate_transformation_mode="asymmetric",
                                    nearest_mode="floor"),
    "resize_half_pixel_down": lambda: _resize([1, 2, 9, 7], [1, 1, 0.5, 0.75]),
    "resize_half_pixel_3x": lambda: _resize([1, 2, 3, 4], [1, 1, 3, 1.5], nearest_mode="round_prefer_ceil"),
    "resize_align_corners_sizes": lambda: _resize([1, 2, 4, 5], sizes=[1, 2, 7, 3],
                                                  coordinate_transformation_mode="align_corners", nearest_mode="ceil"),
    "resize_pytorch_half_pixel": lambda: _resize([1, 2, 5, 4], sizes=[1, 2, 1, 9],
                                                 coordinate_transformation_mode="pytorch_half_pixel"),
    "resize_tf_half_pixel_for_nn": lambda: _resize([1, 2, 5, 4], [1, 1, 1.7, 2.5],
                                                   coordinate_transformation_mode="tf_half_pixel_for_nn"),
    "resize_half_pixel_symmetric": lambda: _resize([1, 2, 5, 4], [1, 1, 1.7, 0.6], opset=19,
                                                   coordinate_transformation_mode="half_pixel_symmetric"),
    "resize_asymmetric_floor_down": lambda: _resize([1, 2, 10, 9], [1, 1, 0.6, 0.4],
                                                    coordinate_transformation_mode="asymmetric", nearest_mode="floor"),
    "resize_3d_channels": lambda: _resize([1, 4, 6], [1, 0.5, 2], coordinate_transformation_mode="asymmetric",
                                          nearest_mode="round_prefer_floor"),
    "resize_axes_not_larger": lambda: _resize([1, 2, 5, 4], sizes=[9, 7], opset=18, axes=[3, 2],
                                              keep_aspect_ratio_policy="not_larger"),
    "resize_axes_not_smaller": lambda: _resize([1, 2, 5, 4], sizes=[9, 7], opset=18, axes=[2, 3],
                                               keep_aspect_ratio_policy="not_smaller"),
    "resize_opset10": lambda: _model([N("Resize", ["x", "s"], ["y"], mode="nearest")], [1, 2, 5, 4],
                                     [_f32("s", [1, 1, 0.6, 2.5])], opset=10),
    "upsample_opset9": lambda: _model([N("Upsample", ["x", "s"], ["y"], mode="nearest")], [1, 2, 3, 4],
                                      [_f32("s", [1, 1, 2, 3])], opset=9),
    # Pixel shuffles.
    "depth_to_space_dcr": lambda: _model([N("DepthToSpace", ["x"], ["y"], blocksize=2)], [1, 8, 3, 4]),
    "depth_to_space_crd": lambda: _model([N("DepthToSpace", ["x"], ["y"], blocksize=3, mode="CRD")], [1, 18, 2, 3]),
    "space_to_depth": lambda: _model([N("SpaceToDepth", ["x"], ["y"], blocksize=2)], [1, 3, 4, 6]),
    # Global max pooling, 2-D and 1-D.
    "global_max_pool": lambda: _model([N("GlobalMaxPool", ["x"], ["y"])], [1, 5, 6, 7]),
    "global_max_pool_1d": lambda: _model([N("GlobalMaxPool", ["x"], ["y"])], [1, 5, 9]),
    # HardSigmoid (mul -> add -> clip).
    "hard_sigmoid": lambda: _model([N("HardSigmoid", ["x"], ["y"], alpha=0.3183, beta=0.41)], [1, 4, 50]),
    "hard_sigmoid_default": lambda: _model([N("HardSigmoid", ["x"], ["y"])], [1, 4, 50]),
    # ConvTranspose.
    "conv_transpose_2x": lambda: _conv_transpose([1, 4, 5, 5], [4, 3, 3, 3], strides=[2, 2], pads=[1, 1, 1, 1],
                                                 output_padding=[1, 1]),
    "conv_transpose_grouped_dilated": lambda: _conv_transpose([1, 4, 4, 5], [4, 2, 2, 3], group=2, dilations=[2, 1]),
    "conv_transpose_same_upper": lambda: _conv_transpose([1, 3, 4, 4], [3, 2, 3, 3], strides=[2, 2],
                                                         auto_pad="SAME_UPPER"),
    "conv_transpose_same_lower": lambda: _conv_transpose([1, 3, 4, 4], [3, 2, 4, 3], strides=[2, 2],
                                                         auto_pad="SAME_LOWER"),
    "conv_transpose_output_shape": lambda: _conv_transpose([1, 3, 4, 4], [3, 2, 3, 3], bias=False, strides=[2, 2],
                                                           output_shape=[8, 10]),
    "conv_transpose_1d": lambda: _conv_transpose([1, 4, 7], [4, 2, 4], strides=[3], pads=[1, 2]),
    "conv_transpose_one_position": lambda: _conv_transpose([1, 16, 1, 1], [16, 8, 2, 2]),
    "conv_transpose_long_sum": lambda: _conv_transpose([1, 64, 3, 3], [64, 4, 3, 3], strides=[2, 2]),
    # QLinearConv and ConvInteger: uint8/int8 codes, per-tensor and per-channel weights, bias.
    "qlinear_conv_u8s8": lambda: _qconv(),
    "qlinear_conv_u8s8_per_channel": lambda: _qconv(per_channel=True, pads=[1, 1, 1, 1]),
    "qlinear_conv_s8s8_no_bias": lambda: _qconv(xt=np.int8, bias=False, strides=[2, 1]),
    "qlinear_conv_u8u8_per_channel": lambda: _qconv(wt=np.uint8, per_channel=True),
    "qlinear_conv_grouped": lambda: _qconv(group=2, per_channel=True, pads=[1, 0, 1, 0]),
    "qlinear_conv_depthwise": lambda: _qconv(group=4, m=4, per_channel=True, pads=[1, 1, 1, 1]),
    "conv_integer_u8s8": lambda: _qconv("ConvInteger"),
    "conv_integer_s8_padded": lambda: _qconv("ConvInteger", xt=np.int8, pads=[1, 1, 1, 1]),
    # Gaps checked: batch norm over rank 3 and 5, Flatten at axis 0, SAME pooling, depthwise multiplier.
    "batch_norm_rank3": lambda: _model([N("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"])], [1, 6, 5],
                                       [_f32(n, _weights([6], i, low=0.5, high=2)) for i, n in enumerate("sbmv")]),
    "batch_norm_rank5": lambda: _model([N("BatchNormalization", ["x", "s", "b", "m", "v"], ["y"])], [1, 3, 2, 3, 4],
                                       [_f32(n, _weights([3], i, low=0.5, high=2)) for i, n in enumerate("sbmv")]),
    "flatten_axis0": lambda: _model([N("Flatten", ["x"], ["y"], axis=0)], [1, 3, 4]),
    "average_pool_same_include_pad": lambda: _model([N("AveragePool", ["x"], ["y"], kernel_shape=[3, 2], strides=[2, 2],
                                                       auto_pad="SAME_UPPER", count_include_pad=1)], [1, 2, 7, 6]),
    "conv_depthwise_multiplier": lambda: _model([N("Conv", ["x", "w"], ["y"], group=3, pads=[1, 1, 1, 1])], [1, 3, 6, 6],
                                                [_f32("w", _weights([6, 1, 3, 3], 4))]),
}


def _run(fpgaopt, tmp_path, model, pipeline=PIPELINE, seed=0):
    path = tmp_path / "m.onnx"
    onnx.save(model, path)
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    x = np.random.default_rng(seed).uniform(-2, 2, [2, *shape[1:]]).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    fpgaopt.check("run", path, "--pass-pipeline", pipeline, "--input", tmp_path / "x.npy", "--output",
                  tmp_path / "y.npy")
    return np.load(tmp_path / "y.npy"), ort_run(model, x)


def _assert_bits(got, want):
    assert got.shape == want.shape
    same = np.count_nonzero(got.view(np.uint32) == want.view(np.uint32))
    assert same == got.size, f"{got.size - same} of {got.size} outputs differ, max {np.max(np.abs(got - want))}"
    return same


@pytest.mark.parametrize("case", sorted(CASES))
def test_nn_interpreter_matches_onnxruntime_bit_for_bit(fpgaopt, tmp_path, case):
    got, want = _run(fpgaopt, tmp_path, CASES[case](), seed=len(case))
    print(f"{case}: {_assert_bits(got, want)}/{got.size} bit-identical")


def test_new_ops_go_through_eqsat(fpgaopt, tmp_path):
    """nn-eqsat's language comes from the op registry: a model holding every new op saturates
    and keeps the bits."""
    model = _model([
        N("Resize", ["x", "", "s"], ["r"], name="up", mode="nearest", coordinate_transformation_mode="asymmetric",
          nearest_mode="floor"),
        N("ConvTranspose", ["r", "w"], ["c"], name="convt", strides=[2, 2]),
        N("HardSigmoid", ["c"], ["h"], name="hs"),
        N("SpaceToDepth", ["h"], ["s2d"], name="s2d", blocksize=2),
        N("DepthToSpace", ["s2d"], ["d2s"], name="d2s", blocksize=2, mode="CRD"),
        N("GlobalMaxPool", ["d2s"], ["y"], name="gmp"),
    ], [1, 2, 3, 3], [_f32("s", [1, 1, 2, 2]), _f32("w", _weights([2, 4, 2, 2], 3))])
    got, want = _run(fpgaopt, tmp_path, model, "builtin.module(import-onnx,nn-canonicalize,nn-eqsat)")
    _assert_bits(got, want)


def _random_conv_transpose(rng):
    nd = 2 if rng.random() < 0.7 else 1
    group = int(rng.choice([1, 1, 2, 3]))
    cin, mg = group * int(rng.integers(1, 5)), int(rng.integers(1, 4))
    k = [int(rng.integers(1, 4)) for _ in range(nd)]
    xs = [1, cin] + [int(rng.integers(1, 6)) for _ in range(nd)]
    s = [int(rng.integers(1, 4)) for _ in range(nd)]
    attrs = {"strides": s, "dilations": [int(rng.choice([1, 1, 2])) for _ in range(nd)], "group": group}
    r = rng.random()
    if r < 0.3:
        attrs["pads"] = [int(rng.integers(0, 2)) for _ in range(2 * nd)]
    elif r < 0.5:
        attrs["auto_pad"] = str(rng.choice(["SAME_UPPER", "SAME_LOWER", "VALID"]))
    elif r < 0.65:
        full = [(xs[2 + i] - 1) * s[i] + (k[i] - 1) * attrs["dilations"][i] + 1 for i in range(nd)]
        attrs["output_shape"] = [max(1, full[i] - int(rng.integers(-1, 3))) for i in range(nd)]
    if rng.random() < 0.3:
        attrs["output_padding"] = [int(rng.integers(0, max(s[i], attrs["dilations"][i]))) for i in range(nd)]
    return _conv_transpose(xs, [cin, mg] + k, bias=rng.random() < 0.7, seed=int(rng.integers(1000)), **attrs)


def _random_resize(rng):
    coord = str(rng.choice(["half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                            "tf_half_pixel_for_nn"]))
    nearest = str(rng.choice(["round_prefer_floor", "round_prefer_ceil", "floor", "ceil"]))
    h, w = int(rng.integers(1, 9)), int(rng.integers(1, 9))
    if rng.random() < 0.4:
        sizes = [1, 2, int(rng.integers(1, 20)), int(rng.integers(1, 20))]
        return _resize([1, 2, h, w], sizes=sizes, coordinate_transformation_mode=coord, nearest_mode=nearest)
    scales = [1, 1, float(rng.choice([0.6, 1.5, 2, 3, 1.7, 2.5, 1.0, 4.0, 1.3333])),
              float(rng.choice([0.75, 1.5, 2, 3, 2.2, 1.0]))]
    if any(int(np.float32(s) * np.float32(d)) < 1 for s, d in zip(scales[2:], (h, w))):
        scales[2:] = [2.0, 2.0]
    return _resize([1, 2, h, w], scales, coordinate_transformation_mode=coord, nearest_mode=nearest)


@pytest.mark.parametrize("kind, count", [("conv_transpose", 60), ("resize", 60)])
def test_random_configurations(fpgaopt, tmp_path, kind, count):
    """Random attribute combinations: bit-identical when onnxruntime runs the model, an import
    error when it refuses it."""
    rng = np.random.default_rng({"conv_transpose": 11, "resize": 12}[kind])
    make = _random_conv_transpose if kind == "conv_transpose" else _random_resize
    compared = rejected = values = 0
    for i in range(count):
        model = make(rng)
        try:
            ort_run(model, np.zeros([1, *[d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]],
                                    np.float32))
        except Exception:  # onnxruntime refuses the configuration: so must the importer
            onnx.save(model, tmp_path / "bad.onnx")
            proc = fpgaopt.run(tmp_path / "bad.onnx", "--pass-pipeline=builtin.module(import-onnx)")
            assert proc.returncode == 1 and "error: node" in proc.stderr, (i, proc.stderr)
            rejected += 1
            continue
        got, want = _run(fpgaopt, tmp_path, model, seed=i)
        values += _assert_bits(got, want)
        compared += 1
    print(f"{kind}: {compared} models bit-identical ({values} values), {rejected} rejected like onnxruntime")


def _espcn_dir():
    try:
        import qonnx
    except ImportError:
        pytest.skip("qonnx is not installed")
    d = Path(qonnx.__file__).parent / "data" / "onnx" / "bsd300x3-espcn"
    if not d.is_dir():
        pytest.skip("the QONNX ESPCN models are not installed")
    return d


@pytest.mark.parametrize("variant", ["nn_resize/float_model", "nn_resize/quant_model", "subpixel/float_model",
                                     "subpixel/quant_model"])
def test_espcn_imports(fpgaopt, variant):
    out = fpgaopt.check(_espcn_dir() / f"{variant}.onnx", "--pass-pipeline", PIPELINE,
                        "--mlir-elide-elementsattrs-if-larger=16").stdout
    assert ("nn.resize" if variant.startswith("nn_resize") else "nn.depth_to_space") in out


@pytest.mark.parametrize("variant", ["nn_resize/float_model", "subpixel/float_model"])
def test_espcn_float_runs_bit_identical(fpgaopt, tmp_path, variant):
    model = onnx.load(_espcn_dir() / f"{variant}.onnx")
    got, want = _run(fpgaopt, tmp_path, model)
    same = np.count_nonzero(got.view(np.uint32) == want.view(np.uint32))
    print(f"{variant}: {same}/{got.size} bit-identical")
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


BAD = {
    "resize_cubic": (lambda: _resize([1, 2, 3, 3], [1, 1, 2, 2], mode="cubic"),
                     "node 'resize' (Resize): mode 'cubic' is not supported (only nearest)"),
    "resize_linear": (lambda: _model([N("Resize", ["x", "", "s"], ["y"], name="r0", mode="linear")], [1, 2, 3, 3],
                                     [_f32("s", [1, 1, 2, 2])]),
                      "node 'r0' (Resize): mode 'linear' is not supported (only nearest)"),
    "resize_crop": (lambda: _resize([1, 2, 3, 3], [1, 1, 2, 2], coordinate_transformation_mode="tf_crop_and_resize"),
                    "node 'resize' (Resize): coordinate_transformation_mode 'tf_crop_and_resize' is not supported"),
    "resize_antialias": (lambda: _resize([1, 2, 3, 3], [1, 1, 2, 2], opset=18, antialias=1),
                         "node 'resize' (Resize): antialias is not supported in nearest mode"),
    "resize_no_scales": (lambda: _resize([1, 2, 3, 3]), "node 'resize' (Resize): neither scales nor sizes is given"),
    "depth_to_space_mode": (lambda: _model([N("DepthToSpace", ["x"], ["y"], name="d", blocksize=2, mode="XYZ")],
                                           [1, 8, 2, 2]), "node 'd' (DepthToSpace): mode 'XYZ' is not one of DCR, CRD"),
    "space_to_depth_size": (lambda: _model([N("SpaceToDepth", ["x"], ["y"], name="s", blocksize=2)], [1, 2, 3, 4]),
                            "node 's' (SpaceToDepth): blocksize 2 must be positive and divide the height 3 and width 4"),
    "conv_transpose_output_padding": (lambda: _conv_transpose([1, 2, 3, 3], [2, 2, 3, 3], output_padding=[1, 0]),
                                      "node 'convt' (ConvTranspose): output_padding gives 1 extra positions on "
                                      "spatial axis 0, which must be fewer than the stride 1"),
    "conv_transpose_auto_pad": (lambda: _conv_transpose([1, 2, 3, 3], [2, 2, 3, 3], auto_pad="SAME"),
                                "node 'convt' (ConvTranspose): auto_pad 'SAME' is not one of NOTSET, SAME_UPPER"),
    "conv_transpose_3d": (lambda: _conv_transpose([1, 2, 3, 3, 3], [2, 2, 1, 1, 1]),
                          "node 'convt' (ConvTranspose): input must be [N, C, W] or [N, C, H, W]"),
    "qlinear_conv_overflow": (lambda: _qconv(cin=512, m=2, seed=3),
                              "node 'conv' (QLinearConv): the integer convolution may reach"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_nodes_are_clear_errors(fpgaopt, tmp_path, case):
    make, message = BAD[case]
    onnx.save(make(), tmp_path / f"{case}.onnx")
    proc = fpgaopt.run(tmp_path / f"{case}.onnx", "--pass-pipeline=builtin.module(import-onnx)")
    assert proc.returncode == 1, proc.stderr
    assert message in proc.stderr
