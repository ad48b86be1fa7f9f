//! Lines shared by both dossiers: text fields wrapped to the width, the timeline, open
//! follow-ups and stage history. Every string from data goes through the sanitizer here.

use chrono::{DateTime, Local};
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::domain::{InteractionStatus, StageChange, Timestamp, Vocabulary};
use crate::store::{FollowUpRow, InteractionRow};
use crate::text::{sanitize, sanitize_line, truncate, width};
use crate::tui::screens::RenderCtx;
use crate::tui::theme::Theme;

/// A line and the item it belongs to (the first line of an item is the one highlighted).
pub type Row = (Line<'static>, Option<usize>);

/// One line of text from data, sanitized.
pub fn span(text: &str, style: Style) -> Span<'static> {
    Span::styled(sanitize_line(text).into_owned(), style)
}

/// One line of text from data, sanitized and cut to `cells`.
pub fn cut(text: &str, cells: usize, style: Style) -> Span<'static> {
    Span::styled(truncate(&sanitize_line(text), cells).into_owned(), style)
}

/// "today", "yesterday", "12 days ago", "never" — from Unix seconds.
pub fn since(last: Option<i64>, now: DateTime<Local>) -> String {
    match last {
        None => "never".into(),
        // Calendar days in the local zone, as the agenda counts them.
        Some(t) => match crate::agenda::days_since(&Local, now.date_naive(), t).unwrap_or(0) {
            ..=0 => "today".into(),
            1 => "yesterday".into(),
            d => format!("{d} days ago"),
        },
    }
}

/// "mid-kam for 41 days" (or just the stage when the history does not say since when).
pub fn stage_for(stage: &str, at: Option<&Timestamp>, now: DateTime<Local>) -> String {
    match at {
        Some(at) => {
            let days = crate::agenda::days_since(&Local, now.date_naive(), at.timestamp())
                .unwrap_or(0)
                .max(0);
            match days {
                0 => format!("{stage} since today"),
                1 => format!("{stage} since yesterday"),
                d => format!("{stage} for {d} days"),
            }
        }
        None => stage.to_string(),
    }
}

/// Multi-line text from data, sanitized and word-wrapped to `cells` (after `indent` spaces).
pub fn wrap(text: &str, indent: usize, cells: usize) -> Vec<String> {
    let room = cells.saturating_sub(indent).max(8);
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for raw in sanitize(text).replace('\t', "    ").lines() {
        let mut line = String::new();
        let mut used = 0;
        for word in raw.split(' ') {
            let w = width(word);
            if used > 0 && used + 1 + w > room {
                out.push(format!("{pad}{line}"));
                line.clear();
                used = 0;
            }
            if used > 0 {
                line.push(' ');
                used += 1;
            }
            let word = truncate(word, room);
            used += width(&word);
            line.push_str(&word);
        }
        out.push(format!("{pad}{line}"));
    }
    out
}

/// A titled text field (nothing when empty).
pub fn field(rows: &mut Vec<Row>, label: &str, value: Option<&str>, cells: usize, theme: Theme) {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return;
    };
    rows.push((
        Line::from(Span::styled(label.to_string(), theme.heading())),
        None,
    ));
    for line in wrap(value, 2, cells) {
        rows.push((Line::from(Span::raw(line)), None));
    }
}

/// Interactions, newest first, each with the first line of its body and outcome.
pub fn timeline(
    items: &[InteractionRow],
    own: Option<i64>,
    more: bool,
    cells: usize,
    theme: Theme,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for (n, r) in items.iter().enumerate() {
        let i = &r.interaction;
        let when = i.at.with_timezone(&Local).format("%Y-%m-%d %H:%M");
        let mut head = vec![Span::raw(format!("  {when}  {:<7} ", i.kind.as_str()))];
        match i.status {
            InteractionStatus::Planned => head.push(Span::styled("(planned) ", theme.accent())),
            InteractionStatus::Cancelled => head.push(Span::styled("(cancelled) ", theme.dim())),
            InteractionStatus::Done => {}
        }
        let used: usize = head.iter().map(|s| width(&s.content)).sum();
        let title = i.title.as_deref().unwrap_or("");
        let people: Vec<&str> = r
            .people
            .iter()
            .filter(|(id, _)| Some(*id) != own)
            .map(|(_, n)| n.as_str())
            .collect();
        let who = if people.is_empty() {
            String::new()
        } else {
            format!(" · {}", people.join(", "))
        };
        let room = cells.saturating_sub(used);
        head.push(cut(title, room, theme.text()));
        let room = room.saturating_sub(width(&sanitize_line(title)));
        head.push(cut(&who, room, theme.dim()));
        rows.push((Line::from(head), Some(n)));
        for text in [i.body.as_deref(), i.outcome.as_deref()]
            .into_iter()
            .flatten()
        {
            let first = sanitize(text);
            let first = first.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            rows.push((
                Line::from(cut(&format!("      {}", first.trim()), cells, theme.dim())),
                None,
            ));
        }
    }
    if more {
        rows.push((
            Line::from(Span::styled("  … more below", theme.dim())),
            None,
        ));
    }
    rows
}

