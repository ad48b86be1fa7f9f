//! How a person is named and sorted (issue 14.7): the salutation ("Dra.", "Prof. Dr.", "Mrs")
//! is kept apart from the name, as vCard's N keeps its prefix, and people sort by family name.
//!
//! The family name is the one given (a vCard N family part, a CSV "Last Name", `--family-name`),
//! else the last word of the name. That is conservative on purpose: "Carmen Peña Olmedo" may be
//! Carmen with two surnames (Spanish) or Carmen Peña with a middle name, and nothing in the
//! text tells which; taking the last word never invents a surname, sorts most names right, and
//! the user (or an import that knows) sets the family name where it is wrong.
//!
//! A leading salutation is taken out of a name only when it is a known word
//! ([`SALUTATION_WORDS`], any ASCII case, with or without its dot) followed by a space and more
//! name: "Dr. House" is Dr. + House, "Dra Peña" Dra + Peña; "Drago Petrović", "Dr.House" and a
//! lone "Dr." stay names. At most three words are taken ("Prof. Dr. Müller"). The v21 migration
//! runs the same rule in SQL (its word list frozen there); `names_tests` checks they agree.

use super::{Invalid, Person, check_text};
use crate::text::fold;

/// The salutation words, lower case, without their last dot ("dr" also reads "Dr."). Words that
/// are also given names or initials are left out ("Don", "M.", "D.").
pub const SALUTATION_WORDS: &[&str] = &[
    "dr", "dra", "dres", "prof", "profa", "profª", "prof.ssa", "sr", "sra", "srta", "sres", "srª",
    "dña", "doña", "dª", "mr", "mrs", "ms", "mx", "miss", "mme", "mlle", "herr", "frau", "dott",
    "dott.ssa", "ing", "lic", "lcdo", "lcda", "sir", "dame", "hab",
];

/// Most words taken as a salutation from the front of a name.
const MAX_SALUTATION_WORDS: usize = 3;

/// Most characters of a salutation ("Prof. Dr. Dr. h.c." fits).
pub const MAX_SALUTATION_CHARS: usize = 40;

/// Separates the family name from the full name in a sort key: below every printable character,
/// so "Peña" sorts before "Peñalver".
const KEY_GAP: char = '\u{1f}';

/// Whether `word` is a salutation word ("Dra.", "dr", "MRS").
pub fn is_salutation_word(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let bare = lower.strip_suffix('.').unwrap_or(&lower);
    SALUTATION_WORDS.contains(&bare)
}

/// Splits a leading salutation off `name`: `("Dra.", "Carmen Peña")` from "Dra. Carmen Peña";
/// `None` and the name as it was when it starts with none. Nothing is lost: the salutation is
/// the words as written, joined by one space, and the rest is the name after them.
pub fn split_salutation(name: &str) -> (Option<String>, String) {
    let mut taken: Vec<&str> = Vec::new();
    let mut rest = name;
    while taken.len() < MAX_SALUTATION_WORDS {
        let Some((word, after)) = rest.split_once(' ') else {
            break;
        };
        let after = after.trim_start_matches(' ');
        if word.is_empty() || after.is_empty() || !is_salutation_word(word) {
            break;
        }
        taken.push(word);
        rest = after;
    }
    if taken.is_empty() {
        (None, name.to_string())
    } else {
        (Some(taken.join(" ")), rest.to_string())
    }
}

/// The family name a person sorts by: the one given when it is not blank, else the last word of
/// the name (the whole name when it is one word).
pub fn family_of<'a>(name: &'a str, family: Option<&'a str>) -> &'a str {
    if let Some(f) = family.map(str::trim).filter(|f| !f.is_empty()) {
        return f;
    }
    let name = name.trim();
    name.rsplit_once(char::is_whitespace)
        .map_or(name, |(_, last)| last)
}

/// The key people sort by: the folded family name, then the folded full name ("pena\u{1f}carmen
/// pena"), so two Peñas sort by their given names.
pub fn sort_key(name: &str, family: Option<&str>) -> String {
    format!("{}{KEY_GAP}{}", fold(family_of(name, family)), fold(name))
}

/// A person as addressed: "Dra. Carmen Peña", or the name alone.
pub fn addressed(salutation: Option<&str>, name: &str) -> String {
    match salutation.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => format!("{s} {name}"),
        None => name.to_string(),
    }
}

