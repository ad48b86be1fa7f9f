//! Bringing VEVENTs into the notebook as meetings (store side): times resolved to instants,
//! recurring events expanded inside the window, each matched by uid on re-import.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{
    DateTime, Duration, FixedOffset, Local, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};

use crate::clock::earliest_instant;
use crate::domain::{Id, Interaction, InteractionKind, InteractionStatus, Timestamp};
use crate::interop::{ImportError, ImportReport, line_error};
use crate::store::{StoreError, TargetKind, Writer};

use super::export::{notes_from_description, place_from_location, summary_for};
use super::parse::{Calendar, Event, IcsTime, zone_offset};
use super::rrule::{MAX_OCCURRENCES, Series, expand};
use super::zones::iana_zone;

/// Recurring events are expanded for occurrences starting in `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OccurrenceWindow {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Longest uid kept as written; longer ones are replaced by a digest.
const MAX_UID_BYTES: usize = 120;

/// FNV-1a, 64 bits: a stable short name for an over-long or missing UID.
pub(super) fn digest(s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("ics-{h:016x}")
}

pub(super) struct Times<'a> {
    pub(super) cal: &'a Calendar,
    /// TZIDs read as local time because neither the file nor the zone database knows them.
    pub(super) unknown: RefCell<BTreeSet<String>>,
}

impl<'a> Times<'a> {
    fn local_wall(t: NaiveDateTime) -> Timestamp {
        earliest_instant(Local.from_local_datetime(&t))
            .or_else(|| {
                let later = t.checked_add_signed(Duration::hours(1))?;
                earliest_instant(Local.from_local_datetime(&later))
            })
            .map_or_else(
                || Utc.from_utc_datetime(&t).fixed_offset(),
                |d| d.fixed_offset(),
            )
    }

    fn local(t: DateTime<Utc>) -> Timestamp {
        t.with_timezone(&Local).fixed_offset()
    }

    pub(super) fn new(cal: &'a Calendar) -> Self {
        Times {
            cal,
            unknown: RefCell::new(BTreeSet::new()),
        }
    }

    /// The instant a wall time `wall` in the zone of `like` is: the file's VTIMEZONE when it
    /// describes the TZID, else the IANA zone it names (a Windows name mapped), else local time
    /// (noted).
    pub(super) fn resolve(&self, like: &IcsTime, wall: NaiveDateTime) -> Timestamp {
        match like {
            IcsTime::Utc(_) => Self::local(Utc.from_utc_datetime(&wall)),
            IcsTime::Floating(_) | IcsTime::Date(_) => Self::local_wall(wall),
            IcsTime::Zoned(_, id) => {
                if let Some(off) = self.cal.zones.get(id).and_then(|z| zone_offset(z, wall)) {
                    if let Some(t) = FixedOffset::east_opt(off)
                        .and_then(|o| o.from_local_datetime(&wall).single())
                    {
                        return Self::local(t.with_timezone(&Utc));
                    }
                }
                if let Some(tz) = iana_zone(id) {
                    // A wall time skipped by a daylight-saving change is read an hour later.
                    let t = earliest_instant(tz.from_local_datetime(&wall)).or_else(|| {
                        let later = wall.checked_add_signed(Duration::hours(1))?;
                        earliest_instant(tz.from_local_datetime(&later))
                    });
                    if let Some(t) = t {
                        return Self::local(t.with_timezone(&Utc));
                    }
                }
                self.unknown.borrow_mut().insert(id.clone());
                Self::local_wall(wall)
            }
        }
    }

    /// How long the event lasts (DTEND − DTSTART or DURATION; an all-day one a day), if known
    /// and not negative.
    fn length(&self, e: &Event, start: &IcsTime) -> Option<Duration> {
        match (&e.end, e.duration) {
            (Some(end @ IcsTime::Date(_)), _) => Some(end.wall() - start.wall()),
            // The instants, so a DTEND in another zone (or across a DST change) is exact.
            (Some(end), _) => Some(
                self.resolve(end, end.wall()).with_timezone(&Utc)
                    - self.resolve(start, start.wall()).with_timezone(&Utc),
            ),
            (None, Some(d)) => Some(d),
            (None, None) if matches!(start, IcsTime::Date(_)) => Some(Duration::days(1)),
            (None, None) => None,
        }
        .filter(|d| *d >= Duration::zero())
    }

