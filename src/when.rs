//! The date/time language of the CLI (`--at`, `--due`, `--date`, `--follow-up "WHEN TEXT"`,
//! snooze) and the TUI capture popup: "today", "tomorrow 10:00", "fri 9:30", "next mon", "+3d",
//! "in 2 weeks", "2026-12-01 14h", "01.12.2026", "1.12.", "9:30pm", and the same in Spanish:
//! "hoy", "mañana a las 10:30", "pasado mañana", "vie 9:30", "próximo lunes", "en 3 días",
//! "dentro de 2 semanas" (see `read`).
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
//! the month's last day; numeric dates are year-first (ISO) or day-first, and a slash date whose
//! day and month could be swapped (`01/02/2026`) is refused as ambiguous (RELIABILITY.md B1):
//! `27/11/2026` and `01.02.2026` are read, `01/02/2026` is not; a date without a year is
//! the next such day on or after today; `a.b` is a date when `b` can be a month (`01.12`, `9.05`)
//! and a time otherwise (`9.30`, `14.45`): write `9:05` for five past nine.

mod day;
mod duration;
mod read;

use std::fmt;
use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone};

pub use day::{days_since, start_of_day};
pub use duration::parse_duration;

use read::parse_words;

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
    #[error(
        "{day:02}/{month:02} could be {day} {} or {month} {}; write it with dots ({day:02}.{month:02}) or as YYYY-MM-DD",
        MONTHS[(*.month as usize).saturating_sub(1) % 12],
        MONTHS[(*.day as usize).saturating_sub(1) % 12]
    )]
    /// A slash date whose day and month could be swapped (`01/02/2026`: 1 February in
    /// Europe, 2 January in the US): refused rather than guessed.
    Ambiguous { day: u32, month: u32 },
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
                | Problem::Ambiguous { .. }
                | Problem::OutOfRange
        )
    }
}

pub(crate) const MONTHS: [&str; 12] = [
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
    parse_words(&words, now.date_naive())
        .map_err(|p| WhenError::new(input, original_case(p, input), Form::When))
}

/// Puts back the user's spelling of a word quoted by `problem` (words are read lower-cased).
fn original_case(problem: Problem, input: &str) -> Problem {
    match problem {
        Problem::Unknown(lower) => {
            let word = input
                .split_whitespace()
                .find(|w| w.to_lowercase() == lower)
                .unwrap_or(lower.as_str());
            Problem::Unknown(word.to_string())
        }
        p => p,
    }
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
    if let Some(at) = crate::clock::earliest_instant(tz.from_local_datetime(&local)) {
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

/// The most words a when can take ("dentro de 2 semanas a las 9:30" is 7).
const MAX_WHEN_WORDS: usize = 8;

/// Splits "+3d call about tender" into the longest leading run of words that reads as a when
/// and the rest (trimmed, never empty). A word right after the when that looks like a date or
/// time but has an impossible value ("tomorrow 25:00 call") is an error, not text.
pub fn split_when_text<Tz: TimeZone>(
    input: &str,
    now: &DateTime<Tz>,
) -> Result<(When, String), WhenError> {
    let err = |p| WhenError::new(input, original_case(p, input), Form::WhenText);
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

#[cfg(test)]
mod tests;
