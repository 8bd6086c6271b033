//! The frame every chart is drawn in: plotters draws the plot into an SVG string, and this
//! module wraps it into a self-contained, accessible document — root attributes, `<title>` and
//! `<desc>` with the key numbers, the title and legend, a "no data" note, and the invisible hit
//! areas that carry each data point's exact value for hovering.

use std::fmt::Write as _;
use std::sync::OnceLock;

use leadplan_core::Locale;
use leadplan_core::i18n::text;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::register_font;

use crate::ChartId;
use crate::theme::{Colors, Theme};
use crate::values::clean_label;

/// The family every text names: the bundled DejaVu Sans, which the PDF and PNG renderers load,
/// with the generic family for viewers that lack it.
pub(crate) const FONT_FAMILY: &str = "DejaVu Sans, sans-serif";

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// plotters writes `font-size` as its size divided by 1.24; sizes here are CSS pixels.
const PLOTTERS_SIZE_FACTOR: f64 = 1.24;

/// Registers the bundled font with plotters once; plotters needs it to measure text.
fn fonts_ready() -> bool {
    static READY: OnceLock<bool> = OnceLock::new();
    *READY.get_or_init(|| {
        register_font(FONT_FAMILY, FontStyle::Normal, REGULAR).is_ok()
            && register_font(FONT_FAMILY, FontStyle::Bold, BOLD).is_ok()
    })
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum ChartError {
    #[error("the bundled font could not be loaded")]
    Font,
    #[error("the chart could not be drawn: {0}")]
    Drawing(String),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Drawing(error.to_string())
    }
}

pub(crate) type Area<'b> = DrawingArea<SVGBackend<'b>, Shift>;

/// Sizes and colours of one chart, scaled to its size so that a chart shown at 1280×800 reads
/// as comfortably as the default 960×540.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub scale: f64,
    pub colors: Colors,
    pub locale: Locale,
}

impl Style {
    fn new(theme: &Theme) -> Style {
        let (w, h) = theme.size();
        let scale = (f64::from(w) / f64::from(Theme::DEFAULT_WIDTH))
            .min(f64::from(h) / f64::from(Theme::DEFAULT_HEIGHT))
            .clamp(0.8, 2.5);
        Style {
            scale,
            colors: theme.colors(),
            locale: theme.locale,
        }
    }

    /// A length of the default layout at this chart's scale.
    pub fn px(&self, base: f64) -> f64 {
        base * self.scale
    }

    pub fn title_px(&self) -> f64 {
        self.px(20.0)
    }
    pub fn text_px(&self) -> f64 {
        self.px(14.0)
    }
    pub fn tick_px(&self) -> f64 {
        self.px(13.0)
    }
    pub fn pad(&self) -> f64 {
        self.px(16.0)
    }

    /// A plotters text style of `px` CSS pixels.
    pub fn font(&self, px: f64, color: RGBColor) -> TextStyle<'static> {
        (FONT_FAMILY, px * PLOTTERS_SIZE_FACTOR)
            .into_font()
            .color(&color)
    }

    pub fn bold(&self, px: f64, color: RGBColor) -> TextStyle<'static> {
        (FONT_FAMILY, px * PLOTTERS_SIZE_FACTOR, FontStyle::Bold)
            .into_font()
            .color(&color)
    }

    /// The width of `text` at `px` pixels; a little generous, never too small.
    pub fn text_width(&self, text: &str, px: f64) -> f64 {
        FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            px * PLOTTERS_SIZE_FACTOR,
            FontStyle::Normal,
        )
        .box_size(text)
        .map_or_else(
            |_| px * 0.62 * text.chars().count() as f64,
            |(w, _)| f64::from(w),
        )
    }

    /// `text` shortened with "…" to fit `width` pixels at `px`.
    pub fn fit(&self, text: &str, px: f64, width: f64) -> String {
        if self.text_width(text, px) <= width {
            return text.to_owned();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate: String = chars.iter().collect::<String>().trim_end().to_owned() + "…";
            if self.text_width(&candidate, px) <= width {
                return candidate;
            }
        }
        String::new()
    }

    pub fn text(&self, key: &str) -> String {
        text(self.locale, key)
    }
}

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// A filled square, for bars.
    Box,
    /// A pale square with a dashed outline, for values not yet final.
    Outline,
    /// A solid line, for lines and thresholds.
    Line,
    /// A dashed line, for forecasts.
    Dashed,
    /// A hollow circle, for a single marked value.
    Ring,
}

#[derive(Debug, Clone)]
pub(crate) struct LegendEntry {
    pub label: String,
    pub color: RGBColor,
    pub mark: Mark,
}

