//! The popups on a meeting (agenda, prep screen), each a component replying one `ops` command:
//! `r` reschedules (a when-prompt with the parsed time as you type, and an optional new
//! length), `c` cancels with an optional reason, and `d` on a meeting still ahead asks first
//! ("This meeting is in 3 h — mark it done now? y/n") before the outcome popup.

use chrono::{DateTime, Local};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::StatusKind;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::{Binding, CONFIRM, Key, LINE};
use super::screens::RenderCtx;
use super::theme::Theme;
use crate::capture::{describe_due, meeting_start};
use crate::domain::{Due, Id, Timestamp};
use crate::ops::{CancelMeeting, MoveMeeting};
use crate::text::sanitize_line;
use crate::when;

/// The keys of the reschedule prompt (other keys type into its field).
const RESCHEDULE: &[Binding] = &[
    Binding {
        keys: &[Key::plain(KeyCode::Enter)],
        label: "Enter",
        help: "move the meeting",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Tab)],
        label: "Tab",
        help: "time / length",
        action: Action::NextTab,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::BackTab)],
        label: "S-Tab",
        help: "time / length",
        action: Action::PrevTab,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc)],
        label: "Esc",
        help: "cancel",
        action: Action::Back,
        footer: true,
    },
];

/// The meeting a popup is about, as the screen showed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingShown {
    pub id: Id,
    pub version: i64,
    /// "#i5 Tender review · Fri 4 Dec 10:00" (raw: sanitized when drawn).
    pub label: String,
}

/// Types a key into a one-line field; false for keys it does not take.
fn type_into(s: &mut String, key: &KeyEvent) -> bool {
    match key.code {
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
            s.push(c);
            true
        }
        KeyCode::Backspace => s.pop().is_some(),
        _ => false,
    }
}

/// Draws a small bordered popup of `lines`, wrapped to its width and as tall as they are.
fn draw(area: Rect, buf: &mut Buffer, title: &str, lines: Vec<Line<'static>>) {
    super::popup::wrapped(area, buf, title, lines, 66);
}

/// `r`: to when (and for how long) the meeting moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reschedule {
    pub meeting: MeetingShown,
    pub to: String,
    pub length: String,
    /// The length field has the focus (else the time).
    pub on_length: bool,
}

impl Reschedule {
    pub fn new(meeting: MeetingShown) -> Self {
        Reschedule {
            meeting,
            to: String::new(),
            length: String::new(),
            on_length: false,
        }
    }

    /// The new start and, when one was typed, the new length.
    fn parsed(
        &self,
        now: &DateTime<Local>,
    ) -> Result<(Timestamp, Option<chrono::TimeDelta>), String> {
        if self.to.trim().is_empty() {
            return Err("to when? e.g. fri 10:00, +1d 9:30".to_string());
        }
        let to = meeting_start(&self.to, now)?;
        let length = (!self.length.trim().is_empty())
            .then(|| when::parse_duration(&self.length))
            .transpose()
            .map_err(|e| format!("length: {e}"))?;
        Ok((to, length))
    }
}

