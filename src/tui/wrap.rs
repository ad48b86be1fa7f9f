//! Wrapping text to a width in terminal cells, for the popups: words stay whole when they fit,
//! a word wider than the line is cut between graphemes, every line of the text is kept (an
//! empty line stays an empty line). Nothing is ever cut off: what does not fit on one line goes
//! on the next. The text is sanitized first (no control sequence from data reaches the screen).

use unicode_segmentation::UnicodeSegmentation;

use crate::text::{sanitize, width};

/// `text` wrapped to lines of at most `cells` cells (at least one line, maybe empty).
pub fn wrap(text: &str, cells: usize) -> Vec<String> {
    let cells = cells.max(1);
    let clean = sanitize(text);
    let mut out = Vec::new();
    for line in clean.split('\n') {
        wrap_line(line.trim_end_matches('\r'), cells, &mut out);
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

fn wrap_line(line: &str, cells: usize, out: &mut Vec<String>) {
    let mut current = String::new();
    let mut used = 0;
    // Words with the spaces before them: the spaces at a break are dropped. Punctuation
    // stays with its word ("today," never breaks before its comma).
    let mut words: Vec<&str> = Vec::new();
    let mut word: Option<usize> = None;
    for (at, piece) in line.split_word_bound_indices() {
        if piece.trim().is_empty() {
            if let Some(from) = word.take() {
                words.push(&line[from..at]);
            }
            words.push(piece);
        } else if word.is_none() {
            word = Some(at);
        }
    }
    if let Some(from) = word {
        words.push(&line[from..]);
    }
    for word in words {
        let w = width(word);
        if used + w <= cells {
            current.push_str(word);
            used += w;
            continue;
        }
        if word.trim().is_empty() {
            // A space at the end of a full line: the break.
            out.push(std::mem::take(&mut current));
            used = 0;
            continue;
        }
        if w <= cells {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            current.push_str(word);
            used = w;
            continue;
        }
        // A word wider than a line: cut between graphemes.
        for g in word.graphemes(true) {
            let gw = width(g);
            if used + gw > cells && !current.is_empty() {
                out.push(std::mem::take(&mut current));
                used = 0;
            }
            current.push_str(g);
            used += gw;
        }
    }
    out.push(current);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punctuation_stays_with_its_word() {
        let lines = wrap("write e.g. today, tomorrow 10:00", 16);
        let lines: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
        assert_eq!(lines, vec!["write e.g.", "today, tomorrow", "10:00"]);
    }

    #[test]
    fn words_stay_whole_and_nothing_is_lost() {
        let text = "Hija Lucía empieza la universidad en septiembre; le gusta el pádel";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(
            lines.join(" ").split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        assert!(lines.len() >= 4, "{lines:?}");
    }

    #[test]
    fn long_words_wide_characters_and_empty_lines() {
        let lines = wrap("患者さんの声を聞く会議室予約確認済み\n\nok", 9);
        assert!(lines.iter().all(|l| width(l) <= 9), "{lines:?}");
        assert_eq!(lines.last().map(String::as_str), Some("ok"));
        assert!(lines.contains(&String::new()), "the empty line is kept");
        assert_eq!(wrap("", 10), [""]);
        assert_eq!(wrap("abc def", 3), ["abc", "def"]);
    }

    #[test]
    fn control_sequences_never_reach_the_screen() {
        let lines = wrap("a\u{1b}]52;c;x\u{7}b", 40);
        assert!(lines.iter().all(|l| !l.contains('\u{1b}')), "{lines:?}");
    }
}
