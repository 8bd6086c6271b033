//! The PDF: a cover page, a table of contents with page numbers, then the sections.
//!
//! Layout runs first and places every line, cell and chart on body pages; only then is the
//! page count known, so the contents and the "Page 3 of 12" footers are drawn with the real
//! numbers. The contents take a number of pages fixed in advance (one line per entry), which
//! is what lets the body be numbered before it is laid out.

use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{DateTime as PdfDateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::{Document as PdfDocument, SerializeSettings};
use krilla_svg::{SurfaceExt, SvgSettings};
use resvg::usvg;

use self::canvas::{Canvas, Op};
use self::frame::{contents, contents_pages, cover, footer, footer_title};
use self::layout::{Anchor, Layout, contents_entries};
use self::style::{Geometry, Rgb};
use crate::ReportError;
use crate::document::Document;
use crate::text::Fonts;

/// How far the PDF has come: sections fully drawn out of all sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub sections_done: usize,
    pub sections_total: usize,
}

/// What the PDF writer needs besides the document.
pub struct PdfOptions<'a> {
    /// Stored as the PDF's creation date and shown on the cover.
    pub created: DateTime<FixedOffset>,
    /// Called as sections are finished, and once more with all done when the file is ready.
    pub progress: Option<&'a mut dyn FnMut(Progress)>,
    /// When set, the export stops at the next section or page with [`ReportError::Cancelled`].
    pub cancel: Option<&'a AtomicBool>,
}

impl<'a> PdfOptions<'a> {
    #[must_use]
    pub fn new(created: DateTime<FixedOffset>) -> Self {
        PdfOptions {
            created,
            progress: None,
            cancel: None,
        }
    }

    #[must_use]
    pub fn with_progress(mut self, progress: &'a mut dyn FnMut(Progress)) -> Self {
        self.progress = Some(progress);
        self
    }

    #[must_use]
    pub fn with_cancel(mut self, cancel: &'a AtomicBool) -> Self {
        self.cancel = Some(cancel);
        self
    }

    fn is_cancelled(&self) -> bool {
        self.cancel.is_some_and(|c| c.load(Ordering::Relaxed))
    }

    fn report(&mut self, sections_done: usize, sections_total: usize) {
        if let Some(progress) = self.progress.as_mut() {
            progress(Progress {
                sections_done,
                sections_total,
            });
        }
    }
}

mod canvas;
mod frame;
mod layout;
mod style;
mod table;

fn paint(colour: Rgb) -> krilla::paint::Paint {
    rgb::Color::new(colour.0, colour.1, colour.2).into()
}

fn draw(surface: &mut Surface<'_>, fonts: &Fonts, canvas: &Canvas, charts: &[usvg::Tree]) {
    for op in &canvas.ops {
        match op {
            Op::Text {
                x,
                baseline,
                size,
                bold,
                colour,
                run,
            } => {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill {
                    paint: paint(*colour),
                    opacity: NormalizedF32::ONE,
                    rule: FillRule::NonZero,
                }));
                surface.draw_glyphs(
                    Point::from_xy(*x, *baseline),
                    &run.glyphs,
                    fonts.face(*bold).pdf.clone(),
                    &run.text,
                    *size,
                    false,
                );
            }
            Op::Rect { x, y, w, h, colour } => {
                let mut builder = PathBuilder::new();
                let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) else {
                    continue;
                };
                builder.push_rect(rect);
                if let Some(path) = builder.finish() {
                    surface.set_stroke(None);
                    surface.set_fill(Some(Fill {
                        paint: paint(*colour),
                        opacity: NormalizedF32::ONE,
                        rule: FillRule::NonZero,
                    }));
                    surface.draw_path(&path);
                }
            }
            Op::Line {
                from,
                to,
                width,
                colour,
                dotted,
            } => {
                let mut builder = PathBuilder::new();
                builder.move_to(from.0, from.1);
                builder.line_to(to.0, to.1);
                if let Some(path) = builder.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: paint(*colour),
                        width: *width,
                        line_cap: if *dotted {
                            LineCap::Round
                        } else {
                            LineCap::Butt
                        },
                        dash: dotted.then(|| StrokeDash {
                            array: vec![0.0, 3.0],
                            offset: 0.0,
                        }),
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
            Op::Chart { x, y, w, h, index } => {
                let (Some(tree), Some(size)) = (charts.get(*index), Size::from_wh(*w, *h)) else {
                    continue;
                };
                surface.push_transform(&Transform::from_translate(*x, *y));
                // an SVG krilla cannot convert is left blank rather than failing the report
                let _ = surface.draw_svg(tree, size, SvgSettings::default());
                surface.pop();
            }
        }
    }
}

fn pdf_date(created: DateTime<FixedOffset>) -> Option<PdfDateTime> {
    let year = u16::try_from(created.year()).ok()?;
    let offset = created.offset().local_minus_utc() / 60;
    let (hours, minutes) = (offset / 60, (offset % 60).unsigned_abs());
    #[allow(clippy::cast_possible_truncation)] // calendar fields and offsets below 24 h fit
    Some(
        PdfDateTime::new(year)
            .month(created.month() as u8)
            .day(created.day() as u8)
            .hour(created.hour() as u8)
            .minute(created.minute() as u8)
            .second(created.second().min(59) as u8)
            .utc_offset_hour(hours as i8)
            .utc_offset_minute(minutes as u8),
    )
}

