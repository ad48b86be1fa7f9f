//! The agenda's own reads: birthdays by day of the year, and key people and accounts not in
//! touch for longer than their tier's cadence. Each walks an index and stops at its limit, so
//! the agenda costs the same with 1,000 or 100,000 people.

use rusqlite::params;

use crate::domain::{Birthday, Id, Tier, Vocabulary};

use super::codec::vocab;
use super::{Reader, StoreError};

/// A person whose birthday falls in a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BirthdayRow {
    pub person: Id,
    pub name: String,
    pub birthday: Birthday,
    pub account_name: Option<String>,
}

/// Someone (or some account) not in touch for too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleRow {
    pub id: Id,
    pub name: String,
    /// For a person: their account's name.
    pub account_name: Option<String>,
    pub tier: Option<Tier>,
    /// Unix seconds of the last done interaction; `None` = never.
    pub last_contact: Option<i64>,
}

/// The latest contact allowed before someone counts as stale, per tier (unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleCutoffs {
    pub a: i64,
    pub b: i64,
    pub c: i64,
    /// People without an account, or accounts without a tier.
    pub untiered: i64,
}

impl StaleCutoffs {
    fn of(&self, tier: Option<Tier>) -> i64 {
        match tier {
            Some(Tier::A) => self.a,
            Some(Tier::B) => self.b,
            Some(Tier::C) => self.c,
            None => self.untiered,
        }
    }
}

/// Most key people the stale walk reads: a safety bound far above what a ranking needs.
pub const STALE_WALK: u32 = 20_000;

fn stale_row(r: &rusqlite::Row<'_>) -> Result<StaleRow, StoreError> {
    Ok(StaleRow {
        id: r.get(0)?,
        name: r.get(1)?,
        account_name: r.get(2)?,
        tier: vocab(r.get(3)?)?,
        last_contact: r.get(4)?,
    })
}

