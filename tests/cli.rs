//! The `kam` command line end to end: each subcommand's happy path, bad input (exit 2, nothing
//! written), ambiguous names, escape sequences kept off stdout, `--json` shapes, round trips.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

const NOW: &str = "2026-11-27T08:00:00+00:00";

struct Notebook {
    dir: TempDir,
}

impl Notebook {
    fn new() -> Self {
        Notebook {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("kam.db")
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn kam(&self) -> Command {
        let mut cmd = Command::cargo_bin("kam").unwrap();
        cmd.env("TZ", "UTC")
            .env("KAM_NOW", NOW)
            .env("KAM_DB", self.db())
            // the settings file is the test's own, never the machine user's
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env_remove("KAM_CONFIG")
            .env_remove("NO_COLOR");
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self
            .kam()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// A small notebook: two accounts, three people.
    fn seeded() -> Self {
        let nb = Notebook::new();
        nb.ok(&[
            "account",
            "add",
            "Núñez & Peña Logística",
            "--tier",
            "A",
            "--city",
            "Sevilla",
        ]);
        nb.ok(&["account", "add", "ООО «Ростов-Логистика»", "--tier", "B"]);
        nb.ok(&[
            "person",
            "add",
            "Iván Grigóriev",
            "--account",
            "ростов",
            "--role",
            "economic-buyer",
            "--influence",
            "5",
            "--birthday",
            "--11-27",
        ]);
        nb.ok(&[
            "person",
            "add",
            "Dr. Nuño Peña",
            "--account",
            "nunez",
            "--stage",
            "contacted",
        ]);
        nb.ok(&["person", "add", "Iván Peña", "--account", "nunez"]);
        nb
    }
}

fn count(nb: &Notebook, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(nb.db()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn accounts_and_people_are_added_shown_and_listed() {
    let nb = Notebook::seeded();
    let list = nb.ok(&["account", "list"]);
    assert!(
        list.contains("#a1") && list.contains("Núñez & Peña Logística"),
        "{list}"
    );
    let show = nb.ok(&["person", "show", "grigoriev"]);
    assert!(
        show.contains("Iván Grigóriev") && show.contains("economic-buyer"),
        "{show}"
    );
    assert!(show.contains("ООО «Ростов-Логистика»"), "{show}");
    let people = nb.json(&["person", "list", "--account", "#a1", "--json"]);
    assert_eq!(people.as_array().unwrap().len(), 2);
}

#[test]
fn edits_change_and_clear_fields() {
    let nb = Notebook::seeded();
    nb.ok(&[
        "person",
        "edit",
        "grigoriev",
        "--title",
        "Director",
        "--email",
        "ivan@example.org",
        "--tag",
        "kol",
    ]);
    let p = nb.json(&["person", "show", "#p1", "--json"]);
    assert_eq!(p["person"]["title"], "Director");
    assert_eq!(p["person"]["tags"], serde_json::json!(["kol"]));
    let version = p["version"].as_i64().unwrap();
    nb.ok(&[
        "person", "edit", "#p1", "--clear", "account", "--clear", "birthday", "--clear", "tags",
    ]);
    let p = nb.json(&["person", "show", "#p1", "--json"]);
    assert!(
        p["person"]["account"].is_null() && p["person"]["birthday"].is_null(),
        "{p}"
    );
    assert_eq!(p["person"]["tags"], serde_json::json!([]));
    assert_eq!(p["version"].as_i64().unwrap(), version + 1);
    nb.kam()
        .args(["person", "edit", "#p1", "--clear", "name"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("one of"));
    nb.ok(&[
        "account", "edit", "#a1", "--city", "Cádiz", "--clear", "tier",
    ]);
    let a = nb.json(&["account", "show", "#a1", "--json"]);
    assert_eq!(a["account"]["city"], "Cádiz");
    assert!(a["account"]["tier"].is_null());
}

#[test]
fn names_resolve_accent_and_case_insensitively_word_by_word() {
    let nb = Notebook::seeded();
    for query in ["nuño", "nuno pe", "dr nuno", "DR. NUÑO PEÑA"] {
        let show = nb.ok(&["person", "show", query]);
        assert!(show.starts_with("#p2 Dr. Nuño Peña"), "{query}: {show}");
    }
}

#[test]
fn an_ambiguous_name_lists_the_candidates_and_exits_2() {
    let nb = Notebook::seeded();
    nb.kam()
        .args(["note", "ivan", "hello"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("#p1").and(predicate::str::contains("#p3")));
    assert_eq!(count(&nb, "interactions"), 0);
}

#[test]
fn an_exact_full_name_wins_over_prefixes() {
    let nb = Notebook::seeded();
    nb.ok(&["person", "add", "Iván"]);
    let out = nb.ok(&["note", "ivan", "short name wins"]);
    assert!(out.contains("#p4"), "{out}");
}

#[test]
fn a_note_is_saved_with_a_follow_up_and_shows_in_the_agenda() {
    let nb = Notebook::seeded();
    let out = nb.ok(&[
        "note",
        "grigoriev",
        "Tender moved to March",
        "--follow-up",
        "+3d call about the tender",
    ]);
    assert!(
        out.contains("Saved note #i1 on #p1 Iván Grigóriev"),
        "{out}"
    );
    assert!(out.contains("Follow-up #f1 due Mon 30 Nov 2026"), "{out}");
    let agenda = nb.json(&["agenda", "--days", "7", "--json"]);
    let day = &agenda["days"][3];
    assert_eq!(day["date"], "2026-11-30");
    assert_eq!(day["followups"][0]["text"], "call about the tender");
    let person = nb.json(&["person", "show", "#p1", "--json"]);
    assert_eq!(person["interactions"][0]["body"], "Tender moved to March");
    assert!(person["last_contact"].is_i64());
}

#[test]
fn a_note_reads_stdin() {
    let nb = Notebook::seeded();
    nb.kam()
        .args(["note", "#a1", "-"])
        .write_stdin("line one\nline two\n")
        .assert()
        .success();
    let a = nb.json(&["account", "show", "#a1", "--json"]);
    assert_eq!(a["interactions"][0]["body"], "line one\nline two");
}

#[test]
fn an_empty_note_is_refused() {
    let nb = Notebook::seeded();
    nb.kam()
        .args(["note", "#a1"])
        .write_stdin("  \n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
    assert_eq!(count(&nb, "interactions"), 0);
}

#[test]
fn escape_sequences_in_a_note_never_reach_stdout_raw() {
    let nb = Notebook::seeded();
    let payload = "\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil\r";
    nb.ok(&["account", "add", &format!("Evil{payload}Corp")]);
    nb.ok(&["note", "#a3", payload]);
    for args in [
        &["account", "show", "#a3"][..],
        &["account", "list"][..],
        &["agenda"][..],
        &["account", "show", "#a3", "--json"][..],
        &["agenda", "--json"][..],
    ] {
        let out = nb
            .kam()
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        for bad in [0x1b_u8, 0x07, b'\r'] {
            assert!(!out.contains(&bad), "{args:?} printed byte {bad:#x}");
        }
        let text = String::from_utf8(out).unwrap();
        assert!(
            !text.contains('\u{9b}') && !text.contains('\u{202e}'),
            "{args:?}: {text}"
        );
    }
    // The JSON keeps the exact text (escaped by JSON itself).
    let a = nb.json(&["account", "show", "#a3", "--json"]);
    assert_eq!(a["interactions"][0]["body"], payload);
}

#[test]
fn bad_dates_exit_2_and_write_nothing() {
    let nb = Notebook::seeded();
    for due in [
        "2026-02-30",
        "31/02/2026",
        "tomorrow 25:00",
        "2026-13-01",
        "",
    ] {
        nb.kam()
            .args(["followup", "add", "#a1", "--due", due, "call"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("e.g."));
    }
    nb.kam()
        .args(["note", "#a1", "text", "--follow-up", "2026-02-30 call"])
        .assert()
        .code(2);
    assert_eq!(count(&nb, "followups"), 0);
    assert_eq!(count(&nb, "interactions"), 0);
}

#[test]
fn bad_values_exit_2_with_the_allowed_ones() {
    let nb = Notebook::seeded();
    nb.kam()
        .args(["stage", "#p1", "friendly"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("identified, contacted"));
    nb.kam()
        .args(["account", "add", "X", "--tier", "Z"])
        .assert()
        .code(2);
    nb.kam()
        .args(["account", "add", "X", "--currency", "euro"])
        .assert()
        .code(2);
    nb.kam()
        .args(["note", "nobody-by-this-name", "x"])
        .assert()
        .code(2);
    assert_eq!(count(&nb, "accounts"), 2);
}

#[test]
fn meetings_are_planned_and_done_with_the_next_step() {
    let nb = Notebook::seeded();
    let out = nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "today 10:00",
        "--for",
        "1h",
        "--with",
        "dr nuno",
        "--title",
        "Tender Q1 review",
        "--where",
        "Despacho 3",
    ]);
    assert!(out.contains("Planned meeting #i1"), "{out}");
    nb.ok(&[
        "meeting",
        "add",
        "ростов",
        "--at",
        "today 10:30",
        "--kind",
        "call",
    ]);
    let agenda = nb.ok(&["agenda"]);
    assert!(
        agenda.contains("10:00–11:00  Tender Q1 review  #i1"),
        "{agenda}"
    );
    assert!(
        agenda.contains("Núñez & Peña Logística · Despacho 3"),
        "{agenda}"
    );
    assert!(agenda.contains("with Dr. Nuño Peña"), "{agenda}");
    // The prep line under the meeting: who and where they stand.
    assert!(
        agenda.contains("Dr. Nuño Peña (contacted, never seen)"),
        "{agenda}"
    );
    assert!(agenda.contains("overlaps"), "{agenda}");
    assert!(agenda.contains("← next"), "{agenda}");
    let done = nb.ok(&[
        "meeting",
        "done",
        "#i1",
        "--outcome",
        "They want samples",
        "--follow-up",
        "fri send samples",
    ]);
    assert!(
        done.contains("Done #i1") && done.contains("Follow-up #f1 due Fri 4 Dec 2026"),
        "{done}"
    );
    let m = nb.json(&["person", "show", "#p2", "--json"]);
    assert_eq!(m["interactions"][0]["status"], "done");
    assert_eq!(m["interactions"][0]["outcome"], "They want samples");
    nb.kam()
        .args(["meeting", "add", "nunez", "--at", "tomorrow"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("time"));
}

#[test]
fn follow_ups_are_done_snoozed_listed_and_recur() {
    let nb = Notebook::seeded();
    nb.ok(&[
        "followup",
        "add",
        "ivan grigoriev",
        "--due",
        "yesterday",
        "send",
        "prices",
    ]);
    nb.ok(&[
        "followup", "add", "#a1", "--due", "today", "--repeat", "weekly", "weekly", "call",
    ]);
    let overdue = nb.ok(&["followup", "list", "--overdue"]);
    assert!(
        overdue.contains("send prices") && !overdue.contains("weekly call"),
        "{overdue}"
    );
    let snoozed = nb.ok(&["followup", "snooze", "#f1", "+1w"]);
    assert!(snoozed.contains("Fri 4 Dec 2026"), "{snoozed}");
    let done = nb.ok(&["followup", "done", "2"]);
    assert!(
        done.contains("It repeats") && done.contains("#f3") && done.contains("Fri 4 Dec 2026"),
        "{done}"
    );
    nb.kam().args(["followup", "done", "#f2"]).assert().code(2);
    let all = nb.json(&["followup", "list", "--json"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
}

#[test]
fn stages_move_with_history_and_links_join_people() {
    let nb = Notebook::seeded();
    let out = nb.ok(&[
        "stage",
        "dr nuno",
        "acquainted",
        "--note",
        "dinner at the congress",
    ]);
    assert!(out.contains("contacted → acquainted"), "{out}");
    let again = nb.ok(&["stage", "dr nuno", "acquainted"]);
    assert!(again.contains("already"), "{again}");
    nb.ok(&["stage", "ростов", "mid-kam"]);
    let p = nb.json(&["person", "show", "#p2", "--json"]);
    // `person add --stage contacted` was the first step onto the ladder.
    assert_eq!(p["stage_history"][0]["from"], serde_json::Value::Null);
    assert_eq!(p["stage_history"][0]["to"], "contacted");
    assert_eq!(p["stage_history"][1]["from"], "contacted");
    assert_eq!(p["stage_history"][1]["note"], "dinner at the congress");
    // An edit moves the stage through the history too.
    nb.ok(&[
        "person",
        "edit",
        "dr nuno",
        "--stage",
        "loyal",
        "--title",
        "Jefe de Servicio",
    ]);
    let p = nb.json(&["person", "show", "#p2", "--json"]);
    assert_eq!(p["person"]["stage"], "loyal");
    assert_eq!(p["person"]["title"], "Jefe de Servicio");
    assert_eq!(p["stage_history"][2]["from"], "acquainted");
    assert_eq!(p["stage_history"][2]["to"], "loyal");
    let link = nb.ok(&["link", "ivan pena", "reports-to", "dr nuno"]);
    assert!(link.contains("reports-to"), "{link}");
    assert!(
        nb.ok(&["person", "show", "dr nuno"])
            .contains("← Iván Peña (reports-to)")
    );
    nb.kam()
        .args(["link", "ivan pena", "enemy-of", "dr nuno"])
        .assert()
        .code(2);
}

#[test]
fn birthdays_and_stale_key_people_reach_the_agenda() {
    let nb = Notebook::seeded();
    let agenda = nb.json(&["agenda", "--json"]);
    assert_eq!(agenda["days"][0]["birthdays"][0]["name"], "Iván Grigóriev");
    assert_eq!(agenda["stale_people"][0]["name"], "Iván Grigóriev");
    assert!(agenda["stale_people"][0]["days_silent"].is_null());
    nb.ok(&["note", "grigoriev", "coffee"]);
    let agenda = nb.json(&["agenda", "--json"]);
    assert!(agenda["stale_people"].as_array().unwrap().is_empty());
}

#[test]
fn agenda_json_has_its_documented_shape() {
    let nb = Notebook::seeded();
    let a = nb.json(&["agenda", "--date", "2026-12-01", "--days", "3", "--json"]);
    for key in [
        "today",
        "from",
        "to",
        "overdue",
        "overdue_obligations",
        "days",
        "stale_people",
        "stale_accounts",
        "meetings_more",
        "birthdays_more",
    ] {
        assert!(a.get(key).is_some(), "missing {key}");
    }
    assert_eq!(a["from"], "2026-12-01");
    assert_eq!(a["to"], "2026-12-03");
    assert_eq!(a["days"].as_array().unwrap().len(), 3);
    for key in ["date", "meetings", "followups", "birthdays", "deadlines"] {
        assert!(a["days"][0].get(key).is_some(), "day misses {key}");
    }
}

#[test]
fn agenda_references_are_named_objects_not_tuples() {
    let nb = Notebook::seeded();
    nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "today 10:00",
        "--with",
        "dr nuno",
    ]);
    nb.ok(&[
        "followup",
        "add",
        "ivan grigoriev",
        "--due",
        "today",
        "call",
    ]);
    let a = nb.json(&["agenda", "--json"]);
    let meeting = &a["days"][0]["meetings"][0];
    assert_eq!(meeting["account"]["id"], 1);
    assert_eq!(meeting["account"]["name"], "Núñez & Peña Logística");
    assert_eq!(meeting["people"][0]["name"], "Dr. Nuño Peña");
    let followup = &a["days"][0]["followups"][0];
    assert_eq!(followup["person"]["id"], 1);
    assert_eq!(followup["person"]["name"], "Iván Grigóriev");
    assert_eq!(followup["account"]["id"], 2);
    assert_eq!(followup["account"]["name"], "ООО «Ростов-Логистика»");
    assert_eq!(a["meetings_more"], false);
}

#[test]
fn a_future_date_does_not_make_upcoming_follow_ups_overdue() {
    let nb = Notebook::seeded();
    for (due, text) in [
        ("yesterday", "late one"),
        ("today", "due today"),
        ("tomorrow", "due tomorrow"),
        ("+3d", "due in range"),
    ] {
        nb.ok(&["followup", "add", "#a1", "--due", due, text]);
    }
    let a = nb.json(&["agenda", "--date", "+3d", "--json"]);
    let overdue: Vec<_> = a["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["text"].as_str().unwrap(),
                f["days_overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(overdue, [("late one", 1)]);
    assert_eq!(a["days"][0]["followups"][0]["text"], "due in range");
    let text = nb.ok(&["agenda", "--date", "+3d"]);
    assert!(text.contains("Overdue follow-ups (1)"), "{text}");
    assert!(text.contains("(1d late)"), "{text}");
    assert!(
        !text.contains("(0d late)") && !text.contains("-1d late"),
        "{text}"
    );
    assert!(!text.contains("due tomorrow"), "{text}");
}

#[test]
fn export_import_export_is_identical_and_import_is_idempotent() {
    let nb = Notebook::seeded();
    nb.ok(&[
        "note",
        "grigoriev",
        "Tender\nmoved",
        "--follow-up",
        "+3d call",
    ]);
    nb.ok(&[
        "meeting", "add", "nunez", "--at", "fri 9:30", "--for", "45m", "--with", "dr nuno",
    ]);
    nb.ok(&["stage", "dr nuno", "loyal"]);
    nb.ok(&["link", "ivan pena", "ally", "dr nuno"]);
    let first = nb.ok(&["export"]);
    let file = nb.path("export.jsonl");
    std::fs::write(&file, &first).unwrap();

    let other = Notebook::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.ok(&["export"]), first);
    let again = other.ok(&["import", file.to_str().unwrap()]);
    assert!(again.contains("added nothing"), "{again}");
    assert_eq!(other.ok(&["export"]), first);
}

#[test]
fn a_broken_import_writes_nothing_and_names_the_line() {
    let nb = Notebook::seeded();
    let file = nb.path("broken.jsonl");
    std::fs::write(
        &file,
        "{\"type\":\"kamnote\",\"version\":1}\n\
         {\"type\":\"account\",\"uid\":\"x-1\",\"name\":\"Fine\"}\n\
         {\"type\":\"person\",\"uid\":\"x-2\",\"name\":\"Bad\",\"stage\":\"friendly\"}\n",
    )
    .unwrap();
    nb.kam()
        .args(["import", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3").and(predicate::str::contains("stage")));
    assert_eq!(count(&nb, "accounts"), 2);
}

#[test]
fn check_and_backup() {
    let nb = Notebook::seeded();
    assert!(nb.ok(&["check"]).starts_with("ok"));
    let dest = nb.path("copy.db");
    nb.ok(&["backup", dest.to_str().unwrap()]);
    assert_mode(&dest, 0o600);
    nb.kam()
        .args(["backup", dest.to_str().unwrap()])
        .assert()
        .code(2);
}

fn assert_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let got = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(got, mode, "{}", path.display());
}

#[test]
fn a_new_notebook_is_private() {
    let nb = Notebook::new();
    let db = nb.path("sub/dir/kam.db");
    let mut cmd = nb.kam();
    cmd.arg("--db")
        .arg(&db)
        .args(["account", "add", "X"])
        .assert()
        .success();
    assert_mode(&db, 0o600);
    assert_mode(db.parent().unwrap(), 0o700);
}

#[test]
fn foreign_and_newer_files_are_refused_untouched() {
    let nb = Notebook::new();
    let text = nb.path("notes.txt");
    std::fs::write(&text, "just some text, not a database\n".repeat(100)).unwrap();
    let before = std::fs::read(&text).unwrap();
    let mut cmd = Command::cargo_bin("kam").unwrap();
    cmd.env("KAM_NOW", NOW)
        .arg("--db")
        .arg(&text)
        .arg("agenda")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a kamnote notebook"));
    assert_eq!(std::fs::read(&text).unwrap(), before);

    let seeded = Notebook::seeded();
    {
        let conn = rusqlite::Connection::open(seeded.db()).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(seeded.db()).unwrap();
    seeded
        .kam()
        .arg("agenda")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("newer kamnote"));
    assert_eq!(std::fs::read(seeded.db()).unwrap(), before);

    let empty = nb.path("empty.db");
    std::fs::write(&empty, "").unwrap();
    let mut cmd = Command::cargo_bin("kam").unwrap();
    cmd.env("KAM_NOW", NOW)
        .arg("--db")
        .arg(&empty)
        .arg("agenda")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);
}

/// Runs `kam ARGS | head -c 100` in bash with pipefail; returns (success, stderr).
fn piped_into_head(nb: &Notebook, args: &str) -> (bool, String) {
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; {} {args} | head -c 100 >/dev/null",
            assert_cmd::cargo::cargo_bin("kam").display()
        ))
        .env("KAM_DB", nb.db())
        .env("KAM_NOW", NOW)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_is_a_clean_exit() {
    // Far more than a pipe buffer (64 KiB), so `kam` is still writing when `head` leaves.
    let nb = Notebook::seeded();
    let mut lines = vec![r#"{"type":"kamnote","version":1}"#.to_string()];
    let body = "Visit notes. ".repeat(40);
    for i in 0..600 {
        lines.push(format!(
            r#"{{"type":"interaction","uid":"n{i}","kind":"note","at":"2026-11-20T10:00:00+00:00","body":"{body}{i}"}}"#
        ));
    }
    let file = nb.path("many.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    nb.ok(&["import", file.to_str().unwrap()]);
    for args in ["export", "completions bash", "agenda --days 366 --json"] {
        let (ok, stderr) = piped_into_head(&nb, args);
        assert!(ok && !stderr.contains("panicked"), "{args}: {stderr}");
    }
}

#[test]
fn data_cannot_fake_output_lines() {
    let nb = Notebook::seeded();
    nb.ok(&["account", "add", "Bad\nFAKE ACCOUNT LINE"]);
    nb.ok(&[
        "followup",
        "add",
        "#a1",
        "--due",
        "today",
        "call\nFAKE FOLLOW-UP LINE",
    ]);
    for args in [
        &["account", "list"][..],
        &["agenda"][..],
        &["followup", "list"][..],
    ] {
        let out = nb.ok(args);
        assert!(
            !out.lines().any(|l| l.starts_with("FAKE")),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn meeting_done_only_closes_a_planned_meeting() {
    let nb = Notebook::seeded();
    nb.ok(&["note", "#a1", "just a note"]);
    nb.kam()
        .args(["meeting", "done", "#i1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a meeting"));
    nb.ok(&["meeting", "add", "#a1", "--at", "today 10:00"]);
    nb.ok(&["meeting", "done", "#i2", "--outcome", "first"]);
    nb.kam()
        .args(["meeting", "done", "#i2", "--outcome", "second"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already done"));
    let a = nb.json(&["account", "show", "#a1", "--json"]);
    assert_eq!(a["interactions"][0]["outcome"], "first");
}

#[test]
fn impossible_amounts_and_paths_are_refused() {
    let nb = Notebook::seeded();
    for sales in ["inf", "NaN", "1e300"] {
        nb.kam()
            .args(["account", "add", "X", "--sales", sales])
            .assert()
            .code(2);
    }
    assert_eq!(count(&nb, "accounts"), 2);
    nb.kam()
        .args(["import"])
        .arg(nb.dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("directory"));
    let out = nb.path("out.jsonl");
    nb.ok(&["export", "-o", out.to_str().unwrap()]);
    assert_mode(&out, 0o600);
    nb.kam()
        .args(["export", "-o", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("exists"));
}

#[test]
fn completions_are_printed() {
    let nb = Notebook::new();
    let out = nb.ok(&["completions", "bash"]);
    assert!(out.contains("kam") && out.len() > 1000);
}

#[test]
fn the_demo_is_a_separate_full_notebook() {
    let nb = Notebook::new();
    let demo = nb.path("demo.db");
    let out = nb.ok(&["demo"]);
    assert!(demo.exists(), "demo.db beside the notebook");
    assert!(
        !nb.db().exists(),
        "the user's notebook is not created by the demo"
    );
    assert!(
        out.contains("← next") || out.contains("Follow-ups"),
        "{out}"
    );
    let mut cmd = nb.kam();
    let agenda: serde_json::Value = serde_json::from_slice(
        &cmd.arg("--db")
            .arg(&demo)
            .args(["agenda", "--json"])
            .assert()
            .success()
            .get_output()
            .stdout,
    )
    .unwrap();
    assert!(agenda["days"][0]["meetings"].as_array().unwrap().len() >= 4);
    // The command the demo suggests works.
    let mut cmd = nb.kam();
    cmd.arg("--db")
        .arg(&demo)
        .args(["person", "show", "ortega"])
        .assert()
        .success();
    // Refreshing updates in place: no duplicates.
    nb.ok(&["demo"]);
    let conn = rusqlite::Connection::open(&demo).unwrap();
    let accounts: i64 = conn
        .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(accounts, 30);
    nb.kam()
        .args(["demo", "--into"])
        .arg(nb.db())
        .assert()
        .code(2);
}

/// `kam` has no `deal add` yet: a deal in negotiation, written through the library.
fn add_deal(nb: &Notebook, account: i64, title: &str, value: f64) {
    use kamnote::domain::{Deal, DealStage, Extra};
    let mut store = kamnote::store::Store::open(&nb.db()).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let deal = Deal {
        id: 0,
        uid: format!("deal-{title}"),
        account,
        title: title.into(),
        kind: None,
        stage: Some(DealStage::Negotiation),
        value: Some(value),
        currency: Some("EUR".into()),
        probability: None,
        close: None,
        commission_rate: None,
        milestones: Vec::new(),
        notes: None,
        extra: Extra::new(),
    };
    store
        .write(now, |w| w.upsert_deal(&deal, None, None))
        .unwrap();
}

#[test]
fn next_prints_the_coming_meeting_for_a_status_line_a_terminal_and_scripts() {
    let nb = Notebook::seeded();
    // Nothing planned: a status line stays empty, and says nothing went wrong.
    nb.kam()
        .args(["next", "--short"])
        .assert()
        .success()
        .stdout("");
    assert!(nb.json(&["next", "--json"]).is_null());
    assert!(nb.ok(&["next"]).contains("No meeting planned"));

    nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "today 08:42",
        "--for",
        "1h",
        "--with",
        "dr nuno",
        "--title",
        "Tender Q1 review",
        "--where",
        "Despacho 3",
    ]);
    nb.ok(&[
        "followup",
        "add",
        "dr nuno",
        "--due",
        "yesterday",
        "send",
        "prices",
    ]);
    add_deal(&nb, 1, "Tender Lote 3", 1_200_000.0);
    assert_eq!(
        nb.ok(&["next", "--short"]),
        "08:42 Tender Q1 review · Despacho 3 · in 42 min\n"
    );
    let long = nb.ok(&["next"]);
    assert!(long.starts_with("Next: in 42 min\n"), "{long}");
    assert!(
        long.contains("08:42–09:42  Tender Q1 review  #i1"),
        "{long}"
    );
    assert!(
        long.contains(
            "Dr. Nuño Peña (contacted, never seen) · 1 promise open (1 overdue) · Tender Lote 3 · \
             negotiation · 1.2M EUR"
        ),
        "{long}"
    );
    let json = nb.json(&["next", "--json"]);
    assert_eq!(json["meeting"]["title"], "Tender Q1 review");
    assert_eq!(json["prep"]["people"][0]["stage"], "contacted");
    assert_eq!(json["prep"]["overdue_promises"], 1);
    assert_eq!(json["prep"]["deal"]["value"], 1_200_000.0);

    // Tomorrow's meeting, seen the evening before; a title that tries to drive the terminal.
    let evening = nb
        .kam()
        .env("KAM_NOW", "2026-11-26T18:00:00+00:00")
        .args(["next", "--short"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(evening).unwrap(),
        "tomorrow 08:42 Tender Q1 review · Despacho 3\n"
    );
    nb.ok(&[
        "meeting",
        "add",
        "ростов",
        "--at",
        "today 08:10",
        "--kind",
        "call",
        "--title",
        "Call\u{1b}[2J\nrm -rf",
    ]);
    let short = nb.ok(&["next", "--short"]);
    assert_eq!(short.lines().count(), 1, "{short:?}");
    assert!(!short.contains('\u{1b}'), "{short:?}");
    assert!(
        short.ends_with("· ООО «Ростов-Логистика» · in 10 min\n"),
        "{short:?}"
    );
}

#[test]
fn the_full_screen_notebook_needs_a_terminal() {
    let nb = Notebook::seeded();
    nb.kam()
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a terminal"));
}

#[test]
fn a_typo_in_the_settings_file_is_a_usage_error_naming_file_and_line() {
    let nb = Notebook::seeded();
    let config = nb.path("config.toml");
    std::fs::write(&config, "[cadence]\na = 30\nbee = 60\n").unwrap();
    nb.kam()
        .env("KAM_CONFIG", &config)
        .arg("agenda")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config.toml").and(predicate::str::contains("line 3")));
    // A settings file named but missing is an error too; the default one may be absent.
    nb.kam()
        .args(["--config", nb.path("nope.toml").to_str().unwrap(), "agenda"])
        .assert()
        .code(2);
    let kamnote = nb.path("kamnote");
    std::fs::create_dir_all(&kamnote).unwrap();
    // The platform default ($XDG_CONFIG_HOME/kamnote/config.toml) is read when present.
    std::fs::write(kamnote.join("config.toml"), "[deals]\nrate = 12.5\n").unwrap();
    nb.kam().arg("agenda").assert().code(2);
    std::fs::write(
        kamnote.join("config.toml"),
        "[deals]\ncommission_rate = 12.5\n",
    )
    .unwrap();
    nb.ok(&["agenda"]);
}

/// The demo notebook in a notebook of its own: `kam` runs on it through `KAM_DB`.
fn demo_notebook() -> Notebook {
    let nb = Notebook::new();
    nb.kam()
        .args(["demo", "--into"])
        .arg(nb.db())
        .env("KAM_DB", nb.path("unused.db"))
        .assert()
        .success();
    nb
}

#[test]
fn map_draws_the_twelve_person_demo_hospital_at_80_columns() {
    let nb = demo_notebook();
    let out = nb.ok(&["map", "virgen de la peña", "--width", "80"]);
    // Not a terminal: no colour, and never wider than asked.
    assert!(!out.contains('\x1b'), "{out}");
    for line in out.lines() {
        assert!(kamnote::text::width(line) <= 80, "{line:?}");
    }
    assert!(out.contains("│  │  └─ Irene García Núñez"), "{out}");
    insta::assert_snapshot!("map_demo_hospital_80", out);
    // A person's name maps their account; a narrow width keeps names, drops columns.
    let narrow = nb.ok(&["map", "carmen pena", "--width", "40"]);
    assert!(narrow.contains("Hospital Universitario"), "{narrow}");
    assert!(
        narrow.lines().all(|l| kamnote::text::width(l) <= 40),
        "{narrow}"
    );
    let colored = nb.ok(&["map", "#a1", "--color", "always", "--width", "100"]);
    assert!(colored.contains("\x1b[31m-- opponent\x1b[0m"), "{colored}");
}

#[test]
fn map_json_has_nodes_and_edges_and_errors_are_clear() {
    let nb = demo_notebook();
    let map = nb.json(&["map", "#a1", "--json"]);
    let nodes = map["nodes"].as_array().unwrap();
    let inside = nodes.iter().filter(|n| n["in_account"] == true).count();
    assert_eq!(inside, 12);
    let nunez = nodes.iter().find(|n| n["in_account"] == false).unwrap();
    assert_eq!(nunez["account_name"], "Clínica Dr. Núñez — Reumatología");
    let edges = map["edges"].as_array().unwrap();
    let tree = edges.iter().filter(|e| e["drawn"] == "tree").count();
    assert_eq!(tree, 10, "{edges:?}");
    assert!(
        edges
            .iter()
            .any(|e| e["kind"] == "rival" && e["drawn"] == "cross")
    );
    assert_eq!(map["not_placed"].as_array().unwrap().len(), 1);
    let max_depth = nodes.iter().filter_map(|n| n["depth"].as_u64()).max();
    assert_eq!(max_depth, Some(2 + 1));
    nb.kam().args(["map", "no such place"]).assert().code(2);
    nb.kam()
        .args(["map", "#a1", "--width", "5"])
        .assert()
        .code(2);
}

#[test]
fn link_lists_a_persons_links_and_removes_one() {
    let nb = Notebook::seeded();
    nb.ok(&[
        "link",
        "ivan pena",
        "ally",
        "dr nuno",
        "--note",
        "old friends",
    ]);
    let list = nb.ok(&["link", "dr nuno"]);
    assert!(list.contains("←ally— #p"), "{list}");
    assert!(list.contains("Iván Peña — old friends"), "{list}");
    let json = nb.json(&["link", "ivan pena", "--json"]);
    assert_eq!(json["links"][0]["kind"], "ally");
    assert_eq!(json["links"][0]["direction"], "out");
    assert_eq!(json["total"], 1);
    let removed = nb.ok(&["link", "ivan pena", "ally", "dr nuno", "--remove"]);
    assert!(removed.starts_with("removed: "), "{removed}");
    assert_eq!(nb.json(&["link", "ivan pena", "--json"])["total"], 0);
    // Removing what is not there is an input error naming how to look.
    nb.kam()
        .args(["link", "ivan pena", "ally", "dr nuno", "--remove"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kam link #p"));
    // A kind needs the other person.
    nb.kam()
        .args(["link", "ivan pena", "ally"])
        .assert()
        .code(2);
}

/// `kam flags` on the demo: the worst accounts, one account, and JSON.
#[test]
fn red_flags_of_the_demo() {
    let nb = Notebook::new();
    nb.ok(&["demo"]);
    let demo = nb.path("demo.db");
    let flags = |args: &[&str]| {
        let out = nb
            .kam()
            .arg("--db")
            .arg(&demo)
            .arg("flags")
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    insta::assert_snapshot!("flags_worst", flags(&["--limit", "4"]));
    insta::assert_snapshot!("flags_account", flags(&["#a1"]));
    let json: serde_json::Value =
        serde_json::from_str(&flags(&["--json", "--limit", "2"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[0]["account"]["id"], 1);
    assert_eq!(json[0]["score"], 6);
    assert_eq!(json[0]["flags"][0]["kind"], "economic-buyer-not-seen");
    // The account dossier shows them too.
    let out = nb
        .kam()
        .arg("--db")
        .arg(&demo)
        .args(["account", "show", "#a1"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("Red flags (3)"), "{out}");
    assert!(
        out.contains("tier A · partnership-kam for 6 weeks"),
        "{out}"
    );
}

#[test]
fn mentions_link_people_and_report_the_ambiguous_ones() {
    let nb = Notebook::new();
    nb.ok(&["account", "add", "Hospital Clínic", "--tier", "A"]);
    nb.ok(&["person", "add", "Dra. Carmen Peña", "--account", "clinic"]);
    nb.ok(&["person", "add", "Carmen Ruiz", "--account", "clinic"]);
    nb.ok(&["person", "add", "Iván Grigóriev", "--account", "clinic"]);
    let out = nb.ok(&[
        "note",
        "clinic",
        "Met @ivan and @carmen.pena; @Carmen asked for prices; @Zed?",
    ]);
    assert!(out.contains("@ivan → #p3 Iván Grigóriev"), "{out}");
    assert!(out.contains("@carmen.pena → #p1 Dra. Carmen Peña"), "{out}");
    assert!(
        out.contains(
            "@Carmen matches 2 people, not linked: #p1 Dra. Carmen Peña (Hospital Clínic), \
             #p2 Carmen Ruiz (Hospital Clínic)"
        ),
        "{out}"
    );
    assert!(
        out.contains("@Zed: nobody by that name, not linked"),
        "{out}"
    );
    let shown = nb.json(&["person", "show", "ivan", "--json"]);
    assert_eq!(shown["interactions"].as_array().unwrap().len(), 1);
    let shown = nb.json(&["person", "show", "ruiz", "--json"]);
    assert_eq!(shown["interactions"].as_array().unwrap().len(), 0);
    let json = nb.json(&["note", "clinic", "--json", "thanks @\"Carmen Ruiz\""]);
    assert_eq!(json["mentions"][0]["person"], 2);
    assert_eq!(json["interaction"]["people"], serde_json::json!([2]));
}

#[test]
fn a_persons_own_cadence_is_set_cleared_and_travels_in_jsonl() {
    let nb = Notebook::new();
    nb.ok(&["account", "add", "Hospital Clínic", "--tier", "A"]);
    nb.ok(&[
        "person",
        "add",
        "Iván",
        "--account",
        "clinic",
        "--influence",
        "5",
        "--stage",
        "loyal",
    ]);
    let out = nb.ok(&["person", "show", "ivan"]);
    assert!(
        out.contains("cadence: every 15 days · never contacted"),
        "{out}"
    );
    nb.ok(&["person", "edit", "ivan", "--cadence", "21"]);
    let out = nb.ok(&["person", "show", "ivan"]);
    assert!(
        out.contains("cadence: every 21 days · never contacted (their own)"),
        "{out}"
    );
    let export = nb.ok(&["export"]);
    assert!(export.contains("\"x-cadence_days\":21"), "{export}");
    nb.ok(&["person", "edit", "ivan", "--clear", "cadence"]);
    let out = nb.ok(&["person", "show", "ivan"]);
    assert!(out.contains("every 15 days"), "{out}");
    // A bad value in a file is refused with the line and the field.
    let file = nb.path("bad.jsonl");
    std::fs::write(
        &file,
        "{\"type\":\"kamnote\",\"version\":1}\n\
         {\"type\":\"person\",\"uid\":\"p-x\",\"name\":\"X\",\"x-cadence_days\":0}\n",
    )
    .unwrap();
    let err = nb
        .kam()
        .arg("import")
        .arg(&file)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("x-cadence_days"), "{err}");
    // `kam stage` takes the reason as --reason too.
    let out = nb.ok(&[
        "stage",
        "ivan",
        "cooling",
        "--reason",
        "no contact for 70 days",
    ]);
    assert!(out.contains("loyal → cooling"), "{out}");
    let out = nb.ok(&["person", "show", "ivan"]);
    assert!(
        out.contains("loyal → cooling — no contact for 70 days"),
        "{out}"
    );
}
