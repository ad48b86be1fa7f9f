//! The command line's shape (clap derive): every subcommand and option of DESIGN.md §5.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use super::on_demand::OnDemand;

/// kamnote — a keyboard-driven notebook for Key Account Managers.
///
/// Without a subcommand, shows today's agenda.
#[derive(Debug, Parser)]
#[command(
    name = "kam",
    version,
    about,
    long_about = None,
    max_term_width = 100,
    after_help = "Exit codes: 0 ok · 1 runtime error · 2 usage or input error · 3 saved, but the \
                  confirmation could not be written (a full disk): do not run the command again"
)]
pub struct Cli {
    /// The notebook file (default: the platform data directory, e.g. ~/.local/share/kamnote/kam.db).
    #[arg(long, global = true, env = "KAM_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Pretend it is this moment (RFC 3339, "YYYY-MM-DD HH:MM" or a date, meaning 08:00 then).
    #[arg(long, global = true, env = "KAM_NOW", value_name = "DATETIME")]
    pub now: Option<String>,
    /// The settings file (default: the platform config directory, e.g. ~/.config/kamnote/config.toml).
    #[arg(long, global = true, env = "KAM_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// When to colour the output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// What is on: meetings, follow-ups due and overdue, birthdays, deadlines, who to call.
    Agenda(OnDemand<AgendaArgs>),
    /// The next meeting and its prep; `--short` for a shell prompt or a tmux status line.
    Next(OnDemand<NextArgs>),
    /// Write down what just happened: `kam note acme "Met Iván, tender moved to March"`.
    Note(OnDemand<NoteArgs>),
    /// Plan a meeting, or record how it went.
    #[command(subcommand)]
    Meeting(OnDemand<MeetingCommand>),
    /// Promises and next steps.
    #[command(subcommand, name = "followup", alias = "follow-up")]
    FollowUp(OnDemand<FollowUpCommand>),
    /// Accounts: hospitals, distributors, chains...
    #[command(subcommand)]
    Account(OnDemand<AccountCommand>),
    /// People: VIPs, decision makers, KOLs, contacts.
    #[command(subcommand)]
    Person(OnDemand<PersonCommand>),
    /// Long-term plans for an account or a person: objective, target date, budget and spend.
    #[command(subcommand)]
    Plan(OnDemand<super::plans::PlanCommand>),
    /// What to know before a meeting: `kam prep #i55`, `kam prep acme` (their next meeting).
    Prep(OnDemand<super::prep::PrepArgs>),
    /// Move a person or an account to another stage (recorded with the date and your reason).
    Stage(OnDemand<StageArgs>),
    /// Tie two people in the power map: `kam link "Ana Ruiz" reports-to "Iván"`; `kam link ana`
    /// lists Ana's links; `--remove` unties.
    Link(OnDemand<LinkArgs>),
    /// Deals: opportunities, tenders, listings, contracts and orders, with their obligations.
    #[command(subcommand)]
    Deal(OnDemand<super::deal_args::DealCommand>),
    /// The product catalogue (ours and the competitors'), and where each stands with each
    /// account: `kam product status acme Oncomab listed`; `kam product accounts Oncomab
    /// --status listed`.
    #[command(subcommand)]
    Product(OnDemand<super::products::ProductCommand>),
    /// Objections a person raised about a product (shown in the brief of a meeting with them).
    #[command(subcommand)]
    Objection(OnDemand<super::products::ObjectionCommand>),
    /// Payments clients owe us, by age: not yet due, 0–30, 31–60, 61–90, 90+ days overdue.
    Receivables(OnDemand<super::deal_args::ReceivablesArgs>),
    /// Which accounts make 80 % of our sales, and the tier each one's sales suggest.
    Pareto(OnDemand<super::deal_args::ParetoArgs>),
    /// A Markdown report of the week or month for your manager (with sales against target across
    /// accounts, in `[deals] base_currency` where rates are configured).
    Report(OnDemand<super::deal_args::ReportArgs>),
    /// Transfers of value to healthcare professionals and organisations in a year, one line per
    /// recipient and category, for the annual disclosure: `kam tov 2026 [--person ana] [--csv]`.
    Tov(OnDemand<super::tov::TovArgs>),
    /// Monthly target and actual sales per account: `kam sales add acme 2026-11 --target 120000`.
    #[command(subcommand)]
    Sales(OnDemand<super::sales::SalesCommand>),
    /// Commission earned per month on the payments received, beside the forecast of open deals.
    Commission(OnDemand<super::sales::CommissionArgs>),
    /// Draw an account's power map: the reports-to tree, influence and rivalry, and where each
    /// person stands (role, influence, attitude, stage).
    Map(OnDemand<MapArgs>),
    /// Red flags: no coach, economic buyer never met, single-threaded, opponents, key people
    /// and promises overdue — of one account, or the accounts with the worst flags.
    Flags(OnDemand<FlagsArgs>),
    /// Coverage of the territory: the key people (influence 4–5) by relationship stage, never
    /// seen, loyal or better, cooling — in all and by account.
    Coverage(OnDemand<CoverageArgs>),
    /// Undo the last change made with kam (run again for the one before); refused, with the
    /// reason, when a record it would put back has changed since.
    Undo,
    /// A record's changes, newest first, with what each field was before and after.
    History(OnDemand<HistoryArgs>),
    /// Print any record in full: `kam show #i55` (a note or meeting), `#f9`, `#d3`, a name.
    Show(OnDemand<ShowArgs>),
    /// Archive a person or an account: out of lists, the agenda and flags, kept and restorable.
    Archive {
        /// The person or account (#p7, #a12 or a name).
        target: String,
    },
    /// Bring an archived person or account back.
    Restore {
        /// The person or account (#p7, #a12 or a name).
        target: String,
    },
    /// Check the notebook's integrity (SQLite, foreign keys, search index).
    Check {
        /// Rebuild the search index from the records first (it is derived data: no record
        /// changes), then check.
        #[arg(long)]
        repair: bool,
    },
    /// Encrypt the notebook at rest (SQLCipher, AES-256) with a passphrase: from
    /// KAM_PASSPHRASE_CMD or [privacy] passphrase_cmd (a command that prints it), else typed
    /// twice. From then on every kam command and the TUI ask for it (or run the command).
    Encrypt,
    /// Turn an encrypted notebook back into a plain SQLite file.
    Decrypt,
    /// Give an encrypted notebook a new passphrase (KAM_NEW_PASSPHRASE_CMD, else typed twice).
    Rekey,
    /// Copy the notebook to a file (default: beside it, with the date in the name).
    Backup {
        /// Where to write the copy.
        file: Option<PathBuf>,
    },
    /// Bring records in from a kamnote JSON Lines, vCard, iCalendar or CSV file (all or nothing;
    /// re-import updates).
    Import(OnDemand<ImportArgs>),
    /// Write the notebook out: JSON Lines (everything), vCard, iCalendar, CSV or a Markdown dossier.
    Export(OnDemand<ExportArgs>),
    /// Find anything: `kam search nunez tender`, `kam search '"price list"' account:clinic`.
    Search(OnDemand<SearchArgs>),
    /// Create or refresh the demo notebook (a separate file, never your own) and show its agenda.
    ///
    /// When it exists, refreshing re-dates its demo records to today; records you changed or
    /// added are kept. On a terminal it asks first; scripts say `--reset`.
    Demo {
        /// Where the demo notebook lives (default: demo.db beside your notebook).
        #[arg(long, value_name = "PATH")]
        into: Option<PathBuf>,
        /// Refresh an existing demo notebook without asking (records you changed are kept).
        #[arg(long, visible_alias = "yes", short = 'y')]
        reset: bool,
    },
    /// Erase a person, or an account with its people, for good (GDPR erasure): the record, their
    /// notes, follow-ups, plans, stage history, links, drafts and journal entries; their name
    /// becomes "(erased)" in notes shared with others. Not undoable.
    Forget(OnDemand<ForgetArgs>),
    /// Erase the interactions older than `[privacy] keep_interactions_years` (the retention
    /// set in the config), with their journal entries. Not undoable.
    Prune(OnDemand<PruneArgs>),
    /// Announce the meetings starting (or to leave for) within a window, each once: for cron or
    /// a systemd user timer (`kam remind --within 15m` every minute). Prints a line each and,
    /// where `notify-send` is installed, sends a desktop notification; nothing due, no output.
    Remind(OnDemand<RemindArgs>),
    /// Two-way sync with a CalDAV calendar (meetings, open follow-ups) and a CardDAV address
    /// book (people), as set in [sync] in the config: what changed on the phone comes back as
    /// commands (`kam undo` takes each back); personal notes never leave.
    Sync(OnDemand<SyncArgs>),
    /// Print shell completions.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Args)]
pub struct AgendaArgs {
    /// The first day (date language: today, tomorrow, fri, +3d, 2026-12-01, 01.12.2026).
    #[arg(long, short)]
    pub date: Option<String>,
    /// How many days.
    #[arg(long, short = 'n', default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=366))]
    pub days: u32,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The record: #a12, #p7, #d3, #i55, #f9 or a name.
    pub target: String,
    /// How many changes to list, newest first.
    #[arg(long, short = 'n', default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub limit: u32,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The record: #a12, #p7, #d3, #i55, #f9 or a name.
    pub target: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// How far ahead to look: a meeting starting, or whose time to leave falls, within it.
    #[arg(long, default_value = "15m", value_name = "DURATION")]
    pub within: String,
    /// Print only; no desktop notification.
    #[arg(long)]
    pub no_notify: bool,
}

#[derive(Debug, Clone, Copy, Args)]
pub struct NextArgs {
    /// One line ("10:00 Tender Q1 review · Despacho 3 · in 42 min"), nothing when none is planned.
    #[arg(long, conflicts_with = "json")]
    pub short: bool,
    /// Print the meeting and its prep as JSON (`null` when none is planned).
    #[arg(long)]
    pub json: bool,
    /// For a tmux status line (implies --short): every `#` doubled, so data can never become a
    /// tmux format (`#[fg=red]`, `#{host}`, `#(cmd)`); the line capped at --max-width cells.
    #[arg(long, conflicts_with = "json")]
    pub tmux: bool,
    /// The widest line, in terminal cells (implies --short; default 60 with --tmux).
    #[arg(long, value_name = "N", conflicts_with = "json", value_parser = clap::value_parser!(u16).range(1..))]
    pub max_width: Option<u16>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct NoteArgs {
    /// `kam note edit #i55 ...` changes a note already written.
    #[command(subcommand)]
    pub command: Option<NoteCommand>,
    /// The account or person (#a12, #p7, or a name: "ivan", "nuno pe").
    #[arg(required = true)]
    pub target: Option<String>,
    /// The note; `-` or nothing reads stdin (or opens $EDITOR on a terminal).
    pub text: Vec<String>,
    /// What kind of interaction it records: note (counts as no contact), email or message (a
    /// touch), meeting, visit, call, meal or event (the people of the note were seen).
    #[arg(long, short, default_value = "note")]
    pub kind: String,
    /// A title for the note.
    #[arg(long, short)]
    pub title: Option<String>,
    /// Also set a follow-up: "+3d call about the tender", "fri 10:00 send prices".
    #[arg(long, short = 'f', value_name = "WHEN TEXT")]
    pub follow_up: Option<String>,
    /// When it happened, if not now: "yesterday 18:00", "-2d" (a day alone means its noon).
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// Print the saved record as JSON.
    #[arg(long)]
    pub json: bool,
    /// A product discussed (repeat for several): `--product Oncomab`.
    #[arg(long = "product", value_name = "PRODUCT")]
    pub products: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum NoteCommand {
    /// Change what a note (or any interaction) says, when it was and who took part:
    /// `kam note edit #i55 --text "Met Iván; the tender moves to April" --at "yesterday 18:00"`.
    /// The text replaced stays in `kam history #i55`; `kam undo` brings it back.
    Edit(NoteEditArgs),
}

#[derive(Debug, Args)]
pub struct NoteEditArgs {
    /// The note: #i55 or 55 (`kam show #i55` prints it in full).
    pub id: String,
    /// The new text, replacing the old (`-` reads it from stdin).
    #[arg(long)]
    pub text: Option<String>,
    /// A new title ("" empties it).
    #[arg(long)]
    pub title: Option<String>,
    /// A new outcome ("" empties it).
    #[arg(long)]
    pub outcome: Option<String>,
    /// When it happened: "yesterday 18:00", "-2d" (a day alone means its noon).
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// Someone who took part too (repeat for several).
    #[arg(long = "with", value_name = "PERSON")]
    pub with: Vec<String>,
    /// Someone who did not take part after all (repeat for several).
    #[arg(long = "without", value_name = "PERSON")]
    pub without: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum MeetingCommand {
    /// Plan a meeting: `kam meeting add acme --at "fri 9:30" --for 1h --with ivan`.
    Add(MeetingAddArgs),
    /// Mark a meeting done, with its outcome and the next step.
    Done(MeetingDoneArgs),
    /// Reschedule a planned meeting: `kam meeting move #i55 --to "thu 16:00" [--for 1h]`.
    Move(MeetingMoveArgs),
    /// Cancel a planned meeting (kept in the timeline; not counted as contact).
    Cancel {
        /// The meeting: #i55 or 55.
        id: String,
        /// Why it was cancelled.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Change a meeting's title, place, people, goal or questions (the goal and questions lead
    /// its brief in `kam prep`).
    Edit(MeetingEditArgs),
    /// Record a meeting that already happened, in one step:
    /// `kam meeting log acme --at "yesterday 21:00" --kind meal --with ana --outcome "..."`.
    Log(MeetingLogArgs),
}

#[derive(Debug, Args)]
pub struct MeetingMoveArgs {
    /// The meeting: #i55 or 55.
    pub id: String,
    /// The new start (date language with a time).
    #[arg(long)]
    pub to: String,
    /// A new length: 45m, 1h, 1h30 (default: it keeps its own).
    #[arg(long = "for", value_name = "DURATION")]
    pub duration: Option<String>,
}

#[derive(Debug, Args)]
pub struct MeetingEditArgs {
    /// The meeting: #i55 or 55.
    pub id: String,
    /// A new title ("" empties it).
    #[arg(long)]
    pub title: Option<String>,
    /// A new place ("" empties it).
    #[arg(long = "where", value_name = "PLACE")]
    pub location: Option<String>,
    /// Someone else attending (repeat for several).
    #[arg(long = "with", value_name = "PERSON")]
    pub with: Vec<String>,
    /// Someone no longer attending (repeat for several).
    #[arg(long = "without", value_name = "PERSON")]
    pub without: Vec<String>,
    /// What the meeting is for ("" empties it).
    #[arg(long)]
    pub goal: Option<String>,
    /// A question to ask there (repeat for several; added to those already set).
    #[arg(long = "ask", value_name = "QUESTION")]
    pub asks: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MeetingLogArgs {
    /// The account or person met.
    pub target: String,
    /// When it happened (date language with a time).
    #[arg(long)]
    pub at: String,
    /// How long it lasted: 45m, 1h, 1h30.
    #[arg(long = "for", value_name = "DURATION")]
    pub duration: Option<String>,
    /// visit, call, event, meal or meeting.
    #[arg(long, default_value = "meeting")]
    pub kind: String,
    /// Someone who was there (repeat for several).
    #[arg(long = "with", value_name = "PERSON")]
    pub with: Vec<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long = "where", value_name = "PLACE")]
    pub location: Option<String>,
    /// How it went.
    #[arg(long)]
    pub outcome: String,
    /// The next step: "+3d send the offer".
    #[arg(long, short = 'f', value_name = "WHEN TEXT")]
    pub follow_up: Option<String>,
    /// A product discussed (repeat for several): `--product Oncomab`.
    #[arg(long = "product", value_name = "PRODUCT")]
    pub products: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum FollowUpCommand {
    /// Promise something: `kam followup add ivan --due fri send the price list`.
    Add(FollowUpAddArgs),
    /// Mark a follow-up done (a recurring one comes back at its next date).
    Done {
        /// The follow-up: #f9 or 9.
        id: String,
    },
    /// Move a follow-up to a later date: `kam followup snooze #f9 +1w`.
    Snooze { id: String, when: String },
    /// Change a follow-up's due date, text or plan: `kam followup edit #f9 --due fri`.
    Edit {
        /// The follow-up: #f9 or 9.
        id: String,
        /// A new due date (date language).
        #[arg(long)]
        due: Option<String>,
        /// A new text.
        #[arg(long)]
        text: Option<String>,
        /// Make it a step of this plan (12 or #12; "none" takes it out).
        #[arg(long, value_name = "PLAN")]
        plan: Option<String>,
    },
    /// Open a done or cancelled follow-up again.
    Reopen {
        /// The follow-up: #f9 or 9.
        id: String,
    },
    /// Cancel an open follow-up (no longer wanted; not done).
    Cancel {
        /// The follow-up: #f9 or 9.
        id: String,
    },
    /// Open follow-ups in date order.
    List(FollowUpListArgs),
}

/// Fields of an account that `add` and `edit` set.
#[derive(Debug, Args, Default)]
pub struct AccountFields {
    /// A, B or C.
    #[arg(long)]
    pub tier: Option<String>,
    /// pre-kam, early-kam, mid-kam, partnership-kam, synergistic-kam, uncoupling-kam.
    #[arg(long)]
    pub stage: Option<String>,
    /// hospital, distributor, retail chain, ministry...
    #[arg(long)]
    pub kind: Option<String>,
    #[arg(long)]
    pub territory: Option<String>,
    #[arg(long)]
    pub city: Option<String>,
    /// ISO 3166 code, e.g. ES.
    #[arg(long)]
    pub country: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub website: Option<String>,
    /// What they are: history, size, structure.
    #[arg(long)]
    pub about: Option<String>,
    #[arg(long)]
    pub needs: Option<String>,
    /// Their development plans.
    #[arg(long)]
    pub plans: Option<String>,
    /// Competitors present.
    #[arg(long)]
    pub competitors: Option<String>,
    /// Our annual sales to them.
    #[arg(long, value_parser = super::deal_args::amount_arg)]
    pub sales: Option<f64>,
    /// Their own annual revenue.
    #[arg(long, value_parser = super::deal_args::amount_arg)]
    pub revenue: Option<f64>,
    /// Their postal address.
    #[arg(long)]
    pub address: Option<String>,
    /// ISO 4217 code, e.g. EUR.
    #[arg(long)]
    pub currency: Option<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// How long it takes to get there: 25m, 1h, 1h30. The agenda and `kam next --short` then
    /// show "leave by", and the calendar alarm and `kam remind` come that much earlier.
    #[arg(long, value_name = "DURATION", value_parser = travel_arg)]
    pub travel: Option<u16>,
}

/// `--travel 25m`: whole minutes, at most a day.
fn travel_arg(s: &str) -> Result<u16, String> {
    let d = crate::when::parse_duration(s).map_err(|e| e.to_string())?;
    u16::try_from(d.num_minutes()).map_err(|_| format!("{s}: too long; give e.g. 25m or 1h30"))
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Add an account: `kam account add "Hospital Clínic" --tier A --city Barcelona`.
    Add {
        name: String,
        #[command(flatten)]
        fields: AccountFields,
        #[arg(long)]
        json: bool,
    },
    /// Change an account's fields.
    Edit {
        target: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: AccountFields,
        /// Empty a field: tier, kind, territory, city, country, address, phone, website, about,
        /// needs, plans, competitors, sales, revenue, currency, tags, travel (repeat for several).
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// Merge a duplicate into the account kept: its people, meetings, notes, follow-ups, deals
    /// and plans move over, empty fields are filled, differences listed (undo separates them).
    Merge {
        /// The account to keep.
        keep: String,
        /// The duplicate, deleted once merged.
        other: String,
        /// Only say what would happen.
        #[arg(long)]
        dry_run: bool,
    },
    /// The account's dossier.
    Show {
        target: String,
        #[arg(long)]
        json: bool,
    },
    /// Accounts by name; `--tier A --stage mid-kam --territory Iberia --city Madrid` keep
    /// those (the TUI's list filter reads the same: `tier:A city:madrid`).
    List {
        #[command(flatten)]
        filter: AccountFilterArgs,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long)]
        json: bool,
    },
}

/// Fields of a person that `add` and `edit` set.
#[derive(Debug, Args, Default)]
pub struct PersonFields {
    /// The account they work in.
    #[arg(long)]
    pub account: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// economic-buyer, user-buyer, technical-buyer, coach, gatekeeper, influencer, blocker, other.
    #[arg(long)]
    pub role: Option<String>,
    /// 1 (little) to 5 (decides).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=5))]
    pub influence: Option<u8>,
    /// champion, supporter, neutral, skeptic, opponent.
    #[arg(long)]
    pub attitude: Option<String>,
    /// identified, contacted, acquainted, loyal, close, advocate, cooling, lost.
    #[arg(long)]
    pub stage: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    /// 1984-11-27, or --11-27 without the year.
    #[arg(long, allow_hyphen_values = true)]
    pub birthday: Option<String>,
    /// Family, interests, preferences.
    #[arg(long)]
    pub personal: Option<String>,
    /// Their own stay-in-touch interval in days (replaces the one derived from tier, influence
    /// and stage; `--clear cadence` goes back to it).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub cadence: Option<u32>,
    /// A language they speak, ISO 639-1 (repeat for several).
    #[arg(long = "language")]
    pub languages: Vec<String>,
    /// A tag (repeat for several).
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// How they are addressed before the name: "Dra.", "Prof. Dr.", "Mrs" (a name typed as
    /// "Dra. Carmen Peña" has it moved here by itself).
    #[arg(long)]
    pub salutation: Option<String>,
    /// Their family name, which people sort by ("Peña Olmedo"; when not given: the last word
    /// of the name).
    #[arg(long)]
    pub family_name: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// Add a person: `kam person add "Iván Grigóriev" --account rostov --role economic-buyer`.
    Add {
        name: String,
        #[command(flatten)]
        fields: PersonFields,
        #[arg(long)]
        json: bool,
    },
    /// Change a person's fields.
    Edit {
        target: String,
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        fields: PersonFields,
        /// Empty a field: account, title, role, influence, attitude, phone, email, birthday,
        /// personal, languages, tags, cadence, salutation, family-name (repeat for several).
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
        /// Add a dated line to their personal notes, keeping what is there.
        #[arg(long, value_name = "TEXT", conflicts_with = "personal")]
        append_personal: Option<String>,
    },
    /// Merge a duplicate into the person kept: their meetings, notes, follow-ups, links and
    /// plans move over, empty fields are filled, differences listed (undo separates them).
    Merge {
        /// The person to keep.
        keep: String,
        /// The duplicate, deleted once merged.
        other: String,
        /// Only say what would happen.
        #[arg(long)]
        dry_run: bool,
    },
    /// The person's dossier.
    Show {
        target: String,
        #[arg(long)]
        json: bool,
    },
    /// People by name.
    /// People by name; `--stage loyal --role coach --influence-min 4 --tag kol --territory
    /// Iberia --account acme` keep those (the TUI's list filter: `stage:loyal role:coach`).
    List {
        /// Only the people of this account.
        #[arg(long)]
        account: Option<String>,
        #[command(flatten)]
        filter: PersonFilterArgs,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct StageArgs {
    /// The person, account or deal (#d3).
    pub target: String,
    /// The new stage.
    pub stage: String,
    /// Why it moved (required when a deal is lost).
    #[arg(long, alias = "reason")]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The person the link goes from (alone: list their links).
    pub from: String,
    /// reports-to, influences, ally, rival, friend, family.
    #[arg(requires = "to")]
    pub kind: Option<String>,
    /// The person it goes to.
    pub to: Option<String>,
    /// Why they are tied (shown under the link in the map).
    #[arg(long, conflicts_with = "remove")]
    pub note: Option<String>,
    /// Remove the link instead of adding it.
    #[arg(long, requires = "to")]
    pub remove: bool,
    /// Print the person's links as JSON (with the person alone).
    #[arg(long, conflicts_with = "kind")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    /// The account (#a12 or a name), or a person, for their account.
    pub target: String,
    /// Cells per line (default: the terminal's width, or 80 when not a terminal).
    #[arg(long, value_parser = clap::value_parser!(u16).range(20..=1000))]
    pub width: Option<u16>,
    /// Print the people (nodes) and links (edges) as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file (`-` for stdin).
    pub file: PathBuf,
    /// The file's format: jsonl, vcf, ics or csv (default: from the file's extension, else
    /// jsonl).
    #[arg(long)]
    pub format: Option<String>,
    /// vcf, ics, csv: show what would be added, updated and skipped, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// ics: expand recurring events from this day (date language; default 90 days ago).
    #[arg(long)]
    pub from: Option<String>,
    /// ics: expand recurring events up to this day (default a year ahead).
    #[arg(long)]
    pub to: Option<String>,
    /// csv: what each row is, accounts or people (default: people when a column names a
    /// person, else accounts).
    #[arg(long)]
    pub table: Option<String>,
    /// csv: how a slash date like 1/2/1980 reads when day and month could be swapped: mdy
    /// (month first, as Outlook writes it) or dmy (refused without it).
    #[arg(long)]
    pub date_order: Option<String>,
    /// csv: read a quoted cell that runs over lines looking like rows as one cell (refused
    /// without it: most likely a stray quote that would swallow those rows).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to write: jsonl (the whole notebook), vcf (people), ics (meetings and open
    /// follow-ups), csv (one table) or md (one dossier).
    #[arg(long, default_value = "jsonl")]
    pub format: String,
    /// Write to this file (created 0600) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// md: the account or person whose dossier to write.
    pub target: Option<String>,
    /// csv: accounts, people, interactions, deals or followups.
    #[arg(long)]
    pub table: Option<String>,
    /// csv: begin with a UTF-8 byte order mark (Excel on Windows needs it to see UTF-8).
    #[arg(long)]
    pub bom: bool,
    /// vcf: vCard version 3 (default) or 4.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(3..=4))]
    pub vcard_version: u8,
    /// ics: first day (date language; "this week", "next week", "this month", "next month"
    /// give a whole range).
    #[arg(long)]
    pub from: Option<String>,
    /// ics: last day, included (date language).
    #[arg(long)]
    pub to: Option<String>,
    /// vcf, csv: include people's personal notes (family, hobbies, habits), left out by default.
    #[arg(long)]
    pub include_personal: bool,
    /// ics: the alarm before each planned meeting (before the time to leave when the travel
    /// time is known): 15m, 1h, off. Default: `[sync] alarm` in the config, else 15m.
    #[arg(long, value_name = "DURATION")]
    pub alarm: Option<String>,
    /// Everything the notebook holds about one person (a subject access request): jsonl
    /// (importable) or md (readable by them).
    #[arg(long, value_name = "PERSON")]
    pub about: Option<String>,
}

#[derive(Debug, Args)]
pub struct MeetingAddArgs {
    /// The account or person met.
    pub target: String,
    /// When (date language with a time).
    #[arg(long)]
    pub at: String,
    /// How long: 45m, 1h, 1h30.
    #[arg(long = "for", value_name = "DURATION")]
    pub duration: Option<String>,
    /// Someone attending (repeat for several).
    #[arg(long = "with", value_name = "PERSON")]
    pub with: Vec<String>,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long = "where", value_name = "PLACE")]
    pub location: Option<String>,
    /// meeting, visit, call or event.
    #[arg(long, default_value = "meeting")]
    pub kind: String,
    /// What the meeting is for (leads its brief in `kam prep`).
    #[arg(long)]
    pub goal: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct MeetingDoneArgs {
    /// The meeting: #i55 or 55.
    pub id: String,
    #[arg(long)]
    pub outcome: Option<String>,
    #[arg(long, short = 'f', value_name = "WHEN TEXT")]
    pub follow_up: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FollowUpAddArgs {
    /// The account, person or deal (#d3) it is for.
    pub target: String,
    /// When it is due (date language).
    #[arg(long)]
    pub due: String,
    /// What must happen.
    #[arg(required = true)]
    pub text: Vec<String>,
    /// daily, weekly, monthly, yearly, "every 2 weeks".
    #[arg(long)]
    pub repeat: Option<String>,
    /// 1 (high) to 3 (low).
    #[arg(long, value_parser = clap::value_parser!(u8).range(1..=3))]
    pub priority: Option<u8>,
    /// Make it a step of this plan (12 or #12).
    #[arg(long, value_name = "PLAN")]
    pub plan: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, Args)]
pub struct FollowUpListArgs {
    /// Only those past due.
    #[arg(long)]
    pub overdue: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FlagsArgs {
    /// One account (#a12 or a name); without it, the accounts with the worst red flags.
    pub account: Option<String>,
    /// How many accounts to rank.
    #[arg(long, default_value_t = 10)]
    pub limit: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = "\
Words match accent- and case-insensitively (nunez finds Núñez); every word must match.
  word*            words starting so            \"a phrase\"   those words in a row
  account:NAME     records of that account      person:NAME  records about that person
  kind:K           account, person, interaction, follow-up, deal, plan, or an
                   interaction kind: meeting, visit, call, meal, event, email,
                   message, note
  after:WHEN       on that day or later         before:WHEN  strictly before that day
                   (date language: -30d, yesterday, 2026-01-01, \"next mon\")
Greek and Cyrillic words match with or without their accents (ελενη, елкина); words with CJK
start a match anywhere inside a word (田中 finds 田中さん).")]
pub struct SearchArgs {
    /// What to find (the words are joined with spaces).
    #[arg(required = true)]
    pub query: Vec<String>,
    /// How many records to show, best first.
    #[arg(long, short = 'n', default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub limit: u32,
    /// Print the hits as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ForgetArgs {
    /// The person or account (#p7, #a12 or a name).
    pub target: String,
    /// Erase without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Show what would be erased, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Only wipe: leave no old copy of erased data in the file and its write-ahead log (when
    /// another kam session kept a forget or a prune from finishing that).
    #[arg(long, conflicts_with_all = ["yes", "dry_run"])]
    pub wipe: bool,
    /// Erase without asking (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Show what would be erased, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Show what would go each way, and change nothing on either side.
    #[arg(long)]
    pub dry_run: bool,
}

/// What `kam account list` keeps.
#[derive(Debug, Args, Default)]
pub struct AccountFilterArgs {
    /// Tier: A, B or C.
    #[arg(long)]
    pub tier: Option<String>,
    /// KAM stage: pre-kam, early-kam, mid-kam, partnership-kam, synergistic-kam, uncoupling-kam.
    #[arg(long)]
    pub stage: Option<String>,
    /// The account's territory, as written in it (case-insensitive).
    #[arg(long)]
    pub territory: Option<String>,
    /// The account's city (case-insensitive).
    #[arg(long)]
    pub city: Option<String>,
}

/// What `kam person list` keeps.
#[derive(Debug, Args, Default)]
pub struct PersonFilterArgs {
    /// Relationship stage: identified, contacted, acquainted, loyal, close, advocate, cooling, lost.
    #[arg(long)]
    pub stage: Option<String>,
    /// Buying role: economic-buyer, user-buyer, technical-buyer, coach, gatekeeper, influencer,
    /// blocker, other.
    #[arg(long)]
    pub role: Option<String>,
    /// Influence at least this (1–5).
    #[arg(long = "influence-min", value_name = "N")]
    pub influence_min: Option<u8>,
    /// A tag they carry.
    #[arg(long)]
    pub tag: Option<String>,
    /// Their account's territory (case-insensitive).
    #[arg(long)]
    pub territory: Option<String>,
}

// `kam coverage` (no doc comment: a wrapped type's own text would replace the subcommand's
// one-line help, see `on_demand`).
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// One account (#a12 or a name).
    #[arg(long)]
    pub account: Option<String>,
    /// Accounts of this tier: A, B or C.
    #[arg(long)]
    pub tier: Option<String>,
    /// Accounts of this territory (case-insensitive).
    #[arg(long)]
    pub territory: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}