impl Reader<'_> {
    /// People whose birthday (`MM-DD`) is in `[from_md, to_md]` (same year, in order); at most
    /// `limit`.
    pub fn birthdays_between(
        &self,
        from_md: &str,
        to_md: &str,
        limit: u32,
    ) -> Result<Vec<BirthdayRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, p.birthday, a.name FROM people p
               LEFT JOIN accounts a ON a.id = p.account_id
             WHERE p.birthday_md >= ?1 AND p.birthday_md <= ?2 AND p.archived_at IS NULL
             ORDER BY p.birthday_md, p.name_key LIMIT ?3",
        )?;
        let mut rows = stmt.query(params![from_md, to_md, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let text: String = r.get(2)?;
            let birthday = text
                .parse::<Birthday>()
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            out.push(BirthdayRow {
                person: r.get(0)?,
                name: r.get(1)?,
                birthday,
                account_name: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// Key people (influence 4–5, not lost) whose last contact is older than their account
    /// tier's cutoff: never contacted first, then by how far past their tier's cutoff they are
    /// (`last_contact - cutoff`, most overdue first). Returns at most `limit`.
    ///
    /// Ranking by a per-tier expression cannot use an index, so instead of sorting every key
    /// person this walks `people_key_contact` oldest contact first and stops as soon as no later
    /// row can rank in: a row contacted at `t` is at best `t - latest_cutoff` past due. The walk
    /// never goes past the latest cutoff, and at most [`STALE_WALK`] rows.
    pub fn stale_key_people(
        &self,
        cutoffs: StaleCutoffs,
        limit: u32,
    ) -> Result<Vec<StaleRow>, StoreError> {
        let want = limit as usize;
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, a.name, a.tier, p.last_contact FROM people p
               LEFT JOIN accounts a ON a.id = p.account_id
             WHERE p.influence >= 4 AND p.last_contact IS NULL AND p.archived_at IS NULL
               AND (p.stage IS NULL OR p.stage != 'lost')
             ORDER BY p.id LIMIT ?1",
        )?;
        let mut out = Vec::new();
        let mut rows = stmt.query([limit])?;
        while let Some(r) = rows.next()? {
            out.push(stale_row(r)?);
        }
        if out.len() >= want {
            return Ok(out);
        }
        let need = want - out.len();
        let latest = cutoffs
            .a
            .max(cutoffs.b)
            .max(cutoffs.c)
            .max(cutoffs.untiered);
        let mut stmt = self.conn.prepare_cached(
            "SELECT p.id, p.name, a.name, a.tier, p.last_contact FROM people p
               LEFT JOIN accounts a ON a.id = p.account_id
             WHERE p.influence >= 4 AND p.last_contact < ?5 AND p.archived_at IS NULL
               AND (p.stage IS NULL OR p.stage != 'lost')
               AND p.last_contact < CASE a.tier WHEN 'A' THEN ?1 WHEN 'B' THEN ?2
                   WHEN 'C' THEN ?3 ELSE ?4 END
             ORDER BY p.last_contact, p.id LIMIT ?6",
        )?;
        let mut rows = stmt.query(params![
            cutoffs.a,
            cutoffs.b,
            cutoffs.c,
            cutoffs.untiered,
            latest,
            STALE_WALK
        ])?;
        // The best `need` so far, by (seconds past the cutoff, id), kept sorted.
        let mut best: Vec<(i64, Id, StaleRow)> = Vec::with_capacity(need + 1);
        while let Some(r) = rows.next()? {
            let row = stale_row(r)?;
            let last = row.last_contact.unwrap_or(0);
            if best.len() == need && best.last().is_some_and(|w| last - latest > w.0) {
                break;
            }
            let key = (last - cutoffs.of(row.tier), row.id);
            let at = best.partition_point(|(s, id, _)| (*s, *id) < key);
            if at < need {
                best.insert(at, (key.0, key.1, row));
                best.truncate(need);
            }
        }
        out.extend(best.into_iter().map(|(_, _, row)| row));
        Ok(out)
    }

    /// Accounts of each tier whose last contact is older than the tier's cutoff, A first, the
    /// longest silent first within a tier; at most `limit` per tier.
    pub fn stale_accounts(
        &self,
        cutoffs: StaleCutoffs,
        limit: u32,
    ) -> Result<Vec<StaleRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, last_contact FROM accounts
             WHERE tier = ?1 AND archived_at IS NULL AND coalesce(last_contact, 0) < ?2
             ORDER BY last_contact, id LIMIT ?3",
        )?;
        let mut out = Vec::new();
        for tier in Tier::ALL {
            let mut rows = stmt.query(params![tier.as_str(), cutoffs.of(Some(*tier)), limit])?;
            while let Some(r) = rows.next()? {
                out.push(StaleRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    account_name: None,
                    tier: Some(*tier),
                    last_contact: r.get(2)?,
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Store;
    use super::super::testing::{account, add_account, add_person, now, person, store};
    use super::*;
    use crate::domain::{Account, Person, PersonStage};

    const DAY: i64 = 86_400;
    /// "Now" for these tests, in unix seconds.
    const T: i64 = 1_772_000_000;

    fn set_last_contact(s: &Store, table: &str, id: Id, at: Option<i64>) {
        s.conn
            .execute(
                &format!("UPDATE {table} SET last_contact = ?2 WHERE id = ?1"),
                params![id, at],
            )
            .unwrap();
    }

    fn cutoffs() -> StaleCutoffs {
        StaleCutoffs {
            a: T - 30 * DAY,
            b: T - 60 * DAY,
            c: T - 90 * DAY,
            untiered: T - 120 * DAY,
        }
    }

    fn tiered(s: &mut Store, uid: &str, tier: Tier) -> Id {
        add_account(
            s,
            &Account {
                tier: Some(tier),
                ..account(uid, uid)
            },
        )
    }

    fn key(s: &mut Store, uid: &str, account: Option<Id>, last: Option<i64>) -> Id {
        let id = add_person(
            s,
            &Person {
                influence: Some(4),
                ..person(uid, uid, account)
            },
        );
        set_last_contact(s, "people", id, last);
        id
    }

    #[test]
    fn stale_key_people_follow_their_account_tier() {
        let mut s = store();
        let a = tiered(&mut s, "A-acc", Tier::A);
        let c = tiered(&mut s, "C-acc", Tier::C);
        // 45 days silent: stale in an A account (30), fresh in a C account (90).
        let in_a = key(&mut s, "in-a", Some(a), Some(T - 45 * DAY));
        let _in_c = key(&mut s, "in-c", Some(c), Some(T - 45 * DAY));
        // Without an account: the untiered cadence (120).
        let _loner_fresh = key(&mut s, "loner-fresh", None, Some(T - 100 * DAY));
        let loner_stale = key(&mut s, "loner-stale", None, Some(T - 130 * DAY));
        let never = key(&mut s, "never", Some(c), None);
        // Not key people, or lost, or archived: never listed.
        let minor = add_person(&mut s, &person("minor", "minor", Some(a)));
        set_last_contact(&s, "people", minor, Some(T - 400 * DAY));
        let lost = key(&mut s, "lost", Some(a), Some(T - 400 * DAY));
        s.write(now(), |w| {
            w.move_stage(
                lost,
                crate::domain::AnyStage::Person(PersonStage::Lost),
                None,
            )
        })
        .unwrap();

        let ids: Vec<_> = s
            .reader()
            .stale_key_people(cutoffs(), 10)
            .unwrap()
            .iter()
            .map(|r| r.id)
            .collect();
        // Never contacted first, then by how far past their tier's cutoff: `in_a` is 15 days
        // past (45 of 30), `loner_stale` 10 (130 of 120), though silent for longer.
        assert_eq!(ids, [never, in_a, loner_stale]);
        // The limit keeps the most overdue, not the longest silent.
        let rows = s.reader().stale_key_people(cutoffs(), 2).unwrap();
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [never, in_a]);
        assert_eq!(rows[1].tier, Some(Tier::A));
        assert_eq!(rows[1].account_name.as_deref(), Some("A-acc"));
    }

    #[test]
    fn a_far_overdue_a_tier_person_outranks_a_barely_stale_c_one() {
        let mut s = store();
        let a = tiered(&mut s, "A-acc", Tier::A);
        let c = tiered(&mut s, "C-acc", Tier::C);
        // Many C people just past their cutoff (91-95 days of 90), silent the longest...
        let c_ids: Vec<Id> = (0..5)
            .map(|i| key(&mut s, &format!("c-{i}"), Some(c), Some(T - (95 - i) * DAY)))
            .collect();
        // ...and one A person 29 days past (59 of 30), silent for less.
        let far = key(&mut s, "a-far", Some(a), Some(T - 59 * DAY));
        let rows = s.reader().stale_key_people(cutoffs(), 3).unwrap();
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [far, c_ids[0], c_ids[1]]);
        // Everyone stale, ranked, when the limit allows.
        let all = s.reader().stale_key_people(cutoffs(), 10).unwrap();
        assert_eq!(all.len(), 6);
        assert_eq!(all[0].id, far);
    }

    #[test]
    fn stale_accounts_per_tier_with_a_limit_per_tier() {
        let mut s = store();
        let mut ids = Vec::new();
        for (uid, tier, days) in [
            ("a-fresh", Tier::A, 20),
            ("a-stale", Tier::A, 40),
            ("a-staler", Tier::A, 50),
            ("b-fresh", Tier::B, 50),
            ("b-stale", Tier::B, 70),
            ("c-fresh", Tier::C, 80),
        ] {
            let id = tiered(&mut s, uid, tier);
            set_last_contact(&s, "accounts", id, Some(T - days * DAY));
            ids.push(id);
        }
        let never = tiered(&mut s, "c-never", Tier::C);
        let untiered = add_account(&mut s, &account("none", "none"));
        set_last_contact(&s, "accounts", untiered, Some(T - 999 * DAY));

        let rows = s.reader().stale_accounts(cutoffs(), 10).unwrap();
        let seen: Vec<_> = rows.iter().map(|r| (r.name.as_str(), r.tier)).collect();
        assert_eq!(
            seen,
            [
                ("a-staler", Some(Tier::A)),
                ("a-stale", Some(Tier::A)),
                ("b-stale", Some(Tier::B)),
                ("c-never", Some(Tier::C)),
            ]
        );
        assert_eq!(rows[3].id, never);
        let limited: Vec<_> = s
            .reader()
            .stale_accounts(cutoffs(), 1)
            .unwrap()
            .into_iter()
            .map(|r| r.name)
            .collect();
        assert_eq!(limited, ["a-staler", "b-stale", "c-never"]);
    }

    #[test]
    fn birthdays_in_a_window_in_calendar_order() {
        let mut s = store();
        let a = add_account(&mut s, &account("acc-1", "Hospital Clínic"));
        for (uid, name, birthday) in [
            ("p-1", "Leap", "1984-02-29"),
            ("p-2", "March", "--03-01"),
            ("p-3", "Early", "1970-02-27"),
            ("p-4", "Outside", "1990-03-02"),
            ("p-5", "January", "1990-01-15"),
        ] {
            add_person(
                &mut s,
                &Person {
                    birthday: Some(birthday.parse().unwrap()),
                    ..person(uid, name, Some(a))
                },
            );
        }
        add_person(&mut s, &person("p-6", "No birthday", Some(a)));
        let rows = s.reader().birthdays_between("02-27", "03-01", 10).unwrap();
        let seen: Vec<_> = rows
            .iter()
            .map(|r| (r.name.as_str(), r.birthday.to_string()))
            .collect();
        assert_eq!(
            seen,
            [
                ("Early", "1970-02-27".to_string()),
                ("Leap", "1984-02-29".to_string()),
                ("March", "--03-01".to_string()),
            ]
        );
        assert_eq!(rows[0].account_name.as_deref(), Some("Hospital Clínic"));
        assert!(
            s.reader()
                .birthdays_between("12-01", "12-31", 10)
                .unwrap()
                .is_empty()
        );
    }
}
