//! Writing the notebook's meetings and open follow-ups as one calendar (store side).

use std::io::Write;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::domain::{Due, Interaction, InteractionKind, InteractionStatus, Vocabulary, travel};
use crate::interop::jsonl::ExportError;
use crate::store::{AccountPlace, CalendarMeeting, Reader, StoreError};

use crate::prep::phone::{plain_line, plain_whole};

use super::write::{EventAlarm, Todo, TodoDue, VEvent, write_calendar};

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

/// What a meeting's event carries beyond its record (issue 13.4-5): how long before it the
/// alarm rings (`None`: no alarm) and the cadence the brief's red flags are judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventOptions {
    pub alarm_minutes: Option<u16>,
    pub cadence: crate::cadence::CadenceConfig,
}

impl Default for EventOptions {
    /// A 15-minute alarm and the default cadence.
    fn default() -> Self {
        EventOptions {
            alarm_minutes: Some(15),
            cadence: crate::cadence::CadenceConfig::default(),
        }
    }
}

/// The separator between the account and the place in LOCATION.
pub const PLACE_SEPARATOR: &str = " · ";

/// LOCATION: the account and the place, so the phone shows which client it is — "Hospital
/// Clínic · Room 3", or with no place of its own the account's address ("Hospital Clínic ·
/// C/ Villarroel 170, Barcelona"); a place that already names the account is not repeated.
/// What it adds (the account's name, address and city) is plain text: white space runs become
/// one space, control characters are dropped; the meeting's own place goes as it is.
pub fn place_for(account: Option<&AccountPlace>, location: Option<&str>) -> Option<String> {
    let location = location
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string);
    let Some(a) = account else {
        return location;
    };
    let place = location.or_else(|| {
        let parts: Vec<String> = [a.address.as_deref(), a.city.as_deref()]
            .into_iter()
            .flatten()
            .map(plain_whole)
            .filter(|p| !p.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    });
    let name = plain_whole(&a.name);
    Some(match place {
        Some(p) if crate::text::fold(&p).contains(&crate::text::fold(&name)) => p,
        Some(p) => format!("{name}{PLACE_SEPARATOR}{p}"),
        None => name,
    })
}

/// The meeting's notes in a DESCRIPTION read back: for one of our own events (`ours`: its UID
/// is `<uid>@kamnote`) the brief paragraph the export put first (it passes
/// [`crate::prep::phone::is_phone_brief`]) is not notes and is dropped
/// (`None`: nothing but the brief); anything else is the notes as they are.
pub fn notes_from_description(description: &str, ours: bool) -> Option<String> {
    let (first, notes) = match description.split_once("\n\n") {
        Some((first, notes)) => (first, Some(notes)),
        None => (description, None),
    };
    if ours && crate::prep::phone::is_phone_brief(first) {
        notes.map(str::to_string)
    } else {
        Some(description.to_string())
    }
}

/// The meeting's own place in a LOCATION read back: what [`place_for`] would write for the
/// meeting as it is (`current`) leaves it as it is; for one of our own events a place still led
/// by the account's name loses that lead; anything else is the place as written.
pub fn place_from_location(
    location: &str,
    account: Option<&AccountPlace>,
    current: Option<&str>,
    ours: bool,
) -> Option<String> {
    if place_for(account, current).as_deref() == Some(location) {
        return current.map(str::to_string);
    }
    if let Some(a) = account.filter(|_| ours) {
        let name = plain_whole(&a.name);
        if let Some(rest) = location
            .strip_prefix(name.as_str())
            .and_then(|r| r.strip_prefix(PLACE_SEPARATOR))
        {
            return Some(rest.to_string());
        }
        if location == name {
            return None;
        }
    }
    Some(location.to_string())
}