    /// `t` as a wall time in the zone of `like` (an EXDATE or RECURRENCE-ID written in UTC for
    /// a zoned series): the wall time of that zone that is the same instant, else as written.
    pub(super) fn wall_like(&self, like: &IcsTime, t: &IcsTime) -> NaiveDateTime {
        if same_form(like, t) {
            return t.wall();
        }
        let instant = self.resolve(t, t.wall()).with_timezone(&Utc);
        let mut offsets: Vec<i64> = vec![
            0,
            i64::from(Self::local(instant).offset().local_minus_utc()),
        ];
        if let IcsTime::Zoned(_, id) = like {
            if let Some(zone) = self.cal.zones.get(id) {
                offsets.extend(zone.iter().map(|o| i64::from(o.offset)));
            }
            if let Some(tz) = iana_zone(id) {
                let off = tz.offset_from_utc_datetime(&instant.naive_utc()).fix();
                offsets.push(i64::from(off.local_minus_utc()));
            }
        }
        for off in offsets {
            let Some(wall) = instant
                .naive_utc()
                .checked_add_signed(Duration::seconds(off))
            else {
                continue;
            };
            if self.resolve(like, wall).with_timezone(&Utc) == instant {
                return wall;
            }
        }
        t.wall()
    }
}

/// Whether two times are written the same way (UTC, floating, a day, or the same TZID), so
/// their wall times compare.
fn same_form(a: &IcsTime, b: &IcsTime) -> bool {
    match (a, b) {
        (IcsTime::Utc(_), IcsTime::Utc(_))
        | (IcsTime::Floating(_), IcsTime::Floating(_))
        | (IcsTime::Date(_), IcsTime::Date(_)) => true,
        (IcsTime::Zoned(_, x), IcsTime::Zoned(_, y)) => x == y,
        _ => false,
    }
}

