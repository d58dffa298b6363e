//! Layer operators: Gemm, MatMul (+ Add), elementwise arithmetic, activations, Softmax and
//! BatchNormalization. Each folds to a constant when all its inputs are constants.

use fpgaopt_ir::{Attribute, DiagResult, OpDef};
use fpgaopt_nn::eval::{self, DenseOrder, Tensor};
use fpgaopt_nn::{broadcast_shapes, matmul_shape};

use super::consts::{self, Const};
use super::graph::{Importer, Node, Val};

/// The `[N]` bias a constant stands for when it broadcasts along the last axis only: shape `[]`,
/// `[1]`, `[N]`, `[1, N]`, ... (float data only).
pub(crate) fn bias_vector(c: &Const, n: i64) -> Option<Vec<f32>> {
    let t = c.tensor()?;
    let (last, rest) = c.shape.split_last().unwrap_or((&1, &[]));
    if rest.iter().any(|&d| d != 1) {
        return None;
    }
    match *last {
        1 => Some(vec![t.data[0]; n as usize]),
        l if l == n => Some(t.data),
        _ => None,
    }
}

/// The `order` attribute of an `nn.dense` (none for the default prepacked order).
fn order_attrs(order: DenseOrder) -> Vec<(&'static str, Attribute)> {
    match order {
        DenseOrder::Packed => vec![],
        o => vec![("order", Attribute::str(o.name()))],
    }
}

/// The exact f32 reciprocal of `v`, if there is one (`v` a power of two whose inverse is finite).
fn exact_reciprocal(v: f32) -> Option<f32> {
    let r = 1.0 / v;
    (r.is_finite() && r != 0.0 && (r as f64) * (v as f64) == 1.0).then_some(r)
}

