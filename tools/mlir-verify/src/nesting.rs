//! A guard against input nested so deeply that MLIR's recursive parser would overflow the stack.
//!
//! MLIR recurses once per bracket or region level and has no depth limit of its own, so `[[[[...]]]]` a million
//! levels deep kills the process. Real IR nests a few dozen levels; the scan below rejects anything past
//! [`MAX_NESTING`] before MLIR sees it. It counts `(`, `[`, `{` and `<` outside string literals and `//` comments,
//! and does not count the `>` of `->`. Being approximate is fine: it only has to bound the depth, far from the
//! limit that matters.

/// Deepest bracket nesting accepted; the MLIR thread's stack holds well over ten times this.
pub const MAX_NESTING: usize = 10_000;

/// The 1-based line and column where nesting first passes [`MAX_NESTING`], if it does.
pub fn too_deep(text: &str) -> Option<(usize, usize)> {
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let (mut in_string, mut escaped, mut in_comment) = (false, false, false);
    let mut previous = '\0';
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            (line, column, in_comment) = (line + 1, 0, false);
        } else if in_comment {
        } else if in_string {
            (escaped, in_string) = (!escaped && c == '\\', escaped || c != '"');
        } else if c == '"' {
            in_string = true;
        } else if c == '/' && previous == '/' {
            in_comment = true;
        } else if matches!(c, '(' | '[' | '{' | '<') {
            depth += 1;
            if depth > MAX_NESTING {
                return Some((line, column));
            }
        } else if matches!(c, ')' | ']' | '}') || (c == '>' && previous != '-') {
            depth = depth.saturating_sub(1);
        }
        previous = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_ordinary_ir() {
        let text = "func.func @f(%a: tensor<4x!q.fixed<16, \"[[[\">>) -> () { // ((((\n  return\n}";
        assert_eq!(too_deep(text), None);
    }

    #[test]
    fn rejects_deep_brackets_at_the_first_excess() {
        let text = format!("\n{}", "[".repeat(MAX_NESTING + 5));
        assert_eq!(too_deep(&text), Some((2, MAX_NESTING + 1)));
    }

    #[test]
    fn arrows_do_not_close() {
        let text = format!("{}{}", "(->".repeat(MAX_NESTING), "(");
        assert!(too_deep(&text).is_some());
    }

    #[test]
    fn escaped_quotes_stay_in_the_string() {
        let text = format!("\"\\\"{}\"", "[".repeat(MAX_NESTING + 1));
        assert_eq!(too_deep(&text), None);
    }
}
