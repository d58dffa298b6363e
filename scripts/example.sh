#!/usr/bin/env bash
# The main job, end to end: train a float MLP on scikit-learn's digits, compile it to Vitis HLS
# C++ with fpgaopt, run the C simulation on the test set and compare it with onnxruntime.
#
#   bash scripts/example.sh [--no-build]
#
# Everything lands in build/example/: digits_mlp.onnx, X_test.npy / y_test.npy, the HLS project
# in prj/ (prj/firmware/, prj/report.json), onnxruntime.npy and csim.npy.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
step() { echo "example: $*"; }

bash scripts/setup.sh "$@"   # e.g. --no-build to use binaries built by hand
# shellcheck source=scripts/env.sh
source scripts/env.sh
PY="$REPO/.venv/bin/python"
FPGAOPT="${FPGAOPT_BIN:-$REPO/target/release/fpgaopt}"
OUT="$REPO/build/example"
mkdir -p "$OUT"

step "training a 64-32-32-10 float MLP on digits (numpy)"
"$PY" python/train_digits_mlp.py "$OUT"

step "fpgaopt compile (default precision) -> build/example/prj"
rm -rf "$OUT/prj"
"$FPGAOPT" compile "$OUT/digits_mlp.onnx" -o "$OUT/prj"

step "onnxruntime reference on the test set"
"$PY" python/ort_reference.py "$OUT/digits_mlp.onnx" "$OUT/X_test.npy" "$OUT/onnxruntime.npy"

step "fpgaopt csim on the test set (g++ C simulation)"
"$FPGAOPT" csim "$OUT/prj" --input "$OUT/X_test.npy" --output "$OUT/csim.npy"

step "results"
"$PY" python/compare.py "$OUT/onnxruntime.npy" "$OUT/csim.npy" --labels "$OUT/y_test.npy" \
    --ref-name onnxruntime --out-name csim
step "HLS project: build/example/prj (report: build/example/prj/report.json)"
