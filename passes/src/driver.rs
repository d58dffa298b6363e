//! The whole flow behind `fpgaopt compile`: import, the default pipeline with the user's choices as
//! pass options, then emission of the HLS project.

use std::path::PathBuf;

use fpgaopt_ir::pass::{run_pipeline, PassContext, PassTiming, RunOptions};
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
}

/// What a compilation did.
#[derive(Clone, Debug)]
pub struct CompileReport {
    pub timings: Vec<PassTiming>,
    pub emit_time: std::time::Duration,
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
    format!("builtin.module(import-onnx,nn-canonicalize,nn-to-qdf{{{nn_to_qdf}}},qdf-to-hls{{io={}}})", o.io)
}

/// Compiles an ONNX model into an HLS project directory.
pub fn compile(o: &CompileOptions) -> DiagResult<CompileReport> {
    let registry = crate::dialects();
    let passes = crate::registry();
    let pipeline = passes.parse_pipeline(&pipeline_text(o))?;
    let model = o.model.to_string_lossy().into_owned();
    let mut m = Module::new(Location::named("module", Some(&model)));
    let mut ctx = PassContext { registry: &registry, input_path: &model, remarks: vec![] };
    let run = RunOptions { verify_each: true, ..Default::default() };
    let timings = run_pipeline(&mut m, &pipeline, &run, &mut ctx, &mut |_| {}).map_err(first)?;
    let start = std::time::Instant::now();
    emit_project(&m, &o.output, &EmitOptions::default())?;
    Ok(CompileReport { timings, emit_time: start.elapsed() })
}

fn first(mut errs: Vec<Diagnostic>) -> Diagnostic {
    if errs.is_empty() {
        return Diagnostic::error(Location::Unknown, "compilation failed");
    }
    let mut d = errs.remove(0);
    for e in errs {
        d.notes.push((e.loc, e.message));
    }
    d
}
