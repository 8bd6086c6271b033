//! What a plan version is computed from, and the checks it must pass first.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Launch, MAX_NAME, MAX_QUANTITY, SourceAssumptions, SourceKind};
use crate::money::Money;
use crate::period::Months;
use crate::plan::seasonality::normalise_seasonality;
use crate::validate::{Rule, ValidationErrors, Validator};

/// How far the shares of one mix entry may stray from 1 before the entry is refused.
pub const MIX_TOLERANCE: f64 = 0.001;
/// Largest amount of money accepted in a plan input, in cents (1 000 000 000.00).
pub const MAX_MONEY_CENTS: i64 = 100_000_000_000;
/// Largest launch uplift accepted (10.0 = +1000 %).
pub const MAX_UPLIFT: f64 = 10.0;
/// Longest launch uplift accepted, in months.
pub const MAX_LAUNCH_MONTHS: u32 = 120;
/// Longest pre-launch period accepted, in months.
pub const MAX_PRELAUNCH_MONTHS: u32 = 24;

/// A source as one plan version sees it: the version's own copy of its assumptions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanSource {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: SourceKind,
    pub assumptions: SourceAssumptions,
}

/// A product line's sales target and stock in one plan version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanProductLine {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// Units to sell in the year, spread over the months by seasonality.
    pub annual_target: f64,
    /// Units to sell per month where entered; such a month ignores the annual target.
    pub monthly_targets: Months<Option<f64>>,
    /// Units available per month where known; planned sales never exceed it.
    pub stock: Months<Option<f64>>,
}

/// One source's share of the leads in one mix entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SourceShare {
    #[ts(type = "number")]
    pub source_id: i64,
    /// A fraction; the shares of one entry add up to 1.
    pub share: f64,
}

/// The channel mix for one month, for every product line or for one of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MixEntry {
    /// Plan month index, 0..12.
    pub month: u32,
    /// `None`: the month's general mix. `Some`: overrides it for this product line.
    #[ts(type = "number | null")]
    pub product_line_id: Option<i64>,
    /// Sources not listed have a share of 0.
    pub shares: Vec<SourceShare>,
}

/// The money available to one source, per plan month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SourceBudget {
    #[ts(type = "number")]
    pub source_id: i64,
    pub months: Months<Money>,
}

/// Everything one plan version is computed from. Sources without a budget entry have a
/// budget of 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanInput {
    pub sources: Vec<PlanSource>,
    pub product_lines: Vec<PlanProductLine>,
    /// Twelve indices as entered; normalised to a mean of 1.0 when used.
    pub seasonality: Months<f64>,
    pub launches: Vec<Launch>,
    pub mix: Vec<MixEntry>,
    pub budgets: Vec<SourceBudget>,
    /// A cap on the year's total spend.
    pub annual_budget_cap: Option<Money>,
}

impl PlanInput {
    /// Checks every field and every reference between them.
    ///
    /// # Errors
    /// Every problem found, each with the path of the field (e.g. `mix[3].shares`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        resolve(self).map(|_| ())
    }
}

/// A validated input, turned into positions the computation can index directly.
#[derive(Debug)]
pub(crate) struct Resolved {
    /// Normalised seasonality (mean 1.0).
    pub seasonality: Months<f64>,
    /// Position of each product line, by id.
    pub product_line_index: HashMap<i64, usize>,
    pub conversions: Vec<f64>,
    /// Each distinct mix row, shares per source position, normalised to add up to 1.
    pub mix_rows: Vec<Vec<f64>>,
    /// The mix row used for month `m` and product line position `p`, at `m * P + p`.
    pub row_of: Vec<usize>,
    /// Entered budgets in currency units, at `m * S + s`.
    pub budgets: Vec<f64>,
}

fn check_money(v: &mut Validator, field: &str, money: Money) {
    if !(0..=MAX_MONEY_CENTS).contains(&money.cents()) {
        v.fail(
            field,
            Rule::Range {
                min: 0.0,
                max: money_limit_units(),
            },
        );
    }
}

