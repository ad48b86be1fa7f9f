//! The notebook file under the promises of RELIABILITY.md: creation with private modes, refusing
//! foreign or newer files untouched, several writers at once (threads, each with its own
//! connection, standing in for processes), checks and backups.

// The helpers below are test code too; `allow-unwrap-in-tests` only covers `#[test]` functions.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::SystemTime;

use chrono::DateTime;
use kamnote::domain::{Account, Person, Timestamp};
use kamnote::store::{APPLICATION_ID, CURRENT_VERSION, Store, StoreError};
use rusqlite::Connection;

fn now() -> Timestamp {
    DateTime::parse_from_rfc3339("2026-03-02T10:00:00+01:00").unwrap()
}

fn account(uid: &str, name: &str) -> Account {
    Account {
        uid: uid.into(),
        name: name.into(),
        ..Account::default()
    }
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Bytes and modification time of a file, to show it was not touched.
fn fingerprint(path: &Path) -> (Vec<u8>, SystemTime) {
    (
        fs::read(path).unwrap(),
        fs::metadata(path).unwrap().modified().unwrap(),
    )
}

/// A notebook at `path` holding one account.
fn notebook_with_one_account(path: &Path) {
    let mut store = Store::open(path).unwrap();
    store
        .write(now(), |w| {
            w.upsert_account(&account("acc-1", "Hospital Clínic"), None, None)
        })
        .unwrap();
}

// 1. Migration from nothing -------------------------------------------------------------------

#[test]
fn open_creates_a_private_notebook_in_a_private_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("kamnote");
    let path = dir.join("kam.db");

    let mut store = Store::open(&path).unwrap();
    assert_eq!(mode(&dir), 0o700, "directory we created");
    assert_eq!(mode(&path), 0o600, "notebook file");
    store
        .write(now(), |w| {
            w.upsert_account(&account("acc-1", "Hospital Clínic"), None, None)
        })
        .unwrap();
    // The store is still open, so the WAL and its index exist; they inherit the file's mode.
    assert_eq!(mode(&sibling(&path, "-wal")), 0o600, "-wal");
    assert_eq!(mode(&sibling(&path, "-shm")), 0o600, "-shm");
    // No temporary file of the creation is left behind.
    assert_eq!(entries(&dir), ["kam.db", "kam.db-shm", "kam.db-wal"]);

    let raw = Connection::open(&path).unwrap();
    let app: i32 = raw
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let version: i32 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let journal: String = raw
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(version, CURRENT_VERSION);
    assert_eq!(journal, "wal");
    drop(raw);
    drop(store);

    let store = Store::open(&path).unwrap();
    let accounts = store.reader().accounts(10, 0).unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].name, "Hospital Clínic");
    assert!(store.check().unwrap().is_empty());
}

#[test]
fn open_leaves_the_mode_of_an_existing_directory_alone() {
    let tmp = tempfile::tempdir().unwrap();
    fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let path = tmp.path().join("kam.db");
    Store::open(&path).unwrap();
    assert_eq!(mode(tmp.path()), 0o755);
    assert_eq!(mode(&path), 0o600);
}

// 2. Refusals, file untouched -----------------------------------------------------------------

/// Opens `path`, expects a refusal, and checks that neither the file nor its directory changed.
fn refused(path: &Path) -> StoreError {
    let dir = path.parent().unwrap();
    let before = fingerprint(path);
    let listing = entries(dir);
    let Err(err) = Store::open(path) else {
        panic!("{} was opened", path.display());
    };
    assert!(
        before == fingerprint(path),
        "{} was modified",
        path.display()
    );
    assert_eq!(entries(dir), listing, "files appeared or vanished");
    err
}

#[test]
fn a_newer_notebook_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    notebook_with_one_account(&path);
    let raw = Connection::open(&path).unwrap();
    raw.pragma_update(None, "user_version", CURRENT_VERSION + 1)
        .unwrap();
    drop(raw);

    match refused(&path) {
        StoreError::DatabaseTooNew {
            found, supported, ..
        } => {
            assert_eq!(found, CURRENT_VERSION + 1);
            assert_eq!(supported, CURRENT_VERSION);
        }
        e => panic!("expected DatabaseTooNew, got {e:?}"),
    }
}

