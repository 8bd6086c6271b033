//! The computed plan. Every figure is unrounded (`f64`; money in currency units) and every
//! total is summed from unrounded figures; front ends round only for display.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::period::Months;

/// The finest grain of the plan: leads needed per month × product line × source, stored
/// flat so that a plan of 100 sources and 200 product lines is one array of 240 000 numbers
/// rather than as many objects.
///
/// The leads for month `m`, product line position `p` and source position `s` sit at index
/// `(m * product_lines + p) * sources + s`. A cell's planned sales are
/// `leads × conversions[s]` and its spend `leads × cost_per_lead[s]` (fixed costs belong to
/// the source and month, not to a cell); [`PlanCells::get`] works them out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanCells {
    pub product_lines: u32,
    pub sources: u32,
    /// Leads needed.
    pub leads: Vec<f64>,
    /// Lead-to-sale conversion per source position.
    pub conversions: Vec<f64>,
    /// Cost per lead per source position, in currency units.
    pub cost_per_lead: Vec<f64>,
}

impl PlanCells {
    /// The flat index of month `m`, product line position `p` and source position `s`.
    #[must_use]
    pub fn index(&self, m: usize, p: usize, s: usize) -> Option<usize> {
        let (lines, sources) = (self.product_lines as usize, self.sources as usize);
        (m < 12 && p < lines && s < sources).then_some((m * lines + p) * sources + s)
    }

    /// Leads, planned sales and variable spend of one cell.
    #[must_use]
    pub fn get(&self, m: usize, p: usize, s: usize) -> Option<CellFigures> {
        let leads = *self.leads.get(self.index(m, p, s)?)?;
        Some(CellFigures {
            leads,
            sales: leads * self.conversions.get(s)?,
            spend: leads * self.cost_per_lead.get(s)?,
        })
    }
}

/// One cell of [`PlanCells`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellFigures {
    pub leads: f64,
    /// `leads × conversion`.
    pub sales: f64,
    /// `leads × cost per lead`.
    pub spend: f64,
}

/// One source in one month: both directions of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MonthSourceFigures {
    pub month: u32,
    #[ts(type = "number")]
    pub source_id: i64,
    /// Reverse funnel: leads needed for the planned sales.
    pub leads: f64,
    /// Planned sales through this source (summed over product lines).
    pub planned_sales: f64,
    /// `leads × cost per lead + fixed monthly cost`.
    pub spend: f64,
    /// Budget entered plus `launch_budget`.
    pub budget: f64,
    /// The part of `budget` that comes from launches' extra budget.
    pub launch_budget: f64,
    /// `budget − spend`; negative when the plan costs more than the budget.
    pub gap: f64,
    /// Forward funnel: `max(0, budget − fixed) / cost per lead`; `None` when the cost per
    /// lead is 0 (no limit follows from the budget).
    pub forward_leads: Option<f64>,
    /// `forward_leads × conversion`.
    pub forward_sales: Option<f64>,
    /// `forward_sales − planned_sales`; negative when the budget buys fewer sales than planned.
    pub forward_gap: Option<f64>,
}

/// One product line in one month: from target to planned sales.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MonthProductLineFigures {
    pub month: u32,
    #[ts(type = "number")]
    pub product_line_id: i64,
    /// The entered monthly target, else `annual × seasonality / 12`.
    pub base_target: f64,
    /// `base_target` with launch uplifts applied.
    pub target: f64,
    /// Units available, where entered.
    pub stock: Option<f64>,
    /// `min(target, stock)`.
    pub planned_sales: f64,
    /// `target − planned_sales`: demand the stock cannot serve.
    pub capped: f64,
    pub leads: f64,
    /// Variable spend on this product line's leads.
    pub spend: f64,
}

/// One month over all sources and product lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MonthTotals {
    pub month: u32,
    pub base_target: f64,
    pub target: f64,
    pub planned_sales: f64,
    pub capped: f64,
    pub leads: f64,
    pub spend: f64,
    pub budget: f64,
    pub launch_budget: f64,
    pub gap: f64,
    /// Forward totals cover the sources with a cost per lead above 0.
    pub forward_leads: f64,
    pub forward_sales: f64,
    pub forward_gap: f64,
}

/// One source over the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SourceTotals {
    #[ts(type = "number")]
    pub source_id: i64,
    pub name: String,
    /// Lead-to-sale conversion used.
    pub conversion: f64,
    pub below_floor: bool,
    /// In currency units.
    pub cost_per_lead: f64,
    pub fixed_monthly_cost: f64,
    pub leads: f64,
    pub planned_sales: f64,
    pub spend: f64,
    pub budget: f64,
    pub launch_budget: f64,
    pub gap: f64,
    /// `None` when the cost per lead is 0.
    pub forward_leads: Option<f64>,
    pub forward_sales: Option<f64>,
    pub forward_gap: Option<f64>,
}

/// One product line over the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProductLineTotals {
    #[ts(type = "number")]
    pub product_line_id: i64,
    pub name: String,
    pub base_target: f64,
    pub target: f64,
    pub planned_sales: f64,
    pub capped: f64,
    pub leads: f64,
    pub spend: f64,
}

