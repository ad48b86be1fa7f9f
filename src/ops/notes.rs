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

/// Changes what an interaction says and who and when it was: its text, title, outcome, time
/// and people. The text it replaces stays in the journal (`kam history #iN`, `kam undo`).
/// The rules: a done one is not moved later than now; a note keeps some text or a title; a
/// moved one keeps its length. Its account's and people's last contact follow it.
#[derive(Debug, Clone, Default)]
pub struct EditInteraction {
    pub id: Id,
    /// The version shown (a front that read it); `None` from the command line.
    pub version: Option<i64>,
    /// A new title ("" empties it).
    pub title: Option<String>,
    /// A new text ("" empties it, when a title or outcome remains).
    pub text: Option<String>,
    /// A new outcome ("" empties it).
    pub outcome: Option<String>,
    /// A new start (the end moves with it).
    pub at: Option<crate::domain::Timestamp>,
    /// People who took part, added.
    pub with: Vec<Id>,
    /// People taken off it.
    pub without: Vec<Id>,
}

impl EditInteraction {
    fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.text.is_none()
            && self.outcome.is_none()
            && self.at.is_none()
            && self.with.is_empty()
            && self.without.is_empty()
    }
}

/// `Some(text)` unless it is blank.
fn kept(s: Option<&String>) -> Option<String> {
    s.filter(|t| !t.trim().is_empty()).cloned()
}

impl Command for EditInteraction {
    fn name(&self) -> &'static str {
        "note edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let r = RecordRef::of(RecordKind::Interaction, self.id);
        if self.is_empty() {
            return Err(OpsError::invalid(
                "nothing to change: give --text, --title, --outcome, --at, --with or --without, e.g. --text \"Met Iván; the tender moves to March\"",
            ));
        }
        let (stored, stamp) = tx
            .w()
            .interaction(self.id)?
            .ok_or_else(|| OpsError::NotFound(format!("no interaction {r}")))?;
        if self.version.is_some_and(|v| v != stamp.version) {
            return Err(OpsError::Conflict {
                what: format!("{} {r}", stored.kind),
            });
        }
        let mut i = stored.clone();
        if self.title.is_some() {
            i.title = kept(self.title.as_ref());
        }
        if self.text.is_some() {
            i.body = kept(self.text.as_ref());
        }
        if self.outcome.is_some() {
            i.outcome = kept(self.outcome.as_ref());
        }
        if let Some(at) = self.at {
            if i.status == InteractionStatus::Done && at > tx.now() {
                return Err(OpsError::invalid(format!(
                    "--at {}: this {} has happened, so not later than now; e.g. --at \"yesterday 18:00\"",
                    at.format("%Y-%m-%d %H:%M"),
                    i.kind
                )));
            }
            i.end = i.end.map(|e| at + (e - i.at));
            i.at = at;
        }
        // Added as taking part (a mention of them becomes a participation; on a note,
        // everyone stays mentioned: `crate::domain::contact::parts`); taken off either list.
        for p in &self.with {
            if !i.people.contains(p) {
                i.people.push(*p);
            }
        }
        i.mentioned.retain(|p| !self.with.contains(p));
        i.people.retain(|p| !self.without.contains(p));
        i.mentioned.retain(|p| !self.without.contains(p));
        if i.body.is_none() && i.title.is_none() && i.outcome.is_none() {
            return Err(OpsError::invalid(format!(
                "--text: {r} would say nothing at all; give a text, e.g. --text \"Called Ana about the price list\" (`kam undo` brings back a text replaced by mistake)"
            )));
        }
        let changed = changed_fields(&stored, &i);
        let about = i
            .title
            .as_deref()
            .or(i.body.as_deref())
            .map(|t| crate::text::truncate(t.lines().next().unwrap_or(""), 40).into_owned())
            .unwrap_or_default();
        if changed.is_empty() {
            return Ok(Outcome::new(format!(
                "Nothing changed: {} {r} {about} already holds these values",
                i.kind
            ))
            .with_record(r));
        }
        tx.touch_interaction(self.id)?;
        tx.touch_contacts(None, &self.with)?;
        tx.w().upsert_interaction(&i, None, None)?;
        // A done one moved earlier, or someone taken off it: their last contact may have been
        // this interaction, and is read again from what remains.
        let earlier = i.at < stored.at;
        let removed: Vec<Id> = stored
            .people
            .iter()
            .copied()
            .filter(|p| !i.people.contains(p))
            .collect();
        if stored.status == InteractionStatus::Done && (earlier || !removed.is_empty()) {
            let people = if earlier { &stored.people } else { &removed };
            tx.w()
                .recompute_last_contact_of(earlier.then_some(i.account).flatten(), people)?;
        }
        Ok(Outcome::new(format!(
            "Saved {} {r} {about} ({})",
            i.kind,
            changed.join(", ")
        ))
        .with_record(r))
    }
}

/// The fields an edit changed, in words.
fn changed_fields(before: &Interaction, after: &Interaction) -> Vec<&'static str> {
    let mut out = Vec::new();
    if before.title != after.title {
        out.push("title");
    }
    if before.body != after.body {
        out.push("text");
    }
    if before.outcome != after.outcome {
        out.push("outcome");
    }
    if before.at != after.at || before.at.offset() != after.at.offset() {
        out.push("when");
    }
    if before.people != after.people || before.mentioned != after.mentioned {
        out.push("people");
    }
    out
}
