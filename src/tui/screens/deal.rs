//! The deal screen (issue 12.4): one deal in full — its account, stage (and since when), value,
//! probability and weighted value, expected close, commission, tender dates, obligations with
//! their status, stage history and notes — opened with `Enter` from the deals screen, the tender
//! calendar, an account's Deals tab and the agenda's deadlines (a receivable opens with its
//! obligation selected). Its keys act on it through `ops`: `S` moves the stage (a lost deal
//! needs its reason), `e` edits the probability and the close date, `x` marks the selected
//! obligation done (delivered, paid), `o` adds an obligation, `A` archives or restores it.

use std::fmt::Write as _;

use chrono::{Local, NaiveDate};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::keep::Cursor;
use super::{Loaded, Need, RenderCtx, Selection, View};
use crate::domain::{
    Id, Ladder, Obligation, ObligationStatus, Party, StageChange, Timestamp, Vocabulary,
};
use crate::money::{self, format_money};
use crate::store::{DealPersonRow, DealRow, Reader, Shelved, StoreError, TargetKind};
use crate::text::{sanitize_line, truncate};
use crate::tui::action::Action;
use crate::tui::keymap::{Binding, Key};
use crate::when::When;

/// What the deal screen shows, loaded by the app.
#[derive(Debug, Clone, PartialEq)]
pub struct DealData {
    /// The deal (milestones included), its account's name and the version read.
    pub row: DealRow,
    /// When it was archived, if it is.
    pub archived_at: Option<Timestamp>,
    /// By due date.
    pub obligations: Vec<Obligation>,
    /// Oldest first.
    pub history: Vec<StageChange>,
    /// The default commission rate (config), for deals without their own.
    pub default_rate: f64,
    /// Its people by role, each with the local day they were last seen (issue 14.3).
    pub people: Vec<(DealPersonRow, Option<NaiveDate>)>,
}

/// Reads deal `id` in full.
pub fn load(reader: &Reader<'_>, id: Id, default_rate: f64) -> Result<DealData, StoreError> {
    let row = reader.deal_row(id)?.ok_or_else(|| StoreError::NotFound {
        what: format!("deal #d{id}"),
    })?;
    Ok(DealData {
        archived_at: reader
            .archived_at(Shelved::Deal, id)?
            .and_then(|(at, _)| at),
        obligations: reader.obligations_of(id)?,
        history: reader.stage_history(Ladder::Deal, id)?,
        default_rate,
        people: reader
            .deal_people(id)?
            .into_iter()
            .map(|p| {
                let seen = crate::flags::committee::seen_day(reader, p.role.person, &Local)?;
                Ok((p, seen))
            })
            .collect::<Result<_, StoreError>>()?,
        row,
    })
}

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::ch('S')],
        label: "S",
        help: "stage",
        action: Action::DealStage,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('e')],
        label: "e",
        help: "probability, close",
        action: Action::EditDeal,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('x')],
        label: "x",
        help: "done / paid",
        action: Action::ObligationDone,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('o')],
        label: "o",
        help: "add obligation",
        action: Action::AddObligation,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('p')],
        label: "p",
        help: "people of the deal",
        action: Action::DealPeople,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('A')],
        label: "A",
        help: "archive / restore",
        action: Action::ArchiveDeal,
        footer: false,
    },
    Binding {
        keys: &[Key::ch('a')],
        label: "a",
        help: "add a deal (this account)",
        action: Action::AddDeal,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(crossterm::event::KeyCode::Enter)],
        label: "Enter",
        help: "account",
        action: Action::OpenSelected,
        footer: true,
    },
];

/// The deal screen's state.
pub struct DealScreen {
    id: Id,
    data: Option<DealData>,
    /// The selected obligation, followed by id across reloads.
    cursor: Cursor<Id>,
    /// The obligation to select once loaded (opened from an agenda receivable).
    focus: Option<Id>,
}

impl DealScreen {
    pub fn new(id: Id) -> Self {
        DealScreen {
            id,
            data: None,
            cursor: Cursor::default(),
            focus: None,
        }
    }

    /// The deal with obligation `obligation` selected.
    pub fn at_obligation(id: Id, obligation: Id) -> Self {
        DealScreen {
            focus: Some(obligation),
            ..DealScreen::new(id)
        }
    }

    fn keys(&self) -> Vec<Id> {
        self.data
            .as_ref()
            .map(|d| d.obligations.iter().map(|o| o.id).collect())
            .unwrap_or_default()
    }
}

/// A line of text from data, sanitized and cut to `cells`.
fn text(s: &str, cells: usize, style: ratatui::style::Style) -> Line<'static> {
    Line::from(Span::styled(
        truncate(&sanitize_line(s), cells).into_owned(),
        style,
    ))
}

