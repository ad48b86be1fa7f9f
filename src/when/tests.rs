//! Tables for the when language, with a fixed "now": Fri 2026-11-27 09:30 +01:00 unless a row
//! says otherwise.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Europe::Madrid;
use proptest::prelude::*;
use rstest::rstest;

use super::*;

const NOW: &str = "2026-11-27T09:30:00+01:00";

fn at(now: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(now).unwrap()
}

/// "Now" at 09:30 +01:00 on `day`.
fn on(day: &str) -> DateTime<FixedOffset> {
    at(&format!("{day}T09:30:00+01:00"))
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn t(s: &str) -> NaiveTime {
    NaiveTime::parse_from_str(s, "%H:%M").unwrap()
}

fn when(date: &str, time: Option<&str>) -> When {
    When {
        date: d(date),
        time: time.map(t),
    }
}

#[rstest]
// Named days.
#[case("today", "2026-11-27", None)]
#[case("  Today ", "2026-11-27", None)]
#[case("tomorrow", "2026-11-28", None)]
#[case("TOMORROW", "2026-11-28", None)]
#[case("tmr", "2026-11-28", None)]
#[case("yesterday", "2026-11-26", None)]
// Weekdays: the first such day strictly after today (a Friday).
#[case("fri", "2026-12-04", None)]
#[case("friday", "2026-12-04", None)]
#[case("Sat", "2026-11-28", None)]
#[case("sun", "2026-11-29", None)]
#[case("mon", "2026-11-30", None)]
#[case("monday", "2026-11-30", None)]
#[case("tue", "2026-12-01", None)]
#[case("tues", "2026-12-01", None)]
#[case("tuesday", "2026-12-01", None)]
#[case("wed", "2026-12-02", None)]
#[case("wednesday", "2026-12-02", None)]
#[case("thu", "2026-12-03", None)]
#[case("thur", "2026-12-03", None)]
#[case("thurs", "2026-12-03", None)]
#[case("thursday", "2026-12-03", None)]
// `next`: that day of next calendar week (weeks start on Monday).
#[case("next mon", "2026-11-30", None)]
#[case("next fri", "2026-12-04", None)]
#[case("next sun", "2026-12-06", None)]
#[case("Next Wednesday", "2026-12-02", None)]
// Offsets.
#[case("+3d", "2026-11-30", None)]
#[case("+0d", "2026-11-27", None)]
#[case("+2w", "2026-12-11", None)]
#[case("+1m", "2026-12-27", None)]
#[case("+2m", "2027-01-27", None)]
#[case("+1y", "2027-11-27", None)]
#[case("-2d", "2026-11-25", None)]
#[case("-1w", "2026-11-20", None)]
#[case("-1m", "2026-10-27", None)]
#[case("+3D", "2026-11-30", None)]
#[case("in 3 days", "2026-11-30", None)]
#[case("in 1 day", "2026-11-28", None)]
#[case("in 2 weeks", "2026-12-11", None)]
#[case("in 1 month", "2026-12-27", None)]
#[case("in 2 months", "2027-01-27", None)]
#[case("in a week", "2026-12-04", None)]
#[case("in a year", "2027-11-27", None)]
// Times alone mean today.
#[case("10:00", "2026-11-27", Some("10:00"))]
#[case("9:30", "2026-11-27", Some("09:30"))]
#[case("09:30", "2026-11-27", Some("09:30"))]
#[case("9.30", "2026-11-27", Some("09:30"))]
#[case("14.45", "2026-11-27", Some("14:45"))]
#[case("14h", "2026-11-27", Some("14:00"))]
#[case("14h30", "2026-11-27", Some("14:30"))]
#[case("9am", "2026-11-27", Some("09:00"))]
#[case("9 am", "2026-11-27", Some("09:00"))]
#[case("9AM", "2026-11-27", Some("09:00"))]
#[case("9pm", "2026-11-27", Some("21:00"))]
#[case("9:30pm", "2026-11-27", Some("21:30"))]
#[case("9:30 pm", "2026-11-27", Some("21:30"))]
#[case("12am", "2026-11-27", Some("00:00"))]
#[case("12:15am", "2026-11-27", Some("00:15"))]
#[case("12pm", "2026-11-27", Some("12:00"))]
#[case("12:30pm", "2026-11-27", Some("12:30"))]
#[case("0:00", "2026-11-27", Some("00:00"))]
#[case("23:59", "2026-11-27", Some("23:59"))]
#[case("at 10:00", "2026-11-27", Some("10:00"))]
// Numeric dates.
#[case("2026-12-01", "2026-12-01", None)]
#[case("2026-1-5", "2026-01-05", None)]
#[case("01.12.2026", "2026-12-01", None)]
#[case("1.12.2026", "2026-12-01", None)]
#[case("27/11/2026", "2026-11-27", None)]
#[case("05/05/2027", "2027-05-05", None)]
#[case("01-12-2026", "2026-12-01", None)]
#[case("2028-02-29", "2028-02-29", None)]
#[case("29.02.2028", "2028-02-29", None)]
// Without a year: the next such day on or after today.
#[case("1.12.", "2026-12-01", None)]
#[case("01.12", "2026-12-01", None)]
#[case("13/12", "2026-12-13", None)]
#[case("27.11", "2026-11-27", None)]
#[case("26.11.", "2027-11-26", None)]
#[case("9.05", "2027-05-09", None)]
#[case("29.02", "2028-02-29", None)]
// Dates and times together, in either order.
#[case("fri 9:30", "2026-12-04", Some("09:30"))]
#[case("tomorrow 10:00", "2026-11-28", Some("10:00"))]
#[case("10:00 tomorrow", "2026-11-28", Some("10:00"))]
#[case("tomorrow at 10:00", "2026-11-28", Some("10:00"))]
#[case("2026-12-01 14h", "2026-12-01", Some("14:00"))]
#[case("2026-12-01 14:00", "2026-12-01", Some("14:00"))]
#[case("2026-12-01T14:30", "2026-12-01", Some("14:30"))]
#[case("2026-12-01T14:30:00", "2026-12-01", Some("14:30"))]
#[case("01.12.2026 9:30", "2026-12-01", Some("09:30"))]
#[case("next mon 9am", "2026-11-30", Some("09:00"))]
#[case("+3d 9.30", "2026-11-30", Some("09:30"))]
#[case("in 2 weeks at 9:30", "2026-12-11", Some("09:30"))]
#[case("9:30 pm fri", "2026-12-04", Some("21:30"))]
fn reads(#[case] input: &str, #[case] date: &str, #[case] time: Option<&str>) {
    assert_eq!(
        parse_when(input, &at(NOW)).unwrap(),
        when(date, time),
        "{input}"
    );
}

#[rstest]
// From a Monday: `wed` is this week's, `next wed` next week's.
#[case("2026-11-23", "wed", "2026-11-25")]
#[case("2026-11-23", "next wed", "2026-12-02")]
#[case("2026-11-23", "mon", "2026-11-30")]
#[case("2026-11-23", "next mon", "2026-11-30")]
#[case("2026-11-23", "next sun", "2026-12-06")]
// Month ends and leap days: months are calendar months, clamped.
#[case("2026-01-31", "+1m", "2026-02-28")]
#[case("2028-01-31", "+1m", "2028-02-29")]
#[case("2026-03-31", "-1m", "2026-02-28")]
#[case("2026-01-31", "in 1 month", "2026-02-28")]
#[case("2028-02-29", "+1y", "2029-02-28")]
#[case("2028-02-29", "+4y", "2032-02-29")]
#[case("2028-02-28", "+1d", "2028-02-29")]
// Year end.
#[case("2026-12-30", "fri", "2027-01-01")]
#[case("2026-12-31", "+2d", "2027-01-02")]
#[case("2026-12-31", "tomorrow", "2027-01-01")]
#[case("2026-12-31", "01.01", "2027-01-01")]
#[case("2026-12-31", "31.12.", "2026-12-31")]
#[case("2026-12-31", "next mon", "2027-01-04")]
#[case("2027-01-01", "yesterday", "2026-12-31")]
fn reads_relative_to_today(#[case] today: &str, #[case] input: &str, #[case] date: &str) {
    assert_eq!(
        parse_when(input, &on(today)).unwrap(),
        when(date, None),
        "{input} on {today}"
    );
}

#[test]
fn today_is_the_local_day_of_now() {
    // 23:30 UTC on the 27th is already the 28th in Madrid.
    let now = Utc
        .with_ymd_and_hms(2026, 11, 27, 23, 30, 0)
        .unwrap()
        .with_timezone(&Madrid);
    assert_eq!(parse_when("today", &now).unwrap(), when("2026-11-28", None));
    let utc = now.with_timezone(&Utc);
    assert_eq!(parse_when("today", &utc).unwrap(), when("2026-11-27", None));
}

#[rstest]
#[case("", "nothing is written")]
#[case("   ", "nothing is written")]
#[case("2026-02-30", "February 2026 has 28 days")]
#[case("2026-02-29", "February 2026 has 28 days")]
#[case("31/02/2026", "February 2026 has 28 days")]
#[case("31.04.2026", "April 2026 has 30 days")]
#[case("0.12.2026", "December 2026 has 31 days")]
#[case("30.02", "February has at most 29 days")]
#[case("31.04.", "April has 30 days")]
#[case("2026-13-01", "months go from 1 to 12")]
#[case("01.13.2026", "months go from 1 to 12")]
#[case("31.13", "months go from 1 to 12")]
#[case("01.12.26", "write the year with 4 digits")]
#[case("26-12-01", "write the year with 4 digits")]
#[case("13/12/202", "write the year with 4 digits")]
#[case(
    "01/02/2026",
    "01/02 could be 1 February or 2 January; write it with dots (01.02)"
)]
#[case("1/12", "01/12 could be 1 December or 12 January")]
#[case("tomorrow 25:00", "hours go from 0 to 23")]
#[case("24:00", "hours go from 0 to 23")]
#[case("24h", "hours go from 0 to 23")]
#[case("9:60", "minutes go from 0 to 59")]
#[case("9.60", "minutes go from 0 to 59")]
#[case("9:5", "minutes take two digits")]
#[case("10:00:60", "seconds go from 0 to 59")]
#[case("13pm", "with am/pm, hours go from 1 to 12")]
#[case("0am", "with am/pm, hours go from 1 to 12")]
#[case("tomorrow fri", "it has two dates")]
#[case("2026-12-01 01.12.2026", "it has two dates")]
#[case("2026-12-01T10:00 tomorrow", "it has two dates")]
#[case("10:00 11:00", "it has two times")]
#[case("2026-12-01T10:00 11:00", "it has two times")]
#[case("blah", "\"blah\" is not a date or a time")]
#[case("tomorrow blah", "\"blah\" is not a date or a time")]
#[case("tomorow", "\"tomorow\" is not a date or a time")]
#[case("2026-12-01T", "\"2026-12-01T\" is not a date or a time")]
#[case("Tomorrow Blah", "\"Blah\" is not a date or a time")]
#[case("5", "\"5\" is a number alone")]
#[case("fri 5", "\"5\" is a number alone")]
#[case("next", "\"next\" must be followed by a weekday")]
#[case("next week", "\"next\" must be followed by a weekday")]
#[case("in 3", "\"in\" must be followed by a number and a unit")]
#[case("in three days", "\"in\" must be followed by a number and a unit")]
#[case("in 3 hours", "\"in\" must be followed by a number and a unit")]
#[case("+3", "\"+N\" must be followed by a unit")]
#[case("-3", "\"-N\" must be followed by a unit")]
#[case("tomorrow at", "\"at\" must be followed by a time")]
#[case("at tomorrow", "\"at\" must be followed by a time")]
#[case("+9999999y", "too far away")]
#[case("+999999y", "too far away")]
fn refuses(#[case] input: &str, #[case] why: &str) {
    let err = parse_when(input, &at(NOW)).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with(&format!("when: \"{input}\": ")), "{msg}");
    assert!(msg.contains(why), "{input}: {msg}");
    assert!(msg.contains("; write e.g. today, tomorrow 10:00"), "{msg}");
    assert!(!msg.contains('\n'), "{msg}");
    assert_eq!(err.input, input);
    assert_eq!(err.form, Form::When);
}

