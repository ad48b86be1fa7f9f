//! Interactions (meetings, visits, calls, meals, events, emails, messages, notes) with the people
//! who took part and those only mentioned, and the last seen (`last_contact`) and last touch of
//! people and accounts that done interactions keep up to date (`crate::domain::contact`).

use std::collections::HashMap;
use std::sync::LazyLock;

use rusqlite::{Row, params};

use crate::domain::contact::{self, ContactWeight};
use crate::domain::{
    Id, Interaction, InteractionKind, InteractionStatus, Participation, Stamp, Timestamp,
    Vocabulary, check_text,
};

use super::codec::{
    extra_json, list_json, parse_extra, parse_list, stamp, ts_from_parts, ts_parts, ts_text,
    vocab_req,
};
use super::resolve::UidTable;
use super::{Reader, StoreError, Writer};

pub(super) const COLUMNS: &str = "i.id, i.uid, i.kind, i.at, i.at_offset, i.end_at, i.end_offset,
    i.account_id, i.title, i.body, i.location, i.status, i.outcome, i.tags, i.extra,
    i.created_at, i.updated_at, i.version";

const INSERT: &str = "INSERT INTO interactions (uid, kind, at, at_offset, end_at, end_offset,
    account_id, title, body, location, status, outcome, tags, extra, created_at, updated_at)";
const INSERT_VALUES: &str = "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)";

/// An interaction in full, as `kam show #iN` and the TUI's interaction screen show it: with
/// its account's name, its people's names and the follow-ups it set (open and closed).
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionRecord {
    pub interaction: Interaction,
    /// The version read: an edit made from this record checks it.
    pub version: i64,
    /// (id, name) of its account.
    pub account: Option<(Id, String)>,
    /// (id, name) of its people, in order.
    pub people: Vec<(Id, String)>,
    /// The follow-ups it set, oldest first, whatever their status.
    pub followups: Vec<crate::domain::FollowUp>,
}

/// When a person or an account was last seen and last touched, unix seconds (`None`: never);
/// see `crate::domain::contact`. `touch` is never before `seen`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct LastContacts {
    pub seen: Option<i64>,
    pub touch: Option<i64>,
}

/// An interaction with the names a list shows next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct InteractionRow {
    pub interaction: Interaction,
    /// The version read: a change made from this row checks it.
    pub version: i64,
    pub account_name: Option<String>,
    /// (id, name) of its people, in order.
    pub people: Vec<(Id, String)>,
}

pub(super) fn read_row(row: &Row<'_>) -> Result<(Interaction, Stamp), StoreError> {
    let end = match (row.get::<_, Option<i64>>(5)?, row.get::<_, Option<i32>>(6)?) {
        (Some(at), Some(off)) => Some(ts_from_parts(at, off)?),
        _ => None,
    };
    let interaction = Interaction {
        id: row.get(0)?,
        uid: row.get(1)?,
        kind: vocab_req(&row.get::<_, String>(2)?)?,
        at: ts_from_parts(row.get(3)?, row.get(4)?)?,
        end,
        account: row.get(7)?,
        people: Vec::new(),
        mentioned: Vec::new(),
        title: row.get(8)?,
        body: row.get(9)?,
        location: row.get(10)?,
        status: vocab_req(&row.get::<_, String>(11)?)?,
        outcome: row.get(12)?,
        tags: parse_list(&row.get::<_, String>(13)?)?,
        extra: parse_extra(&row.get::<_, String>(14)?)?,
    };
    Ok((interaction, stamp(row, 15)?))
}

/// Checks the fields a user can get wrong.
pub fn validate(i: &Interaction) -> Result<(), StoreError> {
    for (field, value) in [
        ("title", &i.title),
        ("body", &i.body),
        ("location", &i.location),
        ("outcome", &i.outcome),
    ] {
        if let Some(v) = value {
            check_text(field, v)?;
        }
    }
    if let Some(end) = i.end {
        if end < i.at {
            return Err(crate::domain::Invalid::new(
                "end",
                format!("{} is before the start {}", ts_text(&end), ts_text(&i.at)),
            )
            .into());
        }
    }
    Ok(())
}

