//! ONNX linear quantization: `QuantizeLinear`, `DequantizeLinear` (per tensor, per axis; blocked
//! on constants), `QLinearMatMul` and `MatMulInteger`, with onnxruntime's exact semantics.
//!
//! Integer codes stay f32 in the IR (every code has at most 16 bits, sums are checked below
//! 2^24, so f32 holds them exactly):
//! - `QuantizeLinear` of a computed tensor is `nn.quantize_linear`; a `DequantizeLinear` reading
//!   it with the same scale and zero point makes the pair one `nn.qdq` of the float input (the
//!   quantize op is then dead and erased); any other `DequantizeLinear` of codes is
//!   `nn.mul(nn.sub(q, zero_point), scale)`, which is onnxruntime's `float32(q - z) * s`;
//! - `QLinearMatMul` is `nn.sub(a, a_zero_point)` -> `nn.dense` with the integer weights
//!   `b - b_zero_point` -> `nn.mul` by `a_scale * b_scale / y_scale` (float32, in that order, as
//!   onnxruntime) -> `nn.quantize_linear` with scale 1 and `y_zero_point`;
//! - `MatMulInteger` is the same `nn.sub` -> `nn.dense` (its int32 result, carried in f32).
//!
//! The integer dense product is exact only while every partial sum stays below 2^24; the importer
//! bounds `sum_k max|a - a_zp| * |w_kj|` per column with the actual weights and refuses the model
//! otherwise. Constants fold: DequantizeLinear of an integer initializer (per axis or blocked) is an
//! f32 constant `float32(q - z) * s`.

use fpgaopt_ir::{Attribute, DiagResult, ValueId};
use fpgaopt_nn::eval::{self, Tensor};
use fpgaopt_nn::quant::{check_scale, int_range};
use onnx_protobuf::tensor_proto::DataType;
use protobuf::Enum;

use super::consts::{norm_axis, type_name, Const, Data};
use super::graph::{Importer, Node, Val};
use super::qonnx::f32_tensor;

/// The `nn.quantize_linear` behind an integer IR value.
#[derive(Clone, Debug)]
pub(crate) struct Quantized {
    /// The float value that was quantized.
    pub input: ValueId,
    /// Scale and zero point, shaped to broadcast to the input.
    pub scale: Const,
    pub zero_point: Const,
    pub bits: i64,
    pub signed: bool,
}

/// Bit width and signedness of an ONNX integer type (int32 only for DequantizeLinear).
fn int_type(dtype: i32) -> Option<(i64, bool)> {
    match DataType::from_i32(dtype)? {
        DataType::INT4 => Some((4, true)),
        DataType::UINT4 => Some((4, false)),
        DataType::INT8 => Some((8, true)),
        DataType::UINT8 => Some((8, false)),
        DataType::INT16 => Some((16, true)),
        DataType::UINT16 => Some((16, false)),
        DataType::INT32 => Some((32, true)),
        _ => None,
    }
}

/// True for the ONNX integer types quantized codes have.
pub(crate) fn is_code_type(dtype: i32) -> bool {
    int_type(dtype).is_some()
}

/// The most a dense product of codes may reach and still be exact in f32.
pub(super) const EXACT_F32: i64 = 1 << 24;

