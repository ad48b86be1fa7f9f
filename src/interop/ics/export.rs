//! Writing the notebook's meetings and open follow-ups as one calendar (store side).

use std::io::Write;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use crate::domain::{Due, Interaction, InteractionKind, InteractionStatus, Vocabulary};
use crate::interop::jsonl::ExportError;
use crate::store::Reader;

use super::write::{Todo, TodoDue, VEvent, write_calendar};

/// What goes in: meetings starting in `[meetings.0, meetings.1)` (unix seconds) and open
/// follow-ups due in `followups` (local days, inclusive: a timed one by the day its instant
/// falls on in the user's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalendarWindow {
    pub meetings: (i64, i64),
    pub followups: (NaiveDate, NaiveDate),
}

impl CalendarWindow {
    /// Everything.
    pub const ALL: CalendarWindow = CalendarWindow {
        meetings: (i64::MIN, i64::MAX),
        followups: (NaiveDate::MIN, NaiveDate::MAX),
    };
}

/// The UID a record has in a calendar.
pub fn calendar_uid(uid: &str) -> String {
    format!("{uid}@kamnote")
}

/// A meeting's SUMMARY: its title, else its kind and account ("Meeting — Hospital Clínic").
pub fn summary_for(i: &Interaction, account: Option<&str>) -> String {
    if let Some(t) = &i.title {
        return t.clone();
    }
    let kind = i.kind.as_str();
    let mut kind = kind.to_string();
    if let Some(first) = kind.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    match account {
        Some(a) => format!("{kind} — {a}"),
        None => kind,
    }
}

/// The days of an all-day event: an event (kind `event`, as an imported `VALUE=DATE` one is)
/// from midnight to a later midnight, or without an end, in the offset it was written in.
/// Its first day and the day after its last.
pub fn all_day(i: &Interaction) -> Option<(NaiveDate, NaiveDate)> {
    if i.kind != InteractionKind::Event || i.at.time() != NaiveTime::MIN {
        return None;
    }
    let first = i.at.date_naive();
    match i.end {
        None => Some((first, first.succ_opt()?)),
        Some(end) => {
            let end = end.with_timezone(i.at.offset());
            (end.time() == NaiveTime::MIN && end.date_naive() > first)
                .then(|| (first, end.date_naive()))
        }
    }
}

/// Writes the calendar; returns (events, to-dos) written.
pub fn export(
    reader: &Reader<'_>,
    out: &mut dyn Write,
    now: DateTime<Utc>,
    window: CalendarWindow,
) -> Result<(u64, u64), ExportError> {
    let meetings = reader.calendar_meetings(window.meetings.0, window.meetings.1)?;
    // The window's days are the user's local days, as the meetings' bounds are.
    let followups =
        reader.calendar_followups(window.followups.0, window.followups.1, &chrono::Local)?;
    let events: Vec<VEvent> = meetings
        .into_iter()
        .map(|m| {
            let i = &m.interaction;
            let mut categories = vec![i.kind.as_str().to_string()];
            categories.extend(i.tags.iter().cloned());
            VEvent {
                uid: calendar_uid(&i.uid),
                start: i.at.with_timezone(&Utc),
                end: i.end.map(|e| e.with_timezone(&Utc)),
                summary: summary_for(i, m.account_name.as_deref()),
                description: i.body.clone(),
                location: i.location.clone(),
                cancelled: i.status == InteractionStatus::Cancelled,
                attendees: m
                    .people
                    .iter()
                    .filter_map(|(n, e)| e.as_ref().map(|e| (n.clone(), e.clone())))
                    .collect(),
                categories,
                sequence: m.stamp.version - 1,
                last_modified: m.stamp.updated_at.with_timezone(&Utc),
                all_day: all_day(i),
            }
        })
        .collect();
    let todos: Vec<Todo> = followups
        .into_iter()
        .map(|f| {
            let about: Vec<String> = [
                f.account_name.map(|a| format!("Account: {a}")),
                f.person_name.map(|p| format!("Person: {p}")),
            ]
            .into_iter()
            .flatten()
            .collect();
            Todo {
                uid: calendar_uid(&f.followup.uid),
                due: match f.followup.due {
                    Due::Day(d) => TodoDue::Day(d),
                    Due::At(t) => TodoDue::At(t.with_timezone(&Utc)),
                },
                summary: f.followup.text.clone(),
                description: (!about.is_empty()).then(|| about.join("\n")),
                priority: f.followup.priority.map(|p| match p {
                    1 => 1,
                    2 => 5,
                    _ => 9,
                }),
                sequence: f.stamp.version - 1,
                last_modified: f.stamp.updated_at.with_timezone(&Utc),
            }
        })
        .collect();
    let mut text = String::new();
    write_calendar(&mut text, now, &events, &todos);
    out.write_all(text.as_bytes())?;
    Ok((events.len() as u64, todos.len() as u64))
}
