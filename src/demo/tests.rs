//! The demo's promises: deterministic, valid records, references that resolve, a full day today,
//! consistent stage histories, one KAM's region, everything the notebook can hold, the
//! compliance rules kept, and an export that the project's own import reads back.

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

/// Every record keeps its uid from day to day, so a refresh re-dates it; a month of sales is
/// named by its month (a refresh adds the new month and keeps the past ones, as they were).
#[test]
fn demo_uids_are_the_same_on_another_day() {
    let uids = |today| -> (Vec<String>, Vec<String>) {
        let all = records(day(today), offset(1));
        let (sales, rest): (Vec<_>, Vec<_>) =
            all.iter().skip(1).partition(|r| s(r, "type") == "sales");
        let uid = |r: &&Map<String, Value>| s(r, "uid").to_string();
        (
            rest.iter().map(uid).collect(),
            sales.iter().map(uid).collect(),
        )
    };
    let (before, months_before) = uids("2026-11-27");
    let (after, months_after) = uids("2027-06-03");
    assert_eq!(before, after);
    assert!(months_before.contains(&"demo-s-a01-2026-11".to_string()));
    assert!(months_after.contains(&"demo-s-a01-2027-06".to_string()));
    assert!(!months_after.contains(&"demo-s-a01-2026-05".to_string()));
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
            ("product", "product"),
            ("competitor_of", "product"),
        ] {
            if r.contains_key(key) {
                check(s(r, key), want, r);
            }
        }
        for key in ["people", "mentioned"] {
            for p in array(r, key) {
                check(p.as_str().unwrap(), "person", r);
            }
        }
        for p in array(r, "x-products") {
            check(p.as_str().unwrap(), "product", r);
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
    assert_eq!(
        first.name,
        "Central de Compras Sanitarias de la Comunidad de Madrid"
    );
    assert_eq!(
        (first.current, first.suggested),
        (Some(Tier::C), Some(Tier::A))
    );
}

/// The municipalities of the Comunidad de Madrid the demo's accounts are in.
const MADRID: [&str; 19] = [
    "Madrid",
    "Getafe",
    "Alcorcón",
    "Alcobendas",
    "Pozuelo de Alarcón",
    "Tres Cantos",
    "Collado Villalba",
    "Torrejón de Ardoz",
    "Leganés",
    "Parla",
    "Boadilla del Monte",
    "Fuenlabrada",
    "Móstoles",
    "Coslada",
    "Aranjuez",
    "Buitrago del Lozoya",
    "Alcalá de Henares",
    "San Fernando de Henares",
    "Las Rozas de Madrid",
];

fn array<'a>(r: &'a Map<String, Value>, key: &str) -> Vec<&'a Value> {
    r.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

#[rstest]
#[case("2026-11-27", 1)]
#[case("2028-02-29", -5)]
fn demo_stays_in_one_region(#[case] today: &str, #[case] hours: i32) {
    let all = records(day(today), offset(hours));
    let accounts = of_type(&all, "account");
    for a in &accounts {
        assert_eq!(s(a, "country"), "ES", "{a:?}");
        assert_eq!(s(a, "currency"), "EUR", "{a:?}");
        assert!(s(a, "territory").starts_with("Madrid"), "{a:?}");
        let city = s(a, "city");
        assert!(
            MADRID.contains(&city)
                || city == "Villaviciosa de Odón"
                || city == "San Sebastián de los Reyes",
            "{city} is not in the Comunidad de Madrid"
        );
        assert!(s(a, "phone").starts_with("+34 91"), "{a:?}");
    }
    for kind in ["deal", "plan", "obligation"] {
        for r in of_type(&all, kind) {
            let currency = s(r, "currency");
            assert!(currency.is_empty() || currency == "EUR", "{r:?}");
        }
    }
    for p in of_type(&all, "person") {
        let name = s(p, "name");
        for title in ["Dr.", "Dra.", "Prof.", "D.", "D.ª", "Sr.", "Sra."] {
            assert!(!name.starts_with(title), "a title in the name {name:?}");
        }
        assert!(
            name.chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-'),
            "{name:?}"
        );
        let phone = s(p, "phone");
        assert!(phone.is_empty() || phone.starts_with("+34 "), "{p:?}");
    }
}

