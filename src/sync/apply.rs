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
        }
        outcome.message = messages.join("; ");
        Ok(outcome)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::domain::{Interaction, InteractionStatus};
    use crate::ops::{CancelMeeting, EditMeeting, MoveMeeting, run, undo};
    use crate::store::Store;
    use crate::store::testing::{self, at};

    fn export(store: &Store) -> String {
        let mut out = Vec::new();
        crate::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn state(href: &str, record_id: Id) -> SyncedItem {
        SyncedItem {
            collection: "calendar".into(),
            href: href.into(),
            uid: "i-1@kamnote".into(),
            kind: "meeting".into(),
            record_id,
            etag: Some("\"2\"".into()),
            base: "{}".into(),
            hash: "h".into(),
        }
    }

    /// A meeting moved and retitled on the phone: one journal entry with the item's state in
    /// the same transaction; undo restores the notebook exactly; a refused change writes
    /// neither the change nor the state.
    #[test]
    fn an_item_from_the_server_is_one_undoable_command_with_its_state() {
        let now = at("2026-03-02T10:00:00+01:00");
        let mut store = Store::open_in_memory().unwrap();
        let id = store
            .write(now, |w| {
                let a =
                    w.upsert_account(&testing::account("a-1", "Hospital Clínic"), None, None)?;
                w.upsert_interaction(
                    &Interaction {
                        end: Some(at("2026-03-06T11:00:00+01:00")),
                        account: Some(a),
                        title: Some("Pilot review".into()),
                        ..testing::interaction(
                            "i-1",
                            "2026-03-06T10:00:00+01:00",
                            InteractionStatus::Planned,
                        )
                    },
                    None,
                    None,
                )
            })
            .unwrap();
        let before = export(&store);
        let change = FromServer {
            commands: vec![
                Box::new(EditMeeting {
                    id,
                    title: Some("Pilot review with Ana".into()),
                    ..EditMeeting::default()
                }),
                Box::new(MoveMeeting {
                    id,
                    version: None,
                    to: at("2026-03-06T12:00:00+01:00"),
                    length: Some(TimeDelta::hours(1)),
                }),
            ],
            state: StateChange::Put(state("/cal/i-1.ics", id)),
        };
        let o = run(&mut store, now, &change).unwrap();
        assert!(o.message.contains("Moved #i"), "{}", o.message);
        assert!(o.entry.is_some());
        assert_eq!(store.reader().synced_items("calendar").unwrap().len(), 1);
        let (m, _) = store.reader().interaction(id).unwrap().unwrap();
        assert_eq!(m.at, at("2026-03-06T12:00:00+01:00"));
        assert_ne!(export(&store), before);
        let undone = undo(&mut store, now).unwrap();
        assert!(undone.message.contains("sync"), "{}", undone.message);
        assert_eq!(export(&store), before);

        // A change the rules refuse (cancelling a meeting twice) rolls back with its state.
        run(
            &mut store,
            now,
            &CancelMeeting {
                id,
                version: None,
                reason: None,
            },
        )
        .unwrap();
        let refused = FromServer {
            commands: vec![Box::new(CancelMeeting {
                id,
                version: None,
                reason: None,
            })],
            state: StateChange::Put(state("/cal/other.ics", id)),
        };
        assert!(run(&mut store, now, &refused).is_err());
        let items = store.reader().synced_items("calendar").unwrap();
        assert_eq!(items[0].href, "/cal/i-1.ics");
    }
}
