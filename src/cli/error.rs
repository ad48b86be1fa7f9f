//! The command line's errors and their exit codes: 2 for anything the user can fix by typing
//! something else (a bad date, an unknown name, an ambiguous one), 1 for runtime failures.

use crate::store::StoreError;
use crate::when::WhenError;

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
            CliError::Runtime(_) => 1,
            CliError::BrokenPipe => 0,
            CliError::Signal(n) => 128u8.saturating_add(*n),
        }
    }
}

impl From<StoreError> for CliError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Invalid(_)
            | StoreError::NotFound { .. }
            | StoreError::NotANotebook { .. }
            | StoreError::DatabaseTooNew { .. }
            | StoreError::File { .. } => CliError::Usage(e.to_string()),
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
            CliError::Runtime(e.to_string())
        }
    }
}
