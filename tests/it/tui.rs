//! The full-screen notebook driven headless: the app receives actions (as the keymap would send
//! them) and renders into a ratatui `TestBackend` at 80×24, with a fixed clock and the demo
//! notebook. Snapshots are independent of the machine's time zone: the clock and the demo's
//! times are both set in local time.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use crate::common;

use chrono::{Local, TimeZone};
use common::{demo_app, demo_app_in, id_after, morning, run, screen, today};
use kamnote::clock::Clock;
use kamnote::domain::{Ladder, Person, Vocabulary};
use kamnote::store::{Store, TargetKind};
use kamnote::tui::{Action, App, Theme};

/// The demo notebook in a file (so that a second `Store` can write to it behind the app's back).
fn demo_app_on_file() -> (App, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    let app = demo_app_in(Store::open(&path).unwrap());
    (app, dir, path)
}

#[test]
fn agenda_today() {
    let app = demo_app();
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn agenda_next_day_and_week() {
    let mut app = demo_app();
    run(&mut app, &[Action::NextDay]);
    insta::assert_snapshot!("agenda_tomorrow", screen(&app, 80, 24));
    run(&mut app, &[Action::Today, Action::ToggleWeek]);
    insta::assert_snapshot!("agenda_week", screen(&app, 80, 24));
}

#[test]
fn help_lists_the_keys_of_the_screen() {
    let mut app = demo_app();
    run(&mut app, &[Action::Help]);
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("previous day") && text.contains("follow-up done"),
        "{text}"
    );
    insta::assert_snapshot!("agenda_help", text);
}

#[test]
fn a_follow_up_is_done_from_the_agenda() {
    let mut app = demo_app();
    // The first entry is the oldest overdue follow-up.
    run(&mut app, &[Action::FollowUpDone]);
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with("Done #f9: Book the room"),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 80, 24).contains("Overdue follow-ups (5)"));
}

#[test]
fn snoozing_shows_the_parsed_date_and_refuses_a_bad_one() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = demo_app();
    run(&mut app, &[Action::Snooze]);
    for c in "2026-02-30".chars() {
        run(
            &mut app,
            &[Action::Input(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            ))],
        );
    }
    assert!(screen(&app, 80, 24).contains("February 2026 has 28 days"));
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .contains("February 2026 has 28 days")
    );
    for _ in 0..10 {
        run(
            &mut app,
            &[Action::Input(KeyEvent::new(
                KeyCode::Backspace,
                KeyModifiers::NONE,
            ))],
        );
    }
    for c in "+1w".chars() {
        run(
            &mut app,
            &[Action::Input(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            ))],
        );
    }
    assert!(screen(&app, 80, 24).contains("Fri 4 Dec 2026"));
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .contains("due Fri 4 Dec 2026 (in 7 days)"),
        "{:?}",
        app.status()
    );
}

#[test]
fn tiny_terminals_say_so_and_never_panic() {
    let app = demo_app();
    assert!(screen(&app, 39, 12).contains("terminal too small"));
    for (w, h) in [
        (1, 1),
        (40, 12),
        (41, 13),
        (120, 40),
        (300, 100),
        (2, 50),
        (300, 3),
    ] {
        let _ = screen(&app, w, h);
    }
}

fn type_text(app: &mut App, text: &str) {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    for c in text.chars() {
        run(
            app,
            &[Action::Input(KeyEvent::new(
                KeyCode::Char(c),
                KeyModifiers::NONE,
            ))],
        );
    }
}

const HOSPITAL: i64 = 1;
const CARMEN: i64 = 1;

#[test]
fn account_dossier_on_each_tab() {
    let mut app = demo_app();
    run(&mut app, &[Action::Open(TargetKind::Account, HOSPITAL)]);
    let first = screen(&app, 80, 24);
    assert!(
        first.contains("Hospital Universitario Virgen de la Peña"),
        "{first}"
    );
    insta::assert_snapshot!("account_overview", first);
    for tab in ["people", "timeline", "followups", "deals", "map", "history"] {
        run(&mut app, &[Action::NextTab]);
        insta::assert_snapshot!(format!("account_{tab}"), screen(&app, 80, 24));
    }
    // Round the tabs back to the overview; narrow terminals lay out without panicking.
    run(&mut app, &[Action::NextTab]);
    assert_eq!(screen(&app, 80, 24), first);
    for (w, h) in [(40, 12), (41, 13), (120, 40)] {
        for _ in 0..7 {
            run(&mut app, &[Action::NextTab]);
            let _ = screen(&app, w, h);
        }
    }
}

#[test]
fn person_dossier_from_the_account_people_tab() {
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Account, HOSPITAL), Action::NextTab],
    );
    let people = screen(&app, 80, 24);
    assert!(people.contains("Carmen Peña Olmedo"), "{people}");
    // Walk down to Carmen and open her.
    let reader_people = app.store().reader().people(Some(HOSPITAL), 200, 0).unwrap();
    let at = reader_people.iter().position(|p| p.id == CARMEN).unwrap();
    for _ in 0..at {
        run(&mut app, &[Action::Down]);
    }
    run(&mut app, &[Action::OpenSelected]);
    let text = screen(&app, 80, 24);
    assert!(text.contains("#p1"), "{text}");
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("#a1"));
}

#[test]
fn person_dossier() {
    let mut app = demo_app();
    run(&mut app, &[Action::Open(TargetKind::Person, CARMEN)]);
    let text = screen(&app, 80, 24);
    assert!(text.contains("Carmen Peña Olmedo"), "{text}");
    insta::assert_snapshot!("person_overview", text);
    for tab in ["timeline", "followups", "links", "history"] {
        run(&mut app, &[Action::NextTab]);
        insta::assert_snapshot!(format!("person_{tab}"), screen(&app, 80, 24));
    }
    run(&mut app, &[Action::ChangeRole]);
    insta::assert_snapshot!("person_role_chooser", screen(&app, 80, 24));
    run(&mut app, &[Action::Back, Action::Help]);
    let help = screen(&app, 80, 24);
    assert!(
        help.contains("attitude") && help.contains("previous tab"),
        "{help}"
    );
    insta::assert_snapshot!("person_help", help);
    run(
        &mut app,
        &[
            Action::Back,
            Action::ChangeStage,
            Action::Down,
            Action::Save,
        ],
    );
    insta::assert_snapshot!("person_stage_reason", screen(&app, 80, 24));
}

#[test]
fn enter_on_the_agenda_opens_a_dossier_and_esc_comes_back() {
    let mut app = demo_app();
    let agenda = screen(&app, 80, 24);
    run(&mut app, &[Action::OpenSelected]);
    let dossier = screen(&app, 80, 24);
    assert_ne!(dossier, agenda);
    assert!(dossier.contains("Overview"), "{dossier}");
    run(&mut app, &[Action::Back]);
    assert_eq!(screen(&app, 80, 24), agenda);
}

#[test]
fn a_stage_change_is_recorded_with_its_reason() {
    let mut app = demo_app();
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, HOSPITAL),
            Action::ChangeStage,
        ],
    );
    let before = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    run(&mut app, &[Action::Down, Action::Save]);
    assert!(screen(&app, 80, 24).contains("Why? (optional)"));
    type_text(&mut app, "Signed the framework agreement");
    run(&mut app, &[Action::Save]);
    let after = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    assert_ne!(after.stage, before.stage);
    let history = app
        .store()
        .reader()
        .stage_history(Ladder::Account, HOSPITAL)
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.from.as_deref(), before.stage.map(Vocabulary::as_str));
    assert_eq!(Some(last.to.as_str()), after.stage.map(Vocabulary::as_str));
    assert_eq!(last.note.as_deref(), Some("Signed the framework agreement"));
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with("#a1 Hospital Universitario Virgen de la Peña: "),
        "{:?}",
        app.status()
    );
    run(&mut app, &[Action::PrevTab]);
    let text = screen(&app, 80, 24);
    assert!(text.contains("Signed the framework agreement"), "{text}");
    insta::assert_snapshot!("account_stage_changed", text);
}

#[test]
fn a_role_change_is_saved() {
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::ChangeRole],
    );
    let before = app.store().reader().person(CARMEN).unwrap().unwrap();
    run(&mut app, &[Action::Down, Action::Save]);
    let after = app.store().reader().person(CARMEN).unwrap().unwrap();
    assert_ne!(after.0.role, before.0.role);
    assert_eq!(after.1.version, before.1.version + 1);
    assert!(
        app.status().unwrap_or("").starts_with("Saved person #p1 "),
        "{:?}",
        app.status()
    );
    // The dossier was reloaded: a second change goes through on the new version.
    run(
        &mut app,
        &[Action::ChangeAttitude, Action::Down, Action::Save],
    );
    let again = app.store().reader().person(CARMEN).unwrap().unwrap();
    assert_eq!(again.1.version, before.1.version + 2);
}

#[test]
fn a_conflicting_edit_is_reported_not_overwritten() {
    let (mut app, _dir, path) = demo_app_on_file();
    run(&mut app, &[Action::Open(TargetKind::Person, CARMEN)]);
    // Someone else edits Carmen after the dossier was loaded.
    let mut other = Store::open(&path).unwrap();
    let (carmen, stamp) = other.reader().person(CARMEN).unwrap().unwrap();
    let theirs = Person {
        title: Some("Directora Médica".into()),
        ..carmen
    };
    other
        .write(morning().fixed_offset(), |w| {
            w.update_person(&theirs, stamp.version)
        })
        .unwrap();
    run(
        &mut app,
        &[Action::ChangeAttitude, Action::Down, Action::Save],
    );
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Conflict: "), "{status}");
    let now = other.reader().person(CARMEN).unwrap().unwrap().0;
    assert_eq!(now, theirs, "the other write survives untouched");
    // Stage moves check the version too.
    let mut again = Store::open(&path).unwrap();
    let (p, st) = again.reader().person(CARMEN).unwrap().unwrap();
    again
        .write(morning().fixed_offset(), |w| {
            w.update_person(
                &Person {
                    tags: vec!["kol".into()],
                    ..p
                },
                st.version,
            )
        })
        .unwrap();
    let history = again
        .reader()
        .stage_history(Ladder::Person, CARMEN)
        .unwrap()
        .len();
    run(&mut app, &[Action::ChangeStage, Action::Down, Action::Save]);
    type_text(&mut app, "too late");
    run(&mut app, &[Action::Save]);
    assert!(app.status().unwrap_or("").starts_with("Conflict: "));
    assert_eq!(
        again
            .reader()
            .stage_history(Ladder::Person, CARMEN)
            .unwrap()
            .len(),
        history
    );
}

#[test]
fn the_timeline_loads_the_next_window_near_its_end() {
    use kamnote::domain::{Extra, Interaction, InteractionKind, InteractionStatus};
    let (mut app, _dir, path) = demo_app_on_file();
    let mut other = Store::open(&path).unwrap();
    let base = morning().fixed_offset() - chrono::Duration::days(400);
    other
        .write(morning().fixed_offset(), |w| {
            for n in 0..45 {
                let note = Interaction {
                    id: 0,
                    uid: format!("test-note-{n}"),
                    kind: InteractionKind::Note,
                    at: base + chrono::Duration::hours(n),
                    end: None,
                    account: Some(HOSPITAL),
                    people: Vec::new(),
                    mentioned: Vec::new(),
                    title: Some(format!("Old note {n}")),
                    body: Some("line one\nline two".into()),
                    location: None,
                    status: InteractionStatus::Done,
                    outcome: None,
                    tags: Vec::new(),
                    extra: Extra::new(),
                };
                w.upsert_interaction(&note, None, None)?;
            }
            Ok(())
        })
        .unwrap();
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, HOSPITAL),
            Action::NextTab,
            Action::NextTab,
        ],
    );
    assert!(screen(&app, 80, 24).contains("Timeline 50+"));
    run(&mut app, &[Action::Bottom]);
    let text = screen(&app, 80, 24);
    assert!(text.contains("Timeline 79 "), "{text}");
    // A reload keeps what was loaded, and the end of the list is reachable.
    run(&mut app, &[Action::Refresh, Action::Bottom]);
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("Timeline 79 ") && text.contains("Old note 0"),
        "{text}"
    );
}

#[test]
fn wide_and_hostile_names_keep_the_people_columns() {
    let (mut app, _dir, path) = demo_app_on_file();
    let mut other = Store::open(&path).unwrap();
    let (p, st) = other.reader().person(CARMEN).unwrap().unwrap();
    other
        .write(morning().fixed_offset(), |w| {
            w.update_person(
                &Person {
                    name: "王小明 🎉\u{1b}[31m Peña".into(),
                    ..p
                },
                st.version,
            )
        })
        .unwrap();
    run(
        &mut app,
        &[Action::Open(TargetKind::Account, HOSPITAL), Action::NextTab],
    );
    let text = screen(&app, 80, 24);
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(text.contains("王小明 🎉\\x1b[31m"), "{text}");
    // Each person's line keeps its attitude in view at 80 columns, wide names or not (the job
    // title comes last, where a narrow screen cuts).
    let buyers: Vec<&str> = text.lines().filter(|l| l.contains("-buyer")).collect();
    assert!(buyers.len() >= 3, "{text}");
    for line in buyers {
        assert!(
            ["champion", "supporter", "neutral", "skeptic", "opponent"]
                .iter()
                .any(|a| line.contains(a)),
            "{line}"
        );
        assert!(kamnote::text::width(line) <= 80, "{line}");
    }
}

// ---- capture popup -------------------------------------------------------------------------

fn key(app: &mut App, code: crossterm::event::KeyCode) {
    use crossterm::event::{KeyEvent, KeyModifiers};
    run(
        app,
        &[Action::Input(KeyEvent::new(code, KeyModifiers::NONE))],
    );
}

fn count(path: &std::path::Path, table: &str) -> i64 {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

/// Walks down the agenda to its first meeting and marks it done (`d`).
fn done_on_first_meeting(app: &mut App) {
    for _ in 0..40 {
        run(app, &[Action::MeetingDone]);
        if !app.status().unwrap_or("").starts_with("Select a meeting") {
            return;
        }
        run(app, &[Action::Down]);
    }
    panic!("no meeting on the agenda");
}

#[test]
fn after_visit_meeting_done_outcome_and_follow_up() {
    use kamnote::domain::{Due, InteractionStatus};
    let (mut app, _dir, path) = demo_app_on_file();
    let followups = count(&path, "followups");
    done_on_first_meeting(&mut app);
    // The first meeting is still ahead: `d` asks first, then opens the outcome.
    let asked = screen(&app, 80, 24);
    assert!(asked.contains("mark it done now? y/n"), "{asked}");
    run(&mut app, &[Action::Save]);
    type_text(&mut app, "Pharmacy committee agreed to pilot the switch");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "+3d call Carmen");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("→ Mon 30 Nov 2026 (in 3 days) · call Carmen"),
        "{text}"
    );
    insta::assert_snapshot!("capture_outcome", text);
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Done #i"),
        "{:?}",
        app.status()
    );
    assert_eq!(count(&path, "followups"), followups + 1);
    let reader = app.store().reader();
    let f = reader
        .open_followups_until(today() + chrono::Duration::days(30), &chrono::Local, 1000)
        .unwrap()
        .into_iter()
        .map(|r| r.followup)
        .find(|f| f.text == "call Carmen")
        .unwrap();
    assert_eq!(f.due, Due::Day(today() + chrono::Duration::days(3)));
    let (meeting, _) = reader.interaction(f.interaction.unwrap()).unwrap().unwrap();
    assert_eq!(meeting.status, InteractionStatus::Done);
    assert_eq!(
        meeting.outcome.as_deref(),
        Some("Pharmacy committee agreed to pilot the switch")
    );
    assert_eq!(f.account, meeting.account);
    assert_eq!(f.person, meeting.people.first().copied());
    assert!(f.person.is_some());
    // A meeting already done is not done twice.
    run(&mut app, &[Action::MeetingDone]);
    let status = app.status().unwrap_or("").to_string();
    assert!(
        status.contains("already done") || status.starts_with("Select a meeting"),
        "{status}"
    );
    assert_eq!(count(&path, "followups"), followups + 1);
}

