//! On time (issue 13.4-5): the exported meeting carries the account and the place, the one-line
//! brief (never personal notes) and an alarm moved earlier by the travel time; "leave by" in
//! the agenda and `kam next --short`; `kam remind` announces each meeting once, through a fake
//! `notify-send` put first on the PATH.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::path::Path;

use super::shell::Shell;

/// A Friday morning; the meetings are at 10:00 UTC.
const NOW: &str = "2026-11-27T08:00:00+00:00";

/// Hospital Clínic 25 minutes away; Dr. Peña (loyal, with personal notes) at a 10:00
/// review in Room 3 with a promise open; a 12:00 call with the same account.
fn seeded() -> Shell {
    let nb = Shell::new();
    nb.ok(&[
        "account",
        "add",
        "Hospital Clínic",
        "--city",
        "Barcelona",
        "--address",
        "C/ Villarroel 170",
        "--travel",
        "25m",
    ]);
    nb.ok(&[
        "person",
        "add",
        "Dr. Nuño Peña",
        "--account",
        "clinic",
        "--stage",
        "loyal",
        "--personal",
        "Two kids; sails every August",
    ]);
    nb.ok(&[
        "meeting",
        "add",
        "clinic",
        "--at",
        "2026-11-27 10:00",
        "--for",
        "1h",
        "--with",
        "peña",
        "--title",
        "Tender review",
        "--where",
        "Room 3",
    ]);
    nb.ok(&[
        "meeting",
        "add",
        "clinic",
        "--at",
        "2026-11-27 12:00",
        "--kind",
        "call",
        "--title",
        "Pricing \u{1b}[31mcall",
    ]);
    nb.ok(&[
        "followup",
        "add",
        "clinic",
        "--due",
        "2026-12-01",
        "send",
        "the",
        "price",
        "list",
    ]);
    nb
}

