//! Reopening a cancelled meeting (issue 13: a meeting un-cancelled on the phone's calendar comes
//! back planned): only a cancelled meeting, visit, call or event is reopened; its outcome (the
//! reason it was cancelled for, words the user may have typed) is kept, never wiped.

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{Id, InteractionStatus, RecordKind, RecordRef, Vocabulary};

/// Puts a cancelled meeting back as planned.
#[derive(Debug, Clone)]
pub struct ReopenMeeting {
    pub id: Id,
    pub version: Option<i64>,
}

impl Command for ReopenMeeting {
    fn name(&self) -> &'static str {
        "meeting reopen"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        let r = RecordRef::of(RecordKind::Interaction, self.id);
        let (mut i, stamp) = tx
            .w()
            .interaction(self.id)?
            .ok_or_else(|| OpsError::NotFound(format!("no meeting {r}")))?;
        if self.version.is_some_and(|v| v != stamp.version) {
            return Err(OpsError::Conflict {
                what: format!("meeting {r}"),
            });
        }
        if !i.kind.is_scheduled() || i.status != InteractionStatus::Cancelled {
            return Err(OpsError::invalid(format!(
                "{r} is a {} {}; only a cancelled meeting can be reopened",
                i.status, i.kind
            )));
        }
        tx.touch_interaction(self.id)?;
        i.status = InteractionStatus::Planned;
        tx.w().upsert_interaction(&i, None, None)?;
        let title = i.title.as_deref().unwrap_or(i.kind.as_str());
        Ok(Outcome::new(format!("Reopened {r} {title}")).with_record(r))
    }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::domain::{InteractionKind, Timestamp};
    use crate::ops::{CancelMeeting, run, undo};
    use crate::store::Store;

    fn at(s: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn export(store: &Store) -> String {
        let mut out = Vec::new();
        crate::interop::jsonl::export(&store.reader(), &mut out, serde_json::Map::new()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_cancelled_meeting_is_reopened_and_undo_cancels_it_again() {
        let now = at("2026-03-02T10:00:00+01:00");
        let mut store = Store::open_in_memory().unwrap();
        let id = store
            .write(now, |w| {
                let mut i = crate::capture::new_interaction(
                    InteractionKind::Meeting,
                    at("2026-03-06T10:00:00+01:00"),
                    &now,
                    None,
                    Vec::new(),
                );
                i.title = Some("Pilot review".into());
                i.status = InteractionStatus::Planned;
                w.upsert_interaction(&i, None, None)
            })
            .unwrap();
        let reopen = ReopenMeeting { id, version: None };
        // A planned one is not reopened.
        assert!(run(&mut store, now, &reopen).is_err());
        run(
            &mut store,
            now,
            &CancelMeeting {
                id,
                version: None,
                reason: Some("Ana is ill, she calls back".into()),
            },
        )
        .unwrap();
        let cancelled = export(&store);
        let o = run(&mut store, now, &reopen).unwrap();
        assert_eq!(o.message, format!("Reopened #i{id} Pilot review"));
        let (i, _) = store.reader().interaction(id).unwrap().unwrap();
        assert_eq!(i.status, InteractionStatus::Planned);
        assert_eq!(i.outcome.as_deref(), Some("Ana is ill, she calls back"));
        undo(&mut store, now).unwrap();
        assert_eq!(export(&store), cancelled);
    }
}
