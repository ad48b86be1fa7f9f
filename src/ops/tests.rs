//! Tests of the command layer: journal, undo, history, each command's rules, and the property
//! that any sequence of commands followed by as many undos leaves the notebook as it was.

use chrono::{DateTime, TimeDelta};
use proptest::prelude::*;

use super::*;
use crate::capture::PendingFollowUp;
use crate::domain::{
    Account, AnyStage, Due, Extra, FollowUp, FollowUpStatus, Interaction, InteractionKind,
    InteractionStatus, Link, LinkKind, Person, PersonStage,
};

fn at(s: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(s).unwrap()
}

/// Monday 2 March 2026, 10:00 in Madrid.
fn now() -> Timestamp {
    at("2026-03-02T10:00:00+01:00")
}

struct Book {
    store: Store,
    account: Id,
    people: [Id; 2],
    meetings: [Id; 2],
    followups: [Id; 2],
}

fn interaction(
    uid: &str,
    when: &str,
    status: InteractionStatus,
    account: Id,
    people: Vec<Id>,
) -> Interaction {
    Interaction {
        id: 0,
        uid: uid.into(),
        kind: InteractionKind::Meeting,
        at: at(when),
        end: Some(at(when) + TimeDelta::hours(1)),
        account: Some(account),
        people,
        mentioned: Vec::new(),
        title: Some(format!("Meeting {uid}")),
        body: None,
        location: None,
        status,
        outcome: None,
        tags: Vec::new(),
        extra: Extra::new(),
    }
}

fn followup(uid: &str, text: &str, account: Id, person: Id) -> FollowUp {
    FollowUp {
        id: 0,
        uid: uid.into(),
        text: text.into(),
        due: Due::Day(now().date_naive() + TimeDelta::days(3)),
        account: Some(account),
        person: Some(person),
        deal: None,
        interaction: None,
        repeat: None,
        status: FollowUpStatus::Open,
        done_at: None,
        priority: None,
        extra: Extra::new(),
    }
}

/// A small notebook written straight through the store (not journaled).
fn book() -> Book {
    let mut store = Store::open_in_memory().unwrap();
    let early = at("2026-01-05T09:00:00+01:00");
    let ids = store
        .write(early, |w| {
            let account = w.upsert_account(
                &Account {
                    uid: "a-1".into(),
                    name: "Hospital Clínic".into(),
                    ..Account::default()
                },
                None,
                None,
            )?;
            let ana = w.upsert_person(
                &Person {
                    uid: "p-1".into(),
                    name: "Ana Puig".into(),
                    account: Some(account),
                    personal: Some("Two daughters.\nLoves opera.".into()),
                    ..Person::default()
                },
                None,
                None,
            )?;
            let ivan = w.upsert_person(
                &Person {
                    uid: "p-2".into(),
                    name: "Iván Ruiz".into(),
                    account: Some(account),
                    ..Person::default()
                },
                None,
                None,
            )?;
            let m1 = w.upsert_interaction(
                &interaction(
                    "i-1",
                    "2026-03-06T10:00:00+01:00",
                    InteractionStatus::Planned,
                    account,
                    vec![ana],
                ),
                None,
                None,
            )?;
            let m2 = w.upsert_interaction(
                &interaction(
                    "i-2",
                    "2026-03-09T16:00:00+01:00",
                    InteractionStatus::Planned,
                    account,
                    vec![ana, ivan],
                ),
                None,
                None,
            )?;
            let f1 = w.upsert_followup(
                &followup("f-1", "Send the price list", account, ana),
                None,
                None,
            )?;
            let f2 = w.upsert_followup(
                &followup("f-2", "Call about the tender", account, ivan),
                None,
                None,
            )?;
            Ok((account, [ana, ivan], [m1, m2], [f1, f2]))
        })
        .unwrap();
    let (account, people, meetings, followups) = ids;
    Book {
        store,
        account,
        people,
        meetings,
        followups,
    }
}

fn export(store: &Store) -> String {
    let mut out = Vec::new();
    crate::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new()).unwrap();
    String::from_utf8(out).unwrap()
}

fn person(store: &Store, id: Id) -> (Person, i64) {
    let (p, s) = store.reader().person(id).unwrap().unwrap();
    (p, s.version)
}

