//! The pipeline: deals grouped by stage in ladder order (deals without a stage first), each
//! group with its totals, value and weighted value per currency (see `crate::money` for the
//! rules). The pipeline screen, `kam deal list` and the report all use [`Pipeline::of`].

use serde::Serialize;

use crate::domain::{DealStage, Vocabulary};
use crate::money::DealTotals;
use crate::store::DealRow;

/// The deals of one stage and their totals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageGroup {
    /// `None`: deals with no stage set.
    pub stage: Option<DealStage>,
    pub deals: Vec<DealRow>,
    pub totals: DealTotals,
}

impl StageGroup {
    /// The stage's name ("no stage" when unset).
    pub fn label(&self) -> &'static str {
        self.stage.map_or("no stage", Vocabulary::as_str)
    }
}

/// Deals by stage with totals per stage, and over the open stages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pipeline {
    /// One group per stage that has deals, in ladder order.
    pub groups: Vec<StageGroup>,
    /// Every deal not won or lost.
    pub open: DealTotals,
    /// Every deal listed.
    pub all: DealTotals,
    /// The commission rate used for deals without their own.
    pub default_rate: f64,
}

impl Pipeline {
    /// Groups `deals` (any order; kept in their order within a stage).
    pub fn of(deals: Vec<DealRow>, default_rate: f64) -> Pipeline {
        let order = |s: Option<DealStage>| {
            s.map_or(0, |s| {
                1 + DealStage::ALL.iter().position(|x| *x == s).unwrap_or(0)
            })
        };
        let mut groups: Vec<StageGroup> = Vec::new();
        // Each deal is added to its group's totals only; the open and overall totals are the
        // groups' merged (adding a deal converts its three amounts to exact decimals: once,
        // not three times — a third of the deals screen's read at L).
        for row in deals {
            let stage = row.deal.stage;
            let i = if let Some(i) = groups.iter().position(|g| g.stage == stage) {
                i
            } else {
                groups.push(StageGroup {
                    stage,
                    deals: Vec::new(),
                    totals: DealTotals::default(),
                });
                groups.len() - 1
            };
            groups[i].totals.add(&row.deal, default_rate);
            groups[i].deals.push(row);
        }
        groups.sort_by_key(|g| order(g.stage));
        let mut open = DealTotals::default();
        let mut all = DealTotals::default();
        for g in &groups {
            all.merge(&g.totals);
            if !matches!(g.stage, Some(DealStage::Won | DealStage::Lost)) {
                open.merge(&g.totals);
            }
        }
        Pipeline {
            groups,
            open,
            all,
            default_rate,
        }
    }

    /// The deal with the largest value in `currency` among those `keep` accepts.
    pub fn biggest<'a>(
        &'a self,
        currency: &str,
        keep: impl Fn(&DealRow) -> bool,
    ) -> Option<&'a DealRow> {
        self.groups
            .iter()
            .flat_map(|g| &g.deals)
            .filter(|d| d.deal.currency.as_deref() == Some(currency) && keep(d))
            .max_by(|a, b| {
                a.deal
                    .value
                    .unwrap_or(0.0)
                    .total_cmp(&b.deal.value.unwrap_or(0.0))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Deal, Extra};

    fn row(id: i64, stage: Option<DealStage>, value: f64, currency: &str) -> DealRow {
        DealRow {
            deal: Deal {
                id,
                uid: format!("d{id}"),
                account: 1,
                title: format!("deal {id}"),
                kind: None,
                stage,
                value: Some(value),
                currency: Some(currency.into()),
                probability: Some(50.0),
                close: None,
                commission_rate: None,
                milestones: Vec::new(),
                notes: None,
                extra: Extra::new(),
            },
            account_name: "Acme".into(),
            version: 1,
        }
    }

    #[test]
    fn groups_follow_the_ladder_with_totals_per_currency() {
        let p = Pipeline::of(
            vec![
                row(1, Some(DealStage::Won), 100.0, "EUR"),
                row(2, Some(DealStage::Proposal), 200.0, "EUR"),
                row(3, None, 10.0, "EUR"),
                row(4, Some(DealStage::Proposal), 1_000.0, "RUB"),
                row(5, Some(DealStage::Lead), 50.0, "EUR"),
            ],
            10.0,
        );
        let labels: Vec<_> = p.groups.iter().map(StageGroup::label).collect();
        assert_eq!(labels, ["no stage", "lead", "proposal", "won"]);
        let proposal = &p.groups[2];
        assert_eq!(proposal.totals.count, 2);
        assert!((proposal.totals.value.get("EUR") - 200.0).abs() < 1e-9);
        assert!((proposal.totals.weighted.get("RUB") - 500.0).abs() < 1e-9);
        // Open excludes won and lost; won counts in full in `all`.
        assert_eq!(p.open.count, 4);
        assert!((p.open.value.get("EUR") - 260.0).abs() < 1e-9);
        assert!((p.all.weighted.get("EUR") - 230.0).abs() < 1e-9);
        assert_eq!(p.biggest("EUR", |_| true).map(|d| d.deal.id), Some(2));
        assert_eq!(p.biggest("USD", |_| true), None);
    }
}
