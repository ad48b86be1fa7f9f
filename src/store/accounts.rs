//! Accounts: insert or update by uid, edit with a version check, read one, list a window.

use rusqlite::{OptionalExtension, Row, params};

use crate::domain::{
    Account, Id, Invalid, Stamp, Timestamp, check_country, check_currency, check_money, check_name,
    check_text,
};
use crate::text::fold;

use super::codec::{
    extra_json, list_json, opt_str, opt_ts_text, parse_extra, parse_list, parse_opt_ts, stamp,
    ts_text, vocab,
};
use super::{Reader, StoreError, UidTable, Writer};

pub(super) const COLUMNS: &str =
    "id, uid, name, kind, tier, stage, territory, city, country, address, website,
    phone, revenue, our_sales, currency, about, needs, plans, competitors, tags, archived_at, extra,
    created_at, updated_at, version, travel_minutes";

pub(super) fn read_row(row: &Row<'_>) -> Result<(Account, Stamp), StoreError> {
    let account = Account {
        id: row.get(0)?,
        uid: row.get(1)?,
        name: row.get(2)?,
        kind: row.get(3)?,
        tier: vocab(row.get(4)?)?,
        stage: vocab(row.get(5)?)?,
        territory: row.get(6)?,
        city: row.get(7)?,
        country: row.get(8)?,
        address: row.get(9)?,
        website: row.get(10)?,
        phone: row.get(11)?,
        revenue: row.get(12)?,
        our_sales: row.get(13)?,
        currency: row.get(14)?,
        about: row.get(15)?,
        needs: row.get(16)?,
        plans: row.get(17)?,
        competitors: row.get(18)?,
        tags: parse_list(&row.get::<_, String>(19)?)?,
        archived_at: parse_opt_ts(row.get(20)?)?,
        extra: parse_extra(&row.get::<_, String>(21)?)?,
        travel_minutes: row.get(25)?,
    };
    Ok((account, stamp(row, 22)?))
}

/// Checks the fields a user can get wrong, with the domain's rules. `stored` reads a column of
/// the record as stored (by uid), for the rules that came after records were written: see
/// [`Writer::new_rule`].
pub fn validate(a: &Account, w: &Writer<'_>) -> Result<(), StoreError> {
    check_name("name", &a.name)?;
    for (field, value) in [
        ("about", &a.about),
        ("needs", &a.needs),
        ("plans", &a.plans),
        ("competitors", &a.competitors),
        ("kind", &a.kind),
        ("territory", &a.territory),
        ("city", &a.city),
        ("address", &a.address),
    ] {
        if let Some(v) = value {
            check_text(field, v)?;
        }
    }
    if let Some(m) = a.travel_minutes {
        crate::domain::travel::check_travel("travel", m)?;
    }
    let t = UidTable::Accounts;
    w.new_rule(t, &a.uid, "currency", a.currency.as_ref(), |c| {
        check_currency("currency", c)
    })?;
    w.new_rule(t, &a.uid, "country", a.country.as_ref(), |c| {
        check_country("country", c)
    })?;
    w.new_rule(t, &a.uid, "revenue", a.revenue.as_ref(), |v| {
        check_money("revenue", *v)
    })?;
    w.new_rule(t, &a.uid, "our_sales", a.our_sales.as_ref(), |v| {
        check_money("our_sales", *v)
    })?;
    Ok(())
}

impl Reader<'_> {
    /// One account with its stamp.
    pub fn account(&self, id: Id) -> Result<Option<(Account, Stamp)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(read_row).transpose()
    }

    /// A window of accounts ordered by name.
    pub fn accounts(&self, limit: u32, offset: u32) -> Result<Vec<Account>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM accounts WHERE archived_at IS NULL
             ORDER BY name_key, id LIMIT ?1 OFFSET ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![limit, offset])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read_row(row)?.0);
        }
        Ok(out)
    }

    /// Unix seconds of the latest done interaction with the account.
    pub fn account_last_contact(&self, id: Id) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT last_contact FROM accounts WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }
}

