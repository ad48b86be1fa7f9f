//! Target against actual and commission where the KAM reads them (issue 14.6), and the TUI
//! coverage screen (issue 14.2): the account dossier's sales section (`kam show` and the TUI),
//! the period report across accounts in the base currency (a converted currency and one without
//! a rate), `kam sales list`'s year so far, the insights screen's year to date, furthest behind
//! and commission per month, and the coverage screen on `6` with `Enter` opening the account.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use crossterm::event::KeyCode;
use kamnote::clock::Clock;
use kamnote::config::Config;
use kamnote::store::Store;
use kamnote::tui::{Action, App, ScreenKind, Theme};

use super::common::{demo_app, key, morning, run, screen};
use super::shell::Shell;

/// EUR is the base; USD converts at 0.5; GBP has no rate. The seed's commission scale.
const CONFIG: &str = "[deals]\nbase_currency = \"EUR\"\nrates = { USD = 0.5 }\n\
    commission_tiers = [ { up_to = 50000, rate = 15 }, { up_to = 500000, rate = 10 }, { rate = 5 } ]\n";

/// Hospital Clínic (EUR), Farmacias Unidas (USD) and London Clinic (GBP), with November's
/// targets and actuals (and October's for the clinic, and December's target to come).
fn territory() -> Shell {
    let nb = Shell::with_config(CONFIG);
    nb.ok(&["account", "add", "Hospital Clínic", "--currency", "EUR"]);
    nb.ok(&["account", "add", "Farmacias Unidas", "--currency", "USD"]);
    nb.ok(&["account", "add", "London Clinic", "--currency", "GBP"]);
    for (account, month, target, actual) in [
        ("Hospital Clínic", "2026-10", "100000", "120000"),
        ("Hospital Clínic", "2026-11", "100000", "80000"),
        ("Farmacias", "2026-11", "100000", "90000"),
        ("London", "2026-11", "10000", "5000"),
    ] {
        nb.ok(&[
            "sales", "add", account, month, "--target", target, "--actual", actual,
        ]);
    }
    nb.ok(&[
        "sales",
        "add",
        "Hospital Clínic",
        "2026-12",
        "--target",
        "100000",
    ]);
    nb
}

#[test]
fn the_dossier_shows_the_year_to_date_and_the_last_months() {
    let nb = territory();
    let show = nb.ok(&["account", "show", "Hospital Clínic"]);
    assert!(show.contains("Sales 2026: target against actual"), "{show}");
    // October and November count; December is still to come (and after today).
    assert!(
        show.contains("Year to date: 200,000 EUR of 200,000 EUR target (100 %) · 2 months"),
        "{show}"
    );
    assert!(
        show.contains("2026-11 · target 100,000 EUR · actual 80,000 EUR · 80 %"),
        "{show}"
    );
    assert!(!show.contains("2026-12"), "{show}");
    // An account without figures has no sales section.
    nb.ok(&["account", "add", "Nobody"]);
    assert!(!nb.ok(&["account", "show", "Nobody"]).contains("Sales 2026"));
}

#[test]
fn the_report_sets_target_against_actual_in_the_base_currency() {
    let nb = territory();
    let month = nb.ok(&["report", "month"]);
    // 100,000 EUR + 100,000 USD at 0.5 = 150,000 EUR target; 80,000 + 45,000 = 125,000 actual.
    assert!(month.contains("## Sales against target"), "{month}");
    assert!(
        month.contains("2026-11, all accounts, months with both a target and an actual."),
        "{month}"
    );
    assert!(
        month.contains("| EUR | 150,000 | 125,000 | 83 % |"),
        "{month}"
    );
    // GBP has no rate: apart, and said so.
    assert!(month.contains("| GBP | 10,000 | 5,000 | 50 % |"), "{month}");
    assert!(
        month.contains("Converted to EUR at the rates of [deals] rates: USD at 0.5 EUR."),
        "{month}"
    );
    assert!(month.contains("No rate to EUR for GBP"), "{month}");
    // Furthest behind: London (50 %), the clinic (80 %), Farmacias (90 %, in EUR).
    let london = month.find("| London Clinic | 10,000.00 GBP | 5,000.00 GBP | 50 % |");
    let clinic = month.find("| Hospital Clínic | 100,000.00 EUR | 80,000.00 EUR | 80 % |");
    let farmacias = month.find("| Farmacias Unidas | 50,000.00 EUR | 45,000.00 EUR | 90 % |");
    assert!(
        london.is_some() && london < clinic && clinic < farmacias,
        "{month}"
    );
    // The week of 27 Nov is in November; the week of 1 Dec spans November and December.
    let week = nb.ok(&["report", "week"]);
    assert!(
        week.contains("| EUR | 150,000 | 125,000 | 83 % |"),
        "{week}"
    );
    let spanning = nb.ok(&["report", "week", "--date", "2026-12-01"]);
    assert!(spanning.contains("2026-11 to 2026-12"), "{spanning}");
    // A month with no figures says so.
    let empty = nb.ok(&["report", "month", "--date", "2026-06-10"]);
    assert!(
        empty.contains("No month of 2026-06 has both a target and an actual"),
        "{empty}"
    );
    // Without a base currency nothing is converted: each currency on its own line.
    let plain = Shell::with_config("");
    plain.ok(&["account", "add", "Acme", "--currency", "USD"]);
    plain.ok(&[
        "sales", "add", "Acme", "2026-11", "--target", "10", "--actual", "5",
    ]);
    let report = plain.ok(&["report", "month"]);
    assert!(report.contains("| USD | 10 | 5 | 50 % |"), "{report}");
    assert!(!report.contains("Converted"), "{report}");
}

