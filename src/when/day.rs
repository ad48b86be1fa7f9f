//! Local calendar days as instants: where a day starts in the user's zone, and how many days
//! ago something happened. The one place that turns "the start of a local day" into an instant
//! (the agenda's range, the follow-up and search windows, imports and insights all ask here), so
//! a day that starts at 01:00 because of a DST change is read the same everywhere.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone};

/// The first instant (unix seconds) of `day` in `tz`: midnight; the earlier midnight when clocks
/// go back over it; the end of the gap when clocks jump forward over midnight (Havana, Santiago:
/// the day starts at 01:00). The first and last representable days saturate to the ends of time.
pub fn start_of_day<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> i64 {
    if day == NaiveDate::MIN {
        return i64::MIN;
    }
    if day == NaiveDate::MAX {
        return i64::MAX;
    }
    (0..24)
        .find_map(|h| {
            let t = day.and_time(NaiveTime::from_hms_opt(h, 0, 0)?);
            crate::clock::earliest_instant(tz.from_local_datetime(&t)).map(|t| t.timestamp())
        })
        .unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc().timestamp())
}

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

    fn utc(y: i32, m: u32, d: u32, h: u32) -> i64 {
        day(y, m, d)
            .and_hms_opt(h, 0, 0)
            .unwrap()
            .and_utc()
            .timestamp()
    }

    #[test]
    fn a_day_starts_at_local_midnight_across_dst_changes() {
        use chrono_tz::America::Havana;
        // Madrid jumps at 02:00: the day itself is 23 hours, midnight is still there.
        assert_eq!(
            start_of_day(&Madrid, day(2026, 3, 29)),
            utc(2026, 3, 28, 23)
        );
        assert_eq!(
            start_of_day(&Madrid, day(2026, 3, 30)),
            utc(2026, 3, 29, 22)
        );
        // Havana jumps from 00:00 to 01:00: the day starts at 01:00 CDT (05:00 UTC).
        assert_eq!(start_of_day(&Havana, day(2026, 3, 8)), utc(2026, 3, 8, 5));
        // Havana falls back from 01:00 to 00:00: midnight happens twice, the first one counts.
        assert_eq!(start_of_day(&Havana, day(2026, 11, 1)), utc(2026, 11, 1, 4));
        assert_eq!(
            start_of_day(&chrono::Utc, day(2026, 12, 1)),
            utc(2026, 12, 1, 0)
        );
        assert_eq!(start_of_day(&Madrid, NaiveDate::MIN), i64::MIN);
        assert_eq!(start_of_day(&Madrid, NaiveDate::MAX), i64::MAX);
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