/// A salutation: a word or a few, on one line, at most [`MAX_SALUTATION_CHARS`] characters.
pub fn check_salutation(field: &str, text: &str) -> Result<(), Invalid> {
    check_text(field, text)?;
    if text.trim().is_empty() {
        return Err(Invalid::new(
            field,
            "is blank; give one such as \"Dra.\" or leave it out",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Invalid::new(
            field,
            "holds a line break or control character; give one line such as \"Prof. Dr.\"",
        ));
    }
    let chars = text.chars().count();
    if chars > MAX_SALUTATION_CHARS {
        return Err(Invalid::new(
            field,
            format!(
                "is {chars} characters long; a salutation is a word or two (at most \
                 {MAX_SALUTATION_CHARS}), such as \"Dra.\""
            ),
        ));
    }
    Ok(())
}

impl Person {
    /// The person as addressed: "Dra. Carmen Peña".
    pub fn addressed(&self) -> String {
        addressed(self.salutation.as_deref(), &self.name)
    }

    /// The family name they sort by (given, else the last word of the name).
    pub fn family(&self) -> &str {
        family_of(&self.name, self.family_name.as_deref())
    }

    /// The key they sort by ([`sort_key`]).
    pub fn sort_key(&self) -> String {
        sort_key(&self.name, self.family_name.as_deref())
    }

    /// A person without a salutation whose name starts with one gets it moved out of the name
    /// ("Dr. House" → Dr. + House); true when it did. One with a salutation keeps the name as
    /// given.
    pub fn settle_salutation(&mut self) -> bool {
        if self
            .salutation
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
        {
            return false;
        }
        match split_salutation(&self.name) {
            (Some(s), rest) => {
                self.salutation = Some(s);
                self.name = rest;
                true
            }
            (None, _) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(name: &str) -> (Option<&'static str>, String) {
        let (s, rest) = split_salutation(name);
        (s.map(|s| &*Box::leak(s.into_boxed_str())), rest)
    }

    #[test]
    fn a_known_word_and_a_space_is_a_salutation() {
        assert_eq!(split("Dr. House"), (Some("Dr."), "House".into()));
        assert_eq!(split("Dra Peña"), (Some("Dra"), "Peña".into()));
        assert_eq!(
            split("Dra. Carmen Peña Olmedo"),
            (Some("Dra."), "Carmen Peña Olmedo".into())
        );
        assert_eq!(split("MRS Smith"), (Some("MRS"), "Smith".into()));
        assert_eq!(
            split("Prof. Dr. Müller"),
            (Some("Prof. Dr."), "Müller".into())
        );
        assert_eq!(split("Doña  Elvira"), (Some("Doña"), "Elvira".into()));
        assert_eq!(
            split("dr hab. Piotr Nowak"),
            (Some("dr hab."), "Piotr Nowak".into())
        );
    }

    #[test]
    fn names_that_only_look_like_one_stay_whole() {
        for name in [
            "Drago Petrović",
            "Dr.House",
            "Dr.",
            "Dr. ",
            "Mr",
            "Don Johnson",
            "M. Dubois",
            "Sranan Tongo",
            " Dr. House",
            "Carmen Peña",
        ] {
            assert_eq!(split(name), (None, name.to_string()), "{name:?}");
        }
    }

    #[test]
    fn at_most_three_words_go_and_the_name_is_never_emptied() {
        assert_eq!(
            split("Sr. Prof. Dr. Dr. Müller"),
            (Some("Sr. Prof. Dr."), "Dr. Müller".into())
        );
        assert_eq!(split("Dr. Dr."), (Some("Dr."), "Dr.".into()));
    }

    #[test]
    fn nothing_is_lost_in_a_split() {
        for name in ["Dra. Carmen Peña", "Prof.  Dr. Müller", "Ms Lee", "Lee"] {
            let (s, rest) = split_salutation(name);
            let back = addressed(s.as_deref(), &rest);
            let squeeze = |t: &str| {
                t.split(' ')
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            };
            assert_eq!(squeeze(&back), squeeze(name));
        }
    }

    #[test]
    fn the_family_name_is_the_given_one_else_the_last_word() {
        assert_eq!(family_of("Carmen Peña Olmedo", None), "Olmedo");
        assert_eq!(
            family_of("Carmen Peña Olmedo", Some("Peña Olmedo")),
            "Peña Olmedo"
        );
        assert_eq!(family_of("Carmen Peña", Some("  ")), "Peña");
        assert_eq!(family_of("王小明", None), "王小明");
    }

    #[test]
    fn people_sort_by_family_then_full_name() {
        let mut names = [
            ("Zoe Peñalver", None),
            ("Carmen Peña Olmedo", Some("Peña Olmedo")),
            ("Ana Peña", None),
            ("Beatriz Álvarez", None),
            ("Hans Zimmer", None),
        ];
        names.sort_by_key(|(n, f)| sort_key(n, *f));
        let order: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
        assert_eq!(
            order,
            [
                "Beatriz Álvarez",
                "Ana Peña",
                "Carmen Peña Olmedo",
                "Zoe Peñalver",
                "Hans Zimmer"
            ]
        );
    }

    #[test]
    fn settling_moves_a_salutation_only_when_there_is_none() {
        let mut p = Person {
            name: "Dra. Carmen Peña".into(),
            ..Person::default()
        };
        assert!(p.settle_salutation());
        assert_eq!(
            (p.salutation.as_deref(), p.name.as_str()),
            (Some("Dra."), "Carmen Peña")
        );
        assert!(!p.settle_salutation());
        let mut q = Person {
            name: "Dr. Who".into(),
            salutation: Some("Sir".into()),
            ..Person::default()
        };
        assert!(!q.settle_salutation());
        assert_eq!(q.name, "Dr. Who");
    }

    #[test]
    fn a_salutation_is_a_short_line() {
        assert!(check_salutation("salutation", "Prof. Dr.").is_ok());
        for bad in ["", "  ", "Dr.\nHouse", &"x".repeat(41)] {
            let e = check_salutation("salutation", bad).expect_err(bad);
            assert!(e.to_string().contains("salutation"), "{e}");
        }
    }

    #[test]
    fn addressed_puts_the_salutation_first() {
        assert_eq!(addressed(Some("Dra."), "Carmen Peña"), "Dra. Carmen Peña");
        assert_eq!(addressed(Some(" "), "Carmen Peña"), "Carmen Peña");
        assert_eq!(addressed(None, "Carmen Peña"), "Carmen Peña");
    }
}
