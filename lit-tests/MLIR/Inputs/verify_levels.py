"""Prints every IR level of every end-to-end float model and checks it with real MLIR.

For each model of python/fpgaopt_models.py and python/cnn_models.py (float) and each prefix of the default pipeline, runs
`fpgaopt MODEL --pass-pipeline=...` (custom and generic form) and pipes the text into
`fpgaopt-mlir-verify` with the exported IRDL dialects. Prints `OK <model> <level> <form>` or
`FAIL ...` with MLIR's message.
"""

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "python"))
import cnn_models  # noqa: E402
import fpgaopt_models  # noqa: E402
import onnx  # noqa: E402

LEVELS = [
    ("nn", "import-onnx"),
    ("nn-canonical", "import-onnx,nn-canonicalize"),
    ("qdf", "import-onnx,nn-canonicalize,nn-to-qdf"),
    ("qdf-layout", "import-onnx,nn-canonicalize,nn-to-qdf,qdf-layout,qdf-narrow"),
    ("hls", "import-onnx,nn-canonicalize,nn-to-qdf,qdf-layout,qdf-narrow,qdf-to-hls"),
    ("hls-stream", "import-onnx,nn-canonicalize,nn-to-qdf,qdf-layout,qdf-narrow,qdf-to-hls{io=stream}"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fpgaopt", required=True)
    ap.add_argument("--verify", required=True)
    ap.add_argument("--irdl", action="append", default=[])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        models = dict(fpgaopt_models.MODELS)
        # Not cnn_concat: IRDL binds every value of a variadic operand to one constraint variable,
        # so real MLIR rejects a concat of differently shaped inputs (docs/design/mlir-boundary.md).
        models.update({f"cnn_{n}": (lambda n=n: cnn_models.build(n)) for n in cnn_models.CASES if n != "concat"})
        for name, make in models.items():
            path = os.path.join(tmp, name + ".onnx")
            onnx.save(make(), path)
            for level, pipeline in LEVELS:
                for form, extra in (("custom", []), ("generic", ["--mlir-print-op-generic"])):
                    ir = subprocess.run(
                        [args.fpgaopt, path, f"--pass-pipeline=builtin.module({pipeline})", *extra],
                        capture_output=True, text=True)
                    if ir.returncode != 0:
                        print(f"FAIL {name} {level} {form}: fpgaopt: {ir.stderr.strip()}")
                        continue
                    irdl = [x for f in args.irdl for x in ("--irdl", f)]
                    v = subprocess.run([args.verify, *irdl, "-"], input=ir.stdout,
                                       capture_output=True, text=True)
                    status = "OK" if v.returncode == 0 else "FAIL"
                    detail = "" if v.returncode == 0 else ": " + v.stderr.strip()[:2000]
                    print(f"{status} {name} {level} {form}{detail}")


if __name__ == "__main__":
    main()
