//! Deals with their milestones, and the obligations of contracts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::{Row, params};

use crate::domain::{
    Deal, Id, Milestone, Obligation, ObligationKind, Party, Stamp, Timestamp, Vocabulary,
    check_currency, check_money, check_name, check_percent, check_text,
};

use super::codec::{
    date_text, extra_json, opt_str, opt_ts_text, parse_date, parse_extra, parse_opt_date,
    parse_opt_ts, stamp, ts_text, vocab,
};
use super::{Reader, StoreError, UidTable, Writer};

/// Pending obligations of one party in one currency: (party, currency, how many, the sum of
/// their amounts — `None` when none has one).
pub type OwedGroup = (Option<Party>, Option<String>, i64, Option<f64>);

pub(super) const DEAL_COLUMNS: &str =
    "id, uid, account_id, title, kind, stage, value, currency, probability,
    close, commission_rate, notes, extra, created_at, updated_at, version";

/// An obligation as a list of what falls due shows it (the agenda): what, when, who owes it,
/// how much, and the deal and account it belongs to. Read narrow: each column a statement
/// selects costs ~12 K instructions to compile, and the agenda compiles two such statements.
#[derive(Debug, Clone, PartialEq)]
pub struct ListedObligation {
    pub id: Id,
    pub text: String,
    pub due: NaiveDate,
    pub party: Option<Party>,
    pub kind: Option<ObligationKind>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub deal_title: String,
    pub account: String,
}

/// The columns of a [`ListedObligation`], from `obligations o`, `deals d` and `accounts a`. The
/// statements reading them name their walk (`obligations_pending_due`, then the deal and the
/// account by id): the planner took it anyway, and naming it spares it the other indexes.
const LISTED_OBLIGATION: &str =
    "o.id, o.text, o.due, o.party, o.kind, o.amount, o.currency, d.title, a.name";

pub(super) const OBLIGATION_COLUMNS: &str =
    "id, uid, deal_id, text, due, party, kind, amount, currency,
    status, done_at, extra";

pub(super) fn deal_from_row(row: &Row<'_>) -> Result<(Deal, Stamp), StoreError> {
    let deal = Deal {
        id: row.get(0)?,
        uid: row.get(1)?,
        account: row.get(2)?,
        title: row.get(3)?,
        kind: vocab(row.get(4)?)?,
        stage: vocab(row.get(5)?)?,
        value: row.get(6)?,
        currency: row.get(7)?,
        probability: row.get(8)?,
        close: parse_opt_date(row.get(9)?)?,
        commission_rate: row.get(10)?,
        milestones: Vec::new(),
        notes: row.get(11)?,
        extra: parse_extra(&row.get::<_, String>(12)?)?,
    };
    Ok((deal, stamp(row, 13)?))
}

pub(super) fn obligation_from_row(row: &Row<'_>) -> Result<Obligation, StoreError> {
    Ok(Obligation {
        id: row.get(0)?,
        uid: row.get(1)?,
        deal: row.get(2)?,
        text: row.get(3)?,
        due: parse_date(&row.get::<_, String>(4)?)?,
        party: vocab(row.get(5)?)?,
        kind: vocab(row.get(6)?)?,
        amount: row.get(7)?,
        currency: row.get(8)?,
        status: vocab(row.get(9)?)?,
        done_at: parse_opt_ts(row.get(10)?)?,
        extra: parse_extra(&row.get::<_, String>(11)?)?,
    })
}

/// Checks the fields a user can get wrong, with the domain's rules (the later ones through
/// [`Writer::new_rule`]).
pub fn validate(d: &Deal, w: &Writer<'_>) -> Result<(), StoreError> {
    check_name("title", &d.title)?;
    if let Some(n) = &d.notes {
        check_text("notes", n)?;
    }
    let t = UidTable::Deals;
    w.new_rule(t, &d.uid, "currency", d.currency.as_ref(), |c| {
        check_currency("currency", c)
    })?;
    w.new_rule(t, &d.uid, "value", d.value.as_ref(), |v| {
        check_money("value", *v)
    })?;
    if let Some(p) = d.probability {
        check_percent("probability", p)?;
    }
    if let Some(c) = d.commission_rate {
        check_percent("commission_rate", c)?;
    }
    Ok(())
}

