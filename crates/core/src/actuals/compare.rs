//! Plan versus actual: the figures the dashboard, the meeting view and the reports show.
//!
//! [`analyse`] turns the plan, the monthly lead rollups and the actual spend into
//! [`PlanVsActual`]. The rules every figure follows (docs/compare-format.md has the full
//! field list):
//!
//! - **Months.** A month is *started* when its first day is on or before today, *complete*
//!   when its last day is before today. Months not yet started have no actuals: their
//!   actual figures are `None`, never 0. The current month counts every lead its rollups
//!   hold.
//! - **Plan to date.** Actuals are compared with the plan *to date*: the full plan of
//!   complete months plus the current month's plan pro rata by days (today included, so on
//!   the 15th of a 30-day month half of its plan), nothing for months not started.
//! - **Cohorts.** Conversion is won ÷ leads *created* in the same months. A cohort month is
//!   *maturing* while its last day + the maturity days is after today (or the month is not
//!   complete); its conversion will still rise. The conversion compared with the floor is
//!   that of the mature cohorts when there are any, else that of all cohorts so far.
//! - **Ratios** whose divisor is zero are `None`; no figure is ever NaN or infinite.
//!   Non-finite planned figures are read as 0.
//! - **Money** in the output is integer cents. Planned amounts (currency units as `f64`)
//!   are summed unrounded and rounded to the cent once, at the end.
//! - **Profit** is *margin after marketing*: gross margin (won sales × the product line's
//!   average margin per sale) − actual marketing spend. Revenue − spend is not used because
//!   revenue still contains the cost of the goods sold.
//! - **Filters.** Spend and budgets exist per source and month, not per product line, and
//!   the plan per source is not split by product line. So under a product-line filter the
//!   source plan, spend, budget and everything computed from them is `None`, and the total
//!   plan comes from the product-line plan; under a source filter the product-line plan
//!   (and targets) is `None`, and the total plan comes from the selected sources. Under
//!   both the plan is `None`.
//! - **Forecast**: see [`Forecast`].
//! - **KPI tiles**: see [`KpiTiles`] for the thresholds.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::histogram::{ResponseBucket, ResponseHistogram};
use super::rollup::LeadRollup;
use crate::model::{FollowUpSla, ProductLine, Settings, Source, Spend};
use crate::money::Money;
use crate::period::{Months, PlanYear, YearMonth};

// ---------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------

/// The settings the comparison needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CompareSettings {
    /// Lead-to-sale conversion below which a source is flagged.
    pub conversion_floor: f64,
    pub sla: FollowUpSla,
    /// Cohorts younger than this many days after their month's end are still maturing.
    pub cohort_maturity_days: u32,
}

impl From<&Settings> for CompareSettings {
    fn from(s: &Settings) -> Self {
        CompareSettings {
            conversion_floor: s.conversion_floor,
            sla: s.sla.clone(),
            cohort_maturity_days: s.cohort_maturity_days,
        }
    }
}

/// The plan for one source, per plan month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlannedSource {
    #[ts(type = "number")]
    pub source_id: i64,
    pub leads: Months<f64>,
    pub sales: Months<f64>,
    /// Planned spend in currency units (unrounded).
    pub spend: Months<f64>,
    pub budget: Months<Money>,
}

/// The plan for one product line, per plan month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlannedProductLine {
    #[ts(type = "number")]
    pub product_line_id: i64,
    /// The year's sales target in units.
    pub annual_target_units: f64,
    /// Leads planned for this product line (summed over sources).
    pub leads: Months<f64>,
    pub sales: Months<f64>,
}

/// The plan's figures the comparison needs, whichever way the plan was computed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct PlannedFigures {
    pub sources: Vec<PlannedSource>,
    pub product_lines: Vec<PlannedProductLine>,
}

/// Which part of the year's data to compare. Empty lists select everything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Filter {
    #[ts(type = "Array<number>")]
    pub sources: Vec<i64>,
    #[ts(type = "Array<number>")]
    pub product_lines: Vec<i64>,
    /// First plan month index shown, 0..=11.
    pub first_month: u32,
    /// Last plan month index shown (inclusive), 0..=11.
    pub last_month: u32,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            sources: Vec::new(),
            product_lines: Vec::new(),
            first_month: 0,
            last_month: 11,
        }
    }
}

impl Filter {
    /// The filter with its month range clamped to 0..=11 and put in order.
    #[must_use]
    pub fn normalised(&self) -> Filter {
        let a = self.first_month.min(11);
        let b = self.last_month.min(11);
        Filter {
            sources: self.sources.clone(),
            product_lines: self.product_lines.clone(),
            first_month: a.min(b),
            last_month: a.max(b),
        }
    }

    fn is_full_year(&self) -> bool {
        self.first_month == 0 && self.last_month == 11
    }
}

/// Everything [`analyse`] compares.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareInput {
    pub year: PlanYear,
    pub settings: CompareSettings,
    pub sources: Vec<Source>,
    pub product_lines: Vec<ProductLine>,
    pub planned: PlannedFigures,
    pub rollups: Vec<LeadRollup>,
    pub spend: Vec<Spend>,
    pub filter: Filter,
}

// ---------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------

/// Planned and actual leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LeadsVsPlan {
    /// Leads planned for all the months of the row.
    pub planned: Option<f64>,
    /// Leads planned up to today (current month pro rata).
    pub planned_to_date: Option<f64>,
    #[ts(type = "number | null")]
    pub actual: Option<u64>,
    /// actual − planned_to_date.
    pub difference: Option<f64>,
    /// actual ÷ planned_to_date, a fraction (1.05 = 105 % of plan).
    pub attainment: Option<f64>,
}

/// Planned sales and won leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SalesVsPlan {
    pub planned: Option<f64>,
    pub planned_to_date: Option<f64>,
    /// Won leads of the row's cohorts.
    #[ts(type = "number | null")]
    pub won: Option<u64>,
}

/// Running totals from the first month of the selection through this month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Cumulative {
    pub planned_leads: Option<f64>,
    #[ts(type = "number | null")]
    pub actual_leads: Option<u64>,
    pub planned_sales: Option<f64>,
    #[ts(type = "number | null")]
    pub won: Option<u64>,
}

/// Lead-to-sale conversion, planned and by cohort.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Conversion {
    /// Planned sales ÷ planned leads.
    pub planned: Option<f64>,
    /// Won ÷ leads over all started cohorts.
    pub actual: Option<f64>,
    /// Won ÷ leads over the mature cohorts only.
    pub mature: Option<f64>,
    /// Some started cohort is still maturing.
    pub maturing: bool,
    pub floor: f64,
    /// planned − floor.
    pub planned_vs_floor: Option<f64>,
    /// (mature, else actual) − floor.
    pub actual_vs_floor: Option<f64>,
}

