//! Plan versus actual for a year: the plan computed by the engine, the actual leads from the
//! monthly rollups, the actual spend, compared as of a given day.

use chrono::NaiveDate;
use leadplan_core::actuals::{
    CompareInput, CompareSettings, Filter, PlanVsActual, PlannedFigures, PlannedProductLine,
    PlannedSource, analyse,
};
use leadplan_core::plan::PlanResult;
use leadplan_core::{Money, PlanYear, YearMonth};

use crate::error::Result;
use crate::store::Workbook;

/// The plan's figures in the shape the comparison takes.
#[must_use]
pub fn planned_figures(plan: &PlanResult) -> PlannedFigures {
    let sources = plan
        .source_ids
        .iter()
        .enumerate()
        .map(|(s, &source_id)| {
            let figure = |m: usize| plan.month_source(m, s);
            PlannedSource {
                source_id,
                leads: std::array::from_fn(|m| figure(m).map_or(0.0, |f| f.leads)),
                sales: std::array::from_fn(|m| figure(m).map_or(0.0, |f| f.planned_sales)),
                spend: std::array::from_fn(|m| figure(m).map_or(0.0, |f| f.spend)),
                budget: std::array::from_fn(|m| {
                    figure(m)
                        .and_then(|f| Money::from_units_f64(f.budget))
                        .unwrap_or(Money::ZERO)
                }),
            }
        })
        .collect();
    let product_lines = plan
        .product_line_ids
        .iter()
        .enumerate()
        .map(|(p, &product_line_id)| {
            let figure = |m: usize| plan.month_product_line(m, p);
            PlannedProductLine {
                product_line_id,
                annual_target_units: plan.product_lines.get(p).map_or(0.0, |t| t.target),
                leads: std::array::from_fn(|m| figure(m).map_or(0.0, |f| f.leads)),
                sales: std::array::from_fn(|m| figure(m).map_or(0.0, |f| f.planned_sales)),
            }
        })
        .collect();
    PlannedFigures {
        sources,
        product_lines,
    }
}

fn key(ym: YearMonth) -> i64 {
    i64::from(ym.year) * 100 + i64::from(ym.month)
}

impl Workbook {
    /// Plan version `version_id` against what actually happened in its year, as of `today`.
    ///
    /// # Errors
    /// `Validation` when the plan cannot be computed, `Missing` version, storage errors.
    pub fn compare(
        &self,
        version_id: i64,
        filter: &Filter,
        today: NaiveDate,
    ) -> Result<PlanVsActual> {
        let version = self.plan_version(version_id)?;
        let plan = self.computed_plan(version_id)?;
        self.read(|conn| {
            let settings = crate::settings::get(conn)?;
            let year = PlanYear::new(version.year, settings.fiscal_year_start_month);
            let (first, last) = (year.month(0), year.month(11));
            let rollups = crate::rollups::load(conn, key(first), key(last))?;
            let mut spend = crate::leads::spend_between(conn, first, last)?;
            spend.retain(|s| {
                year.index_of_month(YearMonth {
                    year: s.year,
                    month: s.month,
                })
                .is_some()
            });
            let input = CompareInput {
                year,
                settings: CompareSettings::from(&settings),
                sources: crate::catalogue::list_sources(conn)?,
                product_lines: crate::catalogue::list_product_lines(conn)?,
                planned: planned_figures(&plan),
                rollups,
                spend,
                filter: filter.normalised(),
            };
            Ok(analyse(&input, today))
        })
    }
}
