"""Quantizer models for the import tests: python quant.py OUT.onnx VARIANT.

QONNX variants use the domain qonnx.custom_op.general unless the variant names another spelling;
ONNX variants are QDQ (QuantizeLinear/DequantizeLinear) and QOperator (QLinearMatMul,
MatMulInteger) models. Error variants carry a bad quantizer named so the diagnostic can be checked.
"""

import numpy as np
from onnx import TensorProto, helper

from onnx_builder import const, node, save, tensor, variant

Q = "qonnx.custom_op.general"
v = variant("quant")
x4 = [tensor("x", [1, 4])]
y4 = [tensor("y", [1, 4])]


def quant(inputs, out, name, domain=Q, **attrs):
    attrs = {"signed": 1, "narrow": 0, "rounding_mode": "ROUND", **attrs}
    return node("Quant", inputs, [out], name=name, domain=domain, **attrs)


def qparams(scale=0.25, zp=0.0, bits=4, prefix="q"):
    return [const(f"{prefix}.s", scale), const(f"{prefix}.z", zp), const(f"{prefix}.b", float(bits))]


def int_init(name, values, dtype):
    """An integer initializer of an ONNX element type (int4/uint4 included)."""
    values = np.asarray(values)
    return helper.make_tensor(name, dtype, list(values.shape), values.flatten().tolist())


qin = ["x", "q.s", "q.z", "q.b"]
if v == "quant":
    save([quant(qin, "y", "act_q", narrow=1, rounding_mode="HALF_UP")], x4, y4, qparams(), domains=[(Q, 1)])
elif v in ("finn", "brevitas", "default", "intquant"):
    domain = {"finn": "finn.custom_op.general", "brevitas": "onnx.brevitas", "default": "", "intquant": Q}[v]
    op = "IntQuant" if v == "intquant" else "Quant"
    n = node(op, qin, ["y"], name="act_q", domain=domain, signed=0, narrow=0, rounding_mode="floor")
    save([n], x4, y4, qparams(bits=3), check=False, domains=[(domain, 1)] if domain else [])
elif v == "weights":
    # A per-channel weight quantizer folds; Transpose folds; MatMul with a computed weight.
    w = [[0.3, -0.6, 0.9], [1.2, 0.1, -0.2]]
    save([quant(["w", "ws", "q.z", "q.b"], "wq", "w_q"), node("Transpose", ["wq"], ["wt"], name="t", perm=[1, 0]),
          node("MatMul", ["x", "wt"], ["y"], name="fc")],
         [tensor("x", [1, 3])], [tensor("y", [1, 2])],
         [const("w", w), const("ws", [[0.5], [0.25]])] + qparams()[1:], domains=[(Q, 1)])
elif v == "bipolar":
    save([node("BipolarQuant", ["x", "s"], ["y"], name="sign", domain=Q)], x4, y4, [const("s", 1.0)],
         domains=[(Q, 1)])
elif v == "trunc_v2":
    ins = ["x", "s", "z", "ib", "os", "ob"]
    save([node("Trunc", ins, ["y"], name="trunc", domain=Q, rounding_mode="FLOOR", signed=1, narrow=0)], x4, y4,
         [const("s", 0.125), const("z", 0.0), const("ib", 8.0), const("os", 2.0), const("ob", 4.0)],
         domains=[(Q, 2)])
elif v == "trunc_v1":
    ins = ["x", "s", "z", "ib", "ob"]
    save([node("Trunc", ins, ["y"], name="trunc", domain=Q, rounding_mode="ROUND")], x4, y4,
         [const("s", 0.125), const("z", 0.0), const("ib", 8.0), const("ob", 4.0)], domains=[(Q, 1)])
elif v == "trunc_version_mismatch":
    ins = ["x", "s", "z", "ib", "ob"]
    save([node("Trunc", ins, ["y"], name="trunc", domain=Q, rounding_mode="ROUND")], x4, y4,
         [const("s", 0.125), const("z", 0.0), const("ib", 8.0), const("ob", 4.0)], domains=[(Q, 2)], check=False)
elif v == "zero_bits":
    save([quant(qin, "y", "bad_q")], x4, y4, qparams(bits=0), domains=[(Q, 1)])
elif v == "too_many_bits":
    save([quant(qin, "y", "bad_q")], x4, y4, qparams(bits=33), domains=[(Q, 1)])
elif v == "negative_scale":
    save([quant(qin, "y", "bad_q")], x4, y4, qparams(scale=-0.5), domains=[(Q, 1)])
elif v == "channel_mismatch":
    save([quant(qin, "y", "bad_q")], [tensor("x", [1, 64])], [tensor("y", [1, 64])],
         qparams(scale=[0.5] * 32), domains=[(Q, 1)])
elif v == "bad_rounding":
    save([quant(qin, "y", "bad_q", rounding_mode="STOCHASTIC")], x4, y4, qparams(), domains=[(Q, 1)])
