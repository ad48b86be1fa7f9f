//! The person dossier's header and overview (personal notes, channels, birthday, languages,
//! tags, power map, plans).

use ratatui::text::{Line, Span};

use super::rows::{Row, cut, field, since, stage_for};
use super::{PersonData, stage_since};
use crate::domain::{RecordKind, RecordRef, Vocabulary};
use crate::tui::screens::RenderCtx;
use crate::tui::theme::Theme;

/// Name and last contact; title · account; role · influence · attitude · stage (and how long).
pub fn header(p: &PersonData, cells: usize, ctx: &RenderCtx) -> Vec<Line<'static>> {
    let person = &p.person;
    let theme = ctx.theme;
    let place: Vec<&str> = [person.title.as_deref(), p.account_name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let mut facts: Vec<String> = Vec::new();
    if person.archived_at.is_some() {
        facts.push("archived (X restores)".to_string());
    }
    if let Some(r) = person.role {
        facts.push(r.to_string());
    }
    if let Some(i) = person.influence {
        facts.push(format!("influence {i}/5"));
    }
    if let Some(a) = person.attitude {
        facts.push(a.to_string());
    }
    if let Some(s) = person.stage {
        let at = stage_since(&p.history, Some(s.as_str()));
        facts.push(stage_for(s.as_str(), at, ctx.now));
    }
    let last = format!(
        "  {} · {}",
        RecordRef::of(RecordKind::Person, person.id),
        crate::domain::contact::last_contacts_line(p.last_contact, p.last_touch, |t| {
            since(t, ctx.now)
        })
    );
    vec![
        Line::from(vec![
            cut(
                &person.name,
                cells.saturating_sub(last.chars().count()),
                theme.heading(),
            ),
            Span::styled(last, theme.dim()),
        ]),
        Line::from(cut(&place.join(" · "), cells, theme.dim())),
        Line::from(cut(&facts.join(" · "), cells, theme.text())),
    ]
}

pub fn overview(p: &PersonData, cells: usize, theme: Theme) -> Vec<Row> {
    let person = &p.person;
    let mut rows: Vec<Row> = Vec::new();
    standing_rows(p, cells, theme, &mut rows);
    let mut line = |label: &str, value: String| {
        if !value.trim().is_empty() {
            rows.push((
                Line::from(vec![
                    Span::styled(format!("{label:<12}"), theme.dim()),
                    cut(&value, cells.saturating_sub(12), theme.text()),
                ]),
                None,
            ));
        }
    };
    line("Phone", person.phone.clone().unwrap_or_default());
    line("Email", person.email.clone().unwrap_or_default());
    line(
        "Birthday",
        person.birthday.map(|b| b.to_string()).unwrap_or_default(),
    );
    line("Languages", person.languages.join(", "));
    line("Tags", person.tags.join(", "));
    field(
        &mut rows,
        "Personal",
        person.personal.as_deref(),
        cells,
        theme,
    );
    if !p.links.is_empty() {
        rows.push((Line::from(Span::styled("Power map", theme.heading())), None));
        for (l, other) in &p.links {
            let text = if l.from == person.id {
                format!("  → {} {other}", l.kind.as_str())
            } else {
                format!("  ← {other} ({})", l.kind.as_str())
            };
            let note = l
                .note
                .as_deref()
                .map(|n| format!(" — {n}"))
                .unwrap_or_default();
            rows.push((
                Line::from(cut(&format!("{text}{note}"), cells, theme.text())),
                None,
            ));
        }
        let shown = i64::try_from(p.links.len()).unwrap_or(i64::MAX);
        if p.links_total > shown {
            rows.push((
                Line::from(Span::styled(
                    format!("  … and {} more links", p.links_total - shown),
                    theme.dim(),
                )),
                None,
            ));
        }
    }
    for plan in &p.plans {
        super::plans::plan_rows(&mut rows, plan, cells, theme);
    }
    rows
}

/// The cadence line, and the cooling suggestion when there is one.
fn standing_rows(p: &PersonData, cells: usize, theme: Theme, rows: &mut Vec<Row>) {
    let standing = p.standing;
    let own = if standing.own { " (their own)" } else { "" };
    rows.push((
        Line::from(vec![
            Span::styled(format!("{:<12}", "Cadence"), theme.dim()),
            cut(
                &format!("{}{own}", standing.due.describe()),
                cells.saturating_sub(12),
                if standing.due.is_due() {
                    theme.alert()
                } else {
                    theme.text()
                },
            ),
        ]),
        None,
    ));
    if let (true, Some(days)) = (standing.suggest_cooling, standing.days_silent) {
        rows.push((
            Line::from(vec![
                Span::styled(format!("{:<12}", "Suggested"), theme.dim()),
                cut(
                    &format!(
                        "cooling — {} (C accepts)",
                        crate::cadence::cooling_reason(days)
                    ),
                    cells.saturating_sub(12),
                    theme.alert(),
                ),
            ]),
            None,
        ));
    }
}
