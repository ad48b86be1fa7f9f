//! The rules of a capture, shared by the command line (`kam note`, `kam meeting`, `kam followup`)
//! and the TUI's capture popup: who an interaction is about, how a date-language value becomes
//! a follow-up's due, and how a "next follow-up" ("+3d call about tender") is read and written.
//! Both front ends build the same records from the same input.

pub mod mention;

use chrono::{DateTime, Local, NaiveDate, TimeZone};

use crate::domain::{
    Due, Extra, FollowUp, FollowUpStatus, Id, Interaction, InteractionKind, InteractionStatus,
    Timestamp,
};
use crate::store::{Reader, StoreError, TargetKind, Writer};
use crate::when::{self, When, WhenError};

/// A fresh uid for a new record.
pub fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// A `When` as a follow-up due: a day, or a moment (in the local zone) when a time was given.
pub fn due_of(w: &When, input: &str) -> Result<Due, WhenError> {
    Ok(match w.time {
        Some(t) => Due::At(when::resolve(w.date, t, &Local, input)?),
        None => Due::Day(w.date),
    })
}

/// A moment typed in the date language for an interaction that happened ("yesterday 18:00"):
/// a day alone means its noon, today alone means now. `kam note --at`, `kam note edit --at`
/// and the TUI's interaction edit read it alike.
pub fn moment_of(input: &str, now: &DateTime<Local>) -> Result<Timestamp, WhenError> {
    let w = when::parse_when(input, now)?;
    match w.time {
        Some(t) => when::resolve(w.date, t, &Local, input),
        None if w.date == now.date_naive() => Ok(now.fixed_offset()),
        None => {
            let noon = chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default();
            when::resolve(w.date, noon, &Local, input)
        }
    }
}

/// A follow-up an interaction set, on one line as `kam show` and the TUI list it:
/// "☐ #f27 send the offer — due Wed 9 Dec 2026 (in 3 days)", "☑ #f3 call Ana — done".
pub fn followup_line(f: &FollowUp, today: NaiveDate) -> String {
    let r = crate::domain::RecordRef::of(crate::domain::RecordKind::FollowUp, f.id);
    match f.status {
        FollowUpStatus::Open => format!("☐ {r} {} — due {}", f.text, describe_due(f.due, today)),
        FollowUpStatus::Done => format!("☑ {r} {} — done", f.text),
        FollowUpStatus::Cancelled => format!("✗ {r} {} — cancelled", f.text),
    }
}

/// The account and people an interaction with a target is about: a person brings their
/// account; an account comes alone.
pub fn parties(
    reader: &Reader<'_>,
    kind: TargetKind,
    id: Id,
) -> Result<(Option<Id>, Vec<Id>), StoreError> {
    Ok(match kind {
        TargetKind::Person => {
            let account = reader.person(id)?.and_then(|(p, _)| p.account);
            (account, vec![id])
        }
        _ => (Some(id), Vec::new()),
    })
}

/// A parsed "WHEN TEXT" follow-up, ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFollowUp {
    pub due: Due,
    pub text: String,
}

/// Reads "+3d call about tender" relative to `now`.
pub fn parse_follow_up<Tz: TimeZone>(
    spec: &str,
    now: &DateTime<Tz>,
) -> Result<PendingFollowUp, WhenError> {
    let (w, text) = when::split_when_text(spec, now)?;
    Ok(PendingFollowUp {
        due: due_of(&w, spec)?,
        text,
    })
}

/// A new open follow-up with its links.
pub fn new_followup(
    pending: PendingFollowUp,
    account: Option<Id>,
    person: Option<Id>,
    interaction: Option<Id>,
) -> FollowUp {
    FollowUp {
        id: 0,
        uid: new_uid(),
        text: pending.text,
        due: pending.due,
        account,
        person,
        deal: None,
        interaction,
        repeat: None,
        status: FollowUpStatus::Open,
        done_at: None,
        priority: None,
        extra: Extra::new(),
    }
}

