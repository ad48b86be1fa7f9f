//! What an item carries, field by field, on either side: a meeting as a VEVENT, an open
//! follow-up as a VTODO, a person as a vCard. The sync compares these (the notebook's, the
//! server's, and the ones both last agreed on) rather than text, so a server that reorders or
//! refolds the lines changes nothing. Text is written with the interop writers and read with
//! the interop parsers; a VTODO, which the calendar reader skips, is read here from its
//! content lines.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Due, FollowUp, Interaction, InteractionStatus, Person, Timestamp};
use crate::interop::contentline::{self, unescape};
use crate::interop::ics::{self, Todo, TodoDue, VEvent, write_calendar};
use crate::interop::vcard::{self, Version, card_of, write_card};

/// A meeting as an event.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EventFields {
    pub summary: String,
    /// Unix seconds.
    pub start: i64,
    pub end: Option<i64>,
    pub location: Option<String>,
    pub description: Option<String>,
    pub cancelled: bool,
    /// What LOCATION says when we add the account to the place ("Hospital Clínic · Room 3";
    /// `super::brief`): ours, re-sent when it changes, never taken from the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_location: Option<String>,
    /// The one-line phone brief that leads DESCRIPTION (a planned meeting's): ours, like
    /// `shown_location`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brief: Option<String>,
}

/// A follow-up as a to-do.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TodoFields {
    pub summary: String,
    /// `2026-12-07` (a day) or `2026-12-07T09:00:00Z` (a moment).
    pub due: String,
    /// Completed (or cancelled) on the server.
    pub done: bool,
}

/// A person as a card.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CardFields {
    pub name: String,
    pub org: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// An item's fields, of whichever kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum ItemFields {
    Event(EventFields),
    Todo(TodoFields),
    Card(CardFields),
}

impl ItemFields {
    /// The JSON kept as an item's base.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The base read back; `None` for a damaged one (the item is then merged as new).
    pub fn from_json(text: &str) -> Option<ItemFields> {
        serde_json::from_str(text).ok()
    }

    /// A short stable hash of the fields (FNV-1a over the JSON).
    pub fn hash(&self) -> String {
        let h = self
            .to_json()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        format!("{h:016x}")
    }
}

/// An item's base as kept in its sync state: the fields both sides last agreed on, with
/// beside them what was being sent when it was recorded (`pending`: a PUT whose reply may be
/// lost, so the server may hold it — its brief is then known), or the mark of an item deleted
/// on the server whose meeting was cancelled (`gone`: a tombstone, merged against if the event
/// is brought back). Without either it is written as the plain fields, as before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptBase {
    pub agreed: ItemFields,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<ItemFields>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gone: bool,
}

impl KeptBase {
    pub fn agreed(agreed: ItemFields) -> Self {
        KeptBase {
            agreed,
            pending: None,
            gone: false,
        }
    }

