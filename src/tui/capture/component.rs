//! The capture popup as a component ([`crate::tui::component`]): its keys (Ctrl-S save, Tab,
//! Ctrl-E `$EDITOR`, Esc; "discard? y/n" when something was typed), its pickers' look-ups
//! (read-only), and on save the checked capture as one `ops` command carrying its draft, so
//! that the command and the draft's removal are one transaction.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::picker::rank;
use super::{Capture, Field, Request};
use crate::ops::{OpsError, WithDraft};
use crate::store::{Candidate, Reader, StoreError, TargetKind};
use crate::tui::action::Action;
use crate::tui::app::StatusKind;
use crate::tui::component::{Component, PopupCtx, Reply};
use crate::tui::keymap::{Binding, Key, POPUP};
use crate::tui::screens::RenderCtx;

/// People listed by the attendee picker.
const PEOPLE: u32 = 50;

/// The keys while "discard this …? y/n" is asked.
const DISCARD: &[Binding] = &[
    Binding {
        keys: &[Key::ch('y')],
        label: "y",
        help: "discard what was typed",
        action: Action::Save,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('n'), Key::plain(KeyCode::Esc)],
        label: "n/Esc",
        help: "keep typing",
        action: Action::Back,
        footer: true,
    },
];

impl Capture {
    /// Carries out what a key asked: candidates read for a picker, or the discard confirmed.
    fn request(&mut self, request: Request, reader: &Reader<'_>) -> Reply {
        let found = match request {
            Request::None => return Reply::Stay,
            Request::Discard => return Reply::Close,
            Request::Search(Field::Target, query) => crate::tui::data::candidates(reader, &query)
                .map(|found| {
                    self.picker.set_candidates(found);
                }),
            Request::Search(_, query) => self.people_matching(reader, &query),
            Request::People => self.people_of_account(reader),
        };
        match found {
            Ok(()) => Reply::Stay,
            Err(e) => Reply::Say(e.to_string(), StatusKind::Error),
        }
    }

    /// The account the capture is about (a person's account).
    fn account(&self, reader: &Reader<'_>) -> Result<Option<i64>, StoreError> {
        Ok(match &self.picker.chosen {
            Some(t) if t.kind == TargetKind::Account => Some(t.id),
            Some(t) if t.kind == TargetKind::Person => {
                reader.person(t.id)?.and_then(|(p, _)| p.account)
            }
            _ => None,
        })
    }

    /// The attendee picker with nothing typed lists the account's people not yet picked.
    fn people_of_account(&mut self, reader: &Reader<'_>) -> Result<(), StoreError> {
        let mut found = Vec::new();
        if let Some(account) = self.account(reader)? {
            let target = self.picker.chosen.as_ref().map(|t| (t.kind, t.id));
            for p in reader.people(Some(account), PEOPLE, 0)? {
                let picked = self.attendees.iter().any(|a| a.id == p.id)
                    || target == Some((TargetKind::Person, p.id));
                if !picked {
                    found.push(Candidate {
                        kind: TargetKind::Person,
                        id: p.id,
                        name: p.name,
                        context: None,
                        exact: false,
                    });
                }
            }
        }
        self.with.candidates = found;
        self.with.cursor = 0;
        Ok(())
    }

    /// People whose name matches `query`, best first, the account's own before the others.
    fn people_matching(&mut self, reader: &Reader<'_>, query: &str) -> Result<(), StoreError> {
        let found = reader.match_names(&[TargetKind::Person], query, PEOPLE)?;
        let mut ranked = rank(query, found);
        let home = match &self.picker.chosen {
            Some(t) if t.kind == TargetKind::Account => Some(t.name.clone()),
            Some(t) => t.context.clone(),
            None => None,
        };
        if home.is_some() {
            ranked.sort_by_key(|c| c.context != home);
        }
        self.with.candidates = ranked;
        self.with.cursor = 0;
        Ok(())
    }

    /// `Ctrl-S`: every field checked, then the command; a bad field is named and kept focused.
    fn save(&mut self, ctx: &PopupCtx<'_, '_>) -> Reply {
        let plan = match self.plan(&ctx.now) {
            Ok(plan) => plan,
            Err((field, message)) => {
                self.fail(field, message.clone());
                return Reply::Say(message, StatusKind::Error);
            }
        };
        match super::command::command(plan, ctx.reader, ctx.now.fixed_offset()) {
            Ok((command, mentioned)) => {
                self.mentioned = mentioned;
                Reply::Run(Box::new(WithDraft {
                    command,
                    draft: self.draft_id,
                }))
            }
            Err(e) => Reply::Say(e.to_string(), StatusKind::Error),
        }
    }
}

impl Component for Capture {
    fn bindings(&self) -> &'static [Binding] {
        if self.confirm_discard { DISCARD } else { POPUP }
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        if self.confirm_discard {
            if action == Action::Save {
                return Reply::Close;
            }
            self.confirm_discard = false;
            return Reply::Stay;
        }
        match action {
            Action::NextTab | Action::PrevTab => {
                let request = self.move_focus(action == Action::NextTab, &ctx.now);
                self.request(request, ctx.reader)
            }
            Action::Back if self.cancel() => Reply::Close,
            Action::Save => self.save(ctx),
            _ => Reply::Stay,
        }
    }

    fn input(&mut self, key: &KeyEvent, ctx: &PopupCtx<'_, '_>) -> Reply {
        let request = self.key(key, &ctx.now);
        self.request(request, ctx.reader)
    }

    /// Nothing was written: the popup stays with what was typed (and its draft), and says why
    /// next to the field in focus.
    fn failed(&mut self, error: &OpsError, _ctx: &PopupCtx<'_, '_>) -> Reply {
        let said = match error {
            OpsError::Store(StoreError::Busy) => "Notebook busy (another kam is writing): not \
                 saved yet — your text is kept; Ctrl-S again to retry"
                .to_string(),
            e => e.to_string(),
        };
        self.error = Some((self.focus, said));
        Reply::Stay
    }

    fn said(&self, message: &str) -> (String, StatusKind) {
        let mentions = crate::capture::mention::summary(&self.mentioned);
        let said = if mentions.is_empty() {
            message.to_string()
        } else {
            format!("{message} · {mentions}")
        };
        // A mention that linked nobody needs the KAM's eye: shown like an error.
        let kind = if self.mentioned.iter().any(|m| m.person().is_none()) {
            StatusKind::Error
        } else {
            StatusKind::Info
        };
        (said, kind)
    }

    fn editor_text(&self) -> Option<String> {
        Some(self.text_string())
    }

    fn editor_returned(&mut self, text: String) {
        self.set_text(text.trim_end_matches(['\n', '\r']));
        self.focus = Field::Text;
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        Capture::render(self, area, buf, &ctx.now, ctx.theme);
    }
}
