//! Prints MLIR's diagnostics the way `mlir-opt` does: `file:line:col: error: message`, the source line and a caret,
//! then the notes.
//!
//! melior parses text from memory, so MLIR records the file name `-` in the locations it makes while parsing;
//! the reporter puts back the name of the source being checked. Locations written in the input itself
//! (`loc("model.onnx":3:5)`) keep their own file name and get no source line.

use std::cell::RefCell;
use std::rc::Rc;

use melior::diagnostic::{Diagnostic, DiagnosticSeverity};
use melior::ir::Location;
use melior::Context;

/// A text being checked and the name to show for it.
pub struct Source {
    /// The path as given on the command line, or `<stdin>`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// The diagnostic handler's view of which source MLIR is reading.
pub struct Reporter {
    current: Rc<RefCell<Option<Rc<Source>>>>,
}

impl Reporter {
    /// Attaches a handler to `context` that prints every diagnostic to stderr and swallows it.
    pub fn attach(context: &Context) -> Self {
        let current: Rc<RefCell<Option<Rc<Source>>>> = Rc::default();
        let seen = Rc::clone(&current);
        context.attach_diagnostic_handler(move |diagnostic| {
            let source = seen.borrow().clone();
            eprint!("{}", render(&diagnostic, source.as_deref()));
            true
        });
        Self { current }
    }

    /// Makes `source` the text that parser-made locations (file name `-`) refer to.
    pub fn set_source(&self, source: Rc<Source>) {
        *self.current.borrow_mut() = Some(source);
    }
}

/// A diagnostic and its notes as text, one `location: severity: message` line each.
fn render(diagnostic: &Diagnostic, source: Option<&Source>) -> String {
    let mut out = String::new();
    render_one(&mut out, diagnostic, source, true);
    for index in 0..diagnostic.note_count() {
        if let Ok(note) = diagnostic.note(index) {
            render_one(&mut out, &note, source, false);
        }
    }
    out
}

fn render_one(
    out: &mut String,
    diagnostic: &Diagnostic,
    source: Option<&Source>,
    with_snippet: bool,
) {
    let severity = match diagnostic.severity() {
        DiagnosticSeverity::Error => "error",
        DiagnosticSeverity::Warning => "warning",
        DiagnosticSeverity::Note => "note",
        DiagnosticSeverity::Remark => "remark",
    };
    let location = diagnostic.location();
    let Some((file, line, column)) = file_line_col(location) else {
        out.push_str(&format!("{location}: {severity}: {diagnostic}\n"));
        return;
    };
    // The parser names in-memory text `-` (older MLIR: empty); any other name was written in the input.
    let own_text = source.filter(|_| file.is_empty() || file == "-");
    let name = own_text.map_or(file.as_str(), |source| source.name.as_str());
    out.push_str(&format!(
        "{name}:{line}:{column}: {severity}: {diagnostic}\n"
    ));
    // Like mlir-opt, only the main message shows the line; notes repeat the location alone.
    if let (true, Some(source)) = (with_snippet, own_text) {
        if let Some(text) = line
            .checked_sub(1)
            .and_then(|index| source.text.lines().nth(index))
        {
            let indent = " ".repeat(column.saturating_sub(1));
            out.push_str(&format!("{text}\n{indent}^\n"));
        }
    }
}

/// The first file/line/column position inside `location`, looking through names, call sites and fusions as
/// MLIR's own source-manager handler does.
fn file_line_col(location: Location) -> Option<(String, usize, usize)> {
    if location.is_file_line_col_range() {
        let file = location.file_line_col_range_filename();
        let file = file
            .as_string_ref()
            .as_str()
            .unwrap_or("<non-utf8 file name>")
            .to_string();
        let line = location.file_line_col_range_start_line();
        Some((file, line, location.file_line_col_range_start_column()))
    } else if location.is_name() {
        file_line_col(location.name_child_location())
    } else if location.is_call_site() {
        file_line_col(location.call_site_callee())
            .or_else(|| file_line_col(location.call_site_caller()))
    } else if location.is_fused() {
        (0..location.fused_num_locations())
            .find_map(|index| file_line_col(location.fused_location(index)))
    } else {
        None
    }
}
