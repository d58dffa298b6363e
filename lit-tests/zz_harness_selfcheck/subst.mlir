// RUN: %python -c "import sys; print(sys.executable)" | FileCheck %s --check-prefix=PY
// PY: .venv/bin/python
// RUN: echo %models %irdl | FileCheck %s --check-prefix=SUB
// SUB: {{^}}/work/shared/models --irdl /work/main/dialects/nn.irdl.mlir --irdl /work/main/dialects/qdf.irdl.mlir --irdl /work/main/dialects/hls.irdl.mlir{{$}}
// RUN: echo 'x{count=3} --check-prefix=not /a/fpgaopt/b' fpgaopt-mlir-verify fpgaopt | FileCheck %s --check-prefix=OPT
// OPT: {{^}}x{count=3} --check-prefix=not /a/fpgaopt/b /work/main/target/release/fpgaopt-mlir-verify /work/main/target/release/fpgaopt{{$}}
// RUN: not false
// RUN: echo a | count 1
// RUN: fpgaopt --help
// RUN: not %python -c "import sys; sys.exit(3)"
