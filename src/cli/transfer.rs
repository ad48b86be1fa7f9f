//! Moving whole notebooks: `check`, `backup`, `import`, `export`, and `demo` (a separate
//! notebook filled with a realistic KAM's data, relative to today).

use std::fs::File;
use std::io::{BufReader, IsTerminal, Write};
use std::path::{Path, PathBuf};

use super::args::{AgendaArgs, ExportArgs, ImportArgs};
use super::output::{Out, count};
use super::{CliError, Ctx, agenda};
use crate::clock::Clock;
use crate::interop::jsonl;
use crate::store::Store;

/// `kam check [--repair]`.
pub fn check(ctx: &mut Ctx, repair: bool) -> Result<(), CliError> {
    if repair {
        let now = ctx.clock.now().fixed_offset();
        // A closure: the method path is not general over the writer's lifetime.
        #[allow(clippy::redundant_closure_for_method_calls)]
        let rebuilt = ctx.store.write(now, |w| w.rebuild_search_indexes())?;
        for r in &rebuilt {
            let rows = if r.rows == 1 { "row" } else { "rows" };
            let line = match &r.damage {
                Some(why) => format!(
                    "search index of {}: was damaged ({why}); rebuilt from {} {rows}",
                    r.table, r.rows
                ),
                None => format!(
                    "search index of {}: was sound; rebuilt from {} {rows}",
                    r.table, r.rows
                ),
            };
            ctx.out.line(&line)?;
        }
    }
    let problems = ctx.store.check()?;
    if problems.is_empty() {
        ctx.out
            .line("ok: integrity, foreign keys and search index are sound")?;
        return ctx.out.flush();
    }
    for p in &problems {
        ctx.out.alert(p)?;
    }
    ctx.out.flush()?;
    let index = problems.iter().any(|p| p.starts_with("search index"));
    let other = problems.iter().any(|p| !p.starts_with("search index"));
    let mut advice = Vec::new();
    if index && !repair {
        advice
            .push("the search index is derived from the records: `kam check --repair` rebuilds it");
    }
    if other || repair {
        advice.push("restore from a backup (`kam backup` makes one)");
    }
    let n = problems.len();
    Err(CliError::runtime(format!(
        "{} found; {}",
        count(n, "problem", "problems"),
        advice.join("; ")
    )))
}

/// `kam backup [FILE]`.
pub fn backup(ctx: &mut Ctx, file: Option<PathBuf>) -> Result<(), CliError> {
    let dest = if let Some(f) = file {
        f
    } else {
        let db = ctx
            .store
            .path()
            .ok_or_else(|| CliError::usage("give the backup file"))?;
        let stamp = ctx.clock.now().format("%Y%m%d-%H%M%S");
        let name = db.file_name().and_then(|n| n.to_str()).unwrap_or("kam.db");
        db.with_file_name(format!("{name}.backup-{stamp}"))
    };
    if dest.exists() {
        return Err(CliError::usage(format!(
            "{} exists; give a new file name",
            dest.display()
        )));
    }
    super::cleanup::on_signal_remove_temps_beside(&dest)?;
    ctx.store.backup_to(&dest)?;
    ctx.out
        .line(&format!("Backed up to {} (checked)", dest.display()))?;
    ctx.out.flush()
}

/// Shows import progress on stderr when it is a terminal.
pub(super) fn progress_printer(total: Option<u64>) -> impl FnMut(u64) {
    let tty = std::io::stderr().is_terminal();
    let mut last_shown = 0u64;
    move |bytes: u64| {
        if !tty || bytes < last_shown + (4 << 20) {
            return;
        }
        last_shown = bytes;
        let mb = bytes >> 20;
        match total {
            Some(t) if t > 0 => super::output::to_stderr(&format!(
                "\rimporting… {:>3}% ({mb} MiB)",
                bytes.saturating_mul(100) / t
            )),
            _ => super::output::to_stderr(&format!("\rimporting… {mb} MiB")),
        }
    }
}

/// Skips a UTF-8 byte order mark at the start of `input`: Windows editors write one, and it is
/// no part of the first line.
fn skip_bom(input: &mut impl std::io::BufRead) -> Result<(), CliError> {
    const BOM: &[u8] = b"\xef\xbb\xbf";
    // Up to three reads: a pipe may hand over the first bytes one at a time.
    let mut seen = 0;
    while seen < BOM.len() {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        let n = buf.len().min(BOM.len() - seen);
        if buf[..n] != BOM[seen..seen + n] {
            if seen > 0 {
                return Err(CliError::usage(
                    "the file starts with part of a byte order mark; it is not UTF-8 text",
                ));
            }
            return Ok(());
        }
        input.consume(n);
        seen += n;
    }
    Ok(())
}

