//! The week or month report for a regional manager: what was done (meetings, notes by account,
//! stage moves, new, won and lost deals, follow-ups done) and where things stand (pipeline and
//! weighted forecast, sales against target across accounts in the base currency, overdue
//! follow-ups and receivables, plan budgets), as Markdown.
//!
//! [`Report::build`] gathers the numbers from the same functions the screens use
//! ([`Pipeline::of`], [`Receivables::load`]); [`Report::markdown`] only formats. A week runs
//! Monday to Sunday, a month from its first to its last day, both in the local zone of `now`.
//! The forecast is the weighted value of open deals expected to close by the end of the next
//! period (earlier, overdue closes included). A new deal is one whose first stage move (from no
//! stage, as `kam deal add` records it) falls in the period. A deal counts as won (or lost) once,
//! by its last move to won or lost in the period, and only if it still stands there; a deal won
//! or lost with no recorded move (imported so) counts by its close date. Overdue receivables are
//! listed by account, payment, days overdue and amount. Lists are bounded; what is left out is
//! counted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, NaiveTime, TimeZone};
use serde::Serialize;

use super::pipeline::Pipeline;
use super::receivables::{Bucket, Receivable, Receivables};
use super::targets::{AgainstTarget, against_target};
use crate::config::DealsConfig;
use crate::domain::{DealStage, Id, Ladder, Vocabulary, month_text};
use crate::money::{DealTotals, Totals, format_money};
use crate::store::{
    AccountActivity, DealFilter, DealRow, PlanBudget, Reader, StageMove, StoreError,
};

/// Most accounts listed under "notes by account".
const ACCOUNTS_LISTED: usize = 15;
/// Most stage moves listed.
const MOVES_LISTED: usize = 40;
/// Most accounts listed as furthest behind their target.
const BEHIND_LISTED: usize = 10;
/// Most deals read for the pipeline.
const PIPELINE_LIMIT: u32 = 100_000;

/// Which span of days a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Week,
    Month,
}

impl Period {
    /// The first and last day of the period holding `day`.
    pub fn bounds(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Week => {
                let first = day - Days::new(u64::from(day.weekday().num_days_from_monday()));
                (first, first + Days::new(6))
            }
            Period::Month => {
                let first = day.with_day(1).unwrap_or(day);
                let last = (first + Months::new(1)).pred_opt().unwrap_or(first);
                (first, last)
            }
        }
    }

    /// The last day of the period after the one holding `day`.
    fn next_end(self, day: NaiveDate) -> NaiveDate {
        let (_, last) = self.bounds(day);
        self.bounds(last.succ_opt().unwrap_or(last)).1
    }
}

/// A deal won or lost in the period, with its value and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClosedDeal {
    pub deal: DealRow,
    pub stage: DealStage,
    pub note: Option<String>,
}

/// Everything the report says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub period: Period,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    pub meetings: i64,
    pub notes: i64,
    /// Accounts by activity, busiest first (all of them; the text lists the first 15).
    pub activity: Vec<AccountActivity>,
    pub stage_moves: Vec<StageMove>,
    pub new_deals: Vec<DealRow>,
    pub closed_deals: Vec<ClosedDeal>,
    pub pipeline: Pipeline,
    /// Open deals expected to close by `forecast_until`.
    pub forecast: DealTotals,
    pub forecast_until: NaiveDate,
    pub followups_done: i64,
    /// Open follow-ups due before today.
    pub followups_overdue: i64,
    pub receivables_overdue: Totals,
    pub receivables_overdue_count: usize,
    /// The payments past due, most overdue first (the text lists the first 40).
    pub receivables_overdue_items: Vec<Receivable>,
    pub plans: Vec<PlanBudget>,
    /// The months the period touches (`YYYY-MM`, first and last).
    pub sales_months: (String, String),
    /// Target against actual over those months, across accounts.
    pub sales: AgainstTarget,
}

