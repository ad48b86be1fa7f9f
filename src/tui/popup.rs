//! Small popups over the screens: the `?` help generated from the keymaps, and a one-line
//! prompt (snooze to when?) that shows the parsed date as you type.

use chrono::{DateTime, Local};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::keymap::Binding;
use super::theme::Theme;
use crate::text::sanitize_line;
use crate::when::{self, When};

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// Every key of the current context, from the same tables that handle them.
pub fn render_help(area: Rect, buf: &mut Buffer, tables: &[&[Binding]], theme: Theme) {
    let mut lines = vec![
        Line::from(Span::styled("Keys", theme.heading())),
        Line::default(),
    ];
    let mut seen: Vec<&str> = Vec::new();
    for b in tables.iter().flat_map(|t| t.iter()) {
        if seen.contains(&b.label) {
            continue;
        }
        seen.push(b.label);
        lines.push(Line::from(vec![
            Span::styled(format!(" {:<8}", b.label), theme.key()),
            Span::raw(format!("  {}", b.help)),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "Esc or ? closes this help",
        theme.dim(),
    )));
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, 48, height);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(Block::bordered().title(" Help "))
        .render(rect, buf);
}

/// A one-line question answered in the date language ("snooze until?").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhenPrompt {
    pub question: String,
    pub input: String,
    /// The follow-up it is about.
    pub followup: i64,
}

impl WhenPrompt {
    pub fn new(question: impl Into<String>, followup: i64) -> Self {
        WhenPrompt {
            question: question.into(),
            input: String::new(),
            followup,
        }
    }

    /// Edits the input with a key; returns false for keys it does not take.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        match key.code {
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .contains(crossterm::event::KeyModifiers::CONTROL) =>
            {
                self.input.push(c);
                true
            }
            KeyCode::Backspace => {
                self.input.pop();
                true
            }
            _ => false,
        }
    }

    /// The input read as a when.
    pub fn parsed(&self, now: &DateTime<Local>) -> Result<When, when::WhenError> {
        when::parse_when(&self.input, now)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, now: &DateTime<Local>, theme: Theme) {
        let preview = if self.input.trim().is_empty() {
            Line::from(Span::styled(
                "e.g. +1d, +1w, fri, mon 9:00, 2026-12-01",
                theme.dim(),
            ))
        } else {
            match self.parsed(now) {
                Ok(w) => Line::from(Span::styled(
                    format!("→ {}", w.describe(now.date_naive())),
                    theme.good(),
                )),
                Err(e) => Line::from(Span::styled(
                    sanitize_line(&e.to_string()).into_owned(),
                    theme.alert(),
                )),
            }
        };
        let lines = vec![
            Line::from(sanitize_line(&self.question).into_owned()),
            Line::from(vec![
                Span::raw("> "),
                Span::raw(sanitize_line(&self.input).into_owned()),
                Span::styled("█", theme.dim()),
            ]),
            preview,
            Line::from(Span::styled("Enter: snooze · Esc: cancel", theme.dim())),
        ];
        let rect = centered(area, 60, 6);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Snooze "))
            .render(rect, buf);
    }
}
