//! The `kam` command line end to end: each subcommand's happy path, bad input (exit 2, nothing
//! written), ambiguous names, escape sequences kept off stdout, `--json` shapes, round trips.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::path::{Path, PathBuf};

use assert_cmd::Command;

use super::shell::Shell;
use predicates::prelude::*;

const NOW: &str = "2026-11-27T08:00:00+00:00";

/// A small notebook: two accounts, three people.
fn seeded() -> Shell {
    let nb = Shell::new();
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

/// Runs kam with stdout on /dev/full: every write to it fails with ENOSPC (assert_cmd
/// captures stdout, so a plain process).
fn run_to_full(nb: &Shell, args: &[&str]) -> std::process::Output {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    std::process::Command::new(env!("CARGO_BIN_EXE_kam"))
        .env("TZ", "UTC")
        .env("KAM_NOW", NOW)
        .env("KAM_DB", nb.db())
        .env("XDG_CONFIG_HOME", nb.dir.path())
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(full)
        .output()
        .unwrap()
}

fn count(nb: &Shell, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(nb.db()).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn accounts_and_people_are_added_shown_and_listed() {
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
    for query in ["nuño", "nuno pe", "dr nuno", "DR. NUÑO PEÑA"] {
        let show = nb.ok(&["person", "show", query]);
        assert!(show.starts_with("#p2 Dr. Nuño Peña"), "{query}: {show}");
    }
}

#[test]
fn an_ambiguous_name_lists_the_candidates_and_exits_2() {
    let nb = seeded();
    nb.kam()
        .args(["note", "ivan", "hello"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("#p1").and(predicate::str::contains("#p3")));
    assert_eq!(count(&nb, "interactions"), 0);
}

#[test]
fn an_exact_full_name_wins_over_prefixes() {
    let nb = seeded();
    nb.ok(&["person", "add", "Iván"]);
    let out = nb.ok(&["note", "ivan", "short name wins"]);
    assert!(out.contains("#p4"), "{out}");
}

#[test]
fn a_note_is_saved_with_a_follow_up_and_shows_in_the_agenda() {
    let nb = seeded();
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
    // A note is no contact: Iván was not seen, nor touched.
    assert!(person["last_contact"].is_null());
    assert!(person["last_touch"].is_null());
}

#[test]
fn a_note_reads_stdin() {
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
    let agenda = nb.json(&["agenda", "--json"]);
    assert_eq!(agenda["days"][0]["birthdays"][0]["name"], "Iván Grigóriev");
    assert_eq!(agenda["stale_people"][0]["name"], "Iván Grigóriev");
    assert!(agenda["stale_people"][0]["days_silent"].is_null());
    // A note about him is no contact; a coffee with him is.
    nb.ok(&["note", "grigoriev", "coffee?"]);
    let agenda = nb.json(&["agenda", "--json"]);
    assert_eq!(agenda["stale_people"][0]["name"], "Iván Grigóriev");
    nb.ok(&["note", "grigoriev", "coffee", "--kind", "meeting"]);
    let agenda = nb.json(&["agenda", "--json"]);
    assert!(agenda["stale_people"].as_array().unwrap().is_empty());
}

#[test]
fn agenda_json_has_its_documented_shape() {
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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

    let other = Shell::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.ok(&["export"]), first);
    let again = other.ok(&["import", file.to_str().unwrap()]);
    assert!(again.contains("added nothing"), "{again}");
    assert_eq!(other.ok(&["export"]), first);
}

#[test]
fn a_broken_import_writes_nothing_and_names_the_line() {
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = Shell::new();
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
    let nb = Shell::new();
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

    let seeded = seeded();
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
fn piped_into_head(nb: &Shell, args: &str) -> (bool, String) {
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = seeded();
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
    let nb = Shell::new();
    let out = nb.ok(&["completions", "bash"]);
    assert!(out.contains("kam") && out.len() > 1000);
    // Every subcommand's options and nested subcommands, though a command run builds only its
    // own: `kam agenda --days`, `kam deal obligation done`, and `kam help account add`.
    for word in [
        "--days",
        "kam__subcmd__deal__subcmd__obligation__subcmd__done",
        "kam__subcmd__help__subcmd__account__subcmd__add",
    ] {
        assert!(out.contains(word), "{word} missing from the completions");
    }
}

#[test]
fn the_demo_is_a_separate_full_notebook() {
    let nb = Shell::new();
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
fn add_deal(nb: &Shell, account: i64, title: &str, value: f64) {
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
    let nb = seeded();
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
    let nb = seeded();
    nb.kam()
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs a terminal"));
}

#[test]
fn a_typo_in_the_settings_file_is_a_usage_error_naming_file_and_line() {
    let nb = seeded();
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
fn demo_notebook() -> Shell {
    let nb = Shell::new();
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
    assert!(out.contains("│  │  └─ Irene Cañete Fernández"), "{out}");
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
    assert_eq!(inside, 13);
    let nunez = nodes.iter().find(|n| n["in_account"] == false).unwrap();
    assert_eq!(nunez["account_name"], "Clínica Dr. Núñez — Reumatología");
    let edges = map["edges"].as_array().unwrap();
    let tree = edges.iter().filter(|e| e["drawn"] == "tree").count();
    assert_eq!(tree, 11, "{edges:?}");
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
    let nb = seeded();
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

// ---- Foreign formats: vCard, iCalendar, CSV, Markdown (issue #6) ----

/// A phone's contacts export: a 2.1 card with quoted-printable, an iPhone 3.0 card with a
/// yearless birthday, a 4.0 card with a Latin-1 line and a folded note.
fn phone_vcf() -> Vec<u8> {
    let mut v = b"BEGIN:VCARD\r\nVERSION:2.1\r\n\
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:N=C3=BA=C3=B1ez;Luc=C3=ADa;;;\r\n\
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Luc=C3=ADa N=C3=BA=C3=B1ez\r\n\
TEL;CELL;PREF:+34 600 123 456\r\nTEL;HOME:+34 91 555 0000\r\n\
EMAIL;INTERNET:lucia@example.es\r\nORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:N=C3=BA=C3=B1ez & Pe=C3=B1a Log=C3=ADstica\r\n\
NOTE;ENCODING=QUOTED-PRINTABLE:Hija en Salamanc=\r\na.=0D=0ALlamar por la tarde.\r\n\
END:VCARD\r\n\
BEGIN:VCARD\nVERSION:3.0\nN:Okafor;Chinedu;;Dr.;\nFN:Dr. Chinedu Okafor\n\
ORG:Lagos Teaching Hospital;Pharmacy\nTITLE:Chief Pharmacist\n\
item1.EMAIL;type=INTERNET;type=pref:c.okafor@ltth.example\n\
item2.EMAIL;type=INTERNET:chinedu@mail.example\n\
BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12\nEND:VCARD\n\
BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\n\
FN:Anna Kowalska\nORG:Szpital Wojew"
        .to_vec();
    v.push(0xf3); // ó in Latin-1
    v.extend_from_slice(
        b"dzki\nTEL;VALUE=uri;PREF=1:tel:+48-600-100-200\nBDAY:19790923\n\
NOTE:A note that goes on and wraps across lines because phones fold at seventy-fi\n ve octets\\, with a comma.\n\
END:VCARD\n",
    );
    v
}

#[test]
fn a_phone_vcard_file_imports_once_and_never_duplicates() {
    let nb = seeded();
    let file = nb.path("contacts.vcf");
    std::fs::write(&file, phone_vcf()).unwrap();
    let f = file.to_str().unwrap();
    let dry = nb.ok(&["import", f, "--dry-run"]);
    assert!(dry.contains("Dry run, nothing written"), "{dry}");
    assert_eq!(count(&nb, "people"), 3);
    let out = nb.ok(&["import", f]);
    // Lucía's organisation is the seeded account (matched by name); two accounts are new.
    assert!(out.contains("added 2 accounts, 3 people"), "{out}");
    assert!(
        out.contains("EMAIL (more) ×1") && out.contains("TEL (more) ×1"),
        "{out}"
    );
    assert!(out.contains("read as Latin-1"), "{out}");
    let again = nb.ok(&["import", f]);
    assert!(
        again.contains("added nothing; updated nothing; skipped 3 people"),
        "{again}"
    );
    assert_eq!(count(&nb, "people"), 6);
    assert_eq!(count(&nb, "accounts"), 4);
    let lucia = nb.json(&["person", "show", "lucia nunez", "--json"]);
    assert_eq!(lucia["person"]["phone"], "+34 600 123 456");
    assert_eq!(
        lucia["person"]["personal"],
        "Hija en Salamanca.\nLlamar por la tarde."
    );
    assert_eq!(lucia["account"]["name"], "Núñez & Peña Logística");
    let chinedu = nb.json(&["person", "show", "okafor", "--json"]);
    assert_eq!(chinedu["person"]["birthday"], "--04-12");
    assert_eq!(chinedu["person"]["email"], "c.okafor@ltth.example");
    let anna = nb.json(&["person", "show", "kowalska", "--json"]);
    assert_eq!(
        anna["person"]["uid"],
        "4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    );
    assert_eq!(anna["account"]["name"], "Szpital Wojewódzki");
    assert_eq!(anna["person"]["birthday"], "1979-09-23");
}

#[test]
fn vcard_export_imports_back_and_matches_by_uid() {
    let nb = seeded();
    let out = nb.ok(&["export", "--format", "vcf"]);
    assert_eq!(out.matches("BEGIN:VCARD").count(), 3);
    assert!(out.contains("VERSION:3.0\r\n"));
    assert!(
        out.contains("BDAY;X-APPLE-OMIT-YEAR=1604:1604-11-27\r\n"),
        "{out}"
    );
    let v4 = nb.ok(&["export", "--format", "vcf", "--vcard-version", "4"]);
    assert!(
        v4.contains("VERSION:4.0\r\n") && v4.contains("BDAY:--1127\r\n"),
        "{v4}"
    );
    let file = nb.path("people.vcf");
    std::fs::write(&file, &out).unwrap();
    // Into the same notebook: every card finds its person by uid.
    let same = nb.ok(&["import", file.to_str().unwrap()]);
    assert!(
        same.contains("added nothing; updated nothing; skipped 3 people"),
        "{same}"
    );
    // Into an empty one: people and their accounts, then the same cards again.
    let other = Shell::new();
    let first = other.ok(&["import", file.to_str().unwrap()]);
    assert!(first.contains("added 2 accounts, 3 people"), "{first}");
    // REV is the person's last change, which differs between the two notebooks.
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("REV:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        strip(&other.ok(&["export", "--format", "vcf"])),
        strip(&out)
    );
}

#[test]
fn a_broken_vcard_writes_nothing_and_names_the_line() {
    let nb = seeded();
    let file = nb.path("broken.vcf");
    std::fs::write(
        &file,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Fine Person\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Cut\n",
    )
    .unwrap();
    nb.kam()
        .args(["import", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 5").and(predicate::str::contains("no END:VCARD")));
    assert_eq!(count(&nb, "people"), 3);
}

#[test]
fn ics_export_has_stable_uids_and_a_re_export_after_an_edit_supersedes() {
    let nb = seeded();
    nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "mon 10:00",
        "--for",
        "1h",
        "--title",
        "Tender; lots 3,4",
        "--where",
        "Despacho 3",
    ]);
    nb.ok(&["meeting", "add", "ростов", "--at", "2027-03-01 09:00"]);
    nb.ok(&[
        "note",
        "grigoriev",
        "Call",
        "--follow-up",
        "+3d send the prices",
    ]);
    let all = nb.ok(&["export", "--format", "ics"]);
    assert_eq!(all.matches("BEGIN:VEVENT").count(), 2);
    assert_eq!(all.matches("BEGIN:VTODO").count(), 1);
    assert!(all.contains("SUMMARY:Tender\\; lots 3\\,4\r\n"), "{all}");
    assert!(
        all.contains("DTSTART:20261130T100000Z\r\nDTEND:20261130T110000Z\r\n"),
        "{all}"
    );
    assert!(all.contains("DTSTAMP:20261127T080000Z\r\n"), "{all}");
    assert!(all.contains("SEQUENCE:0\r\n"), "{all}");
    let uid = all
        .lines()
        .find(|l| l.starts_with("UID:") && l.ends_with("@kamnote"))
        .unwrap()
        .to_string();
    // Next week only: the March meeting and the follow-up on Monday stay out or in by date.
    let week = nb.ok(&["export", "--format", "ics", "--from", "next week"]);
    assert_eq!(week.matches("BEGIN:VEVENT").count(), 1, "{week}");
    assert_eq!(week.matches("BEGIN:VTODO").count(), 1, "{week}");
    nb.ok(&["meeting", "done", "#i1", "--outcome", "ok"]);
    let after = nb.ok(&["export", "--format", "ics"]);
    assert!(after.contains(&uid), "the same UID after an edit");
    assert!(after.contains("SEQUENCE:1\r\n"), "{after}");
    // Our own file back into the same notebook changes nothing.
    let file = nb.path("cal.ics");
    std::fs::write(&file, &after).unwrap();
    let back = nb.ok(&["import", file.to_str().unwrap()]);
    assert!(
        back.contains("added nothing; updated nothing; skipped 1 follow-up, 2 meetings"),
        "{back}"
    );
    nb.kam()
        .args(["export", "--format", "ics", "--from", "fri", "--to", "mon"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("before --from"));
}

const OUTLOOK_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Madrid\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
END:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:weekly-1@outlook\r\nDTSTART;TZID=Europe/Madrid:20261102T093000\r\n\
DTEND;TZID=Europe/Madrid:20261102T100000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=8\r\n\
EXDATE;TZID=Europe/Madrid:20261207T093000\r\nSUMMARY:Weekly stand-up\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:yearly-1\r\nDTSTART:20261201T100000Z\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Anniversary\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:one-off\r\nDTSTART:20261203T150000Z\r\nDURATION:PT45M\r\nSUMMARY:Visit\r\nSTATUS:CANCELLED\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn ics_import_expands_weekly_events_and_skips_what_it_cannot() {
    let nb = seeded();
    let file = nb.path("outlook.ics");
    std::fs::write(&file, OUTLOOK_ICS).unwrap();
    let f = file.to_str().unwrap();
    let out = nb.ok(&["import", f]);
    // 8 Mondays from 2 Nov, one excluded; the yearly one once in the window (issue 13.6: a
    // full recurrence engine), and the one-off.
    assert!(out.contains("added 9 meeting"), "{out}");
    assert!(out.contains("skipped nothing"), "{out}");
    let again = nb.ok(&["import", f]);
    assert!(
        again.contains("added nothing; updated nothing; skipped 9 meeting"),
        "{again}"
    );
    // 09:30 in Madrid in November is 08:30 UTC; past ones are done, coming ones planned.
    let agenda = nb.ok(&["agenda", "--date", "2026-11-30", "-n", "5"]);
    assert!(agenda.contains("08:30–09:00  Weekly stand-up"), "{agenda}");
    let window = nb.path("narrow.db");
    let narrow = nb
        .kam()
        .env("KAM_DB", &window)
        .args(["import", f, "--from", "2026-11-01", "--to", "2026-11-15"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let narrow = String::from_utf8(narrow).unwrap();
    assert!(
        narrow.contains("added 3 meeting"),
        "two Mondays and the one-off: {narrow}"
    );
}

#[test]
fn ics_import_with_only_from_or_only_to_imports_instead_of_panicking() {
    let nb = seeded();
    let file = nb.path("outlook.ics");
    std::fs::write(&file, OUTLOOK_ICS).unwrap();
    let f = file.to_str().unwrap();
    let run = |db: &str, args: &[&str]| {
        let out = nb
            .kam()
            .env("KAM_DB", nb.path(db))
            .args(["import", f])
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    // From 20 Nov on: 23 and 30 Nov, 14 and 21 Dec (7 Dec excluded), the one-off, and the
    // yearly one on 1 Dec 2026 to 2035 (ten years on).
    let from = run("from.db", &["--from", "2026-11-20"]);
    assert!(from.contains("added 15 meeting"), "{from}");
    // Up to 15 Nov: 2 and 9 Nov, and the one-off.
    let to = run("to.db", &["--to", "2026-11-15"]);
    assert!(to.contains("added 3 meeting"), "{to}");
}

/// America/New_York with its 1987–2006 rules (ended by UNTIL) and the 2007 ones, as some
/// calendar servers write it; then events whose exceptions and ends are written in UTC.
const NEW_YORK_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nDTSTART:19870405T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nDTSTART:19671029T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z\r\nEND:STANDARD\r\n\
BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nDTSTART:20070311T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n\
BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nDTSTART:20071104T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nUID:ny-a\r\nDTSTART;TZID=America/New_York:20261027T090000\r\n\
DTEND:20261027T140000Z\r\nSUMMARY:Tuesday review\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:ny-b\r\nDTSTART;TZID=America/New_York:20261201T090000\r\n\
DTEND;TZID=America/New_York:20261201T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n\
EXDATE:20261208T140000Z\r\nSUMMARY:Weekly call\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:ny-b\r\nRECURRENCE-ID:20261215T140000Z\r\n\
DTSTART;TZID=America/New_York:20261215T110000\r\nDTEND;TZID=America/New_York:20261215T120000\r\n\
SUMMARY:Weekly call (moved)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[test]
fn ics_import_honours_until_in_zones_and_utc_exceptions_of_zoned_series() {
    let nb = seeded();
    let file = nb.path("ny.ics");
    std::fs::write(&file, NEW_YORK_ICS).unwrap();
    let db = nb.path("ny.db");
    let run = |args: &[&str]| {
        let out = nb
            .kam()
            .env("KAM_DB", &db)
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let out = run(&["import", file.to_str().unwrap()]);
    // The review, 1 and 15 Dec (8 Dec excluded by a UTC EXDATE); the UTC RECURRENCE-ID
    // moves the 15 Dec one instead of adding a fourth (the series leaves that slot to it).
    assert!(out.contains("added 3 meetings; updated nothing"), "{out}");
    let ics = run(&["export", "--format", "ics"]);
    // 27 Oct is still daylight time in New York (the old "last Sunday of October" ended 2006).
    assert!(ics.contains("DTSTART:20261027T130000Z"), "{ics}");
    assert!(ics.contains("DTEND:20261027T140000Z"), "{ics}");
    assert!(ics.contains("DTSTART:20261201T140000Z"), "{ics}");
    assert!(!ics.contains("DTSTART:20261208T"), "{ics}");
    assert!(!ics.contains("DTSTART:20261215T140000Z"), "{ics}");
    assert!(ics.contains("DTSTART:20261215T160000Z"), "{ics}");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 3, "{ics}");
}

#[test]
fn ics_attendees_are_matched_by_email_whatever_its_case() {
    let nb = seeded();
    nb.ok(&["person", "edit", "#p2", "--email", "Nuno@Nunez.example"]);
    let file = nb.path("att.ics");
    std::fs::write(
        &file,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:att-1\r\nDTSTART:20261203T100000Z\r\n\
         SUMMARY:Visit\r\nATTENDEE;CN=X:mailto:stranger@else.example\r\n\
         ATTENDEE;CN=Nuno:mailto: nuno@NUNEZ.example\r\nEND:VEVENT\r\n\
         BEGIN:VEVENT\r\nUID:att-2\r\nDTSTART:20261204T100000Z\r\nSUMMARY:Call\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
    )
    .unwrap();
    let out = nb.ok(&["import", file.to_str().unwrap()]);
    assert!(out.contains("added 2 meeting"), "{out}");
    let shown = nb.json(&["person", "show", "#p2", "--json"]);
    assert_eq!(
        shown["interactions"].as_array().unwrap().len(),
        1,
        "{shown}"
    );
    let shown = nb.json(&["account", "show", "#a1", "--json"]);
    assert!(shown.to_string().contains("Visit"), "{shown}");
}

#[test]
fn a_broken_ics_writes_nothing_and_names_the_line_and_field() {
    let nb = seeded();
    let file = nb.path("broken.ics");
    std::fs::write(
        &file,
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20261201T100000Z\nEND:VEVENT\n\
         BEGIN:VEVENT\nUID:b\nDTSTART:next tuesday\nEND:VEVENT\nEND:VCALENDAR\n",
    )
    .unwrap();
    nb.kam()
        .args(["import", file.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 8: DTSTART"));
    assert_eq!(count(&nb, "interactions"), 0);
}

#[test]
fn csv_import_prints_its_mapping_and_dry_run_writes_nothing() {
    let nb = seeded();
    let file = nb.path("contacts.csv");
    std::fs::write(
        &file,
        "\u{feff}Nombre;Apellidos;Empresa;Correo electrónico;Teléfono móvil;Cumpleaños;Shoe size\r\n\
         Ana;Peña Ruiz;Núñez & Peña Logística;ana@x.es;'+34 600 1;27.11.1984;42\r\n\
         Li;Wei;Beijing Union;li@x.cn;;--04-12;\r\n\
         ;;;;;;\r\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let dry = nb.ok(&["import", f, "--dry-run"]);
    assert!(dry.contains("Reading rows as people; columns:"), "{dry}");
    assert!(dry.contains("\"Empresa\" → account"), "{dry}");
    assert!(
        dry.contains("\"Shoe size\" ignored (unknown column)"),
        "{dry}"
    );
    assert!(
        dry.contains("Dry run, nothing written: would have added 1 account, 2 people"),
        "{dry}"
    );
    assert_eq!(count(&nb, "people"), 3);
    nb.ok(&["import", f]);
    let again = nb.ok(&["import", f]);
    assert!(again.contains("skipped 2 people"), "{again}");
    let ana = nb.json(&["person", "show", "ana pena ruiz", "--json"]);
    assert_eq!(ana["person"]["phone"], "+34 600 1");
    assert_eq!(ana["person"]["birthday"], "1984-11-27");
    let bad = nb.path("bad.csv");
    std::fs::write(&bad, "Company,Tier\nGood Co,A\nBad Co,Z\n").unwrap();
    nb.kam()
        .args(["import", bad.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3: tier"));
    assert_eq!(count(&nb, "accounts"), 3);
}

#[test]
fn csv_export_quotes_guards_formulas_and_keeps_negative_numbers() {
    let nb = seeded();
    nb.ok(&[
        "account",
        "add",
        "=HYPERLINK(\"http://x\",\"y\")",
        "--city",
        "@evil",
    ]);
    let out = nb.ok(&["export", "--format", "csv", "--table", "accounts", "--bom"]);
    assert!(out.starts_with('\u{feff}'), "BOM");
    assert!(
        out.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        "{out}"
    );
    assert!(out.contains(",'@evil,"), "{out}");
    assert!(out.contains("\r\n"), "CRLF");
    let people = nb.ok(&["export", "--format", "csv", "--table", "people"]);
    assert!(
        people.contains("Nuño Peña,Núñez & Peña Logística"),
        "{people}"
    );
    for t in ["interactions", "deals", "followups"] {
        nb.ok(&["export", "--format", "csv", "--table", t]);
    }
    nb.kam()
        .args(["export", "--format", "csv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--table"));
}

#[test]
fn a_dossier_exports_as_markdown_that_data_cannot_restructure() {
    let nb = seeded();
    nb.ok(&[
        "note",
        "dr nuno",
        "# Not a heading\n- not a list\n[x](javascript:y) <b>\x1b[31mred",
    ]);
    let md = nb.ok(&["export", "--format", "md", "dr nuno"]);
    // The dossier's head (the lines `kam person show` prints) is the title and its facts.
    assert!(md.starts_with("# \\#p"), "{md}");
    assert!(
        md.lines().next().unwrap().ends_with(" Dr. Nuño Peña"),
        "{md}"
    );
    assert!(md.contains("Núñez \\& Peña Logística \\#a"), "{md}");
    assert!(md.contains("\\# Not a heading"), "{md}");
    assert!(md.contains("\\- not a list"), "{md}");
    assert!(
        md.contains("\\[x\\](javascript:y) \\<b\\>\\x1b\\[31mred"),
        "{md}"
    );
    assert!(!md.contains('\x1b'), "no raw escape in the file");
    let file = nb.path("nunez.md");
    nb.ok(&[
        "export",
        "--format",
        "md",
        "nunez",
        "-o",
        file.to_str().unwrap(),
    ]);
    let account = std::fs::read_to_string(&file).unwrap();
    assert!(account.contains("## People"), "{account}");
    nb.kam()
        .args(["export", "--format", "md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("needs the account or person"));
}

// ---- Real clients: calcurse, abook, khard (installed by .ci/run; skipped with a note) ----

fn have(tool: &str) -> bool {
    let found = std::process::Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("note: {tool} is not installed; this test is skipped (`apt-get install {tool}`)");
    }
    found
}

/// The demo notebook, for data with every script and escape.
fn demo_db_beside(nb: &Shell) -> PathBuf {
    nb.ok(&["demo"]);
    nb.path("demo.db")
}

#[test]
fn calcurse_imports_the_ics_export_with_every_meeting_and_follow_up() {
    if !have("calcurse") {
        return;
    }
    let nb = Shell::new();
    let demo = demo_db_beside(&nb);
    let file = nb.path("next.ics");
    let out = nb
        .kam()
        .arg("--db")
        .arg(&demo)
        .args(["export", "--format", "ics", "--from", "next week", "-o"])
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let (events, todos) = {
        let n: Vec<u64> = out
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        (n[0], n[1])
    };
    assert!(events > 0 && todos > 0, "{out}");
    let dir = nb.path("calcurse");
    std::fs::create_dir(&dir).unwrap();
    let run = std::process::Command::new("calcurse")
        .arg("-D")
        .arg(&dir)
        .arg("-i")
        .arg(&file)
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(
        report.contains(&format!(
            "{events} apps / 0 events / {todos} todos / 0 skipped"
        )),
        "calcurse said: {report} {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let apts = std::fs::read_to_string(dir.join("apts")).unwrap();
    assert_eq!(apts.lines().count() as u64, events);
    assert!(
        apts.contains("11/30/2026 @ 11:00 -> 11/30/2026 @ 12:30"),
        "{apts}"
    );
}

#[test]
fn abook_and_khard_read_the_vcard_export() {
    let nb = Shell::new();
    let demo = demo_db_beside(&nb);
    let file = nb.path("people.vcf");
    nb.kam()
        .arg("--db")
        .arg(&demo)
        .args(["export", "--format", "vcf", "-o"])
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read(&file).unwrap();
    let cards = String::from_utf8_lossy(&text)
        .matches("BEGIN:VCARD")
        .count();
    assert!(cards > 100, "{cards} cards");
    if have("abook") {
        let out = std::process::Command::new("abook")
            .args([
                "--convert",
                "--informat",
                "vcard",
                "--outformat",
                "csv",
                "--infile",
            ])
            .arg(&file)
            .output()
            .unwrap();
        let rows = String::from_utf8_lossy(&out.stdout).lines().count();
        assert_eq!(rows, cards, "abook read {rows} of {cards} cards");
    }
    if have("khard") {
        // khard reads a vdir: one card per file.
        let book = nb.path("book");
        std::fs::create_dir(&book).unwrap();
        let text = String::from_utf8(text).unwrap();
        for (i, card) in text.split_inclusive("END:VCARD\r\n").enumerate() {
            std::fs::write(book.join(format!("{i}.vcf")), card).unwrap();
        }
        let config = nb.path("khard.conf");
        std::fs::write(
            &config,
            format!(
                "[addressbooks]\n[[demo]]\npath = {}\n[general]\ndefault_action = list\n\
                 editor = true\nmerge_editor = true\n[contact table]\n[vcard]\n",
                book.display()
            ),
        )
        .unwrap();
        let out = std::process::Command::new("khard")
            .arg("-c")
            .arg(&config)
            .args(["list", "--parsable"])
            .output()
            .unwrap();
        let listed = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            listed.lines().count(),
            cards,
            "khard: {listed} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let show = std::process::Command::new("khard")
            .arg("-c")
            .arg(&config)
            .args(["show", "Carmen Peña Olmedo"])
            .output()
            .unwrap();
        let show = String::from_utf8_lossy(&show.stdout);
        assert!(
            show.contains("Hospital Universitario Virgen de la Peña"),
            "{show}"
        );
    }
}

#[test]
fn csv_people_export_imports_into_an_empty_notebook() {
    let nb = seeded();
    nb.ok(&[
        "person",
        "edit",
        "dr nuno",
        "--phone",
        "+34 600 000 001",
        "--email",
        "n@x.es",
    ]);
    let out = nb.ok(&["export", "--format", "csv", "--table", "people"]);
    let file = nb.path("people.csv");
    std::fs::write(&file, &out).unwrap();
    let other = Shell::new();
    let first = other.ok(&["import", file.to_str().unwrap()]);
    assert!(
        first.contains("\"uid\" → uid") && first.contains("\"account\" → account"),
        "{first}"
    );
    assert!(first.contains("added 2 accounts, 3 people"), "{first}");
    let again = other.ok(&["import", file.to_str().unwrap()]);
    assert!(again.contains("skipped 3 people"), "{again}");
    let nuno = other.json(&["person", "show", "dr nuno", "--json"]);
    assert_eq!(nuno["person"]["phone"], "+34 600 000 001");
    assert_eq!(nuno["person"]["email"], "n@x.es");
    assert_eq!(nuno["account"]["name"], "Núñez & Peña Logística");
    let ivan = other.json(&["person", "show", "grigoriev", "--json"]);
    assert_eq!(ivan["person"]["birthday"], "--11-27");
}

#[test]
fn flags_a_format_does_not_take_are_refused() {
    let nb = seeded();
    let file = nb.path("n.jsonl");
    std::fs::write(&file, nb.ok(&["export"])).unwrap();
    for (args, words) in [
        (
            vec!["import", file.to_str().unwrap(), "--dry-run"],
            "--dry-run is for",
        ),
        (
            vec!["import", file.to_str().unwrap(), "--format", "xls"],
            "give jsonl, vcf, ics or csv",
        ),
        (
            vec!["export", "--format", "vcf", "--table", "people"],
            "--table/--bom is for",
        ),
        (vec!["export", "--from", "mon"], "--from/--to is for"),
        (
            vec!["export", "--format", "pdf"],
            "give jsonl, vcf, ics, csv or md",
        ),
        (vec!["export", "nunez"], "a target is for --format md"),
    ] {
        nb.kam()
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(words));
    }
}

/// Issue 4: a plan for an account, its spend (in its currency only), its steps and its overrun.
#[test]
#[allow(clippy::too_many_lines)] // one plan's life, read top to bottom
fn plans_are_added_spent_on_stepped_and_flagged_over_budget() {
    let nb = seeded();
    let out = nb.ok(&[
        "plan",
        "add",
        "--account",
        "nunez",
        "--objective",
        "Advisory board chair",
        "--target",
        "2027-01-26",
        "--budget",
        "1000",
        "--currency",
        "eur",
    ]);
    assert!(out.contains("Added plan #1"), "{out}");
    // Exactly one of --account / --person; an objective is needed.
    nb.kam()
        .args(["plan", "add", "--account", "nunez", "--person", "nuño"])
        .assert()
        .code(2);
    nb.kam()
        .args(["plan", "add", "--person", "nuño"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--objective"));
    let out = nb.ok(&[
        "plan",
        "spend",
        "1",
        "600",
        "--category",
        "hospitality",
        "--note",
        "Dinner",
    ]);
    assert!(
        out.contains("600 EUR spent in all") && out.contains("60 %"),
        "{out}"
    );
    // Another currency is refused and writes nothing; so is a category off the list.
    nb.kam()
        .args(["plan", "spend", "#1", "50", "--currency", "USD"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("kept in EUR"));
    nb.kam()
        .args(["plan", "spend", "1", "50", "--category", "golf"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("hospitality, events, samples"));
    assert_eq!(count(&nb, "plan_spends"), 1);
    nb.ok(&[
        "plan",
        "spend",
        "1",
        "650.5",
        "--category",
        "events",
        "--on",
        "2026-11-20",
    ]);
    // Steps: follow-ups made with --plan.
    nb.ok(&[
        "followup", "add", "nunez", "--due", "+3d", "--plan", "1", "book", "the", "room",
    ]);
    nb.ok(&[
        "followup", "add", "nunez", "--due", "+9d", "--plan", "#1", "send", "the", "agenda",
    ]);
    nb.kam()
        .args([
            "followup", "add", "nunez", "--due", "+3d", "--plan", "7", "x",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no plan #7"));
    nb.ok(&["followup", "done", "#f1"]);
    let show = nb.ok(&["plan", "show", "1"]);
    for part in [
        "Advisory board chair",
        "60 days left",
        "1/2 steps done",
        "125 % ██████████ 1,250.50 of 1,000 EUR · OVER BUDGET by 250.50 EUR",
        "hospitality  600 EUR",
        "events       650.50 EUR",
        "[x] #f1",
        "[ ] #f2",
    ] {
        assert!(show.contains(part), "{part:?} in\n{show}");
    }
    let list = nb.ok(&["plan", "list"]);
    assert!(list.contains("OVER BUDGET by 250.50 EUR"), "{list}");
    let json = nb.json(&["plan", "show", "1", "--json"]);
    assert_eq!(json["plan"]["spent"], 1250.5);
    assert_eq!(json["over_budget"], 250.5);
    assert_eq!(json["progress"]["steps"]["done"], 1);
    // Shown in the account's dossier too.
    let dossier = nb.ok(&["account", "show", "nunez"]);
    assert!(
        dossier.contains("Plan #1 · active") && dossier.contains("OVER BUDGET"),
        "{dossier}"
    );
    // Edit, then the plan is achieved: out of the default list.
    nb.ok(&[
        "plan", "edit", "1", "--status", "achieved", "--clear", "notes",
    ]);
    assert!(nb.ok(&["plan", "list"]).contains("No plans."));
    assert!(nb.ok(&["plan", "list", "--all"]).contains("achieved"));
    // Spend and steps survive an export and an import into an empty notebook.
    let file = nb.path("out.jsonl");
    nb.ok(&["export", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("\"x-spend\"") && text.contains("\"x-plan\""),
        "{text}"
    );
    let other = Shell::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(count(&other, "plan_spends"), 2);
    let show = other.ok(&["plan", "show", "1"]);
    assert!(
        show.contains("1/2 steps done") && show.contains("1,250.50 of 1,000 EUR"),
        "{show}"
    );
    let again = other.path("again.jsonl");
    other.ok(&["export", "-o", again.to_str().unwrap()]);
    let strip = |s: String| -> Vec<String> { s.lines().skip(1).map(str::to_string).collect() };
    assert_eq!(strip(std::fs::read_to_string(&again).unwrap()), strip(text));
}

/// Issue 4: `kam prep` for a meeting, an account's next meeting, a person without one; --md.
#[test]
fn prep_prints_the_brief_and_writes_markdown() {
    let demo_nb = Shell::new();
    demo_nb.ok(&["demo"]);
    // The demo notebook, used as the notebook of this test.
    let nb = Shell::new();
    std::fs::copy(demo_nb.path("demo.db"), nb.db()).unwrap();
    let meeting = {
        let conn = rusqlite::Connection::open(nb.db()).unwrap();
        conn.query_row(
            "SELECT id FROM interactions WHERE uid = 'demo-i9006'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .unwrap()
    };
    let text = nb.ok(&["prep", &format!("#i{meeting}")]);
    for part in [
        "MEETING",
        "Preparación acuerdo marco",
        "WHO WILL BE THERE",
        "Birthday tomorrow",
        "evaluation committee of every tender",
        "They: Confirmar las fechas de arranque",
        "OVERDUE",
        "Concurso sets de infusión 2027",
        "Next: Consultas",
        "1/3 steps done",
    ] {
        assert!(text.contains(part), "{part:?} in\n{text}");
    }
    // The account: its next planned meeting, the same one.
    assert_eq!(nb.ok(&["prep", "los olmos"]), text);
    // A person with no meeting planned: their prep alone.
    let alone = nb.ok(&["prep", "Cáceres"]);
    assert!(
        alone.contains("No meeting planned with Ulises Cáceres Robles"),
        "{alone}"
    );
    // Markdown to stdout and to a new file (0600), never over an existing one.
    let md = nb.ok(&["prep", &format!("#i{meeting}"), "--md"]);
    assert!(md.starts_with("# Prep: Preparación acuerdo marco"), "{md}");
    assert!(
        md.contains("## Who will be there") && md.contains("- **Dr. Jorge Blanco Miralles"),
        "{md}"
    );
    let file = nb.path("prep.md");
    nb.ok(&["prep", "los olmos", "--md", "-o", file.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
    assert_eq!(
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&file).unwrap().permissions())
            & 0o777,
        0o600
    );
    nb.kam()
        .args(["prep", "los olmos", "--md", "-o"])
        .arg(&file)
        .assert()
        .code(2);
    let json = nb.json(&["prep", "los olmos", "--json"]);
    assert_eq!(json["people"].as_array().unwrap().len(), 2);
    // Unknown targets.
    nb.kam().args(["prep", "#i99999"]).assert().code(2);
    nb.kam().args(["prep", "nobody at all"]).assert().code(2);
    // -o needs --md.
    nb.kam()
        .args(["prep", "los olmos", "-o", "x.md"])
        .assert()
        .code(2);
}

/// Escape sequences in the data a prep shows never reach stdout raw, in text or in Markdown.
#[test]
fn a_prep_defangs_escape_sequences() {
    let nb = seeded();
    nb.ok(&[
        "person",
        "edit",
        "iván grig",
        "--personal",
        "Likes \u{1b}]52;c;cHduZWQ=\u{7} tea\u{202e} and *bold* [links](x)",
    ]);
    nb.ok(&[
        "meeting",
        "add",
        "ростов",
        "--at",
        "tomorrow 10:00",
        "--with",
        "iván grig",
        "--title",
        "QBR \u{1b}[2J",
    ]);
    for args in [&["prep", "ростов"][..], &["prep", "ростов", "--md"][..]] {
        let out = nb.ok(args);
        assert!(out.contains("Likes"), "{out}");
        assert!(
            !out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'),
            "{out:?}"
        );
    }
    let md = nb.ok(&["prep", "ростов", "--md"]);
    assert!(md.contains("\\*bold\\* \\[links\\](x)"), "{md}");
}

/// `kam flags` on the demo: the worst accounts, one account, and JSON.
#[test]
fn red_flags_of_the_demo() {
    let nb = Shell::new();
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
    // E-mails are no contact: the cooperative's key people are overdue, and it ranks first.
    assert_eq!(json[0]["account"]["id"], 2);
    assert_eq!(json[0]["score"], 6);
    assert_eq!(json[0]["flags"][0]["kind"], "key-person-overdue");
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
    assert!(out.contains("Red flags (4)"), "{out}");
    assert!(out.contains("tier A · partnership-kam for 3 days"), "{out}");
}

#[test]
fn mentions_link_people_and_report_the_ambiguous_ones() {
    let nb = Shell::new();
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
    // Mentioned, not taking part.
    assert_eq!(json["interaction"]["people"], serde_json::json!([]));
    assert_eq!(json["interaction"]["mentioned"], serde_json::json!([2]));
}

#[test]
fn a_persons_own_cadence_is_set_cleared_and_travels_in_jsonl() {
    let nb = Shell::new();
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

/// The seeded notebook with notes in several scripts.
fn searchable() -> Shell {
    let nb = seeded();
    nb.ok(&[
        "note",
        "nunez",
        "Signed the contract; Núñez wants the price list by Friday",
    ]);
    nb.ok(&[
        "note",
        "--kind",
        "call",
        "Iván Grigóriev",
        "Иван asked for the price list again",
    ]);
    nb.ok(&[
        "note",
        "ростов",
        "田中さんから問い合わせ: Ελένη joins the tender",
    ]);
    nb.ok(&[
        "followup",
        "add",
        "Dr. Nuño Peña",
        "--due",
        "fri",
        "send",
        "the",
        "contract",
    ]);
    nb
}

fn refs(v: &serde_json::Value) -> Vec<String> {
    let mut out: Vec<String> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["ref"].as_str().unwrap().to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn search_finds_across_accents_scripts_phrases_and_filters() {
    let nb = searchable();
    let find = |q: &[&str]| {
        let mut args = vec!["search", "--json"];
        args.extend_from_slice(q);
        refs(&nb.json(&args))
    };
    // Accents and case; a word found in names and notes.
    assert_eq!(find(&["NUNEZ"]), ["#a1", "#i1"]);
    assert_eq!(find(&["ivan"]), ["#p1", "#p3"]);
    // Cyrillic, Greek without its accent, CJK inside a longer word.
    assert_eq!(find(&["иван"]), ["#i2"]);
    assert_eq!(find(&["ελενη"]), ["#i3"]);
    assert_eq!(find(&["田中"]), ["#i3"]);
    // Phrases, every word, prefixes.
    assert_eq!(find(&["\"price list\""]), ["#i1", "#i2"]);
    assert!(find(&["\"list price\""]).is_empty());
    assert_eq!(find(&["price", "contract"]), ["#i1"]);
    assert_eq!(find(&["contr*"]), ["#f1", "#i1"]);
    // Filters.
    assert_eq!(find(&["price", "account:ростов"]), ["#i2"]);
    assert_eq!(find(&["contract", "person:\"Dr. Nuño Peña\""]), ["#f1"]);
    assert_eq!(find(&["price", "kind:call"]), ["#i2"]);
    assert_eq!(find(&["contract", "kind:follow-up"]), ["#f1"]);
    assert_eq!(find(&["contract", "after:today"]), ["#f1", "#i1"]);
    assert!(find(&["contract", "before:-1d"]).is_empty());
}

#[test]
fn search_prints_one_line_per_hit_and_json_with_exact_fields() {
    let nb = searchable();
    let text = nb.ok(&["search", "nunez", "price"]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.starts_with("#i1"), "{text}");
    assert!(
        text.contains("Núñez & Peña Logística · 2026-11-27"),
        "{text}"
    );
    assert!(text.contains("Núñez wants the price list"), "{text}");
    // With colour, the matched words are highlighted (and only ours are escapes).
    let colored = nb.ok(&["--color", "always", "search", "nunez"]);
    assert!(
        colored.contains("\u{1b}[1;33mNúñez\u{1b}[0m"),
        "{colored:?}"
    );
    let hits = nb.json(&["search", "--json", "nunez", "price"]);
    let hit = &hits[0];
    assert_eq!(hit["ref"], "#i1");
    assert_eq!(hit["kind"], "interaction");
    assert_eq!(hit["interaction_kind"], "note");
    assert_eq!(hit["account"]["name"], "Núñez & Peña Logística");
    assert_eq!(hit["date"], "2026-11-27");
    let marked: Vec<&str> = hit["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["hit"] == true)
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["Núñez", "price"]);
    // Nothing found: exit 0 and say so.
    let none = nb.ok(&["search", "zzyzx"]);
    assert!(none.contains("No matches"), "{none}");
    assert_eq!(
        nb.json(&["search", "--json", "zzyzx"]),
        serde_json::json!([])
    );
    let one = nb.json(&["search", "--json", "--limit", "1", "ivan"]);
    assert_eq!(one.as_array().unwrap().len(), 1);
}

#[test]
fn hostile_search_syntax_is_text_and_bad_filters_exit_2() {
    let nb = searchable();
    for q in [
        "\"",
        "*",
        "-",
        "AND",
        "OR",
        "NOT",
        "(",
        ")",
        "a OR b",
        "NEAR(x y)",
        "\"unclosed",
        "x AND (y OR",
        "^x",
        "name:x",
        "{a}:b",
        "\u{1b}[2J",
        "--",
        "'",
    ] {
        let out = nb.kam().args(["search", "--", q]).assert();
        let output = out.get_output();
        let text = String::from_utf8(output.stdout.clone()).unwrap();
        assert!(!text.contains('\u{1b}'), "{q:?}: {text:?}");
        let err = String::from_utf8(output.stderr.clone()).unwrap();
        // A word in it: searched (exit 0); punctuation alone: nothing to find (exit 2).
        // Never an FTS5 error.
        match output.status.code() {
            Some(0) => assert!(err.is_empty(), "{q:?}: {err}"),
            Some(2) => assert!(err.contains("nothing to find"), "{q:?}: {err}"),
            code => panic!("{q:?}: exit {code:?}: {err}"),
        }
    }
    // "AND" is a word like any other.
    nb.ok(&["note", "nunez", "Research AND development budget"]);
    assert_eq!(
        refs(&nb.json(&["search", "--json", "--", "AND", "("])),
        ["#i4"]
    );
    // Filters alone, or nothing but punctuation: nothing to find.
    for q in [&["account:ростов"][..], &["--", "* ( -"][..]] {
        nb.kam()
            .arg("search")
            .args(q)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("nothing to find"));
    }
    // A filter that names nobody, a bad kind or date: a usage error naming it.
    for (q, says) in [
        ("account:zzz", "account:zzz"),
        ("person:ivan", "matches 2 people"),
        ("kind:banana", "kind:banana"),
        ("after:someday", "someday"),
    ] {
        nb.kam()
            .args(["search", "price", q])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
}

/// The prep line's red-flag badge judges contact by the settings file's cadence, like `kam flags`.
#[test]
fn the_agenda_prep_badge_follows_the_configured_cadence() {
    let nb = demo_notebook();
    let badge = |out: &str| {
        out.lines()
            .find_map(|l| l.trim_start().strip_prefix('⚑'))
            .and_then(|rest| rest.split(' ').next())
            .map(str::to_owned)
    };
    let default = nb.ok(&["agenda"]);
    let config = nb.path("config.toml");
    std::fs::write(&config, "[cadence]\na = 365\n").unwrap();
    let out = nb
        .kam()
        .env("KAM_CONFIG", &config)
        .arg("agenda")
        .output()
        .unwrap();
    let relaxed = String::from_utf8(out.stdout).unwrap();
    // The hospital's key people are no longer overdue once A is yearly; the committee member
    // not seen before today's tender submission and the opponent are flagged whatever the
    // cadence.
    assert_eq!(badge(&default).as_deref(), Some("4"), "{default}");
    assert_eq!(badge(&relaxed).as_deref(), Some("2"), "{relaxed}");
}

#[test]
fn a_reimport_without_email_matches_the_person_who_has_since_got_one() {
    let nb = Shell::new();
    let vcf = nb.path("c.vcf");
    std::fs::write(
        &vcf,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Carmen Ruiz\r\nTEL:+34 600 1\r\nORG:Acme\r\nEND:VCARD\r\n",
    )
    .unwrap();
    let v = vcf.to_str().unwrap();
    nb.ok(&["import", v]);
    nb.ok(&["person", "edit", "carmen", "--email", "carmen@acme.example"]);
    let again = nb.ok(&["import", v]);
    assert!(again.contains("skipped 1 person"), "{again}");
    // The same through CSV, with and without the account.
    let csv = nb.path("c.csv");
    std::fs::write(&csv, "Name,Company,Title\nCarmen Ruiz,Acme,Buyer\n").unwrap();
    let out = nb.ok(&["import", csv.to_str().unwrap()]);
    assert!(out.contains("updated 1 person"), "{out}");
    std::fs::write(&csv, "First name,Last name\nCarmen,Ruiz\n").unwrap();
    let out = nb.ok(&["import", csv.to_str().unwrap()]);
    assert!(out.contains("skipped 1 person"), "{out}");
    assert_eq!(count(&nb, "people"), 1);
    // A file e-mail finds her by it, and fills it in when she had none.
    std::fs::write(&csv, "Name,Email\nCarmen Ruiz,carmen@acme.example\n").unwrap();
    let out = nb.ok(&["import", csv.to_str().unwrap()]);
    assert!(out.contains("skipped 1 person"), "{out}");
    assert_eq!(count(&nb, "people"), 1);
    // Two Carmen Ruiz: a row without e-mail or account is refused, never guessed.
    nb.ok(&["person", "add", "Carmen Ruiz"]);
    std::fs::write(&csv, "First name,Last name,Phone\nCarmen,Ruiz,+34 611\n").unwrap();
    let out = nb.ok(&["import", csv.to_str().unwrap()]);
    assert!(
        out.contains("line 2: \"Carmen Ruiz\" could be #p1 Carmen Ruiz or #p2 Carmen Ruiz")
            && out.contains("skipped 1 person"),
        "{out}"
    );
    assert_eq!(count(&nb, "people"), 2);
    // The card names Acme, and only the first Carmen is in it: she is the one.
    let again = nb.ok(&["import", v]);
    assert!(again.contains("skipped 1 person"), "{again}");
    assert!(!again.contains("could be"), "{again}");
    assert_eq!(count(&nb, "people"), 2);
}

#[test]
fn outlook_and_google_contact_csvs_import_whole() {
    let nb = Shell::new();
    let outlook = nb.path("outlook.csv");
    std::fs::write(
        &outlook,
        "First Name,Last Name,E-mail Address,E-mail 2 Address,Birthday\r\n\
         Ana,Ruiz,ana@x.es,,0/0/00\r\n\
         Bo,Li,,bo@x.cn,2/13/1980\r\n\
         Cy,Do,cy@x.de,,00.00.0000\r\n\
         Di,Ek,di@x.de,,1/2/1980\r\n",
    )
    .unwrap();
    let f = outlook.to_str().unwrap();
    nb.kam()
        .args(["import", f])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "line 5: birthday: \"1/2/1980\" could be 1 February or 2 January; pass --date-order mdy",
        ));
    assert_eq!(count(&nb, "people"), 0);
    nb.ok(&["import", f, "--date-order", "mdy"]);
    assert_eq!(count(&nb, "people"), 4);
    let bo = nb.json(&["person", "show", "bo li", "--json"]);
    assert_eq!(bo["person"]["birthday"], "1980-02-13");
    assert_eq!(bo["person"]["email"], "bo@x.cn");
    let di = nb.json(&["person", "show", "di ek", "--json"]);
    assert_eq!(di["person"]["birthday"], "1980-01-02");
    let ana = nb.json(&["person", "show", "ana ruiz", "--json"]);
    assert!(ana["person"]["birthday"].is_null(), "{ana}");
    nb.kam()
        .args(["import", f, "--date-order", "ymd"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--date-order ymd"));

    let google = nb.path("google.csv");
    std::fs::write(
        &google,
        "Name,Given Name,Family Name,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Value,\
         Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Organization 1 - Title\r\n\
         Eva Fox,Eva,Fox,* Work,,eva@x.es,Mobile,+34 622,Acme,Buyer\r\n",
    )
    .unwrap();
    let out = nb.ok(&["import", google.to_str().unwrap()]);
    assert!(out.contains("\"E-mail 2 - Value\" → email"), "{out}");
    let eva = nb.json(&["person", "show", "eva fox", "--json"]);
    assert_eq!(eva["person"]["email"], "eva@x.es");
    assert_eq!(eva["person"]["phone"], "+34 622");
    assert_eq!(eva["person"]["title"], "Buyer");
    assert_eq!(eva["account"]["name"], "Acme");
}

#[test]
fn csv_export_imports_back_identical_for_accounts_and_people() {
    let nb = demo_notebook();
    let accounts = nb.ok(&["export", "--format", "csv", "--table", "accounts"]);
    let people = nb.ok(&["export", "--format", "csv", "--table", "people"]);
    assert!(accounts.contains("our_sales"), "{accounts}");
    let (af, pf) = (nb.path("acc.csv"), nb.path("people.csv"));
    std::fs::write(&af, &accounts).unwrap();
    std::fs::write(&pf, &people).unwrap();
    let other = Shell::new();
    let out = other.ok(&["import", af.to_str().unwrap()]);
    assert!(
        out.contains("\"our_sales\" → our_sales") && !out.contains("ignored"),
        "{out}"
    );
    let out = other.ok(&["import", pf.to_str().unwrap()]);
    assert!(!out.contains("ignored"), "{out}");
    assert_eq!(
        other.ok(&["export", "--format", "csv", "--table", "accounts"]),
        accounts
    );
    assert_eq!(
        other.ok(&["export", "--format", "csv", "--table", "people"]),
        people
    );
    // A "Sales" column is our sales to the account, not their revenue.
    let sales = other.path("sales.csv");
    std::fs::write(&sales, "Company,Sales,Turnover\nNew Co,1200,900000\n").unwrap();
    other.ok(&["import", sales.to_str().unwrap()]);
    let again = other.ok(&["export", "--format", "csv", "--table", "accounts"]);
    let row = again.lines().find(|l| l.contains("New Co")).unwrap();
    assert!(row.contains(",900000,1200,"), "{row}");
}

/// 11.19: a settings file that is a device or a FIFO is refused at once, not read forever.
#[test]
fn a_config_that_is_not_a_regular_file_is_refused_at_once() {
    let nb = seeded();
    let fifo = nb.path("config.fifo");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let link = nb.path("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for config in [fifo.as_path(), Path::new("/dev/zero"), link.as_path()] {
        nb.kam()
            .args(["--config", config.to_str().unwrap(), "agenda"])
            .timeout(std::time::Duration::from_secs(10))
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(config.to_str().unwrap())
                    .and(predicate::str::contains("not a regular file")),
            );
    }
}

/// 11.22: `kam next --short --tmux` for a tmux status line: every `#` of the data doubled (tmux
/// would run `#(cmd)`, expand `#{host}`, apply `#[fg=red]`), and the line capped in width.
#[test]
fn next_for_tmux_escapes_formats_and_caps_the_width() {
    let nb = seeded();
    nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "today 08:42",
        "--title",
        "#(touch /tmp/pwned) #[fg=red]#{host} review",
        "--where",
        "Sala #3",
    ]);
    let line = nb.ok(&["next", "--short", "--tmux", "--max-width", "200"]);
    assert_eq!(
        line,
        "08:42 ##(touch /tmp/pwned) ##[fg=red]##{host} review · Sala ##3 · in 42 min\n"
    );
    // The cap counts what tmux shows (`##` is one cell), and a cut ends in `…`.
    let short = nb.ok(&["next", "--tmux", "--max-width", "20"]);
    assert_eq!(short, "08:42 ##(touch /tmp/…\n");
    let shown = short.trim_end().replace("##", "#");
    assert_eq!(kamnote::text::width(&shown), 20, "{shown}");
    // The default cap is 60 cells; without --tmux nothing is escaped.
    let long = nb.ok(&["next", "--tmux"]);
    assert_eq!(
        kamnote::text::width(&long.trim_end().replace("##", "#")),
        60
    );
    assert!(nb.ok(&["next", "--short"]).contains(" #(touch"));
}

/// 11.9: a read-only command on a mistyped `--db` is an error naming the path, and creates
/// nothing there; a command that writes still creates the notebook.
#[test]
fn read_only_commands_never_create_a_notebook() {
    let nb = Shell::new();
    let typo = nb.path("kma.db");
    let out = nb.path("out.jsonl");
    let copy = nb.path("copy.db");
    let commands: &[&[&str]] = &[
        &["agenda"],
        &["next"],
        &["next", "--short"],
        &["search", "tender"],
        &["account", "list"],
        &["account", "show", "acme"],
        &["person", "list"],
        &["person", "show", "ivan"],
        &["followup", "list"],
        &["link", "ivan"],
        &["map", "acme"],
        &["flags"],
        &["prep", "acme"],
        &["deal", "list"],
        &["deal", "show", "1"],
        &["deal", "calendar"],
        &["plan", "list"],
        &["receivables"],
        &["pareto"],
        &["report", "month"],
        &["check"],
        &["backup", copy.to_str().unwrap()],
        &["backup"],
        &["export", "-o", out.to_str().unwrap()],
        &["export"],
        &["export", "--format", "csv", "--table", "accounts"],
    ];
    for args in commands {
        nb.kam()
            .env("KAM_DB", &typo)
            .args(*args)
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains(typo.to_str().unwrap())
                    .and(predicate::str::contains("kam demo")),
            );
        let left: Vec<_> = std::fs::read_dir(nb.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "kam {args:?} left {left:?}");
    }
    // Writing creates it.
    nb.kam()
        .env("KAM_DB", &typo)
        .args(["account", "add", "Acme"])
        .assert()
        .success();
    assert!(typo.exists());
}

/// The write end of a pipe whose reader is already gone: every write fails with EPIPE. Made
/// through a FIFO (opened read-write, then write-only, then the reader closed), so the pipe is
/// closed before `kam` starts, not at some moment while it runs.
fn closed_pipe(dir: &Path, name: &str) -> std::fs::File {
    let fifo = dir.join(name);
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .unwrap();
    let writer = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    drop(reader);
    writer
}

/// 11.20: no output failure panics: stdout and stderr each a closed pipe or a full device, on a
/// command that succeeds and on one that fails.
#[test]
fn closed_or_full_output_streams_never_panic() {
    let nb = seeded();
    let missing = nb.path("missing.db");
    let full = || {
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap()
    };
    for (n, (args, db, code)) in [
        (&["agenda", "--days", "7"][..], nb.db(), 0),
        (&["account", "list"][..], nb.db(), 0),
        (&["agenda"][..], missing.clone(), 2),
        (&["agenda", "--date", "someday"][..], nb.db(), 2),
        (&["bogus"][..], nb.db(), 2),
    ]
    .into_iter()
    .enumerate()
    {
        for (m, closed_stdout) in [true, false].into_iter().enumerate() {
            for stderr_full in [false, true] {
                let stderr = if stderr_full {
                    full()
                } else {
                    closed_pipe(nb.dir.path(), &format!("err-{n}-{m}"))
                };
                let stdout = if closed_stdout {
                    closed_pipe(nb.dir.path(), &format!("out-{n}-{m}-{stderr_full}"))
                } else {
                    full()
                };
                let status = std::process::Command::new(env!("CARGO_BIN_EXE_kam"))
                    .env("TZ", "UTC")
                    .env("KAM_NOW", NOW)
                    .env("KAM_DB", &db)
                    .env("XDG_CONFIG_HOME", nb.dir.path())
                    .args(args)
                    .stdin(std::process::Stdio::null())
                    .stdout(stdout)
                    .stderr(stderr)
                    .status()
                    .unwrap();
                let want = if code == 0 && !closed_stdout {
                    1 // a full stdout is a failure to report (to a stderr that cannot take it)
                } else {
                    code
                };
                assert_eq!(
                    status.code(),
                    Some(want),
                    "kam {args:?}, stdout {}, stderr {}",
                    if closed_stdout { "closed" } else { "full" },
                    if stderr_full { "full" } else { "closed" }
                );
            }
        }
    }
}

/// 11.11: when the note is saved and only its confirmation cannot be written (stdout on a full
/// disk), stderr says the note WAS saved, with its id, and the exit code is 3 (not 1, which
/// would invite a retry and a duplicate); the same for every writing command.
#[test]
fn a_saved_record_whose_output_fails_is_reported_as_saved() {
    let nb = seeded();
    let kam = |args: &[&str]| run_to_full(&nb, args);
    let out = kam(&["note", "nunez", "Tender moved to March"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("note #i1 WAS saved"), "{err}");
    assert!(err.contains("do not run the command again"), "{err}");
    assert_eq!(count(&nb, "interactions"), 1);
    // Any writing command.
    let out = kam(&["account", "add", "Clínica Sur"]);
    assert_eq!(out.status.code(), Some(3), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("the account #a3 WAS saved"));
    assert_eq!(count(&nb, "accounts"), 3);
    // A write that fails is not "saved", and a read-only command's output failure stays 1.
    let out = kam(&["note", "nobody", "text"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let out = kam(&["agenda"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    // Documented.
    assert!(nb.ok(&["--help"]).contains("3 "));
}

/// 11.16: `kam demo` again never undoes what the user did in the demo notebook: without a
/// terminal it refreshes only with `--reset` (or `--yes`), says what it resets, and keeps the
/// records the user changed.
#[test]
fn the_demo_again_keeps_what_the_user_changed() {
    let nb = Shell::new();
    let demo = nb.path("demo.db");
    nb.ok(&["demo"]);
    let in_demo = |args: &[&str]| {
        let mut cmd = nb.kam();
        cmd.arg("--db").arg(&demo).args(args).assert().success();
        String::from_utf8(cmd.output().unwrap().stdout).unwrap()
    };
    let before = in_demo(&["account", "show", "#a1", "--json"]);
    let before: serde_json::Value = serde_json::from_str(&before).unwrap();
    in_demo(&["account", "edit", "#a1", "--city", "Changed by me"]);
    let city = |nb: &Shell| -> String {
        let conn = rusqlite::Connection::open(&demo).unwrap();
        let _ = nb;
        conn.query_row("SELECT city FROM accounts WHERE id = 1", [], |r| r.get(0))
            .unwrap()
    };
    // Again, from a script: nothing is reset, and it says how to.
    let again = nb.kam().arg("demo").assert().success().get_output().clone();
    let said = String::from_utf8_lossy(&again.stderr).to_string()
        + &String::from_utf8_lossy(&again.stdout);
    assert!(said.contains("--reset"), "{said}");
    assert_eq!(city(&nb), "Changed by me");
    // --reset refreshes the rest, keeps the changed record and says so.
    let reset = nb
        .kam()
        .args(["demo", "--reset"])
        .assert()
        .success()
        .get_output()
        .clone();
    let said = String::from_utf8_lossy(&reset.stderr).to_string()
        + &String::from_utf8_lossy(&reset.stdout);
    assert!(said.contains("kept 1 record you changed"), "{said}");
    assert_eq!(city(&nb), "Changed by me");
    assert_ne!(before["city"], "Changed by me");
    let conn = rusqlite::Connection::open(&demo).unwrap();
    let accounts: i64 = conn
        .query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(accounts, 30);
    nb.kam().args(["demo", "--yes"]).assert().success();
    assert_eq!(city(&nb), "Changed by me");
}

/// 11.16: a refresh tells the user's changes by the record's version and journal, not by its
/// `updated_at`: a plan, an obligation, a removed link, an account and a month of sales changed
/// at exactly midnight UTC all stay as the user left them, and so do a record the user added
/// and a month of sales the user's own file wrote for a demo account.
#[test]
fn the_demo_refresh_keeps_changes_of_every_kind_even_at_midnight() {
    let nb = Shell::new();
    let demo = nb.path("demo.db");
    nb.ok(&["demo"]);
    let at_midnight = |args: &[&str]| {
        nb.kam()
            .env("KAM_NOW", "2026-03-02T00:00:00+00:00")
            .arg("--db")
            .arg(&demo)
            .args(args)
            .assert()
            .success();
    };
    at_midnight(&[
        "plan",
        "edit",
        "1",
        "--objective",
        "MINE",
        "--budget",
        "999",
    ]);
    at_midnight(&["deal", "obligation", "done", "3"]);
    at_midnight(&["account", "edit", "#a1", "--city", "MINE"]);
    at_midnight(&["link", "#p1", "reports-to", "#p4", "--remove"]);
    at_midnight(&["account", "add", "My own clinic"]);
    // A month of sales edited, and one the user's own file wrote under its own uid.
    at_midnight(&["sales", "add", "#a4", "2026-01", "--actual", "11111"]);
    let mine_file = nb.path("my-month.jsonl");
    std::fs::write(
        &mine_file,
        "{\"type\":\"kamnote\",\"version\":1}\n\
         {\"type\":\"sales\",\"uid\":\"mine-1\",\"account\":\"demo-a04\",\
         \"month\":\"2026-02\",\"currency\":\"EUR\",\"actual\":22222}\n",
    )
    .unwrap();
    at_midnight(&["import", mine_file.to_str().unwrap()]);
    let read = || {
        let conn = rusqlite::Connection::open(&demo).unwrap();
        let one = |sql: &str| -> String { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
        (
            one("SELECT objective FROM plans WHERE uid = 'demo-pl1'"),
            one("SELECT status FROM obligations WHERE uid = 'demo-o03'"),
            one("SELECT city FROM accounts WHERE uid = 'demo-a01'"),
            one("SELECT count(*) || '' FROM links WHERE uid = 'demo-l001'"),
            one("SELECT count(*) || '' FROM accounts WHERE name = 'My own clinic'"),
            one("SELECT actual || '' FROM account_sales WHERE uid = 'demo-s-a04-2026-01'"),
            one(
                "SELECT s.uid || ' ' || s.actual FROM account_sales s JOIN accounts a
                 ON a.id = s.account_id WHERE a.uid = 'demo-a04' AND s.month = '2026-02'",
            ),
        )
    };
    let mine = (
        "MINE".to_string(),
        "done".to_string(),
        "MINE".to_string(),
        "0".to_string(),
        "1".to_string(),
        "11111.0".to_string(),
        "mine-1 22222.0".to_string(),
    );
    assert_eq!(read(), mine);
    let reset = nb
        .kam()
        .args(["demo", "--reset"])
        .assert()
        .success()
        .get_output()
        .clone();
    let said = String::from_utf8_lossy(&reset.stderr).to_string();
    assert!(said.contains("kept 6 records you changed"), "{said}");
    assert_eq!(read(), mine);
    // A second refresh still knows them (the first one rewrote the rest at version 1).
    let again = nb
        .kam()
        .args(["demo", "--reset"])
        .assert()
        .success()
        .get_output()
        .clone();
    let said = String::from_utf8_lossy(&again.stderr).to_string();
    assert!(said.contains("kept 6 records you changed"), "{said}");
    assert_eq!(read(), mine);
}

/// A refresh a month later, after a demo account was merged away, leaves that account's new
/// month out instead of failing; a month an older kamnote's demo wrote under a uid of its own
/// (the demo's very figures) is taken over, not counted as one the user changed.
#[test]
fn a_later_demo_refresh_survives_a_merged_account_and_takes_over_old_demo_months() {
    let nb = Shell::new();
    let demo = nb.path("demo.db");
    nb.ok(&["demo"]);
    let sql = |q: &str| -> String {
        let conn = rusqlite::Connection::open(&demo).unwrap();
        conn.query_row(q, [], |r| r.get(0)).unwrap()
    };
    {
        let conn = rusqlite::Connection::open(&demo).unwrap();
        conn.execute(
            "UPDATE account_sales SET uid = 'old-' || id WHERE uid LIKE 'demo-s-a04-%'",
            [],
        )
        .unwrap();
    }
    let in_demo = |now: &str, args: &[&str]| {
        nb.kam_at(now)
            .arg("--db")
            .arg(&demo)
            .args(args)
            .output()
            .unwrap()
    };
    let again = nb.kam().args(["demo", "--reset"]).output().unwrap();
    let said = String::from_utf8_lossy(&again.stderr).to_string();
    assert!(said.contains(" 0 records you changed"), "{said}");
    assert_eq!(
        sql("SELECT count(*) || '' FROM account_sales WHERE uid LIKE 'old-%'"),
        "0"
    );
    let merged = in_demo(NOW, &["account", "merge", "#a1", "#a5"]);
    assert!(merged.status.success(), "{merged:?}");
    let later = nb
        .kam_at("2026-12-29T08:00:00+00:00")
        .args(["demo", "--reset"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&later.stderr).to_string();
    assert!(later.status.success(), "{said}");
    assert_eq!(
        sql("SELECT count(*) || '' FROM account_sales WHERE uid = 'demo-s-a04-2026-12'"),
        "1"
    );
    assert_eq!(
        sql("SELECT count(*) || '' FROM accounts WHERE uid = 'demo-a05'"),
        "0"
    );
}

/// 11.3: a stray quote that closes cleanly at the end of a cell further down still swallows
/// the rows between: the import refuses it (exit 2, naming the line) unless `--force`, and a
/// CSV import reports the rows read against the records written.
#[test]
fn a_stray_quote_closing_at_a_cell_end_is_refused_and_rows_are_counted() {
    let nb = Shell::new();
    let mut text = String::from("Name,Notes,City\n");
    for i in 1..=31 {
        let note = match i {
            3 => "\"big client",
            24 => "call back\"",
            _ => "ok",
        };
        std::fmt::Write::write_fmt(&mut text, format_args!("Account {i},{note},Madrid\n")).unwrap();
    }
    let file = nb.path("stray.csv");
    std::fs::write(&file, &text).unwrap();
    let out = nb.kam().arg("import").arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("line 4") && said.contains("--force"),
        "{said}"
    );
    // Nothing was written.
    assert!(!nb.db().exists() || !nb.ok(&["account", "list"]).contains("Account 1"));
    let forced = nb.ok(&["import", "--force", file.to_str().unwrap()]);
    assert!(
        forced.contains("10 rows read, 10 records written"),
        "{forced}"
    );
    // A clean file: every row read is a record written.
    let clean = nb.path("clean.csv");
    std::fs::write(&clean, "Name,City\nA,x\nB,y\n").unwrap();
    let out = nb.ok(&["import", clean.to_str().unwrap()]);
    assert!(out.contains("2 rows read, 2 records written"), "{out}");
}

/// 11.12: money arguments and CSV cells are checked as typed: what an f64 would round away is
/// refused, quoting the text the user wrote.
#[test]
fn amounts_are_refused_as_typed_on_the_command_line_and_in_csv() {
    let nb = Shell::new();
    nb.ok(&["account", "add", "Acme"]);
    for (typed, says) in [
        (
            "1.00000000000000001",
            "1.00000000000000001 has more than 4 decimals",
        ),
        ("12345678901234.565", "12345678901234.565 has more digits"),
    ] {
        let out = nb
            .kam()
            .args([
                "deal",
                "add",
                "--account",
                "acme",
                "--title",
                "T",
                "--currency",
                "EUR",
                "--value",
                typed,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{said}");
        let out = nb
            .kam()
            .args([
                "plan",
                "add",
                "--account",
                "acme",
                "--objective",
                "Grow",
                "--currency",
                "EUR",
                "--budget",
                typed,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{out:?}"
        );
        let file = nb.path("money.csv");
        std::fs::write(&file, format!("Name,Sales\nBeta,{typed}\n")).unwrap();
        let out = nb.kam().arg("import").arg(&file).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{out:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains(says), "{said}");
    }
    assert!(
        nb.ok(&["deal", "list"])
            .lines()
            .all(|l| !l.contains("1.00"))
    );
}

/// A demo notebook whose path holds control characters: the demo's own messages on stderr
/// (what a refresh resets, what it kept) show it sanitized, like every error.
#[test]
fn the_demo_messages_sanitize_the_path() {
    let nb = Shell::new();
    let demo = nb.path("\u{1b}[31mred\u{7}.db");
    nb.kam()
        .arg("demo")
        .arg("--into")
        .arg(&demo)
        .assert()
        .success();
    nb.kam()
        .args(["--db"])
        .arg(&demo)
        .args(["account", "edit", "#a1", "--city", "Mine"])
        .assert()
        .success();
    for args in [&["demo"][..], &["demo", "--reset"][..]] {
        let out = nb
            .kam()
            .args(args)
            .arg("--into")
            .arg(&demo)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("red"), "{said}");
        assert!(
            !said.contains('\u{1b}') && !said.contains('\u{7}'),
            "{said:?}"
        );
        assert!(!out.stdout.contains(&0x1b), "{out:?}");
    }
}

/// 11.27: counts agree with their nouns ("1 account", "30 accounts"), and a JSON Lines file
/// that starts with a UTF-8 byte order mark (Windows editors write one) is read.
#[test]
fn messages_count_in_the_right_number_and_a_bom_is_read() {
    let nb = Shell::new();
    let file = nb.path("one.jsonl");
    std::fs::write(
        &file,
        "\u{feff}{\"type\":\"kamnote\",\"version\":1}\n\
         {\"type\":\"account\",\"uid\":\"a-1\",\"name\":\"Clínica Sur\"}\n\
         {\"type\":\"person\",\"uid\":\"p-1\",\"name\":\"Ana\",\"account\":\"a-1\"}\n\
         {\"type\":\"person\",\"uid\":\"p-2\",\"name\":\"Eva\",\"account\":\"a-1\"}\n",
    )
    .unwrap();
    let said = nb.ok(&["import", file.to_str().unwrap()]);
    assert!(said.contains("Imported 4 lines"), "{said}");
    assert!(
        said.contains("1 account") && !said.contains("1 accounts"),
        "{said}"
    );
    assert!(said.contains("2 people"), "{said}");
    nb.ok(&["meeting", "add", "sur", "--at", "today 10:00"]);
    let out = nb.path("one.ics");
    let said = nb.ok(&["export", "--format", "ics", "-o", out.to_str().unwrap()]);
    assert!(
        said.contains("Exported 1 meeting and 0 follow-ups"),
        "{said}"
    );
    let out = nb.path("accounts.csv");
    let said = nb.ok(&[
        "export",
        "--format",
        "csv",
        "--table",
        "accounts",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(said.contains("Exported 1 row "), "{said}");
}

/// 11.27: a notebook or an export in a directory kam may not write names that directory.
#[test]
fn a_read_only_directory_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let nb = seeded();
    let locked = nb.path("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    // root writes anywhere: then a read-only file system (/sys in a container) stands in.
    let dir = if std::fs::write(locked.join("probe"), b"").is_err() {
        locked.clone()
    } else if std::fs::write("/sys/kam-probe", b"").is_err() {
        PathBuf::from("/sys")
    } else {
        return;
    };
    let want = format!("cannot write {}: read-only directory", dir.display());
    let out = dir.join("out.jsonl");
    nb.kam()
        .args(["export", "-o", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(want.as_str()));
    nb.kam()
        .env("KAM_DB", dir.join("kam.db"))
        .args(["account", "add", "Acme"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}: cannot write here: read-only directory",
            dir.display()
        )));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// The `updated_at` and `version` of a record, read from the file.
fn stamp_of(nb: &Shell, table: &str, id: i64) -> (String, i64) {
    let conn = rusqlite::Connection::open(nb.db()).unwrap();
    conn.query_row(
        &format!("SELECT updated_at, version FROM {table} WHERE id = ?1"),
        [id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn values_the_rules_refuse_exit_2_naming_field_value_and_example() {
    let nb = seeded();
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["person", "add", "Ana", "--email", "ana at clinic"],
            "email",
            "ana.lopez@clinic.example",
        ),
        (
            &["person", "edit", "#p1", "--email", "ana@clinic"],
            "email",
            "\"ana@clinic\"",
        ),
        (
            &["person", "edit", "#p1", "--language", "Spanish"],
            "languages",
            "en-GB",
        ),
        (
            &["account", "add", "Clínic", "--country", "Spain"],
            "country",
            "ES, DE, GB",
        ),
        (
            &["account", "edit", "#a1", "--currency", "ABC"],
            "currency",
            "EUR, USD",
        ),
        (
            &["account", "edit", "#a1", "--sales=-5"],
            "our_sales",
            "negative",
        ),
        (
            &[
                "deal",
                "add",
                "--account",
                "#a1",
                "--title",
                "T",
                "--value=-1",
                "--currency",
                "EUR",
            ],
            "value",
            "negative",
        ),
    ];
    for (args, field, words) in cases {
        let out = nb.kam().args(*args).assert().code(2).get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains(field) && err.contains(words),
            "kam {args:?}: {err}"
        );
    }
    assert_eq!(count(&nb, "people"), 3);
    assert_eq!(count(&nb, "accounts"), 2);
    assert_eq!(count(&nb, "deals"), 0);
    // Codes typed in small letters are read as codes.
    nb.ok(&[
        "account",
        "edit",
        "#a1",
        "--country",
        "es",
        "--currency",
        "eur",
    ]);
    let a = nb.json(&["account", "show", "#a1", "--json"]);
    assert_eq!(
        (&a["account"]["country"], &a["account"]["currency"]),
        (&"ES".into(), &"EUR".into()),
        "{a}"
    );
}

#[test]
fn a_link_to_oneself_is_refused() {
    let nb = seeded();
    nb.kam()
        .args(["link", "dr nuno", "reports-to", "dr nuno"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("same person"));
    assert_eq!(count(&nb, "links"), 0);
}

#[test]
fn snoozing_into_the_past_is_refused() {
    let nb = seeded();
    nb.ok(&["followup", "add", "#a1", "--due", "today", "call", "back"]);
    let before = stamp_of(&nb, "followups", 1);
    nb.kam()
        .args(["followup", "snooze", "#f1", "2026-11-20"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("2026-11-20 is in the past"));
    assert_eq!(stamp_of(&nb, "followups", 1), before);
    nb.ok(&["followup", "snooze", "#f1", "today"]);
}

#[test]
fn an_edit_that_changes_nothing_writes_nothing_and_says_so() {
    let nb = seeded();
    let before = stamp_of(&nb, "accounts", 1);
    let out = nb.ok(&["account", "edit", "#a1", "--city", "Sevilla", "--tier", "A"]);
    assert!(out.contains("Nothing changed"), "{out}");
    assert_eq!(stamp_of(&nb, "accounts", 1), before);
    let before = stamp_of(&nb, "people", 1);
    let out = nb.ok(&["person", "edit", "#p1", "--influence", "5"]);
    assert!(out.contains("Nothing changed"), "{out}");
    assert_eq!(stamp_of(&nb, "people", 1), before);
    // A real change still saves and bumps the version.
    let out = nb.ok(&["person", "edit", "#p1", "--influence", "4"]);
    assert!(out.contains("Saved person"), "{out}");
    assert_eq!(stamp_of(&nb, "people", 1).1, before.1 + 1);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "#a1",
        "--title",
        "T",
        "--value",
        "10",
        "--currency",
        "EUR",
    ]);
    let before = stamp_of(&nb, "deals", 1);
    let out = nb.ok(&["deal", "edit", "#d1", "--value", "10"]);
    assert!(out.contains("Nothing changed"), "{out}");
    assert_eq!(stamp_of(&nb, "deals", 1), before);
}

#[test]
fn values_stored_before_the_rules_still_load_export_and_edit() {
    let nb = seeded();
    let conn = rusqlite::Connection::open(nb.db()).unwrap();
    conn.execute_batch(
        "UPDATE accounts SET country = 'Spain', currency = 'XYZ', our_sales = -3 WHERE id = 1;
         UPDATE people SET email = 'ivan at rostov', languages = '[\"Russian\"]' WHERE id = 1;",
    )
    .unwrap();
    drop(conn);
    nb.ok(&["account", "show", "#a1"]);
    let export = nb.ok(&["export"]);
    assert!(
        export.contains("\"Spain\"") && export.contains("ivan at rostov"),
        "{export}"
    );
    // Other fields can be edited; the old values stay as they were.
    nb.ok(&["account", "edit", "#a1", "--city", "Cádiz"]);
    nb.ok(&["person", "edit", "#p1", "--title", "Director"]);
    let p = nb.json(&["person", "show", "#p1", "--json"]);
    assert_eq!(p["person"]["email"], "ivan at rostov", "{p}");
    // The export imports back into the same notebook (nothing changed there).
    let file = nb.path("old.jsonl");
    std::fs::write(&file, nb.ok(&["export"])).unwrap();
    nb.ok(&["import", file.to_str().unwrap()]);
    // A new bad value is refused all the same.
    nb.kam()
        .args(["account", "edit", "#a1", "--country", "Portugal"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("country"));
}

#[test]
fn bad_values_are_refused_on_import_naming_line_and_field() {
    let nb = seeded();
    let files: &[(&str, &str, &[&str], &str, &str)] = &[
        (
            "dup.jsonl",
            "{\"type\":\"kamnote\",\"version\":1}\n\
             {\"type\":\"account\",\"uid\":\"x-1\",\"name\":\"Fine\"}\n\
             {\"type\":\"account\",\"uid\":\"x-2\",\"name\":\"A\",\"tier\":\"A\",\"name\":\"B\"}\n",
            &[],
            "line 3",
            "name",
        ),
        (
            "email.jsonl",
            "{\"type\":\"kamnote\",\"version\":1}\n\
             {\"type\":\"person\",\"uid\":\"x-3\",\"name\":\"Ana\",\"email\":\"ana@\"}\n",
            &[],
            "line 2",
            "email",
        ),
        (
            "people.csv",
            "name,email\nAna López,ana@clinic.example\nLuis Gil,luis at clinic\n",
            &["--table", "people"],
            "line 3",
            "email",
        ),
        (
            "accounts.csv",
            "name,country,currency\nClínica Sur,ES,EUR\nClínica Norte,Spain,EUR\n",
            &["--table", "accounts"],
            "line 3",
            "country",
        ),
        (
            "money.csv",
            "name,revenue\nClínica Sur,-100\n",
            &["--table", "accounts"],
            "line 2",
            "revenue",
        ),
        (
            "cards.vcf",
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana López\r\nEMAIL:ana@clinic.example\r\nEND:VCARD\r\n\
             BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Luis Gil\r\nEMAIL:luis at clinic\r\nEND:VCARD\r\n",
            &[],
            "line 6",
            "email",
        ),
    ];
    for (name, text, extra, line, field) in files {
        let file = nb.path(name);
        std::fs::write(&file, text).unwrap();
        let mut args = vec!["import", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = nb.kam().args(&args).assert().code(2).get_output().clone();
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(line) && err.contains(field), "{name}: {err}");
        // All or nothing: the good rows before the bad one were not kept.
        assert_eq!(count(&nb, "accounts"), 2, "{name}");
        assert_eq!(count(&nb, "people"), 3, "{name}");
    }
}

/// The notebook as `kam export` writes it, without the header (it carries the export time).
fn export(nb: &Shell) -> String {
    nb.ok(&["export"])
        .lines()
        .skip(1) // the header carries the export time
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_meeting_is_moved_cancelled_and_each_change_undone() {
    let nb = seeded();
    let start = export(&nb);
    nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "2026-11-30 10:00",
        "--for",
        "1h",
        "--with",
        "nuño",
    ]);
    let moved = nb.ok(&["meeting", "move", "#i1", "--to", "2026-12-01 16:00"]);
    assert!(moved.starts_with("Moved #i1 meeting from"), "{moved}");
    let shown = nb.ok(&["show", "#i1"]);
    assert!(
        shown.contains("2026-12-01 16:00–17:00"),
        "keeps its hour: {shown}"
    );
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid meeting move"), "{undone}");
    assert!(nb.ok(&["show", "#i1"]).contains("2026-11-30 10:00–11:00"));

    let cancelled = nb.ok(&["meeting", "cancel", "#i1", "--reason", "Nuño is ill"]);
    assert_eq!(cancelled.trim(), "Cancelled #i1 meeting (Nuño is ill)");
    let err = nb.refused(&["meeting", "move", "#i1", "--to", "2026-12-02 10:00"]);
    assert!(err.contains("only a planned meeting can be moved"), "{err}");
    nb.ok(&["undo"]);
    nb.ok(&["undo"]);
    assert_eq!(export(&nb), start, "back to before the meeting was planned");
    let before = nb.ok(&["undo"]);
    assert!(
        before.starts_with("Undid person add"),
        "then the seeding: {before}"
    );
}

#[test]
fn a_cancelled_meeting_is_not_contact() {
    let nb = seeded();
    nb.ok(&["meeting", "add", "grigoriev", "--at", "2026-11-27 09:00"]);
    // Cancelled: the person was not met (done, their last contact would be now).
    nb.ok(&["meeting", "cancel", "#i1"]);
    let conn = rusqlite::Connection::open(nb.db()).unwrap();
    let last: Option<i64> = conn
        .query_row("SELECT last_contact FROM people WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(last, None);
    let show = nb.ok(&["show", "#i1"]);
    assert!(show.contains("(cancelled)"), "{show}");
}

#[test]
fn meeting_log_records_last_nights_dinner_in_one_step_and_undo_takes_it_back() {
    let nb = seeded();
    let out = nb.ok(&[
        "meeting",
        "log",
        "nunez",
        "--at",
        "yesterday 21:00",
        "--kind",
        "meal",
        "--with",
        "nuño",
        "--with",
        "#p3",
        "--outcome",
        "They will pilot in March",
        "-f",
        "+3d send the offer",
    ]);
    assert!(
        out.starts_with("Logged meal #i1 with #p2 Nuño Peña"),
        "{out}"
    );
    assert!(out.contains("Follow-up #f1 due"), "{out}");
    let show = nb.ok(&["show", "#i1"]);
    assert!(
        show.starts_with("#i1  meal") && show.contains("#p3 Iván Peña"),
        "{show}"
    );
    assert!(show.contains("They will pilot in March"), "{show}");
    let err = nb.refused(&[
        "meeting",
        "log",
        "nunez",
        "--at",
        "tomorrow 10:00",
        "--outcome",
        "x",
    ]);
    assert!(err.contains("a logged meeting has happened"), "{err}");
    nb.ok(&["undo"]);
    assert_eq!(count(&nb, "interactions"), 0);
    assert_eq!(count(&nb, "followups"), 0);
}

#[test]
fn meeting_edit_sets_people_goal_and_questions_which_lead_the_brief() {
    let nb = seeded();
    nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "2026-11-30 10:00",
        "--goal",
        "Agree the pilot",
    ]);
    let out = nb.ok(&[
        "meeting",
        "edit",
        "#i1",
        "--title",
        "Pilot review",
        "--with",
        "nuño",
        "--ask",
        "Who signs?",
        "--ask",
        "Which wards?",
    ]);
    assert_eq!(out.trim(), "Saved meeting #i1 Pilot review");
    let prep = nb.ok(&["prep", "#i1"]);
    let goal = prep.find("Agree the pilot").expect(&prep);
    let ask = prep.find("Who signs?").expect(&prep);
    assert!(goal < ask && prep.contains("Which wards?"), "{prep}");
    let people = nb.ok(&["meeting", "edit", "#i1", "--without", "nuño"]);
    assert!(people.starts_with("Saved"), "{people}");
    assert!(!nb.ok(&["show", "#i1"]).contains("Nuño"));
    let history = nb.ok(&["history", "#i1"]);
    assert!(
        history.contains("meeting edit") && history.contains("people: #p2 → (empty)"),
        "{history}"
    );
}

#[test]
fn a_note_is_backdated_and_shown_in_full() {
    let nb = seeded();
    let saved = nb.json(&[
        "note",
        "grigoriev",
        "Long talk.\nSecond line.",
        "--at",
        "yesterday 18:00",
        "--json",
    ]);
    assert_eq!(saved["interaction"]["at"], "2026-11-26T18:00:00Z");
    let show = nb.ok(&["show", "#i1"]);
    assert!(
        show.contains("Long talk.") && show.contains("Second line."),
        "{show}"
    );
    let err = nb.refused(&["note", "grigoriev", "later", "--at", "tomorrow 10:00"]);
    assert!(err.contains("not later than now"), "{err}");
}

#[test]
fn followups_are_edited_cancelled_reopened_and_undone() {
    let nb = seeded();
    nb.ok(&[
        "followup",
        "add",
        "grigoriev",
        "--due",
        "fri",
        "send",
        "prices",
    ]);
    let edited = nb.ok(&[
        "followup",
        "edit",
        "#f1",
        "--text",
        "send the price list",
        "--due",
        "2026-12-04",
    ]);
    assert!(edited.contains("send the price list"), "{edited}");
    let cancelled = nb.ok(&["followup", "cancel", "#f1"]);
    assert_eq!(cancelled.trim(), "Cancelled #f1: send the price list");
    let err = nb.refused(&["followup", "done", "#f1"]);
    assert!(err.contains("already cancelled"), "{err}");
    let reopened = nb.ok(&["followup", "reopen", "#f1"]);
    assert!(reopened.starts_with("Reopened follow-up #f1"), "{reopened}");
    nb.ok(&["followup", "done", "#f1"]);
    for expected in [
        "followup done",
        "followup reopen",
        "followup cancel",
        "followup edit",
    ] {
        let out = nb.ok(&["undo"]);
        assert!(out.starts_with(&format!("Undid {expected}")), "{out}");
    }
    let f = nb.json(&["followup", "list", "--json"]);
    assert_eq!(f[0]["text"], "send prices");
}

#[test]
fn people_are_archived_restored_and_their_personal_notes_appended() {
    let nb = seeded();
    nb.ok(&[
        "person",
        "edit",
        "grigoriev",
        "--personal",
        "Two daughters.",
    ]);
    nb.ok(&[
        "person",
        "edit",
        "grigoriev",
        "--append-personal",
        "Moved to Rostov",
    ]);
    let p = nb.json(&["person", "show", "grigoriev", "--json"]);
    let personal = p["person"]["personal"]
        .as_str()
        .unwrap_or_else(|| p["personal"].as_str().unwrap());
    assert_eq!(personal, "Two daughters.\n2026-11-27: Moved to Rostov");
    let archived = nb.ok(&["archive", "grigoriev"]);
    assert_eq!(archived.trim(), "Archived #p1 Iván Grigóriev");
    assert!(!nb.ok(&["person", "list"]).contains("Grigóriev"));
    let err = nb.refused(&["archive", "#p1"]);
    assert!(err.contains("already archived"), "{err}");
    nb.ok(&["restore", "#p1"]);
    assert!(nb.ok(&["person", "list"]).contains("Grigóriev"));
    nb.ok(&[
        "account",
        "edit",
        "nunez",
        "--revenue",
        "1200000",
        "--address",
        "Calle Feria 1",
    ]);
    let a = nb.ok(&["history", "nunez"]);
    assert!(
        a.contains("revenue: (empty) → 1200000") && a.contains("Calle Feria 1"),
        "{a}"
    );
    let h = nb.ok(&["history", "#p1"]);
    assert!(h.contains("restore") && h.contains("archive"), "{h}");
    assert!(
        h.contains("Two daughters.") && h.contains("Moved to Rostov"),
        "{h}"
    );
}

#[test]
fn undo_refuses_when_a_record_changed_since_outside_the_journal() {
    let nb = seeded();
    nb.ok(&["person", "edit", "grigoriev", "--title", "CFO"]);
    let conn = rusqlite::Connection::open(nb.db()).unwrap();
    conn.execute(
        "UPDATE people SET phone = '+7 900', version = version + 1 WHERE id = 1",
        [],
    )
    .unwrap();
    drop(conn);
    let err = nb.refused(&["undo"]);
    assert!(err.contains("#p1 was changed since (phone)"), "{err}");
    let p = nb.json(&["person", "show", "#p1", "--json"]);
    assert!(p.to_string().contains("CFO"), "nothing undone: {p}");
}

#[test]
fn ported_writes_are_undoable_stage_link_note() {
    let nb = seeded();
    let start = export(&nb);
    nb.ok(&["stage", "nuño", "acquainted", "--note", "dinner"]);
    nb.ok(&["link", "nuño", "reports-to", "#p3"]);
    nb.ok(&["note", "#a1", "Met", "@nuño", "-f", "+1w call"]);
    nb.ok(&["link", "nuño", "reports-to", "#p3", "--remove"]);
    for _ in 0..4 {
        nb.ok(&["undo"]);
    }
    assert_eq!(export(&nb), start);
}

#[test]
fn two_duplicate_people_are_merged_and_undo_separates_them() {
    let nb = seeded();
    nb.ok(&[
        "person",
        "add",
        "Ivan Grigoriev",
        "--phone",
        "+7 900 1",
        "--title",
        "Director",
        "--personal",
        "Plays chess.",
    ]);
    nb.ok(&[
        "person",
        "edit",
        "#p1",
        "--title",
        "CEO",
        "--personal",
        "Two sons.",
    ]);
    nb.ok(&["note", "#p4", "Met at the fair"]);
    nb.ok(&[
        "followup",
        "add",
        "#p4",
        "--due",
        "fri",
        "send",
        "catalogue",
    ]);
    nb.ok(&["link", "#p4", "reports-to", "#p2"]);
    let before = export(&nb);
    let dry = nb.ok(&["person", "merge", "#p1", "#p4", "--dry-run"]);
    assert!(
        dry.starts_with("Would merge #p4 Ivan Grigoriev into #p1 Iván Grigóriev"),
        "{dry}"
    );
    assert!(dry.contains("1 interaction, 1 follow-up, 1 link"), "{dry}");
    assert!(dry.contains("takes phone: +7 900 1"), "{dry}");
    assert!(
        dry.contains("differs title: kept \"CEO\", the other had \"Director\""),
        "{dry}"
    );
    assert_eq!(export(&nb), before, "a dry run writes nothing");

    let out = nb.ok(&["person", "merge", "#p1", "#p4"]);
    assert!(out.starts_with("Merged #p4"), "{out}");
    assert_eq!(count(&nb, "people"), 3);
    let p = nb.json(&["person", "show", "#p1", "--json"]).to_string();
    assert!(p.contains("Two sons.\\nPlays chess."), "no text lost: {p}");
    let links = nb.ok(&["link", "#p1"]);
    assert!(links.contains("reports-to"), "{links}");
    assert!(nb.ok(&["show", "#i1"]).contains("#p1 Iván Grigóriev"));
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid person merge"), "{undone}");
    assert_eq!(export(&nb), before);
    let err = nb.refused(&["person", "merge", "#p1", "#p1"]);
    assert!(err.contains("cannot be merged into itself"), "{err}");
}

#[test]
fn two_duplicate_accounts_are_merged_with_their_people_and_deals() {
    let nb = seeded();
    nb.ok(&[
        "account",
        "add",
        "Nunez y Pena",
        "--city",
        "Sevilla",
        "--about",
        "Family firm.",
    ]);
    nb.ok(&["person", "add", "Rosa Gil", "--account", "#a3"]);
    nb.ok(&["deal", "add", "--account", "#a3", "--title", "Listing 2027"]);
    let before = export(&nb);
    let out = nb.ok(&["account", "merge", "#a1", "#a3"]);
    assert!(out.contains("1 person, 1 deal"), "{out}");
    assert!(out.contains("takes about: Family firm."), "{out}");
    let people = nb.json(&["person", "list", "--account", "#a1", "--json"]);
    assert_eq!(people.as_array().unwrap().len(), 3);
    nb.ok(&["undo"]);
    assert_eq!(export(&nb), before);
}

#[test]
fn deal_writes_are_journaled_and_an_invoice_paid_is_undone() {
    let nb = seeded();
    let start = export(&nb);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "nunez",
        "--title",
        "Supply 2027",
        "--value",
        "1000",
        "--currency",
        "EUR",
        "--milestone",
        "signature=2026-12-15",
    ]);
    nb.ok(&["deal", "edit", "#d1", "--probability", "60"]);
    nb.ok(&[
        "deal",
        "obligation",
        "add",
        "#d1",
        "Invoice 118",
        "--due",
        "2026-12-15",
        "--party",
        "client",
        "--kind",
        "payment",
        "--amount",
        "1000",
        "--currency",
        "EUR",
    ]);
    let paid = nb.ok(&["deal", "obligation", "done", "1"]);
    assert_eq!(paid.trim(), "Done: [1] Invoice 118");
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid obligation done"), "{undone}");
    assert!(nb.ok(&["deal", "show", "#d1"]).contains("Invoice 118"));
    let err = nb.refused(&["stage", "#d1", "lost"]);
    assert!(err.contains("a lost deal needs the reason"), "{err}");
    for _ in 0..3 {
        nb.ok(&["undo"]);
    }
    assert_eq!(export(&nb), start);
}

#[test]
fn plan_writes_are_journaled_and_undone() {
    let nb = seeded();
    let start = export(&nb);
    nb.ok(&[
        "plan",
        "add",
        "--account",
        "nunez",
        "--objective",
        "Listing in 40 pharmacies",
        "--budget",
        "5000",
        "--currency",
        "EUR",
    ]);
    nb.ok(&[
        "plan",
        "edit",
        "1",
        "--objective",
        "Listing in 60 pharmacies",
    ]);
    nb.ok(&["plan", "spend", "1", "1200", "--category", "events"]);
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid plan spend"), "{undone}");
    assert_eq!(count(&nb, "plan_spends"), 0);
    nb.ok(&["undo"]);
    nb.ok(&["undo"]);
    assert_eq!(export(&nb), start);
}

/// Issues 11 and 12 together: the lifecycle commands run through ops keep 11.11 (a change saved
/// whose confirmation cannot be written exits 3 and says what WAS saved), 11.25 (an edit that
/// changes nothing writes nothing — no journal entry either, so `kam undo` then undoes the
/// change before it, and says which; the domain's snooze rule holds for `followup edit --due`)
/// and 11.9 (`history` and `show` never create a notebook).
#[test]
fn lifecycle_commands_keep_the_trust_rules() {
    let nb = seeded();
    let to_full = |args: &[&str]| run_to_full(&nb, args);
    // Each saved change is one journal entry more, or one more marked undone.
    let changes = || count(&nb, "journal") + count(&nb, "journal WHERE undone_at IS NOT NULL");
    let saved_but_not_shown = |args: &[&str], what: &str| {
        let entries = changes();
        let out = to_full(args);
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(3), "{args:?}: {err}");
        assert!(
            err.contains(what) && err.contains("WAS saved"),
            "{args:?}: {err}"
        );
        assert!(
            err.contains("do not run the command again"),
            "{args:?}: {err}"
        );
        assert_eq!(changes(), entries + 1, "{args:?}");
    };
    nb.ok(&["meeting", "add", "nunez", "--at", "2026-11-30 10:00"]);
    nb.ok(&["followup", "add", "#a1", "--due", "fri", "send", "prices"]);
    saved_but_not_shown(
        &["meeting", "move", "#i1", "--to", "2026-12-01 16:00"],
        "the change (Moved #i1",
    );
    saved_but_not_shown(&["followup", "cancel", "#f1"], "the change (Cancelled #f1");
    saved_but_not_shown(&["archive", "grigoriev"], "the change (Archived #p1");
    saved_but_not_shown(&["undo"], "the change (Undid archive");
    saved_but_not_shown(&["meeting", "cancel", "#i1"], "the change (Cancelled");
    // A refused command and a no-op through ops are not "saved": exit 2 / exit 1 as before.
    let out = to_full(&["followup", "reopen", "#f9"]);
    assert_eq!(out.status.code(), Some(2), "{out:?}");

    // No-op edits through ops: "Nothing changed", no version bump, no journal entry.
    nb.ok(&["account", "edit", "#a1", "--city", "Cádiz"]);
    let entries = count(&nb, "journal");
    let out = nb.ok(&["account", "edit", "#a1", "--city", "Cádiz"]);
    assert!(out.starts_with("Nothing changed"), "{out}");
    let out = nb.ok(&["followup", "edit", "#f1", "--text", "send prices"]);
    assert!(out.starts_with("Nothing changed"), "{out}");
    nb.ok(&[
        "meeting",
        "add",
        "nunez",
        "--at",
        "2026-12-03 10:00",
        "--title",
        "Pilot",
    ]);
    let entries_with_meeting = count(&nb, "journal");
    assert_eq!(entries_with_meeting, entries + 1);
    let out = nb.ok(&["meeting", "edit", "#i2", "--title", "Pilot"]);
    assert!(out.starts_with("Nothing changed"), "{out}");
    assert_eq!(count(&nb, "journal"), entries_with_meeting);
    // Undo after the no-ops undoes the last real change (the meeting added) and names it.
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid meeting add"), "{undone}");
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid account edit"), "{undone}");
    let a = nb.json(&["account", "show", "#a1", "--json"]);
    assert_eq!(a["account"]["city"], "Sevilla", "{a}");

    // Snoozing is putting off: never into the past. Editing the due date corrects it, and a
    // date that was really last week may be typed (as `followup add` takes one).
    nb.ok(&["followup", "reopen", "#f1"]);
    let err = nb.refused(&["followup", "snooze", "#f1", "2026-11-20"]);
    assert!(err.contains("2026-11-20 is in the past"), "{err}");
    nb.ok(&["followup", "edit", "#f1", "--due", "2026-11-20"]);

    // Read-only lifecycle commands never create a notebook.
    let missing = nb.path("missing.db");
    for args in [&["history", "#a1"][..], &["show", "#i1"][..]] {
        nb.kam()
            .arg("--db")
            .arg(&missing)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("nothing was created"));
        assert!(!missing.exists(), "{args:?}");
    }
}

/// A call typed in New York for 18:30 is due at 00:30 in Madrid: seen from Madrid at 00:10 it
/// is due in twenty minutes, not overdue since yesterday, in `followup list` and an account's
/// `show` (11.7: the local day comes from the instant, on every path).
#[test]
fn a_timed_followup_is_judged_by_its_local_day_in_the_cli_lists() {
    let nb = Shell::new();
    nb.ok(&["account", "add", "Acme"]);
    nb.kam()
        .env("TZ", "America/New_York")
        .env("KAM_NOW", "2026-03-02T09:00:00-05:00")
        .args([
            "followup",
            "add",
            "acme",
            "--due",
            "2026-03-02 18:30",
            "call",
            "Ana",
        ])
        .assert()
        .success();
    let seen_from_madrid = |args: &[&str]| {
        let out = nb
            .kam()
            .env("TZ", "Europe/Madrid")
            .env("KAM_NOW", "2026-03-03T00:10:00+01:00")
            .args(args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let list = seen_from_madrid(&["followup", "list"]);
    assert!(list.contains("call Ana"), "{list}");
    assert!(!list.contains("late"), "{list}");
    let show = seen_from_madrid(&["account", "show", "acme"]);
    assert!(show.contains("2026-03-03"), "{show}");
    assert!(!show.contains("overdue"), "{show}");
}

/// 12.3/12.4: `kam note edit` replaces a note's text, time and people through one command;
/// `kam history` keeps the text replaced, `kam undo` brings it back, `kam show` prints it in
/// full with the follow-up it set.
#[test]
fn a_note_is_edited_its_old_text_is_in_history_and_undo_restores_it() {
    let nb = seeded();
    let saved = nb.ok(&[
        "note",
        "nunez",
        "Met Nuño: the tender moves to March.",
        "-f",
        "+3d send the price list",
    ]);
    assert!(saved.starts_with("Saved note #i1"), "{saved}");
    let before = export(&nb);
    let edited = nb.ok(&[
        "note",
        "edit",
        "#i1",
        "--text",
        "Met Nuño and Iván: the tender moves to April.",
        "--title",
        "Tender news",
        "--at",
        "yesterday 18:00",
        "--with",
        "nuño",
        "--with",
        "iván peña",
    ]);
    assert_eq!(
        edited.trim(),
        "Saved note #i1 Tender news (title, text, when, people)"
    );
    let shown = nb.ok(&["show", "#i1"]);
    for part in [
        "#i1  note · Tender news",
        "2026-11-26 18:00",
        "#p2 Dr. Nuño Peña, #p3 Iván Peña",
        "Met Nuño and Iván: the tender moves to April.",
        "☐ #f1 send the price list — due",
    ] {
        assert!(shown.contains(part), "{part}: {shown}");
    }
    // In the reader's zone, as the dossiers show it.
    let tokyo = nb
        .kam()
        .env("TZ", "Asia/Tokyo")
        .args(["show", "#i1"])
        .output()
        .unwrap();
    let tokyo = String::from_utf8(tokyo.stdout).unwrap();
    assert!(tokyo.contains("Fri 2026-11-27 03:00"), "{tokyo}");
    let history = nb.ok(&["history", "#i1"]);
    assert!(
        history.contains("note edit") && history.contains("Met Nuño: the tender moves to March."),
        "{history}"
    );
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid note edit"), "{undone}");
    assert_eq!(export(&nb), before);
    assert!(
        nb.ok(&["show", "#i1"])
            .contains("Met Nuño: the tender moves to March.")
    );

    // Its rules, with the field and a good example.
    let err = nb.refused(&["note", "edit", "#i1", "--at", "tomorrow 10:00"]);
    assert!(
        err.contains("--at") && err.contains("not later than now"),
        "{err}"
    );
    let err = nb.refused(&["note", "edit", "#i1"]);
    assert!(
        err.contains("nothing to change") && err.contains("--text"),
        "{err}"
    );
    // `kam note TARGET TEXT` still writes a note.
    assert!(
        nb.ok(&["note", "nunez", "edit", "the", "offer"])
            .starts_with("Saved note #i2")
    );
}

/// `kam note edit --text -` reads the new text, several lines, from stdin.
#[test]
fn a_note_edit_reads_a_multi_line_text_from_stdin() {
    let nb = seeded();
    nb.ok(&["note", "nunez", "first draft"]);
    let out = nb
        .kam()
        .args(["note", "edit", "#i1", "--text", "-"])
        .write_stdin("Line one\nLine two\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().contains("(text)"));
    let shown = nb.ok(&["show", "#i1"]);
    assert!(shown.contains("  Line one\n  Line two\n"), "{shown}");
}

/// `kam agenda` paints the agenda's sections: headings, entries indented two spaces, details
/// four (a meeting's under its title), a blank line between sections and none after the last.
#[test]
fn the_agenda_is_painted_from_its_sections() {
    let nb = Shell::new();
    nb.ok(&["account", "add", "Hospital Clínic"]);
    nb.ok(&["note", "clinic", "visit", "--follow-up", "today call back"]);
    nb.ok(&[
        "meeting",
        "add",
        "clinic",
        "--at",
        "today 23:00",
        "--title",
        "Review",
    ]);
    let out = nb.ok(&["agenda"]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].ends_with("(today)"), "{out}");
    assert!(lines[1].starts_with("  23:00        Review  #i"), "{out}");
    // The next meeting is counted down from the moment of asking (--now is 08:00).
    assert!(lines[1].ends_with("← next, in 15 h"), "{out}");
    assert_eq!(lines[2], format!("{:15}Hospital Clínic", ""), "{out}");
    assert_eq!(lines[4], "  Follow-ups:", "{out}");
    assert!(
        lines[5].starts_with("    ·     #f1 call back — Hospital Clínic"),
        "{out}"
    );
    assert!(
        out.ends_with("Hospital Clínic\n"),
        "no blank line after the last section: {out:?}"
    );
}

// ---- Privacy: erasure, subject access, personal notes, retention (issue 15) ----

/// Whether `needle` is anywhere in the bytes of `path` (a missing file holds nothing).
fn file_holds(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap_or_default();
    bytes
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The texts about Zebediah a forget must leave no byte of (FTS tokens are lower-case, the
/// search is case-insensitive).
const ZEBEDIAH: &[&str] = &[
    "Zebediah",
    "Quillfeather",
    "harpsichord",
    "Plorvex",
    "Quorbex",
    "Trumplex",
    "Vexillo",
    "Wumpfield",
    "Snorkelbane",
];

/// Seeds, on the seeded notebook, Zebediah Quillfeather with one record of each kind: personal
/// notes, a note only about him, a note shared with Iván Peña naming him, a follow-up, a plan
/// with a spend, a stage change with a reason, a link, an edit (journal before/after), a deal
/// naming him with an obligation.
fn seed_zebediah(nb: &Shell) {
    nb.ok(&[
        "person",
        "add",
        "Zebediah Quillfeather",
        "--account",
        "nunez",
        "--personal",
        "Collects antique harpsichords in Brno",
        "--email",
        "zq@example.org",
    ]);
    nb.ok(&["note", "zebediah", "Knee surgery went well, Plorvex helped"]);
    nb.ok(&[
        "note",
        "iván peña",
        "Lunch with @Zebediah and Iván: Zebediah Quillfeather prefers Glimmerdorf",
    ]);
    nb.ok(&[
        "followup", "add", "zebediah", "--due", "+3d", "Send", "Quorbex", "brochure",
    ]);
    nb.ok(&[
        "plan",
        "add",
        "--person",
        "zebediah",
        "--objective",
        "Trumplex congress",
        "--budget",
        "1000",
        "--currency",
        "EUR",
    ]);
    nb.ok(&["plan", "spend", "1", "300", "--note", "Dinner at Vexillo"]);
    nb.ok(&[
        "stage",
        "zebediah",
        "contacted",
        "--note",
        "Met at Snorkelbane fair",
    ]);
    nb.ok(&["link", "zebediah", "reports-to", "dr nuno"]);
    nb.ok(&["person", "edit", "zebediah", "--title", "Jefe Wumpfield"]);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "nunez",
        "--title",
        "Tender Q1",
        "--notes",
        "Zebediah Quillfeather decides",
    ]);
    nb.ok(&[
        "deal",
        "obligation",
        "add",
        "#d1",
        "Deliver samples",
        "--due",
        "+10d",
        "--party",
        "us",
        "--kind",
        "delivery",
    ]);
}

/// Issue 15.1/15.5: after `kam forget`, no byte of the person — name, notes, personal text, in
/// records, search index or journal — is in the file or its WAL; the shared note stays without
/// his link and with "(erased)" for his name; undo cannot bring anything back.
#[test]
fn forget_leaves_no_byte_of_the_person_in_the_file_or_its_wal() {
    let nb = seeded();
    // A connection held open keeps the WAL from being checkpointed and removed when each kam
    // process exits: the person's data is in the WAL, not yet in the file.
    let holder = rusqlite::Connection::open(nb.db()).unwrap();
    holder.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    let _: i64 = holder
        .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
        .unwrap();
    seed_zebediah(&nb);
    let wal = nb.path("kam.db-wal");
    assert!(file_holds(&wal, "Quillfeather"), "the WAL holds him before");
    for text in ZEBEDIAH {
        assert!(
            file_holds(&nb.db(), text) || file_holds(&wal, text),
            "{text} is in the notebook before"
        );
    }
    let out = nb.ok(&["forget", "zebediah", "--yes"]);
    assert!(
        out.contains("Erased person #p4 Zebediah Quillfeather"),
        "{out}"
    );
    assert!(out.contains("cannot be undone"), "{out}");
    assert!(
        out.contains("1 interactions shared") || out.contains("1 interaction shared"),
        "{out}"
    );
    for file in [nb.db(), wal.clone()] {
        for text in ZEBEDIAH {
            assert!(
                !file_holds(&file, text),
                "{text} is still in {}",
                file.display()
            );
        }
    }
    // The shared note stays, for Iván only, with the name erased.
    let shown = nb.ok(&["show", "#i2"]);
    assert!(
        shown.contains("Lunch with (erased) and Iván: (erased) prefers Glimmerdorf"),
        "{shown}"
    );
    assert!(!shown.contains("#p4"), "{shown}");
    let deal = nb.ok(&["show", "#d1"]);
    assert!(deal.contains("(erased) decides"), "{deal}");
    // Undo, as far as it goes, never brings him back.
    for _ in 0..20 {
        if !nb.kam().arg("undo").assert().get_output().status.success() {
            break;
        }
    }
    drop(holder);
    for text in ZEBEDIAH {
        assert!(!file_holds(&nb.db(), text), "{text} is back after undo");
    }
    nb.ok(&["check"]);
}

/// 15.1: the same guarantee when everything was checkpointed into the file before.
#[test]
fn forget_leaves_no_byte_of_a_checkpointed_person() {
    let nb = seeded();
    seed_zebediah(&nb);
    assert!(file_holds(&nb.db(), "Quillfeather"));
    assert!(file_holds(&nb.db(), "harpsichord"));
    nb.ok(&["forget", "#p4", "--yes"]);
    for file in [nb.db(), nb.path("kam.db-wal")] {
        for text in ZEBEDIAH {
            assert!(
                !file_holds(&file, text),
                "{text} is still in {}",
                file.display()
            );
        }
    }
    assert_eq!(count(&nb, "people"), 3);
}

/// 15.1: a dry run lists what would go and writes nothing; without --yes off a terminal it is
/// refused; the backups that still hold the person are named.
#[test]
fn forget_dry_run_writes_nothing_and_off_a_terminal_needs_yes() {
    let nb = seeded();
    seed_zebediah(&nb);
    let backup = nb.path("kam.db.backup-20261127-080000");
    nb.ok(&["backup", backup.to_str().unwrap()]);
    let before = std::fs::read(nb.db()).unwrap();
    let out = nb.ok(&["forget", "zebediah", "--dry-run"]);
    assert!(out.contains("would erase"), "{out}");
    assert!(
        out.contains("1 person") && out.contains("1 follow-up"),
        "{out}"
    );
    assert!(
        out.contains("1 plan spend") && out.contains("1 link of the power map"),
        "{out}"
    );
    assert!(
        out.contains("shared with others kept") && out.contains("#i2"),
        "{out}"
    );
    assert!(out.contains("kam.db.backup-20261127-080000"), "{out}");
    assert!(out.contains("Dry run: nothing was written."), "{out}");
    assert_eq!(
        std::fs::read(nb.db()).unwrap(),
        before,
        "the dry run changed the file"
    );
    nb.kam()
        .args(["forget", "zebediah"])
        .write_stdin("y\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(count(&nb, "people"), 4, "nothing erased without --yes");
    // The backup made before still holds him, and is named after the erasure too.
    let out = nb.ok(&["forget", "zebediah", "--yes"]);
    assert!(out.contains("backup-20261127-080000"), "{out}");
    assert!(file_holds(&backup, "Quillfeather"));
}

/// 15.1: forgetting an account erases its people with it (listed first), its deals, notes and
/// follow-ups; the other account is untouched.
#[test]
fn forget_an_account_erases_its_people_too() {
    let nb = seeded();
    seed_zebediah(&nb);
    nb.ok(&["note", "ростов", "Iván Grigóriev asked for prices"]);
    let dry = nb.ok(&["forget", "nunez", "--dry-run"]);
    assert!(dry.contains("its people, erased with it"), "{dry}");
    assert!(
        dry.contains("Zebediah Quillfeather") && dry.contains("Nuño Peña"),
        "{dry}"
    );
    assert!(
        dry.contains("1 deal") && dry.contains("1 obligation"),
        "{dry}"
    );
    let out = nb.ok(&["forget", "nunez", "--yes"]);
    assert!(out.contains("Erased account #a1"), "{out}");
    assert_eq!(count(&nb, "accounts"), 1);
    assert_eq!(
        count(&nb, "people"),
        1,
        "only Iván Grigóriev of the other account stays"
    );
    assert_eq!(count(&nb, "deals"), 0);
    assert_eq!(count(&nb, "interactions"), 1);
    for text in ZEBEDIAH.iter().chain(&["Nuño", "Glimmerdorf", "Logística"]) {
        assert!(!file_holds(&nb.db(), text), "{text} is still in the file");
    }
    assert!(nb.ok(&["show", "#i3"]).contains("asked for prices"));
    nb.ok(&["check"]);
}

/// 15.2: a subject access holds every kind of record about the person, imports on its own into
/// an empty notebook, and reads as Markdown.
#[test]
fn export_about_holds_every_kind_of_record_and_imports_back() {
    let nb = seeded();
    seed_zebediah(&nb);
    let file = nb.path("zebediah.jsonl");
    let out = nb.ok(&[
        "export",
        "--about",
        "zebediah",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.contains("about Zebediah Quillfeather"), "{out}");
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let header = &lines[0];
    assert_eq!(header["type"], "kamnote");
    assert!(
        header["history"].as_array().unwrap().len() >= 8,
        "the journal history of his records: {header}"
    );
    let kinds: std::collections::BTreeSet<&str> = lines[1..]
        .iter()
        .map(|l| l["type"].as_str().unwrap())
        .collect();
    for kind in [
        "account",
        "person",
        "link",
        "interaction",
        "followup",
        "deal",
        "obligation",
        "plan",
        "stage_change",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {text}");
    }
    for t in [
        "harpsichords",
        "Plorvex",
        "Glimmerdorf",
        "Quorbex",
        "Vexillo",
        "Snorkelbane",
    ] {
        assert!(text.contains(t), "{t} missing");
    }
    // Others are bare references: Dr. Nuño's record is his name only.
    let nuno = lines.iter().find(|l| l["name"] == "Nuño Peña").unwrap();
    assert!(nuno.get("stage").is_none(), "{nuno}");
    assert!(
        !text.contains("Sevilla"),
        "the account's own fields stay out"
    );
    // It imports on its own.
    let other = Shell::new();
    let imported = other.ok(&["import", file.to_str().unwrap()]);
    assert!(imported.contains("Imported"), "{imported}");
    assert!(
        other
            .ok(&["person", "show", "zebediah"])
            .contains("harpsichords")
    );
    // Markdown, for the person.
    let md = nb.ok(&["export", "--about", "zebediah", "--format", "md"]);
    for t in [
        "# What this notebook holds about Zebediah Quillfeather",
        "## Your record",
        "## Meetings, calls and notes (2)",
        "## Plans, budgets and spends",
        "## Stage history",
        "## History of changes",
        "Vexillo",
    ] {
        assert!(md.contains(t), "{t} missing in {md}");
    }
    nb.kam()
        .args(["export", "--about", "zebediah", "--format", "csv"])
        .assert()
        .code(2);
}

/// 15.3: vCard and CSV leave personal notes out unless --include-personal; the calendar never
/// carries them; the JSON Lines backup and the Markdown dossier keep them.
#[test]
fn personal_notes_stay_home_unless_asked_for() {
    let nb = seeded();
    seed_zebediah(&nb);
    nb.ok(&[
        "meeting",
        "add",
        "zebediah",
        "--at",
        "+1d 10:00",
        "--title",
        "Review",
    ]);
    let vcf = nb.ok(&["export", "--format", "vcf"]);
    assert!(
        vcf.contains("FN:Zebediah Quillfeather") && !vcf.contains("harpsichords"),
        "{vcf}"
    );
    let vcf = nb.ok(&["export", "--format", "vcf", "--include-personal"]);
    assert!(vcf.contains("NOTE:Collects antique harpsichords"), "{vcf}");
    let csv = nb.ok(&["export", "--format", "csv", "--table", "people"]);
    assert!(
        !csv.contains("harpsichords") && !csv.lines().next().unwrap().contains("notes"),
        "{csv}"
    );
    let csv = nb.ok(&[
        "export",
        "--format",
        "csv",
        "--table",
        "people",
        "--include-personal",
    ]);
    assert!(
        csv.contains("harpsichords") && csv.lines().next().unwrap().contains("notes"),
        "{csv}"
    );
    let ics = nb.ok(&["export", "--format", "ics"]);
    assert!(
        ics.contains("Review") && !ics.contains("harpsichords"),
        "{ics}"
    );
    nb.kam()
        .args(["export", "--format", "ics", "--include-personal"])
        .assert()
        .code(2);
    let jsonl = nb.ok(&["export"]);
    assert!(jsonl.contains("harpsichords"));
    let md = nb.ok(&["export", "--format", "md", "zebediah"]);
    assert!(md.contains("harpsichords"), "{md}");
}

/// 15.4: `kam prune` erases the interactions older than the retention set in the config, with
/// no byte left; a dry run writes nothing; without the setting it says what to add.
#[test]
fn prune_erases_old_interactions_past_the_retention() {
    let nb = seeded();
    nb.kam()
        .args(["prune", "--dry-run"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("keep_interactions_years"));
    nb.ok(&[
        "note",
        "ivan grig",
        "Ancient Frobnitz talk",
        "--at",
        "2023-05-01 10:00",
    ]);
    nb.ok(&[
        "note",
        "ivan grig",
        "Recent talk about prices",
        "--at",
        "2026-11-01 10:00",
    ]);
    let config = nb.path("kamnote/config.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    std::fs::write(&config, "[privacy]\nkeep_interactions_years = 2\n").unwrap();
    let before = std::fs::read(nb.db()).unwrap();
    let dry = nb.ok(&["prune", "--dry-run"]);
    assert!(
        dry.contains("before 2024-11-27") && dry.contains("1 interaction"),
        "{dry}"
    );
    assert_eq!(std::fs::read(nb.db()).unwrap(), before);
    let out = nb.ok(&["prune", "--yes"]);
    assert!(out.contains("Erased 1 interaction"), "{out}");
    assert_eq!(count(&nb, "interactions"), 1);
    assert!(!file_holds(&nb.db(), "Frobnitz"));
    assert!(nb.ok(&["prune", "--yes"]).contains("Nothing to prune"));
    assert!(nb.ok(&["prune", "--wipe"]).contains("Wiped"));
    nb.ok(&["check"]);
}

/// Issue 15.4: `kam encrypt`, every command with the passphrase from its command, a missing or
/// wrong one refused with the file untouched, `kam rekey` and `kam decrypt`.
#[test]
fn an_encrypted_notebook_opens_only_with_its_passphrase() {
    let n = Shell::new();
    n.kam()
        .args(["person", "add", "Quintessa Zebulonia"])
        .assert()
        .success();
    n.kam()
        .args([
            "note",
            "Quintessa Zebulonia",
            "Talked about the theorbo recital",
        ])
        .assert()
        .success();
    n.kam().arg("backup").assert().success();
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo 'correct horse'")
        .arg("encrypt")
        .assert()
        .success()
        .stdout(predicate::str::contains("Encrypted"));
    let bytes = std::fs::read(n.db()).unwrap();
    assert!(
        !bytes.windows(9).any(|w| w == b"Zebulonia"),
        "no plaintext name in the encrypted file"
    );
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo 'correct horse'")
        .args(["search", "theorbo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("theorbo recital"));
    // No terminal and no command: a clear error, exit 2.
    n.kam().args(["agenda"]).assert().code(2).stderr(
        predicate::str::contains("is encrypted")
            .and(predicate::str::contains("KAM_PASSPHRASE_CMD")),
    );
    let before = std::fs::read(n.db()).unwrap();
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo wrong")
        .args(["note", "Quintessa Zebulonia", "must not land"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("wrong passphrase"))
        .stderr(predicate::str::contains("hmac").not());
    assert_eq!(std::fs::read(n.db()).unwrap(), before, "untouched");
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "false")
        .arg("agenda")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("passphrase command failed"));
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo 'correct horse'")
        .env(
            "KAM_NEW_PASSPHRASE_CMD",
            "printf 'battery staple\\nsecond line'",
        )
        .arg("rekey")
        .assert()
        .success()
        .stdout(
            predicate::str::contains("kam.db.backup-")
                .and(predicate::str::contains("NOT encrypted")),
        );
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo 'correct horse'")
        .arg("agenda")
        .assert()
        .code(2);
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo 'battery staple'")
        .arg("decrypt")
        .assert()
        .success();
    n.kam()
        .args(["search", "theorbo"])
        .assert()
        .success()
        .stdout(predicate::str::contains("theorbo recital"));
    n.kam().arg("check").assert().success();
}

/// An encrypted demo notebook is refreshed with its passphrase, and refused without it.
#[test]
fn an_encrypted_demo_is_refreshed_with_its_passphrase() {
    let n = Shell::new();
    n.kam().args(["demo", "--reset"]).assert().success();
    let demo = n.path("demo.db");
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo demo-pass")
        .arg("--db")
        .arg(&demo)
        .arg("encrypt")
        .assert()
        .success();
    n.kam()
        .args(["demo", "--reset"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is encrypted"));
    n.kam()
        .env("KAM_PASSPHRASE_CMD", "echo demo-pass")
        .args(["demo", "--reset"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Overdue follow-ups"));
}
