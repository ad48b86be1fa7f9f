//! Lesser fixes found with the sync review: the insights screen counts the accounts behind
//! their target, not their figures (an account behind in two currencies is one).

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use kamnote::clock::Clock;
use kamnote::config::Config;
use kamnote::store::Store;
use kamnote::tui::{Action, App, ScreenKind, Theme};

use super::common::{morning, run, screen};
use super::shell::Shell;

const CONFIG: &str = "[deals]\nbase_currency = \"EUR\"\nrates = { USD = 0.5 }\n";

#[test]
fn an_account_behind_in_two_currencies_is_one_account_behind() {
    let nb = Shell::with_config(CONFIG);
    nb.ok(&["account", "add", "London Clinic", "--currency", "GBP"]);
    nb.ok(&["account", "add", "Hospital Clínic", "--currency", "EUR"]);
    for (account, currency, target, actual) in [
        ("London", "GBP", "10000", "5000"),
        ("London", "EUR", "20000", "1000"),
        ("Hospital Clínic", "EUR", "100000", "90000"),
    ] {
        nb.ok(&[
            "sales",
            "add",
            account,
            "2026-11",
            "--target",
            target,
            "--actual",
            actual,
            "--currency",
            currency,
        ]);
    }
    let store = Store::open(&nb.dir.path().join("kam.db")).unwrap();
    let mut app = App::with_config(
        store,
        Clock::fixed(morning().to_utc()),
        Theme::plain(),
        Config::parse(CONFIG).unwrap(),
    );
    run(&mut app, &[Action::Go(ScreenKind::Insights)]);
    let text = screen(&app, 120, 34);
    assert!(text.contains("Behind target: 2"), "{text}");
}
