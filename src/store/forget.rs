//! Erasure (issue 15): what the notebook holds about a person, an account or old interactions
//! ([`Erasure`]), and erasing it so that no byte of it stays in the file or its WAL.
//!
//! [`Writer::erase`] deletes the records, takes the erased people off the notes they shared
//! with others, passes every other text of the notebook through a redaction (their name and
//! `@mentions` become "(erased)"), and purges the journal: changes about erased records are
//! dropped, the others lose references to them and are redacted the same way (so `kam undo` and
//! `kam history` cannot bring anything back), and an entry left empty goes. It writes no journal
//! entry of its own: the journal is what is purged. [`Store::wipe`] then leaves no old copy of a
//! page behind: the search indexes rebuilt, the WAL checkpointed and truncated, the file vacuumed
//! (`secure_delete` is on for every connection: freed space is zeroed).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rusqlite::{OpenFlags, params};
use serde_json::Value;

use crate::domain::{Id, Timestamp};

use super::{Reader, Store, StoreError, Writer};

/// A text redaction: the new text, or `None` when nothing in it is to be erased.
pub type Redact<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Every record an erasure deletes, by table, and the notes it keeps but takes people off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erasure {
    pub accounts: Vec<Id>,
    pub people: Vec<Id>,
    pub links: Vec<Id>,
    /// Interactions deleted whole (they concern only what is erased).
    pub interactions: Vec<Id>,
    /// Interactions kept: they lose the erased people's link, and mentions of them.
    pub shared: Vec<Id>,
    pub followups: Vec<Id>,
    pub deals: Vec<Id>,
    pub obligations: Vec<Id>,
    pub plans: Vec<Id>,
    pub spends: Vec<Id>,
    pub stage_changes: Vec<Id>,
    pub drafts: Vec<Id>,
    /// Journal entries that hold a change of an erased record (purged of it).
    pub journal_entries: Vec<Id>,
}

/// What [`Writer::erase`] did beyond deleting the listed records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Erased {
    /// Rows of other records whose text named an erased person, redacted.
    pub texts_redacted: u64,
    /// Journal changes dropped, and kept but purged.
    pub journal_dropped: u64,
    pub journal_purged: u64,
    /// Journal entries left empty, removed.
    pub journal_entries_removed: u64,
}

/// What [`Store::wipe`] managed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wiped {
    /// False when another connection kept the WAL from being truncated: old pages may stay in
    /// it until that session ends and the wipe runs again.
    pub wal_truncated: bool,
}

fn ids_json(ids: &[Id]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

/// The text columns of each table a redaction passes over (with `extra`, JSON, where present).
const TEXTS: &[(&str, &[&str], bool)] = &[
    (
        "accounts",
        &["about", "needs", "plans", "competitors"],
        true,
    ),
    ("people", &["title", "personal"], true),
    ("links", &["note"], true),
    (
        "interactions",
        &["title", "body", "outcome", "location"],
        true,
    ),
    ("deals", &["title", "notes"], true),
    ("obligations", &["text"], true),
    ("followups", &["text"], true),
    ("plans", &["objective", "notes"], true),
    ("plan_spends", &["note"], false),
    ("stage_changes", &["note"], true),
];

/// The columns of journal images that refer to another record, with the table referred to.
const REFERENCES: &[(&str, &str)] = &[
    ("account_id", "accounts"),
    ("person_id", "people"),
    ("from_person", "people"),
    ("to_person", "people"),
    ("interaction_id", "interactions"),
    ("deal_id", "deals"),
    ("plan_id", "plans"),
];

impl Erasure {
    /// Every record it deletes, by table.
    fn rows(&self) -> HashMap<&'static str, HashSet<Id>> {
        let mut out = HashMap::new();
        for (table, ids) in [
            ("accounts", &self.accounts),
            ("people", &self.people),
            ("links", &self.links),
            ("interactions", &self.interactions),
            ("followups", &self.followups),
            ("deals", &self.deals),
            ("obligations", &self.obligations),
            ("plans", &self.plans),
            ("plan_spends", &self.spends),
            ("stage_changes", &self.stage_changes),
        ] {
            out.insert(table, ids.iter().copied().collect());
        }
        out
    }

    /// How many records it deletes.
    pub fn deleted(&self) -> usize {
        self.rows().values().map(HashSet::len).sum::<usize>() + self.drafts.len()
    }
}

