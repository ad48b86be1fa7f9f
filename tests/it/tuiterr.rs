//! Loose ends of issue 14 end to end: a spend recorded in the TUI names whom it benefited,
//! warned against the `[compliance]` caps first, and is a transfer of value in `kam tov`; a
//! subject access (`kam export --about`) carries the person's objections, roles in deals and
//! transfers of value, and imports on its own.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use super::common::{key, run, screen, typed};
use super::shell::Shell;
use crossterm::event::KeyCode;
use kamnote::store::{Store, TargetKind};
use kamnote::tui::{Action, App, Theme};

/// The caps of the spend tests: 60 EUR a meal per guest, 1,000 EUR a year per person.
const CAPS: &str = "[compliance]\nmeal_cap_per_guest = 60\nannual_limit_per_person = 1000\n\
                    currency = \"EUR\"\n";

/// Hospital Clínic with Ana and Luis, a tender, a product, and an advisory board plan in EUR.
fn territory() -> Shell {
    territory_in(Shell::new())
}

fn territory_in(nb: Shell) -> Shell {
    nb.ok(&["account", "add", "Hospital Clínic", "--city", "Barcelona"]);
    nb.ok(&["person", "add", "Ana López", "--account", "clinic"]);
    nb.ok(&["person", "add", "Luis Pérez", "--account", "clinic"]);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Tender 2027",
    ]);
    nb.ok(&["product", "add", "Oncomab"]);
    nb.ok(&[
        "plan",
        "add",
        "--account",
        "clinic",
        "--objective",
        "Advisory board",
        "--budget",
        "5000",
        "--currency",
        "EUR",
        "--notes",
        "Our strategy for the board",
    ]);
    nb
}

#[test]
fn a_subject_access_carries_objections_deal_roles_and_transfers_and_imports_back() {
    let nb = territory();
    nb.ok(&[
        "deal",
        "person",
        "add",
        "#d1",
        "ana",
        "--role",
        "evaluation-committee",
    ]);
    nb.ok(&[
        "objection",
        "add",
        "ana",
        "onco",
        "Too dear for the day hospital",
    ]);
    nb.ok(&["objection", "add", "luis", "onco", "Luis's own worry"]);
    nb.ok(&[
        "plan",
        "spend",
        "1",
        "90",
        "--category",
        "hospitality",
        "--for",
        "ana",
    ]);
    nb.ok(&[
        "plan",
        "spend",
        "1",
        "70",
        "--category",
        "hospitality",
        "--for",
        "luis",
    ]);
    let file = nb.dir.path().join("ana.jsonl");
    nb.ok(&["export", "--about", "ana", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |kind: &str| -> Vec<&serde_json::Value> {
        lines.iter().filter(|l| l["type"] == kind).collect()
    };
    assert_eq!(of("objection").len(), 1, "{text}");
    assert_eq!(of("objection")[0]["text"], "Too dear for the day hospital");
    assert_eq!(of("deal_person").len(), 1, "{text}");
    assert_eq!(of("deal_person")[0]["role"], "evaluation-committee");
    assert_eq!(of("deal").len(), 1, "the deal she has a role in: {text}");
    assert_eq!(of("product").len(), 1, "{text}");
    let plan = of("plan")[0];
    let spends = plan["x-spend"].as_array().unwrap();
    assert_eq!(spends.len(), 1, "her meal only: {plan}");
    assert_eq!(spends[0]["amount"], 90.0);
    assert!(!text.contains("Luis's own worry"), "{text}");
    assert!(
        !text.contains("Our strategy"),
        "the account's plan notes stay out: {text}"
    );
    let history: Vec<&str> = lines[0]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["command"].as_str().unwrap())
        .collect();
    for command in ["deal person add", "objection add", "plan spend"] {
        assert!(history.contains(&command), "{command} not in {history:?}");
    }
    assert!(
        !history.contains(&"plan add"),
        "the account's plan is no record of hers: {history:?}"
    );
    // It imports on its own, and her transfer of value is there.
    let other = Shell::new();
    other.ok(&["import", file.to_str().unwrap()]);
    let tov = other.ok(&["tov", "2026", "--person", "ana"]);
    assert!(tov.contains("90.00 EUR"), "{tov}");
    // Markdown, for her to read.
    let md = nb.ok(&["export", "--about", "ana", "--format", "md"]);
    for t in [
        "## Your roles in those deals (1)",
        "Tender 2027 — evaluation-committee",
        "## Objections you raised (1)",
        "Oncomab: Too dear for the day hospital",
        "## Products referred to (1)",
        "hospitality 90.0 meal Ana López",
    ] {
        assert!(md.contains(t), "{t} missing in {md}");
    }
}

/// The TUI on the shell's notebook, at the shell's moment, with `config`.
fn tui(nb: &Shell, config: &str) -> App {
    let store = Store::open(&nb.dir.path().join("kam.db")).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(super::shell::NOW).unwrap();
    let clock = kamnote::clock::Clock::fixed(now.to_utc());
    let config = kamnote::config::Config::parse(config).unwrap();
    App::with_config(store, clock, Theme::plain(), config)
}

fn status(app: &App) -> String {
    app.status().unwrap_or("").to_string()
}

/// Opens the `$` form of the clinic's plan and fills amount and category; focus on Day.
fn spend_form(app: &mut App, amount: &str, category: &str) {
    run(app, &[Action::Open(TargetKind::Account, 1)]);
    key(app, KeyCode::Char('p'));
    key(app, KeyCode::Char('$'));
    typed(app, amount);
    key(app, KeyCode::Tab);
    for _ in 0..12 {
        key(app, KeyCode::Backspace);
    }
    typed(app, category);
    key(app, KeyCode::Tab);
}

#[test]
fn a_tui_spend_names_its_guests_is_warned_over_the_cap_and_is_a_transfer_of_value() {
    let nb = territory_in(Shell::with_config(CAPS));
    let mut app = tui(&nb, CAPS);
    spend_form(&mut app, "130", "hospitality");
    key(&mut app, KeyCode::Tab); // Day: today
    key(&mut app, KeyCode::Tab); // Note
    // For offers the account's people as a name is typed; → takes the one picked.
    typed(&mut app, "l");
    let offered = screen(&app, 100, 30);
    assert!(offered.contains("Ana López"), "{offered}");
    assert!(offered.contains("Luis Pérez"), "{offered}");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Right);
    typed(&mut app, "ana");
    key(&mut app, KeyCode::Right);
    let form = screen(&app, 100, 30);
    assert!(form.contains("Luis Pérez, Ana López,"), "{form}");
    // 130 for two is 65 a guest: warned in the popup, nothing written yet.
    key(&mut app, KeyCode::Enter);
    assert!(
        status(&app).contains("Over a compliance rule"),
        "{}",
        status(&app)
    );
    let warned = screen(&app, 100, 30);
    assert!(
        warned.contains("the meal is 65.00 EUR per guest, over the cap of 60.00 EUR"),
        "{warned}"
    );
    assert!(app.store().reader().plan_spends(1).unwrap().is_empty());
    // Enter again records it as it is.
    key(&mut app, KeyCode::Enter);
    let said = status(&app);
    assert_eq!(
        said,
        "Spent 130 EUR on plan #1 (meal for 2 people) — over a compliance rule, as warned"
    );
    // The plans popup says whom it benefited.
    key(&mut app, KeyCode::Char('p'));
    let panel = screen(&app, 100, 30);
    assert!(panel.contains("(meal for Ana López, Luis"), "{panel}");
    drop(app);
    let tov = nb.ok(&["tov", "2026"]);
    assert!(tov.contains("Ana López"), "{tov}");
    assert!(tov.contains("Luis Pérez"), "{tov}");
    assert!(tov.contains("65.00 EUR"), "{tov}");
    assert!(tov.contains("Meals"), "{tov}");
}

