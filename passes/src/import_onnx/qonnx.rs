//! QONNX quantizers: `Quant` (also spelled `IntQuant`), `BipolarQuant` and `Trunc` (versions 1
//! and 2), in the domains qonnx executes (`qonnx.custom_op.general`, the old `finn` spellings and
//! Brevitas's `onnx.brevitas`) and, leniently, the default domain, where ONNX defines no such op.
//!
//! Every quantizer becomes the `nn` op of the same semantics (`nn.quant`, `nn.bipolar_quant`,
//! `nn.trunc`), or folds when its input is constant (quantized weights). Scale, zero point and bit
//! widths must be constants. qonnx computes in numpy, so an int32/int64/float64 scale or zero point
//! promotes its arithmetic to float64; the importer accepts such a quantizer only where float64
//! gives the float32 result bit for bit (power-of-two scales, zero zero points, no half-way
//! rounding modes, at most 24 bits) and says so otherwise.

use fpgaopt_ir::{Attribute, DiagResult, ValueId};
use fpgaopt_nn::eval::{self, QuantParams, Tensor, TruncParams};
use fpgaopt_nn::quant::{check_bit_width, check_param_shape, check_scale, RoundingMode};
use onnx_protobuf::tensor_proto::DataType;
use protobuf::Enum;

use super::consts::Const;
use super::graph::{Importer, Node, Val};

/// True for the domains qonnx maps to its general custom ops.
pub(crate) fn is_qonnx_domain(domain: &str) -> bool {
    matches!(domain, "qonnx.custom_op.general" | "finn.custom_op.general" | "finn" | "onnx.brevitas")
}

/// True for a QONNX quantizer node (a model holding one is checked against qonnx).
pub(crate) fn is_qonnx_node(n: &onnx_protobuf::NodeProto) -> bool {
    let default = n.domain.is_empty() || n.domain == "ai.onnx";
    (default || is_qonnx_domain(&n.domain))
        && matches!(n.op_type.as_str(), "Quant" | "IntQuant" | "BipolarQuant" | "Trunc")
}

/// True when numpy divides or adds a float32 array and a tensor of this ONNX type in float64.
fn promotes_to_f64(dtype: Option<i32>) -> bool {
    matches!(
        dtype.and_then(DataType::from_i32),
        Some(DataType::DOUBLE | DataType::INT32 | DataType::INT64 | DataType::UINT32 | DataType::UINT64)
    )
}

fn is_power_of_two(v: f32) -> bool {
    v > 0.0 && v.is_finite() && v.to_bits() & 0x007f_ffff == 0 && v.is_normal()
}

/// The integer a one-element constant holds (a bit width).
fn scalar_int(node: &Node, c: &Const, what: &str) -> DiagResult<i64> {
    let v = c.scalar_f32().ok_or_else(|| node.err(format!("{what} must be a scalar, got shape {:?}", c.shape)))?;
    if v.fract() != 0.0 || !v.is_finite() {
        return Err(node.err(format!("{what} must be an integer, got {v}")));
    }
    Ok(v as i64)
}

