//! The deals screen (`4`): open deals grouped by stage in ladder order, each stage with its
//! value and weighted value per currency (never added across currencies), and every deal on a
//! line; the deals expected to close this month come first. `Enter` opens the deal's screen,
//! `a` adds a deal. With more open deals than it reads, a line under the heading says the
//! totals are of the first ones by close date. `c` switches to the tender calendar: the
//! milestones of open deals by date, those within the configured lead highlighted; `Enter` on
//! one opens its deal.

use chrono::{DateTime, Local, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keep::Cursor;
use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::config::Config;
use crate::insights::pipeline::Pipeline;
use crate::insights::report::Period;
use crate::insights::tenders::{self, TenderDate};
use crate::money::{DealTotals, format_whole};
use crate::store::{DealRow, Reader, StoreError};
use crate::text::{fit, sanitize_line, truncate};
use crate::tui::action::{Action, ScreenKind};
use crate::tui::keymap::{Binding, Key};

/// Most open deals the screen reads.
const DEALS_LIMIT: u32 = 20_000;
/// Days of tender calendar shown.
const CALENDAR_DAYS: u32 = 180;

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::ch('c')],
        label: "c",
        help: "pipeline / tender calendar",
        action: Action::ToggleCalendar,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('a')],
        label: "a",
        help: "add a deal",
        action: Action::AddDeal,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(crossterm::event::KeyCode::Enter)],
        label: "Enter",
        help: "open the deal",
        action: Action::OpenSelected,
        footer: true,
    },
];

/// What the screen shows, loaded by the app.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineData {
    pub pipeline: Pipeline,
    pub calendar: Vec<TenderDate>,
    pub lead_days: u32,
    pub today: NaiveDate,
    /// The open deals read stopped at the limit: the totals are of those read only.
    pub cut: Option<u32>,
}

/// How many open deals are read for the screen ([`load_from`]): one more than shown, to know
/// whether any was left out.
pub const OPEN_DEALS_READ: u32 = DEALS_LIMIT + 1;

/// Reads the tender calendar as seen at `now` and sums the open deals already read
/// ([`Reader::open_deal_lines`] of [`OPEN_DEALS_READ`]).
pub fn load_from(
    reader: &Reader<'_>,
    deals: Vec<DealRow>,
    now: &DateTime<Local>,
    config: &Config,
) -> Result<PipelineData, StoreError> {
    cut_at(reader, deals, now, config, DEALS_LIMIT)
}

/// As [`load_from`], showing at most `limit` open deals (`deals` read one more).
fn cut_at(
    reader: &Reader<'_>,
    mut deals: Vec<DealRow>,
    now: &DateTime<Local>,
    config: &Config,
    limit: u32,
) -> Result<PipelineData, StoreError> {
    let cut = (deals.len() > limit as usize).then_some(limit);
    deals.truncate(limit as usize);
    let today = now.date_naive();
    Ok(PipelineData {
        pipeline: Pipeline::of(deals, config.deals.commission_rate),
        calendar: tenders::calendar(reader, today, today, CALENDAR_DAYS)?,
        lead_days: config.deals.tender_lead_days,
        today,
        cut,
    })
}

/// One line of the screen, without styles (built once per load; lines are drawn for the
/// visible window only).
#[derive(Debug, Clone, PartialEq)]
enum Entry {
    Heading(String),
    Totals(String),
    /// Group and index of a deal.
    Deal(usize, usize),
    Date(NaiveDate),
    Milestone(usize),
    Blank,
}

/// The deals screen's state.
pub struct PipelineView {
    data: Option<PipelineData>,
    calendar: bool,
    entries: Vec<Entry>,
    /// Indexes into `entries` of the selectable lines.
    selectable: Vec<usize>,
    /// The selected deal (by id across reloads), a row of `selectable`.
    cursor: Cursor<i64>,
}

impl PipelineView {
    pub fn new() -> Self {
        PipelineView {
            data: None,
            calendar: false,
            entries: Vec::new(),
            selectable: Vec::new(),
            cursor: Cursor::default(),
        }
    }

