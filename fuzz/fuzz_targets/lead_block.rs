//! Any bytes as a stored block of leads (a damaged workbook): decoding gives leads or an
//! error, never a panic, and leads it gives encode to a block that decodes to them again.
#![no_main]

use leadplan_workbook::lead_block::{decode, encode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(leads) = decode(data) {
        let again = decode(&encode(&leads));
        assert_eq!(again.as_ref().ok(), Some(&leads));
    }
});