impl Importer<'_> {
    /// Imports a layer operator; false when the op type is not one.
    pub(crate) fn layer_node(&mut self, node: &Node) -> DiagResult<bool> {
        match node.op_type() {
            "Gemm" => self.gemm(node)?,
            "MatMul" => self.matmul(node)?,
            "Add" => {
                if !self.fuse_bias(node)? {
                    self.binary(node, fpgaopt_nn::Add::def(), |x, y| x + y, i64::checked_add)?
                }
            }
            "Sub" => self.binary(node, fpgaopt_nn::Sub::def(), |x, y| x - y, i64::checked_sub)?,
            "Mul" => self.binary(node, fpgaopt_nn::Mul::def(), |x, y| x * y, i64::checked_mul)?,
            "Div" => self.div(node)?,
            "Pow" => self.pow(node)?,
            "Relu" => self.unary(node, fpgaopt_nn::Relu::def(), vec![], eval::relu)?,
            "Sigmoid" => self.unary(node, fpgaopt_nn::Sigmoid::def(), vec![], eval::sigmoid)?,
            "Tanh" => self.unary(node, fpgaopt_nn::Tanh::def(), vec![], eval::tanh)?,
            "LeakyRelu" => {
                let alpha = node.float("alpha", 0.01)?;
                let attrs = vec![("alpha", Attribute::f64(alpha as f64))];
                self.unary(node, fpgaopt_nn::LeakyRelu::def(), attrs, |t| eval::leaky_relu(t, alpha))?
            }
            "Clip" => self.clip(node)?,
            "HardSigmoid" => self.hard_sigmoid(node)?,
            "Softmax" => self.softmax(node)?,
            "BatchNormalization" => self.batch_norm(node)?,
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// True when input `i` is a constant onnxruntime holds as an initializer (so it prepacks it
    /// as a weight), not a value it computes at run time.
    fn is_initializer(&self, node: &Node, i: usize) -> bool {
        node.proto.input.get(i).is_some_and(|n| self.initializers.contains(n))
    }

    /// A float constant input as a tensor.
    fn float_const(&self, node: &Node, c: &Const) -> DiagResult<Tensor> {
        c.tensor().ok_or_else(|| node.err("integer tensors are not supported as layer inputs"))
    }

    fn unary(
        &mut self,
        node: &Node,
        def: &'static OpDef,
        attrs: Vec<(&str, Attribute)>,
        f: impl Fn(&Tensor) -> Tensor,
    ) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        if let Val::Const(c) = &x {
            let t = self.float_const(node, c)?;
            self.define(node, 0, Val::Const(f(&t).into()));
            return Ok(());
        }
        let shape = self.shape(&x);
        let xv = self.operand(node, 0)?;
        let y = self.emit(node, def, vec![xv], shape, attrs);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    fn binary(
        &mut self,
        node: &Node,
        def: &'static OpDef,
        ff: fn(f32, f32) -> f32,
        fi: fn(i64, i64) -> Option<i64>,
    ) -> DiagResult<()> {
        let (a, b) = (self.req(node, 0)?, self.req(node, 1)?);
        if let (Val::Const(x), Val::Const(y)) = (&a, &b) {
            let c = consts::binary(x, y, ff, fi).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(c));
            return Ok(());
        }
        let (sa, sb) = (self.shape(&a), self.shape(&b));
        let shape = broadcast_shapes(&sa, &sb)
            .ok_or_else(|| node.err(format!("operand shapes {sa:?} and {sb:?} do not broadcast")))?;
        let (av, bv) = (self.operand(node, 0)?, self.operand(node, 1)?);
        let y = self.emit(node, def, vec![av, bv], shape, vec![]);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// Div: folded on constants, a multiplication by an exact reciprocal (powers of two), or
    /// `nn.div` (a reciprocal multiply would round differently).
    fn div(&mut self, node: &Node) -> DiagResult<()> {
        let (a, b) = (self.req(node, 0)?, self.req(node, 1)?);
        if let (Val::Const(x), Val::Const(y)) = (&a, &b) {
            let c = consts::binary(x, y, |p, q| p / q, i64::checked_div).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(c));
            return Ok(());
        }
        let recip = match &b {
            Val::Const(c) => {
                c.tensor().and_then(|t| t.data.iter().map(|&v| exact_reciprocal(v)).collect::<Option<Vec<f32>>>())
            }
            Val::Ir(_) => None,
        };
        let Some(recip) = recip else {
            return self.binary(node, fpgaopt_nn::Div::def(), |x, y| x / y, i64::checked_div);
        };
        let (sa, sb) = (self.shape(&a), self.shape(&b));
        let shape = broadcast_shapes(&sa, &sb)
            .ok_or_else(|| node.err(format!("operand shapes {sa:?} and {sb:?} do not broadcast")))?;
        let av = self.operand(node, 0)?;
        let rv = self.value_of(node, &Val::Const(Const::f32(sb, recip)))?;
        let y = self.emit(node, fpgaopt_nn::Mul::def(), vec![av, rv], shape, vec![]);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// Pow of constants, folded with libm's `powf` (Brevitas's batch-norm tail computes
    /// `sqrt(var + eps)` as `Pow(c, 0.5)`); a computed base is not supported.
    fn pow(&mut self, node: &Node) -> DiagResult<()> {
        let (a, b) = (self.req(node, 0)?, self.req(node, 1)?);
        let (Val::Const(x), Val::Const(y)) = (&a, &b) else {
            return Err(node.err("Pow of a computed tensor is not supported (only constants fold)"));
        };
        let x = self.float_const(node, x)?;
        let y: Const = Const::f32(y.shape.clone(), y.to_f32());
        let c = consts::binary(&x.into(), &y, f32::powf, |_, _| None).map_err(|e| node.err(e))?;
        self.define(node, 0, Val::Const(c));
        Ok(())
    }

    /// Gemm: `alpha * op(A) . op(B) + beta * C` as `nn.dense` with the constants folded.
    fn gemm(&mut self, node: &Node) -> DiagResult<()> {
        let (alpha, beta) = (node.float("alpha", 1.0)?, node.float("beta", 1.0)?);
        let (ta, tb) = (node.int("transA", 0)? != 0, node.int("transB", 0)? != 0);
        let (a, b, c) = (self.req(node, 0)?, self.req(node, 1)?, self.input(node, 2)?);
        let (sa, sb) = (self.shape(&a), self.shape(&b));
        if sa.len() != 2 || sb.len() != 2 {
            return Err(node.err(format!("inputs A and B must be 2-D, got {sa:?} and {sb:?}")));
        }
        let (rows, k) = if ta { (sa[1], sa[0]) } else { (sa[0], sa[1]) };
        let (kb, n) = if tb { (sb[1], sb[0]) } else { (sb[0], sb[1]) };
        if k != kb {
            return Err(node.err(format!("op(A) is [{rows}, {k}] but op(B) is [{kb}, {n}]")));
        }
        let out = vec![rows, n];
        // beta * C: a constant, or a computed value scaled by an nn.mul.
        let scaled = match c {
            None => None,
            Some(c) => {
                let sc = self.shape(&c);
                if broadcast_shapes(&out, &sc).as_deref() != Some(&out[..]) {
                    return Err(node.err(format!("input C of shape {sc:?} does not broadcast to the output {out:?}")));
                }
                Some(match c {
                    Val::Const(cc) => Val::Const(self.float_const(node, &cc)?.map(|v| beta * v).into()),
                    Val::Ir(cv) if beta == 1.0 => Val::Ir(cv),
                    Val::Ir(cv) => {
                        let s = self.value_of(node, &Val::Const(Const::f32(vec![], vec![beta])))?;
                        Val::Ir(self.emit(node, fpgaopt_nn::Mul::def(), vec![cv, s], sc, vec![]))
                    }
                })
            }
        };
        let Val::Const(bc) = &b else {
            return self.gemm_computed_b(node, (&a, &b), scaled, alpha, (ta, tb), out);
        };
        let bt = if tb { consts::transpose(bc, &[1, 0]) } else { bc.clone() };
        let w = self.float_const(node, &bt)?;
        let w = if alpha == 1.0 { w } else { w.map(|v| alpha * v) };
        let product = match &a {
            Val::Const(ac) => {
                let at = if ta { consts::transpose(ac, &[1, 0]) } else { ac.clone() };
                let p: Const = eval::matmul(&self.float_const(node, &at)?, &w).map_err(|e| node.err(e))?.into();
                let result = match scaled {
                    None => Val::Const(p),
                    Some(Val::Const(s)) => {
                        Val::Const(consts::binary(&p, &s, |x, y| x + y, i64::checked_add).map_err(|e| node.err(e))?)
                    }
                    Some(s) => {
                        let (pv, sv) = (self.value_of(node, &Val::Const(p))?, self.value_of(node, &s)?);
                        Val::Ir(self.emit(node, fpgaopt_nn::Add::def(), vec![pv, sv], out, vec![]))
                    }
                };
                self.define(node, 0, result);
                return Ok(());
            }
            Val::Ir(av) if ta => {
                let perm = vec![("perm", Attribute::i64_array(&[1, 0]))];
                self.emit(node, fpgaopt_nn::Transpose::def(), vec![*av], vec![rows, k], perm)
            }
            Val::Ir(av) => *av,
        };
        let (bias, rest) = match scaled {
            None => (vec![0.0; n as usize], None),
            Some(Val::Const(s)) if bias_vector(&s, n).is_some() => (bias_vector(&s, n).unwrap_or_default(), None),
            Some(s) => (vec![0.0; n as usize], Some(s)),
        };
        let c_is_bias = rest.is_none() && bias.iter().any(|&v| v != 0.0);
        let wv = if alpha == 1.0 && !tb { self.operand(node, 1)? } else { self.value_of(node, &Val::Const(w.into()))? };
        let bv = self.value_of(node, &Val::Const(Const::f32(vec![n], bias)))?;
        // onnxruntime's Gemm starts the sum from the bias (MatMul + Add adds it last); a weight it
        // computes at run time goes through the M = 1 kernels when alpha is 1 and beta 0 or 1.
        let m1 = !self.is_initializer(node, 1) && rows == 1 && alpha == 1.0 && (beta == 1.0 || !c_is_bias);
        let order = match (m1, tb) {
            (false, _) => DenseOrder::Packed,
            (true, false) => DenseOrder::M1,
            (true, true) => DenseOrder::M1Transposed,
        };
        let mut attrs = order_attrs(order);
        if c_is_bias && (m1 || k > 256) {
            attrs.push(("bias_first", Attribute::Bool(true)));
        }
        let mut y = self.emit(node, fpgaopt_nn::Dense::def(), vec![product, wv, bv], out.clone(), attrs);
        if let Some(s) = rest {
            let sv = self.value_of(node, &s)?;
            y = self.emit(node, fpgaopt_nn::Add::def(), vec![y, sv], out, vec![]);
        }
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// Gemm whose B is computed (no weight to fold alpha into): `nn.matmul` of op(A) and op(B)
    /// (a transpose of a computed operand is an `nn.transpose`), then `nn.mul` by alpha unless it is
    /// 1, then `nn.add` of beta * C: alpha * (A' B') + beta * C in ONNX's order.
    fn gemm_computed_b(
        &mut self,
        node: &Node,
        (a, b): (&Val, &Val),
        scaled_c: Option<Val>,
        alpha: f32,
        (ta, tb): (bool, bool),
        out: Vec<i64>,
    ) -> DiagResult<()> {
        let operand = |imp: &mut Self, v: &Val, transpose: bool| -> DiagResult<fpgaopt_ir::ValueId> {
            let shape = imp.shape(v);
            match v {
                Val::Const(c) if transpose => {
                    imp.value_of(node, &Val::Const(imp.float_const(node, &consts::transpose(c, &[1, 0]))?.into()))
                }
                Val::Ir(x) if transpose => {
                    let perm = vec![("perm", Attribute::i64_array(&[1, 0]))];
                    Ok(imp.emit(node, fpgaopt_nn::Transpose::def(), vec![*x], vec![shape[1], shape[0]], perm))
                }
                v => imp.value_of(node, v),
            }
        };
        let (av, bv) = (operand(self, a, ta)?, operand(self, b, tb)?);
        let mut y = self.emit(node, fpgaopt_nn::MatMul::def(), vec![av, bv], out.clone(), vec![]);
        if alpha != 1.0 {
            let s = self.value_of(node, &Val::Const(Const::f32(vec![], vec![alpha])))?;
            y = self.emit(node, fpgaopt_nn::Mul::def(), vec![y, s], out.clone(), vec![]);
        }
        if let Some(c) = scaled_c {
            let cv = self.value_of(node, &c)?;
            y = self.emit(node, fpgaopt_nn::Add::def(), vec![y, cv], out, vec![]);
        }
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// The IR value of `v`; a constant becomes a new `nn.constant` located at the node.
    fn value_of(&mut self, node: &Node, v: &Val) -> DiagResult<fpgaopt_ir::ValueId> {
        match v {
            Val::Ir(id) => Ok(*id),
            Val::Const(c) => self.constant(c, &node.loc).map_err(|e| node.err(format!("a constant {e}"))),
        }
    }

    /// Erases the op defining `v` if it is now unused (a replaced zero bias).
    fn erase_if_dead(&mut self, v: fpgaopt_ir::ValueId) {
        if let Some(op) = self.m.def_op(v).filter(|&o| self.m.results_unused(o)) {
            self.m.erase(op);
        }
    }

    /// MatMul: `nn.dense` when the right side is a constant 2-D weight, else `nn.matmul`.
    fn matmul(&mut self, node: &Node) -> DiagResult<()> {
        let (a, b) = (self.req(node, 0)?, self.req(node, 1)?);
        let (sa, sb) = (self.shape(&a), self.shape(&b));
        let out = matmul_shape(&sa, &sb)
            .ok_or_else(|| node.err(format!("operand shapes {sa:?} and {sb:?} do not multiply")))?;
        let y = match (&a, &b) {
            (Val::Const(x), Val::Const(w)) => {
                let p =
                    eval::matmul(&self.float_const(node, x)?, &self.float_const(node, w)?).map_err(|e| node.err(e))?;
                self.define(node, 0, Val::Const(p.into()));
                return Ok(());
            }
            (Val::Ir(x), Val::Const(_)) if sb.len() == 2 => {
                let wv = self.operand(node, 1)?;
                let zero = self.value_of(node, &Val::Const(Const::f32(vec![sb[1]], vec![0.0; sb[1] as usize])))?;
                let rows: i64 = sa[..sa.len().saturating_sub(1)].iter().product();
                let order = if self.is_initializer(node, 1) || rows != 1 { DenseOrder::Packed } else { DenseOrder::M1 };
                let y = self.emit(node, fpgaopt_nn::Dense::def(), vec![*x, wv, zero], out, order_attrs(order));
                if let Some(op) = self.m.def_op(y) {
                    self.open_bias.insert(y, op);
                }
                y
            }
            _ => {
                let (av, bv) = (self.operand(node, 0)?, self.operand(node, 1)?);
                self.emit(node, fpgaopt_nn::MatMul::def(), vec![av, bv], out, vec![])
            }
        };
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// Add of a constant to the zero-bias `nn.dense` of a MatMul read only by this Add: the
    /// constant becomes the dense op's bias (PyTorch's MatMul + Add spelling of a linear layer).
    fn fuse_bias(&mut self, node: &Node) -> DiagResult<bool> {
        let (a, b) = (self.req(node, 0)?, self.req(node, 1)?);
        let (y, c, side) = match (&a, &b) {
            (Val::Ir(y), Val::Const(c)) => (*y, c, 0),
            (Val::Const(c), Val::Ir(y)) => (*y, c, 1),
            _ => return Ok(false),
        };
        let Some(&op) = self.open_bias.get(&y) else { return Ok(false) };
        let out = self.shape(&Val::Ir(y));
        let n = *out.last().unwrap_or(&0);
        let single_reader = self.uses.get(&node.proto.input[side]).copied() == Some(1);
        let Some(bias) = bias_vector(c, n).filter(|_| single_reader && c.shape.len() <= out.len()) else {
            return Ok(false);
        };
        let name = node.proto.input[1 - side].clone();
        let loc = fpgaopt_ir::Location::named(&name, Some(&self.file));
        let spec = fpgaopt_nn::Constant::spec(loc)
            .results([fpgaopt_ir::Type::tensor(vec![n], fpgaopt_ir::Type::F32)])
            .attr("value", Attribute::Dense(Tensor { shape: vec![n], data: bias }.to_dense()));
        let bias_op = self.m.build(fpgaopt_ir::InsertPoint::Before(op), spec);
        let zero = self.m.operand(op, 2);
        self.m.set_operand(op, 2, self.m.result(bias_op, 0));
        self.erase_if_dead(zero);
        self.open_bias.remove(&y);
        self.define(node, 0, Val::Ir(y));
        Ok(true)
    }

    /// Clip with constant bounds (inputs from opset 11, attributes before).
    fn clip(&mut self, node: &Node) -> DiagResult<()> {
        let bound = |imp: &Self, i: usize, attr: &str| -> DiagResult<Option<f32>> {
            if imp.opset < 11 {
                return node.opt_float(attr);
            }
            match imp.input(node, i)? {
                None => Ok(None),
                Some(Val::Const(c)) => {
                    c.scalar_f32().map(Some).ok_or_else(|| node.err(format!("{attr} must be a scalar")))
                }
                Some(Val::Ir(_)) => Err(node.err(format!("{attr} (input #{i}) must be a constant"))),
            }
        };
        let (lo, hi) = (bound(self, 1, "min")?, bound(self, 2, "max")?);
        if let (Some(l), Some(h)) = (lo, hi) {
            if l > h {
                return Err(node.err(format!("min {l} is greater than max {h}")));
            }
        }
        let mut attrs = vec![];
        attrs.extend(lo.map(|v| ("min", Attribute::f64(v as f64))));
        attrs.extend(hi.map(|v| ("max", Attribute::f64(v as f64))));
        self.unary(node, fpgaopt_nn::Clip::def(), attrs, |t| eval::clip(t, lo, hi))
    }

    /// HardSigmoid as `clip(x * alpha + beta, 0, 1)`: onnxruntime rounds the product and the sum
    /// separately (no fused multiply-add), so the three ops are bit-identical to it.
    fn hard_sigmoid(&mut self, node: &Node) -> DiagResult<()> {
        let (alpha, beta) = (node.float("alpha", 0.2)?, node.float("beta", 0.5)?);
        let f = move |t: &Tensor| eval::clip(&t.map(|v| v * alpha + beta), Some(0.0), Some(1.0));
        let x = self.req(node, 0)?;
        let Val::Ir(xv) = x else { return self.unary(node, fpgaopt_nn::Clip::def(), vec![], f) };
        let shape = self.shape(&x);
        let (av, bv) = (self.new_constant(node, &Const::f32(vec![], vec![alpha]))?, self.new_constant(node, &Const::f32(vec![], vec![beta]))?);
        let scaled = self.emit(node, fpgaopt_nn::Mul::def(), vec![xv, av], shape.clone(), vec![]);
        let shifted = self.emit(node, fpgaopt_nn::Add::def(), vec![scaled, bv], shape.clone(), vec![]);
        let bounds = vec![("min", Attribute::f64(0.0)), ("max", Attribute::f64(1.0))];
        let y = self.emit(node, fpgaopt_nn::Clip::def(), vec![shifted], shape, bounds);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// Softmax: opset 13 semantics directly; before opset 13 the input is coerced to 2-D around
    /// `axis`, which is a softmax along the last axis or reshape -> softmax -> reshape.
    fn softmax(&mut self, node: &Node) -> DiagResult<()> {
        let x = self.req(node, 0)?;
        let shape = self.shape(&x);
        let rank = shape.len();
        let old = self.opset < 13;
        let axis = node.int("axis", if old { 1 } else { -1 })?;
        let axis = consts::norm_axis(axis, rank, false).map_err(|e| node.err(e))?;
        let flat = vec![shape[..axis].iter().product::<i64>(), shape[axis..].iter().product::<i64>()];
        let coerce = old && axis + 1 != rank;
        if let Val::Const(c) = &x {
            let t = self.float_const(node, c)?;
            let y = if coerce {
                eval::softmax(&t.reshaped(&flat).map_err(|e| node.err(e))?, 1)
            } else {
                eval::softmax(&t, axis)
            };
            let y = y.and_then(|y| y.reshaped(&shape)).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(y.into()));
            return Ok(());
        }
        let mut xv = self.operand(node, 0)?;
        let softmax_axis = if coerce {
            xv = self.emit(node, fpgaopt_nn::Reshape::def(), vec![xv], flat.clone(), vec![]);
            1
        } else {
            axis
        };
        let sm_shape = if coerce { flat } else { shape.clone() };
        let mut y = self.emit(
            node,
            fpgaopt_nn::Softmax::def(),
            vec![xv],
            sm_shape,
            vec![("axis", Attribute::i64(softmax_axis as i64))],
        );
        if coerce {
            y = self.emit(node, fpgaopt_nn::Reshape::def(), vec![y], shape, vec![]);
        }
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }

    /// BatchNormalization in inference form.
    fn batch_norm(&mut self, node: &Node) -> DiagResult<()> {
        let eps = node.float("epsilon", 1e-5)?;
        if node.int("training_mode", 0)? != 0 || (1..5).any(|i| self.output_used(node, i)) {
            return Err(node.err("training mode (running mean and variance outputs) is not supported"));
        }
        let x = self.req(node, 0)?;
        let sx = self.shape(&x);
        let Some(&c) = sx.get(1) else {
            return Err(node.err(format!("input X of shape {sx:?} has no channel axis 1")));
        };
        let params: Vec<Val> = (1..5).map(|i| self.req(node, i)).collect::<DiagResult<_>>()?;
        for (i, p) in params.iter().enumerate() {
            let s = self.shape(p);
            if s != [c] {
                return Err(node.err(format!("input #{} must have shape [{c}] (the channels of X), got {s:?}", i + 1)));
            }
        }
        if let (Val::Const(xc), [Val::Const(s), Val::Const(b), Val::Const(m), Val::Const(v)]) = (&x, &params[..]) {
            let t: Vec<Tensor> =
                [xc, s, b, m, v].iter().map(|c| self.float_const(node, c)).collect::<DiagResult<_>>()?;
            let y = eval::batch_norm(&t[0], &t[1], &t[2], &t[3], &t[4], eps).map_err(|e| node.err(e))?;
            self.define(node, 0, Val::Const(y.into()));
            return Ok(());
        }
        let operands = (0..5).map(|i| self.operand(node, i)).collect::<DiagResult<Vec<_>>>()?;
        let y =
            self.emit(node, fpgaopt_nn::BatchNorm::def(), operands, sx, vec![("epsilon", Attribute::f64(eps as f64))]);
        self.define(node, 0, Val::Ir(y));
        Ok(())
    }
}
