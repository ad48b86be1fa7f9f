//! Recurrence rules (RFC 5545 §3.3.10), the common subset: FREQ=DAILY, WEEKLY or MONTHLY with
//! INTERVAL, COUNT, UNTIL, BYDAY (`MO`, `1MO`, `-1FR` in monthly rules) and BYMONTHDAY.
//! Occurrences are computed in the event's wall-clock time, so a weekly 09:00 stays at 09:00
//! across a daylight-saving change. Anything else is refused with a message naming the part.

use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, Weekday};

/// How often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
}

/// A parsed RRULE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub freq: Freq,
    pub interval: u32,
    pub count: Option<u32>,
    /// The last wall-clock moment an occurrence may start at.
    pub until: Option<NaiveDateTime>,
    /// Weekdays with an optional ordinal in the month (1 = first, -1 = last).
    pub by_day: Vec<(Option<i32>, Weekday)>,
    pub by_month_day: Vec<i32>,
}

/// Most occurrences produced from one rule (a daily rule over years stops here).
pub const MAX_OCCURRENCES: usize = 5000;

/// Largest INTERVAL accepted (every 1000 days, weeks or months is already beyond a calendar).
pub const MAX_INTERVAL: u32 = 1000;

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

/// Reads `FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10`. `until` turns the UNTIL value into wall time of
/// the event (it may be a UTC moment or a date).
pub fn parse_rule(
    text: &str,
    until: impl Fn(&str) -> Option<NaiveDateTime>,
) -> Result<Rule, String> {
    let mut freq = None;
    let mut rule = Rule {
        freq: Freq::Daily,
        interval: 1,
        count: None,
        until: None,
        by_day: Vec::new(),
        by_month_day: Vec::new(),
    };
    for part in text.split(';').filter(|p| !p.trim().is_empty()) {
        let (k, v) = part
            .split_once('=')
            .ok_or_else(|| format!("\"{part}\" is not NAME=VALUE"))?;
        let v = v.trim().to_ascii_uppercase();
        match k.trim().to_ascii_uppercase().as_str() {
            "FREQ" => {
                freq = Some(match v.as_str() {
                    "DAILY" => Freq::Daily,
                    "WEEKLY" => Freq::Weekly,
                    "MONTHLY" => Freq::Monthly,
                    other => {
                        return Err(format!(
                            "FREQ={other} is not supported (only DAILY, WEEKLY, MONTHLY)"
                        ));
                    }
                });
            }
            "INTERVAL" => {
                rule.interval = v
                    .parse()
                    .ok()
                    .filter(|&n| (1..=MAX_INTERVAL).contains(&n))
                    .ok_or_else(|| {
                        format!("INTERVAL={v} is not a whole number from 1 to {MAX_INTERVAL}")
                    })?;
            }
            "COUNT" => {
                rule.count = Some(
                    v.parse()
                        .map_err(|_| format!("COUNT={v} is not a whole number"))?,
                );
            }
            "UNTIL" => {
                rule.until =
                    Some(until(&v).ok_or_else(|| format!("UNTIL={v} is not a date or time"))?);
            }
            "BYDAY" => {
                for d in v.split(',') {
                    let d = d.trim();
                    let split = d.len().saturating_sub(2);
                    let (n, wd) = d
                        .split_at_checked(split)
                        .ok_or_else(|| format!("BYDAY={d} is not a weekday"))?;
                    let wd = weekday(wd).ok_or_else(|| format!("BYDAY={d} is not a weekday"))?;
                    let n = if n.is_empty() {
                        None
                    } else {
                        Some(
                            n.trim_start_matches('+')
                                .parse::<i32>()
                                .ok()
                                .filter(|n| *n != 0 && n.abs() <= 5)
                                .ok_or_else(|| format!("BYDAY={d}: bad ordinal"))?,
                        )
                    };
                    rule.by_day.push((n, wd));
                }
            }
            "BYMONTHDAY" => {
                for d in v.split(',') {
                    let n: i32 = d
                        .trim()
                        .parse()
                        .ok()
                        .filter(|n: &i32| *n != 0 && n.abs() <= 31)
                        .ok_or_else(|| format!("BYMONTHDAY={d} is not a day of the month"))?;
                    rule.by_month_day.push(n);
                }
            }
            "WKST" => {}
            other => return Err(format!("{other} is not supported in RRULE")),
        }
    }
    rule.freq = freq.ok_or("FREQ is missing")?;
    if rule.freq != Freq::Monthly && !rule.by_month_day.is_empty() {
        return Err("BYMONTHDAY is supported with FREQ=MONTHLY only".into());
    }
    if rule.freq != Freq::Monthly && rule.by_day.iter().any(|(n, _)| n.is_some()) {
        return Err("BYDAY with a number (1MO) is supported with FREQ=MONTHLY only".into());
    }
    Ok(rule)
}

