//! The capture popup (`n` note, `f` follow-up, `m` meeting from any screen; `d` on a meeting for
//! its outcome): its state, its draft and the check of what was typed. It is a component
//! (`component.rs`): it reads candidates for its pickers, and on `Ctrl-S` turns a checked
//! [`Plan`] into one `ops` command (`command.rs`) that the app runs; it never writes.
//!
//! A meeting given a time in the past is logged, done, in one step (`kam meeting log`): the
//! popup says so and asks for its kind, its outcome and the next follow-up.
//!
//! Draft rule: while the popup is open, what is typed is kept as a [`Draft`] in the notebook
//! (the app saves it on its tick at most once a second, and on quit, suspend and signals);
//! saving the capture or discarding it (`Esc` then `y`) removes the draft. The next start offers
//! the newest draft back in this popup.

mod check;
mod command;
mod component;
mod form;
pub mod picker;

use std::time::Instant;

use chrono::{DateTime, Local};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;
use serde_json::Value;

use crate::capture::PendingFollowUp;
use crate::domain::{Draft, DraftKind, Due, Id, InteractionKind, RecordKind, Timestamp};

use picker::{Picker, Target};

/// What the popup captures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    Note,
    FollowUp,
    Meeting,
    /// The outcome of a meeting just marked done (its version after closing it).
    Outcome {
        meeting: Id,
        version: i64,
        title: String,
    },
}

/// A field of the popup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Target,
    Text,
    /// The date field: a note's or an outcome's next follow-up, a follow-up's due, a
    /// meeting's start.
    When,
    /// A meeting's length.
    Duration,
    /// A meeting's place.
    Location,
    /// A meeting's kind: meeting, visit, call, event, meal.
    Kind,
    /// A meeting's attendees, picked among the people.
    With,
    /// What a planned meeting is to achieve (it leads the brief).
    Goal,
    /// The questions to ask at a planned meeting, separated by `;`.
    Ask,
    /// How a logged meeting went.
    Outcome,
    /// A logged meeting's next follow-up ("+3d send the offer").
    Next,
}

/// What a key asks of the popup's owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    None,
    /// A picker's query changed: read the candidates for it.
    Search(Field, String),
    /// The attendee picker got the focus with nothing typed: list the account's people.
    People,
    /// The user confirmed throwing the capture away.
    Discard,
}

/// A checked capture, ready to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Note {
        target: Target,
        body: String,
        next: Option<PendingFollowUp>,
    },
    FollowUp {
        target: Target,
        text: String,
        due: Due,
    },
    /// A meeting ahead, planned.
    Meeting(MeetingPlan),
    /// A meeting that already happened, logged done with its outcome.
    Log(MeetingPlan),
    Outcome {
        meeting: Id,
        version: i64,
        outcome: Option<String>,
        next: Option<PendingFollowUp>,
    },
}

/// A checked meeting, ahead or past.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingPlan {
    pub target: Target,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub kind: InteractionKind,
    pub title: Option<String>,
    pub body: Option<String>,
    pub location: Option<String>,
    /// The attendees picked, besides the target.
    pub with: Vec<Id>,
    /// What a planned meeting is to achieve, and the questions to ask there.
    pub goal: Option<String>,
    pub asks: Vec<String>,
    /// How a logged meeting went, and its next step.
    pub outcome: Option<String>,
    pub next: Option<PendingFollowUp>,
}

/// The popup's state.
#[derive(Debug, Clone)]
pub struct Capture {
    pub mode: Mode,
    pub picker: Picker,
    pub text: TextArea<'static>,
    pub when: String,
    pub duration: String,
    pub location: String,
    /// A meeting's kind as typed (empty: a meeting).
    pub kind: String,
    /// The attendee picker (its query and candidates).
    pub with: Picker,
    /// The attendees picked, in order.
    pub attendees: Vec<Target>,
    pub goal: String,
    pub ask: String,
    pub outcome: String,
    pub next: String,
    pub focus: Field,
    /// The field that stopped the last save, and why (one line).
    pub error: Option<(Field, String)>,
    /// `Esc` was pressed with text typed: "discard? y/n".
    pub confirm_discard: bool,
    /// The draft's row (0: not saved yet).
    pub draft_id: Id,
    /// Changed since the draft was last saved.
    pub dirty: bool,
    /// When the draft was last saved (rate limit, not domain time).
    pub saved_at: Option<Instant>,
    /// What the `@name` mentions of the note being saved linked (the status line adds it).
    pub mentioned: Vec<crate::capture::mention::MentionOutcome>,
}

