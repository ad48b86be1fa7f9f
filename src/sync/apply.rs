//! What comes back from the server, applied: the ops commands an item brings (a move, a new
//! title, a cancellation, a follow-up done, an edited card, a note keeping the other side of a
//! conflict) run as ONE command, in one transaction with one journal entry (`kam undo` takes
//! the whole item back), together with the item's sync state. A sync killed between two items
//! leaves every item either fully applied and recorded, or untouched.

use crate::domain::{Id, RecordRef};
use crate::ops::{Command, OpsError, Outcome, Tx};
use crate::store::SyncedItem;

/// What the item's sync state becomes with the change.
pub enum StateChange {
    /// Record this state.
    Put(SyncedItem),
    /// Record this state for the record the first command creates (a new meeting or person
    /// from the server); its `record_id` is filled in.
    PutCreated(SyncedItem),
    /// Forget the item at this href.
    Drop { collection: String, href: String },
}

/// An item's changes from the server, with its new sync state.
pub struct FromServer {
    pub commands: Vec<Box<dyn Command>>,
    pub state: StateChange,
}

impl Command for FromServer {
    fn name(&self) -> &'static str {
        "sync"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let mut messages = Vec::new();
        let mut outcome = Outcome::default();
        for c in &self.commands {
            let o = c.apply(tx)?;
            if outcome.record.is_none() {
                outcome.record = o.record;
            }
            outcome.created.extend(o.created);
            outcome.details.extend(o.details);
            messages.push(o.message);
        }
        match &self.state {
            StateChange::Put(item) => tx.w().put_synced_item(item)?,
            StateChange::PutCreated(item) => {
                let id: Id = outcome.record.map_or(0, |r: RecordRef| r.id);
                if id == 0 {
                    return Err(OpsError::invalid("the new record was not created"));
                }
                let mut item = item.clone();
                item.record_id = id;
                tx.w().put_synced_item(&item)?;
            }
            StateChange::Drop { collection, href } => tx.w().drop_synced_item(collection, href)?,
        }
        outcome.message = messages.join("; ");
        Ok(outcome)
    }
}
