//! The windows of the accounts and people screens: a filter as the user types, a sort key, a
//! direction, and `LIMIT/OFFSET`, so a screen never loads a whole table.
//!
//! Filter: empty (or only punctuation) lists everything; otherwise every word must be the prefix
//! of a word of the record's own name, accent- and case-insensitively, through the FTS5 index
//! (the same query as name resolution, [`super::resolve`]). Archived records are not listed.
//!
//! Costs, first window of 200 rows on the M notebook (2k accounts, 10k people, release build,
//! warm): sorting by name walks the `name_key` index (people: the v21 `sort_key`, family name
//! first) and stops after the window (about 1 ms for people, 1.5 ms for accounts, most of it
//! the per-row columns); sorting by last contact walks the `(last_contact, name_key)` indexes
//! (people: `sort_key`) in both directions (1–3 ms), and accounts by tier
//! (A first) the v2 `(tier, name_key)` one. A filter first collects the matching ids from FTS5
//! and sorts those (1–4 ms at M for a two-letter prefix). Sorting by stage (ladder order),
//! account, influence, next follow-up or open deal value sorts the whole filtered set, with one
//! index probe per row for the computed keys: 3–8 ms at M, growing linearly (expect ten times
//! that at L unfiltered). The per-row columns (next follow-up, open deals) are one probe each
//! per row shown. `OFFSET` is walked: deep pages cost more (offset 9,000 by name: 7–10 ms), so a
//! window in the second half of the list is read backwards from its end
//! ([`ListQuery::from_end`]): the end of the list at L (100k people, `G`) costs what its start does.

use std::fmt::Write as _;

use chrono::{NaiveDate, TimeZone};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use crate::domain::query::{ListField, list_filter};
use crate::domain::{AccountStage, Attitude, BuyingRole, Id, PersonStage, Tier, Vocabulary};

use super::codec::{parse_date, vocab};
use super::followups::ZONE_SLACK;
use super::resolve::prefix_query;
use super::{Reader, StoreError};
use crate::when::start_of_day;

/// What the accounts list is sorted by; ties are broken by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountSort {
    #[default]
    Name,
    /// A, B, C, then untiered.
    Tier,
    /// In ladder order (pre-kam ... uncoupling-kam), then none.
    Stage,
    /// Never-contacted first, then the longest silent (descending: the latest first, never
    /// last; ties then go Z–A).
    LastContact,
    /// The earliest open follow-up, seen in the list's zone (a timed one by its instant, a
    /// date-only one after the timed ones of its day); none last.
    NextFollowUp,
    /// Sum of the open deals' values, for accounts whose open deals share one currency
    /// (there are no exchange rates); mixed currencies and no value come last.
    OpenValue,
}

/// What the people list is sorted by; ties are broken by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PersonSort {
    #[default]
    Name,
    /// Their account's name; people without one last.
    Account,
    /// In ladder order (identified ... advocate, cooling, lost), then none.
    Stage,
    /// Never-contacted first, then the longest silent (descending: the latest first, never
    /// last; ties then go Z–A).
    LastContact,
    /// The earliest open follow-up, seen in the list's zone (a timed one by its instant, a
    /// date-only one after the timed ones of its day); none last.
    NextFollowUp,
    /// 1 to 5; unknown last.
    Influence,
}

/// One window of a list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListQuery<S> {
    /// As typed; see the module header.
    pub filter: String,
    pub sort: S,
    /// Reverse the sort key (missing values stay last; ties stay by name A–Z, except for
    /// last contact).
    pub descending: bool,
    pub limit: u32,
    /// Position of the window's first row in the whole list.
    pub offset: u32,
    /// `Some(total)`: the list holds `total` rows and the window is read backwards from its
    /// end (the reverse order skipping `total - offset - limit` rows), which walks only what
    /// lies after the window: the end of a long list (`G`) costs what its start does.
    pub from_end: Option<u32>,
}

impl<S> ListQuery<S> {
    /// `LIMIT`, `OFFSET` and whether the order is reversed, for the window asked.
    fn window(&self) -> (u32, u32, bool) {
        match self.from_end {
            Some(total) => {
                let limit = self.limit.min(total.saturating_sub(self.offset));
                (limit, total.saturating_sub(self.offset + limit), true)
            }
            None => (self.limit, self.offset, false),
        }
    }
}

