//! One collection synced: read the server (tags, listing, the changed items), then item by
//! item merge the notebook's fields, the server's and the base both last agreed on, apply
//! what came back as ops commands with the item's state, and send what changed here.

use std::collections::{HashMap, HashSet};

use chrono::{Local, TimeDelta, TimeZone, Utc};

use crate::domain::{Id, InteractionKind, InteractionStatus, Person, Stamp, Timestamp, Vocabulary};
use crate::interop::ics::{calendar_uid, summary_for};
use crate::ops::{
    self, AddNote, AddPerson, CancelMeeting, Command, CompleteFollowUp, EditFollowUp,
    EditInteraction, EditMeeting, EditPerson, MoveMeeting, PlanMeeting,
};
use crate::store::{Reader, Store, SyncedCollection, SyncedItem};
use crate::text::sanitize_line;

use super::apply::{FromServer, StateChange};
use super::dav::{DavCollection, Fetched, Tags};
use super::fields::{
    CardFields, EventExtras, EventFields, ItemFields, RemoteItem, TodoFields, card_fields,
    card_text, due_of, event_of, event_text, read_remote, some_text, todo_of, todo_text,
};
use super::{CALENDAR, SyncError, SyncSummary};

/// Meetings this far back are still sent when new (older ones are history, not calendar).
const PAST_DAYS: i64 = 30;

/// The server side of one collection, as the sync uses it.
pub trait Remote {
    fn url(&self) -> &str;
    fn href_for(&self, uid: &str) -> String;
    fn tags(&self) -> Result<Tags, SyncError>;
    fn list(&self) -> Result<Vec<(String, Option<String>)>, SyncError>;
    fn fetch(&self, hrefs: &[String]) -> Result<Vec<Fetched>, SyncError>;
    fn create(&self, href: &str, data: &str) -> Result<Option<String>, SyncError>;
    fn update(&self, href: &str, data: &str, etag: &str) -> Result<Option<String>, SyncError>;
    fn delete(&self, href: &str, etag: Option<&str>) -> Result<(), SyncError>;
}

impl Remote for DavCollection {
    fn url(&self) -> &str {
        DavCollection::url(self)
    }
    fn href_for(&self, uid: &str) -> String {
        DavCollection::href_for(self, uid)
    }
    fn tags(&self) -> Result<Tags, SyncError> {
        DavCollection::tags(self)
    }
    fn list(&self) -> Result<Vec<(String, Option<String>)>, SyncError> {
        DavCollection::list(self)
    }
    fn fetch(&self, hrefs: &[String]) -> Result<Vec<Fetched>, SyncError> {
        DavCollection::fetch(self, hrefs)
    }
    fn create(&self, href: &str, data: &str) -> Result<Option<String>, SyncError> {
        DavCollection::create(self, href, data)
    }
    fn update(&self, href: &str, data: &str, etag: &str) -> Result<Option<String>, SyncError> {
        DavCollection::update(self, href, data, etag)
    }
    fn delete(&self, href: &str, etag: Option<&str>) -> Result<(), SyncError> {
        DavCollection::delete(self, href, etag)
    }
}

