//! The JSON Lines importer: any bytes import or fail with an error, never a panic, into an
//! in-memory notebook; a successful import is exported again.
//!
//! One notebook is kept across inputs (opening one, schema and all, costs more than most
//! imports), so records of earlier inputs may be updated by later ones: that is the re-import
//! path, fuzzed too. Run a crashing input alone to see whether it needs that history.
#![no_main]

use std::cell::RefCell;

use chrono::{FixedOffset, TimeZone};
use kamnote::store::Store;
use libfuzzer_sys::fuzz_target;

thread_local! {
    static STORE: RefCell<Store> =
        RefCell::new(Store::open_in_memory().expect("an in-memory notebook"));
}

fuzz_target!(|data: &[u8]| {
    let now = FixedOffset::east_opt(3 * 3600)
        .and_then(|tz| tz.with_ymd_and_hms(2026, 11, 27, 8, 0, 0).single())
        .expect("a fixed moment");
    STORE.with(|store| {
        let mut store = store.borrow_mut();
        let result = kamnote::interop::jsonl::import(&mut store, data, now, &mut |_| {});
        if result.is_ok() {
            let mut out = Vec::new();
            kamnote::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new())
                .expect("export after import");
        }
    });
});
