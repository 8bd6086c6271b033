//! Three complete plans (2 sources × 2 product lines × 12 months) computed by hand.
//!
//! Common to all three unless said otherwise:
//!
//! | source      | cost per lead | fixed / month | conversion              |
//! |-------------|---------------|---------------|-------------------------|
//! | Website     | 20.00         | 500.00        | 0.5 × 0.5 × 0.8 = 0.2   |
//! | Marketplace | 40.00         | 0.00          | 0.1 (direct)            |
//!
//! Mix 60 % Website, 40 % Marketplace, so one planned sale needs
//! `0.6 / 0.2 = 3` Website leads and `0.4 / 0.1 = 4` Marketplace leads, and costs
//! `3 × 20 = 60` on the Website and `4 × 40 = 160` on the Marketplace.
//! The floor is 0.13: the Marketplace (0.1) is below it, the Website (0.2) is not.

use rstest::{fixture, rstest};

use crate::money::Money;
use crate::plan::fixtures::{
    MARKETPLACE, MODEL_A, MODEL_B, WEBSITE, assert_close, direct_source, flat_budget,
    funnel_source, launch, mix_every_month, product_line, shares, small_plan,
};
use crate::plan::{BudgetScope, MixEntry, PlanInput, PlanResult, PlanWarning, compute};

const FLOOR: f64 = 0.13;

fn budget_warning(
    scope: BudgetScope,
    month: Option<u32>,
    source_id: Option<i64>,
    budget: f64,
    spend: f64,
) -> PlanWarning {
    PlanWarning::BudgetExceeded {
        scope,
        month,
        source_id,
        budget,
        spend,
        over: spend - budget,
    }
}

/// Warnings compared field by field up to floating-point noise.
#[track_caller]
fn assert_warnings(actual: &[PlanWarning], expected: &[PlanWarning]) {
    assert_eq!(actual.len(), expected.len(), "{actual:#?}");
    for (a, e) in actual.iter().zip(expected) {
        match (a, e) {
            (
                PlanWarning::BudgetExceeded {
                    scope: s1,
                    month: m1,
                    source_id: id1,
                    budget: b1,
                    spend: sp1,
                    over: o1,
                },
                PlanWarning::BudgetExceeded {
                    scope: s2,
                    month: m2,
                    source_id: id2,
                    budget: b2,
                    spend: sp2,
                    over: o2,
                },
            ) => {
                assert_eq!((s1, m1, id1), (s2, m2, id2), "{a:?} vs {e:?}");
                assert_close(*b1, *b2);
                assert_close(*sp1, *sp2);
                assert_close(*o1, *o2);
            }
            (
                PlanWarning::StockCap {
                    month: m1,
                    product_line_id: p1,
                    target: t1,
                    stock: st1,
                    capped: c1,
                },
                PlanWarning::StockCap {
                    month: m2,
                    product_line_id: p2,
                    target: t2,
                    stock: st2,
                    capped: c2,
                },
            ) => {
                assert_eq!((m1, p1), (m2, p2));
                assert_close(*t1, *t2);
                assert_close(*st1, *st2);
                assert_close(*c1, *c2);
            }
            (
                PlanWarning::ConversionBelowFloor {
                    source_id: s1,
                    conversion: c1,
                    floor: f1,
                },
                PlanWarning::ConversionBelowFloor {
                    source_id: s2,
                    conversion: c2,
                    floor: f2,
                },
            ) => {
                assert_eq!(s1, s2);
                assert_close(*c1, *c2);
                assert_close(*f1, *f2);
            }
            _ => panic!("{a:?} is not {e:?}"),
        }
    }
}

