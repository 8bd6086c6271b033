//! Properties every computed plan keeps, on generated plans.

use proptest::prelude::*;

use crate::model::{Launch, SourceAssumptions, SourceKind};
use crate::money::Money;
use crate::plan::{
    MixEntry, PlanFile, PlanInput, PlanProductLine, PlanSource, SourceBudget, SourceShare, compute,
    parse_plan_file,
};
use crate::validate::Rule;

const FLOOR: f64 = 0.13;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn source(
    id: i64,
    cpl: i64,
    fixed: i64,
    rates: (f64, f64, f64),
    direct: Option<f64>,
) -> PlanSource {
    PlanSource {
        id,
        name: format!("Source {id}"),
        kind: SourceKind::Paid,
        assumptions: SourceAssumptions {
            cost_per_lead: Money::from_cents(cpl),
            fixed_monthly_cost: Money::from_cents(fixed),
            contact_rate: rates.0,
            appointment_rate: rates.1,
            close_rate: rates.2,
            direct_conversion: direct,
        },
    }
}

/// Shares from positive weights; they add up to 1 up to rounding.
fn shares_from(weights: &[f64], ids: &[i64]) -> Vec<SourceShare> {
    let sum: f64 = weights.iter().sum();
    ids.iter()
        .zip(weights)
        .map(|(&source_id, w)| SourceShare {
            source_id,
            share: w / sum,
        })
        .collect()
}

prop_compose! {
    fn arb_source(id: i64)(
        cpl in 0_i64..20_000,
        fixed in 0_i64..200_000,
        contact in 0.05_f64..=1.0,
        appointment in 0.05_f64..=1.0,
        close in 0.05_f64..=1.0,
        direct in proptest::option::of(0.01_f64..=1.0),
    ) -> PlanSource {
        source(id, cpl, fixed, (contact, appointment, close), direct)
    }
}

prop_compose! {
    fn arb_line(id: i64)(
        annual in 0.0_f64..10_000.0,
        monthly in proptest::array::uniform12(proptest::option::of(0.0_f64..1000.0)),
        stock in proptest::array::uniform12(proptest::option::of(0.0_f64..1000.0)),
    ) -> PlanProductLine {
        PlanProductLine {
            id,
            name: format!("Line {id}"),
            annual_target: annual,
            monthly_targets: monthly,
            stock,
        }
    }
}

/// A valid plan of 1–4 sources and 1–3 product lines with launches, overrides, budgets.
fn arb_plan() -> impl Strategy<Value = PlanInput> {
    (1_usize..=4, 1_usize..=3)
        .prop_flat_map(|(s, p)| {
            let source_ids: Vec<i64> = (1..=s).map(|i| i64::try_from(i).unwrap()).collect();
            let line_ids: Vec<i64> = (1..=p).map(|i| 100 + i64::try_from(i).unwrap()).collect();
            let sources: Vec<_> = source_ids.iter().map(|&id| arb_source(id)).collect();
            let lines: Vec<_> = line_ids.iter().map(|&id| arb_line(id)).collect();
            (
                sources,
                lines,
                proptest::array::uniform12(0.1_f64..5.0),
                proptest::collection::vec(proptest::collection::vec(0.01_f64..1.0, s), 12),
                proptest::collection::vec(
                    (0_u32..12, 0..p, proptest::collection::vec(0.01_f64..1.0, s)),
                    0..4,
                ),
                proptest::collection::vec(
                    (0..p, 0_u32..12, 0.0_f64..2.0, 0_u32..8, 0_i64..1_000_000),
                    0..3,
                ),
                proptest::collection::vec(0_i64..10_000_000, 12 * s),
                proptest::option::of(0_i64..100_000_000),
            )
        })
        .prop_map(
            |(sources, lines, seasonality, general, overrides, launches, budgets, cap)| {
                let ids: Vec<i64> = sources.iter().map(|s| s.id).collect();
                let mut mix: Vec<MixEntry> = general
                    .iter()
                    .enumerate()
                    .map(|(m, w)| MixEntry {
                        month: u32::try_from(m).unwrap(),
                        product_line_id: None,
                        shares: shares_from(w, &ids),
                    })
                    .collect();
                let mut seen = std::collections::HashSet::new();
                for (month, p, w) in overrides {
                    if seen.insert((month, p)) {
                        mix.push(MixEntry {
                            month,
                            product_line_id: Some(lines[p].id),
                            shares: shares_from(&w, &ids),
                        });
                    }
                }
                let launches = launches
                    .into_iter()
                    .enumerate()
                    .map(|(i, (p, month, uplift, duration, extra))| Launch {
                        id: i64::try_from(i).unwrap(),
                        product_line_id: lines[p].id,
                        month,
                        uplift,
                        duration_months: duration,
                        prelaunch_months: 1,
                        extra_budget: Money::from_cents(extra),
                    })
                    .collect();
                let budgets = ids
                    .iter()
                    .zip(budgets.chunks(12))
                    .map(|(&source_id, cents)| SourceBudget {
                        source_id,
                        months: std::array::from_fn(|m| Money::from_cents(cents[m])),
                    })
                    .collect();
                PlanInput {
                    sources,
                    product_lines: lines,
                    seasonality,
                    launches,
                    mix,
                    budgets,
                    annual_budget_cap: cap.map(Money::from_cents),
                }
            },
        )
}

