//! Calendars and address books as other programs write them (issue 13.6): TZIDs without a
//! VTIMEZONE and Windows zone names, recurrence from a full engine, several VCALENDARs,
//! VTODOs, iTIP replies, UTF-16 files, vCard KIND:org / N / repeated properties, Thunderbird
//! and Roundcube CSV columns, and the public test files of other projects in `fixtures/`.
//! Every test runs `kam` with the machine's zone set elsewhere than the file's.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use std::path::PathBuf;

use super::shell::Shell;

fn cal(body: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{body}END:VCALENDAR\r\n")
}

#[test]
fn a_tzid_without_vtimezone_is_read_in_its_own_zone_not_the_machines() {
    let b = Shell::new().in_zone("America/New_York");
    let out = b.import(
        "berlin.ics",
        &cal(
            "BEGIN:VEVENT\r\nUID:b1\r\nDTSTART;TZID=Europe/Berlin:20261210T090000\r\n\
              DTEND;TZID=Europe/Berlin:20261210T100000\r\nSUMMARY:Visit\r\nEND:VEVENT\r\n",
        ),
    );
    assert!(!out.contains("not described"), "{out}");
    // 09:00 in Berlin (UTC+1) is 03:00 in New York (UTC−5).
    assert_eq!(b.field("interaction", "at"), ["2026-12-10T03:00:00-05:00"]);
    assert_eq!(b.field("interaction", "end"), ["2026-12-10T04:00:00-05:00"]);
}

#[test]
fn windows_zone_names_from_outlook_are_mapped_to_iana() {
    let b = Shell::new();
    b.import(
        "outlook.ics",
        &cal(
            "BEGIN:VEVENT\r\nUID:o1\r\nDTSTART;TZID=W. Europe Standard Time:20260715T100000\r\n\
              DURATION:PT1H\r\nSUMMARY:Summer\r\nEND:VEVENT\r\n\
              BEGIN:VEVENT\r\nUID:o2\r\nDTSTART;TZID=\"Eastern Standard Time\":20261215T100000\r\n\
              DURATION:PT1H\r\nSUMMARY:Winter\r\nEND:VEVENT\r\n",
        ),
    );
    // Berlin in summer is UTC+2; New York in winter UTC−5.
    assert_eq!(
        b.field("interaction", "at"),
        ["2026-07-15T08:00:00+00:00", "2026-12-15T15:00:00+00:00"]
    );
}

#[test]
fn an_unknown_zone_is_read_as_local_time_and_said() {
    let b = Shell::new();
    let out = b.import(
        "odd.ics",
        &cal(
            "BEGIN:VEVENT\r\nUID:u1\r\nDTSTART;TZID=Customized Time Zone:20261210T090000\r\n\
              SUMMARY:x\r\nEND:VEVENT\r\n",
        ),
    );
    assert!(
        out.contains("\"Customized Time Zone\" is not described"),
        "{out}"
    );
}

#[test]
fn all_day_events_stay_all_day_both_ways() {
    let b = Shell::new().in_zone("Europe/Madrid");
    b.import(
        "days.ics",
        &cal("BEGIN:VEVENT\r\nUID:d1\r\nDTSTART;VALUE=DATE:20261208\r\n\
              DTEND;VALUE=DATE:20261210\r\nSUMMARY:Congress\r\nEND:VEVENT\r\n\
              BEGIN:VEVENT\r\nUID:d2\r\nDTSTART;TZID=Europe/Madrid:20261211T000000\r\n\
              DTEND;TZID=Europe/Madrid:20261211T010000\r\nSUMMARY:Midnight call\r\nEND:VEVENT\r\n"),
    );
    let kinds = b.field("interaction", "kind");
    assert_eq!(kinds, ["event", "meeting"]);
    let out = b.ok(&["export", "--format", "ics"]);
    assert!(
        out.contains("DTSTART;VALUE=DATE:20261208\r\nDTEND;VALUE=DATE:20261210\r\n"),
        "{out}"
    );
    // A timed meeting at midnight stays timed, in UTC (no TZID without its VTIMEZONE).
    assert!(out.contains("DTSTART:20261210T230000Z\r\n"), "{out}");
    assert!(!out.contains("TZID="), "{out}");
    // And back: the exported all-day event imports as the same all-day event.
    let again = Shell::new().in_zone("Europe/Madrid");
    again.import("back.ics", &out);
    assert_eq!(
        again.field("interaction", "at"),
        b.field("interaction", "at")
    );
    assert_eq!(again.field("interaction", "kind"), kinds);
}

