//! Opening a notebook file safely: creation with private modes, connection pragmas, refusing
//! foreign or newer files without touching them, checked backups, and migrations.

use std::fs::{self, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::StoreError;
use super::cipher::{self, Passphrase};
use super::schema::{self, APPLICATION_ID, CURRENT_VERSION};

/// How long a writer waits for another one before reporting "busy".
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

fn file_error(path: &Path, message: impl Into<String>) -> StoreError {
    StoreError::File {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Opens the notebook at `path`, creating it (and its directory) if missing when `create`;
/// otherwise a missing file is [`StoreError::NotFound`] and nothing is created (a read-only
/// command on a mistyped path must not leave an empty notebook there). An encrypted notebook
/// needs its passphrase as `key`: without it, or with a wrong one, the file is not touched.
pub fn open_file(
    path: &Path,
    create: bool,
    key: Option<&Passphrase>,
) -> Result<Connection, StoreError> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(file_error(
                path,
                "is a directory; give the path of a notebook file",
            ));
        }
        Ok(meta) if meta.len() == 0 => {
            return Err(StoreError::NotANotebook {
                path: path.to_path_buf(),
                reason: "the file is empty (0 bytes); remove it or choose another --db".into(),
            });
        }
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound && create => create_new(path)?,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Err(StoreError::NotFound {
                what: format!("no notebook at {}", path.display()),
            });
        }
        Err(e) => return Err(file_error(path, e.to_string())),
    }
    let conn = unlock(connect(path)?, path, key)?;
    let (app, version) = header(&conn, path)?;
    if app != APPLICATION_ID && !(app == 0 && version == 0 && is_empty(&conn)?) {
        return Err(StoreError::NotANotebook {
            path: path.to_path_buf(),
            reason: format!("application id {app:#x}, expected {APPLICATION_ID:#x}"),
        });
    }
    if version > CURRENT_VERSION {
        return Err(StoreError::DatabaseTooNew {
            path: path.to_path_buf(),
            found: version,
            supported: CURRENT_VERSION,
        });
    }
    configure(&conn)?;
    if version < CURRENT_VERSION {
        migrate_in_place(&conn, Some(path), key)?;
    }
    Ok(conn)
}

/// A read-write connection to the file at `path`.
fn connect(path: &Path) -> Result<Connection, StoreError> {
    super::entropy::use_system_entropy();
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| file_error(path, format!("cannot open: {e}")))?;
    if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
        return Err(file_error(
            path,
            "is read-only; kam needs to write to its notebook",
        ));
    }
    conn.busy_timeout(BUSY_TIMEOUT)?;
    Ok(conn)
}

/// Keys the connection of an encrypted notebook and checks the key, before anything else reads
/// or writes: no passphrase, or a wrong one, is a clear error and the file is untouched. The
/// key derived from the passphrase is kept in it, so the next connection (the TUI's readers)
/// does not derive it again; when that raw key does not open the file, a fresh connection is
/// keyed with the passphrase itself (SQLCipher's own derivation decides).
fn unlock(
    conn: Connection,
    path: &Path,
    key: Option<&Passphrase>,
) -> Result<Connection, StoreError> {
    let encrypted = cipher::is_encrypted(path);
    match key {
        Some(key) if encrypted => {
            if let (_, true) = cipher::apply_to_file(&conn, key, path)? {
                return Ok(conn);
            }
            drop(conn);
            let conn = connect(path)?;
            cipher::apply(&conn, key)?;
            if cipher::readable(&conn)? {
                Ok(conn)
            } else {
                Err(StoreError::Locked {
                    reason: format!(
                        "{}: wrong passphrase (or not a kamnote notebook); nothing was read or changed",
                        path.display()
                    ),
                })
            }
        }
        None if encrypted => Err(StoreError::Locked {
            reason: format!(
                "{} is encrypted: kam needs its passphrase — run kam in a terminal to type it, or \
                 set KAM_PASSPHRASE_CMD (or [privacy] passphrase_cmd) to a command that prints it, \
                 e.g. \"pass show kam\"",
                path.display()
            ),
        }),
        // A plain notebook given a passphrase is opened as it is (plain).
        _ => Ok(conn),
    }
}

