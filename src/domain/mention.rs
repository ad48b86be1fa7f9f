//! `@name` mentions in note text: where they are and what name they ask for. Pure parsing; who
//! a mention names is decided by `crate::capture::mention` like a CLI target.
//!
//! The forms:
//! - `@Carmen`, `@carmen.pena`, `@carmen_pena`, `@nuno-pe`: one token of letters, digits and
//!   `.`, `_`, `-`, `'`; `.` and `_` separate words (`@carmen.pena` asks for "carmen pena"),
//!   and punctuation ending the token (`@Carmen,`, `@Iván.`, `(@Ana)`) is not part of it;
//! - `@"Carmen Peña"` (or `@“Carmen Peña”`): any words up to the closing quote;
//! - `@#p7` or `@#7`: a person by id.
//!
//! An `@` right after a letter or digit (an e-mail address such as `ana@example.org`) is not a
//! mention; neither is an `@` followed by nothing usable. The same name mentioned twice counts
//! once.

/// One `@` mention in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// As written, with the `@`: `@carmen.pena`, `@"Carmen Peña"`.
    pub raw: String,
    /// The name (or `#p7`) it asks for: `carmen pena`, `Carmen Peña`.
    pub query: String,
}

fn is_token_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '\'' | '#')
}

/// The mentions of `text`, in order, each name once.
pub fn mentions(text: &str) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let mut prev: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let after_word = prev.is_some_and(char::is_alphanumeric);
        prev = Some(c);
        if c != '@' || after_word {
            continue;
        }
        let rest = &text[at + 1..];
        let found = if let Some(quoted) = rest.strip_prefix('"').or_else(|| rest.strip_prefix('“'))
        {
            quoted.find(['"', '”']).map(|end| {
                let close = quoted[end..].chars().next().map_or(1, char::len_utf8);
                let len = 1 + rest.len() - quoted.len() + end + close;
                (
                    len,
                    quoted[..end]
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" "),
                )
            })
        } else {
            let token_len: usize = rest
                .chars()
                .take_while(|c| is_token_char(*c))
                .map(char::len_utf8)
                .sum();
            // Punctuation that ends a sentence or a clause is not part of the name.
            let token = rest[..token_len].trim_end_matches(['.', '-', '\'', '_']);
            let query = if token.starts_with('#') {
                token.to_string()
            } else {
                token
                    .split(['.', '_'])
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            Some((1 + token.len(), query))
        };
        let Some((len, query)) = found else { continue };
        if query.trim_start_matches('#').is_empty() {
            continue;
        }
        let raw = text[at..at + len].to_string();
        // Skip what was consumed, so an `@` inside a quoted name is not read again.
        while chars.peek().is_some_and(|(i, _)| *i < at + len) {
            prev = chars.next().map(|(_, c)| c);
        }
        if !out
            .iter()
            .any(|m| m.query.to_lowercase() == query.to_lowercase())
        {
            out.push(Mention { raw, query });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn queries(text: &str) -> Vec<String> {
        mentions(text).into_iter().map(|m| m.query).collect()
    }

    #[rstest]
    #[case("Met @Carmen about the tender", &["Carmen"])]
    #[case("Call @carmen.pena, then @Iván.", &["carmen pena", "Iván"])]
    #[case("with @\"Carmen Peña Olmedo\" and @nuno-pe", &["Carmen Peña Olmedo", "nuno-pe"])]
    #[case("asked @“Dr. Nuño” (@Ana)", &["Dr. Nuño", "Ana"])]
    #[case("@#p7 and @#12 agreed", &["#p7", "#12"])]
    #[case("@carmen_pena: send prices", &["carmen pena"])]
    #[case("mail ana@example.org or @ alone, @\"unclosed", &[])]
    #[case("@Carmen said @carmen would call", &["Carmen"])]
    #[case("@田中 と会った", &["田中"])]
    fn mentions_are_read_from_note_text(#[case] text: &str, #[case] expected: &[&str]) {
        assert_eq!(queries(text), expected);
    }

    #[test]
    fn a_mention_keeps_what_was_written() {
        let m = mentions("thanks @\"Carmen Peña\", @ivan.");
        assert_eq!(m[0].raw, "@\"Carmen Peña\"");
        assert_eq!(m[1].raw, "@ivan");
    }
}