fn scaled(plan: &PlanInput, k: f64) -> PlanInput {
    let mut plan = plan.clone();
    for line in &mut plan.product_lines {
        line.annual_target *= k;
        for t in line.monthly_targets.iter_mut().flatten() {
            *t *= k;
        }
        for s in line.stock.iter_mut().flatten() {
            *s *= k;
        }
    }
    plan
}

proptest! {
    #[test]
    fn leads_times_conversion_are_the_planned_sales(plan in arb_plan()) {
        let r = compute(&plan, FLOOR).unwrap();
        let s_count = plan.sources.len();
        // per month and product line, the cells' leads × conversion give back its planned sales
        for (row, f) in r.cells.leads.chunks(s_count).zip(&r.month_product_lines) {
            let sales: f64 = row.iter().zip(&r.cells.conversions).map(|(l, c)| l * c).sum();
            prop_assert!(close(sales, f.planned_sales), "{sales} ≠ {}", f.planned_sales);
        }
        for f in &r.month_sources {
            let c = r.sources[r.source_position(f.source_id).unwrap()].conversion;
            prop_assert!(close(f.leads * c, f.planned_sales));
        }
        // and the sources share out exactly the product lines' planned sales
        let by_line: f64 = r.month_product_lines.iter().map(|f| f.planned_sales).sum();
        let by_source: f64 = r.month_sources.iter().map(|f| f.planned_sales).sum();
        prop_assert!(close(by_line, by_source));
    }

    #[test]
    fn spend_is_leads_times_cost_per_lead_plus_fixed_cost(plan in arb_plan()) {
        let r = compute(&plan, FLOOR).unwrap();
        for f in &r.month_sources {
            let s = &plan.sources[r.source_position(f.source_id).unwrap()].assumptions;
            let expected = f.leads * s.cost_per_lead.as_units() + s.fixed_monthly_cost.as_units();
            prop_assert!(close(f.spend, expected), "{} ≠ {expected}", f.spend);
        }
    }

    #[test]
    fn scaling_every_target_scales_every_lead_figure(plan in arb_plan(), k in 0.1_f64..20.0) {
        let base = compute(&plan, FLOOR).unwrap();
        let more = compute(&scaled(&plan, k), FLOOR).unwrap();
        for (a, b) in base.cells.leads.iter().zip(&more.cells.leads) {
            prop_assert!(close(a * k, *b), "{a} × {k} ≠ {b}");
        }
        for (a, b) in base.month_sources.iter().zip(&more.month_sources) {
            prop_assert!(close(a.leads * k, b.leads));
        }
        prop_assert!(close(base.year.leads * k, more.year.leads));
    }

    #[test]
    fn a_mix_that_does_not_add_up_to_one_is_refused(
        plan in arb_plan(),
        month in 0_usize..12,
        off in prop_oneof![0.0011_f64..0.5, -0.5_f64..-0.0011],
    ) {
        let mut plan = plan;
        // move one share so the entry adds up to 1 + off (keeping every share a rate)
        let entry = &mut plan.mix[month];
        let share = &mut entry.shares[0].share;
        let target = *share + off;
        prop_assume!((0.0..=1.0).contains(&target));
        *share = target;
        let errors = compute(&plan, FLOOR).unwrap_err().0;
        let field = format!("mix[{month}].shares");
        prop_assert!(errors.iter().any(|e| e.field == field), "{errors:?}");
    }

    #[test]
    fn a_mix_within_the_tolerance_is_accepted(plan in arb_plan(), off in -0.00099_f64..0.00099) {
        let mut plan = plan;
        let share = &mut plan.mix[0].shares[0].share;
        let target = *share + off;
        prop_assume!((0.0..=1.0).contains(&target));
        *share = target;
        let r = compute(&plan, FLOOR).unwrap();
        // shares are scaled to add up to exactly 1: sources share out all planned sales
        let sales: f64 = r.month_sources.iter().map(|f| f.planned_sales).sum();
        prop_assert!(close(sales, r.year.planned_sales));
    }

    #[test]
    fn every_valid_plan_survives_the_round_trip_through_a_file(plan in arb_plan()) {
        let file = PlanFile::from_input(&plan, 2026, "Generated").unwrap();
        let back = parse_plan_file(&file.to_json().unwrap()).unwrap();
        prop_assert_eq!(&back, &file);
        let again = PlanFile::from_input(&back.to_input(), 2026, "Generated").unwrap();
        prop_assert_eq!(&again, &file);
        prop_assert_eq!(
            compute(&back.to_input(), FLOOR).unwrap().year,
            compute(&plan, FLOOR).unwrap().year
        );
    }

    #[test]
    fn no_number_makes_the_plan_panic(
        plan in arb_plan(),
        value in prop_oneof![
            Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY), Just(-1.0),
            Just(0.0), Just(1e300), Just(f64::MIN_POSITIVE), any::<f64>()
        ],
        slot in 0_usize..8,
    ) {
        let mut plan = plan;
        match slot {
            0 => plan.seasonality[3] = value,
            1 => plan.product_lines[0].annual_target = value,
            2 => plan.product_lines[0].stock[2] = Some(value),
            3 => plan.mix[1].shares[0].share = value,
            4 => plan.sources[0].assumptions.close_rate = value,
            5 => plan.sources[0].assumptions.direct_conversion = Some(value),
            6 => plan.product_lines[0].monthly_targets[5] = Some(value),
            _ => plan.launches.push(Launch {
                id: 99,
                product_line_id: plan.product_lines[0].id,
                month: 0,
                uplift: value,
                duration_months: 12,
                prelaunch_months: 0,
                extra_budget: Money::ZERO,
            }),
        }
        // either a result with finite totals or field errors: never a panic
        if let Ok(r) = compute(&plan, FLOOR) {
            prop_assert!(r.year.leads.is_finite() && r.year.spend.is_finite());
        }
    }
}

