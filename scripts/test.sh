#!/usr/bin/env bash
# Run every test suite of fpgaopt and print one closing line `N passed, N failed`.
#
#   bash scripts/test.sh
#
# Suites, in order (each runs even if an earlier one failed):
#   setup      scripts/setup.sh (apt, venv, ap_types, release builds)
#   cargo      cargo test --workspace --exclude fpgaopt-mlir-verify
#   cargo-mlir cargo test -p fpgaopt-mlir-verify           (MLIR env from scripts/env.sh)
#   lit        lit -v lit-tests
#   pytest     pytest tests/e2e tests/test_conformance.py
# Counts are read from each runner's own summary (cargo: every `test result:` line, one per test
# binary). A suite that fails without reporting a failed test (build error, crash, missing tool)
# counts as one failure. Logs go to build/test-logs/. Exit status 1 if anything failed.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
LOGS="$REPO/build/test-logs"
mkdir -p "$LOGS"

TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()

say() { echo "test.sh: $*"; }

# record SUITE PASSED FAILED NOTE
record() {
    TOTAL_PASSED=$((TOTAL_PASSED + $2))
    TOTAL_FAILED=$((TOTAL_FAILED + $3))
    SUMMARY+=("$(printf '  %-11s %4d passed, %4d failed%s' "$1" "$2" "$3" "${4:+  ($4)}")")
}

# run_logged NAME CMD...: runs CMD with output to the terminal and build/test-logs/NAME.log;
# sets RC to CMD's exit status.
run_logged() {
    local name="$1"
    shift
    say "running $name: $*"
    "$@" 2>&1 </dev/null | tee "$LOGS/$name.log"
    RC=${PIPESTATUS[0]}
}

# --- setup -------------------------------------------------------------------------------------
run_logged setup bash scripts/setup.sh
if ((RC == 0)); then
    record setup 0 0
else
    record setup 0 1 "scripts/setup.sh exited $RC"
fi
# shellcheck source=scripts/env.sh
source "$REPO/scripts/env.sh"

# --- cargo -------------------------------------------------------------------------------------
# Sums `test result: ... N passed; M failed; ...` over all test binaries and doc tests.
cargo_suite() {
    local name="$1"
    shift
    if ! command -v cargo >/dev/null; then
        record "$name" 0 1 "cargo not found"
        return
    fi
    run_logged "$name" cargo test --no-fail-fast "$@"
    local passed failed binaries
    binaries=$(grep -cE '^test result: ' "$LOGS/$name.log")
    passed=$(grep -E '^test result: ' "$LOGS/$name.log" | grep -oE '[0-9]+ passed' \
             | awk '{s += $1} END {print s + 0}')
    failed=$(grep -E '^test result: ' "$LOGS/$name.log" | grep -oE '[0-9]+ failed' \
             | awk '{s += $1} END {print s + 0}')
    if ((RC != 0 && failed == 0)); then
        record "$name" "$passed" 1 "cargo exited $RC without a failed test: build error or crash"
    else
        record "$name" "$passed" "$failed" "$binaries test binaries"
    fi
}
cargo_suite cargo --workspace --exclude fpgaopt-mlir-verify
cargo_suite cargo-mlir -p fpgaopt-mlir-verify

# --- lit ---------------------------------------------------------------------------------------
LIT="$REPO/.venv/bin/lit"
if [[ ! -x "$LIT" ]]; then
    record lit 0 1 "lit not installed in .venv"
else
    run_logged lit "$LIT" -v lit-tests
    # Closing summary lines look like `  Passed           : 12 (85.71%)`.
    lit_count() {
        grep -E "^\s+$1\s*:\s*[0-9]+" "$LOGS/lit.log" | tail -1 | sed -E 's/.*:\s*([0-9]+).*/\1/'
    }
    passed=0
    failed=0
    for label in "Passed" "Passed With Retry" "Passed After Update" "Expectedly Failed"; do
        passed=$((passed + $(lit_count "$label" || true) + 0))
    done
    for label in "Failed" "Unresolved" "Timed Out" "Unexpectedly Passed"; do
        failed=$((failed + $(lit_count "$label" || true) + 0))
    done
    if grep -q "did not discover any tests" "$LOGS/lit.log"; then
        record lit 0 0 "no lit tests yet"
    elif ((RC != 0 && failed == 0)); then
        record lit "$passed" 1 "lit exited $RC without a failed test"
    else
        record lit "$passed" "$failed"
    fi
fi

# --- pytest ------------------------------------------------------------------------------------
PY="$REPO/.venv/bin/python"
if [[ ! -x "$PY" ]] || ! "$PY" -c "import pytest" 2>/dev/null; then
    record pytest 0 1 "pytest not installed in .venv"
else
    run_logged pytest "$PY" -m pytest tests/e2e tests/test_conformance.py -v -rfE -p no:cacheprovider
    # Closing line: `==== 3 failed, 14 passed, 1 skipped in 12.34s ====` (or `no tests ran`).
    closing=$(grep -E '(passed|failed|errors?|skipped|deselected|no tests ran).* in [0-9.]+s' \
              "$LOGS/pytest.log" | tail -1)
    count() { grep -oE "[0-9]+ $1\b" <<<"$closing" | awk '{s += $1} END {print s + 0}'; }
    passed=$(($(count passed) + $(count xfailed)))
    failed=$(($(count failed) + $(count 'errors?') + $(count xpassed)))
    case "$RC" in
        0|1) if ((RC == 1 && failed == 0)); then
                 record pytest "$passed" 1 "pytest exited 1 without a failed test"
             else
                 record pytest "$passed" "$failed"
             fi ;;
        5) record pytest 0 0 "no tests collected" ;;
        *) record pytest "$passed" $((failed + 1)) "pytest exited $RC (interrupted or internal error)" ;;
    esac
fi

# --- summary -----------------------------------------------------------------------------------
echo
say "summary (logs in build/test-logs/)"
printf '%s\n' "${SUMMARY[@]}"
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
((TOTAL_FAILED == 0))
