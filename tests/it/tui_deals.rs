//! The deals (`4`) and insights (`5`) screens, and the account dossier's deals tab, driven
//! headless on the demo notebook at 80×24 with a fixed clock (as tests/it/tui.rs does).

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use crate::common;

use common::{demo_app, run, screen};
use kamnote::store::TargetKind;
use kamnote::tui::{Action, ScreenKind};

#[test]
fn the_pipeline_by_stage_and_the_tender_calendar() {
    let mut app = demo_app();
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    insta::assert_snapshot!("deals_pipeline", screen(&app, 80, 24));
    // Down to the first deal of the first stage, then Enter opens its account.
    run(
        &mut app,
        &[
            Action::Down,
            Action::Down,
            Action::Down,
            Action::OpenSelected,
        ],
    );
    let opened = screen(&app, 80, 24);
    assert!(opened.contains("Account"), "{opened}");
    run(&mut app, &[Action::Back, Action::ToggleCalendar]);
    insta::assert_snapshot!("deals_calendar", screen(&app, 80, 24));
}

#[test]
fn the_insights_screen() {
    let mut app = demo_app();
    run(&mut app, &[Action::Go(ScreenKind::Insights)]);
    insta::assert_snapshot!("insights", screen(&app, 80, 24));
}

#[test]
fn the_account_deals_tab_shows_weighted_values() {
    let mut app = demo_app();
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, 3),
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
            Action::NextTab,
        ],
    );
    insta::assert_snapshot!("account_deals_weighted", screen(&app, 80, 24));
}
