//! The funnel per source: leads → contacted → reached → appointment → won.

use leadplan_core::Locale;
use leadplan_core::i18n::{text, text_with};

use crate::frame::{self, Area, Datum, Hit, LegendEntry, Mark, Spec, Style};
use crate::leads::sentence;
use crate::plot::{self, Axes, Fit, Orientation};
use crate::theme::role;
use crate::values::{Scale, Unit, clean_label, count, finite, ratio};
use crate::{ChartId, FunnelBySource, Theme};

const STAGE_KEYS: [&str; 5] = [
    "chart.funnel.leads",
    "chart.funnel.contacted",
    "chart.funnel.reached",
    "chart.funnel.appointment",
    "chart.funnel.won",
];

fn stage_names(locale: Locale) -> [String; 5] {
    STAGE_KEYS.map(|key| text(locale, key))
}

/// Five bars per source, one per stage; hovering a bar shows its count and its share of the
/// source's leads.
#[must_use]
pub fn funnel_by_source(data: &FunnelBySource, theme: &Theme) -> String {
    let locale = theme.locale;
    let stages = stage_names(locale);
    let sources: Vec<(String, [Option<f64>; 5])> = data
        .sources
        .iter()
        .map(|s| (clean_label(&s.source), s.stages().map(finite)))
        .collect();
    let items: Vec<String> = sources
        .iter()
        .map(|(name, s)| {
            let leads = s[0].unwrap_or(0.0);
            let won = s[4].unwrap_or(0.0);
            text_with(
                locale,
                "chart.funnel.item",
                &[
                    ("source", name),
                    ("leads", &count(leads, locale)),
                    ("won", &count(won, locale)),
                    ("share", &ratio(won, leads, locale)),
                ],
            )
        })
        .collect();
    let spec = Spec {
        id: ChartId::FunnelBySource,
        title: text(locale, "chart.funnel.title"),
        summary: sentence(&items),
        legend: stages
            .iter()
            .zip(role::STAGES)
            .map(|(name, color)| LegendEntry::new(name.clone(), color, Mark::Box))
            .collect(),
    };
    let has_data = sources
        .iter()
        .flat_map(|(_, s)| s)
        .flatten()
        .any(|v| *v != 0.0);
    let names: Vec<String> = sources.iter().map(|(n, _)| n.clone()).collect();
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let max = sources
            .iter()
            .flat_map(|(_, s)| s)
            .flatten()
            .fold(0.0_f64, |a, b| a.max(*b));
        let axes = Axes {
            categories: &names,
            fit: Fit::Truncate,
            orientation: Orientation::Vertical,
            category_desc: style.text("chart.axis.source"),
            unit: Unit::Count,
            scale: Scale::new(0.0, max, &Unit::Count),
            value_desc: style.text("chart.axis.leads"),
        };
        let mut plot = plot::category_plot(area, style, &axes)?;
        for (i, (name, values)) in sources.iter().enumerate() {
            let leads = values[0].unwrap_or(0.0);
            for (k, value) in values.iter().enumerate() {
                let Some(value) = *value else { continue };
                let rect = plot.bar(plot::slot(i, k, 5), (0.0, value), role::STAGES[k])?;
                let shown = text_with(
                    locale,
                    "chart.funnel.value",
                    &[
                        ("count", &count(value, locale)),
                        ("share", &ratio(value, leads, locale)),
                    ],
                );
                let datum = Datum::new(&stages[k], name, shown, value);
                hits.push(plot.hit(rect, 0.0, datum));
            }
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}
