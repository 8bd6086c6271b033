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
    /// The plan due by today where less than the month's plan: the month in progress.
    running: [Option<f64>; 12],
    actual: [Option<f64>; 12],
}

impl PlanActual {
    fn new(planned: &[f64; 12], to_date: &[Option<f64>; 12], actual: &[Option<f64>; 12]) -> Self {
        let planned = planned.map(finite);
        let running = std::array::from_fn(|i| {
            let (p, t) = (planned[i]?, to_date[i].and_then(finite)?);
            (t < p && actual[i].is_some()).then_some(t.max(0.0))
        });
        PlanActual {
            planned,
            running,
            actual: actual.map(|v| v.and_then(finite)),
        }
    }

    fn any_running(&self) -> bool {
        self.running.iter().any(Option::is_some)
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

    /// (planned to date in the months that have actuals, actual, planned for the year, any
    /// actuals)
    fn to_date(&self) -> (f64, f64, f64, bool) {
        let mut planned = 0.0;
        let mut actual = 0.0;
        let mut any = false;
        for ((p, r), a) in self.planned.iter().zip(&self.running).zip(&self.actual) {
            if let Some(a) = a {
                planned += r.or(*p).unwrap_or(0.0);
                actual += a;
                any = true;
            }
        }
        let year = self.planned.iter().flatten().sum();
        (planned, actual, year, any)
    }
}

/// Plan and actual; with a month in progress also how its two bars are drawn.
fn legend(locale: Locale, running: bool) -> Vec<LegendEntry> {
    let mut entries = vec![
        LegendEntry::new(text(locale, "chart.series.plan"), role::PLAN, Mark::Box),
        LegendEntry::new(text(locale, "chart.series.actual"), role::ACTUAL, Mark::Box),
    ];
    if running {
        entries.extend([
            LegendEntry::new(
                text(locale, "chart.series.plan_rest"),
                role::PLAN,
                Mark::Outline,
            ),
            LegendEntry::new(
                text(locale, "chart.series.actual_so_far"),
                role::ACTUAL,
                Mark::Outline,
            ),
        ]);
    }
    entries
}

/// Planned and actual leads per month, as pairs of bars; months still to come show the plan
/// only. In the month in progress the plan bar is solid up to the plan due by today and
/// pale above it, and the actual bar is pale: neither is final.
#[must_use]
pub fn leads_plan_vs_actual(data: &LeadsByMonth, theme: &Theme) -> String {
    let locale = theme.locale;
    let series = PlanActual::new(&data.planned, &data.planned_to_date, &data.actual);
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
        legend: legend(locale, series.any_running()),
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
                PlanActual::new(&s.planned, &s.planned_to_date, &s.actual),
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
        legend: legend(locale, sources.iter().any(|(_, s)| s.any_running())),
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
        let running = series.running[i];
        if let Some(planned) = series.planned[i] {
            let slot = plot::slot(i, 0, 2);
            let (rect, value) = match running {
                Some(due) => {
                    plot.bar(slot, (0.0, due), role::PLAN)?;
                    plot.pending_bar(slot, (due, planned), role::PLAN, style)?;
                    let value = text_with(
                        locale,
                        "chart.leads.plan_to_date",
                        &[
                            ("planned", &axes.unit.exact(planned, locale)),
                            ("due", &axes.unit.exact(due, locale)),
                        ],
                    );
                    (plot.bar_rect(slot, (0.0, planned)), value)
                }
                None => (
                    plot.bar(slot, (0.0, planned), role::PLAN)?,
                    axes.unit.exact(planned, locale),
                ),
            };
            let datum = Datum::new(&plan_name, month, value, planned);
            hits.push(plot.hit(rect, 0.0, datum.in_group(group)));
        }
        if let Some(actual) = series.actual[i] {
            let slot = plot::slot(i, 1, 2);
            let rect = if running.is_some() {
                plot.pending_bar(slot, (0.0, actual), role::ACTUAL, style)?
            } else {
                plot.bar(slot, (0.0, actual), role::ACTUAL)?
            };
            let datum = Datum::new(&actual_name, month, axes.unit.exact(actual, locale), actual);
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
