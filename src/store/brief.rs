//! The reads behind a pre-meeting brief (`kam prep`, the prep screen): one meeting, the next
//! meeting with an account or a person, the last done interactions, the open promises around
//! the attendees, the contract obligations and the open deals. Every read is bounded and walks
//! an index, so a brief costs the same in a small notebook and a large one.

use rusqlite::params;

use crate::domain::{Deal, Id, InteractionKind, Obligation, Vocabulary};

use super::deals::{DEAL_COLUMNS, OBLIGATION_COLUMNS, deal_from_row, obligation_from_row};
use super::followups::COLUMNS as FOLLOWUP_COLUMNS;
use super::interactions::COLUMNS;
use super::{FollowUpRow, InteractionRow, Reader, StoreError};

fn scheduled_kinds() -> String {
    InteractionKind::SCHEDULED
        .iter()
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

impl Reader<'_> {
    /// One interaction with its account's name and its people.
    pub fn interaction_row(&self, id: Id) -> Result<Option<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM interactions i LEFT JOIN accounts a ON a.id = i.account_id
             WHERE i.id = ?1"
        );
        Ok(self.rows(&sql, [id])?.pop())
    }

    /// The first planned meeting, visit, call or event with `account` not over at `now` (unix
    /// seconds): one that began less than `grace` seconds ago still counts.
    pub fn next_meeting_with_account(
        &self,
        account: Id,
        now: i64,
        grace: i64,
    ) -> Result<Option<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM interactions i LEFT JOIN accounts a ON a.id = i.account_id
             WHERE i.account_id = ?1 AND i.at >= ?2 - ?3 AND coalesce(i.end_at, i.at + ?3) > ?2
               AND i.status = 'planned' AND i.kind IN ({})
             ORDER BY i.at, i.id LIMIT 1",
            scheduled_kinds()
        );
        Ok(self.rows(&sql, params![account, now, grace])?.pop())
    }

    /// As [`Reader::next_meeting_with_account`], for a meeting `person` attends.
    pub fn next_meeting_with_person(
        &self,
        person: Id,
        now: i64,
        grace: i64,
    ) -> Result<Option<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM interaction_people ip
               JOIN interactions i ON i.id = ip.interaction_id
               LEFT JOIN accounts a ON a.id = i.account_id
             WHERE ip.person_id = ?1 AND i.at >= ?2 - ?3 AND coalesce(i.end_at, i.at + ?3) > ?2
               AND i.status = 'planned' AND i.kind IN ({})
             ORDER BY i.at, i.id LIMIT 1",
            scheduled_kinds()
        );
        Ok(self.rows(&sql, params![person, now, grace])?.pop())
    }

    /// The latest done interactions with an account before `before` (unix seconds), newest
    /// first; at most `limit`.
    pub fn last_done_with_account(
        &self,
        account: Id,
        before: i64,
        limit: u32,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM interactions i LEFT JOIN accounts a ON a.id = i.account_id
             WHERE i.account_id = ?1 AND i.at < ?2 AND i.status = 'done'
             ORDER BY i.at DESC, i.id DESC LIMIT ?3"
        );
        self.rows(&sql, params![account, before, limit])
    }

    /// The latest done interactions a person took part in before `before`, newest first.
    pub fn last_done_with_person(
        &self,
        person: Id,
        before: i64,
        limit: u32,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM interaction_people ip
               JOIN interactions i ON i.id = ip.interaction_id
               LEFT JOIN accounts a ON a.id = i.account_id
             WHERE ip.person_id = ?1 AND i.at < ?2 AND i.status = 'done'
             ORDER BY i.at DESC, i.id DESC LIMIT ?3"
        );
        self.rows(&sql, params![person, before, limit])
    }

    /// Open follow-ups of `account` (its own, and its people's that carry no account) or of any
    /// of `people`, soonest first in `tz` (by local day, a timed one by its instant, as the
    /// agenda shows them); at most `limit`.
    pub fn open_followups_around<Tz: chrono::TimeZone>(
        &self,
        account: Option<Id>,
        people: &[Id],
        limit: u32,
        tz: &Tz,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        let people = serde_json::to_string(people).unwrap_or_else(|_| "[]".into());
        // Three bounded walks of the v2 partial indexes (as `open_promises` counts), merged.
        let sql = format!(
            "SELECT {FOLLOWUP_COLUMNS}, a.name, coalesce(p.salutation || ' ', '') || p.name FROM followups f
               LEFT JOIN people p ON p.id = f.person_id
               LEFT JOIN accounts a ON a.id = coalesce(f.account_id, p.account_id)
             WHERE f.id IN (
                 SELECT id FROM (SELECT id FROM followups INDEXED BY followups_open_account
                                 WHERE status = 'open' AND account_id = ?1 AND due_date <= ?4
                                 ORDER BY due_date, id LIMIT ?3)
                 UNION
                 SELECT id FROM (SELECT f3.id FROM followups f3 INDEXED BY followups_open_unassigned
                                   JOIN people p3 ON p3.id = f3.person_id
                                 WHERE f3.status = 'open' AND f3.account_id IS NULL
                                   AND p3.account_id = ?1 AND f3.due_date <= ?4
                                 ORDER BY f3.due_date, f3.id LIMIT ?3)
                 UNION
                 SELECT id FROM (SELECT f2.id FROM json_each(?2) j
                                   JOIN followups f2 INDEXED BY followups_open_person
                                     ON f2.person_id = j.value AND f2.status = 'open'
                                 WHERE f2.due_date <= ?4
                                 ORDER BY f2.due_date, f2.id LIMIT ?3))
             ORDER BY f.due_date, f.id LIMIT ?3"
        );
        self.first_in_local_order(&sql, &account.into(), &people.into(), tz, limit)
    }

    /// Obligations not done of the account's open deals (and of its contracts), by due date,
    /// with the deal's title; at most `limit`.
    pub fn open_obligations_of(
        &self,
        account: Id,
        limit: u32,
    ) -> Result<Vec<(Obligation, String)>, StoreError> {
        let columns = OBLIGATION_COLUMNS
            .split(',')
            .map(|c| format!("o.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns}, d.title FROM deals d JOIN obligations o ON o.deal_id = d.id
             WHERE d.account_id = ?1 AND (o.status IS NULL OR o.status != 'done')
               AND d.archived_at IS NULL
             ORDER BY o.due, o.id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![account, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((obligation_from_row(r)?, r.get(12)?));
        }
        Ok(out)
    }

    /// The account's open deals (not won or lost), closing soonest first, with milestones.
    pub fn open_deals_of(&self, account: Id, limit: u32) -> Result<Vec<Deal>, StoreError> {
        let sql = format!(
            "SELECT {DEAL_COLUMNS} FROM deals
             WHERE account_id = ?1 AND (stage IS NULL OR stage NOT IN ('won','lost'))
               AND archived_at IS NULL
             ORDER BY close IS NULL, close, id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![account, limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(deal_from_row(row)?.0);
        }
        for d in &mut out {
            d.milestones = self.milestones(d.id)?;
        }
        Ok(out)
    }
}

impl Reader<'_> {
    /// The ids of an account's key people (influence 4–5, not archived), the most recently seen
    /// first, then (to make up `limit`) others by name. Walks the v3 index of key people by
    /// last contact, so the biggest account costs what the smallest does.
    pub fn key_people_of(&self, account: Id, limit: u32) -> Result<Vec<Id>, StoreError> {
        let mut ids: Vec<Id> = self
            .conn
            .prepare_cached(
                "SELECT id FROM people WHERE account_id = ?1 AND influence >= 4
                   AND archived_at IS NULL
                 ORDER BY last_contact DESC, id DESC LIMIT ?2",
            )?
            .query_map(params![account, limit], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if ids.len() < limit as usize {
            let more = self.people(Some(account), limit, 0)?;
            for p in more {
                if ids.len() >= limit as usize {
                    break;
                }
                if !ids.contains(&p.id) {
                    ids.push(p.id);
                }
            }
        }
        Ok(ids)
    }
}
