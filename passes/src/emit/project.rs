//! The files of a Vitis HLS project, as (relative path, text) pairs.

use std::collections::HashMap;
use std::fmt::Write;

use fpgaopt_hls as hls;
use fpgaopt_hls::directives::{self as dir, arg_attrs, dict_get};
use fpgaopt_hls::{ArrayType, Scalar};
use fpgaopt_ir::builtin::{CallOp, FuncOp};
use fpgaopt_ir::{Attribute, DiagResult, Diagnostic, Module, OpId, Type};

use super::cpp::{self, Ctx};
use super::names::{c_identifier, cpp_definition, cpp_spelling, cpp_type, f32_literal, int_literal, native_int, typedef_name, Namer};
use super::EmitOptions;

/// Stems of the files every project has in `firmware/` next to `NAME.h` and `NAME.cpp`.
const SHARED_FILES: [&str; 2] = ["defines", "layers"];

/// One argument of the top function.
pub(crate) struct Port {
    pub name: String,
    pub input: bool,
    pub array: ArrayType,
    pub interface: Option<String>,
}

/// Everything the file writers need.
struct Project<'a> {
    cx: Ctx<'a>,
    name: String,
    top: OpId,
    /// Non-top functions, callees before callers.
    layers: Vec<OpId>,
    /// (typedef name, definition) in order of first use.
    typedefs: Vec<(String, String)>,
    ports: Vec<Port>,
    opts: &'a EmitOptions,
}

/// Builds every file of the project.
pub(crate) fn files(m: &Module, opts: &EmitOptions) -> DiagResult<Vec<(String, String)>> {
    if let Err(errs) = fpgaopt_ir::verifier::verify(m) {
        return Err(first(errs));
    }
    hls::verify_directives(m).map_err(first)?;
    let top = hls::top_function(m)?;
    let mut p = Project::new(m, top, opts)?;
    let mut files = vec![];
    for op in p.roms() {
        files.push((format!("firmware/weights/{}.h", p.cx.roms[&op]), p.weights(op)?));
    }
    files.push(("firmware/layers.h".into(), p.layers_h()?));
    files.push((format!("firmware/{}.h", p.name), p.top_h()?));
    files.push((format!("firmware/{}.cpp", p.name), p.top_cpp()?));
    // Only types the code names get a typedef (folded expressions leave some intermediate types
    // unnamed); typedef names are unique identifiers, so a whole-word search is exact.
    p.typedefs.retain(|(name, _)| files.iter().any(|(_, text)| contains_word(text, name)));
    files.insert(0, ("firmware/defines.h".to_string(), p.defines()));
    files.push((format!("{}_test.cpp", p.name), p.testbench()));
    files.push(("build_prj.tcl".into(), p.tcl()));
    files.push(("report.json".into(), p.report()));
    Ok(files)
}

fn contains_word(text: &str, word: &str) -> bool {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    text.match_indices(word).any(|(i, _)| {
        !text[..i].ends_with(is_ident) && !text[i + word.len()..].starts_with(is_ident)
    })
}

/// The first error, with the others attached as notes.
fn first(mut errs: Vec<Diagnostic>) -> Diagnostic {
    let mut d = errs.remove(0);
    for e in errs {
        d.notes.push((e.loc, e.message));
    }
    d
}

