//! `kam import FILE` and `kam export --format F` for the formats of other tools: vCard (vcf),
//! iCalendar (ics), CSV and a Markdown dossier (md). JSON Lines stays in `transfer`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use chrono::{Datelike, Duration, Local, NaiveDate, Utc};

use super::args::{ExportArgs, ImportArgs};
use super::output::count;
use super::transfer::{progress_printer, write_new_file};
use super::{CliError, Ctx};
use crate::interop::{self, ImportError, ImportReport, csv, ics, markdown, vcard};
use crate::store::TargetKind;
use crate::text::sanitize_line;

const IMPORT_FORMATS: &str = "jsonl, vcf, ics or csv";

/// The import format: `--format`, else the file's extension, else jsonl; flags that the
/// format does not take are refused rather than ignored.
pub fn import_format(args: &ImportArgs) -> Result<String, CliError> {
    let format = detect_format(args)?;
    let refuse = |flag: &str, formats: &str| {
        Err(CliError::usage(format!(
            "{flag} is for {formats} files; this one is read as {format}"
        )))
    };
    if args.dry_run && format == "jsonl" {
        return refuse("--dry-run", "vcf, ics and csv");
    }
    if (args.from.is_some() || args.to.is_some()) && format != "ics" {
        return refuse("--from/--to", "ics");
    }
    if args.table.is_some() && format != "csv" {
        return refuse("--table", "csv");
    }
    if args.date_order.is_some() && format != "csv" {
        return refuse("--date-order", "csv");
    }
    Ok(format)
}

/// Export flags that only one format takes are refused with the others.
pub fn check_export_flags(args: &ExportArgs) -> Result<(), CliError> {
    let format = args.format.to_ascii_lowercase();
    let refuse = |flag: &str, formats: &str| {
        Err(CliError::usage(format!(
            "{flag} is for --format {formats}, not {}",
            sanitize_line(&format)
        )))
    };
    if (args.table.is_some() || args.bom) && format != "csv" {
        return refuse("--table/--bom", "csv");
    }
    if (args.from.is_some() || args.to.is_some()) && !matches!(format.as_str(), "ics" | "ical") {
        return refuse("--from/--to", "ics");
    }
    if args.vcard_version != 3 && !matches!(format.as_str(), "vcf" | "vcard") {
        return refuse("--vcard-version", "vcf");
    }
    if args.alarm.is_some() && !matches!(format.as_str(), "ics" | "ical") {
        return refuse("--alarm", "ics");
    }
    if args.include_personal && !matches!(format.as_str(), "vcf" | "vcard" | "csv") {
        return Err(CliError::usage(
            "--include-personal is for --format vcf or csv; jsonl and md always keep personal notes",
        ));
    }
    if args.about.is_some() && args.target.is_some() {
        return Err(CliError::usage(
            "give the person once: kam export --about ana --format md",
        ));
    }
    if args.target.is_some() && !matches!(format.as_str(), "md" | "markdown") {
        return Err(CliError::usage(
            "a target is for --format md (one dossier); the other formats export everything",
        ));
    }
    Ok(())
}

fn detect_format(args: &ImportArgs) -> Result<String, CliError> {
    if let Some(f) = &args.format {
        return match f.to_ascii_lowercase().as_str() {
            "jsonl" | "json" => Ok("jsonl".into()),
            "vcf" | "vcard" => Ok("vcf".into()),
            "ics" | "ical" | "icalendar" => Ok("ics".into()),
            "csv" => Ok("csv".into()),
            _ => Err(CliError::usage(format!(
                "--format {}: give {IMPORT_FORMATS}",
                sanitize_line(f)
            ))),
        };
    }
    let ext = args
        .file
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    Ok(match ext.as_deref() {
        Some("vcf" | "vcard") => "vcf",
        Some("ics" | "ical" | "ifb") => "ics",
        Some("csv") => "csv",
        _ => "jsonl",
    }
    .into())
}

fn read_input(path: &Path) -> Result<Vec<u8>, CliError> {
    let mut progress = progress_printer(None);
    let result = if path.as_os_str() == "-" {
        interop::read_limited(std::io::stdin().lock(), &mut progress)
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::usage(format!("{}: {e}", path.display())))?;
        if file.metadata()?.is_dir() {
            return Err(CliError::usage(format!(
                "{} is a directory; give a file",
                path.display()
            )));
        }
        interop::read_limited(file, &mut progress)
    };
    result.map_err(|e| import_error(path, e))
}

fn import_error(path: &Path, e: ImportError) -> CliError {
    match e {
        ImportError::Io(e) => CliError::runtime(format!("{}: {e}", path.display())),
        ImportError::Store(e) => CliError::from(e),
        e @ ImportError::Line { .. } => {
            CliError::usage(format!("{}: {e}; nothing was imported", path.display()))
        }
    }
}