/// Writes a follow-up read by [`parse_follow_up`] with its links; returns its id.
pub fn write_follow_up(
    w: &Writer<'_>,
    pending: PendingFollowUp,
    account: Option<Id>,
    person: Option<Id>,
    interaction: Option<Id>,
) -> Result<Id, StoreError> {
    w.upsert_followup(
        &new_followup(pending, account, person, interaction),
        None,
        None,
    )
}

/// A new interaction of `kind` at `at` with its parties; the other fields empty. A meeting in
/// the future is planned, anything else is done.
pub fn new_interaction(
    kind: InteractionKind,
    at: Timestamp,
    now: &Timestamp,
    account: Option<Id>,
    people: Vec<Id>,
) -> Interaction {
    let status = if kind.is_scheduled() && at > *now {
        InteractionStatus::Planned
    } else {
        InteractionStatus::Done
    };
    Interaction {
        id: 0,
        uid: new_uid(),
        kind,
        at,
        end: None,
        account,
        people,
        mentioned: Vec::new(),
        title: None,
        body: None,
        location: None,
        status,
        outcome: None,
        tags: Vec::new(),
        extra: Extra::new(),
    }
}

/// A meeting's start typed in the date language, which must give a time ("fri 10:00",
/// "yesterday 20:00"), in the local zone.
pub fn meeting_start<Tz: TimeZone>(input: &str, now: &DateTime<Tz>) -> Result<Timestamp, String> {
    let w = when::parse_when(input, now).map_err(|e| e.to_string())?;
    let Some(time) = w.time else {
        return Err(format!(
            "give a time too, e.g. \"{} 10:00\"",
            crate::text::sanitize_line(input.trim())
        ));
    };
    when::resolve(w.date, time, &Local, input).map_err(|e| e.to_string())
}

/// A meeting's kind as typed: meeting (also when empty), visit, call, event or meal — the
/// kinds that sit in a calendar. Anything else names the choices.
pub fn meeting_kind(input: &str) -> Result<InteractionKind, String> {
    let typed = input.trim();
    if typed.is_empty() {
        return Ok(InteractionKind::Meeting);
    }
    match typed.to_lowercase().parse::<InteractionKind>() {
        Ok(kind) if kind.is_scheduled() => Ok(kind),
        _ => Err(format!(
            "\"{}\" is not a kind of meeting: meeting, visit, call, event or meal, e.g. meal",
            crate::text::sanitize_line(typed)
        )),
    }
}

/// A due in words, in local time: "Mon 30 Nov 2026 (in 3 days)", "Fri 27 Nov 2026 10:00 (today)".
pub fn describe_due(due: Due, today: NaiveDate) -> String {
    let (date, time) = match due {
        Due::Day(d) => (d, None),
        Due::At(t) => {
            let local = t.with_timezone(&Local);
            (local.date_naive(), Some(local.time()))
        }
    };
    When { date, time }.describe(today)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meeting_kind_is_one_of_five_and_a_meal_is_a_kind_of_its_own() {
        assert_eq!(meeting_kind(""), Ok(InteractionKind::Meeting));
        assert_eq!(meeting_kind(" Visit "), Ok(InteractionKind::Visit));
        assert_eq!(meeting_kind("MEAL"), Ok(InteractionKind::Meal));
        let e = meeting_kind("note").unwrap_err();
        assert!(e.contains("\"note\" is not a kind of meeting"), "{e}");
        assert!(meeting_kind("email").is_err());
        assert!(meeting_kind("lunch").is_err());
    }

    #[test]
    fn a_meeting_start_needs_a_time() {
        let now = Local
            .with_ymd_and_hms(2026, 11, 27, 8, 0, 0)
            .earliest()
            .expect("a plain morning");
        let e = meeting_start("fri", &now).unwrap_err();
        assert!(e.contains("give a time too, e.g. \"fri 10:00\""), "{e}");
        assert!(meeting_start("fri 10:00", &now).is_ok());
    }
}
