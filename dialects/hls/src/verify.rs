//! Op verifiers of the `hls` dialect (beyond the declared operand, result and attribute constraints).

use fpgaopt_ir::{Attribute, ElementKind, Module, OpId, Type, ValueId};

use crate::directives::Partition;
use crate::types::{ArrayType, Fixed, Scalar};

fn array_of(m: &Module, v: ValueId) -> Result<ArrayType, String> {
    ArrayType::from_type(m.ty(v)).ok_or_else(|| format!("expected an hls array, found {}", m.ty(v)))
}

fn numeric(m: &Module, v: ValueId) -> Result<Fixed, String> {
    Scalar::of(m.ty(v)).and_then(|s| s.as_fixed()).ok_or_else(|| format!("expected a fixed-point or integer value, found {}", m.ty(v)))
}

fn check_partition(m: &Module, op: OpId, rank: usize) -> Result<(), String> {
    let mode = m.attr(op, "partition").and_then(Attribute::as_str);
    let factor = m.attr(op, "factor").and_then(Attribute::as_int);
    let dim = m.attr(op, "dim").and_then(Attribute::as_int);
    match mode {
        Some(mode) => Partition::new(mode, factor, dim)?.map_or(Ok(()), |p| p.check_rank(rank)),
        None if factor.is_some() || dim.is_some() => Err("'factor' and 'dim' need a 'partition' mode".into()),
        None => Ok(()),
    }
}

pub(crate) fn verify_alloca(m: &Module, op: OpId) -> Result<(), String> {
    let a = array_of(m, m.result(op, 0))?;
    check_partition(m, op, a.dims.len())
}

pub(crate) fn verify_rom(m: &Module, op: OpId) -> Result<(), String> {
    let a = array_of(m, m.result(op, 0))?;
    if let Some(st) = crate::Rom(op).storage(m) {
        if !["bram", "lutram"].contains(&st) {
            return Err(format!("storage '{st}' is not bram or lutram (a ROM cannot be initialised in URAM)"));
        }
    }
    let rom = crate::Rom(op);
    let value = rom.value(m);
    if a.elem == Type::F32 {
        if value.kind != ElementKind::F32 || value.ty.shape() != Some(&a.dims[..]) {
            return Err(format!("an f32 array needs f32 values of dimensions {:?}, found {}", a.dims, value.ty));
        }
        return check_partition(m, op, a.dims.len());
    }
    if !matches!(value.kind, ElementKind::Int(_)) {
        return Err(format!("'value' must hold integer mantissas, found {}", value.ty));
    }
    if value.ty.shape() != Some(&a.dims[..]) {
        return Err(format!("'value' has type {} but the array has dimensions {:?}", value.ty, a.dims));
    }
    let range = match Scalar::of(&a.elem) {
        Some(s @ (Scalar::Fixed(_) | Scalar::Int { .. })) => s.as_fixed().and_then(|f| f.mantissa_range()),
        _ => return Err(format!("element type {} is not fixed-point or integer", a.elem)),
    };
    if let Some((lo, hi)) = range {
        if let Some(v) = value.to_i64_vec().into_iter().find(|&v| (v as i128) < lo || (v as i128) > hi) {
            return Err(format!("mantissa {v} does not fit in {}", a.elem));
        }
    }
    if let Some(name) = rom.name(m) {
        if !crate::directives::is_c_identifier(name) {
            return Err(format!("name \"{name}\" is not a C identifier"));
        }
    }
    check_partition(m, op, a.dims.len())
}

fn check_indices(a: &ArrayType, n: usize) -> Result<(), String> {
    if n != a.dims.len() {
        return Err(format!("expects {} indices for an array of rank {}, found {n}", a.dims.len(), a.dims.len()));
    }
    Ok(())
}

pub(crate) fn verify_load(m: &Module, op: OpId) -> Result<(), String> {
    let l = crate::Load(op);
    let a = array_of(m, l.memory(m))?;
    check_indices(&a, l.indices(m).len())?;
    let r = m.ty(l.result(m));
    if *r != a.elem {
        return Err(format!("result type {r} is not the element type {}", a.elem));
    }
    Ok(())
}

