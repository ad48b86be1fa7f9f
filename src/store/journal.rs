//! The journal of commands (issue 12): what each command run through `ops` changed, as images
//! of the rows before and after, and the reads and writes undo and history need.
//!
//! An image is generic on purpose: a JSON object of the row's stored columns (generated columns
//! left out), whatever their types are today, so an entry written now still restores after a
//! column changes form (a date becoming an instant, money an exact decimal). A row's image is
//! `None` when the row does not exist. Child rows without their own id (a meeting's people, a
//! deal's milestones) are journaled as a set: the JSON array of the rows under one parent.

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{OptionalExtension, params};
use serde_json::{Map, Value};

use crate::domain::{Id, Timestamp};

use super::codec::{parse_opt_ts, parse_ts, ts_text};
use super::{Reader, StoreError, Writer};

/// The tables whose rows are journaled one by one (each has an `id` primary key).
const ROW_TABLES: &[&str] = &[
    "accounts",
    "people",
    "links",
    "interactions",
    "deals",
    "followups",
    "obligations",
    "plans",
    "plan_spends",
    "stage_changes",
    "account_sales",
    "deal_people",
    "products",
    "product_statuses",
    "objections",
];

/// The child tables journaled as the set of rows under one parent, with the parent's column.
const SET_TABLES: &[(&str, &str)] = &[
    ("interaction_people", "interaction_id"),
    ("deal_milestones", "deal_id"),
    ("plan_spend_people", "spend_id"),
    ("interaction_products", "interaction_id"),
];

/// How a change's rows are addressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One row, by its `id`.
    Row,
    /// Every row of a child table under one parent id.
    Set,
}

impl Shape {
    fn as_str(self) -> &'static str {
        match self {
            Shape::Row => "row",
            Shape::Set => "set",
        }
    }
}

/// What a change is about: a row, or a set of child rows, of a known table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub shape: Shape,
    pub table: &'static str,
    pub id: Id,
}

impl Subject {
    /// Row `id` of `table`; `None` for a table that is not journaled.
    pub fn row(table: &str, id: Id) -> Option<Self> {
        let table = ROW_TABLES.iter().find(|t| **t == table)?;
        Some(Subject {
            shape: Shape::Row,
            table,
            id,
        })
    }

    /// The rows of child table `table` under parent `id`; `None` for an unknown child table.
    pub fn set(table: &str, id: Id) -> Option<Self> {
        let (table, _) = SET_TABLES.iter().find(|(t, _)| *t == table)?;
        Some(Subject {
            shape: Shape::Set,
            table,
            id,
        })
    }

    fn parse(shape: &str, table: &str, id: Id) -> Result<Self, StoreError> {
        let subject = match shape {
            "row" => Subject::row(table, id),
            "set" => Subject::set(table, id),
            _ => None,
        };
        subject.ok_or_else(|| {
            StoreError::Corrupt(format!("journal names an unknown {shape} of {table}"))
        })
    }

    fn parent_column(&self) -> &'static str {
        SET_TABLES
            .iter()
            .find(|(t, _)| *t == self.table)
            .map_or("id", |(_, c)| c)
    }
}

/// One record's change inside an entry.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalChange {
    pub subject: Subject,
    /// The row's uid (rows only): tells a record from a later one that got the same id.
    pub uid: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// One command as journaled.
#[derive(Debug, Clone, PartialEq)]
pub struct JournalEntry {
    pub id: Id,
    pub at: Timestamp,
    /// The command's name (`meeting move`, `followup done`...).
    pub command: String,
    /// What it did, as the fronts said it.
    pub summary: String,
    /// When `kam undo` reverted it.
    pub undone_at: Option<Timestamp>,
    pub changes: Vec<JournalChange>,
}

fn to_json(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Array(b.iter().map(|x| Value::from(*x)).collect()),
    }
}

fn to_sql(v: &Value) -> Result<SqlValue, StoreError> {
    Ok(match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        Value::Array(_) | Value::Object(_) => {
            return Err(StoreError::Corrupt(format!(
                "journal holds a nested value {v} for a column"
            )));
        }
    })
}

