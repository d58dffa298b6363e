// `fpgaopt sweep` interprets one model at several precisions and compares each with the float
// model (the nn interpreter): errors, argmax agreement and, with labels, accuracy.
// RUN: %python -c "import numpy as np; np.save('%t.in.npy', np.array([[1.0, 2.0], [-3.0, 0.5]], np.float32)); np.save('%t.y.npy', np.array([0, 0], np.int64)); np.save('%t.y32.npy', np.array([0, 1], np.int32)); np.save('%t.yf.npy', np.zeros(2, np.float32)); np.save('%t.y3.npy', np.zeros(3, np.int64))"
// RUN: fpgaopt sweep %s --precisions 'fixed<8,4>, fixed<4,2,RND,SAT>' --input %t.in.npy --labels %t.y.npy | FileCheck %s --check-prefix=TABLE
// RUN: fpgaopt sweep %s --precisions 'fixed<8,4>,fixed<4,2,RND,SAT>' --input %t.in.npy --labels %t.y.npy --json | FileCheck %s --check-prefix=JSON
// RUN: fpgaopt sweep %s --precisions 'fixed<4,2,RND,SAT>' --input %t.in.npy --labels %t.y32.npy --json | FileCheck %s --check-prefix=INT32
// RUN: fpgaopt sweep %s --precisions 'fixed<8,4>' --input %t.in.npy | FileCheck %s --check-prefix=NOLABELS
// RUN: echo '{"layers": {"fc": {"rounding": "TRN", "overflow": "WRAP"}}}' > %t.cfg.json
// RUN: fpgaopt sweep %s --precisions 'fixed<4,2,RND,SAT>' --input %t.in.npy --config %t.cfg.json --json | FileCheck %s --check-prefix=CONFIG
// RUN: not fpgaopt sweep %s --precisions 'fixed<8,4>,fixed<8>' --input %t.in.npy 2>&1 | FileCheck %s --check-prefix=BADPREC
// RUN: not fpgaopt sweep %s --input %t.in.npy --labels %t.yf.npy 2>&1 | FileCheck %s --check-prefix=BADLABELS
// RUN: not fpgaopt sweep %s --input %t.in.npy --labels %t.y3.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// RUN: echo '{"layers": {"nope": {"rounding": "RND"}}}' > %t.bad.json
// RUN: not fpgaopt sweep %s --input %t.in.npy --config %t.bad.json 2>&1 | FileCheck %s --check-prefix=BADCFG

// Float: dense [1, 2] -> [1.125, 1], [-3, 0.5] -> [-1.25, 3.5]; relu -> [[1.125, 1], [0, 3.5]];
// argmax 0 and 1, so labels [0, 0] give 1/2.
// fixed<8,4> (step 1/16, range +-8) holds every value exactly.
// fixed<4,2,RND,SAT> (step 1/4, range [-2, 1.75]): inputs become [1, 1.75] and [-2, 0.5], the bias
// 0.125 rounds half-to-even to 0; fc = [0.9375 -> 1.0, 0.75] and [-0.875, 2.5 -> 1.75]; relu ->
// [[1, 0.75], [0, 1.75]]: errors 0.125, 0.25, 0, 1.75 (max 1.75, mean 0.53125); argmax 0, 1.

// TABLE:      precision           max abs err  mean abs err  argmax agreement      accuracy
// TABLE-NEXT: ---
// TABLE-NEXT: reference                     -             -                 -  50.00% (1/2)
// TABLE-NEXT: fixed<8,4>            0.000e+00     0.000e+00    100.00% (2/2)  50.00% (1/2)
// TABLE-NEXT: fixed<4,2,RND,SAT>    1.750e+00     5.312e-01    100.00% (2/2)  50.00% (1/2)
// TABLE-NEXT: narrowest precision that keeps the reference accuracy: fixed<4,2,RND,SAT>
// TABLE-NEXT: 2 precisions x 2 samples in {{.*}} s (qdf interpreter: bit-identical to C simulation, no g++ build)

// JSON:      "recommended": "fixed<4,2,RND,SAT>"
// JSON:      "accuracy": 0.5
// JSON:      "rows": [
// JSON:        "max_abs_err": 0.0,
// JSON-NEXT:   "mean_abs_err": 0.0,
// JSON-NEXT:   "precision": "fixed<8,4>",
// JSON:        "max_abs_err": 1.75,
// JSON-NEXT:   "mean_abs_err": 0.53125,
// JSON-NEXT:   "precision": "fixed<4,2,RND,SAT>",
// JSON:      "samples": 2

// Labels [0, 1] as int32: both samples right.
// INT32:      "rows": [
// INT32-NEXT:   {
// INT32-NEXT:     "accuracy": 1.0,
// INT32-NEXT:     "agree": 2,

// NOLABELS: fixed<8,4>  0.000e+00  0.000e+00  100.00% (2/2)  -
// NOLABELS: narrowest precision that agrees with the reference argmax everywhere: fixed<8,4>

// The config turns the layer's result back to TRN/WRAP: fc = [0.9375 -> 0.75, 0.75] and
// [-0.875, 2.5 -> wraps to -1.5]; relu -> [[0.75, 0.75], [0, 0]]: errors 0.375, 0.25, 0, 3.5;
// argmax [0, 0] disagrees on the second sample.
// CONFIG:      "agree": 1,
// CONFIG:      "max_abs_err": 3.5,
// CONFIG-NEXT: "mean_abs_err": 1.03125,

// BADPREC: error: --precisions: invalid fixed-point type 'fixed<8>'
// BADLABELS: labels must be int64 or int32 class ids, found dtype <f4
// COUNT: 3 labels for 2 input samples
// BADCFG: config names layer 'nope', which is not in the model

func.func @main(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[0.5, -1.0], [0.25, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[0.125, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32> loc("fc")
  %1 = "nn.relu"(%0) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}
