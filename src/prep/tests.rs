use chrono::{DateTime, FixedOffset, NaiveDate};

use super::*;
use crate::cadence::CadenceConfig;
use crate::domain::Birthday;
use crate::store::{Store, UidTable};

/// Friday 27 November 2026, 08:10 in Madrid: the demo's "today".
fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T08:10:00+01:00").unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn demo() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let lines = crate::demo::demo_lines(now().date_naive(), *now().offset());
    crate::interop::jsonl::import(&mut store, lines.join("\n").as_bytes(), now(), &mut |_| {})
        .unwrap();
    store
}

fn id(store: &Store, table: UidTable, uid: &str) -> Id {
    store.reader().id_by_uid(table, uid).unwrap().unwrap()
}

#[test]
fn tomorrows_first_meeting_has_everything_to_walk_in_with() {
    let store = demo();
    let meeting = id(&store, UidTable::Interactions, "demo-i9006");
    let brief = build(
        &store.reader(),
        PrepTarget::Meeting(meeting),
        &now(),
        &CadenceConfig::default(),
    )
    .unwrap()
    .unwrap();
    let m = brief.meeting.as_ref().unwrap();
    assert_eq!(m.countdown, "tomorrow 10:00");
    assert_eq!(
        m.location.as_deref(),
        Some("Dirección de Gestión, Hospital Los Olmos")
    );
    assert!(brief.attendees);
    let names: Vec<&str> = brief.people.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Matías Grande Soler", "Jorge Blanco Miralles"]);
    let jorge = &brief.people[1];
    assert_eq!(
        jorge.birthday,
        Some(BirthdaySoon {
            date: day("2026-11-28"),
            in_days: 1,
            turns: Some(51)
        })
    );
    assert!(
        jorge
            .personal
            .as_deref()
            .unwrap()
            .contains("evaluation committee")
    );
    assert!(brief.interactions.len() <= LAST_INTERACTIONS as usize);
    assert!(!brief.interactions.is_empty());
    // Promises on both sides: ours (follow-ups, an obligation) and theirs (overdue).
    assert!(
        brief
            .promises
            .iter()
            .any(|p| p.by == Some(Party::Client) && p.due < brief.today)
    );
    assert!(
        brief
            .promises
            .iter()
            .any(|p| p.text.starts_with("Send Matías Grande"))
    );
    assert!(brief.promises.windows(2).all(|w| w[0].due <= w[1].due));
    let tender = brief
        .deals
        .iter()
        .find(|d| d.kind == Some(DealKind::Tender))
        .unwrap();
    assert_eq!(tender.next_milestone.as_ref().unwrap().name, "Consultas");
    let plan = &brief.plans[0];
    assert_eq!(
        plan.progress.steps,
        crate::domain::StepCount { done: 1, total: 3 }
    );
    assert_eq!(plan.progress.overrun(), None);
}

#[test]
fn the_markdown_of_tomorrows_first_meeting() {
    let store = demo();
    let meeting = id(&store, UidTable::Interactions, "demo-i9006");
    let brief = build(
        &store.reader(),
        PrepTarget::Meeting(meeting),
        &now(),
        &CadenceConfig::default(),
    )
    .unwrap()
    .unwrap();
    insta::assert_snapshot!(markdown::write(&brief, now().offset()));
}

#[test]
fn a_plan_over_budget_is_flagged_in_the_prep() {
    let store = demo();
    let ortega = id(&store, UidTable::People, "demo-p002");
    let brief = build(
        &store.reader(),
        PrepTarget::Person(ortega),
        &now(),
        &CadenceConfig::default(),
    )
    .unwrap()
    .unwrap();
    // His next meeting is today's coffee at 16:30.
    assert_eq!(
        brief.meeting.as_ref().unwrap().title.as_deref(),
        Some("Café con el Dr. Ortega: simposio SER 🎂")
    );
    let plan = brief
        .plans
        .iter()
        .find(|p| p.objective.starts_with("Javier Ortega"))
        .unwrap();
    assert_eq!(plan.progress.overrun(), Some(310.0));
    let lines: Vec<Item> = brief
        .sections(now().offset())
        .into_iter()
        .flat_map(|s| s.items)
        .collect();
    assert!(
        lines
            .iter()
            .any(|i| i.tone == Tone::Alert && i.text.contains("OVER BUDGET by 310 EUR")),
        "{lines:#?}"
    );
}

