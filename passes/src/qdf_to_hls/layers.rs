//! One hls function per qdf layer op: loops over the output, exact arithmetic, one `hls.cast` where
//! `qdf.semantics` applies `convert<T>`.

use fpgaopt_hls::{ArrayType, Fixed};
use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, Module, OpId, Type, ValueId};
use fpgaopt_qdf::FixedType;

use super::builder::{int_type, signed_bits, FnBuilder, LoopKind::*};
use super::lookup::Table;
use super::Config;

/// The hls twin of a qdf fixed type.
pub(crate) fn hls_fixed(t: &FixedType) -> Fixed {
    Fixed::new(t.width, t.int_bits as i64, t.signed).with_modes(t.rounding.name(), t.overflow.name())
}

/// The hls element type of a tensor element type (`f32` or `!qdf.fixed`).
pub(crate) fn hls_elem(t: &Type) -> Option<Type> {
    match t {
        Type::Float(fpgaopt_ir::FloatKind::F32) => Some(Type::F32),
        _ => FixedType::from_type(t).map(|f| hls_fixed(&f).to_type()),
    }
}

/// The array type of a tensor value.
pub(crate) fn array_type(t: &Type) -> Option<Type> {
    Some(ArrayType::new(t.shape()?.to_vec(), hls_elem(t.element()?)?).to_type())
}

fn shape(m: &Module, v: ValueId) -> Vec<i64> {
    m.ty(v).shape().map(<[i64]>::to_vec).unwrap_or_default()
}

fn elem(m: &Module, v: ValueId) -> Type {
    m.ty(v).element().and_then(hls_elem).unwrap_or(Type::F32)
}

fn qdf_type_attr(m: &Module, op: OpId, name: &str) -> DiagResult<FixedType> {
    m.attr(op, name)
        .and_then(Attribute::as_type)
        .and_then(FixedType::from_type)
        .ok_or_else(|| Diagnostic::error(m.op(op).loc.clone(), format!("'{}' op needs a !qdf.fixed '{name}'", m.op(op).name())))
}

fn int_attr(m: &Module, op: OpId, name: &str) -> Option<i64> {
    m.attr(op, name).and_then(Attribute::as_int)
}

fn table_of(m: &Module, op: OpId, samples: &str, ty: &str) -> DiagResult<Table> {
    let d = m.attr(op, samples).and_then(Attribute::as_dense).ok_or_else(|| Diagnostic::error(m.op(op).loc.clone(), format!("missing '{samples}'")))?;
    Ok(Table {
        samples: d.to_i64_vec(),
        ty: hls_fixed(&qdf_type_attr(m, op, ty)?),
        lo: int_attr(m, op, "lo").unwrap_or(0),
        step_shift: int_attr(m, op, "step_shift").unwrap_or(0) as u32,
    })
}

/// The operand names of an op, used for argument and rom names.
fn roles(name: &str) -> &'static [&'static str] {
    match name {
        "qdf.dense" | "qdf.fdense" | "qdf.conv" | "qdf.fconv" => &["x", "w", "b"],
        "qdf.matmul" | "qdf.add" | "qdf.sub" | "qdf.mul" | "qdf.fadd" | "qdf.fsub" | "qdf.fmul" | "qdf.fdiv" => &["a", "b"],
        _ => &["x"],
    }
}

/// True when `v` is a qdf constant (fixed or f32): a rom, not a layer.
pub(crate) fn is_constant(m: &Module, v: ValueId) -> bool {
    fpgaopt_qdf::Constant::defining(m, v).is_some() || fpgaopt_qdf::FConstant::defining(m, v).is_some()
}

/// The contents of a constant operand: integer mantissas or f32 values.
enum Data {
    Ints(Vec<i64>),
    Floats(Vec<f32>),
}

