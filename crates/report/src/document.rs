//! The generic document every export is written from. It knows nothing of workbooks: the
//! meeting minutes and the plan-vs-actual report both build one of these.
//!
//! Table cells hold typed values, not text: a number stays a number so the Excel workbook
//! gets real numbers and the CSV file numbers a spreadsheet reads back. Text for the PDF is
//! made from them with [`leadplan_core::format`] in the document's locale.

use chrono::NaiveDate;
use leadplan_core::{Locale, Money, format};

/// Paper size of the PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PageSize {
    #[default]
    A4,
    UsLetter,
}

impl PageSize {
    /// Width and height in PDF points (1/72 inch).
    #[must_use]
    pub fn points(self) -> (f32, f32) {
        match self {
            // 210 × 297 mm
            PageSize::A4 => (595.276, 841.89),
            // 8.5 × 11 in
            PageSize::UsLetter => (612.0, 792.0),
        }
    }
}

/// What the report is about, shown on the cover page. Empty fields are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    pub organisation: String,
    /// The period covered, already written for the reader ("FY 2026", "Jan–Jun 2026").
    pub period: String,
    pub plan_version: String,
    /// The day the actuals were last imported.
    pub data_date: Option<NaiveDate>,
}

/// A whole report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub title: String,
    pub subtitle: String,
    pub locale: Locale,
    /// ISO 4217 code of every money value in the document ("EUR").
    pub currency: String,
    pub page_size: PageSize,
    pub metadata: Metadata,
    pub sections: Vec<Section>,
}

impl Document {
    /// Every table of the document, in reading order.
    pub fn tables(&self) -> impl Iterator<Item = &Table> {
        self.sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
    }

    /// Every chart of the document, in reading order.
    pub fn charts(&self) -> impl Iterator<Item = &Chart> {
        self.sections
            .iter()
            .flat_map(|s| &s.blocks)
            .filter_map(|b| match b {
                Block::Chart(c) => Some(c),
                _ => None,
            })
    }
}

/// A chapter: its title is listed in the table of contents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Section {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// One piece of a section's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading inside a section; level 1 headings are listed in the table of contents,
    /// levels 2 and 3 are smaller and are not.
    Heading {
        level: u8,
        text: String,
    },
    /// Running text, wrapped to the page; a line break in the text starts a new line.
    Paragraph(String),
    /// Label and value pairs, e.g. the attendees and date of a meeting.
    KeyValues(Vec<(String, String)>),
    Table(Table),
    Chart(Chart),
    PageBreak,
    Bullets(Vec<String>),
}

/// A chart drawn elsewhere, as an SVG document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart {
    /// Names the PNG file written for the chart; letters, digits, `-` and `_` are kept.
    pub id: String,
    pub svg: String,
    pub caption: String,
}

/// A table of typed values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// Names the CSV file and the Excel sheet; letters, digits, `-` and `_` are kept.
    pub id: String,
    /// Shown above the table in the PDF and used as the Excel sheet name.
    pub title: String,
    pub columns: Vec<Column>,
    /// Each row has one cell per column; missing cells are empty, extra cells are ignored.
    pub rows: Vec<Vec<Cell>>,
    /// A row set apart (bold, ruled) at the end of the table.
    pub totals: Option<Vec<Cell>>,
}

/// A column: its header and how its numbers are shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub kind: ColumnKind,
}

impl Column {
    #[must_use]
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Self {
        Column {
            header: header.into(),
            kind,
        }
    }
}

/// How the numbers of a column are shown. Text and dates are shown as they are whatever the
/// column; a number in a money column is an amount in currency units, in a percent column a
/// fraction (0.13 = 13 %).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColumnKind {
    #[default]
    Text,
    Integer,
    Number {
        decimals: u8,
    },
    Money {
        decimals: u8,
    },
    Percent {
        decimals: u8,
    },
    Date,
}

impl ColumnKind {
    /// Whether the column holds figures, which are right-aligned and never wrapped.
    #[must_use]
    pub fn is_numeric(self) -> bool {
        !matches!(self, ColumnKind::Text)
    }
}

/// Most decimals shown; more would only show the noise of binary floating point.
const MAX_DECIMALS: u8 = 12;

pub(crate) fn decimals(d: u8) -> usize {
    usize::from(d.min(MAX_DECIMALS))
}

/// How a cell is judged, shown as a coloured cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    Warn,
    Bad,
}

/// A typed value.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Value {
    #[default]
    Empty,
    Text(String),
    Integer(i64),
    Number(f64),
    Money(Money),
    Date(NaiveDate),
}

impl Value {
    /// The value as a number, if it is one.
    #[must_use]
    #[allow(clippy::cast_precision_loss)] // integers beyond 2^53 are shown rounded, as in Excel
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Integer(i) => Some(*i as f64),
            Value::Number(n) => Some(*n),
            Value::Money(m) => Some(m.as_units()),
            Value::Empty | Value::Text(_) | Value::Date(_) => None,
        }
    }
}

