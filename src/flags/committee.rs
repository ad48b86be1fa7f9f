//! The committee red flag (issue 14.3): before a tender's submission, every member of its
//! committee (evaluation committee or decision maker, `crate::domain::DealRole::is_committee`)
//! should have been seen in the last weeks. From [`COMMITTEE_WEEKS`] weeks before the
//! submission until its day, a member not seen since the window opened (or never) is flagged:
//! 3 (act now) in the last week, else 2. After the submission there is no flag: the offers
//! are in.
//!
//! The submission is the deal's milestone named like one (`submission`, `submit`,
//! `deadline`, `presentación`, `entrega`), else its expected close. "Seen" is read through
//! [`last_seen`], the one place that says what counts as seeing someone.

use chrono::{DateTime, NaiveDate, TimeZone};

use super::{RedFlag, RedFlagKind};
use crate::domain::{Deal, Id};
use crate::store::{Reader, StoreError};

/// How many weeks before a submission the committee should have been seen.
pub const COMMITTEE_WEEKS: i64 = 4;
/// Open deals of an account looked at (soonest close first).
const DEALS_READ: u32 = 20;

/// When `person` was last seen (unix seconds), `None` if never: the notebook's last-contact
/// helper today; the one function to switch when "seen" comes to mean taking part in a
/// meeting, visit, call, meal or event.
pub fn last_seen(reader: &Reader<'_>, person: Id) -> Result<Option<i64>, StoreError> {
    reader.person_last_contact(person)
}

/// The local day (in `tz`) `person` was last seen, `None` if never ([`last_seen`]).
pub fn seen_day<Tz: TimeZone>(
    reader: &Reader<'_>,
    person: Id,
    tz: &Tz,
) -> Result<Option<NaiveDate>, StoreError> {
    Ok(last_seen(reader, person)?
        .and_then(|t| tz.timestamp_opt(t, 0).single())
        .map(|t| t.date_naive()))
}

/// Whether a committee member last seen on `seen` is flagged on `today` for a submission on
/// `submission`: inside the window (from [`COMMITTEE_WEEKS`] before it to its day) and not
/// seen since the window opened.
pub fn unseen_before(submission: NaiveDate, today: NaiveDate, seen: Option<NaiveDate>) -> bool {
    let opens = submission - chrono::Duration::weeks(COMMITTEE_WEEKS);
    (opens..=submission).contains(&today) && seen.is_none_or(|d| d < opens)
}

/// Milestone names that mean the offers are due (folded: no case, no accents).
const SUBMISSION_WORDS: &[&str] = &[
    "submission",
    "submit",
    "deadline",
    "presentacion",
    "entrega",
];

/// The day a deal's offers are due: a milestone named like a submission, else its close.
pub fn submission_day(deal: &Deal) -> Option<NaiveDate> {
    deal.milestones
        .iter()
        .find(|m| {
            let name = crate::text::fold(&m.name);
            SUBMISSION_WORDS.iter().any(|w| name.contains(w))
        })
        .map(|m| m.date)
        .or(deal.close)
}

