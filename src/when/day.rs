//! Local calendar days as instants: how many days ago something happened, in the user's zone.

use chrono::{DateTime, NaiveDate, TimeZone};

/// Calendar days in `tz` from the day of `then` (unix seconds) to `today`.
pub fn days_since<Tz: TimeZone>(tz: &Tz, today: NaiveDate, then: i64) -> Option<i64> {
    DateTime::from_timestamp(then, 0).map(|t| (today - t.with_timezone(tz).date_naive()).num_days())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Europe::Madrid;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn days_since_counts_local_calendar_days() {
        // 23:30 UTC on 1 Dec is 00:30 on 2 Dec in Madrid: one day before 3 Dec, not two.
        let then = day(2026, 12, 1)
            .and_hms_opt(23, 30, 0)
            .unwrap()
            .and_utc()
            .timestamp();
        assert_eq!(days_since(&Madrid, day(2026, 12, 3), then), Some(1));
        assert_eq!(days_since(&chrono::Utc, day(2026, 12, 3), then), Some(2));
    }
}
