//! A plan in a dossier's overview: objective, steps done, the target date countdown, and the
//! budget used with a bar — in the alert style when it is overrun.

use ratatui::text::{Line, Span};

use super::PlanLine;
use super::rows::{Row, cut};
use crate::domain::Vocabulary;
use crate::tui::theme::Theme;

/// Cells of the budget bar.
const BAR: usize = 10;

/// The rows of one plan.
pub fn plan_rows(rows: &mut Vec<Row>, line: &PlanLine, cells: usize, theme: Theme) {
    let p = &line.plan;
    let status = p
        .status
        .map_or(String::new(), |s| format!(" · {}", s.as_str()));
    rows.push((
        Line::from(Span::styled(
            format!("Plan #{}{status}", p.id),
            theme.heading(),
        )),
        None,
    ));
    rows.push((
        Line::from(cut(&format!("  {}", p.objective), cells, theme.text())),
        None,
    ));
    let progress = &line.progress;
    let mut facts = Vec::new();
    if let Some(s) = progress.steps_line() {
        facts.push(s);
    }
    if let Some(t) = p.target {
        match progress.countdown(p.status) {
            Some(c) => facts.push(format!("target {t} ({c})")),
            None => facts.push(format!("target {t}")),
        }
    }
    if !facts.is_empty() {
        rows.push((
            Line::from(cut(&format!("  {}", facts.join(" · ")), cells, theme.dim())),
            None,
        ));
    }
    if let Some(b) = progress.budget_line(BAR) {
        let style = if progress.overrun().is_some() {
            theme.alert()
        } else {
            theme.text()
        };
        rows.push((
            Line::from(cut(&format!("  Budget {b}"), cells, style)),
            None,
        ));
    }
}
