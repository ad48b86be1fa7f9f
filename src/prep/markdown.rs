//! A brief as Markdown, for reading offline (on a phone, in the taxi): the same sections as the
//! prep screen and `kam prep`, as `##` headings and bullet lists, detail lines nested.
//!
//! Text from the notebook is data: control characters are defanged ([`crate::text::sanitize`])
//! and Markdown's own marks are escaped, so a note cannot inject a heading, a link or HTML.

use std::fmt::Write as _;

use chrono::TimeZone;

use super::{Brief, Tone};

/// Escapes the characters Markdown would read as markup, after defanging control characters.
pub fn escape(text: &str) -> String {
    let clean = crate::text::sanitize_line(text);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        // Emphasis, code, links, HTML and strike-through; `#`, `(`, `|` and the like only mean
        // something at the start of a line or after a `]`, and every line starts with `- `.
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '~') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The brief as a Markdown document, times in `tz`.
pub fn write<Tz: TimeZone>(brief: &Brief, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    let mut out = String::new();
    let title = match &brief.meeting {
        Some(m) => m.title.clone().unwrap_or_else(|| m.kind.to_string()),
        None => brief.subject.clone(),
    };
    let _ = writeln!(out, "# Prep: {}", escape(&title));
    let _ = writeln!(out);
    let _ = writeln!(out, "_Prepared {}._", brief.today.format("%a %-d %b %Y"));
    for section in brief.sections(tz) {
        let _ = writeln!(out);
        let _ = writeln!(out, "## {}", escape(&section.title));
        let _ = writeln!(out);
        for item in &section.items {
            let text = escape(&item.text);
            let text = match item.tone {
                Tone::Strong => format!("**{text}**"),
                Tone::Alert => format!("⚠ **{text}**"),
                Tone::Dim if item.detail => format!("_{text}_"),
                Tone::Plain | Tone::Dim => text,
            };
            let indent = if item.detail { "  " } else { "" };
            let _ = writeln!(out, "{indent}- {text}");
        }
    }
    out
}
