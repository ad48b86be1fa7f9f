//! The vCard reader and importer: any bytes parse or fail with an error, and parsed cards
//! import (dry run, rolled back) or fail with an error, never a panic.
#![no_main]

use std::cell::RefCell;

use chrono::{FixedOffset, TimeZone};
use kamnote::interop::{self, vcard};
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
    let Ok(cards) = vcard::parse(&text) else {
        return;
    };
    STORE.with(|store| {
        let mut store = store.borrow_mut();
        let _ = interop::in_one_transaction(&mut store, now, true, |w| {
            vcard::import(w, &cards, &mut |_| {})
        });
    });
});
