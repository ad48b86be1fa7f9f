//! Reads off the UI thread, and what is kept between reads, so that no key waits for the
//! notebook (issue 16): a search runs on a reader thread of its own as each key is typed, the
//! newer keystroke stopping the older query; the insights, the pipeline and the coverage are
//! read on another one, ahead of time and again whenever the notebook changes, and kept until
//! it does ([`data::Cache`], keyed by [`data::Mark`]); the agenda is not read again while nothing it
//! shows changed. A dossier is read on a third thread, so that it never waits behind the
//! figures: opened, or read again after a change, it never holds a key up (the biggest
//! account's takes longer than a frame at L). Meanwhile the screen keeps what it showed and the
//! header says it is updating ([`App::updating`]).
//!
//! Headless (tests, an in-memory notebook) nothing runs in the background: every read is done
//! in [`App::update`], as before.

use super::{App, StatusKind};
use crate::tui::data::{Job, Mark, Worker};
use crate::tui::screens::list::{Accounts, ListView, People};
use crate::tui::screens::{Need, View};

/// The readers of a TUI that runs on a notebook file.
pub struct Background {
    search: Worker,
    figures: Worker,
    /// The dossiers' reader.
    screens: Worker,
    /// The dossier read last asked of `screens`, until it is answered.
    screen_asked: Option<Need>,
    /// The last search sent and the notebook it was sent for: sent once, and again after a
    /// write (its results would be stale).
    searched: Option<(Need, Mark)>,
    /// Figures asked for and not yet answered.
    asked: Vec<(Need, Mark)>,
}

/// The screens read ahead of time: the first window of each list with its count (a count
/// scans the table), the pipeline, the insights and the coverage (at L a tally of 40,000 key
/// people over 20,000 accounts, longer than a frame).
fn ahead() -> [Need; 5] {
    // The cheap ones first: they are ready within the first keys. The pipeline just before
    // the insights: they share its open deals (`data::Shared`).
    [
        ListView::<Accounts>::new().need(),
        ListView::<People>::new().need(),
        Need::Pipeline,
        Need::Insights,
        Need::Coverage,
    ]
}

impl App {
    /// Starts the reader threads (each with its own connection to the notebook file) and asks
    /// for the insights and the pipeline; without a file, or if a thread cannot start, every
    /// read stays on the UI thread.
    pub fn read_in_background(&mut self) {
        if self.store.path().is_none() {
            return;
        }
        let (Ok(search), Ok(figures), Ok(screens)) = (
            Worker::start(&self.store, true),
            Worker::start(&self.store, false),
            Worker::start(&self.store, true),
        ) else {
            return;
        };
        self.background = Some(Background {
            search,
            figures,
            screens,
            screen_asked: None,
            searched: None,
            asked: Vec::new(),
        });
        self.read_ahead();
    }

    /// Drops what is kept between reads, so that the next one reads the notebook (benches
    /// time the cold read with it).
    pub fn forget_readings(&mut self) {
        self.cache = crate::tui::data::Cache::default();
        self.agenda_read = None;
    }

    /// What the notebook holds now, and today (a cached reading is good while it is equal).
    pub(super) fn mark(&self) -> Option<Mark> {
        let (version, changes) = self.store.change_mark().ok()?;
        Some((version, changes, self.clock.today()))
    }

    /// Asks the figures reader for what is not kept at the current mark.
    pub(super) fn read_ahead(&mut self) {
        let Some(mark) = self.mark() else { return };
        let now = self.clock.now();
        let Some(bg) = &mut self.background else {
            return;
        };
        for need in ahead() {
            if self.cache.has(&need, mark) || bg.asked.contains(&(need.clone(), mark)) {
                continue;
            }
            bg.asked.push((need.clone(), mark));
            bg.figures
                .send(Job::of(need, now, &self.config, mark), false);
        }
    }

