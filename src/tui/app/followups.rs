//! The agenda's follow-up actions: done (a recurring one comes back) through
//! [`crate::ops::CompleteFollowUp`], carrying the version the agenda showed: a follow-up someone
//! else changed meanwhile is reported, not overwritten. (Snooze is the `WhenPrompt` popup.)

use super::{App, StatusKind};
use crate::ops::CompleteFollowUp;
use crate::tui::action::Action;
use crate::tui::screens::Selection;

impl App {
    pub(super) fn followup_done(&mut self) -> Option<Action> {
        let Some(Selection::FollowUp { id, version, .. }) = self.top().selection() else {
            self.nothing_selected("Select a follow-up to mark done");
            return None;
        };
        // Success or not, the status line says it (the ops outcome, as the CLI prints it);
        // the agenda shows what is now there.
        let _ = self.run_command(&CompleteFollowUp {
            id,
            version: Some(version),
        });
        Some(Action::Refresh)
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
}