impl Reader<'_> {
    fn ids(&self, sql: &str, args: &[&dyn rusqlite::ToSql]) -> Result<Vec<Id>, StoreError> {
        let mut stmt = self.conn.prepare(sql)?;
        let ids = stmt
            .query_map(args, |r| r.get(0))?
            .collect::<Result<Vec<Id>, _>>()?;
        Ok(ids)
    }

    /// What erasing person `person` deletes and changes.
    pub fn erasure_of_person(&self, person: Id) -> Result<Erasure, StoreError> {
        self.erasure_of(&[], &[person])
    }

    /// What erasing account `account` deletes and changes: the account, its people, its deals
    /// (with their obligations), everything about them.
    pub fn erasure_of_account(&self, account: Id) -> Result<Erasure, StoreError> {
        let people = self.ids(
            "SELECT id FROM people WHERE account_id = ?1 ORDER BY id",
            &[&account],
        )?;
        self.erasure_of(&[account], &people)
    }

    fn erasure_of(&self, accounts: &[Id], people: &[Id]) -> Result<Erasure, StoreError> {
        let acc_ids = ids_json(accounts);
        let people_ids = ids_json(people);
        let deals = self.ids(
            "SELECT id FROM deals WHERE account_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
            &[&acc_ids],
        )?;
        let deal_ids = ids_json(&deals);
        // An interaction concerns only what is erased when it has nobody else in it, and an
        // erased person or account.
        let interactions = self.ids(
            "SELECT i.id FROM interactions i
             WHERE (i.id IN (SELECT interaction_id FROM interaction_people
                             WHERE person_id IN (SELECT value FROM json_each(?2)))
                    OR i.account_id IN (SELECT value FROM json_each(?1)))
               AND NOT EXISTS (SELECT 1 FROM interaction_people ip WHERE ip.interaction_id = i.id
                               AND ip.person_id NOT IN (SELECT value FROM json_each(?2)))
             ORDER BY i.id",
            &[&acc_ids, &people_ids],
        )?;
        let whole: HashSet<Id> = interactions.iter().copied().collect();
        let shared = self
            .ids(
                "SELECT DISTINCT interaction_id FROM interaction_people
                 WHERE person_id IN (SELECT value FROM json_each(?1)) ORDER BY interaction_id",
                &[&people_ids],
            )?
            .into_iter()
            .filter(|i| !whole.contains(i))
            .collect();
        let interaction_ids = ids_json(&interactions);
        let followups = self.ids(
            "SELECT id FROM followups WHERE person_id IN (SELECT value FROM json_each(?2))
                OR account_id IN (SELECT value FROM json_each(?1))
                OR deal_id IN (SELECT value FROM json_each(?3)) ORDER BY id",
            &[&acc_ids, &people_ids, &deal_ids],
        )?;
        let plans = self.ids(
            "SELECT id FROM plans WHERE person_id IN (SELECT value FROM json_each(?2))
                OR account_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
            &[&acc_ids, &people_ids],
        )?;
        let plan_ids = ids_json(&plans);
        let followup_ids = ids_json(&followups);
        Ok(Erasure {
            accounts: accounts.to_vec(),
            people: people.to_vec(),
            links: self.ids(
                "SELECT id FROM links WHERE from_person IN (SELECT value FROM json_each(?1))
                    OR to_person IN (SELECT value FROM json_each(?1)) ORDER BY id",
                &[&people_ids],
            )?,
            obligations: self.ids(
                "SELECT id FROM obligations WHERE deal_id IN (SELECT value FROM json_each(?1))
                 ORDER BY id",
                &[&deal_ids],
            )?,
            spends: self.ids(
                "SELECT id FROM plan_spends WHERE plan_id IN (SELECT value FROM json_each(?1))
                 ORDER BY id",
                &[&plan_ids],
            )?,
            stage_changes: self.ids(
                "SELECT id FROM stage_changes WHERE person_id IN (SELECT value FROM json_each(?2))
                    OR account_id IN (SELECT value FROM json_each(?1))
                    OR deal_id IN (SELECT value FROM json_each(?3)) ORDER BY id",
                &[&acc_ids, &people_ids, &deal_ids],
            )?,
            drafts: self.ids(
                "SELECT id FROM drafts WHERE
                    (target_kind = 'account' AND target_id IN (SELECT value FROM json_each(?1)))
                 OR (target_kind = 'person' AND target_id IN (SELECT value FROM json_each(?2)))
                 OR (target_kind = 'deal' AND target_id IN (SELECT value FROM json_each(?3)))
                 OR (target_kind = 'interaction' AND target_id IN (SELECT value FROM json_each(?4)))
                 OR (target_kind = 'follow-up' AND target_id IN (SELECT value FROM json_each(?5)))
                 ORDER BY id",
                &[
                    &acc_ids,
                    &people_ids,
                    &deal_ids,
                    &interaction_ids,
                    &followup_ids,
                ],
            )?,
            journal_entries: Vec::new(),
            interactions,
            shared,
            followups,
            deals,
            plans,
        })
        .and_then(|mut e| {
            e.journal_entries = self.journal_entries_of(&e)?;
            Ok(e)
        })
    }

    /// What pruning deletes: interactions before `cutoff` (unix seconds), with the drafts
    /// about them.
    pub fn erasure_before(&self, cutoff: i64) -> Result<Erasure, StoreError> {
        let interactions = self.ids(
            "SELECT id FROM interactions WHERE at < ?1 ORDER BY id",
            &[&cutoff],
        )?;
        let i = ids_json(&interactions);
        let mut e = Erasure {
            drafts: self.ids(
                "SELECT id FROM drafts WHERE target_kind = 'interaction'
                   AND target_id IN (SELECT value FROM json_each(?1)) ORDER BY id",
                &[&i],
            )?,
            interactions,
            ..Erasure::default()
        };
        e.journal_entries = self.journal_entries_of(&e)?;
        Ok(e)
    }

    fn journal_entries_of(&self, e: &Erasure) -> Result<Vec<Id>, StoreError> {
        let rows = e.rows();
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT entry_id, tbl, row_id FROM journal_changes ORDER BY entry_id",
        )?;
        let mut out: Vec<Id> = Vec::new();
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let entry: Id = r.get(0)?;
            let table: String = r.get(1)?;
            let row: Id = r.get(2)?;
            let erased = rows
                .get(table.as_str())
                .is_some_and(|ids| ids.contains(&row))
                || (table == "interaction_people" && e.interactions.contains(&row))
                || (table == "deal_milestones" && e.deals.contains(&row));
            if erased && out.last() != Some(&entry) {
                out.push(entry);
            }
        }
        Ok(out)
    }

    /// The names of people, by id (for listings); missing ids are left out.
    pub fn names_of_people(&self, ids: &[Id]) -> Result<Vec<(Id, String)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, name FROM people WHERE id IN (SELECT value FROM json_each(?1)) ORDER BY id",
        )?;
        let rows = stmt
            .query_map([ids_json(ids)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// The uid of a person or account (`table` "people" or "accounts").
    pub fn uid_in(&self, table: &str, id: Id) -> Result<Option<String>, StoreError> {
        if !matches!(table, "people" | "accounts") {
            return Ok(None);
        }
        let sql = format!("SELECT uid FROM {table} WHERE id = ?1");
        Ok(rusqlite::OptionalExtension::optional(self.conn.query_row(
            &sql,
            [id],
            |r| r.get(0),
        ))?)
    }
}

/// Walks a JSON value, redacting every string; true when something changed.
fn redact_json(v: &mut Value, redact: Redact<'_>) -> bool {
    match v {
        Value::String(s) => match redact(s) {
            Some(new) => {
                *s = new;
                true
            }
            None => false,
        },
        Value::Array(items) => {
            // Every item, not up to the first that changed.
            let mut changed = false;
            for x in items {
                changed |= redact_json(x, redact);
            }
            changed
        }
        Value::Object(map) => {
            let mut changed = false;
            for x in map.values_mut() {
                changed |= redact_json(x, redact);
            }
            changed
        }
        _ => false,
    }
}

impl Writer<'_> {
    /// Erases what `e` lists (see the module header); `redact` rewrites any text that names an
    /// erased person. Runs in the caller's transaction; call [`Store::wipe`] after the commit.
    pub fn erase(&self, e: &Erasure, redact: Redact<'_>) -> Result<Erased, StoreError> {
        let mut done = Erased::default();
        let rows = e.rows();
        // The records, children before parents (deals' account has no cascade).
        let delete = |table: &str, ids: &[Id]| -> Result<(), StoreError> {
            let sql = format!("DELETE FROM {table} WHERE id IN (SELECT value FROM json_each(?1))");
            self.conn.execute(&sql, [ids_json(ids)])?;
            Ok(())
        };
        delete("drafts", &e.drafts)?;
        delete("plan_spends", &e.spends)?;
        delete("followups", &e.followups)?;
        delete("stage_changes", &e.stage_changes)?;
        delete("plans", &e.plans)?;
        delete("obligations", &e.obligations)?;
        delete("links", &e.links)?;
        delete("interactions", &e.interactions)?;
        self.conn.execute(
            "DELETE FROM interaction_people WHERE person_id IN (SELECT value FROM json_each(?1))",
            [ids_json(&e.people)],
        )?;
        delete("deals", &e.deals)?;
        delete("people", &e.people)?;
        delete("accounts", &e.accounts)?;
        // Shared notes that lost someone stay in order, and are marked changed.
        self.conn.execute(
            "UPDATE interactions SET version = version + 1
             WHERE id IN (SELECT value FROM json_each(?1))",
            [ids_json(&e.shared)],
        )?;
        done.texts_redacted = self.redact_texts(redact)?;
        self.purge_journal(e, &rows, redact, &mut done)?;
        if !e.interactions.is_empty() || !e.shared.is_empty() {
            self.recompute_last_contacts()?;
        }
        Ok(done)
    }

    /// Passes every text column (and `extra`) of the notebook through `redact`; returns how many
    /// rows changed. A changed record's version moves, so a stale edit cannot write it back.
    fn redact_texts(&self, redact: Redact<'_>) -> Result<u64, StoreError> {
        let mut changed = 0;
        for &(table, columns, has_extra) in TEXTS {
            let mut cols: Vec<&str> = columns.to_vec();
            if has_extra {
                cols.push("extra");
            }
            let sql = format!("SELECT id, {} FROM {table}", cols.join(", "));
            let mut updates: Vec<(Id, Vec<Option<String>>)> = Vec::new();
            {
                let mut stmt = self.conn.prepare(&sql)?;
                let mut q = stmt.query([])?;
                while let Some(r) = q.next()? {
                    let mut values: Vec<Option<String>> = Vec::with_capacity(cols.len());
                    let mut any = false;
                    for (n, col) in cols.iter().enumerate() {
                        let text: Option<String> = r.get(n + 1)?;
                        let new = text.as_deref().and_then(|t| {
                            if *col == "extra" {
                                redact_extra(t, redact)
                            } else {
                                redact(t)
                            }
                        });
                        any |= new.is_some();
                        values.push(new.or(text));
                    }
                    if any {
                        updates.push((r.get(0)?, values));
                    }
                }
            }
            let bump = if has_extra {
                ", version = version + 1"
            } else {
                ""
            };
            let sets = cols
                .iter()
                .enumerate()
                .map(|(n, c)| format!("{c} = ?{}", n + 2))
                .collect::<Vec<_>>()
                .join(", ");
            let sql = format!("UPDATE {table} SET {sets}{bump} WHERE id = ?1");
            let mut stmt = self.conn.prepare(&sql)?;
            for (id, values) in updates {
                let mut args: Vec<rusqlite::types::Value> = vec![id.into()];
                args.extend(values.into_iter().map(rusqlite::types::Value::from));
                stmt.execute(rusqlite::params_from_iter(args))?;
                changed += 1;
            }
        }
        // Drafts: what the capture window held.
        let mut drafts: Vec<(Id, String, Option<String>, String)> = Vec::new();
        {
            let mut stmt = self
                .conn
                .prepare("SELECT id, text, when_text, fields FROM drafts")?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let text: String = r.get(1)?;
                let when: Option<String> = r.get(2)?;
                let fields: String = r.get(3)?;
                let t = redact(&text);
                let w = when.as_deref().and_then(redact);
                let f = redact_extra(&fields, redact);
                if t.is_some() || w.is_some() || f.is_some() {
                    drafts.push((
                        r.get(0)?,
                        t.unwrap_or(text),
                        w.or(when),
                        f.unwrap_or(fields),
                    ));
                }
            }
        }
        for (id, text, when, fields) in drafts {
            self.conn.execute(
                "UPDATE drafts SET text = ?2, when_text = ?3, fields = ?4 WHERE id = ?1",
                params![id, text, when, fields],
            )?;
            changed += 1;
        }
        Ok(changed)
    }

    /// Drops the journal changes of erased records, purges the others of references to them
    /// and of their names, and removes entries left empty.
    fn purge_journal(
        &self,
        e: &Erasure,
        rows: &HashMap<&'static str, HashSet<Id>>,
        redact: Redact<'_>,
        done: &mut Erased,
    ) -> Result<(), StoreError> {
        let erased_person: HashSet<Id> = e.people.iter().copied().collect();
        let is_erased = |table: &str, id: Id| rows.get(table).is_some_and(|ids| ids.contains(&id));
        let mut drop: Vec<(Id, i64)> = Vec::new();
        let mut purge: Vec<(Id, i64, Option<String>, Option<String>)> = Vec::new();
        {
            let mut stmt = self.conn.prepare(
                "SELECT entry_id, seq, shape, tbl, row_id, before, after FROM journal_changes",
            )?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let (entry, seq): (Id, i64) = (r.get(0)?, r.get(1)?);
                let shape: String = r.get(2)?;
                let table: String = r.get(3)?;
                let row: Id = r.get(4)?;
                let gone = match (shape.as_str(), table.as_str()) {
                    ("set", "interaction_people") => e.interactions.contains(&row),
                    ("set", "deal_milestones") => e.deals.contains(&row),
                    _ => is_erased(&table, row),
                };
                if gone {
                    drop.push((entry, seq));
                    continue;
                }
                let mut images = [
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ];
                let changed = purge_images(&mut images, redact, &erased_person, &is_erased)?;
                if changed {
                    let [before, after] = images;
                    purge.push((entry, seq, before, after));
                }
            }
        }
        for (entry, seq) in &drop {
            self.conn.execute(
                "DELETE FROM journal_changes WHERE entry_id = ?1 AND seq = ?2",
                params![entry, seq],
            )?;
        }
        for (entry, seq, before, after) in &purge {
            self.conn.execute(
                "UPDATE journal_changes SET before = ?3, after = ?4 WHERE entry_id = ?1 AND seq = ?2",
                params![entry, seq, before, after],
            )?;
        }
        done.journal_dropped = drop.len() as u64;
        done.journal_purged = purge.len() as u64;
        let mut summaries: Vec<(Id, String)> = Vec::new();
        {
            let mut stmt = self.conn.prepare("SELECT id, summary FROM journal")?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                let summary: String = r.get(1)?;
                if let Some(new) = redact(&summary) {
                    summaries.push((r.get(0)?, new));
                }
            }
        }
        for (id, summary) in summaries {
            self.conn.execute(
                "UPDATE journal SET summary = ?2 WHERE id = ?1",
                params![id, summary],
            )?;
        }
        done.journal_entries_removed = self.conn.execute(
            "DELETE FROM journal WHERE NOT EXISTS
               (SELECT 1 FROM journal_changes c WHERE c.entry_id = journal.id)
               AND id IN (SELECT value FROM json_each(?1))",
            [ids_json(&e.journal_entries)],
        )? as u64;
        Ok(())
    }
}

