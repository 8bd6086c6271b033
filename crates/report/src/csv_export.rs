//! One CSV file per table, written so a spreadsheet in the reader's language opens it right:
//!
//! - UTF-8 with a byte-order mark (Excel reads UTF-8 only with it);
//! - the locale's delimiter: `;` for German and Dutch, where the comma is the decimal
//!   separator, `,` for English;
//! - numbers as plain numbers with the locale's decimal separator and no grouping
//!   (`1234,56` in German), so they stay numbers: money in currency units with two decimals
//!   and no symbol, percentages as the fraction (0.135 for 13.5 %), other numbers exactly
//!   as computed, dates as ISO 8601 (`2026-03-31`), which every spreadsheet reads as a date;
//!   NaN and infinities are left empty;
//! - text that a spreadsheet would take for a formula is neutralised ([`neutralise`]).
//!
//! The header row holds the column headers; a totals row, if any, comes last.

use leadplan_core::{Locale, Money};

use crate::ReportError;
use crate::document::{Cell, Table, Value};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The field delimiter of a locale.
#[must_use]
pub fn csv_delimiter(locale: Locale) -> u8 {
    match locale {
        Locale::En => b',',
        Locale::De | Locale::Nl => b';',
    }
}

fn decimal_separator(locale: Locale) -> char {
    match locale {
        Locale::En => '.',
        Locale::De | Locale::Nl => ',',
    }
}

/// Text that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a
/// single quote, as OWASP recommends against CSV injection: a spreadsheet then shows it as
/// text instead of running it as a formula (`=HYPERLINK(…)`, `@SUM(…)`). Other text is
/// unchanged. Numbers are never text, so a negative number stays a number.
#[must_use]
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn money_field(money: Money, decimal: char) -> String {
    let cents = money.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}{decimal}{:02}", abs / 100, abs % 100)
}

fn field(value: &Value, locale: Locale) -> String {
    let decimal = decimal_separator(locale);
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => neutralise(text),
        Value::Integer(i) => i.to_string(),
        // Display prints the shortest text that reads back as the same number, never in
        // scientific notation.
        Value::Number(n) if n.is_finite() => n.to_string().replace('.', &decimal.to_string()),
        Value::Number(_) => String::new(),
        Value::Money(m) => money_field(*m, decimal),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
    }
}

fn row_fields<'a>(
    cells: &'a [Cell],
    columns: usize,
    locale: Locale,
) -> impl Iterator<Item = String> + 'a {
    (0..columns).map(move |i| {
        cells
            .get(i)
            .map_or_else(String::new, |c| field(&c.value, locale))
    })
}

/// The table as CSV bytes in `locale`.
///
/// # Errors
/// [`ReportError::Csv`] if a row cannot be written.
pub fn render_csv(table: &Table, locale: Locale) -> Result<Vec<u8>, ReportError> {
    let wrap = |source: csv::Error| ReportError::Csv {
        table: table.id.clone(),
        source,
    };
    let mut out = BOM.to_vec();
    {
        let mut writer = csv::WriterBuilder::new()
            .delimiter(csv_delimiter(locale))
            .quote_style(csv::QuoteStyle::Necessary)
            .from_writer(&mut out);
        let columns = table.columns.len();
        if columns > 0 {
            writer
                .write_record(table.columns.iter().map(|c| neutralise(&c.header)))
                .map_err(wrap)?;
            for row in table.rows.iter().chain(&table.totals) {
                writer
                    .write_record(row_fields(row, columns, locale))
                    .map_err(wrap)?;
            }
        }
        writer.flush().map_err(|e| wrap(e.into()))?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_text_is_prefixed_with_a_quote() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+31 20 123"), "'+31 20 123");
        assert_eq!(neutralise("-rest"), "'-rest");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("\rx"), "'\rx");
        assert_eq!(neutralise("Website"), "Website");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn numbers_use_the_locales_decimal_separator_without_grouping() {
        assert_eq!(
            field(&Value::Money(Money::from_cents(-1_234_567)), Locale::De),
            "-12345,67"
        );
        assert_eq!(
            field(&Value::Money(Money::from_cents(5)), Locale::En),
            "0.05"
        );
        assert_eq!(field(&Value::Number(0.135), Locale::Nl), "0,135");
        assert_eq!(field(&Value::Number(f64::NAN), Locale::Nl), "");
        assert_eq!(field(&Value::Integer(-7), Locale::De), "-7");
    }
}