impl LegendEntry {
    pub fn new(label: impl Into<String>, color: RGBColor, mark: Mark) -> Self {
        LegendEntry {
            label: label.into(),
            color,
            mark,
        }
    }
}

/// A rectangle in SVG pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    /// The rectangle spanned by two corners in any order.
    pub fn spanning((x0, y0): (i32, i32), (x1, y1): (i32, i32)) -> Rect {
        Rect {
            x: f64::from(x0.min(x1)),
            y: f64::from(y0.min(y1)),
            w: f64::from((x1 - x0).abs()),
            h: f64::from((y1 - y0).abs()),
        }
    }
}

/// The shape that catches the pointer for one data point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum HitShape {
    Rect(Rect),
    Circle { cx: f64, cy: f64, r: f64 },
}

/// One data point as hovering shows it: the exact value, formatted once, here.
#[derive(Debug, Clone, Default)]
pub(crate) struct Datum {
    /// The panel or category group the point belongs to (a source); empty for none.
    pub group: String,
    /// The series, as the legend names it.
    pub series: String,
    /// The category or month.
    pub label: String,
    /// The value formatted in the locale, with its unit.
    pub value: String,
    /// The value as computed.
    pub raw: f64,
}

impl Datum {
    pub fn new(series: &str, label: &str, value: String, raw: f64) -> Datum {
        Datum {
            group: String::new(),
            series: series.to_owned(),
            label: label.to_owned(),
            value,
            raw,
        }
    }

    pub fn in_group(self, group: &str) -> Datum {
        Datum {
            group: group.to_owned(),
            ..self
        }
    }

    fn tooltip(&self) -> String {
        let mut out = String::new();
        for part in [&self.group, &self.series] {
            if !part.is_empty() {
                out.push_str(part);
                out.push_str(" · ");
            }
        }
        out.push_str(&self.label);
        out.push_str(": ");
        out.push_str(&self.value);
        out
    }
}

/// The shape that catches the pointer for one data point, and the point.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub shape: HitShape,
    pub datum: Datum,
}

/// A bar's hit area is at least this tall, so that a zero can be hovered too.
const MIN_HIT: f64 = 6.0;

impl Hit {
    /// The hit area over a bar drawn as `rect` from `base` (a y, or an x for a horizontal bar):
    /// at least [`MIN_HIT`] pixels long, so that a zero can be hovered too.
    pub fn bar(rect: Rect, base: f64, horizontal: bool, datum: Datum) -> Hit {
        let rect = if horizontal && rect.w < MIN_HIT {
            Rect {
                x: base.min(rect.x),
                w: MIN_HIT,
                ..rect
            }
        } else if !horizontal && rect.h < MIN_HIT {
            Rect {
                y: (base - MIN_HIT).min(rect.y),
                h: MIN_HIT,
                ..rect
            }
        } else {
            rect
        };
        Hit {
            shape: HitShape::Rect(rect),
            datum,
        }
    }

    pub fn point((x, y): (i32, i32), r: f64, datum: Datum) -> Hit {
        Hit {
            shape: HitShape::Circle {
                cx: f64::from(x),
                cy: f64::from(y),
                r,
            },
            datum,
        }
    }

    pub fn area(rect: Rect, datum: Datum) -> Hit {
        Hit {
            shape: HitShape::Rect(rect),
            datum,
        }
    }
}

/// What a chart is, independent of how its plot is drawn.
pub(crate) struct Spec {
    pub id: ChartId,
    pub title: String,
    /// The key numbers in one or two sentences, for `<desc>` and screen readers.
    pub summary: String,
    pub legend: Vec<LegendEntry>,
}