fn start_of<Tz: TimeZone>(tz: &Tz, day: NaiveDate) -> i64 {
    crate::clock::earliest_instant(tz.from_local_datetime(&day.and_time(NaiveTime::MIN)))
        .map_or_else(
            || day.and_time(NaiveTime::MIN).and_utc().timestamp(),
            |t| t.timestamp(),
        )
}

impl Report {
    /// Gathers the report of the `period` holding `day`, as seen at `now`, with commission
    /// at `default_rate` and no conversion between currencies.
    pub fn build<Tz: TimeZone>(
        reader: &Reader<'_>,
        now: &DateTime<Tz>,
        period: Period,
        day: NaiveDate,
        default_rate: f64,
    ) -> Result<Report, StoreError> {
        let deals = DealsConfig {
            commission_rate: default_rate,
            ..DealsConfig::default()
        };
        Self::build_with(reader, now, period, day, &deals)
    }

    /// As [`Report::build`], with the `[deals]` config: its default commission rate, and its
    /// base currency and rates for target against actual across accounts.
    pub fn build_with<Tz: TimeZone>(
        reader: &Reader<'_>,
        now: &DateTime<Tz>,
        period: Period,
        day: NaiveDate,
        deals: &DealsConfig,
    ) -> Result<Report, StoreError> {
        let default_rate = deals.commission_rate;
        let tz = now.timezone();
        let today = now.date_naive();
        let (from, to) = period.bounds(day);
        let start = start_of(&tz, from);
        let end = start_of(&tz, to.succ_opt().unwrap_or(to));

        let activity = reader.activity_between(start, end, u32::MAX)?;
        let meetings = activity.iter().map(|a| a.meetings).sum();
        let notes = activity.iter().map(|a| a.notes).sum();
        let stage_moves = reader.stage_moves_between(start, end, 100_000)?;
        // The last won/lost move of each deal, in the order of those last moves.
        let mut last_close: BTreeMap<Id, (usize, DealStage, Option<String>)> = BTreeMap::new();
        let mut new_deals = Vec::new();
        for (seq, m) in stage_moves.iter().enumerate() {
            let c = &m.change;
            if c.ladder == Ladder::Deal
                && c.from.is_none()
                && let Some(deal) = reader.deal_row(c.subject)?
            {
                new_deals.push(deal);
            }
            let stage = match (c.ladder, c.to.as_str()) {
                (Ladder::Deal, "won") => DealStage::Won,
                (Ladder::Deal, "lost") => DealStage::Lost,
                _ => continue,
            };
            last_close.insert(c.subject, (seq, stage, c.note.clone()));
        }
        let mut closes: Vec<_> = last_close.into_iter().collect();
        closes.sort_by_key(|(_, (seq, _, _))| *seq);
        let mut closed_deals = Vec::new();
        for (id, (_, stage, note)) in closes {
            // A deal reopened (or closed the other way) since counts as it stands now.
            if let Some(deal) = reader.deal_row(id)?
                && deal.deal.stage == Some(stage)
            {
                closed_deals.push(ClosedDeal { deal, stage, note });
            }
        }
        // Deals imported already won or lost have no move: they count by their close date.
        for deal in reader.closed_without_move_between(from, to, PIPELINE_LIMIT)? {
            if let Some(stage) = deal.deal.stage {
                closed_deals.push(ClosedDeal {
                    deal,
                    stage,
                    note: None,
                });
            }
        }
        let open = reader.deals_filtered(&DealFilter {
            open_only: true,
            limit: PIPELINE_LIMIT,
            ..DealFilter::default()
        })?;
        let forecast_until = period.next_end(day);
        let mut forecast = DealTotals::default();
        for r in &open {
            if r.deal.close.is_some_and(|c| c <= forecast_until) {
                forecast.add(&r.deal, default_rate);
            }
        }
        let pipeline = Pipeline::of(open, default_rate);
        let receivables = Receivables::load(reader, today)?;
        let followups_overdue = match today.pred_opt() {
            Some(d) => reader.count_open_followups_until(d, &tz)?,
            None => 0,
        };
        Ok(Report {
            period,
            from,
            to,
            today,
            meetings,
            notes,
            activity,
            stage_moves,
            new_deals,
            closed_deals,
            pipeline,
            forecast,
            forecast_until,
            followups_done: reader.count_followups_done_between(start, end)?,
            followups_overdue,
            receivables_overdue: receivables.overdue,
            receivables_overdue_count: receivables.overdue_count,
            receivables_overdue_items: receivables
                .items
                .into_iter()
                .filter(|r| r.bucket != Bucket::NotDue)
                .collect(),
            plans: reader.plans_with_budget(200)?,
            sales: against_target(
                &reader.month_sales(None, &month_text(from), &month_text(to))?,
                deals,
            ),
            sales_months: (month_text(from), month_text(to)),
        })
    }

