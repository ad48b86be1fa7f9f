//! Hostile text (RELIABILITY.md T1, T4): escape payloads (OSC 52 clipboard, OSC 0 title, OSC 8
//! link, CSI 2J, CSI 6n, BEL, CR, BS, 8-bit CSI, RLO, ZWSP) stored in every text field — by
//! importing a JSON Lines file and through the CLI — and shown by every human CLI output and every
//! TUI screen, checked character by character (the TUI both in its cells and as the raw bytes a
//! real pseudo-terminal receives). Also wide and combining text: list columns stay aligned.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Local, NaiveDate, TimeZone};
use kamnote::clock::Clock;
use kamnote::domain::{Draft, DraftKind, RecordKind};
use kamnote::store::{Store, TargetKind};
use kamnote::tui::{Action, App, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};

const KAM: &str = env!("CARGO_BIN_EXE_kam");
const NOW: &str = "2026-11-27T08:00:00+00:00";

/// Every payload of RELIABILITY.md T1 in one string; each sequence is followed by a word, so a
/// leak would be the raw sequence followed by that word.
const PAYLOAD: &str = concat!(
    "\u{1b}]52;c;cHduZWQ=\u{7}clip ",
    "\u{1b}]0;pwned-title\u{7}title ",
    "\u{1b}]8;;http://evil.example/\u{1b}\\link\u{1b}]8;;\u{1b}\\ ",
    "\u{1b}[2Jwiped ",
    "\u{1b}[6nasked ",
    "bell\u{7} ",
    "over\rwrite ",
    "back\u{8}space ",
    "\u{9b}31mcsi8 ",
    "abc\u{202e}fed ",
    "zero\u{200b}width ",
    // Default-ignorable characters (invisible: they hide or fake text), each inside a word.
    "soft\u{ad}hyphen cgj\u{34f}x hangul\u{115f}\u{1160}fill khmer\u{17b4}\u{17b5}x ",
    "mongol\u{180e}x math\u{2061}\u{2064}x dep\u{206a}\u{206f}x hf\u{3164}\u{ffa0}x ",
    "anchor\u{fff9}\u{fffb}x music\u{1d173}\u{1d17a}x ",
    "tag\u{e0001}\u{e0041}\u{e0042}\u{e007f}x vs\u{e0100}\u{e01ef}x ",
    "joiner\u{200d}\u{200c}latin x\u{fe0f}y"
);

/// The invisible characters of issue 11.23, listed here rather than asked of the sanitizer, so
/// that a sanitizer that forgets one fails.
const INVISIBLE: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180e}', '\u{180e}'),
    ('\u{2061}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff9}', '\u{fffb}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

/// `what` (a field name, to find it on screen) followed by the payload.
fn hostile(what: &str) -> String {
    format!("{what} {PAYLOAD}")
}

/// A character that must never reach a terminal from data: C0 but `\n`, DEL, C1, bidi controls,
/// invisible ones (the sanitizer's list, with tab counted as a control too).
fn forbidden(c: char) -> bool {
    c != '\n'
        && (c.is_control()
            || kamnote::text::is_unsafe(c, false)
            || INVISIBLE.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)))
}

fn assert_clean(what: &str, text: &str) {
    if let Some((at, c)) = text.char_indices().find(|&(_, c)| forbidden(c)) {
        let from = text[..at]
            .char_indices()
            .rev()
            .nth(40)
            .map_or(0, |(i, _)| i);
        panic!(
            "{what}: {c:?} reached the terminal after {:?}",
            &text[from..at]
        );
    }
}

