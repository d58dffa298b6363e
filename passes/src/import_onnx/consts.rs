//! Compile-time constants of the importer: ONNX tensors decoded to f32 (data) or i64 (shapes,
//! indices), and the shape-level operations folded on them (Gather, Concat, Transpose, ...).

use fpgaopt_nn::eval::{broadcast_indices, Tensor};
use onnx_protobuf::tensor_proto::DataType;
use onnx_protobuf::TensorProto;
use protobuf::Enum;

/// The elements of a constant.
#[derive(Clone, PartialEq, Debug)]
pub(crate) enum Data {
    /// Float data (ONNX float and double), kept as f32 like the rest of the flow.
    F32(Vec<f32>),
    /// Integer and boolean data (shapes, axes, indices).
    I64(Vec<i64>),
}

/// A tensor known at import time.
#[derive(Clone, PartialEq, Debug)]
pub(crate) struct Const {
    pub shape: Vec<i64>,
    pub data: Data,
}

impl Const {
    /// An f32 constant.
    pub fn f32(shape: Vec<i64>, data: Vec<f32>) -> Const {
        Const { shape, data: Data::F32(data) }
    }

    /// An i64 constant.
    pub fn i64(shape: Vec<i64>, data: Vec<i64>) -> Const {
        Const { shape, data: Data::I64(data) }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        match &self.data {
            Data::F32(v) => v.len(),
            Data::I64(v) => v.len(),
        }
    }

    /// The f32 tensor, if this is float data.
    pub fn tensor(&self) -> Option<Tensor> {
        match &self.data {
            Data::F32(v) => Some(Tensor { shape: self.shape.clone(), data: v.clone() }),
            Data::I64(_) => None,
        }
    }

    /// The integer elements, if this is integer data.
    pub fn ints(&self) -> Option<&[i64]> {
        match &self.data {
            Data::I64(v) => Some(v),
            Data::F32(_) => None,
        }
    }

    /// The elements as f32 (integers converted).
    pub fn to_f32(&self) -> Vec<f32> {
        match &self.data {
            Data::F32(v) => v.clone(),
            Data::I64(v) => v.iter().map(|&x| x as f32).collect(),
        }
    }

    /// The single element of a one-element constant, as f32.
    pub fn scalar_f32(&self) -> Option<f32> {
        (self.len() == 1).then(|| self.to_f32()[0])
    }

    /// The same elements under a new shape (the caller checks the element count).
    pub fn reshaped(&self, shape: Vec<i64>) -> Const {
        Const { shape, data: self.data.clone() }
    }

    /// Elements picked by flat index, as a new constant of `shape`.
    fn pick(&self, shape: Vec<i64>, idx: impl Iterator<Item = usize>) -> Const {
        let data = match &self.data {
            Data::F32(v) => Data::F32(idx.map(|i| v[i]).collect()),
            Data::I64(v) => Data::I64(idx.map(|i| v[i]).collect()),
        };
        Const { shape, data }
    }
}

impl From<Tensor> for Const {
    fn from(t: Tensor) -> Const {
        Const::f32(t.shape, t.data)
    }
}