/// What `hls.layer` says about a layer: name, op, types and shapes of its operands and result.
pub(crate) fn layer_attr(m: &Module, op: OpId, node: &str) -> Attribute {
    let data = m.op(op);
    let mut d: Vec<(String, Attribute)> = vec![
        ("name".into(), Attribute::str(node)),
        ("op".into(), Attribute::str(data.def.mnemonic())),
        ("output_type".into(), Attribute::Type(elem(m, data.results[0]))),
        ("output_shape".into(), Attribute::i64_array(&shape(m, data.results[0]))),
    ];
    for (i, &v) in data.operands.iter().enumerate() {
        let role = match (data.name(), i) {
            ("qdf.dense" | "qdf.fdense" | "qdf.conv" | "qdf.fconv", 1) => "weight",
            ("qdf.dense" | "qdf.fdense" | "qdf.conv" | "qdf.fconv", 2) => "bias",
            (_, 0) => "input",
            _ => "rhs",
        };
        d.push((format!("{role}_type"), Attribute::Type(elem(m, v))));
        d.push((format!("{role}_shape"), Attribute::i64_array(&shape(m, v))));
    }
    for key in ["acc_type", "alpha_type", "table_type", "exp_type", "sum_type"] {
        if let Some(t) = m.attr(op, key).and_then(Attribute::as_type).and_then(FixedType::from_type) {
            let key = if key == "table_type" || key == "exp_type" { "table_type" } else { key };
            d.push((key.into(), Attribute::Type(hls_fixed(&t).to_type())));
        }
    }
    for key in ["axis", "function", "strides", "dilations", "kernel", "group", "perm", "pads", "k_block", "blocksize", "mode", super::transpose_fold::READ_PERM, super::transpose_fold::WRITE_PERM] {
        if let Some(a) = m.attr(op, key) {
            d.push((key.into(), a.clone()));
        }
    }
    d.extend(proven_ranges(m, op));
    d.sort_by(|a, b| a.0.cmp(&b.0));
    Attribute::Dict(d)
}

/// The bounds `qdf-narrow` proved (`qdf.range`, `qdf.acc_range`: mantissa intervals) as
/// `range`/`acc_range` with their real values `range_value`/`acc_range_value` (`m * 2^-F`).
fn proven_ranges(m: &Module, op: OpId) -> Vec<(String, Attribute)> {
    let out_ty = FixedType::of_tensor(m.ty(m.result(op, 0)));
    let acc_ty = m.attr(op, "acc_type").and_then(Attribute::as_type).and_then(FixedType::from_type);
    let mut d = vec![];
    for (attr, key, ty) in [(fpgaopt_qdf::RANGE_ATTR, "range", out_ty), (fpgaopt_qdf::ACC_RANGE_ATTR, "acc_range", acc_ty)] {
        let (Some(r), Some(t)) = (m.attr(op, attr).and_then(Attribute::as_i64_array), ty) else { continue };
        let values = r.iter().map(|&v| Attribute::f64(t.to_f64(v as i128))).collect();
        d.push((key.to_string(), Attribute::i64_array(&r)));
        d.push((format!("{key}_value"), Attribute::Array(values)));
    }
    d
}

