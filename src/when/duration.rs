//! Lengths of time for `--for`: `45m`, `1h`, `1h30`, `1h30m`, `90m`, `1.5h`, `2 hours`, `1:30`.
//! Whole minutes only, more than 0 and at most 24 hours; spaces and case do not matter.

use chrono::TimeDelta;

use super::{Form, Problem, WhenError};

const MAX_MINUTES: u64 = 24 * 60;

/// Reads a duration for `--for`: `45m`, `1h`, `1h30`, `1h30m`, `90m`, `1.5h`, `2 hours`, `1:30`;
/// more than 0 and at most 24 hours, in whole minutes.
pub fn parse_duration(input: &str) -> Result<TimeDelta, WhenError> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    let minutes = minutes(&compact).map_err(|p| WhenError::new(input, p, Form::Duration))?;
    if minutes == 0 {
        return Err(WhenError::new(input, Problem::ZeroDuration, Form::Duration));
    }
    if minutes > MAX_MINUTES {
        return Err(WhenError::new(input, Problem::TooLong, Form::Duration));
    }
    i64::try_from(minutes)
        .ok()
        .and_then(TimeDelta::try_minutes)
        .ok_or_else(|| WhenError::new(input, Problem::TooLong, Form::Duration))
}

fn minutes(s: &str) -> Result<u64, Problem> {
    if s.is_empty() {
        return Err(Problem::Empty);
    }
    if let Some((h, m)) = s.split_once(':') {
        let h = whole(h)?;
        if m.len() != 2 {
            return Err(Problem::MinuteDigits);
        }
        let m = whole(m)?;
        if m > 59 {
            return Err(Problem::MinuteRange);
        }
        return Ok(h * 60 + m);
    }
    let mut rest = s;
    let mut total = 0;
    let mut had_hours = false;
    let mut had_minutes = false;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
            .unwrap_or(rest.len());
        let (number, after) = rest.split_at(number_end);
        let unit_end = after
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(after.len());
        let (unit, after) = after.split_at(unit_end);
        if number.is_empty() {
            return Err(Problem::NotDuration);
        }
        match unit {
            "h" | "hr" | "hrs" | "hour" | "hours" if !had_hours && !had_minutes => {
                had_hours = true;
                total += hours_in_minutes(number)?;
            }
            "m" | "min" | "mins" | "minute" | "minutes" | "" if !had_minutes => {
                if unit.is_empty() && !(had_hours && after.is_empty()) {
                    return Err(Problem::NoUnit);
                }
                had_minutes = true;
                let m = whole(number)?;
                if had_hours && m > 59 {
                    return Err(Problem::MinuteRange);
                }
                total += m;
            }
            _ => return Err(Problem::NotDuration),
        }
        rest = after;
    }
    Ok(total)
}

/// A whole number; anything past 6 digits is longer than any accepted duration.
fn whole(digits: &str) -> Result<u64, Problem> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::NotWholeMinutes);
    }
    if digits.len() > 6 {
        return Err(Problem::TooLong);
    }
    digits.parse().map_err(|_| Problem::TooLong)
}

/// `1.5` hours → 90 minutes; `1,25` too (decimal comma). Must come to whole minutes.
fn hours_in_minutes(number: &str) -> Result<u64, Problem> {
    let (int, frac) = number.split_once(['.', ',']).unwrap_or((number, ""));
    let int = if int.is_empty() && !frac.is_empty() {
        0
    } else {
        whole(int)?
    };
    if frac.is_empty() {
        return Ok(int * 60);
    }
    if frac.len() > 4 {
        return Err(Problem::NotWholeMinutes);
    }
    let scale = 10_u64.pow(u32::try_from(frac.len()).unwrap_or(4));
    let sixty_frac = whole(frac)? * 60;
    if sixty_frac % scale != 0 {
        return Err(Problem::NotWholeMinutes);
    }
    Ok(int * 60 + sixty_frac / scale)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    #[case("45m", 45)]
    #[case("1h", 60)]
    #[case("1h30", 90)]
    #[case("1h30m", 90)]
    #[case("1h 30m", 90)]
    #[case("90m", 90)]
    #[case("1.5h", 90)]
    #[case("1,5h", 90)]
    #[case("0.25h", 15)]
    #[case("2 hours", 120)]
    #[case("1 hour", 60)]
    #[case("30 min", 30)]
    #[case("90 minutes", 90)]
    #[case(" 2H ", 120)]
    #[case("1:30", 90)]
    #[case("24h", 1440)]
    #[case("1440m", 1440)]
    fn durations(#[case] input: &str, #[case] minutes: i64) {
        assert_eq!(
            parse_duration(input).unwrap(),
            TimeDelta::minutes(minutes),
            "{input}"
        );
    }

    #[rstest]
    #[case("", "nothing is written")]
    #[case("   ", "nothing is written")]
    #[case("0m", "longer than 0")]
    #[case("0h", "longer than 0")]
    #[case("25h", "at most 24 hours")]
    #[case("24h1", "at most 24 hours")]
    #[case("1441m", "at most 24 hours")]
    #[case("99999999999h", "at most 24 hours")]
    #[case("90", "needs a unit")]
    #[case("1.33h", "whole number of minutes")]
    #[case("1.5m", "whole number of minutes")]
    #[case("1h75", "minutes go from 0 to 59")]
    #[case("30m1h", "not a duration")]
    #[case("1h1h", "not a duration")]
    #[case("h", "not a duration")]
    #[case("2 days", "not a duration")]
    #[case("soon", "not a duration")]
    #[case("-1h", "not a duration")]
    fn bad_durations(#[case] input: &str, #[case] why: &str) {
        let err = parse_duration(input).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!("duration: \"{input}\": ")),
            "{msg}"
        );
        assert!(msg.contains(why), "{msg}");
        assert!(msg.contains("e.g. 45m"), "{msg}");
        assert!(!msg.contains('\n'), "{msg}");
        assert_eq!(err.input, input);
    }
}
