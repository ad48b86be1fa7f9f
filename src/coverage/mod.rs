//! Coverage of the territory (issue 14.2): how far the KAM has got with the key people
//! (influence 4–5) of their accounts — how many stand on each stage of the relationship ladder
//! (count and share), how many were never seen, the share that is loyal or better (loyal, close,
//! advocate), how many are cooling — in all and account by account. Built once from
//! [`crate::store::Reader::coverage_rows`] and laid out as lines that `kam coverage` and the TUI's
//! coverage screen both print.

use serde::Serialize;

use crate::domain::{Id, PersonStage, RecordKind, RecordRef, Tier, Vocabulary};
use crate::store::{CoverageRow, CoverageScope, Reader, StoreError};

/// The stages in ladder order, then off-ladder, then "no stage".
const ORDER: [Option<PersonStage>; 9] = [
    Some(PersonStage::Identified),
    Some(PersonStage::Contacted),
    Some(PersonStage::Acquainted),
    Some(PersonStage::Loyal),
    Some(PersonStage::Close),
    Some(PersonStage::Advocate),
    Some(PersonStage::Cooling),
    Some(PersonStage::Lost),
    None,
];

/// The key people on one stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageShare {
    /// `None`: no stage set.
    pub stage: Option<PersonStage>,
    pub people: u32,
    /// Whole percent of all key people; the shares of a tally sum to 100 (0 when empty).
    pub share: u32,
}

/// Key people counted: by stage, never seen, loyal or better, cooling.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct KeyPeopleTally {
    pub key_people: u32,
    /// Every stage of [`ORDER`] that has someone, in that order.
    pub by_stage: Vec<StageShare>,
    pub never_seen: u32,
    pub never_seen_share: u32,
    /// Loyal, close or advocate.
    pub loyal_or_better: u32,
    pub loyal_or_better_share: u32,
    pub cooling: u32,
    pub cooling_share: u32,
}

/// The coverage of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountCoverage {
    pub id: Id,
    pub name: String,
    pub tier: Option<Tier>,
    #[serde(flatten)]
    pub tally: KeyPeopleTally,
}

/// The coverage of the accounts in a scope: in all, and per account (by name).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct TerritoryCoverage {
    pub total: KeyPeopleTally,
    pub accounts: Vec<AccountCoverage>,
}

/// Whole percentages of `counts` that sum to 100 (largest remainder; ties to the earlier
/// entry); all 0 when the counts are.
pub fn shares(counts: &[u32]) -> Vec<u32> {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if total == 0 {
        return vec![0; counts.len()];
    }
    let mut out: Vec<u32> = Vec::with_capacity(counts.len());
    let mut rest: Vec<(u64, usize)> = Vec::with_capacity(counts.len());
    for (i, &c) in counts.iter().enumerate() {
        let scaled = u64::from(c) * 100;
        out.push(u32::try_from(scaled / total).unwrap_or(100));
        rest.push((scaled % total, i));
    }
    let given: u32 = out.iter().sum();
    rest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(_, i) in rest.iter().take(100_u32.saturating_sub(given) as usize) {
        out[i] += 1;
    }
    out
}

/// `part` of `whole` in whole percent, rounded half up; 0 of nothing.
pub fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from((u64::from(part) * 200 + u64::from(whole)) / (u64::from(whole) * 2))
        .unwrap_or(100)
}