/// The deal's facts: title, account, stage, money, close, commission.
fn facts(d: &DealData, cells: usize, ctx: &RenderCtx) -> Vec<Line<'static>> {
    let t = ctx.theme;
    let today = ctx.now.date_naive();
    let deal = &d.row.deal;
    let cur = deal.currency.as_deref().unwrap_or(money::NO_CURRENCY);
    let text = |s: &str, style| text(s, cells, style);
    let mut out = Vec::new();
    let mut head = format!("#d{} {}", deal.id, deal.title);
    if let Some(at) = d.archived_at {
        let _ = write!(
            head,
            "  (archived {}; A restores)",
            at.with_timezone(&Local).format("%Y-%m-%d")
        );
    }
    out.push(text(&head, t.heading()));
    out.push(text(
        &format!("Account     {}", d.row.account_name),
        t.text(),
    ));
    let since = deal
        .stage
        .and_then(|s| d.history.iter().rev().find(|c| c.to == s.as_str()))
        .map(|c| format!(" (since {})", c.at.with_timezone(&Local).format("%Y-%m-%d")))
        .unwrap_or_default();
    out.push(text(
        &format!(
            "Stage       {}{since}{}",
            deal.stage.map_or("none", Vocabulary::as_str),
            deal.kind
                .map(|k| format!(" · {}", k.as_str()))
                .unwrap_or_default()
        ),
        t.text(),
    ));
    let value = deal
        .value
        .map_or_else(|| "no value".to_string(), |v| format_money(v, cur));
    let probability = deal
        .probability
        .map_or_else(|| "no probability".to_string(), |p| format!("{p:.0}%"));
    let weighted = money::weighted_value(deal)
        .map(|w| format!(" · weighted {}", format_money(w, cur)))
        .unwrap_or_default();
    out.push(text(
        &format!("Value       {value} · {probability}{weighted}"),
        t.text(),
    ));
    let close = deal
        .close
        .map_or_else(|| "no close date".to_string(), |c| describe(c, today));
    let late = deal.close.is_some_and(|c| c < today)
        && !matches!(deal.stage.map(Vocabulary::as_str), Some("won" | "lost"));
    out.push(text(
        &format!("Close       {close}"),
        if late { t.alert() } else { t.text() },
    ));
    if let Some(c) = money::expected_commission(deal, d.default_rate) {
        out.push(text(
            &format!(
                "Commission  {} expected ({}%)",
                format_money(c, cur),
                money::commission_rate(deal, d.default_rate)
            ),
            t.dim(),
        ));
    }
    out
}

/// The lines of the screen; the index of each obligation's line, in order.
fn lines(d: &DealData, cells: usize, ctx: &RenderCtx) -> (Vec<Line<'static>>, Vec<usize>) {
    let t = ctx.theme;
    let today = ctx.now.date_naive();
    let deal = &d.row.deal;
    let text = |s: &str, style| text(s, cells, style);
    let mut out = facts(d, cells, ctx);
    if !deal.milestones.is_empty() {
        out.push(Line::default());
        out.push(text("Tender dates", t.heading()));
        for m in &deal.milestones {
            out.push(text(
                &format!("  {}  {}", m.name, describe(m.date, today)),
                t.text(),
            ));
        }
    }
    people_lines(d, &mut out, cells, ctx);
    out.push(Line::default());
    out.push(text(
        &format!("Obligations ({})", d.obligations.len()),
        t.heading(),
    ));
    if d.obligations.is_empty() {
        out.push(text("  none — o adds one (a delivery, a payment)", t.dim()));
    }
    let mut rows = Vec::new();
    for o in &d.obligations {
        rows.push(out.len());
        let done = o.status == Some(ObligationStatus::Done);
        let style = if done {
            t.dim()
        } else if o.due < today {
            t.alert()
        } else {
            t.text()
        };
        out.push(text(&obligation_line(o, today), style));
    }
    if !d.history.is_empty() {
        out.push(Line::default());
        out.push(text("Stage history", t.heading()));
        for c in &d.history {
            let note = c
                .note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            out.push(text(
                &format!(
                    "  {} {} → {}{note}",
                    c.at.with_timezone(&Local).format("%Y-%m-%d"),
                    c.from.as_deref().unwrap_or("·"),
                    c.to
                ),
                t.text(),
            ));
        }
    }
    if let Some(n) = deal.notes.as_deref().filter(|n| !n.trim().is_empty()) {
        out.push(Line::default());
        out.push(text("Notes", t.heading()));
        for l in n.lines() {
            out.push(text(&format!("  {l}"), t.text()));
        }
    }
    (out, rows)
}

