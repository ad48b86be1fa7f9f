//! Money arithmetic for deals, receivables and plans: amounts are `f64` in one currency each,
//! and sums are kept **per currency** in a [`Totals`] map. Nothing here ever adds two currencies
//! together; a view that shows one figure for several currencies must say so ("mixed").
//!
//! Rules (each has a test below):
//! - A total is per ISO 4217 code; an amount without a currency is kept under [`NO_CURRENCY`].
//! - The weighted (forecast) value of a deal is `value × probability / 100`; a deal without a
//!   probability weighs 0 (nothing is forecast that nobody estimated).
//! - The expected commission is `value × probability / 100 × rate / 100`, the rate being the
//!   deal's own or, when it has none, the configured default (`[deals] commission_rate`). A won
//!   deal counts at 100 % whatever its stored probability; a lost one at 0 %.
//! - Rounding to cents happens only for display ([`format_amount`]), half away from zero
//!   (2.345 → 2.35, −2.345 → −2.35); sums are made on the unrounded values.
//! - Every amount a person reads is written here, in one of four widths: with cents
//!   ([`format_amount`], reports), cents only when there are some ([`format_short`], plans),
//!   whole units ([`format_whole`], lists and dossiers) and compact ([`format_compact`], "1.2M"
//!   in a one-line prep); the `format_money*` forms add the currency code. Machine formats
//!   (JSON, CSV) keep the exact value and do not come here.
//! - Amounts are stored as f64, which carries every decimal of up to 15 significant digits
//!   exactly (read back through its shortest decimal); [`crate::domain::check_amount`] refuses
//!   an amount with more, so what is kept is what was typed. Sums are made exactly, in
//!   integer millionths of the decimals ([`Totals`]), never as a drifting f64 running sum.

use std::collections::BTreeMap;

use serde::Serialize;

use std::fmt::Write as _;

use crate::domain::{Deal, DealStage, PlanProgress, budget_bar};

/// The key under which amounts without a currency are totalled.
pub const NO_CURRENCY: &str = "—";

/// The commission rate, in percent, used for a deal that has none (configurable).
pub const DEFAULT_COMMISSION_RATE: f64 = 10.0;

/// Decimal places kept exactly in sums (a millionth: below any currency's minor unit, so the
/// weighted value of a deal adds up to the cent).
const SUM_DIGITS: u32 = 6;

/// `v` as an exact count of millionths: the decimal `v` stands for (the shortest one that reads
/// back as `v`, which is the one typed for any amount [`crate::domain::check_amount`] accepts),
/// rounded half away from zero to six places. `None` for what is not a finite number or is too
/// large.
fn exact(v: f64) -> Option<i128> {
    if !v.is_finite() {
        return None;
    }
    // `Display` for f64 writes the shortest round-tripping decimal, never in exponent form.
    let text = v.abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut units: i128 = 0;
    for d in int.bytes().chain(
        frac.bytes()
            .chain(std::iter::repeat(b'0'))
            .take(SUM_DIGITS as usize),
    ) {
        units = units.checked_mul(10)?.checked_add(i128::from(d - b'0'))?;
    }
    if frac.len() > SUM_DIGITS as usize && frac.as_bytes()[SUM_DIGITS as usize] >= b'5' {
        units = units.checked_add(1)?;
    }
    Some(if v < 0.0 { -units } else { units })
}

/// `a + b` made on the decimals they stand for, as the nearest f64 (a plan's `spent` grows by
/// each spend without drifting: 0.1 + 0.2 is 0.3).
pub fn exact_sum(a: f64, b: f64) -> f64 {
    match (exact(a), exact(b)) {
        (Some(x), Some(y)) => x.checked_add(y).map_or(a + b, to_f64),
        _ => a + b,
    }
}

/// An exact count of millionths back as the nearest f64 (through its decimal text, so a
/// decimal of up to 15 significant digits comes back as typed).
fn to_f64(units: i128) -> f64 {
    decimal_text(units, SUM_DIGITS).parse().unwrap_or(0.0)
}

