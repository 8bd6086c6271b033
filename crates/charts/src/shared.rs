//! The shared charts of a plan-versus-actual comparison: the same numbers, in the same
//! charts, on the Dashboard, in the meeting and in every report. This module only picks
//! the computed figures out of the comparison and the plan; it computes none.

use leadplan_core::Months;
use leadplan_core::actuals::{Figures, PlanVsActual};
use leadplan_core::plan::PlanResult;
use serde::{Deserialize, Serialize};

use crate::{
    ChartId, ConversionBySource, CostBySource, CumulativeYear, FunnelBySource, LeadsByMonth,
    LeadsBySource, LineStock, LostCount, LostWithoutAttempts, Measure, ResponseBucket,
    ResponseTimes, SlaBySource, SourceConversion, SourceCost, SourceFunnel, SourceLeads,
    SourceShare, StockVsSales, Theme,
};

/// What the shared charts are drawn from.
#[derive(Debug, Clone, Copy)]
pub struct SharedData<'a> {
    pub compare: &'a PlanVsActual,
    pub plan: &'a PlanResult,
    /// ISO 4217 code of the workbook's currency.
    pub currency: &'a str,
}

/// One drawn chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RenderedChart {
    pub id: ChartId,
    pub svg: String,
}

#[allow(clippy::cast_precision_loss)] // counts of leads stay far below 2^53
fn count(n: u64) -> f64 {
    n as f64
}

/// A per-plan-month array from rows that carry their plan month index.
fn by_month<T: Copy>(rows: impl Iterator<Item = (u32, T)>, empty: T) -> Months<T> {
    let mut out = [empty; 12];
    for (index, value) in rows {
        if let Some(slot) = out.get_mut(index as usize) {
            *slot = value;
        }
    }
    out
}

fn actual_leads(figures: &Figures, started: bool) -> Option<f64> {
    if started {
        figures.leads.actual.map(count)
    } else {
        None
    }
}

fn planned_to_date(figures: &Figures, started: bool) -> Option<f64> {
    if started {
        figures.leads.planned_to_date
    } else {
        None
    }
}

/// Sources with a name (leads without a source have no bar of their own).
fn named_sources<'a>(data: &SharedData<'a>) -> impl Iterator<Item = (&'a str, &'a Figures)> {
    data.compare
        .sources
        .iter()
        .filter_map(|s| s.name.as_deref().map(|name| (name, &s.figures)))
}

fn money(m: Option<leadplan_core::Money>) -> Option<f64> {
    m.map(leadplan_core::Money::as_units)
}

fn leads_by_month(data: &SharedData<'_>) -> LeadsByMonth {
    let c = data.compare;
    LeadsByMonth {
        year: c.year,
        planned: by_month(
            c.months
                .iter()
                .map(|m| (m.index, m.figures.leads.planned.unwrap_or(0.0))),
            0.0,
        ),
        planned_to_date: by_month(
            c.months
                .iter()
                .map(|m| (m.index, planned_to_date(&m.figures, m.started))),
            None,
        ),
        actual: by_month(
            c.months
                .iter()
                .map(|m| (m.index, actual_leads(&m.figures, m.started))),
            None,
        ),
    }
}

fn leads_by_source(data: &SharedData<'_>) -> LeadsBySource {
    let c = data.compare;
    let started = |index: u32| c.months.iter().any(|m| m.index == index && m.started);
    LeadsBySource {
        year: c.year,
        sources: c
            .sources
            .iter()
            .filter_map(|row| {
                let name = row.name.clone()?;
                let cells = c
                    .cells
                    .iter()
                    .filter(|cell| cell.source_id == row.source_id);
                Some(SourceLeads {
                    source: name,
                    planned: by_month(
                        cells
                            .clone()
                            .map(|x| (x.index, x.figures.leads.planned.unwrap_or(0.0))),
                        0.0,
                    ),
                    planned_to_date: by_month(
                        cells
                            .clone()
                            .map(|x| (x.index, planned_to_date(&x.figures, started(x.index)))),
                        None,
                    ),
                    actual: by_month(
                        cells.map(|x| (x.index, actual_leads(&x.figures, started(x.index)))),
                        None,
                    ),
                })
            })
            .collect(),
    }
}

fn cumulative(data: &SharedData<'_>) -> CumulativeYear {
    let c = data.compare;
    let forecast = &c.total.forecast;
    // the forecast line runs from the last actual month through the months still to come
    let mut running = 0.0;
    let mut forecast_by_month = Vec::with_capacity(c.months.len());
    for (row, leads) in c.months.iter().zip(&forecast.monthly_leads) {
        running += leads.unwrap_or(0.0);
        forecast_by_month.push((row.index, (!row.complete).then_some(running)));
    }
    CumulativeYear {
        year: c.year,
        measure: Measure::Leads,
        planned: by_month(
            c.months
                .iter()
                .map(|m| (m.index, m.cumulative.planned_leads.unwrap_or(0.0))),
            0.0,
        ),
        planned_to_date: c.total.figures.leads.planned_to_date,
        actual: by_month(
            c.months.iter().map(|m| {
                (
                    m.index,
                    if m.started {
                        m.cumulative.actual_leads.map(count)
                    } else {
                        None
                    },
                )
            }),
            None,
        ),
        forecast: by_month(forecast_by_month.into_iter(), None),
        annual_target: forecast.target_leads,
    }
}

