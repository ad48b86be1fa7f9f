//! `kam sync [--dry-run]` (issue 13): the calendar, then the address book, each synced with
//! the server named in `[sync]`; the password from `password_cmd` (or `KAM_SYNC_PASSWORD_CMD`),
//! never from a file; progress on stderr when it is a terminal; a summary of what went each way.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::{Command, Stdio};

use super::args::SyncArgs;
use super::output::to_stderr;
use super::{CliError, Ctx};
use crate::sync::{
    CALENDAR, CONTACTS, DavCollection, Login, Protocol, SyncError, SyncSummary, sync_collection,
};
use crate::text::sanitize_line;

/// Overrides `[sync] password_cmd`.
const PASSWORD_CMD: &str = "KAM_SYNC_PASSWORD_CMD";

/// Runs the password command with the shell and takes the first line it prints.
fn password(cmd: &str) -> Result<zeroize::Zeroizing<String>, CliError> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| CliError::usage(format!("cannot run [sync] password_cmd: {e}")))?;
    if !output.status.success() {
        return Err(CliError::usage(format!(
            "[sync] password_cmd failed ({}); nothing was synced",
            output.status
        )));
    }
    let printed = zeroize::Zeroizing::new(output.stdout);
    let text = std::str::from_utf8(&printed)
        .map_err(|_| CliError::usage("[sync] password_cmd printed something that is not UTF-8"))?;
    Ok(zeroize::Zeroizing::new(
        text.lines().next().unwrap_or("").to_string(),
    ))
}

fn login(ctx: &Ctx) -> Result<Option<Login>, CliError> {
    let s = &ctx.config.sync;
    let Some(username) = s.username.clone().filter(|u| !u.trim().is_empty()) else {
        return Ok(None);
    };
    let cmd = std::env::var(PASSWORD_CMD)
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| s.password_cmd.clone())
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| {
            CliError::usage(format!(
                "[sync] username is set but no password_cmd: give a command that prints the \
                 password, e.g. password_cmd = \"pass show dav\" (or set {PASSWORD_CMD})"
            ))
        })?;
    Ok(Some(Login {
        username,
        password: password(&cmd)?,
    }))
}

fn sync_error(e: SyncError, done: &SyncSummary) -> CliError {
    let mut message = e.to_string();
    if !done.is_quiet() {
        let _ = write!(
            message,
            " — stopped after {} sent and {} taken from the server, each recorded; run kam sync again to finish",
            done.sent_new + done.sent_changed + done.sent_deleted,
            done.received.len()
        );
    }
    match e {
        SyncError::Ops(o) => o.into(),
        SyncError::Store(s) => s.into(),
        _ => CliError::runtime(message),
    }
}

/// `kam sync`.
pub fn run(ctx: &mut Ctx, args: &SyncArgs) -> Result<(), CliError> {
    let settings = ctx.config.sync.clone();
    if settings.calendar.is_none() && settings.contacts.is_none() {
        return Err(CliError::usage(
            "nothing to sync with: set [sync] calendar (a CalDAV collection) and/or contacts \
             (a CardDAV address book) in the config, e.g.\n[sync]\n\
             calendar = \"https://dav.example.org/kam/calendar/\"\n\
             contacts = \"https://dav.example.org/kam/contacts/\"\nusername = \"kam\"\n\
             password_cmd = \"pass show dav\"",
        ));
    }
    let options = crate::interop::ics::EventOptions {
        alarm_minutes: settings.alarm_minutes().map_err(CliError::usage)?,
        cadence: ctx.config.cadence,
    };
    let login = login(ctx)?;
    let tty = std::io::stderr().is_terminal();
    let mut total = SyncSummary::default();
    for (name, url, protocol) in [
        (CALENDAR, settings.calendar.as_deref(), Protocol::CalDav),
        (CONTACTS, settings.contacts.as_deref(), Protocol::CardDav),
    ] {
        let Some(url) = url else { continue };
        let remote =
            DavCollection::new(url, login.as_ref(), protocol).map_err(|e| sync_error(e, &total))?;
        let mut progress = |done: usize, all: usize| {
            if tty {
                to_stderr(&format!("\r\x1b[2K{name}: {done}/{all}"));
            }
        };
        let now = ctx.clock.now().fixed_offset();
        let result = sync_collection(
            &mut ctx.store,
            now,
            name,
            &remote,
            args.dry_run,
            &options,
            &mut progress,
        );
        if tty {
            to_stderr("\r\x1b[2K");
        }
        match result {
            Ok(s) => total.absorb(s),
            Err(e) => {
                if !total.is_quiet() {
                    print_summary(ctx, &total, args.dry_run)?;
                }
                return Err(sync_error(e, &total));
            }
        }
    }
    print_summary(ctx, &total, args.dry_run)
}

fn print_summary(ctx: &mut Ctx, s: &SyncSummary, dry_run: bool) -> Result<(), CliError> {
    let out = &mut ctx.out;
    let lead = if dry_run { "Would send" } else { "Sent" };
    out.line(&format!(
        "{lead} to the server: {} new, {} changed, {} deleted",
        s.sent_new, s.sent_changed, s.sent_deleted
    ))?;
    let lead = if dry_run { "Would take" } else { "Taken" };
    out.line(&format!("{lead} from the server: {}", s.received.len()))?;
    for line in &s.received {
        out.line(&format!("  {}", sanitize_line(line)))?;
    }
    if !s.conflicts.is_empty() {
        out.alert(&format!(
            "Changed on both sides ({}; the server's version kept as a note):",
            s.conflicts.len()
        ))?;
        for line in &s.conflicts {
            out.line(&format!("  {}", sanitize_line(line)))?;
        }
    }
    for line in &s.notes {
        out.dim(&format!("  note: {}", sanitize_line(line)))?;
    }
    if dry_run {
        out.line("Dry run: nothing was changed on either side.")?;
    } else if s.is_quiet() {
        out.line("Nothing new either way.")?;
    }
    out.flush()
}
