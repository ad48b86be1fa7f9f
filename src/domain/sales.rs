//! Monthly sales per account: the target the KAM is measured on and what was actually sold,
//! in one currency (issue 14). A month is written `YYYY-MM`.

use chrono::{Datelike, NaiveDate};

use super::Id;

/// One account's target and actual sales for one month, in one currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MonthSales {
    pub id: Id,
    pub account: Id,
    /// The month, `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub target: Option<f64>,
    pub actual: Option<f64>,
}

impl MonthSales {
    /// Actual as a share of target, in percent, when both are known and the target is not 0.
    pub fn attainment(&self) -> Option<f64> {
        match (self.target, self.actual) {
            (Some(t), Some(a)) if t > 0.0 => Some(a / t * 100.0),
            _ => None,
        }
    }
}

/// A month that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("month: \"{}\" is not a month; write it as YYYY-MM, e.g. 2026-11", crate::text::sanitize_line(.0))]
pub struct BadMonth(pub String);

/// Reads `2026-11` (or `2026-1`) as the first day of that month.
pub fn parse_month(input: &str) -> Result<NaiveDate, BadMonth> {
    let bad = || BadMonth(input.to_string());
    let (y, m) = input.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.is_empty() || m.len() > 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u32 = m.parse().map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)
}

/// `2026-11`: the month `day` is in.
pub fn month_text(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_exactly() {
        let d = parse_month("2026-11").unwrap();
        assert_eq!(month_text(d), "2026-11");
        assert_eq!(month_text(parse_month(" 2026-1 ").unwrap()), "2026-01");
        for bad in [
            "2026-13", "2026-00", "26-11", "2026/11", "2026-", "nov", "2026-111", "",
        ] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
        assert!(
            parse_month("2026-13")
                .unwrap_err()
                .to_string()
                .contains("write it as YYYY-MM")
        );
    }

    #[test]
    fn attainment_needs_a_target() {
        let mut s = MonthSales {
            id: 0,
            account: 1,
            month: "2026-11".into(),
            currency: "EUR".into(),
            target: Some(200.0),
            actual: Some(150.0),
        };
        assert!((s.attainment().unwrap() - 75.0).abs() < 1e-9);
        s.target = Some(0.0);
        assert_eq!(s.attainment(), None);
        s.target = None;
        assert_eq!(s.attainment(), None);
    }
}