fn tally(rows: &[&CoverageRow]) -> KeyPeopleTally {
    let count = |stage: Option<PersonStage>| -> u32 {
        rows.iter()
            .filter(|r| r.stage == stage)
            .map(|r| r.people)
            .sum()
    };
    let counts: Vec<u32> = ORDER.iter().map(|s| count(*s)).collect();
    let key_people: u32 = counts.iter().sum();
    let by_stage = ORDER
        .iter()
        .zip(counts.iter().zip(shares(&counts)))
        .filter(|(_, (people, _))| **people > 0)
        .map(|(stage, (people, share))| StageShare {
            stage: *stage,
            people: *people,
            share,
        })
        .collect();
    let never_seen = rows.iter().map(|r| r.never_seen).sum();
    let loyal_or_better = [
        PersonStage::Loyal,
        PersonStage::Close,
        PersonStage::Advocate,
    ]
    .into_iter()
    .map(|s| count(Some(s)))
    .sum();
    let cooling = count(Some(PersonStage::Cooling));
    KeyPeopleTally {
        key_people,
        by_stage,
        never_seen,
        never_seen_share: percent(never_seen, key_people),
        loyal_or_better,
        loyal_or_better_share: percent(loyal_or_better, key_people),
        cooling,
        cooling_share: percent(cooling, key_people),
    }
}

/// Coverage from the rows of [`Reader::coverage_rows`] (grouped by account, in order).
pub fn from_rows(rows: &[CoverageRow]) -> TerritoryCoverage {
    let all: Vec<&CoverageRow> = rows.iter().collect();
    let mut accounts: Vec<AccountCoverage> = Vec::new();
    let mut start = 0;
    while start < rows.len() {
        let id = rows[start].account;
        let end = rows[start..]
            .iter()
            .position(|r| r.account != id)
            .map_or(rows.len(), |n| start + n);
        let group: Vec<&CoverageRow> = rows[start..end].iter().collect();
        accounts.push(AccountCoverage {
            id,
            name: rows[start].name.clone(),
            tier: rows[start].tier,
            tally: tally(&group),
        });
        start = end;
    }
    TerritoryCoverage {
        total: tally(&all),
        accounts,
    }
}

/// The coverage of the accounts in `scope`.
pub fn load(reader: &Reader<'_>, scope: &CoverageScope) -> Result<TerritoryCoverage, StoreError> {
    Ok(from_rows(&reader.coverage_rows(scope)?))
}

/// The one line of a tally's headline facts: "never seen 3 (25 %) · loyal or better 6 (50 %) ·
/// cooling 1 (8 %)".
fn facts(t: &KeyPeopleTally) -> String {
    format!(
        "never seen {} ({} %) · loyal or better {} ({} %) · cooling {} ({} %)",
        t.never_seen,
        t.never_seen_share,
        t.loyal_or_better,
        t.loyal_or_better_share,
        t.cooling,
        t.cooling_share
    )
}

/// Coverage as plain lines (names sanitized): the totals, the stages, then one line per
/// account. What `kam coverage` prints and the TUI shows.
pub fn lines(c: &TerritoryCoverage) -> Vec<String> {
    let t = &c.total;
    if t.key_people == 0 {
        return vec!["No key people (influence 4–5) in these accounts yet.".to_string()];
    }
    let (head, all) = headline(c);
    let mut out = vec![
        head,
        format!("  {all}"),
        String::new(),
        "By stage".to_string(),
    ];
    for s in &t.by_stage {
        out.push(format!(
            "  {:<11} {:>5}  {:>3} %",
            stage_name(s),
            s.people,
            s.share
        ));
    }
    out.push(String::new());
    out.push("By account".to_string());
    for a in &c.accounts {
        out.push(format!("  {}", account_line(a)));
    }
    out
}

/// One account's line (name sanitized): "#a1 Acme (tier A): 4 key · never seen 2 (50 %) · …".
pub fn account_line(a: &AccountCoverage) -> String {
    let tier = a.tier.map(|t| format!(" (tier {t})")).unwrap_or_default();
    format!(
        "{} {}{tier}: {} key · {}",
        RecordRef::of(RecordKind::Account, a.id),
        crate::text::sanitize_line(&a.name),
        a.tally.key_people,
        facts(&a.tally)
    )
}

