//! The sliding-window ops of the `nn` dialect: convolution, transposed convolution, constant
//! padding and pooling, on `[N, C, W]` (1-D) or `[N, C, H, W]` (2-D) tensors with ONNX semantics.
//!
//! Every attribute is explicit in the IR (the importer resolves ONNX defaults and `auto_pad`), so the
//! shape rule ([`Window::output_dims`]) is the one place that knows how a window slides; the
//! verifiers, the importer and the evaluator all use it.

use fpgaopt_ir::builtin::{BOOL_ATTR, F64_ATTR, FLOAT_TENSOR, I64_ARRAY_ATTR, I64_ATTR};
use fpgaopt_ir::shape::fmt_shape as fmt;
use fpgaopt_ir::{op, Module, OpId};

use crate::verify::shape;

/// How a window slides over the spatial axes (2 and on) of an `[N, C, ...]` tensor.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Window {
    /// Window size per spatial axis.
    pub kernel: Vec<i64>,
    pub strides: Vec<i64>,
    /// ONNX order: the begin pads of every axis, then the end pads.
    pub pads: Vec<i64>,
    pub dilations: Vec<i64>,
    /// Output sizes round up (a last, partial window), as ONNX `ceil_mode`.
    pub ceil: bool,
}

impl Window {
    /// A window of `kernel` with unit strides and dilations and no padding.
    pub fn unit(kernel: Vec<i64>) -> Window {
        let n = kernel.len();
        Window { kernel, strides: vec![1; n], pads: vec![0; 2 * n], dilations: vec![1; n], ceil: false }
    }

    /// Checks the attribute lengths against `spatial` axes and their signs.
    pub fn check(&self, spatial: usize) -> Result<(), String> {
        for (name, v, len) in [
            ("kernel_shape", &self.kernel, spatial),
            ("strides", &self.strides, spatial),
            ("dilations", &self.dilations, spatial),
            ("pads", &self.pads, 2 * spatial),
        ] {
            if v.len() != len {
                return Err(format!("{name} has {} values, expected {len} for {spatial} spatial axes", v.len()));
            }
            let positive = name != "pads";
            if let Some(bad) = v.iter().find(|&&x| if positive { x <= 0 } else { x < 0 }) {
                let want = if positive { "positive" } else { "non-negative" };
                return Err(format!("{name} must be {want}, got {bad} in {}", fmt(v)));
            }
        }
        Ok(())
    }

    /// The output size of each spatial axis for the spatial input sizes `input`. In ceil mode a
    /// last window must start inside the input or its begin padding (ONNX, PyTorch).
    pub fn output_dims(&self, input: &[i64]) -> Result<Vec<i64>, String> {
        self.check(input.len())?;
        let n = input.len();
        (0..n)
            .map(|i| {
                // i128: attributes come from the model, and absurd values must not overflow.
                let (s, begin, size) = (self.strides[i] as i128, self.pads[i] as i128, input[i] as i128);
                let reach = self.dilations[i] as i128 * (self.kernel[i] as i128 - 1) + 1;
                let span = size + begin + self.pads[n + i] as i128 - reach;
                if span < 0 {
                    return Err(format!(
                        "window of {} (dilation {}) does not fit spatial axis {i} of size {} with pads {}",
                        self.kernel[i],
                        self.dilations[i],
                        input[i],
                        fmt(&self.pads)
                    ));
                }
                let mut out = if self.ceil { (span + s - 1) / s + 1 } else { span / s + 1 };
                if self.ceil && (out - 1) * s >= size + begin {
                    out -= 1;
                }
                i64::try_from(out).map_err(|_| format!("spatial axis {i} would have {out} outputs"))
            })
            .collect()
    }

    /// The output size of each spatial axis of a transposed convolution over `input`: the full
    /// result `(in - 1) * stride + dilation * (k - 1) + 1`, lengthened by `output_padding` (positions
    /// no input reaches), then cropped by the pads.
    pub fn transposed_dims(&self, input: &[i64], output_padding: &[i64]) -> Result<Vec<i64>, String> {
        self.check(input.len())?;
        let n = input.len();
        if output_padding.len() != n || output_padding.iter().any(|&p| p < 0) {
            return Err(format!("output_padding {} must hold {n} non-negative values", fmt(output_padding)));
        }
        (0..n)
            .map(|i| {
                let reach = self.dilations[i] as i128 * (self.kernel[i] as i128 - 1) + 1;
                let full = (input[i] as i128 - 1) * self.strides[i] as i128 + reach + output_padding[i] as i128;
                let out = full - self.pads[i] as i128 - self.pads[n + i] as i128;
                if out < 1 || input[i] < 1 {
                    return Err(format!(
                        "pads {} leave no output on spatial axis {i} (full size {full})",
                        fmt(&self.pads)
                    ));
                }
                i64::try_from(out).map_err(|_| format!("spatial axis {i} would have {out} outputs"))
            })
            .collect()
    }

