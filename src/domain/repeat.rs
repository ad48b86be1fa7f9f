//! Recurrence of follow-ups: `daily`, `weekly`, `monthly`, `yearly`, or `every N days|weeks|
//! months|years`. Months are calendar months: a monthly follow-up on the 31st falls on the last
//! day of shorter months, and comes back to the 31st when it can (counted from its first date).

use std::fmt;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};

/// The unit a follow-up repeats in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatUnit {
    Day,
    Week,
    Month,
    Year,
}

/// How often a follow-up comes back once done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    pub every: u32,
    pub unit: RepeatUnit,
}

/// A recurrence that is not one of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "repeat: \"{0}\" is not a recurrence; write daily, weekly, monthly, yearly or \"every 2 weeks\""
)]
pub struct BadRepeat(pub String);

impl Repeat {
    /// The `n`-th occurrence after `start` (n = 1 is the next one).
    pub fn nth_after(self, start: NaiveDate, n: u32) -> Option<NaiveDate> {
        let steps = self.every.checked_mul(n)?;
        match self.unit {
            RepeatUnit::Day => start.checked_add_days(Days::new(u64::from(steps))),
            RepeatUnit::Week => start.checked_add_days(Days::new(u64::from(steps) * 7)),
            RepeatUnit::Month => start.checked_add_months(Months::new(steps)),
            RepeatUnit::Year => start.checked_add_months(Months::new(steps.checked_mul(12)?)),
        }
    }

    /// The first occurrence after `start` that is later than `after` (used when a repeating
    /// follow-up is done late: the next one is in the future, not in the past).
    pub fn next_after(self, start: NaiveDate, after: NaiveDate) -> Option<NaiveDate> {
        (1..=100_000)
            .map_while(|n| self.nth_after(start, n))
            .find(|d| *d > after)
    }
}

impl FromStr for Repeat {
    type Err = BadRepeat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadRepeat(s.to_string());
        let lower = s.trim().to_lowercase();
        let unit_of = |w: &str| match w.trim_end_matches('s') {
            "day" => Some(RepeatUnit::Day),
            "week" => Some(RepeatUnit::Week),
            "month" => Some(RepeatUnit::Month),
            "year" => Some(RepeatUnit::Year),
            _ => None,
        };
        let simple = |unit| Ok(Repeat { every: 1, unit });
        match lower.as_str() {
            "daily" => return simple(RepeatUnit::Day),
            "weekly" => return simple(RepeatUnit::Week),
            "monthly" => return simple(RepeatUnit::Month),
            "yearly" => return simple(RepeatUnit::Year),
            _ => {}
        }
        let words: Vec<&str> = lower.split_whitespace().collect();
        match words.as_slice() {
            ["every", n, unit] => {
                let every: u32 = n.parse().map_err(|_| bad())?;
                if every == 0 || every > 1000 {
                    return Err(bad());
                }
                let unit = unit_of(unit).ok_or_else(bad)?;
                Ok(Repeat { every, unit })
            }
            ["every", unit] => Ok(Repeat {
                every: 1,
                unit: unit_of(unit).ok_or_else(bad)?,
            }),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Repeat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (simple, unit) = match self.unit {
            RepeatUnit::Day => ("daily", "day"),
            RepeatUnit::Week => ("weekly", "week"),
            RepeatUnit::Month => ("monthly", "month"),
            RepeatUnit::Year => ("yearly", "year"),
        };
        if self.every == 1 {
            f.write_str(simple)
        } else {
            write!(f, "every {} {unit}s", self.every)
        }
    }
}

impl serde::Serialize for Repeat {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_and_prints_canonically() {
        for (input, canonical) in [
            ("daily", "daily"),
            ("Weekly", "weekly"),
            ("every 2 weeks", "every 2 weeks"),
            ("every 1 day", "daily"),
            ("every 3 months", "every 3 months"),
            ("every month", "monthly"),
        ] {
            assert_eq!(
                input.parse::<Repeat>().unwrap().to_string(),
                canonical,
                "{input}"
            );
        }
        for bad in [
            "",
            "fortnightly",
            "every 0 days",
            "every two weeks",
            "every 2 fortnights",
        ] {
            assert!(bad.parse::<Repeat>().is_err(), "{bad}");
        }
    }

    #[test]
    fn monthly_on_the_31st_clamps_then_returns() {
        let r: Repeat = "monthly".parse().unwrap();
        assert_eq!(r.nth_after(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
        assert_eq!(r.nth_after(d(2026, 1, 31), 2), Some(d(2026, 3, 31)));
        let y: Repeat = "yearly".parse().unwrap();
        assert_eq!(y.nth_after(d(2028, 2, 29), 1), Some(d(2029, 2, 28)));
    }

    #[test]
    fn next_after_skips_missed_occurrences() {
        let w: Repeat = "weekly".parse().unwrap();
        assert_eq!(
            w.next_after(d(2026, 11, 2), d(2026, 11, 27)),
            Some(d(2026, 11, 30))
        );
    }
}