/// Example 1: seasonality entered as raw indices, a product line with some months entered,
/// budgets that cover the plan.
///
/// Seasonality entered `[3,3,3,3, 2,2,2,2, 1,1,1,1]` (sum 24) is normalised to
/// `[1.5 ×4, 1.0 ×4, 0.5 ×4]`.
/// - Model A: annual 240 → `240 × s / 12 = 20 × s` → 30 (m0–3), 20 (m4–7), 10 (m8–11);
///   year 240.
/// - Model B: annual 120 → `10 × s` → 15, 10, 5 — but m8–11 are entered as 10 → 15 (m0–3),
///   10 (m4–11); year 60 + 80 = 140.
/// - Planned sales per month P: 45 (m0–3), 30 (m4–7), 20 (m8–11); year 380.
/// - Website: leads 3P = 135 / 90 / 60 (year 1140); spend 60P + 500 = 3200 / 2300 / 1700
///   (year 4 × 7200 = 28 800); budget 3500 → gap 300 / 1200 / 1800 (year 42 000 − 28 800 =
///   13 200).
/// - Marketplace: leads 4P = 180 / 120 / 80 (year 1520); spend 160P = 7200 / 4800 / 3200
///   (year 60 800); budget 8000 → gap 800 / 3200 / 4800 (year 35 200).
/// - Forward: Website `(3500 − 500) / 20 = 150` leads → `× 0.2 = 30` sales; planned
///   Website sales 0.6P = 27 / 18 / 12 → forward gap 3 / 12 / 18. Marketplace
///   `8000 / 40 = 200` leads → 20 sales; planned 0.4P = 18 / 12 / 8 → gap 2 / 8 / 12.
///   Year: forward sales 12 × 50 = 600, planned 380, gap 220.
/// - Warnings: Marketplace below the floor, nothing else.
#[fixture]
fn seasonal_plan() -> PlanInput {
    let mut plan = small_plan();
    plan.seasonality = [3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 1.0];
    plan.product_lines = vec![
        product_line(MODEL_A, "Model A", 240.0),
        product_line(MODEL_B, "Model B", 120.0),
    ];
    for m in 8..12 {
        plan.product_lines[1].monthly_targets[m] = Some(10.0);
    }
    plan.budgets = vec![
        flat_budget(WEBSITE, Money::from_units(3500)),
        flat_budget(MARKETPLACE, Money::from_units(8000)),
    ];
    plan
}

#[rstest]
#[case(0, 45.0, 135.0, 180.0, 3200.0, 7200.0)]
#[case(3, 45.0, 135.0, 180.0, 3200.0, 7200.0)]
#[case(4, 30.0, 90.0, 120.0, 2300.0, 4800.0)]
#[case(7, 30.0, 90.0, 120.0, 2300.0, 4800.0)]
#[case(8, 20.0, 60.0, 80.0, 1700.0, 3200.0)]
#[case(11, 20.0, 60.0, 80.0, 1700.0, 3200.0)]
fn a_seasonal_plan_needs_three_and_four_leads_per_sale(
    seasonal_plan: PlanInput,
    #[case] m: usize,
    #[case] planned: f64,
    #[case] web_leads: f64,
    #[case] market_leads: f64,
    #[case] web_spend: f64,
    #[case] market_spend: f64,
) {
    let r = compute(&seasonal_plan, FLOOR).unwrap();
    assert_close(r.months[m].planned_sales, planned);
    let web = r.month_source(m, 0).unwrap();
    let market = r.month_source(m, 1).unwrap();
    assert_close(web.leads, web_leads);
    assert_close(market.leads, market_leads);
    assert_close(web.spend, web_spend);
    assert_close(market.spend, market_spend);
    assert_close(web.gap, 3500.0 - web_spend);
    assert_close(market.gap, 8000.0 - market_spend);
    // forward: 150 Website leads → 30 sales, 200 Marketplace leads → 20 sales
    assert_close(web.forward_leads.unwrap(), 150.0);
    assert_close(web.forward_sales.unwrap(), 30.0);
    assert_close(web.forward_gap.unwrap(), 30.0 - 0.6 * planned);
    assert_close(market.forward_leads.unwrap(), 200.0);
    assert_close(market.forward_sales.unwrap(), 20.0);
    assert_close(market.forward_gap.unwrap(), 20.0 - 0.4 * planned);
}

