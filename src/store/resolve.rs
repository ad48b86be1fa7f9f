//! Finding records: by uid (import), and by name the way a KAM types it — accent- and
//! case-insensitive, word by word, each word a prefix ("nuno pe" finds "Dr. Nuño Peña").

use rusqlite::{OptionalExtension, params};

use crate::domain::{Id, RecordKind};
use crate::text::fold;

use super::{Reader, StoreError};

/// What a name can point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    Account,
    Person,
    Deal,
}

impl TargetKind {
    pub fn record_kind(self) -> RecordKind {
        match self {
            TargetKind::Account => RecordKind::Account,
            TargetKind::Person => RecordKind::Person,
            TargetKind::Deal => RecordKind::Deal,
        }
    }
}

/// A record whose name matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: TargetKind,
    pub id: Id,
    pub name: String,
    /// Where it belongs: the account of a person or of a deal.
    pub context: Option<String>,
    /// The whole name matched, not just a prefix of its words.
    pub exact: bool,
}

/// Tables whose records carry a uid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UidTable {
    Accounts,
    People,
    Links,
    Interactions,
    FollowUps,
    Deals,
    Obligations,
    Plans,
    StageChanges,
}

impl UidTable {
    pub(super) fn name(self) -> &'static str {
        match self {
            UidTable::Accounts => "accounts",
            UidTable::People => "people",
            UidTable::Links => "links",
            UidTable::Interactions => "interactions",
            UidTable::FollowUps => "followups",
            UidTable::Deals => "deals",
            UidTable::Obligations => "obligations",
            UidTable::Plans => "plans",
            UidTable::StageChanges => "stage_changes",
        }
    }
}

/// The FTS5 query for "every word of `folded` as a prefix of some word of the name".
fn prefix_query(folded: &str) -> Option<String> {
    let words: Vec<String> = folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!words.is_empty()).then(|| format!("name : ({})", words.join(" AND ")))
}

impl Reader<'_> {
    /// The id of the record with `uid` in `table`.
    pub fn id_by_uid(&self, table: UidTable, uid: &str) -> Result<Option<Id>, StoreError> {
        let sql = format!("SELECT id FROM {} WHERE uid = ?1", table.name());
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    /// The uid of the record `id` in `table`.
    pub fn uid_of(&self, table: UidTable, id: Id) -> Result<Option<String>, StoreError> {
        let sql = format!("SELECT uid FROM {} WHERE id = ?1", table.name());
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Whether a record `id` of `kind` exists, with its name.
    pub fn name_of(&self, kind: TargetKind, id: Id) -> Result<Option<String>, StoreError> {
        let sql = match kind {
            TargetKind::Account => "SELECT name FROM accounts WHERE id = ?1",
            TargetKind::Person => "SELECT name FROM people WHERE id = ?1",
            TargetKind::Deal => "SELECT title FROM deals WHERE id = ?1",
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// Records of `kinds` whose name matches `query`, exact matches first, at most `limit` per
    /// kind.
    pub fn match_names(
        &self,
        kinds: &[TargetKind],
        query: &str,
        limit: u32,
    ) -> Result<Vec<Candidate>, StoreError> {
        let folded = fold(query);
        let Some(fts) = prefix_query(&folded) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for &kind in kinds {
            let sql = match kind {
                TargetKind::Account => {
                    "SELECT a.id, a.name, NULL FROM accounts_fts f
                     JOIN accounts a ON a.id = f.rowid
                     WHERE accounts_fts MATCH ?1
                     ORDER BY a.name_key = ?2 DESC, a.archived_at IS NOT NULL, length(a.name), a.id
                     LIMIT ?3"
                }
                TargetKind::Person => {
                    "SELECT p.id, p.name, a.name FROM people_fts f
                     JOIN people p ON p.id = f.rowid LEFT JOIN accounts a ON a.id = p.account_id
                     WHERE people_fts MATCH ?1
                     ORDER BY p.name_key = ?2 DESC, p.archived_at IS NOT NULL, length(p.name), p.id
                     LIMIT ?3"
                }
                TargetKind::Deal => {
                    "SELECT d.id, d.title, a.name FROM deals_fts f
                     JOIN deals d ON d.id = f.rowid JOIN accounts a ON a.id = d.account_id
                     WHERE deals_fts MATCH replace(?1, 'name :', 'title :')
                     ORDER BY length(d.title), d.id
                     LIMIT ?3"
                }
            };
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map(params![fts, folded, limit], |r| {
                Ok(Candidate {
                    kind,
                    id: r.get(0)?,
                    name: r.get(1)?,
                    context: r.get(2)?,
                    exact: false,
                })
            })?;
            for row in rows {
                let mut candidate = row?;
                candidate.exact = fold(&candidate.name) == folded;
                out.push(candidate);
            }
        }
        out.sort_by_key(|c| !c.exact);
        Ok(out)
    }
}
