//! Every red-flag rule, positive and negative, on hand-made facts with a fixed clock; then
//! `for_account` and `worst_accounts` over an in-memory notebook.

use chrono::{DateTime, FixedOffset, NaiveDate};

use super::*;
use crate::domain::{BuyingRole, PersonStage};
use crate::store::Threading;

/// Friday 27 November 2026, 09:00 in Madrid.
fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T09:00:00+01:00").unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

/// Unix seconds `days` days before now, as a last contact.
#[allow(clippy::unnecessary_wraps)] // reads as the field it fills
fn ago(days: i64) -> Option<i64> {
    Some(now().timestamp() - days * 86_400)
}

fn person(id: Id, name: &str) -> FlagPerson {
    FlagPerson {
        id,
        name: name.into(),
        stage: Some(PersonStage::Loyal),
        ..FlagPerson::default()
    }
}

fn key(id: Id, name: &str, influence: u8, last: Option<i64>) -> FlagPerson {
    FlagPerson {
        influence: Some(influence),
        last_contact: last,
        ..person(id, name)
    }
}

fn buyer(id: Id, name: &str, last: Option<i64>) -> FlagPerson {
    FlagPerson {
        role: Some(BuyingRole::EconomicBuyer),
        influence: Some(5),
        last_contact: last,
        ..person(id, name)
    }
}

/// A healthy tier A account: a coach, an economic buyer seen last week, nothing overdue.
fn healthy(tier: Option<Tier>) -> AccountFacts {
    AccountFacts {
        id: 1,
        name: "Hospital Clínic".into(),
        tier,
        has_coach: true,
        economic_buyers: vec![buyer(10, "Iván Grigóriev", ago(7))],
        ..AccountFacts::default()
    }
}

fn flags(facts: &AccountFacts) -> Vec<RedFlag> {
    evaluate(facts, now().offset(), today(), &CadenceConfig::default())
}

fn kinds(facts: &AccountFacts) -> Vec<(RedFlagKind, u8)> {
    flags(facts).iter().map(|f| (f.kind, f.severity)).collect()
}

#[test]
fn a_healthy_account_has_no_flags() {
    for tier in [Some(Tier::A), Some(Tier::B), Some(Tier::C), None] {
        assert_eq!(kinds(&healthy(tier)), [], "{tier:?}");
    }
}

#[test]
fn no_coach_matters_in_key_accounts_only() {
    let mut f = healthy(Some(Tier::A));
    f.has_coach = false;
    assert_eq!(kinds(&f), [(RedFlagKind::NoCoach, 2)]);
    assert_eq!(
        flags(&f)[0].text,
        "No coach: nobody inside guides the sale (tier A account)"
    );
    f.tier = Some(Tier::B);
    assert_eq!(kinds(&f), [(RedFlagKind::NoCoach, 1)]);
    f.tier = Some(Tier::C);
    assert_eq!(kinds(&f), []);
}

#[test]
fn an_economic_buyer_never_met() {
    let mut f = healthy(Some(Tier::C));
    f.economic_buyers = vec![buyer(10, "Iván", None), buyer(11, "Olga", None)];
    let got = flags(&f);
    assert_eq!(got.len(), 1);
    assert_eq!(
        (got[0].kind, got[0].severity),
        (RedFlagKind::EconomicBuyerNeverMet, 3)
    );
    assert_eq!(got[0].text, "Economic buyer Iván never met (nor 1 other)");
    assert_eq!(got[0].person, Some((10, "Iván".into())));
    // The store lists the most recently contacted first: one met is enough.
    f.economic_buyers = vec![buyer(11, "Olga", ago(3)), buyer(10, "Iván", None)];
    assert_eq!(kinds(&f), []);
}

