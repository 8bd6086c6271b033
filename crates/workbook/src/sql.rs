//! Conversions between domain values and their stored form.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Row;
use rusqlite::types::Type;

pub(crate) fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

/// Reads a timestamp column (UTC seconds).
pub(crate) fn time(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    let secs: i64 = row.get(idx)?;
    DateTime::from_timestamp(secs, 0)
        .ok_or_else(|| bad_value(idx, Type::Integer, format!("timestamp {secs}")))
}

/// Reads a nullable timestamp column.
pub(crate) fn opt_time(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    match row.get::<_, Option<i64>>(idx)? {
        None => Ok(None),
        Some(_) => time(row, idx).map(Some),
    }
}

/// Reads a date column stored as ISO text.
pub(crate) fn date(row: &Row<'_>, idx: usize) -> rusqlite::Result<NaiveDate> {
    let text: String = row.get(idx)?;
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map_err(|_| bad_value(idx, Type::Text, format!("date {text:?}")))
}

/// Reads a nullable date column.
pub(crate) fn opt_date(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    match row.get::<_, Option<String>>(idx)? {
        None => Ok(None),
        Some(_) => date(row, idx).map(Some),
    }
}

fn bad_value(idx: usize, ty: Type, what: String) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, ty, what.into())
}

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Reads an enum stored as its code, e.g. `Stage` from `"won"`.
pub(crate) fn code<T>(
    row: &Row<'_>,
    idx: usize,
    parse: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    let text: String = row.get(idx)?;
    parse(&text).ok_or_else(|| bad_value(idx, Type::Text, format!("unknown code {text:?}")))
}

/// Reads an unsigned count stored as INTEGER.
pub(crate) fn count(row: &Row<'_>, idx: usize) -> rusqlite::Result<u32> {
    let n: i64 = row.get(idx)?;
    u32::try_from(n).map_err(|_| bad_value(idx, Type::Integer, format!("count {n}")))
}
