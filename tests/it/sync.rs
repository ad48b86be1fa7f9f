//! `kam sync` against a real Radicale server (issue 13), started here on a free localhost port
//! with a temporary storage folder; each test skips itself, with a note, when Radicale is not
//! installed (`.ci/run` installs it). The "phone" is plain HTTP: GET, PUT and DELETE on the
//! server's items, as a phone's calendar and contacts apps do.
#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::fmt::Write as _;
use std::io::{Read, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use tempfile::TempDir;

const NOW: &str = "2026-11-27T08:00:00+00:00";

/// A Radicale server for one test; stopped when dropped.
struct Radicale {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl Drop for Radicale {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn have_radicale() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import radicale"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts Radicale (with `kam:secret` as its only login when `auth`), with the calendar and
/// address book `/kam/calendar/` and `/kam/contacts/`; `None` (and a note) without Radicale.
fn radicale(auth: bool) -> Option<Radicale> {
    radicale_logging(auth, "warning")
}

/// [`radicale`] logging at `level` to [`Radicale::log`] (`debug`: every request and its body).
fn radicale_logging(auth: bool, level: &str) -> Option<Radicale> {
    if !have_radicale() {
        eprintln!("note: radicale is not installed (pip install radicale); sync test skipped");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let auth_section = if auth {
        let users = dir.path().join("users");
        std::fs::write(&users, "kam:secret\n").unwrap();
        format!(
            "type = htpasswd\nhtpasswd_filename = {}\nhtpasswd_encryption = plain\n",
            users.display()
        )
    } else {
        "type = none\n".to_string()
    };
    let config = dir.path().join("radicale.conf");
    std::fs::write(
        &config,
        format!(
            "[server]\nhosts = 127.0.0.1:{port}\n[auth]\n{auth_section}[storage]\nfilesystem_folder = {}\n[logging]\nlevel = {level}\nrequest_content_on_debug = True\n",
            dir.path().join("collections").display()
        ),
    )
    .unwrap();
    let child = std::process::Command::new("python3")
        .args(["-m", "radicale", "--config"])
        .arg(&config)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(dir.path().join("log")).unwrap())
        .spawn()
        .unwrap();
    let server = Radicale { child, port, dir };
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "radicale did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let login = auth.then_some(("kam", "secret"));
    // With a login, Radicale makes the user's collection itself (405: already there).
    let status = server.http("MKCOL", "/kam/", &[], "", login).0;
    assert!(status / 100 == 2 || status == 405, "MKCOL /kam/: {status}");
    assert_eq!(
        server
            .http("MKCALENDAR", "/kam/calendar/", &[], "", login)
            .0,
        201
    );
    let book = "<?xml version=\"1.0\"?><mkcol xmlns=\"DAV:\" xmlns:CR=\"urn:ietf:params:xml:ns:carddav\"><set><prop><resourcetype><collection/><CR:addressbook/></resourcetype></prop></set></mkcol>";
    assert_eq!(
        server
            .http(
                "MKCOL",
                "/kam/contacts/",
                &[("Content-Type", "application/xml")],
                book,
                login
            )
            .0,
        201
    );
    Some(server)
}

impl Radicale {
    /// What the server logged so far.
    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    fn url(&self, collection: &str) -> String {
        format!("http://127.0.0.1:{}/kam/{collection}/", self.port)
    }

    /// One plain HTTP/1.1 request (as a phone would send it): status, headers, body.
    fn http(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
        login: Option<(&str, &str)>,
    ) -> (u16, String, String) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.port,
            body.len()
        );
        for (k, v) in headers {
            let _ = write!(req, "{k}: {v}\r\n");
        }
        if let Some((u, p)) = login {
            use base64::Engine as _;
            let token = base64::engine::general_purpose::STANDARD.encode(format!("{u}:{p}"));
            let _ = write!(req, "Authorization: Basic {token}\r\n");
        }
        req.push_str("\r\n");
        req.push_str(body);
        s.write_all(req.as_bytes()).unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, head.to_string(), body.to_string())
    }

    /// The items of a collection: (href, ETag).
    fn items(&self, collection: &str) -> Vec<(String, String)> {
        let body =
            "<?xml version=\"1.0\"?><propfind xmlns=\"DAV:\"><prop><getetag/></prop></propfind>";
        let (_, _, xml) = self.http(
            "PROPFIND",
            &format!("/kam/{collection}/"),
            &[("Depth", "1"), ("Content-Type", "application/xml")],
            body,
            None,
        );
        let mut out = Vec::new();
        for response in xml.split("<response>").skip(1) {
            let href = between(response, "<href>", "</href>");
            let etag = between(response, "<getetag>", "</getetag>");
            if !href.ends_with('/') {
                out.push((href.to_string(), etag.replace("&quot;", "\"")));
            }
        }
        out.sort();
        out
    }

    /// The item of `collection` whose text holds `needle`: (href, text).
    fn find(&self, collection: &str, needle: &str) -> (String, String) {
        for (href, _) in self.items(collection) {
            let (_, _, text) = self.http("GET", &href, &[], "", None);
            if text.contains(needle) {
                return (href, text);
            }
        }
        panic!("no item with {needle:?} in {collection}");
    }

    /// Replaces the item at `href` (as a phone saving an edit).
    fn put(&self, href: &str, text: &str) {
        let (status, head, _) = self.http(
            "PUT",
            href,
            &[("Content-Type", "text/calendar; charset=utf-8")],
            text,
            None,
        );
        assert!(status / 100 == 2, "PUT {href}: {head}");
    }
}