#[test]
fn no_economic_buyer_known_in_a_key_account() {
    let mut f = healthy(Some(Tier::A));
    f.economic_buyers.clear();
    assert_eq!(kinds(&f), [(RedFlagKind::EconomicBuyerNeverMet, 2)]);
    assert_eq!(
        flags(&f)[0].text,
        "No economic buyer known (tier A account)"
    );
    f.tier = Some(Tier::C);
    assert_eq!(kinds(&f), []);
}

#[test]
fn an_economic_buyer_not_seen_for_longer_than_their_cadence() {
    // Influence 5 in a tier A account: every 15 days.
    let mut f = healthy(Some(Tier::A));
    f.economic_buyers = vec![buyer(10, "Iván Grigóriev", ago(16))];
    let got = flags(&f);
    assert_eq!(
        (got[0].kind, got[0].severity),
        (RedFlagKind::EconomicBuyerNotSeen, 2)
    );
    assert_eq!(
        got[0].text,
        "Economic buyer Iván Grigóriev not seen for 16 days (every 15 days)"
    );
    f.economic_buyers = vec![buyer(10, "Iván Grigóriev", ago(15))];
    assert_eq!(kinds(&f), []);
    // Their own cadence counts; a lost one falls back to the tier's base (30).
    f.economic_buyers[0].own_cadence = Some(10);
    assert_eq!(kinds(&f), [(RedFlagKind::EconomicBuyerNotSeen, 2)]);
    f.economic_buyers[0].own_cadence = None;
    f.economic_buyers[0].stage = Some(PersonStage::Lost);
    f.economic_buyers[0].last_contact = ago(31);
    assert_eq!(kinds(&f), [(RedFlagKind::EconomicBuyerNotSeen, 2)]);
    f.economic_buyers[0].last_contact = ago(30);
    assert_eq!(kinds(&f), []);
}

#[test]
fn single_threaded_when_most_recent_contacts_go_through_one_person() {
    let mut f = healthy(Some(Tier::A));
    f.threading = Threading {
        with_people: 10,
        top: Some((12, "Carmen Peña".into(), 8)),
        people: 3,
    };
    let got = flags(&f);
    assert_eq!(
        (got[0].kind, got[0].severity),
        (RedFlagKind::SingleThreaded, 2)
    );
    assert_eq!(
        got[0].text,
        "Single-threaded: 8 of the last 10 contacts through Carmen Peña"
    );
    // 7 of 10 is spread enough; so are too few contacts to judge.
    f.threading.top = Some((12, "Carmen Peña".into(), 7));
    assert_eq!(kinds(&f), []);
    f.threading = Threading {
        with_people: 4,
        top: Some((12, "Carmen Peña".into(), 4)),
        people: 1,
    };
    assert_eq!(kinds(&f), []);
    // Outside key accounts it is a lighter flag.
    f.threading.with_people = 5;
    f.threading.top = Some((12, "Carmen Peña".into(), 5));
    f.tier = Some(Tier::C);
    assert_eq!(kinds(&f), [(RedFlagKind::SingleThreaded, 1)]);
}

#[test]
fn a_powerful_opponent() {
    let mut f = healthy(Some(Tier::B));
    let opponent = |id, influence| FlagPerson {
        attitude: Some(Attitude::Opponent),
        ..key(id, "Dr. Vidal", influence, ago(1))
    };
    f.opponents = vec![opponent(20, 5), opponent(21, 4)];
    assert_eq!(
        kinds(&f),
        [
            (RedFlagKind::PowerfulOpponent, 3),
            (RedFlagKind::PowerfulOpponent, 2)
        ]
    );
    assert_eq!(flags(&f)[0].text, "Opponent with influence 5: Dr. Vidal");
    f.opponents = (0..5).map(|i| opponent(30 + i, 4)).collect();
    assert_eq!(
        kinds(&f),
        [
            (RedFlagKind::PowerfulOpponent, 2),
            (RedFlagKind::PowerfulOpponent, 2),
            (RedFlagKind::PowerfulOpponent, 2),
            (RedFlagKind::PowerfulOpponent, 1)
        ]
    );
    assert_eq!(flags(&f)[3].text, "2 more opponents with influence 4–5");
    f.opponents = vec![opponent(22, 3)];
    assert_eq!(kinds(&f), []);
    f.opponents = vec![FlagPerson {
        attitude: Some(Attitude::Skeptic),
        ..key(23, "Dr. Vidal", 5, ago(1))
    }];
    assert_eq!(kinds(&f), []);
}