impl Reader<'_> {
    /// One deal with its milestones and stamp.
    pub fn deal(&self, id: Id) -> Result<Option<(Deal, Stamp)>, StoreError> {
        let sql = format!("SELECT {DEAL_COLUMNS} FROM deals WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let (mut deal, stamp) = deal_from_row(row)?;
        deal.milestones = self.milestones(id)?;
        Ok(Some((deal, stamp)))
    }

    /// The milestones of a deal, in order.
    pub fn milestones(&self, deal: Id) -> Result<Vec<Milestone>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, date FROM deal_milestones WHERE deal_id = ?1 ORDER BY position",
        )?;
        let mut rows = stmt.query([deal])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Milestone {
                name: r.get(0)?,
                date: parse_date(&r.get::<_, String>(1)?)?,
            });
        }
        Ok(out)
    }

    /// The deals of an account, open ones first, then by expected close.
    pub fn deals_of(&self, account: Id) -> Result<Vec<Deal>, StoreError> {
        let sql = format!(
            "SELECT {DEAL_COLUMNS} FROM deals WHERE account_id = ?1 AND archived_at IS NULL
             ORDER BY coalesce(stage IN ('won','lost'), 0), close IS NULL, close, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([account])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(deal_from_row(row)?.0);
        }
        for d in &mut out {
            d.milestones = self.milestones(d.id)?;
        }
        Ok(out)
    }

    /// Open deals expected to close in `[from, to]`, with their account's name; at most `limit`.
    pub fn deals_closing_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<(Deal, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.uid, d.account_id, d.title, d.kind, d.stage, d.value, d.currency,
                d.probability, d.close, d.commission_rate, d.notes, d.extra, d.created_at,
                d.updated_at, d.version, a.name
             FROM deals d JOIN accounts a ON a.id = d.account_id
             WHERE (d.stage IS NULL OR d.stage NOT IN ('won','lost'))
               AND d.close >= ?1 AND d.close <= ?2 AND d.archived_at IS NULL
             ORDER BY d.close, d.id LIMIT ?3",
        )?;
        let mut rows = stmt.query(params![date_text(from), date_text(to), limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push((deal_from_row(row)?.0, row.get(16)?));
        }
        Ok(out)
    }

    /// Milestones of open deals falling in `[from, to]`: (deal, title, account name,
    /// milestone); at most `limit`. Ordered as `deal_milestones_date` holds them (the date,
    /// then the key: deal and position), so the walk stops at `limit` without a sort.
    pub fn milestones_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<(Id, String, String, Milestone)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.title, a.name, m.name, m.date
             FROM deal_milestones m JOIN deals d ON d.id = m.deal_id
               JOIN accounts a ON a.id = d.account_id
             WHERE m.date >= ?1 AND m.date <= ?2
               AND (d.stage IS NULL OR d.stage NOT IN ('won','lost')) AND d.archived_at IS NULL
             ORDER BY m.date, m.deal_id, m.position LIMIT ?3",
        )?;
        let mut rows = stmt.query(params![date_text(from), date_text(to), limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let milestone = Milestone {
                name: r.get(3)?,
                date: parse_date(&r.get::<_, String>(4)?)?,
            };
            out.push((r.get(0)?, r.get(1)?, r.get(2)?, milestone));
        }
        Ok(out)
    }

    /// Obligations not done and due in `[from, to]`, with the deal's title and the account's
    /// name, earliest first; at most `limit`.
    pub fn pending_obligations_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<ListedObligation>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {LISTED_OBLIGATION}
             FROM obligations o INDEXED BY obligations_pending_due
               JOIN deals d NOT INDEXED ON d.id = o.deal_id
               JOIN accounts a NOT INDEXED ON a.id = d.account_id
             WHERE (o.status IS NULL OR o.status != 'done') AND o.due >= ?1 AND o.due <= ?2
               AND d.archived_at IS NULL
             ORDER BY o.due, o.id LIMIT ?3"
        ))?;
        let rows = stmt.query(params![date_text(from), date_text(to), limit])?;
        obligations_with_deal(rows)
    }

    /// The `limit` obligations not done and due before `before` that fell due most recently
    /// (latest first), with the deal's title and the account's name.
    pub fn latest_pending_obligations_before(
        &self,
        before: NaiveDate,
        limit: u32,
    ) -> Result<Vec<ListedObligation>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {LISTED_OBLIGATION}
             FROM obligations o INDEXED BY obligations_pending_due
               JOIN deals d NOT INDEXED ON d.id = o.deal_id
               JOIN accounts a NOT INDEXED ON a.id = d.account_id
             WHERE (o.status IS NULL OR o.status != 'done') AND o.due < ?1
               AND d.archived_at IS NULL
             ORDER BY o.due DESC, o.id DESC LIMIT ?2"
        ))?;
        let rows = stmt.query(params![date_text(before), limit])?;
        obligations_with_deal(rows)
    }

    /// The obligations not done and due before `before` on deals in use, grouped by party and
    /// currency: (party, currency, how many, the sum of their amounts — `None` when none has
    /// one), ordered by party then currency, no party and no currency first. Read from the
    /// pending obligations' covering index and the archived deals' index (step v15), not from
    /// each obligation's and deal's row; grouped here rather than by a `GROUP BY`, whose sorter
    /// cost SQLite four times the walk itself (at L 1.5 M instructions for 301 rows).
    pub fn pending_obligations_owed_before(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<OwedGroup>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.party, o.currency, o.amount
             FROM obligations o INDEXED BY obligations_pending_owed
             WHERE (o.status IS NULL OR o.status != 'done') AND o.due < ?1
               AND o.deal_id NOT IN (SELECT id FROM deals WHERE archived_at IS NOT NULL)",
        )?;
        let mut rows = stmt.query(params![date_text(before)])?;
        // (party, currency) → (how many, the sum of those with an amount)
        let mut groups: BTreeMap<OwedKey, (i64, Option<Sum>)> = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let group = groups.entry((r.get(0)?, r.get(1)?)).or_default();
            group.0 += 1;
            if let Some(amount) = r.get::<_, Option<f64>>(2)? {
                group.1.get_or_insert_with(Sum::default).add(amount);
            }
        }
        groups
            .into_iter()
            .map(|((party, currency), (count, sum))| {
                Ok((vocab(party)?, currency, count, sum.map(Sum::total)))
            })
            .collect()
    }
}

