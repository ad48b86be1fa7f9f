//! The rest of issue 12 in the TUI, headless on the demo notebook (in a file, so that another
//! handle can undo through `ops::undo`): follow-ups edited, cancelled and reopened wherever
//! they are seen; plans edited and their spends recorded and seen; a dossier timeline's
//! meetings moved, cancelled and done; Shift-Tab as terminals send it; popups that wrap.
//! Every change is undone and the notebook's export is then what it was.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use crate::common;

use common::{id_after, key, run, screen, typed};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kamnote::domain::{FollowUpStatus, InteractionStatus, PlanSubject};
use kamnote::store::{Store, TargetKind};
use kamnote::tui::{Action, App};

/// The demo notebook in a file, its path and the directory that keeps it.
fn file_app() -> (App, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    let app = common::demo_app_in(Store::open(&path).unwrap());
    (app, dir, path)
}

/// The whole notebook as `kam export` writes it.
fn export(path: &std::path::Path) -> String {
    let store = Store::open(path).unwrap();
    let mut out = Vec::new();
    kamnote::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new()).unwrap();
    String::from_utf8(out).unwrap()
}

/// `kam undo` from another handle on the same file: its message.
fn undo(path: &std::path::Path) -> String {
    let mut other = Store::open(path).unwrap();
    let now = common::morning().fixed_offset() + chrono::Duration::minutes(1);
    kamnote::ops::undo(&mut other, now).unwrap().message
}

/// Empties the focused one-line field.
fn clear(app: &mut App) {
    for _ in 0..120 {
        key(app, KeyCode::Backspace);
    }
}

fn footer(app: &App) -> String {
    screen(app, 100, 30).lines().nth(29).unwrap().to_string()
}

/// Moves down until the footer shows `wanted` (a key of the row the cursor is on).
fn down_to(app: &mut App, wanted: &str) {
    for _ in 0..60 {
        if footer(app).contains(wanted) {
            return;
        }
        run(app, &[Action::Down]);
    }
    panic!("no row with {wanted}: {}", screen(app, 100, 30));
}

fn status(app: &App) -> String {
    app.status().unwrap_or("").to_string()
}

// ---- 1. Follow-ups: edit, cancel, reopen ----

#[test]
fn e_on_an_agenda_follow_up_edits_its_text_and_due_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    let before = export(&path);
    down_to(&mut app, "e edit follow-up");
    assert!(
        footer(&app).contains("c cancel follow-up"),
        "{}",
        footer(&app)
    );
    key(&mut app, KeyCode::Char('e'));
    let form = screen(&app, 100, 30);
    assert!(form.contains("Edit follow-up #f"), "{form}");
    clear(&mut app);
    typed(&mut app, "mon");
    key(&mut app, KeyCode::Tab);
    clear(&mut app);
    typed(&mut app, "Send the revised price list");
    key(&mut app, KeyCode::Enter);
    let said = status(&app);
    assert!(said.starts_with("Saved follow-up #f"), "{said}");
    assert!(said.contains("Send the revised price list"), "{said}");
    let id = id_after(&said, "#f");
    let (f, _) = app.store().reader().followup(id).unwrap().unwrap();
    assert_eq!(f.text, "Send the revised price list");
    assert_eq!(
        f.due,
        kamnote::domain::Due::Day(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap())
    );
    assert!(undo(&path).contains("followup edit"));
    assert_eq!(export(&path), before);
}

#[test]
fn c_on_an_agenda_follow_up_cancels_it_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    let before = export(&path);
    down_to(&mut app, "c cancel follow-up");
    key(&mut app, KeyCode::Char('c'));
    // Asked first (on the agenda, `c` also cancels meetings): no writes nothing.
    let asked = screen(&app, 100, 30);
    assert!(asked.contains("Cancel follow-up #f"), "{asked}");
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(export(&path), before);
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Char('y'));
    let said = status(&app);
    assert!(said.starts_with("Cancelled #f"), "{said}");
    let id = id_after(&said, "#f");
    let reader = app.store().reader();
    assert_eq!(
        reader.followup(id).unwrap().unwrap().0.status,
        FollowUpStatus::Cancelled
    );
    assert!(undo(&path).contains("followup cancel"));
    assert_eq!(export(&path), before);
}

/// The person of the first open follow-up that is not a plan's step, and the follow-up.
fn person_with_followup(app: &App) -> (i64, i64) {
    let reader = app.store().reader();
    reader
        .open_followups_until(
            common::today() + chrono::Duration::days(60),
            &chrono::Local,
            100,
        )
        .unwrap()
        .into_iter()
        .find_map(|r| Some((r.followup.person?, r.followup.id)))
        .unwrap()
}