/// Decodes an ONNX tensor (initializer or Constant value).
pub(crate) fn decode_tensor(t: &TensorProto) -> Result<Const, String> {
    if !t.external_data.is_empty() {
        return Err(format!("tensor '{}' keeps its data in an external file, which is not supported", t.name));
    }
    if t.dims.iter().any(|&d| d < 0) {
        return Err(format!("tensor '{}' has a negative dimension", t.name));
    }
    let n = t.dims.iter().product::<i64>() as usize;
    let raw = &t.raw_data;
    let kind = DataType::from_i32(t.data_type);
    let data = match kind {
        Some(DataType::FLOAT) if !raw.is_empty() => Data::F32(le_chunks::<4>(raw).map(f32::from_le_bytes).collect()),
        Some(DataType::FLOAT) => Data::F32(t.float_data.clone()),
        Some(DataType::DOUBLE) if !raw.is_empty() => {
            Data::F32(le_chunks::<8>(raw).map(|b| f64::from_le_bytes(b) as f32).collect())
        }
        Some(DataType::DOUBLE) => Data::F32(t.double_data.iter().map(|&v| v as f32).collect()),
        Some(DataType::INT64) if !raw.is_empty() => Data::I64(le_chunks::<8>(raw).map(i64::from_le_bytes).collect()),
        Some(DataType::INT64) => Data::I64(t.int64_data.clone()),
        Some(DataType::INT32) if !raw.is_empty() => {
            Data::I64(le_chunks::<4>(raw).map(|b| i32::from_le_bytes(b) as i64).collect())
        }
        Some(DataType::INT8) if !raw.is_empty() => Data::I64(raw.iter().map(|&b| b as i8 as i64).collect()),
        Some(DataType::UINT8 | DataType::BOOL) if !raw.is_empty() => Data::I64(raw.iter().map(|&b| b as i64).collect()),
        Some(DataType::INT16) if !raw.is_empty() => {
            Data::I64(le_chunks::<2>(raw).map(|b| i16::from_le_bytes(b) as i64).collect())
        }
        Some(DataType::UINT16) if !raw.is_empty() => {
            Data::I64(le_chunks::<2>(raw).map(|b| u16::from_le_bytes(b) as i64).collect())
        }
        // Two 4-bit values per byte, low nibble first (raw_data, or one byte per int32_data entry).
        Some(kind @ (DataType::INT4 | DataType::UINT4)) => {
            let bytes: Vec<u8> =
                if raw.is_empty() { t.int32_data.iter().map(|&v| v as u8).collect() } else { raw.to_vec() };
            let signed = kind == DataType::INT4;
            let nibble = |b: u8| if signed { ((b << 4) as i8 >> 4) as i64 } else { (b & 0xf) as i64 };
            Data::I64(bytes.iter().flat_map(|&b| [nibble(b), nibble(b >> 4)]).take(n).collect())
        }
        // int32_data holds every integer type narrower than 64 bits, and booleans.
        Some(
            DataType::INT32 | DataType::INT8 | DataType::UINT8 | DataType::BOOL | DataType::INT16 | DataType::UINT16,
        ) => Data::I64(t.int32_data.iter().map(|&v| v as i64).collect()),
        _ => {
            return Err(format!("tensor '{}' has data type {}, which is not supported", t.name, type_name(t.data_type)))
        }
    };
    let c = Const { shape: t.dims.clone(), data };
    if c.len() != n {
        return Err(format!("tensor '{}' of shape {:?} holds {} elements instead of {n}", t.name, t.dims, c.len()));
    }
    Ok(c)
}

fn le_chunks<const N: usize>(raw: &[u8]) -> impl Iterator<Item = [u8; N]> + '_ {
    raw.chunks_exact(N).map(|c| c.try_into().expect("chunks_exact yields N bytes"))
}

/// The ONNX name of a data type code.
pub(crate) fn type_name(code: i32) -> String {
    // onnx-protobuf's schema (IR version 10) stops at INT4; later types by their onnx names.
    const NEWER: [&str; 6] = ["FLOAT4E2M1", "FLOAT8E8M0", "UINT2", "INT2", "FLOAT6E2M3", "FLOAT6E3M2"];
    match DataType::from_i32(code) {
        Some(d) => format!("{d:?}"),
        None => usize::try_from(code - 23).ok().and_then(|i| NEWER.get(i)).map_or_else(|| format!("#{code}"), |n| n.to_string()),
    }
}

/// True for ONNX data types the importer reads as integers.
pub(crate) fn is_integer_type(code: i32) -> bool {
    matches!(
        DataType::from_i32(code),
        Some(
            DataType::INT64
                | DataType::INT32
                | DataType::INT16
                | DataType::INT8
                | DataType::UINT8
                | DataType::UINT16
                | DataType::UINT32
                | DataType::UINT64
                | DataType::BOOL
        )
    )
}

