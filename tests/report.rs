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
