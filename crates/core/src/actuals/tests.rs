//! The plan-versus-actual figures checked against a small workbook computed by hand.
//!
//! Plan year 2026 starting in February (index 0 = Feb 2026 … 11 = Jan 2027), today
//! 15 June 2026, cohort maturity 30 days, floor 13 %, SLA: first attempt within 60 min, at
//! least 4 attempts before lost, two-way target 60 %.
//!
//! Month states on 15 June:
//!   Feb: complete, mature  (28 Feb + 30 d = 30 Mar ≤ 15 Jun)
//!   Mar: complete, mature  (31 Mar + 30 d = 30 Apr)
//!   Apr: complete, mature  (30 Apr + 30 d = 30 May)
//!   May: complete, MATURING (31 May + 30 d = 30 Jun > 15 Jun)
//!   Jun: started, 15 of 30 days → plan to date × 0.5, maturing
//!   Jul … Jan: not started, no actuals
//!
//! Sources: 1 Website, 2 Marketplace, 3 Importer. Product lines: 10 Compact (revenue
//! 20 000, margin 2 000 per sale), 20 SUV (revenue 40 000, margin 5 000).
//!
//! The leads (delay = minutes from creation to first attempt, "-" = never contacted;
//! 2w = reached two-way; appt = appointment counted):
//!
//! | id  | month | src  | prod    | owner | delay | 2w | att | stage       | appt | value  |
//! |-----|-------|------|---------|-------|-------|----|-----|-------------|------|--------|
//! | L1  | Feb   | Web  | Compact | Anna  | 5     | y  | 2   | won         | y    | 21 000 |
//! | L2  | Feb   | Web  | SUV     | Ben   | 30    | y  | 3   | lost        |      |        |
//! | L3  | Feb   | Mkt  | Compact | Anna  | 64800 |    | 4   | lost        |      |        |
//! | L4  | Feb   | Imp  | SUV     | Cem   | 10    | y  | 1   | won (+appt) | y    | 38 000 |
//! | L5  | Mar   | Web  | Compact | Anna  | 2     | y  | 1   | offer       | y    |        |
//! | L6  | Mar   | Web  | Compact | Ben   | -     |    | 0   | lost        |      |        |
//! | L7  | Mar   | Web  | SUV     | Cem   | 45    | y  | 2   | won         | y    | 42 000 |
//! | L8  | Mar   | Mkt  | SUV     | Ben   | 300   |    | 5   | lost        |      |        |
//! | L9  | Mar   | Mkt  | Compact | Anna  | 15    | y  | 1   | contacted   |      |        |
//! | L10 | Mar   | Imp  | Compact | Cem   | 1     | y  | 1   | appointment | y    |        |
//! | L28 | Mar   | none | Compact | Anna  | 20    | y  | 2   | lost        |      |        |
//! | L11 | Apr   | Web  | Compact | Anna  | 8     | y  | 2   | won         | y    | 19 500 |
//! | L12 | Apr   | Web  | Compact | Anna  | 61    |    | 2   | lost        |      |        |
//! | L13 | Apr   | Web  | SUV     | Ben   | 20    | y  | 3   | contacted+appointment_at | y |  |
//! | L14 | Apr   | Mkt  | SUV     | -     | -     |    | 0   | new         |      |        |
//! | L15 | Apr   | Mkt  | Compact | Ben   | 3000  |    | 1   | lost        |      |        |
//! | L16 | Apr   | Imp  | SUV     | Cem   | 4     | y  | 2   | won         | y    | 45 000 |
//! | L17 | Apr   | Imp  | Compact | Cem   | 12    | y  | 1   | contacted   |      |        |
//! | L18 | May   | Web  | Compact | Anna  | 6     | y  | 1   | won         | y    | 20 000 |
//! | L19 | May   | Web  | SUV     | Ben   | 60    |    | 1   | contacted   |      |        |
//! | L20 | May   | Web  | Compact | Cem   | 25    | y  | 4   | lost        |      |        |
//! | L21 | May   | Web  | Compact | Anna  | -     |    | 0   | new         |      |        |
//! | L22 | May   | Mkt  | SUV     | Ben   | 10080 |    | 2   | lost        |      |        |
//! | L23 | May   | Imp  | SUV     | Cem   | 9     | y  | 1   | offer       | y    |        |
//! | L24 | Jun   | Web  | Compact | Anna  | 4     | y  | 1   | contacted   |      |        |
//! | L25 | Jun   | Web  | SUV     | -     | -     |    | 0   | new         |      |        |
//! | L26 | Jun   | Mkt  | Compact | Ben   | 100   |    | 1   | contacted   |      |        |
//! | L27 | Jun   | Imp  | Compact | Cem   | 55    | y  | 1   | won         | y    | 18 000 |
//! | L29 | Jan 26 (before the plan year: ignored) | Web | Compact | Anna | 5 | y | 1 | won |  |  |
//! | L30 | 2 Jul (not started: ignored)            | Web | Compact | Anna | - |   | 0 | new |  |  |
//!
//! Within the SLA means at most 60 min: L19 (60) is in, L12 (61) is out.
//! Lost below the minimum (never reached, attempts < 4): L6 (0), L12 (2), L15 (1), L22 (2)
//! = 4 (L2 and L28 were reached, so they were followed up); lost without attempt: L6 = 1; attempts on the 9 lost leads:
//! L2 3 + L3 4 + L6 0 + L8 5 + L28 2 + L12 2 + L15 1 + L20 4 + L22 2 = 23.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use serde_json::Value;

use super::*;
use crate::model::{
    FollowUpSla, Lead, ProductLine, Source, SourceAssumptions, SourceKind, Spend, Stage,
};
use crate::money::Money;
use crate::period::{PlanYear, YearMonth};

const WEB: i64 = 1;
const MKT: i64 = 2;
const IMP: i64 = 3;
const COMPACT: i64 = 10;
const SUV: i64 = 20;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 9, 0, 0).unwrap()
}

fn sla() -> FollowUpSla {
    FollowUpSla {
        first_contact_minutes: 60,
        min_attempts_before_lost: 4,
        two_way_contact_target: 0.6,
        within_sla_target: 0.8,
    }
}

struct Spec {
    id: &'static str,
    created: (i32, u32, u32),
    source: Option<i64>,
    product: Option<i64>,
    owner: Option<&'static str>,
    delay: Option<i64>,
    two_way: bool,
    attempts: u32,
    stage: Stage,
    appointment_at: bool,
    value: Option<i64>,
}

#[allow(clippy::too_many_arguments)]
fn spec(
    id: &'static str,
    (m, d): (u32, u32),
    source: Option<i64>,
    product: i64,
    owner: Option<&'static str>,
    delay: Option<i64>,
    two_way: bool,
    attempts: u32,
    stage: Stage,
    value: Option<i64>,
) -> Spec {
    Spec {
        id,
        created: (2026, m, d),
        source,
        product: Some(product),
        owner,
        delay,
        two_way,
        attempts,
        stage,
        appointment_at: false,
        value,
    }
}

fn lead(s: &Spec) -> Lead {
    let created = at(s.created.0, s.created.1, s.created.2);
    let first = s.delay.map(|m| created + Duration::minutes(m));
    Lead {
        external_id: s.id.into(),
        created_at: created,
        source_id: s.source,
        product_line_id: s.product,
        first_attempt_at: first,
        first_two_way_at: if s.two_way { first } else { None },
        attempts: s.attempts,
        stage: s.stage,
        lost_reason: None,
        appointment_at: s.appointment_at.then(|| created + Duration::days(2)),
        won_at: (s.stage == Stage::Won).then(|| created + Duration::days(10)),
        value: s.value.map(Money::from_units),
        owner: s.owner.map(str::to_owned),
    }
}