/// The party and the currency of pending obligations, as stored (`None` sorts first, as NULL).
type OwedKey = (Option<String>, Option<String>);

/// A sum of floating-point amounts as SQLite's `sum()` adds them (Kahan–Babuška–Neumaier, since
/// SQLite 3.43): the same total to the last bit, whichever way the notebook is read.
#[derive(Debug, Default, Clone, Copy)]
struct Sum {
    sum: f64,
    error: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.error += if self.sum.abs() > x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    /// The sum, corrected by the error kept, unless that error overflowed (as SQLite).
    fn total(self) -> f64 {
        if self.error.is_finite() {
            self.sum + self.error
        } else {
            self.sum
        }
    }
}

/// Rows of [`LISTED_OBLIGATION`]'s columns.
fn obligations_with_deal(
    mut rows: rusqlite::Rows<'_>,
) -> Result<Vec<ListedObligation>, StoreError> {
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(ListedObligation {
            id: r.get(0)?,
            text: r.get(1)?,
            due: parse_date(&r.get::<_, String>(2)?)?,
            party: vocab(r.get(3)?)?,
            kind: vocab(r.get(4)?)?,
            amount: r.get(5)?,
            currency: r.get(6)?,
            deal_title: r.get(7)?,
            account: r.get(8)?,
        });
    }
    Ok(out)
}