#[test]
fn the_follow_ups_tab_of_a_dossier_edits_the_plan_marks_done_and_cancels_each_undone() {
    let (mut app, _dir, path) = file_app();
    let (person, followup) = person_with_followup(&app);
    let plan = app
        .store()
        .reader()
        .plans_of(PlanSubject::Person(person))
        .unwrap()
        .first()
        .map(|p| p.id);
    let before = export(&path);
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Person, person),
            Action::NextTab,
            Action::NextTab,
        ],
    );
    let shown = footer(&app);
    for k in ["x follow-up done", "s snooze", "e edit follow-up"] {
        assert!(shown.contains(k), "{shown}");
    }
    // `e` edits the follow-up selected (the first one), not the person.
    key(&mut app, KeyCode::Char('e'));
    let form = screen(&app, 100, 30);
    assert!(form.contains("Edit follow-up #f"), "{form}");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    clear(&mut app);
    match plan {
        Some(p) => typed(&mut app, &format!("#{p}")),
        None => typed(&mut app, "#999"),
    }
    key(&mut app, KeyCode::Enter);
    let said = status(&app);
    let plan = plan.unwrap_or_else(|| panic!("the demo person has no plan: {said}"));
    assert!(said.starts_with("Saved follow-up #f"), "{said}");
    assert_eq!(id_after(&said, "#f"), followup);
    assert_eq!(
        app.store().reader().followup_plan(followup).unwrap(),
        Some(plan)
    );
    assert!(undo(&path).contains("followup edit"));
    assert_eq!(export(&path), before);
    // A plan that does not exist is named, and nothing is saved.
    run(&mut app, &[Action::Refresh]);
    key(&mut app, KeyCode::Char('e'));
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    clear(&mut app);
    typed(&mut app, "#999");
    key(&mut app, KeyCode::Enter);
    assert!(status(&app).contains("Plan #999"), "{}", status(&app));
    key(&mut app, KeyCode::Esc);
    assert_eq!(export(&path), before);
    // `x` and `c` on the tab, each undone.
    key(&mut app, KeyCode::Char('x'));
    assert!(status(&app).starts_with("Done #f"), "{}", status(&app));
    assert!(undo(&path).contains("followup done"));
    run(&mut app, &[Action::Refresh]);
    key(&mut app, KeyCode::Char('c'));
    key(&mut app, KeyCode::Enter);
    assert!(status(&app).starts_with("Cancelled #f"), "{}", status(&app));
    assert!(undo(&path).contains("followup cancel"));
    assert_eq!(export(&path), before);
}

#[test]
fn o_on_a_done_follow_up_an_interaction_set_reopens_it_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    // A follow-up an interaction set, marked done.
    let reader = app.store().reader();
    let (interaction, followup) = (1..200)
        .find_map(|i| {
            let f = reader
                .followups_of_interaction(i)
                .ok()?
                .into_iter()
                .next()?;
            Some((i, f))
        })
        .unwrap();
    if followup.status == FollowUpStatus::Open {
        let mut other = Store::open(&path).unwrap();
        kamnote::ops::run(
            &mut other,
            common::morning().fixed_offset(),
            &kamnote::ops::CompleteFollowUp {
                id: followup.id,
                version: None,
            },
        )
        .unwrap();
    }
    let before = export(&path);
    run(&mut app, &[Action::OpenInteraction(interaction)]);
    down_to(&mut app, "o reopen follow-up");
    key(&mut app, KeyCode::Char('o'));
    let said = status(&app);
    assert!(said.starts_with("Reopened follow-up #f"), "{said}");
    assert_eq!(
        app.store()
            .reader()
            .followup(followup.id)
            .unwrap()
            .unwrap()
            .0
            .status,
        FollowUpStatus::Open
    );
    // Open again, its line has the open follow-up's keys.
    let keys = footer(&app);
    assert!(keys.contains("x follow-up done"), "{keys}");
    assert!(undo(&path).contains("followup reopen"));
    assert_eq!(export(&path), before);
}

// ---- 2. Plans: edit, spends ----

/// A person with an active plan, and the plan.
fn person_with_plan(app: &App) -> (i64, i64) {
    let reader = app.store().reader();
    let rows = reader
        .plan_rows(Some(kamnote::domain::PlanStatus::Active), false, 100)
        .unwrap();
    rows.into_iter()
        .find_map(|r| match r.plan.subject {
            PlanSubject::Person(p) => Some((p, r.plan.id)),
            PlanSubject::Account(_) => None,
        })
        .unwrap()
}