/// Writes the calendar's events (and its to-dos, as follow-ups) through `w`; `now` decides
/// done or planned.
#[allow(clippy::too_many_lines)] // one walk over the events: series, overrides, single ones
pub fn import(
    w: &Writer<'_>,
    cal: &Calendar,
    window: OccurrenceWindow,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    let times = Times::new(cal);
    for (what, n) in &cal.other {
        for _ in 0..*n {
            report.skip("other component");
        }
        report.notes.push(format!(
            "{what} ×{n} not imported: only events (VEVENT) and to-dos (VTODO) are read"
        ));
    }
    // Attendees' emails, read once when the first event with attendees comes (an import
    // adds no people).
    let mut emails: Option<HashMap<String, Id>> = None;
    // A RECURRENCE-ID names an occurrence in its series' DTSTART zone.
    let series_start = series_starts(cal);
    // The occurrences each series' overrides replace: the series leaves them to the override,
    // which is imported only when it starts inside the window.
    let mut overridden: HashMap<&str, HashSet<NaiveDateTime>> = HashMap::new();
    for e in &cal.events {
        if let (Some(uid), Some(r)) = (e.uid.as_deref(), &e.recurrence_id) {
            if let Some(series) = series_start.get(uid) {
                overridden
                    .entry(uid)
                    .or_default()
                    .insert(times.wall_like(series, r));
            }
        }
    }
    // A day of slack either side for the zones' offsets; an open end (the ends of time) stays.
    let from_wall = window
        .from
        .checked_sub_signed(Duration::days(1))
        .map_or(NaiveDateTime::MIN, |t| t.naive_utc());
    let to_wall = window
        .to
        .checked_add_signed(Duration::days(1))
        .map_or(NaiveDateTime::MAX, |t| t.naive_utc());
    let in_window = |t: DateTime<Utc>| t >= window.from && t < window.to;
    let mut no_start = 0_u64;
    for (n, e) in cal.events.iter().enumerate() {
        if n % 200 == 0 {
            progress(n as u64);
        }
        let Some(start) = e.start.as_ref() else {
            // An iTIP reply or cancellation names its meeting by UID alone.
            no_start += 1;
            report.skip("meeting");
            continue;
        };
        let base = base_uid(e, start);
        let length = times.length(e, start);
        let recurring = e.rrule.is_some() || !e.rdates.is_empty();
        if recurring && e.recurrence_id.is_none() {
            let mut exdates: Vec<NaiveDateTime> = e
                .exdates
                .iter()
                .map(|x| times.wall_like(start, x))
                .collect();
            if let Some(set) = e.uid.as_deref().and_then(|u| overridden.get(u)) {
                exdates.extend(set.iter().copied());
            }
            let series = Series {
                start: start.wall(),
                rule: e.rrule.as_ref().map(|(_, r)| r.clone()),
                exrules: e.exrules.iter().map(|(_, r)| r.clone()).collect(),
                rdates: e.rdates.iter().map(|x| times.wall_like(start, x)).collect(),
                exdates,
            };
            let until = |u: &str| until_wall(&times, start, u);
            let occurrences = match expand(&series, &until, from_wall, to_wall) {
                Ok(o) => o,
                Err(msg) => {
                    let line = e.rrule.as_ref().map_or(e.line, |(l, _)| *l);
                    report.skip("meeting");
                    report.notes.push(format!(
                        "line {line}: RRULE: {}; the event \"{}\" was skipped",
                        crate::text::sanitize_line(&msg),
                        crate::text::sanitize_line(e.summary.as_deref().unwrap_or(""))
                    ));
                    continue;
                }
            };
            if occurrences.capped {
                report.notes.push(format!(
                    "line {}: the event \"{}\" repeats more than {MAX_OCCURRENCES} times in \
                     the window: only the first {} were imported; import a shorter window \
                     (--from/--to) for the rest",
                    e.line,
                    crate::text::sanitize_line(e.summary.as_deref().unwrap_or("")),
                    occurrences.starts.len()
                ));
            }
            // An EXDATE written as a day on a timed series takes out that day's occurrences.
            let ex_days: Vec<chrono::NaiveDate> = match start {
                IcsTime::Date(_) => Vec::new(),
                _ => e
                    .exdates
                    .iter()
                    .filter_map(|x| match x {
                        IcsTime::Date(d) => Some(*d),
                        _ => None,
                    })
                    .collect(),
            };
            for occ in occurrences.starts {
                if ex_days.contains(&occ.date()) {
                    continue;
                }
                let at = times.resolve(start, occ);
                if !in_window(at.with_timezone(&Utc)) {
                    continue;
                }
                let uid = format!("{base}/{}", occ.format("%Y%m%dT%H%M%S"));
                meeting(w, e, &uid, at, length, start, now, &mut report, &mut emails)?;
            }
            continue;
        }
        let at = times.resolve(start, start.wall());
        let uid = match &e.recurrence_id {
            Some(r) => {
                // A changed occurrence outside the window stays out, as its series' would.
                if !in_window(at.with_timezone(&Utc)) {
                    report.skip("meeting");
                    continue;
                }
                let series = e
                    .uid
                    .as_deref()
                    .and_then(|u| series_start.get(u).copied())
                    .unwrap_or(start);
                let wall = times.wall_like(series, r);
                format!("{base}/{}", wall.format("%Y%m%dT%H%M%S"))
            }
            None => base,
        };
        meeting(w, e, &uid, at, length, start, now, &mut report, &mut emails)?;
    }
    if no_start > 0 {
        let what = match cal.method.as_deref() {
            Some(m @ ("REPLY" | "CANCEL" | "COUNTER" | "REFRESH" | "DECLINECOUNTER")) => {
                format!(" (an iTIP {m}: it answers an invitation and names no time)")
            }
            _ => String::new(),
        };
        report.notes.push(format!(
            "{} without a start (DTSTART) skipped{what}",
            crate::text::count_kind(no_start, "event")
        ));
    }
    super::todos::import_todos(w, cal, &times, now, &mut report)?;
    for id in times.unknown.into_inner() {
        report.notes.push(format!(
            "time zone \"{}\" is not described in the file nor a known zone: its times were \
             read as local time",
            crate::text::sanitize_line(&id)
        ));
    }
    Ok(report)
}

/// An RRULE's UNTIL as a wall time of the series' zone: a date is its whole day, a UTC moment
/// is turned into the series' zone, a local time stays.
fn until_wall(times: &Times<'_>, start: &IcsTime, value: &str) -> Option<NaiveDateTime> {
    let cl = crate::interop::contentline::ContentLine {
        line: 0,
        name: "UNTIL".into(),
        params: Vec::new(),
        value: value.to_string(),
    };
    Some(match super::parse::parse_time_value(&cl)? {
        IcsTime::Date(d) => d.and_time(NaiveTime::from_hms_opt(23, 59, 59)?),
        t @ IcsTime::Utc(_) => times.wall_like(start, &t),
        other => other.wall(),
    })
}

/// Each series' DTSTART by UID (the events that are not a changed occurrence).
fn series_starts(cal: &Calendar) -> HashMap<&str, &IcsTime> {
    cal.events
        .iter()
        .filter(|e| e.recurrence_id.is_none())
        .filter_map(|e| Some((e.uid.as_deref()?, e.start.as_ref()?)))
        .collect()
}

