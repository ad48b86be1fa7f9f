//! The facts the red-flag rules (`crate::flags`) read about an account, and the bounded set of
//! accounts worth ranking. Every read walks an index of one account (`people_account_role`,
//! `people_account_key_groups`, `people_account_own_cadence`, `people_account_opponents`, `interactions_account_done`,
//! `followups_open_account`, `followups_open_unassigned` for follow-ups kept on a person without
//! an account field, which count for the person's account, `deals_account`) and stops at a limit, so an account of 18,000
//! people costs about what one of five does — except the key people of a rare cadence group
//! (cooling, own cadence), for which the walk may pass all of the account's key people.

use chrono::{NaiveDate, TimeZone};
use rusqlite::{OptionalExtension, Row, params};

use crate::domain::{Attitude, BuyingRole, Id, PersonStage, Tier};

use super::codec::{date_text, parse_opt_date, vocab, vocab_at};
use super::followups::DayRange;
use super::{Reader, StoreError};

/// Economic buyers kept per account, the most recently seen.
const ECONOMIC_BUYERS: u32 = 20;
/// Key people read per account, never contacted first, then the longest silent.
pub const KEY_PEOPLE_READ: u32 = 50;
/// Powerful opponents read per account.
pub const OPPONENTS_READ: u32 = 10;

/// A person as the red-flag rules see them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FlagPerson {
    pub id: Id,
    pub name: String,
    pub role: Option<BuyingRole>,
    pub influence: Option<u8>,
    pub attitude: Option<Attitude>,
    pub stage: Option<PersonStage>,
    /// Unix seconds of the last done interaction; `None` = never.
    pub last_contact: Option<i64>,
    /// Their own cadence in days (`x-cadence_days`).
    pub own_cadence: Option<u32>,
    /// For an identified key person never seen: when they were identified (unix seconds; the
    /// latest move to `identified`, else when they were added).
    pub identified_since: Option<i64>,
}

/// Who the latest contacts of an account went through.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Threading {
    /// Of the latest done interactions read, those naming at least one person.
    pub with_people: u32,
    /// The person named in most of them, with how many.
    pub top: Option<(Id, String, u32)>,
    /// How many different people they name.
    pub people: u32,
}

/// What the red-flag rules need to know about one account.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AccountFacts {
    pub id: Id,
    pub name: String,
    pub tier: Option<Tier>,
    /// Archived: no longer worked, so never flagged.
    pub archived: bool,
    pub has_coach: bool,
    /// Most recently contacted first.
    pub economic_buyers: Vec<FlagPerson>,
    /// Influence 4–5 with a cadence (not lost), never contacted first, then the
    /// longest silent: the [`KEY_PEOPLE_READ`] most overdue of each cadence group (below).
    /// Those without a cadence of their own are read from their index alone: no name, role or
    /// attitude ([`Reader::name_people`] reads the names of those to be listed).
    pub key_people: Vec<FlagPerson>,
    /// A group of `key_people` held more than was read.
    pub key_people_capped: bool,
    /// Influence 4–5 and attitude `opponent`.
    pub opponents: Vec<FlagPerson>,
    pub threading: Threading,
    /// Open follow-ups of the account due before today, and the oldest one's local day (of
    /// its instant, if timed).
    pub overdue_followups: u32,
    pub oldest_followup: Option<NaiveDate>,
    /// Our obligations (party `us`) on the account's deals, not done, due before today.
    pub overdue_obligations: u32,
    pub oldest_obligation: Option<NaiveDate>,
}

/// Accounts of the most recently overdue open follow-ups. `CROSS JOIN` keeps the walk on
/// `followups_open_due`, the account looked up by id.
/// A follow-up kept on a person without an account field belongs to the person's account.
/// `range` is the overdue test ([`DayRange`], parameters from `?2`); `?1` is the limit.
fn candidates_overdue(range: &str) -> String {
    format!(
        "SELECT a.id FROM followups f INDEXED BY followups_open_due
         CROSS JOIN accounts a ON a.id = coalesce(f.account_id,
             (SELECT account_id FROM people WHERE id = f.person_id))
         WHERE f.status = 'open' AND {range} AND a.archived_at IS NULL
         ORDER BY f.due_date DESC LIMIT ?1"
    )
}
/// Accounts with a powerful opponent, walking `people_key_attitude`.
const CANDIDATES_OPPONENTS: &str = "SELECT DISTINCT p.account_id FROM people p
    CROSS JOIN accounts a ON a.id = p.account_id
    WHERE p.attitude = 'opponent' AND p.influence >= 4 AND p.archived_at IS NULL
      AND a.archived_at IS NULL LIMIT ?1";

