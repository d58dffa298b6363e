"""ONNX conformance of fpgaopt: the onnx package's node tests through `fpgaopt compile` and `fpgaopt csim`.

    .venv/bin/python python/conformance.py [--ops Relu,Gemm] [--tests REGEX] [--precision 'fixed<48,24>']
                                           [--doc docs/conformance.md] [--json FILE] [--check]

1. The ops fpgaopt imports are read from the importer's source: every op-type string matched in
   `passes/src/import_onnx/**/*.rs` (a `"Gemm" =>` arm or an `op_type() == "Dropout"` test) that is an
   ONNX operator (`onnx.defs`), so an op added to the importer is picked up on the next run.
2. The node tests come from `onnx.backend.test.case.node.collect_testcases()` (what
   `backend-test-tools generate-data` writes): a test belongs to the op of its node; an `_expanded`
   test (the op's function body) belongs to the op it expands. Each selected test is written to
   `WORK/tests/NAME/` as `model.onnx` and `test_data_set_K/{input,output}_J.pb`, like generate-data.
3. Each test is compiled with `fpgaopt compile --precision P` into `WORK/projects/HASH/` (HASH: the
   model bytes and P; the C simulation's own content-hashed build cache makes a rerun with an
   unchanged emitted project skip g++), then `fpgaopt csim` runs every data set: one `--input` per
   model input, one `--output` per model output, each with a leading batch axis of 1.
4. Classification: **passed** when every output of every data set meets the tolerance;
   **rejected** when `fpgaopt compile` exits 1 with an `error:` diagnostic that is no fault of
   fpgaopt (no panic, internal compiler error, invalid IR or "bug in fpgaopt" note), or `fpgaopt
   csim` refuses NaN inputs (the reason is the first error line); **failed** otherwise (a wrong
   result, a crash or panic, a C simulation or g++ error, a timeout). No test is skipped silently.
5. A rejected test with two or more inputs (a FLOAT first one) runs again as `NAME+const`, its
   inputs after the first made initializers (`constant_inputs`): fpgaopt compiles weights, shapes
   and axes into the hardware, and this checks the op's semantics all the same. Variants are
   counted apart; `--check` fails on a failed test or variant.

Tolerance: |y - ref| <= atol + rtol * |ref| elementwise (NaN and inf must match exactly), with atol
and rtol given by `tolerance()`: the default precision has 24 fractional bits (LSB 6e-8), so rounding
each of a handful of chained ops stays far below atol = 1e-5; outputs of designs holding a lookup
table (sigmoid, tanh, softmax exp: 1024 intervals over [-16, 16), interpolation error <= 9.4e-5 for
tanh, docs/design/qdf.md) get atol = 5e-4.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
IMPORTER = REPO / "passes" / "src" / "import_onnx"
DEFAULT_PRECISION = "fixed<48,24>"
COMPILE_TIMEOUT = 120
CSIM_TIMEOUT = 600

# Tolerances (see the module docs and docs/conformance.md).
ATOL = 1e-5
RTOL = 1e-5
TABLE_ATOL = 5e-4
TABLE_RTOL = 1e-3


# --- which ops -----------------------------------------------------------------------------------

# `"Gemm" =>`, `"MaxPool" | "AveragePool" =>` (match arms) and `op_type() == "Dropout"`.
_ARM = re.compile(r'((?:"[A-Za-z][A-Za-z0-9]*"\s*\|\s*)*"[A-Za-z][A-Za-z0-9]*")\s*=>')
_TEST = re.compile(r'op_type\(\)\s*[!=]=\s*"([A-Za-z][A-Za-z0-9]*)"')
_STRING = re.compile(r'"([A-Za-z][A-Za-z0-9]*)"')


def onnx_op_names() -> set[str]:
    """Every operator name onnx knows (all domains)."""
    import onnx.defs

    return {s.name for s in onnx.defs.get_all_schemas_with_history()}


def supported_ops(importer: Path = IMPORTER) -> list[str]:
    """The ONNX op types the importer dispatches on, read from its source."""
    names = set()
    for src in sorted(importer.rglob("*.rs")):
        text = src.read_text()
        for arm in _ARM.finditer(text):
            names.update(_STRING.findall(arm.group(1)))
        names.update(_TEST.findall(text))
    return sorted(names & onnx_op_names())


# --- which tests ---------------------------------------------------------------------------------

_EXPANDED = re.compile(r"_expanded(_ver\d+)?$")


@dataclass
class NodeTest:
    """One onnx node test."""

    name: str
    op: str
    model: object  # onnx.ModelProto
    data_sets: list  # [(inputs, outputs)], numpy arrays or TensorProtos
    variant: bool = False  # inputs after the first made constants (see constant_inputs)


def node_tests(ops: set[str]) -> list[NodeTest]:
    """The onnx node tests of the given ops (and of their function expansions), sorted by op and name."""
    from onnx.backend.test.case.node import collect_testcases

    cases = collect_testcases()
    single = {c.name: c.model.graph.node[0].op_type for c in cases if len(c.model.graph.node) == 1}
    tests = []
    for c in cases:
        base = _EXPANDED.sub("", c.name)
        op = single.get(base) if base != c.name else single.get(c.name)
        if op is None and len(c.model.graph.node) == 1:
            op = c.model.graph.node[0].op_type
        if op in ops:
            tests.append(NodeTest(c.name, op, c.model, c.data_sets))
    return sorted(tests, key=lambda t: (t.op, t.name))


def constant_inputs(t: NodeTest) -> NodeTest | None:
    """The test with every graph input after the first turned into an initializer holding its test
    value (`NAME+const`), or None when it has fewer than two inputs, several data sets or a first
    input that is not FLOAT.

    fpgaopt compiles weights, shapes, axes and pads into the hardware, so a node test that feeds
    them as graph inputs is rejected; this variant checks the op's semantics all the same.
    """
    g = t.model.graph
    if len(g.input) < 2 or len(t.data_sets) != 1 or g.input[0].type.tensor_type.elem_type != 1:
        return None
    inputs, outputs = t.data_sets[0]
    model = type(t.model)()
    model.CopyFrom(t.model)
    g = model.graph
    frozen = list(g.input[1:])
    del g.input[1:]
    for info, value in zip(frozen, inputs[1:]):
        g.initializer.append(_tensor(value, info.name))
    return NodeTest(f"{t.name}+const", t.op, model, [(inputs[:1], outputs)], variant=True)


def _tensor(value, name: str):
    """A TensorProto of a test value (numpy array or already a TensorProto)."""
    from onnx import TensorProto, numpy_helper

    if isinstance(value, TensorProto):
        named = TensorProto()
        named.CopyFrom(value)
        named.name = name
        return named
    return numpy_helper.from_array(np.asarray(value), name)


def _array(value) -> np.ndarray:
    from onnx import TensorProto, numpy_helper

    return numpy_helper.to_array(value) if isinstance(value, TensorProto) else np.asarray(value)


def write_test(t: NodeTest, root: Path) -> Path:
    """Writes model.onnx and test_data_set_K/{input,output}_J.pb as onnx's generate-data does."""
    d = root / t.name
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    (d / "model.onnx").write_bytes(t.model.SerializeToString())
    g = t.model.graph
    for k, (inputs, outputs) in enumerate(t.data_sets):
        ds = d / f"test_data_set_{k}"
        ds.mkdir()
        for j, v in enumerate(inputs):
            (ds / f"input_{j}.pb").write_bytes(_tensor(v, g.input[j].name).SerializeToString())
        for j, v in enumerate(outputs):
            (ds / f"output_{j}.pb").write_bytes(_tensor(v, g.output[j].name).SerializeToString())
    return d


