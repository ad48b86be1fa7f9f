//! Drawing the capture popup from its state: pure, no store, no clock of its own. Every text
//! from data (names, accounts, what was typed) is sanitized; wide characters are fitted by
//! display width, never cut inside a grapheme.

use chrono::{DateTime, Local};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget};

use super::{Capture, Field, Mode};
use crate::text::{fit, sanitize_line};
use crate::tui::cells::{defang, tail};
use crate::tui::popup::centered;
use crate::tui::theme::Theme;

/// Candidates listed under the picker while it has the focus.
const SHOWN: u16 = 5;
/// Width of the labels column.
const LABEL: usize = 10;

/// A band of the popup, top to bottom.
enum Row {
    Target,
    /// The attendees and their picker.
    With,
    Text,
    Line(Field),
    /// What a date field reads as.
    Preview(Field),
    /// An error, or "discard? y/n".
    Message,
    Hint,
}

impl Capture {
    fn label(&self, field: Field) -> &'static str {
        match (field, &self.mode) {
            (Field::Target, Mode::Outcome { .. }) => "Meeting",
            (Field::Target, _) => "For",
            (Field::Text, Mode::Meeting) => "Title",
            (Field::Text, Mode::Outcome { .. }) | (Field::Outcome, _) => "Outcome",
            (Field::Text, Mode::FollowUp) => "To do",
            (Field::Text, Mode::Note) => "Note",
            (Field::When, Mode::FollowUp) => "Due",
            (Field::When, Mode::Meeting) => "At",
            (Field::When | Field::Next, _) => "Next",
            (Field::Duration, _) => "Length",
            (Field::Location, _) => "Where",
            (Field::Kind, _) => "Kind",
            (Field::With, _) => "With",
            (Field::Goal, _) => "Goal",
            (Field::Ask, _) => "Ask",
        }
    }

    fn title(&self, now: &DateTime<Local>) -> String {
        match &self.mode {
            Mode::Outcome { .. } => " Outcome of the meeting ".to_string(),
            Mode::Meeting if self.logging(now) => {
                " Log a past meeting (done, with its outcome) ".to_string()
            }
            Mode::Meeting => " New meeting (a past time logs one done) ".to_string(),
            _ => format!(" New {} ", self.noun()),
        }
    }

    /// Draws the popup centred in `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, now: &DateTime<Local>, theme: Theme) {
        let rect = centered(
            area,
            area.width.saturating_sub(4).min(76),
            area.height.saturating_sub(4).min(22),
        );
        Clear.render(rect, buf);
        let block = Block::bordered().title(self.title(now));
        let inner = block.inner(rect);
        block.render(rect, buf);
        let picking = self.focus == Field::Target && !self.picker.query.is_empty();
        // The candidates' lines as wrapped to the width: a long name takes two lines.
        let room = usize::from(inner.width).saturating_sub(LABEL + 1);
        let count = |lines: Vec<Line<'static>>| u16::try_from(lines.len()).unwrap_or(u16::MAX);
        let list = if picking {
            count(candidate_lines(&self.picker, true, room, theme)).max(1)
        } else {
            0
        };
        let listing = self.focus == Field::With && !self.with.candidates.is_empty();
        let people = if listing {
            count(candidate_lines(&self.with, false, room, theme))
        } else {
            0
        };
        let mut rows: Vec<Row> = Vec::new();
        if matches!(self.mode, Mode::Outcome { .. }) {
            rows.push(Row::Target);
        }
        for &f in self.fields(now) {
            rows.push(match f {
                Field::Target => Row::Target,
                Field::With => Row::With,
                Field::Text => Row::Text,
                f => Row::Line(f),
            });
            if matches!(f, Field::When | Field::Next) {
                rows.push(Row::Preview(f));
            }
        }
        rows.extend([Row::Message, Row::Hint]);
        let constraints = rows.iter().map(|r| match r {
            Row::Target => Constraint::Length(1 + list),
            Row::With => Constraint::Length(1 + people),
            Row::Text => Constraint::Min(1),
            Row::Preview(f) => Constraint::Length(count(self.preview_lines(*f, room, now, theme))),
            _ => Constraint::Length(1),
        });
        let areas = Layout::vertical(constraints).split(inner);
        for (row, &r) in rows.iter().zip(areas.iter()) {
            match row {
                Row::Target => self.render_target(r, buf, theme),
                Row::With => self.render_with(r, buf, theme),
                Row::Text => self.render_text(r, buf, theme),
                Row::Line(f) => self.render_line(*f, r, buf, theme),
                Row::Preview(f) => self.render_preview(*f, r, buf, now, theme),
                Row::Message => self.render_message(r, buf, theme),
                Row::Hint => Paragraph::new(Span::styled(
                    fit(self.hint(), usize::from(r.width)),
                    theme.dim(),
                ))
                .render(r, buf),
            }
        }
    }

    /// The keys line at the bottom, for the focused field.
    fn hint(&self) -> &'static str {
        if self.confirm_discard {
            "y discard · n keep typing"
        } else if self.focus == Field::With {
            "type a name · ↑/↓ Enter add · Backspace drop · Tab next · Ctrl-S save"
        } else {
            "Tab next field · Ctrl-S save · Ctrl-E $EDITOR · Esc cancel"
        }
    }

    fn label_span(&self, field: Field, theme: Theme) -> Span<'static> {
        let style = if self.focus == field {
            theme.heading()
        } else {
            theme.dim()
        };
        Span::styled(fit(self.label(field), LABEL), style)
    }

    fn render_target(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let room = usize::from(area.width).saturating_sub(LABEL + 1);
        let value = if let Mode::Outcome { title, .. } = &self.mode {
            Span::raw(fit(&sanitize_line(title), room))
        } else if self.focus == Field::Target && !self.picker.query.is_empty() {
            Span::raw(format!(
                "> {}█",
                tail(&sanitize_line(&self.picker.query), room.saturating_sub(3))
            ))
        } else if let Some(t) = &self.picker.chosen {
            Span::styled(fit(&sanitize_line(&t.describe()), room), theme.accent())
        } else if self.focus == Field::Target {
            Span::styled("type a name…█", theme.dim())
        } else {
            Span::styled("(none)", theme.dim())
        };
        let mut lines = vec![Line::from(vec![
            self.label_span(Field::Target, theme),
            Span::raw(" "),
            value,
        ])];
        if self.focus == Field::Target && !self.picker.query.is_empty() {
            if self.picker.candidates.is_empty() {
                lines.push(Line::from(Span::styled(
                    format!("{}no account or person matches", " ".repeat(LABEL + 1)),
                    theme.dim(),
                )));
            }
            lines.extend(candidate_lines(&self.picker, true, room, theme));
        }
        Paragraph::new(lines).render(area, buf);
    }

    /// The attendees picked, the name being typed, and the people it matches.
    fn render_with(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let room = usize::from(area.width).saturating_sub(LABEL + 1);
        let focused = self.focus == Field::With;
        let names: Vec<String> = self
            .attendees
            .iter()
            .map(|a| sanitize_line(&a.name).into_owned())
            .collect();
        let mut value = names.join(", ");
        if focused {
            if !value.is_empty() {
                value.push_str(", ");
            }
            value.push_str("> ");
            value.push_str(&sanitize_line(&self.with.query));
        }
        let mut spans = vec![
            self.label_span(Field::With, theme),
            Span::raw(" "),
            Span::styled(tail(&value, room.saturating_sub(1)), theme.accent()),
        ];
        if focused {
            spans.push(Span::styled("█", theme.dim()));
        } else if value.is_empty() {
            spans.push(Span::styled(
                "optional: the people who take part",
                theme.dim(),
            ));
        }
        let mut lines = vec![Line::from(spans)];
        if focused {
            lines.extend(candidate_lines(&self.with, false, room, theme));
        }
        Paragraph::new(lines).render(area, buf);
    }

    fn render_text(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let [label, body] =
            Layout::horizontal([Constraint::Length(11), Constraint::Min(1)]).areas(area);
        Paragraph::new(self.label_span(Field::Text, theme)).render(label, buf);
        if self.text.is_empty() && self.focus != Field::Text {
            Paragraph::new(Span::styled("(empty)", theme.dim())).render(body, buf);
            return;
        }
        (&self.text).render(body, buf);
        defang(body, buf);
    }

    fn render_line(&self, field: Field, area: Rect, buf: &mut Buffer, theme: Theme) {
        let value = self.line(field);
        let room = usize::from(area.width).saturating_sub(LABEL + 2);
        let mut spans = vec![
            self.label_span(field, theme),
            Span::raw(" "),
            Span::raw(tail(&sanitize_line(value), room)),
        ];
        if self.focus == field {
            spans.push(Span::styled("█", theme.dim()));
        } else if value.is_empty() {
            let hint = match (field, &self.mode) {
                (Field::When, Mode::FollowUp) => "+3d, fri, 2026-12-01",
                (Field::When, Mode::Meeting) => "fri 9:30 · a past time logs it: yesterday 20:00",
                (Field::When, _) => "optional: +3d call about the tender",
                (Field::Duration, _) => "optional: 45m, 1h30",
                (Field::Kind, _) => "meeting · visit · call · event · meal",
                (Field::Goal, _) => "optional: what it is to achieve",
                (Field::Ask, _) => "optional: questions to ask, separated by ;",
                (Field::Outcome, _) => "how it went",
                (Field::Next, _) => "optional: +3d send the offer",
                _ => "optional",
            };
            spans.push(Span::styled(hint, theme.dim()));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }

    /// What a date typed means (or what is wrong with it), wrapped under the field: never cut.
    fn preview_lines(
        &self,
        field: Field,
        room: usize,
        now: &DateTime<Local>,
        theme: Theme,
    ) -> Vec<Line<'static>> {
        let (text, style) = match self.preview(field, now) {
            None => return vec![Line::default()],
            Some(Ok(s)) => (s, theme.good()),
            Some(Err(e)) => (e, theme.alert()),
        };
        crate::tui::wrap::wrap(&sanitize_line(&text), room)
            .into_iter()
            .map(|part| {
                Line::from(vec![
                    Span::raw(" ".repeat(LABEL + 1)),
                    Span::styled(part, style),
                ])
            })
            .collect()
    }

    fn render_preview(
        &self,
        field: Field,
        area: Rect,
        buf: &mut Buffer,
        now: &DateTime<Local>,
        theme: Theme,
    ) {
        let room = usize::from(area.width).saturating_sub(LABEL + 1);
        Paragraph::new(self.preview_lines(field, room, now, theme)).render(area, buf);
    }

    fn render_message(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let w = usize::from(area.width);
        let line = if self.confirm_discard {
            Span::styled(
                fit(&format!("Discard this {}? y/n", self.noun()), w),
                theme.alert(),
            )
        } else if let Some((field, e)) = &self.error {
            Span::styled(
                fit(&sanitize_line(&format!("{}: {e}", self.label(*field))), w),
                theme.alert(),
            )
        } else {
            Span::raw("")
        };
        Paragraph::new(line).render(area, buf);
    }
}