pub(crate) fn verify_store(m: &Module, op: OpId) -> Result<(), String> {
    let s = crate::Store(op);
    let a = array_of(m, s.memory(m))?;
    check_indices(&a, s.indices(m).len())?;
    let v = m.ty(s.value(m));
    if *v != a.elem {
        return Err(format!("value type {v} is not the element type {}", a.elem));
    }
    if crate::Rom::defining(m, s.memory(m)).is_some() {
        return Err("cannot store to an 'hls.rom'".into());
    }
    Ok(())
}

pub(crate) fn verify_constant(m: &Module, op: OpId) -> Result<(), String> {
    let c = crate::Constant(op);
    let t = m.ty(c.result(m));
    let v = c.value(m) as i128;
    let (lo, hi) = match Scalar::of(t) {
        Some(Scalar::Bool) => (0, 1),
        Some(s @ (Scalar::Fixed(_) | Scalar::Int { .. })) => {
            let f = s.as_fixed().unwrap_or_else(|| Fixed::new(1, 1, true));
            if f.width + u32::from(!f.signed) > 64 {
                return Err(format!("constants of {t} are not supported (mantissas of more than 64 bits)"));
            }
            f.mantissa_range().unwrap_or((i128::MIN, i128::MAX))
        }
        _ => return Err(format!("result type {t} is not fixed-point, integer or i1")),
    };
    if v < lo || v > hi {
        return Err(format!("mantissa {v} does not fit in {t}"));
    }
    Ok(())
}

/// Float arithmetic: every operand and the result are f32 (`Some(())`), or none is (`None`).
fn float_arith(m: &Module, op: OpId) -> Result<Option<()>, String> {
    let vals: Vec<ValueId> = m.op(op).operands.iter().chain(&m.op(op).results).copied().collect();
    let floats = vals.iter().filter(|&&v| *m.ty(v) == Type::F32).count();
    match floats {
        0 => Ok(None),
        n if n == vals.len() => Ok(Some(())),
        _ => Err("f32 arithmetic needs f32 operands and result (convert with hls.cast first)".into()),
    }
}

pub(crate) fn verify_fconstant(m: &Module, op: OpId) -> Result<(), String> {
    let v = crate::FConstant(op).value(m);
    if !v.is_finite() || (v as f32) as f64 != v {
        return Err(format!("value {v} is not a finite f32"));
    }
    Ok(())
}

fn verify_exact(m: &Module, op: OpId, name: &str, exact: fn(&Fixed, &Fixed) -> Fixed) -> Result<(), String> {
    if float_arith(m, op)?.is_some() {
        return Ok(());
    }
    let (a, b) = (numeric(m, m.operand(op, 0))?, numeric(m, m.operand(op, 1))?);
    let r = numeric(m, m.result(op, 0))?;
    let need = exact(&a, &b);
    if !r.contains(&need) {
        return Err(format!(
            "result type {} cannot hold every exact {name} (needs {})",
            m.ty(m.result(op, 0)),
            need.cpp()
        ));
    }
    Ok(())
}

pub(crate) fn verify_add(m: &Module, op: OpId) -> Result<(), String> {
    verify_exact(m, op, "sum", Fixed::add_type)
}

pub(crate) fn verify_sub(m: &Module, op: OpId) -> Result<(), String> {
    verify_exact(m, op, "difference", Fixed::sub_type)
}

pub(crate) fn verify_mul(m: &Module, op: OpId) -> Result<(), String> {
    verify_exact(m, op, "product", Fixed::mul_type)
}

pub(crate) fn verify_cast(m: &Module, op: OpId) -> Result<(), String> {
    let from = Scalar::of(m.ty(m.operand(op, 0)));
    let to = Scalar::of(m.ty(m.result(op, 0)));
    match (from, to) {
        (Some(Scalar::F32), Some(Scalar::F32)) => Err("cannot cast f32 to f32".into()),
        (Some(Scalar::F32 | Scalar::Fixed(_)), Some(Scalar::Int { .. })) => {
            Err(format!("cannot cast {} to an integer type", m.ty(m.operand(op, 0))))
        }
        _ => Ok(()),
    }
}

