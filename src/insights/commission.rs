//! Commission month by month for a year: what was earned on the client payments marked paid,
//! and the forecast of the open deals closing that month (weighted by their probability), each
//! at the rate `crate::commission` gives the deal. Computed here once, for `kam commission` and
//! any screen or report that shows it.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::commission;
use crate::config::DealsConfig;
use crate::money::{Totals, effective_probability, round_cents};
use crate::store::{Reader, StoreError};

/// One month of the year: commission earned and forecast, per currency.
#[derive(Debug, Default, Clone, PartialEq, Serialize)]
pub struct CommissionMonth {
    /// `YYYY-MM`.
    pub month: String,
    pub earned: Totals,
    pub forecast: Totals,
}

/// The twelve months of `year` (whose days are `from..to`).
pub fn year(
    reader: &Reader<'_>,
    year: i32,
    (from, to): (NaiveDate, NaiveDate),
    cfg: &DealsConfig,
) -> Result<Vec<CommissionMonth>, StoreError> {
    let mut months: Vec<CommissionMonth> = (1..=12)
        .map(|m| CommissionMonth {
            month: format!("{year:04}-{m:02}"),
            ..CommissionMonth::default()
        })
        .collect();
    for p in reader.paid_payments_between(from, to)? {
        let rate = commission::rate(p.deal_value, p.deal_currency.as_deref(), p.deal_rate, cfg);
        let earned = commission::on(p.amount, rate, cfg);
        if let Some(month) = usize::try_from(p.paid_at.month0())
            .ok()
            .and_then(|m| months.get_mut(m))
        {
            month.earned.add(p.currency.as_deref(), round_cents(earned));
        }
    }
    let last = to.pred_opt().unwrap_or(to);
    for (deal, _) in reader.deals_closing_between(from, last, u32::MAX)? {
        let (Some(value), Some(close)) = (deal.value, deal.close) else {
            continue;
        };
        let rate = commission::rate(
            Some(value),
            deal.currency.as_deref(),
            deal.commission_rate,
            cfg,
        );
        let weighted = value * effective_probability(&deal) / 100.0;
        if let Some(month) = usize::try_from(close.month0())
            .ok()
            .and_then(|m| months.get_mut(m))
        {
            month.forecast.add(
                deal.currency.as_deref(),
                round_cents(commission::on(weighted, rate, cfg)),
            );
        }
    }
    Ok(months)
}
