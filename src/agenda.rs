//! What is on, day by day: meetings in time order, follow-ups due and overdue, birthdays, deal
//! and obligation deadlines, and key people and accounts not seen for longer than their cadence.
//!
//! [`build`] is the one function both `kam agenda` and the agenda screen call; it returns a plain
//! [`Agenda`] value (serialisable for `--json`) and never reads the clock itself. Every list is
//! read from an index with a limit, so a day costs the same at any notebook size.
//!
//! Overdue means "due before today and before the range": open follow-ups and obligations due
//! before `min(from, today)`. A range that starts in the future does not list what falls due
//! between today and its start — that is neither overdue nor in the range (`kam agenda` for
//! today shows it). A range that starts in the past lists late items on their own days.
//!
//! Days are calendar days in the zone of `now`: a contact yesterday at 23:00 is 1 day ago at
//! 08:00. A key person or account is stale when more calendar days than their cadence have
//! passed since the last contact.

mod prep;
pub mod sections;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone};
use serde::Serialize;

use crate::cadence::CadenceOf;
use crate::domain::{
    Birthday, DealKind, DealStage, Due, FollowUp, Id, InteractionKind, InteractionStatus, Named,
    ObligationKind, Party, PersonStage, Tier, Timestamp,
};
use crate::store::{
    FollowUpRow, InteractionRow, ListedObligation, Reader, StaleCutoffs, StaleRow, StoreError,
};
pub use crate::when::days_since;
use crate::when::start_of_day;

pub use prep::{
    AttendeePrep, DealAtStake, MeetingPrep, NEXT_LOOKAHEAD_DAYS, countdown, next_meeting, prep,
    preps,
};

/// Longest range one agenda covers.
pub const MAX_DAYS: u32 = 366;
/// Most overdue follow-ups, and most overdue contract obligations, listed: the most recent of
/// each, with how many there are in all (and, for the obligations, what they add up to). A
/// reminder, like the [`AHEAD_LIMIT`] deal milestones ahead, so the day itself stays near the
/// top.
pub const OVERDUE_LIMIT: u32 = 20;
/// How many deal milestones ahead [`Agenda::with_milestones_ahead`] lists, nearest first: a
/// heads-up, not the tender calendar (`kam deal calendar`, the pipeline screen).
pub const AHEAD_LIMIT: u32 = 20;
/// Most follow-ups listed over the range.
const DUE_LIMIT: u32 = 2000;
/// Most meetings listed over the range (the rest are counted as "more").
const MEETING_LIMIT: u32 = 500;
/// Most birthdays listed over the range (the rest are counted as "more").
const BIRTHDAY_LIMIT: u32 = 500;
/// Most deal closes, and most milestones, listed over the range.
const DEADLINE_LIMIT: u32 = 500;
/// Most people due for contact listed.
const STALE_LIMIT: u32 = 10;
/// Most stale accounts listed per tier.
const STALE_ACCOUNTS_PER_TIER: u32 = 4;

/// How long a person or account may go without contact: the tier's base, adjusted per person
/// (see [`crate::cadence`]).
pub type Cadence = crate::config::CadenceConfig;

/// A person at a meeting.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendee {
    pub id: Id,
    pub name: String,
}

/// A meeting, visit, call or event of the day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    pub id: Id,
    /// The version read: a change made from the agenda (done, outcome) checks it.
    pub version: i64,
    pub kind: InteractionKind,
    pub status: InteractionStatus,
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub account: Option<Named>,
    pub people: Vec<Attendee>,
    /// It overlaps another meeting that is not cancelled.
    pub overlaps: bool,
    /// When to leave for it: its start less its account's travel minutes, when known and it is
    /// held somewhere (issue 13.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub leave_by: Option<Timestamp>,
}

/// A follow-up in the agenda.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FollowUpItem {
    pub id: Id,
    /// The version read: done and snooze from the agenda check it.
    pub version: i64,
    pub text: String,
    pub due: NaiveDate,
    /// Set when a time of day matters.
    pub at: Option<Timestamp>,
    pub priority: Option<u8>,
    pub repeat: Option<String>,
    pub account: Option<Named>,
    pub person: Option<Named>,
    /// Days past due (0 = due today).
    pub days_overdue: i64,
}

