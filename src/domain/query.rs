//! Reading what a user types into the search box or after `kam search`: words, `"phrases"`,
//! `word*` prefixes and the filters `account:`, `person:`, `kind:`, `before:`, `after:`. Pure:
//! no store, no clock; dates stay text until [`crate::search::find`] reads them with the date language.
//!
//! While typing, the last word is a prefix once it has [`MIN_PREFIX`] letters (before that it
//! is left out: "p*" would match most of a big notebook).
//!
//! Nothing typed is FTS5 syntax: `AND`, `OR`, `NOT`, `(`, `-`, `^`, `:` and stray quotes are
//! text. Each word is cut into the tokens FTS5's `unicode61` tokenizer would see (letters,
//! digits and combining marks; everything else separates) and handed over as a quoted phrase
//! ([`Term::fts`]), so a query can never be an FTS5 syntax error. Words are NFC-composed first
//! so that a typed `e` + combining accent folds like the precomposed letter the index holds.
//!
//! A word with a CJK character is matched as a substring of the indexed words (unicode61 does
//! not segment CJK, so "田中" is inside the single token "田中さんから"): [`Term::substring`].

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::domain::{InteractionKind, RecordKind, RecordRef, Vocabulary};

/// The kinds of record a search returns (`kind:` picks some).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HitKind {
    Account,
    Person,
    Interaction,
    FollowUp,
    Deal,
    Plan,
}

impl HitKind {
    pub const ALL: [HitKind; 6] = [
        HitKind::Account,
        HitKind::Person,
        HitKind::Interaction,
        HitKind::FollowUp,
        HitKind::Deal,
        HitKind::Plan,
    ];

    /// How a hit is named: `#a12`, `#p7`, `#i55`, `#f9`, `#d3`; a plan (no letter of its
    /// own) as `plan 4`.
    pub fn reference(self, id: i64) -> String {
        let kind = match self {
            HitKind::Account => RecordKind::Account,
            HitKind::Person => RecordKind::Person,
            HitKind::Interaction => RecordKind::Interaction,
            HitKind::FollowUp => RecordKind::FollowUp,
            HitKind::Deal => RecordKind::Deal,
            HitKind::Plan => return format!("plan {id}"),
        };
        RecordRef::of(kind, id).to_string()
    }

    /// The word used in output and in `kind:`.
    pub fn noun(self) -> &'static str {
        match self {
            HitKind::Account => "account",
            HitKind::Person => "person",
            HitKind::Interaction => "interaction",
            HitKind::FollowUp => "follow-up",
            HitKind::Deal => "deal",
            HitKind::Plan => "plan",
        }
    }
}

/// What `kind:` restricts to: a kind of record, or interactions of one kind (`kind:call`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    Record(HitKind),
    Interaction(InteractionKind),
}

impl KindFilter {
    /// Reads `account`, `people`, `note`, `followup`, `follow-up`... (case-insensitive).
    pub fn parse(word: &str) -> Option<Self> {
        let w = word.trim().to_lowercase().replace('_', "-");
        let record = match w.as_str() {
            "account" | "accounts" | "a" => HitKind::Account,
            "person" | "people" | "p" => HitKind::Person,
            "interaction" | "interactions" | "i" => HitKind::Interaction,
            "follow-up" | "followup" | "follow-ups" | "followups" | "f" => HitKind::FollowUp,
            "deal" | "deals" | "d" => HitKind::Deal,
            "plan" | "plans" => HitKind::Plan,
            _ => {
                let singular = w.strip_suffix('s').unwrap_or(&w);
                return InteractionKind::ALL
                    .iter()
                    .find(|k| k.as_str() == w || k.as_str() == singular)
                    .map(|k| KindFilter::Interaction(*k));
            }
        };
        Some(KindFilter::Record(record))
    }

    pub fn hit_kind(self) -> HitKind {
        match self {
            KindFilter::Record(k) => k,
            KindFilter::Interaction(_) => HitKind::Interaction,
        }
    }
}

/// The values `kind:` takes, for the error message.
pub fn kind_words() -> String {
    let mut words = vec![
        "account",
        "person",
        "interaction",
        "follow-up",
        "deal",
        "plan",
    ];
    words.extend(InteractionKind::ALL.iter().map(|k| k.as_str()));
    words.join(", ")
}