impl Importer<'_> {
    /// Imports an ONNX linear-quantization operator; false when the op type is not one.
    pub(crate) fn linear_quant_node(&mut self, node: &Node) -> DiagResult<bool> {
        match node.op_type() {
            "QuantizeLinear" => self.quantize_linear(node)?,
            "DequantizeLinear" => self.dequantize_linear(node)?,
            "QLinearMatMul" => self.qlinear_matmul(node)?,
            "MatMulInteger" => self.matmul_integer(node)?,
            "DynamicQuantizeLinear" => {
                return Err(node.err(
                    "scales computed from the data at run time are not supported: fixed-point hardware needs static scales (quantize the model statically, QDQ or QOperator)",
                ))
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The integer type of a (de)quantizer: its zero point's type, else `output_dtype`, else uint8.
    pub(super) fn linear_type(&self, node: &Node, zp_input: usize, fallback: Option<i32>) -> DiagResult<(i64, bool, i32)> {
        let dtype = match self.input(node, zp_input)? {
            Some(_) => self.input_dtype(node, zp_input),
            None => fallback,
        }
        .or_else(|| (node.op_type() == "QuantizeLinear").then_some(DataType::UINT8 as i32));
        let Some(dtype) = dtype else {
            return Err(node.err("cannot tell the integer type (give the zero point as an initializer)"));
        };
        match int_type(dtype) {
            Some((32, _)) if node.op_type() != "DequantizeLinear" => {
                Err(node.err("int32 quantization is not supported"))
            }
            Some((b, s)) => Ok((b, s, dtype)),
            None => Err(node.err(format!(
                "quantization to {} is not supported (int4, uint4, int8, uint8, int16, uint16)",
                type_name(dtype)
            ))),
        }
    }

    /// A scale or zero point shaped to broadcast to `x`: a scalar, or `[C, 1, ..., 1]` per axis.
    fn axis_param(&self, node: &Node, c: &Const, x: &[i64], what: &str) -> DiagResult<Const> {
        if c.len() == 1 && c.shape.len() <= 1 {
            return Ok(c.reshaped(vec![]));
        }
        if c.shape.len() != 1 {
            return Err(node.err(format!("{what} of shape {:?} is neither a scalar nor per axis", c.shape)));
        }
        if self.opset < 13 {
            return Err(node.err(format!("a per-axis {what} needs opset 13")));
        }
        let axis = norm_axis(node.int("axis", 1)?, x.len(), false).map_err(|e| node.err(e))?;
        if c.len() as i64 != x[axis] {
            return Err(node.err(format!(
                "{what} has {} values but axis {axis} of the input {x:?} has {}",
                c.len(),
                x[axis]
            )));
        }
        let mut shape = vec![x[axis]];
        shape.extend(std::iter::repeat_n(1, x.len() - axis - 1));
        Ok(c.reshaped(shape))
    }

    /// The scale (input 1), checked positive.
    fn linear_scale(&self, node: &Node) -> DiagResult<Const> {
        let scale = self.req_const(node, 1, "the scale")?;
        if scale.tensor().is_none() {
            return Err(node.err("the scale must be a float tensor"));
        }
        check_scale("scale", &scale.to_f32()).map_err(|e| node.err(e))?;
        Ok(scale)
    }

    /// The zero point (input 2), zero when absent, checked to be a code of the type.
    fn linear_zero_point(&self, node: &Node, scale: &Const, bits: i64, signed: bool) -> DiagResult<Const> {
        let zp = match self.input(node, 2)? {
            None => Const::i64(scale.shape.clone(), vec![0; scale.len()]),
            Some(Val::Const(c)) => c,
            Some(Val::Ir(_)) => return Err(node.err("the zero point (input #2) must be a constant")),
        };
        let (lo, hi) = int_range(bits, signed, false);
        let z = zp.to_f32();
        if let Some(v) = z.iter().find(|&&v| v.fract() != 0.0 || (v as f64) < lo as f64 || (v as f64) > hi as f64) {
            return Err(node.err(format!("zero point {v} is not a value of the type [{lo}, {hi}]")));
        }
        Ok(zp)
    }

    fn quantize_linear(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let fallback = node.int("output_dtype", 0)?;
        let (bits, signed, dtype) = self.linear_type(node, 2, (fallback != 0).then_some(fallback as i32))?;
        let scale = self.linear_scale(node)?;
        let zp = self.linear_zero_point(node, &scale, bits, signed)?;
        if node.int("block_size", 0)? != 0 {
            return Err(
                node.err("blocked quantization of a tensor is not supported (only of constants, by DequantizeLinear)")
            );
        }
        let s = self.axis_param(node, &scale, &shape, "scale")?;
        let z = self.axis_param(node, &Const::f32(zp.shape.clone(), zp.to_f32()), &shape, "zero point")?;
        self.set_output_dtype(node, 0, dtype);
        if let Val::Const(c) = &x {
            let x = c.tensor().ok_or_else(|| node.err("the input must be a float tensor"))?;
            let q =
                eval::quantize_linear(&x, &f32_tensor(&s), &f32_tensor(&z), bits, signed).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(Const::i64(q.shape, q.data.iter().map(|&v| v as i64).collect())));
            return Ok(());
        }
        let xv = self.operand(node, 0)?;
        let (sv, zv) = (self.new_constant(node, &s)?, self.new_constant(node, &z)?);
        let attrs = vec![("bit_width", Attribute::i64(bits)), ("signed", Attribute::Bool(signed))];
        let y = self.emit(node, fpgaopt_nn::QuantizeLinear::def(), vec![xv, sv, zv], shape, attrs);
        self.int_ranges.insert(y, int_range(bits, signed, false));
        self.quantized.insert(y, Quantized { input: xv, scale: s, zero_point: z, bits, signed });
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    fn dequantize_linear(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        if matches!(x, Val::Ir(xv) if !self.int_ranges.contains_key(&xv)) {
            return Err(node.err(
                "the input must hold integer codes: the output of QuantizeLinear, QLinearMatMul or MatMulInteger",
            ));
        }
        let (bits, signed, _) = self.linear_type(node, 2, self.input_dtype(node, 0))?;
        let scale = self.linear_scale(node)?;
        let zp = self.linear_zero_point(node, &scale, bits, signed)?;
        let block = node.int("block_size", 0)?;
        if let Val::Const(c) = &x {
            let Data::I64(q) = &c.data else { return Err(node.err("the input must be an integer tensor")) };
            let (s, z) = if block != 0 {
                (self.blocked(node, &scale, &shape, block)?, self.blocked(node, &zp, &shape, block)?)
            } else {
                let s = self.axis_param(node, &scale, &shape, "scale")?;
                let z = self.axis_param(node, &zp, &shape, "zero point")?;
                (expand(node, &s, &shape)?, expand(node, &z, &shape)?)
            };
            let y = eval::dequantize_linear(q, &to_ints(&z), &s.to_f32());
            self.define(node, 0, Val::Const(Const::f32(shape, y)));
            return Ok(());
        }
        let Val::Ir(xv) = x else { unreachable!("constants returned above") };
        if block != 0 {
            return Err(node.err("blocked dequantization of a computed tensor is not supported"));
        }
        let s = self.axis_param(node, &scale, &shape, "scale")?;
        let z = self.axis_param(node, &Const::f32(zp.shape.clone(), zp.to_f32()), &shape, "zero point")?;
        let attrs = vec![("bit_width", Attribute::i64(bits)), ("signed", Attribute::Bool(signed))];
        let pair =
            self.quantized.get(&xv).filter(|q| q.bits == bits && q.signed == signed && q.zero_point == z).cloned();
        let y = match pair {
            // Q -> DQ with the same parameters: one fake quantizer.
            Some(q) if q.scale == s => {
                let (sv, zv) = (self.new_constant(node, &s)?, self.new_constant(node, &z)?);
                self.emit(node, fpgaopt_nn::Qdq::def(), vec![q.input, sv, zv], shape, attrs)
            }
            // A requantization (scale 1) then its dequantization: qdq(v, 1, z) * s.
            Some(q) if q.scale.to_f32().iter().all(|&v| v == 1.0) => {
                let (one, zv) = (self.new_constant(node, &q.scale)?, self.new_constant(node, &z)?);
                let t = self.emit(node, fpgaopt_nn::Qdq::def(), vec![q.input, one, zv], shape.clone(), attrs);
                let sv = self.new_constant(node, &s)?;
                self.emit(node, fpgaopt_nn::Mul::def(), vec![t, sv], shape, vec![])
            }
            // float32(q - z) * s, exact: the codes and their difference fit f32's 24 bits.
            _ => {
                let mut t = xv;
                if z.to_f32().iter().any(|&v| v != 0.0) {
                    let zv = self.new_constant(node, &z)?;
                    t = self.emit(node, fpgaopt_nn::Sub::def(), vec![t, zv], shape.clone(), vec![]);
                }
                let sv = self.new_constant(node, &s)?;
                self.emit(node, fpgaopt_nn::Mul::def(), vec![t, sv], shape, vec![])
            }
        };
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// A blocked (opset 21) scale or zero point expanded to the full input shape.
    fn blocked(&self, node: &Node, c: &Const, x: &[i64], block: i64) -> DiagResult<Const> {
        let axis = norm_axis(node.int("axis", 1)?, x.len(), false).map_err(|e| node.err(e))?;
        let blocks = (x[axis] + block - 1) / block.max(1);
        let mut want = x.to_vec();
        want[axis] = blocks;
        if block < 0 || c.shape != want {
            return Err(node.err(format!("blocked parameter of shape {:?} should be {want:?}", c.shape)));
        }
        let (inner, n) = (x[axis + 1..].iter().product::<i64>(), x.iter().product::<i64>());
        let idx = (0..n).map(|i| {
            let (outer, rest) = (i / (inner * x[axis]), i % (inner * x[axis]));
            let (a, r) = (rest / inner, rest % inner);
            ((outer * blocks + a / block) * inner + r) as usize
        });
        Ok(pick(c, x.to_vec(), idx))
    }

    /// `QLinearMatMul`: integer dense product, float32 rescale, requantization.
    fn qlinear_matmul(&mut self, node: &Node) -> DiagResult<()> {
        let a = self.req(node, 0)?;
        let scalar = |imp: &Self, i: usize, what: &str| -> DiagResult<f32> {
            imp.req_const(node, i, what)?.scalar_f32().ok_or_else(|| node.err(format!("{what} must be a scalar")))
        };
        let (a_scale, y_scale) = (scalar(self, 1, "a_scale")?, scalar(self, 6, "y_scale")?);
        let (a_zp, y_zp) = (scalar(self, 2, "a_zero_point")? as i64, scalar(self, 7, "y_zero_point")?);
        check_scale("a_scale", &[a_scale]).map_err(|e| node.err(e))?;
        check_scale("y_scale", &[y_scale]).map_err(|e| node.err(e))?;
        let (w, n) = self.integer_weight(node, 3, 5)?;
        let b_scale = self.req_const(node, 4, "b_scale")?;
        let bs = column_values(node, &b_scale, n, "b_scale")?;
        check_scale("b_scale", &bs).map_err(|e| node.err(e))?;
        let (y_bits, y_signed, y_dtype) = self.linear_type(node, 7, None)?;
        // onnxruntime: a_scale * b_scale[j] / y_scale, left to right in float32.
        let mult: Vec<f32> = bs.iter().map(|&b| a_scale * b / y_scale).collect();
        let acc = self.integer_dense(node, a, a_zp, &w, n)?;
        self.requantize(node, acc, &column_const(&mult, n), y_zp, (y_bits, y_signed, y_dtype))
    }

    /// The QOperator output: exact integer accumulators `acc` times the float32 multipliers
    /// `mult`, quantized with scale 1 and the zero point `y_zp` to the type `y` (bits, signed,
    /// ONNX type), as onnxruntime's requantization does; constants fold.
    pub(super) fn requantize(&mut self, node: &Node, acc: Val, mult: &Const, y_zp: f32, y: (i64, bool, i32)) -> DiagResult<()> {
        let (bits, signed, dtype) = y;
        self.set_output_dtype(node, 0, dtype);
        let acc = match acc {
            Val::Ir(acc) => acc,
            Val::Const(c) => {
                let v = eval::mul(&f32_tensor(&c), &f32_tensor(mult)).map_err(|e| node.err(e))?;
                let q = eval::quantize_linear(&v, &Tensor::scalar(1.0), &Tensor::scalar(y_zp), bits, signed)
                    .map_err(|e| node.err(e))?;
                self.define(node, 0, Val::Const(Const::i64(q.shape, q.data.iter().map(|&v| v as i64).collect())));
                return Ok(());
            }
        };
        let out = self.shape(&Val::Ir(acc));
        let mv = self.new_constant(node, mult)?;
        let v = self.emit(node, fpgaopt_nn::Mul::def(), vec![acc, mv], out.clone(), vec![]);
        let one = Const::f32(vec![], vec![1.0]);
        let z = Const::f32(vec![], vec![y_zp]);
        let (ov, zv) = (self.new_constant(node, &one)?, self.new_constant(node, &z)?);
        let attrs = vec![("bit_width", Attribute::i64(bits)), ("signed", Attribute::Bool(signed))];
        let y = self.emit(node, fpgaopt_nn::QuantizeLinear::def(), vec![v, ov, zv], out, attrs);
        self.int_ranges.insert(y, int_range(bits, signed, false));
        self.quantized.insert(y, Quantized { input: v, scale: one, zero_point: z, bits, signed });
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// `MatMulInteger`: the exact int32 product, carried in f32.
    fn matmul_integer(&mut self, node: &Node) -> DiagResult<()> {
        let a = self.req(node, 0)?;
        let a_zp = match self.input(node, 2)? {
            None => 0,
            Some(Val::Const(c)) => {
                c.scalar_f32().ok_or_else(|| node.err("a per-row a_zero_point is not supported"))? as i64
            }
            Some(Val::Ir(_)) => return Err(node.err("a_zero_point (input #2) must be a constant")),
        };
        let (w, n) = self.integer_weight(node, 1, 3)?;
        let acc = self.integer_dense(node, a, a_zp, &w, n)?;
        self.set_output_dtype(node, 0, DataType::INT32 as i32);
        self.define(node, 0, acc);
        Ok(())
    }

    /// The constant 2-D integer weight at input `b` minus its zero point at input `zp` (scalar or
    /// per column): `[K, N]` codes as i64, and N.
    fn integer_weight(&self, node: &Node, b: usize, zp: usize) -> DiagResult<(Vec<Vec<i64>>, i64)> {
        let bc = self.req_const(node, b, "the weight")?;
        let (Data::I64(codes), &[k, n]) = (&bc.data, &bc.shape[..]) else {
            return Err(node.err(format!("the weight must be a 2-D integer constant, got shape {:?}", bc.shape)));
        };
        let zps = match self.input(node, zp)? {
            None => vec![0; n as usize],
            Some(Val::Const(c)) => {
                column_values(node, &c, n, "the weight zero point")?.iter().map(|&v| v as i64).collect()
            }
            Some(Val::Ir(_)) => return Err(node.err(format!("the weight zero point (input #{zp}) must be a constant"))),
        };
        let w =
            (0..k as usize).map(|r| (0..n as usize).map(|c| codes[r * n as usize + c] - zps[c]).collect()).collect();
        Ok((w, n))
    }

    /// `nn.dense(a - a_zp, w, 0)` on integer codes `a`, after checking every partial sum is exact.
    fn integer_dense(&mut self, node: &Node, a: Val, a_zp: i64, w: &[Vec<i64>], n: i64) -> DiagResult<Val> {
        let k = w.len();
        let av = match a {
            Val::Ir(av) => av,
            // Constant codes fold: the exact integer product.
            Val::Const(c) => {
                let Data::I64(codes) = &c.data else { return Err(node.err("input A must be an integer tensor")) };
                if c.shape.last() != Some(&(k as i64)) {
                    return Err(node.err(format!("input A of shape {:?} does not end in the weight's K = {k}", c.shape)));
                }
                let acc = codes
                    .chunks(k.max(1))
                    .flat_map(|row| (0..n as usize).map(move |j| (0..k).map(|i| (row[i] - a_zp) * w[i][j]).sum::<i64>()))
                    .collect();
                let mut shape = c.shape.clone();
                *shape.last_mut().expect("checked above") = n;
                return Ok(Val::Const(Const::i64(shape, acc)));
            }
        };
        let Some(&(lo, hi)) = self.int_ranges.get(&av) else {
            return Err(node.err("input A must hold integer codes: the output of QuantizeLinear or QLinearMatMul"));
        };
        let shape = self.shape(&Val::Ir(av));
        let k = k as i64;
        if shape.last() != Some(&k) {
            return Err(node.err(format!("input A of shape {shape:?} does not end in the weight's K = {k}")));
        }
        let amax = (lo - a_zp).abs().max((hi - a_zp).abs());
        let bound = (0..n as usize).map(|c| w.iter().map(|row| row[c].abs()).sum::<i64>() * amax).max().unwrap_or(0);
        if bound >= EXACT_F32 {
            return Err(node.err(format!(
                "the integer product may reach {bound}, beyond 2^24, where float32 (the nn dialect's number type) is no longer exact"
            )));
        }
        let mut x = av;
        if a_zp != 0 {
            let zv = self.new_constant(node, &Const::f32(vec![], vec![a_zp as f32]))?;
            x = self.emit(node, fpgaopt_nn::Sub::def(), vec![av, zv], shape.clone(), vec![]);
        }
        let flat: Vec<f32> = w.iter().flat_map(|row| row.iter().map(|&v| v as f32)).collect();
        let wv = self.new_constant(node, &Const::f32(vec![k, n], flat))?;
        let bv = self.new_constant(node, &Const::f32(vec![n], vec![0.0; n as usize]))?;
        let mut out = shape;
        *out.last_mut().expect("checked above") = n;
        let acc = self.emit(node, fpgaopt_nn::Dense::def(), vec![x, wv, bv], out, vec![]);
        self.int_ranges.insert(acc, (-bound, bound));
        Ok(Val::Ir(acc))
    }
}

/// Per-column values of a scalar or `[N]` parameter.
pub(super) fn column_values(node: &Node, c: &Const, n: i64, what: &str) -> DiagResult<Vec<f32>> {
    match c.len() {
        1 => Ok(vec![c.to_f32()[0]; n as usize]),
        l if l as i64 == n && c.shape.len() == 1 => Ok(c.to_f32()),
        _ => {
            Err(node.err(format!("{what} of shape {:?} must be a scalar or have one value per column ({n})", c.shape)))
        }
    }
}

/// A scalar constant when all `n` values agree, else `[N]`.
fn column_const(v: &[f32], n: i64) -> Const {
    if v.iter().all(|&x| x == v[0]) {
        Const::f32(vec![], vec![v[0]])
    } else {
        Const::f32(vec![n], v.to_vec())
    }
}

/// A broadcastable parameter expanded to the full shape `x`.
fn expand(node: &Node, c: &Const, x: &[i64]) -> DiagResult<Const> {
    let (out, pairs) = eval::broadcast_indices(x, &c.shape)
        .filter(|(out, _)| out == x)
        .ok_or_else(|| node.err(format!("parameter of shape {:?} does not broadcast to {x:?}", c.shape)))?;
    Ok(pick(c, out, pairs.into_iter().map(|(_, j)| j)))
}

/// Elements of `c` picked by flat index.
fn pick(c: &Const, shape: Vec<i64>, idx: impl Iterator<Item = usize>) -> Const {
    match &c.data {
        Data::F32(v) => Const::f32(shape, idx.map(|i| v[i]).collect()),
        Data::I64(v) => Const::i64(shape, idx.map(|i| v[i]).collect()),
    }
}

/// The integer values of a constant.
fn to_ints(c: &Const) -> Vec<i64> {
    match &c.data {
        Data::I64(v) => v.clone(),
        Data::F32(v) => v.iter().map(|&x| x as i64).collect(),
    }
}
