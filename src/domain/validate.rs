//! Checks on free text and small fields that every entry path shares (CLI, TUI, importers), with
//! errors that name the field, the problem and what would be accepted.

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

/// An ISO 4217 currency code: three capital letters (`EUR`, `USD`, `RUB`).
pub fn check_currency(field: &str, code: &str) -> Result<(), Invalid> {
    if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(Invalid::new(
            field,
            format!("\"{code}\" is not an ISO 4217 code; write EUR, USD, GBP, RUB..."),
        ))
    }
}

#[cfg(test)]
mod tests {
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
}