/// One thing to find: the tokens of a word or a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Tokens as typed (NFC), in order; FTS5 folds case and accents itself.
    pub tokens: Vec<String>,
    /// The last token is a prefix (`word*`, or the word being typed).
    pub prefix: bool,
}

impl Term {
    /// The term as an FTS5 phrase: `"tok1 tok2"`, with `*` when it is a prefix. Tokens hold
    /// only letters, digits and combining marks, so no quote or operator can be in them.
    pub fn fts(&self) -> String {
        let star = if self.prefix { "*" } else { "" };
        format!("\"{}\"{star}", self.tokens.join(" "))
    }

    /// How this term must be widened to the indexed words it means, when FTS5 alone cannot
    /// match it: a one-token term with a CJK character (found inside longer words), or in
    /// Greek or Cyrillic script (unicode61 folds neither tonos nor й/ё, so "ελενη" is compared
    /// to the indexed Greek words with [`crate::text::fold`]).
    pub fn expansion(&self) -> Option<Expansion<'_>> {
        let [one] = self.tokens.as_slice() else {
            return None;
        };
        if one.chars().any(is_cjk) {
            return Some(Expansion::Inside(one));
        }
        let script = SCRIPTS.iter().find(|(_, ranges)| {
            one.chars()
                .any(|c| ranges.iter().any(|(lo, hi)| (*lo..*hi).contains(&c)))
        });
        let key = crate::text::fold(one);
        let Some(script) = script else {
            // Latin and the rest: unicode61 folds case and marks as `fold` does, but keeps the
            // letters `fold` spells apart (ß, ł, ı...): look for indexed words holding them.
            let starts = starts_folded_apart(&key, self.prefix);
            if starts.is_empty() && key == one.to_lowercase() {
                return None;
            }
            return Some(Expansion::Apart {
                starts,
                key,
                prefix: self.prefix,
            });
        };
        Some(Expansion::Folded {
            ranges: first_letter_ranges(script.1, &key),
            key,
            prefix: self.prefix,
        })
    }
}

/// Where an indexed word folding to `key` (or, with `prefix`, to something starting with it)
/// can hold its first letter of [`crate::text::LETTERS_FOLDED_APART`]: the key's letters before
/// it, then that letter ("weissach": "weiß", "weı", "weissacħ"...). The index keeps those
/// letters (unicode61 has no decomposition for them), so such words start with one of these.
pub fn starts_folded_apart(key: &str, prefix: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (j, _) in key.char_indices() {
        let rest = &key[j..];
        for (letter, spelled) in crate::text::LETTERS_FOLDED_APART {
            if rest.starts_with(spelled) || (prefix && spelled.starts_with(rest)) {
                out.push(format!("{}{letter}", &key[..j]));
            }
        }
    }
    out
}

/// The code point ranges a word folding to `key` (or starting with it) can start in: every
/// character of the script `ranges` whose fold starts with the key's first letter ("е": е, ѐ,
/// ё; "α": α, ά, ἀ, ᾶ…) or folds to nothing (a sign before the letter), and that letter itself.
/// Consecutive characters make one range. Nothing for an empty key.
fn first_letter_ranges(ranges: &[(char, char)], key: &str) -> Vec<(char, char)> {
    let Some(first) = key.chars().next() else {
        return Vec::new();
    };
    let next = |c: char| {
        (u32::from(c) + 1..=u32::from(char::MAX))
            .find_map(char::from_u32)
            .unwrap_or(char::MAX)
    };
    let mut starts: Vec<char> = ranges
        .iter()
        .flat_map(|(lo, hi)| *lo..*hi)
        .filter(|c| {
            let f = crate::text::fold(&c.to_string());
            f.is_empty() || f.starts_with(first)
        })
        .collect();
    starts.push(first);
    starts.sort_unstable();
    starts.dedup();
    let mut out: Vec<(char, char)> = Vec::new();
    for c in starts {
        match out.last_mut() {
            Some(last) if last.1 == c => last.1 = next(c),
            _ => out.push((c, next(c))),
        }
    }
    out
}