#[test]
fn p_shows_a_dossiers_plans_and_records_a_spend_seen_there_and_undone() {
    let (mut app, _dir, path) = file_app();
    let (person, plan) = person_with_plan(&app);
    let before = export(&path);
    run(&mut app, &[Action::Open(TargetKind::Person, person)]);
    key(&mut app, KeyCode::Char('p'));
    let panel = screen(&app, 100, 30);
    assert!(panel.contains("Plans of"), "{panel}");
    assert!(panel.contains(&format!("#{plan} ")), "{panel}");
    key(&mut app, KeyCode::Char('$'));
    typed(&mut app, "1200");
    key(&mut app, KeyCode::Tab);
    clear(&mut app);
    typed(&mut app, "hospitality");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "yesterday");
    key(&mut app, KeyCode::Tab);
    typed(&mut app, "Dinner after the congress");
    key(&mut app, KeyCode::Enter);
    let said = status(&app);
    assert!(
        said.starts_with(&format!("Spent 1,200 EUR on plan #{plan}")),
        "{said}"
    );
    let spends = app.store().reader().plan_spends(plan).unwrap();
    let spend = spends.last().unwrap();
    assert!((spend.amount - 1200.0).abs() < 1e-9, "{spend:?}");
    assert_eq!(spend.day, common::today() - chrono::Duration::days(1));
    // Seen in the plans popup.
    key(&mut app, KeyCode::Char('p'));
    let panel = screen(&app, 100, 30);
    assert!(panel.contains("Dinner after the congress"), "{panel}");
    assert!(panel.contains("hospitality"), "{panel}");
    key(&mut app, KeyCode::Esc);
    assert!(undo(&path).contains("plan spend"));
    assert_eq!(export(&path), before);
    // A spend of nothing is refused by ops, naming the amount.
    run(&mut app, &[Action::Refresh]);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Char('$'));
    typed(&mut app, "0");
    key(&mut app, KeyCode::Enter);
    assert!(
        status(&app).contains("amount: 0 is not a spend"),
        "{}",
        status(&app)
    );
    key(&mut app, KeyCode::Esc);
    assert_eq!(export(&path), before);
}

#[test]
fn e_in_the_plans_popup_edits_the_plan_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    let (person, plan) = person_with_plan(&app);
    let before = export(&path);
    run(&mut app, &[Action::Open(TargetKind::Person, person)]);
    key(&mut app, KeyCode::Char('p'));
    key(&mut app, KeyCode::Char('e'));
    let form = screen(&app, 100, 30);
    assert!(form.contains(&format!("Edit plan #{plan}")), "{form}");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    clear(&mut app);
    typed(&mut app, "180000");
    key(&mut app, KeyCode::Enter);
    let said = status(&app);
    assert!(said.starts_with(&format!("Saved plan #{plan}")), "{said}");
    let (p, _) = app.store().reader().plan(plan).unwrap().unwrap();
    assert_eq!(p.budget, Some(180_000.0));
    assert!(undo(&path).contains("plan edit"));
    assert_eq!(export(&path), before);
}

// ---- 3. Meetings on a dossier's timeline ----

/// The account of the first planned meeting of the demo.
fn account_with_meeting(app: &App) -> i64 {
    let reader = app.store().reader();
    (1..200)
        .find_map(|i| {
            let (m, _) = reader.interaction(i).ok()??;
            (m.kind.is_scheduled() && m.status == InteractionStatus::Planned)
                .then_some(m.account)
                .flatten()
        })
        .unwrap()
}

/// An account's dossier on its Timeline tab, on its first planned meeting.
fn on_timeline_meeting(app: &mut App) {
    let account = account_with_meeting(app);
    run(
        app,
        &[
            Action::Open(TargetKind::Account, account),
            Action::NextTab,
            Action::NextTab,
        ],
    );
    down_to(app, "r reschedule");
}

#[test]
fn r_and_c_on_a_dossier_timeline_meeting_move_and_cancel_it_each_undone() {
    let (mut app, _dir, path) = file_app();
    let before = export(&path);
    on_timeline_meeting(&mut app);
    let keys = footer(&app);
    assert!(
        keys.contains("d meeting done") && keys.contains("c cancel meeting"),
        "{keys}"
    );
    key(&mut app, KeyCode::Char('r'));
    assert!(screen(&app, 100, 30).contains("Reschedule"));
    typed(&mut app, "mon 10:00");
    key(&mut app, KeyCode::Enter);
    let said = status(&app);
    assert!(said.starts_with("Moved #i"), "{said}");
    assert!(undo(&path).contains("meeting move"));
    assert_eq!(export(&path), before);
    run(&mut app, &[Action::Refresh]);
    down_to(&mut app, "c cancel meeting");
    key(&mut app, KeyCode::Char('c'));
    typed(&mut app, "The committee was postponed");
    key(&mut app, KeyCode::Enter);
    let said = status(&app);
    assert!(said.starts_with("Cancelled #i"), "{said}");
    let id = id_after(&said, "#i");
    let (m, _) = app.store().reader().interaction(id).unwrap().unwrap();
    assert_eq!(m.status, InteractionStatus::Cancelled);
    assert!(undo(&path).contains("meeting cancel"));
    assert_eq!(export(&path), before);
}

