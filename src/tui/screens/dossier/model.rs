//! What a dossier shows, as loaded by the app (`tui::data`) with the record's version: the
//! read model of [`crate::dossier`].

use crate::domain::StageChange;
pub use crate::dossier::{AccountData, PersonData};
use crate::store::{FollowUpRow, InteractionRow};

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
