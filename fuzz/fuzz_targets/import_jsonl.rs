//! The JSON Lines importer: any bytes import or fail with an error, never a panic, into an
//! in-memory notebook; a failed import leaves it empty.
#![no_main]

use chrono::{FixedOffset, TimeZone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut store = kamnote::store::Store::open_in_memory().expect("an in-memory notebook");
    let now = FixedOffset::east_opt(3 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).single())
        .expect("a fixed moment");
    let result = kamnote::interop::jsonl::import(&mut store, data, now, &mut |_| {});
    if result.is_ok() {
        let mut out = Vec::new();
        kamnote::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new())
            .expect("export after import");
    }
});
