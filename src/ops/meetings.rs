//! Meeting commands: plan, close (done), move, cancel, edit, and log one that already happened.
//! The rules: only a planned meeting is moved, cancelled or closed; a logged one lies in the
//! past; a cancelled meeting is not contact (its account and people keep their last contact).
//! A meeting's goal and questions (which lead its brief) live in its extension data under
//! [`GOAL_KEY`] and [`QUESTIONS_KEY`].

use chrono::TimeDelta;
use serde_json::Value;

use super::followups::due_line;
use super::{Command, OpsError, Outcome, Tx};
use crate::capture::{PendingFollowUp, write_follow_up};
use crate::domain::{
    GOAL_KEY, Id, Interaction, InteractionStatus, QUESTIONS_KEY, RecordKind, RecordRef, Timestamp,
    Vocabulary,
};
use crate::store::Writer;
use crate::when::When;

fn iref(id: Id) -> RecordRef {
    RecordRef::of(RecordKind::Interaction, id)
}

fn read(w: &Writer<'_>, id: Id, version: Option<i64>) -> Result<Interaction, OpsError> {
    let (i, stamp) = w
        .interaction(id)?
        .ok_or_else(|| OpsError::NotFound(format!("no meeting {}", iref(id))))?;
    if version.is_some_and(|v| v != stamp.version) {
        return Err(OpsError::Conflict {
            what: format!("meeting {}", iref(id)),
        });
    }
    Ok(i)
}

/// The meeting `id`, which must be a planned meeting, visit, call or event.
fn read_planned(
    w: &Writer<'_>,
    id: Id,
    version: Option<i64>,
    doing: &str,
) -> Result<Interaction, OpsError> {
    let i = read(w, id, version)?;
    if !i.kind.is_scheduled() {
        return Err(OpsError::invalid(format!(
            "{} is a {}, not a meeting, visit, call or event",
            iref(id),
            i.kind
        )));
    }
    if i.status != InteractionStatus::Planned {
        return Err(OpsError::invalid(format!(
            "meeting {} is already {}; only a planned meeting can be {doing}",
            iref(id),
            i.status
        )));
    }
    Ok(i)
}

fn when_text(at: &Timestamp, today: chrono::NaiveDate) -> String {
    let local = at.naive_local();
    When {
        date: local.date(),
        time: Some(local.time()),
    }
    .describe(today)
}

fn title_of(i: &Interaction) -> &str {
    i.title.as_deref().unwrap_or(i.kind.as_str())
}

/// "#a1 Acme" or "#p3 Ana Puig": whom an interaction is with, for messages.
fn party(w: &Writer<'_>, i: &Interaction) -> Result<String, OpsError> {
    // Everyone who takes part, so a line after a dinner with two people names both.
    let mut people = Vec::new();
    for id in &i.people {
        if let Some((p, _)) = w.person(*id)? {
            people.push(format!(
                "{} {}",
                RecordRef::of(RecordKind::Person, p.id),
                p.name
            ));
        }
    }
    if !people.is_empty() {
        return Ok(people.join(", "));
    }
    if let Some(a) = i.account {
        if let Some((a, _)) = w.account(a)? {
            return Ok(format!(
                "{} {}",
                RecordRef::of(RecordKind::Account, a.id),
                a.name
            ));
        }
    }
    Ok("nobody".into())
}

fn set_goal(i: &mut Interaction, goal: Option<&str>, asks: &[String]) {
    if let Some(goal) = goal {
        if goal.trim().is_empty() {
            i.extra.remove(GOAL_KEY);
        } else {
            i.extra.insert(GOAL_KEY.into(), Value::from(goal));
        }
    }
    if !asks.is_empty() {
        let mut questions: Vec<Value> = i
            .extra
            .get(QUESTIONS_KEY)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        questions.extend(asks.iter().map(|a| Value::from(a.as_str())));
        i.extra
            .insert(QUESTIONS_KEY.into(), Value::Array(questions));
    }
}

/// A new meeting (planned when ahead), with its goal.
#[derive(Debug, Clone)]
pub struct PlanMeeting {
    pub meeting: Interaction,
    pub goal: Option<String>,
    /// The questions to ask there, in order (they follow the goal in the brief).
    pub asks: Vec<String>,
    /// Whom it is with, for the message ("#a1 Acme").
    pub with: String,
}

