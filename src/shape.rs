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
