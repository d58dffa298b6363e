//! `nn-to-qdf` for the sliding-window ops: ONNX's NCHW convolution and pooling become qdf's
//! channels-last ops between two `qdf.transpose`s (`to_last`, `to_first`), with padding made an
//! explicit `qdf.pad`. `qdf-layout` then cancels the transposes between layers and absorbs the rest.
//!
//! Invariants: a window op's padding is a `qdf.pad` with 0 (conv, average) or the input type's
//! minimum (max: never a maximum); `ceil_mode`'s last partial window reads extra end padding; an
//! average's divisor per output position is ONNX's count (with or without the padded positions,
//! never the positions past the end padding).

use fpgaopt_ir::shape::transpose_data;
use fpgaopt_ir::{Attribute, DenseElements, DiagResult, InsertPoint, Location, Module, OpId, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf::{self as qdf, FixedType};

use super::rules::{self, Operand};
use super::{err, mantissas_attr, op_err, Converter};

/// `[0, 2, ..., r-1, 1]`: NCHW to channels-last.
pub fn to_last(rank: usize) -> Vec<i64> {
    let mut p = vec![0];
    p.extend(2..rank as i64);
    p.push(1);
    p
}

/// `[0, r-1, 1, ..., r-2]`: channels-last to NCHW.
pub fn to_first(rank: usize) -> Vec<i64> {
    let mut p = vec![0, rank as i64 - 1];
    p.extend(1..rank as i64 - 1);
    p
}

/// A location derived from a layer's: `<name>_<suffix>` (the layer's own file position).
pub fn derived_loc(loc: &Location, suffix: &str) -> Location {
    let name = loc.name().unwrap_or("layer");
    let child = match loc {
        Location::Name { child, .. } => child.clone(),
        Location::Unknown => None,
        other => Some(Box::new(other.clone())),
    };
    Location::Name { name: format!("{name}_{suffix}").into(), child }
}

/// `qdf.transpose` of `x` by `perm`.
pub fn transpose(m: &mut Module, at: InsertPoint, loc: Location, x: ValueId, perm: &[i64]) -> ValueId {
    let s = m.ty(x).shape().unwrap_or(&[]).to_vec();
    let elem = m.ty(x).element().cloned().unwrap_or(Type::F32);
    let shape: Vec<i64> = perm.iter().map(|&p| s[p as usize]).collect();
    let spec = qdf::Transpose::spec(loc).operands([x]).results([Type::tensor(shape, elem)]).attr("perm", Attribute::i64_array(perm));
    let o = m.build(at, spec);
    m.result(o, 0)
}

/// `qdf.pad` of `x` with the mantissa `value`; `x` itself when every pad is 0.
pub fn pad(m: &mut Module, at: InsertPoint, loc: Location, x: ValueId, pads: &[i64], value: i64) -> ValueId {
    if pads.iter().all(|&p| p == 0) {
        return x;
    }
    let s = m.ty(x).shape().unwrap_or(&[]).to_vec();
    let n = s.len();
    let shape: Vec<i64> = (0..n).map(|i| s[i] + pads[i] + pads[n + i]).collect();
    let elem = m.ty(x).element().cloned().unwrap_or(Type::F32);
    let spec = qdf::Pad::spec(loc)
        .operands([x])
        .results([Type::tensor(shape, elem)])
        .attr("pads", Attribute::i64_array(pads))
        .attr("value", Attribute::i64(value));
    let o = m.build(at, spec);
    m.result(o, 0)
}

/// The spatial window of an nn sliding-window op, the channels-last pads of its input (with the
/// extra end padding `ceil_mode` windows read) and its output spatial sizes.
pub struct SpatialWindow {
    pub kernel: Vec<i64>,
    pub strides: Vec<i64>,
    pub dilations: Vec<i64>,
    /// ONNX order over the spatial axes (begin pads, then end pads), as the model gives them.
    pub pads: Vec<i64>,
    /// Channels-last pads of the whole `[N, *S, C]` input, extra end padding included.
    pub last_pads: Vec<i64>,
    pub out: Vec<i64>,
    pub input: Vec<i64>,
}

impl SpatialWindow {
    /// The window of `w` over NCHW input shape `x` producing NCHW result shape `y`.
    pub fn new(w: &nn::Window, x: &[i64], y: &[i64]) -> SpatialWindow {
        let n = x.len() - 2;
        let (input, out) = (x[2..].to_vec(), y[2..].to_vec());
        let mut last_pads = vec![0; 2 * (n + 2)];
        for i in 0..n {
            let reach = w.dilations[i] * (w.kernel[i] - 1) + 1;
            let need = (out[i] - 1) * w.strides[i] + reach;
            let extra = (need - (input[i] + w.pads[i] + w.pads[n + i])).max(0);
            last_pads[1 + i] = w.pads[i];
            last_pads[n + 2 + 1 + i] = w.pads[n + i] + extra;
        }
        SpatialWindow { kernel: w.kernel.clone(), strides: w.strides.clone(), dilations: w.dilations.clone(), pads: w.pads.clone(), last_pads, out, input }
    }

    /// ONNX AveragePool's divisor at every output position (row-major over `out`).
    pub fn divisors(&self, count_include_pad: bool) -> Vec<i64> {
        let n = self.input.len();
        let per_axis: Vec<Vec<i64>> = (0..n)
            .map(|a| {
                (0..self.out[a])
                    .map(|o| {
                        let start = o * self.strides[a] - self.pads[a];
                        let end = start + self.kernel[a];
                        let (lo, hi) = if count_include_pad { (-self.pads[a], self.input[a] + self.pads[n + a]) } else { (0, self.input[a]) };
                        (end.min(hi) - start.max(lo)).max(0)
                    })
                    .collect()
            })
            .collect();
        qdf::semantics::spatial::indices(&self.out).iter().map(|o| (0..n).map(|a| per_axis[a][o[a] as usize]).product::<i64>().max(1)).collect()
    }
}

/// The conv weight `[M, C/g, *K]` as channels-last `[*K, C/g, M]` values.
pub fn weight_to_last(shape: &[i64], values: &[f64]) -> (Vec<i64>, Vec<f64>) {
    let r = shape.len();
    let mut perm: Vec<i64> = (2..r as i64).collect();
    perm.extend([1, 0]);
    let s: Vec<i64> = perm.iter().map(|&p| shape[p as usize]).collect();
    (s, transpose_data(values, shape, &perm))
}

/// The channels-last result type of a window op with NCHW result `y`.
pub(super) fn last_type(y: &Type, f: &FixedType) -> Type {
    let s = y.shape().unwrap_or(&[]);
    let perm = to_last(s.len());
    Type::tensor(perm.iter().map(|&p| s[p as usize]).collect::<Vec<i64>>(), f.to_type())
}

impl Converter<'_> {
    /// A constant of mantissas `vals` of type `t` and shape `shape` before `at`.
    pub(super) fn const_of(&mut self, at: InsertPoint, loc: &Location, shape: &[i64], t: &FixedType, vals: &[i128]) -> DiagResult<ValueId> {
        let d: DenseElements = mantissas_attr(shape, t, vals).map_err(|e| err(loc, e))?;
        Ok(qdf::Constant::build(self.m, at, loc.clone(), Type::tensor(shape.to_vec(), t.to_type()), d).output(self.m))
    }

    /// `nn.conv`, `nn.max_pool`, `nn.average_pool`, `nn.global_average_pool`: channels-last qdf.
    pub(super) fn window_op(&mut self, op: OpId, out_f: FixedType, weight_f: FixedType, bias_f: FixedType) -> DiagResult<ValueId> {
        let loc = self.m.op(op).loc.clone();
        let name = self.m.op(op).name();
        let at = InsertPoint::Before(op);
        let ops = self.m.op(op).operands.clone();
        let res_ty = self.m.ty(self.m.result(op, 0)).clone();
        let x = self.get(ops[0], op, &self.s.precision)?;
        let xs = self.m.ty(x).shape().unwrap_or(&[]).to_vec();
        let r = xs.len();
        let tx = self.fixed(x);
        let window = match name {
            "nn.global_average_pool" => nn::Window::unit(xs[2..].to_vec()),
            _ => {
                let kernel = (name == "nn.conv").then(|| self.m.ty(ops[1]).shape().unwrap_or(&[]).get(2..).unwrap_or(&[]).to_vec());
                nn::spatial::window_of(self.m, op, kernel).map_err(|e| op_err(&loc, name, e))?
            }
        };
        let w = SpatialWindow::new(&window, &xs, res_ty.shape().unwrap_or(&[]));
        let xt = transpose(self.m, at, derived_loc(&loc, "to_last"), x, &to_last(r));
        let pad_value = if name == "nn.max_pool" { tx.min_mantissa() as i64 } else { 0 };
        let xp = pad(self.m, at, derived_loc(&loc, "pad"), xt, &w.last_pads, pad_value);
        let out = last_type(&res_ty, &out_f);
        let ints = |v: &[i64]| Attribute::i64_array(v);
        let y = match name {
            "nn.conv" => {
                let wc = nn::Constant::defining(self.m, ops[1]).ok_or_else(|| op_err(&loc, name, "the weight must be a constant"))?;
                let d = wc.value(self.m);
                let (ws, wv) = weight_to_last(d.ty.shape().unwrap_or(&[]), &d.to_f64_vec());
                let wq = rules::quantize_const(&wv, &weight_f);
                let bc = nn::Constant::defining(self.m, ops[2]).ok_or_else(|| op_err(&loc, name, "the bias must be a constant"))?;
                let bq = rules::quantize_const(&bc.value(self.m).to_f64_vec(), &bias_f);
                let m_out = *ws.last().unwrap_or(&1) as usize;
                let k = wq.len() / m_out.max(1);
                let acc = match self.s.layer(&loc).acc {
                    Some(a) => a,
                    None => rules::dense_acc(&tx, &Operand { ty: weight_f, values: Some(&wq) }, &Operand { ty: bias_f, values: Some(&bq) }, k, m_out)
                        .map_err(|e| op_err(&loc, name, e))?,
                };
                let wv = self.const_of(at, &loc, &ws, &weight_f, &wq)?;
                let bv = self.const_of(at, &loc, &[m_out as i64], &bias_f, &bq)?;
                let spec = qdf::Conv::spec(loc.clone())
                    .operands([xp, wv, bv])
                    .results([out])
                    .attr("strides", ints(&w.strides))
                    .attr("dilations", ints(&w.dilations))
                    .attr("group", Attribute::i64(nn::Conv(op).group(self.m)))
                    .attr("acc_type", Attribute::Type(acc.to_type()));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
            "nn.max_pool" => {
                let spec = qdf::MaxPool::spec(loc.clone())
                    .operands([xp])
                    .results([out])
                    .attr("kernel", ints(&w.kernel))
                    .attr("strides", ints(&w.strides))
                    .attr("dilations", ints(&w.dilations));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
            _ => {
                let include = name == "nn.average_pool" && nn::AveragePool(op).count_include_pad(self.m);
                let divisors = w.divisors(include);
                let size: i64 = w.kernel.iter().product();
                let acc = rules::signed_type_for(rules::max_abs(&tx).saturating_mul(size as u128), tx.frac_bits());
                // The reciprocal carries 10 fractional bits more than the result, so its rounding
                // moves a result by at most a window's sum times 2^-(F+11): the mean's error stays
                // within a few result steps for any input the sum's type holds.
                let rf = (out_f.frac_bits() + 10).clamp(1, 60);
                let recip = FixedType::unsigned(rf as u32 + 1, 1);
                let dd = DenseElements::from_ints(&w.out, Type::int(64), &divisors).map_err(|e| err(&loc, e))?;
                let spec = qdf::AvgPool::spec(loc.clone())
                    .operands([xp])
                    .results([out])
                    .attr("kernel", ints(&w.kernel))
                    .attr("strides", ints(&w.strides))
                    .attr("dilations", ints(&w.dilations))
                    .attr("divisors", Attribute::Dense(dd))
                    .attr("acc_type", Attribute::Type(acc.to_type()))
                    .attr("recip_type", Attribute::Type(recip.to_type()));
                let o = self.m.build(at, spec);
                self.m.result(o, 0)
            }
        };
        Ok(transpose(self.m, at, derived_loc(&loc, "to_first"), y, &to_first(r)))
    }

    /// `nn.pad` (constant mode) on the tensor as it is; the value quantized to the input's type.
    pub(super) fn pad_op(&mut self, op: OpId) -> DiagResult<ValueId> {
        let loc = self.m.op(op).loc.clone();
        let x = self.get(self.m.operand(op, 0), op, &self.s.precision)?;
        let p = nn::Pad(op);
        let (pads, value) = (p.pads(self.m), p.value(self.m));
        let v = rules::quantize_const(&[value], &self.fixed(x))[0] as i64;
        Ok(pad(self.m, InsertPoint::Before(op), loc, x, &pads, v))
    }

    /// `nn.transpose`: wiring.
    pub(super) fn transpose_op(&mut self, op: OpId) -> DiagResult<ValueId> {
        let loc = self.m.op(op).loc.clone();
        let x = self.get(self.m.operand(op, 0), op, &self.s.precision)?;
        let perm = nn::Transpose(op).perm(self.m);
        Ok(transpose(self.m, InsertPoint::Before(op), loc, x, &perm))
    }
}
