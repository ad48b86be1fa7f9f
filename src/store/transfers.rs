//! Transfers of value to healthcare professionals and organisations, read for the annual
//! disclosure (`kam tov YEAR`) and for the caps warned at entry (`crate::compliance`): a plan
//! spend with a `transfer` is shared evenly among the people it benefited; one without people
//! (a donation or a grant) went to the plan's account, or to the account of the plan's person.

use chrono::NaiveDate;
use rusqlite::params;

use crate::domain::{Id, Transfer};

use super::codec::{date_text, vocab_req};
use super::{Reader, StoreError};

/// Who received a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Recipient {
    /// A healthcare professional (a person).
    Person,
    /// A healthcare organisation (an account).
    Organisation,
}

/// One recipient's total of one kind of transfer in one currency over a period.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TovLine {
    pub recipient: Recipient,
    /// The person's or the account's id.
    pub id: Id,
    pub name: String,
    /// The person's account, for a person.
    pub account: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub transfer: Transfer,
    /// The plan's currency.
    pub currency: Option<String>,
    /// The recipient's share of every such spend, summed (not yet rounded).
    pub amount: f64,
    /// How many spends it sums.
    pub entries: u32,
}

/// The spends with a transfer on the days `from..to`, with their number of beneficiaries and the
/// organisation a donation or grant went to.
const SHARES: &str = "WITH shares AS (
    SELECT s.id, s.transfer, s.amount, pl.currency,
           (SELECT count(*) FROM plan_spend_people x WHERE x.spend_id = s.id) AS n,
           coalesce(pl.account_id,
                    (SELECT account_id FROM people WHERE id = pl.person_id)) AS org
    FROM plan_spends s JOIN plans pl ON pl.id = s.plan_id
    WHERE s.transfer IS NOT NULL AND s.day >= ?1 AND s.day < ?2
)";

