//! The Excel workbook: one sheet per table, real numbers with number formats per column
//! kind, a frozen bold header row, widths fitted to the shown text. Text is always written as
//! a string, so a source called `=HYPERLINK(…)` can never run as a formula.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, FixedOffset, Utc};
use leadplan_core::{Locale, format};
use rust_xlsxwriter::{DocProperties, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::ReportError;
use crate::document::{Cell, ColumnKind, Document, Status, Table, Value, decimals, display_value};

/// Most data rows a sheet takes: Excel's 1,048,576 rows less the header and a totals row.
pub const MAX_ROWS: usize = 1_048_574;
const MAX_COLUMNS: usize = 16_384;
/// Longest text Excel keeps in a cell.
const MAX_CELL_CHARS: usize = 32_767;

const HEADER_FILL: u32 = 0x00E8_EEF5;
const RULE: u32 = 0x001F_4E79;

fn status_colours(status: Status) -> (u32, u32) {
    // (fill, font) — the same tints as the PDF
    match status {
        Status::Ok => (0x00E3_F4E8, 0x001B_6E35),
        Status::Warn => (0x00FF_F3DC, 0x0086_5300),
        Status::Bad => (0x00FD_E4E6, 0x00A3_1F24),
    }
}

/// Quotes the literal parts of a number format; `%` stays bare, since it scales by 100.
fn literal(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('%').enumerate() {
        if i > 0 {
            out.push('%');
        }
        if !part.is_empty() {
            out.push('"');
            out.push_str(part);
            out.push('"');
        }
    }
    out
}

fn number_code(decimals: usize, grouped: bool) -> String {
    let mut code = if grouped { "#,##0" } else { "0" }.to_owned();
    if decimals > 0 {
        code.push('.');
        code.push_str(&"0".repeat(decimals));
    }
    code
}

/// The Excel format of a money amount, its symbol placed as `format::money` places it:
/// de `#,##0.00" €"`, nl `"€ "#,##0.00;"€ -"#,##0.00`, en `"€"#,##0.00;"-€"#,##0.00`.
/// Excel shows the separators of the reader's own settings.
fn money_format(currency: &str, decimals: usize, locale: Locale) -> String {
    let code = number_code(decimals, true);
    let section = |sample: f64| {
        let shown = format::money(sample, currency, 0, locale);
        let (before, after) = shown.split_once('1').unwrap_or(("", ""));
        format!("{}{code}{}", literal(before), literal(after))
    };
    format!("{};{}", section(1.0), section(-1.0))
}

fn percent_format(decimals: usize, locale: Locale) -> String {
    let shown = format::percent(0.01, 0, locale);
    let (before, after) = shown.split_once('1').unwrap_or(("", "%"));
    format!(
        "{}{}{}",
        literal(before),
        number_code(decimals, false),
        literal(after)
    )
}

fn date_format(locale: Locale) -> &'static str {
    match locale {
        Locale::De => "dd.mm.yyyy",
        Locale::Nl => "dd-mm-yyyy",
        Locale::En => "dd/mm/yyyy",
    }
}

/// The number format of a numeric value in a column, mirroring [`display_value`].
fn numeric_format(value: &Value, kind: ColumnKind, doc: &Document) -> String {
    match kind {
        ColumnKind::Integer => number_code(0, true),
        ColumnKind::Number { decimals: d } => number_code(decimals(d), true),
        ColumnKind::Money { decimals: d } => money_format(&doc.currency, decimals(d), doc.locale),
        ColumnKind::Percent { decimals: d } => percent_format(decimals(d), doc.locale),
        ColumnKind::Text | ColumnKind::Date => match value {
            Value::Money(_) => money_format(&doc.currency, 2, doc.locale),
            Value::Integer(_) => number_code(0, true),
            _ => number_code(2, true),
        },
    }
}