#[rstest]
fn a_seasonal_plan_adds_up_over_the_year(seasonal_plan: PlanInput) {
    let r = compute(&seasonal_plan, FLOOR).unwrap();
    assert_eq!(
        r.seasonality,
        [1.5, 1.5, 1.5, 1.5, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]
    );
    // product lines: A 30/20/10 (240), B 15/10/10 (140)
    let a = &r.product_lines[0];
    let b = &r.product_lines[1];
    assert_close(a.target, 240.0);
    assert_close(b.target, 140.0);
    assert_close(r.month_product_line(2, 0).unwrap().target, 30.0);
    assert_close(r.month_product_line(9, 0).unwrap().target, 10.0);
    assert_close(r.month_product_line(2, 1).unwrap().target, 15.0);
    assert_close(r.month_product_line(9, 1).unwrap().base_target, 10.0);
    // A's leads: 7 per sale → 240 × 7 = 1680; spend 240 × 220 = 52 800
    assert_close(a.leads, 1680.0);
    assert_close(a.spend, 52_800.0);
    assert_close(b.leads, 980.0);

    let web = &r.sources[0];
    let market = &r.sources[1];
    assert_close(web.leads, 1140.0);
    assert_close(web.spend, 28_800.0);
    assert_close(web.budget, 42_000.0);
    assert_close(web.gap, 13_200.0);
    assert_close(web.planned_sales, 228.0);
    assert_close(market.leads, 1520.0);
    assert_close(market.spend, 60_800.0);
    assert_close(market.gap, 35_200.0);
    assert!(market.below_floor && !web.below_floor);

    let y = &r.year;
    assert_close(y.target, 380.0);
    assert_close(y.planned_sales, 380.0);
    assert_close(y.capped, 0.0);
    assert_close(y.leads, 2660.0);
    assert_close(y.spend, 89_600.0);
    assert_close(y.budget, 138_000.0);
    assert_close(y.gap, 48_400.0);
    assert_close(y.forward_leads, 12.0 * 350.0);
    assert_close(y.forward_sales, 600.0);
    assert_close(y.forward_gap, 220.0);
    assert_eq!(y.annual_budget_cap, None);

    assert_warnings(
        &r.warnings,
        &[PlanWarning::ConversionBelowFloor {
            source_id: MARKETPLACE,
            conversion: 0.1,
            floor: FLOOR,
        }],
    );
}

/// Example 2: a launch and a stock cap.
///
/// - Model A: annual 120, flat → 10 a month. Launch in m3: uplift +50 % for 2 months →
///   m3 and m4 are 15; extra budget 1000 in m3, spread by m3's mix: Website 600,
///   Marketplace 400. Year target 130.
/// - Model B: annual 60, flat → 5 a month. Stock m4 = 2 → planned 2, capped 3 (warning);
///   stock m10 = 8 ≥ 5 → not binding. Year planned 57.
/// - P: 15 a month, m3 = 20, m4 = 15 + 2 = 17; year 10 × 15 + 20 + 17 = 187.
/// - Website: leads 3P = 45, m3 60, m4 51; spend 60P + 500 = 1400, m3 1700, m4 1520;
///   year 60 × 187 + 12 × 500 = 17 220. Budget 1500 (+600 in m3 = 2100): gap 100,
///   m3 400, m4 −20 (over).
/// - Marketplace: leads 4P = 60, m3 80, m4 68; spend 160P = 2400, m3 3200, m4 2720;
///   year 160 × 187 = 29 920. Budget 2500 (+400 in m3 = 2900): gap 100, m3 −300 (over),
///   m4 −220 (over).
/// - Months: m3 budget 5000 ≥ spend 4900 (no warning); m4 budget 4000 < 4240 (over 240).
/// - Sources over the year: Website 18 600 ≥ 17 220; Marketplace 30 400 ≥ 29 920; year
///   49 000 ≥ 47 140: no warnings.
/// - Forward in m3: Website (2100 − 500) / 20 = 80 leads → 16 sales vs 0.6 × 20 = 12
///   planned (gap 4); Marketplace 2900 / 40 = 72.5 leads → 7.25 sales vs 8 (gap −0.75).
#[fixture]
fn launch_plan() -> PlanInput {
    let mut plan = small_plan();
    plan.launches = vec![launch(MODEL_A, 3, 0.5, 2, Money::from_units(1000))];
    plan.product_lines[1].stock[4] = Some(2.0);
    plan.product_lines[1].stock[10] = Some(8.0);
    plan.budgets = vec![
        flat_budget(WEBSITE, Money::from_units(1500)),
        flat_budget(MARKETPLACE, Money::from_units(2500)),
    ];
    plan
}

