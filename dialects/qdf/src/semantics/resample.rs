//! Semantics of the resampling ops (`qdf.resize`, `qdf.depth_to_space`, `qdf.space_to_depth`:
//! element moves on any element type) and of `qdf.fconv` (MLAS's float32 convolution order).

use fpgaopt_ir::shape::strides;

use super::spatial::{indices, Window};

/// `qdf.resize`: `y[o] = x[src_0[o_0], ...]`, the per-axis maps concatenated in `maps`.
pub fn resize<T: Copy>(x: &[T], xs: &[i64], ys: &[i64], maps: &[i64]) -> Vec<T> {
    let st = strides(xs);
    // Per axis, the input offset of each output index.
    let mut at = 0usize;
    let offsets: Vec<Vec<usize>> = ys
        .iter()
        .enumerate()
        .map(|(a, &n)| {
            let v = maps[at..at + n as usize].iter().map(|&i| i as usize * st[a]).collect();
            at += n as usize;
            v
        })
        .collect();
    indices(ys).iter().map(|o| x[o.iter().enumerate().map(|(a, &i)| offsets[a][i as usize]).sum::<usize>()]).collect()
}

/// `qdf.depth_to_space` of `[N, H, W, C*b*b]`: `crd` selects the CRD channel order, else DCR.
pub fn depth_to_space<T: Copy>(x: &[T], xs: &[i64], b: i64, crd: bool) -> Vec<T> {
    let [n, h, w, cin] = [xs[0], xs[1], xs[2], xs[3]].map(|d| d as usize);
    let b = b as usize;
    let c = cin / (b * b);
    let mut out = Vec::with_capacity(x.len());
    for bn in 0..n {
        for oy in 0..h * b {
            for ox in 0..w * b {
                let (i, j) = (oy % b, ox % b);
                let base = ((bn * h + oy / b) * w + ox / b) * cin;
                for ch in 0..c {
                    let s = if crd { ch * b * b + i * b + j } else { (i * b + j) * c + ch };
                    out.push(x[base + s]);
                }
            }
        }
    }
    out
}

/// `qdf.space_to_depth` of `[N, H, W, C]`.
pub fn space_to_depth<T: Copy>(x: &[T], xs: &[i64], b: i64) -> Vec<T> {
    let [n, h, w, c] = [xs[0], xs[1], xs[2], xs[3]].map(|d| d as usize);
    let b = b as usize;
    let mut out = Vec::with_capacity(x.len());
    for bn in 0..n {
        for oy in 0..h / b {
            for ox in 0..w / b {
                for oc in 0..c * b * b {
                    let (block, ch) = (oc / c, oc % c);
                    let (i, j) = (block / b, block % b);
                    out.push(x[((bn * h + oy * b + i) * w + ox * b + j) * c + ch]);
                }
            }
        }
    }
    out
}

