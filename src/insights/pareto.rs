//! Pareto / ABC: which accounts carry the business, from our sales to each account.
//!
//! Rules (each tested below):
//! - Sales in different currencies are never compared: each currency is ranked on its own and
//!   an account's suggestion comes from its own currency's ranking. Groups are listed with the
//!   currency most accounts use first. A currency with fewer than [`MIN_RANKED`] accounts is
//!   listed but suggests no tier: an 80/20 cut of two accounts says nothing.
//! - Within a currency, accounts are sorted by sales, largest first (ties by name). An account
//!   is in the **80 % set** (suggested tier **A**) when the share of sales of the accounts
//!   ranked above it is below 80 %: the account that crosses 80 % belongs to the set. **B**: the
//!   share above it is below 95 % (the next 15 %). **C**: the rest.
//! - Ties at the cut: an account with the same sales as the last one of a tier gets that tier
//!   too, so equal accounts are never split.
//! - An account with zero sales is C; if every account of a currency has zero sales there is no
//!   80 % set and every one is C. Accounts without a sales figure are not ranked.
//! - Time spent: interactions that took place (status done: a cancelled or planned meeting is
//!   no time spent) in the 12 months up to now, and their share of the group's, set against the share of sales ("attention" = interaction share ÷ sales share).
//! - Suggestions only: changing a tier stays the user's decision.
//! - Across currencies only through configured rates: with `[deals] base_currency` and
//!   `[deals.rates]`, [`load_converted`] turns every account whose currency has a rate into the
//!   base currency before ranking, and says which conversions it made; a currency without a
//!   rate stays ranked on its own.

use std::collections::HashMap;

use chrono::{DateTime, Months, TimeZone};
use serde::Serialize;

use crate::config::DealsConfig;
use crate::domain::{Id, Tier};
use crate::store::{Reader, SalesRow, StoreError};

/// Cumulative share (before the account) under which it is A.
pub const A_CUT: f64 = 0.80;
/// Cumulative share (before the account) under which it is B.
pub const B_CUT: f64 = 0.95;
/// Fewest accounts in a currency for its ranking to suggest tiers.
pub const MIN_RANKED: usize = 5;

/// One account in its currency's ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked {
    pub account: Id,
    pub name: String,
    pub current: Option<Tier>,
    /// `None` in a currency with too few accounts to rank.
    pub suggested: Option<Tier>,
    pub sales: f64,
    /// Share of the currency's sales, 0–1.
    pub share: f64,
    /// Share of this account and all ranked above it, 0–1.
    pub cumulative: f64,
    /// Interactions in the last 12 months.
    pub interactions: i64,
    /// Share of the group's interactions, 0–1.
    pub interaction_share: f64,
}

impl Ranked {
    /// There is a suggestion and it differs from the tier set.
    pub fn mismatch(&self) -> bool {
        self.suggested.is_some() && self.current != self.suggested
    }
}

/// The ranking of the accounts selling in one currency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurrencyRanking {
    pub currency: String,
    pub total: f64,
    /// How many accounts (the first ones) make the 80 % set.
    pub cut: usize,
    pub accounts: Vec<Ranked>,
}

/// The rankings of every currency, and the accounts without a sales figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pareto {
    pub rankings: Vec<CurrencyRanking>,
    pub unranked: usize,
    /// The conversions made before ranking ("USD at 0.92 EUR"), none by default.
    pub conversions: Vec<String>,
}

impl Pareto {
    /// Accounts whose suggested tier is not their current one, biggest change first (a C that
    /// should be A before a B that should be A).
    pub fn mismatches(&self) -> Vec<(&CurrencyRanking, &Ranked)> {
        let rank = |t: Option<Tier>| -> i32 {
            match t {
                Some(Tier::A) => 0,
                Some(Tier::B) => 2,
                Some(Tier::C) => 4,
                // An account without a tier is less of a surprise than a C that should be A.
                None => 3,
            }
        };
        let mut out: Vec<_> = self
            .rankings
            .iter()
            .flat_map(|g| g.accounts.iter().map(move |r| (g, r)))
            .filter(|(_, r)| r.mismatch())
            .collect();
        out.sort_by_key(|(_, r)| {
            (
                -(rank(r.current) - rank(r.suggested)).abs(),
                rank(r.suggested),
            )
        });
        out
    }
}

