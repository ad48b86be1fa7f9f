//! The content-line grammar vCard (RFC 2426, RFC 6350) and iCalendar (RFC 5545) share:
//! `GROUP.NAME;PARAM=a,b;PARAM2="x:y":value`, folded at 75 octets with a leading space on each
//! continuation, TEXT values escaped with backslashes.
//!
//! Promises: [`fold`] never splits a UTF-8 character and no physical line is longer than 75
//! octets (CRLF not counted); [`unfold`] joins continuation lines (space or tab), vCard 2.1
//! quoted-printable soft breaks (`=` at the end), and accepts CRLF, LF or CR; [`escape`] and
//! [`unescape`] are inverse on any text (a CR is written as part of a newline, never alone).

use std::fmt::Write as _;

/// Longest physical line written, in octets (RFC 5545 §3.1, RFC 6350 §3.2).
pub const FOLD_OCTETS: usize = 75;

/// One unfolded content line, with the number of the physical line it began on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentLine {
    pub line: u64,
    /// Upper-cased, without its group (`item1.EMAIL` → `EMAIL`).
    pub name: String,
    /// Parameter names upper-cased; values as given (quotes removed). vCard 2.1 bare
    /// parameters (`TEL;CELL;PREF:`) become `TYPE=CELL`, `TYPE=PREF`.
    pub params: Vec<(String, String)>,
    /// The raw value, still escaped.
    pub value: String,
}

impl ContentLine {
    /// The first value of parameter `name` (upper-case).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a `TYPE` parameter lists `ty` (case-insensitive; `TYPE=work,pref` counts).
    pub fn has_type(&self, ty: &str) -> bool {
        self.params
            .iter()
            .any(|(n, v)| n == "TYPE" && v.split(',').any(|t| t.trim().eq_ignore_ascii_case(ty)))
    }
}

/// Splits text into logical lines: `(first physical line number, text)`. Continuation lines
/// (starting with a space or tab) are joined without their first character; a line whose
/// parameters say QUOTED-PRINTABLE and whose value ends with `=` takes the next line too.
pub fn unfold(text: &str) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    let mut qp_open = false;
    for (i, raw) in text.split('\n').enumerate() {
        let number = i as u64 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // A lone CR as a line end (old Mac files) splits lines too.
        for (j, physical) in raw.split('\r').enumerate() {
            if let Some(last) = out.last_mut() {
                if qp_open {
                    last.1.pop(); // the soft break's '='
                    last.1.push_str(physical);
                    qp_open = is_qp_continued(&last.1);
                    continue;
                }
                if j == 0 && (physical.starts_with(' ') || physical.starts_with('\t')) {
                    last.1.push_str(&physical[1..]);
                    qp_open = is_qp_continued(&last.1);
                    continue;
                }
            }
            if physical.is_empty() {
                continue;
            }
            out.push((number, physical.to_string()));
            qp_open = is_qp_continued(physical);
        }
    }
    out
}

fn is_qp_continued(line: &str) -> bool {
    line.ends_with('=')
        && line
            .split_once(':')
            .is_some_and(|(head, _)| head.to_ascii_uppercase().contains("QUOTED-PRINTABLE"))
}

/// Reads one logical line; `None` when it has no `:` or no name.
pub fn parse(line: u64, text: &str) -> Option<ContentLine> {
    // The name and parameters end at the first ':' outside double quotes.
    let mut in_quotes = false;
    let mut split = None;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let split = split?;
    let head = &text[..split];
    let value = text[split + 1..].to_string();
    let mut parts = split_outside_quotes(head, ';').into_iter();
    let name = parts.next()?.trim();
    let name = name.rsplit('.').next().unwrap_or(name).to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let mut params = Vec::new();
    for p in parts {
        if let Some((k, v)) = p.split_once('=') {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            params.push((k.trim().to_ascii_uppercase(), v.to_string()));
        } else {
            let bare = p.trim().to_ascii_uppercase();
            match bare.as_str() {
                "QUOTED-PRINTABLE" | "BASE64" | "B" => params.push(("ENCODING".into(), bare)),
                "" => {}
                _ => params.push(("TYPE".into(), bare)),
            }
        }
    }
    Some(ContentLine {
        line,
        name,
        params,
        value,
    })
}

fn split_outside_quotes(s: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_quotes = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        if c == '"' {
            in_quotes = !in_quotes;
        } else if c == sep && !in_quotes {
            out.push(&s[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&s[start..]);
    out
}

/// Splits an escaped value at `sep` where it is not escaped (`N`, `ORG`, `CATEGORIES`).
pub fn split_escaped(value: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in value.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == sep {
            out.push(&value[start..i]);
            start = i + 1;
        }
    }
    out.push(&value[start..]);
    out
}

/// A TEXT value as written: `\\`, `\;`, `\,` and newlines escaped (`\r\n`, `\r` and `\n` all
/// become `\n`).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            c => out.push(c),
        }
    }
    out
}