    /// Hands `need` to a reader thread if it is read there; `false`: read it here.
    pub(super) fn send_to_background(&mut self, need: &Need, mark: Option<Mark>) -> bool {
        let now = self.clock.now();
        let Some(bg) = &mut self.background else {
            return false;
        };
        let Some(mark) = mark else { return false };
        match need {
            Need::Search { .. } => {
                if bg.searched.as_ref() != Some(&(need.clone(), mark)) {
                    bg.searched = Some((need.clone(), mark));
                    bg.search
                        .send(Job::of(need.clone(), now, &self.config, mark), true);
                }
                true
            }
            Need::Insights | Need::Pipeline | Need::Coverage => {
                if !bg.asked.contains(&(need.clone(), mark)) {
                    bg.asked.push((need.clone(), mark));
                    bg.figures
                        .send(Job::of(need.clone(), now, &self.config, mark), false);
                }
                true
            }
            // Asked again at every reload (opened, back to it, a change): the newer read
            // supersedes the one running.
            Need::AccountDossier { .. } | Need::PersonDossier { .. } => {
                bg.screen_asked = Some(need.clone());
                bg.screens
                    .send(Job::of(need.clone(), now, &self.config, mark), true);
                true
            }
            _ => false,
        }
    }

    /// Whether the screen on top waits for a reader thread's answer (it shows what it held
    /// before, or "Loading…"): the header says "updating". A search says it on its own line.
    pub(super) fn updating(&self) -> bool {
        let Some(bg) = &self.background else {
            return false;
        };
        let need = self.top().need();
        bg.asked.iter().any(|(n, _)| *n == need) || bg.screen_asked.as_ref() == Some(&need)
    }

    /// Whether a search typed is not yet sent to be run.
    pub(super) fn search_unsent(&self) -> bool {
        self.background
            .as_ref()
            .is_none_or(|bg| bg.searched.as_ref().map(|(n, _)| n) != Some(&self.top().need()))
    }

    /// Whether reads run in the background (a search then runs at every key, no pause).
    pub fn reads_in_background(&self) -> bool {
        self.background.is_some()
    }

    /// Whether an answer from a reader thread is still to come (the event loop then polls
    /// often).
    pub fn waiting(&self) -> bool {
        self.background
            .as_ref()
            .is_some_and(|bg| bg.search.busy() || bg.figures.busy() || bg.screens.busy())
    }

    /// Takes the answers that came in; returns whether the screen changed (its data, or
    /// that it is no longer updating).
    pub fn take_answers(&mut self) -> bool {
        let mut changed = false;
        let top = self.top().need();
        loop {
            let Some(bg) = &mut self.background else {
                return changed;
            };
            let (done, newer) = if let Some(done) = bg.search.try_done() {
                let newer = done.seq < bg.search.sent();
                (done, newer)
            } else if let Some(done) = bg.screens.try_done() {
                let newer = done.seq < bg.screens.sent();
                if !newer {
                    bg.screen_asked = None;
                    changed = true;
                }
                (done, newer)
            } else if let Some(done) = bg.figures.try_done() {
                (done, false)
            } else {
                return changed;
            };
            let before = bg.asked.len();
            bg.asked
                .retain(|(n, m)| !(*n == done.need && *m == done.mark));
            changed |= bg.asked.len() != before && done.need == top;
            if newer {
                // A newer read of it is on its way.
                continue;
            }
            match done.loaded {
                Ok(loaded) => {
                    self.cache.put(done.need.clone(), done.mark, &loaded);
                    // An answer read before the last write is kept in the cache under its
                    // mark but not shown: its fresh read is on its way.
                    let wanted = match (&top, &done.need) {
                        (Need::Search { .. }, Need::Search { .. }) => true,
                        (a, b) => a == b && self.mark() == Some(done.mark),
                    };
                    if wanted {
                        self.top_mut().accept(loaded);
                        changed = true;
                    } else if dossier(&done.need) && dossier(&top) {
                        // Read for another mark or timeline than the dossier now shows: read
                        // it again for what it shows now.
                        self.reload();
                    }
                }
                Err(e) => {
                    self.status = Some((e.to_string(), StatusKind::Error));
                    changed = true;
                }
            }
        }
    }
}

fn dossier(need: &Need) -> bool {
    matches!(
        need,
        Need::AccountDossier { .. } | Need::PersonDossier { .. }
    )
}
