//! Commands (issue 12, DESIGN.md §3): every change to the notebook is a value run through
//! [`run`] in one store transaction (`BEGIN IMMEDIATE`, version checks), with its rules checked
//! here once, its journal entry (each record's image before and after) written in the same
//! transaction, and an [`Outcome`] both fronts render: the CLI prints it, the TUI puts it on
//! the status line. A stale version is one error, [`OpsError::Conflict`].
//!
//! A command names the records it changes through [`Tx`]: `touch` before changing one that
//! exists, `created` after adding one. [`run`] reads their images after the command and journals
//! those that changed; [`undo`] puts the images back, newest first.

mod captured;
mod deal_people;
mod deals;
pub mod drafts;
mod followups;
mod forget;
mod history;
mod meeting_reopen;
mod meetings;
mod merge;
mod notes;
mod plans;
mod products;
mod records;
mod sales;
#[cfg(test)]
mod tests;

use serde_json::Value;

use crate::domain::{Id, RecordKind, RecordRef, Timestamp};
use crate::store::{JournalChange, Store, StoreError, Subject, Writer};

pub use captured::WithDraft;
pub use deal_people::{AddDealPerson, RemoveDealPerson};
pub use deals::{AddDeal, AddObligation, ArchiveDeal, CompleteObligation, EditDeal};
pub use followups::{
    AddFollowUp, CancelFollowUp, CompleteFollowUp, EditFollowUp, ReopenFollowUp, SnoozeFollowUp,
};
pub use forget::{ERASED, Forget, Forgettable, Prune, Redactor, erase_and_wipe, listing};
pub use history::{FieldChange, HistoryLine, field_changes, history, undo};
pub use meeting_reopen::ReopenMeeting;
pub use meetings::{
    CancelMeeting, CloseMeeting, EditMeeting, LogMeeting, MoveMeeting, PlanMeeting,
};
pub use merge::Merge;
pub use notes::{AddNote, EditInteraction};
pub use plans::{AddPlan, AddSpend, ArchivePlan, EditPlan, SpendCheck, check_spend};
pub use products::{AddObjection, AddProduct, DiscussProducts, SetProductStatus, WithProducts};
pub use records::{
    AddAccount, AddLink, AddPerson, Archive, EditAccount, EditPerson, MoveStage, RemoveLink,
};
pub use sales::{ImportSales, SetSales};

/// What a command did, for a front to show: the first line is the status line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    /// One line saying what was done ("Moved #i5 to Fri 6 Mar 10:00").
    pub message: String,
    /// More lines a front may print under it (a repeat's next date, what a merge moved).
    pub details: Vec<String>,
    /// The main record the command wrote, if one.
    pub record: Option<RecordRef>,
    /// Records it added, in order (a note's follow-up, a repeat's next occurrence).
    pub created: Vec<RecordRef>,
    /// The id of a row added that has no reference of its own (an obligation).
    pub row: Option<Id>,
    /// The journal entry written (`None` when nothing changed).
    pub entry: Option<Id>,
}

impl Outcome {
    pub fn new(message: impl Into<String>) -> Self {
        Outcome {
            message: message.into(),
            ..Outcome::default()
        }
    }

    #[must_use]
    pub fn with_record(mut self, record: RecordRef) -> Self {
        self.record = Some(record);
        self
    }
}

/// "Saved account #a1 Acme", or, when the edit changed nothing (and so wrote nothing, no journal
/// entry either), "Nothing changed: account #a1 Acme already holds these values".
pub fn saved_or_unchanged(
    changed: bool,
    what: &str,
    reference: &dyn std::fmt::Display,
    name: &str,
) -> String {
    if changed {
        format!("Saved {what} {reference} {name}")
    } else {
        format!("Nothing changed: {what} {reference} {name} already holds these values")
    }
}

/// Why a command did not run. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// The record changed since it was read (a stale version).
    #[error(
        "{what} was changed by someone else since it was read; nothing was overwritten — reload and try again"
    )]
    Conflict { what: String },
    /// A rule refused the change; the message names the field, the value and a good example.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    NotFound(String),
    /// Undo refused, with the reason.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(StoreError),
}

impl OpsError {
    pub fn invalid(message: impl Into<String>) -> Self {
        OpsError::Invalid(message.into())
    }
}

impl From<StoreError> for OpsError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { what } => OpsError::Conflict { what },
            StoreError::NotFound { what } => OpsError::NotFound(format!("{what} not found")),
            StoreError::Invalid(i) => OpsError::Invalid(i.to_string()),
            e => OpsError::Store(e),
        }
    }
}

impl From<crate::domain::Invalid> for OpsError {
    fn from(e: crate::domain::Invalid) -> Self {
        OpsError::Invalid(e.to_string())
    }
}

impl From<crate::domain::UnknownValue> for OpsError {
    fn from(e: crate::domain::UnknownValue) -> Self {
        OpsError::Invalid(e.to_string())
    }
}

/// A change to the notebook, as a value.
pub trait Command {
    /// Its name in the journal and in `kam history` (`meeting move`).
    fn name(&self) -> &'static str;
    /// Checks its rules and writes, naming every record it changes through `tx`.
    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError>;
}

/// A command's transaction: the store's writer and the records named so far, with their
/// images from before the command changed them.
pub struct Tx<'a, 'c> {
    w: &'a Writer<'c>,
    named: Vec<(Subject, Option<Value>)>,
}

