//! The windows of the accounts and people screens: a filter as the user types, a sort key, a
//! direction, and `LIMIT/OFFSET`, so a screen never loads a whole table.
//!
//! Filter: empty (or only punctuation) lists everything; otherwise every word must be the prefix
//! of a word of the record's own name, accent- and case-insensitively, through the FTS5 index
//! (the same query as name resolution, [`super::resolve`]). Archived records are not listed.
//!
//! Costs (measured on the M notebook, see the commit note): sorting by name walks the
//! `name_key` index and stops after the window; sorting by last contact walks the v2
//! `(last_contact, name_key)` indexes, and accounts by tier (A first) the v2 `(tier, name_key)`
//! one (C first sorts each tier's block). A filter first collects the matching ids from FTS5 and
//! sorts those. Sorting by stage (ladder order), tier, account, influence, next follow-up or open
//! deal value sorts the whole filtered set: one index probe per row for the computed ones
//! (follow-ups, deals), i.e. linear in the number of listed records — a few ms at M, about ten
//! times that at L. The columns of the window itself (next follow-up, open value) cost one
//! indexed probe per row shown.

use std::fmt::Write as _;

use chrono::NaiveDate;
use rusqlite::types::Value;
use rusqlite::{Row, params_from_iter};

use crate::domain::{AccountStage, Attitude, BuyingRole, Id, PersonStage, Tier, Vocabulary};

use super::codec::{parse_date, vocab};
use super::resolve::prefix_query;
use super::{Reader, StoreError};

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
    /// Due date of the earliest open follow-up; none last.
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
    /// Due date of the earliest open follow-up; none last.
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
    pub offset: u32,
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

const OPEN_DEAL: &str = "(d.stage IS NULL OR d.stage NOT IN ('won','lost'))";

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

impl AccountSort {
    fn order_by(self, descending: bool) -> String {
        let d = dir(descending);
        let key = match self {
            AccountSort::Name => return format!("a.name_key {d}, a.id {d}"),
            // "Never" is the oldest contact: first going up, last going down. Ties follow the
            // direction so that both directions walk the (last_contact, name_key) index.
            AccountSort::LastContact => {
                return format!("a.last_contact {d}, a.name_key {d}, a.id {d}");
            }
            AccountSort::Tier => format!("a.tier {d} NULLS LAST"),
            AccountSort::Stage => format!("{} {d} NULLS LAST", rank::<AccountStage>("a.stage")),
            AccountSort::NextFollowUp => format!(
                "(SELECT min(f.due_date) FROM followups f
                  WHERE f.account_id = a.id AND f.status = 'open') {d} NULLS LAST"
            ),
            AccountSort::OpenValue => format!(
                "(SELECT CASE WHEN count(DISTINCT coalesce(d.currency, '')) = 1
                    THEN sum(d.value) END
                  FROM deals d WHERE d.account_id = a.id AND d.value IS NOT NULL
                    AND {OPEN_DEAL}) {d} NULLS LAST"
            ),
        };
        format!("{key}, a.name_key, a.id")
    }
}

impl PersonSort {
    fn order_by(self, descending: bool) -> String {
        let d = dir(descending);
        let key = match self {
            PersonSort::Name => return format!("p.name_key {d}, p.id {d}"),
            // As for accounts: ties follow the direction, for the index.
            PersonSort::LastContact => {
                return format!("p.last_contact {d}, p.name_key {d}, p.id {d}");
            }
            PersonSort::Account => format!("a.name_key {d} NULLS LAST, a.id"),
            PersonSort::Stage => format!("{} {d} NULLS LAST", rank::<PersonStage>("p.stage")),
            PersonSort::NextFollowUp => format!(
                "(SELECT min(f.due_date) FROM followups f
                  WHERE f.person_id = p.id AND f.status = 'open') {d} NULLS LAST"
            ),
            PersonSort::Influence => format!("p.influence {d} NULLS LAST"),
        };
        format!("{key}, p.name_key, p.id")
    }
}

/// The `WHERE` of a list over `alias` (`a` or `p`) of `table`, and its parameters so far.
fn filter_clause(table: &str, alias: &str, filter: &str) -> (String, Vec<Value>) {
    match prefix_query(filter) {
        Some(fts) => (
            format!(
                "{alias}.archived_at IS NULL
                 AND {alias}.id IN (SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?1)"
            ),
            vec![Value::Text(fts)],
        ),
        None => (format!("{alias}.archived_at IS NULL"), Vec::new()),
    }
}

