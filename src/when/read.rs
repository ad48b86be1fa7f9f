//! Reading the words of a when, lower-cased and split on white space: each reader recognises
//! one shape (a named day, a weekday, an offset, a numeric date, a time) and returns `None` when
//! the word does not have its shape, or the [`Problem`] when it has the shape but an impossible
//! value (`25:00`, `31.02`). No I/O, no clock: "today" is passed in.
//!
//! English and Spanish are read alike, word for word: `hoy` is `today`, `mañana` `tomorrow`,
//! `pasado mañana` the day after, `ayer` `yesterday`, `lun`…`dom` the weekdays, `próximo lunes`
//! is `next mon`, `en 3 días` and `dentro de 3 días` are `in 3 days`, `a las 10:30` is
//! `at 10:30`. Accents are optional (`miércoles`, `miercoles`), and so is the ñ of `mañana`.

use std::borrow::Cow;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveTime, Weekday};
use unicode_normalization::UnicodeNormalization;

use super::{Problem, When};

/// One piece of a when.
enum DateTimeWord {
    Date(NaiveDate),
    Time(NaiveTime),
    Both(NaiveDate, NaiveTime),
}

/// Reads lower-case words as one when: at most one date and one time, in either order.
pub(super) fn parse_words(words: &[&str], today: NaiveDate) -> Result<When, Problem> {
    if words.is_empty() {
        return Err(Problem::Empty);
    }
    let mut date = None;
    let mut time = None;
    let mut i = 0;
    while i < words.len() {
        let (item, used) = item_at(&words[i..], today)?;
        let (d, t) = match item {
            DateTimeWord::Date(d) => (Some(d), None),
            DateTimeWord::Time(t) => (None, Some(t)),
            DateTimeWord::Both(d, t) => (Some(d), Some(t)),
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
fn item_at(words: &[&str], today: NaiveDate) -> Result<(DateTimeWord, usize), Problem> {
    let Some(&first) = words.first() else {
        return Err(Problem::Empty);
    };
    let word = unaccented(first);
    let second = words.get(1).map(|w| unaccented(w));
    let day = |d: Option<NaiveDate>| {
        d.map(|d| (DateTimeWord::Date(d), 1))
            .ok_or(Problem::OutOfRange)
    };
    match (word.as_ref(), second.as_deref()) {
        ("today" | "hoy", _) => return day(Some(today)),
        ("pasado", Some("mañana" | "manana")) => {
            return day(today.checked_add_days(Days::new(2))).map(|(item, _)| (item, 2));
        }
        ("pasado", _) => {
            return Err(Problem::Incomplete {
                word: "pasado",
                what: "mañana (pasado mañana)",
            });
        }
        ("tomorrow" | "tmr" | "tmrw" | "mañana" | "manana", _) => return day(today.succ_opt()),
        ("yesterday" | "ayer", _) => return day(today.pred_opt()),
        ("anteayer", _) => return day(today.checked_sub_days(Days::new(2))),
        ("at", _) => {
            return after_at(&words[1..], "at", "a time, e.g. at 10:00").map(|(t, n)| (t, n + 1));
        }
        ("a", Some("las" | "la")) => {
            return after_at(&words[2..], "a las", "a time, e.g. a las 10:30")
                .map(|(t, n)| (t, n + 2));
        }
        // `el viernes`, `el próximo lunes`, `el 3.12`: the article is read past.
        ("el", Some(_)) => {
            return item_at(&words[1..], today).map(|(item, n)| (item, n + 1));
        }
        (next, _) if next_word(next) => {
            let target = second.as_deref().and_then(weekday);
            let Some(target) = target else {
                return Err(Problem::Incomplete {
                    word: if next == "next" { "next" } else { "próximo" },
                    what: if next == "next" {
                        "a weekday, e.g. next mon"
                    } else {
                        "a weekday, e.g. próximo lunes"
                    },
                });
            };
            let monday = today
                .checked_sub_days(Days::new(u64::from(today.weekday().num_days_from_monday())));
            let d = monday.and_then(|m| {
                m.checked_add_days(Days::new(7 + u64::from(target.num_days_from_monday())))
            });
            return day(d).map(|(item, _)| (item, 2));
        }
        ("in", _) => {
            return in_offset(&words[1..], today, "in").map(|d| (DateTimeWord::Date(d), 3));
        }
        ("en", _) => {
            return in_offset(&words[1..], today, "en").map(|d| (DateTimeWord::Date(d), 3));
        }
        ("dentro", Some("de")) => {
            return in_offset(&words[2..], today, "dentro de").map(|d| (DateTimeWord::Date(d), 4));
        }
        _ => {}
    }
    if let Some(target) = weekday(&word) {
        let ahead =
            (7 + target.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
        let ahead = if ahead == 0 { 7 } else { ahead };
        return day(today.checked_add_days(Days::new(u64::from(ahead))));
    }
    if let Some(r) = signed_offset(first, today) {
        return r.map(|d| (DateTimeWord::Date(d), 1));
    }
    if let Some(r) = date_word(first, today) {
        return r.map(|item| (item, 1));
    }
    if let Some(r) = time_at(words) {
        return r.map(|(t, n)| (DateTimeWord::Time(t), n));
    }
    if is_digits(first) {
        return Err(Problem::BareNumber(first.to_string()));
    }
    Err(Problem::Unknown(first.to_string()))
}

/// `next` and its Spanish twins `próximo`, `próxima` (accents already taken off).
fn next_word(word: &str) -> bool {
    matches!(word, "next" | "proximo" | "proxima")
}

/// The time after `at` / `a las`: anything [`time_at`] reads, or a bare hour (`at 10`,
/// `a las 9`), which the word before makes unambiguous.
fn after_at(
    words: &[&str],
    word: &'static str,
    what: &'static str,
) -> Result<(DateTimeWord, usize), Problem> {
    if let Some(r) = time_at(words) {
        return r.map(|(t, n)| (DateTimeWord::Time(t), n));
    }
    match words.first() {
        Some(hour) if is_digits(hour) && hour.len() <= 2 => {
            let h = small(hour).ok_or(Problem::HourRange)?;
            NaiveTime::from_hms_opt(h, 0, 0)
                .map(|t| (DateTimeWord::Time(t), 1))
                .ok_or(Problem::HourRange)
        }
        _ => Err(Problem::Incomplete { word, what }),
    }
}

/// `word` without the accents Spanish puts on vowels (á é í ó ú ü, in composed or decomposed
/// form), so `miércoles` and `miercoles` read alike; the ñ stays.
fn unaccented(word: &str) -> Cow<'_, str> {
    if word.is_ascii() {
        return Cow::Borrowed(word);
    }
    Cow::Owned(
        word.nfd()
            .filter(|c| !matches!(c, '\u{300}' | '\u{301}' | '\u{308}'))
            .nfc()
            .collect(),
    )
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mon" | "monday" | "lun" | "lunes" => Weekday::Mon,
        "tue" | "tues" | "tuesday" | "mar" | "martes" => Weekday::Tue,
        "wed" | "weds" | "wednesday" | "mie" | "miercoles" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" | "jue" | "jueves" => Weekday::Thu,
        "fri" | "friday" | "vie" | "viernes" => Weekday::Fri,
        "sat" | "saturday" | "sab" | "sabado" => Weekday::Sat,
        "sun" | "sunday" | "dom" | "domingo" => Weekday::Sun,
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

/// `in 3 days`, `in a week`, `in 1 month`, `in 2 years`; in Spanish `en 3 días`,
/// `dentro de una semana`, `en 2 meses`, `en un año`. `words` starts at the number; `word` is
/// the word before it, for the message.
fn in_offset(words: &[&str], today: NaiveDate, word: &'static str) -> Result<NaiveDate, Problem> {
    let incomplete = Problem::Incomplete {
        word,
        what: if word == "in" {
            "a number and a unit, e.g. in 3 days"
        } else {
            "a number and a unit, e.g. en 3 días"
        },
    };
    let n = match words.first().map(|w| unaccented(w)).as_deref() {
        Some("a" | "an" | "one" | "un" | "una" | "uno") => 1,
        Some(w) if is_digits(w) => amount(w)?,
        _ => return Err(incomplete),
    };
    let unit = match words.get(1).map(|w| unaccented(w)).as_deref() {
        Some("day" | "days" | "dia" | "dias") => Unit::Day,
        Some("week" | "weeks" | "semana" | "semanas") => Unit::Week,
        Some("month" | "months" | "mes" | "meses") => Unit::Month,
        Some("year" | "years" | "año" | "años" | "ano" | "anos") => Unit::Year,
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

/// Numeric dates in one word: `2026-12-01`, `2026-12-01T14:30`, `01.12.2026`, `27/11/2026`,
/// `01-12-2026`, `1.12.`, `01.12`, `1/12`. `None` when the word does not have a date's shape.
fn date_word(word: &str, today: NaiveDate) -> Option<Result<DateTimeWord, Problem>> {
    if let Some((date, time)) = word.split_once('t') {
        let date = match dashed(date)? {
            Ok(d) => d,
            Err(p) => return Some(Err(p)),
        };
        return Some(match time_word(time) {
            Some(t) => t.map(|t| DateTimeWord::Both(date, t)),
            None => Err(Problem::Unknown(word.to_string())),
        });
    }
    if word.contains('-') {
        return dashed(word).map(|r| r.map(DateTimeWord::Date));
    }
    let sep = ['.', '/'].into_iter().find(|s| word.contains(*s))?;
    let parts: Vec<&str> = word.split(sep).collect();
    if sep == '/' {
        if let [d, m, ..] = parts.as_slice() {
            if let (Some(day), Some(month)) = (small(d), small(m)) {
                if day != month && (1..=12).contains(&day) && (1..=12).contains(&month) {
                    return Some(Err(Problem::Ambiguous { day, month }));
                }
            }
        }
    }
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
    Some(date.map(DateTimeWord::Date))
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
    // `10:30h`, `9.15h`: the h some write after a full time.
    let word = match word.strip_suffix('h') {
        Some(body) if body.contains([':', '.']) => body,
        _ => word,
    };
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