impl Reader<'_> {
    /// Every recipient's transfers on the days `from..to` (end excluded), one line per
    /// recipient, kind of transfer and currency: people in the order of the people list (family
    /// name first, [`crate::domain::person_name::sort_key`]), then organisations by name.
    /// With `person`, that person's lines only.
    pub fn transfers_of_value(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        person: Option<Id>,
    ) -> Result<Vec<TovLine>, StoreError> {
        let sql = format!(
            "{SHARES}
             SELECT 0, p.id, coalesce(p.salutation || ' ', '') || p.name, a.name, a.city,
                    a.country, sh.transfer,
                    sh.currency, sum(sh.amount / sh.n), count(*), p.sort_key
             FROM shares sh
             JOIN plan_spend_people sp ON sp.spend_id = sh.id
             JOIN people p ON p.id = sp.person_id
             LEFT JOIN accounts a ON a.id = p.account_id
             WHERE sh.n > 0 AND (?3 IS NULL OR p.id = ?3)
             GROUP BY p.id, sh.transfer, sh.currency
             UNION ALL
             SELECT 1, a.id, a.name, NULL, a.city, a.country, sh.transfer, sh.currency,
                    sum(sh.amount), count(*), a.name
             FROM shares sh JOIN accounts a ON a.id = sh.org
             WHERE sh.n = 0 AND ?3 IS NULL
             GROUP BY a.id, sh.transfer, sh.currency"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![date_text(from), date_text(to), person])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let order: String = r.get(10)?;
            out.push((
                order,
                TovLine {
                    recipient: if r.get::<_, i64>(0)? == 0 {
                        Recipient::Person
                    } else {
                        Recipient::Organisation
                    },
                    id: r.get(1)?,
                    name: r.get(2)?,
                    account: r.get(3)?,
                    city: r.get(4)?,
                    country: r.get(5)?,
                    transfer: vocab_req(&r.get::<_, String>(6)?)?,
                    currency: r.get(7)?,
                    amount: r.get(8)?,
                    entries: r.get(9)?,
                },
            ));
        }
        // Within a recipient, in the order of the vocabulary (the disclosure's order).
        out.sort_by(|(ka, a), (kb, b)| {
            (a.recipient as u8, ka, a.id, a.transfer, &a.currency).cmp(&(
                b.recipient as u8,
                kb,
                b.id,
                b.transfer,
                &b.currency,
            ))
        });
        Ok(out.into_iter().map(|(_, line)| line).collect())
    }

    /// What `person` received on the days `from..to` in `currency` (`None`: plans without a
    /// currency), every transfer to a person together: the base of the annual limit.
    pub fn person_transfers_total(
        &self,
        person: Id,
        from: NaiveDate,
        to: NaiveDate,
        currency: Option<&str>,
    ) -> Result<f64, StoreError> {
        Ok(self
            .transfers_of_value(from, to, Some(person))?
            .iter()
            .filter(|l| {
                l.currency.as_deref().map(str::to_ascii_uppercase)
                    == currency.map(str::to_ascii_uppercase)
            })
            .map(|l| l.amount)
            .sum())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use crate::domain::{Id, Plan, PlanSubject, Spend, SpendCategory, Transfer};
    use crate::store::Recipient;
    use crate::store::testing::{self, account, person};

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn spend(plan: Id, on: &str, amount: f64, transfer: Option<Transfer>, people: &[Id]) -> Spend {
        Spend {
            id: 0,
            plan,
            day: day(on),
            category: SpendCategory::Other,
            amount,
            note: None,
            transfer,
            benefited: people.to_vec(),
        }
    }

    #[test]
    fn shares_are_even_and_grants_go_to_the_account_within_the_year() {
        let mut store = testing::store();
        let (ana, luis, plan) = store
            .write(testing::now(), |w| {
                let a = w.upsert_account(&account("a", "Clínic"), None, None)?;
                let ana = w.upsert_person(&person("p1", "Ana", Some(a)), None, None)?;
                let luis = w.upsert_person(&person("p2", "Luis", Some(a)), None, None)?;
                let plan = w.upsert_plan(&Plan {
                    id: 0,
                    uid: "l".into(),
                    objective: "Board".into(),
                    subject: PlanSubject::Person(ana),
                    target: None,
                    budget: None,
                    spent: None,
                    currency: Some("EUR".into()),
                    status: None,
                    notes: None,
                    extra: crate::domain::Extra::new(),
                })?;
                let meal = Some(Transfer::Meal);
                w.add_spend(&spend(plan, "2026-03-01", 100.0, meal, &[ana, luis]))?;
                w.add_spend(&spend(plan, "2026-12-31", 10.0, meal, &[ana]))?;
                // Outside 2026, and no transfer at all: not counted.
                w.add_spend(&spend(plan, "2027-01-01", 999.0, meal, &[ana]))?;
                w.add_spend(&spend(plan, "2026-05-01", 999.0, None, &[]))?;
                // A grant on a person's plan goes to that person's account.
                w.add_spend(&spend(
                    plan,
                    "2026-06-01",
                    500.0,
                    Some(Transfer::Grant),
                    &[],
                ))?;
                Ok((ana, luis, plan))
            })
            .unwrap();
        let _ = plan;
        let r = store.reader();
        let lines = r
            .transfers_of_value(day("2026-01-01"), day("2027-01-01"), None)
            .unwrap();
        let got: Vec<_> = lines
            .iter()
            .map(|l| {
                (
                    l.recipient,
                    l.name.as_str(),
                    l.transfer,
                    l.amount,
                    l.entries,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (Recipient::Person, "Ana", Transfer::Meal, 60.0, 2),
                (Recipient::Person, "Luis", Transfer::Meal, 50.0, 1),
                (Recipient::Organisation, "Clínic", Transfer::Grant, 500.0, 1),
            ]
        );
        let luis_only = r
            .transfers_of_value(day("2026-01-01"), day("2027-01-01"), Some(luis))
            .unwrap();
        assert_eq!(luis_only.len(), 1);
        let total = |currency| {
            r.person_transfers_total(ana, day("2026-01-01"), day("2027-01-01"), currency)
                .unwrap()
        };
        assert!((total(Some("eur")) - 60.0).abs() < 1e-9);
        assert!(total(Some("USD")).abs() < 1e-9);
    }
}
