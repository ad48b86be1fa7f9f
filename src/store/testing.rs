//! Fixtures for the store's own tests: a fixed clock and minimal records.

use chrono::{DateTime, NaiveDate};

use crate::domain::{
    Account, Due, FollowUp, FollowUpStatus, Id, Interaction, InteractionKind, InteractionStatus,
    Person, Timestamp,
};

use super::Store;

/// 2026-03-02 10:00 in Madrid (winter time).
pub fn now() -> Timestamp {
    at("2026-03-02T10:00:00+01:00")
}

pub fn at(rfc3339: &str) -> Timestamp {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn store() -> Store {
    Store::open_in_memory().unwrap()
}

pub fn account(uid: &str, name: &str) -> Account {
    Account {
        uid: uid.into(),
        name: name.into(),
        ..Account::default()
    }
}

pub fn person(uid: &str, name: &str, account: Option<Id>) -> Person {
    Person {
        uid: uid.into(),
        name: name.into(),
        account,
        ..Person::default()
    }
}

pub fn interaction(uid: &str, when: &str, status: InteractionStatus) -> Interaction {
    Interaction {
        id: 0,
        uid: uid.into(),
        kind: InteractionKind::Meeting,
        at: at(when),
        end: None,
        account: None,
        people: Vec::new(),
        mentioned: Vec::new(),
        title: Some("Quarterly review".into()),
        body: None,
        location: None,
        status,
        outcome: None,
        tags: Vec::new(),
        extra: crate::domain::Extra::new(),
    }
}

pub fn followup(uid: &str, text: &str, due: &str) -> FollowUp {
    FollowUp {
        id: 0,
        uid: uid.into(),
        text: text.into(),
        due: Due::Day(day(due)),
        account: None,
        person: None,
        deal: None,
        interaction: None,
        repeat: None,
        status: FollowUpStatus::Open,
        done_at: None,
        priority: None,
        extra: crate::domain::Extra::new(),
    }
}

/// Adds `a` in its own transaction and returns its id.
pub fn add_account(store: &mut Store, a: &crate::domain::Account) -> Id {
    store
        .write(now(), |w| w.upsert_account(a, None, None))
        .unwrap()
}

/// Adds `p` in its own transaction and returns its id.
pub fn add_person(store: &mut Store, p: &Person) -> Id {
    store
        .write(now(), |w| w.upsert_person(p, None, None))
        .unwrap()
}

/// An open deal of `account` worth `value` in `currency`.
pub fn deal(
    uid: &str,
    account: Id,
    title: &str,
    value: Option<(f64, &str)>,
) -> crate::domain::Deal {
    crate::domain::Deal {
        id: 0,
        uid: uid.into(),
        account,
        title: title.into(),
        kind: None,
        stage: None,
        value: value.map(|(v, _)| v),
        currency: value.map(|(_, c)| c.to_string()),
        probability: None,
        close: None,
        commission_rate: None,
        milestones: Vec::new(),
        notes: None,
        extra: crate::domain::Extra::new(),
    }
}

/// Adds `d` in its own transaction and returns its id.
pub fn add_deal(store: &mut Store, d: &crate::domain::Deal) -> Id {
    store
        .write(now(), |w| w.upsert_deal(d, None, None))
        .unwrap()
}
