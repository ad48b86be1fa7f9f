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

/// The dossier of the demo's `name` (`tabs` tabs in the TUI) holds every `parts` and shows
/// every line in the three fronts.
fn check(kind: TargetKind, name: &str, tabs_count: usize, parts: &[Part]) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    let mut app = demo_app_in(Store::open(&path).unwrap());
    let store = Store::open(&path).unwrap();
    let id = store.reader().match_names(&[kind], name, 5).unwrap()[0].id;
    let (now, cadence) = (morning(), CadenceConfig::default());
    let sections = match kind {
        TargetKind::Person => kamnote::dossier::person(&store.reader(), id, CLI, &now, &cadence)
            .unwrap()
            .sections(Notes::FirstLine, &now),
        _ => kamnote::dossier::account(&store.reader(), id, CLI, &now, &cadence)
            .unwrap()
            .sections(Notes::FirstLine, &now),
    };
    let found: Vec<Part> = sections.iter().map(|s| s.part).collect();
    for part in parts {
        assert!(found.contains(part), "{part:?} in {found:?}");
    }
    let (show, reference) = match kind {
        TargetKind::Person => ("person", format!("#p{id}")),
        _ => ("account", format!("#a{id}")),
    };
    let cli = kam(&path, &[show, "show", &reference]);
    let md = kam(&path, &["export", "--format", "md", &reference]);
    let tui = tabs(&mut app, kind, id, tabs_count);
    shown_by_all(&sections, &cli, &md, &tui);
}

#[test]
fn an_account_dossier_shows_the_same_lines_in_the_cli_markdown_and_tui() {
    check(
        TargetKind::Account,
        "Virgen de la Peña",
        7,
        &[
            Part::Head,
            Part::People,
            Part::Deals,
            Part::Timeline,
            Part::History,
        ],
    );
}

#[test]
fn a_person_dossier_shows_the_same_lines_in_the_cli_markdown_and_tui() {
    check(
        TargetKind::Person,
        "Ortega",
        5,
        &[Part::Head, Part::Links, Part::FollowUps, Part::Timeline],
    );
}