#[test]
fn a_capture_with_an_impossible_date_shows_the_error_and_saves_nothing() {
    let (mut app, _dir, path) = demo_app_on_file();
    let (interactions, followups) = (count(&path, "interactions"), count(&path, "followups"));
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::FollowUp)],
    );
    type_text(&mut app, "Send the deck");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "2026-02-30");
    let text = screen(&app, 80, 24);
    assert!(text.contains("February 2026 has 28 days"), "{text}");
    insta::assert_snapshot!("capture_followup_bad_date", text);
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .contains("February 2026 has 28 days"),
        "{:?}",
        app.status()
    );
    // The note's next follow-up is checked the same way.
    run(&mut app, &[Action::Back]);
    key(&mut app, crossterm::event::KeyCode::Char('y'));
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    type_text(&mut app, "Met at the congress");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "2026-02-30 call back");
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .contains("February 2026 has 28 days"),
        "{:?}",
        app.status()
    );
    assert_eq!(count(&path, "interactions"), interactions);
    assert_eq!(count(&path, "followups"), followups);
}

#[test]
fn a_note_from_a_person_row_is_linked_to_the_person_and_account() {
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Account, HOSPITAL), Action::NextTab],
    );
    let people = app.store().reader().people(Some(HOSPITAL), 200, 0).unwrap();
    let at = people.iter().position(|p| p.id == CARMEN).unwrap();
    for _ in 0..at {
        run(&mut app, &[Action::Down]);
    }
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    type_text(&mut app, "Prefers early meetings");
    key(&mut app, crossterm::event::KeyCode::Enter);
    type_text(&mut app, "Asked for the switching data");
    let text = screen(&app, 80, 24);
    assert!(text.contains("person · Carmen Peña Olmedo"), "{text}");
    insta::assert_snapshot!("capture_note", text);
    run(&mut app, &[Action::Save]);
    let timeline = app.store().reader().person_timeline(CARMEN, 5, 0).unwrap();
    let note = &timeline
        .iter()
        .find(|r| {
            r.interaction.body.as_deref()
                == Some("Prefers early meetings\nAsked for the switching data")
        })
        .unwrap()
        .interaction;
    assert_eq!(note.kind, kamnote::domain::InteractionKind::Note);
    // A note has no participants: the person it is about is mentioned (no contact).
    assert!(note.people.is_empty());
    assert_eq!(note.mentioned, vec![CARMEN]);
    assert_eq!(note.account, Some(HOSPITAL));
}

#[test]
fn the_picker_finds_nunez_without_accents_and_a_meeting_is_planned() {
    let mut app = demo_app();
    let nunez = app
        .store()
        .reader()
        .match_names(&[TargetKind::Person], "Íñigo Núñez Peña", 5)
        .unwrap()[0]
        .id;
    // From the agenda's follow-up the target is prefilled: Shift-Tab back to the picker.
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Meeting)],
    );
    run(&mut app, &[Action::PrevTab]);
    type_text(&mut app, "nunez");
    let text = screen(&app, 80, 24);
    assert!(text.contains("person  Íñigo Núñez Peña"), "{text}");
    insta::assert_snapshot!("capture_picker", text);
    type_text(&mut app, " pen");
    let text = screen(&app, 80, 24);
    let first = text
        .lines()
        .find(|l| l.contains("person  ") || l.contains("account "))
        .unwrap();
    assert!(first.contains("Íñigo Núñez Peña"), "{text}");
    key(&mut app, crossterm::event::KeyCode::Enter);
    type_text(&mut app, "tomorrow 10:00");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "1h30");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "Despacho 3");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "Tender Q1 review");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("→ Sat 28 Nov 2026 10:00 (tomorrow)"),
        "{text}"
    );
    insta::assert_snapshot!("capture_meeting", text);
    run(&mut app, &[Action::Save]);
    let timeline = app.store().reader().person_timeline(nunez, 50, 0).unwrap();
    let meeting = &timeline
        .iter()
        .find(|r| r.interaction.title.as_deref() == Some("Tender Q1 review"))
        .unwrap()
        .interaction;
    assert_eq!(meeting.location.as_deref(), Some("Despacho 3"));
    assert_eq!(
        meeting.end.unwrap() - meeting.at,
        chrono::Duration::minutes(90)
    );
    assert_eq!(meeting.status, kamnote::domain::InteractionStatus::Planned);
}

#[test]
fn a_draft_left_unsaved_is_offered_back_on_the_next_start() {
    let (mut app, _dir, path) = demo_app_on_file();
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    type_text(&mut app, "Half-typed thoughts on the tender");
    app.tick();
    drop(app);
    let interactions = count(&path, "interactions");
    let clock = Clock::fixed(morning().to_utc());
    let mut app = App::new(Store::open(&path).unwrap(), clock, Theme::plain());
    let status = app.status().unwrap_or("").to_string();
    assert!(
        status.starts_with("Recovered an unsaved note from 08:10 — Ctrl-S saves"),
        "{status}"
    );
    let text = screen(&app, 80, 24);
    assert!(text.contains("Half-typed thoughts on the tender"), "{text}");
    insta::assert_snapshot!("capture_recovered", text);
    run(&mut app, &[Action::Save]);
    assert_eq!(count(&path, "interactions"), interactions + 1);
    assert_eq!(count(&path, "drafts"), 0);
    // Typed, then thrown away with Esc, y: no draft, nothing offered.
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    type_text(&mut app, "never mind");
    app.tick();
    assert_eq!(count(&path, "drafts"), 1);
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("Discard this note? y/n"));
    key(&mut app, crossterm::event::KeyCode::Char('y'));
    assert_eq!(count(&path, "drafts"), 0);
    drop(app);
    let app = App::new(
        Store::open(&path).unwrap(),
        Clock::fixed(morning().to_utc()),
        Theme::plain(),
    );
    assert_eq!(app.status(), None);
}

#[test]
fn the_editor_text_comes_back_into_the_capture() {
    let mut app = demo_app();
    assert_eq!(app.editor_text(), None);
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    type_text(&mut app, "first");
    assert_eq!(app.editor_text().as_deref(), Some("first"));
    app.editor_returned(Ok("first\nsecond \u{202e}line\n".into()));
    let text = screen(&app, 80, 24);
    assert!(text.contains("second"), "{text}");
    assert!(!text.contains('\u{202e}'));
    app.editor_returned(Err("the editor exited with 1".into()));
    assert_eq!(app.status(), Some("the editor exited with 1"));
    assert_eq!(
        app.editor_text().as_deref(),
        Some("first\nsecond \u{202e}line")
    );
}

// ---- edit form -----------------------------------------------------------------------------

#[test]
fn the_edit_form_checks_as_you_type_and_saves_with_the_version() {
    use crossterm::event::KeyCode;
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    let before = app.store().reader().person(CARMEN).unwrap().unwrap();
    // Down to "influence" (the sixth field), replace it with 7: refused inline.
    for _ in 0..5 {
        run(&mut app, &[Action::NextTab]);
    }
    key(&mut app, KeyCode::Backspace);
    type_text(&mut app, "7");
    let text = screen(&app, 80, 24);
    assert!(text.contains("1 (little) to 5 (decides)"), "{text}");
    insta::assert_snapshot!("person_edit_form", text);
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with("Not saved — influence"),
        "{:?}",
        app.status()
    );
    assert_eq!(
        app.store().reader().person(CARMEN).unwrap().unwrap(),
        before
    );
    key(&mut app, KeyCode::Backspace);
    type_text(&mut app, "4");
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Saved person #p1 "),
        "{:?}",
        app.status()
    );
    let (after, stamp) = app.store().reader().person(CARMEN).unwrap().unwrap();
    assert_eq!(after.influence, Some(4));
    assert_eq!(stamp.version, before.1.version + 1);
}

#[test]
fn esc_on_a_changed_form_asks_before_discarding() {
    use crossterm::event::KeyCode;
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Account, HOSPITAL), Action::Edit],
    );
    type_text(&mut app, " (HUVP)");
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("Discard your changes?"));
    key(&mut app, KeyCode::Char('n'));
    assert!(screen(&app, 80, 24).contains("Edit Hospital"));
    run(&mut app, &[Action::Back]);
    key(&mut app, KeyCode::Char('y'));
    assert_eq!(app.status(), Some("Changes discarded"));
    let (a, _) = app.store().reader().account(HOSPITAL).unwrap().unwrap();
    assert!(!a.name.contains("HUVP"));
}

fn key_action(app: &App, code: crossterm::event::KeyCode) -> Option<Action> {
    app.key(&crossterm::event::KeyEvent::new(
        code,
        crossterm::event::KeyModifiers::NONE,
    ))
}

/// Presses `text` through the keymap, as the event loop would.
fn press(app: &mut App, text: &str) {
    for c in text.chars() {
        if let Some(a) = key_action(app, crossterm::event::KeyCode::Char(c)) {
            run(app, &[a]);
        }
    }
}

#[test]
fn the_accounts_and_people_lists() {
    use kamnote::tui::ScreenKind;
    let mut app = demo_app();
    assert_eq!(
        key_action(&app, crossterm::event::KeyCode::Char('2')),
        Some(Action::Go(ScreenKind::Accounts))
    );
    press(&mut app, "2");
    let accounts = screen(&app, 80, 24);
    assert!(
        accounts.contains("Agrupación de Farma") && accounts.contains("1 of 30 "),
        "{accounts}"
    );
    insta::assert_snapshot!("accounts_list", accounts);
    press(&mut app, "3");
    let people = screen(&app, 80, 24);
    assert!(people.contains("Name ▲"), "{people}");
    insta::assert_snapshot!("people_list", people);
    // The stack is the agenda and one list: back goes to the agenda.
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("Overdue follow-ups"));
}

#[test]
fn the_filter_is_accent_insensitive_and_as_you_type() {
    use crossterm::event::KeyCode;
    let mut app = demo_app();
    press(&mut app, "3/");
    // While the filter has the focus, `n` is a letter, not a note.
    assert!(matches!(
        key_action(&app, KeyCode::Char('n')),
        Some(Action::Input(_))
    ));
    press(&mut app, "nu");
    let partial = screen(&app, 80, 24);
    press(&mut app, "nez");
    let text = screen(&app, 80, 24);
    assert_ne!(partial, text);
    assert!(text.contains("/nunez"), "{text}");
    // Wide enough for whole names, every row is a Núñez.
    let wide = screen(&app, 160, 24);
    let rows: Vec<&str> = wide.lines().skip(3).take_while(|l| !l.is_empty()).collect();
    assert!(!rows.is_empty(), "{wide}");
    for row in &rows {
        assert!(row.contains("Núñez"), "{row}");
    }
    let total = app.store().reader().person_count("nunez").unwrap();
    assert!(text.contains(&format!("1 of {total} ")), "{text}");
    insta::assert_snapshot!("people_filtered", text);
    // Enter keeps the filter and gives the keys back to the list; Esc in the filter clears it.
    let enter = key_action(&app, KeyCode::Enter).unwrap();
    run(&mut app, &[enter]);
    assert_eq!(key_action(&app, KeyCode::Char('j')), Some(Action::Down));
    assert!(screen(&app, 80, 24).contains("/nunez"));
    press(&mut app, "/");
    let esc = key_action(&app, KeyCode::Esc).unwrap();
    assert_eq!(esc, Action::ClearFilter);
    run(&mut app, &[esc]);
    let all = app.store().reader().person_count("").unwrap();
    let text = screen(&app, 80, 24);
    assert!(text.contains(&format!("1 of {all} ")), "{text}");
    assert!(text.contains("/ to filter"), "{text}");
    // A filter that matches nothing says so.
    press(&mut app, "/zzzq");
    assert!(screen(&app, 80, 24).contains("No people match “zzzq”"));
}

#[test]
fn sort_keys_cycle_and_flip() {
    let mut app = demo_app();
    press(&mut app, "2o");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("Tier▲") && text.contains("by tier ▲"),
        "{text}"
    );
    let first = text.lines().nth(3).unwrap();
    assert!(first.trim_start().starts_with("A "), "{first}");
    insta::assert_snapshot!("accounts_by_tier", text);
    press(&mut app, "O");
    let text = screen(&app, 80, 24);
    assert!(text.contains("Tier▼"), "{text}");
    let first = text.lines().nth(3).unwrap();
    assert!(!first.trim_start().starts_with("A "), "{first}");
    // People: name, account, influence (highest first).
    press(&mut app, "3oo");
    let text = screen(&app, 80, 24);
    assert!(text.contains("Inf▼"), "{text}");
    let rows = app
        .store()
        .reader()
        .person_rows(
            &kamnote::store::ListQuery {
                sort: kamnote::store::PersonSort::Influence,
                descending: true,
                limit: 1,
                ..Default::default()
            },
            &chrono::Local,
        )
        .unwrap();
    let start: String = rows[0].name.chars().take(6).collect();
    assert!(text.lines().nth(3).unwrap().contains(&start), "{text}");
}

#[test]
fn enter_on_a_list_opens_the_dossier_and_the_selection_survives_a_reload() {
    let mut app = demo_app();
    press(&mut app, "3jjj");
    let list = screen(&app, 80, 24);
    let reader_rows = app
        .store()
        .reader()
        .person_rows(
            &kamnote::store::ListQuery {
                limit: 4,
                ..Default::default()
            },
            &chrono::Local,
        )
        .unwrap();
    let fourth = &reader_rows[3];
    assert!(list.contains("4 of "), "{list}");
    run(&mut app, &[Action::Refresh]);
    assert_eq!(screen(&app, 80, 24), list);
    run(&mut app, &[Action::OpenSelected]);
    let dossier = screen(&app, 80, 24);
    assert!(dossier.contains(&format!("#p{}", fourth.id)), "{dossier}");
    run(&mut app, &[Action::Back]);
    assert_eq!(screen(&app, 80, 24), list);
    // `2` then `3` again starts the people list afresh; `3` from its own dossier keeps it.
    run(&mut app, &[Action::OpenSelected]);
    press(&mut app, "3");
    assert_eq!(screen(&app, 80, 24), list);
    press(&mut app, "23");
    assert!(screen(&app, 80, 24).contains("1 of "));
    // Accounts open account dossiers.
    press(&mut app, "2");
    run(&mut app, &[Action::OpenSelected]);
    assert!(screen(&app, 80, 24).contains("#a"));
}

