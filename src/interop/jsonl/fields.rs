//! The keys of one record line, checked and converted to domain values. Every error names the
//! line, the record, its uid and the key; echoed values are cut short (the message is sanitized
//! when displayed).

use std::str::FromStr;

use chrono::{DateTime, NaiveDate};
use serde_json::{Map, Value};

use crate::domain::{Birthday, Extra, Milestone, Repeat, Timestamp, Vocabulary};

use super::{ImportError, Kind};

/// Longest uid accepted, in bytes.
pub const MAX_UID_BYTES: usize = 128;

/// The known keys of one record, taken one by one, plus its `x-` extension keys.
pub struct Fields {
    pub line: u64,
    pub kind: Kind,
    pub uid: String,
    slots: Vec<Option<Value>>,
    extra: Extra,
}

/// An error about `line` before the record's uid is known.
pub fn line_error(
    line: u64,
    record: Option<&'static str>,
    message: impl Into<String>,
) -> ImportError {
    ImportError::Line {
        line,
        record,
        uid: None,
        field: None,
        message: message.into(),
    }
}

/// `s` as a quoted value in a message, cut to 60 characters.
pub fn echo(s: &str) -> String {
    const MAX: usize = 60;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("\"{}…\"", &s[..cut]),
        None => format!("\"{s}\""),
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => echo(s),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

const NUL: &str = "contains a NUL character (U+0000), which is refused";

fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// A `YYYY-MM-DD` calendar date, exactly ten characters.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0_u32, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// An RFC 3339 timestamp with its offset.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    DateTime::parse_from_rfc3339(s).ok()
}

impl Fields {
    /// Sorts the keys of `map` into `kind`'s known keys and `x-` extensions, and checks the uid.
    /// `null` is the same as a missing key.
    pub fn new(line: u64, kind: Kind, map: Map<String, Value>) -> Result<Fields, ImportError> {
        let keys = kind.keys();
        let mut slots: Vec<Option<Value>> = vec![None; keys.len()];
        let mut extra = Extra::new();
        let mut unknown: Option<String> = None;
        for (key, value) in map {
            if key == "type" {
                continue;
            }
            if let Some(i) = keys.iter().position(|k| *k == key) {
                if !value.is_null() {
                    slots[i] = Some(value);
                }
            } else if key.starts_with("x-") {
                extra.insert(key, value);
            } else if unknown.is_none() {
                unknown = Some(key);
            }
        }
        let mut fields = Fields {
            line,
            kind,
            uid: String::new(),
            slots,
            extra,
        };
        let uid = fields.required_text("uid")?;
        if uid.is_empty() {
            return Err(fields.error("uid", "is empty; give the record a stable id"));
        }
        if uid.len() > MAX_UID_BYTES {
            return Err(fields.error(
                "uid",
                format!("is {} bytes long; at most {MAX_UID_BYTES} fit", uid.len()),
            ));
        }
        fields.uid = uid;
        if let Some(key) = unknown {
            return Err(fields.error(
                &key,
                format!(
                    "unknown key; a {} has {} (extension keys start with x-)",
                    kind.name(),
                    keys.join(", ")
                ),
            ));
        }
        if let Some((key, _)) = fields
            .extra
            .iter()
            .find(|(k, v)| k.contains('\0') || has_nul(v))
        {
            return Err(fields.error(key, NUL));
        }
        Ok(fields)
    }

    /// An error about `field` of this record.
    pub fn error(&self, field: &str, message: impl Into<String>) -> ImportError {
        ImportError::Line {
            line: self.line,
            record: Some(self.kind.name()),
            uid: (!self.uid.is_empty()).then(|| self.uid.clone()),
            field: Some(field.to_string()),
            message: message.into(),
        }
    }

    fn missing(&self, field: &str) -> ImportError {
        self.error(
            field,
            format!("is missing; a {} needs one", self.kind.name()),
        )
    }

    fn take(&mut self, key: &str) -> Option<Value> {
        let i = self.kind.keys().iter().position(|k| *k == key)?;
        self.slots.get_mut(i)?.take()
    }

    /// Takes one `x-` extension key out of the extension data (kamnote reads it itself).
    pub fn take_extension(&mut self, key: &str) -> Option<Value> {
        self.extra.remove(key)
    }