/// The notebook as a JSON Lines file: one record of each type, every text field hostile, dated
/// so that the agenda of 2026-11-27 shows them (a meeting, a follow-up, a birthday, deadlines).
fn hostile_jsonl() -> String {
    let h = hostile;
    let lines = [
        json!({"type":"kamnote","version":1}),
        json!({"type":"account","uid":"a-1","name":h("account-name"),"tier":"A","stage":"mid-kam",
            "kind":h("kind"),"territory":h("territory"),"city":h("city"),"address":h("address"),
            "website":h("website"),"phone":h("phone"),"about":h("about"),"needs":h("needs"),
            "plans":h("plans"),"competitors":h("competitors"),"tags":[h("tag")],
            "revenue":900_000,"our_sales":120_000,"currency":"EUR",
            "x-extra":h("extension")}),
        json!({"type":"person","uid":"p-1","account":"a-1","name":h("person-name"),
            "title":h("person-title"),"role":"economic-buyer","influence":5,"attitude":"supporter",
            "phone":h("phone"),"email":"ana@hostile.example","birthday":"--11-27","personal":h("personal"),
            // E-mail and languages follow rules (11.25) that refuse any control character,
            // so no payload gets in through them; cli::bad_values_are_refused_on_import checks.
            "languages":["es"],"tags":[h("tag")]}),
        json!({"type":"person","uid":"p-2","account":"a-1","name":h("second-person")}),
        json!({"type":"link","uid":"l-1","from":"p-2","to":"p-1","kind":"reports-to","note":h("link-note")}),
        json!({"type":"interaction","uid":"i-1","kind":"meeting","account":"a-1","people":["p-1"],
            "at":"2026-11-27T10:00:00+00:00","end":"2026-11-27T11:00:00+00:00",
            "title":h("meeting-title"),"body":h("meeting-body"),"location":h("location"),
            "tags":[h("tag")]}),
        json!({"type":"interaction","uid":"i-2","kind":"call","account":"a-1","people":["p-1"],
            "at":"2026-11-20T10:00:00+00:00","title":h("call-title"),"body":h("call-body"),
            "outcome":h("outcome")}),
        json!({"type":"followup","uid":"f-1","account":"a-1","person":"p-1","text":h("followup"),
            "due":"2026-11-27"}),
        json!({"type":"followup","uid":"f-2","account":"a-1","text":h("overdue"),"due":"2026-11-20"}),
        json!({"type":"deal","uid":"d-1","account":"a-1","title":h("deal-title"),"kind":"tender",
            "stage":"proposal","value":1000,"currency":"EUR","close":"2026-11-27",
            "milestones":[{"name":h("milestone"),"date":"2026-11-27"}],"notes":h("deal-notes")}),
        json!({"type":"obligation","uid":"o-1","deal":"d-1","text":h("obligation"),"due":"2026-11-27"}),
        json!({"type":"plan","uid":"pl-1","account":"a-1","objective":h("plan-objective"),
            "notes":h("plan-notes"),"target":"2026-12-31","budget":1000,"spent":100,
            "currency":"EUR","x-spend":[{"day":"2026-11-02","category":"hospitality",
            "amount":100,"note":h("spend-note")}]}),
        json!({"type":"plan","uid":"pl-2","person":"p-1","objective":h("person-plan"),
            "target":"2026-12-15"}),
        json!({"type":"followup","uid":"f-3","account":"a-1","text":h("plan-step"),
            "due":"2026-11-30","x-plan":"pl-1"}),
        // A won contract with an overdue client payment: receivables, pareto, the report.
        json!({"type":"deal","uid":"d-2","account":"a-1","title":h("contract-title"),
            "kind":"contract","stage":"won","value":5000,"currency":"EUR","close":"2026-11-25",
            "milestones":[{"name":h("contract-milestone"),"date":"2026-12-02"}],
            "notes":h("contract-notes")}),
        json!({"type":"obligation","uid":"o-2","deal":"d-2","text":h("invoice"),
            "due":"2026-11-10","party":"client","kind":"payment","amount":500,"currency":"EUR"}),
        json!({"type":"stage_change","uid":"s-2","subject":"d-2","ladder":"deal",
            "from":"negotiation","to":"won","at":"2026-11-25T09:00:00+00:00",
            "note":h("deal-stage-note")}),
        json!({"type":"stage_change","uid":"s-1","subject":"a-1","ladder":"account",
            "from":"early-kam","to":"mid-kam","at":"2026-11-01T09:00:00+00:00","note":h("stage-note")}),
    ];
    let mut text = lines
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

struct Notebook {
    dir: tempfile::TempDir,
}

impl Notebook {
    fn db(&self) -> PathBuf {
        self.dir.path().join("kam.db")
    }

    fn kam(&self) -> Command {
        let mut cmd = Command::new(KAM);
        cmd.env("TZ", "UTC")
            .env("KAM_NOW", NOW)
            .env("KAM_DB", self.db())
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.kam().args(args).output().unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(out.status.success(), "kam {args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// The hostile notebook, imported from the JSON Lines file, plus records added by the CLI.
    #[allow(clippy::too_many_lines)] // every record the CLI can add, one call each
    fn hostile() -> Self {
        let nb = Notebook {
            dir: tempfile::tempdir().unwrap(),
        };
        let file = nb.dir.path().join("hostile.jsonl");
        std::fs::write(&file, hostile_jsonl()).unwrap();
        nb.ok(&["import", file.to_str().unwrap()]);
        // The same payloads through the CLI's own arguments.
        nb.ok(&[
            "account",
            "add",
            &hostile("cli-account"),
            "--city",
            &hostile("cli-city"),
        ]);
        nb.ok(&[
            "person",
            "add",
            &hostile("cli-person"),
            "--account",
            "#a2",
            "--title",
            &hostile("cli-title"),
        ]);
        nb.ok(&[
            "note",
            "#a2",
            &hostile("cli-note"),
            "--title",
            &hostile("cli-note-title"),
        ]);
        nb.ok(&[
            "note",
            "#p3",
            &hostile("cli-person-note"),
            "-f",
            &format!("today {}", hostile("cli-followup")),
        ]);
        nb.ok(&[
            "followup",
            "add",
            "#p1",
            "--due",
            "today",
            &hostile("cli-promise"),
        ]);
        // Deals, obligations and plans through the CLI (#d3, its obligation #3, plan 3).
        nb.ok(&[
            "deal",
            "add",
            "--account",
            "#a2",
            "--title",
            &hostile("cli-deal"),
            "--kind",
            "tender",
            "--value",
            "250",
            "--currency",
            "EUR",
            "--probability",
            "40",
            "--close",
            "+10d",
            "--milestone",
            // NAME=DATE splits at the first `=`: the payload without its own `=`.
            &format!("{}=2026-12-01", hostile("cli-milestone").replace('=', "")),
            "--notes",
            &hostile("cli-deal-notes"),
        ]);
        nb.ok(&[
            "deal",
            "obligation",
            "add",
            "#d3",
            &hostile("cli-obligation"),
            "--due",
            "today",
            "--party",
            "client",
            "--kind",
            "payment",
            "--amount",
            "10",
            "--currency",
            "EUR",
        ]);
        nb.ok(&[
            "plan",
            "add",
            "--account",
            "#a2",
            "--objective",
            &hostile("cli-plan"),
            "--budget",
            "500",
            "--currency",
            "EUR",
            "--target",
            "+30d",
            "--notes",
            &hostile("cli-plan-notes"),
        ]);
        nb.ok(&[
            "plan",
            "spend",
            "3",
            "50",
            "--category",
            "events",
            "--note",
            &hostile("cli-spend"),
        ]);
        nb
    }
}

#[test]
fn every_field_imported_holds_the_exact_payload() {
    let nb = Notebook::hostile();
    let export = nb.ok(&["export"]);
    let want: Vec<Value> = hostile_jsonl()
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<Value> = export
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // Machine output keeps the exact text: every hostile value comes back byte for byte.
    for record in &want {
        let back = got.iter().find(|g| g["uid"] == record["uid"]).unwrap();
        for (key, value) in record.as_object().unwrap() {
            if value.as_str().is_some_and(|s| s.contains(PAYLOAD)) {
                assert_eq!(&back[key], value, "{}.{key}", record["uid"]);
            }
        }
    }
}

#[test]
#[allow(clippy::too_many_lines)] // the list of every human output, read top to bottom
fn no_cli_output_lets_a_payload_through() {
    let nb = Notebook::hostile();
    let commands: &[&[&str]] = &[
        &["agenda"],
        &["agenda", "--days", "7"],
        &["agenda", "--date", "2026-11-20", "--days", "14"],
        &["next"],
        &["next", "--short"],
        &["account", "show", "#a1"],
        &["account", "show", "#a2"],
        &["account", "list"],
        &["person", "show", "#p1"],
        &["person", "show", "#p2"],
        &["person", "show", "#p3"],
        &["person", "list"],
        &["followup", "list"],
        &["check"],
        // The power map, red flags, plans, prep, search, deals, money and reports.
        &["map", "#a1"],
        &["map", "#a1", "--width", "20"],
        &["map", "#a1", "--width", "200"],
        &["map", "#p1"],
        &["map", "#a2"],
        &["flags"],
        &["flags", "#a1"],
        &["flags", "#a2"],
        &["plan", "list"],
        &["plan", "list", "--all"],
        &["plan", "show", "1"],
        &["plan", "show", "2"],
        &["plan", "show", "3"],
        &["prep", "#i1"],
        &["prep", "#a1"],
        &["prep", "#p1"],
        &["prep", "#i1", "--md"],
        &["prep", "#a1", "--md"],
        &["search", "account-name"],
        &["search", "pwned"],
        &["search", "clip", "title", "link"],
        &["search", "cli-deal"],
        &["search", "contract-title"],
        &["deal", "list"],
        &["deal", "list", "--open"],
        &["deal", "show", "#d1"],
        &["deal", "show", "#d2"],
        &["deal", "show", "#d3"],
        &["deal", "calendar"],
        &["deal", "calendar", "--date", "2026-11-01"],
        &["receivables"],
        &["pareto"],
        &["report", "week"],
        &["report", "month"],
        &["export", "--format", "md", "#a1"],
        &["export", "--format", "md", "#a2"],
        &["export", "--format", "md", "#p1"],
        &["export", "--format", "md", "#p3"],
    ];
    for args in commands {
        let out = nb.run(args);
        assert!(out.status.success(), "kam {args:?}: {out:?}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_clean(&format!("kam {args:?} stdout"), &stdout);
        assert_clean(&format!("kam {args:?} stderr"), &stderr);
        // Each output does show hostile text (defanged), or the check above proves nothing.
        if *args != ["check"] {
            assert!(
                stdout.contains(r"\x1b"),
                "kam {args:?} shows no payload:\n{stdout}"
            );
        }
    }
    // The dossiers do show the payload, defanged.
    let shown = nb.ok(&["account", "show", "#a1"]);
    assert!(shown.contains(r"\x1b]52;c;cHduZWQ=\x07clip"), "{shown}");
    assert!(shown.contains(r"abc\u{202e}fed"), "{shown}");

    // Writes that confirm what they wrote, naming the record.
    let title = hostile("edited-deal");
    let objective = hostile("edited-plan");
    for args in [
        vec!["deal", "edit", "#d1", "--title", &title, "--notes", &title],
        vec!["stage", "#d1", "negotiation"],
        vec!["deal", "obligation", "done", "1"],
        vec!["plan", "edit", "1", "--objective", &objective],
        vec!["plan", "spend", "1", "5", "--note", &objective],
        vec!["link", "#p1", "ally", "#p3"],
        vec!["link", "#p1"],
    ] {
        let out = nb.run(&args);
        assert!(out.status.success(), "kam {args:?}: {out:?}");
        assert_clean(
            &format!("kam {args:?} stdout"),
            &String::from_utf8(out.stdout).unwrap(),
        );
        assert_clean(
            &format!("kam {args:?} stderr"),
            &String::from_utf8(out.stderr).unwrap(),
        );
    }

    // Queries and targets typed with the payload: whether they find something or fail, what is
    // echoed back is clean.
    for args in [
        vec!["search".to_string(), hostile("query")],
        vec!["search".into(), PAYLOAD.into()],
        vec!["prep".into(), hostile("no-such-meeting")],
        vec!["map".into(), hostile("no-such-account")],
        vec!["flags".into(), hostile("no-such-account")],
        vec!["deal".into(), "show".into(), hostile("no-such-deal")],
        vec![
            "deal".into(),
            "calendar".into(),
            "--date".into(),
            hostile("date"),
        ],
        vec![
            "report".into(),
            "week".into(),
            "--date".into(),
            hostile("date"),
        ],
        vec!["export".into(), "--format".into(), hostile("format")],
        vec![
            "export".into(),
            "--format".into(),
            "md".into(),
            hostile("nobody"),
        ],
        vec!["plan".into(), "show".into(), hostile("plan")],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = nb.run(&args);
        assert_clean(
            &format!("kam {args:?} stdout"),
            &String::from_utf8(out.stdout).unwrap(),
        );
        assert_clean(
            &format!("kam {args:?} stderr"),
            &String::from_utf8(out.stderr).unwrap(),
        );
    }

    // Error messages that echo input or data: an unknown name, a bad date, a broken import.
    let bad = nb.dir.path().join(format!(
        "bad{}.jsonl",
        // the escape payloads (the whole PAYLOAD is longer than a file name may be)
        PAYLOAD.split(" soft").next().unwrap().replace('/', "_")
    ));
    std::fs::write(
        &bad,
        format!(
            "{}\n{}\n",
            json!({"type":"kamnote","version":1}),
            json!({"type":"account","uid":hostile("uid"),"name":"x","tier":hostile("tier")})
        ),
    )
    .unwrap();
    for args in [
        vec!["note".to_string(), hostile("nobody"), "text".into()],
        vec!["agenda".into(), "--date".into(), hostile("date")],
        vec![
            "followup".into(),
            "add".into(),
            "#a1".into(),
            "--due".into(),
            hostile("when"),
            "x".into(),
        ],
        vec!["import".into(), bad.to_str().unwrap().into()],
        vec!["account".into(), "show".into(), hostile("no-such-account")],
        // clap's own errors echo what was typed.
        vec![hostile("no-such-command")],
        vec!["agenda".into(), hostile("--no-such-option")],
        vec!["agenda".into(), "--days".into(), hostile("days")],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = nb.run(&args);
        assert!(!out.status.success(), "kam {args:?} should fail");
        assert_clean(
            &format!("kam {args:?} stdout"),
            &String::from_utf8(out.stdout).unwrap(),
        );
        assert_clean(
            &format!("kam {args:?} stderr"),
            &String::from_utf8(out.stderr).unwrap(),
        );
    }
}

// The TUI, cell by cell -------------------------------------------------------------------------

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

fn morning() -> DateTime<Local> {
    Local
        .from_local_datetime(&today().and_hms_opt(8, 0, 0).unwrap())
        .earliest()
        .unwrap()
}

fn cells(app: &App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        for x in 0..width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn act(app: &mut App, actions: &[Action]) {
    for &a in actions {
        let mut next = Some(a);
        while let Some(a) = next.take() {
            next = app.update(a);
        }
    }
}

/// Every screen and tab of the TUI on the hostile notebook, each checked at two sizes.
#[test]
#[allow(clippy::too_many_lines)] // one walk through every screen, read top to bottom
fn no_tui_screen_lets_a_payload_through() {
    let nb = Notebook::hostile();
    let store = Store::open(&nb.db()).unwrap();
    let app = &mut App::new(store, Clock::fixed(morning().to_utc()), Theme::plain());
    let mut seen = 0;
    let mut shown = Vec::new();
    let mut check = |app: &App, what: &str| {
        for (w, h) in [(80, 24), (140, 45)] {
            let screen = cells(app, w, h);
            assert_clean(&format!("{what} at {w}×{h}"), &screen);
            if w == 140 && screen.contains(r"\x1b") {
                shown.push(what.to_string());
            }
        }
        seen += 1;
    };
    check(app, "agenda");
    act(app, &[Action::ToggleWeek]);
    check(app, "agenda week");
    act(app, &[Action::ToggleWeek, Action::PrevDay]);
    check(app, "agenda yesterday");
    act(app, &[Action::Today, Action::Help]);
    check(app, "help");
    act(app, &[Action::Back]);
    for (kind, id, tabs) in [
        // Account: overview, people, timeline, follow-ups, deals, map, history (7 tabs);
        // person: overview, timeline, follow-ups, links, history (5).
        (TargetKind::Account, 1, 7),
        (TargetKind::Account, 2, 7),
        (TargetKind::Person, 1, 5),
        (TargetKind::Person, 2, 5),
        (TargetKind::Person, 3, 5),
    ] {
        act(app, &[Action::Open(kind, id)]);
        for tab in 0..tabs {
            check(app, &format!("{kind:?} {id} tab {tab}"));
            act(app, &[Action::NextTab]);
        }
        act(app, &[Action::Back]);
    }
    for list in [
        kamnote::tui::ScreenKind::Accounts,
        kamnote::tui::ScreenKind::People,
    ] {
        act(app, &[Action::Go(list)]);
        check(app, &format!("{list:?}"));
        act(app, &[Action::Sort]);
        check(app, &format!("{list:?} sorted"));
        act(app, &[Action::OpenSelected]);
        check(app, &format!("{list:?} opened"));
        act(app, &[Action::Back]);
    }
    // The dossiers' popups: the edit form (every field), the stage choice, the link picker.
    act(app, &[Action::Open(TargetKind::Account, 1), Action::Edit]);
    check(app, "account edit form");
    act(
        app,
        &[
            Action::Back,
            Action::Back,
            Action::Open(TargetKind::Person, 1),
        ],
    );
    for (popup, what) in [
        (Action::Edit, "person edit form"),
        (Action::ChangeStage, "person stage"),
        (Action::AddLink, "link kind"),
    ] {
        act(app, &[popup]);
        check(app, what);
        if popup == Action::AddLink {
            act(
                app,
                &[Action::Input(crossterm::event::KeyEvent::from(
                    crossterm::event::KeyCode::Enter,
                ))],
            );
            check(app, "link person picker");
            act(app, &[Action::Back]);
        }
        act(app, &[Action::Back]);
    }
    act(app, &[Action::Back]);
    // The deals screen (pipeline and tender calendar, a deal opened), the insights screen.
    act(app, &[Action::Go(kamnote::tui::ScreenKind::Deals)]);
    check(app, "deals");
    for _ in 0..3 {
        act(app, &[Action::Down]);
        check(app, "deals moved");
    }
    act(app, &[Action::ToggleCalendar]);
    check(app, "tender calendar");
    act(
        app,
        &[Action::ToggleCalendar, Action::Top, Action::OpenSelected],
    );
    check(app, "deals opened");
    act(app, &[Action::Go(kamnote::tui::ScreenKind::Insights)]);
    check(app, "insights");
    act(app, &[Action::PageDown]);
    check(app, "insights paged");
    // The prep screen of the hostile meeting, scrolled.
    act(
        app,
        &[
            Action::Go(kamnote::tui::ScreenKind::Agenda),
            Action::Prep(1),
        ],
    );
    check(app, "prep");
    act(app, &[Action::PageDown]);
    check(app, "prep paged");
    act(app, &[Action::Back]);
    // The search screen: hits for the payload, for a name, and a hit opened.
    for query in ["pwned", "account-name", "cli-deal", PAYLOAD] {
        act(app, &[Action::Search]);
        check(app, "search empty");
        type_text(app, query);
        // The search runs once the keys pause (the event loop then reloads).
        act(app, &[Action::Refresh]);
        check(app, &format!("search {query}"));
        act(app, &[Action::Down]);
        check(app, &format!("search {query} moved"));
        act(app, &[Action::Back, Action::Back]);
    }
    act(app, &[Action::Go(kamnote::tui::ScreenKind::Agenda)]);
    for capture in [
        kamnote::tui::CaptureKind::Note,
        kamnote::tui::CaptureKind::FollowUp,
        kamnote::tui::CaptureKind::Meeting,
    ] {
        act(app, &[Action::Capture(capture)]);
        check(app, &format!("capture {capture:?}"));
        // The target picker lists the hostile names.
        type_text(app, "account-name");
        check(app, &format!("capture {capture:?} picker"));
        act(app, &[Action::Back, Action::Back]);
    }
    assert!(seen > 50, "{seen} screens checked");
    // The new screens did draw hostile text (defanged): the check above is not vacuous.
    for want in [
        "Account 1 tab 4",
        "Account 1 tab 5",
        "Person 1 tab 3",
        "deals",
        "tender calendar",
        "deals opened",
        "insights",
        "prep",
        "search pwned",
        "search account-name",
        "search cli-deal",
        "account edit form",
        "person edit form",
        "link person picker",
    ] {
        assert!(
            shown.iter().any(|s| s == want),
            "{want} showed no payload: {shown:?}"
        );
    }
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        act(
            app,
            &[Action::Input(crossterm::event::KeyEvent::from(
                crossterm::event::KeyCode::Char(c),
            ))],
        );
    }
}

// The TUI, byte by byte in a real pseudo-terminal ------------------------------------------------

/// Strips the escape sequences the TUI itself sends (CSI with numeric parameters, and the
/// two-byte ESC 7 / ESC 8 / ESC =, ESC >): what remains must be clean text.
fn without_own_sequences(raw: &[u8]) -> String {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == 0x1b && raw.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while j < raw.len() && (raw[j].is_ascii_digit() || b";?:<=>".contains(&raw[j])) {
                j += 1;
            }
            if j < raw.len() && (0x40..=0x7e).contains(&raw[j]) {
                i = j + 1;
                continue;
            }
        }
        if raw[i] == 0x1b && raw.get(i + 1).is_some_and(|b| b"78=>".contains(b)) {
            i += 2;
            continue;
        }
        out.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace('\r', "")
}

#[test]
fn the_real_terminal_receives_no_payload_byte() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: script (util-linux) is not installed; the raw-terminal test is skipped");
        return;
    }
    let nb = Notebook::hostile();
    // A recovered draft shows hostile text in the capture popup on start.
    {
        let mut store = Store::open(&nb.db()).unwrap();
        let at: DateTime<FixedOffset> = DateTime::parse_from_rfc3339(NOW).unwrap();
        let mut draft = Draft::new(DraftKind::Note);
        draft.target = Some((RecordKind::Account, 1));
        draft.text = hostile("draft");
        store.write(at, |w| w.save_draft(&draft)).unwrap();
    }
    let typescript = nb.dir.path().join("typescript");
    let command = format!(
        "stty rows 30 cols 100 -ixon; exec '{KAM}' --db '{}'",
        nb.db().display()
    );
    let mut child = Command::new("script")
        .args(["-q", "-f", "-e", "-c", &command])
        .arg(&typescript)
        .env("TZ", "UTC")
        .env("KAM_NOW", NOW)
        .env("TERM", "xterm-256color")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut keys = child.stdin.take().unwrap();
    // Keys, with pauses so each screen is drawn: the recovered draft (Ctrl-S saves it), the
    // first two accounts' dossiers and their tabs, the first two people's, the capture picker
    // filtered to a hostile name; then cancel and quit.
    let mut steps: Vec<&str> = vec!["\x13"];
    for (list, row) in [("2", ""), ("2", "j"), ("3", ""), ("3", "j")] {
        steps.extend([list, row, "\r", "\t", "\t", "\t", "\t", "\t", "\t", "\x1b"]);
    }
    // The deals screen (pipeline, a row down, the tender calendar and back, a deal opened), the
    // insights screen, the search screen with hits for the payload, the deal screen of the
    // agenda's overdue receivable, then the prep screen of its meeting (Enter on each).
    steps.extend(["4", "j", "c", "c", "k", "\r", "\x1b", "5", "\x1b"]);
    steps.extend([
        "/", "pwned", "", "\x1b[B", "\x1b", "1", "j", "\r", "", "\x1b", "j", "\r", "", "\x1b",
    ]);
    steps.extend(["1", "n", "account-name", "\x1b", "y", "q"]);
    // Keys go in once the first frame is out (before that the terminal is not yet raw).
    for _ in 0..200 {
        let drawn = std::fs::read(&typescript).unwrap_or_default();
        if without_own_sequences(&drawn).contains("Agenda") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    for step in steps {
        keys.write_all(step.as_bytes()).unwrap();
        keys.flush().unwrap();
        std::thread::sleep(Duration::from_millis(200));
    }
    drop(keys);
    let status = wait_or_kill(&mut child);
    let raw = std::fs::read(&typescript).unwrap();
    let text = without_own_sequences(&raw);
    if let Ok(dump) = std::env::var("KAM_HOSTILE_DUMP") {
        std::fs::write(dump, &text).unwrap();
    }
    // Draft, dossier tabs, lists and the picker were all drawn.
    for shown in [
        "draft",
        "meeting-title",
        "person-title",
        "second-person",
        "cli-account",
    ] {
        assert!(text.contains(shown), "{shown} was never drawn");
    }
    // The Map tab, the deals, calendar, insights, search (with its hits) and prep screens were
    // drawn too (the terminal only receives the cells that change, so these are the fragments
    // each screen is sure to send).
    for title in [
        "Power map",
        "Open pipeline",
        "(today)  milestone",
        "Insights",
        "Search: ▏",
        " matches ",
        "Obligations (1)",
        "Prep",
    ] {
        assert!(text.contains(title), "{title} was never drawn");
    }
    assert!(
        text.contains("account-name"),
        "the TUI drew nothing: {text}"
    );
    assert!(text.contains("pwned-title"), "no payload was shown: {text}");
    assert_clean("the raw terminal stream", &text);
    for leak in ["\u{1b}]", "\u{1b}[2Jwiped", "\u{1b}[6nasked", "\u{9b}31m"] {
        assert!(
            !String::from_utf8_lossy(&raw).contains(leak),
            "{leak:?} reached the terminal"
        );
    }
    if !status {
        eprintln!("note: kam was still running after the keys; it was killed");
    }
}

/// Waits up to 10 s for `script` to end (kam quit); kills it otherwise. True when it ended.
fn wait_or_kill(child: &mut std::process::Child) -> bool {
    for _ in 0..100 {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

// Wide and combining text ------------------------------------------------------------------------

#[test]
#[allow(clippy::too_many_lines)] // every list and table of the CLI and TUI, one after another
fn wide_and_combining_names_keep_list_columns_aligned() {
    let nb = Notebook {
        dir: tempfile::tempdir().unwrap(),
    };
    let names = [
        "山田太郎商事株式会社",
        "👨\u{200d}👩\u{200d}👧 Family Pharmacy",
        "Cafe\u{301} Ele\u{301}ne",
        "Ελένη Παπαδοπούλου Ιατρείο",
        "مستشفى محمد",
        "Plain Clinic",
    ];
    for name in names {
        nb.ok(&[
            "account",
            "add",
            name,
            "--tier",
            "B",
            "--city",
            "東京都千代田区丸の内",
        ]);
        nb.ok(&[
            "person",
            "add",
            &format!("{name} 様"),
            "--account",
            name,
            "--title",
            "Jefe de Farmacia",
        ]);
        nb.ok(&[
            "deal",
            "add",
            "--account",
            name,
            "--title",
            &format!("{name} 入札 2027"),
            "--value",
            "125000",
            "--currency",
            "EUR",
            "--probability",
            "40",
            "--close",
            "2027-03-31",
        ]);
    }
    // The CLI lists: every row as wide as its columns say.
    for args in [&["account", "list"][..], &["person", "list"][..]] {
        let out = nb.ok(args);
        assert_clean(&format!("{args:?}"), &out);
        // The column after the name starts at the same display cell on every line.
        let starts: Vec<usize> = out
            .lines()
            .map(|l| {
                let at = l.find("東京都").or_else(|| l.find("Jefe")).unwrap();
                kamnote::text::width(&l[..at])
            })
            .collect();
        assert!(
            starts.windows(2).all(|w| w[0] == w[1]),
            "{args:?}: {starts:?}\n{out}"
        );
        insta::assert_snapshot!(format!("wide_cli_{}", args[0]), out);
    }
    // `kam deal list`: the close date starts at the same cell on every deal's line.
    let deals = nb.ok(&["deal", "list"]);
    assert_clean("deal list", &deals);
    let lines: Vec<String> = deals.lines().map(str::to_string).collect();
    aligned(
        "kam deal list",
        &lines,
        "2027-03-31",
        names.len(),
        usize::MAX,
    );
    insta::assert_snapshot!("wide_cli_deal_list", deals);
    // The TUI lists at 80 columns: each line exactly 80 cells, and the columns after the name
    // start at the same cell on every row.
    let store = Store::open(&nb.db()).unwrap();
    let app = &mut App::new(store, Clock::fixed(morning().to_utc()), Theme::plain());
    for list in [
        kamnote::tui::ScreenKind::Accounts,
        kamnote::tui::ScreenKind::People,
    ] {
        act(app, &[Action::Go(list)]);
        let screen = rows(app, 80, 24);
        // Every line fits 80 cells, and "never" (the last-contact column) starts at the same
        // cell on every row.
        assert!(
            screen.iter().all(|l| kamnote::text::width(l) <= 80),
            "{screen:?}"
        );
        let starts: Vec<usize> = screen
            .iter()
            .filter_map(|l| l.find("never").map(|at| kamnote::text::width(&l[..at])))
            .collect();
        assert_eq!(starts.len(), names.len(), "{screen:?}");
        assert!(
            starts.windows(2).all(|w| w[0] == w[1]),
            "{list:?}: {starts:?}\n{}",
            screen.join("\n")
        );
        insta::assert_snapshot!(format!("wide_tui_{list:?}"), screen.join("\n"));
    }
    // The deals screen and the search results at 80 columns: each line fits, and the column
    // after the title (the close date, the record's kind) starts at the same cell on every row.
    act(app, &[Action::Go(kamnote::tui::ScreenKind::Deals)]);
    let deals = rows(app, 80, 24);
    aligned("deals", &deals, "2027-03-31", names.len(), 80);
    insta::assert_snapshot!("wide_tui_Deals", deals.join("\n"));
    act(
        app,
        &[Action::Go(kamnote::tui::ScreenKind::Agenda), Action::Search],
    );
    type_text(app, "様");
    act(app, &[Action::Refresh]);
    let found = rows(app, 80, 24);
    aligned("search", &found, "person ", names.len(), 80);
    insta::assert_snapshot!("wide_tui_Search", found.join("\n"));
}

/// Every row fits `cells` and `marker` starts at the same cell on the `count` rows holding it.
fn aligned(what: &str, screen: &[String], marker: &str, count: usize, cells: usize) {
    assert!(
        screen.iter().all(|l| kamnote::text::width(l) <= cells),
        "{what}: {screen:?}"
    );
    let starts: Vec<usize> = screen
        .iter()
        .filter_map(|l| l.find(marker).map(|at| kamnote::text::width(&l[..at])))
        .collect();
    assert_eq!(starts.len(), count, "{what}:\n{}", screen.join("\n"));
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "{what}: {starts:?}\n{}",
        screen.join("\n")
    );
}

/// The screen as rows of text, a wide character counted once (its second cell skipped).
fn rows(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| f.render_widget(app, f.area())).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            let mut line = String::new();
            let mut skip = 0;
            for x in 0..width {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let symbol = buffer[(x, y)].symbol();
                skip = kamnote::text::width(symbol).saturating_sub(1);
                line.push_str(symbol);
            }
            line.trim_end().to_string()
        })
        .collect()
}