#[test]
fn lists_page_through_windows_and_never_load_everything() {
    let (mut app, _dir, path) = demo_app_on_file();
    let mut other = Store::open(&path).unwrap();
    other
        .write(morning().fixed_offset(), |w| {
            for n in 0..300 {
                let p = Person {
                    uid: format!("paging-{n}"),
                    name: format!("Zz Paging {n:03}"),
                    ..Person::default()
                };
                w.upsert_person(&p, None, None)?;
            }
            Ok(())
        })
        .unwrap();
    let total = other.reader().person_count("").unwrap();
    let name_at = |offset: u32| {
        other
            .reader()
            .person_rows(
                &kamnote::store::ListQuery {
                    limit: 1,
                    offset,
                    ..Default::default()
                },
                &chrono::Local,
            )
            .unwrap()
            .remove(0)
            .name
            // As much as the narrowest column shows ("Dr. Íñigo Núñe…").
            .chars()
            .take(12)
            .collect::<String>()
    };
    press(&mut app, "3");
    for _ in 0..150 {
        run(&mut app, &[Action::Down]);
    }
    let text = screen(&app, 80, 24);
    assert!(text.contains(&format!("151 of {total} ")), "{text}");
    assert!(text.contains(&name_at(150)), "{text}");
    // Every row above the cursor on screen is loaded.
    assert!(text.contains(&name_at(140)), "{text}");
    run(&mut app, &[Action::Bottom]);
    let text = screen(&app, 80, 24);
    assert!(text.contains(&format!("{total} of {total} ")), "{text}");
    let last = u32::try_from(total - 1).unwrap();
    assert!(text.contains(&name_at(last)), "{text}");
    run(&mut app, &[Action::PageUp, Action::PageUp, Action::PageUp]);
    let text = screen(&app, 80, 24);
    let at = total - 60;
    assert!(text.contains(&format!("{at} of {total} ")), "{text}");
    assert!(
        text.contains(&name_at(u32::try_from(at - 1).unwrap())),
        "{text}"
    );
    run(&mut app, &[Action::Top]);
    assert!(screen(&app, 80, 24).contains(&format!("1 of {total} ")));
}

#[test]
fn lists_lay_out_at_40_by_12() {
    let mut app = demo_app();
    press(&mut app, "2");
    let accounts = screen(&app, 40, 12);
    insta::assert_snapshot!("accounts_40x12", accounts);
    press(&mut app, "3");
    let people = screen(&app, 40, 12);
    assert!(people.lines().all(|l| kamnote::text::width(l) <= 40));
    insta::assert_snapshot!("people_40x12", people);
    for (w, h) in [(41, 13), (120, 40), (300, 100), (39, 11)] {
        let _ = screen(&app, w, h);
    }
}

#[test]
fn a_reload_keeps_the_same_person_selected_and_help_shows_the_list_keys() {
    let (mut app, _dir, path) = demo_app_on_file();
    press(&mut app, "3jjj");
    assert!(screen(&app, 80, 24).contains("4 of 121 "));
    // Someone adds a person who sorts first: the selection follows its record to row 5.
    let mut other = Store::open(&path).unwrap();
    other
        .write(morning().fixed_offset(), |w| {
            let p = Person {
                uid: "aaa-first".into(),
                name: "Aaron Aaronson".into(),
                ..Person::default()
            };
            w.upsert_person(&p, None, None).map(|_| ())
        })
        .unwrap();
    assert!(app.tick());
    assert!(screen(&app, 80, 24).contains("5 of 122 "));
    run(&mut app, &[Action::Help]);
    let help = screen(&app, 80, 24);
    assert!(
        help.contains("reverse sort") && help.contains("filter"),
        "{help}"
    );
    insta::assert_snapshot!("people_help", help);
}

#[test]
fn an_edit_that_conflicts_keeps_what_was_typed_and_saves_it_on_purpose() {
    let (mut app, _dir, path) = demo_app_on_file();
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    // Someone else changes Carmen while the form is open.
    let mut other = Store::open(&path).unwrap();
    let (carmen, stamp) = other.reader().person(CARMEN).unwrap().unwrap();
    let theirs = Person {
        tags: vec!["theirs".into()],
        ..carmen
    };
    other
        .write(morning().fixed_offset(), |w| {
            w.update_person(&theirs, stamp.version)
        })
        .unwrap();
    // Our change: the title (the second field).
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, " (interina)");
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Conflict: "),
        "{:?}",
        app.status()
    );
    let now = other.reader().person(CARMEN).unwrap().unwrap().0;
    assert_eq!(now, theirs, "nothing overwritten on the first try");
    assert!(
        screen(&app, 80, 24).contains("(interina)"),
        "the form stays open with our text"
    );
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Saved person #p1 "),
        "{:?}",
        app.status()
    );
    let saved = other.reader().person(CARMEN).unwrap().unwrap().0;
    assert!(saved.title.unwrap_or_default().ends_with("(interina)"));
}

#[test]
fn esc_stops_at_the_agenda_and_ctrl_c_quits_from_a_popup() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let mut app = demo_app();
    let esc = app
        .key(&KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE))
        .unwrap();
    run(&mut app, &[esc]);
    assert!(!app.should_quit(), "Esc on the agenda does not quit");
    run(&mut app, &[Action::Snooze]);
    let ctrl_c = app
        .key(&KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
        .unwrap();
    assert_eq!(ctrl_c, Action::Quit);
    let mut app = demo_app();
    let q = app
        .key(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE))
        .unwrap();
    run(&mut app, &[q]);
    assert!(app.should_quit(), "q on the agenda quits");
}

#[test]
fn an_agenda_left_open_overnight_moves_to_the_new_day() {
    let mut app = demo_app();
    assert!(screen(&app, 80, 24).contains("Fri 27 Nov 2026 (today)"));
    let next_morning = Local
        .from_local_datetime(&today().succ_opt().unwrap().and_hms_opt(7, 0, 0).unwrap())
        .earliest()
        .unwrap();
    app.set_clock(Clock::fixed(next_morning.to_utc()));
    assert!(app.tick(), "a new day redraws");
    assert!(
        screen(&app, 80, 24).contains("Sat 28 Nov 2026 (today)"),
        "{}",
        screen(&app, 80, 24)
    );
    // A day chosen by hand stays where it is.
    run(&mut app, &[Action::NextDay]);
    let later = next_morning + chrono::Duration::days(1);
    app.set_clock(Clock::fixed(later.to_utc()));
    app.tick();
    assert!(screen(&app, 80, 24).contains("Sun 29 Nov 2026 (today)"));
}

#[test]
fn done_on_a_follow_up_changed_elsewhere_is_reported_not_written() {
    let (mut app, _dir, path) = demo_app_on_file();
    // The first entry of the agenda is the oldest overdue follow-up; someone snoozes it meanwhile.
    let mut other = Store::open(&path).unwrap();
    let (f, stamp) = other
        .reader()
        .open_followups_until(today(), &chrono::Local, 1)
        .unwrap()
        .into_iter()
        .map(|r| (r.followup, r.version))
        .next()
        .unwrap();
    other
        .write(morning().fixed_offset(), |w| {
            w.snooze_followup(f.id, stamp, kamnote::domain::Due::Day(today()))
        })
        .unwrap();
    run(&mut app, &[Action::FollowUpDone]);
    assert!(
        app.status().unwrap_or("").starts_with("Conflict: "),
        "{:?}",
        app.status()
    );
    let (after, _) = other.reader().followup(f.id).unwrap().unwrap();
    assert_eq!(
        after.status,
        kamnote::domain::FollowUpStatus::Open,
        "not marked done"
    );
    assert_eq!(after.due.day(), today(), "their snooze stands");
}

#[test]
fn the_picker_is_fuzzy_when_word_prefixes_find_nothing() {
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    run(&mut app, &[Action::PrevTab]);
    // No name has a word starting "crmn": the recently contacted names are scored fuzzily.
    type_text(&mut app, "crmn pena");
    let text = screen(&app, 80, 24);
    let first = text
        .lines()
        .find(|l| l.contains("person  ") || l.contains("account "))
        .unwrap_or("");
    assert!(first.contains("Carmen Peña"), "{text}");
}

/// A key (not only a character) through the keymap of the moment, carried out.
fn press_key(app: &mut App, code: crossterm::event::KeyCode) {
    if let Some(action) = key_action(app, code) {
        run(app, &[action]);
    }
}

#[test]
fn the_map_tab_draws_the_power_map_and_enter_opens_a_person() {
    use crossterm::event::KeyCode;
    let mut app = demo_app();
    run(&mut app, &[Action::Open(TargetKind::Account, HOSPITAL)]);
    for _ in 0..5 {
        press_key(&mut app, KeyCode::Tab);
    }
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("├─ Carmen Peña Olmedo") && text.contains("economic-buyer"),
        "{text}"
    );
    insta::assert_snapshot!("account_map", text);
    // At 40 columns the tabs before it give way: the current tab stays in view.
    let narrow = screen(&app, 40, 12);
    assert!(narrow.lines().nth(2).unwrap().contains("Map"), "{narrow}");
    assert!(narrow.contains("├─ Javier Ortega Núñez"), "{narrow}");
    // The end of the map (cross links, legend) scrolls into view.
    press_key(&mut app, KeyCode::Char('G'));
    let end = screen(&app, 80, 24);
    assert!(
        end.contains("─rival─") && end.contains("influence 3 of 5"),
        "{end}"
    );
    insta::assert_snapshot!("account_map_end", end);
    // Down to Carmen (the second person drawn) and open her.
    press_key(&mut app, KeyCode::Char('g'));
    press_key(&mut app, KeyCode::Char('j'));
    press_key(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24);
    assert!(text.contains("#p1 Carmen Peña Olmedo"), "{text}");
}

#[test]
fn a_link_is_added_and_removed_by_keys_from_the_person_dossier() {
    use crossterm::event::KeyCode;
    use kamnote::domain::LinkKind;
    let mut app = demo_app();
    run(&mut app, &[Action::Open(TargetKind::Person, CARMEN)]);
    let rosa = app
        .store()
        .reader()
        .people(Some(HOSPITAL), 200, 0)
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Rosa Márquez Gil")
        .unwrap()
        .id;
    let before = app.store().reader().links_of(CARMEN, 100).unwrap().1;
    // L, then the kind (rival is the fourth), then the person by name.
    press_key(&mut app, KeyCode::Char('L'));
    for _ in 0..3 {
        press_key(&mut app, KeyCode::Char('j'));
    }
    press_key(&mut app, KeyCode::Enter);
    for c in "rosa mar".chars() {
        press_key(&mut app, KeyCode::Char(c));
    }
    let picking = screen(&app, 80, 24);
    assert!(picking.contains("—rival→ whom?"), "{picking}");
    insta::assert_snapshot!("link_person_picker", picking);
    press_key(&mut app, KeyCode::Enter);
    assert!(
        app.store()
            .reader()
            .link_exists(CARMEN, rosa, LinkKind::Rival)
            .unwrap()
    );
    assert_eq!(
        app.status(),
        Some("#p1 Carmen Peña Olmedo —rival→ #p5 Rosa Márquez Gil")
    );
    // The same link twice is not added.
    press_key(&mut app, KeyCode::Char('L'));
    for _ in 0..3 {
        press_key(&mut app, KeyCode::Char('j'));
    }
    press_key(&mut app, KeyCode::Enter);
    for c in "rosa".chars() {
        press_key(&mut app, KeyCode::Char(c));
    }
    press_key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.store().reader().links_of(CARMEN, 100).unwrap().1,
        before + 1
    );

    // On the Links tab (Carmen's own links first: reports-to, ally, then the new rival), x
    // asks.
    for _ in 0..3 {
        press_key(&mut app, KeyCode::Tab);
    }
    press_key(&mut app, KeyCode::Char('j'));
    press_key(&mut app, KeyCode::Char('j'));
    press_key(&mut app, KeyCode::Char('x'));
    let asking = screen(&app, 80, 24);
    assert!(asking.contains("Remove this link?"), "{asking}");
    insta::assert_snapshot!("link_remove_confirm", asking);
    // n keeps it; x then y removes it.
    press_key(&mut app, KeyCode::Char('n'));
    assert_eq!(
        app.store().reader().links_of(CARMEN, 100).unwrap().1,
        before + 1
    );
    press_key(&mut app, KeyCode::Char('x'));
    press_key(&mut app, KeyCode::Char('y'));
    assert!(
        !app.store()
            .reader()
            .link_exists(CARMEN, rosa, LinkKind::Rival)
            .unwrap()
    );
    assert_eq!(
        app.store().reader().links_of(CARMEN, 100).unwrap().1,
        before
    );
    assert!(
        app.status().unwrap_or("").starts_with("removed: "),
        "{:?}",
        app.status()
    );
    // x off the Links tab only says where to go.
    press_key(&mut app, KeyCode::Tab);
    press_key(&mut app, KeyCode::Char('x'));
    assert_eq!(
        app.status(),
        Some("Select a link on the Links tab to remove it")
    );
}

#[test]
fn l_on_the_map_links_the_selected_person_and_a_second_manager_is_a_cross_link() {
    use crossterm::event::KeyCode;
    let mut app = demo_app();
    run(&mut app, &[Action::Open(TargetKind::Account, HOSPITAL)]);
    for _ in 0..5 {
        press_key(&mut app, KeyCode::Tab);
    }
    // Rosa is the tenth person drawn (under Ortega, after Carmen Peña's team); she also
    // reports to Salcedo.
    for _ in 0..9 {
        press_key(&mut app, KeyCode::Char('j'));
    }
    press_key(&mut app, KeyCode::Char('L'));
    assert!(screen(&app, 80, 24).contains("Rosa Márquez Gil —?→ someone"));
    press_key(&mut app, KeyCode::Enter);
    for c in "salcedo".chars() {
        press_key(&mut app, KeyCode::Char(c));
    }
    press_key(&mut app, KeyCode::Enter);
    assert_eq!(
        app.status(),
        Some("#p5 Rosa Márquez Gil —reports-to→ #p4 Alberto Salcedo Peña")
    );
    press_key(&mut app, KeyCode::Char('G'));
    let end = screen(&app, 80, 24);
    assert!(
        end.lines().any(|l| l.contains("Rosa Márquez Gil")
            && l.contains("─also reports to→  Alberto Salcedo Peña")),
        "{end}"
    );
}

/// Issue 4: `Enter` on a meeting of the agenda opens its prep screen; Enter on a person there
/// opens their dossier, Esc comes back to the prep, then to the agenda.
#[test]
fn enter_on_tomorrows_first_meeting_opens_its_prep() {
    let mut app = demo_app();
    run(&mut app, &[Action::NextDay]);
    let agenda = screen(&app, 80, 24);
    assert!(agenda.contains("Enter prep / open"), "{agenda}");
    // Walk down the agenda to the first meeting (after the overdue items).
    let mut prep = None;
    for _ in 0..12 {
        run(&mut app, &[Action::OpenSelected]);
        let text = screen(&app, 80, 24);
        if text.contains("Who will be there") {
            prep = Some(text);
            break;
        }
        run(&mut app, &[Action::Back, Action::Down]);
    }
    let prep = prep.expect("a meeting on tomorrow's agenda opens a prep");
    assert!(prep.contains("Preparación acuerdo marco"), "{prep}");
    // Narrow terminals wrap it; wide characters never split.
    let narrow = screen(&app, 40, 12);
    assert!(
        narrow.contains("Preparación") && narrow.contains("Meeting"),
        "{narrow}"
    );
    insta::assert_snapshot!("prep_tomorrow_first_meeting", prep);
    run(&mut app, &[Action::PageDown; 4]);
    insta::assert_snapshot!("prep_tomorrow_scrolled", screen(&app, 80, 24));
    run(&mut app, &[Action::Bottom]);
    let bottom = screen(&app, 80, 24);
    assert!(
        bottom.contains("Plans") && bottom.contains("34 %"),
        "{bottom}"
    );
    // Title, when, where, account, needs: the sixth item is the first attendee.
    run(&mut app, &[Action::Top]);
    let top = screen(&app, 80, 24);
    for _ in 0..5 {
        run(&mut app, &[Action::Down]);
    }
    run(&mut app, &[Action::OpenSelected]);
    let dossier = screen(&app, 80, 24);
    assert!(
        dossier.contains("Matías Grande Soler") && dossier.contains("Overview"),
        "{dossier}"
    );
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("Who will be there"));
    // The account line opens the account's dossier.
    for _ in 0..2 {
        run(&mut app, &[Action::Up]);
    }
    run(&mut app, &[Action::OpenSelected]);
    assert!(screen(&app, 80, 24).contains("Hospital Universitario Los Olmos"));
    run(&mut app, &[Action::Back, Action::Top]);
    assert_eq!(screen(&app, 80, 24), top);
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("Sat 28 Nov 2026 (tomorrow)"));
}

