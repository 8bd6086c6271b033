//! Times the lead reader on a large Leadplan CSV.
//!
//! ```text
//! cargo run --release -p leadplan-import --example read_million -- generate /tmp/leads.csv 1000000
//! /usr/bin/time -v cargo run --release -p leadplan-import --example read_million -- read /tmp/leads.csv
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::time::Instant;

use leadplan_import::{Flow, ImportOptions, LEADPLAN_HEADER, read_leads};

const SOURCES: [&str; 6] = [
    "Website",
    "Marktplaats",
    "mobile.de",
    "AutoScout24",
    "Walk-in",
    "Phone",
];
const MODELS: [&str; 4] = ["Golf", "Polo", "Tiguan", "ID.3"];
const STAGES: [&str; 6] = ["new", "contacted", "appointment", "offer", "won", "lost"];
const OWNERS: [&str; 5] = ["Anna", "Ben", "Chris", "Dana", "Eli"];

/// A small deterministic generator, so every run writes the same file.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        usize::try_from((self.0 >> 33) % n as u64).unwrap()
    }
}

fn generate(path: &str, rows: usize) {
    let mut rng = Lcg(42);
    let mut out = String::with_capacity(rows * 110);
    out.push_str(&LEADPLAN_HEADER.join(","));
    out.push('\n');
    for i in 0..rows {
        let month = 1 + rng.next(12);
        let day = 1 + rng.next(27);
        let hour = 8 + rng.next(10);
        let minute = rng.next(60);
        let stage = STAGES[rng.next(STAGES.len())];
        let attempts = rng.next(7);
        let created = format!("2026-{month:02}-{day:02} {hour:02}:{minute:02}:00");
        let first = if attempts > 0 {
            format!("2026-{month:02}-{day:02} {:02}:{minute:02}:00", hour + 1)
        } else {
            String::new()
        };
        let won = if stage == "won" {
            format!("2026-{month:02}-{:02} 12:00:00", day + 1)
        } else {
            String::new()
        };
        let value = if stage == "won" {
            format!("{}.{:02}", 20_000 + rng.next(20_000), rng.next(100))
        } else {
            String::new()
        };
        let reason = if stage == "lost" { "no interest" } else { "" };
        writeln!(
            out,
            "L{i:07},{created},{},{},{first},{first},{attempts},{stage},{reason},,{won},{value},{}",
            SOURCES[rng.next(SOURCES.len())],
            MODELS[rng.next(MODELS.len())],
            OWNERS[rng.next(OWNERS.len())],
        )
        .unwrap();
    }
    std::fs::write(path, out).unwrap();
}

fn read(path: &str) {
    let bytes = std::fs::read(path).unwrap();
    let start = Instant::now();
    let mut updates = 0;
    let import = read_leads(&bytes, &ImportOptions::default(), |_| {
        updates += 1;
        Flow::Continue
    })
    .unwrap();
    let elapsed = start.elapsed();
    let c = import.report.counts;
    println!(
        "{} bytes, {} rows read, {} valid, {} rejected, {} findings, {} progress updates in {:.3} s",
        bytes.len(),
        c.read,
        c.valid,
        c.rejected,
        import.report.findings.len(),
        updates,
        elapsed.as_secs_f64()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") => generate(
            &args[2],
            args.get(3).map_or(1_000_000, |n| n.parse().unwrap()),
        ),
        Some("read") => read(&args[2]),
        _ => eprintln!("usage: read_million generate FILE [ROWS] | read FILE"),
    }
}
