//! The date language: any input parses or gives a typed error, never a panic, at any "now".
#![no_main]

use chrono::{FixedOffset, TimeZone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let now = FixedOffset::east_opt(3 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).single())
        .expect("a fixed moment");
    if let Ok(when) = kamnote::when::parse_when(input, &now) {
        let _ = when.describe(now.date_naive());
    }
    let _ = kamnote::when::split_when_text(input, &now);
    let _ = kamnote::when::parse_when(input, &chrono::Utc.from_utc_datetime(&now.naive_utc()));
});
