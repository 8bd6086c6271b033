//! The annual lead plan: from sales targets to the leads and money they need (reverse
//! funnel), from budgets to the leads and sales they buy (forward funnel), and the gap
//! between the two. Pure functions; the formulas are listed in `docs/plan-format.md`.
//!
//! - [`compute`] turns a [`PlanInput`] into a [`PlanResult`];
//! - [`compare`] sets two computed versions side by side;
//! - [`parse_plan_file`] reads the JSON [`PlanFile`] users export and import;
//! - [`normalise_seasonality`] and [`seasonality_from_history`] prepare seasonality.

mod compare;
mod compute;
mod file;
mod input;
mod result;
mod seasonality;

#[cfg(test)]
mod file_tests;
#[cfg(test)]
mod fixtures;
#[cfg(test)]
mod invariants;
#[cfg(test)]
mod worked_examples;

pub use compare::{Delta, MonthSourceDelta, PlanComparison, Presence, SourceDelta, compare};
pub use compute::compute;
pub use file::{
    PLAN_FILE_FORMAT_VERSION, PlanFile, PlanFileBudget, PlanFileError, PlanFileLaunch, PlanFileMix,
    PlanFileProductLine, PlanFileSource, parse_plan_file,
};
pub use input::{
    MAX_LAUNCH_MONTHS, MAX_MONEY_CENTS, MAX_PRELAUNCH_MONTHS, MAX_UPLIFT, MIX_TOLERANCE, MixEntry,
    PlanInput, PlanProductLine, PlanSource, SourceBudget, SourceShare,
};
pub use result::{
    BudgetScope, CellFigures, MonthProductLineFigures, MonthSourceFigures, MonthTotals, PlanCells,
    PlanResult, PlanWarning, ProductLineTotals, SourceTotals, YearTotals,
};
pub use seasonality::{normalise_seasonality, seasonality_from_history};
