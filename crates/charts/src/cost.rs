//! Cost per lead and cost per sale, planned against actual, per source.

use leadplan_core::i18n::{text, text_with};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::frame::{self, Area, Datum, Hit, LegendEntry, Mark, Spec, Style};
use crate::leads::sentence;
use crate::plot::{self, Axes, Fit, Orientation};
use crate::theme::role;
use crate::values::{Scale, Unit, clean_label, currency_symbol, finite};
use crate::{ChartId, CostBySource, Theme};

/// Two panels, cost per lead beside cost per sale (their scales differ tenfold), each with a
/// planned and an actual bar per source. A missing figure (no sales yet) shows as "–".
#[must_use]
pub fn cost_per_lead_and_sale(data: &CostBySource, theme: &Theme) -> String {
    let locale = theme.locale;
    let code = clean_label(&data.currency);
    let unit = Unit::Money(code.clone());
    let symbol = currency_symbol(&code, locale);
    let names: Vec<String> = data
        .sources
        .iter()
        .map(|s| clean_label(&s.source))
        .collect();
    // [per lead, per sale] × [planned, actual] per source
    let values: Vec<[[Option<f64>; 2]; 2]> = data
        .sources
        .iter()
        .map(|s| {
            [
                [s.planned_per_lead, s.actual_per_lead],
                [s.planned_per_sale, s.actual_per_sale],
            ]
            .map(|pair| pair.map(|v| v.and_then(finite)))
        })
        .collect();
    let shown = |v: Option<f64>| v.map_or("–".to_owned(), |v| unit.exact(v, locale));
    let items: Vec<String> = names
        .iter()
        .zip(&values)
        .map(|(name, [lead, sale])| {
            text_with(
                locale,
                "chart.cost.item",
                &[
                    ("source", name),
                    ("planned_lead", &shown(lead[0])),
                    ("actual_lead", &shown(lead[1])),
                    ("planned_sale", &shown(sale[0])),
                    ("actual_sale", &shown(sale[1])),
                ],
            )
        })
        .collect();
    let spec = Spec {
        id: ChartId::CostPerLeadAndSale,
        title: text(locale, "chart.cost.title"),
        summary: sentence(&items),
        legend: vec![
            LegendEntry::new(text(locale, "chart.series.plan"), role::PLAN, Mark::Box),
            LegendEntry::new(text(locale, "chart.series.actual"), role::ACTUAL, Mark::Box),
        ],
    };
    let has_data = values
        .iter()
        .flatten()
        .flatten()
        .flatten()
        .any(|v| *v != 0.0);
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let panel_names = [
            style.text("chart.cost.per_lead"),
            style.text("chart.cost.per_sale"),
        ];
        let axis_keys = ["chart.cost.per_lead_axis", "chart.cost.per_sale_axis"];
        let series = [
            style.text("chart.series.plan"),
            style.text("chart.series.actual"),
        ];
        let panels = plot::small_multiples(area, style, &panel_names, Some(2))?;
        let value_style = style
            .font(style.tick_px(), style.colors.text)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let missing_style = style
            .font(style.tick_px(), style.colors.muted)
            .pos(Pos::new(HPos::Left, VPos::Center));
        let gap = 4;
        for (p, panel) in panels.iter().enumerate() {
            let panel_values = || values.iter().flat_map(|v| v[p]).flatten();
            let max = panel_values().fold(0.0, f64::max);
            let min = panel_values().fold(0.0, f64::min);
            let axes = Axes {
                categories: &names,
                fit: Fit::Truncate,
                orientation: Orientation::Horizontal,
                category_desc: String::new(),
                unit: unit.clone(),
                // room right of the longest bar for its label
                scale: Scale::new(min, max * 1.25, &unit),
                value_desc: text_with(locale, axis_keys[p], &[("currency", &symbol)]),
            };
            let mut plot = plot::category_plot(panel, style, &axes)?;
            for (i, name) in names.iter().enumerate() {
                for (k, value) in values[i][p].iter().enumerate() {
                    let extent = plot::slot(i, k, 2);
                    let Some(value) = *value else {
                        let at = plot.px(f64::midpoint(extent.0, extent.1), 0.0);
                        plot::draw_text(panel, "–", (at.0 + gap, at.1), &missing_style)?;
                        continue;
                    };
                    let rect = plot.bar(extent, (0.0, value), [role::PLAN, role::ACTUAL][k])?;
                    let datum = Datum::new(&series[k], name, unit.exact(value, locale), value)
                        .in_group(&panel_names[p]);
                    hits.push(plot.hit(rect, 0.0, datum));
                    let at = plot.px(f64::midpoint(extent.0, extent.1), value.max(0.0));
                    let label = unit.short(value, locale);
                    plot::draw_text(panel, &label, (at.0 + gap, at.1), &value_style)?;
                }
            }
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}