#[test]
fn without_a_meeting_an_account_brings_its_key_people() {
    let store = demo();
    // MedSupply (Vienna): only a cancelled meeting, none planned.
    let account = id(&store, UidTable::Accounts, "demo-a16");
    let brief = build(
        &store.reader(),
        PrepTarget::Account(account),
        &now(),
        &CadenceConfig::default(),
    )
    .unwrap()
    .unwrap();
    assert!(brief.meeting.is_none());
    assert!(!brief.attendees);
    assert!(!brief.people.is_empty() && brief.people.len() <= KEY_PEOPLE as usize);
    // Key people (influence 4–5) first, then the others.
    let key: Vec<bool> = brief
        .people
        .iter()
        .map(|p| p.influence >= Some(4))
        .collect();
    assert!(key.windows(2).all(|w| w[0] >= w[1]), "{key:?}");
    assert!(key[0], "{:?}", brief.people);
    let first = &brief.sections(now().offset())[0].items[0];
    assert!(
        first.text.starts_with("No meeting planned with"),
        "{first:?}"
    );
}

#[test]
fn an_unknown_target_is_none() {
    let store = demo();
    for target in [
        PrepTarget::Meeting(999_999),
        PrepTarget::Account(999_999),
        PrepTarget::Person(999_999),
    ] {
        assert_eq!(
            build(&store.reader(), target, &now(), &CadenceConfig::default()).unwrap(),
            None
        );
    }
}

#[test]
fn a_birthday_is_coming_up_within_thirty_days() {
    let b = |s: &str| s.parse::<Birthday>().unwrap();
    let today = day("2026-11-27");
    assert_eq!(birthday_soon(b("--11-27"), today).unwrap().in_days, 0);
    assert_eq!(birthday_soon(b("--12-27"), today).unwrap().in_days, 30);
    assert_eq!(birthday_soon(b("--12-28"), today), None);
    assert_eq!(
        birthday_soon(b("--11-26"), today),
        None,
        "yesterday's is a year away"
    );
    // Across the year end, with the age reached next year.
    let soon = birthday_soon(b("1970-01-05"), day("2026-12-20")).unwrap();
    assert_eq!(
        (soon.date, soon.in_days, soon.turns),
        (day("2027-01-05"), 16, Some(57))
    );
    // 29 February in a common year is kept on the 28th.
    assert_eq!(
        birthday_soon(b("--02-29"), day("2027-02-20")).unwrap().date,
        day("2027-02-28")
    );
}

#[test]
fn markdown_marks_and_control_characters_in_data_are_defanged() {
    assert_eq!(
        markdown::escape("# [x](http://e) *b* a_b"),
        "# \\[x\\](http://e) \\*b\\* a\\_b"
    );
    let escaped = markdown::escape("a\x1b]52;c;Zm9v\x07b <script>");
    assert!(
        !escaped.contains('\x1b') && !escaped.contains('\x07'),
        "{escaped:?}"
    );
    assert!(escaped.contains("\\<script\\>"));
}