#[allow(clippy::cast_precision_loss)] // 1e11 is exact in an f64
fn money_limit_units() -> f64 {
    MAX_MONEY_CENTS as f64 / 100.0
}

fn check_quantity(v: &mut Validator, field: &str, value: f64) {
    v.range(field, value, 0.0, MAX_QUANTITY);
}

fn other(message: String) -> Rule {
    Rule::Other { message }
}

/// Ids and names must be unique; reports each later occurrence.
fn check_unique<'a>(
    v: &mut Validator,
    list: &str,
    items: impl Iterator<Item = (i64, &'a str)>,
) -> HashMap<i64, usize> {
    let mut by_id = HashMap::new();
    let mut names = HashMap::new();
    for (i, (id, name)) in items.enumerate() {
        match by_id.entry(id) {
            Entry::Occupied(_) => v.fail(format!("{list}[{i}].id"), Rule::Duplicate),
            Entry::Vacant(slot) => {
                slot.insert(i);
            }
        }
        let key = name.trim().to_lowercase();
        if !key.is_empty() && names.insert(key, i).is_some() {
            v.fail(format!("{list}[{i}].name"), Rule::Duplicate);
        }
    }
    by_id
}

/// Validates `input` and resolves its ids to positions.
#[allow(clippy::too_many_lines)] // one pass over the input, section by section
pub(crate) fn resolve(input: &PlanInput) -> Result<Resolved, ValidationErrors> {
    let mut v = Validator::new();
    let s_count = input.sources.len();
    let p_count = input.product_lines.len();

    // sources
    let source_index = check_unique(
        &mut v,
        "sources",
        input.sources.iter().map(|s| (s.id, s.name.as_str())),
    );
    let mut conversions = Vec::with_capacity(s_count);
    for (i, source) in input.sources.iter().enumerate() {
        let prefix = format!("sources[{i}].");
        v.text(&format!("{prefix}name"), &source.name, MAX_NAME);
        source.assumptions.check(&mut v, &prefix);
        for (name, money) in [
            ("cost_per_lead", source.assumptions.cost_per_lead),
            ("fixed_monthly_cost", source.assumptions.fixed_monthly_cost),
        ] {
            // negative amounts are already reported by `check`
            if money.cents() > MAX_MONEY_CENTS {
                check_money(&mut v, &format!("{prefix}{name}"), money);
            }
        }
        conversions.push(source.assumptions.conversion());
    }

    // product lines
    let product_line_index = check_unique(
        &mut v,
        "product_lines",
        input.product_lines.iter().map(|p| (p.id, p.name.as_str())),
    );
    for (i, line) in input.product_lines.iter().enumerate() {
        let prefix = format!("product_lines[{i}]");
        v.text(&format!("{prefix}.name"), &line.name, MAX_NAME);
        check_quantity(
            &mut v,
            &format!("{prefix}.annual_target"),
            line.annual_target,
        );
        for (m, target) in line.monthly_targets.iter().enumerate() {
            if let Some(t) = target {
                quantity_at(&mut v, *t, || format!("{prefix}.monthly_targets[{m}]"));
            }
        }
        for (m, stock) in line.stock.iter().enumerate() {
            if let Some(s) = stock {
                quantity_at(&mut v, *s, || format!("{prefix}.stock[{m}]"));
            }
        }
    }

    // seasonality
    for (m, index) in input.seasonality.iter().enumerate() {
        quantity_at(&mut v, *index, || format!("seasonality[{m}]"));
    }
    let seasonality_ok = input.seasonality.iter().all(|&x| is_quantity(x));
    let seasonality = normalise_seasonality(&input.seasonality);
    if seasonality_ok && seasonality.is_none() {
        v.fail(
            "seasonality",
            other("at least one month must have an index above 0".into()),
        );
    }

    // launches
    for (i, launch) in input.launches.iter().enumerate() {
        let prefix = format!("launches[{i}]");
        if !product_line_index.contains_key(&launch.product_line_id) {
            v.fail(
                format!("{prefix}.product_line_id"),
                other(format!(
                    "no product line with id {} in this plan",
                    launch.product_line_id
                )),
            );
        }
        v.range(
            &format!("{prefix}.month"),
            f64::from(launch.month),
            0.0,
            11.0,
        );
        v.range(&format!("{prefix}.uplift"), launch.uplift, 0.0, MAX_UPLIFT);
        v.range(
            &format!("{prefix}.duration_months"),
            f64::from(launch.duration_months),
            0.0,
            f64::from(MAX_LAUNCH_MONTHS),
        );
        v.range(
            &format!("{prefix}.prelaunch_months"),
            f64::from(launch.prelaunch_months),
            0.0,
            f64::from(MAX_PRELAUNCH_MONTHS),
        );
        check_money(
            &mut v,
            &format!("{prefix}.extra_budget"),
            launch.extra_budget,
        );
    }

    // mix
    let mut mix_rows: Vec<Vec<f64>> = Vec::new();
    let mut general: [Option<usize>; 12] = [None; 12];
    let mut overrides: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, entry) in input.mix.iter().enumerate() {
        let prefix = format!("mix[{i}]");
        let month = usize::try_from(entry.month).ok().filter(|&m| m < 12);
        if month.is_none() {
            v.fail(
                format!("{prefix}.month"),
                Rule::Range {
                    min: 0.0,
                    max: 11.0,
                },
            );
        }
        let line = match entry.product_line_id {
            None => None,
            Some(id) => {
                let found = product_line_index.get(&id).copied();
                if found.is_none() {
                    v.fail(
                        format!("{prefix}.product_line_id"),
                        other(format!("no product line with id {id} in this plan")),
                    );
                }
                Some(found)
            }
        };
        let mut row = vec![0.0; s_count];
        let mut row_ok = true;
        let mut seen = vec![false; s_count];
        let mut sum = 0.0;
        for (j, share) in entry.shares.iter().enumerate() {
            let share_path = || format!("{prefix}.shares[{j}]");
            let share_ok = share.share.is_finite() && (0.0..=1.0).contains(&share.share);
            if !share_ok {
                v.rate(&format!("{}.share", share_path()), share.share);
            }
            row_ok &= share_ok;
            if share_ok {
                sum += share.share;
            }
            let Some(&s) = source_index.get(&share.source_id) else {
                v.fail(
                    format!("{}.source_id", share_path()),
                    other(format!(
                        "no source with id {} in this plan",
                        share.source_id
                    )),
                );
                row_ok = false;
                continue;
            };
            if seen
                .get_mut(s)
                .is_some_and(|seen| std::mem::replace(seen, true))
            {
                v.fail(format!("{}.source_id", share_path()), Rule::Duplicate);
                row_ok = false;
                continue;
            }
            if share_ok {
                if share.share > 0.0 && conversions.get(s).is_some_and(|&c| c == 0.0) {
                    v.fail(
                        format!("{}.share", share_path()),
                        other(format!(
                            "source '{}' converts no leads (conversion 0), so a share above 0 \
                             would need infinitely many leads",
                            input.sources.get(s).map_or("", |x| x.name.as_str())
                        )),
                    );
                    row_ok = false;
                }
                if let Some(cell) = row.get_mut(s) {
                    *cell = share.share;
                }
            }
        }
        if row_ok && (sum - 1.0).abs() > MIX_TOLERANCE + 1e-12 {
            v.fail(
                format!("{prefix}.shares"),
                other(format!(
                    "the shares add up to {sum}; they must add up to 1 (± {MIX_TOLERANCE})"
                )),
            );
            row_ok = false;
        }
        let Some(m) = month else { continue };
        let slot = match line {
            None => general.get_mut(m),
            Some(None) => continue,
            Some(Some(p)) => {
                if overrides.contains_key(&(m, p)) {
                    v.fail(
                        prefix,
                        other("a second mix for the same month and product line".into()),
                    );
                    continue;
                }
                if row_ok {
                    overrides.insert((m, p), mix_rows.len());
                    mix_rows.push(normalised(row));
                }
                continue;
            }
        };
        if let Some(slot) = slot {
            if slot.is_some() {
                v.fail(
                    prefix,
                    other("a second general mix for the same month".into()),
                );
            } else if row_ok {
                *slot = Some(mix_rows.len());
                mix_rows.push(normalised(row));
            }
        }
    }

    // every month and product line needs a mix to turn sales into leads
    let mut row_of = vec![0; 12 * p_count];
    let mut mix_complete = true;
    for (m, general_row) in general.iter().enumerate() {
        let mut uncovered = Vec::new();
        for (p, line) in input.product_lines.iter().enumerate() {
            let row = overrides.get(&(m, p)).copied().or(*general_row);
            match row {
                Some(r) => {
                    if let Some(cell) = row_of.get_mut(m * p_count + p) {
                        *cell = r;
                    }
                }
                None => uncovered.push(line.name.as_str()),
            }
        }
        if !uncovered.is_empty() {
            mix_complete = false;
            // a month whose entry was refused above is already reported
            let refused = input
                .mix
                .iter()
                .any(|e| e.month as usize == m && e.product_line_id.is_none());
            if !refused {
                v.fail(
                    "mix",
                    other(format!(
                        "month index {m} has no mix for product line(s): {}",
                        uncovered.join(", ")
                    )),
                );
            }
        }
    }

    // budgets
    let mut budgets = vec![0.0; 12 * s_count];
    let mut budgeted = HashMap::new();
    for (i, budget) in input.budgets.iter().enumerate() {
        let prefix = format!("budgets[{i}]");
        let Some(&s) = source_index.get(&budget.source_id) else {
            v.fail(
                format!("{prefix}.source_id"),
                other(format!(
                    "no source with id {} in this plan",
                    budget.source_id
                )),
            );
            continue;
        };
        if budgeted.insert(budget.source_id, i).is_some() {
            v.fail(format!("{prefix}.source_id"), Rule::Duplicate);
            continue;
        }
        for (m, amount) in budget.months.iter().enumerate() {
            money_at(&mut v, *amount, || format!("{prefix}.months[{m}]"));
            if let Some(cell) = budgets.get_mut(m * s_count + s) {
                *cell = amount.as_units();
            }
        }
    }

    if let Some(cap) = input.annual_budget_cap {
        check_money(&mut v, "annual_budget_cap", cap);
    }

    v.finish()?;
    match seasonality {
        Some(seasonality) if mix_complete => Ok(Resolved {
            seasonality,
            product_line_index,
            conversions,
            mix_rows,
            row_of,
            budgets,
        }),
        // unreachable once `finish` passed; kept as an error rather than a panic
        _ => Err(ValidationErrors(vec![crate::validate::FieldError {
            field: "mix".into(),
            rule: other("the plan could not be resolved".into()),
        }])),
    }
}

/// Scales shares that add up to 1 within the tolerance to exactly 1.
fn normalised(mut row: Vec<f64>) -> Vec<f64> {
    let sum: f64 = row.iter().sum();
    if sum > 0.0 {
        for share in &mut row {
            *share /= sum;
        }
    }
    row
}

/// Checks a quantity, naming the field only when it fails (plans have many fields).
fn quantity_at(v: &mut Validator, value: f64, field: impl FnOnce() -> String) {
    if !is_quantity(value) {
        check_quantity(v, &field(), value);
    }
}

/// Checks an amount, naming the field only when it fails.
fn money_at(v: &mut Validator, money: Money, field: impl FnOnce() -> String) {
    if !(0..=MAX_MONEY_CENTS).contains(&money.cents()) {
        check_money(v, &field(), money);
    }
}

fn is_quantity(x: f64) -> bool {
    x.is_finite() && (0.0..=MAX_QUANTITY).contains(&x)
}
