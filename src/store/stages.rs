//! Stage history: every move along a ladder is a dated row; moving a record's stage updates the
//! record and appends the change in the same transaction.

use rusqlite::{Row, params};

use crate::domain::{AnyStage, Id, Ladder, StageChange, Vocabulary, check_text};

use super::codec::{extra_json, parse_extra, ts_from_parts, ts_parts, ts_text, vocab_req};
use super::{Reader, StoreError, UidTable, Writer};

pub(super) const STAGE_COLUMNS: &str = "id, uid, ladder, coalesce(account_id, person_id, deal_id),
    from_stage, to_stage, at, at_offset, note, extra";

pub(super) fn stage_change_row(row: &Row<'_>) -> Result<StageChange, StoreError> {
    Ok(StageChange {
        id: row.get(0)?,
        uid: row.get(1)?,
        ladder: vocab_req(&row.get::<_, String>(2)?)?,
        subject: row.get(3)?,
        from: row.get(4)?,
        to: row.get(5)?,
        at: ts_from_parts(row.get(6)?, row.get(7)?)?,
        note: row.get(8)?,
        extra: parse_extra(&row.get::<_, String>(9)?)?,
    })
}

fn subject_column(ladder: Ladder) -> &'static str {
    match ladder {
        Ladder::Account => "account_id",
        Ladder::Person => "person_id",
        Ladder::Deal => "deal_id",
    }
}

fn table(ladder: Ladder) -> &'static str {
    match ladder {
        Ladder::Account => "accounts",
        Ladder::Person => "people",
        Ladder::Deal => "deals",
    }
}