impl<'a> Project<'a> {
    fn new(m: &'a Module, top: OpId, opts: &'a EmitOptions) -> DiagResult<Project<'a>> {
        let sym = FuncOp(top).sym_name(m);
        let mut name = c_identifier(opts.name.as_deref().unwrap_or(if sym == "main" { "model" } else { sym }));
        // firmware/NAME.h and NAME.cpp must not overwrite the fixed files beside them.
        if SHARED_FILES.contains(&name.as_str()) {
            name.push_str("_top");
        }
        let mut globals = Namer::default();
        globals.claim(&name);
        // Functions in call order: callees first, the top last.
        let mut layers = vec![];
        for f in m.functions() {
            postorder(m, f, &mut layers, &mut vec![])?;
        }
        layers.retain(|&f| f != top);
        let mut funcs = HashMap::from([(top, name.clone())]);
        let typedefs = collect_typedefs(m, layers.iter().chain([&top]));
        for (t, _) in &typedefs {
            globals.claim(t);
        }
        for &f in &layers {
            funcs.insert(f, globals.fresh(FuncOp(f).sym_name(m)));
        }
        let mut roms = HashMap::new();
        for &f in layers.iter().chain([&top]) {
            for op in m.collect(f) {
                if let Some(r) = hls::Rom::of(m, op) {
                    // Roms print as native mantissa arrays: only an hls.load may see them.
                    if let Some(&(user, _)) = m.value(r.memory(m)).uses.iter().find(|(u, _)| hls::Load::of(m, *u).is_none()) {
                        let what = m.op(user).name();
                        return Err(Diagnostic::error(m.op(user).loc.clone(), format!("cannot emit '{what}' on a rom: roms are only read with hls.load")));
                    }
                    let hint = r.name(m).map_or_else(|| format!("{}_rom", funcs[&f]), str::to_string);
                    roms.insert(op, globals.fresh(&hint));
                }
            }
        }
        let written = written_arguments(m);
        let cx = Ctx { m, funcs, roms, written, globals };
        let mut ports = vec![];
        let args = m.entry_block(top, 0).map(|b| m.block(b).args.clone()).unwrap_or_default();
        // Port names are also the testbench's variables: keep clear of its other locals.
        let mut names = cx.globals.clone();
        for local in ["in_path", "out_path", "in_file", "out_file", "samples", "k"] {
            names.claim(local);
        }
        for (i, d) in arg_attrs(m, top).iter().enumerate() {
            let a = args[i];
            ports.push(Port {
                name: names.fresh(m.value(a).name_hint.as_deref().unwrap_or(&format!("arg{i}"))),
                input: dict_get(d, dir::DIRECTION).and_then(Attribute::as_str) == Some("in"),
                array: ArrayType::from_type(m.ty(a)).ok_or_else(|| Diagnostic::error(m.op(top).loc.clone(), "top arguments must be arrays"))?,
                interface: dict_get(d, dir::INTERFACE).and_then(Attribute::as_str).map(str::to_string),
            });
        }
        Ok(Project { cx, name, top, layers, typedefs, ports, opts })
    }

    fn roms(&self) -> Vec<OpId> {
        let mut v: Vec<OpId> = self.cx.roms.keys().copied().collect();
        v.sort_by_key(|o| self.cx.roms[o].clone());
        v
    }

    fn guard(&self, file: &str) -> String {
        format!("{}_{}", self.name.to_uppercase(), c_identifier(file).to_uppercase())
    }

    fn defines(&self) -> String {
        let mut out = String::new();
        let g = self.guard("defines_h");
        let _ = writeln!(out, "// Scalar types of {}. Generated by fpgaopt.", self.name);
        let _ = writeln!(out, "#ifndef {g}\n#define {g}\n");
        out.push_str("#include \"ap_fixed.h\"\n#include \"ap_int.h\"\n");
        let uses_streams = self.cx.m.collect(self.cx.m.top()).into_iter().any(|o| hls::StreamAlloca::of(self.cx.m, o).is_some());
        if uses_streams {
            out.push_str(STREAM_HELPERS);
        }
        out.push('\n');
        for (name, def) in &self.typedefs {
            let _ = writeln!(out, "typedef {def} {name};");
        }
        if self.roms().iter().any(|&op| matches!(rom_scalar(self.cx.m, op), Some(Scalar::Fixed(_)))) {
            out.push_str(FROM_BITS);
        }
        if self.cx.m.collect(self.cx.m.top()).into_iter().any(|o| hls::Exp::of(self.cx.m, o).is_some()) {
            out.push_str(&mlas_exp_helper());
        }
        let _ = writeln!(out, "\n#endif // {g}");
        out
    }

    /// A rom's header: `static const` data in a native C++ type. Fixed-point and integer roms hold
    /// mantissas (`short`, `int`, ...), which initialise statically; `ap_fixed` elements would not
    /// (no `constexpr` constructor), and their dynamic initialisation is what made g++ slow.
    fn weights(&self, op: OpId) -> DiagResult<String> {
        let m = self.cx.m;
        let rom = hls::Rom(op);
        let name = &self.cx.roms[&op];
        let a = ArrayType::from_type(m.ty(rom.memory(m))).ok_or_else(|| Diagnostic::error(m.op(op).loc.clone(), "rom without an array type"))?;
        let elem = Scalar::of(&a.elem);
        let (native, note) = match &elem {
            Some(Scalar::Fixed(f)) => {
                let scale = match f.frac_bits() {
                    0 => String::new(),
                    k => format!(" * 2^{}", -k),
                };
                let native = native_int(f.width, f.signed);
                let t = cpp_type(&a.elem).unwrap_or_default();
                (native.clone(), format!("Mantissas m in {} (value = m{scale}), read as from_bits<{t}>(m).", native.unwrap_or_default()))
            }
            Some(Scalar::Int { width, signed }) => {
                let native = native_int(*width, *signed);
                let t = cpp_type(&a.elem).unwrap_or_default();
                (native.clone(), format!("Values v in {}, read as {t}(v).", native.unwrap_or_default()))
            }
            _ => (cpp_type(&a.elem), String::new()),
        };
        let native = native.ok_or_else(|| {
            Diagnostic::error(m.op(op).loc.clone(), format!("cannot emit '{name}': elements of {} are wider than 64 bits", cpp_spelling(&a.elem)))
        })?;
        let values: Vec<String> = if elem == Some(Scalar::F32) {
            rom.value(m).to_f32_vec().into_iter().map(f32_literal).collect()
        } else {
            rom.value(m).to_i64_vec().into_iter().map(int_literal).collect()
        };
        let g = self.guard(&format!("weights_{name}_h"));
        let func = enclosing_function(m, op);
        let owner = func.and_then(|f| layer_name(m, f)).or_else(|| func.map(|f| self.cx.funcs[&f].clone())).unwrap_or_default();
        let mut out = String::new();
        let dims: String = a.dims.iter().map(|d| format!("[{d}]")).collect();
        let _ = writeln!(out, "// {name}: constants of {owner}, {} {dims}. Generated by fpgaopt.", cpp_spelling(&a.elem));
        if !note.is_empty() {
            let _ = writeln!(out, "// {note}");
        }
        let _ = writeln!(out, "#ifndef {g}\n#define {g}\n");
        let _ = write!(out, "static const {native} {name}{dims} = ");
        if a.dims.is_empty() {
            out.push_str(values.first().map_or("0", String::as_str));
        } else {
            write_initializer(&mut out, &a.dims, &values, 0);
        }
        let _ = writeln!(out, ";\n\n#endif // {g}");
        Ok(out)
    }

    fn layers_h(&self) -> DiagResult<String> {
        let g = self.guard("layers_h");
        let mut out = String::new();
        let _ = writeln!(out, "// Layer functions of {}, one per layer. Generated by fpgaopt.", self.name);
        let _ = writeln!(out, "#ifndef {g}\n#define {g}\n\n#include \"defines.h\"");
        if self.layers.iter().any(|&f| cpp::uses_cmath(self.cx.m, f)) {
            out.push_str("#include <cmath>\n");
        }
        for op in self.roms() {
            let _ = writeln!(out, "#include \"weights/{}.h\"", self.cx.roms[&op]);
        }
        for &f in &self.layers {
            out.push('\n');
            if let Some(c) = layer_comment(self.cx.m, f) {
                let _ = writeln!(out, "// {c}");
            }
            out.push_str(&cpp::function(&self.cx, f)?);
        }
        let _ = writeln!(out, "\n#endif // {g}");
        Ok(out)
    }

    fn top_h(&self) -> DiagResult<String> {
        let g = self.guard("h");
        let mut names = self.cx.globals.clone();
        let sig = cpp::signature(&self.cx, self.top, &mut names, &mut HashMap::new())?;
        let mut out = String::new();
        let _ = writeln!(out, "// Top function of {}. Generated by fpgaopt.", self.name);
        let _ = writeln!(out, "#ifndef {g}\n#define {g}\n\n#include \"defines.h\"\n");
        let _ = writeln!(out, "{sig};\n\n#endif // {g}");
        Ok(out)
    }

    fn top_cpp(&self) -> DiagResult<String> {
        let mut out = String::new();
        let _ = writeln!(out, "// Top function of {}. Generated by fpgaopt.", self.name);
        let _ = writeln!(out, "#include \"{}.h\"\n#include \"layers.h\"\n", self.name);
        out.push_str(&cpp::function(&self.cx, self.top)?);
        Ok(out)
    }

    fn testbench(&self) -> String {
        let n = &self.name;
        let mut out = String::new();
        let _ = writeln!(out, "// Testbench of {n}. Generated by fpgaopt.");
        out.push_str("//\n//   ./tb [INPUT [OUTPUT]]   (default: tb_data/input.bin, tb_data/output.bin)\n//\n");
        out.push_str("// INPUT holds samples of raw little-endian float32 values, each sample every input array in order;\n");
        out.push_str("// OUTPUT receives, per sample, every output array as float32 in order.\n");
        for p in &self.ports {
            let _ = writeln!(out, "//   {} {}: {}", if p.input { "input " } else { "output" }, p.name, cpp_spelling(&p.array.to_type()));
        }
        let _ = writeln!(out, "#include <cstdio>\n\n#include \"firmware/{n}.h\"\n");
        out.push_str("int main(int argc, char **argv) {\n");
        out.push_str("  const char *in_path = argc > 1 ? argv[1] : \"tb_data/input.bin\";\n");
        out.push_str("  const char *out_path = argc > 2 ? argv[2] : \"tb_data/output.bin\";\n");
        out.push_str("  std::FILE *in_file = std::fopen(in_path, \"rb\");\n");
        out.push_str("  if (!in_file) {\n    std::fprintf(stderr, \"error: cannot open %s\\n\", in_path);\n    return 1;\n  }\n");
        out.push_str("  std::FILE *out_file = std::fopen(out_path, \"wb\");\n");
        out.push_str("  if (!out_file) {\n    std::fprintf(stderr, \"error: cannot create %s\\n\", out_path);\n    return 1;\n  }\n");
        for p in &self.ports {
            let decl = cpp::declaration(self.cx.m, self.top, &p.array.to_type(), &p.name, false).unwrap_or_default();
            let _ = writeln!(out, "  static {decl};");
            if p.array.elem != Type::F32 {
                let _ = writeln!(out, "  static float {}_f[{}];", p.name, p.array.len());
            }
        }
        let reads: Vec<String> = self.ports.iter().filter(|p| p.input).map(|p| {
            let buf = if p.array.elem == Type::F32 { format!("&{}", p.name) } else { format!("{}_f", p.name) };
            format!("std::fread({buf}, sizeof(float), {len}, in_file) == {len}", len = p.array.len())
        }).collect();
        let _ = writeln!(out, "  long samples = 0;\n  while ({}) {{", if reads.is_empty() { "samples == 0".into() } else { reads.join(" && ") });
        for p in self.ports.iter().filter(|p| p.input && p.array.elem != Type::F32) {
            let t = cpp_type(&p.array.elem).unwrap_or_default();
            let _ = writeln!(out, "    for (int k = 0; k < {}; k++) reinterpret_cast<{t} *>(&{})[k] = {}_f[k];", p.array.len(), p.name, p.name);
        }
        let args: Vec<&str> = self.ports.iter().map(|p| p.name.as_str()).collect();
        let _ = writeln!(out, "    {n}({});", args.join(", "));
        for p in self.ports.iter().filter(|p| !p.input) {
            if p.array.elem == Type::F32 {
                let _ = writeln!(out, "    std::fwrite(&{}, sizeof(float), {}, out_file);", p.name, p.array.len());
            } else {
                let t = cpp_type(&p.array.elem).unwrap_or_default();
                let _ = writeln!(out, "    for (int k = 0; k < {}; k++) {}_f[k] = reinterpret_cast<{t} *>(&{})[k];", p.array.len(), p.name, p.name);
                let _ = writeln!(out, "    std::fwrite({}_f, sizeof(float), {}, out_file);", p.name, p.array.len());
            }
        }
        out.push_str("    samples++;\n  }\n  std::fclose(in_file);\n  std::fclose(out_file);\n");
        out.push_str("  std::printf(\"%ld samples\\n\", samples);\n  return 0;\n}\n");
        out
    }

    /// The design's translation units, relative to the project directory.
    fn sources(&self) -> Vec<String> {
        vec![format!("firmware/{}.cpp", self.name)]
    }

    fn tcl(&self) -> String {
        let n = &self.name;
        let o = self.opts;
        let on = |b: bool| u8::from(b);
        let mut out = String::new();
        let _ = writeln!(out, "# Vitis HLS project of {n}. Generated by fpgaopt.");
        out.push_str("#\n#   vitis_hls -f build_prj.tcl                        runs the steps switched on below\n");
        out.push_str("#   vitis_hls -f build_prj.tcl -tclargs csim=0 cosim=1  switches steps on or off\n");
        out.push_str("#\n# C simulation and co-simulation read tb_data/input.bin (raw float32 samples, see the testbench).\n\n");
        let _ = writeln!(out, "array set step {{csim {} synth {} cosim {} export {}}}", on(o.csim), on(o.synth), on(o.cosim), on(o.export));
        out.push_str("if {[info exists argv]} {\n    foreach arg $argv {\n        lassign [split $arg =] key value\n");
        out.push_str("        if {![info exists step($key)]} { error \"unknown step '$key' (csim, synth, cosim, export)\" }\n");
        out.push_str("        set step($key) $value\n    }\n}\n");
        out.push_str("set here [file dirname [file normalize [info script]]]\n");
        out.push_str("set tb_args \"$here/tb_data/input.bin $here/tb_data/output.bin\"\n\n");
        let _ = writeln!(out, "open_project -reset {n}_prj\nset_top {n}");
        for src in self.sources() {
            let _ = writeln!(out, "add_files $here/{src} -cflags \"-std=c++14\"");
        }
        let _ = writeln!(out, "add_files -tb $here/{n}_test.cpp -cflags \"-std=c++14\"");
        out.push_str("open_solution -reset solution1 -flow_target vivado\n");
        let _ = writeln!(out, "set_part {{{}}}", o.part);
        let _ = writeln!(out, "create_clock -period {} -name default\n", super::names::float_literal(o.clock_ns));
        out.push_str("if {$step(csim)} { csim_design -argv $tb_args }\n");
        out.push_str("if {$step(synth)} { csynth_design }\n");
        out.push_str("if {$step(cosim)} { cosim_design -argv $tb_args }\n");
        out.push_str("if {$step(export)} { export_design -format ip_catalog }\nexit\n");
        out
    }

    fn report(&self) -> String {
        use serde_json::{json, Value};
        let m = self.cx.m;
        let port = |p: &Port| {
            json!({"name": p.name, "shape": p.array.dims, "type": cpp_spelling(&p.array.elem), "interface": p.interface})
        };
        let mut layers = vec![];
        let mut processes = vec![];
        for f in called_in_order(m, self.top) {
            let name = Value::String(self.cx.funcs.get(&f).cloned().unwrap_or_default());
            let estimate = match m.attr(f, dir::ESTIMATE) {
                Some(Attribute::Dict(e)) => Some(Value::Object(e.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())),
                _ => None,
            };
            if let Some(e) = &estimate {
                processes.push(json!({"function": name, "estimate": e}));
            }
            let Some(Attribute::Dict(d)) = m.attr(f, dir::LAYER) else { continue };
            let mut obj = serde_json::Map::new();
            obj.insert("function".into(), name);
            for (k, v) in d {
                obj.insert(k.clone(), to_json(v));
            }
            if let Some(e) = estimate {
                obj.insert("estimate".into(), e);
            }
            layers.push(Value::Object(obj));
        }
        // io=stream: the FIFOs of the dataflow top and the design's estimate.
        let fifos: Vec<Value> = m
            .collect(self.top)
            .into_iter()
            .filter_map(|o| hls::StreamAlloca::of(m, o))
            .map(|s| {
                let st = fpgaopt_hls::StreamType::from_type(m.ty(s.stream(m)));
                json!({
                    "producer": s.producer(m),
                    "consumer": s.consumer(m),
                    "depth": s.depth(m),
                    "beats": s.beats(m),
                    "lanes": st.as_ref().map(|t| t.lanes),
                    "type": st.as_ref().map(|t| cpp_spelling(&t.elem)),
                })
            })
            .collect();
        let design_estimate = match m.attr(self.top, dir::ESTIMATE) {
            Some(Attribute::Dict(e)) => Value::Object(e.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
            _ => Value::Null,
        };
        let types: serde_json::Map<String, Value> =
            self.typedefs.iter().map(|(n, d)| (n.clone(), Value::String(d.clone()))).collect();
        let report = json!({
            "project": self.name,
            "top": self.name,
            "sources": self.sources(),
            "testbench": format!("{}_test.cpp", self.name),
            "part": self.opts.part,
            "clock_period_ns": self.opts.clock_ns,
            "inputs": self.ports.iter().filter(|p| p.input).map(port).collect::<Vec<_>>(),
            "outputs": self.ports.iter().filter(|p| !p.input).map(port).collect::<Vec<_>>(),
            "layers": layers,
            "types": types,
        });
        let mut report = report;
        if !fifos.is_empty() {
            report["fifos"] = Value::Array(fifos);
            report["processes"] = Value::Array(processes);
            report["estimate"] = design_estimate;
        }
        serde_json::to_string_pretty(&report).unwrap_or_default() + "\n"
    }
}