/// The uids (occurrence suffixes) a recurring event imports as.
fn occurrences(rule_lines: &str, start: &str, window: &[&str]) -> Vec<String> {
    let b = Shell::new();
    let text = cal(&format!(
        "BEGIN:VEVENT\r\nUID:r\r\nDTSTART:{start}\r\nDURATION:PT1H\r\n{rule_lines}\
         SUMMARY:Series\r\nEND:VEVENT\r\n"
    ));
    b.import_bytes("r.ics", text.as_bytes(), window);
    b.field("interaction", "uid")
        .into_iter()
        .map(|u| u.trim_start_matches("r/").to_string())
        .collect()
}

#[test]
fn yearly_bymonth_bysetpos_and_negative_bymonthday_recur() {
    let window = ["--from", "2026-01-01", "--to", "2029-12-31"];
    // Fourth Thursday of November.
    assert_eq!(
        occurrences(
            "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH\r\n",
            "20261126T150000Z",
            &window
        ),
        [
            "20261126T150000",
            "20271125T150000",
            "20281123T150000",
            "20291122T150000"
        ]
    );
    // The last working day of each quarter's last month.
    assert_eq!(
        occurrences(
            "RRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3\r\n",
            "20260331T090000Z",
            &window
        ),
        ["20260331T090000", "20260630T090000", "20260930T090000"]
    );
    // The day before the last of the month.
    assert_eq!(
        occurrences(
            "RRULE:FREQ=MONTHLY;BYMONTHDAY=-2;COUNT=3\r\n",
            "20270130T090000Z",
            &window
        ),
        ["20270130T090000", "20270227T090000", "20270330T090000"]
    );
}

#[test]
fn rdate_exrule_and_exdate_shape_the_series() {
    let got = occurrences(
        "RRULE:FREQ=WEEKLY;COUNT=6\r\nEXRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3\r\n\
         RDATE:20261224T100000Z\r\nEXDATE:20261214T090000Z\r\n",
        "20261130T090000Z",
        &["--from", "2026-11-01", "--to", "2027-02-01"],
    );
    // Weekly from 30 Nov: 30 Nov, 7, 14, 21, 28 Dec, 4 Jan; EXRULE takes 30 Nov, 14, 28 Dec;
    // EXDATE 14 Dec (already gone); RDATE adds 24 Dec.
    assert_eq!(
        got,
        [
            "20261207T090000",
            "20261221T090000",
            "20261224T100000",
            "20270104T090000"
        ]
    );
}

#[test]
fn overrides_outside_the_window_are_not_imported() {
    let b = Shell::new();
    b.import_bytes(
        "moved.ics",
        cal(
            "BEGIN:VEVENT\r\nUID:s\r\nDTSTART:20261207T090000Z\r\nDURATION:PT1H\r\n\
             RRULE:FREQ=WEEKLY;COUNT=4\r\nSUMMARY:Weekly\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:20261214T090000Z\r\n\
             DTSTART:20270310T090000Z\r\nDURATION:PT1H\r\nSUMMARY:Moved far\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:20260101T090000Z\r\n\
             DTSTART:20260101T090000Z\r\nDURATION:PT1H\r\nSUMMARY:Long ago\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:s\r\nRECURRENCE-ID:20261221T090000Z\r\n\
             DTSTART:20261222T100000Z\r\nDURATION:PT1H\r\nSUMMARY:Moved a day\r\nEND:VEVENT\r\n",
        )
        .as_bytes(),
        &["--from", "2026-12-01", "--to", "2026-12-31"],
    );
    let titles = b.field("interaction", "title");
    // 14 Dec moved out of the window: neither it nor its old slot is imported.
    assert_eq!(titles, ["Moved a day", "Weekly", "Weekly"]);
    assert_eq!(
        b.field("interaction", "uid"),
        [
            "s/20261207T090000",
            "s/20261221T090000",
            "s/20261228T090000"
        ]
    );
}

