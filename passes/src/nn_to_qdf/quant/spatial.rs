//! Window ops in a quantized model, channels-last like the float path (`nn_to_qdf::spatial`).
//!
//! - `nn.conv` on an exact fixed input with weights on a power-of-two grid: an integer `qdf.conv`.
//!   Every partial sum within 24 significant bits (bias included) makes the reference's float32
//!   GEMM exact in any order; when only the products fit, the bias is added in float32 after the
//!   exact sum, as MLAS does (the bias joins after the GEMM). Anything else is the reference's
//!   own float32 convolution, `qdf.fconv` (`quant/fconv.rs`).
//! - `nn.max_pool` on codes (fixed or scaled by a positive scale: max commutes with it), padded
//!   with the code type's minimum.
//! - `nn.average_pool` / `nn.global_average_pool` on an exact fixed input: the exact window sum
//!   (`qdf.avg_pool` with divisor 1), then the reference's float32 division by the count
//!   (exact sums below 2^24 are what MLAS's float32 sums are).
//! - `nn.pad`, `nn.transpose`: data movement of the codes.

use fpgaopt_ir::{Attribute, DenseElements, DiagResult, InsertPoint, Location, OpId, Type, ValueId};
use fpgaopt_nn as nn;
use fpgaopt_qdf::{self as qdf, FixedType};

use super::grid::{self, Grid};
use super::{shape_of, Form, QConverter, QVal};
use crate::nn_to_qdf::op_err;
use crate::nn_to_qdf::rules::{dense_acc, quantize_const, Operand};
use crate::nn_to_qdf::spatial::{derived_loc, pad, to_first, to_last, transpose, weight_to_last, SpatialWindow};

/// A convolution's constants and window for [`QConverter::integer_conv`].
pub(super) struct IntegerConv<'a> {
    /// Channels-last `[*K, C / group, M]` and the weight values in that order.
    pub weight_shape: &'a [i64],
    pub weight: &'a [f64],
    pub bias: &'a [f32],
    pub strides: &'a [i64],
    pub dilations: &'a [i64],
    pub group: i64,
}

fn grid_type(g: &Grid) -> FixedType {
    FixedType::new(g.width(), g.width() as i32 - g.frac as i32)
}