#[test]
fn the_worst_red_flags_are_one_key_from_the_agenda() {
    let mut app = demo_app();
    run(&mut app, &[Action::WorstRedFlags]);
    let agenda = screen(&app, 80, 24);
    assert!(agenda.contains("Red flags: the worst accounts"), "{agenda}");
    insta::assert_snapshot!("agenda_red_flags", agenda);
    run(&mut app, &[Action::OpenSelected]);
    let dossier = screen(&app, 80, 24);
    assert!(dossier.contains("Red flags ("), "{dossier}");
    insta::assert_snapshot!("account_red_flags", dossier);
}

#[test]
fn c_accepts_the_cooling_suggestion_with_its_reason() {
    let mut app = demo_app();
    // Ulises Cáceres Robles: influence 4 in a tier A account (every 23 days), silent for 95.
    let kossler = app
        .store()
        .reader()
        .match_names(&[TargetKind::Person], "Ulises Cáceres Robles", 5)
        .unwrap()[0]
        .id;
    run(&mut app, &[Action::Open(TargetKind::Person, kossler)]);
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("Suggested: cooling (no contact for 95 days)"),
        "{text}"
    );
    run(&mut app, &[Action::AcceptCooling]);
    let history = app
        .store()
        .reader()
        .stage_history(Ladder::Person, kossler)
        .unwrap();
    let last = history.last().unwrap();
    assert_eq!(last.to, "cooling");
    assert_eq!(last.note.as_deref(), Some("no contact for 95 days"));
    // Accepted: no longer suggested, and C says so instead of moving anything.
    let text = screen(&app, 80, 24);
    assert!(!text.contains("C accepts"), "{text}");
    run(&mut app, &[Action::AcceptCooling]);
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with("No cooling suggested"),
        "{:?}",
        app.status()
    );
    assert_eq!(
        app.store()
            .reader()
            .stage_history(Ladder::Person, kossler)
            .unwrap()
            .len(),
        history.len()
    );
}

#[test]
fn search_as_you_type_shows_highlighted_matches_and_opens_the_record() {
    use crossterm::event::KeyCode;
    let mut app = demo_app();
    // `/` from the agenda opens the search screen; every key then goes to the query.
    press(&mut app, "/");
    insta::assert_snapshot!("search_empty", screen(&app, 80, 24));
    press(&mut app, "nunez pen");
    assert!(app.pending(), "the search runs once the keys pause");
    run(&mut app, &[Action::Refresh]);
    assert!(!app.pending());
    let text = screen(&app, 80, 24);
    // "pen" is a prefix of Peña while it is being typed.
    assert!(text.contains("Íñigo Núñez Peña"), "{text}");
    insta::assert_snapshot!("search_nunez_pen", text);
    // Enter on a person opens their dossier; Esc comes back to the same results.
    run(&mut app, &[Action::OpenSelected]);
    let dossier = screen(&app, 80, 24);
    assert!(dossier.contains("Núñez"), "{dossier}");
    assert!(!dossier.contains("Search:"), "{dossier}");
    press_key(&mut app, KeyCode::Esc);
    assert!(screen(&app, 80, 24).contains("Search: nunez pen"));
    press_key(&mut app, KeyCode::Esc);
    assert!(!screen(&app, 80, 24).contains("Search:"));
}

#[test]
fn search_reports_query_mistakes_and_hostile_syntax_finds_text() {
    let mut app = demo_app();
    press(&mut app, "/");
    press(&mut app, "tender account:zzzzqq ");
    run(&mut app, &[Action::Refresh]);
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("account:zzzzqq: no account matches"),
        "{text}"
    );
    for _ in 0.."account:zzzzqq ".len() {
        press_key(&mut app, crossterm::event::KeyCode::Backspace);
    }
    press(&mut app, "\" AND ( * -");
    run(&mut app, &[Action::Refresh]);
    let text = screen(&app, 80, 24);
    assert!(!text.contains("fts5") && !text.contains("syntax"), "{text}");
    assert!(text.contains("tender"), "{text}");
    // On a list, `/` filters; Ctrl-F still searches.
    press_key(&mut app, crossterm::event::KeyCode::Esc);
    run(&mut app, &[Action::Go(kamnote::tui::ScreenKind::People)]);
    assert_eq!(
        key_action(&app, crossterm::event::KeyCode::Char('/')),
        Some(Action::Filter)
    );
    let ctrl_f = app.key(&crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('f'),
        crossterm::event::KeyModifiers::CONTROL,
    ));
    assert_eq!(ctrl_f, Some(Action::Search));
}

#[test]
fn mentions_in_a_captured_note_link_people_and_report_the_rest() {
    let mut app = demo_app();
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, HOSPITAL),
            Action::Capture(kamnote::tui::CaptureKind::Note),
        ],
    );
    type_text(&mut app, "Met @carmen.pena; @Sergio asked about @Zed");
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(
        status.contains("not linked: @Sergio (") && status.contains("@Zed (nobody)"),
        "{status}"
    );
    assert!(status.contains("linked: Carmen Peña Olmedo"), "{status}");
    let timeline = app.store().reader().person_timeline(CARMEN, 5, 0).unwrap();
    let note = timeline
        .iter()
        .find(|r| {
            r.interaction.body.as_deref() == Some("Met @carmen.pena; @Sergio asked about @Zed")
        })
        .unwrap();
    assert!(note.interaction.people.is_empty());
    assert_eq!(note.interaction.mentioned, vec![CARMEN]);
    assert_eq!(note.interaction.account, Some(HOSPITAL));
}

#[test]
fn the_header_names_every_main_screen_when_there_is_room() {
    let app = demo_app();
    let wide = screen(&app, 100, 30);
    let header = wide.lines().next().unwrap();
    assert!(
        header.contains("4 Deals") && header.contains("5 Insights"),
        "{header}"
    );
    // At 80 columns the first three stay and the clock keeps its place.
    let narrow = screen(&app, 80, 24);
    let header = narrow.lines().next().unwrap();
    assert!(
        header.contains("3 People") && !header.contains("4 Deals"),
        "{header}"
    );
    assert!(header.trim_end().ends_with("08:10"), "{header}");
}

/// Another window's follow-up, due `due`, written behind the app's back.
fn add_followup_elsewhere(path: &std::path::Path, text: &str, due: chrono::NaiveDate) -> i64 {
    use kamnote::domain::{Due, Extra, FollowUp, FollowUpStatus};
    let mut other = Store::open(path).unwrap();
    let f = FollowUp {
        id: 0,
        uid: format!("elsewhere-{text}"),
        text: text.into(),
        due: Due::Day(due),
        account: None,
        person: None,
        deal: None,
        interaction: None,
        repeat: None,
        status: FollowUpStatus::Open,
        done_at: None,
        priority: None,
        extra: Extra::new(),
    };
    other
        .write(morning().fixed_offset(), |w| {
            w.upsert_followup(&f, None, None)
        })
        .unwrap()
}

fn open_followups(path: &std::path::Path) -> Vec<String> {
    let other = Store::open(path).unwrap();
    other
        .reader()
        .open_followups_until(today(), &chrono::Local, 100)
        .unwrap()
        .into_iter()
        .map(|f| f.followup.text)
        .collect()
}

#[test]
fn x_completes_the_highlighted_follow_up_after_another_window_adds_one_above_it() {
    let (mut app, _dir, path) = demo_app_on_file();
    press(&mut app, "j");
    let before = screen(&app, 80, 24);
    assert!(before.contains("Answer Sara Sotillo"), "{before}");
    // Another window adds an older overdue follow-up: it comes first, above the highlight.
    add_followup_elsewhere(
        &path,
        "Older one from another window",
        today() - chrono::Days::new(20),
    );
    assert!(app.tick());
    assert!(screen(&app, 80, 24).contains("Older one from another window"));
    press(&mut app, "x");
    let status = app.status().unwrap_or("");
    assert!(
        status.starts_with("Done #f") && status.contains(": Answer Sara Sotillo"),
        "{status}"
    );
    let open = open_followups(&path);
    assert!(
        open.iter().any(|t| t == "Older one from another window"),
        "{open:?}"
    );
    assert!(
        !open.iter().any(|t| t.starts_with("Answer Sara Sotillo")),
        "{open:?}"
    );
    // The user's own `x` moves on to the next row, as before: `x` again completes it.
    press(&mut app, "x");
    let status = app.status().unwrap_or("");
    assert!(
        status.starts_with("Done #f") && status.contains(": Chase payment"),
        "{status}"
    );
}

#[test]
fn a_highlighted_follow_up_done_elsewhere_is_gone_and_keys_act_on_nothing() {
    let (mut app, _dir, path) = demo_app_on_file();
    press(&mut app, "j");
    // Another window completes the highlighted follow-up.
    let mut other = Store::open(&path).unwrap();
    let (id, version) = other
        .reader()
        .open_followups_until(today(), &chrono::Local, 100)
        .unwrap()
        .into_iter()
        .find(|f| f.followup.text.starts_with("Answer Sara Sotillo"))
        .map(|f| (f.followup.id, f.version))
        .unwrap();
    other
        .write(morning().fixed_offset(), |w| {
            w.complete_followup(id, version, today(), &Local)
                .map(|_| ())
        })
        .unwrap();
    assert!(app.tick());
    let open_before = open_followups(&path);
    for key in ["x", "s", "d"] {
        press(&mut app, key);
        let status = app.status().unwrap_or("").to_string();
        assert!(status.contains("no longer"), "{key}: {status}");
        assert_eq!(
            open_followups(&path),
            open_before,
            "{key} acted on another row"
        );
        run(&mut app, &[Action::Back]);
    }
    // Moving the cursor selects again.
    press(&mut app, "jx");
    assert!(
        app.status().unwrap_or("").starts_with("Done #f"),
        "{:?}",
        app.status()
    );
}

#[test]
fn x_on_the_links_tab_removes_the_highlighted_link_after_another_window_removes_one_above() {
    use crossterm::event::KeyCode;
    let (mut app, _dir, path) = demo_app_on_file();
    run(&mut app, &[Action::Open(TargetKind::Person, CARMEN)]);
    let links = app.store().reader().links_of(CARMEN, 100).unwrap().0;
    assert!(links.len() >= 3, "{links:?}");
    for _ in 0..3 {
        press_key(&mut app, KeyCode::Tab);
    }
    press_key(&mut app, KeyCode::Char('j'));
    press_key(&mut app, KeyCode::Char('x'));
    let asking = screen(&app, 80, 24);
    assert!(asking.contains(&links[1].1), "{asking}");
    press_key(&mut app, KeyCode::Char('n'));
    // Another window removes the link above the highlight.
    let mut other = Store::open(&path).unwrap();
    other
        .write(morning().fixed_offset(), |w| w.delete_link(links[0].0.id))
        .unwrap();
    assert!(app.tick());
    press_key(&mut app, KeyCode::Char('x'));
    let asking = screen(&app, 80, 24);
    assert!(asking.contains(&links[1].1), "{asking}");
    press_key(&mut app, KeyCode::Char('y'));
    let left: Vec<i64> = other
        .reader()
        .links_of(CARMEN, 100)
        .unwrap()
        .0
        .iter()
        .map(|(l, _)| l.id)
        .collect();
    let expected: Vec<i64> = links[2..].iter().map(|(l, _)| l.id).collect();
    assert_eq!(left, expected);
    // Removed elsewhere while highlighted: x acts on nothing and says so.
    let next = left[0];
    other
        .write(morning().fixed_offset(), |w| w.delete_link(next))
        .unwrap();
    assert!(app.tick());
    press_key(&mut app, KeyCode::Char('x'));
    assert!(
        app.status().unwrap_or("").contains("no longer listed"),
        "{:?}",
        app.status()
    );
}

/// Another process holds the notebook's write lock (`BEGIN IMMEDIATE`) and lets it go after a
/// while; returns once the lock is taken, with the thread that will release it.
fn hold_write_lock(path: &std::path::Path) -> std::thread::JoinHandle<()> {
    let path = path.to_path_buf();
    let (locked, taken) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        locked.send(()).unwrap();
        // Longer than the TUI would ever wait, shorter than the store's own busy timeout.
        std::thread::sleep(std::time::Duration::from_secs(2));
        conn.execute_batch("ROLLBACK").unwrap();
    });
    taken.recv().unwrap();
    holder
}

#[test]
fn a_held_write_lock_never_blocks_the_ui_the_draft_waits_in_memory_and_saves_on_retry() {
    let (mut app, _dir, path) = demo_app_on_file();
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    type_text(&mut app, "typed while another kam writes");
    let holder = hold_write_lock(&path);
    // The tick's draft save does not wait for the lock: busy, kept in memory, said so.
    app.tick();
    let drafts = Store::open(&path).unwrap().reader().drafts().unwrap();
    assert!(
        drafts.is_empty(),
        "the tick waited for the lock: {drafts:?}"
    );
    assert!(
        app.status().unwrap_or("").starts_with("Notebook busy"),
        "{:?}",
        app.status()
    );
    // Ctrl-S meets the lock: nothing saved, the popup keeps the text and says why.
    run(&mut app, &[Action::Save]);
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("typed while another kam writes"), "{shown}");
    assert!(shown.contains("Notebook busy"), "{shown}");
    holder.join().unwrap();
    // The lock is free again: the retry keeps the draft, and Ctrl-S saves the note.
    app.flush_draft();
    let drafts = Store::open(&path).unwrap().reader().drafts().unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].text, "typed while another kam writes");
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Saved"),
        "{:?}",
        app.status()
    );
    assert!(
        Store::open(&path)
            .unwrap()
            .reader()
            .drafts()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn saving_anyway_after_a_conflict_writes_only_the_fields_changed_in_the_form() {
    let (mut app, _dir, path) = demo_app_on_file();
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    // Window B changes the phone (X) and the title while A's form is open.
    let mut other = Store::open(&path).unwrap();
    let (carmen, stamp) = other.reader().person(CARMEN).unwrap().unwrap();
    let theirs = Person {
        phone: Some("+34 600 000 111".into()),
        title: Some("Jefa de Servicio".into()),
        ..carmen.clone()
    };
    other
        .write(morning().fixed_offset(), |w| {
            w.update_person(&theirs, stamp.version)
        })
        .unwrap();
    // A changes the title (Y) and the tags, and saves: a conflict, nothing written.
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, " (interina)");
    for _ in 0..7 {
        run(&mut app, &[Action::NextTab]);
    }
    type_text(&mut app, ", ours");
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Conflict: "), "{status}");
    // The other writer's value of the field both changed is shown.
    assert!(status.contains("title “Jefa de Servicio”"), "{status}");
    let form = screen(&app, 100, 40);
    assert!(form.contains("theirs: Jefa de Servicio"), "{form}");
    assert!(
        form.contains("+34 600 000 111"),
        "B's phone fills the untouched field: {form}"
    );
    // Save anyway: A's title and tags, B's phone.
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Saved person #p1 "),
        "{:?}",
        app.status()
    );
    let saved = other.reader().person(CARMEN).unwrap().unwrap().0;
    assert_eq!(
        saved.phone.as_deref(),
        Some("+34 600 000 111"),
        "B's phone kept"
    );
    assert_eq!(
        saved.title,
        carmen.title.map(|t| format!("{t} (interina)")),
        "A's title"
    );
    assert!(saved.tags.contains(&"ours".to_string()), "{:?}", saved.tags);
}

