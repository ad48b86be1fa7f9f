//! A plan's arithmetic: its spend (hospitality, events, samples) against its budget, the steps
//! (follow-ups) done of those planned, and the days left to its target date.
//!
//! Promises: money is an `f64` in the plan's one currency and is never added across currencies
//! (a spend in another currency is refused); `spent` is the plan's total and every recorded
//! spend adds to it; a budget is overrun when the total spent is above it, by that difference.

use chrono::NaiveDate;

use super::{Id, Plan, PlanStatus, SpendCategory, Transfer, check_amount};

/// Money spent on a plan: one dated entry of its budget.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Spend {
    pub id: Id,
    pub plan: Id,
    pub day: NaiveDate,
    pub category: SpendCategory,
    /// In the plan's currency.
    pub amount: f64,
    pub note: Option<String>,
    /// What kind of transfer of value it was, if it was one (`crate::compliance`).
    pub transfer: Option<Transfer>,
    /// The people it benefited, sharing the amount evenly (none for a donation or grant,
    /// which goes to the plan's account).
    pub benefited: Vec<Id>,
}

/// A spend that cannot be added to a plan.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpendError {
    #[error("amount: {0} is not a spend; give a positive number such as 250 or 99.50")]
    NotPositive(f64),
    #[error(
        "currency: the plan is kept in {plan}, the spend is in {given}; convert it to {plan} \
         (amounts in different currencies are never added)"
    )]
    Currency { plan: String, given: String },
    #[error(
        "currency: the plan has no currency yet; set it first: kam plan edit PLAN --currency {given}"
    )]
    NoCurrency { given: String },
}

/// The plan's total spent once `amount` (in `currency`, or the plan's own when `None`) is added.
pub fn spend(plan: &Plan, amount: f64, currency: Option<&str>) -> Result<f64, SpendError> {
    if check_amount("amount", amount).is_err() || amount <= 0.0 {
        return Err(SpendError::NotPositive(amount));
    }
    match (plan.currency.as_deref(), currency) {
        (Some(kept), Some(given)) if !kept.eq_ignore_ascii_case(given) => {
            return Err(SpendError::Currency {
                plan: kept.to_string(),
                given: given.to_string(),
            });
        }
        (None, Some(given)) => {
            return Err(SpendError::NoCurrency {
                given: given.to_string(),
            });
        }
        _ => {}
    }
    Ok(plan.spent.unwrap_or(0.0) + amount)
}

/// What the spends of a plan add up to by category (in [`SpendCategory::ALL`]'s order, the
/// categories with none left out), and the part of `spent` (the plan's total) not itemised.
pub fn spend_totals(spends: &[Spend], spent: f64) -> (Vec<(SpendCategory, f64)>, f64) {
    use super::Vocabulary;
    let totals = SpendCategory::ALL
        .iter()
        .map(|c| {
            let total: f64 = spends
                .iter()
                .filter(|s| s.category == *c)
                .map(|s| s.amount)
                .sum();
            (*c, total)
        })
        .filter(|(_, total)| *total > 0.0)
        .collect();
    let listed: f64 = spends.iter().map(|s| s.amount).sum();
    (totals, spent - listed)
}

/// A plan's steps: its follow-ups, done of those not cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct StepCount {
    pub done: u32,
    pub total: u32,
}

/// How much of a plan's budget is used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BudgetUse {
    pub budget: f64,
    pub spent: f64,
    pub currency: Option<String>,
}

impl BudgetUse {
    /// The plan's budget use, when it has a budget.
    pub fn of(plan: &Plan) -> Option<BudgetUse> {
        plan.budget.map(|budget| BudgetUse {
            budget,
            spent: plan.spent.unwrap_or(0.0),
            currency: plan.currency.clone(),
        })
    }

    /// Spent over budget (1.0 = all of it); a zero budget with spend is "infinitely" used.
    pub fn fraction(&self) -> f64 {
        if self.budget > 0.0 {
            self.spent / self.budget
        } else if self.spent > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    }

