//! The committee red flag (issue 14.3): before a tender's submission, every member of its
//! committee (evaluation committee or decision maker, `crate::domain::DealRole::is_committee`)
//! should have been seen in the last weeks. From [`COMMITTEE_WEEKS`] weeks before the
//! submission until its day, a member not seen since the window opened (or never) is flagged:
//! 3 (act now) in the last week, else 2. After the submission there is no flag: the offers
//! are in.
//!
//! The submission is the deal's milestone named like one (`submission`, `submit`,
//! `deadline`, `presentación`, `entrega`), else its expected close. "Seen" is read through
//! [`last_seen`], the one place that says what counts as seeing someone.

use chrono::{DateTime, NaiveDate, TimeZone};

use super::{RedFlag, RedFlagKind};
use crate::domain::{Deal, Id};
use crate::store::{Reader, StoreError};

/// How many weeks before a submission the committee should have been seen.
pub const COMMITTEE_WEEKS: i64 = 4;
/// Open deals of an account looked at (soonest close first).
const DEALS_READ: u32 = 20;

/// When `person` was last seen (unix seconds), `None` if never: the notebook's last-contact
/// helper today; the one function to switch when "seen" comes to mean taking part in a
/// meeting, visit, call, meal or event.
pub fn last_seen(reader: &Reader<'_>, person: Id) -> Result<Option<i64>, StoreError> {
    reader.person_last_contact(person)
}

/// The local day (in `tz`) `person` was last seen, `None` if never ([`last_seen`]).
pub fn seen_day<Tz: TimeZone>(
    reader: &Reader<'_>,
    person: Id,
    tz: &Tz,
) -> Result<Option<NaiveDate>, StoreError> {
    Ok(last_seen(reader, person)?
        .and_then(|t| tz.timestamp_opt(t, 0).single())
        .map(|t| t.date_naive()))
}

/// Whether a committee member last seen on `seen` is flagged on `today` for a submission on
/// `submission`: inside the window (from [`COMMITTEE_WEEKS`] before it to its day) and not
/// seen since the window opened.
pub fn unseen_before(submission: NaiveDate, today: NaiveDate, seen: Option<NaiveDate>) -> bool {
    let opens = submission - chrono::Duration::weeks(COMMITTEE_WEEKS);
    (opens..=submission).contains(&today) && seen.is_none_or(|d| d < opens)
}

/// Milestone names that mean the offers are due (folded: no case, no accents).
const SUBMISSION_WORDS: &[&str] = &[
    "submission",
    "submit",
    "deadline",
    "presentacion",
    "entrega",
];

/// The day a deal's offers are due: a milestone named like a submission, else its close.
pub fn submission_day(deal: &Deal) -> Option<NaiveDate> {
    deal.milestones
        .iter()
        .find(|m| {
            let name = crate::text::fold(&m.name);
            SUBMISSION_WORDS.iter().any(|w| name.contains(w))
        })
        .map(|m| m.date)
        .or(deal.close)
}

/// The committee flags of account `account` at `now`.
pub fn committee_flags<Tz: TimeZone>(
    reader: &Reader<'_>,
    account: Id,
    now: &DateTime<Tz>,
) -> Result<Vec<RedFlag>, StoreError> {
    let today = now.date_naive();
    let tz = now.timezone();
    let mut out = Vec::new();
    for deal in reader.open_deals_of(account, DEALS_READ)? {
        let Some(submission) = submission_day(&deal) else {
            continue;
        };
        if !unseen_before(submission, today, None) {
            continue;
        }
        let left = (submission - today).num_days();
        let mut named: Vec<Id> = Vec::new();
        for row in reader.deal_people(deal.id)? {
            let person = row.role.person;
            if !row.role.role.is_committee() || named.contains(&person) {
                continue;
            }
            let seen = seen_day(reader, person, &tz)?;
            if !unseen_before(submission, today, seen) {
                continue;
            }
            named.push(person);
            let since = seen.map_or_else(
                || "never seen".to_string(),
                |d| format!("not seen since {d}"),
            );
            let due = match left {
                0 => "submission today".to_string(),
                1 => "submission tomorrow".to_string(),
                n => format!("submission in {n} days"),
            };
            out.push(RedFlag {
                kind: RedFlagKind::CommitteeNotSeen,
                severity: if left < 7 { 3 } else { 2 },
                text: format!(
                    "Committee member {} ({}, #d{} {}) {since}; {due}",
                    row.name, row.role.role, deal.id, deal.title
                ),
                person: Some((person, row.name.clone())),
            });
        }
    }
    Ok(out)
}