    /// Pooling windows must overlap the input: every pad smaller than the kernel (onnxruntime's rule).
    pub fn check_pool_pads(&self) -> Result<(), String> {
        let n = self.kernel.len();
        if (0..2 * n).any(|i| self.pads[i] >= self.kernel[i % n]) {
            return Err(format!("pads {} must be smaller than kernel_shape {}", fmt(&self.pads), fmt(&self.kernel)));
        }
        Ok(())
    }

    /// The result shape `[N, channels, out...]` of sliding over `input` `[N, C, ...]`.
    pub fn result_shape(&self, input: &[i64], channels: i64) -> Result<Vec<i64>, String> {
        let mut out = vec![input[0], channels];
        out.extend(self.output_dims(&input[2..])?);
        Ok(out)
    }
}

/// The explicit pads of ONNX `auto_pad` for spatial sizes `input` (`NOTSET` keeps `pads`, zeros
/// when absent): `SAME_UPPER`/`SAME_LOWER` give `ceil(input / stride)` outputs, the odd pad at the
/// end or the beginning.
pub fn resolve_auto_pad(auto_pad: &str, pads: Option<Vec<i64>>, w: &Window, input: &[i64]) -> Result<Vec<i64>, String> {
    let n = input.len();
    match auto_pad {
        "NOTSET" | "" => Ok(pads.unwrap_or_else(|| vec![0; 2 * n])),
        "VALID" => Ok(vec![0; 2 * n]),
        "SAME_UPPER" | "SAME_LOWER" => {
            let mut out = vec![0; 2 * n];
            for i in 0..n {
                let s = *w.strides.get(i).filter(|&&s| s > 0).ok_or("strides must be positive, one per spatial axis")? as i128;
                let (k, d) = (w.kernel.get(i).copied().unwrap_or(1) as i128, w.dilations.get(i).copied().unwrap_or(1) as i128);
                let size = input[i] as i128;
                let total = (((size + s - 1) / s - 1) * s + (k - 1) * d + 1 - size).max(0);
                let total = i64::try_from(total).map_err(|_| format!("SAME padding of {total} for spatial axis {i}"))?;
                let small = total / 2;
                (out[i], out[n + i]) = if auto_pad == "SAME_UPPER" { (small, total - small) } else { (total - small, small) };
            }
            Ok(out)
        }
        other => Err(format!("auto_pad '{other}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")),
    }
}

/// The input shape of a sliding-window op: `[N, C, W]` or `[N, C, H, W]`.
fn spatial_input(x: &[i64]) -> Result<(), String> {
    if !(3..=4).contains(&x.len()) {
        return Err(format!("input must be [N, C, W] or [N, C, H, W], got {}", fmt(x)));
    }
    Ok(())
}

/// Checks that `y` is `expect`.
pub(crate) fn result_is(y: &[i64], expect: &[i64]) -> Result<(), String> {
    if y != expect {
        return Err(format!("result shape {} should be {}", fmt(y), fmt(expect)));
    }
    Ok(())
}

/// The window of a conv or pool op from its attributes (`kernel` given for conv).
pub fn window_of(m: &Module, op: OpId, kernel: Option<Vec<i64>>) -> Result<Window, String> {
    window_of_attrs(|name| m.attr(op, name), kernel)
}

/// [`window_of`] from an attribute lookup (an op that is not in a module, e.g. an e-node).
pub fn window_of_attrs<'a>(
    attr: impl Fn(&str) -> Option<&'a fpgaopt_ir::Attribute>,
    kernel: Option<Vec<i64>>,
) -> Result<Window, String> {
    let ints = |name: &str| attr(name).and_then(|a| a.as_i64_array()).ok_or(format!("missing integer-array attribute '{name}'"));
    let kernel = match kernel {
        Some(k) => k,
        None => ints("kernel_shape")?,
    };
    let n = kernel.len();
    Ok(Window {
        strides: ints("strides")?,
        pads: ints("pads")?,
        dilations: if attr("dilations").is_some() { ints("dilations")? } else { vec![1; n] },
        ceil: attr("ceil_mode").and_then(|a| a.as_bool()).unwrap_or(false),
        kernel,
    })
}

