//! Red flags: what is wrong with an account's relationship map, computed from the notebook (never
//! stored). "Seen", "met" and "contacted" mean *seen* (`crate::domain::contact`): taking part in
//! a meeting, visit, call, meal or event; an e-mail, a note or a mention is not. Shown in the account dossier, the agenda's prep line ("⚑2") and `kam flags`.
//!
//! The rules (severity 3 = act now, 2 = fix soon, 1 = keep an eye on it):
//!
//! - **No coach** in a *key account* (tier A or B): nobody with the role `coach`. Tier A: 2, B: 1.
//! - **Economic buyer never met**: the account has economic buyers and none was ever contacted (3);
//!   or a key account has no economic buyer at all in the notebook (2).
//! - **Economic buyer not seen**: the most recently seen economic buyer is past their cadence
//!   (their own, or the tier's base when their stage has none) (2).
//! - **Single-threaded**: of the latest [`RECENT`] done interactions, at least [`THREAD_MIN`] name
//!   somebody, and one person is named in at least [`THREAD_SHARE`] % of those (2 in a key
//!   account, 1 elsewhere).
//! - **Powerful opponent**: attitude `opponent` with influence 4 (2) or 5 (3); the [`LISTED`]
//!   most influential are named, the rest counted (1).
//! - **Key person overdue**: influence 4–5, tracked by a cadence (see `crate::cadence`) and past
//!   it, or never contacted (2) — an `identified` one only once their cadence has passed since
//!   the day they were identified; the [`LISTED`] most overdue are named, the rest counted (1).
//!   Economic buyers and opponents are left to their own rules (one flag per person).
//! - **Committee member not seen** before a tender's submission ([`committee`]): 3 in its last
//!   week, else 2.
//! - **Promises overdue**: open follow-ups of the account and our obligations (party `us`) on its
//!   deals due before today: 3 when there are 3 or more or the oldest is 14 days late, else 2.
//!
//! [`worst_accounts`] ranks by the sum of severities (then the worst single flag, the tier, the
//! name) among a bounded set of candidates read from indexes (`Reader::flag_candidates`), so it
//! costs the same at any notebook size; it does not look at every account.

use chrono::{DateTime, NaiveDate, TimeZone};
use serde::Serialize;

use crate::cadence::{CadenceConfig, CadenceOf, ContactDue, span};
use crate::domain::{Attitude, Id, Named, Tier};
use crate::store::{AccountFacts, FlagPerson, Reader, StoreError};
use crate::when::days_since;

/// The latest done interactions looked at for single-threading.
pub const RECENT: u32 = 20;
/// Fewest of them naming somebody before single-threading is judged.
pub const THREAD_MIN: u32 = 5;
/// Share (percent) of them through one person that makes an account single-threaded.
pub const THREAD_SHARE: u32 = 80;
/// Overdue key people (and opponents) named one by one; the rest are counted in one flag.
pub const LISTED: usize = 3;
/// Most candidates read from each source by [`worst_accounts`] (five per account asked for,
/// at least ten).
pub const CANDIDATES_PER_SOURCE: u32 = 25;

/// What kind of trouble a flag points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RedFlagKind {
    NoCoach,
    EconomicBuyerNeverMet,
    EconomicBuyerNotSeen,
    SingleThreaded,
    PowerfulOpponent,
    KeyPersonOverdue,
    PromisesOverdue,
    CommitteeNotSeen,
}

/// One red flag on an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedFlag {
    pub kind: RedFlagKind,
    /// 1 (keep an eye on it) to 3 (act now).
    pub severity: u8,
    /// One line in KAM words: "Economic buyer Iván Grigóriev not seen for 2 months (every 15 days)".
    pub text: String,
    /// The person it is about, when one is.
    pub person: Option<(Id, String)>,
}

/// A key account: tier A or B.
pub fn is_key_account(tier: Option<Tier>) -> bool {
    matches!(tier, Some(Tier::A | Tier::B))
}

/// The sum of severities: how bad an account looks.
pub fn score(flags: &[RedFlag]) -> u32 {
    flags.iter().map(|f| u32::from(f.severity)).sum()
}

fn tier_note(tier: Option<Tier>) -> String {
    tier.map_or_else(String::new, |t| format!(" (tier {t} account)"))
}