#[rstest]
#[case(0, 10.0, 15.0, (45.0, 60.0), (1400.0, 2400.0), (1500.0, 2500.0))]
#[case(2, 10.0, 15.0, (45.0, 60.0), (1400.0, 2400.0), (1500.0, 2500.0))]
#[case(3, 15.0, 20.0, (60.0, 80.0), (1700.0, 3200.0), (2100.0, 2900.0))]
#[case(4, 15.0, 17.0, (51.0, 68.0), (1520.0, 2720.0), (1500.0, 2500.0))]
#[case(5, 10.0, 15.0, (45.0, 60.0), (1400.0, 2400.0), (1500.0, 2500.0))]
#[case(10, 10.0, 15.0, (45.0, 60.0), (1400.0, 2400.0), (1500.0, 2500.0))]
fn a_launch_lifts_demand_and_budget_for_its_window(
    launch_plan: PlanInput,
    #[case] m: usize,
    #[case] target_a: f64,
    #[case] planned: f64,
    #[case] (web_leads, market_leads): (f64, f64),
    #[case] (web_spend, market_spend): (f64, f64),
    #[case] (web_budget, market_budget): (f64, f64),
) {
    let r = compute(&launch_plan, FLOOR).unwrap();
    assert_close(r.month_product_line(m, 0).unwrap().base_target, 10.0);
    assert_close(r.month_product_line(m, 0).unwrap().target, target_a);
    assert_close(r.months[m].planned_sales, planned);
    let web = r.month_source(m, 0).unwrap();
    let market = r.month_source(m, 1).unwrap();
    assert_close(web.leads, web_leads);
    assert_close(market.leads, market_leads);
    assert_close(web.spend, web_spend);
    assert_close(market.spend, market_spend);
    assert_close(web.budget, web_budget);
    assert_close(market.budget, market_budget);
    assert_close(web.gap, web_budget - web_spend);
    assert_close(market.gap, market_budget - market_spend);
}

#[rstest]
fn a_launch_and_a_stock_cap_are_planned_and_reported(launch_plan: PlanInput) {
    let r = compute(&launch_plan, FLOOR).unwrap();
    let b_m4 = r.month_product_line(4, 1).unwrap();
    assert_close(b_m4.target, 5.0);
    assert_eq!(b_m4.stock, Some(2.0));
    assert_close(b_m4.planned_sales, 2.0);
    assert_close(b_m4.capped, 3.0);
    let b_m10 = r.month_product_line(10, 1).unwrap();
    assert_close(b_m10.planned_sales, 5.0);
    assert_close(b_m10.capped, 0.0);

    assert_close(r.product_lines[0].target, 130.0);
    assert_close(r.product_lines[1].planned_sales, 57.0);
    assert_close(r.product_lines[1].capped, 3.0);
    assert_close(r.year.planned_sales, 187.0);
    assert_close(r.year.target, 190.0);
    assert_close(r.year.base_target, 180.0);
    assert_close(r.year.capped, 3.0);
    assert_close(r.sources[0].spend, 17_220.0);
    assert_close(r.sources[1].spend, 29_920.0);
    assert_close(r.sources[0].launch_budget, 600.0);
    assert_close(r.sources[1].launch_budget, 400.0);
    assert_close(r.year.launch_budget, 1000.0);
    assert_close(r.year.budget, 49_000.0);
    assert_close(r.year.spend, 47_140.0);

    let web_m3 = r.month_source(3, 0).unwrap();
    let market_m3 = r.month_source(3, 1).unwrap();
    assert_close(web_m3.launch_budget, 600.0);
    assert_close(web_m3.forward_leads.unwrap(), 80.0);
    assert_close(web_m3.forward_sales.unwrap(), 16.0);
    assert_close(web_m3.forward_gap.unwrap(), 4.0);
    assert_close(market_m3.forward_leads.unwrap(), 72.5);
    assert_close(market_m3.forward_sales.unwrap(), 7.25);
    assert_close(market_m3.forward_gap.unwrap(), -0.75);

    assert_warnings(
        &r.warnings,
        &[
            PlanWarning::ConversionBelowFloor {
                source_id: MARKETPLACE,
                conversion: 0.1,
                floor: FLOOR,
            },
            PlanWarning::StockCap {
                month: 4,
                product_line_id: MODEL_B,
                target: 5.0,
                stock: 2.0,
                capped: 3.0,
            },
            budget_warning(
                BudgetScope::MonthSource,
                Some(3),
                Some(MARKETPLACE),
                2900.0,
                3200.0,
            ),
            budget_warning(
                BudgetScope::MonthSource,
                Some(4),
                Some(WEBSITE),
                1500.0,
                1520.0,
            ),
            budget_warning(
                BudgetScope::MonthSource,
                Some(4),
                Some(MARKETPLACE),
                2500.0,
                2720.0,
            ),
            budget_warning(BudgetScope::Month, Some(4), None, 4000.0, 4240.0),
        ],
    );
}