fn draft_texts(path: &std::path::Path) -> Vec<String> {
    let mut texts: Vec<String> = Store::open(path)
        .unwrap()
        .reader()
        .drafts()
        .unwrap()
        .into_iter()
        .map(|d| d.text)
        .collect();
    texts.sort();
    texts
}

#[test]
fn two_open_windows_keep_one_draft_each_and_a_new_window_offers_every_draft_left() {
    use kamnote::domain::{Draft, DraftKind};
    let (mut a, _dir, path) = demo_app_on_file();
    let window = || {
        App::new(
            Store::open(&path).unwrap(),
            Clock::fixed(morning().to_utc()),
            Theme::plain(),
        )
    };
    run(&mut a, &[Action::Capture(kamnote::tui::CaptureKind::Note)]);
    type_text(&mut a, "from window A");
    a.tick();
    // Window B opens while A is typing: A's draft is A's, not offered to B.
    let mut b = window();
    assert_eq!(b.status(), None, "B was offered A's open draft");
    run(&mut b, &[Action::Capture(kamnote::tui::CaptureKind::Note)]);
    type_text(&mut b, "from window B");
    b.tick();
    type_text(&mut a, ", more");
    a.flush_draft();
    b.flush_draft();
    assert_eq!(
        draft_texts(&path),
        ["from window A, more", "from window B"],
        "each window keeps its own draft"
    );
    // A draft left by no open window (from before windows had their own), saved after A's.
    let mut other = Store::open(&path).unwrap();
    let later = morning().fixed_offset() + chrono::Duration::minutes(5);
    other
        .write(later, |w| {
            let crashed = Draft {
                text: "from a crashed window".into(),
                ..Draft::new(DraftKind::Note)
            };
            w.save_draft(&crashed).map(|_| ())
        })
        .unwrap();
    // A ends with its capture unsaved; C starts: it offers every draft left (the crashed
    // window's, the newest, then A's), never B's, which B is still typing.
    drop(a);
    let mut c = window();
    let status = c.status().unwrap_or("").to_string();
    assert!(status.contains("(1 more after it)"), "{status}");
    assert!(screen(&c, 80, 24).contains("from a crashed window"));
    run(&mut c, &[Action::Back]);
    key(&mut c, crossterm::event::KeyCode::Char('y'));
    assert!(screen(&c, 80, 24).contains("from window A, more"));
    assert_eq!(draft_texts(&path), ["from window A, more", "from window B"]);
    // C's typing goes to A's old draft (now C's); B's stays as B left it.
    type_text(&mut c, " and C");
    c.flush_draft();
    type_text(&mut b, " still");
    b.flush_draft();
    assert_eq!(
        draft_texts(&path),
        ["from window A, more and C", "from window B still"]
    );
    // Saving C's capture removes only its own draft.
    run(&mut c, &[Action::Save]);
    assert_eq!(draft_texts(&path), ["from window B still"]);
}

#[test]
fn the_edit_form_uses_the_domain_rules_and_an_unchanged_save_writes_nothing() {
    use crossterm::event::KeyCode;
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    let before = app.store().reader().person(CARMEN).unwrap().unwrap();
    // Saved as opened: nothing written, and said so.
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with("Nothing changed: person #p1 "),
        "{:?}",
        app.status()
    );
    assert_eq!(
        app.store().reader().person(CARMEN).unwrap().unwrap(),
        before
    );
    // The e-mail (fourth field) with no domain: refused inline with an example.
    run(&mut app, &[Action::Edit]);
    for _ in 0..3 {
        run(&mut app, &[Action::NextTab]);
    }
    for _ in 0..80 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "carmen@hospital");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("\"carmen@hospital\" is not an e-mail address"),
        "{text}"
    );
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Not saved — email"),
        "{:?}",
        app.status()
    );
    assert_eq!(
        app.store().reader().person(CARMEN).unwrap().unwrap(),
        before
    );
}

#[test]
fn snoozing_into_the_past_is_refused_and_the_prompt_stays() {
    let mut app = demo_app();
    let open = |app: &App| {
        app.store()
            .reader()
            .open_followups_until(today() + chrono::Days::new(400), &chrono::Local, 1000)
            .unwrap()
            .into_iter()
            .map(|r| (r.followup.id, r.followup.due))
            .collect::<Vec<_>>()
    };
    let first = open(&app);
    run(&mut app, &[Action::Snooze]);
    type_text(&mut app, "2026-11-20");
    run(&mut app, &[Action::Save]);
    assert!(
        app.status()
            .unwrap_or("")
            .contains("2026-11-20 is in the past"),
        "{:?}",
        app.status()
    );
    assert_eq!(open(&app), first);
    assert!(screen(&app, 80, 24).contains("2026-11-20"));
}

// ---- meetings: reschedule, cancel, done ahead, log a past one, attendees and goal (12.4) --

/// Every interaction of the notebook, by id.
fn interactions(app: &App) -> std::collections::HashMap<i64, kamnote::domain::Interaction> {
    let reader = app.store().reader();
    let mut out = std::collections::HashMap::new();
    let mut id = 1;
    let mut misses = 0;
    while misses < 20 {
        match reader.interaction(id).unwrap() {
            Some((i, _)) => {
                out.insert(id, i);
                misses = 0;
            }
            None => misses += 1,
        }
        id += 1;
    }
    out
}

/// Walks down the agenda to its first meeting (the footer shows the meeting keys; on a
/// follow-up, `c` cancels the follow-up) and presses `key` on it.
fn on_first_meeting(app: &mut App, key: char) {
    for _ in 0..40 {
        let footer = screen(app, 80, 24)
            .lines()
            .nth(23)
            .unwrap_or("")
            .to_string();
        if footer.contains("c cancel meeting") {
            press(app, &key.to_string());
            return;
        }
        run(app, &[Action::Down]);
    }
    panic!("no meeting on the agenda");
}

/// Undoes the last change through `ops::undo` on another handle of the same notebook.
fn undo_last(path: &std::path::Path) -> String {
    let mut store = Store::open(path).unwrap();
    let now = morning().fixed_offset() + chrono::Duration::minutes(1);
    kamnote::ops::undo(&mut store, now).unwrap().message
}

#[test]
fn r_reschedules_the_selected_meeting_with_a_parsed_preview_and_undo_moves_it_back() {
    use crossterm::event::KeyCode;
    let (mut app, _dir, path) = demo_app_on_file();
    let before = interactions(&app);
    on_first_meeting(&mut app, 'r');
    // The meeting keys show in the footer while a meeting is selected.
    run(&mut app, &[Action::Back]);
    let footer = screen(&app, 80, 24);
    let footer = footer.lines().nth(23).unwrap();
    assert!(
        footer.contains("r reschedule") && footer.contains("c cancel meeting"),
        "{footer}"
    );
    press(&mut app, "r");
    type_text(&mut app, "mon");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("give a time too"), "{shown}");
    type_text(&mut app, " 10:00");
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("→ Mon 30 Nov 2026 10:00 (in 3 days)"),
        "{shown}"
    );
    // Shift-Tab, as terminals send it (BackTab with Shift held), goes to the length too.
    let shift_tab = app.key(&crossterm::event::KeyEvent::new(
        KeyCode::BackTab,
        crossterm::event::KeyModifiers::SHIFT,
    ));
    assert_eq!(shift_tab, Some(Action::PrevTab));
    run(&mut app, &[Action::PrevTab]);
    type_text(&mut app, "45m");
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Moved #i"), "{status}");
    assert!(status.contains("to Mon 30 Nov 2026 10:00"), "{status}");
    let id = id_after(&status, "#i");
    let moved = app.store().reader().interaction(id).unwrap().unwrap().0;
    let monday = Local
        .from_local_datetime(
            &chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
                .unwrap()
                .and_hms_opt(10, 0, 0)
                .unwrap(),
        )
        .earliest()
        .unwrap();
    assert_eq!(moved.at, monday.fixed_offset());
    assert_eq!(
        moved.end.map(|e| e - moved.at),
        Some(chrono::Duration::minutes(45))
    );
    // Journaled: undo puts it back where it was.
    let undone = undo_last(&path);
    assert!(undone.contains("meeting move"), "{undone}");
    let back = interactions(&app).remove(&id).unwrap();
    assert_eq!(back.at, before[&id].at);
    assert_eq!(back.end, before[&id].end);
}

#[test]
fn c_cancels_a_meeting_with_its_reason_which_is_not_contact_and_undo_restores_it() {
    use kamnote::domain::InteractionStatus;
    let (mut app, _dir, path) = demo_app_on_file();
    on_first_meeting(&mut app, 'c');
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Cancel meeting"), "{shown}");
    type_text(&mut app, "Client ill");
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(
        status.starts_with("Cancelled #i") && status.ends_with("(Client ill)"),
        "{status}"
    );
    let id = id_after(&status, "#i");
    let reader = app.store().reader();
    let cancelled = reader.interaction(id).unwrap().unwrap().0;
    assert_eq!(cancelled.status, InteractionStatus::Cancelled);
    assert_eq!(cancelled.outcome.as_deref(), Some("Client ill"));
    let undone = undo_last(&path);
    assert!(undone.contains("meeting cancel"), "{undone}");
    let back = app.store().reader().interaction(id).unwrap().unwrap().0;
    assert_eq!(back.status, InteractionStatus::Planned);
    assert_eq!(back.outcome, None);
}

#[test]
fn a_cancelled_meeting_in_the_past_is_not_contact() {
    use kamnote::domain::InteractionStatus;
    let (mut app, _dir, path) = demo_app_on_file();
    // A meeting left planned yesterday at 16:00 with an account nobody has seen since.
    let mut other = Store::open(&path).unwrap();
    let yesterday = Local
        .from_local_datetime(
            &(today() - chrono::Duration::days(1))
                .and_hms_opt(16, 0, 0)
                .unwrap(),
        )
        .earliest()
        .unwrap()
        .fixed_offset();
    let account = HOSPITAL;
    let contact = other.reader().account_last_contact(account).unwrap();
    let meeting = kamnote::domain::Interaction {
        title: Some("Stock review".into()),
        status: InteractionStatus::Planned,
        ..kamnote::capture::new_interaction(
            kamnote::domain::InteractionKind::Meeting,
            yesterday,
            &yesterday,
            Some(account),
            Vec::new(),
        )
    };
    let planned = kamnote::ops::run(
        &mut other,
        morning().fixed_offset(),
        &kamnote::ops::PlanMeeting {
            meeting,
            goal: None,
            asks: Vec::new(),
            with: "#a1".into(),
        },
    )
    .unwrap();
    let id = planned.record.unwrap().id;
    assert!(app.tick());
    run(&mut app, &[Action::PrevDay]);
    for _ in 0..40 {
        press(&mut app, "c");
        if screen(&app, 80, 24).contains(&format!("Cancel #i{id} Stock review")) {
            break;
        }
        run(&mut app, &[Action::Back, Action::Down]);
    }
    type_text(&mut app, "they postponed");
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with(&format!("Cancelled #i{id}")), "{status}");
    assert_eq!(
        app.store().reader().account_last_contact(account).unwrap(),
        contact,
        "a cancelled meeting moved the last contact"
    );
}

#[test]
fn d_on_a_meeting_still_ahead_asks_first_and_undo_reopens_it() {
    use kamnote::domain::InteractionStatus;
    let (mut app, _dir, path) = demo_app_on_file();
    on_first_meeting(&mut app, 'd');
    let asked = screen(&app, 80, 24);
    assert!(asked.contains("This meeting is in "), "{asked}");
    assert!(asked.contains("mark it done now? y/n"), "{asked}");
    // No: nothing written, the meeting stays planned.
    let journal = count(&path, "journal");
    press(&mut app, "n");
    assert_eq!(count(&path, "journal"), journal);
    assert!(!screen(&app, 80, 24).contains("mark it done now?"));
    // Yes: the outcome popup; Ctrl-S marks it done with the outcome.
    press(&mut app, "d");
    press(&mut app, "y");
    assert!(screen(&app, 80, 24).contains("Outcome of the meeting"));
    type_text(&mut app, "Moved forward on the phone");
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Done #i"), "{status}");
    let id = id_after(&status, "#i");
    let done = app.store().reader().interaction(id).unwrap().unwrap().0;
    assert_eq!(done.status, InteractionStatus::Done);
    assert_eq!(done.outcome.as_deref(), Some("Moved forward on the phone"));
    let undone = undo_last(&path);
    assert!(undone.contains("meeting done"), "{undone}");
    let back = app.store().reader().interaction(id).unwrap().unwrap().0;
    assert_eq!(back.status, InteractionStatus::Planned);
    assert_eq!(back.outcome, None);
}

#[test]
fn last_nights_dinner_with_two_people_is_logged_in_one_step_and_undone() {
    use crossterm::event::KeyCode;
    use kamnote::domain::{InteractionKind, InteractionStatus};
    let (mut app, _dir, path) = demo_app_on_file();
    let followups = count(&path, "followups");
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, HOSPITAL),
            Action::Capture(kamnote::tui::CaptureKind::Meeting),
        ],
    );
    type_text(&mut app, "yesterday 21:00");
    let shown = screen(&app, 80, 24);
    assert!(shown.contains("Log a past meeting"), "{shown}");
    assert!(shown.contains("past: logged as done"), "{shown}");
    run(&mut app, &[Action::NextTab, Action::NextTab]);
    type_text(&mut app, "Casa Pepe");
    run(&mut app, &[Action::NextTab, Action::NextTab]);
    type_text(&mut app, "meal");
    // The attendee picker lists the account's people; Enter adds one, a name finds another.
    run(&mut app, &[Action::NextTab]);
    let people = app.store().reader().people(Some(HOSPITAL), 200, 0).unwrap();
    let first = people[0].clone();
    let listed = screen(&app, 80, 24);
    assert!(listed.contains(&first.name), "{listed}");
    key(&mut app, KeyCode::Enter);
    let second = people.iter().find(|p| p.id != first.id).unwrap().clone();
    type_text(&mut app, &second.name);
    key(&mut app, KeyCode::Enter);
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "They will run the pilot");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "+2d send the pilot terms");
    let shown = screen(&app, 80, 24);
    assert!(
        shown.contains("→ Sun 29 Nov 2026 (in 2 days) · send the pilot terms"),
        "{shown}"
    );
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Logged meal #i"), "{status}");
    assert!(
        status.contains(&first.name) && status.contains(&second.name),
        "{status}"
    );
    let id = id_after(&status, "#i");
    let dinner = app.store().reader().interaction(id).unwrap().unwrap().0;
    assert_eq!(dinner.kind, InteractionKind::Meal);
    assert_eq!(dinner.status, InteractionStatus::Done);
    assert_eq!(dinner.location.as_deref(), Some("Casa Pepe"));
    assert_eq!(dinner.outcome.as_deref(), Some("They will run the pilot"));
    assert_eq!(dinner.account, Some(HOSPITAL));
    assert_eq!(dinner.people, vec![first.id, second.id]);
    assert_eq!(count(&path, "followups"), followups + 1);
    // One command, one undo: the dinner and its follow-up go.
    let undone = undo_last(&path);
    assert!(undone.contains("meeting log"), "{undone}");
    assert!(app.store().reader().interaction(id).unwrap().is_none());
    assert_eq!(count(&path, "followups"), followups);
}

