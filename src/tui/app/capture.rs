//! The capture popup's side of the app: opening it (for the selection, or for the outcome of a
//! meeting just marked done), finding its candidates, and writing a checked capture in one
//! transaction (its draft removed in the same one). Nothing is written when any field is
//! wrong. Its draft is kept by `drafts.rs`.

use super::{App, Popup, StatusKind};
use crate::capture::{self as rules, describe_due};
use crate::domain::{Id, Interaction, InteractionKind, InteractionStatus};
use crate::store::{StoreError, TargetKind};
use crate::tui::action::{Action, CaptureKind};
use crate::tui::capture::{Capture, Mode, Plan, Request};
use crate::tui::data;
use crate::tui::screens::Selection;

impl App {
    fn capture_mut(&mut self) -> Option<&mut Capture> {
        match &mut self.popup {
            Some(Popup::Capture(c)) => Some(c),
            _ => None,
        }
    }

    /// The actions the capture popup takes while it is open; `None` for the others.
    pub(super) fn capture_action(
        &mut self,
        action: Action,
    ) -> Option<Result<Option<Action>, StoreError>> {
        let capture = self.capture_mut()?;
        match action {
            Action::NextTab => capture.move_focus(true),
            Action::PrevTab => capture.move_focus(false),
            Action::Back if capture.cancel() => return Some(self.close_capture()),
            Action::Input(key) => match capture.key(&key) {
                Request::None => {}
                Request::Search(query) => {
                    let found = data::candidates(&self.store.reader(), &query);
                    match found {
                        Ok(found) => {
                            if let Some(c) = self.capture_mut() {
                                c.picker.set_candidates(found);
                            }
                        }
                        Err(e) => return Some(Err(e)),
                    }
                }
                Request::Discard => return Some(self.close_capture()),
            },
            Action::Save => return Some(self.save_capture()),
            Action::Quit => {
                self.flush_draft();
                self.quit = true;
            }
            Action::ExternalEditor | Action::Resize | Action::Suspend | Action::Refresh => {
                return None;
            }
            // Other screen keys do not reach through the popup.
            _ => {}
        }
        Some(Ok(None))
    }

    /// `n`, `f`, `m`: a capture for the selected account or person (a meeting's or a
    /// follow-up's person, else its account).
    pub(super) fn open_capture(&mut self, kind: CaptureKind) -> Result<(), StoreError> {
        if matches!(self.popup, Some(Popup::Capture(_))) {
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
        self.popup = Some(Popup::Capture(Box::new(Capture::new(mode, target))));
        Ok(())
    }

    /// `d` on a meeting: marks it done and opens the popup for its outcome and next follow-up.
    pub(super) fn meeting_done(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Selection::Meeting { id, version, .. }) = self.top().selection() else {
            self.nothing_selected("Select a meeting to mark done");
            return Ok(None);
        };
        let Some((meeting, _)) = self.store.reader().interaction(id)? else {
            return Ok(Some(Action::Refresh));
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
        let now = self.clock.now().fixed_offset();
        // The version the agenda showed: a meeting changed elsewhere meanwhile is reported.
        match self.store.write(now, |w| {
            w.close_interaction(id, version, InteractionStatus::Done, None)
        }) {
            Err(StoreError::Conflict { what }) => return Ok(Some(self.changed_elsewhere(&what))),
            other => other?,
        }
        let title = meeting_title(&meeting);
        self.popup = Some(Popup::Capture(Box::new(Capture::new(
            Mode::Outcome {
                meeting: id,
                version: version + 1,
                title: title.clone(),
            },
            None,
        ))));
        self.status = Some((
            format!("Done: {title} — type the outcome and the next follow-up; Ctrl-S saves"),
            StatusKind::Info,
        ));
        Ok(Some(Action::Refresh))
    }

    fn close_capture(&mut self) -> Result<Option<Action>, StoreError> {
        if let Some(Popup::Capture(c)) = self.popup.take() {
            if c.draft_id != 0 {
                let now = self.clock.now().fixed_offset();
                self.store.write(now, |w| w.discard_draft(c.draft_id))?;
            }
            // The next draft recovered at start, if any, comes up in its place.
            self.offer_next_draft()?;
        }
        Ok(None)
    }

    /// `Ctrl-S`: checks every field, then writes the capture and removes its draft in one
    /// transaction; on a bad field, says which and writes nothing.
    fn save_capture(&mut self) -> Result<Option<Action>, StoreError> {
        let now = self.clock.now();
        let Some(capture) = self.capture_mut() else {
            return Ok(None);
        };
        let plan = match capture.plan(&now) {
            Ok(plan) => plan,
            Err((field, message)) => {
                capture.fail(field, message.clone());
                self.status = Some((message, StatusKind::Error));
                return Ok(None);
            }
        };
        let draft = capture.draft_id;
        let at = now.fixed_offset();
        // `@name` mentions in a note link the people they name; the rest are reported.
        let mentioned = match &plan {
            Plan::Note { body, .. } => {
                crate::capture::mention::resolve_mentions(&self.store.reader(), body)?
            }
            _ => Vec::new(),
        };
        let (account, mut people, person) = match &plan {
            Plan::Note { target, .. }
            | Plan::FollowUp { target, .. }
            | Plan::Meeting { target, .. } => {
                let (account, people) =
                    rules::parties(&self.store.reader(), target.kind, target.id)?;
                let person = (target.kind == TargetKind::Person).then_some(target.id);
                (account, people, person)
            }
            Plan::Outcome { .. } => (None, Vec::new(), None),
        };
        crate::capture::mention::link(&mut people, &mentioned);
        let today = now.date_naive();
        let result = self.store.write(at, |w| {
            let said = write_plan(w, plan, at, (account, people, person), today)?;
            if draft != 0 {
                w.discard_draft(draft)?;
            }
            Ok(said)
        });
        match result {
            Ok(said) => {
                self.popup = None;
                let mut said = said;
                let mentions = crate::capture::mention::summary(&mentioned);
                if !mentions.is_empty() {
                    said = format!("{said} · {mentions}");
                }
                // A mention that linked nobody needs the KAM's eye: shown like an error.
                let kind = if mentioned.iter().any(|m| m.person().is_none()) {
                    StatusKind::Error
                } else {
                    StatusKind::Info
                };
                self.status = Some((said, kind));
                self.offer_next_draft()?;
                Ok(Some(Action::Refresh))
            }
            Err(e) => {
                // Shown in the popup too, next to what is typed (kept, with its draft).
                if let Some(c) = self.capture_mut() {
                    let said = match e {
                        StoreError::Busy => "Notebook busy (another kam is writing): not saved \
                             yet — your text is kept; Ctrl-S again to retry"
                            .to_string(),
                        ref e => e.to_string(),
                    };
                    c.error = Some((c.focus, said));
                }
                Err(e)
            }
        }
    }

    /// The text `Ctrl-E` hands to the editor, when the capture popup is open.
    pub fn editor_text(&self) -> Option<String> {
        match &self.popup {
            Some(Popup::Capture(c)) => Some(c.text_string()),
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
                } else if let Some(c) = self.capture_mut() {
                    c.set_text(text.trim_end_matches(['\n', '\r']));
                    c.focus = crate::tui::capture::Field::Text;
                }
            }
            Err(e) => self.status = Some((e, StatusKind::Error)),
        }
    }
}

