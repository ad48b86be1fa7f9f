//! The agenda's own reads: birthdays by day of the year, and key people and accounts not in
//! touch for longer than their tier's cadence. Each walks an index and stops at its limit, so
//! the agenda costs the same with 1,000 or 100,000 people.

use rusqlite::params;

use crate::domain::{Birthday, Id, PersonStage, Tier, Vocabulary};

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
    /// For a person: what their cadence is computed from (`None` for an account).
    pub influence: Option<u8>,
    pub stage: Option<PersonStage>,
    pub own_cadence: Option<u32>,
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

const DUE_COLUMNS: &str = "p.id, coalesce(p.salutation || ' ', '') || p.name, a.name, a.tier, p.last_contact, p.influence, p.stage,
    p.cadence_days";

fn stale_row(r: &rusqlite::Row<'_>) -> Result<StaleRow, StoreError> {
    Ok(StaleRow {
        id: r.get(0)?,
        name: r.get(1)?,
        account_name: r.get(2)?,
        tier: vocab(r.get(3)?)?,
        last_contact: r.get(4)?,
        influence: r.get(5)?,
        stage: vocab(r.get(6)?)?,
        own_cadence: r.get(7)?,
    })
}

/// Who the due-for-contact walk keeps: the best `want` by (seconds past the cutoff, id).
struct Best {
    want: usize,
    rows: Vec<(i64, Id, StaleRow)>,
}

impl Best {
    fn worst(&self) -> Option<i64> {
        (self.rows.len() >= self.want)
            .then(|| self.rows.last().map(|w| w.0))
            .flatten()
    }

    fn offer(&mut self, key: i64, row: StaleRow) {
        if self.rows.iter().any(|(_, id, _)| *id == row.id) {
            return;
        }
        let at = self
            .rows
            .partition_point(|(s, id, _)| (*s, *id) < (key, row.id));
        if at < self.want {
            self.rows.insert(at, (key, row.id, row));
            self.rows.truncate(self.want);
        }
    }
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
            "SELECT p.id, coalesce(p.salutation || ' ', '') || p.name, p.birthday, a.name FROM people p
               LEFT JOIN accounts a ON a.id = p.account_id
             WHERE p.birthday_md >= ?1 AND p.birthday_md <= ?2 AND p.archived_at IS NULL
               AND a.archived_at IS NULL
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

