//! Rates per source against an agreed level: conversion against the floor, and (in
//! `follow_up`) the share contacted within the SLA against its target.

use leadplan_core::i18n::{text, text_with};
use plotters::style::WHITE;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::frame::{self, Area, Datum, Hit, LegendEntry, Mark, Spec, Style};
use crate::plot::{self, Axes, Fit, Orientation};
use crate::theme::role;
use crate::values::{Scale, Unit, clean_label, finite, percent};
use crate::{ChartId, ConversionBySource, Theme};

/// One bar of a rate chart.
pub(crate) struct RateBar {
    pub name: String,
    pub value: Option<f64>,
    /// Not final yet: drawn pale with a dashed outline, never flagged.
    pub pending: bool,
}

/// A rate chart: bars per source, a level line, bars under the level flagged.
pub(crate) struct RateChart {
    pub id: ChartId,
    pub title: String,
    pub level: f64,
    /// "Floor 13 %", "Target 80 %".
    pub level_label: String,
    pub meets_label: String,
    pub below_label: String,
    pub pending_label: Option<String>,
    /// How the summary marks a pending value: "maturing".
    pub pending_note: Option<String>,
    pub y_desc: String,
    pub bars: Vec<RateBar>,
    /// Key of the summary, with {below}, {total} and {level}.
    pub summary_key: &'static str,
}

impl RateBar {
    fn below(&self, level: f64) -> bool {
        !self.pending && self.value.is_some_and(|v| v < level)
    }
}