/// Builds the function of one layer op before `before`: one array argument per non-constant operand
/// (in operand order), then the output. Constant operands (`qdf.constant`) become roms named
/// `<name>_<role>`. Returns the function.
pub(crate) fn lower_layer(m: &mut Module, op: OpId, name: &str, node: &str, before: OpId, cfg: &Config) -> DiagResult<OpId> {
    let loc = m.op(op).loc.clone();
    let opname = m.op(op).name();
    let operands = m.op(op).operands.clone();
    let out = m.op(op).results[0];
    let unsupported = |what: &str| Diagnostic::error(loc.clone(), format!("'{opname}' op cannot be lowered to hls: {what}"));
    let mut params = vec![];
    let mut constants = vec![];
    for (i, &v) in operands.iter().enumerate() {
        let role = roles(opname).get(i).copied().unwrap_or("x");
        let data = match (fpgaopt_qdf::Constant::defining(m, v), fpgaopt_qdf::FConstant::defining(m, v)) {
            (Some(c), _) => Some(Data::Ints(c.value(m).to_i64_vec())),
            (_, Some(c)) => Some(Data::Floats(c.value(m).to_f32_vec())),
            _ => None,
        };
        match data {
            Some(d) => constants.push((i, d, shape(m, v), elem(m, v), role)),
            None => params.push((array_type(m.ty(v)).ok_or_else(|| unsupported("operand is not a tensor of f32 or !qdf.fixed"))?, role.to_string())),
        }
    }
    params.push((array_type(m.ty(out)).ok_or_else(|| unsupported("result is not a tensor of f32 or !qdf.fixed"))?, "y".to_string()));
    let layer = layer_attr(m, op, node);
    let attrs: Vec<(String, Attribute)> = m.op(op).attrs.clone();
    let (sx, sy) = (operands.first().map(|&v| shape(m, v)).unwrap_or_default(), shape(m, out));
    let operand_shapes: Vec<Vec<i64>> = operands.iter().map(|&v| shape(m, v)).collect();
    let in_elems: Vec<Type> = operands.iter().map(|&v| elem(m, v)).collect();
    let out_ty = elem(m, out);
    let tables = match opname {
        "qdf.table" => Some(table_of(m, op, "table", "table_type")?),
        "qdf.softmax" => Some(table_of(m, op, "exp_table", "exp_type")?),
        _ => None,
    };
    let acc = match opname {
        "qdf.dense" | "qdf.matmul" | "qdf.conv" | "qdf.avg_pool" => Some(hls_fixed(&qdf_type_attr(m, op, "acc_type")?).to_type()),
        "qdf.softmax" => Some(hls_fixed(&qdf_type_attr(m, op, "sum_type")?).to_type()),
        "qdf.leaky_relu" => Some(hls_fixed(&qdf_type_attr(m, op, "alpha_type")?).to_type()),
        _ => None,
    };
    let attr = |k: &str| attrs.iter().find(|(n, _)| n == k).and_then(|(_, a)| a.as_int());
    let mapping = Mapping::of(&attrs, &sy);

    let (mut b, args) = FnBuilder::new_function(m, name, &params, before, loc.clone());
    b.m.set_attr(b.func, fpgaopt_hls::directives::LAYER, layer);
    // Operand arrays: arguments, or roms for constants.
    let mut arrays = vec![];
    let mut next_arg = args.iter();
    for i in 0..operands.len() {
        if let Some((_, values, dims, ety, role)) = constants.iter().find(|c| c.0 == i) {
            let partition = match (cfg.parallel, opname, i) {
                (true, _, _) => Some(("complete", 0)),
                (false, "qdf.dense" | "qdf.fdense", 1) => Some(("complete", 1)),
                _ => None,
            };
            let partition = partition.filter(|_| !dims.is_empty());
            let rom_name = format!("{name}_{role}");
            arrays.push(match values {
                Data::Ints(v) => b.rom(v, dims, ety.clone(), &rom_name, partition),
                Data::Floats(v) => b.from(v, dims, &rom_name, partition),
            });
        } else {
            arrays.push(*next_arg.next().expect("one argument per non-constant operand"));
        }
    }
    let y = *args.last().expect("the output argument");
    let x = arrays[0];
    match opname {
        "qdf.quantize" | "qdf.dequantize" | "qdf.cast" => map(&mut b, x, y, &mapping, |b, v| b.cast(v, &out_ty)),
        "qdf.relu" => {
            let zero = b.constant(&in_elems[0], 0);
            map(&mut b, x, y, &mapping, |b, v| {
                let r = b.max(v, zero);
                b.cast(r, &out_ty)
            })
        }
        "qdf.leaky_relu" => {
            let alpha_ty = acc.clone().unwrap_or(Type::F32);
            let alpha = b.constant(&alpha_ty, attr("alpha").unwrap_or(0));
            let zero = b.constant(&in_elems[0], 0);
            map(&mut b, x, y, &mapping, |b, v| {
                let pos = b.cmp("ge", v, zero);
                let direct = b.cast(v, &out_ty);
                let p = b.mul(v, alpha);
                let scaled = b.cast(p, &out_ty);
                b.select(pos, direct, scaled)
            })
        }
        "qdf.clip" => {
            let (lo, hi) = (attr("min"), attr("max"));
            let tx = Fixed::from_type(&in_elems[0]).unwrap_or_else(|| Fixed::new(1, 1, true));
            let fits = |v: Option<i64>| v.is_none_or(|v| tx.mantissa_range().is_some_and(|(a, z)| (a..=z).contains(&(v as i128))));
            let clamp_ty = if fits(lo) && fits(hi) {
                in_elems[0].clone()
            } else {
                let w = [lo, hi].iter().flatten().map(|&v| signed_bits(v as i128)).fold(tx.width + u32::from(!tx.signed), u32::max);
                Fixed::new(w, w as i64 - tx.frac_bits(), true).to_type()
            };
            let lo = lo.map(|v| b.constant(&clamp_ty, v));
            let hi = hi.map(|v| b.constant(&clamp_ty, v));
            map(&mut b, x, y, &mapping, |b, v| {
                let mut v = b.cast(v, &clamp_ty);
                if let Some(lo) = lo {
                    v = b.max(v, lo);
                }
                if let Some(hi) = hi {
                    v = b.min(v, hi);
                }
                b.cast(v, &out_ty)
            })
        }
        "qdf.table" => {
            let t = tables.expect("table attributes");
            let roms = t.roms(&mut b, &format!("{name}_table"));
            map(&mut b, x, y, &mapping, |b, v| {
                let r = t.lookup(b, &roms, v);
                b.cast(r, &out_ty)
            })
        }
        "qdf.add" | "qdf.sub" | "qdf.mul" | "qdf.fadd" | "qdf.fsub" | "qdf.fmul" | "qdf.fdiv" => {
            let saved = b.at;
            let (ivs, src, dst) = mapping.indices(&mut b);
            // A constant broadcasts against the op's own indices; an array operand is read through
            // the mapping when the op absorbed a transpose (then the other one is a constant).
            let mut vals = vec![];
            for i in 0..2 {
                let is_const = constants.iter().any(|c| c.0 == i);
                let idx = if is_const || mapping.read.is_none() { broadcast(&mut b, &ivs, &operand_shapes[i]) } else { src.clone() };
                vals.push(b.load(arrays[i], &idx));
            }
            let (va, vb) = (vals[0], vals[1]);
            let r = match opname {
                "qdf.add" => b.add(va, vb),
                "qdf.sub" => b.sub(va, vb),
                "qdf.mul" => b.mul(va, vb),
                "qdf.fadd" => b.farith('+', va, vb),
                "qdf.fsub" => b.farith('-', va, vb),
                "qdf.fmul" => b.farith('*', va, vb),
                _ => b.farith('/', va, vb),
            };
            let r = b.cast(r, &out_ty);
            b.store(r, y, &dst);
            b.at = saved;
        }
        "qdf.dense" => dense(&mut b, &arrays, y, &sx, &operand_shapes[1], acc.as_ref(), &out_ty),
        "qdf.frelu" => {
            let zero = b.fconst(0.0);
            map(&mut b, x, y, &mapping, |b, v| b.max(v, zero))
        }
        "qdf.fdense" => {
            let order = attrs.iter().find(|(n, _)| n == "order").and_then(|(_, a)| a.as_str()).unwrap_or("mlas_packed").to_string();
            let bias_first = attrs.iter().any(|(n, a)| n == "bias_first" && a.as_bool() == Some(true));
            let rows: i64 = sx[..sx.len() - 1].iter().product();
            if (order == "mlas_packed" || rows > 1) && operand_shapes[1][0] > 256 {
                let func = b.func;
                b.m.erase(func);
                return Err(unsupported("the mlas_packed order over more than one block of 256 products is not lowered yet"));
            }
            super::float::fdense(&mut b, &arrays, y, &sx, &operand_shapes[1], &order, bias_first);
        }
        "qdf.fsoftmax" => {
            let axis = attr("axis").unwrap_or(-1).rem_euclid(sy.len().max(1) as i64) as usize;
            super::float::fsoftmax(&mut b, x, y, &sy, axis, cfg);
        }
        "qdf.fquant" => super::float::fquant(&mut b, x, y, &sy, &attrs, &out_ty, name),
        "qdf.threshold" => super::requant::threshold(&mut b, x, y, &sy, &attrs, &in_elems[0], &out_ty, name),
        "qdf.requant" => super::requant::requant(&mut b, x, y, &sy, &attrs, &in_elems[0], &out_ty, name),
        "qdf.matmul" => matmul(&mut b, &arrays, y, &operand_shapes, &sy, acc.as_ref(), &out_ty),
        "qdf.softmax" => {
            let t = tables.expect("softmax attributes");
            let axis = attr("axis").unwrap_or(-1).rem_euclid(sy.len().max(1) as i64) as usize;
            super::softmax::softmax(&mut b, &t, x, y, &sy, axis, acc.as_ref(), &out_ty, cfg, name)?;
        }
        "qdf.reshape" => {
            let n: i64 = sy.iter().product();
            let saved = b.at;
            let f = if n == 1 { b.index(0) } else { b.for_loop(n, Pipelined, "f") };
            let src = b.delinearize(f, &sx);
            let dst = b.delinearize(f, &sy);
            let v = b.load(x, &src);
            b.store(v, y, &dst);
            b.at = saved;
        }
        "qdf.conv" | "qdf.max_pool" | "qdf.avg_pool" => {
            let ints = |k: &str| attrs.iter().find(|(n, _)| n == k).and_then(|(_, a)| a.as_i64_array()).unwrap_or_default();
            let kernel = if opname == "qdf.conv" { operand_shapes[1][..operand_shapes[1].len() - 2].to_vec() } else { ints("kernel") };
            let win = super::spatial::Win { kernel, strides: ints("strides"), dilations: ints("dilations") };
            match opname {
                "qdf.conv" => {
                    let acc_ty = acc.clone().unwrap_or(Type::F32);
                    super::spatial::conv(&mut b, &arrays, y, &operand_shapes[1], &sy, &win, attr("group").unwrap_or(1), &acc_ty, &out_ty)
                }
                "qdf.max_pool" => super::spatial::pool(&mut b, x, y, &sy, &win, None, &in_elems[0], &out_ty, name),
                _ => {
                    let acc_ty = acc.clone().unwrap_or(Type::F32);
                    let recip = qdf_type_attr(b.m, op, "recip_type")?;
                    let d = attrs.iter().find(|(n, _)| n == "divisors").and_then(|(_, a)| a.as_dense()).map(|d| d.to_i64_vec()).unwrap_or_default();
                    super::spatial::pool(&mut b, x, y, &sy, &win, Some((&acc_ty, &recip, &d)), &in_elems[0], &out_ty, name)
                }
            }
        }
        "qdf.pad" => {
            let pads = attrs.iter().find(|(n, _)| n == "pads").and_then(|(_, a)| a.as_i64_array()).unwrap_or_default();
            let value = if out_ty == Type::F32 { b.fconst(0.0) } else { b.constant(&out_ty, attr("value").unwrap_or(0)) };
            super::spatial::pad(&mut b, x, y, &sx, &sy, &pads, value)
        }
        "qdf.transpose" => {
            let perm = attrs.iter().find(|(n, _)| n == "perm").and_then(|(_, a)| a.as_i64_array()).unwrap_or_default();
            super::spatial::transpose(&mut b, x, y, &sy, &perm)
        }
        "qdf.resize" => {
            let maps = attrs.iter().find(|(n, _)| n == "indices").and_then(|(_, a)| a.as_dense()).map(|d| d.to_i64_vec()).unwrap_or_default();
            super::resample::resize(&mut b, x, y, &sx, &sy, &maps, name)
        }
        "qdf.depth_to_space" | "qdf.space_to_depth" => {
            let crd = attrs.iter().any(|(n, a)| n == "mode" && a.as_str() == Some("CRD"));
            super::resample::shuffle(&mut b, x, y, &sx, &sy, attr("blocksize").unwrap_or(1), crd, opname == "qdf.depth_to_space")
        }
        "qdf.fconv" => {
            let ints = |k: &str| attrs.iter().find(|(n, _)| n == k).and_then(|(_, a)| a.as_i64_array()).unwrap_or_default();
            let sw = &operand_shapes[1];
            let win = super::spatial::Win { kernel: sw[..sw.len() - 2].to_vec(), strides: ints("strides"), dilations: ints("dilations") };
            super::resample::fconv(&mut b, &arrays, y, sw, &sy, &win, attr("group").unwrap_or(1), attr("k_block").unwrap_or(1))
        }
        "qdf.concat" => {
            let axis = attr("axis").unwrap_or(-1).rem_euclid(sy.len().max(1) as i64) as usize;
            let mut offset = 0;
            for (i, sx) in operand_shapes.iter().enumerate() {
                copy_along(&mut b, (arrays[i], 0), (y, offset), sx, axis, sx[axis]);
                offset += sx[axis];
            }
        }
        "qdf.slice" => {
            let axis = attr("axis").unwrap_or(-1).rem_euclid(sy.len().max(1) as i64) as usize;
            copy_along(&mut b, (x, attr("start").unwrap_or(0)), (y, 0), &sy, axis, sy[axis]);
        }
        other => {
            let func = b.func;
            b.m.erase(func);
            return Err(Diagnostic::error(loc, format!("'{other}' op cannot be lowered to hls")));
        }
    }
    let func = b.func;
    let loops = std::mem::take(&mut b.loops);
    drop(b);
    super::apply_directives(m, func, &loops, cfg, false);
    Ok(func)
}