/// Titles that fit the kind of account: clinical posts in hospitals and clinics, buying posts
/// in distributors and pharmacy groups.
#[test]
fn demo_roles_fit_the_kind_of_account() {
    let all = records(day("2026-11-27"), offset(1));
    let kinds: HashMap<&str, &str> = of_type(&all, "account")
        .iter()
        .map(|a| (s(a, "uid"), s(a, "kind")))
        .collect();
    let clinical = [
        "Enfermería",
        "Reumatología",
        "Dermatología",
        "Digestivo",
        "Médic",
    ];
    for p in of_type(&all, "person") {
        let title = s(p, "title");
        let kind = kinds.get(s(p, "account")).copied().unwrap_or("");
        if matches!(
            kind,
            "distributor" | "pharmacy group" | "retail chain" | "manufacturer"
        ) {
            assert!(
                !clinical.iter().any(|c| title.contains(c)),
                "{title} at a {kind}"
            );
        }
    }
    let titles: Vec<&str> = of_type(&all, "person")
        .iter()
        .filter(|p| kinds.get(s(p, "account")).copied() == Some("hospital"))
        .map(|p| s(p, "title"))
        .collect();
    for post in [
        "Farmacia",
        "Director Médico",
        "Compras",
        "Jefe de Servicio",
        "Enfermería",
    ] {
        assert!(
            titles.iter().any(|t| t.contains(post)),
            "no {post} in a hospital"
        );
    }
}

/// Everything the notebook holds is in the demo, so every screen has something to show.
#[test]
fn demo_holds_everything_the_notebook_has() {
    let today = day("2026-11-27");
    let all = records(today, offset(1));
    let products = of_type(&all, "product");
    let ours = products
        .iter()
        .filter(|p| !p.contains_key("competitor_of"))
        .count();
    assert!(ours >= 3 && products.len() > ours, "{products:?}");
    // A status history: one account and product through several statuses up to listed.
    let mut steps: HashMap<(&str, &str), Vec<&str>> = HashMap::new();
    for r in of_type(&all, "product_status") {
        steps
            .entry((s(r, "account"), s(r, "product")))
            .or_default()
            .push(s(r, "status"));
    }
    assert!(
        steps
            .values()
            .any(|v| v.len() >= 4 && v.last() == Some(&"listed"))
    );
    assert!(steps.values().any(|v| v.last() == Some(&"preferred")));
    assert!(!of_type(&all, "objection").is_empty());
    let roles: HashSet<&str> = of_type(&all, "deal_person")
        .iter()
        .map(|r| s(r, "role"))
        .collect();
    for role in [
        "spec-author",
        "evaluation-committee",
        "decision-maker",
        "user",
        "influencer",
    ] {
        assert!(roles.contains(role), "no {role}");
    }
    let interactions = of_type(&all, "interaction");
    for kind in [
        "visit", "call", "meal", "email", "message", "event", "meeting", "note",
    ] {
        assert!(
            interactions
                .iter()
                .any(|r| s(r, "kind") == kind && s(r, "status") == "done"),
            "no past {kind}"
        );
    }
    assert!(
        interactions
            .iter()
            .filter(|r| r.contains_key("mentioned"))
            .count()
            > 5
    );
    // Every meal is recorded as a spend naming its guests (the transfers of value).
    let meals = interactions
        .iter()
        .filter(|r| s(r, "kind") == "meal")
        .count();
    let meal_spends = of_type(&all, "plan")
        .iter()
        .flat_map(|p| array(p, "x-spend"))
        .filter(|sp| sp["transfer"] == "meal")
        .count();
    assert!(
        meals > 0 && meal_spends >= meals,
        "{meals} meals, {meal_spends} spent"
    );
    assert!(
        interactions
            .iter()
            .filter(|r| r.contains_key("x-products"))
            .count()
            > 20
    );
}