fn who(p: &FlagPerson) -> (Id, String) {
    (p.id, p.name.clone())
}

/// What every rule reads: the facts, the day and the cadence rules; collects the flags.
struct Judge<'f, Tz: TimeZone> {
    facts: &'f AccountFacts,
    tz: &'f Tz,
    today: NaiveDate,
    rules: &'f CadenceConfig,
    key: bool,
    flags: Vec<RedFlag>,
}

impl<'f, Tz: TimeZone> Judge<'f, Tz> {
    fn new(
        facts: &'f AccountFacts,
        tz: &'f Tz,
        today: NaiveDate,
        rules: &'f CadenceConfig,
    ) -> Self {
        Judge {
            facts,
            tz,
            today,
            rules,
            key: is_key_account(facts.tier),
            flags: Vec::new(),
        }
    }

    fn flag(
        &mut self,
        kind: RedFlagKind,
        severity: u8,
        text: String,
        person: Option<(Id, String)>,
    ) {
        self.flags.push(RedFlag {
            kind,
            severity,
            text,
            person,
        });
    }

    fn silent(&self, p: &FlagPerson) -> Option<i64> {
        p.last_contact
            .and_then(|t| days_since(self.tz, self.today, t))
    }

    /// Where a key person stands: from when they were last seen, or, identified and never
    /// seen, from the day they were identified.
    fn due(&self, p: &FlagPerson) -> ContactDue {
        match p.identified_since {
            Some(since) if p.last_contact.is_none() => {
                ContactDue::first(self.cadence(p), days_since(self.tz, self.today, since))
            }
            _ => ContactDue::of(self.cadence(p), self.silent(p)),
        }
    }

    fn cadence(&self, p: &FlagPerson) -> Option<u32> {
        self.rules.person(CadenceOf {
            tier: self.facts.tier,
            influence: p.influence,
            stage: p.stage,
            own: p.own_cadence,
        })
    }

    fn no_coach(&mut self) {
        let facts = self.facts;
        if self.key && !facts.has_coach {
            let severity = if facts.tier == Some(Tier::A) { 2 } else { 1 };
            self.flag(
                RedFlagKind::NoCoach,
                severity,
                format!(
                    "No coach: nobody inside guides the sale{}",
                    tier_note(facts.tier)
                ),
                None,
            );
        }
    }

    fn economic_buyer(&mut self) {
        let facts = self.facts;
        match facts.economic_buyers.first() {
            None if self.key => self.flag(
                RedFlagKind::EconomicBuyerNeverMet,
                2,
                format!("No economic buyer known{}", tier_note(facts.tier)),
                None,
            ),
            None => {}
            Some(first) if first.last_contact.is_none() => {
                let more = match facts.economic_buyers.len() {
                    1 => String::new(),
                    n => format!(" (nor {} other{})", n - 1, if n == 2 { "" } else { "s" }),
                };
                self.flag(
                    RedFlagKind::EconomicBuyerNeverMet,
                    3,
                    format!("Economic buyer {} never met{more}", first.name),
                    Some(who(first)),
                );
            }
            Some(seen) => {
                let days = self
                    .cadence(seen)
                    .unwrap_or_else(|| self.rules.base(facts.tier));
                if let ContactDue::Overdue { days: late, .. } =
                    ContactDue::of(Some(days), self.silent(seen))
                {
                    let since = i64::from(days) + late;
                    self.flag(
                        RedFlagKind::EconomicBuyerNotSeen,
                        2,
                        format!(
                            "Economic buyer {} not seen for {} (every {days} days)",
                            seen.name,
                            span(since)
                        ),
                        Some(who(seen)),
                    );
                }
            }
        }
    }

    fn single_threaded(&mut self) {
        let t = &self.facts.threading;
        if let Some((id, name, count)) = &t.top {
            if t.with_people >= THREAD_MIN && count * 100 >= THREAD_SHARE * t.with_people {
                let text = format!(
                    "Single-threaded: {count} of the last {} contacts through {name}",
                    t.with_people
                );
                let person = Some((*id, name.clone()));
                self.flag(
                    RedFlagKind::SingleThreaded,
                    if self.key { 2 } else { 1 },
                    text,
                    person,
                );
            }
        }
    }