fn leads() -> Vec<Lead> {
    use Stage::{Appointment, Contacted, Lost, New, Offer, Won};
    let (a, b, c) = (Some("Anna"), Some("Ben"), Some("Cem"));
    let (w, m, i) = (Some(WEB), Some(MKT), Some(IMP));
    let mut specs = vec![
        spec(
            "L1",
            (2, 3),
            w,
            COMPACT,
            a,
            Some(5),
            true,
            2,
            Won,
            Some(21_000),
        ),
        spec("L2", (2, 10), w, SUV, b, Some(30), true, 3, Lost, None),
        spec(
            "L3",
            (2, 12),
            m,
            COMPACT,
            a,
            Some(64_800),
            false,
            4,
            Lost,
            None,
        ),
        spec(
            "L4",
            (2, 20),
            i,
            SUV,
            c,
            Some(10),
            true,
            1,
            Won,
            Some(38_000),
        ),
        spec("L5", (3, 2), w, COMPACT, a, Some(2), true, 1, Offer, None),
        spec("L6", (3, 5), w, COMPACT, b, None, false, 0, Lost, None),
        spec(
            "L7",
            (3, 9),
            w,
            SUV,
            c,
            Some(45),
            true,
            2,
            Won,
            Some(42_000),
        ),
        spec("L8", (3, 15), m, SUV, b, Some(300), false, 5, Lost, None),
        spec(
            "L9",
            (3, 20),
            m,
            COMPACT,
            a,
            Some(15),
            true,
            1,
            Contacted,
            None,
        ),
        spec(
            "L10",
            (3, 25),
            i,
            COMPACT,
            c,
            Some(1),
            true,
            1,
            Appointment,
            None,
        ),
        spec(
            "L28",
            (3, 28),
            None,
            COMPACT,
            a,
            Some(20),
            true,
            2,
            Lost,
            None,
        ),
        spec(
            "L11",
            (4, 1),
            w,
            COMPACT,
            a,
            Some(8),
            true,
            2,
            Won,
            Some(19_500),
        ),
        spec("L12", (4, 6), w, COMPACT, a, Some(61), false, 2, Lost, None),
        spec("L13", (4, 8), w, SUV, b, Some(20), true, 3, Contacted, None),
        spec("L14", (4, 14), m, SUV, None, None, false, 0, New, None),
        spec(
            "L15",
            (4, 18),
            m,
            COMPACT,
            b,
            Some(3000),
            false,
            1,
            Lost,
            None,
        ),
        spec(
            "L16",
            (4, 22),
            i,
            SUV,
            c,
            Some(4),
            true,
            2,
            Won,
            Some(45_000),
        ),
        spec(
            "L17",
            (4, 30),
            i,
            COMPACT,
            c,
            Some(12),
            true,
            1,
            Contacted,
            None,
        ),
        spec(
            "L18",
            (5, 4),
            w,
            COMPACT,
            a,
            Some(6),
            true,
            1,
            Won,
            Some(20_000),
        ),
        spec(
            "L19",
            (5, 7),
            w,
            SUV,
            b,
            Some(60),
            false,
            1,
            Contacted,
            None,
        ),
        spec("L20", (5, 11), w, COMPACT, c, Some(25), true, 4, Lost, None),
        spec("L21", (5, 19), w, COMPACT, a, None, false, 0, New, None),
        spec(
            "L22",
            (5, 23),
            m,
            SUV,
            b,
            Some(10_080),
            false,
            2,
            Lost,
            None,
        ),
        spec("L23", (5, 31), i, SUV, c, Some(9), true, 1, Offer, None),
        spec(
            "L24",
            (6, 1),
            w,
            COMPACT,
            a,
            Some(4),
            true,
            1,
            Contacted,
            None,
        ),
        spec("L25", (6, 3), w, SUV, None, None, false, 0, New, None),
        spec(
            "L26",
            (6, 8),
            m,
            COMPACT,
            b,
            Some(100),
            false,
            1,
            Contacted,
            None,
        ),
        spec(
            "L27",
            (6, 14),
            i,
            COMPACT,
            c,
            Some(55),
            true,
            1,
            Won,
            Some(18_000),
        ),
        spec("L30", (7, 2), w, COMPACT, a, None, false, 0, New, None),
    ];
    let mut l29 = spec(
        "L29",
        (1, 20),
        w,
        COMPACT,
        a,
        Some(5),
        true,
        1,
        Won,
        Some(9_999),
    );
    l29.created.1 = 1;
    specs.push(l29);
    for s in &mut specs {
        if s.id == "L4" || s.id == "L13" {
            s.appointment_at = true;
        }
    }
    specs.iter().map(lead).collect()
}

fn source(id: i64, name: &str) -> Source {
    Source {
        id,
        name: name.into(),
        kind: SourceKind::Paid,
        defaults: SourceAssumptions {
            cost_per_lead: Money::ZERO,
            fixed_monthly_cost: Money::ZERO,
            contact_rate: 1.0,
            appointment_rate: 1.0,
            close_rate: 0.2,
            direct_conversion: None,
        },
        active: true,
    }
}

fn product(id: i64, name: &str, revenue: i64, margin: i64) -> ProductLine {
    ProductLine {
        id,
        name: name.into(),
        segment: String::new(),
        avg_revenue: Money::from_units(revenue),
        avg_margin: Money::from_units(margin),
        active: true,
    }
}

/// The plan: Website leads 4,5,6,5 then 4 a month (52 a year) at 25 % and 25.00 a lead,
/// budget 120.00 a month; Marketplace 3 a month (36) at 10 % and 50.00, budget 150.00;
/// Importer 2 a month (24) at 25 %, a fixed 50.00, budget 50.00. Compact: 5 leads and 1
/// sale a month, target 12; SUV: 4 leads and 0.8 sales a month, target 10.
fn planned() -> PlannedFigures {
    let web_leads = [4.0, 5.0, 6.0, 5.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0, 4.0];
    PlannedFigures {
        sources: vec![
            PlannedSource {
                source_id: WEB,
                leads: web_leads,
                sales: web_leads.map(|l| l * 0.25),
                spend: web_leads.map(|l| l * 25.0),
                budget: [Money::from_units(120); 12],
            },
            PlannedSource {
                source_id: MKT,
                leads: [3.0; 12],
                sales: [0.3; 12],
                spend: [150.0; 12],
                budget: [Money::from_units(150); 12],
            },
            PlannedSource {
                source_id: IMP,
                leads: [2.0; 12],
                sales: [0.5; 12],
                spend: [50.0; 12],
                budget: [Money::from_units(50); 12],
            },
        ],
        product_lines: vec![
            PlannedProductLine {
                product_line_id: COMPACT,
                annual_target_units: 12.0,
                leads: [5.0; 12],
                sales: [1.0; 12],
            },
            PlannedProductLine {
                product_line_id: SUV,
                annual_target_units: 10.0,
                leads: [4.0; 12],
                sales: [0.8; 12],
            },
        ],
    }
}

/// Spend: Website 110, 130, 150, 140, 40 (Feb–Jun); Marketplace 150 × 4 + 75 in June;
/// Importer 50 a month. Ignored: Website 999 in January 2026 (before the year) and 100 in
/// July (not started).
fn spend() -> Vec<Spend> {
    let s = |source_id, year, month, units| Spend {
        source_id,
        year,
        month,
        amount: Money::from_units(units),
    };
    let mut v = vec![s(WEB, 2026, 1, 999), s(WEB, 2026, 7, 100)];
    for (month, units) in [(2, 110), (3, 130), (4, 150), (5, 140), (6, 40)] {
        v.push(s(WEB, 2026, month, units));
    }
    for month in 2..=6 {
        v.push(s(MKT, 2026, month, if month == 6 { 75 } else { 150 }));
        v.push(s(IMP, 2026, month, 50));
    }
    v
}

fn input(filter: Filter) -> CompareInput {
    CompareInput {
        year: PlanYear::new(2026, 2),
        settings: CompareSettings {
            conversion_floor: 0.13,
            sla: sla(),
            cohort_maturity_days: 30,
        },
        sources: vec![
            source(WEB, "Website"),
            source(MKT, "Marketplace"),
            source(IMP, "Importer"),
        ],
        product_lines: vec![
            product(COMPACT, "Compact", 20_000, 2_000),
            product(SUV, "SUV", 40_000, 5_000),
        ],
        planned: planned(),
        rollups: rollup(&leads(), &sla()),
        spend: spend(),
        filter,
    }
}

fn today() -> NaiveDate {
    date(2026, 6, 15)
}

fn whole_year() -> PlanVsActual {
    analyse(&input(Filter::default()), today())
}

#[test]
fn rollups_of_two_halves_added_together_equal_the_rollup_of_all() {
    let all = leads();
    let (first, second) = all.split_at(all.len() / 2);
    let mut acc = RollupAccumulator::new(&sla());
    for row in rollup(first, &sla()) {
        acc.add_rollup(&row);
    }
    for lead in second {
        acc.add(lead);
    }
    assert_eq!(acc.finish(), rollup(&all, &sla()));
}

/// A forecast without its monthly figures, which `the_monthly_forecast_…` checks.
fn without_months(f: &Forecast) -> Forecast {
    Forecast {
        monthly_leads: vec![],
        monthly_sales: vec![],
        ..f.clone()
    }
}

#[test]
fn the_monthly_forecast_is_the_actuals_then_the_plan_at_the_run_rate_and_adds_up() {
    let r = whole_year();
    let f = &r.total.forecast;
    // Feb–May complete: 4, 7, 7, 6 (Feb = 24 − 20); Jun–Jan 9 planned × 20/31 each
    let mut expected = vec![Some(4.0), Some(7.0), Some(7.0), Some(6.0)];
    expected.extend([Some(180.0 / 31.0); 8]);
    assert_close(&f.monthly_leads, &expected);
    let sum = |v: &[Option<f64>]| v.iter().map(|x| x.unwrap()).sum::<f64>();
    assert!((sum(&f.monthly_leads) - f.forecast_leads.unwrap()).abs() < 1e-9);
    assert!((sum(&f.monthly_sales) - f.forecast_sales.unwrap()).abs() < 1e-9);
    // June onwards: 180/31 leads × 5/18 = 50/31 sales (above June's 1 won so far)
    assert_close(&f.monthly_sales[4..].to_vec(), &vec![Some(50.0 / 31.0); 8]);
}

