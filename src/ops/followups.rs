//! Follow-up commands: add, complete (a repeat comes back), snooze, edit, reopen, cancel. The
//! rules: only an open follow-up is completed, snoozed or cancelled; only a closed one reopened.

use chrono::Local;

use super::{Command, OpsError, Outcome, Tx};
use crate::capture::describe_due;
use crate::domain::{Due, FollowUp, FollowUpStatus, Id, RecordKind, RecordRef};
use crate::store::Writer;

fn fref(id: Id) -> RecordRef {
    RecordRef::of(RecordKind::FollowUp, id)
}

/// The follow-up `id`, at `version` when one is given (what a front showed).
fn read(w: &Writer<'_>, id: Id, version: Option<i64>) -> Result<FollowUp, OpsError> {
    let (f, stamp) = w
        .followup(id)?
        .ok_or_else(|| OpsError::NotFound(format!("no follow-up {}", fref(id))))?;
    if version.is_some_and(|v| v != stamp.version) {
        return Err(OpsError::Conflict {
            what: format!("follow-up {}", fref(id)),
        });
    }
    Ok(f)
}

/// "Follow-up #f3 due Fri 6 Mar: send the prices", as the CLI has always said it.
pub(super) fn due_line(w: &Writer<'_>, id: Id) -> Result<String, OpsError> {
    let today = w.now().date_naive();
    Ok(match w.followup(id)? {
        Some((f, _)) => format!(
            "Follow-up {} due {}: {}",
            fref(id),
            describe_due(f.due, today),
            f.text
        ),
        None => String::new(),
    })
}

/// A new follow-up, optionally a step of a plan.
#[derive(Debug, Clone)]
pub struct AddFollowUp {
    pub followup: FollowUp,
    pub plan: Option<Id>,
}

impl Command for AddFollowUp {
    fn name(&self) -> &'static str {
        "followup add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let id = tx.w().upsert_followup(&self.followup, None, None)?;
        if self.plan.is_some() {
            tx.w().set_followup_plan(id, self.plan)?;
        }
        tx.created("followups", id)?;
        Ok(Outcome::new(due_line(tx.w(), id)?).with_record(fref(id)))
    }
}

/// Marks an open follow-up done; a recurring one comes back at its next date.
#[derive(Debug, Clone)]
pub struct CompleteFollowUp {
    pub id: Id,
    pub version: Option<i64>,
}

impl Command for CompleteFollowUp {
    fn name(&self) -> &'static str {
        "followup done"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let f = read(tx.w(), self.id, self.version)?;
        if f.status != FollowUpStatus::Open {
            return Err(OpsError::invalid(format!(
                "follow-up {} is already {}",
                fref(self.id),
                f.status
            )));
        }
        tx.touch("followups", self.id)?;
        let version = tx
            .w()
            .followup(self.id)?
            .map_or(0, |(_, stamp)| stamp.version);
        let today = tx.now().date_naive();
        let next = tx.w().complete_followup(self.id, version, today, &Local)?;
        let mut outcome =
            Outcome::new(format!("Done {}: {}", fref(self.id), f.text)).with_record(fref(self.id));
        if let Some(next) = next {
            tx.created("followups", next)?;
            outcome.details.push("It repeats:".into());
            outcome.details.push(due_line(tx.w(), next)?);
            outcome.created.push(fref(next));
        }
        Ok(outcome)
    }
}

/// Moves an open follow-up to another due date.
#[derive(Debug, Clone)]
pub struct SnoozeFollowUp {
    pub id: Id,
    pub version: Option<i64>,
    pub due: Due,
}

impl Command for SnoozeFollowUp {
    fn name(&self) -> &'static str {
        "followup snooze"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let f = read(tx.w(), self.id, self.version)?;
        if f.status != FollowUpStatus::Open {
            return Err(OpsError::invalid(format!(
                "follow-up {} is {}, not open",
                fref(self.id),
                f.status
            )));
        }
        crate::domain::check_snooze("when", self.due, tx.now())?;
        tx.touch("followups", self.id)?;
        let version = tx.w().followup(self.id)?.map_or(0, |(_, s)| s.version);
        tx.w().snooze_followup(self.id, version, self.due)?;
        Ok(Outcome::new(due_line(tx.w(), self.id)?).with_record(fref(self.id)))
    }
}

