//! The date/time language of the CLI (`--at`, `--due`, `--date`, `--follow-up "WHEN TEXT"`,
//! snooze) and the TUI capture popup: "today", "tomorrow 10:00", "fri 9:30", "next mon", "+3d",
//! "in 2 weeks", "2026-12-01 14h", "01.12.2026", "1.12.", "9:30pm".
//!
//! Everything here is pure and cheap: no I/O and no clock reads; "now" is passed in, so the TUI
//! can re-parse on every keystroke. A value is read exactly or refused with a [`WhenError`] whose
//! one-line message quotes the (sanitized) input, says what is wrong and shows good examples;
//! nothing is guessed. Dates are local calendar days; [`resolve`] turns a day and a wall-clock
//! time into an instant, refusing times skipped by a DST change and taking the earlier of two
//! when the clocks go back.
//!
//! Conventions: weeks start on Monday; a bare weekday is the first such day strictly after today
//! and `next <weekday>` is that day of next calendar week; `+1m` is a calendar month, clamped to
//! the month's last day; numeric dates are year-first (ISO) or day-first; a date without a year is
//! the next such day on or after today; `a.b` is a date when `b` can be a month (`01.12`, `9.05`)
//! and a time otherwise (`9.30`, `14.45`): write `9:05` for five past nine.

mod duration;

use std::fmt;
use std::fmt::Write as _;

use chrono::{
    DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
    TimeZone, Weekday,
};

pub use duration::parse_duration;

use crate::text::sanitize_line;

/// A parsed when: a calendar day and maybe a time of day (local wall clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct When {
    pub date: NaiveDate,
    pub time: Option<NaiveTime>,
}

/// Which language an input was read in; decides the message's prefix and its examples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A date, a time or both (`parse_when`, `resolve`).
    When,
    /// A when followed by text (`split_when_text`).
    WhenText,
    /// A length of time (`parse_duration`).
    Duration,
}

/// What exactly is wrong with an input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("nothing is written")]
    Empty,
    #[error("\"{}\" is not a date or a time", sanitize_line(.0))]
    Unknown(String),
    #[error(
        "\"{}\" is a number alone: a time needs a colon, h or am/pm (9:00, 9h, 9am)",
        sanitize_line(.0)
    )]
    BareNumber(String),
    #[error("hours go from 0 to 23")]
    HourRange,
    #[error("with am/pm, hours go from 1 to 12")]
    Hour12Range,
    #[error("minutes go from 0 to 59")]
    MinuteRange,
    #[error("minutes take two digits (9:05)")]
    MinuteDigits,
    #[error("seconds go from 0 to 59")]
    SecondRange,
    #[error("months go from 1 to 12")]
    MonthRange,
    #[error("{}", no_such_day(*.month, *.year, *.days))]
    NoSuchDay {
        month: u32,
        /// `None` for a date written without its year.
        year: Option<i32>,
        /// The most days the month can have (that year, or any year).
        days: u32,
    },
    #[error("write the year with 4 digits")]
    YearDigits,
    #[error("it has two dates")]
    TwoDates,
    #[error("it has two times")]
    TwoTimes,
    #[error("\"{word}\" must be followed by {what}")]
    Incomplete {
        word: &'static str,
        what: &'static str,
    },
    #[error("that is too far away")]
    OutOfRange,
    #[error(
        "{} on {} does not exist here: the clocks skip it",
        .time.format("%H:%M"),
        .date.format("%a %-d %b %Y")
    )]
    Skipped {
        date: NaiveDate,
        time: NaiveTime,
        /// The same wall-clock time one hour later, which exists.
        later: NaiveDateTime,
    },
    #[error("nothing to do is written after the date")]
    NoText,
    #[error("not a duration")]
    NotDuration,
    #[error("a number needs a unit: m for minutes, h for hours")]
    NoUnit,
    #[error("that is not a whole number of minutes")]
    NotWholeMinutes,
    #[error("a duration must be longer than 0")]
    ZeroDuration,
    #[error("a duration is at most 24 hours")]
    TooLong,
}

impl Problem {
    /// True when the input had the shape of a date or time but an impossible value (`25:00`,
    /// `31.02`): such a word after a when is reported rather than taken as the start of the text.
    pub fn is_bad_value(&self) -> bool {
        matches!(
            self,
            Problem::HourRange
                | Problem::Hour12Range
                | Problem::MinuteRange
                | Problem::MinuteDigits
                | Problem::SecondRange
                | Problem::MonthRange
                | Problem::NoSuchDay { .. }
                | Problem::YearDigits
                | Problem::OutOfRange
        )
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn no_such_day(month: u32, year: Option<i32>, days: u32) -> String {
    let name = usize::try_from(month)
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)))
        .copied()
        .unwrap_or("that month");
    match year {
        Some(y) => format!("{name} {y} has {days} days"),
        None if month == 2 => format!("{name} has at most {days} days"),
        None => format!("{name} has {days} days"),
    }
}

