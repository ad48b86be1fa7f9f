//! The people of a deal with their per-deal role (issue 14.3), and the deals a person plays a
//! part in.

use rusqlite::{OptionalExtension, params};

use crate::domain::{DealPerson, DealRole, Id, Vocabulary};

use super::codec::{ts_text, vocab_req};
use super::{Reader, StoreError, Writer};

/// A person of a deal as the deal view lists them: the role row with the person's name and
/// title.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DealPersonRow {
    #[serde(flatten)]
    pub role: DealPerson,
    pub name: String,
    pub title: Option<String>,
}

/// A deal a person plays a part in, with the role and the deal's title.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PersonDealRole {
    pub deal: Id,
    pub title: String,
    pub role: DealRole,
}

fn role_from_row(r: &rusqlite::Row<'_>) -> Result<DealPerson, StoreError> {
    Ok(DealPerson {
        id: r.get(0)?,
        uid: r.get(1)?,
        deal: r.get(2)?,
        person: r.get(3)?,
        role: vocab_req(&r.get::<_, String>(4)?)?,
    })
}

impl Reader<'_> {
    /// The people of a deal, by role (in vocabulary order), then name.
    pub fn deal_people(&self, deal: Id) -> Result<Vec<DealPersonRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.uid, d.deal_id, d.person_id, d.role,
                    coalesce(p.salutation || ' ', '') || p.name, p.title
             FROM deal_people d JOIN people p ON p.id = d.person_id
             WHERE d.deal_id = ?1 ORDER BY p.name_key, d.id",
        )?;
        let mut rows = stmt.query([deal])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(DealPersonRow {
                role: role_from_row(r)?,
                name: r.get(5)?,
                title: r.get(6)?,
            });
        }
        out.sort_by_key(|row| {
            DealRole::ALL
                .iter()
                .position(|x| *x == row.role.role)
                .unwrap_or(usize::MAX)
        });
        Ok(out)
    }

    /// The role row of `person` as `role` in `deal`, if there is one.
    pub fn deal_person(
        &self,
        deal: Id,
        person: Id,
        role: DealRole,
    ) -> Result<Option<DealPerson>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, uid, deal_id, person_id, role FROM deal_people
             WHERE deal_id = ?1 AND person_id = ?2 AND role = ?3",
        )?;
        let mut rows = stmt.query(params![deal, person, role.as_str()])?;
        rows.next()?.map(role_from_row).transpose()
    }

    /// Every role `person` holds in `deal`.
    pub fn deal_roles_of(&self, deal: Id, person: Id) -> Result<Vec<DealPerson>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, uid, deal_id, person_id, role FROM deal_people
             WHERE deal_id = ?1 AND person_id = ?2 ORDER BY id",
        )?;
        let mut rows = stmt.query(params![deal, person])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(role_from_row(r)?);
        }
        Ok(out)
    }

    /// The open deals (not archived, not won or lost) `person` plays a part in, at most `limit`.
    pub fn open_deals_of_person(
        &self,
        person: Id,
        limit: u32,
    ) -> Result<Vec<PersonDealRole>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.title, dp.role FROM deal_people dp JOIN deals d ON d.id = dp.deal_id
             WHERE dp.person_id = ?1 AND d.archived_at IS NULL
               AND (d.stage IS NULL OR d.stage NOT IN ('won','lost'))
             ORDER BY d.close IS NULL, d.close, d.id, dp.id LIMIT ?2",
        )?;
        let mut rows = stmt.query(params![person, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(person_deal_role(r)?);
        }
        Ok(out)
    }

    /// Every role `person` holds in any deal (archived, won and lost ones too), by deal.
    pub fn deal_roles_held(&self, person: Id) -> Result<Vec<PersonDealRole>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id, d.title, dp.role FROM deal_people dp JOIN deals d ON d.id = dp.deal_id
             WHERE dp.person_id = ?1 ORDER BY d.id, dp.id",
        )?;
        let mut rows = stmt.query([person])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(person_deal_role(r)?);
        }
        Ok(out)
    }

    /// The open follow-ups kept on a deal, soonest first, at most `limit`.
    pub fn open_followups_of_deal(
        &self,
        deal: Id,
        limit: u32,
    ) -> Result<Vec<crate::domain::FollowUp>, StoreError> {
        let sql = format!(
            "SELECT {} FROM followups f WHERE f.deal_id = ?1 AND f.status = 'open'
             ORDER BY f.due_date, f.id LIMIT ?2",
            super::followups::COLUMNS
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![deal, limit])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(super::followups::read_row(row)?.0);
        }
        Ok(out)
    }

    /// The id of the deal-person row with this uid.
    pub fn deal_person_by_uid(&self, uid: &str) -> Result<Option<Id>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT id FROM deal_people WHERE uid = ?1")?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    /// Every deal-person row, in id order (the export).
    pub fn all_deal_people(&self) -> Result<Vec<DealPerson>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, uid, deal_id, person_id, role FROM deal_people ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(role_from_row(r)?);
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Adds a role row (a new uid) or, for a uid already there, updates it; returns its id.
    pub fn upsert_deal_person(&self, d: &DealPerson) -> Result<Id, StoreError> {
        let now = ts_text(&self.now);
        self.conn
            .prepare_cached(
                "INSERT INTO deal_people (uid, created_at, updated_at, deal_id, person_id, role)
                 VALUES (?1, ?2, ?2, ?3, ?4, ?5)
                 ON CONFLICT(uid) DO UPDATE SET deal_id = ?3, person_id = ?4, role = ?5,
                   updated_at = ?2, version = version + 1
                 WHERE deal_id IS NOT ?3 OR person_id IS NOT ?4 OR role IS NOT ?5",
            )?
            .execute(params![d.uid, now, d.deal, d.person, d.role.as_str()])?;
        self.conn
            .prepare_cached("SELECT id FROM deal_people WHERE uid = ?1")?
            .query_row([&d.uid], |r| r.get(0))
            .map_err(StoreError::from)
    }

    /// Removes one role row.
    pub fn remove_deal_person(&self, id: Id) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("DELETE FROM deal_people WHERE id = ?1")?
            .execute([id])?;
        Ok(())
    }
}

/// A row of `d.id, d.title, dp.role`: a deal a person plays a part in.
fn person_deal_role(r: &rusqlite::Row<'_>) -> Result<PersonDealRole, StoreError> {
    Ok(PersonDealRole {
        deal: r.get(0)?,
        title: r.get(1)?,
        role: vocab_req(&r.get::<_, String>(2)?)?,
    })
}