/// The days of `month` (its first day given) that match the monthly rule's BYDAY/BYMONTHDAY,
/// or the start's day of the month.
fn month_days(first: NaiveDate, rule: &Rule, start_day: u32) -> Vec<NaiveDate> {
    let len = first
        .checked_add_months(Months::new(1))
        .and_then(|next| u32::try_from((next - first).num_days()).ok())
        .unwrap_or(28);
    let mut days: Vec<NaiveDate> = Vec::new();
    if !rule.by_day.is_empty() {
        for &(n, wd) in &rule.by_day {
            let matching: Vec<NaiveDate> = (0..len)
                .filter_map(|i| first.checked_add_signed(Duration::days(i64::from(i))))
                .filter(|d| d.weekday() == wd)
                .collect();
            match n {
                None => days.extend(matching),
                Some(n) if n > 0 => days.extend(matching.get(n.unsigned_abs() as usize - 1)),
                Some(n) => {
                    let back = matching.len().checked_sub(n.unsigned_abs() as usize);
                    days.extend(back.and_then(|i| matching.get(i)));
                }
            }
        }
        if !rule.by_month_day.is_empty() {
            days.retain(|d| month_day_matches(d.day(), len, &rule.by_month_day));
        }
    } else if !rule.by_month_day.is_empty() {
        days.extend(
            (1..=len)
                .filter(|d| month_day_matches(*d, len, &rule.by_month_day))
                .filter_map(|d| first.with_day(d)),
        );
    } else {
        days.extend(first.with_day(start_day));
    }
    days.sort_unstable();
    days.dedup();
    days
}

fn month_day_matches(day: u32, len: u32, wanted: &[i32]) -> bool {
    wanted.iter().any(|&w| {
        if w > 0 {
            u32::try_from(w).is_ok_and(|w| w == day)
        } else {
            i64::from(len) + i64::from(w) + 1 == i64::from(day)
        }
    })
}

