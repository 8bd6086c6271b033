//! Year to date against the plan, cumulated, with the forecast to year end and the target.

use leadplan_core::i18n::{text, text_with};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::frame::{self, Area, ChartError, Datum, Hit, LegendEntry, Mark, Spec, Style};
use crate::plot::{self, Axes, Fit, Orientation, Plot};
use crate::theme::role;
use crate::values::{Scale, Unit, count, finite, ratio};
use crate::{ChartId, CumulativeYear, Measure, Theme};

/// The cumulative plan as a line, the actuals as a line up to the last month with actuals, the
/// forecast from there to year end as a dashed line, and the annual target as a level line.
#[must_use]
pub fn cumulative_vs_plan(data: &CumulativeYear, theme: &Theme) -> String {
    let locale = theme.locale;
    let planned = data.planned.map(finite);
    let actual = data.actual.map(|v| v.and_then(finite));
    let forecast = data.forecast.map(|v| v.and_then(finite));
    let target = data.annual_target.and_then(finite);
    let last_actual = actual.iter().rposition(Option::is_some);
    // the plan due by today, where the last month with actuals is still in progress
    let due = last_actual.and_then(|i| {
        let due = data.planned_to_date.and_then(finite)?;
        (due < planned[i]?).then_some((i, due))
    });
    let (title_key, axis_key) = match data.measure {
        Measure::Leads => ("chart.cumulative.title.leads", "chart.axis.leads"),
        Measure::Sales => ("chart.cumulative.title.sales", "chart.axis.sales"),
    };
    let year_end = forecast
        .iter()
        .rev()
        .flatten()
        .next()
        .copied()
        .or_else(|| last_actual.filter(|i| *i == 11).and_then(|i| actual[i]));
    let dash = "–".to_owned();
    let summary = match last_actual {
        Some(i) => {
            let to_date = actual[i].unwrap_or(0.0);
            let planned_to_date = due.map_or(planned[i], |(_, v)| Some(v)).unwrap_or(0.0);
            let gap = match (year_end, target) {
                (Some(end), Some(target)) => signed(end - target, locale),
                _ => dash.clone(),
            };
            text_with(
                locale,
                "chart.cumulative.summary",
                &[
                    ("actual", &count(to_date, locale)),
                    ("planned", &count(planned_to_date, locale)),
                    ("ratio", &ratio(to_date, planned_to_date, locale)),
                    (
                        "forecast",
                        &year_end.map_or(dash.clone(), |v| count(v, locale)),
                    ),
                    ("target", &target.map_or(dash.clone(), |v| count(v, locale))),
                    ("gap", &gap),
                ],
            )
        }
        None => text_with(
            locale,
            "chart.cumulative.summary_no_actuals",
            &[
                (
                    "planned",
                    &planned[11].map_or(dash.clone(), |v| count(v, locale)),
                ),
                ("target", &target.map_or(dash, |v| count(v, locale))),
            ],
        ),
    };
    let colors = theme.colors();
    let mut legend = vec![
        LegendEntry::new(text(locale, "chart.series.plan"), role::PLAN, Mark::Line),
        LegendEntry::new(
            text(locale, "chart.series.actual"),
            role::ACTUAL,
            Mark::Line,
        ),
        LegendEntry::new(
            text(locale, "chart.series.forecast"),
            role::ACTUAL,
            Mark::Dashed,
        ),
        LegendEntry::new(text(locale, "chart.series.target"), colors.text, Mark::Line),
    ];
    if due.is_some() {
        legend.push(LegendEntry::new(
            text(locale, "chart.series.plan_due"),
            role::PLAN,
            Mark::Ring,
        ));
    }
    let spec = Spec {
        id: ChartId::CumulativeVsPlan,
        title: text_with(locale, title_key, &[("year", &data.year.year.to_string())]),
        summary,
        legend,
    };
    let values: Vec<f64> = planned
        .iter()
        .chain(&actual)
        .chain(&forecast)
        .chain(std::iter::once(&target))
        .flatten()
        .copied()
        .collect();
    let has_data = values.iter().any(|v| *v != 0.0);
    let months = plot::month_labels(data.year, locale);
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let max = values.iter().fold(0.0_f64, |a, b| a.max(*b));
        let min = values.iter().fold(0.0_f64, |a, b| a.min(*b));
        let axes = Axes {
            categories: &months,
            fit: Fit::Skip,
            orientation: Orientation::Vertical,
            category_desc: style.text("chart.axis.month"),
            unit: Unit::Count,
            scale: Scale::new(min, max * 1.1, &Unit::Count),
            value_desc: style.text(axis_key),
        };
        let mut plot = plot::category_plot(area, style, &axes)?;
        if let Some(target) = target {
            let name = style.text("chart.series.target");
            let color = style.colors.text;
            let (start, end) = plot.level(target, color, style.px(2.0), false, style)?;
            let label = format!("{name} {}", count(target, locale));
            // at the start of the year the cumulated lines are far below the target
            plot::draw_text(
                area,
                &label,
                (start.0 + to_px(style.px(6.0)), end.1 - to_px(style.px(4.0))),
                &style
                    .font(style.tick_px(), color)
                    .pos(Pos::new(HPos::Left, VPos::Bottom)),
            )?;
            let band = style.px(8.0);
            hits.push(Hit::area(
                frame::Rect {
                    x: f64::from(start.0),
                    y: f64::from(end.1) - band / 2.0,
                    w: f64::from(end.0 - start.0),
                    h: band,
                },
                Datum::new(&name, &name, Unit::Count.exact(target, locale), target),
            ));
        }
        let plan_points = points(&planned);
        line(&mut plot.chart, style, &plan_points, role::PLAN, 2.5, false)?;
        let actual_points = points(&actual);
        line(
            &mut plot.chart,
            style,
            &actual_points,
            role::ACTUAL,
            3.5,
            false,
        )?;
        // the forecast continues from the last actual month
        let mut forecast_points: Vec<(f64, f64)> = last_actual
            .and_then(|i| actual[i].map(|v| (index_x(i), v)))
            .into_iter()
            .collect();
        forecast_points.extend(points(&forecast));
        line(
            &mut plot.chart,
            style,
            &forecast_points,
            role::ACTUAL,
            3.0,
            true,
        )?;
        if let Some((i, value)) = due {
            // the month in progress: what its actual point is compared with
            let at = plot.px(index_x(i), value);
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a few pixels
            let ring = role::PLAN.stroke_width(style.px(2.5).round() as u32);
            plot.chart.draw_series(std::iter::once(Circle::new(
                (index_x(i), value),
                to_px(style.px(6.0)),
                ring,
            )))?;
            let name = style.text("chart.series.plan_due");
            let datum = Datum::new(&name, &months[i], Unit::Count.exact(value, locale), value);
            hits.push(Hit::point(at, style.px(9.0), datum));
        }
        for (series, values) in [
            ("chart.series.plan", &planned),
            ("chart.series.actual", &actual),
            ("chart.series.forecast", &forecast),
        ] {
            let name = style.text(series);
            for (i, value) in values.iter().enumerate() {
                let Some(value) = *value else { continue };
                let at = plot.px(index_x(i), value);
                let datum = Datum::new(&name, &months[i], Unit::Count.exact(value, locale), value);
                hits.push(Hit::point(at, style.px(9.0), datum));
            }
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}

fn to_px(value: f64) -> i32 {
    // lengths of a few pixels
    #[allow(clippy::cast_possible_truncation)]
    let px = value.round() as i32;
    px
}

fn index_x(i: usize) -> f64 {
    #[allow(clippy::cast_precision_loss)] // a month index
    let x = i as f64;
    x
}

fn points(values: &[Option<f64>; 12]) -> Vec<(f64, f64)> {
    values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (index_x(i), v)))
        .collect()
}

fn line(
    plot: &mut Plot<'_, '_>,
    style: &Style,
    points: &[(f64, f64)],
    color: RGBColor,
    width: f64,
    dashed: bool,
) -> Result<(), ChartError> {
    if points.is_empty() {
        return Ok(());
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a few pixels
    let stroke = color.stroke_width(style.px(width).round() as u32);
    if dashed {
        plot.draw_series(DashedLineSeries::new(
            points.iter().copied(),
            to_px(style.px(9.0)),
            to_px(style.px(6.0)),
            stroke,
        ))?;
    } else {
        plot.draw_series(LineSeries::new(points.iter().copied(), stroke))?;
    }
    let radius = to_px(style.px(width + 1.0));
    plot.draw_series(
        points
            .iter()
            .map(|p| Circle::new(*p, radius, color.filled())),
    )?;
    Ok(())
}

/// A difference with its sign: +50, -50.
fn signed(value: f64, locale: leadplan_core::Locale) -> String {
    let text = count(value, locale);
    if value > 0.0 && !text.starts_with('-') && text != "0" {
        format!("+{text}")
    } else {
        text
    }
}
