//! Recurrence (RFC 5545 §3.3.10, §3.8.5): a series' occurrences from its DTSTART, RRULE,
//! RDATE, EXRULE and EXDATE, computed by the `rrule` crate (every FREQ, BYMONTH, BYSETPOS,
//! negative BYMONTHDAY, BYYEARDAY, BYWEEKNO...), not by hand.
//!
//! Occurrences are computed in the event's wall-clock time (the engine is handed wall times
//! as if they were UTC, a zone without daylight-saving changes), so a weekly 09:00 stays at
//! 09:00 across a daylight-saving change; the importer then turns each wall time into an
//! instant in the event's own zone. UNTIL is handed over already turned into that wall time.
//! At most [`MAX_OCCURRENCES`] occurrences are produced inside the window; a series cut there
//! says so ([`Occurrences::capped`]) so the import can report it.

use chrono::{DateTime, NaiveDateTime, TimeZone};
use rrule::{RRule, RRuleSet, Tz, Unvalidated};

/// Most occurrences produced from one series inside the import window.
pub const MAX_OCCURRENCES: u16 = 5000;

/// A series as the file writes it, every time a wall time in the zone of its DTSTART.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Series {
    pub start: NaiveDateTime,
    /// The RRULE's text (`FREQ=WEEKLY;BYDAY=MO`), if any.
    pub rule: Option<String>,
    /// EXRULEs' texts.
    pub exrules: Vec<String>,
    pub rdates: Vec<NaiveDateTime>,
    pub exdates: Vec<NaiveDateTime>,
}

/// The starts inside the window, and whether the series was cut at [`MAX_OCCURRENCES`] (or at
/// the engine's own limit on rules that never match).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Occurrences {
    pub starts: Vec<NaiveDateTime>,
    pub capped: bool,
}

fn wall(t: NaiveDateTime) -> DateTime<Tz> {
    Tz::UTC.from_utc_datetime(&t)
}

/// Reads a rule; `until` turns its UNTIL value (a UTC moment, a date, a local time) into the
/// series' wall time. The error names the part that cannot be read.
fn rule(
    text: &str,
    start: NaiveDateTime,
    until: &dyn Fn(&str) -> Option<NaiveDateTime>,
) -> Result<Option<RRule>, String> {
    // The grammar is ASCII; the engine slices bytes and would panic inside a character.
    if let Some(c) = text.chars().find(|c| !c.is_ascii() || c.is_ascii_control()) {
        return Err(format!(
            "\"{c}\" cannot be in a rule (write FREQ=WEEKLY;BYDAY=MO)"
        ));
    }
    let mut parts = Vec::new();
    let mut until_wall = None;
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("UNTIL") => {
                until_wall = Some(
                    until(v.trim())
                        .ok_or_else(|| format!("UNTIL={} is not a date or time", v.trim()))?,
                );
            }
            _ => parts.push(part),
        }
    }
    let joined = parts.join(";");
    let parsed: RRule<Unvalidated> = guarded(|| joined.parse().map_err(|e| format!("{e}")))?;
    let parsed = match until_wall {
        // Ends before it starts: the series is its first occurrence alone.
        Some(u) if u < start => return Ok(None),
        Some(u) => parsed.until(wall(u)),
        None => parsed,
    };
    guarded(|| {
        parsed
            .validate(wall(start))
            .map(Some)
            .map_err(|e| format!("{e}"))
    })
}

/// Runs the engine: a panic inside it on a strange rule skips the event, never the import.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("the rule could not be read".to_string()))
}

