//! Builders for plan inputs in tests.

use crate::model::{Launch, SourceAssumptions, SourceKind};
use crate::money::Money;
use crate::plan::{MixEntry, PlanInput, PlanProductLine, PlanSource, SourceBudget, SourceShare};

pub const WEBSITE: i64 = 11;
pub const MARKETPLACE: i64 = 12;
pub const MODEL_A: i64 = 21;
pub const MODEL_B: i64 = 22;

/// A source with the funnel `contact × appointment × close`.
pub fn funnel_source(
    id: i64,
    name: &str,
    cost_per_lead: Money,
    fixed: Money,
    rates: (f64, f64, f64),
) -> PlanSource {
    PlanSource {
        id,
        name: name.into(),
        kind: SourceKind::Owned,
        assumptions: SourceAssumptions {
            cost_per_lead,
            fixed_monthly_cost: fixed,
            contact_rate: rates.0,
            appointment_rate: rates.1,
            close_rate: rates.2,
            direct_conversion: None,
        },
    }
}

/// A source with a lead-to-sale rate entered directly.
pub fn direct_source(
    id: i64,
    name: &str,
    cost_per_lead: Money,
    fixed: Money,
    conversion: f64,
) -> PlanSource {
    PlanSource {
        id,
        name: name.into(),
        kind: SourceKind::Marketplace,
        assumptions: SourceAssumptions {
            cost_per_lead,
            fixed_monthly_cost: fixed,
            contact_rate: 0.9,
            appointment_rate: 0.5,
            close_rate: 0.5,
            direct_conversion: Some(conversion),
        },
    }
}

pub fn product_line(id: i64, name: &str, annual_target: f64) -> PlanProductLine {
    PlanProductLine {
        id,
        name: name.into(),
        annual_target,
        monthly_targets: [None; 12],
        stock: [None; 12],
    }
}

pub fn shares(list: &[(i64, f64)]) -> Vec<SourceShare> {
    list.iter()
        .map(|&(source_id, share)| SourceShare { source_id, share })
        .collect()
}

/// The same general mix in all twelve months.
pub fn mix_every_month(list: &[(i64, f64)]) -> Vec<MixEntry> {
    (0..12)
        .map(|month| MixEntry {
            month,
            product_line_id: None,
            shares: shares(list),
        })
        .collect()
}

pub fn flat_budget(source_id: i64, per_month: Money) -> SourceBudget {
    SourceBudget {
        source_id,
        months: [per_month; 12],
    }
}

pub fn launch(
    product_line_id: i64,
    month: u32,
    uplift: f64,
    duration_months: u32,
    extra: Money,
) -> Launch {
    Launch {
        id: 1,
        product_line_id,
        month,
        uplift,
        duration_months,
        prelaunch_months: 2,
        extra_budget: extra,
    }
}

/// Two sources, two product lines, a 60/40 mix, no budgets yet: a valid starting point.
pub fn small_plan() -> PlanInput {
    PlanInput {
        sources: vec![
            funnel_source(
                WEBSITE,
                "Website",
                Money::from_units(20),
                Money::from_units(500),
                (0.5, 0.5, 0.8),
            ),
            direct_source(
                MARKETPLACE,
                "Marketplace",
                Money::from_units(40),
                Money::ZERO,
                0.1,
            ),
        ],
        product_lines: vec![
            product_line(MODEL_A, "Model A", 120.0),
            product_line(MODEL_B, "Model B", 60.0),
        ],
        seasonality: [1.0; 12],
        launches: Vec::new(),
        mix: mix_every_month(&[(WEBSITE, 0.6), (MARKETPLACE, 0.4)]),
        budgets: Vec::new(),
        annual_budget_cap: None,
    }
}

/// `actual` equals `expected` up to floating-point noise.
#[track_caller]
pub fn assert_close(actual: f64, expected: f64) {
    let tolerance = 1e-9 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "expected {expected}, got {actual}"
    );
}
