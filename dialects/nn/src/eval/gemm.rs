//! Dense products in the summation order of the onnxruntime (MLAS, x86-64) kernel the source
//! model runs on, so float32 results match bit for bit.
//!
//! onnxruntime picks the kernel by how the weight arrives: a constant initializer is prepacked
//! (K blocks of 256, FMA), a weight computed at run time (every weight under qonnx's node-by-node
//! `execute_onnx`, a DequantizeLinear output) goes to MLAS's special M = 1 kernels when there is
//! one row: `SgemmKernelM1Avx` (B not transposed) and `SgemmKernelM1TransposeBAvx` (Gemm with
//! `transB`). Those multiply and add separately (no FMA) in the grouping reproduced below.

use super::Tensor;

/// MLAS's K block for prepacked weights: partial sums restart every this many products.
const K_BLOCK: usize = 256;

/// The summation order of a dense product (the `order` attribute of `nn.dense`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum DenseOrder {
    /// Prepacked weights: an FMA chain per block of 256 products, blocks added in order.
    #[default]
    Packed,
    /// One row, weight computed at run time: `SgemmKernelM1Avx` (groups of 4 products).
    M1,
    /// One row, weight computed at run time and transposed (Gemm `transB`):
    /// `SgemmKernelM1TransposeBAvx` (8 lanes, then a reduction tree).
    M1Transposed,
}

impl DenseOrder {
    /// The order named `s` in the IR.
    pub fn parse(s: &str) -> Option<DenseOrder> {
        [DenseOrder::Packed, DenseOrder::M1, DenseOrder::M1Transposed].into_iter().find(|o| o.name() == s)
    }

    /// The IR name.
    pub fn name(self) -> &'static str {
        match self {
            DenseOrder::Packed => "mlas_packed",
            DenseOrder::M1 => "mlas_m1",
            DenseOrder::M1Transposed => "mlas_m1_transposed",
        }
    }
}

/// The dot product of `k` pairs read by `lhs(i)`, `rhs(i)`, prepacked order, the first block's sum
/// added to `init` when given (a Gemm bias).
fn dot_packed(k: usize, init: Option<f32>, lhs: impl Fn(usize) -> f32, rhs: impl Fn(usize) -> f32) -> f32 {
    dot_blocked(k, K_BLOCK, init, lhs, rhs)
}

/// An FMA chain over `k` products restarted every `block`, the block sums added in order to `init`.
pub(super) fn dot_blocked(
    k: usize,
    block: usize,
    init: Option<f32>,
    lhs: impl Fn(usize) -> f32,
    rhs: impl Fn(usize) -> f32,
) -> f32 {
    let mut total = init;
    for start in (0..k).step_by(block.max(1)) {
        let mut acc = 0.0f32;
        for i in start..(start + block).min(k) {
            acc = lhs(i).mul_add(rhs(i), acc);
        }
        total = Some(match total {
            None => acc,
            Some(t) => acc + t,
        });
    }
    total.unwrap_or(init.unwrap_or(0.0))
}

/// The dot product of `k` pairs in the prepacked order (also `nn.matmul`'s order).
pub(super) fn dot(k: usize, lhs: impl Fn(usize) -> f32, rhs: impl Fn(usize) -> f32) -> f32 {
    dot_packed(k, None, lhs, rhs)
}

/// `SgemmKernelM1Avx` for one output: products in groups of 4 summed left to right, each group
/// (then a group of 2, then 1 for the remainder) added to the running total, which starts at `c`
/// (the Gemm bias, or +0 in zeroing mode).
pub(super) fn dot_m1(p: &[f32], c: f32) -> f32 {
    let mut total = c;
    let mut chunks = p.chunks_exact(4);
    for g in &mut chunks {
        total += ((g[0] + g[1]) + g[2]) + g[3];
    }
    let rest = chunks.remainder();
    let (pair, single) = rest.split_at(rest.len() & 2);
    if let [a, b] = pair {
        total += a + b;
    }
    if let [a] = single {
        total += a;
    }
    total
}

/// `SgemmKernelM1TransposeBAvx` for output column `col` of `n`: 8 lane sums (lane `l` takes
/// products `l, l + 8, ...`; a partial last group adds `+0` to the idle lanes), reduced by the tree
/// of the block the column falls in (columns go in blocks of 4, then 2, then 1), plus `c`.
pub(super) fn dot_m1_transposed(p: &[f32], col: usize, n: usize, c: f32) -> f32 {
    let mut l = [0.0f32; 8];
    for g in p.chunks(8) {
        for (lane, acc) in l.iter_mut().enumerate() {
            *acc += g.get(lane).copied().unwrap_or(0.0);
        }
    }
    let full4 = n - n % 4;
    let sum = if col < full4 {
        (((l[0] + l[1]) + l[2]) + l[3]) + (((l[4] + l[5]) + l[6]) + l[7])
    } else if n % 4 >= 2 && col < full4 + 2 {
        ((l[2] + l[0]) + (l[6] + l[4])) + ((l[3] + l[1]) + (l[7] + l[5]))
    } else {
        ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
    };
    sum + c
}

/// `input . weight + bias` with `weight` `[K, N]` and `bias` `[N]`, prepacked order, bias last.
pub fn dense(x: &Tensor, w: &Tensor, b: &Tensor) -> Result<Tensor, String> {
    dense_with(x, w, b, DenseOrder::Packed, false)
}

/// `input . weight + bias` summed in `order`; with `bias_first` the bias starts the accumulation
/// (onnxruntime's Gemm), otherwise it is added to the finished product (MatMul + Add). The M = 1
/// orders apply to inputs of one row; more rows use the prepacked order.
pub fn dense_with(x: &Tensor, w: &Tensor, b: &Tensor, order: DenseOrder, bias_first: bool) -> Result<Tensor, String> {
    let (k, n) = match w.shape[..] {
        [k, n] => (k as usize, n as usize),
        _ => return Err(format!("weight must be 2-D, got {:?}", w.shape)),
    };
    if x.shape.last().map(|&d| d as usize) != Some(k) || b.shape != [n as i64] {
        return Err(format!("dense shapes {:?} . {:?} + {:?} do not fit", x.shape, w.shape, b.shape));
    }
    let rows = x.len() / k.max(1);
    let order = if rows == 1 || k == 0 { order } else { DenseOrder::Packed };
    let mut data = Vec::with_capacity(rows * n);
    let mut p = vec![0.0f32; k];
    for r in 0..rows {
        for c in 0..n {
            let (xr, wc) = (|i: usize| x.data[r * k + i], |i: usize| w.data[i * n + c]);
            let bias = b.data[c];
            let init = if bias_first { bias } else { 0.0 };
            let v = match order {
                DenseOrder::Packed if bias_first => dot_packed(k, Some(bias), xr, wc),
                DenseOrder::Packed => dot_packed(k, None, xr, wc),
                DenseOrder::M1 | DenseOrder::M1Transposed => {
                    for (i, slot) in p.iter_mut().enumerate() {
                        *slot = xr(i) * wc(i);
                    }
                    if order == DenseOrder::M1 {
                        dot_m1(&p, init)
                    } else {
                        dot_m1_transposed(&p, c, n, init)
                    }
                }
            };
            data.push(if bias_first { v } else { v + bias });
        }
    }
    let mut shape = x.shape.clone();
    *shape.last_mut().expect("checked above") = n as i64;
    Tensor::new(shape, data)
}
