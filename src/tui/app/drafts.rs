//! The capture popup's draft: kept in the notebook while the popup is open (on the tick, at
//! most once a second, when it changed; and on quit, suspend and signals), removed when the
//! capture is saved or discarded, and offered back on the next start (every one left, newest
//! first, one after the other in the capture popup, with a status line saying from when).
//!
//! Each window has its own drafts (`window`, `pid:n`): it writes only its own rows, never
//! offers another open window's, and gives its rows back when it ends. A window that died
//! without ending (kill -9) is told apart by its process id no longer running.
//!
//! The tick's saves never wait for another writer's lock (the UI thread would freeze): with the
//! notebook busy, the draft stays in memory, the status line says so, and the next tick tries
//! again. Leaving (quit, suspend, signals) waits up to [`LEAVE_WAIT`]: the text must not be lost.
//!
//! The writes go through [`crate::ops::drafts`]: plain transactions, not journaled commands —
//! a draft is this window's state, not a notebook record, so `u` never takes it back (the
//! reasons are in that module's header).

use std::time::{Duration, Instant};

use chrono::Local;

use super::{App, Popup, StatusKind};
use crate::domain::{Draft, DraftKind};
use crate::ops::drafts::{self, Wait};
use crate::store::StoreError;
use crate::tui::capture::{Capture, Field, Mode};
use crate::tui::data;

/// The draft is saved at most this often while typing.
const DRAFT_EVERY: Duration = Duration::from_secs(1);

/// How long the draft saved when leaving waits for another writer.
const LEAVE_WAIT: Duration = Duration::from_secs(5);

/// What the status line says while a draft cannot be saved because another writer holds the
/// lock.
pub(super) const DRAFT_BUSY: &str =
    "Notebook busy (another kam is writing) — the draft is kept here and will be saved on retry";

impl App {
    /// Saves the draft now if it changed (quit, suspend, signals).
    pub fn flush_draft(&mut self) {
        let waited = self.store.set_write_wait(LEAVE_WAIT);
        self.keep_draft(true);
        if waited.is_ok() {
            // Best effort: the wait only matters to later writes of this window.
            let _ = self.store.set_write_wait(super::WRITE_WAIT);
        }
    }

    /// On the tick: saves the draft if it changed and the last save is a second old. A
    /// capture with nothing typed keeps no draft.
    pub(super) fn keep_draft(&mut self, now: bool) {
        let at = self.clock.now().fixed_offset();
        let Some(Popup::Component(c)) = &mut self.popup else {
            return;
        };
        let Some(c) = (c.as_mut() as &mut dyn std::any::Any).downcast_mut::<Capture>() else {
            return;
        };
        if !c.dirty || (!now && c.saved_at.is_some_and(|t| t.elapsed() < DRAFT_EVERY)) {
            return;
        }
        // On the tick, never wait on the UI thread; when leaving, the store's wait applies.
        let wait = if now { Wait::AsSet } else { Wait::Never };
        let result = if c.has_typed() {
            drafts::keep(&mut self.store, at, wait, &c.to_draft(), &self.window)
        } else if c.draft_id != 0 {
            drafts::discard(&mut self.store, at, wait, c.draft_id).map(|()| 0)
        } else {
            Ok(0)
        };
        match result {
            Ok(id) => {
                c.draft_id = id;
                c.dirty = false;
                c.saved_at = Some(Instant::now());
                if self.status.as_ref().is_some_and(|(s, _)| s == DRAFT_BUSY) {
                    self.status = None;
                }
            }
            Err(StoreError::Busy) => {
                // Still dirty: the next tick (a second on) tries again.
                c.saved_at = Some(Instant::now());
                self.status = Some((DRAFT_BUSY.into(), StatusKind::Error));
            }
            Err(e) => {
                self.status = Some((
                    format!("The draft could not be kept: {e}"),
                    StatusKind::Error,
                ));
            }
        }
    }

