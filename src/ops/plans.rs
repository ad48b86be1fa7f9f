//! Plan commands: add, edit, archive and restore, and money spent on one. The rule: a plan says what it should
//! achieve (its objective).

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};

use super::{Command, OpsError, Outcome, Tx};
use crate::compliance::{YearSoFar, transfer_of, warnings};
use crate::config::ComplianceConfig;
use crate::domain::{Id, Plan, Spend};
use crate::store::{Reader, Shelved};

/// A new plan for an account or a person.
#[derive(Debug, Clone)]
pub struct AddPlan {
    pub plan: Plan,
}

impl Command for AddPlan {
    fn name(&self) -> &'static str {
        "plan add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        if self.plan.objective.trim().is_empty() {
            return Err(OpsError::invalid(
                "--objective is missing: what should the plan achieve? e.g. --objective \"Advisory board chair\"",
            ));
        }
        let id = tx.w().upsert_plan(&self.plan)?;
        tx.created("plans", id)?;
        let mut outcome = Outcome::new(format!("Added plan #{id}: {}", self.plan.objective));
        outcome.row = Some(id);
        Ok(outcome)
    }
}

/// A plan's fields as edited (read at `version`).
#[derive(Debug, Clone)]
pub struct EditPlan {
    pub plan: Plan,
    pub version: i64,
}

impl Command for EditPlan {
    fn name(&self) -> &'static str {
        "plan edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        if self.plan.objective.trim().is_empty() {
            return Err(OpsError::invalid(
                "--objective \"\": a plan needs its objective, e.g. --objective \"Advisory board chair\"",
            ));
        }
        tx.touch("plans", self.plan.id)?;
        let changed = tx.w().update_plan(&self.plan, self.version)?;
        let said = if changed { "Saved" } else { "Nothing changed:" };
        let mut outcome = Outcome::new(format!(
            "{said} plan #{}: {}",
            self.plan.id, self.plan.objective
        ));
        outcome.row = Some(self.plan.id);
        Ok(outcome)
    }
}

/// Money spent on a plan (the plan's total spent grows with it). With the people it benefited
/// and what kind of transfer it was, a transfer of value: the rules of `crate::compliance`
/// decide who may receive it (refused otherwise) and its caps are warned in the outcome's
/// details (`rules`, from `[compliance]`).
#[derive(Debug, Clone)]
pub struct AddSpend {
    /// `transfer` is the one asked for (`None`: implied by the category when people are named).
    pub spend: Spend,
    pub rules: ComplianceConfig,
}

impl Command for AddSpend {
    fn name(&self) -> &'static str {
        "plan spend"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let (spend, checked) = check_spend(tx.w(), &self.spend, &self.rules)?;
        let SpendCheck {
            currency,
            year,
            warnings: warned,
        } = checked;
        tx.touch("plans", spend.plan)?;
        let id = tx.w().add_spend(&spend)?;
        tx.created("plan_spends", id)?;
        if !spend.benefited.is_empty() {
            tx.created_set("plan_spend_people", id)?;
        }
        let currency = currency.as_deref();
        let mut message = format!(
            "Spent {} on plan #{}",
            crate::money::format_money_short(spend.amount, currency),
            spend.plan
        );
        if let Some(t) = spend.transfer {
            let whom = match year.len() {
                0 => "the account".to_string(),
                1 => year[0].name.clone(),
                n => format!("{n} people"),
            };
            let _ = write!(message, " ({t} for {whom})");
        }
        if !warned.is_empty() {
            message.push_str(" — over a compliance rule, see the details");
        }
        let mut outcome = Outcome::new(crate::text::sanitize_line(&message));
        outcome.details = warned;
        outcome.row = Some(id);
        Ok(outcome)
    }
}

/// What a spend would record, known before it is recorded: a front shows the warnings before
/// it runs [`AddSpend`], which warns the same.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendCheck {
    /// The plan's currency.
    pub currency: Option<String>,
    /// Each person it benefited, by name, with what they received this year before it.
    pub year: Vec<YearSoFar>,
    /// The `[compliance]` caps it breaks, one line each.
    pub warnings: Vec<String>,
}

/// Checks `asked` as [`AddSpend`] records it: the spend as it would be saved (people once
/// each, its transfer decided), or why it is refused (who may not receive it, no such plan or
/// person, not a positive amount), and its [`SpendCheck`].
pub fn check_spend(
    reader: &Reader<'_>,
    asked: &Spend,
    rules: &ComplianceConfig,
) -> Result<(Spend, SpendCheck), OpsError> {
    let mut spend = asked.clone();
    spend.benefited.sort_unstable();
    spend.benefited.dedup();
    spend.transfer = transfer_of(spend.category, spend.transfer, spend.benefited.len())
        .map_err(|e| OpsError::invalid(e.to_string()))?;
    let plan = reader
        .plan(spend.plan)?
        .map(|(p, _)| p)
        .ok_or_else(|| OpsError::NotFound(format!("no plan #{}", spend.plan)))?;
    // The rule, for every front: a spend is a positive amount (in the plan's currency).
    crate::domain::spend(&plan, spend.amount, None)
        .map_err(|e| OpsError::invalid(e.to_string()))?;
    let mut year = Vec::with_capacity(spend.benefited.len());
    if spend.transfer.is_some() {
        let (from, to) = calendar_year(spend.day);
        for person in &spend.benefited {
            let Some((p, _)) = reader.person(*person)? else {
                return Err(OpsError::invalid(format!(
                    "for: person #p{person} not found"
                )));
            };
            let total =
                reader.person_transfers_total(*person, from, to, plan.currency.as_deref())?;
            year.push(YearSoFar {
                name: p.name,
                total,
            });
        }
    }
    let warnings = spend
        .transfer
        .map(|t| warnings(rules, t, spend.amount, plan.currency.as_deref(), &year))
        .unwrap_or_default();
    Ok((
        spend,
        SpendCheck {
            currency: plan.currency,
            year,
            warnings,
        },
    ))
}

/// The calendar year `day` is in, as the days `from..to`.
fn calendar_year(day: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day);
    let to = NaiveDate::from_ymd_opt(day.year() + 1, 1, 1).unwrap_or(NaiveDate::MAX);
    (from, to)
}

/// Archives a plan (out of the dossiers, the plan list and the insights; kept, restorable), or
/// restores one.
#[derive(Debug, Clone)]
pub struct ArchivePlan {
    pub id: Id,
    /// The version shown; `None` from the command line.
    pub version: Option<i64>,
    /// Restore instead of archive.
    pub restore: bool,
}

impl Command for ArchivePlan {
    fn name(&self) -> &'static str {
        if self.restore {
            "plan restore"
        } else {
            "plan archive"
        }
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let id = self.id;
        let objective = tx
            .w()
            .plan(id)?
            .map(|(p, _)| p.objective)
            .ok_or_else(|| OpsError::NotFound(format!("no plan #{id}")))?;
        super::deals::shelve(
            tx,
            Shelved::Plan,
            id,
            self.version,
            self.restore,
            &format!("plan #{id} {objective}"),
            &format!("kam plan restore {id}"),
        )?;
        let verb = if self.restore { "Restored" } else { "Archived" };
        let mut outcome = Outcome::new(format!("{verb} plan #{id}: {objective}"));
        outcome.row = Some(id);
        Ok(outcome)
    }
}
