#![allow(clippy::unwrap_used, clippy::expect_used)]
//! A 20-page report with 8 charts and 10 tables, in every format.

#[path = "../tests/common/sample.rs"]
#[allow(dead_code)]
mod sample;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use leadplan_report::{PdfOptions, render_chart_png, render_csv, render_pdf, render_xlsx};

fn exports(c: &mut Criterion) {
    let doc = sample::large_report();
    let pdf = render_pdf(&doc, PdfOptions::new(sample::created())).unwrap();
    let pages = lopdf::Document::load_mem(&pdf).unwrap().get_pages().len();
    eprintln!("the benchmark report has {pages} pages");
    let mut group = c.benchmark_group("report");
    group.sample_size(20);
    group.bench_function("pdf_20_pages_8_charts_10_tables", |b| {
        b.iter(|| render_pdf(black_box(&doc), PdfOptions::new(sample::created())).unwrap());
    });
    group.bench_function("xlsx_10_tables", |b| {
        b.iter(|| render_xlsx(black_box(&doc), sample::created()).unwrap());
    });
    group.bench_function("csv_10_tables", |b| {
        b.iter(|| {
            for table in doc.tables() {
                black_box(render_csv(table, doc.locale).unwrap());
            }
        });
    });
    let chart = doc.charts().next().unwrap();
    group.bench_function("png_chart_at_2x", |b| {
        b.iter(|| render_chart_png(&chart.id, black_box(&chart.svg), 2.0).unwrap());
    });
    group.finish();
}

criterion_group!(benches, exports);
criterion_main!(benches);