// File formats ----------------------------------------------------------------------------------

/// Markdown's structure in data: a heading and a list item on their own lines, a link, an image,
/// HTML, emphasis, code and a table pipe.
const MARKDOWN: &str = "md\n# injected-heading\n- injected-item\n[link](http://evil.example/) \
    ![img](http://evil.example/x.png) <img src=x onerror=alert(1)> *bold* `code` | pipe";

/// A notebook whose every Markdown-bound text holds [`MARKDOWN`] and the T1 payload.
fn markdown_notebook() -> Notebook {
    let nb = Notebook {
        dir: tempfile::tempdir().unwrap(),
    };
    // Names hold at most 300 characters: a shorter part of the payload.
    let m = |what: &str| {
        format!("{what} {MARKDOWN} \u{1b}]0;pwned-title\u{7} \u{9b}31m \u{202e}bidi \rcr")
    };
    let lines = [
        json!({"type":"kamnote","version":1}),
        json!({"type":"account","uid":"a-1","name":m("account"),"tier":"A","stage":"mid-kam",
            "about":m("about"),"needs":m("needs"),"revenue":1000,"our_sales":100,"currency":"EUR"}),
        json!({"type":"person","uid":"p-1","account":"a-1","name":m("person"),"title":m("title"),
            "personal":m("personal")}),
        json!({"type":"interaction","uid":"i-1","kind":"meeting","account":"a-1","people":["p-1"],
            "at":"2026-11-27T10:00:00+00:00","title":m("meeting"),"body":m("agenda")}),
        json!({"type":"interaction","uid":"i-2","kind":"call","account":"a-1","people":["p-1"],
            "at":"2026-11-24T10:00:00+00:00","title":m("call"),"body":m("call-body")}),
        json!({"type":"followup","uid":"f-1","account":"a-1","text":m("followup"),"due":"2026-11-26"}),
        json!({"type":"deal","uid":"d-1","account":"a-1","title":m("deal"),"kind":"contract",
            "stage":"won","value":100,"currency":"EUR","close":"2026-11-25","notes":m("notes")}),
        json!({"type":"stage_change","uid":"s-1","subject":"d-1","ladder":"deal",
            "from":"negotiation","to":"won","at":"2026-11-25T09:00:00+00:00","note":m("why")}),
        json!({"type":"plan","uid":"pl-1","account":"a-1","objective":m("plan"),"budget":10,
            "spent":1,"currency":"EUR","target":"2026-12-31"}),
    ];
    let file = nb.dir.path().join("md.jsonl");
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    std::fs::write(&file, text).unwrap();
    nb.ok(&["import", file.to_str().unwrap()]);
    nb
}

