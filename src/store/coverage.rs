//! The rows behind territory coverage (`crate::coverage`): an account's key people (influence
//! 4–5, in use) counted by stage and by whether they were ever seen. One grouped read; the
//! filters are the account, its tier and its territory.

use rusqlite::params;

use crate::domain::{Id, PersonStage, Tier};

use super::codec::vocab;
use super::{Reader, StoreError};

/// Which accounts coverage looks at (all in use when empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageScope {
    pub account: Option<Id>,
    pub tier: Option<Tier>,
    /// Matched case-insensitively against the account's territory.
    pub territory: Option<String>,
}

/// The key people of one account in one stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoverageRow {
    pub account: Id,
    pub name: String,
    pub tier: Option<Tier>,
    pub stage: Option<PersonStage>,
    pub people: u32,
    /// Of them, never seen (`last_contact` NULL).
    pub never_seen: u32,
}

impl Reader<'_> {
    /// The key people of the accounts in `scope`, counted per (account, stage), accounts by
    /// name. Accounts without a key person are not listed.
    pub fn coverage_rows(&self, scope: &CoverageScope) -> Result<Vec<CoverageRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.name, a.tier, p.stage, count(*), sum(p.last_contact IS NULL)
             FROM people p JOIN accounts a ON a.id = p.account_id
             WHERE p.influence >= 4 AND p.archived_at IS NULL AND a.archived_at IS NULL
               AND (?1 IS NULL OR a.id = ?1) AND (?2 IS NULL OR a.tier = ?2)
               AND (?3 IS NULL OR a.territory = ?3 COLLATE NOCASE)
             GROUP BY a.id, p.stage ORDER BY a.name_key, a.id",
        )?;
        let mut rows = stmt.query(params![
            scope.account,
            scope.tier.map(crate::domain::Vocabulary::as_str),
            scope.territory.as_deref().map(str::trim),
        ])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(CoverageRow {
                account: r.get(0)?,
                name: r.get(1)?,
                tier: vocab(r.get(2)?)?,
                stage: vocab(r.get(3)?)?,
                people: r.get(4)?,
                never_seen: r.get(5)?,
            });
        }
        Ok(out)
    }
}