/// The people who took part in an account's `?2` latest done interactions up to `?3` (the
/// mentioned are no contact), one row per (interaction, person).
const THREADING: &str = "WITH latest AS (SELECT id FROM interactions
      INDEXED BY interactions_account_done
      WHERE account_id = ?1 AND at <= ?3 AND status = 'done' ORDER BY at DESC LIMIT ?2)
    SELECT ip.interaction_id, ip.person_id FROM latest
      JOIN interaction_people ip ON ip.interaction_id = latest.id
     WHERE ip.part = 'participant'";
/// [`THREADING`] keeping only the people that exist.
const THREADING_CHECKED: &str = "WITH latest AS (SELECT id FROM interactions
      INDEXED BY interactions_account_done
      WHERE account_id = ?1 AND at <= ?3 AND status = 'done' ORDER BY at DESC LIMIT ?2)
    SELECT ip.interaction_id, ip.person_id FROM latest
      JOIN interaction_people ip ON ip.interaction_id = latest.id
      JOIN people p ON p.id = ip.person_id
     WHERE ip.part = 'participant'";

/// A flagged person's columns but their cadence; the name as the person is addressed ("Dra.
/// Carmen Peña").
macro_rules! person_columns {
    () => {
        "id, coalesce(salutation || ' ', '') || name, role, influence, attitude, stage, last_contact"
    };
}
/// A flagged person's columns ([`flag_person`]).
const PERSON: &str = concat!(person_columns!(), ", cadence_days");
/// [`PERSON`] with `NULL` for the cadence, for a rule that never reads it: the generated
/// `cadence_days` costs ~60 K instructions to compile.
const PERSON_UNTIMED: &str = concat!(person_columns!(), ", NULL");

/// A person's name as addressed, by id.
const ADDRESSED_NAME: &str =
    "SELECT coalesce(salutation || ' ', '') || name FROM people WHERE id = ?1";

/// For a person identified and never seen (`NULL` for anybody else), when they were added to
/// the notebook, unix seconds: when they were identified unless a later move to `identified`
/// says otherwise ([`Reader::key_people`] looks those up). A column of the key-people walks; a
/// correlated subquery on `stage_changes` in its place made each walk ~180 K instructions
/// dearer to compile than the few look-ups it saved.
const ADDED_IF_IDENTIFIED: &str =
    "CASE WHEN last_contact IS NULL AND stage = 'identified' THEN unixepoch(created_at) END";

/// The latest move of person `?1` to `identified`, unix seconds (`stage_changes_person`).
const MOVED_TO_IDENTIFIED: &str = "SELECT max(at) FROM stage_changes
    WHERE person_id = ?1 AND ladder = 'person' AND to_stage = 'identified'";

/// A person of [`PERSON`]'s columns.
fn flag_person(r: &Row<'_>) -> Result<FlagPerson, StoreError> {
    Ok(FlagPerson {
        id: r.get(0)?,
        name: r.get(1)?,
        role: vocab_at(r, 2)?,
        influence: r.get(3)?,
        attitude: vocab_at(r, 4)?,
        stage: vocab_at(r, 5)?,
        last_contact: r.get(6)?,
        own_cadence: r.get(7)?,
        identified_since: None,
    })
}

/// A person of [`own_cadence_sql`]: [`PERSON`]'s columns, then [`ADDED_IF_IDENTIFIED`] (in
/// `identified_since`, until [`Reader::key_people`] settles it).
fn own_cadence_person(r: &Row<'_>) -> Result<FlagPerson, StoreError> {
    Ok(FlagPerson {
        identified_since: r.get(8)?,
        ..flag_person(r)?
    })
}

/// One cadence group of an account's key people (?3: influence 5, ?4: cooling), longest silent
/// first: a range of `people_account_key_groups` (schema v21), which puts the group before the
/// last contact, so a group is at most `?2` entries whatever the account's size (on the former
/// walk by account and last contact, a rare group passed most of the account's key people).
/// Named: without ANALYZE statistics the planner may prefer `people_account` and a sort. The
/// index holds every column read (`created_at` since schema v25), so no person's row is read;
/// the names of the few a flag lists are read afterwards ([`Reader::name_people`]). Nobody in
/// these groups has a cadence of their own (the index's `WHERE`).
fn key_group_sql() -> String {
    format!(
        "SELECT id, influence, stage, last_contact, {ADDED_IF_IDENTIFIED}
         FROM people INDEXED BY people_account_key_groups
         WHERE account_id = ?1 AND influence >= 4
           AND archived_at IS NULL AND cadence_days IS NULL
           AND (stage IS NULL OR stage != 'lost')
           AND (influence >= 5) = ?3 AND (stage IS 'cooling') = ?4
         ORDER BY last_contact, id LIMIT ?2"
    )
}

