//! Merging one item field by field: the notebook's fields, the server's, and the base both
//! last agreed on. A field changed on one side takes that side's value (the server's as an ops
//! command); changed on both to different values, the notebook's stays and the server's is
//! kept as a note and reported.

use chrono::TimeDelta;

use crate::domain::{InteractionKind, Timestamp};
use crate::ops::{
    AddNote, CancelMeeting, Command, CompleteFollowUp, EditFollowUp, EditInteraction, EditMeeting,
    EditPerson, MoveMeeting, ReopenMeeting,
};
use crate::text::sanitize_line;

use super::fields::{CardFields, EventFields, ItemFields, TodoFields, due_of};
use super::local::{LocalRecord, Render, local_ts};

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
pub(super) struct ItemMerge {
    pub(super) commands: Vec<Box<dyn Command>>,
    /// The notebook holds something the server lacks: send it.
    pub(super) push: bool,
    pub(super) conflicts: Vec<String>,
    pub(super) notes: Vec<String>,
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

pub(super) fn when_text(seconds: i64) -> String {
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
    // Un-cancelled on the phone (STATUS:CANCELLED taken off, or an event deleted there brought
    // back under its UID): the meeting is reopened first, so a move made with it is a move.
    let reopen = side(&base.cancelled, &here.cancelled, &there.cancelled) == Side::There
        && here.cancelled
        && !there.cancelled;
    if reopen {
        m.commands.push(Box::new(ReopenMeeting {
            id: rec.id,
            version: None,
        }));
    }
    let planned = rec.planned || reopen;
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
        Side::There if planned => m.commands.push(Box::new(MoveMeeting {
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
        Side::There if reopen => {}
        Side::There => {
            m.push = true;
            m.notes.push(format!(
                "{}: its status on the server was not taken (only a planned meeting is cancelled, only a cancelled one reopened); sent back as it is here",
                rec.label
            ));
        }
        Side::Here | Side::Both => m.push = true,
        Side::Neither => {}
    }
    // What we add (the account in LOCATION, the brief) is ours alone: never taken from the
    // server, sent again when the server's differs.
    if here.shown_location != there.shown_location || here.brief != there.brief {
        m.push = true;
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

pub(super) fn merge(
    rec: &LocalRecord,
    base: &ItemFields,
    there: &ItemFields,
    now: Timestamp,
) -> ItemMerge {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_field_goes_to_the_side_that_changed_it() {
        assert_eq!(side(&1, &1, &1), Side::Neither);
        assert_eq!(side(&1, &2, &1), Side::Here);
        assert_eq!(side(&1, &1, &2), Side::There);
        // The same change on both sides is no conflict.
        assert_eq!(side(&1, &2, &2), Side::Neither);
        assert_eq!(side(&1, &2, &3), Side::Both);
    }
}