/// An attribute as JSON: types in their C++ spelling.
fn to_json(a: &Attribute) -> serde_json::Value {
    use serde_json::Value;
    match a {
        Attribute::Unit => Value::Bool(true),
        Attribute::Bool(b) => Value::Bool(*b),
        Attribute::Int(i, _) => Value::from(*i),
        Attribute::Float(f, _) => Value::from(*f),
        Attribute::String(s) | Attribute::Symbol(s) => Value::String(s.clone()),
        Attribute::Type(t) => Value::String(cpp_spelling(t)),
        Attribute::Array(v) => Value::Array(v.iter().map(to_json).collect()),
        Attribute::Dict(d) => Value::Object(d.iter().map(|(k, v)| (k.clone(), to_json(v))).collect()),
        Attribute::Dense(_) => Value::String(a.to_string()),
    }
}

/// Nested braces: short rows inline, long ones wrapped at about 100 columns.
fn write_initializer(out: &mut String, dims: &[i64], values: &[String], depth: usize) {
    let pad = "  ".repeat(depth + 1);
    if dims.len() <= 1 {
        let inline = values.join(", ");
        if inline.len() + pad.len() + 2 <= 100 {
            out.push('{');
            out.push_str(&inline);
            out.push('}');
            return;
        }
        out.push_str("{\n");
        out.push_str(&pad);
        let mut col = pad.len();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                if col + v.len() + 2 > 100 {
                    out.push_str(",\n");
                    out.push_str(&pad);
                    col = pad.len();
                } else {
                    out.push_str(", ");
                    col += 2;
                }
            }
            out.push_str(v);
            col += v.len();
        }
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
        out.push('}');
        return;
    }
    let stride = values.len() / dims[0].max(1) as usize;
    out.push_str("{\n");
    for (i, chunk) in values.chunks(stride.max(1)).enumerate() {
        out.push_str(&pad);
        write_initializer(out, &dims[1..], chunk, depth + 1);
        out.push_str(if i + 1 < dims[0] as usize { ",\n" } else { "\n" });
    }
    out.push_str(&"  ".repeat(depth));
    out.push('}');
}

