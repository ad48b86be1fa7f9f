//! Target against actual (issue 14.6): the monthly targets and actual sales of `kam sales`
//! summed over a span of months, in all and account by account, for the dossier, the period
//! report and the insights. A month counts when it has both a target and an actual (a month
//! with only a target is still to come; one with only an actual had no target), so the share of
//! target compares like with like. With `[deals] base_currency`, figures in another currency
//! are converted at `[deals.rates]` and the conversions are named; a currency without a rate
//! stays apart, in its own currency, and is named as missing — never added to the base. Sums
//! are exact ([`Totals`]). Pure: the rows come from [`crate::store::Reader::month_sales`].

use std::collections::BTreeSet;

use serde::Serialize;

use crate::config::DealsConfig;
use crate::domain::{Id, MonthSales};
use crate::money::{Totals, format_money_whole};
use crate::store::SalesLine;

/// Target and actual summed in one currency over the months that have both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetFigure {
    pub currency: String,
    pub target: f64,
    pub actual: f64,
    /// Account-months counted.
    pub months: u32,
}

impl TargetFigure {
    /// Actual as a share of target in percent (none when the target is 0).
    pub fn percent(&self) -> Option<f64> {
        (self.target > 0.0).then(|| self.actual / self.target * 100.0)
    }

    /// How much the actual falls short of the target (0 when it does not).
    pub fn shortfall(&self) -> f64 {
        (self.target - self.actual).max(0.0)
    }

    /// "812,000 EUR of 900,000 EUR target (90 %)".
    pub fn text(&self) -> String {
        let pct = self
            .percent()
            .map_or(String::new(), |p| format!(" ({p:.0} %)"));
        format!(
            "{} of {} target{pct}",
            format_money_whole(self.actual, Some(&self.currency)),
            format_money_whole(self.target, Some(&self.currency))
        )
    }
}

/// One account's figures, one per currency (after conversion).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountTarget {
    pub account: Id,
    pub name: String,
    pub figures: Vec<TargetFigure>,
}

/// An account short of its target, in one currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BehindTarget {
    pub account: Id,
    pub name: String,
    pub figure: TargetFigure,
}

/// Target against actual over a span of months.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct AgainstTarget {
    /// The base currency first (when one is set), then each currency kept apart.
    pub totals: Vec<TargetFigure>,
    /// `[deals] base_currency`, if set.
    pub base: Option<String>,
    /// The conversions made: "USD at 0.92 EUR".
    pub converted: Vec<String>,
    /// Currencies with no rate to the base currency: their figures stay apart.
    pub missing_rate: Vec<String>,
    /// By account name.
    pub accounts: Vec<AccountTarget>,
}

/// Sums kept exactly, per currency.
#[derive(Default)]
struct Sums {
    target: Totals,
    actual: Totals,
    months: std::collections::BTreeMap<String, u32>,
}

impl Sums {
    fn add(&mut self, currency: &str, target: f64, actual: f64) {
        self.target.add(Some(currency), target);
        self.actual.add(Some(currency), actual);
        *self.months.entry(currency.to_string()).or_insert(0) += 1;
    }

    /// The figures, the base currency first.
    fn figures(&self, base: Option<&str>) -> Vec<TargetFigure> {
        let mut out: Vec<TargetFigure> = self
            .target
            .iter()
            .map(|(c, t)| TargetFigure {
                currency: c.to_string(),
                target: t,
                actual: self.actual.get(c),
                months: self.months.get(c).copied().unwrap_or(0),
            })
            .collect();
        out.sort_by_key(|f| Some(f.currency.as_str()) != base);
        out
    }
}

/// A month's target and actual in the currency they are summed in: converted to the base
/// when there is a rate, else as written; and whether a rate was missing.
fn in_summed_currency(s: &MonthSales, target: f64, actual: f64, cfg: &DealsConfig) -> Summed {
    let Some(base) = cfg.base_currency.as_deref() else {
        return Summed::AsWritten(s.currency.clone(), target, actual);
    };
    let base = base.to_ascii_uppercase();
    if s.currency.eq_ignore_ascii_case(&base) {
        return Summed::AsWritten(base, target, actual);
    }
    match (
        crate::commission::in_base(target, Some(&s.currency), cfg),
        crate::commission::in_base(actual, Some(&s.currency), cfg),
    ) {
        (Some(t), Some(a)) => Summed::Converted(base, t, a),
        _ => Summed::NoRate(s.currency.to_ascii_uppercase(), target, actual),
    }
}

