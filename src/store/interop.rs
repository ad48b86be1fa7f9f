//! The reads and matches the foreign-format importers and exporters need (vCard, iCalendar,
//! CSV): people and accounts by name key or email, people with their account's name in one
//! pass, and the calendar (meetings and open follow-ups with their stamps).

use std::sync::LazyLock;

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use crate::domain::{FollowUp, Id, Interaction, InteractionKind, Person, Stamp, Vocabulary};
use crate::text::fold;

use super::{Reader, StoreError, followups, interactions, people};

/// A meeting (a scheduled interaction) for a calendar: its stamp, account and people.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarMeeting {
    pub interaction: Interaction,
    pub stamp: Stamp,
    pub account_name: Option<String>,
    /// Name and email of each person, in order.
    pub people: Vec<(String, Option<String>)>,
}

/// An open follow-up for a calendar, with the names it is about.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarFollowUp {
    pub followup: FollowUp,
    pub stamp: Stamp,
    pub account_name: Option<String>,
    pub person_name: Option<String>,
}

impl Reader<'_> {
    /// The oldest account whose name matches `name` accent- and case-insensitively.
    pub fn account_named(&self, name: &str) -> Result<Option<Id>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM accounts WHERE name_key = ?1 ORDER BY id LIMIT 1")?
            .query_row([fold(name)], |r| r.get(0))
            .optional()?)
    }

    /// The people whose name matches `name` accent- and case-insensitively, oldest first.
    pub fn people_named(&self, name: &str) -> Result<Vec<(Person, Stamp)>, StoreError> {
        let sql = format!(
            "SELECT {} FROM people WHERE name_key = ?1 ORDER BY id LIMIT 100",
            people::COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([fold(name)])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(people::read_row(r)?);
        }
        Ok(out)
    }

    /// The person with this uid.
    pub fn person_by_uid(&self, uid: &str) -> Result<Option<(Person, Stamp)>, StoreError> {
        let sql = format!("SELECT {} FROM people WHERE uid = ?1", people::COLUMNS);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([uid])?;
        rows.next()?.map(people::read_row).transpose()
    }

    /// The oldest person with this email (case-insensitive).
    pub fn person_with_email(&self, email: &str) -> Result<Option<Id>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id FROM people WHERE lower(email) = lower(?1) ORDER BY id LIMIT 1",
            )?
            .query_row([email.trim()], |r| r.get(0))
            .optional()?)
    }

    /// Every person's email (as `lower()` folds it, SQLite's ASCII folding) with the oldest
    /// person who has it: one walk of `people` for a whole import instead of one per lookup
    /// (`email` has no index). Look up with the trimmed, ASCII-lowercased email, as
    /// [`Reader::person_with_email`] matches it.
    pub fn people_by_email(&self) -> Result<std::collections::HashMap<String, Id>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT lower(email), id FROM people WHERE email IS NOT NULL AND email <> '' ORDER BY id",
        )?;
        let mut out = std::collections::HashMap::new();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let email: String = row.get(0)?;
            out.entry(email).or_insert(row.get(1)?);
        }
        Ok(out)
    }

    /// The interaction with this uid.
    pub fn interaction_by_uid(
        &self,
        uid: &str,
    ) -> Result<Option<(Interaction, Stamp)>, StoreError> {
        let id: Option<Id> = self
            .conn
            .prepare_cached("SELECT id FROM interactions WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => self.interaction(id),
            None => Ok(None),
        }
    }

    /// Calls `f` on every person (archived too), in id order, with their account's name.
    pub fn each_person_with_account<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Person, Stamp, Option<String>) -> Result<(), E>,
    ) -> Result<(), E> {
        let sql = format!(
            "SELECT {}, (SELECT name FROM accounts WHERE id = people.account_id)
             FROM people ORDER BY id",
            people::COLUMNS
        );
        let mut stmt = self.conn.prepare(&sql).map_err(StoreError::from)?;
        let mut rows = stmt.query([]).map_err(StoreError::from)?;
        while let Some(r) = rows.next().map_err(StoreError::from)? {
            let (p, s) = people::read_row(r)?;
            let account: Option<String> = r.get(people::COLUMN_COUNT).map_err(StoreError::from)?;
            f(p, s, account)?;
        }
        Ok(())
    }

    /// Meetings, visits, calls and events starting in `[from, to)` (unix seconds), in time
    /// order, with their stamps and their people's names and emails.
    pub fn calendar_meetings(
        &self,
        from: i64,
        to: i64,
    ) -> Result<Vec<CalendarMeeting>, StoreError> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            let kinds = InteractionKind::SCHEDULED
                .iter()
                .map(|k| format!("'{}'", k.as_str()))
                .collect::<Vec<_>>()
                .join(",");
            format!(
                "SELECT {}, a.name,
                    (SELECT json_group_array(json_array(p.name, p.email))
                     FROM (SELECT p.name, p.email FROM interaction_people ip
                           JOIN people p ON p.id = ip.person_id
                           WHERE ip.interaction_id = i.id ORDER BY ip.position) p)
                 FROM interactions i LEFT JOIN accounts a ON a.id = i.account_id
                 WHERE i.kind IN ({kinds}) AND i.at >= ?1 AND i.at < ?2
                 ORDER BY i.at, i.id",
                interactions::COLUMNS
            )
        });
        let mut stmt = self.conn.prepare_cached(&SQL)?;
        let mut rows = stmt.query(params![from, to])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (interaction, stamp) = interactions::read_row(r)?;
            let people: String = r.get(19)?;
            let people: Vec<(String, Option<String>)> = serde_json::from_str(&people)
                .map_err(|e| StoreError::Corrupt(format!("meeting people: {e}")))?;
            out.push(CalendarMeeting {
                interaction,
                stamp,
                account_name: r.get(18)?,
                people,
            });
        }
        Ok(out)
    }

    /// Open follow-ups whose local day in `tz` is in `[from, to]` (a timed one by its instant:
    /// 00:30 in Madrid on the 5th is the 4th in New York), in the order the agenda shows them,
    /// with their stamps and names. A walk of `followups_open_due` widened by the zone slack.
    pub fn calendar_followups<Tz: chrono::TimeZone>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        tz: &Tz,
    ) -> Result<Vec<CalendarFollowUp>, StoreError> {
        // Days are stored as text: the ends of time are clamped to what compares as text.
        let clamp = |d: NaiveDate| d.clamp(followups::FIRST_DAY, followups::LAST_DAY);
        let range = followups::DayRange::new(tz, Some(clamp(from)), Some(clamp(to)), "f", 1);
        let sql = format!(
            "SELECT {}, (SELECT name FROM accounts WHERE id = f.account_id),
                (SELECT name FROM people WHERE id = f.person_id)
             FROM followups f INDEXED BY followups_open_due
             WHERE f.status = 'open' AND {}",
            followups::COLUMNS,
            range.sql
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(range.args))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (followup, stamp) = followups::read_row(r)?;
            out.push(CalendarFollowUp {
                followup,
                stamp,
                account_name: r.get(18)?,
                person_name: r.get(19)?,
            });
        }
        out.sort_by_key(|c| followups::sort_key(&c.followup, tz));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, day, followup, now, store};
    use super::*;
    use crate::domain::Due;

    /// 11.7: the calendar export's range is of local days. A call due at 00:30 on 5 March in
    /// Madrid is 18:30 on 4 March in New York: exported with 4 March from New York (before the
    /// date-only follow-up of that day), not from Madrid.
    #[test]
    fn the_calendar_takes_a_timed_followup_on_its_local_day() {
        let mut s = store();
        s.write(now(), |w| {
            w.upsert_followup(&followup("f-day", "Mail", "2026-03-04"), None, None)?;
            let timed = FollowUp {
                due: Due::At(at("2026-03-05T00:30:00+01:00")),
                ..followup("f-timed", "Call", "2026-03-05")
            };
            w.upsert_followup(&timed, None, None)
        })
        .unwrap();
        let r = s.reader();
        let uids =
            |v: Vec<CalendarFollowUp>| v.into_iter().map(|c| c.followup.uid).collect::<Vec<_>>();
        let d = day("2026-03-04");
        assert_eq!(
            uids(
                r.calendar_followups(d, d, &chrono_tz::America::New_York)
                    .unwrap()
            ),
            ["f-timed", "f-day"]
        );
        assert_eq!(
            uids(
                r.calendar_followups(d, d, &chrono_tz::Europe::Madrid)
                    .unwrap()
            ),
            ["f-day"]
        );
        // The whole calendar: the ends of time are clamped.
        assert_eq!(
            uids(
                r.calendar_followups(NaiveDate::MIN, NaiveDate::MAX, &chrono_tz::Europe::Madrid)
                    .unwrap()
            ),
            ["f-day", "f-timed"]
        );
    }
}
