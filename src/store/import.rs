//! Support for bulk imports: references that point forward in a file are written first as
//! placeholders (foreign keys deferred to the commit) and set to the real row once it exists.
//! Nothing here commits: it all runs inside the import's one transaction.

use rusqlite::params;

use crate::domain::Id;

use super::resolve::UidTable;
use super::schema::{SEARCHED, fts_insert_trigger, fts_update_trigger};
use super::{Reader, StoreError, Writer};

/// A reference column that an import may have to set after the row was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefColumn {
    PersonAccount,
    LinkFrom,
    LinkTo,
    InteractionAccount,
    FollowUpAccount,
    FollowUpPerson,
    FollowUpDeal,
    FollowUpInteraction,
    DealAccount,
    ObligationDeal,
    PlanAccount,
    PlanPerson,
    StageChangeAccount,
    StageChangePerson,
    StageChangeDeal,
    /// A follow-up's plan (`x-plan`).
    FollowUpPlan,
}

impl RefColumn {
    fn update_sql(self) -> &'static str {
        match self {
            RefColumn::PersonAccount => "UPDATE people SET account_id = ?2 WHERE id = ?1",
            RefColumn::LinkFrom => "UPDATE links SET from_person = ?2 WHERE id = ?1",
            RefColumn::LinkTo => "UPDATE links SET to_person = ?2 WHERE id = ?1",
            RefColumn::InteractionAccount => {
                "UPDATE interactions SET account_id = ?2 WHERE id = ?1"
            }
            RefColumn::FollowUpAccount => "UPDATE followups SET account_id = ?2 WHERE id = ?1",
            RefColumn::FollowUpPerson => "UPDATE followups SET person_id = ?2 WHERE id = ?1",
            RefColumn::FollowUpDeal => "UPDATE followups SET deal_id = ?2 WHERE id = ?1",
            RefColumn::FollowUpInteraction => {
                "UPDATE followups SET interaction_id = ?2 WHERE id = ?1"
            }
            RefColumn::DealAccount => "UPDATE deals SET account_id = ?2 WHERE id = ?1",
            RefColumn::ObligationDeal => "UPDATE obligations SET deal_id = ?2 WHERE id = ?1",
            RefColumn::PlanAccount => "UPDATE plans SET account_id = ?2 WHERE id = ?1",
            RefColumn::PlanPerson => "UPDATE plans SET person_id = ?2 WHERE id = ?1",
            RefColumn::StageChangeAccount => {
                "UPDATE stage_changes SET account_id = ?2 WHERE id = ?1"
            }
            RefColumn::StageChangePerson => "UPDATE stage_changes SET person_id = ?2 WHERE id = ?1",
            RefColumn::StageChangeDeal => "UPDATE stage_changes SET deal_id = ?2 WHERE id = ?1",
            RefColumn::FollowUpPlan => "UPDATE followups SET plan_id = ?2 WHERE id = ?1",
        }
    }
}

impl Reader<'_> {
    /// The highest row id in `table` (0 when empty): rows an import adds get higher ids.
    pub fn max_id(&self, table: UidTable) -> Result<Id, StoreError> {
        let sql = format!("SELECT coalesce(max(id), 0) FROM {}", table.name());
        Ok(self.conn.query_row(&sql, [], |r| r.get(0))?)
    }
}

impl Writer<'_> {
    /// Checks foreign keys at commit instead of at each statement, for the rest of this
    /// transaction, so that rows may hold placeholder references until they are set.
    pub fn defer_foreign_keys(&self) -> Result<(), StoreError> {
        self.conn.pragma_update(None, "defer_foreign_keys", true)?;
        Ok(())
    }

    /// Sets the reference `column` of row `row` to `target`.
    pub fn set_reference(&self, column: RefColumn, row: Id, target: Id) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(column.update_sql())?
            .execute(params![row, target])?;
        Ok(())
    }

    /// Replaces the placeholder person `placeholder` of an interaction by `person`.
    pub fn set_interaction_person(
        &self,
        interaction: Id,
        placeholder: Id,
        person: Id,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE interaction_people SET person_id = ?3
                 WHERE interaction_id = ?1 AND person_id = ?2",
            )?
            .execute(params![interaction, placeholder, person])?;
        Ok(())
    }
}

