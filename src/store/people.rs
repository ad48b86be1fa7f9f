//! People and the links between them (the power map): insert or update by uid, edit with a
//! version check, read one, list a window.

use rusqlite::{OptionalExtension, Row, params};

use crate::domain::{
    Birthday, Id, Invalid, Link, LinkKind, Person, Stamp, Timestamp, Vocabulary, check_days,
    check_email, check_influence, check_language, check_name, check_text,
    person_name::check_salutation,
};
use crate::text::fold;

use super::codec::{
    extra_json, list_json, opt_str, opt_ts_text, parse_extra, parse_list, parse_opt_ts, stamp,
    ts_text, vocab, vocab_req,
};
use super::interactions::LastContacts;
use super::{Reader, StoreError, UidTable, Writer};

pub(super) const COLUMNS: &str =
    "id, uid, name, account_id, title, role, influence, attitude, stage, phone,
    email, birthday, personal, languages, tags, archived_at, extra, created_at, updated_at, version,
    salutation, family_name";

/// How many columns [`COLUMNS`] names: a query's own columns after them start here.
pub(super) const COLUMN_COUNT: usize = 22;

pub(super) fn read_row(row: &Row<'_>) -> Result<(Person, Stamp), StoreError> {
    let birthday: Option<String> = row.get(11)?;
    let birthday = birthday
        .map(|b| b.parse::<Birthday>())
        .transpose()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let person = Person {
        id: row.get(0)?,
        uid: row.get(1)?,
        name: row.get(2)?,
        salutation: row.get(20)?,
        family_name: row.get(21)?,
        account: row.get(3)?,
        title: row.get(4)?,
        role: vocab(row.get(5)?)?,
        influence: row.get(6)?,
        attitude: vocab(row.get(7)?)?,
        stage: vocab(row.get(8)?)?,
        phone: row.get(9)?,
        email: row.get(10)?,
        birthday,
        personal: row.get(12)?,
        languages: parse_list(&row.get::<_, String>(13)?)?,
        tags: parse_list(&row.get::<_, String>(14)?)?,
        archived_at: parse_opt_ts(row.get(15)?)?,
        extra: parse_extra(&row.get::<_, String>(16)?)?,
    };
    Ok((person, stamp(row, 17)?))
}

/// A link from `id, uid, from_person, to_person, kind, note, extra`.
pub(super) fn link_row(r: &Row<'_>) -> Result<Link, StoreError> {
    Ok(Link {
        id: r.get(0)?,
        uid: r.get(1)?,
        from: r.get(2)?,
        to: r.get(3)?,
        kind: vocab_req(&r.get::<_, String>(4)?)?,
        note: r.get(5)?,
        extra: parse_extra(&r.get::<_, String>(6)?)?,
    })
}

/// Checks the fields a user can get wrong, with the domain's rules (the later ones through
/// [`Writer::new_rule`]).
pub fn validate(p: &Person, w: &Writer<'_>) -> Result<(), StoreError> {
    check_name("name", &p.name)?;
    if let Some(s) = &p.salutation {
        check_salutation("salutation", s)?;
    }
    if let Some(f) = &p.family_name {
        check_name("family_name", f)?;
    }
    for (field, value) in [
        ("title", &p.title),
        ("personal", &p.personal),
        ("phone", &p.phone),
        ("email", &p.email),
    ] {
        if let Some(v) = value {
            check_text(field, v)?;
        }
    }
    if let Some(v) = p.extra.get(crate::cadence::OWN_CADENCE_KEY) {
        if crate::cadence::own_cadence(&p.extra).is_none() {
            let key = crate::cadence::OWN_CADENCE_KEY;
            return Err(match v.as_i64() {
                Some(days) => check_days(key, days, crate::cadence::MAX_OWN_CADENCE)
                    .err()
                    .unwrap_or_else(|| Invalid::new(key, format!("{v} is out of range"))),
                None => Invalid::new(
                    key,
                    format!("{v} is not a whole number of days; give one such as 21"),
                ),
            }
            .into());
        }
    }
    if let Some(i) = p.influence {
        check_influence("influence", i64::from(i))?;
    }
    w.new_rule(UidTable::People, &p.uid, "email", p.email.as_ref(), |e| {
        check_email("email", e)
    })?;
    let refused: Vec<&String> = p
        .languages
        .iter()
        .filter(|l| check_language("languages", l).is_err())
        .collect();
    if !refused.is_empty() {
        // As new_rule, per language: one the record already had may stay.
        let stored: Option<String> = w.stored_column(UidTable::People, &p.uid, "languages")?;
        let old = stored
            .map(|s| super::codec::parse_list(&s))
            .transpose()?
            .unwrap_or_default();
        if let Some(new) = refused.into_iter().find(|l| !old.contains(l)) {
            check_language("languages", new)?;
        }
    }
    Ok(())
}

