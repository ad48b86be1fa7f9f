//! The list windows against small notebooks: every sort key, the filter, paging, query plans.

use super::super::Store;
use super::super::testing::{
    account, add_account, add_deal, add_person, deal, followup, now, person, store,
};
use super::*;
use crate::domain::{Account, DealStage, FollowUp, Person};

/// The zone of the fixtures' timestamps (+01:00).
fn zone() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(3600).unwrap()
}

fn accounts(s: &Store, filter: &str, sort: AccountSort, descending: bool) -> Vec<String> {
    let q = ListQuery {
        filter: filter.into(),
        sort,
        descending,
        limit: 100,
        offset: 0,
        from_end: None,
    };
    s.reader()
        .account_rows(&q, &zone())
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect()
}

fn people(s: &Store, filter: &str, sort: PersonSort, descending: bool) -> Vec<String> {
    let q = ListQuery {
        filter: filter.into(),
        sort,
        descending,
        limit: 100,
        offset: 0,
        from_end: None,
    };
    s.reader()
        .person_rows(&q, &zone())
        .unwrap()
        .into_iter()
        .map(|r| r.name)
        .collect()
}

fn first<S: Default>(limit: u32) -> ListQuery<S> {
    ListQuery {
        limit,
        ..ListQuery::default()
    }
}

fn set_contact(s: &Store, table: &str, id: Id, at: Option<i64>) {
    s.conn
        .execute(
            &format!("UPDATE {table} SET last_contact = ?2 WHERE id = ?1"),
            rusqlite::params![id, at],
        )
        .unwrap();
}

fn add_followup(s: &mut Store, f: &FollowUp) -> Id {
    s.write(now(), |w| w.upsert_followup(f, None, None))
        .unwrap()
}

/// Clínic (A, mid, contacted day 200), Ávila (C, pre, never), Mar (untiered, partnership,
/// day 100), Bellvitge (B, no stage, day 300).
fn four_accounts(s: &mut Store) -> [Id; 4] {
    let mut ids = [0; 4];
    for (i, (uid, name, tier, stage, contact)) in [
        (
            "a1",
            "Hospital Clínic",
            Some(Tier::A),
            Some(AccountStage::MidKam),
            Some(200),
        ),
        (
            "a2",
            "Clínica Ávila",
            Some(Tier::C),
            Some(AccountStage::PreKam),
            None,
        ),
        (
            "a3",
            "Hospital del Mar",
            None,
            Some(AccountStage::PartnershipKam),
            Some(100),
        ),
        ("a4", "Bellvitge", Some(Tier::B), None, Some(300)),
    ]
    .into_iter()
    .enumerate()
    {
        ids[i] = add_account(
            s,
            &Account {
                tier,
                stage,
                ..account(uid, name)
            },
        );
        set_contact(s, "accounts", ids[i], contact);
    }
    ids
}

#[test]
#[allow(clippy::too_many_lines)] // one table of accounts, every sort key in turn
fn accounts_sort_by_each_key_with_missing_values_last() {
    let mut s = store();
    let [clinic, avila, mar, _] = four_accounts(&mut s);
    assert_eq!(
        accounts(&s, "", AccountSort::Name, false),
        [
            "Bellvitge",
            "Clínica Ávila",
            "Hospital Clínic",
            "Hospital del Mar"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::Name, true),
        [
            "Hospital del Mar",
            "Hospital Clínic",
            "Clínica Ávila",
            "Bellvitge"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::Tier, false),
        [
            "Hospital Clínic",
            "Bellvitge",
            "Clínica Ávila",
            "Hospital del Mar"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::Tier, true),
        [
            "Clínica Ávila",
            "Bellvitge",
            "Hospital Clínic",
            "Hospital del Mar"
        ]
    );
    // Ladder order, not alphabetical.
    assert_eq!(
        accounts(&s, "", AccountSort::Stage, false),
        [
            "Clínica Ávila",
            "Hospital Clínic",
            "Hospital del Mar",
            "Bellvitge"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::LastContact, false),
        [
            "Clínica Ávila",
            "Hospital del Mar",
            "Hospital Clínic",
            "Bellvitge"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::LastContact, true),
        [
            "Bellvitge",
            "Hospital Clínic",
            "Hospital del Mar",
            "Clínica Ávila"
        ]
    );

    for (uid, account, due) in [
        ("f1", clinic, "2026-03-09"),
        ("f2", clinic, "2026-03-04"),
        ("f3", mar, "2026-03-05"),
    ] {
        add_followup(
            &mut s,
            &FollowUp {
                account: Some(account),
                ..followup(uid, &format!("call {uid}"), due)
            },
        );
    }
    let mut done = FollowUp {
        account: Some(avila),
        ..followup("f4", "done already", "2026-03-01")
    };
    done.status = crate::domain::FollowUpStatus::Done;
    add_followup(&mut s, &done);
    assert_eq!(
        accounts(&s, "", AccountSort::NextFollowUp, false),
        [
            "Hospital Clínic",
            "Hospital del Mar",
            "Bellvitge",
            "Clínica Ávila"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::NextFollowUp, true),
        [
            "Hospital del Mar",
            "Hospital Clínic",
            "Bellvitge",
            "Clínica Ávila"
        ]
    );
    let row = &s.reader().account_rows(&first(10), &zone()).unwrap()[2];
    assert_eq!(row.name, "Hospital Clínic");
    let next = row.next_followup.as_ref().unwrap();
    assert_eq!(
        (next.due.to_string().as_str(), next.text.as_str()),
        ("2026-03-04", "call f2")
    );
}

