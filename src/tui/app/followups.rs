//! The follow-up keys, wherever a follow-up is selected (the agenda, a dossier's Follow-ups
//! tab, the follow-ups an interaction set): `x` done (a recurring one comes back), `s` snooze
//! (the `WhenPrompt` popup), `e` edit its due date, text and plan (a small form), `c` cancel
//! (after a y/n),
//! `o` reopen a done or cancelled one. Each is an `ops` command (the same the CLI's `kam
//! followup done|snooze|edit|cancel|reopen` runs) carrying the version the screen showed: a
//! follow-up someone else changed meanwhile is reported, not overwritten.

use super::{App, Popup, StatusKind};
use crate::domain::{FollowUp, RecordKind, RecordRef};
use crate::ops::{CancelFollowUp, CompleteFollowUp, ReopenFollowUp};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::popup::{ConfirmRun, WhenPrompt};
use crate::tui::screens::deal_popups::FieldsForm;

type FollowUpKeyDone = Option<Result<Option<Action>, StoreError>>;

impl App {
    /// The follow-up keys and `p` (a dossier's plans), when no popup is open.
    pub(super) fn followup_action(&mut self, action: Action) -> FollowUpKeyDone {
        if self.popup.is_some() {
            return None;
        }
        let verb = match action {
            Action::FollowUpDone => "mark done",
            Action::Snooze => "snooze",
            Action::EditFollowUp => "edit",
            Action::CancelFollowUp => "cancel",
            Action::ReopenFollowUp => "reopen",
            Action::Plans => return Some(self.open_plans().map(|()| None)),
            _ => return None,
        };
        let Some((id, version)) = self.top().followup() else {
            self.nothing_selected(&format!("Select a follow-up to {verb}"));
            return Some(Ok(None));
        };
        Some(self.on_followup(action, id, version))
    }

    /// Carries out a follow-up key on follow-up `id`, shown at `version` (when known).
    fn on_followup(
        &mut self,
        action: Action,
        id: i64,
        version: Option<i64>,
    ) -> Result<Option<Action>, StoreError> {
        // Success or not, the status line says it (the ops outcome, as the CLI prints it);
        // the screen then shows what is now there.
        match action {
            Action::FollowUpDone => {
                let _ = self.run_command(&CompleteFollowUp { id, version });
            }
            // Asked first: on the agenda `c` is also the meeting's cancel key.
            Action::CancelFollowUp => {
                let Some((followup, version)) = self.followup_shown(id, version)? else {
                    return Ok(Some(Action::Refresh));
                };
                let question = format!(
                    "Cancel follow-up {} {}? It is no longer wanted (not done); u undoes it.",
                    RecordRef::of(RecordKind::FollowUp, id),
                    followup.text
                );
                let command = CancelFollowUp {
                    id,
                    version: Some(version),
                };
                self.popup = Some(Popup::Component(Box::new(ConfirmRun::new(
                    "Cancel follow-up",
                    question,
                    Box::new(command),
                ))));
                return Ok(None);
            }
            Action::ReopenFollowUp => {
                let _ = self.run_command(&ReopenFollowUp { id, version });
            }
            Action::Snooze | Action::EditFollowUp => {
                let Some((followup, version)) = self.followup_shown(id, version)? else {
                    return Ok(Some(Action::Refresh));
                };
                let popup: Box<dyn crate::tui::component::Component> = if action == Action::Snooze {
                    Box::new(WhenPrompt::new(
                        format!(
                            "Snooze {} {} until when?",
                            RecordRef::of(RecordKind::FollowUp, id),
                            followup.text
                        ),
                        id,
                        version,
                    ))
                } else {
                    let plan = self.store.reader().followup_plan(id)?;
                    Box::new(FieldsForm::edit_followup(followup, version, plan))
                };
                self.popup = Some(Popup::Component(popup));
                return Ok(None);
            }
            _ => return Ok(None),
        }
        Ok(Some(Action::Refresh))
    }

    /// Follow-up `id` as it now is, with its version; `None` (and the status line says why)
    /// when it is gone or changed since it was shown at `shown`.
    fn followup_shown(
        &mut self,
        id: i64,
        shown: Option<i64>,
    ) -> Result<Option<(FollowUp, i64)>, StoreError> {
        let Some((followup, stamp)) = self.store.reader().followup(id)? else {
            self.nothing_selected("");
            return Ok(None);
        };
        if shown.is_some_and(|v| v != stamp.version) {
            self.status = Some((
                format!(
                    "Conflict: follow-up {} was changed elsewhere; nothing overwritten — here \
                     it is now",
                    RecordRef::of(RecordKind::FollowUp, id)
                ),
                StatusKind::Error,
            ));
            return Ok(None);
        }
        Ok(Some((followup, stamp.version)))
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