fn postorder(m: &Module, f: OpId, out: &mut Vec<OpId>, stack: &mut Vec<OpId>) -> DiagResult<()> {
    if out.contains(&f) {
        return Ok(());
    }
    if stack.contains(&f) {
        return Err(Diagnostic::error(m.op(f).loc.clone(), format!("function @{} is recursive; HLS does not allow recursion", FuncOp(f).sym_name(m))));
    }
    stack.push(f);
    for callee in called_in_order(m, f) {
        postorder(m, callee, out, stack)?;
    }
    stack.pop();
    out.push(f);
    Ok(())
}

/// Functions called from `f`, in order of first call.
fn called_in_order(m: &Module, f: OpId) -> Vec<OpId> {
    let mut v = vec![];
    for op in m.collect(f) {
        if let Some(c) = CallOp::of(m, op) {
            if let Some(g) = m.lookup_symbol(c.callee(m)) {
                if !v.contains(&g) {
                    v.push(g);
                }
            }
        }
    }
    v
}

/// The fixed and integer types used, as (typedef name, definition), in order of first use.
fn collect_typedefs<'a>(m: &Module, funcs: impl Iterator<Item = &'a OpId>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![];
    let mut add = |t: &Type| {
        let t = match (ArrayType::from_type(t), fpgaopt_hls::StreamType::from_type(t)) {
            (Some(a), _) => a.elem,
            (_, Some(s)) => s.elem,
            _ => t.clone(),
        };
        if let Some(s) = Scalar::of(&t) {
            if let (Some(n), Some(d)) = (typedef_name(&s), cpp_definition(&s)) {
                if !out.iter().any(|(x, _)| *x == n) {
                    out.push((n, d));
                }
            }
        }
    };
    for &f in funcs {
        for op in m.collect(f) {
            for &r in &m.op(op).regions {
                for &b in &m.region(r).blocks {
                    for &a in &m.block(b).args {
                        add(m.ty(a));
                    }
                }
            }
            for &r in &m.op(op).results {
                add(m.ty(r));
            }
        }
    }
    out
}

