//! The people of a deal (issue 14.3): adding a person in a per-deal role, and taking one out.
//! The rules: a role is one of the deal-role vocabulary; a person holds a role in a deal once
//! (a second role is a second row); removing names the role, or takes every role of theirs.

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{DealPerson, DealRole, Id, RecordKind, RecordRef};

fn dref(id: Id) -> RecordRef {
    RecordRef::of(RecordKind::Deal, id)
}

fn names(tx: &Tx<'_, '_>, deal: Id, person: Id) -> Result<(String, String), OpsError> {
    let title = tx
        .w()
        .deal(deal)?
        .map(|(d, _)| d.title)
        .ok_or_else(|| OpsError::NotFound(format!("no deal {}", dref(deal))))?;
    let name = tx.w().person(person)?.map(|(p, _)| p.name).ok_or_else(|| {
        OpsError::NotFound(format!(
            "no person {}",
            RecordRef::of(RecordKind::Person, person)
        ))
    })?;
    Ok((title, name))
}

/// A person of a deal, in a role (`uid`: the new row's).
#[derive(Debug, Clone)]
pub struct AddDealPerson {
    pub deal: Id,
    pub person: Id,
    pub role: DealRole,
    pub uid: String,
}

impl Command for AddDealPerson {
    fn name(&self) -> &'static str {
        "deal person add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let (title, name) = names(tx, self.deal, self.person)?;
        let r = dref(self.deal);
        if tx
            .w()
            .deal_person(self.deal, self.person, self.role)?
            .is_some()
        {
            return Ok(Outcome::new(format!(
                "Nothing changed: {name} is already {} of {r} {title}",
                self.role
            ))
            .with_record(r));
        }
        let id = tx.w().upsert_deal_person(&DealPerson {
            id: 0,
            uid: self.uid.clone(),
            deal: self.deal,
            person: self.person,
            role: self.role,
        })?;
        tx.created("deal_people", id)?;
        let mut outcome =
            Outcome::new(format!("Added {name} to {r} {title} as {}", self.role)).with_record(r);
        outcome.row = Some(id);
        Ok(outcome)
    }
}

/// Takes a person out of a deal: one role, or (`role` `None`) every role they hold in it.
#[derive(Debug, Clone)]
pub struct RemoveDealPerson {
    pub deal: Id,
    pub person: Id,
    pub role: Option<DealRole>,
}

impl Command for RemoveDealPerson {
    fn name(&self) -> &'static str {
        "deal person remove"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let (title, name) = names(tx, self.deal, self.person)?;
        let r = dref(self.deal);
        let rows: Vec<DealPerson> = tx
            .w()
            .deal_roles_of(self.deal, self.person)?
            .into_iter()
            .filter(|d| self.role.is_none_or(|role| d.role == role))
            .collect();
        if rows.is_empty() {
            let what = self
                .role
                .map_or_else(|| "a person of".to_string(), |role| format!("{role} of"));
            return Err(OpsError::NotFound(format!(
                "{name} is not {what} {r} {title}; `kam deal show {r}` lists its people"
            )));
        }
        let mut roles = Vec::new();
        for d in &rows {
            tx.touch("deal_people", d.id)?;
            tx.w().remove_deal_person(d.id)?;
            roles.push(d.role.to_string());
        }
        Ok(Outcome::new(format!(
            "Removed {name} ({}) from {r} {title}",
            roles.join(", ")
        ))
        .with_record(r))
    }
}