/// An input that is not a when (or a duration), with what is wrong and what would do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", message(.input, .problem, *.form))]
pub struct WhenError {
    /// The input exactly as given (the message shows it sanitized).
    pub input: String,
    pub problem: Problem,
    pub form: Form,
}

const WHEN_EXAMPLES: &str = "today, tomorrow 10:00, fri 9:30, +3d, 2026-12-01 14:00, 01.12.2026";
const TEXT_EXAMPLES: &str =
    "\"+3d call about tender\", \"tomorrow 10:00 send prices\", \"fri send deck\"";
const DURATION_EXAMPLES: &str = "45m, 1h, 1h30, 90m, 1.5h, 2 hours";

fn message(input: &str, problem: &Problem, form: Form) -> String {
    let (prefix, examples) = match form {
        Form::When => ("when", WHEN_EXAMPLES),
        Form::WhenText => ("when", TEXT_EXAMPLES),
        Form::Duration => ("duration", DURATION_EXAMPLES),
    };
    let mut out = format!(
        "{prefix}: \"{}\": {problem}; write e.g. ",
        sanitize_line(input)
    );
    if let Problem::Skipped { later, .. } = problem {
        let _ = write!(out, "{} (the hour after)", later.format("%Y-%m-%d %H:%M"));
    } else {
        out.push_str(examples);
    }
    out
}

impl WhenError {
    fn new(input: &str, problem: Problem, form: Form) -> Self {
        WhenError {
            input: input.to_string(),
            problem,
            form,
        }
    }
}

impl When {
    /// A short human form: "Fri 27 Nov 2026 09:30 (tomorrow)", "(in 3 days)", "(2 days ago)".
    pub fn describe(&self, today: NaiveDate) -> String {
        let mut out = self.date.format("%a %-d %b %Y").to_string();
        if let Some(t) = self.time {
            let _ = write!(out, " {}", t.format("%H:%M"));
        }
        let relative = match (self.date - today).num_days() {
            0 => "today".to_string(),
            1 => "tomorrow".to_string(),
            -1 => "yesterday".to_string(),
            n if n > 1 => format!("in {n} days"),
            n => format!("{} days ago", n.unsigned_abs()),
        };
        let _ = write!(out, " ({relative})");
        out
    }
}

/// `2026-12-01` or `2026-12-01 14:30`: a form [`parse_when`] reads back to the same value.
impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))?;
        if let Some(t) = self.time {
            write!(f, " {}", t.format("%H:%M"))?;
        }
        Ok(())
    }
}

/// Reads a when relative to `now` (only its local calendar day is used). A time alone means
/// today at that time; a date alone has no time.
pub fn parse_when<Tz: TimeZone>(input: &str, now: &DateTime<Tz>) -> Result<When, WhenError> {
    let words: Vec<String> = input.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    parse_words(&words, now.date_naive()).map_err(|p| WhenError::new(input, p, Form::When))
}

/// Turns a day and a wall-clock time into an instant in `tz`, keeping the offset it was entered
/// in. A time skipped by a DST change is an error naming `input` and suggesting the hour after;
/// an ambiguous one (clocks going back) takes the earlier instant.
pub fn resolve<Tz: TimeZone>(
    date: NaiveDate,
    time: NaiveTime,
    tz: &Tz,
    input: &str,
) -> Result<DateTime<FixedOffset>, WhenError> {
    let local = date.and_time(time);
    if let Some(at) = tz.from_local_datetime(&local).earliest() {
        return Ok(at.fixed_offset());
    }
    let later = local
        .checked_add_signed(TimeDelta::hours(1))
        .unwrap_or(local);
    Err(WhenError::new(
        input,
        Problem::Skipped { date, time, later },
        Form::When,
    ))
}

/// The most words a when can take ("in 2 weeks at 9:30" is 5).
const MAX_WHEN_WORDS: usize = 6;

