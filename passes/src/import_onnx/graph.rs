//! The graph walk: the function, the symbol table from ONNX names to values, node dispatch, and
//! the helpers every operator import uses (attributes, constants, diagnostics).

use std::collections::HashMap;

use fpgaopt_ir::builtin::{FuncOp, ReturnOp};
use fpgaopt_ir::{
    Attribute, BlockId, DiagResult, Diagnostic, InsertPoint, Location, Module, OpDef, OpId, OpSpec, Type, ValueId,
};
use fpgaopt_nn::eval::Tensor;
use onnx_protobuf::attribute_proto::AttributeType;
use onnx_protobuf::tensor_shape_proto::dimension::Value as Dim;
use onnx_protobuf::{AttributeProto, ModelProto, NodeProto, ValueInfoProto};

use super::consts::{decode_tensor, type_name, Const, Data};

/// What an ONNX name stands for.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// A value computed in the IR.
    Ir(ValueId),
    /// A constant known at import time, materialised as `nn.constant` on first use by an op.
    Const(Const),
}

/// One node being imported: its proto, display name and location.
pub(crate) struct Node<'a> {
    pub proto: &'a NodeProto,
    pub name: String,
    pub loc: Location,
}

impl Node<'_> {
    /// The op type, e.g. `Gemm`.
    pub fn op_type(&self) -> &str {
        &self.proto.op_type
    }

    /// A diagnostic `node '<name>' (<OpType>): <msg>` at the node.
    pub fn err(&self, msg: impl std::fmt::Display) -> Diagnostic {
        Diagnostic::error(self.loc.clone(), format!("node '{}' ({}): {msg}", self.name, self.op_type()))
    }

    fn attr(&self, name: &str, ty: AttributeType) -> DiagResult<Option<&AttributeProto>> {
        let Some(a) = self.proto.attribute.iter().find(|a| a.name == name) else { return Ok(None) };
        // Some exporters leave the type unset; trust the field then.
        match a.type_.enum_value() {
            Ok(t) if t == ty || t == AttributeType::UNDEFINED => Ok(Some(a)),
            _ => Err(self.err(format!("attribute '{name}' must be of type {ty:?}"))),
        }
    }

    /// An integer attribute or its default.
    pub fn int(&self, name: &str, default: i64) -> DiagResult<i64> {
        Ok(self.attr(name, AttributeType::INT)?.map_or(default, |a| a.i))
    }

    /// A float attribute or its default.
    pub fn float(&self, name: &str, default: f32) -> DiagResult<f32> {
        Ok(self.opt_float(name)?.unwrap_or(default))
    }

    /// A float attribute if present.
    pub fn opt_float(&self, name: &str) -> DiagResult<Option<f32>> {
        Ok(self.attr(name, AttributeType::FLOAT)?.map(|a| a.f))
    }

    /// An integer-list attribute if present.
    pub fn ints(&self, name: &str) -> DiagResult<Option<Vec<i64>>> {
        Ok(self.attr(name, AttributeType::INTS)?.map(|a| a.ints.clone()))
    }
}

/// The importer's state.
pub(crate) struct Importer<'m> {
    pub m: &'m mut Module,
    pub block: BlockId,
    pub opset: i64,
    pub file: String,
    values: HashMap<String, Val>,
    /// `nn.constant` already built for a constant ONNX name.
    materialized: HashMap<String, ValueId>,
    /// How many node inputs and graph outputs read each name.
    pub uses: HashMap<String, usize>,
    /// `nn.dense` ops built from a MatMul with a zero bias an Add may still fill: result -> op.
    pub open_bias: HashMap<ValueId, OpId>,
    /// The ONNX element type of every name whose type is known (initializers, Constant, Cast,
    /// quantizer outputs): zero points decide integer types, scales decide numpy's precision.
    pub dtypes: HashMap<String, i32>,
    /// Names onnxruntime holds as initializers (graph initializers and Constant outputs): a
    /// weight that is one is prepacked, which decides the summation order of `nn.dense`.
    pub initializers: std::collections::HashSet<String>,
    /// The model holds QONNX quantizers, so its reference is qonnx's node-by-node execution.
    pub qonnx_model: bool,
    /// Opset versions of the non-default domains (QONNX Trunc has two versions).
    pub domain_versions: HashMap<String, i64>,
    /// IR values holding integer codes (f32 integers in `[min, max]`), from QuantizeLinear,
    /// QLinearMatMul and MatMulInteger.
    pub int_ranges: HashMap<ValueId, (i64, i64)>,
    /// The `nn.quantize_linear` behind an integer value, so a matching DequantizeLinear becomes one
    /// `nn.qdq` of the float input.
    pub quantized: HashMap<ValueId, super::qdq::Quantized>,
}

