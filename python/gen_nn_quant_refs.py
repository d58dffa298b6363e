#!/usr/bin/env python3
"""Prints the reference bits pinned in dialects/nn/tests/quant_eval.rs (paste its output there).

    python3 python/gen_nn_quant_refs.py

Each case runs the real reference on fixed inputs: qonnx's own `int_quant`, `binary_quant`,
`trunc_v1`/`trunc_v2` (numpy, float32 arrays, exactly what `execute_onnx` calls) for the QONNX
quantizers; onnxruntime (CPU, ORT_DISABLE_ALL) for QuantizeLinear -> DequantizeLinear and for the
summation orders of MatMul and Gemm with a weight computed at run time (a graph input, as under
qonnx's node-by-node execution) or held as an initializer (prepacked). Dense inputs come from the
tests' LCG (`Lcg(seed)`: 64-bit LCG, top 24 bits mapped to [-1, 1)).
"""

import numpy as np
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper
from qonnx.custom_op.general.bipolar_quant import binary_quant
from qonnx.custom_op.general.intquant import int_quant
from qonnx.custom_op.general.trunc import trunc_v1, trunc_v2

F32 = np.float32


def lcg(seed, n):
    s, out = seed, []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        out.append(F32((s >> 40) / float(1 << 23) - 1.0))
    return np.array(out, F32)


def bits(a):
    return "[" + ", ".join(f"0x{v:08x}" for v in np.asarray(a, F32).reshape(-1).view(np.uint32)) + "]"


# Inputs for the quantizers: ties, near-ties, signed zeros, saturating values, NaN and infinities.
QX = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999997, -0.49999997, 1.0000001, 0.3, -0.7, 0.0, -0.0,
               7.4, -9.6, 100.0, -100.0, np.nan, np.inf, -np.inf], F32)


def run(model, feeds):
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    return ort.InferenceSession(model.SerializeToString(), opts, providers=["CPUExecutionProvider"]).run(None, feeds)[0]


def model(nodes, inputs, output, inits=(), opset=13):
    g = helper.make_graph(nodes, "g", inputs, [output], list(inits))
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)], ir_version=8)


def vi(name, shape):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)


def main():
    print("// qonnx int_quant on QX, scale 0.5 (x2 the grid of the tie inputs):")
    with np.errstate(all="ignore"):
        for mode in ["ROUND", "CEIL", "FLOOR", "UP", "DOWN", "HALF_UP", "HALF_DOWN"]:
            y = int_quant(QX * F32(0.5), F32(0.5), F32(0.0), F32(4), 1, 0, mode)
            print(f"(\"{mode}\", 4, true, false, {bits(y)}),")
        for (b, signed, narrow) in [(3, False, False), (3, False, True), (8, True, True), (1, True, False), (1, False, False)]:
            y = int_quant(QX * F32(0.5), F32(0.5), F32(0.0), F32(b), signed, narrow, "ROUND")
            print(f"(\"ROUND\", {b}, {str(bool(signed)).lower()}, {str(bool(narrow)).lower()}, {bits(y)}),")
        # A zero point that makes x / s + z round in float32, and a non-power-of-two scale.
        y = int_quant(QX, F32(0.1), F32(3.0), F32(6), 0, 0, "ROUND")
        print(f"// zero point 3, scale 0.1, unsigned 6 bits:\n{bits(y)}")
        # Per-channel scales [2, 1] on a [2, 10] input.
        y = int_quant(QX.reshape(2, 10), np.array([[0.25], [0.75]], F32), F32(0.0), F32(5), 1, 1, "HALF_DOWN")
        print(f"// per channel [0.25, 0.75], signed narrow 5 bits, HALF_DOWN:\n{bits(y)}")
        y = binary_quant(QX, F32(0.375))
        print(f"// binary_quant scale 0.375:\n{bits(y)}")
        x = (QX * F32(16)).astype(F32)
        y = trunc_v2(x, F32(0.25), F32(0.0), F32(12), 0, 1, F32(4.0), F32(4), "FLOOR")
        print(f"// trunc_v2 scale 0.25 -> out_scale 4 (shift 4), 4 bits signed, FLOOR, input QX * 16:\n{bits(y)}")
        y = trunc_v1(x, F32(0.25), F32(0.0), F32(12), F32(8), "ROUND")
        print(f"// trunc_v1 scale 0.25, 12 -> 8 bits (shift 4), ROUND, input QX * 16:\n{bits(y)}")

    # QuantizeLinear -> DequantizeLinear and QuantizeLinear alone (outputs as float).
    for (tp, npt, zp, s) in [(TensorProto.UINT8, np.uint8, 128, 0.0123), (TensorProto.INT8, np.int8, -3, 0.5)]:
        inits = [numpy_helper.from_array(F32(s), "s"), numpy_helper.from_array(np.array(zp, npt), "z")]
        m = model([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"]),
                   helper.make_node("DequantizeLinear", ["q", "s", "z"], ["y"])],
                  [vi("x", [20])], vi("y", [20]), inits)
        y = run(m, {"x": QX * F32(s * 100)})
        print(f"// onnxruntime QDQ {npt.__name__} zp {zp} scale {s}, input QX * {s * 100}:\n{bits(y)}")
        m = model([helper.make_node("QuantizeLinear", ["x", "s", "z"], ["y"])], [vi("x", [20])],
                  helper.make_tensor_value_info("y", tp, [20]), inits)
        y = run(m, {"x": QX * F32(s * 100)}).astype(F32)
        print(f"// onnxruntime QuantizeLinear codes:\n{bits(y)}")

    # Dense summation orders: K = 37 (remainders of 4 and 8), N = 11 (column blocks 4, 2, 1).
    k, n = 37, 11
    x, w, b = lcg(11, k).reshape(1, k), lcg(12, k * n).reshape(k, n), lcg(13, n)
    m = model([helper.make_node("MatMul", ["x", "w"], ["y"])], [vi("x", [1, k]), vi("w", [k, n])], vi("y", [1, n]))
    print(f"// MatMul, weight computed at run time (M = 1 kernel):\n{bits(run(m, {'x': x, 'w': w}))}")
    m = model([helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=1)], [vi("x", [1, k]), vi("w", [n, k])],
              vi("y", [1, n]), [numpy_helper.from_array(b, "b")])
    print(f"// Gemm transB, weight computed at run time, bias (M = 1 transposed kernel):\n"
          f"{bits(run(m, {'x': x, 'w': np.ascontiguousarray(w.T)}))}")
    m = model([helper.make_node("Gemm", ["x", "w", "b"], ["y"])], [vi("x", [1, k]), vi("w", [k, n])],
              vi("y", [1, n]), [numpy_helper.from_array(b, "b")])
    print(f"// Gemm, weight computed at run time, bias (M = 1 kernel, bias first):\n{bits(run(m, {'x': x, 'w': w}))}")
    k2 = 600
    x2, w2 = lcg(21, k2).reshape(1, k2), lcg(22, k2 * n).reshape(k2, n)
    m = model([helper.make_node("Gemm", ["x", "w", "b"], ["y"])], [vi("x", [1, k2])], vi("y", [1, n]),
              [numpy_helper.from_array(w2, "w"), numpy_helper.from_array(b, "b")])
    print(f"// Gemm, K = 600, prepacked initializer weight, bias first:\n{bits(run(m, {'x': x2}))}")


if __name__ == "__main__":
    main()
