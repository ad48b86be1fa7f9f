//! Cold reads at L (issue 16): a dossier is read on a reader thread of its own, opened or after
//! a change, and while it is read the screen keeps what it showed and the header says it is
//! updating. Nothing here is timed: it waits for answers, it never measures.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use crate::common;

use common::{answered, file_app, morning, read_ahead, run, screen};
use kamnote::domain::{Extra, Interaction, InteractionKind, InteractionStatus};
use kamnote::store::{Store, TargetKind};
use kamnote::tui::{Action, ScreenKind};

/// The header line of a rendered screen.
fn header(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}

/// The count on a dossier's Timeline tab.
fn timeline_tab(text: &str) -> usize {
    text.split("Timeline ")
        .nth(1)
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no Timeline tab:\n{text}"))
}

/// A note about `account` written by another window (another process's `kam note`).
fn note_from_another_window(path: &std::path::Path, account: i64, body: &str) {
    let mut other = Store::open(path).unwrap();
    let at = morning().fixed_offset();
    let note = Interaction {
        id: 0,
        uid: "coldload-note".into(),
        kind: InteractionKind::Note,
        at,
        end: None,
        account: Some(account),
        people: Vec::new(),
        mentioned: Vec::new(),
        title: Some(body.into()),
        body: Some(body.into()),
        location: None,
        status: InteractionStatus::Done,
        outcome: None,
        tags: Vec::new(),
        extra: Extra::new(),
    };
    other
        .write(at, |w| w.upsert_interaction(&note, None, None))
        .unwrap();
}

#[test]
fn a_dossier_is_read_off_the_ui_thread_and_says_it_is_updating_meanwhile() {
    let (dir, mut app) = file_app();
    let account = app.store().reader().accounts(1, 0).unwrap()[0].clone();
    let before = app.loads();
    run(&mut app, &[Action::Open(TargetKind::Account, account.id)]);
    assert_eq!(app.loads(), before, "the dossier was read on the UI thread");
    let opening = screen(&app, 100, 30);
    assert!(opening.contains("Loading…"), "{opening}");
    assert!(header(&opening).contains("updating…"), "{opening}");
    let shown = answered(&mut app, |t| {
        t.contains(&account.name) && !t.contains("Loading…")
    });
    assert!(!header(&shown).contains("updating…"), "{shown}");
    let notes = timeline_tab(&shown);

    // Another window writes about the account: seen at the next tick, read again off the UI
    // thread; meanwhile the dossier as it was stays on screen, saying it is updating.
    note_from_another_window(
        &dir.path().join("kam.db"),
        account.id,
        "Zzqx pallets agreed",
    );
    assert!(app.tick(), "the other window's write is seen");
    assert_eq!(
        app.loads(),
        before,
        "the dossier was read again on the UI thread"
    );
    let stale = screen(&app, 100, 30);
    assert!(stale.contains(&account.name), "{stale}");
    assert_eq!(timeline_tab(&stale), notes, "{stale}");
    assert!(header(&stale).contains("updating…"), "{stale}");
    let fresh = answered(&mut app, |t| timeline_tab(t) == notes + 1);
    assert!(!header(&fresh).contains("updating…"), "{fresh}");
}

#[test]
fn the_deals_screen_read_again_after_a_change_says_it_is_updating_until_answered() {
    let (dir, mut app) = file_app();
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    answered(&mut app, |t| {
        t.contains("Open pipeline") && !header(t).contains("updating…")
    });
    let account = app.store().reader().accounts(1, 0).unwrap()[0].id;
    note_from_another_window(&dir.path().join("kam.db"), account, "a change");
    assert!(app.tick());
    let stale = screen(&app, 100, 30);
    assert!(
        stale.contains("Open pipeline"),
        "the figures as they were stay:\n{stale}"
    );
    assert!(header(&stale).contains("updating…"), "{stale}");
    answered(&mut app, |t| !header(t).contains("updating…"));
}

#[test]
fn the_coverage_is_read_ahead_and_shown_without_a_read() {
    let (dir, mut app) = file_app();
    read_ahead(&mut app);
    let before = app.loads();
    run(&mut app, &[Action::Go(ScreenKind::Coverage)]);
    let text = screen(&app, 100, 30);
    assert!(text.contains("key people in"), "{text}");
    assert!(!header(&text).contains("updating…"), "{text}");
    assert_eq!(app.loads(), before, "the coverage was read ahead");
    // Read again after a change: its header (with the `6 Coverage` key, left out of the tabs
    // at 100 columns) still has room to say so, where the clock stands.
    let account = app.store().reader().accounts(1, 0).unwrap()[0].id;
    note_from_another_window(&dir.path().join("kam.db"), account, "a change");
    assert!(app.tick());
    let stale = screen(&app, 100, 30);
    assert!(stale.contains("key people in"), "{stale}");
    assert!(header(&stale).contains("6 Coverage"), "{stale}");
    assert!(header(&stale).contains("updating…"), "{stale}");
    let fresh = answered(&mut app, |t| !header(t).contains("updating…"));
    assert!(header(&fresh).contains("Fri 27 Nov"), "{fresh}");
}