/// Which arguments each function stores to, directly or through a callee.
fn written_arguments(m: &Module) -> HashMap<OpId, Vec<bool>> {
    let funcs = m.functions();
    let mut written: HashMap<OpId, Vec<bool>> = HashMap::new();
    let args = |f: OpId| m.entry_block(f, 0).map(|b| m.block(b).args.clone()).unwrap_or_default();
    for &f in &funcs {
        written.insert(f, vec![false; args(f).len()]);
    }
    loop {
        let mut changed = false;
        for &f in &funcs {
            let params = args(f);
            for op in m.collect(f) {
                let targets: Vec<fpgaopt_ir::ValueId> = if let Some(s) = hls::Store::of(m, op) {
                    vec![s.memory(m)]
                } else if let Some(c) = CallOp::of(m, op) {
                    let callee = m.lookup_symbol(c.callee(m));
                    let w = callee.and_then(|g| written.get(&g).cloned()).unwrap_or_default();
                    c.args(m).iter().enumerate().filter(|(i, _)| w.get(*i).copied().unwrap_or(false)).map(|(_, &a)| a).collect()
                } else {
                    vec![]
                };
                for t in targets {
                    if let Some(i) = params.iter().position(|&p| p == t) {
                        let w = written.get_mut(&f).expect("every function has an entry");
                        if !w[i] {
                            w[i] = true;
                            changed = true;
                        }
                    }
                }
            }
        }
        if !changed {
            return written;
        }
    }
}