/// The sales funnel of the row's leads; shares are of the leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Funnel {
    #[ts(type = "number")]
    pub leads: u64,
    #[ts(type = "number")]
    pub contacted: u64,
    #[ts(type = "number")]
    pub reached: u64,
    #[ts(type = "number")]
    pub appointments: u64,
    #[ts(type = "number")]
    pub won: u64,
    #[ts(type = "number")]
    pub lost: u64,
    pub contacted_share: Option<f64>,
    pub reached_share: Option<f64>,
    pub appointment_share: Option<f64>,
    pub won_share: Option<f64>,
}

/// How sales followed the leads up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FollowUp {
    #[ts(type = "number")]
    pub leads: u64,
    #[ts(type = "number")]
    pub contacted: u64,
    /// Bucket of the median time from creation to first attempt (contacted leads only).
    pub median_response: Option<ResponseBucket>,
    /// Bucket of the 90th percentile of that time.
    pub p90_response: Option<ResponseBucket>,
    pub sla_minutes: u32,
    #[ts(type = "number")]
    pub contacted_within_sla: u64,
    /// contacted_within_sla ÷ leads (a lead never contacted missed the SLA).
    pub within_sla_share: Option<f64>,
    #[ts(type = "number")]
    pub reached: u64,
    /// reached ÷ leads.
    pub two_way_rate: Option<f64>,
    pub two_way_target: f64,
    #[ts(type = "number")]
    pub lost: u64,
    /// Attempts on lost leads ÷ lost leads.
    pub avg_attempts_before_lost: Option<f64>,
    #[ts(type = "number")]
    pub lost_without_attempt: u64,
    /// Lost without ever being reached and with fewer attempts than the SLA asks: written
    /// off without real follow-up (includes those without any attempt).
    #[ts(type = "number")]
    pub lost_below_min_attempts: u64,
    pub min_attempts: u32,
}

/// Marketing money, planned and actual.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SpendFigures {
    pub planned: Option<Money>,
    pub planned_to_date: Option<Money>,
    pub budget: Option<Money>,
    pub budget_to_date: Option<Money>,
    pub actual: Option<Money>,
    /// actual − budget_to_date (positive = over budget).
    pub over_budget: Option<Money>,
    /// Planned spend ÷ planned leads.
    pub planned_cost_per_lead: Option<Money>,
    /// Actual spend ÷ actual leads.
    pub cost_per_lead: Option<Money>,
    /// Planned spend ÷ planned sales.
    pub planned_cost_per_sale: Option<Money>,
    /// Actual spend ÷ won.
    pub cost_per_sale: Option<Money>,
}

/// What the won leads brought in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RevenueFigures {
    /// Sum of the won leads' values.
    pub revenue: Option<Money>,
    /// Won × the product line's average margin per sale.
    pub gross_margin: Option<Money>,
    /// Won leads without a known product line, so without a margin.
    #[ts(type = "number | null")]
    pub won_without_margin: Option<u64>,
    /// Actual marketing spend.
    pub marketing_cost: Option<Money>,
    /// gross_margin − marketing_cost: the profit figure.
    pub margin_after_marketing: Option<Money>,
}

/// Every figure of one row (a month, a source, a month of a source, a product line, the
/// total).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Figures {
    pub leads: LeadsVsPlan,
    pub sales: SalesVsPlan,
    pub conversion: Conversion,
    /// `None` until a month of the row has started.
    pub funnel: Option<Funnel>,
    pub follow_up: Option<FollowUp>,
    pub spend: SpendFigures,
    pub revenue: RevenueFigures,
}

/// Where the year ends if the rest of it runs as the last months did.
///
/// - **Run rate** = actual ÷ planned leads over the last three complete months of the
///   selection (fewer when fewer are complete). With no complete month, or zero leads
///   planned in them, the run rate is `None` and the plan is taken as it is (rate 1).
/// - **Leads** = actuals of the complete months + for every other month of the selection
///   its plan × run rate, but for the current month never less than its leads so far.
/// - **Observed conversion** = won ÷ leads of the mature cohorts; with no mature cohort
///   the planned conversion (basis `plan`); `None` when neither is defined.
/// - **Sales** = won of the mature cohorts + for every other month the larger of its won
///   so far and its forecast leads × observed conversion.
/// - **Target**: for the total of the full year without a source filter the product
///   lines' annual targets; for a product line over the full year its annual target;
///   otherwise the planned sales of the selection. Target leads = planned leads.
/// - **Gap** = target − forecast (positive: short of the target).
/// - **Leads per remaining month** = (target sales − the sales of the complete months, as
///   above) ÷ observed conversion ÷ the number of months not complete, at least 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Forecast {
    pub run_rate: Option<f64>,
    /// How many complete months the run rate is based on, 0..=3.
    pub run_rate_months: u32,
    pub observed_conversion: Option<f64>,
    pub conversion_basis: ConversionBasis,
    pub forecast_leads: Option<f64>,
    pub forecast_sales: Option<f64>,
    pub target_leads: Option<f64>,
    pub target_sales: Option<f64>,
    pub gap_leads: Option<f64>,
    pub gap_sales: Option<f64>,
    /// Months of the selection not yet complete.
    pub remaining_months: u32,
    pub leads_per_remaining_month: Option<f64>,
    /// Forecast leads of each month of the selection, in order: the actual count for a
    /// complete month, else its plan × run rate (never below its leads so far).
    pub monthly_leads: Vec<Option<f64>>,
    /// Forecast sales of each month of the selection, in order.
    pub monthly_sales: Vec<Option<f64>>,
}

/// Where the forecast's conversion comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ConversionBasis {
    MatureCohorts,
    Plan,
    None,
}

/// One plan month, all selected sources together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MonthRow {
    /// Plan month index, 0..=11.
    pub index: u32,
    pub month: YearMonth,
    pub started: bool,
    pub complete: bool,
    /// Started and its cohort still maturing.
    pub maturing: bool,
    pub cumulative: Cumulative,
    pub figures: Figures,
}

/// One plan month of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CellRow {
    pub index: u32,
    pub month: YearMonth,
    /// `None` for leads without a source.
    #[ts(type = "number | null")]
    pub source_id: Option<i64>,
    pub maturing: bool,
    pub cumulative: Cumulative,
    pub figures: Figures,
}

/// One source over the selected months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SourceRow {
    /// `None` for leads without a source.
    #[ts(type = "number | null")]
    pub source_id: Option<i64>,
    /// `None` for an id the workbook does not know, and for leads without a source.
    pub name: Option<String>,
    pub figures: Figures,
    pub forecast: Forecast,
}