/// The earliest open follow-up of an account or person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextFollowUp {
    pub id: Id,
    pub due: NaiveDate,
    pub text: String,
}

/// The value at stake in an account's open deals.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenValue {
    /// No open deal with a value.
    None,
    /// Every valued open deal is in this currency (`None`: deals without a currency).
    Single {
        value: f64,
        currency: Option<String>,
    },
    /// Valued open deals in this many currencies: not summed.
    Mixed(u32),
}

/// A line of the accounts list.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub id: Id,
    pub name: String,
    pub tier: Option<Tier>,
    pub stage: Option<AccountStage>,
    pub city: Option<String>,
    pub country: Option<String>,
    /// Unix seconds of the latest done interaction.
    pub last_contact: Option<i64>,
    pub next_followup: Option<NextFollowUp>,
    pub open_value: OpenValue,
    /// Open deals, with or without a value.
    pub open_deals: u32,
}

/// A line of the people list.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonRow {
    pub id: Id,
    /// As addressed: the salutation, then the name ("Dra. Carmen Peña").
    pub name: String,
    pub account: Option<(Id, String)>,
    pub title: Option<String>,
    pub role: Option<BuyingRole>,
    pub influence: Option<u8>,
    pub attitude: Option<Attitude>,
    pub stage: Option<PersonStage>,
    /// Unix seconds of the latest done interaction.
    pub last_contact: Option<i64>,
    pub next_followup: Option<NextFollowUp>,
}

const OPEN_DEAL: &str =
    "(d.stage IS NULL OR d.stage NOT IN ('won','lost')) AND d.archived_at IS NULL";

/// `CASE column WHEN 'first' THEN 0 ... END`: a vocabulary in ladder order.
fn rank<V: Vocabulary>(column: &str) -> String {
    let mut whens = String::new();
    for (v, i) in V::ALL.iter().zip(0..) {
        let _ = write!(whens, " WHEN '{}' THEN {i}", v.as_str());
    }
    format!("CASE {column}{whens} END")
}

fn dir(descending: bool) -> &'static str {
    if descending { "DESC" } else { "ASC" }
}

/// Where missing values go: last, or first when the whole order is reversed.
fn nulls(reversed: bool) -> &'static str {
    if reversed {
        "NULLS FIRST"
    } else {
        "NULLS LAST"
    }
}

impl AccountSort {
    /// The `ORDER BY` of the list; `reversed`: the exact reverse (a window read from the end).
    fn order_by(self, descending: bool, reversed: bool) -> String {
        let d = dir(descending != reversed);
        let n = nulls(reversed);
        let tie = dir(reversed);
        let key = match self {
            AccountSort::Name => return format!("a.name_key {d}, a.id {d}"),
            // "Never" is the oldest contact: first going up, last going down. Ties follow the
            // direction so that both directions walk the (last_contact, name_key) index.
            AccountSort::LastContact => {
                return format!("a.last_contact {d}, a.name_key {d}, a.id {d}");
            }
            AccountSort::Tier => format!("a.tier {d} {n}"),
            AccountSort::Stage => format!("{} {d} {n}", rank::<AccountStage>("a.stage")),
            AccountSort::NextFollowUp => format!(
                "(SELECT min(kam_due_key(f.due_date, f.due_at)) FROM followups f
                  WHERE f.account_id = a.id AND f.status = 'open') {d} {n}"
            ),
            // Amounts in different currencies are never compared (300 million KRW is not
            // more than 3.8 million EUR): accounts are grouped by the currency of their open
            // deals, in code order whatever the direction (no currency after the codes), and
            // sorted by value within each group; those with deals in several currencies
            // come next, then those with no valued open deal.
            AccountSort::OpenValue => format!(
                "(SELECT CASE count(DISTINCT coalesce(d.currency, ''))
                    WHEN 0 THEN '3' WHEN 1 THEN '1' || coalesce(max(d.currency), '~') ELSE '2' END
                  FROM deals d WHERE d.account_id = a.id AND d.value IS NOT NULL
                    AND {OPEN_DEAL}) {tie},
                 (SELECT CASE WHEN count(DISTINCT coalesce(d.currency, '')) = 1
                    THEN sum(d.value) END
                  FROM deals d WHERE d.account_id = a.id AND d.value IS NOT NULL
                    AND {OPEN_DEAL}) {d} {n}"
            ),
        };
        format!("{key}, a.name_key {tie}, a.id {tie}")
    }
}