/// The whole (unfolded) property line of an item's text that starts with `prefix`.
fn line_of(text: &str, prefix: &str) -> String {
    text.replace("\r\n ", "")
        .split("\r\n")
        .find(|l| l.starts_with(prefix))
        .unwrap_or_default()
        .to_string()
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    s.split_once(open)
        .and_then(|(_, rest)| rest.split_once(close))
        .map_or("", |(v, _)| v)
}

/// A notebook with its config pointing at `server`.
struct Notebook {
    dir: TempDir,
}

/// A Radicale server and a notebook filled with the test records, its sync pointed at the
/// server; `None` (the test skips itself) without Radicale.
fn filled() -> Option<(Radicale, Notebook)> {
    let server = radicale(false)?;
    let nb = Notebook::new(&server, "");
    nb.fill();
    Some((server, nb))
}

impl Notebook {
    /// A second sync right away: nothing to send or take. What it said.
    fn quiet(&self) -> String {
        let again = self.ok(&["sync"]);
        assert!(again.contains("Nothing new either way."), "{again}");
        again
    }

    fn new(server: &Radicale, extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("config.toml"),
            format!(
                "[sync]\ncalendar = \"{}\"\ncontacts = \"{}\"\n{extra}",
                server.url("calendar"),
                server.url("contacts")
            ),
        )
        .unwrap();
        Notebook { dir }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("kam.db")
    }

    fn kam(&self) -> Command {
        let mut cmd = Command::cargo_bin("kam").unwrap();
        cmd.env("TZ", "UTC")
            .env("KAM_NOW", NOW)
            .env("KAM_DB", self.db())
            .env("KAM_CONFIG", self.dir.path().join("config.toml"))
            .env_remove("KAM_SYNC_PASSWORD_CMD")
            .env_remove("NO_COLOR");
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.kam().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "kam {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// `kam` run at another moment than [`NOW`] (a later day).
    fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self.kam().env("KAM_NOW", now).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "kam {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.kam().args(args).output().unwrap();
        assert!(!out.status.success(), "kam {args:?} should fail");
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Hospital Clínic with Ana (personal notes) and Jordi, two meetings and a follow-up.
    fn fill(&self) {
        self.ok(&["account", "add", "Hospital Clínic"]);
        self.ok(&[
            "person",
            "add",
            "Ana Puig",
            "--account",
            "Hospital Clínic",
            "--email",
            "ana@clinic.example",
            "--title",
            "Head of pharmacy",
            "--personal",
            "daughter starts university",
        ]);
        self.ok(&[
            "person",
            "add",
            "Jordi Vila",
            "--account",
            "Hospital Clínic",
            "--email",
            "jordi@clinic.example",
            "--phone",
            "+34 600 000 001",
        ]);
        self.ok(&[
            "meeting",
            "add",
            "Ana Puig",
            "--at",
            "2026-11-30 10:00",
            "--for",
            "1h",
            "--title",
            "Pilot review",
        ]);
        self.ok(&[
            "meeting",
            "add",
            "Hospital Clínic",
            "--at",
            "2026-12-02 09:00",
            "--for",
            "1h",
            "--title",
            "Tender kickoff",
        ]);
        self.ok(&[
            "followup",
            "add",
            "Ana Puig",
            "Send the prices",
            "--due",
            "2026-11-30",
        ]);
    }

    fn sync_state(&self) -> (Option<kamnote::store::SyncedCollection>, usize) {
        let store = kamnote::store::Store::open_existing(&self.db()).unwrap();
        let r = store.reader();
        (
            r.synced_collection("calendar").unwrap(),
            r.synced_items("calendar").unwrap().len() + r.synced_items("contacts").unwrap().len(),
        )
    }
}