/// Ranks `accounts` (see the module rules); `interactions` counts per account.
pub fn rank<S: std::hash::BuildHasher>(
    accounts: &[SalesRow],
    interactions: &HashMap<Id, i64, S>,
) -> Pareto {
    let mut by_currency: Vec<(String, Vec<&SalesRow>)> = Vec::new();
    let mut unranked = 0;
    for a in accounts {
        if a.our_sales.is_none() {
            unranked += 1;
            continue;
        }
        let c = a
            .currency
            .clone()
            .unwrap_or_else(|| crate::money::NO_CURRENCY.to_string());
        match by_currency.iter_mut().find(|(k, _)| *k == c) {
            Some((_, v)) => v.push(a),
            None => by_currency.push((c, vec![a])),
        }
    }
    by_currency.sort_by(|(a, av), (b, bv)| bv.len().cmp(&av.len()).then(a.cmp(b)));
    let rankings = by_currency
        .into_iter()
        .map(|(currency, rows)| rank_one(currency, rows, interactions))
        .collect();
    Pareto {
        rankings,
        unranked,
        conversions: Vec::new(),
    }
}

/// `rows` with every sales figure whose currency has a configured rate given in the base
/// currency, and the conversions made, for [`load_converted`].
pub fn in_base_currency(rows: Vec<SalesRow>, cfg: &DealsConfig) -> (Vec<SalesRow>, Vec<String>) {
    let Some(base) = cfg.base_currency.clone() else {
        return (rows, Vec::new());
    };
    let mut used = std::collections::BTreeSet::new();
    let rows = rows
        .into_iter()
        .map(|mut r| {
            if let (Some(sales), Some(currency)) = (r.our_sales, r.currency.clone()) {
                if let Some(v) = crate::commission::in_base(sales, Some(&currency), cfg) {
                    if !currency.eq_ignore_ascii_case(&base) {
                        used.insert(currency.to_ascii_uppercase());
                    }
                    r.our_sales = Some(v);
                    r.currency = Some(base.clone());
                }
            }
            r
        })
        .collect();
    let notes = used
        .into_iter()
        .filter_map(|c| {
            let rate = cfg
                .rates
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(&c))?
                .1;
            Some(format!("{c} at {rate} {base}"))
        })
        .collect();
    (rows, notes)
}

/// As [`load`], with sales in other currencies converted at the configured rates first.
pub fn load_converted<Tz: TimeZone>(
    reader: &Reader<'_>,
    now: &DateTime<Tz>,
    cfg: &DealsConfig,
) -> Result<Pareto, StoreError> {
    let since = now
        .clone()
        .checked_sub_months(Months::new(12))
        .map_or(0, |t| t.timestamp());
    let counts: HashMap<Id, i64> = reader
        .interaction_counts_between(since, now.timestamp())?
        .into_iter()
        .collect();
    let (rows, conversions) = in_base_currency(reader.account_sales()?, cfg);
    let mut p = rank(&rows, &counts);
    p.conversions = conversions;
    Ok(p)
}

