//! The notebook's side of the sync: the records a collection holds (upcoming meetings and open
//! follow-ups in the calendar, people in use in the address book), each with the fields the
//! sync merges and what else its server copy carries.

use chrono::{Local, TimeZone, Utc};

use crate::cadence::CadenceConfig;
use crate::domain::{Id, InteractionStatus, Person, Stamp, Timestamp, Vocabulary};
use crate::interop::ics::{calendar_uid, place_for, summary_for};
use crate::store::Reader;
use crate::text::sanitize_line;

use super::fields::{
    EventExtras, ItemFields, card_fields, card_text, event_of, event_text, some_text, todo_of,
    todo_text,
};
use super::{CALENDAR, SyncError};

/// Meetings this far back are still sent when new (older ones are history, not calendar).
const PAST_DAYS: i64 = 30;
/// How a record is written on the server besides its merged fields.
pub(super) enum Render {
    Event(EventExtras),
    Todo {
        about: Option<String>,
        priority: Option<u8>,
        stamp: Stamp,
    },
    Card {
        person: Box<Person>,
        account: Option<String>,
        stamp: Stamp,
    },
}

/// A record of the notebook as the sync sees it.
pub(super) struct LocalRecord {
    pub(super) kind: &'static str,
    pub(super) id: Id,
    pub(super) uid: String,
    /// Sent when it has no item on the server yet (an upcoming meeting, an open follow-up, a
    /// person in use); an item whose record left the scope is deleted from the server.
    pub(super) in_scope: bool,
    /// A planned meeting (only those are moved or cancelled).
    pub(super) planned: bool,
    /// Whom a note about it goes on (account, people).
    pub(super) on: (Option<Id>, Vec<Id>),
    pub(super) label: String,
    pub(super) fields: ItemFields,
    pub(super) render: Render,
}

impl LocalRecord {
    /// The server's text for it with `fields`, under the server's `uid`.
    pub(super) fn text(&self, uid: &str, now: Timestamp, alarm: Option<u16>) -> String {
        match (&self.render, &self.fields) {
            (Render::Event(x), ItemFields::Event(f)) => event_text(uid, f, x, now, alarm),
            (
                Render::Todo {
                    about,
                    priority,
                    stamp,
                },
                ItemFields::Todo(f),
            ) => todo_text(
                uid,
                f,
                about.clone(),
                *priority,
                (stamp.version - 1, stamp.updated_at),
                now,
            ),
            (
                Render::Card {
                    person,
                    account,
                    stamp,
                },
                _,
            ) => card_text(uid, person, account.clone(), stamp.updated_at),
            _ => String::new(),
        }
    }

    /// The UID it has on the server when the notebook creates it there.
    pub(super) fn server_uid(&self) -> String {
        if self.kind == "person" {
            self.uid.clone()
        } else {
            calendar_uid(&self.uid)
        }
    }
}

pub(super) fn local_ts(seconds: i64) -> Timestamp {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .unwrap_or_default()
        .with_timezone(&Local)
        .fixed_offset()
}

/// The meeting `id` as the sync sees it, with the account and place its LOCATION shows and,
/// planned, its phone brief as of `now` (judged by `cadence`; never personal notes).
fn meeting(
    r: &Reader<'_>,
    id: Id,
    now: Timestamp,
    cadence: &CadenceConfig,
) -> Result<Option<LocalRecord>, SyncError> {
    let Some((i, stamp)) = r.interaction(id)? else {
        return Ok(None);
    };
    let account = match i.account {
        Some(a) => r.account(a)?.map(|(a, _)| a.name),
        None => None,
    };
    let mut attendees = Vec::new();
    for p in &i.people {
        if let Some((p, _)) = r.person(*p)? {
            if let Some(e) = some_text(p.email.as_deref()) {
                attendees.push((p.name, e));
            }
        }
    }
    let summary = summary_for(&i, account.as_deref());
    // The travel time moves the alarm (and the leave-by time) of a meeting held at the account.
    let place = match i.account {
        Some(a) => r.account_place(a)?,
        None => None,
    };
    let travel = place.as_ref().and_then(|p| p.travel_minutes);
    let travel_minutes = crate::domain::travel::leave_by_of(&i, travel).and(travel);
    let mut categories = vec![i.kind.as_str().to_string()];
    categories.extend(i.tags.iter().cloned());
    let planned = i.status == InteractionStatus::Planned;
    let shown_location = place_for(place.as_ref(), i.location.as_deref());
    let brief = if planned {
        crate::prep::phone_brief(r, id, &now, cadence)?
    } else {
        None
    };
    Ok(Some(LocalRecord {
        kind: "meeting",
        id,
        uid: i.uid.clone(),
        in_scope: planned && i.at.timestamp() >= now.timestamp() - PAST_DAYS * 86_400,
        planned,
        on: (i.account, i.people.clone()),
        label: format!("#i{id} {}", sanitize_line(&summary)),
        fields: ItemFields::Event(event_of(&i, summary, shown_location, brief)),
        render: Render::Event(EventExtras {
            account: place,
            attendees,
            categories,
            sequence: stamp.version - 1,
            last_modified: stamp.updated_at,
            travel_minutes,
        }),
    }))
}

