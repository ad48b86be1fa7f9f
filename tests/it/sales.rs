//! Monthly sales and commission end to end (issue 14.6): `kam sales add|list|import` (target
//! against actual, one undo per file), `kam commission` (earned when the client's payment is
//! marked paid, by the tier of the deal's size, on the total or the margin, beside the
//! forecast), and `kam pareto` across currencies at configured rates.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use super::shell::Shell;

/// A notebook with Hospital Clínic (EUR) and Farmacias Unidas (USD), and `config`.
fn notebook(config: &str) -> Shell {
    let nb = Shell::with_config(config);
    nb.ok(&["account", "add", "Hospital Clínic", "--currency", "EUR"]);
    nb.ok(&["account", "add", "Farmacias Unidas", "--currency", "USD"]);
    nb
}

/// The seed's scale: 15 % up to 50,000, 10 % up to 500,000, 5 % above, sizes in EUR.
const SEED_SCALE: &str = "[deals]\nbase_currency = \"EUR\"\nrates = { USD = 0.5 }\n\
    commission_tiers = [ { up_to = 50000, rate = 15 }, { up_to = 500000, rate = 10 }, { rate = 5 } ]\n";

#[test]
fn target_and_actual_make_one_month_and_the_year_so_far() {
    let nb = notebook("");
    let out = nb.ok(&["sales", "add", "clinic", "2026-10", "--target", "100000"]);
    assert!(out.contains("target 100,000.00 EUR, actual —"), "{out}");
    let out = nb.ok(&["sales", "add", "clinic", "2026-10", "--actual", "82000"]);
    assert!(
        out.contains("actual 82,000.00 EUR (82 % of target)"),
        "{out}"
    );
    nb.ok(&[
        "sales", "add", "clinic", "2026-11", "--target", "100000", "--actual", "118000",
    ]);
    let list = nb.ok(&["sales", "list", "--year", "2026"]);
    assert!(
        list.contains("2026-10      100,000.00 EUR       82,000.00 EUR    82 %"),
        "{list}"
    );
    assert!(
        list.contains("200,000.00 EUR of 200,000.00 EUR (100 %)"),
        "{list}"
    );
    let again = nb.ok(&["sales", "add", "clinic", "2026-11", "--actual", "118000"]);
    assert!(again.starts_with("Nothing changed"), "{again}");
    let err = nb.fails(&["sales", "add", "clinic", "2026-13", "--target", "1"]);
    assert!(err.contains("write it as YYYY-MM"), "{err}");
    let err = nb.fails(&["sales", "add", "clinic", "2026-12"]);
    assert!(err.contains("give --target, --actual or both"), "{err}");
    // Undo takes back one figure at a time (the unchanged one wrote nothing).
    nb.ok(&["undo"]);
    let list = nb.ok(&["sales", "list", "clinic", "--year", "2026"]);
    assert!(list.contains("82,000.00 EUR"), "{list}");
    assert!(!list.contains("2026-11"), "{list}");
    nb.ok(&["undo"]);
    let list = nb.ok(&["sales", "list", "clinic", "--year", "2026"]);
    assert!(
        list.contains("100,000.00 EUR                   —"),
        "{list}"
    );
}

#[test]
fn a_sales_file_is_imported_whole_or_not_at_all_and_undone_in_one() {
    let nb = notebook("");
    let good = nb.dir.path().join("good.csv");
    std::fs::write(
        &good,
        "\u{feff}Account,Month,Target,Actual,Currency\nHospital Clínic,2026-09,90000,70000,EUR\n\
         clinic,2026-08,,88000,\nfarmacias,2026-11,50000,51000,\n",
    )
    .unwrap();
    let bad = nb.dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "account,month,target\nclinic,2026-01,1000\nnobody at all,2026-02,5\n",
    )
    .unwrap();
    let err = nb.fails(&["sales", "import", bad.to_str().unwrap()]);
    assert!(err.contains("sales CSV line 3"), "{err}");
    assert!(nb.ok(&["sales", "list"]).contains("No sales recorded"));
    let out = nb.ok(&["sales", "import", good.to_str().unwrap()]);
    assert!(out.contains("3 rows read, 3 of 3 months written"), "{out}");
    let list = nb.ok(&["sales", "list"]);
    assert!(list.contains("51,000.00 USD"), "{list}");
    assert!(
        list.contains("2026-08                   —       88,000.00 EUR"),
        "{list}"
    );
    nb.ok(&["undo"]);
    assert!(nb.ok(&["sales", "list"]).contains("No sales recorded"));
}

#[test]
fn commission_is_earned_when_the_client_pays_by_the_tier_of_the_deal() {
    let nb = notebook(SEED_SCALE);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Big tender",
        "--value",
        "900000",
        "--currency",
        "EUR",
        "--probability",
        "100",
    ]);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Supply",
        "--value",
        "400000",
        "--currency",
        "EUR",
        "--probability",
        "90",
        "--close",
        "2026-12-15",
    ]);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "farmacias",
        "--title",
        "Small order",
        "--value",
        "40000",
        "--currency",
        "USD",
        "--probability",
        "50",
        "--close",
        "2026-12-20",
    ]);
    for (text, amount) in [("First", "300000"), ("Second", "600000")] {
        nb.ok(&[
            "deal",
            "obligation",
            "add",
            "#d1",
            text,
            "--due",
            "2026-12-01",
            "--party",
            "client",
            "--kind",
            "payment",
            "--amount",
            amount,
            "--currency",
            "EUR",
        ]);
    }
    // Nothing is earned before the client pays.
    let before = nb.ok(&["commission", "--year", "2026"]);
    assert!(
        before.contains("year                            —"),
        "{before}"
    );
    nb.ok_at(
        "2026-10-05T10:00:00+00:00",
        &["deal", "obligation", "done", "1"],
    );
    let table = nb.ok(&["commission", "--year", "2026"]);
    // 300,000 paid on a 900,000 deal: 5 %.
    assert!(
        table.contains("2026-10             15,000.00 EUR"),
        "{table}"
    );
    // Forecast: 400,000 × 90 % × 10 %, and 40,000 USD (20,000 EUR: 15 %) × 50 %.
    assert!(table.contains("36,000.00 EUR + 3,000.00 USD"), "{table}");
    assert!(
        table.contains("15 % up to 50,000, 10 % up to 500,000, 5 % above"),
        "{table}"
    );
}