impl Writer<'_> {
    /// Adds the account, or updates the one with the same uid. Stamps default to now, except
    /// that an update keeps the record's `created_at` unless one is given.
    pub fn upsert_account(
        &self,
        a: &Account,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> Result<Id, StoreError> {
        validate(a, self)?;
        let created = ts_text(&created_at.unwrap_or(self.now));
        let updated = ts_text(&updated_at.unwrap_or(self.now));
        let id = self.upsert_by_uid(
            UidTable::Accounts,
            &a.uid,
            "INSERT INTO accounts (uid, name, name_key, kind, tier, stage, territory, city, country,
                address, website, phone, revenue, our_sales, currency, about, needs, plans,
                competitors, tags, archived_at, extra, created_at, updated_at, travel_minutes)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,?26)
             ON CONFLICT(uid) DO UPDATE SET name=?2, name_key=?3, kind=?4, tier=?5, stage=?6,
                territory=?7, city=?8, country=?9, address=?10, website=?11, phone=?12,
                revenue=?13, our_sales=?14, currency=?15, about=?16, needs=?17, plans=?18,
                competitors=?19, tags=?20, archived_at=?21, extra=?22, travel_minutes=?26,
                created_at=coalesce(?25, created_at),
                updated_at=?24, version=version+1
             RETURNING id",
            params![
                a.uid,
                a.name,
                fold(&a.name),
                a.kind,
                opt_str(a.tier),
                opt_str(a.stage),
                a.territory,
                a.city,
                a.country,
                a.address,
                a.website,
                a.phone,
                a.revenue,
                a.our_sales,
                a.currency,
                a.about,
                a.needs,
                a.plans,
                a.competitors,
                list_json(&a.tags),
                opt_ts_text(a.archived_at.as_ref()),
                extra_json(&a.extra),
                created,
                updated,
                // An update keeps the record's creation time unless one is given (import).
                created_at.as_ref().map(ts_text),
                a.travel_minutes,
            ],
        )?;
        Ok(id)
    }

    /// Saves an edited account if nobody changed it since `version` was read. The same write as
    /// an upsert by uid (one column list to keep right), after the version check; inside the
    /// IMMEDIATE transaction nobody can slip in between the two. An edit that changes nothing
    /// writes nothing (no new version, `updated_at` kept) and returns false, so the caller can
    /// say "nothing changed".
    pub fn update_account(&self, a: &Account, version: i64) -> Result<bool, StoreError> {
        self.check_version("accounts", a.id, Some(&a.uid), version, || {
            format!("account #a{}", a.id)
        })?;
        if self.account(a.id)?.is_some_and(|(stored, _)| stored == *a) {
            return Ok(false);
        }
        self.upsert_account(a, None, None)?;
        Ok(true)
    }
}