/// Copies `n` elements along `axis` from `src` (from its offset) to `dst` (from its offset), for
/// every index of the other axes of `dims` (loops). The `n` copies are unrolled with constant
/// indices, as hls has no index arithmetic: wiring for `qdf.slice` and `qdf.concat`.
fn copy_along(b: &mut FnBuilder<'_>, src: (ValueId, i64), dst: (ValueId, i64), dims: &[i64], axis: usize, n: i64) {
    let saved = b.at;
    let outer: Vec<i64> = dims.iter().enumerate().filter(|&(k, _)| k != axis).map(|(_, &d)| d).collect();
    let ivs = if outer.is_empty() { vec![] } else { b.loop_nest(&outer, Pipelined, &["i", "j", "k", "l", "n"]) };
    for j in 0..n {
        let (mut from, mut to) = (ivs.clone(), ivs.clone());
        from.insert(axis, b.index(src.1 + j));
        to.insert(axis, b.index(dst.1 + j));
        let v = b.load(src.0, &from);
        b.store(v, dst.0, &to);
    }
    b.at = saved;
}

/// The positions an elementwise layer reads and writes: the same index in both, or through a
/// transpose folded into it (`transpose_fold.rs`).
pub(crate) struct Mapping {
    /// The loops: the shape the elementwise op itself works on.
    dims: Vec<i64>,
    /// `read_perm` p: the layer reads `x = T^-1` of its logical operand, at `x[a] = i[p^-1[a]]`.
    read: Option<Vec<i64>>,
    /// `write_perm` q: the layer stores `T(result, q)`, at `y[k] = i[q[k]]`.
    write: Option<Vec<i64>>,
}

