//! Transfers of value end to end (issue 14.5): `kam plan spend --for --transfer`, the
//! `[compliance]` caps warned at entry, who may receive what, `kam tov YEAR` as text, CSV and
//! JSON, undo, a JSON Lines round trip that keeps whom a spend benefited, and a merge of two
//! people that keeps their transfers.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use super::shell::Shell;

/// `kam plan spend 1 AMOUNT ...`: a spend on the notebook's one plan.
fn spend<'a>(amount: &'a str, more: &[&'a str]) -> Vec<&'a str> {
    ["plan", "spend", "1", amount]
        .into_iter()
        .chain(more.iter().copied())
        .collect()
}

/// Hospital Clínic with Ana and Luis, a plan in EUR, and caps: 60 EUR a meal per guest,
/// 1,000 EUR a year per person.
fn notebook() -> Shell {
    let nb = Shell::with_config(
        "[compliance]\nmeal_cap_per_guest = 60\nannual_limit_per_person = 1000\n\
         currency = \"EUR\"\n",
    );
    nb.ok(&[
        "account",
        "add",
        "Hospital Clínic",
        "--city",
        "Barcelona",
        "--country",
        "ES",
    ]);
    nb.ok(&["person", "add", "Ana López", "--account", "clinic"]);
    nb.ok(&["person", "add", "Luis Pérez", "--account", "clinic"]);
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
    ]);
    nb
}

#[test]
fn a_meal_over_the_cap_is_warned_and_shared_among_the_guests() {
    let nb = notebook();
    let out = nb.ok(&spend(
        "130",
        &["--category", "hospitality", "--for", "ana", "--for", "luis"],
    ));
    assert!(
        out.contains("Spent 130 EUR on hospitality (meal for 2 people) for plan #1"),
        "{out}"
    );
    assert!(
        out.contains("the meal is 65.00 EUR per guest, over the cap of 60.00 EUR"),
        "{out}"
    );
    // 110 for two is within the cap: no warning.
    let out = nb.ok(&spend(
        "110",
        &["--category", "hospitality", "--for", "ana", "--for", "luis"],
    ));
    assert!(!out.contains("Warning"), "{out}");
    let tov = nb.ok(&["tov", "2026"]);
    assert!(tov.contains("Ana López · Hospital Clínic"), "{tov}");
    assert!(tov.contains("120.00 EUR  2 entries"), "{tov}");
}

#[test]
fn the_annual_limit_counts_the_year_and_gifts_are_warned() {
    let nb = notebook();
    nb.ok(&spend(
        "900",
        &["--transfer", "fee", "--for", "ana", "--on", "2026-10-01"],
    ));
    // Last year's fee does not count towards this year's limit.
    nb.ok(&spend(
        "900",
        &["--transfer", "fee", "--for", "luis", "--on", "2025-10-01"],
    ));
    let out = nb.ok(&spend(
        "200",
        &["--transfer", "travel", "--for", "ana", "--for", "luis"],
    ));
    // 100 each: Ana reaches 1,000 exactly, within the limit.
    assert!(!out.contains("Warning"), "{out}");
    assert!(!out.contains("Luis"), "{out}");
    let out = nb.ok(&spend("150", &["--transfer", "fee", "--for", "ana"]));
    assert!(
        out.contains("Ana López has received 1,150.00 EUR this year with this one, over the annual limit of 1,000.00 EUR"),
        "{out}"
    );
    let out = nb.ok(&spend("25", &["--transfer", "gift", "--for", "luis"]));
    assert!(
        out.contains("gifts to healthcare professionals are forbidden"),
        "{out}"
    );
}

#[test]
fn who_may_receive_what_is_enforced() {
    let nb = notebook();
    let err = nb.fails(&spend("500", &["--transfer", "grant", "--for", "ana"]));
    assert!(
        err.contains("a grant goes to an organisation (the plan's account), never to a person"),
        "{err}"
    );
    let err = nb.fails(&spend("500", &["--transfer", "fee"]));
    assert!(err.contains("name who benefited"), "{err}");
    let err = nb.fails(&spend("500", &["--category", "events", "--for", "ana"]));
    assert!(err.contains("--transfer registration"), "{err}");
    let err = nb.fails(&spend("500", &["--transfer", "bribe", "--for", "ana"]));
    assert!(err.contains("\"bribe\" is not one of"), "{err}");
    // Nothing was written by the refusals.
    assert!(nb.ok(&["tov", "2026"]).contains("No transfers of value"));
}