/// The starts of the occurrences of `rule` from `start` (the first one), skipping `exdates`,
/// that fall in `[from, to)`. COUNT counts from `start`, wherever the window is.
pub fn expand(
    start: NaiveDateTime,
    rule: &Rule,
    exdates: &[NaiveDateTime],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<NaiveDateTime> {
    let mut out = Vec::new();
    let mut produced: u32 = 0;
    let time = start.time();
    let interval = i64::from(rule.interval);
    // Periods walked; far more than MAX_OCCURRENCES guards against rules that never match.
    for period in 0..200_000_i64 {
        let candidates: Vec<NaiveDateTime> = match rule.freq {
            Freq::Daily => {
                // A date past chrono's range ends the walk.
                let Some(d) = start
                    .date()
                    .checked_add_signed(Duration::days(period * interval))
                else {
                    break;
                };
                if rule.by_day.is_empty() || rule.by_day.iter().any(|(_, w)| *w == d.weekday()) {
                    vec![d.and_time(time)]
                } else {
                    vec![]
                }
            }
            Freq::Weekly => {
                let Some(week) = start
                    .date()
                    .checked_sub_signed(Duration::days(i64::from(
                        start.weekday().num_days_from_monday(),
                    )))
                    .and_then(|monday| {
                        monday.checked_add_signed(Duration::weeks(period * interval))
                    })
                else {
                    break;
                };
                let mut days: Vec<Weekday> = if rule.by_day.is_empty() {
                    vec![start.weekday()]
                } else {
                    rule.by_day.iter().map(|(_, w)| *w).collect()
                };
                days.sort_by_key(Weekday::num_days_from_monday);
                days.dedup();
                days.into_iter()
                    .filter_map(|w| {
                        week.checked_add_signed(Duration::days(i64::from(w.num_days_from_monday())))
                            .map(|d| d.and_time(time))
                    })
                    .collect()
            }
            Freq::Monthly => {
                let Some(first) = start.date().with_day(1).and_then(|f| {
                    u32::try_from(period * interval)
                        .ok()
                        .and_then(|m| f.checked_add_months(Months::new(m)))
                }) else {
                    break;
                };
                month_days(first, rule, start.day())
                    .into_iter()
                    .map(|d| d.and_time(time))
                    .collect()
            }
        };
        for c in candidates {
            if c < start {
                continue;
            }
            if rule.until.is_some_and(|u| c > u) || c >= to {
                return out;
            }
            if rule.count.is_some_and(|n| produced >= n) {
                return out;
            }
            produced += 1;
            if c >= from && !exdates.contains(&c) {
                out.push(c);
                if out.len() >= MAX_OCCURRENCES {
                    return out;
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn rule(s: &str) -> Rule {
        parse_rule(s, |u| {
            NaiveDateTime::parse_from_str(u, "%Y%m%dT%H%M%S").ok()
        })
        .unwrap()
    }

    fn days(v: &[NaiveDateTime]) -> Vec<String> {
        v.iter()
            .map(|d| d.format("%a %m-%d %H:%M").to_string())
            .collect()
    }

    const FAR: &str = "2030-01-01 00:00";

    #[test]
    fn weekly_with_byday_and_count() {
        let r = rule("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4");
        let got = expand(
            at("2026-11-30 09:00"),
            &r,
            &[],
            at("2000-01-01 00:00"),
            at(FAR),
        );
        assert_eq!(
            days(&got),
            [
                "Mon 11-30 09:00",
                "Wed 12-02 09:00",
                "Mon 12-07 09:00",
                "Wed 12-09 09:00"
            ]
        );
    }

    #[test]
    fn daily_interval_until_and_exdate() {
        let r = rule("FREQ=DAILY;INTERVAL=2;UNTIL=20261207T090000");
        let got = expand(
            at("2026-12-01 09:00"),
            &r,
            &[at("2026-12-03 09:00")],
            at("2000-01-01 00:00"),
            at(FAR),
        );
        assert_eq!(
            days(&got),
            ["Tue 12-01 09:00", "Sat 12-05 09:00", "Mon 12-07 09:00"]
        );
    }

    #[test]
    fn monthly_last_friday_and_month_day() {
        let r = rule("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3");
        let got = expand(
            at("2026-11-27 15:00"),
            &r,
            &[],
            at("2000-01-01 00:00"),
            at(FAR),
        );
        assert_eq!(
            days(&got),
            ["Fri 11-27 15:00", "Fri 12-25 15:00", "Fri 01-29 15:00"]
        );
        // The 31st: months without one are skipped (RFC 5545).
        let r = rule("FREQ=MONTHLY;COUNT=3");
        let got = expand(
            at("2026-10-31 10:00"),
            &r,
            &[],
            at("2000-01-01 00:00"),
            at(FAR),
        );
        assert_eq!(
            days(&got),
            ["Sat 10-31 10:00", "Thu 12-31 10:00", "Sun 01-31 10:00"]
        );
        let r = rule("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=2");
        let got = expand(
            at("2027-01-31 10:00"),
            &r,
            &[],
            at("2000-01-01 00:00"),
            at(FAR),
        );
        assert_eq!(days(&got), ["Sun 01-31 10:00", "Sun 02-28 10:00"]);
    }

    #[test]
    fn the_window_cuts_but_count_counts_from_the_start() {
        let r = rule("FREQ=WEEKLY;COUNT=5");
        let got = expand(
            at("2026-11-02 09:00"),
            &r,
            &[],
            at("2026-11-20 00:00"),
            at("2026-11-28 00:00"),
        );
        assert_eq!(days(&got), ["Mon 11-23 09:00"]);
        let endless = rule("FREQ=DAILY");
        let got = expand(
            at("2026-01-01 09:00"),
            &endless,
            &[],
            at("2026-01-01 00:00"),
            at(FAR),
        );
        assert!(got.len() <= MAX_OCCURRENCES);
    }

    #[test]
    fn odd_rules_are_refused_or_end_instead_of_panicking() {
        let e = |s| parse_rule(s, |_| None).unwrap_err();
        // A multi-byte character where the weekday's two letters would be.
        assert!(e("FREQ=WEEKLY;BYDAY=€").contains("is not a weekday"));
        assert!(e("FREQ=MONTHLY;BYDAY=1€").contains("is not a weekday"));
        assert!(e("FREQ=DAILY;INTERVAL=100000000").contains("from 1 to 1000"));
        // The walk stops at the end of chrono's dates instead of overflowing.
        let last = NaiveDate::MAX.and_hms_opt(9, 0, 0).unwrap();
        for r in [
            "FREQ=DAILY;INTERVAL=1000",
            "FREQ=WEEKLY;INTERVAL=1000",
            "FREQ=MONTHLY",
        ] {
            let got = expand(
                last - Duration::days(3),
                &rule(r),
                &[],
                NaiveDateTime::MIN,
                NaiveDateTime::MAX,
            );
            assert_eq!(got.len(), 1, "{r}");
        }
    }

    #[test]
    fn unsupported_parts_are_named() {
        let e = |s| parse_rule(s, |_| None).unwrap_err();
        assert!(e("FREQ=YEARLY").contains("FREQ=YEARLY is not supported"));
        assert!(e("FREQ=DAILY;BYSETPOS=1").contains("BYSETPOS"));
        assert!(e("FREQ=WEEKLY;BYDAY=1MO").contains("MONTHLY only"));
        assert!(e("COUNT=3").contains("FREQ is missing"));
        assert!(e("FREQ=DAILY;UNTIL=junk").contains("UNTIL=JUNK"));
    }
}