#[test]
fn the_example_message_reads_as_specified() {
    let err = parse_when("tomorrow 25:00", &at(NOW)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "when: \"tomorrow 25:00\": hours go from 0 to 23; write e.g. today, tomorrow 10:00, \
         fri 9:30, +3d, 2026-12-01 14:00, 01.12.2026"
    );
}

#[test]
fn messages_show_control_characters_escaped() {
    let input = "\u{1b}]0;pwned\u{7}\u{1b}[2J tomorrow";
    let msg = parse_when(input, &at(NOW)).unwrap_err().to_string();
    assert!(!msg.chars().any(char::is_control), "{msg:?}");
    assert!(msg.contains("\\x1b]0;pwned\\x07"), "{msg}");
    let msg = parse_when("tomorrow\n10:00 x\u{202e}y", &at(NOW))
        .unwrap_err()
        .to_string();
    assert!(!msg.contains('\n') && !msg.contains('\u{202e}'), "{msg:?}");
}

#[test]
fn resolve_keeps_the_offset_it_was_entered_in() {
    let at = resolve(d("2026-12-01"), t("14:30"), &Madrid, "2026-12-01 14:30").unwrap();
    assert_eq!(at.to_rfc3339(), "2026-12-01T14:30:00+01:00");
    let at = resolve(d("2026-07-01"), t("14:30"), &Madrid, "x").unwrap();
    assert_eq!(at.to_rfc3339(), "2026-07-01T14:30:00+02:00");
    let utc = resolve(d("2026-07-01"), t("14:30"), &Utc, "x").unwrap();
    assert_eq!(utc.to_rfc3339(), "2026-07-01T14:30:00+00:00");
}

