//! The dossiers are built once (`kamnote::dossier`) and painted by three fronts: every line of
//! every section of an account's and a person's dossier shows in `kam account show` /
//! `kam person show`, in the Markdown export and on the TUI's dossier tabs (issue 12.5).

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use assert_cmd::Command;
use kamnote::config::CadenceConfig;
use kamnote::dossier::{DossierSection, Limits, Notes, Part};
use kamnote::store::{Store, TargetKind};
use kamnote::text::sanitize_line;
use kamnote::tui::{Action, App};

use crate::common::{demo_app_in, morning, run, screen};

/// What `kam show` reads (the TUI and Markdown read more: they show these lines and more).
const CLI: Limits = Limits {
    people: 50,
    timeline: 10,
    followups: 20,
    links: 20,
    map: false,
};

fn kam(db: &std::path::Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("kam")
        .unwrap()
        .env("KAM_NOW", morning().to_rfc3339())
        .env("NO_COLOR", "1")
        .env_remove("KAM_CONFIG")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

/// Every tab of the dossier open on the app, on a screen wide and tall enough to cut nothing.
fn tabs(app: &mut App, kind: TargetKind, id: i64, count: usize) -> String {
    run(app, &[Action::Open(kind, id)]);
    let mut text = String::new();
    for _ in 0..count {
        text.push_str(&screen(app, 400, 400));
        run(app, &[Action::NextTab]);
    }
    text
}

/// Each line of `sections` is in the CLI's output, the Markdown and the TUI's tabs.
fn shown_by_all(sections: &[DossierSection], cli: &str, md: &str, tui: &str) {
    let mut lines = 0;
    for s in sections {
        assert!(cli.contains(&s.section.title), "{}\n{cli}", s.section.title);
        for item in &s.section.items {
            let text = sanitize_line(&item.text);
            lines += 1;
            assert!(cli.contains(text.as_ref()), "CLI lacks {text:?}\n{cli}");
            assert!(tui.contains(text.as_ref()), "TUI lacks {text:?}\n{tui}");
            // Markdown shows a note whole, not its first line cut.
            if s.part == Part::Timeline && item.detail {
                continue;
            }
            let escaped = if item.prose {
                kamnote::markdown::block(&item.text)
                    .trim_end()
                    .trim_end_matches('\\')
                    .to_string()
            } else {
                kamnote::markdown::escape(&text)
            };
            assert!(md.contains(&escaped), "Markdown lacks {escaped:?}\n{md}");
        }
    }
    assert!(lines > 20, "a demo dossier has more than {lines} lines");
}

#[test]
fn an_account_dossier_shows_the_same_lines_in_the_cli_markdown_and_tui() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    let mut app = demo_app_in(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let id = store
        .reader()
        .match_names(&[TargetKind::Account], "Virgen de la Peña", 5)
        .unwrap()[0]
        .id;
    let data = kamnote::dossier::account(
        &store.reader(),
        id,
        CLI,
        &morning(),
        &CadenceConfig::default(),
    )
    .unwrap();
    let sections = data.sections(Notes::FirstLine, &morning());
    let parts: Vec<Part> = sections.iter().map(|s| s.part).collect();
    for part in [
        Part::Head,
        Part::People,
        Part::Deals,
        Part::Timeline,
        Part::History,
    ] {
        assert!(parts.contains(&part), "{part:?} in {parts:?}");
    }
    let reference = format!("#a{id}");
    let cli = kam(&path, &["account", "show", &reference]);
    let md = kam(&path, &["export", "--format", "md", &reference]);
    let tui = tabs(&mut app, TargetKind::Account, id, 7);
    shown_by_all(&sections, &cli, &md, &tui);
}

#[test]
fn a_person_dossier_shows_the_same_lines_in_the_cli_markdown_and_tui() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    let mut app = demo_app_in(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let id = store
        .reader()
        .match_names(&[TargetKind::Person], "Ortega", 5)
        .unwrap()[0]
        .id;
    let data = kamnote::dossier::person(
        &store.reader(),
        id,
        CLI,
        &morning(),
        &CadenceConfig::default(),
    )
    .unwrap();
    let sections = data.sections(Notes::FirstLine, &morning());
    let parts: Vec<Part> = sections.iter().map(|s| s.part).collect();
    for part in [Part::Head, Part::Links, Part::FollowUps, Part::Timeline] {
        assert!(parts.contains(&part), "{part:?} in {parts:?}");
    }
    let reference = format!("#p{id}");
    let cli = kam(&path, &["person", "show", &reference]);
    let md = kam(&path, &["export", "--format", "md", &reference]);
    let tui = tabs(&mut app, TargetKind::Person, id, 5);
    shown_by_all(&sections, &cli, &md, &tui);
}
