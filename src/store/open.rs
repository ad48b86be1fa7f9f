//! Opening a notebook file safely: creation with private modes, connection pragmas, refusing
//! foreign or newer files without touching them, checked backups, and migrations.

use std::fs::{self, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use super::StoreError;
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
/// command on a mistyped path must not leave an empty notebook there).
pub fn open_file(path: &Path, create: bool) -> Result<Connection, StoreError> {
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
        migrate_in_place(&conn, Some(path))?;
    }
    Ok(conn)
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
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("kam.db");
    let temp = dir.join(format!(
        ".{name}.new-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
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
        .map_err(|e| file_error(temp, format!("cannot create: {e}")))?;
    let conn = Connection::open(temp)?;
    configure(&conn)?;
    migrate_in_place(&conn, None)?;
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
    Ok(())
}

/// Migrates to the current schema in one IMMEDIATE transaction, after a checked backup when the
/// file already holds data (`path` given and version > 0).
pub fn migrate_in_place(conn: &Connection, path: Option<&Path>) -> Result<(), StoreError> {
    let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if version >= CURRENT_VERSION {
        return Ok(());
    }
    if let (Some(path), true) = (path, version > 0) {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("kam.db");
        let dest = path.with_file_name(format!("{name}.before-v{CURRENT_VERSION}.bak"));
        if !dest.exists() {
            backup(conn, &dest)?;
        }
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

/// `VACUUM INTO` a new 0600 file, then checks the copy.
pub fn backup(conn: &Connection, dest: &Path) -> Result<(), StoreError> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dest)
        .map_err(|e| file_error(dest, format!("cannot create the backup: {e}")))?;
    let dest_str = dest
        .to_str()
        .ok_or_else(|| file_error(dest, "path is not UTF-8"))?;
    if let Err(e) = conn.execute("VACUUM INTO ?1", [dest_str]) {
        let _ = fs::remove_file(dest);
        return Err(e.into());
    }
    let copy = Connection::open_with_flags(dest, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let result: String = copy.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if result != "ok" {
        return Err(StoreError::BackupFailed {
            path: dest.to_path_buf(),
            reason: result,
        });
    }
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