#[test]
fn the_response_time_distribution_counts_every_contacted_lead_once() {
    let r = whole_year();
    let t = &r.total.response_times;
    let counted: u64 = t.buckets.iter().map(|b| b.leads).sum();
    let funnel = r.total.figures.funnel.as_ref().unwrap();
    assert_eq!(counted, funnel.contacted);
    assert_eq!(t.not_contacted, funnel.leads - funnel.contacted);
    assert_eq!(t.buckets.len(), 9);
    assert_eq!(t.buckets[0].bucket.from_minutes, 0);
    assert_eq!(t.buckets[0].bucket.to_minutes, Some(15));
    assert_eq!(t.buckets[8].bucket.to_minutes, None);
}

/// Compares two values through their JSON form, numbers within 1e-9.
fn assert_close<T: serde::Serialize>(actual: &T, expected: &T) {
    fn walk(path: &str, a: &Value, e: &Value) {
        match (a, e) {
            (Value::Number(x), Value::Number(y)) => {
                let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
                assert!((x - y).abs() < 1e-9, "{path}: {x} != {y}");
            }
            (Value::Object(x), Value::Object(y)) => {
                assert_eq!(
                    x.keys().collect::<Vec<_>>(),
                    y.keys().collect::<Vec<_>>(),
                    "{path}"
                );
                for (k, v) in x {
                    walk(&format!("{path}.{k}"), v, &y[k]);
                }
            }
            (Value::Array(x), Value::Array(y)) => {
                assert_eq!(x.len(), y.len(), "{path}");
                for (i, (v, w)) in x.iter().zip(y).enumerate() {
                    walk(&format!("{path}[{i}]"), v, w);
                }
            }
            _ => assert_eq!(a, e, "{path}"),
        }
    }
    walk(
        "",
        &serde_json::to_value(actual).unwrap(),
        &serde_json::to_value(expected).unwrap(),
    );
}

fn bucket(from: u32, to: Option<u32>) -> Option<ResponseBucket> {
    Some(ResponseBucket {
        from_minutes: from,
        to_minutes: to,
    })
}

fn cents(units: f64) -> Option<Money> {
    Money::from_units_f64(units)
}

fn source_row(r: &PlanVsActual, id: Option<i64>) -> &SourceRow {
    r.sources.iter().find(|s| s.source_id == id).unwrap()
}

fn product_row(r: &PlanVsActual, id: i64) -> &ProductLineRow {
    r.product_lines
        .iter()
        .find(|p| p.product_line_id == Some(id))
        .unwrap()
}

#[test]
fn rollups_count_each_lead_once_in_its_month_source_product_line_and_owner() {
    let rows = rollup(&leads(), &sla());
    // 30 leads in 28 cells: L11 + L12 (Apr, Web, Compact, Anna) and L18 + L21 (May, Web,
    // Compact, Anna) share theirs
    assert_eq!(rows.len(), 28);
    assert_eq!(rows.iter().map(|r| r.leads).sum::<u64>(), 30);
    let apr_web = rows
        .iter()
        .find(|r| r.month == 4 && r.source_id == Some(WEB) && r.product_line_id == Some(COMPACT))
        .unwrap();
    // L11 won 19 500 (8 min, reached, 2 att) + L12 lost (61 min, 2 att < 4)
    assert_eq!(apr_web.owner.as_deref(), Some("Anna"));
    assert_eq!(
        (
            apr_web.leads,
            apr_web.contacted,
            apr_web.reached,
            apr_web.appointments,
            apr_web.won,
            apr_web.lost
        ),
        (2, 2, 1, 1, 1, 1)
    );
    assert_eq!(
        (
            apr_web.lost_without_attempt,
            apr_web.lost_below_min_attempts,
            apr_web.contacted_within_sla,
            apr_web.attempts_on_lost
        ),
        (0, 1, 1, 2)
    );
    assert_eq!(apr_web.revenue, Money::from_units(19_500));
    // 8 min → bucket 8; 61 min → the 5-minute bucket [60, 65) = index 60
    let mut expected = ResponseHistogram::new();
    expected.add_to_bucket(8, 1);
    expected.add_to_bucket(60, 1);
    assert_eq!(apr_web.response_minutes, expected);
    // ordered by year and month: January's L29 first, July's L30 last
    assert_eq!((rows[0].year, rows[0].month), (2026, 1));
    assert_eq!(rows.last().map(|r| r.month), Some(7));
}

#[test]
fn a_first_attempt_without_a_counted_attempt_still_counts_as_one() {
    let mut l = lead(&spec(
        "X",
        (3, 1),
        Some(WEB),
        COMPACT,
        None,
        Some(10),
        false,
        0,
        Stage::Lost,
        None,
    ));
    let rows = rollup(std::slice::from_ref(&l), &sla());
    assert_eq!(
        (rows[0].lost_without_attempt, rows[0].attempts_on_lost),
        (0, 1)
    );
    // and a first attempt recorded before creation counts as 0 minutes, within the SLA
    l.first_attempt_at = Some(l.created_at - Duration::minutes(30));
    let rows = rollup(&[l], &sla());
    assert_eq!(rows[0].contacted_within_sla, 1);
    assert_eq!(rows[0].response_minutes.counts()[0], 1);
}

#[test]
fn the_total_matches_the_hand_computation() {
    let r = whole_year();
    let t = &r.total.figures;
    // planned leads: Web 52 + Mkt 36 + Imp 24 = 112
    // to date: Web 4+5+6+5 + 4×0.5 = 22, Mkt 3×4.5 = 13.5, Imp 2×4.5 = 9 → 44.5
    // actual: Feb 4 + Mar 7 + Apr 7 + May 6 + Jun 4 = 28 (L29, L30 ignored)
    assert_close(
        &t.leads,
        &LeadsVsPlan {
            planned: Some(112.0),
            planned_to_date: Some(44.5),
            actual: Some(28),
            difference: Some(28.0 - 44.5),
            attainment: Some(28.0 / 44.5),
        },
    );
    // planned sales: Web 52×0.25 = 13, Mkt 0.3×12 = 3.6, Imp 0.5×12 = 6 → 22.6
    // to date: Web 1+1.25+1.5+1.25+0.5 = 5.5, Mkt 0.3×4.5 = 1.35, Imp 0.5×4.5 = 2.25 → 9.1
    // won: L1 L4 L7 L11 L16 L18 L27 = 7
    assert_close(
        &t.sales,
        &SalesVsPlan {
            planned: Some(22.6),
            planned_to_date: Some(9.1),
            won: Some(7),
        },
    );
    // actual 7/28; mature cohorts Feb–Apr: leads 4+7+7 = 18, won 2+1+2 = 5
    assert_close(
        &t.conversion,
        &Conversion {
            planned: Some(22.6 / 112.0),
            actual: Some(0.25),
            mature: Some(5.0 / 18.0),
            maturing: true,
            floor: 0.13,
            planned_vs_floor: Some(22.6 / 112.0 - 0.13),
            actual_vs_floor: Some(5.0 / 18.0 - 0.13),
        },
    );
    // contacted 4+6+6+5+3 = 24, reached 3+5+4+3+2 = 17, appointments 2+3+3+2+1 = 11,
    // lost 2+3+2+2+0 = 9
    assert_close(
        t.funnel.as_ref().unwrap(),
        &Funnel {
            leads: 28,
            contacted: 24,
            reached: 17,
            appointments: 11,
            won: 7,
            lost: 9,
            contacted_share: Some(24.0 / 28.0),
            reached_share: Some(17.0 / 28.0),
            appointment_share: Some(11.0 / 28.0),
            won_share: Some(7.0 / 28.0),
        },
    );
    // the 24 delays sorted: 1 2 4 4 5 6 8 9 10 12 15 20 | 20 25 30 45 55 60 61 100 300
    // 3000 10080 64800; median = rank 12 = 20 → [20, 21); p90 = rank ⌈21.6⌉ = 22 = 3000
    // → hourly bucket [3000, 3060). Within 60 min: 18 (all but 61 100 300 3000 10080
    // 64800)
    assert_close(
        t.follow_up.as_ref().unwrap(),
        &FollowUp {
            leads: 28,
            contacted: 24,
            median_response: bucket(20, Some(21)),
            p90_response: bucket(3000, Some(3060)),
            sla_minutes: 60,
            contacted_within_sla: 18,
            within_sla_share: Some(18.0 / 28.0),
            reached: 17,
            two_way_rate: Some(17.0 / 28.0),
            two_way_target: 0.6,
            lost: 9,
            avg_attempts_before_lost: Some(23.0 / 9.0),
            lost_without_attempt: 1,
            lost_below_min_attempts: 4,
            min_attempts: 4,
        },
    );
    // planned spend 1300 + 1800 + 600 = 3700; to date 550 + 675 + 225 = 1450
    // budget 1440 + 1800 + 600 = 3840; to date 540 + 675 + 225 = 1440
    // actual 570 + 675 + 250 = 1495; over budget 55
    // planned CPL 3700/112 = 33.0357 → 33.04; CPL 1495/28 = 53.3929 → 53.39
    // planned CPS 3700/22.6 = 163.7168 → 163.72; CPS 1495/7 = 213.5714 → 213.57
    assert_close(
        &t.spend,
        &SpendFigures {
            planned: cents(3700.0),
            planned_to_date: cents(1450.0),
            budget: cents(3840.0),
            budget_to_date: cents(1440.0),
            actual: cents(1495.0),
            over_budget: cents(55.0),
            planned_cost_per_lead: cents(33.04),
            cost_per_lead: cents(53.39),
            planned_cost_per_sale: cents(163.72),
            cost_per_sale: cents(213.57),
        },
    );
    // revenue 21000+38000+42000+19500+45000+20000+18000 = 203 500
    // margin: Compact L1 L11 L18 L27 = 4 × 2000 + SUV L4 L7 L16 = 3 × 5000 → 23 000
    // after marketing 23 000 − 1 495 = 21 505
    assert_close(
        &t.revenue,
        &RevenueFigures {
            revenue: cents(203_500.0),
            gross_margin: cents(23_000.0),
            won_without_margin: Some(0),
            marketing_cost: cents(1495.0),
            margin_after_marketing: cents(21_505.0),
        },
    );
}

