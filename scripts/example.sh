#!/usr/bin/env bash
# The main job, end to end, on scikit-learn's digits (8x8 images, 10 classes).
#
#   bash scripts/example.sh [--qat | --float] [--no-build]
#
# --qat (default): quantization-aware training of a 64-32-32-10 MLP (4-bit weights, 6-bit activations,
#   numpy), exported as QONNX; fpgaopt compiles it to Vitis HLS C++, the C simulation runs on the
#   test set and must reproduce qonnx's execute_onnx outputs bit for bit, hence its accuracy exactly.
#   Output in build/example/qat/: digits_qat.onnx, X_test.npy / y_test.npy, qonnx.npy (reference),
#   prj/ (the HLS project: prj/firmware/, prj/report.json) and csim.npy.
# --float: a float 64-32-32-10 MLP, compiled at the default precision fixed<16,6> and compared with
#   onnxruntime; then `fpgaopt sweep` shows error and accuracy at narrower precisions.
#   Output in build/example/float/.
# Other options go to scripts/setup.sh (e.g. --no-build to use binaries built by hand).
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
step() { echo "example: $*"; }

MODE=qat
SETUP_ARGS=()
for arg in "$@"; do
    case "$arg" in
        --qat) MODE=qat ;;
        --float) MODE=float ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) SETUP_ARGS+=("$arg") ;;
    esac
done

bash scripts/setup.sh "${SETUP_ARGS[@]+"${SETUP_ARGS[@]}"}"
# shellcheck source=scripts/env.sh
source scripts/env.sh
PY="$REPO/.venv/bin/python"
FPGAOPT="${FPGAOPT_BIN:-$REPO/target/release/fpgaopt}"
OUT="$REPO/build/example/$MODE"
mkdir -p "$OUT"
rm -rf "$OUT/prj"

if [[ "$MODE" == qat ]]; then
    step "quantization-aware training of a 64-32-32-10 MLP on digits (numpy; w4a6), QONNX export"
    "$PY" python/qat_digits.py "$OUT"

    step "fpgaopt compile -> build/example/qat/prj"
    "$FPGAOPT" compile "$OUT/digits_qat.onnx" -o "$OUT/prj"

    step "fpgaopt csim on the test set (g++ C simulation)"
    "$FPGAOPT" csim "$OUT/prj" --input "$OUT/X_test.npy" --output "$OUT/csim.npy"

    step "results (reference: qonnx execute_onnx; every output must be bit-identical)"
    "$PY" python/compare.py "$OUT/qonnx.npy" "$OUT/csim.npy" --labels "$OUT/y_test.npy" \
        --ref-name qonnx --out-name csim --require-identical
else
    step "training a 64-32-32-10 float MLP on digits (numpy)"
    "$PY" python/train_digits_mlp.py "$OUT"

    step "fpgaopt compile (default precision fixed<16,6>) -> build/example/float/prj"
    "$FPGAOPT" compile "$OUT/digits_mlp.onnx" -o "$OUT/prj"

    step "onnxruntime reference on the test set"
    "$PY" python/ort_reference.py "$OUT/digits_mlp.onnx" "$OUT/X_test.npy" "$OUT/onnxruntime.npy"

    step "fpgaopt csim on the test set (g++ C simulation)"
    "$FPGAOPT" csim "$OUT/prj" --input "$OUT/X_test.npy" --output "$OUT/csim.npy"

    step "results"
    "$PY" python/compare.py "$OUT/onnxruntime.npy" "$OUT/csim.npy" --labels "$OUT/y_test.npy" \
        --ref-name onnxruntime --out-name csim

    step "fpgaopt sweep: the same model at several precisions (exact qdf interpreter = C simulation)"
    "$FPGAOPT" sweep "$OUT/digits_mlp.onnx" --input "$OUT/X_test.npy" --labels "$OUT/y_test.npy" \
        --precisions 'fixed<16,6>,fixed<12,6>,fixed<10,5,RND,SAT>,fixed<8,4,RND,SAT>,fixed<6,4,RND,SAT>'
fi
step "HLS project: build/example/$MODE/prj (report: build/example/$MODE/prj/report.json)"