/// The text of an escaped TEXT value; an unknown escape keeps its character (`\:` → `:`), a
/// trailing lone backslash is kept.
pub fn unescape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// Writes `line` (without line end) folded at [`FOLD_OCTETS`], each physical line ended by CRLF.
pub fn fold_into(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > FOLD_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// `fold_into` on a fresh string.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    fold_into(&mut out, line);
    out
}

/// Decodes quoted-printable (`=C3=A9`, soft breaks already joined by [`unfold`]); a malformed
/// `=` sequence is kept as written.
pub fn decode_quoted_printable(value: &str) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    out
}

/// Windows-1252's characters for bytes 0x80–0x9F (where Latin-1 has invisible controls); the
/// five bytes it leaves undefined stay Latin-1.
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž', '\u{8f}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}', 'ž', 'Ÿ',
];

/// One byte of a legacy 8-bit file: Windows-1252, a superset of Latin-1's printable characters
/// (what Excel and old phones write in western Europe).
fn legacy_char(b: u8) -> char {
    match b {
        0x80..=0x9f => CP1252_HIGH[usize::from(b - 0x80)],
        b => char::from(b),
    }
}

/// Bytes in `charset` (a vCard `CHARSET` parameter) as text: UTF-8 unless Latin-1 or
/// Windows-1252 is named; bytes that are not valid UTF-8 are read as Windows-1252 (Latin-1
/// with € and typographic quotes), which is what a 2.1-era phone most likely wrote.
pub fn decode_charset(bytes: &[u8], charset: Option<&str>) -> String {
    let latin = charset.is_some_and(|c| {
        let c = c.to_ascii_uppercase();
        c.contains("8859") || c.contains("1252") || c == "LATIN1" || c == "LATIN-1"
    });
    if !latin {
        if let Ok(s) = std::str::from_utf8(bytes) {
            return s.to_string();
        }
    }
    bytes.iter().map(|&b| legacy_char(b)).collect()
}

