//! Issue 14.3-4 end to end: the people of a deal and the committee flag, follow-ups on a deal,
//! the product catalogue with each account's status and its history, objections in the brief,
//! products discussed in a note, and undo of each command — on a fresh notebook, fixed clock.

#![allow(clippy::unwrap_used)] // test helpers panic on setup failures by design

use super::shell::Shell;

const NOW: &str = "2026-03-02T08:00:00+00:00";

/// Hospital Clínic (Ana Puig, Iván Ruiz) and Clínica Dexeus; tender #d1 with its submission.
fn notebook() -> Shell {
    let nb = Shell::new().at(NOW).no_color();
    nb.ok(&["account", "add", "Hospital Clínic"]);
    nb.ok(&["account", "add", "Clínica Dexeus"]);
    nb.ok(&["person", "add", "Ana Puig", "--account", "#a1"]);
    nb.ok(&["person", "add", "Iván Ruiz", "--account", "#a1"]);
    nb.ok(&[
        "deal",
        "add",
        "--account",
        "Hospital Clínic",
        "--title",
        "Tender 2026",
        "--kind",
        "tender",
        "--milestone",
        "submission=2026-03-20",
    ]);
    nb
}

#[test]
fn a_deal_has_its_people_and_a_committee_member_unseen_is_a_red_flag() {
    let nb = notebook();
    let said = nb.ok(&[
        "deal",
        "person",
        "add",
        "#d1",
        "ana",
        "--role",
        "decision-maker",
    ]);
    assert_eq!(
        said.trim(),
        "Added Ana Puig to #d1 Tender 2026 as decision-maker"
    );
    nb.ok(&["deal", "person", "add", "#d1", "ivan", "--role", "user"]);
    let e = nb.fails(&["deal", "person", "add", "#d1", "ivan", "--role", "chairman"]);
    assert!(
        e.contains("--role") && e.contains("evaluation-committee"),
        "{e}"
    );

    let shown = nb.ok(&["show", "#d1"]);
    assert!(shown.contains("People"), "{shown}");
    assert!(
        shown.contains("decision-maker        #p1 Ana Puig — never seen"),
        "{shown}"
    );
    assert!(
        shown.contains("not seen in the weeks before the submission on 2026-03-20"),
        "{shown}"
    );
    let flags = nb.ok(&["flags", "#a1"]);
    assert!(
        flags.contains("Committee member Ana Puig (decision-maker, #d1 Tender 2026) never seen"),
        "{flags}"
    );

    // Seen at a meeting: the flag goes.
    nb.ok(&[
        "meeting",
        "log",
        "ana",
        "--at",
        "yesterday 10:00",
        "--outcome",
        "fine",
    ]);
    let flags = nb.ok(&["flags", "#a1"]);
    assert!(!flags.contains("Committee member"), "{flags}");

    let removed = nb.ok(&["deal", "person", "remove", "#d1", "ivan"]);
    assert_eq!(
        removed.trim(),
        "Removed Iván Ruiz (user) from #d1 Tender 2026"
    );
    nb.ok(&["undo"]);
    assert!(nb.ok(&["show", "#d1"]).contains("Iván Ruiz"));
}

#[test]
fn a_follow_up_on_a_deal_shows_on_the_deal_and_its_account() {
    let nb = notebook();
    nb.ok(&[
        "followup",
        "add",
        "#d1",
        "--due",
        "2026-03-05",
        "send",
        "the",
        "dossier",
    ]);
    assert!(nb.ok(&["show", "#d1"]).contains("#f1 send the dossier"));
    assert!(nb.ok(&["show", "#a1"]).contains("#f1 send the dossier"));
}

#[test]
fn which_accounts_list_our_product_with_each_status_history_kept() {
    let nb = notebook();
    nb.ok(&["product", "add", "Oncomab"]);
    let said = nb.ok(&["product", "add", "Rivalix", "--competitor-of", "onco"]);
    assert_eq!(said.trim(), "Added product Rivalix (competes with Oncomab)");
    nb.ok(&[
        "product",
        "status",
        "Hospital Clínic",
        "onco",
        "requested",
        "--on",
        "2026-01-10",
    ]);
    nb.ok(&[
        "product",
        "status",
        "Hospital Clínic",
        "onco",
        "listed",
        "--on",
        "2026-02-01",
    ]);
    nb.ok(&["product", "status", "dexeus", "onco", "under-review"]);
    nb.ok(&["product", "status", "dexeus", "rivalix", "preferred"]);
    let e = nb.fails(&["product", "status", "dexeus", "onco", "maybe"]);
    assert!(e.contains("status") && e.contains("under-review"), "{e}");

    let listed = nb.ok(&["product", "accounts", "onco", "--status", "listed"]);
    assert!(listed.contains("Hospital Clínic"), "{listed}");
    assert!(!listed.contains("Dexeus"), "{listed}");
    let all = nb.ok(&["product", "accounts", "onco"]);
    assert!(
        all.contains("Dexeus") && all.contains("under-review"),
        "{all}"
    );
    let history = nb.ok(&["product", "history", "Hospital Clínic", "onco"]);
    assert!(history.contains("2026-01-10  requested") && history.contains("2026-02-01  listed"));
    let dossier = nb.ok(&["show", "dexeus"]);
    assert!(
        dossier.contains("Rivalix (competitor): preferred since 2026-03-02"),
        "{dossier}"
    );

    nb.ok(&["undo"]);
    let dossier = nb.ok(&["show", "dexeus"]);
    assert!(!dossier.contains("Rivalix"), "{dossier}");
}

#[test]
fn an_objection_shows_in_the_brief_of_the_next_meeting_with_that_person() {
    let nb = notebook();
    nb.ok(&["product", "add", "Oncomab"]);
    nb.ok(&[
        "objection",
        "add",
        "ivan",
        "onco",
        "Too",
        "dear",
        "for",
        "the",
        "day",
        "hospital",
    ]);
    nb.ok(&["meeting", "add", "ivan", "--at", "tomorrow 10:00"]);
    let brief = nb.ok(&["prep", "ivan"]);
    assert!(brief.contains("OBJECTIONS RAISED"), "{brief}");
    assert!(brief.contains("Iván Ruiz on Oncomab (2026-03-02): Too dear for the day hospital"));
    nb.ok(&["note", "ivan", "talked prices", "--product", "onco"]);
    assert!(nb.ok(&["show", "#i2"]).contains("products Oncomab"));
    // Undo the note, the meeting, then the objection.
    for _ in 0..3 {
        nb.ok(&["undo"]);
    }
    let brief = nb.ok(&["prep", "ivan"]);
    assert!(!brief.contains("OBJECTIONS RAISED"), "{brief}");
}
