//! The reads behind the pipeline, the receivables, the Pareto ranking and the period report,
//! and the one write obligations need (marking one done). Each returns a small read model; the
//! arithmetic lives in `crate::money` and `crate::insights`.

use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

use crate::domain::{
    Deal, DealKind, DealStage, Id, Ladder, Obligation, ObligationStatus, Plan, StageChange, Tier,
    Vocabulary,
};

use super::codec::{date_text, ts_text, vocab};
use super::deals::{OBLIGATION_COLUMNS, deal_from_row, obligation_from_row};
use super::plans::{PLAN_SELECT, plan_row};
use super::stages::{STAGE_COLUMNS, stage_change_row};
use super::{Reader, StoreError, Writer};

/// Which deals a list shows; every field narrows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DealFilter {
    /// Only these stages (empty: all).
    pub stages: Vec<DealStage>,
    pub account: Option<Id>,
    pub kind: Option<DealKind>,
    /// Only deals expected to close on or before this day.
    pub closing_before: Option<NaiveDate>,
    /// Leave out won and lost deals.
    pub open_only: bool,
    /// The archived deals instead of those in use.
    pub archived: bool,
    pub limit: u32,
}

/// A deal with its account's name and the version read.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DealRow {
    #[serde(flatten)]
    pub deal: Deal,
    pub account_name: String,
    pub version: i64,
}

/// An obligation with the deal and account it belongs to.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ObligationRow {
    #[serde(flatten)]
    pub obligation: Obligation,
    pub deal_title: String,
    pub account: Id,
    pub account_name: String,
}

/// An account's sales and current tier, for the Pareto ranking.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SalesRow {
    pub id: Id,
    pub name: String,
    pub tier: Option<Tier>,
    pub our_sales: Option<f64>,
    pub currency: Option<String>,
}

/// What happened with one account in a period.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AccountActivity {
    pub account: Id,
    pub name: String,
    /// Meetings, visits, calls and events held.
    pub meetings: i64,
    /// Notes and emails written.
    pub notes: i64,
}

/// A stage move with the name of what moved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StageMove {
    #[serde(flatten)]
    pub change: StageChange,
    pub name: String,
}

/// A plan with the name of its account or person.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlanBudget {
    #[serde(flatten)]
    pub plan: Plan,
    pub subject_name: String,
}

const DEAL_ROW_SELECT: &str = "d.id, d.uid, d.account_id, d.title, d.kind, d.stage, d.value,
    d.currency, d.probability, d.close, d.commission_rate, d.notes, d.extra, d.created_at,
    d.updated_at, d.version, a.name";

fn deal_row(r: &rusqlite::Row<'_>) -> Result<DealRow, StoreError> {
    let (deal, stamp) = deal_from_row(r)?;
    Ok(DealRow {
        deal,
        account_name: r.get(16)?,
        version: stamp.version,
    })
}

/// The cooling people, most influential first, cut at `?1`.
const COOLING_PEOPLE: &str =
    "SELECT id, name FROM people WHERE stage = 'cooling' AND archived_at IS NULL
     ORDER BY influence DESC NULLS LAST, name_key LIMIT ?1";

