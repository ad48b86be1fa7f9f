//! Checks on free text and small fields that every entry path shares (CLI, TUI, importers), with
//! errors that name the field, the problem and what would be accepted.
//!
//! These are the rules; the store calls them on every write as its last check but one (the
//! schema's CHECK constraints come last), and the fronts call them as a person types or before
//! they write, for an earlier and more precise message. A rule added later must not make old
//! records unreadable: the store applies it only to a value that differs from the one stored.

use super::{Due, Id, Timestamp};

/// Longest free text accepted in one field (a note body, a dossier section): 1 MiB.
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// Longest name of an account or a person, in characters.
pub const MAX_NAME_CHARS: usize = 300;

/// A value a user or a file gave that cannot be stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct Invalid {
    pub field: String,
    pub problem: String,
}

impl Invalid {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Invalid {
            field: field.into(),
            problem: problem.into(),
        }
    }
}

/// Free text: any characters but NUL, at most [`MAX_TEXT_BYTES`].
pub fn check_text(field: &str, text: &str) -> Result<(), Invalid> {
    if text.contains('\0') {
        return Err(Invalid::new(
            field,
            "contains a NUL character (U+0000), which is refused",
        ));
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(Invalid::new(
            field,
            format!(
                "is {} KiB; the most one field holds is {} KiB — split it into several notes",
                text.len() / 1024,
                MAX_TEXT_BYTES / 1024
            ),
        ));
    }
    Ok(())
}

/// A name: not blank, at most [`MAX_NAME_CHARS`] characters. Control characters are kept (the
/// display escapes them), as the interchange format keeps text exactly.
pub fn check_name(field: &str, name: &str) -> Result<(), Invalid> {
    check_text(field, name)?;
    if name.trim().is_empty() {
        return Err(Invalid::new(
            field,
            "is empty; give a name such as \"Hospital Clínic\"",
        ));
    }
    let chars = name.chars().count();
    if chars > MAX_NAME_CHARS {
        return Err(Invalid::new(
            field,
            format!("is {chars} characters long; at most {MAX_NAME_CHARS} fit"),
        ));
    }
    Ok(())
}

/// Largest amount of money accepted (a quadrillion: beyond any contract, within f64 precision
/// of cents).
pub const MAX_AMOUNT: f64 = 1e15;

/// Most decimal places of an amount (no currency has a minor unit finer than 1/10,000).
pub const AMOUNT_DECIMALS: usize = 4;

/// Most significant digits an amount keeps exactly: every decimal of up to 15 digits reads
/// back from its f64 as written; beyond, cents are lost (12345678901234.56 has 16).
pub const AMOUNT_DIGITS: usize = 15;

/// An amount of money: a finite number of at most [`MAX_AMOUNT`] either way (a credit can be
/// negative), with at most [`AMOUNT_DIGITS`] significant digits, so that it is kept exactly.
pub fn check_amount(field: &str, amount: f64) -> Result<(), Invalid> {
    if !amount.is_finite() || amount.abs() > MAX_AMOUNT {
        return Err(Invalid::new(
            field,
            format!("{amount} is not an amount; give a number such as 125000 or 99.50"),
        ));
    }
    // The shortest decimal that reads back as this f64, without sign, point, leading zeros
    // and (for a whole number) trailing zeros.
    let text = amount.abs().to_string();
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let digits = digits.trim_start_matches('0');
    let digits = if text.contains('.') {
        digits
    } else {
        digits.trim_end_matches('0')
    };
    // A number too long to show whole (2e-300) is shown in exponent form.
    let shown = if text.len() > 40 {
        format!("{amount:e}")
    } else {
        amount.to_string()
    };
    if text
        .split_once('.')
        .is_some_and(|(_, frac)| frac.len() > AMOUNT_DECIMALS)
    {
        return Err(Invalid::new(
            field,
            format!(
                "{shown} has more than {AMOUNT_DECIMALS} decimals, finer than any currency's \
                 smallest unit; give e.g. 99.50 or 12.125"
            ),
        ));
    }
    if digits.len() > AMOUNT_DIGITS {
        return Err(Invalid::new(
            field,
            format!(
                "{shown} has more digits than an amount keeps exactly ({AMOUNT_DIGITS} \
                 significant digits); give it with fewer decimals, e.g. 9999999999999.99 or \
                 123456789012345"
            ),
        ));
    }
    Ok(())
}

