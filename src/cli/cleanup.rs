//! Temporary files on a terminating signal: `kam backup` and `kam export -o` build their file
//! under a hidden temporary name beside it (see [`crate::store::temp_path`]). SIGINT, SIGTERM or
//! SIGHUP meanwhile removes this process's temporary files there, then exits 128 + the signal,
//! as shells expect; no partial file and no hidden copy of the notebook stays. (A `kill -9`
//! cannot be caught: the next run removes the temporaries of processes that are gone.)

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::CliError;

/// Files whose directories hold this process's temporary files.
static WATCHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Whether the signal thread runs (started once).
static STARTED: OnceLock<()> = OnceLock::new();

/// From now until the process ends, a terminating signal removes this process's temporary files
/// beside `file` before exiting.
pub fn on_signal_remove_temps_beside(file: &Path) -> Result<(), CliError> {
    if let Ok(mut watched) = WATCHED.lock() {
        watched.push(file.to_path_buf());
    }
    if STARTED.get().is_some() {
        return Ok(());
    }
    let mut signals = Signals::new([SIGINT, SIGTERM, SIGHUP])
        .map_err(|e| CliError::runtime(format!("cannot watch for signals: {e}")))?;
    let _ = STARTED.set(());
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            if let Ok(watched) = WATCHED.lock() {
                for file in watched.iter() {
                    crate::store::remove_own_temps(file);
                }
            }
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}
