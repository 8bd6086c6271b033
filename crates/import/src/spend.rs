//! Monthly spend per source: a CSV or sheet with a source column, an amount column and the
//! month as year + month columns, a `2026-03`/`03.2026` month column, or a date column.
//! Headers are recognised in English, German and Dutch (see `docs/import-format.md`).

use std::collections::HashMap;

use chrono::Datelike;
use leadplan_core::Money;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::TargetField;
use crate::date::{DateOrder, DateParser};
use crate::error::ImportError;
use crate::fields::normalize_header;
use crate::number::{DecimalSeparator, parse_hundredths};
use crate::options::ImportOptions;
use crate::report::{Finding, FindingKind, ImportCounts, UnknownValue};
use crate::table::Table;
use crate::validate::{Cell, RowCells};
use crate::vocab::{NameResolver, Resolved};

/// Money spent on one source in one calendar month, as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SpendRow {
    #[ts(type = "number")]
    pub line: u64,
    /// The source name, mapped to the workbook's name where possible.
    pub source: String,
    pub year: i32,
    /// 1..=12
    pub month: u32,
    pub amount: Money,
}

/// The rows and findings of a spend file. Several rows for one source and month are kept
/// as they are (e.g. one per invoice); the workbook adds them up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SpendImport {
    pub rows: Vec<SpendRow>,
    pub counts: ImportCounts,
    pub findings: Vec<Finding>,
    pub unknown_sources: Vec<UnknownValue>,
}

const SOURCE: &[&str] = &[
    "source",
    "quelle",
    "bron",
    "channel",
    "kanal",
    "kanaal",
    "lead source",
];
const YEAR: &[&str] = &["year", "jahr", "jaar"];
const MONTH: &[&str] = &["month", "monat", "maand", "period", "periode", "zeitraum"];
const DATE: &[&str] = &["date", "datum"];
const AMOUNT: &[&str] = &[
    "amount", "spend", "cost", "costs", "betrag", "bedrag", "kosten", "ausgaben", "uitgaven",
];

#[derive(Debug, Clone, Copy)]
struct SpendColumns {
    source: usize,
    amount: usize,
    year: Option<usize>,
    month: Option<usize>,
    date: Option<usize>,
}

fn find(headers: &[String], names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.contains(&normalize_header(h).as_str()))
}

/// Reads a spend file.
///
/// # Errors
/// An unreadable file, or a header without source, amount and month columns.
pub fn read_spend(bytes: &[u8], options: &ImportOptions) -> Result<SpendImport, ImportError> {
    let mut table = Table::open(
        bytes,
        options.encoding,
        options.delimiter,
        options.sheet.as_deref(),
    )?;
    let headers = table.headers.clone();
    let source = find(&headers, SOURCE);
    let amount = find(&headers, AMOUNT);
    let (year, month, date) = (
        find(&headers, YEAR),
        find(&headers, MONTH),
        find(&headers, DATE),
    );
    let (Some(source), Some(amount)) = (source, amount) else {
        return Err(ImportError::MissingColumns(
            [(source, TargetField::Source), (amount, TargetField::Value)]
                .into_iter()
                .filter_map(|(c, f)| c.is_none().then_some(f))
                .collect(),
        ));
    };
    if month.is_none() && date.is_none() {
        return Err(ImportError::MissingColumns(vec![TargetField::CreatedAt]));
    }
    let cols = SpendColumns {
        source,
        amount,
        year,
        month,
        date,
    };
    let decimal = options.decimal.unwrap_or_else(|| {
        let samples = table.sample(&[amount], 1000);
        DecimalSeparator::detect(samples.iter().map(String::as_str), table.delimiter)
    });
    let dates = DateParser {
        order: options.date_order.unwrap_or(DateOrder::DayFirst),
        local: options.local_time,
    };
    let mut names = NameResolver::new(&options.known_sources, &options.values.sources);
    let mut out = SpendImport {
        rows: Vec::new(),
        counts: ImportCounts::default(),
        findings: Vec::new(),
        unknown_sources: Vec::new(),
    };
    let mut unknown: HashMap<String, UnknownValue> = HashMap::new();
    while let Some(next) = table.next_row() {
        let (line, row) = next?;
        if (0..row.len()).all(|i| row.cell(i).is_blank()) {
            continue;
        }
        out.counts.read += 1;
        let mut fail = |kind: FindingKind, column: usize, message: String| {
            out.findings.push(Finding {
                line,
                column: headers.get(column).cloned(),
                kind,
                severity: kind.severity(),
                value: Some(row.cell(column).display()),
                message,
            });
        };
        let source_text = row.cell(cols.source).display();
        let source_text = source_text.trim();
        let month = month_of(&row, cols, &dates);
        let amount = match row.cell(cols.amount) {
            Cell::Text(s) => parse_hundredths(s, decimal),
            Cell::Number(n) => Money::from_units_f64(n).map(Money::cents),
            _ => None,
        };
        let mut ok = true;
        if source_text.is_empty() {
            fail(
                FindingKind::MissingSource,
                cols.source,
                "the source is missing".into(),
            );
            ok = false;
        }
        let month_col = cols.month.or(cols.date).unwrap_or(cols.source);
        if month.is_none() {
            fail(FindingKind::InvalidDate, month_col, "not a month".into());
            ok = false;
        }
        if amount.is_none() {
            fail(
                FindingKind::InvalidNumber,
                cols.amount,
                "the amount is not a number".into(),
            );
            ok = false;
        }
        let (Some((year, month)), Some(amount), true) = (month, amount, ok) else {
            out.counts.rejected += 1;
            continue;
        };
        let name = match names.resolve(source_text) {
            Resolved::Known(n) => n.to_string(),
            Resolved::Unknown(n) => {
                let n = n.to_string();
                let entry = unknown.entry(n.clone()).or_insert_with(|| UnknownValue {
                    field: TargetField::Source,
                    value: n.clone(),
                    count: 0,
                    first_lines: Vec::new(),
                });
                entry.count += 1;
                if entry.first_lines.len() < 5 {
                    entry.first_lines.push(line);
                }
                out.findings.push(Finding {
                    line,
                    column: headers.get(cols.source).cloned(),
                    kind: FindingKind::UnknownSource,
                    severity: FindingKind::UnknownSource.severity(),
                    value: Some(n.clone()),
                    message: format!("the source {n:?} is not in the workbook; map it"),
                });
                n
            }
        };
        out.counts.valid += 1;
        out.rows.push(SpendRow {
            line,
            source: name,
            year,
            month,
            amount: Money::from_cents(amount),
        });
    }
    out.unknown_sources = unknown.into_values().collect();
    out.unknown_sources
        .sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    Ok(out)
}

