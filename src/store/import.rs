//! Support for bulk imports: references that point forward in a file are written first as
//! placeholders (foreign keys deferred to the commit) and set to the real row once it exists.
//! Nothing here commits: it all runs inside the import's one transaction.

use rusqlite::params;

use crate::domain::Id;

use super::resolve::UidTable;
use super::schema::{SEARCHED, fts_delete_trigger, fts_insert_trigger, fts_update_trigger};
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
    DealPersonDeal,
    DealPersonPerson,
    ProductCompetitor,
    ProductStatusAccount,
    ProductStatusProduct,
    ObjectionPerson,
    ObjectionProduct,
    SalesAccount,
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
            RefColumn::DealPersonDeal => "UPDATE deal_people SET deal_id = ?2 WHERE id = ?1",
            RefColumn::DealPersonPerson => "UPDATE deal_people SET person_id = ?2 WHERE id = ?1",
            RefColumn::ProductCompetitor => "UPDATE products SET competitor_of = ?2 WHERE id = ?1",
            RefColumn::ProductStatusAccount => {
                "UPDATE product_statuses SET account_id = ?2 WHERE id = ?1"
            }
            RefColumn::ProductStatusProduct => {
                "UPDATE product_statuses SET product_id = ?2 WHERE id = ?1"
            }
            RefColumn::ObjectionPerson => "UPDATE objections SET person_id = ?2 WHERE id = ?1",
            RefColumn::ObjectionProduct => "UPDATE objections SET product_id = ?2 WHERE id = ?1",
            RefColumn::SalesAccount => "UPDATE account_sales SET account_id = ?2 WHERE id = ?1",
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
    /// Sets a product discussed in an interaction that was written with a placeholder.
    pub fn set_interaction_product(
        &self,
        interaction: Id,
        placeholder: Id,
        product: Id,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "UPDATE interaction_products SET product_id = ?3
                 WHERE interaction_id = ?1 AND product_id = ?2",
            )?
            .execute(params![interaction, placeholder, product])?;
        Ok(())
    }

    /// Replaces the products discussed in an interaction (an import's `x-products`).
    pub fn set_products_discussed(
        &self,
        interaction: Id,
        products: &[Id],
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("DELETE FROM interaction_products WHERE interaction_id = ?1")?
            .execute([interaction])?;
        self.add_products_discussed(interaction, products)
    }

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

/// Secondary indexes dropped for a bulk import into empty tables, built again before the import
/// commits: an index built at the end sorts its keys once and writes its pages in order, where
/// rows added one by one put each key on a random page (and, at a million rows, those pages no
/// longer fit in the page cache). Unique indexes stay (they check the rows as they come).
#[derive(Debug, Default)]
pub struct SetAsideIndexes {
    /// (table, `CREATE INDEX` statement) of each index dropped.
    indexes: Vec<(String, String)>,
}

impl SetAsideIndexes {
    /// Whether some index waits to be built again.
    pub fn is_empty(&self) -> bool {
        self.indexes.is_empty()
    }
}