/// An amount as typed (`-1250000.50`): checked on the text, before it becomes a number, so that
/// what cannot be kept exactly is refused in the words the user wrote — `1.00000000000000001`
/// has more than [`AMOUNT_DECIMALS`] decimals (read as a number it would be a silent 1.00), and
/// `12345678901234.565` more than [`AMOUNT_DIGITS`] digits. Plain decimals only: an optional
/// sign, digits, a point and digits (trailing zeros of the decimals do not count); the caller
/// strips the grouping it allows (`_`, spaces). Then the range of [`check_amount`].
pub fn parse_amount(field: &str, typed: &str) -> Result<f64, Invalid> {
    let text = typed.trim();
    let shown = crate::text::sanitize_line(text);
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !digits_only(whole) || !digits_only(frac) {
        return Err(Invalid::new(
            field,
            format!("\"{shown}\" is not an amount; give a number such as 125000 or 99.50"),
        ));
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > AMOUNT_DECIMALS {
        return Err(Invalid::new(
            field,
            format!(
                "{shown} has more than {AMOUNT_DECIMALS} decimals, finer than any currency's \
                 smallest unit; give e.g. 99.50 or 12.125"
            ),
        ));
    }
    let whole = whole.trim_start_matches('0');
    let significant = if whole.is_empty() {
        frac.trim_start_matches('0').len()
    } else {
        whole.len() + frac.len()
    };
    if significant > AMOUNT_DIGITS {
        return Err(Invalid::new(
            field,
            format!(
                "{shown} has more digits than an amount keeps exactly ({AMOUNT_DIGITS} \
                 significant digits); give it with fewer decimals, e.g. 9999999999999.99 or \
                 123456789012345"
            ),
        ));
    }
    let amount: f64 = text.parse().map_err(|_| {
        Invalid::new(
            field,
            format!("\"{shown}\" is not an amount; give a number such as 125000 or 99.50"),
        )
    })?;
    check_amount(field, amount)?;
    Ok(amount)
}

/// An ISO 4217 currency code in use or kept for old records (`EUR`, `USD`, `RUB`): capitals, as
/// the interchange format writes them; the fronts upper-case what a person types first
/// ([`code_typed`]). The table is the `iso_currency` crate's.
pub fn check_currency(field: &str, code: &str) -> Result<(), Invalid> {
    let known = code.len() == 3
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && iso_currency::Currency::from_code(code).is_some();
    if known {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!(
                "{} is not an ISO 4217 currency code; write EUR, USD, GBP, RUB...",
                shown(code)
            ),
        ))
    }
}

/// An ISO 3166-1 alpha-2 country code (`ES`, `DE`, `GB`), in capitals; the table is the
/// `iso_country` crate's.
pub fn check_country(field: &str, code: &str) -> Result<(), Invalid> {
    let known = code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && code
            .parse::<iso_country::Country>()
            .is_ok_and(|c| c != iso_country::Country::Unspecified);
    if known {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!(
                "{} is not an ISO 3166 country code; write two letters such as ES, DE, GB",
                shown(code)
            ),
        ))
    }
}

/// A BCP 47 language tag (`es`, `en-GB`, `zh-Hant`), well-formed as the `oxilangtag` crate
/// checks it, whose language is an ISO 639 code of 2 or 3 letters: the 5-to-8-letter form the
/// grammar keeps for registration has no language registered, and takes "english" for a tag.
pub fn check_language(field: &str, tag: &str) -> Result<(), Invalid> {
    let fine = oxilangtag::LanguageTag::parse(tag)
        .is_ok_and(|t| (2..=3).contains(&t.primary_language().len()));
    if fine {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!(
                "{} is not a BCP 47 language tag; write es, en-GB, de, zh-Hant...",
                shown(tag)
            ),
        ))
    }
}

/// An e-mail address as people write them: `local@domain.tld`, no spaces or control
/// characters, one `@`, a domain of dot-separated labels with at least one dot. Practical, not
/// the whole of RFC 5322 (no quoted local parts, no comments, no IP literals).
pub fn check_email(field: &str, address: &str) -> Result<(), Invalid> {
    let fine = address.len() <= 254
        && !address
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>()[],;:\"\\".contains(c))
        && match address.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !local.starts_with('.')
                    && !local.ends_with('.')
                    && !local.contains("..")
                    && !domain.contains('@')
                    && domain.contains('.')
                    && domain.split('.').all(|label| {
                        !label.is_empty()
                            && label.len() <= 63
                            && !label.starts_with('-')
                            && !label.ends_with('-')
                    })
            }
            None => false,
        };
    if fine {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!(
                "{} is not an e-mail address; write one such as ana.lopez@clinic.example",
                shown(address)
            ),
        ))
    }
}

/// Money that cannot be below zero (a revenue, a deal's value, a budget, an amount due): a
/// finite number from 0 to [`MAX_AMOUNT`].
pub fn check_money(field: &str, amount: f64) -> Result<(), Invalid> {
    check_amount(field, amount)?;
    if amount < 0.0 {
        return Err(Invalid::new(
            field,
            format!("{amount} is negative; give 0 or more, e.g. 125000"),
        ));
    }
    Ok(())
}

