//! Undo and history: the journal read back. [`undo`] reverts the latest entry not undone (and,
//! run again, the one before); it refuses, saying why, when a record it would put back has
//! changed since (a later change would be lost). An undone entry is marked, never deleted, so
//! [`history`] still shows it and undo never undoes itself.

use chrono::{FixedOffset, TimeZone};
use serde_json::Value;

use super::{OpsError, Outcome, describe, table_of};
use crate::domain::{Id, RecordKind, RecordRef, Timestamp};
use crate::store::{JournalChange, JournalEntry, Reader, Shape, Store, StoreError, Subject};

/// Columns the store keeps for itself: not shown as changes.
const BOOKKEEPING: &[&str] = &[
    "id",
    "version",
    "updated_at",
    "created_at",
    "name_key",
    "sort_key",
    "birthday_md",
    "last_contact",
    "at_offset",
    "end_offset",
    "due_offset",
];

/// One field of a record as a change left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: String,
    /// `None`: empty (or the record did not exist).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One journal entry as it touched one record.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLine {
    pub entry: Id,
    pub at: Timestamp,
    pub command: String,
    pub summary: String,
    pub undone_at: Option<Timestamp>,
    /// "added", "deleted" or "changed".
    pub what: &'static str,
    pub fields: Vec<FieldChange>,
}

/// Reverts the latest change not undone, in one transaction; says what it reverted.
pub fn undo(store: &mut Store, now: Timestamp) -> Result<Outcome, OpsError> {
    store.try_write(now, |w| {
        let Some(entry) = w.last_live_entry()? else {
            return Err(OpsError::Refused(
                "nothing to undo: every change in the journal is already undone".into(),
            ));
        };
        for c in &entry.changes {
            let current = w.journal_image(&c.subject)?;
            if current != c.after {
                return Err(refusal(w, &entry, c, current.as_ref())?);
            }
        }
        for c in entry.changes.iter().rev() {
            w.restore_image(&c.subject, c.before.as_ref())?;
        }
        w.mark_undone(entry.id)?;
        let details = undo_details(&entry);
        Ok(Outcome {
            message: format!(
                "Undid {} ({}, {}): {}",
                entry.command,
                entry_ref(entry.id),
                entry.at.format("%Y-%m-%d %H:%M"),
                entry.summary
            ),
            details,
            record: entry.changes.first().and_then(|c| {
                super::record_kind(c.subject.table).map(|k| RecordRef::of(k, c.subject.id))
            }),
            created: Vec::new(),
            row: None,
            entry: Some(entry.id),
        })
    })
}

/// One line per record undo put back: removed again, restored, or its fields put back. A
/// record's child rows are not listed when the record itself was removed or restored.
fn undo_details(entry: &JournalEntry) -> Vec<String> {
    let whole = |id: Id, table: &str| {
        entry.changes.iter().any(|c| {
            c.subject.shape == Shape::Row
                && c.subject.id == id
                && c.subject.table == table
                && (c.before.is_none() || c.after.is_none())
        })
    };
    let mut out = Vec::new();
    for c in &entry.changes {
        let line = match (c.subject.shape, &c.before, &c.after) {
            (Shape::Row, None, _) => format!("  {} removed", describe(&c.subject)),
            (Shape::Row, _, None) => format!("  {} restored", describe(&c.subject)),
            (shape, _, _) => {
                let parent = if c.subject.table == "interaction_people" {
                    "interactions"
                } else {
                    "deals"
                };
                if shape == Shape::Set && whole(c.subject.id, parent) {
                    continue;
                }
                let fields = field_changes(c);
                if fields.is_empty() {
                    continue;
                }
                let names: Vec<_> = fields.iter().map(|f| f.field.as_str()).collect();
                format!("  {} put back: {}", describe(&c.subject), names.join(", "))
            }
        };
        out.push(line);
    }
    out
}

fn entry_ref(id: Id) -> String {
    format!("change {id}")
}

/// Why `c` of `entry` cannot be put back: what changed it since.
fn refusal(
    r: &Reader<'_>,
    entry: &JournalEntry,
    c: &JournalChange,
    current: Option<&Value>,
) -> Result<OpsError, StoreError> {
    let later = r.live_entries_after(&c.subject, entry.id)?;
    let by = match later.last() {
        Some(id) => match r.journal_entry(*id)? {
            Some(e) => format!("by {} ({}: {})", entry_ref(e.id), e.command, e.summary),
            None => format!("by {}", entry_ref(*id)),
        },
        // Not journaled (an import, a sync, a write from before the journal): the record's
        // own stamp still says when.
        None => match current
            .and_then(|v| v.get("updated_at"))
            .and_then(Value::as_str)
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
        {
            Some(at) => format!(
                "by a later change ({}, not in the journal)",
                at.format("%Y-%m-%d %H:%M")
            ),
            None => "by a later change (not in the journal)".to_string(),
        },
    };
    let changed = JournalChange {
        before: c.after.clone(),
        after: current.cloned(),
        ..c.clone()
    };
    let fields: Vec<_> = field_changes(&changed)
        .into_iter()
        .map(|f| f.field)
        .collect();
    let fields = if fields.is_empty() {
        String::new()
    } else {
        format!(" ({})", fields.join(", "))
    };
    Ok(OpsError::Refused(format!(
        "cannot undo {} \"{}\": {} was changed since{fields} {by}; undoing would lose that change",
        entry.command,
        entry.summary,
        describe(&c.subject),
    )))
}