/// UTF-16 text (Outlook's and Excel's "Unicode" files): by its byte order mark, else by the
/// zero bytes beside ASCII at the start (`B\0E\0…`); `None` when it is not UTF-16.
fn utf16(bytes: &[u8]) -> Option<String> {
    let (rest, little) = if let Some(r) = bytes.strip_prefix(b"\xff\xfe") {
        (r, true)
    } else if let Some(r) = bytes.strip_prefix(b"\xfe\xff") {
        (r, false)
    } else {
        match bytes {
            [a, 0, b, 0, ..] if a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0 => (bytes, true),
            [0, a, 0, b, ..] if a.is_ascii() && *a != 0 && b.is_ascii() && *b != 0 => {
                (bytes, false)
            }
            _ => return None,
        }
    };
    let units = rest.chunks_exact(2).map(|c| {
        let pair = [c[0], c[1]];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// A whole file as text (a BOM is dropped): UTF-16 when it says so (a BOM) or looks so; else
/// each line UTF-8, or Latin-1 when it is not valid UTF-8 (a file pieced together from several
/// phones can mix both). Also returns how many lines were read as Latin-1.
pub fn decode_file(bytes: &[u8]) -> (String, u64) {
    if let Some(text) = utf16(bytes) {
        return (text, 0);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (s.to_string(), 0);
    }
    let mut out = String::with_capacity(bytes.len() + 64);
    let mut latin = 0;
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if let Ok(s) = std::str::from_utf8(line) {
            out.push_str(s);
        } else {
            latin += 1;
            out.extend(line.iter().map(|&b| legacy_char(b)));
        }
    }
    (out, latin)
}

/// `NAME;P=v:value` written folded; the caller escapes the value.
pub fn property(out: &mut String, name: &str, params: &[(&str, &str)], value: &str) {
    let mut line = String::with_capacity(name.len() + value.len() + 16);
    line.push_str(name);
    for (k, v) in params {
        let _ = write!(line, ";{k}={v}");
    }
    line.push(':');
    line.push_str(value);
    fold_into(out, &line);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_lines_within_75_octets_and_characters_whole() {
        let long = format!("NOTE:{}", "é".repeat(100));
        let folded = fold(&long);
        for l in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= FOLD_OCTETS, "{} octets: {l}", l.len());
        }
        let back = unfold(&folded);
        assert_eq!(back, vec![(1, long)]);
    }

    #[test]
    fn folding_a_short_line_leaves_it_alone() {
        assert_eq!(fold("FN:Ana"), "FN:Ana\r\n");
        assert_eq!(fold(&"x".repeat(75)).lines().count(), 1);
        assert_eq!(fold(&"x".repeat(76)).lines().count(), 2);
    }

    #[test]
    fn unfold_takes_crlf_lf_cr_and_tab_continuations() {
        let text = "A:1\r\n b\nB:2\n\tc\rC:3";
        assert_eq!(
            unfold(text),
            vec![
                (1, "A:1b".to_string()),
                (3, "B:2c".to_string()),
                (4, "C:3".to_string())
            ]
        );
    }

    #[test]
    fn unfold_joins_quoted_printable_soft_breaks() {
        let text = "NOTE;ENCODING=QUOTED-PRINTABLE:caf=C3=A9 =\n=C3=A9t=C3=A9\nFN:x";
        let lines = unfold(text);
        assert_eq!(lines.len(), 2);
        let l = parse(1, &lines[0].1).expect("a line");
        assert_eq!(
            String::from_utf8(decode_quoted_printable(&l.value)).expect("utf-8"),
            "café été"
        );
    }

    #[test]
    fn quoted_printable_keeps_a_malformed_escape() {
        assert_eq!(decode_quoted_printable("a=ZZb=4"), b"a=ZZb=4");
        assert_eq!(decode_quoted_printable("=41=0D=0A"), b"A\r\n");
    }

    #[test]
    fn charset_latin1_and_the_fallback() {
        assert_eq!(decode_charset(&[0x4e, 0xfa, 0xf1], None), "Núñ");
        assert_eq!(
            decode_charset(&[0x4e, 0xfa], Some("ISO-8859-1")),
            "Nú".to_string()
        );
        assert_eq!(decode_charset("ñ".as_bytes(), Some("UTF-8")), "ñ");
        assert_eq!(decode_file(b"\xef\xbb\xbfA"), ("A".to_string(), 0));
        assert_eq!(decode_file(b"\xe9"), ("é".to_string(), 1));
        assert_eq!(
            decode_file(b"12 \x80 \x93ok\x94"),
            ("12 € “ok”".to_string(), 1)
        );
        let mut mixed = "Łódź\n".as_bytes().to_vec();
        mixed.push(0xe9);
        mixed.extend_from_slice("\r\nñ".as_bytes());
        assert_eq!(decode_file(&mixed), ("Łódź\né\r\nñ".to_string(), 1));
    }

    #[test]
    fn utf16_files_with_or_without_a_byte_order_mark() {
        let text = "BEGIN:VCARD\r\nFN:Carmen Peña 王\r\nEND:VCARD\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let bom = |b: &[u8], mark: &[u8]| [mark, b].concat();
        assert_eq!(decode_file(&bom(&le, b"\xff\xfe")), (text.to_string(), 0));
        assert_eq!(decode_file(&bom(&be, b"\xfe\xff")), (text.to_string(), 0));
        assert_eq!(decode_file(&le), (text.to_string(), 0));
        assert_eq!(decode_file(&be), (text.to_string(), 0));
        // An odd last byte and a lone surrogate do not panic.
        assert!(decode_file(b"\xff\xfeA\0\x00\xd8B").0.starts_with('A'));
        // UTF-8 that merely starts with a NUL-free ASCII pair is not taken for UTF-16.
        assert_eq!(decode_file(b"AB\0"), ("AB\0".to_string(), 0));
    }

    #[test]
    fn parse_reads_groups_quotes_and_bare_parameters() {
        let l = parse(3, "item1.TEL;CELL;PREF;X-Y=\"a:b;c\":+34 600").expect("a line");
        assert_eq!(l.name, "TEL");
        assert!(l.has_type("cell") && l.has_type("PREF"));
        assert_eq!(l.param("X-Y"), Some("a:b;c"));
        assert_eq!(l.value, "+34 600");
        assert!(parse(1, "no colon").is_none());
    }

    #[test]
    fn escaping_round_trips_and_splits() {
        let text = "a,b;c\\d\ne\r\nf";
        assert_eq!(escape(text), "a\\,b\\;c\\\\d\\ne\\nf");
        assert_eq!(unescape(&escape(text)), "a,b;c\\d\ne\nf");
        assert_eq!(
            split_escaped("Peña\\;x;Ana;;", ';'),
            vec!["Peña\\;x", "Ana", "", ""]
        );
        assert_eq!(unescape("a\\"), "a\\");
    }

    proptest::proptest! {
        #[test]
        fn fold_then_unfold_is_identity(s in "[^\r\n]{0,300}") {
            let line = format!("X:{s}");
            let folded = fold(&line);
            for l in folded.split("\r\n") {
                proptest::prop_assert!(l.len() <= FOLD_OCTETS);
            }
            proptest::prop_assert_eq!(unfold(&folded), vec![(1, line)]);
        }

        #[test]
        fn escape_then_unescape_is_identity_without_cr(s in "[^\r]{0,200}") {
            proptest::prop_assert_eq!(unescape(&escape(&s)), s);
        }
    }
}