#[test]
fn a_tui_fee_needs_someone_named_in_for() {
    let nb = territory_in(Shell::with_config(CAPS));
    let mut app = tui(&nb, CAPS);
    spend_form(&mut app, "500", "other");
    for _ in 0..3 {
        key(&mut app, KeyCode::Tab); // Note, For, Transfer
    }
    typed(&mut app, "fee");
    key(&mut app, KeyCode::Enter);
    assert!(
        status(&app).starts_with("Not saved — For: a fee is a transfer of value to someone"),
        "{}",
        status(&app)
    );
    // Named in full, with the transfer said: within the caps, saved at once.
    key(&mut app, KeyCode::BackTab);
    typed(&mut app, "Ana López");
    key(&mut app, KeyCode::Enter);
    assert_eq!(status(&app), "Spent 500 EUR on plan #1 (fee for Ana López)");
    drop(app);
    let tov = nb.ok(&["tov", "2026", "--person", "ana"]);
    assert!(
        tov.contains("Fee for service and consultancy: fees"),
        "{tov}"
    );
    assert!(tov.contains("500.00 EUR"), "{tov}");
}

/// #11.1: a sheet that names one account twice, in two cases, writes one account and says so.
#[test]
fn an_account_named_twice_in_two_cases_is_counted_once() {
    let nb = Shell::new();
    let said = nb.import_bytes(
        "accounts.csv",
        "name,city\nHospital Clínic,Barcelona\nHOSPITAL CLÍNIC,Madrid\n".as_bytes(),
        &[],
    );
    assert!(said.contains("2 rows read, 1 record written"), "{said}");
    assert!(
        said.contains("Imported: added 1 account; updated nothing; skipped nothing"),
        "{said}"
    );
    assert!(
        said.contains("note: line 3: the same account as line 2"),
        "{said}"
    );
    assert_eq!(nb.records("account").len(), 1);
    // Again: the one account is updated once (the first line gives Barcelona back, the second
    // Madrid), not twice.
    let again = nb.import_bytes(
        "accounts.csv",
        "name,city\nHospital Clínic,Barcelona\nHOSPITAL CLÍNIC,Madrid\n".as_bytes(),
        &[],
    );
    assert!(
        again.contains("Imported: added nothing; updated 1 account; skipped nothing"),
        "{again}"
    );
}
