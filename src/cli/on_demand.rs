//! [`OnDemand`]: a subcommand whose arguments clap builds only when it is the one run.
//!
//! clap's derive builds every subcommand's arguments, a few hundred across kam's commands,
//! at each start, and drops them all again at exit: 1.7 M instructions of a `kam agenda` (at L,
//! a tenth of the whole process), 0.6 M with `OnDemand`. Wrapped in it, a subcommand keeps its
//! name and its one-line help, and its arguments (or nested subcommands) wait behind clap's
//! [`Command::defer`] until clap builds that subcommand: the one typed, or every one for a help
//! listing. The shell completions ask for all of it at once ([`build_all_at_once`]): clap copies
//! the tree into its own `help` subcommand as it stands when the top command is built.
//!
//! Two things to know when wrapping a type. Its deferred arguments are added after the
//! subcommand's own attributes, so a doc comment on the wrapped type itself would replace the
//! subcommand's help line (document the variant, not the type; a test compares every
//! subcommand's help with and without `OnDemand`). And a command defers one builder: two
//! `OnDemand` flattened into one command would keep only the last. clap's own
//! `#[command(defer)]` is not used because clap_derive 4.6 does not take it on a subcommand
//! variant.

use std::cell::Cell;

use clap::{ArgMatches, Args, Command, FromArgMatches, Subcommand};

thread_local! {
    /// Whether the commands made on this thread build their subcommands at once, as without
    /// [`OnDemand`].
    static AT_ONCE: Cell<bool> = const { Cell::new(false) };
}

/// From now on, every subcommand made on this thread is built at once (for the shell
/// completions).
pub fn build_all_at_once() {
    AT_ONCE.set(true);
}

/// `build` applied to `cmd` now, or when clap builds `cmd`.
fn when_built(cmd: Command, build: fn(Command) -> Command) -> Command {
    if AT_ONCE.get() {
        build(cmd)
    } else {
        cmd.defer(build)
    }
}

/// `T`'s arguments, or `T`'s subcommands, added to its command only when clap builds it.
#[derive(Debug)]
pub struct OnDemand<T>(pub T);

impl<T: FromArgMatches> FromArgMatches for OnDemand<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Self)
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches_mut(matches).map(Self)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for OnDemand<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }

    fn augment_args(cmd: Command) -> Command {
        when_built(cmd, T::augment_args)
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        when_built(cmd, T::augment_args_for_update)
    }
}

impl<T: Subcommand> Subcommand for OnDemand<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        when_built(cmd, T::augment_subcommands)
    }

    fn augment_subcommands_for_update(cmd: Command) -> Command {
        when_built(cmd, T::augment_subcommands_for_update)
    }

    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[derive(Debug, Parser)]
    struct Cli {
        #[arg(long, global = true)]
        db: Option<String>,
        #[command(subcommand)]
        command: Top,
    }

    #[derive(Debug, Subcommand)]
    enum Top {
        /// Shows the day.
        Agenda(OnDemand<DayArgs>),
        /// Meetings.
        #[command(subcommand)]
        Meeting(OnDemand<MeetingCommand>),
    }

    #[derive(Debug, Args)]
    struct DayArgs {
        #[arg(long, short = 'n', default_value_t = 1)]
        days: u32,
    }

    #[derive(Debug, Subcommand)]
    enum MeetingCommand {
        Done { id: String },
    }

    #[test]
    fn arguments_wait_until_their_subcommand_is_built_and_then_parse_as_before() {
        let cmd = Cli::command();
        let agenda = cmd.find_subcommand("agenda").unwrap();
        assert_eq!(agenda.get_arguments().count(), 0, "nothing built yet");
        assert_eq!(agenda.get_about().unwrap().to_string(), "Shows the day");

        let cli = Cli::try_parse_from(["kam", "agenda", "-n", "3", "--db", "x.db"]).unwrap();
        assert!(matches!(
            cli.command,
            Top::Agenda(OnDemand(DayArgs { days: 3 }))
        ));
        assert_eq!(cli.db.as_deref(), Some("x.db"));
        let cli = Cli::try_parse_from(["kam", "meeting", "done", "#i5"]).unwrap();
        assert!(
            matches!(cli.command, Top::Meeting(OnDemand(MeetingCommand::Done { ref id })) if id == "#i5")
        );
        let bad = Cli::try_parse_from(["kam", "agenda", "--dayz", "3"]).unwrap_err();
        assert_eq!(bad.kind(), clap::error::ErrorKind::UnknownArgument);

        let mut all = Cli::command();
        all.build();
        let agenda = all.find_subcommand("agenda").unwrap();
        assert!(agenda.get_arguments().any(|a| a.get_id() == "days"));
        assert!(
            all.find_subcommand("meeting")
                .unwrap()
                .find_subcommand("done")
                .is_some()
        );
        Cli::command().debug_assert();
    }

    /// Each subcommand's name, help texts and arguments, depth first.
    fn outline(cmd: &Command, path: &str, out: &mut Vec<String>) {
        let text = |s: Option<&clap::builder::StyledStr>| s.map(ToString::to_string);
        // In any order: help lists them by their display order, which clap keeps.
        let mut args: Vec<String> = cmd
            .get_arguments()
            .map(|a| a.get_id().to_string())
            .collect();
        args.sort();
        out.push(format!(
            "{path}: {:?} / {:?} / {args:?}",
            text(cmd.get_about()),
            text(cmd.get_long_about())
        ));
        // Not clap's own `help` subcommand: a copy of the tree as it stood when built (`kam
        // help note edit` builds what it shows; the completions test checks the copy).
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            outline(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn kams_commands_read_the_same_built_on_demand_as_built_at_once() {
        use crate::cli::args::Cli as Kam;
        let mut on_demand = Kam::command();
        on_demand.build();
        // This test's own thread: the other tests keep building on demand.
        build_all_at_once();
        let mut at_once = Kam::command();
        at_once.build();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        outline(&on_demand, "kam", &mut a);
        outline(&at_once, "kam", &mut b);
        assert!(a.len() > 90, "{}", a.len());
        for (a, b) in a.iter().zip(&b) {
            assert_eq!(a, b);
        }
        assert_eq!(a.len(), b.len());
    }
}