enum Summed {
    AsWritten(String, f64, f64),
    Converted(String, f64, f64),
    NoRate(String, f64, f64),
}

/// Target against actual over `lines` (grouped by account, as `month_sales` returns them).
pub fn against_target(lines: &[SalesLine], cfg: &DealsConfig) -> AgainstTarget {
    let base = cfg.base_currency.as_deref().map(str::to_ascii_uppercase);
    let mut all = Sums::default();
    let mut converted = BTreeSet::new();
    let mut missing = BTreeSet::new();
    let mut accounts: Vec<(Id, String, Sums)> = Vec::new();
    for l in lines {
        let s = &l.sales;
        let (Some(target), Some(actual)) = (s.target, s.actual) else {
            continue;
        };
        let (currency, t, a) = match in_summed_currency(s, target, actual, cfg) {
            Summed::AsWritten(c, t, a) => (c, t, a),
            Summed::Converted(c, t, a) => {
                converted.insert(s.currency.to_ascii_uppercase());
                (c, t, a)
            }
            Summed::NoRate(c, t, a) => {
                missing.insert(c.clone());
                (c, t, a)
            }
        };
        all.add(&currency, t, a);
        match accounts.last_mut() {
            Some((id, _, sums)) if *id == s.account => sums.add(&currency, t, a),
            _ => {
                let mut sums = Sums::default();
                sums.add(&currency, t, a);
                accounts.push((s.account, l.account_name.clone(), sums));
            }
        }
    }
    let converted = converted
        .into_iter()
        .filter_map(|c| {
            let rate = cfg
                .rates
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&c))?
                .1;
            Some(format!("{c} at {rate} {}", base.as_deref().unwrap_or("")))
        })
        .collect();
    AgainstTarget {
        totals: all.figures(base.as_deref()),
        converted,
        missing_rate: missing.into_iter().collect(),
        accounts: accounts
            .into_iter()
            .map(|(account, name, sums)| AccountTarget {
                account,
                name,
                figures: sums.figures(base.as_deref()),
            })
            .collect(),
        base,
    }
}

impl AgainstTarget {
    /// Whether any month counted.
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// The accounts short of their target, furthest behind (lowest share of target) first,
    /// the bigger shortfall first among equal shares; at most `n`.
    pub fn behind(&self, n: usize) -> Vec<BehindTarget> {
        let mut out: Vec<BehindTarget> = self
            .accounts
            .iter()
            .flat_map(|a| {
                a.figures.iter().map(|f| BehindTarget {
                    account: a.account,
                    name: a.name.clone(),
                    figure: f.clone(),
                })
            })
            .filter(|b| b.figure.percent().is_some_and(|p| p < 100.0))
            .collect();
        out.sort_by(|a, b| {
            let pa = a.figure.percent().unwrap_or(0.0);
            let pb = b.figure.percent().unwrap_or(0.0);
            pa.total_cmp(&pb)
                .then(b.figure.shortfall().total_cmp(&a.figure.shortfall()))
                .then(a.name.cmp(&b.name))
        });
        out.truncate(n);
        out
    }