/// A sheet name Excel accepts: no `[]:*?/\`, no leading or trailing apostrophe, at most 31
/// characters, unique within the workbook (ignoring case).
fn sheet_name(title: &str, index: usize, taken: &mut HashSet<String>) -> String {
    let cleaned: String = title
        .chars()
        .map(|c| {
            if c.is_control() || "[]:*?/\\".contains(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cleaned = cleaned.trim_matches('\'').trim();
    let base = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        format!("Table {}", index + 1)
    } else {
        cleaned.to_owned()
    };
    let fit = |text: &str, max: usize| -> String {
        // Excel counts UTF-16 units
        let mut out = String::new();
        let mut units = 0;
        for c in text.chars() {
            units += c.len_utf16();
            if units > max {
                break;
            }
            out.push(c);
        }
        out.trim_end().trim_end_matches('\'').to_owned()
    };
    let mut name = fit(&base, 31);
    let mut n = 2;
    while name.is_empty() || taken.contains(&name.to_lowercase()) {
        let suffix = format!(" ({n})");
        name = format!("{}{suffix}", fit(&base, 31 - suffix.len()));
        n += 1;
    }
    taken.insert(name.to_lowercase());
    name
}

fn truncate_text(text: &str) -> String {
    // Excel's limit is in UTF-16 units; chars are a close, never larger, count for it
    if text.encode_utf16().count() <= MAX_CELL_CHARS {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut units = 0;
    for c in text.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_CHARS - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

struct Style {
    bold: bool,
    status: Option<Status>,
    rule_above: bool,
}

impl Style {
    fn format(&self, num_format: Option<&str>) -> Format {
        let mut format = Format::new();
        if let Some(code) = num_format {
            format = format.set_num_format(code);
        }
        if self.bold {
            format = format.set_bold();
        }
        if let Some(status) = self.status {
            let (fill, font) = status_colours(status);
            format = format.set_background_color(fill).set_font_color(font);
        }
        if self.rule_above {
            format = format
                .set_border_top(FormatBorder::Thin)
                .set_border_top_color(RULE);
        }
        format
    }
}

fn write_cell(
    sheet: &mut Worksheet,
    (row, col): (u32, u16),
    cell: &Cell,
    kind: ColumnKind,
    style: &Style,
    doc: &Document,
) -> Result<(), ReportError> {
    let text_format = style.format(None);
    match &cell.value {
        Value::Empty => {
            sheet.write_blank(row, col, &text_format)?;
        }
        Value::Text(text) => {
            // always a string: never parsed as a formula, number or date
            sheet.write_string_with_format(row, col, truncate_text(text), &text_format)?;
        }
        Value::Date(date) if (1900..=9999).contains(&date.year()) => {
            let format = style.format(Some(date_format(doc.locale)));
            sheet.write_datetime_with_format(row, col, date, &format)?;
        }
        Value::Date(_) => {
            let shown = display_value(&cell.value, kind, doc.locale, &doc.currency);
            sheet.write_string_with_format(row, col, shown, &text_format)?;
        }
        Value::Integer(_) | Value::Number(_) | Value::Money(_) => {
            let number = cell.value.as_f64().unwrap_or(f64::NAN);
            if number.is_finite() {
                let format = style.format(Some(&numeric_format(&cell.value, kind, doc)));
                sheet.write_number_with_format(row, col, number, &format)?;
            } else {
                // Excel has no NaN or infinity: show what the PDF shows, as text
                let shown = display_value(&cell.value, kind, doc.locale, &doc.currency);
                let format = text_format.set_align(FormatAlign::Right);
                sheet.write_string_with_format(row, col, shown, &format)?;
            }
        }
    }
    Ok(())
}

#[allow(clippy::cast_possible_truncation)] // rows and columns checked against Excel's limits
fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    doc: &Document,
    name: &str,
) -> Result<(), ReportError> {
    sheet.set_name(name)?;
    let columns = table.columns.len().min(MAX_COLUMNS);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(HEADER_FILL)
        .set_border_bottom(FormatBorder::Thin)
        .set_border_bottom_color(RULE);
    let header_numeric = header.clone().set_align(FormatAlign::Right);
    let mut widths: Vec<usize> = Vec::with_capacity(columns);
    for (c, column) in table.columns.iter().take(columns).enumerate() {
        let format = if column.kind.is_numeric() {
            &header_numeric
        } else {
            &header
        };
        sheet.write_string_with_format(0, c as u16, truncate_text(&column.header), format)?;
        // long headers wrap rather than widen the column
        widths.push(column.header.chars().count().min(24));
    }
    let rows = table.rows.iter().map(|r| (r, false));
    let totals = table.totals.iter().map(|r| (r, true));
    for (r, (cells, is_totals)) in rows.chain(totals).enumerate() {
        let row = r as u32 + 1;
        for (c, column) in table.columns.iter().take(columns).enumerate() {
            let empty = Cell::empty();
            let cell = cells.get(c).unwrap_or(&empty);
            let style = Style {
                bold: is_totals,
                status: cell.status,
                rule_above: is_totals,
            };
            let kind = cell.kind_in(column.kind);
            write_cell(sheet, (row, c as u16), cell, kind, &style, doc)?;
            let shown = display_value(&cell.value, kind, doc.locale, &doc.currency);
            widths[c] = widths[c].max(shown.chars().count());
        }
    }
    for (c, width) in widths.iter().enumerate() {
        // a little room for the bold header and Excel's cell padding
        let width = (*width).clamp(6, 60) as f64 + 2.0;
        sheet.set_column_width(c as u16, width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    if !table.rows.is_empty() && columns > 0 {
        sheet.autofilter(0, 0, table.rows.len() as u32, columns as u16 - 1)?;
    }
    Ok(())
}

/// The document's tables as an Excel workbook. `created` is stored as the creation time.
///
/// # Errors
/// [`ReportError::TooLargeForExcel`] for a table beyond Excel's sheet size,
/// [`ReportError::Xlsx`] if the workbook cannot be assembled.
pub fn render_xlsx(doc: &Document, created: DateTime<FixedOffset>) -> Result<Vec<u8>, ReportError> {
    let mut workbook = Workbook::new();
    let created = created.with_timezone(&Utc);
    let properties = DocProperties::new()
        .set_title(&doc.title)
        .set_subject(&doc.subtitle)
        .set_company(&doc.metadata.organisation)
        .set_author("Leadplan")
        .set_creation_datetime(&created);
    workbook.set_properties(&properties);
    let mut taken = HashSet::new();
    for (index, table) in doc.tables().enumerate() {
        if table.rows.len() > MAX_ROWS || table.columns.len() > MAX_COLUMNS {
            return Err(ReportError::TooLargeForExcel {
                table: table.id.clone(),
                rows: table.rows.len(),
                columns: table.columns.len(),
            });
        }
        let name = sheet_name(&table.title, index, &mut taken);
        let sheet = workbook.add_worksheet();
        write_table(sheet, table, doc, &name)?;
    }
    if taken.is_empty() {
        // a workbook needs a sheet; an empty document gets an empty one named by its title
        let name = sheet_name(&doc.title, 0, &mut taken);
        workbook.add_worksheet().set_name(name)?;
    }
    Ok(workbook.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats_place_the_symbol_as_the_locale_does() {
        assert_eq!(
            money_format("EUR", 2, Locale::De),
            "#,##0.00\"\u{a0}€\";\"-\"#,##0.00\"\u{a0}€\""
        );
        assert_eq!(
            money_format("EUR", 2, Locale::Nl),
            "\"€\u{a0}\"#,##0.00;\"€\u{a0}-\"#,##0.00"
        );
        assert_eq!(money_format("EUR", 0, Locale::En), "\"€\"#,##0;\"-€\"#,##0");
    }

    #[test]
    fn percent_formats_keep_the_percent_sign_bare() {
        assert_eq!(percent_format(1, Locale::En), "0.0%");
        assert_eq!(percent_format(0, Locale::De), "0\"\u{a0}\"%");
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(
            sheet_name("Leads [2026]: plan/actual", 0, &mut taken),
            "Leads 2026 plan actual"
        );
        assert_eq!(
            sheet_name("Leads [2026]: plan/actual", 1, &mut taken),
            "Leads 2026 plan actual (2)"
        );
        assert_eq!(sheet_name("", 2, &mut taken), "Table 3");
        assert_eq!(sheet_name("History", 3, &mut taken), "Table 4");
        let long = sheet_name(&"x".repeat(80), 4, &mut taken);
        assert_eq!(long.chars().count(), 31);
        let long2 = sheet_name(&"x".repeat(80), 5, &mut taken);
        assert_eq!(long2, format!("{} (2)", "x".repeat(27)));
        assert_eq!(sheet_name("'quoted'", 6, &mut taken), "quoted");
    }
}