/// How a term is widened to indexed words ([`Term::expansion`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expansion<'a> {
    /// Indexed words (starting with a CJK character) that contain this text.
    Inside(&'a str),
    /// Indexed words starting in one of `ranges` whose folded form is `key` (or starts with it);
    /// the ranges are those of the characters that can fold to the key's first letter.
    Folded {
        ranges: Vec<(char, char)>,
        key: String,
        prefix: bool,
    },
    /// Indexed words starting with one of `starts` ([`starts_folded_apart`]) whose folded form
    /// is `key` (or starts with it); the key itself is looked for too.
    Apart {
        starts: Vec<String>,
        key: String,
        prefix: bool,
    },
}

/// Scripts whose accents unicode61 keeps, with the code point ranges their words start in.
const SCRIPTS: [(&str, &[(char, char)]); 2] = [
    ("greek", &[('\u{370}', '\u{400}'), ('\u{1f00}', '\u{2000}')]),
    ("cyrillic", &[('\u{400}', '\u{530}')]),
];

/// A filter word that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("kind:{} is not a kind; use one of {}", crate::text::sanitize_line(.0), kind_words())]
    Kind(String),
    #[error("{0}: needs a value, e.g. {0}:\"Hospital Clínic\"")]
    Empty(&'static str),
    #[error(
        "the search has {0} words; at most {MAX_TERMS} are searched — keep the few that matter, e.g. contract renewal Ávila"
    )]
    TooManyWords(usize),
}

/// Words (and phrases) a search may have: every one more costs a pass over the others' hits,
/// so 2,000 pasted words took minutes (issue 11.18). Past this the search is refused, with the
/// count, before anything is read.
pub const MAX_TERMS: usize = 32;

/// A parsed search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
    /// `account:NAME` as written (resolved like a CLI target).
    pub account: Option<String>,
    /// `person:NAME` as written.
    pub person: Option<String>,
    /// `kind:` values (any of them).
    pub kinds: Vec<KindFilter>,
    /// `before:WHEN` as written: strictly before that day.
    pub before: Option<String>,
    /// `after:WHEN` as written: on that day or later.
    pub after: Option<String>,
}

impl Query {
    /// Whether there is anything to look for (filters alone find nothing: search is for text).
    pub fn has_terms(&self) -> bool {
        !self.terms.is_empty()
    }

    /// Whether records of `kind` can match the `kind:` filters.
    pub fn wants(&self, kind: HitKind) -> bool {
        self.kinds.is_empty() || self.kinds.iter().any(|k| k.hit_kind() == kind)
    }

    /// The interaction kinds asked for (empty: all of them, or interactions not asked at all).
    pub fn interaction_kinds(&self) -> Vec<InteractionKind> {
        if self
            .kinds
            .contains(&KindFilter::Record(HitKind::Interaction))
        {
            return Vec::new();
        }
        self.kinds
            .iter()
            .filter_map(|k| match k {
                KindFilter::Interaction(i) => Some(*i),
                KindFilter::Record(_) => None,
            })
            .collect()
    }
}

/// CJK ideographs, kana, hangul and their compatibility forms: scripts written without spaces
/// that unicode61 keeps as one token per run.
pub fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2e80}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff66}'..='\u{ff9f}'
        | '\u{20000}'..='\u{3ffff}')
}

/// The first character an indexed word with a CJK start can have: CJK words sort from here.
pub const CJK_FIRST: &str = "\u{2e80}";

/// The tokens unicode61 would make of `text` (NFC-composed, split at what is not a letter, a
/// digit or a combining mark).
fn tokens(text: &str) -> Vec<String> {
    let composed: String = text.nfc().collect();
    composed
        .split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c)))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// A piece of the input: a bare word or a quoted run, and whether it was quoted.
struct Piece {
    text: String,
    quoted: bool,
    /// The input ended right after it (no space): the word being typed.
    last: bool,
}

