//! Writes the benchmark notebook (benches/notebook/fixture.rs: deterministic, the shape of the
//! reference data set) as kamnote JSON Lines, for whole-process figures without any outside data:
//!
//!     cargo run --release --example gen -- --scale M > m.jsonl
//!
//! The notebook is built once and cached where `cargo bench` caches it (`<target>/bench-data/`,
//! or `$KAM_BENCH_DATA`); building takes ~1 s for S, 10–20 s for M and 3–4 min for L.

#![allow(clippy::unwrap_used)] // a generator without its notebook has nothing to write

use std::io::Write as _;
use std::process::ExitCode;

/// The benchmark's own generator, compiled here unchanged.
#[path = "../benches/notebook"]
#[allow(dead_code)]
mod notebook {
    pub mod fixture;
    pub mod text;
}
use notebook::{fixture, text};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["--scale", "S"] => fixture::Size::S,
        ["--scale", "M"] => fixture::Size::M,
        ["--scale", "L"] => fixture::Size::L,
        _ => {
            eprintln!("usage: gen --scale S|M|L   (JSON Lines on stdout)");
            return ExitCode::from(2);
        }
    };
    let path = fixture::notebook(size).unwrap();
    let store = kamnote::store::Store::open(&path).unwrap();
    let mut header = serde_json::Map::new();
    header.insert(
        "generator".into(),
        format!("kamnote examples/gen {size}").into(),
    );
    header.insert("today".into(), fixture::today().to_string().into());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    kamnote::interop::jsonl::export(&store.reader(), &mut out, header).unwrap();
    out.flush().unwrap();
    ExitCode::SUCCESS
}
