//! The TUI's reads off the UI thread and what it keeps between reads (issue 16): a search typed
//! is answered by a reader thread, the insights are read ahead, a screen whose data did not
//! change is not read again. Nothing here is timed: it waits for answers, it never measures.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use crate::common;

use common::{answered, demo_app, file_app, read_ahead, run, screen};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kamnote::store::Store;
use kamnote::tui::{Action, ScreenKind};

fn key(c: char) -> Action {
    Action::Input(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[test]
fn a_search_typed_is_run_by_the_reader_thread_and_shown_when_it_answers() {
    let (_dir, mut app) = file_app();
    run(&mut app, &[Action::Search]);
    for c in "contract".chars() {
        run(&mut app, &[key(c)]);
        // The UI thread only sends it: what is pending is sent once, never waited for.
        if app.pending() {
            run(&mut app, &[Action::Refresh]);
        }
        assert!(!app.pending());
    }
    let text = answered(&mut app, |t| {
        t.lines()
            .any(|l| l.contains("Search: contract") && !l.contains('…'))
    });
    assert!(text.contains("contract"), "{text}");
    assert!(!text.contains("No matches"), "{text}");
}

#[test]
fn the_insights_are_read_ahead_and_shown_from_what_was_kept() {
    let (_dir, mut app) = file_app();
    // Read ahead at start: once answered, `5` shows the figures without a read.
    read_ahead(&mut app);
    let before = app.loads();
    run(&mut app, &[Action::Go(ScreenKind::Insights)]);
    let text = screen(&app, 100, 30);
    assert!(text.contains("Pareto"), "{text}");
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    assert!(screen(&app, 100, 30).contains("Open pipeline"));
    run(&mut app, &[Action::Go(ScreenKind::People)]);
    assert!(screen(&app, 100, 30).contains("1 of "));
    assert_eq!(app.loads(), before, "all four were read ahead");
}

#[test]
fn the_agenda_is_not_read_again_when_nothing_changed_and_is_after_a_write() {
    let mut app = demo_app();
    let start = app.loads();
    run(&mut app, &[Action::Go(ScreenKind::Accounts)]);
    assert_eq!(app.loads(), start + 1);
    run(&mut app, &[Action::Go(ScreenKind::Agenda)]);
    assert_eq!(
        app.loads(),
        start + 1,
        "the agenda was read again for nothing"
    );
    // A write (here: completing the first follow-up) is a change: the agenda is read again.
    run(&mut app, &[Action::FollowUpDone]);
    run(&mut app, &[Action::Go(ScreenKind::Agenda)]);
    assert!(app.loads() > start + 1);
}

/// A search on screen is run again when another window writes: its results would be stale
/// (review finding: the search was sent once per query, whatever the notebook held).
#[test]
fn a_search_shown_is_run_again_after_another_window_writes() {
    let (dir, mut app) = file_app();
    run(&mut app, &[Action::Search]);
    for c in "zzqx".chars() {
        run(&mut app, &[key(c)]);
        if app.pending() {
            run(&mut app, &[Action::Refresh]);
        }
    }
    let before = answered(&mut app, |t| t.contains("No matches"));
    assert!(!before.contains("Zzqx Clinic"), "{before}");
    let mut other = Store::open(&dir.path().join("kam.db")).unwrap();
    let text = "{\"type\":\"kamnote\",\"version\":1,\"exported_at\":\"2026-03-02T10:00:00+01:00\"}\n\
                {\"type\":\"account\",\"uid\":\"zz1\",\"name\":\"Zzqx Clinic\"}\n";
    let at = chrono::DateTime::parse_from_rfc3339("2026-03-02T10:00:00+01:00").unwrap();
    kamnote::interop::jsonl::import(&mut other, text.as_bytes(), at, &mut |_| {}).unwrap();
    drop(other);
    assert!(app.tick(), "the other window's write is seen");
    let after = answered(&mut app, |t| t.contains("Zzqx Clinic"));
    assert!(!after.contains("No matches"), "{after}");
}