    /// The JSON kept as an item's base.
    pub fn to_json(&self) -> String {
        if self.pending.is_none() && !self.gone {
            return self.agreed.to_json();
        }
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The base read back (either form); `None` for a damaged one.
    pub fn from_json(text: &str) -> Option<KeptBase> {
        serde_json::from_str::<KeptBase>(text)
            .ok()
            .or_else(|| ItemFields::from_json(text).map(KeptBase::agreed))
    }
}

/// Empty text is no text.
pub fn some_text(t: Option<&str>) -> Option<String> {
    t.map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// A meeting's fields; `summary` is what its SUMMARY says (its title, else kind and account),
/// `shown_location` its LOCATION with the account, `brief` its one-line phone brief.
pub fn event_of(
    i: &Interaction,
    summary: String,
    shown_location: Option<String>,
    brief: Option<String>,
) -> EventFields {
    EventFields {
        summary,
        start: i.at.timestamp(),
        end: i.end.map(|e| e.timestamp()),
        location: some_text(i.location.as_deref()),
        description: some_text(i.body.as_deref()),
        cancelled: i.status == InteractionStatus::Cancelled,
        shown_location,
        brief,
    }
}

/// How a due date is kept in the fields.
pub fn due_text(due: Due) -> String {
    match due {
        Due::Day(d) => d.format("%Y-%m-%d").to_string(),
        Due::At(t) => t
            .with_timezone(&Utc)
            .format("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
    }
}

/// The due date the fields say, in the user's zone for a moment.
pub fn due_of(text: &str) -> Option<Due> {
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(Due::Day(d));
    }
    let t = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ").ok()?;
    Some(Due::At(
        Utc.from_utc_datetime(&t)
            .with_timezone(&chrono::Local)
            .fixed_offset(),
    ))
}

pub fn todo_of(f: &FollowUp) -> TodoFields {
    TodoFields {
        summary: f.text.clone(),
        due: due_text(f.due),
        done: false,
    }
}

/// A person's card fields (never their personal notes: a phone is often the company's).
pub fn card_fields(p: &Person, account: Option<&str>) -> CardFields {
    CardFields {
        name: p.name.clone(),
        org: account.map(str::to_string),
        title: some_text(p.title.as_deref()),
        phone: some_text(p.phone.as_deref()),
        email: some_text(p.email.as_deref()),
    }
}

/// What a meeting's event also carries that is not merged back: who is invited, its kind and
/// tags, its version and last change, and its account's place (to read LOCATION back).
pub struct EventExtras {
    pub account: Option<crate::store::AccountPlace>,
    pub attendees: Vec<(String, String)>,
    pub categories: Vec<String>,
    pub sequence: i64,
    pub last_modified: Timestamp,
    /// The travel minutes to the meeting's place, when they move its alarm and its leave-by
    /// time (a meeting, visit, meal or event at an account whose travel time is known).
    pub travel_minutes: Option<u16>,
}

/// The VALARM of a synced meeting: `lead` minutes (`[sync] alarm`) before its start, or
/// before the time to leave when the place's travel minutes are known, as an exported event
/// has it (`crate::interop::ics::meeting_event`); the times in its text in the local zone.
fn alarm_of(f: &EventFields, x: &EventExtras, lead: Option<u16>) -> Option<ics::EventAlarm> {
    let lead = lead?;
    if f.cancelled {
        return None;
    }
    let local = |seconds: i64| {
        chrono::Local
            .timestamp_opt(seconds, 0)
            .single()
            .map_or_else(String::new, |t| t.format("%H:%M").to_string())
    };
    let travel = x.travel_minutes.unwrap_or(0);
    let text = match x.travel_minutes {
        Some(t) => format!(
            "Leave by {} for {}",
            local(f.start - i64::from(t) * 60),
            f.summary
        ),
        None => format!("{} at {}", f.summary, local(f.start)),
    };
    Some(ics::EventAlarm {
        minutes_before: u32::from(lead) + u32::from(travel),
        text: crate::text::sanitize_line(&text).into_owned(),
    })
}

fn utc(seconds: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(seconds, 0).single().unwrap_or_default()
}

/// The calendar text of one event, with its alarm `lead` minutes before (`None`: no alarm).
pub fn event_text(
    uid: &str,
    f: &EventFields,
    x: &EventExtras,
    now: Timestamp,
    lead: Option<u16>,
) -> String {
    let e = VEvent {
        uid: uid.to_string(),
        start: utc(f.start),
        end: f.end.map(utc),
        summary: f.summary.clone(),
        description: super::brief::description_of(f),
        location: super::brief::location_of(f),
        cancelled: f.cancelled,
        attendees: x.attendees.clone(),
        categories: x.categories.clone(),
        sequence: x.sequence,
        last_modified: x.last_modified.with_timezone(&Utc),
        all_day: None,
        alarm: alarm_of(f, x, lead),
    };
    let mut out = String::new();
    write_calendar(&mut out, now.with_timezone(&Utc), &[e], &[]);
    out
}

/// The calendar text of one to-do; `about` names its account and person.
pub fn todo_text(
    uid: &str,
    f: &TodoFields,
    about: Option<String>,
    priority: Option<u8>,
    (sequence, last_modified): (i64, Timestamp),
    now: Timestamp,
) -> String {
    let due = match due_of(&f.due) {
        Some(Due::At(t)) => TodoDue::At(t.with_timezone(&Utc)),
        Some(Due::Day(d)) => TodoDue::Day(d),
        None => TodoDue::Day(now.date_naive()),
    };
    let t = Todo {
        uid: uid.to_string(),
        due,
        summary: f.summary.clone(),
        description: about,
        priority: priority.map(|p| match p {
            1 => 1,
            2 => 5,
            _ => 9,
        }),
        sequence,
        last_modified: last_modified.with_timezone(&Utc),
    };
    let mut out = String::new();
    write_calendar(&mut out, now.with_timezone(&Utc), &[], &[t]);
    out
}

/// The vCard text of a person (no NOTE: personal notes never leave through sync).
pub fn card_text(uid: &str, p: &Person, account: Option<String>, rev: Timestamp) -> String {
    let mut card = card_of(p, account);
    card.uid = Some(uid.to_string());
    card.note = None;
    let mut out = String::new();
    write_card(&mut out, &card, Version::V3, Some(rev));
    out
}

/// An item as read from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteItem {
    pub uid: String,
    pub fields: ItemFields,
    /// An event's attendee emails.
    pub attendees: Vec<String>,
    /// An event that repeats (not merged: the notebook's meetings are single).
    pub recurring: bool,
}

/// Reads one calendar object (an event or a to-do) or one card; `None` when it holds neither
/// in a form the notebook can keep (the caller reports it). An event's LOCATION and DESCRIPTION
/// are as written there: `super::brief::as_ours` takes off what we add before merging.
pub fn read_remote(text: &str) -> Option<RemoteItem> {
    if text.contains("BEGIN:VCARD") {
        let card = vcard::parse(text).ok()?.into_iter().next()?;
        return Some(RemoteItem {
            uid: card.uid.clone()?,
            fields: ItemFields::Card(CardFields {
                name: card.name.clone(),
                org: some_text(card.org.as_deref()),
                title: some_text(card.title.as_deref()),
                phone: some_text(card.phone.as_deref()),
                email: some_text(card.email.as_deref()),
            }),
            attendees: Vec::new(),
            recurring: false,
        });
    }
    let cal = ics::parse(text).ok()?;
    if let Some(e) = cal.events.iter().find(|e| e.recurrence_id.is_none()) {
        let (at, end) = ics::event_times(&cal, e)?;
        return Some(RemoteItem {
            uid: e.uid.clone()?,
            fields: ItemFields::Event(EventFields {
                summary: e.summary.clone().unwrap_or_default(),
                start: at.timestamp(),
                end: end.map(|t| t.timestamp()),
                location: some_text(e.location.as_deref()),
                description: some_text(e.description.as_deref()),
                cancelled: e.cancelled,
                shown_location: None,
                brief: None,
            }),
            attendees: e.attendees.clone(),
            recurring: e.rrule.is_some(),
        });
    }
    read_todo(text)
}

/// The first VTODO's UID, SUMMARY, DUE and whether it is completed or cancelled.
fn read_todo(text: &str) -> Option<RemoteItem> {
    let mut inside = false;
    let mut uid = None;
    let mut todo = TodoFields::default();
    for (line, raw) in contentline::unfold(text) {
        let Some(cl) = contentline::parse(line, &raw) else {
            continue;
        };
        let value = cl.value.trim();
        match cl.name.as_str() {
            "BEGIN" if value.eq_ignore_ascii_case("VTODO") => inside = true,
            "END" if value.eq_ignore_ascii_case("VTODO") => break,
            _ if !inside => {}
            "UID" => uid = Some(unescape(value)),
            "SUMMARY" => todo.summary = unescape(value),
            "DUE" => todo.due = due_value(value).unwrap_or_default(),
            "STATUS" => {
                todo.done |= value.eq_ignore_ascii_case("COMPLETED")
                    || value.eq_ignore_ascii_case("CANCELLED");
            }
            "COMPLETED" => todo.done = true,
            _ => {}
        }
    }
    // A to-do without a DUE (a phone's often has none) keeps an empty one: the notebook's
    // due date is sent back over it.
    if !inside {
        return None;
    }
    Some(RemoteItem {
        uid: uid?,
        fields: ItemFields::Todo(todo),
        attendees: Vec::new(),
        recurring: false,
    })
}

/// A DUE value as the fields keep it: a day, or a moment (UTC; a floating one in local time).
fn due_value(v: &str) -> Option<String> {
    if v.len() == 8 {
        let d = NaiveDate::parse_from_str(v, "%Y%m%d").ok()?;
        return Some(due_text(Due::Day(d)));
    }
    if let Some(u) = v.strip_suffix('Z') {
        let t = NaiveDateTime::parse_from_str(u, "%Y%m%dT%H%M%S").ok()?;
        return Some(due_text(Due::At(Utc.from_utc_datetime(&t).fixed_offset())));
    }
    let t = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()?;
    let local = crate::clock::earliest_instant(chrono::Local.from_local_datetime(&t))?;
    Some(due_text(Due::At(local.fixed_offset())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    #[test]
    fn an_event_written_is_read_back_field_for_field() {
        let f = EventFields {
            summary: "Pilot review; lots 3,4".into(),
            start: at("2026-12-09T09:00:00Z").timestamp(),
            end: Some(at("2026-12-09T10:00:00Z").timestamp()),
            location: Some("Hospital Clínic".into()),
            description: Some("agenda\nsecond line".into()),
            cancelled: false,
            shown_location: None,
            brief: None,
        };
        let x = EventExtras {
            account: None,
            attendees: vec![("Ana Puig".into(), "ana@clinic.es".into())],
            categories: vec!["meeting".into()],
            sequence: 0,
            last_modified: at("2026-12-01T09:00:00Z"),
            travel_minutes: Some(25),
        };
        // The alarm rings 15 minutes before the time to leave: 40 before the start. It is
        // not a field both sides merge: the event reads back as it was.
        let text = event_text("u1@kamnote", &f, &x, at("2026-12-06T09:00:00Z"), Some(15));
        assert!(text.contains("BEGIN:VALARM"), "{text}");
        assert!(text.contains("TRIGGER:-PT40M"), "{text}");
        assert!(text.contains("Leave by "), "{text}");
        let back = read_remote(&text).unwrap();
        assert_eq!(back.uid, "u1@kamnote");
        assert_eq!(back.fields, ItemFields::Event(f.clone()));
        assert_eq!(back.attendees, ["ana@clinic.es"]);
        // `[sync] alarm = "off"`: none; without a travel time, the lead alone.
        let none = event_text("u1@kamnote", &f, &x, at("2026-12-06T09:00:00Z"), None);
        assert!(!none.contains("VALARM"), "{none}");
        let here = EventExtras {
            travel_minutes: None,
            ..x
        };
        let text = event_text(
            "u1@kamnote",
            &f,
            &here,
            at("2026-12-06T09:00:00Z"),
            Some(15),
        );
        assert!(text.contains("TRIGGER:-PT15M"), "{text}");
        assert!(text.contains("Pilot review\\; lots 3\\,4 at "), "{text}");
    }

    #[test]
    fn a_todo_is_read_with_its_due_and_completion() {
        let f = TodoFields {
            summary: "Send the prices".into(),
            due: "2026-12-07".into(),
            done: false,
        };
        let now = at("2026-12-06T09:00:00Z");
        let text = todo_text("f1@kamnote", &f, None, Some(1), (0, now), now);
        let back = read_remote(&text).unwrap();
        assert_eq!(back.fields, ItemFields::Todo(f.clone()));
        let done = text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED");
        let ItemFields::Todo(got) = read_remote(&done).unwrap().fields else {
            panic!("a to-do")
        };
        assert!(got.done);
        let timed = text.replace("DUE;VALUE=DATE:20261207", "DUE:20261207T080000Z");
        let ItemFields::Todo(got) = read_remote(&timed).unwrap().fields else {
            panic!("a to-do")
        };
        assert_eq!(got.due, "2026-12-07T08:00:00Z");
        assert!(read_remote("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n").is_none());
    }

    #[test]
    fn a_card_leaves_the_personal_notes_home() {
        let p = Person {
            name: "Ana Puig".into(),
            title: Some("Head of pharmacy".into()),
            email: Some("ana@clinic.es".into()),
            personal: Some("daughter starts university".into()),
            ..Person::default()
        };
        let text = card_text(
            "p1",
            &p,
            Some("Hospital Clínic".into()),
            at("2026-12-01T09:00:00Z"),
        );
        assert!(!text.contains("daughter"), "{text}");
        let back = read_remote(&text).unwrap();
        assert_eq!(
            back.fields,
            ItemFields::Card(card_fields(&p, Some("Hospital Clínic")))
        );
    }

    #[test]
    fn the_base_round_trips_and_hashes_stably() {
        let f = ItemFields::Todo(TodoFields {
            summary: "x".into(),
            due: "2026-12-07".into(),
            done: false,
        });
        assert_eq!(ItemFields::from_json(&f.to_json()), Some(f.clone()));
        assert_eq!(f.hash(), f.clone().hash());
        assert!(ItemFields::from_json("{not json").is_none());
        let kept = KeptBase {
            pending: Some(f.clone()),
            ..KeptBase::agreed(f.clone())
        };
        assert_eq!(KeptBase::from_json(&kept.to_json()), Some(kept));
        assert_eq!(
            KeptBase::from_json(&f.to_json()),
            Some(KeptBase::agreed(f.clone()))
        );
        assert_eq!(KeptBase::agreed(f.clone()).to_json(), f.to_json());
    }
}
