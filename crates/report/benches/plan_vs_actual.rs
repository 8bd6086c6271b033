#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The full plan-versus-actual report of the demo workbook: gathering it from the workbook,
//! making the document (all ten charts drawn) and writing the PDF, as `leadplan report` does.

use std::hint::black_box;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use leadplan_core::report_options::ReportOptions;
use leadplan_report::{PdfOptions, plan_vs_actual, render_pdf, report_data};
use leadplan_workbook::demo::{DEFAULT_SEED, create_demo};

fn demo_report(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
    let wb = create_demo(&dir.path().join("demo.leadplan"), now, DEFAULT_SEED).unwrap();
    let today = now.date_naive();
    let options = ReportOptions::default();
    let doc = plan_vs_actual(&report_data(&wb, 2026, &options, today).unwrap());
    let pdf = render_pdf(&doc, PdfOptions::new(now.fixed_offset())).unwrap();
    eprintln!(
        "the demo report has {} pages",
        leadplan_report::page_count(&pdf).unwrap()
    );
    let mut group = c.benchmark_group("plan_vs_actual");
    group.sample_size(10);
    group.bench_function("demo_full_pdf_from_workbook", |b| {
        b.iter(|| {
            let data = report_data(&wb, 2026, black_box(&options), today).unwrap();
            let doc = plan_vs_actual(&data);
            render_pdf(&doc, PdfOptions::new(now.fixed_offset())).unwrap()
        });
    });
    group.bench_function("demo_document_only", |b| {
        b.iter(|| plan_vs_actual(&report_data(&wb, 2026, black_box(&options), today).unwrap()));
    });
    group.finish();
}

criterion_group!(benches, demo_report);
criterion_main!(benches);
