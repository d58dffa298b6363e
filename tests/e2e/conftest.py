"""Shared fixtures for fpgaopt's end-to-end tests: where the binary is, how to call it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))

COMPILE_TIMEOUT = 300
CSIM_TIMEOUT = 900


def fpgaopt_bin():
    """$FPGAOPT_BIN, else <repo>/target/release/fpgaopt."""
    return Path(os.environ.get("FPGAOPT_BIN") or REPO / "target" / "release" / "fpgaopt")


def _env():
    """The caller's environment plus FPGAOPT_AP_TYPES from build/ap_types_path if unset."""
    env = dict(os.environ)
    recorded = REPO / "build" / "ap_types_path"
    if not env.get("FPGAOPT_AP_TYPES") and recorded.is_file():
        env["FPGAOPT_AP_TYPES"] = recorded.read_text().strip()
    return env


class Fpgaopt:
    """Runs the fpgaopt command line; every call returns the CompletedProcess."""

    def __init__(self, path):
        self.path = path

    def run(self, *args, timeout=COMPILE_TIMEOUT):
        return subprocess.run([str(self.path), *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, env=_env(), stdin=subprocess.DEVNULL)

    def check(self, *args, timeout=COMPILE_TIMEOUT):
        """Runs and fails the test with the command's stderr if it exits non-zero."""
        proc = self.run(*args, timeout=timeout)
        if proc.returncode != 0:
            pytest.fail(f"`fpgaopt {' '.join(map(str, args))}` exited {proc.returncode}\n"
                        f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}",
                        pytrace=False)
        return proc

    def compile(self, model, out_dir, precision=None):
        """`fpgaopt compile MODEL -o DIR [--precision P]`; checks the project's layout."""
        args = ["compile", model, "-o", out_dir]
        if precision:
            args += ["--precision", precision]
        self.check(*args)
        out_dir = Path(out_dir)
        assert (out_dir / "firmware").is_dir(), f"no firmware/ in {out_dir}"
        report = out_dir / "report.json"
        assert report.is_file(), f"no report.json in {out_dir}"
        json.loads(report.read_text())
        return out_dir

    def csim(self, prj_dir, inputs, outputs):
        """`fpgaopt csim DIR --input IN.npy --output OUT.npy`; returns the loaded outputs."""
        import numpy as np

        self.check("csim", prj_dir, "--input", inputs, "--output", outputs, timeout=CSIM_TIMEOUT)
        return np.load(outputs)


@pytest.fixture(scope="session")
def fpgaopt():
    path = fpgaopt_bin()
    if not path.is_file():
        pytest.fail(f"fpgaopt binary not found at {path} (build it with "
                    "`cargo build --release -p fpgaopt` or set FPGAOPT_BIN)", pytrace=False)
    return Fpgaopt(path)
