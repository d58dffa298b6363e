//! `fpgaopt-mlir-verify`: checks MLIR text with real MLIR (LLVM 22, through melior).
//!
//! The context knows the upstream `builtin`, `func`, `scf` and `arith` dialects, plus every dialect defined by the
//! IRDL files given with `--irdl`. The input is parsed as a module and run through the MLIR verifier. Exit status:
//! 0 when the module verifies, 1 on any parse, verification or I/O failure (MLIR's own diagnostics, with their
//! locations, go to stderr), 2 on a bad command line.
//!
//! Invariant: no input, however malformed, makes the tool panic; every failure becomes a diagnostic.

mod diagnostics;
mod irdl;
mod nesting;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use melior::dialect::{DialectHandle, DialectRegistry};
use melior::ir::operation::{OperationLike, OperationPrintingFlags};
use melior::ir::Module;
use melior::Context;

use diagnostics::{Reporter, Source};

/// Checks MLIR text with real MLIR: upstream func/scf/arith plus dialects defined in IRDL.
#[derive(Parser, Debug)]
#[command(name = "fpgaopt-mlir-verify", version)]
struct Args {
    /// An IRDL file (`irdl.dialect` ops) whose dialects are loaded before the input is parsed; repeatable.
    #[arg(long = "irdl", value_name = "FILE")]
    irdl: Vec<PathBuf>,

    /// Print the verified module to stdout in MLIR's generic form.
    #[arg(long)]
    print_generic: bool,

    /// The MLIR file to check, or `-` for stdin.
    #[arg(value_name = "FILE|-")]
    input: String,
}

/// A failure already reported to the user; only the exit status is left to set.
struct Reported;

/// Stack for the thread that runs MLIR. MLIR's parser and verifier recurse once per nesting level, and at
/// [`nesting::MAX_NESTING`] levels they need far more than the usual 8 MiB; this only reserves address space.
const MLIR_STACK_BYTES: usize = 1 << 30;

fn main() -> ExitCode {
    let args = Args::parse();
    let worker = std::thread::Builder::new()
        .stack_size(MLIR_STACK_BYTES)
        .spawn(move || run(&args));
    match worker.map(|handle| handle.join()) {
        Ok(Ok(Ok(()))) => ExitCode::SUCCESS,
        Ok(Ok(Err(Reported))) => ExitCode::FAILURE,
        Ok(Err(_panic)) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: cannot start the MLIR thread: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the IRDL dialects, then parses and verifies the input.
fn run(args: &Args) -> Result<(), Reported> {
    let context = new_context();
    let reporter = Reporter::attach(&context);

    for path in &args.irdl {
        let source = read_source(&path.display().to_string(), Some(path))?;
        let module = parse(&context, &reporter, source)?;
        if let Err(why) = irdl::load(&context, &module) {
            eprintln!(
                "error: cannot load the IRDL dialects of {}: {why}",
                path.display()
            );
            return Err(Reported);
        }
    }

    let source = if args.input == "-" {
        read_source("<stdin>", None)?
    } else {
        read_source(&args.input, Some(Path::new(&args.input)))?
    };
    let module = parse(&context, &reporter, source)?;
    // Parsing already runs the verifier; verifying again keeps the contract explicit and costs little.
    if !module.as_operation().verify() {
        return Err(Reported);
    }

    if args.print_generic {
        let flags = OperationPrintingFlags::new().print_generic_operation_form();
        match module.as_operation().to_string_with_flags(flags) {
            Ok(text) => println!("{text}"),
            Err(error) => {
                eprintln!("error: cannot print the module: {error}");
                return Err(Reported);
            }
        }
    }
    Ok(())
}

/// A context with builtin, func, scf, arith, and irdl (needed to parse the `--irdl` files) loaded.
fn new_context() -> Context {
    let registry = DialectRegistry::new();
    // SAFETY: the handle comes straight from MLIR's C API; melior has no safe constructor for irdl.
    let irdl = unsafe { DialectHandle::from_raw(mlir_sys::mlirGetDialectHandle__irdl__()) };
    for handle in [
        DialectHandle::func(),
        DialectHandle::scf(),
        DialectHandle::arith(),
        irdl,
    ] {
        handle.insert_dialect(&registry);
    }
    let context = Context::new();
    context.append_dialect_registry(&registry);
    context.load_all_available_dialects();
    context
}

/// Reads a file (`path`) or stdin (`None`) as UTF-8 text that MLIR can take.
fn read_source(name: &str, path: Option<&Path>) -> Result<Source, Reported> {
    let text = match path {
        Some(path) => std::fs::read_to_string(path),
        None => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map(|_| text)
        }
    };
    let text = text.map_err(|error| {
        eprintln!("error: cannot read {name}: {error}");
        Reported
    })?;
    // melior's `Module::parse` copies the text into a C string and panics on an interior NUL.
    if let Some(offset) = text.find('\0') {
        eprintln!("error: {name} contains a NUL byte at offset {offset}");
        return Err(Reported);
    }
    if let Some((line, column)) = nesting::too_deep(&text) {
        eprintln!(
            "{name}:{line}:{column}: error: nesting deeper than {} levels",
            nesting::MAX_NESTING
        );
        return Err(Reported);
    }
    Ok(Source {
        name: name.to_string(),
        text,
    })
}

/// Parses (and, as MLIR's parser does, verifies) `source` as a module; diagnostics name `source`.
fn parse<'c>(
    context: &'c Context,
    reporter: &Reporter,
    source: Source,
) -> Result<Module<'c>, Reported> {
    let source = Rc::new(source);
    reporter.set_source(Rc::clone(&source));
    Module::parse(context, &source.text).ok_or_else(|| {
        // MLIR has already printed why; a one-line summary helps when several files are involved.
        eprintln!("error: {} does not parse or verify", source.name);
        Reported
    })
}