/// A birthday in the range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BirthdayItem {
    pub person: Id,
    pub name: String,
    pub account: Option<String>,
    pub date: NaiveDate,
    /// The age reached, when the year of birth is known.
    pub turns: Option<i32>,
}

/// What falls due on a deal or contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deadline {
    /// An open deal expected to close.
    DealClose {
        deal: Id,
        title: String,
        account: String,
        stage: Option<DealStage>,
        deal_kind: Option<DealKind>,
        value: Option<f64>,
        currency: Option<String>,
    },
    /// A milestone of an open deal (tender submission, award...).
    Milestone {
        deal: Id,
        title: String,
        account: String,
        name: String,
    },
    /// A delivery, payment or clause of a contract, not yet done.
    Obligation {
        obligation: Id,
        text: String,
        deal_title: String,
        account: String,
        party: Option<Party>,
        obligation_kind: Option<ObligationKind>,
        amount: Option<f64>,
        currency: Option<String>,
    },
}

/// Overdue obligations of one party in one currency, counted and summed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwedOverdue {
    /// Who owes: the client, us, or not said.
    pub party: Option<Party>,
    /// `None` for obligations without an amount (most deliveries).
    pub currency: Option<String>,
    pub count: i64,
    /// The sum of their amounts; `None` when none has one.
    pub amount: Option<f64>,
}

/// One day of the agenda.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgendaDay {
    pub date: NaiveDate,
    pub meetings: Vec<Meeting>,
    pub followups: Vec<FollowUpItem>,
    pub birthdays: Vec<BirthdayItem>,
    pub deadlines: Vec<Deadline>,
}

/// A person or account out of touch for longer than their cadence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stale {
    pub id: Id,
    pub name: String,
    pub account: Option<String>,
    pub tier: Option<Tier>,
    /// Days since the last done interaction; `None` = never in touch.
    pub days_silent: Option<i64>,
    pub cadence_days: u32,
    /// A person's stage (`None` for an account).
    pub stage: Option<PersonStage>,
    /// Silent so long that the relationship is suggested as `cooling` (never moved silently).
    pub suggest_cooling: bool,
}

/// The agenda of a day or a range of days.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[allow(clippy::struct_excessive_bools)] // one "more exist" flag per bounded list, flat in JSON
pub struct Agenda {
    pub today: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Open follow-ups due before `from` and before `today`: the [`OVERDUE_LIMIT`] due most
    /// recently, oldest of them first.
    pub overdue: Vec<FollowUpItem>,
    /// How many overdue follow-ups there are in all.
    pub overdue_total: i64,
    /// More overdue follow-ups exist than are listed (older ones).
    pub overdue_more: bool,
    /// Obligations not done and due before `from` and before `today`: the
    /// [`OVERDUE_LIMIT`] due most recently, oldest of them first.
    pub overdue_obligations: Vec<Deadline>,
    /// How many overdue obligations there are in all.
    pub overdue_obligations_total: i64,
    /// More overdue obligations exist than are listed (older ones).
    pub overdue_obligations_more: bool,
    /// All the overdue obligations, listed or not, counted and summed per party and currency:
    /// a cut list never hides money owed.
    pub overdue_owed: Vec<OwedOverdue>,
    pub days: Vec<AgendaDay>,
    /// More meetings fall in the range than are listed.
    pub meetings_more: bool,
    /// More birthdays fall in the range than are listed.
    pub birthdays_more: bool,
    pub stale_people: Vec<Stale>,
    pub stale_accounts: Vec<Stale>,
    /// More stale people exist than are listed.
    pub stale_more: bool,
    /// Tender and deal milestones after the range but within the configured lead of today
    /// ("Submission in 5 days"); filled by [`Agenda::with_milestones_ahead`].
    pub ahead: Vec<crate::insights::tenders::TenderDate>,
    /// More milestones fall within the lead than the [`AHEAD_LIMIT`] listed.
    pub ahead_more: bool,
    /// The accounts with the worst red flags (filled by [`with_red_flags`]; the agenda screen
    /// shows them, `kam agenda` leaves them to `kam flags`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub red_flags: Vec<FlaggedAccount>,
}

