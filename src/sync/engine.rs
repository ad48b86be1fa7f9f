//! One collection synced: read the server (tags, listing, the changed items), then item by
//! item merge the notebook's fields, the server's and the base both last agreed on, apply
//! what came back as ops commands with the item's state, and send what changed here.

use std::collections::{HashMap, HashSet};

use crate::cadence::CadenceConfig;
use crate::domain::{Due, Id, InteractionKind, InteractionStatus, Person, Timestamp};
use crate::interop::ics::EventOptions;
use crate::ops::{self, AddFollowUp, AddPerson, CancelMeeting, PlanMeeting};
use crate::store::{Store, SyncedCollection, SyncedItem};
use crate::text::sanitize_line;

use super::apply::{FromServer, StateChange};
use super::dav::{Changes, DavCollection, Fetched, Tags};
use super::fields::{
    CardFields, EventFields, ItemFields, KeptBase, RemoteItem, TodoFields, due_of, read_remote,
    some_text,
};
use super::local::{LocalRecord, Render, in_scope, local_ts, one};
use super::merge::{merge, when_text};
use super::todos::{TodoPlace, place};
use super::{SyncError, SyncSummary};

/// The server side of one collection, as the sync uses it.
pub trait Remote {
    fn url(&self) -> &str;
    fn href_for(&self, uid: &str) -> String;
    fn tags(&self) -> Result<Tags, SyncError>;
    fn list(&self) -> Result<Vec<(String, Option<String>)>, SyncError>;
    /// What changed since the sync-token `token`; `None` when the server cannot say.
    fn changes(&self, token: &str) -> Result<Option<Changes>, SyncError>;
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
    fn changes(&self, token: &str) -> Result<Option<Changes>, SyncError> {
        DavCollection::changes(self, token)
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

/// The server's view of an item known to the notebook.
enum There {
    /// As last synced.
    Unchanged,
    Changed(String, Box<RemoteItem>),
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
    /// `--dry-run`: nothing is written on either side.
    preview: bool,
    /// The alarm's lead before each meeting (`[sync] alarm`; `None`: no alarm).
    alarm: Option<u16>,
    /// The cadence the briefs' red flags are judged by.
    cadence: CadenceConfig,
    summary: SyncSummary,
    /// Items not to be sent again in this run: their server copy cannot be read, or its change
    /// was refused and is left for the next sync.
    held: HashSet<String>,
    /// Something was left for the next sync (the sync-token is then not kept).
    left: bool,
}

impl Run<'_> {
    /// The record as it is now.
    fn record(&self, kind: &str, id: Id) -> Result<Option<LocalRecord>, SyncError> {
        one(&self.store.reader(), kind, id, self.now, &self.cadence)
    }

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

    /// The state of an item whose base is `kept` (a PUT under way, a tombstone).
    fn kept_item(
        &self,
        href: &str,
        uid: &str,
        rec: &LocalRecord,
        etag: Option<String>,
        kept: &KeptBase,
    ) -> SyncedItem {
        SyncedItem {
            base: kept.to_json(),
            hash: kept.agreed.hash(),
            ..self.item(href, uid, rec, etag, &kept.agreed)
        }
    }

    fn save_state(&mut self, item: &SyncedItem) -> Result<(), SyncError> {
        if !self.preview {
            self.store.write(self.now, |w| w.put_synced_item(item))?;
        }
        Ok(())
    }

    fn drop_state(&mut self, href: &str) -> Result<(), SyncError> {
        if !self.preview {
            let name = self.name;
            self.store
                .write(self.now, |w| w.drop_synced_item(name, href))?;
        }
        Ok(())
    }

    /// Runs the changes an item brings with its state; a refused change is reported and the
    /// item left for the next sync.
    fn apply(&mut self, label: &str, change: &FromServer, lines: usize) -> Result<bool, SyncError> {
        if self.preview {
            if lines > 0 {
                self.summary
                    .received
                    .push(format!("{label}: would take the server's changes"));
            }
            return Ok(true);
        }
        match ops::run(self.store, self.now, change) {
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

    /// Sends `rec` over the item at `href` (at `etag`), recording the new state. What is sent
    /// is recorded first beside the base both sides agreed on (`agreed`), so a reply lost (a
    /// timeout, a kill) leaves the brief the server may now hold known to the next sync. A
    /// change refused (the item changed there meanwhile) holds the item for the next sync.
    fn send_update(
        &mut self,
        href: &str,
        uid: &str,
        etag: &str,
        rec: &LocalRecord,
        agreed: Option<&ItemFields>,
    ) -> Result<(), SyncError> {
        self.summary.sent_changed += 1;
        if self.preview {
            return Ok(());
        }
        if let Some(agreed) = agreed {
            let under_way = KeptBase {
                pending: Some(rec.fields.clone()),
                ..KeptBase::agreed(agreed.clone())
            };
            let old = Some(etag.to_string()).filter(|e| !e.is_empty());
            let item = self.kept_item(href, uid, rec, old, &under_way);
            self.save_state(&item)?;
        }
        match self
            .remote
            .update(href, &rec.text(uid, self.now, self.alarm), etag)
        {
            Ok(new) => {
                let item = self.item(href, uid, rec, new, &rec.fields);
                self.save_state(&item)
            }
            Err(SyncError::Changed) => {
                self.summary.sent_changed -= 1;
                self.left = true;
                self.held.insert(href.to_string());
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
        if self.preview {
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

    /// An item deleted on the server: a planned meeting is cancelled (its last base kept as a
    /// tombstone); anything else stays here and is sent again while in scope.
    fn gone(
        &mut self,
        s: &SyncedItem,
        rec: &LocalRecord,
        base: Option<ItemFields>,
    ) -> Result<bool, SyncError> {
        if rec.kind == "meeting" && rec.planned {
            // Its last base kept as a tombstone, agreed cancelled: brought back on the
            // phone, it is merged against it, so what changed here since stays.
            let mut agreed = base.unwrap_or_else(|| rec.fields.clone());
            if let ItemFields::Event(e) = &mut agreed {
                e.cancelled = true;
            }
            let tombstone = KeptBase {
                gone: true,
                ..KeptBase::agreed(agreed)
            };
            let change = FromServer {
                commands: vec![Box::new(CancelMeeting {
                    id: rec.id,
                    version: None,
                    reason: Some("deleted from the calendar".into()),
                })],
                state: StateChange::Put(self.kept_item(&s.href, &s.uid, rec, None, &tombstone)),
            };
            self.apply(&rec.label, &change, 1)?;
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

    /// An item the notebook knows on the server.
    fn known(&mut self, s: &SyncedItem, there: There) -> Result<bool, SyncError> {
        let kept = KeptBase::from_json(&s.base);
        let rec = self.record(&s.kind, s.record_id)?;
        if kept.as_ref().is_some_and(|k| k.gone) && !matches!(there, There::Changed(..)) {
            // A tombstone: the event stays deleted there. Kept until it is brought back, its
            // meeting is reopened here (and created afresh) or erased.
            if rec.is_none() {
                self.drop_state(&s.href)?;
            }
            return Ok(false);
        }
        let (base, pending) = match kept {
            Some(k) => (Some(k.agreed), k.pending),
            None => (None, None),
        };
        let Some(rec) = rec else {
            // Gone from the notebook (erased): gone from the server too.
            match there {
                There::Gone => self.drop_state(&s.href)?,
                _ => self.send_delete(&s.href, s.etag.as_deref())?,
            }
            return Ok(false);
        };
        match there {
            There::Gone => self.gone(s, &rec, base),
            There::Unreadable => {
                self.left = true;
                self.held.insert(s.href.clone());
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
                if base.as_ref() != Some(&rec.fields) {
                    let etag = s.etag.clone().unwrap_or_default();
                    self.send_update(&s.href, &s.uid, &etag, &rec, base.as_ref())?;
                }
                Ok(true)
            }
            There::Changed(etag, mut r) => {
                // What we added (the account, the brief) taken off what the server holds: as
                // agreed, as being sent when a reply was lost, as it is here now.
                r.fields = ours(
                    &r.fields,
                    &[base.as_ref(), pending.as_ref(), Some(&rec.fields)],
                    &rec,
                );
                let base = base.unwrap_or_else(|| r.fields.clone());
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
                if !self.apply(&rec.label, &change, lines)? {
                    self.held.insert(s.href.clone());
                    return Ok(true);
                }
                if m.push || lines > 0 {
                    if let Some(after) = self.record(&s.kind, s.record_id)? {
                        if after.fields != r.fields {
                            if after.in_scope || after.kind == "meeting" {
                                self.send_update(&s.href, &s.uid, &etag, &after, Some(&r.fields))?;
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
        r: &RemoteItem,
        by_uid: &HashMap<String, (&'static str, Id)>,
    ) -> Result<Option<(&'static str, Id)>, SyncError> {
        if let Some(&(kind, id)) = by_uid.get(&r.uid) {
            let Some(rec) = self.record(kind, id)? else {
                return Ok(None);
            };
            let there = ours(&r.fields, &[Some(&rec.fields)], &rec);
            let item = self.item(href, &r.uid, &rec, Some(etag.to_string()), &there);
            self.save_state(&item)?;
            if rec.fields != there {
                self.send_update(href, &r.uid, etag, &rec, Some(&there))?;
            }
            return Ok(Some((kind, id)));
        }
        if let Some(key) = self.came_back(href, etag, r)? {
            return Ok(Some(key));
        }
        match &r.fields {
            ItemFields::Event(e) => self.new_event(href, etag, r, e)?,
            ItemFields::Card(c) => self.new_card(href, etag, r, c)?,
            ItemFields::Todo(t) => self.new_todo(href, etag, r, t)?,
        }
        Ok(None)
    }

    /// An event of ours the notebook no longer tracks at this href (deleted on the phone, so its
    /// meeting was cancelled, then brought back under its UID — a calendar's undo or trash):
    /// merged against the base kept when it went (its tombstone), so being there again reopens
    /// it, what the phone changed is taken and what changed here since stays; never a second
    /// meeting. Without a base, every field the two sides hold differently is taken as changed
    /// on both (the notebook's stays, the server's is kept as a note). Only a meeting-like
    /// record (one that sits in a calendar) is ever merged so.
    fn came_back(
        &mut self,
        href: &str,
        etag: &str,
        r: &RemoteItem,
    ) -> Result<Option<(&'static str, Id)>, SyncError> {
        let ItemFields::Event(_) = &r.fields else {
            return Ok(None);
        };
        let Some(uid) = r.uid.strip_suffix("@kamnote") else {
            return Ok(None);
        };
        let Some((i, _)) = self.store.reader().interaction_by_uid(uid)? else {
            return Ok(None);
        };
        if !InteractionKind::SCHEDULED.contains(&i.kind) {
            return Ok(None);
        }
        let Some(rec) = self.record("meeting", i.id)? else {
            return Ok(None);
        };
        let kept = self
            .store
            .reader()
            .synced_items(self.name)?
            .into_iter()
            .find(|t| t.kind == "meeting" && t.record_id == i.id)
            .and_then(|t| KeptBase::from_json(&t.base));
        let base = kept.map_or_else(|| unbased(&rec.fields), |k| k.agreed);
        let s = self.item(href, &r.uid, &rec, None, &base);
        let there = There::Changed(etag.to_string(), Box::new(r.clone()));
        Ok(self.known(&s, there)?.then_some(("meeting", i.id)))
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
        self.apply(&what, &change, 1)?;
        Ok(())
    }

    /// A to-do made on the phone: a follow-up on the person or account its summary names
    /// (`super::todos`), due when it is due (today without a date); reported when it names
    /// none, or more than one, never placed by a guess.
    fn new_todo(
        &mut self,
        href: &str,
        etag: &str,
        r: &RemoteItem,
        t: &TodoFields,
    ) -> Result<(), SyncError> {
        let what = sanitize_line(t.summary.trim()).into_owned();
        let why = if t.done {
            TodoPlace::Nowhere("it is done already".into())
        } else if what.is_empty() {
            TodoPlace::Nowhere("it says nothing".into())
        } else {
            place(&self.store.reader(), &t.summary)?
        };
        let (account, person) = match why {
            TodoPlace::On { account, person } => (account, person),
            TodoPlace::Nowhere(why) => {
                self.summary.notes.push(sanitize_line(&format!(
                    "to-do \u{201c}{what}\u{201d} made on the server: not taken, {why} (write @Name in it, or add it with `kam followup add`)"
                )).into_owned());
                return Ok(());
            }
        };
        let due = due_of(&t.due).unwrap_or(Due::Day(self.now.date_naive()));
        let followup = crate::capture::new_followup(
            crate::capture::PendingFollowUp {
                due,
                text: t.summary.trim().to_string(),
            },
            account,
            person,
            None,
        );
        let change = FromServer {
            commands: vec![Box::new(AddFollowUp {
                followup,
                plan: None,
            })],
            state: StateChange::PutCreated(self.new_item(href, etag, r, "followup")),
        };
        self.apply(&what, &change, 1)?;
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
        self.apply(&name, &change, 1)?;
        Ok(())
    }

    /// A record with no item on the server yet: created there.
    fn create(&mut self, rec: &LocalRecord) -> Result<(), SyncError> {
        self.summary.sent_new += 1;
        if self.preview {
            return Ok(());
        }
        let uid = rec.server_uid();
        let href = self.remote.href_for(&uid);
        match self
            .remote
            .create(&href, &rec.text(&uid, self.now, self.alarm))
        {
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

impl Run<'_> {
    /// Last, every item whose record now differs from what the server was last given is sent:
    /// what one item brought changes another's brief (a promise kept on the phone leaves the
    /// meeting's brief), and a meeting taken from the phone gets the account and its brief.
    fn send_what_moved(&mut self) -> Result<(), SyncError> {
        let items = self.store.reader().synced_items(self.name)?;
        for s in items {
            if self.held.contains(&s.href) {
                continue;
            }
            let Some(rec) = self.record(&s.kind, s.record_id)? else {
                continue;
            };
            if !rec.in_scope && rec.kind != "meeting" {
                continue;
            }
            let kept = KeptBase::from_json(&s.base);
            if kept.as_ref().is_some_and(|k| k.gone) {
                continue;
            }
            let agreed = kept.map(|k| k.agreed);
            if agreed.as_ref() != Some(&rec.fields) {
                let etag = s.etag.clone().unwrap_or_default();
                self.send_update(&s.href, &s.uid, &etag, &rec, agreed.as_ref())?;
            }
        }
        Ok(())
    }
}

/// A base neither side agrees with, for an event of ours brought back with no base kept: every
/// field the notebook and the server hold differently is then changed on both sides (the
/// notebook's value stays, the server's is kept as a note), and the meeting reads as agreed
/// cancelled, so being there again reopens it.
fn unbased(here: &ItemFields) -> ItemFields {
    match here {
        ItemFields::Event(_) => ItemFields::Event(EventFields {
            summary: "\u{0}".into(),
            start: i64::MIN,
            end: Some(i64::MIN),
            location: Some("\u{0}".into()),
            description: Some("\u{0}".into()),
            cancelled: true,
            shown_location: None,
            brief: None,
        }),
        other => other.clone(),
    }
}

/// The server's fields in the notebook's terms: an event's LOCATION and DESCRIPTION without
/// what we added to them (`super::brief`), given what we `sent` it with; other items as they are.
fn ours(raw: &ItemFields, sent: &[Option<&ItemFields>], rec: &LocalRecord) -> ItemFields {
    let ItemFields::Event(e) = raw else {
        return raw.clone();
    };
    let sent: Vec<&EventFields> = sent
        .iter()
        .flatten()
        .filter_map(|f| match f {
            ItemFields::Event(s) => Some(s),
            _ => None,
        })
        .collect();
    let account = match &rec.render {
        Render::Event(x) => x.account.as_ref(),
        _ => None,
    };
    ItemFields::Event(super::brief::as_ours(e, &sent, account))
}

/// The server as read before anything is changed.
struct ServerView {
    tags: Tags,
    /// The items the notebook knows there (none on a first sync or for a new URL).
    state: Vec<SyncedItem>,
    /// Every item's href and ETag; `None` when the tags say nothing changed.
    listing: Option<HashMap<String, Option<String>>>,
    /// The items new or changed there, in href order.
    wanted: Vec<String>,
    /// Those items' ETags and what they hold (`None`: nothing the notebook can read).
    fetched: HashMap<String, (String, Option<RemoteItem>)>,
}

/// Reads the collection: its tags (which also checks the URL and the login), and, unless they
/// say nothing changed, its listing and the items whose ETag moved.
fn read_server(
    store: &mut Store,
    now: Timestamp,
    name: &str,
    remote: &dyn Remote,
    dry_run: bool,
) -> Result<ServerView, SyncError> {
    let tags = remote.tags()?;
    let known = store.reader().synced_collection(name)?;
    let same_url = known.as_ref().is_some_and(|k| k.url == remote.url());
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
    let by_href: HashMap<&str, &SyncedItem> = state.iter().map(|s| (s.href.as_str(), s)).collect();
    // Incremental: with the token of the last sync, the server says what changed since
    // (`sync-collection`), and the listing is the items known here moved by that; else (no
    // token, or a server that cannot say) the whole collection is listed.
    let since = known
        .as_ref()
        .and_then(|k| k.sync_token.as_deref())
        .filter(|_| same_url && !unchanged && tags.sync_token.is_some());
    let changes = match since {
        Some(token) => remote.changes(token)?,
        None => None,
    };
    let listing: Option<HashMap<String, Option<String>>> = if unchanged {
        None
    } else if let Some(c) = changes {
        let mut listing: HashMap<String, Option<String>> = state
            .iter()
            .map(|s| (s.href.clone(), s.etag.clone()))
            .collect();
        for href in c.deleted {
            listing.remove(&href);
        }
        listing.extend(c.changed);
        Some(listing)
    } else {
        Some(remote.list()?.into_iter().collect())
    };
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
    let fetched = remote
        .fetch(&wanted)?
        .into_iter()
        .map(|f| (f.href, (f.etag, read_remote(&f.data))))
        .collect();
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
    Ok(ServerView {
        tags,
        state,
        listing,
        wanted,
        fetched,
    })
}

fn kind_key(kind: &str) -> &'static str {
    match kind {
        "meeting" => "meeting",
        "followup" => "followup",
        _ => "person",
    }
}

/// Syncs the collection `name` (`calendar` or `contacts`) with `remote`; `progress` hears
/// (items done, items in all). With `dry_run` nothing is written on either side. Meetings carry
/// what exported events carry (`options`): an alarm before them (before the time to leave when
/// travel is known), the account with the place, and the one-line brief.
#[allow(clippy::too_many_arguments)] // the run's inputs, each used once
pub fn sync_collection(
    store: &mut Store,
    now: Timestamp,
    name: &str,
    remote: &dyn Remote,
    dry_run: bool,
    options: &EventOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<SyncSummary, SyncError> {
    // Everything is read from the server before anything is changed.
    let view = read_server(store, now, name, remote, dry_run)?;
    let scope = in_scope(&store.reader(), name, now, &options.cadence)?;
    let mut run = Run {
        store,
        now,
        name,
        remote,
        preview: dry_run,
        alarm: options.alarm_minutes,
        cadence: options.cadence,
        summary: SyncSummary::default(),
        left: false,
        held: HashSet::new(),
    };
    let total = view.state.len() + view.wanted.len() + scope.len();
    let mut done = 0;
    // Records with an item on the server after this sync.
    let mut linked: HashSet<(&'static str, Id)> = HashSet::new();
    for s in &view.state {
        let there = match &view.listing {
            None => There::Unchanged,
            Some(l) if !l.contains_key(&s.href) => There::Gone,
            Some(_) => match view.fetched.get(&s.href) {
                None => There::Unchanged,
                Some((etag, Some(r))) => There::Changed(etag.clone(), Box::new(r.clone())),
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
    for href in &view.wanted {
        if view.state.iter().any(|s| &s.href == href) {
            continue;
        }
        match view.fetched.get(href) {
            Some((etag, Some(r))) => {
                if let Some(key) = run.unknown(href, etag, r, &by_uid)? {
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
            if let Some(now_rec) = run.record(rec.kind, rec.id)? {
                if now_rec.in_scope {
                    run.create(&now_rec)?;
                }
            }
        }
        done += 1;
        progress(done, total);
    }
    if !dry_run {
        run.send_what_moved()?;
    }
    let left = run.left;
    let summary = run.summary;
    if !dry_run {
        // The tags read before the sync: a change made on the server meanwhile is seen next
        // time. Something left for later keeps no token, so the next sync lists again.
        let collection = SyncedCollection {
            url: remote.url().to_string(),
            sync_token: if left { None } else { view.tags.sync_token },
            ctag: if left { None } else { view.tags.ctag },
        };
        store.write(now, |w| w.put_synced_collection(name, &collection))?;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};
    use std::collections::BTreeMap;

    use super::*;
    use crate::domain::Interaction;
    use crate::store::testing::{self, at};

    /// A calendar in memory; `lose_reply` makes the next change land and its answer be lost.
    #[derive(Default)]
    struct Pocket {
        items: RefCell<BTreeMap<String, (String, String)>>,
        n: Cell<u32>,
        lose_reply: Cell<bool>,
        /// The phone saves an edit just before the next change arrives (a 412 for it).
        edit_first: Cell<bool>,
    }

    impl Pocket {
        fn etag(&self) -> String {
            self.n.set(self.n.get() + 1);
            format!("\"{}\"", self.n.get())
        }
        fn text(&self) -> String {
            self.items
                .borrow()
                .values()
                .next()
                .map(|(_, d)| d.clone())
                .unwrap_or_default()
        }
    }

    impl Remote for Pocket {
        fn url(&self) -> &'static str {
            "mem://kam/calendar/"
        }
        fn href_for(&self, uid: &str) -> String {
            format!("/kam/calendar/{uid}.ics")
        }
        fn tags(&self) -> Result<Tags, SyncError> {
            Ok(Tags::default())
        }
        fn list(&self) -> Result<Vec<(String, Option<String>)>, SyncError> {
            Ok(self
                .items
                .borrow()
                .iter()
                .map(|(h, (e, _))| (h.clone(), Some(e.clone())))
                .collect())
        }
        fn changes(&self, _: &str) -> Result<Option<Changes>, SyncError> {
            Ok(None)
        }
        fn fetch(&self, hrefs: &[String]) -> Result<Vec<Fetched>, SyncError> {
            let items = self.items.borrow();
            Ok(hrefs
                .iter()
                .filter_map(|h| {
                    items.get(h).map(|(e, d)| Fetched {
                        href: h.clone(),
                        etag: e.clone(),
                        data: d.clone(),
                    })
                })
                .collect())
        }
        fn create(&self, href: &str, data: &str) -> Result<Option<String>, SyncError> {
            if self.items.borrow().contains_key(href) {
                return Err(SyncError::Changed);
            }
            let e = self.etag();
            self.items
                .borrow_mut()
                .insert(href.into(), (e.clone(), data.into()));
            Ok(Some(e))
        }
        fn update(&self, href: &str, data: &str, etag: &str) -> Result<Option<String>, SyncError> {
            if self.edit_first.replace(false) {
                let e = self.etag();
                if let Some(item) = self.items.borrow_mut().get_mut(href) {
                    item.0 = e;
                }
            }
            if self.items.borrow().get(href).map(|(e, _)| e.as_str()) != Some(etag) {
                return Err(SyncError::Changed);
            }
            let e = self.etag();
            self.items
                .borrow_mut()
                .insert(href.into(), (e.clone(), data.into()));
            if self.lose_reply.replace(false) {
                return Err(SyncError::Down {
                    url: href.into(),
                    why: "timed out".into(),
                });
            }
            Ok(Some(e))
        }
        fn delete(&self, href: &str, _: Option<&str>) -> Result<(), SyncError> {
            self.items.borrow_mut().remove(href);
            Ok(())
        }
    }

    /// Pilot review at Hospital Clínic on 6 March, with text of its own.
    fn meeting(store: &mut Store) -> Id {
        store
            .write(at("2026-03-01T08:00:00Z"), |w| {
                let a =
                    w.upsert_account(&testing::account("a-1", "Hospital Clínic"), None, None)?;
                w.upsert_interaction(
                    &Interaction {
                        end: Some(at("2026-03-06T11:00:00Z")),
                        account: Some(a),
                        title: Some("Pilot review".into()),
                        body: Some("bring samples".into()),
                        ..testing::interaction(
                            "i-1",
                            "2026-03-06T10:00:00Z",
                            InteractionStatus::Planned,
                        )
                    },
                    None,
                    None,
                )
            })
            .unwrap()
    }

    fn sync(store: &mut Store, now: &str, remote: &Pocket) -> Result<SyncSummary, SyncError> {
        sync_collection(
            store,
            at(now),
            "calendar",
            remote,
            false,
            &EventOptions::default(),
            &mut |_, _| {},
        )
    }

    /// A change refused (the item changed on the server meanwhile) is left for the next sync
    /// once: not sent again in the same sync with the same ETag (a second refusal, a second
    /// line).
    #[test]
    fn a_change_refused_is_held_for_the_next_sync() {
        let mut store = Store::open_in_memory().unwrap();
        meeting(&mut store);
        let phone = Pocket::default();
        sync(&mut store, "2026-03-01T08:00:00Z", &phone).unwrap();
        let text = phone
            .text()
            .replace("SUMMARY:Pilot review", "SUMMARY:Pilot review 2");
        let href = phone.items.borrow().keys().next().unwrap().clone();
        let e = phone.etag();
        phone.items.borrow_mut().insert(href, (e, text));
        phone.edit_first.set(true);
        // A day later (the brief moved): the title is taken, the brief sent and refused.
        let out = sync(&mut store, "2026-03-02T08:00:00Z", &phone).unwrap();
        let refused = out
            .notes
            .iter()
            .filter(|n| n.contains("changed on the server during the sync"))
            .count();
        assert_eq!(refused, 1, "{out:?}");
        assert_eq!(out.sent_changed, 0, "{out:?}");
        let out = sync(&mut store, "2026-03-02T08:00:00Z", &phone).unwrap();
        assert_eq!(out.sent_changed, 1, "{out:?}");
        assert!(
            phone.text().contains("DESCRIPTION:Brief 2 Mar"),
            "{}",
            phone.text()
        );
    }

    /// A change that reached the server with its answer lost leaves there a brief the base
    /// never had; it was recorded as being sent, so the next sync (a day later, a third brief)
    /// knows it and takes none of it for the meeting's notes.
    #[test]
    fn a_brief_sent_with_its_reply_lost_is_known_to_the_next_sync() {
        let mut store = Store::open_in_memory().unwrap();
        let id = meeting(&mut store);
        let phone = Pocket::default();
        sync(&mut store, "2026-03-01T08:00:00Z", &phone).unwrap();
        assert!(
            phone.text().contains("DESCRIPTION:Brief 1 Mar"),
            "{}",
            phone.text()
        );
        // The next day's brief reaches the server; its answer does not come back.
        phone.lose_reply.set(true);
        assert!(sync(&mut store, "2026-03-02T08:00:00Z", &phone).is_err());
        assert!(
            phone.text().contains("DESCRIPTION:Brief 2 Mar"),
            "{}",
            phone.text()
        );
        // A day later still: the server's brief is neither the base's nor today's.
        let out = sync(&mut store, "2026-03-03T08:00:00Z", &phone).unwrap();
        assert!(out.conflicts.is_empty(), "{out:?}");
        let (i, _) = store.reader().interaction(id).unwrap().unwrap();
        assert_eq!(i.body.as_deref(), Some("bring samples"));
        assert!(
            phone.text().contains("DESCRIPTION:Brief 3 Mar"),
            "{}",
            phone.text()
        );
        let quiet = sync(&mut store, "2026-03-03T08:00:00Z", &phone).unwrap();
        assert!(quiet.is_quiet(), "{quiet:?}");
    }
}