/// Imports the graph of `model` into the empty module `m`.
pub(crate) fn import(m: &mut Module, model: &ModelProto, opset: i64, file: &str) -> DiagResult<()> {
    let g =
        model.graph.as_ref().ok_or_else(|| Diagnostic::error(Location::file(file, 0, 0), "the model has no graph"))?;
    let at_file = || Location::file(file, 0, 0);
    let mut values = HashMap::new();
    let mut dtypes = HashMap::new();
    for init in &g.initializer {
        dtypes.insert(init.name.clone(), init.data_type);
        let c = decode_tensor(init)
            .map_err(|e| Diagnostic::error(at_file(), format!("initializer '{}': {e}", init.name)))?;
        values.insert(init.name.clone(), Val::Const(c));
    }
    let inputs: Vec<&ValueInfoProto> = g.input.iter().filter(|i| !values.contains_key(&i.name)).collect();
    let arg_types: Vec<Type> =
        inputs.iter().map(|i| input_type(i).map_err(|e| Diagnostic::error(at_file(), e))).collect::<DiagResult<_>>()?;
    let func = m.build(
        InsertPoint::End(m.body()),
        FuncOp::spec(Location::named("main", Some(file)))
            .attr("sym_name", Attribute::str("main"))
            .attr("function_type", Attribute::Type(Type::function(arg_types.clone(), vec![]))),
    );
    let region = m.op(func).regions[0];
    let block = m.add_block(region, &arg_types);
    for (i, info) in inputs.iter().enumerate() {
        let arg = m.block(block).args[i];
        m.set_name_hint(arg, Some(info.name.clone()));
        values.insert(info.name.clone(), Val::Ir(arg));
    }
    let mut uses: HashMap<String, usize> = HashMap::new();
    for name in g.node.iter().flat_map(|n| n.input.iter()).chain(g.output.iter().map(|o| &o.name)) {
        *uses.entry(name.clone()).or_default() += 1;
    }
    let mut imp = Importer {
        m,
        block,
        opset,
        file: file.to_string(),
        values,
        materialized: HashMap::new(),
        uses,
        open_bias: HashMap::new(),
        dtypes,
        // qonnx's execute_onnx (the reference of QONNX models) feeds every weight to onnxruntime
        // as a run-time input: none is prepacked.
        qonnx_model: g.node.iter().any(super::qonnx::is_qonnx_node),
        initializers: if g.node.iter().any(super::qonnx::is_qonnx_node) {
            Default::default()
        } else {
            g.initializer.iter().map(|i| i.name.clone()).collect()
        },
        domain_versions: model
            .opset_import
            .iter()
            .filter(|o| !(o.domain.is_empty() || o.domain == "ai.onnx"))
            .map(|o| (o.domain.clone(), o.version))
            .collect(),
        int_ranges: HashMap::new(),
        quantized: HashMap::new(),
    };
    for (index, proto) in g.node.iter().enumerate() {
        let name = if proto.name.is_empty() { format!("{}_{index}", proto.op_type) } else { proto.name.clone() };
        let node = Node { proto, loc: Location::named(&name, Some(file)), name };
        imp.node(&node)?;
    }
    let mut results = vec![];
    for out in &g.output {
        let v = match imp.values.get(&out.name).cloned() {
            Some(v) => v,
            None => {
                return Err(Diagnostic::error(
                    at_file(),
                    format!("graph output '{}' is not produced by any node", out.name),
                ))
            }
        };
        let loc = Location::named(&out.name, Some(file));
        // Integer codes of a quantizer (folded) leave the function as f32, like computed codes.
        let v = match v {
            Val::Const(c) if imp.dtypes.get(&out.name).is_some_and(|&t| super::qdq::is_code_type(t)) => {
                Val::Const(Const::f32(c.shape.clone(), c.to_f32()))
            }
            v => v,
        };
        results.push(
            imp.materialize(&out.name, &v)
                .map_err(|e| Diagnostic::error(loc.clone(), format!("graph output '{}' {e}", out.name)))?,
        );
    }
    let result_types: Vec<Type> = results.iter().map(|&v| imp.m.ty(v).clone()).collect();
    ReturnOp::build(imp.m, InsertPoint::End(block), Location::named("return", Some(file)), results);
    imp.erase_dead_ops();
    imp.m.set_attr(func, "function_type", Attribute::Type(Type::function(arg_types, result_types)));
    Ok(())
}

