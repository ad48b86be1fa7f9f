//! Product commands (issue 14.4): the catalogue (ours, and the competitors' equivalents), a
//! product's status with an account (each change a dated row: the history stays), the
//! objections a person raised about a product, and the products discussed in an interaction.
//! The rules: a competitor's product is the equivalent of one of ours (not of another
//! competitor's); setting the status an account already has writes nothing.

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{Id, Objection, Product, ProductStatusChange, RecordKind, RecordRef};

/// A product for the catalogue.
#[derive(Debug, Clone)]
pub struct AddProduct {
    pub product: Product,
}

impl Command for AddProduct {
    fn name(&self) -> &'static str {
        "product add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let p = &self.product;
        let of = match p.competitor_of {
            Some(of) => {
                let ours = tx
                    .w()
                    .product(of)?
                    .ok_or_else(|| OpsError::NotFound(format!("no product {of}")))?;
                if ours.competitor_of.is_some() {
                    return Err(OpsError::invalid(format!(
                        "--competitor-of \"{}\": that is a competitor's product; name ours it \
                         competes with, e.g. `kam product list` shows ours first",
                        crate::text::sanitize_line(&ours.name)
                    )));
                }
                format!(" (competes with {})", ours.name)
            }
            None => String::new(),
        };
        let id = tx.w().upsert_product(p)?;
        tx.created("products", id)?;
        let mut outcome = Outcome::new(format!("Added product {}{of}", p.name));
        outcome.row = Some(id);
        Ok(outcome)
    }
}

/// A product's status with an account from a day on (a new row of its history).
#[derive(Debug, Clone)]
pub struct SetProductStatus {
    pub change: ProductStatusChange,
}

impl Command for SetProductStatus {
    fn name(&self) -> &'static str {
        "product status"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let c = &self.change;
        let account = tx
            .w()
            .account(c.account)?
            .map(|(a, _)| a.name)
            .ok_or_else(|| {
                OpsError::NotFound(format!(
                    "no account {}",
                    RecordRef::of(RecordKind::Account, c.account)
                ))
            })?;
        let product = tx
            .w()
            .product(c.product)?
            .ok_or_else(|| OpsError::NotFound(format!("no product {}", c.product)))?;
        let history = tx.w().product_status_history(c.account, c.product)?;
        let current = history.last();
        if current.is_some_and(|h| h.status == c.status && h.day <= c.day) {
            return Ok(Outcome::new(format!(
                "Nothing changed: {} is already {} at {account}",
                product.name, c.status
            ))
            .with_record(RecordRef::of(RecordKind::Account, c.account)));
        }
        let id = tx.w().upsert_product_status(c)?;
        tx.created("product_statuses", id)?;
        let was = current
            .map(|h| format!(" (was {} since {})", h.status, h.day))
            .unwrap_or_default();
        let mut outcome = Outcome::new(format!(
            "{} {} at {account} since {}{was}",
            product.name, c.status, c.day
        ))
        .with_record(RecordRef::of(RecordKind::Account, c.account));
        outcome.row = Some(id);
        Ok(outcome)
    }
}

/// An objection a person raised about a product.
#[derive(Debug, Clone)]
pub struct AddObjection {
    pub objection: Objection,
}

impl Command for AddObjection {
    fn name(&self) -> &'static str {
        "objection add"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let o = &self.objection;
        let pref = RecordRef::of(RecordKind::Person, o.person);
        let person = tx
            .w()
            .person(o.person)?
            .map(|(p, _)| p.name)
            .ok_or_else(|| OpsError::NotFound(format!("no person {pref}")))?;
        let product = tx
            .w()
            .product(o.product)?
            .ok_or_else(|| OpsError::NotFound(format!("no product {}", o.product)))?;
        let id = tx.w().upsert_objection(o)?;
        tx.created("objections", id)?;
        let mut outcome = Outcome::new(format!(
            "Noted {person}'s objection to {}: {}",
            product.name, o.text
        ))
        .with_record(pref);
        outcome.row = Some(id);
        Ok(outcome)
    }
}

/// Products discussed in an interaction (added to those already noted).
#[derive(Debug, Clone)]
pub struct DiscussProducts {
    pub interaction: Id,
    pub products: Vec<Id>,
}

impl Command for DiscussProducts {
    fn name(&self) -> &'static str {
        "products discussed"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let r = RecordRef::of(RecordKind::Interaction, self.interaction);
        if tx.w().interaction(self.interaction)?.is_none() {
            return Err(OpsError::NotFound(format!("no interaction {r}")));
        }
        let names = discuss(tx, self.interaction, &self.products)?;
        Ok(Outcome::new(format!("Discussed in {r}: {}", names.join(", "))).with_record(r))
    }
}

/// Notes `products` as discussed in `interaction`; their names.
fn discuss(tx: &mut Tx<'_, '_>, interaction: Id, products: &[Id]) -> Result<Vec<String>, OpsError> {
    let mut names = Vec::new();
    for p in products {
        let product = tx
            .w()
            .product(*p)?
            .ok_or_else(|| OpsError::NotFound(format!("no product {p}")))?;
        names.push(product.name);
    }
    tx.touch_set("interaction_products", interaction)?;
    tx.w().add_products_discussed(interaction, products)?;
    Ok(names)
}

/// `command` (a note or a meeting written), then `products` noted as discussed in the
/// interaction it wrote: one command, one journal entry.
pub struct WithProducts {
    pub command: Box<dyn Command>,
    pub products: Vec<Id>,
}

impl Command for WithProducts {
    fn name(&self) -> &'static str {
        self.command.name()
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let mut outcome = self.command.apply(tx)?;
        if self.products.is_empty() {
            return Ok(outcome);
        }
        let interaction = outcome
            .record
            .filter(|r| r.kind == Some(RecordKind::Interaction))
            .map(|r| r.id)
            .ok_or_else(|| OpsError::invalid("--product goes with a note or a meeting"))?;
        let names = discuss(tx, interaction, &self.products)?;
        outcome
            .details
            .push(format!("Products discussed: {}", names.join(", ")));
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests;