fn enclosing_function(m: &Module, mut op: OpId) -> Option<OpId> {
    while let Some(p) = m.parent_op(op) {
        if m.is(p, FuncOp::def()) {
            return Some(p);
        }
        op = p;
    }
    None
}

fn layer_name(m: &Module, f: OpId) -> Option<String> {
    let Some(Attribute::Dict(d)) = m.attr(f, dir::LAYER) else { return None };
    dict_get(d, "name").and_then(Attribute::as_str).map(|s| format!("layer {s}"))
}

/// `fc1: dense, ap_fixed<16, 6> -> ap_fixed<8, 3>` from the `hls.layer` attribute.
fn layer_comment(m: &Module, f: OpId) -> Option<String> {
    let Some(Attribute::Dict(d)) = m.attr(f, dir::LAYER) else { return None };
    let name = dict_get(d, "name")?.as_str()?;
    let op = dict_get(d, "op")?.as_str()?;
    let ty = |k: &str| dict_get(d, k).and_then(Attribute::as_type).map(cpp_spelling);
    let mut s = format!("{name}: {op}");
    if let (Some(i), Some(o)) = (ty("input_type"), ty("output_type")) {
        let _ = write!(s, ", {i} -> {o}");
    }
    Some(s)
}

/// `hls.exp`'s C++ (defines.h): onnxruntime's float32 exponential, with the constants of the qdf
/// semantics it implements (`fpgaopt_qdf::semantics::float::exp`).
fn mlas_exp_helper() -> String {
    use fpgaopt_qdf::semantics::float::mlas_exp::*;
    let c = |v: f32| format!("{v:e}f");
    let poly: String = POLY[1..].iter().map(|&p| format!("  p = std::fma(p, r, {});\n", c(p))).collect();
    format!(
        "
#include <cmath>

// exp(x) for x <= 0 as onnxruntime's Softmax computes it (MLAS): x = m ln2 + r, m rounded by
// adding 1.5 * 2^23, a polynomial in r by fused multiply-adds, times 2^m made in the exponent bits.
inline float mlas_exp(float x) {{
#pragma HLS INLINE
  union {{ float f; unsigned int u; }} bits;
  x = x < {lower} ? {lower} : x;
  const float biased = std::fma(x, {l2e}, {bias});
  const float m = biased - {bias};
  float r = std::fma(m, {hi}, x);
  r = std::fma(m, {lo}, r);
  bits.f = biased;
  bits.u = (bits.u << 23) + 0x3f800000u;
  float p = {p0};
{poly}  return p * bits.f;
}}
",
        lower = c(LOWER),
        l2e = c(LOG2_RECIPROCAL),
        bias = c(ROUNDING_BIAS),
        hi = c(LOG2_HIGH),
        lo = c(LOG2_LOW),
        p0 = c(POLY[0]),
    )
}