/// Example 3: a budget overrun against the sources' budgets and the annual cap, a mix
/// for one product line, and a free source.
///
/// - Website: cost per lead 0, fixed 1000, conversion 0.5 × 0.5 × 1.0 = 0.25.
///   Marketplace: cost per lead 50, fixed 200, direct conversion 0.2. Both above the floor.
/// - General mix 50/50 → per sale `0.5 / 0.25 = 2` Website and `0.5 / 0.2 = 2.5`
///   Marketplace leads. Model B's own mix in m6: 100 % Marketplace → 5 leads per sale.
/// - Model A: 8 a month, entered (annual 0). Model B: annual 48, seasonality
///   `[0 ×6, 2 ×6]` → 0 in m0–5, 8 in m6–11.
/// - Leads: m0–5 Website 16, Marketplace 20; m6 Website 16 (A only), Marketplace
///   20 + 40 = 60; m7–11 Website 32, Marketplace 40. Year Website 272, Marketplace 380.
/// - Spend: Website 1000 every month (12 000); Marketplace `50 × leads + 200` = 1200
///   (m0–5), 3200 (m6), 2200 (m7–11); year 7200 + 3200 + 11 000 = 21 400. Total 33 400.
/// - Budgets: Website 1000 (gap 0, no warning), Marketplace 1500 → over by 1700 in m6 and
///   700 in m7–11; over the year 18 000 < 21 400 (3400). Total budget 30 000 < 33 400
///   (3400). Cap 32 000 < 33 400 (1400).
/// - Forward: Website has no cost per lead → no forward figures. Marketplace
///   `(1500 − 200) / 50 = 26` leads → 5.2 sales a month vs planned 4 (m0–5), 12 (m6),
///   8 (m7–11); year 312 leads, 62.4 sales vs 76 planned, gap −13.6.
/// - Product lines: A 36 leads a month (432), spend 8 × 2.5 × 50 = 1000 a month
///   (12 000); B 40 leads in m6 (spend 2000), 36 in m7–11 (spend 1000): 220 leads, 7000.
#[fixture]
fn overrun_plan() -> PlanInput {
    let mut plan = small_plan();
    plan.sources = vec![
        funnel_source(
            WEBSITE,
            "Website",
            Money::ZERO,
            Money::from_units(1000),
            (0.5, 0.5, 1.0),
        ),
        direct_source(
            MARKETPLACE,
            "Marketplace",
            Money::from_units(50),
            Money::from_units(200),
            0.2,
        ),
    ];
    plan.product_lines = vec![
        product_line(MODEL_A, "Model A", 0.0),
        product_line(MODEL_B, "Model B", 48.0),
    ];
    plan.product_lines[0].monthly_targets = [Some(8.0); 12];
    plan.seasonality = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0];
    plan.mix = mix_every_month(&[(WEBSITE, 0.5), (MARKETPLACE, 0.5)]);
    plan.mix.push(MixEntry {
        month: 6,
        product_line_id: Some(MODEL_B),
        shares: shares(&[(MARKETPLACE, 1.0)]),
    });
    plan.budgets = vec![
        flat_budget(WEBSITE, Money::from_units(1000)),
        flat_budget(MARKETPLACE, Money::from_units(1500)),
    ];
    plan.annual_budget_cap = Some(Money::from_units(32_000));
    plan
}

#[rstest]
#[case(0, 16.0, 20.0, 1200.0, 4.0)]
#[case(5, 16.0, 20.0, 1200.0, 4.0)]
#[case(6, 16.0, 60.0, 3200.0, 12.0)]
#[case(7, 32.0, 40.0, 2200.0, 8.0)]
#[case(11, 32.0, 40.0, 2200.0, 8.0)]
fn an_overrun_plan_spends_per_month(
    overrun_plan: PlanInput,
    #[case] m: usize,
    #[case] web_leads: f64,
    #[case] market_leads: f64,
    #[case] market_spend: f64,
    #[case] market_planned: f64,
) {
    let r = compute(&overrun_plan, FLOOR).unwrap();
    let web = r.month_source(m, 0).unwrap();
    let market = r.month_source(m, 1).unwrap();
    assert_close(web.leads, web_leads);
    assert_close(web.spend, 1000.0);
    assert_close(web.gap, 0.0);
    assert_eq!(web.forward_leads, None);
    assert_eq!(web.forward_sales, None);
    assert_eq!(web.forward_gap, None);
    assert_close(market.leads, market_leads);
    assert_close(market.spend, market_spend);
    assert_close(market.gap, 1500.0 - market_spend);
    assert_close(market.planned_sales, market_planned);
    assert_close(market.forward_leads.unwrap(), 26.0);
    assert_close(market.forward_sales.unwrap(), 5.2);
    assert_close(market.forward_gap.unwrap(), 5.2 - market_planned);
}

