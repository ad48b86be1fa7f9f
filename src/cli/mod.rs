//! The `kam` command line: parse, open the notebook, run one small handler per subcommand,
//! print sanitized text for people or exact JSON for scripts, and exit 0 (ok), 1 (runtime
//! error) or 2 (usage or input error). A closed stdout pipe is a clean exit (SIGPIPE stays ignored,
//! as Rust sets it: a write fails with EPIPE); no output failure panics: stderr is written with
//! errors ignored ([`output::to_stderr`]), never with `eprint!`.

mod agenda;
mod args;
mod cleanup;
mod coverage;
mod deal_args;
mod deals;
mod encryption;
mod error;
mod flags;
mod formats;
mod lifecycle;
mod map;
mod next;
mod on_demand;
mod output;
mod paint;
mod plans;
mod prep;
mod privacy;
mod products;
mod records;
mod remind;
mod report;
mod sales;
mod search;
mod show;
mod sync;
mod target;
mod tov;
mod transfer;
mod writing;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use crate::clock::Clock;
use crate::config::{Config, Source};
use crate::store::Store;

pub use args::Cli;
pub use error::CliError;
use output::Out;

/// Everything a handler needs: the notebook, the clock and where to print.
pub struct Ctx {
    pub store: Store,
    pub clock: Clock,
    pub out: Out,
    /// The user's settings (cadence, deal defaults).
    pub config: Config,
}

/// Parses the process arguments and runs; the whole of `main`.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage_error(&e),
    };
    let color = output::stderr_color(cli.color);
    match run(cli) {
        Ok(()) | Err(CliError::BrokenPipe) => ExitCode::SUCCESS,
        Err(e @ CliError::Signal(_)) => ExitCode::from(e.exit_code()),
        Err(e) => {
            let message = crate::text::sanitize(&e.to_string()).into_owned();
            let prefix = if color {
                "\x1b[1;31mkam:\x1b[0m"
            } else {
                "kam:"
            };
            output::to_stderr(&format!("{prefix} {message}\n"));
            ExitCode::from(e.exit_code())
        }
    }
}