/// One table cell: a value and how it is judged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    pub value: Value,
    pub status: Option<Status>,
    /// How this cell's number is shown, when not as its column's: a table of KPIs has
    /// leads, percentages and money in one column.
    pub kind: Option<ColumnKind>,
}

impl Cell {
    #[must_use]
    pub fn empty() -> Self {
        Cell::default()
    }

    #[must_use]
    pub fn text(text: impl Into<String>) -> Self {
        Value::Text(text.into()).into()
    }

    #[must_use]
    pub fn integer(value: i64) -> Self {
        Value::Integer(value).into()
    }

    #[must_use]
    pub fn number(value: f64) -> Self {
        Value::Number(value).into()
    }

    #[must_use]
    pub fn money(value: Money) -> Self {
        Value::Money(value).into()
    }

    #[must_use]
    pub fn date(value: NaiveDate) -> Self {
        Value::Date(value).into()
    }

    #[must_use]
    pub fn with_status(mut self, status: Status) -> Self {
        self.status = Some(status);
        self
    }

    /// The cell with its own number format instead of its column's.
    #[must_use]
    pub fn shown_as(mut self, kind: ColumnKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// How the cell's number is shown in a column of `column` kind.
    #[must_use]
    pub fn kind_in(&self, column: ColumnKind) -> ColumnKind {
        self.kind.unwrap_or(column)
    }
}

impl From<Value> for Cell {
    fn from(value: Value) -> Self {
        Cell {
            value,
            status: None,
            kind: None,
        }
    }
}

/// A value written for the reader in `locale`, as the PDF shows it:
/// in a money column of a German report, 1234.56 is `1.234,56 €`.
#[must_use]
pub fn display_value(value: &Value, kind: ColumnKind, locale: Locale, currency: &str) -> String {
    match value {
        Value::Empty => String::new(),
        Value::Text(text) => text.clone(),
        Value::Date(date) => format::date(*date, locale),
        Value::Integer(_) | Value::Number(_) | Value::Money(_) => {
            let number = value.as_f64().unwrap_or(f64::NAN);
            match kind {
                ColumnKind::Integer => format::number(number, 0, locale),
                ColumnKind::Number { decimals: d } => format::number(number, decimals(d), locale),
                ColumnKind::Money { decimals: d } => {
                    format::money(number, currency, decimals(d), locale)
                }
                ColumnKind::Percent { decimals: d } => format::percent(number, decimals(d), locale),
                // A figure in a text or date column: whole numbers as such, others with two
                // decimals, money as money.
                ColumnKind::Text | ColumnKind::Date => match value {
                    Value::Money(m) => format::money(m.as_units(), currency, 2, locale),
                    Value::Integer(_) => format::number(number, 0, locale),
                    _ => format::number(number, 2, locale),
                },
            }
        }
    }
}

/// A name for a file or sheet made from an id: letters, digits, `-` and `_` are kept, every
/// other character becomes `_`; an empty id becomes `fallback`.
pub(crate) fn safe_name(id: &str, fallback: &str, max_chars: usize) -> String {
    let name: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(max_chars)
        .collect();
    if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_columns_show_amounts_in_the_documents_currency_and_locale() {
        let v = Value::Money(Money::from_cents(123_456));
        let kind = ColumnKind::Money { decimals: 2 };
        assert_eq!(
            display_value(&v, kind, Locale::De, "EUR"),
            "1.234,56\u{a0}€"
        );
        assert_eq!(display_value(&v, kind, Locale::En, "EUR"), "€1,234.56");
        // a computed amount in currency units reads the same
        assert_eq!(
            display_value(&Value::Number(1234.56), kind, Locale::Nl, "EUR"),
            "€\u{a0}1.234,56"
        );
    }

    #[test]
    fn percent_columns_show_fractions_as_percentages() {
        let kind = ColumnKind::Percent { decimals: 1 };
        assert_eq!(
            display_value(&Value::Number(0.135), kind, Locale::De, "EUR"),
            "13,5\u{a0}%"
        );
    }

    #[test]
    fn absurd_decimals_are_capped_instead_of_printing_noise() {
        let kind = ColumnKind::Number { decimals: 255 };
        let text = display_value(&Value::Number(0.5), kind, Locale::En, "EUR");
        assert_eq!(text, "0.500000000000");
    }

    #[test]
    fn names_keep_only_safe_characters() {
        assert_eq!(safe_name("leads/2026 plan", "t", 31), "leads_2026_plan");
        assert_eq!(safe_name("", "table-1", 31), "table-1");
        assert_eq!(safe_name("../../etc", "t", 31), "______etc");
    }
}
