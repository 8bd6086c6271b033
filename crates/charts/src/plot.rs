//! The building blocks the charts share: a plot with categories along x (months, sources) and
//! values along y, bars, lines, thresholds, labels and a grid of small multiples.

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use leadplan_core::i18n::month_short;
use leadplan_core::{Locale, PlanYear};

use crate::frame::{Area, ChartError, Datum, Hit, Rect, Style};
use crate::values::{Scale, Unit};

/// A point in SVG pixels.
pub(crate) type Px = (i32, i32);

pub(crate) type Plot<'a, 'b> =
    ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// What to do with category labels wider than their slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fit {
    /// Show every second (third …) label: for months, whose order says the rest.
    Skip,
    /// Shorten each with "…": for names; the hover title carries the full name.
    Truncate,
}

/// Which way bars point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Orientation {
    /// Categories along x, bars rising: months, a few short names.
    Vertical,
    /// Categories down the left, bars to the right: names that need room to be read.
    Horizontal,
}

/// The axes of a plot of values per category.
pub(crate) struct Axes<'l> {
    pub categories: &'l [String],
    pub fit: Fit,
    pub orientation: Orientation,
    /// Title of the category axis; empty for none.
    pub category_desc: String,
    pub unit: Unit,
    pub scale: Scale,
    /// Title of the value axis, with its unit; empty for none.
    pub value_desc: String,
}

fn to_px(value: f64) -> i32 {
    // every length here is a fraction of a chart of at most 8000 pixels
    #[allow(clippy::cast_possible_truncation)]
    let px = value.round() as i32;
    px
}

fn to_upx(value: f64) -> u32 {
    u32::try_from(to_px(value.max(0.0))).unwrap_or(0)
}

#[allow(clippy::cast_precision_loss)] // a handful of categories
fn index(i: usize) -> f64 {
    i as f64
}

/// A plot of values per category. Category `i` is centred on position i; the category range
/// is -0.5..n-0.5, the first category on the left or at the top.
pub(crate) struct CategoryPlot<'a, 'b> {
    pub chart: Plot<'a, 'b>,
    orientation: Orientation,
    n: usize,
}

impl CategoryPlot<'_, '_> {
    /// The chart coordinates of a (category position, value) pair.
    fn coord(&self, category: f64, value: f64) -> (f64, f64) {
        match self.orientation {
            Orientation::Vertical => (category, value),
            // the first category at the top
            Orientation::Horizontal => (value, index(self.n.max(1) - 1) - category),
        }
    }

    /// Where a (category position, value) pair lands in SVG pixels.
    pub fn px(&self, category: f64, value: f64) -> (i32, i32) {
        self.chart.backend_coord(&self.coord(category, value))
    }

    /// Draws a filled bar across `category` from value `from` to `to`.
    pub fn bar(
        &mut self,
        (c0, c1): (f64, f64),
        (from, to): (f64, f64),
        color: RGBColor,
    ) -> Result<Rect, ChartError> {
        let corners = [self.coord(c0, from), self.coord(c1, to)];
        self.chart
            .draw_series(std::iter::once(Rectangle::new(corners, color.filled())))?;
        Ok(Rect::spanning(
            self.chart.backend_coord(&corners[0]),
            self.chart.backend_coord(&corners[1]),
        ))
    }

    /// Where a bar across `category` from value `from` to `to` lies, without drawing it.
    pub fn bar_rect(&self, (c0, c1): (f64, f64), (from, to): (f64, f64)) -> Rect {
        Rect::spanning(self.px(c0, from), self.px(c1, to))
    }

    /// Draws a bar whose value is not final yet: a pale fill with a dashed outline.
    pub fn pending_bar(
        &mut self,
        (c0, c1): (f64, f64),
        (from, to): (f64, f64),
        color: RGBColor,
        style: &Style,
    ) -> Result<Rect, ChartError> {
        let corners = [self.coord(c0, from), self.coord(c1, to)];
        self.chart.draw_series(std::iter::once(Rectangle::new(
            corners,
            color.mix(0.3).filled(),
        )))?;
        let [(x0, y0), (x1, y1)] = corners;
        let outline = [(x0, y0), (x0, y1), (x1, y1), (x1, y0), (x0, y0)];
        self.chart.draw_series(DashedLineSeries::new(
            outline,
            to_px(style.px(4.0)),
            to_px(style.px(3.0)),
            color.stroke_width(to_upx(style.px(2.0))),
        ))?;
        Ok(Rect::spanning(
            self.chart.backend_coord(&corners[0]),
            self.chart.backend_coord(&corners[1]),
        ))
    }