/// How a record is written on the server besides its merged fields.
enum Render {
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
struct LocalRecord {
    kind: &'static str,
    id: Id,
    uid: String,
    /// Sent when it has no item on the server yet (an upcoming meeting, an open follow-up, a
    /// person in use); an item whose record left the scope is deleted from the server.
    in_scope: bool,
    /// A planned meeting (only those are moved or cancelled).
    planned: bool,
    /// Whom a note about it goes on (account, people).
    on: (Option<Id>, Vec<Id>),
    label: String,
    fields: ItemFields,
    render: Render,
}

impl LocalRecord {
    /// The server's text for it with `fields`, under the server's `uid`.
    fn text(&self, uid: &str, now: Timestamp) -> String {
        match (&self.render, &self.fields) {
            (Render::Event(x), ItemFields::Event(f)) => event_text(uid, f, x, now),
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
    fn server_uid(&self) -> String {
        if self.kind == "person" {
            self.uid.clone()
        } else {
            calendar_uid(&self.uid)
        }
    }
}

fn local_ts(seconds: i64) -> Timestamp {
    Utc.timestamp_opt(seconds, 0)
        .single()
        .unwrap_or_default()
        .with_timezone(&Local)
        .fixed_offset()
}

/// The meeting `id` as the sync sees it.
fn meeting(r: &Reader<'_>, id: Id, now: Timestamp) -> Result<Option<LocalRecord>, SyncError> {
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
    let mut categories = vec![i.kind.as_str().to_string()];
    categories.extend(i.tags.iter().cloned());
    let planned = i.status == InteractionStatus::Planned;
    Ok(Some(LocalRecord {
        kind: "meeting",
        id,
        uid: i.uid.clone(),
        in_scope: planned && i.at.timestamp() >= now.timestamp() - PAST_DAYS * 86_400,
        planned,
        on: (i.account, i.people.clone()),
        label: format!("#i{id} {}", sanitize_line(&summary)),
        fields: ItemFields::Event(event_of(&i, summary)),
        render: Render::Event(EventExtras {
            attendees,
            categories,
            sequence: stamp.version - 1,
            last_modified: stamp.updated_at,
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

fn one(
    r: &Reader<'_>,
    kind: &str,
    id: Id,
    now: Timestamp,
) -> Result<Option<LocalRecord>, SyncError> {
    match kind {
        "meeting" => meeting(r, id, now),
        "followup" => followup(r, id),
        "person" => person(r, id),
        _ => Ok(None),
    }
}

/// The records the collection holds when they are in scope: upcoming meetings and open
/// follow-ups for the calendar, people in use for the address book.
fn in_scope(
    r: &Reader<'_>,
    collection: &str,
    now: Timestamp,
) -> Result<Vec<LocalRecord>, SyncError> {
    let mut out = Vec::new();
    if collection == CALENDAR {
        let from = now.timestamp() - PAST_DAYS * 86_400;
        for m in r.calendar_meetings(from, i64::MAX)? {
            if m.interaction.status == InteractionStatus::Planned {
                out.extend(meeting(r, m.interaction.id, now)?);
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

/// Which side changed a field since the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Neither,
    Here,
    There,
    /// Both, to different values.
    Both,
}

fn side<T: PartialEq>(base: &T, here: &T, there: &T) -> Side {
    match (here != base, there != base) {
        (false, false) => Side::Neither,
        (true, false) => Side::Here,
        (false, true) => Side::There,
        (true, true) if here == there => Side::Neither,
        (true, true) => Side::Both,
    }
}

/// What merging one item found.
#[derive(Default)]
struct ItemMerge {
    commands: Vec<Box<dyn Command>>,
    /// The notebook holds something the server lacks: send it.
    push: bool,
    conflicts: Vec<String>,
    notes: Vec<String>,
}

impl ItemMerge {
    /// A field both sides changed: the notebook's value stays, the server's is kept as a note.
    fn conflict(
        &mut self,
        rec: &LocalRecord,
        field: &str,
        here: &str,
        there: &str,
        now: Timestamp,
    ) {
        self.push = true;
        let text = format!(
            "Sync conflict on the {field} of {}: the server had \u{201c}{there}\u{201d}; kept \u{201c}{here}\u{201d}",
            rec.label
        );
        self.conflicts.push(sanitize_line(&text).into_owned());
        let (account, people) = rec.on.clone();
        if account.is_none() && people.is_empty() {
            return;
        }
        let mut note =
            crate::capture::new_interaction(InteractionKind::Note, now, &now, account, people);
        note.title = Some(format!("Sync conflict: {field} of {}", rec.label));
        note.body = Some(text);
        self.commands.push(Box::new(AddNote {
            note,
            person: None,
            follow_up: None,
            on: rec.label.clone(),
        }));
    }
}

fn text_of(t: Option<&String>) -> &str {
    t.map_or("", String::as_str)
}

fn when_text(seconds: i64) -> String {
    local_ts(seconds).format("%a %-d %b %H:%M").to_string()
}

fn merge_event(
    rec: &LocalRecord,
    base: &EventFields,
    here: &EventFields,
    there: &EventFields,
    now: Timestamp,
) -> ItemMerge {
    let mut m = ItemMerge::default();
    let mut edit = EditMeeting {
        id: rec.id,
        ..EditMeeting::default()
    };
    match side(&base.summary, &here.summary, &there.summary) {
        Side::There => edit.title = Some(there.summary.clone()),
        Side::Here => m.push = true,
        Side::Both => m.conflict(rec, "title", &here.summary, &there.summary, now),
        Side::Neither => {}
    }
    match side(&base.location, &here.location, &there.location) {
        Side::There => edit.location = Some(there.location.clone().unwrap_or_default()),
        Side::Here => m.push = true,
        Side::Both => m.conflict(
            rec,
            "place",
            text_of(here.location.as_ref()),
            text_of(there.location.as_ref()),
            now,
        ),
        Side::Neither => {}
    }
    if edit.title.is_some() || edit.location.is_some() {
        m.commands.push(Box::new(edit));
    }
    match side(&base.description, &here.description, &there.description) {
        // Written on the phone: it becomes the meeting's text (the one it replaces stays in
        // the journal: `kam history`, `kam undo`).
        Side::There => m.commands.push(Box::new(EditInteraction {
            id: rec.id,
            text: Some(there.description.clone().unwrap_or_default()),
            ..EditInteraction::default()
        })),
        Side::Here => m.push = true,
        Side::Both => m.conflict(
            rec,
            "description",
            text_of(here.description.as_ref()),
            text_of(there.description.as_ref()),
            now,
        ),
        Side::Neither => {}
    }
    let times = |f: &EventFields| (f.start, f.end);
    match side(&times(base), &times(here), &times(there)) {
        Side::There if rec.planned => m.commands.push(Box::new(MoveMeeting {
            id: rec.id,
            version: None,
            to: local_ts(there.start),
            length: there.end.map(|e| TimeDelta::seconds(e - there.start)),
        })),
        Side::There => m.commands.push(Box::new(EditInteraction {
            id: rec.id,
            at: Some(local_ts(there.start)),
            ..EditInteraction::default()
        })),
        Side::Here => m.push = true,
        Side::Both => m.conflict(
            rec,
            "time",
            &when_text(here.start),
            &when_text(there.start),
            now,
        ),
        Side::Neither => {}
    }
    match side(&base.cancelled, &here.cancelled, &there.cancelled) {
        Side::There if there.cancelled && rec.planned => m.commands.push(Box::new(CancelMeeting {
            id: rec.id,
            version: None,
            reason: Some("cancelled on the calendar".into()),
        })),
        Side::There => {
            m.push = true;
            m.notes.push(format!(
                "{}: its cancellation on the server was not taken (only a planned meeting is cancelled); sent back as it is here",
                rec.label
            ));
        }
        Side::Here | Side::Both => m.push = true,
        Side::Neither => {}
    }
    m
}

fn merge_todo(
    rec: &LocalRecord,
    base: &TodoFields,
    here: &TodoFields,
    there: &TodoFields,
    now: Timestamp,
) -> ItemMerge {
    let mut m = ItemMerge::default();
    let mut edit = EditFollowUp {
        id: rec.id,
        ..EditFollowUp::default()
    };
    match side(&base.summary, &here.summary, &there.summary) {
        Side::There if !there.summary.trim().is_empty() => {
            edit.text = Some(there.summary.clone());
        }
        Side::There | Side::Here => m.push = true,
        Side::Both => m.conflict(rec, "text", &here.summary, &there.summary, now),
        Side::Neither => {}
    }
    match side(&base.due, &here.due, &there.due) {
        Side::There => match due_of(&there.due) {
            Some(d) => edit.due = Some(d),
            None => m.push = true,
        },
        Side::Here => m.push = true,
        Side::Both => m.conflict(rec, "due date", &here.due, &there.due, now),
        Side::Neither => {}
    }
    if edit.text.is_some() || edit.due.is_some() {
        m.commands.push(Box::new(edit));
    }
    if there.done && !base.done {
        m.commands.push(Box::new(CompleteFollowUp {
            id: rec.id,
            version: None,
        }));
    }
    m
}

fn merge_card(
    rec: &LocalRecord,
    base: &CardFields,
    here: &CardFields,
    there: &CardFields,
    now: Timestamp,
) -> ItemMerge {
    let mut m = ItemMerge::default();
    let Render::Card { person, stamp, .. } = &rec.render else {
        return m;
    };
    let mut p = (**person).clone();
    let mut changed = false;
    {
        let mut field = |name: &str,
                         b: Option<&String>,
                         h: Option<&String>,
                         t: Option<&String>,
                         slot: &mut Option<String>| {
            match side(&b, &h, &t) {
                Side::There => {
                    *slot = t.cloned();
                    changed = true;
                }
                Side::Here => m.push = true,
                Side::Both => m.conflict(rec, name, text_of(h), text_of(t), now),
                Side::Neither => {}
            }
        };
        field(
            "title",
            base.title.as_ref(),
            here.title.as_ref(),
            there.title.as_ref(),
            &mut p.title,
        );
        field(
            "phone",
            base.phone.as_ref(),
            here.phone.as_ref(),
            there.phone.as_ref(),
            &mut p.phone,
        );
        field(
            "e-mail",
            base.email.as_ref(),
            here.email.as_ref(),
            there.email.as_ref(),
            &mut p.email,
        );
    }
    match side(&base.name, &here.name, &there.name) {
        Side::There if !there.name.trim().is_empty() => {
            p.name.clone_from(&there.name);
            changed = true;
        }
        Side::There | Side::Here => m.push = true,
        Side::Both => m.conflict(rec, "name", &here.name, &there.name, now),
        Side::Neither => {}
    }
    if side(&base.org, &here.org, &there.org) != Side::Neither {
        m.push = true;
        if there.org != base.org {
            m.notes.push(sanitize_line(&format!(
                "{}: the server names the company \u{201c}{}\u{201d}; the account is kept (move the person in kamnote)",
                rec.label,
                text_of(there.org.as_ref())
            )).into_owned());
        }
    }
    if changed {
        m.commands.push(Box::new(EditPerson {
            person: p,
            version: stamp.version,
            stage: None,
            append_personal: None,
        }));
    }
    m
}

fn merge(rec: &LocalRecord, base: &ItemFields, there: &ItemFields, now: Timestamp) -> ItemMerge {
    match (base, &rec.fields, there) {
        (ItemFields::Event(b), ItemFields::Event(h), ItemFields::Event(t)) => {
            merge_event(rec, b, h, t, now)
        }
        (ItemFields::Todo(b), ItemFields::Todo(h), ItemFields::Todo(t)) => {
            merge_todo(rec, b, h, t, now)
        }
        (ItemFields::Card(b), ItemFields::Card(h), ItemFields::Card(t)) => {
            merge_card(rec, b, h, t, now)
        }
        _ => ItemMerge {
            push: true,
            ..ItemMerge::default()
        },
    }
}

/// The server's view of an item known to the notebook.
enum There {
    /// As last synced.
    Unchanged,
    Changed(String, RemoteItem),
    /// Changed, but not something the notebook can read.
    Unreadable,
    Gone,
}

/// One collection's sync run.
struct Run<'a> {
    store: &'a mut Store,
    now: Timestamp,
    name: &'a str,
    remote: &'a dyn Remote,
    dry_run: bool,
    summary: SyncSummary,
    /// Something was left for the next sync (the sync-token is then not kept).
    left: bool,
}

impl Run<'_> {
    fn item(
        &self,
        href: &str,
        uid: &str,
        rec: &LocalRecord,
        etag: Option<String>,
        fields: &ItemFields,
    ) -> SyncedItem {
        SyncedItem {
            collection: self.name.to_string(),
            href: href.to_string(),
            uid: uid.to_string(),
            kind: rec.kind.to_string(),
            record_id: rec.id,
            etag,
            base: fields.to_json(),
            hash: fields.hash(),
        }
    }

    fn save_state(&mut self, item: &SyncedItem) -> Result<(), SyncError> {
        if !self.dry_run {
            self.store.write(self.now, |w| w.put_synced_item(item))?;
        }
        Ok(())
    }

    fn drop_state(&mut self, href: &str) -> Result<(), SyncError> {
        if !self.dry_run {
            let name = self.name;
            self.store
                .write(self.now, |w| w.drop_synced_item(name, href))?;
        }
        Ok(())
    }

    /// Runs the changes an item brings with its state; a refused change is reported and the
    /// item left for the next sync.
    fn apply(&mut self, label: &str, change: FromServer, lines: usize) -> Result<bool, SyncError> {
        if self.dry_run {
            if lines > 0 {
                self.summary
                    .received
                    .push(format!("{label}: would take the server's changes"));
            }
            return Ok(true);
        }
        match ops::run(self.store, self.now, &change) {
            Ok(o) => {
                if lines > 0 && !o.message.is_empty() {
                    self.summary
                        .received
                        .push(sanitize_line(&o.message).into_owned());
                }
                Ok(true)
            }
            Err(ops::OpsError::Store(e)) => Err(e.into()),
            Err(e) => {
                self.left = true;
                self.summary.notes.push(
                    sanitize_line(&format!(
                        "{label}: the server's change was not taken ({e}); left for the next sync"
                    ))
                    .into_owned(),
                );
                Ok(false)
            }
        }
    }

    /// Sends `rec` over the item at `href` (at `etag`), recording the new state.
    fn send_update(
        &mut self,
        href: &str,
        uid: &str,
        etag: &str,
        rec: &LocalRecord,
    ) -> Result<(), SyncError> {
        self.summary.sent_changed += 1;
        if self.dry_run {
            return Ok(());
        }
        match self.remote.update(href, &rec.text(uid, self.now), etag) {
            Ok(new) => {
                let item = self.item(href, uid, rec, new, &rec.fields);
                self.save_state(&item)
            }
            Err(SyncError::Changed) => {
                self.summary.sent_changed -= 1;
                self.left = true;
                self.summary.notes.push(format!(
                    "{}: changed on the server during the sync; the next sync merges it",
                    rec.label
                ));
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    fn send_delete(&mut self, href: &str, etag: Option<&str>) -> Result<(), SyncError> {
        self.summary.sent_deleted += 1;
        if self.dry_run {
            return Ok(());
        }
        match self.remote.delete(href, etag) {
            Ok(()) => self.drop_state(href),
            Err(SyncError::Changed) => {
                self.summary.sent_deleted -= 1;
                self.left = true;
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// An item the notebook knows on the server.
    fn known(&mut self, s: &SyncedItem, there: There) -> Result<bool, SyncError> {
        let rec = one(&self.store.reader(), &s.kind, s.record_id, self.now)?;
        let Some(rec) = rec else {
            // Gone from the notebook (erased): gone from the server too.
            match there {
                There::Gone => self.drop_state(&s.href)?,
                _ => self.send_delete(&s.href, s.etag.as_deref())?,
            }
            return Ok(false);
        };
        match there {
            There::Gone => {
                if rec.kind == "meeting" && rec.planned {
                    let change = FromServer {
                        commands: vec![Box::new(CancelMeeting {
                            id: rec.id,
                            version: None,
                            reason: Some("deleted from the calendar".into()),
                        })],
                        state: StateChange::Drop {
                            collection: self.name.to_string(),
                            href: s.href.clone(),
                        },
                    };
                    self.apply(&rec.label, change, 1)?;
                    return Ok(false);
                }
                self.drop_state(&s.href)?;
                if rec.in_scope && rec.kind != "meeting" {
                    self.summary.notes.push(format!(
                        "{}: deleted on the server; kept here and sent again",
                        rec.label
                    ));
                }
                Ok(false)
            }
            There::Unreadable => {
                self.left = true;
                self.summary.notes.push(format!(
                    "{}: its copy on the server cannot be read; left as it is",
                    rec.label
                ));
                Ok(true)
            }
            _ if !rec.in_scope && rec.kind != "meeting" => {
                // A follow-up closed or a person archived here: off the phone.
                let etag = match &there {
                    There::Changed(e, _) => Some(e.clone()),
                    _ => s.etag.clone(),
                };
                self.send_delete(&s.href, etag.as_deref())?;
                Ok(false)
            }
            There::Unchanged => {
                let base = ItemFields::from_json(&s.base);
                if base.as_ref() != Some(&rec.fields) {
                    let etag = s.etag.clone().unwrap_or_default();
                    self.send_update(&s.href, &s.uid, &etag, &rec)?;
                }
                Ok(true)
            }
            There::Changed(etag, r) => {
                let base = ItemFields::from_json(&s.base).unwrap_or_else(|| r.fields.clone());
                let m = merge(&rec, &base, &r.fields, self.now);
                self.summary.conflicts.extend(m.conflicts.iter().cloned());
                self.summary.notes.extend(m.notes.iter().cloned());
                let lines = m.commands.len();
                // Recorded as the server has it: what the notebook adds is sent next, and a
                // kill before that leaves it still to send.
                let state = self.item(&s.href, &s.uid, &rec, Some(etag.clone()), &r.fields);
                let change = FromServer {
                    commands: m.commands,
                    state: StateChange::Put(state),
                };
                if !self.apply(&rec.label, change, lines)? {
                    return Ok(true);
                }
                if m.push || lines > 0 {
                    let now = self.now;
                    if let Some(after) = one(&self.store.reader(), &s.kind, s.record_id, now)? {
                        if after.fields != r.fields {
                            if after.in_scope || after.kind == "meeting" {
                                self.send_update(&s.href, &s.uid, &etag, &after)?;
                            } else {
                                self.send_delete(&s.href, Some(&etag))?;
                                return Ok(false);
                            }
                        }
                    }
                }
                Ok(true)
            }
        }
    }

    /// An item on the server the notebook did not know: one it sent before a kill (its UID is
    /// a record's), else one made there.
    fn unknown(
        &mut self,
        href: &str,
        etag: &str,
        r: RemoteItem,
        by_uid: &HashMap<String, (&'static str, Id)>,
    ) -> Result<Option<(&'static str, Id)>, SyncError> {
        if let Some(&(kind, id)) = by_uid.get(&r.uid) {
            let Some(rec) = one(&self.store.reader(), kind, id, self.now)? else {
                return Ok(None);
            };
            let item = self.item(href, &r.uid, &rec, Some(etag.to_string()), &r.fields);
            self.save_state(&item)?;
            if rec.fields != r.fields {
                self.send_update(href, &r.uid, etag, &rec)?;
            }
            return Ok(Some((kind, id)));
        }
        match &r.fields {
            ItemFields::Event(e) => self.new_event(href, etag, &r, e)?,
            ItemFields::Card(c) => self.new_card(href, etag, &r, c)?,
            ItemFields::Todo(t) => self.summary.notes.push(sanitize_line(&format!(
                "to-do \u{201c}{}\u{201d} made on the server: not taken (add it with `kam followup add`)",
                t.summary
            )).into_owned()),
        }
        Ok(None)
    }

    fn new_item(&self, href: &str, etag: &str, r: &RemoteItem, kind: &str) -> SyncedItem {
        SyncedItem {
            collection: self.name.to_string(),
            href: href.to_string(),
            uid: r.uid.clone(),
            kind: kind.to_string(),
            record_id: 0,
            etag: Some(etag.to_string()),
            base: r.fields.to_json(),
            hash: r.fields.hash(),
        }
    }

    /// A meeting made on the phone: taken when an attendee is a known person (on that
    /// person's account); unknown attendees are reported, never invented.
    fn new_event(
        &mut self,
        href: &str,
        etag: &str,
        r: &RemoteItem,
        e: &EventFields,
    ) -> Result<(), SyncError> {
        let what = sanitize_line(&e.summary).into_owned();
        if r.recurring {
            self.summary.notes.push(format!(
                "event \u{201c}{what}\u{201d} repeats: not taken (kamnote meetings are single)"
            ));
            return Ok(());
        }
        let emails = self.store.reader().people_by_email()?;
        let mut people = Vec::new();
        let mut strangers = Vec::new();
        for a in &r.attendees {
            match emails.get(&a.trim().to_ascii_lowercase()) {
                Some(id) if !people.contains(id) => people.push(*id),
                Some(_) => {}
                None => strangers.push(sanitize_line(a).into_owned()),
            }
        }
        if people.is_empty() {
            self.summary.notes.push(format!(
                "event \u{201c}{what}\u{201d} on {}: not taken, no attendee is a known person{}",
                when_text(e.start),
                if strangers.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", strangers.join(", "))
                }
            ));
            return Ok(());
        }
        if !strangers.is_empty() {
            self.summary.notes.push(format!(
                "event \u{201c}{what}\u{201d}: attendees not in the notebook, left out: {}",
                strangers.join(", ")
            ));
        }
        let reader = self.store.reader();
        let first = reader.person(people[0])?;
        let account = first.as_ref().and_then(|(p, _)| p.account);
        let with = first.map_or_else(String::new, |(p, _)| format!("#p{} {}", p.id, p.name));
        let mut i = crate::capture::new_interaction(
            InteractionKind::Meeting,
            local_ts(e.start),
            &self.now,
            account,
            people,
        );
        i.end = e.end.map(local_ts);
        i.title = some_text(Some(&e.summary));
        i.body.clone_from(&e.description);
        i.location.clone_from(&e.location);
        if e.cancelled {
            i.status = InteractionStatus::Cancelled;
        }
        let change = FromServer {
            commands: vec![Box::new(PlanMeeting {
                meeting: i,
                goal: None,
                asks: Vec::new(),
                with,
            })],
            state: StateChange::PutCreated(self.new_item(href, etag, r, "meeting")),
        };
        self.apply(&what, change, 1)?;
        Ok(())
    }

    /// A card made on the phone: a new person, on the account its ORG names when there is one.
    fn new_card(
        &mut self,
        href: &str,
        etag: &str,
        r: &RemoteItem,
        c: &CardFields,
    ) -> Result<(), SyncError> {
        let name = sanitize_line(&c.name).into_owned();
        if c.name.trim().is_empty() {
            self.summary
                .notes
                .push("a card without a name on the server: not taken".into());
            return Ok(());
        }
        let account = match &c.org {
            Some(org) => {
                let found = self.store.reader().account_named(org)?;
                if found.is_none() {
                    self.summary.notes.push(sanitize_line(&format!(
                        "{name}: the company \u{201c}{org}\u{201d} is not an account here; added without one"
                    )).into_owned());
                }
                found
            }
            None => None,
        };
        let p = Person {
            uid: crate::capture::new_uid(),
            name: c.name.trim().to_string(),
            account,
            title: c.title.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            ..Person::default()
        };
        let change = FromServer {
            commands: vec![Box::new(AddPerson {
                person: p,
                stage: None,
            })],
            state: StateChange::PutCreated(self.new_item(href, etag, r, "person")),
        };
        self.apply(&name, change, 1)?;
        Ok(())
    }

    /// A record with no item on the server yet: created there.
    fn create(&mut self, rec: &LocalRecord) -> Result<(), SyncError> {
        self.summary.sent_new += 1;
        if self.dry_run {
            return Ok(());
        }
        let uid = rec.server_uid();
        let href = self.remote.href_for(&uid);
        match self.remote.create(&href, &rec.text(&uid, self.now)) {
            Ok(etag) => {
                let item = self.item(&href, &uid, rec, etag, &rec.fields);
                self.save_state(&item)
            }
            Err(SyncError::Changed) => {
                self.summary.sent_new -= 1;
                self.left = true;
                self.summary.notes.push(format!(
                    "{}: an item is already at {href}; the next sync takes it in",
                    rec.label
                ));
                Ok(())
            }
            Err(e) => Err(e),
        }
    }
}

/// Syncs the collection `name` (`calendar` or `contacts`) with `remote`; `progress` hears
/// (items done, items in all). With `dry_run` nothing is written on either side.
pub fn sync_collection(
    store: &mut Store,
    now: Timestamp,
    name: &str,
    remote: &dyn Remote,
    dry_run: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<SyncSummary, SyncError> {
    // Everything is read from the server before anything is changed.
    let tags = remote.tags()?;
    let known = store.reader().synced_collection(name)?;
    let same_url = known.as_ref().is_some_and(|k| k.url == remote.url());
    if !same_url && !dry_run {
        // Another server (or the first sync): start afresh.
        store.write(now, |w| {
            w.put_synced_collection(
                name,
                &SyncedCollection {
                    url: remote.url().to_string(),
                    sync_token: None,
                    ctag: None,
                },
            )
        })?;
    }
    let state: Vec<SyncedItem> = if same_url {
        store.reader().synced_items(name)?
    } else {
        Vec::new()
    };
    let unchanged = same_url
        && known.as_ref().is_some_and(|k| {
            (k.sync_token.is_some() && k.sync_token == tags.sync_token)
                || (k.sync_token.is_none()
                    && tags.sync_token.is_none()
                    && k.ctag.is_some()
                    && k.ctag == tags.ctag)
        });
    let listing: Option<HashMap<String, Option<String>>> = if unchanged {
        None
    } else {
        Some(remote.list()?.into_iter().collect())
    };
    let by_href: HashMap<&str, &SyncedItem> = state.iter().map(|s| (s.href.as_str(), s)).collect();
    let mut wanted: Vec<String> = listing
        .iter()
        .flatten()
        .filter(|(href, etag)| {
            by_href
                .get(href.as_str())
                .is_none_or(|s| etag.is_none() || s.etag != **etag)
        })
        .map(|(href, _)| href.clone())
        .collect();
    wanted.sort();
    let fetched: HashMap<String, (String, Option<RemoteItem>)> = remote
        .fetch(&wanted)?
        .into_iter()
        .map(|f| (f.href, (f.etag, read_remote(&f.data))))
        .collect();

    let scope = in_scope(&store.reader(), name, now)?;
    let mut run = Run {
        store,
        now,
        name,
        remote,
        dry_run,
        summary: SyncSummary::default(),
        left: false,
    };
    let total = state.len() + wanted.len() + scope.len();
    let mut done = 0;
    // Records with an item on the server after this sync.
    let mut linked: HashSet<(&'static str, Id)> = HashSet::new();
    let kind_key = |k: &str| -> &'static str {
        match k {
            "meeting" => "meeting",
            "followup" => "followup",
            _ => "person",
        }
    };
    for s in &state {
        let there = match &listing {
            None => There::Unchanged,
            Some(l) if !l.contains_key(&s.href) => There::Gone,
            Some(_) => match fetched.get(&s.href) {
                None => There::Unchanged,
                Some((etag, Some(r))) => There::Changed(etag.clone(), r.clone()),
                Some((_, None)) => There::Unreadable,
            },
        };
        if run.known(s, there)? {
            linked.insert((kind_key(&s.kind), s.record_id));
        }
        done += 1;
        progress(done, total);
    }
    let by_uid: HashMap<String, (&'static str, Id)> = scope
        .iter()
        .map(|r| (r.server_uid(), (r.kind, r.id)))
        .collect();
    for href in &wanted {
        if by_href.contains_key(href.as_str()) {
            continue;
        }
        match fetched.get(href) {
            Some((etag, Some(r))) => {
                if let Some(key) = run.unknown(href, etag, r.clone(), &by_uid)? {
                    linked.insert(key);
                }
            }
            Some((_, None)) => run.summary.notes.push(format!(
                "{href}: not an event, to-do or card kamnote can read; left alone"
            )),
            None => {}
        }
        done += 1;
        progress(done, total);
    }
    for rec in &scope {
        if !linked.contains(&(rec.kind, rec.id)) {
            // As it is now: an item above may have closed it (a follow-up done on the phone).
            if let Some(now_rec) = one(&run.store.reader(), rec.kind, rec.id, now)? {
                if now_rec.in_scope {
                    run.create(&now_rec)?;
                }
            }
        }
        done += 1;
        progress(done, total);
    }
    let left = run.left;
    let summary = run.summary;
    if !dry_run {
        // The tags read before the sync: a change made on the server meanwhile is seen next
        // time. Something left for later keeps no token, so the next sync lists again.
        let collection = SyncedCollection {
            url: remote.url().to_string(),
            sync_token: if left { None } else { tags.sync_token },
            ctag: if left { None } else { tags.ctag },
        };
        store.write(now, |w| w.put_synced_collection(name, &collection))?;
    }
    Ok(summary)
}
