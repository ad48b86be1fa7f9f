//! Cells shared by both lists: last contact, next follow-up, a vocabulary value.

use chrono::{Datelike, Local};

use super::Cell;
use crate::domain::Vocabulary;
use crate::store::NextFollowUp;
use crate::tui::screens::RenderCtx;

/// "today", "12d", "never" — days since a contact given in Unix seconds.
pub fn last_contact(at: Option<i64>, ctx: &RenderCtx) -> Cell {
    let text = match at {
        None => return ("never".into(), ctx.theme.dim()),
        Some(t) => {
            match crate::agenda::days_since(&chrono::Local, ctx.now.date_naive(), t).unwrap_or(0) {
                ..=0 => "today".into(),
                d => format!("{d}d"),
            }
        }
    };
    (text, ctx.theme.text())
}

/// "4 Dec Send the offer" (the year too when it is not this one); overdue ones stand out.
pub fn next_followup(next: Option<&NextFollowUp>, ctx: &RenderCtx) -> Cell {
    let Some(f) = next else {
        return (String::new(), ctx.theme.text());
    };
    let today = ctx.now.with_timezone(&Local).date_naive();
    let date = if f.due.year() == today.year() {
        f.due.format("%-d %b")
    } else {
        f.due.format("%Y-%m-%d")
    };
    let style = if f.due < today {
        ctx.theme.alert()
    } else {
        ctx.theme.text()
    };
    (format!("{date} {}", f.text), style)
}

/// A vocabulary value, or nothing.
pub fn word<V: Vocabulary>(value: Option<V>, ctx: &RenderCtx) -> Cell {
    (
        value.map(|v| v.as_str().to_string()).unwrap_or_default(),
        ctx.theme.text(),
    )
}