#[test]
fn a_meeting_with_attendees_and_a_goal_leads_its_prep_with_the_goal_and_is_undone() {
    use crossterm::event::KeyCode;
    let (mut app, _dir, path) = demo_app_on_file();
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, HOSPITAL),
            Action::Capture(kamnote::tui::CaptureKind::Meeting),
        ],
    );
    type_text(&mut app, "tomorrow 15:00");
    run(
        &mut app,
        &[Action::NextTab, Action::NextTab, Action::NextTab],
    );
    type_text(&mut app, "Pilot kick-off");
    run(&mut app, &[Action::NextTab, Action::NextTab]);
    let people = app.store().reader().people(Some(HOSPITAL), 200, 0).unwrap();
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "agree the pilot dates");
    run(&mut app, &[Action::NextTab]);
    type_text(&mut app, "who signs?; which budget line");
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Planned meeting #i"), "{status}");
    let id = id_after(&status, "#i");
    let meeting = app.store().reader().interaction(id).unwrap().unwrap().0;
    assert_eq!(meeting.people, vec![people[1].id]);
    assert_eq!(meeting.goal(), Some("agree the pilot dates"));
    run(&mut app, &[Action::Prep(id)]);
    let prep = screen(&app, 100, 40);
    assert!(prep.contains("Goal: agree the pilot dates"), "{prep}");
    assert!(
        prep.contains("Ask: who signs?") && prep.contains("Ask: which budget line"),
        "{prep}"
    );
    let undone = undo_last(&path);
    assert!(undone.contains("meeting add"), "{undone}");
    assert!(app.store().reader().interaction(id).unwrap().is_none());
}

/// Asserts the status line starts with `prefix`, showing it when not.
fn status_starts(app: &App, prefix: &str) {
    let status = app.status().unwrap_or("");
    assert!(status.starts_with(prefix), "{status:?}");
}

/// Where follow-up `id` stands now.
fn followup_status(app: &App, id: i64) -> kamnote::domain::FollowUpStatus {
    app.store().reader().followup(id).unwrap().unwrap().0.status
}

/// The id of the follow-up `x` acts on first on the demo agenda (the oldest overdue one).
fn first_agenda_followup(app: &App) -> i64 {
    app.store()
        .reader()
        .open_followups_until(today(), &Local, 100)
        .unwrap()
        .into_iter()
        .find(|f| f.followup.text.starts_with("Book the room"))
        .unwrap()
        .followup
        .id
}

/// Issue 12.4: `u` on the agenda undoes the follow-up just marked done (the TUI's done is
/// journaled), says so, and the agenda lists it again.
#[test]
fn u_brings_back_a_follow_up_done_from_the_agenda() {
    use kamnote::domain::FollowUpStatus;
    let mut app = demo_app();
    let id = first_agenda_followup(&app);
    press(&mut app, "x");
    assert_eq!(followup_status(&app, id), FollowUpStatus::Done);
    assert!(screen(&app, 80, 24).contains("Overdue follow-ups (5)"));
    press(&mut app, "u");
    assert_eq!(followup_status(&app, id), FollowUpStatus::Open);
    let status = app.status().unwrap_or("").to_string();
    assert!(
        status.starts_with("Undid followup done") && status.contains("Book the room"),
        "{status}"
    );
    let text = screen(&app, 80, 24);
    assert!(text.contains("Overdue follow-ups (6)"), "{text}");
    assert!(text.contains("Undid followup done"), "{text}");
}

/// `u` puts back a stage moved from a dossier (with its reason): the stage and the stage
/// history are as before, and the dossier shows it.
#[test]
fn u_puts_back_a_stage_moved_from_the_dossier() {
    let mut app = demo_app();
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, HOSPITAL),
            Action::ChangeStage,
        ],
    );
    let before = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    let moves = |app: &App| {
        app.store()
            .reader()
            .stage_history(Ladder::Account, HOSPITAL)
            .unwrap()
            .len()
    };
    let history = moves(&app);
    run(&mut app, &[Action::Down, Action::Save]);
    type_text(&mut app, "Signed the framework agreement");
    run(&mut app, &[Action::Save]);
    assert_ne!(
        app.store()
            .reader()
            .account(HOSPITAL)
            .unwrap()
            .unwrap()
            .0
            .stage,
        before.stage
    );
    assert_eq!(moves(&app), history + 1);
    press(&mut app, "u");
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Undid stage"), "{status}");
    let after = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    assert_eq!(after.stage, before.stage);
    assert_eq!(moves(&app), history);
    // The dossier reloaded: its stage is the old one again, and a new move goes through (the
    // version it holds is the one undo left).
    run(&mut app, &[Action::ChangeStage, Action::Down, Action::Save]);
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("#a1 "), "{status}");
    assert_eq!(moves(&app), history + 1);
}

/// `u` removes a link added from the person dossier; a link removed with `x` comes back with
/// `u` too.
#[test]
fn u_removes_a_link_added_and_brings_back_one_removed() {
    use crossterm::event::KeyCode;
    use kamnote::domain::LinkKind;
    let mut app = demo_app();
    run(&mut app, &[Action::Open(TargetKind::Person, CARMEN)]);
    let rosa = app
        .store()
        .reader()
        .match_names(&[TargetKind::Person], "Rosa Márquez Gil", 5)
        .unwrap()[0]
        .id;
    let linked = |app: &App| {
        app.store()
            .reader()
            .link_exists(CARMEN, rosa, LinkKind::Rival)
            .unwrap()
    };
    press_key(&mut app, KeyCode::Char('L'));
    for _ in 0..3 {
        press_key(&mut app, KeyCode::Char('j'));
    }
    press_key(&mut app, KeyCode::Enter);
    press(&mut app, "rosa mar");
    press_key(&mut app, KeyCode::Enter);
    assert!(linked(&app));
    press(&mut app, "u");
    assert!(!linked(&app), "{:?}", app.status());
    status_starts(&app, "Undid link ");
    // Carmen's own link (reports-to) is the first of her Links tab: x y removes it, u puts it
    // back.
    let before = app.store().reader().links_of(CARMEN, 100).unwrap();
    for _ in 0..3 {
        press_key(&mut app, KeyCode::Tab);
    }
    press(&mut app, "xy");
    assert_eq!(
        app.store().reader().links_of(CARMEN, 100).unwrap().1,
        before.1 - 1
    );
    press(&mut app, "u");
    status_starts(&app, "Undid link remove");
    assert_eq!(app.store().reader().links_of(CARMEN, 100).unwrap(), before);
}

/// `u` twice reverts the two latest changes, newest first; a third says there is nothing left.
#[test]
fn u_twice_reverts_two_changes_and_then_says_nothing_is_left() {
    use kamnote::domain::FollowUpStatus;
    let mut app = demo_app();
    let id = first_agenda_followup(&app);
    press(&mut app, "x");
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::ChangeRole],
    );
    let carmen = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    run(&mut app, &[Action::Down, Action::Save]);
    assert_ne!(
        app.store().reader().person(CARMEN).unwrap().unwrap().0.role,
        carmen.role
    );
    press(&mut app, "u");
    status_starts(&app, "Undid person edit");
    assert_eq!(
        app.store().reader().person(CARMEN).unwrap().unwrap().0,
        carmen
    );
    assert_eq!(followup_status(&app, id), FollowUpStatus::Done);
    // From the dossier still: u is global.
    press(&mut app, "u");
    assert_eq!(followup_status(&app, id), FollowUpStatus::Open);
    press(&mut app, "u");
    status_starts(&app, "nothing to undo");
}

/// `u` while typing in a field types the letter: the filter of a list takes it, nothing is
/// undone.
#[test]
fn u_in_a_text_field_is_a_letter_not_an_undo() {
    use kamnote::domain::FollowUpStatus;
    let mut app = demo_app();
    let id = first_agenda_followup(&app);
    press(&mut app, "x");
    run(
        &mut app,
        &[Action::Go(kamnote::tui::ScreenKind::People), Action::Filter],
    );
    press(&mut app, "u");
    assert_eq!(followup_status(&app, id), FollowUpStatus::Done);
    // In a popup's field too: the reason of a stage move.
    run(
        &mut app,
        &[
            Action::Back,
            Action::Open(TargetKind::Person, CARMEN),
            Action::ChangeStage,
            Action::Down,
            Action::Save,
        ],
    );
    press(&mut app, "u");
    assert!(screen(&app, 80, 24).contains("> u"));
    assert_eq!(followup_status(&app, id), FollowUpStatus::Done);
}

/// A change made elsewhere after the TUI's: `u` undoes the latest change first (the one made
/// through `ops` by another `kam`, on the same file), and refuses, saying why, to undo a
/// change whose record was changed since outside the journal (an import, a direct write).
#[test]
fn u_is_refused_when_the_record_was_changed_since() {
    use kamnote::domain::FollowUpStatus;
    let (mut app, _dir, path) = demo_app_on_file();
    let id = first_agenda_followup(&app);
    press(&mut app, "x");
    // Another kam reopens it through ops, as `kam followup reopen` does.
    let mut other = Store::open(&path).unwrap();
    kamnote::ops::run(
        &mut other,
        morning().fixed_offset(),
        &kamnote::ops::ReopenFollowUp { id, version: None },
    )
    .unwrap();
    assert!(app.tick());
    press(&mut app, "u");
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Undid followup reopen"), "{status}");
    assert_eq!(followup_status(&app, id), FollowUpStatus::Done);
    // Now changed outside the journal: its text is edited by a direct write.
    let (mut f, _) = other.reader().followup(id).unwrap().unwrap();
    f.text = "Book the room (changed elsewhere)".into();
    other
        .write(morning().fixed_offset(), |w| {
            w.upsert_followup(&f, None, None).map(|_| ())
        })
        .unwrap();
    assert!(app.tick());
    press(&mut app, "u");
    let status = app.status().unwrap_or("").to_string();
    assert!(
        status.starts_with("cannot undo followup done") && status.contains("would lose"),
        "{status}"
    );
    // It names no front: a later change, when, and that the journal does not hold it.
    assert!(
        status.contains("by a later change (2026-11-27 08:10, not in the journal)"),
        "{status}"
    );
    assert_eq!(followup_status(&app, id), FollowUpStatus::Done);
    assert_eq!(
        app.store().reader().followup(id).unwrap().unwrap().0.text,
        "Book the room (changed elsewhere)"
    );
}

/// Item 12.5: accepting the cooling suggestion and a new attitude are journaled like the CLI's
/// commands: `u` reverts each.
#[test]
fn u_reverts_the_cooling_accepted_and_an_attitude_chosen() {
    let mut app = demo_app();
    let kossler = app
        .store()
        .reader()
        .match_names(&[TargetKind::Person], "Ulises Cáceres Robles", 5)
        .unwrap()[0]
        .id;
    run(&mut app, &[Action::Open(TargetKind::Person, kossler)]);
    let before = app.store().reader().person(kossler).unwrap().unwrap().0;
    run(&mut app, &[Action::AcceptCooling]);
    assert!(
        app.status().unwrap_or("").contains("→ cooling"),
        "{:?}",
        app.status()
    );
    run(
        &mut app,
        &[Action::ChangeAttitude, Action::Down, Action::Save],
    );
    assert_ne!(
        app.store()
            .reader()
            .person(kossler)
            .unwrap()
            .unwrap()
            .0
            .attitude,
        before.attitude
    );
    press(&mut app, "u");
    press(&mut app, "u");
    assert_eq!(
        app.store().reader().person(kossler).unwrap().unwrap().0,
        before
    );
    let text = screen(&app, 80, 24);
    assert!(text.contains("Suggested: cooling"), "{text}");
}

/// Issue 12.3: drafts are window state, kept without a journal entry: after a draft was kept,
/// given back and claimed again by the next window, `u` has nothing to undo (it never takes
/// back text being typed), and the draft is still offered.
#[test]
fn a_kept_draft_is_not_a_change_u_undoes() {
    let (mut app, _dir, path) = demo_app_on_file();
    run(
        &mut app,
        &[Action::Capture(kamnote::tui::CaptureKind::Note)],
    );
    type_text(&mut app, "Half-typed thoughts on the tender");
    app.flush_draft();
    assert_eq!(count(&path, "drafts"), 1);
    drop(app);
    let mut app = App::new(
        Store::open(&path).unwrap(),
        Clock::fixed(morning().to_utc()),
        Theme::plain(),
    );
    assert!(app.store().reader().last_live_entry().unwrap().is_none());
    // The recovered draft is open in the capture popup: Esc y throws it away, then u.
    run(&mut app, &[Action::Back]);
    key(&mut app, crossterm::event::KeyCode::Char('y'));
    press(&mut app, "u");
    status_starts(&app, "nothing to undo");
}

/// Picking the stage a record already has asks no reason: `ops` says so (as `kam stage` does),
/// writes nothing, and leaves nothing to undo.
#[test]
fn picking_the_current_stage_says_so_and_writes_nothing() {
    let mut app = demo_app();
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Person, CARMEN),
            Action::ChangeStage,
            Action::Save,
        ],
    );
    let stage = app
        .store()
        .reader()
        .person(CARMEN)
        .unwrap()
        .unwrap()
        .0
        .stage;
    let status = app.status().unwrap_or("").to_string();
    assert_eq!(
        status,
        format!(
            "#p1 Carmen Peña Olmedo is already {}",
            stage.map_or("", Vocabulary::as_str)
        )
    );
    assert!(!screen(&app, 80, 24).contains("Why? (optional)"));
    press(&mut app, "u");
    status_starts(&app, "nothing to undo");
}

/// A person of the demo hospital with one long note (and Carmen on it too), written behind the
/// app's back; returns (person, note).
fn long_note(path: &std::path::Path, body: &str) -> (i64, i64) {
    use kamnote::domain::{Extra, Interaction, InteractionKind, InteractionStatus};
    let mut other = Store::open(path).unwrap();
    other
        .write(morning().fixed_offset(), |w| {
            let person = w.upsert_person(
                &Person {
                    uid: "test-zoe".into(),
                    name: "Zoe Quintana".into(),
                    account: Some(HOSPITAL),
                    ..Person::default()
                },
                None,
                None,
            )?;
            let note = w.upsert_interaction(
                &Interaction {
                    id: 0,
                    uid: "test-long-note".into(),
                    kind: InteractionKind::Note,
                    at: morning().fixed_offset() - chrono::Duration::hours(20),
                    end: None,
                    account: Some(HOSPITAL),
                    people: vec![person, CARMEN],
                    mentioned: Vec::new(),
                    title: Some("Zanzibar tender debrief".into()),
                    body: Some(body.into()),
                    location: None,
                    status: InteractionStatus::Done,
                    outcome: None,
                    tags: Vec::new(),
                    extra: Extra::new(),
                },
                None,
                None,
            )?;
            Ok((person, note))
        })
        .unwrap()
}

const LONG_NOTE: &str = "Debrief of the Zanzibar tender with the pharmacy committee.\n\
    They liked the training offer and the delivery terms, but the price list must come down \
    by four percent to beat the incumbent, who bundles the consumables for free.\n\
    Next: the committee meets again on the 14th; Zoe will send the minutes.\n\
    The last line says the budget is frozen until March.";

#[test]
fn enter_on_a_timeline_entry_opens_the_whole_note_and_enter_on_a_person_their_dossier() {
    let (mut app, _dir, path) = demo_app_on_file();
    let (zoe, _) = long_note(&path, LONG_NOTE);
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, zoe), Action::NextTab],
    );
    let timeline = screen(&app, 80, 24);
    assert!(timeline.contains("Zanzibar tender debrief"), "{timeline}");
    // The timeline shows the first line of the text only.
    assert!(!timeline.contains("budget is frozen"), "{timeline}");
    run(&mut app, &[Action::OpenSelected]);
    let text = screen(&app, 80, 24);
    for part in [
        "Interaction",
        "note Zanzibar tender debrief",
        "Hospital Universitario",
        "Zoe Quintana  #p",
        "Carmen",
        "beat the incumbent, who bundles",
        "The last line says the budget is frozen until March.",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    // Lines 0-2 are the head, when and account; the people follow. Enter on Carmen opens her.
    run(
        &mut app,
        &[
            Action::Down,
            Action::Down,
            Action::Down,
            Action::Down,
            Action::OpenSelected,
        ],
    );
    let carmen = screen(&app, 80, 24);
    assert!(
        carmen.contains(" Person ") && carmen.contains("Carmen"),
        "{carmen}"
    );
    // Esc comes back to the note; Enter on the account line opens the account.
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("budget is frozen"));
    run(
        &mut app,
        &[
            Action::Top,
            Action::Down,
            Action::Down,
            Action::OpenSelected,
        ],
    );
    let account = screen(&app, 80, 24);
    assert!(account.contains(" Account "), "{account}");
}

