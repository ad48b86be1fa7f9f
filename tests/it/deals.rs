//! `kam deal`, `kam stage` on deals, obligations, `kam receivables`, `kam pareto` and
//! `kam report` end to end on a fresh notebook with a fixed clock.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use super::shell::Shell;

/// Hospital Clínic, tier C, 900,000 EUR of sales.
fn notebook() -> Shell {
    let nb = Shell::new();
    nb.ok(&[
        "account",
        "add",
        "Hospital Clínic",
        "--tier",
        "C",
        "--sales",
        "900000",
        "--currency",
        "EUR",
    ]);
    nb
}

#[test]
fn a_deal_from_add_to_lost_with_its_money() {
    let nb = notebook();
    let out = nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Tender 2027",
        "--kind",
        "tender",
        "--value",
        "250000",
        "--currency",
        "eur",
        "--probability",
        "40",
        "--close",
        "2027-03-31",
        "--milestone",
        "submission=2026-12-02",
        "--milestone",
        "award=+1w",
    ]);
    assert_eq!(out.trim(), "Added deal #d1 Tender 2027 · Hospital Clínic");
    let d = nb.json(&["deal", "show", "#d1", "--json"]);
    assert_eq!(d["currency"], "EUR");
    assert_eq!(d["stage"], "lead");
    assert_eq!(d["weighted_value"], 100_000.0);
    // No rate of its own: the default 10 %.
    assert_eq!(d["commission_rate_applied"], 10.0);
    assert_eq!(d["expected_commission"], 10_000.0);
    // Milestones in date order, "+1w" read in the date language.
    assert_eq!(d["milestones"][0]["name"], "submission");
    assert_eq!(d["milestones"][1]["name"], "award");
    assert_eq!(d["milestones"][1]["date"], "2026-12-04");
    assert_eq!(d["history"][0]["to"], "lead");

    // Edited at its version; the tender shows ahead in the agenda.
    nb.ok(&[
        "deal",
        "edit",
        "tender 2027",
        "--commission",
        "8",
        "--probability",
        "50",
    ]);
    let d = nb.json(&["deal", "show", "#1", "--json"]);
    assert_eq!(d["expected_commission"], 10_000.0);
    let agenda = nb.ok(&["agenda"]);
    assert!(
        agenda.contains("submission in 5 days: Tender 2027"),
        "{agenda}"
    );
    assert!(agenda.contains("award in 7 days: Tender 2027"), "{agenda}");

    // Lost needs a reason, and moves with it.
    let err = nb.refused(&["stage", "#d1", "lost"]);
    assert!(err.contains("lost deal needs the reason"), "{err}");
    nb.ok(&["stage", "#d1", "lost", "--note", "price"]);
    let d = nb.json(&["deal", "show", "#d1", "--json"]);
    assert_eq!(d["stage"], "lost");
    assert_eq!(d["weighted_value"], 0.0);
    assert_eq!(d["history"][1]["note"], "price");
}

#[test]
fn list_totals_stay_per_currency() {
    let nb = notebook();
    for (title, value, cur, p) in [
        ("A", "100", "EUR", "50"),
        ("B", "300", "EUR", "10"),
        ("C", "1000", "RUB", "100"),
    ] {
        nb.ok(&[
            "deal",
            "add",
            "--account",
            "clinic",
            "--title",
            title,
            "--value",
            value,
            "--currency",
            cur,
            "--probability",
            p,
            "--stage",
            "proposal",
        ]);
    }
    let p = nb.json(&["deal", "list", "--json"]);
    assert_eq!(p["open"]["value"]["EUR"], 400.0);
    assert_eq!(p["open"]["weighted"]["EUR"], 80.0);
    assert_eq!(p["open"]["weighted"]["RUB"], 1000.0);
    let text = nb.ok(&["deal", "list", "--stage", "proposal"]);
    assert!(
        text.contains("Σ EUR: value 400.00 EUR · weighted 80.00 EUR"),
        "{text}"
    );
    assert!(
        !text.contains("1,400"),
        "never summed across currencies: {text}"
    );
    let none = nb.ok(&["deal", "list", "--stage", "won"]);
    assert_eq!(none.trim(), "No deals.");
}