/// Takes the notebook for this connection alone, for as long as it stays open: refused (busy)
/// while another connection (a TUI, another command) has it open. The file is left in rollback
/// journal mode, so no WAL or index file outlives a conversion.
pub fn hold_exclusively(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let _: String =
        conn.pragma_update_and_check(None, "locking_mode", "EXCLUSIVE", |r| r.get(0))?;
    conn.busy_timeout(Duration::from_millis(200))?;
    let mode =
        conn.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get::<_, String>(0));
    let taken = mode.and_then(|_| conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;"));
    taken.map_err(|e| match StoreError::from(e) {
        StoreError::Busy => file_error(
            path,
            "is open in another kam (the full-screen notebook, or a command still running): close it and try again",
        ),
        e => e,
    })
}

/// Reads `application_id` and `user_version` without writing anything.
fn header(conn: &Connection, path: &Path) -> Result<(i32, i32), StoreError> {
    let read = || -> rusqlite::Result<(i32, i32)> {
        let app = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok((app, version))
    };
    read().map_err(|e| match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotANotebook {
            path: path.to_path_buf(),
            reason: "not an SQLite database".into(),
        },
        _ => StoreError::from(e),
    })
}

fn is_empty(conn: &Connection) -> Result<bool, StoreError> {
    let n: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok(n == 0)
}

/// Creates a new notebook without ever exposing a half-made file: it is built under a temporary
/// name and hard-linked into place, which fails if another process got there first (then theirs
/// is used). The directory is created 0700, the file 0600.
fn create_new(path: &Path) -> Result<(), StoreError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.exists() {
        // Every directory made here is private from the start, not chmod-ed afterwards.
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(|e| file_error(&dir, format!("cannot create: {e}")))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| file_error(&dir, e.to_string()))?;
    }
    remove_stale_temps(path);
    let temp = temp_path(path);
    let result = build_new(&temp).and_then(|()| match fs::hard_link(&temp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(file_error(path, format!("cannot create: {e}"))),
    });
    let _ = fs::remove_file(&temp);
    result
}

fn build_new(temp: &Path) -> Result<(), StoreError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(temp)
        .map_err(|e| match e.kind() {
            // Name the directory the user can act on, not the hidden temporary file.
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => file_error(
                temp.parent().unwrap_or(Path::new(".")),
                "cannot write here: read-only directory; give another --db",
            ),
            ErrorKind::StorageFull => StoreError::DiskFull,
            _ => file_error(temp, format!("cannot create: {e}")),
        })?;
    super::entropy::use_system_entropy();
    let conn = Connection::open(temp)?;
    configure(&conn)?;
    migrate_in_place(&conn, None, None)?;
    conn.close().map_err(|(_, e)| StoreError::from(e))
}

/// Per-connection settings (RELIABILITY.md "Defaults that make it true").
pub fn configure(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(StoreError::Corrupt(format!(
            "journal mode {mode} instead of wal"
        )));
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "secure_delete", true)?;
    stable_plans(conn)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// How many compiled statements a connection keeps (rusqlite's default: 16). A statement costs
/// 50–300 K instructions to compile; `kam agenda` runs ~35 distinct ones, and each meeting's
/// prep cycles through ~20 of them (its account's red flags): with 16 kept, every prep
/// compiled them all again (61 compiles instead of 34, 3 M instructions at L).
const STATEMENT_CACHE: usize = 64;

/// Turns on SQLite's query planner stability guarantee: a statement's plan never depends on the
/// values bound to it. Without it, the bundled SQLite (3.54) marks every statement with a bound
/// `LIMIT ?` (or an `= ?` that could be 0 or 1) to be compiled again whenever that value
/// changes — the first bind of every statement in a process included — so each of a command's
/// queries was compiled twice (33 of `kam agenda`'s 34 statements; a tenth of its CPU at L).
/// Nothing is lost: no query binds a `LIKE` pattern, there are no ANALYZE statistics for
/// bound values to be compared with, and the queries whose plan matters name their index.
fn stable_plans(conn: &Connection) -> Result<(), StoreError> {
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(())
}