/// `units` millionths written with `places` decimals (rounded half away from zero; `places` at
/// most six), without grouping: `-1234.5` with 2 places is `"-1234.50"`.
fn decimal_text(units: i128, places: u32) -> String {
    let drop = 10_i128.pow(SUM_DIGITS - places.min(SUM_DIGITS));
    let mut q = units.unsigned_abs() / drop.unsigned_abs();
    if units.unsigned_abs() % drop.unsigned_abs() * 2 >= drop.unsigned_abs() {
        q += 1;
    }
    let sign = if units < 0 && q > 0 { "-" } else { "" };
    if places == 0 {
        return format!("{sign}{q}");
    }
    let one = 10_u128.pow(places.min(SUM_DIGITS));
    format!(
        "{sign}{}.{:0width$}",
        q / one,
        q % one,
        width = places as usize
    )
}

/// Sums per currency code, in code order, kept exactly (in millionths, never as a running
/// f64 sum that drifts by cents above ~1e13). Serialises as `{"EUR": 1200.5, "RUB": 3000000}`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Totals(BTreeMap<String, i128>);

impl Serialize for Totals {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(c, v)| (c, to_f64(*v))))
    }
}

impl Totals {
    pub fn new() -> Self {
        Totals::default()
    }

    /// Adds `amount` to its currency's sum (no currency: [`NO_CURRENCY`]); an amount that is
    /// not a finite number adds nothing.
    pub fn add(&mut self, currency: Option<&str>, amount: f64) {
        let key = currency.filter(|c| !c.is_empty()).unwrap_or(NO_CURRENCY);
        if let Some(units) = exact(amount) {
            let sum = self.0.entry(key.to_string()).or_insert(0);
            *sum = sum.saturating_add(units);
        }
    }

    /// Adds every sum of `other`, currency by currency.
    pub fn merge(&mut self, other: &Totals) {
        for (c, v) in &other.0 {
            let sum = self.0.entry(c.clone()).or_insert(0);
            *sum = sum.saturating_add(*v);
        }
    }

    /// The sum in one currency (0 when none).
    pub fn get(&self, currency: &str) -> f64 {
        self.0.get(currency).map_or(0.0, |v| to_f64(*v))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many currencies are summed.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `(currency, sum)` in currency-code order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0.iter().map(|(c, v)| (c.as_str(), to_f64(*v)))
    }

    /// "1,200.50 EUR + 3,000,000.00 RUB" (or `empty` when there is nothing); never one figure
    /// for several currencies. Written from the exact sums.
    pub fn display(&self, empty: &str) -> String {
        if self.0.is_empty() {
            return empty.to_string();
        }
        self.0
            .iter()
            .map(|(c, v)| with_currency(group(&decimal_text(*v, 2)), c))
            .collect::<Vec<_>>()
            .join(" + ")
    }
}

/// The probability a deal counts at: won 100, lost 0, otherwise its own (none: 0), clamped to
/// 0–100.
pub fn effective_probability(deal: &Deal) -> f64 {
    match deal.stage {
        Some(DealStage::Won) => 100.0,
        Some(DealStage::Lost) => 0.0,
        _ => deal.probability.unwrap_or(0.0).clamp(0.0, 100.0),
    }
}

/// The probability-weighted value of a deal (`None` without a value).
pub fn weighted_value(deal: &Deal) -> Option<f64> {
    deal.value.map(|v| v * effective_probability(deal) / 100.0)
}

/// The commission rate that applies: the deal's, or `default_rate`.
pub fn commission_rate(deal: &Deal, default_rate: f64) -> f64 {
    deal.commission_rate.unwrap_or(default_rate)
}

/// Expected commission: weighted value × rate (`None` without a value).
pub fn expected_commission(deal: &Deal, default_rate: f64) -> Option<f64> {
    weighted_value(deal).map(|w| w * commission_rate(deal, default_rate) / 100.0)
}

/// Commission if the deal is won: value × rate.
pub fn commission_if_won(deal: &Deal, default_rate: f64) -> Option<f64> {
    deal.value
        .map(|v| v * commission_rate(deal, default_rate) / 100.0)
}

/// Value, weighted value and expected commission of many deals, per currency.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DealTotals {
    pub count: usize,
    pub value: Totals,
    pub weighted: Totals,
    pub commission: Totals,
}

impl DealTotals {
    pub fn add(&mut self, deal: &Deal, default_rate: f64) {
        self.count += 1;
        let c = deal.currency.as_deref();
        if let Some(v) = deal.value {
            self.value.add(c, v);
        }
        if let Some(w) = weighted_value(deal) {
            self.weighted.add(c, w);
        }
        if let Some(k) = expected_commission(deal, default_rate) {
            self.commission.add(c, k);
        }
    }
}

