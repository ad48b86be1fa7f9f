//! The command line's errors and their exit codes: 2 for anything the user can fix by typing
//! something else (a bad date, an unknown name, an ambiguous one), 1 for runtime failures, 3 when
//! a change was saved but its confirmation could not be written (do not retry).

use crate::store::StoreError;
use crate::when::WhenError;

/// The exit code of a command whose change was saved but whose output failed.
pub const SAVED_BUT_NOT_SHOWN: u8 = 3;

/// A failed command.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input: exit 2.
    #[error("{0}")]
    Usage(String),
    /// A runtime failure: exit 1.
    #[error("{0}")]
    Runtime(String),
    /// The TUI was ended by signal n: exit 128 + n, as shells expect, with nothing printed.
    #[error("ended by signal {0}")]
    Signal(u8),
    /// The command's output could not be written (a full disk): exit 1.
    #[error("{0}")]
    Output(String),
    /// The change was saved, then its output could not be written: exit 3, so that a script
    /// does not run it again and save it twice.
    #[error(
        "{what} WAS saved, but the confirmation could not be written ({cause}); do not run the command again (that would save it twice)"
    )]
    Saved { what: String, cause: String },
    /// stdout was closed by the reader (`kam agenda | head -1`): a clean exit.
    #[error("broken pipe")]
    BrokenPipe,
}

impl CliError {
    pub fn usage(message: impl Into<String>) -> Self {
        CliError::Usage(message.into())
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        CliError::Runtime(message.into())
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Runtime(_) | CliError::Output(_) => 1,
            CliError::Saved { .. } => SAVED_BUT_NOT_SHOWN,
            CliError::BrokenPipe => 0,
            CliError::Signal(n) => 128u8.saturating_add(*n),
        }
    }
}

/// What a failed file write means for the user: "the disk is full" rather than "No space left
/// on device (os error 28)", and a read-only place named as such.
pub fn io_message(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "the disk is full; nothing was written — free some space and try again".into()
        }
        ErrorKind::ReadOnlyFilesystem => "read-only file system".into(),
        _ => e.to_string(),
    }
}

/// "cannot write DIR: read-only directory" when a file cannot be made in `path`'s directory for
/// want of permission (or on a read-only file system); otherwise `path` and [`io_message`].
pub fn write_error(path: &std::path::Path, e: &std::io::Error) -> CliError {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem
    ) {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => std::path::Path::new("."),
        };
        return CliError::Usage(format!(
            "cannot write {}: read-only directory",
            dir.display()
        ));
    }
    CliError::Runtime(format!("{}: {}", path.display(), io_message(e)))
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            // SQLite says "disk I/O error" when a full disk fails a sync or the WAL index rather
            // than a write; the OS error it met tells.
            StoreError::DiskIo(_)
                if std::io::Error::last_os_error().kind() == std::io::ErrorKind::StorageFull =>
            {
                CliError::Runtime(StoreError::DiskFull.to_string())
            }
            StoreError::Invalid(_)
            | StoreError::NotFound { .. }
            | StoreError::NotANotebook { .. }
            | StoreError::DatabaseTooNew { .. }
            | StoreError::File { .. }
            | StoreError::Locked { .. } => CliError::Usage(e.to_string()),
            _ => CliError::Runtime(e.to_string()),
        }
    }
}

impl From<crate::ops::OpsError> for CliError {
    fn from(e: crate::ops::OpsError) -> Self {
        use crate::ops::OpsError;
        match e {
            OpsError::Store(e) => e.into(),
            OpsError::Conflict { .. } => CliError::Runtime(e.to_string()),
            OpsError::Invalid(_) | OpsError::NotFound(_) | OpsError::Refused(_) => {
                CliError::Usage(e.to_string())
            }
        }
    }
}

impl From<WhenError> for CliError {
    fn from(e: WhenError) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<crate::domain::UnknownValue> for CliError {
    fn from(e: crate::domain::UnknownValue) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<crate::domain::Invalid> for CliError {
    fn from(e: crate::domain::Invalid) -> Self {
        CliError::Usage(e.to_string())
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            CliError::BrokenPipe
        } else {
            CliError::Runtime(io_message(&e))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_disk_and_a_read_only_directory_are_named() {
        let full = std::fs::write("/dev/full", b"x").unwrap_err();
        assert_eq!(
            CliError::from(full).to_string(),
            "the disk is full; nothing was written — free some space and try again"
        );
        // SQLite's "disk I/O error" after the OS said ENOSPC.
        let _ = std::fs::write("/dev/full", b"x");
        let e = CliError::from(StoreError::DiskIo("disk I/O error".into()));
        assert!(e.to_string().contains("disk is full"), "{e}");
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert_eq!(
            write_error(std::path::Path::new("/x/y/out.jsonl"), &denied).to_string(),
            "cannot write /x/y: read-only directory"
        );
    }
}