#[test]
fn a_time_skipped_by_the_clocks_is_refused() {
    let err = resolve(d("2026-03-29"), t("02:30"), &Madrid, "sun 2:30").unwrap_err();
    assert!(matches!(err.problem, Problem::Skipped { .. }));
    assert_eq!(
        err.to_string(),
        "when: \"sun 2:30\": 02:30 on Sun 29 Mar 2026 does not exist here: the clocks skip it; \
         write e.g. 2026-03-29 03:30 (the hour after)"
    );
    // The hour after does exist.
    let later = resolve(d("2026-03-29"), t("03:30"), &Madrid, "x").unwrap();
    assert_eq!(later.to_rfc3339(), "2026-03-29T03:30:00+02:00");
}

#[test]
fn an_ambiguous_time_takes_the_earlier_instant() {
    let at = resolve(d("2026-10-25"), t("02:30"), &Madrid, "x").unwrap();
    assert_eq!(at.to_rfc3339(), "2026-10-25T02:30:00+02:00");
}

#[test]
fn a_day_later_across_the_change_keeps_the_wall_clock_time() {
    let now = Madrid.with_ymd_and_hms(2026, 3, 28, 10, 0, 0).unwrap();
    let w = parse_when("+1d 10:00", &now).unwrap();
    assert_eq!(w, when("2026-03-29", Some("10:00")));
    let next = resolve(w.date, t("10:00"), &Madrid, "+1d 10:00").unwrap();
    assert_eq!(next.to_rfc3339(), "2026-03-29T10:00:00+02:00");
    assert_eq!((next - now.fixed_offset()).num_hours(), 23);
    // The same in autumn: 25 hours apart, same wall clock.
    let now = Madrid.with_ymd_and_hms(2026, 10, 24, 10, 0, 0).unwrap();
    let w = parse_when("tomorrow 10:00", &now).unwrap();
    let next = resolve(w.date, t("10:00"), &Madrid, "x").unwrap();
    assert_eq!(next.to_rfc3339(), "2026-10-25T10:00:00+01:00");
    assert_eq!((next - now.fixed_offset()).num_hours(), 25);
}

