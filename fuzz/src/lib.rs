//! What the fuzz targets share.

use leadplan_import::{DateOrder, DecimalSeparator, ImportOptions, LocalTime, TextEncoding};

/// Import options picked by the bits of `selector`: forced delimiter, encoding, decimal
/// separator and date order, local time and workbook names (bit 7 is left to the target).
pub fn options(selector: u8) -> ImportOptions {
    let mut options = ImportOptions::default();
    options.delimiter = match selector & 0b11 {
        1 => Some(','),
        2 => Some(';'),
        3 => Some('\t'),
        _ => None,
    };
    options.encoding = match (selector >> 2) & 0b111 {
        1 => Some(TextEncoding::Utf8),
        2 => Some(TextEncoding::Utf16Le),
        3 => Some(TextEncoding::Utf16Be),
        4 => Some(TextEncoding::Windows1252),
        _ => None,
    };
    if selector & 0b10_0000 != 0 {
        options.decimal = Some(DecimalSeparator::Comma);
        options.date_order = Some(DateOrder::MonthFirst);
    }
    if selector & 0b100_0000 != 0 {
        options.local_time = LocalTime::EuropeanUnion {
            standard_offset_minutes: 60,
        };
        options.known_sources = vec!["Website".into(), "Marktplaats".into()];
        options.known_product_lines = vec!["Golf".into()];
    }
    options
}