#[test]
fn the_total_forecast_matches_the_hand_computation() {
    let r = whole_year();
    // run rate over Mar–May: actual 7+7+6 = 20 ÷ planned 10+11+10 = 31
    // leads: Feb–May actual 24 + Jun–Jan 8 months × 9 × 20/31 = 1440/31 (June: 180/31
    //   = 5.81 > 4 so far) → 2184/31; target 112, gap 1288/31
    // conversion: mature 5/18
    // sales: mature won 5 + May 6 × 5/18 = 5/3 (> 1 won) + Jun..Jan 8 × 180/31 × 5/18
    //   = 400/31 (June 50/31 > 1 won) → 5 + 5/3 + 400/31 = 1820/93
    // target: Compact 12 + SUV 10 = 22, gap 22 − 1820/93 = 226/93
    // per remaining month: (22 − (5 + 5/3)) ÷ 5/18 ÷ 8 = 46/3 × 18/5 ÷ 8 = 6.9
    assert_close(
        &without_months(&r.total.forecast),
        &Forecast {
            run_rate: Some(20.0 / 31.0),
            run_rate_months: 3,
            observed_conversion: Some(5.0 / 18.0),
            conversion_basis: ConversionBasis::MatureCohorts,
            forecast_leads: Some(2184.0 / 31.0),
            forecast_sales: Some(1820.0 / 93.0),
            target_leads: Some(112.0),
            target_sales: Some(22.0),
            gap_leads: Some(1288.0 / 31.0),
            gap_sales: Some(226.0 / 93.0),
            remaining_months: 8,
            leads_per_remaining_month: Some(6.9),
            monthly_leads: vec![],
            monthly_sales: vec![],
        },
    );
}

#[test]
fn the_kpi_tiles_carry_their_status_by_the_documented_thresholds() {
    let k = whole_year().kpis;
    // 28 / 44.5 = 0.629 < 0.85 → bad
    assert_close(
        &k.leads_vs_plan,
        &LeadsKpi {
            actual: Some(28),
            planned_to_date: Some(44.5),
            attainment: Some(28.0 / 44.5),
            status: Some(KpiStatus::Bad),
        },
    );
    // mature 5/18 = 0.278 ≥ 0.13 → ok
    assert_close(
        &k.conversion_vs_floor,
        &ConversionKpi {
            actual: Some(5.0 / 18.0),
            floor: 0.13,
            maturing: true,
            status: Some(KpiStatus::Ok),
        },
    );
    // 1495 / 1440 = 1.038: over budget but within 110 % → warn
    assert_close(
        &k.spend_vs_budget,
        &SpendKpi {
            actual: cents(1495.0),
            budget_to_date: cents(1440.0),
            share_of_budget: Some(1495.0 / 1440.0),
            status: Some(KpiStatus::Warn),
        },
    );
    // 213.57 / 163.72 = 1.304 > 1.15 → bad
    assert_close(
        &k.cost_per_sale,
        &CostPerSaleKpi {
            actual: cents(213.57),
            planned: cents(163.72),
            ratio: Some(21_357.0 / 16_372.0),
            status: Some(KpiStatus::Bad),
        },
    );
    // 1820/93 ÷ 22 = 0.8895 < 0.90 → bad
    assert_close(
        &k.forecast_gap,
        &ForecastKpi {
            forecast_sales: Some(1820.0 / 93.0),
            target_sales: Some(22.0),
            gap_sales: Some(226.0 / 93.0),
            attainment: Some(1820.0 / 93.0 / 22.0),
            status: Some(KpiStatus::Bad),
        },
    );
}

#[test]
fn rows_come_in_workbook_order_with_unknown_sources_last() {
    let r = whole_year();
    let ids: Vec<Option<i64>> = r.sources.iter().map(|s| s.source_id).collect();
    assert_eq!(ids, [Some(WEB), Some(MKT), Some(IMP), None]);
    assert_eq!(r.sources[1].name.as_deref(), Some("Marketplace"));
    assert_eq!(r.sources[3].name, None);
    assert_eq!(r.months.len(), 12);
    // 12 months × 4 source rows
    assert_eq!(r.cells.len(), 48);
    assert_eq!(
        r.product_lines
            .iter()
            .map(|p| p.product_line_id)
            .collect::<Vec<_>>(),
        [Some(COMPACT), Some(SUV)]
    );
    let owners: Vec<Option<&str>> = r.owners.iter().map(|o| o.owner.as_deref()).collect();
    assert_eq!(owners, [Some("Anna"), Some("Ben"), Some("Cem"), None]);
    assert!(r.spend_attributable);
}

/// Per source over Feb–Jun (Web L1 L2 L5 L6 L7 L11 L12 L13 L18–L21 L24 L25; Mkt L3 L8 L9
/// L14 L15 L22 L26; Imp L4 L10 L16 L17 L23 L27; none L28).
#[test]
fn each_source_matches_the_hand_computation() {
    let r = whole_year();
    struct Expect {
        id: Option<i64>,
        // planned, to date, actual
        leads: (f64, f64, u64),
        // planned, to date, won
        sales: (f64, f64, u64),
        // actual, mature (Feb–Apr won/leads)
        conversion: (Option<f64>, Option<f64>),
        // contacted, reached, appointments, lost
        funnel: (u64, u64, u64, u64),
        // median, p90, within SLA, attempts on lost, without attempt, below minimum
        follow_up: (
            Option<ResponseBucket>,
            Option<ResponseBucket>,
            u64,
            u64,
            u64,
            u64,
        ),
        // planned, to date, budget, budget to date, actual (units)
        spend: (f64, f64, f64, f64, f64),
        // planned CPL, CPL, planned CPS, CPS
        unit_costs: (Option<f64>, Option<f64>, Option<f64>, Option<f64>),
        // revenue, margin
        revenue: (f64, f64),
        forecast: Forecast,
    }
    let expectations = [
        // Website. leads 2+3+3+4+2 = 14; plan 52, to date 22; won L1 L7 L11 L18 = 4;
        // sales plan 13, to date 5.5; mature: Feb–Apr leads 8, won 3.
        // contacted 11 (not L6 L21 L25), reached 9 (L1 L2 L5 L7 L11 L13 L18 L20 L24),
        // appointments 6 (L1 L5 L7 L11 L13 L18), lost 4 (L2 L6 L12 L20)
        // delays 2 4 5 6 8 20 25 30 45 60 61: median rank 6 = 20, p90 rank 10 = 60 →
        // [60, 65); within 10; attempts on lost 3+0+2+4 = 9; without attempt 1 (L6);
        // below 2 (L6 L12; L2 was reached)
        // spend plan 100+125+150+125+100+7×100 = 1300, to date 550; budget 1440, to date
        // 540; actual 110+130+150+140+40 = 570; CPL 1300/52 = 25, 570/14 = 40.71;
        // CPS 1300/13 = 100, 570/4 = 142.50
        // revenue 21000+42000+19500+20000 = 102 500; margin 2000+5000+2000+2000 = 11 000
        // forecast: rate (3+3+4)/(5+6+5) = 0.625; leads 12 + Jun max(2, 2.5) + 7 × 2.5
        //   = 32; sales 3 mature + May max(1, 4×0.375) = 1.5 + Jun 0.9375 + 7 × 0.9375
        //   = 12; target 13 → gap 1; per month (13 − 4.5)/0.375/8 = 17/6
        Expect {
            id: Some(WEB),
            leads: (52.0, 22.0, 14),
            sales: (13.0, 5.5, 4),
            conversion: (Some(4.0 / 14.0), Some(3.0 / 8.0)),
            funnel: (11, 9, 6, 4),
            follow_up: (bucket(20, Some(21)), bucket(60, Some(65)), 10, 9, 1, 2),
            spend: (1300.0, 550.0, 1440.0, 540.0, 570.0),
            unit_costs: (Some(25.0), Some(40.71), Some(100.0), Some(142.5)),
            revenue: (102_500.0, 11_000.0),
            forecast: Forecast {
                run_rate: Some(0.625),
                run_rate_months: 3,
                observed_conversion: Some(0.375),
                conversion_basis: ConversionBasis::MatureCohorts,
                forecast_leads: Some(32.0),
                forecast_sales: Some(12.0),
                target_leads: Some(52.0),
                target_sales: Some(13.0),
                gap_leads: Some(20.0),
                gap_sales: Some(1.0),
                remaining_months: 8,
                leads_per_remaining_month: Some(17.0 / 6.0),
                monthly_leads: vec![],
                monthly_sales: vec![],
            },
        },
        // Marketplace. leads 1+2+2+1+1 = 7; plan 36, to date 13.5; won 0; sales 3.6, 1.35;
        // mature leads 5, won 0. contacted 6 (not L14), reached 1 (L9), appointments 0,
        // lost 4 (L3 L8 L15 L22). delays 15 100 300 3000 10080 64800: median rank 3 =
        // 300 → [300, 360), p90 rank 6 = 64800 → [43200, ∞); within 1; attempts on lost
        // 4+5+1+2 = 12; below 2 (L15 L22)
        // spend plan 1800, to date 675, budget 1800, to date 675, actual 675;
        // CPL 50, 675/7 = 96.43; CPS 1800/3.6 = 500, no sale → None
        // forecast: rate 5/9; leads 6 + 8 × 3 × 5/9 = 58/3 (June 5/3 > 1); conversion 0/5
        //   → sales 0; target 3.6; per month: ÷ 0 → None
        Expect {
            id: Some(MKT),
            leads: (36.0, 13.5, 7),
            sales: (3.6, 1.35, 0),
            conversion: (Some(0.0), Some(0.0)),
            funnel: (6, 1, 0, 4),
            follow_up: (bucket(300, Some(360)), bucket(43_200, None), 1, 12, 0, 2),
            spend: (1800.0, 675.0, 1800.0, 675.0, 675.0),
            unit_costs: (Some(50.0), Some(96.43), Some(500.0), None),
            revenue: (0.0, 0.0),
            forecast: Forecast {
                run_rate: Some(5.0 / 9.0),
                run_rate_months: 3,
                observed_conversion: Some(0.0),
                conversion_basis: ConversionBasis::MatureCohorts,
                forecast_leads: Some(58.0 / 3.0),
                forecast_sales: Some(0.0),
                target_leads: Some(36.0),
                target_sales: Some(3.6),
                gap_leads: Some(36.0 - 58.0 / 3.0),
                gap_sales: Some(3.6),
                remaining_months: 8,
                leads_per_remaining_month: None,
                monthly_leads: vec![],
                monthly_sales: vec![],
            },
        },
        // Importer. leads 1+1+2+1+1 = 6; plan 24, to date 9; won L4 L16 L27 = 3; sales 6,
        // 2.25; mature leads 4 won 2. contacted 6, reached 6, appointments 5 (L4 L10 L16
        // L23 L27), lost 0. delays 1 4 9 10 12 55: median rank 3 = 9, p90 rank 6 = 55;
        // within 6.
        // spend plan 600, to date 225, budget 600, to date 225, actual 250; CPL 25,
        // 250/6 = 41.67; CPS 100, 250/3 = 83.33. revenue 38000+45000+18000 = 101 000;
        // margin 5000+5000+2000 = 12 000
        // forecast: rate (1+2+1)/6 = 2/3; leads 5 + Jun max(1, 4/3) + 7 × 4/3 = 47/3;
        //   sales 2 + May max(0, 0.5) + Jun max(1, 2/3) + 7 × 2/3 = 49/6; target 6 → gap
        //   −13/6; per month (6 − 2.5)/0.5/8 = 0.875
        Expect {
            id: Some(IMP),
            leads: (24.0, 9.0, 6),
            sales: (6.0, 2.25, 3),
            conversion: (Some(0.5), Some(0.5)),
            funnel: (6, 6, 5, 0),
            follow_up: (bucket(9, Some(10)), bucket(55, Some(56)), 6, 0, 0, 0),
            spend: (600.0, 225.0, 600.0, 225.0, 250.0),
            unit_costs: (Some(25.0), Some(41.67), Some(100.0), Some(83.33)),
            revenue: (101_000.0, 12_000.0),
            forecast: Forecast {
                run_rate: Some(2.0 / 3.0),
                run_rate_months: 3,
                observed_conversion: Some(0.5),
                conversion_basis: ConversionBasis::MatureCohorts,
                forecast_leads: Some(47.0 / 3.0),
                forecast_sales: Some(49.0 / 6.0),
                target_leads: Some(24.0),
                target_sales: Some(6.0),
                gap_leads: Some(25.0 / 3.0),
                gap_sales: Some(-13.0 / 6.0),
                remaining_months: 8,
                leads_per_remaining_month: Some(0.875),
                monthly_leads: vec![],
                monthly_sales: vec![],
            },
        },
        // No source: L28 only (Mar, lost after 2 attempts, 20 min, reached). Not planned:
        // plan 0, attainment and unit costs undefined; spend 0.
        // forecast: zero plan in Mar–May → run rate None (plan as is); leads 1;
        //   conversion 0/1; target 0; per month 0 ÷ 0 → None
        Expect {
            id: None,
            leads: (0.0, 0.0, 1),
            sales: (0.0, 0.0, 0),
            conversion: (Some(0.0), Some(0.0)),
            funnel: (1, 1, 0, 1),
            follow_up: (bucket(20, Some(21)), bucket(20, Some(21)), 1, 2, 0, 0),
            spend: (0.0, 0.0, 0.0, 0.0, 0.0),
            unit_costs: (None, Some(0.0), None, None),
            revenue: (0.0, 0.0),
            forecast: Forecast {
                run_rate: None,
                run_rate_months: 3,
                observed_conversion: Some(0.0),
                conversion_basis: ConversionBasis::MatureCohorts,
                forecast_leads: Some(1.0),
                forecast_sales: Some(0.0),
                target_leads: Some(0.0),
                target_sales: Some(0.0),
                gap_leads: Some(-1.0),
                gap_sales: Some(0.0),
                remaining_months: 8,
                leads_per_remaining_month: None,
                monthly_leads: vec![],
                monthly_sales: vec![],
            },
        },
    ];
    for e in expectations {
        let row = source_row(&r, e.id);
        let f = &row.figures;
        let (planned, to_date, actual) = e.leads;
        #[allow(clippy::cast_precision_loss)]
        let actual_f = actual as f64;
        assert_close(
            &f.leads,
            &LeadsVsPlan {
                planned: Some(planned),
                planned_to_date: Some(to_date),
                actual: Some(actual),
                difference: Some(actual_f - to_date),
                attainment: (to_date > 0.0).then(|| actual_f / to_date),
            },
        );
        assert_close(
            &f.sales,
            &SalesVsPlan {
                planned: Some(e.sales.0),
                planned_to_date: Some(e.sales.1),
                won: Some(e.sales.2),
            },
        );
        let planned_conversion = (planned > 0.0).then(|| e.sales.0 / planned);
        assert_close(
            &f.conversion,
            &Conversion {
                planned: planned_conversion,
                actual: e.conversion.0,
                mature: e.conversion.1,
                maturing: true,
                floor: 0.13,
                planned_vs_floor: planned_conversion.map(|c| c - 0.13),
                actual_vs_floor: e.conversion.1.map(|c| c - 0.13),
            },
        );
        #[allow(clippy::cast_precision_loss)]
        let share = |n: u64| Some(n as f64 / actual_f);
        let (contacted, reached, appointments, lost) = e.funnel;
        assert_close(
            f.funnel.as_ref().unwrap(),
            &Funnel {
                leads: actual,
                contacted,
                reached,
                appointments,
                won: e.sales.2,
                lost,
                contacted_share: share(contacted),
                reached_share: share(reached),
                appointment_share: share(appointments),
                won_share: share(e.sales.2),
            },
        );
        let (median, p90, within, attempts, without, below) = e.follow_up;
        #[allow(clippy::cast_precision_loss)]
        let avg_attempts = (lost > 0).then(|| attempts as f64 / lost as f64);
        assert_close(
            f.follow_up.as_ref().unwrap(),
            &FollowUp {
                leads: actual,
                contacted,
                median_response: median,
                p90_response: p90,
                sla_minutes: 60,
                contacted_within_sla: within,
                within_sla_share: share(within),
                reached,
                two_way_rate: share(reached),
                two_way_target: 0.6,
                lost,
                avg_attempts_before_lost: avg_attempts,
                lost_without_attempt: without,
                lost_below_min_attempts: below,
                min_attempts: 4,
            },
        );
        let (sp, sp_td, budget, budget_td, actual_spend) = e.spend;
        let (pcpl, cpl, pcps, cps) = e.unit_costs;
        assert_close(
            &f.spend,
            &SpendFigures {
                planned: cents(sp),
                planned_to_date: cents(sp_td),
                budget: cents(budget),
                budget_to_date: cents(budget_td),
                actual: cents(actual_spend),
                over_budget: cents(actual_spend - budget_td),
                planned_cost_per_lead: pcpl.and_then(cents),
                cost_per_lead: cpl.and_then(cents),
                planned_cost_per_sale: pcps.and_then(cents),
                cost_per_sale: cps.and_then(cents),
            },
        );
        assert_close(
            &f.revenue,
            &RevenueFigures {
                revenue: cents(e.revenue.0),
                gross_margin: cents(e.revenue.1),
                won_without_margin: Some(0),
                marketing_cost: cents(actual_spend),
                margin_after_marketing: cents(e.revenue.1 - actual_spend),
            },
        );
        assert_close(&without_months(&row.forecast), &e.forecast);
    }
}

#[test]
fn each_product_line_matches_the_hand_computation() {
    let r = whole_year();
    // Compact: L1 L3 | L5 L6 L9 L10 L28 | L11 L12 L15 L17 | L18 L20 L21 | L24 L26 L27
    //   = 2+5+4+3+3 = 17 leads, won L1 L11 L18 L27 = 4; plan 5 a month: 60, to date 22.5;
    //   sales 12, to date 4.5; mature Feb–Apr leads 11, won 2; revenue 21000+19500+20000
    //   +18000 = 78 500; margin 4 × 2000 = 8000. No spend per product line.
    //   forecast: rate (5+4+3)/15 = 0.8; leads 14 + Jun max(3, 4) + 7 × 4 = 46;
    //   sales 2 + May max(1, 3×2/11) + Jun max(1, 4×2/11) + 7 × 8/11 = 100/11; target
    //   12 → gap 32/11; per month (12 − 3) ÷ 2/11 ÷ 8 = 99/16
    let compact = product_row(&r, COMPACT);
    assert_eq!(compact.name.as_deref(), Some("Compact"));
    assert_eq!(compact.annual_target_units, Some(12.0));
    let f = &compact.figures;
    assert_close(
        &f.leads,
        &LeadsVsPlan {
            planned: Some(60.0),
            planned_to_date: Some(22.5),
            actual: Some(17),
            difference: Some(-5.5),
            attainment: Some(17.0 / 22.5),
        },
    );
    assert_close(
        &f.sales,
        &SalesVsPlan {
            planned: Some(12.0),
            planned_to_date: Some(4.5),
            won: Some(4),
        },
    );
    assert_close(
        &f.conversion,
        &Conversion {
            planned: Some(0.2),
            actual: Some(4.0 / 17.0),
            mature: Some(2.0 / 11.0),
            maturing: true,
            floor: 0.13,
            planned_vs_floor: Some(0.2 - 0.13),
            actual_vs_floor: Some(2.0 / 11.0 - 0.13),
        },
    );
    assert_close(
        &f.spend,
        &SpendFigures {
            planned: None,
            planned_to_date: None,
            budget: None,
            budget_to_date: None,
            actual: None,
            over_budget: None,
            planned_cost_per_lead: None,
            cost_per_lead: None,
            planned_cost_per_sale: None,
            cost_per_sale: None,
        },
    );
    assert_close(
        &f.revenue,
        &RevenueFigures {
            revenue: cents(78_500.0),
            gross_margin: cents(8_000.0),
            won_without_margin: Some(0),
            marketing_cost: None,
            margin_after_marketing: None,
        },
    );
    assert_close(
        &without_months(&compact.forecast),
        &Forecast {
            run_rate: Some(0.8),
            run_rate_months: 3,
            observed_conversion: Some(2.0 / 11.0),
            conversion_basis: ConversionBasis::MatureCohorts,
            forecast_leads: Some(46.0),
            forecast_sales: Some(100.0 / 11.0),
            target_leads: Some(60.0),
            target_sales: Some(12.0),
            gap_leads: Some(14.0),
            gap_sales: Some(32.0 / 11.0),
            remaining_months: 8,
            leads_per_remaining_month: Some(99.0 / 16.0),
            monthly_leads: vec![],
            monthly_sales: vec![],
        },
    );
    // SUV: L2 L4 | L7 L8 | L13 L14 L16 | L19 L22 L23 | L25 = 11 leads, won L4 L7 L16 = 3;
    //   plan 48, to date 18; sales 9.6, to date 3.6; mature leads 7, won 3; revenue
    //   38000+42000+45000 = 125 000; margin 3 × 5000 = 15 000.
    //   forecast: rate (2+3+3)/12 = 2/3; leads 10 + Jun max(1, 8/3) + 7 × 8/3 = 94/3;
    //   sales 3 + May 3 × 3/7 + Jun 8/3 × 3/7 + 7 × 8/7 = 94/7; target 10 → −24/7;
    //   per month (10 − 30/7) ÷ 3/7 ÷ 8 = 5/3
    let suv = product_row(&r, SUV);
    let f = &suv.figures;
    assert_close(
        &f.leads,
        &LeadsVsPlan {
            planned: Some(48.0),
            planned_to_date: Some(18.0),
            actual: Some(11),
            difference: Some(-7.0),
            attainment: Some(11.0 / 18.0),
        },
    );
    assert_eq!(f.sales.won, Some(3));
    assert_close(&f.conversion.mature, &Some(3.0 / 7.0));
    assert_close(&f.revenue.revenue, &cents(125_000.0));
    assert_close(&f.revenue.gross_margin, &cents(15_000.0));
    assert_close(
        &without_months(&suv.forecast),
        &Forecast {
            run_rate: Some(2.0 / 3.0),
            run_rate_months: 3,
            observed_conversion: Some(3.0 / 7.0),
            conversion_basis: ConversionBasis::MatureCohorts,
            forecast_leads: Some(94.0 / 3.0),
            forecast_sales: Some(94.0 / 7.0),
            target_leads: Some(48.0),
            target_sales: Some(10.0),
            gap_leads: Some(50.0 / 3.0),
            gap_sales: Some(-24.0 / 7.0),
            remaining_months: 8,
            leads_per_remaining_month: Some(5.0 / 3.0),
            monthly_leads: vec![],
            monthly_sales: vec![],
        },
    );
}

#[test]
fn follow_up_per_owner_matches_the_hand_computation() {
    let r = whole_year();
    let fu = |leads, contacted, median, p90, within, reached, lost, attempts, without, below| {
        #[allow(clippy::cast_precision_loss)]
        let share = |n: u64| Some(n as f64 / leads as f64);
        #[allow(clippy::cast_precision_loss)]
        let avg = (lost > 0).then(|| attempts as f64 / lost as f64);
        FollowUp {
            leads,
            contacted,
            median_response: median,
            p90_response: p90,
            sla_minutes: 60,
            contacted_within_sla: within,
            within_sla_share: share(within),
            reached,
            two_way_rate: share(reached),
            two_way_target: 0.6,
            lost,
            avg_attempts_before_lost: avg,
            lost_without_attempt: without,
            lost_below_min_attempts: below,
            min_attempts: 4,
        }
    };
    let expected = [
        // Anna: L1 L3 L5 L9 L28 L11 L12 L18 L21 L24 = 10; contacted 9 (not L21), delays
        // 2 4 5 6 8 15 20 61 64800: median rank 5 = 8, p90 rank 9 = 64800; within 7;
        // reached 7 (L1 L5 L9 L28 L11 L18 L24); lost L3 L28 L12 = 3, attempts 4+2+2 = 8,
        // below 1 (L12; L28 was reached)
        fu(
            10,
            9,
            bucket(8, Some(9)),
            bucket(43_200, None),
            7,
            7,
            3,
            8,
            0,
            1,
        ),
        // Ben: L2 L6 L8 L13 L15 L19 L22 L26 = 8; contacted 7, delays 20 30 60 100 300 3000
        // 10080: median rank 4 = 100 → [100, 105), p90 rank 7 = 10080 → [10080, 11520);
        // within 3 (20 30 60); reached 2 (L2 L13); lost L2 L6 L8 L15 L22 = 5, attempts
        // 3+0+5+1+2 = 11, without 1 (L6), below 3 (L6 L15 L22; L2 was reached)
        fu(
            8,
            7,
            bucket(100, Some(105)),
            bucket(10_080, Some(11_520)),
            3,
            2,
            5,
            11,
            1,
            3,
        ),
        // Cem: L4 L7 L10 L16 L17 L20 L23 L27 = 8, all contacted, reached and within;
        // delays 1 4 9 10 12 25 45 55: median rank 4 = 10, p90 rank 8 = 55; lost L20 after
        // 4 attempts
        fu(
            8,
            8,
            bucket(10, Some(11)),
            bucket(55, Some(56)),
            8,
            8,
            1,
            4,
            0,
            0,
        ),
        // no owner: L14 L25, never contacted
        fu(2, 0, None, None, 0, 0, 0, 0, 0, 0),
    ];
    for (row, e) in r.owners.iter().zip(&expected) {
        assert_close(&row.follow_up, e);
    }
}

#[test]
fn months_and_cells_follow_the_calendar() {
    let r = whole_year();
    // Feb: complete and mature; plan 4+3+2 = 9, all due; 4 leads, won 2
    let feb = &r.months[0];
    assert_eq!(
        feb.month,
        YearMonth {
            year: 2026,
            month: 2
        }
    );
    assert!(feb.started && feb.complete && !feb.maturing);
    assert_close(
        &feb.figures.leads,
        &LeadsVsPlan {
            planned: Some(9.0),
            planned_to_date: Some(9.0),
            actual: Some(4),
            difference: Some(-5.0),
            attainment: Some(4.0 / 9.0),
        },
    );
    // Feb sales plan 1 + 0.3 + 0.5 = 1.8
    assert_close(
        &feb.cumulative,
        &Cumulative {
            planned_leads: Some(9.0),
            actual_leads: Some(4),
            planned_sales: Some(1.8),
            won: Some(2),
        },
    );
    // May: complete but still maturing; conversion 1/6 counts as actual, not mature
    let may = &r.months[3];
    assert!(may.complete && may.maturing);
    assert_close(&may.figures.conversion.actual, &Some(1.0 / 6.0));
    assert_eq!(may.figures.conversion.mature, None);
    assert_close(
        &may.figures.conversion.actual_vs_floor,
        &Some(1.0 / 6.0 - 0.13),
    );
    // June: 15 of 30 days → plan to date 9 × 0.5 = 4.5; 4 leads; cumulative plan
    // 9 + 10 + 11 + 10 + 9 = 49, sales 1.8 + 2.05 + 2.3 + 2.05 + 1.8 = 10, won 7
    let jun = &r.months[4];
    assert!(jun.started && !jun.complete && jun.maturing);
    assert_close(
        &jun.figures.leads,
        &LeadsVsPlan {
            planned: Some(9.0),
            planned_to_date: Some(4.5),
            actual: Some(4),
            difference: Some(-0.5),
            attainment: Some(4.0 / 4.5),
        },
    );
    assert_close(
        &jun.cumulative,
        &Cumulative {
            planned_leads: Some(49.0),
            actual_leads: Some(28),
            planned_sales: Some(10.0),
            won: Some(7),
        },
    );
    // June spend: 40 + 75 + 50 = 165 against budget to date (120+150+50) × 0.5 = 160
    assert_close(&jun.figures.spend.actual, &cents(165.0));
    assert_close(&jun.figures.spend.budget_to_date, &cents(160.0));
    // July has not started: no actuals at all, not zeros (the 100.00 spent is ignored)
    let jul = &r.months[5];
    assert!(!jul.started && !jul.maturing);
    assert_eq!(jul.figures.leads.actual, None);
    assert_eq!(jul.figures.leads.difference, None);
    assert_eq!(jul.figures.leads.planned_to_date, Some(0.0));
    assert_eq!(jul.figures.funnel, None);
    assert_eq!(jul.figures.follow_up, None);
    assert_eq!(jul.figures.spend.actual, None);
    assert_eq!(jul.figures.revenue.revenue, None);
    assert_eq!(jul.cumulative.actual_leads, None);
    assert_close(&jul.cumulative.planned_leads, &Some(58.0));
    // Apr × Marketplace: L14 L15, plan 3, no sale; spend 150 → CPL 75, CPS undefined,
    // margin after marketing −150
    let cell = r
        .cells
        .iter()
        .find(|c| c.month.month == 4 && c.source_id == Some(MKT))
        .unwrap();
    assert!(!cell.maturing);
    assert_eq!(cell.figures.leads.actual, Some(2));
    assert_close(&cell.figures.leads.attainment, &Some(2.0 / 3.0));
    assert_close(&cell.figures.spend.cost_per_lead, &cents(75.0));
    assert_eq!(cell.figures.spend.cost_per_sale, None);
    assert_close(&cell.figures.revenue.margin_after_marketing, &cents(-150.0));
    // its cumulative: Mkt leads 1 + 2 + 2 = 5 against plan 9
    assert_close(
        &cell.cumulative,
        &Cumulative {
            planned_leads: Some(9.0),
            actual_leads: Some(5),
            planned_sales: Some(0.9),
            won: Some(0),
        },
    );
}

#[test]
fn a_source_filter_reduces_every_figure_to_that_source() {
    let all = whole_year();
    let only = analyse(
        &input(Filter {
            sources: vec![MKT],
            ..Filter::default()
        }),
        today(),
    );
    let mkt = source_row(&all, Some(MKT));
    assert_eq!(only.sources.len(), 1);
    assert_eq!(only.total.figures, mkt.figures);
    assert_eq!(only.total.forecast, mkt.forecast);
    // the product-line plan spans all sources, so under a source filter it is unknown;
    // actuals: Compact L3 L9 L15 L26 = 4, SUV L8 L14 L22 = 3
    let compact = product_row(&only, COMPACT);
    assert_eq!(compact.figures.leads.planned, None);
    assert_eq!(compact.figures.leads.actual, Some(4));
    assert_eq!(compact.forecast.target_sales, None);
    assert_eq!(product_row(&only, SUV).figures.leads.actual, Some(3));
    // owners of Marketplace leads: Anna L3 L9, Ben L8 L15 L22 L26, none L14
    let owners: Vec<(Option<&str>, u64)> = only
        .owners
        .iter()
        .map(|o| (o.owner.as_deref(), o.follow_up.leads))
        .collect();
    assert_eq!(owners, [(Some("Anna"), 2), (Some("Ben"), 4), (None, 1)]);
    // no sale but 675 spent → cost per sale bad; forecast 0 of 3.6 → bad
    assert_eq!(only.kpis.cost_per_sale.status, Some(KpiStatus::Bad));
    assert_eq!(only.kpis.forecast_gap.status, Some(KpiStatus::Bad));
    // spend 675 = budget to date 675 → ok
    assert_eq!(only.kpis.spend_vs_budget.status, Some(KpiStatus::Ok));
}