/// The static type of a graph input: an f32 tensor, a dynamic batch dimension read as 1.
fn input_type(info: &ValueInfoProto) -> Result<Type, String> {
    let name = &info.name;
    let Some(tt) = info.type_.as_ref().filter(|t| t.has_tensor_type()).map(|t| t.tensor_type()) else {
        return Err(format!("graph input '{name}' is not a tensor"));
    };
    if tt.elem_type != 1 {
        return Err(format!(
            "graph input '{name}' has element type {}; only FLOAT inputs are supported",
            type_name(tt.elem_type)
        ));
    }
    let Some(shape) = tt.shape.as_ref() else { return Err(format!("graph input '{name}' has no shape")) };
    let mut dims = vec![];
    for (axis, d) in shape.dim.iter().enumerate() {
        let v = match &d.value {
            Some(Dim::DimValue(v)) if *v > 0 => *v,
            _ if axis == 0 => 1,
            Some(Dim::DimParam(p)) => {
                return Err(format!("graph input '{name}' has symbolic dimension '{p}' at axis {axis}; only the batch axis 0 may be dynamic"))
            }
            _ => return Err(format!("graph input '{name}' has an unknown dimension at axis {axis}; only the batch axis 0 may be dynamic")),
        };
        dims.push(v);
    }
    Ok(Type::tensor(dims, Type::F32))
}