/// The follow-up `id` as the sync sees it.
fn followup(r: &Reader<'_>, id: Id) -> Result<Option<LocalRecord>, SyncError> {
    let Some((f, stamp)) = r.followup(id)? else {
        return Ok(None);
    };
    let account = match f.account {
        Some(a) => r.account(a)?.map(|(a, _)| a.name),
        None => None,
    };
    let person = match f.person {
        Some(p) => r.person(p)?.map(|(p, _)| p.name),
        None => None,
    };
    let about: Vec<String> = [
        account.map(|a| format!("Account: {a}")),
        person.map(|p| format!("Person: {p}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    Ok(Some(LocalRecord {
        kind: "followup",
        id,
        uid: f.uid.clone(),
        in_scope: f.status == crate::domain::FollowUpStatus::Open,
        planned: false,
        on: (f.account, f.person.into_iter().collect()),
        label: format!("#f{id} {}", sanitize_line(&f.text)),
        fields: ItemFields::Todo(todo_of(&f)),
        render: Render::Todo {
            about: (!about.is_empty()).then(|| about.join("\n")),
            priority: f.priority,
            stamp,
        },
    }))
}

/// The person `id` as the sync sees them.
fn person(r: &Reader<'_>, id: Id) -> Result<Option<LocalRecord>, SyncError> {
    let Some((p, stamp)) = r.person(id)? else {
        return Ok(None);
    };
    let account = match p.account {
        Some(a) => r.account(a)?.map(|(a, _)| a.name),
        None => None,
    };
    Ok(Some(LocalRecord {
        kind: "person",
        id,
        uid: p.uid.clone(),
        in_scope: p.archived_at.is_none(),
        planned: false,
        on: (None, vec![id]),
        label: format!("#p{id} {}", sanitize_line(&p.name)),
        fields: ItemFields::Card(card_fields(&p, account.as_deref())),
        render: Render::Card {
            person: Box::new(p),
            account,
            stamp,
        },
    }))
}

pub(super) fn one(
    r: &Reader<'_>,
    kind: &str,
    id: Id,
    now: Timestamp,
    cadence: &CadenceConfig,
) -> Result<Option<LocalRecord>, SyncError> {
    match kind {
        "meeting" => meeting(r, id, now, cadence),
        "followup" => followup(r, id),
        "person" => person(r, id),
        _ => Ok(None),
    }
}

/// The records the collection holds when they are in scope: upcoming meetings and open
/// follow-ups for the calendar, people in use for the address book.
pub(super) fn in_scope(
    r: &Reader<'_>,
    collection: &str,
    now: Timestamp,
    cadence: &CadenceConfig,
) -> Result<Vec<LocalRecord>, SyncError> {
    let mut out = Vec::new();
    if collection == CALENDAR {
        let from = now.timestamp() - PAST_DAYS * 86_400;
        for m in r.calendar_meetings(from, i64::MAX)? {
            if m.interaction.status == InteractionStatus::Planned {
                out.extend(meeting(r, m.interaction.id, now, cadence)?);
            }
        }
        for f in r.calendar_followups(chrono::NaiveDate::MIN, chrono::NaiveDate::MAX, &Local)? {
            out.extend(followup(r, f.followup.id)?);
        }
    } else {
        let mut ids = Vec::new();
        r.each_person_with_account(|p, _, _| -> Result<(), crate::store::StoreError> {
            if p.archived_at.is_none() {
                ids.push(p.id);
            }
            Ok(())
        })?;
        for id in ids {
            out.extend(person(r, id)?);
        }
    }
    Ok(out)
}