/// One product line over the selected months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProductLineRow {
    #[ts(type = "number | null")]
    pub product_line_id: Option<i64>,
    pub name: Option<String>,
    pub annual_target_units: Option<f64>,
    pub figures: Figures,
    pub forecast: Forecast,
}

/// One salesperson's follow-up over the selected months.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct OwnerRow {
    /// `None` for leads without an owner.
    pub owner: Option<String>,
    pub follow_up: FollowUp,
}

/// Leads whose first contact attempt came within one range of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResponseCount {
    pub bucket: ResponseBucket,
    #[ts(type = "number")]
    pub leads: u64,
}

/// How long the selection's leads waited for a first contact attempt, in the coarse
/// buckets of [`super::histogram::DISTRIBUTION_EDGES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ResponseTimes {
    pub buckets: Vec<ResponseCount>,
    /// Leads without any contact attempt.
    #[ts(type = "number")]
    pub not_contacted: u64,
}

/// The selection as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TotalRow {
    pub figures: Figures,
    pub forecast: Forecast,
    pub response_times: ResponseTimes,
}

/// How a KPI stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum KpiStatus {
    Ok,
    Warn,
    Bad,
}

/// Leads to date against the plan to date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LeadsKpi {
    #[ts(type = "number | null")]
    pub actual: Option<u64>,
    pub planned_to_date: Option<f64>,
    pub attainment: Option<f64>,
    pub status: Option<KpiStatus>,
}

/// Conversion (mature cohorts, else all) against the floor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ConversionKpi {
    pub actual: Option<f64>,
    pub floor: f64,
    pub maturing: bool,
    pub status: Option<KpiStatus>,
}

/// Spend to date against the budget to date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SpendKpi {
    pub actual: Option<Money>,
    pub budget_to_date: Option<Money>,
    /// actual ÷ budget_to_date.
    pub share_of_budget: Option<f64>,
    pub status: Option<KpiStatus>,
}

/// Actual against planned cost per sale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CostPerSaleKpi {
    pub actual: Option<Money>,
    pub planned: Option<Money>,
    /// actual ÷ planned.
    pub ratio: Option<f64>,
    pub status: Option<KpiStatus>,
}

/// Forecast sales against the target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ForecastKpi {
    pub forecast_sales: Option<f64>,
    pub target_sales: Option<f64>,
    pub gap_sales: Option<f64>,
    /// forecast_sales ÷ target_sales.
    pub attainment: Option<f64>,
    pub status: Option<KpiStatus>,
}

/// The five tiles at the top of the dashboard. A status is `None` when its figure is
/// undefined. Thresholds:
///
/// | tile                | ok                       | warn                         | bad          |
/// |---------------------|--------------------------|------------------------------|--------------|
/// | leads vs plan       | attainment ≥ 0.95        | 0.85 ≤ attainment < 0.95     | < 0.85       |
/// | conversion vs floor | conversion ≥ floor       | ≥ 0.85 × floor               | < 0.85×floor |
/// | spend vs budget     | spend ≤ budget to date   | ≤ 1.10 × budget to date      | more         |
/// | cost per sale       | actual ≤ planned         | ≤ 1.15 × planned             | more         |
/// | forecast gap        | forecast ≥ 0.98 × target | ≥ 0.90 × target              | less         |
///
/// Spend with a zero budget to date is bad; spend with no sale is a bad cost per sale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KpiTiles {
    pub leads_vs_plan: LeadsKpi,
    pub conversion_vs_floor: ConversionKpi,
    pub spend_vs_budget: SpendKpi,
    pub cost_per_sale: CostPerSaleKpi,
    pub forecast_gap: ForecastKpi,
}

/// Leads-vs-plan attainment at or above which the tile is ok.
pub const LEADS_OK: f64 = 0.95;
/// … and at or above which it is a warning.
pub const LEADS_WARN: f64 = 0.85;
/// Conversion at or above this share of the floor is a warning, below it bad.
pub const CONVERSION_WARN: f64 = 0.85;
/// Spend up to this share of the budget to date is a warning, above it bad.
pub const SPEND_WARN: f64 = 1.10;
/// Cost per sale up to this share of the planned one is a warning, above it bad.
pub const COST_PER_SALE_WARN: f64 = 1.15;
/// Forecast at or above this share of the target is ok.
pub const FORECAST_OK: f64 = 0.98;
/// … and at or above this share a warning.
pub const FORECAST_WARN: f64 = 0.90;

/// The whole comparison for one plan year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanVsActual {
    pub year: PlanYear,
    pub today: NaiveDate,
    /// The filter applied (month range clamped and ordered).
    pub filter: Filter,
    pub conversion_floor: f64,
    pub sla: FollowUpSla,
    pub cohort_maturity_days: u32,
    /// False under a product-line filter: spend and budgets are kept per source only.
    pub spend_attributable: bool,
    pub months: Vec<MonthRow>,
    /// Month × source, months in order, sources in the order of `sources`.
    pub cells: Vec<CellRow>,
    pub sources: Vec<SourceRow>,
    pub product_lines: Vec<ProductLineRow>,
    pub owners: Vec<OwnerRow>,
    pub total: TotalRow,
    pub kpis: KpiTiles,
}

// ---------------------------------------------------------------------------------------
// Computation
// ---------------------------------------------------------------------------------------

/// Counts of leads summed over rollup rows, plus the margin they carry.
#[derive(Debug, Clone, Default)]
struct Tally {
    leads: u64,
    contacted: u64,
    reached: u64,
    appointments: u64,
    won: u64,
    lost: u64,
    lost_without_attempt: u64,
    lost_below_min: u64,
    within_sla: u64,
    attempts_on_lost: u64,
    revenue: i64,
    margin: i64,
    won_without_margin: u64,
    response: ResponseHistogram,
}

impl Tally {
    fn add(&mut self, r: &LeadRollup, margin_per_sale: Option<Money>) {
        self.leads = self.leads.saturating_add(r.leads);
        self.contacted = self.contacted.saturating_add(r.contacted);
        self.reached = self.reached.saturating_add(r.reached);
        self.appointments = self.appointments.saturating_add(r.appointments);
        self.won = self.won.saturating_add(r.won);
        self.lost = self.lost.saturating_add(r.lost);
        self.lost_without_attempt = self
            .lost_without_attempt
            .saturating_add(r.lost_without_attempt);
        self.lost_below_min = self
            .lost_below_min
            .saturating_add(r.lost_below_min_attempts);
        self.within_sla = self.within_sla.saturating_add(r.contacted_within_sla);
        self.attempts_on_lost = self.attempts_on_lost.saturating_add(r.attempts_on_lost);
        self.revenue = self.revenue.saturating_add(r.revenue.cents());
        match margin_per_sale {
            Some(m) => {
                let won = i64::try_from(r.won).unwrap_or(i64::MAX);
                self.margin = self.margin.saturating_add(m.cents().saturating_mul(won));
            }
            None => self.won_without_margin = self.won_without_margin.saturating_add(r.won),
        }
        self.response.merge(&r.response_minutes);
    }

