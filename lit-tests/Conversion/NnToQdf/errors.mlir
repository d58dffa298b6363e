// Inputs and options nn-to-qdf rejects, with the diagnostic it gives.

// RUN: fpgaopt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(nn-to-qdf)'

// RUN: echo '{"layers": {"fc9": {"result": "fixed<8,3>"}}}' > %t.unknown.json
// RUN: not fpgaopt %s --split-input-file --pass-pipeline="builtin.module(nn-to-qdf{config=%t.unknown.json})" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: .unknown.json: error: config names layer 'fc9', which is not in the model (layers: fc1)

// RUN: echo '{"layers": {"fc1": {"results": "fixed<8,3>"}}}' > %t.key.json
// RUN: not fpgaopt %s --split-input-file --pass-pipeline="builtin.module(nn-to-qdf{config=%t.key.json})" 2>&1 | FileCheck %s --check-prefix=KEY
// KEY: .key.json: error: invalid nn-to-qdf config: layer 'fc1': unknown key 'results' (expected result, weight, bias, acc, rounding, overflow, reuse)

// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf{precision=fixed<16,6,ROUND>})' 2>&1 | FileCheck %s --check-prefix=PREC
// PREC: error: nn-to-qdf option 'precision': invalid fixed-point type 'fixed<16,6,ROUND>': unknown rounding mode "ROUND"

// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf{precision=fixed<80,20>})' 2>&1 | FileCheck %s --check-prefix=WIDE
// WIDE: error: precision fixed<80,20> is wider than the 64 bits qdf values support

// RUN: not fpgaopt %s --split-input-file --pass-pipeline='builtin.module(nn-to-qdf{table-size=1000})' 2>&1 | FileCheck %s --check-prefix=SIZE
// SIZE: error: nn-to-qdf option 'table-size' must be a power of two in 2..=2^20, got 1000

func.func @named_layer(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %r = "nn.relu"(%x) : (tensor<1x2xf32>) -> tensor<1x2xf32> loc("fc1")
  func.return %r : tensor<1x2xf32>
}

// -----

func.func @batch_norm_with_computed_parameters(%x: tensor<1x2xf32>, %s: tensor<2xf32>) -> tensor<1x2xf32> {
  %c = "nn.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
  // expected-error @+1 {{'nn.batch_norm': parameters that are not constants cannot be quantized; run nn-canonicalize to fold them}}
  %y = "nn.batch_norm"(%x, %s, %c, %c, %c) {epsilon = 1.0e-3} : (tensor<1x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// -----

func.func @not_an_nn_op(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  // expected-error @+1 {{'arith.constant': nn-to-qdf converts only nn ops}}
  %c = arith.constant 1 : index
  func.return %x : tensor<1x2xf32>
}

// -----

// expected-error @+1 {{nn-to-qdf: argument of type index is not a float tensor}}
func.func @non_tensor_argument(%i: index, %x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  func.return %x : tensor<1x2xf32>
}