#[test]
fn an_expansion_cut_at_the_cap_is_reported() {
    let b = Shell::new();
    let out = b.import_bytes(
        "hourly.ics",
        cal(
            "BEGIN:VEVENT\r\nUID:h\r\nDTSTART:20261201T000000Z\r\nRRULE:FREQ=HOURLY\r\n\
             SUMMARY:Ticker\r\nEND:VEVENT\r\n",
        )
        .as_bytes(),
        &["--from", "2026-12-01", "--to", "2027-12-01", "--dry-run"],
    );
    assert!(
        out.contains("repeats more than 5000 times in the window: only the first 5000"),
        "{out}"
    );
}

#[test]
fn several_calendars_and_events_after_end_vcalendar_are_all_read() {
    let b = Shell::new();
    let text = format!(
        "{}{}BEGIN:VEVENT\r\nUID:after\r\nDTSTART:20261203T090000Z\r\nSUMMARY:After\r\n\
         END:VEVENT\r\n",
        cal("BEGIN:VEVENT\r\nUID:one\r\nDTSTART:20261201T090000Z\r\nSUMMARY:One\r\nEND:VEVENT\r\n"),
        cal("BEGIN:VEVENT\r\nUID:two\r\nDTSTART:20261202T090000Z\r\nSUMMARY:Two\r\nEND:VEVENT\r\n"),
    );
    b.import("many.ics", &text);
    assert_eq!(b.field("interaction", "title"), ["After", "One", "Two"]);
}

#[test]
fn vtodos_become_follow_ups_and_come_back_on_reimport() {
    let b = Shell::new();
    let text = cal(
        "BEGIN:VTODO\r\nUID:t1\r\nSUMMARY:Send the tender prices\r\n\
                    DUE;VALUE=DATE:20261204\r\nPRIORITY:1\r\nEND:VTODO\r\n\
                    BEGIN:VTODO\r\nUID:t2\r\nSUMMARY:Old task\r\nDUE:20261120T100000Z\r\n\
                    STATUS:COMPLETED\r\nCOMPLETED:20261121T100000Z\r\nEND:VTODO\r\n",
    );
    let out = b.import("todo.ics", &text);
    assert!(out.contains("added 2 follow-ups"), "{out}");
    let f = b.records("followup");
    let by = |uid: &str| f.iter().find(|r| r["uid"] == uid).unwrap().clone();
    assert_eq!(by("t1")["due"], "2026-12-04");
    assert_eq!(by("t1")["priority"], 1);
    assert_eq!(by("t1")["status"], "open");
    assert_eq!(by("t2")["status"], "done");
    let again = b.import("todo.ics", &text);
    assert!(again.contains("skipped 2 follow-ups"), "{again}");
}