#[test]
fn markdown_outputs_keep_data_inert() {
    let nb = markdown_notebook();
    let out = nb.dir.path().join("report.md");
    nb.ok(&["report", "week", "--output", out.to_str().unwrap()]);
    let to_file = std::fs::read_to_string(&out).unwrap();
    for (args, md) in [
        (vec!["prep", "#i1", "--md"], None),
        (vec!["report", "week"], None),
        (vec!["report", "month"], None),
        (vec!["export", "--format", "md", "#a1"], None),
        (vec!["export", "--format", "md", "#p1"], None),
        (
            vec!["report", "week", "--output", "(file)"],
            Some(to_file.clone()),
        ),
    ] {
        let md = md.unwrap_or_else(|| nb.ok(&args));
        let what = format!("kam {args:?}");
        // On a terminal (and in the file): no control character from the data.
        assert_clean(&what, &md);
        assert!(md.contains("pwned-title"), "{what} shows no data:\n{md}");
        // The data cannot start a line of its own, nor make a link, an image, HTML or emphasis.
        for line in md.lines() {
            let bare = line.trim_start_matches(['#', '-', '*', ' ', '>', '|']);
            assert!(
                !bare.starts_with("injected-"),
                "{what}: data started a Markdown line: {line:?}\n{md}"
            );
        }
        for live in ["[link](", "![img](", " *bold*", " `code`"] {
            assert!(
                !md.contains(live),
                "{what}: {live:?} is live Markdown:\n{md}"
            );
        }
        assert_eq!(
            md.matches("<img").count(),
            md.matches("\\<img").count(),
            "{what}: live HTML:\n{md}"
        );
        // Inside a table row, a pipe in data is escaped: every row has its header's cell count.
        let mut columns = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                columns = None;
                continue;
            }
            let cells = line.replace("\\|", "").matches('|').count();
            let want = *columns.get_or_insert(cells);
            assert_eq!(cells, want, "{what}: a table row split: {line:?}");
        }
    }
}