impl Writer<'_> {
    /// Adds the deal, or updates the one with the same uid, with its milestones.
    pub fn upsert_deal(
        &self,
        d: &Deal,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> Result<Id, StoreError> {
        validate(d, self)?;
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO deals (uid, account_id, title, kind, stage, value, currency, probability,
                close, commission_rate, notes, extra, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)
             ON CONFLICT(uid) DO UPDATE SET account_id=?2, title=?3, kind=?4, stage=?5, value=?6,
                currency=?7, probability=?8, close=?9, commission_rate=?10, notes=?11, extra=?12,
                created_at=coalesce(?15, created_at), updated_at=?14, version=version+1
             RETURNING id",
        )?;
        let id: Id = stmt.query_row(
            params![
                d.uid,
                d.account,
                d.title,
                opt_str(d.kind),
                opt_str(d.stage),
                d.value,
                d.currency,
                d.probability,
                d.close.map(date_text),
                d.commission_rate,
                d.notes,
                extra_json(&d.extra),
                ts_text(&created_at.unwrap_or(self.now)),
                ts_text(&updated_at.unwrap_or(self.now)),
                // An update keeps the record's creation time unless one is given (import).
                created_at.as_ref().map(ts_text),
            ],
            |r| r.get(0),
        )?;
        self.conn
            .prepare_cached("DELETE FROM deal_milestones WHERE deal_id = ?1")?
            .execute([id])?;
        let mut add = self.conn.prepare_cached(
            "INSERT INTO deal_milestones (deal_id, position, name, date) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (m, pos) in d.milestones.iter().zip(0_i64..) {
            check_text("milestones.name", &m.name)?;
            add.execute(params![id, pos, m.name, date_text(m.date)])?;
        }
        Ok(id)
    }

    /// Adds the obligation, or updates the one with the same uid.
    pub fn upsert_obligation(&self, o: &Obligation) -> Result<Id, StoreError> {
        check_text("text", &o.text)?;
        let t = UidTable::Obligations;
        self.new_rule(t, &o.uid, "currency", o.currency.as_ref(), |c| {
            check_currency("currency", c)
        })?;
        self.new_rule(t, &o.uid, "amount", o.amount.as_ref(), |v| {
            check_money("amount", *v)
        })?;
        let now = ts_text(&self.now);
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO obligations (uid, deal_id, text, due, party, kind, amount, currency,
                status, done_at, extra, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)
             ON CONFLICT(uid) DO UPDATE SET deal_id=?2, text=?3, due=?4, party=?5, kind=?6,
                amount=?7, currency=?8, status=?9, done_at=?10, extra=?11, updated_at=?12,
                version=version+1
             RETURNING id",
        )?;
        Ok(stmt.query_row(
            params![
                o.uid,
                o.deal,
                o.text,
                date_text(o.due),
                opt_str(o.party),
                opt_str(o.kind),
                o.amount,
                o.currency,
                o.status.map(Vocabulary::as_str),
                opt_ts_text(o.done_at.as_ref()),
                extra_json(&o.extra),
                now,
            ],
            |r| r.get(0),
        )?)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::super::testing::{account, add_account, now, store};
    use super::*;
    use crate::domain::{Invalid, ObligationStatus};

    /// What SQLite's own `sum()` makes of `amounts`, added in that order.
    fn sqlite_sum(s: &super::super::Store, amounts: &[f64]) -> f64 {
        s.conn
            .execute_batch("CREATE TEMP TABLE IF NOT EXISTS a (x REAL); DELETE FROM a;")
            .unwrap();
        for x in amounts {
            s.conn
                .execute("INSERT INTO a (x) VALUES (?1)", [x])
                .unwrap();
        }
        s.conn
            .query_row(
                "SELECT sum(x) FROM (SELECT x FROM a ORDER BY rowid)",
                [],
                |r| r.get(0),
            )
            .unwrap()
    }

    fn summed(amounts: &[f64]) -> f64 {
        let mut sum = Sum::default();
        for &x in amounts {
            sum.add(x);
        }
        sum.total()
    }

    #[test]
    fn amounts_add_up_as_sqlites_sum_adds_them_where_plain_adding_drifts() {
        let s = store();
        for amounts in [
            vec![0.1; 10],
            vec![1e16, 1.0, -1e16],
            vec![8_103_956.68, 0.01, -3.3, 1e-3, 45_007_499.99, 13_045_833.34],
            vec![f64::MAX, f64::MAX, -f64::MAX],
        ] {
            assert_eq!(
                summed(&amounts).to_bits(),
                sqlite_sum(&s, &amounts).to_bits(),
                "{amounts:?}"
            );
        }
        // Where adding in turn loses the 1 altogether.
        assert_eq!(summed(&[1e16, 1.0, -1e16]).to_bits(), 1f64.to_bits());
        assert_eq!((1e16 + 1.0 - 1e16_f64).to_bits(), 0f64.to_bits());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn any_amounts_add_up_to_the_bit_as_sqlites_sum(
            amounts in prop::collection::vec(-1e12f64..1e12, 1..40),
        ) {
            let s = store();
            prop_assert_eq!(summed(&amounts).to_bits(), sqlite_sum(&s, &amounts).to_bits());
        }
    }

    fn deal(account: Id) -> Deal {
        Deal {
            id: 0,
            uid: "d-1".into(),
            account,
            title: "Tender 2026".into(),
            kind: None,
            stage: None,
            value: Some(120_000.0),
            currency: Some("EUR".into()),
            probability: Some(40.0),
            close: None,
            commission_rate: None,
            milestones: Vec::new(),
            notes: None,
            extra: crate::domain::Extra::new(),
        }
    }

    #[test]
    fn invalid_fields_are_named() {
        let mut s = store();
        let a = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        for (d, field) in [
            (
                Deal {
                    probability: Some(150.0),
                    ..deal(a)
                },
                "probability",
            ),
            (
                Deal {
                    currency: Some("eur".into()),
                    ..deal(a)
                },
                "currency",
            ),
            (
                Deal {
                    title: " ".into(),
                    ..deal(a)
                },
                "title",
            ),
        ] {
            match s.write(now(), |w| w.upsert_deal(&d, None, None)) {
                Err(StoreError::Invalid(Invalid { field: f, .. })) => assert_eq!(f, field),
                other => panic!("{field}: expected Invalid, got {other:?}"),
            }
        }
        assert!(s.reader().deals_of(a).unwrap().is_empty());
        let id = s
            .write(now(), |w| w.upsert_deal(&deal(a), None, None))
            .unwrap();
        assert_eq!(
            s.reader().deal(id).unwrap().unwrap().0,
            Deal { id, ..deal(a) }
        );
    }

    /// The money owed, grouped here, reads as SQLite's own `GROUP BY … ORDER BY` of the same
    /// rows: parties and currencies with none first, counts with the rows without an amount,
    /// no sum where none has one; not the done ones, not those due from `before` on.
    #[test]
    fn the_money_owed_groups_as_a_group_by_would() {
        let mut s = store();
        let a = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        let d = s
            .write(now(), |w| w.upsert_deal(&deal(a), None, None))
            .unwrap();
        let cases = [
            (Some(Party::Client), Some("EUR"), Some(100.25), None),
            (Some(Party::Client), Some("EUR"), None, None),
            (Some(Party::Client), Some("USD"), Some(7.5), None),
            (Some(Party::Client), None, Some(3.0), None),
            (Some(Party::Us), None, None, None),
            (None, Some("EUR"), Some(1.0), None),
            (None, None, None, None),
            (
                Some(Party::Client),
                Some("EUR"),
                Some(1e6),
                Some(ObligationStatus::Done),
            ),
            (
                Some(Party::Us),
                Some("GBP"),
                Some(5.0),
                Some(ObligationStatus::Late),
            ),
        ];
        s.write(now(), |w| {
            for (i, (party, currency, amount, status)) in cases.into_iter().enumerate() {
                w.upsert_obligation(&Obligation {
                    id: 0,
                    uid: format!("o-{i}"),
                    deal: d,
                    text: format!("obligation {i}"),
                    due: NaiveDate::from_ymd_opt(2026, 10, 1 + u32::try_from(i).unwrap()).unwrap(),
                    party,
                    kind: None,
                    amount,
                    currency: currency.map(Into::into),
                    status,
                    done_at: None,
                    extra: crate::domain::Extra::new(),
                })?;
            }
            // Due on the day asked: not yet overdue.
            w.upsert_obligation(&Obligation {
                id: 0,
                uid: "o-today".into(),
                deal: d,
                text: "today".into(),
                due: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
                party: Some(Party::Client),
                kind: None,
                amount: Some(9.0),
                currency: Some("EUR".into()),
                status: None,
                done_at: None,
                extra: crate::domain::Extra::new(),
            })
        })
        .unwrap();
        let grouped = s
            .reader()
            .pending_obligations_owed_before(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap())
            .unwrap();
        let mut stmt = s
            .conn
            .prepare(
                "SELECT party, currency, count(*), sum(amount) FROM obligations
                 WHERE (status IS NULL OR status != 'done') AND due < '2026-11-27'
                 GROUP BY party, currency ORDER BY party, currency",
            )
            .unwrap();
        let expected: Vec<OwedGroup> = stmt
            .query_map([], |r| {
                let party: Option<String> = r.get(0)?;
                Ok((
                    party.map(|p| if p == "us" { Party::Us } else { Party::Client }),
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(grouped, expected);
        assert_eq!(grouped.len(), 7, "{grouped:?}");
        assert_eq!(grouped[0], (None, None, 1, None));
        assert_eq!(
            grouped[3],
            (Some(Party::Client), Some("EUR".into()), 2, Some(100.25))
        );
    }
}