/// The headline of a coverage and its facts (names none): "43 key people in 12 accounts",
/// "never seen 3 (7 %) · loyal or better …".
pub fn headline(c: &TerritoryCoverage) -> (String, String) {
    let n = c.accounts.len();
    (
        format!(
            "{} key people in {n} account{}",
            c.total.key_people,
            if n == 1 { "" } else { "s" }
        ),
        facts(&c.total),
    )
}

/// A stage's name as the lines show it ("(no stage)" when none is set).
pub fn stage_name(s: &StageShare) -> &'static str {
    s.stage.map_or("(no stage)", PersonStage::as_str)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn row(account: Id, stage: Option<PersonStage>, people: u32, never: u32) -> CoverageRow {
        CoverageRow {
            account,
            name: format!("Account {account}"),
            tier: Some(Tier::A),
            stage,
            people,
            never_seen: never,
        }
    }

    #[rstest]
    #[case(&[1, 1, 1], &[34, 33, 33])]
    #[case(&[2, 1], &[67, 33])]
    #[case(&[1, 0, 0], &[100, 0, 0])]
    #[case(&[0, 0], &[0, 0])]
    #[case(&[], &[])]
    #[case(&[1, 1, 1, 1, 1, 1, 1], &[15, 15, 14, 14, 14, 14, 14])]
    fn shares_are_whole_percent_and_sum_to_100(#[case] counts: &[u32], #[case] want: &[u32]) {
        let got = shares(counts);
        assert_eq!(got, want);
        let sum: u32 = got.iter().sum();
        assert_eq!(
            sum,
            if counts.iter().any(|&c| c > 0) {
                100
            } else {
                0
            }
        );
    }

    #[test]
    fn a_territory_is_tallied_in_all_and_by_account() {
        use PersonStage as S;
        let rows = [
            row(1, Some(S::Identified), 2, 2),
            row(1, Some(S::Loyal), 1, 0),
            row(1, Some(S::Close), 1, 0),
            row(2, Some(S::Cooling), 1, 0),
            row(2, None, 1, 1),
            row(2, Some(S::Advocate), 1, 0),
        ];
        let c = from_rows(&rows);
        assert_eq!(c.total.key_people, 7);
        assert_eq!(c.total.never_seen, 3);
        assert_eq!(c.total.loyal_or_better, 3);
        assert_eq!(c.total.loyal_or_better_share, 43);
        assert_eq!(c.total.cooling, 1);
        let stages: Vec<(Option<S>, u32, u32)> = c
            .total
            .by_stage
            .iter()
            .map(|s| (s.stage, s.people, s.share))
            .collect();
        assert_eq!(
            stages,
            [
                (Some(S::Identified), 2, 29),
                (Some(S::Loyal), 1, 15),
                (Some(S::Close), 1, 14),
                (Some(S::Advocate), 1, 14),
                (Some(S::Cooling), 1, 14),
                (None, 1, 14),
            ]
        );
        assert_eq!(c.total.by_stage.iter().map(|s| s.share).sum::<u32>(), 100);
        assert_eq!(c.accounts.len(), 2);
        let first = &c.accounts[0].tally;
        assert_eq!(
            (first.key_people, first.never_seen, first.loyal_or_better),
            (4, 2, 2)
        );
        assert_eq!(
            (first.never_seen_share, first.loyal_or_better_share),
            (50, 50)
        );
        assert_eq!(c.accounts[1].tally.cooling_share, 33);
        let text = lines(&c).join("\n");
        assert!(text.starts_with("7 key people in 2 accounts\n"), "{text}");
        assert!(
            text.contains("#a1 Account 1 (tier A): 4 key · never seen 2 (50 %)"),
            "{text}"
        );
    }

    #[test]
    fn an_empty_notebook_has_no_coverage_and_says_so() {
        let c = from_rows(&[]);
        assert_eq!(c, TerritoryCoverage::default());
        assert_eq!(c.total.loyal_or_better_share, 0);
        assert_eq!(
            lines(&c),
            ["No key people (influence 4–5) in these accounts yet."]
        );
        assert_eq!(percent(1, 0), 0);
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
    }
}
