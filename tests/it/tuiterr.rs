//! Loose ends of issue 14 end to end: a subject access (`kam export --about`) carries the
//! person's objections, roles in deals and transfers of value, and imports on its own.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use super::shell::Shell;

/// Hospital Clínic with Ana and Luis, a tender, a product, and an advisory board plan in EUR.
fn territory() -> Shell {
    let nb = Shell::new();
    nb.ok(&["account", "add", "Hospital Clínic", "--city", "Barcelona"]);
    nb.ok(&["person", "add", "Ana López", "--account", "clinic"]);
    nb.ok(&["person", "add", "Luis Pérez", "--account", "clinic"]);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Tender 2027",
    ]);
    nb.ok(&["product", "add", "Oncomab"]);
    nb.ok(&[
        "plan",
        "add",
        "--account",
        "clinic",
        "--objective",
        "Advisory board",
        "--budget",
        "5000",
        "--currency",
        "EUR",
        "--notes",
        "Our strategy for the board",
    ]);
    nb
}

#[test]
fn a_subject_access_carries_objections_deal_roles_and_transfers_and_imports_back() {
    let nb = territory();
    nb.ok(&[
        "deal",
        "person",
        "add",
        "#d1",
        "ana",
        "--role",
        "evaluation-committee",
    ]);
    nb.ok(&[
        "objection",
        "add",
        "ana",
        "onco",
        "Too dear for the day hospital",
    ]);
    nb.ok(&["objection", "add", "luis", "onco", "Luis's own worry"]);
    nb.ok(&[
        "plan",
        "spend",
        "1",
        "90",
        "--category",
        "hospitality",
        "--for",
        "ana",
    ]);
    nb.ok(&[
        "plan",
        "spend",
        "1",
        "70",
        "--category",
        "hospitality",
        "--for",
        "luis",
    ]);
    let file = nb.dir.path().join("ana.jsonl");
    nb.ok(&["export", "--about", "ana", "-o", file.to_str().unwrap()]);
    let text = std::fs::read_to_string(&file).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of = |kind: &str| -> Vec<&serde_json::Value> {
        lines.iter().filter(|l| l["type"] == kind).collect()
    };
    assert_eq!(of("objection").len(), 1, "{text}");
    assert_eq!(of("objection")[0]["text"], "Too dear for the day hospital");
    assert_eq!(of("deal_person").len(), 1, "{text}");
    assert_eq!(of("deal_person")[0]["role"], "evaluation-committee");
    assert_eq!(of("deal").len(), 1, "the deal she has a role in: {text}");
    assert_eq!(of("product").len(), 1, "{text}");
    let plan = of("plan")[0];
    let spends = plan["x-spend"].as_array().unwrap();
    assert_eq!(spends.len(), 1, "her meal only: {plan}");
    assert_eq!(spends[0]["amount"], 90.0);
    assert!(!text.contains("Luis's own worry"), "{text}");
    assert!(
        !text.contains("Our strategy"),
        "the account's plan notes stay out: {text}"
    );
    let history: Vec<&str> = lines[0]["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["command"].as_str().unwrap())
        .collect();
    for command in ["deal person add", "objection add", "plan spend"] {
        assert!(history.contains(&command), "{command} not in {history:?}");
    }
    // It imports on its own, and her transfer of value is there.
    let other = Shell::new();
    other.ok(&["import", file.to_str().unwrap()]);
    let tov = other.ok(&["tov", "2026", "--person", "ana"]);
    assert!(tov.contains("90.00 EUR"), "{tov}");
    // Markdown, for her to read.
    let md = nb.ok(&["export", "--about", "ana", "--format", "md"]);
    for t in [
        "## Your roles in those deals (1)",
        "Tender 2027 — evaluation-committee",
        "## Objections you raised (1)",
        "Oncomab: Too dear for the day hospital",
        "## Products referred to (1)",
    ] {
        assert!(md.contains(t), "{t} missing in {md}");
    }
}