#[test]
fn a_month_range_reduces_every_figure_to_those_months() {
    // March to May (indices 1..=3), all complete
    let r = analyse(
        &input(Filter {
            first_month: 3,
            last_month: 1,
            ..Filter::default()
        }),
        today(),
    );
    assert_eq!((r.filter.first_month, r.filter.last_month), (1, 3));
    assert_eq!(
        r.months.iter().map(|m| m.index).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let t = &r.total.figures;
    // plan 10 + 11 + 10 = 31, all due; actual 7 + 7 + 6 = 20; won 1 + 2 + 1 = 4
    assert_close(
        &t.leads,
        &LeadsVsPlan {
            planned: Some(31.0),
            planned_to_date: Some(31.0),
            actual: Some(20),
            difference: Some(-11.0),
            attainment: Some(20.0 / 31.0),
        },
    );
    assert_eq!(t.sales.won, Some(4));
    // mature Mar + Apr: leads 14, won 3
    assert_close(&t.conversion.mature, &Some(3.0 / 14.0));
    // spend Web 130+150+140 + Mkt 450 + Imp 150 = 1020; budget (120+150+50) × 3 = 960
    assert_close(&t.spend.actual, &cents(1020.0));
    assert_close(&t.spend.budget_to_date, &cents(960.0));
    // the range's own lost and follow-up figures: lost Mar 3 + Apr 2 + May 2 = 7
    assert_eq!(t.follow_up.as_ref().unwrap().lost, 7);
    // forecast: nothing remains; target = planned sales of the range 2.05 + 2.3 + 2.05
    // = 6.4; sales 3 mature + May max(1, 6 × 3/14) = 30/7
    assert_close(
        &without_months(&r.total.forecast),
        &Forecast {
            run_rate: Some(20.0 / 31.0),
            run_rate_months: 3,
            observed_conversion: Some(3.0 / 14.0),
            conversion_basis: ConversionBasis::MatureCohorts,
            forecast_leads: Some(20.0),
            forecast_sales: Some(30.0 / 7.0),
            target_leads: Some(31.0),
            target_sales: Some(6.4),
            gap_leads: Some(11.0),
            gap_sales: Some(6.4 - 30.0 / 7.0),
            remaining_months: 0,
            leads_per_remaining_month: None,
            monthly_leads: vec![],
            monthly_sales: vec![],
        },
    );
    // per product line the target is the range's planned sales: Compact 3 × 1 = 3
    assert_close(&product_row(&r, COMPACT).forecast.target_sales, &Some(3.0));
}

#[test]
fn a_product_line_filter_takes_the_plan_from_the_product_line_and_drops_spend() {
    let all = whole_year();
    let only = analyse(
        &input(Filter {
            product_lines: vec![COMPACT],
            ..Filter::default()
        }),
        today(),
    );
    assert!(!only.spend_attributable);
    let compact = product_row(&all, COMPACT);
    assert_eq!(only.total.figures, compact.figures);
    assert_eq!(only.total.forecast, compact.forecast);
    // per source: Compact leads Web 9 (L1 L5 L6 L11 L12 L18 L20 L21 L24), Mkt 4, Imp 3,
    // none 1; the source plan is not split by product line
    let actual: Vec<Option<u64>> = only
        .sources
        .iter()
        .map(|s| s.figures.leads.actual)
        .collect();
    assert_eq!(actual, [Some(9), Some(4), Some(3), Some(1)]);
    assert!(
        only.sources
            .iter()
            .all(|s| s.figures.leads.planned.is_none())
    );
    assert_eq!(only.kpis.spend_vs_budget.status, None);
    assert_eq!(only.kpis.cost_per_sale.status, None);
}

#[test]
fn with_fewer_than_three_complete_months_the_run_rate_uses_those_there_are() {
    // on 10 April: Feb and Mar complete; Web actual 2 + 3 = 5 against 4 + 5 = 9
    let r = analyse(&input(Filter::default()), date(2026, 4, 10));
    let web = source_row(&r, Some(WEB));
    assert_eq!(web.forecast.run_rate_months, 2);
    assert_close(&web.forecast.run_rate, &Some(5.0 / 9.0));
    // only February is mature (28 Feb + 30 d = 30 Mar ≤ 10 Apr; 31 Mar + 30 d is not):
    // Web won 1 of its 2 February leads
    assert_eq!(
        web.forecast.conversion_basis,
        ConversionBasis::MatureCohorts
    );
    assert_close(&web.forecast.observed_conversion, &Some(0.5));
    // before the year begins: no complete month, the plan as it is, the planned conversion
    let early = analyse(&input(Filter::default()), date(2026, 1, 10));
    let f = &early.total.forecast;
    assert_eq!((f.run_rate, f.run_rate_months), (None, 0));
    assert_eq!(f.conversion_basis, ConversionBasis::Plan);
    assert_close(&f.forecast_leads, &Some(112.0));
    assert_close(&f.forecast_sales, &Some(112.0 * 22.6 / 112.0));
    // 22 target ÷ (22.6/112) ÷ 12 months
    assert_close(
        &f.leads_per_remaining_month,
        &Some(22.0 / (22.6 / 112.0) / 12.0),
    );
    assert_eq!(early.total.figures.leads.actual, None);
    assert_eq!(early.kpis.leads_vs_plan.status, None);
}

#[test]
fn broken_planned_figures_never_give_nan_or_infinity() {
    let mut bad = input(Filter::default());
    bad.planned.sources[0].leads = [f64::NAN; 12];
    bad.planned.sources[1].spend = [f64::INFINITY; 12];
    bad.planned.product_lines[0].annual_target_units = f64::NEG_INFINITY;
    bad.settings.cohort_maturity_days = u32::MAX;
    for today in [date(2026, 6, 15), date(2030, 1, 1), date(2020, 1, 1)] {
        let r = analyse(&bad, today);
        let text = format!("{r:?}");
        assert!(!text.contains("NaN") && !text.contains("inf"), "{today}");
    }
}

#[test]
fn the_comparison_serializes_to_json_and_back() {
    let r = whole_year();
    let json = serde_json::to_string(&r).unwrap();
    let back: PlanVsActual = serde_json::from_str(&json).unwrap();
    assert_close(&back, &r);
    assert!(
        json.contains("\"margin_after_marketing\":2150500"),
        "money is in cents"
    );
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

fn arb_lead() -> impl Strategy<Value = Lead> {
    (
        (0i64..400, 0i64..86_400),
        prop::option::of(1i64..4),
        prop::option::of(prop_oneof![Just(COMPACT), Just(SUV)]),
        prop::option::of(prop_oneof![Just("Anna"), Just("Ben")]),
        prop::option::of(-100i64..50_000),
        any::<bool>(),
        0u32..7,
        prop_oneof![
            Just(Stage::New),
            Just(Stage::Contacted),
            Just(Stage::Appointment),
            Just(Stage::Offer),
            Just(Stage::Won),
            Just(Stage::Lost)
        ],
        any::<bool>(),
        prop::option::of(0i64..100_000),
    )
        .prop_map(
            |(
                (day, second),
                source,
                product,
                owner,
                delay,
                two_way,
                attempts,
                stage,
                appt,
                value,
            )| {
                let created = at(2026, 1, 1) + Duration::days(day) + Duration::seconds(second);
                let first = delay.map(|m| created + Duration::minutes(m));
                Lead {
                    external_id: String::new(),
                    created_at: created,
                    source_id: source,
                    product_line_id: product,
                    first_attempt_at: first,
                    first_two_way_at: if two_way { first } else { None },
                    attempts,
                    stage,
                    lost_reason: None,
                    appointment_at: appt.then_some(created),
                    won_at: None,
                    value: value.map(Money::from_cents),
                    owner: owner.map(str::to_owned),
                }
            },
        )
}

proptest! {
    #[test]
    fn rolling_up_then_analysing_counts_what_the_raw_leads_hold(
        leads in prop::collection::vec(arb_lead(), 0..200),
        today_offset in 0i64..420,
        first in 0u32..12,
        last in 0u32..12,
        source_filter in prop::option::of(1i64..4),
    ) {
        let today = date(2026, 1, 1) + Duration::days(today_offset);
        let year = PlanYear::new(2026, 3);
        let filter = Filter {
            sources: source_filter.into_iter().collect(),
            product_lines: Vec::new(),
            first_month: first,
            last_month: last,
        };
        let mut data = input(filter.clone());
        data.year = year;
        data.rollups = rollup(&leads, &sla());
        let r = analyse(&data, today);

        // the direct count: created in a selected, started month of the plan year
        let (lo, hi) = (first.min(last) as usize, first.max(last) as usize);
        let selected: Vec<&Lead> = leads
            .iter()
            .filter(|l| {
                year.index_of(l.created_at.date_naive()).is_some_and(|i| {
                    (lo..=hi).contains(&i)
                        && year.month(i).first_day().is_some_and(|d| d <= today)
                })
            })
            .filter(|l| source_filter.is_none_or(|s| l.source_id == Some(s)))
            .collect();
        let any_started = year.month(lo).first_day().is_some_and(|d| d <= today);
        let count = |p: &dyn Fn(&Lead) -> bool| selected.iter().filter(|l| p(l)).count() as u64;
        let t = &r.total.figures;
        prop_assert_eq!(t.leads.actual, any_started.then_some(selected.len() as u64));
        if let Some(f) = &t.funnel {
            prop_assert_eq!(f.contacted, count(&|l| l.first_attempt_at.is_some()));
            prop_assert_eq!(f.reached, count(&|l| l.first_two_way_at.is_some()));
            prop_assert_eq!(
                f.appointments,
                count(&|l| l.appointment_at.is_some()
                    || matches!(l.stage, Stage::Appointment | Stage::Offer | Stage::Won))
            );
            prop_assert_eq!(f.won, count(&|l| l.stage == Stage::Won));
            prop_assert_eq!(f.lost, count(&|l| l.stage == Stage::Lost));
            let fu = t.follow_up.as_ref().unwrap();
            prop_assert_eq!(
                fu.contacted_within_sla,
                count(&|l| l.first_attempt_at
                    .is_some_and(|a| (a - l.created_at).num_seconds() <= 3600))
            );
            let attempts = |l: &Lead| if l.first_attempt_at.is_some() {
                l.attempts.max(1)
            } else {
                l.attempts
            };
            prop_assert_eq!(
                fu.lost_below_min_attempts,
                count(&|l| l.stage == Stage::Lost && l.first_two_way_at.is_none() && attempts(l) < 4)
            );
            prop_assert_eq!(
                fu.lost_without_attempt,
                count(&|l| l.stage == Stage::Lost && attempts(l) == 0)
            );
            let revenue: i64 = selected
                .iter()
                .filter(|l| l.stage == Stage::Won)
                .map(|l| l.value.map_or(0, Money::cents))
                .sum();
            prop_assert_eq!(t.revenue.revenue, Some(Money(revenue)));
        } else {
            prop_assert!(!any_started);
        }
        // every row adds up to the total
        let by_source: u64 = r.sources.iter().filter_map(|s| s.figures.leads.actual).sum();
        let by_month: u64 = r.months.iter().filter_map(|m| m.figures.leads.actual).sum();
        let by_cell: u64 = r.cells.iter().filter_map(|c| c.figures.leads.actual).sum();
        let by_owner: u64 = r.owners.iter().map(|o| o.follow_up.leads).sum();
        let total = t.leads.actual.unwrap_or(0);
        prop_assert_eq!(by_source, total);
        prop_assert_eq!(by_month, total);
        prop_assert_eq!(by_cell, total);
        prop_assert_eq!(by_owner, total);
        // and nothing is ever NaN or infinite
        let text = format!("{r:?}");
        prop_assert!(!text.contains("NaN") && !text.contains("inf"));
    }
}
