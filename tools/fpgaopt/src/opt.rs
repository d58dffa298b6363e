//! The `mlir-opt`-like mode: parse or import, run a pass pipeline, print the result.

use std::io::{Read, Write};

use clap::Args;
use fpgaopt_ir::diag::SourceMap;
use fpgaopt_ir::pass::{run_pipeline, PassContext, RunOptions};
use fpgaopt_ir::printer::{print_module, PrintOptions};
use fpgaopt_ir::{Diagnostic, Location, Module};

/// Flags of the `mlir-opt`-like mode.
#[derive(Args, Debug)]
pub struct OptArgs {
    /// Input file (.mlir or .onnx); '-' reads MLIR text from stdin.
    #[arg(default_value = "-")]
    input: String,
    /// The pass pipeline, e.g. 'builtin.module(import-onnx,nn-canonicalize)'.
    #[arg(long = "pass-pipeline")]
    pass_pipeline: Option<String>,
    /// Output file ('-' for stdout).
    #[arg(short = 'o', default_value = "-")]
    output: String,
    /// Verify the IR after each pass.
    #[arg(long = "verify-each", default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    verify_each: bool,
    /// Print the IR after every pass (to stderr).
    #[arg(long = "print-ir-after-all")]
    print_ir_after_all: bool,
    /// Print the IR after the named pass (to stderr); may repeat.
    #[arg(long = "print-ir-after")]
    print_ir_after: Vec<String>,
    /// Split the input on '// -----' lines and process each chunk on its own.
    #[arg(long = "split-input-file")]
    split_input_file: bool,
    /// Check diagnostics against 'expected-error' comments in the input.
    #[arg(long = "verify-diagnostics")]
    verify_diagnostics: bool,
    /// Print every op in the generic form.
    #[arg(long = "mlir-print-op-generic")]
    generic: bool,
    /// Print locations.
    #[arg(long = "mlir-print-debuginfo")]
    debug_info: bool,
    /// Elide dense constants with more elements than this.
    #[arg(long = "mlir-elide-elementsattrs-if-larger")]
    elide: Option<usize>,
    /// List passes and named pipelines with their options.
    #[arg(long = "list-passes")]
    list_passes: bool,
    /// Print the time each pass took (to stderr).
    #[arg(long)]
    timing: bool,
    /// Translate the final IR instead of printing it: 'hls-cpp' prints the emitted C++ files.
    #[arg(long, value_parser = ["hls-cpp"])]
    emit: Option<String>,
    /// Print the IRDL definition of a dialect (nn, qdf, hls) and exit.
    #[arg(long = "export-irdl")]
    export_irdl: Option<String>,
    /// Print the generated reference page of a dialect (nn, qdf, hls) and exit.
    #[arg(long = "export-docs")]
    export_docs: Option<String>,
    /// Print the generated pass reference (docs/passes.md) and exit.
    #[arg(long = "export-pass-docs")]
    export_pass_docs: bool,
}

