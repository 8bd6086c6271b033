//! Plan versus actual on a year of a million leads: `rollup` (paid once, at import) and
//! `analyse` on the rollups (paid on every dashboard refresh and filter change).
//!
//! The leads are generated deterministically: 8 sources, 5 product lines, 20 owners,
//! created across the calendar year 2026, analysed as of 15 October 2026.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use leadplan_core::actuals::{
    CompareInput, CompareSettings, Filter, PlannedFigures, PlannedProductLine, PlannedSource,
    analyse, rollup,
};
use leadplan_core::{
    FollowUpSla, Lead, Money, PlanYear, ProductLine, Source, SourceAssumptions, SourceKind, Spend,
    Stage,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const LEADS: usize = 1_000_000;
const SOURCES: i64 = 8;
const PRODUCT_LINES: i64 = 5;
const OWNERS: usize = 20;

fn generate_leads() -> Vec<Lead> {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let owners: Vec<String> = (0..OWNERS).map(|i| format!("Owner {i:02}")).collect();
    let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    (0..LEADS)
        .map(|i| {
            let created = start + Duration::seconds(rng.random_range(0..365 * 86_400));
            let contacted = rng.random_bool(0.85);
            let first = contacted.then(|| {
                // mostly within the hour, a long tail up to six weeks
                let minutes = if rng.random_bool(0.7) {
                    rng.random_range(0..60)
                } else {
                    rng.random_range(60..60_000)
                };
                created + Duration::minutes(minutes)
            });
            let reached = first.filter(|_| rng.random_bool(0.6));
            let stage = match rng.random_range(0..100) {
                0..10 => Stage::New,
                10..35 => Stage::Contacted,
                35..45 => Stage::Appointment,
                45..52 => Stage::Offer,
                52..65 => Stage::Won,
                _ => Stage::Lost,
            };
            Lead {
                external_id: format!("L{i}"),
                created_at: created,
                source_id: Some(rng.random_range(1..=SOURCES)),
                product_line_id: Some(rng.random_range(1..=PRODUCT_LINES)),
                first_attempt_at: first,
                first_two_way_at: reached,
                attempts: if contacted { rng.random_range(1..8) } else { 0 },
                stage,
                lost_reason: None,
                appointment_at: None,
                won_at: None,
                value: (stage == Stage::Won)
                    .then(|| Money::from_cents(rng.random_range(1_000_000..6_000_000))),
                owner: Some(owners[rng.random_range(0..OWNERS)].clone()),
            }
        })
        .collect()
}

fn compare_input(leads: &[Lead], sla: &FollowUpSla) -> CompareInput {
    let monthly = LEADS as f64 / 12.0 / SOURCES as f64;
    CompareInput {
        year: PlanYear::new(2026, 1),
        settings: CompareSettings {
            conversion_floor: 0.13,
            sla: sla.clone(),
            cohort_maturity_days: 60,
        },
        sources: (1..=SOURCES)
            .map(|id| Source {
                id,
                name: format!("Source {id}"),
                kind: SourceKind::Paid,
                defaults: SourceAssumptions {
                    cost_per_lead: Money::from_units(20),
                    fixed_monthly_cost: Money::ZERO,
                    contact_rate: 0.8,
                    appointment_rate: 0.5,
                    close_rate: 0.3,
                    direct_conversion: None,
                },
                active: true,
            })
            .collect(),
        product_lines: (1..=PRODUCT_LINES)
            .map(|id| ProductLine {
                id,
                name: format!("Line {id}"),
                segment: String::new(),
                avg_revenue: Money::from_units(30_000),
                avg_margin: Money::from_units(3_000),
                active: true,
            })
            .collect(),
        planned: PlannedFigures {
            sources: (1..=SOURCES)
                .map(|id| PlannedSource {
                    source_id: id,
                    leads: [monthly; 12],
                    sales: [monthly * 0.13; 12],
                    spend: [monthly * 20.0; 12],
                    budget: [Money::from_units(250_000); 12],
                })
                .collect(),
            product_lines: (1..=PRODUCT_LINES)
                .map(|id| PlannedProductLine {
                    product_line_id: id,
                    annual_target_units: 26_000.0,
                    leads: [LEADS as f64 / 12.0 / PRODUCT_LINES as f64; 12],
                    sales: [26_000.0 / 12.0; 12],
                })
                .collect(),
        },
        rollups: rollup(leads, sla),
        spend: (1..=SOURCES)
            .flat_map(|source_id| {
                (1..=12).map(move |month| Spend {
                    source_id,
                    year: 2026,
                    month,
                    amount: Money::from_units(200_000),
                })
            })
            .collect(),
        filter: Filter::default(),
    }
}

fn bench(c: &mut Criterion) {
    let sla = FollowUpSla::default();
    let leads = generate_leads();
    let input = compare_input(&leads, &sla);
    let today = NaiveDate::from_ymd_opt(2026, 10, 15).unwrap();
    eprintln!(
        "{} leads rolled up into {} rows",
        leads.len(),
        input.rollups.len()
    );

    let mut group = c.benchmark_group("actuals");
    group.sample_size(20);
    group.bench_function("analyse_1m_leads_year", |b| {
        b.iter(|| analyse(black_box(&input), black_box(today)));
    });
    let filtered = CompareInput {
        filter: Filter {
            sources: vec![2, 5],
            product_lines: Vec::new(),
            first_month: 3,
            last_month: 8,
        },
        ..input.clone()
    };
    group.bench_function("analyse_1m_leads_two_sources_six_months", |b| {
        b.iter(|| analyse(black_box(&filtered), black_box(today)));
    });
    group.sample_size(10);
    group.bench_function("rollup_1m_leads", |b| {
        b.iter(|| rollup(black_box(&leads), black_box(&sla)));
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
