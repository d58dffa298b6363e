// Models the importer rejects: the diagnostic names the node and its op type, or the file.

// RUN: %python %S/Inputs/errors.py %t.topk.onnx unsupported
// RUN: not fpgaopt %t.topk.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=TOPK
// TOPK: .topk.onnx: error: node 'topk_1' (TopK): unsupported operator

// Nodes without a name are called <OpType>_<index>.
// RUN: %python %S/Inputs/errors.py %t.nameless.onnx nameless
// RUN: not fpgaopt %t.nameless.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=NAMELESS
// NAMELESS: error: node 'Erf_1' (Erf): unsupported operator

// Other domains' operators are unsupported; the QONNX domains are read (see quant-*.mlir).
// RUN: %python %S/Inputs/errors.py %t.domain.onnx other_domain
// RUN: not fpgaopt %t.domain.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=DOMAIN
// DOMAIN: error: node 'fused_1' (FusedMatMul): unsupported operator (domain 'com.microsoft')

// RUN: %python %S/Inputs/errors.py %t.old.onnx old_opset
// RUN: not fpgaopt %t.old.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=OLD
// OLD: .old.onnx: error: ONNX opset 8 is not supported: fpgaopt reads opset 9 and later

// RUN: %python %S/Inputs/errors.py %t.trunc.onnx truncated
// RUN: not fpgaopt %t.trunc.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=TRUNC
// TRUNC: .trunc.onnx: error: cannot parse ONNX model: {{.+}}

// RUN: %python %S/Inputs/errors.py %t.garbage.onnx garbage
// RUN: not fpgaopt %t.garbage.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=GARBAGE
// GARBAGE: .garbage.onnx: error: cannot parse ONNX model: {{.+}}

// RUN: %python %S/Inputs/errors.py %t.sym.onnx symbolic
// RUN: not fpgaopt %t.sym.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=SYM
// SYM: error: graph input 'x' has symbolic dimension 'C' at axis 1; only the batch axis 0 may be dynamic

// RUN: not fpgaopt %t.missing.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: .missing.onnx: error: cannot read ONNX model:
