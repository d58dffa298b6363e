"""Small networks around the CNN layers beyond Conv and pooling windows, float and QONNX, for
tests/e2e/test_cnn_layers.py: ConvTranspose (stride 2 with output padding; grouped, dilated,
cropping pads), GlobalMaxPool and HardSigmoid. Built with `cnn_models.Net`, so `quantized=True`
gives the QONNX version (8-bit input, 4-bit per-channel weights, 6-bit activations, power-of-two
scales), referenced by qonnx's `execute_onnx`."""

import numpy as np

from cnn_models import Net, _input


def conv_transpose(n, x, cin, cout, k, label, stride=1, pad=0, out_pad=0, group=1, dil=1):
    """ConvTranspose with weight [C, M / group, k, k] (4-bit per input channel in QONNX) and a bias."""
    w = (n.rng.standard_normal((cin, cout // group, k, k)) / np.sqrt(cin // group * k * k)).astype(np.float32)
    b = (n.rng.standard_normal(cout) * 0.1).astype(np.float32)
    return n.node("ConvTranspose", [x, n.weight(w, f"{label}.weight"), n.const(f"{label}.bias", b)], label,
                  kernel_shape=[k, k], strides=[stride, stride], pads=[pad] * 4, output_padding=[out_pad] * 2,
                  group=group, dilations=[dil, dil])


def upsample(n):
    """conv -> ConvTranspose x2 (the decoder step of a segmentation net) -> relu -> 1x1 conv."""
    x = _input(n)
    x = n.act(n.node("Relu", [n.conv(x, 3, 4, 3, "conv0", pad=1)], "relu0"), "act0")
    x = conv_transpose(n, x, 4, 4, 3, "up", stride=2, pad=1, out_pad=1)
    x = n.act(n.node("Relu", [x], "relu1"), "act1")
    x = n.conv(x, 4, 2, 1, "head")
    return n.model([1, 3, 6, 6], x, [1, 2, 12, 12])


def transposed_variants(n):
    """A grouped, dilated ConvTranspose and one whose pads exceed dilation * (kernel - 1) (the
    equivalent convolution crops), side by side, concatenated."""
    x = _input(n)
    a = conv_transpose(n, x, 4, 4, 2, "grouped", stride=2, group=2, dil=2)
    b = conv_transpose(n, x, 4, 2, 2, "cropped", stride=3, pad=2, out_pad=2)
    a = n.act(a, "act_a", signed=True)
    b = n.act(b, "act_b", signed=True)
    return n.model([1, 4, 4, 4], n.node("Concat", [a, b], "cat", axis=1), [1, 6, 9, 9])


def hardsigmoid_gmp(n):
    """conv -> HardSigmoid -> GlobalMaxPool -> Flatten -> Gemm (a squeeze-excitation-like head)."""
    x = _input(n)
    x = n.conv(x, 3, 6, 3, "conv0", pad=1, stride=2)
    x = n.act(n.node("HardSigmoid", [x], "hsig", alpha=0.25, beta=0.5), "act0", top=1.0)
    x = n.node("GlobalMaxPool", [x], "gmp")
    x = n.gemm(n.node("Flatten", [x], "flatten"), 6, 4, "fc")
    return n.model([1, 3, 8, 8], x, [1, 4])


CASES = {"upsample": upsample, "transposed_variants": transposed_variants, "hardsigmoid_gmp": hardsigmoid_gmp}


def build(name, quantized=False):
    """The ONNX model of a case (QONNX with `quantized`)."""
    return CASES[name](Net(name, quantized))


def inputs(name, count):
    """`count` uniform float inputs in [-3, 3] (without the batch axis)."""
    model = build(name)
    shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim][1:]
    rng = np.random.default_rng(len(name) * 7919 + count)
    return rng.uniform(-3.0, 3.0, (count, *shape)).astype(np.float32)
