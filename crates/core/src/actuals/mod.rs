//! Plan-versus-actual analytics: leads rolled up by month, then compared with the plan.
//!
//! At import time the leads are rolled up ([`rollup`] or [`RollupAccumulator`]) into rows
//! per creation month, source, product line and owner, each with a response-time
//! histogram ([`ResponseHistogram`], stored as a compact blob). [`analyse`] compares
//! those rows with the plan and the actual spend as of a given day. Everything here is
//! pure: no I/O and no clock.

mod compare;
mod histogram;
mod rollup;

#[cfg(test)]
mod tests;

pub use compare::{
    CONVERSION_WARN, COST_PER_SALE_WARN, CellRow, CompareInput, CompareSettings, Conversion,
    ConversionBasis, ConversionKpi, CostPerSaleKpi, Cumulative, FORECAST_OK, FORECAST_WARN,
    Figures, Filter, FollowUp, Forecast, ForecastKpi, Funnel, KpiStatus, KpiTiles, LEADS_OK,
    LEADS_WARN, LeadsKpi, LeadsVsPlan, MonthRow, OwnerRow, PlanVsActual, PlannedFigures,
    PlannedProductLine, PlannedSource, ProductLineRow, ResponseCount, ResponseTimes,
    RevenueFigures, SPEND_WARN, SalesVsPlan, SourceRow, SpendFigures, SpendKpi, TotalRow, analyse,
};
pub use histogram::{
    BUCKETS, DISTRIBUTION_EDGES, HistogramDecodeError, ResponseBucket, ResponseHistogram, bucket_of,
};
pub use rollup::{LeadRollup, RollupAccumulator, rollup};