/// Text that means something to vCard, iCalendar and CSV: separators, quotes, a backslash, a
/// line break that tries to start a property of its own, and formula starters.
const RFC: &str = "Doe, Jane; \"Q\" \\ back\nATTENDEE:mailto:evil@example.com\r\nEND:VEVENT";

fn files_notebook() -> Notebook {
    let nb = Notebook {
        dir: tempfile::tempdir().unwrap(),
    };
    let r = |what: &str| format!("{what} {RFC} {PAYLOAD}");
    // Names are one line and at most 300 characters.
    let name = |what: &str| format!("{what} Doe, Jane; \"Q\" \\ back \u{1b}]0;pwned-title\u{7}");
    let lines = [
        json!({"type":"kamnote","version":1}),
        json!({"type":"account","uid":"a-1","name":"=HYPERLINK(\"http://evil.example\",\"x\")",
            "tier":"A","city":"+1+2","about":r("about")}),
        json!({"type":"account","uid":"a-2","name":name("account"),"city":"@SUM(A1)"}),
        json!({"type":"person","uid":"p-1","account":"a-2","name":name("person"),
            "title":r("title"),"phone":"-1+1","email":"jane@example.com"}),
        json!({"type":"interaction","uid":"i-1","kind":"meeting","account":"a-2","people":["p-1"],
            "at":"2026-11-27T10:00:00+00:00","end":"2026-11-27T11:00:00+00:00",
            "title":r("meeting"),"body":r("body"),"location":r("location")}),
        json!({"type":"followup","uid":"f-1","account":"a-2","text":r("followup"),"due":"2026-11-28"}),
        json!({"type":"deal","uid":"d-1","account":"a-2","title":"=1+1","notes":r("notes")}),
    ];
    let file = nb.dir.path().join("files.jsonl");
    let text: String = lines.iter().map(|l| l.to_string() + "\n").collect();
    std::fs::write(&file, text).unwrap();
    nb.ok(&["import", file.to_str().unwrap()]);
    nb
}

