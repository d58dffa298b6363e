"""Prints the qdf and hls levels of quantized models and checks them with real MLIR.

Models: a selection of python/quant_models.py (batch norms folded into thresholds, non-power-of-two
scales, requantization, Trunc, QDQ, QLinearMatMul) and the QONNX zoo's jet tagger and TFC_2W2A
(--models DIR), each with the default options and with `inexact-sums=integer float-tail=fixed`.
For each level and form (custom, generic) runs `fpgaopt` and pipes the text into
`fpgaopt-mlir-verify` with the exported IRDL dialects. Prints `OK <model> <options> <level> <form>`
or `FAIL ...` with MLIR's message.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "python"))
import quant_models  # noqa: E402
import onnx  # noqa: E402

MODELS = ["qonnx_w1a2_0", "qonnx_w5a8_5", "qonnx_w3a16_11", "qonnx_trunc_v2_unsigned_narrow",
          "qdq_uint8_any", "qlinear_uint8_any", "matmul_integer"]
ZOO = ["qkeras_jettagging", "TFC_2W2A"]
OPTIONS = {"default": "", "integer": "inexact-sums=integer float-tail=fixed"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fpgaopt", required=True)
    ap.add_argument("--verify", required=True)
    ap.add_argument("--models", required=True)
    ap.add_argument("--irdl", action="append", default=[])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for name in MODELS:
            paths[name] = os.path.join(tmp, name + ".onnx")
            onnx.save(quant_models.build(name).model, paths[name])
        for name in ZOO:
            paths[name] = os.path.join(args.models, "zoo", name + ".onnx")
        for name, path in paths.items():
            for tag, opts in OPTIONS.items():
                for level, extra in (("qdf", ",qdf-narrow"), ("hls", ",qdf-narrow,qdf-to-hls")):
                    pipeline = f"builtin.module(import-onnx,nn-canonicalize,nn-to-qdf{{{opts}}}{extra})"
                    for form, flags in (("custom", []), ("generic", ["--mlir-print-op-generic"])):
                        ir = subprocess.run([args.fpgaopt, path, f"--pass-pipeline={pipeline}", *flags],
                                            capture_output=True, text=True)
                        if ir.returncode != 0:
                            print(f"FAIL {name} {tag} {level} {form}: fpgaopt: {ir.stderr.strip()}")
                            continue
                        irdl = [x for f in args.irdl for x in ("--irdl", f)]
                        v = subprocess.run([args.verify, *irdl, "-"], input=ir.stdout, capture_output=True, text=True)
                        status = "OK" if v.returncode == 0 else "FAIL"
                        detail = "" if v.returncode == 0 else ": " + v.stderr.strip()[:2000]
                        print(f"{status} {name} {tag} {level} {form}{detail}")


if __name__ == "__main__":
    main()