fn conversion(data: &SharedData<'_>) -> ConversionBySource {
    ConversionBySource {
        floor: data.compare.conversion_floor,
        sources: named_sources(data)
            .filter_map(|(name, f)| {
                let (value, maturing) = match (f.conversion.mature, f.conversion.actual) {
                    (Some(mature), _) => (mature, false),
                    (None, Some(actual)) => (actual, true),
                    (None, None) => return None,
                };
                Some(SourceConversion {
                    source: name.to_owned(),
                    conversion: value,
                    maturing,
                })
            })
            .collect(),
    }
}

fn funnel(data: &SharedData<'_>) -> FunnelBySource {
    FunnelBySource {
        sources: named_sources(data)
            .filter_map(|(name, f)| {
                let x = f.funnel.as_ref()?;
                Some(SourceFunnel {
                    source: name.to_owned(),
                    leads: count(x.leads),
                    contacted: count(x.contacted),
                    reached: count(x.reached),
                    appointment: count(x.appointments),
                    won: count(x.won),
                })
            })
            .collect(),
    }
}

fn cost(data: &SharedData<'_>) -> CostBySource {
    CostBySource {
        currency: data.currency.to_owned(),
        sources: named_sources(data)
            .map(|(name, f)| SourceCost {
                source: name.to_owned(),
                planned_per_lead: money(f.spend.planned_cost_per_lead),
                actual_per_lead: money(f.spend.cost_per_lead),
                planned_per_sale: money(f.spend.planned_cost_per_sale),
                actual_per_sale: money(f.spend.cost_per_sale),
            })
            .collect(),
    }
}

fn response_times(data: &SharedData<'_>) -> ResponseTimes {
    let t = &data.compare.total.response_times;
    ResponseTimes {
        sla_minutes: data.compare.sla.first_contact_minutes,
        buckets: t
            .buckets
            .iter()
            .map(|b| ResponseBucket {
                from_minutes: b.bucket.from_minutes,
                to_minutes: b.bucket.to_minutes,
                leads: count(b.leads),
            })
            .collect(),
        not_contacted: count(t.not_contacted),
    }
}

fn within_sla(data: &SharedData<'_>) -> SlaBySource {
    SlaBySource {
        sla_minutes: data.compare.sla.first_contact_minutes,
        target: data.compare.sla.within_sla_target,
        sources: named_sources(data)
            .filter_map(|(name, f)| {
                let share = f.follow_up.as_ref()?.within_sla_share?;
                Some(SourceShare {
                    source: name.to_owned(),
                    share,
                })
            })
            .collect(),
    }
}

fn lost(data: &SharedData<'_>) -> LostWithoutAttempts {
    let c = data.compare;
    let row = |name: &str, f: &leadplan_core::actuals::FollowUp| LostCount {
        name: name.to_owned(),
        lost: count(f.lost),
        too_few_attempts: count(f.lost_below_min_attempts),
    };
    LostWithoutAttempts {
        min_attempts: c.sla.min_attempts_before_lost,
        by_source: named_sources(data)
            .filter_map(|(name, f)| Some(row(name, f.follow_up.as_ref()?)))
            .collect(),
        by_owner: c
            .owners
            .iter()
            .filter_map(|o| Some(row(o.owner.as_deref()?, &o.follow_up)))
            .collect(),
    }
}

fn stock(data: &SharedData<'_>) -> StockVsSales {
    let plan = data.plan;
    let lines = plan
        .product_lines
        .iter()
        .enumerate()
        .filter(|(p, _)| {
            (0..12).any(|m| {
                plan.month_product_line(m, *p)
                    .is_some_and(|f| f.stock.is_some())
            })
        })
        .map(|(p, totals)| {
            let month = |m: usize| plan.month_product_line(m, p);
            LineStock {
                product_line: totals.name.clone(),
                stock: std::array::from_fn(|m| month(m).and_then(|f| f.stock).unwrap_or(0.0)),
                planned_sales: std::array::from_fn(|m| month(m).map_or(0.0, |f| f.planned_sales)),
                capped: std::array::from_fn(|m| month(m).map_or(0.0, |f| f.capped)),
            }
        })
        .collect();
    StockVsSales {
        year: data.compare.year,
        lines,
    }
}

/// Draws one shared chart.
#[must_use]
pub fn render(id: ChartId, data: &SharedData<'_>, theme: &Theme) -> String {
    match id {
        ChartId::LeadsPlanVsActual => crate::leads_plan_vs_actual(&leads_by_month(data), theme),
        ChartId::LeadsBySource => crate::leads_by_source(&leads_by_source(data), theme),
        ChartId::CumulativeVsPlan => crate::cumulative_vs_plan(&cumulative(data), theme),
        ChartId::ConversionVsFloor => crate::conversion_vs_floor(&conversion(data), theme),
        ChartId::FunnelBySource => crate::funnel_by_source(&funnel(data), theme),
        ChartId::CostPerLeadAndSale => crate::cost_per_lead_and_sale(&cost(data), theme),
        ChartId::ResponseTimes => crate::response_times(&response_times(data), theme),
        ChartId::ContactedWithinSla => crate::contacted_within_sla(&within_sla(data), theme),
        ChartId::LostWithoutAttempts => crate::lost_without_attempts(&lost(data), theme),
        ChartId::StockVsSales => crate::stock_vs_sales(&stock(data), theme),
    }
}

/// Draws every shared chart, in the order of [`ChartId::ALL`].
#[must_use]
pub fn render_all(data: &SharedData<'_>, theme: &Theme) -> Vec<RenderedChart> {
    ChartId::ALL
        .into_iter()
        .map(|id| RenderedChart {
            id,
            svg: render(id, data, theme),
        })
        .collect()
}
