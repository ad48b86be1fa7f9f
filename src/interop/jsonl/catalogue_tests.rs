//! The catalogue, the deal people (issue 14.3-4) and the monthly sales (issue 14.6) in the
//! interchange format: they round-trip byte for byte, may point forward, re-import as updates,
//! and a wrong value names its line.

use chrono::DateTime;
use serde_json::{Map, Value};

use super::{export, import};
use crate::domain::Timestamp;
use crate::store::Store;

const SAMPLE: &str = include_str!("../../../tests/data/sample.jsonl");

/// The sample's records with some of each kind of this issue, in export form.
const CATALOGUE: &str = r#"{"type":"product","uid":"pr-1","name":"Oncomab","notes":"200 mg vial"}
{"type":"product","uid":"pr-2","name":"Rivalix ☕","competitor_of":"pr-1"}
{"type":"product_status","uid":"ps-1","account":"a-1","product":"pr-1","status":"requested","day":"2026-10-01"}
{"type":"product_status","uid":"ps-2","account":"a-1","product":"pr-1","status":"listed","day":"2026-11-02","note":"pharmacy committee"}
{"type":"product_status","uid":"ps-3","account":"a-2","product":"pr-2","status":"preferred","day":"2026-09-15"}
{"type":"objection","uid":"ob-1","person":"p-1","product":"pr-1","day":"2026-11-20","text":"Too dear \u001b[31m for the day hospital"}
{"type":"deal_person","uid":"dp-1","deal":"d-1","person":"p-1","role":"decision-maker"}
{"type":"deal_person","uid":"dp-2","deal":"d-1","person":"p-2","role":"evaluation-committee"}
{"type":"sales","uid":"s-1","account":"a-1","month":"2026-10","currency":"EUR","target":12000,"actual":9850.5}
{"type":"sales","uid":"s-2","account":"a-1","month":"2026-11","currency":"EUR","target":12000}
{"type":"sales","uid":"s-3","account":"a-2","month":"2026-11","currency":"USD","actual":4000}
"#;

fn now() -> Timestamp {
    DateTime::parse_from_rfc3339("2026-11-27T08:00:00+03:00").unwrap()
}

fn header_extra() -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("exported_at".into(), "2026-11-27T08:00:00+03:00".into());
    map.insert("today".into(), "2026-11-27".into());
    map
}

fn dump(store: &Store) -> String {
    let mut out = Vec::new();
    export(&store.reader(), &mut out, header_extra()).unwrap();
    String::from_utf8(out).unwrap()
}

