//! Reading an iCalendar file: its VEVENTs (with the properties a meeting keeps), its VTODOs
//! (what a follow-up keeps), its VTIMEZONEs (their yearly STANDARD/DAYLIGHT rules), and a count
//! of what else it holds. Several VCALENDARs in one file, and components written after
//! `END:VCALENDAR` (as some exporters do), are all read.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use crate::interop::contentline::{self, ContentLine, unescape};
use crate::interop::{ImportError, line_error};

/// A DTSTART/DTEND/EXDATE value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IcsTime {
    /// `…Z`.
    Utc(NaiveDateTime),
    /// No zone: the reader's local time.
    Floating(NaiveDateTime),
    /// `TZID=…`.
    Zoned(NaiveDateTime, String),
    /// `VALUE=DATE`: a whole day.
    Date(NaiveDate),
}

impl IcsTime {
    /// The wall-clock value (a date at midnight).
    pub fn wall(&self) -> NaiveDateTime {
        match self {
            IcsTime::Utc(t) | IcsTime::Floating(t) | IcsTime::Zoned(t, _) => *t,
            IcsTime::Date(d) => d.and_time(NaiveTime::MIN),
        }
    }
}

/// One VEVENT.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// The line of its BEGIN:VEVENT.
    pub line: u64,
    pub uid: Option<String>,
    pub start: Option<IcsTime>,
    pub end: Option<IcsTime>,
    pub duration: Option<Duration>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub cancelled: bool,
    pub rrule: Option<(u64, String)>,
    pub exdates: Vec<IcsTime>,
    /// RDATE values (a PERIOD's start), extra occurrences of the series.
    pub rdates: Vec<IcsTime>,
    /// EXRULE (deprecated by RFC 5545, still written): occurrences it makes are left out.
    pub exrules: Vec<(u64, String)>,
    pub recurrence_id: Option<IcsTime>,
    /// Attendee emails, in order.
    pub attendees: Vec<String>,
}

/// One VTODO: what a follow-up keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalTodo {
    /// The line of its BEGIN:VTODO.
    pub line: u64,
    pub uid: Option<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub due: Option<IcsTime>,
    pub start: Option<IcsTime>,
    /// STATUS (upper-cased): NEEDS-ACTION, IN-PROCESS, COMPLETED, CANCELLED.
    pub status: Option<String>,
    pub completed: Option<IcsTime>,
    /// 1 (highest) to 9; 0 is none.
    pub priority: Option<u8>,
}

/// A VTIMEZONE observance: from `onset` (yearly by month and nth weekday when `yearly`), the
/// offset is `offset` seconds east of UTC. A yearly rule with `until` has no onset after it
/// (an older generation of the zone's rules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observance {
    pub start: NaiveDateTime,
    pub yearly: Option<(u32, i32, Weekday)>,
    pub until: Option<NaiveDateTime>,
    pub offset: i32,
}

/// An observance being read: DTSTART, yearly rule (with its UNTIL), TZOFFSETTO.
type PartialObservance = (Option<NaiveDateTime>, Option<YearlyRule>, Option<i32>);

/// `BYMONTH`, the nth `BYDAY`, and `UNTIL` (its wall value, a `Z` dropped).
type YearlyRule = ((u32, i32, Weekday), Option<NaiveDateTime>);

/// What the file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    pub events: Vec<Event>,
    pub todos: Vec<CalTodo>,
    /// The METHOD of the (last) VCALENDAR: PUBLISH, REQUEST, REPLY, CANCEL...
    pub method: Option<String>,
    pub zones: HashMap<String, Vec<Observance>>,
    /// Other components (VTODO, VJOURNAL...) with how many.
    pub other: BTreeMap<String, u64>,
}

pub fn parse_time_value(cl: &ContentLine) -> Option<IcsTime> {
    let v = cl.value.trim();
    if cl
        .param("VALUE")
        .is_some_and(|p| p.eq_ignore_ascii_case("DATE"))
        || v.len() == 8
    {
        return NaiveDate::parse_from_str(v, "%Y%m%d")
            .ok()
            .map(IcsTime::Date);
    }
    if let Some(u) = v.strip_suffix('Z').or_else(|| v.strip_suffix('z')) {
        return NaiveDateTime::parse_from_str(u, "%Y%m%dT%H%M%S")
            .ok()
            .map(IcsTime::Utc);
    }
    let t = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()?;
    Some(match cl.param("TZID") {
        Some(z) => IcsTime::Zoned(t, z.trim_start_matches('/').to_string()),
        None => IcsTime::Floating(t),
    })
}

