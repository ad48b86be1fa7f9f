//! Popups as components (DESIGN.md §3, issue 12.5): each popup owns its state, its key table
//! (the footer and the `?` help are drawn from it, so what is shown is what works), its
//! drawing, and what its keys mean. A popup never writes: what it asks of the app is a
//! [`Reply`] — most often a command for `ops`, which the app runs in one transaction and whose
//! outcome goes on the status line.
//!
//! The app routes keys to the open component: a key its table binds becomes that binding's
//! [`Action`] and goes to [`Component::handle`]; any other key goes to [`Component::input`]
//! (text typed into a field). Ctrl-C still quits and Ctrl-Z still suspends from anywhere.

use chrono::{DateTime, Local};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::Action;
use super::app::StatusKind;
use super::keymap::Binding;
use super::screens::RenderCtx;
use crate::config::ComplianceConfig;
use crate::ops::{Command, OpsError, Outcome};
use crate::store::Reader;

/// What a component may read while it handles a key: the time (a date typed is read against
/// it), the notebook, read-only (a picker looks up people as the user types), and the
/// `[compliance]` caps of the config (a spend warns them before it is recorded).
pub struct PopupCtx<'a, 'c> {
    pub now: DateTime<Local>,
    pub reader: &'a Reader<'c>,
    pub compliance: &'a ComplianceConfig,
}

/// What a component asks of the app after a key.
pub enum Reply {
    /// Stay open; nothing else to do (a character typed, the cursor moved).
    Stay,
    /// Close, doing nothing.
    Close,
    /// Stay open and say something on the status line (what was typed is not understood).
    Say(String, StatusKind),
    /// Run this command. When it succeeds the popup closes, the outcome's message is the
    /// status line and the screen reloads; when it fails, [`Component::failed`] decides.
    Run(Box<dyn Command>),
    /// Close and open this popup in its place (a chooser leads to a reason prompt).
    Replace(Box<dyn Component>),
    /// Close and let the app carry out an action (open a dossier, reload).
    Then(Action),
    /// Close, saying this on the status line ("Changes discarded").
    Closed(String),
}

/// A popup over the screens. (`Any`: the app finds the capture popup among them, to keep its
/// draft.)
pub trait Component: std::any::Any {
    /// This popup's keys, looked up before anything else; the footer and `?` show them.
    fn bindings(&self) -> &'static [Binding];

    /// Carries out the action of one of its bindings.
    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply;

    /// A key its table does not bind: text typed into a field. Ignored by default.
    fn input(&mut self, _key: &KeyEvent, _ctx: &PopupCtx<'_, '_>) -> Reply {
        Reply::Stay
    }

    /// The command it asked for failed; nothing was written and the app has put the error on
    /// the status line. By default the popup stays open with what was typed; after a conflict
    /// it closes and the screen reloads, to show the record as it now is.
    fn failed(&mut self, error: &OpsError, _ctx: &PopupCtx<'_, '_>) -> Reply {
        if matches!(error, OpsError::Conflict { .. }) {
            Reply::Then(Action::Refresh)
        } else {
            Reply::Stay
        }
    }

    /// The status line after the command it asked for ran: by default the outcome's message.
    fn said(&self, message: &str) -> (String, StatusKind) {
        (message.to_string(), StatusKind::Info)
    }

    /// The command it asked for ran; its outcome's message is on the status line. By default
    /// the popup closes and the screen reloads; a popup may reply something else instead (a
    /// merge's preview leads to its confirm, a record added opens its dossier).
    fn succeeded(&mut self, _outcome: &Outcome) -> Option<Reply> {
        None
    }

    /// The text `Ctrl-E` hands to `$EDITOR`, when the popup has a text being edited.
    fn editor_text(&self) -> Option<String> {
        None
    }

    /// The text back from `$EDITOR`.
    fn editor_returned(&mut self, _text: String) {}

    /// Draws the popup over `area` (the whole terminal); pure.
    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx);
}
