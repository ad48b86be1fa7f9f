//! Full-text search over the FTS5 indexes of accounts, people, interactions, follow-ups, deals
//! and plans (schema.rs `SEARCHED`), ranking a bounded candidate set rather than every hit.
//!
//! Per kind of record, the candidates are the [`CANDIDATES`] most recent matches (the FTS5
//! index walks its doclist by rowid, newest first, and stops): bm25 with the name or title
//! weighted up is computed for those only, and the best [`Search::limit`] of all kinds are
//! returned. A common word at L (hundreds of thousands of hits) costs what a rare one does.
//!
//! Filters: `account`/`person` on a small account or person (≤ [`SCOPE_SMALL`] records of that
//! kind) walk that record's rows and probe the index for each; on a big one, and for dates and
//! interaction kinds, the [`SCAN`] most recent matches are filtered (so an old match of a
//! common word in a big account can be missed: bounded time wins over completeness there).
//! Filtered candidates are scored afterwards, in one walk of their rowid range; when they are
//! spread wider than [`WALK_SPAN`] they keep a neutral score (after the scored ones, newest
//! first), since bm25 on a probed row recounts the word's documents at every probe.
//!
//! Words are matched as FTS5's `unicode61 remove_diacritics 2` tokenizer folds them, except
//! the letters it keeps whole but [`crate::text::fold`] spells apart (ß, ł, ı, ø...): a word is
//! also looked for as its folded form and as the indexed words that fold to it, found in a few
//! short ranges of the index's vocabulary ([`Reader::words_apart`]), so search agrees with fold.
//!
//! Snippets come from FTS5 `snippet()` with two private-use markers; the marked text is
//! aligned against the same snippet without markers, so a marker character in the data is
//! only ever text ([`fragments`]): data cannot fake a highlight.

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, params_from_iter};

use crate::domain::query::{CJK_FIRST, Expansion, HitKind, Term, fts_expression};
use crate::domain::{Id, InteractionKind, Named, Vocabulary};

use super::codec::{parse_opt_date, ts_from_parts};
use super::{Reader, StoreError};

/// Matches ranked per kind of record.
pub const CANDIDATES: u32 = 200;
/// Matches a filtered search looks through per kind of record.
pub const SCAN: u32 = 5000;
/// An account's or person's records walked one by one when a filter names it.
pub const SCOPE_SMALL: u32 = 300;
/// The widest rowid range walked in one go to score or snip a table's hits; hits spread wider
/// (a small account's notes over years) are probed one by one.
pub const WALK_SPAN: i64 = 50_000;
/// Indexed words a plain prefix is spelled out as, at most ([`Reader::prefix_words`]).
const PREFIX_WORDS: u32 = 32;
/// Indexed words a CJK, Greek or Cyrillic term expands to, at most.
const CJK_WORDS: u32 = 64;
/// Indexed words read to find those a Greek or Cyrillic term means, at most: a guard only, as
/// the walk reads just the words starting with a letter that can fold to the term's first.
const SCRIPT_WORDS: u32 = 200_000;

const START: char = '\u{e000}';
const END: char = '\u{e001}';

/// A resolved search.
#[derive(Debug, Clone, Default)]
pub struct Search {
    pub terms: Vec<Term>,
    /// Kinds of record to search (all when empty).
    pub kinds: Vec<HitKind>,
    /// Only interactions of these kinds (all when empty).
    pub interaction_kinds: Vec<InteractionKind>,
    pub account: Option<Id>,
    pub person: Option<Id>,
    /// On or after this day (`at` as unix seconds from the local start of the day).
    pub from: Option<(NaiveDate, i64)>,
    /// Strictly before this day.
    pub until: Option<(NaiveDate, i64)>,
    pub limit: usize,
}

/// A piece of a snippet: text from the data, and whether it matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// One record found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: Id,
    /// An interaction's kind (note, call...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interaction_kind: Option<InteractionKind>,
    /// Name, title, objective or follow-up text (an untitled interaction: `None`).
    pub title: Option<String>,
    /// The account it belongs to (an account: itself).
    pub account: Option<Named>,
    /// The person it is about (a person: itself; an interaction: its first attendee).
    pub person: Option<Named>,
    /// When it happened or is due (local day).
    pub date: Option<NaiveDate>,
    pub snippet: Vec<Fragment>,
    /// bm25, weighted: lower is better.
    pub score: f64,
}

struct FtsTable {
    kind: HitKind,
    name: &'static str,
    /// bm25 column weights: the name or title counts most.
    weights: &'static str,
}

const TABLES: [FtsTable; 6] = [
    FtsTable {
        kind: HitKind::Account,
        name: "accounts",
        weights: "10, 2, 2, 2, 2, 1, 1, 2",
    },
    FtsTable {
        kind: HitKind::Person,
        name: "people",
        weights: "10, 3, 2, 2, 2",
    },
    FtsTable {
        kind: HitKind::Interaction,
        name: "interactions",
        weights: "4, 1, 2, 1, 2",
    },
    FtsTable {
        kind: HitKind::FollowUp,
        name: "followups",
        weights: "2",
    },
    FtsTable {
        kind: HitKind::Deal,
        name: "deals",
        weights: "4, 1",
    },
    FtsTable {
        kind: HitKind::Plan,
        name: "plans",
        weights: "4, 1",
    },
];

/// SQL with its positional parameters, built together.
#[derive(Default)]
struct Sql {
    conds: Vec<String>,
    params: Vec<Value>,
}

impl Sql {
    fn param(&mut self, v: impl Into<Value>) -> String {
        self.params.push(v.into());
        format!("?{}", self.params.len())
    }
}

