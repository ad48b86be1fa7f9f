//! The screens of the stack. Each owns its state and its keys and draws itself from state;
//! none touches the store: a screen says what data it [`Need`]s, the app loads it and hands it
//! back ([`View::accept`]).

pub mod agenda;
pub mod coverage;
pub mod deal;
pub mod deal_people;
pub mod deal_popups;
pub mod dossier;
pub mod insights;
pub mod interaction;
pub mod keep;
pub mod list;
pub mod painter;
pub mod pipeline;
pub mod prep;
pub mod search;

use chrono::{DateTime, Local, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::action::{Action, ScreenKind};
use super::keymap::Binding;
use super::theme::Theme;
use crate::agenda::Agenda;
use crate::store::{
    AccountRow, AccountSort, InteractionRow, ListQuery, PersonRow, PersonSort, TargetKind,
};

use dossier::Dossier;
use list::Window;

/// What a screen shows data of; the app loads it ([`super::data::load`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Need {
    Agenda {
        from: NaiveDate,
        days: u32,
    },
    /// An account's dossier with the first `timeline` interactions.
    AccountDossier {
        id: i64,
        timeline: u32,
    },
    /// A person's dossier with the first `timeline` interactions.
    PersonDossier {
        id: i64,
        timeline: u32,
    },
    /// The next window of a dossier's timeline (account or person), from `offset`.
    Timeline {
        of: TargetKind,
        id: i64,
        offset: u32,
        limit: u32,
    },
    /// A window of the accounts list, and (`count`) how many it holds.
    AccountList {
        query: ListQuery<AccountSort>,
        count: bool,
    },
    /// A window of the people list, and (`count`) how many it holds.
    PersonList {
        query: ListQuery<PersonSort>,
        count: bool,
    },
    /// The open deals by stage and the tender calendar.
    Pipeline,
    /// The insights of the month holding today.
    Insights,
    /// The coverage of the territory's key people.
    Coverage,
    /// The pre-meeting brief of a meeting.
    Prep {
        meeting: i64,
    },
    /// The best `limit` matches of a search query as typed.
    Search {
        query: String,
        limit: u32,
    },
    /// One interaction in full: its people, account and the follow-ups it set.
    Interaction {
        id: i64,
    },
    /// A deal in full: its account, obligations and stage history.
    Deal {
        id: i64,
    },
}

/// Data loaded for a screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// The agenda, the prep of each of its planned meetings, and whether the notebook holds
    /// no account and no person yet (the agenda then says what to do first).
    Agenda(
        Box<(
            Agenda,
            std::collections::HashMap<i64, crate::agenda::MeetingPrep>,
            bool,
        )>,
    ),
    Dossier(Box<Dossier>),
    /// Interactions from `offset` on, newest first.
    Timeline {
        offset: u32,
        rows: Vec<InteractionRow>,
    },
    Accounts(Window<AccountRow>),
    People(Window<PersonRow>),
    Pipeline(Box<pipeline::PipelineData>),
    Insights(Box<insights::InsightsData>),
    /// The coverage with its lines written (shared: the cache keeps it without a copy).
    Coverage(std::sync::Arc<coverage::Written>),
    /// A meeting's pre-meeting brief.
    Prep(Box<crate::prep::Brief>),
    /// What `query` found, or why it could not run (a mistake in the query).
    Search {
        query: String,
        found: Result<Vec<crate::store::SearchHit>, String>,
    },
    /// One interaction in full.
    Interaction(Box<crate::store::InteractionRecord>),
    Deal(Box<deal::DealData>),
}

/// What is selected, for actions that work on it (open, done, capture for...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// A meeting of the agenda, with the version shown (what `d` checks).
    Meeting {
        id: i64,
        version: i64,
        account: Option<i64>,
        person: Option<i64>,
    },
    /// A follow-up of the agenda, with the version shown (what `x` and `s` check).
    FollowUp {
        id: i64,
        version: i64,
        account: Option<i64>,
        person: Option<i64>,
    },
    Person(i64),
    Account(i64),
    /// A power-map link of a person dossier: the link, the dossier's person, the other end.
    Link {
        id: i64,
        person: i64,
        other: i64,
    },
    /// A deal (pipeline, tender calendar, an account's Deals tab, the deal screen), and its
    /// account when known.
    Deal {
        id: i64,
        account: Option<i64>,
    },
    /// An obligation of a deal (the deal screen, an agenda deadline), and the deal when known.
    Obligation {
        id: i64,
        deal: Option<i64>,
    },
}