/// Migrates to the current schema in one IMMEDIATE transaction, after a checked backup when the
/// file already holds data (`path` given and version > 0).
pub fn migrate_in_place(
    conn: &Connection,
    path: Option<&Path>,
    key: Option<&Passphrase>,
) -> Result<(), StoreError> {
    let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= CURRENT_VERSION {
        return Ok(());
    }
    if let (Some(path), true) = (path, version > 0) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("kam.db");
        // Always a fresh, checked copy: a file already under this name may be the remains of a
        // backup cut short (empty or half-written), and is never trusted.
        let dest = path.with_file_name(format!("{name}.before-v{CURRENT_VERSION}.bak"));
        write_backup(conn, &dest, true, key)?;
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Another process may have migrated while we waited for the lock.
    let version: i32 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version < CURRENT_VERSION {
        schema::migrate(&tx, version)?;
    }
    tx.commit()?;
    Ok(())
}

/// Copies the notebook to `dest`, which must not exist yet (`kam backup`); see [`write_backup`].
pub fn backup(conn: &Connection, dest: &Path, key: Option<&Passphrase>) -> Result<(), StoreError> {
    write_backup(conn, dest, false, key)
}

/// The marker in the name of every temporary file kam writes beside a file it makes (a backup,
/// an export, a new notebook): `.{name}.kamtmp-{pid}-{random}`. The pid lets a later run tell the
/// leftovers of a process that died (removed by [`remove_stale_temps`]) from a running one's.
const TEMP_MARK: &str = ".kamtmp-";

/// A new temporary name beside `path`, hidden, naming this process: see [`TEMP_MARK`].
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("kam.db");
    path.with_file_name(format!(
        ".{name}{TEMP_MARK}{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4().simple()
    ))
}

/// Removes the temporary files kam left in the directory of `path` (see [`temp_path`]; any
/// file's, since a dated backup name differs from run to run) in runs that were killed: those
/// whose process is gone. A running process's files are left alone; where there is no `/proc`
/// to ask, nothing is removed.
pub fn remove_stale_temps(path: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let me = std::process::id();
    remove_temps(path, |pid| {
        pid != me && !Path::new("/proc").join(pid.to_string()).exists()
    });
}

/// Removes this process's own temporary files in the directory of `path`: what a terminating
/// signal must not leave behind.
pub fn remove_own_temps(path: &Path) {
    let me = std::process::id();
    remove_temps(path, |pid| pid == me);
}

/// A debug-build hook for the fault tests: with `KAM_TEST_PAUSE` set to `point`, the process
/// says so on stderr and stops there for a minute, to be killed at that exact step. Release
/// builds have no hook.
pub fn test_pause(point: &str) {
    if cfg!(debug_assertions) && std::env::var("KAM_TEST_PAUSE").is_ok_and(|p| p == point) {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), "paused at {point}");
        std::thread::sleep(Duration::from_secs(60));
    }
}

fn remove_temps(path: &Path, whose: impl Fn(u32) -> bool) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name
            .to_str()
            .filter(|n| n.starts_with('.'))
            .and_then(|n| n.split_once(TEMP_MARK))
            .map(|(_, rest)| rest)
        else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if whose(pid) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Gives the finished temporary file `temp` the name `dest`, which must still be free: a hard
/// link (atomic: it fails if the name was taken meanwhile). File systems without hard links
/// (vfat and exFAT USB sticks, some SMB shares) refuse that; there the file is renamed instead,
/// once `dest` is checked to be free (the only gap is another writer taking the name between
/// that check and the rename).
pub fn place_new_file(temp: &Path, dest: &Path) -> std::io::Result<()> {
    place_new_file_with(temp, dest, |a, b| fs::hard_link(a, b))
}

/// [`place_new_file`] with the hard link given (tests inject a file system without links).
fn place_new_file_with(
    temp: &Path,
    dest: &Path,
    link: impl FnOnce(&Path, &Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    match link(temp, dest) {
        Err(e) if links_unsupported(&e) => {
            if fs::symlink_metadata(dest).is_ok() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "the file exists",
                ));
            }
            fs::rename(temp, dest)
        }
        other => other,
    }
}

/// Whether a failed hard link means "this file system has no hard links (here)" rather than a
/// real failure: EPERM (vfat, exFAT), EOPNOTSUPP/ENOTSUP, ENOSYS, EXDEV, EMLINK.
fn links_unsupported(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::Unsupported
        || e.raw_os_error().is_some_and(|n| {
            [
                libc::EPERM,
                libc::EOPNOTSUPP,
                libc::ENOTSUP,
                libc::ENOSYS,
                libc::EXDEV,
                libc::EMLINK,
            ]
            .contains(&n)
        })
}