impl PersonSort {
    /// The `ORDER BY` of the list; `reversed`: the exact reverse (a window read from the end).
    fn order_by(self, descending: bool, reversed: bool) -> String {
        let d = dir(descending != reversed);
        let n = nulls(reversed);
        let tie = dir(reversed);
        let key = match self {
            // By family name (`sort_key`, issue 14.7), walking its index.
            PersonSort::Name => return format!("p.sort_key {d}, p.id {d}"),
            // As for accounts: ties follow the direction, for the index.
            PersonSort::LastContact => {
                return format!("p.last_contact {d}, p.sort_key {d}, p.id {d}");
            }
            PersonSort::Account => format!("a.name_key {d} {n}, a.id {tie}"),
            PersonSort::Stage => format!("{} {d} {n}", rank::<PersonStage>("p.stage")),
            PersonSort::NextFollowUp => format!(
                "(SELECT min(kam_due_key(f.due_date, f.due_at)) FROM followups f
                  WHERE f.person_id = p.id AND f.status = 'open') {d} {n}"
            ),
            PersonSort::Influence => format!("p.influence {d} {n}"),
        };
        format!("{key}, p.sort_key {tie}, p.id {tie}")
    }
}

/// The `WHERE` of a list over `alias` (`a` or `p`) of `table`, and its parameters so far: the
/// name words through the full-text index, and the `field:value` filters
/// ([`crate::domain::query::list_filter`]) on the record's columns — a person's territory, city
/// and account through their account (`people_account`). A field that does not apply to the
/// table, or a value off its vocabulary, matches nothing.
fn filter_clause(
    reader: &Reader<'_>,
    table: &str,
    alias: &str,
    filter: &str,
) -> Result<(String, Vec<Value>), StoreError> {
    let parsed = list_filter(filter);
    let (mut sql, mut params) = match prefix_query(reader, table, &parsed.words)? {
        Some(fts) => (
            format!(
                "{alias}.archived_at IS NULL
                 AND {alias}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?1)"
            ),
            vec![Value::Text(fts)],
        ),
        None => (format!("{alias}.archived_at IS NULL"), Vec::new()),
    };
    let people = table == "people";
    for (field, value) in &parsed.fields {
        let n = params.len() + 1;
        // The account's own column, or, for a person, their account's.
        let of_account = |column: &str| {
            if people {
                format!(
                    "{alias}.account_id IN (SELECT id FROM accounts
                       WHERE {column} = ?{n} COLLATE NOCASE)"
                )
            } else {
                format!("{alias}.{column} = ?{n} COLLATE NOCASE")
            }
        };
        let (clause, value) = match field {
            ListField::Stage => (
                format!("{alias}.stage = ?{n}"),
                Value::Text(value.to_lowercase()),
            ),
            ListField::Role if people => (
                format!("{alias}.role = ?{n}"),
                Value::Text(value.to_lowercase()),
            ),
            ListField::Influence if people => match value.trim().parse::<i64>() {
                Ok(v) => (format!("{alias}.influence >= ?{n}"), Value::Integer(v)),
                Err(_) => (format!("(?{n} IS NULL AND 0)"), Value::Null),
            },
            ListField::Tier if !people => (
                format!("{alias}.tier = ?{n}"),
                Value::Text(value.to_uppercase()),
            ),
            ListField::Tag => (
                format!(
                    "EXISTS (SELECT 1 FROM json_each({alias}.tags) t
                       WHERE t.value = ?{n} COLLATE NOCASE)"
                ),
                Value::Text(value.clone()),
            ),
            ListField::Territory => (of_account("territory"), Value::Text(value.clone())),
            ListField::City => (of_account("city"), Value::Text(value.clone())),
            ListField::Account if people && crate::domain::RecordRef::parse(value).is_some() => {
                let id = crate::domain::RecordRef::parse(value).map_or(0, |r| r.id);
                (format!("{alias}.account_id = ?{n}"), Value::Integer(id))
            }
            ListField::Account if people => (
                format!(
                    "{alias}.account_id IN (SELECT id FROM accounts
                       WHERE substr(name_key, 1, length(?{n})) = ?{n})"
                ),
                Value::Text(crate::text::fold(value)),
            ),
            _ => (format!("(?{n} IS NULL AND 0)"), Value::Null),
        };
        let _ = write!(sql, " AND {clause}");
        params.push(value);
    }
    Ok((sql, params))
}

