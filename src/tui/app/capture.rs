//! The capture popup's side of the app: opening it (for the selection, or for the outcome of a
//! meeting `d` marks done — after a confirm when the meeting is still ahead), throwing its
//! draft away when it closes unsaved, and handing `Ctrl-E`'s text to `$EDITOR`. The popup is a
//! component (`tui/capture`): it writes only through the `ops` command it replies, which the
//! app runs (`components.rs`). Its draft is kept by `drafts.rs`.

use std::any::Any;

use super::{App, Popup, StatusKind};
use crate::domain::{Interaction, InteractionStatus, RecordKind, RecordRef};
use crate::store::{StoreError, TargetKind};
use crate::tui::action::{Action, CaptureKind};
use crate::tui::capture::{Capture, Mode};
use crate::tui::data;
use crate::tui::meeting::{CancelPrompt, ConfirmAhead, MeetingShown, Reschedule};
use crate::tui::screens::Selection;

impl App {
    /// The capture popup, when the open popup is one.
    pub(super) fn capture_mut(&mut self) -> Option<&mut Capture> {
        match &mut self.popup {
            Some(Popup::Component(c)) => (c.as_mut() as &mut dyn Any).downcast_mut::<Capture>(),
            _ => None,
        }
    }

    /// `n`, `f`, `m`: a capture for the selected account or person (a meeting's or a
    /// follow-up's person, else its account).
    pub(super) fn open_capture(&mut self, kind: CaptureKind) -> Result<(), StoreError> {
        if self.capture_mut().is_some() {
            return Ok(());
        }
        // A capture "for the selected" record that is gone would land on no one, or on the
        // record now in its row: neither is what the user chose.
        if self.top().gone() {
            self.nothing_selected("");
            return Ok(());
        }
        let target = match self.top().selection() {
            Some(Selection::Person(p) | Selection::Link { person: p, .. }) => {
                Some((TargetKind::Person, p))
            }
            Some(
                Selection::Account(a)
                | Selection::Deal {
                    account: Some(a), ..
                },
            ) => Some((TargetKind::Account, a)),
            Some(
                Selection::Meeting {
                    account, person, ..
                }
                | Selection::FollowUp {
                    account, person, ..
                },
            ) => person
                .map(|p| (TargetKind::Person, p))
                .or(account.map(|a| (TargetKind::Account, a))),
            Some(Selection::Obligation { .. } | Selection::Deal { account: None, .. }) | None => {
                None
            }
        };
        let target = match target {
            Some((k, id)) => data::target(&self.store.reader(), k, id)?,
            None => None,
        };
        let mode = match kind {
            CaptureKind::Note => Mode::Note,
            CaptureKind::FollowUp => Mode::FollowUp,
            CaptureKind::Meeting => Mode::Meeting,
        };
        self.popup = Some(Popup::Component(Box::new(Capture::new(mode, target))));
        Ok(())
    }

