//! The reads behind a meeting's prep: the promises open around an account and its people, and
//! the biggest deal in play. Each is an indexed lookup per account or person.

use chrono::NaiveDate;

use crate::domain::{BuyingRole, DealStage, Id, PersonStage};

use super::codec::{date_text, parse_opt_date, vocab_at};
use super::{Reader, StoreError};

/// Open follow-ups (promises) counted for a prep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PromiseCount {
    pub open: u32,
    /// Of those, due before today.
    pub overdue: u32,
}

/// The deal at stake in a meeting's prep ([`Reader::biggest_open_deal`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DealInPlay {
    pub id: Id,
    pub title: String,
    pub stage: Option<DealStage>,
    pub value: Option<f64>,
    pub currency: Option<String>,
    pub close: Option<NaiveDate>,
}

/// What a meeting's prep shows of one attendee: one narrow read of their row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeFacts {
    pub name: String,
    pub salutation: Option<String>,
    pub stage: Option<PersonStage>,
    pub role: Option<BuyingRole>,
    /// Unix seconds of the last done interaction they took part in.
    pub last_contact: Option<i64>,
}

/// The three parts of [`Reader::open_promises`], numbering its parameters from `?1` (each binds
/// those up to the highest it uses). Three statements, not one `UNION ALL` of three parts: that
/// one cost ~110 K instructions more to compile.
const OPEN_PROMISE_PARTS: [&str; 3] = [
    "SELECT max(coalesce((SELECT open FROM account_open_followups WHERE account_id = ?1), 0), 0),
            (SELECT count(*) FROM followups INDEXED BY followups_open_account
              WHERE status = 'open' AND account_id = ?1 AND due_date < ?5)
            + (SELECT count(*) FROM followups INDEXED BY followups_open_account
                WHERE status = 'open' AND account_id = ?1
                  AND due_date >= ?5 AND due_date <= ?3
                  AND CASE WHEN due_at IS NULL THEN due_date < ?3 ELSE due_at < ?4 END)",
    "SELECT count(*), coalesce(sum(CASE WHEN f.due_at IS NULL THEN f.due_date < ?3
                               ELSE f.due_at < ?4 END), 0)
         FROM (SELECT 1 FROM followups INDEXED BY followups_open_unassigned
                WHERE status = 'open' AND account_id IS NULL LIMIT 1) AS kept
           CROSS JOIN followups f INDEXED BY followups_open_unassigned
           JOIN people p ON p.id = f.person_id
         WHERE f.status = 'open' AND f.account_id IS NULL AND p.account_id = ?1",
    "SELECT count(*), coalesce(sum(CASE WHEN f.due_at IS NULL THEN f.due_date < ?3
                               ELSE f.due_at < ?4 END), 0)
         FROM json_each(?2) j JOIN followups f ON f.person_id = j.value
         WHERE f.status = 'open' AND NOT coalesce(f.account_id = ?1, 0)
           AND NOT (f.account_id IS NULL AND coalesce(
               (SELECT account_id FROM people WHERE id = f.person_id) = ?1, 0))",
];