/// Shows how many records of `total` are written, on stderr when it is a terminal.
fn record_progress(total: usize) -> impl FnMut(u64) {
    let tty = std::io::stderr().is_terminal() && total >= 2000;
    move |done: u64| {
        if tty {
            super::output::to_stderr(&format!("\rimporting… {done} of {total} records"));
        }
    }
}

fn clear_progress() {
    if std::io::stderr().is_terminal() {
        super::output::to_stderr("\r\x1b[K");
    }
}

/// `kam import FILE` for vcf, ics and csv.
pub fn import(ctx: &mut Ctx, args: &ImportArgs, format: &str) -> Result<(), CliError> {
    let path = args.file.as_path();
    let bytes = read_input(path)?;
    let (text, latin1) = interop::contentline::decode_file(&bytes);
    drop(bytes);
    let now = ctx.clock.now().fixed_offset();
    // CSV: the rows read, set against the records written in the report.
    let mut rows_read = None;
    let report = match format {
        "vcf" => {
            let cards = vcard::parse(&text).map_err(|e| import_error(path, e))?;
            let mut progress = record_progress(cards.len());
            interop::in_one_transaction(&mut ctx.store, now, args.dry_run, |w| {
                vcard::import(w, &cards, &mut progress)
            })
        }
        "ics" => {
            let cal = ics::parse(&text).map_err(|e| import_error(path, e))?;
            let mut progress = record_progress(cal.events.len());
            let window = ics_import_window(ctx, args)?;
            let now_utc = ctx.clock.now_utc();
            interop::in_one_transaction(&mut ctx.store, now, args.dry_run, |w| {
                ics::import(w, &cal, window, now_utc, &mut progress)
            })
        }
        "csv" => {
            let table = match &args.table {
                Some(t) => Some(
                    csv::Table::from_name(t)
                        .filter(|t| t.importable())
                        .ok_or_else(|| {
                            CliError::usage(format!(
                                "--table {}: a CSV import reads accounts or people",
                                sanitize_line(t)
                            ))
                        })?,
                ),
                None => None,
            };
            let order = match &args.date_order {
                Some(o) => Some(csv::DateOrder::from_name(o).ok_or_else(|| {
                    CliError::usage(format!(
                        "--date-order {}: write mdy (month first) or dmy (day first)",
                        sanitize_line(o)
                    ))
                })?),
                None => None,
            };
            let sheet = csv::read(&text, table).map_err(|e| import_error(path, e))?;
            if let (Some(&first), false) = (sheet.suspect_lines.first(), args.force) {
                let lines = sheet
                    .suspect_lines
                    .iter()
                    .map(u64::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                return Err(import_error(
                    path,
                    interop::line_error(
                        first,
                        None,
                        format!(
                            "a quoted cell opens on line {lines} and runs over lines that look \
                             like rows: most likely a stray quote that would swallow them; \
                             remove it, or import with --force to read it as one cell"
                        ),
                    ),
                ));
            }
            rows_read = Some(sheet.rows.len());
            for line in sheet.mapping.describe() {
                ctx.out.line(&line)?;
            }
            ctx.out.flush()?;
            let mut progress = record_progress(sheet.rows.len());
            interop::in_one_transaction(&mut ctx.store, now, args.dry_run, |w| {
                csv::import(w, &sheet, order, &mut progress)
            })
        }
        _ => unreachable_format(format),
    };
    clear_progress();
    let mut report = report.map_err(|e| import_error(path, e))?;
    if latin1 > 0 {
        report.notes.insert(
            0,
            format!(
                "{} not UTF-8: read as Latin-1 (Windows-1252)",
                match latin1 {
                    1 => "1 line was".to_string(),
                    n => format!("{n} lines were"),
                }
            ),
        );
    }
    print_report(ctx, &report, rows_read, args.dry_run)
}

fn unreachable_format(format: &str) -> Result<ImportReport, ImportError> {
    Err(interop::line_error(
        1,
        None,
        format!("--format {format} cannot be imported"),
    ))
}

fn print_report(
    ctx: &mut Ctx,
    report: &ImportReport,
    rows_read: Option<usize>,
    dry_run: bool,
) -> Result<(), CliError> {
    for note in &report.notes {
        ctx.out.dim(&format!("note: {note}"))?;
    }
    if let Some(rows) = rows_read {
        let written: u64 = report.added.values().chain(report.updated.values()).sum();
        ctx.out.line(&format!(
            "{} read, {} {}",
            super::output::count(rows, "row", "rows"),
            super::output::count(
                usize::try_from(written).unwrap_or(usize::MAX),
                "record",
                "records"
            ),
            if dry_run {
                "would be written"
            } else {
                "written"
            }
        ))?;
    }
    if dry_run {
        ctx.out.line(&format!(
            "Dry run, nothing written: would have {}",
            report.describe()
        ))?;
    } else {
        ctx.out.line(&format!("Imported: {}", report.describe()))?;
    }
    ctx.out.flush()
}

/// A day range named by words: this/next/last week or month, today, tomorrow.
fn named_range(input: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let first = today.with_day(1)?;
    let month_end = |first: NaiveDate| {
        Some(first.checked_add_months(chrono::Months::new(1))? - Duration::days(1))
    };
    let words: Vec<String> = input.split_whitespace().map(str::to_lowercase).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    Some(match words.as_slice() {
        ["this", "week"] => (monday, monday + Duration::days(6)),
        ["next", "week"] => (monday + Duration::days(7), monday + Duration::days(13)),
        ["last", "week"] => (monday - Duration::days(7), monday - Duration::days(1)),
        ["this", "month"] => (first, month_end(first)?),
        ["next", "month"] => {
            let next = first.checked_add_months(chrono::Months::new(1))?;
            (next, month_end(next)?)
        }
        ["last", "month"] => {
            let last = first.checked_sub_months(chrono::Months::new(1))?;
            (last, month_end(last)?)
        }
        _ => return None,
    })
}

fn day_of(ctx: &Ctx, flag: &str, input: &str) -> Result<NaiveDate, CliError> {
    crate::when::parse_when(input, &ctx.clock.now())
        .map(|w| w.date)
        .map_err(|e| CliError::usage(format!("--{flag}: {e}")))
}

/// `--from`/`--to` as an inclusive day range; `None` when neither is given.
fn day_range(
    ctx: &Ctx,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Option<(NaiveDate, NaiveDate)>, CliError> {
    let today = ctx.clock.today();
    let (start, mut end) = match from {
        None => (None, None),
        Some(f) => match named_range(f, today) {
            Some((a, b)) => (Some(a), Some(b)),
            None => (Some(day_of(ctx, "from", f)?), None),
        },
    };
    if let Some(t) = to {
        end = Some(match named_range(t, today) {
            Some((_, b)) => b,
            None => day_of(ctx, "to", t)?,
        });
    }
    match (start, end) {
        (None, None) => Ok(None),
        (s, e) => {
            let s = s.unwrap_or(NaiveDate::MIN);
            let e = e.unwrap_or(NaiveDate::MAX);
            if e < s {
                return Err(CliError::usage(format!(
                    "--to {e} is before --from {s}; give a later --to"
                )));
            }
            Ok(Some((s, e)))
        }
    }
}

/// Unix seconds of local midnight starting `day` (saturating at the ends of time).
fn local_midnight(day: NaiveDate) -> i64 {
    crate::when::start_of_day(&Local, day)
}

/// How far past `--from` (or today, if later) an import with no `--to` expands recurring
/// events: ten years.
const ICS_OPEN_END_DAYS: i64 = 3653;

fn ics_import_window(ctx: &Ctx, args: &ImportArgs) -> Result<ics::OccurrenceWindow, CliError> {
    let today = ctx.clock.today();
    let (from, mut to) = day_range(ctx, args.from.as_deref(), args.to.as_deref())?
        .unwrap_or((today - Duration::days(90), today + Duration::days(365)));
    if to == NaiveDate::MAX {
        // `--from` alone: recurring events are expanded up to a finite horizon.
        to = from.max(today) + Duration::days(ICS_OPEN_END_DAYS);
    }
    let instant = |secs: i64| {
        chrono::DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or(if secs < 0 {
            chrono::DateTime::<Utc>::MIN_UTC
        } else {
            chrono::DateTime::<Utc>::MAX_UTC
        })
    };
    let end = to.succ_opt().map_or(i64::MAX, local_midnight);
    Ok(ics::OccurrenceWindow {
        from: instant(local_midnight(from)),
        to: instant(end),
    })
}

/// The alarm's lead for `--format ics`: `--alarm`, else `[sync] alarm` (15m by default).
fn alarm_option(ctx: &Ctx, flag: Option<&str>) -> Result<Option<u16>, CliError> {
    match flag {
        Some(text) => crate::config::alarm_lead(text).map_err(|e| {
            CliError::usage(format!(
                "--alarm {}: {e}; give a lead such as 15m, 1h or off",
                sanitize_line(text)
            ))
        }),
        None => ctx.config.sync.alarm_minutes().map_err(CliError::usage),
    }
}

/// `kam export --format vcf|ics|csv|md`.
pub fn export(ctx: &mut Ctx, args: &ExportArgs) -> Result<(), CliError> {
    check_export_flags(args)?;
    let format = args.format.to_ascii_lowercase();
    match format.as_str() {
        "vcf" | "vcard" => {
            let version = if args.vcard_version == 4 {
                vcard::Version::V4
            } else {
                vcard::Version::V3
            };
            let store = &ctx.store;
            let include_personal = args.include_personal;
            let n = emit(args, "people.vcf", |w| {
                store
                    .snapshot(|r| vcard::export(r, w, version, include_personal))?
                    .map_err(export_error)
            })?;
            done(ctx, args, &format!("{n} people"))
        }
        "ics" | "ical" => {
            let window = match day_range(ctx, args.from.as_deref(), args.to.as_deref())? {
                Some((a, b)) => ics::CalendarWindow {
                    meetings: (
                        local_midnight(a),
                        b.succ_opt().map_or(i64::MAX, local_midnight),
                    ),
                    followups: (a, b),
                },
                None => ics::CalendarWindow::ALL,
            };
            let now = ctx.clock.now_utc();
            let options = ics::EventOptions {
                alarm_minutes: alarm_option(ctx, args.alarm.as_deref())?,
                cadence: ctx.config.cadence,
            };
            let store = &ctx.store;
            let (events, todos) = emit(args, "calendar.ics", |w| {
                store
                    .snapshot(|r| ics::export(r, w, now, window, &options))?
                    .map_err(export_error)
            })?;
            done(
                ctx,
                args,
                &format!(
                    "{} and {}",
                    count(events, "meeting", "meetings"),
                    count(todos, "follow-up", "follow-ups")
                ),
            )
        }
        "csv" => {
            let table = args
                .table
                .as_deref()
                .and_then(csv::Table::from_name)
                .ok_or_else(|| {
                    CliError::usage(
                        "--format csv needs --table accounts, people, interactions, deals or followups",
                    )
                })?;
            let store = &ctx.store;
            let bom = args.bom;
            let include_personal = args.include_personal;
            let n = emit(args, "table.csv", |w| {
                store
                    .snapshot(|r| csv::export(r, w, table, bom, include_personal))?
                    .map_err(export_error)
            })?;
            done(ctx, args, &count(n, "row", "rows"))
        }
        "md" | "markdown" => export_dossier(ctx, args),
        other => Err(CliError::usage(format!(
            "--format {}: give jsonl, vcf, ics, csv or md",
            sanitize_line(other)
        ))),
    }
}

fn export_error(e: crate::interop::jsonl::ExportError) -> CliError {
    match e {
        crate::interop::jsonl::ExportError::Io(e) => CliError::from(e),
        e @ crate::interop::jsonl::ExportError::Store(_) => CliError::runtime(e.to_string()),
    }
}

/// Writes through `fill` to `-o FILE`, or to stdout when it is not a terminal.
fn emit<T>(
    args: &ExportArgs,
    example: &str,
    fill: impl FnOnce(&mut dyn Write) -> Result<T, CliError>,
) -> Result<T, CliError> {
    if let Some(path) = &args.output {
        return write_new_file(path, |w| fill(w));
    }
    if std::io::stdout().is_terminal() {
        return Err(CliError::usage(format!(
            "kam export --format {} writes for a file or a pipe: add `-o {example}`",
            sanitize_line(&args.format)
        )));
    }
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let value = fill(&mut w)?;
    w.flush()?;
    Ok(value)
}

fn done(ctx: &mut Ctx, args: &ExportArgs, what: &str) -> Result<(), CliError> {
    if let Some(path) = &args.output {
        ctx.out
            .line(&format!("Exported {what} to {}", path.display()))?;
    }
    ctx.out.flush()
}

fn export_dossier(ctx: &mut Ctx, args: &ExportArgs) -> Result<(), CliError> {
    let target = args.target.as_deref().ok_or_else(|| {
        CliError::usage("--format md needs the account or person: kam export --format md ortega")
    })?;
    let reader = ctx.store.reader();
    let t = super::target::resolve(&reader, target, &[TargetKind::Account, TargetKind::Person])?;
    let today = ctx.clock.today();
    let text = match t.kind {
        TargetKind::Person => markdown::dossier::person(&reader, t.id, today)?,
        _ => markdown::dossier::account(&reader, t.id, today)?,
    };
    if let Some(path) = &args.output {
        write_new_file(path, |w| Ok(w.write_all(text.as_bytes())?))?;
        ctx.out.line(&format!(
            "Exported the dossier of {} to {}",
            sanitize_line(&t.name),
            path.display()
        ))?;
    } else if std::io::stdout().is_terminal() {
        ctx.out.text("", &text)?;
    } else {
        let stdout = std::io::stdout();
        let mut w = stdout.lock();
        w.write_all(text.as_bytes())?;
        w.flush()?;
    }
    ctx.out.flush()
}
