//! Writing a [`Card`] as vCard 3.0 (the default: every phone and khard/abook read it) or 4.0,
//! CRLF line ends, folded at 75 octets, TEXT values escaped.

use chrono::Utc;

use crate::domain::Timestamp;
use crate::interop::contentline::{escape, property};

use super::Card;

/// The vCard version written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Version {
    #[default]
    V3,
    V4,
}

/// `family;given;;prefix;` (vCard readers show FN; N sorts and addresses): the family name
/// is the one given, else the last word of the name; given is the rest of the name (all of it
/// when the family name is not part of it); the prefix is the salutation.
fn structured_name(name: &str, family: Option<&str>, salutation: Option<&str>) -> String {
    let name = name.trim();
    let family = crate::domain::person_name::family_of(name, family);
    let given = if name == family {
        ""
    } else if let Some(g) = name
        .strip_suffix(family)
        .filter(|g| g.ends_with(char::is_whitespace))
    {
        g.trim()
    } else if let Some(g) = name.strip_prefix(family) {
        // Chinese, Japanese, Korean: the family name first ("王小明").
        g.trim()
    } else {
        name
    };
    format!(
        "{};{};;{};",
        escape(family),
        escape(given),
        escape(salutation.unwrap_or("").trim())
    )
}

/// Appends one card to `out`; `rev` is the person's last change.
pub fn write_card(out: &mut String, card: &Card, version: Version, rev: Option<Timestamp>) {
    out.push_str("BEGIN:VCARD\r\n");
    out.push_str(match version {
        Version::V3 => "VERSION:3.0\r\n",
        Version::V4 => "VERSION:4.0\r\n",
    });
    out.push_str("PRODID:-//kamnote//EN\r\n");
    if let Some(uid) = &card.uid {
        property(out, "UID", &[], &escape(uid));
    }
    let shown = crate::domain::person_name::addressed(card.salutation.as_deref(), &card.name);
    property(out, "FN", &[], &escape(&shown));
    property(
        out,
        "N",
        &[],
        &structured_name(
            &card.name,
            card.family.as_deref(),
            card.salutation.as_deref(),
        ),
    );
    if let Some(org) = &card.org {
        property(out, "ORG", &[], &escape(org));
    }
    if let Some(t) = &card.title {
        property(out, "TITLE", &[], &escape(t));
    }
    if let Some(p) = &card.phone {
        let params: &[(&str, &str)] = match version {
            Version::V3 => &[("TYPE", "VOICE")],
            Version::V4 => &[("TYPE", "voice")],
        };
        property(out, "TEL", params, &escape(p));
    }
    if let Some(e) = &card.email {
        let params: &[(&str, &str)] = match version {
            Version::V3 => &[("TYPE", "INTERNET")],
            Version::V4 => &[],
        };
        property(out, "EMAIL", params, &escape(e));
    }
    if let Some(b) = card.birthday {
        match (version, b.year) {
            (_, Some(y)) => property(
                out,
                "BDAY",
                &[],
                &format!("{y:04}-{:02}-{:02}", b.month, b.day),
            ),
            (Version::V3, None) => property(
                out,
                "BDAY",
                &[("X-APPLE-OMIT-YEAR", "1604")],
                &format!("1604-{:02}-{:02}", b.month, b.day),
            ),
            (Version::V4, None) => {
                property(out, "BDAY", &[], &format!("--{:02}{:02}", b.month, b.day));
            }
        }
    }
    if let Some(n) = &card.note {
        property(out, "NOTE", &[], &escape(n));
    }
    if !card.categories.is_empty() {
        let value = card
            .categories
            .iter()
            .map(|c| escape(c))
            .collect::<Vec<_>>()
            .join(",");
        property(out, "CATEGORIES", &[], &value);
    }
    if let Some(rev) = rev {
        let utc = rev.with_timezone(&Utc);
        property(out, "REV", &[], &utc.format("%Y%m%dT%H%M%SZ").to_string());
    }
    out.push_str("END:VCARD\r\n");
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::Birthday;
    use crate::interop::vcard::parse;

    #[test]
    fn a_card_written_in_3_0() {
        let card = Card {
            uid: Some("p-1".into()),
            name: "María Peña, MD".into(),
            org: Some("Hospital; Clínic".into()),
            phone: Some("+34 600".into()),
            birthday: Some(Birthday {
                year: None,
                month: 4,
                day: 12,
            }),
            note: Some("line one\nline two".into()),
            ..Card::default()
        };
        let mut out = String::new();
        write_card(&mut out, &card, Version::V3, None);
        assert_eq!(
            out,
            "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//kamnote//EN\r\nUID:p-1\r\n\
             FN:María Peña\\, MD\r\nN:MD;María Peña\\,;;;\r\nORG:Hospital\\; Clínic\r\n\
             TEL;TYPE=VOICE:+34 600\r\nBDAY;X-APPLE-OMIT-YEAR=1604:1604-04-12\r\n\
             NOTE:line one\\nline two\r\nEND:VCARD\r\n"
        );
    }

    #[test]
    fn n_carries_the_family_name_and_the_salutation_both_ways() {
        let card = Card {
            uid: Some("p-2".into()),
            name: "Carmen Peña Olmedo".into(),
            salutation: Some("Dra.".into()),
            family: Some("Peña Olmedo".into()),
            ..Card::default()
        };
        let mut out = String::new();
        write_card(&mut out, &card, Version::V3, None);
        assert!(
            out.contains("FN:Dra. Carmen Peña Olmedo\r\nN:Peña Olmedo;Carmen;;Dra.;\r\n"),
            "{out}"
        );
        let back = &parse(&out).expect("parses")[0];
        assert_eq!(
            (
                back.salutation.as_deref(),
                back.name.as_str(),
                back.family.as_deref()
            ),
            (Some("Dra."), "Carmen Peña Olmedo", Some("Peña Olmedo"))
        );
        // No family name given: the last word; no salutation: an empty prefix.
        let n = |name: &str, family: Option<&str>| structured_name(name, family, None);
        assert_eq!(n("Carmen Peña Olmedo", None), "Olmedo;Carmen Peña;;;");
        assert_eq!(n("王小明", Some("王")), "王;小明;;;");
        assert_eq!(n("Madonna", None), "Madonna;;;;");
        assert_eq!(n("Ana Puig", Some("Serra")), "Serra;Ana Puig;;;");
    }

    fn text() -> impl Strategy<Value = String> {
        // Printable text with the characters that need escaping; no leading/trailing blanks
        // (the reader trims) and no CR (a newline is written as \n).
        "[a-zA-Z0-9 ,;:\\\\\"áñüçß中文Ωé\n]{0,40}"
            .prop_map(|s| s.trim().replace("\n ", "\n"))
            .prop_filter("not blank", |s| !s.trim().is_empty() && s.trim() == s)
    }

    fn card() -> impl Strategy<Value = Card> {
        (
            "[a-z0-9-]{1,36}",
            // A name that starts with a salutation ("Dr x") is read back apart: its own test.
            text().prop_filter("no salutation", |n| {
                crate::domain::person_name::split_salutation(n).0.is_none()
            }),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(
                "[+0-9 ]{3,15}"
                    .prop_map(|s| s.trim().to_string())
                    .prop_filter("x", |s| !s.is_empty()),
            ),
            proptest::option::of("[a-z]{1,8}@[a-z]{1,8}\\.com"),
            proptest::option::of((proptest::option::of(1900..2030_i32), 1..=12_u32, 1..=28_u32)),
            proptest::option::of(text()),
            proptest::collection::vec(
                "[a-zA-Z0-9 ,;]{1,10}"
                    .prop_map(|s| s.trim().to_string())
                    .prop_filter("x", |s| !s.is_empty()),
                0..3,
            ),
        )
            .prop_map(
                |(uid, name, org, title, phone, email, bday, note, mut categories)| {
                    categories.dedup();
                    Card {
                        line: 1,
                        uid: Some(uid),
                        name,
                        org,
                        title,
                        phone,
                        email,
                        birthday: bday.map(|(year, month, day)| Birthday { year, month, day }),
                        note,
                        categories,
                        ..Card::default()
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn a_card_comes_back_as_written(card in card(), v4 in any::<bool>()) {
            let version = if v4 { Version::V4 } else { Version::V3 };
            let mut out = String::new();
            write_card(&mut out, &card, version, None);
            let back = parse(&out).expect("parses");
            prop_assert_eq!(back.len(), 1);
            let mut got = back[0].clone();
            got.notes.clear();
            // N's family part, derived from the name, is checked by its own test.
            got.family = None;
            let mut categories = card.categories.clone();
            let mut seen = std::collections::HashSet::new();
            categories.retain(|c| seen.insert(c.clone()));
            let want = Card { categories, ..card };
            prop_assert_eq!(got, want);
        }
    }
}
