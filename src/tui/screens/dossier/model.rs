//! What a dossier shows, as loaded by the app (`tui::data`) with the record's version.

use crate::cadence::Standing;
use crate::domain::{Account, Deal, Link, Person, Plan, PlanProgress, StageChange, Timestamp};
use crate::flags::RedFlag;
use crate::store::{FollowUpRow, InteractionRow};

/// A person of an account, with when we last saw them.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonLine {
    pub person: Person,
    pub last_contact: Option<i64>,
}

/// A plan of the account or person, with its progress as of the day it was loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanLine {
    pub plan: Plan,
    pub progress: PlanProgress,
}

/// Everything an account dossier shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountData {
    pub account: Account,
    /// The version read: edits made from this dossier check it.
    pub version: i64,
    /// Unix seconds of the last seen (`crate::domain::contact`).
    pub last_contact: Option<i64>,
    /// Unix seconds of the last touch (a seen or an e-mail, a message).
    pub last_touch: Option<i64>,
    pub people: Vec<PersonLine>,
    pub deals: Vec<Deal>,
    pub plans: Vec<PlanLine>,
    pub followups: Vec<FollowUpRow>,
    pub timeline: Vec<InteractionRow>,
    /// Oldest first.
    pub history: Vec<StageChange>,
    /// The power map of the account's people.
    pub map: Box<crate::power_map::PowerMap>,
    /// Worst first.
    pub red_flags: Vec<RedFlag>,
}

/// Everything a person dossier shows.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonData {
    pub person: Person,
    pub version: i64,
    pub account_name: Option<String>,
    /// Unix seconds of the last seen, and of the last touch (`crate::domain::contact`).
    pub last_contact: Option<i64>,
    pub last_touch: Option<i64>,
    /// Cadence, due and the cooling suggestion.
    pub standing: Standing,
    /// Power-map links with the other person's name, and how many there are in all.
    pub links: Vec<(Link, String)>,
    pub links_total: i64,
    pub plans: Vec<PlanLine>,
    pub followups: Vec<FollowUpRow>,
    pub timeline: Vec<InteractionRow>,
    pub history: Vec<StageChange>,
}

/// A loaded dossier.
#[derive(Debug, Clone, PartialEq)]
pub enum Dossier {
    Account(AccountData),
    Person(PersonData),
}

impl Dossier {
    pub(super) fn timeline(&self) -> &[InteractionRow] {
        match self {
            Dossier::Account(a) => &a.timeline,
            Dossier::Person(p) => &p.timeline,
        }
    }

    pub(super) fn timeline_mut(&mut self) -> &mut Vec<InteractionRow> {
        match self {
            Dossier::Account(a) => &mut a.timeline,
            Dossier::Person(p) => &mut p.timeline,
        }
    }

    pub(super) fn followups(&self) -> &[FollowUpRow] {
        match self {
            Dossier::Account(a) => &a.followups,
            Dossier::Person(p) => &p.followups,
        }
    }

    pub(super) fn history(&self) -> &[StageChange] {
        match self {
            Dossier::Account(a) => &a.history,
            Dossier::Person(p) => &p.history,
        }
    }
}

/// When the current stage was reached: the latest recorded move into it.
pub fn stage_since<'h>(history: &'h [StageChange], current: Option<&str>) -> Option<&'h Timestamp> {
    let current = current?;
    history
        .iter()
        .rev()
        .find(|c| c.to == current)
        .map(|c| &c.at)
}
