//! Attributes: compile-time constant data attached to operations.
//!
//! Dense tensor constants keep their elements in one little-endian byte buffer (MLIR's layout), so a
//! 64x32 weight matrix is one allocation and prints as a single `dense<"0x...">` hex blob.

use std::fmt::{self, Write};
use std::sync::Arc;

use crate::types::{FloatKind, Type};

/// An attribute value.
#[derive(Clone, PartialEq, Debug)]
pub enum Attribute {
    Unit,
    Bool(bool),
    /// An integer with its type (`16 : i64`, `3 : index`).
    Int(i64, Type),
    /// A float with its type (`1.0e-3 : f32`).
    Float(f64, Type),
    String(String),
    Type(Type),
    Array(Vec<Attribute>),
    Dict(Vec<(String, Attribute)>),
    /// A flat symbol reference (`@main`).
    Symbol(String),
    Dense(DenseElements),
}

impl Eq for Attribute {}

impl std::hash::Hash for Attribute {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Attribute::Unit => {}
            Attribute::Bool(b) => b.hash(state),
            Attribute::Int(v, t) => (v, t).hash(state),
            Attribute::Float(v, t) => (v.to_bits(), t).hash(state),
            Attribute::String(s) | Attribute::Symbol(s) => s.hash(state),
            Attribute::Type(t) => t.hash(state),
            Attribute::Array(a) => a.hash(state),
            Attribute::Dict(d) => d.hash(state),
            Attribute::Dense(d) => (&d.ty, &d.data[..]).hash(state),
        }
    }
}

impl Attribute {
    /// An `i64` integer attribute.
    pub fn i64(v: i64) -> Attribute {
        Attribute::Int(v, Type::I64)
    }

    /// An `f64` float attribute.
    pub fn f64(v: f64) -> Attribute {
        Attribute::Float(v, Type::F64)
    }

    /// A string attribute.
    pub fn str(s: impl Into<String>) -> Attribute {
        Attribute::String(s.into())
    }

    /// An array of `i64` integers.
    pub fn i64_array(v: &[i64]) -> Attribute {
        Attribute::Array(v.iter().map(|&x| Attribute::i64(x)).collect())
    }