#[rstest]
#[case("+3d call about tender", "2026-11-30", None, "call about tender")]
#[case(
    "tomorrow 10:00 send prices",
    "2026-11-28",
    Some("10:00"),
    "send prices"
)]
#[case("fri send deck", "2026-12-04", None, "send deck")]
#[case(
    "  Fri   Send  Deck to Iván ",
    "2026-12-04",
    None,
    "Send  Deck to Iván"
)]
#[case(
    "next mon 9am review contract",
    "2026-11-30",
    Some("09:00"),
    "review contract"
)]
#[case("in 2 weeks check tender", "2026-12-11", None, "check tender")]
#[case("in a week call", "2026-12-04", None, "call")]
#[case("tomorrow at the office", "2026-11-28", None, "at the office")]
#[case("fri 5 boxes", "2026-12-04", None, "5 boxes")]
#[case("2026-12-01T14:30 call", "2026-12-01", Some("14:30"), "call")]
#[case("10:00 tomorrow call", "2026-11-28", Some("10:00"), "call")]
#[case("tomorrow next steps", "2026-11-28", None, "next steps")]
#[case("1.12. send 2 offers", "2026-12-01", None, "send 2 offers")]
#[case(
    "tomorrow 10:00 11:00 standup",
    "2026-11-28",
    Some("10:00"),
    "11:00 standup"
)]
#[case("today\tcall\nback", "2026-11-27", None, "call\nback")]
fn splits_when_from_text(
    #[case] input: &str,
    #[case] date: &str,
    #[case] time: Option<&str>,
    #[case] text: &str,
) {
    let (w, rest) = split_when_text(input, &at(NOW)).unwrap();
    assert_eq!(w, when(date, time), "{input}");
    assert_eq!(rest, text, "{input}");
}

