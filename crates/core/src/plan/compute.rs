//! The reverse funnel (targets → leads → money) and the forward funnel (budget → leads →
//! sales) of one plan version.

use crate::plan::input::{PlanInput, Resolved, resolve};
use crate::plan::result::{
    BudgetScope, MonthProductLineFigures, MonthSourceFigures, MonthTotals, PlanCells, PlanResult,
    PlanWarning, ProductLineTotals, SourceTotals, YearTotals,
};
use crate::validate::{FieldError, Rule, ValidationErrors, Validator};

/// Spend must exceed a budget by at least half a cent to count as over it.
const BUDGET_TOLERANCE: f64 = 0.005;
/// Capped demand below this many units is floating-point noise, not a warning.
const STOCK_TOLERANCE: f64 = 1e-6;
/// A conversion this close to the floor counts as on it.
const FLOOR_TOLERANCE: f64 = 1e-12;

/// Computes a plan version: targets, stock caps and launches per month and product line;
/// leads, spend and the forward funnel per month and source; every total; the warnings.
///
/// `conversion_floor` is the workbook's floor (a fraction); sources below it are flagged.
///
/// # Errors
/// Every problem with the input, each with its field path; also a `plan` error when the
/// figures overflow (e.g. a tiny conversion on a huge target).
pub fn compute(input: &PlanInput, conversion_floor: f64) -> Result<PlanResult, ValidationErrors> {
    let mut v = Validator::new();
    v.rate("conversion_floor", conversion_floor);
    let floor_checked = v.finish();
    let resolved = match (floor_checked, resolve(input)) {
        (Ok(()), Ok(resolved)) => resolved,
        (Err(mut a), Err(b)) => {
            a.0.extend(b.0);
            return Err(a);
        }
        (Err(e), Ok(_)) | (Ok(()), Err(e)) => return Err(e),
    };
    let result = Computation::new(input, &resolved, conversion_floor).run()?;
    let y = &result.year;
    let all_finite = [
        y.base_target,
        y.target,
        y.planned_sales,
        y.capped,
        y.leads,
        y.spend,
        y.budget,
        y.gap,
        y.forward_leads,
        y.forward_sales,
        y.forward_gap,
    ]
    .iter()
    .all(|x| x.is_finite());
    if all_finite {
        Ok(result)
    } else {
        Err(too_large())
    }
}

fn too_large() -> ValidationErrors {
    ValidationErrors(vec![FieldError {
        field: "plan".into(),
        rule: Rule::Other {
            message: "the figures are too large to compute; check targets, launch uplifts \
                      and conversion rates"
                .into(),
        },
    }])
}

struct Computation<'a> {
    input: &'a PlanInput,
    r: &'a Resolved,
    floor: f64,
    sources: usize,
    lines: usize,
    cost_per_lead: Vec<f64>,
    fixed: Vec<f64>,
}

impl<'a> Computation<'a> {
    fn new(input: &'a PlanInput, r: &'a Resolved, floor: f64) -> Self {
        Computation {
            input,
            r,
            floor,
            sources: input.sources.len(),
            lines: input.product_lines.len(),
            cost_per_lead: input
                .sources
                .iter()
                .map(|s| s.assumptions.cost_per_lead.as_units())
                .collect(),
            fixed: input
                .sources
                .iter()
                .map(|s| s.assumptions.fixed_monthly_cost.as_units())
                .collect(),
        }
    }

    /// Demand per month and product line: target, launch uplift, stock cap.
    fn product_line_months(&self) -> Vec<MonthProductLineFigures> {
        let lines = self.lines;
        let mut uplift = vec![1.0; 12 * lines];
        for launch in &self.input.launches {
            let Some(&p) = self.r.product_line_index.get(&launch.product_line_id) else {
                continue;
            };
            let start = launch.month as usize;
            let end = start
                .saturating_add(launch.duration_months as usize)
                .min(12);
            for m in start..end {
                if let Some(factor) = uplift.get_mut(m * lines + p) {
                    *factor *= 1.0 + launch.uplift;
                }
            }
        }
        let mut figures = Vec::with_capacity(12 * lines);
        for (m, (&season, uplifts)) in self
            .r
            .seasonality
            .iter()
            .zip(uplift.chunks(lines.max(1)))
            .enumerate()
        {
            for (line, &factor) in self.input.product_lines.iter().zip(uplifts) {
                let base_target = line
                    .monthly_targets
                    .get(m)
                    .copied()
                    .flatten()
                    .unwrap_or(line.annual_target * season / 12.0);
                let target = base_target * factor;
                let stock = line.stock.get(m).copied().flatten();
                let planned_sales = stock.map_or(target, |s| target.min(s));
                figures.push(MonthProductLineFigures {
                    month: month_number(m),
                    product_line_id: line.id,
                    base_target,
                    target,
                    stock,
                    planned_sales,
                    capped: target - planned_sales,
                    leads: 0.0,
                    spend: 0.0,
                });
            }
        }
        figures
    }

