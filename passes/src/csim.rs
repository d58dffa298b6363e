//! C simulation: compiles an emitted project's testbench with g++ and runs it on a batch of inputs.
//!
//! [`run_csim_ports`] reads `DIR/report.json` for the project name, its translation units and the
//! top function's ports, builds them into `DIR/csim/NAME_csim`, and feeds it every sample of one
//! float32 `.npy` file per input port, writing one per output port ([`run_csim`]: one of each).
//!
//! The build is incremental and parallel, like `make -j` with content hashes:
//! - every translation unit (`firmware/NAME.cpp`, the testbench) is its own `g++ -O2` process
//!   writing `DIR/csim/obj/*.o`, as many at once as the machine has cores, longest first;
//! - an object is reused when its stamp (`*.o.stamp`) matches a 128-bit FNV-1a hash of the compiler,
//!   its flags and the contents of every file g++ reported it reading (`-MMD`); the binary is
//!   relinked when an object changed;
//! - `-Wno-free-nonheap-object` switches off GCC 12's `-Wfree-nonheap-object`, whose analysis
//!   (`pass_waccess`, "access analysis" in `-ftime-report`) grows faster than linearly with the
//!   size of a function. Projects emitted now do not need it (their roms are static data), but
//!   projects with `ap_fixed` weight arrays do (hand-edited, or emitted before): it halves the old
//!   jet tagger's top unit, 15.7 s to 7.5 s. It only suppresses a warning: the objects are
//!   byte-identical with and without it;
//! - `-ffp-contract=off` keeps every float32 `a * b + c` two roundings, as the reference computes
//!   it (`std::fma` is written out where the reference fuses); plain x86-64 has no FMA
//!   instructions to contract into, but a build for a newer target would.
//!
//! Why the build used to be slow, and what else was measured: `docs/benchmarks.md`.
//!
//! The `ap_fixed` headers come from `$FPGAOPT_AP_TYPES`, else from the path that `scripts/setup.sh`
//! writes to `<repo>/build/ap_types_path` (the repository is found by walking up from the running
//! executable). They are never copied into the project.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use fpgaopt_ir::{DiagResult, Diagnostic, Location};

/// The compiler; part of every cache key.
const CXX: &str = "g++";
/// Flags of every translation unit; part of every cache key.
const CXX_FLAGS: [&str; 4] = ["-O2", "-std=c++14", "-ffp-contract=off", "-Wno-free-nonheap-object"];

fn error(msg: impl Into<String>) -> Diagnostic {
    Diagnostic::error(Location::Unknown, format!("csim: {}", msg.into()))
}

