//! The resampling ops of the `nn` dialect: nearest-neighbour resizing and the pixel shuffles
//! (`depth_to_space`, `space_to_depth`). They only move elements, so they are exact; what matters
//! is which input element each output copies, and that follows onnxruntime's float32 index
//! arithmetic ([`nearest_index`]).

use fpgaopt_ir::builtin::{F64_ARRAY_ATTR, FLOAT_TENSOR, I64_ATTR, STRING_ATTR};
use fpgaopt_ir::shape::fmt_shape as fmt;
use fpgaopt_ir::{op, Module, OpId};

use crate::spatial::result_is;
use crate::verify::shape;

/// The `coordinate_transformation_mode`s `nn.resize` supports (all of ONNX's but
/// `tf_crop_and_resize`, which needs a region of interest and an extrapolation value).
pub const COORDINATE_MODES: &[&str] =
    &["half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners", "asymmetric", "tf_half_pixel_for_nn"];

/// The `nearest_mode`s of `nn.resize`: ONNX's four and `simple`, Resize 10's and Upsample's rule.
pub const NEAREST_MODES: &[&str] = &["round_prefer_floor", "round_prefer_ceil", "floor", "ceil", "simple"];

/// The pixel orders of `nn.depth_to_space`.
pub const DEPTH_TO_SPACE_MODES: &[&str] = &["DCR", "CRD"];

/// The output size of an axis of `input` elements scaled by `scale`, onnxruntime's rule:
/// `trunc(scale * input)` in float32.
pub fn resized_dim(input: i64, scale: f64) -> i64 {
    ((scale as f32) * (input as f32)) as i64
}

/// The scale onnxruntime derives from a requested size: `output / input` in float32.
pub fn scale_for_size(input: i64, output: i64) -> f64 {
    ((output as f32) / (input as f32)) as f64
}

/// Checks `nn.resize`'s attributes against the input and output shapes: a known mode, one
/// positive scale per axis, and each output size either `trunc(scale * input)` (ONNX `scales`),
/// `round(scale * input)` (a `keep_aspect_ratio_policy`) or the size the scale was derived from
/// (`scale == output / input` in float32, ONNX `sizes`).
pub fn check_resize(x: &[i64], y: &[i64], scales: &[f64], modes: [&str; 3]) -> Result<(), String> {
    let [mode, coord, nearest] = modes;
    if mode != "nearest" {
        return Err(format!("mode '{mode}' is not supported (only nearest)"));
    }
    if !COORDINATE_MODES.contains(&coord) {
        return Err(format!("coordinate_transformation_mode '{coord}' is not one of {}", COORDINATE_MODES.join(", ")));
    }
    if !NEAREST_MODES.contains(&nearest) {
        return Err(format!("nearest_mode '{nearest}' is not one of {}", NEAREST_MODES.join(", ")));
    }
    if scales.len() != x.len() || y.len() != x.len() {
        return Err(format!("scales has {} values, input {} and result {} must have as many axes", scales.len(), fmt(x), fmt(y)));
    }
    for (i, &s) in scales.iter().enumerate() {
        let s32 = s as f32;
        if !(s32 > 0.0 && s32.is_finite()) || s32 as f64 != s {
            return Err(format!("scale {s:?} of axis {i} must be a positive finite float32"));
        }
        let rounded = (s32 * x[i] as f32).round() as i64;
        if y[i] < 1 || x[i] < 1 || (y[i] != resized_dim(x[i], s) && y[i] != rounded && scale_for_size(x[i], y[i]) != s) {
            return Err(format!("axis {i} of size {} scaled by {s:?} cannot have {} elements", x[i], y[i]));
        }
    }
    Ok(())
}

pub(crate) fn verify_resize(m: &Module, op: OpId) -> Result<(), String> {
    let r = Resize(op);
    let modes = [r.mode(m), r.coordinate_transformation_mode(m), r.nearest_mode(m)];
    check_resize(&shape(m, r.input(m)), &shape(m, r.output(m)), &r.scales(m), modes)
}

