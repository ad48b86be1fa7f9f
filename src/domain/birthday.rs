//! Birthdays, with or without a year (`1984-11-27` or `--11-27`), and the day they fall on in a
//! given year. A 29 February birthday is celebrated on 28 February in common years.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

/// A person's birthday; the year is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Birthday {
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

/// A birthday that is not `YYYY-MM-DD` or `--MM-DD`, or not a real day.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("birthday: \"{0}\" is not a date; write 1984-11-27, or --11-27 without the year")]
pub struct BadBirthday(pub String);

impl Birthday {
    /// The day it is celebrated in `year` (29 Feb → 28 Feb in a common year).
    pub fn in_year(self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Age reached on the birthday in `year`, when the year of birth is known.
    pub fn age_in(self, year: i32) -> Option<i32> {
        self.year.map(|born| year - born)
    }

    /// `MM-DD`, the key the store indexes birthdays by.
    pub fn month_day(self) -> String {
        format!("{:02}-{:02}", self.month, self.day)
    }
}

impl FromStr for Birthday {
    type Err = BadBirthday;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadBirthday(s.to_string());
        if let Some(md) = s.strip_prefix("--") {
            let (m, d) = md.split_once('-').ok_or_else(bad)?;
            if m.len() != 2 || d.len() != 2 {
                return Err(bad());
            }
            let month: u32 = m.parse().map_err(|_| bad())?;
            let day: u32 = d.parse().map_err(|_| bad())?;
            // 2000 is a leap year, so --02-29 is accepted.
            NaiveDate::from_ymd_opt(2000, month, day).ok_or_else(bad)?;
            return Ok(Birthday {
                year: None,
                month,
                day,
            });
        }
        let date = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad())?;
        if s.len() != 10 {
            return Err(bad());
        }
        Ok(Birthday {
            year: Some(date.year()),
            month: date.month(),
            day: date.day(),
        })
    }
}

impl fmt::Display for Birthday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl serde::Serialize for Birthday {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms_and_prints_them_back() {
        for s in ["1984-11-27", "--11-27", "--02-29", "1980-02-29"] {
            assert_eq!(s.parse::<Birthday>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_impossible_days() {
        for s in [
            "1981-02-29",
            "--02-30",
            "--13-01",
            "",
            "11-27",
            "1984-1-2",
            "--1-02",
        ] {
            assert!(s.parse::<Birthday>().is_err(), "{s}");
        }
    }

    #[test]
    fn leap_day_birthdays_fall_on_28_february_in_common_years() {
        let b: Birthday = "--02-29".parse().unwrap();
        assert_eq!(
            b.in_year(2027),
            NaiveDate::from_ymd_opt(2027, 2, 28).unwrap()
        );
        assert_eq!(
            b.in_year(2028),
            NaiveDate::from_ymd_opt(2028, 2, 29).unwrap()
        );
        let born: Birthday = "1980-02-29".parse().unwrap();
        assert_eq!(born.age_in(2026), Some(46));
    }
}