impl Conv {
    /// The window the kernel slides with (kernel from the weight's spatial dimensions).
    pub fn window(self, m: &Module) -> Window {
        let kernel = shape(m, self.weight(m)).get(2..).unwrap_or(&[]).to_vec();
        Window { strides: self.strides(m), pads: self.pads(m), dilations: self.dilations(m), ceil: false, kernel }
    }
}

impl ConvTranspose {
    /// The window the kernel slides with (kernel from the weight's spatial dimensions).
    pub fn window(self, m: &Module) -> Window {
        let kernel = shape(m, self.weight(m)).get(2..).unwrap_or(&[]).to_vec();
        Window { strides: self.strides(m), pads: self.pads(m), dilations: self.dilations(m), ceil: false, kernel }
    }
}

impl MaxPool {
    /// The pooling window.
    pub fn window(self, m: &Module) -> Window {
        let (kernel, ceil) = (self.kernel_shape(m), self.ceil_mode(m));
        Window { kernel, strides: self.strides(m), pads: self.pads(m), dilations: self.dilations(m), ceil }
    }
}

impl AveragePool {
    /// The pooling window (no dilation).
    pub fn window(self, m: &Module) -> Window {
        let mut w = Window::unit(self.kernel_shape(m));
        (w.strides, w.pads, w.ceil) = (self.strides(m), self.pads(m), self.ceil_mode(m));
        w
    }
}

pub(crate) fn verify_conv(m: &Module, op: OpId) -> Result<(), String> {
    let c = Conv(op);
    let (x, w, b) = (shape(m, c.input(m)), shape(m, c.weight(m)), shape(m, c.bias(m)));
    spatial_input(&x)?;
    if w.len() != x.len() {
        return Err(format!("weight {} must have the input's rank {} ([M, C / group, k...])", fmt(&w), x.len()));
    }
    let group = c.group(m);
    if group <= 0 || x[1] % group != 0 || w[0] % group != 0 {
        return Err(format!("group {group} must divide the input channels {} and the output channels {}", x[1], w[0]));
    }
    if w[1] * group != x[1] {
        return Err(format!("weight {} takes {} channels per group, the input has {} in {group} groups", fmt(&w), w[1], x[1]));
    }
    if b != [w[0]] {
        return Err(format!("bias must be [{}], got {}", w[0], fmt(&b)));
    }
    let win = window_of(m, op, Some(w[2..].to_vec()))?;
    result_is(&shape(m, c.output(m)), &win.result_shape(&x, w[0])?)
}

/// The result shape `[N, M, out...]` of a transposed convolution of `x` `[N, C, ...]` by `w`
/// `[C, M / group, k...]` with attributes read by `attr`.
pub fn conv_transpose_shape<'a>(
    x: &[i64],
    w: &[i64],
    attr: impl Fn(&str) -> Option<&'a fpgaopt_ir::Attribute>,
) -> Result<Vec<i64>, String> {
    spatial_input(x)?;
    if w.len() != x.len() {
        return Err(format!("weight {} must have the input's rank {} ([C, M / group, k...])", fmt(w), x.len()));
    }
    let group = attr("group").and_then(|a| a.as_int()).ok_or("missing integer attribute 'group'")?;
    if group <= 0 || x[1] % group != 0 || w[0] != x[1] {
        return Err(format!("weight {} must be [C, M / group, k...] for {} input channels in {group} groups", fmt(w), x[1]));
    }
    let win = window_of_attrs(&attr, Some(w[2..].to_vec()))?;
    let adj = attr("output_padding").and_then(|a| a.as_i64_array()).ok_or("missing integer-array attribute 'output_padding'")?;
    let mut out = vec![x[0], w[1] * group];
    out.extend(win.transposed_dims(&x[2..], &adj)?);
    Ok(out)
}

pub(crate) fn verify_conv_transpose(m: &Module, op: OpId) -> Result<(), String> {
    let c = ConvTranspose(op);
    let (x, w, b) = (shape(m, c.input(m)), shape(m, c.weight(m)), shape(m, c.bias(m)));
    let y = conv_transpose_shape(&x, &w, |n| m.attr(op, n))?;
    if b != [y[1]] {
        return Err(format!("bias must be [{}], got {}", y[1], fmt(&b)));
    }
    result_is(&shape(m, c.output(m)), &y)
}

pub(crate) fn verify_pool(m: &Module, op: OpId) -> Result<(), String> {
    let x = shape(m, m.operand(op, 0));
    spatial_input(&x)?;
    let win = window_of(m, op, None)?;
    let y = win.result_shape(&x, x[1])?;
    win.check_pool_pads()?;
    result_is(&shape(m, m.result(op, 0)), &y)
}