#[test]
fn a_long_note_scrolls_line_by_line_on_a_short_terminal() {
    let (mut app, _dir, path) = demo_app_on_file();
    let (zoe, _) = long_note(&path, LONG_NOTE);
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Person, zoe),
            Action::NextTab,
            Action::OpenSelected,
        ],
    );
    let top = screen(&app, 40, 14);
    assert!(!top.contains("until March"), "{top}");
    run(&mut app, &[Action::PageDown, Action::PageDown]);
    let down = screen(&app, 40, 14);
    assert!(down.contains("until March"), "{down}");
    run(&mut app, &[Action::PageUp, Action::PageUp]);
    assert!(screen(&app, 40, 14).contains("Zanzibar"));
}

#[test]
fn enter_on_a_search_hit_that_is_a_note_opens_it_in_full() {
    let (mut app, _dir, path) = demo_app_on_file();
    long_note(&path, LONG_NOTE);
    press(&mut app, "/");
    press(&mut app, "zanzibar");
    run(&mut app, &[Action::Refresh]);
    let found = screen(&app, 80, 24);
    assert!(found.contains("Zanzibar tender debrief"), "{found}");
    run(&mut app, &[Action::OpenSelected]);
    let text = screen(&app, 80, 24);
    assert!(
        text.contains(" Interaction ") && text.contains("budget is frozen until March"),
        "{text}"
    );
    // Esc comes back to the results.
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("Search: zanzibar"));
}

#[test]
fn the_text_and_people_are_edited_from_the_interaction_screen_and_undo_restores_them() {
    use crossterm::event::KeyCode;
    let (mut app, _dir, path) = demo_app_on_file();
    let (zoe, note) = long_note(&path, LONG_NOTE);
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Person, zoe),
            Action::NextTab,
            Action::OpenSelected,
        ],
    );
    // `e` through the keymap opens the editor on the text, the cursor at its end.
    press(&mut app, "e");
    let popup = screen(&app, 80, 24);
    assert!(
        popup.contains("Edit note #i") && popup.contains("Ctrl-E"),
        "{popup}"
    );
    type_text(&mut app, " Price agreed at minus three.");
    // To the people: Tab from the text goes round to the title, the time, the people; Del
    // takes Zoe (the first) off.
    run(
        &mut app,
        &[Action::NextTab, Action::NextTab, Action::NextTab],
    );
    press_key(&mut app, KeyCode::Delete);
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(
        status.starts_with("Saved note #i") && status.ends_with("(text, people)"),
        "{status}"
    );
    let text = screen(&app, 80, 24);
    assert!(text.contains("Price agreed at minus"), "{text}");
    assert!(!text.contains("Zoe Quintana"), "{text}");
    let (i, _) = app.store().reader().interaction(note).unwrap().unwrap();
    assert_eq!(i.mentioned, vec![CARMEN]);
    assert!(
        i.body
            .unwrap()
            .ends_with("until March. Price agreed at minus three.")
    );

    // Undone (as `kam undo` would, from another process): the old text and Zoe are back.
    let mut other = Store::open(&path).unwrap();
    let undone = kamnote::ops::undo(&mut other, morning().fixed_offset()).unwrap();
    assert!(
        undone.message.starts_with("Undid note edit"),
        "{}",
        undone.message
    );
    run(&mut app, &[Action::Refresh]);
    let text = screen(&app, 80, 24);
    assert!(
        !text.contains("Price agreed") && text.contains("Zoe Quintana"),
        "{text}"
    );
    let (i, _) = app.store().reader().interaction(note).unwrap().unwrap();
    assert_eq!(i.body.as_deref(), Some(LONG_NOTE));
}

#[test]
fn an_edit_of_the_time_is_checked_and_esc_on_changes_asks_first() {
    use crossterm::event::KeyCode;
    let (mut app, _dir, path) = demo_app_on_file();
    let (zoe, note) = long_note(&path, LONG_NOTE);
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Person, zoe),
            Action::NextTab,
            Action::OpenSelected,
            Action::Edit,
            Action::NextTab,
            Action::NextTab,
        ],
    );
    // The time field: emptied and typed again; a time ahead is refused by the command.
    for _ in 0..20 {
        press_key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "tomorrow 10:00");
    assert!(screen(&app, 80, 24).contains("→ Sat 28 Nov 2026 10:00"));
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.contains("not later than now"), "{status}");
    for _ in 0..20 {
        press_key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-11-20 09:30");
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").ends_with("(when)"),
        "{:?}",
        app.status()
    );
    assert!(screen(&app, 80, 24).contains("Fri 20 Nov 2026 09:30"));
    // A change then Esc asks; n goes on editing, y throws it away.
    run(&mut app, &[Action::Edit]);
    type_text(&mut app, " typo");
    run(&mut app, &[Action::Back]);
    assert!(screen(&app, 80, 24).contains("Discard the changes? y/n"));
    type_text(&mut app, "y");
    assert!(!screen(&app, 80, 24).contains("Edit note"));
    let (i, _) = app.store().reader().interaction(note).unwrap().unwrap();
    assert_eq!(i.body.as_deref(), Some(LONG_NOTE));
}

#[test]
fn hostile_text_in_a_note_renders_safely_on_the_interaction_screen_and_its_editor() {
    let (mut app, _dir, path) = demo_app_on_file();
    let long_word = "x".repeat(3000);
    let body = format!(
        "{long_word}\nEsc \u{1b}[31mred\u{1b}[0m and bell \u{7}\nbidi \u{202e}txet desrever\u{202c} ok\n\
         王小明说：价格太高 🎉👩‍⚕️ end\nlast line\u{200b}here"
    );
    let (zoe, _) = long_note(&path, &body);
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Person, zoe),
            Action::NextTab,
            Action::OpenSelected,
        ],
    );
    let unsafe_char = |s: &str| s.chars().find(|&c| kamnote::text::is_unsafe(c, true));
    for (w, h) in [(80, 24), (40, 12), (120, 40)] {
        let text = screen(&app, w, h);
        assert_eq!(unsafe_char(&text), None, "{w}x{h}: {text}");
        for line in text.lines() {
            assert!(kamnote::text::width(line) <= usize::from(w), "{line}");
        }
    }
    let text = screen(&app, 80, 24);
    assert!(text.contains("王小明说：价格太高 🎉"), "{text}");
    assert!(text.contains("\\x1b[31mred"), "{text}");
    // The editor (its cursor at the end, so the hostile lines are in view) shows it defanged.
    run(&mut app, &[Action::Edit]);
    let editor = screen(&app, 80, 24);
    assert!(
        editor.contains("王小明说") && editor.contains("red"),
        "{editor}"
    );
    for (w, h) in [(80, 24), (40, 12)] {
        let text = screen(&app, w, h);
        assert_eq!(unsafe_char(&text), None, "{w}x{h}: {text}");
    }
}

#[test]
fn ctrl_e_hands_the_note_to_the_editor_and_its_text_is_saved() {
    let (mut app, _dir, path) = demo_app_on_file();
    let (zoe, note) = long_note(&path, LONG_NOTE);
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Person, zoe),
            Action::NextTab,
            Action::OpenSelected,
        ],
    );
    // The screen itself has no text to hand over; its editor does, as a file ends: a newline.
    assert_eq!(app.editor_text(), None);
    run(&mut app, &[Action::Edit]);
    assert_eq!(app.editor_text(), Some(format!("{LONG_NOTE}\n")));
    app.editor_returned(Ok(format!("{LONG_NOTE}\nAdded in vim.\n")));
    run(&mut app, &[Action::Save]);
    let (i, _) = app.store().reader().interaction(note).unwrap().unwrap();
    assert_eq!(i.body, Some(format!("{LONG_NOTE}\nAdded in vim.")));
}

// ---- 12.4 the record lifecycle from the keyboard: edit every field, add, archive, merge ----

/// Undoes the last change on the notebook file, as `kam undo` would.
fn undo_on(path: &std::path::Path) -> String {
    let mut store = Store::open(path).unwrap();
    kamnote::ops::undo(&mut store, morning().fixed_offset())
        .unwrap()
        .message
}

/// Empties the focused field of the form and types `text` in it (`\n`: Enter, a new line in a
/// multi-line field).
fn retype(app: &mut App, text: &str) {
    use crossterm::event::KeyCode;
    for _ in 0..400 {
        key(app, KeyCode::Backspace);
    }
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            key(app, KeyCode::Enter);
        }
        type_text(app, line);
    }
}

/// Fills the form's fields in order (`None`: leave it), from the first.
fn fill(app: &mut App, values: &[Option<&str>]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            run(app, &[Action::NextTab]);
        }
        if let Some(v) = v {
            retype(app, v);
        }
    }
}

#[test]
fn e_edits_every_field_of_an_account_and_undo_restores_it() {
    use kamnote::domain::{AccountStage, Tier};
    let (mut app, _dir, path) = demo_app_on_file();
    let before = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    let stage = if before.stage == Some(AccountStage::MidKam) {
        "early-kam"
    } else {
        "mid-kam"
    };
    run(
        &mut app,
        &[Action::Open(TargetKind::Account, HOSPITAL), Action::Edit],
    );
    fill(
        &mut app,
        &[
            Some("Hospital General de Valencia"),
            Some("b"),
            Some("clinic"),
            Some("València"),
            Some("es"),
            Some("Levante"),
            Some("+34 961 000 000"),
            Some("https://hgv.example"),
            Some("2,500,000"),
            Some("usd"),
            Some("tender, kol"),
            Some(stage),
            Some("Av. de les Tres Creus, 2"),
            Some("900,000,000"),
            Some("Sandoz\nTeva"),
            Some("Público, 600 camas.\nReferencia en oncología."),
            Some("Biosimilares más baratos"),
            Some("Abrir hospital de día en 2027"),
        ],
    );
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Saved account #a1 "),
        "{:?}",
        app.status()
    );
    let a = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    assert_eq!(a.name, "Hospital General de Valencia");
    assert_eq!(a.tier, Some(Tier::B));
    assert_eq!(
        (a.kind.as_deref(), a.city.as_deref(), a.country.as_deref()),
        (Some("clinic"), Some("València"), Some("ES"))
    );
    assert_eq!(a.territory.as_deref(), Some("Levante"));
    assert_eq!(a.phone.as_deref(), Some("+34 961 000 000"));
    assert_eq!(a.website.as_deref(), Some("https://hgv.example"));
    assert_eq!(a.our_sales, Some(2_500_000.0));
    assert_eq!(a.currency.as_deref(), Some("USD"));
    assert_eq!(a.tags, ["tender", "kol"]);
    assert_eq!(a.stage.map(Vocabulary::as_str), Some(stage));
    assert_eq!(a.address.as_deref(), Some("Av. de les Tres Creus, 2"));
    assert_eq!(a.revenue, Some(900_000_000.0));
    assert_eq!(a.competitors.as_deref(), Some("Sandoz\nTeva"));
    assert_eq!(
        a.about.as_deref(),
        Some("Público, 600 camas.\nReferencia en oncología.")
    );
    assert_eq!(a.needs.as_deref(), Some("Biosimilares más baratos"));
    assert_eq!(a.plans.as_deref(), Some("Abrir hospital de día en 2027"));
    assert!(undo_on(&path).contains("account edit"));
    let back = Store::open(&path)
        .unwrap()
        .reader()
        .account(HOSPITAL)
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(back, before);
}

#[test]
fn e_edits_every_field_of_a_person_and_undo_restores_it() {
    use kamnote::cadence::own_cadence;
    use kamnote::domain::{Attitude, BuyingRole};
    let (mut app, _dir, path) = demo_app_on_file();
    let before = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    let other_account = app.store().reader().account(2).unwrap().unwrap().0;
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    fill(
        &mut app,
        &[
            Some("Carmen Peña"),
            Some("Directora de Farmacia"),
            Some("+34 600 111 222"),
            Some("carmen@hgv.example"),
            Some("--05-12"),
            Some("4"),
            Some("champion"),
            Some("es, ca"),
            Some("kol"),
            Some("#a2"),
            Some("coach"),
            Some("close"),
            Some("21"),
            Some("Casada con Luis.\nCorre medias maratones."),
        ],
    );
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Saved person #p1 "),
        "{:?}",
        app.status()
    );
    let p = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    assert_eq!(p.name, "Carmen Peña");
    assert_eq!(p.title.as_deref(), Some("Directora de Farmacia"));
    assert_eq!(p.phone.as_deref(), Some("+34 600 111 222"));
    assert_eq!(p.email.as_deref(), Some("carmen@hgv.example"));
    assert_eq!(
        p.birthday.map(|b| b.to_string()).as_deref(),
        Some("--05-12")
    );
    assert_eq!(p.influence, Some(4));
    assert_eq!(p.attitude, Some(Attitude::Champion));
    assert_eq!(p.languages, ["es", "ca"]);
    assert_eq!(p.tags, ["kol"]);
    assert_eq!(p.account, Some(other_account.id));
    assert_eq!(p.role, Some(BuyingRole::Coach));
    assert_eq!(p.stage.map(Vocabulary::as_str), Some("close"));
    assert_eq!(own_cadence(&p.extra), Some(21));
    assert_eq!(
        p.personal.as_deref(),
        Some("Casada con Luis.\nCorre medias maratones.")
    );
    // The dossier shows the account by name after the reload.
    assert!(
        screen(&app, 100, 30).contains(&other_account.name.chars().take(10).collect::<String>()),
        "{}",
        screen(&app, 100, 30)
    );
    assert!(undo_on(&path).contains("person edit"));
    let back = Store::open(&path)
        .unwrap()
        .reader()
        .person(CARMEN)
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(back, before);
}

#[test]
fn a_typo_in_personal_notes_is_fixed_in_place_the_other_lines_kept_and_undo_restores_it() {
    use crossterm::event::KeyCode;
    let (mut app, _dir, path) = demo_app_on_file();
    let typo = "Married to Luis.\nRuns half-marathnos in April.\nHates slide decks.";
    {
        let mut other = Store::open(&path).unwrap();
        let (p, st) = other.reader().person(CARMEN).unwrap().unwrap();
        kamnote::ops::run(
            &mut other,
            morning().fixed_offset(),
            &kamnote::ops::EditPerson {
                person: Person {
                    personal: Some(typo.into()),
                    ..p
                },
                version: st.version,
                stage: None,
                append_personal: None,
            },
        )
        .unwrap();
    }
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    // Tab to the personal notes (the last field): the cursor is at the end of the text.
    for _ in 0..13 {
        run(&mut app, &[Action::NextTab]);
    }
    let form = screen(&app, 80, 24);
    assert!(form.contains("Runs half-marathnos in April."), "{form}");
    // Up one line, to its start, right past "Runs half-marath", swap the two letters.
    key(&mut app, KeyCode::Up);
    key(&mut app, KeyCode::Home);
    for _ in 0.."Runs half-marath".len() {
        key(&mut app, KeyCode::Right);
    }
    key(&mut app, KeyCode::Delete);
    key(&mut app, KeyCode::Delete);
    type_text(&mut app, "on");
    run(&mut app, &[Action::Save]);
    let fixed = "Married to Luis.\nRuns half-marathons in April.\nHates slide decks.";
    let p = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    assert_eq!(p.personal.as_deref(), Some(fixed), "{:?}", app.status());
    // The journal keeps the text the edit replaced (`kam history #p1`).
    let history = kamnote::ops::history(
        &app.store().reader(),
        kamnote::domain::RecordKind::Person,
        CARMEN,
        10,
    )
    .unwrap();
    let change = history[0]
        .fields
        .iter()
        .find(|f| f.field == "personal")
        .unwrap();
    assert_eq!(change.before.as_deref(), Some(typo));
    undo_on(&path);
    let back = Store::open(&path)
        .unwrap()
        .reader()
        .person(CARMEN)
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(back.personal.as_deref(), Some(typo));
}