impl Component for Reschedule {
    fn bindings(&self) -> &'static [Binding] {
        RESCHEDULE
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::NextTab | Action::PrevTab => {
                self.on_length = !self.on_length;
                Reply::Stay
            }
            Action::Save => match self.parsed(&ctx.now) {
                Ok((to, length)) => Reply::Run(Box::new(MoveMeeting {
                    id: self.meeting.id,
                    version: Some(self.meeting.version),
                    to,
                    length,
                })),
                // The prompt stays open with what was typed.
                Err(e) => Reply::Say(format!("Not moved — {e}"), StatusKind::Error),
            },
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        let field = if self.on_length {
            &mut self.length
        } else {
            &mut self.to
        };
        type_into(field, key);
        Reply::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let now = ctx.now;
        let preview = if self.to.trim().is_empty() {
            Span::styled(
                "e.g. fri 10:00, tomorrow 9:30, 2026-12-01 16:00",
                theme.dim(),
            )
        } else {
            match meeting_start(&self.to, &now) {
                Ok(at) => Span::styled(
                    format!("→ {}", describe_due(Due::At(at), now.date_naive())),
                    theme.good(),
                ),
                Err(e) => Span::styled(sanitize_line(&e).into_owned(), theme.alert()),
            }
        };
        let length = if self.length.trim().is_empty() {
            Span::styled("optional: 45m, 1h30 (else it keeps its own)", theme.dim())
        } else {
            match when::parse_duration(&self.length) {
                Ok(d) => Span::styled(format!("→ {} min", d.num_minutes()), theme.good()),
                Err(e) => Span::styled(sanitize_line(&e.to_string()).into_owned(), theme.alert()),
            }
        };
        let lines = vec![
            Line::from(format!(
                "Move {} to when?",
                sanitize_line(&self.meeting.label)
            )),
            field_line("To", &self.to, !self.on_length, theme),
            Line::from(vec![Span::raw("        "), preview]),
            field_line("Length", &self.length, self.on_length, theme),
            Line::from(vec![Span::raw("        "), length]),
            Line::from(Span::styled(
                "Enter: move · Tab: time / length · Esc: cancel",
                theme.dim(),
            )),
        ];
        draw(area, buf, "Reschedule", lines);
    }
}

fn field_line(label: &str, value: &str, focused: bool, theme: Theme) -> Line<'static> {
    let style = if focused {
        theme.heading()
    } else {
        theme.dim()
    };
    let mut spans = vec![
        Span::styled(format!("{label:<7} "), style),
        Span::raw(sanitize_line(value).into_owned()),
    ];
    if focused {
        spans.push(Span::styled("█", theme.dim()));
    }
    Line::from(spans)
}

/// `c`: cancel the meeting, with an optional reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelPrompt {
    pub meeting: MeetingShown,
    pub reason: String,
}

impl CancelPrompt {
    pub fn new(meeting: MeetingShown) -> Self {
        CancelPrompt {
            meeting,
            reason: String::new(),
        }
    }
}

impl Component for CancelPrompt {
    fn bindings(&self) -> &'static [Binding] {
        LINE
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Save => {
                let reason = self.reason.trim();
                Reply::Run(Box::new(CancelMeeting {
                    id: self.meeting.id,
                    version: Some(self.meeting.version),
                    reason: (!reason.is_empty()).then(|| reason.to_string()),
                }))
            }
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        type_into(&mut self.reason, key);
        Reply::Stay
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let theme = ctx.theme;
        let lines = vec![
            Line::from(format!(
                "Cancel {}? It stays in the timeline, not as contact.",
                sanitize_line(&self.meeting.label)
            )),
            field_line("Why", &self.reason, true, theme),
            Line::from(Span::styled(
                "Enter: cancel the meeting (empty: no reason) · Esc: keep it",
                theme.dim(),
            )),
        ];
        draw(area, buf, "Cancel meeting", lines);
    }
}

/// A yes/no question before a popup: "This meeting is in 3 h — mark it done now?".
pub struct ConfirmAhead {
    pub question: String,
    pub title: String,
    next: Option<Box<dyn Component>>,
}

impl ConfirmAhead {
    pub fn new(question: String, title: String, next: Box<dyn Component>) -> Self {
        ConfirmAhead {
            question,
            title,
            next: Some(next),
        }
    }
}

impl Component for ConfirmAhead {
    fn bindings(&self) -> &'static [Binding] {
        CONFIRM
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Save => self.next.take().map_or(Reply::Close, Reply::Replace),
            Action::Back => Reply::Close,
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let lines = vec![
            Line::from(sanitize_line(&self.title).into_owned()),
            Line::from(format!("{} y/n", sanitize_line(&self.question))),
            Line::from(Span::styled(
                "y/Enter: yes, then its outcome · n/Esc: no",
                ctx.theme.dim(),
            )),
        ];
        draw(area, buf, "Mark done?", lines);
    }
}
