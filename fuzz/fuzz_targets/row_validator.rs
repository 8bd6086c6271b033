//! Any cells (fields separated by 0x1F, rows by 0x1E) checked against the Leadplan columns,
//! plus the date and number parsers on their own: never a panic, and every row is counted
//! exactly once.
#![no_main]

use leadplan_import::number::{DecimalSeparator, parse_hundredths};
use leadplan_import::{
    DateOrder, DateParser, ImportOptions, LEADPLAN_HEADER, LocalTime, Preset, RowOutcome,
    RowValidator,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let headers: Vec<String> = LEADPLAN_HEADER.iter().map(|h| (*h).to_owned()).collect();
    let Some(mapping) = Preset::Leadplan.mapping(&headers) else {
        return;
    };
    let Ok(columns) = mapping.resolve(&headers) else {
        return;
    };
    let comma = data.first().is_some_and(|b| b & 1 == 1);
    let dates = DateParser {
        order: if comma {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        },
        local: LocalTime::EuropeanUnion {
            standard_offset_minutes: 60,
        },
    };
    let decimal = if comma {
        DecimalSeparator::Comma
    } else {
        DecimalSeparator::Point
    };
    let options = ImportOptions {
        known_sources: vec!["Website".into()],
        ..ImportOptions::default()
    };
    let mut validator = RowValidator::new(columns, headers.len(), decimal, dates, &options);
    let mut counted = 0_u64;
    for (i, row) in text.split('\u{1e}').enumerate() {
        let cells: Vec<&str> = row.split('\u{1f}').collect();
        for cell in &cells {
            let _ = dates.parse(cell);
            let _ = parse_hundredths(cell, decimal);
        }
        let outcome = validator.check(i as u64 + 2, cells.as_slice());
        if outcome != RowOutcome::Empty {
            counted += 1;
        }
    }
    let tally = validator.finish();
    assert_eq!(tally.counts.read, counted);
    assert_eq!(
        tally.counts.read,
        tally.counts.valid + tally.counts.rejected
    );
});
