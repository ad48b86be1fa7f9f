//! The demo's monthly sales: for every account we sell to (our annual sales of 100 k or more),
//! the target and the actual of each of the twelve months before this one, and this month's
//! target (its actual is not in yet), so the year so far shows target against actual and
//! attainment.
//!
//! Promises: deterministic (the figures come from the account's uid and the month, not from the
//! clock or the demo's shared generator), months relative to `today`, targets near a twelfth of
//! the account's annual sales with a seasonal swing, actuals within ±18 % of the target.
//! They are `sales` records of the JSON Lines like the rest of the demo ([`sales_lines`]),
//! each with a uid of its own (`demo-s-a01-2026-11`: the account and the month), so a refresh
//! re-dates them, and leaves a month the user changed, deleted or wrote themselves, like every
//! other demo record.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use super::{ACCOUNTS, DemoError, table, text};
use crate::domain::month_text;

/// Accounts with less annual sales than this have no monthly figures in the demo.
const SMALLEST: f64 = 100_000.0;
/// How many closed months before the current one carry an actual.
const CLOSED_MONTHS: u32 = 12;

/// One account's month in the demo.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoMonth {
    /// The account's uid (`demo-a01`).
    pub account: String,
    /// `YYYY-MM`.
    pub month: String,
    pub currency: String,
    pub target: f64,
    /// `None` for the current month.
    pub actual: Option<f64>,
}

/// The demo's monthly targets and actuals as of `today`.
pub fn demo_sales(today: NaiveDate) -> Vec<DemoMonth> {
    months(today).unwrap_or_default()
}

fn months(today: NaiveDate) -> Result<Vec<DemoMonth>, DemoError> {
    let first = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
        .ok_or_else(|| DemoError::Date(today.to_string()))?;
    let mut out = Vec::new();
    for account in table(ACCOUNTS, "accounts.json")? {
        let account = Value::Object(account);
        let yearly = account
            .get("our_sales")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        if yearly < SMALLEST {
            continue;
        }
        let uid = text(&account, "uid");
        for back in (0..=CLOSED_MONTHS).rev() {
            let Some(month) = first.checked_sub_months(chrono::Months::new(back)) else {
                continue;
            };
            let key = month_text(month);
            let seed = mix(uid, &key);
            // Quieter in August and over Christmas, busier in the autumn tenders.
            let season = match month.month() {
                8 => 0.7,
                12 => 0.85,
                9..=11 => 1.1,
                _ => 1.0,
            };
            let target = round_hundreds(yearly / 12.0 * season);
            let swing = f64::from(u32::try_from(seed % 37).unwrap_or(18)) - 18.0;
            let actual = (back > 0).then(|| round_hundreds(target * (1.0 + swing / 100.0)));
            out.push(DemoMonth {
                account: uid.to_string(),
                month: key,
                currency: text(&account, "currency").to_string(),
                target,
                actual,
            });
        }
    }
    Ok(out)
}

/// The demo's months as `sales` lines, after the accounts they name.
pub fn sales_lines(today: NaiveDate) -> Vec<Value> {
    demo_sales(today)
        .into_iter()
        .map(|m| {
            let mut line = serde_json::json!({
                "type": "sales",
                "uid": sales_uid(&m.account, &m.month),
                "account": m.account,
                "month": m.month,
                "currency": m.currency,
                "target": m.target,
            });
            if let (Some(actual), Some(map)) = (m.actual, line.as_object_mut()) {
                map.insert("actual".into(), actual.into());
            }
            line
        })
        .collect()
}

/// `demo-s-a01-2026-11` for the month 2026-11 of `demo-a01`: the same on every run, so a
/// refresh updates the month instead of adding one.
pub fn sales_uid(account: &str, month: &str) -> String {
    format!(
        "demo-s-{}-{month}",
        account.strip_prefix("demo-").unwrap_or(account)
    )
}

fn round_hundreds(v: f64) -> f64 {
    (v / 100.0).round() * 100.0
}

/// FNV-1a of the uid and the month: the same figures for the same month on every run.
fn mix(uid: &str, month: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in uid.bytes().chain(month.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}