impl Writer<'_> {
    /// Runs a rule that came after records were written (ISO codes, e-mail, signs): a value it
    /// refuses may stay as the record `uid` of `table` holds it in `column` — old notebooks and
    /// files keep loading, and editing another field of such a record still saves — but a new
    /// or changed value must pass. The stored value is read only when the rule refuses.
    pub(super) fn new_rule<T: rusqlite::types::FromSql + PartialEq>(
        &self,
        table: UidTable,
        uid: &str,
        column: &str,
        value: Option<&T>,
        rule: impl FnOnce(&T) -> Result<(), Invalid>,
    ) -> Result<(), StoreError> {
        let Some(v) = value else {
            return Ok(());
        };
        let Err(e) = rule(v) else {
            return Ok(());
        };
        if self.stored_column::<T>(table, uid, column)?.as_ref() == Some(v) {
            Ok(())
        } else {
            Err(e.into())
        }
    }

    /// One column of the record `uid` of `table` as stored; `None` when there is no such record
    /// or the column is NULL.
    pub(super) fn stored_column<T: rusqlite::types::FromSql>(
        &self,
        table: UidTable,
        uid: &str,
        column: &str,
    ) -> Result<Option<T>, StoreError> {
        let sql = format!("SELECT {column} FROM {} WHERE uid = ?1", table.name());
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([uid], |r| r.get::<_, Option<T>>(0))
            .optional()?
            .flatten())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{account, add_account, at, now, store};
    use super::*;
    use crate::domain::Invalid;

    fn invalid_field(e: StoreError) -> String {
        match e {
            StoreError::Invalid(Invalid { field, .. }) => field,
            e => panic!("expected Invalid, got {e:?}"),
        }
    }

    #[test]
    fn upsert_by_uid_updates_in_place() {
        let mut s = store();
        let id = add_account(&mut s, &account("acc-1", "Hospital Clinic"));
        let later = at("2026-03-03T09:00:00+01:00");
        let again = s
            .write(later, |w| {
                w.upsert_account(&account("acc-1", "Hospital Clínic"), None, None)
            })
            .unwrap();
        assert_eq!(again, id);
        let all = s.reader().accounts(10, 0).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].name, "Hospital Clínic");
        let (_, stamp) = s.reader().account(id).unwrap().unwrap();
        assert_eq!(stamp.version, 2);
        assert_eq!(stamp.updated_at, later);
        // An update is not a creation: the record keeps the moment it was made.
        assert_eq!(stamp.created_at, now());
    }

    #[test]
    fn upsert_keeps_stamps_that_are_given() {
        let mut s = store();
        let made = at("2020-01-01T08:00:00+00:00");
        let edited = at("2021-06-01T08:00:00+02:00");
        let id = s
            .write(now(), |w| {
                w.upsert_account(
                    &account("acc-1", "Hospital Clínic"),
                    Some(made),
                    Some(edited),
                )
            })
            .unwrap();
        let (_, stamp) = s.reader().account(id).unwrap().unwrap();
        assert_eq!((stamp.created_at, stamp.updated_at), (made, edited));
    }

    #[test]
    fn update_with_a_stale_version_is_a_conflict_and_changes_nothing() {
        let mut s = store();
        let id = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        let (mut a, stamp) = s.reader().account(id).unwrap().unwrap();
        a.city = Some("Barcelona".into());
        s.write(now(), |w| w.update_account(&a, stamp.version))
            .unwrap();
        let (saved, saved_stamp) = s.reader().account(id).unwrap().unwrap();
        assert_eq!(saved_stamp.version, stamp.version + 1);

        // A second window still holding the old version.
        a.city = Some("Madrid".into());
        let err = s
            .write(now(), |w| w.update_account(&a, stamp.version))
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        assert_eq!(
            s.reader().account(id).unwrap().unwrap(),
            (saved, saved_stamp)
        );
    }

    #[test]
    fn invalid_fields_are_named_and_nothing_is_written() {
        let mut s = store();
        let bad_name = account("acc-1", "Hospital\0Clínic");
        let err = s
            .write(now(), |w| {
                // A valid record first: the whole transaction must be undone.
                w.upsert_account(&account("acc-0", "Fine"), None, None)?;
                w.upsert_account(&bad_name, None, None)
            })
            .unwrap_err();
        assert_eq!(invalid_field(err), "name");
        assert!(s.reader().accounts(10, 0).unwrap().is_empty());

        let err = s
            .write(now(), |w| {
                w.upsert_account(&account("acc-1", "  "), None, None)
            })
            .unwrap_err();
        assert_eq!(invalid_field(err), "name");

        let lower = Account {
            currency: Some("eur".into()),
            ..account("acc-1", "Hospital Clínic")
        };
        let err = s
            .write(now(), |w| w.upsert_account(&lower, None, None))
            .unwrap_err();
        assert_eq!(invalid_field(err), "currency");
        assert!(s.reader().accounts(10, 0).unwrap().is_empty());
    }
}
