//! Paints a read model's sections ([`crate::layout`]) on the terminal: a heading per section, a
//! blank line between sections, entries indented two cells and details four (as `kam` prints
//! them), each line cut to the width and styled by its tone. The agenda screen and the dossier
//! tabs draw through it, so they show the lines the CLI and Markdown show.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::Selection;
use crate::layout::{Anchor, Item, Section, Tone};
use crate::text::{sanitize_line, truncate, width};
use crate::tui::theme::Theme;

/// The style of a tone.
pub fn style(tone: Tone, theme: Theme) -> Style {
    match tone {
        Tone::Plain => theme.text(),
        Tone::Alert => theme.alert(),
        Tone::Strong => theme.accent(),
        Tone::Dim => theme.dim(),
    }
}

/// What a line selects in the TUI: the record of its anchor, with the account and person the
/// line is about (what keys acting on a meeting or a follow-up reach). Lines anchored to a
/// record no key acts on here (an interaction, a link, a position) select nothing.
pub fn selection(item: &Item) -> Option<Selection> {
    Some(match item.anchor? {
        Anchor::Meeting { id, version } => Selection::Meeting {
            id,
            version,
            account: item.account,
            person: item.person,
        },
        Anchor::FollowUp { id, version } => Selection::FollowUp {
            id,
            version,
            account: item.account,
            person: item.person,
        },
        Anchor::Person(id) => Selection::Person(id),
        Anchor::Account(id) => Selection::Account(id),
        Anchor::Deal(id) => Selection::Deal {
            id,
            account: item.account,
        },
        Anchor::Obligation(id) => Selection::Obligation { id, deal: None },
        Anchor::Interaction(_) | Anchor::Link(_) | Anchor::Entry(_) => return None,
    })
}

/// One line of text from data, sanitized and cut to `cells`.
fn cut(text: &str, cells: usize, style: Style) -> Span<'static> {
    Span::styled(truncate(&sanitize_line(text), cells).into_owned(), style)
}

/// Cells of a label's column.
const LABEL: usize = 12;

/// One item as lines of `cells` at most, after `indent` cells (its detail step added): free
/// text wrapped, anything else on one line.
pub fn item_lines(item: &Item, indent: usize, cells: usize, theme: Theme) -> Vec<Line<'static>> {
    if !item.prose {
        return vec![item_line(item, indent, cells, theme)];
    }
    let indent = indent + if item.detail { 2 } else { 0 };
    let pad = " ".repeat(indent);
    crate::tui::wrap::wrap(
        &sanitize_line(&item.text),
        cells.saturating_sub(indent).max(8),
    )
    .into_iter()
    .map(|l| {
        Line::from(vec![
            Span::raw(pad.clone()),
            Span::styled(l, style(item.tone, theme)),
        ])
    })
    .collect()
}

/// One item as a line of `cells` at most, after `indent` cells (its detail step added), its
/// label in a dim column. A line too wide is cut before its marks, so that they stay in view.
pub fn item_line(item: &Item, indent: usize, cells: usize, theme: Theme) -> Line<'static> {
    let indent = indent + if item.detail { 2 } else { 0 };
    let label = item
        .label
        .map(|l| format!("{l:<LABEL$}"))
        .unwrap_or_default();
    let indent_span = Span::raw(" ".repeat(indent));
    let indent = indent + width(&label);
    let room = cells.saturating_sub(indent);
    let style = style(item.tone, theme);
    let split = item.text.len().saturating_sub(item.marks);
    let (text, marks) = match (item.text.get(..split), item.text.get(split..)) {
        (Some(text), Some(marks)) if width(&sanitize_line(&item.text)) > room => (text, marks),
        _ => (item.text.as_str(), ""),
    };
    let marks = sanitize_line(marks);
    // Marks wider than half the room give way to the text.
    let marks = truncate(&marks, room / 2).into_owned();
    Line::from(vec![
        indent_span,
        Span::styled(label, theme.dim()),
        cut(text, room.saturating_sub(width(&marks)), style),
        Span::styled(marks, style),
    ])
}

/// The sections as lines, each with the item it paints (`None` for headings and blanks). A
/// section without a title is a note under the one above, not indented.
pub fn lines(
    sections: &[Section],
    cells: usize,
    theme: Theme,
) -> Vec<(Line<'static>, Option<&Item>)> {
    let mut out = Vec::new();
    for section in sections {
        if !out.is_empty() {
            out.push((Line::default(), None));
        }
        let indent = if section.title.is_empty() {
            0
        } else {
            out.push((
                Line::from(cut(&section.title, cells, theme.heading())),
                None,
            ));
            2
        };
        for item in &section.items {
            for (n, line) in item_lines(item, indent, cells, theme)
                .into_iter()
                .enumerate()
            {
                out.push((line, (n == 0).then_some(item)));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(line: &Line<'_>) -> String {
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn sections_are_headed_indented_cut_and_keep_their_records() {
        let sections = vec![
            Section {
                title: "Today".into(),
                items: vec![
                    Item::new("09:00  Review \x1b[31m#i1", Tone::Strong)
                        .at(Anchor::Meeting { id: 1, version: 3 }),
                    Item::detail("Hospital Clínic", Tone::Dim),
                ],
            },
            Section {
                title: String::new(),
                items: vec![Item::new("More exist than are shown", Tone::Dim)],
            },
        ];
        let lines = lines(&sections, 16, Theme::plain());
        let texts: Vec<String> = lines.iter().map(|(l, _)| text(l)).collect();
        assert_eq!(
            texts,
            [
                "Today",
                "  09:00  Review…",
                "    Hospital Cl…",
                "",
                "More exist than…"
            ]
        );
        let selected: Vec<Option<Selection>> = lines
            .iter()
            .map(|(_, item)| item.and_then(selection))
            .collect();
        assert_eq!(
            selected[1],
            Some(Selection::Meeting {
                id: 1,
                version: 3,
                account: None,
                person: None
            })
        );
        assert!(selected.iter().filter(|s| s.is_some()).count() == 1);
    }

    #[test]
    fn a_line_too_wide_is_cut_before_its_marks() {
        let item = Item {
            marks: "  #i1  ⚠ overlaps".len(),
            ..Item::new("09:00  A long meeting title  #i1  ⚠ overlaps", Tone::Alert)
        };
        let line = item_line(&item, 2, 40, Theme::plain());
        assert_eq!(text(&line), "  09:00  A long meetin…  #i1  ⚠ overlaps");
        // It fits: nothing is cut.
        let line = item_line(&item, 0, 80, Theme::plain());
        assert_eq!(text(&line), item.text);
    }
}