/// `PT1H30M`, `P1D`, `-PT15M`.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let s = s.strip_prefix('P')?;
    let mut total = 0_i64;
    let mut num = String::new();
    let mut in_time = false;
    for c in s.chars() {
        match c {
            'T' => in_time = true,
            '0'..='9' => num.push(c),
            _ => {
                let n: i64 = num.parse().ok()?;
                num.clear();
                let unit = match (c, in_time) {
                    ('W', false) => 604_800,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return None,
                };
                total = n.checked_mul(unit).and_then(|x| total.checked_add(x))?;
            }
        }
    }
    if !num.is_empty() {
        return None;
    }
    // Longer than a year is not a meeting's length: refused rather than overflowing later.
    (total <= 366 * 86_400).then(|| Duration::seconds(if neg { -total } else { total }))
}

fn offset_secs(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if rest.len() < 4 {
        return None;
    }
    let h: i32 = rest.get(..2)?.parse().ok()?;
    let m: i32 = rest.get(2..4)?.parse().ok()?;
    let sec: i32 = rest.get(4..6).and_then(|x| x.parse().ok()).unwrap_or(0);
    Some(sign * (h * 3600 + m * 60 + sec))
}

/// Reads a VTIMEZONE observance's yearly rule: `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`.
fn yearly_rule(v: &str) -> Option<YearlyRule> {
    let mut month = None;
    let mut day = None;
    let mut until = None;
    for part in v.split(';') {
        let (k, val) = part.split_once('=')?;
        match k.to_ascii_uppercase().as_str() {
            "BYMONTH" => month = val.parse().ok(),
            "BYDAY" => {
                let val = val.to_ascii_uppercase();
                let (n, wd) = val.split_at_checked(val.len().checked_sub(2)?)?;
                let wd = match wd {
                    "MO" => Weekday::Mon,
                    "TU" => Weekday::Tue,
                    "WE" => Weekday::Wed,
                    "TH" => Weekday::Thu,
                    "FR" => Weekday::Fri,
                    "SA" => Weekday::Sat,
                    "SU" => Weekday::Sun,
                    _ => return None,
                };
                day = Some((n.trim_start_matches('+').parse().ok()?, wd));
            }
            "UNTIL" => {
                let cl = ContentLine {
                    line: 0,
                    name: "UNTIL".into(),
                    params: Vec::new(),
                    value: val.to_string(),
                };
                // A rule whose end cannot be read is not used at all rather than forever.
                until = Some(match parse_time_value(&cl)? {
                    IcsTime::Date(d) => d.and_time(NaiveTime::MIN) + Duration::days(1),
                    t => t.wall(),
                });
            }
            _ => {}
        }
    }
    let (n, wd) = day?;
    Some(((month?, n, wd), until))
}

/// The day of the `n`th (negative: from the end) `wd` of `month` in `year`.
pub fn nth_weekday(year: i32, month: u32, n: i32, wd: Weekday) -> Option<NaiveDate> {
    let days: Vec<NaiveDate> = (1..=31)
        .filter_map(|d| NaiveDate::from_ymd_opt(year, month, d))
        .filter(|d| d.weekday() == wd)
        .collect();
    if n > 0 {
        days.get(usize::try_from(n - 1).ok()?).copied()
    } else {
        days.len()
            .checked_sub(n.unsigned_abs() as usize)
            .and_then(|i| days.get(i))
            .copied()
    }
}