#[test]
fn a_command_is_journaled_and_undone_exactly() {
    let mut b = book();
    let before = export(&b.store);
    let moved = run(
        &mut b.store,
        now(),
        &MoveMeeting {
            id: b.meetings[0],
            version: None,
            to: at("2026-03-07T12:00:00+01:00"),
            length: None,
        },
    )
    .unwrap();
    assert!(moved.message.starts_with("Moved #i"), "{}", moved.message);
    assert!(moved.entry.is_some());
    let (m, _) = b
        .store
        .reader()
        .interaction(b.meetings[0])
        .unwrap()
        .unwrap();
    assert_eq!(m.at, at("2026-03-07T12:00:00+01:00"));
    assert_eq!(
        m.end,
        Some(at("2026-03-07T13:00:00+01:00")),
        "it keeps its hour"
    );
    assert_ne!(export(&b.store), before);

    let undone = undo(&mut b.store, now()).unwrap();
    assert!(
        undone.message.starts_with("Undid meeting move"),
        "{}",
        undone.message
    );
    assert_eq!(export(&b.store), before);
    let err = undo(&mut b.store, now()).unwrap_err();
    assert!(err.to_string().starts_with("nothing to undo"), "{err}");
    assert!(b.store.check().unwrap().is_empty());
}

#[test]
fn undo_is_repeatable_newest_first() {
    let mut b = book();
    let start = export(&b.store);
    run(
        &mut b.store,
        now(),
        &CompleteFollowUp {
            id: b.followups[0],
            version: None,
        },
    )
    .unwrap();
    let after_one = export(&b.store);
    run(
        &mut b.store,
        now(),
        &CancelMeeting {
            id: b.meetings[1],
            version: None,
            reason: Some("Ana is ill".into()),
        },
    )
    .unwrap();
    let second = undo(&mut b.store, now()).unwrap();
    assert!(
        second.message.contains("meeting cancel"),
        "{}",
        second.message
    );
    assert_eq!(export(&b.store), after_one);
    let first = undo(&mut b.store, now()).unwrap();
    assert!(first.message.contains("followup done"), "{}", first.message);
    assert_eq!(export(&b.store), start);
}

#[test]
fn undo_refuses_when_the_record_changed_since_and_says_why() {
    let mut b = book();
    let ana = b.people[0];
    let (p, v) = person(&b.store, ana);
    run(
        &mut b.store,
        now(),
        &EditPerson {
            person: Person {
                title: Some("Head of pharmacy".into()),
                ..p
            },
            version: v,
            stage: None,
            append_personal: None,
        },
    )
    .unwrap();
    // Someone changes her outside the journal (an import, a sync).
    let (mut p, v) = person(&b.store, ana);
    p.phone = Some("+34 600 000 000".into());
    b.store.write(now(), |w| w.update_person(&p, v)).unwrap();
    let err = undo(&mut b.store, now()).unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, OpsError::Refused(_)), "{err:?}");
    assert!(
        message.contains("#p1 was changed since (phone)"),
        "{message}"
    );
    assert!(message.contains("would lose"), "{message}");
    // It says what it knows (a later change, and when), and blames no front.
    assert!(
        message.contains("by a later change (") && message.contains("not in the journal)"),
        "{message}"
    );
    assert!(!message.contains("full-screen"), "{message}");
    assert_eq!(
        person(&b.store, ana).0.phone.as_deref(),
        Some("+34 600 000 000"),
        "nothing undone"
    );
}

#[test]
fn history_keeps_the_text_an_edit_replaced() {
    let mut b = book();
    let ana = b.people[0];
    let (p, v) = person(&b.store, ana);
    run(
        &mut b.store,
        now(),
        &EditPerson {
            person: Person {
                personal: Some("One daughter.".into()),
                ..p
            },
            version: v,
            stage: None,
            append_personal: None,
        },
    )
    .unwrap();
    let (p, v) = person(&b.store, ana);
    run(
        &mut b.store,
        now(),
        &EditPerson {
            person: p,
            version: v,
            stage: None,
            append_personal: Some("Moved to Girona".into()),
        },
    )
    .unwrap();
    assert_eq!(
        person(&b.store, ana).0.personal.as_deref(),
        Some("One daughter.\n2026-03-02: Moved to Girona")
    );
    undo(&mut b.store, now()).unwrap();
    let lines = history(&b.store.reader(), RecordKind::Person, ana, 10).unwrap();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].undone_at.is_some(),
        "the undone edit is shown as undone"
    );
    let first = &lines[1];
    assert_eq!(first.command, "person edit");
    assert_eq!(
        first.fields,
        vec![FieldChange {
            field: "personal".into(),
            before: Some("Two daughters.\nLoves opera.".into()),
            after: Some("One daughter.".into()),
        }]
    );
}