    /// The report as Markdown (the caller sanitizes it for the terminal).
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let what = match self.period {
            Period::Week => "Weekly",
            Period::Month => "Monthly",
        };
        let _ = writeln!(
            md,
            "# {what} report: {} to {}\n",
            self.from.format("%a %-d %b %Y"),
            self.to.format("%a %-d %b %Y")
        );
        let _ = writeln!(md, "Prepared on {}.\n", self.today.format("%-d %b %Y"));
        self.activity_md(&mut md);
        self.moves_md(&mut md);
        self.deals_md(&mut md);
        self.pipeline_md(&mut md);
        self.sales_md(&mut md);
        self.followups_md(&mut md);
        self.plans_md(&mut md);
        md
    }

    fn activity_md(&self, md: &mut String) {
        let _ = writeln!(md, "## Meetings and notes\n");
        let _ = writeln!(
            md,
            "{} meetings, visits and calls held; {} notes and emails, with {} accounts.\n",
            self.meetings,
            self.notes,
            self.activity.len()
        );
        if self.activity.is_empty() {
            return;
        }
        let _ = writeln!(md, "| Account | Meetings | Notes |\n|---|---:|---:|");
        for a in self.activity.iter().take(ACCOUNTS_LISTED) {
            let _ = writeln!(md, "| {} | {} | {} |", inline(&a.name), a.meetings, a.notes);
        }
        if self.activity.len() > ACCOUNTS_LISTED {
            let _ = writeln!(
                md,
                "\n…and {} more accounts.",
                self.activity.len() - ACCOUNTS_LISTED
            );
        }
        md.push('\n');
    }

    fn moves_md(&self, md: &mut String) {
        let _ = writeln!(md, "## Stage moves\n");
        if self.stage_moves.is_empty() {
            let _ = writeln!(md, "None.\n");
            return;
        }
        for m in self.stage_moves.iter().take(MOVES_LISTED) {
            let c = &m.change;
            let why = c
                .note
                .as_deref()
                .map(|n| format!(" — {}", inline(n)))
                .unwrap_or_default();
            let _ = writeln!(
                md,
                "- {} {} {}: {} → {}{why}",
                c.at.format("%-d %b"),
                c.ladder.as_str(),
                inline(&m.name),
                c.from.as_deref().unwrap_or("(none)"),
                c.to
            );
        }
        if self.stage_moves.len() > MOVES_LISTED {
            let _ = writeln!(md, "- …and {} more.", self.stage_moves.len() - MOVES_LISTED);
        }
        md.push('\n');
    }

    fn deals_md(&self, md: &mut String) {
        let _ = writeln!(md, "## Deals\n");
        let value = |r: &DealRow| {
            r.deal.value.map_or_else(
                || "—".to_string(),
                |v| {
                    format_money(
                        v,
                        r.deal
                            .currency
                            .as_deref()
                            .unwrap_or(crate::money::NO_CURRENCY),
                    )
                },
            )
        };
        let _ = writeln!(md, "New: {}.", self.new_deals.len());
        for r in self.new_deals.iter().take(MOVES_LISTED) {
            let _ = writeln!(
                md,
                "- {} · {} · {}",
                inline(&r.deal.title),
                inline(&r.account_name),
                value(r)
            );
        }
        let won: Vec<_> = self
            .closed_deals
            .iter()
            .filter(|c| c.stage == DealStage::Won)
            .collect();
        let lost: Vec<_> = self
            .closed_deals
            .iter()
            .filter(|c| c.stage == DealStage::Lost)
            .collect();
        for (label, list) in [("Won", won), ("Lost", lost)] {
            let mut totals = Totals::new();
            for c in &list {
                if let Some(v) = c.deal.deal.value {
                    totals.add(c.deal.deal.currency.as_deref(), v);
                }
            }
            let _ = writeln!(
                md,
                "\n{label}: {} ({}).",
                list.len(),
                totals.display("no value")
            );
            for c in list.iter().take(MOVES_LISTED) {
                let why = c
                    .note
                    .as_deref()
                    .map(|n| format!(" — {}", inline(n)))
                    .unwrap_or_default();
                let _ = writeln!(
                    md,
                    "- {} · {} · {}{why}",
                    inline(&c.deal.deal.title),
                    inline(&c.deal.account_name),
                    value(&c.deal)
                );
            }
        }
        md.push('\n');
    }

    fn pipeline_md(&self, md: &mut String) {
        let _ = writeln!(md, "## Pipeline and forecast\n");
        let _ = writeln!(
            md,
            "Open deals by stage; weighted = value × probability. Currencies are never added together.\n"
        );
        let _ = writeln!(
            md,
            "| Stage | Deals | Currency | Value | Weighted |\n|---|---:|---|---:|---:|"
        );
        for g in &self.pipeline.groups {
            for (i, (c, v)) in g.totals.value.iter().enumerate() {
                let (stage, n) = if i == 0 {
                    (g.label().to_string(), g.deals.len().to_string())
                } else {
                    (String::new(), String::new())
                };
                let _ = writeln!(
                    md,
                    "| {stage} | {n} | {c} | {} | {} |",
                    crate::money::format_amount(v),
                    crate::money::format_amount(g.totals.weighted.get(c))
                );
            }
        }
        let _ = writeln!(
            md,
            "\nForecast (open deals expected to close by {}, weighted): {}.",
            self.forecast_until.format("%-d %b %Y"),
            self.forecast.weighted.display("nothing")
        );
        let _ = writeln!(
            md,
            "Expected commission on them: {}.\n",
            self.forecast.commission.display("nothing")
        );
    }

    /// Target against actual over the months of the period, across accounts, and the
    /// accounts furthest behind.
    fn sales_md(&self, md: &mut String) {
        let _ = writeln!(md, "## Sales against target\n");
        let (first, last) = &self.sales_months;
        let months = if first == last {
            first.clone()
        } else {
            format!("{first} to {last}")
        };
        if self.sales.is_empty() {
            let _ = writeln!(
                md,
                "No month of {months} has both a target and an actual (`kam sales add`).\n"
            );
            return;
        }
        let _ = writeln!(
            md,
            "{months}, all accounts, months with both a target and an actual.\n"
        );
        let _ = writeln!(
            md,
            "| Currency | Target | Actual | Of target |\n|---|---:|---:|---:|"
        );
        for f in &self.sales.totals {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                f.currency,
                crate::money::format_whole(f.target),
                crate::money::format_whole(f.actual),
                f.percent().map_or("—".into(), |p| format!("{p:.0} %"))
            );
        }
        md.push('\n');
        for note in self.sales.currency_notes() {
            // Currency codes are checked on entry (three letters): nothing to escape.
            let _ = writeln!(md, "{note}\n");
        }
        let behind = self.sales.behind(BEHIND_LISTED);
        if behind.is_empty() {
            let _ = writeln!(md, "No account is behind its target.\n");
            return;
        }
        let _ = writeln!(
            md,
            "Furthest behind:\n\n| Account | Target | Actual | Of target |\n|---|---:|---:|---:|"
        );
        for b in &behind {
            let f = &b.figure;
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} |",
                inline(&b.name),
                format_money(f.target, &f.currency),
                format_money(f.actual, &f.currency),
                f.percent().map_or("—".into(), |p| format!("{p:.0} %"))
            );
        }
        md.push('\n');
    }

    fn followups_md(&self, md: &mut String) {
        let _ = writeln!(md, "## Follow-ups and receivables\n");
        let _ = writeln!(
            md,
            "- Follow-ups done in the period: {}",
            self.followups_done
        );
        let _ = writeln!(md, "- Follow-ups overdue today: {}", self.followups_overdue);
        let _ = writeln!(
            md,
            "- Payments overdue: {} ({})\n",
            self.receivables_overdue_count,
            self.receivables_overdue.display("none")
        );
        if self.receivables_overdue_items.is_empty() {
            return;
        }
        let _ = writeln!(
            md,
            "| Account | Payment | Days overdue | Amount |\n|---|---|---:|---:|"
        );
        for r in self.receivables_overdue_items.iter().take(MOVES_LISTED) {
            let o = &r.row.obligation;
            let amount = o.amount.map_or_else(
                || "—".to_string(),
                |a| {
                    format_money(
                        a,
                        o.currency.as_deref().unwrap_or(crate::money::NO_CURRENCY),
                    )
                },
            );
            let _ = writeln!(
                md,
                "| {} | {}: {} | {} | {amount} |",
                inline(&r.row.account_name),
                inline(&r.row.deal_title),
                inline(&o.text),
                r.days_overdue
            );
        }
        if self.receivables_overdue_items.len() > MOVES_LISTED {
            let _ = writeln!(
                md,
                "\n…and {} more.",
                self.receivables_overdue_items.len() - MOVES_LISTED
            );
        }
        md.push('\n');
    }

    fn plans_md(&self, md: &mut String) {
        let _ = writeln!(md, "## Plan budgets\n");
        if self.plans.is_empty() {
            let _ = writeln!(md, "No active plan has a budget.");
            return;
        }
        let _ = writeln!(
            md,
            "| Plan | For | Budget | Spent | Used |\n|---|---|---:|---:|---:|"
        );
        for p in &self.plans {
            let c = p
                .plan
                .currency
                .as_deref()
                .unwrap_or(crate::money::NO_CURRENCY);
            let budget = p.plan.budget.unwrap_or(0.0);
            let spent = p.plan.spent.unwrap_or(0.0);
            let used = if budget > 0.0 {
                format!("{:.0} %", spent / budget * 100.0)
            } else {
                "—".into()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {used} |",
                inline(&p.plan.objective),
                inline(&p.subject_name),
                format_money(budget, c),
                format_money(spent, c)
            );
        }
    }
}

