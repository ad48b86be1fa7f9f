//! The open component popup's share of the actions ([`crate::tui::component`]): keys go to it,
//! and what it replies is carried out here — a command run through `ops` (its outcome on the
//! status line), another popup, or an app action. Also `u`, the undo of the latest change
//! (`ops::undo`), from any screen.

use super::{App, Popup, StatusKind};
use crate::ops::{self, Command, OpsError};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::component::{PopupCtx, Reply};

impl App {
    /// The component popup's share of the actions, when one is open.
    pub(super) fn component_action(
        &mut self,
        action: Action,
    ) -> Option<Result<Option<Action>, StoreError>> {
        // Leaving, suspending and the terminal's size are the app's whatever is open.
        if matches!(
            action,
            Action::Quit | Action::Suspend | Action::Resize | Action::ExternalEditor
        ) {
            return None;
        }
        let Some(Popup::Component(c)) = &mut self.popup else {
            return None;
        };
        let now = self.clock.now();
        let reader = self.store.reader();
        let ctx = PopupCtx {
            now,
            reader: &reader,
            compliance: &self.config.compliance,
        };
        let reply = match action {
            Action::Input(key) => c.input(&key, &ctx),
            Action::Refresh => return None,
            action => c.handle(action, &ctx),
        };
        Some(Ok(self.reply(reply)))
    }

    /// Carries out what a component replied.
    fn reply(&mut self, reply: Reply) -> Option<Action> {
        match reply {
            Reply::Stay => None,
            Reply::Close => {
                let closed = self.popup.take();
                self.closed(closed);
                None
            }
            Reply::Say(message, kind) => {
                self.status = Some((message, kind));
                None
            }
            Reply::Replace(next) => {
                self.popup = Some(Popup::Component(next));
                None
            }
            Reply::Then(action) => {
                let closed = self.popup.take();
                self.closed(closed);
                Some(action)
            }
            Reply::Closed(message) => {
                let closed = self.popup.take();
                self.closed(closed);
                self.status = Some((message, StatusKind::Info));
                None
            }
            Reply::Run(command) => match self.run_outcome(command.as_ref()) {
                Ok(outcome) => {
                    if let (Some(Popup::Component(c)), Some((message, StatusKind::Info))) =
                        (&self.popup, &self.status)
                    {
                        self.status = Some(c.said(message));
                    }
                    let next = match &mut self.popup {
                        Some(Popup::Component(c)) => c.succeeded(&outcome),
                        _ => None,
                    };
                    let Some(next) = next else {
                        self.popup = None;
                        // Its draft went with the command; the next draft recovered comes up.
                        self.closed(None);
                        return Some(Action::Refresh);
                    };
                    // What it replies is carried out on the screen as it now is; a dossier it
                    // opens shows with the outcome still on the status line.
                    self.reload();
                    match self.reply(next) {
                        Some(Action::Open(kind, id)) => {
                            let said = self.status.take();
                            let then = self.open(kind, id);
                            self.status = said;
                            then
                        }
                        then => then,
                    }
                }
                Err(e) => {
                    let Some(Popup::Component(c)) = &mut self.popup else {
                        return Some(Action::Refresh);
                    };
                    let reader = self.store.reader();
                    let ctx = PopupCtx {
                        now: self.clock.now(),
                        reader: &reader,
                        compliance: &self.config.compliance,
                    };
                    let next = c.failed(&e, &ctx);
                    self.reply(next)
                }
            },
        }
    }

    /// Runs a command through `ops` now: its outcome, or its error, goes on the status line.
    /// The record the user acted on is released (the next reload selects what takes its row).
    pub(super) fn run_command(&mut self, command: &dyn Command) -> Result<(), OpsError> {
        self.run_outcome(command).map(|_| ())
    }

    /// [`Self::run_command`], giving back the outcome (the record a command added).
    pub(super) fn run_outcome(&mut self, command: &dyn Command) -> Result<ops::Outcome, OpsError> {
        let now = self.clock.now().fixed_offset();
        match ops::run(&mut self.store, now, command) {
            Ok(outcome) => {
                self.top_mut().release();
                self.status = Some((outcome.message.clone(), StatusKind::Info));
                Ok(outcome)
            }
            Err(e) => {
                let message = match &e {
                    OpsError::Conflict { what } => conflict(what),
                    OpsError::Store(StoreError::Busy) => BUSY.to_string(),
                    e => format!("Not saved — {e}"),
                };
                self.status = Some((message, StatusKind::Error));
                Err(e)
            }
        }
    }

    /// `u`: undoes the latest change not undone (`ops::undo`, as `kam undo`): the status line
    /// says what was put back, or why nothing was (a later change of the same record would be
    /// lost); the screen shows the notebook as it now is.
    pub(super) fn undo(&mut self) -> Option<Action> {
        let now = self.clock.now().fixed_offset();
        match ops::undo(&mut self.store, now) {
            Ok(outcome) => {
                // The selected record may be gone or back: the next reload selects its row.
                self.top_mut().release();
                self.status = Some((outcome.message, StatusKind::Info));
                Some(Action::Refresh)
            }
            Err(e) => {
                let message = match &e {
                    OpsError::Store(StoreError::Busy) => BUSY.to_string(),
                    OpsError::Refused(why) => why.clone(),
                    e => format!("Not undone — {e}"),
                };
                self.status = Some((message, StatusKind::Error));
                None
            }
        }
    }
}

/// What the status line says when another `kam` holds the notebook's write lock.
const BUSY: &str = "Notebook busy (another kam is writing): nothing saved — try again in a moment";

/// What the status line says when a record changed since it was shown.
fn conflict(what: &str) -> String {
    format!("Conflict: {what} was changed elsewhere; nothing overwritten — here it is now")
}
