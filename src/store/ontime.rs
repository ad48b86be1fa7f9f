//! On time (issue 13.5): the place a meeting is held at (its account, the address and the
//! travel minutes), the planned meetings `kam remind` looks at, and what it has already
//! announced (`reminded`, so a timer running every minute announces each start once).
//!
//! `reminded` is bookkeeping, like the capture drafts, not a record: it is not journaled (an
//! undo after a timer run must undo the user's last change, not a reminder) nor exported.

use std::sync::LazyLock;

use rusqlite::{OptionalExtension, params};

use crate::domain::{Id, Interaction, InteractionKind, Vocabulary};

use super::interactions;
use super::{Reader, StoreError, Writer};

/// Where an account's meetings are held.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountPlace {
    pub name: String,
    pub address: Option<String>,
    pub city: Option<String>,
    pub travel_minutes: Option<u16>,
}

/// A planned meeting `kam remind` may announce, with its account's name and travel time.
#[derive(Debug, Clone, PartialEq)]
pub struct UpcomingMeeting {
    pub interaction: Interaction,
    pub account_name: Option<String>,
    pub travel_minutes: Option<u16>,
}

/// What a reminder announced: the start, or the time to leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderKind {
    Start,
    Leave,
}

impl ReminderKind {
    fn as_str(self) -> &'static str {
        match self {
            ReminderKind::Start => "start",
            ReminderKind::Leave => "leave",
        }
    }
}

/// How long `reminded` keeps a row after the moment it was about (seconds): a week.
const KEEP_REMINDED_SECS: i64 = 7 * 24 * 3600;

impl Reader<'_> {
    /// The account's name, address, city and travel minutes; `None` when it is gone.
    pub fn account_place(&self, id: Id) -> Result<Option<AccountPlace>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name, address, city, travel_minutes FROM accounts WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(AccountPlace {
                    name: r.get(0)?,
                    address: r.get(1)?,
                    city: r.get(2)?,
                    travel_minutes: r.get(3)?,
                })
            })
            .optional()?)
    }

    /// The travel minutes of meeting `interaction`'s account, when known.
    pub fn travel_minutes_of_account(
        &self,
        account: Option<Id>,
    ) -> Result<Option<u16>, StoreError> {
        match account {
            Some(a) => Ok(self.account_place(a)?.and_then(|p| p.travel_minutes)),
            None => Ok(None),
        }
    }

    /// Planned meetings, visits, calls and events starting in `[from, to)` (unix seconds), in
    /// time order, at most `limit`.
    pub fn upcoming_meetings(
        &self,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<UpcomingMeeting>, StoreError> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            let kinds = InteractionKind::SCHEDULED
                .iter()
                .map(|k| format!("'{}'", k.as_str()))
                .collect::<Vec<_>>()
                .join(",");
            format!(
                "SELECT {}, a.name, a.travel_minutes
                 FROM interactions i INDEXED BY interactions_scheduled_at
                 LEFT JOIN accounts a ON a.id = i.account_id
                 WHERE i.kind IN ({kinds}) AND i.at >= ?1 AND i.at < ?2 AND i.status = 'planned'
                 ORDER BY i.at, i.id LIMIT ?3",
                interactions::COLUMNS
            )
        });
        let mut stmt = self.conn.prepare_cached(&SQL)?;
        let mut rows = stmt.query(params![from, to, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (interaction, _) = interactions::read_row(r)?;
            out.push(UpcomingMeeting {
                interaction,
                account_name: r.get(18)?,
                travel_minutes: r.get(19)?,
            });
        }
        Ok(out)
    }

    /// Whether `kind` of meeting `uid` at moment `due` (unix seconds) was announced already.
    pub fn was_reminded(
        &self,
        uid: &str,
        due: i64,
        kind: ReminderKind,
    ) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT 1 FROM reminded WHERE interaction_uid = ?1 AND due = ?2 AND what = ?3",
            )?
            .query_row(params![uid, due, kind.as_str()], |_| Ok(()))
            .optional()?
            .is_some())
    }
}

impl Writer<'_> {
    /// Remembers that `kind` of meeting `uid` at `due` was announced; forgets rows about moments
    /// more than a week before `due` (nothing will ask about them again). False when it was
    /// remembered already.
    pub fn remember_reminded(
        &self,
        uid: &str,
        due: i64,
        kind: ReminderKind,
    ) -> Result<bool, StoreError> {
        self.conn
            .prepare_cached("DELETE FROM reminded WHERE due < ?1")?
            .execute([due - KEEP_REMINDED_SECS])?;
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO reminded (interaction_uid, due, what, sent_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT DO NOTHING",
            )?
            .execute(params![uid, due, kind.as_str(), self.now.timestamp()])?;
        Ok(added == 1)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::testing::{account, add_account, now};
    use super::*;
    use crate::domain::{InteractionStatus, Timestamp};

    fn meeting(
        uid: &str,
        account: Option<Id>,
        at: Timestamp,
        status: InteractionStatus,
    ) -> Interaction {
        Interaction {
            id: 0,
            uid: uid.into(),
            kind: InteractionKind::Meeting,
            at,
            end: None,
            account,
            people: Vec::new(),
            title: Some(uid.into()),
            body: None,
            location: None,
            status,
            outcome: None,
            tags: Vec::new(),
            extra: crate::domain::Extra::new(),
        }
    }

    #[test]
    fn upcoming_meetings_are_the_planned_ones_in_the_window_with_their_travel() {
        let mut store = Store::open_in_memory().unwrap();
        let mut a = account("a-1", "Hospital Clínic");
        a.travel_minutes = Some(25);
        let a = add_account(&mut store, &a);
        let t0 = now();
        let hour = chrono::TimeDelta::hours(1);
        store
            .write(t0, |w| {
                w.upsert_interaction(
                    &meeting("m-1", Some(a), t0 + hour, InteractionStatus::Planned),
                    None,
                    None,
                )?;
                w.upsert_interaction(
                    &meeting("m-2", None, t0 + hour * 2, InteractionStatus::Cancelled),
                    None,
                    None,
                )?;
                w.upsert_interaction(
                    &meeting("m-3", None, t0 + hour * 30, InteractionStatus::Planned),
                    None,
                    None,
                )?;
                Ok(())
            })
            .unwrap();
        let r = store.reader();
        let got = r
            .upcoming_meetings(t0.timestamp(), (t0 + hour * 24).timestamp(), 10)
            .unwrap();
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].interaction.uid, "m-1");
        assert_eq!(got[0].account_name.as_deref(), Some("Hospital Clínic"));
        assert_eq!(got[0].travel_minutes, Some(25));
        assert_eq!(r.travel_minutes_of_account(Some(a)).unwrap(), Some(25));
        assert_eq!(r.account_place(a).unwrap().unwrap().name, "Hospital Clínic");
    }

    #[test]
    fn a_reminder_is_remembered_once_per_meeting_moment_and_kind() {
        let mut store = Store::open_in_memory().unwrap();
        let t = now();
        let due = t.timestamp() + 600;
        let first = store
            .write(t, |w| w.remember_reminded("m-1", due, ReminderKind::Start))
            .unwrap();
        let again = store
            .write(t, |w| w.remember_reminded("m-1", due, ReminderKind::Start))
            .unwrap();
        assert!(first && !again);
        let r = store.reader();
        assert!(r.was_reminded("m-1", due, ReminderKind::Start).unwrap());
        assert!(!r.was_reminded("m-1", due, ReminderKind::Leave).unwrap());
        assert!(
            !r.was_reminded("m-1", due + 60, ReminderKind::Start)
                .unwrap()
        );
    }
}
