//! Faults seen by whole `kam` processes (RELIABILITY.md C2, C1, C4): a writer holding the lock past
//! the busy timeout, several `kam note` processes at once, and first runs racing on a missing
//! file. Each checks the exit code, the message, that nothing is half-written and that every
//! acknowledged note is still there. The library-level versions are in tests/store.rs; newer and
//! foreign files in tests/it/cli.rs; fsync/write failures and a full disk in scripts/fault-test.sh.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};

use rusqlite::Connection;

const KAM: &str = env!("CARGO_BIN_EXE_kam");
const NOW: &str = "2026-11-27T08:00:00+00:00";

fn kam(db: &Path) -> Command {
    let mut cmd = Command::new(KAM);
    cmd.env("TZ", "UTC")
        .env("KAM_NOW", NOW)
        .env("KAM_DB", db)
        .env_remove("NO_COLOR");
    cmd
}

fn run(db: &Path, args: &[&str]) -> Output {
    kam(db).args(args).output().unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(out.status.success(), "kam {args:?}: {out:?}");
    String::from_utf8(out.stdout).unwrap()
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    kam(db)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// The bodies of every interaction in the notebook, read through `kam export`.
fn bodies(db: &Path) -> Vec<String> {
    ok(db, &["export"])
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["type"] == "interaction")
        .filter_map(|v| v["body"].as_str().map(str::to_string))
        .collect()
}

fn assert_healthy(db: &Path) {
    ok(db, &["check"]);
    let conn = Connection::open(db).unwrap();
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
}

#[test]
fn a_note_while_another_writer_holds_the_lock_is_refused_as_busy() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    ok(&db, &["account", "add", "Hospital Clínic"]);
    ok(&db, &["note", "#a1", "acknowledged before the lock"]);

    let holder = Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // `kam note` waits the busy timeout (5 s), then gives up with a friendly message.
    let out = run(&db, &["note", "#a1", "written while busy"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "no acknowledgement: {out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("busy") && err.contains("try again"), "{err}");
    // Reading is not blocked by a writer (WAL).
    ok(&db, &["agenda"]);
    holder.execute_batch("ROLLBACK").unwrap();
    drop(holder);

    assert_eq!(bodies(&db), ["acknowledged before the lock"]);
    assert_healthy(&db);
    // Once the lock is gone, the same note goes in.
    ok(&db, &["note", "#a1", "written after the lock"]);
    assert_eq!(bodies(&db).len(), 2);
}

#[test]
fn notes_from_many_processes_at_once_are_all_kept() {
    const WRITERS: usize = 6;
    const NOTES: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    ok(&db, &["account", "add", "Hospital Clínic"]);
    // Each writer is a shell loop of `kam note` processes, all running at once.
    let children: Vec<Child> = (0..WRITERS)
        .map(|w| {
            Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "for n in $(seq 1 {NOTES}); do \"$KAM\" note '#a1' \"writer {w} note $n\" || exit 1; done"
                ))
                .env("KAM", KAM)
                .env("KAM_DB", &db)
                .env("KAM_NOW", NOW)
                .env("TZ", "UTC")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a writer failed: {out:?}");
    }
    let mut bodies = bodies(&db);
    bodies.sort();
    let mut want: Vec<String> = (0..WRITERS)
        .flat_map(|w| (1..=NOTES).map(move |n| format!("writer {w} note {n}")))
        .collect();
    want.sort();
    assert_eq!(bodies, want);
    assert_healthy(&db);
}

#[test]
fn first_runs_racing_on_a_missing_file_make_one_notebook() {
    const RUNS: usize = 12;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new").join("kam.db");
    let children: Vec<Child> = (0..RUNS)
        .map(|i| spawn(&db, &["account", "add", &format!("Race Clinic {i}")]))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "a first run failed: {out:?}");
    }
    let export = ok(&db, &["export"]);
    let accounts = export
        .lines()
        .filter(|l| l.contains("\"type\":\"account\""))
        .count();
    assert_eq!(accounts, RUNS);
    assert_healthy(&db);
    let conn = Connection::open(&db).unwrap();
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'accounts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
}

#[test]
fn a_newer_or_foreign_file_refuses_a_write_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    ok(&db, &["account", "add", "Hospital Clínic"]);
    ok(&db, &["note", "#a1", "acknowledged"]);
    {
        let conn = Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let out = run(&db, &["note", "#a1", "into a newer file"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer kamnote"));
    assert_eq!(std::fs::read(&db).unwrap(), before);

    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "plain text\n".repeat(500)).unwrap();
    let out = run(&text, &["note", "#a1", "into a text file"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a kamnote notebook"));
    assert_eq!(
        std::fs::read(&text).unwrap(),
        "plain text\n".repeat(500).as_bytes()
    );
}

/// The hidden temporary files (`.NAME.kamtmp-PID-...`) and the files they were to become.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.contains("kamtmp") || n.starts_with("copy") || n.starts_with("out"))
        .collect()
}

/// Starts `kam args` and returns once it has stopped just before its file takes its name (the
/// debug-build hook `KAM_TEST_PAUSE`, which says so on stderr), its temporary file written.
fn paused(db: &Path, args: &[&str]) -> Child {
    use std::io::BufRead as _;
    let mut child = kam(db)
        .args(args)
        .env("KAM_TEST_PAUSE", "before-rename")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = String::new();
    std::io::BufReader::new(child.stderr.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    assert_eq!(said, "paused at before-rename\n");
    assert!(
        leftovers(db.parent().unwrap())
            .iter()
            .any(|n| n.contains("kamtmp"))
    );
    child
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([format!("-{name}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// 11.10: `kam backup` and `kam export -o` interrupted mid-way leave neither a partial file nor
/// a temporary copy of the notebook: a terminating signal removes the temporary file before the
/// exit; after a kill -9, the next run removes what the dead process left.
#[test]
fn interrupted_backups_and_exports_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    ok(&db, &["account", "add", "Hospital Clínic"]);
    ok(&db, &["note", "#a1", "acknowledged"]);
    let copy = dir.path().join("copy.db");
    let out = dir.path().join("out.jsonl");
    let runs: [&[&str]; 2] = [
        &["backup", copy.to_str().unwrap()],
        &["export", "-o", out.to_str().unwrap()],
    ];
    for args in runs {
        for (sig, code) in [("TERM", 143), ("INT", 130), ("HUP", 129)] {
            let mut child = paused(&db, args);
            signal(&child, sig);
            let status = child.wait().unwrap();
            assert_eq!(status.code(), Some(code), "{args:?} {sig}");
            assert_eq!(
                leftovers(dir.path()),
                Vec::<String>::new(),
                "{args:?} {sig}"
            );
        }
        let mut child = paused(&db, args);
        signal(&child, "KILL");
        child.wait().unwrap();
        assert!(
            !leftovers(dir.path()).is_empty(),
            "kill -9 leaves its temporary file"
        );
        // The next run removes the dead run's leftovers, and does its own work whole.
        ok(&db, args);
        let made = leftovers(dir.path());
        assert_eq!(made.len(), 1, "{made:?}");
        std::fs::remove_file(dir.path().join(&made[0])).unwrap();
    }
    assert_healthy(&db);
}