/// Record `id` of `kind`'s changes, newest first (at most `limit`), undone ones included.
pub fn history(
    r: &Reader<'_>,
    kind: RecordKind,
    id: Id,
    limit: u32,
) -> Result<Vec<HistoryLine>, StoreError> {
    let table = table_of(kind);
    let Some(row) = Subject::row(table, id) else {
        return Ok(Vec::new());
    };
    let uid = r.journal_uid(&row)?;
    let mut subjects = vec![row];
    if kind == RecordKind::Interaction {
        subjects.extend(Subject::set("interaction_people", id));
    }
    let mut entries: Vec<JournalEntry> = Vec::new();
    for s in &subjects {
        let uid = if s.shape == Shape::Row {
            uid.as_deref()
        } else {
            None
        };
        for e in r.history_of(s, uid, limit)? {
            if !entries.iter().any(|x| x.id == e.id) {
                entries.push(e);
            }
        }
    }
    entries.sort_by_key(|e| std::cmp::Reverse(e.id));
    entries.truncate(limit as usize);
    Ok(entries
        .into_iter()
        .map(|e| {
            let mine: Vec<&JournalChange> = e
                .changes
                .iter()
                .filter(|c| subjects.contains(&c.subject))
                .collect();
            let what = match mine.iter().find(|c| c.subject.shape == Shape::Row) {
                Some(c) if c.before.is_none() => "added",
                Some(c) if c.after.is_none() => "deleted",
                _ => "changed",
            };
            HistoryLine {
                entry: e.id,
                at: e.at,
                command: e.command.clone(),
                summary: e.summary.clone(),
                undone_at: e.undone_at,
                what,
                fields: mine.into_iter().flat_map(field_changes).collect(),
            }
        })
        .collect())
}

/// The fields a change changed, with their text before and after.
pub fn field_changes(c: &JournalChange) -> Vec<FieldChange> {
    if c.subject.shape == Shape::Set {
        let people = |v: Option<&Value>| -> Option<String> {
            let rows = v?.as_array()?;
            let ids: Vec<String> = rows
                .iter()
                .filter_map(|r| r.get("person_id").and_then(Value::as_i64))
                .map(|p| RecordRef::of(RecordKind::Person, p).to_string())
                .collect();
            (!ids.is_empty()).then(|| ids.join(", "))
        };
        let (before, after) = (people(c.before.as_ref()), people(c.after.as_ref()));
        let field = if c.subject.table == "interaction_people" {
            "people"
        } else {
            c.subject.table
        };
        return if before == after {
            Vec::new()
        } else {
            vec![FieldChange {
                field: field.into(),
                before,
                after,
            }]
        };
    }
    let empty = serde_json::Map::new();
    let before = c
        .before
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let after = c
        .after
        .as_ref()
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut keys: Vec<&String> = before.keys().collect();
    for k in after.keys() {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.into_iter()
        .filter(|k| !BOOKKEEPING.contains(&k.as_str()))
        .filter(|k| before.get(*k) != after.get(*k))
        .map(|k| FieldChange {
            field: k.clone(),
            before: shown(before, k),
            after: shown(after, k),
        })
        .filter(|f| f.before != f.after)
        .collect()
}

/// A column's value as text: instants with the offset they were entered in.
fn shown(image: &serde_json::Map<String, Value>, column: &str) -> Option<String> {
    let v = image.get(column)?;
    let offset_column = match column {
        "at" => Some("at_offset"),
        "end_at" => Some("end_offset"),
        _ => None,
    };
    if let (Some(secs), Some(oc)) = (v.as_i64(), offset_column) {
        let offset = image
            .get(oc)
            .and_then(Value::as_i64)
            .and_then(|o| i32::try_from(o).ok())
            .and_then(FixedOffset::east_opt);
        if let Some(t) = offset.and_then(|o| o.timestamp_opt(secs, 0).single()) {
            return Some(t.format("%Y-%m-%d %H:%M").to_string());
        }
    }
    match v {
        Value::Null => None,
        Value::String(s) if s.is_empty() || s == "[]" || s == "{}" => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