fn base_uid(e: &Event, start: &IcsTime) -> String {
    match &e.uid {
        Some(u) => {
            let u = u.strip_suffix("@kamnote").unwrap_or(u);
            if u.len() > MAX_UID_BYTES || u.chars().any(char::is_control) {
                digest(u)
            } else {
                u.to_string()
            }
        }
        None => digest(&format!(
            "{}|{}",
            e.summary.as_deref().unwrap_or(""),
            start.wall()
        )),
    }
}

/// DESCRIPTION and LOCATION into the meeting's notes and place. What the export adds to our own
/// events (the brief, the account before the place) is not the meeting's: it is taken off again
/// (issue 13.4).
fn notes_and_place(w: &Writer<'_>, e: &Event, i: &mut Interaction) -> Result<(), StoreError> {
    let ours = e.uid.as_deref().is_some_and(|u| u.ends_with("@kamnote"));
    if let Some(d) = &e.description {
        i.body = notes_from_description(d, ours);
    }
    if let Some(l) = &e.location {
        let place = match i.account {
            Some(a) => w.account_place(a)?,
            None => None,
        };
        i.location = place_from_location(l, place.as_ref(), i.location.as_deref(), ours);
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn meeting(
    w: &Writer<'_>,
    e: &Event,
    uid: &str,
    at: Timestamp,
    length: Option<Duration>,
    start: &IcsTime,
    now: DateTime<Utc>,
    report: &mut ImportReport,
    emails: &mut Option<HashMap<String, Id>>,
) -> Result<(), ImportError> {
    let field_error = |err: StoreError| match err {
        StoreError::Invalid(inv) => line_error(e.line, Some(&inv.field), inv.problem),
        other => ImportError::Store(other),
    };
    let existing = w.interaction_by_uid(uid)?;
    let mut people: Vec<Id> = Vec::new();
    if !e.attendees.is_empty() && emails.is_none() {
        *emails = Some(w.people_by_email()?);
    }
    for email in &e.attendees {
        let found = emails
            .as_ref()
            .and_then(|m| m.get(&email.trim().to_ascii_lowercase()).copied());
        if let Some(id) = found {
            if !people.contains(&id) {
                people.push(id);
            }
        }
    }
    let first_account = match people.first() {
        Some(&p) => w.person(p)?.and_then(|(p, _)| p.account),
        None => None,
    };
    let mut i = match &existing {
        Some((i, _)) => i.clone(),
        None => Interaction {
            id: 0,
            uid: uid.to_string(),
            kind: if matches!(start, IcsTime::Date(_)) {
                InteractionKind::Event
            } else {
                InteractionKind::Meeting
            },
            at,
            end: None,
            account: None,
            people: Vec::new(),
            title: None,
            body: None,
            location: None,
            status: InteractionStatus::Planned,
            outcome: None,
            tags: Vec::new(),
            extra: crate::domain::Extra::new(),
        },
    };
    i.at = at;
    i.end = length.and_then(|d| at.checked_add_signed(d));
    // Attendees found by email join the meeting; nobody is taken off it (people without an
    // email are not in the file at all).
    for id in people {
        if !i.people.contains(&id) {
            i.people.push(id);
        }
    }
    if i.account.is_none() {
        i.account = first_account;
    }
    // A SUMMARY that is only what the export made up for an untitled meeting keeps it untitled.
    let account_name = match i.account {
        Some(a) => w.name_of(TargetKind::Account, a)?,
        None => None,
    };
    let made_up = summary_for(
        &Interaction {
            title: None,
            ..i.clone()
        },
        account_name.as_deref(),
    );
    match &e.summary {
        Some(s) if *s == made_up && existing.is_some() => i.title = None,
        Some(s) => i.title = Some(s.clone()),
        None => {}
    }
    notes_and_place(w, e, &mut i)?;
    if e.cancelled {
        i.status = InteractionStatus::Cancelled;
    } else if existing.is_none() {
        i.status = if at.with_timezone(&Utc) < now {
            InteractionStatus::Done
        } else {
            InteractionStatus::Planned
        };
    }
    match existing {
        Some((before, _)) if before == i => report.skip("meeting"),
        Some(_) => {
            w.upsert_interaction(&i, None, None).map_err(field_error)?;
            report.update("meeting");
        }
        None => {
            w.upsert_interaction(&i, None, None).map_err(field_error)?;
            report.add("meeting");
        }
    }
    Ok(())
}