#[rstest]
fn an_overrun_plan_breaks_the_budgets_and_the_cap(overrun_plan: PlanInput) {
    let r = compute(&overrun_plan, FLOOR).unwrap();
    // the product line's own mix in m6: all of B's leads from the Marketplace
    let b = r.product_line_position(MODEL_B).unwrap();
    let cell = r.cells.get(6, b, 1).unwrap();
    assert_close(cell.leads, 40.0);
    assert_close(cell.sales, 8.0);
    assert_close(cell.spend, 2000.0);
    assert_close(r.cells.get(6, b, 0).unwrap().leads, 0.0);
    assert_close(r.cells.get(7, b, 0).unwrap().leads, 16.0);

    assert_close(r.product_lines[0].leads, 432.0);
    assert_close(r.product_lines[0].spend, 12_000.0);
    assert_close(r.product_lines[1].leads, 220.0);
    assert_close(r.product_lines[1].spend, 7000.0);
    assert_close(r.sources[0].leads, 272.0);
    assert_close(r.sources[1].leads, 380.0);
    assert_close(r.sources[1].spend, 21_400.0);
    assert_close(r.sources[1].gap, -3400.0);
    assert_eq!(r.sources[0].forward_leads, None);
    assert_close(r.sources[1].forward_leads.unwrap(), 312.0);
    assert_close(r.sources[1].forward_sales.unwrap(), 62.4);
    assert_close(r.sources[1].forward_gap.unwrap(), -13.6);

    let y = &r.year;
    assert_close(y.leads, 652.0);
    assert_close(y.spend, 33_400.0);
    assert_close(y.budget, 30_000.0);
    assert_close(y.gap, -3400.0);
    assert_eq!(y.annual_budget_cap, Some(32_000.0));
    assert_close(y.cap_gap.unwrap(), -1400.0);
    // forward totals cover the Marketplace only
    assert_close(y.forward_leads, 312.0);
    assert_close(y.forward_sales, 62.4);
    assert_close(y.forward_gap, -13.6);

    let mut expected = vec![budget_warning(
        BudgetScope::MonthSource,
        Some(6),
        Some(MARKETPLACE),
        1500.0,
        3200.0,
    )];
    for m in 7..12 {
        expected.push(budget_warning(
            BudgetScope::MonthSource,
            Some(m),
            Some(MARKETPLACE),
            1500.0,
            2200.0,
        ));
    }
    expected.push(budget_warning(
        BudgetScope::Month,
        Some(6),
        None,
        2500.0,
        4200.0,
    ));
    for m in 7..12 {
        expected.push(budget_warning(
            BudgetScope::Month,
            Some(m),
            None,
            2500.0,
            3200.0,
        ));
    }
    expected.extend([
        budget_warning(
            BudgetScope::Source,
            None,
            Some(MARKETPLACE),
            18_000.0,
            21_400.0,
        ),
        budget_warning(BudgetScope::Year, None, None, 30_000.0, 33_400.0),
        budget_warning(BudgetScope::Cap, None, None, 32_000.0, 33_400.0),
    ]);
    assert_warnings(&r.warnings, &expected);
}

#[rstest]
fn every_total_is_the_sum_of_its_cells(
    #[values(seasonal_plan(), launch_plan(), overrun_plan())] plan: PlanInput,
) {
    let r: PlanResult = compute(&plan, FLOOR).unwrap();
    let cell_leads: f64 = r.cells.leads.iter().sum();
    let cell_sales: f64 = r
        .cells
        .leads
        .iter()
        .enumerate()
        .map(|(i, l)| l * r.cells.conversions[i % r.source_ids.len()])
        .sum();
    let by_month: f64 = r.months.iter().map(|t| t.leads).sum();
    let by_source: f64 = r.sources.iter().map(|t| t.leads).sum();
    let by_line: f64 = r.product_lines.iter().map(|t| t.leads).sum();
    for total in [cell_leads, by_month, by_source, by_line] {
        assert_close(total, r.year.leads);
    }
    assert_close(cell_sales, r.year.planned_sales);
    let spend: f64 = r.month_sources.iter().map(|f| f.spend).sum();
    assert_close(spend, r.year.spend);
}