/// The VEVENT whose SUMMARY is `summary`, unfolded.
fn event(ics: &str, summary: &str) -> String {
    let unfolded = ics.replace("\r\n ", "");
    unfolded
        .split("BEGIN:VEVENT\r\n")
        .find(|e| e.contains(&format!("SUMMARY:{summary}")))
        .unwrap_or_else(|| panic!("no event {summary} in {ics}"))
        .split("END:VEVENT")
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn an_exported_meeting_carries_the_place_the_brief_and_an_alarm_before_the_time_to_leave() {
    let nb = seeded();
    let ics = nb.ok(&["export", "--format", "ics"]);
    let review = event(&ics, "Tender review");
    assert!(
        review.contains("LOCATION:Hospital Clínic · Room 3\r\n"),
        "{review}"
    );
    let description = review
        .lines()
        .find(|l| l.starts_with("DESCRIPTION:Brief"))
        .unwrap_or_else(|| panic!("{review}"));
    assert!(
        description.starts_with("DESCRIPTION:Brief 27 Nov · With Dr. Nuño Peña (loyal\\, "),
        "{description}"
    );
    assert!(
        description.contains("Open: we owe send the price list by Tue 1 Dec"),
        "{description}"
    );
    assert!(!ics.contains("sails") && !ics.contains("Two kids"), "{ics}");
    // 15 minutes before leaving at 09:35.
    assert!(
        review.contains(
            "BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:Leave by 09:35 for Tender review\r\n\
             TRIGGER:-PT40M\r\nEND:VALARM\r\n"
        ),
        "{review}"
    );
    // A call is taken where the KAM is: the alarm alone; no control character in what the
    // export adds (the brief, the place, the alarm).
    let call = event(&ics, "Pricing ");
    assert!(call.contains("TRIGGER:-PT15M\r\n"), "{call}");
    assert!(
        call.contains("DESCRIPTION:Pricing [31mcall at 12:00\r\nTRIGGER"),
        "{call}"
    );
    for line in ics.replace("\r\n ", "").lines() {
        if line.starts_with("DESCRIPTION") || line.starts_with("LOCATION") {
            assert!(
                !line.chars().any(|c| c.is_control() && c != '\r'),
                "{line:?}"
            );
        }
    }

    // `--alarm` and `[sync] alarm` set the lead; "off" writes none.
    let ics = nb.ok(&["export", "--format", "ics", "--alarm", "1h"]);
    assert!(event(&ics, "Tender review").contains("TRIGGER:-PT85M\r\n"));
    let ics = nb.ok(&["export", "--format", "ics", "--alarm", "off"]);
    assert!(!ics.contains("VALARM"), "{ics}");
    let config = nb.path("config.toml");
    std::fs::write(&config, "[sync]\nalarm = \"30m\"\n").unwrap();
    let ics = nb.ok(&[
        "--config",
        config.to_str().unwrap(),
        "export",
        "--format",
        "ics",
    ]);
    assert!(event(&ics, "Tender review").contains("TRIGGER:-PT55M\r\n"));
    nb.kam_at(NOW)
        .args(["export", "--format", "ics", "--alarm", "soon"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--alarm soon"));

    // Our own file read back changes nothing: the brief and the account come off again.
    let file = nb.path("cal.ics");
    let ics = nb.ok(&["export", "--format", "ics"]);
    std::fs::write(&file, &ics).unwrap();
    let back = nb.ok(&["import", file.to_str().unwrap()]);
    assert!(back.contains("updated nothing"), "{back}");
    let again = nb.ok(&["export", "--format", "ics"]);
    assert_eq!(event(&again, "Tender review"), event(&ics, "Tender review"));
}

#[test]
fn leave_by_shows_in_the_agenda_and_in_next_short() {
    let nb = seeded();
    let agenda = nb.ok(&["agenda"]);
    assert!(
        agenda.contains("Hospital Clínic · Room 3 · leave by 09:35 (25 min away)"),
        "{agenda}"
    );
    assert_eq!(
        agenda.matches("leave by").count(),
        1,
        "not for the call: {agenda}"
    );
    let short = nb.ok(&["next", "--short"]);
    assert_eq!(
        short.trim_end(),
        "10:00 Tender review · leave by 09:35 · Room 3 · in 2 h"
    );
    // The travel time can be changed and cleared like any field.
    nb.ok(&["account", "edit", "clinic", "--travel", "1h10"]);
    assert!(nb.ok(&["next", "--short"]).contains("leave by 08:50"));
    nb.ok(&["account", "edit", "clinic", "--clear", "travel"]);
    assert!(!nb.ok(&["agenda"]).contains("leave by"));
    nb.kam_at(NOW)
        .args(["account", "edit", "clinic", "--travel", "soon"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--travel"));
}

/// A directory holding a `notify-send` that appends its arguments to `log`.
fn fake_notify_send(dir: &Path, log: &Path) -> String {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let script = bin.join("notify-send");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s|' \"$a\"; done >> '{}'\necho >> '{}'\n",
            log.display(),
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

#[test]
fn remind_announces_each_meeting_once_and_notifies() {
    let nb = seeded();
    let log = nb.path("notified.log");
    let path = fake_notify_send(nb.dir.path(), &log);
    let remind = |now: &str| {
        let out = nb
            .kam_at(now)
            .env("PATH", &path)
            .args(["remind", "--within", "15m"])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let notified = || std::fs::read_to_string(&log).unwrap_or_default();
    // Nothing due yet: no output, exit 0, no notification.
    assert_eq!(remind("2026-11-27T09:00:00+00:00"), "");
    assert_eq!(notified(), "");
    // Leave at 09:35 for the 10:00 review.
    let out = remind("2026-11-27T09:21:00+00:00");
    assert_eq!(
        out,
        "Leave by 09:35 (in 14 min) — 10:00 Tender review · Hospital Clínic · Room 3\n"
    );
    assert_eq!(
        notified(),
        "--app-name=kamnote|--|Leave by 09:35 (in 14 min)|10:00 Tender review · Hospital Clínic · Room 3|\n"
    );
    // The timer runs again a minute later: nothing repeated.
    assert_eq!(remind("2026-11-27T09:22:00+00:00"), "");
    assert_eq!(remind("2026-11-27T09:40:00+00:00"), "");
    assert_eq!(notified().lines().count(), 1);
    // The call (no travel) at its start, its title sanitized.
    let out = remind("2026-11-27T11:50:00+00:00");
    assert_eq!(
        out,
        "12:00 in 10 min — 12:00 Pricing \\x1b[31mcall · Hospital Clínic\n"
    );
    assert_eq!(notified().lines().count(), 2);
    assert!(!notified().contains('\u{1b}'));
    // Moved, it is announced again.
    nb.ok(&["meeting", "move", "#i2", "--to", "2026-11-27 12:30"]);
    assert_eq!(remind("2026-11-27T11:55:00+00:00"), "");
    assert!(remind("2026-11-27T12:20:00+00:00").starts_with("12:30 in 10 min — "));
    // --no-notify prints only.
    nb.ok(&[
        "meeting",
        "add",
        "clinic",
        "--at",
        "2026-11-27 15:00",
        "--kind",
        "call",
    ]);
    let out = nb
        .kam_at("2026-11-27T14:50:00+00:00")
        .env("PATH", &path)
        .args(["remind", "--no-notify"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(
        String::from_utf8(out)
            .unwrap()
            .starts_with("15:00 in 10 min")
    );
    assert_eq!(notified().lines().count(), 3);
    // kam undo still undoes the user's last change, not a reminder.
    let undone = nb.ok(&["undo"]);
    assert!(undone.starts_with("Undid meeting add"), "{undone}");
}