#[test]
fn a_key_person_past_their_cadence() {
    // Influence 4 in a tier A account: every 23 days.
    let mut f = healthy(Some(Tier::A));
    f.key_people = vec![key(30, "Ana Ruiz", 4, ago(24))];
    let got = flags(&f);
    assert_eq!(
        (got[0].kind, got[0].severity),
        (RedFlagKind::KeyPersonOverdue, 2)
    );
    assert_eq!(
        got[0].text,
        "Key person Ana Ruiz not seen for 3 weeks (every 23 days)"
    );
    f.key_people = vec![key(30, "Ana Ruiz", 4, ago(23))];
    assert_eq!(kinds(&f), []);
    // Identified 23 days ago: the first contact is due, not yet late; a day later it is.
    f.key_people = vec![FlagPerson {
        stage: Some(PersonStage::Identified),
        identified_since: ago(23),
        ..key(30, "Ana Ruiz", 4, None)
    }];
    assert_eq!(kinds(&f), []);
    f.key_people[0].identified_since = ago(24);
    assert_eq!(
        flags(&f)[0].text,
        "Key person Ana Ruiz identified 3 weeks ago, never met (first contact within 23 days)"
    );
    // Identified on a day nobody knows: never contacted, due at once.
    f.key_people[0].identified_since = None;
    assert_eq!(flags(&f)[0].text, "Key person Ana Ruiz never contacted");
    f.key_people[0].stage = Some(PersonStage::Contacted);
    assert_eq!(flags(&f)[0].text, "Key person Ana Ruiz never contacted");
    // The economic buyer is judged by their own rule, not twice.
    f.key_people = vec![buyer(10, "Iván Grigóriev", ago(7))];
    assert_eq!(kinds(&f), []);
}

#[test]
fn many_overdue_key_people_are_named_up_to_three_then_counted() {
    let mut f = healthy(Some(Tier::B));
    f.key_people = (0..5)
        .map(|i| key(40 + i, &format!("K{i}"), 5, ago(40 + i)))
        .collect();
    let got = flags(&f);
    let texts: Vec<&str> = got.iter().map(|f| f.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Key person K4 not seen for 6 weeks (every 30 days)",
            "Key person K3 not seen for 6 weeks (every 30 days)",
            "Key person K2 not seen for 6 weeks (every 30 days)",
            "2 more key people overdue for contact",
        ]
    );
    assert_eq!(got[3].severity, 1);
}

#[test]
fn promises_overdue() {
    let mut f = healthy(Some(Tier::C));
    f.overdue_followups = 1;
    f.oldest_followup = Some(today() - chrono::Days::new(3));
    assert_eq!(kinds(&f), [(RedFlagKind::PromisesOverdue, 2)]);
    assert_eq!(
        flags(&f)[0].text,
        "1 promise overdue, the oldest 3 days late"
    );
    // Three or more, or one two weeks late, is urgent; our obligations count too.
    f.overdue_obligations = 2;
    f.oldest_obligation = Some(today() - chrono::Days::new(1));
    assert_eq!(kinds(&f), [(RedFlagKind::PromisesOverdue, 3)]);
    f.overdue_obligations = 0;
    f.oldest_followup = Some(today() - chrono::Days::new(14));
    assert_eq!(kinds(&f), [(RedFlagKind::PromisesOverdue, 3)]);
    f.overdue_followups = 0;
    f.oldest_followup = None;
    assert_eq!(kinds(&f), []);
}