/// An account and its red flags, worst first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlaggedAccount {
    pub account: Named,
    /// The sum of the flags' severities.
    pub score: u32,
    pub flags: Vec<crate::flags::RedFlag>,
}

/// How many accounts with the worst red flags [`with_red_flags`] lists.
pub const RED_FLAG_ACCOUNTS: usize = 3;
/// Candidates [`with_red_flags`] reads from each source (`crate::flags::worst_among`): at most
/// 20 accounts judged, a few milliseconds on the largest notebooks, on every agenda reload.
const RED_FLAG_CANDIDATES: u32 = 5;

/// Adds the [`RED_FLAG_ACCOUNTS`] accounts with the worst red flags to `agenda`.
pub fn with_red_flags<Tz: TimeZone>(
    reader: &Reader<'_>,
    now: &DateTime<Tz>,
    cadence: &Cadence,
    agenda: &mut Agenda,
) -> Result<(), StoreError> {
    agenda.red_flags =
        crate::flags::worst_among(reader, now, cadence, RED_FLAG_ACCOUNTS, RED_FLAG_CANDIDATES)?
            .into_iter()
            .map(|(account, flags)| FlaggedAccount {
                account,
                score: crate::flags::score(&flags),
                flags,
            })
            .collect();
    Ok(())
}

impl Agenda {
    /// Adds the milestones of open deals that fall after the range and at most `lead_days`
    /// days from today (`[deals] tender_lead_days`), so a submission shows up ahead of time:
    /// the [`AHEAD_LIMIT`] nearest. Those inside the range are already listed on their day.
    pub fn with_milestones_ahead(
        mut self,
        reader: &Reader<'_>,
        lead_days: u32,
    ) -> Result<Agenda, StoreError> {
        let Some(first) = self.to.succ_opt().map(|d| d.max(self.today)) else {
            return Ok(self);
        };
        let Some(last) = self.today.checked_add_days(Days::new(u64::from(lead_days))) else {
            return Ok(self);
        };
        if lead_days == 0 || first > last {
            return Ok(self);
        }
        let days = u32::try_from((last - first).num_days() + 1).unwrap_or(0);
        self.ahead =
            crate::insights::tenders::upcoming(reader, self.today, first, days, AHEAD_LIMIT + 1)?;
        self.ahead_more = self.ahead.len() > AHEAD_LIMIT as usize;
        self.ahead.truncate(AHEAD_LIMIT as usize);
        Ok(self)
    }

    /// The heading of the overdue obligations: how many there are and, when the list is cut,
    /// how many are listed; `hint` adds where the client payments are all aged.
    pub fn overdue_obligations_title(&self, hint: bool) -> String {
        if self.overdue_obligations_more {
            format!(
                "Overdue contract obligations ({}; the {} most recent{})",
                self.overdue_obligations_total,
                self.overdue_obligations.len(),
                if hint {
                    " — payments by age: `kam receivables`"
                } else {
                    ""
                }
            )
        } else {
            format!(
                "Overdue contract obligations ({})",
                self.overdue_obligations_total
            )
        }
    }