/// `qdf.fconv` on channels-last `x` (`[N, *S, C]`), weight `[*K, C/g, M]`, bias `[M]`: per output
/// the terms in im2col order `(c, *k)`, an FMA chain per block of `k_block` terms from +0, the block
/// sums added in order, then `+ bias`. `out_dims` are the output's spatial sizes.
#[allow(clippy::too_many_arguments)]
pub fn fconv(x: &[f32], xs: &[i64], w: &[f32], ws: &[i64], b: &[f32], win: &Window, group: usize, k_block: usize, out_dims: &[i64]) -> Vec<f32> {
    let ns = xs.len() - 2;
    let (cg, m) = (ws[ns] as usize, ws[ns + 1] as usize);
    let mg = m / group;
    let xst = strides(xs);
    let taps = indices(&ws[..ns]);
    let k = cg * taps.len();
    let kb = k_block.max(1);
    let mut out = Vec::with_capacity(xs[0] as usize * out_dims.iter().product::<i64>() as usize * m);
    // Term t = (ci, tap): its input offset relative to the window origin and its weight row.
    let tap_off: Vec<usize> = taps.iter().map(|t| (0..ns).map(|a| (t[a] * win.dilations[a]) as usize * xst[a + 1]).sum()).collect();
    for bn in 0..xs[0] as usize {
        for o in indices(out_dims) {
            let origin = bn * xst[0] + (0..ns).map(|a| (o[a] * win.strides[a]) as usize * xst[a + 1]).sum::<usize>();
            for j in 0..m {
                let first = j / mg * cg;
                let mut total: Option<f32> = None;
                for start in (0..k).step_by(kb) {
                    let mut acc = 0.0f32;
                    for t in start..(start + kb).min(k) {
                        let (ci, tap) = (t / taps.len(), t % taps.len());
                        let xv = x[origin + tap_off[tap] + first + ci];
                        acc = xv.mul_add(w[(tap * cg + ci) * m + j], acc);
                    }
                    total = Some(total.map_or(acc, |s| acc + s));
                }
                out.push(total.unwrap_or(0.0) + b[j]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resize_follows_the_maps() {
        // [1, 2, 2] -> [1, 4, 3]: rows 0 0 1 1, columns 0 1 1.
        let y = resize(&[1, 2, 3, 4], &[1, 2, 2], &[1, 4, 3], &[0, 0, 0, 1, 1, 0, 1, 1]);
        assert_eq!(y, vec![1, 2, 2, 1, 2, 2, 3, 4, 4, 3, 4, 4]);
    }

    #[test]
    fn depth_to_space_orders() {
        // One pixel, 4 channels 0..3, block 2: DCR puts channel (i*2+j) at (i, j); CRD the same
        // for one output channel.
        let x = [0, 1, 2, 3];
        assert_eq!(depth_to_space(&x, &[1, 1, 1, 4], 2, false), vec![0, 1, 2, 3]);
        assert_eq!(depth_to_space(&x, &[1, 1, 1, 4], 2, true), vec![0, 1, 2, 3]);
        // 8 channels = 2 output channels: DCR interleaves, CRD keeps channel blocks.
        let x: Vec<i32> = (0..8).collect();
        assert_eq!(depth_to_space(&x, &[1, 1, 1, 8], 2, false), vec![0, 1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(depth_to_space(&x, &[1, 1, 1, 8], 2, true), vec![0, 4, 1, 5, 2, 6, 3, 7]);
        // space_to_depth inverts DCR.
        let y = depth_to_space(&x, &[1, 1, 1, 8], 2, false);
        assert_eq!(space_to_depth(&y, &[1, 2, 2, 2], 2), x);
    }

    #[test]
    fn fconv_blocks_the_fma_chain() {
        // 2^24 + 1 + 1: every addition of 1 to 2^24 rounds back to 2^24 (ties to even), in
        // blocks of 1 (block sums added) and of 2 (an FMA chain, then the second block) alike.
        let x = [16777216.0f32, 1.0, 1.0];
        let w = [1.0f32, 1.0, 1.0];
        let win = Window { kernel: vec![3], strides: vec![1], dilations: vec![1] };
        let blocked = fconv(&x, &[1, 3, 1], &w, &[3, 1, 1], &[0.0], &win, 1, 1, &[1]);
        assert_eq!(blocked, vec![16777216.0]);
        // Blocks of 2: (2^24 + 1 -> 2^24) then block 2 = 1, 1 + 2^24 -> 2^24.
        let two = fconv(&x, &[1, 3, 1], &w, &[3, 1, 1], &[0.0], &win, 1, 2, &[1]);
        assert_eq!(two, vec![16777216.0]);
        // Terms go channel-major: with 2 channels and 2 taps the order is (c0,k0),(c0,k1),(c1,k0),(c1,k1).
        let x = [1.0f32, 1e8, 1.0, -1e8];
        let w = [1.0f32, 1.0, 1.0, 1.0];
        let win = Window { kernel: vec![2], strides: vec![1], dilations: vec![1] };
        // One block: ((1 + 1) + 1e8) - 1e8 = 0 (1e8 + 2 rounds to 1e8); blocks of 2 keep the 2:
        // (1e8 - 1e8) + (1 + 1).
        let y = fconv(&x, &[1, 2, 2], &w, &[2, 2, 1], &[0.5], &win, 1, 2, &[1]);
        assert_eq!(y, vec![2.5]);
        let y = fconv(&x, &[1, 2, 2], &w, &[2, 2, 1], &[0.5], &win, 1, 4, &[1]);
        assert_eq!(y, vec![0.5]);
    }
}
