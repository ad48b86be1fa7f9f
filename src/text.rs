//! Text between the notebook and the terminal.
//!
//! [`sanitize`] / [`sanitize_line`] are the one gate every human-facing output goes through (CLI
//! text, error messages that echo input, the TUI): control characters and escape sequences from
//! data are shown escaped (`\x1b`, `\u{202e}`), never sent to the terminal. Machine formats (JSON,
//! CSV...) keep exact data and do not use it. [`fold`] is the accent- and case-insensitive key
//! used to match names ("ivan" finds "Iván"). [`fit`] pads or cuts to a display width without
//! splitting a grapheme, so CJK and emoji keep columns aligned.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Default_Ignorable_Code_Point, complete, from Unicode 16.0 `DerivedCoreProperties.txt`
/// (checked against the regex crate's copy of the same data in the tests). Every one of them is
/// invisible: it can hide text inside a word or smuggle text past a reader.
const DEFAULT_IGNORABLE: &[(char, char)] = &[
    ('\u{ad}', '\u{ad}'),
    ('\u{34f}', '\u{34f}'),
    ('\u{61c}', '\u{61c}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff0}', '\u{fff8}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

/// Whether `c` is a Default_Ignorable_Code_Point.
pub fn is_default_ignorable(c: char) -> bool {
    c >= '\u{ad}'
        && DEFAULT_IGNORABLE
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    std::cmp::Ordering::Less
                } else if lo > c {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
}

/// The default-ignorable characters correct text needs in some places, so the sanitizer judges
/// them by their neighbours ([`clean`]): ZWNJ and ZWJ (Persian and Indic words, emoji
/// sequences), VS15/VS16 (text or emoji presentation of an emoji), and the tag characters of a
/// subdivision flag (🏴 + `gbsct` + cancel tag = the flag of Scotland).
fn is_contextual(c: char) -> bool {
    matches!(
        c,
        '\u{200c}' | '\u{200d}' | '\u{fe0e}' | '\u{fe0f}' | '\u{e0020}'..='\u{e007f}'
    )
}

/// Characters that must never reach a terminal as themselves (`\n` and `\t` only when
/// `keep_newlines` is false): C0, DEL and C1 controls, the line and paragraph separators, the
/// interlinear annotation characters, and
/// every Default_Ignorable_Code_Point — bidi controls (they reorder what follows) and invisible
/// characters (they hide or fake text) — but the few [`is_contextual`] ones, which the sanitizer
/// keeps only where text needs them.
pub fn is_unsafe(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        // Interlinear annotation anchors are not default ignorable but hide text all the same.
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{fff9}'..='\u{fffb}' => true,
        _ => is_default_ignorable(c) && !is_contextual(c),
    }
}

/// A character that shows as an emoji or a symbol: not a letter, digit, space, mark or
/// invisible character, from the symbol blocks on (or © and ®).
fn is_symbol(c: char) -> bool {
    (u32::from(c) >= 0x2000 || c == '©' || c == '®')
        && !c.is_alphanumeric()
        && !c.is_whitespace()
        && !is_combining_mark(c)
        && !is_default_ignorable(c)
        && !is_unsafe(c, true)
}

/// A letter or mark of a script whose words need ZWNJ and ZWJ to be spelled right: Arabic
/// (Persian, Urdu, Kurdish), Syriac, Thaana, N'Ko, the Indic scripts from Devanagari to
/// Sinhala, Tibetan, Myanmar, Khmer, and Arabic presentation forms. Latin, Greek and Cyrillic
/// never need them, so there they can only hide something ("ad\u{200c}min").
fn is_joining_script(c: char) -> bool {
    let code = u32::from(c);
    (c.is_alphabetic() || is_combining_mark(c))
        && matches!(code, 0x0600..=0x0dff | 0x0f00..=0x109f | 0x1780..=0x17ff | 0xfb50..=0xfdff | 0xfe70..=0xfefc)
}

/// How many characters from `at` (a tag character) form the tag sequence of a subdivision flag
/// after 🏴: 2 to 6 tag letters or digits, then CANCEL TAG. `None` when they do not.
fn flag_tags(chars: &[char], at: usize) -> Option<usize> {
    if at == 0 || chars[at - 1] != '\u{1f3f4}' {
        return None;
    }
    let spec = chars[at..]
        .iter()
        .take_while(|&&c| matches!(c, '\u{e0030}'..='\u{e0039}' | '\u{e0061}'..='\u{e007a}'))
        .count();
    ((2..=6).contains(&spec) && chars.get(at + spec) == Some(&'\u{e007f}')).then_some(spec + 1)
}

/// Whether the contextual character at `at` is where correct text needs it: ZWJ between two
/// emoji (a VS16 or skin tone may follow the first), ZWNJ or ZWJ between letters of a joining
/// script, VS15/VS16 after an emoji or in a keycap (`1` VS16 U+20E3).
fn needed_here(chars: &[char], at: usize) -> bool {
    let prev = at.checked_sub(1).map(|i| chars[i]);
    let next = chars.get(at + 1).copied();
    let joins_letters = prev.is_some_and(is_joining_script) && next.is_some_and(is_joining_script);
    match chars[at] {
        '\u{200c}' => joins_letters,
        '\u{200d}' => {
            let emoji_before = match prev {
                Some('\u{fe0f}') => at >= 2 && is_symbol(chars[at - 2]),
                Some(p) => is_symbol(p),
                None => false,
            };
            joins_letters || (emoji_before && next.is_some_and(is_symbol))
        }
        '\u{fe0e}' | '\u{fe0f}' => {
            prev.is_some_and(is_symbol)
                || (prev.is_some_and(|p| p.is_ascii_digit() || p == '#' || p == '*')
                    && next == Some('\u{20e3}'))
        }
        _ => false,
    }
}

fn escape_into(out: &mut String, c: char) {
    let code = u32::from(c);
    if code < 0x100 {
        let _ = write!(out, "\\x{code:02x}");
    } else {
        let _ = write!(out, "\\u{{{code:04x}}}");
    }
}

fn clean(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    // Printable ASCII is neither unsafe nor contextual: most characters of most text, passed
    // without the Unicode tables (`kam agenda` at L checks some 26,000 characters).
    if !s.chars().any(|c| {
        !(c == ' ' || c.is_ascii_graphic()) && (is_unsafe(c, keep_newlines) || is_contextual(c))
    }) {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut changed = false;
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if is_contextual(c) {
            if let Some(n) = flag_tags(&chars, at) {
                out.extend(&chars[at..at + n]);
                at += n;
                continue;
            }
        }
        if is_unsafe(c, keep_newlines) || (is_contextual(c) && !needed_here(&chars, at)) {
            escape_into(&mut out, c);
            changed = true;
        } else {
            out.push(c);
        }
        at += 1;
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// Multi-line text for display: newlines and tabs kept, every other control shown escaped.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// One-line text for display (a name, a title, a table cell): newlines and tabs escaped too.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    clean(s, false)
}

/// `n` and a noun in the right number: `count(1, "account", "accounts")` is "1 account",
/// `count(30, ...)` "30 accounts", 0 takes the plural. Every message that counts goes through it.
pub fn count<N: Copy + std::fmt::Display + TryInto<i128>>(n: N, one: &str, many: &str) -> String {
    let single = n.try_into().ok() == Some(1);
    format!("{n} {}", if single { one } else { many })
}

/// `n` records of a kind named in the singular as the file formats name it ("account",
/// "person", "followup", "stage_change"), in words: "1 account", "2 people", "3 follow-ups".
pub fn count_kind<N: Copy + std::fmt::Display + TryInto<i128>>(n: N, kind: &str) -> String {
    let (one, many) = match kind {
        "person" => ("person".to_string(), "people".to_string()),
        "followup" => ("follow-up".to_string(), "follow-ups".to_string()),
        "deal_person" => (
            "person on a deal".to_string(),
            "people on deals".to_string(),
        ),
        "product_status" => ("product status".to_string(), "product statuses".to_string()),
        "sales" => ("month of sales".to_string(), "months of sales".to_string()),
        other => {
            let one = other.replace('_', " ");
            let many = format!("{one}s");
            (one, many)
        }
    };
    count(n, &one, &many)
}

/// Lower-case Latin letters that have no decomposition to strip a mark from, with the letters
/// they are matched as: "weissach" finds "Weißach", "lukasz" "Łukasz", "yilmaz" "Yılmaz".
/// Other scripts are not transliterated (Cyrillic, Greek and CJK fold for case and marks only).
/// `ĳ` decomposes already; it is listed for the search index, which keeps it whole.
pub const LETTERS_FOLDED_APART: &[(char, &str)] = &[
    ('ß', "ss"),
    ('æ', "ae"),
    ('œ', "oe"),
    ('ø', "o"),
    ('ł', "l"),
    ('ŀ', "l"),
    ('ı', "i"),
    ('ɨ', "i"),
    ('đ', "d"),
    ('ð', "d"),
    ('þ', "th"),
    ('ħ', "h"),
    ('ŧ', "t"),
    ('ƀ', "b"),
    ('ĳ', "ij"),
];

/// The matching key of a name: compatibility-decomposed, marks removed, lower-case, the
/// [`LETTERS_FOLDED_APART`] spelled as their base letters, words separated by single spaces,
/// punctuation dropped. "Dr. Nuño  Peña" → "dr nuno pena", "Weißach" → "weissach". The one
/// fold of the notebook: name keys, targets, list filters and search all use it.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    // `ŀ` (Catalan) decomposes to `l` and a middle dot, which would split the word: it is
    // taken as `l` before decomposing.
    let letters = s
        .chars()
        .map(|c| if matches!(c, 'ŀ' | 'Ŀ') { 'l' } else { c })
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase);
    for c in letters {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            match LETTERS_FOLDED_APART.iter().find(|(from, _)| *from == c) {
                Some((_, to)) => out.push_str(to),
                None => out.push(c),
            }
        } else {
            // Spaces, punctuation, symbols and emoji separate words but are not matched on.
            gap = true;
        }
    }
    out
}