/// Who a capture is about: its account, its people, and its person (a person target).
type Parties = (Option<Id>, Vec<Id>, Option<Id>);

/// Writes a checked capture; returns what to say on the status line.
fn write_plan(
    w: &crate::store::Writer<'_>,
    plan: Plan,
    at: crate::domain::Timestamp,
    (account, people, person): Parties,
    today: chrono::NaiveDate,
) -> Result<String, StoreError> {
    Ok(match plan {
        Plan::Note { target, body, next } => {
            let note = Interaction {
                body: Some(body),
                ..rules::new_interaction(InteractionKind::Note, at, &at, account, people)
            };
            let id = w.upsert_interaction(&note, None, None)?;
            let next = next
                .map(|f| {
                    let line = describe_next(&f, today);
                    rules::write_follow_up(w, f, account, person, Some(id)).map(|_| line)
                })
                .transpose()?;
            format!(
                "Saved the note on {}{}",
                target.name,
                next.unwrap_or_default()
            )
        }
        Plan::FollowUp { target, text, due } => {
            let f = rules::PendingFollowUp { due, text };
            rules::write_follow_up(w, f, account, person, None)?;
            format!(
                "Follow-up for {} due {}",
                target.name,
                describe_due(due, today)
            )
        }
        Plan::Meeting {
            target,
            start,
            end,
            title,
            body,
            location,
        } => {
            let meeting = Interaction {
                end,
                title: Some(title),
                body,
                location,
                ..rules::new_interaction(InteractionKind::Meeting, start, &at, account, people)
            };
            w.upsert_interaction(&meeting, None, None)?;
            format!(
                "Meeting with {} on {}",
                target.name,
                describe_due(crate::domain::Due::At(start), today)
            )
        }
        Plan::Outcome {
            meeting,
            version,
            outcome,
            next,
        } => write_outcome(w, meeting, version, outcome, next, today)?,
    })
}

fn meeting_title(i: &Interaction) -> String {
    i.title.clone().unwrap_or_else(|| i.kind.to_string())
}

fn describe_next(f: &rules::PendingFollowUp, today: chrono::NaiveDate) -> String {
    format!("; follow-up due {}: {}", describe_due(f.due, today), f.text)
}

/// The outcome of a meeting closed by `d`, if nobody changed it since, and its next follow-up
/// (for its account and first person, linked to it).
fn write_outcome(
    w: &crate::store::Writer<'_>,
    meeting: Id,
    version: i64,
    outcome: Option<String>,
    next: Option<rules::PendingFollowUp>,
    today: chrono::NaiveDate,
) -> Result<String, StoreError> {
    let Some((mut i, stamp)) = w.interaction(meeting)? else {
        return Err(StoreError::NotFound {
            what: format!("meeting #i{meeting}"),
        });
    };
    if outcome.is_some() {
        if stamp.version != version {
            return Err(StoreError::Conflict {
                what: format!("interaction #i{meeting}"),
            });
        }
        i.outcome = outcome;
        w.upsert_interaction(&i, None, None)?;
    }
    let person = i.people.first().copied();
    let next = next
        .map(|f| {
            let line = describe_next(&f, today);
            rules::write_follow_up(w, f, i.account, person, Some(meeting)).map(|_| line)
        })
        .transpose()?;
    Ok(format!(
        "Saved the outcome of {}{}",
        meeting_title(&i),
        next.unwrap_or_default()
    ))
}
