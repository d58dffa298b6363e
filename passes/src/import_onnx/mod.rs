//! `import-onnx`: reads an ONNX model into the `nn` dialect.
//!
//! The model becomes one `func.func @main` whose arguments are the graph inputs that are not
//! initializers (named after them) and whose results are the graph outputs. Criteria and invariants:
//! - the default-domain opset must be 9 or later; QONNX quantizers are read from the QONNX domains
//!   ([`qonnx`]); other domains' nodes are unsupported operators;
//! - values are f32 tensors of static shape: a symbolic, zero or negative dimension 0 of a graph input
//!   becomes 1 (the batch), any other symbolic dimension is an error; shapes are inferred for every
//!   node from its inputs (`value_info` is not read);
//! - initializers and `Constant` outputs are compile-time constants; they become `nn.constant` only
//!   where an `nn` op reads them, so shape-only constants never reach the IR;
//! - a node whose inputs are all constants is evaluated at import (`fpgaopt_nn::eval` for layers,
//!   [`consts`] for Shape/Gather/Unsqueeze/Squeeze/Concat/Cast/Transpose), so shape subgraphs such
//!   as Brevitas's `Shape -> Gather -> Unsqueeze -> Concat -> Reshape` fold away; a Concat with a
//!   computed input becomes `nn.concat`;
//! - each op's location is `loc("<node name>"("<file>":0:0))`; nameless nodes are `<OpType>_<index>`;
//! - every `nn` op carries its attributes explicitly: ONNX defaults and `auto_pad` are resolved here
//!   ([`spatial`]);
//! - quantizers become `nn` fake-quantization ops with their source's exact semantics ([`qonnx`],
//!   [`qdq`]); ops nothing reads in the end (a QuantizeLinear merged into an `nn.qdq`) are erased;
//! - every problem is a diagnostic naming the node and its op type, never a panic.
//!
//! How each operator maps is documented in `docs/design/import-onnx.md`.

mod consts;
mod graph;
mod layers;
mod qconv;
mod qdq;
mod qonnx;
mod resample;
mod shapes;
mod spatial;

use fpgaopt_ir::pass::{Options, PassContext, PassInfo};
use fpgaopt_ir::{DiagResult, Diagnostic, Location, Module};
use onnx_protobuf::{Message, ModelProto};

/// The oldest default-domain opset the importer reads.
pub const MIN_OPSET: i64 = 9;

