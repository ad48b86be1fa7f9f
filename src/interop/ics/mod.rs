//! iCalendar (RFC 5545): meetings out as VEVENT and open follow-ups as VTODO; meetings in from
//! VEVENTs, recurring ones expanded within a window.
//!
//! Export: UID is `<uid>@kamnote`, so a calendar that imports the file again updates the event
//! instead of adding it; SEQUENCE is the record's version − 1 and LAST-MODIFIED its last change,
//! so a re-export after an edit supersedes the old copy; DTSTAMP is the clock's now; times are
//! written in UTC (`…Z`), a follow-up due on a day as `VALUE=DATE`. TEXT is escaped (`\\ \; \,
//! \n`) and lines are folded at 75 octets without splitting a character.
//!
//! | kamnote (interaction)  | VEVENT                 | kamnote (follow-up) | VTODO                 |
//! |------------------------|------------------------|---------------------|-----------------------|
//! | uid                    | UID `<uid>@kamnote`    | uid                 | UID `<uid>@kamnote`   |
//! | at / end               | DTSTART / DTEND (UTC)  | due                 | DUE (date or UTC)     |
//! | title (else kind+acct) | SUMMARY                | text                | SUMMARY               |
//! | brief (planned), body  | DESCRIPTION            | account, person     | DESCRIPTION (names)   |
//! | account · location     | LOCATION               | priority 1/2/3      | PRIORITY 1/5/9        |
//! | status cancelled       | STATUS:CANCELLED       | status open         | STATUS:NEEDS-ACTION   |
//! | people (with email)    | ATTENDEE;CN=…:mailto:  | repeat              | not carried           |
//! | kind, tags             | CATEGORIES             | version, updated_at | SEQUENCE, LAST-MODIFIED |
//!
//! A planned meeting's DESCRIPTION starts with its one-line brief ([`crate::prep::phone`]),
//! then a blank line and its notes; LOCATION is the account and the place (the meeting's own,
//! else the account's address); a VALARM (DISPLAY) rings `[sync] alarm` (or `--alarm`) before it,
//! plus the account's travel minutes for a meeting, visit or event. Import takes the brief and the
//! account back off an event of ours, so a re-import changes nothing.
//!
//! Not carried: outcome, people without an email,
//! the original UTC offset (UTC is written), follow-ups' repeat and deal.
//!
//! Import: each VEVENT becomes a meeting (an all-day one an event), done when it started before
//! now and planned otherwise (cancelled with STATUS:CANCELLED); ATTENDEE emails are matched to
//! people, who join the meeting (nobody is taken off it), and the first one's account is the
//! meeting's when it has none; `<uid>@kamnote` UIDs find the record they came from,
//! other UIDs are kept so a re-import updates. A recurring event (RRULE, RDATE, EXRULE, EXDATE)
//! is expanded inside the window by the `rrule` crate, one meeting per occurrence, at most
//! `rrule::MAX_OCCURRENCES` (a cut is reported); a rule the engine refuses skips the event with
//! a report line. A changed occurrence (RECURRENCE-ID) replaces its slot and is imported only
//! when it starts inside the window. TZID times use the file's VTIMEZONE when it has simple
//! yearly rules (an observance's UNTIL ends it), else the IANA zone the TZID names (a Windows
//! name mapped, see `zones`), else the local zone (reported). EXDATE, RECURRENCE-ID and DTEND
//! written in another zone than DTSTART (often UTC) are compared as instants. Events without
//! DTSTART (iTIP replies and cancellations) are skipped with a note. VTODOs become follow-ups
//! (see `todos`); other components are counted and skipped. Several VCALENDARs in one file
//! and components after `END:VCALENDAR` are all read.
//!
//! Export of an all-day event (kind event, from midnight to a later midnight): DTSTART and
//! DTEND as `VALUE=DATE` days, so it stays all-day in the other calendar.

mod export;
mod import;
mod parse;
pub mod rrule;
mod todos;
mod write;
pub mod zones;

pub use export::{
    CalendarWindow, EventOptions, PLACE_SEPARATOR, calendar_uid, export, meeting_event, place_for,
    place_from_location, summary_for,
};
pub use import::{OccurrenceWindow, event_times, import};
pub use parse::{CalTodo, Calendar, Event, IcsTime, parse};
pub use write::{EventAlarm, Todo, TodoDue, VEvent, write_calendar};