    /// What was converted and what could not be, as sentences (none when nothing was).
    pub fn currency_notes(&self) -> Vec<String> {
        let base = self.base.as_deref().unwrap_or("");
        let mut out = Vec::new();
        if !self.converted.is_empty() {
            out.push(format!(
                "Converted to {base} at the rates of [deals] rates: {}.",
                self.converted.join(", ")
            ));
        }
        if let Some(first) = self.missing_rate.first() {
            out.push(format!(
                "No rate to {base} for {}: shown apart in its own currency (add one to the \
                 config, e.g. [deals.rates] {first} = 1.1).",
                self.missing_rate.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // whole amounts summed exactly (Totals): equality is the point
mod tests {
    use super::*;

    fn line(account: Id, name: &str, month: &str, currency: &str, t: f64, a: f64) -> SalesLine {
        SalesLine {
            sales: MonthSales {
                id: 0,
                account,
                month: month.into(),
                currency: currency.into(),
                target: Some(t),
                actual: Some(a),
            },
            account_name: name.into(),
        }
    }

    fn eur_base() -> DealsConfig {
        DealsConfig {
            base_currency: Some("EUR".into()),
            rates: [("USD".to_string(), 0.5)].into_iter().collect(),
            ..DealsConfig::default()
        }
    }

    #[test]
    fn months_with_both_figures_are_summed_and_compared() {
        let mut lines = vec![
            line(1, "Acme", "2026-01", "EUR", 100_000.0, 90_000.0),
            line(1, "Acme", "2026-02", "EUR", 100_000.0, 120_000.0),
        ];
        // A month with only a target is still to come: not counted.
        let mut to_come = line(1, "Acme", "2026-03", "EUR", 100_000.0, 0.0);
        to_come.sales.actual = None;
        lines.push(to_come);
        let t = against_target(&lines, &DealsConfig::default());
        assert_eq!(t.totals.len(), 1);
        let f = &t.totals[0];
        assert_eq!((f.target, f.actual, f.months), (200_000.0, 210_000.0, 2));
        assert_eq!(f.percent(), Some(105.0));
        assert_eq!(f.shortfall(), 0.0);
        assert_eq!(f.text(), "210,000 EUR of 200,000 EUR target (105 %)");
        assert!(t.behind(5).is_empty());
        assert!(t.currency_notes().is_empty());
    }

    #[test]
    fn other_currencies_are_converted_at_the_configured_rate_and_said_so() {
        let lines = vec![
            line(1, "Acme", "2026-01", "EUR", 100_000.0, 80_000.0),
            line(2, "Bolt", "2026-01", "USD", 100_000.0, 90_000.0),
        ];
        let t = against_target(&lines, &eur_base());
        // 100,000 USD at 0.5 is 50,000 EUR; 90,000 USD is 45,000 EUR.
        assert_eq!(t.totals.len(), 1);
        assert_eq!(t.totals[0].currency, "EUR");
        assert_eq!(t.totals[0].target, 150_000.0);
        assert_eq!(t.totals[0].actual, 125_000.0);
        assert_eq!(t.converted, vec!["USD at 0.5 EUR".to_string()]);
        assert!(t.missing_rate.is_empty());
        assert_eq!(
            t.currency_notes(),
            vec!["Converted to EUR at the rates of [deals] rates: USD at 0.5 EUR.".to_string()]
        );
        let behind = t.behind(5);
        // Acme at 80 % is further behind than Bolt at 90 %.
        assert_eq!(
            behind.iter().map(|b| b.name.as_str()).collect::<Vec<_>>(),
            ["Acme", "Bolt"]
        );
        assert_eq!(behind[1].figure.currency, "EUR");
        assert_eq!(behind[1].figure.target, 50_000.0);
    }

    #[test]
    fn a_currency_without_a_rate_stays_apart_and_is_named() {
        let lines = vec![
            line(1, "Acme", "2026-01", "EUR", 100_000.0, 80_000.0),
            line(1, "Acme", "2026-01", "GBP", 10_000.0, 5_000.0),
        ];
        let t = against_target(&lines, &eur_base());
        assert_eq!(
            t.totals
                .iter()
                .map(|f| (f.currency.as_str(), f.target, f.actual))
                .collect::<Vec<_>>(),
            [("EUR", 100_000.0, 80_000.0), ("GBP", 10_000.0, 5_000.0)]
        );
        assert_eq!(t.missing_rate, vec!["GBP".to_string()]);
        assert!(t.converted.is_empty());
        let notes = t.currency_notes();
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("No rate to EUR for GBP"), "{notes:?}");
        // The account has a figure per currency; the GBP one (50 %) is furthest behind.
        assert_eq!(t.accounts[0].figures.len(), 2);
        assert_eq!(t.behind(1)[0].figure.currency, "GBP");
    }

    #[test]
    fn without_a_base_currency_each_currency_is_its_own() {
        let lines = vec![
            line(1, "Acme", "2026-01", "EUR", 100.0, 50.0),
            line(2, "Bolt", "2026-01", "USD", 100.0, 60.0),
        ];
        let t = against_target(&lines, &DealsConfig::default());
        assert_eq!(t.totals.len(), 2);
        assert!(t.missing_rate.is_empty() && t.converted.is_empty());
        assert!(t.currency_notes().is_empty());
        // A zero target has no share and is never "behind".
        let zero = against_target(
            &[line(1, "Acme", "2026-01", "EUR", 0.0, 10.0)],
            &DealsConfig::default(),
        );
        assert_eq!(zero.totals[0].percent(), None);
        assert!(zero.behind(5).is_empty());
    }
}
