//! Every chart of Leadplan, drawn with plotters into an SVG string; the same SVG is shown on
//! screen and put into reports.
//!
//! Each chart is one function taking its computed numbers and a [`Theme`] and returning a
//! self-contained SVG document: a title and a plain-text summary of the key numbers in
//! `<title>` and `<desc>`, a legend, axis titles with units, numbers in the theme's locale, the
//! Okabe–Ito palette, and for every data point an invisible hit area whose `<title>` and
//! `data-value` carry the exact formatted value, so the UI shows it on hover without computing
//! anything. Text uses the bundled DejaVu Sans. A chart without data says so; no input panics.

mod conversion;
mod cost;
mod cumulative;
mod data;
mod follow_up;
mod frame;
mod funnel;
mod leads;
mod plot;
pub mod shared;
mod stock;
mod theme;
mod values;

use serde::{Deserialize, Serialize};

pub use conversion::conversion_vs_floor;
pub use cost::cost_per_lead_and_sale;
pub use cumulative::cumulative_vs_plan;
pub use data::*;
pub use follow_up::{contacted_within_sla, lost_without_attempts, response_times};
pub use funnel::funnel_by_source;
pub use leads::{leads_by_source, leads_plan_vs_actual};
pub use stock::stock_vs_sales;
pub use theme::{ColorScheme, Theme};

/// Every chart, named as the `data-chart` attribute of its SVG names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartId {
    /// [`leads_plan_vs_actual`]
    LeadsPlanVsActual,
    /// [`leads_by_source`]
    LeadsBySource,
    /// [`cumulative_vs_plan`]
    CumulativeVsPlan,
    /// [`conversion_vs_floor`]
    ConversionVsFloor,
    /// [`funnel_by_source`]
    FunnelBySource,
    /// [`cost_per_lead_and_sale`]
    CostPerLeadAndSale,
    /// [`response_times`]
    ResponseTimes,
    /// [`contacted_within_sla`]
    ContactedWithinSla,
    /// [`lost_without_attempts`]
    LostWithoutAttempts,
    /// [`stock_vs_sales`]
    StockVsSales,
}

impl ChartId {
    pub const ALL: [ChartId; 10] = [
        ChartId::LeadsPlanVsActual,
        ChartId::LeadsBySource,
        ChartId::CumulativeVsPlan,
        ChartId::ConversionVsFloor,
        ChartId::FunnelBySource,
        ChartId::CostPerLeadAndSale,
        ChartId::ResponseTimes,
        ChartId::ContactedWithinSla,
        ChartId::LostWithoutAttempts,
        ChartId::StockVsSales,
    ];

    /// The stable name used in the SVG, in file names and by the UI.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChartId::LeadsPlanVsActual => "leads_plan_vs_actual",
            ChartId::LeadsBySource => "leads_by_source",
            ChartId::CumulativeVsPlan => "cumulative_vs_plan",
            ChartId::ConversionVsFloor => "conversion_vs_floor",
            ChartId::FunnelBySource => "funnel_by_source",
            ChartId::CostPerLeadAndSale => "cost_per_lead_and_sale",
            ChartId::ResponseTimes => "response_times",
            ChartId::ContactedWithinSla => "contacted_within_sla",
            ChartId::LostWithoutAttempts => "lost_without_attempts",
            ChartId::StockVsSales => "stock_vs_sales",
        }
    }

    /// The chart named `name` (as [`ChartId::as_str`] writes it).
    #[must_use]
    pub fn parse(name: &str) -> Option<ChartId> {
        ChartId::ALL.into_iter().find(|id| id.as_str() == name)
    }
}

impl std::fmt::Display for ChartId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chart_id_reads_back_from_its_name() {
        for id in ChartId::ALL {
            assert_eq!(ChartId::parse(id.as_str()), Some(id));
            assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{id}\""));
        }
        assert_eq!(ChartId::parse("pie"), None);
    }
}
