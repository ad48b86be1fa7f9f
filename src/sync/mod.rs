//! Two-way sync (issue 13): the notebook as one replica among the user's devices, through a
//! CalDAV calendar (meetings as VEVENT, open follow-ups as VTODO) and a CardDAV address book
//! (people, their account as ORG, never their personal notes).
//!
//! The rules (the "trustworthy sync"):
//! - every record has a stable UID on the server (`<uid>@kamnote`, or the server's own for an
//!   item made on the phone), kept with its href, ETag and the fields both sides last agreed on
//!   (the *base*) in the notebook (`sync_items`, schema v17);
//! - incremental: an unchanged sync-token (or ctag) means nothing changed on the server; a
//!   changed sync-token is asked what changed since (the RFC 6578 `sync-collection` REPORT,
//!   through libdav), else the listing's ETags say which items to fetch; an item made on the
//!   phone and not taken is reported when it arrives or changes, not at every sync;
//! - merged field by field against the base: a field changed on one side takes that side's
//!   value; changed on both to different values, the notebook's stays and the server's is kept
//!   as a note and reported;
//! - what comes back becomes ops commands (journaled, undoable), applied with the item's state
//!   in one transaction ([`apply`]): a rerun after a kill applies nothing twice;
//! - what goes out is written with conditional requests (`If-None-Match`, `If-Match`): an item
//!   changed on the server meanwhile is left for the next sync, never overwritten;
//! - everything is read from the server before anything is applied: a wrong URL, a refused
//!   password or a server that is down stops the sync with nothing changed.

mod apply;
mod brief;
mod dav;
mod engine;
mod fields;
mod local;
mod merge;
mod todos;

pub use dav::{DavCollection, Login, Protocol};
pub use engine::{Remote, sync_collection};

/// The two collections.
pub const CALENDAR: &str = "calendar";
pub const CONTACTS: &str = "contacts";

/// Why a sync stopped.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "{url}: {why}; check [sync] in the config (e.g. https://dav.example.org/kam/calendar/)"
    )]
    BadUrl { url: String, why: String },
    #[error(
        "{url}: the server refused the user name or password; check [sync] username and password_cmd"
    )]
    Auth { url: String },
    #[error("{url}: the server cannot be reached ({why}); check the network and try again")]
    Down { url: String, why: String },
    #[error("{url}: the server answered with an error ({why})")]
    Server { url: String, why: String },
    /// An item changed on the server while it was being written (a failed precondition).
    #[error("an item changed on the server during the sync")]
    Changed,
    #[error("{0}")]
    Local(String),
    #[error(transparent)]
    Ops(#[from] crate::ops::OpsError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// What a sync did (or, with `--dry-run`, would do), each way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSummary {
    /// Items created on the server.
    pub sent_new: u64,
    /// Items changed on the server.
    pub sent_changed: u64,
    /// Items deleted from the server.
    pub sent_deleted: u64,
    /// One line per change taken from the server.
    pub received: Vec<String>,
    /// One line per field both sides changed.
    pub conflicts: Vec<String>,
    /// What was left alone, and why (unknown attendees, items the notebook cannot keep).
    pub notes: Vec<String>,
}

impl SyncSummary {
    /// Whether nothing went either way.
    pub fn is_quiet(&self) -> bool {
        self.sent_new + self.sent_changed + self.sent_deleted == 0
            && self.received.is_empty()
            && self.conflicts.is_empty()
    }

    /// Adds `other`'s counts and lines.
    pub fn absorb(&mut self, other: SyncSummary) {
        self.sent_new += other.sent_new;
        self.sent_changed += other.sent_changed;
        self.sent_deleted += other.sent_deleted;
        self.received.extend(other.received);
        self.conflicts.extend(other.conflicts);
        self.notes.extend(other.notes);
    }
}
