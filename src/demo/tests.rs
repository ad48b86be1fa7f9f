//! The demo's promises: deterministic, valid records, references that resolve, a full day today,
//! and consistent stage histories.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use rstest::rstest;
use serde_json::{Map, Value};

use super::{DemoError, build, demo_lines};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn offset(hours: i32) -> FixedOffset {
    FixedOffset::east_opt(hours * 3600).unwrap()
}

fn records(today: NaiveDate, off: FixedOffset) -> Vec<Map<String, Value>> {
    demo_lines(today, off)
        .iter()
        .map(|line| match serde_json::from_str(line).unwrap() {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        })
        .collect()
}

fn s<'a>(r: &'a Map<String, Value>, key: &str) -> &'a str {
    r.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn of_type<'a>(all: &'a [Map<String, Value>], t: &str) -> Vec<&'a Map<String, Value>> {
    all.iter().filter(|r| s(r, "type") == t).collect()
}

fn local_day(r: &Map<String, Value>, key: &str) -> NaiveDate {
    let v = s(r, key);
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.date_naive())
        .or_else(|_| NaiveDate::parse_from_str(v, "%Y-%m-%d"))
        .unwrap_or_else(|e| panic!("{key} = {v:?}: {e}"))
}

#[test]
fn demo_assets_parse_and_build() {
    let built: Result<Vec<String>, DemoError> = build(day("2026-11-27"), offset(3));
    let lines = built.unwrap();
    assert!(lines.len() > 700, "only {} lines", lines.len());
}

#[rstest]
#[case("2026-11-27", 3)]
#[case("2028-02-29", -5)]
#[case("2026-12-31", 0)]
fn demo_is_deterministic(#[case] today: &str, #[case] hours: i32) {
    assert_eq!(
        demo_lines(day(today), offset(hours)),
        demo_lines(day(today), offset(hours))
    );
}

#[test]
fn demo_uids_are_the_same_on_another_day() {
    let uids = |today| -> Vec<String> {
        records(day(today), offset(1))
            .iter()
            .skip(1)
            .map(|r| s(r, "uid").to_string())
            .collect()
    };
    assert_eq!(uids("2026-11-27"), uids("2027-06-03"));
}

#[rstest]
#[case("2026-11-27", 3)]
#[case("2028-02-29", -5)]
#[case("2026-12-31", 0)]
fn demo_records_are_well_formed(#[case] today: &str, #[case] hours: i32) {
    let lines = demo_lines(day(today), offset(hours));
    let header: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(header["type"], "kamnote");
    assert_eq!(header["version"], 1);
    assert_eq!(header["today"], today);
    let all = records(day(today), offset(hours));
    let mut seen = HashSet::new();
    for r in &all[1..] {
        let keys: Vec<&str> = r.keys().take(2).map(String::as_str).collect();
        assert_eq!(keys, ["type", "uid"], "{r:?}");
        assert!(
            seen.insert(s(r, "uid").to_string()),
            "duplicate {}",
            s(r, "uid")
        );
        for (key, value) in r {
            if let Some(v) = value.as_str() {
                assert!(!v.starts_with('@'), "unresolved {key} = {v}");
            }
        }
    }
}

#[rstest]
#[case("2026-11-27", 3)]
#[case("2028-02-29", -5)]
fn demo_references_resolve(#[case] today: &str, #[case] hours: i32) {
    let all = records(day(today), offset(hours));
    let kinds: HashMap<&str, &str> = all[1..]
        .iter()
        .map(|r| (s(r, "uid"), s(r, "type")))
        .collect();
    let check = |uid: &str, want: &str, r: &Map<String, Value>| {
        assert_eq!(kinds.get(uid).copied(), Some(want), "{uid} in {r:?}");
    };
    for r in &all[1..] {
        for (key, want) in [
            ("account", "account"),
            ("person", "person"),
            ("deal", "deal"),
            ("interaction", "interaction"),
        ] {
            if r.contains_key(key) {
                check(s(r, key), want, r);
            }
        }
        if let Some(people) = r.get("people").and_then(Value::as_array) {
            for p in people {
                check(p.as_str().unwrap(), "person", r);
            }
        }
        match s(r, "type") {
            "link" => {
                check(s(r, "from"), "person", r);
                check(s(r, "to"), "person", r);
            }
            "stage_change" => check(s(r, "subject"), s(r, "ladder"), r),
            _ => {}
        }
    }
}

#[rstest]
#[case("2026-11-27", 3)]
#[case("2028-02-29", -5)]
#[case("2026-12-31", 0)]
fn demo_today_is_a_full_day(#[case] today: &str, #[case] hours: i32) {
    let today = day(today);
    let all = records(today, offset(hours));
    let interactions = of_type(&all, "interaction");
    let meetings_today = interactions
        .iter()
        .filter(|r| s(r, "status") == "planned" && local_day(r, "at") == today)
        .count();
    assert!(meetings_today >= 4, "{meetings_today} meetings today");
    for r in &interactions {
        let when = local_day(r, "at");
        assert_eq!(s(r, "status") == "planned", when >= today, "{r:?}");
    }
    let open: Vec<_> = of_type(&all, "followup")
        .into_iter()
        .filter(|r| !r.contains_key("status"))
        .collect();
    assert!(open.iter().filter(|r| local_day(r, "due") == today).count() >= 3);
    assert!(open.iter().filter(|r| local_day(r, "due") < today).count() >= 3);
    let people = of_type(&all, "person");
    assert!(
        (100..=140).contains(&people.len()),
        "{} people",
        people.len()
    );
    let md = today.format("-%m-%d").to_string();
    assert!(people.iter().any(|p| s(p, "birthday").ends_with(&md)));
}

