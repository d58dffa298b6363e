//! Types: MLIR's builtin types plus parametric dialect types (`!qdf.fixed<...>`).
//!
//! Types are immutable values, cheap to clone (payloads behind `Arc`), compared structurally.

use std::fmt;
use std::sync::Arc;

use crate::attrs::Attribute;

/// Signedness of a builtin integer type (`i8`, `si8`, `ui8`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Signedness {
    Signless,
    Signed,
    Unsigned,
}

/// Builtin floating-point kinds.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum FloatKind {
    F16,
    BF16,
    F32,
    F64,
}

impl FloatKind {
    /// Width in bits.
    pub fn width(self) -> u32 {
        match self {
            FloatKind::F16 | FloatKind::BF16 => 16,
            FloatKind::F32 => 32,
            FloatKind::F64 => 64,
        }
    }
}

/// A type with its parameters, defined by a dialect (`!dialect.name<p0, p1>`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct DialectType {
    pub dialect: String,
    pub name: String,
    pub params: Vec<Attribute>,
}

/// A ranked tensor type (`tensor<1x16xf32>`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TensorType {
    pub shape: Vec<i64>,
    pub element: Type,
}

/// A function type (`(i32, f32) -> f32`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct FunctionType {
    pub inputs: Vec<Type>,
    pub results: Vec<Type>,
}

/// An IR type.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum Type {
    Index,
    None,
    Integer { width: u32, signedness: Signedness },
    Float(FloatKind),
    Tensor(Arc<TensorType>),
    Function(Arc<FunctionType>),
    Dialect(Arc<DialectType>),
}

impl Type {
    pub const F32: Type = Type::Float(FloatKind::F32);
    pub const F64: Type = Type::Float(FloatKind::F64);
    pub const I64: Type = Type::Integer { width: 64, signedness: Signedness::Signless };
    pub const I32: Type = Type::Integer { width: 32, signedness: Signedness::Signless };
    pub const I1: Type = Type::Integer { width: 1, signedness: Signedness::Signless };

    /// A signless integer type of `width` bits.
    pub fn int(width: u32) -> Type {
        Type::Integer { width, signedness: Signedness::Signless }
    }

    /// A ranked tensor type.
    pub fn tensor(shape: impl Into<Vec<i64>>, element: Type) -> Type {
        Type::Tensor(Arc::new(TensorType { shape: shape.into(), element }))
    }

    /// A function type.
    pub fn function(inputs: Vec<Type>, results: Vec<Type>) -> Type {
        Type::Function(Arc::new(FunctionType { inputs, results }))
    }

    /// A dialect type `!dialect.name<params>`.
    pub fn dialect(dialect: &str, name: &str, params: Vec<Attribute>) -> Type {
        Type::Dialect(Arc::new(DialectType { dialect: dialect.into(), name: name.into(), params }))
    }

    /// The tensor payload, if this is a tensor type.
    pub fn as_tensor(&self) -> Option<&TensorType> {
        match self {
            Type::Tensor(t) => Some(t),
            _ => None,
        }
    }

    /// The function payload, if this is a function type.
    pub fn as_function(&self) -> Option<&FunctionType> {
        match self {
            Type::Function(f) => Some(f),
            _ => None,
        }
    }

    /// The dialect type payload if this is `!dialect.name<...>`.
    pub fn as_dialect(&self, dialect: &str, name: &str) -> Option<&DialectType> {
        match self {
            Type::Dialect(d) if d.dialect == dialect && d.name == name => Some(d),
            _ => None,
        }
    }

    /// Shape of a tensor type.
    pub fn shape(&self) -> Option<&[i64]> {
        self.as_tensor().map(|t| t.shape.as_slice())
    }

    /// Element type of a tensor type.
    pub fn element(&self) -> Option<&Type> {
        self.as_tensor().map(|t| &t.element)
    }

    /// True for builtin float types.
    pub fn is_float(&self) -> bool {
        matches!(self, Type::Float(_))
    }

    /// True for a tensor whose elements are builtin floats.
    pub fn is_float_tensor(&self) -> bool {
        self.element().is_some_and(Type::is_float)
    }

    /// A tensor with the same shape and a new element type.
    pub fn with_element(&self, element: Type) -> Option<Type> {
        self.as_tensor().map(|t| Type::tensor(t.shape.clone(), element))
    }

    /// Number of elements of a tensor type (1 for a scalar type).
    pub fn num_elements(&self) -> i64 {
        self.shape().map_or(1, |s| s.iter().product())
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Index => write!(f, "index"),
            Type::None => write!(f, "none"),
            Type::Integer { width, signedness } => match signedness {
                Signedness::Signless => write!(f, "i{width}"),
                Signedness::Signed => write!(f, "si{width}"),
                Signedness::Unsigned => write!(f, "ui{width}"),
            },
            Type::Float(k) => write!(
                f,
                "{}",
                match k {
                    FloatKind::F16 => "f16",
                    FloatKind::BF16 => "bf16",
                    FloatKind::F32 => "f32",
                    FloatKind::F64 => "f64",
                }
            ),
            Type::Tensor(t) => {
                write!(f, "tensor<")?;
                for d in &t.shape {
                    write!(f, "{d}x")?;
                }
                write!(f, "{}>", t.element)
            }
            Type::Function(ft) => {
                write!(f, "(")?;
                for (i, t) in ft.inputs.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{t}")?;
                }
                write!(f, ") -> ")?;
                if ft.results.len() == 1 && ft.results[0].as_function().is_none() {
                    write!(f, "{}", ft.results[0])
                } else {
                    write!(f, "(")?;
                    for (i, t) in ft.results.iter().enumerate() {
                        if i > 0 {
                            write!(f, ", ")?;
                        }
                        write!(f, "{t}")?;
                    }
                    write!(f, ")")
                }
            }
            Type::Dialect(d) => {
                write!(f, "!{}.{}", d.dialect, d.name)?;
                if !d.params.is_empty() {
                    write!(f, "<")?;
                    for (i, p) in d.params.iter().enumerate() {
                        if i > 0 {
                            write!(f, ", ")?;
                        }
                        write!(f, "{p}")?;
                    }
                    write!(f, ">")?;
                }
                Ok(())
            }
        }
    }
}