/// The content lines of a vCard or iCalendar file, unfolded; each must be `NAME[;params]:value`
/// (a line break in data never starts a property of its own).
fn content_lines(what: &str, file: &str) -> Vec<String> {
    assert!(file.ends_with("\r\n"), "{what}: not CRLF-ended");
    let mut lines: Vec<String> = Vec::new();
    for physical in file.split("\r\n").filter(|l| !l.is_empty()) {
        assert!(
            !physical.contains(['\r', '\n']),
            "{what}: a bare line break"
        );
        if let Some(rest) = physical.strip_prefix(' ') {
            lines.last_mut().unwrap().push_str(rest);
        } else {
            let name_end = physical.find([':', ';']).unwrap_or(0);
            assert!(
                name_end > 0
                    && physical[..name_end]
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-'),
                "{what}: not a content line: {physical:?}"
            );
            lines.push(physical.to_string());
        }
    }
    lines
}

#[test]
fn vcard_and_icalendar_keep_text_escaped_and_round_trip() {
    let nb = files_notebook();
    let vcf = nb.ok(&["export", "--format", "vcf"]);
    let ics = nb.ok(&["export", "--format", "ics"]);
    for (what, file) in [("vcf", &vcf), ("ics", &ics)] {
        let lines = content_lines(what, file);
        // The injected property never became one.
        assert!(
            !lines.iter().any(|l| l.starts_with("ATTENDEE:mailto:evil")),
            "{what}: {file}"
        );
        let begins = lines.iter().filter(|l| l.starts_with("BEGIN:")).count();
        let ends = lines.iter().filter(|l| l.starts_with("END:")).count();
        assert_eq!(begins, ends, "{what}: {file}");
        // Separators, backslashes and line breaks in TEXT are escaped (RFC 6350 §3.4, RFC 5545
        // §3.3.11).
        let unfolded = lines.join("\n");
        assert!(
            unfolded.contains(r"Doe\, Jane\; ")
                && unfolded.contains(r"\\ back")
                && unfolded.contains(r"\nATTENDEE:mailto:evil@example.com\nEND:VEVENT"),
            "{what}: {unfolded}"
        );
    }
    // Both come back as they were: into a new notebook, then out as JSON.
    let back = Notebook {
        dir: tempfile::tempdir().unwrap(),
    };
    for (name, text) in [("people.vcf", &vcf), ("calendar.ics", &ics)] {
        let file = back.dir.path().join(name);
        std::fs::write(&file, text).unwrap();
        back.ok(&["import", file.to_str().unwrap()]);
    }
    let export = back.ok(&["export"]);
    let records: Vec<Value> = export
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let field = |kind: &str, key: &str| -> Vec<String> {
        records
            .iter()
            .filter(|r| r["type"] == kind)
            .filter_map(|r| r[key].as_str().map(str::to_string))
            .collect()
    };
    let person = "person Doe, Jane; \"Q\" \\ back \u{1b}]0;pwned-title\u{7}";
    assert!(
        field("person", "name").contains(&person.to_string()),
        "{export}"
    );
    // A line break comes back as `\n` (vCard and iCalendar have one escape for CRLF, CR, LF).
    let lf = |s: String| s.replace("\r\n", "\n").replace('\r', "\n");
    let title = lf(format!("title {RFC} {PAYLOAD}"));
    assert!(field("person", "title").contains(&title), "{export}");
    let body = lf(format!("body {RFC} {PAYLOAD}"));
    assert!(
        field("interaction", "body")
            .iter()
            .any(|b| b.contains(&body)),
        "{export}"
    );
}

