//! Loads the dialects an IRDL module defines into a context, refusing the redefinitions MLIR would crash on.
//!
//! `mlirLoadIRDLDialects` aborts the process when a dialect name is already taken (`@arith`, or the same
//! dialect from a second `--irdl` file); so every `irdl.dialect` name, nested ones included, is checked first
//! against the dialects the context already has and against the others in the module.

use std::collections::HashSet;

use melior::ir::attribute::{AttributeLike, StringAttribute};
use melior::ir::operation::{OperationLike, WalkOrder, WalkResult};
use melior::ir::Module;
use melior::utility::load_irdl_dialects;
use melior::{Context, StringRef};

/// Loads every dialect `module` defines, or says why it cannot; MLIR's own diagnostics are already printed.
pub fn load(context: &Context, module: &Module) -> Result<(), String> {
    let mut names = Vec::new();
    module
        .as_operation()
        .walk(WalkOrder::PreOrder, |operation| {
            if operation.name().as_string_ref().as_str() == Ok("irdl.dialect") {
                names.push(operation.attribute("sym_name").ok().and_then(symbol_name));
            }
            WalkResult::Advance
        });

    let mut seen = HashSet::new();
    for name in names {
        let name = name.ok_or("an irdl.dialect name is not valid UTF-8")?;
        if !seen.insert(name.clone()) || is_known(context, &name) {
            return Err(format!("dialect '{name}' is already defined"));
        }
    }
    if load_irdl_dialects(module) {
        Ok(())
    } else {
        Err("MLIR cannot load its dialects".into())
    }
}

/// The text of a string attribute, if it is one and the text is UTF-8.
fn symbol_name(attribute: melior::ir::Attribute) -> Option<String> {
    let string = StringAttribute::try_from(attribute).ok()?;
    // `StringAttribute::value` panics on non-UTF-8 bytes, which an escape such as `@"\FF"` produces.
    // SAFETY: the attribute is a live string attribute of the context, which outlives this call.
    let value = unsafe { StringRef::from_raw(mlir_sys::mlirStringAttrGetValue(string.to_raw())) };
    value.as_str().ok().map(str::to_string)
}

/// Whether `context` already has a dialect called `name` (registered upstream or loaded from IRDL).
fn is_known(context: &Context, name: &str) -> bool {
    // SAFETY: plain C API query on a live context; a null result means no such dialect.
    let dialect = unsafe {
        mlir_sys::mlirContextGetOrLoadDialect(context.to_raw(), StringRef::new(name).to_raw())
    };
    !dialect.ptr.is_null()
}