#[test]
fn flags_come_worst_first_and_score_adds_severities() {
    let mut f = healthy(Some(Tier::B));
    f.has_coach = false; // 1
    f.overdue_followups = 5; // 3
    f.oldest_followup = Some(today());
    let got = flags(&f);
    assert_eq!(got[0].kind, RedFlagKind::PromisesOverdue);
    assert_eq!(score(&got), 4);
    assert_eq!(badge(&got).as_deref(), Some("⚑2"));
    assert_eq!(badge(&[]), None);
}

mod notebook {
    //! The same rules over a real notebook: the facts the store reads.

    use super::*;
    use crate::domain::{
        Account, Due as FollowUpDue, Extra, FollowUp, FollowUpStatus, Interaction, InteractionKind,
        InteractionStatus, Person,
    };
    use crate::store::Store;

    struct Nb {
        store: Store,
        n: u32,
    }

    impl Nb {
        fn uid(&mut self) -> String {
            self.n += 1;
            format!("u{}", self.n)
        }

        fn account(&mut self, name: &str, tier: Tier) -> Id {
            let a = Account {
                uid: self.uid(),
                name: name.into(),
                tier: Some(tier),
                ..Account::default()
            };
            self.store
                .write(now(), |w| w.upsert_account(&a, None, None))
                .unwrap()
        }

        fn person(&mut self, p: Person) -> Id {
            let p = Person {
                uid: self.uid(),
                stage: p.stage.or(Some(PersonStage::Loyal)),
                ..p
            };
            self.store
                .write(now(), |w| w.upsert_person(&p, None, None))
                .unwrap()
        }

        /// A done call with `people` of `account`, `days` ago.
        fn call(&mut self, account: Id, people: &[Id], days: i64) {
            let i = Interaction {
                id: 0,
                uid: self.uid(),
                kind: InteractionKind::Call,
                at: now() - chrono::Duration::days(days),
                end: None,
                account: Some(account),
                people: people.to_vec(),
                mentioned: Vec::new(),
                title: None,
                body: None,
                location: None,
                status: InteractionStatus::Done,
                outcome: None,
                tags: Vec::new(),
                extra: Extra::new(),
            };
            self.store
                .write(now(), |w| w.upsert_interaction(&i, None, None))
                .unwrap();
        }

        fn promise(&mut self, account: Id, days_late: u64) {
            let f = FollowUp {
                id: 0,
                uid: self.uid(),
                text: "send prices".into(),
                due: FollowUpDue::Day(today() - chrono::Days::new(days_late)),
                account: Some(account),
                person: None,
                deal: None,
                interaction: None,
                repeat: None,
                status: FollowUpStatus::Open,
                done_at: None,
                priority: None,
                extra: Extra::new(),
            };
            self.store
                .write(now(), |w| w.upsert_followup(&f, None, None))
                .unwrap();
        }
    }

    fn nb() -> Nb {
        Nb {
            store: Store::open_in_memory().unwrap(),
            n: 0,
        }
    }

    fn role(name: &str, account: Id, role: BuyingRole) -> Person {
        Person {
            name: name.into(),
            account: Some(account),
            role: Some(role),
            ..Person::default()
        }
    }

