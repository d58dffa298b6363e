#!/usr/bin/env bash
# Prepare a machine (fresh Debian 12 or an already-set-up one) to build and test fpgaopt.
#
#   bash scripts/setup.sh [--no-build]
#
# Steps, each skipped when already done so a second run is fast:
#   1. apt: LLVM/MLIR 22 development packages, g++, python3-venv (skipped if all are installed);
#   2. Python venv at <repo>/.venv from python/requirements.txt (skipped if the stamp matches);
#   3. <repo>/build/ap_types_path: the ap_types headers shipped in the hls4ml wheel;
#   4. release builds of `fpgaopt` and `fpgaopt-mlir-verify` (skipped with --no-build).
# Exit status is non-zero if any step failed; the failing step is named on stderr.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"

BUILD=1
for arg in "$@"; do
    case "$arg" in
        --no-build) BUILD=0 ;;
        -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "setup: unknown option '$arg'" >&2; exit 2 ;;
    esac
done

say() { echo "setup: $*"; }
fail() { echo "setup: error: $*" >&2; exit 1; }

# --- 1. system packages --------------------------------------------------------------------------
APT_PACKAGES=(libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools libclang-22-dev libpolly-22-dev
              libzstd-dev g++ python3-venv)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done
if ((${#missing[@]} == 0)); then
    say "apt packages already installed"
else
    SUDO=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null || fail "not root and no sudo: cannot install ${missing[*]}"
        SUDO=(sudo)
    fi
    say "installing apt packages: ${missing[*]}"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
        || fail "apt-get update failed"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null || fail "apt-get install failed"
fi

# --- 2. Python venv --------------------------------------------------------------------------
VENV="$REPO/.venv"
REQ="$REPO/python/requirements.txt"
STAMP="$VENV/.fpgaopt-requirements.sha256"
if [[ ! -x "$VENV/bin/python" ]]; then
    say "creating venv at .venv"
    # Prefer the python3 on PATH; fall back to Debian's, which python3-venv serves.
    python3 -m venv "$VENV" 2>/dev/null || /usr/bin/python3 -m venv "$VENV" \
        || fail "cannot create venv at $VENV"
fi
want="$(sha256sum "$REQ" | cut -d' ' -f1)"
have="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$want" == "$have" ]]; then
    say "python requirements already installed"
else
    say "installing python requirements (python/requirements.txt)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null \
        || fail "pip upgrade failed"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$REQ" \
        || fail "pip install -r python/requirements.txt failed"
    echo "$want" >"$STAMP"
fi

# --- 3. ap_types headers -------------------------------------------------------------------
# find_spec locates the package without importing it (importing hls4ml is slow and chatty).
AP_TYPES="$("$VENV/bin/python" - <<'PY'
import importlib.util, os
spec = importlib.util.find_spec("hls4ml")
if spec and spec.origin:
    print(os.path.join(os.path.dirname(spec.origin), "templates", "vivado", "ap_types"))
PY
)"
[[ -n "$AP_TYPES" && -f "$AP_TYPES/ap_fixed.h" ]] \
    || fail "ap_fixed.h not found in the hls4ml wheel (looked in '${AP_TYPES:-<no hls4ml>}')"
mkdir -p "$REPO/build"
printf '%s' "$AP_TYPES" >"$REPO/build/ap_types_path"
say "ap_types headers: $AP_TYPES (written to build/ap_types_path)"

# --- 4. Rust binaries ----------------------------------------------------------------------
if ((BUILD == 0)); then
    say "skipping cargo builds (--no-build)"
    exit 0
fi
# shellcheck source=scripts/env.sh
source "$REPO/scripts/env.sh"
command -v cargo >/dev/null || fail "cargo not found on PATH"
# Both builds are attempted so one broken crate does not hide the state of the other.
build_failed=()
for pkg in fpgaopt fpgaopt-mlir-verify; do
    say "building $pkg (cargo build --release -p $pkg)"
    cargo build --release -p "$pkg" || build_failed+=("$pkg")
done
((${#build_failed[@]} == 0)) || fail "cargo build --release failed for: ${build_failed[*]}"
say "done: target/release/fpgaopt, target/release/fpgaopt-mlir-verify"
