//! The dossier of an account or a person: what a KAM reads before walking in. [`account`] and
//! [`person`] read it from the notebook (long lists windowed by [`Limits`]), and
//! [`sections`] lays it out once as headed sections of tone-tagged lines
//! ([`crate::layout`]): `kam account show` / `kam person show`, the Markdown export and the
//! TUI's dossier tabs paint those lines, so the three cannot drift apart.
//!
//! To add a line to a dossier (last seen, the people of a deal, products): load what it needs
//! here (a field of [`AccountData`] / [`PersonData`], filled in [`account`] / [`person`]), then
//! write its text in [`sections`] — in the section of the [`Part`] (the TUI tab) it belongs
//! to. Nothing in the fronts changes: they paint whatever the sections hold.

pub mod sections;

use chrono::{DateTime, Datelike, TimeZone};

use crate::cadence::Standing;
use crate::config::CadenceConfig;
use crate::domain::{
    Account, Deal, Id, Ladder, Link, Person, Plan, PlanProgress, PlanSubject, RecordKind,
    RecordRef, StageChange,
};
use crate::flags::RedFlag;
use crate::store::{FollowUpRow, InteractionRow, Reader, StoreError};

pub use sections::{DossierSection, Notes, Part};

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
    /// Unix seconds of the last touch (a seen, or an e-mail or message).
    pub last_touch: Option<i64>,
    pub people: Vec<PersonLine>,
    pub deals: Vec<Deal>,
    /// Where each product stands with the account, ours first.
    pub products: Vec<crate::store::ProductStanding>,
    /// This year's monthly targets and actuals, up to the month holding today, oldest first.
    pub sales: Vec<crate::store::SalesLine>,
    pub plans: Vec<PlanLine>,
    pub followups: Vec<FollowUpRow>,
    pub timeline: Vec<InteractionRow>,
    /// Oldest first.
    pub history: Vec<StageChange>,
    /// The power map of the account's people (empty unless [`Limits::map`]).
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

/// How much of the long lists a dossier reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub people: u32,
    pub timeline: u32,
    pub followups: u32,
    pub links: u32,
    /// Read the account's power map (the TUI's Map tab).
    pub map: bool,
}

fn not_found(kind: RecordKind, id: Id) -> StoreError {
    StoreError::NotFound {
        what: RecordRef::of(kind, id).to_string(),
    }
}

/// The plans of an account or a person, with their steps and progress as of `today`.
fn plan_lines(
    reader: &Reader<'_>,
    subject: PlanSubject,
    today: chrono::NaiveDate,
) -> Result<Vec<PlanLine>, StoreError> {
    reader
        .plans_of(subject)?
        .into_iter()
        .map(|plan| {
            let steps = reader.plan_steps(plan.id)?;
            Ok(PlanLine {
                progress: PlanProgress::of(&plan, steps, today),
                plan,
            })
        })
        .collect()
}

/// The account dossier as seen at `now` (days counted in its zone).
pub fn account<Tz: TimeZone>(
    reader: &Reader<'_>,
    id: Id,
    limits: Limits,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<AccountData, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let (account, stamp) = reader
        .account(id)?
        .ok_or_else(|| not_found(RecordKind::Account, id))?;
    // `people(Some(account))` walks the name index on a big notebook (being fixed in the
    // store); it is the slow read of this dossier.
    let people = reader
        .people(Some(id), limits.people, 0)?
        .into_iter()
        .map(|person| {
            let last_contact = reader.person_last_contact(person.id)?;
            Ok(PersonLine {
                person,
                last_contact,
            })
        })
        .collect::<Result<_, StoreError>>()?;
    let map = if limits.map {
        crate::power_map::load(reader, id)?
    } else {
        crate::power_map::PowerMap::default()
    };
    let contacts = reader.account_contacts(id)?;
    Ok(AccountData {
        version: stamp.version,
        last_contact: contacts.seen,
        last_touch: contacts.touch,
        people,
        deals: reader.deals_of(id)?,
        products: reader.product_standings_of(id)?,
        sales: {
            let today = now.date_naive();
            reader.month_sales(
                Some(id),
                &format!("{:04}-01", today.year()),
                &crate::domain::month_text(today),
            )?
        },
        plans: plan_lines(reader, PlanSubject::Account(id), now.date_naive())?,
        followups: reader.open_followups_in(Some(id), None, limits.followups, &now.timezone())?,
        timeline: reader.account_timeline(id, limits.timeline, 0)?,
        history: reader.stage_history(Ladder::Account, id)?,
        map: Box::new(map),
        red_flags: crate::flags::for_account(reader, id, now, cadence)?,
        account,
    })
}

/// The person dossier as seen at `now` (days counted in its zone).
pub fn person<Tz: TimeZone>(
    reader: &Reader<'_>,
    id: Id,
    limits: Limits,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<PersonData, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let (person, stamp) = reader
        .person(id)?
        .ok_or_else(|| not_found(RecordKind::Person, id))?;
    let (account_name, tier) = match person.account {
        Some(a) => reader
            .account(a)?
            .map_or((None, None), |(a, _)| (Some(a.name), a.tier)),
        None => (None, None),
    };
    let contacts = reader.person_contacts(id)?;
    let last_contact = contacts.seen;
    let (links, links_total) = reader.links_of(id, limits.links)?;
    let tz = now.timezone();
    Ok(PersonData {
        version: stamp.version,
        account_name,
        last_contact,
        last_touch: contacts.touch,
        standing: cadence.standing(&person, tier, last_contact, &tz, now.date_naive()),
        links,
        links_total,
        plans: plan_lines(reader, PlanSubject::Person(id), now.date_naive())?,
        followups: reader.open_followups_in(None, Some(id), limits.followups, &tz)?,
        timeline: reader.person_timeline(id, limits.timeline, 0)?,
        history: reader.stage_history(Ladder::Person, id)?,
        person,
    })
}