    #[test]
    fn the_store_reads_what_the_rules_need() {
        let mut nb = nb();
        let a = nb.account("Hospital Clínic", Tier::A);
        let carmen = nb.person(Person {
            influence: Some(3),
            ..role("Carmen Peña", a, BuyingRole::UserBuyer)
        });
        let ivan = nb.person(Person {
            influence: Some(5),
            ..role("Iván Grigóriev", a, BuyingRole::EconomicBuyer)
        });
        nb.person(Person {
            influence: Some(5),
            attitude: Some(Attitude::Opponent),
            ..role("Dr. Vidal", a, BuyingRole::Blocker)
        });
        for d in 1..=6 {
            nb.call(a, &[carmen], d);
        }
        nb.promise(a, 2);
        let rules = CadenceConfig::default();
        let got = for_account(&nb.store.reader(), a, &now(), &rules).unwrap();
        let seen: Vec<_> = got.iter().map(|f| (f.kind, f.severity)).collect();
        assert_eq!(
            seen,
            [
                (RedFlagKind::EconomicBuyerNeverMet, 3),
                (RedFlagKind::PowerfulOpponent, 3),
                (RedFlagKind::NoCoach, 2),
                (RedFlagKind::SingleThreaded, 2),
                (RedFlagKind::PromisesOverdue, 2),
            ]
        );
        assert_eq!(got[3].person, Some((carmen, "Carmen Peña".into())));

        // Meeting the economic buyer and adding a coach clears two flags; Carmen is still in
        // every one of the 7 latest contacts.
        nb.call(a, &[ivan, carmen], 0);
        nb.person(role("Marta Coach", a, BuyingRole::Coach));
        let got = for_account(&nb.store.reader(), a, &now(), &rules).unwrap();
        let seen: Vec<_> = got.iter().map(|f| f.kind).collect();
        assert_eq!(
            seen,
            [
                RedFlagKind::PowerfulOpponent,
                RedFlagKind::SingleThreaded,
                RedFlagKind::PromisesOverdue
            ]
        );
        assert_eq!(
            got[1].text,
            "Single-threaded: 7 of the last 7 contacts through Carmen Peña"
        );
        // Two more calls with Iván alone: 7 of 9 is no longer single-threaded.
        nb.call(a, &[ivan], 0);
        nb.call(a, &[ivan], 0);
        let got = for_account(&nb.store.reader(), a, &now(), &rules).unwrap();
        assert!(
            got.iter().all(|f| f.kind != RedFlagKind::SingleThreaded),
            "{got:?}"
        );

        let err = for_account(&nb.store.reader(), a + 99, &now(), &rules).unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    }

    #[test]
    fn the_most_overdue_key_people_are_judged_not_the_longest_silent() {
        let mut nb = nb();
        let a = nb.account("Big", Tier::C);
        // 60 key people seen 60 days ago: within a C account's 68 days for influence 4.
        let calm: Vec<Id> = (0..60)
            .map(|i| {
                nb.person(Person {
                    influence: Some(4),
                    ..role(&format!("Calm {i}"), a, BuyingRole::UserBuyer)
                })
            })
            .collect();
        nb.call(a, &calm, 60);
        // Seen since, yet overdue: an influence-5 person cooling off (every 23 days) and one
        // asked to be seen weekly.
        let cooling = nb.person(Person {
            influence: Some(5),
            stage: Some(PersonStage::Cooling),
            ..role("Cooling Five", a, BuyingRole::UserBuyer)
        });
        let mut extra = Extra::new();
        extra.insert(crate::cadence::OWN_CADENCE_KEY.into(), 7.into());
        let weekly = nb.person(Person {
            influence: Some(4),
            extra,
            ..role("Weekly Four", a, BuyingRole::UserBuyer)
        });
        nb.call(a, &[cooling], 40);
        nb.call(a, &[weekly], 10);
        let got = for_account(&nb.store.reader(), a, &now(), &CadenceConfig::default()).unwrap();
        let named: Vec<_> = got
            .iter()
            .filter(|f| f.kind == RedFlagKind::KeyPersonOverdue)
            .filter_map(|f| f.person.as_ref().map(|p| p.0))
            .collect();
        assert_eq!(named, [cooling, weekly], "{got:?}");
    }