/// The conditions on row `r` of `table` for the filters, or `None` when no record of the
/// table can pass them (a date filter on accounts, a person filter on deals).
fn conditions(table: &FtsTable, s: &Search, sql: &mut Sql) -> Option<()> {
    let kind = table.kind;
    if let Some(a) = s.account {
        let c = match kind {
            HitKind::Account => format!("r.id = {}", sql.param(a)),
            _ => format!("r.account_id = {}", sql.param(a)),
        };
        sql.conds.push(c);
    }
    if let Some(p) = s.person {
        let c = match kind {
            HitKind::Account | HitKind::Deal => return None,
            HitKind::Person => format!("r.id = {}", sql.param(p)),
            HitKind::Interaction => format!(
                "EXISTS (SELECT 1 FROM interaction_people ip
                         WHERE ip.interaction_id = r.id AND ip.person_id = {})",
                sql.param(p)
            ),
            HitKind::FollowUp | HitKind::Plan => format!("r.person_id = {}", sql.param(p)),
        };
        sql.conds.push(c);
    }
    for (bound, op) in [(s.from, ">="), (s.until, "<")] {
        let Some((day, instant)) = bound else {
            continue;
        };
        let day = day.format("%Y-%m-%d").to_string();
        let c = match kind {
            HitKind::Account | HitKind::Person => return None,
            HitKind::Interaction => format!("r.at {op} {}", sql.param(instant)),
            // A timed follow-up by its instant (its local day is the zone's, not the day it
            // was entered on), a date-only one by its day.
            HitKind::FollowUp => format!(
                "CASE WHEN r.due_at IS NULL THEN r.due_date {op} {} ELSE r.due_at {op} {} END",
                sql.param(day),
                sql.param(instant)
            ),
            HitKind::Deal => format!("r.close {op} {}", sql.param(day)),
            HitKind::Plan => format!("r.target {op} {}", sql.param(day)),
        };
        sql.conds.push(c);
    }
    if kind == HitKind::Interaction && !s.interaction_kinds.is_empty() {
        // Vocabulary spellings: fixed words, never user text.
        let list = s
            .interaction_kinds
            .iter()
            .map(|k| format!("'{}'", k.as_str()))
            .collect::<Vec<_>>()
            .join(",");
        sql.conds.push(format!("r.kind IN ({list})"));
    }
    Some(())
}

/// The ids of the records of `table` that the account or person filter names (its rows are
/// walked instead of the matches when there are few).
fn scope(table: &FtsTable, s: &Search, sql: &mut Sql) -> Option<String> {
    let (column, value) = match (table.kind, s.account, s.person) {
        (HitKind::Account, Some(a), _) => return Some(format!("SELECT {} AS id", sql.param(a))),
        (HitKind::Person, _, Some(p)) => return Some(format!("SELECT {} AS id", sql.param(p))),
        (HitKind::Interaction, _, Some(p)) => {
            return Some(format!(
                "SELECT interaction_id AS id FROM interaction_people WHERE person_id = {}",
                sql.param(p)
            ));
        }
        (HitKind::FollowUp | HitKind::Plan, _, Some(p)) => ("person_id", p),
        (_, Some(a), _) => ("account_id", a),
        _ => return None,
    };
    Some(format!(
        "SELECT id FROM {} WHERE {column} = {}",
        table.name,
        sql.param(value)
    ))
}

