//! Issue 14.7: a person's salutation apart from the name, and people sorted by family name —
//! end to end through `kam` as a user runs it: add and edit, list and show, search, undo,
//! merge, and the salutation and family name through JSON Lines, vCard and CSV.

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use crate::shell::Shell;

/// The names of `kam person list`, in its order.
fn listed(shell: &Shell) -> Vec<String> {
    shell
        .ok(&["person", "list"])
        .lines()
        .filter_map(|l| l.split_once(' ').map(|(_, rest)| rest.trim()))
        .map(|rest| rest.split("  ").next().unwrap_or("").trim().to_string())
        .collect()
}

#[test]
fn a_salutation_typed_in_the_name_is_kept_apart_and_people_sort_by_family_name() {
    let shell = Shell::new();
    shell.ok(&["account", "add", "Hospital Clínic"]);
    let added = shell.ok(&[
        "person",
        "add",
        "Dra. Carmen Peña Olmedo",
        "--family-name",
        "Peña Olmedo",
        "--account",
        "clinic",
    ]);
    assert!(
        added.contains("Added person #p1 Dra. Carmen Peña Olmedo"),
        "{added}"
    );
    for name in [
        "Ana Zubizarreta",
        "Luis Álvarez",
        "Drago Petrović",
        "Dr. House",
    ] {
        shell.ok(&["person", "add", name]);
    }
    shell.ok(&["person", "add", "Beatriz Peña", "--salutation", "Sra."]);
    assert_eq!(
        listed(&shell),
        [
            "Luis Álvarez",
            "Dr. House",
            "Sra. Beatriz Peña",
            "Dra. Carmen Peña Olmedo",
            "Drago Petrović",
            "Ana Zubizarreta",
        ]
    );
    let json = shell.ok(&["person", "show", "#p1", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["person"]["name"], "Carmen Peña Olmedo");
    assert_eq!(v["person"]["salutation"], "Dra.");
    assert_eq!(v["person"]["family_name"], "Peña Olmedo");
    // Shown as addressed; found by the name, with or without the salutation typed.
    let shown = shell.ok(&["show", "Carmen Peña Olmedo"]);
    assert!(shown.starts_with("#p1 Dra. Carmen Peña Olmedo"), "{shown}");
    assert_eq!(shell.ok(&["show", "Dra. Carmen Peña Olmedo"]), shown);
    assert!(shown.contains("family name Peña Olmedo"), "{shown}");
    let found = shell.ok(&["search", "Peña"]);
    assert!(found.contains("Carmen Peña Olmedo"), "{found}");
    assert!(found.contains("Beatriz Peña"), "{found}");
}

#[test]
fn editing_the_salutation_is_undone_exactly() {
    let shell = Shell::new();
    shell.ok(&["person", "add", "Carmen Peña"]);
    let before = shell.export();
    let edited = shell.ok(&["person", "edit", "#p1", "--salutation", "Dra."]);
    assert!(edited.contains("Dra. Carmen Peña"), "{edited}");
    assert!(
        shell
            .ok(&["show", "#p1"])
            .starts_with("#p1 Dra. Carmen Peña")
    );
    shell.ok(&["undo"]);
    assert_eq!(shell.export(), before);
    // Emptied with --clear; a blank one is refused, naming the field.
    shell.ok(&["person", "edit", "#p1", "--salutation", "Dra."]);
    shell.ok(&["person", "edit", "#p1", "--clear", "salutation"]);
    assert!(shell.ok(&["show", "#p1"]).starts_with("#p1 Carmen Peña"));
    let refused = shell.fails(&["person", "edit", "#p1", "--salutation", " "]);
    assert!(refused.contains("salutation"), "{refused}");
}

#[test]
fn merge_keeps_one_salutation_and_family_name() {
    let shell = Shell::new();
    shell.ok(&["person", "add", "Carmen Peña"]);
    shell.ok(&[
        "person",
        "add",
        "Carmen Peña O.",
        "--salutation",
        "Dra.",
        "--family-name",
        "Peña",
    ]);
    let merged = shell.ok(&["person", "merge", "#p1", "#p2"]);
    assert!(merged.contains("salutation: Dra."), "{merged}");
    let v: serde_json::Value =
        serde_json::from_str(&shell.ok(&["person", "show", "#p1", "--json"])).unwrap();
    assert_eq!(
        (&v["person"]["salutation"], &v["person"]["family_name"]),
        (&serde_json::json!("Dra."), &serde_json::json!("Peña"))
    );
}

#[test]
fn vcard_n_carries_the_prefix_and_the_family_name_both_ways() {
    let shell = Shell::new();
    let card = shell.dir.path().join("in.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dra. Carmen Peña Olmedo\r\nN:Peña Olmedo;Carmen;;Dra.;\r\n\
         END:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dr. House\r\nEND:VCARD\r\n\
         BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Drago Petrović\r\nN:Petrović;Drago;;;\r\nEND:VCARD\r\n",
    )
    .unwrap();
    shell.ok(&["import", card.to_str().unwrap()]);
    assert_eq!(
        listed(&shell),
        ["Dr. House", "Dra. Carmen Peña Olmedo", "Drago Petrović"]
    );
    let out = shell.ok(&["export", "--format", "vcf"]);
    assert!(
        out.contains("FN:Dra. Carmen Peña Olmedo\r\nN:Peña Olmedo;Carmen;;Dra.;\r\n"),
        "{out}"
    );
    assert!(out.contains("FN:Dr. House\r\nN:House;;;Dr.;\r\n"), "{out}");
    assert!(
        out.contains("FN:Drago Petrović\r\nN:Petrović;Drago;;;\r\n"),
        "{out}"
    );
    // Read back: nothing changes.
    let again = shell.dir.path().join("again.vcf");
    std::fs::write(&again, &out).unwrap();
    let before = shell.export();
    shell.ok(&["import", again.to_str().unwrap()]);
    assert_eq!(shell.export(), before);
}

#[test]
fn outlooks_title_column_is_the_salutation_and_csv_round_trips_it() {
    let shell = Shell::new();
    let sheet = shell.dir.path().join("outlook.csv");
    std::fs::write(
        &sheet,
        "Title,First Name,Last Name,Job Title,Company\n\
         Dra.,Carmen,Peña Olmedo,Jefa de Farmacia,Hospital Clínic\n\
         ,Luis,Álvarez,Gerente,Hospital Clínic\n",
    )
    .unwrap();
    let report = shell.ok(&["import", sheet.to_str().unwrap()]);
    assert!(report.contains("\"Title\" → salutation"), "{report}");
    let v: serde_json::Value =
        serde_json::from_str(&shell.ok(&["person", "show", "Carmen Peña Olmedo", "--json"]))
            .unwrap();
    assert_eq!(v["person"]["salutation"], "Dra.");
    assert_eq!(v["person"]["title"], "Jefa de Farmacia");
    assert_eq!(v["person"]["family_name"], "Peña Olmedo");
    assert_eq!(listed(&shell), ["Luis Álvarez", "Dra. Carmen Peña Olmedo"]);
    // kamnote's own CSV: both columns written, read back to the same notebook.
    let out = shell.ok(&["export", "--format", "csv", "--table", "people"]);
    let header = out.lines().next().unwrap();
    assert!(header.ends_with(",salutation,family_name"), "{header}");
    let back = shell.dir.path().join("back.csv");
    std::fs::write(&back, &out).unwrap();
    let before = shell.export();
    shell.ok(&["import", back.to_str().unwrap()]);
    assert_eq!(shell.export(), before);
}

#[test]
fn jsonl_round_trips_the_fields_and_an_old_file_still_imports() {
    let shell = Shell::new();
    let old = shell.dir.path().join("old.jsonl");
    std::fs::write(
        &old,
        "{\"type\":\"kamnote\",\"version\":1}\n\
         {\"type\":\"person\",\"uid\":\"p-1\",\"name\":\"Dr. Nuño Peña\"}\n\
         {\"type\":\"person\",\"uid\":\"p-2\",\"name\":\"Carmen Peña Olmedo\",\"salutation\":\"Dra.\",\"family_name\":\"Peña Olmedo\"}\n",
    )
    .unwrap();
    shell.ok(&["import", old.to_str().unwrap()]);
    let first = shell.export();
    assert!(
        first.contains("\"name\":\"Nuño Peña\",\"salutation\":\"Dr.\""),
        "{first}"
    );
    assert!(
        first.contains(
            "\"name\":\"Carmen Peña Olmedo\",\"salutation\":\"Dra.\",\"family_name\":\"Peña Olmedo\""
        ),
        "{first}"
    );
    let other = Shell::new();
    let file = other.dir.path().join("all.jsonl");
    std::fs::write(&file, &first).unwrap();
    other.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(other.export(), first);
}
