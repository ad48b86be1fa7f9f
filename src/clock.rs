//! The one source of "now" and "today". Everything that needs the time receives a [`Clock`];
//! nothing else reads the system clock (clippy's `disallowed-methods` enforces it).
//!
//! `--now` / `KAM_NOW` fixes the clock for demos, tests and screenshots. The local time zone is
//! the process's (`TZ`); a fixed clock fixes the instant, not the zone.

use chrono::{DateTime, Local, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// A `--now` value that is not a moment.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "--now: \"{0}\" is not a moment; write 2026-11-27T09:30:00+01:00, \"2026-11-27 09:30\" or 2026-11-27"
)]
pub struct BadNow(pub String);

/// The earlier instant of a local time that happens twice (clocks going back), the only one
/// otherwise, `None` in a gap. chrono's `earliest()` is not enough: for the system zone it
/// returns the two candidates in offset order, which is the later instant first.
pub fn earliest_instant<Tz: TimeZone>(r: LocalResult<DateTime<Tz>>) -> Option<DateTime<Tz>> {
    match r {
        LocalResult::Single(t) => Some(t),
        LocalResult::Ambiguous(a, b) => Some(if a.timestamp() <= b.timestamp() { a } else { b }),
        LocalResult::None => None,
    }
}

/// Where the current time comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock { fixed: None }
    }

    /// A clock stopped at `at`.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Clock { fixed: Some(at) }
    }

    /// Reads a `--now` value: RFC 3339, a local `YYYY-MM-DD HH:MM[:SS]` (or with `T`), or a bare
    /// date, which means 08:00 local time that day (a morning, as a KAM opens the agenda).
    pub fn parse_fixed(input: &str) -> Result<Self, BadNow> {
        let s = input.trim();
        let bad = || BadNow(input.to_string());
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(Clock::fixed(t.with_timezone(&Utc)));
        }
        let naive = [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            let day = NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?;
            Some(day.and_time(NaiveTime::from_hms_opt(8, 0, 0)?))
        })
        .ok_or_else(bad)?;
        let local = earliest_instant(Local.from_local_datetime(&naive)).ok_or_else(bad)?;
        Ok(Clock::fixed(local.with_timezone(&Utc)))
    }

    /// The current instant.
    #[allow(clippy::disallowed_methods)] // the one place that may read the system clock
    pub fn now_utc(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    /// The current instant in the local time zone.
    pub fn now(&self) -> DateTime<Local> {
        self.now_utc().with_timezone(&Local)
    }

    /// The local calendar day.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clock_does_not_move() {
        let c = Clock::parse_fixed("2026-11-27T09:30:00+03:00").unwrap();
        assert_eq!(c.now_utc(), c.now_utc());
        assert_eq!(c.now_utc().to_rfc3339(), "2026-11-27T06:30:00+00:00");
    }

    #[test]
    fn the_earlier_of_two_instants_is_taken_whatever_the_order() {
        let a = Utc.timestamp_opt(1_000, 0).unwrap();
        let b = Utc.timestamp_opt(4_600, 0).unwrap();
        assert_eq!(earliest_instant(LocalResult::Ambiguous(b, a)), Some(a));
        assert_eq!(earliest_instant(LocalResult::Ambiguous(a, b)), Some(a));
        assert_eq!(earliest_instant::<Utc>(LocalResult::None), None);
    }

    #[test]
    fn bad_now_is_refused() {
        for s in ["", "tomorrow", "2026-02-30", "27.11.2026"] {
            assert!(Clock::parse_fixed(s).is_err(), "{s}");
        }
        assert!(Clock::parse_fixed("2026-11-27").is_ok());
        assert!(Clock::parse_fixed("2026-11-27 09:30").is_ok());
    }
}