/// Replaces the first property line (`NAME:…` or `NAME;…:…`) of an item's text (unfolded).
fn set_line(text: &str, name: &str, line: &str) -> String {
    let mut done = false;
    text.replace("\r\n ", "")
        .split("\r\n")
        .map(|l| {
            if !done && (l.starts_with(&format!("{name}:")) || l.starts_with(&format!("{name};"))) {
                done = true;
                line.to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[test]
fn a_first_sync_sends_everything_once_and_keeps_personal_notes_home() {
    let Some((server, nb)) = filled() else {
        return;
    };
    let dry = nb.ok(&["sync", "--dry-run"]);
    assert!(dry.contains("Would send to the server: 5 new"), "{dry}");
    assert!(server.items("calendar").is_empty());
    assert_eq!(nb.sync_state(), (None, 0));
    let out = nb.ok(&["sync"]);
    assert!(
        out.contains("Sent to the server: 5 new, 0 changed, 0 deleted"),
        "{out}"
    );
    assert_eq!(server.items("calendar").len(), 3);
    assert_eq!(server.items("contacts").len(), 2);
    let (_, card) = server.find("contacts", "Ana Puig");
    assert!(card.contains("ORG:Hospital Clínic"), "{card}");
    assert!(!card.contains("daughter"), "{card}");
    let (_, event) = server.find("calendar", "SUMMARY:Pilot review");
    assert!(event.contains("DTSTART:20261130T100000Z"), "{event}");
    assert!(event.contains("mailto:ana@clinic.example"), "{event}");
    // The phone rings before the meeting: `[sync] alarm` defaults to 15 minutes.
    assert!(event.contains("BEGIN:VALARM"), "{event}");
    assert!(event.contains("TRIGGER:-PT15M"), "{event}");
    let (_, todo) = server.find("calendar", "SUMMARY:Send the prices");
    assert!(todo.contains("BEGIN:VTODO"), "{todo}");
    // Nothing new: nothing sent, nothing changed on the server.
    let before = (server.items("calendar"), server.items("contacts"));
    let again = nb.quiet();
    assert!(again.contains("0 new, 0 changed, 0 deleted"), "{again}");
    assert_eq!(before, (server.items("calendar"), server.items("contacts")));
}

#[test]
fn what_the_phone_changed_comes_back_as_commands_and_a_second_sync_is_quiet() {
    let Some((server, nb)) = filled() else {
        return;
    };
    nb.ok(&["sync"]);
    // The phone: moves and retitles a meeting, writes a description, completes the to-do,
    // deletes the other meeting, adds one with a known and an unknown attendee, edits a card.
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    let text = set_line(&text, "DTSTART", "DTSTART:20261130T120000Z");
    let text = set_line(&text, "DTEND", "DTEND:20261130T130000Z");
    let text = set_line(&text, "SUMMARY", "SUMMARY:Pilot review with Ana");
    // Written below the brief the event carries, as a phone edits a description.
    let brief = line_of(&text, "DESCRIPTION:");
    let text = set_line(
        &text,
        "DESCRIPTION",
        &format!("{brief}\\n\\nBring the budget model"),
    );
    server.put(&href, &text);
    let (href, text) = server.find("calendar", "SUMMARY:Send the prices");
    server.put(
        &href,
        &text.replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED"),
    );
    let (href, _) = server.find("calendar", "SUMMARY:Tender kickoff");
    assert_eq!(server.http("DELETE", &href, &[], "", None).0 / 100, 2);
    server.put(
        "/kam/calendar/phone-1.ics",
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VEVENT\r\n\
         UID:phone-1\r\nDTSTAMP:20261127T080000Z\r\nDTSTART:20261201T150000Z\r\n\
         DTEND:20261201T160000Z\r\nSUMMARY:Coffee with Jordi\r\n\
         ATTENDEE;CN=Jordi:mailto:JORDI@clinic.example\r\n\
         ATTENDEE:mailto:stranger@elsewhere.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    let (href, card) = server.find("contacts", "Jordi Vila");
    let (status, head, _) = server.http(
        "PUT",
        &href,
        &[("Content-Type", "text/vcard; charset=utf-8")],
        &set_line(&card, "TEL", "TEL;TYPE=CELL:+34 699 999 999"),
        None,
    );
    assert!(status / 100 == 2, "{head}");

    let out = nb.ok(&["sync"]);
    assert!(
        out.contains("Moved #i1 Pilot review with Ana from Mon 30 Nov 2026 10:00"),
        "{out}"
    );
    assert!(out.contains("Done #f1: Send the prices"), "{out}");
    assert!(out.contains("Cancelled #i2 Tender kickoff"), "{out}");
    assert!(
        out.contains("Planned meeting #i3 with #p2 Jordi Vila"),
        "{out}"
    );
    assert!(out.contains("stranger@elsewhere.example"), "{out}");
    assert!(out.contains("Saved person #p2 Jordi Vila"), "{out}");
    assert!(out.contains("Taken from the server: 5"), "{out}");
    // The done follow-up leaves the phone; the meeting taken from it is sent back once, with
    // the account and its brief (what every synced meeting carries), and the pilot review
    // once, its brief without the promise kept — whichever of the two items came first.
    assert!(out.contains("0 new, 2 changed, 1 deleted"), "{out}");
    let agenda = nb.ok(&["agenda", "-n", "7"]);
    assert!(
        agenda.contains("12:00–13:00  Pilot review with Ana"),
        "{agenda}"
    );
    assert!(agenda.contains("Coffee with Jordi"), "{agenda}");
    assert!(!agenda.contains("Send the prices"), "{agenda}");
    let meeting = nb.ok(&["show", "#i1"]);
    assert!(meeting.contains("Bring the budget model"), "{meeting}");
    assert!(!meeting.contains("Brief 27 Nov"), "{meeting}");
    let json = nb.ok(&["show", "#i1", "--json"]);
    assert!(
        json.contains("\"body\": \"Bring the budget model\""),
        "only the phone's text: {json}"
    );
    let (_, coffee) = server.find("calendar", "SUMMARY:Coffee with Jordi");
    assert!(coffee.contains("LOCATION:Hospital Clínic"), "{coffee}");
    assert!(
        coffee.contains("DESCRIPTION:Brief 27 Nov · With Jordi Vila"),
        "{coffee}"
    );
    let jordi = nb.ok(&["person", "show", "Jordi Vila"]);
    assert!(jordi.contains("+34 699 999 999"), "{jordi}");
    let tender = nb.ok(&["show", "#i2"]);
    assert!(tender.contains("cancelled"), "{tender}");

    // Idempotent: a second sync sends and changes nothing.
    let before = (server.items("calendar"), server.items("contacts"));
    nb.quiet();
    assert_eq!(before, (server.items("calendar"), server.items("contacts")));

    // Each item is one journaled command: undo takes the last back, the next sync sends it.
    let undo = nb.ok(&["undo"]);
    assert!(undo.contains("sync"), "{undo}");
    let after_undo = nb.ok(&["sync"]);
    assert!(
        after_undo.contains("0 new, 1 changed, 0 deleted"),
        "{after_undo}"
    );
}

#[test]
fn a_field_changed_on_both_sides_keeps_both_and_says_so() {
    let Some((server, nb)) = filled() else {
        return;
    };
    nb.ok(&["sync"]);
    nb.ok(&["meeting", "edit", "1", "--title", "Pilot review (here)"]);
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    let text = set_line(&text, "SUMMARY", "SUMMARY:Pilot review (phone)");
    // The phone also moved it: a field only it changed is taken.
    let text = set_line(&text, "DTSTART", "DTSTART:20261130T110000Z");
    let text = set_line(&text, "DTEND", "DTEND:20261130T120000Z");
    server.put(&href, &text);
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Changed on both sides (1;"), "{out}");
    assert!(
        out.contains("the server had “Pilot review (phone)”; kept “Pilot review (here)”"),
        "{out}"
    );
    assert!(out.contains("Moved #i1"), "{out}");
    assert!(out.contains("0 new, 1 changed"), "{out}");
    // Here: the title kept, the time taken, the server's title as a note on the meeting's people.
    let agenda = nb.ok(&["agenda", "-n", "7"]);
    assert!(
        agenda.contains("11:00–12:00  Pilot review (here)"),
        "{agenda}"
    );
    let ana = nb.ok(&["person", "show", "Ana Puig"]);
    assert!(
        ana.contains("note #i3  Sync conflict: title of #i1"),
        "{ana}"
    );
    let note = nb.ok(&["show", "#i3"]);
    assert!(
        note.contains("the server had “Pilot review (phone)”"),
        "{note}"
    );
    // There: the merged version.
    let (_, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert!(text.contains("SUMMARY:Pilot review (here)"), "{text}");
    assert!(text.contains("DTSTART:20261130T110000Z"), "{text}");
    nb.quiet();
}

#[test]
fn a_sync_killed_half_way_is_finished_by_the_next_without_duplicates() {
    let Some(server) = radicale(false) else {
        return;
    };
    let nb = Notebook::new(&server, "");
    let demo = nb.dir.path().join("demo.db");
    let demo_arg = demo.to_str().unwrap();
    nb.ok(&["demo", "--into", demo_arg, "--reset"]);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kam"))
        .env("TZ", "UTC")
        .env("KAM_NOW", NOW)
        .env("KAM_CONFIG", nb.dir.path().join("config.toml"))
        .args(["--db", demo_arg, "sync"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed once some items are on the server.
    let start = Instant::now();
    while server.items("calendar").len() + server.items("contacts").len() < 10 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "sync never began"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let partial = server.items("calendar").len() + server.items("contacts").len();
    let rerun = nb.ok(&["--db", demo_arg, "sync"]);
    assert!(rerun.contains("Sent to the server:"), "{rerun}");
    let calendar = server.items("calendar");
    let contacts = server.items("contacts");
    let total = calendar.len() + contacts.len();
    assert!(
        partial < total,
        "killed after the end ({partial} of {total})"
    );
    // Every record once: one item per UID, and as many as the notebook tracks.
    let mut uids = std::collections::BTreeSet::new();
    for (href, _) in calendar.iter().chain(&contacts) {
        let (_, _, text) = server.http("GET", href, &[], "", None);
        let uid = text
            .split("\r\n")
            .find_map(|l| l.strip_prefix("UID:"))
            .unwrap_or_default()
            .to_string();
        assert!(uids.insert(uid.clone()), "{uid} is on the server twice");
    }
    let store = kamnote::store::Store::open_existing(&demo).unwrap();
    let r = store.reader();
    let tracked =
        r.synced_items("calendar").unwrap().len() + r.synced_items("contacts").unwrap().len();
    assert_eq!(tracked, total);
    drop(store);
    let again = nb.ok(&["--db", demo_arg, "sync"]);
    assert!(again.contains("Nothing new either way."), "{again}");
}

#[test]
fn a_wrong_url_a_bad_password_and_a_server_down_are_clear_and_change_nothing() {
    let Some(server) = radicale(true) else {
        return;
    };
    // A bad password.
    let nb = Notebook::new(
        &server,
        "username = \"kam\"\npassword_cmd = \"echo wrong\"\n",
    );
    nb.fill();
    let e = nb.fails(&["sync"]);
    assert!(e.contains("refused the user name or password"), "{e}");
    assert_eq!(nb.sync_state(), (None, 0));
    // No password command at all.
    std::fs::write(
        nb.dir.path().join("config.toml"),
        format!(
            "[sync]\ncalendar = \"{}\"\nusername = \"kam\"\n",
            server.url("calendar")
        ),
    )
    .unwrap();
    let e = nb.fails(&["sync"]);
    assert!(e.contains("password_cmd"), "{e}");
    // A wrong URL.
    std::fs::write(
        nb.dir.path().join("config.toml"),
        format!(
            "[sync]\ncalendar = \"{}\"\nusername = \"kam\"\npassword_cmd = \"echo secret\"\n",
            server.url("calender")
        ),
    )
    .unwrap();
    let e = nb.fails(&["sync"]);
    assert!(
        e.contains("calender") && e.contains("collection's URL"),
        "{e}"
    );
    assert_eq!(nb.sync_state(), (None, 0));
    // A server that is down.
    std::fs::write(
        nb.dir.path().join("config.toml"),
        format!(
            "[sync]\ncalendar = \"http://127.0.0.1:{}/kam/calendar/\"\n",
            free_port()
        ),
    )
    .unwrap();
    let e = nb.fails(&["sync"]);
    assert!(e.contains("cannot be reached"), "{e}");
    assert_eq!(nb.sync_state(), (None, 0));
    // The right password: it syncs.
    std::fs::write(
        nb.dir.path().join("config.toml"),
        format!(
            "[sync]\ncalendar = \"{}\"\nusername = \"kam\"\npassword_cmd = \"echo secret\"\n",
            server.url("calendar")
        ),
    )
    .unwrap();
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Sent to the server: 3 new"), "{out}");
}

/// Issue 13.4: a synced meeting carries what an exported event does — LOCATION with the account
/// and the place, DESCRIPTION led by the one-line brief — and what comes back is stripped of
/// them before it is merged: text written on the phone is the meeting's, the brief never is.
/// The brief is ours: when it changes (a day later, the days since last seen grow) it is sent
/// again as our change, with the user's text kept, and without a conflict or a note.
#[test]
fn a_synced_meeting_carries_the_account_and_the_brief_and_takes_back_only_the_users_text() {
    let Some((server, nb)) = filled() else {
        return;
    };
    nb.ok(&["meeting", "edit", "1", "--where", "Room 3"]);
    nb.ok(&["sync"]);
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert!(text.contains("LOCATION:Hospital Clínic · Room 3"), "{text}");
    let brief = line_of(&text, "DESCRIPTION:");
    assert!(
        brief.starts_with("DESCRIPTION:Brief 27 Nov · With Ana Puig (never seen)"),
        "{brief}"
    );
    assert!(brief.contains("Send the prices"), "{brief}");
    assert!(
        !text.contains("daughter"),
        "personal notes stay home: {text}"
    );

    // The phone: a line written below the brief, another room.
    let text = set_line(
        &text,
        "DESCRIPTION",
        &format!("{brief}\\n\\nThey want 5% off"),
    );
    let text = set_line(&text, "LOCATION", "LOCATION:Hospital Clínic · Room 9");
    server.put(&href, &text);
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Taken from the server: 1"), "{out}");
    assert!(out.contains("0 new, 0 changed, 0 deleted"), "{out}");
    assert!(!out.contains("Changed on both sides"), "{out}");
    let meeting = nb.ok(&["show", "#i1", "--json"]);
    assert!(
        meeting.contains("\"body\": \"They want 5% off\""),
        "{meeting}"
    );
    assert!(meeting.contains("\"location\": \"Room 9\""), "{meeting}");
    assert!(!meeting.contains("Brief 27"), "{meeting}");
    nb.quiet();

    // A day later the briefs changed: both upcoming meetings are sent again, nothing is taken.
    let later = "2026-11-28T08:00:00+00:00";
    let out = nb.ok_at(later, &["sync"]);
    assert!(out.contains("0 new, 2 changed, 0 deleted"), "{out}");
    assert!(out.contains("Taken from the server: 0"), "{out}");
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    let description = line_of(&text, "DESCRIPTION:");
    assert!(
        description.starts_with("DESCRIPTION:Brief 28 Nov · ")
            && description.ends_with("\\n\\nThey want 5% off"),
        "{description}"
    );
    assert!(text.contains("LOCATION:Hospital Clínic · Room 9"), "{text}");
    assert!(
        nb.ok_at(later, &["sync"])
            .contains("Nothing new either way."),
        "the same day again: quiet"
    );

    // The next day, the phone rewrites the text under yesterday's brief while ours moved on:
    // the user's text is taken, no conflict, the new brief sent with it.
    let text = set_line(
        &text,
        "DESCRIPTION",
        &format!(
            "{}\\n\\nThey want 7% off",
            description.split("\\n\\n").next().unwrap()
        ),
    );
    server.put(&href, &text);
    let third = "2026-11-29T08:00:00+00:00";
    let out = nb.ok_at(third, &["sync"]);
    assert!(!out.contains("Changed on both sides"), "{out}");
    assert!(out.contains("Taken from the server: 1"), "{out}");
    let meeting = nb.ok_at(third, &["show", "#i1", "--json"]);
    assert!(
        meeting.contains("\"body\": \"They want 7% off\""),
        "{meeting}"
    );
    let (_, text) = server.find("calendar", "SUMMARY:Pilot review");
    let description = line_of(&text, "DESCRIPTION:");
    assert!(
        description.starts_with("DESCRIPTION:Brief 29 Nov · ")
            && description.ends_with("\\n\\nThey want 7% off"),
        "{description}"
    );
    let notes = nb.ok_at(third, &["person", "show", "Ana Puig"]);
    assert!(!notes.contains("Sync conflict"), "{notes}");
}

/// Issue 13: a meeting un-cancelled on the phone is reopened (journaled, undoable), whether its
/// STATUS:CANCELLED was taken off or the event deleted there was brought back under its UID
/// (a calendar's undo or trash); never a second meeting.
#[test]
fn a_meeting_uncancelled_on_the_phone_is_reopened() {
    let Some((server, nb)) = filled() else {
        return;
    };
    nb.ok(&["sync"]);
    // Cancelled on the phone, then confirmed again.
    let (href, text) = server.find("calendar", "SUMMARY:Tender kickoff");
    server.put(&href, &set_line(&text, "STATUS", "STATUS:CANCELLED"));
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Cancelled #i2 Tender kickoff"), "{out}");
    let (href, text) = server.find("calendar", "SUMMARY:Tender kickoff");
    assert!(text.contains("STATUS:CANCELLED"), "{text}");
    server.put(&href, &set_line(&text, "STATUS", "STATUS:CONFIRMED"));
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Reopened #i2 Tender kickoff"), "{out}");
    assert!(!out.contains("not taken"), "{out}");
    let agenda = nb.ok(&["agenda", "-n", "7"]);
    assert!(agenda.contains("09:00–10:00  Tender kickoff"), "{agenda}");
    nb.quiet();

    // Deleted on the phone (cancelled here), then brought back under the same UID.
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert_eq!(server.http("DELETE", &href, &[], "", None).0 / 100, 2);
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Cancelled #i1 Pilot review"), "{out}");
    server.put(&href, &text);
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Reopened #i1 Pilot review"), "{out}");
    assert!(
        !out.contains("Planned meeting"),
        "not a second meeting: {out}"
    );
    let agenda = nb.ok(&["agenda", "-n", "7"]);
    assert_eq!(agenda.matches("Pilot review").count(), 1, "{agenda}");
    assert!(agenda.contains("10:00–11:00  Pilot review"), "{agenda}");
    nb.quiet();

    // One journal entry: undo cancels it again, and the next sync says so on the server.
    let undo = nb.ok(&["undo"]);
    assert!(undo.contains("sync"), "{undo}");
    assert!(nb.ok(&["show", "#i1"]).contains("cancelled"));
    let out = nb.ok(&["sync"]);
    assert!(out.contains("0 new, 1 changed, 0 deleted"), "{out}");
    let (_, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert!(text.contains("STATUS:CANCELLED"), "{text}");
}

/// Issue 13: a to-do made on the phone becomes a follow-up when it names one known person
/// (`@Ana`, or a full name) or one account; otherwise it is reported, never placed by a guess.
#[test]
fn a_todo_made_on_the_phone_is_taken_when_it_names_someone_known() {
    let Some((server, nb)) = filled() else {
        return;
    };
    nb.ok(&["sync"]);
    let todo = |uid: &str, summary: &str, due: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//phone//EN\r\nBEGIN:VTODO\r\n\
             UID:{uid}\r\nDTSTAMP:20261127T080000Z\r\n{due}SUMMARY:{summary}\r\n\
             STATUS:NEEDS-ACTION\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"
        )
    };
    server.put(
        "/kam/calendar/t1.ics",
        &todo("t1", "Send @Ana the samples", "DUE;VALUE=DATE:20261203\r\n"),
    );
    server.put(
        "/kam/calendar/t2.ics",
        &todo("t2", "Call jordi vila back", ""),
    );
    server.put("/kam/calendar/t3.ics", &todo("t3", "Buy milk", ""));
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Taken from the server: 2"), "{out}");
    assert!(out.contains("Send @Ana the samples"), "{out}");
    assert!(
        out.contains(
            "to-do “Buy milk” made on the server: not taken, it names no known person or account"
        ),
        "{out}"
    );
    // The one without a date is due today, and its date goes to the phone; the two meetings at
    // the account carry the new promises in their briefs.
    assert!(out.contains("0 new, 3 changed, 0 deleted"), "{out}");
    let (_, pilot) = server.find("calendar", "SUMMARY:Pilot review");
    assert!(
        line_of(&pilot, "DESCRIPTION:").contains("Send @Ana the samples"),
        "{pilot}"
    );
    let ana = nb.ok(&["person", "show", "Ana Puig"]);
    assert!(ana.contains("Send @Ana the samples"), "{ana}");
    let jordi = nb.ok(&["person", "show", "Jordi Vila"]);
    assert!(jordi.contains("Call jordi vila back"), "{jordi}");
    let (_, t2) = server.find("calendar", "SUMMARY:Call jordi vila back");
    assert!(t2.contains("DUE;VALUE=DATE:20261127"), "{t2}");
    nb.quiet();
    // Done on the phone: the follow-up is done here.
    let (href, t1) = server.find("calendar", "SUMMARY:Send @Ana");
    server.put(&href, &set_line(&t1, "STATUS", "STATUS:COMPLETED"));
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Done #f"), "{out}");
}

/// Issue 13: with the server's sync-token, a sync asks what changed since the last one (the
/// RFC 6578 `sync-collection` REPORT) instead of listing the collection, and fetches only the
/// items that changed.
#[test]
fn a_second_sync_asks_what_changed_and_fetches_only_that() {
    let Some(server) = radicale_logging(false, "debug") else {
        return;
    };
    let nb = Notebook::new(&server, "");
    nb.fill();
    nb.ok(&["sync"]);
    // Our own sends moved the token: the next sync hears them and fetches nothing.
    let quiet = nb.ok(&["sync"]);
    assert!(quiet.contains("Nothing new either way."), "{quiet}");
    let (href, text) = server.find("calendar", "SUMMARY:Tender kickoff");
    server.put(
        &href,
        &set_line(&text, "SUMMARY", "SUMMARY:Tender kickoff (moved)"),
    );
    let (gone, _) = server.find("calendar", "SUMMARY:Pilot review");
    assert_eq!(server.http("DELETE", &gone, &[], "", None).0 / 100, 2);
    let mark = server.log().len();
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Tender kickoff (moved)"), "{out}");
    assert!(out.contains("Cancelled #i1 Pilot review"), "{out}");
    let log = server.log()[mark..].to_string();
    // The calendar asked for its changes: a sync-collection REPORT, no Depth 1 listing of it.
    assert!(log.contains("<sync-collection"), "{log}");
    assert!(
        !log.contains("PROPFIND request for '/kam/calendar/' with depth '1'"),
        "{log}"
    );
    // One fetch, of the changed item alone.
    let fetches: Vec<&str> = log
        .split("calendar-multiget xmlns")
        .skip(1)
        .map(|f| f.split("calendar-multiget>").next().unwrap_or_default())
        .collect();
    assert_eq!(fetches.len(), 1, "one fetch: {log}");
    assert_eq!(fetches[0].matches("<href>").count(), 1, "{}", fetches[0]);
    assert!(
        fetches[0].contains(&format!("<href>{href}</href>")),
        "{}",
        fetches[0]
    );
    nb.quiet();
}

/// Text typed on the phone inside the brief's line, or a line another app puts above the
/// brief, is the user's: never dropped, never the old brief taken for notes, and the meeting's
/// text does not grow from sync to sync.
#[test]
fn text_typed_inside_or_above_the_brief_on_the_phone_is_kept() {
    let Some((server, nb)) = filled() else {
        return;
    };
    nb.ok(&["sync"]);
    // Inside the brief's own line.
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    let line = line_of(&text, "DESCRIPTION:");
    let brief = line.strip_prefix("DESCRIPTION:").unwrap().to_string();
    assert!(brief.contains("(never seen)"), "{brief}");
    // As a phone writes it: the comma escaped (RFC 5545 TEXT).
    let edited = brief.replacen("(never seen)", "(never seen\\, her boss is Dr. Vila)", 1);
    server.put(
        &href,
        &set_line(&text, "DESCRIPTION", &format!("DESCRIPTION:{edited}")),
    );
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Taken from the server: 1"), "{out}");
    let meeting = nb.ok(&["show", "#i1", "--json"]);
    assert!(meeting.contains("her boss is Dr. Vila"), "{meeting}");
    // Our brief is sent again, the user's line below it.
    let (_, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert_eq!(
        line_of(&text, "DESCRIPTION:"),
        format!("DESCRIPTION:{brief}\\n\\n{edited}")
    );
    nb.quiet();

    // A line above the brief (a meeting add-in), text below it.
    let (href, text) = server.find("calendar", "SUMMARY:Tender kickoff");
    let brief = line_of(&text, "DESCRIPTION:")
        .strip_prefix("DESCRIPTION:")
        .unwrap()
        .to_string();
    assert!(brief.starts_with("Brief "), "{brief}");
    server.put(
        &href,
        &set_line(
            &text,
            "DESCRIPTION",
            &format!("DESCRIPTION:Join Zoom: https://zoom.us/j/1\\n{brief}\\n\\nbring the file"),
        ),
    );
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Taken from the server: 1"), "{out}");
    let meeting = nb.ok(&["show", "#i2", "--json"]);
    assert!(
        meeting.contains("\"body\": \"Join Zoom: https://zoom.us/j/1\\nbring the file\""),
        "{meeting}"
    );
    assert!(!meeting.contains("Brief "), "{meeting}");
    nb.ok(&["sync"]);
    nb.quiet();
    let meeting = nb.ok(&["show", "#i2", "--json"]);
    assert!(!meeting.contains("Brief "), "it never grows: {meeting}");
}

/// An event deleted on the phone (its meeting cancelled here) and brought back: merged against
/// the base kept when it went, so what was written here since (the notes, the place) stays and
/// what the phone changed is taken. With no base kept at all, every field the two sides hold
/// differently keeps the notebook's value and the server's as a note.
#[test]
fn a_meeting_brought_back_on_the_phone_keeps_what_was_written_here_since() {
    let Some((server, nb)) = filled() else {
        return;
    };
    nb.ok(&["meeting", "edit", "1", "--where", "Room 3"]);
    nb.ok(&["sync"]);
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert_eq!(server.http("DELETE", &href, &[], "", None).0 / 100, 2);
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Cancelled #i1 Pilot review"), "{out}");
    nb.ok(&[
        "note",
        "edit",
        "1",
        "--text",
        "Ana moved to the new building",
    ]);
    nb.ok(&["meeting", "edit", "1", "--where", "Room 12"]);
    // Brought back, with a new title given on the phone.
    server.put(
        &href,
        &set_line(&text, "SUMMARY", "SUMMARY:Pilot review (confirmed)"),
    );
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Reopened #i1"), "{out}");
    assert!(!out.contains("Changed on both sides"), "{out}");
    let meeting = nb.ok(&["show", "#i1", "--json"]);
    assert!(
        meeting.contains("\"body\": \"Ana moved to the new building\""),
        "{meeting}"
    );
    assert!(meeting.contains("\"location\": \"Room 12\""), "{meeting}");
    assert!(
        meeting.contains("\"title\": \"Pilot review (confirmed)\""),
        "{meeting}"
    );
    let (_, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert!(
        text.contains("LOCATION:Hospital Clínic · Room 12"),
        "{text}"
    );
    assert!(
        line_of(&text, "DESCRIPTION:").ends_with("\\n\\nAna moved to the new building"),
        "{text}"
    );
    nb.quiet();

    // Deleted again; this time no base is kept (a notebook synced before tombstones), and it
    // comes back at another href under its UID.
    let (href, text) = server.find("calendar", "SUMMARY:Pilot review");
    assert_eq!(server.http("DELETE", &href, &[], "", None).0 / 100, 2);
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Cancelled #i1"), "{out}");
    {
        let mut store = kamnote::store::Store::open_existing(&nb.db()).unwrap();
        let now = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
        store
            .write(now, |w| w.drop_synced_item("calendar", &href))
            .unwrap();
    }
    nb.ok(&[
        "note",
        "edit",
        "1",
        "--text",
        "Second visit: bring the contract",
    ]);
    server.put(
        &href.replace(".ics", "-restored.ics"),
        &set_line(&text, "LOCATION", "LOCATION:Hospital Clínic · Room 1"),
    );
    let out = nb.ok(&["sync"]);
    assert!(out.contains("Reopened #i1"), "{out}");
    let meeting = nb.ok(&["show", "#i1", "--json"]);
    assert!(
        meeting.contains("\"body\": \"Second visit: bring the contract\""),
        "{meeting}"
    );
    assert!(meeting.contains("\"location\": \"Room 12\""), "{meeting}");
    let notes = nb.ok(&["person", "show", "Ana Puig"]);
    assert!(notes.contains("Sync conflict"), "{notes}");
    assert!(
        notes.contains("Room 1"),
        "the server's place kept as a note: {notes}"
    );
    let agenda = nb.ok(&["agenda", "-n", "7"]);
    assert_eq!(agenda.matches("Pilot review").count(), 1, "{agenda}");
    nb.quiet();
}
