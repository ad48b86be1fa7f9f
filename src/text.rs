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

/// Characters that must never reach a terminal as themselves (`\n` and `\t` only when
/// `keep_newlines` is false).
pub fn is_unsafe(c: char, keep_newlines: bool) -> bool {
    match c {
        '\n' | '\t' => !keep_newlines,
        // C0, DEL and C1 controls; bidi embeddings, overrides, isolates and marks (they reorder
        // what follows); invisible characters that hide or fake text (ZWJ and ZWNJ stay: scripts
        // and emoji need them).
        '\u{0}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
        | '\u{200b}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{2060}'
        | '\u{feff}' => true,
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
    if !s.chars().any(|c| is_unsafe(c, keep_newlines)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c, keep_newlines) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Multi-line text for display: newlines and tabs kept, every other control shown escaped.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    clean(s, true)
}

/// One-line text for display (a name, a title, a table cell): newlines and tabs escaped too.
pub fn sanitize_line(s: &str) -> Cow<'_, str> {
    clean(s, false)
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