#[test]
fn open_value_is_summed_per_currency_and_never_across() {
    let mut s = store();
    let [clinic, avila, mar, bell] = four_accounts(&mut s);
    add_deal(
        &mut s,
        &deal("d1", clinic, "Tender Lote 3", Some((1_000_000.0, "EUR"))),
    );
    add_deal(
        &mut s,
        &deal("d2", clinic, "Lote 4", Some((200_000.0, "EUR"))),
    );
    add_deal(&mut s, &deal("d3", clinic, "Unpriced", None));
    let mut won = deal("d4", clinic, "Won", Some((9e9, "EUR")));
    won.stage = Some(DealStage::Won);
    add_deal(&mut s, &won);
    add_deal(&mut s, &deal("d5", mar, "Eur", Some((5.0, "EUR"))));
    add_deal(&mut s, &deal("d6", mar, "Usd", Some((7.0, "USD"))));
    add_deal(&mut s, &deal("d7", avila, "Small", Some((50_000.0, "EUR"))));
    add_deal(&mut s, &deal("d8", bell, "Unpriced", None));

    let rows = s.reader().account_rows(&first(10), &zone()).unwrap();
    let by_name = |n: &str| rows.iter().find(|r| r.name == n).unwrap();
    let clinic_row = by_name("Hospital Clínic");
    assert_eq!(
        clinic_row.open_value,
        OpenValue::Single {
            value: 1_200_000.0,
            currency: Some("EUR".into())
        }
    );
    assert_eq!(clinic_row.open_deals, 3);
    assert_eq!(by_name("Hospital del Mar").open_value, OpenValue::Mixed(2));
    assert_eq!(by_name("Hospital del Mar").open_deals, 2);
    assert_eq!(by_name("Bellvitge").open_value, OpenValue::None);
    assert_eq!(by_name("Bellvitge").open_deals, 1);

    assert_eq!(
        accounts(&s, "", AccountSort::OpenValue, true),
        [
            "Hospital Clínic",
            "Clínica Ávila",
            "Hospital del Mar",
            "Bellvitge"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::OpenValue, false),
        [
            "Clínica Ávila",
            "Hospital Clínic",
            "Hospital del Mar",
            "Bellvitge"
        ]
    );
}

#[test]
fn the_filter_matches_name_word_prefixes_across_accents_and_is_counted() {
    let mut s = store();
    four_accounts(&mut s);
    assert_eq!(accounts(&s, "", AccountSort::Name, false).len(), 4);
    assert_eq!(accounts(&s, " -- ", AccountSort::Name, false).len(), 4);
    assert_eq!(
        accounts(&s, "clin", AccountSort::Name, false),
        ["Clínica Ávila", "Hospital Clínic"]
    );
    assert_eq!(
        accounts(&s, "HOSP CLÍ", AccountSort::Name, false),
        ["Hospital Clínic"]
    );
    assert_eq!(
        accounts(&s, "avila clin", AccountSort::Name, false),
        ["Clínica Ávila"]
    );
    assert!(accounts(&s, "linic", AccountSort::Name, false).is_empty());
    assert_eq!(s.reader().account_count("").unwrap(), 4);
    assert_eq!(s.reader().account_count("hosp").unwrap(), 2);
    assert_eq!(s.reader().account_count("\"OR").unwrap(), 0);

    // Archived accounts are not listed.
    let (mut a, stamp) = s.reader().account(1).unwrap().unwrap();
    a.archived_at = Some(now());
    s.write(now(), |w| w.update_account(&a, stamp.version))
        .unwrap();
    assert_eq!(s.reader().account_count("").unwrap(), 3);
    assert_eq!(
        accounts(&s, "clin", AccountSort::Name, false),
        ["Clínica Ávila"]
    );
}