    /// A follow-up kept on a person whose account field is empty belongs to the person's
    /// account: it counts in the account's red flags, ranks the account, and is listed with
    /// the account's follow-ups under the account's name.
    #[test]
    fn a_promise_kept_on_a_person_counts_for_the_persons_account() {
        let mut nb = nb();
        let quiet = nb.account("Quiet Clinic", Tier::C);
        let late = nb.account("Late Hospital", Tier::C);
        let carmen = nb.person(role("Carmen Peña", late, BuyingRole::UserBuyer));
        nb.promise(quiet, 1);
        for days_late in [40, 50, 60, 70, 80] {
            let f = FollowUp {
                id: 0,
                uid: nb.uid(),
                text: "send the price list".into(),
                due: FollowUpDue::Day(today() - chrono::Days::new(days_late)),
                account: None,
                person: Some(carmen),
                deal: None,
                interaction: None,
                repeat: None,
                status: FollowUpStatus::Open,
                done_at: None,
                priority: None,
                extra: Extra::new(),
            };
            nb.store
                .write(now(), |w| w.upsert_followup(&f, None, None))
                .unwrap();
        }
        let reader = nb.store.reader();
        let facts = reader
            .account_facts(late, today(), now().offset(), now().timestamp(), RECENT)
            .unwrap()
            .unwrap();
        assert_eq!(facts.overdue_followups, 5);
        assert_eq!(facts.oldest_followup, Some(today() - chrono::Days::new(80)));
        let worst = worst_accounts(&reader, &now(), &CadenceConfig::default(), 5).unwrap();
        let names: Vec<&str> = worst.iter().map(|(n, _)| n.name.as_str()).collect();
        assert_eq!(names.first(), Some(&"Late Hospital"), "{worst:?}");
        let listed = reader.open_followups_of(Some(late), None, 10).unwrap();
        assert_eq!(listed.len(), 5);
        assert!(
            listed
                .iter()
                .all(|r| r.account_name.as_deref() == Some("Late Hospital")),
            "{listed:?}"
        );
        let agenda = reader
            .open_followups_until(today(), now().offset(), 10)
            .unwrap();
        assert_eq!(agenda.len(), 6);
        assert!(
            agenda.iter().all(|r| r.account_name.is_some()),
            "{agenda:?}"
        );
    }