    /// Whole percent used, for display ("53 %"); `None` for a zero budget with spend.
    pub fn percent(&self) -> Option<i64> {
        let f = self.fraction();
        #[allow(clippy::cast_possible_truncation)] // a finite percentage of a checked amount
        f.is_finite().then(|| (f * 100.0).round() as i64)
    }

    /// How much the spend is above the budget, when it is.
    pub fn overrun(&self) -> Option<f64> {
        (self.spent > self.budget).then_some(self.spent - self.budget)
    }
}

/// Where a plan stands: steps, time, money.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PlanProgress {
    pub steps: StepCount,
    /// Days to the target date (negative: past it); `None` without one.
    pub days_left: Option<i64>,
    pub budget: Option<BudgetUse>,
    /// Total spent (with or without a budget).
    pub spent: f64,
}

impl PlanProgress {
    pub fn of(plan: &Plan, steps: StepCount, today: NaiveDate) -> PlanProgress {
        PlanProgress {
            steps,
            days_left: plan.target.map(|t| (t - today).num_days()),
            budget: BudgetUse::of(plan),
            spent: plan.spent.unwrap_or(0.0),
        }
    }

    /// How much the budget is overrun by, when it is.
    pub fn overrun(&self) -> Option<f64> {
        self.budget.as_ref().and_then(BudgetUse::overrun)
    }

    /// The target date countdown: "41 days left", "due today", "12 days late"; for a plan no
    /// longer active, nothing.
    pub fn countdown(&self, status: Option<PlanStatus>) -> Option<String> {
        if matches!(status, Some(PlanStatus::Achieved | PlanStatus::Dropped)) {
            return None;
        }
        self.days_left.map(|d| match d {
            0 => "due today".to_string(),
            1 => "1 day left".to_string(),
            -1 => "1 day late".to_string(),
            d if d > 0 => format!("{d} days left"),
            d => format!("{} days late", -d),
        })
    }

    /// Steps on one line: "2/5 steps done"; nothing when the plan has no steps.
    pub fn steps_line(&self) -> Option<String> {
        (self.steps.total > 0)
            .then(|| format!("{}/{} steps done", self.steps.done, self.steps.total))
    }
}