#[test]
fn windows_page_through_the_list() {
    let mut s = store();
    for i in 0..25 {
        add_person(
            &mut s,
            &person(&format!("p{i}"), &format!("Person {i:02}"), None),
        );
    }
    let page = |offset| {
        s.reader()
            .person_rows(
                &ListQuery {
                    limit: 10,
                    offset,
                    ..ListQuery::default()
                },
                &zone(),
            )
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect::<Vec<_>>()
    };
    assert_eq!(page(0).first().unwrap(), "Person 00");
    assert_eq!(page(10).first().unwrap(), "Person 10");
    assert_eq!(page(20).len(), 5);
    assert!(page(30).is_empty());
    assert_eq!(s.reader().person_count("person").unwrap(), 25);
    assert_eq!(s.reader().person_count("person 1").unwrap(), 10, "10 to 19");
    assert_eq!(s.reader().person_count("person 01").unwrap(), 1);
}

#[test]
fn people_sort_by_account_stage_influence_and_show_their_account() {
    let mut s = store();
    let [clinic, _, mar, _] = four_accounts(&mut s);
    let mut ids = Vec::new();
    for (uid, name, acc, stage, influence) in [
        (
            "p1",
            "Dr. Nuño Peña",
            Some(mar),
            Some(PersonStage::Close),
            Some(5),
        ),
        (
            "p2",
            "Ana Puig",
            Some(clinic),
            Some(PersonStage::Contacted),
            None,
        ),
        ("p3", "Iván Petrov", None, Some(PersonStage::Lost), Some(2)),
        ("p4", "Zoe Ruiz", Some(clinic), None, Some(4)),
    ] {
        ids.push(add_person(
            &mut s,
            &Person {
                influence,
                stage,
                ..person(uid, name, acc)
            },
        ));
    }
    assert_eq!(
        people(&s, "", PersonSort::Account, false),
        ["Ana Puig", "Zoe Ruiz", "Dr. Nuño Peña", "Iván Petrov"]
    );
    assert_eq!(
        people(&s, "", PersonSort::Stage, false),
        ["Ana Puig", "Dr. Nuño Peña", "Iván Petrov", "Zoe Ruiz"]
    );
    assert_eq!(
        people(&s, "", PersonSort::Influence, true),
        ["Dr. Nuño Peña", "Zoe Ruiz", "Iván Petrov", "Ana Puig"]
    );
    // Only the person's own name: "clinic" (their account) finds nobody.
    assert!(people(&s, "clinic", PersonSort::Name, false).is_empty());
    assert_eq!(
        people(&s, "nuno pe", PersonSort::Name, false),
        ["Dr. Nuño Peña"]
    );

    add_followup(
        &mut s,
        &FollowUp {
            person: Some(ids[3]),
            ..followup("f1", "send the study", "2026-03-03")
        },
    );
    set_contact(&s, "people", ids[0], Some(100));
    let rows = s
        .reader()
        .person_rows(
            &ListQuery {
                sort: PersonSort::NextFollowUp,
                ..first(10)
            },
            &zone(),
        )
        .unwrap();
    assert_eq!(rows[0].name, "Zoe Ruiz");
    assert_eq!(
        rows[0].next_followup.as_ref().unwrap().text,
        "send the study"
    );
    assert_eq!(rows[0].account, Some((clinic, "Hospital Clínic".into())));
    let nuno = rows.iter().find(|r| r.id == ids[0]).unwrap();
    assert_eq!((nuno.last_contact, nuno.influence), (Some(100), Some(5)));
    // Ties (never seen) by family name, in the direction of the sort: Puig, then Petrov.
    assert_eq!(
        people(&s, "", PersonSort::LastContact, true),
        ["Dr. Nuño Peña", "Zoe Ruiz", "Ana Puig", "Iván Petrov"]
    );
}

#[test]
fn a_window_sorted_by_name_or_last_contact_comes_from_an_index() {
    let s = store();
    let plan = |sql: &str| -> String {
        let mut stmt = s
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .join("\n")
    };
    for (table, alias, order) in [
        ("accounts", "a", AccountSort::Name.order_by(false, false)),
        ("accounts", "a", AccountSort::Name.order_by(true, false)),
        (
            "accounts",
            "a",
            AccountSort::LastContact.order_by(false, false),
        ),
        (
            "accounts",
            "a",
            AccountSort::LastContact.order_by(true, false),
        ),
        ("accounts", "a", AccountSort::Tier.order_by(false, false)),
        ("people", "p", PersonSort::Name.order_by(false, false)),
        ("people", "p", PersonSort::Name.order_by(true, false)),
        (
            "people",
            "p",
            PersonSort::LastContact.order_by(false, false),
        ),
        ("people", "p", PersonSort::LastContact.order_by(true, false)),
    ] {
        let p = plan(&format!(
            "SELECT {alias}.id FROM {table} {alias} WHERE {alias}.archived_at IS NULL
             ORDER BY {order} LIMIT 200"
        ));
        assert!(p.contains("USING INDEX"), "{order}: {p}");
        assert!(!p.contains("TEMP B-TREE"), "{order}: {p}");
    }
}