#[test]
fn a_cancelled_meeting_is_not_contact() {
    let mut b = book();
    let ana = b.people[0];
    run(
        &mut b.store,
        at("2026-03-06T12:00:00+01:00"),
        &CancelMeeting {
            id: b.meetings[0],
            version: None,
            reason: None,
        },
    )
    .unwrap();
    assert_eq!(b.store.reader().person_last_contact(ana).unwrap(), None);
    assert_eq!(
        b.store.reader().account_last_contact(b.account).unwrap(),
        None
    );
    let (m, _) = b
        .store
        .reader()
        .interaction(b.meetings[0])
        .unwrap()
        .unwrap();
    assert_eq!(m.status, InteractionStatus::Cancelled);
    // Done, it would have been.
    run(
        &mut b.store,
        at("2026-03-09T18:00:00+01:00"),
        &CloseMeeting {
            id: b.meetings[1],
            version: None,
            outcome: Some("ok".into()),
            follow_up: None,
        },
    )
    .unwrap();
    assert!(b.store.reader().person_last_contact(ana).unwrap().is_some());
}

#[test]
fn the_rules_live_in_the_commands() {
    let mut b = book();
    let lost = MoveStage {
        id: 1,
        to: AnyStage::Deal(crate::domain::DealStage::Lost),
        note: Some("  ".into()),
        label: "#d1".into(),
        version: None,
    };
    let err = run(&mut b.store, now(), &lost).unwrap_err();
    assert!(
        err.to_string().contains("a lost deal needs the reason"),
        "{err}"
    );

    let done = CompleteFollowUp {
        id: b.followups[0],
        version: None,
    };
    run(&mut b.store, now(), &done).unwrap();
    let err = run(&mut b.store, now(), &done).unwrap_err();
    assert!(err.to_string().contains("is already done"), "{err}");

    let stale = CompleteFollowUp {
        id: b.followups[1],
        version: Some(99),
    };
    assert!(matches!(
        run(&mut b.store, now(), &stale),
        Err(OpsError::Conflict { .. })
    ));

    let future = LogMeeting {
        meeting: Interaction {
            outcome: Some("fine".into()),
            ..interaction(
                "i-9",
                "2026-03-05T10:00:00+01:00",
                InteractionStatus::Done,
                b.account,
                vec![],
            )
        },
        follow_up: None,
    };
    let err = run(&mut b.store, now(), &future).unwrap_err();
    assert!(
        err.to_string().contains("a logged meeting has happened"),
        "{err}"
    );
}

/// 11.25 through ops: an edit that changes nothing says so, writes nothing (no version, no
/// journal entry), so the next undo undoes the change before it; a follow-up's new date is the
/// domain's snooze rule in `snooze` and `edit --due` alike.
#[test]
fn an_edit_that_changes_nothing_is_not_journaled() {
    let mut b = book();
    let (p, version) = person(&b.store, b.people[0]);
    let original = p.title.clone();
    let edit = |p: &Person, version| EditPerson {
        person: p.clone(),
        version,
        stage: None,
        append_personal: None,
    };
    let mut changed = p.clone();
    changed.title = Some("Head of purchasing".into());
    let saved = run(&mut b.store, now(), &edit(&changed, version)).unwrap();
    assert!(
        saved.message.starts_with("Saved person"),
        "{}",
        saved.message
    );
    let (p, version) = person(&b.store, b.people[0]);
    let same = run(&mut b.store, now(), &edit(&p, version)).unwrap();
    assert!(
        same.message.starts_with("Nothing changed"),
        "{}",
        same.message
    );
    assert_eq!(same.entry, None);
    assert_eq!(person(&b.store, b.people[0]).1, version);
    let text = EditFollowUp {
        id: b.followups[0],
        text: Some(
            b.store
                .reader()
                .followup(b.followups[0])
                .unwrap()
                .unwrap()
                .0
                .text,
        ),
        ..EditFollowUp::default()
    };
    let same = run(&mut b.store, now(), &text).unwrap();
    assert!(
        same.message.starts_with("Nothing changed"),
        "{}",
        same.message
    );
    assert_eq!(same.entry, None);
    let undone = undo(&mut b.store, now()).unwrap();
    assert!(
        undone.message.starts_with("Undid person edit"),
        "{}",
        undone.message
    );
    assert_eq!(person(&b.store, b.people[0]).0.title, original);

    let yesterday = Due::Day(now().date_naive() - TimeDelta::days(1));
    let snooze = SnoozeFollowUp {
        id: b.followups[0],
        version: None,
        due: yesterday,
    };
    let err = run(&mut b.store, now(), &snooze).unwrap_err();
    assert!(err.to_string().contains("is in the past"), "{err}");
    let edit_due = EditFollowUp {
        id: b.followups[0],
        due: Some(yesterday),
        ..EditFollowUp::default()
    };
    // Editing the date corrects it: the past is taken.
    let fixed = run(&mut b.store, now(), &edit_due).unwrap();
    assert!(fixed.message.contains("(yesterday)"), "{}", fixed.message);
}