    /// On start: claims every draft left by windows that are no longer open; the newest comes
    /// back in the capture popup, the others after it ([`App::offer_next_draft`]).
    pub(super) fn offer_draft(&mut self) -> Result<(), StoreError> {
        let at = self.clock.now().fixed_offset();
        let window = self.window.clone();
        let claimed = drafts::claim(&mut self.store, at, &window, &running)?;
        self.recovered = claimed.into_iter().rev().collect();
        self.offer_next_draft()
    }

    /// The next recovered draft, if any, in the capture popup (none open).
    pub(super) fn offer_next_draft(&mut self) -> Result<(), StoreError> {
        if self.popup.is_some() {
            return Ok(());
        }
        let Some(draft) = self.recovered.pop() else {
            return Ok(());
        };
        let left = self.recovered.len();
        let reader = self.store.reader();
        let target = match draft
            .target
            .and_then(|(k, id)| Capture::target_kind(k).map(|k| (k, id)))
        {
            Some((k, id)) => data::target(&reader, k, id)?,
            None => None,
        };
        let mode = draft_mode(&draft);
        let mut capture = Capture::from_draft(&draft, mode, target);
        if draft.target.is_some() && capture.picker.chosen.is_none() {
            capture.focus = Field::Target;
        }
        let when = draft.updated_at.map_or_else(String::new, |t| {
            let local = t.with_timezone(&Local);
            if local.date_naive() == self.clock.today() {
                local.format(" from %H:%M").to_string()
            } else {
                local.format(" from %-d %b %H:%M").to_string()
            }
        });
        let after = match left {
            0 => String::new(),
            1 => " (1 more after it)".to_string(),
            n => format!(" ({n} more after it)"),
        };
        let recovered = format!(
            "Recovered an unsaved {}{when}{after} — Ctrl-S saves, Esc discards",
            capture.noun()
        );
        // After a save, both: what was saved, then what comes back.
        let said = match self.status.take() {
            Some((s, _)) if !s.is_empty() => format!("{s} · {recovered}"),
            _ => recovered,
        };
        self.status = Some((said, StatusKind::Info));
        self.popup = Some(Popup::Component(Box::new(capture)));
        Ok(())
    }
}

/// The windows open in this process (their `n` of `pid:n`).
static OPEN_WINDOWS: std::sync::Mutex<Vec<u64>> = std::sync::Mutex::new(Vec::new());

/// A new window's name, `pid:n`, registered as open until [`close_window`].
pub(super) fn open_window() -> String {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    OPEN_WINDOWS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(n);
    format!("{}:{n}", std::process::id())
}

/// The window `name` is closed (its drafts are given back by the caller).
pub(super) fn close_window(name: &str) {
    if let Some(n) = name
        .split_once(':')
        .and_then(|(_, n)| n.parse::<u64>().ok())
    {
        OPEN_WINDOWS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|w| *w != n);
    }
}

/// Whether the window named `owner` (`pid:n`) is still open: in this process, one not closed;
/// in another, that process still running. Anything else (a name not understood) is not.
fn running(owner: &str) -> bool {
    let Some((pid, n)) = owner.split_once(':') else {
        return false;
    };
    let (Ok(pid), Ok(n)) = (pid.parse::<u32>(), n.parse::<u64>()) else {
        return false;
    };
    if pid == std::process::id() {
        return OPEN_WINDOWS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .contains(&n);
    }
    process_running(pid)
}

/// Whether process `pid` exists: `/proc` where there is one, else `kill -0`.
fn process_running(pid: u32) -> bool {
    let proc = std::path::Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    std::process::Command::new("kill")
        .args(["-0", &pid.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn draft_mode(draft: &Draft) -> Mode {
    let num = |k: &str| draft.fields.get(k).and_then(serde_json::Value::as_i64);
    match (draft.kind, num("meeting"), num("version")) {
        (DraftKind::Note, Some(meeting), Some(version)) => Mode::Outcome {
            meeting,
            version,
            title: draft
                .fields
                .get("title")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("meeting")
                .to_string(),
        },
        (DraftKind::FollowUp, ..) => Mode::FollowUp,
        (DraftKind::Meeting, ..) => Mode::Meeting,
        _ => Mode::Note,
    }
}
