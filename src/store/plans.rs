//! Long-term plans for an account or a person: the plan, its spend entries (which add up into
//! its `spent`), and the follow-ups that are its steps (`followups.plan_id`).

use rusqlite::{OptionalExtension, Row, params};

use crate::domain::{
    FollowUp, Id, Plan, PlanStatus, PlanSubject, Spend, StepCount, Vocabulary, check_amount,
    check_currency, check_money, check_text,
};

use super::codec::{
    date_text, extra_json, opt_str, parse_date, parse_extra, parse_opt_date, ts_text, vocab,
    vocab_req,
};
use super::{Reader, StoreError, UidTable, Writer};

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
               AND archived_at IS NULL
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
        let t = UidTable::Plans;
        self.new_rule(t, &p.uid, "currency", p.currency.as_ref(), |c| {
            check_currency("currency", c)
        })?;
        self.new_rule(t, &p.uid, "budget", p.budget.as_ref(), |v| {
            check_money("budget", *v)
        })?;
        self.new_rule(t, &p.uid, "spent", p.spent.as_ref(), |v| {
            check_money("spent", *v)
        })?;
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

/// The extension key that carries a follow-up's plan (the plan's uid) in JSON Lines.
pub const X_PLAN: &str = "x-plan";
/// The extension key that carries a plan's spend entries in JSON Lines: an array of
/// `{"day","category","amount","note"}`.
pub const X_SPEND: &str = "x-spend";

/// A plan in a list, with what it is for and how far its steps are.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRow {
    pub plan: Plan,
    /// The version read: an edit checks it.
    pub version: i64,
    /// The account's or the person's name.
    pub subject_name: String,
    pub steps: StepCount,
}

const SPEND_COLUMNS: &str = "id, plan_id, day, category, amount, note, transfer";

fn spend_row(r: &Row<'_>) -> Result<Spend, StoreError> {
    Ok(Spend {
        id: r.get(0)?,
        plan: r.get(1)?,
        day: parse_date(&r.get::<_, String>(2)?)?,
        category: vocab_req(&r.get::<_, String>(3)?)?,
        amount: r.get(4)?,
        note: r.get(5)?,
        transfer: vocab(r.get(6)?)?,
        benefited: Vec::new(),
    })
}

impl Reader<'_> {
    /// One plan and its version.
    pub fn plan(&self, id: Id) -> Result<Option<(Plan, i64)>, StoreError> {
        let sql = format!("SELECT {PLAN_SELECT}, version FROM plans WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(r) => Ok(Some((plan_row(r)?, r.get(12)?))),
            None => Ok(None),
        }
    }

    /// Plans (of one `status`, or all; in use, or the `archived` ones), soonest target first,
    /// with their subject and steps.
    pub fn plan_rows(
        &self,
        status: Option<PlanStatus>,
        archived: bool,
        limit: u32,
    ) -> Result<Vec<PlanRow>, StoreError> {
        let sql = format!(
            "SELECT {PLAN_SELECT}, version,
                coalesce((SELECT name FROM accounts WHERE id = plans.account_id),
                         (SELECT name FROM people WHERE id = plans.person_id), ''),
                (SELECT count(*) FROM followups f WHERE f.plan_id = plans.id AND f.status = 'done'),
                (SELECT count(*) FROM followups f WHERE f.plan_id = plans.id
                    AND f.status != 'cancelled')
             FROM plans WHERE (?1 IS NULL OR status = ?1) AND (archived_at IS NOT NULL) = ?3
             ORDER BY target IS NULL, target, id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![status.map(Vocabulary::as_str), limit, archived])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(PlanRow {
                plan: plan_row(r)?,
                version: r.get(12)?,
                subject_name: r.get(13)?,
                steps: StepCount {
                    done: r.get(14)?,
                    total: r.get(15)?,
                },
            });
        }
        Ok(out)
    }

    /// A plan's steps: its follow-ups done, of those not cancelled.
    pub fn plan_steps(&self, plan: Id) -> Result<StepCount, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(status = 'done'), 0), count(*) FROM followups
             WHERE plan_id = ?1 AND status != 'cancelled'",
            )?
            .query_row([plan], |r| {
                Ok(StepCount {
                    done: r.get(0)?,
                    total: r.get(1)?,
                })
            })?)
    }

    /// The follow-ups that are a plan's steps (cancelled ones too), in date order.
    pub fn plan_step_list(&self, plan: Id, limit: u32) -> Result<Vec<FollowUp>, StoreError> {
        let sql = format!(
            "SELECT {} FROM followups f WHERE f.plan_id = ?1 ORDER BY f.due_date, f.id LIMIT ?2",
            super::followups::COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![plan, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(super::followups::read_row(r)?.0);
        }
        Ok(out)
    }

    /// The plan a follow-up is a step of.
    pub fn followup_plan(&self, followup: Id) -> Result<Option<Id>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT plan_id FROM followups WHERE id = ?1")?
            .query_row([followup], |r| r.get(0))
            .optional()?
            .flatten())
    }

    /// A plan's spend entries, oldest first, each with the people it benefited.
    pub fn plan_spends(&self, plan: Id) -> Result<Vec<Spend>, StoreError> {
        let sql =
            format!("SELECT {SPEND_COLUMNS} FROM plan_spends WHERE plan_id = ?1 ORDER BY day, id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([plan])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(spend_row(r)?);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT sp.spend_id, sp.person_id FROM plan_spend_people sp
             JOIN plan_spends s ON s.id = sp.spend_id
             WHERE s.plan_id = ?1 ORDER BY sp.spend_id, sp.person_id",
        )?;
        let mut rows = stmt.query([plan])?;
        while let Some(r) = rows.next()? {
            let (spend, person): (Id, Id) = (r.get(0)?, r.get(1)?);
            if let Some(s) = out.iter_mut().find(|s| s.id == spend) {
                s.benefited.push(person);
            }
        }
        Ok(out)
    }

    /// Puts the plan's spend entries in its extension data ([`X_SPEND`]), for an export.
    pub(super) fn put_spends_in_extra(&self, plan: &mut Plan) -> Result<(), StoreError> {
        let spends = self.plan_spends(plan.id)?;
        if !spends.is_empty() {
            let list = spends
                .iter()
                .map(|s| {
                    let mut o = serde_json::Map::new();
                    o.insert("day".into(), date_text(s.day).into());
                    o.insert("category".into(), s.category.as_str().into());
                    o.insert("amount".into(), s.amount.into());
                    if let Some(n) = &s.note {
                        o.insert("note".into(), n.clone().into());
                    }
                    if let Some(t) = s.transfer {
                        o.insert("transfer".into(), t.as_str().into());
                    }
                    if !s.benefited.is_empty() {
                        let uids = s
                            .benefited
                            .iter()
                            .map(|p| {
                                self.uid_of(UidTable::People, *p)
                                    .map(serde_json::Value::from)
                            })
                            .collect::<Result<Vec<_>, _>>()?;
                        o.insert("for".into(), serde_json::Value::Array(uids));
                    }
                    Ok(serde_json::Value::Object(o))
                })
                .collect::<Result<Vec<_>, StoreError>>()?;
            plan.extra
                .insert(X_SPEND.into(), serde_json::Value::Array(list));
        }
        Ok(())
    }
}

