//! The pages around the body: the cover, the table of contents and the footers.

use chrono::{DateTime, FixedOffset};
use krilla::geom::Rect;
use leadplan_core::{Locale, format, i18n};

use super::canvas::{Canvas, Op, Pen};
use super::layout::Anchor;
use super::style::{
    ACCENT, FOOTER_SIZE, Geometry, INK, MARGIN_BOTTOM, MUTED, RULE, SECTION_LEADING, SECTION_SIZE,
    TOC_LEADING, TOC_TITLE_BLOCK, baseline,
};
use crate::document::Document;
use crate::text::Fonts;

/// How many entries a contents page holds; the first has the title above them.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // small positive counts
fn entries_per_page(geo: Geometry, first: bool) -> usize {
    let room = geo.content_height() - if first { TOC_TITLE_BLOCK } else { 0.0 };
    (room / TOC_LEADING).floor().max(1.0) as usize
}

pub(super) fn contents_pages(entries: usize, geo: Geometry) -> usize {
    let first = entries_per_page(geo, true);
    match entries {
        0 => 0,
        n if n <= first => 1,
        n => 1 + (n - first).div_ceil(entries_per_page(geo, false)),
    }
}

pub(super) fn cover(
    fonts: &Fonts,
    doc: &Document,
    geo: Geometry,
    created: DateTime<FixedOffset>,
) -> Canvas {
    let mut canvas = Canvas::default();
    let bold = &fonts.bold;
    let regular = &fonts.regular;
    canvas.rect(0.0, 0.0, geo.width, 10.0, ACCENT);
    let mut y = geo.height * 0.27;
    let width = geo.content_width();
    let mut lines = bold.wrap(&bold.clean(&doc.title, true), 26.0, width);
    lines.truncate(5);
    for line in &lines {
        canvas.text(
            Pen::new(bold, true, 26.0, INK),
            (geo.left, baseline(y, 33.0, 26.0)),
            line,
        );
        y += 33.0;
    }
    let mut lines = regular.wrap(&regular.clean(&doc.subtitle, true), 14.0, width);
    lines.truncate(4);
    for line in lines.iter().filter(|l| !l.is_empty()) {
        canvas.text(
            Pen::new(regular, false, 14.0, MUTED),
            (geo.left, baseline(y, 20.0, 14.0)),
            line,
        );
        y += 20.0;
    }
    y += 22.0;
    canvas.line((geo.left, y), (geo.left + 64.0, y), 2.5, ACCENT);
    y += 26.0;
    let locale = doc.locale;
    let meta = &doc.metadata;
    let created_date = format::date(created.date_naive(), locale);
    let pairs = [
        ("report.meta.organisation", meta.organisation.clone()),
        ("report.meta.period", meta.period.clone()),
        ("report.meta.plan_version", meta.plan_version.clone()),
        (
            "report.meta.data_date",
            meta.data_date
                .map(|d| format::date(d, locale))
                .unwrap_or_default(),
        ),
        ("report.meta.created", created_date),
    ];
    let labels: Vec<String> = pairs
        .iter()
        .map(|(k, _)| regular.clean(&i18n::text(locale, k), false))
        .collect();
    let label_width = labels
        .iter()
        .map(|l| regular.width(l, 10.0))
        .fold(0.0, f32::max)
        + 18.0;
    let label_width = label_width.min(width * 0.4);
    for (label, (_, value)) in labels.iter().zip(&pairs) {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let mut lines = bold.wrap(&bold.clean(value, true), 11.0, width - label_width);
        lines.truncate(2);
        let label = regular.truncate(label, 10.0, label_width - 6.0);
        canvas.text(
            Pen::new(regular, false, 10.0, MUTED),
            (geo.left, baseline(y, 17.0, 10.0)),
            &label,
        );
        for line in &lines {
            canvas.text(
                Pen::new(bold, true, 11.0, INK),
                (geo.left + label_width, baseline(y, 17.0, 11.0)),
                line,
            );
            y += 17.0;
        }
        y += 4.0;
    }
    canvas
}

pub(super) struct ContentsPage {
    pub(super) canvas: Canvas,
    /// (clickable area, target page, target y)
    pub(super) links: Vec<(Rect, usize, f32)>,
}