#[rstest]
#[case("", "nothing is written")]
#[case("tomorrow", "nothing to do is written after the date")]
#[case("  fri 9:30  ", "nothing to do is written after the date")]
#[case("call about tender", "\"call\" is not a date or a time")]
#[case("tomorrow 25:00 call", "hours go from 0 to 23")]
#[case("fri 31.02 deliver", "February has at most 29 days")]
#[case("2026-02-30 call", "February 2026 has 28 days")]
#[case("5 boxes", "\"5\" is a number alone")]
fn split_refuses(#[case] input: &str, #[case] why: &str) {
    let err = split_when_text(input, &at(NOW)).unwrap_err();
    let msg = err.to_string();
    assert!(msg.starts_with(&format!("when: \"{input}\": ")), "{msg}");
    assert!(msg.contains(why), "{input}: {msg}");
    assert!(msg.contains("e.g. \"+3d call about tender\""), "{msg}");
    assert_eq!(err.form, Form::WhenText);
}

#[rstest]
#[case(
    "2026-11-27",
    Some("09:30"),
    "2026-11-26",
    "Fri 27 Nov 2026 09:30 (tomorrow)"
)]
#[case("2026-11-27", None, "2026-11-27", "Fri 27 Nov 2026 (today)")]
#[case("2026-11-30", None, "2026-11-27", "Mon 30 Nov 2026 (in 3 days)")]
#[case("2026-11-26", None, "2026-11-27", "Thu 26 Nov 2026 (yesterday)")]
#[case(
    "2026-11-25",
    Some("14:00"),
    "2026-11-27",
    "Wed 25 Nov 2026 14:00 (2 days ago)"
)]
#[case("2026-12-01", None, "2026-11-27", "Tue 1 Dec 2026 (in 4 days)")]
fn describes(
    #[case] date: &str,
    #[case] time: Option<&str>,
    #[case] today: &str,
    #[case] expected: &str,
) {
    assert_eq!(when(date, time).describe(d(today)), expected);
}