#[test]
fn d_on_a_dossier_timeline_meeting_still_ahead_asks_first_and_undo_reverts() {
    let (mut app, _dir, path) = file_app();
    let before = export(&path);
    on_timeline_meeting(&mut app);
    key(&mut app, KeyCode::Char('d'));
    let asked = screen(&app, 100, 30);
    assert!(asked.contains("mark it done now? y/n"), "{asked}");
    // No: nothing happens.
    key(&mut app, KeyCode::Char('n'));
    assert_eq!(export(&path), before);
    key(&mut app, KeyCode::Char('d'));
    key(&mut app, KeyCode::Char('y'));
    typed(&mut app, "Agreed to pilot the switch");
    run(&mut app, &[Action::Save]);
    let said = status(&app);
    assert!(said.starts_with("Done #i"), "{said}");
    assert!(undo(&path).contains("meeting"));
    assert_eq!(export(&path), before);
}

#[test]
fn a_note_on_the_timeline_has_no_meeting_keys() {
    let (mut app, _dir, _path) = file_app();
    let account = account_with_meeting(&app);
    run(
        &mut app,
        &[
            Action::Open(TargetKind::Account, account),
            Action::NextTab,
            Action::NextTab,
        ],
    );
    // Walk the whole timeline: on a row without the meeting keys, `r` says so.
    for _ in 0..40 {
        if !footer(&app).contains("r reschedule") {
            run(&mut app, &[Action::RescheduleMeeting]);
            assert!(!screen(&app, 100, 30).contains("Reschedule"));
            return;
        }
        run(&mut app, &[Action::Down]);
    }
}

// ---- 4. Shift-Tab ----

fn shift_tab() -> KeyEvent {
    KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
}

#[test]
fn shift_tab_as_terminals_send_it_works_wherever_it_is_advertised() {
    let (mut app, _dir, _path) = file_app();
    let account = account_with_meeting(&app);
    // A dossier: the previous tab.
    run(&mut app, &[Action::Open(TargetKind::Account, account)]);
    let mut other = common::demo_app();
    run(
        &mut other,
        &[Action::Open(TargetKind::Account, account), Action::PrevTab],
    );
    assert_eq!(app.key(&shift_tab()), Some(Action::PrevTab));
    let a = app.key(&shift_tab()).unwrap();
    run(&mut app, &[a]);
    assert_eq!(screen(&app, 100, 30), screen(&other, 100, 30));
    // The edit form, the capture popup, a deal's small form: the previous field.
    for opened in [
        Action::Edit,
        Action::Capture(kamnote::tui::CaptureKind::Note),
        Action::AddPlan,
    ] {
        run(&mut app, &[opened]);
        assert_eq!(app.key(&shift_tab()), Some(Action::PrevTab), "{opened:?}");
        key(&mut app, KeyCode::Esc);
        assert!(screen(&app, 100, 30).contains("Account"));
    }
}

// ---- 5. Popups wrap their text ----