/// Splits at whitespace outside quotes; a quote opens and closes a quoted run anywhere in a
/// word (`account:"Hospital Clínic"` is one piece); an unclosed quote runs to the end.
fn pieces(input: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut quoted = false;
    let mut in_quote = false;
    let mut started = false;
    for c in input.chars() {
        if c == '"' {
            in_quote = !in_quote;
            quoted = true;
            started = true;
        } else if c.is_whitespace() && !in_quote {
            if started {
                out.push(Piece {
                    text: std::mem::take(&mut text),
                    quoted,
                    last: false,
                });
            }
            quoted = false;
            started = false;
        } else {
            text.push(c);
            started = true;
        }
    }
    if started {
        out.push(Piece {
            text,
            quoted,
            last: true,
        });
    }
    out
}

/// Letters the word being typed needs before it is searched as a prefix.
pub const MIN_PREFIX: usize = 3;

/// The filter keys a piece can start with.
const FILTERS: [&str; 5] = ["account", "person", "kind", "before", "after"];

/// Reads `input`. With `typing`, the last word (if nothing follows it, not even a space) is a
/// prefix, as in a search-as-you-type box; otherwise only `word*` is.
pub fn parse(input: &str, typing: bool) -> Result<Query, QueryError> {
    let mut q = Query::default();
    let mut salutations = Vec::new();
    let pieces = pieces(input);
    let words = pieces
        .iter()
        .filter(|p| !p.text.contains(':') && !tokens(&p.text).is_empty())
        .count();
    if words > MAX_TERMS {
        return Err(QueryError::TooManyWords(words));
    }
    for piece in pieces {
        let filter = piece.text.split_once(':').and_then(|(key, value)| {
            let key = key.to_lowercase();
            FILTERS
                .iter()
                .find(|f| **f == key)
                .map(|f| (*f, value.trim().to_string()))
        });
        if let Some((key, value)) = filter {
            if value.is_empty() {
                if typing && piece.last {
                    continue; // still being typed
                }
                return Err(QueryError::Empty(key));
            }
            match key {
                "account" => q.account = Some(value),
                "person" => q.person = Some(value),
                "before" => q.before = Some(value),
                "after" => q.after = Some(value),
                _ => {
                    let kind = KindFilter::parse(&value);
                    match kind {
                        Some(k) if !q.kinds.contains(&k) => q.kinds.push(k),
                        Some(_) => {}
                        None if typing && piece.last => {}
                        None => return Err(QueryError::Kind(value)),
                    }
                }
            }
            continue;
        }
        let star = !piece.quoted && piece.text.ends_with('*');
        let toks = tokens(&piece.text);
        if toks.is_empty() {
            continue;
        }
        let being_typed = typing && piece.last && !piece.quoted && !star;
        if being_typed && piece.text.chars().count() < MIN_PREFIX && !piece.text.chars().any(is_cjk)
        {
            // One or two letters would match most of a big notebook (and cost as much):
            // the word counts from its third letter.
            continue;
        }
        let prefix = star || being_typed;
        // "Dra. Peña", "Dr Ortega": a salutation before a name is how the KAM says it, not a
        // word the person's record holds; it is dropped below when other words remain. Only
        // written as one (a dot, or a capital then small letters) and before another word:
        // "MS relapse" (multiple sclerosis) and "don't miss" keep their words.
        if !piece.quoted
            && !star
            && !piece.last
            && written_as_salutation(&piece.text)
            && super::person_name::is_salutation_word(&piece.text)
        {
            salutations.push(Term {
                tokens: toks,
                prefix: false,
            });
            continue;
        }
        if piece.quoted {
            q.terms.push(Term {
                tokens: toks,
                prefix: false,
            });
        } else {
            // A bare word with punctuation inside ("o'brien", "h-2") is its tokens in a row.
            q.terms.push(Term {
                tokens: toks,
                prefix,
            });
        }
    }
    if q.terms.is_empty() {
        // Only a salutation ("Dr."): that is what is looked for.
        q.terms = salutations;
    }
    Ok(q)
}

/// "Dr.", "dra.", "Dr", "Mme": a dot at the end, or a capital followed by small letters only.
fn written_as_salutation(word: &str) -> bool {
    let mut chars = word.chars();
    word.ends_with('.')
        || (chars.next().is_some_and(char::is_uppercase) && !chars.any(char::is_uppercase))
}

