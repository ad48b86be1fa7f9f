//! The full-screen notebook: each main screen reloaded from the notebook (`Action::Refresh`, what
//! a key that changes the data costs) and rendered into a 100×30 `TestBackend`, and a list's
//! window moved from one end to the other (what PageDown/End cost on a long list). Budget: the
//! TUI's keystroke to next frame, ≤ 16 ms (DESIGN.md §7), of which the terminal's own drawing
//! is not part here.

use divan::Bencher;
use kamnote::clock::Clock;
use kamnote::store::{Store, TargetKind, UidTable};
use kamnote::tui::{Action, App, ScreenKind, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixture::{self, Size};

fn app(size: Size) -> App {
    let store = Store::open(&fixture::notebook(size).unwrap()).unwrap();
    App::new(store, Clock::fixed(crate::now().to_utc()), Theme::plain())
}

fn act(app: &mut App, action: Action) {
    let mut next = Some(action);
    while let Some(a) = next.take() {
        next = app.update(a);
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(100, 30)).unwrap()
}

/// Benches reloading and drawing the screen `to` leads to.
fn refresh_and_draw(bencher: Bencher, size: Size, to: impl FnOnce(&mut App)) {
    let mut app = app(size);
    to(&mut app);
    let mut terminal = terminal();
    bencher.bench_local(|| {
        // A cold read: what is kept between reads (the agenda, the insights, a list's first
        // window) would otherwise answer without reading.
        app.forget_readings();
        act(&mut app, Action::Refresh);
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    });
}

#[divan::bench(args = Size::enabled())]
fn screen_agenda(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |_| {});
}

#[divan::bench(args = Size::enabled())]
fn screen_accounts(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        act(app, Action::Go(ScreenKind::Accounts));
    });
}

#[divan::bench(args = Size::enabled())]
fn screen_people(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        act(app, Action::Go(ScreenKind::People));
    });
}

#[divan::bench(args = Size::enabled())]
fn screen_deals(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        act(app, Action::Go(ScreenKind::Deals));
    });
}

#[divan::bench(args = Size::enabled())]
fn screen_insights(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        act(app, Action::Go(ScreenKind::Insights));
    });
}

#[divan::bench(args = Size::enabled())]
fn screen_coverage(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        act(app, Action::Go(ScreenKind::Coverage));
    });
}

/// The search screen's query `contract` run and drawn (the TUI runs it on a reader thread; this
/// is the read itself).
#[divan::bench(args = Size::enabled())]
fn screen_search(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        act(app, Action::Search);
        for c in "contract".chars() {
            act(
                app,
                Action::Input(crossterm::event::KeyEvent::new(
                    crossterm::event::KeyCode::Char(c),
                    crossterm::event::KeyModifiers::NONE,
                )),
            );
        }
    });
}

/// `1` back to the agenda when nothing changed: what is shown is kept, not read again.
#[divan::bench(args = Size::enabled())]
fn back_to_the_agenda_unchanged(bencher: Bencher, size: Size) {
    let mut app = app(size);
    let mut terminal = terminal();
    bencher.bench_local(|| {
        act(&mut app, Action::Go(ScreenKind::Accounts));
        act(&mut app, Action::Go(ScreenKind::Agenda));
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    });
}

#[divan::bench(args = Size::enabled())]
fn screen_account_dossier(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        let id = crate::id_of(app.store(), UidTable::Accounts, "a1");
        act(app, Action::Open(TargetKind::Account, id));
    });
}

#[divan::bench(args = Size::enabled())]
fn screen_person_dossier(bencher: Bencher, size: Size) {
    refresh_and_draw(bencher, size, |app| {
        let id = crate::id_of(app.store(), UidTable::People, "p1");
        act(app, Action::Open(TargetKind::Person, id));
    });
}

/// The accounts or people list's window moved to the other end (End, then Home), drawn.
fn list_window(bencher: Bencher, size: Size, list: ScreenKind) {
    let mut app = app(size);
    act(&mut app, Action::Go(list));
    let mut terminal = terminal();
    let mut at_bottom = false;
    bencher.bench_local(|| {
        at_bottom = !at_bottom;
        act(
            &mut app,
            if at_bottom {
                Action::Bottom
            } else {
                Action::Top
            },
        );
        terminal.draw(|f| f.render_widget(&app, f.area())).unwrap();
    });
}

#[divan::bench(args = Size::enabled())]
fn list_window_accounts(bencher: Bencher, size: Size) {
    list_window(bencher, size, ScreenKind::Accounts);
}

#[divan::bench(args = Size::enabled())]
fn list_window_people(bencher: Bencher, size: Size) {
    list_window(bencher, size, ScreenKind::People);
}
