//! Planned against actual leads per month: all sources together, and one panel per source.

use leadplan_core::Locale;
use leadplan_core::i18n::{text, text_with};

use crate::frame::{self, Area, ChartError, Datum, Hit, LegendEntry, Mark, Spec, Style};
use crate::plot::{self, Axes, Fit, Orientation};
use crate::theme::role;
use crate::values::{Scale, Unit, clean_label, count, finite, ratio};
use crate::{ChartId, LeadsByMonth, LeadsBySource, Theme};

/// One series of twelve months, cleaned: non-finite values are missing.
struct PlanActual {
    planned: [Option<f64>; 12],
    actual: [Option<f64>; 12],
}

impl PlanActual {
    fn new(planned: &[f64; 12], actual: &[Option<f64>; 12]) -> Self {
        PlanActual {
            planned: planned.map(finite),
            actual: actual.map(|v| v.and_then(finite)),
        }
    }

    fn has_data(&self) -> bool {
        self.planned
            .iter()
            .chain(&self.actual)
            .flatten()
            .any(|v| *v != 0.0)
    }

    fn max(&self) -> f64 {
        self.planned
            .iter()
            .chain(&self.actual)
            .flatten()
            .fold(0.0_f64, |a, b| a.max(*b))
    }

    /// (planned in the months that have actuals, actual, planned for the year, any actuals)
    fn to_date(&self) -> (f64, f64, f64, bool) {
        let mut planned = 0.0;
        let mut actual = 0.0;
        let mut any = false;
        for (p, a) in self.planned.iter().zip(&self.actual) {
            if let Some(a) = a {
                planned += p.unwrap_or(0.0);
                actual += a;
                any = true;
            }
        }
        let year = self.planned.iter().flatten().sum();
        (planned, actual, year, any)
    }
}

fn legend(locale: Locale) -> Vec<LegendEntry> {
    vec![
        LegendEntry::new(text(locale, "chart.series.plan"), role::PLAN, Mark::Box),
        LegendEntry::new(text(locale, "chart.series.actual"), role::ACTUAL, Mark::Box),
    ]
}

/// Planned and actual leads per month, as pairs of bars; months still to come show the plan
/// only.
#[must_use]
pub fn leads_plan_vs_actual(data: &LeadsByMonth, theme: &Theme) -> String {
    let locale = theme.locale;
    let series = PlanActual::new(&data.planned, &data.actual);
    let (planned, actual, year_plan, any_actual) = series.to_date();
    let summary = if any_actual {
        text_with(
            locale,
            "chart.leads.summary",
            &[
                ("planned", &count(planned, locale)),
                ("actual", &count(actual, locale)),
                ("ratio", &ratio(actual, planned, locale)),
                ("total", &count(year_plan, locale)),
            ],
        )
    } else {
        text_with(
            locale,
            "chart.leads.summary_no_actuals",
            &[("total", &count(year_plan, locale))],
        )
    };
    let spec = Spec {
        id: ChartId::LeadsPlanVsActual,
        title: text_with(
            locale,
            "chart.leads.title",
            &[("year", &data.year.year.to_string())],
        ),
        summary,
        legend: legend(locale),
    };
    let months = plot::month_labels(data.year, locale);
    let draw =
        series
            .has_data()
            .then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
                let axes = Axes {
                    categories: &months,
                    fit: Fit::Skip,
                    orientation: Orientation::Vertical,
                    category_desc: style.text("chart.axis.month"),
                    unit: Unit::Count,
                    scale: Scale::new(0.0, series.max(), &Unit::Count),
                    value_desc: style.text("chart.axis.leads"),
                };
                plan_actual_bars(area, style, hits, &axes, &series, "")
            });
    frame::render(theme, &spec, draw)
}

/// Planned and actual leads per month, one small panel per source, each with its own scale.
#[must_use]
pub fn leads_by_source(data: &LeadsBySource, theme: &Theme) -> String {
    let locale = theme.locale;
    let sources: Vec<(String, PlanActual)> = data
        .sources
        .iter()
        .map(|s| {
            (
                clean_label(&s.source),
                PlanActual::new(&s.planned, &s.actual),
            )
        })
        .collect();
    let items: Vec<String> = sources
        .iter()
        .map(|(name, series)| {
            let (planned, actual, _, _) = series.to_date();
            text_with(
                locale,
                "chart.leads_by_source.item",
                &[
                    ("source", name),
                    ("planned", &count(planned, locale)),
                    ("actual", &count(actual, locale)),
                    ("ratio", &ratio(actual, planned, locale)),
                ],
            )
        })
        .collect();
    let spec = Spec {
        id: ChartId::LeadsBySource,
        title: text_with(
            locale,
            "chart.leads_by_source.title",
            &[("year", &data.year.year.to_string())],
        ),
        summary: sentence(&items),
        legend: legend(locale),
    };
    let months = plot::month_labels(data.year, locale);
    let has_data = sources.iter().any(|(_, s)| s.has_data());
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let grid = plot::shared_axis_titles(
            area,
            style,
            &style.text("chart.axis.month"),
            &style.text("chart.axis.leads"),
        )?;
        let names: Vec<String> = sources.iter().map(|(n, _)| n.clone()).collect();
        let panels = plot::small_multiples(&grid, style, &names, None)?;
        for (panel, (name, series)) in panels.iter().zip(&sources) {
            let axes = Axes {
                categories: &months,
                fit: Fit::Skip,
                orientation: Orientation::Vertical,
                category_desc: String::new(),
                unit: Unit::Count,
                scale: Scale::new(0.0, series.max(), &Unit::Count),
                value_desc: String::new(),
            };
            plan_actual_bars(panel, style, hits, &axes, series, name)?;
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}

fn plan_actual_bars(
    area: &Area<'_>,
    style: &Style,
    hits: &mut Vec<Hit>,
    axes: &Axes<'_>,
    series: &PlanActual,
    group: &str,
) -> Result<(), ChartError> {
    let locale = style.locale;
    let mut plot = plot::category_plot(area, style, axes)?;
    let plan_name = style.text("chart.series.plan");
    let actual_name = style.text("chart.series.actual");
    for (i, month) in axes.categories.iter().enumerate() {
        let bars = [
            (&plan_name, series.planned[i], role::PLAN),
            (&actual_name, series.actual[i], role::ACTUAL),
        ];
        for (k, (name, value, color)) in bars.into_iter().enumerate() {
            let Some(value) = value else { continue };
            let rect = plot.bar(plot::slot(i, k, 2), (0.0, value), color)?;
            let datum = Datum::new(name, month, axes.unit.exact(value, locale), value);
            hits.push(plot.hit(rect, 0.0, datum.in_group(group)));
        }
    }
    Ok(())
}

/// Items joined into one sentence.
pub(crate) fn sentence(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!("{}.", items.join("; "))
    }
}