/// An elementwise binary op on two constants of the same element kind, with broadcasting.
pub(crate) fn binary(
    a: &Const,
    b: &Const,
    ff: fn(f32, f32) -> f32,
    fi: fn(i64, i64) -> Option<i64>,
) -> Result<Const, String> {
    let (shape, pairs) = broadcast_indices(&a.shape, &b.shape)
        .ok_or_else(|| format!("operand shapes {:?} and {:?} do not broadcast", a.shape, b.shape))?;
    let data = match (&a.data, &b.data) {
        (Data::F32(x), Data::F32(y)) => Data::F32(pairs.iter().map(|&(i, j)| ff(x[i], y[j])).collect()),
        (Data::I64(x), Data::I64(y)) => Data::I64(
            pairs
                .iter()
                .map(|&(i, j)| fi(x[i], y[j]))
                .collect::<Option<_>>()
                .ok_or("integer overflow or division by zero")?,
        ),
        _ => return Err("operands have different element types".into()),
    };
    Ok(Const { shape, data })
}

/// Normalises an axis in `[-rank, rank)` (or `[-rank, rank]` when `inclusive`).
pub(crate) fn norm_axis(axis: i64, rank: usize, inclusive: bool) -> Result<usize, String> {
    let r = rank as i64 + inclusive as i64;
    let a = if axis < 0 { axis + rank as i64 } else { axis };
    if !(0..r).contains(&a) {
        return Err(format!("axis {axis} is out of range for rank {rank}"));
    }
    Ok(a as usize)
}

/// ONNX Gather along `axis` with constant indices (negative indices count from the end).
pub(crate) fn gather(data: &Const, indices: &Const, axis: i64) -> Result<Const, String> {
    let axis = norm_axis(axis, data.shape.len(), false)?;
    let idx = indices.ints().ok_or("indices must be integers")?;
    let dim = data.shape[axis];
    let idx: Vec<usize> = idx
        .iter()
        .map(|&i| {
            let j = if i < 0 { i + dim } else { i };
            if (0..dim).contains(&j) {
                Ok(j as usize)
            } else {
                Err(format!("index {i} is out of range for dimension {dim}"))
            }
        })
        .collect::<Result<_, _>>()?;
    let outer: usize = data.shape[..axis].iter().product::<i64>() as usize;
    let inner: usize = data.shape[axis + 1..].iter().product::<i64>() as usize;
    let mut flat = Vec::with_capacity(outer * idx.len() * inner);
    for o in 0..outer {
        for &j in &idx {
            flat.extend((0..inner).map(|i| (o * dim as usize + j) * inner + i));
        }
    }
    let mut shape = data.shape[..axis].to_vec();
    shape.extend(&indices.shape);
    shape.extend(&data.shape[axis + 1..]);
    Ok(data.pick(shape, flat.into_iter()))
}

/// ONNX Concat of constants along `axis`.
pub(crate) fn concat(parts: &[Const], axis: i64) -> Result<Const, String> {
    let first = parts.first().ok_or("Concat needs at least one input")?;
    let rank = first.shape.len();
    let axis = norm_axis(axis, rank, false)?;
    let mut shape = first.shape.clone();
    shape[axis] = 0;
    for p in parts {
        let same_rest = p.shape.len() == rank && (0..rank).all(|d| d == axis || p.shape[d] == first.shape[d]);
        if !same_rest {
            return Err(format!("input shapes {:?} and {:?} differ outside axis {axis}", first.shape, p.shape));
        }
        shape[axis] += p.shape[axis];
    }
    let outer: usize = first.shape[..axis].iter().product::<i64>() as usize;
    let mut data = match first.data {
        Data::F32(_) => Data::F32(vec![]),
        Data::I64(_) => Data::I64(vec![]),
    };
    for o in 0..outer {
        for p in parts {
            let chunk = p.len() / outer.max(1);
            match (&mut data, &p.data) {
                (Data::F32(out), Data::F32(v)) => out.extend_from_slice(&v[o * chunk..(o + 1) * chunk]),
                (Data::I64(out), Data::I64(v)) => out.extend_from_slice(&v[o * chunk..(o + 1) * chunk]),
                _ => return Err("inputs have different element types".into()),
            }
        }
    }
    Ok(Const { shape, data })
}