impl Importer<'_> {
    /// True when the model's reference is qonnx (it holds QONNX quantizers).
    pub(crate) fn qonnx_reference(&self) -> bool {
        self.qonnx_model
    }

    /// Imports a QONNX quantizer; false when the op type is not one.
    pub(crate) fn qonnx_node(&mut self, node: &Node) -> DiagResult<bool> {
        match node.op_type() {
            "Quant" | "IntQuant" => self.quant(node)?,
            "BipolarQuant" => self.bipolar_quant(node)?,
            "Trunc" => self.trunc(node)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn rounding_mode(&self, node: &Node, default: &str) -> DiagResult<RoundingMode> {
        let s = Self::string_attr(node, "rounding_mode")?.unwrap_or_else(|| default.to_string());
        RoundingMode::parse(&s).ok_or_else(|| {
            let all: Vec<&str> = RoundingMode::ALL.iter().map(|r| r.name()).collect();
            node.err(format!("rounding_mode '{s}' is not one of {} (QONNX)", all.join(", ")))
        })
    }

    /// Scale (input 1) and zero point (input 2): constants of the input's element shape, the scale
    /// positive; rejects the float64 cases that would not reproduce qonnx's float32 result.
    fn scale_and_zero_point(&self, node: &Node, x_shape: &[i64], risky: bool) -> DiagResult<(Const, Const)> {
        if self.input_dtype(node, 0) == Some(DataType::DOUBLE as i32) {
            return Err(node.err(
                "the input is a float64 tensor, which qonnx quantizes in float64 and fpgaopt reads as float32; store it as float32",
            ));
        }
        let scale = self.req_const(node, 1, "the scale")?;
        let zp = self.req_const(node, 2, "the zero point")?;
        check_param_shape("scale", &scale.shape, x_shape).map_err(|e| node.err(e))?;
        check_param_shape("zero point", &zp.shape, x_shape).map_err(|e| node.err(e))?;
        let s = scale.to_f32();
        check_scale("scale", &s).map_err(|e| node.err(e))?;
        let z = zp.to_f32();
        if let Some(v) = z.iter().find(|v| !v.is_finite()) {
            return Err(node.err(format!("zero point must be finite, got {v}")));
        }
        let (f64_div, f64_add) =
            (promotes_to_f64(self.input_dtype(node, 1)), promotes_to_f64(self.input_dtype(node, 2)));
        if f64_div && !s.iter().all(|&v| is_power_of_two(v)) {
            return Err(node.err(
                "a float64 or int32/int64 scale that is not a power of two makes qonnx divide in float64, which fpgaopt does not model; store the scale as float32",
            ));
        }
        if (f64_div || f64_add) && (risky || z.iter().any(|&v| v != 0.0)) {
            return Err(node.err(
                "a float64 or int32/int64 scale or zero point makes qonnx compute this quantizer in float64, which differs from float32 here (non-zero zero point, half-way rounding mode or more than 24 bits); store them as float32",
            ));
        }
        Ok((scale, zp))
    }

    /// QONNX Quant: `nn.quant`, or folded on a constant input.
    fn quant(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let bits = scalar_int(node, &self.req_const(node, 3, "the bit width")?, "bit width")?;
        check_bit_width(bits).map_err(|e| node.err(e))?;
        let p = QuantParams {
            bit_width: bits,
            signed: node.int("signed", 1)? != 0,
            narrow: node.int("narrow", 0)? != 0,
            rounding: self.rounding_mode(node, "ROUND")?,
        };
        let risky = matches!(p.rounding, RoundingMode::HalfUp | RoundingMode::HalfDown) || bits > 24;
        let (scale, zp) = self.scale_and_zero_point(node, &shape, risky)?;
        let (st, zt) = (f32_tensor(&scale), f32_tensor(&zp));
        if let Val::Const(c) = &x {
            let y = eval::quant(&f32_tensor(c), &st, &zt, p).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(y.into()));
            return Ok(());
        }
        let operands =
            vec![self.operand(node, 0)?, self.f32_operand(node, 1, &scale)?, self.f32_operand(node, 2, &zp)?];
        let attrs = vec![
            ("bit_width", Attribute::i64(bits)),
            ("signed", Attribute::Bool(p.signed)),
            ("narrow", Attribute::Bool(p.narrow)),
            ("rounding_mode", Attribute::str(p.rounding.name())),
        ];
        let y = self.emit(node, fpgaopt_nn::Quant::def(), operands, shape, attrs);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// QONNX BipolarQuant: `nn.bipolar_quant`, or folded on a constant input.
    fn bipolar_quant(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let scale = self.req_const(node, 1, "the scale")?;
        check_param_shape("scale", &scale.shape, &shape).map_err(|e| node.err(e))?;
        check_scale("scale", &scale.to_f32()).map_err(|e| node.err(e))?;
        if [0, 1].iter().any(|&i| self.input_dtype(node, i) == Some(DataType::DOUBLE as i32)) {
            return Err(node.err(
                "a float64 input or scale makes qonnx compute (and output) this quantizer in float64; store them as float32",
            ));
        }
        if let Val::Const(c) = &x {
            let y = eval::bipolar_quant(&f32_tensor(c), &f32_tensor(&scale)).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(y.into()));
            return Ok(());
        }
        let operands = vec![self.operand(node, 0)?, self.f32_operand(node, 1, &scale)?];
        let y = self.emit(node, fpgaopt_nn::BipolarQuant::def(), operands, shape, vec![]);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// QONNX Trunc, version 1 (5 inputs) or 2 (6 inputs, when the model imports the domain at
    /// version 2 or later, which is how qonnx picks the version).
    fn trunc(&mut self, node: &Node) -> DiagResult<()> {
        let version = self.domain_versions.get(&node.proto.domain).copied().unwrap_or(1);
        let inputs = node.proto.input.len();
        let want = if version >= 2 { 6 } else { 5 };
        if inputs != want {
            return Err(node.err(format!(
                "Trunc version {} takes {want} inputs, got {inputs} (the version is the model's opset for domain '{}')",
                version.min(2),
                node.proto.domain
            )));
        }
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let rounding = self.rounding_mode(node, "FLOOR")?;
        let risky = matches!(rounding, RoundingMode::HalfUp | RoundingMode::HalfDown);
        let (scale, zp) = self.scale_and_zero_point(node, &shape, risky)?;
        let in_bits = scalar_int(node, &self.req_const(node, 3, "the input bit width")?, "input bit width")?;
        check_bit_width(in_bits).map_err(|e| node.err(e))?;
        let (p, out_scale, out_zp) = if version >= 2 {
            let out_scale = self.req_const(node, 4, "the output scale")?;
            check_param_shape("output scale", &out_scale.shape, &shape).map_err(|e| node.err(e))?;
            check_scale("output scale", &out_scale.to_f32()).map_err(|e| node.err(e))?;
            let out_bits = scalar_int(node, &self.req_const(node, 5, "the output bit width")?, "output bit width")?;
            check_bit_width(out_bits).map_err(|e| node.err(e))?;
            let shift = trunc_shift(node, &scale, &out_scale)?;
            let divisor = 2f32.powi(shift as i32);
            let out_zp = Const::f32(zp.shape.clone(), zp.to_f32().iter().map(|z| z / divisor).collect());
            let p = TruncParams {
                shift,
                output_bit_width: Some(out_bits),
                signed: node.int("signed", 1)? != 0,
                narrow: node.int("narrow", 0)? != 0,
                rounding,
            };
            (p, out_scale, out_zp)
        } else {
            let out_bits = scalar_int(node, &self.req_const(node, 4, "the output bit width")?, "output bit width")?;
            check_bit_width(out_bits).map_err(|e| node.err(e))?;
            let p = TruncParams {
                shift: in_bits - out_bits,
                output_bit_width: None,
                signed: true,
                narrow: false,
                rounding,
            };
            (p, scale.clone(), zp.clone())
        };
        if !(-126..=127).contains(&p.shift) {
            return Err(node.err(format!("truncation by 2^{} is out of range", p.shift)));
        }
        let params = [&scale, &zp, &out_scale, &out_zp].map(f32_tensor);
        if let Val::Const(c) = &x {
            let y = eval::trunc(&f32_tensor(c), &params[0], &params[1], &params[2], &params[3], p)
                .map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(y.into()));
            return Ok(());
        }
        let mut operands =
            vec![self.operand(node, 0)?, self.f32_operand(node, 1, &scale)?, self.f32_operand(node, 2, &zp)?];
        let tail: Vec<ValueId> = if version >= 2 {
            vec![self.f32_operand(node, 4, &out_scale)?, self.new_constant(node, &out_zp)?]
        } else {
            vec![operands[1], operands[2]]
        };
        operands.extend(tail);
        let mut attrs = vec![
            ("shift", Attribute::i64(p.shift)),
            ("signed", Attribute::Bool(p.signed)),
            ("narrow", Attribute::Bool(p.narrow)),
            ("rounding_mode", Attribute::str(p.rounding.name())),
        ];
        attrs.extend(p.output_bit_width.map(|b| ("output_bit_width", Attribute::i64(b))));
        let y = self.emit(node, fpgaopt_nn::Trunc::def(), operands, shape, attrs);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// A new `nn.constant` located at the node.
    pub(crate) fn new_constant(&mut self, node: &Node, c: &Const) -> DiagResult<ValueId> {
        self.constant(c, &node.loc).map_err(|e| node.err(format!("a constant {e}")))
    }
}

/// The f32 tensor of a constant (integers converted).
pub(crate) fn f32_tensor(c: &Const) -> Tensor {
    Tensor { shape: c.shape.clone(), data: c.to_f32() }
}

/// Trunc version 2's `round(log2(out_scale / scale))`, one value for the whole tensor.
fn trunc_shift(node: &Node, scale: &Const, out_scale: &Const) -> DiagResult<i64> {
    let ratios = eval::div(&f32_tensor(out_scale), &f32_tensor(scale)).map_err(|e| node.err(e))?;
    let logs: Vec<f64> = ratios.data.iter().map(|&r| (r as f64).log2()).collect();
    let shift = logs[0].round_ties_even();
    if logs.iter().any(|&l| l.round_ties_even() != shift || (l - l.trunc()).abs() == 0.5) {
        return Err(node.err("the output scale must be the scale times one power of two"));
    }
    Ok(shift as i64)
}