fn window_params(mut params: Vec<Value>, limit: u32, offset: u32) -> (Vec<Value>, usize) {
    let first = params.len() + 1;
    params.push(Value::Integer(i64::from(limit)));
    params.push(Value::Integer(i64::from(offset)));
    (params, first)
}

/// A zone the lists can see follow-ups in: the key function registered on the connection
/// keeps a copy of it.
pub trait DueZone: TimeZone + Send + std::panic::UnwindSafe + 'static {}
impl<T: TimeZone + Send + std::panic::UnwindSafe + 'static> DueZone for T {}

/// Where a follow-up comes in the order of the lists, seen in `tz`, as one integer: a timed
/// one at twice its instant, a date-only one just before the start of the next local day (so
/// after the timed ones of its day, as in the agenda). `None` for an unreadable date.
fn due_key<Tz: TimeZone>(tz: &Tz, due_date: &str, due_at: Option<i64>) -> Option<i64> {
    if let Some(at) = due_at {
        return at.checked_mul(2);
    }
    let next = NaiveDate::parse_from_str(due_date, "%Y-%m-%d")
        .ok()?
        .succ_opt()?;
    start_of_day(tz, next).checked_mul(2).map(|k| k - 1)
}

/// `kam_due_key(due_date, due_at)`: [`due_key`] in `tz`, for the "next follow-up" sort (the
/// local day of a timed follow-up depends on the zone it is seen in, so SQL cannot compare
/// `due_date`). Registered again before each list read, with the zone of that read.
fn register_due_key<Tz: DueZone>(reader: &Reader<'_>, tz: &Tz) -> Result<(), StoreError> {
    use rusqlite::functions::FunctionFlags;
    let tz = tz.clone();
    reader.conn.create_scalar_function(
        "kam_due_key",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        move |ctx| {
            let date: Option<String> = ctx.get(0)?;
            let at: Option<i64> = ctx.get(1)?;
            Ok(date.and_then(|d| due_key(&tz, &d, at)))
        },
    )?;
    Ok(())
}

/// The earliest open follow-up in `tz` among those `stmt` walks (in `due_date` order, the day
/// each was entered on): a timed one's local day can be [`ZONE_SLACK`] from that day, so the
/// walk reads on that far past the first and keeps the least [`due_key`].
fn next_followup<Tz: TimeZone>(
    stmt: &mut rusqlite::CachedStatement<'_>,
    id: Id,
    tz: &Tz,
) -> Result<Option<NextFollowUp>, StoreError> {
    let mut rows = stmt.query([id])?;
    let mut best: Option<(i64, NextFollowUp)> = None;
    let mut edge: Option<NaiveDate> = None;
    while let Some(row) = rows.next()? {
        let date: String = row.get(1)?;
        let at: Option<i64> = row.get(2)?;
        let entered = parse_date(&date)?;
        if edge.is_some_and(|e| entered > e) {
            break;
        }
        edge.get_or_insert_with(|| {
            entered
                .checked_add_days(ZONE_SLACK)
                .and_then(|d| d.checked_add_days(ZONE_SLACK))
                .unwrap_or(NaiveDate::MAX)
        });
        let due = match at {
            Some(at) => chrono::DateTime::from_timestamp(at, 0)
                .ok_or_else(|| StoreError::Corrupt(format!("due instant {at}")))?
                .with_timezone(tz)
                .date_naive(),
            None => entered,
        };
        let key = due_key(tz, &date, at).unwrap_or(i64::MAX);
        if best.as_ref().is_none_or(|(k, _)| key < *k) {
            best = Some((
                key,
                NextFollowUp {
                    id: row.get(0)?,
                    due,
                    text: row.get(3)?,
                },
            ));
        }
    }
    Ok(best.map(|(_, n)| n))
}