/// (year, month) of a row.
fn month_of<R: RowCells + ?Sized>(
    row: &R,
    cols: SpendColumns,
    dates: &DateParser,
) -> Option<(i32, u32)> {
    let year_cell = cols.year.map(|c| row.cell(c));
    let year = match year_cell {
        Some(Cell::Text(s)) => s.trim().parse::<i32>().ok(),
        #[allow(clippy::cast_possible_truncation)] // checked to be a plausible whole year
        Some(Cell::Number(n)) if n.fract() == 0.0 && (1900.0..=2200.0).contains(&n) => {
            Some(n as i32)
        }
        _ => None,
    };
    if let Some(c) = cols.month {
        match row.cell(c) {
            Cell::Text(s) => {
                if let Some(ym) = year_month_text(s.trim()) {
                    return Some(ym);
                }
                let m = s
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .or_else(|| month_name(s.trim()))?;
                return ((1..=12).contains(&m)).then_some((year?, m));
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 1..=12 checked
            Cell::Number(n) if n.fract() == 0.0 && (1.0..=12.0).contains(&n) => {
                return Some((year?, n as u32));
            }
            Cell::DateTime(t, _) => return Some((t.year(), t.month())),
            _ => {}
        }
    }
    let c = cols.date?;
    let parsed = match row.cell(c) {
        Cell::Text(s) => dates.parse(s),
        Cell::Number(n) => dates.from_excel_serial(n),
        Cell::DateTime(t, d) => dates.from_local(t, d),
        _ => None,
    }?;
    Some((parsed.local.year(), parsed.local.month()))
}

/// `2026-03`, `2026/03`, `03.2026`, `03/2026`, `3-2026`.
fn year_month_text(s: &str) -> Option<(i32, u32)> {
    let (a, b) = s.split_once(['-', '/', '.'])?;
    let (year, month) = if a.len() == 4 {
        (a, b)
    } else if b.len() == 4 {
        (b, a)
    } else {
        return None;
    };
    let year: i32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    ((1..=12).contains(&month) && (1900..=2200).contains(&year)).then_some((year, month))
}

/// English, German and Dutch month names and their abbreviations.
fn month_name(s: &str) -> Option<u32> {
    let key: String = s
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    const NAMES: [(&str, u32); 16] = [
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("mär", 3),
        ("maa", 3),
        ("apr", 4),
        ("may", 5),
        ("mai", 5),
        ("mei", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("okt", 10),
        ("nov", 11),
    ];
    if key.starts_with("dec") || key.starts_with("dez") {
        return Some(12);
    }
    if key.chars().count() < 3 {
        return None;
    }
    NAMES
        .iter()
        .find(|(p, _)| key.starts_with(p))
        .map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_read_from_names_and_combined_forms() {
        assert_eq!(year_month_text("2026-03"), Some((2026, 3)));
        assert_eq!(year_month_text("03.2026"), Some((2026, 3)));
        assert_eq!(year_month_text("13/2026"), None);
        assert_eq!(month_name("März"), Some(3));
        assert_eq!(month_name("maart"), Some(3));
        assert_eq!(month_name("Okt."), Some(10));
        assert_eq!(month_name("Dezember"), Some(12));
        assert_eq!(month_name("ma"), None);
    }
}