pub(super) fn contents(
    fonts: &Fonts,
    doc: &Document,
    geo: Geometry,
    anchors: &[Anchor],
    pages: usize,
) -> Vec<ContentsPage> {
    let mut out: Vec<ContentsPage> = Vec::with_capacity(pages);
    let bold = &fonts.bold;
    let regular = &fonts.regular;
    let mut entries = anchors.iter().peekable();
    for page in 0..pages {
        let mut canvas = Canvas::default();
        let mut links = Vec::new();
        let mut y = geo.top;
        if page == 0 {
            let title = bold.clean(&i18n::text(doc.locale, "report.contents"), false);
            canvas.text(
                Pen::new(bold, true, SECTION_SIZE, ACCENT),
                (geo.left, baseline(y, SECTION_LEADING, SECTION_SIZE)),
                &title,
            );
            y += SECTION_LEADING + 3.0;
            canvas.line((geo.left, y), (geo.right, y), 1.2, ACCENT);
            y = geo.top + TOC_TITLE_BLOCK;
        }
        for _ in 0..entries_per_page(geo, page == 0) {
            let Some(anchor) = entries.next() else { break };
            let (face, bold_text, size, indent) = if anchor.level == 0 {
                (bold, true, 10.5, 0.0)
            } else {
                (regular, false, 10.0, 16.0)
            };
            let number = (anchor.page + 1).to_string();
            let number_width = regular.width(&number, 10.0);
            let base = baseline(y, TOC_LEADING, size);
            let title_room = geo.content_width() - indent - number_width - 24.0;
            let title = face.truncate(&anchor.title, size, title_room);
            let title_width = canvas.text(
                Pen::new(face, bold_text, size, INK),
                (geo.left + indent, base),
                &title,
            );
            canvas.text_right(
                Pen::new(regular, false, 10.0, INK),
                (geo.right, base),
                &number,
            );
            let leader_from = geo.left + indent + title_width + 6.0;
            let leader_to = geo.right - number_width - 6.0;
            if leader_to > leader_from {
                canvas.ops.push(Op::Line {
                    from: (leader_from, base),
                    to: (leader_to, base),
                    width: 0.9,
                    colour: MUTED,
                    dotted: true,
                });
            }
            if let Some(rect) = Rect::from_xywh(geo.left, y, geo.content_width(), TOC_LEADING) {
                links.push((rect, anchor.page, anchor.y));
            }
            y += TOC_LEADING;
        }
        out.push(ContentsPage { canvas, links });
    }
    out
}

pub(super) fn page_label(locale: Locale, page: usize, total: usize) -> String {
    i18n::text_with(
        locale,
        "report.page_of",
        &[("n", &page.to_string()), ("total", &total.to_string())],
    )
}

/// The footer's left side: the document title, shortened to leave room for the widest page
/// label.
pub(super) fn footer_title(fonts: &Fonts, doc: &Document, geo: Geometry, total: usize) -> String {
    let regular = &fonts.regular;
    let widest = regular.clean(&page_label(doc.locale, total, total), false);
    let room = geo.content_width() - regular.width(&widest, FOOTER_SIZE) - 24.0;
    regular.truncate(
        &regular.clean(&doc.title, false),
        FOOTER_SIZE,
        room.max(0.0),
    )
}

pub(super) fn footer(
    fonts: &Fonts,
    locale: Locale,
    geo: Geometry,
    canvas: &mut Canvas,
    title: &str,
    page: (usize, usize),
) {
    let regular = &fonts.regular;
    let rule_y = geo.height - MARGIN_BOTTOM + 22.0;
    canvas.line((geo.left, rule_y), (geo.right, rule_y), 0.5, RULE);
    let base = rule_y + 14.0;
    let label = regular.clean(&page_label(locale, page.0, page.1), false);
    canvas.text_right(
        Pen::new(regular, false, FOOTER_SIZE, MUTED),
        (geo.right, base),
        &label,
    );
    canvas.text(
        Pen::new(regular, false, FOOTER_SIZE, MUTED),
        (geo.left, base),
        title,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contents_take_one_page_per_page_of_entries() {
        let geo = Geometry::new(&Document::default());
        // A4: 841.89 - 56 - 68 = 717.89 pt of content; under the 45 pt title the first page
        // holds floor(672.89 / 17) = 39 entries, the others floor(717.89 / 17) = 42
        assert_eq!(contents_pages(0, geo), 0);
        assert_eq!(contents_pages(39, geo), 1);
        assert_eq!(contents_pages(40, geo), 2);
        assert_eq!(contents_pages(39 + 42, geo), 2);
        assert_eq!(contents_pages(39 + 43, geo), 3);
    }
}
