//! Where SQLCipher's random bytes come from: the operating system's generator (`getrandom(2)`,
//! through ring's `SystemRandom`), set as OpenSSL's RAND method before the first notebook opens.
//!
//! SQLCipher asks OpenSSL for a few dozen random bytes inside `sqlite3_initialize` (the seed of
//! its private heap's generator and its key shield mask), for a plain notebook too. OpenSSL 3
//! answers the first
//! request by building its DRBG: fetching the method from the provider store, instantiating
//! AES-CTR, seeding it from the kernel — 4.7 M instructions, then 1.6 M more to tear it down at
//! exit, a sixth of a whole `kam agenda` at L. The kernel's generator is what OpenSSL seeds
//! from; reading it directly gives bytes of the same quality (SQLCipher's IVs and salts
//! included) without that set-up. OpenSSL keeps the RAND method API (deprecated in 3.0, still
//! built) exactly for this; the cipher, the HMAC and the key derivation stay OpenSSL's.
#![allow(unsafe_code)] // the one FFI call into OpenSSL, and the callbacks it makes into us

use std::os::raw::{c_int, c_uchar, c_void};
use std::sync::Once;
use std::sync::atomic::{AtomicU64, Ordering};

use ring::rand::SecureRandom;

/// OpenSSL's `RAND_METHOD` (`struct rand_meth_st` in `openssl/rand.h`, unchanged since 1.1).
#[repr(C)]
struct RandMethod {
    seed: Option<unsafe extern "C" fn(*const c_void, c_int) -> c_int>,
    bytes: Option<unsafe extern "C" fn(*mut c_uchar, c_int) -> c_int>,
    cleanup: Option<unsafe extern "C" fn()>,
    add: Option<unsafe extern "C" fn(*const c_void, c_int, f64) -> c_int>,
    pseudorand: Option<unsafe extern "C" fn(*mut c_uchar, c_int) -> c_int>,
    status: Option<unsafe extern "C" fn() -> c_int>,
}

/// The kernel's generator needs no seeding: what a caller offers is accepted and not used.
static SYSTEM: RandMethod = RandMethod {
    seed: Some(ignore_seed),
    bytes: Some(system_bytes),
    cleanup: None,
    add: Some(ignore_added),
    pseudorand: Some(system_bytes),
    status: Some(always_ready),
};

// The libcrypto that SQLCipher links (openssl-sys, vendored) defines it.
unsafe extern "C" {
    fn RAND_set_rand_method(meth: *const RandMethod) -> c_int;
}

/// Requests answered from the kernel since the process started (what the tests read).
static DRAWS: AtomicU64 = AtomicU64::new(0);

/// Makes OpenSSL — so SQLCipher — draw its random bytes from the kernel. Called before any
/// connection opens; idempotent, and harmless later (the next request uses it).
pub fn use_system_entropy() {
    static SET: Once = Once::new();
    SET.call_once(|| {
        // SAFETY: SYSTEM is a 'static, correctly laid out RAND_METHOD whose callbacks never
        // unwind; OpenSSL only keeps the pointer.
        let set = unsafe { RAND_set_rand_method(&raw const SYSTEM) };
        debug_assert_eq!(set, 1, "OpenSSL refused the RAND method");
    });
}

/// Fills `num` bytes at `buf` from the kernel: 1 on success, 0 on failure (OpenSSL's contract;
/// SQLCipher fails the operation that asked, it never goes on with unfilled bytes).
unsafe extern "C" fn system_bytes(buf: *mut c_uchar, num: c_int) -> c_int {
    let Ok(len) = usize::try_from(num) else {
        return 0;
    };
    if len == 0 {
        return 1;
    }
    if buf.is_null() {
        return 0;
    }
    // SAFETY: OpenSSL's callers pass a buffer of `num` writable bytes.
    let out = unsafe { std::slice::from_raw_parts_mut(buf, len) };
    DRAWS.fetch_add(1, Ordering::Relaxed);
    c_int::from(ring::rand::SystemRandom::new().fill(out).is_ok())
}

unsafe extern "C" fn ignore_seed(_buf: *const c_void, _num: c_int) -> c_int {
    1
}

unsafe extern "C" fn ignore_added(_buf: *const c_void, _num: c_int, _entropy: f64) -> c_int {
    1
}

unsafe extern "C" fn always_ready() -> c_int {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_come_from_the_kernel_and_differ_each_time() {
        let (mut a, mut b) = ([0u8; 64], [0u8; 64]);
        // SAFETY: each buffer holds the 64 bytes asked for.
        let (ra, rb) = unsafe {
            (
                system_bytes(a.as_mut_ptr(), 64),
                system_bytes(b.as_mut_ptr(), 64),
            )
        };
        assert_eq!((ra, rb), (1, 1));
        assert_ne!(a, [0u8; 64]);
        assert_ne!(a, b);
    }

    #[test]
    fn a_negative_or_empty_request_is_answered_without_writing() {
        // SAFETY: nothing is written for a zero or negative length.
        unsafe {
            assert_eq!(system_bytes(std::ptr::null_mut(), 0), 1);
            assert_eq!(system_bytes(std::ptr::null_mut(), -1), 0);
            assert_eq!(system_bytes(std::ptr::null_mut(), 8), 0);
        }
    }

    #[test]
    fn an_encrypted_notebook_is_written_and_read_back_with_the_kernels_bytes() {
        use_system_entropy();
        let before = DRAWS.load(Ordering::Relaxed);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.db");
        for _ in 0..2 {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.pragma_update(None, "key", "correct horse").unwrap();
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS t(x); INSERT INTO t VALUES (randomblob(16));",
            )
            .unwrap();
        }
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "key", "correct horse").unwrap();
        let n: i64 = conn
            .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        let raw = std::fs::read(&path).unwrap();
        assert!(
            !raw.starts_with(b"SQLite format 3"),
            "the file is encrypted"
        );
        assert!(
            DRAWS.load(Ordering::Relaxed) > before,
            "SQLCipher's salt and page IVs were drawn through the kernel's generator"
        );
    }
}