    /// A line across all categories at `value`, solid or dashed; returns its two ends.
    pub fn level(
        &mut self,
        value: f64,
        color: RGBColor,
        width: f64,
        dashed: bool,
        style: &Style,
    ) -> Result<(Px, Px), ChartError> {
        let n = index(self.n.max(1));
        let points = [self.coord(-0.5, value), self.coord(n - 0.5, value)];
        let line = color.stroke_width(to_upx(width));
        if dashed {
            self.chart.draw_series(DashedLineSeries::new(
                points,
                to_px(style.px(8.0)),
                to_px(style.px(5.0)),
                line,
            ))?;
        } else {
            self.chart.draw_series(LineSeries::new(points, line))?;
        }
        Ok((
            self.chart.backend_coord(&points[0]),
            self.chart.backend_coord(&points[1]),
        ))
    }

    /// The hit area over a bar drawn at `rect` from value `from`.
    pub fn hit(&self, rect: Rect, from: f64, datum: Datum) -> Hit {
        let (x, y) = self.px(0.0, from);
        match self.orientation {
            Orientation::Vertical => Hit::bar(rect, f64::from(y), false, datum),
            Orientation::Horizontal => Hit::bar(rect, f64::from(x), true, datum),
        }
    }
}

/// Draws the axes, grid and category labels into `area` and returns the plot to draw bars in.
pub(crate) fn category_plot<'a, 'b>(
    area: &'a Area<'b>,
    style: &Style,
    axes: &Axes<'_>,
) -> Result<CategoryPlot<'a, 'b>, ChartError> {
    let colors = style.colors;
    let locale = style.locale;
    let tick_px = style.tick_px();
    let desc_px = style.text_px();
    let n = axes.categories.len().max(1);
    let (area_w, area_h) = area.dim_in_pixel();
    let horizontal = axes.orientation == Orientation::Horizontal;
    // no more ticks than the axis has room to label
    let tick_room = if horizontal {
        let widest = axes.unit.tick(axes.scale.max, axes.scale.step, locale);
        (style.text_width(&widest, tick_px) + style.px(16.0)) * 1.2
    } else {
        tick_px * 2.6
    };
    let axis_len = f64::from(if horizontal { area_w } else { area_h }) * 0.75;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a handful of ticks
    let scale = axes
        .scale
        .at_most((axis_len / tick_room).floor().max(1.0) as usize);
    let widest_tick = (0..scale.ticks)
        .map(|i| {
            axes.unit
                .tick(scale.min + index(i) * scale.step, scale.step, locale)
        })
        .map(|t| style.text_width(&t, tick_px))
        .fold(0.0, f64::max);
    let desc_band = |desc: &str, factor: f64| {
        if desc.is_empty() {
            0.0
        } else {
            desc_px * factor
        }
    };
    // the band under the plot and the band left of it
    let (bottom, left, label_room) = if horizontal {
        let widest_name = axes
            .categories
            .iter()
            .map(|c| style.text_width(c, tick_px))
            .fold(0.0, f64::max);
        let room = widest_name.min(f64::from(area_w) * 0.35);
        (
            tick_px * 1.5 + style.px(8.0) + desc_band(&axes.value_desc, 1.6),
            room + style.px(12.0) + desc_band(&axes.category_desc, 1.7),
            room,
        )
    } else {
        (
            tick_px * 1.5 + style.px(8.0) + desc_band(&axes.category_desc, 1.6),
            widest_tick + style.px(12.0) + desc_band(&axes.value_desc, 1.7),
            0.0,
        )
    };
    let categories = -0.5..index(n) - 0.5;
    let values = scale.min..scale.max;
    let (x_range, y_range) = if horizontal {
        (values, categories)
    } else {
        (categories, values)
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(to_px(style.px(10.0)))
        .margin_right(to_px(style.px(14.0)))
        .x_label_area_size(to_upx(bottom))
        .y_label_area_size(to_upx(left))
        .build_cartesian_2d(x_range, y_range)?;
    let unit = &axes.unit;
    let formatter = |v: &f64| unit.tick(*v, scale.step, locale);
    let mut mesh = chart.configure_mesh();
    mesh.max_light_lines(0)
        .label_style(style.font(tick_px, colors.muted))
        .axis_desc_style(style.font(desc_px, colors.text))
        .bold_line_style(colors.grid.stroke_width(1))
        .axis_style(colors.axis.stroke_width(1));
    let (x_desc, y_desc) = if horizontal {
        mesh.disable_y_mesh()
            .y_labels(0)
            .x_labels(scale.ticks)
            .x_label_formatter(&formatter);
        (&axes.value_desc, &axes.category_desc)
    } else {
        mesh.disable_x_mesh()
            .x_labels(0)
            .y_labels(scale.ticks)
            .y_label_formatter(&formatter);
        (&axes.category_desc, &axes.value_desc)
    };
    if !x_desc.is_empty() {
        mesh.x_desc(x_desc.clone());
    }
    if !y_desc.is_empty() {
        mesh.y_desc(y_desc.clone());
    }
    mesh.draw()?;
    let plot = CategoryPlot {
        chart,
        orientation: axes.orientation,
        n,
    };
    category_labels(area, &plot, style, axes, label_room)?;
    Ok(plot)
}

fn category_labels(
    area: &Area<'_>,
    plot: &CategoryPlot<'_, '_>,
    style: &Style,
    axes: &Axes<'_>,
    label_room: f64,
) -> Result<(), ChartError> {
    let n = axes.categories.len();
    if n == 0 {
        return Ok(());
    }
    let tick_px = style.tick_px();
    let (x_range, y_range) = plot.chart.plotting_area().get_pixel_range();
    let gap = to_px(style.px(6.0));
    if axes.orientation == Orientation::Horizontal {
        let slot = f64::from(y_range.end - y_range.start) / index(n);
        let text_style = style
            .font(tick_px, style.colors.text)
            .pos(Pos::new(HPos::Right, VPos::Center));
        // a label needs about 1.2 lines of height; skip labels when slots are thinner
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let every = (tick_px * 1.2 / slot.max(1.0)).ceil().max(1.0) as usize;
        for (i, category) in axes.categories.iter().enumerate().step_by(every) {
            let label = style.fit(category, tick_px, label_room);
            let (_, y) = plot.px(index(i), 0.0);
            draw_text(area, &label, (x_range.start - gap, y), &text_style)?;
        }
        return Ok(());
    }
    let slot = f64::from(x_range.end - x_range.start) / index(n);
    let text_style = style
        .font(tick_px, style.colors.text)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let every = match axes.fit {
        Fit::Skip => {
            let widest = axes
                .categories
                .iter()
                .map(|c| style.text_width(c, tick_px))
                .fold(0.0, f64::max);
            // how many slots one label needs, at least one
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let every = ((widest + style.px(6.0)) / slot.max(1.0)).ceil().max(1.0) as usize;
            every
        }
        Fit::Truncate => 1,
    };
    for (i, category) in axes.categories.iter().enumerate().step_by(every) {
        let label = match axes.fit {
            Fit::Skip => category.clone(),
            Fit::Truncate => style.fit(category, tick_px, slot - style.px(4.0)),
        };
        let (x, _) = plot.px(index(i), 0.0);
        draw_text(area, &label, (x, y_range.end + gap), &text_style)?;
    }
    Ok(())
}

/// Draws text at absolute SVG pixel coordinates into `area`.
pub(crate) fn draw_text(
    area: &Area<'_>,
    text: &str,
    (x, y): (i32, i32),
    style: &TextStyle<'_>,
) -> Result<(), ChartError> {
    if text.is_empty() {
        return Ok(());
    }
    let (bx, by) = area.get_base_pixel();
    area.draw(&Text::new(text, (x - bx, y - by), style.clone()))?;
    Ok(())
}

/// The extent of bar `k` of `n` in the group of category `i`.
pub(crate) fn slot(i: usize, k: usize, n: usize) -> (f64, f64) {
    let (i, k, n) = (index(i), index(k), index(n.max(1)));
    let group = 0.78;
    let width = group / n;
    let x0 = i - group / 2.0 + k * width + width * 0.06;
    (x0, x0 + width * 0.88)
}

/// Short month names of a plan year, its first month first.
pub(crate) fn month_labels(year: PlanYear, locale: Locale) -> Vec<String> {
    (0..12)
        .map(|i| month_short(locale, year.month(i).month))
        .collect()
}

/// Splits `area` into a grid for `n` small multiples, filled row by row; each cell's title is
/// drawn at its top and the rest of the cell is returned for the plot.
pub(crate) fn small_multiples<'b>(
    area: &Area<'b>,
    style: &Style,
    titles: &[String],
    cols: Option<usize>,
) -> Result<Vec<Area<'b>>, ChartError> {
    let n = titles.len().max(1);
    let (w, h) = area.dim_in_pixel();
    let cols = cols.map_or_else(
        || columns(n, f64::from(w) / f64::from(h.max(1))),
        |c| c.clamp(1, n),
    );
    let rows = n.div_ceil(cols);
    let cells = area.split_evenly((rows, cols));
    let title_px = style.text_px();
    let mut plots = Vec::with_capacity(titles.len());
    for (cell, title) in cells.into_iter().zip(titles) {
        let (cw, _) = cell.dim_in_pixel();
        let (tx, ty) = cell.get_base_pixel();
        let label = style.fit(title, title_px, f64::from(cw) - style.px(8.0));
        let title_style = style.bold(title_px, style.colors.text);
        draw_text(
            &cell,
            &label,
            (tx + to_px(style.px(4.0)), ty + to_px(style.px(2.0))),
            &title_style.pos(Pos::new(HPos::Left, VPos::Top)),
        )?;
        let (_, rest) = cell.split_vertically(to_px(title_px * 1.3));
        plots.push(rest.margin(0, to_px(style.px(8.0)), 0, to_px(style.px(6.0))));
    }
    Ok(plots)
}

