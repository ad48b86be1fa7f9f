//! The pre-meeting brief: everything a KAM must know walking into a meeting — when and where,
//! who will be there (role, influence, attitude, stage and for how long, personal notes, a
//! birthday coming up), the last interactions, what either side promised, the deals and tenders
//! in play, the red flags and the plans with their progress.
//!
//! One value ([`Brief`]) is read once ([`build`]) and laid out once ([`Brief::sections`]); the
//! prep screen, `kam prep` and the Markdown writer ([`markdown`]) all show those sections, so the
//! three cannot drift apart. Nothing here reads the clock: "now" comes in. Every list is bounded.

mod deal_products;
pub mod markdown;
pub mod phone;
mod sections;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone};
use serde::Serialize;

use crate::cadence::CadenceConfig;
use crate::domain::{
    AccountStage, Attitude, BuyingRole, DealKind, DealStage, FollowUpStatus, Id, InteractionKind,
    InteractionStatus, Ladder, Milestone, Party, PersonStage, PlanProgress, PlanStatus,
    PlanSubject, Tier, Timestamp,
};
use crate::store::{InteractionRow, Reader, StoreError};

pub use deal_products::{DealPeopleBrief, DealRoleBrief, ObjectionBrief, ProductBrief};
pub use phone::{PHONE_BRIEF_MARK, phone_brief};
pub use sections::{Item, Section, Tone};

/// Last done interactions listed.
pub const LAST_INTERACTIONS: u32 = 5;
/// Open promises listed (follow-ups and obligations each).
pub const PROMISES: u32 = 8;
/// Open deals listed.
pub const DEALS: u32 = 5;
/// People listed for an account without a meeting (its key people, most recently seen first).
pub const KEY_PEOPLE: u32 = 5;
/// A birthday this many days ahead or fewer is "coming up".
pub const BIRTHDAY_DAYS: i64 = 30;
/// A meeting that began less than this long ago (seconds) is still the one to prepare.
const GRACE_SECS: i64 = 3600;

/// What to prepare for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrepTarget {
    Meeting(Id),
    /// Their next planned meeting, else the account itself.
    Account(Id),
    /// Their next planned meeting, else the person.
    Person(Id),
}

/// The meeting itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeetingInfo {
    pub id: Id,
    /// The version read (the prep screen's `n`/`d` on the meeting check it).
    pub version: i64,
    pub kind: InteractionKind,
    pub title: Option<String>,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub location: Option<String>,
    /// The KAM's own notes on the meeting (agenda, what to bring).
    pub notes: Option<String>,
    /// "in 42 min", "tomorrow 10:00", "now"; "done" or "cancelled"; "over, not marked done".
    pub countdown: String,
    /// What the meeting is for (`kam meeting edit --goal`); it leads the brief.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub goal: Option<String>,
    /// The questions to ask there, in order; they follow the goal.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
}

/// The account met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountBrief {
    pub id: Id,
    pub name: String,
    pub tier: Option<Tier>,
    pub stage: Option<AccountStage>,
    /// Days since the last stage change (`None`: no history).
    pub days_in_stage: Option<i64>,
    pub days_since_contact: Option<i64>,
    pub needs: Option<String>,
}

/// A birthday within [`BIRTHDAY_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BirthdaySoon {
    pub date: NaiveDate,
    /// 0 = today.
    pub in_days: i64,
    /// The age reached, when the year of birth is known.
    pub turns: Option<i32>,
}

/// A person who will be there (or a key person of the account).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonBrief {
    pub id: Id,
    pub name: String,
    pub title: Option<String>,
    pub role: Option<BuyingRole>,
    pub influence: Option<u8>,
    pub attitude: Option<Attitude>,
    pub stage: Option<PersonStage>,
    pub days_in_stage: Option<i64>,
    pub days_since_contact: Option<i64>,
    /// Family, interests, preferences.
    pub personal: Option<String>,
    pub birthday: Option<BirthdaySoon>,
}

/// A done interaction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PastInteraction {
    pub id: Id,
    pub kind: InteractionKind,
    pub at: Timestamp,
    pub title: Option<String>,
    pub outcome: Option<String>,
    pub people: Vec<String>,
    /// The products discussed there (issue 14.4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<String>,
}

/// Where a promise is written down.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum PromiseSource {
    FollowUp { id: Id, who: Option<String> },
    Obligation { id: Id, deal: String },
}

/// Something promised, by us or by the client, still open.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Promise {
    /// Who owes it (`None`: an obligation without a party).
    pub by: Option<Party>,
    pub text: String,
    pub due: NaiveDate,
    #[serde(flatten)]
    pub source: PromiseSource,
}

/// A deal or tender in play.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DealBrief {
    pub id: Id,
    pub title: String,
    pub kind: Option<DealKind>,
    pub stage: Option<DealStage>,
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub probability: Option<f64>,
    pub close: Option<NaiveDate>,
    /// The first milestone on or after today.
    pub next_milestone: Option<Milestone>,
}

