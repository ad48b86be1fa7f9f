//! Issue 14.1–2 end to end: what counts as contact (a mention, an e-mail, a meal, a cancelled
//! meeting), identified key people due for a first contact, `kam coverage` and the list filters.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const NOW: &str = "2026-11-27T08:00:00+00:00";

struct Territory {
    dir: TempDir,
}

impl Territory {
    fn empty() -> Self {
        Territory {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// Two tier-A hospitals in two territories and a tier-C pharmacy; key people in each.
    fn seeded() -> Self {
        let t = Territory::empty();
        for (name, tier, territory, city) in [
            ("Hospital Clínic", "A", "Costa Norte", "Bilbao"),
            ("Hospital del Mar", "A", "Levante", "Valencia"),
            ("Farmacia Sol", "C", "Levante", "Madrid"),
        ] {
            t.ok(&[
                "account",
                "add",
                name,
                "--tier",
                tier,
                "--territory",
                territory,
                "--city",
                city,
            ]);
        }
        for (name, account, influence, stage) in [
            ("Rosa Vidal", "clinic", "3", "loyal"),
            ("Dr. Mendoza", "clinic", "5", "acquainted"),
            ("Ana Ruiz", "clinic", "5", "loyal"),
            ("Dr. Bo Mar", "del mar", "4", "close"),
            ("Eva Sol", "farmacia", "4", "cooling"),
        ] {
            t.ok(&[
                "person",
                "add",
                name,
                "--account",
                account,
                "--influence",
                influence,
                "--stage",
                stage,
            ]);
        }
        t
    }

    fn kam_at(&self, now: &str) -> Command {
        let mut cmd = Command::cargo_bin("kam").unwrap();
        cmd.env("TZ", "UTC")
            .env("KAM_NOW", now)
            .env("KAM_DB", self.dir.path().join("kam.db"))
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env_remove("KAM_CONFIG")
            .env_remove("NO_COLOR");
        cmd
    }

    fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self.kam_at(now).args(args).assert().success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_at(NOW, args)
    }

    fn json(&self, args: &[&str]) -> Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    fn refused(&self, args: &[&str]) -> String {
        let out = self.kam_at(NOW).args(args).assert().code(2);
        String::from_utf8(out.get_output().stderr.clone()).unwrap()
    }

    /// (last seen, last touch) of a person, from their dossier.
    fn contacts(&self, who: &str) -> (Value, Value) {
        let p = self.json(&["person", "show", who, "--json"]);
        (p["last_seen"].clone(), p["last_touch"].clone())
    }

    fn flags(&self, account: &str) -> Vec<String> {
        self.json(&["flags", account, "--json"])["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["text"].as_str().unwrap().to_string())
            .collect()
    }
}

fn day(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp()
}

#[test]
fn hearsay_an_email_a_meal_and_a_cancelled_meeting_count_as_they_should() {
    let t = Territory::seeded();
    // Hearsay: a note mentioning Mendoza is no contact, and he is only mentioned.
    let note = t.json(&["note", "clinic", "--json", "Rosa says @mendoza will object"]);
    assert_eq!(note["interaction"]["people"], serde_json::json!([]));
    assert_eq!(note["interaction"]["mentioned"], serde_json::json!([2]));
    assert_eq!(t.contacts("mendoza"), (Value::Null, Value::Null));
    let clinic = t.json(&["account", "show", "clinic", "--json"]);
    assert_eq!(
        (&clinic["last_seen"], &clinic["last_touch"]),
        (&Value::Null, &Value::Null)
    );
    assert!(
        t.flags("clinic")
            .contains(&"Key person Dr. Mendoza never contacted".to_string()),
        "{:?}",
        t.flags("clinic")
    );

    // An e-mail to Ana is a touch, not a sighting: she stays due.
    t.ok_at(
        "2026-11-25T09:00:00+00:00",
        &["note", "ana ruiz", "Sent the prices", "--kind", "email"],
    );
    assert_eq!(
        t.contacts("ana ruiz"),
        (Value::Null, day("2026-11-25T09:00:00+00:00").into())
    );
    let agenda = t.json(&["agenda", "--json"]);
    let due: Vec<&str> = agenda["stale_people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(due.contains(&"Ana Ruiz"), "{due:?}");

    // A meal with her is a sighting (a kind of its own, not an event).
    let out = t.ok(&[
        "meeting",
        "log",
        "ana ruiz",
        "--at",
        "yesterday 21:00",
        "--kind",
        "meal",
        "--outcome",
        "She will champion the switch",
    ]);
    assert!(out.starts_with("Logged meal #i"), "{out}");
    let seen = day("2026-11-26T21:00:00+00:00");
    assert_eq!(t.contacts("ana ruiz"), (seen.into(), seen.into()));
    let shown = t.ok(&["person", "show", "ana ruiz"]);
    assert!(shown.contains("last seen yesterday"), "{shown}");
    let clinic = t.json(&["account", "show", "clinic", "--json"]);
    assert_eq!(clinic["last_seen"], seen);

    // A meeting planned with Mendoza, then cancelled: neither.
    let planned = t.ok(&["meeting", "add", "mendoza", "--at", "tomorrow 10:00"]);
    let id = planned
        .split_whitespace()
        .find(|w| w.starts_with("#i"))
        .unwrap()
        .trim_end_matches([',', ':'])
        .to_string();
    t.ok(&["meeting", "cancel", &id, "--reason", "strike"]);
    assert_eq!(t.contacts("mendoza"), (Value::Null, Value::Null));
    // A message to him touches; only a call sees him.
    t.ok(&["note", "mendoza", "ok for friday?", "--kind", "message"]);
    assert_eq!(t.contacts("mendoza").0, Value::Null);
    t.ok(&["note", "mendoza", "Talked it through", "--kind", "call"]);
    assert_eq!(t.contacts("mendoza").0, Value::from(day(NOW)));
}

#[test]
fn mentions_travel_apart_from_participants_in_json_lines() {
    let t = Territory::seeded();
    t.ok(&[
        "note",
        "ana ruiz",
        "Lunch; @mendoza joined late",
        "--kind",
        "meeting",
    ]);
    let file = t.dir.path().join("out.jsonl");
    t.ok(&["export", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("\"type\":\"interaction\""))
        .unwrap();
    let record: Value = serde_json::from_str(line).unwrap();
    assert_eq!(record["people"].as_array().unwrap().len(), 1);
    assert_eq!(record["mentioned"].as_array().unwrap().len(), 1);
    let other = Territory::empty();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.contacts("ana ruiz").0, Value::from(day(NOW)));
    assert_eq!(other.contacts("mendoza").0, Value::Null);
}

#[test]
fn an_identified_key_person_is_due_at_once_and_flagged_once_overdue() {
    let t = Territory::seeded();
    // Identified on 1 November; a key person of a tier-A account: every 15 days.
    t.ok_at(
        "2026-11-01T08:00:00+00:00",
        &[
            "person",
            "add",
            "Dr. Nuevo",
            "--account",
            "del mar",
            "--influence",
            "5",
            "--stage",
            "identified",
        ],
    );
    let flags_on = |now: &str| -> Vec<String> {
        let out = t.ok_at(now, &["flags", "del mar", "--json"]);
        let v: Value = serde_json::from_str(&out).unwrap();
        v["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["text"].as_str().unwrap().to_string())
            .collect()
    };
    // 10 days on: due (the agenda lists him), not yet flagged.
    let agenda: Value =
        serde_json::from_str(&t.ok_at("2026-11-11T08:00:00+00:00", &["agenda", "--json"])).unwrap();
    assert!(
        agenda["stale_people"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "Dr. Nuevo"),
        "{agenda}"
    );
    assert!(
        !flags_on("2026-11-11T08:00:00+00:00")
            .iter()
            .any(|f| f.contains("Nuevo")),
    );
    // 26 days on: past the cadence since he was identified.
    let late = flags_on(NOW);
    assert!(
        late.contains(
            &"Key person Dr. Nuevo identified 3 weeks ago, never met (first contact within 15 \
              days)"
                .to_string()
        ),
        "{late:?}"
    );
}

#[test]
fn coverage_counts_key_people_by_stage_with_shares_that_sum() {
    let empty = Territory::empty();
    empty.ok(&["account", "add", "Nobody Yet"]);
    let out = empty.ok(&["coverage"]);
    assert_eq!(
        out.trim(),
        "No key people (influence 4–5) in these accounts yet."
    );
    let json = empty.json(&["coverage", "--json"]);
    assert_eq!(json["total"]["key_people"], 0);
    assert_eq!(json["accounts"], serde_json::json!([]));

    let t = Territory::seeded();
    let c = t.json(&["coverage", "--json"]);
    // Rosa (influence 3) is not a key person.
    assert_eq!(c["total"]["key_people"], 4);
    assert_eq!(c["total"]["never_seen"], 4);
    assert_eq!(c["total"]["loyal_or_better"], 2);
    assert_eq!(c["total"]["loyal_or_better_share"], 50);
    assert_eq!(c["total"]["cooling"], 1);
    let shares: u64 = c["total"]["by_stage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["share"].as_u64().unwrap())
        .sum();
    assert_eq!(shares, 100);
    assert_eq!(c["accounts"].as_array().unwrap().len(), 3);
    // Seen once, no longer "never seen".
    t.ok(&["note", "mendoza", "Visit", "--kind", "visit"]);
    let c = t.json(&[
        "coverage",
        "--tier",
        "a",
        "--territory",
        "costa norte",
        "--json",
    ]);
    assert_eq!(c["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(c["total"]["key_people"], 2);
    assert_eq!(c["total"]["never_seen"], 1);
    assert_eq!(c["total"]["never_seen_share"], 50);
    let text = t.ok(&["coverage", "--account", "clinic"]);
    assert!(text.starts_with("2 key people in 1 account\n"), "{text}");
    assert!(
        text.contains("Hospital Clínic (tier A): 2 key · never seen 1 (50 %)"),
        "{text}"
    );
    let err = t.refused(&["coverage", "--tier", "D"]);
    assert!(err.contains("--tier") && err.contains("\"D\""), "{err}");
}

#[test]
fn lists_filter_by_stage_role_influence_tag_territory_city_and_tier() {
    let t = Territory::seeded();
    t.ok(&[
        "person", "edit", "ana ruiz", "--role", "coach", "--tag", "kol",
    ]);
    let names = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["person", "list", "--json"];
        all.extend_from_slice(args);
        t.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&["--stage", "loyal"]), ["Ana Ruiz", "Rosa Vidal"]);
    assert_eq!(
        names(&["--stage", "loyal", "--influence-min", "4"]),
        ["Ana Ruiz"]
    );
    assert_eq!(names(&["--role", "coach"]), ["Ana Ruiz"]);
    assert_eq!(names(&["--tag", "KOL"]), ["Ana Ruiz"]);
    assert_eq!(
        names(&["--territory", "levante"]),
        ["Dr. Bo Mar", "Eva Sol"]
    );
    assert_eq!(
        names(&["--territory", "levante", "--account", "farmacia"]),
        ["Eva Sol"]
    );
    let accounts = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["account", "list", "--json"];
        all.extend_from_slice(args);
        t.json(&all)
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(accounts(&["--tier", "A"]).len(), 2);
    assert_eq!(accounts(&["--city", "MADRID"]), ["Farmacia Sol"]);
    assert_eq!(
        accounts(&["--territory", "Levante", "--tier", "a"]),
        ["Hospital del Mar"]
    );
    let err = t.refused(&["person", "list", "--stage", "friendly"]);
    assert!(
        err.contains("--stage") && err.contains("\"friendly\"") && err.contains("e.g."),
        "{err}"
    );
    let err = t.refused(&["person", "list", "--influence-min", "9"]);
    assert!(err.contains("--influence-min"), "{err}");
}

/// The TUI's list filter reads the same fields as the command line (`stage:loyal city:madrid`).
#[test]
fn the_list_filter_understands_fields() {
    use kamnote::store::{ListQuery, PersonSort, Store};
    let t = Territory::seeded();
    let store = Store::open(&t.dir.path().join("kam.db")).unwrap();
    let names = |filter: &str| -> Vec<String> {
        let q = ListQuery::<PersonSort> {
            filter: filter.into(),
            limit: 50,
            ..ListQuery::default()
        };
        store
            .reader()
            .person_rows(&q, &chrono::Utc)
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect()
    };
    assert_eq!(names("stage:loyal"), ["Ana Ruiz", "Rosa Vidal"]);
    assert_eq!(names("stage:loyal city:bilbao ana"), ["Ana Ruiz"]);
    assert_eq!(names("territory:\"costa norte\" influence:5").len(), 2);
    assert_eq!(names("stage:nonsense"), Vec::<String>::new());
    assert_eq!(store.reader().person_count("city:valencia").unwrap(), 1);
}
