//! The benchmark notebook: a deterministic generator with the shape of the reference data set
//! (shared/data/README.md) at the S/M/L sizes of DESIGN.md §7, built through the store API and
//! cached under `<target>/bench-data/` so that repeated `cargo bench` runs reuse it.
//!
//! Shape: Pareto(1.6) account weights with account 1 the biggest (a quarter of everything);
//! people, notes, meetings and follow-ups follow the weights; the first person of every account
//! is its economic buyer; meetings and follow-ups spread over ±2 years around the fixed today
//! 2026-11-27, with 3 meetings and 5 open follow-ups on that day at every size and a few
//! overdue; birthdays, links, deals with milestones and obligations, plans and stage history.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{Datelike, FixedOffset, NaiveDate, NaiveTime, TimeDelta, TimeZone, Weekday};
use kamnote::domain::{Extra, Id, Tier, Timestamp};
use kamnote::store::{Store, StoreError};

use crate::text::{Locale, Rng};

mod accounts;
mod activity;

/// Bump when the generated data changes, so that cached notebooks are rebuilt.
const GENERATOR_VERSION: u32 = 3;
/// The fixed "today" of the reference data (a Friday).
pub const TODAY: (i32, u32, u32) = (2026, 11, 27);
/// Everything is entered in Moscow/Istanbul time, as the reference's `--tz +03:00`.
const OFFSET_SECS: i32 = 3 * 3600;

/// A data size of DESIGN.md §7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    S,
    M,
    L,
}

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Size::S => "S",
            Size::M => "M",
            Size::L => "L",
        })
    }
}

impl Size {
    /// S and M; L too when `KAM_BENCH_L=1` (building it takes minutes).
    pub fn enabled() -> Vec<Size> {
        let mut sizes = vec![Size::S, Size::M];
        if std::env::var("KAM_BENCH_L").is_ok_and(|v| v == "1") {
            sizes.push(Size::L);
        }
        sizes
    }

    /// How many accounts the notebook has (uids `a1` to `a<n>`).
    pub fn accounts(self) -> usize {
        self.counts().0
    }

    /// Accounts, people, notes, meetings, follow-ups (meetings : follow-ups = 2 : 3).
    fn counts(self) -> (usize, usize, usize, usize, usize) {
        match self {
            Size::S => (200, 1_000, 5_000, 800, 1_200),
            Size::M => (2_000, 10_000, 100_000, 8_000, 12_000),
            Size::L => (20_000, 100_000, 1_000_000, 80_000, 120_000),
        }
    }
}

/// The fixed today.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(TODAY.0, TODAY.1, TODAY.2).expect("a valid date")
}

/// `day` at `hh:mm` in the data's offset.
pub fn at(day: NaiveDate, hh: u32, mm: u32) -> Timestamp {
    let tz = FixedOffset::east_opt(OFFSET_SECS).expect("a valid offset");
    let time = NaiveTime::from_hms_opt(hh, mm, 0).expect("a valid time of day");
    tz.from_local_datetime(&day.and_time(time))
        .single()
        .expect("a fixed offset has no gaps")
}

/// The path of the cached notebook of `size`, built first if missing.
pub fn notebook(size: Size) -> Result<PathBuf, StoreError> {
    let dir = data_dir();
    let path = dir.join(format!("{size}-v{GENERATOR_VERSION}.db"));
    if path.exists() {
        return Ok(path);
    }
    let temp = dir.join(format!(
        ".{size}-v{GENERATOR_VERSION}.{}.db",
        std::process::id()
    ));
    let started = std::time::Instant::now();
    eprintln!(
        "building the {size} benchmark notebook in {}",
        dir.display()
    );
    let built = Store::open(&temp).and_then(|mut store| build(&mut store, size));
    if let Err(e) = built {
        for suffix in ["", "-wal", "-shm"] {
            let _ = fs::remove_file(format!("{}{suffix}", temp.display()));
        }
        return Err(e);
    }
    // The store is dropped: its connection closed and checkpointed the log into the file.
    fs::rename(&temp, &path).map_err(|e| StoreError::File {
        path: path.clone(),
        message: e.to_string(),
    })?;
    eprintln!("built {} in {:.1?}", path.display(), started.elapsed());
    for old in 1..GENERATOR_VERSION {
        // Notebooks of older generators are never read again.
        for suffix in ["", "-wal", "-shm"] {
            let _ = fs::remove_file(dir.join(format!("{size}-v{old}.db{suffix}")));
        }
    }
    Ok(path)
}