fn window_params(mut params: Vec<Value>, limit: u32, offset: u32) -> (Vec<Value>, usize) {
    let first = params.len() + 1;
    params.push(Value::Integer(i64::from(limit)));
    params.push(Value::Integer(i64::from(offset)));
    (params, first)
}

fn next_followup(row: &Row<'_>) -> Result<NextFollowUp, StoreError> {
    Ok(NextFollowUp {
        id: row.get(0)?,
        due: parse_date(&row.get::<_, String>(1)?)?,
        text: row.get(2)?,
    })
}

impl Reader<'_> {
    /// A window of the accounts list.
    pub fn account_rows(
        &self,
        query: &ListQuery<AccountSort>,
    ) -> Result<Vec<AccountRow>, StoreError> {
        let (filter, params) = filter_clause("accounts", "a", &query.filter);
        let (params, n) = window_params(params, query.limit, query.offset);
        let sql = format!(
            "SELECT a.id, a.name, a.tier, a.stage, a.city, a.country, a.last_contact
             FROM accounts a WHERE {filter}
             ORDER BY {} LIMIT ?{n} OFFSET ?{}",
            query.sort.order_by(query.descending),
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
        let mut next = self.conn.prepare_cached(
            "SELECT id, due_date, text FROM followups
             WHERE account_id = ?1 AND status = 'open'
             ORDER BY due_date, due_time IS NULL, due_time, id LIMIT 1",
        )?;
        let mut deals = self.conn.prepare_cached(&format!(
            "SELECT d.currency, sum(d.value), count(d.value), count(*) FROM deals d
             WHERE d.account_id = ?1 AND {OPEN_DEAL} GROUP BY coalesce(d.currency, '')"
        ))?;
        for row in &mut out {
            let mut rows = next.query([row.id])?;
            row.next_followup = rows.next()?.map(next_followup).transpose()?;
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
        let (filter, params) = filter_clause("accounts", "a", filter);
        let sql = format!("SELECT count(*) FROM accounts a WHERE {filter}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(params_from_iter(params), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// A window of the people list.
    pub fn person_rows(&self, query: &ListQuery<PersonSort>) -> Result<Vec<PersonRow>, StoreError> {
        let (filter, params) = filter_clause("people", "p", &query.filter);
        let (params, n) = window_params(params, query.limit, query.offset);
        let sql = format!(
            "SELECT p.id, p.name, p.account_id, a.name, p.title, p.role, p.influence,
                p.attitude, p.stage, p.last_contact
             FROM people p LEFT JOIN accounts a ON a.id = p.account_id
             WHERE {filter}
             ORDER BY {} LIMIT ?{n} OFFSET ?{}",
            query.sort.order_by(query.descending),
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
        let mut next = self.conn.prepare_cached(
            "SELECT id, due_date, text FROM followups
             WHERE person_id = ?1 AND status = 'open'
             ORDER BY due_date, due_time IS NULL, due_time, id LIMIT 1",
        )?;
        for row in &mut out {
            let mut rows = next.query([row.id])?;
            row.next_followup = rows.next()?.map(next_followup).transpose()?;
        }
        Ok(out)
    }

    /// How many people the people list holds with `filter`.
    pub fn person_count(&self, filter: &str) -> Result<u64, StoreError> {
        let (filter, params) = filter_clause("people", "p", filter);
        let sql = format!("SELECT count(*) FROM people p WHERE {filter}");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let n: i64 = stmt.query_row(params_from_iter(params), |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::testing::{
        account, add_account, add_deal, add_person, deal, followup, now, person, store,
    };
    use super::*;
    use crate::domain::{Account, DealStage, FollowUp, Person};

    fn accounts(s: &Store, filter: &str, sort: AccountSort, descending: bool) -> Vec<String> {
        let q = ListQuery {
            filter: filter.into(),
            sort,
            descending,
            limit: 100,
            offset: 0,
        };
        s.reader()
            .account_rows(&q)
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect()
    }

    fn people(s: &Store, filter: &str, sort: PersonSort, descending: bool) -> Vec<String> {
        let q = ListQuery {
            filter: filter.into(),
            sort,
            descending,
            limit: 100,
            offset: 0,
        };
        s.reader()
            .person_rows(&q)
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect()
    }

    fn first<S: Default>(limit: u32) -> ListQuery<S> {
        ListQuery {
            limit,
            ..ListQuery::default()
        }
    }

    fn set_contact(s: &Store, table: &str, id: Id, at: Option<i64>) {
        s.conn
            .execute(
                &format!("UPDATE {table} SET last_contact = ?2 WHERE id = ?1"),
                rusqlite::params![id, at],
            )
            .unwrap();
    }

    fn add_followup(s: &mut Store, f: &FollowUp) -> Id {
        s.write(now(), |w| w.upsert_followup(f, None, None))
            .unwrap()
    }

    /// Clínic (A, mid, contacted day 200), Ávila (C, pre, never), Mar (untiered, partnership,
    /// day 100), Bellvitge (B, no stage, day 300).
    fn four_accounts(s: &mut Store) -> [Id; 4] {
        let mut ids = [0; 4];
        for (i, (uid, name, tier, stage, contact)) in [
            (
                "a1",
                "Hospital Clínic",
                Some(Tier::A),
                Some(AccountStage::MidKam),
                Some(200),
            ),
            (
                "a2",
                "Clínica Ávila",
                Some(Tier::C),
                Some(AccountStage::PreKam),
                None,
            ),
            (
                "a3",
                "Hospital del Mar",
                None,
                Some(AccountStage::PartnershipKam),
                Some(100),
            ),
            ("a4", "Bellvitge", Some(Tier::B), None, Some(300)),
        ]
        .into_iter()
        .enumerate()
        {
            ids[i] = add_account(
                s,
                &Account {
                    tier,
                    stage,
                    ..account(uid, name)
                },
            );
            set_contact(s, "accounts", ids[i], contact);
        }
        ids
    }

    #[test]
    #[allow(clippy::too_many_lines)] // one table of accounts, every sort key in turn
    fn accounts_sort_by_each_key_with_missing_values_last() {
        let mut s = store();
        let [clinic, avila, mar, _] = four_accounts(&mut s);
        assert_eq!(
            accounts(&s, "", AccountSort::Name, false),
            [
                "Bellvitge",
                "Clínica Ávila",
                "Hospital Clínic",
                "Hospital del Mar"
            ]
        );
        assert_eq!(
            accounts(&s, "", AccountSort::Name, true),
            [
                "Hospital del Mar",
                "Hospital Clínic",
                "Clínica Ávila",
                "Bellvitge"
            ]
        );
        assert_eq!(
            accounts(&s, "", AccountSort::Tier, false),
            [
                "Hospital Clínic",
                "Bellvitge",
                "Clínica Ávila",
                "Hospital del Mar"
            ]
        );
        assert_eq!(
            accounts(&s, "", AccountSort::Tier, true),
            [
                "Clínica Ávila",
                "Bellvitge",
                "Hospital Clínic",
                "Hospital del Mar"
            ]
        );
        // Ladder order, not alphabetical.
        assert_eq!(
            accounts(&s, "", AccountSort::Stage, false),
            [
                "Clínica Ávila",
                "Hospital Clínic",
                "Hospital del Mar",
                "Bellvitge"
            ]
        );
        assert_eq!(
            accounts(&s, "", AccountSort::LastContact, false),
            [
                "Clínica Ávila",
                "Hospital del Mar",
                "Hospital Clínic",
                "Bellvitge"
            ]
        );
        assert_eq!(
            accounts(&s, "", AccountSort::LastContact, true),
            [
                "Bellvitge",
                "Hospital Clínic",
                "Hospital del Mar",
                "Clínica Ávila"
            ]
        );

        for (uid, account, due) in [
            ("f1", clinic, "2026-03-09"),
            ("f2", clinic, "2026-03-04"),
            ("f3", mar, "2026-03-05"),
        ] {
            add_followup(
                &mut s,
                &FollowUp {
                    account: Some(account),
                    ..followup(uid, &format!("call {uid}"), due)
                },
            );
        }
        let mut done = FollowUp {
            account: Some(avila),
            ..followup("f4", "done already", "2026-03-01")
        };
        done.status = crate::domain::FollowUpStatus::Done;
        add_followup(&mut s, &done);
        assert_eq!(
            accounts(&s, "", AccountSort::NextFollowUp, false),
            [
                "Hospital Clínic",
                "Hospital del Mar",
                "Bellvitge",
                "Clínica Ávila"
            ]
        );
        assert_eq!(
            accounts(&s, "", AccountSort::NextFollowUp, true),
            [
                "Hospital del Mar",
                "Hospital Clínic",
                "Bellvitge",
                "Clínica Ávila"
            ]
        );
        let row = &s.reader().account_rows(&first(10)).unwrap()[2];
        assert_eq!(row.name, "Hospital Clínic");
        let next = row.next_followup.as_ref().unwrap();
        assert_eq!(
            (next.due.to_string().as_str(), next.text.as_str()),
            ("2026-03-04", "call f2")
        );
    }

    #[test]
    fn open_value_is_summed_per_currency_and_never_across() {
        let mut s = store();
        let [clinic, avila, mar, bell] = four_accounts(&mut s);
        add_deal(
            &mut s,
            &deal("d1", clinic, "Tender Lote 3", Some((1_000_000.0, "EUR"))),
        );
        add_deal(
            &mut s,
            &deal("d2", clinic, "Lote 4", Some((200_000.0, "EUR"))),
        );
        add_deal(&mut s, &deal("d3", clinic, "Unpriced", None));
        let mut won = deal("d4", clinic, "Won", Some((9e9, "EUR")));
        won.stage = Some(DealStage::Won);
        add_deal(&mut s, &won);
        add_deal(&mut s, &deal("d5", mar, "Eur", Some((5.0, "EUR"))));
        add_deal(&mut s, &deal("d6", mar, "Usd", Some((7.0, "USD"))));
        add_deal(&mut s, &deal("d7", avila, "Small", Some((50_000.0, "EUR"))));
        add_deal(&mut s, &deal("d8", bell, "Unpriced", None));

        let rows = s.reader().account_rows(&first(10)).unwrap();
        let by_name = |n: &str| rows.iter().find(|r| r.name == n).unwrap();
        let clinic_row = by_name("Hospital Clínic");
        assert_eq!(
            clinic_row.open_value,
            OpenValue::Single {
                value: 1_200_000.0,
                currency: Some("EUR".into())
            }
        );
        assert_eq!(clinic_row.open_deals, 3);
        assert_eq!(by_name("Hospital del Mar").open_value, OpenValue::Mixed(2));
        assert_eq!(by_name("Hospital del Mar").open_deals, 2);
        assert_eq!(by_name("Bellvitge").open_value, OpenValue::None);
        assert_eq!(by_name("Bellvitge").open_deals, 1);

        assert_eq!(
            accounts(&s, "", AccountSort::OpenValue, true),
            [
                "Hospital Clínic",
                "Clínica Ávila",
                "Bellvitge",
                "Hospital del Mar"
            ]
        );
        assert_eq!(
            accounts(&s, "", AccountSort::OpenValue, false),
            [
                "Clínica Ávila",
                "Hospital Clínic",
                "Bellvitge",
                "Hospital del Mar"
            ]
        );
    }

    #[test]
    fn the_filter_matches_name_word_prefixes_across_accents_and_is_counted() {
        let mut s = store();
        four_accounts(&mut s);
        assert_eq!(accounts(&s, "", AccountSort::Name, false).len(), 4);
        assert_eq!(accounts(&s, " -- ", AccountSort::Name, false).len(), 4);
        assert_eq!(
            accounts(&s, "clin", AccountSort::Name, false),
            ["Clínica Ávila", "Hospital Clínic"]
        );
        assert_eq!(
            accounts(&s, "HOSP CLÍ", AccountSort::Name, false),
            ["Hospital Clínic"]
        );
        assert_eq!(
            accounts(&s, "avila clin", AccountSort::Name, false),
            ["Clínica Ávila"]
        );
        assert!(accounts(&s, "linic", AccountSort::Name, false).is_empty());
        assert_eq!(s.reader().account_count("").unwrap(), 4);
        assert_eq!(s.reader().account_count("hosp").unwrap(), 2);
        assert_eq!(s.reader().account_count("\"OR").unwrap(), 0);

        // Archived accounts are not listed.
        let (mut a, stamp) = s.reader().account(1).unwrap().unwrap();
        a.archived_at = Some(now());
        s.write(now(), |w| w.update_account(&a, stamp.version))
            .unwrap();
        assert_eq!(s.reader().account_count("").unwrap(), 3);
        assert_eq!(
            accounts(&s, "clin", AccountSort::Name, false),
            ["Clínica Ávila"]
        );
    }

    #[test]
    fn windows_page_through_the_list() {
        let mut s = store();
        for i in 0..25 {
            add_person(
                &mut s,
                &person(&format!("p{i}"), &format!("Person {i:02}"), None),
            );
        }
        let page = |offset| {
            s.reader()
                .person_rows(&ListQuery {
                    limit: 10,
                    offset,
                    ..ListQuery::default()
                })
                .unwrap()
                .into_iter()
                .map(|r| r.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(page(0).first().unwrap(), "Person 00");
        assert_eq!(page(10).first().unwrap(), "Person 10");
        assert_eq!(page(20).len(), 5);
        assert!(page(30).is_empty());
        assert_eq!(s.reader().person_count("person").unwrap(), 25);
        assert_eq!(s.reader().person_count("person 1").unwrap(), 10, "10 to 19");
        assert_eq!(s.reader().person_count("person 01").unwrap(), 1);
    }

    #[test]
    fn people_sort_by_account_stage_influence_and_show_their_account() {
        let mut s = store();
        let [clinic, _, mar, _] = four_accounts(&mut s);
        let mut ids = Vec::new();
        for (uid, name, acc, stage, influence) in [
            (
                "p1",
                "Dr. Nuño Peña",
                Some(mar),
                Some(PersonStage::Close),
                Some(5),
            ),
            (
                "p2",
                "Ana Puig",
                Some(clinic),
                Some(PersonStage::Contacted),
                None,
            ),
            ("p3", "Iván Petrov", None, Some(PersonStage::Lost), Some(2)),
            ("p4", "Zoe Ruiz", Some(clinic), None, Some(4)),
        ] {
            ids.push(add_person(
                &mut s,
                &Person {
                    influence,
                    stage,
                    ..person(uid, name, acc)
                },
            ));
        }
        assert_eq!(
            people(&s, "", PersonSort::Account, false),
            ["Ana Puig", "Zoe Ruiz", "Dr. Nuño Peña", "Iván Petrov"]
        );
        assert_eq!(
            people(&s, "", PersonSort::Stage, false),
            ["Ana Puig", "Dr. Nuño Peña", "Iván Petrov", "Zoe Ruiz"]
        );
        assert_eq!(
            people(&s, "", PersonSort::Influence, true),
            ["Dr. Nuño Peña", "Zoe Ruiz", "Iván Petrov", "Ana Puig"]
        );
        // Only the person's own name: "clinic" (their account) finds nobody.
        assert!(people(&s, "clinic", PersonSort::Name, false).is_empty());
        assert_eq!(
            people(&s, "nuno pe", PersonSort::Name, false),
            ["Dr. Nuño Peña"]
        );

        add_followup(
            &mut s,
            &FollowUp {
                person: Some(ids[3]),
                ..followup("f1", "send the study", "2026-03-03")
            },
        );
        set_contact(&s, "people", ids[0], Some(100));
        let rows = s
            .reader()
            .person_rows(&ListQuery {
                sort: PersonSort::NextFollowUp,
                ..first(10)
            })
            .unwrap();
        assert_eq!(rows[0].name, "Zoe Ruiz");
        assert_eq!(
            rows[0].next_followup.as_ref().unwrap().text,
            "send the study"
        );
        assert_eq!(rows[0].account, Some((clinic, "Hospital Clínic".into())));
        let nuno = rows.iter().find(|r| r.id == ids[0]).unwrap();
        assert_eq!((nuno.last_contact, nuno.influence), (Some(100), Some(5)));
        assert_eq!(
            people(&s, "", PersonSort::LastContact, true),
            ["Dr. Nuño Peña", "Zoe Ruiz", "Iván Petrov", "Ana Puig"]
        );
    }

    #[test]
    fn a_window_sorted_by_name_or_last_contact_comes_from_an_index() {
        let s = store();
        let plan = |sql: &str| -> String {
            let mut stmt = s
                .conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap();
            stmt.query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap()
                .join("\n")
        };
        for (table, alias, order) in [
            ("accounts", "a", AccountSort::Name.order_by(false)),
            ("accounts", "a", AccountSort::Name.order_by(true)),
            ("accounts", "a", AccountSort::LastContact.order_by(false)),
            ("accounts", "a", AccountSort::LastContact.order_by(true)),
            ("accounts", "a", AccountSort::Tier.order_by(false)),
            ("people", "p", PersonSort::Name.order_by(false)),
            ("people", "p", PersonSort::Name.order_by(true)),
            ("people", "p", PersonSort::LastContact.order_by(false)),
            ("people", "p", PersonSort::LastContact.order_by(true)),
        ] {
            let p = plan(&format!(
                "SELECT {alias}.id FROM {table} {alias} WHERE {alias}.archived_at IS NULL
                 ORDER BY {order} LIMIT 200"
            ));
            assert!(p.contains("USING INDEX"), "{order}: {p}");
            assert!(!p.contains("TEMP B-TREE"), "{order}: {p}");
        }
    }
}
