//! The insights screen (`5`): the Pareto curve of the largest currency's sales (cumulative share
//! by account rank, with the 80 % line) and the open pipeline by stage as terminal charts; the
//! stage moves of this month, relationships cooling, and how much of each plan's budget is used.
//! In the middle, this year's sales against target (in the base currency where rates are
//! configured) and the accounts furthest behind; on the right, commission earned per month
//! beside the forecast (`crate::insights::commission`, as `kam commission`), then the plans.
//! The numbers come from `crate::insights`, as in `kam pareto` and `kam report`. The lines of
//! the lists are selectable (↑/↓): `Enter` opens what a line is about — a deal or an account
//! or a person that moved, a person cooling, an account whose tier sales contradict, an account
//! behind its target, the account or person of a plan. `6` goes to the coverage screen.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Local, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Chart, Dataset, GraphType, Paragraph, Widget,
};

use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::config::Config;
use crate::domain::{Id, Ladder, PlanSubject, Tier, month_text};
use crate::insights::commission::CommissionMonth;
use crate::insights::pareto::{self, CurrencyRanking};
use crate::insights::pipeline::Pipeline;
use crate::insights::report::Period;
use crate::insights::targets::{AgainstTarget, BehindTarget, against_target};
use crate::money::{Totals, format_money_compact};
use crate::store::{DealRow, PlanBudget, Reader, StageMove, StoreError};
use crate::text::{fit, sanitize_line, truncate};
use crate::tui::action::{Action, ScreenKind};
use crate::tui::keymap::{Binding, Key};

use super::keep::Cursor;

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::plain(crossterm::event::KeyCode::Enter)],
        label: "Enter",
        help: "open",
        action: Action::OpenSelected,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('6')],
        label: "6",
        help: "coverage",
        action: Action::Go(ScreenKind::Coverage),
        footer: true,
    },
];

/// Most stage moves, cooling people and plans read.
const LISTED: u32 = 200;

/// What the screen shows, loaded by the app.
#[derive(Debug, Clone, PartialEq)]
pub struct InsightsData {
    /// The ranking of the currency most accounts sell in.
    pub pareto: Option<CurrencyRanking>,
    pub pipeline: Pipeline,
    /// Stage moves of the month holding today.
    pub moves: Vec<StageMove>,
    pub cooling: Vec<(Id, String)>,
    pub plans: Vec<PlanBudget>,
    /// Accounts whose sales suggest another tier: account, name, current, suggested.
    pub tier_changes: Vec<(Id, String, Option<Tier>, Option<Tier>)>,
    /// This year's sales against target, up to the month holding today.
    pub targets: AgainstTarget,
    /// The accounts furthest behind their target (the first few), and how many are behind.
    pub behind: Vec<BehindTarget>,
    pub behind_total: usize,
    /// Commission earned and forecast, month by month of this year.
    pub commission: Vec<CommissionMonth>,
    /// The month holding today (1–12).
    pub month: u32,
}

/// Reads the month's insights as seen at `now`, with the open deals already read for the deals
/// screen ([`super::pipeline::OPEN_DEALS_READ`] of them, at the same moment).
pub fn load_from(
    reader: &Reader<'_>,
    mut deals: Vec<DealRow>,
    now: &DateTime<Local>,
    config: &Config,
) -> Result<InsightsData, StoreError> {
    deals.truncate(OPEN_DEALS_SUMMED);
    let (from, to) = Period::Month.bounds(now.date_naive());
    let start = |d: chrono::NaiveDate| crate::when::start_of_day(&Local, d);
    // Interactions are not needed for the curve: the ranking alone stays cheap.
    let ranking = pareto::rank(&reader.account_sales()?, &HashMap::<Id, i64>::new());
    let tier_changes = ranking
        .mismatches()
        .into_iter()
        .map(|(_, r)| (r.account, r.name.clone(), r.current, r.suggested))
        .collect();
    let today = now.date_naive();
    let year = today.year();
    let targets = against_target(
        &reader.month_sales(None, &format!("{year:04}-01"), &month_text(today))?,
        &config.deals,
    );
    let year_days = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today),
        NaiveDate::from_ymd_opt(year.saturating_add(1), 1, 1).unwrap_or(today),
    );
    // Sorted once here, not at every frame.
    let all_behind = targets.behind(usize::MAX);
    Ok(InsightsData {
        // Accounts, not figures: an account behind in two currencies is one account behind.
        behind_total: all_behind
            .iter()
            .map(|b| b.account)
            .collect::<std::collections::HashSet<_>>()
            .len(),
        behind: all_behind.into_iter().take(BEHIND_SHOWN).collect(),
        targets,
        commission: crate::insights::commission::year(reader, year, year_days, &config.deals)?,
        month: today.month(),
        tier_changes,
        pareto: ranking.rankings.into_iter().next(),
        pipeline: Pipeline::of(deals, config.deals.commission_rate),
        moves: reader.stage_moves_between(
            start(from),
            start(to.succ_opt().unwrap_or(to)),
            LISTED,
        )?,
        cooling: reader.cooling_people(LISTED)?,
        plans: reader.plans_with_budget(LISTED)?,
    })
}