fn rank_one<S: std::hash::BuildHasher>(
    currency: String,
    mut rows: Vec<&SalesRow>,
    interactions: &HashMap<Id, i64, S>,
) -> CurrencyRanking {
    let sales = |r: &SalesRow| r.our_sales.unwrap_or(0.0).max(0.0);
    rows.sort_by(|a, b| {
        sales(b)
            .total_cmp(&sales(a))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    let total: f64 = rows.iter().map(|r| sales(r)).sum();
    let touches: i64 = rows
        .iter()
        .map(|r| interactions.get(&r.id).copied().unwrap_or(0))
        .sum();
    let mut above = 0.0;
    let mut accounts: Vec<Ranked> = Vec::with_capacity(rows.len());
    for r in rows {
        let s = sales(r);
        let before = if total > 0.0 { above / total } else { 1.0 };
        let mut suggested = if s <= 0.0 {
            Tier::C
        } else if before < A_CUT {
            Tier::A
        } else if before < B_CUT {
            Tier::B
        } else {
            Tier::C
        };
        // Equal sales, equal tier: a tie at a cut takes the better tier.
        if let Some(prev) = accounts.last()
            && s > 0.0
            && (prev.sales - s).abs() <= f64::EPSILON * s.abs()
        {
            suggested = prev.suggested.unwrap_or(suggested);
        }
        above += s;
        let n = interactions.get(&r.id).copied().unwrap_or(0);
        accounts.push(Ranked {
            account: r.id,
            name: r.name.clone(),
            current: r.tier,
            suggested: Some(suggested),
            sales: s,
            share: if total > 0.0 { s / total } else { 0.0 },
            cumulative: if total > 0.0 { above / total } else { 0.0 },
            interactions: n,
            #[allow(clippy::cast_precision_loss)] // counts far below 2^52
            interaction_share: if touches > 0 {
                n as f64 / touches as f64
            } else {
                0.0
            },
        });
    }
    if accounts.len() < MIN_RANKED {
        for a in &mut accounts {
            a.suggested = None;
        }
    }
    let cut = accounts
        .iter()
        .take_while(|r| r.suggested == Some(Tier::A))
        .count();
    CurrencyRanking {
        currency,
        total,
        cut,
        accounts,
    }
}

/// Reads sales and the last 12 months of interactions, and ranks.
pub fn load<Tz: TimeZone>(reader: &Reader<'_>, now: &DateTime<Tz>) -> Result<Pareto, StoreError> {
    let since = now
        .clone()
        .checked_sub_months(Months::new(12))
        .map_or(0, |t| t.timestamp());
    let counts: HashMap<Id, i64> = reader
        .interaction_counts_between(since, now.timestamp())?
        .into_iter()
        .collect();
    Ok(rank(&reader.account_sales()?, &counts))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(id: Id, sales: Option<f64>, currency: &str, tier: Option<Tier>) -> SalesRow {
        SalesRow {
            id,
            name: format!("Account {id:02}"),
            tier,
            our_sales: sales,
            currency: Some(currency.into()),
        }
    }

    fn tiers(p: &Pareto, currency: &str) -> Vec<(Id, Option<Tier>)> {
        p.rankings
            .iter()
            .find(|g| g.currency == currency)
            .unwrap()
            .accounts
            .iter()
            .map(|r| (r.account, r.suggested))
            .collect()
    }

    #[test]
    fn the_account_crossing_80_percent_is_in_the_set() {
        // 45 + 25 = 70 % before the third, which crosses 80 %.
        let rows = [
            acc(1, Some(45.0), "EUR", Some(Tier::A)),
            acc(2, Some(25.0), "EUR", Some(Tier::C)),
            acc(3, Some(10.0), "EUR", None),
            acc(4, Some(10.0), "EUR", None),
            acc(5, Some(6.0), "EUR", None),
            acc(6, Some(4.0), "EUR", Some(Tier::C)),
        ];
        let p = rank(&rows, &HashMap::new());
        // 3 and 4 tie at 10: both A, although 80 % lies before 4.
        assert_eq!(
            tiers(&p, "EUR"),
            [
                (1, Some(Tier::A)),
                (2, Some(Tier::A)),
                (3, Some(Tier::A)),
                (4, Some(Tier::A)),
                (5, Some(Tier::B)),
                (6, Some(Tier::C))
            ]
        );
        assert_eq!(p.rankings[0].cut, 4);
        let m = p.mismatches();
        assert_eq!(m[0].1.account, 2, "a C that should be A comes first");
    }

    fn five(first: f64, currency: &str) -> Vec<SalesRow> {
        (1..=5)
            .map(|i| acc(i, Some(if i == 1 { first } else { 0.0 }), currency, None))
            .collect()
    }

    #[test]
    fn zero_sales_one_account_and_all_zero() {
        // One account with sales among five: it makes 100 %, the zeros are C.
        let p = rank(&five(30.0, "EUR"), &HashMap::new());
        let t = tiers(&p, "EUR");
        assert_eq!(t[0], (1, Some(Tier::A)));
        assert!(t[1..].iter().all(|(_, s)| *s == Some(Tier::C)), "{t:?}");
        assert_eq!(p.rankings[0].cut, 1);
        assert!((p.rankings[0].accounts[0].cumulative - 1.0).abs() < 1e-9);
        // All zero: no 80 % set, every one C.
        let zero = rank(&five(0.0, "EUR"), &HashMap::new());
        assert!(tiers(&zero, "EUR").iter().all(|(_, s)| *s == Some(Tier::C)));
        assert_eq!(zero.rankings[0].cut, 0);
        // Too few accounts in a currency (even a single one): ranked, no suggestion.
        let one = rank(&[acc(7, Some(5.0), "USD", Some(Tier::C))], &HashMap::new());
        assert_eq!(tiers(&one, "USD"), [(7, None)]);
        assert!(one.mismatches().is_empty());
        let none = rank(&[acc(1, None, "EUR", None)], &HashMap::new());
        assert!(none.rankings.is_empty());
        assert_eq!(none.unranked, 1);
    }

    #[test]
    fn currencies_are_ranked_apart_majority_first() {
        let mut rows = vec![acc(1, Some(1_000_000.0), "RUB", None)];
        rows.extend([
            acc(2, Some(10.0), "EUR", None),
            acc(3, Some(90.0), "EUR", None),
            acc(4, Some(0.0), "EUR", None),
            acc(5, Some(0.0), "EUR", None),
            acc(6, Some(0.0), "EUR", None),
        ]);
        let counts = HashMap::from([(2, 3), (3, 1)]);
        let p = rank(&rows, &counts);
        assert_eq!(p.rankings[0].currency, "EUR");
        // 90 % lies above the second: B. The million roubles do not count against euros.
        assert_eq!(
            &tiers(&p, "EUR")[..2],
            [(3, Some(Tier::A)), (2, Some(Tier::B))]
        );
        assert_eq!(tiers(&p, "RUB"), [(1, None)]);
        let small = &p.rankings[0].accounts[1];
        assert!((small.interaction_share - 0.75).abs() < 1e-9);
        assert!((small.share - 0.1).abs() < 1e-9);
    }

    #[test]
    fn configured_rates_rank_currencies_together_and_say_so() {
        let cfg = DealsConfig {
            base_currency: Some("EUR".into()),
            rates: [("USD".to_string(), 0.5)].into_iter().collect(),
            ..DealsConfig::default()
        };
        let rows = vec![
            acc(1, Some(100.0), "EUR", None),
            acc(2, Some(400.0), "USD", None),
            acc(3, Some(50.0), "GBP", None),
        ];
        let (rows, notes) = in_base_currency(rows, &cfg);
        assert_eq!(notes, ["USD at 0.5 EUR"]);
        let p = rank(&rows, &HashMap::new());
        let eur = p.rankings.iter().find(|g| g.currency == "EUR").unwrap();
        // 400 USD is 200 EUR: first of the two ranked in EUR.
        assert_eq!(
            eur.accounts.iter().map(|r| r.account).collect::<Vec<_>>(),
            [2, 1]
        );
        assert!((eur.total - 300.0).abs() < 1e-9);
        // GBP has no rate: on its own.
        assert!(p.rankings.iter().any(|g| g.currency == "GBP"));
        // Without a base currency nothing is converted.
        let (same, notes) = in_base_currency(
            vec![acc(2, Some(400.0), "USD", None)],
            &DealsConfig::default(),
        );
        assert!(notes.is_empty());
        assert_eq!(same[0].currency.as_deref(), Some("USD"));
    }
}
