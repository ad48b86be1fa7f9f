//! Reading a JSON Lines file into the notebook, in one transaction.
//!
//! Lines are read with a bounded buffer (at most [`MAX_LINE_BYTES`] per line), decoded as UTF-8,
//! parsed, checked fully and written at once. References are resolved by uid: the records of
//! this import are cached (accounts, people, deals), others are looked up in the notebook, and a
//! reference to a record further down the file is written as a placeholder (foreign keys are
//! checked at commit) and set after the last line — or reported with its line if the record
//! never came.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Read};

use serde_json::Value;

use crate::domain::{Id, Timestamp};
use crate::store::{
    RefColumn, SearchBacklog, SetAsideIndexes, Store, StoreError, UidTable, Writer,
};

use super::fields::{Fields, echo, line_error};
use super::{ImportError, ImportSummary, Kind, VERSION};

/// Longest line accepted: a note is at most 1 MiB of text, so 8 MiB leaves room for escapes.
pub const MAX_LINE_BYTES: usize = 8 << 20;

/// How often (in bytes read) progress is reported.
const PROGRESS_STEP: u64 = 1 << 20;

/// Reads a FORMAT.md version 1 file into `store`: all of it, or nothing when any line is wrong.
/// `now` stamps records that carry no `created_at`/`updated_at` and decides the default status of
/// interactions; `progress` hears the number of bytes read about once per MiB.
pub fn import(
    store: &mut Store,
    mut input: impl BufRead,
    now: Timestamp,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportSummary, ImportError> {
    store.use_bulk_cache()?;
    store.try_write(now, |w| {
        let mut importer = Importer::new(w, now)?;
        let mut buf = Vec::with_capacity(64 << 10);
        let mut line = 0_u64;
        let mut bytes = 0_u64;
        let mut next_report = PROGRESS_STEP;
        let mut header_seen = false;
        loop {
            buf.clear();
            let limit = MAX_LINE_BYTES as u64 + 1;
            let n = (&mut input).take(limit).read_until(b'\n', &mut buf)?;
            if n == 0 {
                break;
            }
            line += 1;
            bytes += n as u64;
            if bytes >= next_report {
                progress(bytes);
                next_report = bytes + PROGRESS_STEP;
            }
            let content = match buf.strip_suffix(b"\n") {
                Some(c) => c,
                None if n > MAX_LINE_BYTES => {
                    return Err(line_error(
                        line,
                        None,
                        format!(
                            "the line is longer than {} MiB; a record holds at most 1 MiB per text",
                            MAX_LINE_BYTES >> 20
                        ),
                    ));
                }
                None => &buf[..],
            };
            let text = std::str::from_utf8(content).map_err(|e| {
                line_error(
                    line,
                    None,
                    format!(
                        "is not valid UTF-8 (byte {} of the line); save the file as UTF-8",
                        e.valid_up_to() + 1
                    ),
                )
            })?;
            if text.trim().is_empty() {
                continue;
            }
            if header_seen {
                importer.record(line, text)?;
            } else {
                header(line, text)?;
                header_seen = true;
            }
        }
        progress(bytes);
        if !header_seen {
            return Err(line_error(
                line.max(1),
                None,
                "the file is empty; a kamnote file starts with {\"type\":\"kamnote\",\"version\":1}",
            ));
        }
        importer.finish(line)
    })
}

fn json_error(line: u64, e: &serde_json::Error) -> ImportError {
    // serde_json says "at line 1 column 7" about the one line it saw: keep only the column.
    let msg = e.to_string();
    let msg = msg
        .rsplit_once(" at line ")
        .map_or(msg.as_str(), |(m, _)| m);
    line_error(
        line,
        None,
        format!("is not valid JSON: {msg} (column {})", e.column()),
    )
}

fn object(line: u64, text: &str) -> Result<serde_json::Map<String, Value>, ImportError> {
    match serde_json::from_str::<Unique>(text) {
        Ok(Unique(Value::Object(map))) => Ok(map),
        Ok(_) => Err(line_error(line, None, "is not a JSON object {...}")),
        Err(e) => match e.to_string().strip_prefix(TWICE) {
            Some(rest) => {
                let key = rest.rsplit_once(" at line ").map_or(rest, |(k, _)| k);
                Err(ImportError::Line {
                    line,
                    record: None,
                    uid: None,
                    field: Some(key.to_string()),
                    message: format!(
                        "{} is given twice in the record (column {}); give each key once",
                        echo(key),
                        e.column()
                    ),
                })
            }
            None => Err(json_error(line, &e)),
        },
    }
}

/// The start of the parse error of a key given twice in one object.
const TWICE: &str = "\u{0}twice:";

/// A JSON value whose objects give each key once. serde_json's own `Value` (with
/// `preserve_order`) silently keeps the last of two equal keys, so `{"name":"A","name":"B"}`
/// would import "B" and lose "A" without a word.
struct Unique(Value);

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Unique(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(serde::de::Error::custom(format!("{TWICE}{key}")));
            }
            let Unique(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Checks the header line: `{"type":"kamnote","version":1, ...}`.
fn header(line: u64, text: &str) -> Result<(), ImportError> {
    const WANT: &str = "a kamnote file starts with {\"type\":\"kamnote\",\"version\":1}";
    let map = object(line, text)?;
    if map.get("type").and_then(Value::as_str) != Some("kamnote") {
        return Err(line_error(line, None, format!("not a header; {WANT}")));
    }
    match map.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(VERSION) => Ok(()),
        Some(v) => Err(ImportError::Line {
            line,
            record: None,
            uid: None,
            field: Some("version".into()),
            message: format!(
                "{} is not a version this kam reads (it reads version {VERSION}); upgrade kam",
                echo(&v.to_string())
            ),
        }),
        None => Err(line_error(
            line,
            None,
            format!("the header has no version; {WANT}"),
        )),
    }
}

/// How an unresolved reference is set once its record is known.
#[derive(Debug, Clone, Copy)]
pub(super) enum Patch {
    Column(RefColumn),
    /// One of the people of an interaction.
    Person,
    /// One of the products discussed in an interaction (`x-products`).
    Product,
}

/// A reference to a uid not known when its line was written.
struct Pending {
    patch: Patch,
    target: Kind,
    uid: String,
    placeholder: Id,
    /// Where the reference is: the row, its line, record and uid, and the key.
    row: Id,
    line: u64,
    record: Kind,
    record_uid: String,
    field: &'static str,
}

/// References of the line being read that must wait (row id not known yet).
#[derive(Default)]
pub(super) struct Later(Vec<(Patch, Kind, String, Id, &'static str)>);

/// Per record type: which rows this import wrote.
#[derive(Default)]
struct Tally {
    /// The highest id before the import: higher ids are rows this import added.
    max_before: Id,
    /// The highest id added so far; an "added" id at or below it is a second line with a uid.
    high: Id,
    /// Rows already in the notebook that this import updated.
    updated_ids: HashSet<Id>,
    added: u64,
    updated: u64,
}

pub(super) struct Importer<'w, 'c> {
    pub(super) w: &'w Writer<'c>,
    pub(super) now: Timestamp,
    /// uid → id of accounts, people and deals seen (they are what most references point at).
    cache: [HashMap<String, Id>; 3],
    tally: [Tally; 14],
    pending: Vec<Pending>,
    next_placeholder: Id,
    search: SearchBacklog,
    /// Indexes of the tables this import started empty, built again at the end (or at the
    /// first reference to a record further down the file).
    indexes: SetAsideIndexes,
    /// The (account, month, currency) of each `sales` line read, which one file gives once.
    pub(super) sales_seen: HashSet<(Id, String, String)>,
}

impl<'w, 'c> Importer<'w, 'c> {
    fn new(w: &'w Writer<'c>, now: Timestamp) -> Result<Self, StoreError> {
        w.defer_foreign_keys()?;
        let search = w.defer_search_index()?;
        let mut tally: [Tally; 14] = Default::default();
        for kind in Kind::ALL {
            let t = &mut tally[kind as usize];
            t.max_before = w.max_id(kind.table())?;
            t.high = t.max_before;
        }
        let empty: Vec<UidTable> = Kind::ALL
            .into_iter()
            .filter(|k| tally[*k as usize].max_before == 0)
            .map(Kind::table)
            .collect();
        let indexes = w.set_aside_indexes(&empty)?;
        Ok(Importer {
            w,
            now,
            cache: Default::default(),
            tally,
            pending: Vec::new(),
            next_placeholder: -1,
            search,
            indexes,
            sales_seen: HashSet::new(),
        })
    }

    fn cache_of(&mut self, kind: Kind) -> Option<&mut HashMap<String, Id>> {
        match kind {
            Kind::Account => Some(&mut self.cache[0]),
            Kind::Person => Some(&mut self.cache[1]),
            Kind::Deal => Some(&mut self.cache[2]),
            _ => None,
        }
    }

    /// The id of the `target` record with `uid`, if it exists yet.
    pub(super) fn lookup(&mut self, target: Kind, uid: &str) -> Result<Option<Id>, StoreError> {
        if let Some(id) = self.cache_of(target).and_then(|c| c.get(uid)) {
            return Ok(Some(*id));
        }
        let id = self.w.id_by_uid(target.table(), uid)?;
        if let (Some(id), Some(cache)) = (id, self.cache_of(target)) {
            cache.insert(uid.to_string(), id);
        }
        Ok(id)
    }

    /// The id for a reference: the record's if known, else a placeholder set after the last line.
    pub(super) fn reference(
        &mut self,
        later: &mut Later,
        patch: Patch,
        field: &'static str,
        target: Kind,
        uid: String,
    ) -> Result<Id, StoreError> {
        if let Some(id) = self.lookup(target, &uid)? {
            return Ok(id);
        }
        if !self.indexes.is_empty() {
            self.w.restore_indexes(&mut self.indexes, &[])?;
        }
        let placeholder = self.next_placeholder;
        self.next_placeholder -= 1;
        later.0.push((patch, target, uid, placeholder, field));
        Ok(placeholder)
    }

    pub(super) fn optional_reference(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
        column: RefColumn,
        field: &'static str,
        target: Kind,
    ) -> Result<Option<Id>, ImportError> {
        match f.text(field)? {
            Some(uid) => Ok(Some(self.reference(
                later,
                Patch::Column(column),
                field,
                target,
                uid,
            )?)),
            None => Ok(None),
        }
    }

    pub(super) fn required_reference(
        &mut self,
        f: &mut Fields,
        later: &mut Later,
        column: RefColumn,
        field: &'static str,
        target: Kind,
    ) -> Result<Id, ImportError> {
        let uid = f.required_text(field)?;
        Ok(self.reference(later, Patch::Column(column), field, target, uid)?)
    }

    /// One record line.
    fn record(&mut self, line: u64, text: &str) -> Result<(), ImportError> {
        let map = object(line, text)?;
        let kind = match map.get("type") {
            Some(Value::String(t)) => match Kind::from_name(t) {
                Some(kind) => kind,
                None if t == "kamnote" => {
                    return Err(line_error(
                        line,
                        None,
                        "a second header; the header is the first line only",
                    ));
                }
                None => {
                    return Err(line_error(
                        line,
                        None,
                        format!(
                            "type: {} is not a record type; write one of: {}",
                            echo(t),
                            Kind::ALL.map(Kind::name).join(", ")
                        ),
                    ));
                }
            },
            Some(other) => {
                return Err(line_error(
                    line,
                    None,
                    format!("type: expected text, found {other}"),
                ));
            }
            None => return Err(line_error(line, None, "type: is missing")),
        };
        let mut f = Fields::new(line, kind, map)?;
        let mut later = Later::default();
        let id = match kind {
            Kind::Account => self.account(&mut f),
            Kind::Person => self.person(&mut f, &mut later),
            Kind::Link => self.link(&mut f, &mut later),
            Kind::Deal => self.deal(&mut f, &mut later),
            Kind::Obligation => self.obligation(&mut f, &mut later),
            Kind::Plan => self.plan(&mut f, &mut later),
            Kind::StageChange => self.stage_change(&mut f, &mut later),
            Kind::Interaction => self.interaction(&mut f, &mut later),
            Kind::FollowUp => self.followup(&mut f, &mut later),
            Kind::Product => self.product(&mut f, &mut later),
            Kind::ProductStatus => self.product_status(&mut f, &mut later),
            Kind::Objection => self.objection(&mut f, &mut later),
            Kind::DealPerson => self.deal_person(&mut f, &mut later),
            Kind::Sales => self.sales(&mut f, &mut later),
        }
        .map_err(|e| match e {
            ImportError::Store(StoreError::Invalid(invalid)) => {
                f.error(&invalid.field, invalid.problem)
            }
            e => e,
        })?;
        self.count(&f, id)?;
        if let Some(cache) = self.cache_of(kind) {
            cache.insert(f.uid.clone(), id);
        }
        for (patch, target, uid, placeholder, field) in later.0 {
            self.pending.push(Pending {
                patch,
                target,
                uid,
                placeholder,
                row: id,
                line,
                record: kind,
                record_uid: f.uid.clone(),
                field,
            });
        }
        Ok(())
    }

    /// Counts the row as added or updated; a uid seen twice in the file is an error.
    fn count(&mut self, f: &Fields, id: Id) -> Result<(), ImportError> {
        let t = &mut self.tally[f.kind as usize];
        let fresh = if id > t.max_before {
            let fresh = id > t.high;
            t.high = t.high.max(id);
            t.added += u64::from(fresh);
            fresh
        } else {
            let fresh = t.updated_ids.insert(id);
            t.updated += u64::from(fresh);
            fresh
        };
        if fresh {
            Ok(())
        } else {
            Err(f.error(
                "uid",
                format!(
                    "{} is already used by an earlier {} in this file; uids are unique",
                    echo(&f.uid),
                    f.kind.name()
                ),
            ))
        }
    }

    /// Sets the references that waited for the end of the file, and the derived data.
    fn finish(mut self, lines: u64) -> Result<ImportSummary, ImportError> {
        let pending = std::mem::take(&mut self.pending);
        for p in pending {
            let Some(id) = self.lookup(p.target, &p.uid)? else {
                return Err(ImportError::Line {
                    line: p.line,
                    record: Some(p.record.name()),
                    uid: Some(p.record_uid),
                    field: Some(p.field.to_string()),
                    message: format!(
                        "no {} with uid {} in the file or the notebook",
                        p.target.name(),
                        echo(&p.uid)
                    ),
                });
            };
            match p.patch {
                Patch::Column(column) => self.w.set_reference(column, p.row, id)?,
                Patch::Person => self.w.set_interaction_person(p.row, p.placeholder, id)?,
                Patch::Product => self.w.set_interaction_product(p.row, p.placeholder, id)?,
            }
        }
        // The last contacts are found by the interactions' indexes and written to accounts and
        // people: theirs are cheaper to build after.
        let written = [UidTable::Accounts, UidTable::People];
        self.w.restore_indexes(&mut self.indexes, &written)?;
        self.w.recompute_last_contacts()?;
        self.w.restore_indexes(&mut self.indexes, &[])?;
        self.w.catch_up_search_index(self.search)?;
        let mut summary = ImportSummary {
            lines,
            ..ImportSummary::default()
        };
        for kind in Kind::ALL {
            let t = &self.tally[kind as usize];
            if t.added > 0 {
                summary.added.insert(kind.name(), t.added);
            }
            if t.updated > 0 {
                summary.updated.insert(kind.name(), t.updated);
            }
        }
        Ok(summary)
    }
}