/// 300 million won is not more than 3.8 million euros: sorting by open value groups the
/// accounts by currency (in code order, whatever the direction) and sorts within each; those
/// with deals in several currencies come next, then those with no valued deal.
#[test]
fn open_value_sorts_within_a_currency_never_across() {
    let mut s = store();
    let [clinic, avila, mar, bell] = four_accounts(&mut s);
    add_deal(
        &mut s,
        &deal("d1", clinic, "Seoul", Some((300_000_000.0, "KRW"))),
    );
    add_deal(
        &mut s,
        &deal("d2", avila, "Madrid", Some((3_800_000.0, "EUR"))),
    );
    add_deal(
        &mut s,
        &deal("d3", mar, "Barcelona", Some((90_000.0, "EUR"))),
    );
    add_deal(&mut s, &deal("d4", bell, "Mixed EUR", Some((1.0, "EUR"))));
    add_deal(&mut s, &deal("d5", bell, "Mixed USD", Some((1.0, "USD"))));
    assert_eq!(
        accounts(&s, "", AccountSort::OpenValue, true),
        [
            "Clínica Ávila",
            "Hospital del Mar",
            "Hospital Clínic",
            "Bellvitge"
        ]
    );
    assert_eq!(
        accounts(&s, "", AccountSort::OpenValue, false),
        [
            "Hospital del Mar",
            "Clínica Ávila",
            "Hospital Clínic",
            "Bellvitge"
        ]
    );
}

#[test]
fn a_window_read_from_the_end_is_the_same_window() {
    let mut s = store();
    let accs = four_accounts(&mut s);
    for i in 0..13u8 {
        let id = add_person(
            &mut s,
            &Person {
                influence: (i % 3 != 0).then_some(i % 5 + 1),
                account: (i % 4 != 0).then(|| accs[usize::from(i) % 4]),
                stage: (i % 2 == 0).then_some(crate::domain::PersonStage::Contacted),
                // Same names, for ties broken by id.
                ..person(&format!("p{i}"), &format!("Name {}", i % 5), None)
            },
        );
        set_contact(&s, "people", id, (i % 3 != 1).then(|| i64::from(i % 4)));
    }
    // Deals in two currencies and one account with none: the open-value groups are walked
    // from the end too.
    add_deal(&mut s, &deal("dk", accs[0], "Seoul", Some((300.0, "KRW"))));
    add_deal(&mut s, &deal("de", accs[1], "Madrid", Some((3.0, "EUR"))));
    add_deal(&mut s, &deal("dm", accs[2], "Mixed", Some((1.0, "EUR"))));
    add_deal(
        &mut s,
        &deal("du", accs[2], "Mixed USD", Some((1.0, "USD"))),
    );
    let total = 13;
    let names = |rows: Vec<PersonRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let account_ids = |rows: Vec<AccountRow>| rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    for descending in [false, true] {
        for sort in [
            PersonSort::Name,
            PersonSort::Account,
            PersonSort::Stage,
            PersonSort::LastContact,
            PersonSort::NextFollowUp,
            PersonSort::Influence,
        ] {
            for (offset, limit) in [(0, 13), (3, 5), (8, 5), (10, 5), (12, 1)] {
                let q = ListQuery {
                    sort,
                    descending,
                    limit,
                    offset,
                    ..ListQuery::default()
                };
                let forward = names(s.reader().person_rows(&q, &zone()).unwrap());
                let back = ListQuery {
                    from_end: Some(total),
                    ..q
                };
                let backward = names(s.reader().person_rows(&back, &zone()).unwrap());
                assert_eq!(forward, backward, "{sort:?} {descending} {offset}+{limit}");
            }
        }
        for sort in [
            AccountSort::Name,
            AccountSort::Tier,
            AccountSort::Stage,
            AccountSort::LastContact,
            AccountSort::NextFollowUp,
            AccountSort::OpenValue,
        ] {
            for (offset, limit) in [(0, 4), (1, 2), (3, 1)] {
                let q = ListQuery {
                    sort,
                    descending,
                    limit,
                    offset,
                    ..ListQuery::default()
                };
                let forward = account_ids(s.reader().account_rows(&q, &zone()).unwrap());
                let back = ListQuery {
                    from_end: Some(4),
                    ..q
                };
                assert_eq!(
                    forward,
                    account_ids(s.reader().account_rows(&back, &zone()).unwrap()),
                    "{sort:?} {descending} {offset}+{limit}"
                );
            }
        }
    }
}

