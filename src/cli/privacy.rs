//! Privacy on the command line (issue 15): `kam forget` (erasure), `kam prune` (retention) and
//! `kam export --about` (subject access). Erasing asks first on a terminal, needs `--yes`
//! otherwise, shows everything it takes with `--dry-run`, and names the backups beside the
//! notebook that still hold what it erased.

use std::io::{IsTerminal, Write};

use super::args::{ExportArgs, ForgetArgs, PruneArgs};
use super::output::to_stderr;
use super::target::resolve;
use super::transfer::write_new_file;
use super::{CliError, Ctx};
use crate::domain::Id;
use crate::interop::{jsonl, subject};
use crate::ops::{self, Command, Forgettable, Prune};
use crate::store::{Erasure, TargetKind, Wiped, backup_holds, backups_beside};
use crate::text::sanitize_line;

/// Asks on the terminal; anything but y/yes is no. Off a terminal, `--yes` is needed.
fn confirmed(command: &str, question: &str) -> Result<bool, CliError> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(CliError::usage(format!(
            "{command} asks before erasing, and stdin is not a terminal: add --yes to erase \
             (or --dry-run to see what it would erase)"
        )));
    }
    to_stderr(&format!("{question} [y/N] "));
    let mut answer = String::new();
    Ok(std::io::stdin().read_line(&mut answer).is_ok()
        && matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// `kam forget PERSON|ACCOUNT [--yes] [--dry-run]`.
pub fn forget(ctx: &mut Ctx, args: &ForgetArgs) -> Result<(), CliError> {
    let reader = ctx.store.reader();
    let t = resolve(
        &reader,
        &args.target,
        &[TargetKind::Person, TargetKind::Account],
    )?;
    let (target, table, what) = match t.kind {
        TargetKind::Account => (Forgettable::Account(t.id), "accounts", "account"),
        _ => (Forgettable::Person(t.id), "people", "person"),
    };
    let erasure = target.erasure(&reader)?;
    let name = sanitize_line(&t.name).into_owned();
    let reference = target.reference();
    let uid = reader.uid_in(table, t.id)?.unwrap_or_default();
    let people = reader.names_of_people(&erasure.people)?;
    // With --yes the listing comes once, as what was erased.
    if args.dry_run || !args.yes {
        let verb = if args.dry_run {
            "would erase"
        } else {
            "erases"
        };
        ctx.out
            .line(&format!("Forgetting {what} {reference} {name} {verb}:"))?;
        for line in ops::listing(&erasure) {
            ctx.out.line(&line)?;
        }
        list_people(ctx, target, &people)?;
        list_backups(ctx, table, &uid, &name)?;
    }
    if args.dry_run {
        ctx.out.line("Dry run: nothing was written.")?;
        return ctx.out.flush();
    }
    ctx.out.flush()?;
    if !args.yes
        && !confirmed(
            "kam forget",
            &format!("Erase {name} for good? This cannot be undone."),
        )?
    {
        ctx.out.line("Nothing was erased.")?;
        return ctx.out.flush();
    }
    run_erasure(ctx, &ops::Forget { target })?;
    if args.yes {
        list_backups(ctx, table, &uid, &name)?;
    }
    ctx.out.flush()
}

/// An account's people, erased with it, and how to keep one.
fn list_people(
    ctx: &mut Ctx,
    target: Forgettable,
    people: &[(Id, String)],
) -> Result<(), CliError> {
    if let Forgettable::Account(_) = target {
        if !people.is_empty() {
            let names: Vec<String> = people
                .iter()
                .map(|(id, n)| format!("#p{id} {}", sanitize_line(n)))
                .collect();
            ctx.out.line(&format!(
                "  its people, erased with it: {}",
                names.join(", ")
            ))?;
            ctx.out.dim(
                "  To keep someone, move them to another account first: \
                 kam person edit #p7 --account OTHER",
            )?;
        }
    }
    Ok(())
}

/// Names the backups beside the notebook that still hold the record with `uid`.
fn list_backups(ctx: &mut Ctx, table: &str, uid: &str, name: &str) -> Result<(), CliError> {
    let Some(db) = ctx.store.path().map(std::path::Path::to_path_buf) else {
        return Ok(());
    };
    let holding: Vec<String> = backups_beside(&db)
        .into_iter()
        .filter(|b| backup_holds(b, table, uid, ctx.store.passphrase()))
        .map(|b| sanitize_line(&b.display().to_string()).into_owned())
        .collect();
    if holding.is_empty() {
        ctx.out.line(&format!(
            "No backup beside the notebook holds {name}; copies made elsewhere (exports, other \
             backups) are not known to kam."
        ))?;
    } else {
        ctx.out.alert(&format!(
            "These backups still hold {name}; forget does not touch them — delete them, or \
             replace them with a new `kam backup` after the erasure:"
        ))?;
        for b in holding {
            ctx.out.line(&format!("  {b}"))?;
        }
    }
    Ok(())
}

/// Runs an erasure, wipes the notebook and says what it did.
fn run_erasure(ctx: &mut Ctx, command: &dyn Command) -> Result<(), CliError> {
    let now = ctx.clock.now().fixed_offset();
    let (outcome, wiped): (ops::Outcome, Wiped) =
        ops::erase_and_wipe(&mut ctx.store, now, command)?;
    ctx.out.saved(format!("the erasure ({})", outcome.message));
    ctx.out.line(&sanitize_line(&outcome.message))?;
    for d in &outcome.details {
        ctx.out.line(&sanitize_line(d))?;
    }
    if !wiped.wal_truncated {
        ctx.out.alert(
            "Another kam session has the notebook open: old copies of what was erased may stay \
             in its write-ahead log until it closes. Close it, then run `kam prune --wipe`.",
        )?;
    }
    ctx.out.flush()
}

/// `kam prune [--dry-run] [--yes]`.
pub fn prune(ctx: &mut Ctx, args: &PruneArgs) -> Result<(), CliError> {
    let now = ctx.clock.now().fixed_offset();
    if args.wipe {
        let wiped = ctx.store.wipe(now)?;
        ctx.out.line(if wiped.wal_truncated {
            "Wiped: no old copy of an erased page is left in the notebook or its log."
        } else {
            "Another kam session still has the notebook open; close it and run this again."
        })?;
        return ctx.out.flush();
    }
    let years = ctx.config.privacy.keep_interactions_years.ok_or_else(|| {
        CliError::usage(
            "kam prune erases interactions older than the retention you set: add \
             `[privacy]` with `keep_interactions_years = 5` (for example) to your config file",
        )
    })?;
    let prune = Prune::years_before(now, years)?;
    let erasure: Erasure = ctx.store.reader().erasure_before(prune.cutoff)?;
    let cutoff = chrono::DateTime::from_timestamp(prune.cutoff, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default();
    if erasure.interactions.is_empty() {
        ctx.out.line(&format!(
            "Nothing to prune: no interaction before {cutoff} ({} kept).",
            crate::text::count_kind(years, "year")
        ))?;
        return ctx.out.flush();
    }
    let verb = if args.dry_run {
        "would erase"
    } else {
        "erases"
    };
    ctx.out.line(&format!(
        "Pruning what is older than {years} years (before {cutoff}) {verb}:"
    ))?;
    for line in ops::listing(&erasure) {
        ctx.out.line(&line)?;
    }
    if args.dry_run {
        ctx.out.line("Dry run: nothing was written.")?;
        return ctx.out.flush();
    }
    ctx.out.flush()?;
    if !args.yes
        && !confirmed(
            "kam prune",
            &format!(
                "Erase {} for good? This cannot be undone.",
                crate::text::count_kind(erasure.interactions.len() as u64, "interaction")
            ),
        )?
    {
        ctx.out.line("Nothing was erased.")?;
        return ctx.out.flush();
    }
    run_erasure(ctx, &prune)
}

/// `kam export --about PERSON [-o FILE] [--format jsonl|md]`.
pub fn export_about(ctx: &mut Ctx, args: &ExportArgs, who: &str) -> Result<(), CliError> {
    let format = args.format.to_ascii_lowercase();
    let markdown = match format.as_str() {
        "jsonl" | "json" => false,
        "md" | "markdown" => true,
        other => {
            return Err(CliError::usage(format!(
                "--about writes jsonl (to import back) or md (to read), not --format {}",
                sanitize_line(other)
            )));
        }
    };
    let reader = ctx.store.reader();
    let t = resolve(&reader, who, &[TargetKind::Person])?;
    let person: Id = t.id;
    let now = ctx.clock.now().fixed_offset();
    let (bytes, records) = ctx
        .store
        .snapshot(|r| -> Result<(Vec<u8>, u64), CliError> {
            let about = r
                .about_person(person)?
                .ok_or_else(|| CliError::usage(format!("#p{person} not found")))?;
            if markdown {
                let text =
                    subject::markdown(r, &about, &t.name, &now.format("%Y-%m-%d").to_string())
                        .map_err(|e| CliError::runtime(e.to_string()))?;
                Ok((text.into_bytes(), 0))
            } else {
                let mut header = serde_json::Map::new();
                header.insert(
                    "exported_at".into(),
                    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
                        .into(),
                );
                header.insert("about".into(), about.uid.clone().into());
                let history: Vec<serde_json::Value> = about
                    .history
                    .iter()
                    .map(|e| {
                        serde_json::json!({
                            "at": e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                            "command": e.command,
                            "summary": e.summary,
                        })
                    })
                    .collect();
                header.insert("history".into(), history.into());
                let mut buf = Vec::new();
                let summary = jsonl::export_about(r, &mut buf, header, &about)
                    .map_err(|e| CliError::runtime(e.to_string()))?;
                Ok((buf, summary.records))
            }
        })??;
    let name = sanitize_line(&t.name).into_owned();
    if let Some(path) = &args.output {
        write_new_file(path, |w| Ok(w.write_all(&bytes)?))?;
        let what = if markdown {
            "Markdown".to_string()
        } else {
            crate::text::count_kind(records, "record")
        };
        ctx.out.line(&format!(
            "Exported what the notebook holds about {name} ({what}) to {}",
            sanitize_line(&path.display().to_string())
        ))?;
        return ctx.out.flush();
    }
    if !markdown && std::io::stdout().is_terminal() {
        return Err(CliError::usage(
            "kam export --about writes JSON Lines for a file or a pipe: add -o FILE, or \
             --format md to read it here",
        ));
    }
    if std::io::stdout().is_terminal() {
        ctx.out
            .text("", &crate::text::sanitize(&String::from_utf8_lossy(&bytes)))?;
        return ctx.out.flush();
    }
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    w.write_all(&bytes)?;
    w.flush()?;
    ctx.out.flush()
}