impl Capture {
    pub fn new(mode: Mode, target: Option<Target>) -> Self {
        let focus = match (&mode, &target) {
            (Mode::Meeting, Some(_)) => Field::When,
            (Mode::Outcome { .. }, _) | (_, Some(_)) => Field::Text,
            (_, None) => Field::Target,
        };
        let mut c = Capture {
            mode,
            picker: Picker::with(target),
            text: TextArea::default(),
            when: String::new(),
            duration: String::new(),
            location: String::new(),
            kind: String::new(),
            with: Picker::default(),
            attendees: Vec::new(),
            goal: String::new(),
            ask: String::new(),
            outcome: String::new(),
            next: String::new(),
            focus,
            error: None,
            confirm_discard: false,
            draft_id: 0,
            dirty: false,
            saved_at: None,
            mentioned: Vec::new(),
        };
        c.show_focus();
        c
    }

    /// The popup back from a saved draft (its target looked up by the app).
    pub fn from_draft(draft: &Draft, mode: Mode, target: Option<Target>) -> Self {
        let mut c = Capture::new(mode, target);
        c.set_text(&draft.text);
        c.when = draft.when.clone().unwrap_or_default();
        let field = |k: &str| {
            draft
                .fields
                .get(k)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        c.duration = field("for");
        c.location = field("location");
        c.kind = field("kind");
        c.goal = field("goal");
        c.ask = field("ask");
        c.outcome = field("outcome");
        c.next = field("next");
        c.attendees = draft
            .fields
            .get("with")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(attendee_of).collect())
            .unwrap_or_default();
        c.draft_id = draft.id;
        c.dirty = false;
        c
    }

    /// The draft of what is typed.
    pub fn to_draft(&self) -> Draft {
        let kind = match self.mode {
            Mode::FollowUp => DraftKind::FollowUp,
            Mode::Meeting => DraftKind::Meeting,
            Mode::Note | Mode::Outcome { .. } => DraftKind::Note,
        };
        let mut draft = Draft {
            id: self.draft_id,
            target: self
                .picker
                .chosen
                .as_ref()
                .map(|t| (t.kind.record_kind(), t.id)),
            text: self.text_string(),
            when: (!self.when.is_empty()).then(|| self.when.clone()),
            ..Draft::new(kind)
        };
        for (k, v) in [
            ("for", &self.duration),
            ("location", &self.location),
            ("kind", &self.kind),
            ("goal", &self.goal),
            ("ask", &self.ask),
            ("outcome", &self.outcome),
            ("next", &self.next),
        ] {
            if !v.is_empty() {
                draft.fields.insert(k.into(), v.clone().into());
            }
        }
        if !self.attendees.is_empty() {
            let list = self
                .attendees
                .iter()
                .map(|t| serde_json::json!({ "id": t.id, "name": t.name }))
                .collect();
            draft.fields.insert("with".into(), Value::Array(list));
        }
        if let Mode::Outcome {
            meeting,
            version,
            title,
        } = &self.mode
        {
            draft.fields.insert("meeting".into(), (*meeting).into());
            draft.fields.insert("version".into(), (*version).into());
            draft.fields.insert("title".into(), title.clone().into());
        }
        draft
    }