/// Changes a follow-up's due date, text or plan (`Some(None)` takes it out of its plan).
#[derive(Debug, Clone, Default)]
pub struct EditFollowUp {
    pub id: Id,
    pub version: Option<i64>,
    pub due: Option<Due>,
    pub text: Option<String>,
    pub plan: Option<Option<Id>>,
}

impl Command for EditFollowUp {
    fn name(&self) -> &'static str {
        "followup edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let stored = read(tx.w(), self.id, self.version)?;
        let mut f = stored.clone();
        if self.due.is_none() && self.text.is_none() && self.plan.is_none() {
            return Err(OpsError::invalid(
                "nothing to change: give --due, --text or --plan, e.g. --due fri",
            ));
        }
        if let Some(text) = &self.text {
            if text.trim().is_empty() {
                return Err(OpsError::invalid(
                    "--text \"\": a follow-up needs its text, e.g. --text \"send the price list\"",
                ));
            }
            f.text.clone_from(text);
        }
        if let Some(due) = self.due {
            // A correction, not a snooze: a date in the past is taken (as `followup add`
            // takes one); only `SnoozeFollowUp` refuses the past.
            f.due = due;
        }
        tx.touch("followups", self.id)?;
        let plan_changed = match self.plan {
            Some(plan) => tx.w().followup_plan(self.id)? != plan,
            None => false,
        };
        if f == stored && !plan_changed {
            return Ok(Outcome::new(format!(
                "Nothing changed: follow-up {} already holds these values",
                fref(self.id)
            ))
            .with_record(fref(self.id)));
        }
        if f != stored {
            tx.w().upsert_followup(&f, None, None)?;
        }
        if let (Some(plan), true) = (self.plan, plan_changed) {
            tx.w().set_followup_plan(self.id, plan)?;
        }
        Ok(Outcome::new(format!(
            "Saved {}",
            due_line(tx.w(), self.id)?.to_lowercase_first()
        ))
        .with_record(fref(self.id)))
    }
}

trait LowerFirst {
    fn to_lowercase_first(&self) -> String;
}

impl LowerFirst for String {
    fn to_lowercase_first(&self) -> String {
        let mut chars = self.chars();
        chars.next().map_or_else(String::new, |c| {
            c.to_lowercase().chain(chars).collect::<String>()
        })
    }
}

/// Sets a follow-up's status (reopen: back to open; cancel: open to cancelled).
fn set_status(
    tx: &mut Tx<'_, '_>,
    id: Id,
    version: Option<i64>,
    status: FollowUpStatus,
) -> Result<FollowUp, OpsError> {
    let mut f = read(tx.w(), id, version)?;
    match status {
        FollowUpStatus::Open if f.status == FollowUpStatus::Open => {
            return Err(OpsError::invalid(format!(
                "follow-up {} is already open",
                fref(id)
            )));
        }
        FollowUpStatus::Cancelled | FollowUpStatus::Done if f.status != FollowUpStatus::Open => {
            return Err(OpsError::invalid(format!(
                "follow-up {} is {}, not open; `kam followup reopen {}` first",
                fref(id),
                f.status,
                fref(id)
            )));
        }
        _ => {}
    }
    f.status = status;
    f.done_at = None;
    tx.touch("followups", id)?;
    tx.w().upsert_followup(&f, None, None)?;
    Ok(f)
}

/// Opens a done or cancelled follow-up again.
#[derive(Debug, Clone)]
pub struct ReopenFollowUp {
    pub id: Id,
    pub version: Option<i64>,
}

impl Command for ReopenFollowUp {
    fn name(&self) -> &'static str {
        "followup reopen"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        set_status(tx, self.id, self.version, FollowUpStatus::Open)?;
        Ok(Outcome::new(format!(
            "Reopened {}",
            due_line(tx.w(), self.id)?.to_lowercase_first()
        ))
        .with_record(fref(self.id)))
    }
}

/// Cancels an open follow-up (it is no longer wanted, not done).
#[derive(Debug, Clone)]
pub struct CancelFollowUp {
    pub id: Id,
    pub version: Option<i64>,
}

impl Command for CancelFollowUp {
    fn name(&self) -> &'static str {
        "followup cancel"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let f = set_status(tx, self.id, self.version, FollowUpStatus::Cancelled)?;
        Ok(
            Outcome::new(format!("Cancelled {}: {}", fref(self.id), f.text))
                .with_record(fref(self.id)),
        )
    }
}
