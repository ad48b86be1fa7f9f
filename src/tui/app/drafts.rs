//! The capture popup's draft: kept in the notebook while the popup is open (on the tick, at
//! most once a second, when it changed; and on quit, suspend and signals), removed when the
//! capture is saved or discarded, and offered back on the next start (the newest one, in the
//! capture popup, with a status line saying from when).
//!
//! The tick's saves never wait for another writer's lock (the UI thread would freeze): with the
//! notebook busy, the draft stays in memory, the status line says so, and the next tick tries
//! again. Leaving (quit, suspend, signals) waits up to [`LEAVE_WAIT`]: the text must not be lost.

use std::time::{Duration, Instant};

use chrono::Local;

use super::{App, Popup, StatusKind};
use crate::domain::{Draft, DraftKind};
use crate::store::StoreError;
use crate::tui::capture::{Capture, Field, Mode};
use crate::tui::data;

/// The draft is saved at most this often while typing.
const DRAFT_EVERY: Duration = Duration::from_secs(1);

/// How long the draft saved when leaving waits for another writer.
const LEAVE_WAIT: Duration = Duration::from_secs(5);

/// What the status line says while a draft cannot be saved because another writer holds the
/// lock.
pub(super) const DRAFT_BUSY: &str =
    "Notebook busy (another kam is writing) — the draft is kept here and will be saved on retry";

impl App {
    /// Saves the draft now if it changed (quit, suspend, signals).
    pub fn flush_draft(&mut self) {
        let waited = self.store.set_write_wait(LEAVE_WAIT);
        self.keep_draft(true);
        if waited.is_ok() {
            // Best effort: the wait only matters to later writes of this window.
            let _ = self.store.set_write_wait(super::WRITE_WAIT);
        }
    }

    /// On the tick: saves the draft if it changed and the last save is a second old. A
    /// capture with nothing typed keeps no draft.
    pub(super) fn keep_draft(&mut self, now: bool) {
        let at = self.clock.now().fixed_offset();
        let Some(Popup::Capture(c)) = &mut self.popup else {
            return;
        };
        if !c.dirty || (!now && c.saved_at.is_some_and(|t| t.elapsed() < DRAFT_EVERY)) {
            return;
        }
        // On the tick, never wait on the UI thread; when leaving, the store's wait applies.
        let store = &mut self.store;
        let mut write = |f: &dyn Fn(&crate::store::Writer<'_>) -> Result<i64, StoreError>| {
            if now {
                store.write(at, f)
            } else {
                store.write_without_waiting(at, f)
            }
        };
        let result = if c.has_typed() {
            let draft = c.to_draft();
            write(&|w| w.save_draft(&draft))
        } else if c.draft_id != 0 {
            let id = c.draft_id;
            write(&|w| w.discard_draft(id).map(|()| 0))
        } else {
            Ok(0)
        };
        match result {
            Ok(id) => {
                c.draft_id = id;
                c.dirty = false;
                c.saved_at = Some(Instant::now());
                if self.status.as_ref().is_some_and(|(s, _)| s == DRAFT_BUSY) {
                    self.status = None;
                }
            }
            Err(StoreError::Busy) => {
                // Still dirty: the next tick (a second on) tries again.
                c.saved_at = Some(Instant::now());
                self.status = Some((DRAFT_BUSY.into(), StatusKind::Error));
            }
            Err(e) => {
                self.status = Some((
                    format!("The draft could not be kept: {e}"),
                    StatusKind::Error,
                ));
            }
        }
    }

    /// On start: the newest draft, if any, comes back in the capture popup.
    pub(super) fn offer_draft(&mut self) -> Result<(), StoreError> {
        let reader = self.store.reader();
        let Some(draft) = reader.drafts()?.into_iter().next() else {
            return Ok(());
        };
        let target = match draft
            .target
            .and_then(|(k, id)| Capture::target_kind(k).map(|k| (k, id)))
        {
            Some((k, id)) => data::target(&reader, k, id)?,
            None => None,
        };
        let mode = draft_mode(&draft);
        let mut capture = Capture::from_draft(&draft, mode, target);
        if draft.target.is_some() && capture.picker.chosen.is_none() {
            capture.focus = Field::Target;
        }
        let when = draft.updated_at.map_or_else(String::new, |t| {
            let local = t.with_timezone(&Local);
            if local.date_naive() == self.clock.today() {
                local.format(" from %H:%M").to_string()
            } else {
                local.format(" from %-d %b %H:%M").to_string()
            }
        });
        self.status = Some((
            format!(
                "Recovered an unsaved {}{when} — Ctrl-S saves, Esc discards",
                capture.noun()
            ),
            StatusKind::Info,
        ));
        self.popup = Some(Popup::Capture(Box::new(capture)));
        Ok(())
    }
}

fn draft_mode(draft: &Draft) -> Mode {
    let num = |k: &str| draft.fields.get(k).and_then(serde_json::Value::as_i64);
    match (draft.kind, num("meeting"), num("version")) {
        (DraftKind::Note, Some(meeting), Some(version)) => Mode::Outcome {
            meeting,
            version,
            title: draft
                .fields
                .get("title")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("meeting")
                .to_string(),
        },
        (DraftKind::FollowUp, ..) => Mode::FollowUp,
        (DraftKind::Meeting, ..) => Mode::Meeting,
        _ => Mode::Note,
    }
}