    fn rebuild(&mut self) {
        self.entries.clear();
        let Some(data) = &self.data else { return };
        if self.calendar {
            if data.calendar.is_empty() {
                self.entries.push(Entry::Heading(format!(
                    "No milestones of open deals in the next {CALENDAR_DAYS} days."
                )));
            }
            let mut last = None;
            for (i, t) in data.calendar.iter().enumerate() {
                if last != Some(t.date) {
                    if last.is_some() {
                        self.entries.push(Entry::Blank);
                    }
                    self.entries.push(Entry::Date(t.date));
                    last = Some(t.date);
                }
                self.entries.push(Entry::Milestone(i));
            }
        } else {
            let p = &data.pipeline;
            self.entries.push(Entry::Heading(format!(
                "Open pipeline: {} deals",
                p.open.count
            )));
            if let Some(limit) = data.cut {
                self.entries.push(Entry::Totals(format!(
                    "Only the first {} open deals by close date were read: totals are of those.",
                    format_whole(f64::from(limit))
                )));
            }
            totals(&mut self.entries, &p.open);
            // The deals expected to close this month, largest first within each currency.
            let (first, last) = Period::Month.bounds(data.today);
            let mut closing: Vec<(usize, usize)> = Vec::new();
            for (g, group) in p.groups.iter().enumerate() {
                for (i, r) in group.deals.iter().enumerate() {
                    if r.deal.close.is_some_and(|c| c >= first && c <= last) {
                        closing.push((g, i));
                    }
                }
            }
            if !closing.is_empty() {
                let deal = |&(g, i): &(usize, usize)| &p.groups[g].deals[i].deal;
                closing.sort_by(|a, b| {
                    deal(a).currency.cmp(&deal(b).currency).then_with(|| {
                        deal(b)
                            .value
                            .unwrap_or(0.0)
                            .total_cmp(&deal(a).value.unwrap_or(0.0))
                    })
                });
                self.entries.push(Entry::Blank);
                self.entries.push(Entry::Heading(format!(
                    "Closing this month ({})",
                    data.today.format("%B")
                )));
                self.entries
                    .extend(closing.into_iter().map(|(g, i)| Entry::Deal(g, i)));
            }
            for (g, group) in p.groups.iter().enumerate() {
                self.entries.push(Entry::Blank);
                self.entries.push(Entry::Heading(format!(
                    "{} ({})",
                    group.label(),
                    group.deals.len()
                )));
                totals(&mut self.entries, &group.totals);
                for d in 0..group.deals.len() {
                    self.entries.push(Entry::Deal(g, d));
                }
            }
        }
        self.selectable = self
            .entries
            .iter()
            .enumerate()
            .filter(|(_, e)| matches!(e, Entry::Deal(..) | Entry::Milestone(_)))
            .map(|(i, _)| i)
            .collect();
        let keys = self.keys();
        self.cursor.follow(&keys);
    }

    /// The deal id of each selectable line.
    fn keys(&self) -> Vec<i64> {
        let Some(data) = &self.data else {
            return Vec::new();
        };
        self.selectable
            .iter()
            .filter_map(|&e| match self.entries.get(e)? {
                Entry::Deal(g, i) => Some(data.pipeline.groups[*g].deals[*i].deal.id),
                Entry::Milestone(i) => Some(data.calendar[*i].deal),
                _ => None,
            })
            .collect()
    }

    fn line(&self, entry: &Entry, cells: usize, ctx: &RenderCtx) -> Line<'static> {
        let theme = ctx.theme;
        let Some(data) = &self.data else {
            return Line::default();
        };
        let span = |t: &str, style| Span::styled(sanitize_line(t).into_owned(), style);
        match entry {
            Entry::Blank => Line::default(),
            Entry::Heading(t) => Line::from(span(t, theme.heading())),
            Entry::Totals(t) => Line::from(span(&truncate(t, cells), theme.dim())),
            Entry::Deal(g, i) => {
                let r = &data.pipeline.groups[*g].deals[*i];
                let d = &r.deal;
                // title | account | value | probability | close
                let title_w = cells.saturating_sub(2 + 19 + 17 + 5 + 11).clamp(8, 48);
                let value = d.value.map_or_else(String::new, |v| {
                    format!(
                        "{} {}",
                        format_whole(v),
                        d.currency.as_deref().unwrap_or("")
                    )
                });
                let value = truncate(&sanitize_line(&value), 16).into_owned();
                let close = d.close.map_or_else(String::new, |c| c.to_string());
                let late = d.close.is_some_and(|c| c < ctx.now.date_naive());
                let text = format!(
                    "  {} {} {:>16} {:>4} {close}",
                    fit(&sanitize_line(&d.title), title_w),
                    fit(&sanitize_line(&r.account_name), 18),
                    value,
                    d.probability.map_or(String::new(), |p| format!("{p:.0}%")),
                );
                let style = if late { theme.alert() } else { theme.text() };
                Line::from(Span::styled(truncate(&text, cells).into_owned(), style))
            }
            Entry::Date(day) => Line::from(span(
                &crate::when::When {
                    date: *day,
                    time: None,
                }
                .describe(ctx.now.date_naive()),
                theme.heading(),
            )),
            Entry::Milestone(i) => {
                let t = &data.calendar[*i];
                let soon = (0..=i64::from(data.lead_days)).contains(&t.days_left);
                let style = if soon { theme.alert() } else { theme.text() };
                Line::from(vec![
                    span(&format!("  {}: ", t.countdown()), style),
                    span(
                        &truncate(&format!("{} · {}", t.title, t.account), cells),
                        theme.text(),
                    ),
                ])
            }
        }
    }
}