impl Writer<'_> {
    /// Drops the non-unique indexes of `tables` (and of the lists that belong to their rows:
    /// the people of an interaction, the milestones of a deal) for the rest of this
    /// transaction; [`Writer::restore_indexes`] must build them again before it commits.
    ///
    /// Only for tables the import starts empty, and only while no reference waits for a record
    /// further down the file: with a placeholder reference outstanding, SQLite looks for the
    /// rows that point at each new record by these indexes (they cover the foreign keys), and
    /// without them it would read a whole table per record.
    pub fn set_aside_indexes(&self, tables: &[UidTable]) -> Result<SetAsideIndexes, StoreError> {
        let mut names: Vec<&str> = Vec::new();
        for table in tables {
            names.push(table.name());
            match table {
                UidTable::Interactions => names.push("interaction_people"),
                UidTable::Deals => names.push("deal_milestones"),
                _ => {}
            }
        }
        let mut aside = SetAsideIndexes::default();
        let mut stmt = self.conn.prepare(
            "SELECT s.name, s.sql FROM sqlite_schema s
             JOIN pragma_index_list(s.tbl_name) l ON l.name = s.name
             WHERE s.type = 'index' AND s.tbl_name = ?1 AND s.sql IS NOT NULL
               AND l.\"unique\" = 0 AND l.origin = 'c'
             ORDER BY s.name",
        )?;
        for table in names {
            let found = stmt
                .query_map([table], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            for (name, sql) in found {
                self.conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
                aside.indexes.push((table.to_string(), sql));
            }
        }
        Ok(aside)
    }

    /// Builds the indexes set aside again, except those of the tables in `except` (they stay
    /// set aside for a later call).
    pub fn restore_indexes(
        &self,
        aside: &mut SetAsideIndexes,
        except: &[UidTable],
    ) -> Result<(), StoreError> {
        let except: Vec<&str> = except.iter().map(|t| t.name()).collect();
        let (later, now): (Vec<_>, Vec<_>) = std::mem::take(&mut aside.indexes)
            .into_iter()
            .partition(|(table, _)| except.contains(&table.as_str()));
        aside.indexes = later;
        for (_, sql) in now {
            self.conn.execute_batch(&sql)?;
        }
        Ok(())
    }
}

/// FTS5's default budget for the terms it gathers in memory before writing them out as a new
/// segment of the index (its `hashsize`, 1 MiB).
const FTS_HASH: i64 = 1 << 20;

/// The budget while the index catches up with a bulk import: each segment written must later
/// be merged with the others, so fewer, larger ones save most of the merging.
const BULK_FTS_HASH: i64 = 16 << 20;