impl Reader<'_> {
    /// One person with their stamp.
    pub fn person(&self, id: Id) -> Result<Option<(Person, Stamp)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM people WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(read_row).transpose()
    }

    /// A window of people ordered by family name, then name
    /// ([`crate::domain::person_name::sort_key`]); only those of `account` when given.
    pub fn people(
        &self,
        account: Option<Id>,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<Person>, StoreError> {
        // Two statements, so each walks its own index in name order and stops at the limit.
        let sql = match account {
            Some(_) => format!(
                "SELECT {COLUMNS} FROM people WHERE account_id = ?1 AND archived_at IS NULL
                 ORDER BY sort_key, id LIMIT ?2 OFFSET ?3"
            ),
            None => format!(
                "SELECT {COLUMNS} FROM people WHERE archived_at IS NULL AND ?1 IS NULL
                 ORDER BY sort_key, id LIMIT ?2 OFFSET ?3"
            ),
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![account, limit, offset])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read_row(row)?.0);
        }
        Ok(out)
    }

    /// When the person was last seen and last touched ([`LastContacts`]).
    pub fn person_contacts(&self, id: Id) -> Result<LastContacts, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT last_contact, last_touch FROM people WHERE id = ?1")?
            .query_row([id], |r| {
                Ok(LastContacts {
                    seen: r.get(0)?,
                    touch: r.get(1)?,
                })
            })
            .optional()?
            .unwrap_or_default())
    }

    /// Unix seconds of the person's last seen: the latest done meeting, visit, call, meal or
    /// event they took part in (`crate::domain::contact`).
    pub fn person_last_contact(&self, id: Id) -> Result<Option<i64>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT last_contact FROM people WHERE id = ?1")?;
        let mut rows = stmt.query([id])?;
        Ok(match rows.next()? {
            Some(r) => r.get(0)?,
            None => None,
        })
    }

    /// Links from or to a person, with the other person's name: links they make first, then
    /// links to them, at most `limit`; and how many there are in all.
    pub fn links_of(
        &self,
        person: Id,
        limit: u32,
    ) -> Result<(Vec<(Link, String)>, i64), StoreError> {
        // Outgoing then incoming, each an indexed walk that stops at the limit (a hub person
        // can have hundreds of people reporting to them).
        let mut out = Vec::new();
        for sql in [
            "SELECT l.id, l.uid, l.from_person, l.to_person, l.kind, l.note, l.extra, p.name
             FROM links l JOIN people p ON p.id = l.to_person
             WHERE l.from_person = ?1 ORDER BY l.from_person, l.id LIMIT ?2",
            "SELECT l.id, l.uid, l.from_person, l.to_person, l.kind, l.note, l.extra, p.name
             FROM links l JOIN people p ON p.id = l.from_person
             WHERE l.to_person = ?1 AND l.from_person != ?1 ORDER BY l.to_person, l.id LIMIT ?2",
        ] {
            let room = limit.saturating_sub(u32::try_from(out.len()).unwrap_or(u32::MAX));
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut rows = stmt.query(params![person, room])?;
            while let Some(r) = rows.next()? {
                out.push((link_row(r)?, r.get(7)?));
            }
        }
        let total: i64 = self
            .conn
            .prepare_cached(
                "SELECT (SELECT count(*) FROM links WHERE from_person = ?1)
                  + (SELECT count(*) FROM links WHERE to_person = ?1 AND from_person != ?1)",
            )?
            .query_row([person], |r| r.get(0))?;
        Ok((out, total))
    }

    /// Whether `from` already has a link of `kind` to `to`.
    pub fn link_exists(&self, from: Id, to: Id, kind: LinkKind) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM links WHERE from_person = ?1 AND to_person = ?2
                   AND kind = ?3)",
            )?
            .query_row(params![from, to, kind.as_str()], |r| r.get(0))?)
    }
}