    /// `d` on a meeting: the popup for its outcome and next follow-up; `Ctrl-S` marks it done
    /// with them (`ops::CloseMeeting`), `Esc` leaves it planned. A meeting still ahead is
    /// asked about first ("mark it done now? y/n").
    pub(super) fn meeting_done(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Selection::Meeting { id, version, .. }) = self.top().meeting() else {
            self.nothing_selected("Select a meeting to mark done");
            return Ok(None);
        };
        let Some(meeting) = self.planned_meeting(id)? else {
            return Ok(None);
        };
        let title = meeting_title(&meeting);
        let capture = Capture::new(
            Mode::Outcome {
                meeting: id,
                version,
                title: title.clone(),
            },
            None,
        );
        let now = self.clock.now();
        if meeting.at > now.fixed_offset() {
            let when = crate::agenda::countdown(&meeting.at.with_timezone(&now.timezone()), &now);
            self.popup = Some(Popup::Component(Box::new(ConfirmAhead::new(
                format!("This meeting is {when} — mark it done now?"),
                title,
                Box::new(capture),
            ))));
            return Ok(None);
        }
        self.popup = Some(Popup::Component(Box::new(capture)));
        self.status = Some((
            format!("Outcome of {title}: how it went and the next follow-up; Ctrl-S marks it done"),
            StatusKind::Info,
        ));
        Ok(None)
    }

    /// `r` / `c` on a meeting: the reschedule or the cancel prompt.
    pub(super) fn meeting_prompt(&mut self, action: Action) -> Result<(), StoreError> {
        let verb = if action == Action::CancelMeeting {
            "cancel"
        } else {
            "reschedule"
        };
        let Some(Selection::Meeting { id, version, .. }) = self.top().meeting() else {
            self.nothing_selected(&format!("Select a meeting to {verb}"));
            return Ok(());
        };
        let Some(meeting) = self.planned_meeting(id)? else {
            return Ok(());
        };
        let local = meeting.at.with_timezone(&chrono::Local);
        let shown = MeetingShown {
            id,
            version,
            label: format!(
                "{} {} · {}",
                RecordRef::of(RecordKind::Interaction, id),
                meeting_title(&meeting),
                local.format("%a %-d %b %H:%M")
            ),
        };
        self.popup = Some(Popup::Component(if action == Action::CancelMeeting {
            Box::new(CancelPrompt::new(shown))
        } else {
            Box::new(Reschedule::new(shown))
        }));
        Ok(())
    }

    /// The meeting `id` when it is a planned meeting; otherwise the status line says what it
    /// is and there is nothing to do.
    pub(super) fn planned_meeting(
        &mut self,
        id: crate::domain::Id,
    ) -> Result<Option<Interaction>, StoreError> {
        let Some((meeting, _)) = self.store.reader().interaction(id)? else {
            self.nothing_selected("");
            return Ok(None);
        };
        if !meeting.kind.is_scheduled() {
            self.status = Some((
                format!("That is a {}, not a meeting", meeting.kind),
                StatusKind::Info,
            ));
            return Ok(None);
        }
        if meeting.status != InteractionStatus::Planned {
            self.status = Some((
                format!(
                    "That meeting is already {}; add to it with n (note)",
                    meeting.status
                ),
                StatusKind::Info,
            ));
            return Ok(None);
        }
        Ok(Some(meeting))
    }

    /// A popup just closed: a capture closed unsaved throws its draft away; then the next
    /// draft recovered at start, if any, comes up.
    pub(super) fn closed(&mut self, popup: Option<Popup>) {
        if let Some(Popup::Component(c)) = popup {
            let draft = (c.as_ref() as &dyn Any)
                .downcast_ref::<Capture>()
                .map_or(0, |c| c.draft_id);
            if draft != 0 {
                let now = self.clock.now().fixed_offset();
                let wait = crate::ops::drafts::Wait::AsSet;
                if let Err(e) = crate::ops::drafts::discard(&mut self.store, now, wait, draft) {
                    self.status = Some((e.to_string(), StatusKind::Error));
                }
            }
        }
        if let Err(e) = self.offer_next_draft() {
            self.status = Some((e.to_string(), StatusKind::Error));
        }
    }

    /// The text `Ctrl-E` hands to the editor, when the open popup edits one.
    pub fn editor_text(&self) -> Option<String> {
        match &self.popup {
            Some(Popup::Component(c)) => c.editor_text(),
            _ => None,
        }
    }

    /// Takes the editor's text back (its final newline dropped), or says why there is none.
    pub fn editor_returned(&mut self, edited: Result<String, String>) {
        match edited {
            Ok(text) => {
                if let Some(Popup::Component(c)) = &mut self.popup {
                    c.editor_returned(text);
                }
            }
            Err(e) => self.status = Some((e, StatusKind::Error)),
        }
    }
}

fn meeting_title(i: &Interaction) -> String {
    i.title.clone().unwrap_or_else(|| i.kind.to_string())
}