    /// When the overdue obligations are cut, what all of them add up to, per party, so no
    /// money owed is hidden: "In all: clients owe 234: 8,103,956.68 EUR + 2,385,951.65 USD ·
    /// we owe 67". `None` when every one is listed (each line shows its own amount).
    pub fn overdue_owed_line(&self) -> Option<String> {
        if !self.overdue_obligations_more {
            return None;
        }
        let parties = [
            (Some(Party::Client), "clients owe"),
            (Some(Party::Us), "we owe"),
            (None, "due, party not set,"),
        ];
        let mut parts = Vec::new();
        for (party, label) in parties {
            let mut groups: Vec<&OwedOverdue> = self
                .overdue_owed
                .iter()
                .filter(|o| o.party == party)
                .collect();
            let count: i64 = groups.iter().map(|o| o.count).sum();
            if count == 0 {
                continue;
            }
            groups.sort_by_key(|o| std::cmp::Reverse(o.count));
            let sums: Vec<String> = groups
                .iter()
                .filter_map(|o| {
                    o.amount
                        .map(|a| crate::money::format_money_whole(a, o.currency.as_deref()))
                })
                .collect();
            let unpriced: i64 = groups
                .iter()
                .filter(|o| o.amount.is_none())
                .map(|o| o.count)
                .sum();
            parts.push(match (sums.is_empty(), unpriced) {
                (true, _) => format!("{label} {count}"),
                (false, 0) => format!("{label} {count}: {}", sums.join(" + ")),
                (false, n) => format!(
                    "{label} {count}: {} (and {n} without an amount)",
                    sums.join(" + ")
                ),
            });
        }
        Some(format!("In all: {}", parts.join(" · ")))
    }

    /// Nothing at all to show.
    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty()
            && self.overdue_obligations.is_empty()
            && self.stale_people.is_empty()
            && self.stale_accounts.is_empty()
            && self.ahead.is_empty()
            && self.days.iter().all(|d| {
                d.meetings.is_empty()
                    && d.followups.is_empty()
                    && d.birthdays.is_empty()
                    && d.deadlines.is_empty()
            })
    }
}

/// Computes the agenda of `days` days from `from`, as seen at `now` (whose zone is the local one).
pub fn build<Tz: TimeZone>(
    reader: &Reader<'_>,
    now: &DateTime<Tz>,
    from: NaiveDate,
    days: u32,
    cadence: &Cadence,
) -> Result<Agenda, StoreError> {
    let tz = now.timezone();
    let today = now.date_naive();
    // Overdue = due before this day; what is due in [today, from) is left out (module header).
    let late_before = from.min(today);
    let days = days.clamp(1, MAX_DAYS);
    let to = from
        .checked_add_days(Days::new(u64::from(days - 1)))
        .unwrap_or(from);
    let mut agenda_days: Vec<AgendaDay> = from
        .iter_days()
        .take(days as usize)
        .map(|date| AgendaDay {
            date,
            meetings: Vec::new(),
            followups: Vec::new(),
            birthdays: Vec::new(),
            deadlines: Vec::new(),
        })
        .collect();
    let count = agenda_days.len();
    let index = |d: NaiveDate| {
        usize::try_from((d - from).num_days())
            .ok()
            .filter(|i| *i < count)
    };

    let end = to.succ_opt().unwrap_or(to);
    let rows = reader.scheduled_between(
        start_of_day(&tz, from),
        start_of_day(&tz, end),
        MEETING_LIMIT + 1,
    )?;
    let meetings_more = rows.len() > MEETING_LIMIT as usize;
    for row in rows.into_iter().take(MEETING_LIMIT as usize) {
        let local = row.interaction.at.with_timezone(&tz).date_naive();
        if let Some(i) = index(local) {
            agenda_days[i].meetings.push(meeting(row));
        }
    }
    let mut travel = TravelTimes::default();
    for day in &mut agenda_days {
        flag_overlaps(&mut day.meetings);
        for m in &mut day.meetings {
            travel.set_leave_by(reader, m)?;
        }
    }

    // The most recent overdue follow-ups, oldest of them first, and how many there are in all:
    // a notebook with hundreds of forgotten ones shows the ones still worth acting on.
    let (overdue, overdue_total) = match late_before.pred_opt() {
        Some(last) => {
            let mut rows = reader.latest_open_followups_until(last, &tz, OVERDUE_LIMIT)?;
            rows.reverse();
            let items: Vec<FollowUpItem> = rows
                .into_iter()
                .map(|r| followup_item(r, today, &tz))
                .collect();
            (items, reader.count_open_followups_until(last, &tz)?)
        }
        None => (Vec::new(), 0),
    };
    let overdue_more = usize::try_from(overdue_total).unwrap_or(usize::MAX) > overdue.len();
    for row in reader.open_followups_between(from, to, &tz, DUE_LIMIT)? {
        if let Some(i) = index(row.followup.due.day_in(&tz)) {
            agenda_days[i]
                .followups
                .push(followup_item(row, today, &tz));
        }
    }

    let birthdays_more = add_birthdays(reader, from, to, &mut agenda_days)?;

    add_deadlines(reader, from, to, &mut agenda_days)?;
    let (overdue_obligations, overdue_owed) = overdue_obligations(reader, late_before)?;
    let overdue_obligations_total: i64 = overdue_owed.iter().map(|o| o.count).sum();
    let overdue_obligations_more = usize::try_from(overdue_obligations_total).unwrap_or(usize::MAX)
        > overdue_obligations.len();
    let (stale_people, stale_more, stale_accounts) = stale_lists(reader, &tz, today, cadence)?;

    Ok(Agenda {
        today,
        from,
        to,
        overdue,
        overdue_total,
        overdue_more,
        overdue_obligations,
        overdue_obligations_total,
        overdue_obligations_more,
        overdue_owed,
        days: agenda_days,
        meetings_more,
        birthdays_more,
        stale_people,
        stale_accounts,
        stale_more,
        ahead: Vec::new(),
        ahead_more: false,
        red_flags: Vec::new(),
    })
}