/// Splits "+3d call about tender" into the longest leading run of words that reads as a when
/// and the rest (trimmed, never empty). A word right after the when that looks like a date or
/// time but has an impossible value ("tomorrow 25:00 call") is an error, not text.
pub fn split_when_text<Tz: TimeZone>(
    input: &str,
    now: &DateTime<Tz>,
) -> Result<(When, String), WhenError> {
    let err = |p| WhenError::new(input, p, Form::WhenText);
    let today = now.date_naive();
    let spans = word_spans(input);
    let lower: Vec<String> = spans
        .iter()
        .take(MAX_WHEN_WORDS + 1)
        .map(|(_, w)| w.to_lowercase())
        .collect();
    let words: Vec<&str> = lower.iter().map(String::as_str).collect();
    let mut first_problem = Problem::Empty;
    for k in (1..=words.len().min(MAX_WHEN_WORDS)).rev() {
        match parse_words(&words[..k], today) {
            Ok(when) => {
                if k < words.len() {
                    if let Err(p) = parse_words(&words[..=k], today) {
                        if p.is_bad_value() {
                            return Err(err(p));
                        }
                    }
                }
                let rest = spans.get(k).map_or("", |(at, _)| input[*at..].trim());
                if rest.is_empty() {
                    return Err(err(Problem::NoText));
                }
                return Ok((when, rest.to_string()));
            }
            Err(p) if k == 1 => first_problem = p,
            Err(_) => {}
        }
    }
    Err(err(first_problem))
}

/// Words of `s` with the byte offset each starts at.
fn word_spans(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((st, &s[st..i]));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}

/// One piece of a when.
enum Item {
    Date(NaiveDate),
    Time(NaiveTime),
    Both(NaiveDate, NaiveTime),
}

/// Reads lower-case words as one when: at most one date and one time, in either order.
fn parse_words(words: &[&str], today: NaiveDate) -> Result<When, Problem> {
    if words.is_empty() {
        return Err(Problem::Empty);
    }
    let mut date = None;
    let mut time = None;
    let mut i = 0;
    while i < words.len() {
        let (item, used) = item_at(&words[i..], today)?;
        let (d, t) = match item {
            Item::Date(d) => (Some(d), None),
            Item::Time(t) => (None, Some(t)),
            Item::Both(d, t) => (Some(d), Some(t)),
        };
        if d.is_some() {
            if date.is_some() {
                return Err(Problem::TwoDates);
            }
            date = d;
        }
        if t.is_some() {
            if time.is_some() {
                return Err(Problem::TwoTimes);
            }
            time = t;
        }
        i += used;
    }
    Ok(When {
        date: date.unwrap_or(today),
        time,
    })
}