impl Writer<'_> {
    /// Adds the person, or updates the one with the same uid. Stamps default to now, except
    /// that an update keeps the record's `created_at` unless one is given.
    pub fn upsert_person(
        &self,
        p: &Person,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> Result<Id, StoreError> {
        validate(p, self)?;
        let id = self.upsert_by_uid(
            UidTable::People,
            &p.uid,
            "INSERT INTO people (uid, name, name_key, account_id, title, role, influence, attitude,
                stage, phone, email, birthday, birthday_md, personal, languages, tags, archived_at,
                extra, created_at, updated_at, salutation, family_name, sort_key)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,
                ?22,?23,?24)
             ON CONFLICT(uid) DO UPDATE SET name=?2, name_key=?3, account_id=?4, title=?5,
                role=?6, influence=?7, attitude=?8, stage=?9, phone=?10, email=?11, birthday=?12,
                birthday_md=?13, personal=?14, languages=?15, tags=?16, archived_at=?17,
                extra=?18, created_at=coalesce(?21, created_at), updated_at=?20,
                salutation=?22, family_name=?23, sort_key=?24, version=version+1
             RETURNING id",
            params![
                p.uid,
                p.name,
                fold(&p.name),
                p.account,
                p.title,
                opt_str(p.role),
                p.influence,
                opt_str(p.attitude),
                opt_str(p.stage),
                p.phone,
                p.email,
                p.birthday.map(|b| b.to_string()),
                p.birthday.map(Birthday::month_day),
                p.personal,
                list_json(&p.languages),
                list_json(&p.tags),
                opt_ts_text(p.archived_at.as_ref()),
                extra_json(&p.extra),
                ts_text(&created_at.unwrap_or(self.now)),
                ts_text(&updated_at.unwrap_or(self.now)),
                // An update keeps the record's creation time unless one is given (import).
                created_at.as_ref().map(ts_text),
                p.salutation,
                p.family_name,
                p.sort_key(),
            ],
        )?;
        Ok(id)
    }

    /// Saves an edited person if nobody changed them since `version` was read (see
    /// [`Writer::update_account`]); false, and nothing written, when nothing changed.
    pub fn update_person(&self, p: &Person, version: i64) -> Result<bool, StoreError> {
        self.check_version("people", p.id, Some(&p.uid), version, || {
            format!("person #p{}", p.id)
        })?;
        if self.person(p.id)?.is_some_and(|(stored, _)| stored == *p) {
            return Ok(false);
        }
        self.upsert_person(p, None, None)?;
        Ok(true)
    }

    /// Adds the link, or updates the one with the same uid.
    pub fn upsert_link(&self, l: &Link) -> Result<Id, StoreError> {
        if let Some(n) = &l.note {
            check_text("note", n)?;
        }
        self.check_link(l)?;
        let now = ts_text(&self.now);
        self.upsert_by_uid(
            UidTable::Links,
            &l.uid,
            "INSERT INTO links (uid, from_person, to_person, kind, note, extra, created_at,
                updated_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?7)
             ON CONFLICT(uid) DO UPDATE SET from_person=?2, to_person=?3, kind=?4, note=?5,
                extra=?6, updated_at=?7, version=version+1
             RETURNING id",
            params![
                l.uid,
                l.from,
                l.to,
                l.kind.as_str(),
                l.note,
                extra_json(&l.extra),
                now
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{account, add_account, add_person, now, person, store};
    use super::*;
    use crate::domain::Invalid;

    #[test]
    fn a_window_of_an_accounts_people_reads_them_in_family_name_order_without_sorting() {
        let s = store();
        let plan: Vec<String> = s
            .conn
            .prepare(&format!(
                "EXPLAIN QUERY PLAN SELECT {COLUMNS} FROM people
                 WHERE account_id = ?1 AND archived_at IS NULL
                 ORDER BY sort_key, id LIMIT ?2 OFFSET ?3"
            ))
            .unwrap()
            .query_map(params![1, 10, 0], |r| r.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().all(|step| !step.contains("TEMP B-TREE")),
            "{plan:?}"
        );
    }

    #[test]
    fn upsert_by_uid_updates_in_place_with_every_column() {
        let mut s = store();
        let a = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        let mut p = Person {
            title: Some("Head of Pharmacy".into()),
            influence: Some(5),
            birthday: Some("1970-02-28".parse().unwrap()),
            ..person("p-1", "Ana Puig", Some(a))
        };
        let id = add_person(&mut s, &p);
        let (saved, stamp) = s.reader().person(id).unwrap().unwrap();
        assert_eq!(saved, Person { id, ..p.clone() });
        assert_eq!(stamp.version, 1);

        p.title = Some("Medical Director".into());
        assert_eq!(add_person(&mut s, &p), id);
        let (saved, stamp) = s.reader().person(id).unwrap().unwrap();
        assert_eq!(saved.title.as_deref(), Some("Medical Director"));
        assert_eq!(stamp.version, 2);
        assert_eq!(s.reader().people(None, 10, 0).unwrap().len(), 1);
    }

    #[test]
    fn update_keeps_every_column_and_checks_the_version() {
        let mut s = store();
        let id = add_person(&mut s, &person("p-1", "Ana Puig", None));
        let (mut p, stamp) = s.reader().person(id).unwrap().unwrap();
        p.title = Some("Head of Pharmacy".into());
        p.influence = Some(4);
        p.email = Some("ana@example.org".into());
        s.write(now(), |w| w.update_person(&p, stamp.version))
            .unwrap();
        let (saved, saved_stamp) = s.reader().person(id).unwrap().unwrap();
        assert_eq!(saved, p);

        p.title = Some("overwritten".into());
        let err = s
            .write(now(), |w| w.update_person(&p, stamp.version))
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        assert_eq!(
            s.reader().person(id).unwrap().unwrap(),
            (saved, saved_stamp)
        );
    }

    #[test]
    fn the_salutation_and_family_name_are_kept_and_checked() {
        assert_eq!(COLUMNS.split(',').count(), COLUMN_COUNT);
        let mut s = store();
        let p = Person {
            salutation: Some("Dra.".into()),
            family_name: Some("Peña Olmedo".into()),
            ..person("p-1", "Carmen Peña Olmedo", None)
        };
        let id = add_person(&mut s, &p);
        let (saved, _) = s.reader().person(id).unwrap().unwrap();
        assert_eq!(saved, Person { id, ..p });
        let key: String = s
            .conn
            .query_row("SELECT sort_key FROM people WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(key, "pena olmedo\u{1f}carmen pena olmedo");
        for (bad, field) in [
            (
                Person {
                    salutation: Some("Dr.\nHouse".into()),
                    ..person("p-2", "Gregory House", None)
                },
                "salutation",
            ),
            (
                Person {
                    family_name: Some(" ".into()),
                    ..person("p-2", "Gregory House", None)
                },
                "family_name",
            ),
        ] {
            match s.write(now(), |w| w.upsert_person(&bad, None, None)) {
                Err(StoreError::Invalid(Invalid { field: f, .. })) => assert_eq!(f, field),
                other => panic!("{field}: expected Invalid, got {other:?}"),
            }
        }
    }

    #[test]
    fn invalid_fields_are_named() {
        let mut s = store();
        for (p, field) in [
            (person("p-1", "Ana\0Puig", None), "name"),
            (person("p-1", "", None), "name"),
            (
                Person {
                    influence: Some(7),
                    ..person("p-1", "Ana Puig", None)
                },
                "influence",
            ),
        ] {
            match s.write(now(), |w| w.upsert_person(&p, None, None)) {
                Err(StoreError::Invalid(Invalid { field: f, .. })) => assert_eq!(f, field),
                other => panic!("{field}: expected Invalid, got {other:?}"),
            }
        }
        assert!(s.reader().people(None, 10, 0).unwrap().is_empty());
    }
}