/// The business side: follow-ups on deals, payments received, travel times, the power map,
/// key people never met and monthly sales.
#[test]
fn demo_holds_the_business_of_the_territory() {
    let today = day("2026-11-27");
    let all = records(today, offset(1));
    let interactions = of_type(&all, "interaction");
    assert!(
        of_type(&all, "followup")
            .iter()
            .filter(|f| f.contains_key("deal") && !f.contains_key("status"))
            .count()
            >= 3
    );
    let paid = of_type(&all, "obligation")
        .iter()
        .filter(|o| s(o, "kind") == "payment" && s(o, "status") == "done")
        .filter(|o| local_day(o, "done_at").year() == today.year())
        .count();
    assert!(paid >= 3, "{paid} payments paid this year");
    assert!(
        of_type(&all, "account")
            .iter()
            .filter(|a| a.get("travel_minutes").and_then(Value::as_u64) > Some(0))
            .count()
            > 20
    );
    let links: HashSet<&str> = of_type(&all, "link").iter().map(|l| s(l, "kind")).collect();
    assert!(links.len() >= 5, "{links:?}");
    // Key people identified and never met: in no past interaction as a participant.
    let met: HashSet<&str> = interactions
        .iter()
        .filter(|r| s(r, "status") == "done")
        .flat_map(|r| array(r, "people"))
        .filter_map(Value::as_str)
        .collect();
    let never_met = of_type(&all, "person")
        .iter()
        .filter(|p| s(p, "stage") == "identified")
        .filter(|p| p.get("influence").and_then(Value::as_i64) >= Some(4))
        .filter(|p| !met.contains(s(p, "uid")))
        .count();
    assert!(never_met >= 3, "{never_met} key people never met");
    // Monthly sales: this month's target and twelve closed months with actuals.
    let sales = super::demo_sales(today);
    let this_month = today.format("%Y-%m").to_string();
    assert!(
        sales
            .iter()
            .any(|m| m.month == this_month && m.actual.is_none())
    );
    assert!(sales.iter().filter(|m| m.actual.is_some()).count() > 100);
    assert!(sales.iter().all(|m| m.target > 0.0 && m.currency == "EUR"));
}