#[test]
fn sales_list_ends_with_the_year_so_far_and_who_is_behind() {
    let nb = territory();
    let list = nb.ok(&["sales", "list"]);
    assert!(
        list.contains("2026 so far, all accounts (months with both figures)"),
        "{list}"
    );
    // October counts too: 250,000 EUR target, 245,000 actual.
    assert!(
        list.contains("245,000 EUR of 250,000 EUR target (98 %)"),
        "{list}"
    );
    assert!(list.contains("No rate to EUR for GBP"), "{list}");
    let behind = list.split("Furthest behind:").nth(1).unwrap();
    let first = behind.lines().nth(1).unwrap();
    assert!(first.contains("London Clinic"), "{list}");
    assert!(first.contains("short 5,000.00 GBP"), "{list}");
    // One account: no territory summary.
    let one = nb.ok(&["sales", "list", "Farmacias"]);
    assert!(!one.contains("all accounts"), "{one}");
}

/// The TUI on `nb`'s notebook, with `CONFIG`, at the tests' fixed morning (27 Nov 2026).
fn app_on(nb: &Shell) -> App {
    let store = Store::open(&nb.dir.path().join("kam.db")).unwrap();
    let config = Config::parse(CONFIG).unwrap();
    App::with_config(
        store,
        Clock::fixed(morning().to_utc()),
        Theme::plain(),
        config,
    )
}

/// `territory` with a paid client payment in October on a 900,000 EUR deal (5 %: 15,000
/// earned) and an open 400,000 EUR deal at 90 % closing in December (10 %: 36,000 forecast).
fn territory_with_commission() -> Shell {
    let nb = territory();
    for (title, value, probability, close) in [
        ("Big tender", "900000", "100", None),
        ("Supply", "400000", "90", Some("2026-12-15")),
    ] {
        let close: Vec<&str> = close.map(|c| vec!["--close", c]).unwrap_or_default();
        nb.ok(&[
            "deal",
            "add",
            "--account",
            "Hospital Clínic",
            "--title",
            title,
            "--value",
            value,
            "--currency",
            "EUR",
            "--probability",
            probability,
        ]
        .into_iter()
        .chain(close)
        .collect::<Vec<_>>());
    }
    nb.ok(&[
        "deal",
        "obligation",
        "add",
        "#d1",
        "First",
        "--due",
        "2026-10-01",
        "--party",
        "client",
        "--kind",
        "payment",
        "--amount",
        "300000",
        "--currency",
        "EUR",
    ]);
    nb.ok_at(
        "2026-10-05T10:00:00+00:00",
        &["deal", "obligation", "done", "1"],
    );
    nb
}

#[test]
fn insights_show_the_year_to_date_who_is_behind_and_commission_per_month() {
    let nb = territory_with_commission();
    let mut app = app_on(&nb);
    run(&mut app, &[Action::Go(ScreenKind::Insights)]);
    let text = screen(&app, 120, 34);
    assert!(text.contains("Sales vs target YTD"), "{text}");
    // October and November: 250k EUR target, 245k actual; GBP apart.
    assert!(text.contains("245k EUR of 250k EUR 98 %"), "{text}");
    assert!(text.contains("5k GBP of 10k GBP 50 %"), "{text}");
    assert!(text.contains("no rate for GBP: apart"), "{text}");
    // The clinic is at 100 % over the year (120 % in October, 80 % in November): not behind.
    assert!(text.contains("Behind target: 2"), "{text}");
    // Commission: 15,000 EUR earned in October, 36,000 EUR forecast for December.
    assert!(text.contains("Commission earned · forecast"), "{text}");
    assert!(text.contains(" Oct 15k EUR · —"), "{text}");
    assert!(text.contains(" Nov — · —"), "{text}");
    assert!(text.contains(" Dec — · 36k EUR"), "{text}");
    assert!(text.contains(" 2026 15k EUR · 36k EUR"), "{text}");
    insta::assert_snapshot!("insights_targets_commission", text);
    // After the two stage moves comes London, the furthest behind: Enter opens its dossier.
    run(&mut app, &[Action::Top, Action::Down, Action::Down]);
    key(&mut app, KeyCode::Enter);
    let opened = screen(&app, 120, 34);
    assert!(
        opened.lines().nth(1).unwrap().contains("London Clinic"),
        "{opened}"
    );
}