/// The whole plan year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct YearTotals {
    pub base_target: f64,
    pub target: f64,
    pub planned_sales: f64,
    pub capped: f64,
    pub leads: f64,
    pub spend: f64,
    pub budget: f64,
    pub launch_budget: f64,
    pub gap: f64,
    /// The cap on total spend, if any, in currency units.
    pub annual_budget_cap: Option<f64>,
    /// `cap − spend`.
    pub cap_gap: Option<f64>,
    /// Forward totals cover the sources with a cost per lead above 0.
    pub forward_leads: f64,
    pub forward_sales: f64,
    pub forward_gap: f64,
}

/// What a budget warning compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BudgetScope {
    /// One source in one month.
    MonthSource,
    /// All sources in one month.
    Month,
    /// One source over the year.
    Source,
    /// All sources over the year.
    Year,
    /// The year's total spend against the annual budget cap.
    Cap,
}

/// Something in the plan that needs a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanWarning {
    /// Spend above budget (by more than half a cent).
    BudgetExceeded {
        scope: BudgetScope,
        month: Option<u32>,
        #[ts(type = "number | null")]
        source_id: Option<i64>,
        budget: f64,
        spend: f64,
        /// `spend − budget`.
        over: f64,
    },
    /// Demand above the stock available; the difference is not planned as sales.
    StockCap {
        month: u32,
        #[ts(type = "number")]
        product_line_id: i64,
        target: f64,
        stock: f64,
        capped: f64,
    },
    /// A source converts below the workbook's floor.
    ConversionBelowFloor {
        #[ts(type = "number")]
        source_id: i64,
        conversion: f64,
        floor: f64,
    },
}

/// A computed plan version: both funnels, every total and the warnings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanResult {
    /// Source ids in position order (the `s` of every per-source array).
    #[ts(type = "Array<number>")]
    pub source_ids: Vec<i64>,
    /// Product line ids in position order (the `p` of every per-product-line array).
    #[ts(type = "Array<number>")]
    pub product_line_ids: Vec<i64>,
    pub conversion_floor: f64,
    /// The seasonality used, normalised to a mean of 1.0.
    pub seasonality: Months<f64>,
    pub cells: PlanCells,
    /// Month × source at `m * sources + s`.
    pub month_sources: Vec<MonthSourceFigures>,
    /// Month × product line at `m * product_lines + p`.
    pub month_product_lines: Vec<MonthProductLineFigures>,
    /// Twelve entries, one per plan month.
    pub months: Vec<MonthTotals>,
    pub sources: Vec<SourceTotals>,
    pub product_lines: Vec<ProductLineTotals>,
    pub year: YearTotals,
    pub warnings: Vec<PlanWarning>,
}

impl PlanResult {
    /// The position of a source, by id.
    #[must_use]
    pub fn source_position(&self, source_id: i64) -> Option<usize> {
        self.source_ids.iter().position(|&id| id == source_id)
    }

    /// The position of a product line, by id.
    #[must_use]
    pub fn product_line_position(&self, product_line_id: i64) -> Option<usize> {
        self.product_line_ids
            .iter()
            .position(|&id| id == product_line_id)
    }

    /// One source in one month, by positions.
    #[must_use]
    pub fn month_source(&self, m: usize, s: usize) -> Option<&MonthSourceFigures> {
        (m < 12 && s < self.source_ids.len())
            .then(|| self.month_sources.get(m * self.source_ids.len() + s))
            .flatten()
    }

    /// One product line in one month, by positions.
    #[must_use]
    pub fn month_product_line(&self, m: usize, p: usize) -> Option<&MonthProductLineFigures> {
        (m < 12 && p < self.product_line_ids.len())
            .then(|| {
                self.month_product_lines
                    .get(m * self.product_line_ids.len() + p)
            })
            .flatten()
    }
}

#[cfg(test)]
mod tests {
    use ts_rs::{Config, TS};

    use super::*;
    use crate::plan::compute;
    use crate::plan::fixtures::small_plan;

    #[test]
    fn positions_outside_the_plan_find_nothing() {
        let r = compute(&small_plan(), 0.13).unwrap();
        assert!(r.cells.get(11, 1, 1).is_some());
        assert_eq!(r.cells.index(12, 0, 0), None);
        assert_eq!(r.cells.index(0, 2, 0), None);
        assert_eq!(r.cells.index(0, 0, 2), None);
        assert!(r.month_source(12, 0).is_none());
        assert!(r.month_source(0, 2).is_none());
        assert!(r.month_product_line(0, 2).is_none());
        assert_eq!(r.source_position(12), Some(1));
        assert_eq!(r.product_line_position(99), None);
    }

    #[test]
    fn warnings_reach_typescript_as_a_union_tagged_by_kind() {
        let ts = PlanWarning::decl(&Config::default());
        assert!(ts.contains("\"kind\": \"budget_exceeded\""), "{ts}");
        assert!(ts.contains("source_id: number | null"), "{ts}");
        let result = PlanResult::decl(&Config::default());
        assert!(result.contains("source_ids: Array<number>"), "{result}");
    }
}