#[test]
fn commission_on_the_margin() {
    let margin = notebook(&format!(
        "{SEED_SCALE}commission_basis = \"margin\"\nmargin = 30\n"
    ));
    margin.ok(&[
        "deal",
        "add",
        "--account",
        "clinic",
        "--title",
        "Big tender",
        "--value",
        "900000",
        "--currency",
        "EUR",
    ]);
    margin.ok(&[
        "deal",
        "obligation",
        "add",
        "#d1",
        "First",
        "--due",
        "2026-12-01",
        "--party",
        "client",
        "--kind",
        "payment",
        "--amount",
        "300000",
        "--currency",
        "EUR",
    ]);
    margin.ok(&["deal", "obligation", "done", "1"]);
    let table = margin.ok(&["commission"]);
    assert!(
        table.contains("2026-11              4,500.00 EUR"),
        "{table}"
    );
    assert!(table.contains("on the margin (30 %)"), "{table}");
}

#[test]
fn a_scale_out_of_order_is_a_usage_error() {
    let nb = notebook(
        "[deals]\ncommission_tiers = [ { up_to = 500000, rate = 10 }, { up_to = 50000, rate = 15 } ]\n",
    );
    let err = nb.fails(&["commission"]);
    assert!(
        err.contains("tier 2: up_to 50000 is not above the tier before"),
        "{err}"
    );
}

#[test]
fn pareto_ranks_across_currencies_only_at_configured_rates() {
    let nb = notebook(SEED_SCALE);
    nb.ok(&["account", "edit", "clinic", "--sales", "300000"]);
    nb.ok(&["account", "edit", "farmacias", "--sales", "800000"]);
    let out = nb.ok(&["pareto"]);
    assert!(
        out.contains("converted at the rates of [deals] rates: USD at 0.5 EUR"),
        "{out}"
    );
    assert!(
        out.contains("EUR — 2 accounts, 700,000.00 EUR in all"),
        "{out}"
    );
    let plain = notebook("");
    plain.ok(&["account", "edit", "clinic", "--sales", "300000"]);
    plain.ok(&["account", "edit", "farmacias", "--sales", "800000"]);
    let out = plain.ok(&["pareto"]);
    assert!(!out.contains("converted"), "{out}");
    assert!(out.contains("USD — 1 account"), "{out}");
}

#[test]
fn merging_two_accounts_keeps_the_kept_ones_month_and_moves_the_rest() {
    let nb = notebook("");
    nb.ok(&["account", "add", "Hosp. Clinic", "--currency", "EUR"]);
    nb.ok(&[
        "sales", "add", "#a1", "2026-10", "--target", "100", "--actual", "90",
    ]);
    nb.ok(&[
        "sales", "add", "#a3", "2026-10", "--target", "999", "--actual", "999",
    ]);
    nb.ok(&[
        "sales", "add", "#a3", "2026-09", "--target", "80", "--actual", "85",
    ]);
    let before = nb.ok(&["sales", "list", "--json"]);
    nb.ok(&["account", "merge", "#a1", "#a3"]);
    let list = nb.ok(&["sales", "list"]);
    assert!(list.contains("2026-09"), "{list}");
    assert!(list.contains("90.00 EUR"), "{list}");
    assert!(!list.contains("999"), "{list}");
    nb.ok(&["undo"]);
    assert_eq!(nb.ok(&["sales", "list", "--json"]), before);
}

#[test]
fn a_month_given_twice_is_one_month_and_a_second_import_writes_nothing() {
    let nb = notebook("");
    let file = nb.dir.path().join("repeated.csv");
    std::fs::write(
        &file,
        "account,month,target,actual,currency
clinic,2026-11,100000,90000,EUR
         Hospital Clínic,2026-11,,95000,EUR
clinic,2026-11,100000,95000,EUR
",
    )
    .unwrap();
    let out = nb.ok(&["sales", "import", file.to_str().unwrap()]);
    assert!(
        out.contains(
            "3 rows read (2 repeat a month; the later figures count), 1 of 1 months written"
        ),
        "{out}"
    );
    let list = nb.ok(&["sales", "list", "--year", "2026"]);
    assert!(
        list.contains("100,000.00 EUR       95,000.00 EUR    95 %"),
        "{list}"
    );
    let again = nb.ok(&["sales", "import", file.to_str().unwrap()]);
    assert!(again.contains("0 of 1 months written"), "{again}");
    // One undo takes the file back; the second import wrote nothing to undo.
    nb.ok(&["undo"]);
    assert!(nb.ok(&["sales", "list"]).contains("No sales recorded"));
}
