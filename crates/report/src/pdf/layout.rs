//! Layout of the body: sections, headings, text, key-value pairs, charts, page breaks.

use leadplan_core::Locale;
use resvg::usvg;

use super::canvas::{Canvas, Op, Pen};
use super::style::{
    ACCENT, BODY_LEADING, BODY_SIZE, CAPTION_LEADING, CAPTION_SIZE, Geometry, INK, MUTED, Rgb,
    SECTION_LEADING, SECTION_SIZE, baseline,
};
use crate::ReportError;
use crate::chart;
use crate::document::{Block, Chart, Document, Section};
use crate::text::{Face, Fonts};

/// A table of contents entry: level 0 for a section, 1 for a heading.
pub(super) struct Anchor {
    pub(super) title: String,
    pub(super) level: u8,
    pub(super) page: usize,
    pub(super) y: f32,
}

pub(super) struct Layout<'a> {
    pub(super) fonts: &'a Fonts,
    pub(super) geo: Geometry,
    pub(super) locale: Locale,
    pub(super) currency: &'a str,
    pub(super) first_page: usize,
    pub(super) pages: Vec<Canvas>,
    pub(super) page: Canvas,
    pub(super) y: f32,
    pub(super) anchors: Vec<Anchor>,
    pub(super) charts: Vec<usvg::Tree>,
}

/// Most lines a title takes; a longer one ends in an ellipsis.
pub(super) const MAX_TITLE_LINES: usize = 3;

/// Keeps at most `max` lines, the last one ending in an ellipsis if any were dropped.
pub(super) fn cap_lines(face: &Face, lines: &mut Vec<String>, max: usize, size: f32, width: f32) {
    if lines.len() > max {
        lines.truncate(max);
        if let Some(last) = lines.last_mut() {
            *last = face.truncate(&format!("{last}…"), size, width);
        }
    }
}