/// The FTS5 expression for `terms`: every term must match (AND). `expand` gives, for a term
/// with an [`Expansion`], the indexed words it means; an empty list means the term matches
/// nothing here, and then `None` is returned.
pub fn fts_expression(
    terms: &[Term],
    mut expand: impl FnMut(&Expansion<'_>) -> Vec<String>,
) -> Option<String> {
    let mut parts = Vec::with_capacity(terms.len());
    for term in terms {
        let Some(expansion) = term.expansion() else {
            parts.push(term.fts());
            continue;
        };
        let mut words = expand(&expansion);
        let typed = term.tokens.join(" ");
        let mut stars = vec![typed.clone()];
        match &expansion {
            Expansion::Folded { .. } => {
                // As typed too: a word the index holds exactly but its script range missed.
                words.push(typed);
            }
            Expansion::Apart { key, .. } => {
                if words.is_empty() && key == &typed.to_lowercase() {
                    // No indexed word spells it apart: FTS5 alone matches it.
                    parts.push(term.fts());
                    continue;
                }
                // As typed, and folded ("weißach" finds "Weissach"); unicode61 folds the rest.
                words.retain(|w| w != &typed && w != key);
                if key != &typed.to_lowercase() {
                    words.push(key.clone());
                    stars.push(key.clone());
                }
                words.push(typed);
            }
            Expansion::Inside(_) => {}
        }
        if words.is_empty() {
            return None;
        }
        let star = |w: &String| {
            if term.prefix && stars.contains(w) {
                "*"
            } else {
                ""
            }
        };
        let any = words
            .iter()
            .map(|w| format!("\"{}\"{}", w.replace('"', "\"\""), star(w)))
            .collect::<Vec<_>>()
            .join(" OR ");
        parts.push(format!("({any})"));
    }
    (!parts.is_empty()).then(|| parts.join(" AND "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(q: &Query) -> Vec<String> {
        q.terms.iter().map(Term::fts).collect()
    }

    #[test]
    fn words_phrases_and_prefixes() {
        let q = parse("Núñez \"signed the contract\" tend*", false).unwrap();
        assert_eq!(
            words(&q),
            ["\"Núñez\"", "\"signed the contract\"", "\"tend\"*"]
        );
        // While typing, the last word is a prefix; after a space it is whole again.
        assert_eq!(
            words(&parse("nunez pay", true).unwrap()),
            ["\"nunez\"", "\"pay\"*"]
        );
        assert_eq!(
            words(&parse("nunez pay ", true).unwrap()),
            ["\"nunez\"", "\"pay\""]
        );
        assert_eq!(
            words(&parse("nunez pay", false).unwrap()),
            ["\"nunez\"", "\"pay\""]
        );
        // A combining accent is composed like the indexed text.
        assert_eq!(
            words(&parse("Nu\u{301}n\u{303}ez", false).unwrap()),
            ["\"Núñez\""]
        );
    }

    #[test]
    fn fts_syntax_typed_by_a_user_is_text() {
        for hostile in [
            "\"",
            "\"\"",
            "*",
            "-",
            "AND",
            "OR",
            "NOT",
            "(",
            ")",
            "a OR b",
            "NEAR(a b)",
            "^x",
            "col:x",
            "a\"b",
            "\"unclosed phrase",
            "* - ( ) \" ^",
            "x AND (y OR",
            "{a b}:c",
            "\u{0}\u{1b}[2J",
            "name : x",
        ] {
            for typing in [false, true] {
                let q = parse(hostile, typing).unwrap();
                for t in &q.terms {
                    assert!(!t.tokens.is_empty());
                    for tok in &t.tokens {
                        assert!(
                            tok.chars()
                                .all(|c| c.is_alphanumeric() || is_combining_mark(c)),
                            "{hostile:?} gave {tok:?}"
                        );
                    }
                }
            }
        }
        assert_eq!(
            words(&parse("a OR b", false).unwrap()),
            ["\"a\"", "\"OR\"", "\"b\""]
        );
        assert_eq!(words(&parse("o'brien", false).unwrap()), ["\"o brien\""]);
        assert!(parse("* - ( )", false).unwrap().terms.is_empty());
    }

    #[test]
    fn filters_take_quoted_values_and_unknown_keys_stay_text() {
        let q = parse(
            "tender account:\"Hospital Clínic\" person:ivan kind:call kind:deal after:-30d before:\"next mon\"",
            false,
        )
        .unwrap();
        assert_eq!(words(&q), ["\"tender\""]);
        assert_eq!(q.account.as_deref(), Some("Hospital Clínic"));
        assert_eq!(q.person.as_deref(), Some("ivan"));
        assert_eq!(
            q.kinds,
            [
                KindFilter::Interaction(InteractionKind::Call),
                KindFilter::Record(HitKind::Deal)
            ]
        );
        assert_eq!(q.after.as_deref(), Some("-30d"));
        assert_eq!(q.before.as_deref(), Some("next mon"));
        assert!(q.wants(HitKind::Deal) && q.wants(HitKind::Interaction));
        assert!(!q.wants(HitKind::Person));
        assert_eq!(q.interaction_kinds(), [InteractionKind::Call]);
        // Not a filter key: text (a time, a "re:" subject).
        assert_eq!(
            words(&parse("re:prices 10:30", false).unwrap()),
            ["\"re prices\"", "\"10 30\""]
        );
        assert_eq!(
            parse("kind:banana", false),
            Err(QueryError::Kind("banana".into()))
        );
        assert_eq!(
            parse("x account:", false),
            Err(QueryError::Empty("account"))
        );
        // Half-typed filters are ignored while typing.
        assert!(parse("x account:", true).is_ok());
        assert!(parse("x kind:me", true).unwrap().kinds.is_empty());
        assert_eq!(
            parse("KIND:Follow-Ups x", false).unwrap().kinds,
            [KindFilter::Record(HitKind::FollowUp)]
        );
        assert_eq!(
            parse("kind:notes x", false).unwrap().kinds,
            [KindFilter::Interaction(InteractionKind::Note)]
        );
    }

    #[test]
    fn cjk_words_are_substrings_and_expand_to_indexed_words() {
        let q = parse("田中 contract", false).unwrap();
        assert_eq!(q.terms[0].expansion(), Some(Expansion::Inside("田中")));
        // A Latin word is looked for under the letters fold spells apart (none indexed here).
        assert!(matches!(
            q.terms[1].expansion(),
            Some(Expansion::Apart { ref key, .. }) if key == "contract"
        ));
        let expr = fts_expression(&q.terms, |w| match w {
            Expansion::Inside(_) => {
                assert_eq!(w, &Expansion::Inside("田中"));
                vec!["田中".into(), "田中さん".into()]
            }
            _ => Vec::new(),
        });
        assert_eq!(
            expr.as_deref(),
            Some("(\"田中\" OR \"田中さん\") AND \"contract\"")
        );
        assert_eq!(fts_expression(&q.terms, |_| Vec::new()), None);
        // Greek and Cyrillic words are compared folded; as typed they always stay.
        let q = parse("Иван ελενη", true).unwrap();
        assert!(matches!(
            q.terms[1].expansion(),
            Some(Expansion::Folded { ref key, prefix: true, .. }) if key == "ελενη"
        ));
        assert_eq!(
            fts_expression(&q.terms, |e| match e {
                Expansion::Folded { key, .. } if key == "ελενη" => vec!["ελένη".into()],
                _ => Vec::new(),
            })
            .as_deref(),
            Some("(\"Иван\") AND (\"ελένη\" OR \"ελενη\"*)")
        );
        assert_eq!(fts_expression(&[], |_| Vec::new()), None);
    }

    #[test]
    fn latin_words_are_looked_for_under_the_letters_fold_spells_apart() {
        let starts = starts_folded_apart("weissach", false);
        for s in ["weiß", "weı", "ħ", "weissacħ", "weıssach"] {
            assert_eq!(
                starts.contains(&s.to_string()),
                s != "ħ" && s != "weıssach",
                "{s}"
            );
        }
        // While typing, a letter may be cut short: "weis" can be the start of "weiß…".
        assert!(starts_folded_apart("weis", true).contains(&"weiß".to_string()));
        assert!(!starts_folded_apart("weis", false).contains(&"weiß".to_string()));
        assert!(starts_folded_apart("2026", false).is_empty());
        // Found words join the word as typed and as folded.
        let q = parse("weissach Weißach 2026", false).unwrap();
        let expr = fts_expression(&q.terms, |e| match e {
            Expansion::Apart { key, .. } if key == "weissach" => vec!["weißach".into()],
            _ => Vec::new(),
        });
        assert_eq!(
            expr.as_deref(),
            Some(
                "(\"weißach\" OR \"weissach\") AND (\"weißach\" OR \"weissach\" OR \"Weißach\") AND \"2026\""
            )
        );
        // Typed with the letter, nothing else indexed: as typed and folded, prefix on both.
        let q = parse("straß", true).unwrap();
        assert_eq!(
            fts_expression(&q.terms, |_| Vec::new()).as_deref(),
            Some("(\"strass\"* OR \"straß\"*)")
        );
    }

    #[test]
    fn a_folded_word_is_looked_for_under_the_letters_that_fold_to_its_first() {
        let ranges = |typed: &str| match parse(typed, false).unwrap().terms[0].expansion() {
            Some(Expansion::Folded { ranges, .. }) => ranges,
            other => panic!("{other:?}"),
        };
        let holds = |r: &[(char, char)], c: char| r.iter().any(|(lo, hi)| (*lo..*hi).contains(&c));
        let e = ranges("Ёлка");
        for c in ['е', 'ё', 'ѐ', 'Е', 'Ё'] {
            assert!(holds(&e, c), "{c} {e:?}");
        }
        for c in ['а', 'ж', 'с', 'ф', 'я', 'и'] {
            assert!(!holds(&e, c), "{c} {e:?}");
        }
        let i = ranges("йод");
        for c in ['и', 'й', 'ѝ'] {
            assert!(holds(&i, c), "{c} {i:?}");
        }
        assert!(!holds(&i, 'к'));
        let alpha = ranges("ελενη");
        for c in ['ε', 'έ', 'ἐ', 'ἔ', 'ὲ', 'Ε', 'Έ'] {
            assert!(holds(&alpha, c), "{c} {alpha:?}");
        }
        assert!(!holds(&alpha, 'α') && !holds(&alpha, 'λ'));
        // A handful of small ranges, not the whole script.
        let span: u32 = e
            .iter()
            .map(|(lo, hi)| u32::from(*hi) - u32::from(*lo))
            .sum();
        assert!(span < 24, "{e:?}");
    }

    #[test]
    fn a_salutation_before_a_name_is_not_a_word_to_find() {
        let words = |input: &str, typing: bool| -> Vec<String> {
            parse(input, typing)
                .unwrap()
                .terms
                .iter()
                .map(|t| t.tokens.join(" "))
                .collect()
        };
        assert_eq!(words("Dra. Peña", false), ["Peña"]);
        assert_eq!(words("Dr Ortega tender", false), ["Ortega", "tender"]);
        assert_eq!(words("Dra. Peña", true), ["Peña"]);
        // Alone, or quoted, or a word being typed that may be a name ("Drago"), it is kept.
        assert_eq!(words("Dr.", false), ["Dr"]);
        assert_eq!(words("\"Dr. Peña\"", false), ["Dr Peña"]);
        assert_eq!(words("Peña dra", true), ["Peña", "dra"]);
        assert_eq!(words("Drago Petrović", false), ["Drago", "Petrović"]);
        // Words that only look like one: all capitals, or small letters without a dot.
        assert_eq!(words("MS relapse", false), ["MS", "relapse"]);
        assert_eq!(
            words("don't miss tender", false),
            ["don t", "miss", "tender"]
        );
        assert_eq!(words("dra. peña", false), ["peña"]);
    }
}

#[cfg(test)]
mod cap_tests {
    use super::*;

    #[test]
    fn a_pasted_page_of_words_is_refused_with_the_count_and_the_cap() {
        let page = vec!["contract"; 2000].join(" ");
        let err = parse(&page, true).unwrap_err();
        assert_eq!(err, QueryError::TooManyWords(2000));
        let text = err.to_string();
        assert!(
            text.contains("2000 words") && text.contains("at most 32"),
            "{text}"
        );
        // The cap itself and filters beside it are fine.
        let most = vec!["word"; MAX_TERMS].join(" ") + " kind:call after:-30d";
        assert_eq!(parse(&most, true).unwrap().terms.len(), MAX_TERMS);
    }
}

/// A field the accounts and people lists filter on: `stage:loyal city:madrid` in the TUI's
/// list filter, `--stage loyal --city madrid` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListField {
    /// The record's stage (a person's relationship stage, an account's KAM stage).
    Stage,
    /// A person's buying role.
    Role,
    /// A person's influence, at least this.
    Influence,
    /// An account's tier.
    Tier,
    /// One of the record's tags.
    Tag,
    /// The account's territory (a person's: their account's).
    Territory,
    /// The account's city (a person's: their account's).
    City,
    /// A person's account, by the start of its name.
    Account,
}

impl ListField {
    /// The word before the colon.
    pub fn word(self) -> &'static str {
        match self {
            ListField::Stage => "stage",
            ListField::Role => "role",
            ListField::Influence => "influence",
            ListField::Tier => "tier",
            ListField::Tag => "tag",
            ListField::Territory => "territory",
            ListField::City => "city",
            ListField::Account => "account",
        }
    }

    const ALL: [ListField; 8] = [
        ListField::Stage,
        ListField::Role,
        ListField::Influence,
        ListField::Tier,
        ListField::Tag,
        ListField::Territory,
        ListField::City,
        ListField::Account,
    ];
}

/// A list filter as typed: the words matched against names, and the `field:value` filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListFilter {
    /// The rest, for the name match.
    pub words: String,
    pub fields: Vec<(ListField, String)>,
}

