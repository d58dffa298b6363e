//! The `fpgaopt` command line: parses flags and calls the library.
//!
//! Forms:
//! - `fpgaopt FILE --pass-pipeline='builtin.module(...)' [-o OUT]`: like `mlir-opt` (FILE is .mlir or .onnx).
//! - `fpgaopt compile MODEL.onnx -o DIR [--precision 'fixed<W,I>'] [--io parallel]`: the whole flow.
//! - `fpgaopt csim DIR --input IN.npy --output OUT.npy`: C simulation of a compiled project (`--input` and
//!   `--output` repeated for a model with several inputs or outputs).
//! - `fpgaopt run FILE --input IN.npy --output OUT.npy`: the reference interpreter.
//! - `fpgaopt sweep MODEL.onnx --precisions 'fixed<16,6>,fixed<8,3>' --input X.npy [--labels y.npy]`:
//!   error and accuracy of one model at several precisions.

mod opt;

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// fpgaopt: an MLIR-style compiler from ONNX networks to Vitis HLS C++.
#[derive(Parser, Debug)]
#[command(name = "fpgaopt", version, args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    opt: opt::OptArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile an ONNX model into a Vitis HLS project.
    Compile(CompileArgs),
    /// Build and run the C simulation of a compiled project on a batch of inputs.
    Csim(CsimArgs),
    /// Interpret a model at the nn or qdf level (the reference the C++ must match).
    Run(RunArgs),
    /// Interpret a float model at several precisions; print errors and accuracy for each.
    Sweep(SweepArgs),
}

#[derive(Args, Debug)]
struct SweepArgs {
    /// The float ONNX model (or a .mlir file at the nn level).
    model: String,
    /// Comma-separated precisions, e.g. 'fixed<16,6>,fixed<12,4>,fixed<10,4,RND,SAT>'.
    #[arg(long, default_value = "fixed<16,6>,fixed<12,4>,fixed<10,4>,fixed<8,3>")]
    precisions: String,
    /// Input batch, float32 .npy of shape (N, ...input shape without its leading 1).
    #[arg(long)]
    input: String,
    /// Class ids of the samples (.npy, int64 or int32, shape (N,)); adds an accuracy column.
    #[arg(long)]
    labels: Option<String>,
    /// Per-layer precision, rounding and overflow overrides (JSON), applied at every precision.
    #[arg(long)]
    config: Option<String>,
    /// Print the report as JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct RunArgs {
    /// A .mlir file at the nn or qdf level, or an .onnx model.
    file: String,
    /// Passes to run first (default for .onnx: import-onnx,nn-canonicalize).
    #[arg(long = "pass-pipeline")]
    pass_pipeline: Option<String>,
    /// Input batch, float32 .npy of shape (N, ...input shape without its leading 1).
    #[arg(long)]
    input: String,
    /// Where to write the output batch (.npy, float32).
    #[arg(long)]
    output: String,
    /// Write every op's results to DIR/<index>_<layer>_<op>.npy (real values of fixed-point results).
    #[arg(long)]
    trace: Option<String>,
}

#[derive(Args, Debug)]
struct CompileArgs {
    /// The ONNX model.
    model: String,
    /// Output directory of the project.
    #[arg(short = 'o', long = "output")]
    output: String,
    /// Default fixed-point precision of activations and weights, e.g. 'fixed<16,6>'.
    #[arg(long, default_value = "fixed<16,6>")]
    precision: String,
    /// I/O style: parallel (unrolled layers, pipelined top) or serial (pipelined loops, dataflow top).
    #[arg(long, default_value = "parallel", value_parser = ["parallel", "serial", "stream"])]
    io: String,
    /// Per-layer precision overrides (JSON).
    #[arg(long)]
    config: Option<String>,
    /// Initiation interval of pipelined loops; 1 is fully parallel.
    #[arg(long = "reuse-factor", default_value_t = 1)]
    reuse_factor: u32,
    /// Quantized models: the ops after the last quantizer in float32 like the reference (exact-f32) or at --precision (fixed).
    #[arg(long = "float-tail", value_parser = ["exact-f32", "fixed"])]
    float_tail: Option<String>,
    /// Quantized models: dense layers whose float32 sums the reference rounds (non-power-of-two scales) as exact integers (integer), as the reference's own float32 sums (float32, bit-identical), or auto (integer for 8-bit QDQ/QOperator, float32 otherwise).
    #[arg(long = "inexact-sums", value_parser = ["auto", "integer", "float32"])]
    inexact_sums: Option<String>,
    /// Print pass timings.
    #[arg(long)]
    timing: bool,
}

#[derive(Args, Debug)]
struct CsimArgs {
    /// The project directory written by `fpgaopt compile`.
    dir: String,
    /// Input batch, float32 .npy of shape (N, ...input shape without its leading 1); repeat it once per
    /// model input, in the model's order (none for a model without inputs).
    #[arg(long)]
    input: Vec<String>,
    /// Where to write the output batch (.npy, float32); repeat it once per model output, in order.
    #[arg(long, required = true)]
    output: Vec<String>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ok = match cli.command {
        Some(Command::Compile(a)) => compile(a),
        Some(Command::Csim(a)) => csim(a),
        Some(Command::Run(a)) => run(a),
        Some(Command::Sweep(a)) => sweep(a),
        None => opt::run(cli.opt),
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn compile(a: CompileArgs) -> bool {
    let opts = fpgaopt_passes::driver::CompileOptions {
        model: a.model.into(),
        output: a.output.into(),
        precision: a.precision,
        io: a.io,
        config: a.config,
        reuse_factor: a.reuse_factor,
        float_tail: a.float_tail,
        inexact_sums: a.inexact_sums,
    };
    match fpgaopt_passes::driver::compile(&opts) {
        Ok(report) => {
            for r in &report.remarks {
                eprintln!("{r}");
            }
            if a.timing {
                eprint!("{}", report.timing_table());
            }
            true
        }
        Err(d) => {
            eprint!("{}", d.render(&Default::default()));
            false
        }
    }
}

fn csim(a: CsimArgs) -> bool {
    let paths = |v: Vec<String>| v.into_iter().map(std::path::PathBuf::from).collect::<Vec<_>>();
    match fpgaopt_passes::csim::run_csim_ports(a.dir.as_ref(), &paths(a.input), &paths(a.output)) {
        Ok(()) => true,
        Err(d) => {
            eprint!("{}", d.render(&Default::default()));
            false
        }
    }
}

fn run(a: RunArgs) -> bool {
    let opts = fpgaopt_passes::driver::RunOptions {
        file: a.file.into(),
        pipeline: a.pass_pipeline,
        input: a.input.into(),
        output: a.output.into(),
        trace: a.trace.map(Into::into),
    };
    match fpgaopt_passes::driver::run(&opts) {
        Ok(()) => true,
        Err(d) => {
            eprint!("{}", d.render(&Default::default()));
            false
        }
    }
}

fn sweep(a: SweepArgs) -> bool {
    let precisions = match fpgaopt_passes::sweep::parse_precisions(&a.precisions) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: --precisions: {e}");
            return false;
        }
    };
    let opts = fpgaopt_passes::sweep::SweepOptions {
        model: a.model.into(),
        precisions,
        input: a.input.into(),
        labels: a.labels.map(Into::into),
        config: a.config,
    };
    match fpgaopt_passes::sweep::sweep(&opts) {
        Ok(report) => {
            if a.json {
                println!("{:#}", report.to_json());
            } else {
                print!("{}", report.table());
            }
            true
        }
        Err(d) => {
            eprint!("{}", d.render(&Default::default()));
            false
        }
    }
}
