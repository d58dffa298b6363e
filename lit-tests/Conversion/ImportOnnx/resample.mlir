// Resize/Upsample (nearest), DepthToSpace, SpaceToDepth, GlobalMaxPool and ConvTranspose import
// with every attribute explicit; HardSigmoid becomes mul -> add -> clip; QLinearConv and
// ConvInteger become exact integer nn.conv chains. Unsupported attributes are errors naming the node.

// RUN: %python %S/Inputs/resample.py %t.resize.onnx resize
// RUN: fpgaopt %t.resize.onnx --pass-pipeline='builtin.module(import-onnx)' --mlir-print-debuginfo | FileCheck %s --check-prefix=RESIZE
// RUN: fpgaopt %t.resize.onnx --pass-pipeline='builtin.module(import-onnx)' --mlir-print-debuginfo | fpgaopt-mlir-verify %irdl -
// RESIZE: "nn.resize"(%{{.+}}) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x4x4x4xf32>) -> tensor<1x4x8x8xf32> loc("resize"(

// `sizes` gives the float32 scales out / in; opset-11 defaults half_pixel and round_prefer_floor.
// RUN: %python %S/Inputs/resample.py %t.sizes.onnx resize_sizes
// RUN: fpgaopt %t.sizes.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=SIZES
// SIZES: "nn.resize"(%{{.+}}) {coordinate_transformation_mode = "half_pixel", mode = "nearest", nearest_mode = "round_prefer_floor", scales = [1.0, 1.0, 1.75, 0.5]} : (tensor<1x4x4x4xf32>) -> tensor<1x4x7x2xf32>

// Opset 18 axes and keep_aspect_ratio_policy: not_larger takes the smaller scale, 6 / 4.
// RUN: %python %S/Inputs/resample.py %t.axes.onnx resize_axes
// RUN: fpgaopt %t.axes.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=AXES
// AXES: "nn.resize"(%{{.+}}) {coordinate_transformation_mode = "align_corners", mode = "nearest", nearest_mode = "ceil", scales = [1.0, 1.0, 1.5, 1.5]} : (tensor<1x4x4x4xf32>) -> tensor<1x4x6x6xf32>

// Resize 10 and Upsample: asymmetric coordinates, the `simple` rounding.
// RUN: %python %S/Inputs/resample.py %t.r10.onnx resize10
// RUN: fpgaopt %t.r10.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=R10
// R10: "nn.resize"(%{{.+}}) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "simple", scales = [1.0, 1.0, 0.5, 3.0]} : (tensor<1x4x4x4xf32>) -> tensor<1x4x2x12xf32>
// RUN: %python %S/Inputs/resample.py %t.up.onnx upsample
// RUN: fpgaopt %t.up.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=UP
// UP: "nn.resize"(%{{.+}}) {coordinate_transformation_mode = "asymmetric", mode = "nearest", nearest_mode = "simple", scales = [1.0, 1.0, 2.0, 1.0]} : (tensor<1x4x4x4xf32>) -> tensor<1x4x8x4xf32>

// RUN: %python %S/Inputs/resample.py %t.cubic.onnx resize_cubic
// RUN: not fpgaopt %t.cubic.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=CUBIC
// CUBIC: error: node 'resize' (Resize): mode 'cubic' is not supported (only nearest)
// RUN: %python %S/Inputs/resample.py %t.crop.onnx resize_crop
// RUN: not fpgaopt %t.crop.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=CROP
// CROP: error: node 'resize' (Resize): coordinate_transformation_mode 'tf_crop_and_resize' is not supported
// RUN: %python %S/Inputs/resample.py %t.computed.onnx resize_computed_scales
// RUN: not fpgaopt %t.computed.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=COMPUTED
// COMPUTED: error: node 'resize' (Resize): input #2 must be a constant

// RUN: %python %S/Inputs/resample.py %t.d2s.onnx depth_to_space
// RUN: fpgaopt %t.d2s.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=D2S
// D2S: "nn.depth_to_space"(%{{.+}}) {blocksize = 2, mode = "DCR"} : (tensor<1x4x4x4xf32>) -> tensor<1x1x8x8xf32>
// RUN: %python %S/Inputs/resample.py %t.crd.onnx depth_to_space_crd
// RUN: fpgaopt %t.crd.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CRD
// CRD: "nn.depth_to_space"(%{{.+}}) {blocksize = 2, mode = "CRD"} : (tensor<1x4x4x4xf32>) -> tensor<1x1x8x8xf32>
// RUN: %python %S/Inputs/resample.py %t.d2sbad.onnx depth_to_space_bad
// RUN: not fpgaopt %t.d2sbad.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=D2SBAD
// D2SBAD: error: node 'depthtospace' (DepthToSpace): blocksize 3 must be positive and its square must divide the 4 channels
// RUN: %python %S/Inputs/resample.py %t.s2d.onnx space_to_depth
// RUN: fpgaopt %t.s2d.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=S2D
// S2D: "nn.space_to_depth"(%{{.+}}) {blocksize = 2} : (tensor<1x4x4x4xf32>) -> tensor<1x16x2x2xf32>

