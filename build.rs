//! Links `kam` as a fixed-address executable (`-no-pie`, Linux with glibc), unless `KAM_PIE=1`
//! is set at build time.
//!
//! A position-independent `kam` makes the dynamic loader patch ~69,000 pointers (vtables,
//! string tables, OpenSSL's and SQLite's method tables) at every start: 1.7 MB of pages copied
//! on write, ~440 page faults, about a millisecond of each command's 3–10 — and DESIGN.md §7
//! holds `kam agenda` to twice the `sqlite3` CLI running the same query. Linked at a fixed
//! address the pointers are final in the file and nothing is patched. What is given up is the
//! randomised address of the program's own code (the heap, the stack and the shared libraries
//! are still randomised); the code that reads untrusted input (imports, servers' replies) is
//! Rust. A packager who prefers ASLR for the image builds with `KAM_PIE=1`. Only the binaries
//! are affected: the library, tests and benches link as before.

fn main() {
    println!("cargo:rerun-if-env-changed=KAM_PIE");
    println!("cargo:rerun-if-changed=build.rs");
    let pie = std::env::var_os("KAM_PIE").is_some_and(|v| v == "1");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    // glibc only: a musl target links `-static-pie`, which `-no-pie` contradicts.
    let gnu = std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu");
    if linux && gnu && !pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
