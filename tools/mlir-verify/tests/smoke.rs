//! Runs the built binary on the files in `tests/data/` and checks exit codes and messages.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// A file in `tests/data/`.
fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Runs the tool with `args`, feeding `stdin` to it.
fn verify(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fpgaopt-mlir-verify"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin takes the text");
    child.wait_with_output().expect("the binary finishes")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn good_file_verifies() {
    let (irdl, good) = (data("hls.irdl.mlir"), data("good.mlir"));
    let output = verify(
        &["--irdl", irdl.to_str().unwrap(), good.to_str().unwrap()],
        "",
    );
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn print_generic_reads_stdin() {
    let irdl = data("hls.irdl.mlir");
    let text = std::fs::read_to_string(data("good.mlir")).unwrap();
    let output = verify(
        &["--irdl", irdl.to_str().unwrap(), "--print-generic", "-"],
        &text,
    );
    assert_eq!(output.status.code(), Some(0), "stderr: {}", stderr(&output));
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(printed.contains("\"hls.store\""), "stdout: {printed}");
}

#[test]
fn bad_file_names_the_error() {
    let (irdl, bad) = (data("hls.irdl.mlir"), data("bad.mlir"));
    let output = verify(
        &["--irdl", irdl.to_str().unwrap(), bad.to_str().unwrap()],
        "",
    );
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains(
            "bad.mlir:4:3: error: expected base type 'builtin.index' but got 'builtin.integer'"
        ),
        "stderr: {message}"
    );
}

#[test]
fn ops_of_a_missing_dialect_are_rejected() {
    let good = data("good.mlir");
    let output = verify(&[good.to_str().unwrap()], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error:"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn redefining_a_dialect_fails_cleanly() {
    // MLIR itself aborts on this; the tool must refuse it with a message instead.
    let irdl = data("hls.irdl.mlir");
    let irdl = irdl.to_str().unwrap();
    let output = verify(&["--irdl", irdl, "--irdl", irdl, "-"], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("dialect 'hls' is already defined"),
        "stderr: {}",
        stderr(&output)
    );
}

#[test]
fn unreadable_irdl_file_fails_cleanly() {
    let output = verify(&["--irdl", "/nonexistent/x.irdl.mlir", "-"], "");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot read /nonexistent/x.irdl.mlir"),
        "stderr: {}",
        stderr(&output)
    );
}
