//! Operators that move or describe data without arithmetic: Constant, Identity, Dropout, Shape,
//! Gather, Unsqueeze, Squeeze, Concat, Cast, Transpose, Flatten and Reshape. On constants they fold;
//! on computed tensors the ones that only regroup dimensions become `nn.reshape`/`nn.flatten`, other
//! transposes `nn.transpose`, and Identity, Dropout and Cast to FLOAT `nn.identity`, `nn.dropout`,
//! `nn.cast` (which `nn-canonicalize` removes).

use fpgaopt_ir::{Attribute, DiagResult};
use onnx_protobuf::tensor_proto::DataType;
use protobuf::Enum;

use super::consts::{self, decode_tensor, is_integer_type, type_name, Const, Data};
use super::graph::{Importer, Node, Val};

impl Importer<'_> {
    /// Imports a data-movement operator; false when the op type is not one.
    pub(crate) fn shape_node(&mut self, node: &Node) -> DiagResult<bool> {
        match node.op_type() {
            "Constant" => {
                let (c, dtype) = constant_attr(node)?;
                self.set_output_dtype(node, 0, dtype);
                if !self.qonnx_reference() {
                    self.initializers.extend(node.proto.output.first().cloned());
                }
                self.define(node, 0, Val::Const(c));
            }
            "Identity" | "Dropout" => {
                if node.op_type() == "Dropout" && self.output_used(node, 1) {
                    return Err(node.err("the mask output is not supported (inference only)"));
                }
                let training = match self.input(node, 2)? {
                    Some(Val::Const(c)) => c.to_f32().first().is_some_and(|&t| t != 0.0),
                    Some(Val::Ir(_)) => true,
                    None => false,
                };
                if node.op_type() == "Dropout" && training {
                    return Err(node.err("training_mode must be a constant false (inference only)"));
                }
                let def = if node.op_type() == "Dropout" { fpgaopt_nn::Dropout::def() } else { fpgaopt_nn::Identity::def() };
                self.pass_through(node, def, vec![])?;
            }
            "Shape" => self.shape_of(node)?,
            "Gather" => {
                let data = self.req_const(node, 0, "data")?;
                let indices = self.req_const(node, 1, "indices")?;
                let c = consts::gather(&data, &indices, node.int("axis", 0)?).map_err(|e| node.err(e))?;
                self.define(node, 0, Val::Const(c));
            }
            "Concat" => {
                let axis = node.int("axis", i64::MIN)?;
                if axis == i64::MIN {
                    return Err(node.err("missing attribute 'axis'"));
                }
                let vals = (0..node.proto.input.len()).map(|i| self.req(node, i)).collect::<DiagResult<Vec<_>>>()?;
                if vals.iter().all(|v| matches!(v, Val::Const(_))) {
                    let parts: Vec<_> = vals.into_iter().filter_map(|v| if let Val::Const(c) = v { Some(c) } else { None }).collect();
                    let c = consts::concat(&parts, axis).map_err(|e| node.err(e))?;
                    self.define(node, 0, Val::Const(c));
                } else {
                    // Computed tensors: an nn.concat (constant parts become nn.constant).
                    let shapes: Vec<Vec<i64>> = vals.iter().map(|v| self.shape(v)).collect();
                    let refs: Vec<&[i64]> = shapes.iter().map(Vec::as_slice).collect();
                    let shape = fpgaopt_nn::layout::concat_shape(&refs, axis).map_err(|e| node.err(e))?;
                    let ids = (0..vals.len()).map(|i| self.operand(node, i)).collect::<DiagResult<Vec<_>>>()?;
                    let v = self.emit(node, fpgaopt_nn::Concat::def(), ids, shape, vec![("axis", Attribute::i64(axis))]);
                    self.define(node, 0, Val::Ir(v));
                }
            }
            "Cast" => self.cast(node)?,
            "Transpose" => self.transpose(node)?,
            "Unsqueeze" => self.unsqueeze(node)?,
            "Squeeze" => self.squeeze(node)?,
            "Flatten" => self.flatten(node)?,
            "Reshape" => self.reshape(node)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Gives input 0 a new shape with the same elements: folded, or an `nn.reshape`.
    fn regroup(&mut self, node: &Node, shape: Vec<i64>) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let v = match &x {
            Val::Const(c) => Val::Const(c.reshaped(shape)),
            Val::Ir(_) => {
                let xv = self.operand(node, 0)?;
                Val::Ir(self.emit(node, fpgaopt_nn::Reshape::def(), vec![xv], shape, vec![]))
            }
        };
        self.define(node, 0, v);
        self.forward_int_range(node, &x);
        Ok(())
    }

    /// Identity, Dropout, Cast to float: a constant or integer codes (which quantizer import
    /// tracks by value) forward as they are, any other computed tensor gets the `nn` op `def`.
    fn pass_through(&mut self, node: &Node, def: &'static fpgaopt_ir::OpDef, attrs: Vec<(&str, Attribute)>) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        if let Some(t) = self.input_dtype(node, 0) {
            self.set_output_dtype(node, 0, t);
        }
        let v = match &x {
            Val::Ir(xv) if !self.int_ranges.contains_key(xv) => {
                let shape = self.shape(&x);
                Val::Ir(self.emit(node, def, vec![*xv], shape, attrs))
            }
            _ => x.clone(),
        };
        self.define(node, 0, v);
        self.forward_int_range(node, &x);
        Ok(())
    }

    /// Output 0 of a data-movement node holds the same integer codes as its input 0, if any.
    fn forward_int_range(&mut self, node: &Node, x: &Val) {
        let Val::Ir(xv) = x else { return };
        let Some(&range) = self.int_ranges.get(xv) else { return };
        if let Some(t) = self.input_dtype(node, 0) {
            self.set_output_dtype(node, 0, t);
        }
        if let Some(Val::Ir(y)) = node.proto.output.first().and_then(|n| self.input_by_name(n)) {
            self.int_ranges.insert(y, range);
        }
    }

    /// Axes from input #1 (opset 13 on) or the `axes` attribute (before).
    fn axes(&self, node: &Node) -> DiagResult<Option<Vec<i64>>> {
        if self.opset >= 13 {
            return match self.input(node, 1)? {
                None => Ok(None),
                Some(Val::Const(c)) => {
                    c.ints().map(|v| Some(v.to_vec())).ok_or_else(|| node.err("axes must be integers"))
                }
                Some(Val::Ir(_)) => Err(node.err("axes (input #1) must be a constant")),
            };
        }
        node.ints("axes")
    }

    fn shape_of(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let s = self.shape(&x);
        let rank = s.len() as i64;
        let clamp = |v: i64| (if v < 0 { v + rank } else { v }).clamp(0, rank) as usize;
        let (start, end) = (clamp(node.int("start", 0)?), clamp(node.int("end", rank)?));
        let dims = s[start..end.max(start)].to_vec();
        self.define(node, 0, Val::Const(Const::i64(vec![dims.len() as i64], dims)));
        Ok(())
    }

    fn cast(&mut self, node: &Node) -> DiagResult<()> {
        let to = node.int("to", -1)?;
        let to32 = i32::try_from(to).unwrap_or(-1);
        self.set_output_dtype(node, 0, to32);
        let to_float = matches!(DataType::from_i32(to32), Some(DataType::FLOAT | DataType::DOUBLE));
        if !to_float && !is_integer_type(to32) {
            return Err(node.err(format!("cast to {} is not supported", type_name(to32))));
        }
        let v = match self.req(node, 0)? {
            Val::Ir(_) if to32 == DataType::FLOAT as i32 => {
                self.pass_through(node, fpgaopt_nn::Cast::def(), vec![("to", Attribute::Type(fpgaopt_ir::Type::F32))])?;
                self.set_output_dtype(node, 0, to32);
                return Ok(());
            }
            Val::Ir(x) if to_float => Val::Ir(x),
            Val::Ir(_) => {
                return Err(node.err(format!("cast of a computed tensor to {} is not supported", type_name(to32))))
            }
            Val::Const(c) if to_float => Val::Const(Const::f32(c.shape.clone(), c.to_f32())),
            Val::Const(c) => {
                let ints = match &c.data {
                    Data::I64(v) => v.clone(),
                    Data::F32(v) => v.iter().map(|&x| x as i64).collect(),
                };
                let ints =
                    if to32 == DataType::BOOL as i32 { ints.iter().map(|&x| (x != 0) as i64).collect() } else { ints };
                Val::Const(Const::i64(c.shape.clone(), ints))
            }
        };
        self.define(node, 0, v);
        Ok(())
    }

    fn transpose(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let perm =
            consts::permutation(&node.ints("perm")?.unwrap_or_default(), shape.len()).map_err(|e| node.err(e))?;
        if let Val::Const(c) = &x {
            self.define(node, 0, Val::Const(consts::transpose(c, &perm)));
            return Ok(());
        }
        // Moving only size-1 axes keeps the row-major order of the elements: a reshape.
        let kept: Vec<usize> = perm.iter().copied().filter(|&p| shape[p] != 1).collect();
        let out: Vec<i64> = perm.iter().map(|&p| shape[p]).collect();
        if kept.windows(2).all(|w| w[0] < w[1]) {
            return self.regroup(node, out);
        }
        let xv = self.operand(node, 0)?;
        let perm = Attribute::i64_array(&perm.iter().map(|&p| p as i64).collect::<Vec<_>>());
        let y = self.emit(node, fpgaopt_nn::Transpose::def(), vec![xv], out, vec![("perm", perm)]);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    fn unsqueeze(&mut self, node: &Node) -> DiagResult<()> {
        let shape = self.shape(&self.req(node, 0)?);
        let axes = self.axes(node)?.ok_or_else(|| node.err("missing axes"))?;
        let rank = shape.len() + axes.len();
        let mut ones = vec![false; rank];
        for &a in &axes {
            let a = consts::norm_axis(a, rank, false).map_err(|e| node.err(e))?;
            if std::mem::replace(&mut ones[a], true) {
                return Err(node.err(format!("axis {a} is repeated")));
            }
        }
        let mut dims = shape.iter();
        let out = ones.iter().map(|&one| if one { 1 } else { *dims.next().unwrap_or(&1) }).collect();
        self.regroup(node, out)
    }

    fn squeeze(&mut self, node: &Node) -> DiagResult<()> {
        let shape = self.shape(&self.req(node, 0)?);
        let drop: Vec<usize> = match self.axes(node)? {
            None => (0..shape.len()).filter(|&d| shape[d] == 1).collect(),
            Some(axes) => axes
                .iter()
                .map(|&a| consts::norm_axis(a, shape.len(), false))
                .collect::<Result<_, _>>()
                .map_err(|e| node.err(e))?,
        };
        if let Some(&d) = drop.iter().find(|&&d| shape[d] != 1) {
            return Err(node.err(format!("cannot squeeze axis {d} of size {}", shape[d])));
        }
        let out = (0..shape.len()).filter(|d| !drop.contains(d)).map(|d| shape[d]).collect();
        self.regroup(node, out)
    }

    fn flatten(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let axis = consts::norm_axis(node.int("axis", 1)?, shape.len(), true).map_err(|e| node.err(e))?;
        let out = vec![shape[..axis].iter().product::<i64>(), shape[axis..].iter().product::<i64>()];
        if let Val::Const(c) = &x {
            self.define(node, 0, Val::Const(c.reshaped(out)));
            return Ok(());
        }
        let xv = self.operand(node, 0)?;
        let y = self.emit(node, fpgaopt_nn::Flatten::def(), vec![xv], out, vec![("axis", Attribute::i64(axis as i64))]);
        self.define(node, 0, Val::Ir(y));
        self.forward_int_range(node, &x);
        Ok(())
    }

    /// Reshape by a constant shape: `0` copies the input dimension (unless `allowzero`), one `-1`
    /// takes what is left.
    fn reshape(&mut self, node: &Node) -> DiagResult<()> {
        let input = self.shape(&self.req(node, 0)?);
        let target = self.req_const(node, 1, "the shape")?;
        let target = target.ints().ok_or_else(|| node.err("the shape must be integers"))?.to_vec();
        let allow_zero = node.int("allowzero", 0)? != 0;
        let mut out = Vec::with_capacity(target.len());
        let mut infer = None;
        for (i, &d) in target.iter().enumerate() {
            out.push(match d {
                0 if !allow_zero => *input.get(i).ok_or_else(|| {
                    node.err(format!("shape {target:?} copies axis {i}, which the input {input:?} lacks"))
                })?,
                -1 if infer.is_none() => {
                    infer = Some(i);
                    1
                }
                d if d >= 0 => d,
                _ => return Err(node.err(format!("invalid shape {target:?}"))),
            });
        }
        let total: i64 = input.iter().product();
        let known: i64 = out.iter().product();
        if let Some(i) = infer {
            if known == 0 || total % known != 0 {
                return Err(node.err(format!("cannot reshape {input:?} into {target:?}")));
            }
            out[i] = total / known;
        }
        if out.iter().product::<i64>() != total {
            return Err(node.err(format!("cannot reshape {input:?} into {target:?}")));
        }
        self.regroup(node, out)
    }
}

/// The value of a Constant node and its ONNX element type.
fn constant_attr(node: &Node) -> DiagResult<(Const, i32)> {
    let Some(a) = node.proto.attribute.first() else { return Err(node.err("missing value attribute")) };
    let (float, int) = (DataType::FLOAT as i32, DataType::INT64 as i32);
    match a.name.as_str() {
        "value" => match a.t.as_ref() {
            Some(t) => Ok((decode_tensor(t).map_err(|e| node.err(e))?, t.data_type)),
            None => Err(node.err("attribute 'value' holds no tensor")),
        },
        "value_float" => Ok((Const::f32(vec![], vec![a.f]), float)),
        "value_floats" => Ok((Const::f32(vec![a.floats.len() as i64], a.floats.clone()), float)),
        "value_int" => Ok((Const::i64(vec![], vec![a.i]), int)),
        "value_ints" => Ok((Const::i64(vec![a.ints.len() as i64], a.ints.clone()), int)),
        other => Err(node.err(format!("attribute '{other}' is not supported"))),
    }
}