/// The text inside the first bordered popup of `screen`, its lines joined by single spaces.
fn popup_text(screen: &str) -> String {
    let lines: Vec<Vec<char>> = screen.lines().map(|l| l.chars().collect()).collect();
    let top = lines
        .iter()
        .position(|l| l.contains(&'┌'))
        .unwrap_or_else(|| panic!("no popup: {screen}"));
    let x0 = lines[top].iter().position(|c| *c == '┌').unwrap();
    let x1 = lines[top].iter().position(|c| *c == '┐').unwrap();
    let mut words = Vec::new();
    // The title on the border counts too.
    words.push(
        lines[top][x0 + 1..x1]
            .iter()
            .collect::<String>()
            .replace('─', " "),
    );
    for l in &lines[top + 1..] {
        if l.get(x0) == Some(&'└') {
            break;
        }
        words.push(
            l.get(x0 + 1..x1.min(l.len()))
                .map_or(String::new(), |s| s.iter().collect()),
        );
    }
    words
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const LONG: &str = "Doctor Maximiliano Alejandro Fernández de la Santísima Trinidad y Montenegro";

/// A person of the demo (the first with a power-map link) renamed to [`LONG`], and the path.
fn long_named(app: &mut App, path: &std::path::Path) -> i64 {
    let mut other = Store::open(path).unwrap();
    let reader = other.reader();
    let found = (1..100)
        .find(|&id| {
            reader
                .person(id)
                .ok()
                .flatten()
                .is_some_and(|_| reader.links_of(id, 1).is_ok_and(|(l, _)| !l.is_empty()))
        })
        .unwrap();
    let (person, stamp) = reader.person(found).unwrap().unwrap();
    let id = found;
    kamnote::ops::run(
        &mut other,
        common::morning().fixed_offset(),
        &kamnote::ops::EditPerson {
            person: kamnote::domain::Person {
                name: LONG.into(),
                ..person
            },
            version: stamp.version,
            stage: None,
            append_personal: None,
        },
    )
    .unwrap();
    assert!(app.tick());
    id
}

#[test]
fn help_descriptions_wrap_in_their_column() {
    let mut app = common::demo_app();
    run(
        &mut app,
        &[Action::Go(kamnote::tui::ScreenKind::Deals), Action::Help],
    );
    // Tall enough for one column: the description goes on under itself.
    let help = popup_text(&screen(&app, 80, 60));
    assert!(help.contains("c pipeline / tender calendar"), "{help}");
}

#[test]
fn the_snooze_question_wraps_a_long_follow_up() {
    let (mut app, _dir, path) = file_app();
    down_to(&mut app, "s snooze");
    // The edit form names the follow-up selected.
    key(&mut app, KeyCode::Char('e'));
    let id = id_after(&screen(&app, 100, 30), "#f");
    key(&mut app, KeyCode::Esc);
    let text = format!("Send {LONG} the revised price list and the signed quality agreement");
    let mut other = Store::open(&path).unwrap();
    kamnote::ops::run(
        &mut other,
        common::morning().fixed_offset(),
        &kamnote::ops::EditFollowUp {
            id,
            text: Some(text.clone()),
            ..kamnote::ops::EditFollowUp::default()
        },
    )
    .unwrap();
    assert!(app.tick());
    key(&mut app, KeyCode::Char('s'));
    let asked = popup_text(&screen(&app, 100, 30));
    assert!(asked.contains(&text), "{asked}");
    assert!(asked.contains("until when?"), "{asked}");
}

#[test]
fn the_link_chooser_the_link_picker_and_the_unlink_question_wrap_a_long_name() {
    let (mut app, _dir, path) = file_app();
    let id = long_named(&mut app, &path);
    run(&mut app, &[Action::Open(TargetKind::Person, id)]);
    key(&mut app, KeyCode::Char('L'));
    let chooser = popup_text(&screen(&app, 100, 30));
    assert!(
        chooser.contains(&format!("{LONG} —?→ someone")),
        "{chooser}"
    );
    key(&mut app, KeyCode::Enter);
    let picker = popup_text(&screen(&app, 100, 30));
    assert!(picker.contains(LONG), "{picker}");
    key(&mut app, KeyCode::Esc);
    // The Links tab (Overview, Timeline, Follow-ups, Links): remove the first link?
    run(
        &mut app,
        &[Action::NextTab, Action::NextTab, Action::NextTab],
    );
    key(&mut app, KeyCode::Char('x'));
    let shown = screen(&app, 80, 24);
    let asked = popup_text(&shown);
    assert!(asked.contains(LONG), "{asked}");
    assert!(asked.contains("y / Enter: remove"), "{shown}");
}

#[test]
fn the_capture_candidates_wrap_a_long_name() {
    let (mut app, _dir, path) = file_app();
    long_named(&mut app, &path);
    // From the search screen (nothing selected), the capture asks who it is for.
    run(
        &mut app,
        &[
            Action::Search,
            Action::Capture(kamnote::tui::CaptureKind::Note),
        ],
    );
    typed(&mut app, "maximiliano");
    let shown = popup_text(&screen(&app, 80, 24));
    assert!(shown.contains(LONG), "{shown}");
}

#[test]
fn the_capture_date_preview_wraps_instead_of_being_cut() {
    let mut app = common::demo_app();
    run(
        &mut app,
        &[
            Action::Search,
            Action::Capture(kamnote::tui::CaptureKind::Meeting),
        ],
    );
    typed(&mut app, "virgen de la");
    key(&mut app, KeyCode::Enter);
    typed(&mut app, "yesterday 21:30");
    let shown = popup_text(&screen(&app, 80, 24));
    assert!(
        shown.contains("past: logged as done, say how it went"),
        "{shown}"
    );
}