/// A percentage (a probability, a commission rate): 0 to 100.
pub fn check_percent(field: &str, value: f64) -> Result<(), Invalid> {
    if (0.0..=100.0).contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!("{value} is out of range; give a percentage from 0 to 100, e.g. 40"),
        ))
    }
}

/// A person's influence: 1 (little) to 5 (decides).
pub fn check_influence(field: &str, value: i64) -> Result<(), Invalid> {
    if (1..=5).contains(&value) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!("{value} is out of range; give 1 (little) to 5 (decides), e.g. 4"),
        ))
    }
}

/// A number of days (a stay-in-touch cadence): 1 to `max`.
pub fn check_days(field: &str, days: i64, max: u32) -> Result<(), Invalid> {
    if (1..=i64::from(max)).contains(&days) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!("{days} is not a number of days; give whole days from 1 to {max}, e.g. 21"),
        ))
    }
}

/// A new due date for an open follow-up (a snooze): today or later; a time today must not be
/// over already.
pub fn check_snooze(field: &str, due: Due, now: Timestamp) -> Result<(), Invalid> {
    let past = match due {
        Due::Day(d) => d < now.date_naive(),
        Due::At(t) => t < now,
    };
    if past {
        let when = match due {
            Due::Day(d) => d.to_string(),
            Due::At(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        };
        return Err(Invalid::new(
            field,
            format!("{when} is in the past; snooze to today or later, e.g. tomorrow or +1w"),
        ));
    }
    Ok(())
}

/// The two ends of a link: two different people.
pub fn check_link_ends(from: Id, to: Id) -> Result<(), Invalid> {
    if from == to {
        return Err(Invalid::new(
            "to",
            "is the same person as from; a link ties two different people",
        ));
    }
    Ok(())
}

/// What a person typed as a code (currency, country): trimmed, and in capitals when it has the
/// shape of a code (two or three letters), so `eur` is read as `EUR` in the CLI and the TUI
/// alike; anything else is left as typed, for the error to quote it. Files are not changed:
/// their codes are checked as written.
pub fn code_typed(input: &str) -> String {
    let t = input.trim();
    if (2..=3).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphabetic()) {
        t.to_ascii_uppercase()
    } else {
        t.to_string()
    }
}

/// A value quoted for an error message: one line, no control characters, at most 60 characters.
fn shown(value: &str) -> String {
    const MAX: usize = 60;
    let line = crate::text::sanitize_line(value);
    match line.char_indices().nth(MAX) {
        Some((cut, _)) => format!("\"{}…\"", &line[..cut]),
        None => format!("\"{line}\""),
    }
}

#[cfg(test)]
mod tests {
    /// 11.12: an amount is checked as typed, not after it became an f64: the error quotes the
    /// text, and what the f64 would round away is refused, not silently saved.
    #[test]
    fn amounts_are_checked_on_the_text_as_typed() {
        let err = parse_amount("value", "1.00000000000000001").unwrap_err();
        assert!(
            err.problem
                .contains("1.00000000000000001 has more than 4 decimals"),
            "{err:?}"
        );
        let err = parse_amount("value", "12345678901234.565").unwrap_err();
        assert!(
            err.problem
                .starts_with("12345678901234.565 has more digits"),
            "{err:?}"
        );
        assert_eq!(parse_amount("value", "99.50"), Ok(99.5));
        assert_eq!(parse_amount("value", "1.500000"), Ok(1.5));
        assert_eq!(parse_amount("value", "-0.0001"), Ok(-0.0001));
        assert_eq!(
            parse_amount("value", "9999999999999.99"),
            Ok(9_999_999_999_999.99)
        );
        assert_eq!(parse_amount("value", "000123"), Ok(123.0));
        for bad in ["", ".", "1e3", "1.2.3", "abc", "NaN", "inf", "--1", "1,5"] {
            assert!(parse_amount("value", bad).is_err(), "{bad}");
        }
    }

    use super::*;

