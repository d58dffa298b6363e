//! Nearest-neighbour resizing and the pixel shuffles: pure element moves, exact by construction.
//! Which element moves where follows onnxruntime's index arithmetic
//! ([`crate::resample::nearest_index`]).

use super::{strides, Tensor};
use crate::resample::{depth_to_space_shape, nearest_index, space_to_depth_shape};

/// ONNX Resize in nearest mode to the shape `out`, with the scale, coordinate transformation
/// and rounding of each axis.
pub fn resize(x: &Tensor, out: &[i64], scales: &[f64], coord: &str, nearest: &str) -> Result<Tensor, String> {
    if out.len() != x.shape.len() || scales.len() != x.shape.len() {
        return Err(format!("cannot resize {:?} to {out:?} with {} scales", x.shape, scales.len()));
    }
    // Per axis, the input index each output index copies, times the input stride.
    let st = strides(&x.shape);
    let maps: Vec<Vec<usize>> = (0..out.len())
        .map(|a| {
            let at = |o| nearest_index(coord, nearest, o, scales[a] as f32, x.shape[a], out[a]) as usize * st[a];
            (0..out[a]).map(at).collect()
        })
        .collect();
    let total: i64 = out.iter().product();
    let mut data = Vec::with_capacity(total.max(0) as usize);
    let mut idx = vec![0usize; out.len()];
    for _ in 0..total {
        data.push(x.data[idx.iter().enumerate().map(|(a, &i)| maps[a][i]).sum::<usize>()]);
        for a in (0..out.len()).rev() {
            idx[a] += 1;
            if idx[a] < out[a] as usize {
                break;
            }
            idx[a] = 0;
        }
    }
    Tensor::new(out.to_vec(), data)
}

/// ONNX DepthToSpace with `blocksize` `b`: `crd` picks PyTorch's channel order (CRD), else DCR.
pub fn depth_to_space(x: &Tensor, b: i64, crd: bool) -> Result<Tensor, String> {
    let shape = depth_to_space_shape(&x.shape, b)?;
    let [n, c, h, w] = [shape[0], shape[1], shape[2], shape[3]].map(|d| d as usize);
    let b = b as usize;
    let (ih, iw) = (h / b, w / b);
    let mut data = Vec::with_capacity(n * c * h * w);
    for bn in 0..n {
        for ch in 0..c {
            for y in 0..h {
                for xx in 0..w {
                    let (i, j) = (y % b, xx % b);
                    let src = if crd { ch * b * b + i * b + j } else { (i * b + j) * c + ch };
                    data.push(x.data[((bn * c * b * b + src) * ih + y / b) * iw + xx / b]);
                }
            }
        }
    }
    Tensor::new(shape, data)
}

/// ONNX SpaceToDepth with `blocksize` `b`.
pub fn space_to_depth(x: &Tensor, b: i64) -> Result<Tensor, String> {
    let shape = space_to_depth_shape(&x.shape, b)?;
    let [n, c, h, w] = [x.shape[0], x.shape[1], x.shape[2], x.shape[3]].map(|d| d as usize);
    let b = b as usize;
    let (oh, ow) = (h / b, w / b);
    let mut data = Vec::with_capacity(x.len());
    for bn in 0..n {
        for oc in 0..c * b * b {
            let (block, ch) = (oc / c, oc % c);
            let (i, j) = (block / b, block % b);
            for y in 0..oh {
                for xx in 0..ow {
                    data.push(x.data[((bn * c + ch) * h + y * b + i) * w + xx * b + j]);
                }
            }
        }
    }
    Tensor::new(shape, data)
}