/// The source coordinate of output index `o` on an axis of `input` elements resized to `output`
/// by `scale`, in onnxruntime's float32 arithmetic (`half_pixel_symmetric` partly in double).
pub fn original_coordinate(mode: &str, o: i64, scale: f32, input: i64, output: i64) -> f32 {
    let (x, l_in, l_out) = (o as f32, input as f32, output as f32);
    match mode {
        "asymmetric" => x / scale,
        "pytorch_half_pixel" if l_out > 1.0 => (x + 0.5) / scale - 0.5,
        "pytorch_half_pixel" => 0.0,
        "tf_half_pixel_for_nn" => (x + 0.5) / scale,
        "align_corners" if l_out == 1.0 => 0.0,
        "align_corners" => x * (l_in - 1.0) / (l_out - 1.0),
        "half_pixel_symmetric" => {
            let adjustment = l_out / (scale * l_in);
            let offset = (l_in / 2.0) * (1.0 - adjustment);
            (offset as f64 + (x as f64 + 0.5) / scale as f64 - 0.5) as f32
        }
        _ => (x + 0.5) / scale - 0.5,
    }
}

/// The input index output `o` copies: the coordinate rounded by `nearest` (`simple`: up when
/// downsampling, else truncated), clamped into the axis; an axis with scale 1 is copied as is.
pub fn nearest_index(coord: &str, nearest: &str, o: i64, scale: f32, input: i64, output: i64) -> i64 {
    if scale == 1.0 {
        return o.min(input - 1);
    }
    let x = original_coordinate(coord, o, scale, input, output);
    let i = match nearest {
        "simple" if scale < 1.0 => x.ceil() as i64,
        "simple" => x as i64,
        "round_prefer_ceil" => x.round() as i64,
        "floor" => x.floor() as i64,
        "ceil" => x.ceil() as i64,
        // round_prefer_floor: halfway cases go down; `x as i64` truncates as C++ does.
        _ if x == (x as i64) as f32 + 0.5 => x.floor() as i64,
        _ => x.round() as i64,
    };
    i.clamp(0, input - 1)
}

/// The result shape of `nn.depth_to_space` on `x` `[N, C, H, W]`: `[N, C / b^2, H * b, W * b]`.
pub fn depth_to_space_shape(x: &[i64], b: i64) -> Result<Vec<i64>, String> {
    let [n, c, h, w] = *x else { return Err(format!("input must be [N, C, H, W], got {}", fmt(x))) };
    if b < 1 || c % (b * b) != 0 {
        return Err(format!("blocksize {b} must be positive and its square must divide the {c} channels"));
    }
    Ok(vec![n, c / (b * b), h * b, w * b])
}

/// The result shape of `nn.space_to_depth` on `x` `[N, C, H, W]`: `[N, C * b^2, H / b, W / b]`.
pub fn space_to_depth_shape(x: &[i64], b: i64) -> Result<Vec<i64>, String> {
    let [n, c, h, w] = *x else { return Err(format!("input must be [N, C, H, W], got {}", fmt(x))) };
    if b < 1 || h % b != 0 || w % b != 0 {
        return Err(format!("blocksize {b} must be positive and divide the height {h} and width {w}"));
    }
    Ok(vec![n, c * b * b, h / b, w / b])
}

pub(crate) fn verify_depth_to_space(m: &Module, op: OpId) -> Result<(), String> {
    let d = DepthToSpace(op);
    if !DEPTH_TO_SPACE_MODES.contains(&d.mode(m)) {
        return Err(format!("mode '{}' is not one of DCR, CRD", d.mode(m)));
    }
    let expect = depth_to_space_shape(&shape(m, d.input(m)), d.blocksize(m))?;
    result_is(&shape(m, d.output(m)), &expect)
}

