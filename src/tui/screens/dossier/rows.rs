//! Small pieces of the dossier screen: a row type, data text sanitized and cut, and free text
//! wrapped to the width (the interaction screen).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::{sanitize, sanitize_line, truncate, width};

/// A line and the item it belongs to (the first line of an item is the one highlighted).
pub type Row = (Line<'static>, Option<usize>);

/// One line of text from data, sanitized.
pub fn span(text: &str, style: Style) -> Span<'static> {
    Span::styled(sanitize_line(text).into_owned(), style)
}

/// One line of text from data, sanitized and cut to `cells`.
pub fn cut(text: &str, cells: usize, style: Style) -> Span<'static> {
    Span::styled(truncate(&sanitize_line(text), cells).into_owned(), style)
}

/// Multi-line text from data, sanitized and word-wrapped to `cells` (after `indent` spaces).
pub fn wrap(text: &str, indent: usize, cells: usize) -> Vec<String> {
    let room = cells.saturating_sub(indent).max(8);
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for raw in sanitize(text).replace('\t', "    ").lines() {
        let mut line = String::new();
        let mut used = 0;
        for word in raw.split(' ') {
            let w = width(word);
            if used > 0 && used + 1 + w > room {
                out.push(format!("{pad}{line}"));
                line.clear();
                used = 0;
            }
            if used > 0 {
                line.push(' ');
                used += 1;
            }
            let word = truncate(word, room);
            used += width(&word);
            line.push_str(&word);
        }
        out.push(format!("{pad}{line}"));
    }
    out
}
