//! C simulation: compiles an emitted project's testbench with g++ and runs it on a batch of inputs.
//!
//! [`run_csim`] reads `DIR/report.json` for the project name and the top function's ports, builds
//! `DIR/NAME_test.cpp` + `DIR/firmware/NAME.cpp` into `DIR/csim/NAME_csim`, and feeds it every sample of
//! a float32 `.npy` file. The binary is cached: `DIR/csim/build.stamp` holds a hash of every source
//! under `DIR/firmware/`, the testbench, the compiler command and the header directory, and the
//! binary is rebuilt only when that hash changes.
//!
//! The `ap_fixed` headers come from `$FPGAOPT_AP_TYPES`, else from the path that `scripts/setup.sh`
//! writes to `<repo>/build/ap_types_path` (the repository is found by walking up from the running
//! executable). They are never copied into the project.

use std::path::{Path, PathBuf};
use std::process::Command;

use fpgaopt_ir::{DiagResult, Diagnostic, Location};

/// The compiler and flags; part of the cache key.
const CXX: &str = "g++";
const CXX_FLAGS: [&str; 2] = ["-O2", "-std=c++14"];

fn error(msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Location::Unknown, format!("csim: {}", msg.into()))
}

/// One top-function port as report.json describes it.
struct Port {
    shape: Vec<u64>,
}

impl Port {
    fn len(&self) -> u64 {
        self.shape.iter().product()
    }

    /// The per-sample shape in the .npy files: the port shape without a leading batch dimension of 1.
    fn sample_shape(&self) -> &[u64] {
        match self.shape.split_first() {
            Some((1, rest)) if !rest.is_empty() => rest,
            _ => &self.shape,
        }
    }
}

/// Runs the project in `dir` on every sample of `input_npy` (float32, shape `(N, ...)`) and writes
/// the results to `output_npy` (float32, shape `(N, ...)`).
pub fn run_csim(dir: &Path, input_npy: &Path, output_npy: &Path) -> DiagResult<()> {
    let (name, input, output) = read_report(dir)?;
    let binary = build(dir, &name)?;
    let (n, data) = read_input(input_npy, &input)?;
    let work = dir.join("csim");
    let in_bin = work.join("input.bin");
    let out_bin = work.join("output.bin");
    let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(&in_bin, bytes).map_err(|e| error(format!("cannot write {}: {e}", in_bin.display())))?;
    let run = Command::new(&binary)
        .arg(&in_bin)
        .arg(&out_bin)
        .output()
        .map_err(|e| error(format!("cannot run {}: {e}", binary.display())))?;
    if !run.status.success() {
        return Err(error(format!(
            "the testbench failed ({}):\n{}",
            run.status,
            String::from_utf8_lossy(&run.stderr).trim_end()
        )));
    }
    let raw = std::fs::read(&out_bin).map_err(|e| error(format!("cannot read {}: {e}", out_bin.display())))?;
    let values: Vec<f32> = raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    if values.len() as u64 != n * output.len() {
        return Err(error(format!("the testbench wrote {} values, expected {} samples of {}", values.len(), n, output.len())));
    }
    let mut shape = vec![n];
    shape.extend_from_slice(output.sample_shape());
    write_npy(output_npy, &shape, &values)
}