#[test]
fn obligations_age_as_receivables_until_done() {
    let nb = notebook();
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Contract",
        "--kind",
        "contract",
    ]);
    nb.ok(&[
        "deal",
        "obligation",
        "add",
        "#d1",
        "Invoice 118",
        "--due",
        "2026-08-01",
        "--party",
        "client",
        "--kind",
        "payment",
        "--amount",
        "1000",
        "--currency",
        "EUR",
    ]);
    nb.ok(&[
        "deal",
        "obligation",
        "add",
        "#d1",
        "Deliver Q4",
        "--due",
        "2026-12-01",
        "--party",
        "us",
        "--kind",
        "delivery",
    ]);
    let r = nb.json(&["receivables", "--json"]);
    assert_eq!(r["items"].as_array().unwrap().len(), 1);
    assert_eq!(r["items"][0]["days_overdue"], 118);
    assert_eq!(r["items"][0]["bucket"], "90+");
    assert_eq!(r["overdue"]["EUR"], 1000.0);
    let agenda = nb.ok(&["agenda"]);
    assert!(agenda.contains("Overdue contract obligations"), "{agenda}");
    nb.ok(&["deal", "obligation", "done", "1"]);
    let r = nb.json(&["receivables", "--json"]);
    assert!(r["items"].as_array().unwrap().is_empty());
}

#[test]
fn pareto_and_report_run_on_a_small_notebook() {
    let nb = notebook();
    let p = nb.json(&["pareto", "--json"]);
    assert_eq!(p["rankings"][0]["currency"], "EUR");
    // One account: too few to suggest a tier.
    assert_eq!(
        p["rankings"][0]["accounts"][0]["suggested"],
        serde_json::Value::Null
    );
    let md = nb.ok(&["report", "week"]);
    assert!(
        md.starts_with("# Weekly report: Mon 23 Nov 2026 to Sun 29 Nov 2026"),
        "{md}"
    );
    let file = nb.dir.path().join("week.md");
    nb.ok(&["report", "month", "-o", file.to_str().unwrap()]);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("## Pipeline and forecast")
    );
}

#[test]
fn the_report_counts_a_deal_by_its_last_close_in_the_period() {
    let nb = notebook();
    for title in ["Twice won", "Won then lost", "Won then reopened"] {
        nb.ok(&[
            "deal",
            "add",
            "--account",
            "clinic",
            "--title",
            title,
            "--value",
            "1000",
            "--currency",
            "EUR",
        ]);
    }
    // #d1: won, reopened, won again.
    nb.ok(&["stage", "#d1", "won"]);
    nb.ok(&["stage", "#d1", "negotiation"]);
    nb.ok(&["stage", "#d1", "won"]);
    // #d2: won, then lost.
    nb.ok(&["stage", "#d2", "won"]);
    nb.ok(&["stage", "#d2", "lost", "--note", "price"]);
    // #d3: won, then reopened and still open.
    nb.ok(&["stage", "#d3", "won"]);
    nb.ok(&["stage", "#d3", "negotiation"]);
    let md = nb.ok(&["report", "week"]);
    assert!(md.contains("\nWon: 1 (1,000.00 EUR)."), "{md}");
    assert!(md.contains("\nLost: 1 (1,000.00 EUR)."), "{md}");
    // The closed lists come after "New:", which names all three.
    let closed = &md[md.find("\nWon:").unwrap()..md.find("## Pipeline").unwrap()];
    assert_eq!(closed.matches("- Twice won ·").count(), 1, "{md}");
    assert_eq!(closed.matches("- Won then lost ·").count(), 1, "{md}");
    assert!(
        closed.contains("- Won then lost · Hospital Clínic · 1,000.00 EUR — price"),
        "{md}"
    );
    assert!(!closed.contains("Won then reopened"), "{md}");
}