#[test]
fn a_source_that_converts_nothing_may_not_have_a_share() {
    let mut plan = crate::plan::fixtures::small_plan();
    plan.sources[1].assumptions.direct_conversion = Some(0.0);
    let errors = compute(&plan, FLOOR).unwrap_err().0;
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    let expected: Vec<String> = (0..12)
        .map(|m| format!("mix[{m}].shares[1].share"))
        .collect();
    assert_eq!(fields, expected);
    assert!(errors[0].to_string().contains("conversion 0"));
}

#[test]
fn a_source_that_converts_nothing_is_fine_without_a_share() {
    let mut plan = crate::plan::fixtures::small_plan();
    plan.sources[1].assumptions.direct_conversion = Some(0.0);
    plan.mix = crate::plan::fixtures::mix_every_month(&[(11, 1.0), (12, 0.0)]);
    let r = compute(&plan, FLOOR).unwrap();
    assert_eq!(r.sources[1].leads, 0.0);
    assert!(r.sources[1].below_floor);
}

#[test]
fn every_input_problem_is_reported_with_its_field() {
    use crate::plan::fixtures::{shares, small_plan};
    let mut plan = small_plan();
    plan.seasonality[2] = f64::NAN;
    plan.product_lines[0].annual_target = -5.0;
    plan.product_lines[1].stock[7] = Some(f64::INFINITY);
    plan.product_lines[1].name = "model a".into(); // same as "Model A"
    plan.sources[0].assumptions.contact_rate = 1.5;
    plan.sources[1].assumptions.cost_per_lead = Money::from_cents(-100);
    plan.launches = vec![crate::plan::fixtures::launch(999, 12, -0.1, 3, Money::ZERO)];
    plan.mix[4].shares = shares(&[(11, 0.5), (77, 0.5)]);
    plan.mix[5].month = 12;
    plan.mix[6].shares[0].share = 0.7; // adds up to 1.1
    plan.mix.push(MixEntry {
        month: 0,
        product_line_id: Some(555),
        shares: shares(&[(11, 1.0)]),
    });
    plan.budgets = vec![
        SourceBudget {
            source_id: 11,
            months: [Money::from_units(1); 12],
        },
        SourceBudget {
            source_id: 11,
            months: [Money::from_units(1); 12],
        },
        SourceBudget {
            source_id: 42,
            months: [Money::from_cents(-1); 12],
        },
    ];
    plan.annual_budget_cap = Some(Money::from_cents(-1));
    let errors = compute(&plan, 1.3).unwrap_err().0;
    let fields: Vec<(&str, &Rule)> = errors.iter().map(|e| (e.field.as_str(), &e.rule)).collect();
    let paths: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        paths,
        [
            "conversion_floor",
            "sources[0].contact_rate",
            "sources[1].cost_per_lead",
            "product_lines[1].name",
            "product_lines[0].annual_target",
            "product_lines[1].stock[7]",
            "seasonality[2]",
            "launches[0].product_line_id",
            "launches[0].month",
            "launches[0].uplift",
            "mix[4].shares[1].source_id",
            "mix[5].month",
            "mix[6].shares",
            "mix[12].product_line_id",
            "mix",
            "budgets[1].source_id",
            "budgets[2].source_id",
            "annual_budget_cap",
        ],
        "{errors:#?}"
    );
    assert_eq!(fields[1].1, &Rule::Rate);
    assert_eq!(fields[3].1, &Rule::Duplicate);
    assert_eq!(fields[6].1, &Rule::NotANumber);
}

#[test]
fn a_second_general_mix_for_a_month_is_refused() {
    let mut plan = crate::plan::fixtures::small_plan();
    let again = plan.mix[3].clone();
    plan.mix.push(again);
    let errors = compute(&plan, FLOOR).unwrap_err().0;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "mix[12]");
}