/// One command of the property test, over the fixture's records by index.
#[derive(Debug, Clone)]
enum Step {
    Note(usize, String),
    Complete(usize),
    Snooze(usize, i64),
    EditFollowUp(usize, String),
    Reopen(usize),
    CancelFollowUp(usize),
    Move(usize, i64),
    Cancel(usize),
    Close(usize, bool),
    EditMeeting(usize, String, bool),
    Log(usize),
    Personal(usize, String),
    Append(usize, String),
    Archive(usize, bool),
    Stage(usize, usize),
    Link(bool),
    Unlink,
    Merge,
    EditNote(usize, String, i64, bool),
}

fn step() -> impl Strategy<Value = Step> {
    let i = 0..2usize;
    let text = "[a-zA-Zñ ]{1,12}";
    prop_oneof![
        (i.clone(), text).prop_map(|(i, t)| Step::Note(i, t)),
        i.clone().prop_map(Step::Complete),
        (i.clone(), 1..30i64).prop_map(|(i, d)| Step::Snooze(i, d)),
        (i.clone(), text).prop_map(|(i, t)| Step::EditFollowUp(i, t)),
        i.clone().prop_map(Step::Reopen),
        i.clone().prop_map(Step::CancelFollowUp),
        (i.clone(), -48..200i64).prop_map(|(i, h)| Step::Move(i, h)),
        i.clone().prop_map(Step::Cancel),
        (i.clone(), any::<bool>()).prop_map(|(i, f)| Step::Close(i, f)),
        (i.clone(), text, any::<bool>()).prop_map(|(i, t, w)| Step::EditMeeting(i, t, w)),
        i.clone().prop_map(Step::Log),
        (i.clone(), text).prop_map(|(i, t)| Step::Personal(i, t)),
        (i.clone(), text).prop_map(|(i, t)| Step::Append(i, t)),
        (i.clone(), any::<bool>()).prop_map(|(i, r)| Step::Archive(i, r)),
        (i.clone(), 0..4usize).prop_map(|(i, s)| Step::Stage(i, s)),
        any::<bool>().prop_map(Step::Link),
        Just(Step::Unlink),
        Just(Step::Merge),
        (i.clone(), text, -300..30i64, any::<bool>())
            .prop_map(|(i, t, h, w)| Step::EditNote(i, t, h, w)),
    ]
}

