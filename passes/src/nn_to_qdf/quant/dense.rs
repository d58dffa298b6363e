//! `nn.dense` in a quantized model.
//!
//! - Float input: `qdf.fdense` in the reference kernel's summation order (exact).
//! - Exact fixed input, weights on a power-of-two grid (any f32 constants are: the grid of the finest
//!   one; per-channel power-of-two scales become exact per-column shifts of one grid): an integer
//!   `qdf.dense`. When every partial sum, bias included, fits 24 significant bits on the common grid
//!   (the value-based accumulator bound below 2^24 LSBs) the reference's float32 sum is exact in any
//!   order, so the result is exact fixed point. When only the products' sum fits and the reference
//!   adds the bias last (MatMul + Add; Gemm in the `mlas_m1_transposed` order, or `mlas_packed` with
//!   K <= 256), the bias is added in float32 after an exact dequantization, as the reference does.
//!   Otherwise the exact sum is kept and the layer is reported as not provably exact.
//! - Weights not on a narrow power-of-two grid (non-power-of-two quantizer scales) are integer codes
//!   times a per-column scale ([`super::grid::recover_codes`]); the accumulator is then a scaled
//!   value, and a bias that is an integer number of accumulator units (ONNX int32 biases) joins it.

use fpgaopt_ir::{Attribute, DiagResult, InsertPoint, Location, OpId, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf::semantics::float::DenseOrder;
use fpgaopt_qdf::{self as qdf, FixedType};

use super::grid::{self, Grid};
use super::{shape_of, Form, QConverter, QVal};
use crate::nn_to_qdf::{layer_name, op_err};
use crate::nn_to_qdf::rules::{dense_acc, Operand};

/// Weights at most this wide (signed mantissa bits) on their common grid stay fixed point.
const MAX_GRID_WEIGHT_BITS: u32 = 24;
/// Largest |code| tried when recovering integer codes of non-power-of-two weights.
const MAX_CODE: i64 = 1 << 15;

/// The fixed type of a grid's mantissas.
fn grid_type(g: &Grid) -> FixedType {
    FixedType::new(g.width(), g.width() as i32 - g.frac as i32)
}

/// What the dense op needs to know beyond its operands.
struct Layer {
    loc: Location,
    at: InsertPoint,
    k: usize,
    n: usize,
    order: DenseOrder,
    bias_first: bool,
    out_shape: Vec<i64>,
    /// In a fixed-point tail: no float32 step after the accumulator.
    fixed: bool,
}

impl Layer {
    /// True when the reference adds the bias to the finished sum of products (one rounding).
    fn bias_last(&self) -> bool {
        !self.bias_first || self.order == DenseOrder::M1Transposed || (self.order == DenseOrder::Packed && self.k <= 256)
    }
}

impl QConverter<'_> {
    pub(super) fn dense(&mut self, op: OpId) -> DiagResult<QVal> {
        let m: &fpgaopt_ir::Module = &*self.base.m;
        let loc = m.op(op).loc.clone();
        let d = nn::Dense(op);
        let (Some((ws, w)), Some((_, b))) = (self.constant(d.weight(m)), self.constant(d.bias(m))) else {
            return Err(op_err(&loc, "nn.dense", "weights and bias of a quantized model must be constants"));
        };
        let order = d.order(m).and_then(DenseOrder::parse).unwrap_or(DenseOrder::Packed);
        let rows: i64 = shape_of(m, d.input(m)).iter().rev().skip(1).product();
        let l = Layer {
            loc,
            at: InsertPoint::Before(op),
            k: ws[0] as usize,
            n: ws[1] as usize,
            order: if rows == 1 { order } else { DenseOrder::Packed },
            bias_first: d.bias_first(m).unwrap_or(false),
            out_shape: shape_of(m, d.output(m)),
            fixed: self.fixed_tail && self.tail.contains(&op),
        };
        let x = self.val(d.input(m), op)?;
        // After the last quantizer (float-tail=exact-f32), or everywhere with inexact-sums=float32,
        // a layer the integer path would only approximate is the reference's own float32 dense.
        let in_tail = self.tail.contains(&op);
        let float_sums = (in_tail && !self.fixed_tail) || self.float_sums;
        if float_sums && !self.integer_dense_is_exact(&x, &w, &b, &l) {
            let integer_form = matches!(&x.form, Form::Fixed(_)) || matches!(&x.form, Form::Scaled(_, s) if s.len() == 1);
            if !in_tail && integer_form {
                self.float_layers.push(layer_name(&l.loc).unwrap_or("?").to_string());
            }
            let xf = self.float_of(&x, l.at, &l.loc);
            return self.float_dense(xf, x.exact, &w, &b, &l);
        }
        match &x.form {
            Form::Fixed(v) => self.fixed_dense(*v, x.exact, &w, &b, &l),
            Form::Scaled(v, s) if s.len() == 1 => self.scaled_dense(*v, s[0], &w, &b, &l),
            _ => {
                let xf = self.float_of(&x, l.at, &l.loc);
                self.float_dense(xf, x.exact, &w, &b, &l)
            }
        }
    }

    /// True when the integer path computes this dense layer exactly as the reference does.
    fn integer_dense_is_exact(&self, x: &QVal, w: &[f32], b: &[f32], l: &Layer) -> bool {
        let Form::Fixed(v) = x.form else { return false };
        let tx = self.fixed_type(v);
        let Some(gw) = grid::grid(&w.iter().map(|&v| v as f64).collect::<Vec<_>>(), MAX_GRID_WEIGHT_BITS) else { return false };
        let gb = super::grid(&b.iter().map(|&v| v as f64).collect::<Vec<_>>());
        let zero = Grid { frac: 0, mantissas: vec![0; l.n] };
        let fits = |bias: &Grid| {
            dense_acc(&tx, &Operand { ty: grid_type(&gw), values: Some(&gw.mantissas) }, &Operand { ty: grid_type(bias), values: Some(&bias.mantissas) }, l.k, l.n)
                .is_ok_and(|a| a.width <= 25)
        };
        fits(&gb) || (fits(&zero) && (l.bias_last() || b.iter().all(|&v| v == 0.0)))
    }

    /// `qdf.fdense`, the reference's own float32 computation.
    fn float_dense(&mut self, x: ValueId, exact: bool, w: &[f32], b: &[f32], l: &Layer) -> DiagResult<QVal> {
        let wc = self.fconst(l.at, &l.loc, &[l.k as i64, l.n as i64], w);
        let bc = self.fconst(l.at, &l.loc, &[l.n as i64], b);
        let mut spec = qdf::FDense::spec(l.loc.clone())
            .operands([x, wc, bc])
            .results([Type::tensor(l.out_shape.clone(), Type::F32)])
            .attr("order", Attribute::str(l.order.name()));
        if l.bias_first {
            spec = spec.attr("bias_first", Attribute::Bool(true));
        }
        let o = self.m().build(l.at, spec);
        Ok(QVal::float(self.base.m.result(o, 0), exact))
    }

    /// `qdf.dense(x, w, b)` with an exact accumulator as the result type.
    fn integer_dense(&mut self, x: ValueId, w: &Grid, b: &Grid, l: &Layer) -> DiagResult<(ValueId, FixedType)> {
        let (tx, tw, tb) = (self.fixed_type(x), grid_type(w), grid_type(b));
        let acc = dense_acc(&tx, &Operand { ty: tw, values: Some(&w.mantissas) }, &Operand { ty: tb, values: Some(&b.mantissas) }, l.k, l.n)
            .map_err(|e| op_err(&l.loc, "nn.dense", e))?;
        let wc = self.qconst(l.at, &l.loc, &[l.k as i64, l.n as i64], tw, &w.mantissas)?;
        let bc = self.qconst(l.at, &l.loc, &[l.n as i64], tb, &b.mantissas)?;
        let ty = Type::tensor(l.out_shape.clone(), acc.to_type());
        let y = qdf::Dense::build(self.m(), l.at, l.loc.clone(), x, wc, bc, ty, acc.to_type()).output(self.base.m);
        Ok((y, acc))
    }

    fn fixed_dense(&mut self, x: ValueId, exact: bool, w: &[f32], b: &[f32], l: &Layer) -> DiagResult<QVal> {
        let tx = self.fixed_type(x);
        let wf: Vec<f64> = w.iter().map(|&v| v as f64).collect();
        let gw = grid::grid(&wf, MAX_GRID_WEIGHT_BITS);
        let gb = super::grid(&b.iter().map(|&v| v as f64).collect::<Vec<_>>());
        let zero = Grid { frac: 0, mantissas: vec![0; l.n] };
        // The accumulator bound below 2^24 LSBs (a sign bit and 24 bits): the reference's float32
        // partial sums are exact in any order.
        let fits = |gw: &Grid, bias: &Grid| {
            dense_acc(&tx, &Operand { ty: grid_type(gw), values: Some(&gw.mantissas) }, &Operand { ty: grid_type(bias), values: Some(&bias.mantissas) }, l.k, l.n)
                .is_ok_and(|a| a.width <= 25)
        };
        let zero_bias = b.iter().all(|&v| v == 0.0);
        let provable = gw.as_ref().is_some_and(|g| fits(g, &gb) || (fits(g, &zero) && (l.bias_last() || zero_bias)));
        // Weights that are not provably exact on their grid: integer codes when they are narrower
        // (a non-power-of-two quantizer's codes), else the grid anyway.
        let gw = match gw {
            Some(g) if provable => g,
            other => {
                let codes = grid::recover_codes(w, l.k, l.n, MAX_CODE);
                let narrower = codes.as_ref().is_some_and(|c| {
                    let cw = Grid { frac: 0, mantissas: c.codes.clone() }.width();
                    other.as_ref().is_none_or(|g| cw < g.width())
                });
                match other {
                    Some(g) if !narrower => g,
                    _ => return self.scaled_dense(x, 1.0, w, b, l),
                }
            }
        };
        let (with_bias, without) = (fits(&gw, &gb), fits(&gw, &zero));
        // Every partial sum, bias included, fits 24 bits: exact in any order.
        if with_bias {
            let (y, _) = self.integer_dense(x, &gw, &gb, l)?;
            return Ok(QVal::fixed(y, exact));
        }
        if zero_bias {
            let (y, _) = self.integer_dense(x, &gw, &zero, l)?;
            if !without {
                self.approx(&l.loc, "float32 sums beyond 24 bits");
            }
            return Ok(QVal::fixed(y, exact && without));
        }
        if without && l.bias_last() && !l.fixed {
            // The exact sum, then the reference's one float32 rounding of `sum + b`.
            let (y, _) = self.integer_dense(x, &gw, &zero, l)?;
            let yf = self.dequantize(y, l.at, &l.loc);
            let bc = self.fconst(l.at, &l.loc, &[l.n as i64], b);
            let ty = Type::tensor(l.out_shape.clone(), Type::F32);
            let z = qdf::FAdd::build(self.m(), l.at, l.loc.clone(), yf, bc, ty).output(self.base.m);
            return Ok(QVal::float(z, exact));
        }
        self.approx(&l.loc, "float32 sums beyond 24 bits");
        let (y, _) = self.integer_dense(x, &gw, &gb, l)?;
        Ok(QVal::fixed(y, false))
    }

    /// Integer codes `x` (value `x * s`) times weights that are codes times per-column scales: the
    /// accumulator `A` stands for `A * s * s_w[j]`.
    fn scaled_dense(&mut self, x: ValueId, s: f64, w: &[f32], b: &[f32], l: &Layer) -> DiagResult<QVal> {
        let wf: Vec<f64> = w.iter().map(|&v| v as f64).collect();
        // The narrower of the power-of-two grid and recovered per-column codes.
        let g = grid::grid(&wf, MAX_GRID_WEIGHT_BITS).map(|g| {
            let unit = 2f64.powi(-g.frac as i32);
            (Grid { frac: 0, mantissas: g.mantissas }, vec![unit])
        });
        let c = grid::recover_codes(w, l.k, l.n, MAX_CODE)
            .map(|c| (Grid { frac: 0, mantissas: c.codes }, c.scale.iter().map(|&v| v as f64).collect::<Vec<_>>()));
        let (codes, wscale) = match (g, c) {
            (Some(g), Some(c)) => {
                if c.0.width() < g.0.width() {
                    c
                } else {
                    g
                }
            }
            (Some(g), None) => g,
            (None, Some(c)) => c,
            (None, None) => {
                let q = QVal { form: Form::Scaled(x, vec![s]), exact: true };
                let xf = self.float_of(&q, l.at, &l.loc);
                return self.float_dense(xf, false, w, b, l);
            }
        };
        self.approx(&l.loc, "non-power-of-two scales: the reference rounds its float32 products and sums");
        // The accumulator's value unit is 2^-F_x (the input type's grid) times s * s_w[j].
        let fx = self.fixed_type(x).frac_bits();
        let sigma: Vec<f64> = (0..l.n).map(|j| s * wscale[j % wscale.len()]).collect();
        // A bias that is an integer number of units (ONNX: int32 codes of scale s_x * s_w) joins the sum.
        let unit = |j: usize| (sigma[j] * 2f64.powi(-fx as i32)) as f32;
        let codes_b: Option<Vec<i128>> = b
            .iter()
            .enumerate()
            .map(|(j, &v)| {
                let q = (v as f64 / unit(j) as f64).round();
                (q.abs() < 2f64.powi(40) && (q as f32) * unit(j) == v).then_some(q as i128)
            })
            .collect();
        let scale: Vec<f64> = if sigma.iter().all(|&v| v == sigma[0]) { vec![sigma[0]] } else { sigma.clone() };
        match codes_b {
            Some(bq) => {
                let gb = Grid { frac: fx, mantissas: bq };
                let (y, _) = self.integer_dense(x, &codes, &gb, l)?;
                Ok(QVal { form: Form::Scaled(y, scale), exact: false })
            }
            None => {
                let zero = Grid { frac: 0, mantissas: vec![0; l.n] };
                let (y, _) = self.integer_dense(x, &codes, &zero, l)?;
                let q = QVal { form: Form::Scaled(y, scale), exact: false };
                let yf = self.float_of(&q, l.at, &l.loc);
                let bc = self.fconst(l.at, &l.loc, &[l.n as i64], b);
                let ty = Type::tensor(l.out_shape.clone(), Type::F32);
                let z = qdf::FAdd::build(self.m(), l.at, l.loc.clone(), yf, bc, ty).output(self.base.m);
                Ok(QVal::float(z, false))
            }
        }
    }
}
