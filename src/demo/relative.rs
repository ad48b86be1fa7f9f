//! Dates written relative to today in the demo's asset tables, and the clock arithmetic the
//! generators share.
//!
//! A string value `@N` is the date N days from today (`@0`, `@-3`, `@+21`), `@N HH:MM` the local
//! time that day in the demo's offset; `@month-end` is the last day of today's month (so a deal
//! can close "this month" on any day the demo is built). In a `birthday`, `@N` is the month and day N days from today
//! without a year (`--MM-DD`) and `@N/YYYY` the same day in year YYYY. Any other string, including
//! note text that starts with `@name`, is kept as written.

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, SecondsFormat, TimeDelta};
use serde_json::Value;

use super::DemoError;

/// Resolves relative dates against one `today` and one UTC offset.
pub(super) struct Resolver {
    pub(super) today: NaiveDate,
    offset: FixedOffset,
}

impl Resolver {
    pub(super) fn new(today: NaiveDate, offset: FixedOffset) -> Self {
        Resolver { today, offset }
    }

    /// The day `days` from today.
    pub(super) fn day(&self, days: i64) -> Result<NaiveDate, DemoError> {
        TimeDelta::try_days(days)
            .and_then(|d| self.today.checked_add_signed(d))
            .ok_or_else(|| DemoError::Date(format!("{} {days:+} days", self.today)))
    }

    /// Days from today to the last day of today's month (0 on that day).
    pub(super) fn days_to_month_end(&self) -> i64 {
        let next = if self.today.month() == 12 {
            NaiveDate::from_ymd_opt(self.today.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.today.year(), self.today.month() + 1, 1)
        };
        next.map_or(0, |n| (n - self.today).num_days() - 1)
    }

    /// `YYYY-MM-DD` of the day `days` from today.
    pub(super) fn date(&self, days: i64) -> Result<String, DemoError> {
        Ok(self.day(days)?.format("%Y-%m-%d").to_string())
    }

    /// RFC 3339 timestamp (seconds, the demo's offset) at `minute` minutes past midnight, local
    /// time, `days` from today.
    pub(super) fn stamp(&self, days: i64, minute: u32) -> Result<String, DemoError> {
        let time = NaiveTime::from_hms_opt(minute / 60 % 24, minute % 60, 0)
            .ok_or_else(|| DemoError::Date(format!("minute {minute}")))?;
        let local = self.day(days)?.and_time(time);
        let at = local
            .and_local_timezone(self.offset)
            .single()
            .ok_or_else(|| DemoError::Date(local.to_string()))?;
        Ok(at.to_rfc3339_opts(SecondsFormat::Secs, false))
    }

    /// Resolves the relative dates in one field of an asset row.
    pub(super) fn resolve_field(&self, key: &str, value: Value) -> Result<Value, DemoError> {
        match value {
            Value::String(s) if key == "birthday" => match s.strip_prefix('@') {
                Some(rest) => self.birthday(rest).map(Value::String),
                None => Ok(Value::String(s)),
            },
            Value::String(s) => Ok(Value::String(self.moment(&s)?.unwrap_or(s))),
            Value::Array(items) => items
                .into_iter()
                .map(|v| self.resolve_field(key, v))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            Value::Object(map) => map
                .into_iter()
                .map(|(k, v)| Ok((k.clone(), self.resolve_field(&k, v)?)))
                .collect::<Result<_, _>>()
                .map(Value::Object),
            other => Ok(other),
        }
    }

    /// `@N` or `@N HH:MM`; `None` when `s` is not a relative date.
    fn moment(&self, s: &str) -> Result<Option<String>, DemoError> {
        let Some(rest) = s.strip_prefix('@') else {
            return Ok(None);
        };
        if rest == "month-end" {
            return self.date(self.days_to_month_end()).map(Some);
        }
        let (days, time) = rest.split_once(' ').unwrap_or((rest, ""));
        let Ok(days) = days.parse::<i64>() else {
            return Ok(None);
        };
        if time.is_empty() {
            return self.date(days).map(Some);
        }
        let Some(minute) = clock_minute(time) else {
            return Ok(None);
        };
        self.stamp(days, minute).map(Some)
    }

    /// `N` or `N/YYYY` (after the `@`) as a birthday.
    fn birthday(&self, rest: &str) -> Result<String, DemoError> {
        let bad = || DemoError::Date(format!("birthday @{rest}"));
        let (days, year) = rest.split_once('/').unwrap_or((rest, ""));
        let day = self.day(days.parse().map_err(|_| bad())?)?;
        if year.is_empty() {
            return Ok(format!("--{:02}-{:02}", day.month(), day.day()));
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        Ok(
            match NaiveDate::from_ymd_opt(year, day.month(), day.day()) {
                Some(born) => born.format("%Y-%m-%d").to_string(),
                None => format!("--{:02}-{:02}", day.month(), day.day()),
            },
        )
    }
}

/// `HH:MM` as minutes past midnight.
fn clock_minute(time: &str) -> Option<u32> {
    let (h, m) = time.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}
