//! Monthly sales per account (`account_sales`): target and actual for a month in one currency,
//! one row per account, month and currency; and the client payments commission is earned on.

use chrono::NaiveDate;
use rusqlite::{Row, params};

use crate::domain::{Id, MonthSales, check_amount, check_currency};

use super::codec::{date_text, parse_opt_ts, ts_text};
use super::{Reader, StoreError, Writer};

const COLUMNS: &str = "s.id, s.account_id, s.month, s.currency, s.target, s.actual";

fn sales_row(r: &Row<'_>) -> Result<MonthSales, StoreError> {
    Ok(MonthSales {
        id: r.get(0)?,
        account: r.get(1)?,
        month: r.get(2)?,
        currency: r.get(3)?,
        target: r.get(4)?,
        actual: r.get(5)?,
    })
}

/// A month's sales of an account, with the account's name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SalesLine {
    #[serde(flatten)]
    pub sales: MonthSales,
    pub account_name: String,
}

/// A month of an account's sales as the interchange format carries it: with its uid.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesEntry {
    pub uid: String,
    pub sales: MonthSales,
}

/// A payment the client made on a deal (an obligation of the client's, of kind payment, done),
/// with what commission on it depends on.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PaidPayment {
    pub obligation: Id,
    pub deal: Id,
    pub deal_title: String,
    pub account_name: String,
    pub amount: f64,
    /// The payment's currency, else the deal's.
    pub currency: Option<String>,
    /// When it was marked paid.
    pub paid_at: crate::domain::Timestamp,
    pub deal_value: Option<f64>,
    pub deal_currency: Option<String>,
    /// The deal's own commission rate, if it has one.
    pub deal_rate: Option<f64>,
}

impl Reader<'_> {
    /// The sales of `account` (all accounts: `None`) for the months `from..=to` (`YYYY-MM`),
    /// by account name, month and currency.
    pub fn month_sales(
        &self,
        account: Option<Id>,
        from: &str,
        to: &str,
    ) -> Result<Vec<SalesLine>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM account_sales s JOIN accounts a ON a.id = s.account_id
             WHERE s.month >= ?1 AND s.month <= ?2 AND (?3 IS NULL OR s.account_id = ?3)
             ORDER BY a.name, a.id, s.month, s.currency"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![from, to, account])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(SalesLine {
                sales: sales_row(r)?,
                account_name: r.get(6)?,
            });
        }
        Ok(out)
    }

    /// The row of one account's month in one currency, with its version.
    pub fn month_sales_row(
        &self,
        account: Id,
        month: &str,
        currency: &str,
    ) -> Result<Option<(MonthSales, i64)>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, s.version FROM account_sales s
             WHERE s.account_id = ?1 AND s.month = ?2 AND s.currency = ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![account, month, currency])?;
        match rows.next()? {
            Some(r) => Ok(Some((sales_row(r)?, r.get(6)?))),
            None => Ok(None),
        }
    }

    /// Every month of every account's sales with its uid, in the order they were first
    /// written (the export's order).
    pub fn all_month_sales(&self) -> Result<Vec<SalesEntry>, StoreError> {
        let sql = format!("SELECT {COLUMNS}, s.uid FROM account_sales s ORDER BY s.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(SalesEntry {
                sales: sales_row(r)?,
                uid: r.get(6)?,
            });
        }
        Ok(out)
    }

    /// The client payments marked paid on the days `from..to`, oldest first.
    pub fn paid_payments_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<PaidPayment>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, d.id, d.title, a.name, o.amount, coalesce(o.currency, d.currency),
                    o.done_at, d.value, d.currency, d.commission_rate
             FROM obligations o JOIN deals d ON d.id = o.deal_id
             JOIN accounts a ON a.id = d.account_id
             WHERE o.party = 'client' AND o.kind = 'payment' AND o.status = 'done'
               AND o.amount IS NOT NULL AND o.done_at >= ?1 AND o.done_at < ?2
             ORDER BY o.done_at, o.id",
        )?;
        let mut rows = stmt.query(params![date_text(from), date_text(to)])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let Some(paid_at) = parse_opt_ts(r.get(6)?)? else {
                continue;
            };
            out.push(PaidPayment {
                obligation: r.get(0)?,
                deal: r.get(1)?,
                deal_title: r.get(2)?,
                account_name: r.get(3)?,
                amount: r.get(4)?,
                currency: r.get(5)?,
                paid_at,
                deal_value: r.get(7)?,
                deal_currency: r.get(8)?,
                deal_rate: r.get(9)?,
            });
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Writes one account's month in one currency (a new row or the existing one): the id.
    pub fn set_month_sales(&self, s: &MonthSales) -> Result<Id, StoreError> {
        check_sales(s)?;
        let now = ts_text(&self.now);
        Ok(self
            .conn
            .prepare_cached(
                "INSERT INTO account_sales (account_id, month, currency, target, actual,
                     created_at, updated_at, uid)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)
                 ON CONFLICT (account_id, month, currency) DO UPDATE SET
                     target = excluded.target, actual = excluded.actual,
                     updated_at = excluded.updated_at, version = version + 1
                 RETURNING id",
            )?
            .query_row(
                params![
                    s.account,
                    s.month,
                    s.currency,
                    s.target,
                    s.actual,
                    now,
                    uuid::Uuid::new_v4().to_string()
                ],
                |r| r.get(0),
            )?)
    }

    /// Writes a month with its uid, as an import does: the month the uid names is updated; a
    /// new uid for a month the account already has in that currency takes that month over (a
    /// file's month wins, keeping one row per account, month and currency); else a new row.
    pub fn upsert_month_sales(&self, uid: &str, s: &MonthSales) -> Result<Id, StoreError> {
        check_sales(s)?;
        let now = ts_text(&self.now);
        self.conn
            .prepare_cached(
                "INSERT INTO account_sales (uid, account_id, month, currency, target, actual,
                     created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
                 ON CONFLICT (uid) DO UPDATE SET
                     account_id = excluded.account_id, month = excluded.month,
                     currency = excluded.currency, target = excluded.target,
                     actual = excluded.actual, updated_at = excluded.updated_at,
                     version = version + 1
                 WHERE account_id IS NOT excluded.account_id OR month IS NOT excluded.month
                     OR currency IS NOT excluded.currency OR target IS NOT excluded.target
                     OR actual IS NOT excluded.actual
                 ON CONFLICT (account_id, month, currency) DO UPDATE SET
                     uid = excluded.uid, target = excluded.target, actual = excluded.actual,
                     updated_at = excluded.updated_at, version = version + 1",
            )?
            .execute(params![
                uid, s.account, s.month, s.currency, s.target, s.actual, now
            ])?;
        self.id_by_uid(super::UidTable::AccountSales, uid)?
            .ok_or_else(|| StoreError::NotFound {
                what: format!("the month of sales {uid}"),
            })
    }
}

/// A month's figures as the store keeps them: a known currency, amounts that are amounts.
fn check_sales(s: &MonthSales) -> Result<(), StoreError> {
    check_currency("currency", &s.currency)?;
    for (field, v) in [("target", s.target), ("actual", s.actual)] {
        if let Some(v) = v {
            check_amount(field, v)?;
        }
    }
    Ok(())
}
