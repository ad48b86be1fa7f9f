//! The popups that edit a person's power-map links from their dossier: a person picker for a
//! new link (after its kind was chosen; names ranked by the capture picker's nucleo scoring)
//! and a yes/no confirm before a link is removed. Both are components: they read candidates
//! through the popup's reader and reply with an `ops` command (`AddLink`, `RemoveLink`) that
//! the app runs.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::action::Action;
use super::app::StatusKind;
use super::capture::picker::Picker;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::Binding;
use super::screens::RenderCtx;
use super::theme::Theme;
use crate::domain::{Extra, Id, Link, LinkKind, RecordKind, RecordRef, Vocabulary};
use crate::ops::{AddLink, OpsError, RemoveLink};
use crate::store::{Candidate, TargetKind};
use crate::text::{sanitize_line, truncate};

/// Candidates shown under the query.
const SHOWN: usize = 8;

/// Who a new link goes to: `from` —`kind`→ the person picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkPicker {
    pub from: Id,
    pub from_name: String,
    pub kind: LinkKind,
    pub picker: Picker,
}

impl LinkPicker {
    pub fn new(from: Id, from_name: String, kind: LinkKind) -> Self {
        LinkPicker {
            from,
            from_name,
            kind,
            picker: Picker::default(),
        }
    }

    /// Edits the query; returns the query to search for when it changed.
    pub fn key(&mut self, key: &KeyEvent) -> Option<String> {
        match key.code {
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.picker.push(c);
                Some(self.picker.query.clone())
            }
            KeyCode::Backspace => {
                self.picker.pop();
                Some(self.picker.query.clone()).filter(|q| !q.is_empty())
            }
            _ => None,
        }
    }

    /// Takes the candidates read for the query: people only, never the person linked from.
    pub fn set_candidates(&mut self, found: Vec<Candidate>) {
        let from = self.from;
        self.picker.set_candidates(
            found
                .into_iter()
                .filter(|c| c.kind == TargetKind::Person && c.id != from)
                .collect(),
        );
    }

    /// The person under the cursor.
    pub fn chosen(&self) -> Option<&Candidate> {
        self.picker.candidates.get(self.picker.cursor)
    }

    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let room = usize::from(area.width.min(64).saturating_sub(4));
        let mut lines = vec![
            Line::from(vec![
                Span::styled(sanitize_line(&self.from_name).into_owned(), theme.heading()),
                Span::raw(format!(" —{}→ whom?", self.kind.as_str())),
            ]),
            Line::from(vec![
                Span::raw("> "),
                Span::raw(
                    truncate(&sanitize_line(&self.picker.query), room.saturating_sub(3))
                        .into_owned(),
                ),
                Span::styled("█", theme.dim()),
            ]),
        ];
        if self.picker.query.is_empty() {
            lines.push(Line::from(Span::styled(
                "type a name: \"carmen\", \"nuno pe\"",
                theme.dim(),
            )));
        } else if self.picker.candidates.is_empty() {
            lines.push(Line::from(Span::styled("nobody matches", theme.dim())));
        }
        let first = self.picker.cursor.saturating_sub(SHOWN - 1);
        for (i, c) in self
            .picker
            .candidates
            .iter()
            .enumerate()
            .skip(first)
            .take(SHOWN)
        {
            let mut text = c.name.clone();
            if let Some(ctx) = &c.context {
                text.push_str(" · ");
                text.push_str(ctx);
            }
            // A long name wraps onto the next line, indented under itself.
            for (n, part) in super::wrap::wrap(&text, room.saturating_sub(2))
                .into_iter()
                .enumerate()
            {
                let line = Line::from(if n == 0 { part } else { format!("  {part}") });
                lines.push(if i == self.picker.cursor {
                    line.style(theme.selected())
                } else {
                    line
                });
            }
        }
        lines.push(Line::from(Span::styled(
            "↑/↓ choose · Enter: link · Esc: cancel",
            theme.dim(),
        )));
        super::popup::wrapped(area, buf, "New link", lines, 64);
    }
}

/// A person as the link commands name them, the way the CLI does: "#p3 Carmen Peña".
pub fn label(id: Id, name: &str) -> String {
    format!("{} {name}", RecordRef::of(RecordKind::Person, id))
}

impl Component for LinkPicker {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::PICK_PERSON
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Up => self.picker.up(),
            Action::Down => self.picker.down(),
            Action::Back => return Reply::Close,
            Action::Save => {
                let Some(to) = self.chosen() else {
                    return Reply::Say("Type a name and pick a person".into(), StatusKind::Info);
                };
                let link = Link {
                    id: 0,
                    uid: uuid::Uuid::new_v4().to_string(),
                    from: self.from,
                    to: to.id,
                    kind: self.kind,
                    note: None,
                    extra: Extra::new(),
                };
                let labels = (label(self.from, &self.from_name), label(to.id, &to.name));
                return Reply::Run(Box::new(AddLink { link, labels }));
            }
            _ => {}
        }
        Reply::Stay
    }

    fn input(&mut self, key: &KeyEvent, ctx: &PopupCtx<'_, '_>) -> Reply {
        let Some(query) = self.key(key) else {
            return Reply::Stay;
        };
        match super::data::candidates(ctx.reader, &query) {
            Ok(found) => {
                self.set_candidates(found);
                Reply::Stay
            }
            Err(e) => Reply::Say(e.to_string(), StatusKind::Error),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        LinkPicker::render(self, area, buf, ctx.theme);
    }
}

/// "Remove this link?" — answered with y or n.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unlink {
    pub from: Id,
    pub to: Id,
    pub kind: LinkKind,
    /// The two people as the message names them ([`label`]).
    pub labels: (String, String),
    /// The link in words: "Carmen —reports-to→ Alberto".
    pub text: String,
}

impl Component for Unlink {
    fn bindings(&self) -> &'static [Binding] {
        super::keymap::CONFIRM
    }

    fn handle(&mut self, action: Action, _ctx: &PopupCtx<'_, '_>) -> Reply {
        match action {
            Action::Back => Reply::Close,
            Action::Save => Reply::Run(Box::new(RemoveLink {
                from: self.from,
                to: self.to,
                kind: self.kind,
                labels: self.labels.clone(),
            })),
            _ => Reply::Stay,
        }
    }

    /// Nothing to keep open: the question is answered, the links as they now are are shown.
    fn failed(&mut self, _error: &OpsError, _ctx: &PopupCtx<'_, '_>) -> Reply {
        Reply::Then(Action::Refresh)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        Unlink::render(self, area, buf, ctx.theme);
    }
}

impl Unlink {
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: Theme) {
        let lines = vec![
            Line::from(sanitize_line(&self.text).into_owned()),
            Line::default(),
            Line::from(Span::styled(
                "y / Enter: remove · n / Esc: keep",
                theme.dim(),
            )),
        ];
        super::popup::wrapped(area, buf, "Remove this link?", lines, 60);
    }
}
