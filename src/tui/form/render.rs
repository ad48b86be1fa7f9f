//! Drawing the edit form: a label column and the values wrapped to the width left (nothing is
//! cut off); the focused field is its editor, with the cursor. When the fields are taller than
//! the terminal, the form scrolls to keep the focused field whole in view.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::{EditForm, Shape};
use crate::text::{sanitize_line, truncate};
use crate::tui::popup::centered;
use crate::tui::theme::Theme;
use crate::tui::wrap::wrap;

/// Cells of the label column (" personal     ").
const LABEL: usize = 14;
/// The widest the form grows.
const WIDTH: u16 = 100;

/// Each field's lines (label, value wrapped, theirs, error), and where the focused field's
/// editor goes: its first row and its height.
fn fields(f: &EditForm, value_width: usize, theme: Theme) -> (Vec<Line<'static>>, (usize, usize)) {
    let pad = " ".repeat(LABEL);
    let indented =
        |text: String, style| Line::from(vec![Span::raw(pad.clone()), Span::styled(text, style)]);
    let mut lines: Vec<Line> = Vec::new();
    let mut editor = (0, 1);
    for (i, input) in f.inputs.iter().enumerate() {
        let label = Span::styled(format!(" {:<12} ", input.label()), theme.dim());
        let value = input.value();
        if i == f.focus {
            // One more cell for the cursor after the last character.
            let rows = wrap(&format!("{value} "), value_width).len();
            editor = (lines.len(), rows);
            lines.push(Line::from(vec![label]).style(theme.selected()));
            lines.extend((1..rows).map(|_| Line::default()));
        } else {
            let mut wrapped = wrap(&value, value_width).into_iter();
            let first = wrapped.next().unwrap_or_default();
            lines.push(Line::from(vec![label, Span::styled(first, theme.text())]));
            lines.extend(wrapped.map(|more| indented(more, theme.text())));
        }
        if let Some(t) = &input.theirs {
            let shown = if t.is_empty() { "(empty)" } else { t };
            let theirs = wrap(&format!("theirs: {shown}"), value_width);
            lines.extend(theirs.into_iter().map(|l| indented(l, theme.alert())));
        }
        if let Some(e) = &input.error {
            lines.extend(
                wrap(e, value_width)
                    .into_iter()
                    .map(|l| indented(l, theme.alert())),
            );
        }
    }
    (lines, editor)
}

pub fn form(f: &EditForm, area: Rect, buf: &mut Buffer, theme: Theme) {
    let width = area.width.min(WIDTH);
    let inner_width = usize::from(width.saturating_sub(2));
    let value_width = inner_width.saturating_sub(LABEL + 1).max(8);
    let (lines, editor) = fields(f, value_width, theme);

    let hint = if f.confirming {
        " Discard your changes? y: discard · n: keep editing".to_string()
    } else {
        let enter = match f.inputs.get(f.focus).map(|i| i.spec.shape) {
            Some(Shape::Lines) => "Enter new line · ",
            _ => "",
        };
        format!(" {enter}Tab next field · Ctrl-S save · Ctrl-E $EDITOR · Esc cancel")
    };
    let hint_style = if f.confirming {
        theme.alert()
    } else {
        theme.dim()
    };
    let hint: Vec<Line> = wrap(&hint, inner_width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, hint_style)))
        .collect();

    let wanted = lines.len() + 1 + hint.len() + 2;
    let height = u16::try_from(wanted).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    // The question goes in the title too: it stays visible however short the terminal.
    let position = format!(" {}/{} ", f.focus + 1, f.inputs.len());
    let title = if f.confirming {
        " Discard your changes? y/n ".to_string()
    } else {
        let room = inner_width.saturating_sub(position.len() + 4);
        format!(" {} ", truncate(&sanitize_line(&f.title()), room))
    };
    Clear.render(rect, buf);
    let block = Block::bordered()
        .title(title)
        .title_bottom(Line::from(position).right_aligned());
    let body = block.inner(rect);
    block.render(rect, buf);

    // The fields scroll; the hint stays at the bottom.
    let hint_rows = hint.len().min(usize::from(body.height).saturating_sub(1));
    let room = usize::from(body.height)
        .saturating_sub(hint_rows + 1)
        .max(1);
    let (start, rows) = editor;
    let end = start + rows;
    let offset = if end > room {
        (end - room).min(start)
    } else {
        0
    };
    let shown: Vec<Line> = lines.into_iter().skip(offset).take(room).collect();
    let fields = Rect {
        height: u16::try_from(room).unwrap_or(u16::MAX).min(body.height),
        ..body
    };
    Paragraph::new(shown).render(fields, buf);
    let hint_area = Rect {
        y: body.y
            + body
                .height
                .saturating_sub(u16::try_from(hint_rows).unwrap_or(0)),
        height: u16::try_from(hint_rows).unwrap_or(0),
        ..body
    };
    Paragraph::new(hint).render(hint_area, buf);

    if !f.confirming
        && let Some(input) = f.inputs.get(f.focus)
    {
        let top = start.saturating_sub(offset);
        let x = body.x + u16::try_from(LABEL).unwrap_or(0);
        let editor_area = Rect {
            x,
            y: body.y + u16::try_from(top).unwrap_or(0),
            width: u16::try_from(value_width)
                .unwrap_or(u16::MAX)
                .min(body.right().saturating_sub(x)),
            height: u16::try_from(rows.min(room.saturating_sub(top)).max(1)).unwrap_or(1),
        };
        if editor_area.bottom() <= body.bottom() {
            (&input.text).render(editor_area, buf);
            scrub(editor_area, buf);
        }
    }
}

/// The editor draws the text as typed or stored: a cell holding a character the sanitizer
/// would escape (a control, a bidi override, an invisible character) keeps only its visible
/// base character, or shows `�`, so nothing from data reaches the terminal as itself. The
/// text itself is not changed (the other fields show such characters escaped).
fn scrub(area: Rect, buf: &mut Buffer) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let symbol = cell.symbol();
            if sanitize_line(symbol) == symbol {
                continue;
            }
            let base = symbol
                .chars()
                .next()
                .filter(|c| sanitize_line(&c.to_string()).chars().count() == 1)
                .map_or_else(|| "\u{fffd}".to_string(), |c| c.to_string());
            cell.set_symbol(&base);
        }
    }
}