    fn opponents(&mut self) {
        let facts = self.facts;
        let opponents: Vec<&FlagPerson> = facts
            .opponents
            .iter()
            .filter(|p| p.attitude == Some(Attitude::Opponent) && p.influence.unwrap_or(0) >= 4)
            .collect();
        for p in opponents.iter().take(LISTED) {
            let influence = p.influence.unwrap_or(0);
            self.flag(
                RedFlagKind::PowerfulOpponent,
                if influence >= 5 { 3 } else { 2 },
                format!("Opponent with influence {influence}: {}", p.name),
                Some(who(p)),
            );
        }
        if opponents.len() > LISTED {
            let plus = if facts.opponents.len() >= crate::store::OPPONENTS_READ as usize {
                "+"
            } else {
                ""
            };
            self.flag(
                RedFlagKind::PowerfulOpponent,
                1,
                format!(
                    "{}{plus} more opponents with influence 4–5",
                    opponents.len() - LISTED
                ),
                None,
            );
        }
    }

    /// The key people past their cadence or never contacted, most overdue first; economic
    /// buyers and opponents are left to their own rules (one flag per person).
    fn overdue_key_people(&self) -> Vec<(i64, &'f FlagPerson, ContactDue)> {
        let facts = self.facts;
        let judged: Vec<Id> = facts
            .economic_buyers
            .iter()
            .chain(&facts.opponents)
            .map(|p| p.id)
            .collect();
        let mut overdue: Vec<(i64, &FlagPerson, ContactDue)> = facts
            .key_people
            .iter()
            .filter(|p| p.influence.unwrap_or(0) >= 4 && !judged.contains(&p.id))
            .filter_map(|p| {
                let due = self.due(p);
                Some((due.days_late()?, p, due))
            })
            .collect();
        overdue.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.id.cmp(&b.1.id)));
        overdue
    }

    fn key_people(&mut self) {
        let facts = self.facts;
        let overdue = self.overdue_key_people();
        for (_, p, due) in overdue.iter().take(LISTED) {
            let text = match *due {
                ContactDue::Overdue { cadence, days } => format!(
                    "Key person {} not seen for {} (every {cadence} days)",
                    p.name,
                    span(i64::from(cadence) + days)
                ),
                ContactDue::FirstContact { cadence, days } => format!(
                    "Key person {} identified {} ago, never met (first contact within {cadence} \
                     days)",
                    p.name,
                    span(days)
                ),
                _ => format!("Key person {} never contacted", p.name),
            };
            self.flag(RedFlagKind::KeyPersonOverdue, 2, text, Some(who(p)));
        }
        if overdue.len() > LISTED {
            let more = overdue.len() - LISTED;
            let plus = if facts.key_people_capped { "+" } else { "" };
            self.flag(
                RedFlagKind::KeyPersonOverdue,
                1,
                format!("{more}{plus} more key people overdue for contact"),
                None,
            );
        }
    }

    fn promises(&mut self) {
        let facts = self.facts;
        let promises = facts.overdue_followups + facts.overdue_obligations;
        if promises > 0 {
            let oldest = [facts.oldest_followup, facts.oldest_obligation]
                .into_iter()
                .flatten()
                .min();
            let late = oldest.map_or(0, |d| (self.today - d).num_days());
            let noun = if promises == 1 { "promise" } else { "promises" };
            self.flag(
                RedFlagKind::PromisesOverdue,
                if promises >= 3 || late >= 14 { 3 } else { 2 },
                format!("{promises} {noun} overdue, the oldest {} late", span(late)),
                None,
            );
        }
    }
}

/// The red flags of an account from its facts, as seen on `today` in `tz`; worst first.
pub fn evaluate<Tz: TimeZone>(
    facts: &AccountFacts,
    tz: &Tz,
    today: NaiveDate,
    rules: &CadenceConfig,
) -> Vec<RedFlag> {
    let mut judge = Judge::new(facts, tz, today, rules);
    judge.no_coach();
    judge.economic_buyer();
    judge.single_threaded();
    judge.opponents();
    judge.key_people();
    judge.promises();
    let mut flags = judge.flags;
    flags.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.kind.cmp(&b.kind)));
    flags
}

