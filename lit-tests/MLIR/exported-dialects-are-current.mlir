// The checked-in IRDL and reference docs are exactly what the op definitions generate.
// RUN: fpgaopt --export-irdl=nn | diff - %S/../../dialects/nn.irdl.mlir
// RUN: fpgaopt --export-irdl=qdf | diff - %S/../../dialects/qdf.irdl.mlir
// RUN: fpgaopt --export-irdl=hls | diff - %S/../../dialects/hls.irdl.mlir
// RUN: fpgaopt --export-docs=nn | diff - %S/../../docs/dialects/nn.md
// RUN: fpgaopt --export-docs=qdf | diff - %S/../../docs/dialects/qdf.md
// RUN: fpgaopt --export-docs=hls | diff - %S/../../docs/dialects/hls.md
// RUN: fpgaopt --export-pass-docs | diff - %S/../../docs/passes.md