    /// An array of `f64` floats.
    pub fn f64_array(v: &[f64]) -> Attribute {
        Attribute::Array(v.iter().map(|&x| Attribute::f64(x)).collect())
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Attribute::Int(v, _) => Some(*v),
            _ => None,
        }
    }

    pub fn as_float(&self) -> Option<f64> {
        match self {
            Attribute::Float(v, _) => Some(*v),
            Attribute::Int(v, _) => Some(*v as f64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Attribute::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Attribute::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_symbol(&self) -> Option<&str> {
        match self {
            Attribute::Symbol(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_type(&self) -> Option<&Type> {
        match self {
            Attribute::Type(t) => Some(t),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Attribute]> {
        match self {
            Attribute::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_dense(&self) -> Option<&DenseElements> {
        match self {
            Attribute::Dense(d) => Some(d),
            _ => None,
        }
    }

    /// The elements of an array of integers.
    pub fn as_i64_array(&self) -> Option<Vec<i64>> {
        self.as_array()?.iter().map(Attribute::as_int).collect()
    }

    /// The values of an array of floats (integers are not accepted).
    pub fn as_f64_array(&self) -> Option<Vec<f64>> {
        self.as_array()?.iter().map(|a| if let Attribute::Float(v, _) = a { Some(*v) } else { None }).collect()
    }
}

/// Element kinds a dense attribute can hold.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ElementKind {
    F32,
    F64,
    /// A two's complement integer of 8, 16, 32 or 64 bits.
    Int(u32),
}

impl ElementKind {
    /// The element kind of a builtin scalar type, if dense attributes support it.
    pub fn of(ty: &Type) -> Option<ElementKind> {
        match ty {
            Type::Float(FloatKind::F32) => Some(ElementKind::F32),
            Type::Float(FloatKind::F64) => Some(ElementKind::F64),
            Type::Integer { width: w @ (8 | 16 | 32 | 64), .. } => Some(ElementKind::Int(*w)),
            _ => None,
        }
    }

    /// Bytes per element.
    pub fn bytes(self) -> usize {
        match self {
            ElementKind::F32 => 4,
            ElementKind::F64 => 8,
            ElementKind::Int(w) => (w / 8) as usize,
        }
    }
}

/// A dense tensor constant: a tensor type and its elements in one little-endian buffer.
///
/// Invariant: `data.len() == num_elements * kind.bytes()`, or one element for a splat.
#[derive(Clone, PartialEq, Debug)]
pub struct DenseElements {
    pub ty: Type,
    pub kind: ElementKind,
    pub data: Arc<[u8]>,
}

impl DenseElements {
    /// Builds from raw little-endian bytes; checks the size (a splat has exactly one element).
    pub fn from_bytes(ty: Type, data: Vec<u8>) -> Result<DenseElements, String> {
        let elem = ty.element().ok_or("dense elements need a tensor type")?;
        let kind = ElementKind::of(elem).ok_or_else(|| format!("unsupported dense element type {elem}"))?;
        let n = ty.num_elements() as usize;
        if data.len() != n * kind.bytes() && data.len() != kind.bytes() {
            return Err(format!(
                "dense hex data has {} bytes, expected {} for {ty}",
                data.len(),
                n * kind.bytes()
            ));
        }
        Ok(DenseElements { ty, kind, data: data.into() })
    }

    /// Builds an f32 tensor constant.
    pub fn from_f32(shape: &[i64], values: &[f32]) -> DenseElements {
        let data: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        DenseElements { ty: Type::tensor(shape, Type::F32), kind: ElementKind::F32, data: data.into() }
    }

    /// Builds an integer tensor constant of element type `elem` (i8/i16/i32/i64).
    pub fn from_ints(shape: &[i64], elem: Type, values: &[i64]) -> Result<DenseElements, String> {
        let Some(ElementKind::Int(w)) = ElementKind::of(&elem) else {
            return Err(format!("unsupported integer element type {elem}"));
        };
        let bytes = (w / 8) as usize;
        let mut data = Vec::with_capacity(values.len() * bytes);
        for v in values {
            data.extend_from_slice(&v.to_le_bytes()[..bytes]);
        }
        DenseElements::from_bytes(Type::tensor(shape, elem), data)
    }

    /// The same elements under another shape with as many elements (a splat stays one).
    pub fn reshaped(&self, shape: &[i64]) -> Option<DenseElements> {
        let ty = Type::tensor(shape, self.ty.element()?.clone());
        (ty.num_elements() as usize == self.len()).then(|| DenseElements { ty, kind: self.kind, data: self.data.clone() })
    }

    /// Number of elements of the tensor type.
    pub fn len(&self) -> usize {
        self.ty.num_elements() as usize
    }

    /// True when the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True when one stored element stands for all.
    pub fn is_splat(&self) -> bool {
        self.data.len() == self.kind.bytes() && self.len() != 1
    }

    fn raw(&self, i: usize) -> &[u8] {
        let b = self.kind.bytes();
        let i = if self.data.len() == b { 0 } else { i };
        &self.data[i * b..(i + 1) * b]
    }

    /// Element `i` as f64 (exact for every supported kind except i64 beyond 2^53).
    pub fn get_f64(&self, i: usize) -> f64 {
        let r = self.raw(i);
        match self.kind {
            ElementKind::F32 => f32::from_le_bytes(r.try_into().unwrap_or_default()) as f64,
            ElementKind::F64 => f64::from_le_bytes(r.try_into().unwrap_or_default()),
            ElementKind::Int(_) => self.get_i64(i) as f64,
        }
    }

    /// Element `i` as a sign-extended integer (floats are truncated toward zero).
    pub fn get_i64(&self, i: usize) -> i64 {
        let r = self.raw(i);
        match self.kind {
            ElementKind::Int(w) => {
                let mut buf = [0u8; 8];
                buf[..r.len()].copy_from_slice(r);
                let v = i64::from_le_bytes(buf);
                let shift = 64 - w;
                (v << shift) >> shift
            }
            _ => self.get_f64(i) as i64,
        }
    }

    /// All elements as f32.
    pub fn to_f32_vec(&self) -> Vec<f32> {
        (0..self.len()).map(|i| self.get_f64(i) as f32).collect()
    }

    /// All elements as f64.
    pub fn to_f64_vec(&self) -> Vec<f64> {
        (0..self.len()).map(|i| self.get_f64(i)).collect()
    }

    /// All elements as i64.
    pub fn to_i64_vec(&self) -> Vec<i64> {
        (0..self.len()).map(|i| self.get_i64(i)).collect()
    }

    /// Writes the hex blob form `"0x..."` (full data, MLIR's layout).
    pub fn write_hex(&self, out: &mut impl Write) -> fmt::Result {
        out.write_str("\"0x")?;
        for b in self.data.iter() {
            write!(out, "{b:02X}")?;
        }
        out.write_char('"')
    }

    /// Writes the nested literal form `[[1.0, 2.0], [3.0, 4.0]]` (or a bare splat value).
    pub fn write_literal(&self, out: &mut impl Write) -> fmt::Result {
        if self.is_splat() {
            return self.write_element(out, 0);
        }
        let shape = self.ty.shape().unwrap_or(&[]).to_vec();
        if shape.is_empty() {
            return self.write_element(out, 0);
        }
        let mut index = 0;
        self.write_nested(out, &shape, &mut index)
    }

    fn write_nested(&self, out: &mut impl Write, shape: &[i64], index: &mut usize) -> fmt::Result {
        out.write_char('[')?;
        for i in 0..shape[0] {
            if i > 0 {
                out.write_str(", ")?;
            }
            if shape.len() == 1 {
                self.write_element(out, *index)?;
                *index += 1;
            } else {
                self.write_nested(out, &shape[1..], index)?;
            }
        }
        out.write_char(']')
    }

    fn write_element(&self, out: &mut impl Write, i: usize) -> fmt::Result {
        match self.kind {
            ElementKind::F32 => {
                let r = self.raw(i);
                out.write_str(&format_float(f32::from_le_bytes(r.try_into().unwrap_or_default()) as f64, true))
            }
            ElementKind::F64 => out.write_str(&format_float(self.get_f64(i), false)),
            ElementKind::Int(_) => write!(out, "{}", self.get_i64(i)),
        }
    }
}

/// Formats a float so MLIR's lexer reads it back exactly: always a `.` before any exponent, and
/// non-finite values as their IEEE bit pattern in hex. `single` uses the shortest f32 form.
pub fn format_float(v: f64, single: bool) -> String {
    if !v.is_finite() {
        return if single {
            format!("0x{:08X}", (v as f32).to_bits())
        } else {
            format!("0x{:016X}", v.to_bits())
        };
    }
    let s = if single { format!("{:?}", v as f32) } else { format!("{v:?}") };
    match s.find('e') {
        Some(e) if !s[..e].contains('.') => format!("{}.0{}", &s[..e], &s[e..]),
        _ => s,
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::printer::write_attribute(f, self, &crate::printer::PrintOptions::default())
    }
}