impl Reader<'_> {
    /// A window of the accounts list.
    pub fn account_rows<Tz: DueZone>(
        &self,
        query: &ListQuery<AccountSort>,
        tz: &Tz,
    ) -> Result<Vec<AccountRow>, StoreError> {
        register_due_key(self, tz)?;
        let (filter, params) = filter_clause(self, "accounts", "a", &query.filter)?;
        let (limit, offset, reversed) = query.window();
        let (params, n) = window_params(params, limit, offset);
        let sql = format!(
            "SELECT a.id, a.name, a.tier, a.stage, a.city, a.country, a.last_contact
             FROM accounts a WHERE {filter}
             ORDER BY {} LIMIT ?{n} OFFSET ?{}",
            query.sort.order_by(query.descending, reversed),
            n + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(AccountRow {
                id: r.get(0)?,
                name: r.get(1)?,
                tier: vocab(r.get(2)?)?,
                stage: vocab(r.get(3)?)?,
                city: r.get(4)?,
                country: r.get(5)?,
                last_contact: r.get(6)?,
                next_followup: None,
                open_value: OpenValue::None,
                open_deals: 0,
            });
        }
        if reversed {
            out.reverse();
        }
        let mut next = self.conn.prepare_cached(
            "SELECT id, due_date, due_at, text FROM followups
             WHERE account_id = ?1 AND status = 'open' ORDER BY due_date, id",
        )?;
        let mut deals = self.conn.prepare_cached(&format!(
            "SELECT d.currency, sum(d.value), count(d.value), count(*) FROM deals d
             WHERE d.account_id = ?1 AND {OPEN_DEAL} GROUP BY coalesce(d.currency, '')"
        ))?;
        for row in &mut out {
            row.next_followup = next_followup(&mut next, row.id, tz)?;
            let mut valued = Vec::new();
            let mut rows = deals.query([row.id])?;
            while let Some(r) = rows.next()? {
                let currency: Option<String> = r.get(0)?;
                let sum: Option<f64> = r.get(1)?;
                let with_value: u32 = r.get(2)?;
                row.open_deals += r.get::<_, u32>(3)?;
                if with_value > 0 {
                    valued.push((sum.unwrap_or_default(), currency));
                }
            }
            row.open_value = match valued.len() {
                0 => OpenValue::None,
                1 => {
                    let (value, currency) = valued.remove(0);
                    OpenValue::Single { value, currency }
                }
                n => OpenValue::Mixed(u32::try_from(n).unwrap_or(u32::MAX)),
            };
        }
        Ok(out)
    }

    /// How many accounts the accounts list holds with `filter`.
    pub fn account_count(&self, filter: &str) -> Result<u64, StoreError> {
        let (filter, params) = filter_clause(self, "accounts", "a", filter)?;
        let sql = format!("SELECT count(*) FROM accounts a WHERE {filter}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(params_from_iter(params), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// A window of the people list.
    pub fn person_rows<Tz: DueZone>(
        &self,
        query: &ListQuery<PersonSort>,
        tz: &Tz,
    ) -> Result<Vec<PersonRow>, StoreError> {
        register_due_key(self, tz)?;
        let (filter, params) = filter_clause(self, "people", "p", &query.filter)?;
        let (limit, offset, reversed) = query.window();
        let (params, n) = window_params(params, limit, offset);
        let sql = format!(
            "SELECT p.id, coalesce(p.salutation || ' ', '') || p.name, p.account_id, a.name,
                p.title, p.role, p.influence,
                p.attitude, p.stage, p.last_contact
             FROM people p LEFT JOIN accounts a ON a.id = p.account_id
             WHERE {filter}
             ORDER BY {} LIMIT ?{n} OFFSET ?{}",
            query.sort.order_by(query.descending, reversed),
            n + 1
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let account_id: Option<Id> = r.get(2)?;
            let account_name: Option<String> = r.get(3)?;
            out.push(PersonRow {
                id: r.get(0)?,
                name: r.get(1)?,
                account: account_id.zip(account_name),
                title: r.get(4)?,
                role: vocab(r.get(5)?)?,
                influence: r.get(6)?,
                attitude: vocab(r.get(7)?)?,
                stage: vocab(r.get(8)?)?,
                last_contact: r.get(9)?,
                next_followup: None,
            });
        }
        if reversed {
            out.reverse();
        }
        let mut next = self.conn.prepare_cached(
            "SELECT id, due_date, due_at, text FROM followups
             WHERE person_id = ?1 AND status = 'open' ORDER BY due_date, id",
        )?;
        for row in &mut out {
            row.next_followup = next_followup(&mut next, row.id, tz)?;
        }
        Ok(out)
    }

    /// How many people the people list holds with `filter`.
    pub fn person_count(&self, filter: &str) -> Result<u64, StoreError> {
        let (filter, params) = filter_clause(self, "people", "p", filter)?;
        let sql = format!("SELECT count(*) FROM people p WHERE {filter}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(params_from_iter(params), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests;