/// The meeting's event as the calendar export and the CalDAV sync write it: LOCATION with the
/// account and the place; for a planned meeting, DESCRIPTION led by its one-line brief
/// ([`crate::prep::phone_brief`], never the people's personal notes) and a VALARM
/// `alarm_minutes` before it — before the time to leave when the place's travel minutes are
/// known. Times in the alarm's text are in `now`'s zone.
pub fn meeting_event<Tz: TimeZone>(
    reader: &Reader<'_>,
    m: &CalendarMeeting,
    now: &DateTime<Tz>,
    options: &EventOptions,
) -> Result<VEvent, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let i = &m.interaction;
    let mut categories = vec![i.kind.as_str().to_string()];
    categories.extend(i.tags.iter().cloned());
    let place = match i.account {
        Some(a) => reader.account_place(a)?,
        None => None,
    };
    let summary = summary_for(i, m.account_name.as_deref());
    let planned = i.status == InteractionStatus::Planned;
    let brief = if planned {
        crate::prep::phone_brief(reader, i.id, now, &options.cadence)?
    } else {
        None
    };
    // The notes go as they are (a machine format keeps exact data, and they come back so);
    // what the export adds — the brief, the account, the alarm's text — is plain text.
    let description = match (brief, i.body.as_deref()) {
        (Some(b), Some(body)) if !body.is_empty() => Some(format!("{b}\n\n{body}")),
        (Some(b), _) => Some(b),
        (None, body) => body.map(str::to_string),
    };
    let travel = place.as_ref().and_then(|p| p.travel_minutes);
    let leave = travel::leave_by_of(i, travel);
    let alarm = options.alarm_minutes.filter(|_| planned).map(|lead| {
        let local = |t: &crate::domain::Timestamp| {
            t.with_timezone(&now.timezone()).format("%H:%M").to_string()
        };
        let text = match &leave {
            Some(l) => format!("Leave by {} for {summary}", local(l)),
            None => format!("{summary} at {}", local(&i.at)),
        };
        let travel = if leave.is_some() {
            travel.unwrap_or(0)
        } else {
            0
        };
        EventAlarm {
            minutes_before: u32::from(lead) + u32::from(travel),
            text: plain_line(&text),
        }
    });
    Ok(VEvent {
        uid: calendar_uid(&i.uid),
        start: i.at.with_timezone(&Utc),
        end: i.end.map(|e| e.with_timezone(&Utc)),
        summary,
        description,
        location: place_for(place.as_ref(), i.location.as_deref()),
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
        alarm,
    })
}

/// Writes the calendar; returns (events, to-dos) written.
pub fn export(
    reader: &Reader<'_>,
    out: &mut dyn Write,
    now: DateTime<Utc>,
    window: CalendarWindow,
    options: &EventOptions,
) -> Result<(u64, u64), ExportError> {
    let meetings = reader.calendar_meetings(window.meetings.0, window.meetings.1)?;
    // The window's days are the user's local days, as the meetings' bounds are.
    let followups =
        reader.calendar_followups(window.followups.0, window.followups.1, &chrono::Local)?;
    let local_now = now.with_timezone(&chrono::Local);
    let events: Vec<VEvent> = meetings
        .iter()
        .map(|m| meeting_event(reader, m, &local_now, options))
        .collect::<Result<_, _>>()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn clinic() -> AccountPlace {
        AccountPlace {
            name: "Hospital Clínic".into(),
            address: Some("C/ Villarroel 170".into()),
            city: Some("Barcelona".into()),
            travel_minutes: Some(25),
        }
    }

    #[test]
    fn the_location_names_the_account_and_the_place() {
        let a = clinic();
        assert_eq!(
            place_for(Some(&a), Some("Room 3")).as_deref(),
            Some("Hospital Clínic · Room 3")
        );
        assert_eq!(
            place_for(Some(&a), None).as_deref(),
            Some("Hospital Clínic · C/ Villarroel 170, Barcelona")
        );
        assert_eq!(
            place_for(Some(&a), Some("hospital clinic, hall B")).as_deref(),
            Some("hospital clinic, hall B"),
            "a place that names the account already"
        );
        let bare = AccountPlace {
            address: None,
            city: None,
            ..clinic()
        };
        assert_eq!(
            place_for(Some(&bare), None).as_deref(),
            Some("Hospital Clínic")
        );
        assert_eq!(place_for(None, Some("Café")).as_deref(), Some("Café"));
        assert_eq!(place_for(None, None), None);
    }

    #[test]
    fn what_the_export_added_is_taken_off_when_our_own_event_comes_back() {
        let a = clinic();
        for current in [Some("Room 3"), None] {
            let written = place_for(Some(&a), current).unwrap();
            assert_eq!(
                place_from_location(&written, Some(&a), current, true).as_deref(),
                current
            );
        }
        assert_eq!(
            place_from_location("Hospital Clínic · Room 9", Some(&a), Some("Room 3"), true)
                .as_deref(),
            Some("Room 9"),
            "moved to another room on the phone"
        );
        assert_eq!(
            place_from_location("Hospital Clínic · Room 9", Some(&a), None, false).as_deref(),
            Some("Hospital Clínic · Room 9"),
            "someone else's event keeps its place as written"
        );
        let brief = "Brief 6 Dec · With Ana (never seen)";
        assert_eq!(
            notes_from_description(&format!("{brief}\n\nbring samples"), true).as_deref(),
            Some("bring samples")
        );
        assert_eq!(notes_from_description(brief, true), None);
        assert_eq!(
            notes_from_description(brief, false).as_deref(),
            Some(brief),
            "not ours: all of it is notes"
        );
        assert_eq!(
            notes_from_description("Brief chat\n\nthey want more", true).as_deref(),
            Some("Brief chat\n\nthey want more")
        );
    }
}