#[test]
fn a_deal_is_archived_out_of_pipeline_agenda_and_receivables_and_restored() {
    let nb = notebook();
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Supply 2027",
        "--value",
        "90000",
        "--currency",
        "EUR",
        "--close",
        "2026-11-30",
    ]);
    nb.ok(&[
        "deal",
        "obligation",
        "add",
        "#d1",
        "Invoice 118",
        "--due",
        "2026-11-28",
        "--party",
        "client",
        "--kind",
        "payment",
        "--amount",
        "30000",
        "--currency",
        "EUR",
    ]);
    assert!(nb.ok(&["deal", "list"]).contains("Supply 2027"));
    assert!(nb.ok(&["receivables"]).contains("Invoice 118"));
    assert!(nb.ok(&["agenda", "--days", "7"]).contains("Supply 2027"));

    let out = nb.ok(&["deal", "archive", "supply"]);
    assert_eq!(out.trim(), "Archived deal #d1 Supply 2027");
    // Twice is refused, saying how to bring it back.
    let err = nb.refused(&["deal", "archive", "#d1"]);
    assert!(
        err.contains("already archived; `kam deal restore #d1`"),
        "{err}"
    );
    assert_eq!(nb.ok(&["deal", "list"]).trim(), "No deals.");
    assert!(!nb.ok(&["receivables"]).contains("Invoice 118"));
    assert!(!nb.ok(&["agenda", "--days", "7"]).contains("Supply 2027"));
    // Shown where asked, with a marker.
    let shelf = nb.ok(&["deal", "list", "--archived"]);
    assert!(
        shelf.contains("Supply 2027") && shelf.contains("(archived)"),
        "{shelf}"
    );
    let show = nb.ok(&["deal", "show", "#d1"]);
    assert!(
        show.contains("Archived 2026-11-27 · kam deal restore #d1"),
        "{show}"
    );
    let history = nb.ok(&["history", "#d1"]);
    assert!(history.contains("deal archive"), "{history}");

    // Undone: back in the pipeline; archived again, then restored.
    let undo = nb.ok(&["undo"]);
    assert!(undo.contains("Undid deal archive"), "{undo}");
    assert!(nb.ok(&["deal", "list"]).contains("Supply 2027"));
    nb.ok(&["deal", "archive", "#d1"]);
    let out = nb.ok(&["deal", "restore", "#d1"]);
    assert_eq!(out.trim(), "Restored deal #d1 Supply 2027");
    assert!(nb.ok(&["receivables"]).contains("Invoice 118"));
    let err = nb.refused(&["deal", "restore", "#d1"]);
    assert!(err.contains("#d1 Supply 2027 is not archived"), "{err}");
}

#[test]
fn a_plan_is_archived_out_of_the_lists_and_restored() {
    let nb = notebook();
    nb.ok(&[
        "plan",
        "add",
        "--account",
        "clinic",
        "--objective",
        "Advisory board",
        "--budget",
        "20000",
        "--currency",
        "EUR",
    ]);
    assert!(nb.ok(&["plan", "list"]).contains("Advisory board"));
    let out = nb.ok(&["plan", "archive", "1"]);
    assert_eq!(out.trim(), "Archived plan #1: Advisory board");
    assert_eq!(nb.ok(&["plan", "list"]).trim(), "No plans.");
    assert!(
        !nb.ok(&["account", "show", "clinic"])
            .contains("Advisory board")
    );
    let shelf = nb.ok(&["plan", "list", "--archived"]);
    assert!(
        shelf.contains("Advisory board") && shelf.contains("archived"),
        "{shelf}"
    );
    assert!(
        nb.ok(&["plan", "show", "#1"])
            .contains("Archived 2026-11-27")
    );
    let err = nb.refused(&["plan", "archive", "#1"]);
    assert!(
        err.contains("already archived; `kam plan restore 1`"),
        "{err}"
    );
    assert!(nb.ok(&["undo"]).contains("Undid plan archive"));
    assert!(nb.ok(&["plan", "list"]).contains("Advisory board"));
    nb.ok(&["plan", "archive", "1"]);
    assert_eq!(
        nb.ok(&["plan", "restore", "#1"]).trim(),
        "Restored plan #1: Advisory board"
    );
    assert!(
        nb.ok(&["account", "show", "clinic"])
            .contains("Advisory board")
    );
    assert!(
        nb.refused(&["plan", "restore", "1"])
            .contains("is not archived")
    );
}

#[test]
fn an_archived_deal_and_plan_stay_archived_through_export_and_import() {
    let nb = notebook();
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Supply 2027",
    ]);
    nb.ok(&[
        "plan",
        "add",
        "--account",
        "clinic",
        "--objective",
        "Advisory board",
    ]);
    nb.ok(&["deal", "archive", "#d1"]);
    nb.ok(&["plan", "archive", "1"]);
    let file = nb.dir.path().join("out.jsonl");
    nb.ok(&["export", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        text.matches("\"archived_at\":\"2026-11-27").count(),
        2,
        "{text}"
    );

    let other = Shell::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.ok(&["deal", "list"]).trim(), "No deals.");
    assert!(
        other
            .ok(&["deal", "list", "--archived"])
            .contains("Supply 2027")
    );
    assert!(
        other
            .ok(&["plan", "list", "--archived"])
            .contains("Advisory board")
    );
    other.ok(&["deal", "restore", "#d1"]);
    assert!(other.ok(&["deal", "list"]).contains("Supply 2027"));
}
