//! The shape of `kam deal ...`, `kam receivables`, `kam pareto` and `kam report` (clap derive).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

/// Fields of a deal that `add` and `edit` set.
#[derive(Debug, Args, Default)]
pub struct DealFields {
    /// opportunity, tender, listing, contract or order.
    #[arg(long)]
    pub kind: Option<String>,
    /// What the deal is worth.
    #[arg(long, value_parser = amount_arg)]
    pub value: Option<f64>,
    /// ISO 4217 code, e.g. EUR.
    #[arg(long)]
    pub currency: Option<String>,
    /// Chance of winning, 0 to 100.
    #[arg(long)]
    pub probability: Option<f64>,
    /// Expected close (date language: "+3w", "2027-01-31", "31.01.2027").
    #[arg(long)]
    pub close: Option<String>,
    /// Commission rate in percent (default: [deals] commission_rate of the config).
    #[arg(long)]
    pub commission: Option<f64>,
    /// A dated step: "submission=2027-01-15" (repeat for several; on edit, replaces them all).
    #[arg(long = "milestone", value_name = "NAME=DATE")]
    pub milestones: Vec<String>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum DealCommand {
    /// Add a deal: `kam deal add --account acme --title "Tender 2027" --kind tender --value 250000
    /// --currency EUR --probability 40 --close 2027-03-31 --milestone submission=2027-01-15`.
    Add {
        /// The account.
        #[arg(long)]
        account: String,
        #[arg(long)]
        title: String,
        /// lead, qualified, proposal, negotiation (default lead); won and lost through `kam stage`.
        #[arg(long)]
        stage: Option<String>,
        #[command(flatten)]
        fields: DealFields,
        #[arg(long)]
        json: bool,
    },
    /// Change a deal's fields (its stage moves with `kam stage #d3 negotiation`).
    Edit {
        /// The deal: #d3, 3 or words of its title.
        deal: String,
        #[arg(long)]
        title: Option<String>,
        #[command(flatten)]
        fields: DealFields,
        /// Empty a field: kind, value, currency, probability, close, commission, milestones,
        /// notes (repeat for several).
        #[arg(long, value_name = "FIELD")]
        clear: Vec<String>,
    },
    /// A deal with its stage history, milestones, obligations and expected commission.
    Show {
        deal: String,
        #[arg(long)]
        json: bool,
    },
    /// Deals by stage with totals and probability-weighted totals per currency.
    List(DealListArgs),
    /// Upcoming tender milestones by date (submission, award...).
    Calendar {
        /// The first day (date language; default today).
        #[arg(long, short)]
        date: Option<String>,
        /// How many days.
        #[arg(long, short = 'n', default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3660))]
        days: u32,
        #[arg(long)]
        json: bool,
    },
    /// Dated duties of a contract: deliveries, payments, clauses.
    #[command(subcommand)]
    Obligation(ObligationCommand),
    /// Archive a deal: out of the pipeline, the agenda, the insights and the lists, kept with
    /// its history (`kam deal list --archived` shows them; `kam undo` or `restore` brings it
    /// back).
    Archive {
        /// The deal: #d3, 3 or words of its title.
        deal: String,
    },
    /// Bring an archived deal back.
    Restore {
        /// The deal: #d3, 3 or words of its title.
        deal: String,
    },
    /// The people of a deal and their part in it: `kam deal person add #d3 "Ana Ruiz" --role
    /// decision-maker`.
    #[command(subcommand)]
    Person(DealPersonCommand),
}

#[derive(Debug, Subcommand)]
pub enum DealPersonCommand {
    /// Add a person in a role: spec-author, evaluation-committee, decision-maker, user or
    /// influencer (a second role is a second add).
    Add {
        /// The deal: #d3, 3 or words of its title.
        deal: String,
        /// The person: #p7 or a name.
        person: String,
        /// spec-author, evaluation-committee, decision-maker, user or influencer.
        #[arg(long)]
        role: String,
    },
    /// Take a person out of a deal (one role with --role, else every role they hold in it).
    Remove {
        /// The deal: #d3, 3 or words of its title.
        deal: String,
        /// The person: #p7 or a name.
        person: String,
        #[arg(long)]
        role: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct DealListArgs {
    /// Only this stage (repeat for several).
    #[arg(long = "stage")]
    pub stages: Vec<String>,
    /// Only this account's deals.
    #[arg(long)]
    pub account: Option<String>,
    /// Only this kind: opportunity, tender, listing, contract, order.
    #[arg(long)]
    pub kind: Option<String>,
    /// Only deals expected to close on or before this day (date language).
    #[arg(long, value_name = "DATE")]
    pub closing_before: Option<String>,
    /// Leave out won and lost deals.
    #[arg(long)]
    pub open: bool,
    /// The archived deals instead.
    #[arg(long)]
    pub archived: bool,
    #[arg(long, default_value_t = 1000)]
    pub limit: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ObligationCommand {
    /// Add one: `kam deal obligation add #d2 "Invoice 118" --due 2026-12-15 --party client
    /// --kind payment --amount 105000 --currency EUR`.
    Add {
        /// The deal (contract) it belongs to.
        deal: String,
        /// What must happen.
        text: String,
        /// When (date language).
        #[arg(long)]
        due: String,
        /// us or client.
        #[arg(long)]
        party: String,
        /// delivery, payment or clause.
        #[arg(long)]
        kind: String,
        #[arg(long, value_parser = amount_arg)]
        amount: Option<f64>,
        #[arg(long)]
        currency: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Mark one done (a payment received, a delivery made): `kam deal obligation done 7`.
    Done {
        /// Its number, as `kam deal show` lists it.
        id: String,
    },
}

#[derive(Debug, Clone, Copy, Args)]
pub struct ReceivablesArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, Args)]
pub struct ParetoArgs {
    /// Accounts listed per currency (the tier mismatches are always all listed).
    #[arg(long, default_value_t = 30)]
    pub limit: usize,
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PeriodArg {
    Week,
    Month,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// week (Monday to Sunday) or month.
    #[arg(value_enum)]
    pub period: PeriodArg,
    /// A day in the period (date language; default today).
    #[arg(long, short)]
    pub date: Option<String>,
    /// Write the Markdown to this new file (0600) instead of stdout.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// A money argument, checked as typed (11.12): `--value 1.00000000000000001` is refused in the
/// user's words rather than saved as 1.00.
pub fn amount_arg(typed: &str) -> Result<f64, String> {
    crate::domain::parse_amount("amount", typed).map_err(|e| e.problem)
}