impl Mapping {
    /// The mapping of a layer with attributes `attrs` and result shape `sy`.
    fn of(attrs: &[(String, Attribute)], sy: &[i64]) -> Mapping {
        let perm = |k: &str| attrs.iter().find(|(n, _)| n == k).and_then(|(_, a)| a.as_i64_array());
        let (read, write) = (perm(super::transpose_fold::READ_PERM), perm(super::transpose_fold::WRITE_PERM));
        // Written through q, the op's own result has `dims[q[k]] = sy[k]`.
        let mut dims = sy.to_vec();
        if let Some(q) = &write {
            for (k, &a) in q.iter().enumerate() {
                dims[a as usize] = sy[k];
            }
        }
        Mapping { dims, read, write }
    }

    /// Loops over [`dims`](Self::dims) at `b.at`; returns their indices, the array operand's
    /// indices and the result's.
    fn indices(&self, b: &mut FnBuilder<'_>) -> (Vec<ValueId>, Vec<ValueId>, Vec<ValueId>) {
        let ivs = b.loop_nest(&self.dims, Pipelined, &["i", "j", "k", "l", "n"]);
        let mut src = ivs.clone();
        if let Some(p) = &self.read {
            for (k, &a) in p.iter().enumerate() {
                src[a as usize] = ivs[k];
            }
        }
        let dst = match &self.write {
            Some(q) => q.iter().map(|&a| ivs[a as usize]).collect(),
            None => ivs.clone(),
        };
        (ivs, src, dst)
    }
}