/// Where each searched table stood when a bulk import began: rows above these ids are new, and
/// the rows that were there before and were updated or deleted since are listed (with the text
/// the index holds for them) in a temporary table; none of them is in the full-text index yet.
#[derive(Debug)]
pub struct SearchBacklog {
    after: Vec<(&'static str, &'static [&'static str], Id)>,
}

impl Writer<'_> {
    /// Stops updating the full-text index row by row for the rest of this transaction: with
    /// triggers, FTS5 flushes its buffer at every statement, which makes a bulk import several
    /// times slower (and a re-import, all updates, a hundred times slower). Inserted rows are
    /// found again by id; rows that were indexed before the import and are then updated or
    /// deleted leave the text the index holds in a temporary table (once: the first change).
    ///
    /// A row the import inserts and then rewrites (two CSV rows folding to one name, a moved
    /// occurrence of a series) was never indexed: it is left out of that table, since an FTS5
    /// `delete` must pass exactly the text that was indexed (anything else corrupts an
    /// external-content index), and it is indexed once with its final text.
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
            // `max` is an integer read from the database, never text from a file.
            self.conn.execute_batch(&format!(
                "DROP TRIGGER {table}_fts_insert;
                 DROP TRIGGER {table}_fts_update;
                 DROP TRIGGER {table}_fts_delete;
                 CREATE TEMP TABLE kam_stale_{table} (id INTEGER PRIMARY KEY, {cols});
                 CREATE TEMP TRIGGER kam_stale_{table} AFTER UPDATE OF {cols} ON main.{table}
                 WHEN old.id <= {max}
                 BEGIN
                   INSERT INTO kam_stale_{table} (id, {cols}) SELECT old.id, {old}
                   WHERE NOT EXISTS (SELECT 1 FROM kam_stale_{table} WHERE id = old.id);
                 END;
                 CREATE TEMP TRIGGER kam_gone_{table} AFTER DELETE ON main.{table}
                 WHEN old.id <= {max}
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
    /// indexed text of changed and deleted rows goes out and the text of new and changed rows
    /// goes in, one statement each. A row is indexed once even when it is both new and listed
    /// (a deleted row's id taken again by a new one).
    pub fn catch_up_search_index(&self, backlog: SearchBacklog) -> Result<(), StoreError> {
        for (table, columns, max) in backlog.after {
            self.conn.execute(
                &format!("INSERT INTO {table}_fts({table}_fts, rank) VALUES ('hashsize', ?1)"),
                [BULK_FTS_HASH],
            )?;
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
                         SELECT t.id, {qualified} FROM {stale} s JOIN {table} t ON t.id = s.id
                         WHERE t.id <= ?1"
                    ),
                    [max],
                )?;
            }
            self.conn.execute(
                &format!("INSERT INTO {table}_fts({table}_fts, rank) VALUES ('hashsize', ?1)"),
                [FTS_HASH],
            )?;
            self.conn.execute(
                &format!("DELETE FROM {table}_fts_config WHERE k = 'hashsize'"),
                [],
            )?;
            self.conn.execute_batch(&format!(
                "DROP TRIGGER temp.kam_stale_{table};
                 DROP TRIGGER temp.kam_gone_{table};
                 DROP TABLE temp.kam_stale_{table};
                 {}
                 {}
                 {}",
                fts_insert_trigger(table, columns),
                fts_delete_trigger(table, columns),
                fts_update_trigger(table, columns)
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
impl Reader<'_> {
    /// Every index of the notebook with its `CREATE` statement, sorted: a bulk import must
    /// leave them as it found them.
    pub fn indexes_for_tests(&self) -> Vec<(String, Option<String>)> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

#[cfg(test)]
mod tests {
    //! Any sequence of imports (with records repeated inside a file and across files), edits,
    //! renames, archives and deletes leaves every full-text index passing FTS5's own check, and
    //! finding exactly the rows whose text holds a word (no stale word is found).

    use std::collections::BTreeSet;
    use std::fmt::Write as _;

    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    use super::super::Store;
    use super::super::schema::SEARCHED;
    use super::super::testing::{now, store};
    use crate::interop::{self, csv, ics, jsonl, vcard};

    /// The words records are made of; each is one token, matched as itself.
    const WORDS: [&str; 8] = [
        "alder", "birch", "cedar", "damson", "elder", "fig", "ginkgo", "hazel",
    ];
    /// Names in several spellings that fold to a few keys (CSV and vCard match on them).
    const NAMES: [&str; 6] = [
        "Clínica Madrid",
        "CLINICA MADRID",
        "clinica madrid",
        "Ana Pérez",
        "ANA PEREZ",
        "Hospital Norte",
    ];

    #[derive(Debug, Clone)]
    enum Op {
        /// CSV rows of accounts: (name, city word).
        Csv(Vec<(usize, usize)>),
        /// vCards: (name, title word).
        Vcf(Vec<(usize, usize)>),
        /// A weekly series (uid) with a summary word, and a moved occurrence with another
        /// summary and location, before or after the series in the file.
        Ics {
            series: usize,
            word: usize,
            moved: Option<(usize, usize)>,
            moved_first: bool,
        },
        /// JSON Lines accounts: (uid, about word), and a person whose account comes later.
        Jsonl(Vec<(usize, usize)>, usize),
        /// Edit an account's text (`about`).
        Edit(usize, usize),
        /// Rename an account.
        Rename(usize, usize),
        /// Archive an account.
        Archive(usize),
        /// Delete an interaction, outside or inside a bulk import.
        Delete(usize, bool),
    }

    fn op() -> impl Strategy<Value = Op> {
        let pair = || (0..NAMES.len(), 0..WORDS.len());
        prop_oneof![
            prop::collection::vec(pair(), 1..6).prop_map(Op::Csv),
            prop::collection::vec(pair(), 1..6).prop_map(Op::Vcf),
            (
                0..3usize,
                0..WORDS.len(),
                prop::option::of((0..WORDS.len(), 0..WORDS.len())),
                any::<bool>()
            )
                .prop_map(|(series, word, moved, moved_first)| Op::Ics {
                    series,
                    word,
                    moved,
                    moved_first
                }),
            (
                prop::collection::vec((0..4usize, 0..WORDS.len()), 1..5),
                0..WORDS.len()
            )
                .prop_map(|(a, w)| Op::Jsonl(a, w)),
            (0..20usize, 0..WORDS.len()).prop_map(|(i, w)| Op::Edit(i, w)),
            (0..20usize, 0..NAMES.len()).prop_map(|(i, n)| Op::Rename(i, n)),
            (0..20usize).prop_map(Op::Archive),
            (0..20usize, any::<bool>()).prop_map(|(i, bulk)| Op::Delete(i, bulk)),
        ]
    }

    fn ics_text(series: usize, word: usize, moved: Option<(usize, usize)>, first: bool) -> String {
        let master = format!(
            "BEGIN:VEVENT\nUID:s{series}@t\nDTSTART:20260302T100000Z\n\
             RRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:{}\nEND:VEVENT\n",
            WORDS[word]
        );
        let moved = moved.map_or(String::new(), |(s, l)| {
            format!(
                "BEGIN:VEVENT\nUID:s{series}@t\nRECURRENCE-ID:20260309T100000Z\n\
                 DTSTART:20260310T100000Z\nSUMMARY:{}\nLOCATION:{}\nEND:VEVENT\n",
                WORDS[s], WORDS[l]
            )
        });
        let body = if first {
            moved + &master
        } else {
            master + &moved
        };
        format!("BEGIN:VCALENDAR\nVERSION:2.0\n{body}END:VCALENDAR\n")
    }

    fn nth_id(s: &Store, table: &str, i: usize) -> Option<i64> {
        s.conn
            .query_row(
                &format!("SELECT id FROM {table} ORDER BY id LIMIT 1 OFFSET ?1"),
                [i64::try_from(i).unwrap()],
                |r| r.get(0),
            )
            .ok()
    }

    /// A JSON Lines file: a person whose account comes later, and the accounts.
    fn jsonl_text(accounts: &[(usize, usize)], word: usize) -> String {
        let mut text = String::from(
            "{\"type\":\"kamnote\",\"version\":1,\"exported_at\":\"2026-03-02T10:00:00+01:00\"}\n",
        );
        let person = format!(
            "{{\"type\":\"person\",\"uid\":\"jp\",\"name\":\"Olga {}\",\"account\":\"jfwd\"}}",
            WORDS[word]
        );
        writeln!(text, "{person}").unwrap();
        let mut seen = BTreeSet::new();
        for (uid, w) in accounts {
            if seen.insert(uid) {
                let about = WORDS[*w];
                let account = format!(
                    "{{\"type\":\"account\",\"uid\":\"j{uid}\",\"name\":\"J {uid}\",\"about\":\"{about}\"}}"
                );
                writeln!(text, "{account}").unwrap();
            }
        }
        let forward = format!(
            "{{\"type\":\"account\",\"uid\":\"jfwd\",\"name\":\"Forward {}\"}}",
            WORDS[word]
        );
        writeln!(text, "{forward}").unwrap();
        text
    }

    fn apply(s: &mut Store, op: &Op) {
        let window = ics::OccurrenceWindow {
            from: Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            to: Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap(),
        };
        let mut progress = |_| {};
        // The generated files are well formed (the shapes of 11.1): every import must succeed.
        match op {
            Op::Csv(rows) => {
                let mut text = String::from("name,city\n");
                for (n, w) in rows {
                    writeln!(text, "{},{}", NAMES[*n], WORDS[*w]).unwrap();
                }
                let sheet = csv::read(&text, None).unwrap();
                interop::in_one_transaction(s, now(), false, |w| {
                    csv::import(w, &sheet, None, &mut progress)
                })
                .unwrap_or_else(|e| panic!("CSV import failed: {e}\n{text}"));
            }
            Op::Vcf(cards) => {
                let mut text = String::new();
                for (n, w) in cards {
                    write!(
                        text,
                        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{}\r\nTITLE:{}\r\nEND:VCARD\r\n",
                        NAMES[*n], WORDS[*w]
                    )
                    .unwrap();
                }
                let cards = vcard::parse(&text).unwrap();
                interop::in_one_transaction(s, now(), false, |w| {
                    vcard::import(w, &cards, &mut progress)
                })
                .unwrap_or_else(|e| panic!("vCard import failed: {e}\n{text}"));
            }
            Op::Ics {
                series,
                word,
                moved,
                moved_first,
            } => {
                let cal = ics::parse(&ics_text(*series, *word, *moved, *moved_first)).unwrap();
                interop::in_one_transaction(s, now(), false, |w| {
                    ics::import(w, &cal, window, now().to_utc(), &mut progress)
                })
                .unwrap_or_else(|e| panic!("iCalendar import failed: {e}"));
            }
            Op::Jsonl(accounts, word) => {
                let text = jsonl_text(accounts, *word);
                jsonl::import(s, text.as_bytes(), now(), &mut progress)
                    .unwrap_or_else(|e| panic!("JSON Lines import failed: {e}\n{text}"));
            }
            Op::Edit(i, w) | Op::Rename(i, w) => edit(s, op, *i, *w),
            Op::Archive(i) => edit(s, op, *i, 0),
            Op::Delete(i, bulk) => {
                let Some(id) = nth_id(s, "interactions", *i) else {
                    return;
                };
                let delete = |w: &super::Writer<'_>| {
                    w.conn
                        .execute("DELETE FROM interactions WHERE id = ?1", [id])
                        .map(|_| ())
                        .map_err(super::StoreError::from)
                };
                if *bulk {
                    // Inside an import's deferred index: a row indexed before it is rewritten,
                    // then goes.
                    interop::in_one_transaction(s, now(), false, |w| {
                        w.conn
                            .execute(
                                "UPDATE interactions SET title = 'passing words' WHERE id = ?1",
                                [id],
                            )
                            .map_err(super::StoreError::from)?;
                        delete(w)?;
                        Ok(interop::ImportReport::default())
                    })
                    .unwrap_or_else(|e| panic!("bulk delete failed: {e}"));
                } else {
                    s.write(now(), delete)
                        .unwrap_or_else(|e| panic!("delete failed: {e}"));
                }
            }
        }
    }

    fn edit(s: &mut Store, op: &Op, i: usize, w: usize) {
        let Some(id) = nth_id(s, "accounts", i) else {
            return;
        };
        s.write(now(), |wr| {
            let Some((mut a, stamp)) = wr.account(id)? else {
                return Ok(());
            };
            match op {
                Op::Edit(..) => a.about = Some(format!("{} notes", WORDS[w])),
                Op::Rename(..) => a.name = NAMES[w].to_string(),
                _ => a.archived_at = Some(now()),
            }
            wr.update_account(&a, stamp.version).map(|_| ())
        })
        .unwrap_or_else(|e| panic!("{op:?} failed: {e}"));
    }

    /// The words of `text` as unicode61 sees these ASCII words: lower-case runs of letters.
    fn tokens(text: &str) -> impl Iterator<Item = String> + '_ {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .map(str::to_lowercase)
    }

    /// Every index passes FTS5's check, and each word finds exactly the rows holding it.
    fn assert_sound(s: &Store, history: &[Op]) {
        for &(table, columns) in SEARCHED {
            s.conn
                .execute(
                    &format!(
                        "INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)"
                    ),
                    [],
                )
                .unwrap_or_else(|e| panic!("{table}: {e} after {history:?}"));
            let cols = columns
                .iter()
                .map(|c| format!("coalesce({c}, '')"))
                .collect::<Vec<_>>()
                .join(" || ' ' || ");
            let mut stmt = s
                .conn
                .prepare(&format!("SELECT id, {cols} FROM {table}"))
                .unwrap();
            let rows: Vec<(i64, String)> = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for word in WORDS {
                let expected: BTreeSet<i64> = rows
                    .iter()
                    .filter(|(_, text)| tokens(text).any(|t| t == word))
                    .map(|(id, _)| *id)
                    .collect();
                let mut stmt = s
                    .conn
                    .prepare(&format!(
                        "SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?1"
                    ))
                    .unwrap();
                let found: BTreeSet<i64> = stmt
                    .query_map([format!("\"{word}\"")], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                assert_eq!(found, expected, "{table} \"{word}\" after {history:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        #[test]
        fn any_imports_and_edits_keep_the_search_index_sound(
            ops in prop::collection::vec(op(), 1..10)
        ) {
            let mut s = store();
            for (n, op) in ops.iter().enumerate() {
                apply(&mut s, op);
                assert_sound(&s, &ops[..=n]);
            }
        }
    }
}