impl Command for PlanMeeting {
    fn name(&self) -> &'static str {
        "meeting add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let mut i = self.meeting.clone();
        set_goal(&mut i, self.goal.as_deref(), &self.asks);
        tx.touch_contacts(i.account, &i.people)?;
        let id = tx.w().upsert_interaction(&i, None, None)?;
        tx.created_interaction(id)?;
        let today = tx.now().date_naive();
        Ok(Outcome::new(format!(
            "Planned {} {} with {}, {}",
            i.kind,
            iref(id),
            self.with,
            when_text(&i.at, today)
        ))
        .with_record(iref(id)))
    }
}

/// Marks a planned meeting done with its outcome and maybe the next step.
#[derive(Debug, Clone)]
pub struct CloseMeeting {
    pub id: Id,
    pub version: Option<i64>,
    pub outcome: Option<String>,
    pub follow_up: Option<PendingFollowUp>,
}

impl Command for CloseMeeting {
    fn name(&self) -> &'static str {
        "meeting done"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let i = read(tx.w(), self.id, self.version)?;
        if !i.kind.is_scheduled() {
            return Err(OpsError::invalid(format!(
                "{} is a {}, not a meeting, visit, call or event",
                iref(self.id),
                i.kind
            )));
        }
        if i.status != InteractionStatus::Planned {
            return Err(OpsError::invalid(format!(
                "meeting {} is already {}; add to it with `kam note`",
                iref(self.id),
                i.status
            )));
        }
        tx.touch_interaction(self.id)?;
        let version = tx.w().interaction(self.id)?.map_or(0, |(_, s)| s.version);
        tx.w().close_interaction(
            self.id,
            version,
            InteractionStatus::Done,
            self.outcome.as_deref(),
        )?;
        let mut outcome = Outcome::new(format!("Done {} {}", iref(self.id), title_of(&i)))
            .with_record(iref(self.id));
        if let Some(f) = self.follow_up.clone() {
            let fid = write_follow_up(
                tx.w(),
                f,
                i.account,
                i.people.first().copied(),
                Some(self.id),
            )?;
            tx.created("followups", fid)?;
            outcome.details.push(due_line(tx.w(), fid)?);
            outcome
                .created
                .push(RecordRef::of(RecordKind::FollowUp, fid));
        }
        Ok(outcome)
    }
}

/// Reschedules a planned meeting; without a new length it keeps its own.
#[derive(Debug, Clone)]
pub struct MoveMeeting {
    pub id: Id,
    pub version: Option<i64>,
    pub to: Timestamp,
    pub length: Option<TimeDelta>,
}

impl Command for MoveMeeting {
    fn name(&self) -> &'static str {
        "meeting move"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let mut i = read_planned(tx.w(), self.id, self.version, "moved")?;
        let length = self.length.or_else(|| i.end.map(|e| e - i.at));
        if length.is_some_and(|l| l <= TimeDelta::zero()) {
            return Err(OpsError::invalid(
                "--for: a meeting lasts some time, e.g. --for 45m",
            ));
        }
        let from = i.at;
        i.at = self.to;
        i.end = length.map(|l| self.to + l);
        tx.touch_interaction(self.id)?;
        tx.w().upsert_interaction(&i, None, None)?;
        let today = tx.now().date_naive();
        Ok(Outcome::new(format!(
            "Moved {} {} from {} to {}",
            iref(self.id),
            title_of(&i),
            when_text(&from, today),
            when_text(&self.to, today)
        ))
        .with_record(iref(self.id)))
    }
}

/// Cancels a planned meeting, with the reason: it stays in the timeline, and is not contact.
#[derive(Debug, Clone)]
pub struct CancelMeeting {
    pub id: Id,
    pub version: Option<i64>,
    pub reason: Option<String>,
}