pub(crate) fn rate_chart(chart: &RateChart, theme: &Theme) -> String {
    let locale = theme.locale;
    let level = finite(chart.level).unwrap_or(0.0);
    let compared: Vec<&RateBar> = chart
        .bars
        .iter()
        .filter(|b| !b.pending && b.value.is_some())
        .collect();
    let below = compared.iter().filter(|b| b.below(level)).count();
    let mut summary = text_with(
        locale,
        chart.summary_key,
        &[
            ("below", &below.to_string()),
            ("total", &compared.len().to_string()),
            ("level", &percent(level, locale)),
        ],
    );
    let items: Vec<String> = chart
        .bars
        .iter()
        .map(|b| {
            let value = b
                .value
                .map_or("–".to_owned(), |v| Unit::Percent.exact(v, locale));
            let item = text_with(
                locale,
                "chart.item",
                &[("name", &b.name), ("value", &value)],
            );
            match (&chart.pending_note, b.pending) {
                (Some(pending), true) => format!("{item} ({pending})"),
                _ => item,
            }
        })
        .collect();
    if !items.is_empty() {
        summary.push(' ');
        summary.push_str(&crate::leads::sentence(&items));
    }
    let colors = theme.colors();
    let mut legend = vec![
        LegendEntry::new(chart.meets_label.clone(), role::GOOD, Mark::Box),
        LegendEntry::new(chart.below_label.clone(), role::BAD, Mark::Box),
    ];
    if let Some(pending) = &chart.pending_label {
        legend.push(LegendEntry::new(
            pending.clone(),
            colors.muted,
            Mark::Outline,
        ));
    }
    legend.push(LegendEntry::new(
        chart.level_label.clone(),
        colors.text,
        Mark::Line,
    ));
    let spec = Spec {
        id: chart.id,
        title: chart.title.clone(),
        summary,
        legend,
    };
    let has_data = chart.bars.iter().any(|b| b.value.is_some_and(|v| v != 0.0));
    let names: Vec<String> = chart.bars.iter().map(|b| b.name.clone()).collect();
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let max = chart
            .bars
            .iter()
            .filter_map(|b| b.value)
            .fold(level, f64::max);
        let min = chart
            .bars
            .iter()
            .filter_map(|b| b.value)
            .fold(0.0, f64::min);
        let axes = Axes {
            categories: &names,
            fit: Fit::Truncate,
            orientation: Orientation::Vertical,
            category_desc: style.text("chart.axis.source"),
            unit: Unit::Percent,
            // room above the tallest bar for its label, but no axis beyond 100 % for rates
            // that cannot exceed it
            scale: Scale::new(
                min,
                if max <= 1.0 {
                    (max * 1.15).min(1.0)
                } else {
                    max * 1.15
                },
                &Unit::Percent,
            ),
            value_desc: chart.y_desc.clone(),
        };
        let mut plot = plot::category_plot(area, style, &axes)?;
        let label_style = style
            .font(style.tick_px(), style.colors.text)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        let flagged_style = style
            .bold(style.tick_px(), role::BAD)
            .pos(Pos::new(HPos::Center, VPos::Bottom));
        let inside_style = style
            .font(style.tick_px(), WHITE)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let inside_flagged_style = style
            .bold(style.tick_px(), WHITE)
            .pos(Pos::new(HPos::Center, VPos::Top));
        let gap = to_px(style.px(4.0));
        let text_h = to_px(style.tick_px() * 1.1);
        let plot_top = plot.chart.plotting_area().get_pixel_range().1.start;
        let mut labels = Vec::new();
        for (i, bar) in chart.bars.iter().enumerate() {
            let Some(value) = bar.value else { continue };
            let x = plot::slot(i, 0, 1);
            let x = (x.0 + 0.12, x.1 - 0.12);
            let rect = if bar.pending {
                plot.pending_bar(x, (0.0, value), style.colors.muted, style)?
            } else if bar.below(level) {
                plot.bar(x, (0.0, value), role::BAD)?
            } else {
                plot.bar(x, (0.0, value), role::GOOD)?
            };
            let series = if bar.pending {
                chart.pending_label.clone().unwrap_or_default()
            } else if bar.below(level) {
                chart.below_label.clone()
            } else {
                chart.meets_label.clone()
            };
            let datum = Datum::new(
                &series,
                &bar.name,
                Unit::Percent.exact(value, locale),
                value,
            );
            hits.push(plot.hit(rect, 0.0, datum));
            // a triangle marks flagged bars for readers who cannot tell the colours apart
            let short = Unit::Percent.short(value, locale);
            #[allow(clippy::cast_possible_truncation)] // pixel coordinates
            let (x, top) = (
                (rect.x + rect.w / 2.0).round() as i32,
                rect.y.round() as i32,
            );
            // a label with no room above its bar goes inside the bar's top
            let inside = top - gap - text_h < plot_top && !bar.pending;
            let (text, text_style) = match (bar.below(level), inside) {
                (true, false) => (format!("▼ {short}"), &flagged_style),
                (true, true) => (format!("▼ {short}"), &inside_flagged_style),
                (false, false) => (short, &label_style),
                (false, true) => (short, &inside_style),
            };
            let at = if inside {
                (x, top + gap)
            } else {
                (x, top - gap)
            };
            labels.push((text, at, text_style, inside));
        }
        // the level line goes over the bars, the labels over both
        let (start, end) = plot.level(level, style.colors.text, style.px(2.5), true, style)?;
        let band = style.px(8.0);
        hits.push(Hit::area(
            frame::Rect {
                x: f64::from(start.0),
                y: f64::from(end.1) - band / 2.0,
                w: f64::from(end.0 - start.0),
                h: band,
            },
            Datum::new(
                &chart.level_label,
                &chart.level_label,
                Unit::Percent.exact(level, locale),
                level,
            ),
        ));
        // a label above its bar that the level line would strike through goes just above the
        // line
        let line_y = end.1;
        for (text, (x, y), text_style, inside) in labels {
            let y = if !inside && (y - text_h - gap..=y + gap).contains(&line_y) {
                line_y - gap
            } else {
                y
            };
            plot::draw_text(area, &text, (x, y), text_style)?;
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}

fn to_px(value: f64) -> i32 {
    // a few pixels
    #[allow(clippy::cast_possible_truncation)]
    let px = value.round() as i32;
    px
}

/// Cohort conversion per source against the floor. Bars under the floor are flagged (colour
/// and ▼); maturing values are drawn pale with a dashed outline and never flagged, since they
/// cannot be compared yet.
#[must_use]
pub fn conversion_vs_floor(data: &ConversionBySource, theme: &Theme) -> String {
    let locale = theme.locale;
    let floor = finite(data.floor).unwrap_or(0.0);
    let floor_text = percent(floor, locale);
    let chart = RateChart {
        id: ChartId::ConversionVsFloor,
        title: text_with(locale, "chart.conversion.title", &[("floor", &floor_text)]),
        level: floor,
        level_label: text_with(locale, "chart.conversion.floor", &[("floor", &floor_text)]),
        meets_label: text(locale, "chart.conversion.meets"),
        below_label: text(locale, "chart.conversion.below"),
        pending_label: Some(text(locale, "chart.conversion.maturing")),
        pending_note: Some(text(locale, "chart.conversion.maturing_short")),
        y_desc: text(locale, "chart.axis.conversion"),
        bars: data
            .sources
            .iter()
            .map(|s| RateBar {
                name: clean_label(&s.source),
                value: finite(s.conversion),
                pending: s.maturing,
            })
            .collect(),
        summary_key: "chart.conversion.summary",
    };
    rate_chart(&chart, theme)
}
