//! `p` in a dossier: its plans in a popup — objective, status, target and countdown, steps,
//! the budget bar and every spend recorded (day, category, amount, note), as `kam plan show`
//! lists them. `↑/↓` picks a plan, `e` edits it and `$` records money spent on it: each opens
//! a small form (`FieldsForm`; `SpendForm`, which names whom a spend benefited) that replies
//! the `ops` command the CLI's `kam plan edit` / `kam plan spend` runs. Nothing is written here.

use crossterm::event::KeyCode;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::action::Action;
use super::component::{Component, PopupCtx, Reply};
use super::keymap::{Binding, Key};
use super::screens::RenderCtx;
use super::screens::deal_popups::FieldsForm;
use super::spend_form::SpendForm;
use crate::domain::{Plan, PlanProgress, Spend, Vocabulary};
use crate::money::format_money_short as money;
use crate::text::sanitize_line;

/// Cells of the budget bar.
const BAR: usize = 10;

const KEYS: &[Binding] = &[
    Binding {
        keys: &[Key::ch('e')],
        label: "e",
        help: "edit the plan",
        action: Action::Edit,
        footer: true,
    },
    Binding {
        keys: &[Key::ch('$')],
        label: "$",
        help: "record a spend",
        action: Action::AddSpend,
        footer: true,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Down), Key::ch('j')],
        label: "↓/j",
        help: "next plan",
        action: Action::Down,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Up), Key::ch('k')],
        label: "↑/k",
        help: "previous plan",
        action: Action::Up,
        footer: false,
    },
    Binding {
        keys: &[Key::plain(KeyCode::Esc), Key::ch('q'), Key::ch('p')],
        label: "Esc",
        help: "close",
        action: Action::Back,
        footer: true,
    },
];

/// One plan as the panel shows it: the plan read with its version, its progress and spends.
#[derive(Debug, Clone)]
pub struct PlanCard {
    pub plan: Plan,
    pub version: i64,
    pub progress: PlanProgress,
    pub spends: Vec<Spend>,
    /// The names of the people its spends benefited (transfers of value).
    pub benefited: Vec<(crate::domain::Id, String)>,
}

/// The plans of an account or a person.
pub struct PlanPanel {
    /// "Hospital del Sur", whose plans these are.
    name: String,
    cards: Vec<PlanCard>,
    cursor: usize,
}

impl PlanPanel {
    pub fn new(name: String, cards: Vec<PlanCard>) -> Self {
        PlanPanel {
            name,
            cards,
            cursor: 0,
        }
    }

    /// The lines of the panel: each plan's heading, the selected one's details.
    fn lines(&self, ctx: &RenderCtx) -> Vec<Line<'static>> {
        let theme = ctx.theme;
        let mut lines = Vec::new();
        for (i, card) in self.cards.iter().enumerate() {
            let p = &card.plan;
            let status = p
                .status
                .map_or(String::new(), |s| format!(" · {}", s.as_str()));
            let head = Line::from(format!("#{} {}{status}", p.id, sanitize_line(&p.objective)));
            if i != self.cursor {
                lines.push(head.style(theme.dim()));
                continue;
            }
            lines.push(head.style(theme.selected()));
            let progress = &card.progress;
            let mut facts = Vec::new();
            if let Some(t) = p.target {
                match progress.countdown(p.status) {
                    Some(c) => facts.push(format!("target {t} ({c})")),
                    None => facts.push(format!("target {t}")),
                }
            }
            if let Some(s) = progress.steps_line() {
                facts.push(s);
            }
            if !facts.is_empty() {
                lines.push(Line::from(format!("  {}", facts.join(" · "))));
            }
            if let Some(b) = progress.budget_line(BAR) {
                let style = if progress.overrun().is_some() {
                    theme.alert()
                } else {
                    theme.text()
                };
                lines.push(Line::from(Span::styled(format!("  Budget {b}"), style)));
            }
            lines.extend(spend_lines(card, theme));
            if let Some(n) = p.notes.as_deref().filter(|n| !n.trim().is_empty()) {
                lines.push(Line::from(Span::styled(
                    format!("  Notes: {}", sanitize_line(n)),
                    theme.dim(),
                )));
            }
        }
        lines.push(Line::from(Span::styled(
            "e: edit · $: record a spend · ↑/↓: another plan · Esc: close",
            theme.dim(),
        )));
        lines
    }
}

/// Spend by category, what is not itemised, then each entry.
fn spend_lines(card: &PlanCard, theme: crate::tui::theme::Theme) -> Vec<Line<'static>> {
    let cur = card.plan.currency.as_deref();
    let mut lines = Vec::new();
    if card.spends.is_empty() {
        let said = if card.progress.spent > 0.0 {
            format!(
                "  {} spent, none of it itemised ($ records a spend)",
                money(card.progress.spent, cur)
            )
        } else {
            "  No spend recorded ($ records one)".to_string()
        };
        lines.push(Line::from(Span::styled(said, theme.dim())));
        return lines;
    }
    lines.push(Line::from(Span::styled("  Spend", theme.heading())));
    let (totals, unlisted) = crate::domain::spend_totals(&card.spends, card.progress.spent);
    for (c, total) in totals {
        lines.push(Line::from(format!(
            "    {:<12} {}",
            c.as_str(),
            money(total, cur)
        )));
    }
    if unlisted.abs() >= 0.005 {
        lines.push(Line::from(Span::styled(
            format!("    {:<12} {}", "not itemised", money(unlisted, cur)),
            theme.dim(),
        )));
    }
    for s in &card.spends {
        let mut text = format!(
            "    {}  {:<12} {:>10}  {}",
            s.day,
            s.category.as_str(),
            money(s.amount, cur),
            sanitize_line(s.note.as_deref().unwrap_or(""))
        );
        if let Some(t) = s.transfer {
            let names: Vec<&str> = s
                .benefited
                .iter()
                .filter_map(|id| card.benefited.iter().find(|(b, _)| b == id))
                .map(|(_, n)| n.as_str())
                .collect();
            let whom = if names.is_empty() {
                "the account".to_string()
            } else {
                sanitize_line(&names.join(", ")).into_owned()
            };
            text = format!("{}  ({t} for {whom})", text.trim_end());
        }
        lines.push(Line::from(text));
    }
    lines
}

impl Component for PlanPanel {
    fn bindings(&self) -> &'static [Binding] {
        KEYS
    }

    fn handle(&mut self, action: Action, ctx: &PopupCtx<'_, '_>) -> Reply {
        let Some(card) = self.cards.get(self.cursor) else {
            return Reply::Close;
        };
        match action {
            Action::Back => Reply::Close,
            Action::Down => {
                self.cursor = (self.cursor + 1).min(self.cards.len() - 1);
                Reply::Stay
            }
            Action::Up => {
                self.cursor = self.cursor.saturating_sub(1);
                Reply::Stay
            }
            Action::Edit => Reply::Replace(Box::new(FieldsForm::edit_plan(
                card.plan.clone(),
                card.version,
            ))),
            Action::AddSpend => match SpendForm::open(
                ctx.reader,
                &card.plan,
                &format!("plan #{} {}", card.plan.id, card.plan.objective),
            ) {
                Ok(form) => Reply::Replace(Box::new(form)),
                Err(e) => Reply::Say(e.to_string(), super::app::StatusKind::Error),
            },
            _ => Reply::Stay,
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, ctx: &RenderCtx) {
        let title = format!("Plans of {}", self.name);
        super::popup::wrapped(area, buf, &title, self.lines(ctx), 72);
    }
}