    fn merge(&mut self, o: &Tally) {
        self.leads = self.leads.saturating_add(o.leads);
        self.contacted = self.contacted.saturating_add(o.contacted);
        self.reached = self.reached.saturating_add(o.reached);
        self.appointments = self.appointments.saturating_add(o.appointments);
        self.won = self.won.saturating_add(o.won);
        self.lost = self.lost.saturating_add(o.lost);
        self.lost_without_attempt = self
            .lost_without_attempt
            .saturating_add(o.lost_without_attempt);
        self.lost_below_min = self.lost_below_min.saturating_add(o.lost_below_min);
        self.within_sla = self.within_sla.saturating_add(o.within_sla);
        self.attempts_on_lost = self.attempts_on_lost.saturating_add(o.attempts_on_lost);
        self.revenue = self.revenue.saturating_add(o.revenue);
        self.margin = self.margin.saturating_add(o.margin);
        self.won_without_margin = self.won_without_margin.saturating_add(o.won_without_margin);
        self.response.merge(&o.response);
    }
}

/// A count as a float; counts stay far below 2^53, where the conversion is exact.
#[allow(clippy::cast_precision_loss)]
fn float(n: u64) -> f64 {
    n as f64
}

/// Cents as a float; amounts stay far below 2^53 cents.
#[allow(clippy::cast_precision_loss)]
fn cents_float(c: i64) -> f64 {
    c as f64
}

/// a ÷ b, `None` when b is zero or the quotient is not finite.
fn ratio(a: f64, b: f64) -> Option<f64> {
    if b == 0.0 {
        return None;
    }
    let q = a / b;
    q.is_finite().then_some(q)
}

fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// Rounds an amount in cents to whole cents.
fn money_of_cents(cents: f64) -> Option<Money> {
    Money::from_units_f64(cents / 100.0)
}

/// The sum of optional values: `None` when any is `None`.
fn sum_opt(values: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    values.sum()
}

#[derive(Debug, Clone, Copy)]
struct MonthInfo {
    index: usize,
    month: YearMonth,
    started: bool,
    complete: bool,
    mature: bool,
    /// Share of the month's plan due by today: 1, 0, or days elapsed ÷ days in month.
    progress: f64,
}

impl MonthInfo {
    fn new(year: PlanYear, index: usize, today: NaiveDate, maturity_days: u32) -> Self {
        let month = year.month(index);
        let (Some(first), Some(last)) = (month.first_day(), month.last_day()) else {
            // a month outside chrono's range never starts
            return MonthInfo {
                index,
                month,
                started: false,
                complete: false,
                mature: false,
                progress: 0.0,
            };
        };
        let started = first <= today;
        let complete = last < today;
        let mature = complete
            && last
                .checked_add_days(Days::new(u64::from(maturity_days)))
                .is_some_and(|d| d <= today);
        let progress = if complete {
            1.0
        } else if started {
            f64::from(today.day()) / f64::from(last.day())
        } else {
            0.0
        };
        MonthInfo {
            index,
            month,
            started,
            complete,
            mature,
            progress,
        }
    }
}

/// The plan of one row in one month; `None` where the plan does not say (see filters).
#[derive(Debug, Clone, Copy, Default)]
struct PlanCell {
    leads: Option<f64>,
    sales: Option<f64>,
    /// Currency units.
    spend: Option<f64>,
    /// Cents.
    budget: Option<i64>,
}

impl PlanCell {
    const ZERO: PlanCell = PlanCell {
        leads: Some(0.0),
        sales: Some(0.0),
        spend: Some(0.0),
        budget: Some(0),
    };

    fn add(self, o: PlanCell) -> PlanCell {
        PlanCell {
            leads: self.leads.zip(o.leads).map(|(a, b)| a + b),
            sales: self.sales.zip(o.sales).map(|(a, b)| a + b),
            spend: self.spend.zip(o.spend).map(|(a, b)| a + b),
            budget: self.budget.zip(o.budget).map(|(a, b)| a.saturating_add(b)),
        }
    }
}

/// One month of one row.
#[derive(Debug, Clone, Copy)]
struct Slice<'a> {
    info: MonthInfo,
    tally: &'a Tally,
    plan: PlanCell,
    /// Actual spend in cents; `None` where spend cannot be attributed.
    spend: Option<i64>,
}

struct Ctx {
    floor: f64,
    sla: FollowUpSla,
}

fn follow_up(t: &Tally, sla: &FollowUpSla) -> FollowUp {
    FollowUp {
        leads: t.leads,
        contacted: t.contacted,
        median_response: t.response.median(),
        p90_response: t.response.p90(),
        sla_minutes: sla.first_contact_minutes,
        contacted_within_sla: t.within_sla,
        within_sla_share: ratio(float(t.within_sla), float(t.leads)),
        reached: t.reached,
        two_way_rate: ratio(float(t.reached), float(t.leads)),
        two_way_target: sla.two_way_contact_target,
        lost: t.lost,
        avg_attempts_before_lost: ratio(float(t.attempts_on_lost), float(t.lost)),
        lost_without_attempt: t.lost_without_attempt,
        lost_below_min_attempts: t.lost_below_min,
        min_attempts: sla.min_attempts_before_lost,
    }
}

fn funnel(t: &Tally) -> Funnel {
    let leads = float(t.leads);
    Funnel {
        leads: t.leads,
        contacted: t.contacted,
        reached: t.reached,
        appointments: t.appointments,
        won: t.won,
        lost: t.lost,
        contacted_share: ratio(float(t.contacted), leads),
        reached_share: ratio(float(t.reached), leads),
        appointment_share: ratio(float(t.appointments), leads),
        won_share: ratio(float(t.won), leads),
    }
}