/// Where each searched table stood when a bulk import began: rows above these ids are new, and
/// the rows updated since are listed (with their old text) in a temporary table; none of them is
/// in the full-text index yet.
#[derive(Debug)]
pub struct SearchBacklog {
    after: Vec<(&'static str, &'static [&'static str], Id)>,
}

impl Writer<'_> {
    /// Stops updating the full-text index row by row for the rest of this transaction: with
    /// triggers, FTS5 flushes its buffer at every statement, which makes a bulk import several
    /// times slower (and a re-import, all updates, a hundred times slower). Inserted rows are
    /// found again by id; updated rows leave their old text in a temporary table.
    /// [`Writer::catch_up_search_index`] must run before the transaction commits (an error rolls
    /// everything back, triggers included).
    pub fn defer_search_index(&self) -> Result<SearchBacklog, StoreError> {
        let mut after = Vec::with_capacity(SEARCHED.len());
        for &(table, columns) in SEARCHED {
            let max: Id = self.conn.query_row(
                &format!("SELECT coalesce(max(id), 0) FROM {table}"),
                [],
                |r| r.get(0),
            )?;
            let cols = columns.join(", ");
            let old = columns
                .iter()
                .map(|c| format!("old.{c}"))
                .collect::<Vec<_>>()
                .join(", ");
            self.conn.execute_batch(&format!(
                "DROP TRIGGER {table}_fts_insert;
                 DROP TRIGGER {table}_fts_update;
                 CREATE TEMP TABLE kam_stale_{table} (id INTEGER PRIMARY KEY, {cols});
                 CREATE TEMP TRIGGER kam_stale_{table} AFTER UPDATE OF {cols} ON main.{table}
                 BEGIN
                   INSERT INTO kam_stale_{table} (id, {cols}) SELECT old.id, {old}
                   WHERE NOT EXISTS (SELECT 1 FROM kam_stale_{table} WHERE id = old.id);
                 END;"
            ))?;
            after.push((table, columns, max));
        }
        Ok(SearchBacklog { after })
    }

    /// Brings the full-text index up to date and puts the triggers back. Rows updated with the
    /// same text are left alone (a re-import costs nothing here); when many rows changed, the
    /// index is rebuilt (secure-delete makes removing old text term by term slow); otherwise the
    /// old text of changed rows goes out and the text of new and changed rows goes in, one
    /// statement each.
    pub fn catch_up_search_index(&self, backlog: SearchBacklog) -> Result<(), StoreError> {
        for (table, columns, max) in backlog.after {
            let cols = columns.join(", ");
            let stale = format!("kam_stale_{table}");
            let same = columns
                .iter()
                .map(|c| format!("t.{c} IS {stale}.{c}"))
                .collect::<Vec<_>>()
                .join(" AND ");
            self.conn.execute(
                &format!(
                    "DELETE FROM {stale} WHERE EXISTS
                       (SELECT 1 FROM {table} t WHERE t.id = {stale}.id AND {same})"
                ),
                [],
            )?;
            let changed: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {stale}"), [], |r| r.get(0))?;
            let rows: i64 =
                self.conn
                    .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            if changed > 0 && changed * 4 > rows {
                self.conn.execute(
                    &format!("INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"),
                    [],
                )?;
            } else {
                let qualified = columns
                    .iter()
                    .map(|c| format!("t.{c}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                if changed > 0 {
                    self.conn.execute(
                        &format!(
                            "INSERT INTO {table}_fts({table}_fts, rowid, {cols})
                             SELECT 'delete', id, {cols} FROM {stale} ORDER BY id"
                        ),
                        [],
                    )?;
                }
                self.conn.execute(
                    &format!(
                        "INSERT INTO {table}_fts(rowid, {cols})
                         SELECT id, {cols} FROM {table} WHERE id > ?1
                         UNION ALL
                         SELECT t.id, {qualified} FROM {stale} s JOIN {table} t ON t.id = s.id"
                    ),
                    [max],
                )?;
            }
            self.conn.execute_batch(&format!(
                "DROP TRIGGER temp.kam_stale_{table};
                 DROP TABLE temp.kam_stale_{table};
                 {}
                 {}",
                fts_insert_trigger(table, columns),
                fts_update_trigger(table, columns)
            ))?;
        }
        Ok(())
    }
}
