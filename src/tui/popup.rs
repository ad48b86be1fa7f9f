//! Small popups over the screens: the `?` help generated from the keymaps, a one-line prompt
//! (snooze to when?) that shows the parsed date as you type, a chooser of a ladder's values
//! (a dossier's stage, role, attitude) and a one-line free-text prompt (the reason of a move).

use chrono::{DateTime, Local};
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Widget, Wrap};

use super::action::Action;
use super::app::StatusKind;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::Binding;
use super::screens::RenderCtx;
use super::theme::Theme;
use crate::domain::Due;
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
    /// Width of one column of keys.
    const CELL: usize = 34;
    let mut entries: Vec<&Binding> = Vec::new();
    for b in tables.iter().flat_map(|t| t.iter()) {
        if !entries.iter().any(|e| e.label == b.label) {
            entries.push(b);
        }
    }
    // One column when it fits, two side by side when the terminal is short.
    let room = usize::from(area.height.saturating_sub(4)).max(1);
    let columns = if entries.len() <= room { 1 } else { 2 };
    let per_column = entries.len().div_ceil(columns);
    let mut lines = Vec::new();
    for row in 0..per_column {
        let mut spans = Vec::new();
        for col in 0..columns {
            if let Some(b) = entries.get(col * per_column + row) {
                spans.push(Span::styled(format!(" {:<7}", b.label), theme.key()));
                spans.push(Span::raw(crate::text::fit(
                    &format!(" {}", b.help),
                    CELL - 8,
                )));
            }
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        " Esc or ? closes this help",
        theme.dim(),
    )));
    let width = u16::try_from(columns * CELL + 2).unwrap_or(u16::MAX);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(Block::bordered().title(" Keys "))
        .render(rect, buf);
}

/// A one-line question answered in the date language ("snooze until?").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhenPrompt {
    pub question: String,
    pub input: String,
    /// The follow-up it is about, and the version shown.
    pub followup: i64,
    pub version: i64,
}

impl WhenPrompt {
    pub fn new(question: impl Into<String>, followup: i64, version: i64) -> Self {
        WhenPrompt {
            question: question.into(),
            input: String::new(),
            followup,
            version,
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
        let rect = centered(area, 64, 8);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Snooze "))
            .render(rect, buf);
    }
}

impl Component for WhenPrompt {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::LINE
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Save => match self.due(&ctx.now) {
                Ok(due) => Reply::Run(Box::new(crate::ops::SnoozeFollowUp {
                    id: self.followup,
                    version: Some(self.version),
                    due,
                })),
                // The prompt stays open with what was typed: the user picks another day.
                Err(message) => Reply::Say(format!("Not snoozed — {message}"), StatusKind::Error),
            },
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        self.key(key);
        Reply::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        WhenPrompt::render(self, area, buf, &ctx.now, ctx.theme);
    }
}

impl WhenPrompt {
    /// The due date typed: a day, or an instant when a time was given.
    fn due(&self, now: &DateTime<Local>) -> Result<Due, String> {
        let when = self.parsed(now).map_err(|e| e.to_string())?;
        Ok(match when.time {
            Some(t) => Due::At(
                crate::when::resolve(when.date, t, &Local, &self.input)
                    .map_err(|e| e.to_string())?,
            ),
            None => Due::Day(when.date),
        })
    }
}

/// Which field of a dossier a chooser changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Stage,
    Role,
    Attitude,
    /// The kind of a new power-map link.
    LinkKind,
}

/// A short list of a ladder's values to pick one from, the current one marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chooser {
    pub field: Field,
    pub title: String,
    pub options: Vec<&'static str>,
    pub current: Option<usize>,
    pub cursor: usize,
}

impl Chooser {
    /// Opens on the current value (or the first).
    pub fn new(
        field: Field,
        title: impl Into<String>,
        options: Vec<&'static str>,
        current: Option<&str>,
    ) -> Self {
        let current = current.and_then(|c| options.iter().position(|o| *o == c));
        Chooser {
            field,
            title: title.into(),
            options,
            cursor: current.unwrap_or(0),
            current,
        }
    }

    pub fn up(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn down(&mut self) {
        self.cursor = (self.cursor + 1).min(self.options.len().saturating_sub(1));
    }

    /// The value under the cursor.
    pub fn picked(&self) -> Option<&'static str> {
        self.options.get(self.cursor).copied()
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let mut lines: Vec<Line> = self
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let mark = if Some(i) == self.current { "•" } else { " " };
                let now = if Some(i) == self.current {
                    "  (now)"
                } else {
                    ""
                };
                let line = Line::from(format!(" {mark} {o}{now}"));
                if i == self.cursor {
                    line.style(theme.selected())
                } else {
                    line
                }
            })
            .collect();
        lines.push(Line::from(Span::styled(
            " Enter: pick · Esc: cancel",
            theme.dim(),
        )));
        let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let rect = centered(area, 36, height);
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" {} ", sanitize_line(&self.title))))
            .render(rect, buf);
    }
}

/// A one-line free-text question ("why?"); an empty answer is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinePrompt {
    pub title: String,
    pub question: String,
    pub input: String,
    /// The value chosen before the prompt (the new stage).
    pub value: &'static str,
}

impl LinePrompt {
    pub fn new(title: impl Into<String>, question: impl Into<String>, value: &'static str) -> Self {
        LinePrompt {
            title: title.into(),
            question: question.into(),
            input: String::new(),
            value,
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

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let rect = centered(area, 60, 5);
        // Show the end of a long answer, where the cursor is.
        let room = usize::from(rect.width).saturating_sub(5);
        let input = sanitize_line(&self.input);
        let chars: Vec<char> = input.chars().collect();
        let mut shown = String::new();
        for c in chars.iter().rev() {
            if crate::text::width(&shown) + 2 > room {
                break;
            }
            shown.insert(0, *c);
        }
        let lines = vec![
            Line::from(sanitize_line(&self.question).into_owned()),
            Line::from(vec![
                Span::raw("> "),
                Span::raw(shown),
                Span::styled("█", theme.dim()),
            ]),
            Line::from(Span::styled(
                "Enter: save (empty: no reason) · Esc: cancel",
                theme.dim(),
            )),
        ];
        Clear.render(rect, buf);
        Paragraph::new(lines)
            .block(Block::bordered().title(format!(" {} ", sanitize_line(&self.title))))
            .render(rect, buf);
    }
}
