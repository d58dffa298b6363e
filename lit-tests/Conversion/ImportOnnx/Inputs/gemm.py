"""Gemm variants: plain, alpha/beta/transB, computed C, transA on a computed input."""

from onnx_builder import const, node, save, tensor, variant

v = variant("plain")
w = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]  # [K=2, N=3]
wt = [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]  # the same weight as [N, K]
b = [0.5, -0.5, 1.0]
if v == "plain":
    save([node("Gemm", ["x", "w", "b"], ["y"], name="fc1")], [tensor("x", [1, 2])], [tensor("y", [1, 3])],
         [const("w", w), const("b", b)])
elif v == "alpha_beta_transB":
    save([node("Gemm", ["x", "wt", "b"], ["y"], name="fc1", alpha=2.0, beta=0.5, transB=1)],
         [tensor("x", [1, 2])], [tensor("y", [1, 3])], [const("wt", wt), const("b", b)])
elif v == "no_bias":
    save([node("Gemm", ["x", "w"], ["y"], name="fc1")], [tensor("x", ["N", 2])], [tensor("y", ["N", 3])],
         [const("w", w)])
elif v == "computed_c":
    save([node("Gemm", ["x", "w", "c"], ["y"], name="fc1", beta=2.0)],
         [tensor("x", [1, 2]), tensor("c", [1, 3])], [tensor("y", [1, 3])], [const("w", w)])
elif v == "transA":
    save([node("Gemm", ["x", "w"], ["y"], name="fc1", transA=1)], [tensor("x", [2, 1])], [tensor("y", [1, 3])],
         [const("w", w)])
elif v == "bad_shapes":
    save([node("Gemm", ["x", "w"], ["y"], name="fc1")], [tensor("x", [1, 4])], [tensor("y", [1, 3])],
         [const("w", w)], check=False)