/// Purges a kept journal change's images (before, after) of erased records: texts redacted, an
/// erased person taken out of a set's rows, references to erased records emptied. True when
/// something changed.
fn purge_images(
    images: &mut [Option<String>; 2],
    redact: Redact<'_>,
    erased_person: &HashSet<Id>,
    is_erased: &dyn Fn(&str, Id) -> bool,
) -> Result<bool, StoreError> {
    let mut changed = false;
    for image in images.iter_mut() {
        let Some(text) = image.as_deref() else {
            continue;
        };
        let mut v: Value = serde_json::from_str(text)
            .map_err(|err| StoreError::Corrupt(format!("journal image: {err}")))?;
        let mut touched = redact_json(&mut v, redact);
        if let Value::Array(items) = &mut v {
            let before = items.len();
            items.retain(|item| {
                !item
                    .get("person_id")
                    .and_then(Value::as_i64)
                    .is_some_and(|p| erased_person.contains(&p))
            });
            touched |= items.len() != before;
        } else if let Value::Object(map) = &mut v {
            for (column, target) in REFERENCES {
                if let Some(slot) = map.get_mut(*column) {
                    if slot.as_i64().is_some_and(|id| is_erased(target, id)) {
                        *slot = Value::Null;
                        touched = true;
                    }
                }
            }
        }
        if touched {
            *image = Some(v.to_string());
            changed = true;
        }
    }
    Ok(changed)
}

