//! Writing a calendar: VEVENTs and VTODOs in UTC (no TZID, so no VTIMEZONE is needed), an
//! all-day event as `VALUE=DATE` days, escaped and folded.

use chrono::{DateTime, NaiveDate, Utc};

use crate::interop::contentline::{escape, property};

/// A meeting as it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct VEvent {
    pub uid: String,
    pub start: DateTime<Utc>,
    pub end: Option<DateTime<Utc>>,
    pub summary: String,
    pub description: Option<String>,
    pub location: Option<String>,
    pub cancelled: bool,
    /// (name, email) of attendees with an email.
    pub attendees: Vec<(String, String)>,
    pub categories: Vec<String>,
    pub sequence: i64,
    pub last_modified: DateTime<Utc>,
    /// An all-day event: its first day and the day after its last (DTSTART/DTEND
    /// `VALUE=DATE`); `None` for a timed one (`start`/`end` in UTC).
    pub all_day: Option<(NaiveDate, NaiveDate)>,
    /// A display alarm (VALARM), when there is one.
    pub alarm: Option<EventAlarm>,
}

/// A reminder before a meeting: it rings `minutes_before` its start (the alarm's lead plus the
/// travel time) and shows `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventAlarm {
    pub minutes_before: u32,
    pub text: String,
}

/// When a to-do is due: a day or a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodoDue {
    Day(NaiveDate),
    At(DateTime<Utc>),
}

/// A follow-up as it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Todo {
    pub uid: String,
    pub due: TodoDue,
    pub summary: String,
    pub description: Option<String>,
    /// iCalendar priority: 1 high, 5 medium, 9 low.
    pub priority: Option<u8>,
    pub sequence: i64,
    pub last_modified: DateTime<Utc>,
}