/// A key person read from `people_account_key_groups` alone ([`key_group_sql`]): no name, role
/// or attitude yet.
fn key_person(r: &Row<'_>) -> Result<FlagPerson, StoreError> {
    Ok(FlagPerson {
        id: r.get(0)?,
        name: String::new(),
        role: None,
        influence: r.get(1)?,
        attitude: None,
        stage: vocab_at(r, 2)?,
        last_contact: r.get(3)?,
        own_cadence: None,
        identified_since: r.get(4)?,
    })
}

/// All of an account's key people with a cadence of their own (`people_account_own_cadence`),
/// put most overdue first by [`Reader::key_people`]: an `ORDER BY` here read as many rows and
/// cost ~100 K instructions more to compile (SQLite's sorter).
fn own_cadence_sql() -> String {
    format!(
        "SELECT {PERSON}, {ADDED_IF_IDENTIFIED} FROM people INDEXED BY people_account_own_cadence
         WHERE account_id = ?1 AND influence >= 4
           AND archived_at IS NULL AND cadence_days IS NOT NULL"
    )
}

/// An account's economic buyers, all of them (`people_account_role`), put most recently seen
/// first by [`Reader::account_facts`] (rather than by an `ORDER BY`: see [`own_cadence_sql`]).
fn economic_buyers_sql() -> String {
    format!(
        "SELECT {PERSON} FROM people WHERE account_id = ?1 AND role = 'economic-buyer'
           AND archived_at IS NULL"
    )
}

/// An account's powerful opponents, strongest first, walked in that order
/// (`people_account_opponents`) and cut at `?2`; their rule never reads their cadence.
fn opponents_sql() -> String {
    format!(
        "SELECT {PERSON_UNTIMED} FROM people INDEXED BY people_account_opponents
         WHERE attitude = 'opponent' AND account_id = ?1
           AND influence >= 4 AND archived_at IS NULL ORDER BY influence DESC, id LIMIT ?2"
    )
}

