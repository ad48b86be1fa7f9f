//! The agenda's own reads: birthdays by day of the year, and key people and accounts not in
//! touch for longer than their tier's cadence. Each walks an index and stops at its limit, so
//! the agenda costs the same with 1,000 or 100,000 people.

use rusqlite::params;

use crate::domain::{Birthday, Id, Tier, Vocabulary};

use super::codec::vocab;
use super::{Reader, StoreError};

/// A person whose birthday falls in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthdayRow {
    pub person: Id,
    pub name: String,
    pub birthday: Birthday,
    pub account_name: Option<String>,
}

/// Someone (or some account) not in touch for too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleRow {
    pub id: Id,
    pub name: String,
    /// For a person: their account's name.
    pub account_name: Option<String>,
    pub tier: Option<Tier>,
    /// Unix seconds of the last done interaction; `None` = never.
    pub last_contact: Option<i64>,
}

/// The latest contact allowed before someone counts as stale, per tier (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleCutoffs {
    pub a: i64,
    pub b: i64,
    pub c: i64,
    /// People without an account, or accounts without a tier.
    pub untiered: i64,
}

impl StaleCutoffs {
    fn of(&self, tier: Option<Tier>) -> i64 {
        match tier {
            Some(Tier::A) => self.a,
            Some(Tier::B) => self.b,
            Some(Tier::C) => self.c,
            None => self.untiered,
        }
    }
}

impl Reader<'_> {
    /// People whose birthday (`MM-DD`) is in `[from_md, to_md]` (same year, in order).
    pub fn birthdays_between(
        &self,
        from_md: &str,
        to_md: &str,
    ) -> Result<Vec<BirthdayRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, p.birthday, a.name FROM people p
               LEFT JOIN accounts a ON a.id = p.account_id
             WHERE p.birthday_md >= ?1 AND p.birthday_md <= ?2 AND p.archived_at IS NULL
             ORDER BY p.birthday_md, p.name_key",
        )?;
        let mut rows = stmt.query(params![from_md, to_md])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let text: String = r.get(2)?;
            let birthday = text
                .parse::<Birthday>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push(BirthdayRow {
                person: r.get(0)?,
                name: r.get(1)?,
                birthday,
                account_name: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// Key people (influence 4–5, not lost) whose last contact is older than their account
    /// tier's cutoff, never-contacted first, then the longest silent. Returns at most `limit`.
    pub fn stale_key_people(
        &self,
        cutoffs: StaleCutoffs,
        limit: u32,
    ) -> Result<Vec<StaleRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, a.name, a.tier, p.last_contact FROM people p
               LEFT JOIN accounts a ON a.id = p.account_id
             WHERE p.influence >= 4 AND p.archived_at IS NULL
               AND (p.stage IS NULL OR p.stage != 'lost')
               AND coalesce(p.last_contact, 0) < CASE a.tier WHEN 'A' THEN ?1 WHEN 'B' THEN ?2
                   WHEN 'C' THEN ?3 ELSE ?4 END
             ORDER BY p.last_contact, p.id LIMIT ?5",
        )?;
        let mut rows = stmt.query(params![
            cutoffs.a,
            cutoffs.b,
            cutoffs.c,
            cutoffs.untiered,
            limit
        ])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(StaleRow {
                id: r.get(0)?,
                name: r.get(1)?,
                account_name: r.get(2)?,
                tier: vocab(r.get(3)?)?,
                last_contact: r.get(4)?,
            });
        }
        Ok(out)
    }

    /// Accounts of each tier whose last contact is older than the tier's cutoff, A first, the
    /// longest silent first within a tier; at most `limit` per tier.
    pub fn stale_accounts(
        &self,
        cutoffs: StaleCutoffs,
        limit: u32,
    ) -> Result<Vec<StaleRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, last_contact FROM accounts
             WHERE tier = ?1 AND archived_at IS NULL AND coalesce(last_contact, 0) < ?2
             ORDER BY last_contact, id LIMIT ?3",
        )?;
        let mut out = Vec::new();
        for tier in Tier::ALL {
            let mut rows = stmt.query(params![tier.as_str(), cutoffs.of(Some(*tier)), limit])?;
            while let Some(r) = rows.next()? {
                out.push(StaleRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    account_name: None,
                    tier: Some(*tier),
                    last_contact: r.get(2)?,
                });
            }
        }
        Ok(out)
    }
}
