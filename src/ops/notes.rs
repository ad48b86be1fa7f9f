//! Writing down what happened: a note (or call, email...) on an account or a person, maybe
//! backdated, maybe with its next step. The rule: what happened is not ahead of now.

use super::followups::due_line;
use super::{Command, OpsError, Outcome, Tx};
use crate::capture::{PendingFollowUp, write_follow_up};
use crate::domain::{Id, Interaction, InteractionStatus, RecordKind, RecordRef};

/// A done interaction with its text, and maybe a follow-up tied to it.
#[derive(Debug, Clone)]
pub struct AddNote {
    pub note: Interaction,
    /// The person the follow-up is for (the note's target, when a person).
    pub person: Option<Id>,
    pub follow_up: Option<PendingFollowUp>,
    /// Where it was written, for the message ("#a1 Acme").
    pub on: String,
}

impl Command for AddNote {
    fn name(&self) -> &'static str {
        "note"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let now = tx.now();
        if self.note.at > now {
            return Err(OpsError::invalid(format!(
                "--at {}: a note records what happened, so not later than now; e.g. --at \"yesterday 18:00\"",
                self.note.at.format("%Y-%m-%d %H:%M")
            )));
        }
        let note = Interaction {
            status: InteractionStatus::Done,
            ..self.note.clone()
        };
        tx.touch_contacts(note.account, &note.people)?;
        let id = tx.w().upsert_interaction(&note, None, None)?;
        tx.created_interaction(id)?;
        let r = RecordRef::of(RecordKind::Interaction, id);
        let mut outcome =
            Outcome::new(format!("Saved {} {r} on {}", note.kind, self.on)).with_record(r);
        if let Some(f) = self.follow_up.clone() {
            let fid = write_follow_up(tx.w(), f, note.account, self.person, Some(id))?;
            tx.created("followups", fid)?;
            outcome.details.push(due_line(tx.w(), fid)?);
            outcome
                .created
                .push(RecordRef::of(RecordKind::FollowUp, fid));
        }
        Ok(outcome)
    }
}