/// `kam import FILE`.
pub fn import(ctx: &mut Ctx, args: &ImportArgs) -> Result<(), CliError> {
    let format = super::formats::import_format(args)?;
    if format != "jsonl" {
        return super::formats::import(ctx, args, &format);
    }
    let now = ctx.clock.now().fixed_offset();
    let summary = if args.file.as_os_str() == "-" {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        skip_bom(&mut input)?;
        jsonl::import(&mut ctx.store, input, now, &mut progress_printer(None))
    } else {
        let file = File::open(&args.file)
            .map_err(|e| CliError::usage(format!("{}: {e}", args.file.display())))?;
        let meta = file.metadata()?;
        if meta.is_dir() {
            return Err(CliError::usage(format!(
                "{} is a directory; give a .jsonl file",
                args.file.display()
            )));
        }
        let total = Some(meta.len());
        let mut input = BufReader::with_capacity(1 << 20, file);
        skip_bom(&mut input)?;
        jsonl::import(&mut ctx.store, input, now, &mut progress_printer(total))
    };
    if std::io::stderr().is_terminal() {
        super::output::to_stderr("\r\x1b[K");
    }
    let summary = summary.map_err(|e| match e {
        jsonl::ImportError::Io(e) => CliError::runtime(format!("{}: {e}", args.file.display())),
        jsonl::ImportError::Store(e) => CliError::from(e),
        e @ jsonl::ImportError::Line { .. } => CliError::usage(format!(
            "{}: {e}; nothing was imported",
            args.file.display()
        )),
    })?;
    let describe = |m: &std::collections::BTreeMap<&'static str, u64>| {
        if m.is_empty() {
            "nothing".to_string()
        } else {
            m.iter()
                .map(|(k, v)| crate::text::count_kind(*v, k))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    ctx.out.line(&format!(
        "Imported {}: added {}; updated {}",
        count(summary.lines, "line", "lines"),
        describe(&summary.added),
        describe(&summary.updated)
    ))?;
    ctx.out.flush()
}

/// `kam export [-o FILE]`.
pub fn export(ctx: &mut Ctx, args: &ExportArgs) -> Result<(), CliError> {
    super::formats::check_export_flags(args)?;
    if let Some(who) = &args.about {
        return super::privacy::export_about(ctx, args, who);
    }
    if args.format != "jsonl" {
        return super::formats::export(ctx, args);
    }
    let mut header = serde_json::Map::new();
    header.insert(
        "exported_at".into(),
        ctx.clock
            .now()
            .fixed_offset()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
            .into(),
    );
    let store = &ctx.store;
    let export_error = |e: jsonl::ExportError| match e {
        jsonl::ExportError::Io(e) => CliError::from(e),
        e @ jsonl::ExportError::Store(_) => CliError::runtime(e.to_string()),
    };
    if let Some(path) = &args.output {
        let records = write_new_file(path, |w| {
            store
                .snapshot(|r| jsonl::export(r, w, header))?
                .map_err(export_error)
        })?
        .records;
        ctx.out.line(&format!(
            "Exported {} to {}",
            count(records, "record", "records"),
            path.display()
        ))?;
    } else {
        if std::io::stdout().is_terminal() {
            return Err(CliError::usage(
                "kam export writes JSON Lines for a file or a pipe: `kam export -o notebook.jsonl`",
            ));
        }
        let stdout = std::io::stdout();
        let mut w = std::io::BufWriter::new(stdout.lock());
        store
            .snapshot(|r| jsonl::export(r, &mut w, header))?
            .map_err(export_error)?;
        w.flush()?;
    }
    ctx.out.flush()
}

/// Where the demo notebook lives: `demo.db` beside the user's notebook, unless `--into`.
fn demo_path(db: &Path, into: Option<PathBuf>) -> PathBuf {
    into.unwrap_or_else(|| db.with_file_name("demo.db"))
}

/// The options of `kam demo`.
pub struct DemoArgs {
    pub into: Option<PathBuf>,
    /// Refresh an existing demo notebook without asking.
    pub reset: bool,
}

/// The record types whose lines carry `updated_at` (FORMAT.md): a refresh writes them with the
/// day's seed stamp.
const STAMPED: [&str; 5] = ["account", "person", "interaction", "followup", "deal"];

/// The `updated_at` every demo record is written with: midnight UTC of the day it was made.
fn seed_stamp(today: chrono::NaiveDate) -> String {
    format!("{}T00:00:00Z", today.format("%Y-%m-%d"))
}

/// The demo's own records in a demo notebook: those the user left alone, and those the user
/// changed — edited (its `version` went past the 1 the demo writes; every table the demo writes
/// has one, and every edit that changes something bumps it), or touched by a journaled change
/// (an edit, or a delete: a record the user removed is not brought back).
struct DemoRecords {
    untouched: usize,
    changed: std::collections::HashSet<String>,
    /// Every demo uid the notebook holds now.
    present: std::collections::HashSet<String>,
}

fn demo_records(store: &Store, today: chrono::NaiveDate) -> Result<DemoRecords, CliError> {
    let (versions, journaled, months_of_yours) = store.snapshot(|r| {
        Ok::<_, crate::store::StoreError>((
            r.versions_with_uid_prefix("demo-")?,
            r.journaled_uids_with_prefix("demo-")?,
            months_written_by_you(r, today)?,
        ))
    })??;
    // A month the user wrote themselves (`kam sales set`) holds the demo's month for that
    // account: the refresh leaves it, as it leaves every record the user changed.
    let mut changed = journaled;
    changed.extend(months_of_yours);
    let mut untouched = 0;
    let present = versions.iter().map(|(uid, _)| uid.clone()).collect();
    for (uid, version) in versions {
        if version > 1 {
            changed.insert(uid);
        } else if !changed.contains(&uid) {
            untouched += 1;
        }
    }
    Ok(DemoRecords {
        untouched,
        changed,
        present,
    })
}

/// The demo's months of sales (as of `today`) that a month of the user's own holds: another
/// uid for the same account, month and currency, with other figures. A month with the demo's
/// very figures is one an older kamnote's demo wrote under a uid of its own: the refresh takes
/// it over.
fn months_written_by_you(
    r: &crate::store::Reader<'_>,
    today: chrono::NaiveDate,
) -> Result<Vec<String>, crate::store::StoreError> {
    let demo: std::collections::HashMap<String, crate::demo::DemoMonth> =
        crate::demo::demo_sales(today)
            .into_iter()
            .map(|m| (crate::demo::sales_uid(&m.account, &m.month), m))
            .collect();
    let mut taken = Vec::new();
    for entry in r.all_month_sales()? {
        let Some(account) = r.uid_of(crate::store::UidTable::Accounts, entry.sales.account)? else {
            continue;
        };
        let uid = crate::demo::sales_uid(&account, &entry.sales.month);
        let Some(ours) = demo.get(&uid) else {
            continue;
        };
        let demos_own = entry.sales.target == Some(ours.target)
            && (entry.sales.actual == ours.actual || entry.sales.actual.is_none());
        if entry.uid != uid && ours.currency == entry.sales.currency && !demos_own {
            taken.push(uid);
        }
    }
    Ok(taken)
}

/// The demo's lines for a refresh: those of the records the user changed left out, the rest
/// stamped with the day's seed; and the uids written.
fn refresh_lines(
    today: chrono::NaiveDate,
    offset: chrono::FixedOffset,
    changed: &std::collections::HashSet<String>,
    present: &std::collections::HashSet<String>,
) -> (Vec<String>, Vec<String>) {
    let seed = serde_json::Value::from(seed_stamp(today));
    let mut written: Vec<String> = Vec::new();
    let lines: Vec<String> = crate::demo::demo_lines(today, offset)
        .into_iter()
        .enumerate()
        .filter_map(|(n, line)| {
            if n == 0 {
                return Some(line);
            }
            let mut v: serde_json::Value = serde_json::from_str(&line).ok()?;
            // A month of sales of a demo account the user deleted (or merged away) has no
            // account to go to: left out, not a refresh that fails.
            if v["type"] == "sales"
                && v["account"]
                    .as_str()
                    .is_some_and(|a| !present.contains(a) && !written.iter().any(|w| w == a))
            {
                return None;
            }
            if let Some(uid) = v["uid"].as_str() {
                if changed.contains(uid) {
                    return None;
                }
                written.push(uid.to_string());
            }
            if v["type"].as_str().is_some_and(|t| STAMPED.contains(&t)) {
                if let Some(map) = v.as_object_mut() {
                    map.insert("updated_at".into(), seed.clone());
                }
            }
            Some(v.to_string())
        })
        .collect();
    (lines, written)
}

/// Asks on the terminal whether to refresh; anything but y/yes is no.
fn confirm(question: &str) -> bool {
    super::output::to_stderr(&format!("{question} [y/N] "));
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

/// `kam demo`: creates the demo notebook, or refreshes it (asking first on a terminal, with
/// `--reset` from a script), then shows its agenda. A refresh re-dates the demo's own records to
/// today and never touches a record the user changed or added.
pub fn demo(
    db: &Path,
    args: DemoArgs,
    clock: Clock,
    out: Out,
    color: super::args::ColorChoice,
    config: crate::config::Config,
) -> Result<(), CliError> {
    let path = demo_path(db, args.into);
    if path == db || (path.exists() && db.exists() && same_file(&path, db)) {
        return Err(CliError::usage(format!(
            "{} is your notebook; the demo never writes into it — choose another --into",
            path.display()
        )));
    }
    // An encrypted demo (the walk-through of issue 15.4) is opened with its passphrase.
    let key = super::encryption::for_notebook(&path, &config)?;
    let mut store = Store::open_keyed(&path, key)?;
    // The path as the messages show it: a file name can hold control characters.
    let shown = crate::text::sanitize_line(&path.display().to_string()).into_owned();
    let now = clock.now();
    let today = now.date_naive();
    let DemoRecords {
        untouched,
        changed,
        present,
    } = demo_records(&store, today)?;
    let refresh = untouched + changed.len() == 0 || {
        let what = format!(
            "{} exists: refreshing re-dates its {} to today; {} you changed and everything you \
             added stay as they are.",
            shown,
            super::output::count(untouched, "demo record", "demo records"),
            super::output::count(changed.len(), "record", "records"),
        );
        if args.reset {
            super::output::to_stderr(&format!("{what}\n"));
            true
        } else if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
            confirm(&format!("{what}\nRefresh it?"))
        } else {
            super::output::to_stderr(&format!(
                "{what}\nNot refreshed: `kam demo --reset` refreshes it.\n"
            ));
            false
        }
    };
    if refresh {
        let (lines, written) =
            refresh_lines(today, *now.fixed_offset().offset(), &changed, &present);
        let text = lines.join("\n");
        jsonl::import(&mut store, text.as_bytes(), now.fixed_offset(), &mut |_| {})
            .map_err(|e| CliError::runtime(format!("the demo data did not load: {e}")))?;
        // The refresh bumped the version of every record it rewrote: back to 1, so that the
        // next refresh still tells them from the user's edits.
        store.write(now.fixed_offset(), |w| w.set_first_version(&written))?;
        if !changed.is_empty() {
            super::output::to_stderr(&format!(
                "Refreshed {}; kept {} you changed.\n",
                shown,
                super::output::count(changed.len(), "record", "records")
            ));
        }
    }
    if crate::tui::has_terminal() {
        return super::open_tui(store, clock, color, config);
    }
    let mut ctx = Ctx {
        store,
        clock,
        out,
        config,
    };
    agenda::run(
        &mut ctx,
        &AgendaArgs {
            date: None,
            days: 1,
            json: false,
        },
    )?;
    ctx.out.line("")?;
    ctx.out.dim(&format!(
        "This is the demo notebook {shown} (not your own, which is untouched). On a terminal, \
         `kam demo` opens it full-screen; from a shell: `kam --db {shown} agenda`, `... person show ortega`, `... coverage`."
    ))?;
    ctx.out.flush()
}

fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Writes a new file (0600) through `fill`, whole or not at all: the data goes to a temporary
/// file beside it (removed on a terminating signal, or by the next run after a kill), is synced,
/// and only then takes the name — which must not exist yet.
pub(super) fn write_new_file<T>(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<File>) -> Result<T, CliError>,
) -> Result<T, CliError> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.exists() {
        return Err(CliError::usage(format!(
            "{} exists; give a new file name",
            path.display()
        )));
    }
    crate::store::remove_stale_temps(path);
    super::cleanup::on_signal_remove_temps_beside(path)?;
    let temp = crate::store::temp_path(path);
    let out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temp)
        .map_err(|e| super::error::write_error(path, &e))?;
    let mut w = std::io::BufWriter::new(out);
    let result = fill(&mut w).and_then(|value| {
        w.flush()?;
        w.get_ref().sync_all()?;
        crate::store::test_pause("before-rename");
        crate::store::place_new_file(&temp, path)
            .map_err(|e| super::error::write_error(path, &e))?;
        Ok(value)
    });
    let _ = std::fs::remove_file(&temp);
    result
}