/// A selected record's identity (kind and id), what a cursor follows across reloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ident {
    Meeting(i64),
    FollowUp(i64),
    Person(i64),
    Account(i64),
    Link(i64),
    Deal(i64),
    Obligation(i64),
}

impl Selection {
    /// The record selected, whatever version of it is shown.
    pub fn ident(self) -> Ident {
        match self {
            Selection::Meeting { id, .. } => Ident::Meeting(id),
            Selection::FollowUp { id, .. } => Ident::FollowUp(id),
            Selection::Person(id) => Ident::Person(id),
            Selection::Account(id) => Ident::Account(id),
            Selection::Link { id, .. } => Ident::Link(id),
            Selection::Deal { id, .. } => Ident::Deal(id),
            Selection::Obligation { id, .. } => Ident::Obligation(id),
        }
    }

    /// The dossier `Enter` opens for it: a meeting → its account (else its first person); a
    /// follow-up → its person (else its account); a person or an account → itself.
    pub fn open(self) -> Option<Action> {
        match self {
            Selection::Meeting {
                account: Some(a), ..
            }
            | Selection::FollowUp {
                person: None,
                account: Some(a),
                ..
            }
            | Selection::Account(a) => Some(Action::Open(TargetKind::Account, a)),
            Selection::Meeting {
                account: None,
                person: Some(p),
                ..
            }
            | Selection::FollowUp {
                person: Some(p), ..
            }
            | Selection::Person(p)
            | Selection::Link { other: p, .. } => Some(Action::Open(TargetKind::Person, p)),
            Selection::Meeting { .. } | Selection::FollowUp { .. } => None,
            Selection::Deal { id, .. } => Some(Action::Open(TargetKind::Deal, id)),
            Selection::Obligation { id, deal } => Some(Action::OpenObligation {
                deal,
                obligation: id,
            }),
        }
    }
}

/// What every render needs besides the screen's own state.
#[derive(Debug, Clone, Copy)]
pub struct RenderCtx {
    pub now: DateTime<Local>,
    pub theme: Theme,
}

/// A screen of the stack.
pub trait View {
    /// The title in the header bar.
    fn title(&self) -> String;
    /// This screen's own keys (looked up before the global ones).
    fn bindings(&self) -> &'static [Binding];
    /// A text field has the focus: keys go to it as [`Action::Input`] first.
    fn typing(&self) -> bool {
        false
    }
    /// The data to (re)load for it.
    fn need(&self) -> Need;
    /// Takes freshly loaded data.
    fn accept(&mut self, data: Loaded);
    /// Carries out a screen-level action; may ask the app for another (e.g. a reload).
    fn apply(&mut self, action: Action) -> Option<Action>;
    /// What is selected.
    fn selection(&self) -> Option<Selection>;
    /// The meeting the meeting keys (`d` done, `r` reschedule, `c` cancel) act on: the
    /// selected one, or the one the screen is about (prep).
    fn meeting(&self) -> Option<Selection> {
        self.selection()
            .filter(|s| matches!(s, Selection::Meeting { .. }))
    }
    /// The follow-up the follow-up keys (`x` done, `s` snooze, `e` edit, `c` cancel, `o`
    /// reopen) act on, and the version shown (`None`: the screen does not know it; the app
    /// reads the follow-up as it now is).
    fn followup(&self) -> Option<(i64, Option<i64>)> {
        match self.selection() {
            Some(Selection::FollowUp { id, version, .. }) => Some((id, Some(version))),
            _ => None,
        }
    }
    /// The record that was selected is gone since the last reload (changed or removed in
    /// another window): nothing is selected, and keys that act on a selection say so.
    fn gone(&self) -> bool {
        false
    }
    /// The user's own action removed or moved the selected record: the next reload selects
    /// what is then on its row instead of reporting it gone.
    fn release(&mut self) {}
    /// The main screen this is, if it is one (the agenda, a list).
    fn screen(&self) -> Option<ScreenKind> {
        None
    }
    /// The dossier shown, if this is a dossier screen (its record and the version read).
    fn dossier(&self) -> Option<&Dossier> {
        None
    }
    /// What is shown is out of date until the next reload (a search query typed but not yet
    /// run): the event loop reloads once the keys pause.
    fn pending(&self) -> bool {
        false
    }
    /// The calendar day changed while the notebook was open (past midnight).
    fn day_changed(&mut self, _yesterday: chrono::NaiveDate, _today: chrono::NaiveDate) {}
    /// The interaction shown, if this is the interaction screen (`e` edits it).
    fn interaction(&self) -> Option<&crate::store::InteractionRecord> {
        None
    }
    /// Draws the screen; pure: no I/O, no clock, no sorting of big lists.
    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx);
}
