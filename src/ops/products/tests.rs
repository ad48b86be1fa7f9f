//! Tests of the deal-people and product commands (issue 14.3-4): their rules, and that each is
//! undone exactly (run, `undo`, the export and the rows are as before).

use crate::domain::Id;
use crate::domain::{
    Deal, DealKind, DealRole, Extra, Interaction, InteractionKind, InteractionStatus, Milestone,
    Objection, Product, ProductStatus, ProductStatusChange, Vocabulary,
};
use crate::ops::*;
use crate::store::Store;
// Monday 2 March 2026, 10:00 in Madrid, is the fixtures' `now`.
use crate::store::testing::{self, at, day, now};

struct Book {
    store: Store,
    account: Id,
    ana: Id,
    ivan: Id,
    deal: Id,
    meeting: Id,
}

/// An account with two people, a tender and a done meeting, written through the store.
fn book() -> Book {
    let mut store = Store::open_in_memory().unwrap();
    let (account, ana, ivan, deal, meeting) = store
        .write(at("2026-01-05T09:00:00+01:00"), |w| {
            let account =
                w.upsert_account(&testing::account("a-1", "Hospital Clínic"), None, None)?;
            let person = |uid: &str, name: &str| testing::person(uid, name, Some(account));
            let ana = w.upsert_person(&person("p-1", "Ana Puig"), None, None)?;
            let ivan = w.upsert_person(&person("p-2", "Iván Ruiz"), None, None)?;
            let deal = w.upsert_deal(
                &Deal {
                    kind: Some(DealKind::Tender),
                    close: Some(day("2026-04-30")),
                    milestones: vec![Milestone {
                        name: "submission".into(),
                        date: day("2026-03-20"),
                    }],
                    ..testing::deal("d-1", account, "Tender 2026", None)
                },
                None,
                None,
            )?;
            let meeting = w.upsert_interaction(
                &Interaction {
                    account: Some(account),
                    people: vec![ana],
                    title: Some("Review".into()),
                    ..testing::interaction(
                        "i-1",
                        "2026-02-10T10:00:00+01:00",
                        InteractionStatus::Done,
                    )
                },
                None,
                None,
            )?;
            Ok((account, ana, ivan, deal, meeting))
        })
        .unwrap();
    Book {
        store,
        account,
        ana,
        ivan,
        deal,
        meeting,
    }
}

fn export(store: &Store) -> String {
    let mut out = Vec::new();
    crate::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new()).unwrap();
    String::from_utf8(out).unwrap()
}

/// Everything the catalogue and the deal people hold, read back.
fn catalogue(b: &Book) -> String {
    let r = b.store.reader();
    format!(
        "{:?}\n{:?}\n{:?}\n{:?}\n{:?}",
        r.all_deal_people().unwrap(),
        r.products().unwrap(),
        r.all_product_statuses().unwrap(),
        r.all_objections().unwrap(),
        r.all_products_discussed().unwrap()
    )
}

/// Runs `command`, then undoes it: the notebook is as before.
fn undone_exactly(b: &mut Book, command: &dyn Command) -> Outcome {
    let (export_before, before) = (export(&b.store), catalogue(b));
    let outcome = run(&mut b.store, now(), command).unwrap();
    assert!(outcome.entry.is_some(), "{} wrote nothing", command.name());
    assert_ne!(catalogue(b), before, "{} changed nothing", command.name());
    undo(&mut b.store, now()).unwrap();
    assert_eq!(catalogue(b), before, "{} is undone", command.name());
    assert_eq!(
        export(&b.store),
        export_before,
        "{} is undone",
        command.name()
    );
    outcome
}

fn add_product(b: &mut Book, name: &str, competitor_of: Option<Id>) -> Id {
    let outcome = run(
        &mut b.store,
        now(),
        &AddProduct {
            product: Product {
                id: 0,
                uid: format!("pr-{name}"),
                name: name.into(),
                competitor_of,
                notes: None,
            },
        },
    )
    .unwrap();
    outcome.row.unwrap()
}

fn status(b: &Book, product: Id, status: ProductStatus, on: &str, uid: &str) -> SetProductStatus {
    SetProductStatus {
        change: ProductStatusChange {
            id: 0,
            uid: uid.into(),
            account: b.account,
            product,
            status,
            day: day(on),
            note: None,
        },
    }
}