/// Most open deals summed in the pipeline's totals.
const OPEN_DEALS_SUMMED: usize = 20_000;
/// Stage moves listed under their count.
const MOVES_SHOWN: usize = 3;
/// Cooling people listed under their count.
const COOLING_SHOWN: usize = 2;
/// Accounts of another tier listed under their count.
const TIERS_SHOWN: usize = 3;
/// Accounts behind their target listed.
const BEHIND_SHOWN: usize = 4;
/// Months of commission shown before the month holding today (and as many after).
const COMMISSION_AROUND: u32 = 2;

/// The insights screen's state.
#[derive(Default)]
pub struct InsightsView {
    data: Option<InsightsData>,
    /// The selected line of the lists, followed by what it opens.
    cursor: Cursor<Selection>,
}

impl InsightsView {
    pub fn new() -> Self {
        InsightsView::default()
    }

    /// What each selectable line opens, in screen order: the left column, then the plans.
    fn items(&self) -> Vec<Selection> {
        let Some(d) = &self.data else {
            return Vec::new();
        };
        let mut out: Vec<Selection> = d
            .moves
            .iter()
            .rev()
            .take(MOVES_SHOWN)
            .map(|m| match m.change.ladder {
                Ladder::Deal => Selection::Deal {
                    id: m.change.subject,
                    account: None,
                },
                Ladder::Account => Selection::Account(m.change.subject),
                Ladder::Person => Selection::Person(m.change.subject),
            })
            .collect();
        out.extend(
            d.cooling
                .iter()
                .take(COOLING_SHOWN)
                .map(|(id, _)| Selection::Person(*id)),
        );
        out.extend(
            d.tier_changes
                .iter()
                .take(TIERS_SHOWN)
                .map(|(id, ..)| Selection::Account(*id)),
        );
        out.extend(d.behind.iter().map(|b| Selection::Account(b.account)));
        out.extend(d.plans.iter().map(|p| match p.plan.subject {
            PlanSubject::Account(a) => Selection::Account(a),
            PlanSubject::Person(p) => Selection::Person(p),
        }));
        out
    }
}

fn pareto_chart(d: &InsightsData, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
    let Some(r) = &d.pareto else {
        Paragraph::new("No sales figures yet.")
            .block(Block::bordered().title("Pareto"))
            .render(area, buf);
        return;
    };
    #[allow(clippy::cast_precision_loss)] // ranks are far below 2^52
    let points: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(
            r.accounts
                .iter()
                .enumerate()
                .map(|(i, a)| ((i + 1) as f64, a.cumulative * 100.0)),
        )
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let n = r.accounts.len().max(1) as f64;
    let cut = [(0.0, 80.0), (n, 80.0)];
    let title = format!(
        "Pareto {}: {} of {} accounts make 80 %",
        r.currency,
        r.cut,
        r.accounts.len()
    );
    let chart = Chart::new(vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(ctx.theme.accent())
            .data(&points),
        Dataset::default()
            .marker(Marker::Dot)
            .graph_type(GraphType::Line)
            .style(ctx.theme.dim())
            .data(&cut),
    ])
    .block(
        Block::bordered().title(Span::styled(
            truncate(
                &sanitize_line(&title),
                usize::from(area.width.saturating_sub(2)),
            )
            .into_owned(),
            ctx.theme.heading(),
        )),
    )
    .x_axis(
        Axis::default()
            .bounds([0.0, n])
            .labels(vec![Span::raw("1"), Span::raw(format!("{n:.0}"))]),
    )
    .y_axis(
        Axis::default()
            .bounds([0.0, 100.0])
            // Labels are spread evenly along the axis, so they must be evenly spaced values.
            .labels(vec![Span::raw("0"), Span::raw("50"), Span::raw("100%")]),
    );
    chart.render(area, buf);
}

