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

// ---- The deal screen and the keys that act on deals (issue 12.4) ----

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kamnote::store::Store;
use kamnote::tui::App;

/// The demo notebook in a file, so that a second `Store` can undo what the app did.
fn file_app() -> (App, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    let app = common::demo_app_in(Store::open(&path).unwrap());
    (app, dir, path)
}

/// `kam undo` on the app's notebook, from another connection: its message.
fn undo(path: &std::path::Path) -> String {
    let mut other = Store::open(path).unwrap();
    kamnote::ops::undo(&mut other, common::morning().fixed_offset())
        .unwrap()
        .message
}

/// A key through the keymap of the moment, carried out (as the event loop does).
fn key(app: &mut App, code: KeyCode) {
    if let Some(a) = app.key(&KeyEvent::new(code, KeyModifiers::NONE)) {
        run(app, &[a]);
    }
}

/// Characters typed through the keymap of the moment.
fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

/// The text of the highlighted line of the body (not the header's tab, nor the footer).
fn highlighted(app: &App) -> Option<String> {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Modifier;
    let (w, h) = (100u16, 30u16);
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| f.render_widget(&*app, f.area())).unwrap();
    let buf = terminal.backend().buffer().clone();
    (1..h - 2).find_map(|y| {
        // A highlighted row is reversed from its first cell (a selected tab is not).
        let reversed = buf[(0, y)].modifier.contains(Modifier::REVERSED);
        reversed.then(|| {
            (0..w)
                .map(|x| buf[(x, y)].symbol().to_string())
                .collect::<String>()
                .trim()
                .to_string()
        })
    })
}

/// The id of the deal whose screen is shown ("#d7 Title" on its first line).
fn deal_shown(app: &App) -> i64 {
    let s = screen(app, 100, 30);
    let line = s.lines().nth(1).unwrap();
    assert!(line.starts_with("#d"), "{s}");
    line[2..].split(' ').next().unwrap().parse().unwrap()
}

/// The first words of a highlighted pipeline or dossier row: the deal's title as shown.
fn title_of(row: &str) -> String {
    row.split("  ")
        .next()
        .unwrap()
        .trim()
        .chars()
        .take(16)
        .collect()
}

#[test]
fn enter_opens_the_deal_from_the_pipeline_the_tender_calendar_and_an_accounts_deals_tab() {
    let mut app = common::demo_app();
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    let row = highlighted(&app).unwrap();
    key(&mut app, KeyCode::Enter);
    let deal = screen(&app, 100, 30);
    assert!(
        deal.contains(" Deal ") && deal.contains("Obligations ("),
        "{deal}"
    );
    assert!(
        deal.lines().nth(1).unwrap().contains(&title_of(&row)),
        "{row}\n{deal}"
    );

    // The tender calendar: Enter on a milestone opens its deal (it did nothing before).
    run(&mut app, &[Action::Back]);
    typed(&mut app, "c");
    let milestone = highlighted(&app).unwrap();
    key(&mut app, KeyCode::Enter);
    let deal = screen(&app, 100, 30);
    assert!(deal.contains("Tender dates"), "{milestone}\n{deal}");
    let title = milestone
        .split(": ")
        .nth(1)
        .unwrap()
        .split(" · ")
        .next()
        .unwrap();
    assert!(
        deal.contains(&title.chars().take(16).collect::<String>()),
        "{deal}"
    );

    // An account's Deals tab.
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
    let row = highlighted(&app).unwrap();
    key(&mut app, KeyCode::Enter);
    let deal = screen(&app, 100, 30);
    assert!(
        deal.lines().nth(1).unwrap().contains(&title_of(&row)),
        "{row}\n{deal}"
    );
    // Enter on the deal screen opens its account.
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 100, 30).contains(" Account "));
}