#[test]
fn ctrl_e_hands_the_focused_field_to_the_editor_and_takes_it_back() {
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    for _ in 0..13 {
        run(&mut app, &[Action::NextTab]);
    }
    let text = app.editor_text().unwrap();
    assert!(text.starts_with("Married to Luis"), "{text}");
    assert_eq!(text.lines().count(), 3);
    app.editor_returned(Ok(format!("{text}\nNew: grandson born in May\n")));
    run(&mut app, &[Action::Save]);
    let p = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    assert_eq!(
        p.personal.as_deref(),
        Some(format!("{text}\nNew: grandson born in May").as_str())
    );
    // A one-line field takes the editor's lines as one.
    run(&mut app, &[Action::Edit, Action::NextTab]);
    app.editor_returned(Ok("Jefa\nde Farmacia\n".into()));
    run(&mut app, &[Action::Save]);
    let p = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    assert_eq!(p.title.as_deref(), Some("Jefa de Farmacia"));
}

#[test]
fn long_unicode_values_wrap_in_the_form_and_nothing_is_cut_off() {
    let (mut app, _dir, path) = demo_app_on_file();
    let title = "Jefa de Servicio de Farmacia Hospitalaria y Coordinadora Autonómica de \
                 Ensayos Clínicos Oncológicos — 患者さんの声を聞く会 — Ответственная за закупки";
    let personal = "Hija Lucía empieza Medicina en Salamanca en septiembre; le encanta el \
                    pádel los sábados por la mañana y detesta las presentaciones largas. \
                    Marido cardiólogo en La Princesa.";
    {
        let mut other = Store::open(&path).unwrap();
        let (p, st) = other.reader().person(CARMEN).unwrap().unwrap();
        let p = Person {
            title: Some(title.into()),
            personal: Some(personal.into()),
            ..p
        };
        other
            .write(morning().fixed_offset(), |w| {
                w.update_person(&p, st.version)
            })
            .unwrap();
    }
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    for (w, h) in [(80, 24), (100, 30)] {
        // The focus on the personal notes scrolls the form to them.
        // Read across the wrapped lines: borders, indentation and line ends left out.
        let flat = |form: &str| -> String {
            form.chars()
                .filter(|c| !c.is_whitespace() && *c != '│')
                .collect()
        };
        let form = screen(&app, w, h);
        for word in title.split_whitespace() {
            assert!(
                flat(&form).contains(word),
                "{w}x{h}: {word} cut off:\n{form}"
            );
        }
        for _ in 0..13 {
            run(&mut app, &[Action::NextTab]);
        }
        let form = screen(&app, w, h);
        for word in personal.split_whitespace() {
            assert!(
                flat(&form).contains(word),
                "{w}x{h}: {word} cut off:\n{form}"
            );
        }
        run(&mut app, &[Action::NextTab]);
    }
}

#[test]
fn a_adds_an_account_from_the_list_and_opens_its_dossier() {
    let (mut app, _dir, path) = demo_app_on_file();
    press(&mut app, "2");
    assert_eq!(
        key_action(&app, crossterm::event::KeyCode::Char('a')),
        Some(Action::Add)
    );
    press(&mut app, "a");
    assert!(screen(&app, 80, 24).contains("New account"));
    // Saved without a name: refused, the form stays.
    run(&mut app, &[Action::Save]);
    assert!(
        app.status().unwrap_or("").starts_with("Not saved — name"),
        "{:?}",
        app.status()
    );
    fill(
        &mut app,
        &[Some("Farmacia Nueva Łódź"), Some("C"), None, Some("Łódź")],
    );
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Added account #a"), "{status}");
    let dossier = screen(&app, 80, 24);
    assert!(
        dossier.contains("Farmacia Nueva Łódź") && dossier.contains("Overview"),
        "the new dossier is open: {dossier}"
    );
    let found = app
        .store()
        .reader()
        .match_names(&[TargetKind::Account], "Farmacia Nueva", 5)
        .unwrap();
    assert_eq!(found.len(), 1);
    let a = app
        .store()
        .reader()
        .account(found[0].id)
        .unwrap()
        .unwrap()
        .0;
    assert_eq!(
        (a.tier.map(Vocabulary::as_str), a.city.as_deref()),
        (Some("C"), Some("Łódź"))
    );
    assert!(undo_on(&path).contains("account add"));
    assert!(
        Store::open(&path)
            .unwrap()
            .reader()
            .account(found[0].id)
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_adds_a_person_from_the_people_list_and_inside_an_account_dossier() {
    let (mut app, _dir, path) = demo_app_on_file();
    press(&mut app, "3a");
    assert!(screen(&app, 80, 24).contains("New person"));
    fill(&mut app, &[Some("Nuno Pereira"), Some("Farmacêutico")]);
    run(&mut app, &[Action::Save]);
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with("Added person #p"), "{status}");
    assert!(screen(&app, 80, 24).contains("Nuno Pereira"));
    let found = |app: &App, name: &str| {
        app.store()
            .reader()
            .match_names(&[TargetKind::Person], name, 5)
            .unwrap()
    };
    let nuno = found(&app, "Nuno Pereira")[0].id;
    assert_eq!(
        app.store()
            .reader()
            .person(nuno)
            .unwrap()
            .unwrap()
            .0
            .account,
        None
    );
    // Inside the hospital's dossier, on the People tab: a person of the hospital.
    run(
        &mut app,
        &[Action::Open(TargetKind::Account, HOSPITAL), Action::NextTab],
    );
    press(&mut app, "a");
    let form = screen(&app, 80, 24);
    assert!(form.contains("New person at Hospital"), "{form}");
    assert!(
        form.contains("Hospital Universitario Virgen de la Peña"),
        "{form}"
    );
    type_text(&mut app, "Lucía Ferrer");
    run(&mut app, &[Action::Save]);
    assert!(app.status().unwrap_or("").starts_with("Added person #p"));
    let lucia = found(&app, "Lucía Ferrer")[0].id;
    assert_eq!(
        app.store()
            .reader()
            .person(lucia)
            .unwrap()
            .unwrap()
            .0
            .account,
        Some(HOSPITAL)
    );
    assert!(undo_on(&path).contains("person add"));
    assert!(undo_on(&path).contains("person add"));
    let store = Store::open(&path).unwrap();
    assert!(store.reader().person(lucia).unwrap().is_none());
    assert!(store.reader().person(nuno).unwrap().is_none());
}

#[test]
fn two_duplicates_are_merged_after_a_preview_and_undo_separates_them() {
    let (mut app, _dir, path) = demo_app_on_file();
    let before = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    let dup = {
        let mut other = Store::open(&path).unwrap();
        kamnote::ops::run(
            &mut other,
            morning().fixed_offset(),
            &kamnote::ops::AddPerson {
                person: Person {
                    uid: "dup-carmen".into(),
                    name: "Carmen Peña (duplicada)".into(),
                    phone: Some("+34 699 000 000".into()),
                    tags: vec!["congreso".into()],
                    ..Person::default()
                },
                stage: None,
            },
        )
        .unwrap()
        .record
        .unwrap()
        .id
    };
    run(&mut app, &[Action::Open(TargetKind::Person, CARMEN)]);
    assert_eq!(
        key_action(&app, crossterm::event::KeyCode::Char('M')),
        Some(Action::Merge)
    );
    press(&mut app, "M");
    type_text(&mut app, "duplicada");
    let picker = screen(&app, 80, 24);
    assert!(picker.contains("Carmen Peña (duplicada)"), "{picker}");
    run(&mut app, &[Action::Save]);
    let preview = screen(&app, 80, 24);
    assert!(
        preview.contains(&format!(
            "Would merge #p{dup} Carmen Peña (duplicada) into #p1"
        )),
        "{preview}"
    );
    assert!(preview.contains("moves:"), "{preview}");
    assert!(preview.contains("name: kept"), "{preview}");
    assert!(
        app.store().reader().person(dup).unwrap().is_some(),
        "the preview writes nothing"
    );
    press(&mut app, "y");
    let status = app.status().unwrap_or("").to_string();
    assert!(status.starts_with(&format!("Merged #p{dup} ")), "{status}");
    assert!(app.store().reader().person(dup).unwrap().is_none());
    let kept = app.store().reader().person(CARMEN).unwrap().unwrap().0;
    assert!(
        kept.tags.contains(&"congreso".to_string()),
        "{:?}",
        kept.tags
    );
    assert!(undo_on(&path).contains("person merge"));
    let store = Store::open(&path).unwrap();
    assert!(store.reader().person(dup).unwrap().is_some());
    assert_eq!(store.reader().person(CARMEN).unwrap().unwrap().0, before);
}

#[test]
fn x_archives_and_restores_a_dossier_after_asking_and_undo_reverts_each() {
    let (mut app, _dir, path) = demo_app_on_file();
    run(&mut app, &[Action::Open(TargetKind::Person, CARMEN)]);
    press(&mut app, "X");
    let ask = screen(&app, 80, 24);
    assert!(ask.contains("Archive #p1 Carmen Peña Olmedo?"), "{ask}");
    // n keeps it.
    press(&mut app, "n");
    assert!(
        app.store()
            .reader()
            .person(CARMEN)
            .unwrap()
            .unwrap()
            .0
            .archived_at
            .is_none()
    );
    press(&mut app, "Xy");
    assert!(
        app.status().unwrap_or("").starts_with("Archived #p1 "),
        "{:?}",
        app.status()
    );
    assert!(
        app.store()
            .reader()
            .person(CARMEN)
            .unwrap()
            .unwrap()
            .0
            .archived_at
            .is_some()
    );
    assert!(screen(&app, 80, 24).contains(" · archived"));
    press(&mut app, "X");
    assert!(screen(&app, 80, 24).contains("Restore #p1"));
    press(&mut app, "y");
    assert!(app.status().unwrap_or("").starts_with("Restored #p1 "));
    assert!(
        app.store()
            .reader()
            .person(CARMEN)
            .unwrap()
            .unwrap()
            .0
            .archived_at
            .is_none()
    );
    assert!(undo_on(&path).contains("restore"));
    assert!(
        Store::open(&path)
            .unwrap()
            .reader()
            .person(CARMEN)
            .unwrap()
            .unwrap()
            .0
            .archived_at
            .is_some()
    );
    assert!(undo_on(&path).contains("archive"));
    assert!(
        Store::open(&path)
            .unwrap()
            .reader()
            .person(CARMEN)
            .unwrap()
            .unwrap()
            .0
            .archived_at
            .is_none()
    );
    // An account too.
    run(&mut app, &[Action::Open(TargetKind::Account, HOSPITAL)]);
    press(&mut app, "Xy");
    assert!(app.status().unwrap_or("").starts_with("Archived #a1 "));
    undo_on(&path);
}

#[test]
fn an_empty_notebook_says_what_to_do_first() {
    let at = morning();
    let mut app = App::new(
        Store::open_in_memory().unwrap(),
        Clock::fixed(at.to_utc()),
        Theme::plain(),
    );
    let first = "No accounts yet — press a to add one, or kam import FILE / kam demo";
    let agenda = screen(&app, 100, 30);
    assert!(agenda.contains(first), "{agenda}");
    let narrow = screen(&app, 80, 24);
    assert!(narrow.contains("kam import FILE / kam demo"), "{narrow}");
    press(&mut app, "2");
    assert!(screen(&app, 100, 30).contains(first));
    press(&mut app, "3");
    assert!(
        screen(&app, 100, 30)
            .contains("No people yet — press a to add one, or kam import FILE / kam demo")
    );
    // The key it names works where it is named.
    press(&mut app, "1a");
    assert!(screen(&app, 80, 24).contains("New account"));
    type_text(&mut app, "Clínica Sant Jordi");
    run(&mut app, &[Action::Save]);
    assert!(app.status().unwrap_or("").starts_with("Added account #a1 "));
    run(&mut app, &[Action::Go(kamnote::tui::ScreenKind::Agenda)]);
    assert!(!screen(&app, 100, 30).contains(first));
}

#[test]
fn the_record_popups_lay_out_at_the_smallest_size_without_panicking() {
    let mut app = demo_app();
    run(
        &mut app,
        &[Action::Open(TargetKind::Person, CARMEN), Action::Edit],
    );
    for _ in 0..14 {
        for (w, h) in [(40, 12), (41, 13), (80, 24)] {
            let form = screen(&app, w, h);
            assert!(form.contains('┌'), "{w}x{h}:\n{form}");
        }
        run(&mut app, &[Action::NextTab]);
    }
    run(&mut app, &[Action::Back]);
    press(&mut app, "M");
    type_text(&mut app, "a");
    let _ = screen(&app, 40, 12);
    run(&mut app, &[Action::Save]);
    let preview = screen(&app, 40, 12);
    // However short, the keys that answer stay on screen.
    assert!(preview.contains("merge"), "{preview}");
    run(&mut app, &[Action::Back]);
    press(&mut app, "X");
    let ask = screen(&app, 40, 12);
    assert!(ask.contains("y / Enter"), "{ask}");
}

#[test]
fn an_account_duplicate_is_merged_from_the_account_dossier_and_undone() {
    let (mut app, _dir, path) = demo_app_on_file();
    let before = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    let dup = {
        let mut other = Store::open(&path).unwrap();
        let added = kamnote::ops::run(
            &mut other,
            morning().fixed_offset(),
            &kamnote::ops::AddAccount {
                account: kamnote::domain::Account {
                    uid: "dup-hospital".into(),
                    name: "HU Virgen de la Peña (copia)".into(),
                    address: Some("Calle de la Peña 1, Madrid".into()),
                    ..kamnote::domain::Account::default()
                },
                stage: None,
            },
        )
        .unwrap();
        added.record.unwrap().id
    };
    run(&mut app, &[Action::Open(TargetKind::Account, HOSPITAL)]);
    press(&mut app, "M");
    type_text(&mut app, "copia");
    run(&mut app, &[Action::Save]);
    let preview = screen(&app, 100, 30);
    assert!(
        preview.contains(&format!("Would merge #a{dup} HU Virgen de la Peña (copia)")),
        "{preview}"
    );
    assert!(preview.contains("takes address"), "{preview}");
    press(&mut app, "y");
    assert!(
        app.status()
            .unwrap_or("")
            .starts_with(&format!("Merged #a{dup} ")),
        "{:?}",
        app.status()
    );
    let kept = app.store().reader().account(HOSPITAL).unwrap().unwrap().0;
    assert_eq!(kept.address.as_deref(), Some("Calle de la Peña 1, Madrid"));
    assert!(undo_on(&path).contains("account merge"));
    let store = Store::open(&path).unwrap();
    assert!(store.reader().account(dup).unwrap().is_some());
    assert_eq!(store.reader().account(HOSPITAL).unwrap().unwrap().0, before);
}