#[test]
fn itip_replies_without_dtstart_are_skipped_with_a_note() {
    let b = Shell::new();
    let out = b.import(
        "reply.ics",
        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:inv-1\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:ana@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    );
    assert!(
        out.contains("1 event without a start (DTSTART) skipped (an iTIP REPLY"),
        "{out}"
    );
    assert!(b.records("interaction").is_empty());
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

#[test]
fn utf16_files_are_read_ics_vcard_and_csv() {
    let b = Shell::new();
    b.import_bytes(
        "u.ics",
        &utf16le(&cal(
            "BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20261210T090000Z\r\nSUMMARY:Reunión 会議\r\n\
             END:VEVENT\r\n",
        )),
        &[],
    );
    assert_eq!(b.field("interaction", "title"), ["Reunión 会議"]);
    b.import_bytes(
        "u.vcf",
        &utf16le("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Íñigo Ruiz\r\nEND:VCARD\r\n"),
        &[],
    );
    b.import_bytes(
        "u.csv",
        &utf16le("First Name,Last Name,E-mail Address\r\nZoë,Müller,zoe@example.de\r\n"),
        &[],
    );
    assert_eq!(b.field("person", "name"), ["Zoë Müller", "Íñigo Ruiz"]);
}

#[test]
fn a_kind_org_card_is_an_account_only_and_a_group_card_no_one() {
    let b = Shell::new();
    let out = b.import(
        "org.vcf",
        "BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:org\r\nFN:Hospital Clínic\r\n\
         ORG:Hospital Clínic\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nKIND:group\r\nFN:Pharmacy team\r\nEND:VCARD\r\n",
    );
    assert!(out.contains("KIND:group"), "{out}");
    assert_eq!(b.field("account", "name"), ["Hospital Clínic"]);
    assert!(b.records("person").is_empty());
}

#[test]
fn n_spells_the_name_and_a_repeated_property_keeps_the_first() {
    let b = Shell::new();
    b.import(
        "n.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Peña Olmedo;Carmen;;Dra.;\r\n\
         TITLE:Jefa de farmacia\r\nTITLE:Old title\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nN:王;小明;;;\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:4.0\r\nFN:First Name\r\nFN:Second Name\r\n\
         UID:one\r\nUID:two\r\nEND:VCARD\r\n",
    );
    let people = b.records("person");
    let names: Vec<&str> = people.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Carmen Peña Olmedo"), "{names:?}");
    assert!(names.contains(&"王小明"), "{names:?}");
    assert!(names.contains(&"First Name"), "{names:?}");
    let carmen = people
        .iter()
        .find(|p| p["name"] == "Carmen Peña Olmedo")
        .unwrap();
    assert_eq!(carmen["title"], "Jefa de farmacia");
    let first = people.iter().find(|p| p["name"] == "First Name").unwrap();
    assert_eq!(first["uid"], "one");
}

#[test]
fn thunderbird_and_roundcube_address_books_import() {
    let b = Shell::new();
    b.import(
        "thunderbird.csv",
        "First Name,Last Name,Display Name,Nickname,Primary Email,Secondary Email,\
         Screen Name,Work Phone,Home Phone,Fax Number,Pager Number,Mobile Number,\
         Job Title,Department,Organization,Birth Year,Birth Month,Birth Day,Notes\r\n\
         Ana,Ruiz,Ana Ruiz,,,ana@example.es,,,,,,+34 600 1,Pharmacist,,Farmacia Sol,\
         1980,4,12,likes tea\r\n\
         Luis,Gil,,,luis@example.es,,,,,,,,,,,,7,3,\r\n",
    );
    b.import(
        "roundcube.csv",
        "First Name,Middle Name,Last Name,Display Name,Email Home,Email Work,Email Other,\
         Phone Mobile,Organization,Job Title\r\n\
         Eva,,Soto,,,eva@work.example,,+34 611,Hospital Norte,Buyer\r\n",
    );
    let people = b.records("person");
    let by = |n: &str| people.iter().find(|p| p["name"] == n).unwrap().clone();
    assert_eq!(by("Ana Ruiz")["email"], "ana@example.es");
    assert_eq!(by("Ana Ruiz")["birthday"], "1980-04-12");
    assert_eq!(by("Ana Ruiz")["phone"], "+34 600 1");
    assert_eq!(by("Luis Gil")["email"], "luis@example.es");
    assert_eq!(by("Luis Gil")["birthday"], "--07-03");
    assert_eq!(by("Eva Soto")["email"], "eva@work.example");
    assert_eq!(by("Eva Soto")["phone"], "+34 611");
    assert_eq!(
        b.field("account", "name"),
        ["Farmacia Sol", "Hospital Norte"]
    );
}

#[test]
fn a_sheet_of_emails_without_names_imports() {
    let b = Shell::new();
    b.import(
        "mails.csv",
        "Email\r\nana@example.es\r\nluis@example.es\r\n",
    );
    assert_eq!(
        b.field("person", "email"),
        ["ana@example.es", "luis@example.es"]
    );
    assert_eq!(
        b.field("person", "name"),
        ["ana@example.es", "luis@example.es"]
    );
}

/// A public test file and what kamnote imports from it.
struct Fixture {
    file: &'static str,
    /// `--from`/`--to` (none for address books).
    window: Option<(&'static str, &'static str)>,
    /// Meetings, follow-ups, people, accounts.
    counts: [usize; 4],
}

const fn ics(file: &'static str, from: &'static str, to: &'static str, n: [usize; 4]) -> Fixture {
    Fixture {
        file,
        window: Some((from, to)),
        counts: n,
    }
}

const fn vcf(file: &'static str, n: [usize; 4]) -> Fixture {
    Fixture {
        file,
        window: None,
        counts: n,
    }
}

/// Checked against python-icalendar 7.3 (VEVENT/VTODO counted with `walk()`),
/// recurring-ical-events 3.8 (occurrences in the window) and vobject 0.9.9 (cards): see
/// fixtures/README.md. Events without DTSTART are skipped (the reference raises on them).
const FIXTURES: &[Fixture] = &[
    ics(
        "icalendar_issue_1050_multiple_calendars.ics",
        "2020-01-01",
        "2029-12-31",
        [0, 0, 0, 0],
    ),
    ics(
        "icalendar_issue_1050_calendar_with_events_and_todos.ics",
        "2025-01-01",
        "2025-12-31",
        [2, 1, 0, 0],
    ),
    ics(
        "icalendar_issue_1795_duplicate_single_properties.ics",
        "2022-01-01",
        "2022-12-31",
        [4, 0, 0, 0],
    ),
    ics(
        "icalendar_issue_156_RDATE_with_PERIOD_TZID_khal.ics",
        "2018-01-01",
        "2018-12-31",
        [1, 0, 0, 0],
    ),
    ics(
        "icalendar_issue_1231_recurrence.ics",
        "2025-01-01",
        "2025-12-31",
        [1, 0, 0, 0],
    ),
    ics(
        "icalendar_issue_722_missing_timezones.ics",
        "2014-01-01",
        "2014-12-31",
        [1, 0, 0, 0],
    ),
    ics(
        "icaljs_rdate_exdate.ics",
        "2024-01-01",
        "2024-12-31",
        [3, 0, 0, 0],
    ),
    ics(
        "icaljs_day_long_recur_yearly.ics",
        "2012-08-01",
        "2012-08-31",
        [21, 0, 0, 0],
    ),
    ics(
        "icaljs_recur_instances.ics",
        "2012-10-01",
        "2012-12-31",
        [5, 0, 0, 0],
    ),
    vcf("vobject_vcard40_full.vcf", [0, 0, 1, 1]),
    vcf("vobject_vcard40_simple.vcf", [0, 0, 1, 0]),
    vcf("vobject_vcard40_multilang.vcf", [0, 0, 1, 0]),
    vcf("vobject_vcard40_org.vcf", [0, 0, 0, 1]),
    vcf("vobject_vcard40_group.vcf", [0, 0, 0, 0]),
];

/// The public test files of other projects (see fixtures/README.md) import as many meetings,
/// follow-ups, people and accounts as the reference parsers find.
#[test]
fn public_fixtures_import_as_the_reference_parsers_count() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures");
    for f in FIXTURES {
        let b = Shell::new();
        let bytes = std::fs::read(dir.join(f.file)).unwrap();
        let extra: Vec<&str> = match f.window {
            Some((from, to)) => vec!["--from", from, "--to", to],
            None => vec![],
        };
        let out = b.import_bytes(f.file, &bytes, &extra);
        let got = [
            b.records("interaction").len(),
            b.records("followup").len(),
            b.records("person").len(),
            b.records("account").len(),
        ];
        assert_eq!(got, f.counts, "{}: {out}", f.file);
    }
}