fn index(from: NaiveDate, count: usize, d: NaiveDate) -> Option<usize> {
    usize::try_from((d - from).num_days())
        .ok()
        .filter(|i| *i < count)
}

/// Deal closes, milestones and obligations of the range into their days.
fn add_deadlines(
    reader: &Reader<'_>,
    from: NaiveDate,
    to: NaiveDate,
    days: &mut [AgendaDay],
) -> Result<(), StoreError> {
    let count = days.len();
    for (deal, account) in reader.deals_closing_between(from, to, DEADLINE_LIMIT)? {
        if let Some(i) = deal.close.and_then(|d| index(from, count, d)) {
            days[i].deadlines.push(Deadline::DealClose {
                deal: deal.id,
                title: deal.title,
                account,
                stage: deal.stage,
                deal_kind: deal.kind,
                value: deal.value,
                currency: deal.currency,
            });
        }
    }
    for (deal, title, account, milestone) in reader.milestones_between(from, to, DEADLINE_LIMIT)? {
        if let Some(i) = index(from, count, milestone.date) {
            days[i].deadlines.push(Deadline::Milestone {
                deal,
                title,
                account,
                name: milestone.name,
            });
        }
    }
    for o in reader.pending_obligations_between(from, to, DUE_LIMIT)? {
        if let Some(i) = index(from, count, o.due) {
            days[i].deadlines.push(obligation_deadline(o));
        }
    }
    Ok(())
}

/// The overdue obligations (due before `late_before`): the [`OVERDUE_LIMIT`] due most
/// recently, oldest of them first — a notebook with hundreds of unpaid instalments shows the
/// ones still worth chasing — and all of them counted and summed per party and currency.
fn overdue_obligations(
    reader: &Reader<'_>,
    late_before: NaiveDate,
) -> Result<(Vec<Deadline>, Vec<OwedOverdue>), StoreError> {
    let mut latest = reader.latest_pending_obligations_before(late_before, OVERDUE_LIMIT)?;
    latest.reverse();
    let listed = latest.into_iter().map(obligation_deadline).collect();
    let owed = reader
        .pending_obligations_owed_before(late_before)?
        .into_iter()
        .map(|(party, currency, count, amount)| OwedOverdue {
            party,
            currency,
            count,
            amount,
        })
        .collect();
    Ok((listed, owed))
}