pub(crate) fn verify_space_to_depth(m: &Module, op: OpId) -> Result<(), String> {
    let d = SpaceToDepth(op);
    let expect = space_to_depth_shape(&shape(m, d.input(m)), d.blocksize(m))?;
    result_is(&shape(m, d.output(m)), &expect)
}

op! {
    /// Nearest-neighbour resizing.
    pub struct Resize = "nn.resize" {
        summary: "nearest-neighbour resize of every axis (ONNX Resize and Upsample, mode nearest)",
        description: "Output element `(o_0, o_1, ...)` copies input element `(i_0, i_1, ...)`, each `i_a` found from `o_a` on its own axis: an axis whose scale is 1 is copied as is; otherwise the source coordinate comes from `coordinate_transformation_mode` (`asymmetric`: `o / scale`; `half_pixel`: `(o + 0.5) / scale - 0.5`; `pytorch_half_pixel` (0 for an output of 1); `align_corners`: `o * (in - 1) / (out - 1)`; `tf_half_pixel_for_nn`; `half_pixel_symmetric`), computed in float32 as onnxruntime does, is rounded by `nearest_mode` (`floor`, `ceil`, `round_prefer_floor`, `round_prefer_ceil`, or `simple`: up when downsampling, else truncated, Resize 10's rule) and clamped into the input. `scales` holds one float32 per axis; the output size of an axis is `trunc(scale * in)` in float32 (ONNX `scales`), `round(scale * in)` (a `keep_aspect_ratio_policy`), or the size the ONNX `sizes` input asked for when the scale was derived from it (`out / in` in float32). `mode` is `\"nearest\"`, the only mode so far. Exact: elements are only copied.\n\n```mlir\n%y = \"nn.resize\"(%x) {coordinate_transformation_mode = \"asymmetric\", mode = \"nearest\", nearest_mode = \"floor\", scales = [1.0, 1.0, 2.0, 2.0]} : (tensor<1x3x4x4xf32>) -> tensor<1x3x8x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [mode: STRING_ATTR => &'a str, coordinate_transformation_mode: STRING_ATTR => &'a str, nearest_mode: STRING_ATTR => &'a str, scales: F64_ARRAY_ATTR => Vec<f64>],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_resize),
    }
}

op! {
    /// Channels to pixels.
    pub struct DepthToSpace = "nn.depth_to_space" {
        summary: "move channel blocks into spatial blocks (ONNX DepthToSpace, the pixel shuffle)",
        description: "`[N, C, H, W]` to `[N, C / b^2, H * b, W * b]` with `b = blocksize`. Output `(n, c, h * b + i, w * b + j)` is input channel `(i * b + j) * (C / b^2) + c` with `mode = \"DCR\"` (depth, column, row: ONNX's default) or `c * b^2 + i * b + j` with `mode = \"CRD\"` (PyTorch's `PixelShuffle`), at `(h, w)`. Exact.\n\n```mlir\n%y = \"nn.depth_to_space\"(%x) {blocksize = 2, mode = \"CRD\"} : (tensor<1x8x4x4xf32>) -> tensor<1x2x8x8xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [blocksize: I64_ATTR => i64, mode: STRING_ATTR => &'a str],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_depth_to_space),
    }
}

op! {
    /// Pixels to channels.
    pub struct SpaceToDepth = "nn.space_to_depth" {
        summary: "move spatial blocks into channel blocks (ONNX SpaceToDepth)",
        description: "`[N, C, H, W]` to `[N, C * b^2, H / b, W / b]` with `b = blocksize`: output channel `(i * b + j) * C + c` at `(h, w)` is input `(n, c, h * b + i, w * b + j)`, the inverse of `nn.depth_to_space` in DCR mode. Exact.\n\n```mlir\n%y = \"nn.space_to_depth\"(%x) {blocksize = 2} : (tensor<1x2x8x8xf32>) -> tensor<1x8x4x4xf32>\n```",
        operands: [input: FLOAT_TENSOR],
        results: [output: FLOAT_TENSOR],
        attributes: [blocksize: I64_ATTR => i64],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_space_to_depth),
    }
}