#[test]
fn promises_are_bounded_and_say_when_there_are_more() {
    use crate::domain::{Due, Extra, FollowUp};
    let mut store = demo();
    let account = id(&store, UidTable::Accounts, "demo-a16");
    let brief = |s: &Store| {
        build(
            &s.reader(),
            PrepTarget::Account(account),
            &now(),
            &CadenceConfig::default(),
        )
        .unwrap()
        .unwrap()
    };
    assert!(!brief(&store).more_promises);
    store
        .write(now(), |w| {
            for n in 0..=PROMISES {
                w.upsert_followup(
                    &FollowUp {
                        id: 0,
                        uid: format!("many-{n}"),
                        text: format!("Promise {n}"),
                        due: Due::Day(day("2026-12-01")),
                        account: Some(account),
                        person: None,
                        deal: None,
                        interaction: None,
                        repeat: None,
                        status: FollowUpStatus::Open,
                        done_at: None,
                        priority: None,
                        extra: Extra::new(),
                    },
                    None,
                    None,
                )?;
            }
            Ok(())
        })
        .unwrap();
    let b = brief(&store);
    assert!(b.more_promises);
    let ours = b
        .promises
        .iter()
        .filter(|p| matches!(p.source, PromiseSource::FollowUp { .. }))
        .count();
    assert_eq!(ours, PROMISES as usize);
    let section = b.sections(now().offset());
    let promises = section
        .iter()
        .find(|s| s.title.starts_with("Promises"))
        .unwrap();
    assert!(promises.items.last().unwrap().text.starts_with("…and more"));
}

#[test]
fn a_meeting_already_held_says_so_instead_of_counting_down() {
    let store = demo();
    let done = id(&store, UidTable::Interactions, "demo-i9020");
    let brief = |at: &str, meeting| {
        let at = DateTime::parse_from_rfc3339(at).unwrap();
        build(
            &store.reader(),
            PrepTarget::Meeting(meeting),
            &at,
            &CadenceConfig::default(),
        )
        .unwrap()
        .unwrap()
        .meeting
        .unwrap()
        .countdown
    };
    assert_eq!(brief("2026-11-27T08:10:00+01:00", done), "done");
    // Today's 09:00–10:00 committee: counted down before, "now" during, then over.
    let committee = id(&store, UidTable::Interactions, "demo-i9001");
    assert_eq!(brief("2026-11-27T08:10:00+01:00", committee), "in 50 min");
    assert_eq!(brief("2026-11-27T09:30:00+01:00", committee), "now");
    assert_eq!(
        brief("2026-11-27T10:30:00+01:00", committee),
        "over, not marked done"
    );
}

/// A note kept without a title shows the start of its text in the last interactions, on one
/// line, with control characters made visible and cut to a width.
#[test]
fn an_untitled_note_shows_the_start_of_its_text() {
    use crate::domain::{Extra, Interaction, InteractionKind, InteractionStatus};
    let mut store = demo();
    let account = id(&store, UidTable::Accounts, "demo-a16");
    let body = format!(
        "Called  Jürgen about\nthe Q1 tender\x1b[31m: {}",
        "they want a new price list ".repeat(10)
    );
    store
        .write(now(), |w| {
            w.upsert_interaction(
                &Interaction {
                    id: 0,
                    uid: "untitled".into(),
                    kind: InteractionKind::Note,
                    at: DateTime::parse_from_rfc3339("2026-11-26T18:00:00+01:00").unwrap(),
                    end: None,
                    account: Some(account),
                    people: Vec::new(),
                    mentioned: Vec::new(),
                    title: None,
                    body: Some(body),
                    location: None,
                    status: InteractionStatus::Done,
                    outcome: None,
                    tags: Vec::new(),
                    extra: Extra::new(),
                },
                None,
                None,
            )
        })
        .unwrap();
    let brief = build(
        &store.reader(),
        PrepTarget::Account(account),
        &now(),
        &CadenceConfig::default(),
    )
    .unwrap()
    .unwrap();
    let section = brief
        .sections(now().offset())
        .into_iter()
        .find(|s| s.title == "Last interactions")
        .unwrap();
    let line = &section.items[0].text;
    assert!(
        line.contains("— Called Jürgen about the Q1 tender"),
        "{line:?}"
    );
    assert!(!line.contains('\n') && !line.contains('\x1b'), "{line:?}");
    assert!(line.ends_with('…'), "{line:?}");
    assert!(crate::text::width(line) < 120, "{line:?}");
}