/// The facts about account `id` as seen at `now` (`None` if there is no such account), with the
/// names of the key people a flag will list: the key people are read from their index alone
/// (a name is a table row each: 200 rows for the biggest L account), so only the [`LISTED`]
/// most overdue are named.
fn judged_facts<Tz: TimeZone>(
    reader: &Reader<'_>,
    id: Id,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<Option<AccountFacts>, StoreError> {
    let today = now.date_naive();
    let tz = now.timezone();
    let Some(mut facts) = reader.account_facts(id, today, &tz, now.timestamp(), RECENT)? else {
        return Ok(None);
    };
    if !facts.archived {
        let listed: Vec<Id> = Judge::new(&facts, &tz, today, cadence)
            .overdue_key_people()
            .iter()
            .take(LISTED)
            .map(|(_, p, _)| p.id)
            .collect();
        reader.name_people(&mut facts.key_people, &listed)?;
    }
    Ok(Some(facts))
}

/// The red flags of account `account_id` as seen at `now`; worst first. An archived account has
/// none (it is no longer worked); an unknown account is [`StoreError::NotFound`].
pub fn for_account<Tz: TimeZone>(
    reader: &Reader<'_>,
    account_id: Id,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
) -> Result<Vec<RedFlag>, StoreError> {
    let today = now.date_naive();
    let facts =
        judged_facts(reader, account_id, now, cadence)?.ok_or_else(|| StoreError::NotFound {
            what: format!("account #a{account_id}"),
        })?;
    if facts.archived {
        return Ok(Vec::new());
    }
    let mut flags = evaluate(&facts, &now.timezone(), today, cadence);
    flags.extend(committee::committee_flags(reader, account_id, now)?);
    flags.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.kind.cmp(&b.kind)));
    Ok(flags)
}

/// The accounts with the worst red flags, at most `limit`, worst first, among the bounded set of
/// candidates (module header); accounts without a flag are left out.
pub fn worst_accounts<Tz: TimeZone>(
    reader: &Reader<'_>,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
    limit: usize,
) -> Result<Vec<(Named, Vec<RedFlag>)>, StoreError> {
    let per_source = u32::try_from(limit.saturating_mul(5))
        .unwrap_or(u32::MAX)
        .clamp(10, CANDIDATES_PER_SOURCE);
    worst_among(reader, now, cadence, limit, per_source)
}

/// As [`worst_accounts`], reading at most `per_source` candidates from each source: the agenda
/// screen, which reloads often, looks at fewer.
pub fn worst_among<Tz: TimeZone>(
    reader: &Reader<'_>,
    now: &DateTime<Tz>,
    cadence: &CadenceConfig,
    limit: usize,
    per_source: u32,
) -> Result<Vec<(Named, Vec<RedFlag>)>, StoreError> {
    let today = now.date_naive();
    let tz = now.timezone();
    let mut ranked = Vec::new();
    for id in reader.flag_candidates(today, &tz, per_source)? {
        let Some(facts) = judged_facts(reader, id, now, cadence)?.filter(|f| !f.archived) else {
            continue;
        };
        let flags = evaluate(&facts, &tz, today, cadence);
        if !flags.is_empty() {
            ranked.push((
                facts.tier,
                Named {
                    id,
                    name: facts.name,
                },
                flags,
            ));
        }
    }
    ranked.sort_by(|a, b| {
        score(&b.2)
            .cmp(&score(&a.2))
            .then_with(|| worst(&b.2).cmp(&worst(&a.2)))
            .then_with(|| tier_rank(a.0).cmp(&tier_rank(b.0)))
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.1.id.cmp(&b.1.id))
    });
    ranked.truncate(limit);
    Ok(ranked.into_iter().map(|(_, n, f)| (n, f)).collect())
}

fn worst(flags: &[RedFlag]) -> u8 {
    flags.iter().map(|f| f.severity).max().unwrap_or(0)
}

fn tier_rank(tier: Option<Tier>) -> u8 {
    match tier {
        Some(Tier::A) => 0,
        Some(Tier::B) => 1,
        Some(Tier::C) => 2,
        None => 3,
    }
}

/// "⚑2" for a prep line: how many flags, `None` when there are none.
pub fn badge(flags: &[RedFlag]) -> Option<String> {
    (!flags.is_empty()).then(|| format!("⚑{}", flags.len()))
}

pub mod committee;

#[cfg(test)]
mod tests;