fn figures(ctx: &Ctx, slices: &[Slice<'_>]) -> Figures {
    let started: Vec<&Slice<'_>> = slices.iter().filter(|s| s.info.started).collect();
    let any_started = !started.is_empty();
    let mut actual = Tally::default();
    let (mut mature_leads, mut mature_won) = (0u64, 0u64);
    for s in &started {
        actual.merge(s.tally);
        if s.info.mature {
            mature_leads = mature_leads.saturating_add(s.tally.leads);
            mature_won = mature_won.saturating_add(s.tally.won);
        }
    }
    let planned_leads = sum_opt(slices.iter().map(|s| s.plan.leads));
    let planned_leads_to_date = sum_opt(
        slices
            .iter()
            .map(|s| s.plan.leads.map(|v| v * s.info.progress)),
    );
    let planned_sales = sum_opt(slices.iter().map(|s| s.plan.sales));
    let planned_sales_to_date = sum_opt(
        slices
            .iter()
            .map(|s| s.plan.sales.map(|v| v * s.info.progress)),
    );
    let actual_leads = any_started.then_some(actual.leads);
    let won = any_started.then_some(actual.won);

    let planned_conversion = planned_sales
        .zip(planned_leads)
        .and_then(|(s, l)| ratio(s, l));
    let actual_conversion = if any_started {
        ratio(float(actual.won), float(actual.leads))
    } else {
        None
    };
    let mature_conversion = ratio(float(mature_won), float(mature_leads));
    let conversion = Conversion {
        planned: planned_conversion,
        actual: actual_conversion,
        mature: mature_conversion,
        maturing: started.iter().any(|s| !s.info.mature),
        floor: ctx.floor,
        planned_vs_floor: planned_conversion.map(|c| c - ctx.floor),
        actual_vs_floor: mature_conversion
            .or(actual_conversion)
            .map(|c| c - ctx.floor),
    };

    let planned_spend_units = sum_opt(slices.iter().map(|s| s.plan.spend));
    let planned_spend_to_date_units = sum_opt(
        slices
            .iter()
            .map(|s| s.plan.spend.map(|v| v * s.info.progress)),
    );
    let budget_cents: Option<i64> = slices
        .iter()
        .map(|s| s.plan.budget)
        .try_fold(0i64, |acc, b| b.map(|b| acc.saturating_add(b)));
    let budget_to_date_cents = sum_opt(
        slices
            .iter()
            .map(|s| s.plan.budget.map(|b| cents_float(b) * s.info.progress)),
    );
    let actual_spend: Option<i64> = if any_started {
        started
            .iter()
            .map(|s| s.spend)
            .try_fold(0i64, |acc, c| c.map(|c| acc.saturating_add(c)))
    } else {
        None
    };
    let budget_to_date = budget_to_date_cents.and_then(money_of_cents);
    let planned_spend_cents = planned_spend_units.map(|u| u * 100.0);
    let spend = SpendFigures {
        planned: planned_spend_units.and_then(Money::from_units_f64),
        planned_to_date: planned_spend_to_date_units.and_then(Money::from_units_f64),
        budget: budget_cents.map(Money),
        budget_to_date,
        actual: actual_spend.map(Money),
        over_budget: actual_spend
            .zip(budget_to_date)
            .map(|(a, b)| Money(a.saturating_sub(b.cents()))),
        planned_cost_per_lead: planned_spend_cents
            .zip(planned_leads)
            .and_then(|(s, l)| ratio(s, l))
            .and_then(money_of_cents),
        cost_per_lead: actual_spend
            .zip(actual_leads)
            .and_then(|(s, l)| ratio(cents_float(s), float(l)))
            .and_then(money_of_cents),
        planned_cost_per_sale: planned_spend_cents
            .zip(planned_sales)
            .and_then(|(s, n)| ratio(s, n))
            .and_then(money_of_cents),
        cost_per_sale: actual_spend
            .zip(won)
            .and_then(|(s, w)| ratio(cents_float(s), float(w)))
            .and_then(money_of_cents),
    };

    let gross_margin = any_started.then_some(actual.margin);
    let revenue = RevenueFigures {
        revenue: any_started.then_some(Money(actual.revenue)),
        gross_margin: gross_margin.map(Money),
        won_without_margin: any_started.then_some(actual.won_without_margin),
        marketing_cost: actual_spend.map(Money),
        margin_after_marketing: gross_margin
            .zip(actual_spend)
            .map(|(m, s)| Money(m.saturating_sub(s))),
    };

    Figures {
        leads: LeadsVsPlan {
            planned: planned_leads,
            planned_to_date: planned_leads_to_date,
            actual: actual_leads,
            difference: actual_leads
                .zip(planned_leads_to_date)
                .map(|(a, p)| float(a) - p),
            attainment: actual_leads
                .zip(planned_leads_to_date)
                .and_then(|(a, p)| ratio(float(a), p)),
        },
        sales: SalesVsPlan {
            planned: planned_sales,
            planned_to_date: planned_sales_to_date,
            won,
        },
        conversion,
        funnel: any_started.then(|| funnel(&actual)),
        follow_up: any_started.then(|| follow_up(&actual, &ctx.sla)),
        spend,
        revenue,
    }
}

/// Running totals of a row's months, one per slice.
fn cumulative(slices: &[Slice<'_>]) -> Vec<Cumulative> {
    let mut planned_leads = Some(0.0);
    let mut planned_sales = Some(0.0);
    let (mut leads, mut won) = (0u64, 0u64);
    slices
        .iter()
        .map(|s| {
            planned_leads = planned_leads.zip(s.plan.leads).map(|(a, b)| a + b);
            planned_sales = planned_sales.zip(s.plan.sales).map(|(a, b)| a + b);
            leads = leads.saturating_add(s.tally.leads);
            won = won.saturating_add(s.tally.won);
            Cumulative {
                planned_leads,
                actual_leads: s.info.started.then_some(leads),
                planned_sales,
                won: s.info.started.then_some(won),
            }
        })
        .collect()
}

fn forecast(slices: &[Slice<'_>], target_sales: Option<f64>) -> Forecast {
    let basis: Vec<&Slice<'_>> = {
        let complete: Vec<&Slice<'_>> = slices.iter().filter(|s| s.info.complete).collect();
        let skip = complete.len().saturating_sub(3);
        complete.into_iter().skip(skip).collect()
    };
    let basis_plan = sum_opt(basis.iter().map(|s| s.plan.leads));
    let basis_actual = basis
        .iter()
        .fold(0u64, |a, s| a.saturating_add(s.tally.leads));
    let run_rate = if basis.is_empty() {
        None
    } else {
        basis_plan.and_then(|p| ratio(float(basis_actual), p))
    };
    let rate = run_rate.unwrap_or(1.0);

    // forecast leads per month; None when the plan is unknown for a month still to come
    let month_leads: Vec<Option<f64>> = slices
        .iter()
        .map(|s| {
            if s.info.complete {
                Some(float(s.tally.leads))
            } else {
                let so_far = if s.info.started {
                    float(s.tally.leads)
                } else {
                    0.0
                };
                s.plan.leads.map(|p| (p * rate).max(so_far))
            }
        })
        .collect();
    let forecast_leads = sum_opt(month_leads.iter().copied());

    let (mut mature_leads, mut mature_won) = (0u64, 0u64);
    for s in slices.iter().filter(|s| s.info.mature) {
        mature_leads = mature_leads.saturating_add(s.tally.leads);
        mature_won = mature_won.saturating_add(s.tally.won);
    }
    let planned_leads = sum_opt(slices.iter().map(|s| s.plan.leads));
    let planned_sales = sum_opt(slices.iter().map(|s| s.plan.sales));
    let (observed_conversion, conversion_basis) =
        match ratio(float(mature_won), float(mature_leads)) {
            Some(c) => (Some(c), ConversionBasis::MatureCohorts),
            None => match planned_sales
                .zip(planned_leads)
                .and_then(|(s, l)| ratio(s, l))
            {
                Some(c) => (Some(c), ConversionBasis::Plan),
                None => (None, ConversionBasis::None),
            },
        };

    let month_sales = |s: &Slice<'_>, leads: Option<f64>| -> Option<f64> {
        if s.info.mature {
            return Some(float(s.tally.won));
        }
        let won_so_far = if s.info.started {
            float(s.tally.won)
        } else {
            0.0
        };
        let expected = leads.zip(observed_conversion).map(|(l, c)| l * c);
        expected.map(|e| e.max(won_so_far))
    };
    let monthly_sales: Vec<Option<f64>> = slices
        .iter()
        .zip(&month_leads)
        .map(|(s, l)| month_sales(s, *l))
        .collect();
    let forecast_sales = sum_opt(monthly_sales.iter().copied());
    let secured_sales = sum_opt(
        slices
            .iter()
            .zip(&month_leads)
            .filter(|(s, _)| s.info.complete)
            .map(|(s, l)| month_sales(s, *l)),
    );
    let remaining = slices.iter().filter(|s| !s.info.complete).count();
    let remaining_months = u32::try_from(remaining).unwrap_or(u32::MAX);
    let leads_per_remaining_month = if remaining == 0 {
        None
    } else {
        target_sales
            .zip(secured_sales)
            .zip(observed_conversion)
            .and_then(|((t, s), c)| ratio((t - s).max(0.0), c * float(remaining as u64)))
    };
    Forecast {
        run_rate,
        run_rate_months: u32::try_from(basis.len()).unwrap_or(3),
        observed_conversion,
        conversion_basis,
        forecast_leads,
        forecast_sales,
        target_leads: planned_leads,
        target_sales,
        gap_leads: planned_leads.zip(forecast_leads).map(|(t, f)| t - f),
        gap_sales: target_sales.zip(forecast_sales).map(|(t, f)| t - f),
        remaining_months,
        leads_per_remaining_month,
        monthly_leads: month_leads,
        monthly_sales,
    }
}

fn status_at_least(value: f64, ok: f64, warn: f64) -> KpiStatus {
    if value >= ok {
        KpiStatus::Ok
    } else if value >= warn {
        KpiStatus::Warn
    } else {
        KpiStatus::Bad
    }
}

fn status_at_most(value: f64, ok: f64, warn: f64) -> KpiStatus {
    if value <= ok {
        KpiStatus::Ok
    } else if value <= warn {
        KpiStatus::Warn
    } else {
        KpiStatus::Bad
    }
}

fn kpis(total: &TotalRow, floor: f64) -> KpiTiles {
    let f = &total.figures;
    let leads_vs_plan = LeadsKpi {
        actual: f.leads.actual,
        planned_to_date: f.leads.planned_to_date,
        attainment: f.leads.attainment,
        status: f
            .leads
            .attainment
            .map(|a| status_at_least(a, LEADS_OK, LEADS_WARN)),
    };
    let conversion = f.conversion.mature.or(f.conversion.actual);
    let conversion_vs_floor = ConversionKpi {
        actual: conversion,
        floor,
        maturing: f.conversion.maturing,
        status: conversion.map(|c| status_at_least(c, floor, floor * CONVERSION_WARN)),
    };
    let share_of_budget = f
        .spend
        .actual
        .zip(f.spend.budget_to_date)
        .and_then(|(a, b)| ratio(cents_float(a.cents()), cents_float(b.cents())));
    let spend_status = match (f.spend.actual, share_of_budget) {
        (_, Some(s)) => Some(status_at_most(s, 1.0, SPEND_WARN)),
        (Some(a), None) if f.spend.budget_to_date.is_some() => Some(if a.cents() > 0 {
            KpiStatus::Bad
        } else {
            KpiStatus::Ok
        }),
        _ => None,
    };
    let cps_ratio = f
        .spend
        .cost_per_sale
        .zip(f.spend.planned_cost_per_sale)
        .and_then(|(a, p)| ratio(cents_float(a.cents()), cents_float(p.cents())));
    let spent_without_sale =
        f.sales.won == Some(0) && f.spend.actual.is_some_and(|a| a.cents() > 0);
    let cps_status = if spent_without_sale {
        Some(KpiStatus::Bad)
    } else {
        cps_ratio.map(|r| status_at_most(r, 1.0, COST_PER_SALE_WARN))
    };
    let fc = &total.forecast;
    let forecast_attainment = fc
        .forecast_sales
        .zip(fc.target_sales)
        .and_then(|(f, t)| ratio(f, t));
    KpiTiles {
        leads_vs_plan,
        conversion_vs_floor,
        spend_vs_budget: SpendKpi {
            actual: f.spend.actual,
            budget_to_date: f.spend.budget_to_date,
            share_of_budget,
            status: spend_status,
        },
        cost_per_sale: CostPerSaleKpi {
            actual: f.spend.cost_per_sale,
            planned: f.spend.planned_cost_per_sale,
            ratio: cps_ratio,
            status: cps_status,
        },
        forecast_gap: ForecastKpi {
            forecast_sales: fc.forecast_sales,
            target_sales: fc.target_sales,
            gap_sales: fc.gap_sales,
            attainment: forecast_attainment,
            status: forecast_attainment.map(|a| status_at_least(a, FORECAST_OK, FORECAST_WARN)),
        },
    }
}

/// Row keys in display order: the workbook's own, then those the plan names, then those
/// the filter names, then unknown ids found in the data (ascending), then "none".
struct Keys {
    order: Vec<Option<i64>>,
    index: HashMap<Option<i64>, usize>,
}

impl Keys {
    fn new() -> Self {
        Keys {
            order: Vec::new(),
            index: HashMap::new(),
        }
    }

    fn push(&mut self, key: Option<i64>) {
        if !self.index.contains_key(&key) {
            self.index.insert(key, self.order.len());
            self.order.push(key);
        }
    }

    fn build(
        known: impl Iterator<Item = i64>,
        found: impl Iterator<Item = Option<i64>>,
        selected: Option<&HashSet<i64>>,
        filter_order: &[i64],
    ) -> Self {
        let passes = |id: &i64| selected.is_none_or(|s| s.contains(id));
        let mut keys = Keys::new();
        for id in known.filter(passes) {
            keys.push(Some(id));
        }
        for id in filter_order {
            keys.push(Some(*id));
        }
        let mut extra = BTreeSet::new();
        let mut none = false;
        for key in found {
            match key {
                Some(id) if passes(&id) => {
                    extra.insert(id);
                }
                Some(_) => {}
                None => none |= selected.is_none(),
            }
        }
        for id in extra {
            keys.push(Some(id));
        }
        if none {
            keys.push(None);
        }
        keys
    }
}

fn months_array<T: Copy>(values: &Months<T>, index: usize) -> Option<T> {
    values.get(index).copied()
}

/// Compares the plan with what happened, as of `today`.
#[must_use]
#[allow(clippy::too_many_lines)] // one pass that lays out every row; splitting it hides the flow
pub fn analyse(input: &CompareInput, today: NaiveDate) -> PlanVsActual {
    let filter = input.filter.normalised();
    let year = input.year;
    let settings = &input.settings;
    let ctx = Ctx {
        floor: settings.conversion_floor,
        sla: settings.sla.clone(),
    };
    let first = filter.first_month as usize;
    let months: Vec<MonthInfo> = (first..=filter.last_month as usize)
        .map(|i| MonthInfo::new(year, i, today, settings.cohort_maturity_days))
        .collect();
    let source_set: Option<HashSet<i64>> =
        (!filter.sources.is_empty()).then(|| filter.sources.iter().copied().collect());
    let product_set: Option<HashSet<i64>> =
        (!filter.product_lines.is_empty()).then(|| filter.product_lines.iter().copied().collect());
    let source_filtered = source_set.is_some();
    let product_filtered = product_set.is_some();
    let spend_attributable = !product_filtered;

    // the rollups and spend of the selected, started months, with their month slot
    let slot_of = |y: i32, m: u32| -> Option<usize> {
        if !(1..=12).contains(&m) {
            return None;
        }
        let index = year.index_of_month(YearMonth { year: y, month: m })?;
        let slot = index.checked_sub(first)?;
        months.get(slot).filter(|info| info.started).map(|_| slot)
    };
    let in_set = |set: &Option<HashSet<i64>>, id: Option<i64>| {
        set.as_ref()
            .is_none_or(|s| id.is_some_and(|id| s.contains(&id)))
    };
    let rollups: Vec<(usize, &LeadRollup)> = input
        .rollups
        .iter()
        .filter(|r| in_set(&source_set, r.source_id) && in_set(&product_set, r.product_line_id))
        .filter_map(|r| slot_of(r.year, r.month).map(|slot| (slot, r)))
        .collect();
    let spend: Vec<(usize, &Spend)> = input
        .spend
        .iter()
        .filter(|s| in_set(&source_set, Some(s.source_id)))
        .filter_map(|s| slot_of(s.year, s.month).map(|slot| (slot, s)))
        .collect();

    let source_keys = Keys::build(
        input
            .sources
            .iter()
            .map(|s| s.id)
            .chain(input.planned.sources.iter().map(|p| p.source_id)),
        rollups
            .iter()
            .map(|(_, r)| r.source_id)
            .chain(spend.iter().map(|(_, s)| Some(s.source_id))),
        source_set.as_ref(),
        &filter.sources,
    );
    let product_keys = Keys::build(
        input.product_lines.iter().map(|p| p.id).chain(
            input
                .planned
                .product_lines
                .iter()
                .map(|p| p.product_line_id),
        ),
        rollups.iter().map(|(_, r)| r.product_line_id),
        product_set.as_ref(),
        &filter.product_lines,
    );

    let margins: HashMap<i64, Money> = input
        .product_lines
        .iter()
        .map(|p| (p.id, p.avg_margin))
        .collect();
    let n_months = months.len();
    let n_sources = source_keys.order.len();
    let n_products = product_keys.order.len();
    let mut cells = vec![Tally::default(); n_months * n_sources];
    let mut product_months = vec![Tally::default(); n_months * n_products];
    let mut owners: HashMap<Option<&str>, Tally> = HashMap::new();
    for &(slot, r) in &rollups {
        let margin = r.product_line_id.and_then(|id| margins.get(&id).copied());
        if let Some(&si) = source_keys.index.get(&r.source_id) {
            cells[slot * n_sources + si].add(r, margin);
        }
        if let Some(&pi) = product_keys.index.get(&r.product_line_id) {
            product_months[slot * n_products + pi].add(r, margin);
        }
        owners.entry(r.owner.as_deref()).or_default().add(r, margin);
    }
    let mut month_totals = vec![Tally::default(); n_months];
    for (slot, total) in month_totals.iter_mut().enumerate() {
        for t in &cells[slot * n_sources..(slot + 1) * n_sources] {
            total.merge(t);
        }
    }
    let mut spend_cells = vec![0i64; n_months * n_sources];
    for &(slot, s) in &spend {
        if let Some(&si) = source_keys.index.get(&Some(s.source_id)) {
            let c = &mut spend_cells[slot * n_sources + si];
            *c = c.saturating_add(s.amount.cents());
        }
    }

    // the plan per row and month
    let planned_sources: HashMap<i64, &PlannedSource> = input
        .planned
        .sources
        .iter()
        .map(|p| (p.source_id, p))
        .collect();
    let planned_products: HashMap<i64, &PlannedProductLine> = input
        .planned
        .product_lines
        .iter()
        .map(|p| (p.product_line_id, p))
        .collect();
    let source_plan = |key: Option<i64>, info: &MonthInfo| -> PlanCell {
        if product_filtered {
            return PlanCell::default();
        }
        let Some(p) = key.and_then(|id| planned_sources.get(&id)) else {
            return PlanCell::ZERO;
        };
        let i = info.index;
        PlanCell {
            leads: Some(months_array(&p.leads, i).map_or(0.0, finite)),
            sales: Some(months_array(&p.sales, i).map_or(0.0, finite)),
            spend: Some(months_array(&p.spend, i).map_or(0.0, finite)),
            budget: Some(months_array(&p.budget, i).map_or(0, Money::cents)),
        }
    };
    let product_plan = |key: Option<i64>, info: &MonthInfo| -> PlanCell {
        if source_filtered {
            return PlanCell::default();
        }
        let Some(p) = key.and_then(|id| planned_products.get(&id)) else {
            return PlanCell {
                spend: None,
                budget: None,
                ..PlanCell::ZERO
            };
        };
        let i = info.index;
        PlanCell {
            leads: Some(months_array(&p.leads, i).map_or(0.0, finite)),
            sales: Some(months_array(&p.sales, i).map_or(0.0, finite)),
            spend: None,
            budget: None,
        }
    };
    let spend_of = |slot: usize, si: usize| -> Option<i64> {
        spend_attributable.then(|| spend_cells[slot * n_sources + si])
    };

    // month × source
    let mut cell_rows = Vec::with_capacity(n_months * n_sources);
    let mut source_rows = Vec::with_capacity(n_sources);
    let mut source_slices: Vec<Vec<Slice<'_>>> = Vec::with_capacity(n_sources);
    for (si, &key) in source_keys.order.iter().enumerate() {
        let slices: Vec<Slice<'_>> = months
            .iter()
            .enumerate()
            .map(|(slot, info)| Slice {
                info: *info,
                tally: &cells[slot * n_sources + si],
                plan: source_plan(key, info),
                spend: spend_of(slot, si),
            })
            .collect();
        source_slices.push(slices);
    }
    for slot in 0..n_months {
        for (si, &key) in source_keys.order.iter().enumerate() {
            let slices = &source_slices[si];
            let running = cumulative(&slices[..=slot]);
            let s = &slices[slot];
            cell_rows.push(CellRow {
                index: u32::try_from(s.info.index).unwrap_or(0),
                month: s.info.month,
                source_id: key,
                maturing: s.info.started && !s.info.mature,
                cumulative: running.last().cloned().unwrap_or_else(empty_cumulative),
                figures: figures(&ctx, std::slice::from_ref(s)),
            });
        }
    }
    let names: HashMap<i64, &str> = input
        .sources
        .iter()
        .map(|s| (s.id, s.name.as_str()))
        .collect();
    for (si, &key) in source_keys.order.iter().enumerate() {
        let slices = &source_slices[si];
        let target = if product_filtered {
            None
        } else {
            sum_opt(slices.iter().map(|s| s.plan.sales))
        };
        source_rows.push(SourceRow {
            source_id: key,
            name: key.and_then(|id| names.get(&id).map(|n| (*n).to_owned())),
            figures: figures(&ctx, slices),
            forecast: forecast(slices, target),
        });
    }

    // product lines
    let product_names: HashMap<i64, &ProductLine> =
        input.product_lines.iter().map(|p| (p.id, p)).collect();
    let mut product_rows = Vec::with_capacity(n_products);
    for (pi, &key) in product_keys.order.iter().enumerate() {
        let slices: Vec<Slice<'_>> = months
            .iter()
            .enumerate()
            .map(|(slot, info)| Slice {
                info: *info,
                tally: &product_months[slot * n_products + pi],
                plan: product_plan(key, info),
                spend: None,
            })
            .collect();
        let annual = key
            .and_then(|id| planned_products.get(&id))
            .map(|p| finite(p.annual_target_units));
        let target = if source_filtered {
            None
        } else if filter.is_full_year() {
            annual.or(Some(0.0))
        } else {
            sum_opt(slices.iter().map(|s| s.plan.sales))
        };
        product_rows.push(ProductLineRow {
            product_line_id: key,
            name: key.and_then(|id| product_names.get(&id).map(|p| p.name.clone())),
            annual_target_units: annual,
            figures: figures(&ctx, &slices),
            forecast: forecast(&slices, target),
        });
    }

    // months and total
    let total_slices: Vec<Slice<'_>> = months
        .iter()
        .enumerate()
        .map(|(slot, info)| {
            let plan = if !product_filtered {
                source_keys
                    .order
                    .iter()
                    .fold(PlanCell::ZERO, |acc, &k| acc.add(source_plan(k, info)))
            } else if !source_filtered {
                product_keys
                    .order
                    .iter()
                    .fold(PlanCell::ZERO, |acc, &k| acc.add(product_plan(k, info)))
            } else {
                PlanCell::default()
            };
            let spend = spend_attributable.then(|| {
                spend_cells[slot * n_sources..(slot + 1) * n_sources]
                    .iter()
                    .fold(0i64, |a, c| a.saturating_add(*c))
            });
            Slice {
                info: *info,
                tally: &month_totals[slot],
                plan,
                spend,
            }
        })
        .collect();
    let running = cumulative(&total_slices);
    let month_rows: Vec<MonthRow> = total_slices
        .iter()
        .zip(running)
        .map(|(s, cumulative)| MonthRow {
            index: u32::try_from(s.info.index).unwrap_or(0),
            month: s.info.month,
            started: s.info.started,
            complete: s.info.complete,
            maturing: s.info.started && !s.info.mature,
            cumulative,
            figures: figures(&ctx, std::slice::from_ref(s)),
        })
        .collect();
    let total_target = if !source_filtered && filter.is_full_year() && !planned_products.is_empty()
    {
        Some(
            product_keys
                .order
                .iter()
                .filter_map(|k| k.and_then(|id| planned_products.get(&id)))
                .map(|p| finite(p.annual_target_units))
                .sum(),
        )
    } else {
        sum_opt(total_slices.iter().map(|s| s.plan.sales))
    };
    let mut total_tally = Tally::default();
    for s in total_slices.iter().filter(|s| s.info.started) {
        total_tally.merge(s.tally);
    }
    let total = TotalRow {
        figures: figures(&ctx, &total_slices),
        forecast: forecast(&total_slices, total_target),
        response_times: ResponseTimes {
            buckets: total_tally
                .response
                .distribution()
                .into_iter()
                .map(|(bucket, leads)| ResponseCount { bucket, leads })
                .collect(),
            not_contacted: total_tally.leads.saturating_sub(total_tally.contacted),
        },
    };

    let mut owner_rows: Vec<OwnerRow> = owners
        .into_iter()
        .map(|(owner, t)| OwnerRow {
            owner: owner.map(str::to_owned),
            follow_up: follow_up(&t, &ctx.sla),
        })
        .collect();
    owner_rows.sort_by(|a, b| match (&a.owner, &b.owner) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });

    let kpis = kpis(&total, settings.conversion_floor);
    PlanVsActual {
        year,
        today,
        filter,
        conversion_floor: settings.conversion_floor,
        sla: settings.sla.clone(),
        cohort_maturity_days: settings.cohort_maturity_days,
        spend_attributable,
        months: month_rows,
        cells: cell_rows,
        sources: source_rows,
        product_lines: product_rows,
        owners: owner_rows,
        total,
        kpis,
    }
}

fn empty_cumulative() -> Cumulative {
    Cumulative {
        planned_leads: None,
        actual_leads: None,
        planned_sales: None,
        won: None,
    }
}