/// `y[i] = f(x[i])` over every element, read and written through [`Mapping`]'s permutations.
pub(crate) fn map(b: &mut FnBuilder<'_>, x: ValueId, y: ValueId, at: &Mapping, f: impl FnOnce(&mut FnBuilder<'_>, ValueId) -> ValueId) {
    let saved = b.at;
    let (_, src, dst) = at.indices(b);
    let v = b.load(x, &src);
    let r = f(b, v);
    b.store(r, y, &dst);
    b.at = saved;
}

/// The indices of a numpy-broadcast operand of shape `s` for output indices `ivs`.
pub(crate) fn broadcast(b: &mut FnBuilder<'_>, ivs: &[ValueId], s: &[i64]) -> Vec<ValueId> {
    let off = ivs.len() - s.len();
    s.iter().enumerate().map(|(i, &d)| if d == 1 { b.index(0) } else { ivs[i + off] }).collect()
}

/// `qdf.dense`: `acc = b[j]; acc = acc + x[k] * w[k][j] (k ascending); y[j] = acc`.
fn dense(b: &mut FnBuilder<'_>, arrays: &[ValueId], y: ValueId, sx: &[i64], sw: &[i64], acc: Option<&Type>, out: &Type) {
    let (x, w, bias) = (arrays[0], arrays[1], arrays[2]);
    let acc_ty = acc.cloned().unwrap_or(Type::F32);
    let (k_n, n) = (sw[0], sw[1]);
    let saved = b.at;
    let mut rows = b.loop_nest(&sx[..sx.len() - 1], Outer, &["r", "s", "t"]);
    let j = if n == 1 { b.index(0) } else { b.for_loop(n, Pipelined, "j") };
    let a = b.alloca(&[], acc_ty.clone(), "acc", false);
    let bj = b.load(bias, &[j]);
    let bj = b.cast(bj, &acc_ty);
    b.store(bj, a, &[]);
    let inner = b.at;
    let k = if k_n == 1 { b.index(0) } else { b.for_loop(k_n, Inner, "k") };
    rows.push(k);
    let xv = b.load(x, &rows);
    let wv = b.load(w, &[k, j]);
    let p = b.mul(xv, wv);
    let av = b.load(a, &[]);
    let s = b.add(av, p);
    let s = b.cast(s, &acc_ty);
    b.store(s, a, &[]);
    b.at = inner;
    let r = b.load(a, &[]);
    let r = b.cast(r, out);
    rows.pop();
    rows.push(j);
    b.store(r, y, &rows);
    b.at = saved;
}