#[test]
fn the_tui_dossier_paints_the_sales_section() {
    let nb = territory();
    let mut app = app_on(&nb);
    run(&mut app, &[Action::Go(ScreenKind::Accounts)]);
    run(
        &mut app,
        &[Action::Open(kamnote::store::TargetKind::Account, 1)],
    );
    // The sales section is on the Deals tab, with the products.
    let mut text = String::new();
    for _ in 0..6 {
        text = screen(&app, 100, 30);
        if text.contains("Sales 2026") {
            break;
        }
        run(&mut app, &[Action::NextTab]);
    }
    assert!(text.contains("Sales 2026: target against actual"), "{text}");
    assert!(
        text.contains("Year to date: 200,000 EUR of 200,000 EUR target (100 %)"),
        "{text}"
    );
    assert!(
        text.contains("2026-10 · target 100,000 EUR · actual 120,000 EUR · 120 %"),
        "{text}"
    );
}

#[test]
fn the_coverage_screen_is_on_6_and_enter_opens_the_account() {
    let mut app = demo_app();
    key(&mut app, KeyCode::Char('6'));
    let text = screen(&app, 100, 30);
    // At 100 columns the header names the first five screens, then this one with its key.
    assert!(
        text.lines().next().unwrap().contains(" 6 Coverage "),
        "{text}"
    );
    assert!(
        screen(&app, 120, 30)
            .lines()
            .next()
            .unwrap()
            .contains("6 Coverage")
    );
    assert!(text.contains("key people in"), "{text}");
    assert!(text.contains("By stage"), "{text}");
    assert!(text.contains("never seen"), "{text}");
    assert!(text.contains("By account ("), "{text}");
    insta::assert_snapshot!("coverage_screen", text);
    // The second account line selected, Enter opens that account's dossier.
    let second = text
        .lines()
        .skip_while(|l| !l.starts_with("By account"))
        .nth(2)
        .unwrap()
        .trim_start()
        .to_string();
    let (id, rest) = second.split_once(' ').unwrap();
    assert!(id.starts_with("#a"), "{second}");
    let name = rest.split("  ").next().unwrap().trim();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    let opened = screen(&app, 100, 30);
    assert!(
        opened.lines().next().unwrap().contains(" Account "),
        "{opened}"
    );
    assert!(opened.contains(name), "{name} in {opened}");
    // Back, then the help lists the key; from the insights, `6` is in the footer and works.
    run(&mut app, &[Action::Back, Action::Help]);
    let help = screen(&app, 100, 30);
    assert!(help.contains("coverage"), "{help}");
    run(&mut app, &[Action::Back]);
    key(&mut app, KeyCode::Char('5'));
    let insights = screen(&app, 100, 30);
    assert!(
        insights.lines().last().unwrap().contains("6 coverage"),
        "{insights}"
    );
    key(&mut app, KeyCode::Char('6'));
    assert!(screen(&app, 100, 30).contains("By account ("));
}

#[test]
fn the_coverage_screen_of_an_empty_notebook_says_what_to_do() {
    let nb = Shell::with_config("");
    nb.ok(&["account", "add", "Acme"]);
    let mut app = app_on(&nb);
    run(&mut app, &[Action::Go(ScreenKind::Coverage)]);
    let text = screen(&app, 100, 30);
    assert!(text.contains("No key people (influence 4–5)"), "{text}");
    // Enter with nothing selected does nothing.
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 100, 30).contains("No key people"));
}

#[test]
fn the_coverage_screen_is_read_off_the_ui_thread_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("kam.db")).unwrap();
    let mut app = super::common::demo_app_in(store);
    app.read_in_background();
    run(&mut app, &[Action::Go(ScreenKind::Coverage)]);
    // The figures thread answers (at most 20 s: a hang fails, a slow machine does not).
    let end = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let text = loop {
        app.take_answers();
        let text = screen(&app, 100, 30);
        if text.contains("By account (") {
            break text;
        }
        assert!(std::time::Instant::now() < end, "never answered:\n{text}");
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(text.contains("47 key people in 29 accounts"), "{text}");
    // Back and again: what was kept is shown at once, with nothing written in between.
    run(&mut app, &[Action::Go(ScreenKind::Agenda)]);
    run(&mut app, &[Action::Go(ScreenKind::Coverage)]);
    assert!(screen(&app, 100, 30).contains("By account ("));
}