/// The UTC offset (seconds) in effect at wall time `t` under `zone`.
pub fn zone_offset(zone: &[Observance], t: NaiveDateTime) -> Option<i32> {
    let mut best: Option<(NaiveDateTime, i32)> = None;
    for o in zone {
        // UNTIL is mostly UTC and the onset a wall time: a day of slack cannot let in the
        // next year's onset.
        let until = o
            .until
            .map(|u| u.checked_add_signed(Duration::days(1)).unwrap_or(u));
        let onsets: Vec<NaiveDateTime> = match o.yearly {
            Some((month, n, wd)) => [t.year() - 1, t.year()]
                .into_iter()
                .filter_map(|y| nth_weekday(y, month, n, wd))
                .map(|d| d.and_time(o.start.time()))
                .filter(|d| *d >= o.start && until.is_none_or(|u| *d <= u))
                .collect(),
            None => vec![o.start],
        };
        for onset in onsets.into_iter().filter(|x| *x <= t) {
            if best.is_none_or(|(b, _)| onset > b) {
                best = Some((onset, o.offset));
            }
        }
    }
    best.map(|(_, off)| off)
        .or_else(|| zone.iter().min_by_key(|o| o.start).map(|o| o.offset))
}

/// Reads a whole calendar. Structural faults (a component never ended, no VCALENDAR) are
/// errors naming the line.
#[allow(clippy::too_many_lines)] // one walk over the lines, one arm per component
pub fn parse(text: &str) -> Result<Calendar, ImportError> {
    let mut cal = Calendar::default();
    let mut stack: Vec<(String, u64)> = Vec::new();
    let mut event: Option<Event> = None;
    let mut todo: Option<CalTodo> = None;
    let mut zone: Option<(String, Vec<Observance>)> = None;
    let mut obs: Option<PartialObservance> = None;
    let mut seen_calendar = false;
    for (line, raw) in contentline::unfold(text) {
        let Some(cl) = contentline::parse(line, &raw) else {
            if stack.is_empty() {
                continue;
            }
            return Err(line_error(
                line,
                None,
                "is not an iCalendar property (NAME:value); is the file cut or damaged?",
            ));
        };
        match cl.name.as_str() {
            "BEGIN" => {
                let what = cl.value.trim().to_ascii_uppercase();
                match what.as_str() {
                    "VCALENDAR" => seen_calendar = true,
                    "VEVENT" if top_level(&stack) => {
                        event = Some(Event {
                            line,
                            ..Event::default()
                        });
                    }
                    "VTODO" if top_level(&stack) => {
                        todo = Some(CalTodo {
                            line,
                            ..CalTodo::default()
                        });
                    }
                    "VTIMEZONE" => zone = Some((String::new(), Vec::new())),
                    "STANDARD" | "DAYLIGHT" => obs = Some((None, None, None)),
                    "VALARM" => {}
                    other if top_level(&stack) => {
                        *cal.other.entry(other.to_string()).or_default() += 1;
                    }
                    _ => {}
                }
                stack.push((what, line));
                if stack.len() > 8 {
                    return Err(line_error(line, None, "components nested too deep"));
                }
            }
            "END" => {
                let what = cl.value.trim().to_ascii_uppercase();
                match stack.pop() {
                    Some((open, _)) if open == what => {}
                    Some((open, at)) => {
                        return Err(line_error(
                            line,
                            None,
                            format!("END:{what} but BEGIN:{open} on line {at} is still open"),
                        ));
                    }
                    None => {
                        return Err(line_error(
                            line,
                            None,
                            format!("END:{what} without a BEGIN"),
                        ));
                    }
                }
                match what.as_str() {
                    "VEVENT" => cal.events.extend(event.take()),
                    "VTODO" => cal.todos.extend(todo.take()),
                    "VTIMEZONE" => {
                        if let Some((id, o)) = zone.take() {
                            if !id.is_empty() {
                                cal.zones.insert(id, o);
                            }
                        }
                    }
                    "STANDARD" | "DAYLIGHT" => {
                        if let (Some((Some(start), yearly, Some(offset))), Some((_, list))) =
                            (obs.take(), zone.as_mut())
                        {
                            list.push(Observance {
                                start,
                                yearly: yearly.map(|(y, _)| y),
                                until: yearly.and_then(|(_, u)| u),
                                offset,
                            });
                        }
                    }
                    _ => {}
                }
            }
            _ => {
                let inside = stack.last().map(|(s, _)| s.as_str());
                match inside {
                    Some("VEVENT") => {
                        if let Some(e) = event.as_mut() {
                            event_property(e, &cl)?;
                        }
                    }
                    Some("VTODO") => {
                        if let Some(t) = todo.as_mut() {
                            todo_property(t, &cl);
                        }
                    }
                    Some("VCALENDAR") if cl.name == "METHOD" => {
                        cal.method = Some(cl.value.trim().to_ascii_uppercase());
                    }
                    Some("VTIMEZONE") if cl.name == "TZID" => {
                        if let Some((id, _)) = zone.as_mut() {
                            *id = cl.value.trim().trim_start_matches('/').to_string();
                        }
                    }
                    Some("STANDARD" | "DAYLIGHT") => {
                        if let Some(o) = obs.as_mut() {
                            match cl.name.as_str() {
                                "DTSTART" => o.0 = parse_time_value(&cl).map(|t| t.wall()),
                                "RRULE" => o.1 = yearly_rule(&cl.value),
                                "TZOFFSETTO" => o.2 = offset_secs(&cl.value),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some((open, at)) = stack.pop() {
        return Err(line_error(
            at,
            None,
            format!("BEGIN:{open} has no END:{open}; is the file cut?"),
        ));
    }
    if !seen_calendar {
        return Err(line_error(
            1,
            None,
            "no BEGIN:VCALENDAR found; is this an iCalendar (.ics) file?",
        ));
    }
    Ok(cal)
}

/// Whether a component begun now sits in a VCALENDAR, or outside any (after an
/// `END:VCALENDAR`, as some exporters write).
fn top_level(stack: &[(String, u64)]) -> bool {
    match stack {
        [] => true,
        [(only, _)] => only == "VCALENDAR",
        _ => false,
    }
}

/// One of the comma-separated values of a DATE/DATE-TIME list property (EXDATE, RDATE); a
/// PERIOD (`start/end`) gives its start.
fn time_list(cl: &ContentLine) -> Vec<IcsTime> {
    cl.value
        .split(',')
        .filter_map(|v| {
            let start = v.split('/').next().unwrap_or(v);
            let one = ContentLine {
                value: start.to_string(),
                params: cl
                    .params
                    .iter()
                    .filter(|(k, v)| !(k == "VALUE" && v.eq_ignore_ascii_case("PERIOD")))
                    .cloned()
                    .collect(),
                ..cl.clone()
            };
            parse_time_value(&one)
        })
        .collect()
}

fn text_value(cl: &ContentLine) -> Option<String> {
    let v = unescape(&cl.value).replace("\r\n", "\n");
    let v = v.trim().to_string();
    (!v.is_empty()).then_some(v)
}

/// A VTODO's property; a value that cannot be read is left out (a to-do is never worth
/// refusing the whole file).
fn todo_property(t: &mut CalTodo, cl: &ContentLine) {
    match cl.name.as_str() {
        "UID" => t.uid = t.uid.take().or_else(|| text_value(cl)),
        "SUMMARY" => t.summary = t.summary.take().or_else(|| text_value(cl)),
        "DESCRIPTION" => t.description = t.description.take().or_else(|| text_value(cl)),
        "DUE" => t.due = parse_time_value(cl),
        "DTSTART" => t.start = parse_time_value(cl),
        "COMPLETED" => t.completed = parse_time_value(cl),
        "STATUS" => t.status = Some(cl.value.trim().to_ascii_uppercase()),
        "PRIORITY" => t.priority = cl.value.trim().parse().ok().filter(|p| *p <= 9),
        _ => {}
    }
}

fn event_property(e: &mut Event, cl: &ContentLine) -> Result<(), ImportError> {
    let text = || {
        let v = unescape(&cl.value).replace("\r\n", "\n");
        let v = v.trim().to_string();
        (!v.is_empty()).then_some(v)
    };
    let time = || {
        parse_time_value(cl).ok_or_else(|| {
            line_error(
                cl.line,
                Some(&cl.name),
                format!(
                    "\"{}\" is not a date-time; write 20261203T093000Z or 20261203",
                    cl.value.chars().take(40).collect::<String>()
                ),
            )
        })
    };
    // A single-value property written twice keeps its first value (RFC 5545 allows one).
    match cl.name.as_str() {
        "UID" => e.uid = e.uid.take().or_else(text),
        "DTSTART" if e.start.is_none() => e.start = Some(time()?),
        "DTEND" if e.end.is_none() => e.end = Some(time()?),
        "DURATION" => {
            e.duration = Some(parse_duration(&cl.value).ok_or_else(|| {
                line_error(
                    cl.line,
                    Some("DURATION"),
                    "is not a duration such as PT1H30M",
                )
            })?);
        }
        "SUMMARY" => e.summary = e.summary.take().or_else(text),
        "DESCRIPTION" => e.description = e.description.take().or_else(text),
        "LOCATION" => e.location = e.location.take().or_else(text),
        "STATUS" => e.cancelled = cl.value.trim().eq_ignore_ascii_case("CANCELLED"),
        "RRULE" if e.rrule.is_none() => e.rrule = Some((cl.line, cl.value.trim().to_string())),
        "EXDATE" => e.exdates.extend(time_list(cl)),
        "RDATE" => e.rdates.extend(time_list(cl)),
        "EXRULE" => e.exrules.push((cl.line, cl.value.trim().to_string())),
        "RECURRENCE-ID" if e.recurrence_id.is_none() => e.recurrence_id = Some(time()?),
        "ATTENDEE" => {
            let v = cl.value.trim();
            let email = v
                .strip_prefix("mailto:")
                .or_else(|| v.strip_prefix("MAILTO:"))
                .unwrap_or(v);
            if email.contains('@') {
                e.attendees.push(email.to_string());
            }
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_offsets() {
        assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("P1D"), Some(Duration::days(1)));
        assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
        assert_eq!(parse_duration("P1Y"), None);
        assert_eq!(offset_secs("+0100"), Some(3600));
        assert_eq!(offset_secs("-0530"), Some(-19800));
    }

    #[test]
    fn odd_offsets_rules_and_durations_are_refused_without_panicking() {
        assert_eq!(offset_secs("+€1"), None);
        assert_eq!(offset_secs("+0€"), None);
        assert_eq!(yearly_rule("FREQ=YEARLY;BYMONTH=3;BYDAY=€"), None);
        assert_eq!(
            yearly_rule("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU;UNTIL=soon"),
            None
        );
        assert_eq!(parse_duration("P99999999999999999W"), None);
        assert_eq!(parse_duration("P9999999999999D"), None);
        let cal = parse(
            "BEGIN:VCALENDAR\nBEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:19700101T000000\n\
             TZOFFSETTO:+€1\nRRULE:FREQ=YEARLY;BYDAY=€\nEND:STANDARD\nEND:VTIMEZONE\nEND:VCALENDAR\n",
        )
        .expect("parses");
        assert_eq!(cal.zones.get("X"), Some(&Vec::new()));
    }

    const MADRID: &str = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/Madrid\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nDTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nDTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:x1\r\nDTSTART;TZID=Europe/Madrid:20260715T100000\r\nDURATION:PT1H\r\nSUMMARY:Visit\\, pharmacy\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\nATTENDEE;CN=Ana:mailto:ana@x.es\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VTODO\r\nSUMMARY:x\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";

    #[test]
    fn events_zones_and_other_components() {
        let cal = parse(MADRID).expect("parses");
        assert_eq!(cal.events.len(), 1);
        let e = &cal.events[0];
        assert_eq!(e.summary.as_deref(), Some("Visit, pharmacy"));
        assert_eq!(e.attendees, vec!["ana@x.es"]);
        assert_eq!(e.duration, Some(Duration::hours(1)));
        assert_eq!(cal.todos.len(), 1);
        assert_eq!(cal.todos[0].summary.as_deref(), Some("x"));
        assert!(cal.other.is_empty());
        let zone = &cal.zones["Europe/Madrid"];
        let t = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(zone_offset(zone, t("2026-07-15 10:00")), Some(7200));
        assert_eq!(zone_offset(zone, t("2026-12-15 10:00")), Some(3600));
        assert_eq!(zone_offset(zone, t("2026-03-29 03:00")), Some(7200));
        assert_eq!(zone_offset(zone, t("2026-03-28 03:00")), Some(3600));
    }

    /// America/New_York with its 1987–2006 rules (ended by UNTIL) and the 2007 ones.
    pub(crate) const NEW_YORK: &str = "BEGIN:VTIMEZONE\r\nTZID:America/New_York\r\n\
        BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nDTSTART:19870405T020000\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z\r\nEND:DAYLIGHT\r\n\
        BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nDTSTART:19671029T020000\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z\r\nEND:STANDARD\r\n\
        BEGIN:DAYLIGHT\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nDTSTART:20070311T020000\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\r\nEND:DAYLIGHT\r\n\
        BEGIN:STANDARD\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nDTSTART:20071104T020000\r\n\
        RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

    #[test]
    fn observances_ended_by_until_are_not_applied_in_later_years() {
        let cal = parse(&format!("BEGIN:VCALENDAR\r\n{NEW_YORK}END:VCALENDAR\r\n")).unwrap();
        let zone = &cal.zones["America/New_York"];
        let t = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        // After the old "last Sunday of October" (25 Oct 2026), before 1 Nov: still EDT.
        assert_eq!(zone_offset(zone, t("2026-10-27 09:00")), Some(-4 * 3600));
        // After the second Sunday of March, before the old "first Sunday of April": EDT.
        assert_eq!(zone_offset(zone, t("2026-03-20 09:00")), Some(-4 * 3600));
        assert_eq!(zone_offset(zone, t("2026-11-02 09:00")), Some(-5 * 3600));
        assert_eq!(zone_offset(zone, t("2026-03-02 09:00")), Some(-5 * 3600));
        // The old rules still hold in their own years.
        assert_eq!(zone_offset(zone, t("2005-10-27 09:00")), Some(-4 * 3600));
        assert_eq!(zone_offset(zone, t("2005-10-31 09:00")), Some(-5 * 3600));
        assert_eq!(zone_offset(zone, t("2005-03-20 09:00")), Some(-5 * 3600));
    }

    #[test]
    fn several_calendars_components_after_the_end_todos_and_recurrence_parts() {
        let text = "BEGIN:VCALENDAR\nMETHOD:REPLY\nBEGIN:VEVENT\nUID:a\nEND:VEVENT\nEND:VCALENDAR\n\
            BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:b\nUID:b2\nDTSTART:20261201T090000Z\n\
            DTSTART:20261202T090000Z\nSUMMARY:first\nSUMMARY:second\n\
            RDATE;VALUE=PERIOD:20261205T090000Z/PT1H,20261206T090000Z/PT1H\n\
            EXRULE:FREQ=WEEKLY\nEND:VEVENT\nEND:VCALENDAR\n\
            BEGIN:VEVENT\nUID:c\nEND:VEVENT\n\
            BEGIN:VTODO\nUID:t\nSUMMARY:call\nDUE;VALUE=DATE:20261204\nSTATUS:completed\n\
            PRIORITY:12\nEND:VTODO\n";
        let cal = parse(text).expect("parses");
        let uids: Vec<_> = cal.events.iter().map(|e| e.uid.as_deref()).collect();
        assert_eq!(uids, [Some("a"), Some("b"), Some("c")]);
        let b = &cal.events[1];
        let t = |s| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(b.start, Some(IcsTime::Utc(t("2026-12-01 09:00"))));
        assert_eq!(b.summary.as_deref(), Some("first"));
        assert_eq!(
            b.rdates,
            [
                IcsTime::Utc(t("2026-12-05 09:00")),
                IcsTime::Utc(t("2026-12-06 09:00"))
            ]
        );
        assert_eq!(b.exrules.len(), 1);
        assert_eq!(cal.method.as_deref(), Some("REPLY"));
        let todo = &cal.todos[0];
        assert_eq!(todo.summary.as_deref(), Some("call"));
        assert_eq!(todo.status.as_deref(), Some("COMPLETED"));
        assert_eq!(todo.priority, None);
        assert_eq!(
            todo.due,
            Some(IcsTime::Date(NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()))
        );
    }

    #[test]
    fn faults_name_their_line() {
        let e = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nEND:VCALENDAR\n").expect_err("mismatch");
        assert_eq!(e.line(), Some(3));
        let e = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:tomorrow\n").expect_err("bad");
        assert_eq!(e.line(), Some(3));
        assert!(e.to_string().contains("DTSTART"), "{e}");
        let e = parse("BEGIN:VCALENDAR\nBEGIN:VEVENT\n").expect_err("cut");
        assert!(e.to_string().contains("has no END:VEVENT"), "{e}");
        assert!(parse("hello").is_err());
    }
}
