//! Archiving deals and plans (issue 12): the `archived_at` stamp (NULL: in use) set, cleared
//! and read. An archived deal or plan is kept whole, with its history; the reads behind the
//! pipeline, the agenda, the insights and the lists leave it out.

use rusqlite::{OptionalExtension, params};

use crate::domain::{Id, Timestamp};

use super::codec::{opt_ts_text, parse_opt_ts, ts_text};
use super::{Reader, StoreError, Writer};

/// What is archived here: the two records whose table carries `archived_at` since v14.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelved {
    Deal,
    Plan,
}

impl Shelved {
    fn table(self) -> &'static str {
        match self {
            Shelved::Deal => "deals",
            Shelved::Plan => "plans",
        }
    }

    fn label(self, id: Id) -> String {
        match self {
            Shelved::Deal => format!("#d{id}"),
            Shelved::Plan => format!("plan #{id}"),
        }
    }
}

impl Reader<'_> {
    /// When the deal or plan `id` was archived, and its version; `None` when there is none.
    pub fn archived_at(
        &self,
        what: Shelved,
        id: Id,
    ) -> Result<Option<(Option<Timestamp>, i64)>, StoreError> {
        let sql = format!(
            "SELECT archived_at, version FROM {} WHERE id = ?1",
            what.table()
        );
        let found: Option<(Option<String>, i64)> = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        found
            .map(|(at, version)| Ok((parse_opt_ts(at)?, version)))
            .transpose()
    }
}

/// The key an export carries a deal's or plan's archive stamp under (as accounts do).
pub const ARCHIVED_AT: &str = "archived_at";

/// Puts the stored archive stamp of a deal or plan into the `extra` an export writes.
pub(super) fn put_archived_in_extra(extra: &mut crate::domain::Extra, at: Option<String>) {
    if let Some(at) = at {
        extra.insert(ARCHIVED_AT.into(), serde_json::Value::String(at));
    }
}

impl Writer<'_> {
    /// Sets the archive stamp as an import file gives it (no version check: the import
    /// writes the whole record).
    pub fn import_archived(
        &self,
        what: Shelved,
        id: Id,
        at: Option<&Timestamp>,
    ) -> Result<(), StoreError> {
        let sql = format!("UPDATE {} SET archived_at = ?2 WHERE id = ?1", what.table());
        self.conn
            .prepare_cached(&sql)?
            .execute(params![id, opt_ts_text(at)])?;
        Ok(())
    }

    /// Archives (`at` set) or restores (`None`) the deal or plan `id`, unless it changed since
    /// `version` was read.
    pub fn set_archived(
        &self,
        what: Shelved,
        id: Id,
        at: Option<&Timestamp>,
        version: i64,
    ) -> Result<(), StoreError> {
        self.check_version(what.table(), id, None, version, || what.label(id))?;
        let sql = format!(
            "UPDATE {} SET archived_at = ?2, updated_at = ?3, version = version + 1
             WHERE id = ?1",
            what.table()
        );
        self.conn.prepare_cached(&sql)?.execute(params![
            id,
            opt_ts_text(at),
            ts_text(&self.now)
        ])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{account, add_account, now};
    use super::*;
    use crate::store::Store;

    #[test]
    fn a_deal_is_archived_and_restored_with_its_version_checked() {
        let mut store = Store::open_in_memory().unwrap();
        let a = add_account(&mut store, &account("a", "Acme"));
        let id = crate::store::testing::add_deal(
            &mut store,
            &crate::store::testing::deal("d", a, "Tender 2027", None),
        );
        let (at, v) = store
            .reader()
            .archived_at(Shelved::Deal, id)
            .unwrap()
            .unwrap();
        assert_eq!(at, None);
        store
            .write(now(), |w| {
                w.set_archived(Shelved::Deal, id, Some(&now()), v)
            })
            .unwrap();
        let (at, v2) = store
            .reader()
            .archived_at(Shelved::Deal, id)
            .unwrap()
            .unwrap();
        assert_eq!(at, Some(now()));
        assert_eq!(v2, v + 1);
        // The version read before is stale now.
        let stale = store.write(now(), |w| w.set_archived(Shelved::Deal, id, None, v));
        assert!(
            matches!(stale, Err(StoreError::Conflict { .. })),
            "{stale:?}"
        );
        store
            .write(now(), |w| w.set_archived(Shelved::Deal, id, None, v2))
            .unwrap();
        assert_eq!(
            store.reader().archived_at(Shelved::Deal, id).unwrap(),
            Some((None, v2 + 1))
        );
        assert_eq!(store.reader().archived_at(Shelved::Plan, 99).unwrap(), None);
    }
}