#[allow(clippy::too_many_lines)] // one arm per kind of step, read as a table
fn command(b: &Book, step: &Step) -> Box<dyn Command> {
    let person_edit = |i: usize, f: &dyn Fn(&mut Person) -> Option<String>| -> Box<dyn Command> {
        // Merged away: an edit of a person who is gone (refused, not found).
        let Some((mut p, s)) = b.store.reader().person(b.people[i]).unwrap() else {
            return Box::new(Archive {
                kind: RecordKind::Person,
                id: b.people[i],
                version: None,
                restore: false,
            });
        };
        let append = f(&mut p);
        Box::new(EditPerson {
            person: p,
            version: s.version,
            stage: None,
            append_personal: append,
        })
    };
    let labels = (String::from("#p1 Ana"), String::from("#p2 Iván"));
    match step.clone() {
        Step::Note(i, t) => Box::new(AddNote {
            note: Interaction {
                kind: InteractionKind::Note,
                body: Some(t),
                end: None,
                ..interaction(
                    &crate::capture::new_uid(),
                    "2026-03-01T18:00:00+01:00",
                    InteractionStatus::Done,
                    b.account,
                    vec![b.people[i]],
                )
            },
            person: Some(b.people[i]),
            follow_up: Some(PendingFollowUp {
                due: Due::Day(now().date_naive()),
                text: "next".into(),
            }),
            on: "#p".into(),
        }),
        Step::Complete(i) => Box::new(CompleteFollowUp {
            id: b.followups[i],
            version: None,
        }),
        Step::Snooze(i, d) => Box::new(SnoozeFollowUp {
            id: b.followups[i],
            version: None,
            due: Due::Day(now().date_naive() + TimeDelta::days(d)),
        }),
        Step::EditFollowUp(i, t) => Box::new(EditFollowUp {
            id: b.followups[i],
            text: Some(t),
            ..EditFollowUp::default()
        }),
        Step::Reopen(i) => Box::new(ReopenFollowUp {
            id: b.followups[i],
            version: None,
        }),
        Step::CancelFollowUp(i) => Box::new(CancelFollowUp {
            id: b.followups[i],
            version: None,
        }),
        Step::Move(i, h) => Box::new(MoveMeeting {
            id: b.meetings[i],
            version: None,
            to: now() + TimeDelta::hours(h),
            length: (h % 2 == 0).then(|| TimeDelta::minutes(45)),
        }),
        Step::Cancel(i) => Box::new(CancelMeeting {
            id: b.meetings[i],
            version: None,
            reason: Some("ill".into()),
        }),
        Step::Close(i, f) => Box::new(CloseMeeting {
            id: b.meetings[i],
            version: None,
            outcome: Some("agreed".into()),
            follow_up: f.then(|| PendingFollowUp {
                due: Due::Day(now().date_naive()),
                text: "send".into(),
            }),
        }),
        Step::EditMeeting(i, t, w) => Box::new(EditMeeting {
            id: b.meetings[i],
            title: Some(t.clone()),
            goal: Some(t.clone()),
            asks: vec![t],
            with: if w { vec![b.people[1]] } else { vec![] },
            without: if w { vec![] } else { vec![b.people[1]] },
            ..EditMeeting::default()
        }),
        Step::Log(i) => Box::new(LogMeeting {
            meeting: Interaction {
                outcome: Some("dinner went well".into()),
                ..interaction(
                    &crate::capture::new_uid(),
                    "2026-03-01T21:00:00+01:00",
                    InteractionStatus::Done,
                    b.account,
                    vec![b.people[i]],
                )
            },
            follow_up: None,
        }),
        Step::Personal(i, t) => person_edit(i, &|p| {
            p.personal = Some(t.clone());
            None
        }),
        Step::Append(i, t) => person_edit(i, &|_| Some(t.clone())),
        Step::Archive(i, restore) => Box::new(Archive {
            kind: RecordKind::Person,
            id: b.people[i],
            version: None,
            restore,
        }),
        Step::Stage(i, s) => {
            let stages = [
                PersonStage::Contacted,
                PersonStage::Acquainted,
                PersonStage::Loyal,
                PersonStage::Cooling,
            ];
            Box::new(MoveStage {
                id: b.people[i],
                to: AnyStage::Person(stages[s]),
                note: None,
                label: "#p".into(),
                version: None,
            })
        }
        Step::Link(reverse) => {
            let (from, to) = if reverse {
                (b.people[1], b.people[0])
            } else {
                (b.people[0], b.people[1])
            };
            Box::new(AddLink {
                link: Link {
                    id: 0,
                    uid: crate::capture::new_uid(),
                    from,
                    to,
                    kind: LinkKind::ReportsTo,
                    note: None,
                    extra: Extra::new(),
                },
                labels,
            })
        }
        Step::Merge => Box::new(Merge {
            kind: crate::store::MergeKind::Person,
            keep: b.people[0],
            other: b.people[1],
            dry_run: false,
        }),
        Step::EditNote(i, text, hours, with) => Box::new(EditInteraction {
            id: b.meetings[i],
            text: Some(text.clone()),
            title: (hours % 3 == 0).then(String::new),
            outcome: with.then_some(text),
            at: (hours % 2 == 0).then(|| now() + TimeDelta::hours(hours)),
            with: if with { vec![b.people[1]] } else { vec![] },
            without: if with { vec![] } else { vec![b.people[0]] },
            ..EditInteraction::default()
        }),
        Step::Unlink => Box::new(RemoveLink {
            from: b.people[0],
            to: b.people[1],
            kind: LinkKind::ReportsTo,
            labels,
        }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any sequence of commands, then as many undos as entries written: the notebook exports
    /// exactly as before, and the search index is whole.
    #[test]
    fn commands_then_as_many_undos_leave_the_notebook_as_it_was(
        steps in proptest::collection::vec(step(), 1..12)
    ) {
        let mut b = book();
        let before = export(&b.store);
        let mut entries = 0;
        for (n, s) in steps.iter().enumerate() {
            let c = command(&b, s);
            let when = now() + TimeDelta::minutes(i64::try_from(n).unwrap());
            if let Ok(outcome) = run(&mut b.store, when, c.as_ref()) {
                entries += usize::from(outcome.entry.is_some());
            }
        }
        for _ in 0..entries {
            let undone = undo(&mut b.store, now());
            prop_assert!(undone.is_ok(), "{:?}", undone);
        }
        prop_assert_eq!(export(&b.store), before);
        prop_assert!(b.store.check().unwrap().is_empty());
        prop_assert!(undo(&mut b.store, now()).is_err());
    }
}

/// A call written down (a contact: a note would count for nobody), then edited: text, title,
/// time and people through one command.
fn edited_note(b: &mut Book) -> Id {
    let note = run(
        &mut b.store,
        now(),
        &AddNote {
            note: Interaction {
                kind: InteractionKind::Call,
                title: None,
                body: Some("Met Ana: the tender moves to March.\nShe wants the price list.".into()),
                end: None,
                status: InteractionStatus::Done,
                ..interaction(
                    "n-1",
                    "2026-03-01T18:00:00+01:00",
                    InteractionStatus::Done,
                    b.account,
                    vec![b.people[0]],
                )
            },
            person: None,
            follow_up: None,
            on: "#a1".into(),
        },
    )
    .unwrap();
    note.record.unwrap().id
}

#[test]
fn an_interaction_edit_keeps_the_replaced_text_in_history_and_undo_restores_it() {
    let mut b = book();
    let id = edited_note(&mut b);
    let contact = |b: &Book, p: usize| b.store.reader().person_last_contact(b.people[p]).unwrap();
    assert_eq!(
        contact(&b, 0),
        Some(at("2026-03-01T18:00:00+01:00").timestamp())
    );
    let before = export(&b.store);
    let edit = EditInteraction {
        id,
        version: Some(1),
        text: Some("Met Iván: the tender moves to April.".into()),
        title: Some("Tender news".into()),
        at: Some(at("2026-02-20T12:00:00+01:00")),
        with: vec![b.people[1]],
        without: vec![b.people[0]],
        ..EditInteraction::default()
    };
    let saved = run(&mut b.store, now(), &edit).unwrap();
    assert!(
        saved.message.starts_with("Saved call #i")
            && saved.message.ends_with("(title, text, when, people)"),
        "{}",
        saved.message
    );
    let (i, _) = b.store.reader().interaction(id).unwrap().unwrap();
    assert_eq!(
        i.body.as_deref(),
        Some("Met Iván: the tender moves to April.")
    );
    assert_eq!(i.people, vec![b.people[1]]);
    assert_eq!(i.at, at("2026-02-20T12:00:00+01:00"));
    // Ana is off it (it was her only contact); Iván was there on the 20th.
    assert_eq!(contact(&b, 0), None);
    assert_eq!(
        contact(&b, 1),
        Some(at("2026-02-20T12:00:00+01:00").timestamp())
    );

    let lines = history(&b.store.reader(), RecordKind::Interaction, id, 10).unwrap();
    assert_eq!(lines[0].command, "note edit");
    let body = lines[0].fields.iter().find(|f| f.field == "body").unwrap();
    assert_eq!(
        body.before.as_deref(),
        Some("Met Ana: the tender moves to March.\nShe wants the price list.")
    );
    assert!(lines[0].fields.iter().any(|f| f.field == "people"));

    // A second edit from the version shown before the first is a conflict.
    let stale = run(&mut b.store, now(), &edit).unwrap_err();
    assert!(matches!(stale, OpsError::Conflict { .. }), "{stale}");

    undo(&mut b.store, now()).unwrap();
    assert_eq!(export(&b.store), before);
    assert_eq!(
        contact(&b, 0),
        Some(at("2026-03-01T18:00:00+01:00").timestamp())
    );
}

#[test]
fn an_interaction_edit_refuses_the_future_an_empty_note_and_nothing_to_do() {
    let mut b = book();
    let id = edited_note(&mut b);
    let before = export(&b.store);
    let future = EditInteraction {
        id,
        at: Some(at("2026-03-05T12:00:00+01:00")),
        ..EditInteraction::default()
    };
    let err = run(&mut b.store, now(), &future).unwrap_err().to_string();
    assert!(
        err.contains("not later than now") && err.contains("--at"),
        "{err}"
    );
    let empty = EditInteraction {
        id,
        text: Some("  ".into()),
        ..EditInteraction::default()
    };
    let err = run(&mut b.store, now(), &empty).unwrap_err().to_string();
    assert!(
        err.contains("--text") && err.contains("say nothing"),
        "{err}"
    );
    let nothing = EditInteraction {
        id,
        ..EditInteraction::default()
    };
    let err = run(&mut b.store, now(), &nothing).unwrap_err().to_string();
    assert!(err.starts_with("nothing to change"), "{err}");
    // The same text again writes nothing.
    let same = EditInteraction {
        id,
        text: Some("Met Ana: the tender moves to March.\nShe wants the price list.".into()),
        ..EditInteraction::default()
    };
    let o = run(&mut b.store, now(), &same).unwrap();
    assert!(
        o.entry.is_none() && o.message.starts_with("Nothing changed"),
        "{}",
        o.message
    );
    // A planned meeting may move ahead, and keeps its length.
    let ahead = EditInteraction {
        id: b.meetings[0],
        at: Some(at("2026-03-10T09:00:00+01:00")),
        ..EditInteraction::default()
    };
    run(&mut b.store, now(), &ahead).unwrap();
    let (m, _) = b
        .store
        .reader()
        .interaction(b.meetings[0])
        .unwrap()
        .unwrap();
    assert_eq!(m.end, Some(at("2026-03-10T10:00:00+01:00")));
    undo(&mut b.store, now()).unwrap();
    assert_eq!(export(&b.store), before);
}

#[test]
fn an_interaction_record_has_its_names_and_the_follow_ups_it_set() {
    let mut b = book();
    let closed = run(
        &mut b.store,
        now(),
        &CloseMeeting {
            id: b.meetings[1],
            version: None,
            outcome: Some("agreed".into()),
            follow_up: Some(PendingFollowUp {
                due: Due::Day(now().date_naive()),
                text: "Send the offer".into(),
            }),
        },
    )
    .unwrap();
    let r = b
        .store
        .reader()
        .interaction_record(b.meetings[1])
        .unwrap()
        .unwrap();
    assert_eq!(
        r.account.as_ref().map(|(_, n)| n.as_str()),
        Some("Hospital Clínic")
    );
    let names: Vec<&str> = r.people.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(names, ["Ana Puig", "Iván Ruiz"]);
    assert_eq!(r.followups.len(), 1);
    assert_eq!(r.followups[0].id, closed.created[0].id);
    assert!(b.store.reader().interaction_record(9999).unwrap().is_none());
}

#[test]
fn a_salutation_typed_in_the_name_is_kept_apart_and_its_edit_undone_exactly() {
    let mut b = book();
    let added = run(
        &mut b.store,
        now(),
        &AddPerson {
            person: Person {
                uid: "p-dra".into(),
                name: "Dra. Carmen Peña Olmedo".into(),
                ..Person::default()
            },
            stage: None,
        },
    )
    .unwrap();
    assert!(
        added.message.ends_with(" Dra. Carmen Peña Olmedo"),
        "{}",
        added.message
    );
    let id = added.record.unwrap().id;
    let (p, v) = person(&b.store, id);
    assert_eq!(
        (p.salutation.as_deref(), p.name.as_str()),
        (Some("Dra."), "Carmen Peña Olmedo")
    );
    let before = export(&b.store);
    let edited = run(
        &mut b.store,
        now(),
        &EditPerson {
            person: Person {
                salutation: Some("Prof.ª Dra.".into()),
                family_name: Some("Peña Olmedo".into()),
                ..p
            },
            version: v,
            stage: None,
            append_personal: None,
        },
    )
    .unwrap();
    assert!(
        edited.message.contains("Prof.ª Dra. Carmen Peña Olmedo"),
        "{}",
        edited.message
    );
    let lines = history(&b.store.reader(), RecordKind::Person, id, 10).unwrap();
    let fields: Vec<&str> = lines[0].fields.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(
        fields,
        ["salutation", "family_name"],
        "the sort key is bookkeeping"
    );
    undo(&mut b.store, now()).unwrap();
    assert_eq!(export(&b.store), before);
    // A name edited to start with a salutation, the person having none: moved out too.
    let (p, v) = person(&b.store, b.people[0]);
    run(
        &mut b.store,
        now(),
        &EditPerson {
            person: Person {
                salutation: None,
                name: "Mr Iván Petrov".into(),
                ..p
            },
            version: v,
            stage: None,
            append_personal: None,
        },
    )
    .unwrap();
    let p = person(&b.store, b.people[0]).0;
    assert_eq!(
        (p.salutation.as_deref(), p.name.as_str()),
        (Some("Mr"), "Iván Petrov")
    );
}

/// The open follow-ups each account carries, kept by triggers (schema v24,
/// `account_open_followups`, read by a meeting's prep line), stay equal to a count of the rows
/// through every command that writes follow-ups, their undo, and an import.
mod open_follow_up_counts {
    use super::super::*;
    use crate::domain::{Due, FollowUp};
    use crate::store::MergeKind;
    use crate::store::testing::{
        account, add_account, add_person, day, followup, now, person, store,
    };

    /// The kept counts match the rows, and account `id` has `open` open follow-ups.
    #[track_caller]
    fn holds(store: &Store, id: Id, open: i64) {
        let r = store.reader();
        assert_eq!(r.open_followup_count_drift(), [], "kept against counted");
        assert_eq!(r.kept_open_followups(id), open);
    }

    fn promise(uid: &str, account: Option<Id>, person: Option<Id>) -> FollowUp {
        FollowUp {
            account,
            person,
            ..followup(uid, uid, "2026-03-05")
        }
    }

    fn add(store: &mut Store, f: FollowUp) -> Id {
        run(
            store,
            now(),
            &AddFollowUp {
                followup: f,
                plan: None,
            },
        )
        .unwrap()
        .record
        .unwrap()
        .id
    }

    #[test]
    #[allow(clippy::too_many_lines)] // one notebook walked through every write, read top to bottom
    fn the_open_count_of_an_account_follows_every_write_and_its_undo() {
        let mut s = store();
        let a = add_account(&mut s, &account("a1", "Hospital Clínic"));
        let b = add_account(&mut s, &account("a2", "Hospital del Mar"));
        let ana = add_person(&mut s, &person("p1", "Ana", Some(a)));
        let loner = add_person(&mut s, &person("p2", "Loner", None));

        let f1 = add(&mut s, promise("f1", Some(a), Some(ana)));
        holds(&s, a, 1);
        let f2 = add(&mut s, promise("f2", Some(b), None));
        let f3 = add(&mut s, promise("f3", None, Some(loner)));
        holds(&s, a, 1);
        holds(&s, b, 1);

        // Done, then undone; cancelled, reopened.
        run(
            &mut s,
            now(),
            &CompleteFollowUp {
                id: f1,
                version: None,
            },
        )
        .unwrap();
        holds(&s, a, 0);
        undo(&mut s, now()).unwrap();
        holds(&s, a, 1);
        run(
            &mut s,
            now(),
            &CancelFollowUp {
                id: f2,
                version: None,
            },
        )
        .unwrap();
        holds(&s, b, 0);
        run(
            &mut s,
            now(),
            &ReopenFollowUp {
                id: f2,
                version: None,
            },
        )
        .unwrap();
        holds(&s, b, 1);
        // A snooze or an edit of the text leaves the count alone.
        run(
            &mut s,
            now(),
            &EditFollowUp {
                id: f1,
                due: Some(Due::Day(day("2026-04-01"))),
                text: Some("Send the price list".into()),
                ..EditFollowUp::default()
            },
        )
        .unwrap();
        holds(&s, a, 1);
        // A recurring one done comes back open: still one.
        let mut weekly = promise("f4", Some(a), None);
        weekly.repeat = Some("weekly".parse().unwrap());
        let f4 = add(&mut s, weekly);
        holds(&s, a, 2);
        run(
            &mut s,
            now(),
            &CompleteFollowUp {
                id: f4,
                version: None,
            },
        )
        .unwrap();
        holds(&s, a, 2);
        undo(&mut s, now()).unwrap();
        holds(&s, a, 2);
        // An add undone deletes the row.
        undo(&mut s, now()).unwrap();
        holds(&s, a, 1);

        // Merging the accounts moves the other's open follow-ups to the one kept; undone, back.
        run(
            &mut s,
            now(),
            &Merge {
                kind: MergeKind::Account,
                keep: a,
                other: b,
                dry_run: false,
            },
        )
        .unwrap();
        holds(&s, a, 2);
        holds(&s, b, 0);
        undo(&mut s, now()).unwrap();
        holds(&s, a, 1);
        holds(&s, b, 1);

        // One kept on Ana alone, without an account, is not in the account's kept count (the
        // prep counts those apart).
        let f5 = add(&mut s, promise("f5", None, Some(ana)));
        holds(&s, a, 1);

        // An export imported into an empty notebook, then again over itself (an update).
        let mut file = Vec::new();
        crate::interop::jsonl::export(&s.reader(), &mut file, serde_json::Map::new()).unwrap();
        let mut copy = store();
        for _ in 0..2 {
            crate::interop::jsonl::import(&mut copy, file.as_slice(), now(), &mut |_| {}).unwrap();
            holds(&copy, a, 1);
            holds(&copy, b, 1);
        }

        // Erasing an account deletes its people and sets its follow-ups aside.
        run(
            &mut s,
            now(),
            &Forget {
                target: Forgettable::Account(b),
            },
        )
        .unwrap();
        holds(&s, b, 0);
        holds(&s, a, 1);
        let _ = (f3, f5);
    }
}