    /// Each launch's extra budget, spread over the sources by its month's mix.
    fn launch_budgets(&self) -> Vec<f64> {
        let (lines, sources) = (self.lines, self.sources);
        let mut budget = vec![0.0; 12 * sources];
        for launch in &self.input.launches {
            let Some(&p) = self.r.product_line_index.get(&launch.product_line_id) else {
                continue;
            };
            let m = launch.month as usize;
            let Some(shares) = self
                .r
                .row_of
                .get(m * lines + p)
                .and_then(|&row| self.r.mix_rows.get(row))
            else {
                continue;
            };
            let extra = launch.extra_budget.as_units();
            let month = budget.iter_mut().skip(m * sources).take(sources);
            for (cell, share) in month.zip(shares) {
                *cell += extra * share;
            }
        }
        budget
    }

    #[allow(clippy::too_many_lines)] // the funnel reads best as one pass
    fn run(&self) -> Result<PlanResult, ValidationErrors> {
        let (lines, sources) = (self.lines, self.sources);
        let conversions = &self.r.conversions;
        let mut line_months = self.product_line_months();
        let launch_budget = self.launch_budgets();

        // per mix row: leads per planned sale for each source (share / conversion)
        let lead_factors: Vec<Vec<f64>> = self
            .r
            .mix_rows
            .iter()
            .map(|row| {
                row.iter()
                    .zip(conversions)
                    .map(|(&share, &c)| if share > 0.0 { share / c } else { 0.0 })
                    .collect()
            })
            .collect();

        let mut cell_leads = Vec::with_capacity(12 * lines * sources);
        let mut ms_leads = vec![0.0; 12 * sources];
        let mut ms_sales = vec![0.0; 12 * sources];
        for (i, line_month) in line_months.iter_mut().enumerate() {
            let m = i / lines.max(1);
            let row = self.r.row_of.get(i).copied().unwrap_or(0);
            let range = m * sources..(m + 1) * sources;
            // validation guarantees a mix row for every month and product line; should one
            // be missing, the cell stays at 0 so that every index still lines up
            let (Some(shares), Some(factors), Some(acc_leads), Some(acc_sales)) = (
                self.r.mix_rows.get(row),
                lead_factors.get(row),
                ms_leads.get_mut(range.clone()),
                ms_sales.get_mut(range),
            ) else {
                cell_leads.resize(cell_leads.len() + sources, 0.0);
                continue;
            };
            let planned = line_month.planned_sales;
            let first = cell_leads.len();
            cell_leads.extend(factors.iter().map(|&factor| planned * factor));
            let leads = cell_leads.get(first..).unwrap_or_default();
            let mut leads_total = 0.0;
            let mut spend_total = 0.0;
            for ((((&l, acc_l), acc_s), &share), &cpl) in leads
                .iter()
                .zip(acc_leads.iter_mut())
                .zip(acc_sales.iter_mut())
                .zip(shares)
                .zip(&self.cost_per_lead)
            {
                *acc_l += l;
                *acc_s += planned * share;
                leads_total += l;
                spend_total += l * cpl;
            }
            line_month.leads = leads_total;
            line_month.spend = spend_total;
        }
        // Σp leads × cost per lead, summed once per month and source
        let ms_spend: Vec<f64> = ms_leads
            .iter()
            .enumerate()
            .map(|(i, &l)| {
                l * self
                    .cost_per_lead
                    .get(i % sources.max(1))
                    .copied()
                    .unwrap_or(0.0)
            })
            .collect();

        // month × source, both directions
        let mut month_sources = Vec::with_capacity(12 * sources);
        for m in 0..12 {
            for (s, source) in self.input.sources.iter().enumerate() {
                let i = m * sources + s;
                let at = |list: &[f64]| list.get(i).copied().unwrap_or(0.0);
                let cpl = self.cost_per_lead.get(s).copied().unwrap_or(0.0);
                let fixed = self.fixed.get(s).copied().unwrap_or(0.0);
                let conversion = conversions.get(s).copied().unwrap_or(0.0);
                let planned_sales = at(&ms_sales);
                let spend = at(&ms_spend) + fixed;
                let launch = at(&launch_budget);
                let budget = at(&self.r.budgets) + launch;
                let forward_leads = (cpl > 0.0).then(|| (budget - fixed).max(0.0) / cpl);
                let forward_sales = forward_leads.map(|l| l * conversion);
                month_sources.push(MonthSourceFigures {
                    month: month_number(m),
                    source_id: source.id,
                    leads: at(&ms_leads),
                    planned_sales,
                    spend,
                    budget,
                    launch_budget: launch,
                    gap: budget - spend,
                    forward_leads,
                    forward_sales,
                    forward_gap: forward_sales.map(|f| f - planned_sales),
                });
            }
        }

        // totals per month, source, product line and year
        let mut months: Vec<MonthTotals> = (0..12).map(|m| empty_month(month_number(m))).collect();
        let mut source_totals: Vec<SourceTotals> = self
            .input
            .sources
            .iter()
            .enumerate()
            .map(|(s, source)| {
                let conversion = conversions.get(s).copied().unwrap_or(0.0);
                let priced = self.cost_per_lead.get(s).is_some_and(|&c| c > 0.0);
                SourceTotals {
                    source_id: source.id,
                    name: source.name.clone(),
                    conversion,
                    below_floor: conversion < self.floor - FLOOR_TOLERANCE,
                    cost_per_lead: self.cost_per_lead.get(s).copied().unwrap_or(0.0),
                    fixed_monthly_cost: self.fixed.get(s).copied().unwrap_or(0.0),
                    leads: 0.0,
                    planned_sales: 0.0,
                    spend: 0.0,
                    budget: 0.0,
                    launch_budget: 0.0,
                    gap: 0.0,
                    forward_leads: priced.then_some(0.0),
                    forward_sales: priced.then_some(0.0),
                    forward_gap: priced.then_some(0.0),
                }
            })
            .collect();
        for (i, f) in month_sources.iter().enumerate() {
            let (m, s) = (i / sources.max(1), i % sources.max(1));
            if let Some(t) = months.get_mut(m) {
                t.leads += f.leads;
                t.spend += f.spend;
                t.budget += f.budget;
                t.launch_budget += f.launch_budget;
                t.gap += f.gap;
                if let (Some(l), Some(sa), Some(g)) =
                    (f.forward_leads, f.forward_sales, f.forward_gap)
                {
                    t.forward_leads += l;
                    t.forward_sales += sa;
                    t.forward_gap += g;
                }
            }
            if let Some(t) = source_totals.get_mut(s) {
                t.leads += f.leads;
                t.planned_sales += f.planned_sales;
                t.spend += f.spend;
                t.budget += f.budget;
                t.launch_budget += f.launch_budget;
                t.gap += f.gap;
                add_option(&mut t.forward_leads, f.forward_leads);
                add_option(&mut t.forward_sales, f.forward_sales);
                add_option(&mut t.forward_gap, f.forward_gap);
            }
        }
        let mut line_totals: Vec<ProductLineTotals> = self
            .input
            .product_lines
            .iter()
            .map(|line| ProductLineTotals {
                product_line_id: line.id,
                name: line.name.clone(),
                base_target: 0.0,
                target: 0.0,
                planned_sales: 0.0,
                capped: 0.0,
                leads: 0.0,
                spend: 0.0,
            })
            .collect();
        for (i, f) in line_months.iter().enumerate() {
            let (m, p) = (i / lines.max(1), i % lines.max(1));
            if let Some(t) = months.get_mut(m) {
                t.base_target += f.base_target;
                t.target += f.target;
                t.planned_sales += f.planned_sales;
                t.capped += f.capped;
            }
            if let Some(t) = line_totals.get_mut(p) {
                t.base_target += f.base_target;
                t.target += f.target;
                t.planned_sales += f.planned_sales;
                t.capped += f.capped;
                t.leads += f.leads;
                t.spend += f.spend;
            }
        }
        let cap = self.input.annual_budget_cap.map(crate::Money::as_units);
        let mut year = YearTotals {
            base_target: 0.0,
            target: 0.0,
            planned_sales: 0.0,
            capped: 0.0,
            leads: 0.0,
            spend: 0.0,
            budget: 0.0,
            launch_budget: 0.0,
            gap: 0.0,
            annual_budget_cap: cap,
            cap_gap: None,
            forward_leads: 0.0,
            forward_sales: 0.0,
            forward_gap: 0.0,
        };
        for t in &months {
            year.base_target += t.base_target;
            year.target += t.target;
            year.planned_sales += t.planned_sales;
            year.capped += t.capped;
            year.leads += t.leads;
            year.spend += t.spend;
            year.budget += t.budget;
            year.launch_budget += t.launch_budget;
            year.gap += t.gap;
            year.forward_leads += t.forward_leads;
            year.forward_sales += t.forward_sales;
            year.forward_gap += t.forward_gap;
        }
        year.cap_gap = cap.map(|c| c - year.spend);

        let warnings = self.warnings(&line_months, &month_sources, &months, &source_totals, &year);
        let (Ok(cell_lines), Ok(cell_sources)) = (u32::try_from(lines), u32::try_from(sources))
        else {
            return Err(too_large());
        };
        Ok(PlanResult {
            source_ids: self.input.sources.iter().map(|s| s.id).collect(),
            product_line_ids: self.input.product_lines.iter().map(|p| p.id).collect(),
            conversion_floor: self.floor,
            seasonality: self.r.seasonality,
            cells: PlanCells {
                product_lines: cell_lines,
                sources: cell_sources,
                leads: cell_leads,
                conversions: conversions.clone(),
                cost_per_lead: self.cost_per_lead.clone(),
            },
            month_sources,
            month_product_lines: line_months,
            months,
            sources: source_totals,
            product_lines: line_totals,
            year,
            warnings,
        })
    }