impl Reader<'_> {
    /// The stage history of an account, person or deal, oldest first.
    pub fn stage_history(
        &self,
        ladder: Ladder,
        subject: Id,
    ) -> Result<Vec<StageChange>, StoreError> {
        let sql = format!(
            "SELECT {STAGE_COLUMNS} FROM stage_changes WHERE {} = ?1 ORDER BY at, id",
            subject_column(ladder)
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([subject])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(stage_change_row(r)?);
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Adds the stage change, or updates the one with the same uid (history only: the
    /// subject's current stage is not touched).
    pub fn upsert_stage_change(&self, c: &StageChange) -> Result<Id, StoreError> {
        AnyStage::parse(c.ladder, &c.to)?;
        if let Some(from) = &c.from {
            AnyStage::parse(c.ladder, from)?;
        }
        if let Some(n) = &c.note {
            check_text("note", n)?;
        }
        let (at, at_offset) = ts_parts(&c.at);
        let subject = |l: Ladder| (c.ladder == l).then_some(c.subject);
        self.upsert_by_uid(
            UidTable::StageChanges,
            &c.uid,
            "INSERT INTO stage_changes (uid, ladder, account_id, person_id, deal_id, from_stage,
                to_stage, at, at_offset, note, extra, created_at, updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?12)
             ON CONFLICT(uid) DO UPDATE SET ladder=?2, account_id=?3, person_id=?4, deal_id=?5,
                from_stage=?6, to_stage=?7, at=?8, at_offset=?9, note=?10, extra=?11,
                updated_at=?12, version=version+1
             RETURNING id",
            params![
                c.uid,
                c.ladder.as_str(),
                subject(Ladder::Account),
                subject(Ladder::Person),
                subject(Ladder::Deal),
                c.from,
                c.to,
                at,
                at_offset,
                c.note,
                extra_json(&c.extra),
                ts_text(&self.now),
            ],
        )
    }

    /// [`Writer::move_stage`] from a screen that showed the record at `version`: a record changed
    /// since is a conflict and nothing moves.
    pub fn move_stage_at_version(
        &self,
        subject: Id,
        version: i64,
        to: AnyStage,
        note: Option<&str>,
    ) -> Result<Option<StageChange>, StoreError> {
        let ladder = to.ladder();
        self.check_version(table(ladder), subject, None, version, || {
            format!("{} {subject}", ladder.as_str())
        })?;
        self.move_stage(subject, to, note)
    }

    /// Moves an account, person or deal to `to` and records the move (from its current stage)
    /// at now, with an optional reason. Moving to the stage it is already in changes nothing
    /// and returns `None`.
    pub fn move_stage(
        &self,
        subject: Id,
        to: AnyStage,
        note: Option<&str>,
    ) -> Result<Option<StageChange>, StoreError> {
        let ladder = to.ladder();
        let sql = format!("SELECT stage FROM {} WHERE id = ?1", table(ladder));
        let current: Option<String> =
            self.conn
                .query_row(&sql, [subject], |r| r.get(0))
                .map_err(|e| match e {
                    rusqlite::Error::QueryReturnedNoRows => StoreError::NotFound {
                        what: format!("{} {subject}", ladder.as_str()),
                    },
                    e => e.into(),
                })?;
        if current.as_deref() == Some(to.as_str()) {
            return Ok(None);
        }
        let sql = format!(
            "UPDATE {} SET stage = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
            table(ladder)
        );
        self.conn
            .execute(&sql, params![subject, to.as_str(), ts_text(&self.now)])?;
        let change = StageChange {
            id: 0,
            uid: uuid::Uuid::new_v4().to_string(),
            ladder,
            subject,
            from: current,
            to: to.as_str().to_string(),
            at: self.now,
            note: note.map(str::to_string),
            extra: crate::domain::Extra::new(),
        };
        let id = self.upsert_stage_change(&change)?;
        Ok(Some(StageChange { id, ..change }))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{add_person, at, person, store};
    use super::*;
    use crate::domain::PersonStage;

    #[test]
    fn move_stage_records_from_and_to_with_the_reason() {
        let mut s = store();
        let p = add_person(&mut s, &person("p-1", "Ana Puig", None));
        let first = at("2026-03-02T10:00:00+01:00");
        let second = at("2026-03-05T16:00:00+01:00");
        let moved = s
            .write(first, |w| {
                w.move_stage(p, AnyStage::Person(PersonStage::Contacted), None)
            })
            .unwrap()
            .expect("a move");
        assert_eq!((moved.from, moved.to.as_str()), (None, "contacted"));
        let moved = s
            .write(second, |w| {
                w.move_stage(
                    p,
                    AnyStage::Person(PersonStage::Loyal),
                    Some("signed the listing"),
                )
            })
            .unwrap()
            .expect("a move");
        assert_eq!(moved.from.as_deref(), Some("contacted"));

        let history = s.reader().stage_history(Ladder::Person, p).unwrap();
        let seen: Vec<_> = history
            .iter()
            .map(|c| (c.from.as_deref(), c.to.as_str(), c.note.as_deref(), c.at))
            .collect();
        assert_eq!(
            seen,
            [
                (None, "contacted", None, first),
                (
                    Some("contacted"),
                    "loyal",
                    Some("signed the listing"),
                    second
                ),
            ]
        );
        assert_eq!(history[1], moved);
        let (person, stamp) = s.reader().person(p).unwrap().unwrap();
        assert_eq!(person.stage, Some(PersonStage::Loyal));
        assert_eq!((stamp.version, stamp.updated_at), (3, second));

        // Moving to the stage it is in changes nothing.
        let same = s
            .write(second, |w| {
                w.move_stage(p, AnyStage::Person(PersonStage::Loyal), Some("again"))
            })
            .unwrap();
        assert_eq!(same, None);
        assert_eq!(
            s.reader().stage_history(Ladder::Person, p).unwrap().len(),
            2
        );
        assert_eq!(s.reader().person(p).unwrap().unwrap().1.version, 3);

        // An unknown subject is "not found", and nothing is recorded.
        let err = s
            .write(second, |w| {
                w.move_stage(p + 100, AnyStage::Person(PersonStage::Lost), None)
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    }
}