#[rstest]
#[case("2026-11-27", 3)]
#[case("2026-12-31", 0)]
fn demo_stage_chains_are_consistent(#[case] today: &str, #[case] hours: i32) {
    let today = day(today);
    let all = records(today, offset(hours));
    let current: HashMap<&str, &str> = all[1..]
        .iter()
        .map(|r| (s(r, "uid"), s(r, "stage")))
        .collect();
    let mut chains: HashMap<&str, Vec<&Map<String, Value>>> = HashMap::new();
    for r in of_type(&all, "stage_change") {
        chains.entry(s(r, "subject")).or_default().push(r);
    }
    assert!(chains.len() > 40);
    for (subject, chain) in chains {
        assert!(
            !chain[0].contains_key("from"),
            "{subject} starts with a from"
        );
        for pair in chain.windows(2) {
            assert_eq!(s(pair[1], "from"), s(pair[0], "to"), "{subject}");
            let (a, b) = (
                DateTime::parse_from_rfc3339(s(pair[0], "at")).unwrap(),
                DateTime::parse_from_rfc3339(s(pair[1], "at")).unwrap(),
            );
            assert!(a < b, "{subject}: {a} then {b}");
        }
        let last = chain[chain.len() - 1];
        assert_eq!(s(last, "to"), current[subject], "{subject}");
        assert!(local_day(last, "at") < today);
    }
}

#[test]
fn demo_has_stale_and_fresh_key_people() {
    let today = day("2026-11-27");
    let all = records(today, offset(1));
    let mut last: HashMap<&str, NaiveDate> = HashMap::new();
    for r in of_type(&all, "interaction") {
        if s(r, "status") != "done" {
            continue;
        }
        for p in r
            .get("people")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let seen = last.entry(p.as_str().unwrap()).or_insert(NaiveDate::MIN);
            *seen = (*seen).max(local_day(r, "at"));
        }
    }
    let quiet = |uid: &str| (today - last[uid]).num_days();
    for stale in ["demo-p008", "demo-p015", "demo-p022"] {
        assert!(
            (70..=100).contains(&quiet(stale)),
            "{stale}: {}",
            quiet(stale)
        );
    }
    for fresh in [
        "demo-p001",
        "demo-p002",
        "demo-p007",
        "demo-p011",
        "demo-p016",
    ] {
        assert!(quiet(fresh) <= 45, "{fresh}: {}", quiet(fresh));
    }
}

/// The three things a new user is asked to find in the demo exist on any day: the biggest deal
/// closes this month, the oldest unpaid invoice is long overdue, and a C-tier account's sales
/// put it among the A accounts.
#[rstest]
#[case("2026-11-27", 1)]
#[case("2026-12-31", 0)]
#[case("2028-02-01", -5)]
fn demo_has_the_money_stories(#[case] today: &str, #[case] hours: i32) {
    use crate::domain::Tier;
    use crate::insights::pareto;
    use crate::store::SalesRow;
    let today = day(today);
    let all = records(today, offset(hours));
    let deals = of_type(&all, "deal");
    let value = |r: &Map<String, Value>| r.get("value").and_then(Value::as_f64).unwrap_or(0.0);
    let biggest = deals
        .iter()
        .filter(|d| s(d, "currency") == "EUR")
        .max_by(|a, b| value(a).total_cmp(&value(b)))
        .unwrap();
    assert_eq!(s(biggest, "uid"), "demo-d05");
    let close = local_day(biggest, "close");
    assert_eq!((close.year(), close.month()), (today.year(), today.month()));
    assert!(close >= today);

    let unpaid: Vec<_> = of_type(&all, "obligation")
        .into_iter()
        .filter(|o| {
            s(o, "party") == "client" && s(o, "kind") == "payment" && s(o, "status") != "done"
        })
        .collect();
    let oldest = unpaid.iter().min_by_key(|o| local_day(o, "due")).unwrap();
    assert_eq!(s(oldest, "uid"), "demo-o14");
    assert!((today - local_day(oldest, "due")).num_days() > 60);

    let sales: Vec<SalesRow> = of_type(&all, "account")
        .iter()
        .enumerate()
        .map(|(i, a)| SalesRow {
            id: i64::try_from(i).unwrap(),
            name: s(a, "name").to_string(),
            tier: s(a, "tier").parse().ok(),
            our_sales: a.get("our_sales").and_then(Value::as_f64),
            currency: Some(s(a, "currency").to_string()),
        })
        .collect();
    let ranked = pareto::rank(&sales, &HashMap::new());
    let (_, first) = ranked.mismatches()[0];
    assert_eq!(first.name, "Plataforma de Compras Sanitarias de Andalucía");
    assert_eq!(
        (first.current, first.suggested),
        (Some(Tier::C), Some(Tier::A))
    );
}