/// The deal's people by role, a committee member not seen in the weeks before the submission
/// in the alert colour (the red flag's rule).
fn people_lines(d: &DealData, out: &mut Vec<Line<'static>>, cells: usize, ctx: &RenderCtx) {
    use crate::flags::committee::{submission_day, unseen_before};
    let t = ctx.theme;
    let today = ctx.now.date_naive();
    let submission = submission_day(&d.row.deal);
    let open = d.row.deal.stage.is_none_or(|s| !s.is_closed());
    out.push(Line::default());
    out.push(text(
        &format!("People ({})", d.people.len()),
        cells,
        t.heading(),
    ));
    if d.people.is_empty() {
        out.push(text(
            "  nobody yet — p adds the committee, the decision maker…",
            cells,
            t.dim(),
        ));
    }
    for (p, seen) in &d.people {
        let said = seen.map_or_else(|| "never seen".to_string(), |s| format!("seen {s}"));
        let unseen = open
            && p.role.role.is_committee()
            && submission.is_some_and(|s| unseen_before(s, today, *seen));
        let line = format!(
            "  {:<21} {} — {said}{}",
            p.role.role.as_str(),
            p.name,
            if unseen {
                "  ⚑ not seen before the submission"
            } else {
                ""
            }
        );
        out.push(text(
            &line,
            cells,
            if unseen { t.alert() } else { t.text() },
        ));
    }
}

/// "Fri 27 Nov 2026 (in 3 days)".
fn describe(day: NaiveDate, today: NaiveDate) -> String {
    When {
        date: day,
        time: None,
    }
    .describe(today)
}

/// "  [12] 2026-12-15 late  client owes payment: Invoice 118 · 30,000.00 EUR": the status
/// before the text, so that a cut line still shows it.
fn obligation_line(o: &Obligation, today: NaiveDate) -> String {
    let whose = match o.party {
        Some(Party::Client) => "client owes",
        Some(Party::Us) => "we owe",
        None => "due",
    };
    let kind = o
        .kind
        .map(|k| format!(" {}", k.as_str()))
        .unwrap_or_default();
    let amount = o
        .amount
        .map(|a| {
            format!(
                " · {}",
                format_money(a, o.currency.as_deref().unwrap_or(money::NO_CURRENCY))
            )
        })
        .unwrap_or_default();
    let status = match o.status {
        Some(ObligationStatus::Done) if o.kind.map(Vocabulary::as_str) == Some("payment") => "paid",
        Some(ObligationStatus::Done) => "done",
        _ if o.due < today => "late",
        _ => "open",
    };
    format!(
        "  [{}] {} {status}  {whose}{kind}: {}{amount}",
        o.id, o.due, o.text
    )
}

impl View for DealScreen {
    fn title(&self) -> String {
        "Deal".into()
    }

    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn need(&self) -> Need {
        Need::Deal { id: self.id }
    }

    fn accept(&mut self, data: Loaded) {
        if let Loaded::Deal(d) = data {
            self.data = Some(*d);
            let keys = self.keys();
            match self.focus.take() {
                Some(o) => {
                    let at = keys.iter().position(|k| *k == o).unwrap_or(0);
                    self.cursor.select(at, &keys);
                }
                None => self.cursor.follow(&keys),
            }
        }
    }

    fn apply(&mut self, action: Action) -> Option<Action> {
        if self.cursor.step(action, 10, &self.keys()) {
            return None;
        }
        match action {
            Action::OpenSelected => self
                .data
                .as_ref()
                .map(|d| Action::Open(TargetKind::Account, d.row.deal.account)),
            _ => None,
        }
    }

    fn selection(&self) -> Option<Selection> {
        let d = self.data.as_ref()?;
        if let Some(o) = self.cursor.selected().and_then(|i| d.obligations.get(i)) {
            return Some(Selection::Obligation {
                id: o.id,
                deal: Some(self.id),
            });
        }
        Some(Selection::Deal {
            id: self.id,
            account: Some(d.row.deal.account),
        })
    }

    fn release(&mut self) {
        self.cursor.release();
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let Some(d) = &self.data else {
            Paragraph::new("Loading…").render(area, buf);
            return;
        };
        let cells = usize::from(area.width);
        let (lines, rows) = lines(d, cells, ctx);
        let selected = self.cursor.selected().and_then(|i| rows.get(i).copied());
        let height = usize::from(area.height);
        let top = match selected {
            Some(i) if i + 3 > height => (i + 3 - height).min(lines.len().saturating_sub(height)),
            _ => 0,
        };
        let shown: Vec<Line> = lines
            .into_iter()
            .enumerate()
            .skip(top)
            .take(height)
            .map(|(i, l)| {
                if Some(i) == selected {
                    l.style(ctx.theme.selected())
                } else {
                    l
                }
            })
            .collect();
        Paragraph::new(shown).render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_obligation_line_says_whose_what_and_its_status() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut o = Obligation {
            id: 12,
            uid: "o".into(),
            deal: 1,
            text: "Invoice 118".into(),
            due: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            party: Some(Party::Client),
            kind: Some(crate::domain::ObligationKind::Payment),
            amount: Some(30_000.0),
            currency: Some("EUR".into()),
            status: None,
            done_at: None,
            extra: crate::domain::Extra::new(),
        };
        assert_eq!(
            obligation_line(&o, today),
            "  [12] 2026-11-20 late  client owes payment: Invoice 118 · 30,000.00 EUR"
        );
        o.status = Some(ObligationStatus::Done);
        assert!(obligation_line(&o, today).starts_with("  [12] 2026-11-20 paid  client"));
    }
}
