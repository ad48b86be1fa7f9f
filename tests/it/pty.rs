//! The real binary in a real terminal (tmux): start `kam`, capture a note with keys, find it
//! with the search screen, quit, and read the notebook back. Skipped, with a note, where tmux
//! is not installed.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kamnote::store::{Store, TargetKind};

const KAM: &str = env!("CARGO_BIN_EXE_kam");
const NOW: &str = "2026-11-27T08:10:00+01:00";

fn tmux(socket: &Path, args: &[&str]) -> String {
    let out = Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(args)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn screen(socket: &Path) -> String {
    tmux(socket, &["capture-pane", "-p", "-t", "kam"])
}

/// Waits until the pane shows `text` (a real terminal draws when it draws).
fn wait_for(socket: &Path, text: &str) -> String {
    let start = Instant::now();
    loop {
        let shown = screen(socket);
        if shown.contains(text) {
            return shown;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "waited for {text:?}; the pane shows:\n{shown}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_note_captured_with_keys_is_in_the_notebook() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("note: tmux is not installed; the real-terminal test is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    let socket = dir.path().join("tmux.sock");
    let added = Command::new(KAM)
        .args(["--db", db.to_str().unwrap(), "account", "add"])
        .arg("Clínica Núñez")
        .env("KAM_NOW", NOW)
        .output()
        .unwrap();
    assert!(added.status.success(), "{added:?}");

    let command = format!(
        "KAM_NOW='{NOW}' TERM=xterm-256color '{KAM}' --db '{}'",
        db.display()
    );
    tmux(
        &socket,
        &[
            "new-session",
            "-d",
            "-s",
            "kam",
            "-x",
            "100",
            "-y",
            "30",
            &command,
        ],
    );
    wait_for(&socket, "Agenda");
    tmux(&socket, &["send-keys", "-t", "kam", "n"]);
    wait_for(&socket, "New note");
    tmux(&socket, &["send-keys", "-t", "kam", "-l", "nunez"]);
    wait_for(&socket, "account Clínica Núñez");
    tmux(&socket, &["send-keys", "-t", "kam", "Enter"]);
    wait_for(&socket, "account · Clínica Núñez");
    tmux(
        &socket,
        &["send-keys", "-t", "kam", "-l", "Typed in a real terminal"],
    );
    wait_for(&socket, "Typed in a real terminal");
    tmux(&socket, &["send-keys", "-t", "kam", "C-s"]);
    wait_for(&socket, "Saved note #i");
    // Search as you type: the results come once the keys pause; Enter opens the note in full.
    tmux(&socket, &["send-keys", "-t", "kam", "/"]);
    wait_for(&socket, "Search: ");
    tmux(&socket, &["send-keys", "-t", "kam", "-l", "real termi"]);
    let found = wait_for(&socket, "1 match");
    assert!(found.contains("#i1"), "{found}");
    tmux(&socket, &["send-keys", "-t", "kam", "Enter"]);
    let note = wait_for(&socket, "kam history #i1");
    assert!(
        !note.contains("Search:") && note.contains("Clínica Núñez"),
        "{note}"
    );
    tmux(&socket, &["send-keys", "-t", "kam", "Escape"]);
    wait_for(&socket, "Search: real termi");
    tmux(&socket, &["send-keys", "-t", "kam", "Escape"]);
    std::thread::sleep(Duration::from_millis(200));
    tmux(&socket, &["send-keys", "-t", "kam", "q"]);
    let start = Instant::now();
    while tmux(&socket, &["list-sessions"]).contains("kam")
        && start.elapsed() < Duration::from_secs(10)
    {
        std::thread::sleep(Duration::from_millis(100));
    }
    tmux(&socket, &["kill-server"]);

    let store = Store::open(&db).unwrap();
    let reader = store.reader();
    let account = reader
        .match_names(&[TargetKind::Account], "Clínica Núñez", 1)
        .unwrap()[0]
        .id;
    let timeline = reader.account_timeline(account, 10, 0).unwrap();
    assert_eq!(timeline.len(), 1, "{timeline:?}");
    assert_eq!(
        timeline[0].interaction.body.as_deref(),
        Some("Typed in a real terminal")
    );
    assert!(reader.drafts().unwrap().is_empty());
}

/// SIGTERM ends the TUI through its normal quit path and the exit status says so (128 + 15),
/// as shells and supervisors expect.
#[test]
fn sigterm_ends_the_tui_with_status_143() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("note: tmux is not installed; the real-terminal test is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    let socket = dir.path().join("tmux.sock");
    let status = dir.path().join("status");
    let command = format!(
        "KAM_NOW='{NOW}' TERM=xterm-256color '{KAM}' --db '{}'; echo $? > '{}'; sleep 30",
        db.display(),
        status.display()
    );
    let start = ["new-session", "-d", "-s", "kam", "-x", "100", "-y", "30"];
    tmux(&socket, &[&start[..], &[command.as_str()]].concat());
    wait_for(&socket, "Agenda");
    // The pane runs a shell whose one child is kam.
    let shell = tmux(
        &socket,
        &["display-message", "-p", "-t", "kam", "#{pane_pid}"],
    );
    let shell = shell.trim();
    let children =
        std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap_or_default();
    let Some(kam) = children.split_whitespace().next() else {
        tmux(&socket, &["kill-server"]);
        eprintln!("note: /proc/PID/task/PID/children is unavailable; the test is skipped");
        return;
    };
    let killed = Command::new("kill").args(["-TERM", kam]).status().unwrap();
    assert!(killed.success());
    let begin = Instant::now();
    while !status.exists() && begin.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    tmux(&socket, &["kill-server"]);
    assert_eq!(std::fs::read_to_string(&status).unwrap().trim(), "143");
}

/// Every signal that would end the process leaves the terminal as it found it: back on the
/// normal screen, in cooked mode (canonical input with echo: what is typed is seen), and the
/// exit status is 128 + the signal's number.
#[test]
fn every_terminating_signal_restores_the_terminal() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("note: tmux is not installed; the real-terminal test is skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    let signals = [
        ("QUIT", 3),
        ("USR1", 10),
        ("USR2", 12),
        ("ALRM", 14),
        ("HUP", 1),
        ("TERM", 15),
        ("PIPE", 13),
        ("INT", 2),
        ("VTALRM", 26),
        ("PROF", 27),
        ("XCPU", 24),
        ("XFSZ", 25),
        ("IO", 29),
    ];
    let mut failed = Vec::new();
    for (name, number) in signals {
        // A server of its own per signal: a new one on the socket of one just killed may not start.
        let socket = dir.path().join(format!("tmux-{name}.sock"));
        let status = dir.path().join(format!("status-{name}"));
        let stty = dir.path().join(format!("stty-{name}"));
        // After kam: its exit status, the terminal's modes, then a pause to look at the pane.
        let command = format!(
            "KAM_NOW='{NOW}' TERM=xterm-256color '{KAM}' --db '{}'; echo $? > '{}'; \
             stty -a > '{}'; sleep 30",
            db.display(),
            status.display(),
            stty.display()
        );
        let start = ["new-session", "-d", "-s", "kam", "-x", "100", "-y", "30"];
        tmux(&socket, &[&start[..], &[command.as_str()]].concat());
        wait_for(&socket, "Agenda");
        let shell = tmux(
            &socket,
            &["display-message", "-p", "-t", "kam", "#{pane_pid}"],
        );
        let shell = shell.trim();
        let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children"))
            .unwrap_or_default();
        let Some(kam) = children.split_whitespace().next() else {
            tmux(&socket, &["kill-server"]);
            eprintln!("note: /proc/PID/task/PID/children is unavailable; the test is skipped");
            return;
        };
        let sent = Command::new("kill")
            .args([format!("-{name}").as_str(), kam])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -{name}");
        let begin = Instant::now();
        while !(status.exists() && stty.exists()) && begin.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(100));
        let alternate = tmux(
            &socket,
            &["display-message", "-p", "-t", "kam", "#{alternate_on}"],
        );
        let code = std::fs::read_to_string(&status).unwrap_or_default();
        let modes = std::fs::read_to_string(&stty).unwrap_or_default();
        let words: Vec<&str> = modes.split_whitespace().collect();
        let cooked = words.contains(&"icanon") && words.contains(&"echo");
        tmux(&socket, &["kill-server"]);
        let expected = (128 + number).to_string();
        if alternate.trim() != "0" || !cooked || code.trim() != expected {
            failed.push(format!(
                "SIG{name}: alternate screen {:?}, cooked {cooked}, exit {:?} (want {expected})",
                alternate.trim(),
                code.trim()
            ));
        }
        // The next one starts with the server gone.
        let begin = Instant::now();
        while tmux(&socket, &["list-sessions"]).contains("kam")
            && begin.elapsed() < Duration::from_secs(5)
        {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    assert!(failed.is_empty(), "{failed:#?}");
}