impl DealTotals {
    /// Adds every count and sum of `other` (the totals of several groups of deals).
    pub fn merge(&mut self, other: &DealTotals) {
        self.count += other.count;
        self.value.merge(&other.value);
        self.weighted.merge(&other.weighted);
        self.commission.merge(&other.commission);
    }
}

/// Rounds to cents, half away from zero (display only), from the decimal `v` stands for (so
/// 2.345 typed is 2.35, though the f64 nearest to it is 2.34499…).
pub fn round_cents(v: f64) -> f64 {
    exact(v).map_or(v, |u| decimal_text(u, 2).parse().unwrap_or(v))
}

/// `"-1234567.89"` → `"-1,234,567.89"`: thousands grouped.
fn group(text: &str) -> String {
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text), |rest| ("-", rest));
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// `1234567.891` → `"1,234,567.89"`: cents rounded half away from zero, thousands grouped.
pub fn format_amount(v: f64) -> String {
    match exact(v) {
        Some(units) => group(&decimal_text(units, 2)),
        None => v.to_string(),
    }
}

/// `2800000.0` → `"2,800,000"`: whole units (half away from zero), thousands grouped; for
/// narrow columns where cents are noise.
pub fn format_whole(v: f64) -> String {
    let text = format_amount(v.round());
    text.strip_suffix(".00").unwrap_or(&text).to_string()
}