fn pipeline_chart(d: &InsightsData, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
    let bars: Vec<Bar> = d
        .pipeline
        .groups
        .iter()
        .map(|g| {
            let label: String = g.label().chars().take(5).collect();
            Bar::default()
                .value(u64::try_from(g.deals.len()).unwrap_or(u64::MAX))
                .label(Line::from(label))
                .style(ctx.theme.accent())
        })
        .collect();
    BarChart::default()
        .block(Block::bordered().title(Span::styled(
            format!("Open deals by stage ({})", d.pipeline.open.count),
            ctx.theme.heading(),
        )))
        .data(BarGroup::default().bars(&bars))
        .bar_width(5)
        .bar_gap(1)
        .render(area, buf);
}

/// The lists; `selected` is the index of the selected line among the selectable ones.
fn lists(d: &InsightsData, selected: Option<usize>, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
    let [left, middle, right] = Layout::horizontal([
        Constraint::Percentage(36),
        Constraint::Percentage(32),
        Constraint::Percentage(32),
    ])
    .areas(area);
    // One blank cell between the columns.
    let cells = usize::from(left.width).saturating_sub(1);
    let t = ctx.theme;
    let line = |text: &str, style| {
        Line::from(Span::styled(
            truncate(&sanitize_line(text), cells).into_owned(),
            style,
        ))
    };
    let count = |l: Ladder| d.moves.iter().filter(|m| m.change.ladder == l).count();
    let mut rows = vec![line(
        &format!(
            "Stage moves this month: {} ({} deals, {} accounts, {} people)",
            d.moves.len(),
            count(Ladder::Deal),
            count(Ladder::Account),
            count(Ladder::Person)
        ),
        t.heading(),
    )];
    // Selectable lines are counted as they are drawn, in the order of `items`.
    let mut item = 0usize;
    let mut pick = |line: Line<'static>| {
        let chosen = selected == Some(item);
        item += 1;
        if chosen {
            line.style(t.selected())
        } else {
            line
        }
    };
    for m in d.moves.iter().rev().take(MOVES_SHOWN) {
        rows.push(pick(line(
            &format!(
                " {} {} {}→{}",
                m.change.at.format("%d.%m"),
                m.name,
                m.change.from.as_deref().unwrap_or("·"),
                m.change.to
            ),
            t.text(),
        )));
    }
    rows.push(line(
        &format!("Relationships cooling: {}", d.cooling.len()),
        t.heading(),
    ));
    for (_, name) in d.cooling.iter().take(COOLING_SHOWN) {
        rows.push(pick(line(&format!(" {name}"), t.alert())));
    }
    rows.push(line(
        &format!("Sales suggest another tier: {}", d.tier_changes.len()),
        t.heading(),
    ));
    let tier = |x: Option<Tier>| x.map_or_else(|| "-".to_string(), |t| t.to_string());
    for (_, name, from, to) in d.tier_changes.iter().take(TIERS_SHOWN) {
        rows.push(pick(line(
            &format!(" {} → {}  {name}", tier(*from), tier(*to)),
            t.accent(),
        )));
    }
    Paragraph::new(rows).render(left, buf);

    // The middle column's selectable lines come before the plans', as in `items`.
    Paragraph::new(sales_rows(d, middle, &mut pick, ctx)).render(middle, buf);

    let cells = usize::from(right.width);
    let mut rows = commission_rows(d, cells, ctx);
    rows.push(Line::from(Span::styled("Plan budgets used", t.heading())));
    for p in &d.plans {
        let budget = p.plan.budget.unwrap_or(0.0);
        let used = if budget > 0.0 {
            p.plan.spent.unwrap_or(0.0) / budget
        } else {
            0.0
        };
        let bar_w = 10usize;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // clamped to 0..=10
        let filled = ((used.clamp(0.0, 1.0) * 10.0).round() as usize).min(bar_w);
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(bar_w - filled));
        let label = format!(" {:>3.0}% ", used * 100.0);
        let name_w = cells.saturating_sub(bar_w + label.len() + 1);
        let style = if used > 0.9 { t.alert() } else { t.accent() };
        rows.push(pick(Line::from(vec![
            Span::styled(bar, style),
            Span::styled(label, t.text()),
            Span::styled(
                truncate(&sanitize_line(&p.subject_name), name_w).into_owned(),
                t.dim(),
            ),
        ])));
    }
    Paragraph::new(rows).render(right, buf);
}