/// Columns for `n` panels in an area `aspect` times as wide as high: the grid whose cells are
/// closest to twice as wide as high.
fn columns(n: usize, aspect: f64) -> usize {
    (1..=n)
        .map(|cols| {
            let rows = n.div_ceil(cols);
            #[allow(clippy::cast_precision_loss)] // a handful of panels
            let cell = aspect * rows as f64 / cols as f64;
            (cols, (cell.ln() - 2f64.ln()).abs())
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(1, |(cols, _)| cols)
}

/// Writes the shared axis titles of a grid of small multiples: y rotated on the left, x below.
/// Returns the area left for the grid.
pub(crate) fn shared_axis_titles<'b>(
    area: &Area<'b>,
    style: &Style,
    x_desc: &str,
    y_desc: &str,
) -> Result<Area<'b>, ChartError> {
    let desc_px = style.text_px();
    let (w, h) = area.dim_in_pixel();
    let (bx, by) = area.get_base_pixel();
    let band = to_px(desc_px * 1.8);
    let text_style = style.font(desc_px, style.colors.text);
    let y_style = text_style
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let w = i32::try_from(w).unwrap_or(i32::MAX);
    let h = i32::try_from(h).unwrap_or(i32::MAX);
    draw_text(area, y_desc, (bx, by + h / 2), &y_style)?;
    draw_text(
        area,
        x_desc,
        (bx + w / 2, by + h),
        &text_style.pos(Pos::new(HPos::Center, VPos::Bottom)),
    )?;
    Ok(area.margin(0, band, band, 0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(1, 1.78, 1)]
    #[case(2, 1.78, 1)]
    #[case(4, 1.78, 2)]
    #[case(6, 1.78, 2)]
    #[case(9, 1.78, 3)]
    fn small_multiples_are_laid_out_in_a_readable_grid(
        #[case] n: usize,
        #[case] aspect: f64,
        #[case] cols: usize,
    ) {
        assert_eq!(columns(n, aspect), cols);
    }

    #[test]
    fn bars_of_a_group_do_not_overlap_and_stay_in_their_category() {
        let bars: Vec<(f64, f64)> = (0..3).map(|k| slot(4, k, 3)).collect();
        assert!(bars.windows(2).all(|w| w[0].1 < w[1].0));
        assert!(bars[0].0 > 3.5 && bars[2].1 < 4.5);
    }
}
