//! Merging duplicates (issue 12): what refers to a person or an account, and moving those
//! references to the record kept. The merge itself (fields, rules, journal) is `ops::Merge`.

use rusqlite::params;

use crate::domain::Id;

use super::{Reader, StoreError, Writer};

/// The columns that refer to a person (table, column), besides the meeting attendances.
const PERSON_REFS: &[(&str, &str)] = &[
    ("followups", "person_id"),
    ("links", "from_person"),
    ("links", "to_person"),
    ("plans", "person_id"),
    ("stage_changes", "person_id"),
    ("deal_people", "person_id"),
    ("objections", "person_id"),
];

/// The columns that refer to an account (table, column).
const ACCOUNT_REFS: &[(&str, &str)] = &[
    ("people", "account_id"),
    ("interactions", "account_id"),
    ("followups", "account_id"),
    ("deals", "account_id"),
    ("plans", "account_id"),
    ("stage_changes", "account_id"),
    // A month both accounts have keeps the kept account's figures (see `move_references`).
    ("account_sales", "account_id"),
    ("product_statuses", "account_id"),
];

/// Which kind of record is merged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MergeKind {
    Person,
    Account,
}

impl MergeKind {
    fn refs(self) -> &'static [(&'static str, &'static str)] {
        match self {
            MergeKind::Person => PERSON_REFS,
            MergeKind::Account => ACCOUNT_REFS,
        }
    }
}

/// The rows that refer to a record: (table, row id), and the meetings a person attended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    pub rows: Vec<(&'static str, Id)>,
    /// Interactions whose people include the person (persons only).
    pub attended: Vec<Id>,
    /// Plan spends that benefited the person, transfers of value (persons only).
    pub benefited: Vec<Id>,
}

impl References {
    /// How many rows of `table` refer to it.
    pub fn count(&self, table: &str) -> usize {
        let rows = self.rows.iter().filter(|(t, _)| *t == table).count();
        if table == "interactions" {
            rows + self.attended.len()
        } else {
            rows
        }
    }
}

impl Reader<'_> {
    /// Every row that refers to record `id` of `kind`.
    pub fn references(&self, kind: MergeKind, id: Id) -> Result<References, StoreError> {
        let mut out = References::default();
        for (table, column) in kind.refs() {
            let sql = format!("SELECT id FROM {table} WHERE {column} = ?1 ORDER BY id");
            let mut stmt = self.conn.prepare_cached(&sql)?;
            for row in stmt.query_map([id], |r| r.get::<_, Id>(0))? {
                let row = row?;
                if !out.rows.contains(&(table, row)) {
                    out.rows.push((table, row));
                }
            }
        }
        if kind == MergeKind::Person {
            let mut stmt = self.conn.prepare_cached(
                "SELECT interaction_id FROM interaction_people WHERE person_id = ?1
                 ORDER BY interaction_id",
            )?;
            out.attended = stmt
                .query_map([id], |r| r.get(0))?
                .collect::<Result<Vec<Id>, _>>()?;
            let mut stmt = self.conn.prepare_cached(
                "SELECT spend_id FROM plan_spend_people WHERE person_id = ?1 ORDER BY spend_id",
            )?;
            out.benefited = stmt
                .query_map([id], |r| r.get(0))?
                .collect::<Result<Vec<Id>, _>>()?;
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Moves every reference to `from` onto `to` (a person's attendances too: where both
    /// attended, `from`'s place is dropped); the rows moved get a new version.
    pub fn move_references(&self, kind: MergeKind, from: Id, to: Id) -> Result<(), StoreError> {
        let now = super::codec::ts_text(&self.now);
        if kind == MergeKind::Person {
            // A role the kept person already holds in the same deal is not held twice.
            self.conn.execute(
                "DELETE FROM deal_people WHERE person_id = ?1 AND EXISTS (
                   SELECT 1 FROM deal_people k WHERE k.person_id = ?2
                     AND k.deal_id = deal_people.deal_id AND k.role = deal_people.role)",
                params![from, to],
            )?;
            // Where both were at a meeting, taking part wins over being mentioned (seen).
            self.conn.execute(
                "UPDATE interaction_people SET part = 'participant'
                 WHERE person_id = ?2 AND part = 'mentioned' AND interaction_id IN (
                   SELECT interaction_id FROM interaction_people
                   WHERE person_id = ?1 AND part = 'participant')",
                params![from, to],
            )?;
        }
        for (table, column) in kind.refs() {
            // OR IGNORE: a row the kept record already has its twin of (a month's sales) stays
            // behind and goes with the merged record.
            let sql = format!(
                "UPDATE OR IGNORE {table} SET {column} = ?2, updated_at = ?3,
                 version = version + 1 WHERE {column} = ?1"
            );
            self.conn
                .prepare_cached(&sql)?
                .execute(params![from, to, now])?;
        }
        if kind == MergeKind::Account {
            self.conn
                .prepare_cached("DELETE FROM account_sales WHERE account_id = ?1")?
                .execute([from])?;
        }
        if kind == MergeKind::Person {
            self.conn.execute(
                "UPDATE OR IGNORE interaction_people SET person_id = ?2 WHERE person_id = ?1",
                params![from, to],
            )?;
            self.conn.execute(
                "DELETE FROM interaction_people WHERE person_id = ?1",
                params![from],
            )?;
            self.conn.execute(
                "UPDATE OR IGNORE plan_spend_people SET person_id = ?2 WHERE person_id = ?1",
                params![from, to],
            )?;
            self.conn.execute(
                "DELETE FROM plan_spend_people WHERE person_id = ?1",
                params![from],
            )?;
        }
        Ok(())
    }

    /// Deletes a person or an account whose references were moved away.
    pub fn delete_merged(&self, kind: MergeKind, id: Id) -> Result<(), StoreError> {
        let table = match kind {
            MergeKind::Person => "people",
            MergeKind::Account => "accounts",
        };
        let sql = format!("DELETE FROM {table} WHERE id = ?1");
        self.conn.prepare_cached(&sql)?.execute([id])?;
        Ok(())
    }
}

impl Writer<'_> {
    /// Gives the kept record the later of the two last seen, and of the two last touch.
    pub fn merge_last_contact(
        &self,
        kind: MergeKind,
        keep: Id,
        other: Id,
    ) -> Result<(), StoreError> {
        let table = match kind {
            MergeKind::Person => "people",
            MergeKind::Account => "accounts",
        };
        let sql = format!(
            "UPDATE {table} SET
                last_contact = (SELECT max(last_contact) FROM {table} WHERE id IN (?1, ?2)),
                last_touch = (SELECT max(last_touch) FROM {table} WHERE id IN (?1, ?2))
             WHERE id = ?1"
        );
        self.conn
            .prepare_cached(&sql)?
            .execute(params![keep, other])?;
        Ok(())
    }
}