#[test]
fn a_person_joins_a_deal_in_a_role_once_and_leaves_it() {
    let mut b = book();
    let (deal, ana) = (b.deal, b.ana);
    let add = |role| AddDealPerson {
        deal,
        person: ana,
        role,
        uid: format!("dp-{role}"),
    };
    let first = add(DealRole::DecisionMaker);
    let o = undone_exactly(&mut b, &first);
    assert_eq!(
        o.message,
        "Added Ana Puig to #d1 Tender 2026 as decision-maker"
    );
    run(&mut b.store, now(), &first).unwrap();
    let again = run(&mut b.store, now(), &add(DealRole::DecisionMaker)).unwrap();
    assert!(
        again.message.starts_with("Nothing changed"),
        "{}",
        again.message
    );
    assert_eq!(again.entry, None);
    run(&mut b.store, now(), &add(DealRole::SpecAuthor)).unwrap();
    let roles: Vec<DealRole> = b
        .store
        .reader()
        .deal_people(b.deal)
        .unwrap()
        .iter()
        .map(|r| r.role.role)
        .collect();
    assert_eq!(roles, [DealRole::SpecAuthor, DealRole::DecisionMaker]);

    // One role out, then every role.
    let one = RemoveDealPerson {
        deal: b.deal,
        person: b.ana,
        role: Some(DealRole::SpecAuthor),
    };
    undone_exactly(&mut b, &one);
    let all = RemoveDealPerson {
        deal: b.deal,
        person: b.ana,
        role: None,
    };
    let o = undone_exactly(&mut b, &all);
    assert_eq!(
        o.message,
        "Removed Ana Puig (decision-maker, spec-author) from #d1 Tender 2026"
    );
    let not_there = RemoveDealPerson {
        deal: b.deal,
        person: b.ivan,
        role: None,
    };
    let e = run(&mut b.store, now(), &not_there).unwrap_err();
    assert!(
        e.to_string().contains("Iván Ruiz is not a person of #d1"),
        "{e}"
    );
}

#[test]
fn the_deal_roles_are_the_five_of_the_trade() {
    let spelled: Vec<&str> = DealRole::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        spelled,
        [
            "spec-author",
            "evaluation-committee",
            "decision-maker",
            "user",
            "influencer"
        ]
    );
    assert_eq!(
        "Decision Maker".parse::<DealRole>(),
        Ok(DealRole::DecisionMaker)
    );
    assert!("chairman".parse::<DealRole>().is_err());
    let committee: Vec<DealRole> = DealRole::ALL
        .iter()
        .copied()
        .filter(|r| r.is_committee())
        .collect();
    assert_eq!(
        committee,
        [DealRole::EvaluationCommittee, DealRole::DecisionMaker]
    );
}

#[test]
fn a_product_and_its_competitor_join_the_catalogue() {
    let mut b = book();
    let add = AddProduct {
        product: Product {
            id: 0,
            uid: "pr-1".into(),
            name: "Oncomab".into(),
            competitor_of: None,
            notes: None,
        },
    };
    undone_exactly(&mut b, &add);
    let ours = add_product(&mut b, "Oncomab", None);
    let rival = AddProduct {
        product: Product {
            id: 0,
            uid: "pr-2".into(),
            name: "Rivalix".into(),
            competitor_of: Some(ours),
            notes: None,
        },
    };
    let o = undone_exactly(&mut b, &rival);
    assert_eq!(o.message, "Added product Rivalix (competes with Oncomab)");
    let theirs = add_product(&mut b, "Rivalix", Some(ours));
    let names: Vec<String> = b
        .store
        .reader()
        .products()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Oncomab", "Rivalix"]);
    // The same name again (case and accents aside) is refused, naming the field.
    let twin = AddProduct {
        product: Product {
            id: 0,
            uid: "pr-3".into(),
            name: "ONCOMAB".into(),
            competitor_of: None,
            notes: None,
        },
    };
    let e = run(&mut b.store, now(), &twin).unwrap_err();
    assert!(e.to_string().contains("already in the catalogue"), "{e}");
    // A competitor's product is the equivalent of one of ours, not of another competitor's.
    let chain = AddProduct {
        product: Product {
            id: 0,
            uid: "pr-4".into(),
            name: "Copyx".into(),
            competitor_of: Some(theirs),
            notes: None,
        },
    };
    let e = run(&mut b.store, now(), &chain).unwrap_err();
    assert!(e.to_string().contains("--competitor-of"), "{e}");
}