fn totals(entries: &mut Vec<Entry>, t: &DealTotals) {
    for (c, v) in t.value.iter() {
        entries.push(Entry::Totals(format!(
            "  {c} {} · weighted {} · commission {}",
            format_whole(v),
            format_whole(t.weighted.get(c)),
            format_whole(t.commission.get(c))
        )));
    }
}

impl Default for PipelineView {
    fn default() -> Self {
        Self::new()
    }
}

impl View for PipelineView {
    fn title(&self) -> String {
        if self.calendar {
            "Tender calendar".into()
        } else {
            "Deals".into()
        }
    }

    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn need(&self) -> Need {
        Need::Pipeline
    }

    fn accept(&mut self, data: Loaded) {
        if let Loaded::Pipeline(data) = data {
            self.data = Some(*data);
            self.rebuild();
        }
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        if self.cursor.step(action, 10, &self.keys()) {
            return None;
        }
        match action {
            Action::ToggleCalendar => {
                self.calendar = !self.calendar;
                self.cursor = Cursor::default();
                self.rebuild();
            }
            Action::OpenSelected => return self.selection().and_then(Selection::open),
            _ => {}
        }
        None
    }

    fn selection(&self) -> Option<Selection> {
        let data = self.data.as_ref()?;
        match self
            .entries
            .get(*self.selectable.get(self.cursor.selected()?)?)?
        {
            Entry::Deal(g, i) => {
                let d = &data.pipeline.groups[*g].deals[*i].deal;
                Some(Selection::Deal {
                    id: d.id,
                    account: Some(d.account),
                })
            }
            Entry::Milestone(i) => Some(Selection::Deal {
                id: data.calendar[*i].deal,
                account: None,
            }),
            _ => None,
        }
    }

    fn gone(&self) -> bool {
        self.cursor.gone()
    }

    fn screen(&self) -> Option<ScreenKind> {
        Some(ScreenKind::Deals)
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        if self.data.is_none() {
            Paragraph::new("Loading…").render(area, buf);
            return;
        }
        let height = usize::from(area.height);
        let selected = self.selectable.get(self.cursor.row()).copied();
        let gone = self.cursor.gone();
        let top = match selected {
            Some(i) if i + 3 > height => {
                (i + 3 - height).min(self.entries.len().saturating_sub(height))
            }
            _ => 0,
        };
        let cells = usize::from(area.width);
        let lines: Vec<Line> = self
            .entries
            .iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, e)| {
                let line = self.line(e, cells, ctx);
                if Some(i) == selected && !gone {
                    line.style(ctx.theme.selected())
                } else {
                    line
                }
            })
            .collect();
        Paragraph::new(lines).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn heads(view: &PipelineView) -> Vec<String> {
        view.entries
            .iter()
            .filter_map(|e| match e {
                Entry::Heading(t) | Entry::Totals(t) => Some(t.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn totals_of_a_cut_list_say_so() {
        let now = chrono::TimeZone::with_ymd_and_hms(&Local, 2026, 11, 27, 9, 0, 0).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let lines = crate::demo::demo_lines(now.date_naive(), *now.offset());
        crate::interop::jsonl::import(
            &mut store,
            lines.join("\n").as_bytes(),
            now.fixed_offset(),
            &mut |_| {},
        )
        .unwrap();
        let config = Config::default();
        let reader = store.reader();
        let mut view = PipelineView::new();
        view.accept(Loaded::Pipeline(Box::new(
            load_from(
                &reader,
                reader.open_deal_lines(OPEN_DEALS_READ).unwrap(),
                &now,
                &config,
            )
            .unwrap(),
        )));
        assert!(
            heads(&view)
                .iter()
                .all(|h| !h.starts_with("Only the first"))
        );
        let deals = reader.open_deal_lines(3).unwrap();
        view.accept(Loaded::Pipeline(Box::new(
            cut_at(&reader, deals, &now, &config, 2).unwrap(),
        )));
        let heads = heads(&view);
        assert_eq!(heads[0], "Open pipeline: 2 deals");
        assert_eq!(
            heads[1],
            "Only the first 2 open deals by close date were read: totals are of those."
        );
    }
}