fn outline(anchors: &[Anchor], pages: usize) -> Outline {
    let mut outline = Outline::new();
    let mut current: Option<OutlineNode> = None;
    for anchor in anchors.iter().filter(|a| a.page < pages) {
        let node = OutlineNode::new(
            anchor.title.clone(),
            XyzDestination::new(anchor.page, Point::from_xy(0.0, anchor.y)),
        );
        if anchor.level == 0 {
            if let Some(done) = current.replace(node.with_open(true)) {
                outline.push_child(done);
            }
        } else if let Some(parent) = current.as_mut() {
            parent.push_child(node);
        } else {
            outline.push_child(node);
        }
    }
    if let Some(done) = current {
        outline.push_child(done);
    }
    outline
}

/// Renders the document as a PDF.
///
/// # Errors
/// [`ReportError::Cancelled`] when the cancel flag was raised, [`ReportError::InvalidSvg`]
/// for a chart that cannot be read, [`ReportError::Font`] or [`ReportError::Pdf`] if the
/// file cannot be assembled.
pub fn render_pdf(doc: &Document, mut options: PdfOptions<'_>) -> Result<Vec<u8>, ReportError> {
    let total_sections = doc.sections.len();
    options.report(0, total_sections);
    let fonts = Fonts::load()?;
    let geo = Geometry::new(doc);
    let contents_page_count = contents_pages(contents_entries(doc, &fonts), geo);
    let mut layout = Layout::new(&fonts, doc, geo, 1 + contents_page_count);
    let mut section_end = Vec::with_capacity(total_sections);
    for section in &doc.sections {
        if options.is_cancelled() {
            return Err(ReportError::Cancelled);
        }
        layout.section(section)?;
        section_end.push(layout.page_index());
    }
    let laid_out = layout.finish();
    let body_pages = if doc.sections.is_empty() {
        0
    } else {
        laid_out.pages.len()
    };
    let total_pages = 1 + contents_page_count + body_pages;

    let mut pdf = PdfDocument::new_with(SerializeSettings {
        enable_tagging: false,
        ..SerializeSettings::default()
    });
    let page_settings = || PageSettings::from_wh(geo.width, geo.height).unwrap_or_default();

    let cover = cover(&fonts, doc, geo, options.created);
    let title = footer_title(&fonts, doc, geo, total_pages);
    {
        let mut page = pdf.start_page_with(page_settings());
        let mut surface = page.surface();
        draw(&mut surface, &fonts, &cover, &[]);
        surface.finish();
        page.finish();
    }
    for (i, mut contents_page) in contents(&fonts, doc, geo, &laid_out.anchors, contents_page_count)
        .into_iter()
        .enumerate()
    {
        footer(
            &fonts,
            doc.locale,
            geo,
            &mut contents_page.canvas,
            &title,
            (i + 2, total_pages),
        );
        let mut page = pdf.start_page_with(page_settings());
        let mut surface = page.surface();
        draw(&mut surface, &fonts, &contents_page.canvas, &[]);
        surface.finish();
        for (rect, target, y) in contents_page.links {
            if target < total_pages {
                let destination = XyzDestination::new(target, Point::from_xy(0.0, y));
                let link = LinkAnnotation::new(rect, Target::Destination(destination.into()));
                page.add_annotation(Annotation::new_link(link, None));
            }
        }
        page.finish();
    }
    let mut reported = 0;
    for (i, mut canvas) in laid_out.pages.into_iter().take(body_pages).enumerate() {
        if options.is_cancelled() {
            return Err(ReportError::Cancelled);
        }
        let index = 1 + contents_page_count + i;
        footer(
            &fonts,
            doc.locale,
            geo,
            &mut canvas,
            &title,
            (index + 1, total_pages),
        );
        let mut page = pdf.start_page_with(page_settings());
        let mut surface = page.surface();
        draw(&mut surface, &fonts, &canvas, &laid_out.charts);
        surface.finish();
        page.finish();
        // the last step, writing the file, is reported when it is done
        let done = section_end.iter().filter(|&&end| end <= index).count();
        let done = done.min(total_sections.saturating_sub(1));
        if done > reported {
            reported = done;
            options.report(done, total_sections);
        }
    }
    pdf.set_outline(outline(&laid_out.anchors, total_pages));
    let mut metadata = Metadata::new()
        .title(doc.title.clone())
        .language(doc.locale.code().to_owned())
        .creator("Leadplan".to_owned())
        .producer("Leadplan".to_owned());
    if !doc.subtitle.is_empty() {
        metadata = metadata.description(doc.subtitle.clone());
    }
    if !doc.metadata.organisation.is_empty() {
        metadata = metadata.authors(vec![doc.metadata.organisation.clone()]);
    }
    if let Some(date) = pdf_date(options.created) {
        metadata = metadata.creation_date(date);
    }
    pdf.set_metadata(metadata);
    if options.is_cancelled() {
        return Err(ReportError::Cancelled);
    }
    let bytes = pdf.finish()?;
    options.report(total_sections, total_sections);
    Ok(bytes)
}