/// One top-function port as report.json describes it.
struct Port {
    name: String,
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
/// the results to `output_npy` (float32, shape `(N, ...)`): [`run_csim_ports`] for a design with one
/// input and one output.
pub fn run_csim(dir: &Path, input_npy: &Path, output_npy: &Path) -> DiagResult<()> {
    run_csim_ports(dir, &[input_npy.to_path_buf()], &[output_npy.to_path_buf()])
}

/// Runs the project in `dir` with one `.npy` batch per input port (in the top function's order, every
/// one with the same number of samples N) and writes one `.npy` per output port. Each sample holds
/// the port's shape without a leading dimension of 1: an input `[1,64]` reads `(N, 64)`, an input
/// `[3,4]` reads `(N, 3, 4)`.
pub fn run_csim_ports(dir: &Path, inputs: &[PathBuf], outputs: &[PathBuf]) -> DiagResult<()> {
    let report = read_report(dir)?;
    let counts = |what: &str, ports: &[Port], given: usize, flag: &str| -> DiagResult<()> {
        if ports.len() == given {
            return Ok(());
        }
        let names: Vec<&str> = ports.iter().map(|p| p.name.as_str()).collect();
        Err(error(format!(
            "the design has {} {what} port{} ({}) but {given} {flag} file{} given; give one {flag} per port, in this order",
            ports.len(),
            if ports.len() == 1 { "" } else { "s" },
            names.join(", "),
            if given == 1 { " was" } else { "s were" },
        )))
    };
    counts("input", &report.inputs, inputs.len(), "--input")?;
    counts("output", &report.outputs, outputs.len(), "--output")?;
    let mut batches = vec![];
    for (path, port) in inputs.iter().zip(&report.inputs) {
        batches.push(read_input(path, port, report.quantizes_floats)?);
    }
    // With no input port (a constant design) the testbench runs once.
    let n = batches.first().map_or(1, |(n, _)| *n);
    if let Some((path, (m, _))) = inputs.iter().zip(&batches).find(|(_, (m, _))| *m != n) {
        return Err(error(format!("{} holds {m} samples but {} holds {n}; every input needs the same number", path.display(), inputs[0].display())));
    }
    let binary = build(dir, &report)?;
    let work = dir.join("csim");
    let in_bin = work.join("input.bin");
    let out_bin = work.join("output.bin");
    // Sample by sample, every input port in order: what the testbench reads.
    let mut bytes = vec![];
    for s in 0..n as usize {
        for ((_, data), port) in batches.iter().zip(&report.inputs) {
            let len = port.len() as usize;
            bytes.extend(data[s * len..(s + 1) * len].iter().flat_map(|v| v.to_le_bytes()));
        }
    }
    std::fs::write(&in_bin, bytes).map_err(|e| error(format!("cannot write {}: {e}", in_bin.display())))?;
    // The top function keeps its feature maps on the stack (hardware buffers): a CNN on a
    // 128x128 image needs far more than the usual 8 MiB, so the testbench runs with the largest
    // stack the hard limit allows.
    let run = Command::new("sh")
        .arg("-c")
        .arg("ulimit -s \"$(ulimit -Hs)\" 2>/dev/null; exec \"$0\" \"$@\"")
        .arg(&binary)
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
    // hls::stream's simulation model reports a read of an empty FIFO (a process consuming more
    // than its producer wrote) and FIFOs left holding data: both are stream design errors.
    let stdout = String::from_utf8_lossy(&run.stdout);
    if let Some(line) = stdout.lines().find(|l| l.contains("is read while empty") || l.contains("contains leftover data")) {
        return Err(error(format!("the C simulation of the stream design went wrong: {}", line.trim())));
    }
    let raw = std::fs::read(&out_bin).map_err(|e| error(format!("cannot read {}: {e}", out_bin.display())))?;
    let values: Vec<f32> = raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let per_sample: u64 = report.outputs.iter().map(Port::len).sum();
    if values.len() as u64 != n * per_sample {
        return Err(error(format!("the testbench wrote {} values, expected {n} samples of {per_sample}", values.len())));
    }
    // The testbench appends every output port per sample: split them back.
    let mut offset = 0usize;
    for (path, port) in outputs.iter().zip(&report.outputs) {
        let len = port.len() as usize;
        let data: Vec<f32> = (0..n as usize)
            .flat_map(|s| {
                let start = s * per_sample as usize + offset;
                values[start..start + len].iter().copied()
            })
            .collect();
        offset += len;
        let mut shape = vec![n];
        shape.extend_from_slice(port.sample_shape());
        write_npy(path, &shape, &data)?;
    }
    Ok(())
}

/// What the C simulation needs from report.json.
struct Report {
    name: String,
    /// The design's translation units and the testbench, relative to the project directory.
    sources: Vec<String>,
    testbench: String,
    inputs: Vec<Port>,
    outputs: Vec<Port>,
    /// A `quantize` layer converts float values to fixed point as C++ does.
    quantizes_floats: bool,
}

/// The project name, its sources and its input and output ports. Projects emitted before
/// report.json listed `sources` and `testbench` have `firmware/NAME.cpp` and `NAME_test.cpp`.
fn read_report(dir: &Path) -> DiagResult<Report> {
    let path = dir.join("report.json");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| error(format!("cannot read {} (is {} an emitted project?): {e}", path.display(), dir.display())))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| error(format!("{}: {e}", path.display())))?;
    let name = json["project"].as_str().ok_or_else(|| error(format!("{}: no \"project\"", path.display())))?.to_string();
    let ports = |key: &str| -> DiagResult<Vec<Port>> {
        let mut out = vec![];
        for (i, p) in json[key].as_array().cloned().unwrap_or_default().iter().enumerate() {
            let shape = p["shape"].as_array().and_then(|s| s.iter().map(serde_json::Value::as_u64).collect::<Option<Vec<_>>>());
            let shape = shape.ok_or_else(|| error(format!("{}: {key} without a shape", path.display())))?;
            let name = p["name"].as_str().map_or_else(|| format!("#{i}"), str::to_string);
            out.push(Port { name, shape });
        }
        Ok(out)
    };
    let sources = match json.get("sources") {
        None => vec![format!("firmware/{name}.cpp")],
        Some(v) => v
            .as_array()
            .and_then(|a| a.iter().map(|s| s.as_str().map(str::to_string)).collect::<Option<Vec<_>>>())
            .ok_or_else(|| error(format!("{}: \"sources\" is not a list of paths", path.display())))?,
    };
    let testbench = json["testbench"].as_str().map_or_else(|| format!("{name}_test.cpp"), str::to_string);
    let quantizes_floats = json["layers"].as_array().is_some_and(|layers| {
        layers.iter().any(|l| l["op"] == "quantize" && l["input_type"] == "float")
    });
    Ok(Report { inputs: ports("inputs")?, outputs: ports("outputs")?, name, sources, testbench, quantizes_floats })
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