#[test]
fn a_receivable_on_the_agenda_opens_its_deal_where_x_marks_it_paid_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    let mut found = None;
    for _ in 0..60 {
        if let Some(line) = highlighted(&app).filter(|l| l.contains("client owes")) {
            found = Some(line);
            break;
        }
        key(&mut app, KeyCode::Char('j'));
    }
    let receivable = found.expect("a client-owes line on the demo agenda");
    let text: String = receivable
        .trim_start_matches("client owes: ")
        .chars()
        .take(20)
        .collect();
    key(&mut app, KeyCode::Enter);
    let selected = highlighted(&app).unwrap();
    assert!(
        selected.contains("client owes payment") && selected.contains(&text),
        "{selected}"
    );
    let deal = deal_shown(&app);
    typed(&mut app, "x");
    assert!(
        app.status().unwrap().starts_with("Done: ["),
        "{:?}",
        app.status()
    );
    let after = highlighted(&app).unwrap();
    assert!(
        after.contains(" paid  client owes"),
        "{after}\n{}",
        screen(&app, 100, 30)
    );
    let reader_store = Store::open(&path).unwrap();
    let paid = |s: &Store| {
        s.reader()
            .obligations_of(deal)
            .unwrap()
            .iter()
            .filter(|o| o.text.contains(&text) && o.done_at.is_some())
            .count()
    };
    assert_eq!(paid(&reader_store), 1);
    // Back on the agenda, the receivable is gone; undone, it is owed again.
    run(&mut app, &[Action::Back]);
    assert!(!screen(&app, 100, 30).contains(&receivable));
    assert!(undo(&path).contains("Done: ["));
    assert_eq!(paid(&reader_store), 0);
}

#[test]
fn s_moves_a_deals_stage_a_loss_needs_its_reason_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    key(&mut app, KeyCode::Enter);
    let deal = deal_shown(&app);
    let stage = |p: &std::path::Path| {
        Store::open(p)
            .unwrap()
            .reader()
            .deal_row(deal)
            .unwrap()
            .unwrap()
            .deal
            .stage
            .map(|s| s.to_string())
    };
    let before = stage(&path);
    typed(&mut app, "S");
    assert!(screen(&app, 100, 30).contains("Stage of #d"));
    typed(&mut app, "jjjjjj");
    key(&mut app, KeyCode::Enter);
    assert!(screen(&app, 100, 30).contains("Why was it lost?"));
    // No reason: ops refuses, nothing moves, the prompt stays open.
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().contains("lost deal needs the reason"),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 100, 30).contains("Why was it lost?"));
    assert_eq!(stage(&path), before);
    typed(&mut app, "price");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().ends_with("→ lost"),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 100, 30).contains("→ lost — price"));
    assert_eq!(stage(&path).as_deref(), Some("lost"));
    assert!(undo(&path).contains("→ lost"));
    assert_eq!(stage(&path), before);
}

#[test]
fn e_edits_a_deals_probability_and_close_date_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    key(&mut app, KeyCode::Enter);
    let deal = deal_shown(&app);
    let read = |p: &std::path::Path| {
        let d = Store::open(p)
            .unwrap()
            .reader()
            .deal_row(deal)
            .unwrap()
            .unwrap()
            .deal;
        (d.probability, d.close.map(|c| c.to_string()))
    };
    let before = read(&path);
    typed(&mut app, "e");
    for _ in 0..5 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "35");
    key(&mut app, KeyCode::Tab);
    for _ in 0..12 {
        key(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2027-01-31");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().starts_with("Saved deal #d"),
        "{:?}",
        app.status()
    );
    let shown = screen(&app, 100, 30);
    assert!(
        shown.contains("· 35% ·") && shown.contains("Sun 31 Jan 2027"),
        "{shown}"
    );
    assert_eq!(read(&path), (Some(35.0), Some("2027-01-31".into())));
    // A probability out of range names the field; nothing is saved.
    typed(&mut app, "e");
    typed(&mut app, "0");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().contains("Probability \"350\""),
        "{:?}",
        app.status()
    );
    key(&mut app, KeyCode::Esc);
    assert!(undo(&path).contains("Saved deal"));
    assert_eq!(read(&path), before);
}

#[test]
fn a_adds_a_deal_from_an_accounts_deals_tab_and_from_the_deals_screen() {
    let (mut app, _dir, path) = file_app();
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
    typed(&mut app, "a");
    let form = screen(&app, 100, 30);
    assert!(form.contains("New deal"), "{form}");
    // The account is the dossier's; the title has the focus.
    typed(&mut app, "Formulary 2027");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "1000");
    key(&mut app, KeyCode::Enter);
    // A value without its currency: ops' rule, the form stays open.
    assert!(
        app.status().unwrap().contains("--currency"),
        "{:?}",
        app.status()
    );
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "eur");
    key(&mut app, KeyCode::Enter);
    let status = app.status().unwrap().to_string();
    assert!(
        status.starts_with("Added deal #d") && status.contains("Formulary 2027"),
        "{status}"
    );
    assert!(screen(&app, 100, 30).contains("Formulary 2027"));
    let deals = |p: &std::path::Path| Store::open(p).unwrap().reader().deals_of(3).unwrap().len();
    let with = deals(&path);
    assert!(undo(&path).contains("Added deal"));
    assert_eq!(deals(&path), with - 1);

    // From the deals screen, for the selected deal's account.
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    typed(&mut app, "a");
    typed(&mut app, "Renewal 2028");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().contains("Renewal 2028"),
        "{:?}",
        app.status()
    );
    assert!(undo(&path).contains("Renewal 2028"));
}