impl Command for CancelMeeting {
    fn name(&self) -> &'static str {
        "meeting cancel"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let i = read_planned(tx.w(), self.id, self.version, "cancelled")?;
        tx.touch_interaction(self.id)?;
        let version = tx.w().interaction(self.id)?.map_or(0, |(_, s)| s.version);
        let reason = self.reason.as_deref().filter(|r| !r.trim().is_empty());
        tx.w()
            .close_interaction(self.id, version, InteractionStatus::Cancelled, reason)?;
        let why = reason.map(|r| format!(" ({r})")).unwrap_or_default();
        Ok(
            Outcome::new(format!("Cancelled {} {}{why}", iref(self.id), title_of(&i)))
                .with_record(iref(self.id)),
        )
    }
}

/// Changes a meeting's title, place, people, goal or questions.
#[derive(Debug, Clone, Default)]
pub struct EditMeeting {
    pub id: Id,
    pub version: Option<i64>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub with: Vec<Id>,
    pub without: Vec<Id>,
    pub goal: Option<String>,
    pub asks: Vec<String>,
}

impl Command for EditMeeting {
    fn name(&self) -> &'static str {
        "meeting edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let stored = read(tx.w(), self.id, self.version)?;
        let mut i = stored.clone();
        let unchanged = self.title.is_none()
            && self.location.is_none()
            && self.with.is_empty()
            && self.without.is_empty()
            && self.goal.is_none()
            && self.asks.is_empty();
        if unchanged {
            return Err(OpsError::invalid(
                "nothing to change: give --title, --where, --with, --without, --goal or --ask, e.g. --goal \"agree the pilot\"",
            ));
        }
        let text = |s: &Option<String>| s.clone().filter(|t| !t.trim().is_empty());
        if self.title.is_some() {
            i.title = text(&self.title);
        }
        if self.location.is_some() {
            i.location = text(&self.location);
        }
        for p in &self.with {
            if !i.people.contains(p) {
                i.people.push(*p);
            }
        }
        i.people.retain(|p| !self.without.contains(p));
        set_goal(&mut i, self.goal.as_deref(), &self.asks);
        if i == stored {
            return Ok(Outcome::new(format!(
                "Nothing changed: {} {} {} already holds these values",
                i.kind,
                iref(self.id),
                title_of(&i)
            ))
            .with_record(iref(self.id)));
        }
        tx.touch_interaction(self.id)?;
        tx.touch_contacts(None, &self.with)?;
        tx.w().upsert_interaction(&i, None, None)?;
        Ok(Outcome::new(format!(
            "Saved {} {} {}",
            i.kind,
            iref(self.id),
            title_of(&i)
        ))
        .with_record(iref(self.id)))
    }
}

/// Records a meeting that already happened, done, with its outcome, in one step.
#[derive(Debug, Clone)]
pub struct LogMeeting {
    pub meeting: Interaction,
    pub follow_up: Option<PendingFollowUp>,
}

impl Command for LogMeeting {
    fn name(&self) -> &'static str {
        "meeting log"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let now = tx.now();
        if self.meeting.at > now {
            return Err(OpsError::invalid(format!(
                "--at {}: a logged meeting has happened; plan one ahead with `kam meeting add`, or give a past time, e.g. --at \"yesterday 20:00\"",
                self.meeting.at.format("%Y-%m-%d %H:%M")
            )));
        }
        if self
            .meeting
            .outcome
            .as_deref()
            .is_none_or(|o| o.trim().is_empty())
        {
            return Err(OpsError::invalid(
                "--outcome: say how it went, e.g. --outcome \"agreed a pilot in March\"",
            ));
        }
        let i = Interaction {
            status: InteractionStatus::Done,
            ..self.meeting.clone()
        };
        tx.touch_contacts(i.account, &i.people)?;
        let id = tx.w().upsert_interaction(&i, None, None)?;
        tx.created_interaction(id)?;
        let with = party(tx.w(), &i)?;
        let mut outcome = Outcome::new(format!(
            "Logged {} {} with {with}, {}",
            i.kind,
            iref(id),
            when_text(&i.at, now.date_naive())
        ))
        .with_record(iref(id));
        if let Some(f) = self.follow_up.clone() {
            let fid = write_follow_up(tx.w(), f, i.account, i.people.first().copied(), Some(id))?;
            tx.created("followups", fid)?;
            outcome.details.push(due_line(tx.w(), fid)?);
            outcome
                .created
                .push(RecordRef::of(RecordKind::FollowUp, fid));
        }
        Ok(outcome)
    }
}
