//! Any bytes, read as a lead file, a preview and a spend file, with options picked by the
//! first byte: the reader must return rows or an error, never panic.
#![no_main]

use leadplan_import::{Flow, preview, read_leads, read_spend};
use leadplan_import_fuzz::options;
use libfuzzer_sys::fuzz_target;

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
