//! Imports that write a record and rewrite it in the same run (two CSV rows whose names fold to
//! one key, two vCards of one person, an iCalendar series with a moved occurrence, a JSON Lines
//! record given twice) leave the search index sound: `kam check` passes in any order of files,
//! into a new or a used notebook, and the words a record no longer holds are not found.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::fmt::Write as _;
use std::path::PathBuf;

use assert_cmd::Command;
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

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn kam(&self) -> Command {
        let mut cmd = Command::cargo_bin("kam").unwrap();
        cmd.env("TZ", "UTC")
            .env("KAM_NOW", NOW)
            .env("KAM_DB", self.path("kam.db"))
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
            .clone();
        String::from_utf8(out.stdout).unwrap()
    }

    fn import(&self, name: &str, text: &str) {
        let file = self.path(name);
        std::fs::write(&file, text).unwrap();
        self.ok(&["import", file.to_str().unwrap()]);
    }

    fn check(&self, context: &str) {
        let out = self.kam().arg("check").output().unwrap();
        assert!(
            out.status.success(),
            "{context}: kam check failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The references (`#a1`...) `kam search` prints for `words`.
    fn found(&self, words: &str) -> Vec<String> {
        let out = self.ok(&["search", "--json", words]);
        let hits: serde_json::Value = serde_json::from_str(&out).unwrap();
        hits.as_array()
            .unwrap()
            .iter()
            .map(|h| format!("{}{}", h["kind"].as_str().unwrap(), h["id"]))
            .collect()
    }
}

/// Twelve accounts, the last two folding to one name: the second row updates the first.
fn csv() -> String {
    let mut s = String::from("name,city\n");
    for i in 1..=10 {
        writeln!(s, "Account {i},Town{i}").unwrap();
    }
    s.push_str("Clínica Madrid,Zaragoza\nCLINICA MADRID,Barcelona\n");
    s
}

/// Ten people and one person twice, in another case and with another title.
fn vcf() -> String {
    let mut s = String::new();
    for i in 1..=10 {
        write!(
            s,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\nEND:VCARD\r\n"
        )
        .unwrap();
    }
    s.push_str("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Pérez\r\nTITLE:Pharmacist\r\nEND:VCARD\r\n");
    s.push_str(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:ANA PÉREZ\r\nTITLE:Purchasing head\r\nEND:VCARD\r\n",
    );
    s
}

/// A weekly series with one occurrence moved and renamed, and ten single events.
fn ics(override_first: bool) -> String {
    let master = "BEGIN:VEVENT\nUID:series-1@example.com\nDTSTART:20261130T100000Z\n\
                  DTEND:20261130T110000Z\nRRULE:FREQ=WEEKLY;COUNT=4\nSUMMARY:Weekly sync\n\
                  DESCRIPTION:agenda review\nLOCATION:Room Alder\nEND:VEVENT\n";
    let moved = "BEGIN:VEVENT\nUID:series-1@example.com\nRECURRENCE-ID:20261207T100000Z\n\
                 DTSTART:20261208T100000Z\nDTEND:20261208T110000Z\nSUMMARY:Moved sync\n\
                 DESCRIPTION:budget talk\nLOCATION:Room Birch\nEND:VEVENT\n";
    let mut s = String::from("BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//t//t//EN\n");
    if override_first {
        s.push_str(moved);
        s.push_str(master);
    } else {
        s.push_str(master);
        s.push_str(moved);
    }
    for i in 1..=10 {
        write!(
            s,
            "BEGIN:VEVENT\nUID:e{i}@example.com\nDTSTART:20261201T1{i:01}0000Z\n\
             SUMMARY:Event {i}\nEND:VEVENT\n",
            i = i % 10
        )
        .unwrap();
    }
    s.push_str("END:VCALENDAR\n");
    s
}

/// Ten accounts, a person whose account comes later in the file (written first as a
/// placeholder, then rewritten), and an account whose `about` is `about`.
fn jsonl_with(about: &str) -> String {
    let mut s = String::from(
        "{\"type\":\"kamnote\",\"version\":1,\"exported_at\":\"2026-11-27T08:00:00+00:00\"}\n",
    );
    s.push_str(
        "{\"type\":\"person\",\"uid\":\"j-p\",\"name\":\"Olga Forward\",\"account\":\"j-fwd\"}\n",
    );
    for i in 1..=10 {
        writeln!(
            s,
            "{{\"type\":\"account\",\"uid\":\"j-{i}\",\"name\":\"Jsonl {i}\"}}"
        )
        .unwrap();
    }
    writeln!(
        s,
        "{{\"type\":\"account\",\"uid\":\"j-x\",\"name\":\"Twice\",\"about\":\"{about}\"}}"
    )
    .unwrap();
    s.push_str("{\"type\":\"account\",\"uid\":\"j-fwd\",\"name\":\"Forward Hazel\"}\n");
    s
}

fn jsonl() -> String {
    jsonl_with("chestnut")
}

type File = (&'static str, fn() -> String);

const FILES: [File; 5] = [
    ("rows.csv", csv),
    ("cards.vcf", vcf),
    ("series.ics", || ics(false)),
    ("moved.ics", || ics(true)),
    ("records.jsonl", jsonl),
];

#[test]
fn a_csv_row_rewriting_the_row_before_leaves_the_index_sound() {
    let nb = Notebook::new();
    nb.import("rows.csv", &csv());
    nb.check("csv");
    assert_eq!(nb.found("barcelona"), ["account11"]);
    assert!(nb.found("zaragoza").is_empty(), "stale city still found");
}

#[test]
fn a_vcard_repeated_in_another_case_leaves_the_index_sound() {
    let nb = Notebook::new();
    nb.import("cards.vcf", &vcf());
    nb.check("vcf");
    assert_eq!(nb.found("purchasing").len(), 1);
    assert!(nb.found("pharmacist").is_empty(), "stale title still found");
}

#[test]
fn a_moved_occurrence_of_a_series_leaves_the_index_sound() {
    for first in [false, true] {
        let nb = Notebook::new();
        nb.import("series.ics", &ics(first));
        nb.check(&format!("ics, override first: {first}"));
        assert_eq!(nb.found("birch").len(), 1, "override first: {first}");
        assert_eq!(nb.found("budget").len(), 1, "override first: {first}");
    }
}

#[test]
fn every_kind_of_file_with_repeated_records_in_any_order_passes_check() {
    // Each file first into a fresh notebook, then every rotation of the list into one notebook
    // (later files find the records of the earlier ones), then all of them again.
    for n in 0..FILES.len() {
        let nb = Notebook::new();
        let mut order: Vec<File> = FILES.to_vec();
        order.rotate_left(n);
        for (name, text) in order.iter().chain(order.iter().rev()) {
            nb.import(name, &text());
            nb.check(&format!("rotation {n}, after {name}"));
        }
        assert_eq!(nb.found("hazel").len(), 1, "rotation {n}");
        assert_eq!(nb.found("barcelona").len(), 1, "rotation {n}");
        assert_eq!(nb.found("purchasing").len(), 1, "rotation {n}");
    }
}

#[test]
fn a_record_imported_again_with_new_text_loses_its_old_words() {
    let nb = Notebook::new();
    nb.import("first.jsonl", &jsonl_with("walnut"));
    nb.import("again.jsonl", &jsonl_with("chestnut"));
    nb.check("jsonl twice");
    assert!(nb.found("walnut").is_empty(), "stale words found");
    assert_eq!(nb.found("chestnut").len(), 1);
    assert_eq!(nb.found("hazel").len(), 1);
}

/// Leaves the index of `accounts` holding a name the table no longer has, as a bulk import
/// before the fix could.
fn damage_the_account_index(nb: &Notebook) {
    let conn = rusqlite::Connection::open(nb.path("kam.db")).unwrap();
    let trigger: String = conn
        .query_row(
            "SELECT sql FROM sqlite_schema WHERE name = 'accounts_fts_update'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute_batch(&format!(
        "BEGIN; DROP TRIGGER accounts_fts_update;
         UPDATE accounts SET name = 'Renamed Quince' WHERE name = 'Account 3';
         {trigger}; COMMIT;"
    ))
    .unwrap();
}

#[test]
fn check_repair_rebuilds_a_damaged_search_index_and_says_so() {
    let nb = Notebook::new();
    nb.import("rows.csv", &csv());
    damage_the_account_index(&nb);
    let out = nb.kam().arg("check").output().unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("search index of accounts"), "{stdout}");
    assert!(stderr.contains("kam check --repair"), "{stderr}");
    assert!(
        nb.found("quince").is_empty(),
        "a damaged index misses the new name"
    );

    let repaired = nb.ok(&["check", "--repair"]);
    assert!(
        repaired.contains("search index of accounts: was damaged"),
        "{repaired}"
    );
    assert!(
        repaired.contains("search index of people: was sound; rebuilt from 0 rows"),
        "{repaired}"
    );
    assert!(
        repaired.trim_end().ends_with("search index are sound"),
        "{repaired}"
    );
    nb.check("after repair");
    assert_eq!(nb.found("quince").len(), 1);
    assert!(nb.found("account 3").iter().all(|h| h != "account3"));
}