impl Reader<'_> {
    /// One interaction with its people and stamp.
    pub fn interaction(&self, id: Id) -> Result<Option<(Interaction, Stamp)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM interactions i WHERE i.id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        let (mut interaction, stamp) = read_row(row)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT person_id, part FROM interaction_people WHERE interaction_id = ?1
             ORDER BY position",
        )?;
        let mut rows = stmt.query([id])?;
        while let Some(r) = rows.next()? {
            let person: Id = r.get(0)?;
            match vocab_req::<Participation>(&r.get::<_, String>(1)?)? {
                Participation::Participant => interaction.people.push(person),
                Participation::Mentioned => interaction.mentioned.push(person),
            }
        }
        Ok(Some((interaction, stamp)))
    }

    /// Interaction `id` in full ([`InteractionRecord`]), if it exists: four indexed reads.
    pub fn interaction_record(&self, id: Id) -> Result<Option<InteractionRecord>, StoreError> {
        let Some((interaction, stamp)) = self.interaction(id)? else {
            return Ok(None);
        };
        let account = match interaction.account {
            Some(a) => self.account(a)?.map(|(acc, _)| (a, acc.name)),
            None => None,
        };
        Ok(Some(InteractionRecord {
            people: self.interaction_people(id)?,
            followups: self.followups_of_interaction(id)?,
            account,
            version: stamp.version,
            interaction,
        }))
    }

    /// (id, name) of the people of an interaction, in order, named as addressed ("Dra. Carmen
    /// Peña").
    pub fn interaction_people(&self, id: Id) -> Result<Vec<(Id, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, coalesce(p.salutation || ' ', '') || p.name FROM interaction_people ip JOIN people p ON p.id = ip.person_id
             WHERE ip.interaction_id = ?1 ORDER BY ip.position",
        )?;
        let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Fills in the people of every row with one query (not one per row), named as addressed.
    fn add_people(&self, out: &mut [InteractionRow]) -> Result<(), StoreError> {
        if out.is_empty() {
            return Ok(());
        }
        let ids = serde_json::to_string(&out.iter().map(|r| r.interaction.id).collect::<Vec<Id>>())
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT ip.interaction_id, p.id, coalesce(p.salutation || ' ', '') || p.name, ip.part
             FROM json_each(?1) j
               JOIN interaction_people ip ON ip.interaction_id = j.value
               JOIN people p ON p.id = ip.person_id
             ORDER BY ip.interaction_id, ip.position",
        )?;
        let mut people: HashMap<Id, Vec<(Id, String, bool)>> = HashMap::new();
        let mut rows = stmt.query([ids])?;
        while let Some(r) = rows.next()? {
            let part: String = r.get(3)?;
            people.entry(r.get(0)?).or_default().push((
                r.get(1)?,
                r.get(2)?,
                part == Participation::Participant.as_str(),
            ));
        }
        for r in out {
            let listed = people.remove(&r.interaction.id).unwrap_or_default();
            r.interaction.people = listed.iter().filter(|p| p.2).map(|p| p.0).collect();
            r.interaction.mentioned = listed.iter().filter(|p| !p.2).map(|p| p.0).collect();
            r.people = listed.into_iter().map(|(id, name, _)| (id, name)).collect();
        }
        Ok(())
    }

    pub(super) fn rows(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let (interaction, stamp) = read_row(row)?;
            let account_name: Option<String> = row.get(18)?;
            out.push(InteractionRow {
                interaction,
                version: stamp.version,
                account_name,
                people: Vec::new(),
            });
        }
        self.add_people(&mut out)?;
        Ok(out)
    }

    /// Meetings, visits, calls and events starting in `[from, to)` (unix seconds), in time
    /// order; at most `limit`, with their people read in one query.
    pub fn scheduled_between(
        &self,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        // Built once: the kind list must read as the partial index's does, so it is used.
        static SQL: LazyLock<String> = LazyLock::new(|| {
            let kinds = InteractionKind::SCHEDULED
                .iter()
                .map(|k| format!("'{}'", k.as_str()))
                .collect::<Vec<_>>()
                .join(",");
            format!(
                "SELECT {COLUMNS}, a.name FROM interactions i
                   LEFT JOIN accounts a ON a.id = i.account_id
                 WHERE i.kind IN ({kinds}) AND i.at >= ?1 AND i.at < ?2
                 ORDER BY i.at, i.id LIMIT ?3"
            )
        });
        self.rows(&SQL, params![from, to, limit])
    }

    /// The latest interactions with an account, newest first.
    pub fn account_timeline(
        &self,
        account: Id,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM interactions i LEFT JOIN accounts a ON a.id = i.account_id
             WHERE i.account_id = ?1 ORDER BY i.at DESC, i.id DESC LIMIT ?2 OFFSET ?3"
        );
        self.rows(&sql, params![account, limit, offset])
    }

    /// The latest interactions a person took part in, newest first.
    pub fn person_timeline(
        &self,
        person: Id,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<InteractionRow>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS}, a.name FROM interaction_people ip
               JOIN interactions i ON i.id = ip.interaction_id
               LEFT JOIN accounts a ON a.id = i.account_id
             WHERE ip.person_id = ?1 ORDER BY i.at DESC, i.id DESC LIMIT ?2 OFFSET ?3"
        );
        self.rows(&sql, params![person, limit, offset])
    }

    /// How many interactions an account has.
    pub fn account_interaction_count(&self, account: Id) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM interactions WHERE account_id = ?1",
            [account],
            |r| r.get(0),
        )?)
    }
}

