//! What can go wrong with the notebook file, in terms a caller can act on.

use std::path::PathBuf;

use rusqlite::ErrorCode;

use crate::domain::{Invalid, UnknownValue};

/// A store failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path}: this notebook was written by a newer kamnote (schema {found}, this one knows {supported}); upgrade kam, the file was not touched"
    )]
    DatabaseTooNew {
        path: PathBuf,
        found: i32,
        supported: i32,
    },
    #[error("{path}: not a kamnote notebook ({reason}); the file was not touched")]
    NotANotebook { path: PathBuf, reason: String },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("the notebook is busy (another kam is writing); try again in a moment")]
    Busy,
    #[error("the disk is full; nothing was written — free some space and try again")]
    DiskFull,
    /// The disk refused a read, write or sync (a failing disk, a yanked USB stick).
    #[error("the disk reported an error ({0}); nothing was saved — check the disk and try again")]
    DiskIo(String),
    #[error(
        "{what} was changed by someone else since it was read; nothing was overwritten — reload and try again"
    )]
    Conflict { what: String },
    #[error("{what} not found")]
    NotFound { what: String },
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("{path}: backup check failed: {reason}")]
    BackupFailed { path: PathBuf, reason: String },
    #[error("stored data is damaged: {0}; run `kam check`")]
    Corrupt(String),
    /// An encrypted notebook without its passphrase, or with a wrong one: nothing was read.
    #[error("{reason}")]
    Locked { reason: String },
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::SystemIoFailure) => StoreError::DiskIo(e.to_string()),
            _ => StoreError::Sqlite(e),
        }
    }
}

impl From<UnknownValue> for StoreError {
    fn from(e: UnknownValue) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(code), None)
    }

    #[test]
    fn disk_failures_are_named_for_the_user() {
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_FULL)),
            StoreError::DiskFull
        ));
        // An fsync failure (SQLITE_IOERR_FSYNC) is an I/O error like any other.
        let e = StoreError::from(sqlite(rusqlite::ffi::SQLITE_IOERR_FSYNC));
        assert!(matches!(e, StoreError::DiskIo(_)), "{e:?}");
        assert!(e.to_string().contains("nothing was saved"), "{e}");
        assert!(matches!(
            StoreError::from(sqlite(rusqlite::ffi::SQLITE_BUSY)),
            StoreError::Busy
        ));
    }
}