    /// A follow-up timed 00:30 in Madrid today is not overdue in Madrid, but seen from New
    /// York it was due yesterday evening: overdue there.
    #[test]
    fn a_timed_promise_is_overdue_by_its_local_day() {
        let mut nb = nb();
        let a = nb.account("Hospital Clínic", Tier::C);
        let f = FollowUp {
            id: 0,
            uid: nb.uid(),
            text: "call back".into(),
            due: FollowUpDue::At(
                DateTime::parse_from_rfc3339("2026-11-27T00:30:00+01:00").unwrap(),
            ),
            account: Some(a),
            person: None,
            deal: None,
            interaction: None,
            repeat: None,
            status: FollowUpStatus::Open,
            done_at: None,
            priority: None,
            extra: Extra::new(),
        };
        nb.store
            .write(now(), |w| w.upsert_followup(&f, None, None))
            .unwrap();
        let reader = nb.store.reader();
        let madrid = reader
            .account_facts(a, today(), now().offset(), now().timestamp(), RECENT)
            .unwrap()
            .unwrap();
        assert_eq!(madrid.overdue_followups, 0);
        let ny = now().with_timezone(&chrono_tz::America::New_York);
        let seen = reader
            .account_facts(a, ny.date_naive(), &ny.timezone(), ny.timestamp(), RECENT)
            .unwrap()
            .unwrap();
        // 03:00 in New York on the 27th: the call was due at 18:30 on the 26th.
        assert_eq!(seen.overdue_followups, 1);
        // And the oldest follow-up's day is that local day, not the day entered in Madrid.
        assert_eq!(seen.oldest_followup, NaiveDate::from_ymd_opt(2026, 11, 26));
        assert_eq!(
            reader
                .flag_candidates(ny.date_naive(), &ny.timezone(), 10)
                .unwrap(),
            [a]
        );
        assert!(
            reader
                .flag_candidates(today(), now().offset(), 10)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn archived_accounts_are_never_flagged() {
        let mut nb = nb();
        let gone = nb.account("Gone", Tier::A);
        nb.promise(gone, 30);
        nb.person(Person {
            influence: Some(5),
            attitude: Some(Attitude::Opponent),
            ..role("Foe", gone, BuyingRole::Blocker)
        });
        let (mut a, stamp) = nb.store.reader().account(gone).unwrap().unwrap();
        a.archived_at = Some(now());
        nb.store
            .write(now(), |w| w.update_account(&a, stamp.version))
            .unwrap();
        let reader = nb.store.reader();
        assert!(
            reader
                .flag_candidates(today(), now().offset(), 10)
                .unwrap()
                .is_empty()
        );
        let rules = CadenceConfig::default();
        assert!(
            worst_accounts(&reader, &now(), &rules, 10)
                .unwrap()
                .is_empty()
        );
        assert!(
            for_account(&reader, gone, &now(), &rules)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn worst_accounts_rank_by_the_sum_of_severities() {
        let mut nb = nb();
        let calm = nb.account("Calm", Tier::A);
        nb.person(role("Coach", calm, BuyingRole::Coach));
        let eb = nb.person(role("Buyer", calm, BuyingRole::EconomicBuyer));
        nb.call(calm, &[eb], 1);
        let bad = nb.account("Bad", Tier::B); // no coach 1, no buyer 2
        let worse = nb.account("Worse", Tier::C);
        nb.promise(worse, 30); // 3
        nb.promise(worse, 1);
        nb.person(Person {
            influence: Some(4),
            attitude: Some(Attitude::Opponent),
            ..role("Foe", worse, BuyingRole::Blocker)
        }); // 2
        let ranked =
            worst_accounts(&nb.store.reader(), &now(), &CadenceConfig::default(), 10).unwrap();
        let names: Vec<(&str, u32)> = ranked
            .iter()
            .map(|(n, f)| (n.name.as_str(), score(f)))
            .collect();
        assert_eq!(names, [("Worse", 5), ("Bad", 3)]);
        assert_eq!(ranked[1].0.id, bad);
        let top = worst_accounts(&nb.store.reader(), &now(), &CadenceConfig::default(), 1).unwrap();
        assert_eq!(top.len(), 1);
    }

    /// The key people are read from their index without their names; the ones a flag lists
    /// are named (for one account and in the ranking of the worst), the rest only counted.
    #[test]
    fn the_key_people_listed_are_named() {
        let mut nb = nb();
        // Tier A: a candidate of the ranking (it reads the key accounts).
        let a = nb.account("Hospital Clínic", Tier::A);
        for name in [
            "Ana Ruiz",
            "Bea Gil",
            "Carla Sanz",
            "Dora Vidal",
            "Eva Mora",
        ] {
            nb.person(Person {
                influence: Some(4),
                ..role(name, a, BuyingRole::UserBuyer)
            });
        }
        let reader = nb.store.reader();
        let facts = reader
            .account_facts(a, today(), now().offset(), now().timestamp(), RECENT)
            .unwrap()
            .unwrap();
        assert_eq!(facts.key_people.len(), 5);
        assert!(facts.key_people.iter().all(|p| p.name.is_empty()));
        let expected = [
            "Key person Ana Ruiz never contacted",
            "Key person Bea Gil never contacted",
            "Key person Carla Sanz never contacted",
            "2 more key people overdue for contact",
        ];
        let texts = |flags: &[RedFlag]| -> Vec<String> {
            flags
                .iter()
                .filter(|f| f.kind == RedFlagKind::KeyPersonOverdue)
                .map(|f| f.text.clone())
                .collect()
        };
        let flags = for_account(&reader, a, &now(), &CadenceConfig::default()).unwrap();
        assert_eq!(texts(&flags), expected);
        let worst = worst_among(&reader, &now(), &CadenceConfig::default(), 1, 10).unwrap();
        assert_eq!(worst.len(), 1);
        assert_eq!(texts(&worst[0].1), expected);
    }
}