#[test]
fn the_disclosure_lists_people_then_organisations_as_text_csv_and_json() {
    let nb = notebook();
    nb.ok(&spend("2000", &["--transfer", "grant"]));
    nb.ok(&spend(
        "300",
        &["--transfer", "registration", "--for", "luis"],
    ));
    nb.ok(&spend(
        "120",
        &["--transfer", "accommodation", "--for", "luis"],
    ));
    nb.ok(&spend("80", &["--transfer", "travel", "--for", "luis"]));
    nb.ok(&["person", "add", "Zoe Abad", "--account", "clinic"]);
    nb.ok(&spend("50", &["--transfer", "fee", "--for", "zoe"]));
    let text = nb.ok(&["tov", "2026"]);
    // People in the order of the people list (by family name: Abad before Pérez), then
    // organisations.
    let zoe = text.find("Zoe Abad").unwrap();
    let luis = text.find("Luis Pérez").unwrap();
    let org = text.find("Hospital Clínic (organisation)").unwrap();
    assert!(zoe < luis && luis < org, "{text}");
    assert!(text.contains("Events: registration fees"), "{text}");
    // Travel and accommodation are one EFPIA category: one line, summed (the CSV keeps both).
    let events: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Events: travel & accommodation"))
        .collect();
    assert_eq!(events.len(), 1, "{text}");
    assert!(
        events[0].contains("200.00 EUR") && events[0].contains("2 entries"),
        "{text}"
    );
    assert!(text.contains("In all: 2,550.00 EUR"), "{text}");
    let csv = nb.ok(&["tov", "2026", "--csv"]);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(
        rows,
        [
            "recipient,name,account,city,country,category,efpia_category,amount,currency,entries",
            "HCP,Zoe Abad,Hospital Clínic,Barcelona,ES,fee,Fee for service and consultancy: fees,50.00,EUR,1",
            "HCP,Luis Pérez,Hospital Clínic,Barcelona,ES,registration,Events: registration fees,300.00,EUR,1",
            "HCP,Luis Pérez,Hospital Clínic,Barcelona,ES,travel,Events: travel & accommodation,80.00,EUR,1",
            "HCP,Luis Pérez,Hospital Clínic,Barcelona,ES,accommodation,Events: travel & accommodation,120.00,EUR,1",
            "HCO,Hospital Clínic,,Barcelona,ES,grant,Donations and grants,2000.00,EUR,1",
        ]
    );
    let json: serde_json::Value =
        serde_json::from_str(&nb.ok(&["tov", "2026", "--person", "luis", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(json[0]["recipient"], "person");
    assert!(
        nb.ok(&["tov", "2025"])
            .contains("No transfers of value recorded in 2025")
    );
}

#[test]
fn undo_takes_a_transfer_back_exactly() {
    let nb = notebook();
    let before = nb.export();
    nb.ok(&spend(
        "130",
        &["--category", "hospitality", "--for", "ana", "--for", "luis"],
    ));
    assert_ne!(nb.export(), before);
    nb.ok(&["undo"]);
    assert_eq!(nb.export(), before);
    assert!(nb.ok(&["tov", "2026"]).contains("No transfers of value"));
}

#[test]
fn an_export_keeps_whom_a_spend_benefited() {
    let nb = notebook();
    nb.ok(&spend(
        "130",
        &["--category", "hospitality", "--for", "ana", "--for", "luis"],
    ));
    nb.ok(&spend("700", &["--transfer", "fee", "--for", "luis"]));
    let file = nb.dir.path().join("out.jsonl");
    std::fs::write(&file, nb.export()).unwrap();
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(exported.contains("\"transfer\":\"meal\""), "{exported}");
    let other = Shell::new();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.ok(&["tov", "2026"]), nb.ok(&["tov", "2026"]));
    assert_eq!(other.export(), exported);
}

#[test]
fn merging_two_people_keeps_their_transfers() {
    let nb = notebook();
    nb.ok(&["person", "add", "Dra. Ana López", "--account", "clinic"]);
    nb.ok(&spend(
        "100",
        &["--transfer", "fee", "--for", "Dra. Ana López"],
    ));
    nb.ok(&spend(
        "50",
        &["--transfer", "travel", "--for", "#p1", "--for", "#p3"],
    ));
    nb.ok(&["person", "merge", "#p1", "#p3"]);
    let tov = nb.ok(&["tov", "2026"]);
    // One recipient: the person kept, who took the other's salutation (issue 14.7).
    assert_eq!(tov.matches("Ana López").count(), 1, "{tov}");
    assert!(tov.contains("Dra. Ana López"), "{tov}");
    assert!(tov.contains("100.00 EUR"), "{tov}");
    // The travel spend named both, who are one person: she received all of it.
    assert!(tov.contains("Events: travel & accommodation"), "{tov}");
    assert!(tov.contains("  50.00 EUR  1 entry"), "{tov}");
    nb.ok(&["undo"]);
    let apart = nb.ok(&["tov", "2026"]);
    assert_eq!(apart.matches("Ana López").count(), 2, "{apart}");
    assert!(apart.contains("Dra. Ana López"), "{apart}");
}