/// `$KAM_BENCH_DATA`, else `bench-data/` in the target directory the benchmark runs from.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("KAM_BENCH_DATA") {
        return PathBuf::from(dir);
    }
    // The benchmark binary lives in <target>/<profile>/deps/.
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
        .join("bench-data")
}

/// A copy of the cached notebook in `dir`, for benchmarks that write.
pub fn copy_of(size: Size, dir: &Path) -> Result<PathBuf, StoreError> {
    let source = notebook(size)?;
    let dest = dir.join("kam.db");
    fs::copy(&source, &dest).map_err(|e| StoreError::File {
        path: dest.clone(),
        message: e.to_string(),
    })?;
    Ok(dest)
}

/// Picks an index with probability proportional to its weight.
struct Weighted {
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(weights: &[f64]) -> Self {
        let mut sum = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                sum += w;
                sum
            })
            .collect();
        Weighted { cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

/// What the generator remembers about an account while it fills the notebook.
struct AccountInfo {
    id: Id,
    locale: Locale,
    tier: Tier,
    people: Vec<Id>,
}

fn extra() -> Extra {
    Extra::new()
}

/// A random day within ±730 days of today, never today, weekends 85 % less likely.
fn spread_day(rng: &mut Rng) -> NaiveDate {
    loop {
        let offset = rng.range(-730, 730);
        if offset == 0 {
            continue;
        }
        let day = today()
            .checked_add_signed(TimeDelta::days(offset))
            .unwrap_or_else(today);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend || rng.chance(0.15) {
            return day;
        }
    }
}

fn time_of_day(rng: &mut Rng) -> (u32, u32) {
    let quarter = u32::try_from(rng.range(8 * 4, 18 * 4)).unwrap_or(36);
    (quarter / 4, (quarter % 4) * 15)
}

/// Account weights: Pareto(1.6) for all but account 1, taken at evenly spaced quantiles (so
/// every run and every size has the same shape, without one wild draw owning the notebook) in
/// shuffled order; account 1 gets a quarter of the total, between the reference's 22 % (S),
/// 32 % (M) and 23 % (L) of sales.
fn weights(rng: &mut Rng, n: usize) -> Vec<f64> {
    let others = n.saturating_sub(1).max(1);
    #[allow(clippy::cast_precision_loss)]
    let mut w: Vec<f64> = (0..others)
        .map(|k| (1.0 - (k as f64 + 0.5) / others as f64).powf(-1.0 / 1.6))
        .collect();
    for i in (1..w.len()).rev() {
        w.swap(i, rng.below(i + 1));
    }
    let rest: f64 = w.iter().sum();
    w.insert(0, rest / 3.0);
    w.truncate(n);
    w
}

/// Builds the whole notebook in one transaction.
fn build(store: &mut Store, size: Size) -> Result<(), StoreError> {
    let mut rng = Rng::new(0x2026_1127 ^ (size as u64 + 1).wrapping_mul(0x9E37_79B9));
    let now = at(today(), 8, 0);
    store.write(now, |w| {
        let mut roster = accounts::accounts(w, &mut rng, size)?;
        let weights = weights(&mut rng, roster.len());
        let by_weight = Weighted::new(&weights);
        accounts::people(w, &mut rng, size, &mut roster, &by_weight)?;
        accounts::links(w, &mut rng, &roster)?;
        activity::deals(w, &mut rng, &roster)?;
        activity::plans_and_stages(w, &mut rng, &roster)?;
        activity::meetings(w, &mut rng, size, &roster, &by_weight)?;
        activity::followups(w, &mut rng, size, &roster, &by_weight)?;
        activity::notes(w, &mut rng, size, &roster, &by_weight)?;
        w.recompute_last_contacts()
    })
}