proptest! {
    #[test]
    fn never_panics(s in "\\PC{0,40}") {
        let _ = parse_when(&s, &at(NOW));
        let _ = split_when_text(&s, &at(NOW));
        let _ = parse_duration(&s);
    }

    #[test]
    fn never_panics_on_date_like_noise(s in "[0-9+\\-.:/ thapmdwy]{0,24}") {
        let now = at(NOW);
        if let Err(e) = parse_when(&s, &now) {
            let msg = e.to_string();
            prop_assert!(msg.contains("e.g."));
            prop_assert!(!msg.contains('\n'));
        }
        let _ = split_when_text(&s, &now);
        let _ = parse_duration(&s);
    }

    #[test]
    fn display_reads_back(
        y in 1000i32..=9999,
        m in 1u32..=12,
        day in 1u32..=28,
        time in proptest::option::of((0u32..24, 0u32..60)),
    ) {
        let w = When {
            date: NaiveDate::from_ymd_opt(y, m, day).unwrap(),
            time: time.map(|(h, mi)| NaiveTime::from_hms_opt(h, mi, 0).unwrap()),
        };
        prop_assert_eq!(parse_when(&w.to_string(), &at(NOW)).unwrap(), w);
    }
}

/// The Spanish words mean what their English twins mean, from any day of the week: the same
/// day for every pair, accents or not.
#[rstest]
#[case("hoy", "today")]
#[case("mañana", "tomorrow")]
#[case("manana", "tomorrow")]
#[case("ayer", "yesterday")]
#[case("lun", "mon")]
#[case("lunes", "monday")]
#[case("mar", "tue")]
#[case("martes", "tue")]
#[case("mié", "wed")]
#[case("mie", "wed")]
#[case("miércoles", "wed")]
#[case("miercoles", "wed")]
#[case("MIÉRCOLES", "wed")]
#[case("jue", "thu")]
#[case("jueves", "thu")]
#[case("vie", "fri")]
#[case("viernes", "fri")]
#[case("sáb", "sat")]
#[case("sab", "sat")]
#[case("sábado", "sat")]
#[case("sabado", "sat")]
#[case("dom", "sun")]
#[case("domingo", "sun")]
#[case("próximo lunes", "next mon")]
#[case("proximo lunes", "next mon")]
#[case("el próximo viernes", "next fri")]
#[case("el viernes", "fri")]
#[case("próximo miércoles", "next wed")]
#[case("en 3 días", "in 3 days")]
#[case("en 3 dias", "in 3 days")]
#[case("en un día", "in 1 day")]
#[case("en una semana", "in a week")]
#[case("dentro de 2 semanas", "in 2 weeks")]
#[case("dentro de 1 mes", "in 1 month")]
#[case("en 2 meses", "in 2 months")]
#[case("en un año", "in 1 year")]
#[case("mañana a las 10:30", "tomorrow at 10:30")]
#[case("mañana 10h", "tomorrow 10:00")]
#[case("vie a las 9", "fri 9:00")]
#[case("a la 1", "1:00")]
#[case("dentro de 2 semanas a las 10:30", "in 2 weeks at 10:30")]
#[case("el próximo lunes a las 9:15", "next mon 9:15")]
fn spanish_reads_as_its_english_twin(#[case] spanish: &str, #[case] english: &str) {
    for day in 23..=29 {
        let now = on(&format!("2026-11-{day}"));
        assert_eq!(
            parse_when(spanish, &now).unwrap(),
            parse_when(english, &now).unwrap(),
            "{spanish} on 2026-11-{day}"
        );
    }
}

#[rstest]
// `pasado mañana` is the day after tomorrow, across a month and a year end.
#[case("2026-11-27", "pasado mañana", "2026-11-29")]
#[case("2026-11-30", "pasado manana", "2026-12-02")]
#[case("2026-12-31", "pasado mañana", "2027-01-02")]
#[case("2027-01-01", "anteayer", "2026-12-30")]
// `próximo` on the same weekday is next calendar week's, as `next` is.
#[case("2026-11-23", "próximo lunes", "2026-11-30")]
#[case("2026-11-23", "lunes", "2026-11-30")]
#[case("2026-11-25", "próximo miércoles", "2026-12-02")]
#[case("2026-11-25", "miércoles", "2026-12-02")]
#[case("2026-11-23", "mié", "2026-11-25")]
#[case("2026-11-23", "próximo mié", "2026-12-02")]
// Month ends: a month is a calendar month, clamped.
#[case("2026-01-31", "en 1 mes", "2026-02-28")]
#[case("2028-01-31", "dentro de un mes", "2028-02-29")]
#[case("2028-02-29", "en 1 año", "2029-02-28")]
#[case("2026-12-31", "mañana", "2027-01-01")]
fn spanish_relative_to_today(#[case] today: &str, #[case] input: &str, #[case] date: &str) {
    assert_eq!(
        parse_when(input, &on(today)).unwrap(),
        when(date, None),
        "{input} on {today}"
    );
}