/// `extra` (a JSON object) with its strings redacted; `None` when unchanged or not JSON.
fn redact_extra(text: &str, redact: Redact<'_>) -> Option<String> {
    let mut v: Value = serde_json::from_str(text).ok()?;
    redact_json(&mut v, redact).then(|| v.to_string())
}

impl Store {
    /// Leaves no old copy of an erased page: the search indexes built again from the records,
    /// the WAL copied into the file and truncated, the file rewritten (`VACUUM`) and the WAL
    /// truncated again. Freed pages are zeroed (`secure_delete`).
    pub fn wipe(&mut self, now: Timestamp) -> Result<Wiped, StoreError> {
        #[allow(clippy::redundant_closure_for_method_calls)]
        // the method's path is not general enough over the writer's lifetime
        self.write(now, |w| w.rebuild_search_indexes())?;
        let first = self.checkpoint_truncate()?;
        self.conn.execute_batch("VACUUM")?;
        let second = self.checkpoint_truncate()?;
        Ok(Wiped {
            wal_truncated: first && second,
        })
    }

    /// `wal_checkpoint(TRUNCATE)`: true when the whole WAL was copied in and truncated.
    fn checkpoint_truncate(&self) -> Result<bool, StoreError> {
        if self.path.is_none() {
            return Ok(true);
        }
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        Ok(busy == 0)
    }
}