/// ONNX Transpose of a constant.
pub(crate) fn transpose(c: &Const, perm: &[usize]) -> Const {
    let shape: Vec<i64> = perm.iter().map(|&p| c.shape[p]).collect();
    let mut in_strides = vec![1usize; c.shape.len()];
    for d in (0..c.shape.len().saturating_sub(1)).rev() {
        in_strides[d] = in_strides[d + 1] * c.shape[d + 1] as usize;
    }
    let n = c.len();
    let mut idx = vec![0i64; shape.len()];
    let mut flat = Vec::with_capacity(n);
    for _ in 0..n {
        flat.push(idx.iter().zip(perm).map(|(&i, &p)| i as usize * in_strides[p]).sum());
        for d in (0..shape.len()).rev() {
            idx[d] += 1;
            if idx[d] < shape[d] {
                break;
            }
            idx[d] = 0;
        }
    }
    c.pick(shape, flat.into_iter())
}

/// A permutation given by `perm` (or the reversal when empty), checked.
pub(crate) fn permutation(perm: &[i64], rank: usize) -> Result<Vec<usize>, String> {
    if perm.is_empty() {
        return Ok((0..rank).rev().collect());
    }
    let p: Vec<usize> = perm.iter().map(|&a| norm_axis(a, rank, false)).collect::<Result<_, _>>()?;
    let mut seen = vec![false; rank];
    if p.len() != rank || p.iter().any(|&a| std::mem::replace(&mut seen[a], true)) {
        return Err(format!("perm {perm:?} is not a permutation of rank {rank}"));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gather_concat_transpose() {
        let shape = Const::i64(vec![4], vec![1, 3, 28, 28]);
        let g = gather(&shape, &Const::i64(vec![], vec![0]), 0).unwrap();
        assert_eq!(g, Const::i64(vec![], vec![1]));
        let g = gather(&shape, &Const::i64(vec![2], vec![-1, 1]), 0).unwrap();
        assert_eq!(g, Const::i64(vec![2], vec![28, 3]));
        let m = Const::f32(vec![2, 3], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
        assert_eq!(gather(&m, &Const::i64(vec![1], vec![2]), 1).unwrap(), Const::f32(vec![2, 1], vec![3.0, 6.0]));
        assert!(gather(&m, &Const::i64(vec![1], vec![3]), 1).is_err());
        let c = concat(&[Const::i64(vec![1], vec![1]), Const::i64(vec![1], vec![-1])], 0).unwrap();
        assert_eq!(c, Const::i64(vec![2], vec![1, -1]));
        let c = concat(&[m.clone(), m.clone()], 1).unwrap();
        assert_eq!(c.shape, vec![2, 6]);
        assert_eq!(c.to_f32()[..6], [1.0, 2.0, 3.0, 1.0, 2.0, 3.0]);
        let t = transpose(&m, &[1, 0]);
        assert_eq!(t, Const::f32(vec![3, 2], vec![1.0, 4.0, 2.0, 5.0, 3.0, 6.0]));
        assert_eq!(permutation(&[], 3).unwrap(), vec![2, 1, 0]);
        assert_eq!(norm_axis(-2, 4, true).unwrap(), 2);
        assert_eq!(norm_axis(4, 4, true).unwrap(), 4);
        assert!(norm_axis(4, 4, false).is_err());
        assert!(norm_axis(-5, 4, true).is_err());
        assert!(permutation(&[0, 0], 2).is_err());
    }

    #[test]
    fn integer_arithmetic_broadcasts() {
        let a = Const::i64(vec![2], vec![6, 8]);
        let b = Const::i64(vec![], vec![2]);
        assert_eq!(binary(&a, &b, |x, y| x * y, i64::checked_mul).unwrap(), Const::i64(vec![2], vec![12, 16]));
        assert!(binary(&a, &Const::i64(vec![], vec![0]), |x, y| x / y, i64::checked_div).is_err());
        assert!(binary(&a, &Const::f32(vec![], vec![1.0]), |x, y| x + y, i64::checked_add).is_err());
    }

    #[test]
    fn type_names_cover_onnx_1_23() {
        assert_eq!(type_name(1), "FLOAT");
        assert_eq!(type_name(22), "INT4");
        assert_eq!(type_name(23), "FLOAT4E2M1");
        assert_eq!(type_name(26), "INT2");
        assert_eq!(type_name(28), "FLOAT6E3M2");
        assert_eq!(type_name(29), "#29");
        assert_eq!(type_name(-1), "#-1");
    }
}
