//! The account dossier's header and its own tabs: overview, people and deals.

use ratatui::text::{Line, Span};

use super::rows::{Row, cut, field, since, stage_for};
use super::{AccountData, stage_since};
use crate::domain::{DealStage, RecordKind, RecordRef, Vocabulary};
use crate::text::{fit, sanitize_line, truncate, width};
use crate::tui::screens::RenderCtx;
use crate::tui::theme::Theme;

/// Name and last contact, then tier · stage (and how long in it) · kind.
pub fn header(a: &AccountData, cells: usize, ctx: &RenderCtx) -> Vec<Line<'static>> {
    let acc = &a.account;
    let theme = ctx.theme;
    let mut facts = Vec::new();
    if acc.archived_at.is_some() {
        facts.push("archived (X restores)".to_string());
    }
    if let Some(t) = acc.tier {
        facts.push(format!("tier {t}"));
    }
    if let Some(s) = acc.stage {
        let at = stage_since(&a.history, Some(s.as_str()));
        facts.push(stage_for(s.as_str(), at, ctx.now));
    }
    if let Some(k) = &acc.kind {
        facts.push(k.clone());
    }
    let last = format!(
        "  {} · {}",
        RecordRef::of(RecordKind::Account, acc.id),
        crate::domain::contact::last_contacts_line(a.last_contact, a.last_touch, |t| {
            since(t, ctx.now)
        })
    );
    vec![
        Line::from(vec![
            cut(
                &acc.name,
                cells.saturating_sub(last.chars().count()),
                theme.heading(),
            ),
            Span::styled(last, theme.dim()),
        ]),
        Line::from(cut(&facts.join(" · "), cells, theme.text())),
    ]
}

fn money(v: f64, currency: Option<&str>) -> String {
    crate::money::format_money_whole(v, currency)
}

/// Every dossier field: place, territory, figures, tags, contact, the text fields and plans.
pub fn overview(a: &AccountData, cells: usize, theme: Theme) -> Vec<Row> {
    let acc = &a.account;
    let mut rows: Vec<Row> = Vec::new();
    if !a.red_flags.is_empty() {
        rows.push((
            Line::from(Span::styled(
                format!("Red flags ({})", a.red_flags.len()),
                theme.heading(),
            )),
            None,
        ));
        for f in &a.red_flags {
            let style = if f.severity >= 3 {
                theme.alert()
            } else {
                theme.text()
            };
            rows.push((
                Line::from(vec![
                    Span::styled("⚑ ", theme.alert()),
                    cut(&f.text, cells.saturating_sub(2), style),
                ]),
                None,
            ));
        }
        rows.push((Line::default(), None));
    }
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
    let place: Vec<&str> = [acc.city.as_deref(), acc.country.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    line("Place", place.join(", "));
    line("Territory", acc.territory.clone().unwrap_or_default());
    line("Address", acc.address.clone().unwrap_or_default());
    line("Phone", acc.phone.clone().unwrap_or_default());
    line("Website", acc.website.clone().unwrap_or_default());
    line(
        "Our sales",
        acc.our_sales
            .map(|v| money(v, acc.currency.as_deref()))
            .unwrap_or_default(),
    );
    line(
        "Revenue",
        acc.revenue
            .map(|v| money(v, acc.currency.as_deref()))
            .unwrap_or_default(),
    );
    line("Tags", acc.tags.join(", "));
    field(&mut rows, "About", acc.about.as_deref(), cells, theme);
    field(&mut rows, "Needs", acc.needs.as_deref(), cells, theme);
    field(&mut rows, "Their plans", acc.plans.as_deref(), cells, theme);
    field(
        &mut rows,
        "Competitors",
        acc.competitors.as_deref(),
        cells,
        theme,
    );
    for p in &a.plans {
        super::plans::plan_rows(&mut rows, p, cells, theme);
    }
    rows
}

/// The account's people: role, influence, attitude, stage, last contact.
pub fn people(a: &AccountData, cells: usize, ctx: &RenderCtx) -> Vec<Row> {
    let theme = ctx.theme;
    // name | role | inf | attitude | stage | last contact
    let name_w = cells.saturating_sub(2 + 16 + 4 + 10 + 11 + 14).clamp(8, 40);
    let mut rows: Vec<Row> = vec![(
        Line::from(Span::styled(
            format!(
                "  {}{}{}{}{}{}",
                fit("Name", name_w + 1),
                fit("Role", 16),
                fit("Inf", 4),
                fit("Attitude", 10),
                fit("Stage", 11),
                "Last contact"
            ),
            theme.dim(),
        )),
        None,
    )];
    for (n, line) in a.people.iter().enumerate() {
        let p = &line.person;
        let text = format!(
            "  {} {}{}{}{}{}",
            fit(&sanitize_line(&p.name), name_w),
            fit(p.role.map_or("", Vocabulary::as_str), 16),
            fit(&p.influence.map(|i| i.to_string()).unwrap_or_default(), 4),
            fit(p.attitude.map_or("", Vocabulary::as_str), 10),
            fit(p.stage.map_or("", Vocabulary::as_str), 11),
            since(line.last_contact, ctx.now),
        );
        rows.push((Line::from(cut(&text, cells, theme.text())), Some(n)));
    }
    rows
}

/// Deals: open first; stage, value, close, and a line with kind, probability, weighted value
/// (open deals) and milestones.
pub fn deals(a: &AccountData, cells: usize, theme: Theme) -> Vec<Row> {
    // title | stage | value | close
    let title_w = cells.saturating_sub(2 + 1 + 12 + 15 + 17).clamp(8, 48);
    let mut rows = Vec::new();
    for (n, d) in a.deals.iter().enumerate() {
        let value = d
            .value
            .map(|v| {
                format!(
                    "{} {}",
                    crate::money::format_whole(v),
                    d.currency.as_deref().unwrap_or("")
                )
            })
            .unwrap_or_default();
        let close = d.close.map(|c| format!("close {c}")).unwrap_or_default();
        let value = truncate(&sanitize_line(&value), 14).into_owned();
        let pad = 14usize.saturating_sub(width(&value));
        let text = format!(
            "  {} {}{}{value} {close}",
            fit(&sanitize_line(&d.title), title_w),
            fit(d.stage.map_or("", Vocabulary::as_str), 12),
            " ".repeat(pad),
        );
        rows.push((Line::from(cut(&text, cells, theme.text())), Some(n)));
        let mut facts: Vec<String> = Vec::new();
        if let Some(k) = d.kind {
            facts.push(k.to_string());
        }
        if let Some(p) = d.probability {
            facts.push(format!("{p:.0}%"));
        }
        if let (Some(w), Some(c)) = (crate::money::weighted_value(d), d.currency.as_deref())
            && !matches!(d.stage, Some(DealStage::Won | DealStage::Lost))
        {
            facts.push(format!("weighted {} {c}", crate::money::format_whole(w)));
        }
        facts.extend(
            d.milestones
                .iter()
                .map(|m| format!("{} {}", m.name, m.date)),
        );
        if !facts.is_empty() {
            rows.push((
                Line::from(cut(
                    &format!("    {}", facts.join(" · ")),
                    cells,
                    theme.dim(),
                )),
                None,
            ));
        }
    }
    rows
}
