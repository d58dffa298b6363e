//! Quantizers (`nn.quant`, `nn.bipolar_quant`, `nn.trunc`, `nn.qdq`, `nn.quantize_linear`) in qdf.
//!
//! A quantizer with one power-of-two scale `2^-F` and an integral zero point is a conversion into
//! `fixed<bits, bits - F>` with the matching `ap_fixed` rounding mode and saturation: `qdf.quantize`
//! from a float (scale at most 1, so the reference's division cannot underflow), `qdf.cast` from an
//! exact fixed value (when the reference's `x / s + z` is exact in float32). QONNX `ROUND` is
//! `RND_CONV`, `FLOOR` `TRN`, `DOWN` `TRN_ZERO`, `HALF_DOWN` `RND_ZERO`, `HALF_UP` `RND_INF` (from
//! fixed values with fewer than 25 fractional bits below the output grid only: qonnx's float32
//! `|t| + 0.5` rounds up at `0.5 - 2^-25`); narrow signed ranges saturate with `SAT_SYM`, other
//! ranges that are not a full two's complement range get a `qdf.clip`. Everything else
//! (non-power-of-two or per-channel scales, `CEIL`, `UP`, bipolar) is `qdf.fquant`, which replays
//! the reference's float32 steps; on a fixed input it reads the exact value through
//! `qdf.dequantize`, and the fold step turns `dequantize -> ... -> fquant` into thresholds.

use fpgaopt_ir::{Attribute, DenseElements, DiagResult, InsertPoint, Location, OpId, Type, ValueId};
use fpgaopt_nn::quant::int_range;
use fpgaopt_nn::RoundingMode;
use fpgaopt_qdf::semantics::float::QuantRounding;
use fpgaopt_qdf::{self as qdf, FixedType, Overflow, Rounding};

use super::{code_type, f32_attr, grid, shape_of, Form, QConverter, QVal};
use crate::nn_to_qdf::op_err;
use crate::nn_to_qdf::rules::max_abs;

/// What every quantizer does, in one shape.
#[derive(Clone, Debug)]
pub(super) struct Spec {
    /// The divisor of step 1 (absent: BipolarQuant, which does not divide), shape and values.
    pub div: Option<(Vec<i64>, Vec<f32>)>,
    /// The scale the output codes stand for (absent: QuantizeLinear, whose output is the code).
    pub out_scale: Option<Vec<f32>>,
    /// QONNX zero point, added in float32 before rounding (absent for ONNX).
    pub zero_point: Option<(Vec<i64>, Vec<f32>)>,
    pub rounding: QuantRounding,
    /// The clamp range of `x / s (+ z)` before the zero point is taken off.
    pub lo: i64,
    pub hi: i64,
    /// ONNX QuantizeLinear: the output is the stored code, the centred code plus this.
    pub add_back: i64,
}

fn qonnx_rounding(r: RoundingMode) -> QuantRounding {
    match r {
        RoundingMode::Round => QuantRounding::Round,
        RoundingMode::Ceil => QuantRounding::Ceil,
        RoundingMode::Floor => QuantRounding::Floor,
        RoundingMode::Up => QuantRounding::Up,
        RoundingMode::Down => QuantRounding::Down,
        RoundingMode::HalfUp => QuantRounding::HalfUp,
        RoundingMode::HalfDown => QuantRounding::HalfDown,
    }
}

/// The `ap_fixed` rounding mode computing a QONNX mode exactly on exact values.
pub(super) fn ap_rounding(r: QuantRounding) -> Option<Rounding> {
    match r {
        QuantRounding::Round => Some(Rounding::RndConv),
        QuantRounding::Floor => Some(Rounding::Trn),
        QuantRounding::Down => Some(Rounding::TrnZero),
        QuantRounding::HalfDown => Some(Rounding::RndZero),
        QuantRounding::HalfUp => Some(Rounding::RndInf),
        QuantRounding::Ceil | QuantRounding::Up | QuantRounding::Sign => None,
    }
}

pub(super) fn uniform(v: &[f32]) -> Option<f32> {
    v.first().copied().filter(|&f| v.iter().all(|&x| x == f))
}