/// The occurrences of `series` starting in `[from, to)` (wall times). COUNT counts from the
/// series' start, wherever the window is.
pub fn expand(
    series: &Series,
    until: &dyn Fn(&str) -> Option<NaiveDateTime>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Occurrences, String> {
    let mut set = RRuleSet::new(wall(series.start));
    match &series.rule {
        Some(text) => match rule(text, series.start, until)? {
            Some(r) => set = set.rrule(r),
            None => set = set.rdate(wall(series.start)),
        },
        // RDATEs without a rule: DTSTART is the first of the set (RFC 5545 §3.8.5.2).
        None => set = set.rdate(wall(series.start)),
    }
    for text in &series.exrules {
        if let Some(r) = rule(text, series.start, until)? {
            set = set.exrule(r);
        }
    }
    for d in &series.rdates {
        set = set.rdate(wall(*d));
    }
    for d in &series.exdates {
        set = set.exdate(wall(*d));
    }
    let set = set.after(wall(from)).before(wall(to));
    let result = guarded(|| Ok(set.all(MAX_OCCURRENCES)))?;
    let mut starts: Vec<NaiveDateTime> = result
        .dates
        .iter()
        .map(DateTime::naive_utc)
        .filter(|t| *t >= from && *t < to)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    Ok(Occurrences {
        capped: result.limited,
        starts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn until(u: &str) -> Option<NaiveDateTime> {
        NaiveDateTime::parse_from_str(u.trim_end_matches('Z'), "%Y%m%dT%H%M%S").ok()
    }

    fn days(start: &str, rule: &str) -> Vec<String> {
        let s = Series {
            start: at(start),
            rule: Some(rule.into()),
            ..Series::default()
        };
        expand(&s, &until, at("2000-01-01 00:00"), at("2040-01-01 00:00"))
            .expect("expands")
            .starts
            .iter()
            .map(|d| d.format("%a %Y-%m-%d %H:%M").to_string())
            .collect()
    }

    #[test]
    fn weekly_daily_and_monthly_as_before() {
        assert_eq!(
            days("2026-11-30 09:00", "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4"),
            [
                "Mon 2026-11-30 09:00",
                "Wed 2026-12-02 09:00",
                "Mon 2026-12-07 09:00",
                "Wed 2026-12-09 09:00"
            ]
        );
        assert_eq!(
            days(
                "2026-12-01 09:00",
                "FREQ=DAILY;INTERVAL=2;UNTIL=20261207T090000"
            ),
            [
                "Tue 2026-12-01 09:00",
                "Thu 2026-12-03 09:00",
                "Sat 2026-12-05 09:00",
                "Mon 2026-12-07 09:00"
            ]
        );
        assert_eq!(
            days("2026-11-27 15:00", "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3"),
            [
                "Fri 2026-11-27 15:00",
                "Fri 2026-12-25 15:00",
                "Fri 2027-01-29 15:00"
            ]
        );
    }

    #[test]
    fn yearly_bymonth_bysetpos_and_negative_month_days() {
        // US Thanksgiving: the fourth Thursday of November.
        assert_eq!(
            days(
                "2026-11-26 10:00",
                "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=3"
            ),
            [
                "Thu 2026-11-26 10:00",
                "Thu 2027-11-25 10:00",
                "Thu 2028-11-23 10:00"
            ]
        );
        // The last working day of the month.
        assert_eq!(
            days(
                "2026-10-30 09:00",
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=3"
            ),
            [
                "Fri 2026-10-30 09:00",
                "Mon 2026-11-30 09:00",
                "Thu 2026-12-31 09:00"
            ]
        );
        // The second-to-last day of the month.
        assert_eq!(
            days("2027-01-30 09:00", "FREQ=MONTHLY;BYMONTHDAY=-2;COUNT=2"),
            ["Sat 2027-01-30 09:00", "Sat 2027-02-27 09:00"]
        );
        // A yearly birthday-like rule with BYMONTH and BYMONTHDAY.
        assert_eq!(
            days(
                "2026-03-15 08:00",
                "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15;COUNT=2"
            ),
            ["Sun 2026-03-15 08:00", "Mon 2027-03-15 08:00"]
        );
    }

    #[test]
    fn rdate_exrule_and_exdate() {
        let s = Series {
            start: at("2026-12-01 09:00"),
            rule: Some("FREQ=DAILY;COUNT=6".into()),
            exrules: vec!["FREQ=DAILY;INTERVAL=2;COUNT=3".into()],
            rdates: vec![at("2026-12-20 11:00")],
            exdates: vec![at("2026-12-04 09:00")],
        };
        let got = expand(&s, &until, at("2026-01-01 00:00"), at("2027-01-01 00:00")).unwrap();
        let got: Vec<String> = got.starts.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "2026-12-02 09:00:00",
                "2026-12-06 09:00:00",
                "2026-12-20 11:00:00"
            ]
        );
        // RDATEs without a rule: the start and each RDATE.
        let s = Series {
            start: at("2026-12-01 09:00"),
            rdates: vec![at("2026-12-08 09:00")],
            ..Series::default()
        };
        let got = expand(&s, &until, at("2026-01-01 00:00"), at("2027-01-01 00:00")).unwrap();
        assert_eq!(got.starts, [at("2026-12-01 09:00"), at("2026-12-08 09:00")]);
    }

    #[test]
    fn the_window_cuts_count_counts_from_the_start_and_the_cap_is_said() {
        let s = Series {
            start: at("2026-11-02 09:00"),
            rule: Some("FREQ=WEEKLY;COUNT=5".into()),
            ..Series::default()
        };
        let got = expand(&s, &until, at("2026-11-20 00:00"), at("2026-11-28 00:00")).unwrap();
        assert_eq!(got.starts, [at("2026-11-23 09:00")]);
        assert!(!got.capped);
        let endless = Series {
            start: at("2026-01-01 09:00"),
            rule: Some("FREQ=HOURLY".into()),
            ..Series::default()
        };
        let got = expand(
            &endless,
            &until,
            at("2026-01-01 00:00"),
            at("2030-01-01 00:00"),
        )
        .unwrap();
        assert_eq!(got.starts.len(), usize::from(MAX_OCCURRENCES));
        assert!(got.capped);
    }

    #[test]
    fn odd_rules_are_refused_with_the_part_named() {
        let s = |r: &str| Series {
            start: at("2026-01-01 09:00"),
            rule: Some(r.into()),
            ..Series::default()
        };
        let e = |r: &str| {
            expand(
                &s(r),
                &until,
                at("2026-01-01 00:00"),
                at("2027-01-01 00:00"),
            )
            .unwrap_err()
        };
        assert!(
            e("FREQ=WEEKLY;BYDAY=€").contains('€'),
            "{}",
            e("FREQ=WEEKLY;BYDAY=€")
        );
        assert!(e("FREQ=DAILY;UNTIL=junk").contains("UNTIL=junk"));
        assert!(!e("COUNT=3").is_empty());
        // UNTIL before the start: the start alone.
        let got = expand(
            &s("FREQ=DAILY;UNTIL=20250101T000000Z"),
            &until,
            at("2026-01-01 00:00"),
            at("2027-01-01 00:00"),
        )
        .unwrap();
        assert_eq!(got.starts, [at("2026-01-01 09:00")]);
    }
}
