# -*- Python -*-
"""lit configuration for fpgaopt's FileCheck tests (`lit -v lit-tests`, or scripts/test.sh).

RUN lines may use:
  fpgaopt, fpgaopt-mlir-verify   <repo>/target/release/ (built by scripts/setup.sh)
  FileCheck, not, count, split-file   LLVM 22's tools in /usr/lib/llvm-22/bin
  %python   the venv's python       %models   <repo>/../shared/models
  %irdl     --irdl <repo>/dialects/{nn,qdf,hls}.irdl.mlir
"""

import os
import re
import shutil

import lit.formats
import lit.util

config.name = "fpgaopt"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.excludes = ["Inputs", "lit.cfg.py", "README.md"]

config.test_source_root = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(config.test_source_root)
config.test_exec_root = os.path.join(REPO, "build", "lit")

RELEASE = os.environ.get("FPGAOPT_BIN_DIR", os.path.join(REPO, "target", "release"))
LLVM_BIN = "/usr/lib/llvm-22/bin"
VENV_BIN = os.path.join(REPO, ".venv", "bin")


def _llvm_tool(name):
    """LLVM 22's tool; for FileCheck fall back to the Python port (venv) if LLVM's is missing."""
    path = os.path.join(LLVM_BIN, name)
    if os.path.exists(path):
        return path
    if name == "FileCheck":
        port = shutil.which("filecheck", path=VENV_BIN) or shutil.which("filecheck")
        if port:
            lit_config.warning(f"{path} not found; using the Python port {port}")
            return port
    lit_config.warning(f"{path} not found (install llvm-22-tools)")
    return name


# A tool name is replaced only where it stands as a whole word at a command position: at the
# start of the command, after a pipe or separator, or after `not` / whitespace. It is left
# alone inside paths (`.../fpgaopt/...`), longer names (`fpgaopt-mlir-verify`, `%models`) and
# option values (`{count=3}`, `--check-prefix=not`). lit applies these as regular
# expressions, in order, before its own %s/%t; lit escapes backslashes in the replacement, so
# the patterns use only look-arounds, never back-references.
def _tool(name, path):
    pattern = r"(?:^|(?<=[\s|;&(]))" + re.escape(name) + r"(?=[\s|;&)]|$)"
    return (pattern, path)


tools = [
    ("fpgaopt-mlir-verify", os.path.join(RELEASE, "fpgaopt-mlir-verify")),
    ("fpgaopt", os.path.join(RELEASE, "fpgaopt")),
    ("FileCheck", _llvm_tool("FileCheck")),
    ("split-file", _llvm_tool("split-file")),
    ("count", _llvm_tool("count")),
    ("not", _llvm_tool("not")),
]
for name, path in tools:
    if not os.path.exists(path) and name.startswith("fpgaopt"):
        lit_config.note(f"{path} not built yet: tests that run {name} will fail")
    config.substitutions.append(_tool(name, path))

PYTHON = os.path.join(VENV_BIN, "python")
if not os.path.exists(PYTHON):
    PYTHON = shutil.which("python3") or "python3"
IRDL = " ".join(f"--irdl {os.path.join(REPO, 'dialects', d + '.irdl.mlir')}" for d in ("nn", "qdf", "hls"))
# Custom %-substitutions come before lit's own (%p, %s, ...), so %python is not read as %p.
config.substitutions.extend([
    ("%python", PYTHON),
    ("%models", os.path.normpath(os.path.join(REPO, "..", "shared", "models"))),
    ("%irdl", IRDL),
])

# Anything the substitutions miss still resolves to the same tools through PATH.
path = [RELEASE, LLVM_BIN, VENV_BIN, config.environment.get("PATH", os.environ.get("PATH", ""))]
config.environment["PATH"] = os.pathsep.join(path)
for var in ("FPGAOPT_AP_TYPES", "HOME", "TMPDIR"):
    if os.environ.get(var):
        config.environment[var] = os.environ[var]
ap_types_file = os.path.join(REPO, "build", "ap_types_path")
if "FPGAOPT_AP_TYPES" not in config.environment and os.path.exists(ap_types_file):
    with open(ap_types_file) as f:
        config.environment["FPGAOPT_AP_TYPES"] = f.read().strip()
# Diagnostics and FileCheck output should not depend on the terminal.
config.environment["NO_COLOR"] = "1"
