//! The C++ emitter: prints a module at the hls level as a Vitis HLS project. It only reads the IR.
//!
//! Input: hls ops plus `func.func`/`func.call`/`func.return`, `scf.for`/`scf.yield` and index
//! `arith.constant`, with exactly one `hls.top` function whose arguments are arrays. Anything else is
//! a diagnostic. The module is verified (ops and `hls.*` directives) before anything is printed.
//!
//! Layout (`NAME` is [`EmitOptions::name`], by default the top function's name, `model` for `@main`):
//! ```text
//! firmware/NAME.cpp          the top function: local buffers and one call per layer
//! firmware/NAME.h            its declaration
//! firmware/layers.h          one function per layer
//! firmware/defines.h         a typedef per fixed-point and integer type
//! firmware/weights/ROM.h     one static const array per hls.rom (mantissas in a native type)
//! NAME_test.cpp              testbench: raw float32 samples in, raw float32 results out
//! build_prj.tcl              Vitis HLS script: csim, csynth, cosim, export, each switchable
//! report.json                top ports, layers (from hls.layer), types
//! ```
//! Design notes: `docs/design/emit.md`.

mod cpp;
mod names;
mod project;

use std::path::Path;

use fpgaopt_ir::{DiagResult, Diagnostic, Location, Module};

pub use names::c_identifier;

/// Choices for the emitted project.
#[derive(Clone, Debug)]
pub struct EmitOptions {
    /// Project and top-function name (made a C identifier); default: the top function's symbol
    /// (`model` when it is `main`, which C++ reserves for the testbench).
    pub name: Option<String>,
    /// FPGA part for `set_part`.
    pub part: String,
    /// Clock period in ns for `create_clock`.
    pub clock_ns: f64,
    /// Steps `build_prj.tcl` runs by default (each can be switched with `-tclargs step=0/1`).
    pub csim: bool,
    pub synth: bool,
    pub cosim: bool,
    pub export: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            name: None,
            part: "xcu250-figd2104-2L-e".into(),
            clock_ns: 5.0,
            csim: true,
            synth: true,
            cosim: false,
            export: false,
        }
    }
}

/// Every file of the project as (path relative to the project directory, text).
pub fn project_files(m: &Module, opts: &EmitOptions) -> DiagResult<Vec<(String, String)>> {
    project::files(m, opts)
}

/// Writes the project into `dir` (created if needed). Files of an earlier project are overwritten,
/// and weight headers it had that this one lacks are removed from `firmware/weights/`.
pub fn emit_project(m: &Module, dir: &Path, opts: &EmitOptions) -> DiagResult<()> {
    let files = project::files(m, opts)?;
    if let Ok(entries) = std::fs::read_dir(dir.join("firmware").join("weights")) {
        for e in entries.flatten() {
            let rel = format!("firmware/weights/{}", e.file_name().to_string_lossy());
            if rel.ends_with(".h") && !files.iter().any(|(f, _)| *f == rel) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    for (rel, text) in files {
        let path = dir.join(&rel);
        let io = |e: std::io::Error| Diagnostic::error(Location::Unknown, format!("cannot write {}: {e}", path.display()));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::write(&path, text).map_err(io)?;
    }
    Ok(())
}

/// All files of the project in one text, each after a `// ===== <path> =====` line (for lit tests
/// and `fpgaopt --emit=hls-cpp`).
pub fn emit_cpp_text(m: &Module, opts: &EmitOptions) -> DiagResult<String> {
    let mut out = String::new();
    for (rel, text) in project::files(m, opts)? {
        out.push_str(&format!("// ===== {rel} =====\n{text}"));
    }
    Ok(out)
}
