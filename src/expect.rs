//! `--verify-diagnostics`: checks produced diagnostics against `// expected-error @+1 {{...}}` comments.
//!
//! Forms, as in MLIR: `expected-error|warning|remark|note`, then optionally `@+N`, `@-N`, `@above` or
//! `@below`, then `{{substring}}`. Every expectation must be met by a diagnostic of that severity on
//! that line whose message contains the substring, and every diagnostic must be expected.

use crate::diag::{Diagnostic, Location, Severity};

/// One expectation read from the source.
#[derive(Debug, Clone)]
struct Expected {
    severity: Severity,
    line: u32,
    message: String,
    /// Line of the comment itself, for reporting.
    at: u32,
    met: bool,
}

fn parse_expectations(text: &str, line_offset: u32) -> Vec<Expected> {
    let mut out = vec![];
    for (i, line) in text.lines().enumerate() {
        let here = line_offset + i as u32 + 1;
        let mut rest = line;
        while let Some(p) = rest.find("expected-") {
            rest = &rest[p + "expected-".len()..];
            let (severity, after) = if let Some(a) = rest.strip_prefix("error") {
                (Severity::Error, a)
            } else if let Some(a) = rest.strip_prefix("warning") {
                (Severity::Warning, a)
            } else if let Some(a) = rest.strip_prefix("remark") {
                (Severity::Remark, a)
            } else if let Some(a) = rest.strip_prefix("note") {
                (Severity::Note, a)
            } else {
                continue;
            };
            let after = after.trim_start();
            let (target, after) = if let Some(a) = after.strip_prefix('@') {
                let end = a.find(|c: char| c.is_whitespace() || c == '{').unwrap_or(a.len());
                let spec = &a[..end];
                let t = match spec {
                    "above" => here.saturating_sub(1),
                    "below" => here + 1,
                    s => match s.parse::<i64>() {
                        Ok(d) => (here as i64 + d).max(0) as u32,
                        Err(_) => here,
                    },
                };
                (t, a[end..].trim_start())
            } else {
                (here, after)
            };
            let Some(body) = after.strip_prefix("{{") else { continue };
            let Some(end) = body.find("}}") else { continue };
            out.push(Expected { severity, line: target, message: body[..end].to_string(), at: here, met: false });
            rest = &body[end..];
        }
    }
    out
}

fn line_of(loc: &Location) -> Option<u32> {
    match loc {
        Location::FileLineCol { line, .. } => Some(*line),
        Location::Name { child: Some(c), .. } => line_of(c),
        _ => None,
    }
}

/// Matches diagnostics against the expectations in `text`; returns the mismatches as errors.
pub fn check(text: &str, file: &str, line_offset: u32, produced: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut expected = parse_expectations(text, line_offset);
    let mut problems = vec![];
    let mut all: Vec<(Severity, &Location, &str)> = vec![];
    for d in produced {
        all.push((d.severity, &d.loc, &d.message));
        for (l, m) in &d.notes {
            if line_of(l).is_some() {
                all.push((Severity::Note, l, m));
            }
        }
    }
    for (sev, loc, msg) in all {
        let line = line_of(loc);
        let hit = expected.iter_mut().find(|e| !e.met && e.severity == sev && Some(e.line) == line && msg.contains(&e.message));
        match hit {
            Some(e) => e.met = true,
            None => problems.push(Diagnostic::error(loc.clone(), format!("unexpected {sev}: {msg}"))),
        }
    }
    for e in expected.into_iter().filter(|e| !e.met) {
        problems.push(Diagnostic::error(
            Location::file(file, e.at, 1),
            format!("expected {} \"{}\" on line {} was not produced", e.severity, e.message, e.line),
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_matching() {
        let text = "// expected-error @+1 {{bad thing}}\nop\n";
        let d = Diagnostic::error(Location::file("f", 2, 3), "a bad thing happened");
        assert!(check(text, "f", 0, &[d.clone()]).is_empty());
        let missing = check(text, "f", 0, &[]);
        assert_eq!(missing.len(), 1);
        let wrong_line = Diagnostic::error(Location::file("f", 1, 3), "a bad thing happened");
        assert_eq!(check(text, "f", 0, &[wrong_line]).len(), 2);
    }
}
