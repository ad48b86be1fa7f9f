//! The notebook file: SQLite, and the only module that speaks SQL.
//!
//! Promises (RELIABILITY.md): the file is created 0600 in a 0700 directory before SQLite touches
//! it; every connection sets WAL, `synchronous=FULL`, `foreign_keys`, `secure_delete` and a busy
//! timeout; every write is one `BEGIN IMMEDIATE` transaction ([`Store::write`]); edits check the
//! record's version; a file from a newer kamnote, or not a kamnote file at all, is refused
//! untouched; before a migration a checked backup is taken with `VACUUM INTO`.

mod about;
mod accounts;
mod agenda;
mod brief;
mod business;
mod cipher;
mod codec;
mod coverage;
mod deal_people;
mod deals;
mod drafts;
mod entropy;
mod error;
mod export;
mod flags;
mod followups;
mod forget;
mod import;
mod interactions;
mod interop;
mod journal;
mod links;
mod lists;
mod merge;
mod ontime;
mod open;
mod people;
mod plans;
mod prep;
mod products;
mod resolve;
mod sales;
mod schema;
mod search;
mod shelf;
mod stages;
mod sync_state;
#[cfg(test)]
pub(crate) mod testing;
mod transfers;

use std::ops::Deref;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use crate::domain::{Id, Timestamp};

pub use about::About;
pub use agenda::{BirthdayRow, StaleCutoffs, StaleRow};
pub use business::{
    AccountActivity, DealFilter, DealRow, ObligationRow, PlanBudget, SalesRow, StageMove,
};
pub use cipher::{Passphrase, is_encrypted};
pub use coverage::{CoverageRow, CoverageScope};
pub use deal_people::{DealPersonRow, PersonDealRole};
pub use deals::ListedObligation;
pub use error::StoreError;
pub use export::{ExportRecord, ExportScope, Refs, X_PRODUCTS};
pub use flags::{AccountFacts, FlagPerson, KEY_PEOPLE_READ, OPPONENTS_READ, Threading};
pub use followups::FollowUpRow;
pub use forget::{Erased, Erasure, Redact, Wiped, backup_holds, backups_beside};
pub use import::{RefColumn, SearchBacklog, SetAsideIndexes};
pub use interactions::{InteractionRecord, InteractionRow, LastContacts};
pub use interop::{CalendarFollowUp, CalendarMeeting};
pub use journal::{JournalChange, JournalEntry, Shape, Subject};
pub use links::{AccountLinks, LinkedPerson};
pub use lists::{
    AccountRow, AccountSort, ListQuery, NextFollowUp, OpenValue, PersonRow, PersonSort,
};
pub use merge::{MergeKind, References};
pub use ontime::{AccountPlace, ReminderKind, UpcomingMeeting};
pub use open::{place_new_file, remove_own_temps, remove_stale_temps, temp_path, test_pause};
pub use plans::{PlanRow, X_PLAN, X_SPEND};
pub use prep::{AttendeeFacts, DealInPlay, PromiseCount};
pub use products::{CatalogueTable, ObjectionRow, ProductStanding};
pub use resolve::{Candidate, TargetKind, UidTable};
pub use sales::{PaidPayment, SalesEntry, SalesLine};
pub use schema::{APPLICATION_ID, CURRENT_VERSION};
pub use search::{Fragment, Rebuilt, Search, SearchHit};
pub use shelf::Shelved;
pub use sync_state::{SyncedCollection, SyncedItem};
pub use transfers::{Recipient, TovLine};

/// An open notebook.
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// The passphrase of an encrypted notebook, for the connections opened after this one
    /// (the TUI's readers, backups).
    key: Option<Passphrase>,
}

/// Read access to a notebook (a connection or a transaction in progress).
pub struct Reader<'c> {
    conn: &'c Connection,
}

/// Write access inside one `BEGIN IMMEDIATE` transaction; reads see the transaction's own writes.
pub struct Writer<'c> {
    reader: Reader<'c>,
    now: Timestamp,
}

impl<'c> Deref for Writer<'c> {
    type Target = Reader<'c>;
    fn deref(&self) -> &Reader<'c> {
        &self.reader
    }
}

