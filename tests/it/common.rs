//! What the headless TUI tests share: the demo notebook seen at a fixed morning, actions run
//! to completion, and a rendered screen as text.

#![allow(dead_code)] // each test module uses its own part
#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use std::time::{Duration, Instant};

use chrono::{Local, NaiveDate, TimeZone};
use kamnote::clock::Clock;
use kamnote::store::Store;
use kamnote::tui::{Action, App, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The demo notebook in memory, seen on 27 Nov 2026 at 08:10 local time.
pub fn demo_app() -> App {
    demo_app_in(Store::open_in_memory().unwrap())
}

pub fn morning() -> chrono::DateTime<Local> {
    Local
        .from_local_datetime(&today().and_hms_opt(8, 10, 0).unwrap())
        .earliest()
        .unwrap()
}

pub fn demo_app_in(mut store: Store) -> App {
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

pub fn screen(app: &App, width: u16, height: u16) -> String {
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

pub fn run(app: &mut App, actions: &[Action]) {
    for &a in actions {
        let mut next = Some(a);
        while let Some(action) = next {
            next = app.update(action);
        }
    }
}

/// A key through the keymap of the moment, carried out as the event loop does.
pub fn key(app: &mut App, code: crossterm::event::KeyCode) {
    let event = crossterm::event::KeyEvent::new(code, crossterm::event::KeyModifiers::NONE);
    if let Some(a) = app.key(&event) {
        run(app, &[a]);
    }
}

/// Characters typed through the keymap of the moment.
pub fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, crossterm::event::KeyCode::Char(c));
    }
}

/// The number after `prefix` in `text` ("#f9 ..." → 9).
pub fn id_after(text: &str, prefix: &str) -> i64 {
    let at = text
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} in {text}"))
        + prefix.len();
    text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Takes the reader threads' answers until `done` holds for the screen (at most 20 s: a
/// hang fails the test, a slow machine does not).
pub fn answered(app: &mut App, done: impl Fn(&str) -> bool) -> String {
    let end = Instant::now() + Duration::from_secs(20);
    loop {
        app.take_answers();
        let text = screen(app, 100, 30);
        if done(&text) {
            return text;
        }
        assert!(Instant::now() < end, "never answered:\n{text}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// The demo in a notebook file, its reads on reader threads.
pub fn file_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("kam.db")).unwrap();
    let mut app = demo_app_in(store);
    app.read_in_background();
    (dir, app)
}

/// Waits until the reader threads have answered everything asked at start (at most 20 s).
pub fn read_ahead(app: &mut App) {
    let end = Instant::now() + Duration::from_secs(20);
    while app.waiting() {
        app.take_answers();
        assert!(Instant::now() < end, "the read-ahead never answered");
        std::thread::sleep(Duration::from_millis(5));
    }
}
