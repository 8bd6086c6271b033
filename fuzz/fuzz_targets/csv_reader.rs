//! Any bytes, read as a lead file, a preview and a spend file, with options picked by the
//! first byte: the reader must return rows or an error, never panic.
#![no_main]

use leadplan_import::{
    DateOrder, DecimalSeparator, Flow, ImportOptions, LocalTime, TextEncoding, preview, read_leads,
    read_spend,
};
use libfuzzer_sys::fuzz_target;

fn options(selector: u8) -> ImportOptions {
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

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let options = options(selector);
    let mut calls = 0;
    if let Ok(import) = read_leads(body, &options, |_| {
        calls += 1;
        if selector & 0b1000_0000 != 0 {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }) {
        let c = import.report.counts;
        assert_eq!(c.read, c.valid + c.rejected);
        assert_eq!(import.leads.len() as u64, c.valid);
    }
    let _ = preview(body, &options, 20);
    let _ = read_spend(body, &options);
});
