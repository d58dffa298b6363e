//! The upstream MLIR ops the core knows: `builtin.module`, `func.func`/`func.call`/`func.return`,
//! `scf.for`/`scf.yield` and `arith.constant`, plus the common type and attribute constraints.
//!
//! Region-holding ops come from upstream because IRDL (MLIR 22) cannot declare terminators: an IRDL op
//! cannot end a block, so fpgaopt's dialects use these structural ops for their bodies.

use std::fmt::Write;

use crate::attrs::Attribute;
use crate::diag::DiagResult;
use crate::ir::{InsertPoint, Module, OpId, ValueId};
use crate::op;
use crate::opdef::{AttrConstraint, CustomAsm, Dialect, Irdl, TypeConstraint};
use crate::parser::Parser;
use crate::printer::{write_symbol, Printer};
use crate::types::Type;

// ----- type constraints -----

/// Any type.
pub static ANY_TYPE: TypeConstraint = TypeConstraint { summary: "any type", check: |_| true, irdl: Irdl::Any };
/// Any ranked tensor.
pub static TENSOR: TypeConstraint =
    TypeConstraint { summary: "ranked tensor", check: |t| t.as_tensor().is_some(), irdl: Irdl::Base("!builtin.tensor") };
/// A ranked tensor of builtin floats.
pub static FLOAT_TENSOR: TypeConstraint =
    TypeConstraint { summary: "tensor of floats", check: Type::is_float_tensor, irdl: Irdl::Base("!builtin.tensor") };
/// The `index` type.
pub static INDEX: TypeConstraint =
    TypeConstraint { summary: "index", check: |t| *t == Type::Index, irdl: Irdl::Base("!builtin.index") };

// ----- attribute constraints -----

/// A 64-bit integer.
pub static I64_ATTR: AttrConstraint =
    AttrConstraint { summary: "integer", check: |a| a.as_int().is_some(), irdl: Irdl::Base("#builtin.integer") };
/// A float (integers are accepted where a float is expected by accessors but not here).
pub static F64_ATTR: AttrConstraint = AttrConstraint {
    summary: "float",
    check: |a| matches!(a, Attribute::Float(..)),
    irdl: Irdl::Base("#builtin.float"),
};
/// A string.
pub static STRING_ATTR: AttrConstraint =
    AttrConstraint { summary: "string", check: |a| a.as_str().is_some(), irdl: Irdl::Base("#builtin.string") };
/// A boolean.
pub static BOOL_ATTR: AttrConstraint =
    AttrConstraint { summary: "boolean", check: |a| a.as_bool().is_some(), irdl: Irdl::Base("#builtin.integer") };
/// A type.
pub static TYPE_ATTR: AttrConstraint =
    AttrConstraint { summary: "type", check: |a| a.as_type().is_some(), irdl: Irdl::Base("#builtin.type") };
/// A function type.
pub static FUNCTION_TYPE_ATTR: AttrConstraint = AttrConstraint {
    summary: "function type",
    check: |a| a.as_type().and_then(Type::as_function).is_some(),
    irdl: Irdl::Base("#builtin.type"),
};
/// A symbol reference.
pub static SYMBOL_ATTR: AttrConstraint = AttrConstraint {
    summary: "symbol reference",
    check: |a| a.as_symbol().is_some(),
    irdl: Irdl::Base("#builtin.symbol_ref"),
};
/// A dense tensor constant.
pub static DENSE_ATTR: AttrConstraint = AttrConstraint {
    summary: "dense elements",
    check: |a| a.as_dense().is_some(),
    irdl: Irdl::Base("#builtin.dense_int_or_fp_elements"),
};
/// An array of integers.
pub static I64_ARRAY_ATTR: AttrConstraint = AttrConstraint {
    summary: "array of integers",
    check: |a| a.as_i64_array().is_some(),
    irdl: Irdl::Base("#builtin.array"),
};
/// An array of floats.
pub static F64_ARRAY_ATTR: AttrConstraint = AttrConstraint {
    summary: "array of floats",
    check: |a| a.as_f64_array().is_some(),
    irdl: Irdl::Base("#builtin.array"),
};
/// Any array.
pub static ARRAY_ATTR: AttrConstraint =
    AttrConstraint { summary: "array", check: |a| a.as_array().is_some(), irdl: Irdl::Base("#builtin.array") };