/// `qdf.matmul` with numpy shapes: `acc = 0; acc = acc + a[.., i, k] * b[.., k, j]; y = acc`.
fn matmul(b: &mut FnBuilder<'_>, arrays: &[ValueId], y: ValueId, shapes: &[Vec<i64>], sy: &[i64], acc: Option<&Type>, out: &Type) {
    let (sa, sb) = (&shapes[0], &shapes[1]);
    let acc_ty = acc.cloned().unwrap_or(Type::F32);
    let k_n = sa[sa.len() - 1];
    let saved = b.at;
    let ivs = b.loop_nest(sy, Pipelined, &["i", "j", "l", "n"]);
    let nb = sy.len() - usize::from(sa.len() > 1) - usize::from(sb.len() > 1);
    let a = b.alloca(&[], acc_ty.clone(), "acc", false);
    let zero = b.constant(&acc_ty, 0);
    b.store(zero, a, &[]);
    let inner = b.at;
    let k = if k_n == 1 { b.index(0) } else { b.for_loop(k_n, Inner, "k") };
    let batch = |b: &mut FnBuilder<'_>, s: &[i64]| -> Vec<ValueId> {
        let nbs = s.len() - 2;
        (0..nbs).map(|d| if s[d] == 1 { b.index(0) } else { ivs[d + nb - nbs] }).collect()
    };
    let ia = if sa.len() == 1 {
        vec![k]
    } else {
        let mut v = batch(b, sa);
        v.extend([ivs[nb], k]);
        v
    };
    let ib = if sb.len() == 1 {
        vec![k]
    } else {
        let mut v = batch(b, sb);
        v.extend([k, ivs[sy.len() - 1]]);
        v
    };
    let av = b.load(arrays[0], &ia);
    let bv = b.load(arrays[1], &ib);
    let p = b.mul(av, bv);
    let cur = b.load(a, &[]);
    let s = b.add(cur, p);
    let s = b.cast(s, &acc_ty);
    b.store(s, a, &[]);
    b.at = inner;
    let r = b.load(a, &[]);
    let r = b.cast(r, out);
    b.store(r, y, &ivs);
    b.at = saved;
}

/// The integer type of a fixed value's mantissa.
pub(crate) fn mantissa_type(f: &Fixed) -> Type {
    int_type(f.width, f.signed)
}
