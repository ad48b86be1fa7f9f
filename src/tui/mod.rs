//! The full-screen notebook: key → keymap → [`Action`] → [`App::update`] → render from state.
//!
//! [`run`] owns the event loop and the terminal; everything else is plain state and can be
//! driven headless in tests (send actions to an [`App`], render it into a `TestBackend`).

mod action;
mod app;
mod capture;
mod cells;
mod component;
mod data;
mod editor;
mod form;
mod interaction_edit;
mod keymap;
mod linking;
mod meeting;
mod plan_panel;
mod popup;
mod records;
mod screens;
mod spend_form;
mod terminal;
mod theme;
mod wrap;

use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

pub use action::{Action, CaptureKind, ScreenKind};
pub use app::App;
pub use terminal::TerminalError;
pub use theme::Theme;

use crate::clock::Clock;
use crate::config::Config;
use crate::store::Store;

/// Whether stdin and stdout are a terminal the TUI can run in.
pub fn has_terminal() -> bool {
    terminal::check().is_ok()
}

/// How often the notebook is polled for other writers' changes.
const TICK: Duration = Duration::from_millis(500);

/// How the TUI ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The user quit.
    Quit,
    /// A signal (SIGTERM, SIGHUP, SIGINT) asked it to; the shell convention is exit 128 + n.
    Signal(i32),
}

/// How long the keys must pause before a search typed on the search screen runs.
const DEBOUNCE: Duration = Duration::from_millis(60);

/// How often answers from the reader threads are looked for while one is due.
const ANSWER_POLL: Duration = Duration::from_millis(2);

/// Runs the TUI until the user quits or a signal asks it to.
pub fn run(
    store: Store,
    clock: Clock,
    theme: Theme,
    config: Config,
) -> Result<Ending, TerminalError> {
    terminal::check()?;
    let quit_signal = terminal::QuitSignal::register()?;
    // Built with the settings: the first screen is read once, not once more after them.
    let mut app = App::with_config(store, clock, theme, config);
    let mut terminal = terminal::enter()?;
    let result = event_loop(&mut terminal, &mut app, &quit_signal);
    // Quit, a signal or an error: what is being typed is kept for the next start.
    app.flush_draft();
    terminal::leave();
    result?;
    Ok(quit_signal.raised().map_or(Ending::Quit, Ending::Signal))
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    quit_signal: &terminal::QuitSignal,
) -> Result<(), TerminalError> {
    let mut dirty = true;
    let mut started = false;
    let mut last_tick = Instant::now();
    while !app.should_quit() && quit_signal.raised().is_none() {
        if dirty {
            terminal.draw(|frame| frame.render_widget(&*app, frame.area()))?;
            dirty = false;
            // Once the first frame is out (the reader threads would compete with it for the
            // cores): start reading in the background, ahead of the keys.
            if !started {
                started = true;
                app.read_in_background();
            }
        }
        let mut timeout = TICK.saturating_sub(last_tick.elapsed());
        if app.pending() {
            // Read in the background, a search is sent at once (a newer key stops it).
            timeout = timeout.min(if app.reads_in_background() {
                Duration::ZERO
            } else {
                DEBOUNCE
            });
        }
        if app.waiting() {
            timeout = timeout.min(ANSWER_POLL);
        }
        if event::poll(timeout)? {
            let mut next = match event::read()? {
                Event::Key(key) => app.key(&key),
                Event::Resize(..) => Some(Action::Resize),
                _ => None,
            };
            while let Some(action) = next {
                if action == Action::Suspend {
                    app.flush_draft();
                    terminal::suspend(terminal)?;
                }
                if action == Action::ExternalEditor {
                    if let Some(text) = app.editor_text() {
                        app.flush_draft();
                        let edited = editor::edit(terminal, &text)?;
                        app.editor_returned(edited);
                    }
                }
                next = app.update(action);
                dirty = true;
            }
        } else if app.pending() {
            // The keys paused: run the search typed.
            app.update(Action::Refresh);
            dirty = true;
        }
        dirty |= app.take_answers();
        if last_tick.elapsed() >= TICK {
            last_tick = Instant::now();
            dirty |= app.tick();
        }
    }
    Ok(())
}