/// A follow-up's due day as the dossier shows it, seen at `now`, and whether it is late: the
/// local day of a timed one's instant (00:30 in Madrid is the evening before in New York).
fn due_cell<Tz: chrono::TimeZone>(
    due: crate::domain::Due,
    now: &chrono::DateTime<Tz>,
) -> (String, bool) {
    let day = due.day_in(&now.timezone());
    let late = (now.date_naive() - day).num_days();
    if late > 0 {
        (format!("  {day} ({late}d late) "), true)
    } else {
        (format!("  {:<18} ", day.to_string()), false)
    }
}

/// Open follow-ups in date order, the overdue ones marked.
pub fn followups(items: &[FollowUpRow], cells: usize, ctx: &RenderCtx) -> Vec<Row> {
    let theme = ctx.theme;
    let mut rows = Vec::new();
    for (n, r) in items.iter().enumerate() {
        let f = &r.followup;
        let (when, late) = due_cell(f.due, &ctx.now);
        let style = if late { theme.alert() } else { theme.text() };
        let who = r
            .person_name
            .as_deref()
            .or(r.account_name.as_deref())
            .map(|n| format!(" — {n}"))
            .unwrap_or_default();
        let repeat = f
            .repeat
            .as_ref()
            .map(|r| format!("  ↻ {r}"))
            .unwrap_or_default();
        let room = cells.saturating_sub(width(&when) + 2);
        let text = truncate(&sanitize_line(&f.text), room).into_owned();
        let room = room.saturating_sub(width(&text));
        rows.push((
            Line::from(vec![
                Span::styled(when, style),
                Span::raw("☐ "),
                Span::raw(text),
                cut(&format!("{who}{repeat}"), room, theme.dim()),
            ]),
            Some(n),
        ));
    }
    rows
}

/// Stage moves, newest first, with their reasons.
pub fn history(items: &[StageChange], cells: usize, theme: Theme) -> Vec<Row> {
    items
        .iter()
        .rev()
        .enumerate()
        .map(|(n, c)| {
            let when = c.at.with_timezone(&Local).format("%Y-%m-%d");
            let mut spans = vec![
                Span::raw(format!("  {when}  ")),
                span(c.from.as_deref().unwrap_or("·"), theme.dim()),
                Span::raw(" → "),
                span(&c.to, theme.heading()),
            ];
            if let Some(note) = c.note.as_deref().filter(|n| !n.trim().is_empty()) {
                let used: usize = spans.iter().map(|s| width(&s.content)).sum();
                spans.push(cut(
                    &format!(" — {note}"),
                    cells.saturating_sub(used),
                    theme.text(),
                ));
            }
            (Line::from(spans), Some(n))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Due;

    /// 11.7: a call due at 00:30 on 27 November in Madrid was due at 18:30 on the 26th in New
    /// York: at 03:00 on the 27th there it is a day late; in Madrid it is due today.
    #[test]
    fn a_timed_followup_is_late_by_its_local_day() {
        let due =
            Due::At(chrono::DateTime::parse_from_rfc3339("2026-11-27T00:30:00+01:00").unwrap());
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-27T08:00:00Z").unwrap();
        let ny = at.with_timezone(&chrono_tz::America::New_York);
        assert_eq!(
            due_cell(due, &ny),
            ("  2026-11-26 (1d late) ".to_string(), true)
        );
        let madrid = at.with_timezone(&chrono_tz::Europe::Madrid);
        assert!(!due_cell(due, &madrid).1);
        assert!(due_cell(due, &madrid).0.contains("2026-11-27"));
    }
}
