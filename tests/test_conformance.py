"""The ONNX conformance harness (python/conformance.py) on a few fast node tests of Relu, Add and Gemm
(and their constant-input variants): each compiles, C-simulates and passes or is rejected with a
reason; none fails. The full table is docs/conformance.md."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

import conformance  # noqa: E402


def test_supported_ops_follow_the_importer_source(tmp_path):
    (tmp_path / "layers.rs").write_text(
        'match node.op_type() {\n    "Resize" => self.resize(node)?,\n    "MaxPool" | "AveragePool" => x,\n'
        '    "NOTSET" => pads,\n    _ => return Ok(false),\n}\nif node.op_type() == "Dropout" {}\n')
    assert conformance.supported_ops(tmp_path) == ["AveragePool", "Dropout", "MaxPool", "Resize"]
    assert {"Gemm", "Relu", "Add"} <= set(conformance.supported_ops())


def test_relu_add_gemm_have_no_failures(tmp_path):
    out = tmp_path / "outcomes.json"
    doc = tmp_path / "conformance.md"
    proc = subprocess.run(
        [sys.executable, str(REPO / "python" / "conformance.py"), "--ops", "Relu,Add,Gemm", "--check",
         "--tests", "relu|add$|add_bcast|add_uint8|gemm_(alpha|default_no_bias|transposeB)$",
         "--work", str(tmp_path / "work"), "--json", str(out), "--doc", str(doc)],
        capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    outcomes = json.loads(out.read_text())
    by_name = {o["name"]: o for o in outcomes}
    assert not [o for o in outcomes if o["status"] == "failed"]
    for name in ["test_relu", "test_add", "test_add_bcast", "test_gemm_alpha", "test_gemm_default_no_bias",
                 "test_gemm_transposeB"]:
        assert by_name[name]["status"] == "passed", by_name[name]
    # Rejections carry fpgaopt's first error line.
    assert "only FLOAT inputs are supported" in by_name["test_add_uint8"]["reason"]
    assert all(o["reason"] for o in outcomes if o["status"] == "rejected")
    text = doc.read_text()
    assert "| Gemm | 3 |" in text and "## Variants" in text