/// 11.7: a call due at 00:30 on 5 March in Madrid is 18:30 on 4 March in New York. Seen from
/// New York it comes before a date-only follow-up of 4 March (the timed ones of a day first),
/// and the column shows 4 March; seen from Madrid it is the 5th, after the date-only one.
#[test]
fn the_next_followup_is_taken_and_sorted_by_its_instant_in_the_zone_seen_from() {
    use crate::domain::Due;
    fn query<S: Default>(sort: S) -> ListQuery<S> {
        ListQuery { sort, ..first(10) }
    }
    let mut s = store();
    let madrid = add_account(&mut s, &account("a-m", "Madrid Clinic"));
    let other = add_account(&mut s, &account("a-o", "Avila Clinic"));
    let ana = add_person(&mut s, &person("p-a", "Ana Timed", None));
    let bea = add_person(&mut s, &person("p-b", "Bea Dated", None));
    let timed = chrono::DateTime::parse_from_rfc3339("2026-03-05T00:30:00+01:00").unwrap();
    for (uid, account, person, due) in [
        ("f1", Some(madrid), None, Due::At(timed)),
        (
            "f2",
            Some(other),
            None,
            Due::Day(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()),
        ),
        ("f3", None, Some(ana), Due::At(timed)),
        (
            "f4",
            None,
            Some(bea),
            Due::Day(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()),
        ),
    ] {
        add_followup(
            &mut s,
            &FollowUp {
                due,
                account,
                person,
                ..followup(uid, &format!("call {uid}"), "2026-03-04")
            },
        );
    }
    let r = s.reader();
    let new_york = chrono_tz::America::New_York;
    let rows = r
        .account_rows(&query(AccountSort::NextFollowUp), &new_york)
        .unwrap();
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.next_followup.as_ref().unwrap().due.to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Madrid Clinic", "2026-03-04".to_string()),
            ("Avila Clinic", "2026-03-04".to_string())
        ]
    );
    let people = r
        .person_rows(&query(PersonSort::NextFollowUp), &new_york)
        .unwrap();
    let seen: Vec<_> = people
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.next_followup.as_ref().unwrap().due.to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Ana Timed", "2026-03-04".to_string()),
            ("Bea Dated", "2026-03-04".to_string())
        ]
    );

    let spain = chrono_tz::Europe::Madrid;
    let rows = r
        .account_rows(&query(AccountSort::NextFollowUp), &spain)
        .unwrap();
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.name.as_str(),
                r.next_followup.as_ref().unwrap().due.to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("Avila Clinic", "2026-03-04".to_string()),
            ("Madrid Clinic", "2026-03-05".to_string())
        ]
    );
    let people = r
        .person_rows(&query(PersonSort::NextFollowUp), &spain)
        .unwrap();
    assert_eq!(people[0].name, "Bea Dated");
}

#[test]
fn people_sort_by_family_name_the_given_one_first() {
    let mut s = store();
    for (uid, name, family) in [
        ("p1", "Ana Puig", None),
        ("p2", "Iván Petrov", None),
        ("p3", "Carmen Peña Olmedo", Some("Peña Olmedo")),
        ("p4", "Zoe Álvarez", None),
        ("p5", "Luis Peña", None),
    ] {
        add_person(
            &mut s,
            &Person {
                family_name: family.map(str::to_string),
                salutation: (uid == "p3").then(|| "Dra.".to_string()),
                ..person(uid, name, None)
            },
        );
    }
    // The list shows them as addressed.
    let want = [
        "Zoe Álvarez",
        "Luis Peña",
        "Dra. Carmen Peña Olmedo",
        "Iván Petrov",
        "Ana Puig",
    ];
    assert_eq!(people(&s, "", PersonSort::Name, false), want);
    let mut back = want;
    back.reverse();
    assert_eq!(people(&s, "", PersonSort::Name, true), back);
    // The plain window (`kam person list`) reads the same order.
    let plain: Vec<String> = s
        .reader()
        .people(None, 10, 0)
        .unwrap()
        .into_iter()
        .map(|p| p.addressed())
        .collect();
    assert_eq!(plain, want);
}