fn obligation_deadline(o: ListedObligation) -> Deadline {
    Deadline::Obligation {
        obligation: o.id,
        text: o.text,
        deal_title: o.deal_title,
        account: o.account,
        party: o.party,
        obligation_kind: o.kind,
        amount: o.amount,
        currency: o.currency,
    }
}

/// People due for contact (and whether there are more than listed) and accounts out of touch:
/// more calendar days since the last contact than their cadence, most overdue first.
fn stale_lists<Tz: TimeZone>(
    reader: &Reader<'_>,
    tz: &Tz,
    today: NaiveDate,
    cadence: &Cadence,
) -> Result<(Vec<Stale>, bool, Vec<Stale>), StoreError> {
    // Stale = last contact before the start of the day `cadence` days ago.
    let cutoff = |d: u32| {
        let day = today
            .checked_sub_days(Days::new(u64::from(d)))
            .unwrap_or(today);
        start_of_day(tz, day)
    };
    let cutoffs = StaleCutoffs {
        a: cutoff(cadence.a),
        b: cutoff(cadence.b),
        c: cutoff(cadence.c),
        untiered: cutoff(cadence.untiered),
    };
    let person_cadence = |r: &StaleRow| {
        cadence.person(CadenceOf {
            tier: r.tier,
            influence: r.influence,
            stage: r.stage,
            own: r.own_cadence,
        })
    };
    // A handful of distinct cadences: each cutoff (a time-zone walk) computed once.
    let cutoffs_by_days = std::cell::RefCell::new(std::collections::HashMap::new());
    let person_cutoff = |r: &StaleRow| {
        person_cadence(r).map(|d| {
            *cutoffs_by_days
                .borrow_mut()
                .entry(d)
                .or_insert_with(|| cutoff(d))
        })
    };
    let people = reader.due_people(
        cutoff(cadence.shortest_key()),
        cutoff(1),
        STALE_LIMIT + 1,
        &person_cutoff,
    )?;
    let stale_more = people.len() > STALE_LIMIT as usize;
    let stale_people = people
        .into_iter()
        .take(STALE_LIMIT as usize)
        .map(|r| {
            let days = person_cadence(&r);
            let days_silent = r.last_contact.and_then(|t| days_since(tz, today, t));
            Stale {
                suggest_cooling: cadence.suggests_cooling(r.stage, days, days_silent),
                days_silent,
                cadence_days: days.unwrap_or(0),
                stage: r.stage,
                id: r.id,
                name: r.name,
                account: r.account_name,
                tier: r.tier,
            }
        })
        .collect();
    let stale_accounts = reader
        .stale_accounts(cutoffs, STALE_ACCOUNTS_PER_TIER)?
        .into_iter()
        .map(|r| Stale {
            days_silent: r.last_contact.and_then(|t| days_since(tz, today, t)),
            cadence_days: cadence.base(r.tier),
            stage: None,
            suggest_cooling: false,
            id: r.id,
            name: r.name,
            account: r.account_name,
            tier: r.tier,
        })
        .collect();

    Ok((stale_people, stale_more, stale_accounts))
}

fn meeting(row: InteractionRow) -> Meeting {
    let i = row.interaction;
    Meeting {
        id: i.id,
        version: row.version,
        kind: i.kind,
        status: i.status,
        start: i.at,
        end: i.end,
        title: i.title,
        location: i.location,
        account: i
            .account
            .zip(row.account_name)
            .map(|(id, name)| Named { id, name }),
        // Who will be there: the people taking part, not those only mentioned in its notes
        // (issue 14.1), whom the row's names also list.
        people: row
            .people
            .into_iter()
            .filter(|(id, _)| i.people.contains(id))
            .map(|(id, name)| Attendee { id, name })
            .collect(),
        overlaps: false,
        leave_by: None,
    }
}

/// The travel minutes of the accounts met, each read once.
#[derive(Default)]
struct TravelTimes(std::collections::HashMap<Id, Option<u16>>);