/// The committee flags of account `account` at `now`.
pub fn committee_flags<Tz: TimeZone>(
    reader: &Reader<'_>,
    account: Id,
    now: &DateTime<Tz>,
) -> Result<Vec<RedFlag>, StoreError> {
    let today = now.date_naive();
    let tz = now.timezone();
    let mut out = Vec::new();
    for deal in reader.open_deals_of(account, DEALS_READ)? {
        let Some(submission) = submission_day(&deal) else {
            continue;
        };
        if !unseen_before(submission, today, None) {
            continue;
        }
        let left = (submission - today).num_days();
        let mut named: Vec<Id> = Vec::new();
        for row in reader.deal_people(deal.id)? {
            let person = row.role.person;
            if !row.role.role.is_committee() || named.contains(&person) {
                continue;
            }
            let seen = seen_day(reader, person, &tz)?;
            if !unseen_before(submission, today, seen) {
                continue;
            }
            named.push(person);
            let since = seen.map_or_else(
                || "never seen".to_string(),
                |d| format!("not seen since {d}"),
            );
            let due = match left {
                0 => "submission today".to_string(),
                1 => "submission tomorrow".to_string(),
                n => format!("submission in {n} days"),
            };
            out.push(RedFlag {
                kind: RedFlagKind::CommitteeNotSeen,
                severity: if left < 7 { 3 } else { 2 },
                text: format!(
                    "Committee member {} ({}, #d{} {}) {since}; {due}",
                    row.name, row.role.role, deal.id, deal.title
                ),
                person: Some((person, row.name.clone())),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, FixedOffset};

    use super::*;
    use crate::domain::{
        Account, DealKind, DealPerson, DealRole, DealStage, Extra, Interaction, InteractionKind,
        InteractionStatus, Milestone, Person,
    };
    use crate::store::Store;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// A tender whose offers are due on Friday 20 March 2026, with a decision maker seen on
    /// 25 February (inside the four weeks), a committee member seen on 10 February (before
    /// them), one never seen, and a user never seen (not of the committee).
    fn tender() -> (Store, Id) {
        let mut store = Store::open_in_memory().unwrap();
        let account = store
            .write(at("2026-03-01T09:00:00+01:00"), |w| {
                let account = w.upsert_account(
                    &Account {
                        uid: "a-1".into(),
                        name: "Hospital Clínic".into(),
                        ..Account::default()
                    },
                    None,
                    None,
                )?;
                let deal = w.upsert_deal(
                    &Deal {
                        id: 0,
                        uid: "d-1".into(),
                        account,
                        title: "Tender 2026".into(),
                        kind: Some(DealKind::Tender),
                        stage: Some(DealStage::Proposal),
                        value: None,
                        currency: None,
                        probability: None,
                        close: Some(day("2026-05-31")),
                        commission_rate: None,
                        milestones: vec![Milestone {
                            name: "Submission of offers".into(),
                            date: day("2026-03-20"),
                        }],
                        notes: None,
                        extra: Extra::new(),
                    },
                    None,
                    None,
                )?;
                for (n, (name, role, seen)) in [
                    (
                        "Ana Puig",
                        DealRole::DecisionMaker,
                        Some("2026-02-25T10:00:00+01:00"),
                    ),
                    (
                        "Iván Ruiz",
                        DealRole::EvaluationCommittee,
                        Some("2026-02-10T10:00:00+01:00"),
                    ),
                    ("Rosa Vidal", DealRole::EvaluationCommittee, None),
                    ("Eva Soler", DealRole::User, None),
                ]
                .into_iter()
                .enumerate()
                {
                    let person = w.upsert_person(
                        &Person {
                            uid: format!("p-{n}"),
                            name: name.into(),
                            account: Some(account),
                            ..Person::default()
                        },
                        None,
                        None,
                    )?;
                    w.upsert_deal_person(&DealPerson {
                        id: 0,
                        uid: format!("dp-{n}"),
                        deal,
                        person,
                        role,
                    })?;
                    if let Some(when) = seen {
                        // Met in person: seen, whatever else may count as contact.
                        w.upsert_interaction(
                            &Interaction {
                                id: 0,
                                uid: format!("i-{n}"),
                                kind: InteractionKind::Meeting,
                                at: at(when),
                                end: None,
                                account: Some(account),
                                people: vec![person],
                                mentioned: Vec::new(),
                                title: Some("Visit".into()),
                                body: None,
                                location: None,
                                status: InteractionStatus::Done,
                                outcome: None,
                                tags: Vec::new(),
                                extra: Extra::new(),
                            },
                            None,
                            None,
                        )?;
                    }
                }
                Ok(account)
            })
            .unwrap();
        (store, account)
    }

    fn flagged(store: &Store, account: Id, now: &str) -> Vec<(String, u8)> {
        committee_flags(&store.reader(), account, &at(now))
            .unwrap()
            .into_iter()
            .map(|f| (f.person.unwrap().1, f.severity))
            .collect()
    }

    #[test]
    fn a_committee_member_not_seen_in_the_weeks_before_the_submission_is_flagged() {
        let (store, account) = tender();
        // Monday 2 March: 18 days to go, the window opened on 20 February.
        assert_eq!(
            flagged(&store, account, "2026-03-02T09:00:00+01:00"),
            [("Iván Ruiz".to_string(), 2), ("Rosa Vidal".to_string(), 2)],
            "seen inside the window (Ana) and not of the committee (Eva) are not flagged"
        );
        let flags =
            committee_flags(&store.reader(), account, &at("2026-03-02T09:00:00+01:00")).unwrap();
        assert_eq!(
            flags[0].text,
            "Committee member Iván Ruiz (evaluation-committee, #d1 Tender 2026) not seen since \
             2026-02-10; submission in 18 days"
        );
        assert_eq!(flags[0].kind, RedFlagKind::CommitteeNotSeen);
        assert!(flags[1].text.contains("never seen"), "{}", flags[1].text);
        // The last week: act now.
        assert_eq!(
            flagged(&store, account, "2026-03-16T09:00:00+01:00"),
            [("Iván Ruiz".to_string(), 3), ("Rosa Vidal".to_string(), 3)]
        );
        // On the day still; after it the offers are in.
        assert_eq!(
            flagged(&store, account, "2026-03-20T18:00:00+01:00").len(),
            2
        );
        assert!(flagged(&store, account, "2026-03-21T09:00:00+01:00").is_empty());
        // Before the window opens, nobody is late yet.
        assert!(flagged(&store, account, "2026-02-15T09:00:00+01:00").is_empty());
    }

    #[test]
    fn the_committee_flag_is_among_the_accounts_red_flags() {
        let (store, account) = tender();
        let all = crate::flags::for_account(
            &store.reader(),
            account,
            &at("2026-03-02T09:00:00+01:00"),
            &crate::cadence::CadenceConfig::default(),
        )
        .unwrap();
        let committee = all
            .iter()
            .filter(|f| f.kind == RedFlagKind::CommitteeNotSeen)
            .count();
        assert_eq!(committee, 2);
    }

    #[test]
    fn the_window_is_the_weeks_before_the_submission() {
        let s = day("2026-03-20");
        let today = day("2026-03-02");
        assert!(unseen_before(s, today, None));
        assert!(unseen_before(s, today, Some(day("2026-02-19"))));
        assert!(
            !unseen_before(s, today, Some(day("2026-02-20"))),
            "seen the day it opened"
        );
        assert!(
            !unseen_before(s, day("2026-03-21"), None),
            "after the submission"
        );
        assert!(
            !unseen_before(s, day("2026-02-19"), None),
            "before the window"
        );
    }

    #[test]
    fn the_submission_is_a_milestone_named_so_else_the_close() {
        let mut d = Deal {
            id: 1,
            uid: "d".into(),
            account: 1,
            title: "T".into(),
            kind: None,
            stage: None,
            value: None,
            currency: None,
            probability: None,
            close: Some(day("2026-06-30")),
            commission_rate: None,
            milestones: vec![Milestone {
                name: "award".into(),
                date: day("2026-05-01"),
            }],
            notes: None,
            extra: Extra::new(),
        };
        assert_eq!(submission_day(&d), Some(day("2026-06-30")));
        d.milestones.push(Milestone {
            name: "Presentación de ofertas".into(),
            date: day("2026-04-15"),
        });
        assert_eq!(submission_day(&d), Some(day("2026-04-15")));
        d.milestones.clear();
        d.close = None;
        assert_eq!(submission_day(&d), None);
    }
}