impl Reader<'_> {
    fn flag_people(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
        person: fn(&Row<'_>) -> Result<FlagPerson, StoreError>,
    ) -> Result<Vec<FlagPerson>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(person(r)?);
        }
        Ok(out)
    }

    /// The facts about account `id` as of `today` (`None` if there is no such account), reading
    /// the `recent` latest done interactions up to `now` (unix seconds) for who the contacts go
    /// through.
    pub fn account_facts<Tz: TimeZone>(
        &self,
        id: Id,
        today: NaiveDate,
        tz: &Tz,
        now: i64,
        recent: u32,
    ) -> Result<Option<AccountFacts>, StoreError> {
        let head: Option<(String, Option<String>, bool, bool)> = {
            let mut stmt = self.conn.prepare_cached(
                "SELECT name, tier, archived_at IS NOT NULL, EXISTS (SELECT 1 FROM people
                   WHERE account_id = ?1 AND role = 'coach' AND archived_at IS NULL)
                 FROM accounts WHERE id = ?1",
            )?;
            let mut rows = stmt.query([id])?;
            match rows.next()? {
                Some(r) => Some((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                None => None,
            }
        };
        let Some((name, tier, archived, has_coach)) = head else {
            return Ok(None);
        };
        let mut economic_buyers = self.flag_people(&economic_buyers_sql(), [id], flag_person)?;
        // Most recently seen first, never seen last.
        economic_buyers.sort_by(|a, b| {
            a.last_contact
                .is_none()
                .cmp(&b.last_contact.is_none())
                .then(b.last_contact.cmp(&a.last_contact))
                .then(a.id.cmp(&b.id))
        });
        economic_buyers.truncate(ECONOMIC_BUYERS as usize);
        let (key_people, key_people_capped) = self.key_people(id)?;
        let opponents =
            self.flag_people(&opponents_sql(), params![id, OPPONENTS_READ], flag_person)?;
        let threading = self.threading(id, now, recent)?;
        // Overdue: due on a local day (of its instant, if timed) before today.
        let yesterday = today.pred_opt().unwrap_or(today);
        let own = DayRange::new(tz, None, Some(yesterday), "f1", 2);
        let kept = DayRange::new(tz, None, Some(yesterday), "f", 2);
        let mut args: Vec<rusqlite::types::Value> = vec![id.into()];
        args.extend(own.args);
        // The oldest: the earliest date-only day and the earliest instant, whose local day is
        // taken in `tz` below (the local day grows with the instant).
        let (overdue_followups, oldest_day, oldest_at): (u32, Option<String>, Option<i64>) = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*), min(CASE WHEN due_at IS NULL THEN due_date END), min(due_at)
                 FROM (SELECT f1.due_date, f1.due_at FROM followups f1
                         INDEXED BY followups_open_account
                        WHERE f1.account_id = ?1 AND f1.status = 'open' AND {}
                       UNION ALL
                       -- kept on one of its people, with no account of its own; the
                       -- walk of the account's people (all 18,745 of the biggest at L)
                       -- only if any open follow-up is kept so (`kept` runs first)
                       SELECT f.due_date, f.due_at FROM (SELECT 1 FROM followups
                           INDEXED BY followups_open_unassigned
                          WHERE status = 'open' AND account_id IS NULL LIMIT 1) AS kept
                         CROSS JOIN followups f INDEXED BY followups_open_unassigned
                         JOIN people p ON p.id = f.person_id
                        WHERE f.status = 'open' AND f.account_id IS NULL
                          AND p.account_id = ?1 AND {})",
                own.sql, kept.sql
            ))?
            .query_row(rusqlite::params_from_iter(args), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
        // Our overdue obligations, apart: as two scalar subqueries of the statement above they
        // made it ~170 K instructions dearer to compile than this one statement is.
        let (overdue_obligations, oldest_obligation): (u32, Option<String>) = self
            .conn
            .prepare_cached(
                "SELECT count(*), min(o.due) FROM deals d JOIN obligations o ON o.deal_id = d.id
                 WHERE d.account_id = ?1 AND o.party = 'us' AND d.archived_at IS NULL
                   AND (o.status IS NULL OR o.status != 'done') AND o.due < ?2",
            )?
            .query_row(params![id, date_text(today)], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        let oldest_at = oldest_at
            .map(|at| {
                chrono::DateTime::from_timestamp(at, 0)
                    .map(|t| t.with_timezone(tz).date_naive())
                    .ok_or_else(|| StoreError::Corrupt(format!("due instant {at}")))
            })
            .transpose()?;
        let oldest_followup = match (parse_opt_date(oldest_day)?, oldest_at) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(Some(AccountFacts {
            id,
            name,
            tier: vocab(tier)?,
            archived,
            has_coach,
            economic_buyers,
            key_people,
            key_people_capped,
            opponents,
            threading,
            overdue_followups,
            oldest_followup,
            overdue_obligations,
            oldest_obligation: parse_opt_date(oldest_obligation)?,
        }))
    }

    /// The key people of account `id` that can be the most overdue, and whether a group was
    /// cut. Within an account a cadence depends only on influence (4 or 5), the `cooling`
    /// stage and an own cadence, so each of the four groups without an own cadence is read
    /// longest silent first (= most overdue first) up to [`KEY_PEOPLE_READ`], and those with an
    /// own cadence by how far past it they are (all of the account's are sorted for that).
    fn key_people(&self, id: Id) -> Result<(Vec<FlagPerson>, bool), StoreError> {
        let mut out: Vec<FlagPerson> = Vec::new();
        let mut capped = false;
        let mut stmt = self.conn.prepare_cached(&key_group_sql())?;
        for (five, cooling) in [(false, false), (false, true), (true, false), (true, true)] {
            let mut rows = stmt.query(params![id, KEY_PEOPLE_READ, five, cooling])?;
            let mut n = 0;
            while let Some(r) = rows.next()? {
                out.push(key_person(r)?);
                n += 1;
            }
            capped |= n >= KEY_PEOPLE_READ;
        }
        let mut own = self.flag_people(&own_cadence_sql(), [id], own_cadence_person)?;
        // Never seen first, then by the day their cadence ran out.
        own.sort_by_key(|p| {
            let ran_out = p
                .last_contact
                .map(|t| t.saturating_sub(i64::from(p.own_cadence.unwrap_or(0)) * 86_400));
            (p.last_contact.is_some(), ran_out, p.id)
        });
        capped |= own.len() >= KEY_PEOPLE_READ as usize;
        own.truncate(KEY_PEOPLE_READ as usize);
        out.extend(own);
        // Identified and never seen: due from their latest move to identified, else from when
        // they were added (read with them; `None` if that text is not a time, as before).
        let mut moved = self.conn.prepare_cached(MOVED_TO_IDENTIFIED)?;
        for p in out
            .iter_mut()
            .filter(|p| p.last_contact.is_none() && p.stage == Some(PersonStage::Identified))
        {
            if let Some(at) = moved.query_row([p.id], |r| r.get::<_, Option<i64>>(0))? {
                p.identified_since = Some(at);
            }
        }
        out.sort_by(|a, b| {
            a.last_contact
                .is_some()
                .cmp(&b.last_contact.is_some())
                .then(a.last_contact.cmp(&b.last_contact))
                .then(a.id.cmp(&b.id))
        });
        Ok((out, capped))
    }

    /// Reads the name of each of `people` whose id is in `ids` and whose name was not read
    /// (the key people of [`AccountFacts::key_people`] come from their index alone). A person
    /// deleted since is named by their reference (`#p12`).
    pub fn name_people(&self, people: &mut [FlagPerson], ids: &[Id]) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(ADDRESSED_NAME)?;
        for p in people
            .iter_mut()
            .filter(|p| p.name.is_empty() && ids.contains(&p.id))
        {
            p.name = stmt
                .query_row([p.id], |r| r.get(0))
                .optional()?
                .unwrap_or_else(|| format!("#p{}", p.id));
        }
        Ok(())
    }

    /// Who the `recent` latest done interactions of an account name: a walk of
    /// `interactions_account_done` (ids without a table row each), the people named read from
    /// `interaction_people`'s key alone, and the one name shown (the top's) looked up once.
    fn threading(&self, account: Id, now: i64, recent: u32) -> Result<Threading, StoreError> {
        let (with_people, people) = self.thread_tally(THREADING, account, now, recent)?;
        let Some(&(id, count)) = people
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            return Ok(Threading {
                with_people,
                top: None,
                people: 0,
            });
        };
        let name: Option<String> = self
            .conn
            .prepare_cached(ADDRESSED_NAME)?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let Some(name) = name else {
            // A reference to a person that is gone (only in a damaged file: deleting a person
            // deletes their references): count only the people that exist.
            return self.threading_checked(account, now, recent);
        };
        Ok(Threading {
            with_people,
            top: Some((id, name, count)),
            people: u32::try_from(people.len()).unwrap_or(u32::MAX),
        })
    }

    /// [`Self::threading`] counting only the people that exist (a row of `people` read for
    /// each name).
    fn threading_checked(
        &self,
        account: Id,
        now: i64,
        recent: u32,
    ) -> Result<Threading, StoreError> {
        let (with_people, people) = self.thread_tally(THREADING_CHECKED, account, now, recent)?;
        let top = match people
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        {
            Some(&(id, count)) => {
                let name: String = self
                    .conn
                    .prepare_cached(ADDRESSED_NAME)?
                    .query_row([id], |r| r.get(0))?;
                Some((id, name, count))
            }
            None => None,
        };
        Ok(Threading {
            with_people,
            top,
            people: u32::try_from(people.len()).unwrap_or(u32::MAX),
        })
    }

    /// How many interactions of `sql`'s rows (interaction, person) name somebody, and each
    /// person named with how many, in the order first met.
    fn thread_tally(
        &self,
        sql: &str,
        account: Id,
        now: i64,
        recent: u32,
    ) -> Result<(u32, Vec<(Id, u32)>), StoreError> {
        // Bounded by `now`: the walk back from the newest would first cross every meeting
        // planned in the future. One row per (interaction, person), counted here.
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params![account, recent, now])?;
        let mut interactions: Vec<Id> = Vec::new();
        let mut people: Vec<(Id, u32)> = Vec::new();
        while let Some(r) = rows.next()? {
            let (interaction, person): (Id, Id) = (r.get(0)?, r.get(1)?);
            if !interactions.contains(&interaction) {
                interactions.push(interaction);
            }
            match people.iter_mut().find(|p| p.0 == person) {
                Some(p) => p.1 += 1,
                None => people.push((person, 1)),
            }
        }
        Ok((
            u32::try_from(interactions.len()).unwrap_or(u32::MAX),
            people,
        ))
    }

    /// Accounts worth checking for red flags, without looking at every account: those with the
    /// most recently overdue open follow-ups, those with a powerful opponent (influence 4–5), and
    /// the least recently contacted tier A and B accounts; at most `per_source` from each, in
    /// that order, without repeats. Archived accounts are never candidates.
    pub fn flag_candidates<Tz: TimeZone>(
        &self,
        today: NaiveDate,
        tz: &Tz,
        per_source: u32,
    ) -> Result<Vec<Id>, StoreError> {
        fn push(out: &mut Vec<Id>, id: Id) {
            if !out.contains(&id) {
                out.push(id);
            }
        }
        let mut out: Vec<Id> = Vec::new();
        let room = per_source as usize;
        let overdue = DayRange::new(tz, None, today.pred_opt(), "f", 2);
        let mut stmt = self
            .conn
            .prepare_cached(&candidates_overdue(&overdue.sql))?;
        let mut args: Vec<rusqlite::types::Value> = vec![per_source.saturating_mul(4).into()];
        args.extend(overdue.args);
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        while let Some(r) = rows.next()? {
            if out.len() >= room {
                break;
            }
            push(&mut out, r.get(0)?);
        }
        let mut stmt = self.conn.prepare_cached(CANDIDATES_OPPONENTS)?;
        let mut rows = stmt.query([per_source])?;
        while let Some(r) = rows.next()? {
            push(&mut out, r.get(0)?);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM accounts WHERE tier = ?1 AND archived_at IS NULL
             ORDER BY last_contact, id LIMIT ?2",
        )?;
        for tier in ["A", "B"] {
            let mut rows = stmt.query(params![tier, per_source])?;
            while let Some(r) = rows.next()? {
                push(&mut out, r.get(0)?);
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::store;
    use super::*;

    #[test]
    fn the_candidate_walks_stay_on_their_indexes() {
        let s = store();
        let range = DayRange::new(
            &chrono::Utc,
            None,
            NaiveDate::from_ymd_opt(2026, 1, 1),
            "f",
            2,
        );
        let overdue = candidates_overdue(&range.sql)
            .replace("?1", "10")
            .replace("?2", "'2026-01-03'")
            .replace("?3", "'2026-01-01'")
            .replace("?4", "1767312000");
        let opponents = CANDIDATES_OPPONENTS.replace("?1", "10");
        for (sql, index) in [
            (overdue, "SEARCH f USING INDEX followups_open_due"),
            (opponents, "SEARCH p USING INDEX people_key_attitude"),
        ] {
            let plan: Vec<String> = s
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(plan[0].starts_with(index), "{plan:?}");
            assert!(
                plan.iter()
                    .any(|l| l.contains("SEARCH a USING INTEGER PRIMARY KEY")),
                "{plan:?}"
            );
        }
    }

    /// The key-people groups skip no one: a group is a range of its index read in order, without
    /// a sort, and stops at its limit (a rare group walked 5,000 entries of the biggest L
    /// account on the index by last contact).
    #[test]
    fn the_key_people_walks_stay_on_their_indexes() {
        let s = store();
        let args = |sql: String| {
            sql.replace("?1", "1")
                .replace("?2", "50")
                .replace("?3", "0")
                .replace("?4", "1")
        };
        let plan: Vec<String> = s
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", args(key_group_sql())))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            plan,
            ["SEARCH people USING INDEX people_account_key_groups \
                 (account_id=? AND <expr>=? AND <expr>=?)"],
            "one range of the group's entries, in order"
        );
        let plan: Vec<String> = s
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {}", args(own_cadence_sql())))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert!(
            plan[0].starts_with("SEARCH people USING INDEX people_account_own_cadence"),
            "{plan:?}"
        );
        // No sorter for the walks put in order here (SQLite's costs ~100 K instructions to
        // compile).
        for sql in [own_cadence_sql(), economic_buyers_sql()] {
            let plan: Vec<String> = s
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {}", args(sql)))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert_eq!(plan.len(), 1, "{plan:?}");
            assert!(plan[0].starts_with("SEARCH people USING INDEX"), "{plan:?}");
        }
    }

    /// The single-threading and opponent reads walk an index in the order they keep and stop at
    /// their limit: no interaction or person row read to be skipped, no sort of every opponent
    /// (at L they read ~90 pages per account of an agenda, 3,700 in all).
    #[test]
    fn the_threading_and_opponent_walks_stop_at_their_limits() {
        let s = store();
        let args = |sql: String| {
            sql.replace("?1", "1")
                .replace("?2", "20")
                .replace("?3", "1767312000")
        };
        for (sql, index) in [
            (
                args(THREADING.to_string()),
                "SEARCH interactions USING COVERING INDEX interactions_account_done",
            ),
            (
                args(opponents_sql()),
                "SEARCH people USING INDEX people_account_opponents",
            ),
        ] {
            let plan: Vec<String> = s
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(plan.iter().any(|l| l.starts_with(index)), "{plan:?}");
            assert!(!plan.iter().any(|l| l.contains("TEMP B-TREE")), "{plan:?}");
            assert!(
                !plan.iter().any(|l| l.contains("SEARCH p ")),
                "no person row per name: {plan:?}"
            );
        }
    }

    /// The top of the latest contacts is named from one row; a reference left to a person
    /// that is gone (a damaged file) still counts only the people that exist, as the join did.
    #[test]
    fn threading_names_the_top_and_skips_people_that_are_gone() {
        let s = store();
        s.conn
            .execute_batch(
                "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
                   VALUES ('a', 't', 't', 'Acme', 'acme');
                 INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id)
                   VALUES ('p', 't', 't', 'Ana', 'ana', 1), ('q', 't', 't', 'Bo', 'bo', 1);
                 INSERT INTO interactions (uid, created_at, updated_at, kind, at, at_offset,
                   status, account_id)
                   VALUES ('i1', 't', 't', 'meeting', 10, 0, 'done', 1),
                          ('i2', 't', 't', 'meeting', 20, 0, 'done', 1),
                          ('i3', 't', 't', 'meeting', 30, 0, 'planned', 1),
                          ('i4', 't', 't', 'meeting', 40, 0, 'done', 1);
                 INSERT INTO interaction_people (interaction_id, person_id, position)
                   VALUES (1, 1, 0), (2, 1, 0), (2, 2, 1), (3, 2, 0), (4, 2, 0);",
            )
            .unwrap();
        let r = s.reader();
        let t = r.threading(1, 35, 20).unwrap();
        assert_eq!(
            t,
            Threading {
                with_people: 2,
                top: Some((1, "Ana".into(), 2)),
                people: 2
            }
        );
        assert_eq!(
            r.threading(1, 35, 1).unwrap().top,
            Some((1, "Ana".into(), 1))
        );
        s.conn
            .execute_batch("PRAGMA foreign_keys = OFF; DELETE FROM people WHERE id = 1;")
            .unwrap();
        assert_eq!(
            r.threading(1, 35, 20).unwrap(),
            Threading {
                with_people: 1,
                top: Some((2, "Bo".into(), 1)),
                people: 1
            }
        );
    }

    /// The names a flag lists are read for those asked only; a person deleted meanwhile is
    /// named by reference.
    #[test]
    fn only_the_people_asked_for_are_named() {
        let s = store();
        s.conn
            .execute_batch(
                "INSERT INTO people (uid, created_at, updated_at, name, name_key)
                   VALUES ('p', 't', 't', 'Ana', 'ana'), ('q', 't', 't', 'Bo', 'bo');",
            )
            .unwrap();
        let unnamed = |id| FlagPerson {
            id,
            ..FlagPerson::default()
        };
        let mut people = vec![unnamed(1), unnamed(2), unnamed(3)];
        s.reader().name_people(&mut people, &[1, 3]).unwrap();
        let names: Vec<&str> = people.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Ana", "", "#p3"]);
    }

    /// The economic buyers come most recently seen first (never seen last, ties by id), cut at
    /// [`ECONOMIC_BUYERS`]; the key people with a cadence of their own, never seen first, then
    /// by the day their cadence ran out, cut at [`KEY_PEOPLE_READ`] (and said to be cut).
    #[test]
    fn the_flag_walks_put_people_in_order_and_cut_them() {
        let s = store();
        s.conn
            .execute_batch(
                "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
                   VALUES ('a', 't', 't', 'Acme', 'acme');",
            )
            .unwrap();
        let add = |uid: String, role: &str, last: Option<i64>, own: Option<i64>| {
            let extra = own.map_or("{}".to_string(), |d| format!("{{\"x-cadence_days\": {d}}}"));
            s.conn
                .execute(
                    "INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id,
                       influence, role, last_contact, extra)
                     VALUES (?1, 't', 't', ?1, ?1, 1, 4, ?2, ?3, ?4)",
                    params![uid, role, last, extra],
                )
                .unwrap();
        };
        // Economic buyers 1..=25: every third never seen, the others seen at 1000 - id % 7.
        for n in 1..=25_i64 {
            let last = (n % 3 != 0).then(|| 1000 - n % 7);
            add(format!("eb{n}"), "economic-buyer", last, None);
        }
        // Own cadences 26..=85: 20 or 40 days, seen at 10 * id, every fifth never.
        for n in 26..=85_i64 {
            let last = (n % 5 != 0).then_some(10 * n);
            add(
                format!("own{n}"),
                "user-buyer",
                last,
                Some(20 + 20 * (n % 2)),
            );
        }
        let facts = s
            .reader()
            .account_facts(
                1,
                NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                &chrono::Utc,
                0,
                20,
            )
            .unwrap()
            .unwrap();
        let mut buyers: Vec<(bool, std::cmp::Reverse<Option<i64>>, Id)> = (1..=25_i64)
            .map(|n| {
                let last = (n % 3 != 0).then(|| 1000 - n % 7);
                (last.is_none(), std::cmp::Reverse(last), n)
            })
            .collect();
        buyers.sort_unstable();
        let expected: Vec<Id> = buyers.iter().take(20).map(|b| b.2).collect();
        let got: Vec<Id> = facts.economic_buyers.iter().map(|p| p.id).collect();
        assert_eq!(got, expected);
        let (people, capped) = s.reader().key_people(1).unwrap();
        let mut own: Vec<(bool, Option<i64>, Id)> = (26..=85_i64)
            .map(|n| {
                let last = (n % 5 != 0).then_some(10 * n);
                let days = 20 + 20 * (n % 2);
                (last.is_some(), last.map(|t| t - days * 86_400), n)
            })
            .collect();
        own.sort_unstable();
        let mut expected: Vec<Id> = own.iter().take(50).map(|o| o.2).collect();
        let mut got: Vec<Id> = people
            .iter()
            .filter(|p| p.own_cadence.is_some())
            .map(|p| p.id)
            .collect();
        expected.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, expected, "the 50 most overdue of the 60");
        assert!(capped);
    }

    /// A key person identified and never seen is due from their latest move to `identified`,
    /// else from when they were added; one seen, or at another stage, carries no such day. Both
    /// walks say so: the cadence groups and the people with a cadence of their own.
    #[test]
    fn the_key_people_say_since_when_they_are_identified() {
        let s = store();
        s.conn
            .execute_batch(
                "INSERT INTO accounts (uid, created_at, updated_at, name, name_key)
                   VALUES ('a', 't', 't', 'Acme', 'acme');
                 INSERT INTO people (uid, created_at, updated_at, name, name_key, account_id,
                   influence, stage, last_contact, extra) VALUES
                   ('moved', '2026-01-01T00:00:00Z', 't', 'Moved', 'moved', 1, 4,
                    'identified', NULL, '{}'),
                   ('added', '2026-02-01T00:00:00Z', 't', 'Added', 'added', 1, 5,
                    'identified', NULL, '{}'),
                   ('seen', '2026-01-01T00:00:00Z', 't', 'Seen', 'seen', 1, 4,
                    'identified', 1772000000, '{}'),
                   ('known', '2026-01-01T00:00:00Z', 't', 'Known', 'known', 1, 4,
                    'contacted', NULL, '{}'),
                   ('own', '2026-03-01T00:00:00Z', 't', 'Own', 'own', 1, 4,
                    'identified', NULL, '{\"x-cadence_days\": 30}'),
                   ('odd', 'not a time', 't', 'Odd', 'odd', 1, 4, 'identified', NULL, '{}');
                 INSERT INTO stage_changes (uid, created_at, updated_at, ladder, person_id,
                   from_stage, to_stage, at, at_offset) VALUES
                   ('s1', 't', 't', 'person', 1, NULL, 'identified', 1770000000, 0),
                   ('s2', 't', 't', 'person', 1, 'cooling', 'identified', 1771000000, 0),
                   ('s3', 't', 't', 'person', 1, 'identified', 'contacted', 1771500000, 0),
                   ('s4', 't', 't', 'person', 3, NULL, 'identified', 1770000000, 0),
                   ('s5', 't', 't', 'person', 6, NULL, 'identified', 1770500000, 0);",
            )
            .unwrap();
        let (people, _) = s.reader().key_people(1).unwrap();
        let mut since: Vec<(Id, Option<i64>)> =
            people.iter().map(|p| (p.id, p.identified_since)).collect();
        since.sort_unstable();
        assert_eq!(
            since,
            [
                (1, Some(1_771_000_000)),
                (2, Some(1_769_904_000)),
                (3, None),
                (4, None),
                (5, Some(1_772_323_200)),
                // Added at a time that does not read as one: the move still tells.
                (6, Some(1_770_500_000)),
            ]
        );
    }
}
