//! Receivables: payments clients owe us (obligations with party `client`, kind `payment`, not
//! done), aged by days past due into buckets, with totals per bucket and currency.
//!
//! Buckets by days overdue (today − due): not yet due (≤ 0, due today included), 0–30 (1 to 30
//! days), 31–60, 61–90 and 90+ (91 and more). A payment without an amount is counted but adds to
//! no total; amounts are never added across currencies.

use chrono::NaiveDate;
use serde::Serialize;

use crate::money::Totals;
use crate::store::{ObligationRow, Reader, StoreError};

/// Most open receivables read.
pub const RECEIVABLES_LIMIT: u32 = 10_000;

/// How late a payment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bucket {
    NotDue,
    #[serde(rename = "0-30")]
    Days0To30,
    #[serde(rename = "31-60")]
    Days31To60,
    #[serde(rename = "61-90")]
    Days61To90,
    #[serde(rename = "90+")]
    Over90,
}

impl Bucket {
    pub const ALL: [Bucket; 5] = [
        Bucket::NotDue,
        Bucket::Days0To30,
        Bucket::Days31To60,
        Bucket::Days61To90,
        Bucket::Over90,
    ];

    /// The bucket of a payment `days_overdue` days past due.
    pub fn of(days_overdue: i64) -> Bucket {
        match days_overdue {
            i64::MIN..=0 => Bucket::NotDue,
            1..=30 => Bucket::Days0To30,
            31..=60 => Bucket::Days31To60,
            61..=90 => Bucket::Days61To90,
            _ => Bucket::Over90,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Bucket::NotDue => "not yet due",
            Bucket::Days0To30 => "0–30 days",
            Bucket::Days31To60 => "31–60 days",
            Bucket::Days61To90 => "61–90 days",
            Bucket::Over90 => "90+ days",
        }
    }
}

/// One unpaid payment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receivable {
    #[serde(flatten)]
    pub row: ObligationRow,
    pub days_overdue: i64,
    pub bucket: Bucket,
}

/// The totals of one bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BucketTotal {
    pub bucket: Bucket,
    pub count: usize,
    pub totals: Totals,
}

/// Every unpaid payment, oldest due first, with bucket totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Receivables {
    pub today: NaiveDate,
    pub items: Vec<Receivable>,
    /// All five buckets, in order (empty ones included).
    pub buckets: Vec<BucketTotal>,
    /// Past due (every bucket but "not yet due").
    pub overdue: Totals,
    pub overdue_count: usize,
}

impl Receivables {
    /// Ages `rows` as seen on `today`.
    pub fn of(rows: Vec<ObligationRow>, today: NaiveDate) -> Receivables {
        let mut buckets: Vec<BucketTotal> = Bucket::ALL
            .iter()
            .map(|&bucket| BucketTotal {
                bucket,
                count: 0,
                totals: Totals::new(),
            })
            .collect();
        let mut overdue = Totals::new();
        let mut overdue_count = 0;
        let items = rows
            .into_iter()
            .map(|row| {
                let days_overdue = (today - row.obligation.due).num_days();
                let bucket = Bucket::of(days_overdue);
                let b = &mut buckets[bucket as usize];
                b.count += 1;
                if let Some(a) = row.obligation.amount {
                    b.totals.add(row.obligation.currency.as_deref(), a);
                    if bucket != Bucket::NotDue {
                        overdue.add(row.obligation.currency.as_deref(), a);
                    }
                }
                if bucket != Bucket::NotDue {
                    overdue_count += 1;
                }
                Receivable {
                    row,
                    days_overdue,
                    bucket,
                }
            })
            .collect();
        Receivables {
            today,
            items,
            buckets,
            overdue,
            overdue_count,
        }
    }

    /// Reads and ages the open receivables.
    pub fn load(reader: &Reader<'_>, today: NaiveDate) -> Result<Receivables, StoreError> {
        Ok(Receivables::of(
            reader.open_receivables(RECEIVABLES_LIMIT)?,
            today,
        ))
    }

    /// The payment longest past due, if any is.
    pub fn oldest(&self) -> Option<&Receivable> {
        self.items.first().filter(|r| r.days_overdue > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Extra, Obligation, ObligationKind, Party};
    use rstest::rstest;

    #[rstest]
    #[case(-5, Bucket::NotDue)]
    #[case(0, Bucket::NotDue)]
    #[case(1, Bucket::Days0To30)]
    #[case(30, Bucket::Days0To30)]
    #[case(31, Bucket::Days31To60)]
    #[case(60, Bucket::Days31To60)]
    #[case(61, Bucket::Days61To90)]
    #[case(90, Bucket::Days61To90)]
    #[case(91, Bucket::Over90)]
    #[case(4000, Bucket::Over90)]
    fn buckets_by_days_overdue(#[case] days: i64, #[case] bucket: Bucket) {
        assert_eq!(Bucket::of(days), bucket);
    }

    fn row(id: i64, due: &str, amount: Option<f64>, currency: &str) -> ObligationRow {
        ObligationRow {
            obligation: Obligation {
                id,
                uid: format!("o{id}"),
                deal: 1,
                text: format!("Invoice {id}"),
                due: NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
                party: Some(Party::Client),
                kind: Some(ObligationKind::Payment),
                amount,
                currency: Some(currency.into()),
                status: None,
                done_at: None,
                extra: Extra::new(),
            },
            deal_title: "Contract".into(),
            account: 1,
            account_name: "Acme".into(),
        }
    }

    #[test]
    fn totals_per_bucket_and_currency() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let r = Receivables::of(
            vec![
                row(1, "2026-07-01", Some(500.0), "EUR"),
                row(2, "2026-11-10", Some(100.0), "EUR"),
                row(3, "2026-11-20", Some(9_000.0), "RUB"),
                row(4, "2026-11-20", None, "EUR"),
                row(5, "2026-12-05", Some(70.0), "EUR"),
            ],
            today,
        );
        let b = |bucket: Bucket| &r.buckets[bucket as usize];
        assert_eq!(b(Bucket::Over90).count, 1);
        assert!((b(Bucket::Over90).totals.get("EUR") - 500.0).abs() < 1e-9);
        assert_eq!(b(Bucket::Days0To30).count, 3);
        assert!((b(Bucket::Days0To30).totals.get("EUR") - 100.0).abs() < 1e-9);
        assert!((b(Bucket::Days0To30).totals.get("RUB") - 9_000.0).abs() < 1e-9);
        assert_eq!(b(Bucket::Days31To60).count, 0);
        assert!((b(Bucket::NotDue).totals.get("EUR") - 70.0).abs() < 1e-9);
        assert_eq!(r.overdue_count, 4);
        assert!((r.overdue.get("EUR") - 600.0).abs() < 1e-9);
        assert_eq!(r.oldest().map(|o| o.days_overdue), Some(149));
        assert_eq!(
            Receivables::of(vec![row(9, "2026-12-01", None, "EUR")], today).oldest(),
            None
        );
    }
}
