//! Locations and diagnostics.
//!
//! A diagnostic renders like MLIR's: `file:line:col: error: message`, the source line, a caret, then
//! `note:` lines. For ONNX input the location is the node's name, and the message names the op type.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Where an operation came from.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub enum Location {
    #[default]
    Unknown,
    /// `loc("file.mlir":12:5)`
    FileLineCol { file: Arc<str>, line: u32, col: u32 },
    /// `loc("node_name")` or `loc("node_name"("model.onnx":0:0))`: a named entity, optionally inside a file.
    Name { name: Arc<str>, child: Option<Box<Location>> },
    /// `loc(fused["fc1", "relu1"])`: an op made from several (a fused layer), the first leading.
    Fused(Vec<Location>),
}

impl Location {
    /// A location in a text file.
    pub fn file(file: &str, line: u32, col: u32) -> Location {
        Location::FileLineCol { file: file.into(), line, col }
    }

    /// A named location (e.g. an ONNX node) inside a file.
    pub fn named(name: &str, file: Option<&str>) -> Location {
        Location::Name { name: name.into(), child: file.map(|f| Box::new(Location::file(f, 0, 0))) }
    }

    /// The prefix of a diagnostic: `file:line:col` or `file` or the name.
    fn prefix(&self) -> String {
        match self {
            Location::Unknown => "<unknown>".into(),
            Location::FileLineCol { file, line: 0, .. } => file.to_string(),
            Location::FileLineCol { file, line, col } => format!("{file}:{line}:{col}"),
            Location::Name { child: Some(c), .. } => match c.as_ref() {
                Location::FileLineCol { line: 0, file, .. } => file.to_string(),
                other => other.prefix(),
            },
            Location::Name { name, child: None } => name.to_string(),
            Location::Fused(parts) => parts.first().map_or_else(|| "<unknown>".into(), Location::prefix),
        }
    }

    /// The name of a named location (an ONNX node): its own, or a fused location's first.
    pub fn name(&self) -> Option<&str> {
        match self {
            Location::Name { name, .. } => Some(name),
            Location::Fused(parts) => parts.iter().find_map(Location::name),
            _ => None,
        }
    }

    /// Every name the location carries (a fused location's in order).
    pub fn names(&self) -> Vec<&str> {
        match self {
            Location::Name { name, .. } => vec![name],
            Location::Fused(parts) => parts.iter().flat_map(Location::names).collect(),
            _ => vec![],
        }
    }

    /// The parts of a fused location; a single location is its own one part.
    pub fn parts(&self) -> Vec<Location> {
        match self {
            Location::Fused(parts) => parts.clone(),
            other => vec![other.clone()],
        }
    }

    /// One location for an op made from `parts`: the single distinct one, else `fused[...]`
    /// (nested fused locations flattened, repeats dropped).
    pub fn fused(parts: impl IntoIterator<Item = Location>) -> Location {
        let mut flat: Vec<Location> = vec![];
        for p in parts.into_iter().flat_map(|p| p.parts()) {
            if p != Location::Unknown && !flat.contains(&p) {
                flat.push(p);
            }
        }
        match flat.len() {
            0 => Location::Unknown,
            1 => flat.pop().unwrap_or_default(),
            _ => Location::Fused(flat),
        }
    }

    /// The text inside `loc(...)`.
    fn inner(&self) -> String {
        match self {
            Location::Unknown => "unknown".into(),
            Location::FileLineCol { file, line, col } => format!("{file:?}:{line}:{col}"),
            Location::Name { name, child: None } => format!("{name:?}"),
            Location::Name { name, child: Some(c) } => format!("{name:?}({})", c.inner()),
            Location::Fused(parts) => {
                let parts: Vec<String> = parts.iter().map(Location::inner).collect();
                format!("fused[{}]", parts.join(", "))
            }
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "loc({})", self.inner())
    }
}

/// Severity of a diagnostic.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Severity {
    Error,
    Warning,
    Remark,
    Note,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Remark => "remark",
            Severity::Note => "note",
        })
    }
}

/// A message about the input, with a location and optional notes.
#[derive(Clone, PartialEq, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Location,
    pub message: String,
    pub notes: Vec<(Location, String)>,
}

impl Diagnostic {
    /// An error at `loc`.
    pub fn error(loc: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, loc, message: message.into(), notes: vec![] }
    }

    /// Adds a note.
    pub fn with_note(mut self, loc: Location, message: impl Into<String>) -> Diagnostic {
        self.notes.push((loc, message.into()));
        self
    }

    /// Renders with source lines and carets where the source text is known.
    pub fn render(&self, sources: &SourceMap) -> String {
        let mut out = String::new();
        render_one(&mut out, self.severity, &self.loc, &self.message, sources);
        for (loc, note) in &self.notes {
            render_one(&mut out, Severity::Note, loc, note, sources);
        }
        out
    }
}

fn render_one(out: &mut String, sev: Severity, loc: &Location, msg: &str, sources: &SourceMap) {
    use std::fmt::Write;
    let _ = writeln!(out, "{}: {sev}: {msg}", loc.prefix());
    if let Location::FileLineCol { file, line, col } = loc {
        if let Some(text) = sources.line(file, *line) {
            let _ = writeln!(out, "{text}");
            let pad: String = text.chars().take(col.saturating_sub(1) as usize).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
            let _ = writeln!(out, "{pad}^");
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(&SourceMap::default()).trim_end())
    }
}

impl std::error::Error for Diagnostic {}

/// Source texts by file name, so diagnostics can quote the offending line.
#[derive(Default, Clone, Debug)]
pub struct SourceMap {
    files: HashMap<Arc<str>, Arc<str>>,
}

impl SourceMap {
    /// Registers a file's text.
    pub fn add(&mut self, name: &str, text: &str) {
        self.files.insert(name.into(), text.into());
    }

    /// Line `line` (1-based) of `file`.
    pub fn line(&self, file: &str, line: u32) -> Option<&str> {
        self.files.get(file)?.lines().nth(line.checked_sub(1)? as usize)
    }
}

/// A result whose error is a diagnostic.
pub type DiagResult<T> = Result<T, Diagnostic>;