/// A clap error: help and version as clap prints them; an error echoes the arguments typed, so
/// it goes through the sanitizer (an argument can hold escape sequences) without clap's colours.
fn usage_error(e: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion)
        || matches!(
            e.kind(),
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        )
    {
        let _ = e.print();
    } else {
        output::to_stderr(&crate::text::sanitize(&e.render().to_string()));
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// The default notebook: `kam.db` in the platform data directory.
pub fn default_db() -> Result<PathBuf, CliError> {
    directories::ProjectDirs::from("", "", "kamnote")
        .map(|d| d.data_dir().join("kam.db"))
        .ok_or_else(|| {
            CliError::runtime("no home directory found; give the notebook with --db PATH")
        })
}

fn run(cli: Cli) -> Result<(), CliError> {
    use args::Command;
    let clock = match &cli.now {
        Some(s) => Clock::parse_fixed(s).map_err(|e| CliError::usage(e.to_string()))?,
        None => Clock::system(),
    };
    let db = match &cli.db {
        Some(p) => p.clone(),
        None => default_db()?,
    };
    let out = Out::stdout(output::use_color(cli.color));
    match cli.command {
        Some(Command::Completions { shell }) => {
            // Generated into memory: clap_complete panics on a closed pipe, `kam` must not.
            let mut script = Vec::new();
            on_demand::build_all_at_once();
            clap_complete::generate(shell, &mut Cli::command(), "kam", &mut script);
            std::io::Write::write_all(&mut std::io::stdout(), &script)?;
            Ok(())
        }
        Some(Command::Demo { into, reset }) => transfer::demo(
            &db,
            transfer::DemoArgs { into, reset },
            clock,
            out,
            cli.color,
            load_config(cli.config)?,
        ),
        Some(Command::Encrypt) => {
            let mut out = out;
            encryption::encrypt(&db, &load_config(cli.config)?, &mut out)
        }
        Some(Command::Decrypt) => {
            let mut out = out;
            encryption::decrypt(&db, &load_config(cli.config)?, &mut out)
        }
        Some(Command::Rekey) => {
            let mut out = out;
            encryption::rekey(&db, &load_config(cli.config)?, &mut out)
        }
        None => {
            let config = load_config(cli.config)?;
            let key = encryption::for_notebook(&db, &config)?;
            open_tui(Store::open_keyed(&db, key)?, clock, cli.color, config)
        }
        command => {
            let config = load_config(cli.config)?;
            let writing = command.as_ref().is_some_and(writes);
            let key = encryption::for_notebook(&db, &config)?;
            let store = if writing {
                Store::open_keyed(&db, key)?
            } else {
                open_existing(&db, cli.db.is_some(), key)?
            };
            if command.as_ref().is_some_and(only_reads) {
                store.use_short_read_cache()?;
            }
            let mut ctx = Ctx {
                store,
                clock,
                out,
                config,
            };
            let before = ctx.store.changes();
            match dispatch(&mut ctx, command) {
                // Saved, then the output failed: say so, or a retry would save it twice.
                Err(CliError::Output(cause)) if writing && ctx.store.changes() > before => {
                    Err(CliError::Saved {
                        what: ctx.out.what_was_saved().unwrap_or("the change").to_string(),
                        cause,
                    })
                }
                result => result,
            }
        }
    }
}

/// Opens the notebook for a command that only reads: a missing file is a usage error that names
/// the path tried and the ways to a notebook, and nothing is created there.
fn open_existing(
    db: &std::path::Path,
    given: bool,
    key: Option<crate::store::Passphrase>,
) -> Result<Store, CliError> {
    match Store::open_existing_keyed(db, key) {
        Err(crate::store::StoreError::NotFound { .. }) if !db.exists() => {
            let default = default_db().map_or_else(
                |_| "the platform data directory".to_string(),
                |p| p.display().to_string(),
            );
            let whence = if given {
                "--db or KAM_DB"
            } else {
                "the default path"
            };
            Err(CliError::usage(format!(
                "no notebook at {} (from {whence}); nothing was created. Check the path \
                 (the default notebook is {default}), add something to start one \
                 (`kam account add NAME`, `kam import FILE`), or try kam on sample data with \
                 `kam demo`",
                db.display()
            )))
        }
        result => Ok(result?),
    }
}

/// Whether `command` only reads, each page about once, and exits: it keeps a small page cache
/// ([`Store::use_short_read_cache`]). Besides the commands that create a missing notebook
/// ([`writes`]), these write to one that exists: an erasure, a retention prune, the reminders
/// announced; and a check reads every index against its table, and may rebuild the search
/// index.
fn only_reads(command: &args::Command) -> bool {
    use args::Command;
    !writes(command)
        && !matches!(
            command,
            Command::Check { .. } | Command::Forget(_) | Command::Prune(_) | Command::Remind(_)
        )
}

/// Whether `command` writes to the notebook, so may create it when it is missing. A command that
/// only reads never creates one: on a mistyped `--db` it must fail, not answer from an empty
/// notebook it has just made. Every variant is listed, so a new command has to choose.
fn writes(command: &args::Command) -> bool {
    use args::{AccountCommand, Command, FollowUpCommand, MeetingCommand, OnDemand, PersonCommand};
    use deal_args::{DealCommand, ObligationCommand};
    use plans::PlanCommand;
    match command {
        Command::Note(_)
        | Command::Stage(_)
        | Command::Import(_)
        | Command::Demo { .. }
        | Command::Undo
        | Command::Encrypt
        | Command::Decrypt
        | Command::Rekey
        | Command::Archive { .. }
        | Command::Restore { .. } => true,
        Command::Meeting(OnDemand(m)) => match m {
            MeetingCommand::Add(_)
            | MeetingCommand::Done(_)
            | MeetingCommand::Move(_)
            | MeetingCommand::Cancel { .. }
            | MeetingCommand::Edit(_)
            | MeetingCommand::Log(_) => true,
        },
        Command::FollowUp(OnDemand(f)) => match f {
            FollowUpCommand::Add(_)
            | FollowUpCommand::Done { .. }
            | FollowUpCommand::Snooze { .. }
            | FollowUpCommand::Edit { .. }
            | FollowUpCommand::Reopen { .. }
            | FollowUpCommand::Cancel { .. } => true,
            FollowUpCommand::List(_) => false,
        },
        Command::Account(OnDemand(a)) => match a {
            AccountCommand::Add { .. } | AccountCommand::Edit { .. } => true,
            // `--dry-run` only shows what would move.
            AccountCommand::Merge { dry_run, .. } => !dry_run,
            AccountCommand::Show { .. } | AccountCommand::List { .. } => false,
        },
        Command::Person(OnDemand(p)) => match p {
            PersonCommand::Add { .. } | PersonCommand::Edit { .. } => true,
            PersonCommand::Merge { dry_run, .. } => !dry_run,
            PersonCommand::Show { .. } | PersonCommand::List { .. } => false,
        },
        Command::Sales(OnDemand(s)) => !matches!(s, crate::cli::sales::SalesCommand::List { .. }),
        Command::Plan(OnDemand(p)) => match p {
            PlanCommand::Add { .. }
            | PlanCommand::Edit { .. }
            | PlanCommand::Spend { .. }
            | PlanCommand::Archive { .. }
            | PlanCommand::Restore { .. } => true,
            PlanCommand::Show { .. } | PlanCommand::List { .. } => false,
        },
        Command::Deal(OnDemand(d)) => match d {
            DealCommand::Add { .. }
            | DealCommand::Edit { .. }
            | DealCommand::Archive { .. }
            | DealCommand::Restore { .. }
            | DealCommand::Person(_)
            | DealCommand::Obligation(
                ObligationCommand::Add { .. } | ObligationCommand::Done { .. },
            ) => true,
            DealCommand::Show { .. } | DealCommand::List(_) | DealCommand::Calendar { .. } => false,
        },
        Command::Sync(OnDemand(a)) => !a.dry_run,
        Command::Product(OnDemand(p)) => matches!(
            p,
            products::ProductCommand::Add { .. } | products::ProductCommand::Status { .. }
        ),
        Command::Objection(OnDemand(o)) => matches!(o, products::ObjectionCommand::Add { .. }),
        // `kam link ana` alone lists Ana's links.
        Command::Link(OnDemand(l)) => l.kind.is_some(),
        Command::Agenda(_)
        | Command::Next(_)
        | Command::Prep(_)
        | Command::Receivables(_)
        | Command::Pareto(_)
        | Command::Report(_)
        | Command::Tov(_)
        | Command::Commission(_)
        | Command::Map(_)
        | Command::Flags(_)
        | Command::Coverage(_)
        | Command::Check { .. }
        | Command::Backup { .. }
        | Command::Export(_)
        | Command::Search(_)
        | Command::History(_)
        | Command::Show(_)
        // Never creates a notebook: there is nothing to erase in a new one.
        | Command::Forget(_)
        | Command::Prune(_)
        // Keeps only its own bookkeeping (what it announced); never creates a notebook.
        | Command::Remind(_)
        | Command::Completions { .. } => false,
    }
}

/// The settings file, or a usage error naming it (a typo in it must not go unnoticed).
fn load_config(given: Option<PathBuf>) -> Result<Config, CliError> {
    Config::load(&Source::resolve(given)).map_err(|e| CliError::usage(e.to_string()))
}

fn dispatch(ctx: &mut Ctx, command: Option<args::Command>) -> Result<(), CliError> {
    use args::{Command, OnDemand};
    match command {
        Some(Command::Agenda(OnDemand(a))) => agenda::run(ctx, &a),
        Some(Command::Next(OnDemand(a))) => next::run(ctx, a),
        Some(Command::Note(OnDemand(a))) => writing::note(ctx, a),
        Some(Command::Meeting(OnDemand(m))) => writing::meeting(ctx, m),
        Some(Command::FollowUp(OnDemand(f))) => writing::followup(ctx, f),
        Some(Command::Account(OnDemand(a))) => records::account(ctx, a),
        Some(Command::Person(OnDemand(p))) => records::person(ctx, p),
        Some(Command::Stage(OnDemand(s))) => records::stage(ctx, &s),
        Some(Command::Link(OnDemand(l))) => map::link(ctx, &l),
        Some(Command::Map(OnDemand(m))) => map::run(ctx, &m),
        Some(Command::Plan(OnDemand(p))) => plans::run(ctx, p),
        Some(Command::Prep(OnDemand(p))) => prep::run(ctx, &p),
        Some(Command::Flags(OnDemand(a))) => flags::run(ctx, &a),
        Some(Command::Coverage(OnDemand(a))) => coverage::run(ctx, &a),
        Some(Command::Deal(OnDemand(d))) => deals::run(ctx, d),
        Some(Command::Product(OnDemand(p))) => products::run(ctx, p),
        Some(Command::Objection(OnDemand(o))) => products::objection(ctx, o),
        Some(Command::Receivables(OnDemand(a))) => report::receivables(ctx, a),
        Some(Command::Pareto(OnDemand(a))) => report::pareto(ctx, a),
        Some(Command::Report(OnDemand(a))) => report::report(ctx, &a),
        Some(Command::Tov(OnDemand(a))) => tov::run(ctx, &a),
        Some(Command::Sales(OnDemand(s))) => sales::run(ctx, s),
        Some(Command::Commission(OnDemand(a))) => sales::commission(ctx, &a),
        Some(Command::Undo) => lifecycle::undo(ctx),
        Some(Command::History(OnDemand(a))) => lifecycle::history(ctx, &a.target, a.limit, a.json),
        Some(Command::Show(OnDemand(a))) => lifecycle::show(ctx, &a.target, a.json),
        Some(Command::Archive { target }) => lifecycle::archive(ctx, &target, false),
        Some(Command::Restore { target }) => lifecycle::archive(ctx, &target, true),
        Some(Command::Check { repair }) => transfer::check(ctx, repair),
        Some(Command::Backup { file }) => transfer::backup(ctx, file),
        Some(Command::Import(OnDemand(a))) => transfer::import(ctx, &a),
        Some(Command::Export(OnDemand(a))) => transfer::export(ctx, &a),
        Some(Command::Search(OnDemand(a))) => search::run(ctx, &a),
        Some(Command::Forget(OnDemand(a))) => privacy::forget(ctx, &a),
        Some(Command::Prune(OnDemand(a))) => privacy::prune(ctx, &a),
        Some(Command::Remind(OnDemand(a))) => remind::run(ctx, &a),
        Some(Command::Sync(OnDemand(a))) => sync::run(ctx, &a),
        // Handled before the notebook is opened.
        None
        | Some(
            Command::Completions { .. }
            | Command::Demo { .. }
            | Command::Encrypt
            | Command::Decrypt
            | Command::Rekey,
        ) => Ok(()),
    }
}

/// The full-screen notebook; without a terminal, a clear error and exit 2.
fn open_tui(
    store: Store,
    clock: Clock,
    color: args::ColorChoice,
    config: Config,
) -> Result<(), CliError> {
    let theme = match color {
        args::ColorChoice::Auto => crate::tui::Theme::from_env(),
        args::ColorChoice::Always => crate::tui::Theme::colored(),
        args::ColorChoice::Never => crate::tui::Theme::plain(),
    };
    let ending = crate::tui::run(store, clock, theme, config).map_err(|e| match e {
        crate::tui::TerminalError::NotATerminal => CliError::usage(e.to_string()),
        crate::tui::TerminalError::Io(_) => CliError::runtime(e.to_string()),
    })?;
    match ending {
        crate::tui::Ending::Quit => Ok(()),
        crate::tui::Ending::Signal(n) => Err(CliError::Signal(u8::try_from(n).unwrap_or(0))),
    }
}
