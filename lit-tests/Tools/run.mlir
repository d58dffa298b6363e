// `fpgaopt run` interprets @main at the nn level and, after nn-to-qdf, at the qdf level; --trace
// writes each layer's results.
// RUN: %python -c "import numpy as np; np.save('%t.in.npy', np.array([[1.0, 2.0], [-3.0, 0.5]], np.float32))"
// RUN: fpgaopt run %s --input %t.in.npy --output %t.nn.npy --trace %t.trace
// RUN: %python -c "import numpy as np; print(np.load('%t.nn.npy').tolist())" | FileCheck %s --check-prefix=NN
// RUN: fpgaopt run %s --pass-pipeline='builtin.module(nn-to-qdf{precision=fixed<8,4>})' --input %t.in.npy --output %t.q.npy
// RUN: %python -c "import numpy as np; print(np.load('%t.q.npy').tolist())" | FileCheck %s --check-prefix=QDF
// RUN: ls %t.trace | FileCheck %s --check-prefix=TRACE
// RUN: %python -c "import numpy as np; np.save('%t.bad.npy', np.zeros((2, 3), np.float32))"
// RUN: not fpgaopt run %s --input %t.bad.npy --output %t.x.npy 2>&1 | FileCheck %s --check-prefix=BAD

// dense: [1, 2] . [[0.5, -1], [0.25, 1]] + [0.125, 0] = [1.125, 1]; [-3, 0.5] -> [-1.375, 3.5]; relu.
// NN: {{\[\[}}1.125, 1.0], [0.0, 3.5]]
// fixed<8,4> has a step of 1/16 and a range up to 7.9375: all values are exact.
// QDF: {{\[\[}}1.125, 1.0], [0.0, 3.5]]
// TRACE: dense
// TRACE: relu
// BAD: input samples have shape [3], the model takes [2]

func.func @main(%x: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w = "nn.constant"() {value = dense<[[0.5, -1.0], [0.25, 1.0]]> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %b = "nn.constant"() {value = dense<[0.125, 0.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %0 = "nn.dense"(%x, %w, %b) : (tensor<1x2xf32>, tensor<2x2xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  %1 = "nn.relu"(%0) : (tensor<1x2xf32>) -> tensor<1x2xf32>
  return %1 : tensor<1x2xf32>
}