    fn warnings(
        &self,
        line_months: &[MonthProductLineFigures],
        month_sources: &[MonthSourceFigures],
        months: &[MonthTotals],
        sources: &[SourceTotals],
        year: &YearTotals,
    ) -> Vec<PlanWarning> {
        let mut warnings = Vec::new();
        for s in sources.iter().filter(|s| s.below_floor) {
            warnings.push(PlanWarning::ConversionBelowFloor {
                source_id: s.source_id,
                conversion: s.conversion,
                floor: self.floor,
            });
        }
        for f in line_months {
            if let Some(stock) = f.stock
                && f.capped > STOCK_TOLERANCE
            {
                warnings.push(PlanWarning::StockCap {
                    month: f.month,
                    product_line_id: f.product_line_id,
                    target: f.target,
                    stock,
                    capped: f.capped,
                });
            }
        }
        let mut budget = |scope, month, source_id, budget: f64, spend: f64| {
            if spend - budget > BUDGET_TOLERANCE {
                warnings.push(PlanWarning::BudgetExceeded {
                    scope,
                    month,
                    source_id,
                    budget,
                    spend,
                    over: spend - budget,
                });
            }
        };
        for f in month_sources {
            budget(
                BudgetScope::MonthSource,
                Some(f.month),
                Some(f.source_id),
                f.budget,
                f.spend,
            );
        }
        for t in months {
            budget(BudgetScope::Month, Some(t.month), None, t.budget, t.spend);
        }
        for t in sources {
            budget(
                BudgetScope::Source,
                None,
                Some(t.source_id),
                t.budget,
                t.spend,
            );
        }
        budget(BudgetScope::Year, None, None, year.budget, year.spend);
        if let Some(cap) = year.annual_budget_cap {
            budget(BudgetScope::Cap, None, None, cap, year.spend);
        }
        warnings
    }
}

fn add_option(total: &mut Option<f64>, value: Option<f64>) {
    if let (Some(t), Some(v)) = (total.as_mut(), value) {
        *t += v;
    }
}

fn empty_month(month: u32) -> MonthTotals {
    MonthTotals {
        month,
        base_target: 0.0,
        target: 0.0,
        planned_sales: 0.0,
        capped: 0.0,
        leads: 0.0,
        spend: 0.0,
        budget: 0.0,
        launch_budget: 0.0,
        gap: 0.0,
        forward_leads: 0.0,
        forward_sales: 0.0,
        forward_gap: 0.0,
    }
}

/// Plan month indices are 0..12, so the conversion never fails.
fn month_number(m: usize) -> u32 {
    u32::try_from(m).unwrap_or(u32::MAX)
}
