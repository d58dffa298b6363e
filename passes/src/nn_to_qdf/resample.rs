//! `nn-to-qdf` for the resampling ops, shared by the float and the quantized paths: `nn.resize`
//! (nearest), `nn.depth_to_space`, `nn.space_to_depth` become `qdf.resize`,
//! `qdf.depth_to_space`, `qdf.space_to_depth` on the value as it is (fixed or f32; no rounding),
//! channels-last between a `to_last` and a `to_first` transpose like the window ops, so
//! `qdf-layout` cancels the transposes against their neighbours'.
//!
//! `qdf.resize`'s per-axis source indices are onnxruntime's ([`nn::resample::nearest_index`]:
//! float32 coordinate arithmetic, then the nearest mode), computed once here.

use fpgaopt_ir::{Attribute, DenseElements, InsertPoint, Module, OpId, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf as qdf;

use super::spatial::{derived_loc, to_first, to_last, transpose};

/// True for the ops this module converts.
pub fn is_resample(name: &str) -> bool {
    matches!(name, "nn.resize" | "nn.depth_to_space" | "nn.space_to_depth")
}

/// The source index of every output index of every axis of an `nn.resize` (NCHW order).
fn resize_maps(m: &Module, op: OpId) -> Vec<Vec<i64>> {
    let r = nn::Resize(op);
    let (xs, ys) = (m.ty(r.input(m)).shape().unwrap_or(&[]).to_vec(), m.ty(r.output(m)).shape().unwrap_or(&[]).to_vec());
    let (coord, nearest, scales) = (r.coordinate_transformation_mode(m), r.nearest_mode(m), r.scales(m));
    (0..ys.len())
        .map(|a| (0..ys[a]).map(|o| nn::resample::nearest_index(coord, nearest, o, scales[a] as f32, xs[a], ys[a]).clamp(0, xs[a] - 1)).collect())
        .collect()
}

/// Builds the qdf form of the resampling op `op` on the qdf value `x` (the op's input converted,
/// any element type) before `op`; returns the NCHW result.
pub fn build(m: &mut Module, op: OpId, x: ValueId) -> Result<ValueId, String> {
    let loc = m.op(op).loc.clone();
    let name = m.op(op).name();
    let at = InsertPoint::Before(op);
    let elem = m.ty(x).element().cloned().unwrap_or(Type::F32);
    let ys = m.ty(m.result(op, 0)).shape().unwrap_or(&[]).to_vec();
    let r = ys.len();
    if r < 3 && name == "nn.resize" {
        // No channel axis to move: the resize as it is.
        let maps: Vec<i64> = resize_maps(m, op).concat();
        return resize(m, at, loc, x, &ys, &maps, elem);
    }
    if r != 4 && name != "nn.resize" {
        return Err(format!("expected a [N, C, H, W] tensor, got rank {r}"));
    }
    let (last, first) = (to_last(r), to_first(r));
    let xt = transpose(m, at, derived_loc(&loc, "to_last"), x, &last);
    let ys_last: Vec<i64> = last.iter().map(|&p| ys[p as usize]).collect();
    let y = match name {
        "nn.resize" => {
            let maps = resize_maps(m, op);
            let maps: Vec<i64> = last.iter().flat_map(|&p| maps[p as usize].clone()).collect();
            resize(m, at, loc.clone(), xt, &ys_last, &maps, elem)?
        }
        "nn.depth_to_space" => {
            let d = nn::DepthToSpace(op);
            let (b, mode) = (d.blocksize(m), d.mode(m).to_string());
            let spec = qdf::DepthToSpace::spec(loc.clone())
                .operands([xt])
                .results([Type::tensor(ys_last, elem)])
                .attr("blocksize", Attribute::i64(b))
                .attr("mode", Attribute::str(&mode));
            let o = m.build(at, spec);
            m.result(o, 0)
        }
        "nn.space_to_depth" => {
            let b = nn::SpaceToDepth(op).blocksize(m);
            let spec = qdf::SpaceToDepth::spec(loc.clone()).operands([xt]).results([Type::tensor(ys_last, elem)]).attr("blocksize", Attribute::i64(b));
            let o = m.build(at, spec);
            m.result(o, 0)
        }
        other => return Err(format!("'{other}' is not a resampling op")),
    };
    Ok(transpose(m, at, derived_loc(&loc, "to_first"), y, &first))
}

/// `qdf.resize` of `x` to shape `ys` with the concatenated per-axis maps.
fn resize(m: &mut Module, at: InsertPoint, loc: fpgaopt_ir::Location, x: ValueId, ys: &[i64], maps: &[i64], elem: Type) -> Result<ValueId, String> {
    let d = DenseElements::from_ints(&[maps.len() as i64], Type::int(64), maps)?;
    let spec = qdf::Resize::spec(loc).operands([x]).results([Type::tensor(ys.to_vec(), elem)]).attr("indices", Attribute::Dense(d));
    let o = m.build(at, spec);
    Ok(m.result(o, 0))
}
