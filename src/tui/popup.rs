//! Small popups over the screens, each a [`Component`]: the `?` help generated from the
//! keymaps, a one-line prompt (snooze to when?) that shows the parsed date as you type, a
//! chooser of a ladder's values (a dossier's stage, role, attitude; a link's kind) and a
//! one-line free-text prompt (the reason of a stage move). None writes: a pick or an answer
//! becomes an `ops` command the app runs.

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
use crate::domain::{Due, Id, LinkKind, Person};
use crate::ops::{EditPerson, MoveStage};
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

/// Draws `lines` in a bordered popup at most `width` wide, wrapped to it and as tall as the
/// wrapped text (within `area`): nothing from data is cut at the popup's edge. `title` goes on
/// the border when it fits there, else as the first lines of the text, wrapped too.
pub fn wrapped(area: Rect, buf: &mut Buffer, title: &str, lines: Vec<Line<'static>>, width: u16) {
    let width = width.min(area.width);
    let title = sanitize_line(title).into_owned();
    let on_border = crate::text::width(&title) + 4 <= usize::from(width);
    let mut block = Block::bordered();
    let mut body = lines;
    if on_border {
        block = block.title(format!(" {title} "));
    } else {
        body.insert(
            0,
            Line::from(Span::raw(title)).style(ratatui::style::Modifier::BOLD),
        );
    }
    let paragraph = Paragraph::new(body).wrap(Wrap { trim: false }).block(block);
    // `line_count` wraps to the width it is given but adds only the block's top and bottom:
    // it is given the width inside the side borders.
    let height = u16::try_from(paragraph.line_count(width.saturating_sub(2))).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    paragraph.render(rect, buf);
}

/// Every key of the current context, from the same tables that handle them. A description
/// longer than its column wraps under itself: nothing is cut.
pub fn render_help(area: Rect, buf: &mut Buffer, tables: &[&[Binding]], theme: Theme) {
    /// Width of one column of keys; of its key labels.
    const CELL: usize = 34;
    const KEY: usize = 8;
    let mut entries: Vec<&Binding> = Vec::new();
    for b in tables.iter().flat_map(|t| t.iter()) {
        if !entries.iter().any(|e| e.label == b.label) {
            entries.push(b);
        }
    }
    // Each entry as its lines: the key, then the description wrapped to the column.
    let blocks: Vec<Vec<(String, String)>> = entries
        .iter()
        .map(|b| {
            super::wrap::wrap(b.help, CELL - KEY - 2)
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    let key = if i == 0 { b.label } else { "" };
                    (format!(" {key:<w$}", w = KEY - 1), format!(" {text}"))
                })
                .collect()
        })
        .collect();
    let total: usize = blocks.iter().map(Vec::len).sum();
    // One column when it fits, two side by side when the terminal is short.
    let room = usize::from(area.height.saturating_sub(4)).max(1);
    let mut columns: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for block in blocks {
        let full = columns.last().map_or(0, Vec::len);
        if total > room && columns.len() == 1 && full >= total.div_ceil(2) {
            columns.push(Vec::new());
        }
        if let Some(c) = columns.last_mut() {
            c.extend(block);
        }
    }
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut lines = Vec::new();
    for row in 0..rows {
        let mut spans = Vec::new();
        for column in &columns {
            let (key, text) = column.get(row).cloned().unwrap_or_default();
            spans.push(Span::styled(crate::text::fit(&key, KEY), theme.key()));
            spans.push(Span::raw(crate::text::fit(&text, CELL - KEY)));
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        " Esc or ? closes this help",
        theme.dim(),
    )));
    let width = u16::try_from(columns.len() * CELL + 2).unwrap_or(u16::MAX);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    Paragraph::new(lines)
        .block(Block::bordered().title(" Keys "))
        .render(rect, buf);
}

/// Types `key` into a one-line `input`: a character (not a Ctrl one) is added, Backspace takes
/// the last one; returns false for the keys it does not take.
fn type_into(input: &mut String, key: &KeyEvent) -> bool {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .contains(crossterm::event::KeyModifiers::CONTROL) =>
        {
            input.push(c);
            true
        }
        KeyCode::Backspace => {
            input.pop();
            true
        }
        _ => false,
    }
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
        type_into(&mut self.input, key)
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
        wrapped(area, buf, "Snooze", lines, 64);
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
        crate::capture::due_of(&when, &self.input).map_err(|e| e.to_string())
    }
}

/// The `?` help: every key of the screen it was opened over, from the tables that handle them.
pub struct Help {
    tables: Vec<&'static [Binding]>,
}

impl Help {
    pub fn new(tables: Vec<&'static [Binding]>) -> Self {
        Help { tables }
    }
}

impl Component for Help {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::HELP
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        render_help(area, buf, &self.tables, ctx.theme);
    }
}

/// What picking a value of a [`Chooser`] does.
#[derive(Debug, Clone)]
pub enum Pick {
    /// A new stage of the record (`id` at `version`, named `label`): the reason prompt comes
    /// next; the stage it already has goes straight to `ops` (which says so, writing nothing).
    Stage {
        ladder: crate::domain::Ladder,
        id: Id,
        version: i64,
        label: String,
    },
    /// A person's buying role, saved at once.
    Role { person: Box<Person>, version: i64 },
    /// A person's attitude toward us, saved at once.
    Attitude { person: Box<Person>, version: i64 },
    /// The kind of a new power-map link from this person: the person picker comes next.
    LinkKind { from: Id, from_name: String },
}