impl Reader<'_> {
    /// The name, stage, role and last contact of person `id` (`None` if there is no such
    /// person), read in one statement instead of the whole record and then its last contact.
    pub fn attendee_facts(&self, id: Id) -> Result<Option<AttendeeFacts>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT name, salutation, stage, role, last_contact FROM people WHERE id = ?1",
        )?;
        let mut rows = stmt.query([id])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        Ok(Some(AttendeeFacts {
            name: r.get(0)?,
            salutation: r.get(1)?,
            stage: vocab_at(r, 2)?,
            role: vocab_at(r, 3)?,
            last_contact: r.get(4)?,
        }))
    }

    /// Open follow-ups of `account`, of its people, or of any of `people` (the attendees), each
    /// counted once; `overdue` are those due on a local day (in `tz`) before `today`.
    pub fn open_promises<Tz: chrono::TimeZone>(
        &self,
        account: Option<Id>,
        people: &[Id],
        today: NaiveDate,
        tz: &Tz,
    ) -> Result<PromiseCount, StoreError> {
        let mut people = people.to_vec();
        people.sort_unstable();
        people.dedup();
        let people = serde_json::to_string(&people).unwrap_or_else(|_| "[]".into());
        // Three parts, each counted once and each walking a v2 partial index of open
        // follow-ups: those carrying the account (kam writes a person's follow-up with their
        // account); those of its people that carry no account (imported so); those of the
        // attendees not already counted. The indexes are named because without ANALYZE
        // statistics the planner took the plain account index and read every row (5 ms instead
        // of 0.2 ms for the biggest M account: 3,900 follow-ups, 2,000 open, 2,600 people).
        // The account's own open ones are the count kept by triggers (schema v24,
        // `account_open_followups`): the biggest L account has 14,130 open, whose walk was
        // 5.5 M instructions per prep. The overdue among them are two ranges of the index
        // (before yesterday; yesterday and today, whose timed ones need their instant), not a
        // test of every one.
        // A kept count below 0 (a file edited by hand) reads as 0, never as an error.
        // The people walk of the second part (all 18,745 of the biggest L account) runs only
        // if any open follow-up is kept without an account (`kept` runs first).
        // Overdue: due on a local day before today (a timed one: before today began in `tz`).
        let today_start = crate::when::start_of_day(tz, today);
        // A timed follow-up's local day is within a day of the day it was entered on: one
        // entered two days before today is overdue, one entered after today is not, and only
        // those entered yesterday or today are told by their instant (`due_at`, in the
        // account's index since schema v25); the biggest L account has thousands open.
        let day_before = today.pred_opt().unwrap_or(today);
        let args: [rusqlite::types::Value; 5] = [
            account.into(),
            people.into(),
            date_text(today).into(),
            today_start.into(),
            date_text(day_before).into(),
        ];
        let (mut open, mut overdue) = (0, 0);
        for sql in OPEN_PROMISE_PARTS {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let bound = stmt.parameter_count();
            let (o, d): (u32, u32) = stmt
                .query_row(rusqlite::params_from_iter(&args[..bound]), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?;
            open += o;
            overdue += d;
        }
        Ok(PromiseCount { open, overdue })
    }

    /// The open deal of `account` with the highest value (compared as numbers, whatever their
    /// currencies), else the one closing soonest: the columns a prep line shows.
    pub fn biggest_open_deal(&self, account: Id) -> Result<Option<DealInPlay>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, title, stage, value, currency, close FROM deals
             WHERE account_id = ?1 AND (stage IS NULL OR stage NOT IN ('won','lost'))
               AND archived_at IS NULL
             ORDER BY value DESC NULLS LAST, close NULLS LAST, id LIMIT 1",
        )?;
        let mut rows = stmt.query([account])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        Ok(Some(DealInPlay {
            id: r.get(0)?,
            title: r.get(1)?,
            stage: vocab_at(r, 2)?,
            value: r.get(3)?,
            currency: r.get(4)?,
            close: parse_opt_date(r.get(5)?)?,
        }))
    }
}

