//! Long-term plans for an account or a person.

use rusqlite::{Row, params};

use crate::domain::{Id, Plan, PlanSubject, check_amount, check_currency, check_text};

use super::codec::{date_text, extra_json, opt_str, parse_extra, parse_opt_date, ts_text, vocab};
use super::{Reader, StoreError, Writer};

pub const PLAN_SELECT: &str = "id, uid, objective, account_id, person_id, target, budget, spent, currency, status, notes, extra";

pub fn plan_row(row: &Row<'_>) -> Result<Plan, StoreError> {
    let subject = match (row.get::<_, Option<Id>>(3)?, row.get::<_, Option<Id>>(4)?) {
        (Some(a), None) => PlanSubject::Account(a),
        (None, Some(p)) => PlanSubject::Person(p),
        _ => {
            return Err(StoreError::Corrupt(
                "a plan without exactly one subject".into(),
            ));
        }
    };
    Ok(Plan {
        id: row.get(0)?,
        uid: row.get(1)?,
        objective: row.get(2)?,
        subject,
        target: parse_opt_date(row.get(5)?)?,
        budget: row.get(6)?,
        spent: row.get(7)?,
        currency: row.get(8)?,
        status: vocab(row.get(9)?)?,
        notes: row.get(10)?,
        extra: parse_extra(&row.get::<_, String>(11)?)?,
    })
}

impl Reader<'_> {
    /// The plans of an account or of a person.
    pub fn plans_of(&self, subject: PlanSubject) -> Result<Vec<Plan>, StoreError> {
        let (account, person) = match subject {
            PlanSubject::Account(a) => (Some(a), None),
            PlanSubject::Person(p) => (None, Some(p)),
        };
        let sql = format!(
            "SELECT {PLAN_SELECT} FROM plans WHERE account_id IS ?1 AND person_id IS ?2
             ORDER BY target IS NULL, target, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![account, person])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(plan_row(r)?);
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Adds the plan, or updates the one with the same uid.
    pub fn upsert_plan(&self, p: &Plan) -> Result<Id, StoreError> {
        check_text("objective", &p.objective)?;
        if let Some(n) = &p.notes {
            check_text("notes", n)?;
        }
        if let Some(c) = &p.currency {
            check_currency("currency", c)?;
        }
        for (field, value) in [("budget", p.budget), ("spent", p.spent)] {
            if let Some(v) = value {
                check_amount(field, v)?;
            }
        }
        let (account, person) = match p.subject {
            PlanSubject::Account(a) => (Some(a), None),
            PlanSubject::Person(id) => (None, Some(id)),
        };
        let mut stmt = self.conn.prepare_cached(
            "INSERT INTO plans (uid, objective, account_id, person_id, target, budget, spent,
                currency, status, notes, extra, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)
             ON CONFLICT(uid) DO UPDATE SET objective=?2, account_id=?3, person_id=?4, target=?5,
                budget=?6, spent=?7, currency=?8, status=?9, notes=?10, extra=?11,
                updated_at=?12, version=version+1
             RETURNING id",
        )?;
        Ok(stmt.query_row(
            params![
                p.uid,
                p.objective,
                account,
                person,
                p.target.map(date_text),
                p.budget,
                p.spent,
                p.currency,
                opt_str(p.status),
                p.notes,
                extra_json(&p.extra),
                ts_text(&self.now),
            ],
            |r| r.get(0),
        )?)
    }
}