/// Data text for one line of Markdown: newlines become spaces, and Markdown's active characters
/// (`#`, `*`, `[`, `<`, `|`, ...) are backslash-escaped so a name or note cannot make a link,
/// an image, HTML, emphasis or a new table cell.
fn inline(s: &str) -> String {
    crate::markdown::escape(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_are_monday_weeks_and_calendar_months() {
        assert_eq!(
            Period::Week.bounds(day("2026-11-27")),
            (day("2026-11-23"), day("2026-11-29"))
        );
        assert_eq!(
            Period::Week.bounds(day("2026-11-23")),
            (day("2026-11-23"), day("2026-11-29"))
        );
        assert_eq!(
            Period::Month.bounds(day("2028-02-10")),
            (day("2028-02-01"), day("2028-02-29"))
        );
        assert_eq!(Period::Month.next_end(day("2026-12-31")), day("2027-01-31"));
        assert_eq!(Period::Week.next_end(day("2026-11-27")), day("2026-12-06"));
    }

    #[test]
    fn cells_stay_in_their_column() {
        assert_eq!(inline("a | b\nc"), "a \\| b c");
    }

    #[test]
    fn data_cannot_make_markdown() {
        assert_eq!(
            inline("[x](http://e) <b>*y*</b>\n# h"),
            "\\[x\\](http://e) \\<b\\>\\*y\\*\\</b\\> \\# h"
        );
    }
}
