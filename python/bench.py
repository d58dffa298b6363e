#!/usr/bin/env python3
"""Benchmarks (not tests): wall time of `fpgaopt compile` and of the C simulation.

Usage: python/bench.py [--fpgaopt target/release/fpgaopt] [--runs 20]
Compiles the 16-64-32-32-5 jet-tagger-shaped MLP (python/fpgaopt_models.py) repeatedly and reports
the median; then builds the C simulation from a cold cache once and runs it on 1000 samples.
Numbers go into docs/benchmarks.md by hand, with the machine and the command.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fpgaopt_models  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd):
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fpgaopt", default=os.path.join(REPO, "target", "release", "fpgaopt"))
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "jet_tagger.onnx")
        onnx.save(fpgaopt_models.jet_tagger(), model)
        out = os.path.join(tmp, "prj")
        compile_cmd = [args.fpgaopt, "compile", model, "-o", out]
        times = [timed(compile_cmd) for _ in range(args.runs)]
        print(f"compile jet_tagger 16-64-32-32-5: median {1e3 * statistics.median(times):.1f} ms, "
              f"min {1e3 * min(times):.1f} ms over {args.runs} runs (process start to exit, g++ excluded)")
        x = np.random.default_rng(0).uniform(-1, 1, (1000, 16)).astype(np.float32)
        inp, outp = os.path.join(tmp, "in.npy"), os.path.join(tmp, "out.npy")
        np.save(inp, x)
        shutil.rmtree(os.path.join(out, "csim"), ignore_errors=True)
        cold = timed([args.fpgaopt, "csim", out, "--input", inp, "--output", outp])
        warm = timed([args.fpgaopt, "csim", out, "--input", inp, "--output", outp])
        print(f"csim cold (g++ build + 1000 samples): {cold:.2f} s; warm (cached build, 1000 samples): {warm:.3f} s")


if __name__ == "__main__":
    main()
