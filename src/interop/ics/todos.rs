//! VTODOs into the notebook as follow-ups (store side), in the same transaction as the
//! calendar's meetings: matched by uid on re-import (`<uid>@kamnote` finds the follow-up it
//! was exported from), DUE (else DTSTART, else the day of the import) as the due day or
//! moment, PRIORITY 1–4 / 5 / 6–9 as 1 / 2 / 3, STATUS COMPLETED or CANCELLED as done or
//! cancelled, and the `Account: …` line the export writes in DESCRIPTION as the account.

use chrono::{DateTime, Local, Utc};

use crate::domain::{Due, FollowUp, FollowUpStatus};
use crate::interop::{ImportError, ImportReport, line_error};
use crate::store::{StoreError, UidTable, Writer};

use super::import::Times;
use super::parse::{CalTodo, Calendar, IcsTime};

/// Longest uid kept as written.
const MAX_UID_BYTES: usize = 120;

/// Writes the calendar's to-dos through `w`.
pub(super) fn import_todos(
    w: &Writer<'_>,
    cal: &Calendar,
    times: &Times<'_>,
    now: DateTime<Utc>,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let mut undated = 0_u64;
    for t in &cal.todos {
        let Some(text) = t.summary.clone().or_else(|| {
            t.description
                .as_ref()
                .and_then(|d| d.lines().next())
                .map(str::to_string)
        }) else {
            report.skip("followup");
            report.notes.push(format!(
                "line {}: a to-do without a SUMMARY was skipped",
                t.line
            ));
            continue;
        };
        let due = match t.due.as_ref().or(t.start.as_ref()) {
            Some(IcsTime::Date(d)) => Due::Day(*d),
            Some(x) => Due::At(times.resolve(x, x.wall())),
            None => {
                undated += 1;
                Due::Day(now.with_timezone(&Local).date_naive())
            }
        };
        one(w, t, text, due, times, now, report)?;
    }
    if undated > 0 {
        report.notes.push(format!(
            "{} without a DUE date: due on the day of the import",
            crate::text::count_kind(undated, "followup")
        ));
    }
    Ok(())
}

fn uid_of(t: &CalTodo, text: &str) -> String {
    match t.uid.as_deref() {
        Some(u) => {
            let u = u.strip_suffix("@kamnote").unwrap_or(u);
            if u.len() > MAX_UID_BYTES || u.chars().any(char::is_control) {
                super::import::digest(u)
            } else {
                u.to_string()
            }
        }
        None => super::import::digest(&format!("todo|{text}")),
    }
}

fn one(
    w: &Writer<'_>,
    t: &CalTodo,
    text: String,
    due: Due,
    times: &Times<'_>,
    now: DateTime<Utc>,
    report: &mut ImportReport,
) -> Result<(), ImportError> {
    let field_error = |err: StoreError| match err {
        StoreError::Invalid(inv) => line_error(t.line, Some(&inv.field), inv.problem),
        other => ImportError::Store(other),
    };
    let uid = uid_of(t, &text);
    let existing = match w.id_by_uid(UidTable::FollowUps, &uid)? {
        Some(id) => w.followup(id)?,
        None => None,
    };
    let mut f = match &existing {
        Some((f, _)) => f.clone(),
        None => FollowUp {
            id: 0,
            uid: uid.clone(),
            text: String::new(),
            due,
            account: None,
            person: None,
            deal: None,
            interaction: None,
            repeat: None,
            status: FollowUpStatus::Open,
            done_at: None,
            priority: None,
            extra: crate::domain::Extra::new(),
        },
    };
    f.text = text;
    f.due = due;
    if let Some(p) = t.priority.filter(|p| *p > 0) {
        f.priority = Some(match p {
            1..=4 => 1,
            5 => 2,
            _ => 3,
        });
    }
    let account = t
        .description
        .iter()
        .flat_map(|d| d.lines())
        .find_map(|l| l.strip_prefix("Account: "))
        .map(str::trim);
    if let Some(name) = account {
        if let Some(id) = w.account_named(name)? {
            f.account = Some(id);
        }
    }
    match t.status.as_deref() {
        Some("COMPLETED") if f.status != FollowUpStatus::Done => {
            f.status = FollowUpStatus::Done;
            f.done_at = Some(match &t.completed {
                Some(c) => times.resolve(c, c.wall()),
                None => now.with_timezone(&Local).fixed_offset(),
            });
        }
        Some("COMPLETED") => {}
        Some("CANCELLED") => f.status = FollowUpStatus::Cancelled,
        _ if existing.is_none() => f.status = FollowUpStatus::Open,
        _ => {}
    }
    match existing {
        Some((before, _)) if before == f => report.skip("followup"),
        Some(_) => {
            w.upsert_followup(&f, None, None).map_err(field_error)?;
            report.update("followup");
        }
        None => {
            w.upsert_followup(&f, None, None).map_err(field_error)?;
            report.add("followup");
        }
    }
    Ok(())
}