/// `-log2(s)` for a power of two.
fn frac_of(s: f32) -> i64 {
    -(s as f64).log2() as i64
}

impl QConverter<'_> {
    fn param(&self, op: OpId, i: usize, what: &str) -> DiagResult<(Vec<i64>, Vec<f32>)> {
        let loc = self.base.m.op(op).loc.clone();
        self.constant(self.base.m.operand(op, i))
            .ok_or_else(|| op_err(&loc, self.base.m.op(op).name(), format!("the {what} must be a constant")))
    }

    /// The common description of the quantizer `op`; the checks the importer makes are repeated
    /// for IR written by hand (bit widths, positive scales, integral zero points).
    fn spec(&self, op: OpId) -> DiagResult<Spec> {
        let m: &fpgaopt_ir::Module = &*self.base.m;
        let loc = m.op(op).loc.clone();
        let name = m.op(op).name();
        let fail = |msg: String| op_err(&loc, name, msg);
        let int = |a: &str| m.attr(op, a).and_then(Attribute::as_int).unwrap_or(0);
        let flag = |a: &str| m.attr(op, a).and_then(Attribute::as_bool).unwrap_or(false);
        let bits = int("bit_width");
        let scale = |i: usize| -> DiagResult<(Vec<i64>, Vec<f32>)> {
            let s = self.param(op, i, "scale")?;
            fpgaopt_nn::quant::check_scale("scale", &s.1).map_err(&fail)?;
            Ok(s)
        };
        Ok(match name {
            "nn.quant" => {
                fpgaopt_nn::quant::check_bit_width(bits).map_err(&fail)?;
                let (signed, narrow) = (flag("signed"), flag("narrow"));
                let mode = m.attr(op, "rounding_mode").and_then(Attribute::as_str).and_then(RoundingMode::parse);
                let mode = mode.ok_or_else(|| fail("unknown rounding mode".into()))?;
                let (lo, hi) = int_range(bits, signed, narrow);
                let zp = self.param(op, 2, "zero point")?;
                if zp.1.iter().any(|z| z.fract() != 0.0 || z.abs() > 1e9) {
                    return Err(fail("a zero point that is not an integer has no fixed-point form".into()));
                }
                let s = scale(1)?;
                Spec {
                    out_scale: Some(s.1.clone()),
                    div: Some(s),
                    zero_point: zp.1.iter().any(|&z| z != 0.0).then_some(zp),
                    rounding: if bits == 1 && signed { QuantRounding::Sign } else { qonnx_rounding(mode) },
                    lo,
                    hi,
                    add_back: 0,
                }
            }
            "nn.bipolar_quant" => Spec {
                div: None,
                out_scale: Some(scale(1)?.1),
                zero_point: None,
                rounding: QuantRounding::Sign,
                lo: -1,
                hi: 1,
                add_back: 0,
            },
            "nn.qdq" | "nn.quantize_linear" => {
                fpgaopt_nn::quant::check_bit_width(bits).map_err(&fail)?;
                let (lo, hi) = int_range(bits, flag("signed"), false);
                let (_, z) = self.param(op, 2, "zero point")?;
                let Some(z) = uniform(&z) else { return Err(fail("per-axis zero points are not supported".into())) };
                let z = z as i64;
                let s = scale(1)?;
                Spec {
                    out_scale: (name == "nn.qdq").then(|| s.1.clone()),
                    div: Some(s),
                    zero_point: None,
                    rounding: QuantRounding::Round,
                    lo: lo - z,
                    hi: hi - z,
                    add_back: if name == "nn.quantize_linear" { z } else { 0 },
                }
            }
            _ => return Err(fail("is not a quantizer".into())),
        })
    }

    /// Converts a quantizer op.
    pub(super) fn quantizer(&mut self, op: OpId) -> DiagResult<QVal> {
        if self.base.m.op(op).name() == "nn.trunc" {
            return self.trunc(op);
        }
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let spec = self.spec(op)?;
        let x = self.val(self.base.m.operand(op, 0), op)?;
        let out_shape = shape_of(self.base.m, self.base.m.result(op, 0));
        // The grid of the output codes: 2^-F for one power-of-two output scale, else the integers.
        let out_pow2 = spec.out_scale.as_deref().and_then(uniform).filter(|&s| grid::is_pow2(s as f64));
        let frac = out_pow2.map_or(0, frac_of);
        let z = match &spec.zero_point {
            None => Some(0),
            Some((_, zs)) => uniform(zs).map(|v| v as i64),
        };
        let (lo, hi) = (spec.lo - z.unwrap_or(0), spec.hi - z.unwrap_or(0));
        // A direct conversion: one scale, dividing and meaning the same power of two.
        let div = spec.div.as_ref().and_then(|(_, s)| uniform(s));
        let same_grid = div.is_some_and(|d| grid::is_pow2(d as f64) && frac_of(d) == frac && (out_pow2.is_some() || d == 1.0));
        let direct = match (ap_rounding(spec.rounding), z, same_grid) {
            (Some(r), Some(z), true) => match &x.form {
                Form::Float(_) => (z == 0 && div.is_some_and(|d| d <= 1.0) && r != Rounding::RndInf).then_some(r),
                Form::Fixed(v) => self.exact_division(*v, frac, z, r).then_some(r),
                Form::Scaled(..) => None,
            },
            _ => None,
        };
        let y = match (direct, &x.form) {
            (Some(r), Form::Float(v) | Form::Fixed(v)) => {
                let signed_narrow = lo < 0 && lo == -hi;
                let ty = code_type(lo, hi, frac, r, if signed_narrow { Overflow::SatSym } else { Overflow::Sat });
                let t = Type::tensor(out_shape.clone(), ty.to_type());
                let y = match &x.form {
                    Form::Float(_) => qdf::Quantize::build(self.m(), at, loc.clone(), *v, t).output(self.base.m),
                    _ => qdf::Cast::build(self.m(), at, loc.clone(), *v, t).output(self.base.m),
                };
                // SAT (SAT_SYM) stops at the type's range; a clip where the quantizer's range is narrower.
                let bottom = if signed_narrow { ty.min_mantissa() + 1 } else { ty.min_mantissa() };
                if bottom == lo as i128 && ty.max_mantissa() == hi as i128 {
                    y
                } else {
                    self.clip(y, lo, hi, at, &loc)
                }
            }
            _ => {
                let v = self.float_of(&x, at, &loc);
                self.fquant(&spec, v, frac, &out_shape, at, &loc)
            }
        };
        let y = if spec.add_back != 0 { self.add_int(y, spec.add_back, at, &loc)? } else { y };
        let form = match (&spec.out_scale, out_pow2) {
            (Some(s), None) => Form::Scaled(y, s.iter().map(|&v| v as f64).collect()),
            _ => Form::Fixed(y),
        };
        Ok(QVal { form, exact: x.exact })
    }

    /// True when the reference computes `x / 2^-frac + z` exactly in float32 for the fixed value
    /// `x` (at most 24 significant bits), and `HALF_UP`'s float32 quirk cannot occur.
    fn exact_division(&self, x: ValueId, frac: i64, z: i64, r: Rounding) -> bool {
        let tx = self.fixed_type(x);
        let d = tx.frac_bits() - frac;
        if r == Rounding::RndInf && d >= 25 {
            return false;
        }
        if z == 0 {
            return true;
        }
        let (mx, mz) = (max_abs(&tx), z.unsigned_abs() as u128);
        let bound = if d >= 0 { mz.checked_shl(d.min(100) as u32).map(|v| v + mx) } else { mx.checked_shl((-d).min(100) as u32).map(|v| v + mz) };
        bound.is_some_and(|b| b < 1 << 24)
    }

    /// `qdf.clip` of codes to `[lo, hi]`.
    pub(super) fn clip(&mut self, y: ValueId, lo: i64, hi: i64, at: InsertPoint, loc: &Location) -> ValueId {
        let t = self.base.m.ty(y).clone();
        let spec = qdf::Clip::spec(loc.clone()).operands([y]).results([t]).attr("min", Attribute::i64(lo)).attr("max", Attribute::i64(hi));
        let c = self.m().build(at, spec);
        self.base.m.result(c, 0)
    }

    /// Codes plus an integer constant (QuantizeLinear's zero point).
    fn add_int(&mut self, y: ValueId, z: i64, at: InsertPoint, loc: &Location) -> DiagResult<ValueId> {
        let ty = self.fixed_type(y);
        let cty = code_type(z.min(0), z.max(0), 0, Rounding::Trn, Overflow::Wrap);
        let c = self.qconst(at, loc, &[], cty, &[z as i128])?;
        let out = super::signed_for(max_abs(&ty) + z.unsigned_abs() as u128, ty.frac_bits());
        let t = Type::tensor(shape_of(self.base.m, y), out.to_type());
        Ok(qdf::Add::build(self.m(), at, loc.clone(), y, c, t).output(self.base.m))
    }

    /// `qdf.fquant` of a float tensor with the quantizer's exact float32 steps; codes on `2^-frac`.
    fn fquant(&mut self, spec: &Spec, x: ValueId, frac: i64, shape: &[i64], at: InsertPoint, loc: &Location) -> ValueId {
        let zps: Vec<i64> = spec.zero_point.as_ref().map_or(vec![0], |(_, z)| z.iter().map(|&v| v as i64).collect());
        let (zlo, zhi) = (zps.iter().copied().min().unwrap_or(0), zps.iter().copied().max().unwrap_or(0));
        let ty = code_type(spec.lo - zhi, spec.hi - zlo, frac, Rounding::Trn, Overflow::Wrap);
        let dense = |(s, v): &(Vec<i64>, Vec<f32>)| Attribute::Dense(DenseElements::from_f32(s, v));
        let mut b = qdf::FQuant::spec(loc.clone())
            .operands([x])
            .results([Type::tensor(shape.to_vec(), ty.to_type())])
            .attr("rounding", Attribute::str(spec.rounding.name()));
        if let Some(s) = &spec.div {
            b = b.attr("scale", dense(s));
        }
        if let Some(z) = &spec.zero_point {
            b = b.attr("zero_point", dense(z));
        }
        if spec.rounding != QuantRounding::Sign {
            b = b.attr("min", f32_attr(spec.lo as f32)).attr("max", f32_attr(spec.hi as f32));
        }
        let op = self.m().build(at, b);
        self.base.m.result(op, 0)
    }

    /// QONNX Trunc on an exact fixed value with power-of-two scales and zero zero points: rounded
    /// half to even onto the input scale's grid, then with the Trunc's rounding mode onto the
    /// output scale's grid, saturating at the output range (version 2) or not at all (version 1).
    fn trunc(&mut self, op: OpId) -> DiagResult<QVal> {
        let m: &fpgaopt_ir::Module = &*self.base.m;
        let loc = m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let fail = |msg: &str| op_err(&loc, "nn.trunc", msg);
        let t = fpgaopt_nn::Trunc(op);
        let mode = RoundingMode::parse(t.rounding_mode(m)).ok_or_else(|| fail("unknown rounding mode"))?;
        let (shift, out_bits, signed, narrow) = (t.shift(m), t.output_bit_width(m), t.signed(m), t.narrow(m));
        if let Some(b) = out_bits {
            fpgaopt_nn::quant::check_bit_width(b).map_err(|e| fail(&e))?;
        }
        let params: Vec<(Vec<i64>, Vec<f32>)> = (1..5).map(|i| self.param(op, i, "parameter")).collect::<DiagResult<_>>()?;
        let [s, z, os, oz] = [0, 1, 2, 3].map(|i| uniform(&params[i].1));
        let x = self.val(m.operand(op, 0), op)?;
        let unsupported = "is supported after a quantizer, with power-of-two scales and zero zero points";
        let (Some(s), Some(0.0), Some(os), Some(0.0), Form::Fixed(xv)) = (s, z, os, oz, &x.form) else { return Err(fail(unsupported)) };
        if !grid::is_pow2(s as f64) || !grid::is_pow2(os as f64) {
            return Err(fail(unsupported));
        }
        let rounding = qonnx_rounding(mode);
        let Some(r) = ap_rounding(rounding) else {
            return self.float_trunc(op, &x, s, shift, os, rounding, out_bits.map(|b| int_range(b, signed, narrow)));
        };
        // Codes on the grid s * 2^shift; the output reads them on the grid of the output scale.
        let (fs, fq, fo) = (frac_of(s), frac_of(s) - shift, frac_of(os));
        let shape = shape_of(m, *xv);
        let tx = self.fixed_type(*xv);
        // round(x / s) half to even: a cast onto the scale's grid when x is finer.
        let mut v = *xv;
        if tx.frac_bits() > fs {
            let w = (tx.width as i64 - (tx.frac_bits() - fs) + 1).max(2) as u32;
            let ty = FixedType { width: w, int_bits: w as i32 - fs as i32, signed: true, rounding: Rounding::RndConv, overflow: Overflow::Wrap };
            v = qdf::Cast::build(self.m(), at, loc.clone(), v, Type::tensor(shape.clone(), ty.to_type())).output(self.base.m);
        }
        let y = match out_bits {
            Some(b) => {
                let (lo, hi) = int_range(b, signed, narrow);
                let ov = if narrow && signed { Overflow::SatSym } else { Overflow::Sat };
                let ty = code_type(lo, hi, fq, r, ov);
                let y = qdf::Cast::build(self.m(), at, loc.clone(), v, Type::tensor(shape.clone(), ty.to_type())).output(self.base.m);
                if !signed && narrow {
                    self.clip(y, lo, hi, at, &loc)
                } else {
                    y
                }
            }
            None => {
                let w = self.fixed_type(v);
                let width = (w.width as i64 - shift + 1).max(2) as u32;
                let ty = FixedType { width, int_bits: width as i32 - fq as i32, signed: true, rounding: r, overflow: Overflow::Wrap };
                qdf::Cast::build(self.m(), at, loc.clone(), v, Type::tensor(shape.clone(), ty.to_type())).output(self.base.m)
            }
        };
        // Output value = code * os: the same mantissas on grid fo, an exact product by 2^(fq - fo).
        let y = if fo == fq {
            y
        } else {
            let ty = self.fixed_type(y);
            let c = self.qconst(at, &loc, &[], FixedType::new(2, 2 - (fo - fq) as i32), &[1])?;
            let out = FixedType::new(ty.width + 2, ty.width as i32 + 2 - fo as i32);
            qdf::Mul::build(self.m(), at, loc.clone(), y, c, Type::tensor(shape, out.to_type())).output(self.base.m)
        };
        Ok(QVal::fixed(y, x.exact))
    }

    /// A Trunc whose rounding mode has no `ap_fixed` form (CEIL, UP) on a fixed value on the input
    /// scale's grid: the first rounding is then the identity and the rest is `qdf.fquant` dividing by
    /// `s * 2^shift` (exact for powers of two), clamping at the output range (version 2) or at the
    /// input's own range (version 1, which never clamps), codes on the output scale's grid.
    #[allow(clippy::too_many_arguments)]
    fn float_trunc(&mut self, op: OpId, x: &QVal, s: f32, shift: i64, os: f32, rounding: QuantRounding, range: Option<(i64, i64)>) -> DiagResult<QVal> {
        let loc = self.base.m.op(op).loc.clone();
        let at = InsertPoint::Before(op);
        let Form::Fixed(xv) = x.form else { unreachable!("checked by trunc") };
        let tx = self.fixed_type(xv);
        if tx.frac_bits() > frac_of(s) {
            return Err(op_err(&loc, "nn.trunc", "with CEIL or UP rounding needs its input on the grid of its scale"));
        }
        let div = (s as f64 * 2f64.powi(shift as i32)) as f32;
        let (lo, hi) = range.unwrap_or_else(|| {
            let m = (max_abs(&tx) >> shift.clamp(0, 100) as u32) as i64 + 1;
            (-m, m)
        });
        let spec = Spec { div: Some((vec![], vec![div])), out_scale: Some(vec![os]), zero_point: None, rounding, lo, hi, add_back: 0 };
        let shape = shape_of(self.base.m, xv);
        let v = self.float_of(x, at, &loc);
        let y = self.fquant(&spec, v, frac_of(os), &shape, at, &loc);
        Ok(QVal::fixed(y, x.exact))
    }
}