/// A sum per currency in few cells: "1.2k EUR + 300 USD", or "—".
fn compact(t: &Totals) -> String {
    if t.is_empty() {
        return "—".into();
    }
    t.iter()
        .map(|(c, v)| format_money_compact(v, Some(c)))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The year to date against target, what was converted, and the accounts furthest behind
/// (selectable, through `pick`).
fn sales_rows(
    d: &InsightsData,
    area: Rect,
    pick: &mut impl FnMut(Line<'static>) -> Line<'static>,
    ctx: &RenderCtx,
) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let cells = usize::from(area.width).saturating_sub(1);
    let line = |text: &str, style| {
        Line::from(Span::styled(
            truncate(&sanitize_line(text), cells).into_owned(),
            style,
        ))
    };
    let mut rows = vec![line("Sales vs target YTD", t.heading())];
    if d.targets.is_empty() {
        rows.push(line(" none yet: kam sales add", t.dim()));
        return rows;
    }
    for f in &d.targets.totals {
        let pct = f.percent().map_or(String::new(), |p| format!(" {p:.0} %"));
        let style = if f.percent().is_some_and(|p| p < 90.0) {
            t.alert()
        } else {
            t.text()
        };
        rows.push(line(
            &format!(
                " {} of {}{pct}",
                format_money_compact(f.actual, Some(&f.currency)),
                format_money_compact(f.target, Some(&f.currency))
            ),
            style,
        ));
    }
    if !d.targets.converted.is_empty() {
        rows.push(line(
            &format!(" converted: {}", d.targets.converted.join(", ")),
            t.dim(),
        ));
    }
    if !d.targets.missing_rate.is_empty() {
        rows.push(line(
            &format!(" no rate for {}: apart", d.targets.missing_rate.join(", ")),
            t.alert(),
        ));
    }
    rows.push(line(
        &format!("Behind target: {}", d.behind_total),
        t.heading(),
    ));
    for b in &d.behind {
        // The name first (what the KAM recognises), its share of target at the right.
        let pct = format!(" {:>3.0} %", b.figure.percent().unwrap_or(0.0));
        let name = fit(
            &sanitize_line(&b.name),
            cells.saturating_sub(pct.len() + 1).max(1),
        );
        rows.push(pick(line(&format!(" {name}{pct}"), t.alert())));
    }
    rows
}

/// Commission earned per month beside the forecast, for the months around the one holding
/// today, and the year.
fn commission_rows(d: &InsightsData, cells: usize, ctx: &RenderCtx) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let line = |text: &str, style| {
        Line::from(Span::styled(
            truncate(&sanitize_line(text), cells).into_owned(),
            style,
        ))
    };
    let year = d
        .commission
        .first()
        .and_then(|m| m.month.get(..4))
        .unwrap_or("")
        .to_string();
    let mut rows = vec![line("Commission earned · forecast", t.heading())];
    let first = d.month.saturating_sub(COMMISSION_AROUND).max(1);
    let last = (d.month + COMMISSION_AROUND).min(12);
    let mut earned = Totals::new();
    let mut forecast = Totals::new();
    for (i, m) in d.commission.iter().enumerate() {
        earned.merge(&m.earned);
        forecast.merge(&m.forecast);
        let n = u32::try_from(i + 1).unwrap_or(0);
        if n < first || n > last {
            continue;
        }
        let style = if n == d.month { t.accent() } else { t.text() };
        let name = NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d")
            .map_or_else(|_| m.month.clone(), |d| d.format("%b").to_string());
        rows.push(line(
            &format!(" {name} {} · {}", compact(&m.earned), compact(&m.forecast)),
            style,
        ));
    }
    rows.push(line(
        &format!(" {year} {} · {}", compact(&earned), compact(&forecast)),
        t.dim(),
    ));
    rows
}

impl View for InsightsView {
    fn title(&self) -> String {
        "Insights".into()
    }

    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn need(&self) -> Need {
        Need::Insights
    }

    fn accept(&mut self, data: Loaded) {
        if let Loaded::Insights(d) = data {
            self.data = Some(*d);
            let items = self.items();
            self.cursor.follow(&items);
        }
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        if self.cursor.step(action, 5, &self.items()) {
            return None;
        }
        match action {
            Action::OpenSelected => self.selection().and_then(Selection::open),
            _ => None,
        }
    }

    fn selection(&self) -> Option<Selection> {
        self.items().get(self.cursor.selected()?).copied()
    }

    fn gone(&self) -> bool {
        self.cursor.gone()
    }

    fn screen(&self) -> Option<ScreenKind> {
        Some(ScreenKind::Insights)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let Some(d) = &self.data else {
            Paragraph::new("Loading…").render(area, buf);
            return;
        };
        let [charts, below] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Min(4)]).areas(area);
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(charts);
        pareto_chart(d, left, buf, ctx);
        pipeline_chart(d, right, buf, ctx);
        let selected = self.cursor.selected().filter(|i| *i < self.items().len());
        lists(d, selected, below, buf, ctx);
    }
}
