//! The iCalendar reader and importer: any bytes parse or fail with an error, and a parsed
//! calendar imports (dry run, rolled back) or fails with an error, never a panic. The first
//! byte's low bit picks a bounded window or an open one (the ends of time, as `--from` or
//! `--to` alone give).
#![no_main]

use std::cell::RefCell;

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use kamnote::interop::{self, ics};
use kamnote::store::Store;
use libfuzzer_sys::fuzz_target;

thread_local! {
    static STORE: RefCell<Store> =
        RefCell::new(Store::open_in_memory().expect("an in-memory notebook"));
}

fuzz_target!(|data: &[u8]| {
    let now = FixedOffset::east_opt(3600)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).single())
        .expect("a fixed moment");
    let (text, _) = interop::contentline::decode_file(data);
    let Ok(cal) = ics::parse(&text) else {
        return;
    };
    let window = if data.first().is_some_and(|b| b & 1 == 1) {
        ics::Window {
            from: DateTime::<Utc>::MIN_UTC,
            to: DateTime::<Utc>::MAX_UTC,
        }
    } else {
        ics::Window {
            from: Utc.with_ymd_and_hms(2026, 8, 1, 0, 0, 0).single().expect("from"),
            to: Utc.with_ymd_and_hms(2027, 11, 27, 0, 0, 0).single().expect("to"),
        }
    };
    STORE.with(|store| {
        let mut store = store.borrow_mut();
        let _ = interop::in_one_transaction(&mut store, now, true, |w| {
            ics::import(w, &cal, window, now.with_timezone(&Utc), &mut |_| {})
        });
    });
});