pub(crate) fn verify_global_pool(m: &Module, op: OpId) -> Result<(), String> {
    let x = shape(m, m.operand(op, 0));
    spatial_input(&x)?;
    let mut expect = x[..2].to_vec();
    expect.resize(x.len(), 1);
    result_is(&shape(m, m.result(op, 0)), &expect)
}

/// The shape of `input` padded by `pads` (ONNX order, non-negative, two per axis).
pub fn pad_shape(input: &[i64], pads: &[i64]) -> Result<Vec<i64>, String> {
    let n = input.len();
    if pads.len() != 2 * n {
        return Err(format!("pads has {} values, expected {} for rank {n}", pads.len(), 2 * n));
    }
    if let Some(bad) = pads.iter().find(|&&p| p < 0) {
        return Err(format!("pads must be non-negative, got {bad} in {}", fmt(pads)));
    }
    (0..n)
        .map(|i| {
            input[i]
                .checked_add(pads[i])
                .and_then(|v| v.checked_add(pads[n + i]))
                .ok_or_else(|| format!("padding axis {i} by {} overflows", fmt(pads)))
        })
        .collect()
}

pub(crate) fn verify_pad(m: &Module, op: OpId) -> Result<(), String> {
    let p = Pad(op);
    let expect = pad_shape(&shape(m, p.input(m)), &p.pads(m))?;
    result_is(&shape(m, p.output(m)), &expect)
}

