//! Follow-ups: the dated promises and next steps. Done, snoozed, and recurring ones coming back.

use chrono::{Days, NaiveDate, TimeZone};

use crate::clock::earliest_instant;
use crate::when::start_of_day;
use rusqlite::{Row, params};

use crate::domain::{
    Due, FollowUp, FollowUpStatus, Id, Repeat, Stamp, Timestamp, Vocabulary, check_text,
};

use super::codec::{
    date_text, extra_json, opt_ts_text, parse_date, parse_extra, parse_opt_ts, stamp, ts_text,
    vocab_req,
};
use super::{Reader, StoreError, UidTable, Writer};

pub(super) const COLUMNS: &str =
    "f.id, f.uid, f.text, f.due_date, f.due_at, f.due_offset, f.account_id,
    f.person_id, f.deal_id, f.interaction_id, f.repeat, f.status, f.done_at, f.priority, f.extra,
    f.created_at, f.updated_at, f.version";

/// A follow-up with the names a list shows next to it.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRow {
    pub followup: FollowUp,
    /// The version read: a change made from this row checks it.
    pub version: i64,
    pub account_name: Option<String>,
    pub person_name: Option<String>,
}

/// A due read back: a timed one from its instant and the offset it was entered in (the
/// instant is what counts; `due_date` is only its day in that offset).
fn due_from(date: &str, at: Option<i64>, offset: Option<i32>) -> Result<Due, StoreError> {
    match (at, offset) {
        (Some(at), Some(off)) => {
            let tz = chrono::FixedOffset::east_opt(off)
                .ok_or_else(|| StoreError::Corrupt(format!("offset {off}")))?;
            let at = chrono::DateTime::from_timestamp(at, 0)
                .ok_or_else(|| StoreError::Corrupt(format!("due instant {at}")))?;
            Ok(Due::At(at.with_timezone(&tz)))
        }
        _ => Ok(Due::Day(parse_date(date)?)),
    }
}

/// The columns a due is written to: day (in the offset entered), wall-clock time, offset and
/// instant.
fn due_columns(due: Due) -> (String, Option<String>, Option<i32>, Option<i64>) {
    match due {
        Due::Day(d) => (date_text(d), None, None, None),
        Due::At(t) => (
            date_text(t.date_naive()),
            Some(t.time().format("%H:%M:%S").to_string()),
            Some(t.offset().local_minus_utc()),
            Some(t.timestamp()),
        ),
    }
}

/// How far the day a timed follow-up was entered on (`due_date`, in its own offset) can be from
/// its day in another zone: offsets run from −12:00 to +14:00, so two days at most. Queries
/// walk `due_date` widened by this much and test the instant.
pub(super) const ZONE_SLACK: Days = Days::new(2);

/// The first and last days written with a four-digit year, the range a widened bound keeps to.
pub(super) const FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid date");
pub(super) const LAST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");

/// The local-day bounds of a walk over open follow-ups, in a zone: `due_date` for date-only
/// ones, the instant for timed ones. Each side holds the parameter values to bind, in order:
/// the widened `due_date` bound, the day, and the instant.
pub(super) struct DayRange {
    pub(super) sql: String,
    pub(super) args: Vec<rusqlite::types::Value>,
}

impl DayRange {
    /// Open follow-ups whose local day in `tz` is in `[from, to]` (either side optional);
    /// `f` is the alias of the follow-ups table, parameters are numbered from `first`.
    pub(super) fn new<Tz: TimeZone>(
        tz: &Tz,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        f: &str,
        first: usize,
    ) -> DayRange {
        use rusqlite::types::Value;
        let mut sql = Vec::new();
        let mut args = Vec::new();
        let mut n = first;
        if let Some(from) = from {
            let wide = from
                .checked_sub_days(ZONE_SLACK)
                .map_or(from, |d| d.max(FIRST_DAY));
            sql.push(format!(
                "{f}.due_date >= ?{} AND CASE WHEN {f}.due_at IS NULL THEN {f}.due_date >= ?{}
                 ELSE {f}.due_at >= ?{} END",
                n,
                n + 1,
                n + 2
            ));
            args.extend([
                Value::Text(date_text(wide)),
                Value::Text(date_text(from)),
                Value::Integer(start_of_day(tz, from)),
            ]);
            n += 3;
        }
        if let Some(to) = to {
            // Kept to four-digit years: `due_date` is compared as text.
            let wide = to
                .checked_add_days(ZONE_SLACK)
                .map_or(to, |d| d.min(LAST_DAY));
            let end = to
                .succ_opt()
                .map_or(i64::MAX, |next| start_of_day(tz, next));
            sql.push(format!(
                "{f}.due_date <= ?{} AND CASE WHEN {f}.due_at IS NULL THEN {f}.due_date <= ?{}
                 ELSE {f}.due_at < ?{} END",
                n,
                n + 1,
                n + 2
            ));
            args.extend([
                Value::Text(date_text(wide)),
                Value::Text(date_text(to)),
                Value::Integer(end),
            ]);
        }
        DayRange {
            sql: if sql.is_empty() {
                "1".into()
            } else {
                sql.join(" AND ")
            },
            args,
        }
    }
}