/// The item that starts at `words[0]` and how many words it takes.
fn item_at(words: &[&str], today: NaiveDate) -> Result<(Item, usize), Problem> {
    let Some(&word) = words.first() else {
        return Err(Problem::Empty);
    };
    let day = |d: Option<NaiveDate>| d.map(|d| (Item::Date(d), 1)).ok_or(Problem::OutOfRange);
    match word {
        "today" => return day(Some(today)),
        "tomorrow" | "tmr" | "tmrw" => return day(today.succ_opt()),
        "yesterday" => return day(today.pred_opt()),
        "at" => {
            return match time_at(&words[1..]) {
                Some(r) => r.map(|(t, n)| (Item::Time(t), n + 1)),
                None => Err(Problem::Incomplete {
                    word: "at",
                    what: "a time, e.g. at 10:00",
                }),
            };
        }
        "next" => {
            let target = words.get(1).and_then(|w| weekday(w));
            let Some(target) = target else {
                return Err(Problem::Incomplete {
                    word: "next",
                    what: "a weekday, e.g. next mon",
                });
            };
            let monday = today
                .checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())));
            let d = monday.and_then(|m| {
                m.checked_add_days(Days::new(7 + u64::from(target.num_days_from_monday())))
            });
            return day(d).map(|(item, _)| (item, 2));
        }
        "in" => return in_offset(words, today).map(|d| (Item::Date(d), 3)),
        _ => {}
    }
    if let Some(target) = weekday(word) {
        let ahead =
            (7 + target.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        let ahead = if ahead == 0 { 7 } else { ahead };
        return day(today.checked_add_days(Days::new(u64::from(ahead))));
    }
    if let Some(r) = signed_offset(word, today) {
        return r.map(|d| (Item::Date(d), 1));
    }
    if let Some(r) = date_word(word, today) {
        return r.map(|item| (item, 1));
    }
    if let Some(r) = time_at(words) {
        return r.map(|(t, n)| (Item::Time(t), n));
    }
    if is_digits(word) {
        return Err(Problem::BareNumber(word.to_string()));
    }
    Err(Problem::Unknown(word.to_string()))
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "weds" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// A count of units; more than 6 digits is too far away for any unit.
fn amount(digits: &str) -> Result<u32, Problem> {
    if digits.len() > 6 {
        return Err(Problem::OutOfRange);
    }
    digits.parse().map_err(|_| Problem::OutOfRange)
}

#[derive(Clone, Copy)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// `today` moved by `n` units forward (or back); `None` past the calendar's range.
fn shift(today: NaiveDate, n: u32, unit: Unit, back: bool) -> Option<NaiveDate> {
    let n = u64::from(n);
    match unit {
        Unit::Day | Unit::Week => {
            let days = Days::new(if matches!(unit, Unit::Week) { n * 7 } else { n });
            if back {
                today.checked_sub_days(days)
            } else {
                today.checked_add_days(days)
            }
        }
        Unit::Month | Unit::Year => {
            let months = if matches!(unit, Unit::Year) {
                n * 12
            } else {
                n
            };
            let months = Months::new(u32::try_from(months).ok()?);
            if back {
                today.checked_sub_months(months)
            } else {
                today.checked_add_months(months)
            }
        }
    }
}

/// `+3d`, `-2w`, `+1m`, `+1y`.
fn signed_offset(word: &str, today: NaiveDate) -> Option<Result<NaiveDate, Problem>> {
    let (back, rest) = if let Some(r) = word.strip_prefix('+') {
        (false, r)
    } else {
        (true, word.strip_prefix('-')?)
    };
    if is_digits(rest) {
        return Some(Err(Problem::Incomplete {
            word: if back { "-N" } else { "+N" },
            what: "a unit: d, w, m or y (+3d)",
        }));
    }
    let split = rest.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = rest.split_at(split);
    let unit = match unit {
        "d" => Unit::Day,
        "w" => Unit::Week,
        "m" => Unit::Month,
        "y" => Unit::Year,
        _ => return None,
    };
    if digits.is_empty() {
        return None;
    }
    Some(amount(digits).and_then(|n| shift(today, n, unit, back).ok_or(Problem::OutOfRange)))
}

/// `in 3 days`, `in a week`, `in 1 month`, `in 2 years`.
fn in_offset(words: &[&str], today: NaiveDate) -> Result<NaiveDate, Problem> {
    let incomplete = Problem::Incomplete {
        word: "in",
        what: "a number and a unit, e.g. in 3 days",
    };
    let n = match words.get(1) {
        Some(&("a" | "an" | "one")) => 1,
        Some(w) if is_digits(w) => amount(w)?,
        _ => return Err(incomplete),
    };
    let unit = match words.get(2) {
        Some(&("day" | "days")) => Unit::Day,
        Some(&("week" | "weeks")) => Unit::Week,
        Some(&("month" | "months")) => Unit::Month,
        Some(&("year" | "years")) => Unit::Year,
        _ => return Err(incomplete),
    };
    shift(today, n, unit, false).ok_or(Problem::OutOfRange)
}

/// The number of days in a month, `None` for a month that does not exist.
fn days_in(year: i32, month: u32) -> Option<u32> {
    Some(match month {
        2 if NaiveDate::from_ymd_opt(year, 2, 29).is_some() => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        _ => return None,
    })
}

fn small(digits: &str) -> Option<u32> {
    if is_digits(digits) && digits.len() <= 2 {
        digits.parse().ok()
    } else {
        None
    }
}

/// A full date; day and month of 1 or 2 digits, a year of exactly 4.
fn full_date(year: &str, month: &str, day: &str) -> Option<Result<NaiveDate, Problem>> {
    let (m, d) = (small(month)?, small(day)?);
    if !is_digits(year) {
        return None;
    }
    if year.len() != 4 {
        return Some(Err(Problem::YearDigits));
    }
    let y: i32 = year.parse().ok()?;
    let Some(days) = days_in(y, m) else {
        return Some(Err(Problem::MonthRange));
    };
    Some(NaiveDate::from_ymd_opt(y, m, d).ok_or(Problem::NoSuchDay {
        month: m,
        year: Some(y),
        days,
    }))
}

/// A day and month without a year: the next such date on or after today.
fn yearless(day: &str, month: &str, today: NaiveDate) -> Option<Result<NaiveDate, Problem>> {
    let (d, m) = (small(day)?, small(month)?);
    // 2000 is a leap year: the most days the month ever has.
    let Some(days) = days_in(2000, m) else {
        return Some(Err(Problem::MonthRange));
    };
    if d == 0 || d > days {
        return Some(Err(Problem::NoSuchDay {
            month: m,
            year: None,
            days,
        }));
    }
    let year = today.year();
    Some(
        (year..=year + 8)
            .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
            .find(|date| *date >= today)
            .ok_or(Problem::OutOfRange),
    )
}

/// Numeric dates in one word: `2026-12-01`, `2026-12-01T14:30`, `01.12.2026`, `01/12/2026`,
/// `01-12-2026`, `1.12.`, `01.12`, `1/12`. `None` when the word does not have a date's shape.
fn date_word(word: &str, today: NaiveDate) -> Option<Result<Item, Problem>> {
    if let Some((date, time)) = word.split_once('t') {
        let date = match dashed(date)? {
            Ok(d) => d,
            Err(p) => return Some(Err(p)),
        };
        return Some(match time_word(time) {
            Some(t) => t.map(|t| Item::Both(date, t)),
            None => Err(Problem::Unknown(word.to_string())),
        });
    }
    if word.contains('-') {
        return dashed(word).map(|r| r.map(Item::Date));
    }
    let sep = ['.', '/'].into_iter().find(|s| word.contains(*s))?;
    let parts: Vec<&str> = word.split(sep).collect();
    let date = match parts.as_slice() {
        [d, m, ""] if sep == '.' => yearless(d, m, today)?,
        [d, m, y] => full_date(y, m, d)?,
        [d, m] if sep == '/' => yearless(d, m, today)?,
        [a, b] => {
            // `a.b`: a date when b can be a month or a cannot be an hour, else a time (9.30).
            let (first, second) = (small(a)?, small(b)?);
            if (1..=12).contains(&second) || first > 23 {
                yearless(a, b, today)?
            } else {
                return None;
            }
        }
        _ => return None,
    };
    Some(date.map(Item::Date))
}

/// `YYYY-MM-DD` or `DD-MM-YYYY`.
fn dashed(word: &str) -> Option<Result<NaiveDate, Problem>> {
    let parts: Vec<&str> = word.split('-').collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    if !(is_digits(a) && is_digits(b) && is_digits(c)) {
        return None;
    }
    if a.len() == 4 {
        full_date(a, b, c)
    } else if c.len() == 4 {
        full_date(c, b, a)
    } else {
        Some(Err(Problem::YearDigits))
    }
}

/// A time in one or two words: `9 am`, `9:30 pm`, or anything [`time_word`] reads.
fn time_at(words: &[&str]) -> Option<Result<(NaiveTime, usize), Problem>> {
    let first = *words.first()?;
    if let Some(&meridiem @ ("am" | "pm")) = words.get(1) {
        if !first.ends_with("am") && !first.ends_with("pm") {
            if let Some(r) = time_word(&format!("{first}{meridiem}")) {
                return Some(r.map(|t| (t, 2)));
            }
        }
    }
    time_word(first).map(|r| r.map(|t| (t, 1)))
}

/// `10:00`, `9:30`, `10:00:30`, `9.30`, `14h`, `14h30`, `9am`, `9:30pm`, `12am` (midnight).
/// `None` when the word does not have a time's shape.
fn time_word(word: &str) -> Option<Result<NaiveTime, Problem>> {
    let (body, pm) = if let Some(b) = word.strip_suffix("am") {
        (b, Some(false))
    } else if let Some(b) = word.strip_suffix("pm") {
        (b, Some(true))
    } else {
        (word, None)
    };
    let (hour, rest) = match body.find([':', '.', 'h']) {
        Some(at) => (&body[..at], Some((&body[at..=at], &body[at + 1..]))),
        None if pm.is_some() => (body, None),
        None => return None,
    };
    let h = small(hour)?;
    let (minute, second) = match rest {
        None | Some(("h", "")) => ("00", "00"),
        Some((":", ms)) => ms.split_once(':').unwrap_or((ms, "00")),
        Some((_, m)) => (m, "00"),
    };
    if !is_digits(minute) || !is_digits(second) {
        return None;
    }
    if minute.len() != 2 || second.len() != 2 {
        return Some(Err(Problem::MinuteDigits));
    }
    let (m, s) = (small(minute)?, small(second)?);
    let h = match pm {
        Some(_) if !(1..=12).contains(&h) => return Some(Err(Problem::Hour12Range)),
        Some(pm) => h % 12 + if pm { 12 } else { 0 },
        None if h > 23 => return Some(Err(Problem::HourRange)),
        None => h,
    };
    if m > 59 {
        return Some(Err(Problem::MinuteRange));
    }
    if s > 59 {
        return Some(Err(Problem::SecondRange));
    }
    NaiveTime::from_hms_opt(h, m, s).map(Ok)
}

#[cfg(test)]
mod tests;
