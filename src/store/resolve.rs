//! Finding records: by uid (import), and by name the way a KAM types it — accent- and
//! case-insensitive, word by word, each word a prefix ("nuno pe" finds "Dr. Nuño Peña").

use rusqlite::{OptionalExtension, params};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::domain::query::starts_folded_apart;
use crate::domain::{Id, RecordKind};
use crate::text::fold;

use super::{Reader, StoreError, Writer};

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
    DealPeople,
    Products,
    ProductStatuses,
    Objections,
    AccountSales,
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
            UidTable::DealPeople => "deal_people",
            UidTable::Products => "products",
            UidTable::ProductStatuses => "product_statuses",
            UidTable::Objections => "objections",
            UidTable::AccountSales => "account_sales",
        }
    }

    /// `SELECT id FROM {table} WHERE uid = ?1`, spelled out once so that a lookup (one per
    /// reference in an import) formats nothing.
    fn by_uid_sql(self) -> &'static str {
        match self {
            UidTable::Accounts => "SELECT id FROM accounts WHERE uid = ?1",
            UidTable::People => "SELECT id FROM people WHERE uid = ?1",
            UidTable::Links => "SELECT id FROM links WHERE uid = ?1",
            UidTable::Interactions => "SELECT id FROM interactions WHERE uid = ?1",
            UidTable::FollowUps => "SELECT id FROM followups WHERE uid = ?1",
            UidTable::Deals => "SELECT id FROM deals WHERE uid = ?1",
            UidTable::Obligations => "SELECT id FROM obligations WHERE uid = ?1",
            UidTable::Plans => "SELECT id FROM plans WHERE uid = ?1",
            UidTable::StageChanges => "SELECT id FROM stage_changes WHERE uid = ?1",
            UidTable::DealPeople => "SELECT id FROM deal_people WHERE uid = ?1",
            UidTable::Products => "SELECT id FROM products WHERE uid = ?1",
            UidTable::ProductStatuses => "SELECT id FROM product_statuses WHERE uid = ?1",
            UidTable::Objections => "SELECT id FROM objections WHERE uid = ?1",
            UidTable::AccountSales => "SELECT id FROM account_sales WHERE uid = ?1",
        }
    }
}

impl UidTable {
    /// Every table whose records carry a uid and a `version`.
    pub const ALL: [UidTable; 14] = [
        UidTable::Accounts,
        UidTable::People,
        UidTable::Links,
        UidTable::Interactions,
        UidTable::FollowUps,
        UidTable::Deals,
        UidTable::Obligations,
        UidTable::Plans,
        UidTable::StageChanges,
        UidTable::DealPeople,
        UidTable::Products,
        UidTable::ProductStatuses,
        UidTable::Objections,
        UidTable::AccountSales,
    ];
}

