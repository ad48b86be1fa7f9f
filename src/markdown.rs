//! Markdown that stays data: [`escape`] and [`block`] make notebook text inert, so a note that
//! holds `# `, `*`, `[x](y)`, `|` or `<b>` shows as typed and cannot change the document's
//! structure. Every Markdown writer (dossiers, briefs, reports) goes through here.

/// Data text for use inside a line (after `- **Phone:** `, in a heading): Markdown's active
/// characters backslash-escaped, newlines turned into spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if is_active(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

fn is_active(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '{' | '}' | '#'
    )
}

/// One line that starts a Markdown line: active characters and line-start markers (`#`, `>`,
/// `-`, `+`, `=`, `1.`) escaped.
fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    // Leading spaces would make an indented code block: keep them as non-breaking.
    for _ in indent.chars() {
        out.push('\u{a0}');
    }
    let mut chars = trimmed.char_indices().peekable();
    let first_word_end = trimmed.find(' ').unwrap_or(trimmed.len());
    let ordered = trimmed[..first_word_end]
        .strip_suffix(['.', ')'])
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    while let Some((i, c)) = chars.next() {
        match c {
            c if is_active(c) => {
                out.push('\\');
                out.push(c);
            }
            '+' | '-' | '=' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            '.' | ')' if ordered && i + 1 == first_word_end => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
        let _ = chars.peek();
    }
    out
}

/// Multi-line data text as a block: each line escaped, lines kept apart with hard breaks,
/// blank lines kept as paragraph breaks.
pub fn block(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = text
        .trim()
        .lines()
        .map(|l| escape_line(l.trim_end()))
        .collect();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        let next_blank = lines.get(i + 1).is_some_and(String::is_empty);
        if i + 1 < lines.len() && !l.is_empty() && !next_blank {
            out.push('\\');
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_characters_are_escaped() {
        assert_eq!(
            escape("*bold* _x_ [a](b) `c` <b> | ~"),
            "\\*bold\\* \\_x\\_ \\[a\\](b) \\`c\\` \\<b\\> \\| \\~"
        );
        assert_eq!(escape_line("# not a heading"), "\\# not a heading");
        assert_eq!(escape_line("- not a list"), "\\- not a list");
        assert_eq!(escape_line("1. not a list"), "1\\. not a list");
        assert_eq!(escape("+34 600"), "+34 600");
        assert_eq!(escape("Hospital ##"), "Hospital \\#\\#");
        assert_eq!(escape("a\nb"), "a b");
        assert_eq!(escape("Dr. Peña & co"), "Dr. Peña \\& co");
        assert_eq!(escape("2026-12-01"), "2026-12-01");
    }

    #[test]
    fn a_block_keeps_its_lines_and_paragraphs() {
        assert_eq!(
            block("one\n# two\n\n    three"),
            "one\\\n\\# two\n\n\u{a0}\u{a0}\u{a0}\u{a0}three\n"
        );
    }
}