    /// The kind of capture, in words ("note", "follow-up", "meeting", "outcome").
    pub fn noun(&self) -> &'static str {
        match self.mode {
            Mode::Note => "note",
            Mode::FollowUp => "follow-up",
            Mode::Meeting => "meeting",
            Mode::Outcome { .. } => "outcome",
        }
    }

    /// The fields of this kind, in `Tab` order: a meeting in the past (logged) asks for its
    /// outcome and next step, a meeting ahead for its goal.
    pub fn fields(&self, now: &DateTime<Local>) -> &'static [Field] {
        match self.mode {
            Mode::Note | Mode::FollowUp => &[Field::Target, Field::Text, Field::When],
            Mode::Meeting if self.logging(now) => &[
                Field::Target,
                Field::When,
                Field::Duration,
                Field::Location,
                Field::Text,
                Field::Kind,
                Field::With,
                Field::Outcome,
                Field::Next,
            ],
            Mode::Meeting => &[
                Field::Target,
                Field::When,
                Field::Duration,
                Field::Location,
                Field::Text,
                Field::Kind,
                Field::With,
                Field::Goal,
                Field::Ask,
            ],
            Mode::Outcome { .. } => &[Field::Text, Field::When],
        }
    }

    /// A meeting whose time, as typed, is already past: it is logged as done.
    pub fn logging(&self, now: &DateTime<Local>) -> bool {
        self.mode == Mode::Meeting && self.start(now).is_ok_and(|s| s <= now.fixed_offset())
    }

    /// Something was typed (a target chosen from the screen alone does not count).
    pub fn has_typed(&self) -> bool {
        !self.text.is_empty()
            || [
                &self.when,
                &self.duration,
                &self.location,
                &self.kind,
                &self.goal,
                &self.ask,
                &self.outcome,
                &self.next,
            ]
            .iter()
            .any(|s| !s.is_empty())
            || !self.attendees.is_empty()
    }

    pub fn text_string(&self) -> String {
        let s = self.text.lines().join("\n");
        if s.trim().is_empty() {
            String::new()
        } else {
            s
        }
    }

    /// Replaces the text (from `$EDITOR` or a draft); the cursor goes to its end.
    pub fn set_text(&mut self, text: &str) {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        self.text = TextArea::new(lines);
        self.text.move_cursor(ratatui_textarea::CursorMove::Bottom);
        self.text.move_cursor(ratatui_textarea::CursorMove::End);
        self.dirty = true;
        self.show_focus();
    }

    fn show_focus(&mut self) {
        let on = self.focus == Field::Text;
        self.text.set_cursor_line_style(Style::default());
        self.text.set_cursor_style(if on {
            Style::default().add_modifier(Modifier::REVERSED)
        } else {
            Style::default()
        });
    }

    /// Shows why `field` stops the save, with the focus on it.
    pub fn fail(&mut self, field: Field, message: String) {
        self.focus = field;
        self.error = Some((field, message));
        self.show_focus();
    }

    /// `Tab` / `Shift-Tab`.
    pub fn move_focus(&mut self, forward: bool, now: &DateTime<Local>) -> Request {
        let fields = self.fields(now);
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = fields.len();
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        self.focus = fields[next];
        self.show_focus();
        if self.focus == Field::With && self.with.query.is_empty() {
            Request::People
        } else {
            Request::None
        }
    }

    /// `Esc`: true when the popup may close now; otherwise it asks "discard? y/n" first (or
    /// stops asking).
    pub fn cancel(&mut self) -> bool {
        if self.confirm_discard {
            self.confirm_discard = false;
            false
        } else if self.has_typed() {
            self.confirm_discard = true;
            false
        } else {
            true
        }
    }

    /// A key for the focused field.
    pub fn key(&mut self, key: &KeyEvent, now: &DateTime<Local>) -> Request {
        if self.confirm_discard {
            match key.code {
                KeyCode::Char('y' | 'Y') => return Request::Discard,
                KeyCode::Char('n' | 'N') => self.confirm_discard = false,
                _ => {}
            }
            return Request::None;
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let edit = |s: &mut String| match key.code {
            KeyCode::Char(c) if !ctrl => {
                s.push(c);
                true
            }
            KeyCode::Backspace => s.pop().is_some(),
            _ => false,
        };
        let changed = match self.focus {
            Field::Target => return self.picker_key(key, ctrl, now),
            Field::With => return self.with_key(key, ctrl, now),
            Field::Text => self.text.input(*key),
            field => self.line_mut(field).is_some_and(edit),
        };
        if key.code == KeyCode::Enter && self.focus != Field::Text {
            return self.move_focus(true, now);
        }
        if changed {
            self.dirty = true;
            if self.error.as_ref().is_some_and(|(f, _)| *f == self.focus) {
                self.error = None;
            }
        }
        Request::None
    }

    /// The text of a one-line field.
    pub fn line(&self, field: Field) -> &str {
        match field {
            Field::When => &self.when,
            Field::Duration => &self.duration,
            Field::Location => &self.location,
            Field::Kind => &self.kind,
            Field::Goal => &self.goal,
            Field::Ask => &self.ask,
            Field::Outcome => &self.outcome,
            Field::Next => &self.next,
            Field::Target | Field::Text | Field::With => "",
        }
    }

    fn line_mut(&mut self, field: Field) -> Option<&mut String> {
        Some(match field {
            Field::When => &mut self.when,
            Field::Duration => &mut self.duration,
            Field::Location => &mut self.location,
            Field::Kind => &mut self.kind,
            Field::Goal => &mut self.goal,
            Field::Ask => &mut self.ask,
            Field::Outcome => &mut self.outcome,
            Field::Next => &mut self.next,
            Field::Target | Field::Text | Field::With => return None,
        })
    }

    fn picker_key(&mut self, key: &KeyEvent, ctrl: bool, now: &DateTime<Local>) -> Request {
        match key.code {
            KeyCode::Up => self.picker.up(),
            KeyCode::Down => self.picker.down(),
            KeyCode::Enter if self.picker.pick() => {
                self.dirty = true;
                self.error = None;
                return self.move_focus(true, now);
            }
            KeyCode::Char(c) if !ctrl => {
                self.picker.push(c);
                return Request::Search(Field::Target, self.picker.query.clone());
            }
            KeyCode::Backspace => {
                self.picker.pop();
                if !self.picker.query.is_empty() {
                    return Request::Search(Field::Target, self.picker.query.clone());
                }
            }
            _ => {}
        }
        Request::None
    }

    /// The attendee picker: typing looks people up, `Enter` adds the one under the cursor
    /// (or, with nothing listed, moves on), `Backspace` on an empty query drops the last one.
    fn with_key(&mut self, key: &KeyEvent, ctrl: bool, now: &DateTime<Local>) -> Request {
        match key.code {
            KeyCode::Up => self.with.up(),
            KeyCode::Down => self.with.down(),
            KeyCode::Enter => {
                let Some(c) = self.with.candidates.get(self.with.cursor).cloned() else {
                    return self.move_focus(true, now);
                };
                if !self.attendees.iter().any(|a| a.id == c.id) {
                    self.attendees.push(Target::from(c));
                }
                self.with.query.clear();
                self.with.candidates.clear();
                self.with.cursor = 0;
                self.dirty = true;
                return Request::People;
            }
            KeyCode::Char(c) if !ctrl => {
                self.with.push(c);
                return Request::Search(Field::With, self.with.query.clone());
            }
            KeyCode::Backspace if self.with.query.is_empty() && self.attendees.pop().is_some() => {
                self.dirty = true;
            }
            KeyCode::Backspace => {
                self.with.pop();
                return if self.with.query.is_empty() {
                    Request::People
                } else {
                    Request::Search(Field::With, self.with.query.clone())
                };
            }
            _ => {}
        }
        Request::None
    }

    /// The target kind of a draft's target, as the store names targets.
    pub fn target_kind(kind: RecordKind) -> Option<crate::store::TargetKind> {
        match kind {
            RecordKind::Account => Some(crate::store::TargetKind::Account),
            RecordKind::Person => Some(crate::store::TargetKind::Person),
            _ => None,
        }
    }
}

/// An attendee kept in a draft (`{"id": 3, "name": "Ana Puig"}`).
fn attendee_of(v: &Value) -> Option<Target> {
    Some(Target {
        kind: crate::store::TargetKind::Person,
        id: v.get("id")?.as_i64()?,
        name: v.get("name")?.as_str()?.to_string(),
        context: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_draft_keeps_its_attendees_goal_and_outcome() {
        let mut c = Capture::new(Mode::Meeting, None);
        c.when = "yesterday 21:00".into();
        c.kind = "meal".into();
        c.goal = "the pilot".into();
        c.ask = "who signs?".into();
        c.outcome = "agreed".into();
        c.next = "+2d terms".into();
        c.attendees = vec![Target {
            kind: crate::store::TargetKind::Person,
            id: 7,
            name: "Ana Puig".into(),
            context: None,
        }];
        let back = Capture::from_draft(&c.to_draft(), Mode::Meeting, None);
        assert_eq!(back.kind, "meal");
        assert_eq!(back.goal, "the pilot");
        assert_eq!(back.ask, "who signs?");
        assert_eq!(back.outcome, "agreed");
        assert_eq!(back.next, "+2d terms");
        assert_eq!(back.attendees, c.attendees);
        assert!(back.has_typed());
    }
}
