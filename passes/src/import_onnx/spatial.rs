//! Sliding-window operators: Conv, ConvTranspose, Pad (constant mode), MaxPool, AveragePool,
//! GlobalAveragePool and GlobalMaxPool. ONNX defaults and `auto_pad` are resolved here, so the `nn` ops carry every
//! attribute explicitly; a node whose inputs are all constants is folded with `fpgaopt_nn::eval`.

use fpgaopt_ir::{Attribute, DiagResult, OpDef};
use fpgaopt_nn::eval::{self, Pooling, Tensor};
use fpgaopt_nn::spatial::{pad_shape, resolve_auto_pad};
use fpgaopt_nn::Window;

use super::consts::{self, Const};
use super::graph::{Importer, Node, Val};

/// An integer-array attribute.
fn ints(v: &[i64]) -> Attribute {
    Attribute::i64_array(v)
}

impl Importer<'_> {
    /// Imports a sliding-window operator or Pad; false when the op type is not one.
    pub(crate) fn spatial_node(&mut self, node: &Node) -> DiagResult<bool> {
        match node.op_type() {
            "Conv" => self.conv(node)?,
            "MaxPool" | "AveragePool" => self.pool(node)?,
            "GlobalAveragePool" | "GlobalMaxPool" => {
                let x = self.req(node, 0)?;
                let shape = self.spatial_shape(node, &x)?;
                let mut out = shape[..2].to_vec();
                out.resize(shape.len(), 1);
                if node.op_type() == "GlobalMaxPool" {
                    let def = fpgaopt_nn::GlobalMaxPool::def();
                    self.fold_or_emit(node, def, vec![x], out, vec![], |t| eval::global_max_pool(&t[0]))?
                } else {
                    let def = fpgaopt_nn::GlobalAveragePool::def();
                    self.fold_or_emit(node, def, vec![x], out, vec![], |t| eval::global_average_pool(&t[0]))?
                }
            }
            "ConvTranspose" => self.conv_transpose(node)?,
            "Pad" => self.pad(node)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The shape of a sliding-window input: `[N, C, W]` or `[N, C, H, W]`.
    pub(super) fn spatial_shape(&self, node: &Node, x: &Val) -> DiagResult<Vec<i64>> {
        let shape = self.shape(x);
        if !(3..=4).contains(&shape.len()) {
            return Err(node.err(format!("input must be [N, C, W] or [N, C, H, W] (1-D or 2-D), got {shape:?}")));
        }
        Ok(shape)
    }

    /// The window of a Conv or pooling node over `input`: strides and dilations default to 1,
    /// `auto_pad` resolved to explicit pads, every length and sign checked.
    pub(super) fn window(&self, node: &Node, kernel: Vec<i64>, input: &[i64], ceil: bool) -> DiagResult<Window> {
        let n = kernel.len();
        let mut w = Window::unit(kernel);
        w.ceil = ceil;
        w.strides = node.ints("strides")?.unwrap_or(w.strides);
        w.dilations = node.ints("dilations")?.unwrap_or(w.dilations);
        w.pads = node.ints("pads")?.unwrap_or(w.pads);
        w.check(n).map_err(|e| node.err(e))?;
        let auto_pad = Importer::string_attr(node, "auto_pad")?.unwrap_or_default();
        if auto_pad.starts_with("SAME") && w.dilations.iter().any(|&d| d != 1) {
            return Err(node.err(format!(
                "auto_pad '{auto_pad}' with dilations {:?} is not supported (onnxruntime rejects it for Conv and ignores the dilation in pooling pads); give explicit pads",
                w.dilations
            )));
        }
        w.pads = resolve_auto_pad(&auto_pad, Some(w.pads.clone()), &w, &input[2..]).map_err(|e| node.err(e))?;
        Ok(w)
    }

    /// The result of `def` on `vals`: folded with `f` when they are all float constants, else the
    /// op (an absent input, such as Conv's bias, becomes a constant at the node).
    pub(super) fn fold_or_emit(
        &mut self,
        node: &Node,
        def: &'static OpDef,
        vals: Vec<Val>,
        shape: Vec<i64>,
        attrs: Vec<(&str, Attribute)>,
        f: impl Fn(&[Tensor]) -> Result<Tensor, String>,
    ) -> DiagResult<()> {
        let consts: Option<Vec<Tensor>> = vals.iter().map(|v| if let Val::Const(c) = v { c.tensor() } else { None }).collect();
        if let Some(ts) = consts {
            let t = f(&ts).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(t.into()));
            return Ok(());
        }
        let mut operands = Vec::with_capacity(vals.len());
        for (i, v) in vals.iter().enumerate() {
            operands.push(match (node.proto.input.get(i).filter(|n| !n.is_empty()), v) {
                (Some(_), _) => self.operand(node, i)?,
                (None, Val::Const(c)) => self.constant(c, &node.loc).map_err(|e| node.err(format!("a constant {e}")))?,
                (None, Val::Ir(v)) => *v,
            });
        }
        let y = self.emit(node, def, operands, shape, attrs);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    fn conv(&mut self, node: &Node) -> DiagResult<()> {
        let (x, w) = (self.req(node, 0)?, self.req(node, 1)?);
        let (xs, ws) = (self.spatial_shape(node, &x)?, self.shape(&w));
        if ws.len() != xs.len() {
            return Err(node.err(format!("weight {ws:?} must have the input's rank {}", xs.len())));
        }
        let kernel = ws[2..].to_vec();
        if let Some(k) = node.ints("kernel_shape")?.filter(|k| *k != kernel) {
            return Err(node.err(format!("kernel_shape {k:?} does not match the weight {ws:?}")));
        }
        let window = self.window(node, kernel, &xs, false)?;
        let group = node.int("group", 1)?;
        if group <= 0 || xs[1] % group != 0 || ws[0] % group != 0 || ws[1] * group != xs[1] {
            return Err(node.err(format!(
                "group {group} does not fit input channels {} and weight {ws:?} ([M, C / group, k...])",
                xs[1]
            )));
        }
        let bias = match self.input(node, 2)? {
            Some(b) => b,
            None => Val::Const(Const::f32(vec![ws[0]], vec![0.0; ws[0] as usize])),
        };
        if self.shape(&bias) != [ws[0]] {
            return Err(node.err(format!("bias must be [{}], got {:?}", ws[0], self.shape(&bias))));
        }
        let out = window.result_shape(&xs, ws[0]).map_err(|e| node.err(e))?;
        let attrs = vec![
            ("dilations", ints(&window.dilations)),
            ("group", Attribute::i64(group)),
            ("pads", ints(&window.pads)),
            ("strides", ints(&window.strides)),
        ];
        let f = |t: &[Tensor]| eval::conv(&t[0], &t[1], &t[2], &window, group as usize);
        self.fold_or_emit(node, fpgaopt_nn::Conv::def(), vec![x, w, bias], out, attrs, f)
    }

    /// ConvTranspose: pads and output padding resolved from `auto_pad` and `output_shape` the way
    /// onnxruntime 1.32 does: the total pad is `full - output_shape` (or `full - in * stride` for
    /// SAME_*), its odd unit at the end with SAME_UPPER and at the start otherwise; an
    /// `output_shape` beyond the full result lengthens it as output padding, which must stay below
    /// the stride.
    fn conv_transpose(&mut self, node: &Node) -> DiagResult<()> {
        let (x, w) = (self.req(node, 0)?, self.req(node, 1)?);
        let (xs, ws) = (self.spatial_shape(node, &x)?, self.shape(&w));
        if ws.len() != xs.len() || ws[0] != xs[1] {
            return Err(node.err(format!("weight {ws:?} must be [C, M / group, k...] with C = {} and the input's rank", xs[1])));
        }
        let n = xs.len() - 2;
        let kernel = ws[2..].to_vec();
        if let Some(k) = node.ints("kernel_shape")?.filter(|k| *k != kernel) {
            return Err(node.err(format!("kernel_shape {k:?} does not match the weight {ws:?}")));
        }
        let group = node.int("group", 1)?;
        if group <= 0 || xs[1] % group != 0 {
            return Err(node.err(format!("group {group} does not divide the input channels {}", xs[1])));
        }
        let mut win = Window::unit(kernel);
        win.strides = node.ints("strides")?.unwrap_or(win.strides);
        win.dilations = node.ints("dilations")?.unwrap_or(win.dilations);
        win.pads = node.ints("pads")?.unwrap_or(win.pads);
        win.check(n).map_err(|e| node.err(e))?;
        let mut adj = node.ints("output_padding")?.unwrap_or(vec![0; n]);
        if adj.len() != n || adj.iter().any(|&a| a < 0) {
            return Err(node.err(format!("output_padding {adj:?} must hold {n} non-negative values")));
        }
        let auto_pad = Importer::string_attr(node, "auto_pad")?.unwrap_or_default();
        if !["", "NOTSET", "VALID", "SAME_UPPER", "SAME_LOWER"].contains(&auto_pad.as_str()) {
            return Err(node.err(format!("auto_pad '{auto_pad}' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID")));
        }
        let output_shape = node.ints("output_shape")?;
        if output_shape.as_ref().is_some_and(|o| o.len() != n) {
            return Err(node.err(format!("output_shape {:?} must hold the {n} spatial sizes", output_shape.unwrap_or_default())));
        }
        for i in 0..n {
            // i128: the attributes come from the model, and absurd values must not overflow.
            let (s, d, k) = (win.strides[i] as i128, win.dilations[i] as i128, win.kernel[i] as i128);
            let full = (xs[2 + i] as i128 - 1) * s + (k - 1) * d + 1 + adj[i] as i128;
            let total = match (&output_shape, auto_pad.as_str()) {
                (Some(o), _) => Some(full - o[i] as i128),
                (None, "SAME_UPPER" | "SAME_LOWER") => Some((full - xs[2 + i] as i128 * s).max(0)),
                (None, "VALID") => Some(0),
                (None, _) => None,
            };
            let extra = adj[i] as i128 + total.map_or(0, |t| (-t).max(0));
            // onnxruntime checks that a convolution of the output gives back the input size.
            if extra >= s {
                let what = if total.is_some_and(|t| t < 0) { "output_shape asks for" } else { "output_padding gives" };
                return Err(node.err(format!(
                    "{what} {extra} extra positions on spatial axis {i}, which must be fewer than the stride {s}"
                )));
            }
            adj[i] = extra as i64;
            if let Some(pad) = total.map(|t| t.max(0)) {
                let head = if auto_pad == "SAME_UPPER" { pad / 2 } else { pad - pad / 2 };
                let fit = |v: i128| i64::try_from(v).map_err(|_| node.err(format!("padding of {v} on spatial axis {i}")));
                (win.pads[i], win.pads[n + i]) = (fit(head)?, fit(pad - head)?);
            }
        }
        let m = ws[1] * group;
        let bias = match self.input(node, 2)? {
            Some(b) => b,
            None => Val::Const(Const::f32(vec![m], vec![0.0; m as usize])),
        };
        if self.shape(&bias) != [m] {
            return Err(node.err(format!("bias must be [{m}], got {:?}", self.shape(&bias))));
        }
        let mut out = vec![xs[0], m];
        out.extend(win.transposed_dims(&xs[2..], &adj).map_err(|e| node.err(e))?);
        let attrs = vec![
            ("dilations", ints(&win.dilations)),
            ("group", Attribute::i64(group)),
            ("output_padding", ints(&adj)),
            ("pads", ints(&win.pads)),
            ("strides", ints(&win.strides)),
        ];
        let f = |t: &[Tensor]| eval::conv_transpose(&t[0], &t[1], &t[2], &win, &adj, group as usize);
        self.fold_or_emit(node, fpgaopt_nn::ConvTranspose::def(), vec![x, w, bias], out, attrs, f)
    }

    fn pool(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let xs = self.spatial_shape(node, &x)?;
        let kernel = node.ints("kernel_shape")?.ok_or_else(|| node.err("missing attribute 'kernel_shape'"))?;
        let window = self.window(node, kernel, &xs, node.int("ceil_mode", 0)? != 0)?;
        let out = window.result_shape(&xs, xs[1]).map_err(|e| node.err(e))?;
        window.check_pool_pads().map_err(|e| node.err(e))?;
        let mut attrs = vec![
            ("ceil_mode", Attribute::Bool(window.ceil)),
            ("kernel_shape", ints(&window.kernel)),
            ("pads", ints(&window.pads)),
            ("strides", ints(&window.strides)),
        ];
        let (def, kind) = if node.op_type() == "MaxPool" {
            if self.output_used(node, 1) {
                return Err(node.err("the Indices output is not supported"));
            }
            attrs.push(("dilations", ints(&window.dilations)));
            (fpgaopt_nn::MaxPool::def(), Pooling::Max)
        } else {
            if window.dilations.iter().any(|&d| d != 1) {
                return Err(node.err(format!("dilations {:?} are not supported", window.dilations)));
            }
            let include = node.int("count_include_pad", 0)? != 0;
            attrs.push(("count_include_pad", Attribute::Bool(include)));
            (fpgaopt_nn::AveragePool::def(), Pooling::Average(include))
        };
        self.fold_or_emit(node, def, vec![x], out, attrs, |t| eval::pool(&t[0], &window, kind))
    }

    /// Pad in constant mode: `pads` (and `value`) as attributes before opset 11, constant inputs
    /// (with optional `axes` from opset 18) since.
    fn pad(&mut self, node: &Node) -> DiagResult<()> {
        let mode = Importer::string_attr(node, "mode")?.unwrap_or_else(|| "constant".into());
        if mode != "constant" {
            return Err(node.err(format!("mode '{mode}' is not supported (only constant padding)")));
        }
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let (pads, value) = if self.opset < 11 {
            (node.ints("pads")?.ok_or_else(|| node.err("missing attribute 'pads'"))?, node.float("value", 0.0)?)
        } else {
            let p = self.req_const(node, 1, "pads")?;
            let pads = p.ints().ok_or_else(|| node.err("pads must be integers"))?.to_vec();
            let value = match self.input(node, 2)? {
                None => 0.0,
                Some(Val::Const(c)) => c.scalar_f32().ok_or_else(|| node.err("constant_value must be a scalar"))?,
                Some(Val::Ir(_)) => return Err(node.err("constant_value (input #2) must be a constant")),
            };
            let pads = match self.input(node, 3)? {
                None => pads,
                Some(_) => {
                    let axes = self.req_const(node, 3, "axes")?;
                    let axes = axes.ints().ok_or_else(|| node.err("axes must be integers"))?;
                    expand_axes(&pads, axes, shape.len()).map_err(|e| node.err(e))?
                }
            };
            (pads, value)
        };
        let out = pad_shape(&shape, &pads).map_err(|e| node.err(e))?;
        let attrs = vec![("pads", ints(&pads)), ("value", Attribute::f64(value as f64))];
        self.fold_or_emit(node, fpgaopt_nn::Pad::def(), vec![x], out, attrs, |t| eval::pad(&t[0], &pads, value))
    }
}

/// The pads of every axis from pads given for `axes` only (ONNX Pad 18).
fn expand_axes(pads: &[i64], axes: &[i64], rank: usize) -> Result<Vec<i64>, String> {
    if pads.len() != 2 * axes.len() {
        return Err(format!("pads has {} values, expected {} for axes {axes:?}", pads.len(), 2 * axes.len()));
    }
    let mut full = vec![0; 2 * rank];
    for (j, &a) in axes.iter().enumerate() {
        let a = consts::norm_axis(a, rank, false)?;
        (full[a], full[rank + a]) = (pads[j], pads[axes.len() + j]);
    }
    Ok(full)
}