impl Writer<'_> {
    /// Adds the interaction, or updates the one with the same uid, with its people; a done one
    /// moves the last contact of its account and people forward.
    pub fn upsert_interaction(
        &self,
        i: &Interaction,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> Result<Id, StoreError> {
        let id = self.upsert_interaction_untracked(i, created_at, updated_at)?;
        if i.status == InteractionStatus::Done {
            self.touch_contact(i)?;
        }
        Ok(id)
    }

    /// As [`Writer::upsert_interaction`] without touching last contacts: for bulk imports,
    /// which call [`Writer::recompute_last_contacts`] once at the end.
    pub fn upsert_interaction_untracked(
        &self,
        i: &Interaction,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> Result<Id, StoreError> {
        validate(i)?;
        let (at, at_offset) = ts_parts(&i.at);
        let (end_at, end_offset) = i.end.as_ref().map(ts_parts).unzip();
        let tags = list_json(&i.tags);
        let extra = extra_json(&i.extra);
        let created = ts_text(&created_at.unwrap_or(self.now));
        let updated = ts_text(&updated_at.unwrap_or(self.now));
        // An update keeps the record's creation time unless one is given (import).
        let created_given = created_at.as_ref().map(ts_text);
        let values: [&dyn rusqlite::ToSql; 17] = [
            &i.uid,
            &i.kind.as_str(),
            &at,
            &at_offset,
            &end_at,
            &end_offset,
            &i.account,
            &i.title,
            &i.body,
            &i.location,
            &i.status.as_str(),
            &i.outcome,
            &tags,
            &extra,
            &created,
            &updated,
            &created_given,
        ];
        let (id, version): (Id, i64) = if self.id_by_uid(UidTable::Interactions, &i.uid)?.is_none()
        {
            // The common case of a bulk import: a plain insert is markedly cheaper than an
            // upsert with RETURNING (no statement journal, no materialised result).
            self.conn
                .prepare_cached(&format!("{INSERT} VALUES {INSERT_VALUES}"))?
                .execute(&values[..16])?;
            (self.conn.last_insert_rowid(), 1)
        } else {
            let sql = format!(
                "{INSERT} VALUES {INSERT_VALUES}
                 ON CONFLICT(uid) DO UPDATE SET kind=?2, at=?3, at_offset=?4, end_at=?5,
                    end_offset=?6, account_id=?7, title=?8, body=?9, location=?10, status=?11,
                    outcome=?12, tags=?13, extra=?14, created_at=coalesce(?17, created_at),
                    updated_at=?16, version=version+1
                 RETURNING id, version"
            );
            self.conn
                .prepare_cached(&sql)?
                .query_row(&values[..], |r| Ok((r.get(0)?, r.get(1)?)))?
        };
        if version > 1 {
            self.conn
                .prepare_cached("DELETE FROM interaction_people WHERE interaction_id = ?1")?
                .execute([id])?;
        }
        let mut add = self.conn.prepare_cached(
            "INSERT OR IGNORE INTO interaction_people (interaction_id, person_id, position, part)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((person, part), pos) in contact::parts(i.kind, &i.people, &i.mentioned)
            .into_iter()
            .zip(0_i64..)
        {
            add.execute(params![id, person, pos, part.as_str()])?;
        }
        Ok(id)
    }

    /// Marks a planned interaction done (or cancelled) with an outcome, if nobody changed it
    /// since `version` was read; one already closed is a conflict.
    pub fn close_interaction(
        &self,
        id: Id,
        version: i64,
        status: InteractionStatus,
        outcome: Option<&str>,
    ) -> Result<(), StoreError> {
        if let Some(o) = outcome {
            check_text("outcome", o)?;
        }
        let n = self.conn.execute(
            "UPDATE interactions SET status=?3, outcome=coalesce(?4, outcome), updated_at=?5,
                version=version+1
             WHERE id=?1 AND version=?2 AND status='planned'",
            params![id, version, status.as_str(), outcome, ts_text(&self.now)],
        )?;
        if n == 0 {
            return Err(StoreError::Conflict {
                what: format!("interaction #i{id}"),
            });
        }
        if status == InteractionStatus::Done {
            if let Some((i, _)) = self.interaction(id)? {
                self.touch_contact(&i)?;
            }
        }
        Ok(())
    }

    /// Moves the last seen and last touch of the interaction's account and of the people who
    /// took part forward, as far as its kind counts (`crate::domain::contact`).
    fn touch_contact(&self, i: &Interaction) -> Result<(), StoreError> {
        let weight = contact::kind_weight(i.kind);
        if weight == ContactWeight::Neither {
            return Ok(());
        }
        let seen = weight == ContactWeight::Seen;
        // A meeting marked done before its planned start was still a contact now, not later.
        let at = i.at.timestamp().min(self.now.timestamp());
        if let Some(account) = i.account {
            self.conn
                .prepare_cached(
                    "UPDATE accounts SET
                        last_touch = max(coalesce(last_touch, ?2), ?2),
                        last_contact = CASE WHEN ?3 THEN max(coalesce(last_contact, ?2), ?2)
                                       ELSE last_contact END
                     WHERE id = ?1",
                )?
                .execute(params![account, at, seen])?;
        }
        let mut person = self.conn.prepare_cached(
            "UPDATE people SET
                last_touch = max(coalesce(last_touch, ?2), ?2),
                last_contact = CASE WHEN ?3 THEN max(coalesce(last_contact, ?2), ?2)
                               ELSE last_contact END
             WHERE id = ?1",
        )?;
        for p in &i.people {
            person.execute(params![p, at, seen])?;
        }
        Ok(())
    }

    /// Recomputes the last seen and last touch of one account and some people from their done
    /// interactions (after an edit moved one earlier or took a person off it); never after now.
    pub fn recompute_last_contact_of(
        &self,
        account: Option<Id>,
        people: &[Id],
    ) -> Result<(), StoreError> {
        let now = self.now.timestamp();
        if let Some(a) = account {
            self.conn
                .prepare_cached(&format!(
                    "UPDATE accounts SET
                        last_contact = (SELECT min(?2, at) FROM interactions
                            INDEXED BY interactions_account_done
                            WHERE account_id = ?1 AND status = 'done' AND kind IN ({SEEN})
                            ORDER BY at DESC LIMIT 1),
                        last_touch = (SELECT min(?2, at) FROM interactions
                            INDEXED BY interactions_account_done
                            WHERE account_id = ?1 AND status = 'done' AND kind IN ({TOUCHED})
                            ORDER BY at DESC LIMIT 1)
                     WHERE id = ?1",
                    SEEN = *SEEN_SQL,
                    TOUCHED = *TOUCHED_SQL,
                ))?
                .execute(params![a, now])?;
        }
        let mut person = self.conn.prepare_cached(&format!(
            "UPDATE people SET
                last_contact = (SELECT min(?2, max(i.at)) FROM interaction_people ip
                  JOIN interactions i ON i.id = ip.interaction_id
                WHERE ip.person_id = ?1 AND ip.part = 'participant' AND i.status = 'done'
                  AND i.kind IN ({SEEN})),
                last_touch = (SELECT min(?2, max(i.at)) FROM interaction_people ip
                  JOIN interactions i ON i.id = ip.interaction_id
                WHERE ip.person_id = ?1 AND ip.part = 'participant' AND i.status = 'done'
                  AND i.kind IN ({TOUCHED}))
             WHERE id = ?1",
            SEEN = *SEEN_SQL,
            TOUCHED = *TOUCHED_SQL,
        ))?;
        for p in people {
            person.execute(params![p, now])?;
        }
        Ok(())
    }

    /// Recomputes every last seen and last touch from the done interactions (after a bulk
    /// import). Like [`Writer::upsert_interaction`], it never puts one after now.
    pub fn recompute_last_contacts(&self) -> Result<(), StoreError> {
        let now = self.now.timestamp();
        self.conn.execute(
            &format!(
                "UPDATE accounts SET
                    last_contact = min(?1, (SELECT max(at) FROM interactions
                        WHERE account_id = accounts.id AND status = 'done'
                          AND kind IN ({SEEN}))),
                    last_touch = min(?1, (SELECT max(at) FROM interactions
                        WHERE account_id = accounts.id AND status = 'done'
                          AND kind IN ({TOUCHED})))",
                SEEN = *SEEN_SQL,
                TOUCHED = *TOUCHED_SQL,
            ),
            [now],
        )?;
        // One pass over the interactions in table order, instead of a look-up per person of
        // each of their interactions (a random read each: 25 s against 5 at L); rows that keep
        // their last contacts are not rewritten (a re-import changes few).
        self.conn.execute(
            &format!(
                "UPDATE people SET last_contact = c.seen, last_touch = c.touch
                 FROM (SELECT p.id, min(?1, m.seen) AS seen, min(?1, m.touch) AS touch
                       FROM people p LEFT JOIN
                         (SELECT ip.person_id,
                                 max(CASE WHEN i.kind IN ({SEEN}) THEN i.at END) AS seen,
                                 max(CASE WHEN i.kind IN ({TOUCHED}) THEN i.at END) AS touch
                          FROM interactions AS i NOT INDEXED
                          CROSS JOIN interaction_people AS ip ON ip.interaction_id = i.id
                          WHERE i.status = 'done' AND ip.part = 'participant'
                          GROUP BY ip.person_id) m
                       ON m.person_id = p.id) c
                 WHERE people.id = c.id
                   AND (people.last_contact IS NOT c.seen OR people.last_touch IS NOT c.touch)",
                SEEN = *SEEN_SQL,
                TOUCHED = *TOUCHED_SQL,
            ),
            [now],
        )?;
        Ok(())
    }
}

/// The kinds whose participants are seen, as an SQL list: `'meeting','visit',...`.
static SEEN_SQL: LazyLock<String> = LazyLock::new(|| sql_list(contact::SEEN_KINDS.iter()));
/// The kinds that touch (seen ones included), as an SQL list.
static TOUCHED_SQL: LazyLock<String> =
    LazyLock::new(|| sql_list(contact::SEEN_KINDS.iter().chain(contact::TOUCH_KINDS)));

fn sql_list<'k>(kinds: impl Iterator<Item = &'k InteractionKind>) -> String {
    kinds
        .map(|k| format!("'{}'", k.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::testing::{
        account, add_account, add_person, interaction, now, person, store,
    };
    use super::*;

    #[test]
    fn close_with_a_stale_version_is_a_conflict_and_changes_nothing() {
        let mut s = store();
        let meeting = interaction(
            "i-1",
            "2026-03-01T10:00:00+01:00",
            InteractionStatus::Planned,
        );
        let id = s
            .write(now(), |w| w.upsert_interaction(&meeting, None, None))
            .unwrap();
        let (mut edited, stamp) = s.reader().interaction(id).unwrap().unwrap();
        edited.title = Some("Review, moved".into());
        s.write(now(), |w| w.upsert_interaction(&edited, None, None))
            .unwrap();
        let before = s.reader().interaction(id).unwrap().unwrap();

        let err = s
            .write(now(), |w| {
                w.close_interaction(id, stamp.version, InteractionStatus::Done, Some("agreed"))
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        assert_eq!(s.reader().interaction(id).unwrap().unwrap(), before);
    }

    #[test]
    // `Writer::recompute_last_contacts` as a path is not general over the writer's lifetime.
    #[allow(clippy::redundant_closure_for_method_calls)]
    fn done_interactions_move_last_contact_and_planned_ones_do_not() {
        let mut s = store();
        let a = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        let p = add_person(&mut s, &person("p-1", "Ana Puig", Some(a)));
        let with = |uid: &str, when: &str, status| Interaction {
            account: Some(a),
            people: vec![p],
            ..interaction(uid, when, status)
        };
        let contact = |s: &Store| {
            (
                s.reader().account_last_contact(a).unwrap(),
                s.reader().person_last_contact(p).unwrap(),
            )
        };
        let march = with("i-1", "2026-03-01T10:00:00+01:00", InteractionStatus::Done);
        s.write(now(), |w| w.upsert_interaction(&march, None, None))
            .unwrap();
        let t = march.at.timestamp();
        assert_eq!(contact(&s), (Some(t), Some(t)));

        // A planned meeting later on, and an older done one, leave it where it is.
        let planned = with(
            "i-2",
            "2026-03-20T10:00:00+01:00",
            InteractionStatus::Planned,
        );
        let older = with("i-3", "2026-01-10T10:00:00+01:00", InteractionStatus::Done);
        let planned_id = s
            .write(now(), |w| {
                w.upsert_interaction(&older, None, None)?;
                w.upsert_interaction(&planned, None, None)
            })
            .unwrap();
        assert_eq!(contact(&s), (Some(t), Some(t)));

        // Closing the planned one as done moves it.
        s.write(now(), |w| {
            w.close_interaction(planned_id, 1, InteractionStatus::Done, None)
        })
        .unwrap();
        // ...to now, not to its planned start: it was marked done before it began.
        let t2 = now().timestamp().min(planned.at.timestamp());
        assert_eq!(contact(&s), (Some(t2), Some(t2)));

        // Recomputing from scratch agrees; after the latest one is cancelled it falls back.
        s.write(now(), |w| w.recompute_last_contacts()).unwrap();
        assert_eq!(contact(&s), (Some(t2), Some(t2)));
        s.write(now(), |w| {
            // Only a planned one can be closed; a done one is corrected by an edit (or import).
            assert!(matches!(
                w.close_interaction(planned_id, 2, InteractionStatus::Cancelled, None),
                Err(StoreError::Conflict { .. })
            ));
            let cancelled = Interaction {
                status: InteractionStatus::Cancelled,
                ..planned.clone()
            };
            w.upsert_interaction_untracked(&cancelled, None, None)?;
            w.recompute_last_contacts()
        })
        .unwrap();
        assert_eq!(contact(&s), (Some(t), Some(t)));

        // An import without tracking, then one recompute.
        let imported = with("i-4", "2026-02-20T10:00:00+01:00", InteractionStatus::Done);
        let later = with("i-5", "2026-03-10T10:00:00+01:00", InteractionStatus::Done);
        s.write(now(), |w| {
            w.upsert_interaction_untracked(&imported, None, None)?;
            w.upsert_interaction_untracked(&later, None, None)
        })
        .unwrap();
        assert_eq!(contact(&s), (Some(t), Some(t)));
        s.write(now(), |w| w.recompute_last_contacts()).unwrap();
        // "Done" on 10 March, imported on 2 March: the contact counts from now, not the future.
        let t3 = later.at.timestamp().min(now().timestamp());
        assert_eq!(contact(&s), (Some(t3), Some(t3)));
    }
}