pub fn utc_text(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A parameter value, quoted when it holds `:;,` (double quotes cannot be escaped: dropped).
fn param_value(v: &str) -> String {
    let v: String = v.chars().filter(|c| *c != '"' && !c.is_control()).collect();
    if v.contains([':', ';', ',']) {
        format!("\"{v}\"")
    } else {
        v
    }
}

/// Writes a whole VCALENDAR with `events` and `todos`; `stamp` is DTSTAMP (now).
pub fn write_calendar(out: &mut String, stamp: DateTime<Utc>, events: &[VEvent], todos: &[Todo]) {
    out.push_str(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kamnote//kamnote//EN\r\n\
         CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n",
    );
    let dtstamp = utc_text(stamp);
    for e in events {
        out.push_str("BEGIN:VEVENT\r\n");
        property(out, "UID", &[], &escape(&e.uid));
        property(out, "DTSTAMP", &[], &dtstamp);
        if let Some((first, after)) = e.all_day {
            let day = |d: NaiveDate| d.format("%Y%m%d").to_string();
            property(out, "DTSTART", &[("VALUE", "DATE")], &day(first));
            property(out, "DTEND", &[("VALUE", "DATE")], &day(after));
        } else {
            property(out, "DTSTART", &[], &utc_text(e.start));
            if let Some(end) = e.end {
                property(out, "DTEND", &[], &utc_text(end));
            }
        }
        property(out, "SUMMARY", &[], &escape(&e.summary));
        if let Some(d) = &e.description {
            property(out, "DESCRIPTION", &[], &escape(d));
        }
        if let Some(l) = &e.location {
            property(out, "LOCATION", &[], &escape(l));
        }
        for (name, email) in &e.attendees {
            let cn = param_value(name);
            property(out, "ATTENDEE", &[("CN", &cn)], &format!("mailto:{email}"));
        }
        if !e.categories.is_empty() {
            let cats: Vec<String> = e.categories.iter().map(|c| escape(c)).collect();
            property(out, "CATEGORIES", &[], &cats.join(","));
        }
        property(
            out,
            "STATUS",
            &[],
            if e.cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            },
        );
        property(out, "SEQUENCE", &[], &e.sequence.to_string());
        property(out, "LAST-MODIFIED", &[], &utc_text(e.last_modified));
        if let Some(a) = &e.alarm {
            out.push_str("BEGIN:VALARM\r\n");
            property(out, "ACTION", &[], "DISPLAY");
            property(out, "DESCRIPTION", &[], &escape(&a.text));
            property(out, "TRIGGER", &[], &format!("-PT{}M", a.minutes_before));
            out.push_str("END:VALARM\r\n");
        }
        out.push_str("END:VEVENT\r\n");
    }
    for t in todos {
        out.push_str("BEGIN:VTODO\r\n");
        property(out, "UID", &[], &escape(&t.uid));
        property(out, "DTSTAMP", &[], &dtstamp);
        match t.due {
            TodoDue::Day(d) => property(
                out,
                "DUE",
                &[("VALUE", "DATE")],
                &d.format("%Y%m%d").to_string(),
            ),
            TodoDue::At(at) => property(out, "DUE", &[], &utc_text(at)),
        }
        property(out, "SUMMARY", &[], &escape(&t.summary));
        if let Some(d) = &t.description {
            property(out, "DESCRIPTION", &[], &escape(d));
        }
        if let Some(p) = t.priority {
            property(out, "PRIORITY", &[], &p.to_string());
        }
        property(out, "STATUS", &[], "NEEDS-ACTION");
        property(out, "SEQUENCE", &[], &t.sequence.to_string());
        property(out, "LAST-MODIFIED", &[], &utc_text(t.last_modified));
        out.push_str("END:VTODO\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn an_event_and_a_todo_escaped_and_folded() {
        let at = Utc.with_ymd_and_hms(2026, 12, 3, 9, 30, 0).unwrap();
        let e = VEvent {
            uid: "i-1@kamnote".into(),
            start: at,
            end: Some(at + chrono::Duration::hours(1)),
            summary: "Tender; lots 3,4 \\ review".into(),
            description: Some(format!("first\nsecond {}", "ñ".repeat(60))),
            location: None,
            cancelled: false,
            attendees: vec![("Peña, María".into(), "m@x.es".into())],
            categories: vec!["meeting".into()],
            sequence: 2,
            last_modified: at,
            all_day: None,
            alarm: Some(EventAlarm {
                minutes_before: 40,
                text: "Leave by 09:05 for Tender".into(),
            }),
        };
        let t = Todo {
            uid: "f-1@kamnote".into(),
            due: TodoDue::Day(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()),
            summary: "send prices".into(),
            description: None,
            priority: Some(1),
            sequence: 0,
            last_modified: at,
        };
        let mut out = String::new();
        write_calendar(&mut out, at, &[e], &[t]);
        assert!(
            out.contains("SUMMARY:Tender\\; lots 3\\,4 \\\\ review\r\n"),
            "{out}"
        );
        assert!(
            out.contains("ATTENDEE;CN=\"Peña, María\":mailto:m@x.es\r\n"),
            "{out}"
        );
        assert!(out.contains("DTSTART:20261203T093000Z\r\nDTEND:20261203T103000Z\r\n"));
        assert!(out.contains("DUE;VALUE=DATE:20261204\r\n"));
        assert!(out.contains("SEQUENCE:2\r\n"));
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert!(out.contains("DESCRIPTION:first\\nsecond ñ"));
        assert!(
            out.contains(
                "LAST-MODIFIED:20261203T093000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n\
                 DESCRIPTION:Leave by 09:05 for Tender\r\nTRIGGER:-PT40M\r\n\
                 END:VALARM\r\nEND:VEVENT\r\n"
            ),
            "{out}"
        );
    }

    #[test]
    fn an_all_day_event_is_written_as_days() {
        let at = Utc.with_ymd_and_hms(2026, 12, 7, 23, 0, 0).unwrap();
        let d = |n| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let e = VEvent {
            uid: "i-2@kamnote".into(),
            start: at,
            end: Some(at + chrono::Duration::days(2)),
            summary: "Congress".into(),
            description: None,
            location: None,
            cancelled: false,
            attendees: vec![],
            categories: vec![],
            sequence: 0,
            last_modified: at,
            all_day: Some((d(8), d(10))),
            alarm: None,
        };
        let mut out = String::new();
        write_calendar(&mut out, at, &[e], &[]);
        assert!(
            out.contains("DTSTART;VALUE=DATE:20261208\r\nDTEND;VALUE=DATE:20261210\r\n"),
            "{out}"
        );
        assert!(!out.contains("DTSTART:"), "{out}");
    }
}

#[cfg(test)]
mod round_trip {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;
    use crate::interop::ics::{IcsTime, parse};

    fn text() -> impl Strategy<Value = String> {
        "[a-zA-Z0-9 ,;:\\\\\"áñüß中Ωé\n]{1,60}"
            .prop_map(|s| s.trim().to_string())
            .prop_filter("not blank", |s| !s.is_empty())
    }

    proptest! {
        /// What an event carries comes back from our own reader: uid, start, end, summary,
        /// description, location, cancelled, attendee emails.
        #[test]
        fn an_event_comes_back_as_written(
            uid in "[a-z0-9-]{1,40}",
            start in 0_i64..4_000_000_000,
            minutes in proptest::option::of(0_i64..600),
            summary in text(),
            description in proptest::option::of(text()),
            location in proptest::option::of(text()),
            cancelled in any::<bool>(),
            emails in proptest::collection::vec("[a-z]{1,8}@[a-z]{1,8}\\.org", 0..3),
        ) {
            let at = Utc.timestamp_opt(start, 0).unwrap();
            let e = VEvent {
                uid: format!("{uid}@kamnote"),
                start: at,
                end: minutes.map(|m| at + chrono::Duration::minutes(m)),
                summary: summary.clone(),
                description: description.clone(),
                location: location.clone(),
                cancelled,
                attendees: emails.iter().map(|e| ("A, B".to_string(), e.clone())).collect(),
                categories: vec!["meeting".into()],
                sequence: 3,
                last_modified: at,
                all_day: None,
                alarm: Some(EventAlarm { minutes_before: 15, text: "soon".into() }),
            };
            let mut out = String::new();
            write_calendar(&mut out, at, &[e], &[]);
            for l in out.split("\r\n") {
                prop_assert!(l.len() <= 75);
            }
            let cal = parse(&out).expect("parses");
            prop_assert_eq!(cal.events.len(), 1);
            let got = &cal.events[0];
            prop_assert_eq!(got.uid.clone(), Some(format!("{uid}@kamnote")));
            prop_assert_eq!(got.start.clone(), Some(IcsTime::Utc(at.naive_utc())));
            prop_assert_eq!(
                got.end.clone(),
                minutes.map(|m| IcsTime::Utc((at + chrono::Duration::minutes(m)).naive_utc()))
            );
            prop_assert_eq!(got.summary.clone(), Some(summary));
            prop_assert_eq!(got.description.clone(), description);
            prop_assert_eq!(got.location.clone(), location);
            prop_assert_eq!(got.cancelled, cancelled);
            prop_assert_eq!(got.attendees.clone(), emails);
        }
    }
}