/// One translation unit: its g++ command and the files it produces.
struct Unit {
    /// The source, relative to the project (for messages).
    rel: String,
    obj: PathBuf,
    deps: PathBuf,
    stamp: PathBuf,
    args: Vec<String>,
}

/// Compiles the translation units whose objects are out of date, in parallel, and links the
/// testbench when any object changed; returns the binary.
fn build(dir: &Path, report: &Report) -> DiagResult<PathBuf> {
    let ap = ap_types_dir()?;
    // Absolute paths in the commands and dependency files: the cache holds from any directory.
    let dir = &std::path::absolute(dir).map_err(|e| error(format!("cannot resolve {}: {e}", dir.display())))?;
    let work = dir.join("csim");
    let objs = work.join("obj");
    std::fs::create_dir_all(&objs).map_err(|e| error(format!("cannot create {}: {e}", objs.display())))?;
    // Design sources first: the testbench is the shortest job and goes last.
    let mut units = vec![];
    for rel in report.sources.iter().chain([&report.testbench]) {
        let src = dir.join(rel);
        if !src.is_file() {
            return Err(error(format!("{} is missing", src.display())));
        }
        let stem = rel.strip_suffix(".cpp").unwrap_or(rel).replace(['/', '\\'], "__");
        let obj = objs.join(format!("{stem}.o"));
        let deps = objs.join(format!("{stem}.d"));
        let mut args: Vec<String> = CXX_FLAGS.iter().map(|s| s.to_string()).collect();
        args.push(format!("-I{}", ap.display()));
        args.extend(["-c".into(), src.display().to_string(), "-o".into(), obj.display().to_string()]);
        args.extend(["-MMD".into(), "-MF".into(), deps.display().to_string()]);
        let stamp = objs.join(format!("{stem}.o.stamp"));
        units.push(Unit { rel: rel.clone(), obj, deps, stamp, args });
    }
    let stale: Vec<&Unit> = units.iter().filter(|u| !is_current(u)).collect();
    for u in &stale {
        let _ = std::fs::remove_file(&u.stamp);
    }
    // Stamp every object that compiled; then report the first failure, if any.
    let mut failure = None;
    for (u, out) in stale.iter().zip(run_parallel(&stale)) {
        match out {
            Ok(out) if out.status.success() => {
                let key = dep_key(u)?;
                std::fs::write(&u.stamp, format!("{key}\n")).map_err(|e| error(format!("cannot write {}: {e}", u.stamp.display())))?;
            }
            Ok(out) => {
                let stderr = String::from_utf8_lossy(&out.stderr);
                failure.get_or_insert_with(|| error(format!("{CXX} failed to compile {} ({}):\n{}", u.rel, out.status, stderr.trim_end())));
            }
            Err(e) => {
                failure.get_or_insert_with(|| error(format!("cannot run {CXX}: {e}")));
            }
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    // The binary: relinked unless its stamp names exactly the current objects.
    let binary = work.join(format!("{}_csim", report.name));
    let stamp = work.join(format!("{}_csim.stamp", report.name));
    let mut args: Vec<String> = units.iter().map(|u| u.obj.display().to_string()).collect();
    args.extend(["-o".into(), binary.display().to_string()]);
    let mut parts: Vec<Vec<u8>> = vec![CXX.into()];
    parts.extend(args.iter().map(|a| a.clone().into_bytes()));
    for u in &units {
        parts.push(std::fs::read(&u.stamp).map_err(|e| error(format!("cannot read {}: {e}", u.stamp.display())))?);
    }
    let key = fnv128(parts.iter().map(Vec::as_slice));
    if binary.is_file() && std::fs::read_to_string(&stamp).is_ok_and(|s| s.trim() == key) {
        return Ok(binary);
    }
    let _ = std::fs::remove_file(&stamp);
    let out = Command::new(CXX).args(&args).output().map_err(|e| error(format!("cannot run {CXX}: {e}")))?;
    if !out.status.success() {
        return Err(error(format!(
            "{CXX} failed to link the testbench ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim_end()
        )));
    }
    std::fs::write(&stamp, format!("{key}\n")).map_err(|e| error(format!("cannot write {}: {e}", stamp.display())))?;
    Ok(binary)
}

/// Runs the units' compilations, as many at once as there are cores; results in the units' order.
fn run_parallel(units: &[&Unit]) -> Vec<std::io::Result<Output>> {
    let jobs = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, units.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<std::io::Result<Output>>>> = units.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(u) = units.get(i) else { break };
                let out = Command::new(CXX).args(&u.args).output();
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(out);
            });
        }
    });
    results
        .into_iter()
        .map(|r| r.into_inner().unwrap_or_else(|e| e.into_inner()).unwrap_or_else(|| Err(std::io::Error::other("not run"))))
        .collect()
}

