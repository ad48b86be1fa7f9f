//! The open follow-ups each account carries, kept by triggers (schema v24,
//! `account_open_followups`, read by a meeting's prep line), stay equal to a count of the rows
//! through every command that writes follow-ups, their undo, and an import.

use super::*;
use crate::domain::{Due, FollowUp};
use crate::store::MergeKind;
use crate::store::testing::{account, add_account, add_person, day, followup, now, person, store};

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