/// The order follow-ups are shown in, seen in `tz`: by local day, the timed ones of a day first
/// by instant, then by priority (unset = 2) and id.
pub(super) fn sort_key<Tz: TimeZone>(f: &FollowUp, tz: &Tz) -> (NaiveDate, bool, i64, u8, Id) {
    order_key(&f.due, f.priority, f.id, tz)
}

/// [`sort_key`] from the fields it reads.
fn order_key<Tz: TimeZone>(
    due: &Due,
    priority: Option<u8>,
    id: Id,
    tz: &Tz,
) -> (NaiveDate, bool, i64, u8, Id) {
    let instant = match due {
        Due::At(t) => t.timestamp(),
        Due::Day(_) => 0,
    };
    (
        due.day_in(tz),
        matches!(due, Due::Day(_)),
        instant,
        priority.unwrap_or(2),
        id,
    )
}

/// A follow-up with the account and person names a list query selects after [`COLUMNS`].
fn listed_row(row: &Row<'_>) -> Result<FollowUpRow, StoreError> {
    // A list shows the version (a change made from it checks it), never when the row was
    // written: the two instants are not parsed.
    Ok(FollowUpRow {
        followup: read_followup(row)?,
        version: row.get(17)?,
        account_name: row.get(18)?,
        person_name: row.get(19)?,
    })
}

pub(super) fn read_row(row: &Row<'_>) -> Result<(FollowUp, Stamp), StoreError> {
    Ok((read_followup(row)?, stamp(row, 15)?))
}