/// An integer or float (`arith.constant` values).
pub static ANY_ATTR: AttrConstraint = AttrConstraint { summary: "attribute", check: |_| true, irdl: Irdl::Any };

// ----- ops -----

op! {
    /// The top-level container.
    pub struct ModuleOp = "builtin.module" {
        summary: "a container of functions",
        description: "The top-level operation. Its single region holds one block of functions.\n\n```mlir\nmodule {\n  func.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {\n    func.return %x : tensor<1x4xf32>\n  }\n}\n```",
        operands: [],
        results: [],
        attributes: [],
        optional_attributes: [sym_name: STRING_ATTR => &'a str],
        regions: [body],
        traits: [NoTerminator, IsolatedFromAbove],
        verify: None,
        asm: MODULE_ASM,
    }
}

op! {
    /// A function.
    pub struct FuncOp = "func.func" {
        summary: "a function with a body",
        description: "A function; its entry block's arguments are the parameters. `arg_attrs` holds one dictionary per parameter (e.g. HLS interface directives).\n\n```mlir\nfunc.func @main(%x: tensor<1x4xf32>) -> tensor<1x4xf32> {\n  func.return %x : tensor<1x4xf32>\n}\n```",
        operands: [],
        results: [],
        attributes: [sym_name: STRING_ATTR => &'a str, function_type: FUNCTION_TYPE_ATTR => &'a Type],
        optional_attributes: [arg_attrs: ARRAY_ATTR => &'a Attribute, res_attrs: ARRAY_ATTR => &'a Attribute, sym_visibility: STRING_ATTR => &'a str],
        regions: [body],
        traits: [IsolatedFromAbove, Symbol],
        verify: Some(verify_func),
        asm: FUNC_ASM,
    }
}

op! {
    /// Returns from a function.
    pub struct ReturnOp = "func.return" {
        summary: "return values from a function",
        description: "Terminates a function body; operand types match the function's results.\n\n```mlir\nfunc.return %y : tensor<1x4xf32>\n```",
        operands: [],
        variadic_operands: values: ANY_TYPE,
        results: [],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Terminator, Pure],
        verify: Some(verify_return),
        asm: RETURN_ASM,
    }
}

op! {
    /// Calls a function.
    pub struct CallOp = "func.call" {
        summary: "call a function by symbol",
        description: "```mlir\n%y = func.call @layer(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n```",
        operands: [],
        variadic_operands: args: ANY_TYPE,
        results: [],
        variadic_results: outputs: ANY_TYPE,
        attributes: [callee: SYMBOL_ATTR => &'a str],
        optional_attributes: [],
        regions: [],
        traits: [],
        verify: Some(verify_call),
        asm: CALL_ASM,
    }
}

op! {
    /// A counted loop.
    pub struct ForOp = "scf.for" {
        summary: "a counted loop over an index range",
        description: "Runs its body for `lb <= iv < ub` by `step`. HLS directives ride on it as discardable attributes (`hls.pipeline_ii`, `hls.unroll`).\n\n```mlir\nscf.for %i = %c0 to %c16 step %c1 {\n  ...\n} {hls.pipeline_ii = 1 : i64}\n```",
        operands: [lower_bound: INDEX, upper_bound: INDEX, step: INDEX],
        results: [],
        attributes: [],
        optional_attributes: [],
        regions: [body],
        traits: [],
        verify: Some(verify_for),
        asm: FOR_ASM,
    }
}

op! {
    /// Ends a loop body.
    pub struct YieldOp = "scf.yield" {
        summary: "terminate a loop body",
        description: "Implicit in the custom form of `scf.for`.",
        operands: [],
        results: [],
        attributes: [],
        optional_attributes: [],
        regions: [],
        traits: [Terminator, Pure],
        verify: None,
    }
}

op! {
    /// A constant scalar.
    pub struct ConstantOp = "arith.constant" {
        summary: "a constant integer, index or float",
        description: "```mlir\n%c16 = arith.constant 16 : index\n```",
        operands: [],
        results: [result: ANY_TYPE],
        attributes: [value: ANY_ATTR => &'a Attribute],
        optional_attributes: [],
        regions: [],
        traits: [Pure],
        verify: Some(verify_constant),
        asm: CONSTANT_ASM,
    }
}

/// The upstream MLIR ops fpgaopt uses, as one registry entry (never exported: MLIR defines them).
pub static UPSTREAM: Dialect = Dialect {
    name: "upstream",
    summary: "builtin.module, func, scf.for and arith.constant: the upstream MLIR ops fpgaopt uses",
    description: "",
    ops: || vec![ModuleOp::def(), FuncOp::def(), ReturnOp::def(), CallOp::def(), ForOp::def(), YieldOp::def(), ConstantOp::def()],
    types: &[],
};

// ----- verifiers -----

fn verify_func(m: &Module, op: OpId) -> Result<(), String> {
    let f = FuncOp(op);
    let ft = f.function_type(m).as_function().ok_or("function_type must be a function type")?;
    let Some(entry) = m.entry_block(op, 0) else { return Err("function has no body".into()) };
    let args: Vec<&Type> = m.block(entry).args.iter().map(|&a| m.ty(a)).collect();
    if args.len() != ft.inputs.len() || args.iter().zip(&ft.inputs).any(|(a, b)| *a != b) {
        return Err("entry block arguments do not match the function type".into());
    }
    Ok(())
}

fn verify_return(m: &Module, op: OpId) -> Result<(), String> {
    let Some(func) = m.parent_op(op).filter(|&p| m.is(p, FuncOp::def())) else {
        return Err("expects parent op 'func.func'".into());
    };
    let ft = FuncOp(func).function_type(m).as_function().cloned().unwrap_or_else(|| crate::types::FunctionType { inputs: vec![], results: vec![] });
    let got: Vec<&Type> = ReturnOp(op).values(m).iter().map(|&v| m.ty(v)).collect();
    if got.len() != ft.results.len() || got.iter().zip(&ft.results).any(|(a, b)| *a != b) {
        return Err(format!(
            "has {} operands, but enclosing function (@{}) returns {}",
            got.len(),
            FuncOp(func).sym_name(m),
            ft.results.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(())
}

fn verify_call(m: &Module, op: OpId) -> Result<(), String> {
    let c = CallOp(op);
    let name = c.callee(m);
    let Some(f) = m.lookup_symbol(name) else { return Err(format!("'@{name}' does not reference a valid function")) };
    let Some(ft) = FuncOp(f).function_type(m).as_function().cloned() else { return Ok(()) };
    let args: Vec<&Type> = c.args(m).iter().map(|&v| m.ty(v)).collect();
    let outs: Vec<&Type> = m.op(op).results.iter().map(|&v| m.ty(v)).collect();
    if args.len() != ft.inputs.len() || args.iter().zip(&ft.inputs).any(|(a, b)| *a != b) {
        return Err(format!("operand types do not match the signature of '@{name}'"));
    }
    if outs.len() != ft.results.len() || outs.iter().zip(&ft.results).any(|(a, b)| *a != b) {
        return Err(format!("result types do not match the signature of '@{name}'"));
    }
    Ok(())
}

fn verify_for(m: &Module, op: OpId) -> Result<(), String> {
    let Some(b) = m.entry_block(op, 0) else { return Err("loop has no body".into()) };
    let args = &m.block(b).args;
    if args.len() != 1 || *m.ty(args[0]) != Type::Index {
        return Err("body must have one 'index' argument, the induction variable".into());
    }
    Ok(())
}

fn verify_constant(m: &Module, op: OpId) -> Result<(), String> {
    let c = ConstantOp(op);
    let ty = m.ty(c.result(m));
    let ok = match c.value(m) {
        Attribute::Int(_, t) | Attribute::Float(_, t) => t == ty,
        Attribute::Dense(d) => d.ty == *ty,
        _ => false,
    };
    if !ok {
        return Err(format!("value's type does not match the result type {ty}"));
    }
    Ok(())
}

// ----- custom assembly -----

static MODULE_ASM: CustomAsm = CustomAsm { print: print_module_op, parse: parse_module_op };
static FUNC_ASM: CustomAsm = CustomAsm { print: print_func, parse: parse_func };
static RETURN_ASM: CustomAsm = CustomAsm { print: print_return, parse: parse_return };
static CALL_ASM: CustomAsm = CustomAsm { print: print_call, parse: parse_call };
static FOR_ASM: CustomAsm = CustomAsm { print: print_for, parse: parse_for };
static CONSTANT_ASM: CustomAsm = CustomAsm { print: print_constant, parse: parse_constant };

fn print_module_op(p: &mut Printer<'_>, op: OpId) -> std::fmt::Result {
    p.out.push_str("module");
    if let Some(name) = ModuleOp(op).sym_name(p.m) {
        p.out.push(' ');
        write_symbol(&mut p.out, name)?;
    }
    p.write_attr_dict(op, &["sym_name"], true);
    p.out.push(' ');
    p.push_scope(true);
    if let Some(b) = p.m.entry_block(op, 0) {
        p.print_body(b, None)?;
    }
    p.pop_scope(true);
    p.write_loc(op);
    Ok(())
}

fn parse_module_op(p: &mut Parser<'_>, _results: Vec<String>) -> DiagResult<OpId> {
    let loc = p.loc();
    let mut spec = ModuleOp::spec(loc).regions(0);
    if p.at("@") {
        spec = spec.attr("sym_name", Attribute::String(p.parse_symbol_name()?));
    }
    if p.eat("attributes") {
        spec.attrs.extend(p.parse_attr_dict()?);
    }
    let op = p.module.create(spec);
    let region = p.module.new_region();
    p.module.adopt_region(op, region);
    p.parse_region(region, vec![], true)?;
    if p.module.region(region).blocks.is_empty() {
        p.module.add_block(region, &[]);
    }
    Ok(op)
}

fn print_func(p: &mut Printer<'_>, op: OpId) -> std::fmt::Result {
    let f = FuncOp(op);
    let m = p.m;
    let ft = f.function_type(m).as_function().cloned().unwrap_or_else(|| crate::types::FunctionType { inputs: vec![], results: vec![] });
    p.out.push_str("func.func ");
    if let Some(v) = f.sym_visibility(m) {
        write!(p.out, "{v} ")?;
    }
    write_symbol(&mut p.out, f.sym_name(m))?;
    p.out.push('(');
    p.push_scope(true);
    let entry = m.entry_block(op, 0);
    let args = entry.map(|b| m.block(b).args.clone()).unwrap_or_default();
    let names = p.declare_args(&args);
    let arg_attrs = f.arg_attrs(m).and_then(Attribute::as_array).map(|a| a.to_vec()).unwrap_or_default();
    for (i, t) in ft.inputs.iter().enumerate() {
        if i > 0 {
            p.out.push_str(", ");
        }
        match names.get(i) {
            Some(n) => write!(p.out, "{n}: {t}")?,
            None => write!(p.out, "{t}")?,
        }
        if let Some(Attribute::Dict(d)) = arg_attrs.get(i) {
            if !d.is_empty() {
                p.out.push(' ');
                crate::printer::write_dict(&mut p.out, d, p.opts)?;
            }
        }
    }
    p.out.push(')');
    match ft.results.len() {
        0 => {}
        1 => write!(p.out, " -> {}", ft.results[0])?,
        _ => {
            p.out.push_str(" -> (");
            p.write_types(ft.results.clone());
            p.out.push(')');
        }
    }
    p.write_attr_dict(op, &["sym_name", "function_type", "arg_attrs", "sym_visibility"], true);
    if let Some(b) = entry {
        p.out.push(' ');
        p.print_body(b, None)?;
    }
    p.pop_scope(true);
    p.write_loc(op);
    Ok(())
}

fn parse_func(p: &mut Parser<'_>, _results: Vec<String>) -> DiagResult<OpId> {
    let visibility = if p.eat("private") {
        Some("private")
    } else if p.eat("public") {
        Some("public")
    } else {
        None
    };
    let name = p.parse_symbol_name()?;
    p.expect("(")?;
    let mut args = vec![];
    let mut arg_attrs = vec![];
    let mut any_attrs = false;
    if !p.eat(")") {
        loop {
            let loc = p.loc();
            let n = p.parse_value_def_name()?;
            p.expect(":")?;
            let t = p.parse_type()?;
            let d = if p.at("{") { p.parse_attr_dict()? } else { vec![] };
            any_attrs |= !d.is_empty();
            arg_attrs.push(Attribute::Dict(d));
            args.push((n, t, loc));
            if p.eat(")") {
                break;
            }
            p.expect(",")?;
        }
    }
    let results = if p.eat("->") {
        if p.at("(") {
            p.parse_type_list_parens()?
        } else {
            vec![p.parse_type()?]
        }
    } else {
        vec![]
    };
    let mut attrs = if p.eat("attributes") { p.parse_attr_dict()? } else { vec![] };
    let ft = Type::function(args.iter().map(|(_, t, _)| t.clone()).collect(), results);
    attrs.push(("sym_name".into(), Attribute::String(name)));
    attrs.push(("function_type".into(), Attribute::Type(ft)));
    if any_attrs {
        attrs.push(("arg_attrs".into(), Attribute::Array(arg_attrs)));
    }
    if let Some(v) = visibility {
        attrs.push(("sym_visibility".into(), Attribute::str(v)));
    }
    let loc = p.loc();
    let mut spec = crate::ir::OpSpec::new(FuncOp::def(), loc);
    spec.attrs = attrs;
    let op = p.module.create(spec);
    let region = p.module.new_region();
    p.module.adopt_region(op, region);
    p.parse_region(region, args, true)?;
    Ok(op)
}

fn print_return(p: &mut Printer<'_>, op: OpId) -> std::fmt::Result {
    let values = p.m.op(op).operands.clone();
    p.out.push_str("func.return");
    if !values.is_empty() {
        p.out.push(' ');
        p.write_values(&values);
        p.out.push_str(" : ");
        let types: Vec<Type> = values.iter().map(|&v| p.m.ty(v).clone()).collect();
        p.write_types(types);
    }
    p.write_attr_dict(op, &[], false);
    p.write_loc(op);
    Ok(())
}

fn parse_value_list_with_types(p: &mut Parser<'_>) -> DiagResult<Vec<ValueId>> {
    let mut values = vec![];
    if p.at("%") {
        loop {
            values.push(p.parse_value_use()?);
            if !p.eat(",") {
                break;
            }
        }
        p.expect(":")?;
        for (i, &v) in values.clone().iter().enumerate() {
            if i > 0 {
                p.expect(",")?;
            }
            let loc = p.loc();
            let t = p.parse_type()?;
            if *p.module.ty(v) != t {
                return Err(crate::diag::Diagnostic::error(loc, format!("value has type {} but {t} was given", p.module.ty(v))));
            }
        }
    }
    Ok(values)
}

fn parse_return(p: &mut Parser<'_>, _results: Vec<String>) -> DiagResult<OpId> {
    let loc = p.loc();
    let values = parse_value_list_with_types(p)?;
    Ok(p.module.create(ReturnOp::spec(loc).operands(values)))
}

fn print_call(p: &mut Printer<'_>, op: OpId) -> std::fmt::Result {
    let c = CallOp(op);
    let args = c.args(p.m).to_vec();
    let results: Vec<Type> = p.m.op(op).results.iter().map(|&r| p.m.ty(r).clone()).collect();
    let names: Vec<ValueId> = p.m.op(op).results.clone();
    if !names.is_empty() {
        let printed: Vec<String> = names.iter().map(|&r| p.value_name(r)).collect();
        // Results were named by value_name; multi-result ops print as a list.
        write!(p.out, "{} = ", printed.join(", "))?;
    }
    p.out.push_str("func.call ");
    write_symbol(&mut p.out, c.callee(p.m))?;
    p.out.push('(');
    p.write_values(&args);
    p.out.push_str(") : ");
    let ins: Vec<Type> = args.iter().map(|&v| p.m.ty(v).clone()).collect();
    write!(p.out, "{}", Type::function(ins, results))?;
    p.write_attr_dict(op, &["callee"], false);
    p.write_loc(op);
    Ok(())
}

fn parse_call(p: &mut Parser<'_>, _results: Vec<String>) -> DiagResult<OpId> {
    let loc = p.loc();
    let callee = p.parse_symbol_name()?;
    p.expect("(")?;
    let args = p.parse_value_uses_until(")")?;
    p.expect(":")?;
    let sig = p.parse_type()?;
    let Some(ft) = sig.as_function().cloned() else {
        return Err(p.error("expected function type"));
    };
    let spec = CallOp::spec(loc).operands(args).results(ft.results).attr("callee", Attribute::Symbol(callee));
    Ok(p.module.create(spec))
}

fn print_for(p: &mut Printer<'_>, op: OpId) -> std::fmt::Result {
    let f = ForOp(op);
    let m = p.m;
    let Some(body) = m.entry_block(op, 0) else { return Ok(()) };
    let (lb, ub, st) = (f.lower_bound(m), f.upper_bound(m), f.step(m));
    p.push_scope(false);
    let iv = p.declare_args(&m.block(body).args.clone());
    let (lb, ub, st) = (p.value_name(lb), p.value_name(ub), p.value_name(st));
    write!(p.out, "scf.for {} = {lb} to {ub} step {st} ", iv.first().cloned().unwrap_or_default())?;
    let last = m.block_ops(body).last().copied().filter(|&o| m.is(o, YieldOp::def()) && m.op(o).attrs.is_empty());
    p.print_body(body, last)?;
    p.pop_scope(false);
    p.write_attr_dict(op, &[], false);
    p.write_loc(op);
    Ok(())
}

fn parse_for(p: &mut Parser<'_>, _results: Vec<String>) -> DiagResult<OpId> {
    let loc = p.loc();
    let iv = p.parse_value_def_name()?;
    p.expect("=")?;
    let lb = p.parse_value_use()?;
    p.expect("to")?;
    let ub = p.parse_value_use()?;
    p.expect("step")?;
    let st = p.parse_value_use()?;
    let op = p.module.create(crate::ir::OpSpec::new(ForOp::def(), loc.clone()).operands([lb, ub, st]));
    let region = p.module.new_region();
    p.module.adopt_region(op, region);
    p.parse_region(region, vec![(iv, Type::Index, loc.clone())], false)?;
    if let Some(b) = p.module.entry_block(op, 0) {
        let needs_yield = p.module.block_ops(b).last().is_none_or(|&o| !p.module.is(o, YieldOp::def()));
        if needs_yield {
            p.module.build(InsertPoint::End(b), YieldOp::spec(loc));
        }
    }
    if p.at("{") {
        for (k, v) in p.parse_attr_dict()? {
            p.module.set_attr(op, &k, v);
        }
    }
    Ok(op)
}

fn print_constant(p: &mut Printer<'_>, op: OpId) -> std::fmt::Result {
    let c = ConstantOp(op);
    let name = p.value_name(c.result(p.m));
    write!(p.out, "{name} = arith.constant ")?;
    match c.value(p.m) {
        Attribute::Int(v, t) => write!(p.out, "{v} : {t}")?,
        other => {
            let other = other.clone();
            p.write_attr(&other);
            if matches!(other, Attribute::Float(_, ref t) if *t == Type::F64) {
                p.out.push_str(" : f64");
            }
        }
    }
    p.write_attr_dict(op, &["value"], false);
    p.write_loc(op);
    Ok(())
}

fn parse_constant(p: &mut Parser<'_>, _results: Vec<String>) -> DiagResult<OpId> {
    let loc = p.loc();
    let value = p.parse_attribute()?;
    let ty = match &value {
        Attribute::Int(_, t) | Attribute::Float(_, t) => t.clone(),
        Attribute::Dense(d) => d.ty.clone(),
        _ => return Err(crate::diag::Diagnostic::error(loc, "expected an integer, float or dense constant")),
    };
    Ok(p.module.create(ConstantOp::spec(loc).results([ty]).attr("value", value)))
}