impl Writer<'_> {
    /// Saves an edit of plan `p.id`, unless it changed since `version` was read; false, and
    /// nothing written, when the edit changes nothing.
    pub fn update_plan(&self, p: &Plan, version: i64) -> Result<bool, StoreError> {
        self.check_version("plans", p.id, Some(&p.uid), version, || {
            format!("plan {}", p.id)
        })?;
        if self.plan(p.id)?.is_some_and(|(stored, _)| stored == *p) {
            return Ok(false);
        }
        self.upsert_plan(p)?;
        Ok(true)
    }

    /// Records a spend and adds it to the plan's `spent`, in one step; the amount must already
    /// be checked against the plan's currency ([`crate::domain::spend`]).
    pub fn add_spend(&self, s: &Spend) -> Result<Id, StoreError> {
        check_amount("amount", s.amount)?;
        if let Some(n) = &s.note {
            check_text("note", n)?;
        }
        // The new `spent` is summed on the decimals (an f64 sum drifts: 0.1 + 0.2 would be
        // kept as 0.30000000000000004, an amount the plan's next edit refuses).
        let Some(spent) = self
            .conn
            .prepare_cached("SELECT coalesce(spent, 0) FROM plans WHERE id = ?1")?
            .query_row([s.plan], |r| r.get::<_, f64>(0))
            .optional()?
        else {
            return Err(StoreError::NotFound {
                what: format!("plan {}", s.plan),
            });
        };
        let spent = crate::money::exact_sum(spent, s.amount);
        check_amount("spent", spent)?;
        let id = self.insert_spend(s)?;
        self.conn
            .prepare_cached(
                "UPDATE plans SET spent = ?2, updated_at = ?3, version = version + 1
                 WHERE id = ?1",
            )?
            .execute(params![s.plan, spent, ts_text(&self.now)])?;
        Ok(id)
    }

    fn insert_spend(&self, s: &Spend) -> Result<Id, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "INSERT INTO plan_spends (plan_id, day, category, amount, note, created_at, transfer)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            )?
            .query_row(
                params![
                    s.plan,
                    date_text(s.day),
                    s.category.as_str(),
                    s.amount,
                    s.note,
                    ts_text(&self.now),
                    s.transfer.map(Vocabulary::as_str),
                ],
                |r| r.get::<_, Id>(0),
            )
            .and_then(|id| {
                let mut add = self.conn.prepare_cached(
                    "INSERT OR IGNORE INTO plan_spend_people (spend_id, person_id) VALUES (?1, ?2)",
                )?;
                for person in &s.benefited {
                    add.execute([id, *person])?;
                }
                Ok(id)
            })?)
    }

    /// Replaces a plan's spend entries (an import), leaving its `spent` as the file gives it.
    pub fn replace_spends(&self, plan: Id, spends: &[Spend]) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("DELETE FROM plan_spends WHERE plan_id = ?1")?
            .execute([plan])?;
        for s in spends {
            check_amount("amount", s.amount)?;
            if let Some(n) = &s.note {
                check_text("note", n)?;
            }
            self.insert_spend(&Spend { plan, ..s.clone() })?;
        }
        Ok(())
    }

    /// Makes a follow-up a step of `plan` (or of none).
    pub fn set_followup_plan(&self, followup: Id, plan: Option<Id>) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE followups SET plan_id = ?2 WHERE id = ?1")?
            .execute(params![followup, plan])?;
        Ok(())
    }
}