#[test]
fn spanish_accents_may_be_decomposed() {
    // `mié` and `mañana` typed with combining marks (as some keyboards and macOS file names do).
    let now = at(NOW);
    assert_eq!(
        parse_when("mie\u{301}", &now).unwrap(),
        parse_when("wed", &now).unwrap()
    );
    assert_eq!(
        parse_when("man\u{303}ana", &now).unwrap(),
        parse_when("tomorrow", &now).unwrap()
    );
}

#[rstest]
#[case("a las 10:30h", "2026-11-27", Some("10:30"))]
#[case("10:30h", "2026-11-27", Some("10:30"))]
#[case("at 10", "2026-11-27", Some("10:00"))]
#[case("mañana a las 9.15h", "2026-11-28", Some("09:15"))]
fn a_bare_hour_after_at_and_an_h_after_a_time(
    #[case] input: &str,
    #[case] date: &str,
    #[case] time: Option<&str>,
) {
    assert_eq!(parse_when(input, &at(NOW)).unwrap(), when(date, time));
}

#[rstest]
#[case("pasado", "\"pasado\" must be followed by mañana")]
#[case(
    "próximo",
    "\"próximo\" must be followed by a weekday, e.g. próximo lunes"
)]
#[case(
    "en 3",
    "\"en\" must be followed by a number and a unit, e.g. en 3 días"
)]
#[case("dentro de", "\"dentro de\" must be followed by a number and a unit")]
#[case("a las", "\"a las\" must be followed by a time")]
#[case("a las 25", "hours go from 0 to 23")]
#[case("a las 9:75", "minutes go from 0 to 59")]
#[case("mañana a las", "\"a las\" must be followed by a time")]
#[case("lunes martes", "it has two dates")]
fn spanish_refuses(#[case] input: &str, #[case] why: &str) {
    let msg = parse_when(input, &at(NOW)).unwrap_err().to_string();
    assert!(msg.contains(why), "{input}: {msg}");
}

#[rstest]
#[case("mañana llamar a Rosa", "2026-11-28", None, "llamar a Rosa")]
#[case(
    "mañana a las 10:30 enviar precios",
    "2026-11-28",
    Some("10:30"),
    "enviar precios"
)]
#[case("en 3 días revisar concurso", "2026-11-30", None, "revisar concurso")]
#[case("hoy a la oficina", "2026-11-27", None, "a la oficina")]
#[case("vie enviar presentación", "2026-12-04", None, "enviar presentación")]
#[case(
    "dentro de 2 semanas a las 9 revisar contrato",
    "2026-12-11",
    Some("09:00"),
    "revisar contrato"
)]
fn spanish_splits_when_from_text(
    #[case] input: &str,
    #[case] date: &str,
    #[case] time: Option<&str>,
    #[case] text: &str,
) {
    let (w, rest) = split_when_text(input, &at(NOW)).unwrap();
    assert_eq!(w, when(date, time), "{input}");
    assert_eq!(rest, text, "{input}");
}

#[test]
fn after_el_the_misspelt_word_is_the_one_named() {
    let msg = parse_when("el juevs", &at(NOW)).unwrap_err().to_string();
    assert!(msg.contains("\"juevs\" is not a date or a time"), "{msg}");
    assert_eq!(
        parse_when("el 3.12", &at(NOW)).unwrap(),
        when("2026-12-03", None)
    );
}