impl Reader<'_> {
    /// Deals matching `filter`, by expected close (none last), then id; milestones not read.
    pub fn deals_filtered(&self, filter: &DealFilter) -> Result<Vec<DealRow>, StoreError> {
        let stages = if filter.stages.is_empty() {
            None
        } else {
            Some(
                filter
                    .stages
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
            )
        };
        let sql = format!(
            "SELECT {DEAL_ROW_SELECT} FROM deals d JOIN accounts a ON a.id = d.account_id
             WHERE (?1 IS NULL OR instr(',' || ?1 || ',', ',' || coalesce(d.stage, '') || ',') > 0)
               AND (?2 IS NULL OR d.account_id = ?2)
               AND (?3 IS NULL OR d.kind = ?3)
               AND (?4 IS NULL OR d.close <= ?4)
               AND (?5 = 0 OR d.stage IS NULL OR d.stage NOT IN ('won','lost'))
               AND (d.archived_at IS NOT NULL) = ?7
             ORDER BY d.close IS NULL, d.close, d.id LIMIT ?6"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![
            stages,
            filter.account,
            filter.kind.map(Vocabulary::as_str),
            filter.closing_before.map(date_text),
            filter.open_only,
            filter.limit,
            filter.archived,
        ])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(deal_row(r)?);
        }
        Ok(out)
    }

    /// The open deals (not won or lost, not archived) as the deals screen and the insights
    /// list them: by expected close (none last), then id, at most `limit`. Read in the order
    /// of the open deals' close index, with no sort (dated, then undated), and without each
    /// deal's notes and extra fields, which those screens do not show: they are left empty.
    pub fn open_deal_lines(&self, limit: u32) -> Result<Vec<DealRow>, StoreError> {
        const LINES: &str = "d.id, d.uid, d.account_id, d.title, d.kind, d.stage, d.value,
            d.currency, d.probability, d.close, d.commission_rate, NULL, '{}', d.created_at,
            d.updated_at, d.version, a.name";
        const OPEN: &str = "(d.stage IS NULL OR d.stage NOT IN ('won','lost'))";
        let mut out = Vec::new();
        for sql in [
            format!(
                "SELECT {LINES} FROM deals d JOIN accounts a ON a.id = d.account_id
                 WHERE {OPEN} AND d.close IS NOT NULL AND d.archived_at IS NULL
                 ORDER BY d.close, d.id LIMIT ?1"
            ),
            format!(
                "SELECT {LINES} FROM deals d JOIN accounts a ON a.id = d.account_id
                 WHERE {OPEN} AND d.close IS NULL AND d.archived_at IS NULL
                 ORDER BY d.id LIMIT ?1"
            ),
        ] {
            let left = limit.saturating_sub(u32::try_from(out.len()).unwrap_or(u32::MAX));
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let mut rows = stmt.query([left])?;
            while let Some(r) = rows.next()? {
                out.push(deal_row(r)?);
            }
        }
        Ok(out)
    }

    /// Deals won or lost with a close date in `[from, to]` that have no recorded move to won
    /// or lost (imported already closed): the report counts them by their close date. By
    /// close date; at most `limit`.
    pub fn closed_without_move_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        limit: u32,
    ) -> Result<Vec<DealRow>, StoreError> {
        let sql = format!(
            "SELECT {DEAL_ROW_SELECT} FROM deals d JOIN accounts a ON a.id = d.account_id
             WHERE d.stage IN ('won','lost') AND d.close >= ?1 AND d.close <= ?2
               AND d.archived_at IS NULL
               AND NOT EXISTS (SELECT 1 FROM stage_changes s
                               WHERE s.deal_id = d.id AND s.to_stage IN ('won','lost'))
             ORDER BY d.close, d.id LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![date_text(from), date_text(to), limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(deal_row(r)?);
        }
        Ok(out)
    }

    /// One deal with its account's name and version, milestones included.
    pub fn deal_row(&self, id: Id) -> Result<Option<DealRow>, StoreError> {
        let sql = format!(
            "SELECT {DEAL_ROW_SELECT} FROM deals d JOIN accounts a ON a.id = d.account_id
             WHERE d.id = ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        let mut row = deal_row(r)?;
        row.deal.milestones = self.milestones(id)?;
        Ok(Some(row))
    }

    /// The obligations of a deal, by due date.
    pub fn obligations_of(&self, deal: Id) -> Result<Vec<Obligation>, StoreError> {
        let sql = format!(
            "SELECT {OBLIGATION_COLUMNS} FROM obligations WHERE deal_id = ?1 ORDER BY due, id"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([deal])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(obligation_from_row(r)?);
        }
        Ok(out)
    }

    /// One obligation and its version.
    pub fn obligation(&self, id: Id) -> Result<Option<(Obligation, i64)>, StoreError> {
        let sql = format!("SELECT {OBLIGATION_COLUMNS}, version FROM obligations WHERE id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        let Some(r) = rows.next()? else {
            return Ok(None);
        };
        Ok(Some((obligation_from_row(r)?, r.get(12)?)))
    }

    /// Payments the client owes us and has not made (receivables), oldest due first.
    pub fn open_receivables(&self, limit: u32) -> Result<Vec<ObligationRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT o.id, o.uid, o.deal_id, o.text, o.due, o.party, o.kind, o.amount, o.currency,
                o.status, o.done_at, o.extra, d.title, a.id, a.name
             FROM obligations o JOIN deals d ON d.id = o.deal_id
               JOIN accounts a ON a.id = d.account_id
             WHERE (o.status IS NULL OR o.status != 'done')
               AND o.party = 'client' AND o.kind = 'payment' AND d.archived_at IS NULL
             ORDER BY o.due, o.id LIMIT ?1",
        )?;
        let mut rows = stmt.query([limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ObligationRow {
                obligation: obligation_from_row(r)?,
                deal_title: r.get(12)?,
                account: r.get(13)?,
                account_name: r.get(14)?,
            });
        }
        Ok(out)
    }

    /// Every account not archived, with its sales, currency and tier.
    pub fn account_sales(&self) -> Result<Vec<SalesRow>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, name, tier, our_sales, currency FROM accounts
             WHERE archived_at IS NULL ORDER BY id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(SalesRow {
                id: r.get(0)?,
                name: r.get(1)?,
                tier: vocab(r.get(2)?)?,
                our_sales: r.get(3)?,
                currency: r.get(4)?,
            });
        }
        Ok(out)
    }

    /// How many interactions each account had in `[since, until)` (unix seconds) that took
    /// place (status done: a cancelled or still planned meeting is no time spent), answered
    /// from the `(at, account_id, kind, status)` index alone, without reading the rows.
    pub fn interaction_counts_between(
        &self,
        since: i64,
        until: i64,
    ) -> Result<Vec<(Id, i64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT account_id, count(*) FROM interactions INDEXED BY interactions_at_activity
             WHERE account_id IS NOT NULL AND at >= ?1 AND at < ?2 AND status = 'done'
             GROUP BY account_id",
        )?;
        let mut rows = stmt.query([since, until])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((r.get(0)?, r.get(1)?));
        }
        Ok(out)
    }

    /// Done interactions in `[from, to)` (unix seconds) per account, busiest first; at most
    /// `limit` accounts.
    pub fn activity_between(
        &self,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<AccountActivity>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.name,
                sum(i.kind IN ('meeting','visit','call','event')),
                sum(i.kind IN ('note','email'))
             FROM interactions i JOIN accounts a ON a.id = i.account_id
             WHERE i.at >= ?1 AND i.at < ?2 AND i.status = 'done'
             GROUP BY a.id ORDER BY count(*) DESC, a.name_key LIMIT ?3",
        )?;
        let mut rows = stmt.query(params![from, to, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(AccountActivity {
                account: r.get(0)?,
                name: r.get(1)?,
                meetings: r.get(2)?,
                notes: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// Stage moves in `[from, to)` (unix seconds) with the name of what moved, oldest first;
    /// at most `limit`.
    pub fn stage_moves_between(
        &self,
        from: i64,
        to: i64,
        limit: u32,
    ) -> Result<Vec<StageMove>, StoreError> {
        let sql = format!(
            "SELECT {STAGE_COLUMNS}, coalesce(
                (SELECT name FROM accounts WHERE id = s.account_id),
                (SELECT name FROM people WHERE id = s.person_id),
                (SELECT title FROM deals WHERE id = s.deal_id), '')
             FROM stage_changes s WHERE s.at >= ?1 AND s.at < ?2 ORDER BY s.at, s.id LIMIT ?3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![from, to, limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(StageMove {
                change: stage_change_row(r)?,
                name: r.get(10)?,
            });
        }
        Ok(out)
    }

    /// Follow-ups marked done in `[from, to)` (unix seconds).
    pub fn count_followups_done_between(&self, from: i64, to: i64) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*) FROM followups
             WHERE status = 'done' AND unixepoch(done_at) >= ?1 AND unixepoch(done_at) < ?2",
            params![from, to],
            |r| r.get(0),
        )?)
    }

    /// Active plans (or plans without a status) that have a budget, with whom they are for.
    pub fn plans_with_budget(&self, limit: u32) -> Result<Vec<PlanBudget>, StoreError> {
        let sql = format!(
            "SELECT {PLAN_SELECT}, coalesce(
                (SELECT name FROM accounts WHERE id = p.account_id),
                (SELECT name FROM people WHERE id = p.person_id), '')
             FROM plans p WHERE p.budget IS NOT NULL AND p.archived_at IS NULL
               AND (p.status IS NULL OR p.status = 'active')
             ORDER BY p.target IS NULL, p.target, p.id LIMIT ?1"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(PlanBudget {
                plan: plan_row(r)?,
                subject_name: r.get(12)?,
            });
        }
        Ok(out)
    }

    /// People whose relationship stage is `cooling`, most influential first; at most `limit`:
    /// the first entries of `people_cooling` (schema v21), where the insights read every person
    /// and sorted them (~22 ms of CPU at L).
    pub fn cooling_people(&self, limit: u32) -> Result<Vec<(Id, String)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(COOLING_PEOPLE)?;
        let mut rows = stmt.query([limit])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push((r.get(0)?, r.get(1)?));
        }
        Ok(out)
    }

    /// The stage history of a deal (shortcut for the deal view).
    pub fn deal_history(&self, deal: Id) -> Result<Vec<StageChange>, StoreError> {
        self.stage_history(Ladder::Deal, deal)
    }
}