op! {
    /// A 1-D or 2-D convolution.
    pub struct Conv = "nn.conv" {
        summary: "1-D or 2-D convolution (ONNX Conv), NCHW, with bias",
        description: "`input` is `[N, C, W]` or `[N, C, H, W]`, `weight` `[M, C / group, kW]` or `[M, C / group, kH, kW]`, `bias` `[M]` (zeros when the ONNX node has none). `strides` and `dilations` have one value per spatial axis, `pads` two (ONNX order: all begin pads, then all end pads); the importer resolves `auto_pad` and ONNX defaults, so every attribute is explicit. Output size per axis: `floor((in + pad_begin + pad_end - dilation * (k - 1) - 1) / stride) + 1`.\n\nIn float32 each output is the sum over `(c, ky, kx)` in that order (im2col's order: a weight row times a column) as a fused multiply-add chain restarted every K block, the blocks added in order, then `+ bias`: MLAS's convolution through SGEMM, whose K block is 128 doubled while its N stride (128, halved down to 16) still covers the output positions. When each group has one filter (depthwise convolutions, a single output channel) the GEMM has one row and MLAS's M = 1 kernel sums the products in groups of 4 without FMA instead, and with a single output position the transposed-B M = 1 kernel (8 lanes and a reduction tree; close, an ulp off in a few percent of outputs). Padded positions contribute `0 * w`. Bit-identical to onnxruntime 1.32 otherwise.\n\n```mlir\n%y = \"nn.conv\"(%x, %w, %b) {dilations = [1, 1], group = 1, pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>\n```",
        operands: [input: FLOAT_TENSOR, weight: FLOAT_TENSOR, bias: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [strides: I64_ARRAY_ATTR => Vec<i64>, pads: I64_ARRAY_ATTR => Vec<i64>, dilations: I64_ARRAY_ATTR => Vec<i64>, group: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_conv),
    }
}

op! {
    /// Constant padding.
    pub struct Pad = "nn.pad" {
        summary: "pad with a constant value (ONNX Pad, constant mode)",
        description: "`pads` holds two non-negative values per axis, ONNX order (all begin pads, then all end pads); new elements are `value`.\n\n```mlir\n%y = \"nn.pad\"(%x) {pads = [0, 0, 1, 1, 0, 0, 1, 1], value = 0.0} : (tensor<1x3x8x8xf32>) -> tensor<1x3x10x10xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [pads: I64_ARRAY_ATTR => Vec<i64>, value: F64_ATTR => f64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_pad),
    }
}

op! {
    /// Max pooling.
    pub struct MaxPool = "nn.max_pool" {
        summary: "max pooling over 1-D or 2-D windows (ONNX MaxPool)",
        description: "The maximum of each window; padded positions are ignored (never the maximum). Attributes as `nn.conv`, plus `kernel_shape` and `ceil_mode` (output sizes round up; a last window must start inside the input or its begin padding).\n\n```mlir\n%y = \"nn.max_pool\"(%x) {ceil_mode = false, dilations = [1, 1], kernel_shape = [2, 2], pads = [0, 0, 0, 0], strides = [2, 2]} : (tensor<1x4x8x8xf32>) -> tensor<1x4x4x4xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [kernel_shape: I64_ARRAY_ATTR => Vec<i64>, strides: I64_ARRAY_ATTR => Vec<i64>, pads: I64_ARRAY_ATTR => Vec<i64>, dilations: I64_ARRAY_ATTR => Vec<i64>, ceil_mode: BOOL_ATTR => bool],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_pool),
    }
}

op! {
    /// Average pooling.
    pub struct AveragePool = "nn.average_pool" {
        summary: "average pooling over 1-D or 2-D windows (ONNX AveragePool)",
        description: "The mean of each window, in float32: each window column summed top to bottom, the column sums added left to right (MLAS's vector kernel; row-major with both `ceil_mode` and `count_include_pad` or a width stride above 2, onnxruntime's scalar loop), then divided by the count: the input elements in the window, or with `count_include_pad` also the padded positions (positions past the end padding, which only `ceil_mode` windows reach, never count).\n\n```mlir\n%y = \"nn.average_pool\"(%x) {ceil_mode = false, count_include_pad = false, kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [kernel_shape: I64_ARRAY_ATTR => Vec<i64>, strides: I64_ARRAY_ATTR => Vec<i64>, pads: I64_ARRAY_ATTR => Vec<i64>, ceil_mode: BOOL_ATTR => bool, count_include_pad: BOOL_ATTR => bool],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_pool),
    }
}

op! {
    /// A 1-D or 2-D transposed convolution.
    pub struct ConvTranspose = "nn.conv_transpose" {
        summary: "1-D or 2-D transposed convolution (ONNX ConvTranspose), NCHW, with bias",
        description: "`input` is `[N, C, W]` or `[N, C, H, W]`, `weight` `[C, M / group, kW]` or `[C, M / group, kH, kW]`, `bias` `[M]` (zeros when the ONNX node has none). Each input position scatters its weighted values into a window of the output: input `i` reaches output `i * stride + k * dilation - pad_begin`. Output size per axis: `(in - 1) * stride + dilation * (kernel - 1) + 1 + output_padding - pad_begin - pad_end` (the importer resolves `auto_pad` and `output_shape` into `pads` and `output_padding`, onnxruntime's way).\n\nIn float32 (onnxruntime's GEMM + col2im): each column value `sum_c w[c, m, ky, kx] * x[c, iy, ix]` is a fused multiply-add chain over the group's input channels (MLAS's K blocks), or with a single input position MLAS's transposed-B M = 1 kernel; each output then starts at 0 and adds the column values that reach it in `(m, ky, kx)` order, then `+ bias`.\n\n```mlir\n%y = \"nn.conv_transpose\"(%x, %w, %b) {dilations = [1, 1], group = 1, output_padding = [1, 1], pads = [1, 1, 1, 1], strides = [2, 2]} : (tensor<1x4x4x4xf32>, tensor<4x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32>\n```",
        operands: [input: FLOAT_TENSOR, weight: FLOAT_TENSOR, bias: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [strides: I64_ARRAY_ATTR => Vec<i64>, pads: I64_ARRAY_ATTR => Vec<i64>, dilations: I64_ARRAY_ATTR => Vec<i64>, output_padding: I64_ARRAY_ATTR => Vec<i64>, group: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_conv_transpose),
    }
}

op! {
    /// Global max pooling.
    pub struct GlobalMaxPool = "nn.global_max_pool" {
        summary: "maximum over all spatial positions per channel (ONNX GlobalMaxPool)",
        description: "`[N, C, ...]` to `[N, C, 1, ...]`: the largest of each channel's spatial elements (a NaN never wins, as with `>`). A maximum does not depend on the order, so the result is exact.\n\n```mlir\n%y = \"nn.global_max_pool\"(%x) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_global_pool),
    }
}

op! {
    /// Global average pooling.
    pub struct GlobalAveragePool = "nn.global_average_pool" {
        summary: "mean over all spatial positions per channel (ONNX GlobalAveragePool)",
        description: "`[N, C, ...]` to `[N, C, 1, ...]`: the mean of each channel's spatial elements. In float32 they are summed in four vector lanes (element `i` into lane `i % 4`), the lanes reduced as `(l0 + l2) + (l1 + l3)`, the elements past the last group of four added in order, then the sum divided by the count (onnxruntime's order).\n\n```mlir\n%y = \"nn.global_average_pool\"(%x) : (tensor<1x8x4x4xf32>) -> tensor<1x8x1x1xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_global_pool),
    }
}
