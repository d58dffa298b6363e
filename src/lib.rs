//! fpgaopt's core IR: MLIR's data model (operations, values, blocks, regions, types, attributes,
//! locations) in arenas, its textual syntax, op definitions, the verifier and the pass manager.

pub mod attrs;
pub mod builtin;
pub mod diag;
pub mod expect;
pub mod export;
pub mod ir;
pub mod opdef;
pub mod parser;
pub mod pass;
pub mod printer;
pub mod shape;
pub mod rewrite;
pub mod types;
pub mod verifier;

pub use attrs::{Attribute, DenseElements, ElementKind};
pub use diag::{DiagResult, Diagnostic, Location, Severity, SourceMap};
pub use ir::{BlockId, InsertPoint, Module, OpData, OpId, OpSpec, RegionId, ValueDef, ValueId};
pub use opdef::{ArgDef, AttrConstraint, AttrDef, Dialect, Irdl, OpDef, ParamDef, Registry, Trait, TypeConstraint, TypeDef};
pub use types::{FloatKind, Signedness, Type};
