//! The agenda's follow-up actions: done (a recurring one comes back) and snooze.

use chrono::Local;

use super::{App, Popup, StatusKind};
use crate::domain::{Due, FollowUpStatus};
use crate::store::StoreError;
use crate::tui::action::Action;
use crate::tui::screens::Selection;

impl App {
    pub(super) fn followup_done(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Selection::FollowUp { id, .. }) = self.top().selection() else {
            self.status = Some(("Select a follow-up to mark done".into(), StatusKind::Info));
            return Ok(None);
        };
        let Some((f, stamp)) = self.store.reader().followup(id)? else {
            return Ok(Some(Action::Refresh));
        };
        if f.status != FollowUpStatus::Open {
            return Ok(Some(Action::Refresh));
        }
        let today = self.clock.today();
        let now = self.clock.now().fixed_offset();
        let next = self.store.write(now, |w| {
            w.complete_followup(id, stamp.version, today, &chrono::Local)
        })?;
        let again = if next.is_some() {
            " (it repeats: the next one is on the agenda)"
        } else {
            ""
        };
        self.status = Some((format!("Done: {}{again}", f.text), StatusKind::Info));
        Ok(Some(Action::Refresh))
    }

    pub(super) fn save_popup(&mut self) -> Result<Option<Action>, StoreError> {
        let Some(Popup::Snooze(prompt)) = &self.popup else {
            return Ok(None);
        };
        let now = self.clock.now();
        let when = match prompt.parsed(&now) {
            Ok(w) => w,
            Err(e) => {
                self.status = Some((e.to_string(), StatusKind::Error));
                return Ok(None);
            }
        };
        let id = prompt.followup;
        let due = match when.time {
            Some(t) => match crate::when::resolve(when.date, t, &Local, &prompt.input) {
                Ok(at) => Due::At(at),
                Err(e) => {
                    self.status = Some((e.to_string(), StatusKind::Error));
                    return Ok(None);
                }
            },
            None => Due::Day(when.date),
        };
        let Some((_, stamp)) = self.store.reader().followup(id)? else {
            return Ok(Some(Action::Refresh));
        };
        self.store.write(now.fixed_offset(), |w| {
            w.snooze_followup(id, stamp.version, due)
        })?;
        self.popup = None;
        self.status = Some((
            format!("Snoozed to {}", when.describe(now.date_naive())),
            StatusKind::Info,
        ));
        Ok(Some(Action::Refresh))
    }
}