/// A picker's candidates around its cursor, under the field (the kind named when `kinds`),
/// each wrapped to `room` and never cut: as many whole candidates as [`SHOWN`] lines hold,
/// the one under the cursor always among them.
fn candidate_lines(
    picker: &super::picker::Picker,
    kinds: bool,
    room: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let blocks: Vec<Vec<Line<'static>>> = picker
        .candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut text = match (kinds, c.kind) {
                (false, _) => String::new(),
                (true, crate::store::TargetKind::Person) => "person  ".to_string(),
                (true, _) => "account ".to_string(),
            };
            text.push_str(&c.name);
            if let Some(ctx) = &c.context {
                text.push_str(" · ");
                text.push_str(ctx);
            }
            // A long name wraps onto the next lines, indented under itself.
            crate::tui::wrap::wrap(&text, room.saturating_sub(2))
                .into_iter()
                .enumerate()
                .map(|(n, part)| {
                    let indent = if n == 0 { LABEL + 1 } else { LABEL + 3 };
                    let line = Line::from(format!("{}{part}", " ".repeat(indent)));
                    if i == picker.cursor {
                        line.style(theme.selected())
                    } else {
                        line
                    }
                })
                .collect()
        })
        .collect();
    let Some(cursor) = Some(picker.cursor).filter(|c| *c < blocks.len()) else {
        return Vec::new();
    };
    let budget = usize::from(SHOWN);
    let (mut first, mut last, mut used) = (cursor, cursor, blocks[cursor].len());
    while first > 0 && used + blocks[first - 1].len() <= budget {
        first -= 1;
        used += blocks[first].len();
    }
    while last + 1 < blocks.len() && used + blocks[last + 1].len() <= budget {
        last += 1;
        used += blocks[last].len();
    }
    blocks[first..=last].iter().flatten().cloned().collect()
}