/// Streams (defines.h): a beat is a `pack` of L values; `stream_read`/`stream_write` move one beat
/// between a stream and a `[L]` array, lanes unrolled.
const STREAM_HELPERS: &str = "#include \"hls_stream.h\"

// One beat of a stream: L values moved together.
template <typename T, int L> struct pack {
  T v[L];
};

template <typename T, int L> void stream_read(hls::stream<pack<T, L> > &s, T buf[L]) {
#pragma HLS INLINE
  pack<T, L> p = s.read();
  for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
    buf[l] = p.v[l];
  }
}

template <typename T, int L> void stream_write(hls::stream<pack<T, L> > &s, const T buf[L]) {
#pragma HLS INLINE
  pack<T, L> p;
  for (int l = 0; l < L; l++) {
#pragma HLS UNROLL
    p.v[l] = buf[l];
  }
  s.write(p);
}
";

/// The helper that turns a rom's mantissa back into its fixed-point value (defines.h).
const FROM_BITS: &str = "
// The value of type T whose mantissa (raw bits) is m. Roms store mantissas in native integers, which
// initialise statically (ap_fixed has no constexpr constructor); in hardware this is wiring. V is
// the representation .range() writes; assigning it directly keeps C simulation fast.
template <typename T, typename M>
T from_bits(M m) {
#pragma HLS INLINE
  T t;
  t.V = m;
  return t;
}
";

/// The element type of a rom.
fn rom_scalar(m: &Module, op: OpId) -> Option<Scalar> {
    ArrayType::from_type(m.ty(hls::Rom(op).memory(m))).and_then(|a| Scalar::of(&a.elem))
}