    /// People due for contact: key people (influence 4–5) and anyone with their own cadence,
    /// tracked (`cutoff` gives `Some`: the latest contact allowed, unix seconds) and not in
    /// touch since. Never contacted first (by id), then by how far past their cutoff they are
    /// (`last_contact - cutoff`, most overdue first). Returns at most `limit`.
    ///
    /// Ranking by a per-person cutoff cannot use an index, so instead of sorting everyone this
    /// walks two indexes oldest contact first — key people without an own cadence
    /// (`people_key_contact`), then people with one (`people_own_cadence`) — and stops each walk
    /// as soon as no later row can rank in: a row contacted at `t` is at best `t - latest` past
    /// due, where `latest_key` is the latest cutoff a key person without an own cadence can have
    /// and `latest_own` that of an own cadence (one day). At most [`STALE_WALK`] rows a walk.
    pub fn due_people(
        &self,
        latest_key: i64,
        latest_own: i64,
        limit: u32,
        cutoff: &dyn Fn(&StaleRow) -> Option<i64>,
    ) -> Result<Vec<StaleRow>, StoreError> {
        let want = limit as usize;
        let mut out = Vec::new();
        // The never contacted, by id. Each index named is the one the planner takes anyway;
        // naming it spares it a look at people's other fifteen (~50 K instructions to compile).
        for sql in [
            format!(
                "SELECT {DUE_COLUMNS} FROM people p INDEXED BY people_key_contact
                   LEFT JOIN accounts a ON a.id = p.account_id
                 WHERE p.influence >= 4 AND p.last_contact IS NULL AND p.archived_at IS NULL
                   AND a.archived_at IS NULL AND (p.stage IS NULL OR p.stage != 'lost')
                 ORDER BY p.id LIMIT ?1"
            ),
            format!(
                "SELECT {DUE_COLUMNS} FROM people p INDEXED BY people_own_cadence
                   LEFT JOIN accounts a ON a.id = p.account_id
                 WHERE p.cadence_days IS NOT NULL AND p.last_contact IS NULL
                   AND p.archived_at IS NULL AND a.archived_at IS NULL
                 ORDER BY p.id LIMIT ?1"
            ),
        ] {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([limit])?;
            while let Some(r) = rows.next()? {
                let row = stale_row(r)?;
                if cutoff(&row).is_some() && !out.iter().any(|o: &StaleRow| o.id == row.id) {
                    out.push(row);
                }
            }
        }
        out.sort_by_key(|r| r.id);
        out.truncate(want);
        if out.len() >= want {
            return Ok(out);
        }
        let mut best = Best {
            want: want - out.len(),
            rows: Vec::new(),
        };
        for (sql, latest, own_walk) in [
            (
                format!(
                    "SELECT {DUE_COLUMNS} FROM people p LEFT JOIN accounts a ON a.id = p.account_id
                     WHERE p.influence >= 4 AND p.last_contact < ?1 AND p.archived_at IS NULL
                       AND a.archived_at IS NULL
                     ORDER BY p.last_contact, p.id LIMIT ?2"
                ),
                latest_key,
                false,
            ),
            (
                format!(
                    "SELECT {DUE_COLUMNS} FROM people p LEFT JOIN accounts a ON a.id = p.account_id
                     WHERE p.cadence_days IS NOT NULL AND p.last_contact < ?1
                       AND p.archived_at IS NULL AND a.archived_at IS NULL
                     ORDER BY p.last_contact, p.id LIMIT ?2"
                ),
                latest_own,
                true,
            ),
        ] {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query(params![latest, STALE_WALK])?;
            while let Some(r) = rows.next()? {
                let row = stale_row(r)?;
                let last = row.last_contact.unwrap_or(0);
                if best.worst().is_some_and(|w| last - latest > w) {
                    break;
                }
                // Own cadences are ranked by their own walk (their cutoff may be later).
                if row.own_cadence.is_some() && !own_walk {
                    continue;
                }
                if let Some(c) = cutoff(&row).filter(|c| last < *c) {
                    best.offer(last - c, row);
                }
            }
        }
        out.extend(best.rows.into_iter().map(|(_, _, row)| row));
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
                    influence: None,
                    stage: None,
                    own_cadence: None,
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

    /// The due walk with the tier cutoffs, an own cadence counted in days from `T`, and no
    /// cadence for identified or lost people.
    fn due(s: &Store, limit: u32) -> Vec<StaleRow> {
        let c = cutoffs();
        let cutoff = |r: &StaleRow| -> Option<i64> {
            if let Some(days) = r.own_cadence {
                return Some(T - i64::from(days) * DAY);
            }
            match r.stage {
                Some(PersonStage::Lost | PersonStage::Identified) => None,
                _ => Some(c.of(r.tier)),
            }
        };
        s.reader().due_people(c.a, T - DAY, limit, &cutoff).unwrap()
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
    fn key_people_are_due_past_their_cutoff() {
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

        let ids: Vec<_> = due(&s, 10).iter().map(|r| r.id).collect();
        // Never contacted first, then by how far past their tier's cutoff: `in_a` is 15 days
        // past (45 of 30), `loner_stale` 10 (130 of 120), though silent for longer.
        assert_eq!(ids, [never, in_a, loner_stale]);
        // The limit keeps the most overdue, not the longest silent.
        let rows = due(&s, 2);
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [never, in_a]);
        assert_eq!(rows[1].tier, Some(Tier::A));
        assert_eq!(rows[1].account_name.as_deref(), Some("A-acc"));
    }

    #[test]
    fn an_own_cadence_lists_anyone_and_replaces_the_tiers() {
        let mut s = store();
        let a = tiered(&mut s, "A-acc", Tier::A);
        let own = |days: u32| {
            let mut extra = crate::domain::Extra::new();
            extra.insert(crate::cadence::OWN_CADENCE_KEY.into(), days.into());
            extra
        };
        // Not a key person, but asked to be seen weekly: 10 days silent is 3 days past.
        let weekly = add_person(
            &mut s,
            &Person {
                extra: own(7),
                ..person("weekly", "weekly", Some(a))
            },
        );
        set_last_contact(&s, "people", weekly, Some(T - 10 * DAY));
        // A key person given 100 days: 45 days silent in an A account is fine.
        let relaxed = add_person(
            &mut s,
            &Person {
                influence: Some(5),
                extra: own(100),
                ..person("relaxed", "relaxed", Some(a))
            },
        );
        set_last_contact(&s, "people", relaxed, Some(T - 45 * DAY));
        // A never-contacted person with an own cadence comes first.
        let fresh = add_person(
            &mut s,
            &Person {
                extra: own(30),
                ..person("fresh", "fresh", None)
            },
        );
        let in_a = key(&mut s, "in-a", Some(a), Some(T - 40 * DAY));
        let ids: Vec<_> = due(&s, 10).iter().map(|r| r.id).collect();
        assert_eq!(ids, [fresh, in_a, weekly]);
        assert_eq!(due(&s, 10)[2].own_cadence, Some(7));
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
        let rows = due(&s, 3);
        let ids: Vec<_> = rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, [far, c_ids[0], c_ids[1]]);
        // Everyone stale, ranked, when the limit allows.
        let all = due(&s, 10);
        assert_eq!(all.len(), 6);
        assert_eq!(all[0].id, far);
    }