/// A red flag about the account or a person ([`crate::flags`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlagBrief {
    /// 1 (keep an eye on it) to 3 (act now).
    pub severity: u8,
    pub text: String,
    pub person: Option<Id>,
}

impl FlagBrief {
    /// How urgent, in words.
    pub fn urgency(&self) -> &'static str {
        match self.severity {
            3.. => "act now",
            2 => "fix soon",
            _ => "watch",
        }
    }
}

/// A plan of the account or of a person there, with its progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanBrief {
    pub id: Id,
    pub objective: String,
    /// The account's or person's name.
    pub of: String,
    pub status: Option<PlanStatus>,
    pub target: Option<NaiveDate>,
    pub progress: PlanProgress,
}

/// What to know before a meeting (or before seeing an account or a person).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Brief {
    /// The day it was prepared on (relative dates are counted from it).
    pub today: NaiveDate,
    /// The meeting; `None` when there is none planned with the target.
    pub meeting: Option<MeetingInfo>,
    /// The name of what was asked for (for the heading when there is no meeting).
    pub subject: String,
    pub account: Option<AccountBrief>,
    pub people: Vec<PersonBrief>,
    /// The people are the meeting's attendees (else the key people of the account).
    pub attendees: bool,
    pub interactions: Vec<PastInteraction>,
    pub promises: Vec<Promise>,
    /// More promises are open than listed (the dossier has them all).
    pub more_promises: bool,
    pub deals: Vec<DealBrief>,
    pub flags: Vec<FlagBrief>,
    pub plans: Vec<PlanBrief>,
    /// The people of the deals in play, with their role in each (issue 14.3).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub deal_people: Vec<DealPeopleBrief>,
    /// Objections the people here raised about a product (issue 14.4).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub objections: Vec<ObjectionBrief>,
    /// Where the products stand with the account.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub products: Vec<ProductBrief>,
}

