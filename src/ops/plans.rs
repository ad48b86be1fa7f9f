//! Plan commands: add, edit, archive and restore, and money spent on one. The rule: a plan says what it should
//! achieve (its objective).

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{Id, Plan, Spend};
use crate::store::Shelved;

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

/// Money spent on a plan (the plan's total spent grows with it).
#[derive(Debug, Clone)]
pub struct AddSpend {
    pub spend: Spend,
}

impl Command for AddSpend {
    fn name(&self) -> &'static str {
        "plan spend"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let plan = tx
            .w()
            .plan(self.spend.plan)?
            .map(|(p, _)| p)
            .ok_or_else(|| OpsError::NotFound(format!("no plan #{}", self.spend.plan)))?;
        // The rule, for every front: a spend is a positive amount (in the plan's currency).
        crate::domain::spend(&plan, self.spend.amount, None)
            .map_err(|e| OpsError::invalid(e.to_string()))?;
        tx.touch("plans", self.spend.plan)?;
        let id = tx.w().add_spend(&self.spend)?;
        tx.created("plan_spends", id)?;
        let mut outcome = Outcome::new(format!(
            "Spent {} on plan #{}",
            self.spend.amount, self.spend.plan
        ));
        outcome.row = Some(id);
        Ok(outcome)
    }
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
