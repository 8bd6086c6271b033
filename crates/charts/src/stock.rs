//! Stock against planned sales per product line and month.

use leadplan_core::i18n::{text, text_with};

use crate::frame::{self, Area, Datum, Hit, LegendEntry, Mark, Spec, Style};
use crate::leads::sentence;
use crate::plot::{self, Axes, Fit, Orientation};
use crate::theme::role;
use crate::values::{Scale, Unit, clean_label, count, finite};
use crate::{ChartId, StockVsSales, Theme};

struct Line {
    name: String,
    stock: [Option<f64>; 12],
    sales: [Option<f64>; 12],
    capped: [Option<f64>; 12],
}

/// One panel per product line: per month a stock bar beside a planned-sales bar, with the
/// demand the stock cap took out of the plan stacked on the sales bar.
#[must_use]
pub fn stock_vs_sales(data: &StockVsSales, theme: &Theme) -> String {
    let locale = theme.locale;
    let lines: Vec<Line> = data
        .lines
        .iter()
        .map(|l| Line {
            name: clean_label(&l.product_line),
            stock: l.stock.map(finite),
            sales: l.planned_sales.map(finite),
            capped: l.capped.map(|v| finite(v).filter(|v| *v > 0.0)),
        })
        .collect();
    let total = |values: &[Option<f64>; 12]| values.iter().flatten().sum::<f64>();
    let items: Vec<String> = lines
        .iter()
        .map(|l| {
            text_with(
                locale,
                "chart.stock.item",
                &[
                    ("line", &l.name),
                    ("stock", &count(total(&l.stock), locale)),
                    ("sales", &count(total(&l.sales), locale)),
                    ("capped", &count(total(&l.capped), locale)),
                ],
            )
        })
        .collect();
    let stock_name = text(locale, "chart.stock.stock");
    let sales_name = text(locale, "chart.stock.sales");
    let capped_name = text(locale, "chart.stock.capped");
    let spec = Spec {
        id: ChartId::StockVsSales,
        title: text_with(
            locale,
            "chart.stock.title",
            &[("year", &data.year.year.to_string())],
        ),
        summary: sentence(&items),
        legend: vec![
            LegendEntry::new(stock_name.clone(), role::STOCK, Mark::Box),
            LegendEntry::new(sales_name.clone(), role::SALES, Mark::Box),
            LegendEntry::new(capped_name.clone(), role::BAD, Mark::Box),
        ],
    };
    let has_data = lines
        .iter()
        .flat_map(|l| l.stock.iter().chain(&l.sales).chain(&l.capped))
        .flatten()
        .any(|v| *v != 0.0);
    let months = plot::month_labels(data.year, locale);
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let grid = plot::shared_axis_titles(
            area,
            style,
            &style.text("chart.axis.month"),
            &style.text("chart.axis.units"),
        )?;
        let names: Vec<String> = lines.iter().map(|l| l.name.clone()).collect();
        let panels = plot::small_multiples(&grid, style, &names, None)?;
        for (panel, line) in panels.iter().zip(&lines) {
            let max = (0..12)
                .map(|i| {
                    let demand = line.sales[i].unwrap_or(0.0) + line.capped[i].unwrap_or(0.0);
                    demand.max(line.stock[i].unwrap_or(0.0))
                })
                .fold(0.0, f64::max);
            let axes = Axes {
                categories: &months,
                fit: Fit::Skip,
                orientation: Orientation::Vertical,
                category_desc: String::new(),
                unit: Unit::Count,
                scale: Scale::new(0.0, max, &Unit::Count),
                value_desc: String::new(),
            };
            let mut plot = plot::category_plot(panel, style, &axes)?;
            for (i, month) in months.iter().enumerate() {
                let datum = |series: &str, value: f64| {
                    Datum::new(series, month, Unit::Count.exact(value, locale), value)
                        .in_group(&line.name)
                };
                if let Some(stock) = line.stock[i] {
                    let rect = plot.bar(plot::slot(i, 0, 2), (0.0, stock), role::STOCK)?;
                    hits.push(plot.hit(rect, 0.0, datum(&stock_name, stock)));
                }
                let sales = line.sales[i].unwrap_or(0.0);
                if line.sales[i].is_some() {
                    let rect = plot.bar(plot::slot(i, 1, 2), (0.0, sales), role::SALES)?;
                    hits.push(plot.hit(rect, 0.0, datum(&sales_name, sales)));
                }
                if let Some(capped) = line.capped[i] {
                    let rect = plot.bar(plot::slot(i, 1, 2), (sales, sales + capped), role::BAD)?;
                    hits.push(plot.hit(rect, sales, datum(&capped_name, capped)));
                }
            }
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}