#[cfg(test)]
impl Reader<'_> {
    /// Accounts whose kept count of open follow-ups (`account_open_followups`, schema v24)
    /// differs from a count of the rows: (account, kept, counted). Empty when every count is
    /// right.
    pub(crate) fn open_followup_count_drift(&self) -> Vec<(Id, i64, i64)> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT coalesce(k.account_id, c.account_id), coalesce(k.open, 0),
                        coalesce(c.n, 0)
                 FROM account_open_followups k
                 FULL JOIN (SELECT account_id, count(*) AS n FROM followups
                             WHERE status = 'open' AND account_id IS NOT NULL
                             GROUP BY account_id) c ON c.account_id = k.account_id
                 WHERE coalesce(k.open, 0) != coalesce(c.n, 0)
                 ORDER BY 1",
            )
            .expect("the drift query compiles");
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .and_then(Iterator::collect)
            .expect("the drift query runs")
    }

    /// How many open follow-ups account `id` has, as kept by the triggers.
    pub(crate) fn kept_open_followups(&self, id: Id) -> i64 {
        self.conn
            .query_row(
                "SELECT coalesce((SELECT open FROM account_open_followups WHERE account_id = ?1), 0)",
                [id],
                |r| r.get(0),
            )
            .expect("the kept count reads")
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        account, add_account, add_deal, add_person, at, day, deal, followup, now, person, store,
    };
    use super::*;
    use crate::domain::{DealStage, FollowUp, FollowUpStatus};

    #[test]
    fn promises_of_the_account_and_the_people_are_counted_once() {
        let mut s = store();
        let a = add_account(&mut s, &account("a1", "Hospital Clínic"));
        let other = add_account(&mut s, &account("a2", "Other"));
        let ana = add_person(&mut s, &person("p1", "Ana", Some(a)));
        let loner = add_person(&mut s, &person("p2", "Loner", None));
        for (uid, acc, who, due, status) in [
            ("f1", Some(a), None, "2026-02-20", FollowUpStatus::Open),
            ("f2", Some(a), Some(ana), "2026-03-10", FollowUpStatus::Open),
            ("f3", None, Some(loner), "2026-03-01", FollowUpStatus::Open),
            ("f4", Some(a), None, "2026-02-01", FollowUpStatus::Done),
            ("f5", Some(other), None, "2026-02-01", FollowUpStatus::Open),
            // Imported for Ana alone, without her account: still one of the account's.
            ("f6", None, Some(ana), "2026-03-20", FollowUpStatus::Open),
            // Promised to Ana when she was at the other account: hers, not this account's.
            (
                "f7",
                Some(other),
                Some(ana),
                "2026-03-25",
                FollowUpStatus::Open,
            ),
        ] {
            let f = FollowUp {
                account: acc,
                person: who,
                status,
                ..followup(uid, uid, due)
            };
            s.write(now(), |w| w.upsert_followup(&f, None, None))
                .unwrap();
        }
        let today = day("2026-03-02");
        let count = |acc, people: &[Id]| {
            s.reader()
                .open_promises(acc, people, today, now().offset())
                .unwrap()
        };
        assert_eq!(
            count(Some(a), &[]),
            PromiseCount {
                open: 3,
                overdue: 1
            }
        );
        assert_eq!(
            count(Some(a), &[ana]),
            PromiseCount {
                open: 4,
                overdue: 1
            }
        );
        assert_eq!(
            count(Some(a), &[ana, loner]),
            PromiseCount {
                open: 5,
                overdue: 2
            }
        );
        assert_eq!(
            count(None, &[loner]),
            PromiseCount {
                open: 1,
                overdue: 1
            }
        );
        assert_eq!(count(None, &[]), PromiseCount::default());
        assert_eq!(
            count(Some(a), &[ana, ana, loner]),
            PromiseCount {
                open: 5,
                overdue: 2
            }
        );
        assert_eq!(
            count(None, &[ana]),
            PromiseCount {
                open: 3,
                overdue: 0
            }
        );
    }

    /// The overdue promises are counted on the local day in the zone of "now": a date-only
    /// one due yesterday or before, a timed one whose instant falls before today began there
    /// (entered on yesterday's or today's date, in another zone, or earlier), whether it
    /// carries the account or is kept on one of its people without one.
    #[test]
    fn overdue_promises_are_judged_on_the_local_day() {
        use crate::domain::Due;
        let mut s = store();
        let a = add_account(&mut s, &account("a1", "Hospital Clínic"));
        let ana = add_person(&mut s, &person("p1", "Ana", Some(a)));
        let cases: [(&str, Option<Id>, Due, bool); 9] = [
            ("two days ago", Some(a), Due::Day(day("2026-02-28")), true),
            ("yesterday", Some(a), Due::Day(day("2026-03-01")), true),
            ("today", Some(a), Due::Day(day("2026-03-02")), false),
            ("tomorrow", Some(a), Due::Day(day("2026-03-03")), false),
            // 23:30 yesterday in Madrid.
            (
                "late yesterday",
                Some(a),
                Due::At(at("2026-03-01T23:30:00+01:00")),
                true,
            ),
            (
                "this morning",
                Some(a),
                Due::At(at("2026-03-02T08:00:00+01:00")),
                false,
            ),
            // Entered for today in Moscow at 01:00: 23:00 yesterday in Madrid.
            (
                "today in Moscow",
                Some(a),
                Due::At(at("2026-03-02T01:00:00+03:00")),
                true,
            ),
            // Entered for yesterday in New York at 20:00: 02:00 today in Madrid.
            (
                "yesterday in New York",
                Some(a),
                Due::At(at("2026-03-01T20:00:00-05:00")),
                false,
            ),
            // Kept on Ana without the account, 23:00 yesterday in Madrid.
            (
                "Ana's, late yesterday",
                None,
                Due::At(at("2026-03-01T23:00:00+01:00")),
                true,
            ),
        ];
        for (n, (uid, acc, due, _)) in cases.iter().enumerate() {
            let f = FollowUp {
                account: *acc,
                person: acc.is_none().then_some(ana),
                due: *due,
                ..followup(&format!("f{n}"), uid, "2026-03-02")
            };
            s.write(now(), |w| w.upsert_followup(&f, None, None))
                .unwrap();
        }
        let overdue = cases.iter().filter(|c| c.3).count();
        assert_eq!(
            s.reader()
                .open_promises(Some(a), &[], day("2026-03-02"), now().offset())
                .unwrap(),
            PromiseCount {
                open: 9,
                overdue: u32::try_from(overdue).unwrap(),
            }
        );
    }

    #[test]
    fn the_biggest_open_deal_wins() {
        let mut s = store();
        let a = add_account(&mut s, &account("a1", "Hospital Clínic"));
        assert_eq!(s.reader().biggest_open_deal(a).unwrap(), None);
        add_deal(&mut s, &deal("d1", a, "Unpriced", None));
        assert_eq!(
            s.reader().biggest_open_deal(a).unwrap().unwrap().title,
            "Unpriced"
        );
        add_deal(&mut s, &deal("d2", a, "Lote 3", Some((1_200_000.0, "EUR"))));
        add_deal(&mut s, &deal("d3", a, "Lote 4", Some((300.0, "EUR"))));
        let mut won = deal("d4", a, "Won", Some((9e9, "EUR")));
        won.stage = Some(DealStage::Won);
        add_deal(&mut s, &won);
        let d = s.reader().biggest_open_deal(a).unwrap().unwrap();
        assert_eq!((d.title.as_str(), d.value), ("Lote 3", Some(1_200_000.0)));
    }
}