    #[test]
    fn people_of_an_archived_account_are_not_due() {
        let mut s = store();
        let gone = add_account(
            &mut s,
            &Account {
                tier: Some(Tier::A),
                archived_at: Some(now()),
                ..account("gone", "Gone")
            },
        );
        let a = tiered(&mut s, "A-acc", Tier::A);
        // Never contacted, long silent, and with an own cadence: all of an archived account.
        let _never = key(&mut s, "never", Some(gone), None);
        let _silent = key(&mut s, "silent", Some(gone), Some(T - 90 * DAY));
        let mut extra = crate::domain::Extra::new();
        extra.insert(crate::cadence::OWN_CADENCE_KEY.into(), 7.into());
        let own = add_person(
            &mut s,
            &Person {
                extra: extra.clone(),
                ..person("own", "own", Some(gone))
            },
        );
        set_last_contact(&s, "people", own, Some(T - 30 * DAY));
        let _own_never = add_person(
            &mut s,
            &Person {
                extra,
                ..person("own-never", "own-never", Some(gone))
            },
        );
        let live = key(&mut s, "live", Some(a), Some(T - 45 * DAY));
        let ids: Vec<_> = due(&s, 10).iter().map(|r| r.id).collect();
        assert_eq!(ids, [live]);
    }

    #[test]
    fn the_due_walks_stay_on_their_indexes() {
        let s = store();
        for (sql, index) in [
            (
                "p.influence >= 4 AND p.last_contact < 5",
                "people_key_contact",
            ),
            (
                "p.cadence_days IS NOT NULL AND p.last_contact < 5",
                "people_own_cadence",
            ),
        ] {
            let plan: Vec<String> = s
                .conn
                .prepare(&format!(
                    "EXPLAIN QUERY PLAN SELECT {DUE_COLUMNS} FROM people p
                       LEFT JOIN accounts a ON a.id = p.account_id
                     WHERE {sql} AND p.archived_at IS NULL AND a.archived_at IS NULL
                     ORDER BY p.last_contact, p.id LIMIT 10"
                ))
                .unwrap()
                .query_map([], |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(plan[0].contains(index), "{plan:?}");
            assert!(plan.iter().all(|l| !l.starts_with("SCAN a")), "{plan:?}");
        }
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