/// The demo teaches the right practice: no gift to a healthcare professional, meals within a
/// cap of 60 EUR per guest, every transfer of value names who benefited (grants and donations
/// go to organisations), under an annual limit of 5,000 EUR per person, and a grant is never a
/// deal with commission.
#[rstest]
#[case("2026-11-27", 1)]
#[case("2027-01-05", 1)]
fn demo_keeps_the_compliance_rules(#[case] today: &str, #[case] hours: i32) {
    use crate::compliance::{YearSoFar, to_organisation, transfer_of, warnings};
    use crate::config::ComplianceConfig;
    use crate::domain::{SpendCategory, Transfer};
    let rules = ComplianceConfig {
        meal_cap_per_guest: Some(60.0),
        gifts_forbidden: true,
        annual_limit_per_person: Some(5000.0),
        currency: Some("EUR".into()),
    };
    let all = records(day(today), offset(hours));
    let mut received: HashMap<(String, i32), f64> = HashMap::new();
    let (mut transfers, mut grants) = (0, 0);
    let mut spends: Vec<&Value> = of_type(&all, "plan")
        .iter()
        .flat_map(|p| array(p, "x-spend"))
        .collect();
    spends.sort_by_key(|sp| sp["day"].as_str().unwrap_or_default().to_string());
    for spend in spends {
        let category: SpendCategory = spend["category"].as_str().unwrap().parse().unwrap();
        let asked: Option<Transfer> = spend["transfer"].as_str().map(|t| t.parse().unwrap());
        let people: Vec<&str> = spend["for"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let transfer =
            transfer_of(category, asked, people.len()).unwrap_or_else(|e| panic!("{spend}: {e}"));
        let Some(transfer) = transfer else { continue };
        transfers += 1;
        assert_ne!(transfer, Transfer::Gift, "{spend}");
        if to_organisation(transfer) {
            grants += 1;
            assert!(people.is_empty(), "{spend}");
        }
        let amount = spend["amount"].as_f64().unwrap();
        let year = day(spend["day"].as_str().unwrap()).year();
        let so_far: Vec<YearSoFar> = people
            .iter()
            .map(|p| YearSoFar {
                name: (*p).to_string(),
                total: received
                    .get(&((*p).to_string(), year))
                    .copied()
                    .unwrap_or(0.0),
            })
            .collect();
        let warned = warnings(&rules, transfer, amount, Some("EUR"), &so_far);
        assert!(warned.is_empty(), "{spend}: {warned:?}");
        for p in &people {
            let share = amount / f64::from(u32::try_from(people.len()).unwrap());
            *received.entry(((*p).to_string(), year)).or_default() += share;
        }
    }
    assert!(
        transfers >= 10 && grants >= 2,
        "{transfers} transfers, {grants} grants"
    );
    // No deal is a grant or a donation: those are plan spends to an organisation.
    for d in of_type(&all, "deal") {
        let words = format!("{} {}", s(d, "title"), s(d, "notes")).to_lowercase();
        for w in ["beca", "grant", "donación", "donation", "subvención"] {
            assert!(!words.contains(w), "{d:?}");
        }
    }
    // And no note plans a gift.
    for r in of_type(&all, "interaction") {
        let body = s(r, "body").to_lowercase();
        assert!(!body.contains("gift") || body.contains("no gift"), "{r:?}");
    }
}

/// The demo as `kam demo` writes it: imported, monthly sales included.
fn imported(today: NaiveDate) -> crate::store::Store {
    let mut store = crate::store::Store::open_in_memory().unwrap();
    let now = offset(1)
        .from_local_datetime(&today.and_hms_opt(8, 10, 0).unwrap())
        .unwrap();
    let lines = demo_lines(today, offset(1));
    crate::interop::jsonl::import(&mut store, lines.join("\n").as_bytes(), now, &mut |_| {})
        .unwrap();
    let months = store.reader().all_month_sales().unwrap();
    assert_eq!(months.len(), super::demo_sales(today).len());
    store
}

use chrono::TimeZone;

/// What a new user is asked to find: key people nobody has met (coverage), the committee of
/// the next tender with a member not seen lately (the red flag), and commission earned on the
/// payments received this year.
#[test]
fn demo_walk_finds_what_the_issue_asks() {
    let today = day("2026-11-27");
    let store = imported(today);
    let reader = store.reader();
    let coverage = crate::coverage::load(&reader, &crate::store::CoverageScope::default()).unwrap();
    assert!(coverage.total.never_seen >= 3, "{:?}", coverage.total);
    assert!(coverage.total.loyal_or_better > 0);
    let now = offset(1)
        .from_local_datetime(&today.and_hms_opt(9, 0, 0).unwrap())
        .unwrap();
    let guadarrama = reader
        .id_by_uid(crate::store::UidTable::Accounts, "demo-a07")
        .unwrap()
        .unwrap();
    let flags = crate::flags::committee::committee_flags(&reader, guadarrama, &now).unwrap();
    assert!(
        flags.iter().any(|f| f.text.contains("Hugo Arranz Velasco")),
        "{flags:?}"
    );
    let paid = reader
        .paid_payments_between(day("2026-01-01"), day("2027-01-01"))
        .unwrap();
    assert!(paid.len() >= 3, "{paid:?}");
    let sales = reader.month_sales(None, "2026-01", "2026-12").unwrap();
    assert!(sales.len() > 100);
}

/// The demo's export is read back by the project's own import, to the same bytes.
#[test]
fn demo_export_round_trips_through_the_import() {
    let today = day("2026-11-27");
    let first = imported(today);
    let dump = |store: &crate::store::Store| {
        let mut out = Vec::new();
        crate::interop::jsonl::export(&store.reader(), &mut out, Map::new()).unwrap();
        String::from_utf8(out).unwrap()
    };
    let exported = dump(&first);
    let mut second = crate::store::Store::open_in_memory().unwrap();
    let now = offset(1)
        .from_local_datetime(&today.and_hms_opt(8, 10, 0).unwrap())
        .unwrap();
    crate::interop::jsonl::import(&mut second, exported.as_bytes(), now, &mut |_| {}).unwrap();
    assert_eq!(dump(&second), exported);
    assert!(exported.lines().count() > 900);
}

/// A Spanish name sorts by both family names, the father's first: every demo person of three
/// words or more says so, and the doctors are addressed as such apart from their name.
#[test]
fn demo_people_sort_by_both_family_names_and_keep_their_salutation_apart() {
    let all = records(day("2026-11-27"), offset(3));
    let people = of_type(&all, "person");
    for p in &people {
        let name = s(p, "name");
        let words: Vec<&str> = name.split(' ').collect();
        if words.len() >= 3 {
            assert_eq!(
                s(p, "family_name"),
                words[words.len() - 2..].join(" "),
                "{name}"
            );
        }
        assert!(!name.starts_with("Dr"), "{name}: the salutation is apart");
    }
    let carmen = people
        .iter()
        .find(|p| s(p, "name") == "Carmen Peña Olmedo")
        .unwrap();
    assert_eq!(
        (s(carmen, "salutation"), s(carmen, "family_name")),
        ("Dra.", "Peña Olmedo")
    );
}