/// Writes a checked copy of the notebook to `dest`, whole or not at all: the copy is made under a
/// temporary name beside it (SQLite's online backup, run to completion), opened and verified
/// (`quick_check`, the same application id and schema version), synced, and only then given
/// its name — replacing what is there when `replace`, else only if the name is still free. An
/// interruption leaves no file under `dest`, and its temporary file is removed by the next run.
/// The copy of an encrypted notebook is encrypted with the same passphrase (`key`).
pub fn write_backup(
    conn: &Connection,
    dest: &Path,
    replace: bool,
    key: Option<&Passphrase>,
) -> Result<(), StoreError> {
    remove_stale_temps(dest);
    let temp = temp_path(dest);
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .map_err(|e| file_error(dest, format!("cannot create the backup: {e}")))?;
    let result = copy_and_verify(conn, &temp, dest, key).and_then(|()| {
        test_pause("before-rename");
        let placed = if replace {
            fs::rename(&temp, dest)
        } else {
            place_new_file(&temp, dest)
        };
        placed.map_err(|e| file_error(dest, format!("cannot create the backup: {e}")))?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The new name itself survives a power cut once the directory is synced.
            let _ = fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    });
    let temp_name = temp
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let _ = fs::remove_file(&temp);
    for suffix in ["-journal", "-wal", "-shm"] {
        let _ = fs::remove_file(temp.with_file_name(format!("{temp_name}{suffix}")));
    }
    result
}

fn copy_and_verify(
    conn: &Connection,
    temp: &Path,
    dest: &Path,
    key: Option<&Passphrase>,
) -> Result<(), StoreError> {
    let (app, version) = header(conn, dest)?;
    {
        let mut copy = Connection::open(temp)?;
        if let Some(key) = key {
            cipher::apply(&copy, key)?;
        }
        rusqlite::backup::Backup::new(conn, &mut copy)?.run_to_completion(
            256,
            Duration::from_millis(10),
            None,
        )?;
        // A self-contained file: the copy of a WAL notebook would be WAL too, and reading it
        // would leave -wal and -shm files beside it.
        let _: String =
            copy.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
        copy.close().map_err(|(_, e)| StoreError::from(e))?;
    }
    let copy = Connection::open_with_flags(temp, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if let Some(key) = key {
        cipher::apply(&copy, key)?;
    }
    let failed = |reason: String| StoreError::BackupFailed {
        path: dest.to_path_buf(),
        reason,
    };
    let result: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if result != "ok" {
        return Err(failed(result));
    }
    let (copy_app, copy_version) = header(&copy, dest)?;
    if (copy_app, copy_version) != (app, version) {
        return Err(failed(format!(
            "the copy has application id {copy_app:#x} and schema {copy_version}, \
             the notebook {app:#x} and {version}"
        )));
    }
    drop(copy);
    fs::File::open(temp)
        .and_then(|f| f.sync_all())
        .map_err(|e| file_error(dest, format!("cannot sync the backup: {e}")))?;
    Ok(())
}

/// `integrity_check`, `foreign_key_check` and the FTS indexes' own check.
pub fn check(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let line = row?;
        if line != "ok" {
            problems.push(line);
        }
    }
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let table: String = r.get(0)?;
        let rowid: Option<i64> = r.get(1)?;
        let parent: String = r.get(2)?;
        problems.push(format!(
            "foreign key: {table} row {} points at a missing {parent}",
            rowid.unwrap_or_default()
        ));
    }
    for table in [
        "accounts",
        "people",
        "interactions",
        "followups",
        "deals",
        "plans",
    ] {
        let sql =
            format!("INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)");
        if let Err(e) = conn.execute(&sql, []) {
            problems.push(format!("search index of {table}: {e}"));
        }
    }
    Ok(problems)
}