/// The title a section or heading has in the contents, if any.
pub(super) fn contents_title(fonts: &Fonts, text: &str) -> Option<String> {
    let title = fonts.bold.clean(text, false);
    let title = title.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

pub(super) fn contents_entries(doc: &Document, fonts: &Fonts) -> usize {
    doc.sections
        .iter()
        .map(|s| {
            let headings = s
                .blocks
                .iter()
                .filter(|b| matches!(b, Block::Heading { level, text } if *level <= 1 && contents_title(fonts, text).is_some()))
                .count();
            usize::from(contents_title(fonts, &s.title).is_some()) + headings
        })
        .sum()
}

pub(super) struct LaidOut {
    pub(super) pages: Vec<Canvas>,
    pub(super) anchors: Vec<Anchor>,
    pub(super) charts: Vec<usvg::Tree>,
}
impl<'a> Layout<'a> {
    pub(super) fn new(
        fonts: &'a Fonts,
        doc: &'a Document,
        geo: Geometry,
        first_page: usize,
    ) -> Self {
        Layout {
            fonts,
            geo,
            locale: doc.locale,
            currency: &doc.currency,
            first_page,
            pages: Vec::new(),
            page: Canvas::default(),
            y: geo.top,
            anchors: Vec::new(),
            charts: Vec::new(),
        }
    }

    pub(super) fn page_index(&self) -> usize {
        self.first_page + self.pages.len()
    }

    pub(super) fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.page));
        self.y = self.geo.top;
    }

    pub(super) fn at_top(&self) -> bool {
        self.y <= self.geo.top + 0.01
    }

    /// Starts a new page unless `height` more fits on this one (or this one is still empty).
    pub(super) fn ensure(&mut self, height: f32) {
        if self.y + height > self.geo.bottom && !self.at_top() {
            self.new_page();
        }
    }

    pub(super) fn space(&mut self, height: f32) {
        if !self.at_top() {
            self.y += height;
        }
    }

    /// Flows wrapped lines down the page, breaking pages between lines.
    pub(super) fn lines(
        &mut self,
        lines: &[String],
        x: f32,
        bold: bool,
        size: f32,
        leading: f32,
        colour: Rgb,
    ) {
        let face = self.fonts.face(bold);
        for line in lines {
            self.ensure(leading);
            let base = baseline(self.y, leading, size);
            self.page
                .text(Pen::new(face, bold, size, colour), (x, base), line);
            self.y += leading;
        }
    }

    pub(super) fn finish(mut self) -> LaidOut {
        if !self.page.ops.is_empty() || self.pages.is_empty() {
            self.pages.push(std::mem::take(&mut self.page));
        }
        LaidOut {
            pages: self.pages,
            anchors: self.anchors,
            charts: self.charts,
        }
    }

    pub(super) fn section(&mut self, section: &Section) -> Result<(), ReportError> {
        if let Some(title) = contents_title(self.fonts, &section.title) {
            self.space(18.0);
            let mut lines = self
                .fonts
                .bold
                .wrap(&title, SECTION_SIZE, self.geo.content_width());
            cap_lines(
                &self.fonts.bold,
                &mut lines,
                MAX_TITLE_LINES,
                SECTION_SIZE,
                self.geo.content_width(),
            );
            // keep the title with a few lines of what follows
            #[allow(clippy::cast_precision_loss)] // a handful of lines
            let height = lines.len() as f32 * SECTION_LEADING + 12.0;
            self.ensure(height + 4.0 * BODY_LEADING);
            self.anchors.push(Anchor {
                title,
                level: 0,
                page: self.page_index(),
                y: self.y,
            });
            self.lines(
                &lines,
                self.geo.left,
                true,
                SECTION_SIZE,
                SECTION_LEADING,
                ACCENT,
            );
            self.y += 3.0;
            self.page.line(
                (self.geo.left, self.y),
                (self.geo.right, self.y),
                1.2,
                ACCENT,
            );
            self.y += 9.0;
        }
        for block in &section.blocks {
            self.block(block)?;
        }
        Ok(())
    }

    pub(super) fn block(&mut self, block: &Block) -> Result<(), ReportError> {
        match block {
            Block::Heading { level, text } => self.heading(*level, text),
            Block::Paragraph(text) => self.paragraph(text),
            Block::KeyValues(pairs) => self.key_values(pairs),
            Block::Table(table) => self.table(table),
            Block::Chart(chart) => self.chart(chart)?,
            Block::PageBreak => {
                if !self.at_top() {
                    self.new_page();
                }
            }
            Block::Bullets(items) => self.bullets(items),
        }
        Ok(())
    }

    pub(super) fn heading(&mut self, level: u8, text: &str) {
        let (size, leading, colour, before) = match level {
            0 | 1 => (13.0, 18.0, ACCENT, 10.0),
            2 => (11.0, 15.0, INK, 8.0),
            _ => (10.0, 14.0, MUTED, 6.0),
        };
        let Some(title) = contents_title(self.fonts, text) else {
            return;
        };
        self.space(before);
        let mut lines = self.fonts.bold.wrap(&title, size, self.geo.content_width());
        cap_lines(
            &self.fonts.bold,
            &mut lines,
            MAX_TITLE_LINES,
            size,
            self.geo.content_width(),
        );
        #[allow(clippy::cast_precision_loss)] // a handful of lines
        let height = lines.len() as f32 * leading;
        self.ensure(height + 3.0 * BODY_LEADING);
        if level <= 1 {
            self.anchors.push(Anchor {
                title,
                level: 1,
                page: self.page_index(),
                y: self.y,
            });
        }
        self.lines(&lines, self.geo.left, true, size, leading, colour);
        self.y += 3.0;
    }

    pub(super) fn paragraph(&mut self, text: &str) {
        let face = &self.fonts.regular;
        let lines = face.wrap(&face.clean(text, true), BODY_SIZE, self.geo.content_width());
        self.lines(&lines, self.geo.left, false, BODY_SIZE, BODY_LEADING, INK);
        self.y += 6.0;
    }

    pub(super) fn bullets(&mut self, items: &[String]) {
        let face = &self.fonts.regular;
        let indent = 14.0;
        for item in items {
            let lines = face.wrap(
                &face.clean(item, true),
                BODY_SIZE,
                self.geo.content_width() - indent,
            );
            self.ensure(BODY_LEADING);
            let base = baseline(self.y, BODY_LEADING, BODY_SIZE);
            self.page.text(
                Pen::new(face, false, BODY_SIZE, ACCENT),
                (self.geo.left + 3.0, base),
                "•",
            );
            self.lines(
                &lines,
                self.geo.left + indent,
                false,
                BODY_SIZE,
                BODY_LEADING,
                INK,
            );
            self.y += 2.0;
        }
        self.y += 4.0;
    }

    pub(super) fn key_values(&mut self, pairs: &[(String, String)]) {
        let regular = &self.fonts.regular;
        let bold = &self.fonts.bold;
        let keys: Vec<String> = pairs.iter().map(|(k, _)| bold.clean(k, true)).collect();
        let widest = keys
            .iter()
            .flat_map(|k| k.split('\n'))
            .map(|k| bold.width(k, BODY_SIZE))
            .fold(0.0, f32::max);
        let key_width = (widest + 14.0).min(self.geo.content_width() * 0.4);
        let value_width = self.geo.content_width() - key_width;
        for (key, (_, value)) in keys.iter().zip(pairs) {
            let key_lines = bold.wrap(key, BODY_SIZE, key_width - 10.0);
            let value_lines = regular.wrap(&regular.clean(value, true), BODY_SIZE, value_width);
            let rows = key_lines.len().max(value_lines.len());
            #[allow(clippy::cast_precision_loss)] // lines of one pair
            let height = rows as f32 * BODY_LEADING;
            if height <= self.geo.content_height() {
                self.ensure(height);
                let top = self.y;
                self.lines(
                    &key_lines,
                    self.geo.left,
                    true,
                    BODY_SIZE,
                    BODY_LEADING,
                    MUTED,
                );
                self.y = top;
                self.lines(
                    &value_lines,
                    self.geo.left + key_width,
                    false,
                    BODY_SIZE,
                    BODY_LEADING,
                    INK,
                );
                self.y = top + height;
            } else {
                // a pair taller than a page: the value flows on below its key
                self.lines(
                    &key_lines,
                    self.geo.left,
                    true,
                    BODY_SIZE,
                    BODY_LEADING,
                    MUTED,
                );
                self.lines(
                    &value_lines,
                    self.geo.left + key_width,
                    false,
                    BODY_SIZE,
                    BODY_LEADING,
                    INK,
                );
            }
            self.y += 3.0;
        }
        self.y += 5.0;
    }

    pub(super) fn chart(&mut self, chart: &Chart) -> Result<(), ReportError> {
        let tree = chart::parse(&chart.id, &chart.svg)?;
        let size = tree.size();
        let face = &self.fonts.regular;
        let caption = face.wrap(
            &face.clean(&chart.caption, true),
            CAPTION_SIZE,
            self.geo.content_width(),
        );
        let caption: Vec<String> = caption.into_iter().filter(|l| !l.is_empty()).collect();
        #[allow(clippy::cast_precision_loss)] // a few caption lines
        let caption_height = caption.len() as f32 * CAPTION_LEADING;
        let mut w = self.geo.content_width();
        let mut h = size.height() * w / size.width();
        let max_h = (self.geo.content_height() - caption_height - 12.0)
            .max(self.geo.content_height() / 2.0);
        if h > max_h {
            w *= max_h / h;
            h = max_h;
        }
        self.space(4.0);
        self.ensure(h + caption_height + 6.0);
        if w.is_finite() && h.is_finite() && w >= 1.0 && h >= 1.0 {
            let x = self.geo.left + (self.geo.content_width() - w) / 2.0;
            self.page.ops.push(Op::Chart {
                x,
                y: self.y,
                w,
                h,
                index: self.charts.len(),
            });
            self.charts.push(tree);
            self.y += h + 4.0;
        }
        self.lines(
            &caption,
            self.geo.left,
            false,
            CAPTION_SIZE,
            CAPTION_LEADING,
            MUTED,
        );
        self.y += 10.0;
        Ok(())
    }
}