#[test]
fn a_text_file_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("short.txt", "not a database\n".to_string()),
        ("long.txt", "Dear Ana, about the tender...\n".repeat(500)),
    ] {
        let path = tmp.path().join(name);
        fs::write(&path, text).unwrap();
        let err = refused(&path);
        assert!(
            matches!(err, StoreError::NotANotebook { .. }),
            "{name}: {err:?}"
        );
    }
}

#[test]
fn another_applications_database_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("music.db");
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('Lua');")
        .unwrap();
    drop(raw);
    let err = refused(&path);
    assert!(matches!(err, StoreError::NotANotebook { .. }), "{err:?}");
}

#[test]
fn an_empty_file_is_refused_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    fs::write(&path, b"").unwrap();
    let err = refused(&path);
    assert!(matches!(err, StoreError::NotANotebook { .. }), "{err:?}");
}

#[test]
fn a_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    fs::create_dir(&path).unwrap();
    match Store::open(&path) {
        Err(StoreError::File { path: p, .. }) => assert_eq!(p, path),
        Err(e) => panic!("expected File, got {e:?}"),
        Ok(_) => panic!("a directory was opened"),
    }
    assert!(path.is_dir());
    assert!(entries(&path).is_empty());
}

// 3. Concurrency ------------------------------------------------------------------------------

#[test]
fn two_stores_on_one_file_write_alternately() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    let mut one = Store::open(&path).unwrap();
    let mut two = Store::open(&path).unwrap();
    for i in 0..20 {
        let store = if i % 2 == 0 { &mut one } else { &mut two };
        store
            .write(now(), |w| {
                w.upsert_account(
                    &account(&format!("acc-{i}"), &format!("Account {i}")),
                    None,
                    None,
                )
            })
            .unwrap();
        // Each sees the other's writes at once.
        assert_eq!(one.reader().accounts(100, 0).unwrap().len(), i + 1);
        assert_eq!(two.reader().accounts(100, 0).unwrap().len(), i + 1);
    }
}

