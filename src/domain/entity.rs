//! The records of a notebook as plain data: accounts, people, links, interactions, follow-ups,
//! deals, obligations, plans and stage changes (DESIGN.md §2, FORMAT.md).
//!
//! Records point at each other by integer id ([`Id`]); the stable `uid` is what leaves the
//! notebook (import/export). `extra` keeps the `x-` extension keys of the interchange format so
//! that they survive a round trip. `version` grows by one on every edit and guards against two
//! writers overwriting each other.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde_json::{Map, Value};

use super::ladder::{
    AccountStage, Attitude, BuyingRole, DealKind, DealStage, FollowUpStatus, InteractionKind,
    InteractionStatus, Ladder, LinkKind, ObligationKind, ObligationStatus, Party, PersonStage,
    PlanStatus, Tier,
};
use super::{Birthday, Repeat};

/// Row id of a record in its own table.
pub type Id = i64;
/// An instant together with the UTC offset it was entered in.
pub type Timestamp = DateTime<FixedOffset>;
/// `x-` extension keys of the interchange format, kept as given.
pub type Extra = Map<String, Value>;

/// When and by whom a record was made and last changed; the same on every record.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stamp {
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Starts at 1 and grows by one with every edit.
    pub version: i64,
}

/// An organisation the KAM manages: hospital, distributor, chain, ministry...
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Account {
    pub id: Id,
    pub uid: String,
    pub name: String,
    pub kind: Option<String>,
    pub tier: Option<Tier>,
    pub stage: Option<AccountStage>,
    pub territory: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub phone: Option<String>,
    /// Their annual revenue.
    pub revenue: Option<f64>,
    /// Our annual sales to them.
    pub our_sales: Option<f64>,
    pub currency: Option<String>,
    pub about: Option<String>,
    pub needs: Option<String>,
    pub plans: Option<String>,
    pub competitors: Option<String>,
    pub tags: Vec<String>,
    pub archived_at: Option<Timestamp>,
    pub extra: Extra,
    /// Minutes it takes to get there (the place its meetings are held), when known: the agenda's
    /// "leave by" and the alarm come that much earlier.
    pub travel_minutes: Option<u16>,
}

/// A VIP, decision maker, KOL or contact, usually inside one account.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Person {
    pub id: Id,
    pub uid: String,
    /// The name without the salutation: "Carmen Peña Olmedo".
    pub name: String,
    /// How they are addressed before the name: "Dra.", "Prof. Dr.", "Mrs" (vCard N prefix).
    pub salutation: Option<String>,
    /// Their family name when known ("Peña Olmedo"); none: the last word of the name
    /// (`crate::domain::person_name`). People sort by it.
    pub family_name: Option<String>,
    pub account: Option<Id>,
    pub title: Option<String>,
    pub role: Option<BuyingRole>,
    /// 1 (little) to 5 (decides).
    pub influence: Option<u8>,
    pub attitude: Option<Attitude>,
    pub stage: Option<PersonStage>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub birthday: Option<Birthday>,
    /// Family, interests, preferences.
    pub personal: Option<String>,
    pub languages: Vec<String>,
    pub tags: Vec<String>,
    pub archived_at: Option<Timestamp>,
    pub extra: Extra,
}

/// A directed tie between two people of the power map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Link {
    pub id: Id,
    pub uid: String,
    pub from: Id,
    pub to: Id,
    pub kind: LinkKind,
    pub note: Option<String>,
    pub extra: Extra,
}

/// Something that happened or will happen: a meeting, visit, call, event, email or note.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Interaction {
    pub id: Id,
    pub uid: String,
    pub kind: InteractionKind,
    pub at: Timestamp,
    pub end: Option<Timestamp>,
    pub account: Option<Id>,
    /// The people who took part, in the order given (on a note: nobody, see
    /// [`crate::domain::contact::parts`]).
    pub people: Vec<Id>,
    /// The people only named in it (`@mentions`, the people a note is about): never a contact.
    pub mentioned: Vec<Id>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub location: Option<String>,
    pub status: InteractionStatus,
    pub outcome: Option<String>,
    pub tags: Vec<String>,
    pub extra: Extra,
}

/// When a follow-up is due: a day, or a moment when the time matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Due {
    Day(NaiveDate),
    At(Timestamp),
}

impl Due {
    /// The calendar day it falls on (in the offset it was entered in).
    pub fn day(self) -> NaiveDate {
        match self {
            Due::Day(d) => d,
            Due::At(t) => t.date_naive(),
        }
    }

    /// The calendar day it falls on in `tz`: a timed one by its instant (00:30 in Madrid is
    /// the evening before in New York), a date-only one is the same day everywhere.
    pub fn day_in<Tz: chrono::TimeZone>(self, tz: &Tz) -> NaiveDate {
        match self {
            Due::Day(d) => d,
            Due::At(t) => t.with_timezone(tz).date_naive(),
        }
    }
}

/// A dated promise or next step.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FollowUp {
    pub id: Id,
    pub uid: String,
    pub text: String,
    pub due: Due,
    pub account: Option<Id>,
    pub person: Option<Id>,
    pub deal: Option<Id>,
    pub interaction: Option<Id>,
    pub repeat: Option<Repeat>,
    pub status: FollowUpStatus,
    pub done_at: Option<Timestamp>,
    /// 1 (high) to 3 (low).
    pub priority: Option<u8>,
    pub extra: Extra,
}

/// A dated step of a deal, such as a tender's submission or award.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Milestone {
    pub name: String,
    pub date: NaiveDate,
}

/// An opportunity, tender, listing, contract or order with an account.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Deal {
    pub id: Id,
    pub uid: String,
    pub account: Id,
    pub title: String,
    pub kind: Option<DealKind>,
    pub stage: Option<DealStage>,
    pub value: Option<f64>,
    pub currency: Option<String>,
    /// 0 to 100.
    pub probability: Option<f64>,
    pub close: Option<NaiveDate>,
    /// Percent of the value.
    pub commission_rate: Option<f64>,
    pub milestones: Vec<Milestone>,
    pub notes: Option<String>,
    pub extra: Extra,
}

/// A dated duty of a contract, for us or for the client.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Obligation {
    pub id: Id,
    pub uid: String,
    pub deal: Id,
    pub text: String,
    pub due: NaiveDate,
    pub party: Option<Party>,
    pub kind: Option<ObligationKind>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub status: Option<ObligationStatus>,
    pub done_at: Option<Timestamp>,
    pub extra: Extra,
}

/// Whom a plan is for: exactly one account or one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanSubject {
    Account(Id),
    Person(Id),
}

/// A long-term objective for an account or a person.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Plan {
    pub id: Id,
    pub uid: String,
    pub objective: String,
    pub subject: PlanSubject,
    pub target: Option<NaiveDate>,
    pub budget: Option<f64>,
    pub spent: Option<f64>,
    pub currency: Option<String>,
    pub status: Option<PlanStatus>,
    pub notes: Option<String>,
    pub extra: Extra,
}

/// One move along a ladder: history is data, never an overwrite.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StageChange {
    pub id: Id,
    pub uid: String,
    pub ladder: Ladder,
    /// The account, person or deal that moved (by `ladder`).
    pub subject: Id,
    pub from: Option<String>,
    pub to: String,
    pub at: Timestamp,
    pub note: Option<String>,
    pub extra: Extra,
}