pub(crate) fn verify_same_types(m: &Module, op: OpId) -> Result<(), String> {
    let t = m.ty(m.result(op, 0));
    for &v in &m.op(op).operands {
        if m.ty(v) != t {
            return Err(format!("operand type {} differs from the result type {t}", m.ty(v)));
        }
    }
    Ok(())
}

pub(crate) fn verify_cmp(m: &Module, op: OpId) -> Result<(), String> {
    let c = crate::Cmp(op);
    let p = c.predicate(m);
    if !["eq", "ne", "lt", "le", "gt", "ge"].contains(&p) {
        return Err(format!("unknown predicate \"{p}\" (expected eq, ne, lt, le, gt or ge)"));
    }
    let is_index = |v| *m.ty(v) == Type::Index;
    if is_index(c.lhs(m)) != is_index(c.rhs(m)) {
        return Err("cannot compare an index with a number".into());
    }
    let is_f32 = |v| *m.ty(v) == Type::F32;
    if is_f32(c.lhs(m)) != is_f32(c.rhs(m)) {
        return Err("cannot compare an f32 with a fixed-point value (convert first)".into());
    }
    Ok(())
}

pub(crate) fn verify_select(m: &Module, op: OpId) -> Result<(), String> {
    let s = crate::Select(op);
    let t = m.ty(s.result(m));
    for v in [s.true_value(m), s.false_value(m)] {
        if m.ty(v) != t {
            return Err(format!("operand type {} differs from the result type {t}", m.ty(v)));
        }
    }
    Ok(())
}

pub(crate) fn verify_delinearize(m: &Module, op: OpId) -> Result<(), String> {
    let d = crate::DelinearizeIndex(op);
    let basis = d.basis(m);
    if let Some(b) = basis.iter().find(|&&b| b < 1) {
        return Err(format!("basis element {b} is not positive"));
    }
    if basis.len() != m.op(op).results.len() {
        return Err(format!("has {} results for a basis of {} elements", m.op(op).results.len(), basis.len()));
    }
    Ok(())
}

pub(crate) fn verify_stream_alloca(m: &Module, op: OpId) -> Result<(), String> {
    let d = crate::StreamAlloca(op).depth(m);
    if !(1..=1 << 24).contains(&d) {
        return Err(format!("depth {d} is outside 1..=2^24"));
    }
    Ok(())
}

pub(crate) fn verify_stream_access(m: &Module, op: OpId) -> Result<(), String> {
    let s = crate::StreamType::from_type(m.ty(m.operand(op, 0))).ok_or("operand #0 is not a stream")?;
    let a = array_of(m, m.operand(op, 1))?;
    if a != s.beat_array() {
        return Err(format!("the buffer {} must be one beat of the stream: [{}] of {}", m.ty(m.operand(op, 1)), s.lanes, s.elem));
    }
    Ok(())
}

pub(crate) fn verify_affine_index(m: &Module, op: OpId) -> Result<(), String> {
    let coeffs = crate::AffineIndex(op).coeffs(m);
    if coeffs.len() != m.op(op).operands.len() {
        return Err(format!("has {} coefficients for {} indices", coeffs.len(), m.op(op).operands.len()));
    }
    Ok(())
}

pub(crate) fn verify_bitcast(m: &Module, op: OpId) -> Result<(), String> {
    let (a, r) = (numeric(m, m.operand(op, 0))?, numeric(m, m.result(op, 0))?);
    if a.width != r.width || a.signed != r.signed {
        return Err(format!(
            "cannot reinterpret {} as {}: width and signedness must match",
            m.ty(m.operand(op, 0)),
            m.ty(m.result(op, 0))
        ));
    }
    Ok(())
}

pub(crate) fn verify_div(m: &Module, op: OpId) -> Result<(), String> {
    verify_exact(m, op, "quotient", Fixed::div_type)
}

pub(crate) fn verify_index_cast(m: &Module, op: OpId) -> Result<(), String> {
    let a = numeric(m, m.operand(op, 0))?;
    if a.width + u32::from(!a.signed) > 32 {
        return Err(format!("{} may not fit in an index (at most 32 bits, 31 unsigned)", m.ty(m.operand(op, 0))));
    }
    Ok(())
}