    /// 12,345,678,901,234.56 (16 digits) would be kept as …234.5625 or so: refused, with the
    /// field named; 15 digits are kept exactly and accepted.
    #[test]
    fn an_amount_that_would_lose_cents_is_refused() {
        let err = check_amount("value", 12_345_678_901_234.56).unwrap_err();
        assert_eq!(err.field, "value");
        assert!(err.problem.contains("significant digits"), "{err:?}");
        assert!(check_amount("value", 123_456_789_012_345.67).is_err());
        let err = check_amount("amount", 0.123_45).unwrap_err();
        assert!(err.problem.contains("more than 4 decimals"), "{err:?}");
        assert!(
            check_amount("value", 2e-300)
                .unwrap_err()
                .problem
                .starts_with("2e-300")
        );
        for ok in [
            9_999_999_999_999.99,
            -9_999_999_999_999.99,
            123_456_789_012_345.0,
            1e15,
            0.000_1,
            12.125,
            1_234_567_890.123_4,
            99.5,
            0.0,
        ] {
            assert!(check_amount("value", ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn text_rules() {
        assert!(check_text("body", "hola\n\u{1b}[2J").is_ok());
        assert!(check_text("body", "a\0b").is_err());
        assert!(check_text("body", &"x".repeat(MAX_TEXT_BYTES + 1)).is_err());
        assert!(check_name("name", "  ").is_err());
        assert!(check_name("name", "山田太郎").is_ok());
        assert!(check_currency("currency", "EUR").is_ok());
        assert!(check_amount("value", 125_000.5).is_ok());
        assert!(check_amount("amount", -250.0).is_ok());
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e300] {
            assert!(check_amount("value", bad).is_err(), "{bad}");
        }
        assert!(check_currency("currency", "eur").is_err());
    }

    #[test]
    fn codes_come_from_the_iso_tables() {
        for good in ["EUR", "USD", "RUB", "JPY", "KRW", "CHF"] {
            assert!(check_currency("currency", good).is_ok(), "{good}");
        }
        for bad in ["ABC", "EURO", "E", "", "eur", "XYZ"] {
            let e = check_currency("currency", bad).unwrap_err();
            assert_eq!(e.field, "currency");
            assert!(e.problem.contains("EUR"), "{}", e.problem);
        }
        for good in ["ES", "DE", "GB", "JP", "AE"] {
            assert!(check_country("country", good).is_ok(), "{good}");
        }
        for bad in ["Spain", "UK", "XX", "es", "", "ESP", "E\u{1b}"] {
            let e = check_country("country", bad).unwrap_err();
            assert!(e.problem.contains("ES, DE"), "{}", e.problem);
            assert!(!e.problem.contains('\u{1b}'), "{}", e.problem);
        }
        for good in ["es", "en-GB", "zh-Hant", "de-CH", "ca"] {
            assert!(check_language("languages", good).is_ok(), "{good}");
        }
        for bad in ["english", "", "en_GB", "e", "123"] {
            assert!(check_language("languages", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn email_is_practical() {
        for good in [
            "ana.lopez@clinic.example",
            "j+kam@hu-virgenpena.example",
            "iván@clínica.es",
        ] {
            assert!(check_email("email", good).is_ok(), "{good}");
        }
        for bad in [
            "ana",
            "ana@",
            "@clinic.es",
            "ana@clinic",
            "ana@@clinic.es",
            "ana lopez@clinic.es",
            "ana@clinic..es",
            ".ana@clinic.es",
            "ana@-clinic.es",
            "ana@clinic.es\n",
        ] {
            let e = check_email("email", bad).unwrap_err();
            assert!(e.problem.contains("ana.lopez@clinic.example"), "{bad}");
        }
    }

    #[test]
    fn ranges_and_signs() {
        assert!(check_money("value", 0.0).is_ok());
        assert!(check_money("value", -0.01).is_err());
        assert!(check_money("value", f64::NAN).is_err());
        assert!(check_percent("probability", 100.0).is_ok());
        assert!(check_percent("probability", 100.5).is_err());
        assert!(check_percent("probability", -1.0).is_err());
        assert!(check_percent("probability", f64::NAN).is_err());
        assert!(check_influence("influence", 5).is_ok());
        assert!(check_influence("influence", 0).is_err());
        assert!(check_influence("influence", 6).is_err());
        assert!(check_days("cadence", 21, 3650).is_ok());
        assert!(check_days("cadence", -3, 3650).is_err());
        assert!(check_days("cadence", 0, 3650).is_err());
        assert!(check_link_ends(3, 3).is_err());
        assert!(check_link_ends(3, 4).is_ok());
        assert_eq!(code_typed(" eur "), "EUR");
        assert_eq!(code_typed("es"), "ES");
        assert_eq!(code_typed("spain"), "spain");
    }

    #[test]
    fn a_snooze_goes_forward() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00+01:00").unwrap();
        let day = |s: &str| Due::Day(s.parse().unwrap());
        let at = |s: &str| Due::At(chrono::DateTime::parse_from_rfc3339(s).unwrap());
        assert!(check_snooze("due", day("2026-11-26"), now).is_ok());
        assert!(check_snooze("due", day("2026-11-27"), now).is_ok());
        let e = check_snooze("due", day("2026-11-25"), now).unwrap_err();
        assert!(
            e.problem.contains("2026-11-25 is in the past"),
            "{}",
            e.problem
        );
        assert!(check_snooze("due", at("2026-11-26T09:00:00+01:00"), now).is_err());
        assert!(check_snooze("due", at("2026-11-26T11:00:00+01:00"), now).is_ok());
    }
}
