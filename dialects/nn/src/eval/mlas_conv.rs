//! How onnxruntime's MLAS splits a float convolution's GEMM, which fixes its summation order.
//!
//! MLAS (`MlasConvPrepare`/`MlasConv`, x86-64) runs a 2-D convolution as a GEMM of the
//! `[M, K]` filter matrix (`K = C/group * kh * kw`, im2col order `(c, ky, kx)`) with im2col columns,
//! one column per output position. Each output is an FMA chain over `k` restarted every *K block*,
//! the block sums added in order, then `+ bias`. The K block comes from MLAS's SGEMM stride rule
//! applied to the number of columns `n` handled by one GEMM call ([`sgemm_k_block`]): with
//! `n >= K` the block is 128 halved while it stays >= K (so K <= 128 is one block, larger K goes in
//! blocks of 128); with `n < K` it doubles (from 128) while the column stride (from 128) halves
//! down to 16 and still covers `n`.
//!
//! How many columns one call sees depends on the algorithm MLAS picks:
//! - one group, one batch, `M <= outputs` ("expand then GEMM, segmented"): the output positions
//!   are cut into thread segments of `ceil(outputs / T)` rounded up to 16, with `T` the smaller of
//!   the complexity-based thread count `M * outputs * K / 65536 + 1` (at most 16) and the session's
//!   thread count; each segment runs its own strides;
//! - more groups or batches with that algorithm: whole planes (`n = outputs`);
//! - `M > outputs` or a pointwise convolution: one threaded GEMM over all columns, taken here as
//!   `n = outputs` (what the measured cases need).
//!
//! The session's thread count is onnxruntime's default intra-op pool, one thread per physical core:
//! [`REFERENCE_THREADS`] is the count of the machine the references were measured on. It only
//! matters when a segment ends up with fewer columns than `K` or than 256 (small maps with many
//! filters); every ESPCN layer (128x128 maps) gives the same order for any count up to 16.
//! Measured against onnxruntime 1.32 (single-node Conv sessions with the weights as inputs, as
//! qonnx runs them): bit-identical on all outputs of 3->64 5x5, 64->64 3x3, 64->32 3x3 and 32->12
//! 3x3 at 128x128, 32->3 3x3 at 256x256 and those layers on 4x4 maps; one block over all of K (the
//! previous rule) matched 21-43% of the outputs of the layers with K > 128.

/// Threads of onnxruntime's default CPU session on the reference machine (physical cores).
pub const REFERENCE_THREADS: usize = 2;

/// MLAS's thread-segment alignment of output columns (`MLAS_SGEMM_STRIDEN_THREAD_ALIGN`).
const THREAD_ALIGN: usize = 16;
/// Multiplies per thread before MLAS adds a thread (`MLAS_SGEMM_THREAD_COMPLEXITY`).
const THREAD_COMPLEXITY: f64 = 65536.0;
/// MLAS's largest thread count (`MLAS_MAXIMUM_THREAD_COUNT`).
const MAX_THREADS: usize = 16;

/// The K block of one MLAS SGEMM call over `n` columns and `k` terms (`MlasSgemmOperation`'s and
/// `MlasConvOperation`'s stride rule).
pub fn sgemm_k_block(k: usize, n: usize) -> usize {
    let (mut stride_n, mut stride_k) = (128usize, 128usize);
    if n >= k {
        // (The column stride doubles as the block halves; only the block matters here.)
        while stride_k / 2 >= k {
            stride_k /= 2;
        }
    } else {
        while stride_n > 16 && stride_n / 2 >= n {
            stride_k *= 2;
            stride_n /= 2;
        }
    }
    stride_k.max(1)
}

/// One run of output positions `[start, start + count)` summed with K block `k_block`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Segment {
    pub start: usize,
    pub count: usize,
    pub k_block: usize,
}

/// The segments of a convolution with `filters` output channels per group, `outputs` positions
/// per plane, `k` terms per output, and `batch_groups` = batch * groups, for `threads` threads.
pub fn conv_segments(filters: usize, outputs: usize, k: usize, batch_groups: usize, threads: usize) -> Vec<Segment> {
    let whole = vec![Segment { start: 0, count: outputs, k_block: sgemm_k_block(k, outputs) }];
    if filters > outputs || batch_groups > 1 || outputs == 0 {
        return whole;
    }
    let complexity = filters as f64 * outputs as f64 * k as f64;
    let mut t = if complexity < THREAD_COMPLEXITY * MAX_THREADS as f64 { (complexity / THREAD_COMPLEXITY) as usize + 1 } else { MAX_THREADS };
    t = t.min(threads.max(1));
    let mut stride = outputs.div_ceil(t);
    if t > 1 {
        stride = stride.div_ceil(THREAD_ALIGN) * THREAD_ALIGN;
    }
    if stride >= outputs {
        return whole;
    }
    (0..outputs)
        .step_by(stride)
        .map(|start| {
            let count = stride.min(outputs - start);
            Segment { start, count, k_block: sgemm_k_block(k, count) }
        })
        .collect()
}

/// The K block of output position `pos` among `segments`.
pub fn k_block_at(segments: &[Segment], pos: usize) -> usize {
    segments.iter().find(|s| pos < s.start + s.count).or(segments.last()).map_or(1, |s| s.k_block)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strides_follow_mlas() {
        // Many columns: blocks of 128 once K exceeds 128, one block below.
        assert_eq!(sgemm_k_block(576, 8192), 128);
        assert_eq!(sgemm_k_block(75, 8192), 128);
        assert_eq!(sgemm_k_block(64, 8192), 64);
        // Few columns: the block grows as the column stride shrinks to 16.
        assert_eq!(sgemm_k_block(576, 16), 1024);
        assert_eq!(sgemm_k_block(576, 100), 128);
        assert_eq!(sgemm_k_block(576, 64), 256);
        assert_eq!(sgemm_k_block(576, 40), 256);
    }

    #[test]
    fn segments_split_large_maps_between_threads() {
        let s = conv_segments(64, 16384, 576, 1, 2);
        assert_eq!(s, vec![Segment { start: 0, count: 8192, k_block: 128 }, Segment { start: 8192, count: 8192, k_block: 128 }]);
        // More filters than positions: one GEMM.
        assert_eq!(conv_segments(64, 16, 576, 1, 2), vec![Segment { start: 0, count: 16, k_block: 1024 }]);
        // Uneven segments may get different blocks: 100 positions, 2 threads -> 64 + 36.
        let s = conv_segments(8, 100, 576, 1, 2);
        assert_eq!(s.iter().map(|s| (s.count, s.k_block)).collect::<Vec<_>>(), vec![(64, 256), (36, 256)]);
        assert_eq!(conv_segments(8, 100, 576, 1, 1), vec![Segment { start: 0, count: 100, k_block: 128 }]);
        assert_eq!(k_block_at(&s, 70), 256);
    }
}
