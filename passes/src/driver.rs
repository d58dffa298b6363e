//! The whole flow behind `fpgaopt compile`: import, the default pipeline with the user's choices as
//! pass options, then emission of the HLS project.

use std::path::PathBuf;

use fpgaopt_ir::pass::{run_pipeline, PassContext, PassTiming, RunOptions as PipelineOptions};
use fpgaopt_ir::{DiagResult, Diagnostic, Location, Module};

use crate::emit::{emit_project, EmitOptions};

/// What `fpgaopt compile` was asked to do.
#[derive(Clone, Debug)]
pub struct CompileOptions {
    pub model: PathBuf,
    pub output: PathBuf,
    /// Default precision, e.g. `fixed<16,6>`.
    pub precision: String,
    /// I/O style (`parallel`).
    pub io: String,
    /// Per-layer overrides (JSON), if any.
    pub config: Option<String>,
    /// Initiation interval of pipelined loops (1 = fully parallel).
    pub reuse_factor: u32,
    /// Quantized models: the ops after the last quantizer in float32 (`exact-f32`) or at the
    /// precision (`fixed`); `None` keeps nn-to-qdf's default.
    pub float_tail: Option<String>,
    /// Quantized models: dense layers the reference rounds as exact integers (`integer`) or as its
    /// own float32 sums (`float32`); `None` keeps nn-to-qdf's default.
    pub inexact_sums: Option<String>,
}

/// What a compilation did.
#[derive(Clone, Debug)]
pub struct CompileReport {
    pub timings: Vec<PassTiming>,
    pub emit_time: std::time::Duration,
    /// Remarks of the passes (e.g. nn-to-qdf naming layers that are not provably bit-exact).
    pub remarks: Vec<Diagnostic>,
}

impl CompileReport {
    /// A `--timing` table including emission.
    pub fn timing_table(&self) -> String {
        let mut t = self.timings.clone();
        t.push(PassTiming { name: "emit-hls-project", time: self.emit_time });
        crate::docs::timing_table(&t)
    }
}

/// The pipeline text `fpgaopt compile` runs for these options.
pub fn pipeline_text(o: &CompileOptions) -> String {
    let quote = |s: &str| if s.contains(' ') { format!("\"{s}\"") } else { s.to_string() };
    let mut nn_to_qdf = format!("precision={}", quote(&o.precision));
    if let Some(c) = &o.config {
        nn_to_qdf.push_str(&format!(" config={}", quote(c)));
    }
    if let Some(t) = &o.float_tail {
        nn_to_qdf.push_str(&format!(" float-tail={}", quote(t)));
    }
    if let Some(t) = &o.inexact_sums {
        nn_to_qdf.push_str(&format!(" inexact-sums={}", quote(t)));
    }
    format!(
        "builtin.module(import-onnx,nn-canonicalize,nn-eqsat,nn-to-qdf{{{nn_to_qdf}}},qdf-layout,qdf-narrow,qdf-to-hls{{io={} reuse-factor={}}})",
        o.io, o.reuse_factor
    )
}

/// Compiles an ONNX model into an HLS project directory.
pub fn compile(o: &CompileOptions) -> DiagResult<CompileReport> {
    let registry = crate::dialects();
    let passes = crate::registry();
    let pipeline = passes.parse_pipeline(&pipeline_text(o))?;
    let model = o.model.to_string_lossy().into_owned();
    let mut m = Module::new(Location::named("module", Some(&model)));
    let mut ctx = PassContext { registry: &registry, input_path: &model, remarks: vec![] };
    let run = PipelineOptions { verify_each: true, ..Default::default() };
    let timings = run_pipeline(&mut m, &pipeline, &run, &mut ctx, &mut |_| {}).map_err(first)?;
    // Every pass's IR was verified; the directives are checked by the emitter, whose diagnostics
    // would read like a problem of the input. Here they can only be a fault of the pipeline.
    fpgaopt_hls::verify_directives(&m).map_err(|errs| {
        first(errs).with_note(Location::Unknown, "the compile pipeline produced invalid hls directives; this is a bug in fpgaopt")
    })?;
    let start = std::time::Instant::now();
    // The project is named after the model file (`jet_tagger.onnx` -> `jet_tagger`).
    let name = o.model.file_stem().map(|s| crate::emit::c_identifier(&s.to_string_lossy()));
    emit_project(&m, &o.output, &EmitOptions { name, ..Default::default() })?;
    Ok(CompileReport { timings, emit_time: start.elapsed(), remarks: ctx.remarks })
}

/// What `fpgaopt run` was asked to do.
#[derive(Clone, Debug)]
pub struct RunOptions {
    pub file: PathBuf,
    /// Pipeline to run before interpreting; for `.onnx` input it defaults to import and canonicalize.
    pub pipeline: Option<String>,
    pub input: PathBuf,
    pub output: PathBuf,
    /// Directory for per-op traces.
    pub trace: Option<PathBuf>,
}

/// Loads a `.mlir` or `.onnx` file and runs a pipeline on it.
pub fn load(file: &std::path::Path, pipeline: Option<&str>) -> DiagResult<Module> {
    let registry = crate::dialects();
    let passes = crate::registry();
    let name = file.to_string_lossy().into_owned();
    let is_onnx = name.ends_with(".onnx");
    let mut m = if is_onnx {
        Module::new(Location::named("module", Some(&name)))
    } else {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Diagnostic::error(Location::Unknown, format!("cannot read '{name}': {e}")))?;
        fpgaopt_ir::parser::parse_module(&text, &name, &registry)?
    };
    let text = match (pipeline, is_onnx) {
        (Some(p), _) => p.to_string(),
        (None, true) => "builtin.module(import-onnx,nn-canonicalize)".to_string(),
        (None, false) => "builtin.module()".to_string(),
    };
    let pipeline = passes.parse_pipeline(&text)?;
    fpgaopt_ir::verifier::verify(&m).map_err(first)?;
    let mut ctx = PassContext { registry: &registry, input_path: &name, remarks: vec![] };
    let run = PipelineOptions { verify_each: true, ..Default::default() };
    run_pipeline(&mut m, &pipeline, &run, &mut ctx, &mut |_| {}).map_err(first)?;
    Ok(m)
}

/// Interprets a model on a batch and writes its outputs (and traces).
pub fn run(o: &self::RunOptions) -> DiagResult<()> {
    let m = load(&o.file, o.pipeline.as_deref())?;
    let input = crate::npy::read_batch(&o.input)?;
    let result = crate::interpret::run(&m, &input, o.trace.is_some())?;
    crate::npy::write_batch(&o.output, &result.output)?;
    if let Some(dir) = &o.trace {
        std::fs::create_dir_all(dir)
            .map_err(|e| Diagnostic::error(Location::Unknown, format!("cannot create {}: {e}", dir.display())))?;
        for (name, batch) in &result.trace {
            crate::npy::write_batch(&dir.join(format!("{name}.npy")), batch)?;
        }
    }
    Ok(())
}

pub(crate) fn first(mut errs: Vec<Diagnostic>) -> Diagnostic {
    if errs.is_empty() {
        return Diagnostic::error(Location::Unknown, "compilation failed");
    }
    let mut d = errs.remove(0);
    for e in errs {
        d.notes.push((e.loc, e.message));
    }
    d
}