/// True when the unit's object exists and its stamp matches the files it was built from (as they
/// are now); any file that cannot be read makes the unit stale.
fn is_current(u: &Unit) -> bool {
    let Ok(stamp) = std::fs::read_to_string(&u.stamp) else { return false };
    u.obj.is_file() && dep_key(u).is_ok_and(|key| stamp.trim() == key)
}

/// A hash of the compiler, the unit's flags and every file its dependency file lists (by path and
/// contents). A listed file that no longer exists is an error, which makes the unit stale.
fn dep_key(u: &Unit) -> DiagResult<String> {
    let text = std::fs::read_to_string(&u.deps).map_err(|e| error(format!("cannot read {}: {e}", u.deps.display())))?;
    let mut parts: Vec<Vec<u8>> = vec![CXX.into()];
    parts.extend(u.args.iter().map(|a| a.clone().into_bytes()));
    for f in make_prerequisites(&text) {
        let bytes = std::fs::read(&f).map_err(|e| error(format!("cannot read {f}: {e}")))?;
        parts.push(f.into_bytes());
        parts.push(bytes);
    }
    Ok(fnv128(parts.iter().map(Vec::as_slice)))
}

/// The prerequisites of a make rule as g++ `-MMD` writes it (`obj: a.cpp b.h \` lines, spaces in
/// paths escaped with a backslash, `$` doubled).
fn make_prerequisites(rule: &str) -> Vec<String> {
    let joined = rule.replace("\\\n", " ");
    let Some((_, rest)) = joined.split_once(": ") else { return vec![] };
    let mut out = vec![];
    let mut cur = String::new();
    let mut chars = rest.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| *n == ' ' || *n == '#') => cur.extend(chars.next()),
            '$' if chars.peek() == Some(&'$') => {
                chars.next();
                cur.push('$');
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// A 128-bit FNV-1a hash (two 64-bit lanes) of a sequence of byte strings, each ended by a 0xff.
fn fnv128<'a>(parts: impl Iterator<Item = &'a [u8]>) -> String {
    let mut h = [0xcbf2_9ce4_8422_2325u64, 0x6c62_272e_07bb_0142u64];
    for bytes in parts {
        for &b in bytes.iter().chain([0xffu8].iter()) {
            for lane in h.iter_mut() {
                *lane ^= u64::from(b);
                *lane = lane.wrapping_mul(0x0000_0100_0000_01b3);
            }
            h[1] = h[1].rotate_left(5);
        }
    }
    format!("{:016x}{:016x}", h[0], h[1])
}

/// Reads `(N, ...)` float32 samples and checks each has the input port's size (and, for a
/// `fixed_point` design, is not NaN).
fn read_input(path: &Path, port: &Port, fixed_point: bool) -> DiagResult<(u64, Vec<f32>)> {
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
            "{}: samples of shape {:?} do not match the model input '{}' {:?}",
            path.display(),
            sample,
            port.name,
            port.sample_shape()
        )));
    }
    let dtype = npy.dtype();
    let data = npy
        .into_vec::<f32>()
        .map_err(|e| error(format!("{}: expected float32 data ({dtype:?}): {e}", path.display())))?;
    // A `quantize` layer converts a float to fixed point as C++ does (`ap_fixed` from a double),
    // which is undefined for NaN (infinities saturate or wrap like any large value): refuse NaN
    // rather than simulate garbage. Quantizers of quantized models (`fquant`) define NaN.
    if let Some(i) = data.iter().position(|v| v.is_nan()).filter(|_| fixed_point) {
        let len = port.len().max(1) as usize;
        return Err(error(format!(
            "{}: sample {} of input '{}' holds NaN at element {}; the design converts its inputs to fixed point, which cannot represent NaN",
            path.display(),
            i / len,
            port.name,
            i % len
        )));
    }
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
