#![allow(clippy::unwrap_used, clippy::expect_used)]
//! How long each chart takes to draw for the sample data: charts are redrawn on every filter
//! change in the dashboard, so each should take a few milliseconds at most.

#[path = "../tests/sample/mod.rs"]
mod sample;

use criterion::{Criterion, criterion_group, criterion_main};
use leadplan_charts::Theme;
use leadplan_core::Locale;

fn all_charts(c: &mut Criterion) {
    let theme = Theme::light(Locale::De);
    // one warm-up draw registers the font
    let _ = sample::all_charts(&theme);
    let mut group = c.benchmark_group("chart");
    for id in leadplan_charts::ChartId::ALL {
        group.bench_function(id.as_str(), |b| b.iter(|| sample::draw(id, &theme).len()));
    }
    group.finish();
}

criterion_group!(benches, all_charts);
criterion_main!(benches);