/// Prepares `target` as seen at `now`; `Ok(None)` when it does not exist.
pub fn build<Tz: TimeZone>(
    reader: &Reader<'_>,
    target: PrepTarget,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<Option<Brief>, StoreError>
where
    Tz::Offset: std::fmt::Display,
{
    let at = now.timestamp();
    let Some((row, account_id, person_id, subject)) = locate(reader, target, at)? else {
        return Ok(None);
    };
    let today = now.date_naive();
    let meeting = row.as_ref().map(|r| meeting_info(r, now));
    let mut people_ids: Vec<Id> = match &row {
        Some(r) => r.people.iter().map(|(id, _)| *id).collect(),
        None => Vec::new(),
    };
    let attendees = row.is_some();
    if let Some(p) = person_id.filter(|p| !people_ids.contains(p)) {
        people_ids.insert(0, p);
    }
    if people_ids.is_empty() && row.is_none() {
        if let Some(a) = account_id {
            people_ids = reader.key_people_of(a, KEY_PEOPLE)?;
        }
    }
    let account = account_id
        .map(|id| account_brief(reader, id, now))
        .transpose()?
        .flatten();
    let mut people = Vec::with_capacity(people_ids.len());
    for id in &people_ids {
        if let Some(p) = person_brief(reader, *id, now)? {
            people.push(p);
        }
    }
    let interactions = past_interactions(reader, account_id, people_ids.first().copied(), at)?;
    let (promises, more_promises) = promises(reader, account_id, &people_ids, &now.timezone())?;
    let deals = match account_id {
        Some(a) => reader
            .open_deals_of(a, DEALS)?
            .into_iter()
            .map(|d| DealBrief {
                next_milestone: d.milestones.iter().find(|m| m.date >= today).cloned(),
                id: d.id,
                title: d.title,
                kind: d.kind,
                stage: d.stage,
                value: d.value,
                currency: d.currency,
                probability: d.probability,
                close: d.close,
            })
            .collect(),
        None => Vec::new(),
    };
    let plans = plans(reader, account.as_ref(), &people, today)?;
    let flags = match &account {
        Some(a) => crate::flags::for_account(reader, a.id, now, cadence)?
            .into_iter()
            .map(|f| FlagBrief {
                severity: f.severity,
                text: f.text,
                person: f.person.map(|(id, _)| id),
            })
            .collect(),
        None => Vec::new(),
    };
    let deal_ids: Vec<Id> = deals.iter().map(|d: &DealBrief| d.id).collect();
    let deal_people = deal_products::deal_people(reader, &deal_ids, &people_ids, now)?;
    let objections = deal_products::objections(reader, &people_ids)?;
    let products = deal_products::products(reader, account_id)?;
    Ok(Some(Brief {
        today,
        meeting,
        subject,
        account,
        people,
        attendees,
        interactions,
        promises,
        more_promises,
        deals,
        flags,
        plans,
        deal_people,
        objections,
        products,
    }))
}

/// The last done interactions with the account (else the person), with the products discussed.
fn past_interactions(
    reader: &Reader<'_>,
    account: Option<Id>,
    person: Option<Id>,
    at: i64,
) -> Result<Vec<PastInteraction>, StoreError> {
    match (account, person) {
        (Some(a), _) => reader.last_done_with_account(a, at, LAST_INTERACTIONS)?,
        (None, Some(p)) => reader.last_done_with_person(p, at, LAST_INTERACTIONS)?,
        (None, None) => Vec::new(),
    }
    .into_iter()
    .map(|r| {
        let products = reader
            .products_discussed(r.interaction.id)?
            .into_iter()
            .map(|p| p.name)
            .collect();
        Ok(PastInteraction {
            products,
            id: r.interaction.id,
            kind: r.interaction.kind,
            at: r.interaction.at,
            title: headline(
                r.interaction.title.as_deref(),
                r.interaction.body.as_deref(),
            ),
            outcome: r.interaction.outcome,
            people: r.people.into_iter().map(|(_, n)| n).collect(),
        })
    })
    .collect()
}

/// The meeting (if any), account, person and name a target points at; `None` if it is gone.
type Located = (Option<InteractionRow>, Option<Id>, Option<Id>, String);

fn locate(reader: &Reader<'_>, target: PrepTarget, at: i64) -> Result<Option<Located>, StoreError> {
    Ok(Some(match target {
        PrepTarget::Meeting(id) => match reader.interaction_row(id)? {
            Some(row) => {
                let name = row
                    .interaction
                    .title
                    .clone()
                    .unwrap_or_else(|| row.interaction.kind.to_string());
                let account = row.interaction.account;
                (Some(row), account, None, name)
            }
            None => return Ok(None),
        },
        PrepTarget::Account(id) => {
            let Some((a, _)) = reader.account(id)? else {
                return Ok(None);
            };
            let row = reader.next_meeting_with_account(id, at, GRACE_SECS)?;
            (row, Some(id), None, a.name)
        }
        PrepTarget::Person(id) => {
            let Some((p, _)) = reader.person(id)? else {
                return Ok(None);
            };
            let row = reader.next_meeting_with_person(id, at, GRACE_SECS)?;
            let account = row
                .as_ref()
                .and_then(|r| r.interaction.account)
                .or(p.account);
            (row, account, Some(id), p.addressed())
        }
    }))
}

fn meeting_info<Tz: TimeZone>(r: &InteractionRow, now: &DateTime<Tz>) -> MeetingInfo
where
    Tz::Offset: std::fmt::Display,
{
    let i = &r.interaction;
    let start = i.at.with_timezone(&now.timezone());
    MeetingInfo {
        id: i.id,
        version: r.version,
        kind: i.kind,
        title: i.title.clone(),
        start: i.at,
        end: i.end,
        location: i.location.clone(),
        notes: i.body.clone(),
        goal: i.goal().map(str::to_string),
        questions: i.questions().into_iter().map(str::to_string).collect(),
        countdown: match i.status {
            InteractionStatus::Planned
                if i.end
                    .as_ref()
                    .map_or(i.at.timestamp() + 1800, chrono::DateTime::timestamp)
                    < now.timestamp() =>
            {
                "over, not marked done".to_string()
            }
            InteractionStatus::Planned => crate::agenda::countdown(&start, now),
            other => other.to_string(),
        },
    }
}

/// How wide the start of an untitled note's text is, in terminal cells.
const HEADLINE_CELLS: usize = 60;

/// The line that names a past interaction: its title, or for one without (a quick note), the
/// start of its text on one line (runs of spaces and line breaks become one space, control
/// characters shown escaped), cut to [`HEADLINE_CELLS`].
fn headline(title: Option<&str>, body: Option<&str>) -> Option<String> {
    if let Some(t) = title.filter(|t| !t.trim().is_empty()) {
        return Some(t.to_string());
    }
    let words: Vec<&str> = body?.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    let line = crate::text::sanitize_line(&words.join(" ")).into_owned();
    Some(crate::text::truncate(&line, HEADLINE_CELLS).into_owned())
}

/// Days since the last move on `ladder` of `subject`.
fn days_in_stage<Tz: TimeZone>(
    reader: &Reader<'_>,
    ladder: Ladder,
    subject: Id,
    now: &DateTime<Tz>,
) -> Result<Option<i64>, StoreError> {
    let history = reader.stage_history(ladder, subject)?;
    Ok(history
        .last()
        .map(|c| (now.date_naive() - c.at.with_timezone(&now.timezone()).date_naive()).num_days()))
}

fn days_since<Tz: TimeZone>(now: &DateTime<Tz>, last: Option<i64>) -> Option<i64> {
    last.and_then(|t| crate::when::days_since(&now.timezone(), now.date_naive(), t))
}

fn account_brief<Tz: TimeZone>(
    reader: &Reader<'_>,
    id: Id,
    now: &DateTime<Tz>,
) -> Result<Option<AccountBrief>, StoreError> {
    let Some((a, _)) = reader.account(id)? else {
        return Ok(None);
    };
    Ok(Some(AccountBrief {
        id,
        name: a.name,
        tier: a.tier,
        stage: a.stage,
        days_in_stage: days_in_stage(reader, Ladder::Account, id, now)?,
        days_since_contact: days_since(now, reader.account_last_contact(id)?),
        needs: a.needs,
    }))
}

/// The next time `birthday` comes, if within [`BIRTHDAY_DAYS`] of `today`.
pub fn birthday_soon(birthday: crate::domain::Birthday, today: NaiveDate) -> Option<BirthdaySoon> {
    let this_year = birthday.in_year(today.year());
    let date = if this_year >= today {
        this_year
    } else {
        birthday.in_year(today.year() + 1)
    };
    let in_days = (date - today).num_days();
    (0..=BIRTHDAY_DAYS)
        .contains(&in_days)
        .then(|| BirthdaySoon {
            date,
            in_days,
            turns: birthday.age_in(date.year()),
        })
}

fn person_brief<Tz: TimeZone>(
    reader: &Reader<'_>,
    id: Id,
    now: &DateTime<Tz>,
) -> Result<Option<PersonBrief>, StoreError> {
    let Some((p, _)) = reader.person(id)? else {
        return Ok(None);
    };
    Ok(Some(PersonBrief {
        id,
        birthday: p.birthday.and_then(|b| birthday_soon(b, now.date_naive())),
        name: p.addressed(),
        title: p.title,
        role: p.role,
        influence: p.influence,
        attitude: p.attitude,
        stage: p.stage,
        days_in_stage: days_in_stage(reader, Ladder::Person, id, now)?,
        days_since_contact: days_since(now, reader.person_last_contact(id)?),
        personal: p.personal,
    }))
}

/// Open follow-ups (ours) and obligations (either side), soonest first (at most [`PROMISES`]
/// of each), and whether more are open. Not counted in all: a big account has thousands open,
/// and counting them costs more than the whole rest of the brief.
fn promises<Tz: TimeZone>(
    reader: &Reader<'_>,
    account: Option<Id>,
    people: &[Id],
    tz: &Tz,
) -> Result<(Vec<Promise>, bool), StoreError> {
    let mut followups = reader.open_followups_around(account, people, PROMISES + 1, tz)?;
    let mut more = followups.len() > PROMISES as usize;
    followups.truncate(PROMISES as usize);
    let mut out: Vec<Promise> = followups
        .into_iter()
        .filter(|r| r.followup.status == FollowUpStatus::Open)
        .map(|r| Promise {
            by: Some(Party::Us),
            text: r.followup.text,
            // Its local day: a timed one by its instant in the zone the brief is read in.
            due: r.followup.due.day_in(tz),
            source: PromiseSource::FollowUp {
                id: r.followup.id,
                who: r.person_name.or(r.account_name),
            },
        })
        .collect();
    if let Some(a) = account {
        let mut obligations = reader.open_obligations_of(a, PROMISES + 1)?;
        more |= obligations.len() > PROMISES as usize;
        obligations.truncate(PROMISES as usize);
        for (o, deal) in obligations {
            out.push(Promise {
                by: o.party,
                text: o.text,
                due: o.due,
                source: PromiseSource::Obligation { id: o.id, deal },
            });
        }
    }
    out.sort_by_key(|p| p.due);
    Ok((out, more))
}

fn plans(
    reader: &Reader<'_>,
    account: Option<&AccountBrief>,
    people: &[PersonBrief],
    today: NaiveDate,
) -> Result<Vec<PlanBrief>, StoreError> {
    let mut subjects: Vec<(PlanSubject, &str)> = Vec::new();
    if let Some(a) = account {
        subjects.push((PlanSubject::Account(a.id), &a.name));
    }
    subjects.extend(
        people
            .iter()
            .map(|p| (PlanSubject::Person(p.id), p.name.as_str())),
    );
    let mut out = Vec::new();
    for (subject, name) in subjects {
        for plan in reader.plans_of(subject)? {
            if plan.status.is_some_and(|s| s != PlanStatus::Active) {
                continue;
            }
            let steps = reader.plan_steps(plan.id)?;
            out.push(PlanBrief {
                id: plan.id,
                of: name.to_string(),
                status: plan.status,
                target: plan.target,
                progress: PlanProgress::of(&plan, steps, today),
                objective: plan.objective,
            });
        }
    }
    Ok(out)
}