impl<'c> Tx<'_, 'c> {
    /// The store's writer (the command's SQL lives behind its functions).
    pub fn w(&self) -> &Writer<'c> {
        self.w
    }

    /// The moment the command runs.
    pub fn now(&self) -> Timestamp {
        self.w.now()
    }

    fn name(&mut self, subject: Subject, before: Option<Value>) {
        if !self.named.iter().any(|(s, _)| *s == subject) {
            self.named.push((subject, before));
        }
    }

    /// Names an existing row of `table` about to change (its image is taken now).
    pub fn touch(&mut self, table: &str, id: Id) -> Result<(), OpsError> {
        let subject = journaled(Subject::row(table, id), table)?;
        if !self.named.iter().any(|(s, _)| *s == subject) {
            let before = self.w.journal_image(&subject)?;
            self.name(subject, before);
        }
        Ok(())
    }

    /// Names the child rows of `table` under parent `id`, about to change.
    pub fn touch_set(&mut self, table: &str, id: Id) -> Result<(), OpsError> {
        let subject = journaled(Subject::set(table, id), table)?;
        if !self.named.iter().any(|(s, _)| *s == subject) {
            let before = self.w.journal_image(&subject)?;
            self.name(subject, before);
        }
        Ok(())
    }

    /// Names a row of `table` the command just added (it did not exist before).
    pub fn created(&mut self, table: &str, id: Id) -> Result<(), OpsError> {
        let subject = journaled(Subject::row(table, id), table)?;
        self.name(subject, None);
        Ok(())
    }

    /// Names an interaction about to change: its row, its people, and the last contact of its
    /// account and people (a done one moves them).
    pub fn touch_interaction(&mut self, id: Id) -> Result<(), OpsError> {
        self.touch("interactions", id)?;
        self.touch_set("interaction_people", id)?;
        if let Some((i, _)) = self.w.interaction(id)? {
            self.touch_contacts(i.account, &i.people)?;
        }
        Ok(())
    }

    /// Names the child rows of `table` under a parent just added (there were none before).
    pub fn created_set(&mut self, table: &str, id: Id) -> Result<(), OpsError> {
        let subject = journaled(Subject::set(table, id), table)?;
        self.name(subject, Some(Value::Array(Vec::new())));
        Ok(())
    }

    /// Names an interaction just added, with its people.
    pub fn created_interaction(&mut self, id: Id) -> Result<(), OpsError> {
        self.created("interactions", id)?;
        self.created_set("interaction_people", id)
    }

    /// Names the account and people whose last contact an interaction may move.
    pub fn touch_contacts(&mut self, account: Option<Id>, people: &[Id]) -> Result<(), OpsError> {
        if let Some(a) = account {
            self.touch("accounts", a)?;
        }
        for p in people {
            self.touch("people", *p)?;
        }
        Ok(())
    }

    /// The changes made: every named record whose image differs now, in the order named.
    fn changes(&self) -> Result<Vec<JournalChange>, OpsError> {
        let mut out = Vec::new();
        for (subject, before) in &self.named {
            let after = self.w.journal_image(subject)?;
            if after != *before {
                let uid = uid_of(after.as_ref()).or_else(|| uid_of(before.as_ref()));
                out.push(JournalChange {
                    subject: subject.clone(),
                    uid,
                    before: before.clone(),
                    after,
                });
            }
        }
        Ok(out)
    }
}

fn journaled(subject: Option<Subject>, table: &str) -> Result<Subject, OpsError> {
    subject.ok_or_else(|| OpsError::Store(StoreError::Corrupt(format!("{table} is not journaled"))))
}

fn uid_of(image: Option<&Value>) -> Option<String> {
    image?.get("uid")?.as_str().map(str::to_string)
}

/// Runs `command` at `now` in one transaction with its journal entry; all or nothing.
pub fn run(store: &mut Store, now: Timestamp, command: &dyn Command) -> Result<Outcome, OpsError> {
    store.try_write(now, |w| {
        let mut tx = Tx {
            w,
            named: Vec::new(),
        };
        let mut outcome = command.apply(&mut tx)?;
        let changes = tx.changes()?;
        if !changes.is_empty() {
            outcome.entry = Some(w.append_journal(command.name(), &outcome.message, &changes)?);
        }
        Ok(outcome)
    })
}

/// The record a journaled subject is, for messages: `#p3`, or `link 4` for rows without a
/// reference of their own.
pub fn describe(subject: &Subject) -> String {
    match record_kind(subject.table) {
        Some(kind) => RecordRef::of(kind, subject.id).to_string(),
        None => format!("{} {}", subject.table.trim_end_matches('s'), subject.id),
    }
}

/// The kind of record a journaled row table holds, when it has references of its own.
pub fn record_kind(table: &str) -> Option<RecordKind> {
    Some(match table {
        "accounts" => RecordKind::Account,
        "people" => RecordKind::Person,
        "deals" => RecordKind::Deal,
        "interactions" | "interaction_people" => RecordKind::Interaction,
        "followups" => RecordKind::FollowUp,
        _ => return None,
    })
}

/// The table that holds records of `kind`.
pub fn table_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Account => "accounts",
        RecordKind::Person => "people",
        RecordKind::Deal => "deals",
        RecordKind::Interaction => "interactions",
        RecordKind::FollowUp => "followups",
    }
}