/// A bar of `width` cells for a fraction used: `██████░░░░`; full when over.
pub fn budget_bar(fraction: f64, width: usize) -> String {
    let f = if fraction.is_nan() {
        0.0
    } else {
        fraction.clamp(0.0, 1.0)
    };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )] // a small cell count from a clamped fraction
    let filled = ((f * width as f64).round() as usize).min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Extra, PlanSubject};

    fn plan(budget: Option<f64>, spent: Option<f64>, currency: Option<&str>) -> Plan {
        Plan {
            id: 1,
            uid: "pl".into(),
            objective: "Advisory board".into(),
            subject: PlanSubject::Account(1),
            target: NaiveDate::from_ymd_opt(2026, 12, 31),
            budget,
            spent,
            currency: currency.map(str::to_string),
            status: Some(PlanStatus::Active),
            notes: None,
            extra: Extra::new(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_spend_adds_to_the_total_in_the_plans_currency() {
        let p = plan(Some(1000.0), Some(400.0), Some("EUR"));
        assert_eq!(spend(&p, 250.5, None), Ok(650.5));
        assert_eq!(spend(&p, 250.0, Some("EUR")), Ok(650.0));
        assert_eq!(spend(&p, 250.0, Some("eur")), Ok(650.0));
        assert_eq!(
            spend(&plan(None, None, Some("EUR")), 80.0, None),
            Ok(80.0),
            "no spend yet counts as zero"
        );
    }

    #[test]
    fn a_spend_in_another_currency_or_not_positive_is_refused() {
        let p = plan(Some(1000.0), Some(400.0), Some("EUR"));
        assert_eq!(
            spend(&p, 100.0, Some("USD")),
            Err(SpendError::Currency {
                plan: "EUR".into(),
                given: "USD".into()
            })
        );
        assert_eq!(
            spend(&plan(Some(1.0), None, None), 5.0, Some("USD")),
            Err(SpendError::NoCurrency {
                given: "USD".into()
            })
        );
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY, 1e20] {
            assert!(spend(&p, bad, None).is_err(), "{bad}");
        }
    }

    #[test]
    fn overrun_is_what_is_spent_above_the_budget() {
        let under = BudgetUse::of(&plan(Some(1000.0), Some(999.0), Some("EUR"))).unwrap();
        assert_eq!((under.overrun(), under.percent()), (None, Some(100)));
        let exact = BudgetUse::of(&plan(Some(1000.0), Some(1000.0), None)).unwrap();
        assert_eq!(exact.overrun(), None);
        let over = BudgetUse::of(&plan(Some(1000.0), Some(1250.0), None)).unwrap();
        assert_eq!((over.overrun(), over.percent()), (Some(250.0), Some(125)));
        let zero = BudgetUse::of(&plan(Some(0.0), Some(10.0), None)).unwrap();
        assert_eq!((zero.overrun(), zero.percent()), (Some(10.0), None));
        assert_eq!(BudgetUse::of(&plan(None, Some(10.0), None)), None);
        let nothing = BudgetUse::of(&plan(Some(500.0), None, None)).unwrap();
        assert_eq!((nothing.spent, nothing.percent()), (0.0, Some(0)));
    }

    #[test]
    fn progress_counts_steps_days_and_money() {
        let p = plan(Some(120_000.0), Some(64_000.0), Some("EUR"));
        let progress = PlanProgress::of(&p, StepCount { done: 2, total: 5 }, day("2026-11-20"));
        assert_eq!(progress.days_left, Some(41));
        assert_eq!(progress.steps_line().unwrap(), "2/5 steps done");
        assert_eq!(
            progress.countdown(Some(PlanStatus::Active)).unwrap(),
            "41 days left"
        );
        assert_eq!(progress.countdown(Some(PlanStatus::Achieved)), None);
        assert_eq!(
            progress.budget_line(10).unwrap(),
            "53 % █████░░░░░ 64,000 of 120,000 EUR"
        );
        let late = PlanProgress::of(&p, StepCount::default(), day("2027-01-02"));
        assert_eq!(late.countdown(None).unwrap(), "2 days late");
        assert_eq!(late.steps_line(), None);
        let over = PlanProgress::of(
            &plan(Some(1000.0), Some(1200.5), Some("EUR")),
            StepCount::default(),
            day("2026-12-31"),
        );
        assert_eq!(over.countdown(None).unwrap(), "due today");
        assert_eq!(over.overrun(), Some(200.5));
        assert_eq!(
            over.budget_line(4).unwrap(),
            "120 % ████ 1,200.50 of 1,000 EUR · OVER BUDGET by 200.50 EUR"
        );
        let unbudgeted = PlanProgress::of(
            &plan(None, Some(300.0), Some("EUR")),
            StepCount::default(),
            day("2026-12-01"),
        );
        assert_eq!(unbudgeted.budget_line(4).unwrap(), "300 spent, no budget");
    }

    #[test]
    fn the_bar_fills_with_the_fraction_and_stops_full() {
        assert_eq!(budget_bar(0.0, 4), "░░░░");
        assert_eq!(budget_bar(0.5, 4), "██░░");
        assert_eq!(budget_bar(3.0, 4), "████");
        assert_eq!(budget_bar(f64::INFINITY, 4), "████");
        assert_eq!(budget_bar(f64::NAN, 4), "░░░░");
        assert_eq!(budget_bar(-1.0, 2), "░░");
    }
}

#[cfg(test)]
mod spend_tests {
    use super::*;

    #[test]
    fn spends_add_up_by_category_and_the_rest_is_not_itemised() {
        let spend = |category, amount| Spend {
            id: 0,
            plan: 1,
            day: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default(),
            category,
            amount,
            note: None,
            transfer: None,
            benefited: Vec::new(),
        };
        let spends = [
            spend(SpendCategory::Hospitality, 120.0),
            spend(SpendCategory::Samples, 30.0),
            spend(SpendCategory::Hospitality, 80.0),
        ];
        let (totals, rest) = spend_totals(&spends, 400.0);
        assert_eq!(
            totals,
            vec![
                (SpendCategory::Hospitality, 200.0),
                (SpendCategory::Samples, 30.0)
            ]
        );
        assert!((rest - 170.0).abs() < 1e-9);
    }
}
