//! Monthly sales: an account's target and actual for a month, in one currency. Setting one
//! leaves the other as it was (`None`), so the target set in January and the actual typed at
//! the month's end make one row.

use std::fmt::Write as _;

use super::{Command, OpsError, Outcome, Tx};
use crate::domain::{Id, MonthSales};
use crate::money::format_money;

/// Sets an account's target and/or actual sales for a month.
#[derive(Debug, Clone)]
pub struct SetSales {
    pub account: Id,
    /// `YYYY-MM` (checked by the front with `domain::parse_month`).
    pub month: String,
    pub currency: String,
    pub target: Option<f64>,
    pub actual: Option<f64>,
}

impl Command for SetSales {
    fn name(&self) -> &'static str {
        "sales"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        self.set(tx)
    }
}

/// Many months at once (a CSV of targets and actuals): one transaction, one journal entry, so
/// one `kam undo` takes the whole file back; a bad row refuses the file and writes nothing.
#[derive(Debug, Clone)]
pub struct ImportSales {
    pub rows: Vec<SetSales>,
}

impl Command for ImportSales {
    fn name(&self) -> &'static str {
        "sales import"
    }

    fn apply(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        // A month a file gives twice is one month: its rows are read in order, a later figure
        // replacing an earlier one, and written once.
        let mut months: Vec<SetSales> = Vec::with_capacity(self.rows.len());
        for (i, row) in self.rows.iter().enumerate() {
            if row.target.is_none() && row.actual.is_none() {
                return Err(OpsError::invalid(format!(
                    "row {}: sales: give a target, an actual or both",
                    i + 1
                )));
            }
            let same = |m: &&mut SetSales| {
                m.account == row.account && m.month == row.month && m.currency == row.currency
            };
            match months.iter_mut().find(same) {
                Some(m) => {
                    m.target = row.target.or(m.target);
                    m.actual = row.actual.or(m.actual);
                }
                None => months.push(row.clone()),
            }
        }
        let mut written = 0usize;
        for m in &months {
            if m.set(tx)?.row.is_some() {
                written += 1;
            }
        }
        let repeats = self.rows.len() - months.len();
        let repeated = match repeats {
            0 => String::new(),
            n => format!(" ({n} repeat a month; the later figures count)"),
        };
        Ok(Outcome::new(format!(
            "Sales: {} rows read{repeated}, {written} of {} months written",
            self.rows.len(),
            months.len()
        )))
    }
}

impl SetSales {
    fn set(&self, tx: &mut Tx<'_, '_>) -> Result<Outcome, OpsError> {
        if self.target.is_none() && self.actual.is_none() {
            return Err(OpsError::invalid(
                "sales: give --target, --actual or both, e.g. --target 120000",
            ));
        }
        let Some((account, _)) = tx.w().account(self.account)? else {
            return Err(OpsError::invalid(format!(
                "account: #a{} not found",
                self.account
            )));
        };
        let existing = tx
            .w()
            .month_sales_row(self.account, &self.month, &self.currency)?;
        let (old_target, old_actual) = existing
            .as_ref()
            .map_or((None, None), |(s, _)| (s.target, s.actual));
        let sales = MonthSales {
            id: existing.as_ref().map_or(0, |(s, _)| s.id),
            account: self.account,
            month: self.month.clone(),
            currency: self.currency.clone(),
            target: self.target.or(old_target),
            actual: self.actual.or(old_actual),
        };
        if let Some((s, _)) = &existing {
            if s.target == sales.target && s.actual == sales.actual {
                return Ok(Outcome::new(format!(
                    "Nothing changed: {} {} already holds these figures",
                    crate::text::sanitize_line(&account.name),
                    self.month
                )));
            }
            tx.touch("account_sales", s.id)?;
        }
        let id = tx.w().set_month_sales(&sales)?;
        if existing.is_none() {
            tx.created("account_sales", id)?;
        }
        let figure =
            |v: Option<f64>| v.map_or_else(|| "—".to_string(), |v| format_money(v, &self.currency));
        let mut message = format!(
            "Sales of {} for {}: target {}, actual {}",
            crate::text::sanitize_line(&account.name),
            self.month,
            figure(sales.target),
            figure(sales.actual)
        );
        if let Some(p) = sales.attainment() {
            let _ = write!(message, " ({p:.0} % of target)");
        }
        let mut outcome = Outcome::new(message);
        outcome.row = Some(id);
        Ok(outcome)
    }
}