impl Reader<'_> {
    /// The stored (not generated) columns of a journaled table, in table order.
    fn stored_columns(&self, table: &str) -> Result<Vec<String>, StoreError> {
        // table_xinfo's `hidden`: 0 stored, 1 hidden (virtual tables), 2 and 3 generated.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM pragma_table_xinfo(?1) WHERE hidden = 0")?;
        let cols = stmt
            .query_map([table], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(cols)
    }

    fn images(&self, subject: &Subject) -> Result<Vec<Map<String, Value>>, StoreError> {
        let cols = self.stored_columns(subject.table)?;
        // A set's rows in the order of all their columns (child tables have no rowid).
        let order = (1..=cols.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {} FROM {} WHERE {} = ?1 ORDER BY {order}",
            cols.iter()
                .map(|c| format!("\"{c}\""))
                .collect::<Vec<_>>()
                .join(", "),
            subject.table,
            subject.parent_column()
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([subject.id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let mut map = Map::new();
            for (i, c) in cols.iter().enumerate() {
                map.insert(c.clone(), to_json(row.get_ref(i)?));
            }
            out.push(map);
        }
        Ok(out)
    }

    /// The subject's image now: a row's columns (`None` if it does not exist), or a set's rows.
    pub fn journal_image(&self, subject: &Subject) -> Result<Option<Value>, StoreError> {
        let mut rows = self.images(subject)?;
        Ok(match subject.shape {
            Shape::Row => rows.pop().map(Value::Object),
            Shape::Set => Some(Value::Array(rows.into_iter().map(Value::Object).collect())),
        })
    }

    /// The uids starting with `prefix` of the records any journaled change touched (edited,
    /// deleted or put back), undone or not.
    pub fn journaled_uids_with_prefix(
        &self,
        prefix: &str,
    ) -> Result<std::collections::HashSet<String>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT uid FROM journal_changes
             WHERE uid IS NOT NULL AND substr(uid, 1, length(?1)) = ?1",
        )?;
        let uids = stmt
            .query_map([prefix], |r| r.get::<_, String>(0))?
            .collect::<Result<_, _>>()?;
        Ok(uids)
    }

    /// The uid of row `id` of the subject's table (rows only).
    pub fn journal_uid(&self, subject: &Subject) -> Result<Option<String>, StoreError> {
        if subject.shape == Shape::Set {
            return Ok(None);
        }
        let sql = format!("SELECT uid FROM {} WHERE id = ?1", subject.table);
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([subject.id], |r| r.get(0))
            .optional()?)
    }

    fn read_entry(&self, id: Id) -> Result<Option<JournalEntry>, StoreError> {
        let head: Option<(String, String, String, Option<String>)> = self
            .conn
            .prepare_cached("SELECT at, command, summary, undone_at FROM journal WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        let Some((at, command, summary, undone_at)) = head else {
            return Ok(None);
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT shape, tbl, row_id, uid, before, after FROM journal_changes
             WHERE entry_id = ?1 ORDER BY seq",
        )?;
        let mut rows = stmt.query([id])?;
        let mut changes = Vec::new();
        while let Some(r) = rows.next()? {
            let shape: String = r.get(0)?;
            let table: String = r.get(1)?;
            let image = |i: usize| -> Result<Option<Value>, StoreError> {
                r.get::<_, Option<String>>(i)?
                    .map(|s| {
                        serde_json::from_str(&s)
                            .map_err(|e| StoreError::Corrupt(format!("journal image: {e}")))
                    })
                    .transpose()
            };
            changes.push(JournalChange {
                subject: Subject::parse(&shape, &table, r.get(2)?)?,
                uid: r.get(3)?,
                before: image(4)?,
                after: image(5)?,
            });
        }
        Ok(Some(JournalEntry {
            id,
            at: parse_ts(&at)?,
            command,
            summary,
            undone_at: parse_opt_ts(undone_at)?,
            changes,
        }))
    }

    /// The latest entry not undone, with its changes.
    pub fn last_live_entry(&self) -> Result<Option<JournalEntry>, StoreError> {
        let id: Option<Id> = self
            .conn
            .prepare_cached("SELECT max(id) FROM journal WHERE undone_at IS NULL")?
            .query_row([], |r| r.get(0))?;
        match id {
            Some(id) => self.read_entry(id),
            None => Ok(None),
        }
    }

    /// One entry by id.
    pub fn journal_entry(&self, id: Id) -> Result<Option<JournalEntry>, StoreError> {
        self.read_entry(id)
    }

    /// The entries after `entry` that changed `subject` and are not undone, oldest first.
    pub fn live_entries_after(&self, subject: &Subject, entry: Id) -> Result<Vec<Id>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT c.entry_id FROM journal_changes c JOIN journal j ON j.id = c.entry_id
             WHERE c.tbl = ?1 AND c.row_id = ?2 AND c.shape = ?3 AND c.entry_id > ?4
               AND j.undone_at IS NULL
             ORDER BY c.entry_id",
        )?;
        let ids = stmt
            .query_map(
                params![subject.table, subject.id, subject.shape.as_str(), entry],
                |r| r.get(0),
            )?
            .collect::<Result<Vec<Id>, _>>()?;
        Ok(ids)
    }

    /// The entries that changed `subject` (rows: with this uid, when given), newest first, at
    /// most `limit`; each entry with all its changes.
    pub fn history_of(
        &self,
        subject: &Subject,
        uid: Option<&str>,
        limit: u32,
    ) -> Result<Vec<JournalEntry>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT entry_id FROM journal_changes
             WHERE tbl = ?1 AND row_id = ?2 AND shape = ?3 AND (?4 IS NULL OR uid IS ?4)
             ORDER BY entry_id DESC LIMIT ?5",
        )?;
        let ids = stmt
            .query_map(
                params![
                    subject.table,
                    subject.id,
                    subject.shape.as_str(),
                    uid,
                    limit
                ],
                |r| r.get(0),
            )?
            .collect::<Result<Vec<Id>, _>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(e) = self.read_entry(id)? {
                out.push(e);
            }
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Appends an entry (stamped now) with its changes, in order; returns its id.
    pub fn append_journal(
        &self,
        command: &str,
        summary: &str,
        changes: &[JournalChange],
    ) -> Result<Id, StoreError> {
        self.conn
            .prepare_cached("INSERT INTO journal (at, command, summary) VALUES (?1, ?2, ?3)")?
            .execute(params![ts_text(&self.now), command, summary])?;
        let entry = self.conn.last_insert_rowid();
        let mut add = self.conn.prepare_cached(
            "INSERT INTO journal_changes (entry_id, seq, shape, tbl, row_id, uid, before, after)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for (c, seq) in changes.iter().zip(0_i64..) {
            add.execute(params![
                entry,
                seq,
                c.subject.shape.as_str(),
                c.subject.table,
                c.subject.id,
                c.uid,
                c.before.as_ref().map(Value::to_string),
                c.after.as_ref().map(Value::to_string),
            ])?;
        }
        Ok(entry)
    }

    /// Marks an entry undone (now); it stays in the history.
    pub fn mark_undone(&self, entry: Id) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE journal SET undone_at = ?2 WHERE id = ?1",
            params![entry, ts_text(&self.now)],
        )?;
        Ok(())
    }

    /// Puts the subject back to `image`: a row is deleted (`None`), updated or re-inserted with
    /// its id; a set's rows are replaced. Only the table's stored columns are written.
    pub fn restore_image(
        &self,
        subject: &Subject,
        image: Option<&Value>,
    ) -> Result<(), StoreError> {
        let cols = self.stored_columns(subject.table)?;
        let assign = |map: &Map<String, Value>| -> Result<Vec<(String, SqlValue)>, StoreError> {
            map.iter()
                .filter(|(k, _)| cols.iter().any(|c| c == *k))
                .map(|(k, v)| Ok((k.clone(), to_sql(v)?)))
                .collect()
        };
        let insert = |values: &[(String, SqlValue)]| -> Result<(), StoreError> {
            let names = values
                .iter()
                .map(|(k, _)| format!("\"{k}\""))
                .collect::<Vec<_>>()
                .join(", ");
            let marks = (1..=values.len())
                .map(|i| format!("?{i}"))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("INSERT INTO {} ({names}) VALUES ({marks})", subject.table);
            self.conn
                .prepare_cached(&sql)?
                .execute(rusqlite::params_from_iter(values.iter().map(|(_, v)| v)))?;
            Ok(())
        };
        match (subject.shape, image) {
            (Shape::Row, None) => {
                let sql = format!("DELETE FROM {} WHERE id = ?1", subject.table);
                self.conn.prepare_cached(&sql)?.execute([subject.id])?;
            }
            (Shape::Row, Some(Value::Object(map))) => {
                let values = assign(map)?;
                // By id, not by uid: some journaled tables (spends, monthly sales) have none.
                let exists = self
                    .conn
                    .prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", subject.table))?
                    .exists([subject.id])?;
                if exists {
                    let sets = values
                        .iter()
                        .enumerate()
                        .map(|(i, (k, _))| format!("\"{k}\" = ?{}", i + 2))
                        .collect::<Vec<_>>()
                        .join(", ");
                    let sql = format!("UPDATE {} SET {sets} WHERE id = ?1", subject.table);
                    let mut all = vec![SqlValue::Integer(subject.id)];
                    all.extend(values.into_iter().map(|(_, v)| v));
                    self.conn
                        .prepare_cached(&sql)?
                        .execute(rusqlite::params_from_iter(all.iter()))?;
                } else {
                    insert(&values)?;
                }
            }
            (Shape::Set, image) => {
                let sql = format!(
                    "DELETE FROM {} WHERE {} = ?1",
                    subject.table,
                    subject.parent_column()
                );
                self.conn.prepare_cached(&sql)?.execute([subject.id])?;
                let rows = match image {
                    None => &[][..],
                    Some(Value::Array(rows)) => &rows[..],
                    Some(other) => {
                        return Err(StoreError::Corrupt(format!(
                            "journal set image is not a list: {other}"
                        )));
                    }
                };
                for row in rows {
                    let Value::Object(map) = row else {
                        return Err(StoreError::Corrupt(
                            "journal set row is not an object".into(),
                        ));
                    };
                    insert(&assign(map)?)?;
                }
            }
            (Shape::Row, Some(other)) => {
                return Err(StoreError::Corrupt(format!(
                    "journal row image is not an object: {other}"
                )));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{add_person, now, person, store};
    use super::*;

    #[test]
    fn a_row_image_restores_exactly_after_an_edit_and_a_delete() {
        let mut s = store();
        let id = add_person(&mut s, &person("p-1", "Ana Puig", None));
        let subject = Subject::row("people", id).unwrap();
        let before = s.reader().journal_image(&subject).unwrap();
        assert!(before.is_some());
        let object = before.as_ref().unwrap().as_object().unwrap();
        assert!(object.contains_key("name") && object.contains_key("version"));
        assert!(
            !object.contains_key("cadence_days"),
            "generated columns are not part of an image"
        );

        s.write(now(), |w| {
            let (mut p, stamp) = w.person(id)?.unwrap();
            p.personal = Some("Plays the cello".into());
            w.update_person(&p, stamp.version)
        })
        .unwrap();
        assert_ne!(s.reader().journal_image(&subject).unwrap(), before);
        s.write(now(), |w| w.restore_image(&subject, before.as_ref()))
            .unwrap();
        assert_eq!(s.reader().journal_image(&subject).unwrap(), before);

        s.write(now(), |w| w.restore_image(&subject, None)).unwrap();
        assert_eq!(s.reader().journal_image(&subject).unwrap(), None);
        s.write(now(), |w| w.restore_image(&subject, before.as_ref()))
            .unwrap();
        assert_eq!(s.reader().journal_image(&subject).unwrap(), before);
        assert!(s.check().unwrap().is_empty(), "the search index follows");
    }

    #[test]
    fn entries_are_read_back_and_marked_undone() {
        let mut s = store();
        let id = add_person(&mut s, &person("p-1", "Ana Puig", None));
        let subject = Subject::row("people", id).unwrap();
        let after = s.reader().journal_image(&subject).unwrap();
        let change = JournalChange {
            subject: subject.clone(),
            uid: Some("p-1".into()),
            before: None,
            after,
        };
        let entry = s
            .write(now(), |w| {
                w.append_journal("person add", "Added #p1", std::slice::from_ref(&change))
            })
            .unwrap();
        let read = s.reader().last_live_entry().unwrap().unwrap();
        assert_eq!(read.id, entry);
        assert_eq!(read.changes, vec![change]);
        assert_eq!(
            s.reader()
                .history_of(&subject, Some("p-1"), 10)
                .unwrap()
                .len(),
            1
        );
        assert!(
            s.reader()
                .history_of(&subject, Some("p-other"), 10)
                .unwrap()
                .is_empty()
        );
        s.write(now(), |w| w.mark_undone(entry)).unwrap();
        assert_eq!(s.reader().last_live_entry().unwrap(), None);
        assert!(
            s.reader()
                .live_entries_after(&subject, 0)
                .unwrap()
                .is_empty()
        );
        assert!(Subject::row("sqlite_schema", 1).is_none());
    }
}
