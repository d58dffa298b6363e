//! Resampling operators: Resize and Upsample in nearest mode, DepthToSpace and SpaceToDepth.
//!
//! Resize's scales and sizes must be constants; the importer resolves them the way onnxruntime
//! does (opset 18 `axes` and `keep_aspect_ratio_policy` included) into one float32 scale per axis
//! and the output shape, and fills in the defaults of the model's opset: before 11 the coordinate
//! transformation is `asymmetric` and the rounding `simple` (Resize 10, Upsample), from 11
//! `half_pixel` and `round_prefer_floor`. Linear and cubic modes, `tf_crop_and_resize` and
//! antialiasing are errors naming the attribute.

use fpgaopt_ir::{Attribute, DiagResult};
use fpgaopt_nn::eval;
use fpgaopt_nn::resample::{self as rs, COORDINATE_MODES};

use super::consts::{norm_axis, Const};
use super::graph::{Importer, Node, Val};

impl Importer<'_> {
    /// Imports a resampling operator; false when the op type is not one.
    pub(crate) fn resample_node(&mut self, node: &Node) -> DiagResult<bool> {
        match node.op_type() {
            "Resize" | "Upsample" => self.resize(node)?,
            "DepthToSpace" | "SpaceToDepth" => self.pixel_shuffle(node)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn resize(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let xs = self.shape(&x);
        let text = |name: &str, default: &str| -> DiagResult<String> {
            Ok(Importer::string_attr(node, name)?.unwrap_or_else(|| default.to_string()))
        };
        let mode = text("mode", "nearest")?;
        if mode != "nearest" {
            return Err(node.err(format!("mode '{mode}' is not supported (only nearest)")));
        }
        let upsample = node.op_type() == "Upsample";
        let old = upsample || self.opset < 11;
        let (coord, nearest) = if old {
            ("asymmetric".to_string(), "simple".to_string())
        } else {
            (text("coordinate_transformation_mode", "half_pixel")?, text("nearest_mode", "round_prefer_floor")?)
        };
        if !COORDINATE_MODES.contains(&coord.as_str()) {
            return Err(node.err(format!("coordinate_transformation_mode '{coord}' is not supported (one of {})", COORDINATE_MODES.join(", "))));
        }
        if !rs::NEAREST_MODES[..4].contains(&nearest.as_str()) && !old {
            return Err(node.err(format!("nearest_mode '{nearest}' is not one of round_prefer_floor, round_prefer_ceil, floor, ceil")));
        }
        for flag in ["antialias", "exclude_outside"] {
            if node.int(flag, 0)? != 0 {
                return Err(node.err(format!("{flag} is not supported in nearest mode")));
            }
        }
        let rank = xs.len();
        let axes = match node.ints("axes")? {
            None => (0..rank).collect(),
            Some(a) => a.iter().map(|&v| norm_axis(v, rank, false)).collect::<Result<Vec<_>, _>>().map_err(|e| node.err(e))?,
        };
        // Upsample (opset 9 and later) and Resize 10 take scales as input 1.
        let (scales_input, sizes_input) = if old { (1, None) } else { (2, Some(3)) };
        let given = |imp: &Self, i: Option<usize>| -> DiagResult<Option<Const>> {
            match i.map(|i| imp.input(node, i)).transpose()?.flatten() {
                None => Ok(None),
                Some(Val::Const(c)) if c.len() == 0 => Ok(None),
                Some(Val::Const(c)) => Ok(Some(c)),
                Some(Val::Ir(_)) => Err(node.err(format!("input #{} must be a constant", i.unwrap_or(0)))),
            }
        };
        let scales_given = given(self, Some(scales_input))?.map(|c| c.to_f32());
        let (scales, out) = match (scales_given, given(self, sizes_input)?) {
            (Some(s), _) => {
                if s.len() != axes.len() {
                    return Err(node.err(format!("scales has {} values for {} axes", s.len(), axes.len())));
                }
                let mut scales = vec![1.0f32; rank];
                for (&a, &v) in axes.iter().zip(&s) {
                    scales[a] = v;
                }
                if let Some(bad) = scales.iter().find(|&&v| !(v > 0.0 && v.is_finite()) || (upsample && v < 1.0)) {
                    let least = if upsample { "at least 1" } else { "positive" };
                    return Err(node.err(format!("scale {bad} must be {least} and finite")));
                }
                let out = xs.iter().zip(&scales).map(|(&d, &s)| rs::resized_dim(d, s as f64)).collect();
                (scales, out)
            }
            (None, Some(sizes)) => self.resize_sizes(node, &xs, &axes, &sizes)?,
            (None, None) => return Err(node.err("neither scales nor sizes is given")),
        };
        if let Some(a) = out.iter().position(|&d: &i64| d < 1) {
            return Err(node.err(format!("axis {a} of {xs:?} would have {} elements", out[a])));
        }
        let scales: Vec<f64> = scales.iter().map(|&s| s as f64).collect();
        let attrs = vec![
            ("coordinate_transformation_mode", Attribute::str(&coord)),
            ("mode", Attribute::str("nearest")),
            ("nearest_mode", Attribute::str(&nearest)),
            ("scales", Attribute::f64_array(&scales)),
        ];
        let shape = out.clone();
        let f = |t: &[eval::Tensor]| eval::resize(&t[0], &shape, &scales, &coord, &nearest);
        self.fold_or_emit(node, fpgaopt_nn::Resize::def(), vec![x], out, attrs, f)
    }

    /// Scales and output shape from Resize's `sizes`: `out / in` per axis in float32, then
    /// `keep_aspect_ratio_policy` (opset 18) applied as onnxruntime does.
    fn resize_sizes(&self, node: &Node, xs: &[i64], axes: &[usize], sizes: &Const) -> DiagResult<(Vec<f32>, Vec<i64>)> {
        let sizes = sizes.ints().ok_or_else(|| node.err("sizes must be integers"))?;
        if sizes.len() != axes.len() {
            return Err(node.err(format!("sizes has {} values for {} axes", sizes.len(), axes.len())));
        }
        let mut out = xs.to_vec();
        for (&a, &v) in axes.iter().zip(sizes) {
            out[a] = v;
        }
        if let Some(a) = out.iter().position(|&d| d < 1) {
            return Err(node.err(format!("sizes asks for {} elements on axis {a}", out[a])));
        }
        let mut scales: Vec<f32> = xs.iter().zip(&out).map(|(&i, &o)| rs::scale_for_size(i, o) as f32).collect();
        let policy = Importer::string_attr(node, "keep_aspect_ratio_policy")?.unwrap_or_else(|| "stretch".into());
        let pick = match policy.as_str() {
            "stretch" => return Ok((scales, out)),
            "not_larger" => f32::min,
            "not_smaller" => f32::max,
            other => {
                return Err(node.err(format!("keep_aspect_ratio_policy '{other}' is not one of stretch, not_larger, not_smaller")))
            }
        };
        let s = axes.iter().map(|&a| scales[a]).reduce(pick).unwrap_or(1.0);
        for a in 0..xs.len() {
            let inside = axes.contains(&a);
            scales[a] = if inside { s } else { 1.0 };
            out[a] = if inside { (s * xs[a] as f32).round() as i64 } else { xs[a] };
        }
        Ok((scales, out))
    }

    /// DepthToSpace (DCR or CRD) and SpaceToDepth on `[N, C, H, W]`.
    fn pixel_shuffle(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let xs = self.shape(&x);
        let b = node.int("blocksize", 0)?;
        if node.proto.attribute.iter().all(|a| a.name != "blocksize") {
            return Err(node.err("missing attribute 'blocksize'"));
        }
        if node.op_type() == "SpaceToDepth" {
            // Opset 28 gave SpaceToDepth DepthToSpace's `mode`; only the original order (DCR) is supported.
            match Importer::string_attr(node, "mode")?.as_deref() {
                None | Some("DCR") => {}
                Some(other) => return Err(node.err(format!("mode '{other}' is not supported (only DCR, the order before opset 28)"))),
            }
            let out = rs::space_to_depth_shape(&xs, b).map_err(|e| node.err(e))?;
            let attrs = vec![("blocksize", Attribute::i64(b))];
            let f = |t: &[eval::Tensor]| eval::space_to_depth(&t[0], b);
            return self.fold_or_emit(node, fpgaopt_nn::SpaceToDepth::def(), vec![x], out, attrs, f);
        }
        let mode = Importer::string_attr(node, "mode")?.unwrap_or_else(|| "DCR".into());
        if !rs::DEPTH_TO_SPACE_MODES.contains(&mode.as_str()) {
            return Err(node.err(format!("mode '{mode}' is not one of DCR, CRD")));
        }
        let out = rs::depth_to_space_shape(&xs, b).map_err(|e| node.err(e))?;
        let crd = mode == "CRD";
        let attrs = vec![("blocksize", Attribute::i64(b)), ("mode", Attribute::str(&mode))];
        let f = |t: &[eval::Tensor]| eval::depth_to_space(&t[0], b, crd);
        self.fold_or_emit(node, fpgaopt_nn::DepthToSpace::def(), vec![x], out, attrs, f)
    }
}