/// The project name and its single input and output port.
fn read_report(dir: &Path) -> DiagResult<(String, Port, Port)> {
    let path = dir.join("report.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| error(format!("cannot read {} (is {} an emitted project?): {e}", path.display(), dir.display())))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| error(format!("{}: {e}", path.display())))?;
    let name = json["project"].as_str().ok_or_else(|| error(format!("{}: no \"project\"", path.display())))?.to_string();
    let port = |key: &str| -> DiagResult<Port> {
        let ports = json[key].as_array().cloned().unwrap_or_default();
        let [p] = &ports[..] else {
            return Err(error(format!("the top function has {} {key}; csim supports exactly one", ports.len())));
        };
        let shape = p["shape"].as_array().and_then(|s| s.iter().map(serde_json::Value::as_u64).collect::<Option<Vec<_>>>());
        let shape = shape.ok_or_else(|| error(format!("{}: {key} without a shape", path.display())))?;
        Ok(Port { shape })
    };
    Ok((name, port("inputs")?, port("outputs")?))
}

/// The directory holding `ap_fixed.h`.
pub fn ap_types_dir() -> DiagResult<PathBuf> {
    if let Some(dir) = std::env::var_os("FPGAOPT_AP_TYPES").filter(|d| !d.is_empty()) {
        let dir = PathBuf::from(dir);
        if !dir.join("ap_fixed.h").is_file() {
            return Err(error(format!("FPGAOPT_AP_TYPES={} does not contain ap_fixed.h", dir.display())));
        }
        return Ok(dir);
    }
    let exe = std::env::current_exe().map_err(|e| error(format!("cannot locate the running executable: {e}")))?;
    for ancestor in exe.ancestors().skip(1) {
        let file = ancestor.join("build").join("ap_types_path");
        if let Ok(text) = std::fs::read_to_string(&file) {
            let dir = PathBuf::from(text.trim());
            if !dir.join("ap_fixed.h").is_file() {
                return Err(error(format!("{} names {}, which does not contain ap_fixed.h; run scripts/setup.sh", file.display(), dir.display())));
            }
            return Ok(dir);
        }
    }
    Err(error(
        "cannot find the ap_fixed headers: set FPGAOPT_AP_TYPES to the ap_types directory (e.g. hls4ml/templates/vivado/ap_types) or run scripts/setup.sh",
    ))
}

/// Builds the testbench unless the cached binary matches the sources; returns the binary.
fn build(dir: &Path, name: &str) -> DiagResult<PathBuf> {
    let ap = ap_types_dir()?;
    let tb = dir.join(format!("{name}_test.cpp"));
    let top = dir.join("firmware").join(format!("{name}.cpp"));
    for f in [&tb, &top] {
        if !f.is_file() {
            return Err(error(format!("{} is missing", f.display())));
        }
    }
    let work = dir.join("csim");
    std::fs::create_dir_all(&work).map_err(|e| error(format!("cannot create {}: {e}", work.display())))?;
    let binary = work.join(format!("{name}_csim"));
    let stamp = work.join("build.stamp");
    let mut args: Vec<String> = CXX_FLAGS.iter().map(|s| s.to_string()).collect();
    args.push(format!("-I{}", ap.display()));
    args.extend([tb.display().to_string(), top.display().to_string(), "-o".into(), binary.display().to_string()]);
    let key = source_hash(dir, &tb, &args)?;
    if binary.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == key) {
        return Ok(binary);
    }
    let _ = std::fs::remove_file(&stamp);
    let out = Command::new(CXX).args(&args).output().map_err(|e| error(format!("cannot run {CXX}: {e}")))?;
    if !out.status.success() {
        return Err(error(format!(
            "{CXX} failed to build the testbench ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim_end()
        )));
    }
    std::fs::write(&stamp, format!("{key}\n")).map_err(|e| error(format!("cannot write {}: {e}", stamp.display())))?;
    Ok(binary)
}

/// A 128-bit FNV-1a hash (two 64-bit lanes) of the compile command and every source file, by path.
fn source_hash(dir: &Path, tb: &Path, args: &[String]) -> DiagResult<String> {
    let mut files = vec![tb.to_path_buf()];
    collect_files(&dir.join("firmware"), &mut files)?;
    files[1..].sort();
    let mut h = [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142u64];
    let mut feed = |bytes: &[u8]| {
        for &b in bytes.iter().chain([0xffu8].iter()) {
            for lane in h.iter_mut() {
                *lane ^= u64::from(b);
                *lane = lane.wrapping_mul(0x0000_0100_0000_01b3);
            }
            h[1] = h[1].rotate_left(5);
        }
    };
    feed(CXX.as_bytes());
    for a in args {
        feed(a.as_bytes());
    }
    for f in &files {
        let rel = f.strip_prefix(dir).unwrap_or(f);
        feed(rel.to_string_lossy().as_bytes());
        feed(&std::fs::read(f).map_err(|e| error(format!("cannot read {}: {e}", f.display())))?);
    }
    Ok(format!("{:016x}{:016x}", h[0], h[1]))
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> DiagResult<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| error(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries {
        let path = entry.map_err(|e| error(format!("cannot read {}: {e}", dir.display())))?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads `(N, ...)` float32 samples and checks each has the input port's size.
fn read_input(path: &Path, port: &Port) -> DiagResult<(u64, Vec<f32>)> {
    let file = std::fs::File::open(path).map_err(|e| error(format!("cannot open {}: {e}", path.display())))?;
    let npy = npyz::NpyFile::new(std::io::BufReader::new(file)).map_err(|e| error(format!("{}: not a .npy file: {e}", path.display())))?;
    if npy.order() != npyz::Order::C {
        return Err(error(format!("{}: Fortran-ordered arrays are not supported", path.display())));
    }
    let shape = npy.shape().to_vec();
    let Some((&n, sample)) = shape.split_first() else {
        return Err(error(format!("{}: expected shape (N, ...), found a scalar", path.display())));
    };
    if sample.iter().product::<u64>() != port.len() {
        return Err(error(format!(
            "{}: samples of shape {:?} do not match the model input {:?}",
            path.display(),
            sample,
            port.sample_shape()
        )));
    }
    let dtype = npy.dtype();
    let data = npy
        .into_vec::<f32>()
        .map_err(|e| error(format!("{}: expected float32 data ({dtype:?}): {e}", path.display())))?;
    Ok((n, data))
}

fn write_npy(path: &Path, shape: &[u64], values: &[f32]) -> DiagResult<()> {
    use npyz::WriterBuilder;
    let io = |e: std::io::Error| error(format!("cannot write {}: {e}", path.display()));
    let file = std::fs::File::create(path).map_err(io)?;
    let mut w = npyz::WriteOptions::new().default_dtype().shape(shape).writer(std::io::BufWriter::new(file)).begin_nd().map_err(io)?;
    w.extend(values.iter().copied()).map_err(io)?;
    w.finish().map_err(io)
}
