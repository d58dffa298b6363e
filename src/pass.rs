//! Passes, the pass registry, pipelines in MLIR's text syntax, and the pass manager.
//!
//! A pipeline reads `builtin.module(import-onnx,nn-canonicalize,nn-to-qdf{precision=fixed<16,6>})`:
//! pass names in kebab case, options in braces as `key=value` separated by spaces. Named pipelines
//! expand to such text. The manager verifies after each pass when asked, prints IR after chosen
//! passes, and times them.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::diag::{DiagResult, Diagnostic, Location};
use crate::ir::Module;
use crate::opdef::Registry;
use crate::printer::{print_module, PrintOptions};

/// An option a pass accepts.
#[derive(Debug, Clone)]
pub struct PassOption {
    pub name: &'static str,
    /// Shown by `--list-passes`.
    pub help: &'static str,
    pub default: &'static str,
}

/// Option values given in a pipeline, by name.
#[derive(Debug, Clone, Default)]
pub struct Options {
    values: BTreeMap<String, String>,
}

impl Options {
    /// The raw text of an option, or its default.
    pub fn get<'a>(&'a self, opt: &'a PassOption) -> &'a str {
        self.values.get(opt.name).map_or(opt.default, String::as_str)
    }

    /// An option parsed as an integer.
    pub fn get_int(&self, opt: &PassOption) -> DiagResult<i64> {
        self.get(opt).parse().map_err(|_| {
            Diagnostic::error(Location::Unknown, format!("option '{}' expects an integer, got '{}'", opt.name, self.get(opt)))
        })
    }

    /// An option parsed as a boolean (`true`/`false`/`1`/`0`).
    pub fn get_bool(&self, opt: &PassOption) -> DiagResult<bool> {
        match self.get(opt) {
            "true" | "1" | "" => Ok(true),
            "false" | "0" => Ok(false),
            v => Err(Diagnostic::error(Location::Unknown, format!("option '{}' expects true or false, got '{v}'", opt.name))),
        }
    }

    /// Sets an option.
    pub fn set(&mut self, name: &str, value: &str) {
        self.values.insert(name.to_string(), value.to_string());
    }

    fn names(&self) -> impl Iterator<Item = &String> {
        self.values.keys()
    }
}

/// What a pass needs from its surroundings.
pub struct PassContext<'a> {
    pub registry: &'a Registry,
    /// The input file name, for diagnostics and for passes that read it (`import-onnx`).
    pub input_path: &'a str,
    /// Messages a pass reports besides failing (e.g. e-graph stop reasons).
    pub remarks: Vec<Diagnostic>,
}

/// A pass: a named transformation of a module.
pub struct PassInfo {
    /// Kebab-case name used in pipelines.
    pub name: &'static str,
    /// One line; shown by `--list-passes` and in `docs/passes.md`.
    pub summary: &'static str,
    /// Longer description: exact criteria and invariants.
    pub description: &'static str,
    pub options: &'static [PassOption],
    pub run: fn(&mut Module, &Options, &mut PassContext<'_>) -> DiagResult<()>,
}

/// A named pipeline: a name and the pipeline text it stands for.
pub struct NamedPipeline {
    pub name: &'static str,
    pub summary: &'static str,
    pub pipeline: &'static str,
}

/// All passes and named pipelines, sorted by name.
pub struct PassRegistry {
    pub passes: Vec<&'static PassInfo>,
    pub pipelines: Vec<&'static NamedPipeline>,
}

impl PassRegistry {
    /// Builds a registry; keeps entries sorted by name.
    pub fn new(mut passes: Vec<&'static PassInfo>, mut pipelines: Vec<&'static NamedPipeline>) -> PassRegistry {
        passes.sort_by_key(|p| p.name);
        pipelines.sort_by_key(|p| p.name);
        PassRegistry { passes, pipelines }
    }

    pub fn pass(&self, name: &str) -> Option<&'static PassInfo> {
        self.passes.iter().copied().find(|p| p.name == name)
    }

