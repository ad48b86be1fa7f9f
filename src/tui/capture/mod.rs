//! The capture popup (`n` note, `f` follow-up, `m` meeting from any screen; `d` on a meeting for
//! its outcome): its state, its keys, its draft and the check of what was typed. It never
//! touches the store: it asks the app for candidates ([`Request::Search`]) and hands it a
//! checked [`Plan`] to write in one transaction.
//!
//! Draft rule: while the popup is open, what is typed is kept as a [`Draft`] in the notebook
//! (the app saves it on its tick at most once a second, and on quit, suspend and signals);
//! saving the capture or discarding it (`Esc` then `y`) removes the draft. The next start offers
//! the newest draft back in this popup.

mod check;
mod form;
pub mod picker;

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;
use serde_json::Value;

use crate::capture::PendingFollowUp;
use crate::domain::{Draft, DraftKind, Due, Id, RecordKind, Timestamp};

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
}

/// What the popup asks of the app after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    None,
    /// The picker's query changed: read the candidates for it.
    Search(String),
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
    Meeting {
        target: Target,
        start: Timestamp,
        end: Option<Timestamp>,
        title: String,
        body: Option<String>,
        location: Option<String>,
    },
    Outcome {
        meeting: Id,
        version: i64,
        outcome: Option<String>,
        next: Option<PendingFollowUp>,
    },
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
            focus,
            error: None,
            confirm_discard: false,
            draft_id: 0,
            dirty: false,
            saved_at: None,
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
        for (k, v) in [("for", &self.duration), ("location", &self.location)] {
            if !v.is_empty() {
                draft.fields.insert(k.into(), v.clone().into());
            }
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

    /// The fields of this kind, in `Tab` order.
    pub fn fields(&self) -> &'static [Field] {
        match self.mode {
            Mode::Note | Mode::FollowUp => &[Field::Target, Field::Text, Field::When],
            Mode::Meeting => &[
                Field::Target,
                Field::When,
                Field::Duration,
                Field::Location,
                Field::Text,
            ],
            Mode::Outcome { .. } => &[Field::Text, Field::When],
        }
    }

    /// Something was typed (a target chosen from the screen alone does not count).
    pub fn has_typed(&self) -> bool {
        !self.text.is_empty()
            || !self.when.is_empty()
            || !self.duration.is_empty()
            || !self.location.is_empty()
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
    pub fn move_focus(&mut self, forward: bool) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
        let n = fields.len();
        let next = if forward {
            (at + 1) % n
        } else {
            (at + n - 1) % n
        };
        self.focus = fields[next];
        self.show_focus();
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
    pub fn key(&mut self, key: &KeyEvent) -> Request {
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
            Field::Target => return self.picker_key(key, ctrl),
            Field::Text => self.text.input(*key),
            Field::When => edit(&mut self.when),
            Field::Duration => edit(&mut self.duration),
            Field::Location => edit(&mut self.location),
        };
        if key.code == KeyCode::Enter && self.focus != Field::Text {
            self.move_focus(true);
        }
        if changed {
            self.dirty = true;
            if self.error.as_ref().is_some_and(|(f, _)| *f == self.focus) {
                self.error = None;
            }
        }
        Request::None
    }

    fn picker_key(&mut self, key: &KeyEvent, ctrl: bool) -> Request {
        match key.code {
            KeyCode::Up => self.picker.up(),
            KeyCode::Down => self.picker.down(),
            KeyCode::Enter if self.picker.pick() => {
                self.dirty = true;
                self.error = None;
                self.move_focus(true);
            }
            KeyCode::Char(c) if !ctrl => {
                self.picker.push(c);
                return Request::Search(self.picker.query.clone());
            }
            KeyCode::Backspace => {
                self.picker.pop();
                if !self.picker.query.is_empty() {
                    return Request::Search(self.picker.query.clone());
                }
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