/// Reads `stage:loyal city:madrid ana` (a value with spaces in quotes: `territory:"Costa
/// Norte"`); a word with an unknown field, or with nothing after the colon, stays a word.
pub fn list_filter(input: &str) -> ListFilter {
    let mut out = ListFilter::default();
    let mut words: Vec<String> = Vec::new();
    let mut rest = input.trim_start();
    while !rest.is_empty() {
        let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        let token = &rest[..token_end];
        let field = token.split_once(':').and_then(|(name, _)| {
            ListField::ALL
                .into_iter()
                .find(|f| f.word().eq_ignore_ascii_case(name))
        });
        let (value, used) = match (field, token.split_once(':')) {
            (Some(_), Some((name, after))) if after.starts_with('"') => {
                let start = name.len() + 2;
                match rest[start..].find('"') {
                    Some(end) => (rest[start..start + end].trim().to_string(), start + end + 1),
                    None => (rest[start..].trim().to_string(), rest.len()),
                }
            }
            (Some(_), Some((_, after))) => (after.to_string(), token_end),
            _ => (String::new(), token_end),
        };
        match field {
            Some(f) if !value.is_empty() => out.fields.push((f, value)),
            _ => words.push(token.to_string()),
        }
        rest = rest[used..].trim_start();
    }
    out.words = words.join(" ");
    out
}

#[cfg(test)]
mod list_filter_tests {
    use super::*;

    #[test]
    fn fields_are_read_and_the_rest_is_the_name() {
        let f = list_filter("stage:loyal  ana City:madrid territory:\"Costa Norte\" tag:kol");
        assert_eq!(f.words, "ana");
        assert_eq!(
            f.fields,
            [
                (ListField::Stage, "loyal".to_string()),
                (ListField::City, "madrid".to_string()),
                (ListField::Territory, "Costa Norte".to_string()),
                (ListField::Tag, "kol".to_string()),
            ]
        );
        // Unknown fields and empty values stay words; an open quote takes the rest.
        let f = list_filter("color:red stage: influence:4 territory:\"Iberia");
        assert_eq!(f.words, "color:red stage:");
        assert_eq!(
            f.fields,
            [
                (ListField::Influence, "4".to_string()),
                (ListField::Territory, "Iberia".to_string())
            ]
        );
        assert_eq!(list_filter(""), ListFilter::default());
    }
}