impl Reader<'_> {
    /// The uid and `version` of every record, in every uid table, whose uid starts with
    /// `prefix` (the demo's own records: `demo-`). A record comes in at version 1 and every
    /// edit that changes something bumps it.
    pub fn versions_with_uid_prefix(&self, prefix: &str) -> Result<Vec<(String, i64)>, StoreError> {
        let mut out = Vec::new();
        for table in UidTable::ALL {
            let sql = format!(
                "SELECT uid, version FROM {} WHERE substr(uid, 1, length(?1)) = ?1",
                table.name()
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([prefix], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Sets the records with these uids back to version 1 (the demo, after it rewrote its own
    /// records, so that the next refresh can tell them from the ones the user edits since).
    pub fn set_first_version(&self, uids: &[String]) -> Result<(), StoreError> {
        for table in UidTable::ALL {
            let sql = format!("UPDATE {} SET version = 1 WHERE uid = ?1", table.name());
            let mut stmt = self.conn.prepare_cached(&sql)?;
            for uid in uids {
                stmt.execute([uid])?;
            }
        }
        Ok(())
    }
}

/// The FTS5 query for "every word of `query` as a prefix of some word of the name", in the
/// index of `table`.
///
/// The words go to FTS5 as typed (only NFC-composed and split at spaces and punctuation), so
/// that its own `unicode61 remove_diacritics 2` tokenizer folds case and accents exactly as it
/// did when indexing. Handing it [`fold`]ed words instead broke every word whose marks
/// unicode61 keeps but `fold` strips: "Алексей" folds to "алексеи", which never matched the
/// indexed "алексей" (likewise ё, and accented Greek). The letters that unicode61 keeps but
/// `fold` spells apart (ß, ł, ı...) are the other way round: each word may also be its folded
/// form, or an indexed word that folds to it ("weiss" finds "Weißach", "lukasz" "Łukasz").
pub(super) fn prefix_query(
    reader: &Reader<'_>,
    table: &str,
    query: &str,
) -> Result<Option<String>, StoreError> {
    let composed: String = query.nfc().collect();
    let mut words = Vec::new();
    for w in composed
        .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
    {
        let mut any = vec![format!("\"{w}\"*")];
        let key = fold(w);
        let starts = starts_folded_apart(&key, true);
        for found in reader.words_apart(table, &starts, &key, true)? {
            any.push(format!("\"{}\"", found.replace('"', "\"\"")));
        }
        if key != w.to_lowercase() && !key.is_empty() && !key.contains(' ') {
            any.push(format!("\"{key}\"*"));
        }
        words.push(if any.len() == 1 {
            any.remove(0)
        } else {
            format!("({})", any.join(" OR "))
        });
    }
    Ok((!words.is_empty()).then(|| format!("name : ({})", words.join(" AND "))))
}

impl Writer<'_> {
    /// Runs `upsert`, an `INSERT ... ON CONFLICT(uid) DO UPDATE ... RETURNING id` whose insert
    /// part numbers its parameters from ?1 up, for the record `uid` of `table`, and returns the
    /// record's id. A record new to the notebook goes in by the plain `INSERT` before
    /// `ON CONFLICT`: a statement that may update instead (or returns rows) makes SQLite copy
    /// each page it touches to a statement journal first, which, once that journal has
    /// spilled to a file in a long import, costs two writes per page — a tenth of a bulk
    /// import's time went there.
    pub(super) fn upsert_by_uid(
        &self,
        table: UidTable,
        uid: &str,
        upsert: &str,
        params: &[&dyn rusqlite::ToSql],
    ) -> Result<Id, StoreError> {
        if self.id_by_uid(table, uid)?.is_some() {
            return Ok(self
                .conn
                .prepare_cached(upsert)?
                .query_row(params, |r| r.get(0))?);
        }
        let insert = upsert.split_once("ON CONFLICT").map_or(upsert, |(i, _)| i);
        let mut stmt = self.conn.prepare_cached(insert)?;
        let n = stmt.parameter_count().min(params.len());
        stmt.execute(&params[..n])?;
        Ok(self.conn.last_insert_rowid())
    }
}

impl Reader<'_> {
    /// The id of the record with `uid` in `table`.
    pub fn id_by_uid(&self, table: UidTable, uid: &str) -> Result<Option<Id>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(table.by_uid_sql())?
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

    /// Whether a record `id` of `kind` exists, with its name (a person's as addressed).
    pub fn name_of(&self, kind: TargetKind, id: Id) -> Result<Option<String>, StoreError> {
        let sql = match kind {
            TargetKind::Account => "SELECT name FROM accounts WHERE id = ?1",
            TargetKind::Person => {
                "SELECT coalesce(salutation || ' ', '') || name FROM people WHERE id = ?1"
            }
            TargetKind::Deal => "SELECT title FROM deals WHERE id = ?1",
        };
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row([id], |r| r.get(0))
            .optional()?)
    }

    /// The accounts and people most recently in touch, up to `limit` of each: the pool a fuzzy
    /// picker scores when word prefixes find too little ("crmn" for Carmen). Index walks.
    pub fn recent_names(&self, limit: u32) -> Result<Vec<Candidate>, StoreError> {
        let mut out = Vec::new();
        for (kind, sql) in [
            (
                TargetKind::Account,
                "SELECT a.id, a.name, NULL FROM accounts a WHERE a.archived_at IS NULL
                 ORDER BY a.last_contact DESC LIMIT ?1",
            ),
            (
                TargetKind::Person,
                "SELECT p.id, p.name, a.name FROM people p LEFT JOIN accounts a ON a.id = p.account_id
                 WHERE p.archived_at IS NULL ORDER BY p.last_contact DESC LIMIT ?1",
            ),
        ] {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let rows = stmt.query_map([limit], |r| {
                Ok(Candidate { kind, id: r.get(0)?, name: r.get(1)?, context: r.get(2)?, exact: false })
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// Records of `kinds` whose name matches `query`, exact matches first, at most `limit` per
    /// kind.
    pub fn match_names(
        &self,
        kinds: &[TargetKind],
        query: &str,
        limit: u32,
    ) -> Result<Vec<Candidate>, StoreError> {
        let mut out: Vec<Candidate> = Vec::new();
        for &kind in kinds {
            let table = match kind {
                TargetKind::Account => "accounts",
                TargetKind::Person => "people",
                TargetKind::Deal => "deals",
            };
            // A person is named without their salutation: "Dra. Carmen Peña" finds Carmen Peña
            // (and, of two Carmen Peñas, the Dra. is the exact one).
            let (typed_salutation, person_name) = if kind == TargetKind::Person {
                crate::domain::person_name::split_salutation(query)
            } else {
                (None, String::new())
            };
            let query = if kind == TargetKind::Person {
                person_name.as_str()
            } else {
                query
            };
            let folded = fold(query);
            let Some(fts) = prefix_query(self, table, query)? else {
                return Ok(Vec::new());
            };
            // Exact names first, straight from the name index.
            let exact_sql = match kind {
                TargetKind::Account => Some(
                    "SELECT a.id, a.name, NULL, NULL FROM accounts a WHERE a.name_key = ?1 LIMIT ?2",
                ),
                TargetKind::Person => Some(
                    "SELECT p.id, p.name, a.name, p.salutation FROM people p
                     LEFT JOIN accounts a ON a.id = p.account_id
                     WHERE p.name_key = ?1 LIMIT ?2",
                ),
                TargetKind::Deal => None,
            };
            // Then prefix matches in id order, with no ranking of every hit: a short prefix can
            // match thousands of names, and more than `limit` is "ambiguous" anyway.
            let prefix_sql = match kind {
                TargetKind::Account => {
                    "SELECT a.id, a.name, NULL, NULL FROM accounts_fts f JOIN accounts a ON a.id = f.rowid
                     WHERE accounts_fts MATCH ?1 LIMIT ?2"
                }
                TargetKind::Person => {
                    "SELECT p.id, p.name, a.name, p.salutation FROM people_fts f
                     JOIN people p ON p.id = f.rowid LEFT JOIN accounts a ON a.id = p.account_id
                     WHERE people_fts MATCH ?1 LIMIT ?2"
                }
                TargetKind::Deal => {
                    "SELECT d.id, d.title, a.name, NULL FROM deals_fts f
                     JOIN deals d ON d.id = f.rowid JOIN accounts a ON a.id = d.account_id
                     WHERE deals_fts MATCH replace(?1, 'name :', 'title :') LIMIT ?2"
                }
            };
            let queries = exact_sql
                .map(|q| (q, folded.as_str()))
                .into_iter()
                .chain([(prefix_sql, fts.as_str())]);
            let first = out.len();
            let mut salutations: Vec<Option<String>> = Vec::new();
            for (sql, arg) in queries {
                let mut stmt = self.conn.prepare_cached(sql)?;
                let rows = stmt.query_map(params![arg, limit], |r| {
                    Ok((
                        Candidate {
                            kind,
                            id: r.get(0)?,
                            name: r.get(1)?,
                            context: r.get(2)?,
                            exact: false,
                        },
                        r.get::<_, Option<String>>(3)?,
                    ))
                })?;
                for row in rows {
                    let (mut candidate, salutation) = row?;
                    if out.iter().any(|c| c.kind == kind && c.id == candidate.id) {
                        continue;
                    }
                    candidate.exact = fold(&candidate.name) == folded;
                    // A person is named as addressed.
                    candidate.name = crate::domain::person_name::addressed(
                        salutation.as_deref(),
                        &candidate.name,
                    );
                    out.push(candidate);
                    salutations.push(salutation);
                }
            }
            if let Some(typed) = typed_salutation.map(|t| fold(&t)) {
                let same = |s: &Option<String>| s.as_deref().is_some_and(|s| fold(s) == typed);
                let found = &mut out[first..];
                if found
                    .iter()
                    .zip(&salutations)
                    .any(|(c, s)| c.exact && same(s))
                {
                    for (c, s) in found.iter_mut().zip(&salutations) {
                        c.exact = c.exact && same(s);
                    }
                }
            }
        }
        out.sort_by_key(|c| !c.exact);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::testing::{account, add_account, add_person, now, person, store};
    use super::*;
    use crate::domain::Person;

    fn people_named(s: &Store, query: &str) -> Vec<String> {
        s.reader()
            .match_names(&[TargetKind::Person], query, 10)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn search_index_follows_insert_update_and_delete() {
        let mut s = store();
        let id = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        let found = |s: &Store, q: &str| {
            s.reader()
                .match_names(&[TargetKind::Account], q, 10)
                .unwrap()
                .iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(found(&s, "clinic"), [id]);

        let (mut a, stamp) = s.reader().account(id).unwrap().unwrap();
        a.name = "Hospital del Mar".into();
        s.write(now(), |w| w.update_account(&a, stamp.version))
            .unwrap();
        assert!(found(&s, "clinic").is_empty());
        assert_eq!(found(&s, "mar"), [id]);

        // Deleted behind the store's back: the triggers still clean the index.
        s.conn
            .execute("DELETE FROM accounts WHERE id = ?1", [id])
            .unwrap();
        assert!(found(&s, "mar").is_empty());
        assert!(found(&s, "hospital").is_empty());
        assert!(s.check().unwrap().is_empty());
    }

    #[test]
    fn names_match_across_accents_case_scripts_and_word_prefixes() {
        let mut s = store();
        let a = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        for (uid, name) in [
            ("p-1", "Iván Petrov"),
            ("p-2", "Dr. Nuño Peña"),
            ("p-3", "田中 太郎"),
            ("p-4", "Алексей Смирнов"),
            ("p-5", "Ана Ёлкина"),
            ("p-6", "Ελένη Παπαδοπούλου"),
        ] {
            add_person(&mut s, &person(uid, name, Some(a)));
        }
        assert_eq!(people_named(&s, "ivan"), ["Iván Petrov"]);
        assert_eq!(people_named(&s, "IVÁN"), ["Iván Petrov"]);
        assert_eq!(people_named(&s, "nuno pe"), ["Dr. Nuño Peña"]);
        assert_eq!(people_named(&s, "dr nuno"), ["Dr. Nuño Peña"]);
        assert_eq!(people_named(&s, "pena"), ["Dr. Nuño Peña"]);
        assert_eq!(people_named(&s, "田中"), ["田中 太郎"]);
        assert_eq!(people_named(&s, "太郎"), ["田中 太郎"]);
        assert_eq!(people_named(&s, "смирнов"), ["Алексей Смирнов"]);
        assert_eq!(people_named(&s, "Алексей"), ["Алексей Смирнов"]);
        assert_eq!(people_named(&s, "алек"), ["Алексей Смирнов"]);
        assert_eq!(people_named(&s, "ёлкина"), ["Ана Ёлкина"]);
        assert_eq!(people_named(&s, "ελένη"), ["Ελένη Παπαδοπούλου"]);
        // Typed with a combining accent instead of the precomposed letter.
        assert_eq!(people_named(&s, "Iva\u{301}n"), ["Iván Petrov"]);
        assert_eq!(
            people_named(&s, "Алексе\u{438}\u{306}"),
            ["Алексей Смирнов"]
        );
        assert!(people_named(&s, "ivana").is_empty());
        assert!(people_named(&s, "  ").is_empty());
        // Quotes and FTS syntax in the query are words, not operators (and not errors).
        assert!(people_named(&s, "\"ivan OR").is_empty());
        assert_eq!(people_named(&s, "ivan* (petrov)"), ["Iván Petrov"]);
    }

    #[test]
    fn a_person_is_found_with_or_without_their_salutation_typed() {
        let mut s = store();
        let id = add_person(
            &mut s,
            &Person {
                salutation: Some("Dra.".into()),
                ..person("p-1", "Carmen Peña", None)
            },
        );
        for typed in ["Dra. Carmen Peña", "Carmen Peña", "dra pena", "Peña"] {
            let found = s
                .reader()
                .match_names(&[TargetKind::Person], typed, 10)
                .unwrap();
            assert_eq!(
                found.iter().map(|c| c.id).collect::<Vec<_>>(),
                [id],
                "{typed}"
            );
        }
        let found = s
            .reader()
            .match_names(&[TargetKind::Person], "Dra. Carmen Peña", 10)
            .unwrap();
        assert!(found[0].exact);
        assert_eq!(found[0].name, "Dra. Carmen Peña", "named as addressed");
        // Two Carmen Peñas: the salutation typed tells them apart.
        add_person(&mut s, &person("p-2", "Carmen Peña", None));
        let exact = |typed: &str| -> Vec<Id> {
            s.reader()
                .match_names(&[TargetKind::Person], typed, 10)
                .unwrap()
                .into_iter()
                .filter(|c| c.exact)
                .map(|c| c.id)
                .collect()
        };
        assert_eq!(exact("dra. carmen peña"), [id]);
        assert_eq!(exact("Carmen Peña").len(), 2);
        assert_eq!(exact("Sr. Carmen Peña").len(), 2);
    }

    #[test]
    fn the_exact_full_name_comes_first() {
        let mut s = store();
        let long = add_person(&mut s, &person("p-1", "Ana Puig", None));
        let exact = add_person(&mut s, &person("p-2", "Ana Puig Soler", None));
        let candidates = s
            .reader()
            .match_names(&[TargetKind::Person], "ana puig soler", 10)
            .unwrap();
        assert_eq!(candidates.len(), 1);
        assert!(candidates[0].exact);

        let candidates = s
            .reader()
            .match_names(&[TargetKind::Person], "Ana Puig", 10)
            .unwrap();
        let ids: Vec<_> = candidates.iter().map(|c| (c.id, c.exact)).collect();
        assert_eq!(ids, [(long, true), (exact, false)]);

        // Exact wins over a shorter prefix match, across kinds too.
        add_account(&mut s, &account("acc-1", "Ana"));
        let exact_person = add_person(&mut s, &person("p-3", "Ana P", None));
        let candidates = s
            .reader()
            .match_names(&[TargetKind::Account, TargetKind::Person], "ana p", 10)
            .unwrap();
        assert_eq!(
            (candidates[0].kind, candidates[0].id),
            (TargetKind::Person, exact_person)
        );
        assert!(candidates[0].exact);
        assert!(candidates[1..].iter().all(|c| !c.exact));
    }
}