/// A short list of a ladder's values to pick one from, the current one marked.
pub struct Chooser {
    pub pick: Pick,
    pub title: String,
    pub options: Vec<&'static str>,
    pub current: Option<usize>,
    pub cursor: usize,
}

impl Chooser {
    /// Opens on the current value (or the first).
    pub fn new(
        pick: Pick,
        title: impl Into<String>,
        options: Vec<&'static str>,
        current: Option<&str>,
    ) -> Self {
        let current = current.and_then(|c| options.iter().position(|o| *o == c));
        Chooser {
            pick,
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

    /// What picking `value` asks of the app.
    fn chosen(&self, value: &'static str) -> Result<Reply, crate::ops::OpsError> {
        Ok(match &self.pick {
            Pick::Stage {
                ladder,
                id,
                version,
                label,
            } => {
                let stage = MoveStage {
                    id: *id,
                    to: crate::domain::AnyStage::parse(*ladder, value)?,
                    note: None,
                    label: label.clone(),
                    version: Some(*version),
                };
                if self.current == Some(self.cursor) {
                    Reply::Run(Box::new(stage))
                } else {
                    let from = self
                        .current
                        .and_then(|c| self.options.get(c))
                        .copied()
                        .unwrap_or("no stage");
                    Reply::Replace(Box::new(LinePrompt::new(
                        format!("{from} → {value}"),
                        "Why? (optional)",
                        stage,
                    )))
                }
            }
            Pick::Role { person, version } => Reply::Run(Box::new(EditPerson {
                person: Person {
                    role: Some(value.parse()?),
                    ..(**person).clone()
                },
                version: *version,
                stage: None,
                append_personal: None,
            })),
            Pick::Attitude { person, version } => Reply::Run(Box::new(EditPerson {
                person: Person {
                    attitude: Some(value.parse()?),
                    ..(**person).clone()
                },
                version: *version,
                stage: None,
                append_personal: None,
            })),
            Pick::LinkKind { from, from_name } => {
                Reply::Replace(Box::new(super::linking::LinkPicker::new(
                    *from,
                    from_name.clone(),
                    value.parse::<LinkKind>()?,
                )))
            }
        })
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
        wrapped(area, buf, &self.title, lines, 36);
    }
}

impl Component for Chooser {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::CHOOSE
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Up => self.up(),
            Action::Down => self.down(),
            Action::Back => return Reply::Close,
            Action::Save => {
                let Some(value) = self.picked() else {
                    return Reply::Close;
                };
                return self
                    .chosen(value)
                    .unwrap_or_else(|e| Reply::Say(format!("Not saved — {e}"), StatusKind::Error));
            }
            _ => {}
        }
        Reply::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        Chooser::render(self, area, buf, ctx.theme);
    }
}

/// The optional reason of a stage move ("why?"), asked once the stage is picked; an empty
/// answer moves it without one.
pub struct LinePrompt {
    pub title: String,
    pub question: String,
    pub input: String,
    /// The move the answer is the reason of.
    pub stage: MoveStage,
}

impl LinePrompt {
    pub fn new(title: impl Into<String>, question: impl Into<String>, stage: MoveStage) -> Self {
        LinePrompt {
            title: title.into(),
            question: question.into(),
            input: String::new(),
            stage,
        }
    }

    /// Edits the input with a key; returns false for keys it does not take.
    pub fn key(&mut self, key: &KeyEvent) -> bool {
        type_into(&mut self.input, key)
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

impl Component for LinePrompt {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::LINE
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Save => {
                let reason = self.input.trim();
                Reply::Run(Box::new(MoveStage {
                    note: Some(reason.to_string()).filter(|r| !r.is_empty()),
                    ..self.stage.clone()
                }))
            }
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        self.key(key);
        Reply::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        LinePrompt::render(self, area, buf, ctx.theme);
    }
}

/// A yes/no question before a command: "Cancel follow-up #f9 Book the room…?". Yes replies
/// the command (the app runs it through `ops`); no closes, writing nothing.
pub struct ConfirmRun {
    title: &'static str,
    question: String,
    command: Option<Box<dyn crate::ops::Command>>,
}

impl ConfirmRun {
    pub fn new(
        title: &'static str,
        question: String,
        command: Box<dyn crate::ops::Command>,
    ) -> Self {
        ConfirmRun {
            title,
            question,
            command: Some(command),
        }
    }
}

impl Component for ConfirmRun {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::CONFIRM
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Save => self.command.take().map_or(Reply::Close, Reply::Run),
            Action::Back => Reply::Close,
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let lines = vec![
            Line::from(format!("{} y/n", sanitize_line(&self.question))),
            Line::from(Span::styled("y/Enter: yes · n/Esc: no", ctx.theme.dim())),
        ];
        wrapped(area, buf, self.title, lines, 64);
    }
}