#[test]
fn a_product_status_keeps_its_history_and_the_latest_is_current() {
    let mut b = book();
    let ours = add_product(&mut b, "Oncomab", None);
    let first = status(&b, ours, ProductStatus::Requested, "2026-01-10", "s-1");
    undone_exactly(&mut b, &first);
    run(&mut b.store, now(), &first).unwrap();
    let review = status(&b, ours, ProductStatus::UnderReview, "2026-02-01", "s-2");
    run(&mut b.store, now(), &review).unwrap();
    let listed = status(&b, ours, ProductStatus::Listed, "2026-03-01", "s-3");
    let o = undone_exactly(&mut b, &listed);
    assert_eq!(
        o.message,
        "Oncomab listed at Hospital Clínic since 2026-03-01 (was under-review since 2026-02-01)"
    );
    run(&mut b.store, now(), &listed).unwrap();
    // The same status again writes nothing.
    let same = status(&b, ours, ProductStatus::Listed, "2026-03-02", "s-4");
    let o = run(&mut b.store, now(), &same).unwrap();
    assert_eq!(o.entry, None, "{}", o.message);

    let r = b.store.reader();
    let history: Vec<ProductStatus> = r
        .product_status_history(b.account, ours)
        .unwrap()
        .iter()
        .map(|h| h.status)
        .collect();
    assert_eq!(
        history,
        [
            ProductStatus::Requested,
            ProductStatus::UnderReview,
            ProductStatus::Listed
        ]
    );
    let current = r.product_standings_of(b.account).unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].change.status, ProductStatus::Listed);
    assert_eq!(current[0].change.day, day("2026-03-01"));
    let listing = r
        .accounts_with_product(ours, Some(ProductStatus::Listed))
        .unwrap();
    assert_eq!(listing.len(), 1);
    assert_eq!(listing[0].account_name, "Hospital Clínic");
    assert!(
        r.accounts_with_product(ours, Some(ProductStatus::UnderReview))
            .unwrap()
            .is_empty(),
        "a past status is not the current one"
    );
    // A change dated before the current one goes into the history, not on top of it.
    let late_entry = status(&b, ours, ProductStatus::Requested, "2025-12-01", "s-5");
    run(&mut b.store, now(), &late_entry).unwrap();
    let r = b.store.reader();
    assert_eq!(
        r.product_standings_of(b.account).unwrap()[0].change.status,
        ProductStatus::Listed
    );
    assert_eq!(
        r.product_status_history(b.account, ours).unwrap()[0].day,
        day("2025-12-01")
    );
}

#[test]
fn an_objection_is_noted_and_undone() {
    let mut b = book();
    let ours = add_product(&mut b, "Oncomab", None);
    let add = AddObjection {
        objection: Objection {
            id: 0,
            uid: "o-1".into(),
            person: b.ivan,
            product: ours,
            day: day("2026-02-20"),
            text: "Too dear for the day hospital".into(),
        },
    };
    let o = undone_exactly(&mut b, &add);
    assert_eq!(
        o.message,
        "Noted Iván Ruiz's objection to Oncomab: Too dear for the day hospital"
    );
    let empty = AddObjection {
        objection: Objection {
            text: "  ".into(),
            ..add.objection.clone()
        },
    };
    let e = run(&mut b.store, now(), &empty).unwrap_err();
    assert!(e.to_string().starts_with("text"), "{e}");
}

#[test]
fn products_discussed_go_with_their_note_in_one_command() {
    let mut b = book();
    let ours = add_product(&mut b, "Oncomab", None);
    let discuss = DiscussProducts {
        interaction: b.meeting,
        products: vec![ours],
    };
    let o = undone_exactly(&mut b, &discuss);
    assert_eq!(o.message, "Discussed in #i1: Oncomab");
    let note = Interaction {
        id: 0,
        uid: "i-2".into(),
        kind: InteractionKind::Note,
        at: now(),
        end: None,
        account: Some(b.account),
        people: vec![b.ivan],
        mentioned: Vec::new(),
        title: None,
        body: Some("Prices again".into()),
        location: None,
        status: InteractionStatus::Done,
        outcome: None,
        tags: Vec::new(),
        extra: Extra::new(),
    };
    let with = WithProducts {
        command: Box::new(AddNote {
            note,
            person: Some(b.ivan),
            follow_up: None,
            on: "#p2 Iván Ruiz".into(),
        }),
        products: vec![ours],
    };
    let o = undone_exactly(&mut b, &with);
    assert_eq!(o.details, ["Products discussed: Oncomab"]);
    let id = run(&mut b.store, now(), &with).unwrap().record.unwrap().id;
    let names: Vec<String> = b
        .store
        .reader()
        .products_discussed(id)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Oncomab"]);
}
