//! Commission as KAMs are paid (issue 14): a rate by deal size from the `[deals]` scale (the
//! seed: 10–15 % on medium deals, about 5 % on large ones), counted on the money paid or on its
//! margin, and earned when the client's payment is marked paid, not when the deal is won.
//! Amounts in other currencies are converted to `base_currency` at the configured `rates`
//! only where the config gives them; otherwise each currency stays on its own. Pure.

use crate::config::{CommissionBasis, CommissionTier, DealsConfig};

/// `amount` in `currency` as worth in the base currency: the same amount when it is already
/// in it, converted at the configured rate, or `None` (no base, or no rate for it).
pub fn in_base(amount: f64, currency: Option<&str>, cfg: &DealsConfig) -> Option<f64> {
    let base = cfg.base_currency.as_deref()?;
    let currency = currency?;
    if currency.eq_ignore_ascii_case(base) {
        return Some(amount);
    }
    cfg.rates
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(currency))
        .map(|(_, rate)| amount * rate)
}

/// What is wrong with the commission scale, if anything: tiers must grow, rates be 0–100, and
/// only the last may be open-ended.
pub fn check_scale(cfg: &DealsConfig) -> Result<(), String> {
    let mut last: Option<f64> = None;
    for (i, t) in cfg.commission_tiers.iter().enumerate() {
        if !(0.0..=100.0).contains(&t.rate) {
            return Err(format!(
                "[deals] commission_tiers: tier {}: rate {} is not a percent from 0 to 100",
                i + 1,
                t.rate
            ));
        }
        match (t.up_to, last) {
            (None, _) if i + 1 < cfg.commission_tiers.len() => {
                return Err(format!(
                    "[deals] commission_tiers: tier {} has no up_to, so it must be the last",
                    i + 1
                ));
            }
            (Some(u), Some(l)) if u <= l => {
                return Err(format!(
                    "[deals] commission_tiers: tier {}: up_to {u} is not above the tier before ({l})",
                    i + 1
                ));
            }
            _ => {}
        }
        last = t.up_to.or(last);
    }
    if cfg.commission_basis == CommissionBasis::Margin && cfg.margin.is_none() {
        return Err(
            "[deals] commission_basis = \"margin\" needs the margin in percent: margin = 35".into(),
        );
    }
    Ok(())
}

/// The rate that applies to a deal: its own, else the tier of its size (in the base currency
/// when one is set), else the default `commission_rate`.
pub fn rate(
    value: Option<f64>,
    currency: Option<&str>,
    own: Option<f64>,
    cfg: &DealsConfig,
) -> f64 {
    if let Some(r) = own {
        return r;
    }
    let size = match (value, cfg.base_currency.is_some()) {
        (Some(v), true) => in_base(v, currency, cfg),
        (v, false) => v,
        (None, true) => None,
    };
    size.and_then(|s| tier_of(s, &cfg.commission_tiers))
        .map_or(cfg.commission_rate, |t| t.rate)
}

fn tier_of(size: f64, tiers: &[CommissionTier]) -> Option<&CommissionTier> {
    tiers.iter().find(|t| t.up_to.is_none_or(|u| size <= u))
}

/// The commission on `paid` at `rate` percent, on the total or on its margin.
pub fn on(paid: f64, rate: f64, cfg: &DealsConfig) -> f64 {
    let base = match cfg.commission_basis {
        CommissionBasis::Total => paid,
        CommissionBasis::Margin => paid * cfg.margin.unwrap_or(100.0) / 100.0,
    };
    base * rate / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The seed's scale: 15 % up to 50,000, 10 % up to 500,000, 5 % above.
    fn seed() -> DealsConfig {
        DealsConfig {
            commission_tiers: vec![
                CommissionTier {
                    up_to: Some(50_000.0),
                    rate: 15.0,
                },
                CommissionTier {
                    up_to: Some(500_000.0),
                    rate: 10.0,
                },
                CommissionTier {
                    up_to: None,
                    rate: 5.0,
                },
            ],
            base_currency: Some("EUR".into()),
            rates: [("USD".to_string(), 0.5)].into_iter().collect(),
            ..DealsConfig::default()
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_tier_is_chosen_by_the_deal_size_at_the_edges() {
        let cfg = seed();
        let eur = Some("EUR");
        assert!(close(rate(Some(50_000.0), eur, None, &cfg), 15.0));
        assert!(close(rate(Some(50_000.01), eur, None, &cfg), 10.0));
        assert!(close(rate(Some(500_000.0), eur, None, &cfg), 10.0));
        assert!(close(rate(Some(2_000_000.0), eur, None, &cfg), 5.0));
        // A deal's own rate wins; no value, or a currency without a rate: the default.
        assert!(close(rate(Some(2_000_000.0), eur, Some(8.0), &cfg), 8.0));
        assert!(close(rate(None, eur, None, &cfg), 10.0));
        assert!(close(rate(Some(10.0), Some("GBP"), None, &cfg), 10.0));
        // 90,000 USD is 45,000 EUR: the first tier.
        assert!(close(rate(Some(90_000.0), Some("USD"), None, &cfg), 15.0));
    }

    #[test]
    fn commission_on_the_total_or_the_margin() {
        let mut cfg = seed();
        assert!(close(on(10_000.0, 10.0, &cfg), 1_000.0));
        cfg.commission_basis = CommissionBasis::Margin;
        cfg.margin = Some(30.0);
        assert!(close(on(10_000.0, 10.0, &cfg), 300.0));
    }

    #[test]
    fn conversion_only_where_a_rate_is_given() {
        let cfg = seed();
        assert_eq!(in_base(100.0, Some("USD"), &cfg), Some(50.0));
        assert_eq!(in_base(100.0, Some("eur"), &cfg), Some(100.0));
        assert_eq!(in_base(100.0, Some("GBP"), &cfg), None);
        assert_eq!(in_base(100.0, None, &cfg), None);
        assert_eq!(in_base(100.0, Some("USD"), &DealsConfig::default()), None);
    }

    #[test]
    fn a_scale_out_of_order_is_named() {
        let mut cfg = seed();
        assert_eq!(check_scale(&cfg), Ok(()));
        cfg.commission_tiers.swap(0, 1);
        assert!(
            check_scale(&cfg)
                .unwrap_err()
                .contains("tier 2: up_to 50000")
        );
        let mut cfg = seed();
        cfg.commission_tiers.swap(1, 2);
        assert!(check_scale(&cfg).unwrap_err().contains("must be the last"));
        let mut cfg = seed();
        cfg.commission_tiers[0].rate = 150.0;
        assert!(check_scale(&cfg).unwrap_err().contains("not a percent"));
        let cfg = DealsConfig {
            commission_basis: CommissionBasis::Margin,
            ..DealsConfig::default()
        };
        assert!(check_scale(&cfg).unwrap_err().contains("margin = 35"));
    }
}
