//! How domain values are written to and read from columns: timestamps as RFC 3339 text or as
//! unix seconds plus offset, lists and extension keys as JSON text, vocabularies as their exact
//! spelling.

// The parsers take `row.get(..)?` results as they come.
#![allow(clippy::needless_pass_by_value)]

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone};
use rusqlite::Row;

use crate::domain::{Extra, Stamp, Timestamp, Vocabulary};

use super::StoreError;

pub fn ts_text(t: &Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

pub fn opt_ts_text(t: Option<&Timestamp>) -> Option<String> {
    t.map(ts_text)
}

pub fn parse_ts(s: &str) -> Result<Timestamp, StoreError> {
    DateTime::parse_from_rfc3339(s)
        .map_err(|e| StoreError::Corrupt(format!("timestamp {s:?}: {e}")))
}

pub fn parse_opt_ts(s: Option<String>) -> Result<Option<Timestamp>, StoreError> {
    s.as_deref().map(parse_ts).transpose()
}

/// An instant as (unix seconds, offset seconds east).
pub fn ts_parts(t: &Timestamp) -> (i64, i32) {
    (t.timestamp(), t.offset().local_minus_utc())
}

pub fn ts_from_parts(secs: i64, offset: i32) -> Result<Timestamp, StoreError> {
    let tz = FixedOffset::east_opt(offset)
        .ok_or_else(|| StoreError::Corrupt(format!("UTC offset {offset}s")))?;
    tz.timestamp_opt(secs, 0)
        .single()
        .ok_or_else(|| StoreError::Corrupt(format!("instant {secs}")))
}

pub fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub fn parse_date(s: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

pub fn parse_opt_date(s: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    s.as_deref().map(parse_date).transpose()
}

pub fn list_json(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

pub fn parse_list(s: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("list {s:?}: {e}")))
}

pub fn extra_json(extra: &Extra) -> String {
    serde_json::to_string(extra).unwrap_or_else(|_| "{}".into())
}

pub fn parse_extra(s: &str) -> Result<Extra, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("extension data: {e}")))
}

pub fn vocab<V: Vocabulary>(s: Option<String>) -> Result<Option<V>, StoreError> {
    Ok(s.as_deref().map(V::parse).transpose()?)
}

/// [`vocab`] of column `i` of `row`, read without a copy.
pub fn vocab_at<V: Vocabulary>(row: &Row<'_>, i: usize) -> Result<Option<V>, StoreError> {
    let text = row
        .get_ref(i)?
        .as_str_or_null()
        .map_err(rusqlite::Error::from)?;
    Ok(text.map(V::parse).transpose()?)
}

pub fn vocab_req<V: Vocabulary>(s: &str) -> Result<V, StoreError> {
    Ok(V::parse(s)?)
}

pub fn opt_str<V: Vocabulary>(v: Option<V>) -> Option<&'static str> {
    v.map(Vocabulary::as_str)
}

/// Reads the common `created_at, updated_at, version` columns starting at `first`.
pub fn stamp(row: &Row<'_>, first: usize) -> Result<Stamp, StoreError> {
    Ok(Stamp {
        created_at: parse_ts(&row.get::<_, String>(first)?)?,
        updated_at: parse_ts(&row.get::<_, String>(first + 1)?)?,
        version: row.get(first + 2)?,
    })
}