impl Reader<'_> {
    /// The best `search.limit` records matching every term, best first.
    pub fn search(&self, search: &Search) -> Result<Vec<SearchHit>, StoreError> {
        let mut found: Vec<(usize, Id, f64, String)> = Vec::new();
        for (t, table) in TABLES.iter().enumerate() {
            if !search.kinds.is_empty() && !search.kinds.contains(&table.kind) {
                continue;
            }
            // Prefixes spelled out as the indexed words they stand for, when there are few.
            let mut parts = Vec::new();
            let mut terms = Vec::new();
            let mut nothing = false;
            for term in &search.terms {
                match self.prefix_words(table.name, term)? {
                    Some(words) if words.is_empty() => nothing = true,
                    Some(words) => parts.push(format!(
                        "({})",
                        words
                            .iter()
                            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
                            .collect::<Vec<_>>()
                            .join(" OR ")
                    )),
                    None => terms.push(term.clone()),
                }
            }
            if nothing {
                continue;
            }
            if !terms.is_empty() {
                let mut expand_error = None;
                let expr = fts_expression(&terms, |expansion| {
                    self.words_for(table.name, expansion).unwrap_or_else(|e| {
                        expand_error = Some(e);
                        Vec::new()
                    })
                });
                if let Some(e) = expand_error {
                    return Err(e);
                }
                let Some(expr) = expr else { continue };
                parts.push(expr);
            }
            if parts.is_empty() {
                continue;
            }
            let expr = parts.join(" AND ");
            for (id, score) in self.candidates(table, search, &expr)? {
                found.push((t, id, score, expr.clone()));
            }
        }
        // Best score first; among equals, the newer record.
        found.sort_by(|a, b| a.2.total_cmp(&b.2).then(b.1.cmp(&a.1)));
        found.truncate(search.limit);
        let mut snippets = std::collections::HashMap::new();
        for (t, table) in TABLES.iter().enumerate() {
            let ids: Vec<Id> = found.iter().filter(|f| f.0 == t).map(|f| f.1).collect();
            if let Some(expr) = found.iter().find(|f| f.0 == t).map(|f| f.3.as_str()) {
                for (id, snippet) in self.snippets(table, &ids, expr)? {
                    snippets.insert((t, id), snippet);
                }
            }
        }
        found
            .into_iter()
            .map(|(t, id, score, _)| {
                let snippet = snippets.remove(&(t, id)).unwrap_or_default();
                self.hit(&TABLES[t], id, score, snippet)
            })
            .collect()
    }

    /// The indexed words of `table` that a plain prefix term (`contract*`, or the word being
    /// typed: one token of ASCII letters and digits, which the index holds lower-cased) stands
    /// for, when there are at most [`PREFIX_WORDS`]; `None` for any other term, or when there
    /// are more (the prefix query is then run as it is). A prefix query merges the doclists of
    /// every word it matches before the first row comes out, and bm25 merges them again to
    /// count the documents: a handful of whole words costs a third of that at L.
    fn prefix_words(&self, table: &str, term: &Term) -> Result<Option<Vec<String>>, StoreError> {
        let [one] = term.tokens.as_slice() else {
            return Ok(None);
        };
        if !term.prefix || one.is_empty() || !one.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Ok(None);
        }
        let key = one.to_ascii_lowercase();
        // The indexed words that fold apart to a word starting with the key (`weiss*`: weiß…,
        // `contract*`: contracþ…), as words_for would widen the prefix to.
        let mut words = match term.expansion() {
            None => Vec::new(),
            Some(Expansion::Apart {
                starts,
                key: folded,
                prefix: true,
            }) if folded == key => self.words_apart(table, &starts, &key, true)?,
            Some(_) => return Ok(None),
        };
        self.conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab
               USING fts5vocab(main, {table}_fts, row);"
        ))?;
        let sql =
            format!("SELECT term FROM temp.{table}_vocab WHERE term >= ?1 AND term < ?2 LIMIT ?3");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let end = format!("{key}\u{10ffff}");
        let rows = stmt.query_map(rusqlite::params![key, end, PREFIX_WORDS + 1], |r| {
            r.get::<_, String>(0)
        })?;
        for word in rows {
            let word = word?;
            if !words.contains(&word) {
                words.push(word);
            }
        }
        Ok((words.len() <= PREFIX_WORDS as usize).then_some(words))
    }

    /// The snippets of records `ids` of `table`. One walk of the matches between the lowest and
    /// the highest id, which are the newest matches (the candidates): FTS5 probing one rowid
    /// at a time costs about a millisecond each on a common word, the walk a fraction of that.
    fn snippets(
        &self,
        table: &FtsTable,
        ids: &[Id],
        expr: &str,
    ) -> Result<Vec<(Id, Vec<Fragment>)>, StoreError> {
        let (Some(low), Some(high)) = (ids.iter().min(), ids.iter().max()) else {
            return Ok(Vec::new());
        };
        let t = table.name;
        if high - low > WALK_SPAN {
            // Scattered: one probe each.
            let sql = format!(
                "SELECT rowid,
                        snippet({t}_fts, -1, char(57344), char(57345), '…', 12),
                        snippet({t}_fts, -1, '', '', '…', 12)
                 FROM {t}_fts WHERE {t}_fts MATCH ?1 AND rowid = ?2"
            );
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut out = Vec::new();
            for id in ids {
                let row = stmt
                    .query_row(rusqlite::params![expr, id], |r| {
                        Ok((r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                    })
                    .optional()?;
                if let Some((marked, plain)) = row {
                    out.push((*id, fragments(&marked, &plain)));
                }
            }
            return Ok(out);
        }
        let list = id_list(ids.iter().copied());
        let sql = format!(
            "SELECT rowid,
                    snippet({t}_fts, -1, char(57344), char(57345), '…', 12),
                    snippet({t}_fts, -1, '', '', '…', 12)
             FROM {t}_fts WHERE {t}_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3
               AND CASE WHEN rowid IN ({list}) THEN 1 ELSE 0 END"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params![expr, low, high], |r| {
            let marked: String = r.get(1)?;
            let plain: String = r.get(2)?;
            Ok((r.get(0)?, fragments(&marked, &plain)))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The ranked candidates of one table: (id, weighted bm25).
    fn candidates(
        &self,
        table: &FtsTable,
        search: &Search,
        expr: &str,
    ) -> Result<Vec<(Id, f64)>, StoreError> {
        let (t, w) = (table.name, table.weights);
        let mut sql = Sql::default();
        let m = sql.param(expr.to_string());
        if conditions(table, search, &mut sql).is_none() {
            return Ok(Vec::new());
        }
        let mut scoped = Sql {
            conds: Vec::new(),
            params: sql.params.clone(),
        };
        let walk = scope(table, search, &mut scoped);
        let mut score_later = false;
        let text = match walk {
            Some(ids) if self.at_most(&ids, &scoped.params)? => {
                // Few rows: walk them and probe the index for each. Unscored: bm25 in a probe
                // counts the phrase's documents again at every probe (a whole doclist each).
                let mut conds = sql.conds.clone();
                conds.push(format!("{t}_fts MATCH {m}"));
                sql.params.clone_from(&scoped.params);
                score_later = true;
                // The conditions' parameters keep their numbers: `scoped` extends `sql`.
                format!(
                    "SELECT f.rowid, 0.0 FROM ({ids}) s CROSS JOIN {t}_fts f
                       ON f.rowid = s.id JOIN {t} r ON r.id = s.id WHERE {}",
                    conds.join(" AND ")
                )
            }
            _ if sql.conds.is_empty() => {
                let n = sql.param(CANDIDATES);
                format!(
                    "SELECT rowid, bm25({t}_fts, {w}) FROM {t}_fts WHERE {t}_fts MATCH {m}
                     ORDER BY rowid DESC LIMIT {n}"
                )
            }
            _ => {
                // The filters pick from the newest matches; only those kept are scored (below).
                let scan = sql.param(SCAN);
                let n = sql.param(CANDIDATES);
                score_later = true;
                format!(
                    "SELECT c.rowid, 0.0 FROM (
                       SELECT rowid FROM {t}_fts
                       WHERE {t}_fts MATCH {m} ORDER BY rowid DESC LIMIT {scan}) c
                     JOIN {t} r ON r.id = c.rowid WHERE {} LIMIT {n}",
                    sql.conds.join(" AND ")
                )
            }
        };
        let mut stmt = self.conn.prepare_cached(&text)?;
        let rows = stmt.query_map(params_from_iter(sql.params.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        let found: Vec<(Id, f64)> = rows.collect::<Result<_, _>>()?;
        if score_later {
            return self.scores(table, &found, expr);
        }
        Ok(found)
    }

    /// bm25 of the matches `found` of `table`, in one walk of their rowid range (as
    /// [`Self::snippets`]): the rows between are stepped over unscored.
    fn scores(
        &self,
        table: &FtsTable,
        found: &[(Id, f64)],
        expr: &str,
    ) -> Result<Vec<(Id, f64)>, StoreError> {
        let (Some(low), Some(high)) = (
            found.iter().map(|f| f.0).min(),
            found.iter().map(|f| f.0).max(),
        ) else {
            return Ok(Vec::new());
        };
        if high - low > WALK_SPAN {
            // Scattered (one small account's notes over years): unscored, 0 ranks them after
            // the scored matches (bm25 is negative), newest first.
            return Ok(found.to_vec());
        }
        let (t, w) = (table.name, table.weights);
        let list = id_list(found.iter().map(|f| f.0));
        let sql = format!(
            "SELECT rowid, bm25({t}_fts, {w}) FROM {t}_fts
             WHERE {t}_fts MATCH ?1 AND rowid BETWEEN ?2 AND ?3
               AND CASE WHEN rowid IN ({list}) THEN 1 ELSE 0 END"
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params![expr, low, high], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether the ids `sql` selects are at most [`SCOPE_SMALL`].
    fn at_most(&self, ids: &str, params: &[Value]) -> Result<bool, StoreError> {
        let text = format!("SELECT count(*) FROM ({ids} LIMIT {})", SCOPE_SMALL + 1);
        let n: u32 = self
            .conn
            .prepare_cached(&text)?
            .query_row(params_from_iter(params.iter()), |r| r.get(0))?;
        Ok(n <= SCOPE_SMALL)
    }

    /// Indexed words of `table` that an [`Expansion`] means. Words sort by code point, so
    /// only the words starting with a letter that can fold to the term's first are read (CJK
    /// words from [`CJK_FIRST`]).
    fn words_for(&self, table: &str, expansion: &Expansion<'_>) -> Result<Vec<String>, StoreError> {
        self.conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab
               USING fts5vocab(main, {table}_fts, row);"
        ))?;
        match expansion {
            Expansion::Inside(piece) => {
                let sql = format!(
                    "SELECT term FROM temp.{table}_vocab WHERE term >= ?1 AND instr(term, ?2) > 0
                     ORDER BY doc DESC LIMIT ?3"
                );
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let rows =
                    stmt.query_map(rusqlite::params![CJK_FIRST, piece, CJK_WORDS], |r| r.get(0))?;
                Ok(rows.collect::<Result<_, _>>()?)
            }
            Expansion::Apart {
                starts,
                key,
                prefix,
            } => self.words_apart(table, starts, key, *prefix),
            Expansion::Folded {
                ranges,
                key,
                prefix,
            } => {
                let sql = format!(
                    "SELECT term FROM temp.{table}_vocab WHERE term >= ?1 AND term < ?2 LIMIT ?3"
                );
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let mut out = Vec::new();
                let mut budget = SCRIPT_WORDS;
                for (lo, hi) in ranges {
                    let rows = stmt.query_map(
                        rusqlite::params![lo.to_string(), hi.to_string(), budget],
                        |r| r.get::<_, String>(0),
                    )?;
                    for term in rows {
                        let term = term?;
                        budget = budget.saturating_sub(1);
                        let folded = crate::text::fold(&term);
                        if folded == *key || (*prefix && folded.starts_with(key.as_str())) {
                            out.push(term);
                            if out.len() >= CJK_WORDS as usize {
                                return Ok(out);
                            }
                        }
                    }
                }
                Ok(out)
            }
        }
    }

    /// Indexed words of `table` starting with one of `starts` (see
    /// [`crate::domain::query::starts_folded_apart`]) whose fold is `key` or, with `prefix`,
    /// starts with it: "weißach" for "weissach", "łukasz" for "lukasz". Each start is one short
    /// range of the vocabulary (often empty).
    pub(super) fn words_apart(
        &self,
        table: &str,
        starts: &[String],
        key: &str,
        prefix: bool,
    ) -> Result<Vec<String>, StoreError> {
        if starts.is_empty() {
            return Ok(Vec::new());
        }
        self.conn.execute_batch(&format!(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab
               USING fts5vocab(main, {table}_fts, row);"
        ))?;
        let sql =
            format!("SELECT term FROM temp.{table}_vocab WHERE term >= ?1 AND term < ?2 LIMIT ?3");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut out: Vec<String> = Vec::new();
        let mut budget = SCRIPT_WORDS;
        for start in starts {
            let end = format!("{start}\u{10ffff}");
            let rows = stmt.query_map(rusqlite::params![start, end, budget], |r| {
                r.get::<_, String>(0)
            })?;
            for term in rows {
                let term = term?;
                budget = budget.saturating_sub(1);
                let folded = crate::text::fold(&term);
                if (folded == key || (prefix && folded.starts_with(key))) && !out.contains(&term) {
                    out.push(term);
                    if out.len() >= CJK_WORDS as usize {
                        return Ok(out);
                    }
                }
            }
        }
        Ok(out)
    }

    /// The record behind a hit.
    fn hit(
        &self,
        table: &FtsTable,
        id: Id,
        score: f64,
        snippet: Vec<Fragment>,
    ) -> Result<SearchHit, StoreError> {
        let mut hit = SearchHit {
            kind: table.kind,
            id,
            interaction_kind: None,
            title: None,
            account: None,
            person: None,
            date: None,
            snippet,
            score,
        };
        self.describe(&mut hit)?;
        Ok(hit)
    }

    /// Fills a hit's title, account, person and date.
    #[allow(clippy::too_many_lines)] // one read per kind of record, side by side
    fn describe(&self, hit: &mut SearchHit) -> Result<(), StoreError> {
        let named = |id: Option<Id>, name: Option<String>| match (id, name) {
            (Some(id), Some(name)) => Some(Named { id, name }),
            _ => None,
        };
        let id = hit.id;
        match hit.kind {
            HitKind::Account => {
                let name: Option<String> = self
                    .conn
                    .prepare_cached("SELECT name FROM accounts WHERE id = ?1")?
                    .query_row([id], |r| r.get(0))
                    .optional()?;
                hit.account = named(Some(id), name.clone());
                hit.title = name;
            }
            HitKind::Person => {
                let row = self
                    .conn
                    .prepare_cached(
                        "SELECT coalesce(p.salutation || ' ', '') || p.name, p.account_id, a.name FROM people p
                         LEFT JOIN accounts a ON a.id = p.account_id WHERE p.id = ?1",
                    )?
                    .query_row([id], |r| Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?)))
                    .optional()?;
                if let Some((name, a, an)) = row {
                    hit.person = named(Some(id), Some(name.clone()));
                    hit.title = Some(name);
                    hit.account = named(a, an);
                }
            }
            HitKind::Interaction => {
                let row = self
                    .conn
                    .prepare_cached(
                        "SELECT i.kind, i.title, i.at, i.at_offset, i.account_id, a.name,
                                p.id, coalesce(p.salutation || ' ', '') || p.name
                         FROM interactions i LEFT JOIN accounts a ON a.id = i.account_id
                         LEFT JOIN people p ON p.id = (SELECT ip.person_id FROM interaction_people ip
                              WHERE ip.interaction_id = i.id ORDER BY ip.position LIMIT 1)
                         WHERE i.id = ?1",
                    )?
                    .query_row([id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get(1)?,
                            r.get::<_, i64>(2)?,
                            r.get::<_, i32>(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                            r.get(7)?,
                        ))
                    })
                    .optional()?;
                if let Some((kind, title, at, offset, a, an, p, pn)) = row {
                    hit.interaction_kind = InteractionKind::parse(&kind).ok();
                    hit.title = title;
                    hit.date = Some(ts_from_parts(at, offset)?.date_naive());
                    hit.account = named(a, an);
                    hit.person = named(p, pn);
                }
            }
            HitKind::FollowUp | HitKind::Deal | HitKind::Plan => {
                let sql = match hit.kind {
                    HitKind::FollowUp => {
                        "SELECT r.text, r.due_date, r.account_id, a.name, r.person_id, p.name
                         FROM followups r LEFT JOIN accounts a ON a.id = r.account_id
                         LEFT JOIN people p ON p.id = r.person_id WHERE r.id = ?1"
                    }
                    HitKind::Deal => {
                        "SELECT r.title, r.close, r.account_id, a.name, NULL, NULL
                         FROM deals r LEFT JOIN accounts a ON a.id = r.account_id WHERE r.id = ?1"
                    }
                    _ => {
                        "SELECT r.objective, r.target, r.account_id, a.name, r.person_id, p.name
                         FROM plans r LEFT JOIN accounts a ON a.id = r.account_id
                         LEFT JOIN people p ON p.id = r.person_id WHERE r.id = ?1"
                    }
                };
                let row = self
                    .conn
                    .prepare_cached(sql)?
                    .query_row([id], |r| {
                        Ok((
                            r.get::<_, String>(0)?,
                            r.get::<_, Option<String>>(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                        ))
                    })
                    .optional()?;
                if let Some((title, date, a, an, p, pn)) = row {
                    hit.title = Some(title);
                    // A plan's target is free text in old files: a non-date is no date.
                    hit.date = parse_opt_date(date).ok().flatten();
                    hit.account = named(a, an);
                    hit.person = named(p, pn);
                }
            }
        }
        Ok(())
    }
}

/// What `kam check --repair` did to one full-text index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// The table the index covers (`accounts`, `people`...).
    pub table: &'static str,
    /// Why FTS5's own check failed before the rebuild; `None` when the index was sound.
    pub damage: Option<String>,
    /// The rows indexed again.
    pub rows: i64,
}

impl super::Writer<'_> {
    /// Checks each full-text index against its table, then builds it again from the table
    /// (FTS5 `rebuild`: the index is derived data, the records are not touched).
    pub fn rebuild_search_indexes(&self) -> Result<Vec<Rebuilt>, StoreError> {
        let mut out = Vec::with_capacity(super::schema::SEARCHED.len());
        for &(table, _) in super::schema::SEARCHED {
            let damage = self
                .conn
                .execute(
                    &format!(
                        "INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)"
                    ),
                    [],
                )
                .err()
                .map(|e| e.to_string());
            self.conn.execute(
                &format!("INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')"),
                [],
            )?;
            let rows = self
                .conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
            out.push(Rebuilt {
                table,
                damage,
                rows,
            });
        }
        Ok(out)
    }
}

