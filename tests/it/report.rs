//! `kam report` on the demo notebook with a fixed clock: the Markdown a regional manager gets,
//! as an insta snapshot (the numbers come from the same functions as the screens).

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use chrono::{DateTime, FixedOffset, NaiveDate};
use kamnote::insights::report::{Period, Report};
use kamnote::store::Store;

fn demo() -> (Store, DateTime<FixedOffset>) {
    let now = DateTime::parse_from_rfc3339("2026-11-27T08:10:00+01:00").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let lines = kamnote::demo::demo_lines(now.date_naive(), *now.offset());
    kamnote::interop::jsonl::import(&mut store, lines.join("\n").as_bytes(), now, &mut |_| {})
        .unwrap();
    (store, now)
}

#[test]
fn monthly_report_of_the_demo() {
    let (store, now) = demo();
    let report = store
        .snapshot(|r| Report::build(r, &now, Period::Month, now.date_naive(), 10.0))
        .unwrap()
        .unwrap();
    insta::assert_snapshot!("report_month", report.markdown());
}

#[test]
fn weekly_report_of_the_demo() {
    let (store, now) = demo();
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let report = store
        .snapshot(|r| Report::build(r, &now, Period::Week, day, 10.0))
        .unwrap()
        .unwrap();
    let md = report.markdown();
    assert!(md.starts_with("# Weekly report: Mon 23 Nov 2026 to Sun 29 Nov 2026"));
    insta::assert_snapshot!("report_week", md);
}

/// Deals imported already won or lost, with no stage move recorded, count by their close date;
/// a won deal closed in another month does not.
#[test]
fn imported_closed_deals_without_a_stage_move_count_by_their_close_date() {
    let now = DateTime::parse_from_rfc3339("2026-11-27T08:10:00+01:00").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let lines = [
        r#"{"type":"kamnote","version":1}"#,
        r#"{"type":"account","uid":"a-1","name":"Hospital Clínic"}"#,
        r#"{"type":"deal","uid":"d-1","account":"a-1","title":"Reagents 2027","stage":"won","value":120000,"currency":"EUR","close":"2026-11-10"}"#,
        r#"{"type":"deal","uid":"d-2","account":"a-1","title":"Analysers","stage":"lost","value":80000,"currency":"EUR","close":"2026-11-03"}"#,
        r#"{"type":"deal","uid":"d-3","account":"a-1","title":"Old tender","stage":"won","value":5000,"currency":"EUR","close":"2026-10-30"}"#,
        r#"{"type":"deal","uid":"d-4","account":"a-1","title":"Open one","stage":"proposal","value":7000,"currency":"EUR","close":"2026-11-12"}"#,
    ];
    kamnote::interop::jsonl::import(&mut store, lines.join("\n").as_bytes(), now, &mut |_| {})
        .unwrap();
    let report = store
        .snapshot(|r| Report::build(r, &now, Period::Month, now.date_naive(), 10.0))
        .unwrap()
        .unwrap();
    let closed: Vec<&str> = report
        .closed_deals
        .iter()
        .map(|c| c.deal.deal.title.as_str())
        .collect();
    assert_eq!(closed, ["Analysers", "Reagents 2027"]);
    let md = report.markdown();
    assert!(md.contains("Won: 1 (120,000.00 EUR)."), "{md}");
    assert!(md.contains("Lost: 1 (80,000.00 EUR)."), "{md}");
}

/// Overdue receivables are listed by name, age and amount, not only counted.
#[test]
fn overdue_receivables_are_listed_by_name_age_and_amount() {
    let now = DateTime::parse_from_rfc3339("2026-11-27T08:10:00+01:00").unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let lines = [
        r#"{"type":"kamnote","version":1}"#,
        r#"{"type":"account","uid":"a-1","name":"Hospital Clínic"}"#,
        r#"{"type":"deal","uid":"d-1","account":"a-1","title":"Reagents 2027","stage":"won"}"#,
        r#"{"type":"obligation","uid":"o-1","deal":"d-1","text":"Second instalment","due":"2026-10-28","party":"client","kind":"payment","amount":12500.5,"currency":"EUR"}"#,
        r#"{"type":"obligation","uid":"o-2","deal":"d-1","text":"Third instalment","due":"2026-12-28","party":"client","kind":"payment","amount":9000,"currency":"EUR"}"#,
    ];
    kamnote::interop::jsonl::import(&mut store, lines.join("\n").as_bytes(), now, &mut |_| {})
        .unwrap();
    let report = store
        .snapshot(|r| Report::build(r, &now, Period::Month, now.date_naive(), 10.0))
        .unwrap()
        .unwrap();
    let md = report.markdown();
    assert!(
        md.contains("| Hospital Clínic | Reagents 2027: Second instalment | 30 | 12,500.50 EUR |"),
        "{md}"
    );
    assert!(!md.contains("Third instalment"), "{md}");
}