// RUN: %python %S/Inputs/resample.py %t.gmp.onnx global_max_pool
// RUN: fpgaopt %t.gmp.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=GMP
// GMP: "nn.global_max_pool"(%{{.+}}) : (tensor<1x4x4x4xf32>) -> tensor<1x4x1x1xf32>

// ConvTranspose: weight [C, M / group, k...], bias zeros when absent.
// RUN: %python %S/Inputs/resample.py %t.ct.onnx conv_transpose
// RUN: fpgaopt %t.ct.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CT
// RUN: fpgaopt %t.ct.onnx --pass-pipeline='builtin.module(import-onnx)' | fpgaopt-mlir-verify %irdl -
// CT: %[[B:.+]] = "nn.constant"() {value = dense<[0.0, 0.0]> : tensor<2xf32>}
// CT: "nn.conv_transpose"(%{{.+}}, %{{.+}}, %[[B]]) {dilations = [1, 1], group = 1, output_padding = [1, 1], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
// SAME_UPPER: in * stride outputs; the full 9 loses its odd unit at the end (onnxruntime 1.32).
// RUN: %python %S/Inputs/resample.py %t.ctsame.onnx conv_transpose_same
// RUN: fpgaopt %t.ctsame.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CTSAME
// CTSAME: "nn.conv_transpose"({{.*}}) {dilations = [1, 1], group = 2, output_padding = [0, 0], pads = [0, 0, 1, 1], strides = [2, 2]} : (tensor<1x4x4x4xf32>, tensor<4x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>
// output_shape: 8 of a full 9 crops the start; 10 lengthens it as output padding.
// RUN: %python %S/Inputs/resample.py %t.ctshape.onnx conv_transpose_output_shape
// RUN: fpgaopt %t.ctshape.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CTSHAPE
// CTSHAPE: "nn.conv_transpose"({{.*}}) {dilations = [1, 1], group = 1, output_padding = [0, 1], pads = [1, 0, 0, 0], strides = [2, 2]} : {{.*}} -> tensor<1x1x8x10xf32>
// RUN: %python %S/Inputs/resample.py %t.ctbad.onnx conv_transpose_bad_output_shape
// RUN: not fpgaopt %t.ctbad.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=CTBAD
// CTBAD: error: node 'convtranspose' (ConvTranspose): output_shape asks for 3 extra positions on spatial axis 0, which must be fewer than the stride 2

// HardSigmoid: onnxruntime rounds the product and the sum separately, so this is bit-identical.
// RUN: %python %S/Inputs/resample.py %t.hs.onnx hard_sigmoid
// RUN: fpgaopt %t.hs.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=HS
// HS-DAG: %[[A:.+]] = "nn.constant"() {value = dense<0.25> : tensor<f32>}
// HS-DAG: %[[C:.+]] = "nn.constant"() {value = dense<0.375> : tensor<f32>}
// HS: %[[M:.+]] = "nn.mul"(%x, %[[A]])
// HS: %[[S:.+]] = "nn.add"(%[[M]], %[[C]])
// HS: "nn.clip"(%[[S]]) {max = 1.0, min = 0.0}

// QLinearConv: codes - x_zp -> integer conv (w - w_zp per channel, int32 bias) -> x_scale * w_scale / y_scale -> requantize.
// RUN: %python %S/Inputs/resample.py %t.qconv.onnx qlinear_conv
// RUN: fpgaopt %t.qconv.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=QCONV
// QCONV: %[[Q:.+]] = "nn.quantize_linear"(%x
// QCONV: %[[D:.+]] = "nn.sub"(%[[Q]],
// QCONV: %[[B:.+]] = "nn.constant"() {value = dense<[10.0, -20.0, 0.0]> : tensor<3xf32>}
// QCONV: %[[C:.+]] = "nn.conv"(%[[D]], %{{.+}}, %[[B]]) {dilations = [1, 1], group = 1, pads = [1, 1, 0, 0], strides = [1, 1]} : (tensor<1x2x4x4xf32>, tensor<3x2x2x2xf32>, tensor<3xf32>) -> tensor<1x3x4x4xf32>
// QCONV: %[[R:.+]] = "nn.constant"() {value = dense<{{\[\[\[}}0.0625]], {{\[\[}}0.125]], {{\[\[}}0.03125]]]> : tensor<3x1x1xf32>}
// QCONV: "nn.mul"(%[[C]], %[[R]])
// QCONV: "nn.qdq"
// RUN: %python %S/Inputs/resample.py %t.convint.onnx conv_integer
// RUN: fpgaopt %t.convint.onnx --pass-pipeline='builtin.module(import-onnx)' | FileCheck %s --check-prefix=CONVINT
// CONVINT: %[[C:.+]] = "nn.conv"({{.*}}) -> tensor<1x3x3x3xf32>
// CONVINT: func.return %[[C]]
// RUN: %python %S/Inputs/resample.py %t.qfloat.onnx qlinear_conv_float_input
// RUN: not fpgaopt %t.qfloat.onnx --pass-pipeline='builtin.module(import-onnx)' 2>&1 | FileCheck %s --check-prefix=QFLOAT
// QFLOAT: error: node 'qc' (QLinearConv): the input must hold integer codes