/// Ids as an SQL list: integers from the index, safe to write into a statement.
fn id_list(ids: impl Iterator<Item = Id>) -> String {
    ids.map(|id| id.to_string()).collect::<Vec<_>>().join(",")
}

/// The snippet `marked` (FTS5's text with [`START`]/[`END`] around each match) as fragments,
/// read against `plain` (the same snippet without markers): a character that `plain` has at
/// that point is data — even a marker character — and only the extra characters are markers.
pub(crate) fn fragments(marked: &str, plain: &str) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut data = plain.chars().peekable();
    let mut hit = false;
    // A snippet is one line: line breaks and tabs of the data become spaces.
    let mut push = |c: char, hit: bool| {
        let c = if matches!(c, '\n' | '\r' | '\t') {
            ' '
        } else {
            c
        };
        match out.last_mut() {
            Some(f) if f.hit == hit => f.text.push(c),
            _ => out.push(Fragment {
                text: c.to_string(),
                hit,
            }),
        }
    };
    for c in marked.chars() {
        if data.peek() == Some(&c) {
            data.next();
            push(c, hit);
        } else if c == START {
            hit = true;
        } else if c == END {
            hit = false;
        } else {
            // Not a marker and not the data: cannot happen; show it as text, never a marker.
            push(c, hit);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::testing::{
        account, add_account, add_person, followup, interaction, now, person, store,
    };
    use super::*;
    use crate::domain::query::parse;
    use crate::domain::{InteractionStatus, Person};

    /// A small notebook: two accounts, people in several scripts, notes and a follow-up.
    fn notebook() -> (Store, Id, Id) {
        let mut s = store();
        let clinic = add_account(&mut s, &account("a-1", "Hospital Clínic"));
        let other = add_account(&mut s, &account("a-2", "Farmacia Ruiz"));
        let nunez = add_person(
            &mut s,
            &Person {
                personal: Some("Daughter studies oboe at the Liceu".into()),
                ..person("p-1", "Dr. Nuño Núñez", Some(clinic))
            },
        );
        add_person(&mut s, &person("p-2", "Иван Петров", Some(other)));
        add_person(&mut s, &person("p-3", "Ελένη Παπαδοπούλου", Some(other)));
        s.write(now(), |w| {
            let notes = [
                (
                    "i-1",
                    "2026-03-01T10:00:00Z",
                    Some(clinic),
                    "Signed the contract with Núñez",
                ),
                (
                    "i-2",
                    "2026-06-01T10:00:00Z",
                    Some(clinic),
                    "Contract renewal: the price list",
                ),
                (
                    "i-3",
                    "2026-06-02T10:00:00Z",
                    Some(other),
                    "田中さんから問い合わせ about the contract",
                ),
                (
                    "i-4",
                    "2026-06-03T10:00:00Z",
                    Some(other),
                    "Встреча: Иван wants the price list",
                ),
            ];
            for (uid, when, acc, body) in notes {
                w.upsert_interaction(
                    &crate::domain::Interaction {
                        account: acc,
                        body: Some(body.into()),
                        kind: crate::domain::InteractionKind::Note,
                        people: if acc == Some(clinic) {
                            vec![nunez]
                        } else {
                            vec![]
                        },
                        ..interaction(uid, when, InteractionStatus::Done)
                    },
                    None,
                    None,
                )?;
            }
            let mut f = followup("f-1", "Send the contract to Dr. Núñez", "2026-07-01");
            f.person = Some(nunez);
            w.upsert_followup(&f, None, None)
        })
        .unwrap();
        (s, clinic, nunez)
    }

    fn find(s: &Store, input: &str, with: impl FnOnce(&mut Search)) -> Vec<String> {
        let mut search = Search {
            terms: parse(input, false).unwrap().terms,
            limit: 20,
            ..Search::default()
        };
        with(&mut search);
        let mut out: Vec<String> = s
            .reader()
            .search(&search)
            .unwrap()
            .into_iter()
            .map(|h| h.kind.reference(h.id))
            .collect();
        out.sort();
        out
    }

    /// 11.7: a date filter takes a timed follow-up by its instant. A call due at 00:30 on
    /// 5 March in Madrid is 18:30 on 4 March in New York: searched from New York for 4 March
    /// (from the 4th, before the 5th) it is found; from Madrid it is not.
    #[test]
    fn a_date_filter_takes_a_timed_followup_by_its_instant() {
        use crate::domain::{Due, FollowUp};
        let mut s = store();
        s.write(now(), |w| {
            let f = FollowUp {
                due: Due::At(
                    chrono::DateTime::parse_from_rfc3339("2026-03-05T00:30:00+01:00").unwrap(),
                ),
                ..followup("f-1", "Call about the tender", "2026-03-05")
            };
            w.upsert_followup(&f, None, None)
        })
        .unwrap();
        let on_the_4th = |tz: &dyn Fn(NaiveDate) -> i64, q: &mut Search| {
            let from = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
            let until = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
            q.from = Some((from, tz(from)));
            q.until = Some((until, tz(until)));
        };
        let new_york = |d: NaiveDate| crate::when::start_of_day(&chrono_tz::America::New_York, d);
        let madrid = |d: NaiveDate| crate::when::start_of_day(&chrono_tz::Europe::Madrid, d);
        assert_eq!(find(&s, "tender", |q| on_the_4th(&new_york, q)), ["#f1"]);
        assert!(find(&s, "tender", |q| on_the_4th(&madrid, q)).is_empty());
    }

    #[test]
    fn accents_case_scripts_and_substrings_of_cjk() {
        let (s, ..) = notebook();
        assert_eq!(find(&s, "nunez", |_| {}), ["#f1", "#i1", "#p1"]);
        assert_eq!(find(&s, "NÚÑEZ", |_| {}), ["#f1", "#i1", "#p1"]);
        assert_eq!(find(&s, "иван", |_| {}), ["#i4", "#p2"]);
        assert_eq!(find(&s, "ελενη", |_| {}), ["#p3"]);
        assert_eq!(find(&s, "Ελένη", |_| {}), ["#p3"]);
        // 田中 is inside the one token "田中さんから" that unicode61 made.
        assert_eq!(find(&s, "田中", |_| {}), ["#i3"]);
        assert_eq!(find(&s, "問い合わせ", |_| {}), ["#i3"]);
        assert!(find(&s, "東京", |_| {}).is_empty());
        assert_eq!(find(&s, "liceu", |_| {}), ["#p1"]);
    }

    #[test]
    fn letters_folded_apart_are_found_under_their_base_letters_everywhere() {
        use crate::store::{AccountSort, ListQuery, TargetKind};
        let (mut s, _, _) = notebook();
        let weissach = add_account(&mut s, &account("a-w", "Autohaus Weißach"));
        let strasse = add_account(&mut s, &account("a-s", "Bahnhofstrasse Apotheke"));
        let lukasz = add_person(&mut s, &person("p-l", "Łukasz Głowacki", None));
        let yilmaz = add_person(&mut s, &person("p-y", "Ayşe Yılmaz", None));
        let soren = add_person(&mut s, &person("p-s", "Søren Ærø", None));
        // Full-text search, whole words and while typing.
        assert_eq!(find(&s, "weissach", |_| {}), [format!("#a{weissach}")]);
        assert_eq!(find(&s, "WEISSACH", |_| {}), [format!("#a{weissach}")]);
        assert_eq!(find(&s, "lukasz glowacki", |_| {}), [format!("#p{lukasz}")]);
        assert_eq!(find(&s, "yilmaz", |_| {}), [format!("#p{yilmaz}")]);
        assert_eq!(find(&s, "soren aero", |_| {}), [format!("#p{soren}")]);
        // The other way round: the special letter typed finds the plain spelling.
        assert_eq!(find(&s, "Bahnhofstraße", |_| {}), [format!("#a{strasse}")]);
        assert_eq!(find(&s, "Weißach", |_| {}), [format!("#a{weissach}")]);
        let typing = |input: &str| {
            let search = Search {
                terms: parse(input, true).unwrap().terms,
                limit: 20,
                ..Search::default()
            };
            s.reader()
                .search(&search)
                .unwrap()
                .into_iter()
                .map(|h| h.kind.reference(h.id))
                .collect::<Vec<_>>()
        };
        assert_eq!(typing("weis"), [format!("#a{weissach}")]);
        assert_eq!(typing("luk"), [format!("#p{lukasz}")]);
        // Targets: the exact name by its key, and a prefix of a word.
        let named = |q: &str, kind: TargetKind| -> Vec<(i64, bool)> {
            s.reader()
                .match_names(&[kind], q, 10)
                .unwrap()
                .into_iter()
                .map(|c| (c.id, c.exact))
                .collect()
        };
        assert_eq!(
            named("autohaus weissach", TargetKind::Account),
            [(weissach, true)]
        );
        assert_eq!(named("weiss", TargetKind::Account), [(weissach, false)]);
        assert_eq!(named("lukasz", TargetKind::Person), [(lukasz, false)]);
        assert_eq!(named("ayse yilmaz", TargetKind::Person), [(yilmaz, true)]);
        // List filters.
        let listed = |filter: &str| -> Vec<i64> {
            s.reader()
                .account_rows(
                    &ListQuery {
                        filter: filter.into(),
                        sort: AccountSort::Name,
                        descending: false,
                        limit: 50,
                        offset: 0,
                        from_end: None,
                    },
                    &chrono::Utc,
                )
                .unwrap()
                .into_iter()
                .map(|r| r.id)
                .collect()
        };
        assert_eq!(listed("weissach"), [weissach]);
        assert_eq!(listed("bahnhofstraße"), [strasse]);
        // Other scripts are untouched: accents folded, letters kept.
        assert_eq!(find(&s, "иван", |_| {}).len(), 2);
    }

    #[test]
    fn folded_words_are_found_in_a_big_cyrillic_vocabulary() {
        let (mut s, clinic, _) = notebook();
        // 30,000 distinct Cyrillic words starting а–п, sorting before every с- and ф-word.
        let letters: Vec<char> = ('а'..='я').collect();
        let word = |i: usize| {
            let mut w = String::from(letters[i % 16]);
            let mut n = i / 16 + 1;
            while n > 0 {
                w.push(letters[n % 32]);
                n /= 32;
            }
            w
        };
        s.write(now(), |w| {
            for note in 0..300 {
                let body: Vec<String> = (0..100).map(|k| word(note * 100 + k)).collect();
                w.upsert_interaction(
                    &crate::domain::Interaction {
                        account: Some(clinic),
                        body: Some(body.join(" ")),
                        kind: crate::domain::InteractionKind::Note,
                        ..interaction(
                            &format!("v-{note}"),
                            "2026-05-01T10:00:00Z",
                            InteractionStatus::Done,
                        )
                    },
                    None,
                    None,
                )?;
            }
            w.upsert_interaction(
                &crate::domain::Interaction {
                    account: Some(clinic),
                    body: Some("Звонил Фёдор Семёнович".into()),
                    kind: crate::domain::InteractionKind::Note,
                    ..interaction("fedor", "2026-05-02T10:00:00Z", InteractionStatus::Done)
                },
                None,
                None,
            )
        })
        .unwrap();
        let fedor = s
            .reader()
            .search(&Search {
                terms: parse("Фёдор", false).unwrap().terms,
                limit: 5,
                ..Search::default()
            })
            .unwrap();
        assert_eq!(fedor.len(), 1);
        let id = fedor[0].kind.reference(fedor[0].id);
        for typed in [
            "Фёдор",
            "Федор",
            "федор",
            "Семенович",
            "семен*",
            "ФЕДОР СЕМЁН*",
        ] {
            assert_eq!(
                find(&s, typed, |_| {}),
                std::slice::from_ref(&id),
                "{typed}"
            );
        }
    }

    #[test]
    fn phrases_prefixes_and_every_word() {
        let (s, ..) = notebook();
        assert_eq!(find(&s, "\"price list\"", |_| {}), ["#i2", "#i4"]);
        assert!(find(&s, "\"list price\"", |_| {}).is_empty());
        assert_eq!(find(&s, "contract price", |_| {}), ["#i2"]);
        assert_eq!(find(&s, "contr*", |_| {}), ["#f1", "#i1", "#i2", "#i3"]);
        assert!(find(&s, "contr", |_| {}).is_empty());
    }

    #[test]
    fn a_prefix_finds_the_same_notes_spelled_out_or_not() {
        // `zeta1*` stands for 11 indexed words (spelled out as them), `zeta*` for 41 (more
        // than PREFIX_WORDS: run as a prefix query); `zetas*` also finds the word fold spells
        // apart (zetaß), and `ZETA3*` is the same as `zeta3*`.
        let mut s = store();
        let words: Vec<String> = (0..40)
            .map(|n| format!("zeta{n}"))
            .chain(["zetaßx".to_string()])
            .collect();
        s.write(now(), |w| {
            for (n, word) in words.iter().enumerate() {
                w.upsert_interaction(
                    &crate::domain::Interaction {
                        body: Some(format!("Talked about {word} today")),
                        kind: crate::domain::InteractionKind::Note,
                        ..interaction(
                            &format!("i-{n}"),
                            "2026-03-01T10:00:00Z",
                            InteractionStatus::Done,
                        )
                    },
                    None,
                    None,
                )?;
            }
            Ok(())
        })
        .unwrap();
        let expect = |start: &str| {
            let mut out: Vec<String> = words
                .iter()
                .enumerate()
                .filter(|(_, w)| crate::text::fold(w).starts_with(start))
                .map(|(n, _)| format!("#i{}", n + 1))
                .collect();
            out.sort();
            out
        };
        let all = |input: &str| {
            let mut search = Search {
                terms: parse(input, false).unwrap().terms,
                limit: 100,
                ..Search::default()
            };
            search.kinds = vec![HitKind::Interaction];
            let mut out: Vec<String> = s
                .reader()
                .search(&search)
                .unwrap()
                .into_iter()
                .map(|h| h.kind.reference(h.id))
                .collect();
            out.sort();
            out
        };
        assert_eq!(expect("zeta1").len(), 11);
        assert_eq!(all("zeta1*"), expect("zeta1"));
        assert_eq!(all("ZETA3*"), expect("zeta3"));
        assert_eq!(all("zeta*").len(), 41);
        assert_eq!(all("zetas*"), expect("zetas"));
        assert_eq!(all("zetas*").len(), 1);
        assert!(all("zetb*").is_empty());
    }

    #[test]
    fn filters_by_account_person_kind_and_date() {
        let (s, clinic, nunez) = notebook();
        assert_eq!(
            find(&s, "contract", |q| q.account = Some(clinic)),
            ["#i1", "#i2"]
        );
        assert_eq!(
            find(&s, "contract", |q| q.person = Some(nunez)),
            ["#f1", "#i1", "#i2"]
        );
        assert_eq!(
            find(&s, "contract", |q| q.kinds = vec![HitKind::FollowUp]),
            ["#f1"]
        );
        let day = |d: &str| {
            let d = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
            let at = d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
            Some((d, at))
        };
        assert_eq!(
            find(&s, "contract", |q| q.from = day("2026-06-02")),
            ["#f1", "#i3"]
        );
        assert_eq!(
            find(&s, "contract", |q| q.until = day("2026-06-02")),
            ["#i1", "#i2"]
        );
        // Accounts and people have no date: a dated search leaves them out.
        assert!(
            find(&s, "nunez", |q| q.until = day("2030-01-01"))
                .iter()
                .all(|r| !r.starts_with("#p"))
        );
        assert_eq!(
            find(&s, "contract", |q| q.interaction_kinds =
                vec![InteractionKind::Call]),
            ["#f1"]
        );
    }

    #[test]
    fn hits_say_what_they_are_with_a_highlighted_snippet() {
        let (s, clinic, nunez) = notebook();
        let search = Search {
            terms: parse("nunez", false).unwrap().terms,
            kinds: vec![HitKind::Interaction],
            limit: 5,
            ..Search::default()
        };
        let hits = s.reader().search(&search).unwrap();
        assert_eq!(hits.len(), 1);
        let hit = &hits[0];
        assert_eq!(hit.account.as_ref().map(|a| a.id), Some(clinic));
        assert_eq!(hit.person.as_ref().map(|p| p.id), Some(nunez));
        assert_eq!(hit.date, NaiveDate::from_ymd_opt(2026, 3, 1));
        assert_eq!(hit.interaction_kind, Some(InteractionKind::Note));
        assert_eq!(
            hit.snippet
                .iter()
                .filter(|f| f.hit)
                .map(|f| f.text.as_str())
                .collect::<Vec<_>>(),
            ["Núñez"]
        );
    }

    #[test]
    fn a_small_scope_and_a_big_one_find_the_same() {
        let (mut s, clinic, _) = notebook();
        let small = find(&s, "contract", |q| q.account = Some(clinic));
        s.write(now(), |w| {
            for n in 0..=SCOPE_SMALL {
                w.upsert_interaction(
                    &crate::domain::Interaction {
                        account: Some(clinic),
                        body: Some(format!("filler {n}")),
                        ..interaction(
                            &format!("x-{n}"),
                            "2026-01-01T10:00:00Z",
                            InteractionStatus::Done,
                        )
                    },
                    None,
                    None,
                )?;
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(find(&s, "contract", |q| q.account = Some(clinic)), small);
    }

    fn shown(f: &[Fragment]) -> String {
        f.iter()
            .map(|f| {
                if f.hit {
                    format!("[{}]", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn markers_in_the_data_are_text_never_highlights() {
        let s = START.to_string();
        let e = END.to_string();
        assert_eq!(
            shown(&fragments(
                &format!("met {s}Núñez{e} today"),
                "met Núñez today"
            )),
            "met [Núñez] today"
        );
        // The data holds a fake marker pair around "fake": it stays plain text.
        let plain = format!("{s}fake{e} and Núñez");
        let marked = format!("{s}fake{e} and {s}Núñez{e}");
        let f = fragments(&marked, &plain);
        assert_eq!(f.iter().filter(|f| f.hit).count(), 1);
        assert!(f.iter().any(|f| f.hit && f.text == "Núñez"));
        assert!(f.iter().any(|f| !f.hit && f.text.contains(&s)));
        assert_eq!(f.iter().map(|f| f.text.as_str()).collect::<String>(), plain);
    }
}