#[cfg(test)]
mod tests {
    /// 11.10: on a file system without hard links (vfat, exFAT, some SMB shares: the link
    /// fails with EPERM or EOPNOTSUPP) the finished file is renamed into place instead, and a
    /// name that is taken is still refused.
    #[test]
    fn a_file_system_without_hard_links_gets_the_file_by_rename() {
        let dir = tempfile::tempdir().unwrap();
        for errno in [libc::EPERM, libc::EOPNOTSUPP, libc::EXDEV] {
            let temp = dir.path().join(format!("t{errno}"));
            let dest = dir.path().join(format!("d{errno}"));
            std::fs::write(&temp, b"whole").unwrap();
            place_new_file_with(&temp, &dest, |_, _| {
                Err(std::io::Error::from_raw_os_error(errno))
            })
            .unwrap();
            assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
            assert!(!temp.exists());
            // No clobbering: a taken name is refused and keeps its content.
            std::fs::write(&temp, b"new").unwrap();
            let taken = place_new_file_with(&temp, &dest, |_, _| {
                Err(std::io::Error::from_raw_os_error(errno))
            })
            .unwrap_err();
            assert_eq!(taken.kind(), std::io::ErrorKind::AlreadyExists);
            assert_eq!(std::fs::read(&dest).unwrap(), b"whole");
        }
        // Any other failure is reported, not papered over.
        let temp = dir.path().join("t");
        std::fs::write(&temp, b"x").unwrap();
        let dest = dir.path().join("d");
        let err = place_new_file_with(&temp, &dest, |_, _| {
            Err(std::io::Error::from_raw_os_error(libc::ENOSPC))
        })
        .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOSPC));
        assert!(!dest.exists());
    }

    use super::super::Store;
    use super::*;

    /// Latency 16: a statement is compiled once per process, not again when its values are
    /// bound (SQLite otherwise recompiles one with a bound `LIMIT` at every new limit, the
    /// first bind included): see `stable_plans`.
    #[test]
    fn binding_values_does_not_recompile_a_statement() {
        let tmp = tempfile::tempdir().unwrap();
        for store in [
            Store::open(&tmp.path().join("kam.db")).unwrap(),
            Store::open_in_memory().unwrap(),
        ] {
            let mut stmt = store
                .conn
                .prepare("SELECT id FROM accounts WHERE tier = ?1 ORDER BY id LIMIT ?2")
                .unwrap();
            for (tier, limit) in [("A", 1), ("B", 5), ("A", 0), ("C", 1)] {
                let mut rows = stmt.query(rusqlite::params![tier, limit]).unwrap();
                while rows.next().unwrap().is_some() {}
            }
            assert_eq!(stmt.get_status(rusqlite::StatementStatus::RePrepare), 0);
        }
    }

    /// A version-1 notebook at `path` with one account.
    fn v1_notebook(path: &Path) {
        let conn = Connection::open(path).unwrap();
        configure(&conn).unwrap();
        let tx =
            rusqlite::Transaction::new_unchecked(&conn, TransactionBehavior::Immediate).unwrap();
        schema::migrate_to(&tx, 0, 1).unwrap();
        tx.commit().unwrap();
        let store = Store {
            conn,
            path: None,
            key: None,
        };
        // Written as version 1 did (today's writer fills `travel_minutes`, added in v16).
        store
            .conn
            .execute(
                "INSERT INTO accounts(uid, created_at, updated_at, name, name_key)
                 VALUES ('acc-1', 't', 't', 'Hospital Clínic', 'hospital clinic')",
                [],
            )
            .unwrap();
    }

    fn accounts_in(path: &Path) -> i64 {
        let copy = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let check: String = copy
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok");
        let version: i32 = copy
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(version, 1);
        copy.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
            .unwrap()
    }

    /// 11.4: a backup cut short by a crash (an empty or half-written file under the backup's
    /// name) is not taken for a backup: the migration writes a new one, checked, in its place.
    #[test]
    fn a_leftover_pre_migration_backup_is_never_trusted() {
        for leftover in [&b""[..], b"SQLite format 3\0half a page"] {
            let tmp = tempfile::tempdir().unwrap();
            let path = tmp.path().join("kam.db");
            v1_notebook(&path);
            let dest = tmp
                .path()
                .join(format!("kam.db.before-v{CURRENT_VERSION}.bak"));
            fs::write(&dest, leftover).unwrap();
            // A temporary copy left by a process that died (no such pid) is removed too.
            let stale = tmp.path().join(".kam.db.before-v7.bak.kamtmp-99999999-x");
            fs::write(&stale, b"partial").unwrap();
            Store::open(&path).unwrap();
            assert_eq!(accounts_in(&dest), 1);
            assert!(!stale.exists());
            let names: Vec<_> = fs::read_dir(tmp.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.contains("kamtmp"))
                .collect();
            assert!(names.is_empty(), "{names:?}");
        }
    }
}
