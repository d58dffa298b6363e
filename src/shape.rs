//! Shape rules shared by every tensor dialect: numpy broadcasting and matrix products.

/// The numpy broadcast of two shapes, if they are compatible.
pub fn broadcast_shapes(a: &[i64], b: &[i64]) -> Option<Vec<i64>> {
    let n = a.len().max(b.len());
    let dim = |s: &[i64], i: usize| if i + s.len() >= n { s[i + s.len() - n] } else { 1 };
    (0..n)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y => Some(x),
            (1, y) => Some(y),
            (x, 1) => Some(x),
            _ => None,
        })
        .collect()
}

/// The shape of a numpy `matmul` (1-D operands promoted, then squeezed).
pub fn matmul_shape(a: &[i64], b: &[i64]) -> Option<Vec<i64>> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let a2 = if a.len() == 1 { vec![1, a[0]] } else { a.to_vec() };
    let b2 = if b.len() == 1 { vec![b[0], 1] } else { b.to_vec() };
    if a2[a2.len() - 1] != b2[b2.len() - 2] {
        return None;
    }
    let mut out = broadcast_shapes(&a2[..a2.len() - 2], &b2[..b2.len() - 2])?;
    if a.len() > 1 {
        out.push(a2[a2.len() - 2]);
    }
    if b.len() > 1 {
        out.push(b2[b2.len() - 1]);
    }
    Some(out)
}

/// A shape as `[1, 16]` for diagnostics.
pub fn fmt_shape(s: &[i64]) -> String {
    format!("[{}]", s.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numpy_rules() {
        assert_eq!(broadcast_shapes(&[1, 16], &[16]), Some(vec![1, 16]));
        assert_eq!(broadcast_shapes(&[4, 1], &[1, 3]), Some(vec![4, 3]));
        assert_eq!(broadcast_shapes(&[2], &[3]), None);
        assert_eq!(matmul_shape(&[1, 16], &[16, 8]), Some(vec![1, 8]));
        assert_eq!(matmul_shape(&[16], &[16, 8]), Some(vec![8]));
        assert_eq!(matmul_shape(&[2, 3, 4], &[4, 5]), Some(vec![2, 3, 5]));
        assert_eq!(matmul_shape(&[3], &[4]), None);
    }
}

/// `axis` (negative counts from the end, as in ONNX) as an index into a rank-`rank` shape.
pub fn norm_axis(axis: i64, rank: usize) -> Result<usize, String> {
    let a = if axis < 0 { axis + rank as i64 } else { axis };
    usize::try_from(a).ok().filter(|&a| a < rank).ok_or_else(|| format!("axis {axis} is out of range for rank {rank}"))
}

/// The shape of `size` elements from `start` along `axis` of `input` (every other axis whole).
pub fn slice_shape(input: &[i64], axis: i64, start: i64, size: i64) -> Result<Vec<i64>, String> {
    let a = norm_axis(axis, input.len())?;
    if start < 0 || size < 1 || start + size > input[a] {
        return Err(format!("slice [{start}, {}) does not fit axis {axis} of size {}", start + size, input[a]));
    }
    let mut out = input.to_vec();
    out[a] = size;
    Ok(out)
}

/// The shape of the inputs concatenated along `axis`: they must agree on every other axis.
pub fn concat_shape(inputs: &[&[i64]], axis: i64) -> Result<Vec<i64>, String> {
    let first = inputs.first().ok_or("concat needs at least one input")?;
    let a = norm_axis(axis, first.len())?;
    let mut out = first.to_vec();
    for s in &inputs[1..] {
        if s.len() != first.len() || (0..s.len()).any(|i| i != a && s[i] != first[i]) {
            return Err(format!("input shapes {} and {} differ off axis {axis}", fmt_shape(first), fmt_shape(s)));
        }
        out[a] += s[a];
    }
    Ok(out)
}

/// The shape of `input` transposed by `perm` (`out[i] = input[perm[i]]`), if `perm` is a
/// permutation of its axes.
pub fn transpose_shape(input: &[i64], perm: &[i64]) -> Result<Vec<i64>, String> {
    let mut seen = vec![false; input.len()];
    if perm.len() != input.len() {
        return Err(format!("perm {} has {} values, the input has rank {}", fmt_shape(perm), perm.len(), input.len()));
    }
    for &p in perm {
        match usize::try_from(p).ok().filter(|&p| p < input.len()) {
            Some(p) if !std::mem::replace(&mut seen[p], true) => {}
            _ => return Err(format!("perm {} is not a permutation of 0..{}", fmt_shape(perm), input.len())),
        }
    }
    Ok(perm.iter().map(|&p| input[p as usize]).collect())
}

/// Row-major strides of a shape.
pub fn strides(shape: &[i64]) -> Vec<usize> {
    let mut s = vec![1usize; shape.len()];
    for i in (0..shape.len().saturating_sub(1)).rev() {
        s[i] = s[i + 1] * shape[i + 1].max(0) as usize;
    }
    s
}

/// The row-major data of `input` (shape `shape`) transposed by a valid `perm`.
pub fn transpose_data<T: Copy>(data: &[T], shape: &[i64], perm: &[i64]) -> Vec<T> {
    let st = strides(shape);
    let out: Vec<i64> = perm.iter().map(|&p| shape[p as usize]).collect();
    let ost: Vec<usize> = perm.iter().map(|&p| st[p as usize]).collect();
    let total: i64 = out.iter().product();
    let mut idx = vec![0i64; out.len()];
    let mut res = Vec::with_capacity(total.max(0) as usize);
    for _ in 0..total {
        res.push(data[idx.iter().zip(&ost).map(|(&i, &s)| i as usize * s).sum::<usize>()]);
        for a in (0..out.len()).rev() {
            idx[a] += 1;
            if idx[a] < out[a] {
                break;
            }
            idx[a] = 0;
        }
    }
    res
}

/// The inverse of a permutation.
pub fn inverse_perm(perm: &[i64]) -> Vec<i64> {
    let mut inv = vec![0; perm.len()];
    for (i, &p) in perm.iter().enumerate() {
        inv[p as usize] = i as i64;
    }
    inv
}