/// The text of column `i`, borrowed from the row.
fn text_at<'r>(row: &'r Row<'_>, i: usize) -> Result<&'r str, StoreError> {
    Ok(row.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
}

/// The follow-up of a row of [`COLUMNS`]; its text columns that are only parsed are read
/// without a copy.
fn read_followup(row: &Row<'_>) -> Result<FollowUp, StoreError> {
    let repeat = row
        .get_ref(10)?
        .as_str_or_null()
        .map_err(rusqlite::Error::from)?;
    Ok(FollowUp {
        id: row.get(0)?,
        uid: row.get(1)?,
        text: row.get(2)?,
        due: due_from(text_at(row, 3)?, row.get(4)?, row.get(5)?)?,
        account: row.get(6)?,
        person: row.get(7)?,
        deal: row.get(8)?,
        interaction: row.get(9)?,
        repeat: repeat
            .map(str::parse::<Repeat>)
            .transpose()
            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        status: vocab_req(text_at(row, 11)?)?,
        done_at: parse_opt_ts(row.get(12)?)?,
        priority: row.get(13)?,
        extra: parse_extra(text_at(row, 14)?)?,
    })
}

/// The extension key that keeps the first date of a recurring series on each occurrence it
/// brings back. An `x-` key, so it travels through export and import like any extension data.
pub const ANCHOR_KEY: &str = "x-repeat-anchor";

/// The date a recurring follow-up's occurrences are counted from: the anchor its series
/// carries, or (on the series' first occurrence, or an unreadable anchor) its own due day.
fn repeat_anchor(f: &FollowUp) -> NaiveDate {
    f.extra
        .get(ANCHOR_KEY)
        .and_then(serde_json::Value::as_str)
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .unwrap_or_else(|| f.due.day())
}

/// Checks the fields a user can get wrong.
pub fn validate(f: &FollowUp) -> Result<(), StoreError> {
    check_text("text", &f.text)?;
    if f.text.trim().is_empty() {
        return Err(crate::domain::Invalid::new(
            "text",
            "is empty; say what must happen, e.g. \"call about the tender\"",
        )
        .into());
    }
    if let Some(p) = f.priority {
        if !(1..=3).contains(&p) {
            return Err(crate::domain::Invalid::new(
                "priority",
                format!("{p} is out of range; give 1 (high), 2 or 3 (low)"),
            )
            .into());
        }
    }
    Ok(())
}

impl Reader<'_> {
    /// One follow-up with its stamp.
    pub fn followup(&self, id: Id) -> Result<Option<(FollowUp, Stamp)>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM followups f WHERE f.id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        rows.next()?.map(read_row).transpose()
    }

    /// The follow-ups interaction `id` set, oldest first, whatever their status.
    pub fn followups_of_interaction(&self, id: Id) -> Result<Vec<FollowUp>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM followups f WHERE f.interaction_id = ?1 ORDER BY f.id LIMIT 200"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read_row(row)?.0);
        }
        Ok(out)
    }

    pub(super) fn followup_rows(
        &self,
        sql: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(args)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(listed_row(row)?);
        }
        Ok(out)
    }

    /// The first `limit` open follow-ups in `range`, in the order they are shown in `tz`
    /// ([`sort_key`]; latest first if `descending`). The walk follows `followups_open_due` by
    /// the day each was entered on, which is at most [`ZONE_SLACK`] from its local day: once
    /// `limit` are read it goes on only through the days that can still come before them.
    /// The walk reads only what orders them (the dues, priority and id); the rows and names
    /// are read for the `limit` kept alone.
    fn open_in_order<Tz: TimeZone>(
        &self,
        range: DayRange,
        tz: &Tz,
        limit: u32,
        descending: bool,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        let limit = limit as usize;
        if limit == 0 {
            return Ok(Vec::new());
        }
        let dir = if descending { "DESC" } else { "ASC" };
        let sql = format!(
            "SELECT f.id, f.due_date, f.due_at, f.due_offset, f.priority
             FROM followups f INDEXED BY followups_open_due
             WHERE f.status = 'open' AND {}
             ORDER BY f.due_date {dir}",
            range.sql
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(range.args))?;
        let mut keys: Vec<(NaiveDate, bool, i64, u8, Id)> = Vec::new();
        let mut last: Option<NaiveDate> = None;
        while let Some(row) = rows.next()? {
            let due = due_from(text_at(row, 1)?, row.get(2)?, row.get(3)?)?;
            let entered = due.day();
            if let Some(b) = last {
                let beyond = if descending {
                    b.checked_sub_days(ZONE_SLACK)
                        .and_then(|d| d.checked_sub_days(ZONE_SLACK))
                        .is_some_and(|edge| entered < edge)
                } else {
                    b.checked_add_days(ZONE_SLACK)
                        .and_then(|d| d.checked_add_days(ZONE_SLACK))
                        .is_some_and(|edge| entered > edge)
                };
                if beyond {
                    break;
                }
            }
            keys.push(order_key(&due, row.get(4)?, row.get(0)?, tz));
            if keys.len() == limit {
                last = Some(entered);
            }
        }
        keys.sort_unstable();
        if descending {
            keys.reverse();
        }
        keys.truncate(limit);
        let mut one = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS}, a.name, coalesce(p.salutation || ' ', '') || p.name FROM followups f
               LEFT JOIN people p ON p.id = f.person_id
               LEFT JOIN accounts a ON a.id = coalesce(f.account_id, p.account_id)
             WHERE f.id = ?1"
        ))?;
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let mut rows = one.query([key.4])?;
            if let Some(row) = rows.next()? {
                out.push(listed_row(row)?);
            }
        }
        Ok(out)
    }

    /// Open follow-ups whose local day in `tz` is `until` or before (overdue ones included),
    /// oldest first.
    pub fn open_followups_until<Tz: TimeZone>(
        &self,
        until: NaiveDate,
        tz: &Tz,
        limit: u32,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        self.open_in_order(
            DayRange::new(tz, None, Some(until), "f", 1),
            tz,
            limit,
            false,
        )
    }

    /// The `limit` open follow-ups whose local day in `tz` is `until` or before that are due
    /// latest (the overdue ones still worth acting on), latest first: an index walk that stops
    /// near the limit.
    pub fn latest_open_followups_until<Tz: TimeZone>(
        &self,
        until: NaiveDate,
        tz: &Tz,
        limit: u32,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        self.open_in_order(
            DayRange::new(tz, None, Some(until), "f", 1),
            tz,
            limit,
            true,
        )
    }

    /// How many open follow-ups have their local day in `tz` on or before `until` (read from
    /// the index alone).
    pub fn count_open_followups_until<Tz: TimeZone>(
        &self,
        until: NaiveDate,
        tz: &Tz,
    ) -> Result<i64, StoreError> {
        let range = DayRange::new(tz, None, Some(until), "f", 1);
        let sql = format!(
            "SELECT count(*) FROM followups f INDEXED BY followups_open_due
             WHERE f.status = 'open' AND {}",
            range.sql
        );
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(rusqlite::params_from_iter(range.args), |r| r.get(0))?)
    }

    /// Open follow-ups whose local day in `tz` is in `[from, to]`, in the order shown.
    pub fn open_followups_between<Tz: TimeZone>(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        tz: &Tz,
        limit: u32,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        self.open_in_order(
            DayRange::new(tz, Some(from), Some(to), "f", 1),
            tz,
            limit,
            false,
        )
    }

    /// [`Reader::open_followups_in`] in the user's zone (the command line's).
    pub fn open_followups_of(
        &self,
        account: Option<Id>,
        person: Option<Id>,
        limit: u32,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        self.open_followups_in(account, person, limit, &chrono::Local)
    }

    /// Open follow-ups of an account or of a person (whichever is given), in the order the
    /// agenda shows them in `tz` ([`sort_key`]: by local day, a timed one by its instant). An
    /// account's include those kept on one of its people with no account of their own.
    pub fn open_followups_in<Tz: TimeZone>(
        &self,
        account: Option<Id>,
        person: Option<Id>,
        limit: u32,
        tz: &Tz,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        if account.is_none() && person.is_none() {
            return Ok(Vec::new());
        }
        // Three bounded walks of the partial indexes, merged (an OR would sort every match); a
        // walk whose parameter is NULL finds nothing.
        let sql = format!(
            "SELECT {COLUMNS}, a.name, coalesce(p.salutation || ' ', '') || p.name FROM followups f
               LEFT JOIN people p ON p.id = f.person_id
               LEFT JOIN accounts a ON a.id = coalesce(f.account_id, p.account_id)
             WHERE f.id IN (
                 SELECT id FROM (SELECT id FROM followups INDEXED BY followups_open_account
                                 WHERE status = 'open' AND account_id = ?1 AND due_date <= ?4
                                 ORDER BY due_date, id LIMIT ?3)
                 UNION
                 SELECT id FROM (SELECT f3.id FROM followups f3 INDEXED BY followups_open_unassigned
                                   JOIN people p3 ON p3.id = f3.person_id
                                 WHERE f3.status = 'open' AND f3.account_id IS NULL
                                   AND p3.account_id = ?1 AND f3.due_date <= ?4
                                 ORDER BY f3.due_date, f3.id LIMIT ?3)
                 UNION
                 SELECT id FROM (SELECT id FROM followups INDEXED BY followups_open_person
                                 WHERE status = 'open' AND person_id = ?2 AND due_date <= ?4
                                 ORDER BY due_date, id LIMIT ?3))
             ORDER BY f.due_date, f.id LIMIT ?3"
        );
        self.first_in_local_order(&sql, &account.into(), &person.into(), tz, limit)
    }

    /// The first `limit` follow-ups of `sql` in the order shown in `tz`. `sql` walks open
    /// follow-ups by the day each was entered on (`due_date`), with `?1` and `?2` its own,
    /// `?3` the limit of each walk and `?4` the last `due_date` walked. A timed follow-up's
    /// local day is at most [`ZONE_SLACK`] from that day, so once the first `limit` by
    /// `due_date` are read (the last on day D), none entered after D + 2 × slack can come
    /// before them: the walk is read again up to there, and sorted.
    pub(super) fn first_in_local_order<Tz: TimeZone>(
        &self,
        sql: &str,
        one: &rusqlite::types::Value,
        two: &rusqlite::types::Value,
        tz: &Tz,
        limit: u32,
    ) -> Result<Vec<FollowUpRow>, StoreError> {
        use rusqlite::types::Value;
        let limit = i64::from(limit);
        let mut rows = self.followup_rows(
            sql,
            params![one, two, limit, Value::Text(date_text(LAST_DAY))],
        )?;
        if i64::try_from(rows.len()).unwrap_or(i64::MAX) >= limit && limit > 0 {
            let last = rows
                .iter()
                .map(|r| r.followup.due.day())
                .max()
                .unwrap_or(LAST_DAY);
            let edge = last
                .checked_add_days(ZONE_SLACK)
                .and_then(|d| d.checked_add_days(ZONE_SLACK))
                .map_or(LAST_DAY, |d| d.min(LAST_DAY));
            rows = self.followup_rows(sql, params![one, two, -1, Value::Text(date_text(edge))])?;
        }
        rows.sort_by_key(|r| sort_key(&r.followup, tz));
        rows.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
        Ok(rows)
    }
}