elif v == "computed_scale":
    save([quant(["x", "x", "q.z", "q.b"], "y", "bad_q")], x4, y4, qparams()[1:], domains=[(Q, 1)], check=False)
elif v == "int64_zero_point":
    save([quant(qin, "y", "bad_q")], x4, y4,
         [const("q.s", 0.1), const("q.z", 3, np.int64), const("q.b", 4.0)], domains=[(Q, 1)])
# ----- ONNX -----
elif v == "qdq":
    save([node("QuantizeLinear", ["x", "s", "z"], ["q"], name="q"), node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dq")],
         x4, y4, [const("s", 0.1), const("z", 128, np.uint8)])
elif v == "qdq_per_axis":
    save([node("QuantizeLinear", ["x", "s", "z"], ["q"], name="q", axis=1),
          node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dq", axis=1)],
         [tensor("x", [1, 3])], [tensor("y", [1, 3])], [const("s", [0.5, 0.1, 0.03]), const("z", [-1, 0, 3], np.int8)])
elif v == "qdq_int4":
    save([node("QuantizeLinear", ["x", "s", "z"], ["q"], name="q"), node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dq")],
         x4, y4, [const("s", 0.5), int_init("z", 0, TensorProto.INT4)], opset=21)
elif v == "qdq_opset10":
    # Opset 10: no zero point means uint8 and zero.
    save([node("QuantizeLinear", ["x", "s"], ["q"], name="q"), node("DequantizeLinear", ["q", "s"], ["y"], name="dq")],
         x4, y4, [const("s", 0.02)], opset=10)
elif v == "dq_weights":
    # int8 weights, per output channel, behind DequantizeLinear: folded to float.
    save([node("DequantizeLinear", ["wq", "ws", "wz"], ["w"], name="wdq", axis=1), node("MatMul", ["x", "w"], ["y"], name="fc")],
         [tensor("x", [1, 2])], [tensor("y", [1, 3])],
         [const("wq", [[1, -2, 3], [-4, 5, -6]], np.int8), const("ws", [0.5, 0.25, 0.125]), const("wz", [0, 0, 0], np.int8)])
elif v == "quantize_output":
    save([node("QuantizeLinear", ["x", "s", "z"], ["y"], name="q")], x4, [tensor("y", [1, 4], TensorProto.INT8)],
         [const("s", 0.1), const("z", -3, np.int8)])
elif v == "qlinear_matmul":
    save([node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="q"),
          node("QLinearMatMul", ["xq", "xs", "xz", "w", "ws", "wz", "ys", "yz"], ["yq"], name="qmm"),
          node("DequantizeLinear", ["yq", "ys", "yz"], ["y"], name="dq")],
         [tensor("x", [1, 2])], [tensor("y", [1, 3])],
         [const("xs", 0.05), const("xz", 128, np.uint8), const("w", [[1, -2, 3], [-4, 5, -6]], np.int8),
          const("ws", [0.01, 0.02, 0.03]), const("wz", [0, 0, 0], np.int8), const("ys", 0.07), const("yz", 100, np.uint8)])
elif v == "matmul_integer":
    save([node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="q"),
          node("MatMulInteger", ["xq", "w", "xz", "wz"], ["acc"], name="mmi"),
          node("Cast", ["acc"], ["accf"], name="cast", to=TensorProto.FLOAT),
          node("Mul", ["accf", "os"], ["y"], name="rescale")],
         [tensor("x", [1, 2])], [tensor("y", [1, 3])],
         [const("xs", 0.05), const("xz", 128, np.uint8), const("w", [[1, -2, 3], [-4, 5, -6]], np.int8),
          const("wz", 1, np.int8), const("os", 0.0005)])
elif v == "matmul_integer_overflow":
    k = 2048
    save([node("QuantizeLinear", ["x", "xs", "xz"], ["xq"], name="q"),
          node("MatMulInteger", ["xq", "w", "xz"], ["y"], name="mmi")],
         [tensor("x", [1, k])], [tensor("y", [1, 1], TensorProto.INT32)],
         [const("xs", 0.05), const("xz", 0, np.uint8), const("w", np.full((k, 1), 127), np.int8)])
elif v == "dynamic":
    save([node("DynamicQuantizeLinear", ["x"], ["q", "s", "z"], name="dyn")], x4,
         [tensor("q", [1, 4], TensorProto.UINT8)], check=False)
elif v == "dq_computed_float":
    save([node("DequantizeLinear", ["x", "s"], ["y"], name="dq")], x4, y4, [const("s", 0.1)], check=False)
elif v == "blocked":
    save([node("QuantizeLinear", ["x", "s", "z"], ["q"], name="q", axis=1, block_size=2),
          node("DequantizeLinear", ["q", "s", "z"], ["y"], name="dq", axis=1, block_size=2)],
         x4, y4, [const("s", [[0.1, 0.2]]), const("z", [[0, 0]], np.int8)], opset=21)
else:
    raise SystemExit(f"unknown variant {v}")