/// `1234567.0` → `"1,234,567"`, `99.5` → `"99.50"`: grouped, with cents only when there are
/// some.
pub fn format_short(v: f64) -> String {
    let text = format_amount(v);
    match text.strip_suffix(".00") {
        Some("-0") => "0".to_string(),
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// `1_234_567` → `"1.2M"`, `350_000` → `"350k"`, `1_500` → `"1.5k"`, `999` → `"999"`: for a
/// figure inside a one-line summary.
pub fn format_compact(v: f64) -> String {
    let trim = |s: String| s.strip_suffix(".0").map(str::to_string).unwrap_or(s);
    let a = v.abs();
    let sign = if v < 0.0 { "-" } else { "" };
    let body = if a >= 1e9 {
        format!("{}B", trim(format!("{:.1}", a / 1e9)))
    } else if a >= 1e6 {
        format!("{}M", trim(format!("{:.1}", a / 1e6)))
    } else if a >= 1e4 {
        format!("{:.0}k", a / 1e3)
    } else if a >= 1e3 {
        format!("{}k", trim(format!("{:.1}", a / 1e3)))
    } else {
        format!("{a:.0}")
    };
    format!("{sign}{body}")
}

/// `format_amount` followed by the currency code (none: the amount alone).
pub fn format_money(v: f64, currency: &str) -> String {
    with_currency(format_amount(v), currency)
}

/// `format_short` followed by the currency code, if any: "64,000 EUR", "99.50 EUR", "5".
pub fn format_money_short(v: f64, currency: Option<&str>) -> String {
    with_currency(format_short(v), currency.unwrap_or(NO_CURRENCY))
}

/// `format_compact` followed by the currency code, if any: "1.2M EUR".
pub fn format_money_compact(v: f64, currency: Option<&str>) -> String {
    with_currency(format_compact(v), currency.unwrap_or(NO_CURRENCY))
}

/// `format_whole` followed by the currency code, if any: "2,800,000 EUR".
pub fn format_money_whole(v: f64, currency: Option<&str>) -> String {
    with_currency(format_whole(v), currency.unwrap_or(NO_CURRENCY))
}

fn with_currency(amount: String, currency: &str) -> String {
    if currency == NO_CURRENCY || currency.is_empty() {
        amount
    } else {
        format!("{amount} {currency}")
    }
}

/// A plan's budget is money on one line, so it is written here (the type is the domain's).
impl PlanProgress {
    /// The budget on one line: "53 % ██████░░░░ 64,000 of 120,000 EUR", with "OVER BUDGET by
    /// 1,200 EUR" when overrun; the spend alone without a budget.
    pub fn budget_line(&self, bar_width: usize) -> Option<String> {
        let Some(b) = &self.budget else {
            return (self.spent > 0.0).then(|| format_short(self.spent) + " spent, no budget");
        };
        let cur = b.currency.as_deref();
        let pct = b
            .percent()
            .map_or_else(|| "∞ %".to_string(), |p| format!("{p} %"));
        let mut line = format!(
            "{pct} {} {} of {}",
            budget_bar(b.fraction(), bar_width),
            format_short(b.spent),
            format_money_short(b.budget, cur)
        );
        if let Some(over) = b.overrun() {
            let _ = write!(line, " · OVER BUDGET by {}", format_money_short(over, cur));
        }
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Extra;

    fn deal(value: Option<f64>, currency: &str, probability: Option<f64>) -> Deal {
        Deal {
            id: 1,
            uid: "d".into(),
            account: 1,
            title: "t".into(),
            kind: None,
            stage: Some(DealStage::Proposal),
            value,
            currency: (!currency.is_empty()).then(|| currency.to_string()),
            probability,
            close: None,
            commission_rate: None,
            milestones: Vec::new(),
            notes: None,
            extra: Extra::new(),
        }
    }

    #[test]
    fn totals_never_mix_currencies() {
        let mut t = Totals::new();
        t.add(Some("EUR"), 100.0);
        t.add(Some("RUB"), 5_000.0);
        t.add(Some("EUR"), 50.25);
        t.add(None, 7.0);
        assert_eq!(t.len(), 3);
        assert!((t.get("EUR") - 150.25).abs() < 1e-9);
        assert!((t.get("RUB") - 5_000.0).abs() < 1e-9);
        assert!((t.get(NO_CURRENCY) - 7.0).abs() < 1e-9);
        assert_eq!(t.display("none"), "150.25 EUR + 5,000.00 RUB + 7.00");
        assert_eq!(Totals::new().display("none"), "none");
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"EUR":150.25,"RUB":5000.0,"—":7.0}"#);
    }

    #[test]
    fn merge_adds_currency_by_currency() {
        let mut a = Totals::new();
        a.add(Some("EUR"), 1.0);
        let mut b = Totals::new();
        b.add(Some("EUR"), 2.0);
        b.add(Some("USD"), 3.0);
        a.merge(&b);
        assert!((a.get("EUR") - 3.0).abs() < 1e-9);
        assert!((a.get("USD") - 3.0).abs() < 1e-9);
    }

    #[test]
    fn weighted_value_uses_probability_and_stage() {
        let d = deal(Some(200_000.0), "EUR", Some(40.0));
        assert_eq!(weighted_value(&d), Some(80_000.0));
        // No probability: nothing forecast.
        assert_eq!(weighted_value(&deal(Some(10.0), "EUR", None)), Some(0.0));
        // Won counts in full, lost not at all, whatever the stored probability.
        let won = Deal {
            stage: Some(DealStage::Won),
            ..d.clone()
        };
        assert_eq!(weighted_value(&won), Some(200_000.0));
        let lost = Deal {
            stage: Some(DealStage::Lost),
            ..d.clone()
        };
        assert_eq!(weighted_value(&lost), Some(0.0));
        assert_eq!(weighted_value(&deal(None, "EUR", Some(50.0))), None);
    }

    #[test]
    fn commission_uses_the_deals_rate_or_the_default() {
        let d = deal(Some(100_000.0), "EUR", Some(50.0));
        // value × probability × default rate 10 %.
        assert_eq!(expected_commission(&d, 10.0), Some(5_000.0));
        let own = Deal {
            commission_rate: Some(8.0),
            ..d.clone()
        };
        assert_eq!(expected_commission(&own, 10.0), Some(4_000.0));
        assert_eq!(commission_if_won(&own, 10.0), Some(8_000.0));
        assert_eq!(
            expected_commission(&deal(None, "EUR", Some(50.0)), 10.0),
            None
        );
    }

    #[test]
    fn deal_totals_are_per_currency() {
        let mut t = DealTotals::default();
        t.add(&deal(Some(100.0), "EUR", Some(50.0)), 10.0);
        t.add(&deal(Some(300.0), "EUR", Some(10.0)), 10.0);
        t.add(&deal(Some(1_000.0), "RUB", Some(100.0)), 5.0);
        t.add(&deal(None, "USD", Some(100.0)), 5.0);
        assert_eq!(t.count, 4);
        assert!((t.value.get("EUR") - 400.0).abs() < 1e-9);
        assert!((t.weighted.get("EUR") - 80.0).abs() < 1e-9);
        assert!((t.commission.get("EUR") - 8.0).abs() < 1e-9);
        assert!((t.weighted.get("RUB") - 1_000.0).abs() < 1e-9);
        assert!((t.commission.get("RUB") - 50.0).abs() < 1e-9);
        assert!(t.value.get("USD").abs() < 1e-12);
        assert_eq!(t.value.len(), 2, "a deal without a value adds no currency");
    }

    /// Six times 9,999,999,999,999.99 is 59,999,999,999,999.94: an f64 running sum said .95.
    #[test]
    #[allow(clippy::float_cmp)] // exact equality is what is tested
    fn totals_are_exact_above_ten_trillion() {
        let mut t = Totals::new();
        for _ in 0..6 {
            t.add(Some("EUR"), 9_999_999_999_999.99);
        }
        assert_eq!(t.display(""), "59,999,999,999,999.94 EUR");
        let mut t = Totals::new();
        for _ in 0..14 {
            t.add(Some("KRW"), 1_234_567_890_123.45);
        }
        assert_eq!(t.display(""), "17,283,950,461,728.30 KRW");
        let mut t = Totals::new();
        for _ in 0..10 {
            t.add(None, 0.1);
        }
        t.add(None, -1.0);
        assert_eq!(t.display(""), "0.00");
        assert_eq!(t.get(NO_CURRENCY), 0.0);
        assert_eq!(format_amount(-0.4), "-0.40");
        assert_eq!(format_amount(123_456_789_012.345), "123,456,789,012.35");
        assert_eq!(format_whole(1e15), "1,000,000,000,000,000");
        assert_eq!(exact_sum(0.1, 0.2), 0.3);
        assert_eq!(exact_sum(9_999_999_999_999.99, -0.99), 9_999_999_999_999.0);
    }

    #[test]
    fn rounding_is_half_away_from_zero_at_display() {
        assert_eq!(format_amount(2.345), "2.35");
        assert_eq!(format_amount(-2.345), "-2.35");
        assert_eq!(format_amount(2.344), "2.34");
        assert_eq!(format_amount(0.005), "0.01");
        assert_eq!(format_amount(-0.004), "0.00");
        assert_eq!(format_amount(1_234_567.891), "1,234,567.89");
        assert_eq!(format_amount(999.995), "1,000.00");
        assert_eq!(format_amount(0.0), "0.00");
        assert_eq!(format_money(12.5, "EUR"), "12.50 EUR");
        assert_eq!(format_whole(2_800_000.4), "2,800,000");
        assert_eq!(format_whole(-2.5), "-3");
        assert_eq!(format_money(12.5, NO_CURRENCY), "12.50");
        // Sums are made unrounded: three thirds make one.
        let mut t = Totals::new();
        for _ in 0..3 {
            t.add(Some("EUR"), 1.0 / 3.0);
        }
        assert_eq!(t.display(""), "1.00 EUR");
    }

    #[test]
    fn the_four_widths_and_the_currency() {
        assert_eq!(format_amount(1_234_567.891), "1,234,567.89");
        assert_eq!(format_short(1_234_567.0), "1,234,567");
        assert_eq!(format_short(99.5), "99.50");
        assert_eq!(format_short(0.0), "0");
        assert_eq!(format_short(-0.001), "0");
        assert_eq!(format_short(-1500.25), "-1,500.25");
        assert_eq!(format_whole(1_234_567.5), "1,234,568");
        assert_eq!(format_whole(-1000.0), "-1,000");
        assert_eq!(format_whole(2.5), "3", "half away from zero, not to even");
        assert_eq!(format_compact(1_234_567.0), "1.2M");
        assert_eq!(format_compact(350_000.0), "350k");
        assert_eq!(format_compact(1_500.0), "1.5k");
        assert_eq!(format_compact(2_000.0), "2k");
        assert_eq!(format_compact(999.0), "999");
        assert_eq!(format_compact(-4_000_000_000.0), "-4B");
        assert_eq!(format_money_short(64_000.0, Some("EUR")), "64,000 EUR");
        assert_eq!(format_money_short(5.0, None), "5");
        assert_eq!(
            format_money_whole(2_800_000.4, Some("RUB")),
            "2,800,000 RUB"
        );
        assert_eq!(format_money_whole(12.0, Some("")), "12");
        assert_eq!(format_money(7.5, NO_CURRENCY), "7.50");
    }
}