impl Writer<'_> {
    /// Adds the follow-up, or updates the one with the same uid.
    pub fn upsert_followup(
        &self,
        f: &FollowUp,
        created_at: Option<Timestamp>,
        updated_at: Option<Timestamp>,
    ) -> Result<Id, StoreError> {
        validate(f)?;
        let (due_date, due_time, due_offset, due_at) = due_columns(f.due);
        self.upsert_by_uid(
            UidTable::FollowUps,
            &f.uid,
            "INSERT INTO followups (uid, text, due_date, due_time, due_offset, account_id,
                person_id, deal_id, interaction_id, repeat, status, done_at, priority, extra,
                created_at, updated_at, due_at)
             VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?18)
             ON CONFLICT(uid) DO UPDATE SET text=?2, due_date=?3, due_time=?4, due_offset=?5,
                due_at=?18, account_id=?6, person_id=?7, deal_id=?8, interaction_id=?9, repeat=?10,
                status=?11, done_at=?12, priority=?13, extra=?14,
                created_at=coalesce(?17, created_at),
                updated_at=?16, version=version+1
             RETURNING id",
            params![
                f.uid,
                f.text,
                due_date,
                due_time,
                due_offset,
                f.account,
                f.person,
                f.deal,
                f.interaction,
                f.repeat.map(|r| r.to_string()),
                f.status.as_str(),
                opt_ts_text(f.done_at.as_ref()),
                f.priority,
                extra_json(&f.extra),
                ts_text(&created_at.unwrap_or(self.now)),
                ts_text(&updated_at.unwrap_or(self.now)),
                // An update keeps the record's creation time unless one is given (import).
                created_at.as_ref().map(ts_text),
                due_at,
            ],
        )
    }

    /// Marks a follow-up done. A recurring one comes back: the next occurrence after today is
    /// added as a new open follow-up, whose id is returned. A timed one keeps its wall-clock
    /// time in `zone` (the user's), so a weekly 10:00 call stays at 10:00 across a DST change.
    pub fn complete_followup<Tz: TimeZone>(
        &self,
        id: Id,
        version: i64,
        today: NaiveDate,
        zone: &Tz,
    ) -> Result<Option<Id>, StoreError> {
        let n = self.conn.execute(
            "UPDATE followups SET status='done', done_at=?3, updated_at=?3, version=version+1
             WHERE id=?1 AND version=?2 AND status='open'",
            params![id, version, ts_text(&self.now)],
        )?;
        if n == 0 {
            return Err(StoreError::Conflict {
                what: format!("follow-up #f{id}"),
            });
        }
        let Some((done, _)) = self.followup(id)? else {
            return Ok(None);
        };
        let Some(repeat) = done.repeat else {
            return Ok(None);
        };
        // Every occurrence is counted from the series' first date (the anchor), so a monthly
        // follow-up from 31 January clamped to 28 February comes back on 31 March; the next
        // one is after today and after the occurrence just done (done early, it is not repeated).
        let anchor = repeat_anchor(&done);
        let Some(next_day) = repeat.next_after(anchor, today.max(done.due.day())) else {
            return Ok(None);
        };
        let mut extra = done.extra.clone();
        extra.insert(
            ANCHOR_KEY.to_string(),
            serde_json::Value::String(date_text(anchor)),
        );
        let due = match done.due {
            Due::Day(_) => Due::Day(next_day),
            Due::At(t) => {
                let wall = next_day.and_time(t.with_timezone(zone).time());
                // In a DST gap the time does not exist that day: the hour after is taken.
                let at = earliest_instant(zone.from_local_datetime(&wall)).or_else(|| {
                    earliest_instant(
                        zone.from_local_datetime(&(wall + chrono::TimeDelta::hours(1))),
                    )
                });
                at.map_or(Due::Day(next_day), |at| Due::At(at.fixed_offset()))
            }
        };
        let next = FollowUp {
            id: 0,
            uid: uuid::Uuid::new_v4().to_string(),
            due,
            status: FollowUpStatus::Open,
            done_at: None,
            extra,
            ..done
        };
        Ok(Some(self.upsert_followup(&next, None, None)?))
    }

    /// Moves an open follow-up to a new due date; a stale version, or a follow-up already done
    /// or cancelled, is a conflict.
    pub fn snooze_followup(&self, id: Id, version: i64, due: Due) -> Result<(), StoreError> {
        let (due_date, due_time, due_offset, due_at) = due_columns(due);
        let n = self.conn.execute(
            // `status='open'` as in `complete_followup`: without it a done or cancelled
            // follow-up was silently moved to a new date.
            "UPDATE followups SET due_date=?3, due_time=?4, due_offset=?5, due_at=?7,
                updated_at=?6, version=version+1
             WHERE id=?1 AND version=?2 AND status='open'",
            params![
                id,
                version,
                due_date,
                due_time,
                due_offset,
                ts_text(&self.now),
                due_at
            ],
        )?;
        if n == 0 {
            return Err(StoreError::Conflict {
                what: format!("follow-up #f{id}"),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, day, followup, now, store};
    use super::*;
    use crate::domain::RepeatUnit;

    /// The zone of the fixtures' timestamps (+01:00).
    fn zone() -> chrono::FixedOffset {
        chrono::FixedOffset::east_opt(3600).unwrap()
    }

    /// Completes a recurring follow-up on its due day, again and again: the due days it comes
    /// back on are anchored on the first one (a clamped 28 February does not pull the series
    /// to the 28th).
    #[rstest::rstest]
    #[case::monthly_from_the_31st("monthly", "2026-01-31",
        &["2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30"])]
    #[case::monthly_from_the_30th_over_a_leap_february("monthly", "2028-01-30",
        &["2028-02-29", "2028-03-30", "2028-04-30"])]
    #[case::monthly_from_the_29th("monthly", "2027-01-29",
        &["2027-02-28", "2027-03-29", "2027-04-29"])]
    #[case::every_2_months_from_the_31st("every 2 months", "2026-12-31",
        &["2027-02-28", "2027-04-30", "2027-06-30", "2027-08-31"])]
    #[case::yearly_from_a_leap_day("yearly", "2028-02-29",
        &["2029-02-28", "2030-02-28", "2031-02-28", "2032-02-29"])]
    #[case::yearly_from_the_31st_of_december("yearly", "2026-12-31",
        &["2027-12-31", "2028-12-31"])]
    #[case::weekly_over_a_month_end("weekly", "2026-01-28",
        &["2026-02-04", "2026-02-11"])]
    fn a_recurring_followup_stays_anchored_on_its_first_date(
        #[case] repeat: &str,
        #[case] first: &str,
        #[case] expected: &[&str],
    ) {
        let mut s = store();
        let f = FollowUp {
            repeat: Some(repeat.parse().unwrap()),
            ..followup("f-1", "Monthly report to Carmen", first)
        };
        let mut id = s
            .write(now(), |w| w.upsert_followup(&f, None, None))
            .unwrap();
        let mut seen = Vec::new();
        for _ in expected {
            let (done, stamp) = s.reader().followup(id).unwrap().unwrap();
            let today = done.due.day();
            id = s
                .write(now(), |w| {
                    w.complete_followup(id, stamp.version, today, &zone())
                })
                .unwrap()
                .expect("a recurring follow-up comes back");
            let (next, _) = s.reader().followup(id).unwrap().unwrap();
            seen.push(date_text(next.due.day()));
        }
        assert_eq!(seen, expected);
    }

    /// Done early (before its due day), a recurring follow-up comes back after its due day, not
    /// on it again.
    #[test]
    fn a_clamped_occurrence_done_early_does_not_come_back_on_the_same_day() {
        let mut s = store();
        let f = FollowUp {
            repeat: Some("monthly".parse().unwrap()),
            ..followup("f-1", "Invoice", "2026-01-31")
        };
        let id = s
            .write(now(), |w| w.upsert_followup(&f, None, None))
            .unwrap();
        let feb = s
            .write(now(), |w| {
                w.complete_followup(id, 1, day("2026-01-31"), &zone())
            })
            .unwrap()
            .unwrap();
        let mar = s
            .write(now(), |w| {
                w.complete_followup(feb, 1, day("2026-02-20"), &zone())
            })
            .unwrap()
            .unwrap();
        let (next, _) = s.reader().followup(mar).unwrap().unwrap();
        assert_eq!(next.due.day(), day("2026-03-31"));
    }

    /// "Every open follow-up" asks for those due by 9999-12-31: the widened bound stays a
    /// four-digit year (as text, "+10000-01-02" sorted before every date).
    #[test]
    fn open_followups_until_the_last_day_finds_them_all() {
        let mut s = store();
        let timed = FollowUp {
            due: Due::At(at("2026-11-27T00:30:00+01:00")),
            ..followup("f-1", "Call", "2026-11-27")
        };
        s.write(now(), |w| {
            w.upsert_followup(&timed, None, None)?;
            w.upsert_followup(&followup("f-2", "Mail", "9999-12-31"), None, None)
        })
        .unwrap();
        let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        let r = s.reader();
        assert_eq!(r.open_followups_until(last, &zone(), 10).unwrap().len(), 2);
        assert_eq!(r.count_open_followups_until(last, &zone()).unwrap(), 2);
    }

    /// 11.7: a call due at 00:30 on 5 March in Madrid is 18:30 on 4 March in New York, so
    /// seen from there it comes before a date-only follow-up of 4 March (the timed ones of a
    /// day first), even when only the first one is asked for; seen from Madrid, after it.
    #[test]
    fn an_account_s_open_followups_are_in_the_local_order_of_the_zone() {
        let mut s = store();
        let a = s
            .write(now(), |w| {
                w.upsert_account(&super::super::testing::account("a-1", "Clínic"), None, None)
            })
            .unwrap();
        s.write(now(), |w| {
            for (uid, due) in [
                ("f-day", Due::Day(day("2026-03-04"))),
                ("f-timed", Due::At(at("2026-03-05T00:30:00+01:00"))),
                ("f-later", Due::Day(day("2026-03-06"))),
            ] {
                let f = FollowUp {
                    due,
                    account: Some(a),
                    ..followup(uid, "Call", "2026-03-04")
                };
                w.upsert_followup(&f, None, None)?;
            }
            Ok(())
        })
        .unwrap();
        let r = s.reader();
        let uids =
            |rows: Vec<FollowUpRow>| rows.into_iter().map(|r| r.followup.uid).collect::<Vec<_>>();
        let ny = chrono_tz::America::New_York;
        let madrid = chrono_tz::Europe::Madrid;
        assert_eq!(
            uids(r.open_followups_in(Some(a), None, 10, &ny).unwrap()),
            ["f-timed", "f-day", "f-later"]
        );
        assert_eq!(
            uids(r.open_followups_in(Some(a), None, 1, &ny).unwrap()),
            ["f-timed"]
        );
        assert_eq!(
            uids(r.open_followups_around(Some(a), &[], 1, &ny).unwrap()),
            ["f-timed"]
        );
        assert_eq!(
            uids(r.open_followups_around(Some(a), &[], 2, &madrid).unwrap()),
            ["f-day", "f-timed"]
        );
        assert_eq!(
            uids(r.open_followups_in(Some(a), None, 10, &madrid).unwrap()),
            ["f-day", "f-timed", "f-later"]
        );
    }

    #[test]
    fn a_weekly_call_keeps_its_wall_clock_time_across_a_dst_change() {
        let madrid = chrono_tz::Europe::Madrid;
        let mut s = store();
        let mut f = followup("f-dst", "Weekly call with Carmen", "2026-03-23");
        f.due = Due::At(at("2026-03-23T10:00:00+01:00"));
        f.repeat = Some(Repeat {
            every: 1,
            unit: RepeatUnit::Week,
        });
        let id = s
            .write(now(), |w| w.upsert_followup(&f, None, None))
            .unwrap();
        let next = s
            .write(now(), |w| {
                w.complete_followup(id, 1, day("2026-03-27"), &madrid)
            })
            .unwrap()
            .unwrap();
        let (next, _) = s.reader().followup(next).unwrap().unwrap();
        // Summer time began on 29 March: still 10:00 in Madrid, now at +02:00.
        assert_eq!(next.due, Due::At(at("2026-03-30T10:00:00+02:00")));
    }

    #[test]
    fn snooze_and_complete_check_the_version() {
        let mut s = store();
        let id = s
            .write(now(), |w| {
                w.upsert_followup(&followup("f-1", "Send the offer", "2026-03-02"), None, None)
            })
            .unwrap();
        let (_, stamp) = s.reader().followup(id).unwrap().unwrap();
        let later = Due::Day(day("2026-03-09"));
        s.write(now(), |w| w.snooze_followup(id, stamp.version, later))
            .unwrap();
        let snoozed = s.reader().followup(id).unwrap().unwrap();
        assert_eq!(snoozed.0.due, later);
        assert_eq!(snoozed.1.version, stamp.version + 1);

        // Both with the version read before the snooze.
        let err = s
            .write(now(), |w| {
                w.snooze_followup(id, stamp.version, Due::Day(day("2026-04-01")))
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        let err = s
            .write(now(), |w| {
                w.complete_followup(id, stamp.version, day("2026-03-02"), &zone())
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        assert_eq!(s.reader().followup(id).unwrap().unwrap(), snoozed);

        s.write(now(), |w| {
            w.complete_followup(id, snoozed.1.version, day("2026-03-02"), &zone())
        })
        .unwrap();
        let done = s.reader().followup(id).unwrap().unwrap();
        assert_eq!(done.0.status, FollowUpStatus::Done);
        assert_eq!(done.0.done_at, Some(now()));

        // A done follow-up is neither snoozed nor completed again, even with its current version.
        let version = done.1.version;
        let err = s
            .write(now(), |w| {
                w.snooze_followup(id, version, Due::Day(day("2026-04-01")))
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        let err = s
            .write(now(), |w| {
                w.complete_followup(id, version, day("2026-03-02"), &zone())
            })
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err:?}");
        assert_eq!(s.reader().followup(id).unwrap().unwrap(), done);
    }

    #[test]
    fn a_weekly_followup_done_late_comes_back_after_today() {
        let mut s = store();
        let weekly = FollowUp {
            repeat: Some(Repeat {
                every: 1,
                unit: RepeatUnit::Week,
            }),
            due: Due::At(at("2026-02-02T09:30:00+01:00")),
            priority: Some(1),
            ..followup("f-1", "Call Ana", "2026-02-02")
        };
        let id = s
            .write(now(), |w| w.upsert_followup(&weekly, None, None))
            .unwrap();
        // Done on Wednesday 4 March, a month late: the next one is Monday 9 March, not in
        // February.
        let today = day("2026-03-04");
        let next = s
            .write(now(), |w| w.complete_followup(id, 1, today, &zone()))
            .unwrap()
            .expect("a recurring follow-up comes back");
        assert_ne!(next, id);
        let (f, stamp) = s.reader().followup(next).unwrap().unwrap();
        assert_eq!(f.due, Due::At(at("2026-03-09T09:30:00+01:00")));
        assert_eq!(f.status, FollowUpStatus::Open);
        assert_eq!(f.done_at, None);
        assert_eq!(
            (f.text.as_str(), f.priority, f.repeat),
            ("Call Ana", Some(1), weekly.repeat)
        );
        assert_ne!(f.uid, weekly.uid);
        assert_eq!(stamp.version, 1);
        let open = s
            .reader()
            .open_followups_until(day("2026-12-31"), &zone(), 10)
            .unwrap();
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].followup.id, next);

        // A one-off follow-up does not come back.
        let once = s
            .write(now(), |w| {
                w.upsert_followup(&followup("f-2", "Once", "2026-03-04"), None, None)
            })
            .unwrap();
        assert_eq!(
            s.write(now(), |w| w.complete_followup(once, 1, today, &zone()))
                .unwrap(),
            None
        );
    }
}