# --- running fpgaopt -----------------------------------------------------------------------------


def fpgaopt_bin() -> Path:
    """$FPGAOPT_BIN, else <repo>/target/release/fpgaopt."""
    return Path(os.environ.get("FPGAOPT_BIN") or REPO / "target" / "release" / "fpgaopt")


def _env() -> dict:
    env = dict(os.environ)
    recorded = REPO / "build" / "ap_types_path"
    if not env.get("FPGAOPT_AP_TYPES") and recorded.is_file():
        env["FPGAOPT_AP_TYPES"] = recorded.read_text().strip()
    env.pop("RUST_BACKTRACE", None)
    return env


@dataclass
class Outcome:
    """The verdict on one test."""

    name: str
    op: str
    status: str  # passed | rejected | failed
    reason: str = ""
    seconds: float = 0.0
    variant: bool = False
    built: bool = False  # the C simulation was (re)built with g++ rather than taken from the cache
    tolerance_used: float = 0.0  # passed: the largest |y - ref| / (atol + rtol |ref|) over the outputs
    table: bool = False  # the design holds a lookup table (the wider tolerance applies)


def _run(args: list, timeout: float) -> subprocess.CompletedProcess | None:
    """Runs fpgaopt; None on timeout."""
    try:
        return subprocess.run([str(fpgaopt_bin()), *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, env=_env(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return None


def first_error(stderr: str) -> str:
    """The first `error:` line of fpgaopt's diagnostics (else the first non-empty line)."""
    lines = [l.strip() for l in stderr.splitlines() if l.strip()]
    for l in lines:
        if "error:" in l:
            return l
    return lines[0] if lines else "(no message)"


# Words that mark a diagnostic as fpgaopt's own fault rather than a refusal of the model.
_FAULTS = ("panicked", "RUST_BACKTRACE", "bug in fpgaopt", "internal compiler error", "the IR is invalid after pass")


def is_clear_rejection(proc: subprocess.CompletedProcess) -> bool:
    """fpgaopt refused the model with a diagnostic: exit 1, an `error:` line, no panic, no bug note."""
    err = proc.stderr
    return proc.returncode == 1 and "error:" in err and not any(f in err for f in _FAULTS)


def is_data_rejection(proc: subprocess.CompletedProcess) -> bool:
    """`fpgaopt csim` refused the test's input values (NaN, which fixed point cannot represent)."""
    return is_clear_rejection(proc) and "cannot represent" in proc.stderr


def _short(reason: str) -> str:
    """One line for the table: the path of the model is the same for every test, drop it."""
    reason = re.sub(r"\S*/model\.onnx(:\d+:\d+)?:?\s*", "", reason)
    return reason.replace("|", "\\|")


def tolerance(report: dict) -> tuple[float, float]:
    """(atol, rtol) for a compiled project: wider when a layer reads a lookup table."""
    tables = any("table_type" in layer or "exp_type" in layer for layer in report.get("layers", []))
    return (TABLE_ATOL, TABLE_RTOL) if tables else (ATOL, RTOL)


def compare(y: np.ndarray, ref: np.ndarray, atol: float, rtol: float) -> str:
    """'' when y matches ref, else what differs."""
    if y.size != ref.size:
        return f"{y.size} values, expected {ref.size}"
    y = y.reshape(-1).astype(np.float64)
    r = ref.reshape(-1).astype(np.float64)
    special = ~np.isfinite(r)
    if special.any() and not np.array_equal(y[special], r[special], equal_nan=True):
        return "non-finite expected values differ"
    fin = ~special
    err = np.abs(y[fin] - r[fin])
    bad = err > atol + rtol * np.abs(r[fin])
    if not np.isfinite(y[fin]).all():
        return "non-finite result"
    if bad.any():
        i = int(np.argmax(err - (atol + rtol * np.abs(r[fin]))))
        return (f"{int(bad.sum())}/{r.size} values off, max |y - ref| = {err.max():.3g} "
                f"(y = {y[fin][i]:.7g}, ref = {r[fin][i]:.7g})")
    return ""


def tolerance_used(y: np.ndarray, ref: np.ndarray, atol: float, rtol: float) -> float:
    """The largest |y - ref| / (atol + rtol |ref|) over the finite reference values (0 if none)."""
    y = y.reshape(-1).astype(np.float64)
    r = ref.reshape(-1).astype(np.float64)
    fin = np.isfinite(r)
    return float((np.abs(y[fin] - r[fin]) / (atol + rtol * np.abs(r[fin]))).max(initial=0.0))


def _refusal(proc: subprocess.CompletedProcess | None, step: str, timeout: int, rejected) -> tuple[str, str] | None:
    """None when the fpgaopt step succeeded, else (status, reason); `rejected(proc)` decides a refusal."""
    if proc is None:
        return "failed", f"{step} timed out after {timeout} s"
    if proc.returncode == 0:
        return None
    reason = _short(first_error(proc.stderr))
    if rejected(proc):
        return "rejected", reason
    fault = next((l.strip() for l in proc.stderr.splitlines() if any(f in l for f in _FAULTS) and l.strip() not in reason), "")
    return "failed", f"{step} exited {proc.returncode}: {reason}" + (f" ({_short(fault)})" if fault else "")


def run_test(t: NodeTest, test_dir: Path, projects: Path, precision: str) -> Outcome:
    """Compiles and C-simulates one test; classifies the result."""
    start = time.monotonic()

    used, atol, rtol, note = 0.0, ATOL, RTOL, ""

    def done(status, reason=""):
        return Outcome(t.name, t.op, status, reason, time.monotonic() - start, t.variant, binaries() != before, used,
                       (atol, rtol) == (TABLE_ATOL, TABLE_RTOL))

    def binaries():
        return {(b.name, b.stat().st_mtime_ns) for b in (project / "csim").glob("*_csim")}

    model = test_dir / "model.onnx"
    key = hashlib.sha256(model.read_bytes() + precision.encode()).hexdigest()[:16]
    project = projects / key
    before = binaries()
    proc = _run(["compile", model, "-o", project, "--precision", precision], COMPILE_TIMEOUT)
    if refusal := _refusal(proc, "compile", COMPILE_TIMEOUT, is_clear_rejection):
        return done(*refusal)
    try:
        report = json.loads((project / "report.json").read_text())
    except (OSError, ValueError) as e:
        return done("failed", f"no readable report.json: {e}")
    atol, rtol = tolerance(report)
    g = t.model.graph
    for k, (inputs, outputs) in enumerate(t.data_sets):
        ds = project / "data" / f"set_{k}"
        ds.mkdir(parents=True, exist_ok=True)
        args = ["csim", project]
        for j, v in enumerate(inputs):
            path = ds / f"input_{j}.npy"
            np.save(path, _array(v).astype(np.float32)[np.newaxis])
            args += ["--input", path]
        outs = [ds / f"output_{j}.npy" for j in range(len(outputs))]
        for path in outs:
            path.unlink(missing_ok=True)
            args += ["--output", path]
        proc = _run(args, CSIM_TIMEOUT)
        if refusal := _refusal(proc, "csim", CSIM_TIMEOUT, is_data_rejection):
            return done(*refusal)
        oracle = None
        for j, (path, ref) in enumerate(zip(outs, outputs)):
            y, ref = np.load(path), _array(ref)
            diff = compare(y, ref, atol, rtol)
            if diff:
                # A few node tests store hand-rounded expected values (e.g. 4 decimals). When the
                # stored value is itself off from onnx's own reference implementation by more
                # than the tolerance, that implementation is the oracle.
                if oracle is None:
                    oracle = reference_outputs(t.model, inputs)
                exact = None if oracle is None else np.asarray(oracle[j])
                if exact is not None and compare(exact.astype(np.float64), ref, atol, rtol) and not compare(y, exact, atol, rtol):
                    note = f"output '{g.output[j].name}': the test data's expected values are rounded (max {np.max(np.abs(exact - ref)):.2g} off onnx.reference); matches onnx.reference"
                    used = max(used, tolerance_used(y, exact, atol, rtol))
                    continue
                return done("failed", f"output '{g.output[j].name}': {diff} (atol {atol:g}, rtol {rtol:g})")
            used = max(used, tolerance_used(y, ref, atol, rtol))
    return done("passed", note)


def reference_outputs(model, inputs) -> list | None:
    """The outputs of onnx's ReferenceEvaluator on the test inputs, or None when it cannot run them."""
    try:
        from onnx.reference import ReferenceEvaluator

        feeds = {i.name: _array(v) for i, v in zip(model.graph.input, inputs)}
        return ReferenceEvaluator(model).run(None, feeds)
    except Exception:  # noqa: BLE001 - any failure of the oracle means no second opinion
        return None


# --- report --------------------------------------------------------------------------------------


def table(outcomes: list[Outcome]) -> str:
    """Per op: passed / rejected / failed counts, then a total line (markdown)."""
    ops = sorted({o.op for o in outcomes})
    rows = ["| op | tests | passed | rejected | failed |", "|---|---:|---:|---:|---:|"]
    count = lambda os_, s: sum(o.status == s for o in os_)  # noqa: E731
    for op in ops:
        os_ = [o for o in outcomes if o.op == op]
        rows.append(f"| {op} | {len(os_)} | {count(os_, 'passed')} | {count(os_, 'rejected')} | {count(os_, 'failed')} |")
    rows.append(f"| **total** | {len(outcomes)} | {count(outcomes, 'passed')} | {count(outcomes, 'rejected')} "
                f"| {count(outcomes, 'failed')} |")
    return "\n".join(rows) + "\n"


def details(outcomes: list[Outcome]) -> str:
    """Per op, the tests that passed, then every other with its reason (markdown)."""
    out = []
    for op in sorted({o.op for o in outcomes}):
        bad = [o for o in outcomes if o.op == op and o.status != "passed"]
        passed = [f"`{o.name}`" + (f" ({o.reason})" if o.reason else "") for o in outcomes if o.op == op and o.status == "passed"]
        out.append(f"### {op}\n")
        if passed:
            out.append("Passed: " + ", ".join(passed) + ".\n")
        if bad:
            out.append("| test | result | reason |\n|---|---|---|")
            out.extend(f"| `{o.name}` | {o.status} | {o.reason} |" for o in bad)
            out.append("")
    return "\n".join(out)


def margins(outcomes: list[Outcome]) -> str:
    """How much of the tolerance the passed tests used (sentences)."""
    out = []
    for table, what in [(False, "without a table"), (True, "with a table")]:
        passed = sorted((o for o in outcomes if o.status == "passed" and o.table == table),
                        key=lambda o: o.tolerance_used)
        if passed:
            worst, median = passed[-1], passed[len(passed) // 2]
            out.append(f"the {len(passed)} passing designs {what} used at most {worst.tolerance_used:.1%} of "
                       f"their tolerance (`{worst.name}`), half of them at most {median.tolerance_used:.1%}")
    return f"Measured: {'; '.join(out)}." if out else ""


def document(outcomes: list[Outcome], args, ops: list[str], seconds: float) -> str:
    import onnx

    node, variants = [o for o in outcomes if not o.variant], [o for o in outcomes if o.variant]

    cmd = "python/conformance.py --doc docs/conformance.md"
    if args.precision != DEFAULT_PRECISION:
        cmd += f" --precision '{args.precision}'"
    return f"""# ONNX conformance

Generated by `{cmd}` (run with `.venv/bin/python`); do not edit by hand. onnx {onnx.__version__},
{len(node)} node tests of {len(ops)} ops and {len(variants)} variants, {seconds:.0f} s wall time (compile, g++ and C simulation,
one test at a time, on {os.cpu_count()} cores). Projects are cached in `build/conformance/projects/` by model
hash, and `fpgaopt csim` rebuilds only what changed, so a rerun skips g++ where the emitted C++ is
the same: this run built {sum(o.built for o in outcomes)} of the {sum(o.status == "passed" or o.built for o in outcomes)} C simulations it ran with g++.

**What runs.** The ops are the ONNX op types the importer dispatches on (read from
`passes/src/import_onnx/*.rs`, so new ops are picked up on the next run): {", ".join(ops)}.
The tests are every node test of `onnx.backend.test.case.node` for those ops, including the
`_expanded` tests (the op's function body, which may use other ops). Each is compiled with
`fpgaopt compile --precision '{args.precision}'` and C-simulated with `fpgaopt csim` (one `--input` per
model input and one `--output` per output, batch axis 1).

**Precision and tolerance.** `{args.precision}` has {_frac_bits(args.precision)} fractional bits
(LSB {2.0 ** -_frac_bits(args.precision):.1e}) and holds magnitudes below {2.0 ** (_int_bits(args.precision) - 1):.3g}:
the node tests' float values fit (nine in ten test tensors stay below 25 in magnitude; the largest
value, 1e6, is in the float8 Cast tests), and accumulators and products stay within the 126-bit
exact arithmetic. A result passes when
`|y - ref| <= atol + rtol * |ref|` for every element (non-finite references must match exactly)
with atol = {ATOL:g}, rtol = {RTOL:g}: each op rounds once to the LSB, so a few chained ops stay
two orders of magnitude below atol, and rtol covers the float32 rounding of the reference itself
(6e-8). Designs holding a lookup table (sigmoid, tanh, softmax's exp: 1024 intervals over
[-16, 16), interpolation error up to 9.4e-5 for tanh, `docs/design/qdf.md`) get atol = {TABLE_ATOL:g},
rtol = {TABLE_RTOL:g} (onnx's own default rtol).

{margins(outcomes)}

**Classes.** *passed*: every output matches. *rejected*: `fpgaopt compile` exits 1 with an `error:`
diagnostic that is not a fault of fpgaopt (no panic, internal compiler error, "bug in fpgaopt" or
"IR is invalid after pass" note), or `fpgaopt csim` refuses the test's input values (NaN, which
fixed point cannot represent); the reason below is the first error line.
*failed*: anything else (wrong values, a panic, a g++ or C simulation error, a timeout).
A few node tests store hand-rounded expected values; where the stored value is itself off from
onnx's `ReferenceEvaluator` by more than the tolerance and fpgaopt matches the evaluator, the test
passes with that note.

## Per op

{table(node)}
## Variants: inputs after the first as constants

fpgaopt compiles weights, biases, shapes, axes and pads into the hardware, so a node test that
feeds them as graph inputs is rejected ("input B must be a constant weight"). Every rejected test
with two or more inputs and a FLOAT first input is run again as `NAME+const`: the same model with
its inputs after the first turned into initializers holding the test's values, and the same
expected outputs. This checks the op's semantics where fpgaopt can compile it; the variants are
counted apart from the node tests.

{table(variants) if variants else "(none)"}
## Per test

{details(outcomes)}"""


def _frac_bits(precision: str) -> int:
    w, i = _wi(precision)
    return w - i


def _int_bits(precision: str) -> int:
    return _wi(precision)[1]


def _wi(precision: str) -> tuple[int, int]:
    m = re.match(r"\s*u?fixed<\s*(\d+)\s*,\s*(-?\d+)", precision)
    if not m:
        raise SystemExit(f"conformance.py: cannot read the precision {precision!r}")
    return int(m.group(1)), int(m.group(2))


# --- main ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ops", help="comma-separated op types to test (default: every op the importer reads)")
    p.add_argument("--tests", help="only the tests whose name matches this regular expression (re.search)")
    p.add_argument("--precision", default=DEFAULT_PRECISION, help="fpgaopt compile --precision (default %(default)s)")
    p.add_argument("--work", default=str(REPO / "build" / "conformance"),
                   help="directory for tests and projects (default %(default)s)")
    p.add_argument("--doc", help="write the markdown report here (e.g. docs/conformance.md)")
    p.add_argument("--json", help="write every outcome as JSON here")
    p.add_argument("--check", action="store_true", help="exit 1 if any test (or variant) failed")
    p.add_argument("--no-variants", action="store_true",
                   help="do not retry rejected tests with their inputs after the first as constants")
    args = p.parse_args(argv)
    _wi(args.precision)

    import warnings

    warnings.simplefilter("ignore")  # the generators' own numpy overflow warnings
    start = time.monotonic()
    supported = supported_ops()
    ops = supported
    if args.ops:
        wanted = [o.strip() for o in args.ops.split(",") if o.strip()]
        unknown = [o for o in wanted if o not in supported]
        if unknown:
            print(f"conformance.py: not imported by fpgaopt: {', '.join(unknown)}", file=sys.stderr)
            return 2
        ops = wanted
    work = Path(args.work)
    tests = node_tests(set(ops))
    if args.tests:
        tests = [t for t in tests if re.search(args.tests, t.name)]
    outcomes = []
    for n, t in enumerate(tests, 1):
        todo = [t]
        while todo:
            t = todo.pop()
            o = run_test(t, write_test(t, work / "tests"), work / "projects", args.precision)
            outcomes.append(o)
            print(f"[{n}/{len(tests)}] {o.status:8} {t.name} ({o.seconds:.1f} s){': ' + o.reason if o.reason else ''}",
                  flush=True)
            if o.status == "rejected" and not t.variant and not args.no_variants:
                todo.extend(filter(None, [constant_inputs(t)]))
    seconds = time.monotonic() - start
    node, variants = [o for o in outcomes if not o.variant], [o for o in outcomes if o.variant]
    print()
    print(table(node))
    if variants:
        print("Variants (inputs after the first as constants):\n")
        print(table(variants))
    print(f"{len(node)} node tests and {len(variants)} variants in {seconds:.0f} s")
    if args.doc:
        Path(args.doc).write_text(document(outcomes, args, ops, seconds))
    if args.json:
        Path(args.json).write_text(json.dumps([o.__dict__ for o in outcomes], indent=1) + "\n")
    failed = [o for o in outcomes if o.status == "failed"]
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