    pub fn pipeline(&self, name: &str) -> Option<&'static NamedPipeline> {
        self.pipelines.iter().copied().find(|p| p.name == name)
    }

    /// Parses pipeline text into passes with options; named pipelines are expanded.
    pub fn parse_pipeline(&self, text: &str) -> DiagResult<Vec<(&'static PassInfo, Options)>> {
        let err = |m: String| Diagnostic::error(Location::Unknown, format!("invalid pass pipeline '{text}': {m}"));
        let t = text.trim();
        let inner = match t.strip_prefix("builtin.module(") {
            Some(rest) => rest.strip_suffix(')').ok_or_else(|| err("missing ')' after builtin.module(".into()))?,
            None if t.starts_with("builtin.module") => return Err(err("expected '(' after builtin.module".into())),
            None => t,
        };
        let mut out = vec![];
        for item in split_top_level(inner).map_err(err)? {
            let item = item.trim();
            if item.is_empty() {
                continue;
            }
            let (name, opts) = match item.find('{') {
                Some(i) => {
                    let body = item[i + 1..].strip_suffix('}').ok_or_else(|| err(format!("unclosed '{{' in '{item}'")))?;
                    (&item[..i], Some(body))
                }
                None => (item, None),
            };
            let name = name.trim();
            if let Some(p) = self.pipeline(name) {
                if opts.is_some() {
                    return Err(err(format!("named pipeline '{name}' takes no options")));
                }
                out.extend(self.parse_pipeline(p.pipeline)?);
                continue;
            }
            let pass = self.pass(name).ok_or_else(|| err(format!("unknown pass or pipeline '{name}'")))?;
            let mut options = Options::default();
            if let Some(body) = opts {
                for kv in split_options(body) {
                    let (k, v) = kv.split_once('=').unwrap_or((kv.as_str(), ""));
                    options.set(k.trim(), v.trim());
                }
            }
            for k in options.names() {
                if !pass.options.iter().any(|o| o.name == k) {
                    return Err(err(format!("pass '{name}' has no option '{k}'")));
                }
            }
            out.push((pass, options));
        }
        Ok(out)
    }
}

/// Splits on commas that are not inside (), {}, <> or [].
fn split_top_level(s: &str) -> Result<Vec<String>, String> {
    let mut parts = vec![];
    let mut depth = 0i32;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' | '{' | '<' | '[' => depth += 1,
            ')' | '}' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        if depth < 0 {
            return Err("unbalanced brackets".into());
        }
        cur.push(c);
    }
    if depth != 0 {
        return Err("unbalanced brackets".into());
    }
    parts.push(cur);
    Ok(parts)
}

/// Splits `a=1 b=fixed<16, 6> c="x y"` on spaces outside brackets and quotes.
fn split_options(s: &str) -> Vec<String> {
    let mut parts = vec![];
    let mut depth = 0i32;
    let mut quoted = false;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                continue;
            }
            '(' | '{' | '<' | '[' if !quoted => depth += 1,
            ')' | '}' | '>' | ']' if !quoted => depth -= 1,
            ' ' if depth == 0 && !quoted => {
                if !cur.is_empty() {
                    parts.push(std::mem::take(&mut cur));
                }
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.is_empty() {
        parts.push(cur);
    }
    parts
}

/// How the manager runs a pipeline.
#[derive(Default, Clone)]
pub struct RunOptions {
    pub verify_each: bool,
    pub print_after_all: bool,
    /// Pass names after which to print the IR.
    pub print_after: Vec<String>,
    pub print: PrintOptions,
}

/// Timing of one pass run.
#[derive(Debug, Clone)]
pub struct PassTiming {
    pub name: &'static str,
    pub time: Duration,
}

/// Runs passes in order. IR printed after passes goes to `dump` (stderr in the tool, like MLIR).
pub fn run_pipeline(
    m: &mut Module,
    passes: &[(&'static PassInfo, Options)],
    run: &RunOptions,
    ctx: &mut PassContext<'_>,
    dump: &mut dyn FnMut(String),
) -> Result<Vec<PassTiming>, Vec<Diagnostic>> {
    let mut timings = vec![];
    for (pass, opts) in passes {
        let start = Instant::now();
        // A panic is a compiler bug; it still ends as a diagnostic and a clean exit, never an abort.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (pass.run)(m, opts, ctx)))
            .unwrap_or_else(|payload| {
                let what = payload
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| payload.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown panic");
                Err(Diagnostic::error(
                    Location::Unknown,
                    format!("internal compiler error in pass '{}': {what}; please report it with the input", pass.name),
                ))
            });
        result.map_err(|d| vec![d])?;
        timings.push(PassTiming { name: pass.name, time: start.elapsed() });
        if run.verify_each {
            crate::verifier::verify(m).map_err(|mut errs| {
                for e in &mut errs {
                    e.notes.push((Location::Unknown, format!("the IR is invalid after pass '{}'", pass.name)));
                }
                errs
            })?;
        }
        if run.print_after_all || run.print_after.iter().any(|p| p == pass.name) {
            dump(format!("// -----// IR Dump After {} //----- //\n{}", pass.name, print_module(m, &run.print)));
        }
    }
    Ok(timings)
}
