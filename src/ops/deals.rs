//! Deal commands: add (at its first stage), edit, archive and restore, obligations added and
//! marked done. The
//! rules: a deal starts open (a loss goes through a stage move, with its reason); a value or an
//! amount comes with its currency.

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{
    AnyStage, Deal, DealStage, Id, Obligation, ObligationStatus, RecordKind, RecordRef,
};
use crate::store::Shelved;

fn dref(id: Id) -> RecordRef {
    RecordRef::of(RecordKind::Deal, id)
}

fn needs_currency(amount: Option<f64>, currency: Option<&str>, flag: &str) -> Result<(), OpsError> {
    if amount.is_some() && currency.is_none() {
        return Err(OpsError::invalid(format!(
            "{flag} needs its --currency (ISO 4217, e.g. --currency EUR)"
        )));
    }
    Ok(())
}

/// A new deal at `stage` (open).
#[derive(Debug, Clone)]
pub struct AddDeal {
    pub deal: Deal,
    pub stage: DealStage,
    /// The account's name, for the message.
    pub account_name: String,
}

impl Command for AddDeal {
    fn name(&self) -> &'static str {
        "deal add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        if self.stage == DealStage::Lost {
            return Err(OpsError::invalid(
                "a deal starts open; record a loss with `kam stage #dN lost --note REASON`",
            ));
        }
        needs_currency(self.deal.value, self.deal.currency.as_deref(), "--value")?;
        let id = tx.w().upsert_deal(&self.deal, None, None)?;
        tx.created("deals", id)?;
        tx.created_set("deal_milestones", id)?;
        if let Some(c) = tx.w().move_stage(id, AnyStage::Deal(self.stage), None)? {
            tx.created("stage_changes", c.id)?;
        }
        Ok(Outcome::new(format!(
            "Added deal {} {} · {}",
            dref(id),
            self.deal.title,
            self.account_name
        ))
        .with_record(dref(id)))
    }
}

/// A deal's fields as edited (read at `version`).
#[derive(Debug, Clone)]
pub struct EditDeal {
    pub deal: Deal,
    pub version: i64,
}

impl Command for EditDeal {
    fn name(&self) -> &'static str {
        "deal edit"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        needs_currency(self.deal.value, self.deal.currency.as_deref(), "--value")?;
        let id = self.deal.id;
        tx.touch("deals", id)?;
        tx.touch_set("deal_milestones", id)?;
        let changed = tx.w().update_deal(&self.deal, self.version)?;
        Ok(Outcome::new(super::saved_or_unchanged(
            changed,
            "deal",
            &dref(id),
            &self.deal.title,
        ))
        .with_record(dref(id)))
    }
}

/// A new obligation of a deal.
#[derive(Debug, Clone)]
pub struct AddObligation {
    pub obligation: Obligation,
    /// The deal as the message names it ("#d2 Tender").
    pub deal_label: String,
}

impl Command for AddObligation {
    fn name(&self) -> &'static str {
        "obligation add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let o = &self.obligation;
        needs_currency(o.amount, o.currency.as_deref(), "--amount")?;
        let id = tx.w().upsert_obligation(o)?;
        tx.created("obligations", id)?;
        let mut outcome = Outcome::new(format!(
            "Added obligation [{id}] to {}: {}",
            self.deal_label, o.text
        ));
        outcome.row = Some(id);
        Ok(outcome.with_record(dref(o.deal)))
    }
}

/// Marks an obligation done (delivered, paid).
#[derive(Debug, Clone)]
pub struct CompleteObligation {
    pub id: Id,
}

impl Command for CompleteObligation {
    fn name(&self) -> &'static str {
        "obligation done"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let n = self.id;
        let (o, version) = tx
            .w()
            .obligation(n)?
            .ok_or_else(|| OpsError::NotFound(format!("no obligation {n}")))?;
        if o.status == Some(ObligationStatus::Done) {
            return Ok(Outcome::new(format!("[{n}] {} was already done", o.text)));
        }
        tx.touch("obligations", n)?;
        tx.w().complete_obligation(n, version)?;
        Ok(Outcome::new(format!("Done: [{n}] {}", o.text)).with_record(dref(o.deal)))
    }
}

/// Archives a deal (out of the pipeline, the agenda, the insights and the lists; kept with its
/// history, restorable), or restores one.
#[derive(Debug, Clone)]
pub struct ArchiveDeal {
    pub id: Id,
    /// The version shown (the TUI checks it); `None` from the command line.
    pub version: Option<i64>,
    /// Restore instead of archive.
    pub restore: bool,
}

impl Command for ArchiveDeal {
    fn name(&self) -> &'static str {
        if self.restore {
            "deal restore"
        } else {
            "deal archive"
        }
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let r = dref(self.id);
        let title = tx
            .w()
            .deal(self.id)?
            .map(|(d, _)| d.title)
            .ok_or_else(|| OpsError::NotFound(format!("no deal {r}")))?;
        shelve(
            tx,
            Shelved::Deal,
            self.id,
            self.version,
            self.restore,
            &format!("{r} {title}"),
            &format!("kam deal restore {r}"),
        )?;
        let verb = if self.restore { "Restored" } else { "Archived" };
        Ok(Outcome::new(format!("{verb} deal {r} {title}")).with_record(r))
    }
}

/// Sets or clears the archive stamp of a deal or plan (`label` names it in messages, `back`
/// is the command that restores it), checking the version shown and that it is not already
/// where it is asked to go.
pub(super) fn shelve(
    tx: &mut Tx<'_, '_>,
    what: Shelved,
    id: Id,
    version: Option<i64>,
    restore: bool,
    label: &str,
    back: &str,
) -> Result<(), OpsError> {
    let (at, read) = tx
        .w()
        .archived_at(what, id)?
        .ok_or_else(|| OpsError::NotFound(format!("no {label}")))?;
    if version.is_some_and(|v| v != read) {
        return Err(OpsError::Conflict {
            what: label.to_string(),
        });
    }
    match (at.is_some(), restore) {
        (false, true) => return Err(OpsError::invalid(format!("{label} is not archived"))),
        (true, false) => {
            return Err(OpsError::invalid(format!(
                "{label} is already archived; `{back}` brings it back"
            )));
        }
        _ => {}
    }
    let table = match what {
        Shelved::Deal => "deals",
        Shelved::Plan => "plans",
    };
    tx.touch(table, id)?;
    let now = tx.now();
    tx.w()
        .set_archived(what, id, (!restore).then_some(&now), read)?;
    Ok(())
}