/// The backups kam made beside the notebook at `db`: the copies taken before a migration
/// (`NAME.before-vN.bak`) and by `kam backup` (`NAME.backup-STAMP`).
pub fn backups_beside(db: &Path) -> Vec<PathBuf> {
    let Some(name) = db.file_name().and_then(|n| n.to_str()) else {
        return Vec::new();
    };
    let dir = match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| {
            entry.file_name().to_str().is_some_and(|n| {
                n.strip_prefix(name).is_some_and(|rest| {
                    (rest.starts_with(".before-v")
                        && Path::new(rest).extension().is_some_and(|x| x == "bak"))
                        || rest.starts_with(".backup-")
                })
            })
        })
        .map(|entry| entry.path())
        .collect();
    out.sort();
    out
}

/// Whether the notebook copy at `path` holds a record of `table` ("people" or "accounts") with
/// this uid; a file that cannot be read as a notebook counts as holding it (it may). An
/// encrypted copy is read with the notebook's passphrase (`key`).
pub fn backup_holds(path: &Path, table: &str, uid: &str, key: Option<&super::Passphrase>) -> bool {
    if !matches!(table, "people" | "accounts") {
        return true;
    }
    let read = || -> rusqlite::Result<bool> {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let (Some(key), true) = (key, super::is_encrypted(path)) {
            super::cipher::apply(&conn, key).map_err(|_| rusqlite::Error::InvalidQuery)?;
        }
        conn.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE uid = ?1)"),
            [uid],
            |r| r.get(0),
        )
    };
    read().unwrap_or(true)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{add_person, now, person, store};
    use super::*;
    use crate::domain::{Draft, DraftKind, Person, RecordKind};

    fn holds(path: &Path, needle: &str) -> bool {
        let bytes = std::fs::read(path).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    fn redact(t: &str) -> Option<String> {
        t.contains("Ana Puig")
            .then(|| t.replace("Ana Puig", "(erased)"))
    }

    fn draft(target: Option<(RecordKind, Id)>, text: &str) -> Draft {
        Draft {
            id: 0,
            kind: DraftKind::Note,
            target,
            text: text.into(),
            when: None,
            fields: serde_json::Map::new(),
            updated_at: None,
        }
    }

    /// 15.1: a draft about the person goes; another naming them keeps its text, name erased.
    #[test]
    fn drafts_about_the_person_go_and_others_lose_the_name() {
        let mut s = store();
        let ana = add_person(&mut s, &person("p-1", "Ana Puig", None));
        let joan = add_person(&mut s, &person("p-2", "Joan Vila", None));
        s.write(now(), |w| {
            w.save_draft(&draft(Some((RecordKind::Person, ana)), "Ana's knee"))?;
            w.save_draft(&draft(
                Some((RecordKind::Person, joan)),
                "Joan met Ana Puig",
            ))
        })
        .unwrap();
        let e = s.reader().erasure_of_person(ana).unwrap();
        assert_eq!(e.drafts.len(), 1);
        let done = s.write(now(), |w| w.erase(&e, &redact)).unwrap();
        assert_eq!(done.texts_redacted, 1);
        let left = s.reader().drafts().unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].text, "Joan met (erased)");
    }

    /// 15.1: while another connection reads, the WAL cannot be truncated: the wipe says so,
    /// and a later wipe, once it is gone, leaves nothing behind.
    #[test]
    fn a_wal_held_by_a_reader_is_reported_and_wiped_later() {
        const NOTE: &str = "Grandson Ebenezum plays the theorbo";
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("kam.db");
        let wal = tmp.path().join("kam.db-wal");
        let mut s = Store::open(&path).unwrap();
        let ana = add_person(
            &mut s,
            &Person {
                personal: Some(NOTE.into()),
                ..person("p-1", "Ana Puig", None)
            },
        );
        assert!(holds(&wal, NOTE), "not yet checkpointed");
        let reader = rusqlite::Connection::open(&path).unwrap();
        reader.execute_batch("BEGIN").unwrap();
        let _: i64 = reader
            .query_row("SELECT count(*) FROM people", [], |r| r.get(0))
            .unwrap();
        let e = s.reader().erasure_of_person(ana).unwrap();
        s.write(now(), |w| w.erase(&e, &redact)).unwrap();
        assert!(!s.wipe(now()).unwrap().wal_truncated);
        reader.execute_batch("COMMIT").unwrap();
        drop(reader);
        assert!(s.wipe(now()).unwrap().wal_truncated);
        for file in [&path, &wal] {
            for text in [NOTE, "Ebenezum", "ebenezum", "Ana Puig"] {
                assert!(!holds(file, text), "{text} in {}", file.display());
            }
        }
        assert!(s.check().unwrap().is_empty());
    }

    /// 15.4: pruning takes the old interactions and their journal changes; an entry left empty
    /// goes, newer interactions stay.
    #[test]
    fn pruning_takes_old_interactions_and_their_journal_changes() {
        use super::super::JournalChange;
        use super::super::journal::Subject;
        use super::super::testing::interaction;
        use crate::domain::InteractionStatus;
        let mut s = store();
        let mut old = interaction("i-1", "2019-01-01T10:00:00+01:00", InteractionStatus::Done);
        old.body = Some("Ancient gossip".into());
        let new = interaction("i-2", "2026-01-01T10:00:00+01:00", InteractionStatus::Done);
        let (a, b) = s
            .write(now(), |w| {
                Ok((
                    w.upsert_interaction(&old, None, None)?,
                    w.upsert_interaction(&new, None, None)?,
                ))
            })
            .unwrap();
        let subject = Subject::row("interactions", a).unwrap();
        s.write(now(), |w| {
            let after = w.journal_image(&subject)?;
            w.append_journal(
                "note",
                "Saved note",
                &[JournalChange {
                    subject: subject.clone(),
                    uid: Some("i-1".into()),
                    before: None,
                    after,
                }],
            )
        })
        .unwrap();
        let cutoff = crate::domain::Timestamp::parse_from_rfc3339("2020-01-01T00:00:00Z")
            .unwrap()
            .timestamp();
        let e = s.reader().erasure_before(cutoff).unwrap();
        assert_eq!(e.interactions, vec![a]);
        assert_eq!(e.journal_entries.len(), 1);
        let done = s.write(now(), |w| w.erase(&e, &|_| None)).unwrap();
        assert_eq!(done.journal_entries_removed, 1);
        assert!(s.reader().interaction(a).unwrap().is_none());
        assert!(s.reader().interaction(b).unwrap().is_some());
        assert!(s.reader().last_live_entry().unwrap().is_none());
    }
}
