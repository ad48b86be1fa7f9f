//! Capture drafts: the text of an open capture popup kept in the notebook (so a crash or a
//! `kill -9` loses nothing), given back when its window ends and offered by the next one.
//!
//! Decision (issue 12.3): a draft is window state, not a notebook record, so these are not
//! [`super::Command`]s — no journal entry, no [`super::Outcome`]. `u` / `kam undo` must never
//! take back the text being typed, the journal must not fill with a save a second, and
//! `kam history` has nothing to say about them. They still live here, beside the commands,
//! as plain one-transaction writes, so that neither front writes through the store directly:
//! the TUI calls these, never `store.write`. A write that cannot wait (the UI thread's tick)
//! says so with [`Wait::Never`] and gets [`StoreError::Busy`] at once when another writer
//! holds the lock.

use crate::domain::{Draft, Id, Timestamp};
use crate::store::{Store, StoreError, Writer};

/// Whether a draft write waits for another writer's lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// As long as the store's write wait (leaving: the text must not be lost).
    AsSet,
    /// Not at all: busy now is [`StoreError::Busy`] (the tick retries a second later).
    Never,
}

fn write<T>(
    store: &mut Store,
    at: Timestamp,
    wait: Wait,
    f: impl FnOnce(&Writer<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    match wait {
        Wait::AsSet => store.write(at, f),
        Wait::Never => store.write_without_waiting(at, f),
    }
}

/// Saves `draft` as `window`'s; returns its row (a new one when another window took the old).
pub fn keep(
    store: &mut Store,
    at: Timestamp,
    wait: Wait,
    draft: &Draft,
    window: &str,
) -> Result<Id, StoreError> {
    write(store, at, wait, |w| w.save_draft_of(draft, Some(window)))
}

/// Throws draft `id` away (its capture was emptied, saved or cancelled); a missing one is fine.
pub fn discard(store: &mut Store, at: Timestamp, wait: Wait, id: Id) -> Result<(), StoreError> {
    write(store, at, wait, |w| w.discard_draft(id))
}

/// At a window's start: takes over every draft whose window is gone (`running` says which
/// are still open), the most recently saved first.
pub fn claim(
    store: &mut Store,
    at: Timestamp,
    window: &str,
    running: &dyn Fn(&str) -> bool,
) -> Result<Vec<Draft>, StoreError> {
    store.write(at, |w| w.claim_drafts(window, running))
}

/// A window that ends gives its drafts back, for the next window to offer.
pub fn release(store: &mut Store, at: Timestamp, window: &str) -> Result<(), StoreError> {
    store.write(at, |w| w.release_drafts(window))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DraftKind;

    fn at() -> Timestamp {
        chrono::DateTime::parse_from_rfc3339("2026-11-27T08:10:00+01:00").unwrap_or_default()
    }

    fn draft(text: &str) -> Draft {
        Draft {
            id: 0,
            kind: DraftKind::Note,
            target: None,
            text: text.into(),
            when: None,
            fields: serde_json::Map::new(),
            updated_at: None,
        }
    }

    #[test]
    fn drafts_are_kept_claimed_and_discarded_without_a_journal_entry() -> Result<(), StoreError> {
        let mut store = Store::open_in_memory()?;
        let id = keep(&mut store, at(), Wait::Never, &draft("call Ana"), "1:1")?;
        assert!(store.reader().last_live_entry()?.is_none(), "not journaled");
        // Its window is still open: another does not take it; once it is gone, it does.
        assert!(claim(&mut store, at(), "1:2", &|_| true)?.is_empty());
        release(&mut store, at(), "1:1")?;
        let claimed = claim(&mut store, at(), "1:2", &|_| true)?;
        assert_eq!(claimed.len(), 1);
        assert_eq!(claimed[0].id, id);
        discard(&mut store, at(), Wait::AsSet, id)?;
        release(&mut store, at(), "1:2")?;
        assert!(claim(&mut store, at(), "1:3", &|_| false)?.is_empty());
        assert!(store.reader().last_live_entry()?.is_none(), "not journaled");
        Ok(())
    }
}
