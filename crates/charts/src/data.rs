//! The numbers each chart draws: plain data, computed elsewhere (the plan, actuals analytics
//! and forecast in `leadplan-core`). A chart never recomputes a figure; it only draws and
//! formats. Counts and amounts are `f64` (amounts in currency units, not cents), rates are
//! fractions; NaN and infinities are treated as missing values.

use leadplan_core::{Months, PlanYear};
use serde::{Deserialize, Serialize};

/// Planned and actual leads per month of a plan year (all sources together).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadsByMonth {
    pub year: PlanYear,
    pub planned: Months<f64>,
    /// Leads planned up to today: the whole plan of complete months, the month in progress
    /// pro rata by days, `None` for months not started.
    #[serde(default)]
    pub planned_to_date: Months<Option<f64>>,
    /// `None` for months that have not happened yet.
    pub actual: Months<Option<f64>>,
}

/// Planned and actual leads per month, one panel per source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadsBySource {
    pub year: PlanYear,
    pub sources: Vec<SourceLeads>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceLeads {
    pub source: String,
    pub planned: Months<f64>,
    /// As [`LeadsByMonth::planned_to_date`].
    #[serde(default)]
    pub planned_to_date: Months<Option<f64>>,
    pub actual: Months<Option<f64>>,
}

/// What a cumulative chart counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    #[default]
    Leads,
    Sales,
}

/// Year to date against the plan, cumulated month by month, with the forecast to year end.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CumulativeYear {
    pub year: PlanYear,
    pub measure: Measure,
    /// Planned total up to and including each month.
    pub planned: Months<f64>,
    /// The plan due by today, cumulated (the month in progress pro rata): what the actual
    /// total is compared with. `None` reads as the plan through the last month with actuals.
    #[serde(default)]
    pub planned_to_date: Option<f64>,
    /// Actual total up to and including each month; `None` for months still to come.
    pub actual: Months<Option<f64>>,
    /// Forecast total for the months after the last actual one; `None` elsewhere. The chart
    /// joins it to the last actual value with a dashed line.
    pub forecast: Months<Option<f64>>,
    /// The target for the whole year, drawn as a horizontal line.
    pub annual_target: Option<f64>,
}

/// Lead-to-sale conversion per source against the agreed floor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionBySource {
    /// The conversion floor as a fraction (0.13).
    pub floor: f64,
    pub sources: Vec<SourceConversion>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceConversion {
    pub source: String,
    /// Cohort conversion lead → sale as a fraction.
    pub conversion: f64,
    /// The cohorts behind the value are still maturing: not yet comparable with the floor.
    pub maturing: bool,
}

/// Leads of each source through the stages of the funnel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunnelBySource {
    pub sources: Vec<SourceFunnel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceFunnel {
    pub source: String,
    pub leads: f64,
    /// Leads with at least one contact attempt.
    pub contacted: f64,
    /// Leads reached in a two-way contact.
    pub reached: f64,
    pub appointment: f64,
    pub won: f64,
}

impl SourceFunnel {
    /// The stages in order, leads first.
    #[must_use]
    pub fn stages(&self) -> [f64; 5] {
        [
            self.leads,
            self.contacted,
            self.reached,
            self.appointment,
            self.won,
        ]
    }
}

/// Cost per lead and per sale, planned and actual, per source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostBySource {
    /// ISO 4217 code of the workbook's currency.
    pub currency: String,
    pub sources: Vec<SourceCost>,
}

/// Amounts in currency units; `None` where a figure does not exist (no sales, no spend yet).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceCost {
    pub source: String,
    pub planned_per_lead: Option<f64>,
    pub actual_per_lead: Option<f64>,
    pub planned_per_sale: Option<f64>,
    pub actual_per_sale: Option<f64>,
}

/// How long leads waited for the first contact attempt, in buckets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseTimes {
    /// First contact is due within this many minutes.
    pub sla_minutes: u32,
    /// Buckets in order of time.
    pub buckets: Vec<ResponseBucket>,
    /// Leads without any contact attempt.
    pub not_contacted: f64,
}

/// Leads whose first attempt came at least `from_minutes` and less than `to_minutes` after
/// they were created (`None`: no upper bound).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponseBucket {
    pub from_minutes: u32,
    pub to_minutes: Option<u32>,
    pub leads: f64,
}

/// Share of each source's leads contacted within the SLA, against the target share.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaBySource {
    pub sla_minutes: u32,
    /// The agreed share as a fraction (0.8).
    pub target: f64,
    pub sources: Vec<SourceShare>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceShare {
    pub source: String,
    /// Share as a fraction.
    pub share: f64,
}

/// Leads closed as lost with fewer attempts than the SLA asks, by source and by owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LostWithoutAttempts {
    pub min_attempts: u32,
    pub by_source: Vec<LostCount>,
    pub by_owner: Vec<LostCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LostCount {
    /// A source or an owner (salesperson).
    pub name: String,
    /// All leads closed as lost.
    pub lost: f64,
    /// Of those, the ones closed with fewer attempts than the SLA asks.
    pub too_few_attempts: f64,
}

/// Stock against planned sales per product line and month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StockVsSales {
    pub year: PlanYear,
    pub lines: Vec<LineStock>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineStock {
    pub product_line: String,
    /// Units expected to be available.
    pub stock: Months<f64>,
    /// Planned sales after the stock cap.
    pub planned_sales: Months<f64>,
    /// Demand the stock cap took out of the plan (zero where stock sufficed).
    pub capped: Months<f64>,
}