    /// Refuses `x-` keys on a record type that keeps no extension data (the catalogue's).
    pub fn no_extension(&self) -> Result<(), ImportError> {
        match self.extra.keys().next() {
            Some(key) => Err(self.error(
                key,
                format!(
                    "a {} keeps no extension data; leave the key out",
                    self.kind.name()
                ),
            )),
            None => Ok(()),
        }
    }

    /// The `x-` extension keys, in the order given.
    pub fn extra(&mut self) -> Extra {
        std::mem::take(&mut self.extra)
    }

    pub fn text(&mut self, key: &str) -> Result<Option<String>, ImportError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::String(s)) => {
                if s.contains('\0') {
                    Err(self.error(key, NUL))
                } else {
                    Ok(Some(s))
                }
            }
            Some(other) => {
                Err(self.error(key, format!("expected text, found {}", describe(&other))))
            }
        }
    }

    pub fn required_text(&mut self, key: &str) -> Result<String, ImportError> {
        self.text(key)?.ok_or_else(|| self.missing(key))
    }

    /// A value of a closed vocabulary (DESIGN.md §2).
    pub fn vocab<V: Vocabulary>(&mut self, key: &str) -> Result<Option<V>, ImportError> {
        let Some(s) = self.text(key)? else {
            return Ok(None);
        };
        if let Some(v) = V::ALL.iter().copied().find(|v| v.as_str() == s) {
            return Ok(Some(v));
        }
        V::parse(&s).map(Some).map_err(|e| {
            self.error(
                key,
                format!("{} is not one of: {}", echo(&e.value), e.allowed),
            )
        })
    }

    pub fn required_vocab<V: Vocabulary>(&mut self, key: &str) -> Result<V, ImportError> {
        self.vocab(key)?.ok_or_else(|| self.missing(key))
    }

    /// Text parsed with `parse`; `expected` says what a good value looks like.
    fn parsed<T>(
        &mut self,
        key: &str,
        parse: impl FnOnce(&str) -> Option<T>,
        expected: &str,
    ) -> Result<Option<T>, ImportError> {
        let Some(s) = self.text(key)? else {
            return Ok(None);
        };
        match parse(&s) {
            Some(v) => Ok(Some(v)),
            None => Err(self.error(key, format!("{} is not {expected}", echo(&s)))),
        }
    }

    pub fn date(&mut self, key: &str) -> Result<Option<NaiveDate>, ImportError> {
        self.parsed(
            key,
            parse_date,
            "a calendar date; write YYYY-MM-DD, e.g. 2026-11-27",
        )
    }

    pub fn required_date(&mut self, key: &str) -> Result<NaiveDate, ImportError> {
        self.date(key)?.ok_or_else(|| self.missing(key))
    }

    pub fn timestamp(&mut self, key: &str) -> Result<Option<Timestamp>, ImportError> {
        self.parsed(
            key,
            parse_timestamp,
            "an RFC 3339 timestamp with offset; write e.g. 2026-11-27T09:30:00+03:00",
        )
    }

    pub fn required_timestamp(&mut self, key: &str) -> Result<Timestamp, ImportError> {
        self.timestamp(key)?.ok_or_else(|| self.missing(key))
    }

    /// A value with a `FromStr` whose error message says what is accepted.
    pub fn parse_with<T: FromStr>(&mut self, key: &str) -> Result<Option<T>, ImportError>
    where
        T::Err: std::fmt::Display,
    {
        let Some(s) = self.text(key)? else {
            return Ok(None);
        };
        s.parse::<T>().map(Some).map_err(|e| {
            // The domain's messages start with the field name: drop it, the error adds it.
            let msg = e.to_string();
            let msg = msg
                .strip_prefix(key)
                .and_then(|m| m.strip_prefix(": "))
                .unwrap_or(&msg)
                .to_string();
            self.error(key, msg)
        })
    }

    pub fn birthday(&mut self, key: &str) -> Result<Option<Birthday>, ImportError> {
        self.parse_with(key)
    }

    pub fn repeat(&mut self, key: &str) -> Result<Option<Repeat>, ImportError> {
        self.parse_with(key)
    }

    pub fn number(&mut self, key: &str) -> Result<Option<f64>, ImportError> {
        match self.take(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(f) if f.is_finite() => Ok(Some(f)),
                _ => Err(self.error(key, format!("{n} is not a usable number"))),
            },
            Some(other) => Err(self.error(
                key,
                format!("expected a number, found {}", describe(&other)),
            )),
        }
    }

    /// A percentage, 0 to 100.
    pub fn percent(&mut self, key: &str) -> Result<Option<f64>, ImportError> {
        let v = self.number(key)?;
        match v.map(|p| crate::domain::check_percent(key, p)) {
            Some(Err(e)) => Err(self.error(key, e.problem)),
            _ => Ok(v),
        }
    }

    /// A whole number from `low` to `high`; `hint` explains the scale.
    pub fn small_int(
        &mut self,
        key: &str,
        low: u8,
        high: u8,
        hint: &str,
    ) -> Result<Option<u8>, ImportError> {
        let range = format!("give {low} to {high}{hint}");
        match self.take(key) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => u8::try_from(i)
                    .ok()
                    .filter(|v| (low..=high).contains(v))
                    .map(Some)
                    .ok_or_else(|| self.error(key, format!("{i} is out of range; {range}"))),
                None => Err(self.error(key, format!("{n} is not a whole number; {range}"))),
            },
            Some(other) => Err(self.error(
                key,
                format!("expected a number, found {}; {range}", describe(&other)),
            )),
        }
    }

    /// A whole number of minutes, 0 to a day (an account's `travel_minutes`).
    pub fn minutes(&mut self, key: &str) -> Result<Option<u16>, ImportError> {
        let max = crate::domain::travel::MAX_TRAVEL_MINUTES;
        let range = format!("give 0 to {max} (minutes), e.g. 25");
        match self.take(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) => u16::try_from(i)
                    .ok()
                    .filter(|v| *v <= max)
                    .map(Some)
                    .ok_or_else(|| self.error(key, format!("{i} is out of range; {range}"))),
                None => Err(self.error(key, format!("{n} is not a whole number; {range}"))),
            },
            Some(other) => Err(self.error(
                key,
                format!("expected a number, found {}; {range}", describe(&other)),
            )),
        }
    }

    /// An ISO 4217 currency code.
    pub fn currency(&mut self, key: &str) -> Result<Option<String>, ImportError> {
        // The code itself is checked by the store with the domain's rule (ISO 4217), which
        // lets a code stored before that rule be imported back unchanged.
        self.text(key)
    }

    /// A list of text (tags, languages, uids); missing is empty.
    pub fn texts(&mut self, key: &str) -> Result<Vec<String>, ImportError> {
        let items = match self.take(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.error(
                    key,
                    format!("expected a list of text, found {}", describe(&other)),
                ));
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match item {
                Value::String(s) if s.contains('\0') => return Err(self.error(key, NUL)),
                Value::String(s) => out.push(s),
                other => {
                    return Err(self.error(
                        key,
                        format!("expected a list of text, found {} in it", describe(&other)),
                    ));
                }
            }
        }
        Ok(out)
    }

    /// A deal's milestones: a list of `{"name": text, "date": YYYY-MM-DD}`.
    pub fn milestones(&mut self, key: &str) -> Result<Vec<Milestone>, ImportError> {
        const SHAPE: &str = "each milestone is {\"name\": text, \"date\": \"YYYY-MM-DD\"}";
        let items = match self.take(key) {
            None => return Ok(Vec::new()),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.error(
                    key,
                    format!("expected a list, found {}; {SHAPE}", describe(&other)),
                ));
            }
        };
        let mut out = Vec::with_capacity(items.len());
        for (n, item) in items.into_iter().enumerate() {
            let Value::Object(map) = item else {
                return Err(self.error(key, format!("item {}: {SHAPE}", n + 1)));
            };
            let (mut name, mut date) = (None, None);
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("name", Value::String(s)) => name = Some(s),
                    ("date", Value::String(s)) => date = Some(s),
                    _ => return Err(self.error(key, format!("item {}: {SHAPE}", n + 1))),
                }
            }
            let (Some(name), Some(date)) = (name, date) else {
                return Err(self.error(key, format!("item {}: {SHAPE}", n + 1)));
            };
            if name.contains('\0') {
                return Err(self.error(key, NUL));
            }
            let Some(date) = parse_date(&date) else {
                return Err(self.error(
                    key,
                    format!(
                        "item {}: {} is not a calendar date; write YYYY-MM-DD",
                        n + 1,
                        echo(&date)
                    ),
                ));
            };
            out.push(Milestone { name, date });
        }
        Ok(out)
    }
}