/// Runs the mode; false on any error.
pub fn run(a: OptArgs) -> bool {
    let registry = fpgaopt_passes::dialects();
    let passes = fpgaopt_passes::registry();
    if a.list_passes {
        print!("{}", fpgaopt_passes::docs::list_passes(&passes));
        return true;
    }
    if a.export_pass_docs {
        return write_output(&a.output, &fpgaopt_passes::docs::passes_doc(&passes));
    }
    if let Some(d) = a.export_irdl.as_deref().or(a.export_docs.as_deref()) {
        let Some(dialect) = registry.dialect(d).filter(|x| x.name != "upstream") else {
            eprintln!("error: unknown dialect '{d}'");
            return false;
        };
        let text = if a.export_irdl.is_some() {
            fpgaopt_ir::export::irdl(dialect)
        } else {
            fpgaopt_ir::export::reference_doc(dialect)
        };
        return write_output(&a.output, &text);
    }
    let pipeline = match a.pass_pipeline.as_deref().map(|p| passes.parse_pipeline(p)).transpose() {
        Ok(p) => p.unwrap_or_default(),
        Err(d) => {
            eprint!("{}", d.render(&SourceMap::default()));
            return false;
        }
    };
    let is_onnx = a.input.ends_with(".onnx");
    let text = if is_onnx {
        String::new()
    } else {
        match read_input(&a.input) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: cannot read '{}': {e}", a.input);
                return false;
            }
        }
    };
    if is_onnx && pipeline.first().is_none_or(|(p, _)| p.name != "import-onnx") {
        eprintln!("{}: error: ONNX input needs a pipeline that starts with import-onnx", a.input);
        return false;
    }
    let file = if a.input == "-" { "<stdin>" } else { a.input.as_str() };
    let mut sources = SourceMap::default();
    sources.add(file, &text);
    let run_opts = RunOptions {
        verify_each: a.verify_each,
        print_after_all: a.print_ir_after_all,
        print_after: a.print_ir_after.clone(),
        print: PrintOptions { generic: a.generic, debug_info: a.debug_info, elide_elements_larger: a.elide, ..Default::default() },
    };
    let chunks = if a.split_input_file { split_chunks(&text) } else { vec![(0, text.as_str())] };
    let mut outputs = vec![];
    let mut ok = true;
    for (offset, chunk) in chunks {
        let (result, diags) = process_chunk(chunk, offset, file, is_onnx, &a, &registry, &pipeline, &run_opts);
        if a.verify_diagnostics {
            let problems = fpgaopt_ir::expect::check(chunk, file, offset, &diags);
            for p in &problems {
                eprint!("{}", p.render(&sources));
            }
            ok &= problems.is_empty();
        } else {
            for d in &diags {
                eprint!("{}", d.render(&sources));
            }
            ok &= diags.iter().all(|d| d.severity != fpgaopt_ir::Severity::Error);
        }
        if let Some(out) = result {
            outputs.push(out);
        }
    }
    if a.verify_diagnostics {
        // Like mlir-opt, output is not the point of a diagnostics test; print what succeeded.
        return ok && write_output(&a.output, &outputs.join("// -----\n"));
    }
    if !ok {
        return false;
    }
    write_output(&a.output, &outputs.join("// -----\n"))
}

#[allow(clippy::too_many_arguments)]
fn process_chunk(
    chunk: &str,
    offset: u32,
    file: &str,
    is_onnx: bool,
    a: &OptArgs,
    registry: &fpgaopt_ir::Registry,
    pipeline: &[(&'static fpgaopt_ir::pass::PassInfo, fpgaopt_ir::pass::Options)],
    run_opts: &RunOptions,
) -> (Option<String>, Vec<Diagnostic>) {
    let mut m = if is_onnx {
        Module::new(Location::named("module", Some(file)))
    } else {
        match fpgaopt_ir::parser::parse_module_at(chunk, file, offset, registry) {
            Ok(m) => m,
            Err(d) => return (None, vec![d]),
        }
    };
    if let Err(errs) = fpgaopt_ir::verifier::verify(&m) {
        return (None, errs);
    }
    let mut ctx = PassContext { registry, input_path: file, remarks: vec![] };
    let mut dumps = vec![];
    let result = run_pipeline(&mut m, pipeline, run_opts, &mut ctx, &mut |s| dumps.push(s));
    for d in dumps {
        eprint!("{d}");
    }
    let mut diags = std::mem::take(&mut ctx.remarks);
    match result {
        Ok(timings) => {
            if a.timing {
                eprint!("{}", fpgaopt_passes::docs::timing_table(&timings));
            }
        }
        Err(errs) => {
            diags.extend(errs);
            return (None, diags);
        }
    }
    let out = match a.emit.as_deref() {
        Some("hls-cpp") => match fpgaopt_passes::emit::emit_cpp_text(&m, &Default::default()) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return (None, diags);
            }
        },
        _ => print_module(&m, &run_opts.print),
    };
    (Some(out), diags)
}

/// Splits on lines that are exactly `// -----`; returns each chunk with its line offset.
fn split_chunks(text: &str) -> Vec<(u32, &str)> {
    let mut chunks = vec![];
    let mut start = 0;
    let mut start_line = 0u32;
    let mut line = 0u32;
    let mut pos = 0;
    for l in text.split_inclusive('\n') {
        line += 1;
        if l.trim_end() == "// -----" {
            chunks.push((start_line, &text[start..pos]));
            start = pos + l.len();
            start_line = line;
        }
        pos += l.len();
    }
    chunks.push((start_line, &text[start..]));
    chunks
}

fn read_input(path: &str) -> std::io::Result<String> {
    let mut s = String::new();
    if path == "-" {
        std::io::stdin().read_to_string(&mut s)?;
    } else {
        s = std::fs::read_to_string(path)?;
    }
    Ok(s)
}

fn write_output(path: &str, text: &str) -> bool {
    let r = if path == "-" {
        std::io::stdout().write_all(text.as_bytes())
    } else {
        std::fs::write(path, text)
    };
    if let Err(e) = r {
        eprintln!("error: cannot write '{path}': {e}");
        return false;
    }
    true
}