#[test]
fn the_launch_budget_follows_the_product_lines_own_mix() {
    // Model A's own mix in m3 sends every lead to the Website, so does its extra budget.
    let mut plan = small_plan();
    plan.launches = vec![launch(MODEL_A, 3, 0.0, 1, Money::from_units(1000))];
    plan.mix.push(MixEntry {
        month: 3,
        product_line_id: Some(MODEL_A),
        shares: shares(&[(WEBSITE, 1.0)]),
    });
    let r = compute(&plan, FLOOR).unwrap();
    assert_close(r.month_source(3, 0).unwrap().launch_budget, 1000.0);
    assert_close(r.month_source(3, 1).unwrap().launch_budget, 0.0);
}

#[test]
fn a_launch_near_the_year_end_is_cut_at_december_and_prelaunch_changes_nothing() {
    let mut plan = small_plan();
    plan.launches = vec![launch(MODEL_A, 10, 1.0, 6, Money::ZERO)];
    let with_prelaunch = compute(&plan, FLOOR).unwrap();
    // A is 10 a month; doubled in m10 and m11 only: 100 + 2 × 20 = 140
    assert_close(with_prelaunch.product_lines[0].target, 140.0);
    assert_close(
        with_prelaunch.month_product_line(11, 0).unwrap().target,
        20.0,
    );
    plan.launches[0].prelaunch_months = 0;
    assert_eq!(compute(&plan, FLOOR).unwrap(), with_prelaunch);
}

#[test]
fn overlapping_launches_compound() {
    let mut plan = small_plan();
    plan.launches = vec![
        launch(MODEL_A, 2, 0.5, 2, Money::ZERO),
        launch(MODEL_A, 3, 1.0, 1, Money::ZERO),
    ];
    let r = compute(&plan, FLOOR).unwrap();
    // m2: 10 × 1.5 = 15; m3: 10 × 1.5 × 2 = 30
    assert_close(r.month_product_line(2, 0).unwrap().target, 15.0);
    assert_close(r.month_product_line(3, 0).unwrap().target, 30.0);
}

#[test]
fn a_source_without_a_budget_has_a_budget_of_zero() {
    let mut plan = small_plan();
    plan.budgets = vec![flat_budget(WEBSITE, Money::from_units(10_000))];
    let r = compute(&plan, FLOOR).unwrap();
    let market = r.month_source(0, 1).unwrap();
    assert_close(market.budget, 0.0);
    // 15 sales a month → 60 Marketplace leads → 2400
    assert_close(market.gap, -2400.0);
    assert_close(market.forward_leads.unwrap(), 0.0);
    assert!(r.warnings.iter().any(|w| matches!(
        w,
        PlanWarning::BudgetExceeded {
            scope: BudgetScope::Source,
            source_id: Some(MARKETPLACE),
            ..
        }
    )));
}

#[test]
fn the_forward_funnel_buys_nothing_when_fixed_costs_eat_the_budget() {
    let mut plan = small_plan();
    plan.budgets = vec![flat_budget(WEBSITE, Money::from_units(300))];
    let r = compute(&plan, FLOOR).unwrap();
    // budget 300 − fixed 500 < 0 → 0 leads, not negative ones
    let web = r.month_source(0, 0).unwrap();
    assert_close(web.forward_leads.unwrap(), 0.0);
    assert_close(web.forward_sales.unwrap(), 0.0);
    assert_close(web.forward_gap.unwrap(), -9.0);
}

#[test]
fn an_empty_plan_computes_to_zeros() {
    let plan = PlanInput {
        sources: vec![direct_source(1, "Phone", Money::ZERO, Money::ZERO, 0.2)],
        product_lines: Vec::new(),
        seasonality: [1.0; 12],
        launches: Vec::new(),
        mix: Vec::new(),
        budgets: Vec::new(),
        annual_budget_cap: None,
    };
    let r = compute(&plan, FLOOR).unwrap();
    assert!(r.cells.leads.is_empty());
    assert_eq!(r.months.len(), 12);
    assert_close(r.year.spend, 0.0);
    assert!(r.warnings.is_empty());
}
