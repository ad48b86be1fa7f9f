//! The deals (`4`) and insights (`5`) screens, and the account dossier's deals tab, driven
//! headless on the demo notebook at 80×24 with a fixed clock (as tests/tui.rs does).

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use chrono::{Local, NaiveDate, TimeZone};
use kamnote::clock::Clock;
use kamnote::store::{Store, TargetKind};
use kamnote::tui::{Action, App, ScreenKind, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The demo notebook in memory, seen on 27 Nov 2026 at 08:10 local time.
fn demo_app() -> App {
    demo_app_in(Store::open_in_memory().unwrap())
}

fn morning() -> chrono::DateTime<Local> {
    Local
        .from_local_datetime(&today().and_hms_opt(8, 10, 0).unwrap())
        .earliest()
        .unwrap()
}

fn demo_app_in(mut store: Store) -> App {
    let at = morning();
    let clock = Clock::fixed(at.to_utc());
    let lines = kamnote::demo::demo_lines(today(), *at.fixed_offset().offset());
    kamnote::interop::jsonl::import(
        &mut store,
        lines.join("\n").as_bytes(),
        at.fixed_offset(),
        &mut |_| {},
    )
    .unwrap();
    App::new(store, clock, Theme::plain())
}

fn screen(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..width {
            // A wide character fills two cells; the second one is not text of its own.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = kamnote::text::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn run(app: &mut App, actions: &[Action]) {
    for &a in actions {
        let mut next = Some(a);
        while let Some(action) = next {
            next = app.update(action);
        }
    }
}

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