/// Draws a chart: the frame, and the plot by `draw` — or, when `draw` is `None`, a note that
/// there is no data. Never fails: a plot that cannot be drawn becomes a note saying so.
pub(crate) fn render<F>(theme: &Theme, spec: &Spec, draw: Option<F>) -> String
where
    F: FnOnce(&Area<'_>, &Style, &mut Vec<Hit>) -> Result<(), ChartError>,
{
    let style = Style::new(theme);
    let fonts = fonts_ready();
    let note = match &draw {
        None => Some(style.text("chart.no_data")),
        Some(_) if !fonts => Some(ChartError::Font.to_string()),
        Some(_) => None,
    };
    let (header, plot_top) = header_svg(theme, &style, spec, note.is_none());
    let mut hits = Vec::new();
    let mut body = String::new();
    let drawn = {
        let (w, h) = theme.size();
        let root = SVGBackend::with_string(&mut body, (w, h)).into_drawing_area();
        root.fill(&style.colors.background)
            .map_err(ChartError::from)
            .and_then(|()| match (draw, &note) {
                (Some(draw), None) => {
                    // the plot starts below the header and keeps a padding on the other sides
                    #[allow(clippy::cast_possible_truncation)] // both are within the chart's size
                    let (top, pad) = (plot_top.round() as i32, style.pad().round() as i32);
                    let plot = root.margin(top, pad, pad, pad);
                    draw(&plot, &style, &mut hits)
                }
                _ => Ok(()),
            })
            .and_then(|()| root.present().map_err(ChartError::from))
    };
    match drawn {
        Ok(()) => assemble(
            theme,
            &style,
            spec,
            &body,
            &header,
            note.as_deref(),
            plot_top,
            &hits,
        ),
        Err(error) => {
            // the half-drawn plot is dropped; the frame says what went wrong instead
            let (header, plot_top) = header_svg(theme, &style, spec, false);
            let mut body = String::new();
            {
                let (w, h) = theme.size();
                let root = SVGBackend::with_string(&mut body, (w, h)).into_drawing_area();
                let _ = root.fill(&style.colors.background);
                let _ = root.present();
            }
            let note = error.to_string();
            assemble(
                theme,
                &style,
                spec,
                &body,
                &header,
                Some(&note),
                plot_top,
                &[],
            )
        }
    }
}

/// The title and legend as SVG, and the y where the plot may begin.
fn header_svg(theme: &Theme, style: &Style, spec: &Spec, with_legend: bool) -> (String, f64) {
    let (w, _) = theme.size();
    let width = f64::from(w);
    let pad = style.pad();
    let title_px = style.title_px();
    let text_px = style.text_px();
    let mut out = String::new();
    let title = style.fit(&spec.title, title_px, width - 2.0 * pad);
    let _ = write!(
        out,
        r#"<g class="chart-header"><text class="chart-title" x="{}" y="{}" font-size="{}" font-weight="bold" fill="{}">{}</text>"#,
        fmt(pad),
        fmt(pad + title_px * 0.8),
        fmt(title_px),
        hex(style.colors.text),
        escape(&title)
    );
    let mut y = pad + title_px * 1.3;
    if with_legend && !spec.legend.is_empty() {
        let row_h = text_px * 1.6;
        let mark_w = style.px(22.0);
        let gap = style.px(6.0);
        let spacing = style.px(20.0);
        let mut x = pad;
        y += style.px(4.0);
        out.push_str(r#"<g class="legend">"#);
        for entry in &spec.legend {
            let label = style.fit(&entry.label, text_px, width - 2.0 * pad - mark_w - gap);
            let entry_w = mark_w + gap + style.text_width(&label, text_px);
            if x > pad && x + entry_w > width - pad {
                x = pad;
                y += row_h;
            }
            let mid = y + row_h / 2.0;
            let _ = write!(
                out,
                r#"<g class="legend-entry" data-series="{}">{}<text x="{}" y="{}" font-size="{}" fill="{}">{}</text></g>"#,
                escape(&entry.label),
                legend_mark(entry, x, mid, mark_w, style),
                fmt(x + mark_w + gap),
                fmt(mid + text_px * 0.36),
                fmt(text_px),
                hex(style.colors.text),
                escape(&label)
            );
            x += entry_w + spacing;
        }
        out.push_str("</g>");
        y += row_h;
    }
    out.push_str("</g>");
    (out, y + style.px(6.0))
}

fn legend_mark(entry: &LegendEntry, x: f64, mid: f64, w: f64, style: &Style) -> String {
    let color = hex(entry.color);
    let side = style.px(13.0);
    let stroke = fmt(style.px(3.0));
    match entry.mark {
        Mark::Box => format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{color}"/>"#,
            fmt(x + (w - side) / 2.0),
            fmt(mid - side / 2.0),
            fmt(side),
            fmt(side)
        ),
        Mark::Outline => format!(
            r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{color}" fill-opacity="0.3" stroke="{color}" stroke-width="{}" stroke-dasharray="3 2"/>"#,
            fmt(x + (w - side) / 2.0),
            fmt(mid - side / 2.0),
            fmt(side),
            fmt(side),
            fmt(style.px(1.5))
        ),
        Mark::Line => format!(
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{color}" stroke-width="{stroke}"/>"#,
            fmt(x),
            fmt(mid),
            fmt(x + w),
            fmt(mid)
        ),
        Mark::Dashed => format!(
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{color}" stroke-width="{stroke}" stroke-dasharray="{} {}"/>"#,
            fmt(x),
            fmt(mid),
            fmt(x + w),
            fmt(mid),
            fmt(style.px(6.0)),
            fmt(style.px(3.0))
        ),
        Mark::Ring => format!(
            r#"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{color}" stroke-width="{}"/>"#,
            fmt(x + w / 2.0),
            fmt(mid),
            fmt(side / 2.0 - style.px(1.0)),
            fmt(style.px(2.0))
        ),
    }
}

/// Puts plotters' drawing into the finished document.
#[allow(clippy::too_many_arguments)]
fn assemble(
    theme: &Theme,
    style: &Style,
    spec: &Spec,
    body: &str,
    header: &str,
    note: Option<&str>,
    plot_top: f64,
    hits: &[Hit],
) -> String {
    let (w, h) = theme.size();
    // plotters opens the document with `<svg width=.. height=.. viewBox=.. xmlns=..>`; fall
    // back to an empty one of our own should that ever change.
    let (open, inner) = match (body.find("<svg"), body.rfind("</svg>")) {
        (Some(start), Some(end)) => match body[start..end].find('>') {
            Some(close) => (&body[start..start + close], &body[start + close + 1..end]),
            None => ("", ""),
        },
        _ => ("", ""),
    };
    let open = if open.is_empty() {
        format!(
            r#"<svg width="{w}" height="{h}" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg""#
        )
    } else {
        open.trim_end_matches('/').to_owned()
    };
    let mut out = String::with_capacity(body.len() + header.len() + hits.len() * 240 + 512);
    let _ = write!(
        out,
        r#"{open} data-chart="{}" data-theme="{}" role="img" aria-label="{}" xml:lang="{}" font-family="{FONT_FAMILY}"><title>{}</title><desc>{}</desc>"#,
        spec.id.as_str(),
        match theme.scheme {
            crate::ColorScheme::Light => "light",
            crate::ColorScheme::Dark => "dark",
        },
        escape(&spec.title),
        theme.locale.code(),
        escape(&spec.title),
        escape(&spec.summary)
    );
    out.push('\n');
    out.push_str(inner.trim_start_matches('\n'));
    out.push_str(header);
    if let Some(note) = note {
        let text_px = style.px(16.0);
        let mid_y = (plot_top + f64::from(h)) / 2.0;
        let _ = write!(
            out,
            r#"<text class="chart-note" x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{}">{}</text>"#,
            fmt(f64::from(w) / 2.0),
            fmt(mid_y),
            fmt(text_px),
            hex(style.colors.muted),
            escape(note)
        );
    }
    if !hits.is_empty() {
        out.push_str(r##"<g class="hits" fill="#000" fill-opacity="0">"##);
        for hit in hits {
            let shape = match hit.shape {
                HitShape::Rect(r) => format!(
                    r#"<rect x="{}" y="{}" width="{}" height="{}""#,
                    fmt(r.x),
                    fmt(r.y),
                    fmt(r.w),
                    fmt(r.h)
                ),
                HitShape::Circle { cx, cy, r } => format!(
                    r#"<circle cx="{}" cy="{}" r="{}""#,
                    fmt(cx),
                    fmt(cy),
                    fmt(r)
                ),
            };
            let tag = if shape.starts_with("<rect") {
                "rect"
            } else {
                "circle"
            };
            let d = &hit.datum;
            let group = if d.group.is_empty() {
                String::new()
            } else {
                format!(r#" data-group="{}""#, escape(&d.group))
            };
            let _ = write!(
                out,
                r#"{shape} class="hit"{group} data-series="{}" data-label="{}" data-value="{}" data-raw="{}"><title>{}</title></{tag}>"#,
                escape(&d.series),
                escape(&d.label),
                escape(&d.value),
                d.raw,
                escape(&d.tooltip())
            );
        }
        out.push_str("</g>");
    }
    out.push_str("\n</svg>\n");
    out
}

/// Text made safe for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean_label(text).chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

fn hex(color: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2)
}

/// A coordinate with at most one decimal.
fn fmt(value: f64) -> String {
    // adding zero turns -0 into 0
    let rounded = (value * 10.0).round() / 10.0 + 0.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_names_is_escaped() {
        assert_eq!(escape(r#"<script>&"'"#), "&lt;script&gt;&amp;&quot;&apos;");
    }

    #[test]
    fn long_texts_are_shortened_with_an_ellipsis() {
        assert!(fonts_ready());
        let style = Style::new(&Theme::default());
        let short = style.fit("AutoScout24 Premium Dealer Package", 13.0, 80.0);
        assert!(short.ends_with('…'), "{short}");
        assert!(style.text_width(&short, 13.0) <= 80.0);
        assert_eq!(style.fit("Web", 13.0, 80.0), "Web");
    }

    #[test]
    fn coordinates_are_written_with_at_most_one_decimal() {
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(12.345), "12.3");
        assert_eq!(fmt(-0.04), "0");
    }
}