impl Writer<'_> {
    /// Fails with [`StoreError::Conflict`] unless record `id` of `table` (with this `uid`, if given) is
    /// still at `version`: an edit never overwrites a change made since it was read.
    fn check_version(
        &self,
        table: &str,
        id: Id,
        uid: Option<&str>,
        version: i64,
        what: impl FnOnce() -> String,
    ) -> Result<(), StoreError> {
        let sql = format!("SELECT version FROM {table} WHERE id = ?1 AND (?2 IS NULL OR uid = ?2)");
        let found: Option<i64> = self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![id, uid], |r| r.get(0))
            .optional()?;
        if found == Some(version) {
            Ok(())
        } else {
            Err(StoreError::Conflict { what: what() })
        }
    }

    /// The moment this transaction stamps on what it writes.
    pub fn now(&self) -> Timestamp {
        self.now
    }
}

impl Store {
    /// Opens (creating if missing) the notebook at `path`, migrating it if it is older.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Self::open_keyed(path, None)
    }

    /// As [`Store::open`], with the passphrase of an encrypted notebook (`None`: a plain one).
    pub fn open_keyed(path: &Path, key: Option<Passphrase>) -> Result<Self, StoreError> {
        let conn = open::open_file(path, true, key.as_ref())?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            key,
        })
    }

    /// Opens the notebook at `path` only if it exists (migrating it if it is older): a missing
    /// file is [`StoreError::NotFound`], and nothing is created.
    pub fn open_existing(path: &Path) -> Result<Self, StoreError> {
        Self::open_existing_keyed(path, None)
    }

    /// As [`Store::open_existing`], with the passphrase of an encrypted notebook.
    pub fn open_existing_keyed(path: &Path, key: Option<Passphrase>) -> Result<Self, StoreError> {
        let conn = open::open_file(path, false, key.as_ref())?;
        Ok(Store {
            conn,
            path: Some(path.to_path_buf()),
            key,
        })
    }

    /// Another connection to the same notebook file, keyed as this one (a reader thread's).
    pub fn reopen(&self) -> Result<Store, StoreError> {
        match &self.path {
            Some(path) => Store::open_existing_keyed(path, self.key.clone()),
            None => Err(StoreError::NotFound {
                what: "a notebook file (this one is in memory)".into(),
            }),
        }
    }

    /// Whether this notebook is encrypted.
    pub fn encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The passphrase this notebook was opened with, when encrypted (to read its backups).
    pub fn passphrase(&self) -> Option<&Passphrase> {
        self.key.as_ref()
    }

    /// Rewrites the notebook file encrypted with `to`, or plain when `None` (`kam encrypt`,
    /// `kam decrypt`, `kam rekey`): the new file is written beside it, checked and renamed into
    /// place. Refused while another connection has the notebook open. Consumes the store: the
    /// file is opened again afterwards with its new key.
    pub fn convert(self, to: Option<&Passphrase>) -> Result<(), StoreError> {
        let Some(path) = self.path.clone() else {
            return Err(StoreError::NotFound {
                what: "a notebook file (this one is in memory)".into(),
            });
        };
        open::hold_exclusively(&self.conn, &path)?;
        cipher::convert(&self.conn, &path, to)?;
        // A process that opened the old file while it was held waits for it and would then
        // write to a file no longer in place: marked as from a newer kamnote, it is refused.
        let _ = self.conn.pragma_update(None, "user_version", i32::MAX);
        self.conn.close().map_err(|(_, e)| StoreError::from(e))
    }

    /// A fresh notebook in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        let conn = Connection::open_in_memory()?;
        open::configure(&conn)?;
        open::migrate_in_place(&conn, None, None)?;
        Ok(Store {
            conn,
            path: None,
            key: None,
        })
    }

    /// How many rows this connection has inserted, changed or deleted since it was opened: a
    /// command tells from it whether it wrote anything before a later step failed.
    pub fn changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// The file this notebook lives in (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Read access outside any explicit transaction.
    pub fn reader(&self) -> Reader<'_> {
        Reader { conn: &self.conn }
    }

    /// Gives this connection a 512 KiB page cache (128 pages; SQLite's default is 2 MiB), for a
    /// command that reads once and exits. Such a command reads most pages once: a bigger cache
    /// only grows the heap one freshly faulted page at a time (at L `kam agenda` reads ~650
    /// pages: 924 page faults with the default, 539 with this), while the b-trees' interior
    /// pages, the ones read again and again, fit many times over.
    pub fn use_short_read_cache(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "cache_size", -512)?;
        Ok(())
    }

    /// Gives this connection a 64 MiB page cache, for a bulk write (an import) that touches
    /// many pages. Not the default: allocating it costs a few milliseconds a process, which a
    /// short command like `kam agenda` would pay for nothing.
    pub fn use_bulk_cache(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "cache_size", -65536)?;
        Ok(())
    }

    /// Runs `f` on one consistent snapshot of the notebook (a read transaction): what another
    /// process commits meanwhile is not half-seen. For exports and multi-query reads.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Reader<'_>) -> T) -> Result<T, StoreError> {
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Deferred)?;
        let value = f(&Reader { conn: &tx });
        tx.finish()?;
        Ok(value)
    }

    /// Runs `f` in one `BEGIN IMMEDIATE` transaction, committed when it returns `Ok`.
    pub fn write<T>(
        &mut self,
        now: Timestamp,
        f: impl FnOnce(&Writer<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.try_write(now, f)
    }

    /// As [`Store::write`] for callers with their own error type (an importer's line errors):
    /// any `Err` from `f` rolls the whole transaction back.
    pub fn try_write<T, E: From<StoreError>>(
        &mut self,
        now: Timestamp,
        f: impl FnOnce(&Writer<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let value = f(&Writer {
            reader: Reader { conn: &tx },
            now,
        })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(value)
    }

    /// `PRAGMA data_version`: changes when another connection commits (the TUI polls it).
    pub fn data_version(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// A mark of what the notebook holds: `data_version` (other connections' commits) and this
    /// connection's own changes. While it stays equal, nothing read from the notebook changed.
    pub fn change_mark(&self) -> Result<(i64, u64), StoreError> {
        Ok((self.data_version()?, self.conn.total_changes()))
    }

    /// A handle that stops the query this connection is running from another thread (a search
    /// superseded by the next keystroke); the query fails with an interrupted error.
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.conn.get_interrupt_handle()
    }

    /// Integrity and foreign-key check; returns the problems found (empty when healthy).
    pub fn check(&self) -> Result<Vec<String>, StoreError> {
        open::check(&self.conn)
    }

    /// Writes a consistent copy of the notebook to `dest` (mode 0600), checked after writing.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        open::backup(&self.conn, dest, self.key.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::testing::{add_person, person};
    use super::*;
    use crate::domain::Person;

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    /// RELIABILITY P2: erasing a person removes their text from the file, FTS index included.
    #[test]
    fn a_deleted_persons_text_leaves_the_file() {
        const NOTE: &str = "Daughter Zebulonia studies oboe at the Liceu conservatory";
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("kam.db");
        let mut store = Store::open(&path).unwrap();
        let keep = add_person(&mut store, &person("p-0", "Kept Person", None));
        let gone = add_person(
            &mut store,
            &Person {
                personal: Some(NOTE.into()),
                ..person("p-1", "Ana Puig", None)
            },
        );
        store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
        let bytes = fs::read(&path).unwrap();
        assert!(contains(&bytes, NOTE), "the note is in the file before");
        assert!(contains(&bytes, "zebulonia"), "and its token in the index");

        store
            .conn
            .execute("DELETE FROM people WHERE id = ?1", [gone])
            .unwrap();
        store
            .conn
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();

        let hits: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM people_fts WHERE people_fts MATCH 'zebulonia'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hits, 0, "still in the search index");
        let mut files = vec![path.clone()];
        files.push(tmp.path().join("kam.db-wal"));
        for file in files {
            let bytes = fs::read(&file).unwrap_or_default();
            for text in [NOTE, "Zebulonia", "zebulonia", "Liceu", "liceu", "Ana Puig"] {
                assert!(
                    !contains(&bytes, text),
                    "{text:?} is still in {}",
                    file.display()
                );
            }
        }
        assert!(store.reader().person(keep).unwrap().is_some());
        assert!(store.check().unwrap().is_empty());
    }
}