impl QConverter<'_> {
    /// `nn.conv`, `nn.max_pool`, `nn.average_pool`, `nn.global_average_pool`.
    pub(super) fn window(&mut self, op: OpId) -> DiagResult<QVal> {
        let m = &*self.base.m;
        let loc = m.op(op).loc.clone();
        let name = m.op(op).name();
        let ops = m.op(op).operands.clone();
        let x = self.val(ops[0], op)?;
        let xs = shape_of(m, ops[0]);
        let ys = shape_of(m, m.result(op, 0));
        let window = match name {
            "nn.global_average_pool" => nn::Window::unit(xs[2..].to_vec()),
            _ => {
                let kernel = (name == "nn.conv").then(|| shape_of(m, ops[1])[2..].to_vec());
                nn::spatial::window_of(m, op, kernel).map_err(|e| op_err(&loc, name, e))?
            }
        };
        let w = SpatialWindow::new(&window, &xs, &ys);
        if name == "nn.conv" {
            if let Some(q) = self.float_conv(op, &x, &w)? {
                return Ok(q);
            }
        }
        let at = InsertPoint::Before(op);
        let (v, scale) = match (&x.form, name) {
            (Form::Fixed(v), _) => (*v, None),
            (Form::Scaled(v, s), "nn.max_pool") if s.iter().all(|&s| s > 0.0) => (*v, Some(s.clone())),
            _ => return Err(op_err(&loc, name, "is lowered only on exact fixed-point inputs yet (float32 or non-power-of-two-scaled window ops need the reference's float32 order)")),
        };
        let r = xs.len();
        let tx = self.fixed_type(v);
        let xt = transpose(self.m(), at, derived_loc(&loc, "to_last"), v, &to_last(r));
        let pad_value = if name == "nn.max_pool" { tx.min_mantissa() as i64 } else { 0 };
        let xp = pad(self.m(), at, derived_loc(&loc, "pad"), xt, &w.last_pads, pad_value);
        let ints = Attribute::i64_array;
        let last_shape = |t: &FixedType| -> Type {
            let p = to_last(ys.len());
            Type::tensor(p.iter().map(|&a| ys[a as usize]).collect::<Vec<i64>>(), t.to_type())
        };
        match name {
            "nn.conv" => self.conv(op, &loc, xp, &tx, &w, x.exact, last_shape),
            "nn.max_pool" => {
                let spec = qdf::MaxPool::spec(loc.clone())
                    .operands([xp])
                    .results([last_shape(&tx)])
                    .attr("kernel", ints(&w.kernel))
                    .attr("strides", ints(&w.strides))
                    .attr("dilations", ints(&w.dilations));
                let o = self.m().build(at, spec);
                let y = self.base.m.result(o, 0);
                let y = transpose(self.m(), at, derived_loc(&loc, "to_first"), y, &to_first(r));
                let form = match scale {
                    Some(s) => Form::Scaled(y, s),
                    None => Form::Fixed(y),
                };
                Ok(QVal { form, exact: x.exact })
            }
            _ => {
                // The exact window sum, then float32 division by ONNX's count.
                let size: i64 = w.kernel.iter().product();
                let acc = crate::nn_to_qdf::rules::signed_type_for(crate::nn_to_qdf::rules::max_abs(&tx).saturating_mul(size as u128), tx.frac_bits());
                let ones = vec![1i64; w.out.iter().product::<i64>() as usize];
                let dd = DenseElements::from_ints(&w.out, Type::int(64), &ones).map_err(|e| op_err(&loc, name, e))?;
                let spec = qdf::AvgPool::spec(loc.clone())
                    .operands([xp])
                    .results([last_shape(&acc)])
                    .attr("kernel", ints(&w.kernel))
                    .attr("strides", ints(&w.strides))
                    .attr("dilations", ints(&w.dilations))
                    .attr("divisors", Attribute::Dense(dd))
                    .attr("acc_type", Attribute::Type(acc.to_type()))
                    .attr("recip_type", Attribute::Type(FixedType::unsigned(1, 1).to_type()));
                let o = self.m().build(at, spec);
                let s = self.base.m.result(o, 0);
                let s = transpose(self.m(), at, derived_loc(&loc, "to_first"), s, &to_first(r));
                let exact = x.exact && acc.width <= 25;
                if acc.width > 25 {
                    self.approx(&loc, "float32 window sums beyond 24 bits");
                }
                let include = name == "nn.average_pool" && nn::AveragePool(op).count_include_pad(self.base.m);
                let counts: Vec<f32> = w.divisors(include).iter().map(|&d| d as f32).collect();
                let sf = self.dequantize(s, at, &loc);
                let mut cshape = vec![1, 1];
                cshape.extend(&w.out);
                let c = self.fconst(at, &loc, &cshape, &counts);
                let ty = self.base.m.ty(sf).clone();
                let y = qdf::FDiv::build(self.m(), at, loc, sf, c, ty).output(self.base.m);
                Ok(QVal::float(y, exact))
            }
        }
    }

    /// The integer convolution of the padded channels-last input `xp`.
    #[allow(clippy::too_many_arguments)]
    fn conv(&mut self, op: OpId, loc: &Location, xp: ValueId, tx: &FixedType, w: &SpatialWindow, exact: bool, last_shape: impl Fn(&FixedType) -> Type) -> DiagResult<QVal> {
        let m = &*self.base.m;
        let c = nn::Conv(op);
        let (Some((ws, wv)), Some((_, b))) = (self.constant(c.weight(m)), self.constant(c.bias(m))) else {
            return Err(op_err(loc, "nn.conv", "weights and bias of a quantized model must be constants"));
        };
        let group = c.group(m);
        let (wshape, wl) = weight_to_last(&ws, &wv.iter().map(|&v| v as f64).collect::<Vec<_>>());
        let conv = IntegerConv { weight_shape: &wshape, weight: &wl, bias: &b, strides: &w.strides, dilations: &w.dilations, group };
        self.integer_conv(InsertPoint::Before(op), loc, xp, tx, &conv, exact, last_shape)
    }

    /// `conv` on the channels-last `xp` as an integer `qdf.conv` (weights on a power-of-two grid),
    /// then back to NCHW; the bias joins the exact sum, or is added in float32 after it when only
    /// the products fit the reference's 24 bits.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn integer_conv(
        &mut self,
        at: InsertPoint,
        loc: &Location,
        xp: ValueId,
        tx: &FixedType,
        conv: &IntegerConv<'_>,
        exact: bool,
        last_shape: impl Fn(&FixedType) -> Type,
    ) -> DiagResult<QVal> {
        let (wshape, wl, b) = (conv.weight_shape, conv.weight, conv.bias);
        let n = *wshape.last().unwrap_or(&1) as usize;
        let k = wl.len() / n.max(1);
        let Some(gw) = grid::grid(wl, 24) else {
            return Err(op_err(loc, "nn.conv", "weights that are not on a power-of-two grid (non-power-of-two scales) are not lowered yet"));
        };
        let gb = super::grid(&b.iter().map(|&v| v as f64).collect::<Vec<_>>());
        let zero = Grid { frac: 0, mantissas: vec![0; n] };
        let acc_of = |bias: &Grid| dense_acc(tx, &Operand { ty: grid_type(&gw), values: Some(&gw.mantissas) }, &Operand { ty: grid_type(bias), values: Some(&bias.mantissas) }, k, n);
        let with_bias = acc_of(&gb).is_ok_and(|a| a.width <= 25);
        let without = acc_of(&zero).is_ok_and(|a| a.width <= 25);
        let bias_in = with_bias || !without;
        let bias = if bias_in { &gb } else { &zero };
        let acc = acc_of(bias).map_err(|e| op_err(loc, "nn.conv", e))?;
        if !with_bias && !without {
            self.approx(loc, "float32 sums beyond 24 bits");
        }
        let wc = self.qconst(at, loc, wshape, grid_type(&gw), &gw.mantissas)?;
        let bc = self.qconst(at, loc, &[n as i64], grid_type(bias), &bias.mantissas)?;
        let spec = qdf::Conv::spec(loc.clone())
            .operands([xp, wc, bc])
            .results([last_shape(&acc)])
            .attr("strides", Attribute::i64_array(conv.strides))
            .attr("dilations", Attribute::i64_array(conv.dilations))
            .attr("group", Attribute::i64(conv.group))
            .attr("acc_type", Attribute::Type(acc.to_type()));
        let o = self.m().build(at, spec);
        let y = self.base.m.result(o, 0);
        let r = conv.strides.len() + 2;
        let y = transpose(self.m(), at, derived_loc(loc, "to_first"), y, &to_first(r));
        if bias_in {
            return Ok(QVal::fixed(y, exact && (with_bias || without)));
        }
        // The exact sum of products, then the reference's one float32 rounding of `sum + b`.
        let yf = self.dequantize(y, at, loc);
        let bshape = super::channel_shape(n, r);
        let bc = self.fconst(at, loc, &bshape, b);
        let ty = self.base.m.ty(yf).clone();
        let z = qdf::FAdd::build(self.m(), at, loc.clone(), yf, bc, ty).output(self.base.m);
        Ok(QVal::float(z, exact))
    }

    /// `nn.concat`: exact fixed inputs cast (exactly) to one type holding them all, else float32.
    pub(super) fn concat(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let ins = self.base.m.op(op).operands.clone();
        let qs = ins.iter().map(|&v| self.val(v, op)).collect::<DiagResult<Vec<_>>>()?;
        let exact = qs.iter().all(|q| q.exact);
        let axis = nn::Concat(op).axis(self.base.m);
        let out_shape = shape_of(self.base.m, self.base.m.result(op, 0));
        let fixed: Option<Vec<ValueId>> = qs.iter().map(|q| if let Form::Fixed(v) = q.form { Some(v) } else { None }).collect();
        let (vals, elem) = match fixed {
            Some(vs) => {
                // The union type: the finest grid, the most integer bits, signed if any input is.
                let ts: Vec<FixedType> = vs.iter().map(|&v| self.fixed_type(v)).collect();
                let f = ts.iter().map(FixedType::frac_bits).max().unwrap_or(0);
                let i = ts.iter().map(|t| t.signed_bits() as i64 - t.frac_bits()).max().unwrap_or(1);
                let u = FixedType::new((i + f).max(1) as u32, i as i32);
                let mut out = vec![];
                for (v, t) in vs.into_iter().zip(ts) {
                    out.push(if t == u {
                        v
                    } else {
                        let ty = Type::tensor(shape_of(self.base.m, v), u.to_type());
                        qdf::Cast::build(self.m(), at, loc.clone(), v, ty).output(self.base.m)
                    });
                }
                (out, u.to_type())
            }
            None => (qs.iter().map(|q| self.float_of(q, at, &loc)).collect(), Type::F32),
        };
        let is_fixed = elem != Type::F32;
        let spec = qdf::Concat::spec(loc).operands(vals).results([Type::tensor(out_shape, elem)]).attr("axis", Attribute::i64(axis));
        let o = self.m().build(at, spec);
        let y = self.base.m.result(o, 0);
        Ok(if is_fixed { QVal::fixed(y, exact) } else { QVal::float(y, exact) })
    }

    /// `nn.pad` and `nn.transpose` on codes (the value's form kept; a pad value on the code grid).
    pub(super) fn move_data(&mut self, op: OpId) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let name = self.base.m.op(op).name();
        let x = self.val(self.base.m.operand(op, 0), op)?;
        let at = InsertPoint::Before(op);
        let (v, rebuild): (ValueId, fn(ValueId, &Form) -> Form) = match &x.form {
            Form::Fixed(v) => (*v, |y, _| Form::Fixed(y)),
            Form::Float(v) => (*v, |y, _| Form::Float(y)),
            Form::Scaled(v, s) if s.len() == 1 => (*v, |y, f| match f {
                Form::Scaled(_, s) => Form::Scaled(y, s.clone()),
                _ => Form::Fixed(y),
            }),
            Form::Scaled(..) => return Err(op_err(&loc, name, "per-channel scaled codes cannot be moved yet")),
        };
        let y = if name == "nn.transpose" {
            let perm = nn::Transpose(op).perm(self.base.m);
            transpose(self.m(), at, loc, v, &perm)
        } else {
            let p = nn::Pad(op);
            let (pads, value) = (p.pads(self.base.m), p.value(self.base.m));
            let mant = match FixedType::of_tensor(self.base.m.ty(v)) {
                Some(t) => {
                    let q = quantize_const(&[value], &t)[0];
                    if t.to_f64(q) != value {
                        return Err(op_err(&loc, name, format!("pad value {value} is not on the value's grid")));
                    }
                    q as i64
                }
                None if value == 0.0 => 0,
                None => return Err(op_err(&loc, name, "a float32 value pads with 0 only")),
            };
            pad(self.m(), at, loc, v, &pads, mant)
        };
        Ok(QVal { form: rebuild(y, &x.form), exact: x.exact })
    }
}
