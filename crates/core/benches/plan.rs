#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The plan of a large dealer group: 100 sources × 200 product lines × 12 months, with
//! seasonality, stock, launches, per-product-line mixes and budgets. Target: under 5 ms.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use leadplan_core::model::{Launch, SourceAssumptions, SourceKind};
use leadplan_core::money::Money;
use leadplan_core::plan::{
    MixEntry, PlanFile, PlanInput, PlanProductLine, PlanSource, SourceBudget, SourceShare, compute,
    parse_plan_file,
};

const SOURCES: usize = 100;
const LINES: usize = 200;

fn id(i: usize) -> i64 {
    i64::try_from(i).unwrap() + 1
}

/// Shares proportional to `weight(s)`, adding up to 1.
fn shares(weight: impl Fn(usize) -> f64) -> Vec<SourceShare> {
    let total: f64 = (0..SOURCES).map(&weight).sum();
    (0..SOURCES)
        .map(|s| SourceShare {
            source_id: id(s),
            share: weight(s) / total,
        })
        .collect()
}

fn large_plan() -> PlanInput {
    let sources = (0..SOURCES)
        .map(|s| PlanSource {
            id: id(s),
            name: format!("Source {s}"),
            kind: SourceKind::ALL[s % 5],
            assumptions: SourceAssumptions {
                cost_per_lead: Money::from_cents(500 + 37 * i64::try_from(s).unwrap()),
                fixed_monthly_cost: Money::from_units(if s % 4 == 0 { 250 } else { 0 }),
                contact_rate: 0.6 + 0.003 * f64::from(u32::try_from(s).unwrap()),
                appointment_rate: 0.5,
                close_rate: 0.4,
                direct_conversion: (s % 10 == 0).then_some(0.08),
            },
        })
        .collect();
    let product_lines = (0..LINES)
        .map(|p| {
            let mut line = PlanProductLine {
                id: 1000 + id(p),
                name: format!("Model {p}"),
                annual_target: 50.0 + f64::from(u32::try_from(p).unwrap()),
                monthly_targets: [None; 12],
                stock: [None; 12],
            };
            if p % 3 == 0 {
                line.stock = [Some(6.0); 12];
            }
            if p % 7 == 0 {
                line.monthly_targets[11] = Some(20.0);
            }
            line
        })
        .collect();
    let mut mix: Vec<MixEntry> = (0..12_u32)
        .map(|m| MixEntry {
            month: m,
            product_line_id: None,
            shares: shares(|s| 1.0 + ((s + m as usize) % 9) as f64),
        })
        .collect();
    for p in (0..LINES).step_by(10) {
        for m in [2_u32, 8] {
            mix.push(MixEntry {
                month: m,
                product_line_id: Some(1000 + id(p)),
                shares: shares(|s| if s % 2 == 0 { 2.0 } else { 1.0 }),
            });
        }
    }
    let launches = (0..10)
        .map(|i| Launch {
            id: id(i),
            product_line_id: 1000 + id(i * 20),
            month: u32::try_from(i).unwrap(),
            uplift: 0.3,
            duration_months: 3,
            prelaunch_months: 2,
            extra_budget: Money::from_units(5000),
        })
        .collect();
    let budgets = (0..SOURCES)
        .map(|s| SourceBudget {
            source_id: id(s),
            months: [Money::from_units(4000); 12],
        })
        .collect();
    PlanInput {
        sources,
        product_lines,
        seasonality: [0.8, 0.9, 1.2, 1.1, 1.0, 1.0, 0.7, 0.6, 1.1, 1.3, 1.2, 1.1],
        launches,
        mix,
        budgets,
        annual_budget_cap: Some(Money::from_units(4_000_000)),
    }
}

fn bench_plan(c: &mut Criterion) {
    let plan = large_plan();
    let result = compute(&plan, 0.13).unwrap();
    assert_eq!(result.cells.leads.len(), 12 * SOURCES * LINES);
    c.bench_function(
        "plan/compute 100 sources x 200 product lines x 12 months",
        |b| {
            b.iter(|| compute(black_box(&plan), black_box(0.13)));
        },
    );

    let json = PlanFile::from_input(&plan, 2026, "Large")
        .unwrap()
        .to_json()
        .unwrap();
    c.bench_function(
        "plan/parse_plan_file 100 sources x 200 product lines",
        |b| {
            b.iter(|| parse_plan_file(black_box(&json)));
        },
    );
}

criterion_group!(benches, bench_plan);
criterion_main!(benches);
