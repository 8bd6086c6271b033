//! Any bytes, read as a lead file on one thread and in parts on two to four threads: both
//! reads must give the same leads, in the same order with the same lines, the same report,
//! or the same error.
#![no_main]

use leadplan_import::{CollectLeads, Flow, ReadControl, read_leads, read_leads_in_parts};
use leadplan_import_fuzz::options;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [selector, cut, body @ ..] = data else {
        return;
    };
    let options = options(*selector);
    let threads = 2 + usize::from(cut % 3);
    let min_part_bytes = 1 + usize::from(cut / 3 % 64);
    let once = read_leads(body, &options, |_| Flow::Continue);
    let control = ReadControl::default();
    let parts = read_leads_in_parts(
        body,
        &options,
        threads,
        min_part_bytes,
        &control,
        &CollectLeads,
    );
    match (once, parts) {
        (Ok(once), Ok(parts)) => {
            assert_eq!(once.report, parts.report);
            assert_eq!(once.leads, parts.sinks.concat());
        }
        (Err(once), Err(parts)) => assert_eq!(once.to_string(), parts.to_string()),
        (once, parts) => panic!(
            "one thread: {:?}; in parts: {:?}",
            once.map(|r| r.report.counts),
            parts.map(|r| r.report.counts)
        ),
    }
});