impl TravelTimes {
    /// Sets `m.leave_by` from its account's travel minutes (planned meetings only).
    fn set_leave_by(&mut self, reader: &Reader<'_>, m: &mut Meeting) -> Result<(), StoreError> {
        let Some(account) = m.account.as_ref().map(|a| a.id) else {
            return Ok(());
        };
        if m.status != InteractionStatus::Planned || !crate::domain::travel::travels(m.kind) {
            return Ok(());
        }
        let minutes = if let Some(known) = self.0.get(&account) {
            *known
        } else {
            let read = reader.travel_minutes_of_account(Some(account))?;
            self.0.insert(account, read);
            read
        };
        m.leave_by = crate::domain::travel::leave_by(m.kind, &m.start, minutes);
        Ok(())
    }
}

/// Marks meetings (not cancelled) whose times overlap; a meeting without an end lasts 30 min.
fn flag_overlaps(meetings: &mut [Meeting]) {
    let span = |m: &Meeting| {
        let start = m.start.timestamp();
        (
            start,
            m.end
                .map_or(start + 30 * 60, |e| e.timestamp().max(start + 1)),
        )
    };
    for i in 0..meetings.len() {
        for j in (i + 1)..meetings.len() {
            let cancelled = |m: &Meeting| m.status == InteractionStatus::Cancelled;
            if cancelled(&meetings[i]) || cancelled(&meetings[j]) {
                continue;
            }
            let (a0, a1) = span(&meetings[i]);
            let (b0, b1) = span(&meetings[j]);
            if a0 < b1 && b0 < a1 {
                meetings[i].overlaps = true;
                meetings[j].overlaps = true;
            }
        }
    }
}

/// A follow-up as the agenda shows it, its day the local one of its instant in `tz`.
fn followup_item<Tz: TimeZone>(row: FollowUpRow, today: NaiveDate, tz: &Tz) -> FollowUpItem {
    let f: FollowUp = row.followup;
    let due = f.due.day_in(tz);
    FollowUpItem {
        id: f.id,
        version: row.version,
        text: f.text,
        due,
        at: match f.due {
            Due::At(t) => Some(t),
            Due::Day(_) => None,
        },
        priority: f.priority,
        repeat: f.repeat.map(|r| r.to_string()),
        account: f
            .account
            .zip(row.account_name)
            .map(|(id, name)| Named { id, name }),
        person: f
            .person
            .zip(row.person_name)
            .map(|(id, name)| Named { id, name }),
        days_overdue: (today - due).num_days(),
    }
}

/// Birthdays of every day in the range, the first [`BIRTHDAY_LIMIT`] (returns whether there
/// are more); 29 February ones fall on 28 February in common years.
fn add_birthdays(
    reader: &Reader<'_>,
    from: NaiveDate,
    to: NaiveDate,
    days: &mut [AgendaDay],
) -> Result<bool, StoreError> {
    let mut left = BIRTHDAY_LIMIT as usize;
    let mut year = from.year();
    while year <= to.year() {
        let start = if year == from.year() {
            from
        } else {
            NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(from)
        };
        let end = if year == to.year() {
            to
        } else {
            NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(to)
        };
        let mut last_md = end.format("%m-%d").to_string();
        if end.month() == 2 && end.day() == 28 {
            last_md = "02-29".into(); // celebrated on the 28th this year
        }
        let asked = u32::try_from(left + 1).unwrap_or(u32::MAX);
        let rows = reader.birthdays_between(&start.format("%m-%d").to_string(), &last_md, asked)?;
        let room = left;
        let more = rows.len() > room;
        left = left.saturating_sub(rows.len());
        for row in rows.into_iter().take(room) {
            let date = row.birthday.in_year(year);
            let Ok(i) = usize::try_from((date - from).num_days()) else {
                continue;
            };
            let Some(day) = days.get_mut(i) else { continue };
            day.birthdays.push(BirthdayItem {
                person: row.person,
                turns: Birthday::age_in(row.birthday, year),
                name: row.name,
                account: row.account_name,
                date,
            });
        }
        if more {
            return Ok(true);
        }
        year += 1;
    }
    Ok(false)
}

#[cfg(test)]
mod tests;