#[test]
fn csv_keeps_the_formula_guard_and_round_trips() {
    let nb = files_notebook();
    for table in ["accounts", "people", "interactions", "deals", "followups"] {
        let csv = nb.ok(&["export", "--format", "csv", "--table", table]);
        // No cell starts with a formula character: a quoted or bare cell after a separator or
        // at a line start.
        let mut in_quotes = false;
        let mut cell_start = true;
        // Rows end with CRLF (RFC 4180); a CR alone at a cell's start would be a formula starter.
        for c in csv.replace("\r\n", "\n").chars() {
            if cell_start && !in_quotes && c == '"' {
                in_quotes = true;
                continue;
            }
            if cell_start {
                assert!(
                    !['=', '+', '-', '@', '\t', '\r'].contains(&c),
                    "{table}: a cell starts with {c:?}:\n{csv}"
                );
            }
            cell_start = false;
            match c {
                '"' => in_quotes = !in_quotes,
                ',' | '\n' if !in_quotes => cell_start = true,
                _ => {}
            }
        }
        if table != "interactions" && table != "followups" {
            assert!(
                ["'=", "'+", "'-", "'@"].iter().any(|g| csv.contains(g)),
                "{table}: no guarded cell:\n{csv}"
            );
        }
    }
    // The accounts come back unguarded, exactly.
    let csv = nb.ok(&["export", "--format", "csv", "--table", "accounts"]);
    let back = Notebook {
        dir: tempfile::tempdir().unwrap(),
    };
    let file = back.dir.path().join("accounts.csv");
    std::fs::write(&file, csv).unwrap();
    back.ok(&["import", file.to_str().unwrap(), "--table", "accounts"]);
    let shown: Value =
        serde_json::from_str(&back.ok(&["account", "show", "--json", "HYPERLINK"])).unwrap();
    assert_eq!(
        shown["account"]["name"],
        "=HYPERLINK(\"http://evil.example\",\"x\")"
    );
    assert_eq!(shown["account"]["city"], "+1+2");
}