impl Writer<'_> {
    /// Saves an edited deal (milestones included) if it is still at `version`; false, and
    /// nothing written, when nothing changed.
    pub fn update_deal(&self, d: &Deal, version: i64) -> Result<bool, StoreError> {
        self.check_version("deals", d.id, Some(&d.uid), version, || {
            format!("deal {}", d.id)
        })?;
        if self.deal(d.id)?.is_some_and(|(stored, _)| stored == *d) {
            return Ok(false);
        }
        self.upsert_deal(d, None, None)?;
        Ok(true)
    }

    /// Marks an obligation done now, if it is still at `version`.
    pub fn complete_obligation(&self, id: Id, version: i64) -> Result<(), StoreError> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT version FROM obligations WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        match found {
            None => Err(StoreError::NotFound {
                what: format!("obligation {id}"),
            }),
            Some(v) if v != version => Err(StoreError::Conflict {
                what: format!("obligation {id}"),
            }),
            Some(_) => {
                self.conn.execute(
                    "UPDATE obligations SET status = ?2, done_at = ?3, updated_at = ?3,
                        version = version + 1 WHERE id = ?1",
                    params![id, ObligationStatus::Done.as_str(), ts_text(&self.now)],
                )?;
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{
        account, add_account, add_deal, at, deal, interaction, now, store,
    };
    use super::*;
    use crate::domain::{Extra, Interaction, InteractionStatus, ObligationKind, Party};

    /// The insights' cooling people are the first entries of their index: no scan of every
    /// person, no sort.
    #[test]
    fn the_cooling_people_are_read_from_their_index_in_order() {
        let s = store();
        let plan: Vec<String> = s
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {COOLING_PEOPLE}"))
            .unwrap()
            .query_map([5], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(plan, ["SCAN people USING INDEX people_cooling"]);
    }

    /// The deals screen's open deals are those of `deals_filtered` (open only), in its order
    /// (by close, none last, then id) and cut at the same place, without notes and extra.
    #[test]
    fn the_open_deal_lines_are_the_open_deals_by_close_without_their_notes() {
        let mut s = store();
        let a = add_account(&mut s, &account("a-1", "Hospital Clínic"));
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d);
        let cases = [
            (Some(DealStage::Lead), day(20)),
            (None, None),
            (Some(DealStage::Won), day(1)),
            (Some(DealStage::Proposal), day(3)),
            (Some(DealStage::Lost), day(2)),
            (Some(DealStage::Negotiation), None),
            (None, day(3)),
            (Some(DealStage::Qualified), day(9)),
        ];
        for (i, (stage, close)) in cases.into_iter().enumerate() {
            let mut d = deal(
                &format!("d-{i}"),
                a,
                &format!("deal {i}"),
                Some((1.0, "EUR")),
            );
            d.stage = stage;
            d.close = close;
            d.notes = Some("long notes".into());
            add_deal(&mut s, &d);
        }
        s.conn
            .execute(
                "UPDATE deals SET archived_at = '2026-11-01' WHERE uid = 'd-7'",
                [],
            )
            .unwrap();
        let r = s.reader();
        let filtered = |limit| {
            r.deals_filtered(&DealFilter {
                open_only: true,
                limit,
                ..DealFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|mut row| {
                row.deal.notes = None;
                row.deal.extra = Extra::new();
                row
            })
            .collect::<Vec<_>>()
        };
        let all = r.open_deal_lines(100).unwrap();
        let uids: Vec<&str> = all.iter().map(|d| d.deal.uid.as_str()).collect();
        assert_eq!(uids, ["d-3", "d-6", "d-0", "d-1", "d-5"]);
        assert_eq!(all, filtered(100));
        assert_eq!(r.open_deal_lines(4).unwrap(), filtered(4));
        assert_eq!(r.open_deal_lines(2).unwrap(), filtered(2));
    }

    /// Time spent with an account counts the meetings that took place: a cancelled meeting,
    /// or one still planned, is not time spent.
    #[test]
    fn only_meetings_that_took_place_count_as_time_spent() {
        let mut s = store();
        let a = add_account(&mut s, &account("a-1", "Hospital Clínic"));
        let b = add_account(&mut s, &account("a-2", "Hospital del Mar"));
        s.write(now(), |w| {
            for (uid, account, status) in [
                ("i-1", a, InteractionStatus::Done),
                ("i-2", a, InteractionStatus::Cancelled),
                ("i-3", a, InteractionStatus::Cancelled),
                ("i-4", b, InteractionStatus::Planned),
            ] {
                let i = Interaction {
                    account: Some(account),
                    ..interaction(uid, "2026-02-10T10:00:00+01:00", status)
                };
                w.upsert_interaction(&i, None, None)?;
            }
            Ok(())
        })
        .unwrap();
        let counts = s
            .reader()
            .interaction_counts_between(
                at("2026-01-01T00:00:00Z").timestamp(),
                at("2026-03-01T00:00:00Z").timestamp(),
            )
            .unwrap();
        assert_eq!(counts, [(a, 1)]);
    }

    #[test]
    fn filters_narrow_the_deal_list_and_receivables_are_client_payments() {
        let mut s = store();
        let a = add_account(&mut s, &account("a-1", "Hospital Clínic"));
        let b = add_account(&mut s, &account("a-2", "Farmacias Íñigo"));
        let mut d1 = deal("d-1", a, "Tender 2027", Some((100.0, "EUR")));
        d1.stage = Some(DealStage::Proposal);
        d1.kind = Some(DealKind::Tender);
        d1.close = Some(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
        let mut d2 = deal("d-2", b, "Listing", None);
        d2.stage = Some(DealStage::Won);
        d2.close = Some(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        let id1 = add_deal(&mut s, &d1);
        let id2 = add_deal(&mut s, &d2);
        let r = s.reader();
        let ids = |f: DealFilter| -> Vec<Id> {
            r.deals_filtered(&DealFilter { limit: 100, ..f })
                .unwrap()
                .iter()
                .map(|d| d.deal.id)
                .collect()
        };
        assert_eq!(ids(DealFilter::default()), [id2, id1]);
        assert_eq!(
            ids(DealFilter {
                open_only: true,
                ..Default::default()
            }),
            [id1]
        );
        assert_eq!(
            ids(DealFilter {
                stages: vec![DealStage::Won],
                ..Default::default()
            }),
            [id2]
        );
        assert_eq!(
            ids(DealFilter {
                account: Some(a),
                ..Default::default()
            }),
            [id1]
        );
        assert_eq!(
            ids(DealFilter {
                kind: Some(DealKind::Tender),
                ..Default::default()
            }),
            [id1]
        );
        assert_eq!(
            ids(DealFilter {
                closing_before: NaiveDate::from_ymd_opt(2026, 6, 1),
                ..Default::default()
            }),
            [id2]
        );

        let ob = |uid: &str, party, kind| Obligation {
            id: 0,
            uid: uid.into(),
            deal: id1,
            text: uid.into(),
            due: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            party: Some(party),
            kind: Some(kind),
            amount: Some(10.0),
            currency: Some("EUR".into()),
            status: Some(ObligationStatus::Open),
            done_at: None,
            extra: Extra::new(),
        };
        let pay = s
            .write(now(), |w| {
                w.upsert_obligation(&ob("o-2", Party::Us, ObligationKind::Payment))?;
                w.upsert_obligation(&ob("o-3", Party::Client, ObligationKind::Delivery))?;
                w.upsert_obligation(&ob("o-1", Party::Client, ObligationKind::Payment))
            })
            .unwrap();
        let rec = s.reader().open_receivables(10).unwrap();
        assert_eq!(rec.len(), 1);
        assert_eq!(rec[0].account_name, "Hospital Clínic");
        let (_, version) = s.reader().obligation(pay).unwrap().unwrap();
        assert!(matches!(
            s.write(now(), |w| w.complete_obligation(pay, version + 1)),
            Err(StoreError::Conflict { .. })
        ));
        s.write(now(), |w| w.complete_obligation(pay, version))
            .unwrap();
        assert!(s.reader().open_receivables(10).unwrap().is_empty());
        let (done, _) = s.reader().obligation(pay).unwrap().unwrap();
        assert_eq!(done.status, Some(ObligationStatus::Done));
        assert_eq!(done.done_at, Some(now()));
    }
}
