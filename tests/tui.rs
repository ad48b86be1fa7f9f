//! The full-screen notebook driven headless: the app receives actions (as the keymap would send
//! them) and renders into a ratatui `TestBackend` at 80×24, with a fixed clock and the demo
//! notebook. Snapshots are independent of the machine's time zone: the clock and the demo's
//! times are both set in local time.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use chrono::{Local, NaiveDate, TimeZone};
use kamnote::clock::Clock;
use kamnote::store::Store;
use kamnote::tui::{Action, App, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The demo notebook in memory, seen on 27 Nov 2026 at 08:10 local time.
fn demo_app() -> App {
    let at = Local
        .from_local_datetime(&today().and_hms_opt(8, 10, 0).unwrap())
        .earliest()
        .unwrap();
    let clock = Clock::fixed(at.to_utc());
    let mut store = Store::open_in_memory().unwrap();
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
fn agenda_today() {
    let app = demo_app();
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn agenda_next_day_and_week() {
    let mut app = demo_app();
    run(&mut app, &[Action::NextDay]);
    insta::assert_snapshot!("agenda_tomorrow", screen(&app, 80, 24));
    run(&mut app, &[Action::Today, Action::ToggleWeek]);
    insta::assert_snapshot!("agenda_week", screen(&app, 80, 24));
}

#[test]
fn help_lists_the_keys_of_the_screen() {
    let mut app = demo_app();
    run(&mut app, &[Action::Help]);
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("previous day") && text.contains("follow-up done"),
        "{text}"
    );
    insta::assert_snapshot!("agenda_help", text);
}

#[test]
fn a_follow_up_is_done_from_the_agenda() {
    let mut app = demo_app();
    // The first entry is the oldest overdue follow-up.
    run(&mut app, &[Action::FollowUpDone]);
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with("Done: Book the room"),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 80, 24).contains("Overdue follow-ups (5)"));
}

#[test]
fn snoozing_shows_the_parsed_date_and_refuses_a_bad_one() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = demo_app();
    run(&mut app, &[Action::Snooze]);
    for c in "2026-02-30".chars() {
        run(
            &mut app,
            &[Action::Input(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            ))],
        );
    }
    assert!(screen(&app, 80, 24).contains("February 2026 has 28 days"));
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .contains("February 2026 has 28 days")
    );
    for _ in 0..10 {
        run(
            &mut app,
            &[Action::Input(KeyEvent::new(
                KeyCode::Backspace,
                KeyModifiers::NONE,
            ))],
        );
    }
    for c in "+1w".chars() {
        run(
            &mut app,
            &[Action::Input(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            ))],
        );
    }
    assert!(screen(&app, 80, 24).contains("Fri 4 Dec 2026"));
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with("Snoozed to Fri 4 Dec 2026"),
        "{:?}",
        app.status()
    );
}

#[test]
fn tiny_terminals_say_so_and_never_panic() {
    let app = demo_app();
    assert!(screen(&app, 39, 12).contains("terminal too small"));
    for (w, h) in [
        (1, 1),
        (40, 12),
        (41, 13),
        (120, 40),
        (300, 100),
        (2, 50),
        (300, 3),
    ] {
        let _ = screen(&app, w, h);
    }
}