/// The sample with the products of meeting i-1 and the catalogue after it.
fn file() -> String {
    let mut out = String::new();
    for line in SAMPLE.lines() {
        if line.contains(r#""uid":"i-1""#) {
            let (head, _) = line.rsplit_once('}').unwrap();
            out.push_str(head);
            out.push_str(r#","x-products":["pr-1","pr-2"]}"#);
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    out.push_str(CATALOGUE);
    out
}

fn load(store: &mut Store, text: &str) -> Result<super::ImportSummary, super::ImportError> {
    import(store, text.as_bytes(), now(), &mut |_| {})
}

#[test]
fn the_catalogue_and_the_deal_people_round_trip_byte_for_byte() {
    let text = file();
    let mut store = Store::open_in_memory().unwrap();
    let summary = load(&mut store, &text).unwrap();
    assert_eq!(summary.added["product"], 2);
    assert_eq!(summary.added["product_status"], 3);
    assert_eq!(summary.added["objection"], 1);
    assert_eq!(summary.added["deal_person"], 2);
    assert_eq!(summary.added["sales"], 3);
    assert_eq!(dump(&store), text, "the file is in export form");
    let i1 = store
        .reader()
        .id_by_uid(crate::store::UidTable::Interactions, "i-1")
        .unwrap()
        .unwrap();
    let discussed: Vec<String> = store
        .reader()
        .products_discussed(i1)
        .unwrap()
        .into_iter()
        .map(|p| p.uid)
        .collect();
    assert_eq!(discussed, ["pr-1", "pr-2"]);

    // Again: every record is updated, none added, nothing changes.
    let again = load(&mut store, &text).unwrap();
    assert!(again.added.is_empty(), "{again:?}");
    assert_eq!(again.updated["product_status"], 3);
    assert_eq!(again.updated["sales"], 3);
    assert_eq!(dump(&store), text);
}

#[test]
fn catalogue_references_may_point_forward() {
    let text = file();
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let mut store = Store::open_in_memory().unwrap();
    load(&mut store, &lines.join("\n")).unwrap();
    let sorted = |t: &str| {
        let mut v: Vec<String> = t.lines().map(str::to_string).collect();
        v.sort();
        v
    };
    assert_eq!(sorted(&dump(&store)), sorted(&text));
}

#[test]
fn a_wrong_catalogue_value_names_its_line_and_field() {
    let cases = [
        (
            r#"{"type":"product_status","uid":"x","account":"a-1","product":"pr-1","status":"maybe","day":"2026-10-01"}"#,
            "status",
        ),
        (
            r#"{"type":"deal_person","uid":"x","deal":"d-1","person":"p-1","role":"chairman"}"#,
            "role",
        ),
        (
            r#"{"type":"objection","uid":"x","person":"p-9","product":"pr-1","day":"2026-10-01","text":"t"}"#,
            "person",
        ),
        (
            r#"{"type":"product","uid":"x","name":"Oncomab","x-colour":"red"}"#,
            "x-colour",
        ),
        (
            r#"{"type":"sales","uid":"x","account":"a-1","month":"November","currency":"EUR"}"#,
            "month",
        ),
        (
            r#"{"type":"sales","uid":"x","account":"a-1","month":"2026-12","target":5}"#,
            "currency",
        ),
        (
            r#"{"type":"sales","uid":"x","account":"a-1","month":"2026-10","currency":"EUR","target":1}"#,
            "already given by an earlier sales line",
        ),
        (
            r#"{"type":"sales","uid":"x","account":"a-1","month":"2026-12","currency":"EUR","target":1e300}"#,
            "target",
        ),
    ];
    for (line, field) in cases {
        let text = format!("{}{line}\n", file());
        let at = text.lines().count() as u64;
        let mut store = Store::open_in_memory().unwrap();
        let e = load(&mut store, &text).unwrap_err();
        assert_eq!(e.line(), Some(at), "{e}");
        assert!(e.to_string().contains(field), "{field}: {e}");
        assert!(
            store.reader().products().unwrap().is_empty(),
            "nothing was written"
        );
    }
}

/// A month the notebook already holds (written with `kam sales add`, so under its own uid) is
/// taken over by the file's line for the same account, month and currency: one row stays, with
/// the file's figures and uid, and nothing else of the notebook's sales moves.
#[test]
fn a_files_month_takes_over_the_same_month_kept_under_another_uid() {
    let text = file();
    let mut store = Store::open_in_memory().unwrap();
    load(&mut store, &text).unwrap();
    let a1 = store
        .reader()
        .id_by_uid(crate::store::UidTable::Accounts, "a-1")
        .unwrap()
        .unwrap();
    store
        .write(now(), |w| {
            w.set_month_sales(&crate::domain::MonthSales {
                id: 0,
                account: a1,
                month: "2026-12".into(),
                currency: "EUR".into(),
                target: Some(1.0),
                actual: None,
            })
        })
        .unwrap();
    let line = r#"{"type":"sales","uid":"s-9","account":"a-1","month":"2026-12","currency":"EUR","target":15000}"#;
    let summary = load(&mut store, &format!("{}{line}\n", file())).unwrap();
    assert_eq!(summary.added.get("sales"), None, "{summary:?}");
    let all = store.reader().all_month_sales().unwrap();
    assert_eq!(all.len(), 4);
    let december = all.iter().find(|s| s.sales.month == "2026-12").unwrap();
    assert_eq!(
        (december.uid.as_str(), december.sales.target),
        ("s-9", Some(15000.0))
    );
}

/// A person both taking part and mentioned, whose line comes after the meeting's, took part:
/// the import neither fails on the twin nor keeps the mention.
#[test]
fn a_person_both_present_and_mentioned_before_their_line_took_part() {
    let meeting = r#"{"type":"interaction","uid":"i-9","kind":"meeting","at":"2026-11-02T10:00:00+03:00","people":["p-9"],"mentioned":["p-9"],"status":"done"}"#;
    let person = r#"{"type":"person","uid":"p-9","name":"Zoe Late"}"#;
    let text = format!("{}\n{meeting}\n{person}\n", SAMPLE.lines().next().unwrap());
    let mut store = Store::open_in_memory().unwrap();
    load(&mut store, &text).unwrap();
    let out = dump(&store);
    let line = out.lines().find(|l| l.contains(r#""uid":"i-9""#)).unwrap();
    assert!(line.contains(r#""people":["p-9"]"#), "{line}");
    assert!(!line.contains("mentioned"), "{line}");
}
