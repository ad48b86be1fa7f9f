//! Stage histories for the demo: for every A and B account, every person of influence 4 or 5 and
//! every deal, the chain of stage changes that leads to its current stage.
//!
//! Promises: each chain starts on the ladder without a `from`, every `from` is the previous `to`,
//! the last `to` is the record's current stage, and the times increase and lie before today.

use serde_json::{Value, json};

use super::relative::Resolver;
use super::{DemoError, Rng, text};

/// The path up a ladder to `stage`, including the detours to the off-ladder stages.
fn path(ladder: &str, stage: &str) -> Vec<&'static str> {
    const PERSON: [&str; 6] = [
        "identified",
        "contacted",
        "acquainted",
        "loyal",
        "close",
        "advocate",
    ];
    const ACCOUNT: [&str; 5] = [
        "pre-kam",
        "early-kam",
        "mid-kam",
        "partnership-kam",
        "synergistic-kam",
    ];
    const DEAL: [&str; 5] = ["lead", "qualified", "proposal", "negotiation", "won"];
    let up_to = |ladder: &[&'static str], last: &str| -> Vec<&'static str> {
        let end = ladder.iter().position(|s| *s == last).map_or(0, |i| i + 1);
        ladder.iter().copied().take(end).collect()
    };
    match (ladder, stage) {
        ("person", "cooling") => [up_to(&PERSON, "loyal"), vec!["cooling"]].concat(),
        ("person", "lost") => [up_to(&PERSON, "acquainted"), vec!["cooling", "lost"]].concat(),
        ("person", s) => up_to(&PERSON, s),
        ("account", "uncoupling-kam") => {
            [up_to(&ACCOUNT, "mid-kam"), vec!["uncoupling-kam"]].concat()
        }
        ("account", s) => up_to(&ACCOUNT, s),
        ("deal", "lost") => [up_to(&DEAL, "proposal"), vec!["lost"]].concat(),
        ("deal", s) => up_to(&DEAL, s),
        _ => Vec::new(),
    }
}

/// Why a step was taken, by the stage reached.
fn reason(stage: &str) -> &'static str {
    match stage {
        "identified" => "Named in the org chart",
        "contacted" => "First meeting",
        "acquainted" => "Knows us and our portfolio",
        "loyal" => "Speaks well of us in the committee",
        "close" => "Shares internal information and asks for help",
        "advocate" => "Recommends us to peers, spoke at our symposium",
        "cooling" => "Fewer replies; meetings postponed",
        "lost" => "Has chosen the competitor",
        "pre-kam" => "Identified as a potential key account",
        "early-kam" => "First orders; one contact on each side",
        "mid-kam" => "Several contacts on both sides, regular reviews",
        "partnership-kam" => "Preferred supplier; plans shared",
        "synergistic-kam" => "Joint value creation, shared KPIs",
        "uncoupling-kam" => "New owners consolidate suppliers",
        "lead" => "Opportunity spotted",
        "qualified" => "Need, budget and timing confirmed",
        "proposal" => "Offer submitted",
        "negotiation" => "Terms under negotiation",
        "won" => "Signed",
        _ => "Lost",
    }
}

/// The stage changes of the demo's subjects, numbered `demo-s001`...
pub(super) fn changes(
    rng: &mut Rng,
    at: &Resolver,
    accounts: &[Value],
    people: &[Value],
    deals: &[Value],
) -> Result<Vec<Value>, DemoError> {
    let mut subjects: Vec<(&str, &Value)> = Vec::new();
    subjects.extend(
        accounts
            .iter()
            .filter(|a| matches!(text(a, "tier"), "A" | "B"))
            .map(|a| ("account", a)),
    );
    subjects.extend(
        people
            .iter()
            .filter(|p| p.get("influence").and_then(Value::as_i64).unwrap_or(0) >= 4)
            .map(|p| ("person", p)),
    );
    subjects.extend(deals.iter().map(|d| ("deal", d)));

    let mut out = Vec::new();
    for (ladder, record) in subjects {
        let steps = path(ladder, text(record, "stage"));
        let count = i64::try_from(steps.len()).unwrap_or(1);
        // A closed deal's last step is its close date; everything else moved recently.
        let closed = text(record, "close");
        let last = match at.day(0)?.signed_duration_since(
            chrono::NaiveDate::parse_from_str(closed, "%Y-%m-%d").unwrap_or(at.today),
        ) {
            since if ladder == "deal" && since.num_days() > 0 => since.num_days(),
            _ => rng.range(3, 60),
        };
        let spacing = if ladder == "deal" { 25 } else { 90 };
        let first = (last + (count - 1) * spacing + rng.range(0, 30)).min(530);
        let gap = if count > 1 {
            (first - last) / (count - 1)
        } else {
            0
        };
        let mut from: Option<&str> = None;
        for (i, to) in (0_i64..).zip(steps) {
            let days = if i == count - 1 {
                last
            } else {
                first - i * gap
            };
            let minute = u32::try_from(rng.range(36, 68)).unwrap_or(40) * 15;
            let mut change = json!({
                "type": "stage_change",
                "uid": format!("demo-s{:03}", out.len() + 1),
                "subject": text(record, "uid"),
                "ladder": ladder,
            });
            if let (Some(map), Some(prev)) = (change.as_object_mut(), from) {
                map.insert("from".into(), prev.into());
            }
            if let Some(map) = change.as_object_mut() {
                map.insert("to".into(), to.into());
                map.insert("at".into(), at.stamp(-days, minute)?.into());
                map.insert("note".into(), reason(to).into());
            }
            out.push(change);
            from = Some(to);
        }
    }
    Ok(out)
}