impl Importer<'_> {
    /// Input `i` of a node, `None` when absent (past the end or an empty name).
    pub fn input(&self, node: &Node, i: usize) -> DiagResult<Option<Val>> {
        match node.proto.input.get(i).filter(|n| !n.is_empty()) {
            None => Ok(None),
            Some(name) => match self.values.get(name) {
                Some(v) => Ok(Some(v.clone())),
                None => Err(node.err(format!(
                    "input '{name}' is not defined before the node (the graph must be topologically sorted)"
                ))),
            },
        }
    }

    /// The value bound to an ONNX name.
    pub fn input_by_name(&self, name: &str) -> Option<Val> {
        self.values.get(name).cloned()
    }

    /// A required input.
    pub fn req(&self, node: &Node, i: usize) -> DiagResult<Val> {
        self.input(node, i)?.ok_or_else(|| node.err(format!("missing input #{i}")))
    }

    /// A required input that must be a constant.
    pub fn req_const(&self, node: &Node, i: usize, what: &str) -> DiagResult<Const> {
        match self.req(node, i)? {
            Val::Const(c) => Ok(c),
            Val::Ir(_) => Err(node.err(format!("{what} (input #{i}) must be a constant"))),
        }
    }

    /// Binds output `i` of a node.
    pub fn define(&mut self, node: &Node, i: usize, v: Val) {
        if let Some(name) = node.proto.output.get(i).filter(|n| !n.is_empty()) {
            self.values.insert(name.clone(), v);
        }
    }

    /// True when output `i` of the node exists and something reads it.
    pub fn output_used(&self, node: &Node, i: usize) -> bool {
        node.proto.output.get(i).filter(|n| !n.is_empty()).is_some_and(|n| self.uses.get(n).copied().unwrap_or(0) > 0)
    }

    /// The shape of a value.
    pub fn shape(&self, v: &Val) -> Vec<i64> {
        match v {
            Val::Ir(id) => self.m.ty(*id).shape().map(<[i64]>::to_vec).unwrap_or_default(),
            Val::Const(c) => c.shape.clone(),
        }
    }

    /// An IR value for input `i` of a node, materialising a float constant if needed.
    pub fn operand(&mut self, node: &Node, i: usize) -> DiagResult<ValueId> {
        let v = self.req(node, i)?;
        let name = node.proto.input[i].clone();
        self.materialize(&name, &v).map_err(|e| node.err(format!("input '{name}' {e}")))
    }

    /// The IR value of `v`, building (once per name, located at the name) an `nn.constant` for a constant.
    pub fn materialize(&mut self, name: &str, v: &Val) -> Result<ValueId, String> {
        match v {
            Val::Ir(id) => Ok(*id),
            Val::Const(c) => {
                if let Some(&id) = self.materialized.get(name) {
                    return Ok(id);
                }
                let id = self.constant(c, &Location::named(name, Some(&self.file)))?;
                self.materialized.insert(name.to_string(), id);
                Ok(id)
            }
        }
    }

    /// Builds an `nn.constant` at the end of the body.
    pub fn constant(&mut self, c: &Const, loc: &Location) -> Result<ValueId, String> {
        let t = match &c.data {
            Data::F32(v) => Tensor { shape: c.shape.clone(), data: v.clone() },
            Data::I64(_) => return Err("is an integer tensor; only f32 data can reach the IR".into()),
        };
        let spec =
            fpgaopt_nn::Constant::spec(loc.clone()).results([t.ty()]).attr("value", Attribute::Dense(t.to_dense()));
        let op = self.m.build(InsertPoint::End(self.block), spec);
        Ok(self.m.result(op, 0))
    }

    /// Builds an `nn` op at the end of the body and returns its result.
    pub fn emit(
        &mut self,
        node: &Node,
        def: &'static OpDef,
        operands: Vec<ValueId>,
        shape: Vec<i64>,
        attrs: Vec<(&str, Attribute)>,
    ) -> ValueId {
        let mut spec = OpSpec::new(def, node.loc.clone()).operands(operands).results([Type::tensor(shape, Type::F32)]);
        for (k, v) in attrs {
            spec = spec.attr(k, v);
        }
        let op = self.m.build(InsertPoint::End(self.block), spec);
        self.m.result(op, 0)
    }

    /// Erases the pure ops nothing reads, last first: a QuantizeLinear whose every reader became an
    /// `nn.qdq`, and the constants only it read.
    fn erase_dead_ops(&mut self) {
        for op in self.m.block_ops(self.block).to_vec().into_iter().rev() {
            let data = self.m.op(op);
            if data.def.has_trait(fpgaopt_ir::opdef::Trait::Pure)
                && !data.results.is_empty()
                && self.m.results_unused(op)
            {
                self.m.erase(op);
            }
        }
    }

    /// Imports one node.
    fn node(&mut self, node: &Node) -> DiagResult<()> {
        let domain = node.proto.domain.as_str();
        let default_domain = domain.is_empty() || domain == "ai.onnx";
        if (default_domain || super::qonnx::is_qonnx_domain(domain)) && self.qonnx_node(node)? {
            return Ok(());
        }
        if !default_domain {
            return Err(node.err(format!("unsupported operator (domain '{domain}')")));
        }
        if self.shape_node(node)?
            || self.layer_node(node)?
            || self.spatial_node(node)?
            || self.resample_node(node)?
            || self.linear_quant_node(node)?
            || self.integer_conv_node(node)?
        {
            return Ok(());
        }
        Err(node.err("unsupported operator"))
    }

    /// The ONNX element type of input `i`, if known.
    pub fn input_dtype(&self, node: &Node, i: usize) -> Option<i32> {
        node.proto.input.get(i).and_then(|n| self.dtypes.get(n)).copied()
    }

    /// Records the ONNX element type of output `i`.
    pub fn set_output_dtype(&mut self, node: &Node, i: usize, dtype: i32) {
        if let Some(name) = node.proto.output.get(i).filter(|n| !n.is_empty()) {
            self.dtypes.insert(name.clone(), dtype);
        }
    }

    /// An IR value for constant input `i` as f32: shared by name when it is f32 data, otherwise
    /// (integer data such as an int64 zero point) a new constant located at the node.
    pub fn f32_operand(&mut self, node: &Node, i: usize, c: &Const) -> DiagResult<ValueId> {
        match c.data {
            Data::F32(_) => self.operand(node, i),
            Data::I64(_) => self
                .constant(&Const::f32(c.shape.clone(), c.to_f32()), &node.loc)
                .map_err(|e| node.err(format!("a constant {e}"))),
        }
    }

    /// A string attribute if present.
    pub fn string_attr(node: &Node, name: &str) -> DiagResult<Option<String>> {
        let Some(a) = node.proto.attribute.iter().find(|a| a.name == name) else { return Ok(None) };
        match a.type_.enum_value() {
            Ok(AttributeType::STRING | AttributeType::UNDEFINED) => {
                Ok(Some(String::from_utf8_lossy(&a.s).into_owned()))
            }
            _ => Err(node.err(format!("attribute '{name}' must be of type STRING"))),
        }
    }
}