/// The `import-onnx` pass.
pub static IMPORT_ONNX: PassInfo = PassInfo {
    name: "import-onnx",
    summary: "read the ONNX model named by the input file into the nn dialect",
    description: r#"Reads the ONNX file given as the tool's input (opset 9 or later) into an empty module: one
`func.func @main` taking the graph inputs that are not initializers and returning the graph outputs.
Shapes are static: a symbolic or -1 batch dimension (axis 0 of an input) becomes 1; shapes are
inferred for every node. Initializers and Constant nodes become `nn.constant` where a layer reads
them; nodes whose inputs are all constant are evaluated at import (including Shape, Gather,
Unsqueeze, Squeeze, Concat, Cast, Transpose, Pow and quantizers of weights), so shape subgraphs
and quantized weights fold to constants. Concat of computed tensors imports as `nn.concat`.

Mapping: Gemm (alpha, beta, transA, transB) -> `nn.dense` with the weight
`alpha * op(B)` and bias `beta * C` folded (a computed A with transA goes through `nn.transpose`) (`bias_first` when K > 256, Gemm's summation order);
Gemm with a computed B -> `nn.matmul` of op(A) and op(B), `nn.mul` by alpha, `nn.add` of beta * C;
MatMul with a constant 2-D right side -> `nn.dense` (bias zero, or the constant of a following Add
that broadcasts to [N]); other MatMul -> `nn.matmul`; Add, Sub, Mul -> `nn.add`/`nn.sub`/`nn.mul`;
Div by a constant power of two -> `nn.mul` by its exact reciprocal, any other Div -> `nn.div`;
Relu, LeakyRelu, Sigmoid, Tanh, Clip, Softmax, BatchNormalization (inference), Flatten, Reshape ->
the `nn` op of the same meaning; Identity, Dropout and Cast to FLOAT of computed tensors ->
`nn.identity`, `nn.dropout`, `nn.cast {to = f32}` (constants and integer codes forward); Unsqueeze,
Squeeze and size-1-axis Transposes of computed tensors -> `nn.reshape`, other Transposes ->
`nn.transpose`. Conv (1-D/2-D, bias zeros when absent), Pad (constant mode; attribute form before
opset 11, constant inputs and opset 18 axes after), MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, ConvTranspose ->
`nn.conv`, `nn.pad`, `nn.max_pool`, `nn.average_pool`, `nn.global_average_pool`,
`nn.global_max_pool`, `nn.conv_transpose` with every attribute explicit: ONNX defaults filled in
and `auto_pad` (NOTSET, SAME_UPPER, SAME_LOWER, VALID) and ConvTranspose's `output_shape` resolved
to pads and output padding. Resize and Upsample in nearest mode (constant scales or sizes) ->
`nn.resize`; DepthToSpace (DCR, CRD), SpaceToDepth -> `nn.depth_to_space`, `nn.space_to_depth`;
HardSigmoid -> `nn.mul`, `nn.add`, `nn.clip` (bit-identical to onnxruntime). Each op's location is the ONNX node name inside the file.

Quantizers: QONNX Quant/IntQuant -> `nn.quant`, BipolarQuant -> `nn.bipolar_quant`, Trunc
(versions 1 and 2) -> `nn.trunc` (domains qonnx.custom_op.general, finn.custom_op.general, finn,
onnx.brevitas and the default domain); ONNX QuantizeLinear -> DequantizeLinear -> `nn.qdq`,
QuantizeLinear alone -> `nn.quantize_linear`, DequantizeLinear of codes -> `nn.sub`/`nn.mul`
(of constants: folded), QLinearMatMul and MatMulInteger -> exact integer `nn.dense` chains, QLinearConv and
ConvInteger -> exact integer `nn.conv` chains. Each
keeps the reference's float32 semantics bit for bit (qonnx for QONNX, onnxruntime for ONNX).

Errors are diagnostics naming the node and its op type: `node 'topk_1' (TopK): unsupported
operator`; malformed quantizers (bit width 0 or above 32, a scale that is not positive, a
per-channel scale of the wrong length) are errors too, and so are reflect/edge/wrap Pad modes, pads
of the wrong length or negative, an unknown auto_pad, a used MaxPool Indices output, Resize modes other than nearest
(`mode 'cubic' is not supported (only nearest)`) and tf_crop_and_resize; an unreadable file gives `cannot parse ONNX
model: <reason>`."#,
    options: &[],
    run,
};

fn run(m: &mut Module, _opts: &Options, ctx: &mut PassContext<'_>) -> DiagResult<()> {
    let file = ctx.input_path;
    let at_file = || Location::file(file, 0, 0);
    if !m.block_ops(m.body()).is_empty() {
        return Err(Diagnostic::error(at_file(), "import-onnx needs an empty module: give it an .onnx input file"));
    }
    let bytes =
        std::fs::read(file).map_err(|e| Diagnostic::error(at_file(), format!("cannot read ONNX model: {e}")))?;
    let model = decode(&bytes).map_err(|e| Diagnostic::error(at_file(), format!("cannot parse ONNX model: {e}")))?;
    let opset = default_opset(&model);
    if opset < MIN_OPSET {
        return Err(Diagnostic::error(
            at_file(),
            format!("ONNX opset {opset} is not supported: fpgaopt reads opset {MIN_OPSET} and later (convert the model with onnx.version_converter)"),
        ));
    }
    graph::import(m, &model, opset, file)?;
    fpgaopt_ir::verifier::verify(m).map_err(|errors| {
        let first = errors.into_iter().next().unwrap_or_else(|| Diagnostic::error(at_file(), "invalid IR"));
        first.with_note(Location::Unknown, "import-onnx produced invalid IR; this is a bug in fpgaopt")
    })
}

/// Decodes the protobuf and checks it looks like a model (protobuf accepts many byte strings).
fn decode(bytes: &[u8]) -> Result<ModelProto, String> {
    let model = ModelProto::parse_from_bytes(bytes).map_err(|e| e.to_string())?;
    if model.ir_version <= 0 {
        return Err("no ir_version: this is not an ONNX model".into());
    }
    if model.graph.is_none() {
        return Err("the model has no graph".into());
    }
    Ok(model)
}

/// The version of the default (`""` or `ai.onnx`) operator set; 1 if none is imported.
fn default_opset(model: &ModelProto) -> i64 {
    model
        .opset_import
        .iter()
        .filter(|o| o.domain.is_empty() || o.domain == "ai.onnx")
        .map(|o| o.version)
        .max()
        .unwrap_or(1)
}