/// The deferred-transaction trap: a transaction that reads, then writes after another connection
/// committed, fails at once with "database is locked". Inside `Store::write` (BEGIN IMMEDIATE)
/// the second writer waits instead, and read-modify-write loses no update.
#[test]
fn read_then_write_inside_write_neither_fails_nor_loses_updates() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 25;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    let id = {
        let mut store = Store::open(&path).unwrap();
        store
            .write(now(), |w| {
                w.upsert_account(
                    &Account {
                        our_sales: Some(0.0),
                        ..account("counter", "Counter")
                    },
                    None,
                    None,
                )
            })
            .unwrap()
    };
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let path = path.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                start.wait();
                for _ in 0..ROUNDS {
                    store
                        .write(now(), |w| {
                            let (mut a, stamp) = w.account(id)?.unwrap();
                            // Give the other threads a chance to try to write in between.
                            thread::yield_now();
                            a.our_sales = Some(a.our_sales.unwrap() + 1.0);
                            w.update_account(&a, stamp.version)
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let (a, stamp) = store.reader().account(id).unwrap().unwrap();
    #[allow(clippy::cast_precision_loss)]
    let expected = (THREADS * ROUNDS) as f64;
    assert!((a.our_sales.unwrap() - expected).abs() < f64::EPSILON);
    assert_eq!(stamp.version, 1 + i64::try_from(THREADS * ROUNDS).unwrap());
}

#[test]
fn threads_each_with_their_own_store_keep_every_write() {
    const THREADS: usize = 4;
    const EACH: usize = 200;
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    Store::open(&path).unwrap();
    let start = Arc::new(Barrier::new(THREADS));
    let handles: Vec<_> = (0..THREADS)
        .map(|t| {
            let path = path.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                start.wait();
                for i in 0..EACH {
                    let a = account(&format!("t{t}-{i}"), &format!("Account {t}/{i}"));
                    store
                        .write(now(), |w| w.upsert_account(&a, None, None))
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    let all = store.reader().accounts(10_000, 0).unwrap();
    assert_eq!(all.len(), THREADS * EACH);
    for t in 0..THREADS {
        for i in 0..EACH {
            let uid = format!("t{t}-{i}");
            assert!(all.iter().any(|a| a.uid == uid), "{uid} missing");
        }
    }
    assert!(store.check().unwrap().is_empty());
}

/// Takes as long as the busy timeout (5 s).
#[test]
fn a_lock_held_past_the_busy_timeout_is_reported_as_busy() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    let mut store = Store::open(&path).unwrap();
    let raw = Connection::open(&path).unwrap();
    raw.execute_batch("BEGIN IMMEDIATE").unwrap();
    let result = store.write(now(), |w| {
        w.upsert_account(&account("acc-1", "Hospital Clínic"), None, None)
    });
    assert!(matches!(result, Err(StoreError::Busy)), "{result:?}");
    raw.execute_batch("COMMIT").unwrap();
    // Once the other writer is gone, the same store writes again.
    store
        .write(now(), |w| {
            w.upsert_account(&account("acc-1", "Hospital Clínic"), None, None)
        })
        .unwrap();
    assert_eq!(store.reader().accounts(10, 0).unwrap().len(), 1);
}

#[test]
fn twenty_first_runs_at_once_make_one_notebook() {
    const RUNS: usize = 20;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let path = dir.join("kam.db");
    let start = Arc::new(Barrier::new(RUNS));
    let handles: Vec<_> = (0..RUNS)
        .map(|i| {
            let path = path.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                start.wait();
                let mut store = Store::open(&path).unwrap();
                store
                    .write(now(), |w| {
                        w.upsert_account(&account(&format!("acc-{i}"), "Same name"), None, None)
                    })
                    .unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert!(store.check().unwrap().is_empty());
    assert_eq!(store.reader().accounts(100, 0).unwrap().len(), RUNS);
    drop(store);
    let raw = Connection::open(&path).unwrap();
    assert_eq!(
        count(
            &raw,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'accounts'"
        ),
        1
    );
    drop(raw);
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&path), 0o600);
    // No temporary file of a losing run is left behind.
    assert!(
        entries(&dir).iter().all(|n| n.starts_with("kam.db")),
        "{:?}",
        entries(&dir)
    );
}

// Checks and backups --------------------------------------------------------------------------

#[test]
fn check_is_empty_when_healthy_and_reports_a_broken_foreign_key() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    notebook_with_one_account(&path);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.check().unwrap(), Vec::<String>::new());

    let raw = Connection::open(&path).unwrap();
    raw.pragma_update(None, "foreign_keys", false).unwrap();
    raw.execute(
        "INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id)
         VALUES ('orphan', '', '', 'Orphan', 'orphan', 999)",
        [],
    )
    .unwrap();
    drop(raw);
    let problems = store.check().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].contains("people") && problems[0].contains("accounts"),
        "{problems:?}"
    );
}

#[test]
fn backup_is_private_checked_and_complete() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("kam.db");
    let mut store = Store::open(&path).unwrap();
    store
        .write(now(), |w| {
            let a = w.upsert_account(&account("acc-1", "Hospital Clínic"), None, None)?;
            let p = Person {
                uid: "p-1".into(),
                name: "Ana Puig".into(),
                account: Some(a),
                ..Person::default()
            };
            w.upsert_person(&p, None, None)
        })
        .unwrap();
    let dest = tmp.path().join("backup.db");
    store.backup_to(&dest).unwrap();
    assert_eq!(mode(&dest), 0o600);

    let copy = Store::open(&dest).unwrap();
    assert!(copy.check().unwrap().is_empty());
    assert_eq!(
        copy.reader().accounts(10, 0).unwrap()[0].name,
        "Hospital Clínic"
    );
    assert_eq!(
        copy.reader().people(None, 10, 0).unwrap()[0].name,
        "Ana Puig"
    );
    drop(copy);
    for suffix in ["-wal", "-shm"] {
        let f = sibling(&dest, suffix);
        if f.exists() {
            assert_eq!(mode(&f), 0o600, "{}", f.display());
        }
    }
    // An existing file is never overwritten by a backup.
    assert!(store.backup_to(&dest).is_err());
}