#[test]
fn s_on_a_deal_in_an_accounts_deals_tab_moves_the_deal_not_the_account() {
    let (mut app, _dir, path) = file_app();
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
    let account_stage = |p: &std::path::Path| {
        Store::open(p)
            .unwrap()
            .reader()
            .account(3)
            .unwrap()
            .unwrap()
            .0
            .stage
    };
    let before = account_stage(&path);
    typed(&mut app, "S");
    let chooser = screen(&app, 100, 30);
    assert!(
        chooser.contains("Stage of #d") && chooser.contains("negotiation"),
        "{chooser}"
    );
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    let status = app.status().unwrap().to_string();
    assert!(
        status.starts_with("#d") && status.contains(" → "),
        "{status}"
    );
    assert_eq!(account_stage(&path), before);
    assert!(undo(&path).starts_with("Undid stage"));
}

#[test]
fn enter_on_insights_opens_what_the_line_is_about() {
    let mut app = common::demo_app();
    run(&mut app, &[Action::Go(ScreenKind::Insights)]);
    let insights = screen(&app, 100, 30);
    assert!(highlighted(&app).is_some(), "{insights}");
    key(&mut app, KeyCode::Enter);
    let opened = screen(&app, 100, 30);
    assert!(
        [" Deal ", " Account ", " Person "].iter().any(|t| opened
            .lines()
            .next()
            .unwrap()
            .contains(t)),
        "{opened}"
    );
    // A relationship cooling opens the person.
    run(&mut app, &[Action::Back]);
    let name = insights
        .lines()
        .skip_while(|l| !l.starts_with("Relationships cooling"))
        .nth(1)
        .unwrap()
        .split("  ")
        .next()
        .unwrap()
        .trim()
        .to_string();
    for _ in 0..10 {
        if highlighted(&app).is_some_and(|l| l.starts_with(&name)) {
            break;
        }
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    let person = screen(&app, 100, 30);
    assert!(
        person.lines().next().unwrap().contains(" Person "),
        "{person}"
    );
    assert!(person.contains(&name), "{name}\n{person}");
}

#[test]
fn a_archives_a_deal_from_its_screen_out_of_the_pipeline_and_undo_restores() {
    let (mut app, _dir, path) = file_app();
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    key(&mut app, KeyCode::Enter);
    let deal = deal_shown(&app);
    typed(&mut app, "A");
    assert!(
        app.status().unwrap().starts_with("Archived deal #d"),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 100, 30).contains("(archived"));
    let in_pipeline = |p: &std::path::Path| {
        Store::open(p)
            .unwrap()
            .reader()
            .deals_filtered(&kamnote::store::DealFilter {
                open_only: true,
                limit: 1000,
                ..Default::default()
            })
            .unwrap()
            .iter()
            .any(|r| r.deal.id == deal)
    };
    assert!(!in_pipeline(&path));
    // A again restores.
    typed(&mut app, "A");
    assert!(
        app.status().unwrap().starts_with("Restored deal"),
        "{:?}",
        app.status()
    );
    assert!(in_pipeline(&path));
    assert!(undo(&path).contains("Restored deal"));
    assert!(!in_pipeline(&path));
}

#[test]
fn o_adds_an_obligation_and_p_a_plan_each_undone() {
    let (mut app, _dir, path) = file_app();
    run(&mut app, &[Action::Go(ScreenKind::Deals)]);
    key(&mut app, KeyCode::Enter);
    let deal = deal_shown(&app);
    typed(&mut app, "o");
    typed(&mut app, "Invoice 9");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "2026-12-15");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().starts_with("Added obligation ["),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 100, 30).contains("client owes payment: Invoice 9"));
    let count = |p: &std::path::Path| {
        Store::open(p)
            .unwrap()
            .reader()
            .obligations_of(deal)
            .unwrap()
            .len()
    };
    let with = count(&path);
    assert!(undo(&path).contains("Invoice 9"));
    assert_eq!(count(&path), with - 1);

    run(&mut app, &[Action::Open(TargetKind::Account, 3)]);
    typed(&mut app, "P");
    typed(&mut app, "Advisory board chair");
    key(&mut app, KeyCode::Enter);
    assert!(
        app.status().unwrap().starts_with("Added plan #"),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 100, 60).contains("Advisory board chair"));
    assert!(undo(&path).contains("Advisory board chair"));
}