/// Display width in terminal cells.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `cells` terminal cells, ending in `…` when cut; never splits a grapheme.
pub fn truncate(s: &str, cells: usize) -> Cow<'_, str> {
    if width(s) <= cells {
        return Cow::Borrowed(s);
    }
    if cells == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    for g in s.graphemes(true) {
        let w = width(g);
        if used + w > cells - 1 {
            break;
        }
        used += w;
        out.push_str(g);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` truncated and padded with spaces to exactly `cells` cells.
pub fn fit(s: &str, cells: usize) -> String {
    let cut = truncate(s, cells);
    let pad = cells.saturating_sub(width(&cut));
    let mut out = cut.into_owned();
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_kinds_are_counted_in_words() {
        assert_eq!(count_kind(2, "person"), "2 people");
        assert_eq!(count_kind(1, "sales"), "1 month of sales");
        assert_eq!(count_kind(3, "sales"), "3 months of sales");
        assert_eq!(count_kind(2, "deal_person"), "2 people on deals");
        assert_eq!(count_kind(2, "product_status"), "2 product statuses");
        assert_eq!(count_kind(2, "stage_change"), "2 stage changes");
    }

    const PAYLOADS: &[&str] = &[
        "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}",
        "\u{1b}]0;pwned\u{7}",
        "\u{1b}]8;;http://evil\u{1b}\\link\u{1b}]8;;\u{1b}\\",
        "\u{1b}[2J",
        "\u{1b}[6n",
        "bell\u{7}",
        "over\rwrite",
        "back\u{8}space",
        "\u{9b}31m",
        "abc\u{202e}fed",
        "zero\u{200b}width",
    ];

    #[test]
    fn no_payload_survives() {
        for p in PAYLOADS {
            for out in [sanitize(p), sanitize_line(p)] {
                assert!(
                    !out.chars().any(|c| is_unsafe(c, true)),
                    "{p:?} became {out:?}"
                );
            }
        }
        assert_eq!(sanitize("\u{1b}[2J"), "\\x1b[2J");
        assert_eq!(sanitize_line("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(sanitize("two\nlines"), "two\nlines");
        assert_eq!(sanitize_line("two\nlines"), "two\\x0alines");
    }

    /// `clean` passes printable ASCII without asking the tables: it must be safe there.
    #[test]
    fn printable_ascii_is_neither_unsafe_nor_contextual() {
        for c in (' '..='~').chain(['\n', '\t']) {
            let printable = c == ' ' || c.is_ascii_graphic();
            assert!(!is_contextual(c), "{c:?}");
            assert_eq!(is_unsafe(c, false), !printable, "{c:?}");
        }
        assert_eq!(
            sanitize_line("Call Ana re: invoice #7 ~ 50%"),
            "Call Ana re: invoice #7 ~ 50%"
        );
        assert_eq!(sanitize_line("tab\there"), "tab\\x09here");
    }

    #[test]
    fn every_default_ignorable_code_point_is_known() {
        let property = regex::Regex::new(r"^\p{Default_Ignorable_Code_Point}$").unwrap();
        let mut buf = [0u8; 4];
        for c in (0..=0x10_ffff).filter_map(char::from_u32) {
            assert_eq!(
                is_default_ignorable(c),
                property.is_match(c.encode_utf8(&mut buf)),
                "U+{:04X}",
                u32::from(c)
            );
            if is_default_ignorable(c) && !is_contextual(c) {
                assert!(is_unsafe(c, true), "U+{:04X}", u32::from(c));
            }
        }
    }

    #[test]
    fn invisible_characters_are_shown_escaped() {
        for c in [
            '\u{ad}',
            '\u{34f}',
            '\u{115f}',
            '\u{1160}',
            '\u{17b4}',
            '\u{17b5}',
            '\u{180e}',
            '\u{2061}',
            '\u{206f}',
            '\u{3164}',
            '\u{ffa0}',
            '\u{1d173}',
            '\u{1d17a}',
            '\u{e0001}',
            '\u{e0041}',
            '\u{e007f}',
            '\u{e0100}',
            '\u{e01ef}',
            '\u{fe00}',
        ] {
            let s = format!("a{c}b");
            assert_eq!(
                sanitize_line(&s),
                if u32::from(c) < 0x100 {
                    format!("a\\x{:02x}b", u32::from(c))
                } else {
                    format!("a\\u{{{:04x}}}b", u32::from(c))
                },
                "U+{:04X}",
                u32::from(c)
            );
        }
        // U+FFF9–U+FFFB (interlinear annotation) are format characters, not default ignorable
        // by the property, but they hide text all the same: escaped as the rest.
        assert_eq!(sanitize_line("a\u{fff9}b"), "a\\u{fff9}b");
    }

    #[test]
    fn joiners_and_selectors_stay_only_where_text_needs_them() {
        for kept in [
            "👨\u{200d}👩\u{200d}👧",
            "❤\u{fe0f}",
            "❤\u{fe0f}\u{200d}🔥",
            "☎\u{fe0e}",
            "1\u{fe0f}\u{20e3}",
            "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}",
            "می\u{200c}خواهم",
            "क्\u{200d}ष",
            "क्\u{200c}ष",
        ] {
            assert!(matches!(sanitize_line(kept), Cow::Borrowed(_)), "{kept:?}");
        }
        for (raw, shown) in [
            ("pay\u{200d}pal", "pay\\u{200d}pal"),
            ("ad\u{200c}min", "ad\\u{200c}min"),
            ("x\u{fe0f}", "x\\u{fe0f}"),
            ("\u{200d}👩", "\\u{200d}👩"),
            ("👩\u{200d}", "👩\\u{200d}"),
            ("👩\u{200d}\u{200d}👩", "👩\\u{200d}\\u{200d}👩"),
            ("a\u{e0067}\u{e007f}", "a\\u{e0067}\\u{e007f}"),
            ("🏴\u{e0067}", "🏴\\u{e0067}"),
            (
                "🏴\u{e0041}\u{e0042}\u{e007f}",
                "🏴\\u{e0041}\\u{e0042}\\u{e007f}",
            ),
        ] {
            assert_eq!(sanitize_line(raw), shown, "{raw:?}");
        }
    }

    #[test]
    fn safe_text_is_borrowed_untouched() {
        for s in [
            "Iván Grigóriev",
            "田中 太郎",
            "👨‍👩‍👧 family",
            "محمد",
            "e\u{301}",
        ] {
            assert!(matches!(sanitize_line(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn folding_matches_accents_case_and_punctuation() {
        assert_eq!(fold("Dr. Nuño  Peña"), "dr nuno pena");
        assert_eq!(fold("IVÁN"), "ivan");
        assert_eq!(fold("Иван Григорьев"), "иван григорьев");
        assert_eq!(fold("Öztürk Lojistik A.Ş."), "ozturk lojistik a s");
        assert_eq!(fold("O'Brien"), "o brien");
    }

    #[test]
    fn letters_without_a_decomposition_fold_to_their_base_letters() {
        assert_eq!(fold("Weißach"), "weissach");
        assert_eq!(fold("STRAẞE"), "strasse");
        assert_eq!(fold("Łukasz Łódź"), "lukasz lodz");
        assert_eq!(fold("Yılmaz İnce"), "yilmaz ince");
        assert_eq!(fold("Søren Ærø"), "soren aero");
        assert_eq!(fold("Œuvre cœur"), "oeuvre coeur");
        assert_eq!(fold("Đorđe Ðuro"), "dorde duro");
        assert_eq!(fold("Þór Ħal"), "thor hal");
        assert_eq!(fold("Paŀla Ŀ"), "palla l");
        assert_eq!(fold("Ĳssel"), "ijssel");
        // Other scripts keep their letters: case and marks only.
        assert_eq!(fold("Ёлка Ελένη 山田太郎"), "елка ελενη 山田太郎");
        assert_eq!(fold("Straße"), fold("STRASSE"));
        // Each listed letter is lower-case and folds to plain ASCII letters.
        for (from, to) in LETTERS_FOLDED_APART {
            assert_eq!(from.to_lowercase().to_string(), from.to_string());
            assert!(to.chars().all(|c| c.is_ascii_lowercase()), "{from}");
            assert_eq!(fold(&from.to_string()), *to);
        }
    }

    #[test]
    fn truncation_respects_wide_graphemes() {
        assert_eq!(truncate("山田太郎", 5), "山田…");
        assert_eq!(width(&fit("山田太郎", 5)), 5);
        assert_eq!(fit("👨‍👩‍👧abc", 3), "👨‍👩‍👧…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(truncate("e\u{301}e\u{301}e\u{301}", 2), "e\u{301}…");
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        /// Text heavy in what a terminal must never receive, mixed with wide and combining text.
        const HOSTILE: &str = "[\\x00-\\x1f\\x7f-\\u{9f}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{feff}a-z \\[\\];山田👨\\u{200d}\\u{301}]{0,60}";

        fn no_control(out: &str, keep_newlines: bool) -> bool {
            out.chars().all(|c| {
                !is_unsafe(c, keep_newlines)
                    && (!c.is_control() || (keep_newlines && (c == '\n' || c == '\t')))
            })
        }

        proptest! {
            #[test]
            fn sanitize_never_emits_a_control_character(s in HOSTILE, any in any::<String>()) {
                for text in [&s, &any] {
                    prop_assert!(no_control(&sanitize(text), true), "{:?}", sanitize(text));
                    prop_assert!(no_control(&sanitize_line(text), false), "{:?}", sanitize_line(text));
                    // Sanitizing twice changes nothing more: the escapes are plain text.
                    let once = sanitize_line(text).into_owned();
                    prop_assert_eq!(sanitize_line(&once), once.as_str());
                }
            }

            #[test]
            fn safe_text_passes_unchanged(s in "[a-zA-Z0-9 .,'山田Ελένηمحمد\\u{301}-]{0,40}") {
                prop_assert_eq!(sanitize_line(&s), s.as_str());
            }

            #[test]
            fn fit_gives_exactly_the_cells_asked(s in HOSTILE, cells in 0usize..30) {
                let line = sanitize_line(&s);
                let fitted = fit(&line, cells);
                prop_assert_eq!(width(&fitted), cells, "{:?}", fitted);
            }
        }
    }
}