/// The file formats carry the exact text (control characters too), so they never go to a
/// terminal: `kam export` without `-o` refuses one, and nothing of the data reaches it.
#[test]
fn file_formats_are_never_written_to_a_terminal() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("note: script (util-linux) is not installed; the terminal test is skipped");
        return;
    }
    let nb = files_notebook();
    for format in [
        "--format jsonl",
        "--format vcf",
        "--format ics",
        "--format csv --table people",
    ] {
        let typescript = nb.dir.path().join("typescript");
        let command = format!("exec '{KAM}' --db '{}' export {format}", nb.db().display());
        let status = Command::new("script")
            .args(["-q", "-e", "-c", &command])
            .arg(&typescript)
            .env("TZ", "UTC")
            .env("KAM_NOW", NOW)
            .env("TERM", "xterm-256color")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(!status.success(), "export {format} wrote to a terminal");
        // What kam sent, without script's own header and footer lines and kam's own styling.
        let raw = std::fs::read(&typescript).unwrap();
        let sent: String = without_own_sequences(&raw)
            .lines()
            .filter(|l| !l.starts_with("Script "))
            .map(|l| l.to_string() + "\n")
            .collect();
        assert!(sent.contains("-o "), "export {format}: {sent}");
        assert!(!sent.contains("pwned-title"), "export {format}: {sent}");
        assert_clean(&format!("export {format} on a terminal"), &sent);
    }
}

/// 11.23: what correct text needs stays (an emoji ZWJ sequence, VS16 after an emoji, a keycap, a
/// subdivision flag, ZWNJ in Persian, ZWJ in a Devanagari conjunct); the same invisible
/// characters anywhere else are shown escaped.
#[test]
fn joiners_stay_only_where_text_needs_them() {
    let nb = Notebook {
        dir: tempfile::tempdir().unwrap(),
    };
    let kept = [
        "👨\u{200d}👩\u{200d}👧",
        "❤\u{fe0f}",
        "👍🏽",
        "🏳\u{fe0f}\u{200d}🌈",
        "1\u{fe0f}\u{20e3}",
        "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
        "می\u{200c}خواهم",
        "क्\u{200d}ष",
    ];
    let escaped = [
        ("pay\u{200d}pal", "pay\\u{200d}pal"),
        ("ad\u{200c}min", "ad\\u{200c}min"),
        ("x\u{fe0f}y", "x\\u{fe0f}y"),
        ("\u{200d}👩", "\\u{200d}👩"),
        ("a\u{e0067}\u{e007f}", "a\\u{e0067}\\u{e007f}"),
        ("🏴\u{e0041}\u{e0001}", "🏴\\u{e0041}\\u{e0001}"),
    ];
    let name = kept
        .iter()
        .chain(escaped.iter().map(|(raw, _)| raw))
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    nb.ok(&["account", "add", &name]);
    let shown = nb.ok(&["account", "show", "#a1"]);
    for k in kept {
        assert!(shown.contains(k), "{k:?} was not kept in {shown:?}");
    }
    for (raw, shown_as) in escaped {
        assert!(
            shown.contains(shown_as),
            "{raw:?} not shown as {shown_as} in {shown:?}"
        );
    }
}
