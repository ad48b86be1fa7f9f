//! The agenda's follow-up actions: done (a recurring one comes back) and snooze. Both check the
//! version the agenda showed: a follow-up someone else changed meanwhile is reported, not
//! overwritten.

use super::{App, StatusKind};
use crate::domain::FollowUpStatus;
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::screens::Selection;

impl App {
    pub(super) fn followup_done(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Selection::FollowUp { id, version, .. }) = self.top().selection() else {
            self.nothing_selected("Select a follow-up to mark done");
            return Ok(None);
        };
        let Some((f, _)) = self.store.reader().followup(id)? else {
            return Ok(Some(Action::Refresh));
        };
        if f.status != FollowUpStatus::Open {
            self.status = Some((
                format!("Already {}: {}", f.status, f.text),
                StatusKind::Info,
            ));
            return Ok(Some(Action::Refresh));
        }
        let today = self.clock.today();
        let now = self.clock.now().fixed_offset();
        let written = self.store.write(now, |w| {
            w.complete_followup(id, version, today, &chrono::Local)
        });
        let next = match written {
            Err(StoreError::Conflict { what }) => return Ok(Some(self.changed_elsewhere(&what))),
            other => other?,
        };
        // Gone from the list by the user's own hand: the next row is selected after it.
        self.top_mut().release();
        let again = if next.is_some() {
            " (it repeats: the next one is on the agenda)"
        } else {
            ""
        };
        self.status = Some((format!("Done: {}{again}", f.text), StatusKind::Info));
        Ok(Some(Action::Refresh))
    }

    /// A key that acts on the selected record found none: says why — the record selected
    /// before the last reload is gone (nothing done), or else `hint`.
    pub(super) fn nothing_selected(&mut self, hint: &str) {
        if self.top().gone() {
            self.status = Some((
                "The record you had selected is no longer listed (changed in another window): \
                 nothing done — select one again"
                    .into(),
                StatusKind::Error,
            ));
        } else {
            self.status = Some((hint.into(), StatusKind::Info));
        }
    }

    /// A record changed by another writer since it was shown: say so, write nothing, reload.
    pub(super) fn changed_elsewhere(&mut self, what: &str) -> Action {
        self.status = Some((
            format!("Conflict: {what} was changed elsewhere; nothing overwritten — here it is now"),
            StatusKind::Error,
        ));
        Action::Refresh
    }
}
